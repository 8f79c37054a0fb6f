"""The best-response polytopes of a 2-player game and their candidate vertices, for a whole batch at once.

With payoffs rescaled into [1, 2] (which changes no best reply), player 1's best-response polytope is
``P = {x >= 0, B'^T x <= 1}`` and player 2's is ``Q = {y >= 0, A' y <= 1}`` (von Stengel, Handbook of
Game Theory vol. 3, ch. 45). Every vertex other than 0 solves a square system ``C[K, T]^T z_K = 1``:
a support K of z and the same number of tight constraints T. `candidates` solves all (K, T) pairs of
one size for every batch point at once (closed-form inverses up to 3x3, LAPACK beyond) and sorts
each into VALID, INVALID or UNDECIDED by comparing every coordinate and slack with a bound on its
rounding error (from the system's condition number); `confirm.settle` decides the undecided ones
exactly. Each player's payoffs are rescaled by their own range, after an exact division by a power
of two (so nothing overflows).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cache

import numpy as np

from .tolerance import NOISE, player_exponents, to_unit

#: Feasibility by the tolerance test (the fallback) uses this fraction of the tolerance.
STRICT = 0.25
#: Degeneracy is detected with a looser threshold, so that every tied equilibrium (unused best
#: response within tol) lies at a point reported degenerate.
LOOSE = 1.25
#: Systems with a larger (estimated) condition number are not trusted in floating point (decided exactly).
COND_LIMIT = 1e10
#: A float candidate is decided when every coordinate and slack clears zero by this times its condition number.
MARGIN = 64 * NOISE


try:  # the gufunc behind numpy.linalg.inv, which reports a singular matrix by NaNs instead of raising
    from numpy.linalg import _umath_linalg

    _lapack_inv: np.ufunc | None = _umath_linalg.inv
except (ImportError, AttributeError):  # pragma: no cover - another numpy layout: the determinant test
    _lapack_inv = None


@cache
def _subsets(n: int, k: int) -> np.ndarray:
    return np.array(list(itertools.combinations(range(n), k)), dtype=np.intp).reshape(-1, k)


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


def rescaled(pay: np.ndarray, rtol: float):
    """Each player's payoffs mapped into [1, 2] (best replies unchanged) with thresholds for its constraints.

    Returns ``(A', B', thresholds for Q (from A), thresholds for P (from B))``. A player whose payoffs
    span less than `rtol` of their size is scaled by that: all its actions are then tied.
    """
    P, _, m, n = pay.shape
    prob = np.full((P, 1, 1), STRICT * rtol / (4 * max(m, n)))
    prob_loose = np.full((P, 1, 1), LOOSE * rtol)
    out = []
    exps = player_exponents(pay)
    for i in (0, 1):
        M = to_unit(pay[:, i], exps[:, i, None, None])  # exact; |M| < 1, so no difference overflows
        lo = M.min(axis=(1, 2))
        scale = np.maximum(M.max(axis=(1, 2)) - lo, rtol * np.abs(M).max(axis=(1, 2)))
        scale = np.where(scale > 0, scale, 1.0)
        out.append(((M - lo[:, None, None]) / scale[:, None, None] + 1.0,
                    Thresholds((rtol * np.ones_like(scale)).reshape(P, 1, 1), prob, prob_loose)))
    (A, th_A), (B, th_B) = out
    return A, B, th_A, th_B


def _cross(u, v):
    return [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]]


def _solve_ones(M: list, stacked: np.ndarray | None = None, singular_by_lu: bool = False):
    """Solve ``M z = 1`` for stacked k x k systems given entrywise (``M[t][i]`` arrays, entries in [1, 2]).

    Returns ``(zbar, inv_s, cond, usable)``: the solution normalised to sum 1 (list over i),
    ``1 / sum(z)``, an estimate of the condition number (infinite for a singular system), and
    where the float answer can be used at all (condition below `COND_LIMIT`, positive sum).
    Systems up to 3x3 use closed-form adjugates (far faster than LAPACK's per-matrix overhead at
    this size); larger ones `numpy.linalg` (on `stacked`, ``stacked[..., t, i] = M[t][i]``, when given).

    A system is regular where its determinant is finite and nonzero. With `singular_by_lu` the
    determinant is not computed: a system is singular where the LU factorisation inside the inverse
    meets an exact zero pivot (or the inverse overflows), which is the same test except where the
    determinant underflows to zero, i.e. ``|det| < 5e-324``. A regular system with condition estimate
    below `COND_LIMIT` has ``|det| > 1e-10 ** k``, so up to ``k = 30`` both tests agree on every system
    with a usable float answer, and every other number is the same.
    """
    k = len(M)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
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
            cond = np.where(det != 0, 2 * k * norm_adj / np.abs(det), np.inf)  # ||M|| <= 2k
        else:
            if stacked is None:
                stacked = np.stack([np.stack(row, -1) for row in M], -2)
            if singular_by_lu and _lapack_inv is not None and k <= 30:
                inv = _lapack_inv(stacked, signature="d->d")  # NaN where LAPACK meets a zero pivot
                regular = np.isfinite(inv).all(axis=(-2, -1))
                inv = np.where(regular[..., None, None], inv, np.eye(k))  # as inverting the identity
            else:
                det = np.linalg.det(stacked)
                regular = np.isfinite(det) & (det != 0)
                inv = np.linalg.inv(np.where(regular[..., None, None], stacked, np.eye(k)))
            cond = np.where(regular, 2 * k * np.abs(inv).sum(-1).max(-1), np.inf)
            adj, det = [[inv[..., i, t] for t in range(k)] for i in range(k)], 1.0
        r = [_sum(row) for row in adj]
        total = _sum(r)
        usable = (cond < COND_LIMIT) & (total * det > 0)
        total = np.where(usable, total, 1.0)
        return [x / total for x in r], det / total, cond, usable


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


def _repeats(M: list) -> np.ndarray:
    """Where a stacked k x k system has two equal rows or two equal columns (exactly singular)."""
    k = len(M)
    out = np.zeros(np.shape(M[0][0]), dtype=bool)
    for r, s in itertools.combinations(range(k), 2):
        same_row = np.ones_like(out)
        same_col = np.ones_like(out)
        for t in range(k):
            same_row &= M[r][t] == M[s][t]
            same_col &= M[t][r] == M[t][s]
        out |= same_row | same_col
    return out


#: Candidate states.
INVALID, VALID, UNDECIDED = 0, 1, 2


@dataclass(frozen=True)
class Candidates:
    """Solutions of the systems ``C[K, T]^T z_K = 1`` for all K, T of one size k, over a chunk of points.

    Arrays are indexed ``[p, a, b]`` for point p, support ``K = Ks[a]`` and tight set ``T = Ts[b]``
    (all subsets of size k: ``Ks = subsets(d, k)``, ``Ts = subsets(c, k)``), or, for candidates given
    as explicit pairs (`paired`), ``[p, a, 0]`` with ``K = Ks[a]`` and ``T = Ts[a]``:
    `z` the normalised solution on K (a list over K's k entries),
    `state` INVALID, VALID (a vertex whose labels are exactly the complement of K and T) or
    UNDECIDED (floating point cannot tell: decide it with `settle`), `tolerant` whether the
    tolerance test accepts it (the fallback), and `loose` its number of labels within the loose
    tolerance (for the degeneracy flag).
    """

    k: int
    d: int
    c: int
    z: list
    cond: np.ndarray
    state: np.ndarray
    tolerant: np.ndarray
    loose: np.ndarray
    Ks: np.ndarray
    Ts: np.ndarray
    paired: bool = False

    def tight_sets(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The tight sets T (rows of length k) of the candidates at indices (a, b)."""
        return self.Ts[a] if self.paired else self.Ts[b]


def candidates(C: np.ndarray, k: int, th: Thresholds, pairs: tuple[np.ndarray, np.ndarray] | None = None
               ) -> Candidates:
    """Candidate vertices with support size `k` of ``{z >= 0, C^T z <= 1}`` for stacked ``C`` (p, d, c).

    Every (support, tight set) pair of size k, or only the given `pairs` ``(Ks, Ts)`` (two (N, k) index
    arrays: the systems whose vertices a convex-hull enumeration found), indexed ``[p, a, 0]``.
    """
    P, d, c = C.shape
    paired = pairs is not None
    Ks, Ts = pairs if pairs is not None else (_subsets(d, k), _subsets(c, k))
    # struct of arrays: one (P, nK, nT) array per matrix entry (nT = 1 for explicit pairs), since k is tiny
    if k > 3:
        # LAPACK's systems gathered in one indexing, stacked[..., t, i] = C[:, K_i, T_t] (the same contiguous
        # array `_solve_ones` would stack from the entries, so the same numbers); the entries are its views
        T_index = Ts[:, None, :, None] if paired else Ts[None, :, :, None]
        stacked = C[:, Ks[:, None, None, :], T_index]
        rows = [[stacked[..., t, i] for i in range(k)] for t in range(k)]
    else:
        t_index = (lambda t: Ts[:, t][:, None]) if paired else (lambda t: Ts[:, t][None, :])
        rows = [[C[:, Ks[:, i][:, None], t_index(t)] for i in range(k)] for t in range(k)]
        stacked = None
    z, inv_s, cond, usable = _solve_ones(rows, stacked)
    margin = MARGIN * np.where(np.isfinite(cond), cond, 0.0)
    in_T = np.zeros((len(Ts), c), dtype=bool)
    in_T[np.arange(len(Ts))[:, None], Ts] = True
    clear = usable.copy()
    bad = np.zeros_like(usable)
    tolerant = usable.copy()
    loose = d - k
    for x in z:
        clear &= x > margin
        bad |= x < -margin
        tolerant &= x >= -th.prob
        loose = loose + (x <= th.prob_loose)
    for j in range(c):
        # gain of the constraint owner's action j against z over its best reply to z (rescaled units)
        g = _sum([z[i] * C[:, Ks[:, i], j][:, :, None] for i in range(k)]) - inv_s
        outside = ~(in_T[None, :, None, j] if paired else in_T[None, None, :, j])
        clear &= ~outside | (g < -margin)
        bad |= outside & (g > margin)
        tolerant &= g <= STRICT * th.pay
        loose = loose + (g >= -LOOSE * th.pay)
    # a regular system whose solution sums to <= 0 has negative coordinates of total size >= 1 (C^T z = 1,
    # entries in [1, 2]): clearly no vertex
    bad |= (cond < COND_LIMIT) & ~usable
    state = np.where(clear, VALID, np.where((cond < COND_LIMIT) & bad, INVALID, UNDECIDED)).astype(np.int8)
    # a system with two equal rows or columns is singular in the game's own payoffs too (rescaling maps
    # equal payoffs to equal numbers), and some other system of the same vertex is regular
    # (the equal-rows test only where it can change the state: a singular system that is still undecided)
    open_ = np.nonzero((state == UNDECIDED) & ~usable)
    if len(open_[0]):
        state[open_] = np.where(_repeats([[x[open_] for x in row] for row in rows]), INVALID, UNDECIDED)
    return Candidates(k, d, c, z, cond, state, tolerant, loose, Ks, Ts, paired)


def paired_candidates(C: np.ndarray, k: int, th: Thresholds, Ks: np.ndarray, Ts: np.ndarray) -> Candidates:
    """`candidates` for explicit pairs ``(Ks, Ts)``, vectorised over the constraints: the same numbers.

    Every value is computed by the same floating-point operations in the same order as
    ``candidates(C, k, th, pairs=(Ks, Ts))`` (the system entries gathered in one indexing step, the
    slacks of all c constraints at once), so the result is bit for bit the same, at a fraction of
    the Python overhead: the per-game convex-hull enumeration (`hull`) calls it once per support size.
    """
    P, d, c = C.shape
    N = len(Ks)
    S = C[:, Ks[:, None, :], Ts[:, :, None]]  # S[p, n, t, i] = C[p, K[n, i], T[n, t]], i.e. M[t][i]
    rows = [[S[:, :, t, i, None] for i in range(k)] for t in range(k)]
    z, inv_s, cond, usable = _solve_ones(rows, S[:, :, None] if k > 3 else None)
    margin = MARGIN * np.where(np.isfinite(cond), cond, 0.0)
    outside = np.ones((N, c), dtype=bool)
    outside[np.arange(N)[:, None], Ts] = False
    Zs = np.concatenate(z, axis=-1)  # (P, N, k)
    clear = usable & (Zs > margin).all(axis=-1, keepdims=True)
    bad = (Zs < -margin).any(axis=-1, keepdims=True)
    tolerant = usable & (Zs >= -th.prob).all(axis=-1, keepdims=True)
    loose = (d - k) + (Zs <= th.prob_loose).sum(axis=-1, keepdims=True)
    # gains of every constraint owner's action j against z over its best reply, summed over i in order
    g = z[0] * C[:, Ks[:, 0], :]
    for i in range(1, k):
        g = g + z[i] * C[:, Ks[:, i], :]
    g = g - inv_s
    with np.errstate(invalid="ignore"):
        clear &= (~outside | (g < -margin)).all(axis=-1, keepdims=True)
        bad |= (outside & (g > margin)).any(axis=-1, keepdims=True)
        tolerant &= (g <= STRICT * th.pay).all(axis=-1, keepdims=True)
        loose = loose + (g >= -LOOSE * th.pay).sum(axis=-1, keepdims=True)
    bad |= (cond < COND_LIMIT) & ~usable
    state = np.where(clear, VALID, np.where((cond < COND_LIMIT) & bad, INVALID, UNDECIDED)).astype(np.int8)
    doubt = (state == UNDECIDED) & ~usable
    if doubt.any():
        p, n, _ = np.nonzero(doubt)
        sub = S[p, n]  # (U, k, k)
        eye = np.eye(k, dtype=bool)
        same_rows = (sub[:, :, None, :] == sub[:, None, :, :]).all(-1) & ~eye
        same_cols = (sub[:, :, :, None] == sub[:, :, None, :]).all(-3) & ~eye
        state[p[(same_rows | same_cols).any(axis=(1, 2))], n[(same_rows | same_cols).any(axis=(1, 2))], 0] = INVALID
    return Candidates(k, d, c, z, cond, state, tolerant, loose, Ks, Ts, True)
