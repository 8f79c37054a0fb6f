"""Measure the seed scenario swept over an N-by-N grid of p by mu and print a markdown table.

    python benchmarks/bench_sweep.py [--n 1000] [--repeat 3] [--single 1000] [--jobs 2]
    python benchmarks/bench_sweep.py --against-references [--n 1000] [--repeat 1] [--loop-limit N]

With --against-references (`run()`, what run_all.py includes): negosim against the two references of
sweep_reference.py (hand-vectorised numpy writing the same result table, Parquet, checked value for
value, and a plain Python loop) on the same grid in one run, as rows (metric, negosim, reference,
ratio).
Otherwise:

- end to end through the CLI, as a child process running a fresh interpreter:
  `negosim sweep scenarios/ceasefire_2025.yaml --vary p=0.2:0.8:N --vary mu=0:0.3:N -o DIR --quiet`
  with the default figures (png: the regime map), with `--figures none`, and with `--jobs J`;
  each `--repeat` times into a fresh temporary folder. Wall time: from starting the child to reaping
  it (interpreter start-up, solving, writing and figures included), best of the runs. Memory:
  - "largest process": the kernel's peak resident set size (`ru_maxrss` from `os.wait4` on the
    child, which covers the child and every descendant it reaped: the largest single peak among
    them, not a sum), the maximum over the runs;
  - with `--jobs`, the worker processes run at the same time as the main one, so the table also
    gives the sum over the process tree: the resident sizes of every process in the tree, summed at
    each sample (every 20 ms, with psutil), and the largest sum seen. Sampling can miss a short
    peak, so the sum of each process's own high-water mark (VmHWM, as last seen) is given too as an
    upper bound. Resident sizes count shared pages (libraries, pages the workers inherit from the
    fork) once per process, so both sums overstate the memory actually used.
- every run's summary.json and points.npz are checked against DOMAIN section 7's closed form on
  the same grid, computed here from the scenario's baseline values (p does not enter it);
- the batched engine alone: build + subgame-perfect solve of the N*N points in chunks of 100,000
  (best of `--repeat`), against the same kind of point solved one at a time (a batch of one) at
  `--single` points spread over the grid, extrapolated to N*N.
Nothing is asserted: the numbers go in the docs. MB = 10**6 bytes, GB = 10**9 bytes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "scenarios" / "ceasefire_2025.yaml"
P_RANGE = (0.2, 0.8)
MU_RANGE = (0.0, 0.3)
CHUNK = 100_000
POLL = 0.02
TARGET_WALL = 5.0  # seconds, at 1000 x 1000
TARGET_MEMORY = 1e9  # bytes, at 1000 x 1000
TARGET_SPEEDUP = 50.0
FULL_N = 1000


@dataclass(frozen=True)
class Row:
    """One line of the table: what was measured, the measurement, its target and whether it is met."""

    what: str
    measured: str
    target: str = ""
    met: str = ""


@dataclass(frozen=True)
class Measured:
    """One child process: wall seconds, exit code, stderr, and peak memory in bytes (see the module doc)."""

    wall: float
    returncode: int
    stderr: str
    largest: int
    tree_sampled: int | None
    tree_bound: int | None
    stdout: str = ""
    cpu: float = 0.0  # user + system seconds of the child and the descendants it reaped


@dataclass
class CliResult:
    """The runs of one CLI configuration: best wall time, peak memories, output sizes, check outcome."""

    walls: list[float] = field(default_factory=list)
    largest: int = 0
    tree_sampled: int | None = None
    tree_bound: int | None = None
    csv_bytes: int = 0
    folder_bytes: int = 0
    figures: dict[str, int] = field(default_factory=dict)
    checks: list[str] = field(default_factory=list)
    error: str = ""


# --- the closed form ------------------------------------------------------------------------
def grid_points(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Return flat (n*n,) arrays of p and mu on the sweep's grid, p varying slowest (the CLI's order)."""
    p = np.linspace(*P_RANGE, n)
    mu = np.linspace(*MU_RANGE, n)
    pp, mm = np.meshgrid(p, mu, indexing="ij")
    return pp.reshape(-1), mm.reshape(-1)


def closed_form_outcomes(v: dict[str, float], p: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """Return the subgame-perfect outcome id at each point by DOMAIN section 7's closed form (interior values).

    Ukraine accepts the proposal. Russia takes the plain truce iff mu + Delta <= beta*(cR + cU) +
    [k <= aS]*s (the US then refuses any counter-demand: Russia would accept anyway). Otherwise
    Russia counters iff the truce with aid frozen, X(p), is worth the war to it (mu <= the same
    edge), and the US grants iff B + omega*(1 - X(p)) - h beats the war that refusing leads to;
    every other point is war, with sanctions iff they are credible.
    """
    credible = v["k"] <= v["aS"]
    edge = v["beta"] * (v["cR"] + v["cU"]) + (v["s"] if credible else 0.0)
    x_frozen = p - v["cR"] + v["beta"] * (v["cR"] + v["cU"])
    war_us = v["omega"] * (1 - p - mu) - v["g"] - (v["k"] if credible else v["aS"])
    grant = v["B"] + v["omega"] * (1 - x_frozen) - v["h"] >= war_us
    war = "war_sanctions" if credible else "war_no_sanctions"
    return np.where(mu + v["Delta"] <= edge, "truce_aid", np.where((mu <= edge) & grant, "truce_frozen", war))


def check_folder(folder: Path, expected: np.ndarray) -> str:
    """Return "" when the sweep in `folder` has every point and outcome of `expected`, else what differs."""
    summary = json.loads((folder / "summary.json").read_text())
    names, counts = np.unique(expected, return_counts=True)
    want = {str(k): int(c) for k, c in zip(names, counts)}
    problems = []
    if summary["points"] != len(expected):
        problems.append(f"summary.json has {summary['points']:,} points, not {len(expected):,}")
    if summary["outcomes"] != want:
        problems.append(f"summary.json counts {summary['outcomes']} against the closed form's {want}")
    with np.load(folder / "points.npz", allow_pickle=False) as data:
        labels = data["names"][data["codes"]]
    if len(labels) != len(expected) or (wrong := int(np.sum(labels != expected))):
        problems.append(f"points.npz differs from the closed form at "
                        f"{len(expected) if len(labels) != len(expected) else wrong:,} points")
    return "; ".join(problems)


# --- one measured child process ---------------------------------------------------------------
def _vmhwm(pid: int) -> int | None:
    """A process's peak resident size in bytes (Linux /proc VmHWM), or None where unavailable."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _sample_tree(pid: int, stop: threading.Event, out: dict) -> None:
    """Until `stop`, every POLL s: sum the resident sizes over `pid` and its descendants into out."""
    try:
        import psutil
    except ImportError:
        return
    try:
        root = psutil.Process(pid)
    except psutil.NoSuchProcess:
        return
    peak, hwm = 0, {}
    while not stop.is_set():
        try:
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            break
        total = 0
        for proc in procs:
            try:
                total += proc.memory_info().rss
            except psutil.Error:
                continue
            if (h := _vmhwm(proc.pid)) is not None:
                hwm[proc.pid] = max(hwm.get(proc.pid, 0), h)
        peak = max(peak, total)
        out.update(sampled=peak, bound=sum(hwm.values()) if hwm else None)
        stop.wait(POLL)


def run_measured(argv: list[str], cwd: Path) -> Measured:
    """Run `argv` as a child process; return its wall time, exit code, stderr and peak memory."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=err)
        stop, seen = threading.Event(), {}
        sampler = threading.Thread(target=_sample_tree, args=(proc.pid, stop, seen), daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage, not every child's so far
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        stop.set()
        sampler.join()
        err.seek(0)
        stderr = err.read().decode(errors="replace")
        out.seek(0)
        stdout = out.read().decode(errors="replace")
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss is in bytes on macOS, KiB on Linux
    return Measured(wall, proc.returncode, stderr, usage.ru_maxrss * scale, seen.get("sampled"), seen.get("bound"),
                    stdout, usage.ru_utime + usage.ru_stime)


def _folder_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def sweep_cli(n: int, repeat: int, extra: list[str], expected: np.ndarray) -> CliResult:
    """Run the CLI sweep of the n-by-n grid `repeat` times with `extra` flags, each into a fresh folder."""
    res = CliResult()
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="bench-sweep-") as tmp:
            folder = Path(tmp) / "out"
            argv = [sys.executable, "-m", "negosim", "sweep", str(SEED), "--vary", f"p={P_RANGE[0]}:{P_RANGE[1]}:{n}",
                    "--vary", f"mu={MU_RANGE[0]}:{MU_RANGE[1]}:{n}", "-o", str(folder), "--quiet", *extra]
            m = run_measured(argv, ROOT)
            if m.returncode != 0:
                last = m.stderr.strip().splitlines()[-1:] or ["(no message)"]
                res.error = f"exit {m.returncode}: {last[0]}"
                return res
            res.walls.append(m.wall)
            res.largest = max(res.largest, m.largest)
            if m.tree_sampled is not None:
                res.tree_sampled = max(res.tree_sampled or 0, m.tree_sampled)
            if m.tree_bound is not None:
                res.tree_bound = max(res.tree_bound or 0, m.tree_bound)
            res.csv_bytes = sum(f.stat().st_size for f in (folder / "results.parquet").glob("*.parquet"))
            res.folder_bytes = _folder_bytes(folder)
            res.figures = {f.name: f.stat().st_size for f in sorted(folder.glob("*.png"))}
            res.checks.append(check_folder(folder, expected))
    return res


# --- the engine alone -------------------------------------------------------------------------
def batched_solve(scenario, p: np.ndarray, mu: np.ndarray, repeat: int) -> tuple[float, list[float]]:
    """Return (best total seconds, that run's seconds per chunk) to build and solve all points in CHUNKs."""
    from negosim.solve.spe import subgame_perfect

    subgame_perfect(scenario.build({"p": p[:CHUNK], "mu": mu[:CHUNK]}))  # warm up
    best, best_chunks = float("inf"), []
    for _ in range(repeat):
        chunks = []
        for lo in range(0, len(p), CHUNK):
            t = time.perf_counter()
            subgame_perfect(scenario.build({"p": p[lo:lo + CHUNK], "mu": mu[lo:lo + CHUNK]}))
            chunks.append(time.perf_counter() - t)
        if sum(chunks) < best:
            best, best_chunks = sum(chunks), chunks
    return best, best_chunks


def one_at_a_time(scenario, p: np.ndarray, mu: np.ndarray, single: int) -> float:
    """Return seconds per point to build and solve `single` points spread over the grid, each alone."""
    from negosim.solve.spe import subgame_perfect

    idx = np.unique(np.linspace(0, len(p) - 1, single).round().astype(int))
    subgame_perfect(scenario.build({"p": float(p[0]), "mu": float(mu[0])}))  # warm up
    t = time.perf_counter()
    for i in idx:
        subgame_perfect(scenario.build({"p": float(p[i]), "mu": float(mu[i])}))
    return (time.perf_counter() - t) / len(idx)


# --- the table --------------------------------------------------------------------------------
def _mb(x: float | None) -> str:
    return "n/a" if x is None else f"{x / 1e6:,.0f} MB" if x >= 1e7 else f"{x / 1e6:.1f} MB"


def _met(ok: bool | None) -> str:
    return "" if ok is None else "yes" if ok else "no"


def _cli_rows(label: str, res: CliResult, full: bool, tree: bool) -> list[Row]:
    wall_target = f"<= {TARGET_WALL:g} s" if full else f"({TARGET_WALL:g} s at {FULL_N} x {FULL_N})"
    mem_target = f"<= {TARGET_MEMORY / 1e9:g} GB" if full else f"({TARGET_MEMORY / 1e9:g} GB at {FULL_N} x {FULL_N})"
    if res.error:
        return [Row(f"{label}: failed", res.error)]
    best = min(res.walls)
    spread = f" (runs {best:.2f}-{max(res.walls):.2f})" if len(res.walls) > 1 else ""
    rows = [Row(f"{label}: wall time, best of {len(res.walls)}", f"{best:.2f} s{spread}", wall_target,
                _met(best <= TARGET_WALL) if full else ""),
            Row(f"{label}: peak memory, largest process", _mb(res.largest), mem_target,
                _met(res.largest <= TARGET_MEMORY) if full else "")]
    if tree:
        bound, peak = res.tree_bound, res.tree_sampled
        rows.append(Row(f"{label}: peak memory, sum over the process tree (sampled; bound: sum of each "
                        "process's peak)", f"{_mb(peak)} (bound {_mb(bound)})", mem_target,
                        _met(None if peak is None or not full else (bound or peak) <= TARGET_MEMORY)))
    return rows


def measure(n: int = FULL_N, repeat: int = 3, single: int = 1000, jobs: int = 2) -> tuple[list[Row], list[str]]:
    """Run the whole benchmark; return its table rows and notes (load, caveats)."""
    from negosim.scenario import load_scenario

    scenario = load_scenario(SEED)
    p, mu = grid_points(n)
    expected = closed_form_outcomes(scenario.values(), p, mu)
    full = n == FULL_N
    points = f"{n * n:,} points"
    notes = [f"grid: p = {P_RANGE[0]}:{P_RANGE[1]} by mu = {MU_RANGE[0]}:{MU_RANGE[1]}, {n} x {n} = {points}; "
             f"{os.cpu_count()} cores; load average before: {_load()}",
             "CLI wall time: start of a fresh interpreter to its exit, output written; memory: largest process = "
             "kernel peak RSS of the biggest process in the tree; the --jobs sum is sampled every "
             f"{POLL * 1000:.0f} ms (bound: sum of each process's VmHWM); MB = 10^6 bytes"]

    configs = [("figures png (regime map)", []), ("--figures none", ["--figures", "none"]),
               (f"--jobs {jobs}, figures png", ["--jobs", str(jobs)])]
    results = {label: sweep_cli(n, repeat, extra, expected) for label, extra in configs}
    rows: list[Row] = []
    for (label, extra), res in zip(configs, results.values()):
        rows += _cli_rows(f"`negosim sweep`, {points}, {label}", res, full, tree="--jobs" in extra)
    done = [r for r in results.values() if not r.error]
    if done:
        ref = done[0]
        rows.append(Row("results.parquet/ (the result table)", _mb(ref.csv_bytes)))
        figs = ", ".join(f"{k} {_mb(v)}" for k, v in ref.figures.items()) or "none"
        rows.append(Row("output folder (results.parquet/, chunks/, points.npz, JSON, figures)",
                        f"{_mb(ref.folder_bytes)} (figures: {figs})"))
        problems = [c for r in done for c in r.checks if c]
        counts = ", ".join(f"{k} {c:,}" for k, c in zip(*np.unique(expected, return_counts=True)))
        runs = sum(len(r.checks) for r in done)
        rows.append(Row(f"summary.json and points.npz of all {runs} runs against DOMAIN §7's closed form",
                        "agree" if not problems else "DISAGREE", "agree", _met(not problems)))
        notes.append(f"closed form on the grid: {counts}")
        notes += [f"check failed: {c}" for c in dict.fromkeys(problems)]
    for label, res in results.items():
        if res.error:
            notes.append(f"{label}: the CLI failed ({res.error}); its rows are missing")

    t_batch, chunks = batched_solve(scenario, p, mu, repeat)
    t_one = one_at_a_time(scenario, p, mu, single)
    per_chunk = CHUNK / float(np.median(chunks)) if len(p) >= CHUNK else len(p) / chunks[0]
    speedup = t_one * len(p) / t_batch
    rows += [
        Row(f"engine alone: build + subgame-perfect, {points} in chunks of {CHUNK:,}, best of {repeat}",
            f"{t_batch:.2f} s"),
        Row("engine alone: throughput per chunk (median chunk)", f"{per_chunk / 1e6:.2f} M points/s"),
        Row(f"the same points one at a time (from {single:,}, extrapolated)", f"{t_one * len(p):,.0f} s"),
        Row("speed-up of the batched solve", f"{speedup:,.0f}x", f">= {TARGET_SPEEDUP:g}x",
            _met(speedup >= TARGET_SPEEDUP)),
    ]
    notes.append(f"load average after: {_load()}")
    return rows, notes


def _load() -> str:
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg()) + " (1, 5, 15 min)"
    except OSError:
        return "n/a"


def markdown(rows: list[Row]) -> str:
    """Return `rows` as a markdown table with columns what | measured | target | met?."""
    lines = ["| what | measured | target | met? |", "|---|---|---|---|"]
    lines += [f"| {r.what} | {r.measured} | {r.target} | {r.met} |" for r in rows]
    return "\n".join(lines)


# --- against the hand-written references ------------------------------------------------------
def _reference(argv: list[str]) -> tuple[Measured, dict]:
    """Run sweep_reference.py with `argv` as a measured child; return its measurement and its JSON line."""
    m = run_measured([sys.executable, str(Path(__file__).with_name("sweep_reference.py")), *argv], ROOT)
    if m.returncode != 0:
        raise RuntimeError(f"reference failed (exit {m.returncode}): {m.stderr.strip()[-300:]}")
    return m, json.loads(m.stdout)


def same_tables(folder: Path, reference: Path) -> bool:
    """Whether the sweep in `folder` (results.parquet/, read through negosim's verified reader) holds the
    same columns, in the same order, with the same values (floats bit for bit, labels as text) as the
    reference's Parquet file."""
    from negosim.sweep.output import read_columns
    from negosim.sweep.table import read_parquet

    theirs = read_parquet(reference)
    mine = read_columns(folder, list(theirs.names))
    if list(mine) != list(theirs.names):
        return False
    for name in theirs.names:
        a, b = mine[name], theirs.column(name)
        if a.dtype != b.dtype or len(a) != len(b):
            return False
        if a.dtype.kind == "f" and not np.array_equal(a.view(np.int64), b.view(np.int64)):
            return False
        if a.dtype.kind != "f" and not np.array_equal(a, b):
            return False
    return True


def solve_alone(n: int, repeat: int) -> dict[str, list[float]]:
    """CPU seconds of each of `repeat` interleaved runs solving the n*n grid in chunks of CHUNK, no output:

    - ``"chunk"``: what a sweep's chunk computes before writing (`negosim.scenario.compiled.solve_tree_chunk`:
      the scenario's compiled program, i.e. payoffs, verified subgame-perfect solve, outcome codes);
    - ``"solution"``: ``subgame_perfect(scenario.build(...))``, the full `Solution` (every node's values,
      reach probabilities and behaviour), as a notebook or `explain` asks for it;
    - ``"reference"``: the hand-vectorised `sweep_reference.solve`.
    """
    import sweep_reference as ref

    from negosim.scenario import load_scenario
    from negosim.scenario.compiled import solve_tree_chunk
    from negosim.solve.spe import subgame_perfect

    scenario = load_scenario(SEED)
    if problems := ref.check_baseline(scenario):
        raise RuntimeError("sweep_reference.BASE differs from the scenario: " + "; ".join(problems))
    chunks = [ref.grid(n, lo, min(n * n, lo + CHUNK)) for lo in range(0, n * n, CHUNK)]
    if solve_tree_chunk(scenario, {"p": chunks[0][0], "mu": chunks[0][1]}) is None:  # (and warms it up)
        raise RuntimeError("the seed scenario did not take the compiled path")
    subgame_perfect(scenario.build({"p": chunks[0][0], "mu": chunks[0][1]}))
    ref.solve(*chunks[0])
    runs: dict[str, list[float]] = {"chunk": [], "solution": [], "reference": []}
    for _ in range(repeat):  # CPU time of this process: steadier than wall time on a shared machine
        t = time.process_time()
        for p, mu in chunks:
            solve_tree_chunk(scenario, {"p": p, "mu": mu})
        runs["chunk"].append(time.process_time() - t)
        t = time.process_time()
        for p, mu in chunks:
            ref.solve(p, mu)
        runs["reference"].append(time.process_time() - t)
        t = time.process_time()
        for p, mu in chunks:
            subgame_perfect(scenario.build({"p": p, "mu": mu}))
        runs["solution"].append(time.process_time() - t)
    return runs


def solve_rows(n: int, repeat: int) -> list[tuple[str, str, str, str]]:
    """The solve-alone rows: best (median) CPU seconds of `solve_alone`'s runs against the reference's."""
    import statistics

    runs = solve_alone(n, max(repeat, 1))
    ref_best, ref_med = min(runs["reference"]), statistics.median(runs["reference"])
    rows = []
    for key, what in (("chunk", "compiled tree program: payoffs + verified spe + outcome codes, as a sweep's "
                                "chunk computes them before writing"),
                      ("solution", "subgame_perfect(build(...)): the full Solution of every node")):
        best, med = min(runs[key]), statistics.median(runs[key])
        rows.append((f"solve alone (CPU time), {n * n:,} points in chunks of {CHUNK:,}, best (median) of "
                     f"{len(runs[key])}: {what} / hand-vectorised" + (" (target <= 1.5)" if key == "chunk" else ""),
                     f"{best:.3f} s ({med:.3f} s)", f"{ref_best:.3f} s ({ref_med:.3f} s)",
                     f"{best / ref_best:.2f} ({med / ref_med:.2f})"))
    return rows


def run(n: int = FULL_N, repeat: int = 1, loop_limit: int | None = None) -> list[tuple[str, str, str, str]]:
    """Measure negosim's sweep of the n-by-n grid against both references in one run; return rows
    (metric, negosim, reference, ratio), the ratio being negosim's figure over the reference's.

    End to end: `negosim sweep` through the CLI with its default outputs (results, summary, points,
    manifest, the regime map) against sweep_reference.py's hand-vectorised numpy program writing the
    same result table (Parquet; every column checked value for value, `same_tables`) and points.npz,
    and against its plain Python loop (no output; over the first `loop_limit` points, extrapolated,
    when given). Each is a fresh child process timed from start to exit, best of `repeat`; memory is
    the child's peak RSS.
    """
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    # negosim runs from compiled bytecode, as an installed package does (pip compiles it): a child started with
    # PYTHONDONTWRITEBYTECODE=1 would otherwise compile its modules from source on every run (0.1-0.3 s). The
    # reference, a single script, is compiled in each of its runs as any script is (a few milliseconds).
    import compileall

    compileall.compile_dir(str(ROOT / "negosim"), quiet=1)
    total = n * n
    grid_flags = ["--vary", f"p={P_RANGE[0]}:{P_RANGE[1]}:{n}", "--vary", f"mu={MU_RANGE[0]}:{MU_RANGE[1]}:{n}"]
    neg, ref, bare = [], [], []
    keep = tempfile.TemporaryDirectory(prefix="bench-sweep-")
    pairs = []
    for k in range(repeat):  # interleaved: the CLI with its figure, the reference, the CLI without figures
        mine, theirs = Path(keep.name) / f"negosim-{k}", Path(keep.name) / f"reference-{k}"
        m = run_measured([sys.executable, "-m", "negosim", "sweep", str(SEED), *grid_flags, "-o", str(mine),
                          "--quiet"], ROOT)
        if m.returncode != 0:
            raise RuntimeError(f"negosim sweep failed (exit {m.returncode}): {m.stderr.strip()[-300:]}")
        r, _ = _reference(["vectorised", "--n", str(n), "-o", str(theirs)])
        b = run_measured([sys.executable, "-m", "negosim", "sweep", str(SEED), *grid_flags, "-o",
                          str(Path(keep.name) / f"bare-{k}"), "--quiet", "--figures", "none"], ROOT)
        neg.append((m, _folder_bytes(mine)))
        ref.append((r, _folder_bytes(theirs)))
        bare.append(b)
        pairs.append((mine, theirs / "results.parquet"))
    loop_m, loop_out = _reference(["loop", "--n", str(n), *(["--limit", str(loop_limit)] if loop_limit else [])])
    loop_s = loop_out["seconds"] * total / loop_out["points"]
    neg_wall, ref_wall = min(m.wall for m, _ in neg), min(m.wall for m, _ in ref)
    neg_cpu, ref_cpu = min(m.cpu for m, _ in neg), min(m.cpu for m, _ in ref)
    med = {what: (float(np.median([m.wall for m in runs])), float(np.median([m.cpu for m in runs])))
           for what, runs in (("neg", [m for m, _ in neg]), ("ref", [m for m, _ in ref]), ("bare", bare))}
    neg_rss, ref_rss = max(m.largest for m, _ in neg), max(m.largest for m, _ in ref)
    neg_disk, ref_disk = neg[0][1], ref[0][1]
    # Compared last, in this process: reading the tables raises its resident size, which a child forked
    # afterwards would inherit as its own peak (Linux carries the high-water mark across fork and exec).
    same = all(same_tables(mine, theirs) for mine, theirs in pairs)
    keep.cleanup()
    pts = f"{total:,} points"
    loop_what = "" if loop_limit is None or loop_limit >= total else f" (from {loop_out['points']:,}, extrapolated)"
    return [
        (f"sweep {pts} end to end, CLI with figure / hand-vectorised numpy (target <= 1.2)",
         f"{neg_wall:.2f} s", f"{ref_wall:.2f} s", f"{neg_wall / ref_wall:.2f}"),
        ("the same, CPU time (user + system; steadier than wall time on a loaded machine)",
         f"{neg_cpu:.2f} s", f"{ref_cpu:.2f} s", f"{neg_cpu / ref_cpu:.2f}"),
        (f"the same, medians of {repeat} interleaved runs: wall / CPU",
         f"{med['neg'][0]:.2f} s / {med['neg'][1]:.2f} s", f"{med['ref'][0]:.2f} s / {med['ref'][1]:.2f} s",
         f"{med['neg'][0] / med['ref'][0]:.2f} / {med['neg'][1] / med['ref'][1]:.2f}"),
        ("the CLI with --figures none / hand-vectorised numpy, medians: wall / CPU",
         f"{med['bare'][0]:.2f} s / {med['bare'][1]:.2f} s", f"{med['ref'][0]:.2f} s / {med['ref'][1]:.2f} s",
         f"{med['bare'][0] / med['ref'][0]:.2f} / {med['bare'][1] / med['ref'][1]:.2f}"),
        (f"sweep {pts} end to end / plain Python loop, no output{loop_what} (target <= 0.1, i.e. 10x)",
         f"{neg_wall:.2f} s", f"{loop_s:.2f} s", f"{neg_wall / loop_s:.3f} ({loop_s / neg_wall:.1f}x faster)"),
        ("the same, CPU time (user + system) / the loop's", f"{neg_cpu:.2f} s",
         f"{loop_m.cpu * total / loop_out['points']:.2f} s",
         f"{neg_cpu / (loop_m.cpu * total / loop_out['points']):.3f}"),
        *solve_rows(n, repeat),
        ("peak RSS (bytes/point) / hand-vectorised", f"{neg_rss / 1e6:.0f} MB ({neg_rss / total:.0f} B/pt)",
         f"{ref_rss / 1e6:.0f} MB ({ref_rss / total:.0f} B/pt)", f"{neg_rss / ref_rss:.2f}"),
        ("output folder on disk / hand-vectorised (results.parquet + points.npz)", f"{neg_disk / 1e6:.1f} MB",
         f"{ref_disk / 1e6:.1f} MB", f"{neg_disk / ref_disk:.2f}"),
        ("result table equal to the hand-vectorised reference's (every column, value for value)",
         "yes" if same else "NO", "", ""),
    ]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=FULL_N, help="grid side: n x n points of p by mu")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each CLI configuration and of the batched solve")
    ap.add_argument("--single", type=int, default=1000, help="points solved one at a time (extrapolated)")
    ap.add_argument("--jobs", type=int, default=2, help="local processes for the --jobs run")
    ap.add_argument("--against-references", action="store_true",
                    help="only the rows against the hand-vectorised and plain-loop references (`run`)")
    ap.add_argument("--loop-limit", type=int, default=None, help="with --against-references: the plain loop "
                    "solves only this many points, extrapolated (default: the whole grid)")
    ap.add_argument("--solve-only", action="store_true",
                    help="with --against-references: only the solve-alone rows (no CLI run, no loop)")
    args = ap.parse_args(argv)
    if args.against_references and args.solve_only:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        print("| metric | negosim | reference | ratio |\n|---|---|---|---|")
        for row in solve_rows(args.n, args.repeat):
            print("| " + " | ".join(row) + " |")
        return
    if args.against_references:
        print("| metric | negosim | reference | ratio |\n|---|---|---|---|")
        for row in run(args.n, args.repeat, args.loop_limit):
            print("| " + " | ".join(row) + " |")
        return
    rows, notes = measure(args.n, args.repeat, args.single, args.jobs)
    print(markdown(rows))
    print()
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()
