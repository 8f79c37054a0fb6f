"""The regime map of a finished 1000 x 1000 seed sweep, drawn in a fresh process as the CLI draws it.

    python benchmarks/bench_regime_map.py [--n 1000] [--runs 9] [--against DIR]

Each run is a new Python process that first imports what the CLI has imported when its sweep ends (numpy,
pyarrow, negosim's CLI, sweep engine and scenario loader, `negosim.sweep.output`) and then times, on its
main thread, the figure's imports and `plot_folder` on the sweep's folder (read points.npz, content,
painting, the PNG written): wall time (`time.perf_counter`) and the thread's CPU (`time.thread_time`).
With ``--against DIR`` (a copy of another commit, e.g. from ``git archive``, its native kernels built or
copied in), the runs of both trees alternate. Medians are printed; both trees run from compiled bytecode,
as an installed package does.

`run()` (picked up by benchmarks/run_all.py) gives the median for this tree alone.
"""

from __future__ import annotations

import argparse
import compileall
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "scenarios" / "ceasefire_2025.yaml"

#: What a run does in its fresh process: the CLI's imports untimed, then the figure timed.
CHILD = """
import sys, time
import numpy, pyarrow, pyarrow.parquet
import negosim.cli, negosim.sweep.engine, negosim.scenario, negosim.sweep.output, negosim.io.atomic
wall, cpu = time.perf_counter(), time.thread_time()
from negosim.present.figures.sweep_plots import plot_folder
plot_folder(sys.argv[1], out_dir=sys.argv[2])
print(1e3 * (time.perf_counter() - wall), 1e3 * (time.thread_time() - cpu))
"""


def sweep_folder(n: int, where: Path) -> Path:
    """A finished n x n seed sweep (no figure), made with this tree's CLI."""
    folder = where / f"sweep-{n}"
    subprocess.run([sys.executable, "-m", "negosim", "sweep", str(SEED), "--vary", f"p=0.2:0.8:{n}", "--vary",
                    f"mu=0:0.3:{n}", "-o", str(folder), "--quiet", "--figures", "none"], cwd=ROOT, check=True,
                   capture_output=True)
    return folder


def one_run(tree: Path, folder: Path, out: Path) -> tuple[float, float]:
    """(wall ms, CPU ms) of the figure's imports and `plot_folder` in a fresh process running `tree`."""
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, "-c", CHILD, str(folder), str(out)], cwd=tree, env=env, check=True,
                          capture_output=True, text=True)
    wall, cpu = (float(v) for v in done.stdout.split()[-2:])
    return wall, cpu


def measure(trees: list[Path], n: int, runs: int) -> dict[Path, list[tuple[float, float]]]:
    """`runs` interleaved fresh-process runs of each tree's regime map on one n x n sweep (after one
    untimed run each, which writes any missing bytecode)."""
    for tree in trees:
        compileall.compile_dir(str(tree / "negosim"), quiet=1)
    times: dict[Path, list[tuple[float, float]]] = {tree: [] for tree in trees}
    with tempfile.TemporaryDirectory(prefix="bench-regime-") as tmp:
        folder = sweep_folder(n, Path(tmp))
        for tree in trees:
            one_run(tree, folder, Path(tmp) / "warm")
        for k in range(runs):
            for tree in trees:
                times[tree].append(one_run(tree, folder, Path(tmp) / f"out-{k}"))
    return times


def run(quick: bool = False) -> list:
    """The median regime map of this tree, fresh process, as a row of run_all.py's table."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_sweep import Row

    n, runs = (300, 3) if quick else (1000, 7)
    got = measure([ROOT], n, runs)[ROOT]
    wall, cpu = statistics.median(w for w, _ in got), statistics.median(c for _, c in got)
    return [Row(f"regime map of the {n} x {n} seed sweep, fresh process (figure imports + plot_folder), median "
                f"of {runs}, wall / CPU", f"{wall:.0f} ms / {cpu:.0f} ms", "<= 50 ms" if not quick else "",
                ("yes" if wall <= 50 else "no") if not quick else "")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="grid values along each axis (default 1000)")
    parser.add_argument("--runs", type=int, default=9, help="fresh-process runs of each tree (default 9)")
    parser.add_argument("--against", type=Path, help="another tree to alternate with (a copy of a commit)")
    args = parser.parse_args()
    trees = [ROOT] + ([args.against.resolve()] if args.against else [])
    for tree, got in measure(trees, args.n, args.runs).items():
        walls, cpus = sorted(w for w, _ in got), sorted(c for _, c in got)
        print(f"{tree}: {len(got)} runs, wall median {statistics.median(walls):.1f} ms (best {walls[0]:.1f}), "
              f"CPU median {statistics.median(cpus):.1f} ms (best {cpus[0]:.1f})")


if __name__ == "__main__":
    main()
