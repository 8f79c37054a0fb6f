"""Measure the foundation's performance targets and print a table of ratios.

    python benchmarks/bench_core.py [--points 100000] [--single 300]

- start-up: `negosim --help` and `negosim solve scenarios/ceasefire_2025.yaml` (wall time, best of 5);
- the seed scenario over N parameter points solved as one batch (build + subgame-perfect solve),
  against the same kind of point solved one at a time (time per point, extrapolated to N).
Nothing here is asserted: the numbers go in the docs and the closing notes.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "scenarios" / "ceasefire_2025.yaml"


def best_of(fn, repeat=5):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def command(args):
    return lambda: subprocess.run([sys.executable, "-m", "negosim", *args], check=True, capture_output=True, cwd=ROOT)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=100_000)
    ap.add_argument("--single", type=int, default=300, help="points solved one at a time (extrapolated)")
    args = ap.parse_args()

    from negosim.scenario import load_scenario
    from negosim.solve.spe import subgame_perfect

    sc = load_scenario(SEED)
    rng = np.random.default_rng(0)
    n = args.points
    params = {"p": rng.uniform(0.2, 0.8, n), "mu": rng.uniform(0, 0.3, n), "s": rng.uniform(0, 0.3, n)}

    def batched():
        subgame_perfect(sc.build(params))

    def one_at_a_time():
        for i in range(args.single):
            subgame_perfect(sc.build({k: float(v[i]) for k, v in params.items()}))

    batched()  # warm up
    t_batch = best_of(batched, 3)
    t_single = best_of(one_at_a_time, 1) / args.single * n
    t_help = best_of(command(["--help"]))
    t_solve = best_of(command(["solve", str(SEED)]))

    rows = [
        ("negosim --help (CLI start-up)", f"{t_help:.3f} s", "target < 0.3 s"),
        ("negosim solve ceasefire_2025.yaml", f"{t_solve:.3f} s", "target < 1 s"),
        (f"seed scenario, {n:,} points, one batch (build + SPE)", f"{t_batch:.3f} s", "target well under 1 s"),
        (f"same points one at a time (from {args.single})", f"{t_single:.1f} s", ""),
        ("speed-up of the batch", f"{t_single / t_batch:,.0f}x", "target >= 50x"),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>10}  {target}")


if __name__ == "__main__":
    main()
