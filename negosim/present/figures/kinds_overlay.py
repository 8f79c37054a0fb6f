"""Where a signalling game's perfect Bayesian equilibria change kind, drawn over a sweep's figure.

A sweep of a signalling game records each point's kinds (separating, pooling, semi-separating;
`negosim.sweep.kinds`). The outcome regions of the figure stay the primary answer's; these marks add
the kinds on top: on the one-parameter figure a dotted line at each located kind boundary and the
kind of every stretch written along the bottom of the plot, on a regime map dotted lines between
neighbouring cells of different kinds and each kind's name at the median row and column of its cells.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import matplotlib.pyplot as plt
>>> fig, ax = plt.subplots()
>>> _ = ax.set_xlim(0, 1)
>>> mark_kinds_line(ax, [(0.5, "semi-separating", "pooling")], 0.0, 1.0)
>>> sorted(t.get_text() for t in ax.texts)
['kind: pooling', 'kind: semi-separating']
"""

from __future__ import annotations

from . import style
from .regime_content import KIND_DASH, KIND_PT, KindMarks, kind_marks

#: The gid of the marks (for tests and SVG readers).
KIND_GID = "pbe-kind"


def mark_kinds_line(ax, boundaries, lo: float, hi: float) -> None:
    """On `ax` (x: the swept parameter from `lo` to `hi`), a dotted line at each kind boundary
    ``(value, below, above)`` and each stretch's kind written along the bottom.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes to draw on.
    boundaries : iterable of tuple
        ``(value, kind below, kind above)`` for each boundary (none: nothing drawn).
    lo, hi : float
        The swept parameter's range.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().add_subplot()
    >>> mark_kinds_line(ax, [(0.5, "pure", "mixed")], 0.0, 1.0)
    >>> [t.get_text() for t in ax.texts], len(ax.lines)
    (['kind: pure', 'kind: mixed'], 1)
    """
    bounds = sorted(boundaries)
    if not bounds:
        return
    edges = [lo, *(b[0] for b in bounds), hi]
    kinds = [bounds[0][1], *(b[2] for b in bounds)]
    trans = ax.get_xaxis_transform()
    for k, (v, _, _) in enumerate(bounds):
        ax.axvline(v, color=style.INK, lw=1.4, ls=(0, (1, 2)), zorder=4, gid=style.gid(KIND_GID, "line", k))
    for k, (a, b, kind) in enumerate(zip(edges[:-1], edges[1:], kinds)):
        ax.text((a + b) / 2, 0.03, f"kind: {kind}", transform=trans, ha="center", va="bottom", color=style.INK,
                fontsize=style.SMALL_SIZE, zorder=5, gid=style.gid(KIND_GID, "text", k),
                bbox=dict(fc="white", ec="none", alpha=0.8, pad=1.5))


def mark_kinds_map(ax, x_values, y_values, kinds) -> None:
    """On a regime map `ax` (x down the rows of `kinds`, y along its columns), a dotted edge between
    neighbouring cells of different kinds and each kind's name at the median row and column of its cells.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The regime map's axes.
    x_values, y_values : array-like
        The grid values along x (nx,) and y (ny,).
    kinds : array-like
        The (nx, ny) kind at each grid point (one kind everywhere: nothing drawn).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().add_subplot()
    >>> mark_kinds_map(ax, [0, 1, 2], [0, 1], [["a", "a"], ["a", "b"], ["b", "b"]])
    >>> sorted(t.get_text() for t in ax.texts), len(ax.collections)
    (['kind: a', 'kind: b'], 1)
    """
    draw_kind_marks(ax, kind_marks(x_values, y_values, kinds))


def draw_kind_marks(ax, marks: KindMarks) -> None:
    """Draw `marks` (`regime_content.kind_marks`) on the regime map `ax`: the dotted edges and the names.

    This is the matplotlib painter's half of the kinds overlay; `regime_png` paints the same marks
    without matplotlib.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The regime map's axes, in data coordinates of the two swept parameters.
    marks : KindMarks
        The edges between cells of different kinds and each kind's label (no edges: nothing drawn).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from negosim.present.figures.regime_content import kind_marks
    >>> ax = Figure().add_subplot()
    >>> draw_kind_marks(ax, kind_marks([0, 1, 2], [0, 1], [["pooling"] * 2, ["pooling", "separating"],
    ...                                                     ["separating"] * 2]))
    >>> sorted(t.get_text() for t in ax.texts), len(ax.collections)
    (['kind: pooling', 'kind: separating'], 1)
    """
    from matplotlib.collections import LineCollection

    if not marks.segments:
        return
    ax.add_collection(LineCollection(marks.segments, colors=style.INK, linewidths=KIND_PT,
                                     linestyles=(0, KIND_DASH), zorder=4, gid=style.gid(KIND_GID, "edges")))
    for k, (text, at_x, at_y) in enumerate(marks.labels):
        ax.text(at_x, at_y, text, ha="center", va="center", color=style.INK, fontsize=style.SMALL_SIZE, zorder=5,
                gid=style.gid(KIND_GID, "text", k), bbox=dict(fc="white", ec="none", alpha=0.8, pad=1.5))


__all__ = ["KIND_GID", "draw_kind_marks", "mark_kinds_line", "mark_kinds_map"]
