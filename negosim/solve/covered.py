"""`confirm.settle` without the rational work whose answer is already known: degenerate polytopes, fast.

In a degenerate game one vertex ``v`` of a best-response polytope has more tight labels ``L(v)`` than
the dimension, and every square system ``C[K, T]^T z_K = 1`` whose own labels (the coordinates
outside K, the constraints in T) all lie in ``L(v)`` is solved by ``v``: ``v`` is zero outside K and
tight on T. Such a system is regular, and then its only solution is ``v``, or singular, and then it
has no vertex; floating point cannot tell (its slacks and coordinates are zero to rounding), so
`confirm.settle` solves every one of them in rational arithmetic, thousands per point of a sweep
of a degenerate Bayesian game, to find the same few vertices again.

`settle_known` gives `settle`'s answer without them. For each point it keeps the label sets of the
vertices settled so far (`Known`); an UNDECIDED candidate whose own labels lie in one of them is
*covered*: solving it exactly would give that vertex again (the same label set, the same exact
coordinates, the same exact flag, so the row `vertex._vertices` keeps per label set is the same) or
nothing. Covered candidates are charged to the point's rational-arithmetic budget as before and not
solved. To find the vertices early, one candidate per cluster of equal float solutions is solved
exactly first (a *representative*; it is solved again by `settle` with the others, so the order of
what `settle` returns is unchanged apart from the rows left out). Only points whose budget covers
every undecided candidate take part: where `settle` would run out, it falls back to the tolerance
test for all of them, and nothing is left out there.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from . import confirm
from .confirm import REFINE_COND, ExactBudget, Settled, settle
from .polytope import COND_LIMIT, INVALID, UNDECIDED, VALID, Candidates, Thresholds

#: Float solutions are clustered on this many decimals to pick representatives (only speed depends on it).
DECIMALS = 7

#: False: `settle_known` is plain `settle` (the reference its answers are tested against).
ENABLED = True
#: Rational-arithmetic systems `settle_known` has left out since the counter was reset (for tests).
LEFT_OUT = [0]


@dataclass
class Known:
    """Label sets of the vertices settled so far at each point of one polytope's enumeration.

    Attributes
    ----------
    point : numpy.ndarray
        (R,) point of each vertex.
    labels : numpy.ndarray
        (R, d + c) bool: its full label set.

    Examples
    --------
    >>> known = Known()
    >>> known.add(np.array([2, 0]), np.array([[True, False], [False, True]]))
    >>> known.point.tolist(), known.labels.astype(int).tolist()
    ([0, 2], [[0, 1], [1, 0]])
    """

    point: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    labels: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=bool))

    def add(self, point: np.ndarray, labels: np.ndarray) -> None:
        """Remember more vertices (any order)."""
        if not len(point):
            return
        old = self.labels if len(self.point) else np.zeros((0, labels.shape[1]), dtype=bool)
        p = np.concatenate([self.point, point.astype(np.int64)])
        lab = np.concatenate([old, labels])
        order = np.argsort(p, kind="stable")
        self.point, self.labels = p[order], lab[order]


def own_labels_of(Ks: np.ndarray, Ts: np.ndarray, d: int, c: int) -> np.ndarray:
    """The labels the systems (Ks[n], Ts[n]) name: the coordinates outside K, the constraints in T.

    Parameters
    ----------
    Ks, Ts : numpy.ndarray
        (N, k) support (coordinate indices) and (N, k) tight constraints of each system.
    d, c : int
        Number of coordinates and of constraints of the polytope.

    Returns
    -------
    numpy.ndarray
        (N, d + c) bool: coordinate labels first, then constraint labels.

    Examples
    --------
    >>> own_labels_of(np.array([[0]]), np.array([[1]]), 2, 2).astype(int).tolist()
    [[0, 1, 0, 1]]
    """
    lab = np.zeros((len(Ks), d + c), dtype=bool)
    lab[:, :d] = True
    rows = np.arange(len(Ks))[:, None]
    lab[rows, Ks] = False
    lab[rows, d + Ts] = True
    return lab


def _own_labels(cand: Candidates, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(N, d + c) bool: the labels the candidates at indices (a, b) name (`own_labels_of` of their systems)."""
    return own_labels_of(cand.Ks[a], cand.tight_sets(a, b), cand.d, cand.c)


def _words(lab: np.ndarray) -> np.ndarray:
    """(N, W) uint64: bool rows packed into 64-bit words (zero-padded), for subset tests by `&`."""
    packed = np.packbits(lab, axis=1)
    width = -(-packed.shape[1] // 8) * 8
    out = np.zeros((len(lab), width), dtype=np.uint8)
    out[:, :packed.shape[1]] = packed
    return out.view(np.uint64)


def covered_by(known_point: np.ndarray, known_labels: np.ndarray, p: np.ndarray, lab: np.ndarray,
               P: int) -> np.ndarray:
    """(N,) bool: whether the label set `lab[n]` at point `p[n]` lies in a known vertex's label set there.

    Parameters
    ----------
    known_point, known_labels : numpy.ndarray
        (R,) points, sorted, and (R, d + c) bool label sets of the known vertices.
    p, lab : numpy.ndarray
        (N,) points and (N, d + c) bool label sets to test.
    P : int
        Number of points.

    Returns
    -------
    numpy.ndarray
        (N,) bool.

    Examples
    --------
    >>> known = np.array([[True, True, False, True]])
    >>> covered_by(np.array([0]), known, np.array([0, 0]), np.array([[True, False, False, True],
    ...                                                              [False, False, True, True]]), 1).tolist()
    [True, False]
    """
    out = np.zeros(len(p), dtype=bool)
    if not len(p) or not len(known_point):
        return out
    mine = _words(lab)
    outside = ~_words(known_labels)  # labels a known vertex does not have
    counts = np.bincount(known_point, minlength=P)
    starts = np.cumsum(counts) - counts
    has = counts[p]
    for r in range(int(counts.max())):  # the r-th known vertex of each candidate's point
        at = np.flatnonzero(~out & (has > r))
        if not len(at):
            break
        out[at] = ~(mine[at] & outside[starts[p[at]] + r]).any(axis=1)
    return out


def settle_known(cand: Candidates, exact_matrix, budget: ExactBudget, th: Thresholds, known: Known) -> Settled:
    """`confirm.settle(cand, exact_matrix, budget, th)` (refining), the covered candidates left out, and
    `known` updated with the vertices settled (see the module docstring).

    Parameters
    ----------
    cand : Candidates
        One support size's candidates over the points of a chunk.
    exact_matrix : callable
        Point -> the polytope's matrix as fractions (as for `settle`).
    budget : ExactBudget
        The points' rational-arithmetic budget, charged as `settle` charges it.
    th : Thresholds
        As for `settle`.
    known : Known
        The vertices settled at smaller support sizes; updated.

    Returns
    -------
    Settled
        `settle`'s answer without the rows of covered candidates (each of which repeats a vertex
        returned before or among these rows, or is no vertex).

    Examples
    --------
    The degenerate game below has vertices of P with three labels in dimension 2 (the column player's
    first two actions pay the same); systems naming two of those labels are not solved again:

    >>> import numpy as np
    >>> from negosim.solve import confirm, polytope
    >>> pay = np.array([[[[1.0, 1.0, 0.0], [0.0, 0.0, 1.0]], [[2.0, 2.0, 1.0], [0.0, 0.0, 3.0]]]])
    >>> A, B, th_A, th_B = polytope.rescaled(pay, 1e-9)
    >>> for_x, _ = confirm.exact_matrices(pay)
    >>> budget = confirm.ExactBudget(np.full(1, confirm.EXACT_BUDGET), np.zeros(1, dtype=bool))
    >>> known = Known()
    >>> got = [settle_known(polytope.candidates(B, k, th_B), for_x, budget, th_B, known) for k in (1, 2)]
    >>> sorted({tuple(np.flatnonzero(row).tolist()) for s in got for row in s.labels})
    [(0, 4), (1, 2, 3), (2, 3, 4)]
    """
    P = cand.state.shape[0]
    if not ENABLED:
        got = settle(cand, exact_matrix, budget, th)
        known.add(got.p, got.labels)
        return got
    up, ua, ub = np.nonzero(cand.state == UNDECIDED)
    # `settle` first refines ill-conditioned VALID candidates, at most `left` per point; what is left
    # must pay for every undecided candidate, or the point falls back to the tolerance test
    vp, va, vb = np.nonzero(cand.state == VALID)
    ill = np.bincount(vp[cand.cond[vp, va, vb] > REFINE_COND], minlength=P)
    after_refine = budget.left - np.minimum(ill, budget.left)
    eligible = np.bincount(up, minlength=P) <= after_refine
    pick = eligible[up]
    up, ua, ub = up[pick], ua[pick], ub[pick]
    skip = np.zeros(len(up), dtype=bool)
    if len(up):
        lab = _own_labels(cand, ua, ub)
        skip = covered_by(known.point, known.labels, up, lab, P)
        reps = _representatives(cand, up, ua, ub, ~skip)
        if len(reps):
            found = confirm._exact_vertices(budget, exact_matrix, up[reps], cand.Ks[ua[reps]],
                                            cand.tight_sets(ua[reps], ub[reps]), cand.d + cand.c)
            f = found.found
            fresh = Known()
            fresh.add(up[reps][f], found.labels[f])
            skip |= covered_by(fresh.point, fresh.labels, up, lab, P)
            skip[reps] = False  # solved again by `settle`, in its place
    if skip.any():
        state = cand.state.copy()
        state[up[skip], ua[skip], ub[skip]] = INVALID
        cand = replace(cand, state=state)
        LEFT_OUT[0] += int(skip.sum())
    got = settle(cand, exact_matrix, budget, th)
    if skip.any():
        np.subtract.at(budget.left, up[skip], 1)  # charged as `settle` would have charged them
    known.add(got.p, got.labels)
    return got


def _representatives(cand: Candidates, p: np.ndarray, a: np.ndarray, b: np.ndarray, open_: np.ndarray) -> np.ndarray:
    """Indices into (p, a, b): the first open candidate of each cluster of equal finite float solutions."""
    zK = np.stack([x[p, a, b] for x in cand.z], axis=-1)
    ok = open_ & np.isfinite(zK).all(axis=1) & (cand.cond[p, a, b] < COND_LIMIT)  # a regular system's solution
    at = np.flatnonzero(ok)
    if not len(at):
        return at
    z = np.zeros((len(at), cand.d))
    np.put_along_axis(z, cand.Ks[a[at]], np.round(zK[at], DECIMALS) + 0.0, axis=1)  # + 0.0: no -0.0
    key = np.column_stack([p[at].astype(np.float64), z])
    _, first = np.unique(key, axis=0, return_index=True)
    return at[np.sort(first)]


__all__ = ["Known", "covered_by", "own_labels_of", "settle_known"]
