"""The common case of `hull.one_game` without qhull: the compiled vertex walk ``negosim/native/bimatrix_hull.c``.

`hull.one_game` asks qhull for the vertices of the enumerated polytope (and of the larger one, for the
degeneracy flag, up to `hull.FULL_CHECK_DIM`), then `hull_batch.simple_game` decides every proposal in
floating point. The kernel finds the same vertices by pivoting: a breadth-first walk of the vertex graph
from the origin, each vertex kept once by its label set, each decided from scratch (its square system
inverted, every coordinate and slack compared with a margin of `SAFETY` times the general path's
``polytope.MARGIN`` times the condition estimate, and with the loose tolerances of the degeneracy test),
and each nonzero vertex matched with its partner system on the other polytope. The walk's completeness
is the argument of `hull`: every vertex reached is decided simple, so the set reached is closed under
the polytope's edges and is all of its vertices.

It answers only where the general path's answer is certainly the same:

- every vertex of the enumerated polytope (and of the larger one, where `hull` checks it) is decided
  VALID with no extra label within the loose tolerances, with `SAFETY` times the margins: the two
  computations of a system (this one and LAPACK's or the closed forms of `polytope._solve_ones`) are
  both backward stable, each within the rounding bound the margin stands for, so they differ by at
  most twice that bound, and a value that clears ``SAFETY * margin`` (threshold included) here clears
  ``margin`` and the threshold there; the condition estimates (the same
  formula on the two inverses) agree to far better than the factor `SAFETY` leaves;
- every partner is decided VALID (an equilibrium) or INVALID in the same sense, its condition estimate
  below ``COND_LIMIT / SAFETY``;
- the matched systems are then solved again by the general path's own code (`hull_batch.solved_many`,
  whose numbers for a system do not depend on the others in its call), and `hull_batch.assembled`
  computes the coordinates and the exact recomputations of ill-conditioned equilibria from them: bit for
  bit the general path's equilibria.

Anything else (a tie, a near-zero coordinate or slack, a singular or ill-conditioned system, a degenerate
game, more than `vertex.MAX_HULL_VERTICES` vertices) returns None, and `hull.one_game` runs its qhull path,
which flags degeneracy and falls back as before. With ``NEGOSIM_NATIVE=0`` or no compiled kernel, None.

One game on its own (`one_game_solution`, what `vertex.vertex_enumeration` calls first) goes through the
kernel's ``solve`` instead, which runs the whole sequence in C: the walk, the matched systems solved as
`polytope._solve_ones` solves them (its closed forms up to 3x3 operation for operation, LAPACK's inverse
beyond through numpy's gufunc, `_inverses`), the checks above, `hull_batch._expanded`, `vertex.dedupe` and
`verify.verified_solution`. Strategies, tolerances, best responses, ties and flags are bit for bit the
Python path's; payoffs and regrets are sums in another order than numpy's einsum (equal within rounding),
and a decision within a bound on that difference of its threshold is left to the Python code
(`_general`), as is an equilibrium to recompute in rational arithmetic (then from the walk's pairs,
without walking again).
"""

from __future__ import annotations

from functools import cache
from types import ModuleType

import numpy as np

from ..game.checks import PROB_TOL
from ..game.normal import NormalFormGame
from ..native import enabled, load
from . import hull_batch
from .bimatrix_native import kernel_solution
from .confirm import REFINE_COND, RESOLUTION, ExactBudget, coarse_points
from .hull_batch import VALID, Rows, solved_many
from .polytope import COND_LIMIT, LOOSE, MARGIN, _lapack_inv
from .result import Solution
from .tolerance import NOISE
from .verify import verified_solution
from .vertex import MAX_HULL_VERTICES, MERGE, dedupe

#: The kernel's margins are this multiple of the general path's (and its condition limit this fraction).
SAFETY = 3.0


def native_game(small: tuple, big: tuple, check_big: bool,
                budget: ExactBudget) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Equilibria (small side (E, ds), large side (E, db), exact flags (E,)) by the compiled walk, or None.

    Parameters
    ----------
    small, big : tuple
        ``(C (1, d, c), Thresholds, exact_matrix)`` of the enumerated and of the other polytope, as
        `hull.one_game` builds them.
    check_big : bool
        Also walk the larger polytope and require it nondegenerate (as `hull` does up to `hull.FULL_CHECK_DIM`).
    budget : ExactBudget
        The exact-arithmetic budget of the game (charged only when an answer is returned).

    Returns
    -------
    tuple of numpy.ndarray or None
        The general path's equilibria where the kernel certifies the game (see the module docstring),
        else None (no kernel, or a game the general path must decide).

    Examples
    --------
    >>> import numpy as np
    >>> from negosim.solve import confirm
    >>> from negosim.solve.confirm import ExactBudget, exact_matrices
    >>> from negosim.solve.polytope import rescaled
    >>> pay = np.array([[[[3.0, 0.0, 1.0], [1.0, 2.0, 0.5], [0.2, 1.0, 3.0]],
    ...                  [[1.0, 3.0, 0.0], [2.0, 0.0, 1.5], [0.5, 1.0, 2.5]]]])
    >>> A, B, th_A, th_B = rescaled(pay, 1e-9)
    >>> for_x, for_y = exact_matrices(pay)
    >>> budget = ExactBudget(np.full(1, confirm.EXACT_BUDGET), np.zeros(1, dtype=bool))
    >>> got = native_game((np.swapaxes(A, 1, 2), th_A, for_y), (B, th_B, for_x), True, budget)
    >>> got is None or len(got[0]) % 2 == 1  # None without the compiled kernel; an odd number otherwise
    True
    """
    kernel = load("bimatrix_hull")
    if kernel is None:
        return None
    (Cs, th_s, _), (Cb, th_b, _) = small, big
    ds, cs = Cs.shape[1:]
    db, cb = Cb.shape[1:]
    if Cs.shape[0] != 1 or Cb.shape[1:] != (cs, ds) or ds + cs > 60_000:
        return None
    status, pairs, _, _ = kernel.enumerate(
        np.ascontiguousarray(Cs[0], dtype=np.float64), ds, cs, np.ascontiguousarray(Cb[0], dtype=np.float64),
        db, cb, bool(check_big), float(th_s.prob_loose.flat[0]), LOOSE * float(th_s.pay.flat[0]),
        LOOSE * float(th_b.pay.flat[0]), SAFETY * MARGIN, COND_LIMIT / SAFETY, MAX_HULL_VERTICES)
    if status != 1 or float(th_s.prob_loose.flat[0]) != float(th_b.prob_loose.flat[0]):
        return None
    return _finished(pairs, small, big, budget)


def _finished(pairs: list, small: tuple, big: tuple,
              budget: ExactBudget) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """`native_game` after a decided walk: the matched (K, T) `pairs` solved, checked and assembled."""
    (Cs, th_s, _), (Cb, th_b, _) = small, big
    ds = Cs.shape[1]
    N = len(pairs)
    k = np.array([len(K) for K, _ in pairs], dtype=np.intp)
    K = np.zeros((N, ds), dtype=np.intp)
    T = np.zeros((N, ds), dtype=np.intp)
    for r, (support, tight) in enumerate(pairs):
        K[r, :len(support)] = support
        T[r, :len(tight)] = tight
    # the general path's own numbers for the matched systems (its decisions follow from the kernel's; a
    # sign or a usable flag that disagreed would mean a defect, and the general path would answer)
    (zs, cond_s, _, ok_s), (zb, cond_b, _, ok_b) = solved_many([(Cs[0], th_s, k, K, T), (Cb[0], th_b, k, T, K)])
    pos = np.arange(ds)[None, :] < k[:, None]
    if not (ok_s.all() and ok_b.all() and (~pos | (zs > 0)).all() and (~pos | (zb > 0)).all()
            and (cond_b < COND_LIMIT).all()):
        return None
    valid, loose = np.full(N, VALID, dtype=np.int8), np.zeros(N, dtype=np.intp)
    own, partner = Rows(k, K, T, zs, cond_s, valid, loose), Rows(k, T, K, zb, cond_b, valid, loose)
    return hull_batch.assembled(own, partner, small, big, budget)


def _inverses(systems: bytes, count: int, k: int) -> np.ndarray:
    """LAPACK's inverses of `count` k x k systems (row-major float64 bytes), as `polytope._solve_ones` takes
    them (NaN where LAPACK meets a zero pivot): the kernel's `solve` calls this for its systems beyond 3x3."""
    assert _lapack_inv is not None  # `_configured` passes this function to the kernel only then
    return _lapack_inv(np.frombuffer(systems).reshape(count, k, k), signature="d->d")


@cache
def _configured() -> ModuleType | None:
    """The compiled module with the thresholds of the Python modules set, or None if it was not built (or
    numpy lacks the inverse gufunc the Python path uses: then the kernel could not repeat its numbers)."""
    module = load("bimatrix_hull")
    if module is None or _lapack_inv is None:
        return None
    from .hull import FULL_CHECK_DIM  # hull imports this module

    module.configure(_inverses, PROB_TOL, NOISE, MARGIN, LOOSE, COND_LIMIT, REFINE_COND, RESOLUTION, MERGE, SAFETY,
                     MAX_HULL_VERTICES, FULL_CHECK_DIM)
    return module


def one_game_solution(game: NormalFormGame, rtol: float) -> Solution | None:
    """`vertex.vertex_enumeration` of one 2-player game (batch shape ()) where the compiled walk answers it.

    The general path for one game runs `hull.hull_equilibria` on one point through the chunk machinery of
    `vertex`; for a game the walk certifies, that is `hull.one_game`'s walked outcome (complete, not
    degenerate, the budget not exhausted), unchanged by `confirm.exactly_at_coarse_points` (the game is not
    coarse), then `vertex.dedupe` and `verify.verified_solution` with no note. The kernel's ``solve`` runs
    that whole sequence in C (see ``negosim/native/bimatrix_hull.c``): the same strategies and tolerances
    bit for bit, the payoffs and regrets within rounding of numpy's sums, every decision the same (it
    hands the game back wherever rounding could change one, and `_general` then runs the Python code).
    None (the general path answers, and raises on bad payoffs) when the kernel is missing or switched off,
    a payoff is not finite, the game is coarse, or the walk does not answer.

    Parameters
    ----------
    game : NormalFormGame
        Two players, one game.
    rtol : float
        Relative tolerance for verification and ties.

    Returns
    -------
    Solution or None
        The verified solution (concept "nash", complete), or None.

    Examples
    --------
    >>> import numpy as np
    >>> game = NormalFormGame.from_bimatrix(*np.random.default_rng(1).standard_normal((2, 7, 7)))
    >>> sol = one_game_solution(game, 1e-9)
    >>> sol is None or (bool(sol.complete.all()) and len(sol.point) % 2 == 1)
    True
    """
    if game.n_players != 2 or game.batch_shape != () or not enabled():
        return None
    module = _configured()
    if module is None:
        return None
    pay = game.payoffs
    m, n = pay.shape[1:]
    if m < 2 or n < 2 or pay.dtype != np.float64:
        return _general(game, rtol)
    out = module.solve(pay if pay.flags.c_contiguous else np.ascontiguousarray(pay), m, n, float(rtol))
    if out is NONE:
        return None
    if type(out) is list:
        return _general(game, rtol, out)
    return kernel_solution(game, out, float(rtol))


def _general(game: NormalFormGame, rtol: float, pairs: list | None = None) -> Solution | None:
    """`one_game_solution` by the Python code: the walk's outcome (`hull.walked_game`, or from the walk's
    matched `pairs` where the kernel's ``solve`` gives them), `vertex.dedupe` and `verify.verified_solution`."""
    from .hull import _sides, walked_game  # hull imports this module

    m, n = game.shape
    pay = game.payoffs.reshape(1, 2, m, n)
    if pairs is None:
        if not np.isfinite(pay).all() or coarse_points(pay)[0]:
            return None
        got = walked_game(pay, rtol)
        if got is None or got.unsettled or got.degenerate or got.exhausted:
            return None
        x, y, exact = got.x, got.y, got.exact
    else:  # `hull._walked` after the kernel's walk (the same walk `native_game` would run)
        small, big, swap, budget = _sides(pay, rtol)
        found = _finished(pairs, small, big, budget)
        if found is None or budget.exhausted[0]:
            return None
        zs, zb, exact = found
        x, y = (zs, zb) if swap else (zb, zs)
    point, x, y, ex = dedupe(np.zeros(len(x), dtype=np.int64), x, y, exact, 1)
    return verified_solution(game, concept="nash", method="vertex enumeration", point=point, strategies=(x, y),
                             rtol=rtol, complete=np.ones(1, dtype=bool), degenerate=np.zeros(1, dtype=bool),
                             notes=(), exact_rows=ex)


#: The kernel's ``solve`` code where the Python code answers None.
NONE = 0


__all__ = ["SAFETY", "native_game", "one_game_solution"]
