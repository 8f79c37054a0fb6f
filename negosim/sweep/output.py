"""Sweep output on disk: CSV text from column arrays, atomic writes, chunk files and their joining.

A sweep folder holds ``sweep.json`` (the spec, written first, checked on ``--resume``),
``chunks/chunk-NNNNN.csv`` with ``chunks/chunk-NNNNN.npz`` (each chunk's per-point outcome labels,
written before its CSV, so a chunk is finished when both exist), and at the end ``results.csv``
(plus ``results.parquet`` when asked), ``points.npz`` (every point's outcome label, and for a random
design its parameter values: what `negosim plot` draws from), ``summary.json`` and ``manifest.json``.
Every file is written to a temporary name and moved into place, so an interrupted sweep never leaves a
half-written file under a final name.
"""

from __future__ import annotations

import json
import os
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
    values = np.asarray(values, dtype=float)
    uniq, inverse = np.unique(values, return_inverse=True)
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


class FolderLock:
    """An exclusive lock on a sweep folder (``DIR/.lock``, held with flock while a sweep writes), so a
    second sweep into the same folder stops with a clear message instead of racing the first."""

    def __init__(self, out_dir: Path):
        self.path = Path(out_dir) / ".lock"
        self.handle = None

    def __enter__(self) -> FolderLock:
        from ..errors import UsageError

        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = open(self.path, "a+")
        try:
            import fcntl
        except ImportError:  # no flock on this platform: nothing to hold
            return self
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self.handle.close()
            raise UsageError(f"{self.path.parent}: another negosim sweep is writing to this folder; wait for it "
                             "to finish (then --resume if it was interrupted) or use another folder") from None
        return self

    def __exit__(self, *exc) -> None:
        self.handle.close()  # closing releases the lock


def write_json(path: Path, obj) -> None:
    """Write `obj` as indented JSON, atomically."""
    write_atomic(path, json.dumps(obj, indent=2) + "\n")


def chunk_paths(out_dir: Path, index: int) -> tuple[Path, Path]:
    """Return the (CSV, labels) paths of chunk `index`."""
    base = Path(out_dir) / CHUNK_DIR / f"chunk-{index:05d}"
    return base.with_suffix(".csv"), base.with_suffix(".npz")


def existing_chunks(out_dir: Path) -> list[Path]:
    """Return the chunk CSV files already in `out_dir` (sorted)."""
    return sorted((Path(out_dir) / CHUNK_DIR).glob("chunk-*.csv"))


def label_codes(labels) -> tuple[np.ndarray, np.ndarray]:
    """(sorted distinct labels (str array), each label's index into them (int32)) of an array of labels."""
    names, codes = np.unique(np.asarray(labels, dtype=object).astype(str), return_inverse=True)
    return names, np.asarray(codes, dtype=np.int32).reshape(-1)


def write_chunk(out_dir: Path, index: int, rows: str, names: np.ndarray, codes: np.ndarray) -> None:
    """Write chunk `index`: its per-point labels (``names[codes]``) first, then its CSV rows (the CSV
    marks it finished)."""
    csv_path, npz_path = chunk_paths(out_dir, index)
    with atomic_path(npz_path) as tmp, open(tmp, "wb") as fh:
        np.savez(fh, names=np.asarray(names, dtype=str), codes=np.asarray(codes, dtype=np.int32).reshape(-1))
    write_atomic(csv_path, rows)


def chunk_done(out_dir: Path, index: int) -> bool:
    """Return whether chunk `index` is finished (both its files exist)."""
    return all(p.exists() for p in chunk_paths(out_dir, index))


def read_labels(out_dir: Path, index: int) -> tuple[np.ndarray, np.ndarray]:
    """Return chunk `index`'s per-point outcome labels as (names, codes): label i is names[codes[i]]."""
    with np.load(chunk_paths(out_dir, index)[1], allow_pickle=False) as data:
        return data["names"], data["codes"]


def merge_labels(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Join chunks' (names, codes) into one (sorted names, codes) without touching a string per point."""
    if not parts:
        return np.array([], dtype=str), np.array([], dtype=np.int32)
    names = np.unique(np.concatenate([n for n, _ in parts]).astype(str))
    codes = [np.searchsorted(names, n.astype(str)).astype(np.int32)[c] for n, c in parts]
    return names, np.concatenate(codes)


def _append(src, dst) -> None:
    """Append file `src` to `dst` (both open, binary), in the kernel where it can (copy_file_range)."""
    size = os.fstat(src.fileno()).st_size
    copy = getattr(os, "copy_file_range", None)
    done = 0
    if copy is not None:
        try:
            while done < size and (step := copy(src.fileno(), dst.fileno(), size - done)):
                done += step
        except OSError:  # a filesystem or kernel without it: copy through memory from where it stopped
            pass
    src.seek(done)
    dst.seek(0, os.SEEK_END)
    while block := src.read(1 << 22):
        dst.write(block)
    dst.flush()


def join_chunks(out_dir: Path, n_chunks: int, header: str) -> Path:
    """Write ``results.csv``: `header` then every chunk's rows in order, atomically; return its path."""
    path = Path(out_dir) / "results.csv"
    with atomic_path(path) as tmp, open(tmp, "wb") as out:
        out.write((header + "\n").encode())
        out.flush()
        for i in range(n_chunks):
            with open(chunk_paths(out_dir, i)[0], "rb") as fh:
                _append(fh, out)
    return path


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


def write_points(out_dir: Path, values: dict[str, np.ndarray], names: np.ndarray, codes: np.ndarray) -> Path:
    """Write ``points.npz``: every point's outcome label (``names[codes]``) and, for a random design,
    each varied parameter's value at every point (``value_<name>``)."""
    path = Path(out_dir) / "points.npz"
    arrays = {"names": np.asarray(names, dtype=str), "codes": np.asarray(codes, dtype=np.int32).reshape(-1),
              **{f"value_{k}": np.asarray(v, dtype=float) for k, v in values.items()}}
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        np.savez(fh, **arrays)  # type: ignore[arg-type]
    return path


def read_points(out_dir: Path) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Return (labels (N,) object, {name: values (N,)} for a random design) from ``points.npz``."""
    with np.load(Path(out_dir) / "points.npz", allow_pickle=False) as data:
        labels = data["names"].astype(object)[data["codes"]]
        values = {k[len("value_"):]: data[k] for k in data.files if k.startswith("value_")}
    return labels, values


__all__ = ["FolderLock", "label_codes", "merge_labels", "read_points", "require_parquet", "write_parquet",
           "write_points", "chunk_done", "chunk_paths", "csv_lines", "csv_text", "existing_chunks", "float_text",
           "int_text", "object_strings",
           "join_chunks", "read_labels", "write_atomic", "write_chunk", "write_json"]
