"""Every "what would change" statement of `negosim explain` holds when the game is re-solved just past it.

The statements are rendered from `change_records`; each record is re-solved here through the ordinary front
door (`open_source` with `--set`-style overrides, then the pure-equilibrium or subgame-perfect solver), for every
shipped scenario and for seeded random normal forms and game trees with a parameter.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from scenario_lists import GAMES

from negosim.api import open_source, solve_source
from negosim.game.normal import NormalFormGame
from negosim.present.explain import explain
from negosim.present.explain.change_records import change_records
from negosim.present.text import fmt_number

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = GAMES  # scenario_lists.BARGAINING_SKIP: bargaining forms have no game
#: Re-solve this far past a threshold, relative to the parameter's range (ten times the records' own probe).
STEP = 1e-5


def label_of(path, overrides) -> str:
    """The outcome label as `negosim solve --set ...` finds it: the set of pure equilibria, or the SPE outcome."""
    src = open_source(str(path), overrides)
    if src.scenario is not None and src.scenario.form == "repeated":
        # a repeated game's label: the pure profiles grim trigger sustains, from the one-point analysis
        from negosim.scenario.repeated_analysis import analyze_repeated

        g = analyze_repeated(src.scenario).grim
        return " + ".join(p for p, ok in zip(g.profiles, g.sustainable("nash")) if ok) or "none sustainable"
    if isinstance(src.game, NormalFormGame):
        (sol,) = solve_source(src, ["pure"])
        eqs = sol.equilibria_at(0)
        if not eqs:
            return "mixed only"
        profiles = []
        for eq in eqs:
            acts = [max(s, key=s.get) for s in eq.strategies.values()]
            profiles.append(tuple(src.game.actions[i].index(a) for i, a in enumerate(acts)))
        return " + ".join("(" + ", ".join(src.game.actions[i][a] for i, a in enumerate(p)) + ")"
                          for p in sorted(profiles))
    (sol,) = solve_source(src, ["spe"])
    eq = sol.equilibria_at(0)[0]
    # several outcomes with positive probability: named in the scenario's order, as the regime labels are
    return eq.outcome if eq.outcome is not None else " + ".join(
        o.id for o in src.game.outcomes if o.id in eq.outcome_probs)


def spe_choices(path, overrides) -> dict[str, str]:
    """Node id -> the action the subgame-perfect equilibrium chooses there (where it picks one)."""
    src = open_source(str(path), overrides)
    (sol,) = solve_source(src, ["spe"])
    node = {n.id: n for n in src.game.nodes}
    return {k: node[k].actions[int(c[0])] for k, c in sol.extra["choice"].items() if int(c[0]) >= 0}


def spe_worth(path, overrides) -> dict[str, dict[str, float]]:
    """Node id -> action -> the mover's payoff of that action, play going on by the subgame-perfect equilibrium."""
    src = open_source(str(path), overrides)
    (sol,) = solve_source(src, ["spe"])
    tree = src.game
    return {n.id: {a: float(sol.extra["values"][tree.nodes[c].id][0, n.player]) for a, c in zip(n.actions, n.children)}
            for n in tree.nodes if n.children and n.player is not None and n.player >= 0}


def check_records(path) -> int:
    """Re-solve every record of `path` on both sides of its threshold; return how many were checked."""
    src = open_source(str(path))
    records = change_records(src)
    text = explain(src)
    section = text.split("What would change the")[1]
    assert not any(r.unsearched for r in records)  # the search never gives up on these games
    for r in records:
        p = src.scenario.parameters[r.parameter]
        assert p.low < r.threshold < p.high, r  # never a statement about values outside the declared range
        past = r.threshold + r.direction * STEP * (p.high - p.low)
        if not p.low <= past <= p.high:
            past = r.probe
        assert label_of(path, {r.parameter: past}) == r.after, (path.name, r)
        if r.only_at:
            assert r.after == r.before and f"at {fmt_number(r.threshold)} only, a tie" in " ".join(section.split())
            short = r.threshold - r.direction * STEP * (p.high - p.low)
            assert label_of(path, {r.parameter: short}) == r.before, (path.name, r)
            continue
        assert label_of(path, {r.parameter: r.now}) == r.before, (path.name, r)
        if abs(r.threshold - r.now) > 2 * STEP * (p.high - p.low):
            before = r.threshold - r.direction * STEP * (p.high - p.low)
            assert label_of(path, {r.parameter: before}) == r.before, (path.name, r)
        if r.flips:
            old = spe_choices(path, {r.parameter: r.threshold - r.direction * STEP * (p.high - p.low)})
            new = spe_choices(path, {r.parameter: past})
            worth = spe_worth(path, {r.parameter: r.now})
            for f in r.flips:
                assert (old[f.node], new[f.node]) == (f.before, f.after), (path.name, r, f)
                assert np.allclose(f.now, (worth[f.node][f.before], worth[f.node][f.after]), atol=1e-9), (r, f)
        side = f"{'below' if r.direction < 0 else 'above'} {fmt_number(r.threshold)}"
        line = re.search(rf"{re.escape(r.parameter)} \(now [^)]*\):(.*?)(?=\n    \S|\n\n|\n*\Z)", section, re.S)
        assert line and side in " ".join(line.group(1).split()), (path.name, side)
    # the text makes no statement that has no record behind it
    said = re.findall(r"\b(below|above) (-?[0-9.e+-]+)", " ".join(section.split()))
    assert len(said) == len([r for r in records if not r.only_at]), (path.name, said, records)
    return len(records)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_change_statement_of_a_shipped_scenario_holds_just_past_its_threshold(path):
    check_records(path)


def test_chicken_below_c_1_leaves_only_straight_straight_as_solve_does():
    src = open_source(str(ROOT / "scenarios/chicken.yaml"))
    text = " ".join(explain(src).split())
    assert "C (now 10): below 1 the only pure Nash equilibrium is (straight, straight)." in text
    assert label_of(ROOT / "scenarios/chicken.yaml", {"C": 0.99}) == "(straight, straight)"
    assert "above 10" not in text  # L's range ends at 10: nothing is said about values beyond it


def test_battle_of_the_sexes_and_prisoners_dilemma_report_the_set_beyond_the_tie():
    bos = " ".join(explain(open_source(str(ROOT / "scenarios/battle_of_the_sexes.yaml"))).split())
    assert "miss (now 0): above 1 the only pure Nash equilibrium is (opera, football)." in bos
    pd = " ".join(explain(open_source(str(ROOT / "scenarios/prisoners_dilemma.yaml"))).split())
    assert "S (now 0): above 1 the pure Nash equilibria are (cooperate, defect) and (defect, cooperate)." in pd


def test_ceasefire_traces_the_chain_from_the_sanctions_decision_to_russias_counter():
    text = " ".join(explain(open_source(str(ROOT / "scenarios/ceasefire_2025.yaml"))).split())
    chain = ("the United States would hold rather than impose at us_sanction_final and us_sanction (now impose 0.085 > "
             "hold 0.065); so Russia would "
             "reject rather than accept at ru_final; so the United States would grant rather than refuse at "
             "us_counter; so Russia would counter rather than accept at ru, and the outcome becomes truce_frozen")
    assert f"k (now 0.03): above 0.05: {chain}" in text
    assert f"aS (now 0.05): below 0.03: {chain}" in text
    momentum = ("Russia would reject rather than accept at ru_final (now accept 0.545 > reject 0.49); so the United "
                "States would grant rather than "
                "refuse at us_counter; so Russia would counter rather than accept at ru")
    assert f"mu (now 0.05): above 0.105: {momentum}" in text
    assert f"s (now 0.06): below 0.005: {momentum}" in text


def test_ceasefire_records_name_the_sanctions_decision_as_the_direct_cause_of_the_k_change():
    src = open_source(str(ROOT / "scenarios/ceasefire_2025.yaml"))
    records = {(r.parameter, r.direction): r for r in change_records(src)}
    k = records["k", 1]
    assert [f.node for f in k.flips if f.direct] == ["us_sanction_final", "us_sanction"]
    assert k.flips[-1].node == "ru" and (k.flips[-1].before, k.flips[-1].after) == ("accept", "counter")


def test_a_change_at_a_single_value_is_stated_as_such_and_the_search_goes_on_past_it(tmp_path):
    # Column's payoff of `b` ties with `a` only at x = 3 (where (a, b) joins the equilibria); the pure
    # equilibrium set really changes only at x = 7.
    path = tmp_path / "point.yaml"
    path.write_text(SCENARIO.format(params=param(1), game="""\
  form: normal
  actions: {R: [a], C: [a, b, c]}
  payoffs:
    a: {a: [0, 2], b: [0, "2 - abs(x - 3)"], c: [0, "x - 5"]}
"""))
    point, r = change_records(open_source(str(path)))
    assert (point.only_at, point.threshold, point.after) == (True, 3.0, "(a, a)")
    assert (r.only_at, r.direction, r.threshold, r.after) == (False, 1, 7.0, "(a, c)")
    check_records(path)


def test_a_search_that_stops_after_its_bound_says_so_and_claims_nothing_past_it(tmp_path, monkeypatch):
    import negosim.present.explain.change_records as records

    monkeypatch.setattr(records, "MAX_HOPS", 1)
    path = tmp_path / "point.yaml"
    path.write_text(SCENARIO.format(params=param(1), game="""\
  form: normal
  actions: {R: [a], C: [a, b, c]}
  payoffs:
    a: {a: [0, 2], b: [0, "2 - abs(x - 3)"], c: [0, "x - 5"]}
"""))
    src = open_source(str(path))
    point, stop = change_records(src)
    assert point.only_at and stop.unsearched and stop.after == ""
    text = " ".join(explain(src).split())
    assert ("x (now 1): at 3 only, a tie changes the pure Nash equilibria (just past it they are as now); not "
            "searched past 7 (the search stopped after 1 value where only a tie changes the pure Nash equilibria).") \
        in text
    assert "No change anywhere" not in text


SCENARIO = """\
negosim: 1
id: random
title: A random game
players: [{{id: R}}, {{id: C}}]
parameters:
{params}
game:
{game}"""


def param(value: float) -> str:
    return f"  x: {{value: {value}, range: [0, 10], unit: payoff, description: The parameter.}}"


def coef(rng) -> str:
    a, b = int(rng.integers(-4, 5)), int(rng.integers(-2, 3))
    return f"{a} + {b} * x" if b else str(a)


def random_normal_form(rng, m: int, n: int) -> str:
    acts_r = [f"r{i}" for i in range(m)]
    acts_c = [f"c{j}" for j in range(n)]
    rows = []
    for a in acts_r:
        cells = ", ".join(f"{c}: [\"{coef(rng)}\", \"{coef(rng)}\"]" for c in acts_c)
        rows.append(f"    {a}: {{{cells}}}")
    return (f"  form: normal\n  actions: {{R: [{', '.join(acts_r)}], C: [{', '.join(acts_c)}]}}\n  payoffs:\n"
            + "\n".join(rows) + "\n")


def random_tree(rng, depth: int = 3) -> str:
    nodes, outcomes = [], []

    def grow(name: str, level: int) -> str:
        if level == depth or (level > 1 and rng.random() < 0.3):
            o = f"o{len(outcomes)}"
            outcomes.append(f"    {o}:\n      payoffs: {{R: {coef(rng)}, C: {coef(rng)}}}")
            return o
        player = "R" if level % 2 == 0 else "C"
        k = int(rng.integers(2, 4))
        kids = {f"a{j}": grow(f"{name}{j}", level + 1) for j in range(k)}
        actions = ", ".join(f"{a}: {c}" for a, c in kids.items())
        nodes.append(f"    {name}:\n      player: {player}\n      actions: {{{actions}}}")
        return name

    root = grow("n", 0)
    return (f"  form: extensive\n  root: {root}\n  nodes:\n" + "\n".join(nodes) + "\n  outcomes:\n"
            + "\n".join(outcomes) + "\n")


def normal_form_file(tmp_path, seed: int) -> Path:
    rng = np.random.default_rng(seed)
    m, n = (2, 2) if seed % 2 == 0 else (3, 3)
    base = round(float(rng.uniform(0.5, 9.5)), 3)  # not an integer, where the integer payoffs tie
    path = tmp_path / f"nf{seed}.yaml"
    path.write_text(SCENARIO.format(params=param(base), game=random_normal_form(rng, m, n)))
    return path


def tree_file(tmp_path, seed: int) -> Path:
    rng = np.random.default_rng(100 + seed)
    base = round(float(rng.uniform(0.5, 9.5)), 3)
    path = tmp_path / f"tree{seed}.yaml"
    path.write_text(SCENARIO.format(params=param(base), game=random_tree(rng)))
    return path


SEEDS = range(12)


@pytest.mark.parametrize("seed", SEEDS)
def test_change_statements_of_random_normal_forms_hold_just_past_each_threshold(tmp_path, seed):
    check_records(normal_form_file(tmp_path, seed))


@pytest.mark.parametrize("seed", SEEDS)
def test_change_statements_of_random_game_trees_hold_just_past_each_threshold(tmp_path, seed):
    check_records(tree_file(tmp_path, seed))


def test_the_random_games_do_produce_statements_and_chains_to_check(tmp_path):
    # Guard against generators that never cross a boundary (the tests above would then check nothing).
    normal = sum(len(change_records(open_source(str(normal_form_file(tmp_path, s))))) for s in SEEDS)
    trees = [r for s in SEEDS for r in change_records(open_source(str(tree_file(tmp_path, s))))]
    assert normal >= 6 and len(trees) >= 6
    assert sum(len(r.flips) > 1 for r in trees) >= 2  # some changes are caused by a deeper decision


def interior_leverage(point: dict[str, float]) -> tuple[float, float]:
    """The values of p for which every share in the ceasefire's formulas (the settlements X_aid, X_frozen and the
    war leverages w_war, w_frozen) lies in [0, 1] before clipping, the other parameters at `point`."""
    c = point["beta"] * (point["cR"] + point["cU"])
    offsets = [c - point["Delta"] - point["cR"], c - point["cR"], point["mu"], point["mu"] + point["theta"]]
    return max([0.0] + [-o for o in offsets]), min([1.0] + [1 - o for o in offsets])


def test_leverage_never_changes_the_ceasefire_outcome_while_every_share_is_inside_0_1():
    # The claim the lesson makes, with the condition it states: p shifts every outcome's payoff by the same
    # amount for each player (so it cancels from every decision) as long as no share is clipped at 0 or 1.
    from negosim.sweep.boundaries import outcome_labels

    scenario = open_source(str(ROOT / "scenarios/ceasefire_2025.yaml")).scenario
    rng = np.random.default_rng(7)
    checked = 0
    for _ in range(200):
        point = {n: rng.uniform(p.low, p.high) for n, p in scenario.parameters.items()}
        lo, hi = interior_leverage(point)
        if hi - lo < 0.02:
            continue
        params = {k: np.full(41, v) for k, v in point.items()}
        params["p"] = np.linspace(lo, hi, 41)
        assert len(set(outcome_labels(scenario, params))) == 1, point
        checked += 1
    assert checked > 100


def test_near_the_bounds_leverage_can_change_the_outcome_and_explain_says_where():
    src = open_source(str(ROOT / "scenarios/ceasefire_2025.yaml"), {"mu": 0.12})
    records = [r for r in change_records(src) if r.parameter == "p"]
    assert [(r.direction, r.after) for r in records] == [(-1, "truce_aid"), (1, "truce_aid")]
    lo, hi = interior_leverage(src.parameters)
    assert records[0].threshold < lo and records[1].threshold > hi  # only where a share is clipped
