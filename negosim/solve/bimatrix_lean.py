"""All Nash equilibria of ONE small nondegenerate 2-player game in about a hundred numpy calls (the fixed cost).

The batched subset enumeration (`vertex._extreme_equilibria`) makes thousands of Python-level numpy
calls per game, whatever the batch size: right for a sweep, slow for one game. Here the same square
systems ``C[K, T]^T z_K = 1`` of BOTH best-response polytopes (every support K and tight set T of
each size k, index tables cached per shape by `_tables`) are solved together: padded with identity
rows and columns to one size ``s = min(m, n)`` and inverted by one batched `numpy.linalg.inv` call
up to `PADDED_UP_TO` actions, size by size beyond (`polytope._solve_ones`' closed forms up to 3 x 3,
LAPACK above). Their solutions, slacks and condition numbers are the quantities
`polytope.candidates` computes, and each candidate is decided by the same rules with twice the
margin: a vertex (every coordinate and slack clears zero by twice `polytope.MARGIN` times its
condition number) or not (one of them is beyond twice the margin on the wrong side). Complementary
label sets are matched by one broadcast of bit masks. An equilibrium vertex whose condition number
exceeds twice `confirm.REFINE_COND` is recomputed in rational arithmetic by the function
`confirm.settle` uses (the same floats, and the row is marked exact, as there).

The answer is only given where it cannot differ from the general path's: anything that path would
decide in rational arithmetic or flag (a candidate inside the margins, an equilibrium vertex whose
condition number is within a factor 2 of `confirm.REFINE_COND`, a vertex with a label count near
the degeneracy thresholds or more labels than its dimension, payoffs too close for floating point
(`confirm.coarse_points`), two equilibria within `vertex.MERGE`, a best-response flag within
rounding of its tolerance, a singular system) makes `one_game` return None and the caller runs the
general path. Verification follows `verify.check_profiles` term for term (`lean_verified`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cache

import numpy as np

from ..game.checks import PROB_TOL
from ..game.normal import NormalFormGame
from .confirm import REFINE_COND, RESOLUTION
from .polytope import COND_LIMIT, LOOSE, MARGIN, _solve_ones
from .result import Solution
from .tolerance import NOISE
from .verify import TieDescriptions

_EPS = float(np.finfo(float).eps)
#: Band around the degeneracy thresholds (times eps times the condition number) inside which the two
#: paths' roundings could count a label differently: there the general path answers.
BAND = 256 * _EPS
#: Most (support, tight set) systems per polytope taken here (a 6 x 6 game has 923, 7 x 6 has 1715).
MAX_SYSTEMS = 3_000


@dataclass(frozen=True)
class _Tables:
    """Index tables of an m x n game's candidate systems: P's N systems first, then Q's N (see `_tables`)."""

    system: np.ndarray  # (2N, s, s) indices into the flat payoff vector: the padded matrices
    blocks_system: tuple  # per size k: (N_k, k, k) indices, the unpadded matrices of that size
    blocks: tuple  # per size k: (k, first, end) rows of the systems of that size
    support: np.ndarray  # (2N, s) bool: i < k (a real row, not padding)
    size: np.ndarray  # (2N,) k, nondecreasing
    off_support: np.ndarray  # (2N, s) 0 on the support, inf off it (added before a minimum)
    not_outside: np.ndarray  # (2N, c_max) 0 for a constraint that exists and is not in T, -inf otherwise
    off_tight: np.ndarray  # (2N, c_max) 0 for a constraint in T, inf otherwise
    place: np.ndarray  # (2N, d_max) flat position in the (2N, s + 1) solutions of each coordinate (a zero if not in K)
    labels: np.ndarray  # (2N,) int64 bit mask of the vertex's labels, global numbering (rows first)
    of_p: np.ndarray  # (2N,) bool: a system of P (player 1's polytope), else of Q
    supports: np.ndarray  # (2N, s) K, padded with 0
    tights: np.ndarray  # (2N, s) T, padded with 0


@cache
def _tables(m: int, n: int) -> _Tables:
    """The padded systems of both polytopes of an m x n game, as indices into ``[B'.ravel(), A'.ravel(), 0, 1]``."""
    zero, one = 2 * m * n, 2 * m * n + 1
    s = min(m, n)
    system, support, size, owner, outside, exists, labels = [], [], [], [], [], [], []
    place: list[list[int]] = []
    supports: list[list[int]] = []
    tights: list[list[int]] = []
    cmax, dmax = max(m, n), max(m, n)
    for k in range(1, s + 1):  # by size k, both players: each size is one contiguous block of systems
        for player in (0, 1):
            d, c = (m, n) if player == 0 else (n, m)

            def entry(r: int, j: int, player: int = player) -> int:
                # P: C = B' (m x n) at B'[r, j]; Q: C = A'^T, so C[r, j] = A'[j, r]
                return r * n + j if player == 0 else m * n + j * n + r

            for K in itertools.combinations(range(d), k):
                for T in itertools.combinations(range(c), k):
                    system.append([[entry(K[i], T[t]) if i < k and t < k else (one if i == t else zero)
                                    for i in range(s)] for t in range(s)])
                    support.append([i < k for i in range(s)])
                    size.append(k)
                    owner.append(player)
                    outside.append([j < c and j not in T for j in range(cmax)])
                    exists.append([j < c for j in range(cmax)])
                    place.append([len(place) * (s + 1) + (K.index(r) if r in K else s) for r in range(dmax)])
                    own = sum(1 << r for r in range(d) if r not in K) | sum(1 << (d + j) for j in T)
                    # P's labels are global already (x_i = 0 is i, column j tight is m + j); Q's own labels
                    # (y_j = 0 is j, row i tight is n + i) become m + j and i
                    supports.append(list(K) + [0] * (s - k))
                    tights.append(list(T) + [0] * (s - k))
                    labels.append(own if player == 0 else ((own & ((1 << n) - 1)) << m) | (own >> n))
    sizes = np.array(size)
    blocks = tuple((k, int(np.searchsorted(sizes, k)), int(np.searchsorted(sizes, k, side="right")))
                   for k in range(1, s + 1))
    system_arr = np.array(system, dtype=np.intp)
    return _Tables(system=system_arr, blocks=blocks,
                   blocks_system=tuple(np.ascontiguousarray(system_arr[lo:hi, :k, :k]) for k, lo, hi in blocks),
                   support=np.array(support), size=sizes.astype(float),
                   off_support=np.where(support, 0.0, np.inf), not_outside=np.where(outside, 0.0, -np.inf),
                   off_tight=np.where(np.array(exists) & ~np.array(outside), 0.0, np.inf),
                   place=np.array(place, dtype=np.intp),
                   labels=np.array(labels, dtype=np.int64), of_p=np.array(owner) == 0,
                   supports=np.array(supports, dtype=np.intp), tights=np.array(tights, dtype=np.intp))


def fits(m: int, n: int) -> bool:
    """Whether an m x n game's systems are few enough for `one_game` (it is tried only then).

    Parameters
    ----------
    m, n : int
        The players' numbers of actions.

    Returns
    -------
    bool
        True when each best-response polytope has at most `MAX_SYSTEMS` support systems and the
        m + n labels fit in the bits of an int64.

    Examples
    --------
    >>> fits(6, 6), fits(7, 7), fits(1, 61), fits(1, 64)
    (True, False, True, False)
    """
    from math import comb

    return comb(m + n, m) - 1 <= MAX_SYSTEMS and m + n <= 62  # labels are bits of an int64


def one_game(game: NormalFormGame, rtol: float) -> Solution | None:
    """The verified solution of one nondegenerate 2-player game (batch shape ()), or None (see the module doc).

    Parameters
    ----------
    game : NormalFormGame
        Two players, batch shape (), `fits` its shape.
    rtol : float
        Relative tolerance (ties, degeneracy, verification), as for `vertex.vertex_enumeration`.

    Returns
    -------
    Solution or None
        What `vertex.vertex_enumeration` returns for the game (same equilibria in the same order,
        same flags and extra fields), or None where this path cannot be sure of that.

    Examples
    --------
    >>> g = NormalFormGame.from_bimatrix([[3, 0, 1], [0, 2, 0], [1, 1, 3]], [[2, 1, 0], [0, 3, 1], [1, 0, 2]])
    >>> sol = one_game(g, 1e-9)
    >>> int(sol.counts()), bool(sol.complete), bool(sol.degenerate)
    (7, True, False)
    """
    m, n = game.shape
    pay = game.payoffs
    with np.errstate(all="ignore"):
        if not np.isfinite(pay).all():
            return None
        flat = pay.reshape(2, m * n)
        exps = np.frexp(np.abs(flat).max(axis=1))[1]
        unit = np.ldexp(flat, -exps[:, None])  # each player's payoffs over a power of two, exactly
        ordered = np.sort(unit, axis=1)
        lo, hi = ordered[:, 0], ordered[:, -1]
        gaps = np.diff(ordered, axis=1)
        spread = hi - lo
        if (np.where(gaps > 0, gaps, np.inf).min(axis=1, initial=np.inf) < RESOLUTION * spread).any():
            return None  # `confirm.coarse_points`: the general path enumerates it exactly
        scale = np.maximum(spread, rtol * np.maximum(hi, -lo))
        scale = np.where(scale > 0, scale, 1.0)
        unit_rescaled = (unit - lo[:, None]) / scale[:, None] + 1.0  # `polytope.rescaled`, the same operations
        tb = _tables(m, n)
        F = np.concatenate([unit_rescaled[1], unit_rescaled[0], (0.0, 1.0)])
        try:
            zbar, inv_s, cond, positive = _solve_all(F, tb)
        except np.linalg.LinAlgError:
            return None  # an exactly singular system: the general path's exact test decides it
        usable = (cond < COND_LIMIT / 2) & positive
        # each system's full vector (zero off K), then the slacks of all constraints by one matrix product per
        # polytope: P's constraints are B' (m x n), Q's are A'^T (n x m)
        z_full = np.concatenate([zbar, np.zeros((len(zbar), 1))], axis=1).ravel()[tb.place]
        B_unit, A_unit = unit_rescaled[1].reshape(m, n), unit_rescaled[0].reshape(m, n)
        if m == n:
            g = np.where(tb.of_p[:, None], z_full @ B_unit, z_full @ A_unit.T)
        else:
            g = np.zeros((len(zbar), max(m, n)))  # the missing columns are masked below
            g[:, :n] = z_full[:, :m] @ B_unit
            g[~tb.of_p, :m] = z_full[~tb.of_p, :n] @ A_unit.T
        g -= inv_s[:, None]
        margin = 2 * MARGIN * cond
        zmin = (zbar + tb.off_support).min(axis=1)  # smallest coordinate on the support
        gmax = (g + tb.not_outside).max(axis=1)  # largest slack of a constraint outside T
        valid = usable & (zmin > margin) & (gmax < -margin)
        invalid = (cond < COND_LIMIT / 2) & (~usable | (zmin < -margin) | (gmax > margin))
        if not (valid | invalid).all():
            return None  # inside the margins: the general path decides it in rational arithmetic
        (vertex,) = np.nonzero(valid)
        # the general path's label count (`polytope.candidates`' `loose`) must be exactly the dimension, by more
        # than rounding: coordinates above, slacks outside T below, slacks in T above their loose thresholds
        band = BAND * cond[vertex]
        if ((zmin[vertex] <= LOOSE * rtol + band).any() or (gmax[vertex] >= -LOOSE * rtol - band).any()
                or ((g[vertex] + tb.off_tight[vertex]).min(axis=1) <= -LOOSE * rtol + band).any()):
            return None  # a label within rounding of the degeneracy threshold, or a degenerate game
        labels = tb.labels[vertex]
        is_p = tb.of_p[vertex]
        i, j = np.nonzero((labels[is_p][:, None] | labels[~is_p][None, :]) == (1 << (m + n)) - 1)
        vp, vq = vertex[is_p][i], vertex[~is_p][j]
        x = z_full[vp, :m]
        y = z_full[vq, :n]
        cx, cy = cond[vp], cond[vq]
        exact_x = exact_y = np.zeros(len(vp), dtype=bool)
        if (cx > REFINE_COND / 2).any() or (cy > REFINE_COND / 2).any():
            exact_x, exact_y = cx > 2 * REFINE_COND, cy > 2 * REFINE_COND
            if (~exact_x & (cx > REFINE_COND / 2)).any() or (~exact_y & (cy > REFINE_COND / 2)).any():
                return None  # whether the general path recomputes the vertex exactly is not certain
            if exact_x.any() and not _refine(x, vp[exact_x], np.flatnonzero(exact_x), game, tb, 0):
                return None
            if exact_y.any() and not _refine(y, vq[exact_y], np.flatnonzero(exact_y), game, tb, 1):
                return None
        x /= x.sum(axis=1, keepdims=True)  # `confirm.expand`
        y /= y.sum(axis=1, keepdims=True)
        if len(x) > 1:
            xy = np.concatenate([x, y], axis=1)
            close = (np.abs(xy[:, None, :] - xy[None, :, :]).max(axis=2) <= 2e-9).sum()
            if close > len(x):
                return None  # `vertex.dedupe` would merge two of them
        return lean_verified(game, x, y, unit.reshape(2, m, n), exps, rtol, exact_x & exact_y)


def _refine(out: np.ndarray, systems: np.ndarray, rows: np.ndarray, game: NormalFormGame, tb: _Tables,
            player: int) -> bool:
    """Overwrite `out[rows]` with the vertices of `systems` in rational arithmetic, as `confirm.settle` refines
    ill-conditioned vertices (the same function on the same fractions: the same floats). False if one is not
    found (the general path then answers)."""
    from .confirm import EXACT_BUDGET, ExactBudget, _exact_vertices, exact_matrices

    d = out.shape[1]
    c = sum(game.shape) - d
    matrix = exact_matrices(game.payoffs[None])[player]
    budget = ExactBudget(np.array([EXACT_BUDGET]), np.zeros(1, dtype=bool))
    k_of = tb.size[systems].astype(int)
    for k in np.unique(k_of).tolist():
        pick = k_of == k
        sys_k = systems[pick]
        found = _exact_vertices(budget, matrix, np.zeros(len(sys_k), dtype=np.intp), tb.supports[sys_k, :k],
                                tb.tights[sys_k, :k], d + c)
        if not found.found.all():
            return False
        zK = (found.num / found.total[:, None]).astype(float)
        r = rows[pick]
        out[r] = 0.0
        out[r[:, None], tb.supports[sys_k, :k]] = zK
    return True


#: Up to this many actions for the smaller player all systems are inverted in one padded call; beyond,
#: size by size (LAPACK's cost per matrix grows with the padded size).
PADDED_UP_TO = 4


def _solve_all(F: np.ndarray, tb: _Tables) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every system ``C[K, T]^T z_K = 1``: the solution normalised to sum 1 (2N, s; zero off the support),
    ``1 / sum(z)``, the condition number and whether ``sum(z) > 0`` (where it is not, or the condition
    number reaches `polytope.COND_LIMIT`, the first two are not normalised).

    Up to `PADDED_UP_TO` actions for the smaller player: one padded LAPACK call. Beyond, size by size:
    `polytope._solve_ones`' closed forms up to 3 x 3 (the batched path's own arithmetic), LAPACK above.
    """
    s = tb.support.shape[1]
    if s <= PADDED_UP_TO:
        inv = np.linalg.inv(F[tb.system])
        z = inv.sum(axis=2) * tb.support
        total = z.sum(axis=1)
        positive = total > 0
        total = np.where(positive, total, 1.0)
        cond = 2 * tb.size * (np.abs(inv).sum(axis=2) * tb.support).max(axis=1)
        return z / total[:, None], 1.0 / total, cond, positive
    zbar = np.zeros(tb.support.shape)
    inv_s, cond = np.empty(len(zbar)), np.empty(len(zbar))
    positive = np.empty(len(zbar), dtype=bool)
    for (k, lo, hi), index in zip(tb.blocks, tb.blocks_system):
        block = F[index]  # block[:, t, i] = C[K_i, T_t]
        if k <= 3:
            parts, inv_s[lo:hi], cond[lo:hi], usable = _solve_ones([[block[:, t, i] for i in range(k)]
                                                                     for t in range(k)])
            zbar[lo:hi, :k] = np.stack(parts, axis=1)
            positive[lo:hi] = usable  # where the condition number is below COND_LIMIT (all that is used)
            continue
        inv = np.linalg.inv(block)
        z = inv.sum(axis=2)
        total = z.sum(axis=1)
        positive[lo:hi] = total > 0
        total = np.where(total > 0, total, 1.0)
        zbar[lo:hi, :k] = z / total[:, None]
        inv_s[lo:hi] = 1.0 / total
        cond[lo:hi] = 2 * k * np.abs(inv).sum(axis=2).max(axis=1)
    return zbar, inv_s, cond, positive


def lean_verified(game: NormalFormGame, x: np.ndarray, y: np.ndarray, unit: np.ndarray, exps: np.ndarray,
                  rtol: float, exact_rows: np.ndarray) -> Solution | None:
    """`verify.verified_solution` of one nondegenerate point's equilibria (x, y), or None where it may differ.

    The rules are `verify.check_profiles`'s term for term, both players at once (their columns side
    by side); None when a profile fails (the general path then raises) or an action's value lies
    within rounding of its best-response threshold.

    Parameters
    ----------
    game : NormalFormGame
        Two players, batch shape ().
    x, y : numpy.ndarray
        The equilibria, (E, m) and (E, n): probability vectors (nonnegative, normalised).
    unit : numpy.ndarray
        (2, m, n): each player's payoffs divided by ``2**exps``.
    exps : numpy.ndarray
        (2,) int: `tolerance.player_exponents` of the game.
    rtol : float
        Relative tolerance for verification.
    exact_rows : numpy.ndarray
        (E,) bool: rows computed in rational arithmetic (their regret is not held to the tolerance).

    Returns
    -------
    Solution or None
        Concept "nash", complete, nondegenerate, rows sorted as `verify.verified_solution` sorts them.

    Examples
    --------
    >>> g = NormalFormGame.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> half = np.array([[0.5, 0.5]])
    >>> exps = np.array([1, 1])  # |payoffs| = 1 = 0.5 * 2**1
    >>> sol = lean_verified(g, half, half, g.payoffs / 2, exps, 1e-9, np.zeros(1, dtype=bool))
    >>> sol.payoffs.tolist(), bool(sol.complete)
    ([[0.0, 0.0]], True)
    """
    E, m = x.shape
    n = y.shape[1]
    if not E:
        return None
    keys = np.round(np.concatenate([x, y], axis=1), 9)
    order = np.lexsort(-keys[:, ::-1].T)
    x, y, exact_rows = x[order], y[order], exact_rows[order]
    UA, UB = unit
    V = np.concatenate([y @ UA.T, x @ UB], axis=1)  # each player's action values, in its own scaled units
    S = np.concatenate([x, y], axis=1)  # each player's own strategy, side by side with V
    opp = np.concatenate([y, x], axis=1)  # the opponent's strategy: player 1's columns first, then player 2's rows
    own_cut, other_cut = [0, m], [0, n]
    # the payoffs each player chooses among: its own actions against the opponent's support
    hi_col = np.concatenate([UA.max(axis=0), UB.max(axis=1)])
    lo_col = np.concatenate([UA.min(axis=0), UB.min(axis=1)])
    inside = opp > PROB_TOL
    hi = np.maximum.reduceat(np.where(inside, hi_col, -np.inf), other_cut, axis=1)
    lo = np.minimum.reduceat(np.where(inside, lo_col, np.inf), other_cut, axis=1)
    tols = rtol * (hi - lo) + NOISE * np.maximum(hi, -lo)
    tiny = np.abs(opp)
    stray = np.add.reduceat(np.where(tiny <= PROB_TOL, tiny, 0.0), other_cut, axis=1)
    flat = unit.reshape(2, -1)
    top, bottom = flat.max(axis=1), flat.min(axis=1)
    big = np.maximum(top, -bottom)
    tols += 2.0 * stray * big
    own = np.add.reduceat(V * S, own_cut, axis=1)
    best = np.maximum.reduceat(V, own_cut, axis=1)
    gain = np.maximum(best - own, 0.0)
    if not ((gain <= tols).all(axis=1) | exact_rows).all():
        return None
    edge = np.repeat(best - tols, [m, n], axis=1)
    responses = V >= edge
    if (np.abs(V - edge) <= 64 * _EPS * (np.abs(edge) + np.abs(V))).any():
        return None  # a best-response flag within rounding of its threshold
    player_tied = np.logical_or.reduceat(responses & (S <= PROB_TOL), own_cut, axis=1)
    brs = (responses[:, :m], responses[:, m:])
    point_tol = max(np.ldexp(rtol * (top - bottom) + NOISE * big, exps).max(), np.ldexp(tols, exps).max())
    player_tol = np.ldexp(tols, exps)
    shape = game.batch_shape
    extra = {"best_responses": brs, "tied_actions": (brs[0] & player_tied[:, :1], brs[1] & player_tied[:, 1:]),
             "tie_descriptions": TieDescriptions(game.players, game.actions, brs, player_tied),
             "player_tol": player_tol, "rtol": float(rtol), "exact_rows": exact_rows}
    return Solution(concept="nash", method="vertex enumeration", game=game, batch_shape=shape,
                    point=np.zeros(E, dtype=np.int64), payoffs=np.ldexp(own, exps),
                    regret=np.ldexp(gain, exps).max(axis=1), tied=np.asarray(player_tied.any(axis=1)),
                    complete=np.ones(shape, dtype=bool), degenerate=np.zeros(shape, dtype=bool),
                    tol=np.full(shape, point_tol), strategies=(x, y), notes=(), extra=extra)


__all__ = ["MAX_SYSTEMS", "fits", "lean_verified", "one_game"]
