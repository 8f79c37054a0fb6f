"""Write figures as PNG, SVG or PDF with the same bytes for the same input (no dates, no tool
versions that change between runs, fixed SVG ids), atomically."""

from __future__ import annotations

import io
from pathlib import Path

from ...errors import UsageError
from ...io.atomic import write_atomic
from .style import context

FORMATS = ("png", "svg", "pdf")
PNG_DPI = 150  # crisp when projected; every size in the figures is set in points and inches

# Metadata that would differ between runs (dates) or between installs (tool versions) is dropped.
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}


def figure_format(path, format: str | None = None) -> str:
    """The format to write: `format` if given, else the file's suffix; one of png, svg, pdf."""
    fmt = (format or Path(path).suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        what = f"format {fmt!r}" if fmt else f"no format in {str(path)!r}"
        raise UsageError(f"cannot write a figure with {what}; use .png, .svg or .pdf")
    return fmt


def figure_bytes(fig, format: str, *, dpi: float | None = None) -> bytes:
    """The figure encoded as PNG, SVG or PDF, deterministically."""
    fmt = figure_format("", format)
    buf = io.BytesIO()
    with context():
        fig.savefig(buf, format=fmt, dpi=dpi or (PNG_DPI if fmt == "png" else fig.dpi),
                    metadata=_METADATA[fmt], bbox_inches="tight", pad_inches=0.15,
                    facecolor=fig.get_facecolor())
    return buf.getvalue()


def save_figure(fig, path, *, format: str | None = None, dpi: float | None = None) -> None:
    """Write `fig` to `path` (PNG, SVG or PDF, by `format` or the suffix), atomically: a reader never
    sees a half-written file. The same figure gives the same bytes every time.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    path : str or Path
    format : {"png", "svg", "pdf"}, optional
        Default: the suffix of `path`.
    dpi : float, optional
        Resolution of a PNG.

    Raises
    ------
    NegosimUsageError
        For a format other than png, svg and pdf.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import negosim as ns
    >>> from negosim.present.figures import matrix_figure, save_figure
    >>> fig = matrix_figure(ns.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]]))
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     save_figure(fig, pathlib.Path(folder) / "pd.svg")
    ...     print(pathlib.Path(folder, "pd.svg").read_text()[:5])
    <?xml
    """
    path = Path(path)
    data = figure_bytes(fig, figure_format(path, format), dpi=dpi)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise UsageError(f"cannot write {str(path)!r}: no directory {str(directory)!r}")
    write_atomic(path, data)


def figure_svg(fig) -> str:
    """The figure as SVG text to inline in HTML: starts at ``<svg``, no XML prolog or DOCTYPE.

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    str

    Examples
    --------
    >>> import negosim as ns
    >>> from negosim.present.figures import figure_svg, matrix_figure
    >>> figure_svg(matrix_figure(ns.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])))[:4]
    '<svg'
    """
    text = figure_bytes(fig, "svg").decode("utf-8")
    return text[text.index("<svg"):]

