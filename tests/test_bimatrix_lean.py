"""The lean path for one small 2-player game (`bimatrix_lean.one_game`) against the general one and Gambit.

`vertex.vertex_enumeration` on one game (batch shape ()) now answers through `one_game` wherever
that path is sure of the general path's answer. Every field must match what the batched
enumeration gives for the same game (as a batch of one, which never takes the lean path):
equilibria in the same order, payoffs, regrets, tolerances, ties, best responses, exact rows,
degeneracy, completeness and notes. Games where the lean path declines (ties, degenerate games,
payoffs too close for floating point) must still get the general answer through the front door.
"""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negosim.game.normal import NormalFormGame
from negosim.solve import solve
from negosim.solve.bimatrix_lean import one_game
from negosim.solve.vertex import vertex_enumeration


def batched(game: NormalFormGame):
    """The general path's solution: the same game as a batch of one point (never the lean path)."""
    return vertex_enumeration(dataclasses.replace(game, payoffs=game.payoffs[None]))


def assert_same(ours, ref, game: NormalFormGame) -> None:
    """Every field of a one-game solution equal to the batch-of-one solution's (floats within rounding)."""
    scale = float(np.abs(game.payoffs).max()) or 1.0
    assert ours.batch_shape == () and ref.batch_shape == (1,)
    for a, b in zip(ours.strategies, ref.strategies):
        assert a.shape == b.shape
        assert np.abs(a - b).max(initial=0) <= 1e-12
    assert (ours.point == 0).all() and (ref.point == 0).all()
    assert np.allclose(ours.payoffs, ref.payoffs, rtol=1e-12, atol=1e-12 * scale)
    assert np.allclose(ours.regret, ref.regret, rtol=0, atol=1e-12 * scale)
    assert np.allclose(ours.extra["player_tol"], ref.extra["player_tol"], rtol=1e-9, atol=0)
    assert np.allclose(ours.tol, ref.tol.reshape(()), rtol=1e-9, atol=0)
    assert (ours.tied == ref.tied).all()
    assert bool(ours.degenerate) == bool(ref.degenerate[0]) and bool(ours.complete) == bool(ref.complete[0])
    assert ours.notes == ref.notes and ours.method == ref.method and ours.concept == ref.concept
    assert (ours.extra["exact_rows"] == ref.extra["exact_rows"]).all()
    assert ours.extra["rtol"] == ref.extra["rtol"]
    for key in ("best_responses", "tied_actions"):
        for a, b in zip(ours.extra[key], ref.extra[key]):
            assert (a == b).all(), key
    assert dict(ours.extra["tie_descriptions"]) == dict(ref.extra["tie_descriptions"])


shapes = st.tuples(st.integers(2, 4), st.integers(2, 4))


@settings(max_examples=120, deadline=None)
@given(shapes, st.integers(0, 2**32 - 1))
def test_random_games_get_the_general_paths_solution(shape, seed):
    A, B = np.random.default_rng(seed).standard_normal((2, *shape))
    game = NormalFormGame.from_bimatrix(A, B)
    ref = batched(game)
    assert_same(vertex_enumeration(game), ref, game)
    lean = one_game(game, 1e-9)
    if lean is not None:  # the front door took it (or the 2x2 closed form did): compare it directly too
        assert_same(lean, ref, game)


@pytest.mark.parametrize("shape", [(5, 5), (6, 6), (6, 4), (3, 7), (1, 60), (61, 1)])
def test_larger_games_solved_size_by_size_get_the_general_paths_solution(shape):
    """Beyond 4 x 4 the systems are solved size by size (closed forms up to 3 x 3, LAPACK above)."""
    rng = np.random.default_rng(sum(shape))
    taken = 0
    for _ in range(12):
        game = NormalFormGame.from_bimatrix(*rng.standard_normal((2, *shape)))
        ref = batched(game)
        assert_same(vertex_enumeration(game), ref, game)
        lean = one_game(game, 1e-9)
        if lean is not None:
            taken += 1
            assert_same(lean, ref, game)
    assert taken >= 9  # the lean path answers almost every random game


@pytest.mark.parametrize("shape", [(3, 3), (4, 4)])
def test_ill_conditioned_equilibria_are_recomputed_exactly_as_the_general_path_does(shape):
    """Rank-one payoffs plus 1% noise: some equilibrium vertices come from systems with condition numbers
    above confirm.REFINE_COND, which the general path recomputes in rational arithmetic (exact rows)."""
    rng = np.random.default_rng(5)
    exact_seen = 0
    for _ in range(60):
        u, v = rng.standard_normal((2, shape[0])), rng.standard_normal((2, shape[1]))
        A = np.outer(u[0], v[0]) + 0.01 * rng.standard_normal(shape)
        B = np.outer(u[1], v[1]) + 0.01 * rng.standard_normal(shape)
        game = NormalFormGame.from_bimatrix(A, B)
        ref = batched(game)
        assert_same(vertex_enumeration(game), ref, game)
        lean = one_game(game, 1e-9)
        if lean is not None:
            assert_same(lean, ref, game)
            exact_seen += int(lean.extra["exact_rows"].sum())
    assert exact_seen > 0  # the refinement was exercised


@settings(max_examples=150, deadline=None)
@given(shapes, st.integers(0, 2**32 - 1), st.integers(1, 4))
def test_integer_games_with_ties_get_the_general_paths_solution(shape, seed, spread):
    A, B = np.random.default_rng(seed).integers(-spread, spread + 1, (2, *shape)).astype(float)
    game = NormalFormGame.from_bimatrix(A, B)
    ref = batched(game)
    assert_same(vertex_enumeration(game), ref, game)
    lean = one_game(game, 1e-9)
    if lean is not None:
        assert not ref.degenerate.any()
        assert_same(lean, ref, game)


@settings(max_examples=60, deadline=None)
@given(shapes, st.integers(0, 2**32 - 1), st.sampled_from([-1000, -300, -40, 0, 40, 300, 1000]))
def test_games_scaled_by_powers_of_two_keep_their_answer(shape, seed, power):
    A, B = np.random.default_rng(seed).standard_normal((2, *shape))
    game = NormalFormGame.from_bimatrix(np.ldexp(A, power), np.ldexp(B, power))
    ref = batched(game)
    ours = vertex_enumeration(game)
    assert_same(ours, ref, game)
    plain = vertex_enumeration(NormalFormGame.from_bimatrix(A, B))
    for a, b in zip(ours.strategies, plain.strategies):  # scaling by 2**k changes no probability
        assert a.shape == b.shape and np.abs(a - b).max(initial=0) <= 1e-14


@pytest.mark.parametrize("A,B", [
    ([[1, 1], [0, 2]], [[1, 1], [0, 2]]),  # a pure strategy with two best responses
    ([[3, 3, 0], [3, 3, 0], [0, 0, 2]], [[1, 0, 0], [0, 1, 0], [0, 0, 1]]),  # duplicated rows: a continuum
    ([[1, 0], [0, 1], [0.5, 0.5]], [[0, 1], [1, 0], [0.5, 0.5]]),  # the third row ties the others' average
    ([[0, 0, 0], [0, 0, 0]], [[1, 2, 3], [3, 2, 1]]),  # a player indifferent everywhere
])
def test_degenerate_games_fall_back_to_the_general_path(A, B):
    game = NormalFormGame.from_bimatrix(A, B)
    ours, ref = vertex_enumeration(game), batched(game)
    assert bool(ref.degenerate[0]) and ref.notes
    assert one_game(game, 1e-9) is None
    assert_same(ours, ref, game)


def test_payoffs_too_close_for_floating_point_fall_back():
    eps = 2.0 ** -40  # below confirm.RESOLUTION of the range: the general path enumerates exactly
    game = NormalFormGame.from_bimatrix([[1, 0, 0.5], [0, 1, 0.5 + eps], [0.25, 0.75, 0]],
                                        [[0, 1, 0.5], [1, 0, 0.25], [0.5, 0.5, 1 + eps]])
    assert one_game(game, 1e-9) is None
    assert_same(vertex_enumeration(game), batched(game), game)


def test_the_front_door_answers_one_game_as_before():
    A, B = np.random.default_rng(5).standard_normal((2, 5, 5))
    game = NormalFormGame.from_bimatrix(A, B)
    (sol,) = solve(game, "nash")
    assert one_game(game, 1e-9) is not None
    assert_same(sol, batched(game), game)


pygambit = pytest.importorskip("pygambit")


@settings(max_examples=40, deadline=None)
@given(st.tuples(st.integers(2, 5), st.integers(2, 5)), st.integers(0, 2**32 - 1))
def test_the_lean_path_finds_gambits_equilibria(shape, seed):
    """Against Gambit's exact (rational) enumeration, on integer games with a wide range (rarely tied)."""
    A, B = np.random.default_rng(seed).integers(-1000, 1001, (2, *shape))
    game = NormalFormGame.from_bimatrix(A.astype(float), B.astype(float))
    ours = one_game(game, 1e-9)
    if ours is None:
        return  # a tie or a degenerate game: the general path answers (tests/test_oracles_gambit.py)
    g = pygambit.Game.from_arrays(A, B)
    theirs = [np.array([float(eq[s]) for p in g.players for s in p.strategies])
              for eq in pygambit.nash.enummixed_solve(g, rational=True).equilibria]
    found = np.concatenate(ours.strategies, axis=1)
    assert len(found) == len(theirs)
    for v in theirs:
        assert np.abs(found - v).max(axis=1).min() <= 1e-9


def test_tables_list_each_system_of_both_polytopes_once():
    from negosim.solve.bimatrix_lean import _tables

    tb = _tables(3, 2)
    systems = {(bool(p), tuple(K[:int(k)]), tuple(T[:int(k)]))
               for p, K, T, k in zip(tb.of_p, tb.supports, tb.tights, tb.size)}
    expected = {(p, K, T) for p, d, c in ((True, 3, 2), (False, 2, 3)) for k in (1, 2)
                for K in itertools.combinations(range(d), k) for T in itertools.combinations(range(c), k)}
    assert systems == expected and len(tb.size) == len(expected)
