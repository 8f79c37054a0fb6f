"""The tree solve of boundary bisection (`negosim.sweep.tree_points`) gives the labels and boundary flags
of ``Scenario.build`` then `subgame_perfect`, point by point: on random trees where only part of the
tree reads the varied parameter (directly, through a derived value, or not at all), where all of it
does, and where none does; with tie rules and payoffs on a coarse grid, so that ties (inside and
outside the parameter-free part) occur; and the sweep's boundaries are the same with and without it."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negosim.scenario import load_scenario
from negosim.scenario.validate import scenario_from_document
from negosim.scenario.yamlio import parse_yaml
from negosim.sweep import boundaries, boundary_flags, engine, tree_points
from negosim.sweep.boundaries import outcome_labels

#: Payoff nudges: none (exact ties), within the decision tolerance (1e-9 of the range: ties too), just
#: past it, within the boundary tie tolerance (1e-6) and past it.
NUDGES = [0.0, 0.0, 0.0, 1e-11, 1e-10, 2e-8, 3e-7, 3e-6, 6e-6, 1e-5]


def tree_yaml(seed: int, moving: float) -> str:
    """A random tree of 2 or 3 players: random branching, some leaves above the bottom level; a subtree
    under the root's action is parameter-free with probability 1 - `moving` (its leaves read only the
    held parameter y or constants), else its leaves read x directly or through the derived value d."""
    rng = np.random.default_rng(seed)
    players = ["A", "B", "C"][: int(rng.integers(2, 4))]
    nodes, leaves = [], []
    prefer = list(rng.permutation(["m0", "m1"])[: int(rng.integers(1, 3))])  # (the root has both)

    def grow(name: str, depth: int, live: bool) -> None:
        if depth and (depth >= 4 or rng.random() < 0.2):
            leaves.append((name, live))
            return
        kids = [f"{name}_{i}" for i in range(int(rng.integers(1 if depth else 2, 4)))]
        acts = ", ".join(f"m{i}: {c}" for i, c in enumerate(kids))
        nodes.append(f"    {name}: {{player: {players[depth % len(players)]}, actions: {{{acts}}}}}\n")
        for c in kids:
            grow(c, depth + 1, live if depth else bool(rng.random() < moving))

    grow("n0", 0, True)
    outcomes = []
    for name, live in leaves:
        pays = []
        for p in players:
            a, b = float(rng.integers(-4, 5) / 4 + rng.choice(NUDGES)), rng.integers(-8, 9) / 4
            term = ["x", "d", "y"][int(rng.integers(0, 3))] if live else "y"
            pays.append(f"{p}: {a!r} + {b} * {term}" if rng.random() < 0.7 else f"{p}: {a!r}")
        outcomes.append(f"    {name}: {{payoffs: {{{', '.join(pays)}}}}}\n")
    roster = ", ".join("{id: " + p + "}" for p in players)
    return (f"negosim: 1\nid: random-{seed}\ntitle: random\nplayers: [{roster}]\n"
            "parameters:\n  x: {value: 0.5, range: [0, 1], description: swept}\n"
            "  y: {value: 0.25, range: [0, 1], description: held}\n"
            "derived:\n  d: 2 * x - y\n"
            f"ties:\n  prefer: [{', '.join(prefer)}]\n"
            "game:\n  form: extensive\n  root: n0\n  nodes:\n" + "".join(nodes) + "  outcomes:\n" + "".join(outcomes))


def scenario(seed: int, moving: float):
    return scenario_from_document(parse_yaml(tree_yaml(seed, moving).encode(), f"random-{seed}.yaml"))


def params(sc, xs: np.ndarray, y: float = 0.25) -> dict:
    return {"x": np.asarray(xs, dtype=float), "y": np.asarray(y)}


def old_flags(sc, base, names, mid, left, right, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(boundary_flags, "point_flags", lambda *a: None)
        return boundary_flags.flags_and_sides(sc, base, names, mid, left, right)


xs_strategy = st.lists(st.sampled_from([0.0, 0.125, 0.25, 0.5, 0.75, 1.0]) | st.floats(0, 1), min_size=1,
                       max_size=40)


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 10**6), moving=st.sampled_from([0.0, 0.3, 0.6, 1.0]), xs=xs_strategy,
       y=st.sampled_from([0.25, 0.0, 1.0]))
def test_labels_are_those_of_build_then_subgame_perfect(seed, moving, xs, y):
    sc = scenario(seed, moving)
    p = params(sc, xs, y)
    old = outcome_labels(sc, p).reshape(-1).tolist()
    fast = tree_points.point_labels(sc, p)  # None: a parameter-free tie changes with the points
    assert fast is None or fast.tolist() == old
    assert boundaries._labels_at(sc, {**sc.values(), "y": y}, np.full(len(xs), "x", dtype=object), xs).tolist() == old


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 10**6), moving=st.sampled_from([0.0, 0.3, 0.6, 1.0]), data=st.data())
def test_boundary_flags_are_those_of_build_then_subgame_perfect(seed, moving, data):
    sc = scenario(seed, moving)
    mid = np.array(data.draw(st.lists(st.sampled_from([0.0, 0.25, 0.375, 0.5, 1.0]) | st.floats(0, 1),
                                      min_size=1, max_size=6)))
    step = data.draw(st.sampled_from([1e-4, 0.125, 0.5]))
    left, right = np.maximum(mid - step, 0.0), np.minimum(mid + step, 1.0)
    base = sc.values()
    names = np.full(len(mid), "x", dtype=object)
    p = boundaries._points(sc, base, np.tile(names, 3), np.concatenate([mid, left, right]))
    fast = tree_points.point_flags(sc, p, len(mid))  # None: a parameter-free near tie changes with the points
    with pytest.MonkeyPatch.context() as m:
        m.setattr(boundary_flags, "point_flags", lambda *a: None)
        old = [x.tolist() for x in boundary_flags.flags_and_sides(sc, base, names, mid, left, right)]
        old_pair = [x.tolist() for x in boundary_flags.boundary_flags(sc, base, names, mid, left, right)]
    assert fast is None or [x.tolist() for x in fast] == old
    assert [x.tolist() for x in boundary_flags.flags_and_sides(sc, base, names, mid, left, right)] == old
    assert [x.tolist() for x in boundary_flags.boundary_flags(sc, base, names, mid, left, right)] == old_pair


def test_the_tree_solve_answers_for_nearly_every_random_tree():
    # (so that the comparisons above compare it, not the usual path with itself)
    answered = []
    for seed in range(40):
        for moving in (0.0, 0.3, 0.6, 1.0):
            sc = scenario(seed, moving)
            xs = np.linspace(0, 1, 9)
            answered.append(tree_points.point_labels(sc, params(sc, xs)) is not None)
            names = np.full(3, "x", dtype=object)
            p = boundaries._points(sc, sc.values(), np.tile(names, 3), np.linspace(0, 1, 9))
            answered.append(tree_points.point_flags(sc, p, 3) is not None)
    assert np.mean(answered) > 0.9


#: (share of the tree that moves, seeds of `tree_yaml` whose outcome changes over a 17-point grid of x)
CHANGING = [(0.3, [20, 22, 26, 27, 39, 41, 42, 43]), (0.6, [6, 8, 9, 15, 17, 19, 20, 26]),
            (1.0, [2, 4, 6, 7, 8, 9, 11, 14])]


@pytest.mark.parametrize("moving, seed", [(m, s) for m, seeds in CHANGING for s in seeds])
def test_grid_boundaries_are_the_same_with_and_without_the_tree_solve(seed, moving, monkeypatch):
    sc = scenario(seed, moving)
    values = np.linspace(0, 1, 17)
    labels = outcome_labels(sc, {"x": values}).reshape(-1)
    new = engine.grid_boundaries(sc, "x", values, labels, max_points=seed % 7 * 40 + 1)
    assert len(new) == int((labels[1:] != labels[:-1]).sum()) >= 1
    monkeypatch.setattr(tree_points, "prepared", lambda *a: None)
    assert new == engine.grid_boundaries(sc, "x", values, labels, max_points=seed % 7 * 40 + 1)


def test_shipped_trees_nearest_boundaries_are_the_same_with_and_without_the_tree_solve(monkeypatch):
    for name in ("ceasefire_2025", "entry_deterrence", "sanctions_threat"):
        sc = load_scenario(f"scenarios/{name}.yaml")
        first = next(iter(sc.parameters))
        assert tree_points.prepared(sc, {**sc.values(), first: np.array([sc.values()[first]])}) is not None
        new = boundaries.nearest_boundaries(sc, grid=41)
        with monkeypatch.context() as m:
            m.setattr(tree_points, "prepared", lambda *a: None)
            assert new == boundaries.nearest_boundaries(sc, grid=41)


NEAR_TIE = """negosim: 1
id: near-tie
title: near tie
players: [{id: A}, {id: B}]
parameters:
  x: {value: 0.5, range: [0, 10], description: swept}
game:
  form: extensive
  root: r
  nodes:
    r: {player: A, actions: {m0: l0, m1: l1, m2: s}}
    s: {player: B, actions: {k0: s0, k1: s1}}
  outcomes:
    l0: {payoffs: {A: x, B: 0}}
    l1: {payoffs: {A: 0.5, B: 0}}
    s0: {payoffs: {A: -10 * GAP_A, B: 0}}
    s1: {payoffs: {A: 0, B: -GAP_B}}
"""


def near_tie(gap_a: float = 0.0, gap_b: float = 0.0):
    text = NEAR_TIE.replace("GAP_A", repr(gap_a)).replace("GAP_B", repr(gap_b))
    return scenario_from_document(parse_yaml(text.encode(), "near-tie.yaml"))


@pytest.mark.parametrize("offset, tied", [(2.5e-7, True), (7.5e-7, False)])
def test_a_near_tie_at_the_boundary_counts_within_the_tie_tolerance_only(offset, tied, monkeypatch):
    # At x = 0.5 every payoff lies in [-0, 0.5]: the tie tolerance is 1e-6 * 0.5. A's actions m0 (x) and
    # m1 (0.5) are near-best together at 0.5 - offset only for an offset below 5e-7; just left of it m1 alone
    # is, just right of it m0 alone.
    sc = near_tie()
    mid = np.array([0.5 - offset])
    names = np.array(["x"], dtype=object)
    fast = boundary_flags.flags_and_sides(sc, sc.values(), names, mid, mid - 1e-4, mid + 1e-4)
    assert fast[0].tolist() == [tied] and [str(s) for s in fast[2]] == ["l1", "l0"]
    monkeypatch.setattr(boundary_flags, "point_flags", lambda *a: None)
    old = boundary_flags.flags_and_sides(sc, sc.values(), names, mid, mid - 1e-4, mid + 1e-4)
    assert [x.tolist() for x in fast] == [x.tolist() for x in old]


def test_a_parameter_free_subtree_whose_ties_change_with_the_tolerance_goes_the_usual_way(monkeypatch):
    # B's choice at s is parameter-free, but its actions differ by 3e-9: tied where the decision tolerance
    # (1e-9 times the payoff range: 0.5 at x = 0, 5 at x = 5) passes 3e-9, not tied below. Solved at points
    # on one side only, the subtree is a constant; across, its ties differ from point to point.
    sc = near_tie(gap_b=3e-9)
    assert tree_points.point_labels(sc, {"x": np.array([0.0, 0.25])}) is not None
    assert tree_points.point_labels(sc, {"x": np.array([0.0, 1.0, 5.0])}) is None  # the usual path decides
    # The same at the boundary tie tolerance (1e-6 times the payoff scale: 5e-7 at x = 0, 5e-6 at x = 5).
    sc = near_tie(gap_b=3e-6)
    names = np.array(["x"], dtype=object)
    one_side = boundaries._points(sc, sc.values(), np.tile(names, 3), np.array([0.0, 0.1, 0.2]))
    across = boundaries._points(sc, sc.values(), np.tile(names, 3), np.array([0.0, 0.1, 5.0]))
    assert tree_points.point_flags(sc, one_side, 1) is not None
    assert tree_points.point_flags(sc, across, 1) is None
    fast = boundary_flags.flags_and_sides(sc, sc.values(), names, np.array([0.0]), np.array([0.1]), np.array([5.0]))
    monkeypatch.setattr(boundary_flags, "point_flags", lambda *a: None)
    old = boundary_flags.flags_and_sides(sc, sc.values(), names, np.array([0.0]), np.array([0.1]), np.array([5.0]))
    assert [x.tolist() for x in fast] == [x.tolist() for x in old]


@pytest.mark.parametrize("case", ["seed", "random"])
def test_a_sweeps_files_are_the_same_with_and_without_the_tree_solve(case, tmp_path, monkeypatch):
    from negosim.sweep.engine import run_sweep

    if case == "seed":
        sc, vary = load_scenario("scenarios/ceasefire_2025.yaml"), {"mu": (0.0, 0.3, 61)}
    else:
        sc, vary = scenario(9, 0.6), {"x": (0.0, 1.0, 33)}
    first = run_sweep(sc, vary, out_dir=tmp_path / "new")
    monkeypatch.setattr(tree_points, "prepared", lambda *a: None)
    second = run_sweep(sc, vary, out_dir=tmp_path / "usual")
    assert first.boundaries == second.boundaries and len(first.boundaries) >= 1
    for f in sorted((tmp_path / "new").rglob("*")):
        if f.is_file() and f.name != "manifest.json":  # (the manifest records the folder and the wall time)
            assert f.read_bytes() == (tmp_path / "usual" / f.relative_to(tmp_path / "new")).read_bytes(), f.name
