"""Deciding what floating point cannot: candidate vertices confirmed in rational arithmetic.

`settle` takes a size's `polytope.Candidates`: VALID ones stand (their coordinates recomputed
exactly when the system is ill-conditioned), UNDECIDED ones (a value within rounding error of zero,
an ill-conditioned or singular system) are solved exactly on the simplest fractions the payoffs
round to (`exact.integer_vertex`), never dropped unseen. A point where rescaling would bring
distinct payoffs too close together is enumerated exactly as a whole
(`exactly_at_coarse_points`). Work per point is bounded by `EXACT_BUDGET`; a point that runs out
falls back to the tolerance test and is reported incomplete by the caller.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from . import exact, exact_batch
from .polytope import UNDECIDED, VALID, Candidates, Thresholds
from .tolerance import player_exponents, to_unit

#: Vertices from systems with a larger condition number get their coordinates recomputed exactly
#: (floating point would leave errors near ``REFINE_COND * eps`` of the payoff range in the regrets).
REFINE_COND = 1e3
#: Most candidates decided in rational arithmetic per point before falling back to the tolerance test.
EXACT_BUDGET = 5_000
#: Rescaled payoffs must keep distinct payoffs this far apart (relative to the range), else the point is exact.
RESOLUTION = 2.0 ** -36
#: Largest number of square systems per polytope a point may need for exact enumeration as a whole.
EXACT_SYSTEMS = 20_000


@dataclass
class ExactBudget:
    """Rational-arithmetic work left per point, and the points that ran out (so are not complete)."""

    left: np.ndarray
    exhausted: np.ndarray
    matrices: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Settled:
    """Chosen candidates of one size: (p, a, b) indices, full label sets (V, d + c), exact flags, z on K."""

    p: np.ndarray
    a: np.ndarray
    b: np.ndarray
    labels: np.ndarray
    exact: np.ndarray
    zK: np.ndarray


def settle(cand: Candidates, exact_matrix, budget: ExactBudget, th: Thresholds, *, refine: bool = True) -> Settled:
    """Decide every candidate: VALID ones as they are, UNDECIDED ones in rational arithmetic.

    `exact_matrix(p)` gives the polytope's matrix at point p as fractions (`exact.Matrix`).
    With ``refine=False`` the coordinates of ill-conditioned VALID candidates are not recomputed
    exactly (for callers that only need to know which candidates are vertices).
    Undecided candidates of a point whose budget is spent fall back to the tolerance test.
    """
    d, c, k = cand.d, cand.c, cand.k
    Ks = cand.Ks
    p, a, b = np.nonzero(cand.state == VALID)
    labels = np.zeros((len(p), d + c), dtype=bool)
    labels[:, :d] = True
    labels[np.arange(len(p))[:, None], Ks[a]] = False
    labels[np.arange(len(p))[:, None], d + cand.tight_sets(a, b)] = True
    zK = np.stack([x[p, a, b] for x in cand.z], axis=-1) if len(p) else np.zeros((0, k))
    refined = np.zeros(len(p), dtype=bool)
    ill = np.flatnonzero(cand.cond[p, a, b] > REFINE_COND) if refine else np.zeros(0, dtype=np.int64)
    if len(ill):
        # each point refines its first `budget.left` ill-conditioned vertices, in order; the rest keep floats
        q = p[ill]
        rank = np.arange(len(ill)) - np.searchsorted(q, q)  # position within its point (p is sorted)
        allowed = rank < budget.left[q]
        budget.exhausted[q[~allowed]] = True  # float coordinates stay; those failing verification are dropped
        np.subtract.at(budget.left, q[allowed], 1)
        r = ill[allowed]
        found = _exact_vertices(budget, exact_matrix, p[r], Ks[a[r]], cand.tight_sets(a[r], b[r]), d + c)
        hit = r[found.found]
        zK[hit] = (found.num[found.found] / found.total[found.found, None]).astype(float)
        refined[hit] = True
    up, ua, ub = np.nonzero(cand.state == UNDECIDED)
    if not len(up):
        return Settled(p, a, b, labels, refined, zK)
    out = [(p, a, b, labels, refined, zK)]
    if len(up):
        counts = np.bincount(up, minlength=len(budget.left))
        over = counts > budget.left
        budget.exhausted |= over
        budget.left = np.where(over, 0, budget.left - counts)
        fallback = over[up]
        fp, fa, fb = up[fallback], ua[fallback], ub[fallback]
        keep = cand.tolerant[fp, fa, fb]
        fp, fa, fb = fp[keep], fa[keep], fb[keep]
        flab = np.zeros((len(fp), d + c), dtype=bool)
        flab[:, :d] = True
        flab[np.arange(len(fp))[:, None], Ks[fa]] = False
        flab[np.arange(len(fp))[:, None], d + cand.tight_sets(fa, fb)] = True
        fz = np.stack([x[fp, fa, fb] for x in cand.z], axis=-1) if len(fp) else np.zeros((0, k))
        fz = np.where(fz <= th.prob[fp, 0], 0.0, fz)
        flab[:, :d] |= _full(fz, Ks[fa], d) == 0
        out.append((fp, fa, fb, flab, np.zeros(len(fp), dtype=bool), fz))
        ep, ea, eb = up[~fallback], ua[~fallback], ub[~fallback]
        found = _exact_vertices(budget, exact_matrix, ep, Ks[ea], cand.tight_sets(ea, eb), d + c)
        f = found.found
        if f.any():
            zf = (found.num[f] / found.total[f, None]).astype(float)  # int / int rounds correctly
            out.append((ep[f], ea[f], eb[f], found.labels[f], np.ones(int(f.sum()), dtype=bool), zf.reshape(-1, k)))
    return Settled(*(np.concatenate([o[i] for o in out]) for i in range(6)))


def _exact_vertices(budget: ExactBudget, exact_matrix, q: np.ndarray, K: np.ndarray, T: np.ndarray,
                    width: int) -> exact_batch.BatchVertices:
    """`exact.integer_vertex` for systems (q[n], K[n], T[n]) at once (`exact_batch`: the same numbers)."""
    if not len(q):
        return exact_batch.BatchVertices(np.zeros(0, dtype=bool), np.zeros((0, K.shape[1]), dtype=object),
                                         np.zeros(0, dtype=object), np.zeros((0, width), dtype=bool))
    points, which = np.unique(q, return_inverse=True)
    matrices = [_cached(budget, exact_matrix, int(x)) for x in points]
    if len(q) <= exact_batch.SMALL_BATCH:
        return exact_batch.scalar_vertices(matrices, which.reshape(-1), K, T)
    return exact_batch.integer_vertices(exact_batch.MatrixTable(matrices), which.reshape(-1), K, T)


def _cached(budget: ExactBudget, exact_matrix, q: int) -> exact.IntegerMatrix:
    key = (exact_matrix, q)  # one cache serves both polytopes
    if key not in budget.matrices:
        budget.matrices[key] = exact_matrix(q)
    return budget.matrices[key]


def _full(zK: np.ndarray, K: np.ndarray, d: int) -> np.ndarray:
    z = np.zeros((len(zK), d))
    z[np.arange(len(zK))[:, None], K] = zK
    return z


def expand(zK: np.ndarray, K: np.ndarray, d: int) -> np.ndarray:
    """Full probability vectors ``(V, d)`` from values on supports K (settled values: no clipping needed)."""
    z = _full(np.maximum(zK, 0.0), K, d)
    return z / np.where(z.sum(axis=1, keepdims=True) > 0, z.sum(axis=1, keepdims=True), 1.0)


def exact_matrices(pay: np.ndarray):
    """Functions p -> the best-response polytopes' matrices at point p as fractions: (for P: B, for Q: A^T)."""
    def for_x(p: int) -> exact.IntegerMatrix:
        return _integer_matrix(pay[p, 1])

    def for_y(p: int) -> exact.IntegerMatrix:
        return _integer_matrix(pay[p, 0].T)
    return for_x, for_y


#: Most games (and, separately, polytope matrices and vertex lists) remembered, keyed by the float
#: payoffs' shape, dtype and bytes (-0.0 and 0.0 are different keys, as they are different floats).
GAME_CACHE = 4096


def _integer_matrix(M: np.ndarray) -> exact.IntegerMatrix:
    """``exact.integer_matrix(exact.positive_shift(_fractions(M)))``, remembered (a function of M's floats alone)."""
    M = np.ascontiguousarray(M)
    return _integer_matrix_of(M.shape, M.dtype.str, M.tobytes())


@lru_cache(maxsize=GAME_CACHE)
def _integer_matrix_of(shape: tuple, dtype: str, data: bytes) -> exact.IntegerMatrix:
    return _shifted_integers(_fractions(np.frombuffer(data, dtype=dtype).reshape(shape)))


def _shifted_integers(F: exact.Matrix) -> exact.IntegerMatrix:
    """``exact.integer_matrix(exact.positive_shift(F))`` in integer arithmetic (the same numbers).

    Over the common denominator L of F's entries the shifted matrix is ``R / L`` with integers
    ``R = F L - min(F L) + L``; `integer_matrix` puts it over the lcm of the reduced denominators
    ``L / gcd(R_ij, L)``, which is ``L / g`` with ``g = gcd(L, every R_ij)`` (for divisors a_i of L,
    ``lcm(L / a_i) = L / gcd(a_i)``), so its rows are ``R / g``.
    """
    L = math.lcm(*(x.denominator for row in F for x in row))
    scaled = [[x.numerator * (L // x.denominator) for x in row] for row in F]
    lo = min(min(row) for row in scaled)
    R = [[v - lo + L for v in row] for row in scaled]
    g = math.gcd(L, *(v for row in R for v in row))
    return exact.IntegerMatrix([[v // g for v in row] for row in R], L // g)


def coarse_points(pay: np.ndarray) -> np.ndarray:
    """Points where rescaling a player's payoffs into [1, 2] would bring distinct payoffs too close (P,)."""
    P = pay.shape[0]
    exps = player_exponents(pay)
    out = np.zeros(P, dtype=bool)
    for i in (0, 1):
        u = np.sort(to_unit(pay[:, i], exps[:, i, None, None]).reshape(P, -1), axis=1)
        gaps = np.diff(u, axis=1)
        spread = u[:, -1] - u[:, 0]
        smallest = np.where(gaps > 0, gaps, np.inf).min(axis=1, initial=np.inf)
        out |= smallest < RESOLUTION * spread
    return out


def exactly_at_coarse_points(pay: np.ndarray, point, x, y, ex, degenerate: np.ndarray):
    """Replace the equilibria found at `coarse_points` by exact vertex enumeration there (updates `degenerate`).

    Returns ``(point, x, y, exact_rows, too_fine)``; `too_fine` marks coarse points too large to
    enumerate exactly (their float answer is kept and they are reported incomplete).
    """
    P, _, m, n = pay.shape
    too_fine = np.zeros(P, dtype=bool)
    coarse = coarse_points(pay)
    if not coarse.any():
        return point, x, y, ex, too_fine
    if exact.system_count(m, n) > EXACT_SYSTEMS:
        too_fine[coarse] = True
        return point, x, y, ex, too_fine
    keep = ~coarse[point]
    point, x, y, ex = point[keep], x[keep], y[keep], ex[keep]
    extra_p, extra_x, extra_y = [], [], []
    for q in np.flatnonzero(coarse).tolist():
        found = _exact_game(pay[q])
        degenerate[q] |= found.degenerate
        for xs, ys in found.profiles:
            extra_p.append(q)
            extra_x.append([float(v) for v in xs])
            extra_y.append([float(v) for v in ys])
    if extra_p:
        point = np.concatenate([point, np.array(extra_p)])
        x = np.concatenate([x, np.array(extra_x)])
        y = np.concatenate([y, np.array(extra_y)])
        ex = np.concatenate([ex, np.ones(len(extra_p), dtype=bool)])
    return point, x, y, ex, too_fine


#: Vertex lists of the polytopes enumerated so far (`exact.bimatrix_equilibria`'s cache): points of a
#: sweep that vary one player's payoffs share the other's polytope.
_POLYTOPES: dict = {}


def _exact_game(pay: np.ndarray) -> exact.ExactEquilibria:
    """`exact.bimatrix_equilibria` of the game ``pay`` (2, m, n) on its simplest fractions, remembered.

    The answer is a function of the float payoffs alone (`_fractions` reads each float the same way
    every time), so games repeated within a sweep, and across the many small sweeps of one
    `negosim explain`, are enumerated once; the caches are bounded.
    """
    return _exact_game_of(pay.shape, pay.dtype.str, pay.tobytes())


@lru_cache(maxsize=GAME_CACHE)
def _exact_game_of(shape: tuple, dtype: str, data: bytes) -> exact.ExactEquilibria:
    pay = np.frombuffer(data, dtype=dtype).reshape(shape)
    if len(_POLYTOPES) >= GAME_CACHE:
        _POLYTOPES.clear()
    return exact.bimatrix_equilibria(_fractions(pay[0]), _fractions(pay[1]), cache=_POLYTOPES)

#: `exact.simple_fraction` remembered: a game's payoffs repeat across its cells and a sweep's points.
_simple_fraction = lru_cache(maxsize=1 << 16)(exact.simple_fraction)


def _fractions(M: np.ndarray) -> exact.Matrix:
    return [[_simple_fraction(v) for v in row] for row in M.tolist()]


