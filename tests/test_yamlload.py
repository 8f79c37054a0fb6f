"""Loading a scenario the fast way gives exactly what the careful way gives, problems and messages included.

The fast way is what `load_scenario` does: libyaml's reader for a problem-free file
(`yamlfast`), each distinct formula text parsed once per document (`Checker.formula`), a tree
settled by one build when it has no problem (`baseline_problems`), the cycle collector paused.
The careful way is the reference it replaced: ruamel's reader for every file, every formula parsed
where it is written, each formula evaluated on its own before the build
(`problems_formula_by_formula`). Both run on the shipped scenarios, on generated trees (formulas
shared or not, chance nodes, information sets) and on those trees with one line broken.
"""

from __future__ import annotations

import dataclasses
import gc
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negosim.errors import FormulaError, NegosimInputError
from negosim.expr import parse_formula
from negosim.scenario import checker, load_scenario, yamlio
from negosim.scenario.build import baseline_problems, problems_formula_by_formula
from negosim.scenario.gcpause import cycle_collection_paused
from negosim.scenario.validate import scenario_from_document
from negosim.scenario.yamlio import format_path, parse_yaml

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted(p for p in [*ROOT.glob("scenarios/**/*.yaml"), *ROOT.glob("tests/data/**/*.yaml"),
                             *ROOT.glob("docs/**/*.yaml")] if ".git" not in p.parts)


def uncached_formula(self, path, value, known):
    """`Checker.formula` as it was: every formula parsed where it is written."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        from negosim.scenario.yamlio import kind

        self.report(path, f"expected a formula (a number or text such as 'p - cR'), got {kind(value)}")
        return None
    try:
        return parse_formula(value, known, file=self.file, line=self.line(path), path=format_path(path))
    except FormulaError as error:
        self.problems.extend(error.problems)
        return None


def fast(raw: bytes, file: str):
    """What `load_scenario` gives for a file's bytes: the scenario, or the text of each problem."""
    try:
        with cycle_collection_paused():
            scenario = scenario_from_document(parse_yaml(raw, file))
            problems = baseline_problems(scenario)
    except NegosimInputError as error:
        return [str(p) for p in error.problems]
    return [str(p) for p in problems] if problems else scenario


def careful(raw: bytes, file: str, monkeypatch):
    """The same through the careful reference (ruamel, formulas one by one, no build first)."""
    with monkeypatch.context() as m:
        m.setattr(yamlio, "fast_load", lambda text: None)
        m.setattr(checker.Checker, "formula", uncached_formula)
        try:
            scenario = scenario_from_document(parse_yaml(raw, file))
            problems = problems_formula_by_formula(scenario)
        except NegosimInputError as error:
            return [str(p) for p in error.problems]
    return [str(p) for p in problems] if problems else scenario


def assert_same(raw: bytes, monkeypatch) -> object:
    """Assert both ways agree on `raw`: the same problems, or the same scenario and the same game."""
    got, want = fast(raw, "s.yaml"), careful(raw, "s.yaml", monkeypatch)
    if isinstance(want, list) or isinstance(got, list):
        assert got == want
        return got
    for f in dataclasses.fields(want):  # repr: floats exactly, Formulas with their source and place
        assert repr(getattr(got, f.name)) == repr(getattr(want, f.name)), f.name
    if want.form in ("normal", "extensive", "repeated"):
        a, b = got.build(), want.build()
        assert type(a) is type(b)
        for name in ("payoffs", "chance", "nodes", "players", "outcomes"):
            x, y = getattr(a, name, None), getattr(b, name, None)
            if isinstance(x, dict):
                assert x.keys() == y.keys() and all(np.array_equal(x[k], y[k]) for k in x)
            elif isinstance(x, np.ndarray):
                assert np.array_equal(x, y)
            else:
                assert repr(x) == repr(y)
    return got


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_file_loads_the_same_both_ways(path, monkeypatch):
    assert_same(path.read_bytes(), monkeypatch)


# --- generated trees ------------------------------------------------------------------------------

HEAD = """\
negosim: 1
id: gen-tree
title: A generated tree
players:
  - id: A
  - id: B
parameters:
  a: {value: 0.5, range: [0, 1], description: A parameter}
  c: {value: 0.25, range: [0, 1], description: Another}
derived:
  d: a * c + 1
"""

SHARED = ["a", "1 - a", "d - c", "0", "-1", "2.5", "a * c", "'max(a, c) / 2'", "a if a > c else c", "d ** 2"]


def tree_text(rng: random.Random, size: int) -> str:
    """A random game tree in the scenario format: decision and chance nodes, shared or own payoff formulas,
    information sets, labels and tie preferences, written in block or flow style at random."""
    nodes, outcomes = [], []
    queue, count, leaf = [("n0", 0)], 1, 0
    while queue:
        name, depth = queue.pop(0)
        width = rng.choice((2, 3))
        kids = []
        for _ in range(width):
            if count < size and rng.random() < 0.7:
                kid = f"n{count}"
                count += 1
                queue.append((kid, depth + 1))
            else:
                kid = f"o{leaf}"
                leaf += 1
                pay = [rng.choice(SHARED) if rng.random() < 0.5 else f"{rng.random():.4f} + a * {rng.random():.3f}"
                       for _ in range(2)]
                label = f", label: Outcome {leaf}" if rng.random() < 0.2 else ""
                outcomes.append(f"    {kid}: {{payoffs: {{A: {pay[0]}, B: {pay[1]}}}{label}}}\n")
            kids.append(kid)
        if rng.random() < 0.15:
            probs = ["1/2", "1/2"] if width == 2 else ["a / 2", "1/2", "(1 - a) / 2"]
            branches = ", ".join(f"b{i}: {{prob: {p}, next: {k}}}" for i, (p, k) in enumerate(zip(probs, kids)))
            nodes.append(f"    {name}:\n      chance: {{{branches}}}\n")
            continue
        body = f"    {name}:\n      player: {'AB'[depth % 2]}\n"
        if rng.random() < 0.5:
            body += "      actions: {" + ", ".join(f"m{i}: {k}" for i, k in enumerate(kids)) + "}\n"
        else:
            body += "      actions:\n" + "".join(f"        m{i}: {k}\n" for i, k in enumerate(kids))
        if rng.random() < 0.1:
            body += f"      infoset: i{depth}_{width}\n"
        if rng.random() < 0.1:
            body += "      prefer: [m1, m0]\n"
        if rng.random() < 0.1:
            body += f"      label: 'Node {name}'\n"
        nodes.append(body)
    return (HEAD + "game:\n  form: extensive\n  root: n0\n  nodes:\n" + "".join(nodes)
            + "  outcomes:\n" + "".join(outcomes))


BREAKS = ["", "x", ":", "- ", "  ", "\t", "{", "}", "[", "'", '"', "!!float 1", "&x 1", "*x", "<<: {}", "1/0",
          "a *", "nope", "n0", "o0", "player: C", "actions: {}", "prob: 2", "null", "1e999", "0x1F", "2001-01-01",
          "m0: n1", "payoffs: {A: 1}", "infoset: i1_2", "\u00e9", "1_000", "True"]


def broken(rng: random.Random, text: str) -> str:
    """`text` with one line broken: deleted, doubled, or a piece replaced or inserted."""
    lines = text.splitlines(keepends=True)
    i = rng.randrange(len(lines))
    how = rng.randrange(4)
    if how == 0:
        del lines[i]
    elif how == 1:
        lines.insert(i, lines[i])
    else:
        line = lines[i]
        at = rng.randrange(len(line))
        end = at + (rng.randrange(1, 6) if how == 2 else 0)
        lines[i] = line[:at] + rng.choice(BREAKS) + line[end:]
    return "".join(lines)


# Seeds rather than hypothesis' own randoms: a failing case shrinks in seconds, not minutes.
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, 2**32), st.integers(1, 40))
def test_generated_trees_load_the_same_both_ways(monkeypatch, seed, size):
    assert_same(tree_text(random.Random(seed), size).encode(), monkeypatch)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, 2**32), st.integers(1, 25))
def test_broken_trees_give_the_same_messages_both_ways(monkeypatch, seed, size):
    rng = random.Random(seed)
    assert_same(broken(rng, tree_text(rng, size)).encode(), monkeypatch)


def test_a_tab_inside_a_value_is_refused_with_its_line_as_before(monkeypatch):
    """libyaml reads `form: ex<TAB>tensive` as text; ruamel refuses the tab: the careful reader decides."""
    text = tree_text(random.Random(1), 3).replace("form: extensive", "form: ex\ttensive").encode()
    assert assert_same(text, monkeypatch) == ["s.yaml:13: invalid YAML: found character '\\t' that cannot "
                                              "start any token"]


def test_broken_trees_do_reach_every_stage(monkeypatch):
    """The mutations above are not all caught by the reader: some fail validation, some the baseline."""
    rng = random.Random(7)
    kinds = set()
    for _ in range(120):
        got = assert_same(broken(rng, tree_text(rng, 12)).encode(), monkeypatch)
        if isinstance(got, list):
            kinds.add("yaml" if any("YAML" in p or "duplicate key" in p for p in got) else "check")
        else:
            kinds.add("fine")
    assert kinds == {"yaml", "check", "fine"}


def test_baseline_problems_of_a_tree_that_fails_at_its_baseline(tmp_path, monkeypatch):
    """A tree whose payoff is not finite and whose chance probabilities do not sum to 1 at the baseline:
    both are reported, each at its line, as the formula-by-formula checks report them."""
    text = tree_text(random.Random(3), 6).replace("o0: {payoffs: {A: ", "o0: {payoffs: {A: 1 / (a - 0.5) + ")
    text += "    extra: {payoffs: {A: 0, B: 0}}\n"  # unused: a problem found by validation instead
    got = assert_same(text.encode(), monkeypatch)
    assert isinstance(got, list) and any("not used" in p for p in got)
    bad = tree_text(random.Random(3), 6).replace("o0: {payoffs: {A: ", "o0: {payoffs: {A: 1 / (a - 0.5) + ")
    got = assert_same(bad.encode(), monkeypatch)
    assert isinstance(got, list) and any("is not finite" in p and "s.yaml:" in p for p in got)


def test_a_shared_formula_is_the_formula_parsed_at_each_place(monkeypatch):
    trees = (fast(tree_text(random.Random(seed), 30).encode(), "s.yaml") for seed in range(100))
    scenario = next(s for s in trees if not isinstance(s, list))
    places = [f for o in scenario.game.outcomes for f in o.payoffs]
    sources = [f.source for f in places]
    assert len(set(sources)) < len(sources), "the tree repeats formulas"
    for f in places:
        again = parse_formula(f.source, ["a", "c", "d"], file=f.file, line=f.line, path=f.path)
        assert (f.source, f.names, f.file, f.line, f.path, f.constant) == \
               (again.source, again.names, again.file, again.line, again.path, again.constant)
        assert f.line is not None and f.path.startswith("game.outcomes.")


def test_numbers_equal_but_written_differently_are_not_one_formula(monkeypatch):
    """-0.0 == 0.0 and both hash alike, but they are two formulas: "0.0" and "-0.0"."""
    text = HEAD + """\
game:
  form: extensive
  root: n0
  nodes:
    n0: {player: A, actions: {m0: o0, m1: o1}}
  outcomes:
    o0: {payoffs: {A: 0.0, B: 1}}
    o1: {payoffs: {A: -0.0, B: 1}}
"""
    scenario = assert_same(text.encode(), monkeypatch)
    assert [o.payoffs[0].source for o in scenario.game.outcomes] == ["0.0", "-0.0"]


def test_the_cycle_collector_is_restored_even_when_loading_fails(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("negosim: 1\nid: [\n")
    assert gc.isenabled()
    with pytest.raises(NegosimInputError):
        load_scenario(bad)
    assert gc.isenabled()
    gc.disable()
    try:
        with pytest.raises(NegosimInputError):
            load_scenario(bad)
        assert not gc.isenabled(), "a collector the caller switched off stays off"
    finally:
        gc.enable()


# --- formulas: the constant test that compile_tree asks at every node -----------------------------

def uses_no_names_as_it_was(node) -> bool:
    """The former definition: no Name in the subtree other than a called function's."""
    import ast

    functions = {id(n.func) for n in ast.walk(node) if isinstance(n, ast.Call)}
    return not any(isinstance(n, ast.Name) and id(n) not in functions for n in ast.walk(node))


FORMULA = st.recursive(
    st.sampled_from(["a", "c", "2", "0.5", "1e3", "-1"]),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "**", "<", ">=", "==", "and", "or"]), inner)
        .map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        inner.map(lambda x: f"-({x})"),
        inner.map(lambda x: f"(not {x})"),
        st.tuples(st.sampled_from(["min", "max"]), inner, inner).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
        st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
        st.tuples(inner, inner, inner).map(lambda t: f"where({t[0]}, {t[1]}, {t[2]})"),
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(FORMULA)
def test_the_constant_test_matches_its_former_definition_at_every_node(text):
    import ast

    from negosim.expr.evaluate import _uses_no_names

    for node in ast.walk(ast.parse(text, mode="eval").body):
        if isinstance(node, ast.expr):
            assert _uses_no_names(node) == uses_no_names_as_it_was(node)
