"""A chunk of a sweep's result table as typed columns, and its two encodings: Parquet and CSV text.

A sweep's rows (one per point and equilibrium: ``point``, the varied parameters, ``concept``,
``outcome``, ``payoff_<player>``, ``tied`` and any added columns) leave the solver as arrays, never
as text: numbers as float64, ``point`` as int64, ``tied`` as bool, and every label column
(``concept``, ``outcome``, ``pbe_kind``) as small integer codes into its few distinct texts
(`Coded`). Parquet keeps exactly that (labels as dictionary-encoded columns); CSV text is made from
it only when asked (`--format csv`, `negosim export`), in the shortest round-trip decimals, so a
float read back from either is the very float the solver produced.

>>> import numpy as np
>>> rows = ResultRows(("point", "x", "outcome", "tied"),
...                   (np.array([0, 1]), np.array([0.5, 0.25]), Coded(("a", "b,c"), np.array([1, 0])),
...                    np.array([False, True])))
>>> print(rows.header())
point,x,outcome,tied
>>> print(rows.csv_text(), end="")
0,0.5,"b,c",false
1,0.25,a,true
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..records import dataclass  # (frozen dataclasses made with less compiling: negosim.records)
from . import output

#: Parquet settings: zstd at its fastest level, float columns split by byte (their exponents and
#: high mantissa bytes repeat along a sweep: about 2.5 MB for a million rows of the seed scenario
#: against 126 MB of CSV), and dictionary pages for the label columns only (a float column's
#: dictionary would be as large as the column).
COMPRESSION = "zstd"
COMPRESSION_LEVEL = 1


@dataclass(frozen=True)
class Coded:
    """A column of labels as integer codes into a few distinct texts: row i holds ``texts[codes[i]]``.

    Attributes
    ----------
    texts : tuple of str
        The distinct labels.
    codes : numpy.ndarray
        Each row's index into `texts`.

    Examples
    --------
    >>> import numpy as np
    >>> Coded(("spe",), np.zeros(3, dtype=np.int8)).labels().tolist()
    ['spe', 'spe', 'spe']
    """

    texts: tuple[str, ...]
    codes: np.ndarray

    def labels(self) -> np.ndarray:
        """Return each row's label (an object array referring to the few texts)."""
        return output.object_strings(self.texts, self.codes)


Column = np.ndarray | Coded


@dataclass(frozen=True)
class ResultRows:
    """Rows of a sweep's result table as named, typed columns of equal length.

    Attributes
    ----------
    names : tuple of str
        The column names, in the table's order.
    columns : tuple
        One per name: a numpy array (int64 ``point``, float64 values, bool ``tied``) or a `Coded`
        label column.

    Examples
    --------
    >>> import numpy as np
    >>> rows = ResultRows(("point", "v"), (np.array([3]), np.array([0.1])))
    >>> len(rows), rows.column("v").tolist()
    (1, [0.1])
    """

    names: tuple[str, ...]
    columns: tuple[Column, ...]

    def __len__(self) -> int:
        first = self.columns[0] if self.columns else np.zeros(0)
        return len(first.codes if isinstance(first, Coded) else first)

    def column(self, name: str) -> np.ndarray:
        """Return the column `name` as an array (a label column as its labels)."""
        col = self.columns[self.names.index(name)]
        return col.labels() if isinstance(col, Coded) else col

    def header(self) -> str:
        """Return the CSV header line (without its newline)."""
        return ",".join(output.csv_text(list(self.names)).tolist())

    def csv_text(self) -> str:
        """Return the rows as CSV text, one newline-terminated line per row, numbers in their shortest
        round-trip decimals (``float_text``), bools as ``true``/``false``."""
        return output.csv_lines([_text(c) for c in self.columns])

    def arrow(self) -> Any:
        """Return the rows as a `pyarrow.Table`: label columns dictionary-encoded (int8/int16/int32
        indices, as few bits as the labels need)."""
        import pyarrow as pa

        return pa.Table.from_arrays([_arrow_array(c) for c in self.columns], names=list(self.names))


def _arrow_array(col: Column) -> Any:
    """One column as a pyarrow array, built from its numpy buffers: `pyarrow.array` would import pandas
    (to ask whether the input is a pandas object), about half a second of a sweep's start-up."""
    import pyarrow as pa

    if isinstance(col, Coded):
        index = _index_type(len(col.texts))
        encoded = [t.encode() for t in col.texts]
        offsets = np.cumsum([0] + [len(e) for e in encoded]).astype(np.int32)
        texts = pa.Array.from_buffers(pa.string(), len(encoded), [None, pa.py_buffer(offsets),
                                                                    pa.py_buffer(b"".join(encoded))])
        return pa.DictionaryArray.from_arrays(_plain(pa.from_numpy_dtype(index), np.asarray(col.codes, dtype=index)),
                                              texts)
    if col.dtype == bool:
        bits = np.packbits(np.asarray(col, dtype=bool), bitorder="little")
        return pa.Array.from_buffers(pa.bool_(), len(col), [None, pa.py_buffer(bits)])
    return _plain(pa.from_numpy_dtype(col.dtype), col)


def _plain(kind: Any, values: np.ndarray) -> Any:
    import pyarrow as pa

    values = np.ascontiguousarray(values)
    return pa.Array.from_buffers(kind, len(values), [None, pa.py_buffer(values)])


def rows_from_arrow(table: Any) -> ResultRows:
    """Return the `ResultRows` of a `pyarrow.Table` written by `parquet_bytes` (dictionary columns back to
    `Coded`, the others to numpy arrays of their type).

    Parameters
    ----------
    table : pyarrow.Table
        The table.

    Returns
    -------
    ResultRows

    Examples
    --------
    >>> import numpy as np
    >>> rows = ResultRows(("point", "outcome"), (np.array([0, 1]), Coded(("a", "b"), np.array([1, 0]))))
    >>> print(rows_from_arrow(rows.arrow()).csv_text(), end="")
    0,b
    1,a
    """
    return ResultRows(tuple(table.column_names), tuple(_column_of(c.combine_chunks()) for c in table.columns))


def _to_numpy(arr: Any) -> np.ndarray:
    """A pyarrow array without nulls (int, float or bool) as a numpy array, from its buffers (its own
    `to_numpy` imports pandas)."""
    import pyarrow as pa

    if arr.null_count:
        raise ValueError("a result column holds nulls")
    data = arr.buffers()[1]
    if pa.types.is_boolean(arr.type):
        bits = np.unpackbits(np.frombuffer(data, dtype=np.uint8), bitorder="little")
        return bits[arr.offset:arr.offset + len(arr)].astype(bool)
    dtype = np.dtype(arr.type.to_pandas_dtype())
    return np.frombuffer(data, dtype=dtype)[arr.offset:arr.offset + len(arr)].copy()


def _labels_of(arr: Any) -> tuple[tuple[str, ...], np.ndarray]:
    """A dictionary (or plain string) pyarrow array as (distinct texts, each row's code)."""
    import pyarrow as pa

    if pa.types.is_dictionary(arr.type):
        return tuple(str(t) for t in arr.dictionary.to_pylist()), _to_numpy(arr.indices)
    texts, codes = np.unique(np.array(arr.to_pylist() + [None], dtype=object)[:-1].astype(str), return_inverse=True)
    return tuple(texts.tolist()), np.asarray(codes).reshape(-1)


def _column_of(arr: Any) -> Column:
    import pyarrow as pa

    if pa.types.is_dictionary(arr.type) or pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
        return Coded(*_labels_of(arr))
    return _to_numpy(arr)


def read_parquet(path: Path, columns: list[str] | None = None) -> ResultRows:
    """Return the rows of one Parquet file written by `parquet_bytes` (only `columns`, if given).

    Parameters
    ----------
    path : Path
        The file.
    columns : list of str, optional
        The columns to read (default: all).

    Returns
    -------
    ResultRows

    Raises
    ------
    KeyError
        A column asked for is not in the file.

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> from pathlib import Path
    >>> rows = ResultRows(("point", "tied"), (np.array([0, 1]), np.array([True, False])))
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = (Path(folder) / "p.parquet").write_bytes(parquet_bytes(rows))
    ...     print(read_parquet(Path(folder) / "p.parquet").csv_text(), end="")
    0,true
    1,false
    """
    import pyarrow.parquet as pq

    handle = pq.ParquetFile(path)
    if columns is not None and (missing := [c for c in columns if c not in handle.schema_arrow.names]):
        raise KeyError(missing[0])
    table = handle.read(columns=columns)
    return ResultRows(tuple(table.column_names), tuple(_column_of(c.combine_chunks()) for c in table.columns))


def _index_type(n: int) -> type:
    return np.int8 if n <= 127 else np.int16 if n <= 32767 else np.int32


def _text(col: Column) -> np.ndarray:
    if isinstance(col, Coded):
        return output.object_strings(output.csv_text(list(col.texts)).tolist(), col.codes)
    if col.dtype == bool:
        return output.object_strings(["false", "true"], col.astype(np.intp))
    if np.issubdtype(col.dtype, np.integer):
        return output.int_text(col)
    return output.float_text(col)


def parquet_bytes(rows: ResultRows) -> bytes:
    """Return `rows` encoded as one Parquet file (see `COMPRESSION`).

    Parameters
    ----------
    rows : ResultRows
        The rows.

    Returns
    -------
    bytes
        The file's content.

    Examples
    --------
    >>> import io
    >>> import numpy as np
    >>> import pyarrow.parquet as pq
    >>> rows = ResultRows(("point", "outcome"), (np.array([0, 1]), Coded(("a", "b"), np.array([1, 0]))))
    >>> pq.read_table(io.BytesIO(parquet_bytes(rows))).column("outcome").to_pylist()
    ['b', 'a']
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = rows.arrow()
    floats = [n for n, c in zip(rows.names, rows.columns)
              if not isinstance(c, Coded) and np.issubdtype(c.dtype, np.floating)]
    coded = [n for n, c in zip(rows.names, rows.columns) if isinstance(c, Coded)]
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression=COMPRESSION, compression_level=COMPRESSION_LEVEL,
                   use_dictionary=coded or False, use_byte_stream_split=floats or False)
    return sink.getvalue().to_pybytes()


def read_parquet_columns(paths: list[Path], columns: list[str] | None = None) -> dict[str, np.ndarray]:
    """Return the columns of the Parquet files `paths` (in order, concatenated) as numpy arrays, label
    columns as object arrays of str.

    Parameters
    ----------
    paths : list of Path
        The part files, in row order.
    columns : list of str, optional
        The columns to read (default: all).

    Returns
    -------
    dict
        Column name -> array.

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> from pathlib import Path
    >>> rows = ResultRows(("point", "outcome"), (np.array([0, 1]), Coded(("a", "b"), np.array([1, 0]))))
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "part.parquet"
    ...     _ = path.write_bytes(parquet_bytes(rows))
    ...     found = read_parquet_columns([path, path])
    >>> found["point"].tolist(), found["outcome"].tolist()
    ([0, 1, 0, 1], ['b', 'a', 'b', 'a'])
    """
    parts = [read_parquet(p, columns) for p in paths]
    if not parts:
        return {}
    return {name: np.concatenate([rows.column(name) for rows in parts]) for name in parts[0].names}


__all__ = ["COMPRESSION", "COMPRESSION_LEVEL", "Coded", "ResultRows", "parquet_bytes", "read_parquet",
           "read_parquet_columns", "rows_from_arrow"]
