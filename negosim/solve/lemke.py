"""Lemke's algorithm for a linear complementarity problem, with a pivot bound and lexicographic ties.

Find ``z >= 0`` with ``w = q + M z >= 0`` and ``z' w = 0``. An artificial variable ``z0`` with
covering vector ``d > 0`` starts the path at ``z = 0, z0 = max(-q / d)``; complementary pivoting
then follows the path until ``z0`` leaves the basis (a solution) or no pivot row exists (a ray:
no solution is found this way). The minimum-ratio test breaks ties lexicographically on the
rows of the basis inverse, which rules out cycling in degenerate problems; entries smaller than a
tolerance scaled to the column are not used as pivots.

>>> import numpy as np
>>> z = lemke(np.array([[2.0, 1.0], [1.0, 2.0]]), np.array([-5.0, -6.0]))
>>> np.round(z, 6).tolist()
[1.333333, 2.333333]
"""

from __future__ import annotations

import numpy as np

#: Pivots allowed per unit of problem size (the bound is this times the number of rows, at least 1000).
PIVOTS_PER_ROW = 50
#: Wall-clock bound of one path, in seconds (checked every pivot).
MAX_SECONDS = 120.0


class LemkeFailure(Exception):
    """The path ended in a ray or ran past its pivot bound: no solution was found.

    Examples
    --------
    >>> import numpy as np
    >>> try:
    ...     lemke(np.array([[-1.0]]), np.array([-1.0]))
    ... except LemkeFailure as failure:
    ...     print(failure)
    Lemke's path ended in a ray
    """


def lemke(M: np.ndarray, q: np.ndarray, d: np.ndarray | None = None, *, max_pivots: int | None = None,
          eps: float = 1e-12) -> np.ndarray:
    """A solution ``z`` of the LCP ``(M, q)`` by Lemke's algorithm with covering vector `d` (default all ones).

    Parameters
    ----------
    M, q : the problem, ``(n, n)`` and ``(n,)``.
    d : covering vector, positive, ``(n,)``.
    max_pivots : bound on pivots (default ``PIVOTS_PER_ROW * n``, at least 1000).
    eps : relative size below which a column entry is not a usable pivot.

    Returns
    -------
    z : ``(n,)`` with ``q + M z >= 0`` (up to rounding) and complementary to it.

    Raises
    ------
    LemkeFailure
        If the path ends in a ray or the pivot bound is reached.

    Examples
    --------
    >>> import numpy as np
    >>> lemke(np.array([[2.0, 1.0], [1.0, 2.0]]), np.array([-1.0, -1.0])).round(6).tolist()
    [0.333333, 0.333333]
    """
    M = np.asarray(M, dtype=float)
    q = np.asarray(q, dtype=float)
    n = len(q)
    if np.all(q >= 0):
        return np.zeros(n)
    d = np.ones(n) if d is None else np.asarray(d, dtype=float)
    # Columns: w (n), z (n), z0, right-hand side. Rows: w - M z - d z0 = q.
    T = np.zeros((n, 2 * n + 2))
    T[:, :n] = np.eye(n)
    T[:, n:2 * n] = -M
    T[:, 2 * n] = -d
    T[:, -1] = q
    complement = np.concatenate([np.arange(n, 2 * n), np.arange(n), [-1]])
    row = int(np.argmax(-q / d))
    basis = complementary_path(T, np.arange(n), 2 * n, row, complement, np.zeros(n, dtype=bool), max_pivots, eps)
    z = np.zeros(n)
    for r, v in enumerate(basis):
        if n <= v < 2 * n:
            z[v - n] = T[r, -1]
    return np.maximum(z, 0.0)


def complementary_path(T: np.ndarray, basis: np.ndarray, z0: int, row: int, complement: np.ndarray,
                       frozen: np.ndarray, max_pivots: int | None = None, eps: float = 1e-12,
                       max_seconds: float | None = None) -> np.ndarray:
    """Follow the complementary path in place in tableau `T` (rows in terms of the basis, last column the
    values), starting with `z0` entering at `row`; return the final basis (`z0` has left it).

    `complement[v]` is the variable complementary to column v (-1 for z0 and free variables);
    `frozen[r]` marks rows whose basic variable is free: they are never chosen to leave. The initial
    basis columns of `T` must form the identity (they give the lexicographic order of ties). The path stops
    with `LemkeFailure` after `max_pivots` pivots or `max_seconds` (default `MAX_SECONDS`) seconds.

    Parameters
    ----------
    T : numpy.ndarray
        The tableau, changed in place; its last column holds the basic variables' values.
    basis : numpy.ndarray
        The basic variable of each row, changed in place.
    z0 : int
        The column of the artificial variable.
    row : int
        The row `z0` enters at.
    complement : numpy.ndarray
        The complementary variable of each column (-1 for none).
    frozen : numpy.ndarray
        Bool per row: its basic variable never leaves.
    max_pivots : int, optional
        Bound on pivots (default ``PIVOTS_PER_ROW`` times the rows, at least 1000).
    eps : float
        Relative size below which a column entry is not a usable pivot.
    max_seconds : float, optional
        Wall-clock bound (default `MAX_SECONDS`).

    Returns
    -------
    numpy.ndarray
        The final basis, the basic variable of each row.

    Examples
    --------
    The LCP ``w = q + M z`` with columns w (0, 1), z (2, 3), z0 (4) and the values:

    >>> import numpy as np
    >>> M, q = np.array([[2.0, 1.0], [1.0, 2.0]]), np.array([-1.0, -1.0])
    >>> T = np.hstack([np.eye(2), -M, -np.ones((2, 1)), q[:, None]])
    >>> basis = complementary_path(T, np.arange(2), 4, 0, np.array([2, 3, 0, 1, -1]), np.zeros(2, dtype=bool))
    >>> basis.tolist(), T[:, -1].round(6).tolist()
    ([3, 2], [0.333333, 0.333333])
    """
    import time

    seconds = MAX_SECONDS if max_seconds is None else max_seconds
    deadline = time.monotonic() + seconds
    n = T.shape[0]
    lex = basis.copy()
    basis = basis.copy()
    max_pivots = max_pivots or max(1000, PIVOTS_PER_ROW * n)
    entering = z0
    for _ in range(max_pivots):
        leaving = int(basis[row])
        _pivot(T, row, entering)
        basis[row] = entering
        if leaving == z0:
            return basis
        entering = int(complement[leaving])
        row = _ratio_test(T, basis, entering, z0, lex, frozen, eps)
        if row < 0:
            raise LemkeFailure("Lemke's path ended in a ray")
        if time.monotonic() > deadline:
            raise LemkeFailure(f"Lemke's algorithm did not finish within {seconds:g} s")
    raise LemkeFailure(f"Lemke's algorithm did not finish within {max_pivots:,} pivots")


def _pivot(T: np.ndarray, row: int, col: int) -> None:
    T[row] /= T[row, col]
    column = T[:, col].copy()
    column[row] = 0.0
    T -= np.outer(column, T[row])


def _ratio_test(T: np.ndarray, basis: np.ndarray, col: int, z0: int, lex: np.ndarray, frozen: np.ndarray,
                eps: float) -> int:
    """The leaving row for the entering column: minimum ratio, ties broken in favour of z0 (which ends
    the path), then lexicographically on the rows of the basis inverse; -1 when no row can leave."""
    c = T[:, col]
    scale = max(1.0, float(np.abs(c).max()))
    rows = np.flatnonzero((c > eps * scale) & ~frozen)
    if len(rows) == 0:
        return -1
    ratios = np.maximum(T[rows, -1], 0.0) / c[rows]
    tie = 1e-9 * max(1.0, float(ratios.min()))
    rows = rows[ratios <= ratios.min() + tie]
    if len(rows) > 1:
        at_z0 = rows[basis[rows] == z0]
        if len(at_z0):
            return int(at_z0[0])
        for j in lex:
            if len(rows) == 1:
                break
            key = T[rows, j] / c[rows]
            rows = rows[key <= key.min() + 1e-12 * max(1.0, float(np.abs(key).max()))]
    return int(rows[0])


__all__ = ["LemkeFailure", "MAX_SECONDS", "PIVOTS_PER_ROW", "complementary_path", "lemke"]
