"""The compiled vertex walk against the qhull path it replaces, one 2-player game at a time, interleaved.

    python benchmarks/hull_native_ab.py [--sizes 7,8,9,10,11,12] [--rounds 2]

For each size it draws the same random games as ``bench_nash2.py`` (standard normal payoffs, its
seed and game counts) and times `nash_equilibria` per game in CPU seconds (`time.process_time`) with
the compiled kernel (``NEGOSIM_NATIVE=1``) and without it (``NEGOSIM_NATIVE=0``: qhull and the numpy
certification), the two taking turns `--rounds` times; it checks that both give the same strategies
and prints medians, their ratio and the load average. Not a `run()` benchmark of ``run_all.py``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

from negosim.game.normal import NormalFormGame
from negosim.solve.mixed import nash_equilibria

GAMES = {7: 20, 8: 20, 9: 10, 10: 5, 11: 2, 12: 2}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="7,8,9,10,11,12")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    for k in (int(s) for s in args.sizes.split(",")):
        rng = np.random.default_rng(1000 * k + k)  # bench_nash2.draw with seed 0
        games = [NormalFormGame.from_bimatrix(*rng.standard_normal((2, k, k))) for _ in range(GAMES.get(k, 1))]
        times: dict[str, list[float]] = {"1": [], "0": []}
        answers: dict[str, list] = {"1": [], "0": []}
        for flag in times:  # warm-up: imports and first-call caches, not timed
            os.environ["NEGOSIM_NATIVE"] = flag
            nash_equilibria(games[0])
        for _ in range(args.rounds):
            for flag in times:
                os.environ["NEGOSIM_NATIVE"] = flag
                for g in games:
                    t = time.process_time()
                    sol = nash_equilibria(g)
                    times[flag].append(time.process_time() - t)
                    answers[flag].append(sol.strategies)
        same = all(all(np.array_equal(a, b) for a, b in zip(x, y)) for x, y in zip(answers["1"], answers["0"]))
        on, off = statistics.median(times["1"]), statistics.median(times["0"])
        print(f"{k}x{k}: compiled walk {on * 1e3:.2f} ms, NEGOSIM_NATIVE=0 {off * 1e3:.2f} ms per game, "
              f"{off / on:.1f}x; same strategies: {same}; load {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
