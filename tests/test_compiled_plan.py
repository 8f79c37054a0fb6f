"""The compiled plan (formulas and backward induction as one straight-line program) gives the interpreted
path's answers bit for bit, and its verification catches a wrong answer."""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negosim.errors import FormulaError, VerificationError
from negosim.expr import parse_formula
from negosim.expr.plan import FormulaCompiler
from negosim.expr.program import ProgramBuilder
from negosim.scenario import compiled, load_scenario
from negosim.scenario.compiled import solve_tree_chunk
from negosim.solve import spe_plan
from negosim.solve.primary import reached_codes
from negosim.solve.spe import subgame_perfect
from negosim.sweep.engine import solve_chunk

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
#: Values that reach the language's edges: zeros of both signs, division by zero, overflow, logs of negatives.
EDGES = [0.0, -0.0, 1.0, -1.0, 0.5, 2.0, -2.5, 1e-300, 1e300, -1e300, 3.0, 1e-12]

_leaf = st.sampled_from(["a", "b", "c", "0", "1", "2", "0.5", "3", "1e308"])


def _grow(inner):
    binary = st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "**", "<", "<=", ">", ">=", "==", "!=",
                                               "and", "or"]), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})")
    unary = st.tuples(st.sampled_from(["-", "+", "not ", "abs", "exp", "log", "sqrt"]), inner).map(
        lambda t: f"{t[0]}({t[1]})")
    calls = st.one_of(
        st.tuples(st.sampled_from(["min", "max"]), st.lists(inner, min_size=2, max_size=4)).map(
            lambda t: f"{t[0]}({', '.join(t[1])})"),
        st.tuples(inner, inner, inner).map(lambda t: f"clip({t[0]}, {t[1]}, {t[2]})"),
        st.tuples(inner, inner, inner).map(lambda t: f"where({t[0]}, {t[1]}, {t[2]})"),
        st.tuples(inner, inner, inner).map(lambda t: f"({t[1]} if {t[0]} else {t[2]})"),
        st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} < {t[1]} <= {t[2]})"),
        st.lists(inner, min_size=3, max_size=6).map(lambda xs: "(" + " - ".join(xs) + ")"),
    )
    return st.one_of(binary, unary, calls)


formulas = st.recursive(_leaf, _grow, max_leaves=12)


def _same_bits(x: np.ndarray, y: np.ndarray) -> bool:
    """Equal as float64 bit patterns (so -0.0 differs from 0.0), NaN matching NaN."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    both_nan = np.isnan(x) & np.isnan(y)
    return bool(np.all(both_nan | (x.view(np.int64) == y.view(np.int64))))


def _compiled_values(sources: list[str], a: np.ndarray, b: np.ndarray, c: float, block: int) -> list[np.ndarray]:
    builder = ProgramBuilder()
    fc = FormulaCompiler(builder, fixed={"c": c}, varied=("a", "b"))
    fc.derive("d", parse_formula("a * c - b"))  # a derived value the formulas may use
    for k, source in enumerate(sources):
        builder.output(str(k), fc.formula(parse_formula(source)))
    out = {str(k): np.empty(len(a)) for k in range(len(sources))}
    return list(builder.build().run({"a": a, "b": b}, out, block=block).arrays.values())


def _interpreted(source: str, a: np.ndarray, b: np.ndarray, c: float) -> np.ndarray:
    env = {"a": a, "b": b, "c": np.asarray(c)}
    with np.errstate(all="ignore"):
        env["d"] = parse_formula("a * c - b").run(env)  # type: ignore[misc]
        f = parse_formula(source)
        return np.broadcast_to(np.asarray(f.run(env), dtype=np.float64), a.shape)  # type: ignore[misc]


@settings(max_examples=300, deadline=None)
@given(st.lists(formulas, min_size=1, max_size=4), st.lists(st.sampled_from(EDGES) | st.floats(-10, 10),
                                                            min_size=14, max_size=14),
       st.sampled_from(EDGES), st.sampled_from([3, 5, 1024]))
def test_a_compiled_formula_has_the_interpreted_value_bit_for_bit(sources, values, c, block):
    from negosim.errors import FormulaError as Rejected

    try:
        for s in sources:
            parse_formula(s)
    except Rejected:  # (a constant exponent beyond the bound, a number too large: not a formula)
        return
    a = np.array(values[:7])
    b = np.array(values[7:])
    # each source also uses the derived value, so shared subexpressions and derived values meet
    sources = sources + [f"({sources[0]}) + d"]
    got = _compiled_values(sources, a, b, c, block)
    for source, value in zip(sources, got):
        assert _same_bits(value, _interpreted(source, a, b, c)), source


def test_a_subexpression_written_twice_is_computed_once():
    builder = ProgramBuilder()
    fc = FormulaCompiler(builder, fixed={"c": 2.0}, varied=("a",))
    fc.formula(parse_formula("clip(a + c * 3, 0, 1) - 1"))
    before = len(builder.steps)
    fc.formula(parse_formula("clip(a + c * 3, 0, 1) * 2"))
    assert len(builder.steps) == before + 1  # only the final multiplication is new; c * 3 was folded


# --- trees -----------------------------------------------------------------------------------
TREES = ["ceasefire_2025.yaml", "entry_deterrence.yaml", "ultimatum.yaml", "sanctions_threat.yaml",
         "beer_quiche.yaml", "sanctions_uncertain.yaml", "prisoners_dilemma.yaml"]


def _old(scenario, params):
    sol = subgame_perfect(scenario.build(params))
    texts, codes = reached_codes(sol)
    return texts, codes, sol.payoffs, sol.tied


def _random_points(scenario, names, n, rng):
    params = {}
    for name in names:
        p = scenario.parameters[name]
        grid = np.linspace(p.low, p.high, 11)  # grid values meet the ties the baseline formulas put on round numbers
        params[name] = np.where(rng.random(n) < 0.5, rng.choice(grid, n), rng.uniform(p.low, p.high, n))
    return params


@pytest.mark.parametrize("name", TREES)
def test_the_compiled_tree_solve_gives_subgame_perfects_answer_at_every_point(name):
    scenario = load_scenario(SCENARIOS / name)
    tree = scenario.build()
    if scenario.form != "extensive" or not spe_plan.perfect_information(tree):  # chance, or a normal form
        assert solve_tree_chunk(scenario, {next(iter(scenario.parameters)): np.zeros(3)}) is None
        return
    rng = np.random.default_rng(7)
    names = list(scenario.parameters)
    for k in range(4):
        varied = list(rng.choice(names, size=min(len(names), 1 + k % 2), replace=False))
        params = _random_points(scenario, varied, 2_000, rng)
        chunk = solve_tree_chunk(scenario, params)
        assert chunk is not None
        texts, codes, payoffs, tied = _old(scenario, params)
        assert chunk.texts.tolist() == texts.tolist() and chunk.texts.dtype == texts.dtype
        assert np.array_equal(chunk.codes, codes) and chunk.codes.dtype == codes.dtype
        assert _same_bits(chunk.payoffs, payoffs)
        assert np.array_equal(chunk.tied, tied)


def test_the_seed_grid_with_its_ties_is_the_same():
    scenario = load_scenario(SCENARIOS / "ceasefire_2025.yaml")
    p, mu = np.meshgrid(np.linspace(0.2, 0.8, 120), np.linspace(0, 0.3, 100), indexing="ij")
    params = {"p": p.ravel(), "mu": mu.ravel()}
    chunk = solve_tree_chunk(scenario, params)
    assert chunk is not None and chunk.tied.any() and len(chunk.texts) == 3
    texts, codes, payoffs, tied = _old(scenario, params)
    assert chunk.texts.tolist() == texts.tolist() and np.array_equal(chunk.codes, codes)
    assert _same_bits(chunk.payoffs, payoffs) and np.array_equal(chunk.tied, tied)


@pytest.mark.parametrize("name", ["ceasefire_2025.yaml", "entry_deterrence.yaml", "ultimatum.yaml",
                                  "sanctions_threat.yaml"])
def test_a_sweep_chunk_writes_the_same_rows_and_labels_through_the_compiled_path(name, monkeypatch):
    scenario = load_scenario(SCENARIOS / name)
    rng = np.random.default_rng(3)
    params = _random_points(scenario, list(scenario.parameters)[:2], 3_000, rng)
    fast = solve_chunk(scenario, params, 17)
    monkeypatch.setattr("negosim.sweep.chunk_solve.solve_tree_chunk", lambda s, p: None)
    slow = solve_chunk(scenario, params, 17)
    assert _same_rows(fast[0], slow[0])
    assert np.array_equal(fast[1], slow[1]) and np.array_equal(fast[2], slow[2])


def _same_rows(a, b) -> bool:
    """Whether two chunks' result rows are the same table: names, and every column's values (floats bit
    for bit, coded labels as the texts they stand for)."""
    from negosim.sweep.table import Coded

    if a.names != b.names:
        return False
    for x, y in zip(a.columns, b.columns):
        if isinstance(x, Coded) or isinstance(y, Coded):
            if not (isinstance(x, Coded) and isinstance(y, Coded)):
                return False
            def labels(c):
                return np.asarray(c.texts, dtype=object)[c.codes].tolist()
            if labels(x) != labels(y):
                return False
        elif x.dtype != y.dtype or not np.array_equal(x.view(np.uint8), y.view(np.uint8)):
            return False
    return True


def test_threads_running_the_same_program_at_once_do_not_mix_their_registers():
    from concurrent.futures import ThreadPoolExecutor

    scenario = load_scenario(SCENARIOS / "ceasefire_2025.yaml")
    rng = np.random.default_rng(5)
    points = [_random_points(scenario, ["p", "mu"], 50_000, rng) for _ in range(4)]
    alone = [solve_tree_chunk(scenario, p) for p in points]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda p: solve_tree_chunk(scenario, p), points * 2))
    for a, b in zip(alone * 2, together):
        assert a is not None and b is not None
        assert np.array_equal(a.codes, b.codes) and _same_bits(a.payoffs, b.payoffs) and np.array_equal(a.tied, b.tied)


PIECEWISE = """\
negosim: 1
id: piecewise
title: Piecewise payoffs
players: [{id: A}, {id: B}]
parameters:
  x: {value: 0.5, range: [-1, 2], description: a parameter}
  y: {value: 1, range: [0, 2], description: another}
derived:
  r: where(y != 0, x / y, 0)
  s: min(max(x, 0), 1) if x < y else -x
game:
  form: extensive
  root: a
  nodes:
    a: {player: A, actions: {l: b, m: c, r: o3}}
    b: {player: B, actions: {u: o1, d: o2, e: o4}}
    c: {player: B, actions: {u: o2, d: o1}}
  outcomes:
    o1: {payoffs: {A: r, B: s}}
    o2: {payoffs: {A: 1 - s, B: sqrt(abs(r)) * (x > 0)}}
    o3: {payoffs: {A: "0.5", B: y ** 2 - 1}}
    o4: {payoffs: {A: r, B: "1 / (x - 0.25)"}}
ties:
  prefer: [d, m]
"""


def _piecewise(tmp_path) -> object:
    path = tmp_path / "piecewise.yaml"
    path.write_text(textwrap.dedent(PIECEWISE))
    return load_scenario(path)


def test_piecewise_formulas_and_ties_give_the_same_answer(tmp_path):
    scenario = _piecewise(tmp_path)
    x = np.array([-1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 0.3, 0.7, -0.0])
    y = np.array([0.0, 1.0, 2.0, 0.5, 1.0, 0.0, 2.0, 0.3, 0.7, 1.0])
    chunk = solve_tree_chunk(scenario, {"x": x, "y": y})
    assert chunk is not None and chunk.tied.any()
    texts, codes, payoffs, tied = _old(scenario, {"x": x, "y": y})
    assert chunk.texts.tolist() == texts.tolist() and np.array_equal(chunk.codes, codes)
    assert _same_bits(chunk.payoffs, payoffs) and np.array_equal(chunk.tied, tied)


def test_a_payoff_that_is_not_finite_raises_the_interpreted_error(tmp_path):
    scenario = _piecewise(tmp_path)
    params = {"x": np.array([0.0, 0.25, 1.0]), "y": np.array([1.0, 1.0, 1.0])}
    assert solve_tree_chunk(scenario, params) is None  # the program saw inf and stepped aside
    with pytest.raises(FormulaError) as compiled_path:
        solve_chunk(scenario, params, 0)
    with pytest.raises(FormulaError) as interpreted:
        scenario.build(params)
    assert str(compiled_path.value) == str(interpreted.value)


# --- verification catches a wrong answer -------------------------------------------------------
def _run_flags(scenario, params) -> set[str]:
    compiled._PROGRAMS.pop(scenario, None)
    program = compiled._program(scenario, tuple(params))
    assert program is not None
    n = len(next(iter(params.values())))
    out = {"code": np.empty(n, dtype=np.int16), "payoffs": np.empty((n, program.n_players)),
           "tied": np.empty(n, dtype=bool)}
    return program.program.run(params, out).flags


SEED_POINTS = {"p": np.linspace(0.2, 0.8, 400), "mu": np.linspace(0.0, 0.3, 400)}


def _sabotage_picks(monkeypatch, which: int) -> None:
    """Make every decision node's choice (which=0) or outcome code (which=1) ignore the ties: each node
    picks its choice, then its code."""
    real, calls = spe_plan._pick, [0]

    def pick(b, first, choices):
        calls[0] += 1
        return real(b, first, [] if (calls[0] - 1) % 2 == which else choices)

    monkeypatch.setattr(spe_plan, "_pick", pick)


def test_a_wrong_choice_is_caught(monkeypatch):
    scenario = load_scenario(SCENARIOS / "ceasefire_2025.yaml")
    _sabotage_picks(monkeypatch, 0)
    assert spe_plan.CHOICE_FLAG in _run_flags(scenario, SEED_POINTS)
    compiled._PROGRAMS.pop(scenario, None)
    with pytest.raises(VerificationError, match="compiled backward induction.*bug"):
        solve_tree_chunk(scenario, SEED_POINTS)
    compiled._PROGRAMS.pop(scenario, None)


def test_a_wrong_outcome_code_is_caught(monkeypatch):
    scenario = load_scenario(SCENARIOS / "ceasefire_2025.yaml")
    _sabotage_picks(monkeypatch, 1)
    assert _run_flags(scenario, SEED_POINTS) == {spe_plan.ROOT_FLAG}
    compiled._PROGRAMS.pop(scenario, None)


def test_a_value_that_is_not_the_best_reply_is_caught(monkeypatch):
    scenario = load_scenario(SCENARIOS / "ceasefire_2025.yaml")
    monkeypatch.setattr(spe_plan, "_carry", lambda b, first, choices: b.select(first, []))
    # the values carried up are not what the outcome reached pays, and a player gains by deviating
    assert {spe_plan.ROOT_FLAG, spe_plan.DEVIATION_FLAG} <= _run_flags(scenario, SEED_POINTS)
    compiled._PROGRAMS.pop(scenario, None)


def test_a_profitable_deviation_is_caught(monkeypatch):
    """Values and codes follow the least preferred action (consistently), the choices the right one:
    the root value is then not what the equilibrium play gives, and a player gains by deviating."""
    scenario = load_scenario(SCENARIOS / "ceasefire_2025.yaml")
    _sabotage_picks(monkeypatch, 1)
    monkeypatch.setattr(spe_plan, "_carry", lambda b, first, choices: b.select(first, []))
    flags = _run_flags(scenario, SEED_POINTS)
    assert spe_plan.DEVIATION_FLAG in flags
    compiled._PROGRAMS.pop(scenario, None)


def test_subgame_perfects_own_error_is_raised_when_it_fails_too(monkeypatch):
    scenario = load_scenario(SCENARIOS / "ceasefire_2025.yaml")
    monkeypatch.setattr(compiled, "_program", lambda s, v: _FlagAll(compiled._compile(s, v)))

    def broken(tree, **kw):
        raise VerificationError("spe: the choice at 'ru' is not best by 0.1 at point 3 (tol 1e-09)")

    monkeypatch.setattr("negosim.solve.spe.subgame_perfect", broken)
    with pytest.raises(VerificationError, match="the choice at 'ru'"):
        solve_tree_chunk(scenario, SEED_POINTS)


class _FlagAll:
    """A compiled program whose run reports a failed deviation check."""

    def __init__(self, inner) -> None:
        self.inner, self.n_players, self.outcomes = inner, inner.n_players, inner.outcomes
        self.program = self

    def run(self, arrays, out):
        result = self.inner.program.run(arrays, out)
        result.flags.add(spe_plan.DEVIATION_FLAG)
        return result


def test_a_tree_too_large_to_compile_is_solved_the_interpreted_way(monkeypatch):
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from tree_yaml import tree_yaml

    from negosim.scenario.validate import scenario_from_document
    from negosim.scenario.yamlio import parse_yaml

    scenario = scenario_from_document(parse_yaml(tree_yaml(3).encode(), "t.yaml"))  # 40 nodes
    a = np.linspace(0.0, 1.0, 500)
    chunk = solve_tree_chunk(scenario, {"a": a})
    assert chunk is not None
    texts, codes, payoffs, tied = _old(scenario, {"a": a})
    assert chunk.texts.tolist() == texts.tolist() and np.array_equal(chunk.codes, codes)
    assert _same_bits(chunk.payoffs, payoffs) and np.array_equal(chunk.tied, tied)
    monkeypatch.setattr(compiled, "MAX_NODES", 39)
    compiled._PROGRAMS.pop(scenario, None)
    assert solve_tree_chunk(scenario, {"a": a}) is None
    compiled._PROGRAMS.pop(scenario, None)


@pytest.mark.parametrize("name", ["ceasefire_2025.yaml", "ultimatum.yaml"])
def test_points_evaluated_for_sensitivity_are_the_same_through_the_compiled_path(name, monkeypatch):
    from negosim.sweep.engine import evaluate_points

    scenario = load_scenario(SCENARIOS / name)
    params = _random_points(scenario, list(scenario.parameters)[:3], 2_000, np.random.default_rng(11))
    fast = evaluate_points(scenario, params)
    monkeypatch.setattr("negosim.sweep.point_outputs.solve_tree_chunk", lambda s, p: None)
    slow = evaluate_points(scenario, params)
    assert fast.labels.dtype == slow.labels.dtype == object
    assert fast.labels.tolist() == slow.labels.tolist()
    assert all(type(a) is type(b) for a, b in zip(fast.labels, slow.labels))
    assert _same_bits(fast.payoffs, slow.payoffs) and np.array_equal(fast.defined, slow.defined)


def test_a_program_shares_registers_between_values_not_alive_at_once():
    builder = ProgramBuilder()
    x = builder.input("x")
    acc = x
    for k in range(50):  # a chain: each value is dead once the next is computed
        acc = builder.call(np.add, acc, builder.constant(float(k)))
    builder.register()  # a register no step uses
    builder.output("y", acc)
    program = builder.build()
    assert program.registers[np.dtype(np.float64)] == 2
    x_values = np.linspace(-1.0, 1.0, 3001)
    y = program.run({"x": x_values}, {"y": np.empty(3001)}, block=1024).arrays["y"]
    expected = x_values.copy()
    for k in range(50):
        expected = expected + float(k)
    assert _same_bits(y, expected)
