"""`negosim export DIR`: a finished sweep's results as one CSV file, for a spreadsheet.

A sweep writes its rows as Parquet by default (typed columns, labels as codes: fast to write and about
40 times smaller than CSV text). A spreadsheet opens CSV, so this writes the very text `negosim sweep
--format csv` would have written (the same header, rows and shortest round-trip decimals), part file
by part file, each verified against the sweep's manifest first. The CSV is an export, not part of the
sweep: the manifest does not list it, and the sweep's readers keep reading the Parquet files.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import UsageError
from ..io.atomic import atomic_path
from .output import finished_files, result_files, verified_path


def export_csv(folder: str | Path, path: str | Path | None = None) -> Path:
    """Write the results of the finished sweep in `folder` as CSV to `path` (default:
    ``folder/results.csv``), atomically; return the path written.

    Parameters
    ----------
    folder : str or Path
        A finished sweep's folder.
    path : str or Path, optional
        The CSV file to write.

    Returns
    -------
    Path
        The file written (for a CSV sweep exported to its own ``results.csv``: that file, verified).

    Raises
    ------
    NegosimUsageError
        `folder` is not a folder.
    DamagedFolderError
        The sweep has not finished, or a result file does not match its manifest.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from negosim.scenario import load_scenario
    >>> from negosim.sweep import run_sweep
    >>> tmp = tempfile.TemporaryDirectory()
    >>> _ = run_sweep(load_scenario("scenarios/entry_deterrence.yaml"), {"rep": (0.0, 4.0, 3)}, out_dir=tmp.name)
    >>> print(export_csv(tmp.name).read_text(), end="")
    point,rep,concept,outcome,payoff_Entrant,payoff_Incumbent,tied
    0,0.0,spe,shared_market,1.0,2.0,false
    1,2.0,spe,stay_out,0.0,4.0,true
    2,4.0,spe,stay_out,0.0,4.0,false
    >>> tmp.cleanup()
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder")
    files = finished_files(folder)
    kind, names = result_files(files)
    target = Path(path) if path is not None else folder / "results.csv"
    if not target.parent.is_dir():
        raise UsageError(f"cannot write {str(target)!r}: no directory {str(target.parent)!r}")
    if kind == "csv":  # a CSV sweep (or one of an earlier version): its results.csv already is the export
        source = verified_path(folder, names[0], files)
        if target.resolve() != source.resolve():
            with atomic_path(target) as tmp, open(source, "rb") as src, open(tmp, "wb") as out:
                while block := src.read(1 << 22):
                    out.write(block)
        return target
    from .table import read_parquet

    parts = [verified_path(folder, name, files) for name in names]
    with atomic_path(target) as tmp, open(tmp, "w", encoding="utf-8", newline="") as out:
        for k, part in enumerate(parts):
            rows = read_parquet(part)
            if k == 0:
                out.write(rows.header() + "\n")
            out.write(rows.csv_text())
    return target


__all__ = ["export_csv"]
