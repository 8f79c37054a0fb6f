"""Lemke-Howson for 2-player games: the paths from every starting label at once, for one equilibrium of large games.

With payoffs rescaled into [1, 2] (`polytope.rescaled`), the path that drops label k starts at the
artificial equilibrium (0, 0) of the best-response polytopes ``P = {x >= 0, B'^T x <= 1}`` and
``Q = {y >= 0, A' y <= 1}`` and pivots alternately in P's tableau and Q's: the variable with the
label that just left one tableau enters the other (von Stengel, Handbook of Game Theory vol. 3,
ch. 45). It ends when label k leaves, at a completely labelled pair: an equilibrium. All m + n paths
are followed together, each pivot one batched numpy operation over the paths still running; ties
in the minimum-ratio test are broken lexicographically on the rows of the basis inverse (which rules
out cycling in degenerate games). Every path has a pivot bound (`MAX_PIVOTS_PER_ROW` times m + n)
and the whole run a wall-clock bound (`MAX_SECONDS`); a path that exceeds either is dropped.

The equilibria found are verified like every other method's and reported with ``complete: False``:
Lemke-Howson finds some equilibria, never a guarantee of all.

>>> from negosim.game import NormalFormGame
>>> bos = NormalFormGame.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
>>> sol = lemke_howson(bos)
>>> [s.tolist() for s in sol.strategies[0]], bool(sol.complete.all())
([[1.0, 0.0], [0.0, 1.0]], False)
"""

from __future__ import annotations

import time

import numpy as np

from ..errors import GameError
from ..game.normal import NormalFormGame
from .polytope import rescaled
from .result import Solution
from .tolerance import RTOL
from .verify import check_profiles, flat_payoffs, require_finite, verified_solution

#: Pivots allowed per path, per row of the two tableaux together.
MAX_PIVOTS_PER_ROW = 50
#: Wall-clock bound of one game's paths, in seconds.
MAX_SECONDS = 120.0
#: Two equilibria from different paths are the same if no probability differs by more than this.
MERGE = 1e-9
NOTE = ("Lemke-Howson from every starting label: the equilibria its paths reach, not necessarily all "
        "(complete: false)")


def _pivot(T: np.ndarray, basis: np.ndarray, entering: np.ndarray, eps: float = 1e-12):
    """One pivot in each of the stacked tableaux T (L, r, c + 1) on column `entering` (L,).

    The leaving row is chosen by the minimum-ratio test, ties broken lexicographically on the
    columns of the initial basis (the last r columns before the right-hand side). Returns the
    labels that leave (L,), -1 where no row can leave (an unbounded ray: no pivot done).
    """
    L, r, _ = T.shape
    idx = np.arange(L)
    col = T[idx, :, entering]  # (L, r)
    ok = col > eps * np.maximum(1.0, np.abs(col).max(axis=1, keepdims=True))
    ratio = np.where(ok, T[:, :, -1] / np.where(ok, col, 1.0), np.inf)
    best = ratio.min(axis=1, keepdims=True)
    tie = ok & (ratio <= best + 1e-12 * np.maximum(1.0, np.abs(best)))
    # lexicographic tie-break over the basis-inverse columns
    inverse = T[:, :, -1 - r:-1]
    for j in range(r):
        if not (tie.sum(axis=1) > 1).any():
            break
        key = np.where(tie, inverse[:, :, j] / np.where(ok, col, 1.0), np.inf)
        low = key.min(axis=1, keepdims=True)
        tie &= key <= low + 1e-12 * np.maximum(1.0, np.abs(low))
    row = np.argmax(tie, axis=1)
    blocked = ~tie.any(axis=1)
    leaving = np.where(blocked, -1, basis[idx, row])
    go = ~blocked
    if go.any():
        g = idx[go]
        rr = row[go]
        piv = T[g, rr, :] / T[g, rr, entering[go]][:, None]
        factor = T[g, :, entering[go]]  # (G, r)
        T[g] -= factor[:, :, None] * piv[:, None, :]
        T[g, rr, :] = piv
        basis[g, rr] = entering[go]
    return leaving


def paths(A: np.ndarray, B: np.ndarray, max_seconds: float = MAX_SECONDS):
    """Equilibria (x, y) reached from every starting label of the game with positive payoffs (A, B) in [1, 2].

    Returns ``(x, y, ok)``: (L, m) and (L, n) normalised strategies for the L = m + n starting
    labels, and where the path ended at an equilibrium within its bounds.
    """
    m, n = A.shape
    L = m + n
    # P's tableau: rows = n constraints B^T x + s = 1; columns: x (labels 0..m-1), s (labels m..m+n-1), rhs
    TP = np.concatenate([B.T, np.eye(n), np.ones((n, 1))], axis=1)[None].repeat(L, axis=0)
    # Q's tableau: rows = m constraints A y + r = 1; columns: y (labels m..m+n-1), r (labels 0..m-1), rhs
    TQ = np.concatenate([A, np.eye(m), np.ones((m, 1))], axis=1)[None].repeat(L, axis=0)
    basis_P = np.tile(np.arange(m, m + n), (L, 1))  # column indices of TP: slack s_j is column m + j
    basis_Q = np.tile(np.arange(n, n + m), (L, 1))  # column indices of TQ: slack r_i is column n + i
    start = np.arange(L)
    # entering label; label l < m is x_l (TP column l) or r_l (TQ column n + l); label m + j is s_j
    # (TP column m + j) or y_j (TQ column j)
    label = start.copy()
    in_P = start < m  # the first pivot: x_k enters P for a row label, y_j enters Q for a column label
    active = np.ones(L, dtype=bool)
    done = np.zeros(L, dtype=bool)
    deadline = time.monotonic() + max_seconds
    for _ in range(MAX_PIVOTS_PER_ROW * L):
        if not active.any() or time.monotonic() > deadline:
            break
        for side in (True, False):
            sel = np.flatnonzero(active & (in_P == side))
            if not len(sel):
                continue
            lab = label[sel]
            if side:
                col = lab  # x_l or s_j: TP column = label
                left = _pivot_sub(TP, basis_P, sel, col)
                left_label = left  # TP column index = label
            else:
                col = np.where(lab < m, n + lab, lab - m)
                left = _pivot_sub(TQ, basis_Q, sel, col)
                left_label = np.where(left < 0, -1, np.where(left < n, left + m, left - n))
            ray = left_label < 0
            active[sel[ray]] = False
            back = left_label == start[sel]
            done[sel[back & ~ray]] = True
            active[sel[back]] = False
            label[sel] = left_label
            in_P[sel] = not side
    x = np.zeros((L, m))
    y = np.zeros((L, n))
    for path in np.flatnonzero(done).tolist():
        for r, c in enumerate(basis_P[path].tolist()):
            if c < m:
                x[path, c] = TP[path, r, -1]
        for r, c in enumerate(basis_Q[path].tolist()):
            if c < n:
                y[path, c] = TQ[path, r, -1]
    x = np.maximum(x, 0.0)
    y = np.maximum(y, 0.0)
    ok = done & (x.sum(axis=1) > 0) & (y.sum(axis=1) > 0)
    x = x / np.where(ok, x.sum(axis=1), 1.0)[:, None]
    y = y / np.where(ok, y.sum(axis=1), 1.0)[:, None]
    return x, y, ok


def _pivot_sub(T: np.ndarray, basis: np.ndarray, sel: np.ndarray, col: np.ndarray) -> np.ndarray:
    sub, sub_basis = T[sel], basis[sel]
    left = _pivot(sub, sub_basis, col)
    T[sel], basis[sel] = sub, sub_basis
    return left


def lemke_howson(game: NormalFormGame, *, rtol: float = RTOL, max_seconds: float = MAX_SECONDS) -> Solution:
    """Equilibria of a 2-player game reached by Lemke-Howson from every starting label (concept ``"nash"``).

    One game per batch point, the paths of a point all at once. Verified; ``complete`` is False.

    Parameters
    ----------
    game : NormalFormGame
        Two players, finite payoffs.
    rtol : float
        Relative tolerance for verification.
    max_seconds : float
        Wall-clock bound per batch point.

    Returns
    -------
    Solution
        Method ``"Lemke-Howson"``; the distinct verified equilibria found at each point.
    """
    if game.n_players != 2:
        raise GameError(f"Lemke-Howson needs a 2-player game; this game has {game.n_players} players")
    require_finite(game)
    pay = flat_payoffs(game)
    A, B, _, _ = rescaled(pay, rtol)
    points, xs, ys = [], [], []
    for p in range(game.batch_size):
        x, y, ok = paths(A[p], B[p], max_seconds)
        x, y = x[ok], y[ok]
        keep: list[int] = []
        for i in range(len(x)):
            if not any(np.abs(x[i] - x[j]).max() <= MERGE and np.abs(y[i] - y[j]).max() <= MERGE for j in keep):
                keep.append(i)
        points.append(np.full(len(keep), p))
        xs.append(x[keep])
        ys.append(y[keep])
    point = np.concatenate(points) if points else np.zeros(0, dtype=np.int64)
    x = np.concatenate(xs) if xs else np.zeros((0, game.shape[0]))
    y = np.concatenate(ys) if ys else np.zeros((0, game.shape[1]))
    if len(point):  # a path that ended on rounding noise is not an equilibrium: drop it, verify the rest
        passed = check_profiles(game, (x, y), point, rtol).passed
        point, x, y = point[passed], x[passed], y[passed]
    return verified_solution(game, concept="nash", method="Lemke-Howson", point=point, strategies=(x, y), rtol=rtol,
                             complete=np.zeros(game.batch_size, dtype=bool), notes=(NOTE,))


__all__ = ["MAX_PIVOTS_PER_ROW", "MAX_SECONDS", "lemke_howson", "paths"]
