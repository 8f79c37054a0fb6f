"""All extreme Nash equilibria of 2-player games by vertex enumeration of the best-response polytopes.

With payoffs rescaled into [1, 2] (which changes no best reply), player 1's best-response polytope is
``P = {x >= 0, B'^T x <= 1}`` and player 2's is ``Q = {y >= 0, A' y <= 1}`` (von Stengel, Handbook of
Game Theory vol. 3, ch. 45). Labels: ``i`` for ``x_i = 0`` or row ``i`` tight in Q, ``m + j`` for a
tight column ``j`` in P or ``y_j = 0``. The extreme equilibria are the completely labelled pairs of
nonzero vertices, normalised. A vertex with more tight constraints than its dimension means the
game is degenerate (von Stengel's criterion: some mixed strategy has more pure best responses than
its support size).

Every vertex other than 0 solves a square system ``C[K, T]^T z_K = 1``: a support K of z and the
same number of tight constraints T. All (K, T) pairs of one size are solved for every batch point at
once (closed-form inverses up to 3x3, LAPACK beyond), which is also what support enumeration needs;
`support.py` reuses `candidates`. Each player's payoffs are rescaled by their own range (so a player
whose payoffs span a sliver of the game's range keeps full precision); payoff tolerances are then
``tol / own range``, and probabilities are zero within a small multiple of `rtol`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cache
from math import comb

import numpy as np

from ..errors import GameError
from ..game.normal import NormalFormGame
from .result import Solution, at_points
from .tolerance import RTOL, scaled_tol
from .verify import flat_payoffs, require_finite, verified_solution

#: Labels and feasibility use this fraction of the tolerance, so that a completely labelled pair
#: has regret at most half the tolerance (plus the effect of clipping tiny probabilities, which the
#: probability threshold ``STRICT * rtol / (4 * max(m, n))`` keeps below a quarter).
STRICT = 0.25
#: Degeneracy is detected with a looser threshold, so that every tied equilibrium (unused best
#: response within tol) lies at a point reported degenerate.
LOOSE = 1.25
#: Two equilibria at a point are the same if no probability differs by more than this times rtol.
MERGE = 1e3
#: Systems with a larger (estimated) condition number are treated as singular.
COND_LIMIT = 1e10
#: Largest number of (support, tight set) systems per polytope we agree to enumerate.
MAX_SYSTEMS = 2_000_000
_CHUNK_ELEMENTS = 1 << 22


@cache
def _subsets(n: int, k: int) -> np.ndarray:
    return np.array(list(itertools.combinations(range(n), k)), dtype=np.intp).reshape(-1, k)


def check_two_player(game: NormalFormGame, method: str) -> None:
    """Raise `GameError` unless `game` has 2 players and few enough actions to enumerate."""
    if game.n_players != 2:
        raise GameError(f"{method} needs a 2-player game; this game has {game.n_players} players")
    m, n = game.shape
    if comb(m + n, m) > MAX_SYSTEMS:
        raise GameError(f"{method}: a {m}x{n} game is too large to enumerate all equilibria")


@dataclass(frozen=True)
class Thresholds:
    """Per-point thresholds, shaped ``(p, 1, 1)`` to broadcast over candidate arrays.

    `pay`: the payoff tolerance in the rescaled units of the payoffs the polytope's constraints hold
    (the opponent's); `prob`: the probability below which a coordinate counts as zero; `prob_loose`:
    the same for degeneracy detection.
    """

    pay: np.ndarray
    prob: np.ndarray
    prob_loose: np.ndarray


def rescaled(pay: np.ndarray, tol: np.ndarray, rtol: float):
    """Each player's payoffs mapped into [1, 2] (best replies unchanged) with thresholds for its constraints.

    Returns ``(A', B', thresholds for Q (from A), thresholds for P (from B))``. A player whose payoffs
    span less than `tol` is scaled by `tol`: all its actions are then tied within tolerance.
    """
    P, _, m, n = pay.shape
    prob = np.full((P, 1, 1), STRICT * rtol / (4 * max(m, n)))
    prob_loose = np.full((P, 1, 1), LOOSE * rtol)
    out = []
    for M in (pay[:, 0], pay[:, 1]):
        lo = M.min(axis=(1, 2))
        scale = np.maximum(M.max(axis=(1, 2)) - lo, tol)
        scale = np.where(scale > 0, scale, 1.0)
        out.append(((M - lo[:, None, None]) / scale[:, None, None] + 1.0,
                    Thresholds((tol / scale).reshape(P, 1, 1), prob, prob_loose)))
    (A, th_A), (B, th_B) = out
    return A, B, th_A, th_B


def _cross(u, v):
    return [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]]


def _solve_ones(M: list):
    """Solve ``M z = 1`` for stacked k x k systems given entrywise (``M[t][i]`` arrays, entries in [1, 2]).

    Returns ``(zbar, inv_s, ok)``: the solution normalised to sum 1 (list over i), ``1 / sum(z)``,
    and where the system is usable: estimated condition number below `COND_LIMIT` (exactly or
    numerically singular systems, as in games with repeated payoffs, are skipped: every vertex
    also solves a well-conditioned system) and a positive sum. Systems up to 3x3 use closed-form
    adjugates (far faster than LAPACK's per-matrix overhead at this size); larger ones `numpy.linalg`.
    """
    k = len(M)
    if k <= 3:
        if k == 1:
            adj, det = [[np.ones_like(M[0][0])]], M[0][0]
        elif k == 2:
            (a, b), (c, d) = M
            adj, det = [[d, -b], [-c, a]], a * d - b * c
        else:
            cols = [_cross(M[1], M[2]), _cross(M[2], M[0]), _cross(M[0], M[1])]  # columns of the adjugate
            adj = [[cols[t][i] for t in range(3)] for i in range(3)]
            det = M[0][0] * cols[0][0] + M[0][1] * cols[0][1] + M[0][2] * cols[0][2]
        norm_adj = _max([_sum([np.abs(x) for x in row]) for row in adj])
        ok = np.abs(det) * COND_LIMIT > 2 * k * norm_adj  # ||M|| <= 2k bounds the condition number
    else:
        stacked = np.stack([np.stack(row, -1) for row in M], -2)
        det = np.linalg.det(stacked)
        ok = np.isfinite(det) & (det != 0)
        inv = np.linalg.inv(np.where(ok[..., None, None], stacked, np.eye(k)))
        ok &= 2 * k * np.abs(inv).sum(-1).max(-1) < COND_LIMIT
        adj, det = [[inv[..., i, t] for t in range(k)] for i in range(k)], 1.0
    r = [_sum(row) for row in adj]
    total = _sum(r)
    ok &= total * det > 0
    total = np.where(ok, total, 1.0)
    return [x / total for x in r], det / total, ok


def _sum(xs):
    out = xs[0]
    for x in xs[1:]:
        out = out + x
    return out


def _max(xs):
    out = xs[0]
    for x in xs[1:]:
        out = np.maximum(out, x)
    return out


@dataclass(frozen=True)
class Candidates:
    """Solutions of the systems ``C[K, T]^T z_K = 1`` for all K, T of one size k, over a chunk of points.

    Arrays are indexed ``[p, a, b]`` for point p, support ``K = subsets(d, k)[a]`` and tight set
    ``T = subsets(c, k)[b]``: `z` the normalised solution on K (a list over K's k entries), `valid`
    whether it is a point of the polytope (within the strict tolerance), `mask` its label bits
    (bit i: z_i = 0, bit d + j: constraint j tight) and `loose` its number of labels within the
    loose tolerance.
    """

    k: int
    z: list
    valid: np.ndarray
    mask: np.ndarray
    loose: np.ndarray


def candidates(C: np.ndarray, k: int, th: Thresholds) -> Candidates:
    """Candidate vertices with support size `k` of ``{z >= 0, C^T z <= 1}`` for stacked ``C`` (p, d, c)."""
    P, d, c = C.shape
    Ks, Ts = _subsets(d, k), _subsets(c, k)
    # struct of arrays: one (P, nK, nT) array per matrix entry, since k is tiny
    rows = [[C[:, Ks[:, i][:, None], Ts[:, t][None, :]] for i in range(k)] for t in range(k)]
    z, inv_s, ok = _solve_ones(rows)
    # g_j: gain of the constraint owner's action j against z over its best reply to z (rescaled units)
    g = [_sum([z[i] * C[:, Ks[:, i], j][:, :, None] for i in range(k)]) - inv_s for j in range(c)]
    valid = ok
    for x in z:
        valid = valid & (x >= -th.prob)
    for x in g:
        valid = valid & (x <= STRICT * th.pay)
    bits_K = (np.int64(1) << Ks).astype(np.int64)  # (nK, k)
    mask = (((1 << d) - 1) ^ bits_K.sum(-1))[None, :, None]
    loose = d - k
    for i, x in enumerate(z):
        mask = mask + (x <= th.prob) * bits_K[None, :, i, None]
        loose = loose + (x <= th.prob_loose)
    for j, x in enumerate(g):
        mask = mask + (x >= -STRICT * th.pay) * (np.int64(1) << (d + j))
        loose = loose + (x >= -LOOSE * th.pay)
    return Candidates(k, z, valid, mask, loose)


def expand(cand: Candidates, d: int, p: np.ndarray, a: np.ndarray, b: np.ndarray, th: Thresholds) -> np.ndarray:
    """Full probability vectors ``(V, d)`` of chosen candidates, with zero-labelled entries clipped to 0."""
    zK = np.stack([x[p, a, b] for x in cand.z], axis=-1) if len(p) else np.zeros((0, cand.k))
    zK = np.where(zK <= th.prob[p, 0], 0.0, zK)
    z = np.zeros((len(p), d))
    z[np.arange(len(p))[:, None], _subsets(d, cand.k)[a]] = zK
    return z / z.sum(axis=1, keepdims=True)


def chunks(P: int, m: int, n: int):
    """Slices of the flat batch small enough to hold every candidate system of a chunk in memory."""
    per_point = sum(comb(m, k) * comb(n, k) * (k * k + m + n) for k in range(1, min(m, n) + 1))
    step = max(1, _CHUNK_ELEMENTS // max(1, per_point))
    return [slice(lo, min(P, lo + step)) for lo in range(0, P, step)]


def _vertices(C: np.ndarray, th: Thresholds):
    """Nonzero vertices per point as (point, z (V, d), label mask), sorted by point; and degenerate flags (P,)."""
    P, d, c = C.shape
    pts, zs, masks = [], [], []
    degenerate = np.zeros(P, dtype=bool)
    for k in range(1, min(d, c) + 1):
        cand = candidates(C, k, th)
        p, a, b = np.nonzero(cand.valid)
        degenerate[p[cand.loose[p, a, b] > d]] = True
        pts.append(p)
        zs.append(expand(cand, d, p, a, b, th))
        masks.append(cand.mask[p, a, b])
    p, z, mask = np.concatenate(pts), np.concatenate(zs), np.concatenate(masks)
    order = np.lexsort((mask, p))
    p, z, mask = p[order], z[order], mask[order]
    keep = np.ones(len(p), dtype=bool)
    keep[1:] = (p[1:] != p[:-1]) | (mask[1:] != mask[:-1])  # a vertex is determined by its tight set
    return p[keep], z[keep], mask[keep], degenerate


def pairs_within(pa: np.ndarray, pb: np.ndarray, P: int):
    """Index pairs (ia, ib) of all rows of sorted `pa` and sorted `pb` that share a point."""
    cb = np.bincount(pb, minlength=P)
    start_b = np.cumsum(cb) - cb
    reps = cb[pa]
    ia = np.repeat(np.arange(len(pa)), reps)
    offs = np.arange(len(ia)) - np.repeat(np.cumsum(reps) - reps, reps)
    return ia, start_b[pa[ia]] + offs


def dedupe(point: np.ndarray, x: np.ndarray, y: np.ndarray, P: int, rtol: float):
    """Rows of (point, x, y), sorted by point, with near-duplicates (within ``MERGE * rtol``) dropped."""
    order = np.argsort(point, kind="stable")
    point, x, y = point[order], x[order], y[order]
    i, j = pairs_within(point, point, P)
    later = i < j
    i, j = i[later], j[later]
    close = (np.abs(x[i] - x[j]).max(1) <= MERGE * rtol) & (np.abs(y[i] - y[j]).max(1) <= MERGE * rtol)
    keep = np.ones(len(point), dtype=bool)
    keep[j[close]] = False
    return point[keep], x[keep], y[keep]


def _extreme_equilibria(pay: np.ndarray, tol: np.ndarray, rtol: float):
    """Extreme equilibria (point, x, y) and degenerate flags for a chunk of flat payoffs (p, 2, m, n)."""
    P, _, m, n = pay.shape
    A, B, th_A, th_B = rescaled(pay, tol, rtol)
    px, x, mx, degx = _vertices(B, th_B)
    py, y, my, degy = _vertices(np.swapaxes(A, 1, 2), th_A)
    my = (my >> n) | ((my & ((1 << n) - 1)) << m)  # Q's own bits -> global labels (rows first)
    i, j = pairs_within(px, py, P)
    full = (1 << (m + n)) - 1
    hit = (mx[i] | my[j]) == full
    return px[i[hit]], x[i[hit]], y[j[hit]], degx | degy


def _solve_chunks(game: NormalFormGame, rtol: float, kernel):
    """Run `kernel(pay, tol, rtol)` -> (point, x, y, degenerate) over memory-sized chunks of the batch."""
    require_finite(game)
    pay = flat_payoffs(game)
    P, (m, n) = game.batch_size, game.shape
    tol = scaled_tol(game.payoff_range(), rtol).reshape(-1)
    pts, xs, ys, degs = [], [], [], []
    for sl in chunks(P, m, n):
        p, x, y, deg = kernel(pay[sl], tol[sl], rtol)
        p, x, y = dedupe(p, x, y, sl.stop - sl.start, rtol)
        pts.append(p + sl.start)
        xs.append(x)
        ys.append(y)
        degs.append(deg)

    def cat(a: list[np.ndarray], w: int) -> np.ndarray:
        return np.concatenate(a) if a else np.zeros((0, w))

    point = np.concatenate(pts) if pts else np.zeros(0, dtype=np.int64)
    return point, (cat(xs, m), cat(ys, n)), tol, (np.concatenate(degs) if degs else np.zeros(0, bool))


def is_degenerate(game: NormalFormGame, *, rtol: float = RTOL) -> np.ndarray:
    """Whether the 2-player game is degenerate at each batch point (bool array of shape `batch_shape`).

    Degenerate means some mixed strategy with support size k has more than k pure best responses
    within tolerance, found as a vertex of a best-response polytope with too many labels.
    """
    check_two_player(game, "degeneracy test")
    require_finite(game)
    pay = flat_payoffs(game)
    tol = scaled_tol(game.payoff_range(), rtol).reshape(-1)
    out = np.zeros(game.batch_size, dtype=bool)
    for sl in chunks(game.batch_size, *game.shape):
        A, B, th_A, th_B = rescaled(pay[sl], tol[sl], rtol)
        out[sl] = _vertices(B, th_B)[3] | _vertices(np.swapaxes(A, 1, 2), th_A)[3]
    return out.reshape(game.batch_shape)


def vertex_enumeration(game: NormalFormGame, *, rtol: float = RTOL) -> Solution:
    """All extreme Nash equilibria of a 2-player game at every batch point (concept ``"nash"``).

    Complete everywhere: for a nondegenerate point these are all its equilibria; for a degenerate
    point (flagged) every equilibrium is a convex combination of listed ones within a component.
    """
    check_two_player(game, "vertex enumeration")
    point, strategies, tol, degenerate = _solve_chunks(game, rtol, _extreme_equilibria)
    notes: tuple[str, ...] = ()
    if degenerate.any():
        notes = (f"the game is degenerate{at_points(int(degenerate.sum()), game.batch_size)}: its equilibria "
                 "may form continua; all extreme equilibria are listed",)
    return verified_solution(game, concept="nash", method="vertex enumeration", point=point,
                             strategies=strategies, tol=tol, complete=np.ones(game.batch_size, dtype=bool),
                             degenerate=degenerate, notes=notes)


__all__ = ["vertex_enumeration", "is_degenerate"]
