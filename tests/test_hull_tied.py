"""`hull.tied_pure_reply`: games `hull_equilibria` hands to the subset enumeration without trying `one_game`.

The skip is sound only if `one_game(redo=True)` would have been unsettled on every such game (then
`hull_equilibria` redoes it by subsets and uses nothing of the hull's attempt): checked on random degenerate
games (small integer payoffs: many tied replies), with and without the compiled walk, and the answers of
`hull_equilibria` with and without the skip compared bit for bit, on those games, on the private-cost
ceasefire's Bayesian 4 x 16 games (every one of which is skipped) and against pygambit's enummixed.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negosim.game.reduce import reduced_normal_form
from negosim.scenario import load_scenario
from negosim.solve import hull
from negosim.solve.hull import hull_equilibria, one_game, tied_pure_reply
from negosim.solve.verify import flat_payoffs
from tests.switch_helpers import with_and_without
from tests.test_hull import gambit_rows, same_sets

FIELDS = ("point", "x", "y", "exact_rows", "degenerate", "incomplete", "too_fine", "unresolved")


def _both(pay: np.ndarray, monkeypatch):
    """`hull_equilibria` with the speed-up (hull.SKIP_TIED) and without it, and what hull.SKIPPED counted."""
    return with_and_without(hull_equilibria, pay, hull, "SKIP_TIED", hull.SKIPPED, monkeypatch)


def _identical(a, b) -> bool:
    return all(np.asarray(getattr(a, f)).tobytes() == np.asarray(getattr(b, f)).tobytes()
               and np.shape(getattr(a, f)) == np.shape(getattr(b, f)) for f in FIELDS)


def _games(seed: int, points: int, m: int, n: int, top: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, top + 1, size=(points, 2, m, n)).astype(float)


@pytest.mark.parametrize("native", ["1", "0"])
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(m=st.integers(2, 6), n=st.integers(2, 6), top=st.integers(1, 3), seed=st.integers(0, 2**32 - 1))
def test_a_game_with_a_tied_pure_reply_is_unsettled_by_the_hull(native, m, n, top, seed, monkeypatch):
    monkeypatch.setenv("NEGOSIM_NATIVE", native)
    pay = _games(seed, 1, m, n, top)
    if not tied_pure_reply(pay[0]):
        return
    assert one_game(pay, 1e-9, walk=True, redo=True).unsettled
    assert one_game(pay, 1e-9, walk=True).unsettled  # the full attempt too, not only the early stop


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(m=st.integers(2, 5), n=st.integers(2, 6), points=st.integers(1, 4), top=st.integers(1, 4),
       seed=st.integers(0, 2**32 - 1))
def test_random_batches_bit_for_bit_with_and_without_the_skip(m, n, points, top, seed, monkeypatch):
    pay = _games(seed, points, m, n, top)
    fast, plain, skipped = _both(pay, monkeypatch)
    assert _identical(fast, plain)
    assert skipped == sum(tied_pure_reply(g) for g in pay)


def test_a_tied_reply_is_found_on_the_enumerated_side_only():
    # n > m: `one_game` enumerates the row player's polytope, whose vertices carry the column player's
    # replies to each row (pay[1]'s rows); the row player's tied replies to column 0 are not looked at
    A = np.array([[3.0, 1.0, 0.0], [3.0, 2.0, 1.0]])
    assert not tied_pure_reply(np.stack([A, np.array([[1.0, 0.0, 2.0], [2.0, 0.0, 1.0]])]))
    assert tied_pure_reply(np.stack([A, np.array([[1.0, 0.0, 1.0], [2.0, 0.0, 1.0]])]))  # row 0: columns 0, 2
    # m == n: the column player's polytope is enumerated, the row player's replies to each column count
    assert tied_pure_reply(np.array([[[1.0, 0.0], [1.0, 2.0]], [[0.0, 1.0], [1.0, 0.0]]]))


def _ceasefire_games(cbar: np.ndarray) -> np.ndarray:
    scenario = load_scenario("scenarios/ceasefire_private_cost.yaml")
    return flat_payoffs(reduced_normal_form(scenario.build({"cbar": cbar})))


def test_every_bayesian_ceasefire_game_is_skipped_with_the_same_answer(monkeypatch):
    pay = _ceasefire_games(np.linspace(0.01, 1.0, 5))
    fast, plain, skipped = _both(pay, monkeypatch)
    assert skipped == len(pay)
    assert _identical(fast, plain)
    assert fast.degenerate.all()


@pytest.mark.oracle
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(m=st.integers(2, 4), n=st.integers(2, 5), seed=st.integers(0, 2**32 - 1))
def test_skipped_games_agree_with_gambits_enummixed(pygambit, m, n, seed):
    A, B = _games(seed, 1, m, n, 2)[0]
    if not tied_pure_reply(np.stack([A, B])):
        return
    r = hull_equilibria(np.stack([A, B])[None], 1e-9)
    assert same_sets(np.concatenate([r.x, r.y], axis=1), gambit_rows(pygambit, A, B, rational=True))
