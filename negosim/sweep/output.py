"""Sweep output on disk: CSV text from column arrays, atomic writes, the final files and their checks.

A sweep folder holds ``sweep.json`` (the sweep's identity and its hash, written first, checked on
``--resume``: `negosim.sweep.identity`), ``chunks/`` (each chunk's labels and a sidecar that vouches
for them and its rows: `negosim.sweep.chunks`), the rows themselves (``results.parquet/``, one part
file per chunk, by default; ``results.csv`` with ``--format csv``, or from a folder of an earlier
version; `read_columns` reads either), and at the end ``points.npz`` (every point's outcome label,
and for a random design its parameter values: what `negosim plot` draws from), ``summary.json``
and, last, ``manifest.json``, which records the size and SHA-256 of each of those files;
`verified_path` checks a file against it before it is read. Every file is written to a temporary
name and moved into place, so an interrupted sweep never leaves a half-written file under a final name.
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import numpy as np

from ..io.atomic import write_atomic

CHUNK_DIR = "chunks"


def object_strings(texts, codes) -> np.ndarray:
    """``texts[codes]`` as an object array of references to the same few Python strings (joining rows of
    those is about twice as fast as of a numpy str array, whose every element becomes a new string).

    Parameters
    ----------
    texts : sequence of str
        The distinct strings.
    codes : array_like of int
        Each element's index into `texts`.

    Returns
    -------
    numpy.ndarray
        1-d object array of ``texts[codes]``.

    Examples
    --------
    >>> object_strings(["a", "b"], [1, 0, 1]).tolist()
    ['b', 'a', 'b']
    """
    return np.array(list(texts) + [None], dtype=object)[:-1][np.asarray(codes).reshape(-1)]


def float_text(values: np.ndarray) -> np.ndarray:
    """Return the shortest round-trip text of every float (object array of str), formatting each distinct
    value once.

    Parameters
    ----------
    values : array_like of float
        The values (flattened).

    Returns
    -------
    numpy.ndarray
        1-d object array of str.

    Examples
    --------
    >>> import numpy as np
    >>> float_text(np.array([0.1, 0.1, 2.0])).tolist()
    ['0.1', '0.1', '2.0']
    """
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
    """Return the decimal text of every integer (object array of str).

    Parameters
    ----------
    values : array_like of int
        The integers (flattened).

    Returns
    -------
    numpy.ndarray
        1-d object array of str.

    Examples
    --------
    >>> import numpy as np
    >>> int_text(np.array([3, 14])).tolist()
    ['3', '14']
    """
    return np.array(list(map(str, np.asarray(values).reshape(-1).tolist())) + [None], dtype=object)[:-1]


def csv_text(values) -> np.ndarray:
    """Return `values` as CSV fields (str array): quoted, with quotes doubled, where they hold , " or a newline.

    Parameters
    ----------
    values : array_like
        The values (each turned into str).

    Returns
    -------
    numpy.ndarray
        Object array of CSV fields.

    Examples
    --------
    >>> csv_text(["a,b", "c"]).tolist()
    ['"a,b"', 'c']
    """
    values = np.asarray(values, dtype=object)
    uniq, inverse = np.unique(values.astype(str), return_inverse=True)
    fields = [f'"{v.replace(chr(34), chr(34) * 2)}"' if any(c in v for c in ',"\n\r') else v for v in uniq.tolist()]
    return object_strings(fields, inverse)


def csv_lines(columns: list[np.ndarray]) -> str:
    """Return CSV rows (one per array index, newline-terminated) from equal-length str columns.

    Parameters
    ----------
    columns : list of numpy.ndarray
        The columns' fields, already CSV text.

    Returns
    -------
    str
        The rows ("" for no columns or no rows).

    Examples
    --------
    >>> print(csv_lines([int_text([1, 2]), csv_text(["x", "y"])]), end="")
    1,x
    2,y
    """
    if not columns or len(columns[0]) == 0:
        return ""
    lists = [np.asarray(c).tolist() for c in columns]
    return "\n".join(map(",".join, zip(*lists))) + "\n"


def write_json(path: Path, obj) -> str:
    """Write `obj` as indented JSON, atomically; return the SHA-256 of the file.

    Parameters
    ----------
    path : Path
        The file written.
    obj : object
        Anything `json.dumps` takes.

    Returns
    -------
    str
        The file's SHA-256 (hex).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> tmp = tempfile.TemporaryDirectory()
    >>> write_json(Path(tmp.name) / "x.json", {"a": 1})
    '5e36b6560513586ced65eca0e8b025fe88edbcab82ba2cb67a5fcb2d7b202383'
    >>> tmp.cleanup()
    """
    return write_atomic(path, json.dumps(obj, indent=2) + "\n")


def label_codes(labels) -> tuple[np.ndarray, np.ndarray]:
    """(sorted distinct labels (str array), each label's index into them (int32)) of an array of labels.

    Parameters
    ----------
    labels : array_like
        The labels (each turned into str).

    Returns
    -------
    names : numpy.ndarray
        The sorted distinct labels.
    codes : numpy.ndarray
        1-d int32: each label's index into `names`.

    Examples
    --------
    >>> names, codes = label_codes(["b", "a", "b"])
    >>> names.tolist(), codes.tolist()
    (['a', 'b'], [1, 0, 1])
    """
    names, codes = np.unique(np.asarray(labels, dtype=object).astype(str), return_inverse=True)
    return names, np.asarray(codes, dtype=np.int32).reshape(-1)


def count_codes(codes: np.ndarray, n: int, block: int = 1 << 20) -> np.ndarray:
    """How many points have each of the codes ``0 .. n - 1``: `np.bincount` a block at a time, since it
    turns its input into 8-byte integers first (16 million byte codes would take 128 MB at once).

    Parameters
    ----------
    codes : numpy.ndarray
        Each point's code (any integer type).
    n : int
        The number of codes.
    block : int
        Points counted at once.

    Returns
    -------
    numpy.ndarray
        ``(n,)`` counts.

    Examples
    --------
    >>> count_codes(np.array([0, 2, 2], dtype=np.uint8), 4, block=2).tolist()
    [1, 0, 2, 0]
    """
    counts = np.zeros(n, dtype=np.int64)
    for at in range(0, len(codes), block):
        counts += np.bincount(codes[at:at + block], minlength=n)[:n]
    return counts


def merge_labels(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Join chunks' (names, codes) into one (sorted names, codes) without touching a string per point.

    Parameters
    ----------
    parts : list of (numpy.ndarray, numpy.ndarray)
        Each chunk's (sorted distinct labels, each point's index into them), in point order.

    Returns
    -------
    names : numpy.ndarray
        The sorted distinct labels of all chunks.
    codes : numpy.ndarray
        Every point's index into `names`, in the narrowest type that holds them (uint8 for up to 256
        labels, else uint16 or int32): the whole sweep's codes are held once, a byte a point as a rule.

    Examples
    --------
    >>> import numpy as np
    >>> names, codes = merge_labels([label_codes(["a", "c"]), label_codes(["b", "b"])])
    >>> names.tolist(), codes.tolist(), codes.dtype.name
    (['a', 'b', 'c'], [0, 2, 1, 1], 'uint8')
    """
    if not parts:
        return np.array([], dtype=str), np.array([], dtype=np.int32)
    joined = np.concatenate([n for n, _ in parts]).astype(str)
    # sorted in Python: a few labels, and numpy's unique of values alone imports numpy.ma (10 ms)
    names = np.array(sorted(set(joined.tolist())), dtype=joined.dtype)
    dtype = np.uint8 if len(names) <= 1 << 8 else np.uint16 if len(names) <= 1 << 16 else np.int32
    codes = np.empty(sum(len(c) for _, c in parts), dtype=dtype)
    at = 0
    for n, c in parts:  # chunk by chunk into one array: no per-chunk copies held, no joined copy
        index = np.searchsorted(names, n.astype(str))
        # a chunk that met every label already has the sweep's codes: copied, not looked up per point
        same = len(index) == len(names) and bool(np.all(index == np.arange(len(names))))
        codes[at:at + len(c)] = c if same else index.astype(dtype)[c]
        at += len(c)
    return names, codes


def require_parquet(*, load: bool = True) -> None:
    """Raise UsageError unless pyarrow can be imported (checked before a Parquet sweep starts).

    Parameters
    ----------
    load : bool, default True
        Import pyarrow now; with False only check that it is installed (a sweep in this process imports
        it on its writer thread while the first chunk is solved, `negosim.sweep.pipeline`).

    Raises
    ------
    NegosimUsageError
        When pyarrow is not installed.

    Examples
    --------
    >>> import importlib.util
    >>> try:
    ...     require_parquet()
    ...     accepted = True
    ... except Exception:
    ...     accepted = False
    >>> accepted == (importlib.util.find_spec("pyarrow") is not None)
    True
    """
    try:
        if not load:
            import importlib.util

            if importlib.util.find_spec("pyarrow") is None:
                raise ImportError("pyarrow")
            return
        import pyarrow  # noqa: F401
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        from ..errors import UsageError

        raise UsageError("a Parquet result table needs pyarrow (pip install pyarrow); or give --format csv") from None


#: Columns of a result table that hold labels (text) rather than numbers.
LABEL_COLUMNS = ("concept", "outcome", "pbe_kind")


def result_files(files: dict[str, dict]) -> tuple[str, list[str]]:
    """Return (table format, the result files in row order) of a finished sweep from its manifest's
    files: ``("parquet", [results.parquet/part-00000.parquet, ...])`` or ``("csv", ["results.csv"])``.

    Parameters
    ----------
    files : dict
        The manifest's files (`finished_files`).

    Returns
    -------
    format : str
        "parquet" or "csv".
    names : list of str
        The files holding the rows, relative to the folder.

    Examples
    --------
    >>> result_files({"results.csv": {}, "summary.json": {}})
    ('csv', ['results.csv'])
    >>> result_files({"results.parquet/part-00001.parquet": {}, "results.parquet/part-00000.parquet": {}})
    ('parquet', ['results.parquet/part-00000.parquet', 'results.parquet/part-00001.parquet'])
    """
    parts = sorted(name for name in files if name.startswith("results.parquet/"))
    return ("parquet", parts) if parts else ("csv", ["results.csv"])


def read_columns(out_dir: Path, columns: list[str], files: dict[str, dict] | None = None) -> dict[str, np.ndarray]:
    """Return the columns `columns` of a sweep's result table, from its Parquet part files or (a CSV
    sweep, or a folder of an earlier version) its ``results.csv``, each file verified against the
    manifest's `files` first (DamagedFolderError if one does not match).

    Numbers come back as float64 (``point`` as int64, ``tied`` as bool), labels as object arrays of str;
    the same values from either format.

    Parameters
    ----------
    out_dir : Path
        The sweep's folder.
    columns : list of str
        The columns to read.
    files : dict, optional
        The manifest's files (`finished_files`), read when not given.

    Returns
    -------
    dict
        Column name -> array, one element per row.

    Raises
    ------
    DamagedFolderError
        A result file is missing, changed, or lacks a column asked for.

    Examples
    --------
    >>> import tempfile
    >>> from negosim.scenario import load_scenario
    >>> from negosim.sweep import run_sweep
    >>> tmp = tempfile.TemporaryDirectory()
    >>> _ = run_sweep(load_scenario("scenarios/entry_deterrence.yaml"), {"rep": (0.0, 4.0, 5)}, out_dir=tmp.name)
    >>> found = read_columns(tmp.name, ["rep", "outcome"])
    >>> found["rep"].tolist(), found["outcome"].tolist()[:3]
    ([0.0, 1.0, 2.0, 3.0, 4.0], ['shared_market', 'shared_market', 'stay_out'])
    >>> tmp.cleanup()
    """
    from .identity import DamagedFolderError

    files = finished_files(out_dir) if files is None else files
    kind, names = result_files(files)
    paths = [verified_path(out_dir, name, files) for name in names]
    if kind == "parquet":
        from .table import read_parquet_columns

        try:
            found = read_parquet_columns(paths, columns)
        except KeyError as exc:
            raise DamagedFolderError(paths[0], f"has no column {exc}") from None
        return {c: found[c] for c in columns}
    return _read_csv_columns(paths[0], columns)


def _read_csv_columns(path: Path, columns: list[str]) -> dict[str, np.ndarray]:
    import csv

    from .identity import DamagedFolderError

    with open(path, newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        missing = [c for c in columns if c not in header]
        if missing:
            raise DamagedFolderError(path, f"has no column {missing[0]!r}")
        at = [header.index(c) for c in columns]
        cells = [[row[i] for i in at] for row in reader]
    out: dict[str, np.ndarray] = {}
    for k, name in enumerate(columns):
        texts = [row[k] for row in cells]
        if name in LABEL_COLUMNS:
            out[name] = np.array(texts + [None], dtype=object)[:-1]
        elif name == "point":
            out[name] = np.array(texts, dtype=np.int64)
        elif name == "tied":
            out[name] = np.array([t == "true" for t in texts], dtype=bool)
        else:
            out[name] = np.array(texts, dtype=float)
    return out


def write_points(out_dir: Path, values: dict[str, np.ndarray], names: np.ndarray, codes: np.ndarray) -> str:
    """Write ``points.npz``: every point's outcome label (``names[codes]``) and, for a random design,
    each varied parameter's value at every point (``value_<name>``); return the file's SHA-256.

    Parameters
    ----------
    out_dir : Path
        The sweep's folder.
    values : dict
        Varied parameter -> each point's value (empty for a grid).
    names : numpy.ndarray
        The sorted distinct outcome labels.
    codes : numpy.ndarray
        Each point's index into `names`.

    Returns
    -------
    str
        The file's SHA-256 (hex).

    Examples
    --------
    >>> import numpy as np
    >>> import tempfile
    >>> from pathlib import Path
    >>> tmp = tempfile.TemporaryDirectory()
    >>> digest = write_points(Path(tmp.name), {}, np.array(["a", "b"]), np.array([0, 1, 1]))
    >>> sorted(np.load(Path(tmp.name) / "points.npz").files)
    ['codes', 'names']
    >>> tmp.cleanup()
    """
    codes = np.asarray(codes).reshape(-1)
    # a byte a point where the labels allow (`read_point_codes` gives int32 back either way)
    narrow = codes.astype(np.uint8, copy=False) if len(names) <= 256 else codes.astype(np.int32, copy=False)
    arrays = {"names": np.asarray(names, dtype=str), "codes": narrow,
              **{f"value_{k}": np.asarray(v, dtype=float) for k, v in values.items()}}
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # type: ignore[arg-type]  # numpy's stub types the keywords as allow_pickle
    return write_atomic(Path(out_dir) / "points.npz", buffer.getvalue())


def file_digest(path: Path) -> dict:
    """The size and SHA-256 of the file at `path` (read in blocks), as recorded in manifest.json.

    Parameters
    ----------
    path : Path
        The file.

    Returns
    -------
    dict
        ``{"bytes": size, "sha256": hex digest}``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> tmp = tempfile.TemporaryDirectory()
    >>> _ = (Path(tmp.name) / "x.txt").write_text("hello")
    >>> file_digest(Path(tmp.name) / "x.txt")["bytes"]
    5
    >>> tmp.cleanup()
    """
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

    Parameters
    ----------
    out_dir : Path
        The sweep's folder.

    Returns
    -------
    dict
        File name -> ``{"bytes": ..., "sha256": ...}``.

    Raises
    ------
    DamagedFolderError
        No manifest, a damaged one, or one of another sweep (and any damage of ``sweep.json``).

    Examples
    --------
    >>> import tempfile
    >>> from negosim.scenario import load_scenario
    >>> from negosim.sweep import run_sweep
    >>> tmp = tempfile.TemporaryDirectory()
    >>> _ = run_sweep(load_scenario("scenarios/entry_deterrence.yaml"), {"rep": (0.0, 4.0, 5)}, out_dir=tmp.name)
    >>> sorted(finished_files(tmp.name))
    ['points.npz', 'results.parquet/part-00000.parquet', 'summary.json']
    >>> tmp.cleanup()
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

    Parameters
    ----------
    out_dir : Path
        The sweep's folder.
    name : str
        The file's name in it.
    files : dict, optional
        The manifest's files (`finished_files`), read when not given.

    Returns
    -------
    Path
        ``out_dir/name``.

    Raises
    ------
    DamagedFolderError
        The file is missing, not in the manifest, or changed.

    Examples
    --------
    >>> import tempfile
    >>> from negosim.scenario import load_scenario
    >>> from negosim.sweep import run_sweep
    >>> tmp = tempfile.TemporaryDirectory()
    >>> _ = run_sweep(load_scenario("scenarios/entry_deterrence.yaml"), {"rep": (0.0, 4.0, 5)}, out_dir=tmp.name)
    >>> verified_path(tmp.name, "summary.json").name
    'summary.json'
    >>> tmp.cleanup()
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
    (DamagedFolderError if it does not match): the compact form, a byte a point on disk (up to 256
    labels; 4 beyond).

    Parameters
    ----------
    out_dir : Path
        The sweep's folder.
    files : dict, optional
        The manifest's files (`finished_files`), read when not given.

    Returns
    -------
    names : numpy.ndarray
        The sorted distinct outcome labels.
    codes : numpy.ndarray
        ``(N,)`` int32: each point's index into `names`.
    values : dict
        Parameter -> each point's value (a random design; empty for a grid).

    Raises
    ------
    DamagedFolderError
        ``points.npz`` does not match the manifest, or a code is out of range.

    Examples
    --------
    >>> import tempfile
    >>> from negosim.scenario import load_scenario
    >>> from negosim.sweep import run_sweep
    >>> tmp = tempfile.TemporaryDirectory()
    >>> _ = run_sweep(load_scenario("scenarios/entry_deterrence.yaml"), {"rep": (0.0, 4.0, 5)}, out_dir=tmp.name)
    >>> names, codes, values = read_point_codes(tmp.name)
    >>> names.tolist(), codes.tolist(), values
    (['shared_market', 'stay_out'], [0, 0, 1, 1, 1], {})
    >>> tmp.cleanup()
    """
    from .identity import DamagedFolderError

    path = verified_path(out_dir, "points.npz", files)
    with np.load(io.BytesIO(path.read_bytes()), allow_pickle=False) as data:
        names, codes = data["names"], data["codes"].astype(np.int32)
        values = {k[len("value_"):]: data[k] for k in data.files if k.startswith("value_")}
    if len(codes) and not 0 <= codes.min() <= codes.max() < len(names):
        raise DamagedFolderError(path, "damaged (a point's label code is out of range)")
    return names, codes, values


def read_points(out_dir: Path, files: dict[str, dict] | None = None) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Return (labels (N,) object, {name: values (N,)} for a random design) from ``points.npz``, verified
    against the sweep's manifest first (DamagedFolderError if it does not match).

    Parameters
    ----------
    out_dir : Path
        The sweep's folder.
    files : dict, optional
        The manifest's files (`finished_files`), read when not given.

    Returns
    -------
    labels : numpy.ndarray
        ``(N,)`` object array: each point's outcome label.
    values : dict
        Parameter -> each point's value (a random design; empty for a grid).

    Examples
    --------
    >>> import tempfile
    >>> from negosim.scenario import load_scenario
    >>> from negosim.sweep import run_sweep
    >>> tmp = tempfile.TemporaryDirectory()
    >>> _ = run_sweep(load_scenario("scenarios/entry_deterrence.yaml"), {"rep": (0.0, 4.0, 5)}, out_dir=tmp.name)
    >>> labels, values = read_points(tmp.name)
    >>> labels.tolist(), values
    (['shared_market', 'shared_market', 'stay_out', 'stay_out', 'stay_out'], {})
    >>> tmp.cleanup()
    """
    names, codes, values = read_point_codes(out_dir, files)
    return names.astype(object)[codes], values


__all__ = ["LABEL_COLUMNS", "count_codes", "csv_lines", "csv_text", "file_digest", "finished_files", "float_text",
           "int_text", "label_codes", "merge_labels", "object_strings", "read_columns", "read_point_codes",
           "read_points", "require_parquet", "result_files", "verified_path", "write_atomic", "write_json",
           "write_points"]
