"""Lemke-Howson from every starting label (`negosim.solve.lemke_howson`) against nashpy and pygambit.

Every equilibrium it reports must be one of the game's equilibria (all of them known from vertex
enumeration, or at least verified for large games), every equilibrium nashpy's `lemke_howson`
reaches from some label must be among ours. `complete` is always False.
"""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from negosim.game.normal import NormalFormGame
from negosim.solve.lemke_howson import lemke_howson, paths
from negosim.solve.mixed import nash_equilibria


def rows(sol) -> np.ndarray:
    return np.concatenate(sol.strategies, axis=1)


def contains(rows_: np.ndarray, v: np.ndarray, tol: float = 1e-6) -> bool:
    return bool(len(rows_)) and float(np.abs(rows_ - v).max(axis=1).min()) <= tol


@pytest.mark.oracle
@pytest.mark.parametrize("k", [2, 3, 5])  # nashpy's pure-Python pivoting takes minutes beyond
def test_every_path_ends_at_an_equilibrium_and_nashpys_paths_are_covered(k):
    nashpy = pytest.importorskip("nashpy")
    rng = np.random.default_rng(100 + k)
    for _ in range(4):
        A, B = rng.standard_normal((2, k, k))
        game = NormalFormGame.from_bimatrix(A, B)
        sol = lemke_howson(game)
        assert not sol.complete.any() and len(sol.point) >= 1
        every = rows(nash_equilibria(game))
        assert all(contains(every, r) for r in rows(sol))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for label in range(2 * k):
                x, y = nashpy.Game(A, B).lemke_howson(initial_dropped_label=label)
                v = np.concatenate([x, y])
                if len(v) == 2 * k and np.all(np.isfinite(v)):
                    assert contains(rows(sol), v)


def regret(A: np.ndarray, B: np.ndarray, x: np.ndarray, y: np.ndarray) -> float:
    """The larger player's gain from the best pure deviation, in payoff units (an independent check)."""
    return max(float((A @ y).max() - x @ A @ y), float((x @ B).max() - x @ B @ y))


def scaled(A: np.ndarray, B: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each player's payoffs mapped into [1, 2] by a positive affine map (the same path structure)."""
    return tuple(1 + (M - M.min()) / (M.max() - M.min()) for M in (A, B))  # type: ignore[return-value]


@pytest.mark.oracle
@pytest.mark.parametrize("shape", [(3, 3), (4, 3), (5, 5)])  # nashpy pivots in pure Python: slow beyond
def test_the_same_starting_label_reaches_the_same_equilibrium_as_nashpy(shape):
    nashpy = pytest.importorskip("nashpy")
    rng = np.random.default_rng(sum(shape))
    m, n = shape
    for _ in range(3):
        A, B = rng.standard_normal((2, m, n))
        x, y, ok, pivots = paths(*scaled(A, B))
        assert ok.all() and (pivots >= 2).all()
        for label in range(m + n):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                theirs = nashpy.Game(A, B).lemke_howson(initial_dropped_label=label)
            np.testing.assert_allclose(np.concatenate([x[label], y[label]]), np.concatenate(theirs), atol=1e-9)


def gambit_lcp(games: list[dict], timeout: float) -> list[dict]:
    """pygambit's lcp_solve on each game, in a child process killed after `timeout` seconds (a pygambit
    call can hang where no signal reaches it); the answers written before then."""
    pytest.importorskip("pygambit")
    oracle = Path(__file__).with_name("gambit_lcp_oracle.py")
    try:
        out = subprocess.run([sys.executable, str(oracle)], input=json.dumps(games), capture_output=True,
                             text=True, timeout=timeout).stdout
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
    answers = [json.loads(line) for line in out.splitlines()]
    if not answers:
        pytest.skip(f"pygambit's lcp_solve answered nothing within {timeout:g} s")
    return answers


@pytest.mark.oracle
def test_10x10_equilibria_are_verified_among_vertex_enumerations_and_among_gambits_lcp():
    rng = np.random.default_rng(1010)
    games = [rng.standard_normal((2, 10, 10)) for _ in range(4)]
    answers = gambit_lcp([{"A": A.tolist(), "B": B.tolist()} for A, B in games], timeout=120)
    for (A, B), answer in zip(games, answers):
        game = NormalFormGame.from_bimatrix(A, B)
        sol = lemke_howson(game)
        ours = rows(sol)
        assert len(ours) >= 1 and not sol.complete.any()
        assert all(regret(A, B, r[:10], r[10:]) <= 1e-9 for r in ours)
        every = rows(nash_equilibria(game))
        assert all(contains(every, r) for r in ours)
        # lcp_solve follows the paths from the artificial equilibrium and then from every equilibrium it
        # finds, so every equilibrium reached from the artificial one (ours) is among its answers
        theirs = np.array(answer["equilibria"])
        assert all(contains(theirs, r) for r in ours)
        assert sum(int(c) for c in sol.extra["starting_labels"]) <= 20


@pytest.mark.oracle
def test_30x30_equilibria_are_verified_and_include_gambits_first():
    rng = np.random.default_rng(3030)
    games = [rng.standard_normal((2, 30, 30)) for _ in range(2)]
    request = [{"A": A.tolist(), "B": B.tolist(), "max_depth": 1, "stop_after": 1} for A, B in games]
    answers = gambit_lcp(request, timeout=120)
    for (A, B), answer in zip(games, answers):
        sol = lemke_howson(NormalFormGame.from_bimatrix(A, B))
        ours = rows(sol)
        assert len(ours) >= 1 and not sol.complete.any()
        assert all(regret(A, B, r[:30], r[30:]) <= 1e-9 for r in ours)
        (first,) = answer["equilibria"]
        assert contains(ours, np.array(first))


def test_degenerate_integer_games_terminate_within_the_pivot_bound():
    """Payoffs in {0, 1, 2}: many ties in the ratio test. The lexicographic rule must not cycle: every
    path ends within the bound, at one of the extreme equilibria vertex enumeration lists."""
    rng = np.random.default_rng(7)
    degenerate = 0
    for _ in range(20):
        A, B = rng.integers(0, 3, (2, 6, 6)).astype(float)
        game = NormalFormGame.from_bimatrix(A, B)
        every = nash_equilibria(game)
        degenerate += int(every.degenerate.any())
        if np.ptp(A) == 0 or np.ptp(B) == 0:
            continue
        bound = 50 * 12
        x, y, ok, pivots = paths(*scaled(A, B), max_seconds=30.0, max_pivots=bound)
        assert (pivots <= bound).all()
        assert ok.all()  # no path ran into the bound or a ray
        found = np.concatenate([x, y], axis=1)
        assert all(regret(A, B, r[:6], r[6:]) <= 1e-9 for r in found)
        assert all(contains(rows(every), r) for r in found)
    assert degenerate >= 10  # the point of the test: mostly degenerate games


def test_a_normal_form_too_large_to_enumerate_gets_lemke_howson_through_the_cli(tmp_path):
    rng = np.random.default_rng(3)
    A, B = rng.integers(0, 100, (2, 30, 30))
    cells = " ".join(f"{A[i, j]} {B[i, j]}" for j in range(30) for i in range(30))
    path = tmp_path / "g.nfg"
    path.write_text(f'NFG 1 R "30x30" {{ "P1" "P2" }} {{ 30 30 }}\n\n{cells}\n')
    run = [sys.executable, "-m", "negosim", "solve", str(path)]
    default = subprocess.run(run, capture_output=True, text=True, timeout=300)
    assert default.returncode == 0 and "--concept nash (Lemke-Howson" in default.stdout
    asked = subprocess.run([*run, "--concept", "nash", "--json"], capture_output=True, text=True, timeout=300)
    assert asked.returncode == 0, asked.stderr
    (sol,) = json.loads(asked.stdout)["solutions"]
    assert sol["concept"] == "nash" and sol["complete"] is False and len(sol["equilibria"]) >= 1
    assert any("60 starting labels" in note for note in json.loads(asked.stdout)["warnings"])


def test_method_lemke_is_asked_for_on_a_small_game_and_refused_where_it_does_not_apply():
    import negosim as ns
    from negosim.errors import UsageError
    from negosim.solve import solve

    bos = NormalFormGame.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    sol = ns.equilibria(bos, "nash", method="lemke")
    assert sol.method == "Lemke-Howson" and len(sol.point) == 2 and not sol.complete.any()
    with pytest.raises(UsageError):
        solve(bos, "nash", method="lemke", exact=True)
    with pytest.raises(UsageError):
        solve(bos, "nash", method="simplex")


def _paths_both_ways(monkeypatch, A: np.ndarray, B: np.ndarray, **kwargs):
    """`paths` with the compiled kernel and with numpy (NEGOSIM_NATIVE=0)."""
    monkeypatch.setenv("NEGOSIM_NATIVE", "1")
    native = paths(A, B, **kwargs)
    monkeypatch.setenv("NEGOSIM_NATIVE", "0")
    numpy_path = paths(A, B, **kwargs)
    return native, numpy_path


@pytest.mark.parametrize("kind", ["uniform", "integer halves", "zero-one"])
def test_the_compiled_paths_pivot_exactly_as_numpy_does(monkeypatch, kind):
    # The kernel repeats numpy's arithmetic operation for operation: the same end points bit for bit
    # and the same pivot counts, on generic games and on degenerate ones (integer payoffs, where the
    # lexicographic tie-break decides), and with a pivot bound that cuts paths short.
    pytest.importorskip("negosim.native._lemke_howson")
    rng = np.random.default_rng({"uniform": 1, "integer halves": 2, "zero-one": 3}[kind])
    for trial in range(60):
        m, n = (int(v) for v in rng.integers(1, 9, 2))
        if kind == "uniform":
            A, B = rng.uniform(1, 2, (2, m, n))
        elif kind == "integer halves":
            A, B = 1 + rng.integers(0, 3, (2, m, n)) / 2
        else:
            A, B = 1.0 + rng.integers(0, 2, (2, m, n))
        bound = {"max_pivots": 3} if trial % 5 == 0 else {}
        native, numpy_path = _paths_both_ways(monkeypatch, A, B, **bound)
        for ours, theirs in zip(native, numpy_path):
            assert ours.dtype == theirs.dtype and ours.tobytes() == theirs.tobytes(), (kind, trial, m, n)


def test_the_compiled_kernel_refuses_buffers_that_do_not_fit():
    kernel = pytest.importorskip("negosim.native._lemke_howson")
    P0 = np.ones((2, 5))
    Q0 = np.ones((2, 5))
    x, y = np.zeros(2), np.zeros(2)
    with pytest.raises(ValueError, match="do not fit"):
        kernel.follow(P0, Q0, 2, 4, 10, 1.0, x, y)  # label 4 of a 2 x 2 game does not exist
    with pytest.raises(ValueError, match="do not fit"):
        kernel.follow(np.ones((2, 4)), Q0, 2, 0, 10, 1.0, x, y)
    with pytest.raises(ValueError, match="do not fit"):
        kernel.follow(P0, Q0, 2, 0, 10, 1.0, np.zeros(3), y)
    with pytest.raises(ValueError, match="float64"):
        kernel.follow(P0.astype(np.float32), Q0, 2, 0, 10, 1.0, x, y)
    with pytest.raises((ValueError, BufferError)):
        kernel.follow(P0, Q0, 2, 0, 10, 1.0, x[::2], y)  # not contiguous
