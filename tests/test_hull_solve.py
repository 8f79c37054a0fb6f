"""One 2-player game from 7x7 up end to end in C (``solve`` of ``negosim/native/bimatrix_hull.c``, through
`hull_native.one_game_solution`) against the Python path.

With the kernel, `nash_equilibria` on one game the walk certifies is the kernel's ``solve``: the walk, the
matched systems solved, checked and expanded, `vertex.dedupe` and `verify.verified_solution` in C. With
``NEGOSIM_NATIVE=0`` it is qhull and numpy. The two must give the same solution field by field: the
strategies, tolerances, best responses, ties, exact rows, flags, completeness and notes bit for bit (the
kernel repeats numpy's arithmetic and calls LAPACK's inverse through numpy), the payoffs and regrets
within rounding (the kernel sums the action values in another order than numpy's einsum). The kernel's
decision per game (answer, None, hand the pairs back to Python) must be the Python code's
(`hull_native._general`). pygambit's rational `enummixed_solve` and nashpy's vertex enumeration are
oracles on generic games.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negosim.game.normal import NormalFormGame
from negosim.solve import hull, hull_native
from negosim.solve.mixed import nash_equilibria
from tests.test_bimatrix_native import assert_same

KERNEL = hull_native._configured()
pytestmark = pytest.mark.skipif(KERNEL is None, reason="the compiled kernel is not built")

SHAPES = [(7, 7), (8, 8), (9, 9), (7, 9), (9, 7), (10, 10), (8, 12), (12, 8), (4, 20), (40, 3)]  # one game: the walk
KINDS = ["normal", "integer", "few values", "duplicated row", "zero player", "near ties", "huge", "tiny"]
#: Kinds that are degenerate as a rule (or often): the general path answers them, at the cost of the subset
#: enumeration, so they are drawn at the smaller shapes only.
DEGENERATE = ("few values", "duplicated row", "zero player", "integer", "near ties")
SMALL = [(7, 7), (8, 8), (7, 9), (9, 7), (4, 20)]


@st.composite
def games(draw) -> NormalFormGame:
    kind = draw(st.sampled_from(KINDS))
    shape = draw(st.sampled_from(SMALL if kind in DEGENERATE else SHAPES))
    return draw_game(kind, shape, draw(st.integers(0, 2**32 - 1)))


def draw_game(kind: str, shape: tuple[int, int], seed: int) -> NormalFormGame:
    """One game of a kind: generic, with ties, duplicated strategies, a zero player, near ties, far scales."""
    rng = np.random.default_rng(seed)
    m, n = shape
    if kind == "integer":
        A, B = rng.integers(-9, 10, (2, m, n)).astype(float)
    elif kind == "few values":  # many ties: degenerate as a rule
        A, B = rng.integers(0, 3, (2, m, n)).astype(float)
    elif kind == "duplicated row":
        A, B = rng.standard_normal((2, m, n))
        A[-1], B[-1] = A[0], B[0]
    elif kind == "zero player":
        A, B = rng.standard_normal((2, m, n))
        B[:] = 0.0
    elif kind == "near ties":  # payoffs a few ulps to a few tolerances apart
        A, B = rng.standard_normal((2, m, n))
        A[1] = A[0] + rng.choice([0.0, 1e-15, 1e-12, 1e-9, 3e-9], size=n)
    elif kind == "huge":
        A, B = rng.standard_normal((2, m, n)) * 2.0 ** 700
    elif kind == "tiny":
        A, B = rng.standard_normal((2, m, n)) * 2.0 ** -700
    else:
        A, B = rng.standard_normal((2, m, n))
    return NormalFormGame.from_bimatrix(A, B)


def python_path(game: NormalFormGame, monkeypatch: pytest.MonkeyPatch):
    with monkeypatch.context() as mp:
        mp.setenv("NEGOSIM_NATIVE", "0")
        return nash_equilibria(game)


def assert_same_bits(ours, ref, game: NormalFormGame) -> None:
    """`assert_same` (payoffs and regrets within rounding), and the rest bit for bit."""
    assert_same(ours, ref, game)
    for a, b in zip(ours.strategies, ref.strategies):
        assert np.array_equal(a, b)
    for name in ("tol", "tied", "complete", "degenerate", "point"):
        assert np.array_equal(getattr(ours, name), getattr(ref, name)), name
    assert np.array_equal(ours.extra["player_tol"], ref.extra["player_tol"])
    # the action values are summed in another order than einsum's: a few ulps of the payoffs' scale
    scale = np.ldexp(1.0, int(np.frexp(np.abs(game.payoffs).max())[1]))
    assert np.abs(ours.payoffs - ref.payoffs).max(initial=0) <= 1e-13 * scale
    assert np.abs(ours.regret - ref.regret).max(initial=0) <= 1e-13 * scale


def kernel_decision(game: NormalFormGame) -> str:
    """What the kernel's ``solve`` does with a game: "answer", "none" or "pairs" (the Python code finishes)."""
    m, n = game.shape
    out = KERNEL.solve(np.ascontiguousarray(game.payoffs), m, n, 1e-9)
    return "pairs" if type(out) is list else ("none" if out == 0 else "answer")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(game=games())
def test_the_kernel_gives_the_python_paths_solution(game, monkeypatch):
    assert_same_bits(nash_equilibria(game), python_path(game, monkeypatch), game)


@settings(max_examples=40, deadline=None)
@given(game=games())
def test_the_kernel_decides_each_game_as_the_python_code_does(game):
    decision = kernel_decision(game)
    general = hull_native._general(game, 1e-9)  # the Python code, walking again
    assert (general is None) == (decision == "none")
    if decision != "none":
        ours = hull_native.one_game_solution(game, 1e-9)
        assert ours is not None
        assert_same_bits(ours, general, game)


def no_second_walk(*args):
    raise AssertionError("the Python code walked the polytopes again")


def test_generic_games_are_answered_by_the_kernel_and_ill_conditioned_ones_finished_in_python(monkeypatch):
    decisions = []
    for seed in range(40):
        game = draw_game("normal", (9, 9), seed)
        decisions.append(kernel_decision(game))
        if decisions[-1] == "pairs":  # an equilibrium recomputed in rational arithmetic: the walk is not repeated
            with monkeypatch.context() as mp:
                mp.setattr(hull, "native_game", no_second_walk)
                ours = nash_equilibria(game)
            assert_same_bits(ours, python_path(game, monkeypatch), game)
    assert decisions.count("answer") >= 30 and "none" not in decisions and "pairs" in decisions


def test_degenerate_and_coarse_games_are_left_to_the_general_path(monkeypatch):
    rng = np.random.default_rng(4)
    for game in (NormalFormGame.from_bimatrix(np.ones((7, 7)), np.eye(7)),
                 NormalFormGame.from_bimatrix(np.zeros((8, 8)), np.zeros((8, 8))),
                 NormalFormGame.from_bimatrix(1 + 1e-15 * rng.standard_normal((7, 7)), rng.standard_normal((7, 7))),
                 draw_game("duplicated row", (8, 8), 1)):
        assert kernel_decision(game) == "none" and hull_native.one_game_solution(game, 1e-9) is None
        ours, ref = nash_equilibria(game), python_path(game, monkeypatch)
        assert_same_bits(ours, ref, game)
    assert bool(nash_equilibria(NormalFormGame.from_bimatrix(np.ones((7, 7)), np.eye(7))).degenerate)


@pytest.mark.parametrize("rtol", [1e-6, 1e-9, 1e-12, 0.0])
def test_other_tolerances(rtol, monkeypatch):
    game = draw_game("normal", (8, 8), 11)
    ours = nash_equilibria(game, rtol=rtol)
    with monkeypatch.context() as mp:
        mp.setenv("NEGOSIM_NATIVE", "0")
        ref = nash_equilibria(game, rtol=rtol)
    assert_same_bits(ours, ref, game)


def test_non_finite_payoffs_are_refused_as_before():
    A = np.random.default_rng(0).standard_normal((7, 7))
    A[2, 3] = np.nan
    game = NormalFormGame.from_bimatrix(A, A.T)
    assert kernel_decision(game) == "none"
    with pytest.raises(Exception, match="finite"):
        nash_equilibria(game)


def test_bad_buffers_are_refused_without_crashing():
    pay = np.random.default_rng(0).standard_normal((2, 7, 7))
    for args in ((pay, 7, 8, 1e-9), (pay, 1, 49, 1e-9), (pay, 7, 7, -1.0), (pay, 7, 7, float("nan")),
                 (pay[:, :, :3].copy(), 7, 7, 1e-9), (pay.astype(np.float32), 7, 7, 1e-9)):
        with pytest.raises(ValueError):
            KERNEL.solve(*args)
    with pytest.raises(TypeError):
        KERNEL.solve("no buffer", 7, 7, 1e-9)
    with pytest.raises(TypeError):
        KERNEL.configure(1)
    assert kernel_decision(NormalFormGame.from_bimatrix(*pay)) == "answer"


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), shape=st.sampled_from([(7, 7), (7, 8), (8, 7)]))
def test_generic_games_match_gambit_in_rational_arithmetic(seed, shape):
    pygambit = pytest.importorskip("pygambit")
    A, B = np.random.default_rng(seed).integers(-1000, 1001, (2, *shape))
    sol = nash_equilibria(NormalFormGame.from_bimatrix(A, B))
    g = pygambit.Game.from_arrays(A.astype(int), B.astype(int))
    theirs = [[float(eq[s]) for p in g.players for s in p.strategies]
              for eq in pygambit.nash.enummixed_solve(g, rational=True).equilibria]
    ours = np.concatenate(sol.strategies, axis=1)
    if not bool(sol.degenerate):
        assert bool(sol.complete) and len(ours) == len(theirs)
    for row in theirs:  # every extreme equilibrium gambit finds is one of ours
        assert np.abs(ours - np.array(row)).max(axis=1).min() <= 1e-9


def test_random_games_match_nashpys_vertex_enumeration():
    nash = pytest.importorskip("nashpy")
    rng = np.random.default_rng(17)
    A, B = rng.standard_normal((2, 7, 7))
    sol = nash_equilibria(NormalFormGame.from_bimatrix(A, B))
    ref = np.array([np.concatenate(e) for e in nash.Game(A, B).vertex_enumeration()])
    ours = np.concatenate(sol.strategies, axis=1)
    assert len(ours) == len(ref)
    assert all(np.abs(ours - row).max(axis=1).min() <= 1e-9 for row in ref)
