"""Run a sweep: solve a scenario at every point of a grid, chunk by chunk, resumable, into a folder.

>>> from negosim.scenario import load_scenario                                         # doctest: +SKIP
>>> s = load_scenario("scenarios/ceasefire_2025.yaml")                                 # doctest: +SKIP
>>> run_sweep(s, {"mu": (0.0, 0.3, 61)}, out_dir="/tmp/mu").boundaries[0].value        # doctest: +SKIP
0.105

Rows of ``results.csv``: one per equilibrium found at a point. Trees: the subgame-perfect
equilibrium (one row per point; its outcome is the outcome id, or the ids reached with positive
probability joined by " + " where chance mixes). Normal forms: every Nash equilibrium (2 players)
or every pure one (3+ players); the outcome is the game's outcome id (or "(a, b)" profile name)
for a pure equilibrium and "mixed" otherwise. A point's *outcome label* (what ``summary.json``
counts and boundaries separate) is `negosim.sweep.boundaries`' label: for trees the row's outcome,
for normal forms the set of pure equilibria.
"""

from __future__ import annotations

import json
import math
import platform
import sys
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Executor, wait
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import numpy as np

from ..errors import UsageError
from ..game.normal import NormalFormGame
from ..solve.mixed import nash_equilibria
from ..solve.pure import pure_nash
from ..solve.spe import subgame_perfect
from ..solve.tolerance import RTOL
from . import output
from .boundaries import (
    NO_EQUILIBRIUM,
    SIDE_STEP,
    Boundary,
    game_outcome_labels,
    joined_codes,
    joined_labels,
    label_names,
    locate_boundaries,
    selection_at_boundary,
    tied_at_boundary,
)
from .designs import Design, check_vary

BOUNDARY_TOL = 1e-9
MIXED = "mixed"


@dataclass(frozen=True)
class SweepSummary:
    """What a finished sweep found: its folder, point count, points per outcome label, boundaries, wall time."""

    out_dir: Path
    points: int
    outcomes: dict[str, int] = field(default_factory=dict)
    boundaries: list[Boundary] = field(default_factory=list)
    wall_time: float = 0.0
    design: str = "grid"
    seed: int | None = None


def run_sweep(scenario, vary: dict[str, tuple[float, float, int | None]], *, design: str = "grid",
              samples: int | None = None, seed: int | None = None, overrides: dict | None = None,
              out_dir: str | Path, chunk_size: int = 100_000, resume: bool = False,
              progress: Callable[[int, int], None] | None = None, command: str = "",
              executor: Executor | None = None, parquet: bool = False) -> SweepSummary:
    """Return the summary of solving `scenario` at every point of a design (others at baseline + `overrides`).

    `design` is "grid" (`vary` gives ``{name: (start, stop, num)}``), or "lhs" / "sobol" (`vary` gives
    the ranges, num ignored; `samples` points drawn from `seed`; with no seed a fresh one is drawn and
    recorded, and a resume reuses the recorded one). Chunks of `chunk_size` points are solved in this
    process, or on `executor` (any `concurrent.futures.Executor`: a process pool, a Dask client's
    executor); the results are the same either way.

    Writes ``out_dir``: chunk files as they finish, then ``results.csv`` (and ``results.parquet`` with
    `parquet`), ``points.npz``, ``summary.json`` and ``manifest.json``. With `resume`, finished chunks
    of the same sweep are kept and skipped. Raises UsageError for a bad design, a folder holding
    another sweep's chunks (without `resume`), or a resume of a different sweep. On
    KeyboardInterrupt (or any error) finished chunks stay on disk.
    """
    started = time.perf_counter()
    if not vary:
        raise UsageError("nothing to vary: give --vary NAME=START:STOP:NUM or a --sweep from the scenario")
    if chunk_size < 1:
        raise UsageError(f"chunk size must be at least 1 (got {chunk_size})")
    if parquet:
        output.require_parquet()
    check_vary(vary, scenario)
    out = Path(out_dir)
    if design != "grid" and seed is None:
        seed = _recorded_seed(out) if resume else None
        if seed is None:
            seed = int(np.random.SeedSequence().entropy)
    if design != "grid":
        vary = {k: (a, b, None) for k, (a, b, _) in vary.items()}
    points = Design(design, dict(vary), samples=samples, seed=seed)
    overrides = {k: float(v) for k, v in (overrides or {}).items()}
    base = scenario.with_overrides(overrides) if overrides else scenario
    spec = _spec(scenario, points, overrides, chunk_size)
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a folder")
    with output.FolderLock(out):
        return _run_locked(scenario, base, vary, points, spec, out, chunk_size, resume, progress, command, executor,
                           parquet, started)


def _run_locked(scenario, base, vary, points: Design, spec: dict, out: Path, chunk_size: int, resume: bool,
                progress, command: str, executor, parquet: bool, started: float) -> SweepSummary:
    """The body of `run_sweep` once it holds the folder's lock."""
    design, seed = points.kind, points.seed
    _prepare(out, spec, resume)

    total = points.total
    n_chunks = max(1, math.ceil(total / chunk_size))
    todo = [c for c in range(n_chunks) if not (resume and output.chunk_done(out, c))]
    done = total - sum(_chunk_len(c, chunk_size, total) for c in todo)
    if progress is not None and done:
        progress(done, total)

    def finished(c: int, result: tuple[str, np.ndarray, np.ndarray]) -> None:
        nonlocal done
        output.write_chunk(out, c, *result)
        done += _chunk_len(c, chunk_size, total)
        if progress is not None:
            progress(done, total)

    def task(c: int):
        lo, hi = c * chunk_size, min(total, (c + 1) * chunk_size)
        return base, points.points(lo, hi), lo

    if executor is None:
        for c in todo:
            finished(c, solve_chunk(*task(c)))
    else:
        _run_on(executor, todo, task, finished)

    header = _header(scenario, vary)
    output.join_chunks(out, n_chunks, header)
    if parquet:
        output.write_parquet(out, list(vary), list(scenario.player_ids))
    names, codes = output.merge_labels([output.read_labels(out, c) for c in range(n_chunks)])
    output.write_points(out, {k: points.points(0, total)[k] for k in vary} if design != "grid" else {}, names, codes)
    counts = np.bincount(codes, minlength=len(names))
    outcomes = {str(n): int(k) for n, k in zip(names, counts) if k}
    boundaries: list[Boundary] = []
    summary = {"points": total, "design": design, "outcomes": outcomes}
    if len(vary) == 1:
        (name,) = vary
        values = points.points(0, total)[name]
        order = np.argsort(values, kind="stable")
        boundaries = grid_boundaries(base, name, values[order], names.astype(object)[codes[order]])
        summary["boundaries"] = [vars(b) for b in boundaries]
    else:
        summary["boundaries"] = []
        summary["note"] = "boundaries are located for one-parameter sweeps only"
    summary.update(_describe(base, vary, names))
    output.write_json(out / "summary.json", summary)
    wall = time.perf_counter() - started
    output.write_json(out / "manifest.json", _manifest(scenario, spec, command, wall, n_chunks, executor))
    return SweepSummary(out, total, outcomes, boundaries, wall, design, seed)


def _chunk_len(c: int, chunk_size: int, total: int) -> int:
    return min(total, (c + 1) * chunk_size) - c * chunk_size


#: Chunks in flight on an executor at once: enough to keep a cluster busy, few enough that the
#: finished-but-unwritten results stay small (each is one chunk's CSV text).
MAX_IN_FLIGHT = 32


def _run_on(executor: Executor, todo: list[int], task, finished) -> None:
    """Solve the chunks `todo` on `executor`, at most MAX_IN_FLIGHT at a time, writing each as it
    finishes; on an error or interrupt cancel the rest (what finished is on disk)."""
    pending: dict = {}
    queue = list(todo)
    try:
        while queue or pending:
            while queue and len(pending) < MAX_IN_FLIGHT:
                c = queue.pop(0)
                pending[executor.submit(solve_chunk, *task(c))] = c
            ready, _ = wait(list(pending), return_when=FIRST_COMPLETED)
            for fut in sorted(ready, key=pending.get):
                finished(pending.pop(fut), fut.result())
    finally:
        for fut in pending:
            fut.cancel()


def _recorded_seed(out: Path) -> int | None:
    try:
        return json.loads((out / "sweep.json").read_text()).get("seed")
    except (OSError, ValueError):
        return None


def solve_chunk(scenario, params: dict[str, np.ndarray], start: int) -> tuple[str, np.ndarray, np.ndarray]:
    """Return one chunk of points (flat arrays in `params`, the first numbered `start`) solved: its CSV
    rows, and each point's outcome label as (sorted distinct labels, each point's index into them).
    A plain function of its arguments: executors run it in other processes or on other machines."""
    n = len(next(iter(params.values())))
    game = scenario.build(params)
    if game.batch_size != n:  # a varied parameter that no payoff uses: the game does not broadcast
        raise ValueError(f"built a batch of {game.batch_size} points for {n} parameter points")
    if isinstance(game, NormalFormGame):
        sol = nash_equilibria(game) if game.n_players == 2 else pure_nash(game)
        outcome = output.csv_text(_normal_outcomes(game, sol))
        names, codes = output.label_codes(game_outcome_labels(game, scenario.ties).reshape(-1))
    else:
        sol = subgame_perfect(game, ties=scenario.ties)
        texts, row_codes = joined_codes(sol.outcome_probs > 1e-12, [o.id for o in game.outcomes], NO_EQUILIBRIUM)
        outcome = output.csv_text(texts)[row_codes]
        if len(sol.point) == n:
            names, codes = texts, row_codes
        else:  # points where a 3+ player subgame has no pure equilibrium have no row
            names = np.unique(np.append(texts, NO_EQUILIBRIUM))
            codes = np.full(n, int(np.searchsorted(names, NO_EQUILIBRIUM)), dtype=np.int32)
            codes[sol.point] = np.searchsorted(names, texts)[row_codes]
    cols = [output.int_text(start + sol.point)]
    cols += [output.float_text(v[sol.point]) for v in params.values()]
    cols.append(output.object_strings([sol.concept], np.zeros(len(sol.point), dtype=np.intp)))
    cols.append(outcome)
    cols += [output.float_text(sol.payoffs[:, i]) for i in range(sol.payoffs.shape[1])]
    cols.append(output.object_strings(["false", "true"], sol.tied.astype(np.intp)))
    return output.csv_lines(cols), names, codes


@dataclass(frozen=True)
class PointOutputs:
    """What one batched solve says about each of N points: its outcome label (see
    `negosim.sweep.boundaries`), each player's equilibrium payoff, and whether that payoff is defined.

    `payoffs` (N, n_players) holds the subgame-perfect payoffs of a tree (unique under the tie rules),
    and for a normal form the payoffs of its equilibrium where the solver guarantees there is exactly
    one (2 players, complete enumeration, one equilibrium); NaN elsewhere, with `defined` False.
    """

    labels: np.ndarray
    payoffs: np.ndarray
    defined: np.ndarray


def evaluate_points(scenario, params: dict[str, np.ndarray]) -> PointOutputs:
    """Return the `PointOutputs` of `scenario` at the N points of the flat arrays in `params` (others at
    the scenario's baseline), in one batched build and solve."""
    n = len(next(iter(params.values()))) if params else 1
    full = {k: np.broadcast_to(np.asarray(v, dtype=float), (n,)) for k, v in params.items()}
    game = scenario.build(full)
    pays = np.full((n, game.n_players), np.nan)
    if isinstance(game, NormalFormGame):
        labels = game_outcome_labels(game, scenario.ties).reshape(-1)
        if game.n_players == 2:
            sol = nash_equilibria(game)
            count = np.bincount(sol.point, minlength=n)
            one = (count == 1) & sol.complete.reshape(-1)
            rows = one[sol.point]
            pays[sol.point[rows]] = sol.payoffs[rows]
    else:
        sol = subgame_perfect(game, ties=scenario.ties)
        labels = np.full(n, NO_EQUILIBRIUM, dtype=object)
        labels[sol.point] = joined_labels(sol.outcome_probs > 1e-12, [o.id for o in game.outcomes], NO_EQUILIBRIUM)
        pays[sol.point] = sol.payoffs
    return PointOutputs(labels, pays, ~np.isnan(pays).any(axis=1))


def grid_boundaries(scenario, name: str, values: np.ndarray, labels: np.ndarray) -> list[Boundary]:
    """Return the boundaries between consecutive grid values of `name` whose labels differ, each refined
    to `BOUNDARY_TOL` by batched bisection (all brackets together)."""
    change = np.flatnonzero(labels[1:] != labels[:-1])
    if not len(change):
        return []
    lo, hi = values[change], values[change + 1]
    mids = np.array(locate_boundaries(scenario, name, lo, hi, tol=BOUNDARY_TOL))
    p = scenario.parameters[name]
    step = SIDE_STEP * (p.high - p.low)
    base = scenario.values()
    names = np.full(len(mids), name, dtype=object)
    left, right = np.maximum(mids - step, p.low), np.minimum(mids + step, p.high)
    tied = tied_at_boundary(scenario, base, names, mids, left, right)
    chosen = selection_at_boundary(scenario, base, names, left, right)
    return [Boundary(name, float(m), str(labels[k]), str(labels[k + 1]), bool(t), bool(c))
            for m, k, t, c in zip(mids, change, tied, chosen)]


# --- helpers ------------------------------------------------------------------------------
def _normal_outcomes(game: NormalFormGame, sol) -> np.ndarray:
    """Outcome of each equilibrium row: the outcome id (or profile name) if pure, else "mixed"."""
    if game.outcomes is not None:
        names = np.asarray(game.outcomes, dtype=object).reshape(-1)
    else:
        names = np.array(["(" + ", ".join(game.actions[i][a] for i, a in enumerate(prof)) + ")"
                          for prof in np.ndindex(*game.shape)] + [""], dtype=object)[:-1]
    if len(sol.point) == 0:
        return np.array([], dtype=object)
    pure = np.all([s.max(axis=1) > 1 - 1e-9 for s in sol.strategies], axis=0)
    idx = np.ravel_multi_index(tuple(s.argmax(axis=1) for s in sol.strategies), game.shape)
    return np.where(pure, names[idx], MIXED).astype(object)


def _header(scenario, vary) -> str:
    players = list(scenario.player_ids)
    return ",".join(["point", *vary, "concept", "outcome", *(f"payoff_{p}" for p in players), "tied"])


def _spec(scenario, design: Design, overrides, chunk_size) -> dict:
    return {"scenario": str(scenario.path), "scenario_sha256": scenario.sha256, **design.to_dict(),
            "overrides": dict(overrides), "chunk_size": int(chunk_size)}


def _describe(scenario, vary, labels) -> dict:
    """What a figure needs to draw the sweep without the scenario: players, the varied parameters'
    ranges and meanings, and a readable name for every outcome label."""
    params = {}
    for name in vary:
        p = scenario.parameters[name]
        params[name] = {"baseline": p.value, "low": p.low, "high": p.high, "description": p.description,
                        "unit": p.unit}
    game = scenario.build()
    labels = [str(x) for x in labels]
    return {"scenario": {"id": scenario.id, "title": scenario.title}, "players": list(scenario.player_ids),
            "parameters": params, "outcome_names": label_names(game, labels),
            "outcome_order": sorted(labels, key=lambda label: _canonical(game, label))}


def _canonical(game, label: str) -> tuple:
    """Sort key putting outcome labels in the game's own order: a tree's outcomes as the scenario lists
    them, a normal form's profiles in profile order; combined labels after their first part, and
    labels the game does not name ("mixed only") last. Figures colour outcomes in this order."""
    if isinstance(game, NormalFormGame):
        names = ["(" + ", ".join(game.actions[i][a] for i, a in enumerate(prof)) + ")"
                 for prof in np.ndindex(*game.shape)]
    else:
        names = [o.id for o in game.outcomes]
    rank = {n: i for i, n in enumerate(names)}
    return tuple(rank.get(part, len(names)) for part in label.split(" + ")) + (label,)


def _prepare(out: Path, spec: dict, resume: bool) -> None:
    """Create the folder and write sweep.json, or check it on resume; refuse to mix two sweeps."""
    spec_path = out / "sweep.json"
    if resume and spec_path.exists():
        old = json.loads(spec_path.read_text())
        keys = ("scenario_sha256", "design", "vary", "samples", "seed", "overrides", "chunk_size")
        if any(old.get(k) != spec.get(k) for k in keys):
            raise UsageError(f"{out}: the folder holds a different sweep (scenario, design, --vary, --samples, "
                             "--seed, --set or chunk size differ); use a new folder or repeat that sweep's command")
        return
    if output.existing_chunks(out):
        if resume:
            raise UsageError(f"{out}: holds chunk files but no sweep.json; use a new folder")
        raise UsageError(f"{out}: already holds a sweep; add --resume to finish it, or choose a new folder")
    (out / output.CHUNK_DIR).mkdir(parents=True, exist_ok=True)
    output.write_json(spec_path, spec)


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _manifest(scenario, spec: dict, command: str, wall: float, n_chunks: int, executor) -> dict:
    from .. import __version__

    libs = {name: _version(name) for name in ("scipy", "nashpy", "matplotlib", "ruamel.yaml", "pyarrow",
                                              "distributed")}
    return {"negosim": __version__, "numpy": np.__version__, **{k: v for k, v in libs.items() if v},
            "python": platform.python_version(), "platform": sys.platform, "command": command,
            "scenario": {"path": str(scenario.path), "sha256": scenario.sha256},
            "design": spec["design"], "vary": spec["vary"], "samples": spec.get("samples"), "seed": spec.get("seed"),
            "overrides": spec["overrides"], "chunk_size": spec["chunk_size"],
            "executor": "in-process" if executor is None else type(executor).__name__,
            "tolerances": {"rtol": RTOL, "boundary_tol": BOUNDARY_TOL}, "wall_time_seconds": round(wall, 3),
            "chunks": n_chunks}


__all__ = ["PointOutputs", "SweepSummary", "evaluate_points", "grid_boundaries", "run_sweep", "solve_chunk"]
