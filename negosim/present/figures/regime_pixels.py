"""The regime map's work per pixel, for the PNG painter (`regime_png`): which region each pixel of the plot
shows, its colour under its region's hatch, and a colour composited over pixels by their cover.

These touch every pixel of the plot (a million at 150 dpi), so each is written as a few whole-array numpy
operations: gathers by flat index (`np.take`), table lookups in 4-byte words, and blending only the
pixels a stroke covers. Where the compiled kernel ``negosim.native._regime_paint`` is built, `paint_regions`
and `blend` run it instead: the same arithmetic pixel by pixel, in one pass and with no temporary array the
size of the plot (in a fresh process, touching fresh memory costs about a millisecond a megabyte), giving
the same bytes (``NEGOSIM_NATIVE=0`` takes the numpy path; the tests compare both).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ...native import load

if TYPE_CHECKING:
    from .regime_content import RegimeMapContent


def blend(part: np.ndarray, color: np.ndarray, cover: np.ndarray) -> None:
    """Paint `color` (float32 in [0, 1]) over the 8-bit pixels `part` (h, w, 3) in place, each pixel by its
    float32 `cover` (at least h by w): rint(p + (255 * color - p) * cover), in float32.

    Examples
    --------
    >>> part = np.full((1, 2, 3), 255, dtype=np.uint8)
    >>> blend(part, np.zeros(3, np.float32), np.array([[0.5, 0.0]], np.float32))
    >>> part[0, :, 0].tolist()
    [128, 255]
    """
    if part.size == 0:
        return
    cover = cover[:part.shape[0], :part.shape[1]]
    native = load("regime_paint")
    if native is not None and _native_pixels(part) and color.dtype == np.float32 and cover.dtype == np.float32:
        native.blend(part, np.ascontiguousarray(color), np.ascontiguousarray(cover), 0, 1.0)
        return
    at = np.nonzero(cover)
    if 4 * len(at[0]) < cover.size:  # a stroke's box is mostly bare: blend only the pixels it covers
        some = part[at]
        part[at] = np.rint(some + (color * 255 - some) * cover[at][:, None]).astype(np.uint8)
        return
    mixed = part + (color * 255 - part) * cover[:, :, None]
    part[:] = np.rint(mixed).astype(np.uint8)


def blend_levels(part: np.ndarray, color: np.ndarray, levels: np.ndarray, scale: float, divide: bool) -> None:
    """`blend` by the cover of 8-bit `levels` (a layer Pillow drew): ``levels / scale`` with `divide`, else
    ``levels * float32(scale)``, in float32 (the kernel turns each level into a cover as it blends, with no
    float32 copy of the layer).

    Examples
    --------
    >>> part = np.full((1, 2, 3), 255, dtype=np.uint8)
    >>> blend_levels(part, np.zeros(3, np.float32), np.array([[255, 51]], np.uint8), 255, divide=True)
    >>> part[0, :, 0].tolist()
    [0, 204]
    """
    if part.size == 0:
        return
    levels = levels[:part.shape[0], :part.shape[1]]
    native = load("regime_paint")
    if native is not None and _native_pixels(part) and color.dtype == np.float32 and levels.dtype == np.uint8:
        native.blend(part, np.ascontiguousarray(color), np.ascontiguousarray(levels), 1 if divide else 2, scale)
        return
    cover = np.asarray(levels, dtype=np.float32)
    blend(part, color, cover / scale if divide else cover * np.float32(scale))


def _native_pixels(part: np.ndarray) -> bool:
    """Whether the kernel can paint `part` in place: (h, w, 3) uint8 with contiguous pixels, rows anywhere."""
    return (part.dtype == np.uint8 and part.ndim == 3 and part.shape[2] == 3 and part.strides[1:] == (3, 1)
            and part.strides[0] >= 0)


def paint_regions(canvas: np.ndarray, left: int, top: int, w: int, h: int, c: RegimeMapContent,
                  colours: np.ndarray, ink: np.ndarray, tiles: np.ndarray) -> None:
    """Paint the plot, h rows by w columns of `canvas` from (`left`, `top`): each pixel in its region's colour
    in `colours` (k, 3) under that region's hatch, whose shades (0-255 of `ink`) repeat the (k, n, n) `tiles`
    from the plot's top left (zeros for a region without hatch). The region at a pixel is `region_index`'s.

    Examples
    --------
    >>> from negosim.present.figures.regime_content import regime_map_content
    >>> x, y = np.linspace(0, 1, 5), np.linspace(0, 1, 4)
    >>> content = regime_map_content("p", x, "c", y, np.where(x[:, None] > 0.5 + 0 * y, "war", "peace"))
    >>> canvas = np.zeros((4, 6, 3), np.uint8)
    >>> colours = np.array([[1.0, 1.0, 1.0], [0.0, 0.0, 0.0]], np.float32)
    >>> paint_regions(canvas, 1, 1, 4, 2, content, colours, colours[1], np.zeros((2, 3, 3), np.uint8))
    >>> canvas[1, :, 0].tolist()  # peace (white) on the left half, war (black) on the right
    [0, 255, 255, 0, 0, 0]
    """
    k = len(colours)
    table = colour_table(colours, ink)
    if c.field_grid is None:
        best, fields = np.zeros((2, 2), dtype=np.int16), None
        i, s, j, t = np.zeros(w, np.intp), np.zeros(w, np.float32), np.zeros(h, np.intp), np.zeros(h, np.float32)
    else:
        _, _, fields, best = c.field_grid
        i, s, j, t = pixel_cells(c, w, h)
    native = load("regime_paint")
    plot = canvas[top:top + h, left:left + w]
    if native is not None and canvas.flags.c_contiguous and _native_pixels(canvas) and plot.shape[:2] == (h, w):
        native.regions(canvas, canvas.shape[1], canvas.shape[0], left, top, w, h,
                       np.ascontiguousarray(best, dtype=np.int16), best.shape[0], best.shape[1],
                       None if fields is None else np.ascontiguousarray(
                           fields, dtype=np.int8 if fields.dtype == np.int8 else np.float32), k,
                       i.astype(np.int64), s, j.astype(np.int64), t, np.ascontiguousarray(tiles, dtype=np.uint8),
                       tiles.shape[1], table)
        return
    index = np.zeros((h, w), dtype=np.intp) if c.field_grid is None else region_index(c, w, h)
    # A pixel's colour is its region's fill under that region's hatch, the hatch's cover quantised to
    # 8 bits: one table lookup per pixel (the plot is a million pixels).
    shade = np.zeros((h, w), dtype=np.uint8)
    n = tiles.shape[1]
    for r in range(k):
        here = None if k == 1 else index == r
        if tiles[r].any() and (here is None or here.any()):
            tile = np.tile(tiles[r], (-(-h // n), -(-w // n)))[:h, :w]
            shade = tile if here is None else np.where(here, tile, shade)
    plot[:] = _lookup(table, index, shade)


def pixel_cells(c: RegimeMapContent, w: int, h: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For the plot's w columns and h rows (from the top): the grid cell of `c.field_grid` left of (below)
    each pixel centre and the weight of its right (upper) neighbour, as (i, s, j, t)."""
    assert c.field_grid is not None
    gx, gy, _, _ = c.field_grid
    (a, b), (lo, hi) = c.x_lim, c.y_lim
    i, s = _linear(gx, a + (np.arange(w) + 0.5) / w * (b - a))
    j, t = _linear(gy, hi - (np.arange(h) + 0.5) / h * (hi - lo))  # rows run down
    return i, s, j, t


def region_index(c: RegimeMapContent, w: int, h: int) -> np.ndarray:
    """The region at each pixel of the plot (h rows from the top, w columns): the outcome whose field,
    interpolated bilinearly at the pixel's centre, is largest. Where the four grid points around a pixel
    agree, that is their outcome (fields are compared only in the cells a boundary crosses)."""
    assert c.field_grid is not None
    _, _, fields, best = c.field_grid
    i, s, j, t = pixel_cells(c, w, h)
    mixed = ((best[:-1, :-1] != best[1:, :-1]) | (best[:-1, :-1] != best[:-1, 1:])
             | (best[:-1, :-1] != best[1:, 1:]))
    # gathered by flat index with np.take: several times faster than indexing with two index arrays
    ny = best.shape[1]
    index = np.take(best, ((i + (s >= 0.5)) * ny)[None, :] + (j + (t >= 0.5))[:, None])  # the nearest grid point's
    rows, cols = np.nonzero(np.take(mixed, (i * (ny - 1))[None, :] + j[:, None]))
    if len(rows):
        ii, jj, ss, tt = i[cols], j[rows], s[cols], t[rows]
        at = (fields[:, ii, jj] * (1 - ss) * (1 - tt) + fields[:, ii + 1, jj] * ss * (1 - tt)
              + fields[:, ii, jj + 1] * (1 - ss) * tt + fields[:, ii + 1, jj + 1] * ss * tt)
        index[rows, cols] = np.argmax(at, axis=0)
    return index


def _linear(grid: np.ndarray, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Left neighbours in the ascending `grid` of the values `at`, and the weights of the right ones."""
    i = np.clip(np.searchsorted(grid, at) - 1, 0, len(grid) - 2)
    t = np.clip((at - grid[i]) / (grid[i + 1] - grid[i]), 0, 1)
    return i, t.astype(np.float32)


def region_colours(colours: np.ndarray, ink: np.ndarray, index: np.ndarray, shade: np.ndarray) -> np.ndarray:
    """The (h, w, 3) 8-bit colours of the plot's pixels: pixel (r, c) shows region `index[r, c]`'s colour in
    `colours` (k, 3) mixed with `ink` by its hatch's cover `shade[r, c]` (0-255).

    One lookup per pixel in a table of (k * 256) colours packed in 4-byte words: a gather of words is several
    times faster than one of 3-byte rows, and gives the same bytes.

    Examples
    --------
    >>> colours, ink = np.array([[1.0, 1.0, 1.0], [0.0, 0.5, 1.0]]), np.zeros(3)
    >>> region_colours(colours, ink, np.array([[0, 1]]), np.array([[0, 255]], dtype=np.uint8)).tolist()
    [[[255, 255, 255], [0, 0, 0]]]
    """
    return _lookup(colour_table(colours, ink), index, shade)


def colour_table(colours: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """The (k * 256, 3) 8-bit colours of region r (of `colours` (k, 3)) under `ink` at cover level l / 255, at
    row r * 256 + l.

    Examples
    --------
    >>> colour_table(np.array([[1.0, 1.0, 1.0]], np.float32), np.zeros(3, np.float32))[[0, 255]].tolist()
    [[255, 255, 255], [0, 0, 0]]
    """
    level = np.arange(256, dtype=np.float32)[None, :, None] / 255
    table = colours[:, None, :] + (ink - colours[:, None, :]) * level  # (k, 256, 3)
    return np.rint(table * 255).astype(np.uint8).reshape(-1, 3)


def _lookup(table: np.ndarray, index: np.ndarray, shade: np.ndarray) -> np.ndarray:
    # one lookup per pixel in 4-byte words: a gather of words is several times faster than one of 3-byte rows
    packed = np.zeros((len(table), 4), dtype=np.uint8)
    packed[:, :3] = table
    words = np.take(packed.view(np.uint32)[:, 0], index.astype(np.intp) * 256 + shade)
    return words.view(np.uint8).reshape(*index.shape, 4)[:, :, :3]


def without_straight_vertices(line: np.ndarray) -> np.ndarray:
    """The (m, 2) polyline `line` without the vertices in the middle of a straight run (the turn there exactly
    zero): the same line, with fewer vertices for Pillow to join one by one in Python (a contour of a straight
    boundary on a fine grid has a vertex per grid cell).

    Examples
    --------
    >>> without_straight_vertices(np.array([[0.0, 0], [1, 0], [2, 0], [2, 1], [2, 2], [2, 1]])).tolist()
    [[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [2.0, 1.0]]
    """
    if len(line) < 3:
        return line
    d0, d1 = line[1:-1] - line[:-2], line[2:] - line[1:-1]
    straight = (d0[:, 0] * d1[:, 1] == d0[:, 1] * d1[:, 0]) & ((d0 * d1).sum(axis=1) > 0)
    return line[np.concatenate([[True], ~straight, [True]])]
