"""All Nash equilibria of one nondegenerate 2x2 game in closed form (the fixed cost of one small game).

With ``a_j = A[0, j] - A[1, j]`` (how much better the row player's first action does against
column j) and ``b_i = B[i, 0] - B[i, 1]``, a 2x2 game is nondegenerate exactly when all four
differences are nonzero (a pure strategy with two best responses is the only possible
degeneracy at this size). Then (i, j) is a pure equilibrium when i is the row player's best
reply to j and j the column player's to i, and the game has a completely mixed equilibrium
exactly when both players' differences change sign, at ``y_0 = a_1 / (a_1 - a_0)`` and
``x_0 = b_1 / (b_1 - b_0)``.

The closed form only answers where it cannot disagree with the general enumeration: every
difference must clear zero by `SAFE` times the player's payoff range (far beyond any tie
tolerance), and no two of a player's payoffs may be closer than `confirm.RESOLUTION` of that range
(where the enumeration switches to rational arithmetic). Anywhere else it returns None and the
caller uses `vertex.vertex_enumeration`'s general path. Verification is the caller's, as for
every other method.

>>> [(round(x[0], 3), round(y[0], 3)) for x, y in two_by_two([[2.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 2.0]])]
[(1.0, 1.0), (0.667, 0.333), (0.0, 0.0)]
"""

from __future__ import annotations

from .confirm import RESOLUTION

#: A difference of payoffs must exceed this fraction of the player's payoff range for the closed form.
SAFE = 1e-6

Profile = tuple[tuple[float, float], tuple[float, float]]


def _spread_ok(values: list[float]) -> float | None:
    """The range of `values` when they are finite and no two distinct ones are closer than RESOLUTION of it."""
    s = sorted(values)
    spread = s[-1] - s[0]
    if not spread > 0 or spread == float("inf"):
        return None
    gaps = [b - a for a, b in zip(s, s[1:]) if b != a]
    if gaps and min(gaps) < RESOLUTION * spread:
        return None
    return spread


def two_by_two(A: list[list[float]], B: list[list[float]]) -> list[Profile] | None:
    """The equilibria ((x0, x1), (y0, y1)) of the nondegenerate 2x2 game (A, B), or None (see the module doc).

    Pure equilibria come first in the order (0, 0), (0, 1), (1, 0), (1, 1), except that the mixed
    one is listed between them in decreasing lexicographic order of x (the order `verified_solution`
    sorts into anyway).

    Parameters
    ----------
    A, B : list of list of float
        The row and column player's 2x2 payoffs.

    Returns
    -------
    list of ((float, float), (float, float)) or None
        Every equilibrium as (row player's mix, column player's mix); None where the closed form
        does not answer (a difference too near zero, payoffs too close together, or not finite).

    Examples
    --------
    >>> two_by_two([[1.0, 0.0], [0.0, 1.0]], [[0.0, 1.0], [1.0, 0.0]])
    [((0.5, 0.5), (0.5, 0.5))]
    >>> two_by_two([[1.0, 0.0], [1.0, 0.0]], [[1.0, 0.0], [0.0, 1.0]]) is None  # a tie: the general path answers
    True
    """
    (a00, a01), (a10, a11) = A
    (b00, b01), (b10, b11) = B
    range_a = _spread_ok([a00, a01, a10, a11])
    range_b = _spread_ok([b00, b01, b10, b11])
    if range_a is None or range_b is None:
        return None
    a0, a1 = a00 - a10, a01 - a11
    b0, b1 = b00 - b01, b10 - b11
    if min(abs(a0), abs(a1)) <= SAFE * range_a or min(abs(b0), abs(b1)) <= SAFE * range_b:
        return None
    out: list[Profile] = []
    for i, j in ((0, 0), (0, 1), (1, 0), (1, 1)):
        row_best = (a0 if j == 0 else a1) > 0
        col_best = (b0 if i == 0 else b1) > 0
        if row_best == (i == 0) and col_best == (j == 0):
            out.append(((1.0 - i, float(i)), (1.0 - j, float(j))))
    if (a0 > 0) != (a1 > 0) and (b0 > 0) != (b1 > 0):
        x0, y0 = b1 / (b1 - b0), a1 / (a1 - a0)
        out.append(((x0, 1.0 - x0), (y0, 1.0 - y0)))
    return sorted(out, key=lambda e: (-e[0][0], -e[1][0]))


__all__ = ["SAFE", "two_by_two"]
