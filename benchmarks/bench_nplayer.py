"""All Nash equilibria of random 3- and 4-player games, and the logit QRE branch, against pygambit.

    python benchmarks/bench_nplayer.py [--games 50] [--compare 20] [--seed 0] [--timeout 20]

For the shapes 2x2x2, 2x2x2x2 and 3x3x3 it draws N random games with standard normal payoffs and
measures, in the same run:

- negosim: `negosim.solve.nplayer.all_nash` on ONE batched game holding all N games (support
  enumeration with homotopy continuation; every path of every support and game as one array); time
  per game = wall time / N; it also counts the games it reports complete;
- pygambit `enumpoly_solve` and `gnm_solve`, one call per game on the first M games, each in a child
  process with a time limit per game (gnm can run without end on some games and cannot be
  interrupted in-process); a game that times out counts as not solved;
- how often each finds EVERY equilibrium: a reference set per game is negosim's complete set,
  checked to contain every equilibrium the peers found; a peer "finds every equilibrium" of a game
  when each reference equilibrium is within 1e-4 of one it returned.
And for the logit QRE branch from lambda 0 to the Nash limit on 3x3x3 games: negosim's batched
`logit_branch` against pygambit's `logit_solve_branch` per game, with the agreement of the limits.
Nothing is asserted: the numbers go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import time

import numpy as np

SHAPES = ((2, 2, 2), (2, 2, 2, 2), (3, 3, 3))
MATCH = 1e-4


def _peer_worker(method: str, arrays: list[np.ndarray], out) -> None:
    import pygambit

    g = pygambit.Game.from_arrays(*arrays)
    solver = {"enumpoly": pygambit.nash.enumpoly_solve, "gnm": pygambit.nash.gnm_solve}[method]
    started = time.perf_counter()
    result = solver(g)
    elapsed = time.perf_counter() - started
    rows = [[float(eq[s]) for p in g.players for s in p.strategies] for eq in result.equilibria]
    out.put((elapsed, rows))


def peer(method: str, arrays: list[np.ndarray], timeout: float) -> tuple[float | None, np.ndarray | None]:
    """(seconds, equilibria) of one pygambit solve in a child process, or (None, None) on a timeout."""
    queue: mp.Queue = mp.Queue()
    proc = mp.Process(target=_peer_worker, args=(method, arrays, queue))
    proc.start()
    proc.join(timeout)
    if proc.is_alive():
        proc.kill()
        proc.join()
        return None, None
    if queue.empty():
        return None, None
    elapsed, rows = queue.get()
    width = sum(arrays[0].shape)  # every player's actions
    return elapsed, np.array(rows, dtype=float).reshape(len(rows), width)


def covers(found: np.ndarray, reference: np.ndarray) -> bool:
    """Every reference equilibrium is within MATCH of one in `found`."""
    return all(len(found) and np.abs(found - r).max(axis=1).min() <= MATCH for r in reference)


def measure(games: int = 50, compare: int = 20, seed: int = 0, timeout: float = 20.0) -> list[tuple[str, str]]:
    from negosim.game.generate import random_game
    from negosim.solve.nplayer import all_nash

    try:
        import pygambit  # noqa: F401
    except ImportError:
        pygambit = None
    lines = []
    for k, shape in enumerate(SHAPES):
        game = random_game(shape, batch=(games,), rng=seed + k, kind="float")
        started = time.perf_counter()
        sol = all_nash(game)
        ours_time = (time.perf_counter() - started) / games
        flat = np.concatenate(sol.strategies, axis=1)
        ours = [flat[sol.rows_at(i)] for i in range(games)]
        complete = int(sol.complete.sum())
        label = "x".join(map(str, shape))
        lines.append((f"all equilibria {label}: negosim batch of {games}",
                      f"{ours_time * 1e3:.1f} ms/game, complete at {complete}/{games} games, odd counts at "
                      f"{int((sol.counts() % 2 == 1).sum())}/{games}"))
        if shape == (2, 2, 2):  # the batch is the point: a sweep-sized batch of the smallest games
            big = random_game(shape, batch=(20 * games,), rng=seed + 100, kind="float")
            started = time.perf_counter()
            many = all_nash(big)
            per_game = (time.perf_counter() - started) / (20 * games)
            lines.append((f"all equilibria {label}: negosim batch of {20 * games}",
                          f"{per_game * 1e3:.2f} ms/game, complete at {int(many.complete.sum())}/{20 * games}"))
        if pygambit is None:
            continue
        payoffs = game.payoffs.reshape(games, len(shape), *shape)
        for method in ("enumpoly", "gnm"):
            times, every, missing_ours, timeouts = [], 0, 0, 0
            for i in range(min(compare, games)):
                elapsed, found = peer(method, [payoffs[i, p] for p in range(len(shape))], timeout)
                if elapsed is None:
                    timeouts += 1
                    continue
                times.append(elapsed)
                every += covers(found, ours[i])
                missing_ours += not covers(ours[i], found)
            m = min(compare, games)
            speed = f"{np.mean(times) * 1e3:.1f} ms/game ({np.mean(times) / ours_time:.1f}x negosim's time)" \
                if times else "no game finished"
            lines.append((f"all equilibria {label}: pygambit {method}_solve per game (first {m})",
                          f"{speed}; found every equilibrium in {every}/{m}; timed out ({timeout:g} s) in "
                          f"{timeouts}/{m}; equilibria negosim lacked: {missing_ours}"))
    lines += qre_lines(games=min(games, 20), seed=seed, pygambit=pygambit)
    return lines


def qre_lines(games: int, seed: int, pygambit) -> list[tuple[str, str]]:
    from negosim.game.generate import random_game
    from negosim.solve.qre import logit_branch

    game = random_game((3, 3, 3), batch=(games,), rng=seed + 10, kind="float")
    started = time.perf_counter()
    branch = logit_branch(game)
    ours = (time.perf_counter() - started) / games
    lines = [("QRE branch to the Nash limit, 3x3x3: negosim batch of " + str(games),
              f"{ours * 1e3:.1f} ms/game, converged at {int(branch.converged.sum())}/{games}")]
    if pygambit is None:
        return lines
    payoffs = game.payoffs.reshape(games, 3, 3, 3, 3)
    times, agree = [], 0
    for i in range(games):
        g = pygambit.Game.from_arrays(*[payoffs[i, p] for p in range(3)])
        started = time.perf_counter()
        theirs = pygambit.qre.logit_solve_branch(g)
        times.append(time.perf_counter() - started)
        last = np.array([theirs[-1][j] for j in range(9)])
        agree += np.abs(last - branch.profiles[i][-1]).max() <= MATCH
    lines.append((f"QRE branch, 3x3x3: pygambit logit_solve_branch per game ({games})",
                  f"{np.mean(times) * 1e3:.1f} ms/game ({np.mean(times) / ours:.1f}x negosim's time); limits "
                  f"agree in {agree}/{games}"))
    return lines


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--games", type=int, default=50)
    ap.add_argument("--compare", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=20.0)
    args = ap.parse_args(argv)
    print("| what | measured |\n|---|---|")
    for what, value in measure(args.games, args.compare, args.seed, args.timeout):
        print(f"| {what} | {value} |")


if __name__ == "__main__":
    main()
