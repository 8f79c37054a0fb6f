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
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from . import style
from .save import PNG_DPI

REGIME_GID = "regime"
MARKS_GID = "regime-marks"
BOUNDARY_GID = "boundaries"
OVERLAY_GID = "overlay"

FILL_ALPHA = 0.45
#: Marker shapes of outcomes drawn as points (thin or tiny regions), one per regime index.
REGION_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
OVERLAY_DASHES = ((0, (6, 3)), (0, (2, 2)), (0, (8, 3, 2, 3)), (0, (12, 4)), (0, (3, 2, 1, 2)))
_MIN_AREA_PX = 64.0  # a region drawn on fewer square pixels than this is marked with points too,
_MIN_WIDTH_PX = 3.0  # and so is one thinner than this on average
_MARKER_PT = 7.0
_SMOOTH_PX = 1.8  # grid cells smaller than this (in pixels) are contoured as they are
_FINE_PX = 3.0  # regions are compared on a grid at least this fine (in pixels)
_SIDE = 1e-3  # how far inside its own side a grid point is pushed before contouring

PLOT_W, PLOT_H, LEFT, RIGHT = 6.4, 4.8, 1.05, 0.75
_AXIS_ZONE = 0.8  # inches below the plot for tick labels and the axis label


def regime_map_figure(x_name: str, x_values, y_name: str, y_values, labels, *,
                      names: Mapping[str, str] | None = None, overlays: Sequence[Mapping] = (),
                      title: str | None = None, x_unit: str | None = None, y_unit: str | None = None,
                      order: Sequence[str] = (), x_description: str = "", y_description: str = "",
                      legend_title: str = "equilibrium outcome"):
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
    model's "regime", a repeated game's "profiles grim trigger sustains").

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
    codes, found = factorize(grid.reshape(-1), label_names)
    outcomes = list(dict.fromkeys([str(o) for o in order if str(o) in found] + found))
    remap = np.array([outcomes.index(o) for o in found], dtype=codes.dtype)
    codes = remap[codes].reshape(grid.shape)
    with style.context():
        axes = (axis_label(x_name, x_description, x_unit, PLOT_W * 72),
                axis_label(y_name, y_description, y_unit, PLOT_H * 72))
        return _draw(axes, x, y, codes, outcomes, dict(names or {}), curves, title, legend_title)


def axis_label(symbol: str, description: str = "", unit: str | None = None, width: float = 460.0) -> str:
    """An axis label in words: the parameter's description (without its final full stop), then its
    symbol and unit in parentheses, wrapped to `width` points; just the symbol (and unit) without a
    description.

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
    """
    if flat.size == 0:
        return np.zeros(0, dtype=np.intp), []
    starts = np.concatenate([[0], np.flatnonzero(flat[1:] != flat[:-1]) + 1])
    seen: dict[str, int] = {}
    text = (lambda i: str(flat[i])) if names is None else (lambda i: str(names[flat[i]]))
    run_codes = np.array([seen.setdefault(text(i), len(seen)) for i in starts], dtype=np.intp)
    if len(seen) < 2**15:  # 2 bytes a grid point, not 8: a 16M-point map's codes take 32 MB
        run_codes = run_codes.astype(np.int16)
    return np.repeat(run_codes, np.diff(np.append(starts, flat.size))), list(seen)


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


# --- geometry -----------------------------------------------------------------------------
def _thin_out(n: int, pixels: float) -> np.ndarray:
    """Indices of the grid values to contour: all of them unless there are more than two per pixel."""
    if n <= 2 * pixels:
        return np.arange(n)
    return np.unique(np.round(np.linspace(0, n - 1, int(pixels) + 1)).astype(int))


def _gaussian(sigma: float) -> np.ndarray:
    r = max(1, math.ceil(2.5 * sigma))
    t = np.arange(-r, r + 1, dtype=float)
    w = np.exp(-t * t / (2 * sigma * sigma))
    return w / w.sum()


def _correlate(a: np.ndarray, w: np.ndarray, axis: int) -> np.ndarray:
    """`a` correlated with the odd-length kernel `w` along `axis`, nothing beyond the frame."""
    r = len(w) // 2
    pad = [(0, 0), (0, 0)]
    pad[axis] = (r, r)
    p = np.pad(a, pad)
    n = a.shape[axis]
    return sum(w[i] * (p[i:i + n] if axis == 0 else p[:, i:i + n]) for i in range(len(w)))


def local_linear(fields: np.ndarray, sigma: tuple[float, float]) -> np.ndarray:
    """Each (nx, ny) field of `fields` smoothed by a local linear fit with Gaussian weights `sigma`
    grid steps wide along x and along y. Inside the grid this is a Gaussian blur; near the frame,
    where part of the window is missing, the linear term removes the bias a blur would have, so a
    boundary meeting the frame at a slant keeps its slope up to it."""
    kernels = []
    for s in sigma:
        w = _gaussian(s)
        d = np.arange(len(w), dtype=float) - len(w) // 2
        kernels.append((w, d * w, d * d * w))
    (wx, dx, ddx), (wy, dy, ddy) = kernels

    def smooth(a, kx, ky):
        return _correlate(_correlate(a, kx, 0), ky, 1)

    one = np.ones(fields.shape[1:])
    s0, sx, sy = smooth(one, wx, wy), smooth(one, dx, wy), smooth(one, wx, dy)
    sxx, syy, sxy = smooth(one, ddx, wy), smooth(one, wx, ddy), smooth(one, dx, dy)
    normal = np.stack([np.stack(row, -1) for row in ((s0, sx, sy), (sx, sxx, sxy), (sy, sxy, syy))], -2)
    intercept = np.linalg.inv(normal)[..., 0, :]  # the fitted value's weights on the three moments
    out = []
    for a in fields:
        moments = np.stack([smooth(a, wx, wy), smooth(a, dx, wy), smooth(a, wx, dy)], -1)
        out.append((intercept * moments).sum(-1))
    return np.stack(out)


def _refine(a: np.ndarray, f: int, axis: int) -> np.ndarray:
    """`a` linearly interpolated onto `f` times finer steps along `axis` (the old points kept)."""
    if f == 1:
        return a
    n = a.shape[axis]
    t = np.arange((n - 1) * f + 1) / f
    i = np.minimum(t.astype(int), n - 2)
    frac = (t - i).reshape((-1, 1) if axis == 0 else (1, -1))
    lo, hi = np.take(a, i, axis=axis), np.take(a, i + 1, axis=axis)
    return lo * (1 - frac) + hi * frac


def refined_axis(v: np.ndarray, f: int) -> np.ndarray:
    """Grid values `v` with f - 1 evenly spaced values inserted between neighbours."""
    return _refine(v[:, None], f, 0)[:, 0]


def side_fields(codes: np.ndarray, k_count: int, sigma: tuple[float, float] | None = None,
                refine: tuple[int, int] = (1, 1)) -> np.ndarray:
    """For each outcome k, a field positive on its grid points and negative elsewhere, whose zero
    contour is that region's boundary: the indicator of k, smoothed by `local_linear` with
    `sigma` (None: not smoothed), minus the largest such indicator of any other outcome, with
    every grid point kept on its own side.

    With `refine` (fx, fy) above 1 the indicators are interpolated onto a grid that many times
    finer before they are compared, so the regions tile the map even where three meet in one cell.
    """
    own = np.stack([codes == k for k in range(k_count)])
    if sigma is None and tuple(refine) == (1, 1):  # contour the indicators as they are
        return np.where(own, np.float32(1), np.float32(-1))
    smooth = own.astype(float) if sigma is None else local_linear(own.astype(float), sigma)
    fx, fy = refine
    smooth = np.stack([_refine(_refine(a, fx, 0), fy, 1) for a in smooth])
    on_grid = np.zeros(smooth.shape, dtype=bool)  # k's own grid points, on the finer grid
    on_grid[:, ::fx, ::fy] = own
    at_point = np.zeros(smooth.shape[1:], dtype=bool)
    at_point[::fx, ::fy] = True
    top2 = np.sort(smooth, axis=0)[-2:] if k_count > 1 else np.stack([np.zeros_like(smooth[0]), smooth[0]])
    rival = np.where(smooth >= top2[1], top2[0], top2[1])  # the best other outcome at each point
    g = smooth - rival
    forced = np.where(on_grid, np.maximum(g, _SIDE), np.minimum(g, -_SIDE))
    return np.where(at_point, forced, g).astype(np.float32)


def visible_parts(path, to_px: tuple[float, float]) -> list:
    """The pieces of a filled region that read as areas, as closed Paths: outer rings of at least
    `_MIN_AREA_PX` square pixels that are on average `_MIN_WIDTH_PX` wide (twice the area over the
    perimeter). `to_px` scales data units to pixels. Holes are ignored."""
    from matplotlib.path import Path

    parts = []
    for poly in ([] if path is None else path.to_polygons(closed_only=False)):
        px = poly * np.asarray(to_px)
        nx, ny = np.roll(px[:, 0], -1), np.roll(px[:, 1], -1)
        area = 0.5 * float(np.sum(px[:, 0] * ny - nx * px[:, 1]))  # outer rings run anticlockwise: area > 0
        perimeter = float(np.hypot(nx - px[:, 0], ny - px[:, 1]).sum())
        if area >= _MIN_AREA_PX and 2 * area / max(perimeter, 1e-12) >= _MIN_WIDTH_PX:
            parts.append(Path(poly, closed=True))
    return parts


def marked_points(codes: np.ndarray, k: int, x: np.ndarray, y: np.ndarray, parts: list,
                  step: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Grid points of outcome `k` to mark because no visible part of its region covers them: at most
    one per block of `step` grid points, so the markers do not pile up."""
    # Band by band of whole blocks (about a million grid points each), so that memory does not grow
    # with the grid; bands are disjoint and in row order, so the points come out as from the whole.
    band = step[0] * max(1, (1 << 20) // max(1, step[0] * codes.shape[1]))
    rows, cols = [], []
    for r0 in range(0, codes.shape[0], band):
        i, j = np.nonzero(codes[r0:r0 + band] == k)
        i += r0
        block = (i // step[0]) * (codes.shape[1] // step[1] + 1) + j // step[1]
        _, keep = np.unique(block, return_index=True)
        keep.sort()
        rows.append(i[keep])
        cols.append(j[keep])
    px, py = x[np.concatenate(rows)], y[np.concatenate(cols)]
    if parts and len(px):
        # points on the frame lie on their region's outline: test them a hair inside it
        ex, ey = 1e-9 * (x[-1] - x[0]), 1e-9 * (y[-1] - y[0])
        pts = np.column_stack([np.clip(px, x[0] + ex, x[-1] - ex), np.clip(py, y[0] + ey, y[-1] - ey)])
        covered = np.zeros(len(pts), dtype=bool)
        for part in parts:
            covered |= part.contains_points(pts)
        px, py = px[~covered], py[~covered]
    return px, py


def _paths(x, y, fields):
    """The filled region (zero and above) and the zero line of each field, as matplotlib Paths."""
    import contourpy
    from matplotlib.path import Path

    fills, lines = [], []
    for g in fields:
        gen = contourpy.contour_generator(x, y, g.T, fill_type=contourpy.FillType.ChunkCombinedCode,
                                          line_type=contourpy.LineType.ChunkCombinedCode)
        (pts,), (codes,) = gen.filled(0.0, 2.0)
        fills.append(Path(pts, codes) if pts is not None else None)
        (pts,), (codes,) = gen.lines(0.0)
        lines.append(Path(pts, codes) if pts is not None else None)
    return fills, lines


# --- drawing ------------------------------------------------------------------------------
def percent(share: float) -> str:
    """A share as a legend percentage: 64.4%, 25%, <0.1%, >99.9%."""
    if share <= 0:
        return "0%"
    if share < 0.001:
        return "<0.1%"
    if share > 0.999 and share < 1:
        return ">99.9%"
    return f"{100 * share:.1f}%".replace(".0%", "%")


def wrap_label(text: str, width: float = 72, measure: Callable[[str], float] = len) -> str:
    """`text` in lines at most `width` long as `measure` gives it (default: characters), broken after
    ' + ' where it can, else at spaces (a word longer than `width` stays whole)."""
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


def text_width(text: str, size: float) -> float:
    """The width in points of one line of `text` in the house font at `size` points."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    prop = FontProperties(family=str(style.RC["font.family"]), size=size)
    return TextToPath().get_text_width_height_descent(text, prop, ismath=False)[0]


def legend_text_width(handlelength: float, size: float = style.TEXT_SIZE) -> float:
    """The width in points left for label text in a legend anchored at the plot's left edge whose
    labels must end by its right edge (matplotlib's default legend paddings, in font sizes)."""
    return PLOT_W * 72 - (0.5 + 0.4 + handlelength + 0.8) * size


def outcome_name(label: str, names: Mapping[str, str]) -> str:
    """The legend text of an outcome: its name, and the label in brackets when they differ."""
    name = names.get(label) or label
    return name if name == label else f"{name} ({label})"


def legend_height(rows: int, extra_lines: int, *, row: float = 0.25) -> float:
    """Height in inches of a titled legend at the house font sizes: `rows` entries (patch handles
    1.3 font sizes tall unless `row` says otherwise) and `extra_lines` lines of wrapped labels."""
    return 0.3 + row * rows + 0.2 * extra_lines


def _draw(axis_labels, x, y, codes, outcomes, names, curves, title, legend_title="equilibrium outcome"):
    from matplotlib.colors import to_rgba
    from matplotlib.legend_handler import HandlerTuple
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, PathPatch, Rectangle
    from matplotlib.path import Path
    from matplotlib.patheffects import withStroke

    k_count = len(outcomes)
    px_w, px_h = PLOT_W * PNG_DPI, PLOT_H * PNG_DPI
    ix, iy = _thin_out(len(x), px_w), _thin_out(len(y), px_h)
    drawn = codes[np.ix_(ix, iy)]

    # Legend labels are wrapped to end by the plot's right edge, so they never widen the figure.
    texts = [outcome_name(o, names) for o in outcomes]
    cols = 1 if k_count == 1 or any(len(t) > 34 for t in texts) else 2
    if cols == 1:
        texts = [_wrap_legend(t, 2.4) for t in texts]
        outcome_h = legend_height(len(texts), sum(t.count("\n") for t in texts))
    else:
        outcome_h = legend_height(math.ceil(k_count / 2), 0)
    curve_texts = [_wrap_legend(label if Path(np.column_stack([ox, oy])).intersects_bbox(_bbox(x, y), filled=False)
                                else f"{label} (outside this range)", 3.2) for ox, oy, label in curves]
    overlay_h = legend_height(len(curves), sum(t.count("\n") for t in curve_texts), row=0.23) if curves else 0.0
    top = 0.75 if title else 0.3
    x_label, y_label = axis_labels
    line_in = (style.LABEL_SIZE + 1) * 1.25 / 72  # one more line of an axis label
    axis_zone = _AXIS_ZONE + line_in * x_label.count("\n")
    left = LEFT + line_in * y_label.count("\n")
    below = axis_zone + outcome_h + (0.15 + overlay_h if curves else 0) + 0.1
    width, height = left + PLOT_W + RIGHT, top + PLOT_H + below
    fig = style.new_figure(width, height)
    ax = fig.add_axes((left / width, below / height, PLOT_W / width, PLOT_H / height))
    ax.set_xlim(x[0], x[-1])
    ax.set_ylim(y[0], y[-1])

    xs, ys = x[ix], y[iy]
    edge = to_rgba(style.INK, 0.35)
    to_px = (px_w / (x[-1] - x[0]), px_h / (y[-1] - y[0]))
    marker_px = _MARKER_PT / 72 * PNG_DPI
    step = (max(1, math.ceil(1.4 * marker_px / (px_w / max(1, len(x) - 1)))),
            max(1, math.ceil(1.4 * marker_px / (px_h / max(1, len(y) - 1)))))
    if k_count == 1:
        fills, lines, has_area = [None], [None], [True]
        marks = [(np.zeros(0), np.zeros(0))]
        color, hatch = style.regime_style(0)
        ax.add_patch(Rectangle((x[0], y[0]), x[-1] - x[0], y[-1] - y[0], fc=to_rgba(color, FILL_ALPHA), ec=edge,
                               lw=0, hatch=hatch, zorder=0, gid=style.gid(REGIME_GID, 0, outcomes[0])))
    else:
        # Smooth over about a sixth of a drawn cell (at most 2 grid steps), unless cells are tiny.
        cell = (px_w / max(1, len(ix) - 1), px_h / max(1, len(iy) - 1))
        sigma = tuple(min(2.0, max(0.5, c / 6.0)) for c in cell) if max(cell) >= _SMOOTH_PX else None
        refine = tuple(max(1, math.ceil(c / _FINE_PX)) for c in cell)
        fields = side_fields(drawn, k_count, sigma, refine)
        fills, lines = _paths(refined_axis(xs, refine[0]), refined_axis(ys, refine[1]), fields)
        parts = [visible_parts(path, to_px) for path in fills]
        has_area = [bool(p) for p in parts]
        # Grid points in pieces of a region too small or thin to see as areas are marked with points.
        marks = [marked_points(codes, k, x, y, parts[k], step) for k in range(k_count)]
    for k, path in enumerate(fills):
        if path is None:
            continue
        color, hatch = style.regime_style(k)
        ax.add_artist(PathPatch(path, fc=to_rgba(color, FILL_ALPHA), ec=edge, lw=0, hatch=hatch, zorder=0,
                                gid=style.gid(REGIME_GID, k, outcomes[k])))
    # Each boundary is the zero line of both regions it separates: the last region's lines are all
    # drawn by its neighbours already.
    segs = [p for p in lines[:-1] if p is not None]
    if segs:
        ax.add_artist(PathPatch(Path.make_compound_path(*segs), fc="none", ec=style.INK, lw=0.9, zorder=2,
                                capstyle="round", joinstyle="round", gid=BOUNDARY_GID))
    for k, (mx, my) in enumerate(marks):
        if len(mx):
            ax.plot(mx, my, ls="none", **_marker(k), zorder=5, clip_on=False, gid=style.gid(MARKS_GID, k, outcomes[k]))

    overlay_handles = []
    for k, (ox, oy, label) in enumerate(curves):
        dash = OVERLAY_DASHES[k % len(OVERLAY_DASHES)]
        halo = [withStroke(linewidth=4.6, foreground="white")]
        ax.plot(ox, oy, color="black", lw=2.0, ls=dash, zorder=4, path_effects=halo,
                gid=style.gid(OVERLAY_GID, k, label))
        overlay_handles.append(Line2D([], [], color="black", lw=2.0, ls=dash, path_effects=halo, label=curve_texts[k]))

    ax.set_xlabel(x_label, fontsize=style.LABEL_SIZE + 1, linespacing=1.25)
    ax.set_ylabel(y_label, fontsize=style.LABEL_SIZE + 1, linespacing=1.25)
    ax.tick_params(labelsize=style.TEXT_SIZE + 1, direction="out")

    handles = []
    for k in range(k_count):
        color, hatch = style.regime_style(k)
        patch = Patch(fc=to_rgba(color, FILL_ALPHA), ec=edge, hatch=hatch, label=texts[k])
        point = Line2D([], [], ls="none", **_marker(k), label=texts[k])
        handles.append(point if not has_area[k] else (patch, point) if len(marks[k][0]) else patch)
    y_top = below - axis_zone
    fig.legend(handles=handles, labels=texts, handler_map={tuple: HandlerTuple(ndivide=None, pad=0.3)},
               title=legend_title, loc="upper left",
               ncol=cols, bbox_to_anchor=(left / width, y_top / height), frameon=False, fontsize=style.TEXT_SIZE,
               title_fontsize=style.TEXT_SIZE + 1, alignment="left", handlelength=2.4, handleheight=1.3,
               columnspacing=1.5)
    if curves:
        y_top -= outcome_h + 0.15
        fig.legend(handles=overlay_handles, title="curves drawn on top", loc="upper left",
                   bbox_to_anchor=(left / width, y_top / height), frameon=False, fontsize=style.TEXT_SIZE,
                   title_fontsize=style.TEXT_SIZE + 1, alignment="left", handlelength=3.2)
    if title:
        fig.text(left / width, 1 - 0.15 / height, title, ha="left", va="top", fontsize=style.TITLE_SIZE,
                 fontweight="bold", color=style.INK)
    return fig


def _wrap_legend(text: str, handlelength: float) -> str:
    """A legend label wrapped to end by the plot's right edge (see `legend_text_width`)."""
    return wrap_label(text, legend_text_width(handlelength), lambda t: text_width(t, style.TEXT_SIZE))


def _marker(k: int) -> dict:
    """Marker settings of the points marking outcome k."""
    return dict(marker=REGION_MARKERS[k % len(REGION_MARKERS)], ms=_MARKER_PT, mfc=style.regime_style(k)[0],
                mec=style.INK, mew=0.8)


def _bbox(x, y):
    from matplotlib.transforms import Bbox

    return Bbox([[x[0], y[0]], [x[-1], y[-1]]])
