"""The geometry of the regime map, in numpy and contourpy only (no matplotlib): which grid values
to contour, the smoothed fields whose zero contours are the regions' outlines, those outlines, the
pieces of a region large enough to read as areas, and the grid points to mark where a region is too
small or thin to see. Both painters of the map (matplotlib and Pillow) draw what these compute.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

MIN_AREA_PX = 64.0  # a region drawn on fewer square pixels than this is marked with points too,
MIN_WIDTH_PX = 3.0  # and so is one thinner than this on average
SMOOTH_PX = 1.8  # grid cells smaller than this (in pixels) are contoured as they are
FINE_PX = 3.0  # regions are compared on a grid at least this fine (in pixels)
_SIDE = 1e-3  # how far inside its own side a grid point is pushed before contouring

#: A filled region: its polygons, each a (points, offsets) pair of rings (outer ring first, then its holes;
#: each ring closed, its last point equal to its first), as contourpy's OuterOffset fill type gives them.
Fill = list[tuple[np.ndarray, np.ndarray]]


def thin_out(n: int, pixels: float) -> np.ndarray:
    """Indices of the grid values to contour: all of them unless there are more than one per pixel."""
    if n <= pixels + 1:
        return np.arange(n)
    at = np.round(np.linspace(0, n - 1, int(pixels) + 1)).astype(int)  # ascending: drop repeats of the one before
    return at[np.concatenate(([True], at[1:] != at[:-1]))]  # (not np.unique, whose first call imports numpy.ma)


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
    boundary meeting the frame at a slant keeps its slope up to it.

    Parameters
    ----------
    fields : numpy.ndarray
        The (k, nx, ny) fields, one per outcome (its indicator on the grid).
    sigma : tuple of float
        The Gaussian weights' widths along x and y, in grid steps.

    Returns
    -------
    numpy.ndarray
        The smoothed fields, (k, nx, ny); a field linear in the grid indices comes back unchanged.

    Examples
    --------
    >>> i = np.arange(6.0)[:, None] * np.ones(5)
    >>> bool(np.allclose(local_linear(np.stack([2 * i + 1]), (1.0, 1.0)), 2 * i + 1))
    True
    >>> step = np.stack([(i >= 3).astype(float)])  # outcome 0 from the fourth row on
    >>> local_linear(step, (1.0, 1.0))[0, :, 0].round(2).tolist()
    [-0.01, 0.04, 0.3, 0.7, 0.96, 1.01]
    """
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
    """Grid values `v` with f - 1 evenly spaced values inserted between neighbours.

    The axis of the finer grid `side_fields` compares the outcomes on (with the same `f`).

    Parameters
    ----------
    v : numpy.ndarray
        Ascending grid values, (n,).
    f : int
        How many times finer (1: `v` as it is).

    Returns
    -------
    numpy.ndarray
        The (f * (n - 1) + 1,) values, every f-th one a value of `v`.

    Examples
    --------
    >>> refined_axis(np.array([0.0, 1.0, 3.0]), 2).tolist()
    [0.0, 0.5, 1.0, 2.0, 3.0]
    """
    return _refine(v[:, None], f, 0)[:, 0]


def side_fields(codes: np.ndarray, k_count: int, sigma: tuple[float, float] | None = None,
                refine: tuple[int, int] = (1, 1)) -> np.ndarray:
    """For each outcome k, a field positive on its grid points and negative elsewhere, whose zero
    contour is that region's boundary: the indicator of k, smoothed by `local_linear` with
    `sigma` (None: not smoothed), minus the largest such indicator of any other outcome, with
    every grid point kept on its own side.

    With `refine` (fx, fy) above 1 the indicators are interpolated onto a grid that many times
    finer before they are compared, so the regions tile the map even where three meet in one cell.

    Parameters
    ----------
    codes : numpy.ndarray
        The (nx, ny) outcome index at each grid point, 0 to `k_count` - 1.
    k_count : int
        The number of outcomes.
    sigma : tuple of float, optional
        The smoothing widths along x and y, in grid steps (None: the indicators as they are).
    refine : tuple of int, default (1, 1)
        How many times finer along x and y the fields are computed (see `refined_axis`).

    Returns
    -------
    numpy.ndarray
        The fields, (k_count, fx * (nx - 1) + 1, fy * (ny - 1) + 1): float32, or int8 (+1 and -1, the same
        values) when neither smoothed nor refined.

    Examples
    --------
    >>> codes = np.array([[0, 0, 0], [0, 0, 1], [1, 1, 1]])
    >>> (side_fields(codes, 2)[0] > 0).astype(int).tolist()
    [[1, 1, 1], [1, 1, 0], [0, 0, 0]]
    >>> fields = side_fields(codes, 2, sigma=(1.0, 1.0), refine=(2, 2))
    >>> fields.shape, bool(np.all((fields[0, ::2, ::2] > 0) == (codes == 0)))
    ((2, 5, 5), True)
    """
    own = np.stack([codes == k for k in range(k_count)])
    if sigma is None and tuple(refine) == (1, 1):  # contour the indicators as they are: +1 on k's points, else -1
        signs = own.view(np.int8)  # in place, one byte a point (float32 took four: 8 MB more for the sweep's map)
        signs *= 2
        signs -= 1
        return signs
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


def outer_rings(fill: Fill | None) -> list[np.ndarray]:
    """The outer ring of each polygon of a filled region, as (m, 2) arrays."""
    return [pts[offs[0]:offs[1]] for pts, offs in (fill or [])]


def visible_parts(fill: Fill | None, to_px: tuple[float, float]) -> list[np.ndarray]:
    """The pieces of a filled region that read as areas, as closed rings: outer rings of at least
    `MIN_AREA_PX` square pixels that are on average `MIN_WIDTH_PX` wide (twice the area over the
    perimeter). `to_px` scales data units to pixels. Holes are ignored.

    A region with no visible part is marked on its grid points instead (`marked_points`), so no
    outcome on the grid goes unseen.

    Parameters
    ----------
    fill : Fill or None
        The region's polygons, as `contours` gives them (None: no region).
    to_px : tuple of float
        Pixels per data unit along x and y.

    Returns
    -------
    list of numpy.ndarray
        The outer rings, (m, 2) each, of the pieces that read as areas.

    Examples
    --------
    >>> square = np.array([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]], dtype=float)
    >>> fill = [(square, np.array([0, 5]))]
    >>> len(visible_parts(fill, (100, 100))), len(visible_parts(fill, (5, 5))), len(visible_parts(fill, (100, 1)))
    (1, 0, 0)
    """
    parts = []
    for poly in outer_rings(fill):
        px = poly * np.asarray(to_px)
        nx, ny = np.roll(px[:, 0], -1), np.roll(px[:, 1], -1)
        area = abs(0.5 * float(np.sum(px[:, 0] * ny - nx * px[:, 1])))
        perimeter = float(np.hypot(nx - px[:, 0], ny - px[:, 1]).sum())
        if area >= MIN_AREA_PX and 2 * area / max(perimeter, 1e-12) >= MIN_WIDTH_PX:
            parts.append(poly)
    return parts


def inside_ring(points: np.ndarray, ring: np.ndarray) -> np.ndarray:
    """Which of the (n, 2) `points` lie inside the closed `ring` (even-odd rule; a point exactly on the
    outline may fall either way).

    Examples
    --------
    >>> square = np.array([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]], float)
    >>> inside_ring(np.array([[0.5, 0.5], [1.5, 0.5]]), square).tolist()
    [True, False]
    """
    inside = np.zeros(len(points), dtype=bool)
    ring = _without_straight_runs(ring)
    a, b = ring[:-1], ring[1:]
    for s in range(0, len(points), 256):  # (256, edges) at a time: memory bounded by the ring
        px, py = points[s:s + 256, :1], points[s:s + 256, 1:]
        crosses = (a[:, 1] > py) != (b[:, 1] > py)
        with np.errstate(divide="ignore", invalid="ignore"):
            at_x = a[:, 0] + (py - a[:, 1]) * (b[:, 0] - a[:, 0]) / (b[:, 1] - a[:, 1])
        inside[s:s + 256] = (np.count_nonzero(crosses & (px < at_x), axis=1) % 2) == 1
    return inside


def in_blocks(codes: np.ndarray, step: tuple[int, int]) -> np.ndarray:
    """`codes` cut into blocks of `step` grid points: (block rows, block columns, points), each block's points
    in row-major order, -1 past the grid's edge (so equal to no outcome).

    Examples
    --------
    >>> in_blocks(np.array([[0, 1, 1], [1, 0, 1]]), (2, 2))[0].tolist()
    [[0, 1, 1, 0], [1, -1, 1, -1]]
    """
    (h, w), (sx, sy) = codes.shape, step
    nb_r, nb_c = -(-h // sx), -(-w // sy)
    if (nb_r * sx, nb_c * sy) != (h, w):
        padded = np.full((nb_r * sx, nb_c * sy), -1, dtype=np.result_type(codes.dtype, np.int8))
        padded[:h, :w] = codes
        codes = padded
    return codes.reshape(nb_r, sx, nb_c, sy).transpose(0, 2, 1, 3).reshape(nb_r, nb_c, sx * sy)


def first_in_blocks(codes: np.ndarray, k: int, step: tuple[int, int],
                    blocks: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The first grid point (in row-major order) equal to `k` in each block of `step` grid points that
    has one, as (rows, columns) in row-major order; blocks start at row and column 0. `blocks`, the codes
    as `in_blocks` cuts them, saves cutting them again for each outcome.

    Examples
    --------
    >>> first_in_blocks(np.array([[0, 1, 1], [1, 0, 1]]), 1, (2, 2))
    (array([0, 0]), array([1, 2]))
    """
    (h, w), (sx, sy) = codes.shape, step
    nb_r, nb_c = -(-h // sx), -(-w // sy)
    if blocks is None:
        hit = np.zeros((nb_r * sx, nb_c * sy), dtype=bool)
        hit[:h, :w] = codes == k
        hits = hit.reshape(nb_r, sx, nb_c, sy).transpose(0, 2, 1, 3).reshape(nb_r, nb_c, sx * sy)
    else:
        hits = blocks == k
    first = hits.argmax(axis=2)  # 0 where a block has none: told apart below
    bi, bj = np.nonzero(hits[np.arange(nb_r)[:, None], np.arange(nb_c)[None, :], first])
    f = first[bi, bj]
    i, j = bi * sx + f // sy, bj * sy + f % sy
    order = np.argsort(i * w + j, kind="stable")
    return i[order], j[order]


def marked_points(codes: np.ndarray, k: int, x: np.ndarray, y: np.ndarray, parts: list,
                  step: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Grid points of outcome `k` to mark because no visible part of its region covers them: at most
    one per block of `step` grid points, so the markers do not pile up."""
    return marked_points_each(codes, [k], x, y, [parts], step)[0]


def marked_points_each(codes: np.ndarray, outcomes: list[int], x: np.ndarray, y: np.ndarray, parts: list[list],
                       step: tuple[int, int]) -> list[tuple[np.ndarray, np.ndarray]]:
    """`marked_points` of each of `outcomes` (with its visible `parts`), the grid cut into blocks once for all.

    Examples
    --------
    >>> codes = np.array([[0, 0, 1], [0, 0, 0]])
    >>> [(px.tolist(), py.tolist()) for px, py in marked_points_each(codes, [0, 1], np.arange(2.0),
    ...                                                               np.arange(3.0), [[], []], (1, 2))]
    [([0.0, 1.0, 1.0], [0.0, 0.0, 2.0]), ([0.0], [2.0])]
    """
    # Band by band of whole blocks (about a million grid points each), so that memory does not grow
    # with the grid; bands are disjoint and in row order, so the points come out as from the whole.
    band = step[0] * max(1, (1 << 20) // max(1, step[0] * codes.shape[1]))
    rows: list[list[np.ndarray]] = [[] for _ in outcomes]
    cols: list[list[np.ndarray]] = [[] for _ in outcomes]
    for r0 in range(0, codes.shape[0], band):
        part = codes[r0:r0 + band]
        blocks = in_blocks(part, step)
        for n, k in enumerate(outcomes):
            i, j = first_in_blocks(part, k, step, blocks)
            rows[n].append(i + r0)
            cols[n].append(j)
    marks = []
    for n in range(len(outcomes)):
        px, py = x[np.concatenate(rows[n])], y[np.concatenate(cols[n])]
        if parts[n] and len(px):
            # points on the frame lie on their region's outline: test them a hair inside it
            ex, ey = 1e-9 * (x[-1] - x[0]), 1e-9 * (y[-1] - y[0])
            pts = np.column_stack([np.clip(px, x[0] + ex, x[-1] - ex), np.clip(py, y[0] + ey, y[-1] - ey)])
            covered = np.zeros(len(pts), dtype=bool)
            for ring in parts[n]:
                covered |= inside_ring(pts, ring)
            px, py = px[~covered], py[~covered]
        marks.append((px, py))
    return marks


def _without_straight_runs(ring: np.ndarray) -> np.ndarray:
    """The closed `ring` without the vertices in the middle of straight runs (contours of a straight
    boundary have one per grid cell), which cannot change what lies inside it."""
    if len(ring) < 5:
        return ring
    prev, here, nxt = np.roll(ring[:-1], 1, axis=0), ring[:-1], np.roll(ring[:-1], -1, axis=0)
    cross = (here[:, 0] - prev[:, 0]) * (nxt[:, 1] - here[:, 1]) - (here[:, 1] - prev[:, 1]) * (nxt[:, 0] - here[:, 0])
    scale = np.hypot(*(here - prev).T) * np.hypot(*(nxt - here).T)
    keep = np.abs(cross) > 1e-12 * np.maximum(scale, 1e-300)
    if keep.sum() < 3:
        return ring
    kept = here[keep]
    return np.vstack([kept, kept[:1]])


def contours(x: np.ndarray, y: np.ndarray, fields: np.ndarray,
             last_lines: bool = True) -> tuple[list[Fill | None], list[list[np.ndarray]]]:
    """The filled region (zero and above) and the zero lines (polylines, a closed one ending where it
    starts) of each field on the grid `x` by `y`; without `last_lines`, the last field's lines are not
    traced (an empty list: the regime map draws each boundary from the regions before it)."""
    fills: list[Fill | None] = []
    lines: list[list[np.ndarray]] = []
    # The (nx, ny) fields are contoured as they lie, x down the rows (contourpy's z is (ny, nx), so its
    # "x" is our y): no transposed copy; the points' columns are swapped back. Each field is contoured
    # only over the box of its non-negative points and one cell around it: outside, every cell's corners
    # are negative, so nothing there is filled or crossed, and a region covering a third of the map
    # costs a third of the grid.
    boxes = [_box(g) for g in fields]
    # The grid's coordinates and the field, as contourpy wants them (float64, (rows, columns) of the box), are
    # written into one scratch buffer reused from field to field: in a fresh process, every megabyte of
    # fresh memory costs about a millisecond of page faults.
    largest = max(((r1 - r0) * (c1 - c0) for r0, r1, c0, c1 in filter(None, boxes)), default=0)
    scratch = np.empty((3, largest))
    for k, (g, box) in enumerate(zip(fields, boxes)):
        if box is None:
            fills.append(None)
            lines.append([])
            continue
        r0, r1, c0, c1 = box
        my, mx, z = (scratch[q, :(r1 - r0) * (c1 - c0)].reshape(r1 - r0, c1 - c0) for q in range(3))
        np.copyto(my, y[None, c0:c1])
        np.copyto(mx, x[r0:r1, None])
        np.copyto(z, g[r0:r1, c0:c1])
        gen = _serial_generator(my, mx, z)
        filled: Any = gen.filled(0.0, 2.0)  # OuterOffset: (list of points, list of ring offsets)
        fills.append([(pts[:, ::-1], offs) for pts, offs in zip(filled[0], filled[1])] or None)
        wanted = last_lines or k < len(fields) - 1
        lines.append([np.asarray(seg)[:, ::-1] for seg in gen.lines(0.0)] if wanted else [])
    return fills, lines


def _box(g: np.ndarray) -> tuple[int, int, int, int] | None:
    """The rows r0:r1 and columns c0:c1 of the field `g` around its non-negative points and one more
    around them (at least two each, as contourpy needs), or None when it has none."""
    nonneg = g >= 0
    rows, cols = np.flatnonzero(nonneg.any(axis=1)), np.flatnonzero(nonneg.any(axis=0))
    if not len(rows):
        return None
    r0, r1 = max(0, int(rows[0]) - 1), min(g.shape[0], int(rows[-1]) + 2)
    c0, c1 = max(0, int(cols[0]) - 1), min(g.shape[1], int(cols[-1]) + 2)
    if r1 - r0 < 2 or c1 - c0 < 2:  # contourpy needs two points along each axis
        r0, r1 = (max(0, r1 - 2), max(r1, 2)) if r1 - r0 < 2 else (r0, r1)
        c0, c1 = (max(0, c1 - 2), max(c1, 2)) if c1 - c0 < 2 else (c0, c1)
    return r0, r1, c0, c1


def _serial_generator(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> Any:
    """contourpy's serial contour generator of the finite (ny, nx) `z` on the 2-D grid `x`, `y`, with OuterOffset
    fills and Separate lines, built as `contourpy.contour_generator` builds it with those arguments but
    without its search for masked and invalid values: that goes through numpy.ma (imported on first use,
    20-40 ms) and scans each million-point field, while these fields are always finite."""
    import contourpy
    from contourpy.chunk import calc_chunk_sizes

    cls: Any = contourpy.SerialContourGenerator  # its stubs want a mask array; None (no mask) is what contourpy passes
    y_chunk, x_chunk = calc_chunk_sizes(None, None, None, *z.shape)
    kwargs: dict[str, Any] = {"x_chunk_size": x_chunk, "y_chunk_size": y_chunk,
                              "line_type": contourpy.LineType.Separate, "fill_type": contourpy.FillType.OuterOffset}
    if cls.supports_corner_mask():
        kwargs["corner_mask"] = True
    if cls.supports_quad_as_tri():
        kwargs["quad_as_tri"] = False
    if cls.supports_z_interp():
        kwargs["z_interp"] = contourpy.ZInterp.Linear
    return cls(x, y, z, None, **kwargs)


def crosses_box(x: np.ndarray, y: np.ndarray, box: tuple[float, float, float, float]) -> bool:
    """Whether the polyline through (`x`, `y`) passes through the box (x0, y0, x1, y1), edges included.

    Examples
    --------
    >>> crosses_box(np.array([-1.0, 2.0]), np.array([0.5, 0.5]), (0, 0, 1, 1))
    True
    >>> crosses_box(np.array([2.0, 3.0]), np.array([2.0, 3.0]), (0, 0, 1, 1))
    False
    """
    x0, y0, x1, y1 = box
    ax, ay, dx, dy = x[:-1], y[:-1], np.diff(x), np.diff(y)
    lo, hi = np.zeros(len(ax)), np.ones(len(ax))
    ok = np.ones(len(ax), dtype=bool)
    for p, q in ((-dx, ax - x0), (dx, x1 - ax), (-dy, ay - y0), (dy, y1 - ay)):  # Liang-Barsky clipping
        para = p == 0
        ok &= ~(para & (q < 0))
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.where(para, 0.0, q / np.where(para, 1.0, p))
        lo = np.where(~para & (p < 0), np.maximum(lo, t), lo)
        hi = np.where(~para & (p > 0), np.minimum(hi, t), hi)
    return bool(np.any(ok & (lo <= hi)))
