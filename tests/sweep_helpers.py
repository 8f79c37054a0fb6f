"""Reading a sweep folder's result table in tests, whatever its format (Parquet by default, or CSV)."""

from __future__ import annotations

import csv
from pathlib import Path

from negosim.sweep.export import export_csv


def table_csv(folder) -> bytes:
    """The sweep's results as CSV text: its results.csv, or what `negosim export` writes (beside the
    folder, not in it, so the folder stays as the sweep left it)."""
    folder = Path(folder)
    if (folder / "results.parquet").is_dir():
        return export_csv(folder, folder.with_name(folder.name + "-export.csv")).read_bytes()
    return (folder / "results.csv").read_bytes()


def read_rows(folder) -> list[dict]:
    """The sweep's rows as dicts of CSV fields (column name -> text)."""
    return list(csv.DictReader(table_csv(folder).decode().splitlines()))
