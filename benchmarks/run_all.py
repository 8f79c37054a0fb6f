"""Run every benchmark and print one markdown table of what was measured in this run.

    python benchmarks/run_all.py [--quick]

- bench_core.py (start-up of the CLI, the seed scenario batched against one point at a time) runs
  as a child process with its own flags, since its main() only prints; its lines are parsed into
  rows (a line that does not parse is kept verbatim in the notes);
- bench_nash.py's functions time all Nash equilibria of random 2-player games, negosim's batch
  against pygambit and nashpy one game per call, and check the equilibrium sets agree;
- bench_sweep.py measures the seed scenario swept over a p-by-mu grid through the CLI and the
  batched engine alone (see its docstring for what its memory figures mean), and (`bench_sweep.run`)
  the same sweep end to end against a hand-vectorised numpy program writing the same results and a
  plain Python loop, plus the solve alone against the hand-vectorised solve, all in one run;
- every other benchmarks/bench_*.py module that defines ``run(quick: bool = False)`` returning rows
  (objects with ``what``, ``measured``, ``target`` and ``met`` strings, as `bench_sweep.Row`) is
  discovered and run too, in file-name order (bench_nash2.py: one 2-player game at a time against
  pygambit and QuantEcon, 2x2 to 20x20). A new benchmark joins the table by defining `run`.
`--quick` runs each on a smaller problem (about a minute in all): the sweep targets are stated at
1000 x 1000 and are not judged then. Nothing is asserted: the numbers go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import importlib
import re
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import bench_nash
import bench_sweep
from bench_sweep import Row, markdown

HERE = Path(__file__).resolve().parent

#: Sizes of each benchmark: the full run (each script's defaults; bench_nash's repeated here, as its
#: defaults live inside its main()) and --quick.
SIZES = {
    "full": {"core": [],
             "nash": {"games": 10_000, "games_6x6": 2_000, "compare": 200, "compare_6x6": 100},
             "sweep": {}},
    "quick": {"core": ["--points", "20000", "--single", "100"],
              "nash": {"games": 2_000, "games_6x6": 300, "compare": 40, "compare_6x6": 15},
              "sweep": {"n": 500, "repeat": 1, "single": 300}},
}

_CORE_LINE = re.compile(r"^(?P<what>\S.*?)\s{2,}(?P<value>\S.*?)(?:\s{2,}(?P<target>\S.*))?$")
_TARGET = re.compile(r"(<=|>=|<|>|well under)\s*([\d.,]+)")
_NUMBER = re.compile(r"[\d][\d,]*(?:\.\d+)?")


def judge(value: str, target: str) -> str:
    """Return "yes"/"no" when `target` states a bound ("< 0.3 s", ">= 50x", "well under 1 s") that the
    number in `value` meets or misses, "" when there is no bound to judge."""
    bound, number = _TARGET.search(target), _NUMBER.search(value)
    if not bound or not number:
        return ""
    limit, x = float(bound.group(2).replace(",", "")), float(number.group(0).replace(",", ""))
    ok = {"<": x < limit, "well under": x < limit, "<=": x <= limit, ">": x > limit, ">=": x >= limit}[bound.group(1)]
    return "yes" if ok else "no"


def core_rows(flags: list[str]) -> tuple[list[Row], list[str]]:
    """Run bench_core.py with `flags`; return its lines as rows (and unparsed or error lines as notes)."""
    proc = subprocess.run([sys.executable, str(HERE / "bench_core.py"), *flags], capture_output=True, text=True)
    if proc.returncode != 0:
        return [], [f"bench_core.py failed (exit {proc.returncode}): {proc.stderr.strip()[-400:]}"]
    rows, notes = [], []
    for line in proc.stdout.splitlines():
        if not line.strip():
            continue
        m = _CORE_LINE.match(line.rstrip())
        if m is None:
            notes.append(f"bench_core: {line.strip()}")
            continue
        target = (m.group("target") or "").removeprefix("target").strip()
        rows.append(Row(f"core: {m.group('what')}", m.group("value"), target, judge(m.group("value"), target)))
    return rows, notes


def nash_rows(games: int, games_6x6: int, compare: int, compare_6x6: int, seed: int = 0) -> tuple[list[Row], list[str]]:
    """Time all Nash equilibria per shape as bench_nash.py does; return one row per shape and reference."""
    from negosim.game.generate import random_game
    from negosim.solve.mixed import nash_equilibria

    nash_equilibria(random_game((2, 2), batch=(4,), rng=seed))  # warm up imports and code paths
    rows, notes = [], []
    for k in bench_nash.SHAPES:
        n = min(games, games_6x6) if k == 6 else games
        m = min(min(compare, compare_6x6) if k == 6 else compare, n)
        game = random_game((k, k), batch=(n,), rng=seed + k, kind="float")
        pairs = [(game.payoffs[i, 0], game.payoffs[i, 1]) for i in range(m)]
        t_ours, ours = bench_nash.negosim_sets(game, m)
        for name, (t_ref, ref) in (("pygambit enummixed", bench_nash.pygambit_sets(pairs)),
                                   ("nashpy vertex enumeration", bench_nash.nashpy_sets(pairs))):
            if t_ref is None:
                notes.append(f"{name} is not importable: its rows are skipped")
                continue
            rows.append(Row(f"nash: all equilibria, {k}x{k}, negosim batch of {n:,} vs {name} per game "
                            f"(first {m:,})",
                            f"{bench_nash.fmt_ratio(t_ref, t_ours)} ({bench_nash.fmt_us(t_ours)} vs "
                            f"{bench_nash.fmt_us(t_ref)} µs/game; sets agree {bench_nash.agreement(ours, ref)})"))
    notes.append(f"nash: random standard-normal payoffs, seed {seed}; sets agree = same number of equilibria, "
                 f"probabilities within {bench_nash.MATCH_TOL:g}")
    return rows, list(dict.fromkeys(notes))


def reference_rows(n: int, repeat: int) -> tuple[list[Row], list[str]]:
    """bench_sweep.run's rows (the sweep against the hand-vectorised numpy program and the plain loop, in
    one run) as table rows: the ratio is negosim's figure over the reference's."""
    try:
        found = bench_sweep.run(n, repeat)
    except Exception as exc:  # one benchmark's failure must not lose the others' table
        return [], [f"bench_sweep.run() failed: {exc!r}"]
    rows = []
    for metric, ours, theirs, ratio in found:
        target = metric[metric.index("(target"):].strip("()").removeprefix("target ") if "(target" in metric else ""
        measured = f"{ratio} ({ours} vs {theirs})" if theirs else ours
        met = ""
        if target.startswith("<="):
            limit = float(target.split()[1].rstrip(","))
            met = "yes" if float(ratio.split()[0]) <= limit else "no"
        rows.append(Row(f"sweep vs references: {metric}", measured, target, met))
    return rows, []


#: Modules run by the explicit steps above (their `main()` or helpers, not a `run()`).
EXPLICIT = {"bench_core", "bench_nash", "bench_sweep"}


def discovered() -> list[str]:
    """Names of the bench_*.py modules beside this file that define `run()` (the explicit ones excepted)."""
    names = []
    for path in sorted(HERE.glob("bench_*.py")):
        if path.stem in EXPLICIT:
            continue
        if "\ndef run(" in path.read_text(encoding="utf-8"):
            names.append(path.stem)
    return names


def discovered_rows(name: str, quick: bool) -> tuple[list[Row], list[str]]:
    """Rows of module `name`'s `run(quick=...)`, as `Row`s; a failure becomes a note."""
    try:
        rows = importlib.import_module(name).run(quick=quick)
    except Exception as exc:  # one benchmark's failure must not lose the others' table
        return [], [f"{name}.run() failed: {exc!r}"]
    return [Row(r.what, r.measured, r.target, r.met or judge(r.measured, r.target)) for r in rows], []


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller problems: about a minute in all")
    args = ap.parse_args(argv)
    size = SIZES["quick" if args.quick else "full"]
    started = time.perf_counter()
    rows, notes = [], []
    for name, run in (("core", lambda: core_rows(size["core"])), ("nash", lambda: nash_rows(**size["nash"])),
                      ("sweep", lambda: bench_sweep.measure(**size["sweep"]))):
        print(f"running {name} ...", file=sys.stderr, flush=True)
        r, n = run()
        rows += [replace(row, what=f"sweep: {row.what}") for row in r] if name == "sweep" else r
        notes += n
    print("running sweep against the references ...", file=sys.stderr, flush=True)
    r, n = reference_rows(size["sweep"].get("n", bench_sweep.FULL_N), size["sweep"].get("repeat", 3))
    rows += r
    notes += n
    for name in discovered():
        print(f"running {name} ...", file=sys.stderr, flush=True)
        r, n = discovered_rows(name, args.quick)
        rows += r
        notes += n
    print(markdown(rows))
    print()
    for note in notes:
        print(note)
    print(f"all benchmarks: {time.perf_counter() - started:.0f} s{' (--quick)' if args.quick else ''}")


if __name__ == "__main__":
    main()
