"""Lemke-Howson on one large 2-player game: negosim against nashpy, QuantEcon and pygambit.

    python benchmarks/bench_lemke.py [--sizes 20,50,100] [--budget 60]

One random game with standard normal payoffs per size (20x20, 50x50, 100x100), one run each.
negosim (`negosim.solve.lemke_howson.lemke_howson`) follows the paths from ALL m + n starting labels
and verifies what they reach. The peers, each in a forked child process killed after `budget`
seconds (a pygambit call can hang where no signal reaches it):

- nashpy `Game.lemke_howson(initial_dropped_label=0)`: one path (pure-Python pivoting);
- QuantEcon `game_theory.lemke_howson(g, init_pivot=0)` one path, and the loop over all m + n
  labels, WARM (numba compiles on the same size first, not timed);
- pygambit `nash.lcp_solve(use_strategic=True, stop_after=1)`: its first equilibrium.

Times are CPU seconds of the process doing the work (`time.process_time`): the machine is shared, so
wall time says more about the load than about the method. The ratio is the peer's time over
negosim's; above 1x negosim is faster. Where the peer follows one path and negosim all of them, the
ratio understates negosim. Each reported profile is checked for a profitable deviation (regret).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import time

import numpy as np
from bench_sweep import Row

SIZES = (20, 50, 100)
PEERS = ("nashpy lemke_howson (label 0)", "QuantEcon lemke_howson (label 0, warm)",
         "QuantEcon lemke_howson (all labels, warm)", "pygambit lcp_solve (first equilibrium)")


def game(k: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed + k)
    A, B = rng.standard_normal((2, k, k))
    return A, B


def regret(A: np.ndarray, B: np.ndarray, x: np.ndarray, y: np.ndarray) -> float:
    return max(float((A @ y).max() - x @ A @ y), float((x @ B).max() - x @ B @ y))


def _peer(name: str, A: np.ndarray, B: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """The equilibria `name` returns for (A, B)."""
    m, n = A.shape
    if name.startswith("nashpy"):
        import warnings

        import nashpy

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return [tuple(nashpy.Game(A, B).lemke_howson(initial_dropped_label=0))]  # type: ignore[list-item]
    if name.startswith("QuantEcon"):
        from quantecon import game_theory as gt

        g = gt.NormalFormGame((gt.Player(A), gt.Player(B.T)))
        labels = range(m + n) if "all labels" in name else range(1)
        return [gt.lemke_howson(g, init_pivot=k) for k in labels]
    import pygambit

    g = pygambit.Game.from_arrays(A, B)
    eqs = pygambit.nash.lcp_solve(g, rational=False, use_strategic=True, stop_after=1).equilibria
    row_player, column_player = list(g.players)
    return [(np.array([float(eq[s]) for s in row_player.strategies]),
             np.array([float(eq[s]) for s in column_player.strategies])) for eq in eqs]


def _child(name: str, A: np.ndarray, B: np.ndarray, conn) -> None:
    try:
        if name.startswith("QuantEcon"):
            _peer(name, *game(A.shape[0], seed=999))  # numba compilation: not timed
        started = time.process_time()
        found = _peer(name, A, B)
        seconds = time.process_time() - started
        conn.send(("ok", seconds, max(regret(A, B, np.asarray(x), np.asarray(y)) for x, y in found), len(found)))
    except Exception as exc:  # reported in the table: one peer's failure ends no benchmark
        conn.send(("error", repr(exc), None, None))


def peer_time(name: str, A: np.ndarray, B: np.ndarray, budget: float):
    """(status, CPU seconds, largest regret, profiles) of peer `name`, in a child killed after `budget` s."""
    ctx = mp.get_context("fork")
    here, there = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(name, A, B, there))
    child.start()
    if here.poll(budget + 30):  # imports and QuantEcon's compilation are outside the timing
        answer = here.recv()
        child.join()
        return answer
    child.kill()
    child.join()
    return "skipped", None, None, None


def negosim_time(A: np.ndarray, B: np.ndarray) -> tuple[float, float, int, str]:
    """CPU seconds, wall seconds, distinct equilibria and largest regret of negosim's Lemke-Howson."""
    from negosim.game.normal import NormalFormGame
    from negosim.solve.lemke_howson import lemke_howson

    g = NormalFormGame.from_bimatrix(A, B)
    wall, cpu = time.perf_counter(), time.process_time()
    sol = lemke_howson(g)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    worst = max(regret(A, B, x, y) for x, y in zip(*sol.strategies))
    return cpu, wall, len(sol.point), f"{worst:.1e}"


def fmt(seconds: float) -> str:
    return f"{seconds * 1e3:,.1f} ms" if seconds < 1 else f"{seconds:,.2f} s"


def run(sizes=SIZES, budget: float = 60.0, quick: bool = False) -> list[Row]:
    """One row per size for negosim and one per (size, peer): metric, negosim, reference, ratio."""
    if quick:
        sizes = tuple(k for k in sizes if k <= 20)
    negosim_time(*game(3, seed=7))  # imports, not timed
    rows: list[Row] = []
    for k in sizes:
        A, B = game(k)
        cpu, wall, count, worst = negosim_time(A, B)
        rows.append(Row(f"lemke: {k}x{k} negosim, all {2 * k} labels", f"{fmt(cpu)} CPU ({fmt(wall)} wall), "
                        f"{count} distinct equilibria, largest regret {worst}"))
        for name in PEERS:
            status, seconds, worst_peer, found = peer_time(name, A, B, budget)
            if status != "ok":
                detail = f"skipped (> {budget:g} s)" if status == "skipped" else f"failed: {seconds}"
                rows.append(Row(f"lemke: {k}x{k} {name}", detail))
                continue
            rows.append(Row(f"lemke: {k}x{k} negosim vs {name}",
                            f"{seconds / cpu:,.2f}x (negosim {fmt(cpu)}, reference {fmt(seconds)} CPU; "
                            f"{found} profile(s), largest regret {worst_peer:.1e})", "> 1x",
                            "yes" if seconds > cpu else "no"))
    return rows


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)))
    ap.add_argument("--budget", type=float, default=60.0, help="seconds per peer call before it is stopped")
    args = ap.parse_args(argv)
    print("| what | measured | target | met? |\n|---|---|---|---|")
    for r in run(tuple(int(s) for s in args.sizes.split(",")), args.budget):
        print(f"| {r.what} | {r.measured} | {r.target} | {r.met} |", flush=True)


if __name__ == "__main__":
    main()
