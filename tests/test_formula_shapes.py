"""Formulas read by shape (`negosim.expr.shape`) and tree games built by shape are exactly the old ones.

The old path is `parse_formula` on every formula and `Formula.evaluate` on every payoff; the new
path parses and checks one formula per shape (text with its numbers as ``#``), puts each other
formula's numbers into that tree, and evaluates the payoffs of one shape together (`payoff_table`,
and `FormulaShapes` for the bisection's trees). Random formulas with random numbers (written in
every way Python reads, and in ways it refuses), random batches of parameter values, and scenarios
whose games are compared array for array, messages included.
"""

from __future__ import annotations

import dataclasses
import pickle

import numpy as np
import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from negosim.errors import FormulaError, ScenarioError
from negosim.expr import parse_formula
from negosim.expr.shape import FormulaShapes, ShapedRun, parse_shaped
from negosim.scenario import build as build_module
from negosim.scenario import load_scenario
from negosim.scenario.build import payoff_table
from negosim.scenario.model import OutcomeSpec

KNOWN = frozenset({"a", "c"})

# Numbers as a person may write them, including what Python reads otherwise or refuses.
NUMBER = st.one_of(
    st.integers(0, 10**6).map(str),
    st.floats(0, 1e6, allow_nan=False).map(lambda x: f"{x:.4f}"),
    st.floats(0, 1e6, allow_nan=False).map(repr),
    st.sampled_from(["0", "0.0", "1.", ".5", "1e3", "2.5E-3", "1e400", "9" * 400, "01", "0x1F", "1_000", "1j",
                     "00.5", "0e0", "1e-400", "3.", "64", "65", "0.5e2"]),
)
SHAPE = st.recursive(
    st.sampled_from(["a", "c", "#"]),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "**", "<", ">=", "==", "and", "or"]), inner)
        .map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        inner.map(lambda x: f"-{x}"),
        inner.map(lambda x: f"(not {x})"),
        st.tuples(st.sampled_from(["min", "max"]), inner, inner).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
        st.tuples(st.sampled_from(["abs", "sqrt", "exp", "log"]), inner).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
        st.tuples(inner, inner, inner).map(lambda t: f"where({t[0]}, {t[1]}, {t[2]})"),
        st.tuples(inner, inner, inner).map(lambda t: f"clip({t[0]}, {t[1]}, {t[2]})"),
    ),
    max_leaves=8,
)


@st.composite
def formulas_of_one_shape(draw) -> list[str]:
    """A shape and several formulas written with it, each with its own numbers."""
    shape = draw(SHAPE)
    pieces = shape.split("#")
    out = []
    for _ in range(draw(st.integers(1, 5))):
        numbers = draw(st.lists(NUMBER, min_size=len(pieces) - 1, max_size=len(pieces) - 1))
        out.append(pieces[0] + "".join(n + p for n, p in zip(numbers, pieces[1:])))
    return out


def outcome(text: str, place: int):
    """`parse_formula`'s Formula or its message, with what repr shows (source, names, place, constant)."""
    try:
        f = parse_formula(text, KNOWN, file="f.yaml", line=place, path=f"p{place}")
    except FormulaError as error:
        return str(error)
    return f


def same_values(f, g, env) -> None:
    """`f` and `g` evaluate to the same float64 values, or fail with the same message."""
    try:
        want = f.evaluate(env)
    except FormulaError as error:
        with pytest.raises(FormulaError) as caught:
            g.evaluate(env)
        assert str(caught.value) == str(error)
        return
    got = g.evaluate(env)
    assert got.shape == want.shape and np.array_equal(got, want, equal_nan=True)


ENV = st.fixed_dictionaries({
    "a": st.lists(st.floats(-3, 3, allow_nan=False), min_size=1, max_size=4).map(np.array),
    "c": st.floats(-3, 3, allow_nan=False).map(np.float64),
})


@settings(max_examples=400, deadline=None)
@given(st.lists(formulas_of_one_shape(), min_size=1, max_size=3), ENV)
def test_a_formula_read_by_shape_is_the_formula_parsed_on_its_own(groups, env):
    shapes: dict = {}
    for place, text in enumerate(t for group in groups for t in group):
        want = outcome(text, place)
        try:
            got = parse_shaped(text, KNOWN, shapes, file="f.yaml", line=place, path=f"p{place}")
        except FormulaError as error:
            assert str(error) == want
            continue
        assert not isinstance(want, str), f"{text!r} was refused alone: {want}"
        assert repr(got) == repr(want)  # source, names, file, line, path and constant
        assert (got.constant is None) == (want.constant is None)
        same_values(want, got, env)
        assert pickle.loads(pickle.dumps(got)) == want


def test_numbers_python_reads_otherwise_are_not_slots():
    shapes: dict = {}
    for text in ["1if a else 2", "0x10 + a", "1_0 + a", "01 + a", "1j + a", "00.5 + a"]:
        try:
            parse_shaped(text, KNOWN, shapes)
        except FormulaError:
            pass
    # where the parser's numbers and the shape's slots differ, no shape is kept (always a full parse)
    assert all(shape is None or len(shape.slots) == key[0].count("#") for key, shape in shapes.items())
    assert shapes[("1if a else #", KNOWN)] is None
    assert ("0x10 + a", KNOWN) in shapes and ("# + a", KNOWN) not in shapes


def test_a_constant_exponent_is_checked_for_each_formula_of_a_shape():
    shapes: dict = {}
    assert float(parse_shaped("a ** 2", KNOWN, shapes).evaluate({"a": 3.0})) == 9.0
    with pytest.raises(FormulaError, match="exponent 65 is too large"):
        parse_shaped("a ** 65", KNOWN, shapes)
    assert parse_shaped("1 / 2", KNOWN, shapes).constant == 0.5
    with pytest.raises(FormulaError, match="is not finite"):  # a constant folded for each formula
        parse_shaped("1 / 0", KNOWN, shapes)


# --- payoffs evaluated per shape -----------------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(st.lists(formulas_of_one_shape(), min_size=1, max_size=3), st.integers(1, 3),
       st.sampled_from([(), (3,), (2, 2)]), st.data())
def test_a_payoff_table_by_shape_is_the_table_formula_by_formula(groups, players, batch, data):
    shapes: dict = {}
    formulas = []
    for text in (t for group in groups for t in group):
        try:
            formulas.append(parse_shaped(text, KNOWN, shapes))
        except FormulaError:
            continue
    if not formulas:
        return
    order = data.draw(st.permutations(range(len(formulas))))
    rows = [tuple(formulas[order[(k * players + i) % len(order)]] for i in range(players))
            for k in range(max(1, len(formulas) // players))]
    outcomes = tuple(OutcomeSpec(f"o{k}", "", row) for k, row in enumerate(rows))
    values = data.draw(st.lists(st.floats(-2, 2, allow_nan=False), min_size=max(1, int(np.prod(batch))),
                                max_size=max(1, int(np.prod(batch)))))
    env = {"a": np.array(values, dtype=np.float64).reshape(batch), "c": np.float64(0.5)}
    plain = tuple(OutcomeSpec(o.id, "", tuple(dataclasses.replace(f, run=_unshaped(f)) for f in o.payoffs))
                  for o in outcomes)
    try:
        want = payoff_table(plain, env, batch)
    except FormulaError as error:
        with pytest.raises(FormulaError) as caught:
            payoff_table(outcomes, env, batch)
        assert str(caught.value) == str(error)  # the first formula that is not finite, as before
        return
    block = data.draw(st.sampled_from([build_module._SHAPE_BLOCK, 1, 5]))  # per shape at once, or in blocks
    saved, build_module._SHAPE_BLOCK = build_module._SHAPE_BLOCK, block
    try:
        got = payoff_table(outcomes, env, batch)
    finally:
        build_module._SHAPE_BLOCK = saved
    assert got.shape == want.shape and np.array_equal(got, want)


def _unshaped(formula):
    """The closure `parse_formula` gives (not a ShapedRun: evaluated formula by formula)."""
    return parse_formula(formula.source).run


def test_payoffs_of_a_shape_are_evaluated_together(monkeypatch):
    shapes: dict = {}
    formulas = [parse_shaped(f"{k / 10} + a * {k}", KNOWN, shapes) for k in range(20)]
    assert all(isinstance(f.run, ShapedRun) for f in formulas) and len(shapes) == 1
    calls = []
    monkeypatch.setattr(type(formulas[0]), "evaluate", lambda self, env: calls.append(self))
    table = payoff_table(tuple(OutcomeSpec(f"o{k}", "", (f,)) for k, f in enumerate(formulas)),
                         {"a": np.float64(2.0)}, ())
    assert calls == [] and table[:, 0].tolist() == [k / 10 + 2.0 * k for k in range(20)]


def test_payoffs_of_a_shape_land_at_their_outcome_and_player_when_outcomes_pay_unevenly():
    shapes: dict = {}
    pay = [parse_shaped(f"{k} + a * 2", KNOWN, shapes) for k in range(4)]
    outcomes = (OutcomeSpec("o0", "", (pay[0], pay[1])), OutcomeSpec("o1", "", (pay[2],)),
                OutcomeSpec("o2", "", (pay[3], parse_shaped("c", KNOWN, shapes))))
    table = payoff_table(outcomes, {"a": np.float64(1.0), "c": np.float64(-1.0)}, ())
    assert table[:, 0].tolist() == [2.0, 4.0, 5.0] and table[0, 1] == 3.0 and table[2, 1] == -1.0


# --- formulas grouped by shape and evaluated together (`FormulaShapes`) ------------------------------------

NAMES = ["a", "b", "x2"]
# Numbers every formula reads as written (the refused ones are in NUMBER above).
READ_NUMBER = st.one_of(st.integers(0, 20).map(str), st.floats(0, 1e3, allow_nan=False).map(repr),
                        st.sampled_from(["0.1", "1e-3", "2.5E+2", ".5", "3.", "0"]))


def skeleton(depth: int):
    """A formula of exactly rounded operations with `{}` where a number goes (one shape for any numbers)."""
    leaf = st.sampled_from(["{}", *NAMES])
    if depth == 0:
        return leaf
    sub = skeleton(depth - 1)
    return st.one_of(
        leaf,
        st.tuples(sub, st.sampled_from(["+", "-", "*", "/"]), sub).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        sub.map(lambda s: f"-{s}"),
        st.tuples(st.sampled_from(["min", "max"]), sub, sub).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
        sub.map(lambda s: f"abs({s})"),
        sub.map(lambda s: f"sqrt(abs({s}))"),
        st.tuples(sub, st.sampled_from(["<", "<=", ">", "=="]), sub, sub, sub).map(
            lambda t: f"where({t[0]} {t[1]} {t[2]}, {t[3]}, {t[4]})"),
        st.tuples(sub, sub, sub).map(lambda t: f"({t[0]} if {t[1]} > 1 else {t[2]})"),
        st.tuples(sub, sub).map(lambda t: f"({t[0]} > 1 and not {t[1]} < 2)"),
    )


def same_bits(x: np.ndarray, y: np.ndarray) -> bool:
    """Equal bit for bit where not NaN (the sign of zero included), NaN where NaN."""
    x, y = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    return bool((np.isnan(x) == np.isnan(y)).all()) and x[~np.isnan(x)].tobytes() == y[~np.isnan(y)].tobytes()


@settings(max_examples=200, deadline=None)
@given(shape=skeleton(3), data=st.data(), n=st.integers(2, 6), read_by_shape=st.booleans())
def test_formulas_grouped_by_shape_get_each_formula_its_own_values(shape, data, n, read_by_shape):
    slots = shape.count("{}")
    sources = [shape.format(*data.draw(st.lists(READ_NUMBER, min_size=slots, max_size=slots))) for _ in range(n)]
    read: dict = {}  # as the scenario loader reads them (a ShapedRun each), or by `parse_formula`
    try:
        formulas = [parse_shaped(s, frozenset(NAMES), read) if read_by_shape else parse_formula(s, NAMES)
                    for s in sources]
    except FormulaError:  # a formula without names whose constant is not finite (0 / 0)
        reject()
    values = st.floats(-5, 5, allow_nan=False)
    env = {name: np.array(data.draw(st.lists(values, min_size=7, max_size=7))) for name in NAMES}
    probe = {name: np.array([0.5, -1.25, 3.0]) for name in NAMES}
    shapes = FormulaShapes(formulas, probe)
    out = np.empty((n, 7))
    shapes.evaluate(env, out)
    with np.errstate(all="ignore"):
        for j, f in enumerate(formulas):
            assert same_bits(out[j], f.run(env)), (sources[j], out[j], f.run(env))
    if slots:
        assert shapes.groups  # shared, not evaluated one by one
    if read_by_shape:  # the loader's shapes are used as read, not read again
        for group in shapes.groups:
            assert group.run is formulas[group.members[0]].run.shape.vector_run()


def test_exp_log_and_powers_are_evaluated_one_by_one_and_names_keep_their_digits():
    formulas = [parse_formula(s, [*NAMES, "expected"]) for s in (
        "exp(a) + 1", "exp(a) + 2", "a ** 2", "a ** 3", "x2 + 1", "x2 + 7", "log(b) * 2", "log(b) * 3",
        "expected - 1", "expected - 2.5")]
    shapes = FormulaShapes(formulas, {name: np.array([0.5]) for name in [*NAMES, "expected"]})
    assert shapes.single == (0, 1, 2, 3, 6, 7)
    group, named = shapes.groups  # a name that merely contains "exp" is no call of exp
    assert group.numbers.tolist() == [[1.0], [7.0]] and group.members.tolist() == [4, 5]
    assert named.numbers.tolist() == [[1.0], [2.5]] and named.members.tolist() == [8, 9]
    out = np.empty((10, 2))
    env = {name: np.array([1.0, 2.0]) for name in [*NAMES, "expected"]}
    shapes.evaluate(env, out, np.arange(10)[::-1])
    assert out[::-1].tolist() == [[np.exp(1.0) + 1, np.exp(2.0) + 1], [np.exp(1.0) + 2, np.exp(2.0) + 2],
                                  [1.0, 4.0], [1.0, 8.0], [2.0, 3.0], [8.0, 9.0],
                                  [np.log(1.0) * 2, np.log(2.0) * 2], [np.log(1.0) * 3, np.log(2.0) * 3],
                                  [0.0, 1.0], [-1.5, -0.5]]


def test_a_shape_that_disagrees_with_its_formulas_at_the_probe_is_not_shared(monkeypatch):
    from negosim.expr.shape import ShapeGroup

    shared = ShapeGroup.values
    monkeypatch.setattr(ShapeGroup, "values", lambda group, env, *args: shared(group, env, *args) + 1.0)
    formulas = [parse_formula(s, NAMES) for s in ("a + 1", "a + 2")]
    shapes = FormulaShapes(formulas, {"a": np.array([0.5])})
    assert not shapes.groups and shapes.single == (0, 1)


def test_formulas_without_numbers_or_of_a_lone_shape_are_grouped_only_when_shared():
    formulas = [parse_formula(s, NAMES) for s in ("a + b", "a + b", "a * 2", "1.5")]
    shapes = FormulaShapes(formulas, {name: np.array([0.5, 2.0]) for name in NAMES})
    (group,) = shapes.groups
    assert group.members.tolist() == [0, 1] and group.numbers.shape == (2, 0) and shapes.single == (2, 3)
    out = np.empty((4, 2))
    shapes.evaluate({name: np.array([1.0, 3.0]) for name in NAMES}, out)
    assert out.tolist() == [[2.0, 6.0], [2.0, 6.0], [2.0, 6.0], [1.5, 1.5]]


# --- the game the load built, handed to the solve --------------------------------------------------------

def test_the_baseline_game_is_built_once_and_handed_to_the_first_build_only(tmp_path):
    path = tmp_path / "t.yaml"
    leaves = "".join(f"    o{k}: {{payoffs: {{A: {k / 10} + a * {k}, B: {k} - a}}}}\n" for k in range(3))
    path.write_text("negosim: 1\nid: t\ntitle: T\nplayers:\n  - id: A\n  - id: B\nparameters:\n"
                    "  a: {value: 0.5, range: [0, 1], description: A}\ngame:\n  form: extensive\n  root: n0\n"
                    "  nodes:\n    n0: {player: A, actions: {x: o0, y: n1}}\n"
                    "    n1: {player: B, actions: {u: o1, v: o2}}\n"
                    "  outcomes:\n" + leaves)
    scenario = load_scenario(path)
    first, second = scenario.build(), scenario.build()
    assert first is not second  # never one game's arrays to two callers
    for game in (first, second):
        assert np.array_equal(game.payoffs, np.array([[0.0, -0.5], [0.6, 0.5], [1.2, 1.5]]))
    assert "_baseline_game" not in pickle.loads(pickle.dumps(load_scenario(path))).__dict__
    assert "_baseline_game" not in scenario.with_overrides({"a": 0.2}).__dict__
    assert float(load_scenario(path).with_overrides({"a": 0.2}).build().payoffs[1, 0]) == 0.1 + 0.2


def test_a_tree_whose_payoff_is_not_finite_at_the_baseline_names_its_formula(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text("negosim: 1\nid: t\ntitle: T\nplayers:\n  - id: A\nparameters:\n"
                    "  a: {value: 0, range: [0, 1], description: A}\ngame:\n  form: extensive\n  root: n0\n"
                    "  nodes:\n    n0: {player: A, actions: {x: o0, y: o1}}\n"
                    "  outcomes:\n    o0: {payoffs: {A: 1 / (a + 1)}}\n    o1: {payoffs: {A: 1 / (a + 0)}}\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert str(caught.value) == (f"{path}:15: game.outcomes.o1.payoffs.A: formula '1 / (a + 0)' is not finite "
                                 "(inf: division by zero, log(0) or overflow) at a=0")
