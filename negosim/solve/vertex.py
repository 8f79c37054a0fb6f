"""All extreme Nash equilibria of 2-player games by vertex enumeration of the best-response polytopes.

With payoffs rescaled into [1, 2] (which changes no best reply), player 1's best-response polytope is
``P = {x >= 0, B'^T x <= 1}`` and player 2's is ``Q = {y >= 0, A' y <= 1}`` (von Stengel, Handbook of
Game Theory vol. 3, ch. 45). Labels: ``i`` for ``x_i = 0`` or row ``i`` tight in Q, ``m + j`` for a
tight column ``j`` in P or ``y_j = 0``. The extreme equilibria are the completely labelled pairs of
nonzero vertices, normalised. A vertex with more tight constraints than its dimension means the
game is degenerate (von Stengel's criterion: some mixed strategy has more pure best responses than
its support size).

The candidates come from `polytope.candidates` (every square system ``C[K, T]^T z_K = 1`` of
one size, for all batch points at once; support enumeration in `support.py` pairs the same
systems). Which are vertices is decided without the user's tolerance, so the answer does not move
with ``rtol``: floating point decides a candidate only when every coordinate and slack clears zero
by more than its rounding error, and `confirm.settle` decides the rest in rational arithmetic; a
point where rescaling would merge distinct payoffs is enumerated exactly as a whole. Only when a
point has more undecided candidates than `confirm.EXACT_BUDGET` does it fall back to the tolerance
test, and then it is reported `complete: false` with a note. ``rtol`` still decides what counts
as a tie (the `degenerate` flag).
Labels are boolean arrays, so players may have any number of actions.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, partial
from math import comb

import numpy as np

from ..errors import GameError
from ..game.normal import NormalFormGame
from . import confirm
from .bimatrix_native import PYTHON, kernel, solve_small
from .confirm import ExactBudget, exact_matrices, exactly_at_coarse_points, expand
from .covered import Known, settle_known
from .polytope import Thresholds, _subsets, candidates, rescaled
from .result import Solution, at_points
from .tolerance import RTOL
from .verify import check_profiles, flat_payoffs, require_finite, verified_solution

#: Two equilibria found by support enumeration are the same if no probability differs by more than this.
MERGE = 1e-9
#: Largest number of (support, tight set) systems per polytope the subset enumeration tries.
MAX_SYSTEMS = 2_000_000
#: The per-game convex-hull enumeration (`hull`) is used where the subset enumeration would solve more
#: systems than this per game (below it, the batched subset enumeration is faster).
HULL_FROM_SYSTEMS = 3_000
#: The same for ONE game (batch shape ()), where nothing is shared across points: measured on random games
#: (CPU time, 2026-12-03), the hull path is 3.5x faster at 6x6 (924 systems) and 2.8x at 5x5, but a
#: degenerate game (integer payoffs with ties) pays the hull attempt before the subset enumeration
#: (1.4x slower at 6x6); from 6x6 up the generic case wins.
HULL_SINGLE_FROM_SYSTEMS = 900
#: Largest number of vertices the best-response polytope `hull` enumerates may have, by the upper bound
#: theorem (`vertex_bound`): 40 million at 20 x 20 (a random 20 x 20 game has about 4 million), 88 million
#: at 21 x 21; about m**2 / 2 for an m x 5 game.
MAX_HULL_VERTICES = 50_000_000
_CHUNK_ELEMENTS = 1 << 22


def subsets_feasible(m: int, n: int) -> bool:
    """Whether the subset enumeration (every support and tight set) of an m x n game is within `MAX_SYSTEMS`."""
    return comb(m + n, m) <= MAX_SYSTEMS


def vertex_bound(m: int, n: int) -> int:
    """Most vertices the best-response polytope `hull` enumerates (of the player with fewer actions, d of
    them, with d + c facets) can have: McMullen's upper bound theorem for a simple d-polytope with N facets,
    ``C(N - floor((d + 1) / 2), N - d) + C(N - floor((d + 2) / 2), N - d)``."""
    d, c = min(m, n), max(m, n)
    N = d + c
    return comb(N - (d + 1) // 2, N - d) + comb(N - (d + 2) // 2, N - d)


def enumeration_feasible(m: int, n: int) -> bool:
    """Whether all equilibria of an m x n game are enumerated (by subsets or by `hull`)."""
    return subsets_feasible(m, n) or vertex_bound(m, n) <= MAX_HULL_VERTICES


def uses_hull(m: int, n: int, single: bool = False) -> bool:
    """Whether `vertex_enumeration` solves an m x n game game by game with `hull` (else by subsets, batched);
    `single`: one game (batch shape ()), not a batch."""
    return comb(m + n, m) > (HULL_SINGLE_FROM_SYSTEMS if single else HULL_FROM_SYSTEMS) and min(m, n) >= 2


def check_two_player(game: NormalFormGame, method: str, *, subsets: bool = False) -> None:
    """Raise `GameError` unless `game` has 2 players and few enough actions to enumerate (by subsets only
    when `subsets`)."""
    if game.n_players != 2:
        raise GameError(f"{method} needs a 2-player game; this game has {game.n_players} players")
    m, n = game.shape
    if not (subsets_feasible(m, n) if subsets else enumeration_feasible(m, n)):
        raise GameError(f"{method}: a {m}x{n} game is too large to enumerate all equilibria")


def chunks(P: int, m: int, n: int):
    """Slices of the flat batch small enough to hold every candidate system of a chunk in memory."""
    per_point = sum(comb(m, k) * comb(n, k) * (k * k + m + n) for k in range(1, min(m, n) + 1))
    step = max(1, _CHUNK_ELEMENTS // max(1, per_point))
    return [slice(lo, min(P, lo + step)) for lo in range(0, P, step)]


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
    known = Known()  # vertices settled so far: the rational work that would find them again is left out
    for k in range(1, min(d, c) + 1):
        cand = candidates(C, k, th)
        got = settle_known(cand, exact_matrix, budget, th, known)
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


def _shared_vertices(own: np.ndarray, C: np.ndarray, th: Thresholds, exact_matrix, budget: ExactBudget) -> VertexSet:
    """`_vertices` computed once per distinct polytope of the chunk and shared by the points that have it.

    A polytope depends only on the payoffs `own` (P, m, n) of the player whose constraints it holds
    (and the exact work left at the point), so points of a sweep that vary only the other player's
    payoffs share it: the same numbers, computed once.
    """
    P = len(own)
    key = np.column_stack([np.ascontiguousarray(own).reshape(P, -1).view(np.int64), budget.left.astype(np.int64)])
    _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
    if len(first) == P:
        return _vertices(C, th, exact_matrix, budget)
    inverse = inverse.reshape(-1)
    sub = ExactBudget(budget.left[first].copy(), np.zeros(len(first), dtype=bool))
    th_sub = Thresholds(th.pay[first], th.prob[first], th.prob_loose[first])
    vs = _vertices(C[first], th_sub, lambda q: exact_matrix(int(first[q])), sub)
    budget.left = sub.left[inverse]
    budget.exhausted |= sub.exhausted[inverse]
    counts = np.bincount(vs.point, minlength=len(first))
    starts = np.cumsum(counts) - counts
    lengths = counts[inverse]
    point = np.repeat(np.arange(P), lengths)
    rows = starts[inverse][point] + np.arange(len(point)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return VertexSet(point, vs.z[rows], vs.labels[rows], vs.exact[rows], vs.degenerate[inverse])


def pairs_within(pa: np.ndarray, pb: np.ndarray, P: int):
    """Index pairs (ia, ib) of all rows of sorted `pa` and sorted `pb` that share a point."""
    cb = np.bincount(pb, minlength=P)
    start_b = np.cumsum(cb) - cb
    reps = cb[pa]
    ia = np.repeat(np.arange(len(pa)), reps)
    offs = np.arange(len(ia)) - np.repeat(np.cumsum(reps) - reps, reps)
    return ia, start_b[pa[ia]] + offs


#: Row pairs compared at once when dropping near-duplicates (bounds the memory of `dedupe`).
PAIR_BLOCK = 4_000_000


def dedupe(point: np.ndarray, x: np.ndarray, y: np.ndarray, exact_rows: np.ndarray, P: int):
    """Rows of (point, x, y, exact_rows), sorted by point, with near-duplicates (within `MERGE`) dropped.

    A degenerate game can give thousands of candidate rows at one point, mostly copies of a few
    vertices: identical float rows go first (by sorting), then the rest are compared pairwise within
    each point, a block of at most `PAIR_BLOCK` pairs at a time, so memory stays bounded.
    """
    order = np.lexsort((*np.concatenate([x, y], axis=1).T[::-1], point))
    point, x, y, exact_rows = point[order], x[order], y[order], exact_rows[order]
    if len(point) > 1:
        z = np.concatenate([x, y], axis=1)
        same = (point[1:] == point[:-1]) & (z[1:] == z[:-1]).all(axis=1) & ~(exact_rows[1:] & exact_rows[:-1])
        first = np.r_[True, ~same]
        point, x, y, exact_rows = point[first], x[first], y[first], exact_rows[first]
    keep = np.ones(len(point), dtype=bool)
    counts = np.bincount(point, minlength=P)
    starts = np.cumsum(counts) - counts
    for lo_point, hi_point in _point_blocks(counts):
        lo, hi = starts[lo_point], starts[hi_point - 1] + counts[hi_point - 1]
        if hi - lo < 2:
            continue
        i, j = pairs_within(point[lo:hi] - lo_point, point[lo:hi] - lo_point, hi_point - lo_point)
        later = i < j
        i, j = i[later] + lo, j[later] + lo
        close = (np.abs(x[i] - x[j]).max(1, initial=0) <= MERGE) & (np.abs(y[i] - y[j]).max(1, initial=0) <= MERGE)
        close &= ~(exact_rows[i] & exact_rows[j])  # distinct in rational arithmetic, even if their floats coincide
        keep[j[close]] = False
    return point[keep], x[keep], y[keep], exact_rows[keep]


def _point_blocks(counts: np.ndarray):
    """Consecutive ranges of points whose pairs number at most `PAIR_BLOCK` (a point alone may exceed it,
    in which case its pairs are still compared in one go: its rows are distinct floats by then)."""
    lo, pairs = 0, 0
    for p, c in enumerate(counts.tolist()):
        if pairs and pairs + c * c > PAIR_BLOCK:
            yield lo, p
            lo, pairs = p, 0
        pairs += c * c
    if lo < len(counts):
        yield lo, len(counts)


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
    #: a degenerate (or uncertified) game solved by `hull` and too large for the subset enumeration
    unresolved: np.ndarray | None = None

    def open_points(self) -> np.ndarray:
        """`unresolved` as a bool array (all False when the kernel has no such points)."""
        return np.zeros(len(self.degenerate), dtype=bool) if self.unresolved is None else self.unresolved


def _extreme_equilibria(pay: np.ndarray, rtol: float) -> ChunkResult:
    """Extreme equilibria and per-point flags for a chunk of flat payoffs (p, 2, m, n)."""
    P, _, m, n = pay.shape
    A, B, th_A, th_B = rescaled(pay, rtol)
    for_x, for_y = exact_matrices(pay)
    budget = ExactBudget(np.full(P, confirm.EXACT_BUDGET), np.zeros(P, dtype=bool))
    vx = _shared_vertices(pay[:, 1], B, th_B, for_x, budget)
    vy = _shared_vertices(pay[:, 0], np.swapaxes(A, 1, 2), th_A, for_y, budget)
    my = np.concatenate([vy.labels[:, n:], vy.labels[:, :n]], axis=1)  # Q's own labels -> global (rows first)
    i, j = pairs_within(vx.point, vy.point, P)
    hit = (vx.labels[i] | my[j]).all(axis=1)
    i, j = i[hit], j[hit]
    point, x, y, ex = vx.point[i], vx.z[i], vy.z[j], vx.exact[i] & vy.exact[j]
    degenerate = vx.degenerate | vy.degenerate
    point, x, y, ex, too_fine = exactly_at_coarse_points(pay, point, x, y, ex, degenerate)
    return ChunkResult(point, x, y, ex, degenerate, budget.exhausted, too_fine)


def _solve_chunks(game: NormalFormGame, rtol: float, kernel) -> ChunkResult:
    """Run `kernel(pay, rtol)` -> `ChunkResult` over memory-sized chunks of the batch and join them.

    Each distinct game of the batch is solved once: a kernel's answer at a point (its rows, in
    order, and its flags) depends on that point's payoffs alone, so points with the same payoffs,
    bit for bit, get copies of one solve (a sweep whose parameter leaves a subgame unchanged over a
    range repeats it at every point there).
    """
    require_finite(game)
    pay = flat_payoffs(game)
    P, (m, n) = game.batch_size, game.shape
    key = np.ascontiguousarray(pay, dtype=np.float64).reshape(P, -1).view(np.int64)  # bits: -0.0 is not 0.0
    first, inverse = _distinct_rows(key)
    if len(first) == P:
        return _solve_flat(pay, m, n, rtol, kernel)
    inverse = inverse.reshape(-1)  # point -> its distinct game
    r = _solve_flat(pay[first], m, n, rtol, kernel)
    counts = np.bincount(r.point, minlength=len(first))
    starts = np.cumsum(counts) - counts
    lengths = counts[inverse]
    point = np.repeat(np.arange(P), lengths)
    rows = starts[inverse][point] + np.arange(len(point)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return ChunkResult(point, r.x[rows], r.y[rows], r.exact_rows[rows], r.degenerate[inverse],
                       r.incomplete[inverse], r.too_fine[inverse], r.open_points()[inverse])


def _distinct_rows(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(index of each distinct row's first occurrence, each row's distinct-row number) of an int64 table.

    Rows are told apart by a 64-bit mix of their words (one sort of P numbers instead of a
    lexicographic sort of P rows); every row is then compared with the row it was matched to, and a
    collision, should one ever occur, falls back to the exact row sort.
    """
    if len(key) == 1:  # one game (the common call): nothing to tell apart
        return np.zeros(1, dtype=np.intp), np.zeros(1, dtype=np.intp)
    words = key.view(np.uint64)
    h = np.zeros(len(key), dtype=np.uint64)
    for j in range(words.shape[1]):  # (a multiply-xorshift mix per word; uint64 arithmetic wraps)
        h ^= words[:, j] + np.uint64(0x9E3779B97F4A7C15) + (h << np.uint64(6)) + (h >> np.uint64(2))
        h *= np.uint64(0xBF58476D1CE4E5B9)
    _, first, inverse = np.unique(h, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    if not np.array_equal(key, key[first][inverse]):
        _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
        inverse = inverse.reshape(-1)
    return first, inverse


def _solve_flat(pay: np.ndarray, m: int, n: int, rtol: float, kernel) -> ChunkResult:
    """`_solve_chunks` on flat payoffs (P, 2, m, n), every point solved."""
    P = len(pay)
    parts = []
    for sl in chunks(P, m, n):
        r = kernel(pay[sl], rtol)
        p, x, y, ex = dedupe(r.point, r.x, r.y, r.exact_rows, sl.stop - sl.start)
        parts.append(ChunkResult(p + sl.start, x, y, ex, r.degenerate, r.incomplete, r.too_fine, r.open_points()))

    def cat(name, width=None):
        arrays = [getattr(r, name) for r in parts]
        if arrays:
            return np.concatenate(arrays)
        return np.zeros((0, width)) if width else np.zeros(0, dtype=np.int64 if name == "point" else bool)
    return ChunkResult(cat("point"), cat("x", m), cat("y", n), cat("exact_rows"), cat("degenerate"),
                       cat("incomplete"), cat("too_fine"), cat("unresolved"))


def drop_unconfirmed(game: NormalFormGame, r: ChunkResult, rtol: float) -> ChunkResult:
    """Drop equilibria that fail verification at points already reported incomplete (tolerance fallback).

    Anywhere else a failure is a bug, and `verify` raises it.
    """
    doubtful = r.incomplete | r.too_fine | r.open_points()
    if not len(r.point) or not doubtful.any():
        return r
    check = check_profiles(game, (r.x, r.y), r.point, rtol)
    drop = ~check.passed & ~r.exact_rows & doubtful[r.point]
    if not drop.any():
        return r
    keep = ~drop
    return ChunkResult(r.point[keep], r.x[keep], r.y[keep], r.exact_rows[keep], r.degenerate, r.incomplete,
                       r.too_fine, r.unresolved)


def incompleteness_notes(r: ChunkResult, P: int) -> tuple[str, ...]:
    """Notes for points whose enumeration cannot be guaranteed complete (see `ChunkResult`)."""
    notes = []
    if r.incomplete.any():
        notes.append(f"more than {confirm.EXACT_BUDGET:,} candidates could not be decided in floating point"
                     f"{at_points(int(r.incomplete.sum()), P)}; the tolerance test decided the rest, so "
                     "equilibria may be missing (complete: false)")
    if r.too_fine.any():
        notes.append(f"payoffs too far apart in scale for floating point{at_points(int(r.too_fine.sum()), P)} "
                     "and the game is too large to enumerate in rational arithmetic (complete: false)")
    if r.open_points().any():
        notes.append(f"the vertex enumeration could not certify its answer{at_points(int(r.open_points().sum()), P)} "
                     "(a degenerate game, or vertices floating point could not confirm) and the game is too large "
                     "to try every support: the equilibria listed are verified but may not be all (complete: false)")
    return tuple(notes)


def is_degenerate(game: NormalFormGame, *, rtol: float = RTOL) -> np.ndarray:
    """Whether the 2-player game is degenerate at each batch point (bool array of shape `batch_shape`).

    Degenerate means some mixed strategy with support size k has more than k pure best responses
    within tolerance, found as a vertex of a best-response polytope with too many labels.

    Parameters
    ----------
    game : NormalFormGame
        Two players.
    rtol : float
        Relative tolerance of a tie.

    Returns
    -------
    numpy.ndarray
        Bool, shape `batch_shape`.

    Examples
    --------
    >>> bool(is_degenerate(NormalFormGame.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])))
    False
    >>> bool(is_degenerate(NormalFormGame.from_bimatrix([[1, 1], [0, 0]], [[1, 1], [0, 0]])))
    True
    """
    check_two_player(game, "degeneracy test")
    return _solve_chunks(game, rtol, _kernel(game)).degenerate.reshape(game.batch_shape)


def _two_by_two(game: NormalFormGame, rtol: float) -> Solution | None:
    """One nondegenerate 2x2 game in closed form (`small.two_by_two`), verified; None where that does not answer."""
    from .lean import lean_solution
    from .small import two_by_two

    A, B = game.payoffs.reshape(2, 2, 2).tolist()
    found = two_by_two(A, B)
    if found is None:
        return None
    return lean_solution(game, found, method="vertex enumeration", rtol=rtol)


def _one_small_game(game: NormalFormGame, rtol: float) -> Solution | None:
    """One 2-player game of at most 64 cells by the 2x2 closed form or `bimatrix_lean`, or None (the general path).

    The compiled kernel (`bimatrix_native`) makes `bimatrix_lean`'s decisions for every shape it `fits`,
    the shapes `hull` takes for one game included (`hull` gives the subset enumeration's answers, which
    those decisions follow); where it hands a game back (`bimatrix_native.PYTHON`) the Python path runs
    as without the kernel."""
    m, n = game.payoffs.shape[1:]
    module = kernel()
    if module is not None and _fits(m, n):
        found = solve_small(module, game, rtol)
        if type(found) is not int:
            return found  # type: ignore[return-value]
        if found != PYTHON:
            return None
    if uses_hull(m, n):
        return None
    if m == 2 and n == 2:
        fast = _two_by_two(game, rtol)
        if fast is not None:
            return fast
    from .bimatrix_lean import fits, one_game

    return one_game(game, rtol) if fits(m, n) else None  # None where it cannot be sure of the general answer


@cache
def _fits(m: int, n: int) -> bool:
    from .bimatrix_lean import fits

    return fits(m, n)


def _kernel(game: NormalFormGame):
    """The chunk kernel for a 2-player game: batched subsets, or `hull.hull_equilibria` game by game."""
    m, n = game.shape
    if uses_hull(m, n, single=game.batch_shape == ()):
        from .hull import hull_equilibria

        return hull_equilibria
    return _extreme_equilibria


def vertex_enumeration(game: NormalFormGame, *, rtol: float = RTOL) -> Solution:
    """All extreme Nash equilibria of a 2-player game at every batch point (concept ``"nash"``).

    Complete wherever every candidate was decided (in floating point with a margin above rounding
    error, or in rational arithmetic): then, at a nondegenerate point, these are all its
    equilibria, and at a degenerate point (flagged) every equilibrium is a convex combination of
    listed ones within a component. Points where that could not be guaranteed say
    ``complete: false`` and the notes say why.

    Parameters
    ----------
    game : NormalFormGame
        Two players.
    rtol : float
        Relative tolerance for verification and ties.

    Returns
    -------
    Solution
        Concept ``"nash"``; the verified extreme equilibria at every point.

    Examples
    --------
    >>> mp = NormalFormGame.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> [eq.strategies for eq in vertex_enumeration(mp).equilibria_at(0)]
    [{'P1': {'1': 0.5, '2': 0.5}, 'P2': {'1': 0.5, '2': 0.5}}]
    """
    pay = game.payoffs
    if pay.ndim == 3 and pay.shape[0] == 2 and pay.shape[1] * pay.shape[2] <= 64 and len(game.players) == 2:
        # One small 2-player game (batch shape ()): every such size is enumerated, so the checks of
        # `check_two_player` pass, and the lean paths answer where they are sure of the general answer.
        fast = _one_small_game(game, rtol)
        if fast is not None:
            return fast
    check_two_player(game, "vertex enumeration")
    kernel = _kernel(game)
    if game.batch_shape == () and uses_hull(game.shape[0], game.shape[1], single=True):
        from .hull_native import one_game_solution

        walked = one_game_solution(game, rtol)  # the compiled walk's certified answer, without the chunk machinery
        if walked is not None:
            return walked
        kernel = partial(kernel, walk=False)  # the walk was tried (or could not answer): not twice
    # One game (batch shape ()), not a batch of one: a sweep's chunk of one point must round exactly as
    # its other chunks do, so that results never depend on the chunk size (the closed form's and the lean
    # path's last bits can differ from the batched enumeration's).
    P = game.batch_size
    r = drop_unconfirmed(game, _solve_chunks(game, rtol, kernel), rtol)
    notes: tuple[str, ...] = ()
    if r.degenerate.any():
        notes = (f"the game is degenerate{at_points(int(r.degenerate.sum()), P)}: its equilibria "
                 "may form continua; all extreme equilibria are listed",)
    return verified_solution(game, concept="nash", method="vertex enumeration", point=r.point,
                             strategies=(r.x, r.y), rtol=rtol, complete=~(r.incomplete | r.too_fine | r.open_points()),
                             degenerate=r.degenerate, notes=notes + incompleteness_notes(r, P),
                             exact_rows=r.exact_rows)


__all__ = ["vertex_enumeration", "is_degenerate"]
