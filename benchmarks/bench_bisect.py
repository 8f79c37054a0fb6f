"""Boundary bisection of a one-parameter sweep of a big tree, against the sweep's own grid solve.

``python benchmarks/bench_bisect.py [--depths 6 8 10] [--grid 201]`` sweeps the parameter `a` of a
ternary tree (`tree_yaml.py`: 1,093, 9,841 and 88,573 nodes) over a grid, solving it in the sweep's
chunks (build, verified subgame-perfect solve, outcome labels), then locates every change of outcome
between neighbouring grid points as a sweep does (`negosim.sweep.engine.grid_boundaries`: bisection
to 1e-9, then the tie and selection flags), twice in the same run:

- look-ahead: several bisection steps per batched solve (`negosim.sweep.bisection`), each solve
  bounded by the sweep's chunk size, as `negosim sweep` runs it;
- one step per solve: the same code bounded to one point per bracket, i.e. plain batched
  bisection (one solve per step, as before look-ahead; the old code also spent a second solve on
  the brackets' ends and a second on the flags).

Both must find the same boundaries, bit for bit. Times are CPU seconds (`time.process_time`), since
the machine is shared; the ratio is bisection time over grid-solve time.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tree_yaml import count_nodes, tree_yaml  # noqa: E402

from negosim.scenario.validate import scenario_from_document  # noqa: E402
from negosim.scenario.yamlio import parse_yaml  # noqa: E402
from negosim.solve.primary import outcome_labels, primary_solution  # noqa: E402
from negosim.sweep import boundaries  # noqa: E402
from negosim.sweep.engine import auto_chunk_size, grid_boundaries  # noqa: E402


@dataclass(frozen=True)
class Row:
    """One line of the table (the shape `run_all.py` reads)."""

    what: str
    measured: str
    target: str = ""
    met: str = ""


def grid_labels(scenario, values: np.ndarray, chunk: int) -> np.ndarray:
    """Each grid value's outcome label, solved chunk by chunk as a sweep solves it."""
    parts = []
    for start in range(0, len(values), chunk):
        game = scenario.build({"a": values[start:start + chunk]})
        parts.append(outcome_labels(game, solution=primary_solution(game)).reshape(-1))
    return np.concatenate(parts)


def counted_bisection(scenario, values, labels, max_points: int) -> tuple[list, float, int]:
    """The sweep's boundaries, the CPU seconds they took and the batched labelling solves (plus one
    for the flags)."""
    calls = [0]
    plain = boundaries._labels_at

    def counting(*args):
        calls[0] += 1
        return plain(*args)

    boundaries._labels_at = counting
    try:
        start = time.process_time()
        found = grid_boundaries(scenario, "a", values, labels, max_points=max_points)
        return found, time.process_time() - start, calls[0] + 1
    finally:
        boundaries._labels_at = plain


def measure(depth: int, grid: int) -> list[Row]:
    """Rows for one tree: grid solve, look-ahead and one-step bisection, and their ratios."""
    nodes = count_nodes(depth)
    scenario = scenario_from_document(parse_yaml(tree_yaml(depth).encode(), "tree.yaml"))
    chunk = auto_chunk_size(scenario.build())
    values = np.linspace(0.0, 1.0, grid)
    start = time.process_time()
    labels = grid_labels(scenario, values, chunk)
    t_grid = time.process_time() - start
    ahead, t_ahead, n_ahead = counted_bisection(scenario, values, labels, chunk)
    step, t_step, n_step = counted_bisection(scenario, values, labels, 1)
    same = "identical" if ahead == step else "DIFFERENT"
    what = f"bisection of a {grid}-point sweep of a {nodes:,}-node tree ({len(ahead)} boundaries, chunk {chunk})"
    return [Row(f"{what}: grid solve, CPU", f"{t_grid:.2f} s"),
            Row(f"{what}: look-ahead bisection / grid solve", f"{t_ahead / t_grid:.1f}x ({t_ahead:.2f} s, "
                f"{n_ahead} solves; boundaries {same})", "<= 3"),
            Row(f"{what}: one step per solve / grid solve",
                f"{t_step / t_grid:.1f}x ({t_step:.2f} s, {n_step} solves)")]


def run(quick: bool = False, depths: tuple[int, ...] = (6, 8, 10), grid: int = 201) -> list[Row]:
    """Return the rows for trees of the given depths (`quick`: the 1k- and 10k-node trees only)."""
    rows: list[Row] = []
    for depth in depths[:2] if quick else depths:
        rows.extend(measure(depth, grid))
    return rows


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--depths", type=int, nargs="+", default=[6, 8, 10])
    ap.add_argument("--grid", type=int, default=201)
    args = ap.parse_args()
    for row in run(depths=tuple(args.depths), grid=args.grid):
        print(f"{row.what} | {row.measured} | {row.target}")
