"""The main thread's fixed costs of the million-point sweep, phase by phase, in fresh processes.

    python benchmarks/sweep_fixed_costs.py [--runs N] [TREE ...]

Each TREE (default: this checkout) is a folder holding a negosim source tree (a copy of another commit
made with ``git archive``, its bytecode compiled with ``python -m compileall -q TREE/negosim``, as an
installed package has it). The trees are run in turn, round after round (interleaved), each run a
fresh process of::

    negosim sweep scenarios/ceasefire_2025.yaml --vary p=0.2:0.8:1000 --vary mu=0:0.3:1000 -o DIR --quiet

stopped when the figure's module is imported (the figure is not measured). Printed per tree: the
medians, and the means of the lowest third, of the wall and the main thread's CPU time
(`time.thread_time`, steadier than wall time on a shared machine) of each phase: until `negosim.cli`
is imported; the rest of the imports with the parser (until `load_scenario`); `load_scenario`;
`run_sweep` until the first chunk; the chunks' solving; the gaps between them; after the last
chunk. Then negosim's own import time (numpy, PyYAML and the standard library imported first), the
same medians over fresh processes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["sweep", "scenarios/ceasefire_2025.yaml", "--vary", "p=0.2:0.8:1000", "--vary", "mu=0:0.3:1000", "--quiet"]

# The child: marks (name, wall, main-thread CPU) around load_scenario, run_sweep and each solve_chunk, written to
# file descriptor 3 when the figure's module is first imported (then it stops).
CHILD = r'''
import importlib.abc, json, os, sys, time
T = [("start", time.perf_counter(), time.thread_time())]
def mark(s): T.append((s, time.perf_counter(), time.thread_time()))
PATCH = {"negosim.scenario": ["load_scenario"], "negosim.sweep.engine": ["run_sweep", "solve_chunk"]}
def wrap(mod, name):
    f = getattr(mod, name)
    def g(*a, **k):
        mark(name + " start"); r = f(*a, **k); mark(name + " end"); return r
    setattr(mod, name, g)
class Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "negosim.present.figures.sweep_plots":
            mark("figure"); os.write(3, json.dumps(T).encode()); os._exit(0)
        if name not in PATCH:
            return None
        spec = next(s for f in sys.meta_path if f is not self and (s := f.find_spec(name, path, target)))
        run = spec.loader.exec_module
        def exec_module(module):
            run(module)
            for n in PATCH[name]: wrap(module, n)
        spec.loader.exec_module = exec_module
        return spec
sys.meta_path.insert(0, Finder())
sys.argv = ["negosim"] + sys.argv[1:]
from negosim.cli import main
mark("cli imported")
main()
'''

IMPORTS = r'''
import time
import numpy, yaml, argparse, dataclasses, inspect, json, hashlib, threading, queue, shlex
t = time.thread_time()
import negosim.cli, negosim.scenario, negosim.sweep.designs, negosim.sweep.engine, negosim.sweep.executors
print((time.thread_time() - t) * 1000)
'''


def _phases(tree: Path, out: Path) -> dict[str, tuple[float, float]]:
    shutil.rmtree(out, ignore_errors=True)
    read, write = os.pipe()
    child = subprocess.Popen([sys.executable, "-c", f"import os; os.dup2({write}, 3)\n" + CHILD, *ARGS, "-o", str(out)],
                             cwd=tree, env=dict(os.environ, PYTHONPATH=str(tree)), pass_fds=(write,),
                             stdout=subprocess.DEVNULL)
    os.close(write)
    data = b""
    while chunk := os.read(read, 1 << 16):
        data += chunk
    child.wait()
    os.close(read)
    marks = json.loads(data)
    at = {name: (w, c) for name, w, c in marks}  # (the last of a repeated name)
    first = next(m for m in marks if m[0] == "solve_chunk start")
    last = [m for m in marks if m[0] == "solve_chunk end"][-1]
    solve = [(b[1] - a[1], b[2] - a[2]) for a, b in zip(marks, marks[1:]) if a[0] == "solve_chunk start"]

    def span(a, b):
        return (b[0] - a[0]) * 1000, (b[1] - a[1]) * 1000

    solved = (sum(w for w, _ in solve) * 1000, sum(c for _, c in solve) * 1000)
    chunks = span(first[1:], last[1:])
    total = span(at["start"], at["figure"])
    return {"until negosim.cli is imported": span(at["start"], at["cli imported"]),
            "imports and parser, until load_scenario": span(at["cli imported"], at["load_scenario start"]),
            "load_scenario": span(at["load_scenario start"], at["load_scenario end"]),
            "run_sweep until the first chunk": span(at["run_sweep start"], first[1:]),
            "solving the chunks": solved,
            "between chunks": (chunks[0] - solved[0], chunks[1] - solved[1]),
            "after the last chunk": span(last[1:], at["run_sweep end"]),
            "total until the figure": total,
            "total but the solving": (total[0] - solved[0], total[1] - solved[1])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs="*", type=Path, default=[ROOT])
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    found: dict[Path, list[dict]] = {t: [] for t in args.trees}
    imports: dict[Path, list[float]] = {t: [] for t in args.trees}
    with tempfile.TemporaryDirectory(prefix="sweep-fixed-") as scratch:
        for _ in range(args.runs):
            for tree in args.trees:
                found[tree].append(_phases(tree, Path(scratch) / "out"))
                done = subprocess.run([sys.executable, "-c", IMPORTS], cwd=tree, capture_output=True, text=True,
                                      env=dict(os.environ, PYTHONPATH=str(tree)), check=True)
                imports[tree].append(float(done.stdout))
    for tree, runs in found.items():
        print(f"== {tree} ({args.runs} runs; ms: wall median, main-thread CPU median; lowest third: wall, CPU)")
        for phase in runs[0]:
            walls, cpus = sorted(r[phase][0] for r in runs), sorted(r[phase][1] for r in runs)
            third = max(1, len(runs) // 3)
            print(f"  {phase:42s} {statistics.median(walls):7.1f} {statistics.median(cpus):7.1f}   "
                  f"{statistics.mean(walls[:third]):7.1f} {statistics.mean(cpus[:third]):7.1f}")
        print(f"  negosim's own imports (CPU): median {statistics.median(imports[tree]):.1f}, "
              f"least {min(imports[tree]):.1f}")


if __name__ == "__main__":
    main()
