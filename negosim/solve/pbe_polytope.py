"""Vertices of a small bounded polytope ``{x : A x = b, G x <= h}``, by enumerating active sets.

The equalities are eliminated first (a particular solution plus a basis of their null space), so
in the remaining ``d`` coordinates a vertex is where ``d`` linearly independent inequalities are
tight and the others hold. Every ``d``-subset of the inequalities is tried, up to `max_systems`;
beyond that the caller is told the enumeration was cut short (never silently). Meant for the
polytopes of perfect Bayesian equilibria (one support profile at a time), which have few
dimensions.

>>> import numpy as np
>>> v = vertices(np.ones((1, 2)), np.ones(1), -np.eye(2), np.zeros(2))   # the segment x + y = 1, x, y >= 0
>>> sorted(tuple(float(round(c, 9)) for c in p) for p in v.points)
[(0.0, 1.0), (1.0, 0.0)]
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from math import comb

import numpy as np

#: Largest number of square systems one enumeration may solve.
MAX_SYSTEMS = 200_000
#: Square systems with a larger condition number are treated as singular.
COND_LIMIT = 1e10


@dataclass(frozen=True)
class Vertices:
    """The vertices found (rows of `points`) and whether every vertex was searched for."""

    points: np.ndarray  # (n_vertices, n)
    complete: bool


def vertices(a_eq: np.ndarray, b_eq: np.ndarray, g: np.ndarray, h: np.ndarray, *, tol: float = 1e-9,
             max_systems: int = MAX_SYSTEMS) -> Vertices:
    """The vertices of ``{x : a_eq x = b_eq, g x <= h}`` (assumed bounded), deduplicated.

    Rows of `g` and of `a_eq` are scaled to unit length, so `tol` is a distance in the coordinates of `x`.

    Parameters
    ----------
    a_eq, b_eq : equality constraints, shapes ``(k, n)`` and ``(k,)`` (``k`` may be 0)
    g, h : inequality constraints, shapes ``(m, n)`` and ``(m,)``
    tol : feasibility tolerance
    max_systems : most square systems to solve before giving up (``complete=False``)

    Returns
    -------
    Vertices
        ``points`` of shape ``(n_vertices, n)`` and ``complete``.

    Examples
    --------
    >>> import numpy as np
    >>> vertices(np.zeros((0, 1)), np.zeros(0), np.array([[1.0], [-1.0]]), np.array([2.0, 0.0])).points.ravel()
    array([2., 0.])
    """
    n = g.shape[1] if g.size else a_eq.shape[1]
    a_eq = np.asarray(a_eq, dtype=float).reshape(-1, n)
    b_eq = np.asarray(b_eq, dtype=float).reshape(-1)
    g = np.asarray(g, dtype=float).reshape(-1, n)
    h = np.asarray(h, dtype=float).reshape(-1)
    norms = np.linalg.norm(g, axis=1)
    keep = norms > 1e-14
    if np.any(~keep & (h < -tol)):  # 0 <= h fails: a constant constraint is violated
        return Vertices(np.zeros((0, n)), True)
    g, h = g[keep] / norms[keep, None], h[keep] / norms[keep]
    # Equalities too: a condition whose coefficients are all small (an indifference weighted by a rarely
    # reached type) is as binding as any other, and unscaled its singular value would read as rank lost.
    eq_norms = np.linalg.norm(a_eq, axis=1)
    if np.any((eq_norms <= 1e-14) & (np.abs(b_eq) > tol)):  # 0 = b fails
        return Vertices(np.zeros((0, n)), True)
    live = eq_norms > 1e-14
    a_eq, b_eq = a_eq[live] / eq_norms[live, None], b_eq[live] / eq_norms[live]
    x0, basis = _affine_hull(a_eq, b_eq, n, tol)
    if x0 is None:
        return Vertices(np.zeros((0, n)), True)
    d = basis.shape[1]
    slack = h - g @ x0
    if d == 0:
        ok = np.all(slack >= -tol)
        return Vertices(x0[None] if ok else np.zeros((0, n)), True)
    gy = g @ basis
    m = len(h)
    if m < d:
        return Vertices(np.zeros((0, n)), True)  # unbounded or empty; our polytopes are bounded
    complete = comb(m, d) <= max_systems
    found: list[np.ndarray] = []
    for count, rows in enumerate(itertools.combinations(range(m), d)):
        if count >= max_systems:
            break
        sub = gy[list(rows)]
        if np.linalg.cond(sub) > COND_LIMIT:
            continue
        y = np.linalg.solve(sub, slack[list(rows)])
        if np.all(gy @ y <= slack + tol):
            x = x0 + basis @ y
            if not any(np.max(np.abs(x - f)) <= 10 * tol for f in found):
                found.append(x)
    return Vertices(np.array(found).reshape(-1, n), complete)


def _affine_hull(a_eq: np.ndarray, b_eq: np.ndarray, n: int, tol: float):
    """A point of ``{a_eq x = b_eq}`` and an orthonormal basis of its directions (None if inconsistent)."""
    if a_eq.shape[0] == 0:
        return np.zeros(n), np.eye(n)
    x0, *_ = np.linalg.lstsq(a_eq, b_eq, rcond=None)
    scale = max(1.0, float(np.abs(a_eq).max()))
    if np.max(np.abs(a_eq @ x0 - b_eq)) > tol * scale:
        return None, None
    _, s, vt = np.linalg.svd(a_eq)
    rank = int(np.sum(s > 1e-10 * max(1.0, float(s.max()) if s.size else 1.0)))
    return x0, vt[rank:].T
