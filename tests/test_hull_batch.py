"""The one-pass path of the per-game hull enumeration (`negosim.solve.hull_batch`) gives today's answers.

`hull.one_game` answers a nondegenerate game decided in floating point with `hull_batch.simple_game`
and everything else with its per-size path. These tests hold the new code to the old numbers:

- `polytope.paired_candidates` (the vectorised per-size solver) is bit for bit
  ``polytope.candidates(..., pairs=...)`` (the code the per-size path used before), also on a subset
  of the rows (which `hull` now takes from the first pass instead of solving again);
- `one_game` equals `one_game` with the one-pass path switched off, bit for bit (equilibria, exact
  rows, degenerate, unsettled, exhausted, the reasons), on random, integer (ties), duplicated-row,
  lopsided and 2**+-900-scaled games;
- the equilibria agree with QuantEcon's vertex enumeration on random games 7x7 to 10x10 and with
  pygambit's rational enummixed on small ones solved by the hull path.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negosim.game.normal import NormalFormGame
from negosim.solve import hull
from negosim.solve.hull import _pairs, _rows, one_game, proposals
from negosim.solve.mixed import nash_equilibria
from negosim.solve.polytope import candidates, paired_candidates, rescaled
from negosim.solve.vertex import _extreme_equilibria, uses_hull

ATOL = 1e-6
FIELDS = ("cond", "state", "tolerant", "loose")


def draw(rng: np.random.Generator, m: int, n: int, kind: str) -> np.ndarray:
    """Flat payoffs (1, 2, m, n) of one game of a kind."""
    if kind == "normal":
        return rng.standard_normal((1, 2, m, n))
    if kind == "integer":  # ties: usually degenerate
        return rng.integers(-2, 3, (1, 2, m, n)).astype(float)
    if kind == "duplicated row":
        pay = rng.standard_normal((1, 2, m, n))
        pay[0, :, -1] = pay[0, :, 0]
        return pay
    if kind == "huge":
        return rng.standard_normal((1, 2, m, n)) * 2.0 ** 900
    if kind == "tiny":
        return rng.standard_normal((1, 2, m, n)) * 2.0 ** -900
    raise ValueError(kind)


KINDS = ("normal", "integer", "duplicated row", "huge", "tiny")


def per_size_path(pay: np.ndarray, monkeypatch: pytest.MonkeyPatch) -> hull.Outcome:
    """`one_game` with the one-pass path switched off (the per-size path, as before)."""
    with monkeypatch.context() as mp:
        mp.setattr(hull, "simple_game", lambda *args: None)
        mp.setenv("NEGOSIM_NATIVE", "0")  # nor the compiled walk (tests/test_hull_native.py)
        return one_game(pay, 1e-9)


def assert_same_outcome(a: hull.Outcome, b: hull.Outcome) -> None:
    assert (a.degenerate, a.unsettled, a.exhausted, a.why) == (b.degenerate, b.unsettled, b.exhausted, b.why)
    oa = np.lexsort(np.concatenate([a.x, a.y], axis=1).T[::-1])
    ob = np.lexsort(np.concatenate([b.x, b.y], axis=1).T[::-1])
    assert np.array_equal(a.x[oa], b.x[ob]) and np.array_equal(a.y[oa], b.y[ob])
    assert np.array_equal(a.exact[oa], b.exact[ob])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), m=st.integers(2, 9), n=st.integers(2, 9), kind=st.sampled_from(KINDS))
def test_paired_candidates_are_bit_for_bit_the_generic_ones(seed, m, n, kind):
    pay = draw(np.random.default_rng(seed), m, n, kind)
    A, _, th_A, _ = rescaled(pay, 1e-9)
    C = np.swapaxes(A, 1, 2)
    labels = proposals(C[0])
    assert labels is not None
    for k, Ks, Ts in _pairs(labels, C.shape[1]):
        old = candidates(C, k, th_A, pairs=(Ks, Ts))
        new = paired_candidates(C, k, th_A, Ks, Ts)
        for f in FIELDS:
            assert getattr(old, f).dtype == getattr(new, f).dtype
            assert np.array_equal(getattr(old, f), getattr(new, f), equal_nan=True), f
        assert all(np.array_equal(x, y, equal_nan=True) for x, y in zip(old.z, new.z))
        # a subset of the rows, as `hull` reuses them, is what solving that subset alone gives
        at = np.arange(0, len(Ks), 2)
        alone, reused = candidates(C, k, th_A, pairs=(Ks[at], Ts[at])), _rows(new, at)
        for f in FIELDS:
            assert np.array_equal(getattr(alone, f), getattr(reused, f), equal_nan=True), f
        assert all(np.array_equal(x, y, equal_nan=True) for x, y in zip(alone.z, reused.z))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), m=st.integers(2, 10), n=st.integers(2, 10), kind=st.sampled_from(KINDS))
def test_one_pass_path_gives_the_per_size_paths_answer(seed, m, n, kind, monkeypatch):
    pay = draw(np.random.default_rng(seed), m, n, kind)
    assert_same_outcome(one_game(pay, 1e-9), per_size_path(pay, monkeypatch))


@pytest.mark.parametrize("shape", [(11, 11), (12, 12), (12, 9), (40, 3), (3, 40), (200, 3)])
@pytest.mark.parametrize("kind", ["normal", "huge", "duplicated row"])
def test_one_pass_path_on_larger_and_lopsided_games(shape, kind, monkeypatch):
    pay = draw(np.random.default_rng(sum(shape)), *shape, kind)
    assert_same_outcome(one_game(pay, 1e-9), per_size_path(pay, monkeypatch))


def test_the_one_pass_path_answers_random_games_and_leaves_degenerate_ones(monkeypatch):
    rng = np.random.default_rng(7)
    calls = []
    real = hull.simple_game

    def spy(*args):
        got = real(*args)
        calls.append(got is not None)
        return got
    monkeypatch.setattr(hull, "simple_game", spy)
    monkeypatch.setenv("NEGOSIM_NATIVE", "0")  # the compiled walk would answer first
    for _ in range(5):
        assert not one_game(draw(rng, 8, 8, "normal"), 1e-9).unsettled
    assert calls == [True] * 5
    calls.clear()
    got = one_game(np.array([[np.ones((4, 4)), np.eye(4)]]), 1e-9)  # player 1 indifferent everywhere
    assert got.degenerate and got.unsettled and calls == [False]


def rows_of(sol) -> np.ndarray:
    return np.concatenate(sol.strategies, axis=1)


def matched(ours: np.ndarray, theirs: np.ndarray) -> bool:
    if len(ours) != len(theirs):
        return False
    left = list(ours)
    for v in theirs:
        hit = [i for i, w in enumerate(left) if np.abs(v - w).max() <= ATOL]
        if not hit:
            return False
        left.pop(hit[0])
    return True


@pytest.mark.parametrize("k", [7, 8, 9, 10])
def test_random_games_agree_with_quantecons_vertex_enumeration(k):
    gt = pytest.importorskip("quantecon.game_theory")
    rng = np.random.default_rng(100 + k)
    for _ in range(3):
        A, B = rng.standard_normal((2, k, k))
        sol = nash_equilibria(NormalFormGame.from_bimatrix(A, B))
        assert bool(sol.complete.all()) and not bool(sol.degenerate.any())
        eqs = gt.vertex_enumeration(gt.NormalFormGame((gt.Player(A), gt.Player(B.T))))
        assert matched(rows_of(sol), np.array([np.concatenate(e) for e in eqs]))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), m=st.integers(2, 6), n=st.integers(2, 6))
def test_hull_path_agrees_with_gambits_rational_enummixed(seed, m, n):
    agrees_with_gambits_rational_enummixed(seed, m, n)


def agrees_with_gambits_rational_enummixed(seed: int, m: int, n: int):
    """Check `one_game` on an integer game (few ties) against pygambit's rational enumeration; its outcome."""
    pygambit = pytest.importorskip("pygambit")
    pay = draw(np.random.default_rng(seed), m, n, "integer")
    pay = pay * 7 + np.random.default_rng(seed + 1).integers(-3, 4, pay.shape)  # fewer ties, some remain
    got = one_game(pay, 1e-9)
    g = pygambit.Game.from_arrays(pay[0, 0].astype(int), pay[0, 1].astype(int))
    eqs = pygambit.nash.enummixed_solve(g, rational=True).equilibria
    theirs = np.array([[float(eq[s]) for p in g.players for s in p.strategies] for eq in eqs]).reshape(len(eqs), -1)
    if got.unsettled:  # degenerate: the caller uses the subset enumeration, which lists every extreme one
        r = _extreme_equilibria(pay, 1e-9)
        ours = np.concatenate([r.x, r.y], axis=1)
    else:
        ours = np.concatenate([got.x, got.y], axis=1)
    assert matched(np.unique(ours.round(9), axis=0), np.unique(theirs.round(9), axis=0))
    return got, pay


@pytest.mark.parametrize("shape", [(6, 6), (5, 8)])
def test_one_game_by_hull_is_the_subset_enumerations_answer_bit_for_bit(shape, monkeypatch):
    """The policy sends one 6x6 game to the hull path (a batch still goes to subsets): same numbers.
    (With the compiled small-game kernel built, one game of these shapes takes the kernel first, whose
    last bits are its own, as the lean path's are: tests/test_bimatrix_native.py; here the hull path.)"""
    monkeypatch.setenv("NEGOSIM_NATIVE", "0")
    assert uses_hull(*shape, single=True) and not uses_hull(*shape)
    rng = np.random.default_rng(shape[1])
    for _ in range(5):
        A, B = rng.standard_normal((2, *shape))
        one = nash_equilibria(NormalFormGame.from_bimatrix(A, B))
        batch = nash_equilibria(NormalFormGame.from_bimatrix(A[None], B[None]))
        assert np.array_equal(one.point, batch.point)
        for a, b in zip(one.strategies, batch.strategies):
            assert np.array_equal(a, b)
        assert np.array_equal(one.extra.get("exact_rows", []), batch.extra.get("exact_rows", []))
        assert one.notes == batch.notes and bool(one.complete.all()) and bool(batch.complete.all())
        assert bool(one.degenerate.any()) == bool(batch.degenerate.any())


def test_size_policy_for_one_game_and_for_batches():
    assert not uses_hull(5, 5, single=True) and uses_hull(6, 6, single=True)
    assert not uses_hull(6, 6) and uses_hull(7, 7) and uses_hull(200, 3) and not uses_hull(200, 1, single=True)


@pytest.mark.parametrize("shape", [(7, 7), (9, 4)])
def test_proposals_taken_in_blocks_change_nothing(shape, monkeypatch):
    from negosim.solve import hull_batch

    pay = draw(np.random.default_rng(11), *shape, "normal")
    whole = one_game(pay, 1e-9)
    monkeypatch.setattr(hull_batch, "BLOCK", 7)
    assert_same_outcome(one_game(pay, 1e-9), whole)
    assert_same_outcome(whole, per_size_path(pay, monkeypatch))


def test_a_coarse_degenerate_game_is_listed_once_as_by_the_subset_enumeration():
    """Payoffs 2**-45 apart (too fine for the rescaled floats) in a degenerate game: the hull path hands the
    game to the subset enumeration, which enumerates it exactly; it was also enumerated exactly before, so
    every equilibrium was listed twice."""
    from negosim.solve.hull import hull_equilibria

    rng = np.random.default_rng(1)
    for k in (6, 7):
        A, B = rng.integers(0, 3, (2, k, k)).astype(float)
        A[0, 0] += 2.0 ** -45
        B[1, 1] += 2.0 ** -45
        pay = np.stack([A, B])[None]
        ours, subsets = hull_equilibria(pay, 1e-9), _extreme_equilibria(pay, 1e-9)
        assert len(ours.point) == len(subsets.point) > 0 and bool(ours.degenerate[0])
        a = np.concatenate([ours.x, ours.y], axis=1)
        b = np.concatenate([subsets.x, subsets.y], axis=1)
        assert matched(a, b)
