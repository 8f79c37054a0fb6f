"""Formulas evaluated together by shape (`negosim.expr.shapes`) give each formula's own values bit for bit."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from negosim.expr import parse_formula
from negosim.expr.shapes import FormulaShapes

NAMES = ["a", "b", "x2"]

numbers = st.one_of(st.integers(0, 20).map(str), st.floats(0, 1e3, allow_nan=False).map(repr),
                    st.sampled_from(["0.1", "1e-3", "2.5E+2", ".5", "3.", "0"]))


def skeleton(depth: int):
    """A formula with `{}` where a number goes (the same shape for every choice of numbers)."""
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


def same_values(x: np.ndarray, y: np.ndarray) -> bool:
    """Equal bit for bit where finite (the sign of zero included), NaN where NaN."""
    x, y = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    return bool((np.isnan(x) == np.isnan(y)).all()) and x[~np.isnan(x)].tobytes() == y[~np.isnan(y)].tobytes()


@settings(max_examples=200, deadline=None)
@given(shape=skeleton(3), data=st.data(), n=st.integers(2, 6))
def test_a_shape_gives_each_formula_its_own_values(shape, data, n):
    slots = shape.count("{}")
    sources = [shape.format(*data.draw(st.lists(numbers, min_size=slots, max_size=slots))) for _ in range(n)]
    formulas = [parse_formula(s, NAMES) for s in sources]
    values = st.floats(-5, 5, allow_nan=False)
    env = {name: np.array(data.draw(st.lists(values, min_size=7, max_size=7))) for name in NAMES}
    probe = {name: np.array([0.5, -1.25, 3.0]) for name in NAMES}
    shapes = FormulaShapes(formulas, probe)
    out = np.empty((n, 7))
    shapes.evaluate(env, out)
    with np.errstate(all="ignore"):
        for j, f in enumerate(formulas):
            assert same_values(out[j], f.run(env)), (sources[j], out[j], f.run(env))
    if slots and n >= 2:
        assert shapes.groups  # shared, not evaluated one by one


def test_exp_log_and_powers_are_evaluated_one_by_one_and_names_keep_their_digits():
    formulas = [parse_formula(s, NAMES) for s in ("exp(a) + 1", "exp(a) + 2", "a ** 2", "a ** 3", "x2 + 1",
                                                  "x2 + 7")]
    shapes = FormulaShapes(formulas, {name: np.array([0.5]) for name in NAMES})
    assert shapes.single == (0, 1, 2, 3)
    (group,) = shapes.groups
    assert group.numbers.tolist() == [[1.0], [7.0]] and group.members.tolist() == [4, 5]
    out = np.empty((6, 2))
    shapes.evaluate({name: np.array([1.0, 2.0]) for name in NAMES}, out, np.arange(6)[::-1])
    assert out[::-1].tolist() == [[np.exp(1.0) + 1, np.exp(2.0) + 1], [np.exp(1.0) + 2, np.exp(2.0) + 2],
                                  [1.0, 4.0], [1.0, 8.0], [2.0, 3.0], [8.0, 9.0]]


def test_a_shape_that_disagrees_with_its_formulas_at_the_probe_is_not_shared(monkeypatch):
    from negosim.expr import shapes as module

    monkeypatch.setattr(module, "_columns", lambda group: {name: group.numbers[:, c:c + 1] + 1.0
                                                           for c, name in enumerate(group.names)})
    formulas = [parse_formula(s, NAMES) for s in ("a + 1", "a + 2")]
    shapes = FormulaShapes(formulas, {"a": np.array([0.5])})
    assert not shapes.groups and shapes.single == (0, 1)
