"""All Nash equilibria of ONE 2-player game at a time: negosim against pygambit and QuantEcon, 2x2 to 20x20 and 200x3.

    python benchmarks/bench_nash2.py [--sizes 2,3,4,5,6,7,8,9,10,11,12,20,200x3] [--games N] [--rounds R]
                                     [--budget 60] [--seed 0]

For each size (``k`` for k x k, or ``mxn``) it draws random games with standard normal payoffs
(nondegenerate with probability 1; `--games` of them up to 8x8, fewer as one game gets slower, see
`games_for`) and times, per game and per call, in CPU seconds (`time.process_time` inside the
process that solves; the machine is shared, so wall time would measure the others' load):

- negosim: `negosim.solve.mixed.nash_equilibria` on one `NormalFormGame` (the size policy picks the
  method: the lean small-game path, the batched subset enumeration, or the per-game convex-hull
  enumeration `solve/hull.py` for one game from 6x6), verification included; and
  `negosim.solve.solve(game, "nash")`, the front door of the solve layer, at 2x2 (the fixed cost of
  one small game);
- pygambit: `pygambit.nash.enummixed_solve(g, rational=False)` (lrs-style vertex enumeration, C++);
- QuantEcon: `quantecon.game_theory.vertex_enumeration` and `support_enumeration` (numba). WARM:
  each is first called on a game of the same size in the same process and that JIT compilation is
  not timed.

Each timed call builds the solver's game from the two arrays and converts its equilibria to rows (x, y),
for every solver; the solvers' imports are done once before the clock runs, and the benchmark's own
checks of a result run after it stops. Every solver, negosim included, is imported and runs in a child
process per size and round (the parent imports none), on copies of the games made in that process (first
solving a warm-up
game of the same size, not timed; negosim, which compiles nothing at run time, warms up on a 7x7 game
instead where the size is beyond 12x12, so that a 20x20 warm-up does not take minutes), with a
budget of `--budget` wall seconds per game for a peer and `--own-budget` for negosim (plus 60 s for
imports and JIT warm-up); one over budget is stopped and its row says "skipped". The solvers take
turns: `--rounds` rounds of negosim, pygambit, QuantEcon vertex, QuantEcon support, so a change in
the machine's load hits all of them; a size's figure is the median over all its games and rounds.
Each row also gives the child's peak memory (max RSS) and the load average over the size. The
equilibrium sets are compared (same count, probabilities within 1e-6). Lemke-Howson is not measured
here (see docs/benchmarks.md). `run()` returns the rows for `run_all.py`.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

SIZES: tuple[str, ...] = ("2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "20", "200x3")
PEERS = ("pygambit enummixed", "QuantEcon vertex_enumeration", "QuantEcon support_enumeration")
MATCH_TOL = 1e-6


@dataclass(frozen=True)
class Row:
    """One line of the table (the same fields as bench_sweep.Row, so run_all can print it)."""

    what: str
    measured: str
    target: str = ""
    met: str = ""


def shape_of(size: str) -> tuple[int, int]:
    """(m, n) from "k" (k x k) or "mxn"."""
    m, _, n = size.partition("x")
    return int(m), int(n or m)


def games_for(size: str, base: int) -> int:
    """Games measured at a size: `base` up to 8x8, shrinking as one game gets slower."""
    m, n = shape_of(size)
    if max(m, n) > 30:  # lopsided: a small polytope, quick for negosim, over a minute for two peers
        return max(1, base // 20)
    fewer = {9: base // 2, 10: base // 4, 11: base // 8, 12: base // 8}
    return max(1, fewer.get(max(m, n), base if m * n <= 64 else 1))


def draw(size: str, count: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    m, n = shape_of(size)
    rng = np.random.default_rng(seed + 1000 * m + n)
    return [tuple(rng.standard_normal((2, m, n))) for _ in range(count)]  # type: ignore[misc]


NEGOSIM = "negosim nash_equilibria"


def solver(name: str) -> Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, object]]:
    """The function that solves (A, B) with solver `name`: the equilibria as rows (x, y), and its own result.

    The solver's imports happen here, once, not in the timed calls (an import statement costs about a
    microsecond even when the module is loaded: a tenth of a 2x2 game). Each function builds the
    solver's game from the two arrays and converts its equilibria to rows: both are timed, for every
    solver. The result is checked after the clock stops (`check`).
    """
    if name == NEGOSIM:
        from negosim.game.normal import NormalFormGame
        from negosim.solve.mixed import nash_equilibria

        from_bimatrix = NormalFormGame.from_bimatrix

        def negosim(A: np.ndarray, B: np.ndarray) -> tuple[np.ndarray, object]:
            sol = nash_equilibria(from_bimatrix(A, B))
            return np.concatenate(sol.strategies, axis=1), sol

        return negosim
    if name == "pygambit enummixed":
        import pygambit

        from_arrays, enummixed = pygambit.Game.from_arrays, pygambit.nash.enummixed_solve

        def gambit(A: np.ndarray, B: np.ndarray) -> tuple[np.ndarray, object]:
            g = from_arrays(A, B)
            eqs = enummixed(g, rational=False).equilibria
            rows = [[float(eq[s]) for p in g.players for s in p.strategies] for eq in eqs]
            return np.array(rows, dtype=float).reshape(len(rows), -1), None

        return gambit
    from quantecon import game_theory as gt

    enumerate_ = gt.vertex_enumeration if name == "QuantEcon vertex_enumeration" else gt.support_enumeration
    game_of, player = gt.NormalFormGame, gt.Player

    def quantecon(A: np.ndarray, B: np.ndarray) -> tuple[np.ndarray, object]:
        eqs = enumerate_(game_of((player(A), player(B.T))))
        return np.array([np.concatenate(e) for e in eqs]).reshape(len(eqs), -1), None

    return quantecon


def check(name: str, result: object) -> None:
    """The benchmark's own test of a result, outside the timed call: negosim says its enumeration is complete."""
    if name == NEGOSIM:
        assert bool(result.complete.all()), "a random game should be enumerated completely"  # type: ignore[attr-defined]


def _child(name: str, games, warm, conn) -> None:
    import resource

    try:
        solve = solver(name)
        check(name, solve(*warm)[1])  # imports, JIT compilation (QuantEcon), first-call caches: not timed
        # the games copied into this process's own memory, untimed: the parent's objects would cost each
        # solver copy-on-write page faults on first touch after the fork (a few µs per game, the same for all)
        games = [(A.copy(), B.copy()) for A, B in games]
        times, sets = [], []
        clock = time.process_time
        for A, B in games:
            t = clock()
            rows, result = solve(A, B)
            times.append(clock() - t)
            check(name, result)
            sets.append(rows)
        conn.send(("ok", times, sets, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
    except Exception as exc:  # reported in the table, not raised: one solver's failure ends no benchmark
        conn.send(("error", repr(exc), None, 0.0))


def solver_times(name: str, games, warm, budget: float):
    """(status, per-game CPU seconds, equilibrium sets, peak MB) of `name` on `games`, in a child with a budget."""
    ctx = mp.get_context("fork")
    here, there = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(name, games, warm, there))
    child.start()
    if here.poll(60 + budget * len(games)):
        status, times, sets, mb = here.recv()
        child.join()
        return status, times, sets, mb
    child.kill()
    child.join()
    return "skipped", None, None, 0.0


def front_door_2x2(calls: int = 2000) -> float:
    """Median seconds per call of `negosim.solve.solve(game, "nash")` on one 2x2 game (battle of the sexes)."""
    from negosim.game.normal import NormalFormGame
    from negosim.solve import solve

    game = NormalFormGame.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    solve(game, "nash")
    out = []
    for _ in range(calls):
        t = time.perf_counter()
        solve(game, "nash")
        out.append(time.perf_counter() - t)
    return statistics.median(out)


def _send_result(task: Callable[[], float], conn) -> None:
    conn.send(task())


def _in_child(task: Callable[[], float]) -> float:
    """`task()` run in a forked child process (so that this process imports no solver)."""
    ctx = mp.get_context("fork")
    here, there = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_send_result, args=(task, there))
    child.start()
    value = here.recv()
    child.join()
    return value


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


def fmt_time(seconds: float) -> str:
    return f"{seconds * 1e6:,.0f} µs" if seconds < 1e-2 else f"{seconds * 1e3:,.1f} ms" if seconds < 10 else \
        f"{seconds:,.1f} s"


def run(sizes=SIZES, games: int = 40, budget: float = 60.0, seed: int = 0, quick: bool = False,
        rounds: int = 1, own_budget: float = 3600.0) -> list[Row]:
    """Measure every size against every peer, interleaved; one row per (size, peer) plus negosim's own rows."""
    import os

    sizes = tuple(str(s) for s in sizes)
    if quick:
        sizes, games = tuple(s for s in sizes if max(shape_of(s)) <= 10), min(games, 20)
    rows: list[Row] = []
    # Nothing of any solver is imported here: each imports in its own child, negosim too (imported in the
    # parent, negosim alone ran about 1.5x slower per small game in its forked children than imported there)
    rows.append(Row("nash2: solve(game, \"nash\") on one 2x2 game, per call (median)",
                    fmt_time(_in_child(front_door_2x2)), "well under 100 µs"))
    for size in sizes:
        batch = draw(size, games_for(size, games), seed)
        warm = draw(size, 1, seed + 7)[0]
        label = "x".join(map(str, shape_of(size)))
        load = [os.getloadavg()[0]]
        got: dict[str, tuple] = {name: ("ok", [], [], 0.0) for name in (NEGOSIM, *PEERS)}
        for _ in range(rounds):
            for name in (NEGOSIM, *PEERS):
                if got[name][0] != "ok":
                    continue  # over budget or failed once: not tried again
                # the same size's warm-up for everyone (imports, first-call caches, the code path's first run);
                # negosim compiles nothing, so beyond 12x12 a 7x7 game warms it up, not another 20x20 one
                big = max(shape_of(size)) > 12
                first = draw("7", 1, seed + 7)[0] if name == NEGOSIM and big else warm
                status, times, sets, mb = solver_times(name, batch, first, own_budget if name == NEGOSIM else budget)
                if status != "ok":
                    got[name] = (status, times, None, 0.0)
                    continue
                _, t0, s0, mb0 = got[name]
                got[name] = ("ok", t0 + times, sets, max(mb0, mb))
        load.append(os.getloadavg()[0])
        status, ours_t, ours, ours_mb = got[NEGOSIM]
        if status != "ok":
            rows.append(Row(f"nash2: {label} negosim", f"{status}: {ours_t}"))
            continue
        t_ours = statistics.median(ours_t)
        rows.append(Row(f"nash2: {label} negosim nash_equilibria per game ({len(batch)} games x {rounds} rounds, "
                        f"median CPU; load {min(load):.1f}-{max(load):.1f})",
                        f"{fmt_time(t_ours)}, peak {ours_mb:,.0f} MB"))
        for name in PEERS:
            status, times, sets, _ = got[name]
            if status != "ok":
                detail = f"skipped (> {budget:g} s per game)" if status == "skipped" else f"failed: {times}"
                rows.append(Row(f"nash2: {label} {name}", detail, "> 1x", "no"))
                continue
            t_ref = statistics.median(times)
            rows.append(Row(f"nash2: {label} negosim vs {name}",
                            f"{t_ref / t_ours:,.1f}x ({fmt_time(t_ours)} vs {fmt_time(t_ref)} per game; "
                            f"sets agree: {'yes' if agree(ours, sets) else 'NO'})", "> 1x", "yes" if t_ref > t_ours
                            else "no"))
    return rows


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default=",".join(SIZES), help="k for k x k, or mxn")
    ap.add_argument("--games", type=int, default=40, help="games per size up to 8x8 (fewer beyond)")
    ap.add_argument("--rounds", type=int, default=1, help="turns of every solver per size (interleaved)")
    ap.add_argument("--budget", type=float, default=60.0, help="seconds per game before a peer is skipped")
    ap.add_argument("--own-budget", type=float, default=3600.0,
                    help="wall seconds per game before negosim is stopped (20x20 takes minutes when loaded)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    rows = run(tuple(args.sizes.split(",")), args.games, args.budget, args.seed, rounds=args.rounds,
               own_budget=args.own_budget)
    print("| what | measured | target | met? |\n|---|---|---|---|")
    for r in rows:
        print(f"| {r.what} | {r.measured} | {r.target} | {r.met} |", flush=True)


if __name__ == "__main__":
    main()
