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
Each pivot updates a contiguous stack of tableaux in place (paths that start on the same side stay
in step), with finished paths masked and dropped from the stack once a quarter has finished. Where
the compiled kernel ``negosim/native/lemke_howson.c`` was built, the paths are followed one after
another in C with the same arithmetic, operation for operation, so they end at the same points
(only which paths a wall-clock bound cuts short can differ).

The equilibria found are verified like every other method's and reported with ``complete: False``:
Lemke-Howson finds some equilibria, never a guarantee of all.

>>> from negosim.game import NormalFormGame
>>> bos = NormalFormGame.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
>>> sol = lemke_howson(bos)
>>> [s.tolist() for s in sol.strategies[0]], bool(sol.complete.all())
([[1.0, 0.0], [0.0, 1.0]], False)
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np

from ..errors import GameError
from ..game.normal import NormalFormGame
from ..native import load
from .polytope import rescaled
from .result import Solution
from .tolerance import RTOL
from .verify import check_profiles, flat_payoffs, require_finite, verified_solution

#: Pivots allowed per path, per row of the two tableaux together.
MAX_PIVOTS_PER_ROW = 50
#: Wall-clock bound of one game's paths, in seconds.
MAX_SECONDS = 120.0
#: Most tableau entries held at once (8 bytes each); the paths are followed in chunks that fit.
MAX_STACK_NUMBERS = 8_000_000
#: Two equilibria from different paths are the same if no probability differs by more than this.
MERGE = 1e-9
NOTE = ("Lemke-Howson from every starting label: the equilibria its paths reach, not necessarily all "
        "(complete: false)")


def _pivot(T: np.ndarray, basis: np.ndarray, entering: np.ndarray, lex: slice, live: np.ndarray,
           eps: float = 1e-12) -> np.ndarray:
    """One pivot, in place, in each live tableau of the stack T (G, r, c) on column `entering` (G,).

    The leaving row is chosen by the minimum-ratio test, ties broken lexicographically on the
    columns `lex` of the tableau (the initial basis, i.e. the rows of the basis inverse). Returns
    the labels (column indices) that leave (G,): -1 where no row can leave (an unbounded ray) or
    the path is not live; those tableaux are left unchanged. No tableau is copied: the update is
    one rank-1 correction of the whole stack, with a zero factor where nothing pivots.
    """
    G = T.shape[0]
    idx = np.arange(G)
    col = T[idx, :, entering]  # (G, r): a copy of one column per tableau, not of the tableau
    ok = (col > eps * np.maximum(1.0, np.abs(col).max(axis=1, keepdims=True))) & live[:, None]
    safe = np.where(ok, col, 1.0)
    ratio = np.where(ok, T[:, :, -1] / safe, np.inf)
    best = ratio.min(axis=1, keepdims=True)
    tie = ok & (ratio <= best + 1e-12 * np.maximum(1.0, np.abs(best)))
    # Ties broken lexicographically on the basis-inverse columns, which rules out cycling.
    for j in range(lex.start, lex.stop):
        if not (tie.sum(axis=1) > 1).any():
            break
        key = np.where(tie, T[:, :, j] / safe, np.inf)
        low = key.min(axis=1, keepdims=True)
        tie &= key <= low + 1e-12 * np.maximum(1.0, np.abs(low))
    row = np.argmax(tie, axis=1)
    go = tie.any(axis=1)
    leaving = np.where(go, basis[idx, row], -1)
    element = np.where(go, T[idx, row, entering], 1.0)
    pivot_row = T[idx, row, :] / element[:, None]  # (G, c)
    factor = np.where(go[:, None], col, 0.0)
    factor[idx, row] = 0.0  # the pivot row itself is replaced below, not corrected
    T -= factor[:, :, None] * pivot_row[:, None, :]
    T[idx[go], row[go], :] = pivot_row[go]
    basis[idx[go], row[go]] = entering[go]
    return leaving


def _follow(TP: np.ndarray, TQ: np.ndarray, start: np.ndarray, m: int, in_P: bool, max_pivots: int,
            deadline: float, x: np.ndarray, y: np.ndarray, ok: np.ndarray, pivots: np.ndarray) -> None:
    """Follow the paths with starting labels `start`, which all make their first pivot on the same side.

    Columns of both tableaux are labels (P: x then s; Q: r then y). Paths that start on the same
    side stay in step (every path alternates sides), so each pivot is one in-place operation on a
    contiguous stack. Finished paths are masked, and dropped from the stack (one copy) once a
    quarter of it has finished. Results go into x, y, ok and pivots, indexed by starting label.
    """
    G = len(start)
    n = TP.shape[1]
    basis_P = np.tile(np.arange(m, m + n), (G, 1))
    basis_Q = np.tile(np.arange(m), (G, 1))
    lex_P, lex_Q = slice(m, m + n), slice(0, m)
    label = start.copy()
    live = np.ones(G, dtype=bool)
    for step in range(max_pivots):
        if not live.any() or time.monotonic() > deadline:
            break
        if in_P:
            leaving = _pivot(TP, basis_P, label, lex_P, live)
        else:
            leaving = _pivot(TQ, basis_Q, label, lex_Q, live)
        in_P = not in_P
        ended = live & ((leaving < 0) | (leaving == start))
        reached = ended & (leaving >= 0)
        for g in np.flatnonzero(reached).tolist():
            path = int(start[g])
            xb, yb = basis_P[g] < m, basis_Q[g] >= m
            x[path, basis_P[g][xb]] = TP[g, xb, -1]
            y[path, basis_Q[g][yb] - m] = TQ[g, yb, -1]
            ok[path] = True
        pivots[start[live]] = step + 1
        live &= ~ended
        label = np.where(live, leaving, label)
        if 4 * (G - int(live.sum())) >= G and live.any():
            keep = np.flatnonzero(live)
            TP, TQ, basis_P, basis_Q = TP[keep], TQ[keep], basis_P[keep], basis_Q[keep]
            start, label, live, G = start[keep], label[keep], live[keep], len(keep)


def paths(A: np.ndarray, B: np.ndarray, max_seconds: float = MAX_SECONDS,
          max_pivots: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Equilibria (x, y) reached from every starting label of the game with positive payoffs (A, B) in [1, 2].

    Parameters
    ----------
    A, B : ndarray
        (m, n) payoffs of the row and column player, positive.
    max_seconds : float
        Wall-clock bound of all paths together.
    max_pivots : int, optional
        Pivots allowed per path; default `MAX_PIVOTS_PER_ROW` times m + n.

    Returns
    -------
    x, y, ok, pivots : ndarray
        (L, m) and (L, n) normalised strategies for the L = m + n starting labels (label k < m
        is row strategy k, label m + j column strategy j), where the path ended at a completely
        labelled point within its bounds, and the pivots each path made.

    Examples
    --------
    >>> A = np.array([[2.0, 1.0], [1.0, 1.5]]); B = np.array([[1.5, 1.0], [1.0, 2.0]])
    >>> x, y, ok, pivots = paths(A, B)
    >>> x[0].tolist(), y[0].tolist(), bool(ok.all()), pivots.tolist()
    ([1.0, 0.0], [1.0, 0.0], True, [2, 2, 2, 2])
    """
    m, n = A.shape
    L = m + n
    if max_pivots is None:
        max_pivots = MAX_PIVOTS_PER_ROW * L
    deadline = time.monotonic() + max_seconds
    x, y = np.zeros((L, m)), np.zeros((L, n))
    ok = np.zeros(L, dtype=bool)
    pivots = np.zeros(L, dtype=np.int64)
    # P: n rows B^T x + s = 1, columns x (labels 0..m-1), s (labels m..L-1), rhs.
    # Q: m rows r + A y = 1, columns r (labels 0..m-1), y (labels m..L-1), rhs.
    P0 = np.concatenate([B.T, np.eye(n), np.ones((n, 1))], axis=1)
    Q0 = np.concatenate([np.eye(m), A, np.ones((m, 1))], axis=1)
    native = load("lemke_howson")
    if native is not None:  # the same pivots in C, one path after another (see negosim/native/lemke_howson.c)
        for k in range(L):
            remaining = deadline - time.monotonic()
            if remaining < 0:
                break
            ok[k], pivots[k] = native.follow(P0, Q0, m, k, max_pivots, remaining, x[k], y[k])
        return _normalised(x, y, ok, pivots)
    chunk = max(1, MAX_STACK_NUMBERS // (L * (L + 1)))  # one path holds (n + m) rows of L + 1 numbers
    for labels, in_P in ((np.arange(m), True), (np.arange(m, L), False)):
        # Dropping a row label lets x_k enter P first; dropping a column label lets y_j enter Q first.
        for i in range(0, len(labels), chunk):
            start = labels[i:i + chunk]
            G = len(start)
            _follow(np.repeat(P0[None], G, axis=0), np.repeat(Q0[None], G, axis=0), start, m, in_P,
                    max_pivots, deadline, x, y, ok, pivots)
    return _normalised(x, y, ok, pivots)


def _normalised(x: np.ndarray, y: np.ndarray, ok: np.ndarray,
                pivots: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The paths' end points as probability vectors; a path whose x or y is all zero did not reach one."""
    x, y = np.maximum(x, 0.0), np.maximum(y, 0.0)
    ok &= (x.sum(axis=1) > 0) & (y.sum(axis=1) > 0)
    x = x / np.where(ok, x.sum(axis=1), 1.0)[:, None]
    y = y / np.where(ok, y.sum(axis=1), 1.0)[:, None]
    return x, y, ok, pivots


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

    Examples
    --------
    >>> from negosim.game import NormalFormGame
    >>> g = NormalFormGame.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> sol = lemke_howson(g)
    >>> sol.method, int(sol.counts()), bool(sol.complete)
    ('Lemke-Howson', 2, False)
    >>> sol.strategies[0].tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    if game.n_players != 2:
        raise GameError(f"Lemke-Howson needs a 2-player game; this game has {game.n_players} players")
    require_finite(game)
    pay = flat_payoffs(game)
    A, B, _, _ = rescaled(pay, rtol)
    m, n = game.shape
    points, xs, ys, reach = [], [], [], []
    stopped = 0
    for p in range(game.batch_size):
        x, y, ok, _ = paths(A[p], B[p], max_seconds)
        stopped += int((~ok).sum())
        x, y = x[ok], y[ok]
        keep: list[int] = []
        count: list[int] = []
        for i in range(len(x)):  # each path's end joins the first kept one within MERGE, or is kept
            if keep:
                near = (np.abs(x[keep] - x[i]).max(axis=1) <= MERGE) & (np.abs(y[keep] - y[i]).max(axis=1) <= MERGE)
                if near.any():
                    count[int(near.argmax())] += 1
                    continue
            keep.append(i)
            count.append(1)
        points.append(np.full(len(keep), p))
        xs.append(x[keep])
        ys.append(y[keep])
        reach.append(np.array(count, dtype=np.int64))
    point = np.concatenate(points) if points else np.zeros(0, dtype=np.int64)
    x = np.concatenate(xs) if xs else np.zeros((0, game.shape[0]))
    y = np.concatenate(ys) if ys else np.zeros((0, game.shape[1]))
    labels = np.concatenate(reach) if reach else np.zeros(0, dtype=np.int64)
    if len(point):  # a path that ended on rounding noise is not an equilibrium: drop it, verify the rest
        passed = check_profiles(game, (x, y), point, rtol).passed
        point, x, y, labels = point[passed], x[passed], y[passed], labels[passed]
    sol = verified_solution(game, concept="nash", method="Lemke-Howson", point=point, strategies=(x, y), rtol=rtol,
                            complete=np.zeros(game.batch_size, dtype=bool))
    # verified_solution sorts the rows: carry each row's label count along by matching profiles
    found = np.concatenate([x, y], axis=1)
    listed = np.concatenate(sol.strategies, axis=1)
    same_point = sol.point[:, None] == point[None, :]
    gap = np.where(same_point, np.abs(listed[:, None, :] - found[None, :, :]).max(axis=2), np.inf)
    sol.extra["starting_labels"] = labels[gap.argmin(axis=1)] if len(listed) else labels[:0]
    return dataclasses.replace(sol, notes=(NOTE, _reach_note(sol, game, m + n, stopped)))


def _reach_note(sol: Solution, game: NormalFormGame, labels: int, stopped: int) -> str:
    """How many starting labels reached each listed equilibrium, and how many paths stopped at a bound."""
    reached = np.asarray(sol.extra["starting_labels"], dtype=np.int64)
    if game.batch_size == 1:
        counts = ", ".join(str(int(c)) for c in reached)
        what = f"starting labels reaching each equilibrium, in the order listed: {counts}" if len(reached) else \
            "no path ended at a verified equilibrium"
    else:
        what = f"{int(reached.sum())} paths reached {len(reached)} equilibria over {game.batch_size} points"
    bound = f"; {stopped} stopped at the pivot or time bound" if stopped else ""
    return f"Lemke-Howson from all {labels} starting labels per point: {what}{bound}"


__all__ = ["MAX_PIVOTS_PER_ROW", "MAX_SECONDS", "lemke_howson", "paths"]
