"""The per-game convex-hull vertex enumeration (`negosim.solve.hull`) against the subset enumeration,
nashpy's vertex enumeration and pygambit's enummixed.

`hull.hull_equilibria` is called directly, so games of every size take the hull path (the size
policy sends only games beyond `vertex.HULL_FROM_SYSTEMS` support systems there). Equilibrium sets
are compared as sets: the same count, every oracle profile matched within 1e-6 by a distinct one.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from negosim.game.normal import NormalFormGame
from negosim.io import read_game
from negosim.solve.hull import hull_equilibria, one_game
from negosim.solve.mixed import nash_equilibria
from negosim.solve.verify import flat_payoffs
from negosim.solve.vertex import _extreme_equilibria, uses_hull
from tests.test_hull_batch import matched  # (the same ATOL)

ATOL = 1e-6
DATA = __import__("pathlib").Path(__file__).resolve().parent / "data"


def _distinct(rows: np.ndarray) -> list[np.ndarray]:
    out: list[np.ndarray] = []
    for v in rows:
        if not any(np.abs(v - w).max() <= ATOL for w in out):
            out.append(v)
    return out


def same_sets(ours: np.ndarray, theirs: np.ndarray) -> bool:
    """Same number of distinct profiles, each of `theirs` matched by a distinct one of `ours`."""
    return matched(np.array(_distinct(ours)), np.array(_distinct(theirs)))


def hull_rows(A: np.ndarray, B: np.ndarray):
    pay = np.stack([A, B])[None].astype(float)
    r = hull_equilibria(pay, 1e-9)
    return np.concatenate([r.x, r.y], axis=1), r


def subset_rows(A: np.ndarray, B: np.ndarray):
    pay = np.stack([A, B])[None].astype(float)
    r = _extreme_equilibria(pay, 1e-9)
    return np.concatenate([r.x, r.y], axis=1), r


def nashpy_rows(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """nashpy's vertex enumeration, keeping the profiles that are equilibria.

    Its float matching of labels can pair vertices of two nearly coincident supports and report a
    profile that is not an equilibrium (seed 1466437, 6x6: two extra profiles with regret 2.5e-6, where
    pygambit and negosim list three), so each profile's regret is checked here before it is used.
    """
    nashpy = pytest.importorskip("nashpy")
    scale = max(np.abs(A).max(), np.abs(B).max())
    eqs = [(x, y) for x, y in nashpy.Game(A, B).vertex_enumeration()
           if max((A @ y).max() - x @ A @ y, (x @ B).max() - x @ B @ y) <= 1e-9 * scale]
    return np.array([np.concatenate(e) for e in eqs]).reshape(len(eqs), -1)


def gambit_rows(pygambit, A: np.ndarray, B: np.ndarray, rational: bool = False) -> np.ndarray:
    if rational:
        from fractions import Fraction

        g = pygambit.Game.from_arrays([[Fraction(int(v)) for v in r] for r in A],
                                      [[Fraction(int(v)) for v in r] for r in B])
    else:
        g = pygambit.Game.from_arrays(A, B)
    eqs = pygambit.nash.enummixed_solve(g, rational=rational).equilibria
    rows = [[float(eq[s]) for p in g.players for s in p.strategies] for eq in eqs]
    return np.array(rows, dtype=float).reshape(len(rows), -1)


shapes = st.tuples(st.integers(2, 6), st.integers(2, 6))


@pytest.mark.oracle
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shape=shapes, seed=st.integers(0, 2**32 - 1))
@example(shape=(6, 6), seed=1466437)  # nashpy lists two non-equilibria here (see nashpy_rows)
def test_random_games_agree_with_nashpys_vertex_enumeration(shape, seed):
    A, B = np.random.default_rng(seed).standard_normal((2, *shape))
    ours, r = hull_rows(A, B)
    assert not r.open_points().any() and not r.degenerate.any()
    assert same_sets(ours, nashpy_rows(A, B))


@pytest.mark.oracle
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shape=st.tuples(st.integers(2, 10), st.integers(2, 10)), seed=st.integers(0, 2**32 - 1))
def test_random_games_up_to_10x10_agree_with_gambits_enummixed(shape, seed):
    pygambit = pytest.importorskip("pygambit")
    A, B = np.random.default_rng(seed).standard_normal((2, *shape))
    ours, r = hull_rows(A, B)
    assert not r.open_points().any()
    assert same_sets(ours, gambit_rows(pygambit, A, B))


@pytest.mark.oracle
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shape=st.tuples(st.integers(2, 4), st.integers(2, 4)), seed=st.integers(0, 2**32 - 1))
def test_degenerate_integer_games_agree_with_gambits_rational_enummixed_and_the_subset_method(shape, seed):
    pygambit = pytest.importorskip("pygambit")
    # payoffs in {0, 1, 2}: ties everywhere, so most of these games are degenerate
    A, B = np.random.default_rng(seed).integers(0, 3, (2, *shape))
    ours, r = hull_rows(A, B)
    theirs, s = subset_rows(A, B)
    assert bool(r.degenerate[0]) == bool(s.degenerate[0])
    assert same_sets(ours, theirs)
    assert same_sets(ours, gambit_rows(pygambit, A, B, rational=True))


def test_one_game_flags_what_it_cannot_certify():
    # a row with two best responses against a pure strategy: the game is degenerate
    A = np.array([[3.0, 3.0], [2.0, 5.0], [0.0, 6.0]])
    B = np.array([[3.0, 3.0], [2.0, 6.0], [3.0, 1.0]])
    got = one_game(np.stack([A, B])[None], 1e-9)
    assert got.degenerate and got.unsettled
    # and the chunk kernel answers it by the subset enumeration, identically
    ours, r = hull_rows(A, B)
    theirs, _ = subset_rows(A, B)
    assert r.degenerate[0] and same_sets(ours, theirs) and len(_distinct(ours)) == 3


def test_a_nondegenerate_game_is_certified_on_its_own():
    A, B = np.random.default_rng(5).standard_normal((2, 5, 7))
    got = one_game(np.stack([A, B])[None], 1e-9)
    assert not got.unsettled and not got.degenerate
    assert same_sets(np.concatenate([got.x, got.y], axis=1), subset_rows(A, B)[0])


def test_von_stengels_6x6_game_gives_the_same_75_equilibria_by_hull_and_by_subsets():
    game = read_game(DATA / "gambit" / "vonstengel1999_6x6_75eq.nfg")
    pay = flat_payoffs(game)
    A, B = pay[0, 0], pay[0, 1]
    ours, r = hull_rows(A, B)
    theirs, _ = subset_rows(A, B)
    assert len(_distinct(ours)) == 75 and same_sets(ours, theirs)
    assert not r.open_points().any()


@pytest.mark.oracle
def test_lopsided_games_beyond_the_old_limit_are_solved_and_agree_with_gambit(pygambit):
    A, B = np.random.default_rng(11).standard_normal((2, 40, 3))
    game = NormalFormGame.from_bimatrix(A, B)
    assert uses_hull(40, 3)
    sol = nash_equilibria(game)
    assert bool(sol.complete.all())
    ours = np.concatenate(sol.strategies, axis=1)
    assert same_sets(ours, gambit_rows(pygambit, A, B))


def test_a_200x3_and_a_14x14_game_are_solved_completely_and_verified():
    for shape, seed in (((200, 3), 1), ((3, 200), 2), ((14, 14), 3)):
        A, B = np.random.default_rng(seed).standard_normal((2, *shape))
        sol = nash_equilibria(NormalFormGame.from_bimatrix(A, B))
        assert bool(sol.complete.all()) and not sol.degenerate.any()
        assert len(sol.point) % 2 == 1  # a nondegenerate game has an odd number of equilibria
