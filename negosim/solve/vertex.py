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
whose payoffs span a sliver of the game's range keeps full precision).

Which candidates are vertices is decided without the user's tolerance, so the answer does not move
with ``rtol``: a candidate whose coordinates and slacks all clear zero by more than a bound on their
rounding error (from the system's condition number) is decided in floating point; every other one
(a value within rounding error of zero, an ill-conditioned system) is decided in rational arithmetic
on the game's own payoffs (`exact.vertex_of`), and a point where rescaling would merge distinct
payoffs is enumerated exactly as a whole. Only when a point has more undecided candidates than
`EXACT_BUDGET` does it fall back to the tolerance test, and then it is reported `complete: false`
with a note. ``rtol`` still decides what counts as a tie (the `degenerate` flag).
Labels are boolean arrays, so players may have any number of actions.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import cache
from math import comb

import numpy as np

from ..errors import GameError
from ..game.normal import NormalFormGame
from . import exact
from .result import Solution, at_points
from .tolerance import NOISE, RTOL, player_exponents, to_unit
from .verify import check_profiles, flat_payoffs, require_finite, verified_solution

#: Labels and feasibility use this fraction of the tolerance, so that a completely labelled pair
#: has regret at most half the tolerance (plus the effect of clipping tiny probabilities, which the
#: probability threshold ``STRICT * rtol / (4 * max(m, n))`` keeps below a quarter).
STRICT = 0.25
#: Degeneracy is detected with a looser threshold, so that every tied equilibrium (unused best
#: response within tol) lies at a point reported degenerate.
LOOSE = 1.25
#: Two equilibria found by support enumeration are the same if no probability differs by more than this.
MERGE = 1e-9
#: Systems with a larger (estimated) condition number are not trusted in floating point (decided exactly).
COND_LIMIT = 1e10
#: A float candidate is decided when every coordinate and slack clears zero by this times its condition number.
MARGIN = 64 * NOISE
#: Vertices from systems with a larger condition number get their coordinates recomputed exactly
#: (floating point would leave errors near ``REFINE_COND * eps`` of the payoff range in the regrets).
REFINE_COND = 1e3
#: Most candidates decided in rational arithmetic per point before falling back to the tolerance test.
EXACT_BUDGET = 5_000
#: Rescaled payoffs must keep distinct payoffs this far apart (relative to the range), else the point is exact.
RESOLUTION = 2.0 ** -36
#: Largest number of square systems per polytope a point may need for exact enumeration as a whole.
EXACT_SYSTEMS = 20_000
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


def _solve_ones(M: list):
    """Solve ``M z = 1`` for stacked k x k systems given entrywise (``M[t][i]`` arrays, entries in [1, 2]).

    Returns ``(zbar, inv_s, cond, usable)``: the solution normalised to sum 1 (list over i),
    ``1 / sum(z)``, an estimate of the condition number (infinite for a singular system), and
    where the float answer can be used at all (condition below `COND_LIMIT`, positive sum).
    Systems up to 3x3 use closed-form adjugates (far faster than LAPACK's per-matrix overhead at
    this size); larger ones `numpy.linalg`.
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
            stacked = np.stack([np.stack(row, -1) for row in M], -2)
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

    Arrays are indexed ``[p, a, b]`` for point p, support ``K = subsets(d, k)[a]`` and tight set
    ``T = subsets(c, k)[b]``: `z` the normalised solution on K (a list over K's k entries),
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


def candidates(C: np.ndarray, k: int, th: Thresholds) -> Candidates:
    """Candidate vertices with support size `k` of ``{z >= 0, C^T z <= 1}`` for stacked ``C`` (p, d, c)."""
    P, d, c = C.shape
    Ks, Ts = _subsets(d, k), _subsets(c, k)
    # struct of arrays: one (P, nK, nT) array per matrix entry, since k is tiny
    rows = [[C[:, Ks[:, i][:, None], Ts[:, t][None, :]] for i in range(k)] for t in range(k)]
    z, inv_s, cond, usable = _solve_ones(rows)
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
        outside = ~in_T[None, None, :, j]
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
    state[(state == UNDECIDED) & ~usable & _repeats(rows)] = INVALID
    return Candidates(k, d, c, z, cond, state, tolerant, loose)


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


def settle(cand: Candidates, exact_matrix, budget: ExactBudget, th: Thresholds) -> Settled:
    """Decide every candidate: VALID ones as they are, UNDECIDED ones in rational arithmetic.

    `exact_matrix(p)` gives the polytope's matrix at point p as fractions (`exact.Matrix`).
    Undecided candidates of a point whose budget is spent fall back to the tolerance test.
    """
    d, c, k = cand.d, cand.c, cand.k
    Ks, Ts = _subsets(d, k), _subsets(c, k)
    p, a, b = np.nonzero(cand.state == VALID)
    labels = np.zeros((len(p), d + c), dtype=bool)
    labels[:, :d] = True
    labels[np.arange(len(p))[:, None], Ks[a]] = False
    labels[np.arange(len(p))[:, None], d + Ts[b]] = True
    zK = np.stack([x[p, a, b] for x in cand.z], axis=-1) if len(p) else np.zeros((0, k))
    refined = np.zeros(len(p), dtype=bool)
    for r in np.flatnonzero(cand.cond[p, a, b] > REFINE_COND).tolist():
        q = int(p[r])
        if budget.left[q] <= 0:
            budget.exhausted[q] = True  # the float coordinates stay; those failing verification are dropped
            continue
        budget.left[q] -= 1
        found = exact.integer_vertex(_cached(budget, exact_matrix, q), Ks[a[r]].tolist(), Ts[b[r]].tolist())
        if found is not None:
            zK[r] = [found[0][i] / found[1] for i in Ks[a[r]]]
            refined[r] = True
    out = [(p, a, b, labels, refined, zK)]
    up, ua, ub = np.nonzero(cand.state == UNDECIDED)
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
        flab[np.arange(len(fp))[:, None], d + Ts[fb]] = True
        fz = np.stack([x[fp, fa, fb] for x in cand.z], axis=-1) if len(fp) else np.zeros((0, k))
        fz = np.where(fz <= th.prob[fp, 0], 0.0, fz)
        flab[:, :d] |= _full(fz, Ks[fa], d) == 0
        out.append((fp, fa, fb, flab, np.zeros(len(fp), dtype=bool), fz))
        rows_p, rows_a, rows_b, rows_l, rows_z = [], [], [], [], []
        for q, s, t in zip(up[~fallback].tolist(), ua[~fallback].tolist(), ub[~fallback].tolist()):
            found = exact.integer_vertex(_cached(budget, exact_matrix, q), Ks[s].tolist(), Ts[t].tolist())
            if found is None:
                continue
            znum, total, vlabels = found
            lab = np.zeros(d + c, dtype=bool)
            lab[list(vlabels)] = True
            rows_p.append(q)
            rows_a.append(s)
            rows_b.append(t)
            rows_l.append(lab)
            rows_z.append([znum[i] / total for i in Ks[s]])  # int / int rounds correctly
        if rows_p:
            out.append((np.array(rows_p), np.array(rows_a), np.array(rows_b), np.array(rows_l),
                        np.ones(len(rows_p), dtype=bool), np.array(rows_z).reshape(-1, k)))
    return Settled(*(np.concatenate([o[i] for o in out]) for i in range(6)))


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


def chunks(P: int, m: int, n: int):
    """Slices of the flat batch small enough to hold every candidate system of a chunk in memory."""
    per_point = sum(comb(m, k) * comb(n, k) * (k * k + m + n) for k in range(1, min(m, n) + 1))
    step = max(1, _CHUNK_ELEMENTS // max(1, per_point))
    return [slice(lo, min(P, lo + step)) for lo in range(0, P, step)]


def exact_matrices(pay: np.ndarray):
    """Functions p -> the best-response polytopes' matrices at point p as fractions: (for P: B, for Q: A^T)."""
    def for_x(p: int) -> exact.IntegerMatrix:
        return exact.integer_matrix(exact.positive_shift(_fractions(pay[p, 1])))

    def for_y(p: int) -> exact.IntegerMatrix:
        return exact.integer_matrix(exact.positive_shift(_fractions(pay[p, 0].T)))
    return for_x, for_y


@dataclass(frozen=True)
class VertexSet:
    """Nonzero vertices per point, sorted by point: z (V, d), labels (V, d + c), exact flags (V,)."""

    point: np.ndarray
    z: np.ndarray
    labels: np.ndarray
    exact: np.ndarray
    degenerate: np.ndarray


def _vertices(C: np.ndarray, th: Thresholds, exact_matrix, budget: ExactBudget) -> VertexSet:
    """Every nonzero vertex of each point's polytope, each once (by its label set), and degeneracy flags."""
    P, d, c = C.shape
    parts = []
    degenerate = np.zeros(P, dtype=bool)
    for k in range(1, min(d, c) + 1):
        cand = candidates(C, k, th)
        got = settle(cand, exact_matrix, budget, th)
        degenerate[got.p[cand.loose[got.p, got.a, got.b] > d]] = True
        degenerate[got.p[got.labels.sum(axis=1) > d]] = True
        parts.append((got.p, expand(got.zK, _subsets(d, k)[got.a], d), got.labels, got.exact))
    p, z, labels, ex = (np.concatenate([q[i] for q in parts]) for i in range(4))
    if len(p):
        packed = np.packbits(labels, axis=1)
        keys = np.column_stack([p.astype(np.int64), packed.astype(np.int64)])
        _, first = np.unique(keys, axis=0, return_index=True)  # a vertex is determined by its label set
        first = np.sort(first)
        p, z, labels, ex = p[first], z[first], labels[first], ex[first]
        order = np.argsort(p, kind="stable")
        p, z, labels, ex = p[order], z[order], labels[order], ex[order]
    return VertexSet(p, z, labels, ex, degenerate)


def pairs_within(pa: np.ndarray, pb: np.ndarray, P: int):
    """Index pairs (ia, ib) of all rows of sorted `pa` and sorted `pb` that share a point."""
    cb = np.bincount(pb, minlength=P)
    start_b = np.cumsum(cb) - cb
    reps = cb[pa]
    ia = np.repeat(np.arange(len(pa)), reps)
    offs = np.arange(len(ia)) - np.repeat(np.cumsum(reps) - reps, reps)
    return ia, start_b[pa[ia]] + offs


def dedupe(point: np.ndarray, x: np.ndarray, y: np.ndarray, exact_rows: np.ndarray, P: int):
    """Rows of (point, x, y, exact_rows), sorted by point, with near-duplicates (within `MERGE`) dropped."""
    order = np.argsort(point, kind="stable")
    point, x, y, exact_rows = point[order], x[order], y[order], exact_rows[order]
    i, j = pairs_within(point, point, P)
    later = i < j
    i, j = i[later], j[later]
    close = (np.abs(x[i] - x[j]).max(1, initial=0) <= MERGE) & (np.abs(y[i] - y[j]).max(1, initial=0) <= MERGE)
    close &= ~(exact_rows[i] & exact_rows[j])  # distinct in rational arithmetic, even if their floats coincide
    keep = np.ones(len(point), dtype=bool)
    keep[j[close]] = False
    return point[keep], x[keep], y[keep], exact_rows[keep]


@dataclass(frozen=True)
class ChunkResult:
    """Equilibria of a chunk (point, x, y, exact_rows) and per-point flags."""

    point: np.ndarray
    x: np.ndarray
    y: np.ndarray
    exact_rows: np.ndarray
    degenerate: np.ndarray
    incomplete: np.ndarray  # the exact budget ran out: the tolerance test decided some candidates
    too_fine: np.ndarray  # float cannot hold the payoffs apart and the point is too large to do exactly


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


def _extreme_equilibria(pay: np.ndarray, rtol: float) -> ChunkResult:
    """Extreme equilibria and per-point flags for a chunk of flat payoffs (p, 2, m, n)."""
    P, _, m, n = pay.shape
    A, B, th_A, th_B = rescaled(pay, rtol)
    for_x, for_y = exact_matrices(pay)
    budget = ExactBudget(np.full(P, EXACT_BUDGET), np.zeros(P, dtype=bool))
    vx = _vertices(B, th_B, for_x, budget)
    vy = _vertices(np.swapaxes(A, 1, 2), th_A, for_y, budget)
    my = np.concatenate([vy.labels[:, n:], vy.labels[:, :n]], axis=1)  # Q's own labels -> global (rows first)
    i, j = pairs_within(vx.point, vy.point, P)
    hit = (vx.labels[i] | my[j]).all(axis=1)
    i, j = i[hit], j[hit]
    point, x, y, ex = vx.point[i], vx.z[i], vy.z[j], vx.exact[i] & vy.exact[j]
    degenerate = vx.degenerate | vy.degenerate
    point, x, y, ex, too_fine = exactly_at_coarse_points(pay, point, x, y, ex, degenerate)
    return ChunkResult(point, x, y, ex, degenerate, budget.exhausted, too_fine)


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
        found = exact.bimatrix_equilibria(_fractions(pay[q, 0]), _fractions(pay[q, 1]))
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


def _fractions(M: np.ndarray) -> exact.Matrix:
    return [[exact.simple_fraction(v) for v in row] for row in M.tolist()]


def _solve_chunks(game: NormalFormGame, rtol: float, kernel) -> ChunkResult:
    """Run `kernel(pay, rtol)` -> `ChunkResult` over memory-sized chunks of the batch and join them."""
    require_finite(game)
    pay = flat_payoffs(game)
    P, (m, n) = game.batch_size, game.shape
    parts = []
    for sl in chunks(P, m, n):
        r = kernel(pay[sl], rtol)
        p, x, y, ex = dedupe(r.point, r.x, r.y, r.exact_rows, sl.stop - sl.start)
        parts.append(ChunkResult(p + sl.start, x, y, ex, r.degenerate, r.incomplete, r.too_fine))

    def cat(name, width=None):
        arrays = [getattr(r, name) for r in parts]
        if arrays:
            return np.concatenate(arrays)
        return np.zeros((0, width)) if width else np.zeros(0, dtype=np.int64 if name == "point" else bool)
    return ChunkResult(cat("point"), cat("x", m), cat("y", n), cat("exact_rows"), cat("degenerate"),
                       cat("incomplete"), cat("too_fine"))


def drop_unconfirmed(game: NormalFormGame, r: ChunkResult, rtol: float) -> ChunkResult:
    """Drop equilibria that fail verification at points already reported incomplete (tolerance fallback).

    Anywhere else a failure is a bug, and `verify` raises it.
    """
    if not len(r.point):
        return r
    check = check_profiles(game, (r.x, r.y), r.point, rtol)
    drop = ~check.passed & ~r.exact_rows & (r.incomplete | r.too_fine)[r.point]
    if not drop.any():
        return r
    keep = ~drop
    return ChunkResult(r.point[keep], r.x[keep], r.y[keep], r.exact_rows[keep], r.degenerate, r.incomplete,
                       r.too_fine)


def incompleteness_notes(r: ChunkResult, P: int) -> tuple[str, ...]:
    """Notes for points whose enumeration cannot be guaranteed complete (see `ChunkResult`)."""
    notes = []
    if r.incomplete.any():
        notes.append(f"more than {EXACT_BUDGET:,} candidates could not be decided in floating point"
                     f"{at_points(int(r.incomplete.sum()), P)}; the tolerance test decided the rest, so "
                     "equilibria may be missing (complete: false)")
    if r.too_fine.any():
        notes.append(f"payoffs too far apart in scale for floating point{at_points(int(r.too_fine.sum()), P)} "
                     "and the game is too large to enumerate in rational arithmetic (complete: false)")
    return tuple(notes)


def is_degenerate(game: NormalFormGame, *, rtol: float = RTOL) -> np.ndarray:
    """Whether the 2-player game is degenerate at each batch point (bool array of shape `batch_shape`).

    Degenerate means some mixed strategy with support size k has more than k pure best responses
    within tolerance, found as a vertex of a best-response polytope with too many labels.
    """
    check_two_player(game, "degeneracy test")
    return _solve_chunks(game, rtol, _extreme_equilibria).degenerate.reshape(game.batch_shape)


def vertex_enumeration(game: NormalFormGame, *, rtol: float = RTOL) -> Solution:
    """All extreme Nash equilibria of a 2-player game at every batch point (concept ``"nash"``).

    Complete wherever every candidate was decided (in floating point with a margin above rounding
    error, or in rational arithmetic): then, at a nondegenerate point, these are all its
    equilibria, and at a degenerate point (flagged) every equilibrium is a convex combination of
    listed ones within a component. Points where that could not be guaranteed say
    ``complete: false`` and the notes say why.

    Examples
    --------
    >>> mp = NormalFormGame.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> [eq.strategies for eq in vertex_enumeration(mp).equilibria_at(0)]
    [{'P1': {'1': 0.5, '2': 0.5}, 'P2': {'1': 0.5, '2': 0.5}}]
    """
    check_two_player(game, "vertex enumeration")
    P = game.batch_size
    r = drop_unconfirmed(game, _solve_chunks(game, rtol, _extreme_equilibria), rtol)
    notes: tuple[str, ...] = ()
    if r.degenerate.any():
        notes = (f"the game is degenerate{at_points(int(r.degenerate.sum()), P)}: its equilibria "
                 "may form continua; all extreme equilibria are listed",)
    return verified_solution(game, concept="nash", method="vertex enumeration", point=r.point,
                             strategies=(r.x, r.y), rtol=rtol, complete=~(r.incomplete | r.too_fine),
                             degenerate=r.degenerate, notes=notes + incompleteness_notes(r, P),
                             exact_rows=r.exact_rows)


__all__ = ["vertex_enumeration", "is_degenerate"]
