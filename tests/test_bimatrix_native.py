"""The compiled kernel for one small 2-player game (`negosim/native/bimatrix_small.c`) against the Python path.

With the kernel, `vertex_enumeration` on one game of a shape `bimatrix_lean.fits` accepts answers
through `bimatrix_native.solve_small`; with ``NEGOSIM_NATIVE=0`` through the Python path
(`small.two_by_two` + `lean.lean_solution`, `bimatrix_lean.one_game`, or the general enumeration).
Both must give the same solution field by field: equilibria in the same order, payoffs, regrets,
tolerances, ties, best responses, tie descriptions, exact rows, degeneracy, completeness, notes. The
2x2 closed form is bit for bit Python's float arithmetic; elsewhere the kernel's Gauss-Jordan rounds
differently from LAPACK, so floats agree within rounding and every decision exactly. The kernel's
decision per game (answer, undecided, hand back to Python) must be `one_game`'s. Gambit (rational)
and QuantEcon are oracles on generic games.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negosim.game.normal import NormalFormGame
from negosim.solve import solve
from negosim.solve.bimatrix_lean import one_game
from negosim.solve.bimatrix_native import PYTHON, UNDECIDED, kernel, solve_small
from negosim.solve.mixed import nash_equilibria
from negosim.solve.small import two_by_two
from negosim.solve.vertex import uses_hull

SHAPES = [(2, 2), (3, 3), (4, 4), (5, 5), (6, 6), (2, 3), (3, 2), (1, 4), (4, 1), (1, 1), (2, 7), (5, 3), (6, 7),
          (3, 12), (2, 30), (1, 61)]

needs_kernel = pytest.mark.skipif(kernel() is None, reason="the compiled kernel was not built")


def test_native_0_switches_the_kernel_off(monkeypatch):
    monkeypatch.setenv("NEGOSIM_NATIVE", "0")
    assert kernel() is None


def python_path(game: NormalFormGame):
    with pytest.MonkeyPatch.context() as m:
        m.setenv("NEGOSIM_NATIVE", "0")
        return nash_equilibria(game)


def assert_same(ours, ref, game: NormalFormGame, exact: bool = False) -> None:
    """Every field equal; floats within rounding (bit for bit when `exact`)."""
    scale = float(np.abs(game.payoffs).max()) or 1.0
    assert ours.batch_shape == ref.batch_shape == ()
    assert ours.concept == ref.concept and ours.method == ref.method and ours.notes == ref.notes
    assert bool(ours.complete) == bool(ref.complete) and bool(ours.degenerate) == bool(ref.degenerate)
    for a, b in zip(ours.strategies, ref.strategies):
        assert a.shape == b.shape and a.dtype == b.dtype
        assert (a == b).all() if exact else np.abs(a - b).max(initial=0) <= 1e-12
    for name in ("point", "tied", "complete", "degenerate"):
        a, b = getattr(ours, name), getattr(ref, name)
        assert a.shape == b.shape and a.dtype == b.dtype and (a == b).all(), name
    for name, a, b in (("payoffs", ours.payoffs, ref.payoffs), ("tol", ours.tol, ref.tol),
                       ("player_tol", ours.extra["player_tol"], ref.extra["player_tol"]),
                       ("regret", ours.regret, ref.regret)):
        assert a.shape == b.shape and a.dtype == b.dtype, name
        if exact:
            assert (a == b).all(), name
        elif name == "regret":  # rounding residues: compared on the payoffs' scale
            assert np.abs(a - b).max(initial=0) <= 1e-12 * scale
        else:
            assert np.allclose(a, b, rtol=1e-9, atol=1e-12 * scale), name
    assert set(ours.extra) == set(ref.extra)
    assert ours.extra["rtol"] == ref.extra["rtol"]
    assert (ours.extra["exact_rows"] == ref.extra["exact_rows"]).all()
    for key in ("best_responses", "tied_actions"):
        for a, b in zip(ours.extra[key], ref.extra[key]):
            assert a.shape == b.shape and a.dtype == b.dtype and (a == b).all(), key
    assert dict(ours.extra["tie_descriptions"]) == dict(ref.extra["tie_descriptions"])
    assert (ours.regret <= ours.tol + 1e-300).all()


def draw_game(kind: str, shape: tuple[int, int], seed: int) -> NormalFormGame:
    rng = np.random.default_rng(seed)
    if kind == "normal":
        A, B = rng.standard_normal((2, *shape))
    elif kind == "integer":  # ties and degenerate games: the kernel leaves them to the general path
        A, B = rng.integers(-3, 4, (2, *shape)).astype(float)
    elif kind == "near ties":  # payoffs a hair from integers: margins, bands and coarse points
        A, B = rng.integers(-2, 3, (2, *shape)) + rng.standard_normal((2, *shape)) * 10.0 ** rng.integers(-15, -3)
    else:  # each player's payoffs on its own scale, far from 1
        A, B = rng.standard_normal((2, *shape)) * 10.0 ** rng.integers(-250, 250, (2, 1, 1))
    return NormalFormGame.from_bimatrix(A, B)


@needs_kernel
@settings(max_examples=400, deadline=None)
@given(st.sampled_from(SHAPES), st.sampled_from(["normal", "integer", "near ties", "scaled"]),
       st.integers(0, 2**32 - 1))
def test_the_kernel_gives_the_python_paths_solution(shape, kind, seed):
    game = draw_game(kind, shape, seed)
    ref = python_path(game)
    ours = nash_equilibria(game)
    exact = shape == (2, 2) and two_by_two(*game.payoffs.tolist()) is not None
    assert_same(ours, ref, game, exact=exact)


@needs_kernel
@settings(max_examples=300, deadline=None)
@given(st.sampled_from([s for s in SHAPES if not uses_hull(*s)]), st.sampled_from(["normal", "integer", "near ties",
                                                                                    "scaled"]),
       st.integers(0, 2**32 - 1))
def test_the_kernel_decides_each_game_as_the_lean_path_does(shape, kind, seed):
    """Answered, left to the general path (None) or handed back for rational arithmetic: `one_game`'s choice."""
    game = draw_game(kind, shape, seed)
    found = solve_small(kernel(), game, 1e-9)  # type: ignore[arg-type]
    if shape == (2, 2) and two_by_two(*game.payoffs.tolist()) is not None:
        assert type(found) is not int
        return
    lean = one_game(game, 1e-9)
    if lean is None:
        assert found == UNDECIDED
    elif lean.extra["exact_rows"].any():
        assert found == PYTHON
    else:
        assert type(found) is not int


@needs_kernel
@pytest.mark.parametrize("shape, seed", [((4, 4), 8246), ((5, 5), 7810), ((3, 4), 27801), ((4, 5), 3201)])
def test_games_handed_back_get_the_python_paths_answer_bit_for_bit(shape, seed):
    """An equilibrium vertex ill-conditioned enough for rational arithmetic: the kernel hands the game back."""
    A, B = np.random.default_rng(seed).standard_normal((2, *shape))
    game = NormalFormGame.from_bimatrix(A, B)
    assert solve_small(kernel(), game, 1e-9) == PYTHON  # type: ignore[arg-type]
    assert_same(nash_equilibria(game), python_path(game), game, exact=True)


@needs_kernel
def test_the_kernel_refuses_bad_buffers_without_crashing():
    module = kernel()
    assert module is not None
    with pytest.raises(ValueError):
        module.solve(np.zeros((2, 3, 3), dtype=np.float32), 3, 3, 1e-9)
    with pytest.raises(ValueError):
        module.solve(np.zeros(17), 3, 3, 1e-9)
    with pytest.raises(ValueError):
        module.solve(np.zeros((2, 7, 7)), 7, 7, 1e-9)  # more systems than `fits` allows
    with pytest.raises(ValueError):
        module.solve(np.zeros(0), 0, 3, 1e-9)
    with pytest.raises((BufferError, ValueError)):  # numpy's own refusal to lend a non-contiguous buffer
        module.solve(np.zeros((2, 3, 6))[:, :, ::2], 3, 3, 1e-9)
    for bad in (np.nan, np.inf, -np.inf):
        pay = np.ones((2, 3, 3))
        pay[1, 2, 0] = bad
        assert module.solve(pay, 3, 3, 1e-9) == UNDECIDED  # the general path refuses it, with its message


def test_non_finite_payoffs_are_refused_as_before():
    from negosim.errors import GameError

    with pytest.raises(GameError):
        nash_equilibria(NormalFormGame.from_bimatrix([[1, np.nan], [0, 1]], [[1, 0], [0, 1]]))


@pytest.mark.parametrize("big", [1.0, 1e300, np.finfo(float).max])
def test_huge_payoffs_give_the_python_paths_answer(big):
    """Payoffs near overflow: whatever the Python path does (answer or raise), the kernel's path does too."""
    game = NormalFormGame.from_bimatrix([[big, -big], [-big, big]], [[-big, big], [big, -big]])
    try:
        ref = python_path(game)
    except Exception as exc:  # the same error, raised by the same Python code
        with pytest.raises(type(exc)):
            solve(game, "nash")
        return
    assert_same(solve(game, "nash")[0], ref, game, exact=True)


@pytest.mark.parametrize("shape", [(2, 2), (3, 3), (4, 4), (5, 5), (6, 6), (3, 5), (2, 9)])
def test_generic_games_match_gambit_in_rational_arithmetic(shape):
    pygambit = pytest.importorskip("pygambit")
    rng = np.random.default_rng(sum(shape))
    for _ in range(8):
        A, B = rng.integers(-50, 51, (2, *shape))
        sol = nash_equilibria(NormalFormGame.from_bimatrix(A, B))
        g = pygambit.Game.from_arrays(A.astype(int), B.astype(int))
        theirs = [[float(eq[s]) for p in g.players for s in p.strategies]
                  for eq in pygambit.nash.enummixed_solve(g, rational=True).equilibria]
        ours = np.concatenate(sol.strategies, axis=1)
        assert len(ours) == len(theirs)
        for row in theirs:
            assert np.abs(ours - np.array(row)).max(axis=1).min() <= 1e-9


def test_generic_games_match_quantecon():
    gt = pytest.importorskip("quantecon.game_theory")
    rng = np.random.default_rng(7)
    for shape in [(2, 2), (3, 3), (4, 4), (5, 5), (6, 6), (2, 5)]:
        A, B = rng.standard_normal((2, *shape))
        sol = nash_equilibria(NormalFormGame.from_bimatrix(A, B))
        theirs = [np.concatenate(e) for e in gt.vertex_enumeration(gt.NormalFormGame((gt.Player(A), gt.Player(B.T))))]
        ours = np.concatenate(sol.strategies, axis=1)
        assert len(ours) == len(theirs)
        for row in theirs:
            assert np.abs(ours - row).max(axis=1).min() <= 1e-9
