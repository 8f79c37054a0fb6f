"""`negosim.solve.covered`: the subset enumeration with the rational work whose answer is known left out.

Its answers are compared with the plain path (`covered.ENABLED = False`, `confirm.settle` on every
undecided candidate) bit for bit, on random degenerate games (small integer payoffs: many ties) and on
the private-cost ceasefire's Bayesian 4 x 16 games, and with pygambit's enummixed as the oracle. The
work counters (`covered.LEFT_OUT`, `hull.STOPPED_EARLY`, `hull.SKIPPED`) guard the speed of `negosim explain` on that
scenario by counts, not times.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negosim.game.reduce import reduced_normal_form
from negosim.scenario import load_scenario
from negosim.solve import confirm, covered, hull
from negosim.solve.hull import hull_equilibria
from negosim.solve.verify import flat_payoffs
from negosim.solve.vertex import _extreme_equilibria
from tests.switch_helpers import with_and_without
from tests.test_hull import gambit_rows, same_sets

FIELDS = ("point", "x", "y", "exact_rows", "degenerate", "incomplete", "too_fine")


def _both(pay: np.ndarray, monkeypatch):
    """`_extreme_equilibria` with the speed-up (covered.ENABLED) and without it, and what covered.LEFT_OUT counted."""
    return with_and_without(_extreme_equilibria, pay, covered, "ENABLED", covered.LEFT_OUT, monkeypatch)


def _identical(a, b) -> bool:
    return all(np.array_equal(getattr(a, f), getattr(b, f)) for f in FIELDS)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(m=st.integers(2, 4), n=st.integers(2, 5), points=st.integers(1, 4), top=st.integers(1, 3),
       seed=st.integers(0, 2**32 - 1))
def test_random_degenerate_batches_bit_for_bit_as_the_plain_path(m, n, points, top, seed, monkeypatch):
    pay = np.random.default_rng(seed).integers(0, top + 1, size=(points, 2, m, n)).astype(float)
    fast, plain, _ = _both(pay, monkeypatch)
    assert _identical(fast, plain)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(m=st.integers(2, 5), n=st.integers(2, 6), top=st.integers(1, 4), seed=st.integers(0, 2**32 - 1))
def test_the_hull_gives_up_early_exactly_where_its_full_answer_is_unsettled(m, n, top, seed):
    """`hull_equilibria` uses nothing of `one_game(redo=True)` but `unsettled` (the subsets redo the game)."""
    pay = np.random.default_rng(seed).integers(0, top + 1, size=(1, 2, m, n)).astype(float)
    full = hull.one_game(pay, 1e-9, walk=False)
    early = hull.one_game(pay, 1e-9, walk=False, redo=True)
    assert early.unsettled == full.unsettled
    if not full.unsettled:  # a settled answer is returned whole
        assert np.array_equal(early.x, full.x) and np.array_equal(early.y, full.y)
        assert early.degenerate == full.degenerate


def test_a_degenerate_game_leaves_systems_out_and_keeps_the_answer(monkeypatch):
    # duplicated columns of the column player's payoffs on the first rows: P has a vertex with many labels
    A = np.array([[3.0, 3, 1, 1, 0], [2, 0, 2, 0, 1], [0, 1, 0, 3, 2]])
    B = np.array([[1.0, 1, 1, 1, 0], [1, 1, 0, 0, 2], [0, 2, 1, 3, 1]])
    fast, plain, left_out = _both(np.stack([A, B])[None], monkeypatch)
    assert left_out > 0
    assert _identical(fast, plain)
    assert fast.degenerate.all()


def _ceasefire_games(cbar: np.ndarray) -> np.ndarray:
    """The private-cost ceasefire's 4 x 16 strategic form at values of cbar, flat (P, 2, 4, 16)."""
    scenario = load_scenario("scenarios/ceasefire_private_cost.yaml")
    nf = reduced_normal_form(scenario.build({"cbar": cbar}))
    return flat_payoffs(nf)


def test_bayesian_ceasefire_games_as_the_plain_path(monkeypatch):
    pay = _ceasefire_games(np.linspace(0.01, 1.0, 6))
    assert pay.shape[1:] == (2, 4, 16)
    fast, plain, left_out = _both(pay, monkeypatch)
    assert _identical(fast, plain)
    assert fast.degenerate.all() and left_out > 0


def test_work_per_ceasefire_game_does_not_regress(monkeypatch):
    """Counts of the work `negosim explain` does per game of the private-cost ceasefire's scan: the hull
    stops at its first degenerate vertex, and the covering leaves out a share of the rational systems."""
    pay = _ceasefire_games(np.linspace(0.05, 0.95, 8))
    solved = [0]
    plain_exact = confirm._exact_vertices

    def counted(budget, exact_matrix, q, K, T, width):
        solved[0] += len(q)
        return plain_exact(budget, exact_matrix, q, K, T, width)

    monkeypatch.setattr(confirm, "_exact_vertices", counted)
    covered.LEFT_OUT[0] = 0
    hull.STOPPED_EARLY[0] = 0
    hull.SKIPPED[0] = 0
    r = hull_equilibria(pay, 1e-9)
    assert r.degenerate.all()
    # every game: the hull was not tried (a pure strategy's replies tie) or gave up at once; the subsets answered
    assert hull.SKIPPED[0] + hull.STOPPED_EARLY[0] == len(pay)
    per_game = solved[0] / len(pay)
    print(f"per game: {per_game:.0f} rational systems solved, {covered.LEFT_OUT[0] / len(pay):.0f} left out")
    assert covered.LEFT_OUT[0] / len(pay) >= 500  # measured 2026-12-03: 629 per game
    assert per_game <= 1_500  # measured 2026-12-03: 1,373 (the plain path: 1,985)


@pytest.mark.oracle
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(m=st.integers(2, 4), n=st.integers(2, 4), seed=st.integers(0, 2**32 - 1))
def test_degenerate_games_agree_with_gambits_enummixed(pygambit, m, n, seed):
    A, B = np.random.default_rng(seed).integers(0, 3, size=(2, m, n)).astype(float)
    r = _extreme_equilibria(np.stack([A, B])[None], 1e-9)
    assert same_sets(np.concatenate([r.x, r.y], axis=1), gambit_rows(pygambit, A, B, rational=True))
