"""The compiled vertex walk (`negosim.solve.hull_native`, ``negosim/native/bimatrix_hull.c``) gives the general
path's answers.

- `hull.one_game` with the kernel equals `one_game` with ``NEGOSIM_NATIVE=0`` (qhull and the numpy
  decisions) bit for bit: equilibria, exact rows, degenerate, unsettled, exhausted, the reasons, on
  random, integer (ties: degenerate), duplicated-row, lopsided and 2**+-900-scaled games;
- the kernel answers random games itself and leaves degenerate ones to the general path, which still
  flags them; its vertex count is qhull's;
- `nash_equilibria` agrees with itself without the kernel (payoffs and regrets within rounding: the
  kernel's ``solve`` sums the action values in its own order, tests/test_hull_solve.py), with QuantEcon's
  vertex enumeration on random games 7x7 to 12x12 and with pygambit's rational enummixed on integer games;
- bad buffers are refused with an exception, never a crash.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negosim.game.normal import NormalFormGame
from negosim.native import load
from negosim.solve import hull, hull_native
from negosim.solve.hull import one_game, proposals
from negosim.solve.mixed import nash_equilibria
from negosim.solve.polytope import COND_LIMIT, MARGIN, rescaled
from tests.test_hull_batch import (
    KINDS,
    agrees_with_gambits_rational_enummixed,
    assert_same_outcome,
    draw,
    matched,
    rows_of,
)

KERNEL = load("bimatrix_hull")
pytestmark = pytest.mark.skipif(KERNEL is None, reason="the compiled kernel is not built")


def general(pay: np.ndarray, monkeypatch: pytest.MonkeyPatch) -> hull.Outcome:
    """`one_game` without the compiled kernel (today's qhull path)."""
    with monkeypatch.context() as mp:
        mp.setenv("NEGOSIM_NATIVE", "0")
        return one_game(pay, 1e-9)


def answered(pay: np.ndarray, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Whether the kernel itself answered `one_game` on `pay`."""
    calls: list[bool] = []
    real = hull.native_game

    def spy(*args):
        got = real(*args)
        calls.append(got is not None)
        return got
    with monkeypatch.context() as mp:
        mp.setattr(hull, "native_game", spy)
        one_game(pay, 1e-9)
    return calls == [True]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), m=st.integers(2, 10), n=st.integers(2, 10), kind=st.sampled_from(KINDS))
def test_native_walk_gives_the_general_paths_outcome_bit_for_bit(seed, m, n, kind, monkeypatch):
    pay = draw(np.random.default_rng(seed), m, n, kind)
    assert_same_outcome(one_game(pay, 1e-9), general(pay, monkeypatch))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), k=st.integers(7, 10), scale=st.sampled_from([1.0, 2.0 ** 600, 2.0 ** -600]))
def test_random_and_scaled_games_are_answered_by_the_kernel(seed, k, scale, monkeypatch):
    pay = draw(np.random.default_rng(seed), k, k, "normal") * scale
    assert answered(pay, monkeypatch)
    got = one_game(pay, 1e-9)
    assert not got.unsettled and not got.degenerate
    assert_same_outcome(got, general(pay, monkeypatch))


@pytest.mark.parametrize("shape", [(11, 11), (12, 12), (12, 9), (40, 3), (3, 40), (200, 3)])
@pytest.mark.parametrize("kind", ["normal", "huge", "duplicated row", "integer"])
def test_native_walk_on_larger_and_lopsided_games(shape, kind, monkeypatch):
    pay = draw(np.random.default_rng(sum(shape) + 1), *shape, kind)
    assert_same_outcome(one_game(pay, 1e-9), general(pay, monkeypatch))


def test_degenerate_games_are_left_to_the_general_path_and_still_flagged(monkeypatch):
    for pay in (np.array([[np.ones((7, 7)), np.eye(7)]]),  # player 1 indifferent everywhere
                draw(np.random.default_rng(3), 8, 8, "duplicated row")):
        assert not answered(pay, monkeypatch)
        got = one_game(pay, 1e-9)
        assert got.degenerate and got.unsettled
    # an integer game with ties: whoever answers, the flags are the general path's
    rng = np.random.default_rng(5)
    for _ in range(5):
        pay = draw(rng, 7, 7, "integer")
        sol, ref = nash_equilibria(NormalFormGame.from_bimatrix(*pay[0])), None
        with monkeypatch.context() as mp:
            mp.setenv("NEGOSIM_NATIVE", "0")
            ref = nash_equilibria(NormalFormGame.from_bimatrix(*pay[0]))
        assert bool(sol.degenerate.all()) == bool(ref.degenerate.all())
        assert bool(sol.complete.all()) == bool(ref.complete.all()) and sol.notes == ref.notes
        assert all(np.array_equal(a, b) for a, b in zip(sol.strategies, ref.strategies))


@pytest.mark.parametrize("k", [4, 7, 9])
def test_vertex_count_is_qhulls(k):
    rng = np.random.default_rng(k)
    for _ in range(3):
        A, B, th_A, th_B = rescaled(rng.standard_normal((1, 2, k, k + 2)), 1e-9)
        Cs, Cb = np.ascontiguousarray(np.swapaxes(A, 1, 2)[0]), np.ascontiguousarray(B[0])
        status, pairs, small, big = KERNEL.enumerate(Cs, k + 2, k, Cb, k, k + 2, True, 1.25e-9, 1.25e-9, 1.25e-9,
                                                     4 * MARGIN, COND_LIMIT / 4, 10**6)
        assert status == 1 and len(pairs) % 2 == 1  # a nondegenerate game has an odd number of equilibria
        assert small == len(proposals(Cs)) + 1 and big == len(proposals(Cb)) + 1  # + the origin


def test_vertex_limit_and_bad_buffers():
    C = np.full((3, 4), 1.5)
    C[0, 0] = 2.0
    status, pairs, small, _ = KERNEL.enumerate(C, 3, 4, C.T.copy(), 4, 3, False, 1e-9, 1e-9, 1e-9, 1e-10, 1e9, 2)
    assert status in (0, 2) and pairs == [] and small <= 2
    with pytest.raises(ValueError):
        KERNEL.enumerate(C, 3, 5, C.T.copy(), 5, 3, False, 1e-9, 1e-9, 1e-9, 1e-10, 1e9, 10)
    with pytest.raises(ValueError):
        KERNEL.enumerate(C, 3, 4, C.T.copy(), 3, 3, False, 1e-9, 1e-9, 1e-9, 1e-10, 1e9, 10)
    with pytest.raises(TypeError):
        KERNEL.enumerate("no buffer", 3, 4, C.T.copy(), 4, 3, False, 1e-9, 1e-9, 1e-9, 1e-10, 1e9, 10)


@pytest.mark.parametrize("k", [7, 8, 9, 10, 11, 12])
def test_random_games_agree_with_quantecon_and_with_the_numpy_path(k, monkeypatch):
    gt = pytest.importorskip("quantecon.game_theory")
    rng = np.random.default_rng(200 + k)
    for _ in range(2 if k <= 10 else 1):
        A, B = rng.standard_normal((2, k, k))
        sol = nash_equilibria(NormalFormGame.from_bimatrix(A, B))
        assert bool(sol.complete.all()) and not bool(sol.degenerate.any())
        eqs = gt.vertex_enumeration(gt.NormalFormGame((gt.Player(A), gt.Player(B.T))))
        assert matched(rows_of(sol), np.array([np.concatenate(e) for e in eqs]))
        with monkeypatch.context() as mp:
            mp.setenv("NEGOSIM_NATIVE", "0")
            ref = nash_equilibria(NormalFormGame.from_bimatrix(A, B))
        assert all(np.array_equal(a, b) for a, b in zip(sol.strategies, ref.strategies))
        assert np.array_equal(sol.extra["exact_rows"], ref.extra["exact_rows"]) and sol.notes == ref.notes
        for field in ("point", "tied", "complete", "degenerate", "tol"):
            assert np.array_equal(getattr(sol, field), getattr(ref, field)), field
        # the kernel's `solve` sums the action values in another order than numpy's einsum (tests/test_hull_solve.py)
        for field in ("payoffs", "regret"):
            assert np.abs(getattr(sol, field) - getattr(ref, field)).max(initial=0) <= 1e-13 * np.abs(A).max(), field
        assert np.array_equal(sol.extra["player_tol"], ref.extra["player_tol"])
        assert all(np.array_equal(a, b) for a, b in zip(sol.extra["best_responses"], ref.extra["best_responses"]))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), m=st.integers(3, 7), n=st.integers(3, 7))
def test_agrees_with_gambits_rational_enummixed(seed, m, n, monkeypatch):
    got, pay = agrees_with_gambits_rational_enummixed(seed, m, n)  # with the kernel, as test_hull_batch's
    assert_same_outcome(got, general(pay, monkeypatch))


def test_switched_off_kernel_answers_nothing(monkeypatch):
    monkeypatch.setenv("NEGOSIM_NATIVE", "0")
    pay = draw(np.random.default_rng(0), 7, 7, "normal")
    A, B, th_A, th_B = rescaled(pay, 1e-9)
    assert hull_native.native_game((np.swapaxes(A, 1, 2), th_A, None), (B, th_B, None), True, None) is None


def test_one_game_solution_answers_only_what_the_walk_certifies():
    rng = np.random.default_rng(9)
    game = NormalFormGame.from_bimatrix(*rng.standard_normal((2, 8, 8)))
    sol = hull_native.one_game_solution(game, 1e-9)
    assert sol is not None and bool(sol.complete.all()) and not bool(sol.degenerate.any())
    tied = NormalFormGame.from_bimatrix(np.ones((7, 7)), np.eye(7))  # degenerate: the general path answers
    assert hull_native.one_game_solution(tied, 1e-9) is None
    assert bool(nash_equilibria(tied).degenerate.all())
    coarse = NormalFormGame.from_bimatrix(1 + 1e-15 * rng.standard_normal((7, 7)), rng.standard_normal((7, 7)))
    assert hull_native.one_game_solution(coarse, 1e-9) is None  # enumerated in rational arithmetic instead


def test_ctrl_c_stops_a_long_walk(tmp_path):
    # The walk runs in C without the GIL; it looks at Ctrl-C every few hundred vertices, so an interrupt
    # ends a walk that would take minutes (a 26 x 26 game) instead of waiting for it. Without the checks the
    # child would still be walking when the guard below gives up on it.
    pytest.importorskip("negosim.native._bimatrix_hull")
    import signal
    import subprocess
    import sys
    import time

    child = subprocess.Popen(
        [sys.executable, "-c",
         "import numpy as np\n"
         "from negosim.game.normal import NormalFormGame\n"
         "from negosim.solve.hull_native import one_game_solution\n"
         "A, B = np.random.default_rng(7).standard_normal((2, 26, 26))\n"
         "game = NormalFormGame.from_bimatrix(A, B)\n"
         "print('walking', flush=True)\n"
         "one_game_solution(game, 1e-9)\n"
         "print('finished', flush=True)\n"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "walking"
        time.sleep(1.0)
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=60)
    finally:
        child.kill()
    assert "finished" not in out and "KeyboardInterrupt" in err, (out, err[-500:])
