"""Bounded one-dimensional maximisation over a batch: a grid bracket, then golden-section steps.

Each batch element has its own interval; the objective is evaluated on all of them at once, so a
batch of a million intervals costs a few hundred array evaluations, never a Python loop per point.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

#: Golden-section steps after the grid bracket: the bracket shrinks by 0.618 per step.
GOLDEN_STEPS = 80
_INV_PHI = (np.sqrt(5.0) - 1.0) / 2.0


def golden_maximum(
    f: Callable[[np.ndarray], np.ndarray], low: np.ndarray, high: np.ndarray, *, grid: int = 2049
) -> np.ndarray:
    """Return the maximiser of ``f`` on ``[low, high]`` for every batch element.

    ``f`` takes an array of shape ``(*batch, k)`` of candidate points (the last axis one set of
    candidates per element) and returns their values, same shape. The best of `grid` evenly spaced
    points brackets the maximum (so a function with several local maxima finer than the grid may be
    missed: the grid is the stated resolution), then `GOLDEN_STEPS` golden-section steps shrink the
    bracket below 1e-12 of the interval. Endpoints are candidates, so a maximum at a bound is found.

    Examples
    --------
    >>> import numpy as np
    >>> x = golden_maximum(lambda z: -(z - 0.3) ** 2, np.zeros(2), np.array([1.0, 0.2]))
    >>> np.round(x, 9).tolist()
    [0.3, 0.2]
    """
    low = np.asarray(low, dtype=np.float64)
    high = np.asarray(high, dtype=np.float64)
    low, high = np.broadcast_arrays(low, high)
    t = np.linspace(0.0, 1.0, grid)
    points = low[..., None] + (high - low)[..., None] * t
    best = np.argmax(f(points), axis=-1)
    step = (high - low) / (grid - 1)
    a = np.maximum(low, low + (best - 1) * step)
    b = np.minimum(high, low + (best + 1) * step)
    c = b - _INV_PHI * (b - a)
    d = a + _INV_PHI * (b - a)
    fc = f(c[..., None])[..., 0]
    fd = f(d[..., None])[..., 0]
    for _ in range(GOLDEN_STEPS):
        left = fc >= fd  # the maximum lies in [a, d]
        b = np.where(left, d, b)
        a = np.where(left, a, c)
        new = np.where(left, b - _INV_PHI * (b - a), a + _INV_PHI * (b - a))
        fnew = f(new[..., None])[..., 0]
        d, fd, c, fc = (np.where(left, c, new), np.where(left, fc, fnew),
                        np.where(left, new, d), np.where(left, fnew, fd))
    # The bracket's own points are candidates too: at the edge of a feasible set the midpoint of the
    # last bracket may fall just outside it, where the objective is -inf.
    grid_best = low + best * step
    candidates = np.stack([low, high, grid_best, c, d, (a + b) / 2.0], axis=-1)
    return np.take_along_axis(candidates, np.argmax(f(candidates), axis=-1)[..., None], axis=-1)[..., 0]
