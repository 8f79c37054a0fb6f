"""Tree scenario loading: CPU time per node of reading the YAML and of the whole load, at 1k, 10k and 88k nodes.

``python benchmarks/bench_yaml.py`` prints rows (metric, negosim, reference, ratio): negosim is the
libyaml fast path (`negosim.scenario.yamlio.parse_yaml`), the reference the careful ruamel path it
replaces for problem-free files (a token scan, then ruamel's round-trip load). Times are CPU
(`time.process_time`, best of a few runs), since the machine is shared.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tree_yaml import count_nodes, tree_yaml  # noqa: E402

from negosim.scenario.build import baseline_problems  # noqa: E402
from negosim.scenario.validate import scenario_from_document  # noqa: E402
from negosim.scenario.yamlio import _careful_parse, parse_yaml  # noqa: E402


def cpu(fn, repeat: int) -> float:
    """Return the least CPU time of `repeat` calls of `fn`."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def run(depths: tuple[int, ...] = (6, 8, 10)) -> list[tuple[str, str, str, str]]:
    """Return rows (metric, negosim, reference, ratio) for trees of the given depths."""
    rows: list[tuple[str, str, str, str]] = []
    for depth in depths:
        rows.extend(_measure(tree_yaml(depth), count_nodes(depth)))
    return rows


def _measure(text: str, nodes: int) -> list[tuple[str, str, str, str]]:
    raw = text.encode()
    repeat = 3 if nodes < 50_000 else 1
    fast = cpu(lambda: parse_yaml(raw, "t.yaml"), repeat)
    slow = cpu(lambda: _careful_parse(text, "t.yaml", ""), repeat)
    total = cpu(lambda: baseline_problems(scenario_from_document(parse_yaml(raw, "t.yaml"))), repeat)
    before = total - fast + slow  # the same load with the careful reader
    return [(f"read tree YAML, {nodes:,} nodes (us/node)", f"{fast / nodes * 1e6:.1f}",
             f"{slow / nodes * 1e6:.1f}", f"{fast / slow:.3f}"),
            (f"load tree scenario, {nodes:,} nodes (us/node)", f"{total / nodes * 1e6:.1f}",
             f"{before / nodes * 1e6:.1f}", f"{total / before:.3f}")]


if __name__ == "__main__":
    for row in run(tuple(int(d) for d in sys.argv[1:]) or (6, 8, 10)):
        print(" | ".join(row))
