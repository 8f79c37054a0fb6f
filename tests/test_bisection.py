"""Look-ahead bisection (`negosim.sweep.bisection`) gives plain bisection's answer bit for bit, in fewer
solves: against a copy of the one-step-per-solve code it replaced, on synthetic step functions, on
every shipped scenario's nearest boundaries and grid boundaries, and on random trees."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scenario_lists import ALL

from negosim.game.normal import NormalFormGame
from negosim.scenario import load_scenario
from negosim.scenario.validate import scenario_from_document
from negosim.scenario.yamlio import parse_yaml
from negosim.solve.spe import subgame_perfect
from negosim.sweep import bisection, boundaries, boundary_flags, engine
from negosim.sweep.bisection import bisect_brackets
from negosim.sweep.boundaries import outcome_labels


# --- the code look-ahead bisection replaced, kept as the oracle ---------------------------------
def plain_bisect(labels_at, lo, hi, at_lo, at_hi, tol, max_iter):
    """One batched labelling per step (the code before look-ahead, verbatim but for the call)."""
    lo, hi, at_hi = lo.astype(float).copy(), hi.astype(float).copy(), at_hi.copy()
    steps = 0
    for _ in range(max_iter):
        open_ = hi - lo > tol
        if not open_.any():
            break
        idx = np.flatnonzero(open_)
        mid = (lo[idx] + hi[idx]) / 2
        lab = labels_at(idx, mid)
        steps += 1
        same = lab == at_lo[idx]
        lo[idx[same]] = mid[same]
        hi[idx[~same]] = mid[~same]
        at_hi[idx[~same]] = lab[~same]
    return lo, hi, at_hi, steps


def old_bisect(scenario, base, names, lo, hi, at_lo, at_hi, tol, max_iter, labels_at=None, max_points=None):
    label = labels_at or boundaries._labels_at
    lo, hi, at_hi, _ = plain_bisect(lambda idx, mid: label(scenario, base, names[idx], mid),
                                    lo, hi, at_lo, at_hi, tol, max_iter)
    return lo, hi, at_hi


def old_locate(scenario, parameter, lo, hi, base_params=None, *, tol=1e-9, max_iter=100, max_points=None):
    low, high = np.broadcast_arrays(np.atleast_1d(np.asarray(lo, float)), np.atleast_1d(np.asarray(hi, float)))
    names = np.full(low.shape, parameter, dtype=object)
    base = boundaries._base(scenario, base_params)
    at_lo = boundaries._labels_at(scenario, base, names, low)
    at_hi = boundaries._labels_at(scenario, base, names, high)
    same = at_lo == at_hi
    if same.any():
        i = int(np.flatnonzero(same)[0])
        raise ValueError(f"{parameter}: both ends of the bracket [{low[i]}, {high[i]}] have outcome {at_lo[i]!r}")
    low, high, _ = old_bisect(scenario, base, names, low, high, at_lo, at_hi, tol, max_iter)
    return [float(x) for x in (low + high) / 2]


def old_flags_and_sides(scenario, base, names, mid, left, right):
    """The flags, then the labels just past each side from a solve of their own, as before."""
    tied, chosen = old_flags(scenario, base, names, mid, left, right)
    sides = boundaries._labels_at(scenario, base, np.concatenate([names, names]), np.concatenate([left, right]))
    return tied, chosen, sides


def old_flags(scenario, base, names, mid, left, right):
    """tied_at_boundary and selection_at_boundary as they were: two builds, two solves."""
    n = len(mid)
    if getattr(scenario, "form", None) == "bargaining":
        return np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    game = scenario.build(boundaries._points(scenario, base, np.tile(names, 3), np.concatenate([mid, left, right])))
    m, l_, r = boundary_flags._near_best(game).reshape(3, n, -1)
    tied = (m & ~l_).any(axis=1) & (m & ~r).any(axis=1)
    game = scenario.build(boundaries._points(scenario, base, np.tile(names, 2), np.concatenate([left, right])))
    if isinstance(game, NormalFormGame):
        return tied, np.zeros(n, dtype=bool)
    sol = subgame_perfect(game)
    selected = np.zeros(game.batch_size, dtype=bool)
    selected[sol.point] = sol.extra["selected"]
    return tied, selected.reshape(2, n).any(axis=0)


@pytest.fixture
def old_code(monkeypatch):
    """Run the boundary code the way it was before look-ahead (a context: patch, call, undo)."""
    def use_old():
        monkeypatch.setattr(boundaries, "_bisect", old_bisect)
        monkeypatch.setattr(boundaries, "flags_and_sides", old_flags_and_sides)
        # the sweep engine imports both modules when a one-parameter sweep needs them, and calls through them
        monkeypatch.setattr(boundaries, "locate_boundaries", old_locate)
        monkeypatch.setattr(boundary_flags, "boundary_flags", old_flags)
    return use_old


# --- synthetic step functions ------------------------------------------------------------------
def step_labels(breaks: list[np.ndarray]):
    """labels_at for brackets whose label is the number of breakpoints at or below x, except exactly at a
    breakpoint, labelled "tie" (a one-point regime, as an indifference gives)."""
    def labels_at(which, values):
        out = np.empty(len(values), dtype=object)
        for k, (i, x) in enumerate(zip(which, values)):
            b = breaks[int(i)]
            out[k] = "tie" if np.any(b == x) else int(np.searchsorted(b, x, side="right"))
        return out
    return labels_at


@settings(max_examples=120, deadline=None)
@given(data=st.data(), n=st.integers(1, 6), tol=st.sampled_from([0.0, 1e-12, 1e-9, 1e-4, 0.3]),
       max_iter=st.integers(0, 70), max_points=st.integers(1, 3000))
def test_look_ahead_bisection_is_plain_bisection_bit_for_bit(data, n, tol, max_iter, max_points):
    floats = st.floats(-2, 2, allow_nan=False)
    lo = np.array(data.draw(st.lists(floats, min_size=n, max_size=n)))
    hi = lo + np.array(data.draw(st.lists(st.floats(1e-6, 3), min_size=n, max_size=n)))
    breaks = [np.sort(np.array(data.draw(st.lists(floats, max_size=5)))) for _ in range(n)]
    labels_at = step_labels(breaks)
    idx = np.arange(n)
    at_lo, at_hi = labels_at(idx, lo), labels_at(idx, hi)
    plo, phi, pat_hi, steps = plain_bisect(labels_at, lo, hi, at_lo, at_hi, tol, max_iter)
    out = bisect_brackets(labels_at, lo, hi, tol, max_iter, at_lo=at_lo, at_hi=at_hi, max_points=max_points)
    assert out.lo.tobytes() == plo.tobytes() and out.hi.tobytes() == phi.tobytes()
    assert out.at_hi.tolist() == pat_hi.tolist() and out.at_lo.tolist() == at_lo.tolist()
    assert out.solves <= max(steps, 1)
    # Without the ends' labels they come with the first solve, and the answer is the same.
    found = bisect_brackets(labels_at, lo, hi, tol, max_iter, max_points=max_points)
    assert found.at_lo.tolist() == at_lo.tolist()
    if (at_lo == at_hi).any():  # nothing to locate: the ends' labels come back for the caller to refuse
        assert found.at_hi.tolist() == at_hi.tolist() and found.solves == 1
    else:
        assert found.lo.tobytes() == plo.tobytes() and found.hi.tobytes() == phi.tobytes()
        assert found.at_hi.tolist() == pat_hi.tolist()


def test_look_ahead_takes_a_few_solves_where_plain_bisection_takes_thirty(monkeypatch):
    breaks = [np.array([0.1 * k + 0.0123]) for k in range(5)]
    lo, hi = np.arange(5) * 0.1, np.arange(5) * 0.1 + 0.1
    labels_at = step_labels(breaks)
    at_lo, at_hi = labels_at(np.arange(5), lo), labels_at(np.arange(5), hi)
    *_, steps = plain_bisect(labels_at, lo, hi, at_lo, at_hi, 1e-9, 100)
    out = bisect_brackets(labels_at, lo, hi, 1e-9, 100, at_lo=at_lo, at_hi=at_hi, max_points=1024)
    assert steps == 27 and out.solves <= 7
    # With room for 7 levels (5 x 127 points) and no cost to a point, it takes ceil(27 / 7) solves.
    monkeypatch.setattr(bisection, "BALANCE_POINTS", 1e12)
    fit = math.floor(math.log2(1024 / 5 + 1))
    out = bisect_brackets(labels_at, lo, hi, 1e-9, 100, at_lo=at_lo, at_hi=at_hi, max_points=1024)
    assert fit == 7 and out.solves == math.ceil(steps / fit) == 4
    np.testing.assert_allclose((out.lo + out.hi) / 2, [b[0] for b in breaks], atol=1e-9)


def test_a_bound_of_one_point_per_bracket_is_plain_bisection_solve_for_solve():
    breaks = [np.array([0.25]), np.array([0.6])]
    lo, hi = np.zeros(2), np.ones(2)
    labels_at = step_labels(breaks)
    at_lo, at_hi = labels_at(np.arange(2), lo), labels_at(np.arange(2), hi)
    *_, steps = plain_bisect(labels_at, lo, hi, at_lo, at_hi, 1e-9, 100)
    assert bisect_brackets(labels_at, lo, hi, 1e-9, 100, at_lo=at_lo, at_hi=at_hi, max_points=2).solves == steps


# --- shipped scenarios and random trees: old code against new -----------------------------------
@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_nearest_boundaries_of_every_shipped_scenario_are_what_plain_bisection_found(path, old_code):
    scenario = load_scenario(path)
    new = boundaries.nearest_boundaries(scenario, grid=41)
    old_code()
    old = boundaries.nearest_boundaries(scenario, grid=41)
    assert new == old  # Boundary equality: float values compared exactly


def grid_cases():
    """(scenario, parameter, overrides, grid size) of one-parameter sweeps with boundaries to find."""
    return [("ceasefire_2025", "mu", {}, 61), ("ceasefire_2025", "p", {"mu": 0.2, "s": 0.0}, 41),
            ("ceasefire_2025", "s", {"mu": 0.2}, 41), ("ceasefire_2025", "omega", {"mu": 0.15}, 41),
            ("sanctions_threat", None, {}, 41), ("sanctions_uncertain", None, {}, 41),
            ("entry_deterrence", "rep", {}, 9), ("prisoners_dilemma", "T", {}, 21),
            ("ceasefire_truce_repeated", None, {}, 41), ("ceasefire_bargaining", None, {}, 41),
            ("ultimatum", None, {}, 41), ("three_player", None, {}, 41)]


def grid_sweeps(name, parameter, overrides, num):
    scenario = load_scenario(f"scenarios/{name}.yaml")
    scenario = scenario.with_overrides(overrides) if overrides else scenario
    names = [parameter] if parameter else [p.name for p in scenario.parameters.values() if p.high > p.low]
    for param in names:
        p = scenario.parameters[param]
        values = np.linspace(p.low, p.high, num)
        yield scenario, param, values, outcome_labels(scenario, {param: values}).reshape(-1)


@pytest.mark.parametrize("case", grid_cases(), ids=lambda c: f"{c[0]}-{c[1]}")
def test_grid_boundaries_of_shipped_sweeps_are_what_plain_bisection_found(case, old_code, monkeypatch):
    found, changes = [], 0
    for scenario, param, values, labels in grid_sweeps(*case):
        found.append(engine.grid_boundaries(scenario, param, values, labels))
        changes += int((labels[1:] != labels[:-1]).sum())
    old_code()
    before = [engine.grid_boundaries(scenario, param, values, labels)
              for scenario, param, values, labels in grid_sweeps(*case)]
    assert found == before
    assert sum(map(len, found)) == changes


def random_tree_yaml(seed: int) -> str:
    """A random tree of 2 or 3 players over one parameter x: random branching, leaves paying linear
    functions of x (some constant, some equal to each other, so ties and flat subtrees occur)."""
    rng = np.random.default_rng(seed)
    players = ["A", "B", "C"][: int(rng.integers(2, 4))]
    nodes, leaves, level = [], [], ["n0"]
    for depth in range(int(rng.integers(2, 5))):
        nxt = []
        for name in level:
            if depth and rng.random() < 0.25:
                leaves.append(name)  # a leaf above the bottom level
                continue
            kids = [f"{name}_{i}" for i in range(int(rng.integers(2, 4)))]
            acts = ", ".join(f"m{i}: {c}" for i, c in enumerate(kids))
            nodes.append(f"    {name}: {{player: {players[depth % len(players)]}, actions: {{{acts}}}}}\n")
            nxt.extend(kids)
        level = nxt
    outcomes = []
    for name in leaves + level:
        pays = []
        for p in players:
            a, b = rng.integers(-4, 5) / 4, rng.integers(-8, 9) / 4
            pays.append(f"{p}: {a} + {b} * x" if rng.random() < 0.7 else f"{p}: {a}")
        outcomes.append(f"    {name}: {{payoffs: {{{', '.join(pays)}}}}}\n")
    roster = ", ".join("{id: " + p + "}" for p in players)
    head = (f"negosim: 1\nid: random-{seed}\ntitle: random\nplayers: [{roster}]\n"
            "parameters:\n  x: {value: 0.5, range: [0, 1], description: a level}\n"
            "game:\n  form: extensive\n  root: n0\n  nodes:\n")
    return head + "".join(nodes) + "  outcomes:\n" + "".join(outcomes)


#: Seeds of `random_tree_yaml` whose outcome changes over a 17-point grid of x in [0, 1].
CHANGING = [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 13, 14, 15, 17, 18, 19, 21, 22]


@pytest.mark.parametrize("seed", CHANGING)
def test_grid_boundaries_of_random_trees_are_what_plain_bisection_found(seed, old_code):
    scenario = scenario_from_document(parse_yaml(random_tree_yaml(seed).encode(), f"random-{seed}.yaml"))
    values = np.linspace(0, 1, 17)
    labels = outcome_labels(scenario, {"x": values}).reshape(-1)
    new = engine.grid_boundaries(scenario, "x", values, labels, max_points=int(seed) * 40 + 1)
    old_code()
    assert new == engine.grid_boundaries(scenario, "x", values, labels)
    assert len(new) == int((labels[1:] != labels[:-1]).sum()) >= 1


@pytest.mark.parametrize("bound", [1, 7, 40, 300])
def test_no_bisection_solve_of_a_sweep_holds_more_points_than_its_bound(bound, monkeypatch):
    # A sweep passes its chunk size: a big tree's bisection must not build more points than a chunk
    # (beyond one point per open bracket, which plain bisection needed too).
    scenario = scenario_from_document(parse_yaml(random_tree_yaml(5).encode(), "random-5.yaml"))
    values = np.linspace(0, 1, 33)
    labels = outcome_labels(scenario, {"x": values}).reshape(-1)
    brackets = int((labels[1:] != labels[:-1]).sum())
    sizes = []
    plain = boundaries._labels_at

    def recording(scenario, base, names, values):
        sizes.append(len(values))
        return plain(scenario, base, names, values)

    monkeypatch.setattr(boundaries, "_labels_at", recording)
    found = engine.grid_boundaries(scenario, "x", values, labels, max_points=bound)
    assert len(found) == brackets >= 2
    assert max(sizes[1:]) <= max(bound, brackets) and sizes[0] <= max(bound, 3 * brackets)
