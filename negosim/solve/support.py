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
from .result import Solution, at_points
from .tolerance import RTOL
from .verify import verified_solution
from .vertex import _solve_chunks, candidates, check_two_player, expand, rescaled


def _support_equilibria(pay: np.ndarray, tol: np.ndarray, rtol: float):
    """Equilibria (point, x, y) from equal-size support pairs, and degenerate flags, for a chunk."""
    P, _, m, n = pay.shape
    A, B, th_A, th_B = rescaled(pay, tol, rtol)
    A_T = np.swapaxes(A, 1, 2)
    degenerate = np.zeros(P, dtype=bool)
    pts, xs, ys = [], [], []
    for k in range(1, min(m, n) + 1):
        cx = candidates(B, k, th_B)  # indexed [p, I, J]
        cy = candidates(A_T, k, th_A)  # indexed [p, J, I]
        # every vertex of either polytope is some valid candidate: too many labels there = degenerate
        degenerate |= (cx.valid & (cx.loose > m)).any(axis=(1, 2)) | (cy.valid & (cy.loose > n)).any(axis=(1, 2))
        p, a, b = np.nonzero(cx.valid & np.swapaxes(cy.valid, 1, 2))
        pts.append(p)
        xs.append(expand(cx, m, p, a, b, th_B))
        ys.append(expand(cy, n, p, b, a, th_A))
    return np.concatenate(pts), np.concatenate(xs), np.concatenate(ys), degenerate


def support_enumeration(game: NormalFormGame, *, rtol: float = RTOL) -> Solution:
    """The Nash equilibria of a 2-player game found on equal-size supports (concept ``"nash"``).

    All equilibria at nondegenerate points (`complete` there); at degenerate points the result may
    miss equilibria, so `complete` is False and the point is flagged `degenerate`.
    """
    check_two_player(game, "support enumeration")
    point, strategies, tol, degenerate = _solve_chunks(game, rtol, _support_equilibria)
    notes: tuple[str, ...] = ()
    if degenerate.any():
        notes = (f"the game is degenerate{at_points(int(degenerate.sum()), game.batch_size)}: support "
                 "enumeration may miss equilibria (complete: false); vertex enumeration lists all extreme ones",)
    return verified_solution(game, concept="nash", method="support enumeration", point=point,
                             strategies=strategies, tol=tol, complete=~degenerate, degenerate=degenerate,
                             notes=notes)
