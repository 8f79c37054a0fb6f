"""The regime map's work per pixel, for the PNG painter (`regime_png`): which region each pixel of the plot
shows, its colour under its region's hatch, and a colour composited over pixels by their cover.

These touch every pixel of the plot (a million at 150 dpi), so each is written as a few whole-array numpy
operations: gathers by flat index (`np.take`), table lookups in 4-byte words, and blending only the
pixels a stroke covers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .regime_content import RegimeMapContent


def blend(part: np.ndarray, color: np.ndarray, cover: np.ndarray) -> None:
    """Paint `color` (floats in [0, 1]) over the 8-bit pixels `part` in place, each pixel by `cover`."""
    if part.size == 0:
        return
    cover = cover[:part.shape[0], :part.shape[1]]
    at = np.nonzero(cover)
    if 4 * len(at[0]) < cover.size:  # a stroke's box is mostly bare: blend only the pixels it covers
        some = part[at]
        part[at] = np.rint(some + (color * 255 - some) * cover[at][:, None]).astype(np.uint8)
        return
    mixed = part + (color * 255 - part) * cover[:, :, None]
    part[:] = np.rint(mixed).astype(np.uint8)


def region_index(c: RegimeMapContent, w: int, h: int) -> np.ndarray:
    """The region at each pixel of the plot (h rows from the top, w columns): the outcome whose field,
    interpolated bilinearly at the pixel's centre, is largest. Where the four grid points around a pixel
    agree, that is their outcome (fields are compared only in the cells a boundary crosses)."""
    assert c.field_grid is not None
    gx, gy, fields, best = c.field_grid
    (a, b), (lo, hi) = c.x_lim, c.y_lim
    i, s = _linear(gx, a + (np.arange(w) + 0.5) / w * (b - a))
    j, t = _linear(gy, hi - (np.arange(h) + 0.5) / h * (hi - lo))  # rows run down
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
    level = np.arange(256, dtype=np.float32)[None, :, None] / 255
    table = colours[:, None, :] + (ink - colours[:, None, :]) * level  # (k, 256, 3)
    packed = np.zeros((len(colours) * 256, 4), dtype=np.uint8)
    packed[:, :3] = np.rint(table * 255).astype(np.uint8).reshape(-1, 3)
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
