"""Boundary bisection of a one-parameter sweep of a big tree, against the sweep's own grid solve.

``python benchmarks/bench_bisect.py [--depths 6 8 10] [--grid 201] [--repeats 3]`` sweeps the parameter
`a` of ternary trees (`tree_yaml.py`: 1,093, 9,841 and 88,573 nodes) over a grid, solving it in the
sweep's chunks (build, verified subgame-perfect solve, outcome labels), then locates every change of
outcome between neighbouring grid points as a sweep does (`negosim.sweep.engine.grid_boundaries`:
bisection to 1e-9, then the tie and selection flags), two ways, interleaved in the same run:

- as `negosim sweep` runs it: the tree solved for the bisection by `negosim.sweep.tree_points` (prepared
  once, its parameter-free formulas and subtrees solved once, each batch solved level by level), the
  preparation included in the time;
- the usual way (`tree_points` switched off): each bisection batch built and solved by
  `Scenario.build` and `subgame_perfect`, as before this branch.

Two trees per depth: `tree_yaml`'s, where every leaf reads `a` (nothing to reuse but the structure),
and the same tree where only the leaves under the root's first action read it (the other two thirds
of the tree are parameter-free: a parameter that matters after one first move). Both ways must find
the same boundaries, bit for bit. Times are CPU seconds (`time.process_time`, the machine is shared),
medians over `--repeats` rounds; the ratio is bisection time over grid-solve time.
"""

from __future__ import annotations

import argparse
import re
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
from negosim.sweep import boundaries, tree_points  # noqa: E402
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


def partial_yaml(depth: int) -> str:
    """`tree_yaml(depth)` with the parameter only in the leaves under the root's first action (n0_0)."""
    lines = []
    for line in tree_yaml(depth).splitlines(keepends=True):
        if "payoffs" in line and not line.lstrip().startswith("n0_0"):
            line = re.sub(r" [+-] a \* [0-9.]+", "", line)
        lines.append(line)
    return "".join(lines)


def counted_bisection(scenario, values, labels, max_points: int, usual: bool = False) -> tuple[list, float, int]:
    """The sweep's boundaries, the CPU seconds they took and the batched labelling solves (plus one
    for the flags); with `usual`, every solve built and solved the usual way."""
    calls = [0]
    plain, prepared = boundaries._labels_at, tree_points.prepared

    def counting(*args):
        calls[0] += 1
        return plain(*args)

    boundaries._labels_at = counting
    tree_points._PLANS.pop(scenario, None)  # the preparation is part of the time
    if usual:
        tree_points.prepared = lambda *args: None  # type: ignore[assignment]
    try:
        start = time.process_time()
        found = grid_boundaries(scenario, "a", values, labels, max_points=max_points)
        return found, time.process_time() - start, calls[0] + 1
    finally:
        boundaries._labels_at, tree_points.prepared = plain, prepared


def measure(depth: int, grid: int, repeats: int = 3, partial: bool = False) -> list[Row]:
    """Rows for one tree: grid solve, bisection as a sweep runs it and the usual way, and their ratios."""
    nodes = count_nodes(depth)
    text = partial_yaml(depth) if partial else tree_yaml(depth)
    scenario = scenario_from_document(parse_yaml(text.encode(), "tree.yaml"))
    chunk = auto_chunk_size(scenario.build())
    values = np.linspace(0.0, 1.0, grid)
    t_grid, t_new, t_old = [], [], []
    for _ in range(repeats):  # interleaved: grid, new, usual
        start = time.process_time()
        labels = grid_labels(scenario, values, chunk)
        t_grid.append(time.process_time() - start)
        new, t, n_new = counted_bisection(scenario, values, labels, chunk)
        t_new.append(t)
        old, t, n_old = counted_bisection(scenario, values, labels, chunk, usual=True)
        t_old.append(t)
        if new != old:
            raise AssertionError(f"depth {depth}: the boundaries differ from the usual path's")
    g, a, b = (float(np.median(x)) for x in (t_grid, t_new, t_old))
    where = "a third of the leaves read a" if partial else "every leaf reads a"
    what = f"bisection of a {grid}-point sweep of a {nodes:,}-node tree, {where} ({len(new)} boundaries)"
    return [Row(f"{what}: grid solve, CPU", f"{g:.3f} s"),
            Row(f"{what}: bisection / grid solve", f"{a / g:.2f}x ({a:.3f} s, {n_new} solves; boundaries "
                "identical to the usual path's)", "<= 3", "yes" if a / g <= 3 else "no"),
            Row(f"{what}: usual path (build + subgame_perfect per solve) / grid solve",
                f"{b / g:.1f}x ({b:.2f} s, {n_old} solves)")]


def run(quick: bool = False, depths: tuple[int, ...] = (6, 8, 10), grid: int = 201, repeats: int = 3) -> list[Row]:
    """Return the rows for trees of the given depths (`quick`: the 1k- and 10k-node trees only)."""
    rows: list[Row] = []
    for depth in depths[:2] if quick else depths:
        rows.extend(measure(depth, grid, repeats))
        rows.extend(measure(depth, grid, repeats, partial=True))
    return rows


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--depths", type=int, nargs="+", default=[6, 8, 10])
    ap.add_argument("--grid", type=int, default=201)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    for row in run(depths=tuple(args.depths), grid=args.grid, repeats=args.repeats):
        print(f"{row.what} | {row.measured} | {row.target}")
