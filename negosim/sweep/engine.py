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
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Callable

import numpy as np

from ..errors import UsageError
from ..game.normal import NormalFormGame
from ..solve.mixed import nash_equilibria
from ..solve.pure import pure_nash
from ..solve.spe import subgame_perfect
from ..solve.tolerance import RTOL
from . import output
from .boundaries import (NO_EQUILIBRIUM, SIDE_STEP, Boundary, game_outcome_labels, joined_labels, locate_boundaries,
                         tied_at_boundary)
from .designs import check_vary, grid

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


def run_sweep(scenario, vary: dict[str, tuple[float, float, int]], *, overrides: dict | None = None,
              out_dir: str | Path, chunk_size: int = 100_000, resume: bool = False,
              progress: Callable[[int, int], None] | None = None, command: str = "") -> SweepSummary:
    """Return the summary of solving `scenario` on the grid of `vary` (others at baseline + `overrides`).

    Writes ``out_dir``: chunk files as they finish, then ``results.csv``, ``summary.json`` and
    ``manifest.json``. With `resume`, finished chunks of the same sweep are kept and skipped.
    Raises UsageError for a bad `vary`, a folder holding another sweep's chunks (without `resume`),
    or a resume of a different sweep. On KeyboardInterrupt finished chunks stay on disk.
    """
    started = time.perf_counter()
    if not vary:
        raise UsageError("nothing to vary: give --vary NAME=START:STOP:NUM or a --sweep from the scenario")
    if chunk_size < 1:
        raise UsageError(f"chunk size must be at least 1 (got {chunk_size})")
    check_vary(vary, scenario)
    overrides = {k: float(v) for k, v in (overrides or {}).items()}
    base = scenario.with_overrides(overrides) if overrides else scenario
    out = Path(out_dir)
    spec = _spec(scenario, vary, overrides, chunk_size)
    _prepare(out, spec, resume)

    points = grid(vary)
    total = len(next(iter(points.values())))
    n_chunks = max(1, math.ceil(total / chunk_size))
    header = _header(scenario, vary)
    for c in range(n_chunks):
        if not (resume and output.chunk_done(out, c)):
            lo, hi = c * chunk_size, min(total, (c + 1) * chunk_size)
            rows, labels = solve_chunk(base, {k: v[lo:hi] for k, v in points.items()}, lo)
            output.write_chunk(out, c, rows, labels)
        if progress is not None:
            progress(min(total, (c + 1) * chunk_size), total)

    output.join_chunks(out, n_chunks, header)
    labels = np.concatenate([output.read_labels(out, c) for c in range(n_chunks)])
    names, counts = np.unique(labels.astype(str), return_counts=True)
    outcomes = {str(n): int(k) for n, k in zip(names, counts)}
    boundaries: list[Boundary] = []
    summary = {"points": total, "outcomes": outcomes}
    if len(vary) == 1:
        (name,) = vary
        boundaries = grid_boundaries(base, name, points[name], labels)
        summary["boundaries"] = [vars(b) for b in boundaries]
    else:
        summary["boundaries"] = []
        summary["note"] = "boundaries are located for one-parameter sweeps only"
    output.write_json(out / "summary.json", summary)
    wall = time.perf_counter() - started
    output.write_json(out / "manifest.json", _manifest(scenario, spec, command, wall, n_chunks))
    return SweepSummary(out, total, outcomes, boundaries, wall)


def solve_chunk(scenario, params: dict[str, np.ndarray], start: int) -> tuple[str, np.ndarray]:
    """Return the CSV rows of one chunk of points (flat arrays in `params`, first point numbered `start`)
    and the outcome label of each of its points."""
    n = len(next(iter(params.values())))
    game = scenario.build(params)
    if game.batch_size != n:  # a varied parameter that no payoff uses: the game does not broadcast
        raise ValueError(f"built a batch of {game.batch_size} points for {n} parameter points")
    if isinstance(game, NormalFormGame):
        sol = nash_equilibria(game) if game.n_players == 2 else pure_nash(game)
        outcome = _normal_outcomes(game, sol)
        labels = game_outcome_labels(game, scenario.ties).reshape(-1)
    else:
        sol = subgame_perfect(game, ties=scenario.ties)
        outcome = joined_labels(sol.outcome_probs > 1e-12, [o.id for o in game.outcomes], NO_EQUILIBRIUM)
        labels = np.full(n, NO_EQUILIBRIUM, dtype=object)
        labels[sol.point] = outcome
    cols = [(start + sol.point).astype(str)]
    cols += [output.float_text(v[sol.point]) for v in params.values()]
    cols.append(np.full(len(sol.point), sol.concept))
    cols.append(output.csv_text(outcome))
    cols += [output.float_text(sol.payoffs[:, i]) for i in range(sol.payoffs.shape[1])]
    cols.append(np.where(sol.tied, "true", "false"))
    return output.csv_lines(cols), labels


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
    tied = tied_at_boundary(scenario, base, np.full(len(mids), name, dtype=object), mids,
                    np.maximum(mids - step, p.low), np.minimum(mids + step, p.high))
    return [Boundary(name, float(m), str(labels[k]), str(labels[k + 1]), bool(t))
            for m, k, t in zip(mids, change, tied)]


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


def _spec(scenario, vary, overrides, chunk_size) -> dict:
    return {"scenario": str(scenario.path), "scenario_sha256": scenario.sha256,
            "vary": {k: [float(a), float(b), int(n)] for k, (a, b, n) in vary.items()},
            "overrides": dict(overrides), "chunk_size": int(chunk_size)}


def _prepare(out: Path, spec: dict, resume: bool) -> None:
    """Create the folder and write sweep.json, or check it on resume; refuse to mix two sweeps."""
    spec_path = out / "sweep.json"
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a folder")
    if resume and spec_path.exists():
        old = json.loads(spec_path.read_text())
        keys = ("scenario_sha256", "vary", "overrides", "chunk_size")
        if any(old.get(k) != spec[k] for k in keys):
            raise UsageError(f"{out}: the folder holds a different sweep (scenario, --vary, --set or chunk size "
                             "differ); use a new folder or repeat that sweep's command")
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


def _manifest(scenario, spec: dict, command: str, wall: float, n_chunks: int) -> dict:
    from .. import __version__

    return {"negosim": __version__, "numpy": np.__version__, "scipy": _version("scipy"),
            "python": platform.python_version(), "platform": sys.platform, "command": command,
            "scenario": {"path": str(scenario.path), "sha256": scenario.sha256},
            "vary": spec["vary"], "overrides": spec["overrides"], "chunk_size": spec["chunk_size"],
            "tolerances": {"rtol": RTOL, "boundary_tol": BOUNDARY_TOL}, "wall_time_seconds": round(wall, 3),
            "chunks": n_chunks}


__all__ = ["SweepSummary", "grid_boundaries", "run_sweep", "solve_chunk"]
