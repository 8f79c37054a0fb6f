"""A sweep's chunk files, each carrying what identifies it, verified before it is trusted or joined.

Chunk ``c`` of a sweep is three files: ``chunks/chunk-NNNNN.npz`` (each point's outcome label), its
rows and, written last, ``chunks/chunk-NNNNN.json``: the sweep's identity hash, the index, the range
of points ``[start, stop)``, the row count, and the size and SHA-256 of the other two. The rows of a
Parquet sweep (the default) are the part file ``results.parquet/part-NNNNN.parquet``, written once
in its final place: the results are the part files themselves, nothing is joined or copied, and a
resume of a finished folder checks each part against its sidecar like any chunk. The rows of a CSV
sweep (``--format csv``) are ``chunks/chunk-NNNNN.csv``, joined into ``results.csv`` at the end as
below. Each file is written to a temporary name and moved into place, so a
chunk whose sidecar is present and matches is finished and intact. Anything else (a truncated or
edited file, a chunk of another sweep or copied from another index, a sidecar that does not parse) is
reported by `verify_chunk` and never joined: a resume solves such a chunk again, a join refuses.

Once a CSV sweep has finished (``manifest.json`` written), the chunks' CSV files are deleted: their rows
live on only in ``results.csv``, so the folder holds the results once. Chunk ``c``'s rows are then
the bytes of ``results.csv`` at `joined_offsets` (the header, then each chunk's rows in order, of the
sizes their sidecars record); `verify_chunk` and `join_chunks` check those bytes against the sidecar's
size, row count and SHA-256 exactly as they check a chunk file, so a resume of a finished folder
rebuilds the final files from what verifies and solves only the chunks that do not.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
from pathlib import Path

import numpy as np

from ..records import dataclass  # (frozen dataclasses made with less compiling: negosim.records)
from .identity import DamagedFolderError
from .output import write_atomic

CHUNK_DIR = "chunks"
_NAME = re.compile(r"(?:chunk|part)-(\d{5,})\.(csv|npz|json|parquet)")
#: The folder of a Parquet sweep's results: one part file per chunk, written there once and never moved.
PARQUET_DIR = "results.parquet"
#: The table formats a sweep writes its rows in.
TABLE_FORMATS = ("parquet", "csv")
_BLOCK = 1 << 22


@dataclass(frozen=True)
class ChunkPlace:
    """Where chunk `index` of a sweep sits: its points ``[start, stop)`` and the sweep's identity hash.

    Attributes
    ----------
    sweep : str
        The sweep's identity hash (`negosim.sweep.identity`).
    index : int
        The chunk's number.
    start, stop : int
        Its points, ``[start, stop)``.

    Examples
    --------
    >>> place = ChunkPlace("abc", 1, 100, 200)
    >>> place.stop - place.start
    100
    """

    sweep: str
    index: int
    start: int
    stop: int


def chunk_paths(out_dir: Path, index: int, table: str = "csv") -> tuple[Path, Path, Path]:
    """Return the (rows, labels, sidecar) paths of chunk `index`.

    Parameters
    ----------
    out_dir : Path
        The sweep's folder.
    index : int
        The chunk's number.
    table : {"csv", "parquet"}
        The sweep's table format: a CSV chunk's rows wait in ``chunks/`` to be joined into
        ``results.csv``; a Parquet chunk's rows are written straight to their final place, the part
        file ``results.parquet/part-NNNNN.parquet``.

    Returns
    -------
    tuple of Path
        The rows file, ``chunk-NNNNN.npz`` and ``chunk-NNNNN.json`` in ``out_dir/chunks``.

    Examples
    --------
    >>> [p.name for p in chunk_paths("out", 3)]
    ['chunk-00003.csv', 'chunk-00003.npz', 'chunk-00003.json']
    >>> str(chunk_paths("out", 3, "parquet")[0])
    'out/results.parquet/part-00003.parquet'
    """
    base = Path(out_dir) / CHUNK_DIR / f"chunk-{index:05d}"
    rows = (Path(out_dir) / PARQUET_DIR / f"part-{index:05d}.parquet" if table == "parquet"
            else base.with_suffix(".csv"))
    return rows, base.with_suffix(".npz"), base.with_suffix(".json")


def part_name(index: int) -> str:
    """Return the name, relative to the sweep's folder, of a Parquet sweep's part file `index` (as the
    manifest lists it).

    Parameters
    ----------
    index : int
        The chunk's index.

    Returns
    -------
    str
        ``results.parquet/part-NNNNN.parquet``.

    Examples
    --------
    >>> part_name(12)
    'results.parquet/part-00012.parquet'
    """
    return f"{PARQUET_DIR}/part-{index:05d}.parquet"


def existing_chunk_files(out_dir: Path) -> list[Path]:
    """Return every chunk file (CSV, labels or sidecar) in `out_dir` (sorted).

    Parameters
    ----------
    out_dir : Path
        The sweep's folder.

    Returns
    -------
    list of Path
        The files of ``out_dir/chunks`` named like chunk files (empty without that folder).

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> from pathlib import Path
    >>> tmp = tempfile.TemporaryDirectory()
    >>> (Path(tmp.name) / CHUNK_DIR).mkdir()
    >>> place = ChunkPlace("abc", 0, 0, 2)
    >>> write_chunk(tmp.name, place, "0,a\\n1,b\\n", np.array(["a", "b"]), np.array([0, 1]))
    >>> [p.name for p in existing_chunk_files(tmp.name)]
    ['chunk-00000.csv', 'chunk-00000.json', 'chunk-00000.npz']
    >>> tmp.cleanup()
    """
    found = []
    for sub, pattern in ((CHUNK_DIR, "chunk-*"), (PARQUET_DIR, "part-*")):
        folder = Path(out_dir) / sub
        if folder.is_dir():
            found += [p for p in folder.glob(pattern) if _NAME.fullmatch(p.name)]
    return sorted(found)


def stray_chunk_files(out_dir: Path, n_chunks: int) -> list[Path]:
    """Return the chunk files in `out_dir` numbered beyond the sweep's `n_chunks` (never read, never joined).

    Parameters
    ----------
    out_dir : Path
        The sweep's folder.
    n_chunks : int
        The sweep's number of chunks.

    Returns
    -------
    list of Path
        The chunk files numbered `n_chunks` or more.

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> from pathlib import Path
    >>> tmp = tempfile.TemporaryDirectory()
    >>> (Path(tmp.name) / CHUNK_DIR).mkdir()
    >>> place = ChunkPlace("abc", 0, 0, 2)
    >>> write_chunk(tmp.name, place, "0,a\\n1,b\\n", np.array(["a", "b"]), np.array([0, 1]))
    >>> stray_chunk_files(tmp.name, 1)
    []
    >>> len(stray_chunk_files(tmp.name, 0))
    3
    >>> tmp.cleanup()
    """
    return [p for p in existing_chunk_files(out_dir) if _index(p) >= n_chunks]


def _index(path: Path) -> int:
    match = _NAME.fullmatch(path.name)
    return int(match.group(1)) if match else -1


def write_chunk(out_dir: Path, place: ChunkPlace, rows: str | bytes, names: np.ndarray, codes: np.ndarray,
                table: str = "csv", count: int | None = None) -> None:
    """Write chunk `place.index`: its labels, its rows, then the sidecar that vouches for both.

    Parameters
    ----------
    out_dir : Path
        The sweep's folder (its ``chunks`` folder must exist).
    place : ChunkPlace
        The chunk's index, points and sweep.
    rows : str or bytes
        The chunk's CSV rows, or (`table` "parquet") its Parquet file (`negosim.sweep.table.parquet_bytes`).
    names : numpy.ndarray
        The sorted distinct outcome labels.
    codes : numpy.ndarray
        Each point's index into `names` (one per point of the chunk).
    table : {"csv", "parquet"}
        The sweep's table format (`chunk_paths`).
    count : int, optional
        The number of rows (needed for Parquet; CSV rows are counted by their newlines).

    Raises
    ------
    ValueError
        When `codes` does not hold one label per point.

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> from pathlib import Path
    >>> tmp = tempfile.TemporaryDirectory()
    >>> (Path(tmp.name) / CHUNK_DIR).mkdir()
    >>> place = ChunkPlace("abc", 0, 0, 2)
    >>> write_chunk(tmp.name, place, "0,a\\n1,b\\n", np.array(["a", "b"]), np.array([0, 1]))
    >>> verify_chunk(tmp.name, place) is None
    True
    >>> tmp.cleanup()
    """
    rows_path, npz_path, side_path = chunk_paths(out_dir, place.index, table)
    codes = np.asarray(codes, dtype=np.int32).reshape(-1)
    if len(codes) != place.stop - place.start:
        raise ValueError(f"chunk {place.index}: {len(codes)} labels for {place.stop - place.start} points")
    buffer = io.BytesIO()
    # A byte a point where the labels allow (they nearly always do): points.npz holds the sweep's codes
    # again, so these are the folder's only other per-point bytes.
    small = codes.astype(np.uint8) if len(names) <= 256 else codes
    np.savez(buffer, names=np.asarray(names, dtype=str), codes=small)
    npz = buffer.getvalue()
    data = rows.encode() if isinstance(rows, str) else bytes(rows)
    if table == "csv":
        count = data.count(b"\n")
    elif count is None:
        raise ValueError(f"chunk {place.index}: a Parquet chunk needs its row count")
    side_path.unlink(missing_ok=True)  # a chunk being rewritten is unfinished until its new sidecar lands
    npz_sha = write_atomic(npz_path, npz)  # (the SHA-256 of the bytes written: each file is hashed once)
    rows_path.parent.mkdir(exist_ok=True)
    rows_sha = write_atomic(rows_path, data)
    sidecar = {"sweep": place.sweep, "index": place.index, "start": place.start, "stop": place.stop,
               "points": place.stop - place.start, "rows": count, table: {"bytes": len(data), "sha256": rows_sha},
               "npz": {"bytes": len(npz), "sha256": npz_sha}}
    write_atomic(side_path, json.dumps(sidecar, indent=1) + "\n")


def _sidecar(out_dir: Path, place: ChunkPlace, table: str = "csv") -> dict:
    """The sidecar of chunk `place.index`, checked against `place`; raises DamagedFolderError."""
    path = chunk_paths(out_dir, place.index)[2]
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
        wanted = {"sweep": place.sweep, "index": place.index, "start": place.start, "stop": place.stop,
                  "points": place.stop - place.start}
        for key, value in wanted.items():
            if data[key] != value:
                what = "another sweep" if key == "sweep" else f"{key} {data[key]}, not {value}"
                raise DamagedFolderError(path, f"does not belong here ({what})")
        for part in (table, "npz"):
            if not (isinstance(data[part]["bytes"], int) and isinstance(data[part]["sha256"], str)):
                raise TypeError
        if not isinstance(data["rows"], int):
            raise TypeError
    except FileNotFoundError:
        raise DamagedFolderError(path, "missing (the chunk is unfinished)") from None
    except DamagedFolderError:  # a ValueError too (every user error is): not a parse failure
        raise
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        raise DamagedFolderError(path, "damaged (not a chunk record)") from None
    return data


def _read_checked(path: Path, digest: dict) -> bytes:
    """The bytes of `path` if they have the size and SHA-256 in `digest`; raises DamagedFolderError."""
    try:
        size = path.stat().st_size
        if size != digest["bytes"]:
            raise DamagedFolderError(path, f"damaged ({size:,} bytes, written as {digest['bytes']:,})")
        data = path.read_bytes()
    except FileNotFoundError:
        raise DamagedFolderError(path, "missing") from None
    if hashlib.sha256(data).hexdigest() != digest["sha256"]:
        raise DamagedFolderError(path, "damaged (its checksum differs from the one recorded when it was written)")
    return data


def joined_offsets(out_dir: Path, places: list[ChunkPlace], header: str) -> list[int | None]:
    """Where each chunk's rows start in a joined ``results.csv`` (after `header`), from the sidecars'
    sizes; None for a chunk whose sidecar, or an earlier one's, does not verify (its place is unknown).

    Parameters
    ----------
    out_dir : Path
        The sweep's folder.
    places : list of ChunkPlace
        The chunks, in order.
    header : str
        The CSV header line (without its newline).

    Returns
    -------
    list of int or None
        Each chunk's byte offset in ``results.csv``.

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> from pathlib import Path
    >>> tmp = tempfile.TemporaryDirectory()
    >>> (Path(tmp.name) / CHUNK_DIR).mkdir()
    >>> place = ChunkPlace("abc", 0, 0, 2)
    >>> write_chunk(tmp.name, place, "0,a\\n1,b\\n", np.array(["a", "b"]), np.array([0, 1]))
    >>> joined_offsets(tmp.name, [place], "point,outcome")
    [14]
    >>> tmp.cleanup()
    """
    offsets: list[int | None] = []
    at: int | None = len((header + "\n").encode())
    for place in places:
        offsets.append(at)
        try:
            at = None if at is None else at + int(_sidecar(out_dir, place)["csv"]["bytes"])
        except DamagedFolderError:
            at = None
    return offsets


def _joined_rows(out_dir: Path, digest: dict, offset: int | None) -> bytes:
    """The `digest["bytes"]` bytes of ``results.csv`` at `offset` if their SHA-256 is `digest`'s; raises
    DamagedFolderError naming the chunk file they stand for otherwise."""
    path = Path(out_dir) / "results.csv"
    if offset is None or not path.is_file():
        raise DamagedFolderError(path, "missing, and the chunk's rows are not in a results.csv")
    with open(path, "rb") as fh:
        fh.seek(offset)
        data = fh.read(digest["bytes"])
    if len(data) != digest["bytes"] or hashlib.sha256(data).hexdigest() != digest["sha256"]:
        raise DamagedFolderError(path, "damaged (the chunk's rows in it differ from those written)")
    return data


def verify_chunk(out_dir: Path, place: ChunkPlace, offset: int | None = None,
                 table: str = "csv") -> DamagedFolderError | None:
    """Return None if chunk `place.index` is finished and intact, else the error saying what is wrong.

    Its rows are its CSV file or, once deleted after a join, the bytes of ``results.csv`` at `offset`
    (see `joined_offsets`); for a Parquet sweep (`table` "parquet"), its part file, which stays where it
    was written.

    Parameters
    ----------
    out_dir : Path
        The sweep's folder.
    place : ChunkPlace
        The chunk's index, points and sweep.
    offset : int, optional
        Where the chunk's rows start in ``results.csv`` (used when its CSV file is gone).
    table : {"csv", "parquet"}
        The sweep's table format.

    Returns
    -------
    DamagedFolderError or None
        None for a finished, intact chunk; else the error naming the file at fault.

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> from pathlib import Path
    >>> tmp = tempfile.TemporaryDirectory()
    >>> (Path(tmp.name) / CHUNK_DIR).mkdir()
    >>> place = ChunkPlace("abc", 0, 0, 2)
    >>> write_chunk(tmp.name, place, "0,a\\n1,b\\n", np.array(["a", "b"]), np.array([0, 1]))
    >>> verify_chunk(tmp.name, place) is None
    True
    >>> str(verify_chunk(tmp.name, ChunkPlace("xyz", 0, 0, 2))).endswith("does not belong here (another sweep)")
    True
    >>> tmp.cleanup()
    """
    try:
        data = _sidecar(out_dir, place, table)
        csv_path, npz_path, _ = chunk_paths(out_dir, place.index, table)
        _read_checked(npz_path, data["npz"])
        if table == "parquet":  # the sidecar's count is checked by the digest of the bytes it was made from
            _read_checked(csv_path, data["parquet"])
            return None
        if csv_path.exists() or offset is None:
            rows = _read_checked(csv_path, data["csv"])
        else:
            rows = _joined_rows(out_dir, data["csv"], offset)
        if rows.count(b"\n") != data["rows"]:
            raise DamagedFolderError(csv_path, "damaged (row count differs)")
    except DamagedFolderError as exc:
        return exc
    return None


def drop_joined_rows(out_dir: Path, places: list[ChunkPlace]) -> None:
    """Delete the chunks' CSV files once ``results.csv`` (recorded in the manifest) holds their rows.

    Parameters
    ----------
    out_dir : Path
        The sweep's folder.
    places : list of ChunkPlace
        The joined chunks.

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> from pathlib import Path
    >>> tmp = tempfile.TemporaryDirectory()
    >>> (Path(tmp.name) / CHUNK_DIR).mkdir()
    >>> place = ChunkPlace("abc", 0, 0, 2)
    >>> write_chunk(tmp.name, place, "0,a\\n1,b\\n", np.array(["a", "b"]), np.array([0, 1]))
    >>> _ = join_chunks(tmp.name, [place], "point,outcome")
    >>> drop_joined_rows(tmp.name, [place])
    >>> chunk_paths(tmp.name, 0)[0].exists(), verify_chunk(tmp.name, place, offset=14) is None
    (False, True)
    >>> tmp.cleanup()
    """
    for place in places:
        chunk_paths(out_dir, place.index)[0].unlink(missing_ok=True)


def chunk_started(out_dir: Path, index: int) -> bool:
    """Return whether any file of chunk `index` exists (a chunk with none was simply never reached).

    Parameters
    ----------
    out_dir : Path
        The sweep's folder.
    index : int
        The chunk's number.

    Returns
    -------
    bool

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> from pathlib import Path
    >>> tmp = tempfile.TemporaryDirectory()
    >>> (Path(tmp.name) / CHUNK_DIR).mkdir()
    >>> place = ChunkPlace("abc", 0, 0, 2)
    >>> write_chunk(tmp.name, place, "0,a\\n1,b\\n", np.array(["a", "b"]), np.array([0, 1]))
    >>> chunk_started(tmp.name, 0), chunk_started(tmp.name, 1)
    (True, False)
    >>> tmp.cleanup()
    """
    return any(p.exists() for p in (*chunk_paths(out_dir, index), chunk_paths(out_dir, index, "parquet")[0]))


def remove_chunk(out_dir: Path, index: int) -> None:
    """Delete chunk `index`'s files (the sidecar first, so a half-removed chunk is unfinished).

    Parameters
    ----------
    out_dir : Path
        The sweep's folder.
    index : int
        The chunk's number.

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> from pathlib import Path
    >>> tmp = tempfile.TemporaryDirectory()
    >>> (Path(tmp.name) / CHUNK_DIR).mkdir()
    >>> place = ChunkPlace("abc", 0, 0, 2)
    >>> write_chunk(tmp.name, place, "0,a\\n1,b\\n", np.array(["a", "b"]), np.array([0, 1]))
    >>> remove_chunk(tmp.name, 0)
    >>> chunk_started(tmp.name, 0)
    False
    >>> tmp.cleanup()
    """
    _, npz_path, side_path = chunk_paths(out_dir, index)
    for p in (side_path, chunk_paths(out_dir, index)[0], chunk_paths(out_dir, index, "parquet")[0], npz_path):
        p.unlink(missing_ok=True)


def read_labels(out_dir: Path, place: ChunkPlace, table: str = "csv") -> tuple[np.ndarray, np.ndarray]:
    """Return chunk `place.index`'s verified outcome labels as (names, codes): label i is names[codes[i]].

    Parameters
    ----------
    out_dir : Path
        The sweep's folder.
    place : ChunkPlace
        The chunk's index, points and sweep.
    table : {"csv", "parquet"}
        The sweep's table format.

    Returns
    -------
    names : numpy.ndarray
        The sorted distinct labels.
    codes : numpy.ndarray
        Each point's index into `names`.

    Raises
    ------
    DamagedFolderError
        When the sidecar or the labels file does not verify, or the labels do not fit the points.

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> from pathlib import Path
    >>> tmp = tempfile.TemporaryDirectory()
    >>> (Path(tmp.name) / CHUNK_DIR).mkdir()
    >>> place = ChunkPlace("abc", 0, 0, 2)
    >>> write_chunk(tmp.name, place, "0,a\\n1,b\\n", np.array(["a", "b"]), np.array([0, 1]))
    >>> names, codes = read_labels(tmp.name, place)
    >>> names.tolist(), codes.tolist()
    (['a', 'b'], [0, 1])
    >>> tmp.cleanup()
    """
    data = _sidecar(out_dir, place, table)
    path = chunk_paths(out_dir, place.index)[1]
    raw = _read_checked(path, data["npz"])
    with np.load(io.BytesIO(raw), allow_pickle=False) as npz:
        names, codes = npz["names"], npz["codes"]  # (kept as stored: a byte a point as a rule)
    if len(codes) != place.stop - place.start or (len(codes) and not 0 <= codes.min() <= codes.max() < len(names)):
        raise DamagedFolderError(path, "damaged (labels do not match the chunk's points)")
    return names, codes


def part_digest(out_dir: Path, place: ChunkPlace) -> dict:
    """Return the size and SHA-256 a Parquet chunk's sidecar records for its part file (what the manifest
    lists for it; `verify_chunk` has checked the file against it).

    Parameters
    ----------
    out_dir : Path
        The sweep's folder.
    place : ChunkPlace
        The chunk's index, points and sweep.

    Returns
    -------
    dict
        ``{"bytes": size, "sha256": hex digest}``.

    Raises
    ------
    DamagedFolderError
        When the sidecar does not verify.

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> from pathlib import Path
    >>> tmp = tempfile.TemporaryDirectory()
    >>> (Path(tmp.name) / CHUNK_DIR).mkdir()
    >>> place = ChunkPlace("abc", 0, 0, 2)
    >>> write_chunk(tmp.name, place, b"PAR1...", np.array(["a"]), np.array([0, 0]), "parquet", count=2)
    >>> part_digest(tmp.name, place)["bytes"]
    7
    >>> tmp.cleanup()
    """
    data = _sidecar(out_dir, place, "parquet")
    return {"bytes": int(data["parquet"]["bytes"]), "sha256": str(data["parquet"]["sha256"])}


def join_chunks(out_dir: Path, places: list[ChunkPlace], header: str,
                offsets: list[int | None] | None = None) -> str:
    """Write ``results.csv``: `header` then every chunk's verified rows in order, atomically; return the
    SHA-256 of what was written. Each chunk's bytes are checked as they are copied, so what is joined is
    exactly what was verified; a chunk that does not match raises DamagedFolderError and nothing is written.
    A chunk whose CSV file is gone is taken from the previous ``results.csv`` at its offset in `offsets`.

    Parameters
    ----------
    out_dir : Path
        The sweep's folder.
    places : list of ChunkPlace
        The chunks, in order.
    header : str
        The CSV header line (without its newline).
    offsets : list of int or None, optional
        Each chunk's offset in the previous ``results.csv`` (`joined_offsets`).

    Returns
    -------
    str
        The SHA-256 (hex) of the written ``results.csv``.

    Raises
    ------
    DamagedFolderError
        When a chunk does not verify.

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> from pathlib import Path
    >>> tmp = tempfile.TemporaryDirectory()
    >>> (Path(tmp.name) / CHUNK_DIR).mkdir()
    >>> place = ChunkPlace("abc", 0, 0, 2)
    >>> write_chunk(tmp.name, place, "0,a\\n1,b\\n", np.array(["a", "b"]), np.array([0, 1]))
    >>> _ = join_chunks(tmp.name, [place], "point,outcome")
    >>> print((Path(tmp.name) / "results.csv").read_text(), end="")
    point,outcome
    0,a
    1,b
    >>> tmp.cleanup()
    """
    path = Path(out_dir) / "results.csv"
    tmp = path.with_name(f".{path.name}.tmp")
    total = hashlib.sha256()
    try:
        with open(tmp, "wb") as out:
            head = (header + "\n").encode()
            out.write(head)
            total.update(head)
            for k, place in enumerate(places):
                data = _sidecar(out_dir, place)
                src = chunk_paths(out_dir, place.index)[0]
                if not src.exists() and offsets is not None and offsets[k] is not None:
                    rows = _joined_rows(out_dir, data["csv"], offsets[k])
                    if rows.count(b"\n") != data["rows"]:
                        raise DamagedFolderError(path, "damaged (the chunk's rows in it differ from those written)")
                    out.write(rows)
                    total.update(rows)
                    continue
                _copy_checked(src, data, out, total)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return total.hexdigest()


def _copy_checked(src: Path, record: dict, out, total) -> None:
    """Append `src` to the open file `out` block by block, hashing as it goes; raise DamagedFolderError
    if its size, rows or SHA-256 differ from `record`."""
    own = hashlib.sha256()
    size = rows = 0
    try:
        with open(src, "rb") as fh:
            while block := fh.read(_BLOCK):
                own.update(block)
                total.update(block)
                out.write(block)
                size += len(block)
                rows += block.count(b"\n")
    except FileNotFoundError:
        raise DamagedFolderError(src, "missing; run the same command with --resume to solve it again") from None
    if size != record["csv"]["bytes"] or own.hexdigest() != record["csv"]["sha256"] or rows != record["rows"]:
        raise DamagedFolderError(src, "changed since it was written (checksum differs); run the same command with "
                                 "--resume to solve it again")


__all__ = ["CHUNK_DIR", "PARQUET_DIR", "TABLE_FORMATS", "ChunkPlace", "chunk_paths", "chunk_started",
           "drop_joined_rows", "existing_chunk_files", "join_chunks", "joined_offsets", "part_digest", "part_name",
           "read_labels", "remove_chunk", "stray_chunk_files", "verify_chunk", "write_chunk"]
