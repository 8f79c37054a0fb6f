"""All extreme Nash equilibria of one 2-player game, at a cost that follows the number of vertices.

`vertex.py` tries every (support, tight set) system of the best-response polytopes, C(m + n, n) of
them: cheap for small games across many batch points, hopeless beyond 10x10. Here one game is
solved by enumerating the vertices of ONE polytope with qhull (the convex hull of the polar
polytope: its facets are the polytope's vertices, `scipy.spatial.ConvexHull`, the method QuantEcon
uses), the player with fewer actions' (so a 200x3 game enumerates a 3-dimensional polytope).

Each vertex qhull reports is only a proposal: its labels name a square system ``C[K, T]^T z = 1``,
which `polytope.candidates` solves and decides with the same rounding-error margins as `vertex.py`
(and `confirm.settle` in rational arithmetic where floating point cannot tell). A confirmed vertex
y of Q with support J and tight rows I is matched by solving the other side's system: x on I making
player 2 indifferent over J (``B[I, J]^T x = 1``), kept when it is a vertex of P. The pair is then
completely labelled, so an extreme equilibrium; conversely every extreme equilibrium arises this way
in a nondegenerate game (von Stengel, Handbook of Game Theory vol. 3, ch. 45).

Completeness: qhull's output is a closed simplicial surface (every ridge shared by two facets),
so the confirmed vertices with exactly d labels each form a vertex set closed under the edges of a
simple polytope, which is then all of them (a polytope's graph is connected). Anything else (a
proposal not confirmed, a vertex with more labels than its dimension, a singular system on the other
side, a qhull error) makes the game `Outcome.unsettled`: the caller then uses the subset
enumeration of `vertex.py` where that is feasible, and otherwise reports the game incomplete.
Degeneracy is detected on the enumerated polytope and at every equilibrium, and on the other
polytope too while it is small (`FULL_CHECK_DIM`); beyond that, a degenerate vertex of the larger
polytope that lies in no equilibrium goes unflagged (it changes no equilibrium).

Before qhull, `hull_native.native_game` tries the compiled vertex walk (``negosim/native/bimatrix_hull.c``):
where it certifies a nondegenerate game it returns exactly the equilibria the one-pass path below would
(the same systems solved by the same code), without qhull; otherwise (no kernel, ``NEGOSIM_NATIVE=0``, a
tie, a doubtful or ill-conditioned system) it answers nothing and the paths below run as before.

Two paths decide the proposals, with the same answers. The common case, a nondegenerate game whose
every candidate is decided in floating point, is answered by `hull_batch.simple_game` in one pass
per polytope (all support sizes together, the larger polytope's qhull shared). It answers only when
every proposal of the enumerated polytope is VALID with no extra label within the loose tolerance,
every partner system VALID or INVALID with a condition number below `polytope.COND_LIMIT`, every
proposal of the larger polytope (when checked) VALID and nondegenerate, and the exact
recomputations of ill-conditioned equilibria fit in the budget: exactly the cases in which the
per-size path below runs no rational arithmetic except those recomputations, decides every
candidate the same way (the same numbers, see `hull_batch`) and so certifies the same complete,
nondegenerate answer. Everything else (a doubtful or degenerate game, a tie, a near-singular system)
goes through the per-size path: `polytope.paired_candidates` and `confirm.settle` one support size
at a time, as before. Nothing certified is weakened: a degenerate game is flagged by the per-size
path exactly as before, and a complete answer is claimed only on the completeness argument above.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import confirm, exact
from .confirm import ExactBudget, exact_matrices, exactly_at_coarse_points, expand, settle
from .hull_batch import simple_game
from .hull_native import native_game
from .polytope import COND_LIMIT, Candidates, Thresholds, paired_candidates, rescaled
from .vertex import ChunkResult, _extreme_equilibria, subsets_feasible

#: The larger polytope is also enumerated, for the degeneracy flag alone, up to this dimension.
FULL_CHECK_DIM = 12
#: Proposed systems solved at once (bounds memory: a 20 x 20 game has millions of vertices).
BLOCK = 40_000
#: Games `one_game` gave up on early since the counter was reset (``redo``: certainly unsettled; for tests).
STOPPED_EARLY = [0]
#: Games `hull_equilibria` handed to the subset enumeration without trying `one_game` (`tied_pure_reply`).
SKIPPED = [0]
#: Whether `hull_equilibria` skips the games `tied_pure_reply` finds (False: try every game; for tests).
SKIP_TIED = True


@dataclass(frozen=True)
class Outcome:
    """Extreme equilibria of one game: x (E, m), y (E, n), exact flags (E,), and what was decided.

    `unsettled`: the hull method could not certify its answer (degenerate game, unconfirmed vertex or
    qhull failure); the equilibria found are real but may not be all.

    Attributes
    ----------
    x, y : numpy.ndarray
        The equilibria's strategies, (E, m) and (E, n).
    exact : numpy.ndarray
        Per equilibrium, whether its coordinates were computed in rational arithmetic, (E,).
    degenerate : bool
        Whether the game was found degenerate.
    unsettled : bool
        Whether the answer is not certified complete.
    exhausted : bool
        Whether the exact-arithmetic budget ran out.
    why : tuple of str
        What left it unsettled, for diagnostics.

    Examples
    --------
    >>> import numpy as np
    >>> got = one_game(np.array([[[[2.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 2.0]]]]), 1e-9)
    >>> isinstance(got, Outcome), len(got.x), got.unsettled
    (True, 3, False)
    """

    x: np.ndarray
    y: np.ndarray
    exact: np.ndarray
    degenerate: bool
    unsettled: bool
    exhausted: bool
    why: tuple[str, ...] = ()  # what left it unsettled, for diagnostics


def proposals(C: np.ndarray) -> np.ndarray | None:
    """Label sets (V, d) of the vertices of ``{z >= 0, C^T z <= 1}`` other than 0, as qhull sees them.

    `C` is (d, c) with entries in [1, 2]; labels ``i < d`` mean ``z_i = 0`` and ``d + j`` that
    constraint j is tight. None when qhull fails (the caller falls back).

    Parameters
    ----------
    C : numpy.ndarray
        The (d, c) constraint matrix, entries in [1, 2].

    Returns
    -------
    numpy.ndarray or None
        The label sets, one row per vertex; None when qhull fails.

    Examples
    --------
    >>> import numpy as np
    >>> sorted(map(tuple, proposals(np.array([[1.0, 2.0], [2.0, 1.0]])).tolist()))
    [(0, 2), (1, 3), (2, 3)]
    """
    from scipy.spatial import ConvexHull, QhullError

    d, c = C.shape
    center = np.full(d, 1.0 / (4 * d))  # strictly inside: C^T center <= 1/2
    G = np.vstack([-np.eye(d), C.T])
    slack = np.concatenate([np.zeros(d), np.ones(c)]) - G @ center
    try:
        hull = ConvexHull(G / slack[:, None])  # the polar polytope: its facets are our vertices
    except (QhullError, ValueError):
        return None
    labels = np.sort(hull.simplices, axis=1)
    return labels[(labels >= d).any(axis=1)]  # not the zero vertex


def _pairs(labels: np.ndarray, d: int):
    """(k, Ks, Ts) groups of square systems named by label sets (V, d): support = own labels missing."""
    own = np.zeros((len(labels), d + 1), dtype=bool)
    np.put_along_axis(own, np.minimum(labels, d), True, axis=1)
    k_of = d - own[:, :d].sum(axis=1)
    for k in np.unique(k_of).tolist():
        sel = np.flatnonzero(k_of == k)
        for lo in range(0, len(sel), BLOCK):
            part = sel[lo:lo + BLOCK]
            Ks = np.nonzero(~own[part, :d])[1].reshape(-1, k)
            Ts = np.sort(labels[part], axis=1)[:, d - k:] - d  # the k constraint labels sort last
            yield k, Ks, Ts


def _confirmed(C: np.ndarray, th: Thresholds, exact_matrix, budget: ExactBudget, groups, refine: bool = False,
               stop: bool = False):
    """Settle each group of proposed systems.

    Returns ``[(k, Settled, Candidates, indices of the confirmed ones)]``, whether every proposal
    was confirmed, and whether any vertex has more labels than the dimension (degenerate). With
    `stop`, the groups after the first that leaves a proposal unconfirmed or finds a degenerate vertex
    are not settled (the answer is then unsettled whatever they hold).
    """
    out, confirmed, degenerate = [], True, False
    d = C.shape[1]
    for k, Ks, Ts in groups:
        cand = paired_candidates(C, k, th, Ks, Ts)
        got = settle(cand, exact_matrix, budget, th, refine=refine)
        degenerate |= bool((cand.loose[got.p, got.a, got.b] > d).any() or (got.labels.sum(axis=1) > d).any())
        confirmed &= len(got.p) == len(Ks)
        out.append((k, got, cand, got.a))
        if stop and (degenerate or not confirmed):
            break
    return out, confirmed, degenerate


def _first_group_fails(small: tuple, budget: ExactBudget, labels: np.ndarray, ds: int) -> str:
    """Why the per-size path's first group of proposals (the smallest support size), settled on a copy of
    `budget`, fails: "degenerate" (a vertex with more labels than the dimension), "a vertex qhull proposed
    was not confirmed", or "" (it does not fail).

    Then `one_game`'s answer is unsettled: `simple_game` answers only where the per-size path certifies a
    complete nondegenerate answer (and charges nothing where it does not), so the per-size path would
    settle this same group with this same budget, and fail the same way.
    """
    first = next(iter(_pairs(labels, ds)), None)
    if first is None:
        return ""
    trial = ExactBudget(budget.left.copy(), budget.exhausted.copy(), budget.matrices)
    _, confirmed, degenerate = _confirmed(small[0], small[1], small[2], trial, [first])
    return "degenerate" if degenerate else "" if confirmed else "a vertex qhull proposed was not confirmed"


def _rows(cand: Candidates, at: np.ndarray) -> Candidates:
    """The paired candidates `at` of `cand`, as `paired_candidates` would compute them alone."""
    return Candidates(cand.k, cand.d, cand.c, [x[:, at] for x in cand.z], cand.cond[:, at], cand.state[:, at],
                      cand.tolerant[:, at], cand.loose[:, at], cand.Ks[at], cand.Ts[at], True)


def _singular(exact_matrix, budget: ExactBudget, Ks: np.ndarray, Ts: np.ndarray) -> bool:
    """Whether any system ``C[K, T]^T z = 1`` is exactly singular (rational arithmetic; True once the budget
    runs out, since then it cannot be ruled out)."""
    if not len(Ks):
        return False
    C = confirm._cached(budget, exact_matrix, 0)
    for K, T in zip(Ks.tolist(), Ts.tolist()):
        if budget.left[0] <= 0:
            return True
        budget.left[0] -= 1
        if exact.integer_system_singular(C, K, T):
            return True
    return False


def _sides(pay: np.ndarray, rtol: float):
    """``(small, big, swap, budget)``: each polytope as ``(C, Thresholds, exact_matrix)``, the enumerated one
    first (the player with fewer actions': Q, dimension n, when n <= m; `swap` when it is P), and the
    game's exact-arithmetic budget."""
    _, _, m, n = pay.shape
    A, B, th_A, th_B = rescaled(pay, rtol)
    for_x, for_y = exact_matrices(pay)
    budget = ExactBudget(np.full(1, confirm.EXACT_BUDGET), np.zeros(1, dtype=bool))
    swap = n > m
    small, big = ((B, th_B, for_x), (np.swapaxes(A, 1, 2), th_A, for_y)) if swap else \
        ((np.swapaxes(A, 1, 2), th_A, for_y), (B, th_B, for_x))
    return small, big, swap, budget


def _walked(small: tuple, big: tuple, swap: bool, budget: ExactBudget) -> Outcome | None:
    """`one_game`'s answer by the compiled walk (`hull_native.native_game`), or None where it does not answer."""
    found = native_game(small, big, big[0].shape[1] <= FULL_CHECK_DIM, budget)
    if found is None:
        return None
    zs, zb, ex = found
    x, y = (zs, zb) if swap else (zb, zs)
    return Outcome(x, y, ex, False, False, bool(budget.exhausted[0]))


def walked_game(pay: np.ndarray, rtol: float) -> Outcome | None:
    """`one_game`'s answer where the compiled vertex walk gives it, else None.

    The walk (``negosim/native/bimatrix_hull.c``, through `hull_native.native_game`) answers only a game
    it certifies nondegenerate, with every system decided in floating point: then its equilibria are
    exactly those `one_game` finds, complete. Nothing but the walk runs here, so a None (no kernel,
    ``NEGOSIM_NATIVE=0``, a game with fewer than 2 actions for a player, a tie or a doubtful system)
    costs little, and the caller takes the general path (`hull_native.one_game_solution` does).

    Parameters
    ----------
    pay : numpy.ndarray
        The game's payoffs, ``(1, 2, m, n)``: the row player's then the column player's matrix.
    rtol : float
        Relative tolerance, as for `one_game`.

    Returns
    -------
    Outcome or None
        The extreme equilibria, certified complete and nondegenerate, or None where the walk does not answer.

    Examples
    --------
    The battle of the sexes: two pure equilibria and one mixed. The walk answers exactly when the kernel
    is built, and then as `one_game`'s general path does:

    >>> import numpy as np
    >>> from negosim import native
    >>> pay = np.array([[[[2.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 2.0]]]])
    >>> got = walked_game(pay, 1e-9)
    >>> (got is not None) == (native.load("bimatrix_hull") is not None)
    True
    >>> general = one_game(pay, 1e-9, walk=False)
    >>> sorted(general.x.round(3).tolist()), general.degenerate, general.unsettled
    ([[0.0, 1.0], [0.667, 0.333], [1.0, 0.0]], False, False)
    >>> got is None or (sorted(got.x.round(3).tolist()) == sorted(general.x.round(3).tolist())
    ...                 and sorted(got.y.round(3).tolist()) == sorted(general.y.round(3).tolist()))
    True

    A degenerate game (the row player indifferent against the second column) is left to the general path:

    >>> walked_game(np.array([[[[1.0, 1.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]]]]), 1e-9) is None
    True
    """
    if min(pay.shape[2:]) < 2:
        return None
    return _walked(*_sides(pay, rtol))


def one_game(pay: np.ndarray, rtol: float, walk: bool = True, redo: bool = False) -> Outcome:
    """Extreme equilibria of one game from flat payoffs (1, 2, m, n) (see the module docstring).

    Parameters
    ----------
    pay : numpy.ndarray
        The game's payoffs, (1, 2, m, n): the row player's then the column player's matrix.
    rtol : float
        Relative tolerance.
    walk : bool
        Try the compiled walk first (False when the caller has just tried it: the answer is the same).
    redo : bool
        The caller solves an unsettled game again by another method and uses nothing else of this
        answer (`hull_equilibria` where the subset enumeration is feasible): stop as soon as the answer
        is certainly unsettled (a proposal not confirmed, or a degenerate vertex of the enumerated
        polytope), and return `unsettled` with no equilibria. The smallest support size's proposals are
        settled first, before `hull_batch.simple_game` (`_first_group_fails`): in a degenerate Bayesian
        game a pure strategy's vertex usually has several tight constraints already.

    Returns
    -------
    Outcome
        The extreme equilibria found and whether the answer is certified.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.diag([3.0, 2.0, 1.0])
    >>> got = one_game(np.array([[A, A]]), 1e-9)
    >>> len(got.x), got.degenerate, got.unsettled
    (7, False, False)
    >>> got.x[got.x.min(axis=1) > 0].round(3).tolist()  # the completely mixed one (rows in no set order)
    [[0.182, 0.273, 0.545]]
    """
    _, _, m, n = pay.shape
    small, big, swap, budget = _sides(pay, rtol)
    Cs, Cb = small[0][0], big[0][0]
    ds, db = Cs.shape[0], Cb.shape[0]
    empty = Outcome(np.zeros((0, m)), np.zeros((0, n)), np.zeros(0, dtype=bool), False, True, False)
    if min(m, n) < 2:
        return empty  # qhull needs 2 dimensions; a 1 x n game is a handful of systems for vertex.py
    walked = _walked(small, big, swap, budget) if walk else None  # the compiled walk, where it is sure
    if walked is not None:
        return walked
    labels = proposals(Cs)
    if labels is None:
        return Outcome(empty.x, empty.y, empty.exact, False, True, False, ("qhull failed",))
    big_labels = proposals(Cb) if db <= FULL_CHECK_DIM else None
    gives_up = _first_group_fails(small, budget, labels, ds) if redo else ""
    if gives_up:
        STOPPED_EARLY[0] += 1
        return Outcome(empty.x, empty.y, empty.exact, gives_up == "degenerate", True, False, (gives_up,))
    if db > FULL_CHECK_DIM or big_labels is not None:
        found = simple_game(small, big, labels, big_labels, budget)
        if found is not None:
            zs, zb, ex = found
            x, y = (zs, zb) if swap else (zb, zs)
            return Outcome(x, y, ex, False, False, bool(budget.exhausted[0]))
    settled, confirmed, degenerate = _confirmed(small[0], small[1], small[2], budget, _pairs(labels, ds), stop=redo)
    unsettled = not confirmed
    why = [] if confirmed else ["a vertex qhull proposed was not confirmed"]
    if redo and (degenerate or unsettled):  # unsettled whatever follows: the caller redoes the game
        STOPPED_EARLY[0] += 1
        return Outcome(empty.x, empty.y, empty.exact, degenerate, True, bool(budget.exhausted[0]),
                       (*why, *(["degenerate"] if degenerate else [])))
    zs_all, zb_all, ex_all = [], [], []
    for k, _, small_cand, chosen in settled:
        support, tight = small_cand.Ks[chosen], small_cand.Ts[chosen]
        if not len(support):
            continue
        # the other side: support = the small side's tight constraints, tight set = its support
        cand = paired_candidates(big[0], k, big[1], tight, support)
        other = settle(cand, big[2], budget, big[1])
        degenerate |= bool((cand.loose[other.p, other.a, other.b] > db).any()
                           or (other.labels.sum(axis=1) > db).any())
        # an ill-conditioned or singular system that did not yield a vertex may hide a continuum of
        # partners (a degenerate game): not certified
        failed = np.ones(len(tight), dtype=bool)
        failed[other.a] = False
        doubtful = np.flatnonzero(failed & ~(cand.cond[0, :, 0] < COND_LIMIT))
        if _singular(big[2], budget, tight[doubtful], support[doubtful]):
            unsettled = True
            why.append("a singular system on the other side")
        sel = other.a  # this block's small-side vertices that have a partner
        if not len(sel):
            continue
        # those vertices again, now with exact coordinates where the system is ill-conditioned (their
        # candidates as computed before: each system's numbers do not depend on the others in its group)
        again = settle(_rows(small_cand, chosen[sel]), small[2], budget, small[1])
        if len(again.p) != len(sel):
            unsettled = True
            why.append("a matched vertex was not confirmed again")
        keep = again.a
        zs_all.append(expand(again.zK, support[sel][keep], ds))
        zb_all.append(expand(other.zK[keep], tight[sel][keep], db))
        ex_all.append(again.exact & other.exact[keep])
    if db <= FULL_CHECK_DIM and not degenerate:
        if big_labels is None:
            unsettled = True
            why.append("qhull failed on the larger polytope")
        else:
            _, big_confirmed, big_degenerate = _confirmed(big[0], big[1], big[2], budget, _pairs(big_labels, db))
            degenerate |= big_degenerate
            if not big_confirmed:
                unsettled = True
                why.append("a vertex of the larger polytope was not confirmed")
    if degenerate:
        unsettled = True
        why.append("degenerate")
    zs = np.concatenate(zs_all) if zs_all else np.zeros((0, ds))
    zb = np.concatenate(zb_all) if zb_all else np.zeros((0, db))
    ex = np.concatenate(ex_all) if ex_all else np.zeros(0, dtype=bool)
    x, y = (zs, zb) if swap else (zb, zs)
    return Outcome(x, y, ex, degenerate, unsettled, bool(budget.exhausted[0]), tuple(why))


def tied_pure_reply(pay: np.ndarray) -> bool:
    """Whether `one_game(pay, redo=True)` is certainly unsettled: a pure strategy of the player whose polytope
    it enumerates has two best replies with the same payoff, bit for bit.

    That player (the one with fewer actions, the column player when m == n, as `_sides` chooses) has a
    vertex ``e_i / max_j C[i, j]`` for each pure strategy i, whose tight constraints are the other player's
    best replies to i. Two of them with equal payoffs are equal after
    rescaling and in the exact fractions too, so that vertex has more labels than its dimension, and every
    system naming it leaves the other reply's slack at exactly zero: the compiled walk cannot decide it (its
    first step from the origin along z_i reaches it), `hull_batch.simple_game` cannot pass it (an extra
    label within the loose tolerance), and `_confirmed` settles it as degenerate or leaves it unconfirmed,
    or qhull fails; each makes the answer unsettled, and `hull_equilibria` then redoes the game by subsets,
    using nothing else of it. Checked against `one_game` on random games by the tests.

    Parameters
    ----------
    pay : numpy.ndarray
        One game's flat payoffs, (2, m, n).

    Returns
    -------
    bool

    Examples
    --------
    A 2 x 3 game enumerates the row player's polytope: the column player's replies to each row count.

    >>> import numpy as np
    >>> A = [[2.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    >>> tied_pure_reply(np.array([A, [[1.0, 1.0, 0.0], [0.0, 2.0, 1.0]]]))  # to the first row: columns 1 and 2
    True
    >>> tied_pure_reply(np.array([A, [[1.0, 0.0, 0.0], [0.0, 2.0, 1.0]]]))
    False
    """
    _, m, n = pay.shape
    # as in `_sides`: n > m enumerates P (the row player's strategies, the column player's replies in pay[1]
    # rows), else Q (the column player's strategies, the row player's replies in pay[0] columns)
    replies = pay[1] if n > m else pay[0].T
    best = replies.max(axis=1, keepdims=True)
    return bool(((replies == best).sum(axis=1) > 1).any())


def hull_equilibria(pay: np.ndarray, rtol: float, walk: bool = True) -> ChunkResult:
    """`vertex.ChunkResult` for a chunk of flat payoffs (P, 2, m, n), one game at a time by `one_game`.

    Games it cannot certify are solved again by the subset enumeration when that is feasible
    (`vertex.subsets_feasible`), else reported `unresolved` with what was found. Where the subsets are
    feasible, a game `tied_pure_reply` finds is not tried here at all (it would be redone whatever one_game
    found; a degenerate Bayesian game's strategic form usually is such a game).

    Parameters
    ----------
    pay : numpy.ndarray
        Payoffs of P games, (P, 2, m, n).
    rtol : float
        Relative tolerance.
    walk : bool
        Passed to `one_game`.

    Returns
    -------
    ChunkResult
        The equilibria (point, x, y, exact rows) and the per-point flags.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.diag([3.0, 2.0, 1.0])
    >>> got = hull_equilibria(np.array([[A, A]]), 1e-9)
    >>> got.point.tolist(), got.degenerate.tolist()
    ([0, 0, 0, 0, 0, 0, 0], [False])
    """
    P, _, m, n = pay.shape
    points, xs, ys, exs = [], [], [], []
    degenerate, exhausted, unresolved = (np.zeros(P, dtype=bool) for _ in range(3))
    redo = []
    again = subsets_feasible(m, n)  # unsettled games are solved again by subsets: one_game may stop early
    for q in range(P):
        if again and SKIP_TIED and min(m, n) >= 2 and tied_pure_reply(pay[q]):
            SKIPPED[0] += 1  # unsettled whatever `one_game` would find: the subsets answer
            redo.append(q)
            continue
        got = one_game(pay[q:q + 1], rtol, walk, redo=again)
        if got.unsettled and again:
            redo.append(q)
            continue
        points.append(np.full(len(got.x), q))
        xs.append(got.x)
        ys.append(got.y)
        exs.append(got.exact)
        degenerate[q], exhausted[q], unresolved[q] = got.degenerate, got.exhausted, got.unsettled
    point = np.concatenate(points) if points else np.zeros(0, dtype=np.int64)
    x = np.concatenate(xs) if xs else np.zeros((0, m))
    y = np.concatenate(ys) if ys else np.zeros((0, n))
    ex = np.concatenate(exs) if exs else np.zeros(0, dtype=bool)
    # coarse points are enumerated exactly here, except those redone below: the subset enumeration does
    # that itself (doing it twice listed every equilibrium of a coarse degenerate game twice)
    done = np.setdiff1d(np.arange(P), np.array(redo, dtype=np.int64))
    where = np.zeros(P, dtype=np.int64)
    where[done] = np.arange(len(done))
    too_fine = np.zeros(P, dtype=bool)
    if len(done):
        deg_done = degenerate[done]
        point, x, y, ex, fine_done = exactly_at_coarse_points(pay[done], where[point], x, y, ex, deg_done)
        point, degenerate[done], too_fine[done] = done[point], deg_done, fine_done
    if redo:
        at = np.array(redo)
        r = _extreme_equilibria(pay[at], rtol)
        point, x, y = np.concatenate([point, at[r.point]]), np.concatenate([x, r.x]), np.concatenate([y, r.y])
        ex = np.concatenate([ex, r.exact_rows])
        degenerate[at], exhausted[at], too_fine[at] = r.degenerate, r.incomplete, r.too_fine
    too_fine &= ~unresolved  # one note per point: the broader one
    return ChunkResult(point, x, y, ex, degenerate, exhausted, too_fine, unresolved)


__all__ = ["FULL_CHECK_DIM", "Outcome", "hull_equilibria", "one_game", "proposals", "walked_game"]
