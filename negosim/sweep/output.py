"""Sweep output on disk: CSV text from column arrays, atomic writes, chunk files and their joining.

A sweep folder holds ``sweep.json`` (the spec, written first, checked on ``--resume``),
``chunks/chunk-NNNNN.csv`` with ``chunks/chunk-NNNNN.npz`` (each chunk's per-point outcome labels,
written before its CSV, so a chunk is finished when both exist), and at the end ``results.csv``,
``summary.json`` and ``manifest.json``. Every file is written to a temporary name and moved into
place, so an interrupted sweep never leaves a half-written file under a final name.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

CHUNK_DIR = "chunks"


def float_text(values: np.ndarray) -> np.ndarray:
    """Return the shortest round-trip text of every float (str array), formatting each distinct value once."""
    values = np.asarray(values, dtype=float)
    uniq, inverse = np.unique(values, return_inverse=True)
    return uniq.astype(str)[np.asarray(inverse).reshape(-1)]


def csv_text(values) -> np.ndarray:
    """Return `values` as CSV fields (str array): quoted, with quotes doubled, where they hold , " or a newline."""
    values = np.asarray(values, dtype=object)
    uniq, inverse = np.unique(values.astype(str), return_inverse=True)
    fields = [f'"{v.replace(chr(34), chr(34) * 2)}"' if any(c in v for c in ',"\n\r') else v for v in uniq.tolist()]
    return np.array(fields + [""], dtype=object)[:-1][np.asarray(inverse).reshape(-1)]


def csv_lines(columns: list[np.ndarray]) -> str:
    """Return CSV rows (one per array index, newline-terminated) from equal-length str columns."""
    if not columns or len(columns[0]) == 0:
        return ""
    lists = [np.asarray(c).tolist() for c in columns]
    return "\n".join(map(",".join, zip(*lists))) + "\n"


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and os.replace."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data.encode() if isinstance(data, str) else data)
    os.replace(tmp, path)


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


def write_chunk(out_dir: Path, index: int, rows: str, labels: np.ndarray) -> None:
    """Write chunk `index`: its per-point labels first, then its CSV rows (the CSV marks it finished)."""
    csv_path, npz_path = chunk_paths(out_dir, index)
    names, codes = np.unique(np.asarray(labels, dtype=object).astype(str), return_inverse=True)
    tmp = npz_path.with_name(f".{npz_path.name}.tmp")
    with open(tmp, "wb") as fh:
        np.savez(fh, names=names, codes=np.asarray(codes, dtype=np.int64).reshape(-1))
    os.replace(tmp, npz_path)
    write_atomic(csv_path, rows)


def chunk_done(out_dir: Path, index: int) -> bool:
    """Return whether chunk `index` is finished (both its files exist)."""
    return all(p.exists() for p in chunk_paths(out_dir, index))


def read_labels(out_dir: Path, index: int) -> np.ndarray:
    """Return chunk `index`'s per-point outcome labels (object array)."""
    with np.load(chunk_paths(out_dir, index)[1], allow_pickle=False) as data:
        return data["names"].astype(object)[data["codes"]]


def join_chunks(out_dir: Path, n_chunks: int, header: str) -> Path:
    """Write ``results.csv``: `header` then every chunk's rows in order, atomically; return its path."""
    path = Path(out_dir) / "results.csv"
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as out:
        out.write((header + "\n").encode())
        for i in range(n_chunks):
            with open(chunk_paths(out_dir, i)[0], "rb") as fh:
                while block := fh.read(1 << 22):
                    out.write(block)
    os.replace(tmp, path)
    return path


__all__ = ["chunk_done", "chunk_paths", "csv_lines", "csv_text", "existing_chunks", "float_text",
           "join_chunks", "read_labels", "write_atomic", "write_chunk", "write_json"]
