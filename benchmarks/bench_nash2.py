"""All Nash equilibria of ONE 2-player game at a time: negosim against pygambit and QuantEcon, 2x2 to 20x20.

    python benchmarks/bench_nash2.py [--sizes 2,3,4,5,6,8,10,12,20] [--games N] [--budget 60] [--seed 0]

For each square size k it draws random games with standard normal payoffs (nondegenerate with
probability 1; `--games` of them at 2x2, fewer as k grows, see `games_for`) and times, per game
and per call, in CPU time (`time.process_time`, so other processes on a shared machine count less),
each game called `repeats_for(k)` times in a row (median over the games):

- negosim: `negosim.solve.mixed.nash_equilibria` on one `NormalFormGame` (one game, batch shape ():
  the 2x2 closed form or the lean path of `negosim.solve.bimatrix_lean` up to 3,000 support systems
  per polytope, the per-game convex-hull enumeration beyond), verification included; and
  `negosim.solve.solve(game, "nash")` and `negosim.equilibria(game, "nash")`, the front doors, at
  2x2 (the fixed cost of one small game);
- pygambit: `pygambit.nash.enummixed_solve(g, rational=False)` (lrs-style vertex enumeration, C++);
- QuantEcon: `quantecon.game_theory.vertex_enumeration` and `support_enumeration` (numba). WARM:
  each is first called on a game of the same size in the same process and that JIT compilation is
  not timed.

negosim is measured again right before each peer (interleaved: each ratio compares two runs made
one after the other), and the load average is printed at the start and the end.
Each peer runs in a child process per size with a budget of `--budget` seconds per game (plus 60 s
for imports and JIT warm-up); a peer that overruns is stopped and its row says "skipped (> 60 s per
game)". The equilibrium sets are compared (same count, probabilities within 1e-6); the row says
whether they agree. Lemke-Howson is not measured here (see docs/benchmarks.md). `run()` returns
the rows for `run_all.py`.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import time
from dataclasses import dataclass

import numpy as np

SIZES = (2, 3, 4, 5, 6, 8, 10, 12, 20)
PEERS = ("pygambit enummixed", "QuantEcon vertex_enumeration", "QuantEcon support_enumeration")
MATCH_TOL = 1e-6


@dataclass(frozen=True)
class Row:
    """One line of the table (the same fields as bench_sweep.Row, so run_all can print it)."""

    what: str
    measured: str
    target: str = ""
    met: str = ""


def games_for(k: int, base: int) -> int:
    """Games measured at size k: `base` at 2x2, shrinking as one game gets slower."""
    return max(1, {2: base, 3: base, 4: base // 2, 5: base // 4, 6: base // 5, 8: base // 20, 10: base // 50}.get(k, 1))


def repeats_for(k: int) -> int:
    """Calls per game timed in a row at size k (a few at the sizes where one call takes microseconds)."""
    return 5 if k <= 4 else 2 if k <= 6 else 1


def draw(k: int, count: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(seed + k)
    return [tuple(rng.standard_normal((2, k, k))) for _ in range(count)]  # type: ignore[misc]


def _peer_solve(name: str, A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Equilibria of (A, B) by a peer, as rows (x, y)."""
    if name == "pygambit enummixed":
        import pygambit

        g = pygambit.Game.from_arrays(A, B)
        eqs = pygambit.nash.enummixed_solve(g, rational=False).equilibria
        rows = [[float(eq[s]) for p in g.players for s in p.strategies] for eq in eqs]
        return np.array(rows, dtype=float).reshape(len(rows), -1)
    from quantecon import game_theory as gt

    g = gt.NormalFormGame((gt.Player(A), gt.Player(B.T)))
    solver = gt.vertex_enumeration if name == "QuantEcon vertex_enumeration" else gt.support_enumeration
    eqs = solver(g)
    return np.array([np.concatenate(e) for e in eqs]).reshape(len(eqs), -1)


def _peer_child(name: str, games, warm, conn) -> None:
    try:
        if warm is not None:
            _peer_solve(name, *warm)  # JIT compilation (QuantEcon) and imports: not timed
        times, sets = [], []
        for A, B in games:
            reps = repeats_for(len(A))
            t = time.process_time()
            for _ in range(reps):
                rows = _peer_solve(name, A, B)
            times.append((time.process_time() - t) / reps)
            sets.append(rows)
        conn.send(("ok", times, sets))
    except Exception as exc:  # reported in the table, not raised: one peer's failure ends no benchmark
        conn.send(("error", repr(exc), None))


def peer_times(name: str, games, warm, budget: float):
    """(status, per-game seconds, equilibrium sets) of `name` on `games`, in a child with a time budget."""
    ctx = mp.get_context("fork")
    here, there = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_peer_child, args=(name, games, warm, there))
    child.start()
    if here.poll(60 + budget * len(games)):
        status, times, sets = here.recv()
        child.join()
        return status, times, sets
    child.kill()
    child.join()
    return "skipped", None, None


def negosim_times(games) -> tuple[list[float], list[np.ndarray]]:
    """Per-call CPU seconds and equilibrium sets of `nash_equilibria` on each game (imports warmed first)."""
    from negosim.game.normal import NormalFormGame
    from negosim.solve.mixed import nash_equilibria

    times, sets = [], []
    for A, B in games:
        game = NormalFormGame.from_bimatrix(A, B)
        reps = repeats_for(len(A))
        t = time.process_time()
        for _ in range(reps):
            sol = nash_equilibria(game)
        times.append((time.process_time() - t) / reps)
        assert bool(sol.complete.all()), "a random game should be enumerated completely"
        sets.append(np.concatenate(sol.strategies, axis=1))
    return times, sets


def front_door_2x2(which: str = "solve", calls: int = 200, rounds: int = 15) -> float:
    """Median CPU seconds per call of `negosim.solve.solve(game, "nash")` (or, with ``which="equilibria"``,
    `negosim.equilibria(game, "nash")`) on one 2x2 game (battle of the sexes), over rounds of `calls` calls."""
    import negosim
    from negosim.game.normal import NormalFormGame
    from negosim.solve import solve

    game = NormalFormGame.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    call = (lambda: solve(game, "nash")) if which == "solve" else (lambda: negosim.equilibria(game, "nash"))
    call()
    out = []
    for _ in range(rounds):
        t = time.process_time()
        for _ in range(calls):
            call()
        out.append((time.process_time() - t) / calls)
    return statistics.median(out)


def agree(ours: list[np.ndarray], theirs: list[np.ndarray]) -> bool:
    """Same equilibrium count per game and every peer profile matched by a distinct one of ours."""
    for a, b in zip(ours, theirs):
        if len(a) != len(b):
            return False
        left = list(a)
        for v in b:
            hit = [i for i, w in enumerate(left) if np.abs(v - w).max() <= MATCH_TOL]
            if not hit:
                return False
            left.pop(hit[0])
    return True


def load() -> str:
    """The load average, as `uptime` prints it."""
    import os

    return ", ".join(f"{v:.2f}" for v in os.getloadavg())


def fmt_time(seconds: float) -> str:
    return f"{seconds * 1e6:,.0f} µs" if seconds < 1e-2 else f"{seconds * 1e3:,.1f} ms" if seconds < 10 else \
        f"{seconds:,.1f} s"


def run(sizes=SIZES, games: int = 200, budget: float = 60.0, seed: int = 0, quick: bool = False) -> list[Row]:
    """Measure every size against every peer; one row per (size, peer) plus negosim's own rows."""
    if quick:
        sizes, games = tuple(k for k in sizes if k <= 10), min(games, 40)
    rows: list[Row] = [Row("nash2: load average at the start (1, 5, 15 min)", load())]
    negosim_times(draw(2, 3, seed + 99))  # imports and first-call costs, not timed
    for which in ("solve", "equilibria"):
        rows.append(Row(f"nash2: {which}(game, \"nash\") on one 2x2 game, per call (median, CPU)",
                        fmt_time(front_door_2x2(which)), "well under 100 µs"))
    for k in sizes:
        batch = draw(k, games_for(k, games), seed)
        warm = draw(k, 1, seed + 1000)[0]
        negosim_times(batch[:1])  # index tables of this size, not timed
        runs = []
        for name in PEERS:
            ours_t, ours = negosim_times(batch)  # measured again right before each peer: interleaved
            t_ours = statistics.median(ours_t)
            runs.append(t_ours)
            status, times, sets = peer_times(name, batch, warm, budget)
            if status != "ok":
                detail = f"skipped (> {budget:g} s per game)" if status == "skipped" else f"failed: {times}"
                rows.append(Row(f"nash2: {k}x{k} {name}", detail))
                continue
            t_ref = statistics.median(times)
            rows.append(Row(f"nash2: {k}x{k} negosim vs {name}",
                            f"{t_ref / t_ours:,.1f}x ({fmt_time(t_ours)} vs {fmt_time(t_ref)} per game; "
                            f"sets agree: {'yes' if agree(ours, sets) else 'NO'})", "> 1x", "yes" if t_ref > t_ours
                            else "no"))
        rows.insert(len(rows) - len(PEERS), Row(
            f"nash2: {k}x{k} negosim nash_equilibria per game ({len(batch)} games, median CPU)",
            " / ".join(fmt_time(t) for t in runs) + " (the run before each peer)"))
    rows.append(Row("nash2: load average at the end (1, 5, 15 min)", load()))
    return rows


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)))
    ap.add_argument("--games", type=int, default=200, help="games at 2x2 (fewer at larger sizes)")
    ap.add_argument("--budget", type=float, default=60.0, help="seconds per game before a peer is skipped")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    rows = run(tuple(int(s) for s in args.sizes.split(",")), args.games, args.budget, args.seed)
    print("| what | measured | target | met? |\n|---|---|---|---|")
    for r in rows:
        print(f"| {r.what} | {r.measured} | {r.target} | {r.met} |", flush=True)


if __name__ == "__main__":
    main()
