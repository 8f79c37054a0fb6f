"""The regime map: the equilibrium outcome over a grid of two parameters, each outcome a region
filled with its colour and hatching, thin ink boundaries between regions, and optional curves
(closed-form boundaries) drawn on top.

Regions are contoured from the grid, not painted cell by cell. Each outcome's indicator is
smoothed by a local linear fit over a few grid cells (more for coarse grids, none when a cell is
smaller than two pixels), the outcomes are compared on a grid fine enough that they tile the map,
and each region is cut where its smoothed indicator meets the best other one, with every grid
point kept on its own side. A straight boundary then reads as a straight line up to the frame,
and no region grows or shrinks by more than one grid cell. Pieces too thin or too small to see as
areas (a tie line, a single point) are marked on their grid points, so every outcome on the grid
is on the map and in the legend. Grids of more than two points per pixel are thinned for
contouring; markers and shares always come from the whole grid.

This module is the matplotlib painter (SVG, PDF, and every caller that wants a `Figure`); what the map
shows is decided in `regime_content`, and `regime_png` paints the same content without matplotlib.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from . import style
from .regime_content import (
    BOUNDARY_PT,
    CURVE_PT,
    EDGE_ALPHA,
    FILL_ALPHA,
    HALO_PT,
    KIND_DASH,
    KIND_PT,
    LEGEND_HANDLE,
    MARKER_PT,
    PLOT_H,
    PLOT_W,
    REGION_MARKERS,
    KindMarks,
    RegimeMapContent,
    Region,
    axis_label,
    factorize,
    legend_height,
    legend_text_width,
    outcome_name,
    percent,
    regime_map_content,
    wrap_label,
)
from .regime_geometry import local_linear, refined_axis, side_fields, visible_parts

REGIME_GID = "regime"
MARKS_GID = "regime-marks"
BOUNDARY_GID = "boundaries"
OVERLAY_GID = "overlay"


def regime_map_figure(x_name: str, x_values, y_name: str, y_values, labels, *,
                      names: Mapping[str, str] | None = None, overlays: Sequence[Mapping] = (),
                      title: str | None = None, x_unit: str | None = None, y_unit: str | None = None,
                      order: Sequence[str] = (), x_description: str = "", y_description: str = "",
                      legend_title: str = "equilibrium outcome", kinds=None):
    """A `Figure` of the equilibrium outcome over a grid of two parameters.

    Each axis is labelled in words by its parameter's description (`x_description`, `y_description`,
    e.g. from the scenario) followed by its symbol and unit (see `axis_label`); the legend names each
    outcome (no shares of the grid: a class reads those as probabilities).

    `x_values` (nx,) and `y_values` (ny,) are ascending; `labels` (nx, ny) holds the outcome label
    at each grid point (``labels[i, j]`` at ``x_values[i], y_values[j]``, as ``meshgrid(...,
    indexing="ij")`` gives), or is a pair ``(names, codes)`` of distinct labels and an (nx, ny)
    integer array, the label at ``[i, j]`` being ``names[codes[i, j]]`` (a big grid's compact form).
    `names` maps a label to the name shown in the legend. Each overlay
    ``{"x": array, "y": array, "label": str}`` is a curve drawn on top and listed in the legend.
    `order` lists labels whose colours are taken first (to match other figures); the rest follow
    in order of first appearance on the grid. `legend_title` names what the regions are (a bargaining
    model's "regime", a repeated game's "profiles grim trigger sustains"). With `kinds` (an (nx, ny)
    array), a signalling game's kinds are marked on top (`kinds_overlay`).

    Parameters
    ----------
    x_name, y_name : str
        The parameters' symbols.
    x_values, y_values : array-like
        The ascending grid values along each axis, (nx,) and (ny,).
    labels : array-like or tuple
        (nx, ny) outcome labels, or a pair ``(names, codes)``.
    names : mapping of str to str, optional
        Label -> legend name.
    overlays : sequence of mapping
        Curves ``{"x": array, "y": array, "label": str}`` drawn on top.
    title : str, optional
        The figure's title.
    x_unit, y_unit : str, optional
        The parameters' units.
    order : sequence of str
        Labels whose colours are taken first.
    x_description, y_description : str
        The parameters' descriptions, for the axis labels.
    legend_title : str, default "equilibrium outcome"
        What the regions are.
    kinds : array-like, optional
        The (nx, ny) kind of each grid point's perfect Bayesian equilibrium.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> x, y = np.linspace(0, 1, 5), np.linspace(0, 1, 4)
    >>> labels = np.where(x[:, None] + y[None, :] > 1, "war", "peace")
    >>> type(regime_map_figure("p", x, "c", y, labels)).__name__
    'Figure'
    """
    return paint_figure(regime_map_content(
        x_name, x_values, y_name, y_values, labels, names=names, overlays=overlays, title=title, x_unit=x_unit,
        y_unit=y_unit, order=order, x_description=x_description, y_description=y_description,
        legend_title=legend_title, kinds=kinds))


def _fill_path(fill):
    """A filled region's polygons (`regime_geometry.Fill`) as one matplotlib Path (holes stay holes)."""
    from matplotlib.path import Path

    verts, codes = [], []
    for pts, offs in fill:
        for a, b in zip(offs[:-1], offs[1:]):
            ring = np.full(b - a, Path.LINETO, dtype=Path.code_type)
            ring[0], ring[-1] = Path.MOVETO, Path.CLOSEPOLY
            verts.append(pts[a:b])
            codes.append(ring)
    return Path(np.concatenate(verts), np.concatenate(codes))


def _polyline_path(lines: Sequence[np.ndarray]):
    """Polylines as one compound matplotlib Path."""
    from matplotlib.path import Path

    codes = []
    for seg in lines:
        c = np.full(len(seg), Path.LINETO, dtype=Path.code_type)
        c[0] = Path.MOVETO
        codes.append(c)
    return Path(np.concatenate(lines), np.concatenate(codes))


def paint_figure(content: RegimeMapContent):
    """The regime map `content` as a pyplot-free matplotlib `Figure`.

    The matplotlib painter of `regime_content.regime_map_content`, for SVG, PDF and callers that want a
    `Figure`; `regime_png.paint_png` paints the same content as a PNG without matplotlib.

    Parameters
    ----------
    content : RegimeMapContent
        What the map shows and where.

    Returns
    -------
    matplotlib.figure.Figure
        The figure, `content.width` by `content.height` inches, not registered with pyplot.

    Examples
    --------
    >>> x, y = np.linspace(0, 1, 5), np.linspace(0, 1, 4)
    >>> content = regime_map_content("p", x, "c", y, np.where(x[:, None] > y, "war", "peace"))
    >>> fig = paint_figure(content)
    >>> [round(v, 2) for v in fig.get_size_inches()] == [round(content.width, 2), round(content.height, 2)]
    True
    >>> [t.get_text() for t in fig.legends[0].get_texts()]
    ['peace', 'war']
    """
    with style.context():
        return _paint(content)


def _paint(c: RegimeMapContent):
    from matplotlib.colors import to_rgba
    from matplotlib.legend_handler import HandlerTuple
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, PathPatch, Rectangle
    from matplotlib.patheffects import withStroke

    fig = style.new_figure(c.width, c.height)
    ax = fig.add_axes((c.left / c.width, c.below / c.height, PLOT_W / c.width, PLOT_H / c.height))
    ax.set_xlim(*c.x_lim)
    ax.set_ylim(*c.y_lim)
    edge = to_rgba(style.INK, EDGE_ALPHA)
    (x0, x1), (y0, y1) = c.x_lim, c.y_lim
    for k, r in enumerate(c.regions):
        gid = style.gid(REGIME_GID, k, r.label)
        if len(c.regions) == 1:
            ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fc=to_rgba(r.color, FILL_ALPHA), ec=edge, lw=0,
                                   hatch=r.hatch, zorder=0, gid=gid))
        elif r.fill is not None:
            ax.add_artist(PathPatch(_fill_path(r.fill), fc=to_rgba(r.color, FILL_ALPHA), ec=edge, lw=0, hatch=r.hatch,
                                    zorder=0, gid=gid))
    if c.boundaries:
        ax.add_artist(PathPatch(_polyline_path(c.boundaries), fc="none", ec=style.INK, lw=BOUNDARY_PT, zorder=2,
                                capstyle="round", joinstyle="round", gid=BOUNDARY_GID))
    for k, r in enumerate(c.regions):
        if len(r.marks[0]):
            ax.plot(*r.marks, ls="none", **_marker(r), zorder=5, clip_on=False, gid=style.gid(MARKS_GID, k, r.label))

    overlay_handles = []
    for k, curve in enumerate(c.curves):
        halo = [withStroke(linewidth=HALO_PT, foreground="white")]
        ax.plot(curve.x, curve.y, color="black", lw=CURVE_PT, ls=curve.dash, zorder=4, path_effects=halo,
                gid=style.gid(OVERLAY_GID, k, curve.label))
        overlay_handles.append(Line2D([], [], color="black", lw=CURVE_PT, ls=curve.dash, path_effects=halo,
                                      label=curve.text))
    if c.kinds is not None:
        from .kinds_overlay import draw_kind_marks

        draw_kind_marks(ax, c.kinds)

    ax.set_xticks([v for v, _ in c.x_ticks], [t for _, t in c.x_ticks])
    ax.set_yticks([v for v, _ in c.y_ticks], [t for _, t in c.y_ticks])
    ax.set_xlabel(c.x_label, fontsize=style.LABEL_SIZE + 1, linespacing=1.25)
    ax.set_ylabel(c.y_label, fontsize=style.LABEL_SIZE + 1, linespacing=1.25)
    ax.tick_params(labelsize=style.TEXT_SIZE + 1, direction="out")

    handles = []
    for r in c.regions:
        patch = Patch(fc=to_rgba(r.color, FILL_ALPHA), ec=edge, hatch=r.hatch, label=r.text)
        point = Line2D([], [], ls="none", **_marker(r), label=r.text)
        handles.append(point if not r.has_area else (patch, point) if len(r.marks[0]) else patch)
    fig.legend(handles=handles, labels=[r.text for r in c.regions],
               handler_map={tuple: HandlerTuple(ndivide=None, pad=0.3)}, title=c.legend_title, loc="upper left",
               ncol=c.legend_columns, bbox_to_anchor=(c.left / c.width, c.legend_top / c.height), frameon=False,
               fontsize=style.TEXT_SIZE, title_fontsize=style.TEXT_SIZE + 1, alignment="left",
               handlelength=LEGEND_HANDLE, handleheight=1.3, columnspacing=1.5)
    if c.curves:
        fig.legend(handles=overlay_handles, title="curves drawn on top", loc="upper left",
                   bbox_to_anchor=(c.left / c.width, c.curve_legend_top / c.height), frameon=False,
                   fontsize=style.TEXT_SIZE, title_fontsize=style.TEXT_SIZE + 1, alignment="left", handlelength=3.2)
    if c.title:
        fig.text(c.left / c.width, 1 - 0.15 / c.height, c.title, ha="left", va="top", fontsize=style.TITLE_SIZE,
                 fontweight="bold", color=style.INK)
    return fig


def _marker(r: Region) -> dict:
    """Marker settings of the points marking a region."""
    return dict(marker=r.marker, ms=MARKER_PT, mfc=r.color, mec=style.INK, mew=0.8)


__all__ = ["BOUNDARY_GID", "FILL_ALPHA", "KIND_DASH", "KIND_PT", "KindMarks", "MARKS_GID", "OVERLAY_GID",
           "PLOT_H", "PLOT_W", "REGIME_GID", "REGION_MARKERS", "axis_label", "factorize", "legend_height",
           "legend_text_width", "local_linear", "outcome_name", "paint_figure", "percent", "refined_axis",
           "regime_map_content", "regime_map_figure", "side_fields", "visible_parts", "wrap_label"]
