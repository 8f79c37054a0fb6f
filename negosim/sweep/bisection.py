"""Bisection of many brackets at once, several steps per batched solve, with bisection's exact answer.

Plain bisection of N brackets costs one batched solve per step: about 30 solves to shrink a grid
cell to 1e-9. For a big game every solve has a fixed cost (building the game, walking its nodes)
far above the cost of one more point, so 30 solves of a few points cost many times a whole grid.

Here each solve looks `d` steps ahead: it labels, for every open bracket, all ``2**d - 1`` midpoints
that bisection could visit in its next `d` steps (the dyadic subdivision of the bracket, each
midpoint computed as ``(lo + hi) / 2`` from the same floats bisection would hold), and then follows
bisection's own path through them. The result is bit for bit the result of plain bisection (same
midpoints, same comparisons, same stopping rule, same step bound), since a point's label does not
depend on the other points solved with it; only the number of solves changes, from the number of
steps to about steps / d. Among the depths whose points fit `max_points` (the caller's memory bound
for one batch), `d` minimises a model of the cost (each solve a fixed part, as much as
`BALANCE_POINTS` points, plus its points), spread evenly over the solves needed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

#: The most points one look-ahead solve labels, unless the caller bounds it lower (a sweep bounds it
#: by its chunk size, so a big tree stays within the memory its chunks may use).
LOOKAHEAD_POINTS = 2048

#: The batch whose points cost about as much as a solve's fixed cost (building the game, the Python
#: work per node). Measured on ternary trees of 1k and 10k nodes: 1,500 to 2,000 points (the fixed cost
#: and the cost per point both grow with the nodes). The look-ahead depth minimises solves x
#: (1 + points / BALANCE_POINTS): another level saves a solve but doubles the points.
BALANCE_POINTS = 1024

#: A function labelling points: ``labels_at(which, values)`` returns the label of each point, where
#: point ``i`` sets the bracket ``which[i]``'s parameter to ``values[i]``.
LabelsAt = Callable[[np.ndarray, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Bisected:
    """The brackets after bisection: each ``[lo, hi]`` of width at most the tolerance (or the step
    bound reached), with the labels at its two ends, and the number of batched solves it took.

    Attributes
    ----------
    lo, hi : numpy.ndarray
        ``(N,)`` bracket ends.
    at_lo, at_hi : numpy.ndarray
        ``(N,)`` labels at the ends (`at_lo` as given, or found in the first solve).
    solves : int
        Batched calls of the labelling function.

    Examples
    --------
    >>> import numpy as np
    >>> sign = lambda which, x: np.where(x < 0.25, "low", "high").astype(object)
    >>> out = bisect_brackets(sign, np.array([0.0]), np.array([1.0]), 0.1, 100)
    >>> out.lo.tolist(), out.hi.tolist(), out.at_lo.tolist(), out.at_hi.tolist(), out.solves
    ([0.1875], [0.25], ['low'], ['high'], 1)
    """

    lo: np.ndarray
    hi: np.ndarray
    at_lo: np.ndarray
    at_hi: np.ndarray
    solves: int


def bisect_brackets(labels_at: LabelsAt, lo: np.ndarray, hi: np.ndarray, tol: float, max_iter: int, *,
                    at_lo: np.ndarray | None = None, at_hi: np.ndarray | None = None,
                    max_points: int = LOOKAHEAD_POINTS, balance: float | None = None) -> Bisected:
    """Return every bracket ``[lo[i], hi[i]]`` shrunk by bisection to width at most `tol` (at most
    `max_iter` steps), keeping the label at its low end, with several steps per batched solve.

    Bisection step (as plain bisection does it, for every bracket still wider than `tol`): label the
    midpoint ``(lo + hi) / 2``; if its label equals the label at `lo`, it becomes `lo`, otherwise it
    becomes `hi` and its label the label at `hi`. The answer is bit for bit plain bisection's.

    Parameters
    ----------
    labels_at : callable
        ``labels_at(which, values)``: the labels (an array of comparable values) of points where
        bracket ``which[i]``'s parameter takes ``values[i]``. Must label each point independently of
        the others solved with it.
    lo, hi : numpy.ndarray
        ``(N,)`` bracket ends.
    tol : float
        Width at which a bracket is done.
    max_iter : int
        Bound on the bisection steps of each bracket.
    at_lo, at_hi : numpy.ndarray, optional
        Labels at the ends; when not given, both ends are labelled in the first solve.
    max_points : int
        The most points labelled in one solve (a memory bound; at least one point per open bracket
        is always labelled).
    balance : float, optional
        The points whose labelling costs as much as one solve's fixed cost (default `BALANCE_POINTS`):
        the cost model that picks the look-ahead; the answer does not depend on it, only the solves do.

    Returns
    -------
    Bisected

    Examples
    --------
    >>> import numpy as np
    >>> step = lambda which, x: np.where(x < np.array([0.3, 0.7])[which], "low", "high").astype(object)
    >>> out = bisect_brackets(step, np.array([0.0, 0.5]), np.array([1.0, 1.0]), 1e-9, 100)
    >>> [round(float(v), 6) for v in (out.lo + out.hi) / 2], out.solves  # plain bisection: 30 steps, one solve each
    ([0.3, 0.7], 5)
    """
    lo, hi = np.array(lo, dtype=float), np.array(hi, dtype=float)
    n = len(lo)
    solves = 0
    ends = at_lo is None or at_hi is None
    at_lo = np.empty(n, dtype=object) if at_lo is None else np.array(at_lo, copy=True)
    at_hi = np.empty(n, dtype=object) if at_hi is None else np.array(at_hi, copy=True)
    steps = 0
    while True:
        open_ = np.flatnonzero(hi - lo > tol) if steps < max_iter else np.zeros(0, dtype=np.intp)
        if not ends and not len(open_):
            break
        extra = 2 * n if ends else 0
        depth = _depth(hi[open_] - lo[open_], tol, max_iter - steps, max(max_points - extra, len(open_)), balance)
        mids = _dyadic_midpoints(lo[open_], hi[open_], depth)  # (open, 2**depth - 1), level by level
        which = np.repeat(open_, mids.shape[1])
        values = mids.reshape(-1)
        if ends:  # the two ends' labels come with the first look-ahead
            which = np.concatenate([np.arange(n), np.arange(n), which])
            values = np.concatenate([lo, hi, values])
        labels = np.asarray(labels_at(which, values)).reshape(-1)
        solves += 1
        if ends:
            at_lo[:], at_hi[:] = labels[:n], labels[n:2 * n]
            labels, ends = labels[2 * n:], False
            if (at_lo == at_hi).any():  # nothing to locate: the caller decides what that means
                return Bisected(lo, hi, at_lo, at_hi, solves)
            # The first look-ahead was planned before the ends' labels were known: follow it now.
        _follow(lo, hi, at_lo, at_hi, open_, mids, labels.reshape(mids.shape), tol)
        steps += depth
    return Bisected(lo, hi, at_lo, at_hi, solves)


def _depth(widths: np.ndarray, tol: float, steps_left: int, points: int, balance: float | None = None) -> int:
    """Steps to look ahead: no more than `points` allow for these open brackets or bisection needs (the
    widest bracket's steps to reach `tol`), at the least estimated cost, spread evenly over the solves."""
    if not len(widths):
        return 0
    need = max(1, math.ceil(math.log2(float(widths.max()) / tol))) if tol > 0 else steps_left
    need = min(need, steps_left)
    fit = min(need, max(1, int(math.floor(math.log2(points / len(widths) + 1)))))
    balance = BALANCE_POINTS if balance is None else max(float(balance), 1e-9)
    cost = [math.ceil(need / d) * (1 + len(widths) * (2 ** d - 1) / balance) for d in range(1, fit + 1)]
    solves = math.ceil(need / (1 + int(np.argmin(cost))))
    return max(1, math.ceil(need / solves))


def _dyadic_midpoints(lo: np.ndarray, hi: np.ndarray, depth: int) -> np.ndarray:
    """(N, 2**depth - 1) midpoints of every bracket's dyadic subdivision to `depth` levels, in heap
    order: level k holds 2**k midpoints, left to right, each ``(lo + hi) / 2`` of its sub-bracket."""
    L, H = lo[:, None], hi[:, None]
    levels = []
    for _ in range(depth):
        M = (L + H) / 2
        levels.append(M)
        L = np.stack([L, M], axis=2).reshape(len(lo), -1)
        H = np.stack([M, H], axis=2).reshape(len(lo), -1)
    return np.concatenate(levels, axis=1) if levels else np.zeros((len(lo), 0))


def _follow(lo: np.ndarray, hi: np.ndarray, at_lo: np.ndarray, at_hi: np.ndarray, open_: np.ndarray,
            mids: np.ndarray, labels: np.ndarray, tol: float) -> None:
    """Take bisection's steps through one look-ahead (in place): at each level, each bracket still
    wider than `tol` moves to the half its midpoint's label says, as plain bisection would."""
    node = np.zeros(len(open_), dtype=np.intp)  # each bracket's position within the current level
    rows = np.arange(len(open_))
    level, start = 0, 0
    while start < mids.shape[1]:
        live = hi[open_] - lo[open_] > tol
        if not live.any():
            return
        i, r = open_[live], rows[live]
        mid, lab = mids[r, start + node[live]], labels[r, start + node[live]]
        same = lab == at_lo[i]
        lo[i[same]] = mid[same]
        hi[i[~same]] = mid[~same]
        at_hi[i[~same]] = lab[~same]
        node[live] = 2 * node[live] + same  # the right half when the midpoint became lo
        level += 1
        start += 2 ** (level - 1)


__all__ = ["LOOKAHEAD_POINTS", "Bisected", "bisect_brackets"]
