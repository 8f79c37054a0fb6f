"""Run a sweep: solve a scenario at every point of a grid, chunk by chunk, resumable, into a folder.

>>> import tempfile
>>> from negosim.scenario import load_scenario
>>> s = load_scenario("scenarios/ceasefire_2025.yaml")
>>> round(run_sweep(s, {"mu": (0.0, 0.3, 61)}, out_dir=tempfile.mkdtemp()).boundaries[0].value, 6)
0.105

Rows of ``results.csv``: one per equilibrium of the game's primary concept found at a point, with
its outcome; a point's *outcome label* is what ``summary.json`` counts and boundaries separate. Both
follow `negosim.solve.primary` (trees: the subgame-perfect equilibrium; 2-player normal forms: every
Nash equilibrium; others: the pure ones).
"""

from __future__ import annotations

import math
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import UsageError
from ..game.normal import NormalFormGame
from ..game.profiles import profile_names
from ..records import dataclass  # (frozen dataclasses made with less compiling: negosim.records)
from ..solve.primary import (
    label_names,
)
from ..solve.tolerance import RTOL
from . import bargain_sweep, chunks, kinds, output
from .chunk_solve import encoded_chunk, encoded_rows, solve_chunk
from .chunks import ChunkPlace
from .designs import MAX_POINTS, Design, check_vary
from .executors import run_on
from .identity import RECORD, SweepIdentity, check_same, make_identity, read_record, record
from .lock import FolderLock
from .pipeline import ChunkWriter
from .point_outputs import BOUNDARY_TOL, PointOutputs, evaluate_points, grid_boundaries
from .table import ResultRows
from .versions import installed_version

if TYPE_CHECKING:  # (the boundary modules are imported when a one-parameter sweep bisects its boundaries)
    from concurrent.futures import Executor

    from ..game.tree import GameTree
    from .boundaries import Boundary

#: The largest chunk: a chunk is solved in memory at once, at a few kilobytes per point.
MAX_CHUNK_SIZE = 1_000_000
#: Points per chunk unless the game is big (`auto_chunk_size`) or --chunk-size says otherwise.
DEFAULT_CHUNK_SIZE = 100_000
#: What one chunk's solve may hold in memory, by `auto_chunk_size`'s estimate.
CHUNK_MEMORY = 512 * 2**20
#: Estimated bytes a batched solve holds per point for each node of a tree (a value per player, the
#: reach probability, choices and ties per node: measured about 42 bytes at 88,570 nodes and 3 players)
#: and for each payoff entry of a normal form (the payoff, best-response masks and enumeration work).
TREE_BYTES_PER_NODE_AND_PLAYER = 16
NORMAL_BYTES_PER_ENTRY = 64
MIXED = "mixed"


@dataclass(frozen=True)
class SweepSummary:
    """What a finished sweep found: its folder, point count, points per outcome label, boundaries, wall time.

    Parameters
    ----------
    out_dir : Path
        The sweep's folder.
    points : int
        Parameter points solved.
    outcomes : dict
        Outcome label -> number of points.
    boundaries : list of Boundary
        Where the label changes (a grid over one parameter: refined by bisection).
    wall_time : float
        Seconds the sweep took.
    design : str
        ``"grid"``, ``"lhs"`` or ``"sobol"``.
    seed : int, optional
        The random design's seed.

    Examples
    --------
    >>> import tempfile
    >>> from negosim.sweep import run_sweep
    >>> from negosim.scenario import load_scenario
    >>> sc = load_scenario("scenarios/entry_deterrence.yaml")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     summary = run_sweep(sc, {"rep": (0.0, 4.0, 5)}, out_dir=folder)
    >>> summary.points, summary.outcomes, summary.design
    (5, {'shared_market': 2, 'stay_out': 3}, 'grid')
    """

    out_dir: Path
    points: int
    outcomes: dict[str, int] = field(default_factory=dict)
    boundaries: list[Boundary] = field(default_factory=list)
    wall_time: float = 0.0
    design: str = "grid"
    seed: int | None = None
    kinds: dict[str, int] = field(default_factory=dict)  # a signalling game's points per kind (`kinds`)
    kind_boundaries: list[dict] = field(default_factory=list)
    table: str = "parquet"  # the result table's format: "parquet" (results.parquet/) or "csv" (results.csv)


def run_sweep(scenario, vary: dict[str, tuple[float, float, int | None]], *, design: str = "grid",
              samples: int | None = None, seed: int | None = None, overrides: dict | None = None,
              out_dir: str | Path, chunk_size: int | None = None, resume: bool = False,
              progress: Callable[[int, int], None] | None = None, command: str = "",
              executor: Executor | None = None, parquet: bool = False, max_points: int = MAX_POINTS,
              notify: Callable[[str], None] | None = None, concepts: tuple[str, ...] = (),
              lambdas: tuple[float, ...] = (), table: str | None = None) -> SweepSummary:
    """Return the summary of solving `scenario` at every point of a design (others at baseline + `overrides`).

    `design` is "grid" (`vary` gives ``{name: (start, stop, num)}``), or "lhs" / "sobol" (`vary` gives
    the ranges, num ignored; `samples` points drawn from `seed`; with no seed a fresh one is drawn and
    recorded, and a resume reuses the recorded one). Chunks of `chunk_size` points are solved in this
    process (each encoded and written on a writer thread while the next is solved,
    `negosim.sweep.pipeline`), or on `executor` (any `concurrent.futures.Executor`: a process pool, a Dask client's
    executor); the results are the same either way. Without `chunk_size`, `auto_chunk_size` picks it
    from the game's size (100,000 points unless the game is big). A design of more than `max_points` points (or
    random values) is refused. `concepts` ("qre" with `lambdas`, "ce") add columns to every row
    (`negosim.sweep.concept_columns`); the outcome and payoff columns stay the primary answer's.

    Writes ``out_dir``: the rows as chunks finish, in the `table` format: "parquet" (the default), one part
    file per chunk in ``results.parquet/`` (written once, in place), or "csv", chunk files joined into
    ``results.csv`` at the end; then ``points.npz``, ``summary.json`` and ``manifest.json``. With
    `resume`, finished chunks of the same sweep (`negosim.sweep.identity`) are verified
    (`negosim.sweep.chunks`) and skipped; a chunk that does not verify is solved again, and `notify` (a
    callable taking one line) is told.
    Raises UsageError for a bad design, a folder holding another sweep's chunks (without `resume`), or
    a resume of a different sweep; DamagedFolderError (exit 3) for a ``sweep.json`` that does not verify,
    or a chunk that changes between its check and its joining. On KeyboardInterrupt (or any error)
    finished chunks stay on disk.

    Parameters
    ----------
    scenario : Scenario
    vary : dict
        Parameter name -> ``(start, stop, num)`` (num None for a random design).
    design : {"grid", "lhs", "sobol"}
    samples, seed : int, optional
        A random design's size and seed.
    overrides : dict, optional
        Fixed values of other parameters.
    out_dir : str or Path
        The sweep's folder.
    chunk_size : int
        Points solved per chunk.
    resume : bool
        Reuse the verified chunks of the same sweep in `out_dir`.
    progress : callable, optional
        Called with ``(points done, points in all)``.
    command : str
        The command line recorded in the manifest.
    executor : concurrent.futures.Executor, optional
        Where chunks are solved (default: this process).
    parquet : bool
        Kept for earlier callers: the same as ``table="parquet"``.
    max_points : int
        The largest design accepted.
    notify : callable, optional
        Told (one line) about a chunk solved again.
    concepts, lambdas : tuple
        Column concepts and the QRE's lambdas.
    table : {"parquet", "csv"}, optional
        The result table's format; by default "parquet", or on `resume` the folder's own.

    Returns
    -------
    SweepSummary

    Raises
    ------
    NegosimUsageError
        For a bad design, a folder holding another sweep's chunks (without `resume`), or a resume
        of a different sweep.
    DamagedFolderError
        For a ``sweep.json`` that does not verify, or a chunk that changes while it is joined.

    Examples
    --------
    >>> import tempfile
    >>> from negosim.sweep import run_sweep
    >>> from negosim.scenario import load_scenario
    >>> sc = load_scenario("scenarios/entry_deterrence.yaml")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     summary = run_sweep(sc, {"rep": (0.0, 4.0, 5)}, out_dir=folder)
    >>> [(b.below, b.above) for b in summary.boundaries]
    [('shared_market', 'stay_out')]
    """
    started = time.perf_counter()
    if not vary:
        raise UsageError("nothing to vary: give --vary NAME=START:STOP:NUM or a --sweep from the scenario")
    built: list = []

    def baseline_game():
        """The scenario's game at its baseline, built once for what the sweep asks of its form (chunk size,
        columns, kinds, outcome names and order): it is only read, so one build serves them all."""
        if not built:
            built.append(scenario.build())
        return built[0]
    bargaining = bargain_sweep.is_bargaining(scenario)
    if bargaining and (concepts or lambdas):
        raise UsageError(f"{scenario.path}: a bargaining scenario's sweep has its model's quantities as columns; "
                         "--concept and --lambda add columns of a game's equilibria")
    if chunk_size is None:
        # A bargaining model has no game: its closed forms cost a few numbers a point.
        chunk_size = DEFAULT_CHUNK_SIZE if bargaining else auto_chunk_size(baseline_game())
    check_chunk_size(chunk_size)
    if parquet:
        table = table or "parquet"
    if table is not None and table not in chunks.TABLE_FORMATS:
        raise UsageError(f"--format {table}: give one of {', '.join(chunks.TABLE_FORMATS)}")
    check_vary(vary, scenario)
    concepts, lambdas = tuple(concepts), tuple(float(v) for v in lambdas)
    if concepts or lambdas:
        from .concept_columns import check_concepts

        check_concepts(concepts, lambdas)
        from ..solve.policy import TooLargeError
        from ..solve.qre_ce import refusal

        why = next((r for r in (refusal(baseline_game(), c) for c in concepts) if r), None)
        if why:
            raise TooLargeError(f"{scenario.path}: {why}")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a folder")
    if design != "grid":
        vary = {k: (a, b, None) for k, (a, b, _) in vary.items()}
    else:
        seed = None  # a grid draws nothing
    Design(design, dict(vary), samples=samples, seed=0 if seed is None else seed, max_points=max_points)
    overrides = {k: float(v) for k, v in (overrides or {}).items()}
    base = scenario.with_overrides(overrides) if overrides else scenario
    with FolderLock(out) as lock:
        found = read_record(out) if resume and (out / RECORD).exists() else None
        if design != "grid" and seed is None:
            seed = found.seed if found is not None else int(np.random.SeedSequence().entropy)  # type: ignore[arg-type]
        points = Design(design, dict(vary), samples=samples, seed=seed, max_points=max_points)
        table = table or (found.table if found is not None else "parquet")
        if table == "parquet":
            output.require_parquet(load=executor is not None)  # (in this process, the writer thread loads it)
        identity = make_identity(scenario.sha256, overrides, design, vary, samples, seed, chunk_size, concepts, lambdas,
                                 table)
        if found is not None:
            check_same(identity, found, out)
        _prepare(out, identity, str(scenario.path), found is not None)
        return _run_locked(scenario, base, vary, points, identity, out, lock, progress, command, executor,
                           started, notify or (lambda line: None), resuming=found is not None,
                           baseline_game=baseline_game)


def auto_chunk_size(game) -> int:
    """Return the points per chunk for `game`: DEFAULT_CHUNK_SIZE, or fewer (at least 1) where the game
    is so big that a chunk's arrays would pass CHUNK_MEMORY, so that a big tree cannot exhaust memory.

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> auto_chunk_size(load_scenario("scenarios/ceasefire_2025.yaml").build())
    100000
    >>> from negosim.game.generate_trees import centipede
    >>> auto_chunk_size(centipede(100_001))
    167
    """
    if isinstance(game, NormalFormGame):
        per_point = NORMAL_BYTES_PER_ENTRY * game.n_players * math.prod(game.shape)
    else:
        per_point = TREE_BYTES_PER_NODE_AND_PLAYER * len(game.nodes) * game.n_players
    return int(max(1, min(DEFAULT_CHUNK_SIZE, CHUNK_MEMORY // max(per_point, 1))))


def check_chunk_size(chunk_size: int) -> None:
    """Raise UsageError unless `chunk_size` is a whole number of points from 1 to MAX_CHUNK_SIZE."""
    if not 1 <= chunk_size <= MAX_CHUNK_SIZE:
        raise UsageError(f"--chunk-size {chunk_size}: give a number of points from 1 to {MAX_CHUNK_SIZE:,} (a chunk "
                         "is solved in memory at once; the results do not depend on it)")


def _run_locked(scenario, base, vary, points: Design, identity: SweepIdentity, out: Path, lock: FolderLock,
                progress, command: str, executor, started: float,
                notify: Callable[[str], None], resuming: bool = True,
                baseline_game: Callable[[], NormalFormGame | GameTree] | None = None) -> SweepSummary:
    """The body of `run_sweep` once it holds the folder's lock and has checked or written sweep.json
    (`resuming` False: `_prepare` found the folder without a chunk file, so none is looked for;
    `baseline_game()` gives `scenario.build()`, built once)."""
    baseline_game = baseline_game or scenario.build
    design, seed, chunk_size, table = points.kind, points.seed, identity.chunk_size, identity.table
    total = points.total
    n_chunks = max(1, math.ceil(total / chunk_size))
    places = [ChunkPlace(identity.sha256, c, c * chunk_size, min(total, (c + 1) * chunk_size)) for c in range(n_chunks)]
    for path in chunks.stray_chunk_files(out, n_chunks) if resuming else ():
        if path.parent.name == chunks.PARQUET_DIR:  # a tool reading the folder as a dataset would take it in
            path.unlink()
            notify(f"{path}: not a part of this sweep ({n_chunks} chunks); removed from the result table")
        else:
            notify(f"{path}: not a chunk of this sweep ({n_chunks} chunks); ignored")
    header = _header(scenario, vary, identity.concepts, identity.lambdas, baseline_game)
    # A finished CSV folder's rows are in results.csv only; a Parquet sweep's stay in their part files.
    offsets: list[int | None] = chunks.joined_offsets(out, places, header) if table == "csv" else [None] * len(places)
    todo = []
    for place, offset in zip(places, offsets):
        if not resuming or not chunks.chunk_started(out, place.index):
            todo.append(place)
        elif (problem := chunks.verify_chunk(out, place, offset, table)) is not None:
            notify(f"{problem}; solving chunk {place.index} again")
            chunks.remove_chunk(out, place.index)
            todo.append(place)
    done = total - sum(p.stop - p.start for p in todo)
    if progress is not None and done:
        progress(done, total)

    # labels of the chunks solved by this run (a chunk found on disk is read and verified at the end)
    fresh: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def finished(place: ChunkPlace, result: tuple[bytes, int, np.ndarray, np.ndarray]) -> None:
        nonlocal done
        lock.check()
        data, count, names, codes = result
        chunks.write_chunk(out, place, data, names, codes, table, count)
        if executor is not None:  # (in this process, the solving thread keeps them: `fresh` below)
            fresh[place.index] = _compact(names, codes)
        done += place.stop - place.start
        if progress is not None:
            progress(done, total)

    def task(place: ChunkPlace):
        return base, points.points(place.start, place.stop), place.start, identity.concepts, identity.lambdas, table

    def labels_and_points() -> tuple[np.ndarray, np.ndarray, dict]:
        """Every point's label, merged from memory and from the chunks found on disk, and points.npz
        written: recorded from the bytes just written (their digest, the file's size), not read back."""
        lock.check()
        names, codes = output.merge_labels([fresh.pop(p.index) if p.index in fresh
                                            else chunks.read_labels(out, p, table) for p in places])
        digest = output.write_points(out, {k: points.points(0, total)[k] for k in vary} if design != "grid" else {},
                                     names, codes)
        return names, codes, _written(out / "points.npz", digest)

    def summarised(names: np.ndarray, codes: np.ndarray) -> tuple[dict, dict[str, int], list[Boundary]]:
        """summary.json but a signalling game's kinds (which are read from the result files), the points per
        outcome and the boundaries."""
        counts = output.count_codes(codes, len(names))  # (not np.bincount at once: 8 bytes a point)
        outcomes = {str(n): int(k) for n, k in zip(names, counts) if k}
        boundaries: list[Boundary] = []
        summary: dict = {"points": total, "design": design, "outcomes": outcomes}
        if len(vary) == 1:
            (name,) = vary
            values = points.points(0, total)[name]
            if np.all(values[1:] >= values[:-1]):  # a grid: in order already (no index array per point)
                boundaries = grid_boundaries(base, name, values, codes, names=names, max_points=chunk_size)
            else:
                order = np.argsort(values, kind="stable")
                boundaries = grid_boundaries(base, name, values[order], codes[order], names=names,
                                             max_points=chunk_size)
            summary["boundaries"] = [vars(b) for b in boundaries]
        else:
            summary["boundaries"] = []
            summary["note"] = "boundaries are located for one-parameter sweeps only"
        summary.update(_describe(base, vary, names, baseline_game if base is scenario else None))
        return summary, outcomes, boundaries

    if executor is None:  # solve here while the chunk before is encoded and written on a thread
        def write(place: ChunkPlace, solved: tuple[ResultRows, np.ndarray, np.ndarray]) -> None:
            finished(place, encoded_rows(*solved, table))

        with ChunkWriter(write, prepare=output.require_parquet if table == "parquet" else None) as writer:
            for place in todo:
                solved = solve_chunk(*task(place)[:-1])
                fresh[place.index] = _compact(solved[1], solved[2])
                writer.put(place, solved)
            # While the writer encodes and writes the last chunks: the labels, points.npz and the summary,
            # which read no result file of this run. (An error of the writer's is still raised when this block
            # ends, before summary.json and manifest.json, which a finished folder is recognised by, are written.)
            names, codes, points_file = labels_and_points()
            summary, outcomes, boundaries = summarised(names, codes)
            libs = _libraries()  # (read from the installed packages' metadata files)
    else:
        run_on(executor, todo, lambda place: (encoded_chunk, *task(place)), finished)
        names, codes, points_file = labels_and_points()
        summary, outcomes, boundaries = summarised(names, codes)
        libs = _libraries()

    lock.check()
    files = {}
    if table == "csv":
        results_sha = chunks.join_chunks(out, places, header, offsets)
        files["results.csv"] = {"bytes": (out / "results.csv").stat().st_size, "sha256": results_sha}
    else:  # the part files are the results: each verified or just written, recorded as its sidecar has it
        files.update({chunks.part_name(p.index): chunks.part_digest(out, p) for p in places})
    files["points.npz"] = points_file
    if not bargain_sweep.is_bargaining(scenario) and kinds.is_signalling(baseline_game()):
        name = next(iter(vary)) if len(vary) == 1 else None
        found = kinds.point_kinds(output.read_columns(out, ["point", kinds.KIND_COLUMN], files), total)
        summary.update(kinds.sweep_kinds(base, found, name, points.points(0, total)[name] if name else None))
    files["summary.json"] = _written(out / "summary.json", output.write_json(out / "summary.json", summary))
    wall = time.perf_counter() - started
    lock.check()
    manifest = _manifest(scenario, identity, command, wall, n_chunks, executor, files, libs)
    output.write_json(out / "manifest.json", manifest)
    if table == "csv":
        chunks.drop_joined_rows(out, places)  # results.csv, now recorded, holds them: the results once on disk
    return SweepSummary(out, total, outcomes, boundaries, wall, design, seed, summary.get("kinds", {}),
                        summary.get("kind_boundaries", []), table)


def _compact(names, codes) -> tuple[np.ndarray, np.ndarray]:
    """A chunk's labels as kept until the end of the sweep: its codes a byte a point where they fit (the
    whole sweep's labels stay in memory; 16 million points hold 16 MB, not 64)."""
    names = np.asarray(names)
    return names, np.asarray(codes, dtype=np.uint8 if len(names) <= 1 << 8 else np.int32)


# --- helpers ------------------------------------------------------------------------------


def _header(scenario, vary, concepts: tuple[str, ...] = (), lambdas: tuple[float, ...] = (),
            baseline_game: Callable[[], NormalFormGame | GameTree] | None = None) -> str:
    if bargain_sweep.is_bargaining(scenario):
        return bargain_sweep.header(scenario, vary)
    players = list(scenario.player_ids)
    extra: list[str] = []
    if concepts:
        from .concept_columns import column_names

        extra = [str(c) for c in output.csv_text(column_names((baseline_game or scenario.build)(), concepts, lambdas))]
    if kinds.is_signalling((baseline_game or scenario.build)()):
        extra.append(kinds.KIND_COLUMN)
    return ",".join(["point", *vary, "concept", "outcome", *(f"payoff_{p}" for p in players), "tied", *extra])


def _describe(scenario, vary, labels, baseline_game: Callable[[], NormalFormGame | GameTree] | None = None) -> dict:
    """What a figure needs to draw the sweep without the scenario: players, the varied parameters'
    ranges and meanings, and a readable name for every outcome label."""
    params = {}
    for name in vary:
        p = scenario.parameters[name]
        params[name] = {"baseline": p.value, "low": p.low, "high": p.high, "description": p.description,
                        "unit": p.unit}
    if bargain_sweep.is_bargaining(scenario):
        return {"scenario": {"id": scenario.id, "title": scenario.title}, "players": list(scenario.player_ids),
                "parameters": params, "outcome_kind": "regime", **bargain_sweep.describe(scenario, labels)}
    game = (baseline_game or scenario.build)()
    labels = [str(x) for x in labels]
    return {"scenario": {"id": scenario.id, "title": scenario.title}, "players": list(scenario.player_ids),
            "parameters": params, "outcome_names": label_names(game, labels),
            # What the labels are, as figures title their legends: a repeated game's are the profiles
            # grim trigger sustains, not the stage game's equilibria.
            "outcome_kind": ("profiles grim trigger sustains" if scenario.form == "repeated"
                             else "equilibrium outcome"),
            "outcome_order": sorted(labels, key=lambda label: _canonical(game, label))}


def _canonical(game, label: str) -> tuple[tuple[int, ...], str]:
    """Sort key putting outcome labels in the game's own order: a tree's outcomes as the scenario lists
    them, a normal form's profiles in profile order; combined labels after their first part, and
    labels the game does not name ("mixed only") last. Figures colour outcomes in this order."""
    if isinstance(game, NormalFormGame):
        names = profile_names(game)
    else:
        names = [o.id for o in game.outcomes]
    rank = {n: i for i, n in enumerate(names)}
    # (ranks, label), not ranks + (label,): a label whose parts extend another's would compare str with int
    return tuple(rank.get(part, len(names)) for part in label.split(" + ")), label


def _written(path: Path, sha256: str) -> dict:
    """A file's record in the manifest (as `output.file_digest` gives it) from the digest of the bytes just
    written to it atomically: its size is asked of the filesystem, its bytes are not read again."""
    return {"bytes": path.stat().st_size, "sha256": sha256}


def _prepare(out: Path, identity: SweepIdentity, scenario_path: str, resuming: bool) -> None:
    """Create the folder and write sweep.json, unless resuming the sweep it already records; refuse to mix
    two sweeps (a folder holding chunks without --resume, or chunks without a sweep.json)."""
    if resuming:
        (out / chunks.CHUNK_DIR).mkdir(exist_ok=True)  # (a chunks folder deleted by hand is made again)
        return
    if chunks.existing_chunk_files(out):
        if (out / RECORD).exists():
            raise UsageError(f"{out}: already holds a sweep; add --resume to finish it, or choose a new folder")
        raise UsageError(f"{out}: holds chunk files but no sweep.json; use a new folder")
    (out / chunks.CHUNK_DIR).mkdir(parents=True, exist_ok=True)
    output.write_json(out / RECORD, record(identity, scenario_path))


def _libraries() -> dict[str, str | None]:
    """The versions of the libraries a manifest names (None: not installed)."""
    return {name: installed_version(name) for name in ("scipy", "nashpy", "matplotlib", "ruamel.yaml", "pyarrow",
                                                       "distributed")}


def _manifest(scenario, identity: SweepIdentity, command: str, wall: float, n_chunks: int, executor,
              files: dict[str, dict], libs: dict[str, str | None] | None = None) -> dict:
    from .. import __version__

    libs = _libraries() if libs is None else libs
    spec = record(identity, str(scenario.path))
    return {"negosim": __version__, "numpy": np.__version__, **{k: v for k, v in libs.items() if v},
            "python": platform.python_version(), "platform": sys.platform, "command": command,
            "scenario": {"path": str(scenario.path), "sha256": scenario.sha256},
            "design": spec["design"], "vary": spec["vary"], "samples": spec.get("samples"), "seed": spec.get("seed"),
            "overrides": spec["overrides"], "chunk_size": spec["chunk_size"],
            "executor": "in-process" if executor is None else type(executor).__name__,
            "tolerances": {"rtol": RTOL, "boundary_tol": BOUNDARY_TOL}, "wall_time_seconds": round(wall, 3),
            "chunks": n_chunks, "sweep": identity.sha256, "files": files}


__all__ = ["PointOutputs", "SweepSummary", "encoded_chunk", "encoded_rows", "evaluate_points", "grid_boundaries",
           "run_sweep", "solve_chunk"]
