"""Tree scenario loading, stage by stage: CPU time per node at 1k, 10k and 88k nodes.

    python benchmarks/bench_yaml.py [DEPTH ...]     (default 6 8 10: 1,093, 9,841 and 88,573 nodes)

The stages are those of `negosim.scenario.load_scenario` (which runs them with the cycle collector
paused, `cycle_collection_paused`), then the build `negosim solve` does afterwards:

- parse: `parse_yaml` (libyaml's fast path for a problem-free file, `negosim.scenario.yamlfast`);
- validate: `scenario_from_document` (schema, formulas parsed, the tree checked and compiled);
- baseline: `baseline_problems` (the game built once at the baseline values, with its checks);
- load: the three together, as `load_scenario` runs them;
- build: `build_game` at the baseline, a new game (what `Scenario.build()` costs with `--set` values);
- load + build: the load, then `Scenario.build()` as the CLI calls it, which returns the game the
  baseline checks built (`Scenario.keep_baseline_game`): the row's figure.

Files of 88k nodes exceed a scenario file's 1 MiB limit, so the text is given to `parse_yaml` (what
`read_yaml` calls after reading the file) rather than read from disk. Times are CPU
(`time.process_time`), the least of a few runs, since the machine is shared. Trees come from
`tree_yaml.py`: every leaf has its own two payoff formulas (up to 8,633 distinct pairs), so formula
parsing is not helped by repetition below 8,633 leaves; the "shared formulas" rows give the same
trees with 100 distinct payoff pairs repeated over the leaves.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_sweep import Row  # noqa: E402
from tree_yaml import count_nodes, tree_yaml  # noqa: E402

from negosim.scenario.build import baseline_problems, build_game  # noqa: E402
from negosim.scenario.gcpause import cycle_collection_paused  # noqa: E402
from negosim.scenario.validate import scenario_from_document  # noqa: E402
from negosim.scenario.yamlio import parse_yaml  # noqa: E402

# "Well under 0.1 ms per node" (issue 13), judged as at most 40% of it.
TARGET = "< 40 us/node (well under 100)"


def cpu(fn: Callable[[], object], repeat: int, paused: bool = True) -> float:
    """Return the least CPU time of `repeat` calls of `fn` (with the cycle collector paused if `paused`)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        if paused:
            with cycle_collection_paused():
                fn()
        else:
            fn()
        best = min(best, time.process_time() - start)
    return best


def stages(depth: int, formulas: int | None = None) -> dict[str, float]:
    """Return CPU seconds per node of each stage (see the module docstring) for `tree_yaml(depth, formulas)`."""
    raw = tree_yaml(depth, formulas).encode()
    nodes = count_nodes(depth)
    repeat = 3 if nodes < 50_000 else 2
    with cycle_collection_paused():
        doc = parse_yaml(raw, "t.yaml")
        scenario = scenario_from_document(doc)
        assert baseline_problems(scenario) == []

    def load() -> None:
        assert baseline_problems(scenario_from_document(parse_yaml(raw, "t.yaml"))) == []

    def load_and_build() -> None:
        with cycle_collection_paused():
            loaded = scenario_from_document(parse_yaml(raw, "t.yaml"))
            assert baseline_problems(loaded) == []
        loaded.build()  # as the CLI does: the game the baseline checks built, handed over

    times = {
        "parse": cpu(lambda: parse_yaml(raw, "t.yaml"), repeat),
        "validate": cpu(lambda: scenario_from_document(doc), repeat),
        "baseline": cpu(lambda: baseline_problems(scenario), repeat),
        "load": cpu(load, repeat),
        "build": cpu(lambda: build_game(scenario, None), repeat),
        "load + build": cpu(load_and_build, repeat, paused=False),
    }
    return {name: seconds / nodes for name, seconds in times.items()}


def run(quick: bool = False, depths: tuple[int, ...] | None = None) -> list[Row]:
    """Return one row per stage and tree size, and whether load + build stays linear."""
    depths = depths or ((6, 8) if quick else (6, 8, 10))
    stages(2)  # imports and first-call costs out of the timings
    rows: list[Row] = []
    for formulas in (None, 100):
        kind = "own formulas per leaf" if formulas is None else f"{formulas} shared payoff pairs"
        per_node: dict[int, float] = {}
        for depth in depths:
            nodes = count_nodes(depth)
            s = stages(depth, formulas)
            per_node[nodes] = s["load + build"]
            shown = ", ".join(f"{name} {s[name] * 1e6:.1f}" for name in ("parse", "validate", "baseline"))
            rows.append(Row(f"tree YAML ({kind}): load + build, {nodes:,} nodes (us/node CPU)",
                            f"{per_node[nodes] * 1e6:.1f} us/node (load {s['load'] * 1e6:.1f}: {shown}; "
                            f"a new build {s['build'] * 1e6:.1f})", TARGET))
        if len(per_node) > 1:
            small, big = min(per_node), max(per_node)
            rows.append(Row(f"tree YAML ({kind}): per-node cost at {big:,} over {small:,} nodes",
                            f"{per_node[big] / per_node[small]:.2f}x", "<= 1.2x (linear)"))
    return rows


if __name__ == "__main__":
    for row in run(depths=tuple(int(d) for d in sys.argv[1:]) or None):
        print(f"{row.what} | {row.measured} | {row.target} | {row.met}")
