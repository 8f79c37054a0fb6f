"""What the regime map shows, decided once for both of its painters: the outcomes in colour order with
their fills, hatches, markers and legend texts, the regions' outlines and boundary lines, the grid
points marked where a region is too small to see, the curves drawn on top, a signalling game's kinds,
the ticks, the axis labels, the title, and the figure's layout in inches.

`regime_map.paint_figure` turns this into a matplotlib `Figure` (for SVG, PDF and callers that want
one); `regime_png.paint_png` rasterises it with numpy and Pillow (the sweep's default PNG, drawn
without importing matplotlib). Neither decides anything the other could draw differently.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from . import style
from .fonts import text_width
from .regime_geometry import (
    FINE_PX,
    SMOOTH_PX,
    Fill,
    contours,
    crosses_box,
    marked_points_each,
    refined_axis,
    side_fields,
    thin_out,
    visible_parts,
)
from .ticks import nice_ticks, tick_labels

PNG_DPI = 150  # the resolution every PNG is written at (save.PNG_DPI)
FILL_ALPHA = 0.45
#: Marker shapes of outcomes drawn as points (thin or tiny regions), one per regime index.
REGION_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
OVERLAY_DASHES = ((0, (6, 3)), (0, (2, 2)), (0, (8, 3, 2, 3)), (0, (12, 4)), (0, (3, 2, 1, 2)))
MARKER_PT = 7.0
EDGE_ALPHA = 0.35  # the ink's opacity in hatches and legend patch edges
BOUNDARY_PT = 0.9
CURVE_PT, HALO_PT = 2.0, 4.6
KIND_PT = 1.4
KIND_DASH = (1, 2)

PLOT_W, PLOT_H, LEFT, RIGHT = 6.4, 4.8, 1.05, 0.75
_AXIS_ZONE = 0.8  # inches below the plot for tick labels and the axis label
LEGEND_HANDLE, CURVE_HANDLE = 2.4, 3.2  # legend handle lengths, in font sizes


# `Region`, `Curve` and `RegimeMapContent` hold numpy arrays, whose ``==`` is an array, so a generated
# ``__eq__`` could only raise for two distinct objects: with eq=False they compare by identity, and the
# classes are built faster when the module is imported (once per sweep, for its regime map).
@dataclass(frozen=True, eq=False)
class Region:
    """One outcome on the map: its label, legend text, look, outline and marked grid points."""

    label: str
    text: str  # in the legend, wrapped
    color: str
    hatch: str
    marker: str
    fill: Fill | None  # None: nothing to fill (or, for the only outcome, the whole frame)
    has_area: bool  # some piece reads as an area (else the legend shows its marker alone)
    marks: tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True, eq=False)  # numpy arrays: see `Region`
class Curve:
    """A curve drawn on top of the regions and listed in the second legend."""

    x: np.ndarray
    y: np.ndarray
    label: str
    text: str  # in the legend, wrapped; says when the curve misses the plotted range
    dash: tuple


@dataclass(frozen=True)
class KindMarks:
    """A signalling game's kinds on the map: dotted edges between cells of different kinds, and each
    kind's name (text, x, y).

    Built by `kind_marks` from a sweep's kinds (separating, pooling, semi-separating perfect Bayesian
    equilibria); both painters draw them over the outcome regions.

    Attributes
    ----------
    segments : tuple of ((x0, y0), (x1, y1))
        The dotted edges, in data coordinates of the two swept parameters (empty: one kind everywhere).
    labels : tuple of (str, float, float)
        Each kind's text (``"kind: pooling"``) and where it is written.

    Examples
    --------
    >>> marks = KindMarks(segments=(((0.5, 0.0), (0.5, 1.0)),), labels=(("kind: pooling", 0.25, 0.5),))
    >>> len(marks.segments), marks.labels[0][0]
    (1, 'kind: pooling')
    """

    segments: tuple[tuple[tuple[float, float], tuple[float, float]], ...]
    labels: tuple[tuple[str, float, float], ...]


@dataclass(frozen=True, eq=False)  # numpy arrays: see `Region`
class RegimeMapContent:
    """Everything the regime map shows and where (inches from the figure's bottom left)."""

    x_lim: tuple[float, float]
    y_lim: tuple[float, float]
    x_label: str
    y_label: str
    title: str | None
    legend_title: str
    x_ticks: tuple[tuple[float, str], ...]
    y_ticks: tuple[tuple[float, str], ...]
    regions: tuple[Region, ...]
    boundaries: tuple[np.ndarray, ...]  # polylines, (m, 2) each, a closed one ending where it starts
    curves: tuple[Curve, ...]
    legend_columns: int
    width: float
    height: float
    left: float
    below: float
    legend_top: float
    curve_legend_top: float
    #: The refined grid (x, y), the fields (k, nx, ny) whose largest is the region at each point (their
    #: zero contours are the fills) and that region at each grid point (nx, ny); None for one region.
    field_grid: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None
    kinds: KindMarks | None = field(default=None)


def regime_map_content(x_name: str, x_values, y_name: str, y_values, labels, *,
                       names: Mapping[str, str] | None = None, overlays: Sequence[Mapping] = (),
                       title: str | None = None, x_unit: str | None = None, y_unit: str | None = None,
                       order: Sequence[str] = (), x_description: str = "", y_description: str = "",
                       legend_title: str = "equilibrium outcome", kinds=None) -> RegimeMapContent:
    """What the regime map of `labels` over `x_values` by `y_values` shows (arguments as for
    `regime_map.regime_map_figure`; `kinds`, an (nx, ny) array of a signalling game's kinds, adds
    `KindMarks`).

    Everything either painter needs is decided here: regions in colour order with their outlines and
    marked grid points, boundary lines, curves, ticks, wrapped labels and the layout in inches.

    Parameters
    ----------
    x_name, y_name : str
        The swept parameters' symbols.
    x_values, y_values : array-like
        The ascending grid values along each axis, (nx,) and (ny,), at least two each.
    labels : array-like or tuple
        The (nx, ny) outcome label at each grid point, or a pair ``(names, codes)`` of distinct labels
        and an (nx, ny) integer array indexing them.
    names : mapping of str to str, optional
        Label -> the outcome's name in the legend.
    overlays : sequence of mapping
        Curves ``{"x": array, "y": array, "label": str}`` drawn on top.
    title : str, optional
        The figure's title.
    x_unit, y_unit : str, optional
        The parameters' units.
    order : sequence of str
        Labels whose colours are taken first (to match other figures).
    x_description, y_description : str
        The parameters' descriptions, for the axis labels.
    legend_title : str, default "equilibrium outcome"
        What the regions are.
    kinds : array-like, optional
        The (nx, ny) kind of each grid point's perfect Bayesian equilibrium.

    Returns
    -------
    RegimeMapContent
        What the map shows and where, in inches from the figure's bottom left.

    Raises
    ------
    ValueError
        For grid values that are not ascending and finite, labels of the wrong shape, or a malformed
        overlay.

    Examples
    --------
    >>> x, y = np.linspace(0, 1, 5), np.linspace(0, 1, 4)
    >>> content = regime_map_content("p", x, "c", y, np.where(x[:, None] + y[None, :] > 1, "war", "peace"))
    >>> [r.label for r in content.regions], [t for _, t in content.x_ticks]
    (['peace', 'war'], ['0.0', '0.2', '0.4', '0.6', '0.8', '1.0'])
    """
    x = _axis(x_values, "x_values")
    y = _axis(y_values, "y_values")
    if isinstance(labels, tuple):  # (names, codes): label names[codes[i, j]], 4 bytes a point, no object array
        label_names, grid = np.asarray(labels[0]), np.asarray(labels[1])
    else:
        label_names, grid = None, np.asarray(labels, dtype=object)
    if grid.shape != (len(x), len(y)):
        raise ValueError(f"labels have shape {grid.shape}; expected ({len(x)}, {len(y)}) "
                         "(labels[i, j] at x_values[i], y_values[j])")
    curves = [_overlay(o, k) for k, o in enumerate(overlays)]
    flat = grid.reshape(-1)
    starts, run_codes, found = _runs(flat, label_names)
    outcomes = list(dict.fromkeys([str(o) for o in order if str(o) in found] + found))
    # each run's code put in colour order, then the runs spread over the grid: one pass over the points
    remap = np.array([outcomes.index(o) for o in found], dtype=run_codes.dtype)
    codes = np.repeat(remap[run_codes], np.diff(np.append(starts, flat.size))).reshape(grid.shape)
    x_label = axis_label(x_name, x_description, x_unit, PLOT_W * 72)
    y_label = axis_label(y_name, y_description, y_unit, PLOT_H * 72)
    content = _content((x_label, y_label), x, y, codes, outcomes, dict(names or {}), curves, title, legend_title)
    if kinds is not None:
        from dataclasses import replace

        content = replace(content, kinds=kind_marks(x, y, kinds))
    return content


def axis_label(symbol: str, description: str = "", unit: str | None = None, width: float = 460.0) -> str:
    """An axis label in words: the parameter's description (without its final full stop), then its
    symbol and unit in parentheses, wrapped to `width` points; just the symbol (and unit) without a
    description.

    Parameters
    ----------
    symbol : str
        The parameter's symbol in the scenario.
    description : str
        The parameter's description in words ("": the label is the symbol alone).
    unit : str, optional
        The parameter's unit.
    width : float, default 460.0
        The longest line in points (the plot's side), measured in the house font.

    Returns
    -------
    str
        The label, lines separated by newlines.

    Examples
    --------
    >>> axis_label("s", "Damage new US sanctions do to Russia if imposed.")
    'Damage new US sanctions do to Russia if imposed (s)'
    >>> axis_label("mu", "Leverage gained if fighting goes on (momentum).", "leverage")
    'Leverage gained if fighting goes on (momentum; mu, leverage)'
    >>> axis_label("C", "", "bn USD")
    'C (bn USD)'
    """
    words = " ".join(description.split()).rstrip(".")
    tag = ", ".join([symbol] + ([unit] if unit else []))
    if not words:
        return f"{symbol} ({unit})" if unit else symbol
    # "... pausing (battlefield momentum)" + "mu" -> "... pausing (battlefield momentum; mu)", not "...) (mu)"
    text = f"{words[:-1]}; {tag})" if words.endswith(")") else f"{words} ({tag})"
    return wrap_label(text, width, lambda t: text_width(t, style.LABEL_SIZE + 1))


def factorize(flat: np.ndarray, names=None) -> tuple[np.ndarray, list[str]]:
    """Integer codes of the labels in `flat` and the labels in order of first appearance.

    With `names`, `flat` holds integer codes and label ``names[flat[i]]`` (distinct names).
    Grids of outcomes come in long runs of one label, so only the start of each run is looked up.

    Parameters
    ----------
    flat : numpy.ndarray
        The outcome labels of a flattened grid, or (with `names`) integer codes into `names`.
    names : sequence of str, optional
        The distinct labels the codes in `flat` index.

    Returns
    -------
    codes : numpy.ndarray
        One integer per entry of `flat` (int16 for fewer than 32768 labels), indexing `labels`.
    labels : list of str
        The labels in order of first appearance in `flat`.

    Examples
    --------
    >>> codes, labels = factorize(np.array(["peace", "peace", "war", "war", "peace"], dtype=object))
    >>> codes.tolist(), labels
    ([0, 0, 1, 1, 0], ['peace', 'war'])
    >>> codes, labels = factorize(np.array([1, 1, 0]), names=["war", "peace"])
    >>> codes.tolist(), labels
    ([0, 0, 1], ['peace', 'war'])
    """
    if flat.size == 0:
        return np.zeros(0, dtype=np.intp), []
    starts, run_codes, labels = _runs(flat, names)
    return np.repeat(run_codes, np.diff(np.append(starts, flat.size))), labels


def _runs(flat: np.ndarray, names=None) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """`factorize` by runs: where each run of equal entries of the non-empty `flat` starts, its code, and
    the labels in order of first appearance."""
    starts = np.concatenate([[0], np.flatnonzero(flat[1:] != flat[:-1]) + 1])
    if names is not None:  # codes: each distinct code's first run, in numpy (a 1000 x 1000 map has 3,000 runs)
        run_values = np.asarray(flat[starts], dtype=np.intp)
        found, first = np.unique(run_values, return_index=True)
        appearance = found[np.argsort(first, kind="stable")]
        rank = np.zeros(int(found[-1]) + 1, dtype=np.intp)
        rank[appearance] = np.arange(len(appearance))
        seen = {str(names[c]): k for k, c in enumerate(appearance.tolist())}
        run_codes = rank[run_values]
    else:
        seen = {}
        run_codes = np.array([seen.setdefault(str(flat[i]), len(seen)) for i in starts], dtype=np.intp)
    if len(seen) < 2**15:  # 2 bytes a grid point, not 8: a 16M-point map's codes take 32 MB
        run_codes = run_codes.astype(np.int16)
    return starts, run_codes, list(seen)


def _axis(values, what: str) -> np.ndarray:
    v = np.asarray(values, dtype=float)
    if v.ndim != 1 or len(v) < 2:
        raise ValueError(f"{what} must be a 1-D array of at least 2 grid values; got shape {v.shape}")
    if not np.all(np.isfinite(v)) or np.any(np.diff(v) <= 0):
        raise ValueError(f"{what} must be finite and strictly ascending")
    return v


def _overlay(o: Mapping, k: int) -> tuple[np.ndarray, np.ndarray, str]:
    if not isinstance(o, Mapping) or not {"x", "y", "label"} <= set(o):
        raise ValueError(f"overlay {k} must be a mapping with keys 'x', 'y' and 'label'")
    ox, oy = np.asarray(o["x"], dtype=float), np.asarray(o["y"], dtype=float)
    if ox.ndim != 1 or ox.shape != oy.shape or len(ox) < 2:
        raise ValueError(f"overlay {k} ({o['label']!r}) needs 1-D 'x' and 'y' of the same length, at least 2; "
                         f"got shapes {ox.shape} and {oy.shape}")
    return ox, oy, str(o["label"])


def percent(share: float) -> str:
    """A share as a legend percentage: 64.4%, 25%, <0.1%, >99.9%.

    A share that is not zero is never written as 0%, nor one short of the whole as 100%.

    Parameters
    ----------
    share : float
        A fraction of the points, in [0, 1].

    Returns
    -------
    str
        The percentage with at most one decimal.

    Examples
    --------
    >>> [percent(s) for s in (0.644, 0.25, 0.0004, 0.9996, 1.0, 0.0)]
    ['64.4%', '25%', '<0.1%', '>99.9%', '100%', '0%']
    """
    if share <= 0:
        return "0%"
    if share < 0.001:
        return "<0.1%"
    if share > 0.999 and share < 1:
        return ">99.9%"
    return f"{100 * share:.1f}%".replace(".0%", "%")


def wrap_label(text: str, width: float = 72, measure: Callable[[str], float] = len) -> str:
    """`text` in lines at most `width` long as `measure` gives it (default: characters), broken after
    ' + ' where it can, else at spaces (a word longer than `width` stays whole).

    Parameters
    ----------
    text : str
        One line of text, such as an outcome's legend name or an axis label.
    width : float, default 72
        The longest line, in `measure`'s units.
    measure : callable, default len
        The length of a line (`fonts.text_width` for points in the house font).

    Returns
    -------
    str
        `text` with newlines where it breaks.

    Examples
    --------
    >>> print(wrap_label("accept + reject + counter-offer", 16))
    accept +
    reject +
    counter-offer
    >>> print(wrap_label("the incumbent fights entry", 12))
    the
    incumbent
    fights entry
    """
    if measure(text) <= width:
        return text
    parts = text.replace(" + ", " +\x00").split("\x00") if " + " in text else [text]
    words = []
    for part in parts:  # a stretch between two ' + ' too long for a line is broken at its spaces
        if measure(part) <= width:
            words.append(part)
            continue
        split = part.split(" ")
        words.extend(split[:-2] + [f"{split[-2]} +"] if split[-1] == "+" else split)
    lines, line = [], ""
    for word in words:
        joined = f"{line} {word}" if line else word
        if line and measure(joined) > width:
            lines.append(line)
            line = word
        else:
            line = joined
    lines.append(line)
    return "\n".join(lines)


def legend_text_width(handlelength: float, size: float = style.TEXT_SIZE) -> float:
    """The width in points left for label text in a legend anchored at the plot's left edge whose
    labels must end by its right edge (matplotlib's default legend paddings, in font sizes).

    Parameters
    ----------
    handlelength : float
        The legend handle's length in font sizes (`LEGEND_HANDLE` for regions, `CURVE_HANDLE` for curves).
    size : float, default style.TEXT_SIZE
        The legend's font size in points.

    Returns
    -------
    float
        The width in points a label may take.

    Examples
    --------
    >>> round(legend_text_width(LEGEND_HANDLE, size=11), 1)
    415.7
    """
    return PLOT_W * 72 - (0.5 + 0.4 + handlelength + 0.8) * size


def outcome_name(label: str, names: Mapping[str, str]) -> str:
    """The legend text of an outcome: its name, and the label in brackets when they differ.

    Parameters
    ----------
    label : str
        The outcome's label, as the solver reports it.
    names : mapping of str to str
        Label -> the scenario's name for that outcome (a missing or empty name: the label).

    Returns
    -------
    str

    Examples
    --------
    >>> outcome_name("war", {"war": "Russia escalates"})
    'Russia escalates (war)'
    >>> outcome_name("peace", {})
    'peace'
    """
    name = names.get(label) or label
    return name if name == label else f"{name} ({label})"


def legend_height(rows: int, extra_lines: int, *, row: float = 0.25) -> float:
    """Height in inches of a titled legend at the house font sizes: `rows` entries (patch handles
    1.3 font sizes tall unless `row` says otherwise) and `extra_lines` lines of wrapped labels.

    Figures reserve this much room below the plot, so the legend never overlaps the axis labels.

    Parameters
    ----------
    rows : int
        The legend's entries (its rows, for a legend in columns).
    extra_lines : int
        The lines wrapped labels add beyond one per entry.
    row : float, default 0.25
        The height of one entry in inches.

    Returns
    -------
    float
        The height in inches, title included.

    Examples
    --------
    >>> legend_height(3, 1)
    1.25
    >>> legend_height(2, 0, row=0.23)
    0.76
    """
    return 0.3 + row * rows + 0.2 * extra_lines



def _wrap_legend(text: str, handlelength: float) -> str:
    """A legend label wrapped to end by the plot's right edge (see `legend_text_width`)."""
    return wrap_label(text, legend_text_width(handlelength), lambda t: text_width(t, style.TEXT_SIZE))


def kind_marks(x_values, y_values, kinds) -> KindMarks:
    """A signalling game's kinds on a regime map (x down the rows of `kinds`, y along its columns): an
    edge between neighbouring cells of different kinds, and each kind's name at the median row and
    column of its cells (kept off the frame, where a one-row region's name would be cut in half).

    Examples
    --------
    >>> marks = kind_marks([0, 1, 2], [0, 1], [["a", "a"], ["a", "b"], ["b", "b"]])
    >>> len(marks.segments), [t for t, _, _ in marks.labels]
    (3, ['kind: a', 'kind: b'])
    """
    x, y = np.asarray(x_values, float), np.asarray(y_values, float)
    kinds = np.asarray(kinds, dtype=object)
    xm = np.concatenate([[x[0]], (x[1:] + x[:-1]) / 2, [x[-1]]])
    ym = np.concatenate([[y[0]], (y[1:] + y[:-1]) / 2, [y[-1]]])
    segs = []
    for i, j in zip(*np.nonzero(kinds[1:, :] != kinds[:-1, :])):  # x-neighbours differ: a vertical edge
        segs.append(((float(xm[i + 1]), float(ym[j])), (float(xm[i + 1]), float(ym[j + 1]))))
    for i, j in zip(*np.nonzero(kinds[:, 1:] != kinds[:, :-1])):
        segs.append(((float(xm[i]), float(ym[j + 1])), (float(xm[i + 1]), float(ym[j + 1]))))
    if not segs:
        return KindMarks((), ())
    labels = []
    for kind in sorted(set(kinds.ravel().tolist())):
        i, j = np.nonzero(kinds == kind)
        at_x = float(np.clip(x[int(np.median(i))], *np.quantile(x, [0.15, 0.85])))
        at_y = float(np.clip(y[int(np.median(j))], *np.quantile(y, [0.05, 0.95])))
        labels.append((f"kind: {kind}", at_x, at_y))
    return KindMarks(tuple(segs), tuple(labels))


def _content(axis_labels, x, y, codes, outcomes, names, curves, title, legend_title) -> RegimeMapContent:
    k_count = len(outcomes)
    px_w, px_h = PLOT_W * PNG_DPI, PLOT_H * PNG_DPI
    ix, iy = thin_out(len(x), px_w), thin_out(len(y), px_h)
    # rows, then columns (np.take along each axis is several times faster than indexing with np.ix_)
    drawn = np.take(np.take(codes, ix, axis=0), iy, axis=1)

    # Legend labels are wrapped to end by the plot's right edge, so they never widen the figure.
    texts = [outcome_name(o, names) for o in outcomes]
    cols = 1 if k_count == 1 or any(len(t) > 34 for t in texts) else 2
    if cols == 1:
        texts = [_wrap_legend(t, LEGEND_HANDLE) for t in texts]
        outcome_h = legend_height(len(texts), sum(t.count("\n") for t in texts))
    else:
        outcome_h = legend_height(math.ceil(k_count / 2), 0)
    box = (x[0], y[0], x[-1], y[-1])
    curve_texts = [_wrap_legend(label if crosses_box(ox, oy, box) else f"{label} (outside this range)", CURVE_HANDLE)
                   for ox, oy, label in curves]
    overlay_h = legend_height(len(curves), sum(t.count("\n") for t in curve_texts), row=0.23) if curves else 0.0
    top = 0.75 if title else 0.3
    x_label, y_label = axis_labels
    line_in = (style.LABEL_SIZE + 1) * 1.25 / 72  # one more line of an axis label
    axis_zone = _AXIS_ZONE + line_in * x_label.count("\n")
    left = LEFT + line_in * y_label.count("\n")
    below = axis_zone + outcome_h + (0.15 + overlay_h if curves else 0) + 0.1
    width, height = left + PLOT_W + RIGHT, top + PLOT_H + below

    xs, ys = x[ix], y[iy]
    to_px = (px_w / (x[-1] - x[0]), px_h / (y[-1] - y[0]))
    marker_px = MARKER_PT / 72 * PNG_DPI
    step = (max(1, math.ceil(1.4 * marker_px / (px_w / max(1, len(x) - 1)))),
            max(1, math.ceil(1.4 * marker_px / (px_h / max(1, len(y) - 1)))))
    field_grid = None
    if k_count == 1:
        fills: list[Fill | None] = [None]
        lines: list[list[np.ndarray]] = [[]]
        has_area = [True]
        marks = [(np.zeros(0), np.zeros(0))]
    else:
        # Smooth over about a sixth of a drawn cell (at most 2 grid steps), unless cells are tiny.
        cell = (px_w / max(1, len(ix) - 1), px_h / max(1, len(iy) - 1))
        sigma = (_sigma(cell[0]), _sigma(cell[1])) if max(cell) >= SMOOTH_PX else None
        refine = (max(1, math.ceil(cell[0] / FINE_PX)), max(1, math.ceil(cell[1] / FINE_PX)))
        fields = side_fields(drawn, k_count, sigma, refine)
        gx, gy = refined_axis(xs, refine[0]), refined_axis(ys, refine[1])
        # the region at each point of the fields' grid: unsmoothed and unrefined, the grid's own outcome
        best = drawn if sigma is None and refine == (1, 1) else largest_field(fields)
        field_grid = (gx, gy, fields, best)
        fills, lines = contours(gx, gy, fields, last_lines=False)  # the last one's are all drawn by others
        parts = [visible_parts(fill, to_px) for fill in fills]
        has_area = [bool(p) for p in parts]
        # Grid points in pieces of a region too small or thin to see as areas are marked with points.
        marks = marked_points_each(codes, list(range(k_count)), x, y, parts, step)
    regions = []
    for k, label in enumerate(outcomes):
        color, hatch = style.regime_style(k)
        regions.append(Region(label, texts[k], color, hatch, REGION_MARKERS[k % len(REGION_MARKERS)], fills[k],
                              has_area[k], marks[k]))
    # Each boundary is the zero line of both regions it separates: the last region's lines are all
    # drawn by its neighbours already.
    boundaries = tuple(seg for segs in lines[:-1] for seg in segs)
    drawn_curves = tuple(Curve(ox, oy, label, curve_texts[k], OVERLAY_DASHES[k % len(OVERLAY_DASHES)])
                         for k, (ox, oy, label) in enumerate(curves))
    legend_top = below - axis_zone
    x_ticks = nice_ticks(float(x[0]), float(x[-1]), _nbins(PLOT_W * 72, 3))
    y_ticks = nice_ticks(float(y[0]), float(y[-1]), _nbins(PLOT_H * 72, 2))
    return RegimeMapContent(
        x_lim=(float(x[0]), float(x[-1])), y_lim=(float(y[0]), float(y[-1])), x_label=x_label, y_label=y_label,
        title=title, legend_title=legend_title, x_ticks=tuple(zip(x_ticks, tick_labels(x_ticks))),
        y_ticks=tuple(zip(y_ticks, tick_labels(y_ticks))), regions=tuple(regions), boundaries=boundaries,
        curves=drawn_curves, legend_columns=cols, width=width, height=height, left=left, below=below,
        legend_top=legend_top, curve_legend_top=legend_top - outcome_h - 0.15, field_grid=field_grid)


def largest_field(fields: np.ndarray) -> np.ndarray:
    """The index of the largest of the (k, nx, ny) fields at each point, the first where several are equal
    (as numpy's argmax, by a running comparison: argmax along the first of three axes is slow).

    Examples
    --------
    >>> largest_field(np.array([[[0.0, 2.0]], [[1.0, 2.0]]])).tolist()
    [[1, 0]]
    """
    best = np.zeros(fields.shape[1:], dtype=np.int16)
    top = fields[0].copy()
    for k in range(1, len(fields)):
        more = fields[k] > top
        best[more] = k
        np.maximum(top, fields[k], out=top)
    return best


def _sigma(cell_px: float) -> float:
    """How far to smooth, in grid steps: about a sixth of a drawn cell, at least half a step, at most two."""
    return min(2.0, max(0.5, cell_px / 6.0))


def _nbins(length_pt: float, label_sizes: float) -> int:
    """How many tick intervals fit along an axis `length_pt` long (matplotlib's rule: a tick label
    every `label_sizes` font sizes, at most 9 intervals)."""
    return int(max(1, min(9, length_pt // ((style.TEXT_SIZE + 1) * label_sizes))))
