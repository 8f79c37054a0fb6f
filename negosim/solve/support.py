"""All Nash equilibria of nondegenerate 2-player games by batched support enumeration.

For every pair of equal-size supports (I, J), the indifference systems are solved for all batch
points at once: x on I makes player 2 indifferent over J and y on J makes player 1 indifferent over
I (on payoffs rescaled into [1, 2], so the systems read ``B'[I, J]^T x = 1`` and ``A'[I, J] y = 1``
and share `vertex.candidates`). A pair is an equilibrium where both solutions are nonnegative and no
action outside a support does better, all within tolerance. Complete exactly at nondegenerate
points; degenerate points are flagged incomplete (use `vertex_enumeration` there).
"""

from __future__ import annotations

import numpy as np

from ..game.normal import NormalFormGame
from . import confirm
from .confirm import ExactBudget, exact_matrices, exactly_at_coarse_points, expand, settle
from .polytope import _subsets, candidates, rescaled
from .result import Solution, at_points
from .tolerance import RTOL
from .verify import verified_solution
from .vertex import ChunkResult, _solve_chunks, check_two_player, drop_unconfirmed, incompleteness_notes


def _support_equilibria(pay: np.ndarray, rtol: float) -> ChunkResult:
    """Equilibria from equal-size support pairs, and per-point flags, for a chunk.

    Candidates floating point cannot decide are decided in rational arithmetic (`vertex.settle`).
    """
    P, _, m, n = pay.shape
    A, B, th_A, th_B = rescaled(pay, rtol)
    A_T = np.swapaxes(A, 1, 2)
    for_x, for_y = exact_matrices(pay)
    budget = ExactBudget(np.full(P, confirm.EXACT_BUDGET), np.zeros(P, dtype=bool))
    degenerate = np.zeros(P, dtype=bool)
    pts, xs, ys, exs = [], [], [], []
    for k in range(1, min(m, n) + 1):
        cx = candidates(B, k, th_B)  # indexed [p, I, J]
        cy = candidates(A_T, k, th_A)  # indexed [p, J, I]
        sx, sy = settle(cx, for_x, budget, th_B), settle(cy, for_y, budget, th_A)
        # every vertex of either polytope is some valid candidate: too many labels there = degenerate
        for got, cand, dim in ((sx, cx, m), (sy, cy, n)):
            degenerate[got.p[(cand.loose[got.p, got.a, got.b] > dim) | (got.labels.sum(axis=1) > dim)]] = True
        # a support pair (I, J) is an equilibrium when x on I solves J's system and y on J solves I's
        nI, nJ = len(_subsets(m, k)), len(_subsets(n, k))
        key_x = (sx.p * nI + sx.a) * nJ + sx.b
        key_y = (sy.p * nI + sy.b) * nJ + sy.a
        common, ix, iy = np.intersect1d(key_x, key_y, return_indices=True)
        pts.append(sx.p[ix])
        xs.append(expand(sx.zK[ix], _subsets(m, k)[sx.a[ix]], m))
        ys.append(expand(sy.zK[iy], _subsets(n, k)[sy.a[iy]], n))
        exs.append(sx.exact[ix] & sy.exact[iy])
    point, x, y, ex, too_fine = exactly_at_coarse_points(
        pay, np.concatenate(pts), np.concatenate(xs), np.concatenate(ys), np.concatenate(exs), degenerate)
    return ChunkResult(point, x, y, ex, degenerate, budget.exhausted, too_fine)


def support_enumeration(game: NormalFormGame, *, rtol: float = RTOL) -> Solution:
    """The Nash equilibria of a 2-player game found on equal-size supports (concept ``"nash"``).

    All equilibria at nondegenerate points (`complete` there); at degenerate points the result may
    miss equilibria, so `complete` is False and the point is flagged `degenerate`.

    Parameters
    ----------
    game : NormalFormGame
        Two players.
    rtol : float
        Relative tolerance for verification.

    Returns
    -------
    Solution
        Method ``"support enumeration"``; the verified equilibria at every point.

    Examples
    --------
    >>> g = NormalFormGame.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> sol = support_enumeration(g)
    >>> sol.method, int(sol.counts()), bool(sol.complete)
    ('support enumeration', 3, True)
    >>> sol.strategies[0].round(3).tolist()
    [[1.0, 0.0], [0.667, 0.333], [0.0, 1.0]]
    """
    check_two_player(game, "support enumeration", subsets=True)
    P = game.batch_size
    r = drop_unconfirmed(game, _solve_chunks(game, rtol, _support_equilibria), rtol)
    notes: tuple[str, ...] = ()
    if r.degenerate.any():
        notes = (f"the game is degenerate{at_points(int(r.degenerate.sum()), P)}: support "
                 "enumeration may miss equilibria (complete: false); vertex enumeration lists all extreme ones",)
    return verified_solution(game, concept="nash", method="support enumeration", point=r.point,
                             strategies=(r.x, r.y), rtol=rtol, complete=~(r.degenerate | r.incomplete | r.too_fine),
                             degenerate=r.degenerate, notes=notes + incompleteness_notes(r, P),
                             exact_rows=r.exact_rows)
