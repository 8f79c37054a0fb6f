"""Many exact vertex systems at once: `exact.integer_vertex` over a batch of candidates, with the same answers.

The floating-point vertex enumeration hands thousands of systems ``C[K, T]^T z_K = 1`` per point to
rational arithmetic when a game is degenerate. The reduced normal form of a game tree is: payoffs
repeat, and sums of them that are equal on paper differ in the last bit, which turns singular
systems into nearly singular, exactly regular ones. Deciding them one Python call at a time made
`negosim explain` of a small signalling tree take minutes. Here the same decisions are made on
whole arrays, in three stages, each of which only removes systems `integer_vertex` rejects:

1. Cramer's rule in floating point with a rigorous error bound (systems up to 4 x 4): where two of
   the numerators ``det(M_i)`` certainly have opposite signs, or one has the sign opposite to the
   determinant's, some coordinate of the solution is negative; where some constraint outside the
   system is certainly violated, the solution is outside the polytope (`certainly_no_vertex`);
   either way the system gives no vertex;
2. exact singularity modulo word-sized primes (numpy ``int64``): a determinant that is zero modulo
   enough primes for their product to exceed twice Hadamard's bound on it is zero;
3. the rest go through the fraction-free elimination of `exact.integer_vertex` (Bareiss) on numpy
   object arrays of Python integers, so every number is the one the scalar code computes.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from math import log2

import numpy as np

from .exact import IntegerMatrix

#: Primes just below 2**31: a product of two residues fits in int64.
PRIMES = (2147483647, 2147483629, 2147483587, 2147483579, 2147483563, 2147483549, 2147483543, 2147483497,
          2147483489, 2147483477, 2147483423, 2147483399, 2147483353, 2147483323, 2147483269, 2147483249)
#: log2 of the smallest prime above (a lower bound on each prime's contribution to the product).
_PRIME_BITS = 30.99


@dataclass(frozen=True)
class BatchVertices:
    """Results of `integer_vertices`, one row per system: as `exact.integer_vertex` would return them.

    `found[n]` is False where `integer_vertex` returns None; elsewhere ``z_i = num[n, i] / total[n]``
    for the i-th index of the system's support K (Python integers in object arrays) and `labels[n]`
    is the vertex's label set as a boolean row of length ``d + c``.

    Attributes
    ----------
    found : numpy.ndarray
        (N,) bool: the system has a vertex.
    num : numpy.ndarray
        (N, k) object: the vertex's numerators.
    total : numpy.ndarray
        (N,) object: their common denominator.
    labels : numpy.ndarray
        (N, d + c) bool: the vertex's labels.

    Examples
    --------
    >>> from fractions import Fraction
    >>> from negosim.solve.exact import integer_matrix
    >>> C = integer_matrix([[Fraction(2), Fraction(1)], [Fraction(1), Fraction(2)]])
    >>> got = integer_vertices(MatrixTable([C]), np.array([0]), np.array([[0, 1]]), np.array([[0, 1]]))
    >>> isinstance(got, BatchVertices), got.num[0].tolist(), int(got.total[0])
    (True, [1, 1], 2)
    """

    found: np.ndarray
    num: np.ndarray
    total: np.ndarray
    labels: np.ndarray

    @classmethod
    def none(cls, systems: int, k: int, labels: int) -> BatchVertices:
        """`systems` rows of support size `k` with no vertex found (to be filled in), `labels` wide."""
        return cls(np.zeros(systems, dtype=bool), np.zeros((systems, k), dtype=object),
                   np.zeros(systems, dtype=object), np.zeros((systems, labels), dtype=bool))


class MatrixTable:
    """The integer matrices of several points, as object arrays and residues modulo `PRIMES` (built once).

    Parameters
    ----------
    matrices : list of IntegerMatrix
        One per point, all of the same shape (`exact.integer_matrix`).

    Examples
    --------
    >>> from fractions import Fraction
    >>> from negosim.solve.exact import integer_matrix
    >>> C = integer_matrix([[Fraction(2), Fraction(1)], [Fraction(1), Fraction(2)]])
    >>> table = MatrixTable([C])
    >>> table.floats.tolist(), table.residues(7).tolist(), table.bits.tolist()
    ([[[2.0, 1.0], [1.0, 2.0]]], [[[2, 1], [1, 2]]], [2])
    """

    def __init__(self, matrices: list[IntegerMatrix]) -> None:
        self.rows = np.array([m.rows for m in matrices], dtype=object)  # (Q, d, c)
        if self.rows.ndim != 3:
            self.rows = self.rows.reshape(len(matrices), len(matrices[0].rows), len(matrices[0].rows[0]))
        self.denominator = np.array([m.denominator for m in matrices] + [None], dtype=object)[:-1]
        self.bits = np.array([max(abs(v) for row in m.rows for v in row).bit_length() for m in matrices])
        self._residues: dict[int, np.ndarray] = {}
        self._floats: np.ndarray | None = None

    def residues(self, p: int) -> np.ndarray:
        """The matrices modulo the prime `p`, shape (Q, d, c), int64."""
        if p not in self._residues:
            self._residues[p] = (self.rows % p).astype(np.int64)
        return self._residues[p]

    @property
    def floats(self) -> np.ndarray:
        """The matrices ``C = rows / denominator`` as correctly rounded floats, shape (Q, d, c)."""
        if self._floats is None:
            self._floats = (self.rows / self.denominator[:, None, None]).astype(float)
        return self._floats


def integer_vertices(table: MatrixTable, which: np.ndarray, K: np.ndarray, T: np.ndarray) -> BatchVertices:
    """`exact.integer_vertex(matrix of point which[n], K[n], T[n])` for every n at once (the same numbers).

    Parameters
    ----------
    table : MatrixTable
        The points' matrices.
    which : numpy.ndarray
        (N,) the point of each system.
    K, T : numpy.ndarray
        (N, k) the support and tight set of each system.

    Returns
    -------
    BatchVertices
        One row per system.

    Examples
    --------
    >>> from fractions import Fraction
    >>> from negosim.solve.exact import integer_matrix, integer_vertex
    >>> C = integer_matrix([[Fraction(2), Fraction(1)], [Fraction(1), Fraction(2)]])
    >>> got = integer_vertices(MatrixTable([C]), np.array([0]), np.array([[0, 1]]), np.array([[0, 1]]))
    >>> bool(got.found[0]), [v / got.total[0] for v in got.num[0]], np.flatnonzero(got.labels[0]).tolist()
    (True, [0.5, 0.5], [2, 3])
    >>> sorted(integer_vertex(C, (0, 1), (0, 1))[2])
    [2, 3]
    """
    N, k = K.shape
    Q, d, c = table.rows.shape
    out = BatchVertices.none(N, k, d + c)
    if not N:
        return out
    live = np.flatnonzero(~certainly_no_vertex(table, which, K, T))
    live = live[~proven_singular(table, which[live], K[live], T[live])]
    if len(live):
        f, y, tot, lab = _by_elimination(table, which[live], K[live], T[live])
        out.found[live], out.num[live], out.total[live], out.labels[live] = f, y, tot, lab
    return out


#: Batches at most this large are decided by `exact.integer_vertex` one system at a time (`scalar_vertices`):
#: for a handful of systems the fixed cost of the array stages is far above their Python loop.
SMALL_BATCH = 16


def scalar_vertices(matrices: list[IntegerMatrix], which: np.ndarray, K: np.ndarray, T: np.ndarray) -> BatchVertices:
    """`integer_vertices` by calling `exact.integer_vertex` on each system (no `MatrixTable` needed).

    The same `BatchVertices` for the systems that have a vertex (the same integers: one elimination,
    the same pivots); rows without one are zero.

    Parameters
    ----------
    matrices : list of IntegerMatrix
        One per point, all of the same shape.
    which : numpy.ndarray
        (N,) the point of each system.
    K, T : numpy.ndarray
        (N, k) the support and tight set of each system.

    Returns
    -------
    BatchVertices
        One row per system.

    Examples
    --------
    >>> from fractions import Fraction
    >>> from negosim.solve.exact import integer_matrix
    >>> C = integer_matrix([[Fraction(2), Fraction(1)], [Fraction(1), Fraction(2)]])
    >>> got = scalar_vertices([C], np.array([0]), np.array([[0, 1]]), np.array([[0, 1]]))
    >>> bool(got.found[0]), got.num[0].tolist(), int(got.total[0]), np.flatnonzero(got.labels[0]).tolist()
    (True, [1, 1], 2, [2, 3])
    """
    from .exact import integer_vertex  # exact imports this module lazily; keep the two free of a cycle

    N, k = K.shape
    out = BatchVertices.none(N, k, len(matrices[0].rows) + len(matrices[0].rows[0]))
    for n, (q, Kn, Tn) in enumerate(zip(which.tolist(), K.tolist(), T.tolist())):
        got = integer_vertex(matrices[q], Kn, Tn)
        if got is None:
            continue
        z, tot, lab = got
        out.found[n] = True
        out.num[n] = [z[i] for i in Kn]
        out.total[n] = tot
        out.labels[n, list(lab)] = True
    return out


#: Permutations of up to 4 elements with their signs, for Leibniz's formula.
_PERMUTATIONS = {k: [(perm, 1 - 2 * (sum(perm[i] > perm[j] for i in range(k) for j in range(i + 1, k)) % 2))
                     for perm in itertools.permutations(range(k))] for k in range(1, 5)}
_UNIT = 2.0 ** -53


def certainly_mixed(table: MatrixTable, which: np.ndarray, K: np.ndarray, T: np.ndarray) -> np.ndarray:
    """Whether two Cramer numerators of each system certainly differ in sign (then it has no vertex) (N,) bool.

    The system ``M z = D 1`` with ``M[t, i] = C[K_i, T_t]`` has ``z_i = det(M_i) / det(M)``, M_i with
    column i replaced by the right-hand side. Each ``det(M_i / D)`` is summed over permutations in
    floating point from the correctly rounded entries ``C / D`` (all at least 1); its error is at most
    ``(2k + k! + 2) u`` times the sum of the terms' sizes (u the unit roundoff; counted twice over).
    Systems larger than 4 x 4 are not screened (False).

    Parameters
    ----------
    table : MatrixTable
        The points' matrices.
    which : numpy.ndarray
        (N,) the point of each system.
    K, T : numpy.ndarray
        (N, k) the rows and columns of each system.

    Returns
    -------
    numpy.ndarray
        (N,) bool.

    Examples
    --------
    The solution of ``[[1, 2], [2, 3]] z = 1`` is (-1, 1), that of ``[[2, 1], [1, 2]] z = 1`` (1/3, 1/3):

    >>> from fractions import Fraction
    >>> from negosim.solve.exact import integer_matrix
    >>> mixed = integer_matrix([[Fraction(1), Fraction(2)], [Fraction(2), Fraction(3)]])
    >>> C = integer_matrix([[Fraction(2), Fraction(1)], [Fraction(1), Fraction(2)]])
    >>> certainly_mixed(MatrixTable([mixed, C]), np.array([0, 1]), np.array([[0, 1]] * 2), np.array([[0, 1]] * 2))
    array([ True, False])
    """
    N, k = K.shape
    out = np.zeros(N, dtype=bool)
    if k < 2 or k > 4 or not N:
        return out
    M = table.floats[which[:, None, None], K[:, None, :], T[:, :, None]]  # (N, k, k): rows t, columns i
    perms = _PERMUTATIONS[k]
    slack = 2 * (2 * k + len(perms) + 2) * _UNIT
    positive = np.zeros(N, dtype=bool)
    negative = np.zeros(N, dtype=bool)
    with np.errstate(over="ignore", invalid="ignore"):  # an overflowing sum is NaN: compares False, not screened
        positive, negative = _signs(M, perms, slack, positive, negative)
    return positive & negative


def _signs(M: np.ndarray, perms, slack: float, positive: np.ndarray, negative: np.ndarray):
    """Which systems have a Cramer numerator certainly positive, and which one certainly negative.

    Numerator i is Leibniz's sum over `perms` for M with column i replaced by ones. Each term is the product
    of its factors in row order; a factor 1.0 changes no product, so it is left out, and products that
    start alike are formed once (every number is the one the row-by-row product gives).
    """
    N, k = M.shape[0], M.shape[1]
    cols = [[np.ascontiguousarray(M[:, t, j]) for j in range(k)] for t in range(k)]
    for i in range(k):
        value = np.zeros(N)
        size = np.zeros(N)
        prefix: dict[tuple, np.ndarray] = {}
        for perm, sign in perms:
            factors = tuple((t, perm[t]) for t in range(k) if perm[t] != i)
            term = cols[factors[0][0]][factors[0][1]] if factors else np.ones(N)
            for depth in range(2, len(factors) + 1):
                key = factors[:depth]
                got = prefix.get(key)
                if got is None:
                    t, j = factors[depth - 1]
                    got = prefix[key] = term * cols[t][j]
                term = got
            if sign > 0:
                value += term
            else:
                value -= term
            size += term  # every entry is positive
        bound = slack * size
        positive |= value > bound
        negative |= value < -bound
    return positive, negative


#: Systems screened together by `certainly_no_vertex` (bounds its float work arrays).
_SCREEN_BLOCK = 8192


def certainly_no_vertex(table: MatrixTable, which: np.ndarray, K: np.ndarray, T: np.ndarray) -> np.ndarray:
    """Whether each system certainly has no vertex, by Cramer's rule in floating point (N,) bool.

    A stronger screen than `certainly_mixed`, with the same kind of proof. Write ``M = C[K, T]^T`` of
    the rationals ``C = rows / D`` (what the integer system ``rows[K, T]^T z = D 1`` scales to),
    ``v_0 = det(M)`` and ``v_i = det(M_i)`` (column i replaced by ones), so ``z_i = v_i / v_0``.
    Each is summed over permutations from the correctly rounded entries; with ``s_i`` the sum of its
    terms' sizes (all terms are positive), ``|computed v_i - v_i| <= e_i = slack * s_i``,
    ``slack = 2 (2k + k! + 2) u`` (as in `certainly_mixed`). A system is dropped when

    * two numerators certainly differ in sign (`certainly_mixed`), or the determinant's sign is
      certain and some numerator certainly has the other sign: then some ``z_i < 0``, and
      `exact.integer_vertex` rejects a negative coordinate (a singular system it rejects anyway);
    * the determinant's sign is certain and, for some column j of C, ``W_j = sum_i C[K_i, j] v_i - v_0``
      certainly has the same sign: then ``C[K, j]^T z = 1 + W_j / v_0 > 1``, a violated constraint,
      which `exact.integer_vertex` rejects.

    The error of the computed ``W_j`` is at most ``sum_i c_i e_i + e_0`` (the v's), plus ``2 u`` relative
    for the rounded ``c_i = C[K_i, j]``, plus ``gamma_(2k+1)`` for the k products and k sums, all relative
    to ``S_j = sum_i c_i s_i + s_0``; so below ``(slack + (2k + 4) u) S_j`` with room to spare, and the
    bound used, ``2 (slack + (2k + 4) u) S_j``, also covers the rounding of ``S_j`` itself. Overflow gives
    inf or NaN, whose comparisons never drop a system. Systems larger than 4 x 4 are not screened.

    Parameters
    ----------
    table : MatrixTable
        The points' matrices.
    which : numpy.ndarray
        (N,) the point of each system.
    K, T : numpy.ndarray
        (N, k) the rows and columns of each system.

    Returns
    -------
    numpy.ndarray
        (N,) bool: True only where `exact.integer_vertex` returns None.

    Examples
    --------
    ``[[2, 1], [1, 2]] z = 1`` gives z = (1/3, 1/3), inside the polytope unless a third column with
    entries summing past 3 cuts it off; ``[[1, 2], [2, 3]] z = 1`` gives (-1, 1):

    >>> from fractions import Fraction as F
    >>> from negosim.solve.exact import integer_matrix
    >>> inside = integer_matrix([[F(2), F(1), F(1)], [F(1), F(2), F(1)]])
    >>> cut = integer_matrix([[F(2), F(1), F(2)], [F(1), F(2), F(2)]])
    >>> mixed = integer_matrix([[F(1), F(2), F(1)], [F(2), F(3), F(1)]])
    >>> K = T = np.array([[0, 1]] * 3)
    >>> certainly_no_vertex(MatrixTable([inside, cut, mixed]), np.array([0, 1, 2]), K, T)
    array([False,  True,  True])
    """
    N, k = K.shape
    if k > 4 or not N:
        return np.zeros(N, dtype=bool)
    out = certainly_mixed(table, which, K, T)  # the cheaper test first: most systems of a polytope fail it
    rest = np.flatnonzero(~out)
    for lo in range(0, len(rest), _SCREEN_BLOCK):
        r = rest[lo:lo + _SCREEN_BLOCK]
        out[r] = _no_vertex_block(table, which[r], K[r], T[r])
    return out


def _no_vertex_block(table: MatrixTable, which: np.ndarray, K: np.ndarray, T: np.ndarray) -> np.ndarray:
    N, k = K.shape
    c = table.rows.shape[2]
    perms = _PERMUTATIONS[k]
    slack = 2 * (2 * k + len(perms) + 2) * _UNIT
    slack_w = 2 * (slack + (2 * k + 4) * _UNIT)
    CK = table.floats[which[:, None, None], K[:, :, None], np.arange(c)[None, None, :]]  # (N, k, c)
    M = CK[np.arange(N)[:, None, None], np.arange(k)[None, None, :], T[:, :, None]]  # (N, k, k): rows t, cols i
    with np.errstate(over="ignore", invalid="ignore"):  # inf / NaN compare False: never dropped
        v0, s0 = _leibniz(M, perms)
        det_pos, det_neg = v0 > slack * s0, v0 < -slack * s0
        num_pos = np.zeros(N, dtype=bool)
        num_neg = np.zeros(N, dtype=bool)
        W = -v0[:, None] * np.ones((1, c))
        S = s0[:, None] * np.ones((1, c))
        for i in range(k):
            Mi = M.copy()
            Mi[:, :, i] = 1.0
            vi, si = _leibniz(Mi, perms)
            num_pos |= vi > slack * si
            num_neg |= vi < -slack * si
            W = W + CK[:, i, :] * vi[:, None]
            S = S + CK[:, i, :] * si[:, None]
        bound = slack_w * S
        violated = (det_pos[:, None] & (W > bound)) | (det_neg[:, None] & (W < -bound))
    negative = (num_pos & num_neg) | (det_pos & num_neg) | (det_neg & num_pos)
    return negative | violated.any(axis=1)


def _leibniz(M: np.ndarray, perms) -> tuple[np.ndarray, np.ndarray]:
    """Determinants of stacked positive k x k matrices by Leibniz's formula, and the sums of their terms."""
    N, k = M.shape[0], M.shape[1]
    value = np.zeros(N)
    size = np.zeros(N)
    for perm, sign in perms:
        term = M[:, 0, perm[0]]
        for t in range(1, k):
            term = term * M[:, t, perm[t]]
        value += sign * term
        size += term
    return value, size


def proven_singular(table: MatrixTable, which: np.ndarray, K: np.ndarray, T: np.ndarray) -> np.ndarray:
    """Whether each system ``C[K, T]`` of point `which[n]` is singular, proven by residues (N,) bool.

    False means regular, or not proven singular with the primes available (the exact elimination decides).

    Parameters
    ----------
    table : MatrixTable
        The points' matrices.
    which : numpy.ndarray
        (N,) the point of each system.
    K, T : numpy.ndarray
        (N, k) the rows and columns of each system.

    Returns
    -------
    numpy.ndarray
        (N,) bool.

    Examples
    --------
    >>> from fractions import Fraction
    >>> from negosim.solve.exact import integer_matrix
    >>> C = integer_matrix([[Fraction(2), Fraction(1)], [Fraction(1), Fraction(2)]])
    >>> ones = integer_matrix([[Fraction(1), Fraction(1)], [Fraction(1), Fraction(1)]])
    >>> proven_singular(MatrixTable([C, ones]), np.array([0, 1]), np.array([[0, 1]] * 2), np.array([[0, 1]] * 2))
    array([False,  True])
    """
    N, k = K.shape
    if not N:
        return np.zeros(0, dtype=bool)
    need = np.ceil((table.bits[which] * k + k * log2(k) / 2 + 2) / _PRIME_BITS).astype(int)
    zero_so_far = need <= len(PRIMES)  # systems whose bound is too large for the primes are left to Bareiss
    for i, p in enumerate(PRIMES):
        todo = np.flatnonzero(zero_so_far & (need > i))
        if not len(todo):
            break
        R = table.residues(p)
        M = R[which[todo][:, None, None], K[todo][:, None, :], T[todo][:, :, None]]
        zero_so_far[todo] = _det_is_zero_mod(M, p)
    return zero_so_far


def _det_is_zero_mod(M: np.ndarray, p: int) -> np.ndarray:
    """Whether each stacked k x k int64 matrix (entries in [0, p)) has determinant 0 modulo the prime p.

    Elimination without division: row r becomes ``pivot * row_r - a[r, col] * row_col``, which
    multiplies the determinant by the pivot, a unit modulo p, so its zeroness is kept.
    """
    a = M.copy()
    N, k, _ = a.shape
    idx = np.arange(N)
    zero = np.zeros(N, dtype=bool)
    for col in range(k):
        nz = a[:, col:, col] != 0
        has = nz.any(axis=1)
        zero |= ~has
        piv = col + nz.argmax(axis=1)
        top = a[idx, col].copy()
        a[idx, col] = a[idx, piv]
        a[idx, piv] = top
        pivot = a[:, col, col, None, None]
        below = a[:, col + 1:, col:]
        a[:, col + 1:, col:] = (below * pivot % p - a[:, col + 1:, col, None] * a[:, None, col, col:] % p) % p
    return zero


def _by_elimination(table: MatrixTable, w: np.ndarray, Kl: np.ndarray, Tl: np.ndarray):
    """`exact.integer_vertex` row by row in object arrays: ``(found, num on K, total, labels)``."""
    L, k = Kl.shape
    Q, d, c = table.rows.shape
    D = table.denominator[w]
    S = np.empty((L, k, k + 1), dtype=object)
    S[:, :, :k] = table.rows[w[:, None, None], Kl[:, None, :], Tl[:, :, None]]
    S[:, :, k] = D[:, None]
    det, y, singular = _bareiss(S)
    negative = (det < 0).astype(bool)
    det = np.where(negative, -det, det)
    y = np.where(negative[:, None], -y, y)
    ok = ~singular & (y >= 0).all(axis=1)
    z = np.zeros((L, d), dtype=object)
    z[np.arange(L)[:, None], Kl] = y
    lab = np.zeros((L, d + c), dtype=bool)
    lab[:, :d] = z == 0
    tot = y.sum(axis=1)
    ok &= (tot > 0).astype(bool)
    on = np.flatnonzero(ok)  # the constraints only where the support is feasible: the costly part
    CK = table.rows[w[on, None], Kl[on]]  # (L, k, c)
    s = (CK * y[on, :, None]).sum(axis=1)  # C^T z against 1, both scaled by D * det
    bound = (D[on] * det[on])[:, None]
    ok[on] = ~(s > bound).any(axis=1)
    lab[on, d:] = s == bound
    return ok, y, tot, lab


def _bareiss(S: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`exact._bareiss` over stacked augmented systems (N, k, k + 1) of Python integers.

    Returns ``(det, numerators (N, k), singular)``; rows marked singular hold meaningless numbers.
    """
    a = S.copy()
    N, k, _ = a.shape
    idx = np.arange(N)
    singular = np.zeros(N, dtype=bool)
    prev = np.ones(N, dtype=object)
    for col in range(k):
        nz = (a[:, col:, col] != 0).astype(bool)
        has = nz.any(axis=1)
        singular |= ~has
        piv = col + nz.argmax(axis=1)
        top = a[idx, col].copy()
        a[idx, col] = a[idx, piv]
        a[idx, piv] = top
        a[~has, col, col] = 1  # keeps the arithmetic going (and dividing by nonzero) on singular rows
        pivot = a[:, col, col]
        a[:, col + 1:, col + 1:] = ((a[:, col + 1:, col + 1:] * pivot[:, None, None]
                                     - a[:, col + 1:, col, None] * a[:, None, col, col + 1:]) // prev[:, None, None])
        a[:, col + 1:, col] = 0
        prev = pivot
    det = a[:, k - 1, k - 1]
    y = np.zeros((N, k), dtype=object)
    for i in reversed(range(k)):
        acc = a[:, i, k] * det
        for j in range(i + 1, k):
            acc = acc - a[:, i, j] * y[:, j]
        y[:, i] = acc // a[:, i, i]
    return det, y, singular


__all__ = ["BatchVertices", "MatrixTable", "certainly_mixed", "certainly_no_vertex", "integer_vertices",
           "proven_singular", "scalar_vertices"]
