"""The common case of `hull.one_game` in one pass per polytope: a nondegenerate game decided in floating point.

`hull.one_game` confirms qhull's proposals one support size k at a time (`polytope.paired_candidates`
and `confirm.settle` per k, on each side, then again for the matched vertices). For a random game
almost every one of those calls finds every candidate decided in floating point (VALID or INVALID,
nothing for rational arithmetic), so the per-call overhead is most of the cost. `simple_game` does
the same decisions for all proposals of a polytope at once:

- each size's square systems are still solved by `polytope._solve_ones` on exactly the numbers
  `paired_candidates` gives it (a system's solution does not depend on the others in its group),
  so coordinates, condition numbers and the inverse sums are bit for bit those of `one_game`;
- the margins, slacks and label counts are then computed for every size at once on arrays padded
  to the dimension with zero coordinates: the slack ``sum_i z_i C[K_i, j] - 1 / sum(z)`` adds the
  same products in the same order, and the padding adds exact zeros, so every comparison with a
  margin has the same outcome (only the sign of a zero slack could differ, which no comparison sees).

It answers only when the answer of `one_game` is certainly the same and needs no rational
arithmetic beyond recomputing ill-conditioned equilibria exactly (as `settle` does with
``refine=True``): every proposal of the enumerated polytope VALID (confirmed), no candidate
label within the loose tolerance beyond the dimension (nondegenerate), every partner system either
VALID or INVALID with a condition number below `polytope.COND_LIMIT` (so `one_game` would run no
singularity test), the larger polytope's proposals (when `hull.FULL_CHECK_DIM` asks for them) VALID
and nondegenerate, and the exact recomputations within `confirm.EXACT_BUDGET` (so no budget runs out
in any order). Then `one_game`'s answer is complete, not degenerate, with these equilibria and exact
flags; in every other case `simple_game` returns None and `one_game` runs its per-size path.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import confirm
from .confirm import ExactBudget
from .polytope import COND_LIMIT, LOOSE, MARGIN, Thresholds, _solve_ones

#: Proposals evaluated at once (bounds memory: a 20 x 20 game has millions of vertices).
BLOCK = 40_000
#: Candidate states (as in `polytope`): decided in floating point, or not.
INVALID, VALID, UNDECIDED = 0, 1, 2


@dataclass(frozen=True)
class Rows:
    """Square systems ``C[K, T]^T z_K = 1`` of several sizes, padded to a common width w.

    `k` (N,) the size of each; `K`, `T` (N, w) the support and tight set in their first k columns
    (zeros after); `z` (N, w) the normalised solution on K (zeros after), `cond` (N,) its condition
    estimate, `state` (N,) VALID / INVALID / UNDECIDED, `loose` (N,) its labels within the loose
    tolerance.
    """

    k: np.ndarray
    K: np.ndarray
    T: np.ndarray
    z: np.ndarray
    cond: np.ndarray
    state: np.ndarray
    loose: np.ndarray


def label_rows(labels: np.ndarray, d: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(k, K, T) padded from proposed label sets (V, d) sorted along rows (as `hull.proposals` gives
    them): support = own labels missing, tight set = the constraint labels minus d, as `hull._pairs`."""
    N = len(labels)
    own = np.zeros((N, d + 1), dtype=bool)
    np.put_along_axis(own, np.minimum(labels, d), True, axis=1)
    k = d - own[:, :d].sum(axis=1)
    start = np.cumsum(k) - k
    K = np.zeros((N, d), dtype=np.intp)
    r, i = np.nonzero(~own[:, :d])  # row-major: each row's support in increasing order
    K[r, np.arange(len(r)) - start[r]] = i
    T = np.zeros((N, d), dtype=np.intp)
    r, j = np.nonzero(labels >= d)  # the constraint labels are each row's last k
    T[r, j - (d - k)[r]] = labels[r, j] - d
    return k, K, T


def evaluate(C: np.ndarray, th: Thresholds, k: np.ndarray, K: np.ndarray, T: np.ndarray) -> Rows:
    """`polytope.paired_candidates` for systems of every size at once (one game: `C` is (d, c))."""
    return evaluate_many([(C, th, k, K, T)])[0]


def evaluate_many(sets: list[tuple]) -> list[Rows]:
    """`evaluate` of several sets ``(C, th, k, K, T)``, each size's systems of all sets solved in one call."""
    return [_decided(C, th, k, K, T, *numbers) for (C, th, k, K, T), numbers in zip(sets, solved_many(sets))]


def solved_many(sets: list[tuple]) -> list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """The numbers of `evaluate_many` before any decision: per set ``(z, cond, 1 / sum, usable)``, padded."""
    solved = [(np.zeros((len(K), K.shape[1])), np.zeros(len(K)), np.zeros(len(K)), np.zeros(len(K), dtype=bool))
              for _, _, _, K, _ in sets]
    sizes = np.unique(np.concatenate([k for _, _, k, _, _ in sets])).tolist()
    for size in sizes:
        ats = [np.flatnonzero(k == size) for _, _, k, _, _ in sets]
        # S[n, t, i] = C[K[n, i], T[n, t]]
        S = np.concatenate([C[K[at, None, :size], T[at, :size, None]] for (C, _, _, K, T), at in zip(sets, ats)])
        # entrywise for the closed forms up to 3x3; beyond, `_solve_ones` reads only `S` (and the size)
        rows = [[S[:, t, i] for i in range(size)] for t in range(size)] if size <= 3 else [None] * size
        zs, inv, cd, ok = _solve_ones(rows, S if size > 3 else None, singular_by_lu=True)
        zs = np.stack(zs, axis=-1)
        lo = 0
        for (z, cond, inv_s, usable), at in zip(solved, ats):
            hi = lo + len(at)
            z[at, :size], cond[at], inv_s[at], usable[at] = zs[lo:hi], cd[lo:hi], inv[lo:hi], ok[lo:hi]
            lo = hi
    return solved


def _decided(C: np.ndarray, th: Thresholds, k: np.ndarray, K: np.ndarray, T: np.ndarray, z: np.ndarray,
             cond: np.ndarray, inv_s: np.ndarray, usable: np.ndarray) -> Rows:
    """Margins, slacks, states and loose label counts of solved systems (as `paired_candidates`)."""
    d, c = C.shape
    N, w = K.shape  # w >= every k: padded width (the dimension, or less for a partner of a smaller polytope)
    pos = np.arange(w)[None, :] < k[:, None]
    margin = MARGIN * np.where(np.isfinite(cond), cond, 0.0)
    with np.errstate(invalid="ignore"):
        clear = usable & (~pos | (z > margin[:, None])).all(axis=1)
        bad = (pos & (z < -margin[:, None])).any(axis=1)
        loose = (d - k) + (pos & (z <= float(th.prob_loose.flat[0]))).sum(axis=1)
        g = z[:, 0, None] * C[K[:, 0], :]
        for i in range(1, w):
            g = g + z[:, i, None] * C[K[:, i], :]  # padded columns add exact zeros
        g = g - inv_s[:, None]
        inside = np.zeros((N, c + 1), dtype=bool)
        inside[np.arange(N)[:, None], np.where(pos, T, c)] = True
        outside = ~inside[:, :c]
        clear &= (~outside | (g < -margin[:, None])).all(axis=1)
        bad |= (outside & (g > margin[:, None])).any(axis=1)
        loose = loose + (g >= -LOOSE * float(th.pay.flat[0])).sum(axis=1)
    bad |= (cond < COND_LIMIT) & ~usable
    state = np.where(clear, VALID, np.where((cond < COND_LIMIT) & bad, INVALID, UNDECIDED)).astype(np.int8)
    return Rows(k, K, T, z, cond, state, loose)


def _refined(rows: Rows, at: np.ndarray, exact_matrix, budget: ExactBudget, width: int):
    """Coordinates on K of rows `at` (sizes (n,), list per row) and whether each was recomputed exactly."""
    z = rows.z[at].copy()
    exact = np.zeros(len(at), dtype=bool)
    ill = np.flatnonzero(rows.cond[at] > confirm.REFINE_COND)
    if not len(ill):
        return z, exact
    for size in np.unique(rows.k[at[ill]]).tolist():
        sel = ill[rows.k[at[ill]] == size]
        r = at[sel]
        found = confirm._exact_vertices(budget, exact_matrix, np.zeros(len(r), dtype=np.int64), rows.K[r, :size],
                                        rows.T[r, :size], width)
        hit = sel[found.found]
        z[hit, :size] = (found.num[found.found] / found.total[found.found, None]).astype(float)
        exact[hit] = True
    return z, exact


def _expanded(z: np.ndarray, k: np.ndarray, K: np.ndarray, d: int) -> np.ndarray:
    """`confirm.expand` of each row's first k values on its support, all sizes at once (the same numbers:
    the values are placed, then each row, contiguous and d long either way, is divided by its own sum)."""
    pos = np.arange(z.shape[1])[None, :] < k[:, None]
    full = np.zeros((len(z), d))
    full[np.nonzero(pos)[0], K[pos]] = np.maximum(z[pos], 0.0)
    total = full.sum(axis=1, keepdims=True)
    return full / np.where(total > 0, total, 1.0)


def _take(rows: Rows, at: np.ndarray) -> Rows:
    return Rows(*(getattr(rows, f)[at] for f in ("k", "K", "T", "z", "cond", "state", "loose")))


def _joined(parts: list[Rows], w: int) -> Rows:
    if not parts:
        e = np.zeros(0, dtype=np.intp)
        return Rows(e, np.zeros((0, w), dtype=np.intp), np.zeros((0, w), dtype=np.intp), np.zeros((0, w)),
                    np.zeros(0), np.zeros(0, dtype=np.int8), e)
    return Rows(*(np.concatenate([getattr(r, f) for r in parts]) for f in ("k", "K", "T", "z", "cond", "state",
                                                                            "loose")))


def simple_game(small: tuple, big: tuple, labels: np.ndarray, big_labels: np.ndarray | None,
                budget: ExactBudget) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Equilibria (small side (E, ds), large side (E, db), exact flags (E,)) of a nondegenerate game, or None.

    `small` and `big` are ``(C (1, d, c), Thresholds, exact_matrix)`` of the enumerated and the other
    polytope, `labels` qhull's proposals for the small one, `big_labels` those of the large one (None
    when it is not checked). None whenever `hull.one_game`'s per-size path could answer differently
    (see the module docstring); nothing is charged to `budget` then. Proposals are taken `BLOCK` at a
    time (a 20 x 20 game has millions), which changes no number.
    """
    Cs, th_s, _ = small
    Cb, th_b, _ = big
    ds, db = Cs.shape[1], Cb.shape[1]
    own_parts, partner_parts = [], []
    big_sets = [] if big_labels is None else \
        [(Cb[0], th_b, *label_rows(big_labels[lo:lo + BLOCK], db)) for lo in range(0, len(big_labels), BLOCK)]
    if sum(len(b[2]) for b in big_sets) + len(labels) > BLOCK:  # evaluated apart, one block at a time
        for one in big_sets:
            other = evaluate(*one)
            if (other.state != VALID).any() or (other.loose > db).any():
                return None
        big_sets = []
    for lo in range(0, len(labels), BLOCK):
        k, K, T = label_rows(labels[lo:lo + BLOCK], ds)
        # partners: support = the small side's tight set, tight set = its support
        own, partner, *others = evaluate_many([(Cs[0], th_s, k, K, T), (Cb[0], th_b, k, T, K), *big_sets])
        big_sets = []
        if (own.state != VALID).any() or (own.loose > ds).any():
            return None
        matched = partner.state == VALID
        if (partner.state == UNDECIDED).any() or not (partner.cond < COND_LIMIT).all() \
                or (partner.loose[matched] > db).any():
            return None
        if any((other.state != VALID).any() or (other.loose > db).any() for other in others):
            return None
        at = np.flatnonzero(matched)
        own_parts.append(_take(own, at))
        partner_parts.append(_take(partner, at))
    for one in big_sets:  # not evaluated above (no proposals: qhull always gives some, but be sure)
        other = evaluate(*one)
        if (other.state != VALID).any() or (other.loose > db).any():
            return None
    return assembled(_joined(own_parts, ds), _joined(partner_parts, ds), small, big, budget)


def assembled(own: Rows, partner: Rows, small: tuple, big: tuple,
              budget: ExactBudget) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The equilibria (small side, large side, exact flags) of matched vertices `own` and their partners
    (both decided VALID), the ill-conditioned ones recomputed exactly; None when that exceeds the budget."""
    (Cs, _, exact_s), (Cb, _, exact_b) = small, big
    ds, cs = Cs.shape[1:]
    db, cb = Cb.shape[1:]
    at = np.arange(len(own.k))
    refines = int((partner.cond > confirm.REFINE_COND).sum() + (own.cond > confirm.REFINE_COND).sum())
    if refines > budget.left[0]:
        return None
    zb, exb = _refined(partner, at, exact_b, budget, db + cb)
    zs, exs = _refined(own, at, exact_s, budget, ds + cs)
    budget.left[0] -= refines
    return _expanded(zs, own.k, own.K, ds), _expanded(zb, own.k, own.T, db), exs & exb


#: Nothing here is public: these are the steps of `hull.one_game`, which is (tests/test_hull_batch.py tests them).
__all__: list[str] = []
