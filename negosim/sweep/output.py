"""Sweep output on disk: CSV text from column arrays, atomic writes, the final files and their checks.

A sweep folder holds ``sweep.json`` (the sweep's identity and its hash, written first, checked on
``--resume``: `negosim.sweep.identity`), ``chunks/`` (each chunk's rows, labels and a sidecar that
vouches for them: `negosim.sweep.chunks`), and at the end ``results.csv`` (plus ``results.parquet``
when asked), ``points.npz`` (every point's outcome label, and for a random design its parameter
values: what `negosim plot` draws from), ``summary.json`` and, last, ``manifest.json``, which records
the size and SHA-256 of each of those files; `verified_path` checks a file against it before it is
read. Every file is written to a temporary name and moved into place, so an interrupted sweep never
leaves a half-written file under a final name.
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import numpy as np

from ..io.atomic import atomic_path, write_atomic

CHUNK_DIR = "chunks"


def object_strings(texts, codes) -> np.ndarray:
    """``texts[codes]`` as an object array of references to the same few Python strings (joining rows of
    those is about twice as fast as of a numpy str array, whose every element becomes a new string)."""
    return np.array(list(texts) + [None], dtype=object)[:-1][np.asarray(codes).reshape(-1)]


def float_text(values: np.ndarray) -> np.ndarray:
    """Return the shortest round-trip text of every float (object array of str), formatting each distinct
    value once."""
    values = np.asarray(values, dtype=float).reshape(-1)
    if len(values) < 2:
        uniq, inverse = np.unique(values, return_inverse=True)
        return object_strings(uniq.astype(str).tolist(), inverse)
    # A sweep's columns come in runs of one value (a slow parameter, a payoff while the outcome holds),
    # so only each run's first value is sorted; runs split where the bits differ (-0.0 is not 0.0).
    bits = values.view(np.int64)
    starts = np.flatnonzero(np.concatenate(([True], bits[1:] != bits[:-1])))
    uniq, inverse = np.unique(values[starts], return_inverse=True)
    inverse = np.repeat(inverse.reshape(-1), np.diff(np.append(starts, len(values))))
    return object_strings(uniq.astype(str).tolist(), inverse)


def int_text(values: np.ndarray) -> np.ndarray:
    """Return the decimal text of every integer (object array of str)."""
    return np.array(list(map(str, np.asarray(values).reshape(-1).tolist())) + [None], dtype=object)[:-1]


def csv_text(values) -> np.ndarray:
    """Return `values` as CSV fields (str array): quoted, with quotes doubled, where they hold , " or a newline."""
    values = np.asarray(values, dtype=object)
    uniq, inverse = np.unique(values.astype(str), return_inverse=True)
    fields = [f'"{v.replace(chr(34), chr(34) * 2)}"' if any(c in v for c in ',"\n\r') else v for v in uniq.tolist()]
    return object_strings(fields, inverse)


def csv_lines(columns: list[np.ndarray]) -> str:
    """Return CSV rows (one per array index, newline-terminated) from equal-length str columns."""
    if not columns or len(columns[0]) == 0:
        return ""
    lists = [np.asarray(c).tolist() for c in columns]
    return "\n".join(map(",".join, zip(*lists))) + "\n"


def write_json(path: Path, obj) -> str:
    """Write `obj` as indented JSON, atomically; return the SHA-256 of the file."""
    return write_atomic(path, json.dumps(obj, indent=2) + "\n")


def label_codes(labels) -> tuple[np.ndarray, np.ndarray]:
    """(sorted distinct labels (str array), each label's index into them (int32)) of an array of labels."""
    names, codes = np.unique(np.asarray(labels, dtype=object).astype(str), return_inverse=True)
    return names, np.asarray(codes, dtype=np.int32).reshape(-1)


def merge_labels(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Join chunks' (names, codes) into one (sorted names, codes) without touching a string per point."""
    if not parts:
        return np.array([], dtype=str), np.array([], dtype=np.int32)
    names = np.unique(np.concatenate([n for n, _ in parts]).astype(str))
    codes = [np.searchsorted(names, n.astype(str)).astype(np.int32)[c] for n, c in parts]
    return names, np.concatenate(codes)


def require_parquet() -> None:
    """Raise UsageError unless pyarrow can be imported (checked before a sweep starts)."""
    try:
        import pyarrow  # noqa: F401
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        from ..errors import UsageError

        raise UsageError("--parquet needs pyarrow: pip install 'negosim[parquet]'") from None


def write_parquet(out_dir: Path, parameters: list[str], players: list[str]) -> Path:
    """Write ``results.parquet`` from ``results.csv`` (streamed in blocks, typed columns), atomically."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    types = {"point": pa.int64(), "concept": pa.string(), "outcome": pa.string(), "tied": pa.bool_(),
             **{p: pa.float64() for p in parameters}, **{f"payoff_{p}": pa.float64() for p in players}}
    path = Path(out_dir) / "results.parquet"
    reader = pacsv.open_csv(Path(out_dir) / "results.csv", read_options=pacsv.ReadOptions(block_size=1 << 24),
                            convert_options=pacsv.ConvertOptions(column_types=types, strings_can_be_null=False))
    with atomic_path(path) as tmp, pq.ParquetWriter(tmp, reader.schema) as writer:
        for batch in reader:
            writer.write_batch(batch)
    return path


def write_points(out_dir: Path, values: dict[str, np.ndarray], names: np.ndarray, codes: np.ndarray) -> str:
    """Write ``points.npz``: every point's outcome label (``names[codes]``) and, for a random design,
    each varied parameter's value at every point (``value_<name>``); return the file's SHA-256."""
    arrays = {"names": np.asarray(names, dtype=str), "codes": np.asarray(codes, dtype=np.int32).reshape(-1),
              **{f"value_{k}": np.asarray(v, dtype=float) for k, v in values.items()}}
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # type: ignore[arg-type]  # numpy's stub types the keywords as allow_pickle
    return write_atomic(Path(out_dir) / "points.npz", buffer.getvalue())


def file_digest(path: Path) -> dict:
    """The size and SHA-256 of the file at `path` (read in blocks), as recorded in manifest.json."""
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while block := fh.read(1 << 22):
            h.update(block)
            size += len(block)
    return {"bytes": size, "sha256": h.hexdigest()}


def finished_files(out_dir: Path) -> dict[str, dict]:
    """Return the size and SHA-256 of each final file of a finished sweep, from its ``manifest.json``,
    after checking that the manifest belongs to the sweep in ``sweep.json``.

    Raises DamagedFolderError if the sweep has not finished (no manifest) or the manifest is damaged.
    """
    from .identity import DamagedFolderError, read_record

    folder = Path(out_dir)
    identity = read_record(folder)
    path = folder / "manifest.json"
    try:
        manifest = json.loads(path.read_bytes().decode("utf-8"))
        files = manifest["files"]
        sweep = manifest["sweep"]
        if not isinstance(files, dict) or not all(isinstance(d, dict) and isinstance(d.get("sha256"), str)
                                                  and isinstance(d.get("bytes"), int) for d in files.values()):
            raise TypeError
    except FileNotFoundError:
        raise DamagedFolderError(path, "missing: the sweep has not finished; run it again with --resume") from None
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        raise DamagedFolderError(path, "damaged (not a sweep manifest); run the sweep again with --resume to "
                                 "rebuild it") from None
    if sweep != identity.sha256:
        raise DamagedFolderError(path, "belongs to another sweep than sweep.json; run the sweep again with --resume")
    return files


def verified_path(out_dir: Path, name: str, files: dict[str, dict] | None = None) -> Path:
    """Return ``out_dir/name`` after checking its size and SHA-256 against the sweep's manifest.

    Raises DamagedFolderError (one line naming the file) if it is missing, not listed, or changed.
    """
    from .identity import DamagedFolderError

    files = finished_files(out_dir) if files is None else files
    path = Path(out_dir) / name
    if name not in files:
        raise DamagedFolderError(path, "not recorded in manifest.json; run the sweep again with --resume")
    try:
        found = file_digest(path)
    except FileNotFoundError:
        raise DamagedFolderError(path, "missing; run the sweep again with --resume to rebuild it") from None
    if found != files[name]:
        raise DamagedFolderError(path, "changed since the sweep wrote it (checksum differs); run the sweep again "
                                 "with --resume to rebuild it")
    return path


def read_point_codes(out_dir: Path, files: dict[str, dict] | None = None
                     ) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Return (label names (str array), each point's index into them (N,) int32, {name: values (N,)}
    for a random design) from ``points.npz``, verified against the sweep's manifest first
    (DamagedFolderError if it does not match): the compact form, 4 bytes a point."""
    from .identity import DamagedFolderError

    path = verified_path(out_dir, "points.npz", files)
    with np.load(io.BytesIO(path.read_bytes()), allow_pickle=False) as data:
        names, codes = data["names"], data["codes"]
        values = {k[len("value_"):]: data[k] for k in data.files if k.startswith("value_")}
    if len(codes) and not 0 <= codes.min() <= codes.max() < len(names):
        raise DamagedFolderError(path, "damaged (a point's label code is out of range)")
    return names, codes, values


def read_points(out_dir: Path, files: dict[str, dict] | None = None) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Return (labels (N,) object, {name: values (N,)} for a random design) from ``points.npz``, verified
    against the sweep's manifest first (DamagedFolderError if it does not match)."""
    names, codes, values = read_point_codes(out_dir, files)
    return names.astype(object)[codes], values


__all__ = ["csv_lines", "csv_text", "file_digest", "finished_files", "float_text", "int_text", "label_codes",
           "merge_labels", "object_strings", "read_point_codes", "read_points", "require_parquet", "verified_path",
           "write_atomic", "write_json", "write_parquet", "write_points"]
