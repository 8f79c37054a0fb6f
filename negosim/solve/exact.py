"""Rational arithmetic for small games: exact payoffs, exact vertices, exact equilibria.

Two uses. The floating-point solvers hand over the candidates they cannot decide (a value within
rounding error of zero, an ill-conditioned system, payoffs float cannot tell apart after
rescaling), and these functions decide them exactly, so no candidate is silently dropped. And
``exact=True`` solves a whole game this way, reporting fractions.

A float payoff is read as a fraction in one of two ways: `exact_fraction` is the float's own
binary value (what the floating-point game *is*: used to confirm float candidates), and
`simple_fraction` is the simplest fraction that rounds to it (``0.1`` -> 1/10,
``0.3333333333333333`` -> 1/3: what the user wrote; used by ``exact=True``).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

Matrix = list[list[Fraction]]

#: Largest denominator `simple_fraction` tries before falling back to the shortest decimal.
SIMPLE_DENOMINATOR = 10**6


def exact_fraction(x: float) -> Fraction:
    """The exact binary value of a float as a fraction.

    Examples
    --------
    >>> exact_fraction(0.5), exact_fraction(3.0)
    (Fraction(1, 2), Fraction(3, 1))
    """
    return Fraction(float(x))


def simple_fraction(x: float) -> Fraction:
    """The simplest fraction that rounds to the float `x`: denominator up to 10**6, else a simple fraction
    times a power of two, else its shortest decimal.

    The power-of-two step keeps a game and its rescaling by ``2**k`` the same game in rational arithmetic
    (``3 * 2**-900`` becomes ``3/4 * 2**-898``, in exact ratio with ``2**-900``; its shortest decimal
    would not be).

    Examples
    --------
    >>> simple_fraction(0.1), simple_fraction(1 / 3), simple_fraction(2.5e-7)
    (Fraction(1, 10), Fraction(1, 3), Fraction(1, 4000000))
    >>> simple_fraction(3 * 2.0**-900) == 3 * simple_fraction(2.0**-900)
    True
    """
    x = float(x)
    if x.is_integer():
        return Fraction(int(x))
    text = repr(x)
    if len(text) <= 10:  # a short decimal such as 0.1 or -3e-06 is already the simplest
        return Fraction(text)
    f = Fraction(x).limit_denominator(SIMPLE_DENOMINATOR)
    if float(f) == x:
        return f
    mantissa, exponent = math.frexp(x)
    g = Fraction(mantissa).limit_denominator(SIMPLE_DENOMINATOR)
    if float(g) == mantissa:
        return g * Fraction(2) ** exponent
    return Fraction(text)


def fraction_text(f: Fraction) -> str:
    """A fraction as text: ``"2/5"``, ``"-3"``, ``"0"``.

    Examples
    --------
    >>> fraction_text(Fraction(2, 5)), fraction_text(Fraction(-3))
    ('2/5', '-3')
    """
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


def solve_square(M: Matrix, rhs: Sequence[Fraction]) -> list[Fraction] | None:
    """The solution of ``M z = rhs`` by Gaussian elimination over the rationals, or None if M is singular.

    Examples
    --------
    >>> solve_square([[Fraction(2), Fraction(1)], [Fraction(1), Fraction(3)]], [Fraction(1), Fraction(1)])
    [Fraction(2, 5), Fraction(1, 5)]
    >>> solve_square([[Fraction(1), Fraction(2)], [Fraction(2), Fraction(4)]], [Fraction(1), Fraction(1)]) is None
    True
    """
    k = len(M)
    a = [list(row) + [rhs[r]] for r, row in enumerate(M)]
    for col in range(k):
        pivot = next((r for r in range(col, k) if a[r][col] != 0), None)
        if pivot is None:
            return None
        a[col], a[pivot] = a[pivot], a[col]
        inv = 1 / a[col][col]
        for r in range(k):
            if r != col and a[r][col] != 0:
                f = a[r][col] * inv
                a[r] = [x - f * y for x, y in zip(a[r], a[col])]
    return [a[r][k] / a[r][r] for r in range(k)]


@dataclass(frozen=True)
class Vertex:
    """A nonzero vertex of ``{z >= 0, C^T z <= 1}``: `z` normalised to sum 1 and its labels.

    Labels are ``i`` where ``z_i = 0`` and ``d + j`` where constraint ``j`` is tight (d = len(z)).
    """

    z: tuple[Fraction, ...]
    labels: frozenset[int]


def positive_shift(M: Matrix) -> Matrix:
    """``M - min(M) + 1``: all entries at least 1, the same best replies."""
    lo = min(min(row) for row in M)
    return [[x - lo + 1 for x in row] for row in M]


@dataclass(frozen=True)
class IntegerMatrix:
    """A positive rational matrix as integers over one common denominator: ``C = rows / denominator``."""

    rows: list[list[int]]
    denominator: int


def integer_matrix(C: Matrix) -> IntegerMatrix:
    """`C` over the least common denominator of its entries (integer arithmetic is far faster than fractions)."""
    from math import lcm

    D = lcm(*(x.denominator for row in C for x in row))
    return IntegerMatrix([[x.numerator * (D // x.denominator) for x in row] for row in C], D)


def _bareiss(M: list[list[int]]) -> tuple[int, list[int]] | None:
    """Fraction-free elimination of the augmented integer system ``[A | b]`` (k rows).

    Returns ``(det, numerators)`` with ``x_i = numerators[i] / det`` (Cramer), or None if A is singular.
    """
    k = len(M)
    a = [list(row) for row in M]
    sign, prev = 1, 1
    for col in range(k):
        pivot = next((r for r in range(col, k) if a[r][col] != 0), None)
        if pivot is None:
            return None
        if pivot != col:
            a[col], a[pivot] = a[pivot], a[col]
            sign = -sign
        for r in range(col + 1, k):
            for c in range(col + 1, k + 1):
                a[r][c] = (a[r][c] * a[col][col] - a[r][col] * a[col][c]) // prev
            a[r][col] = 0
        prev = a[col][col]
    det = a[k - 1][k - 1]
    # back substitution in integers: x_i * det = y_i
    y = [0] * k
    for i in reversed(range(k)):
        acc = a[i][k] * det
        for j in range(i + 1, k):
            acc -= a[i][j] * y[j]
        y[i] = acc // a[i][i]
    return sign * det * sign, y


def vertex_of(C: Matrix | IntegerMatrix, K: Sequence[int], T: Sequence[int]) -> Vertex | None:
    """The vertex solving ``C[K, T]^T z_K = 1`` with z zero outside K, if that system is regular and feasible.

    `C` (d x c, positive entries) is the polytope's matrix, as fractions or as an `IntegerMatrix`
    (faster: fraction-free elimination). None when the system is singular, a coordinate is
    negative or a constraint is violated.

    Examples
    --------
    >>> C = [[Fraction(2), Fraction(1)], [Fraction(1), Fraction(2)]]
    >>> v = vertex_of(C, (0, 1), (0, 1))
    >>> [str(x) for x in v.z], sorted(v.labels)
    (['1/2', '1/2'], [2, 3])
    >>> vertex_of(integer_matrix(C), (0, 1), (0, 1)) == v
    True
    """
    if isinstance(C, IntegerMatrix):
        return _integer_vertex(C, K, T)
    d, c = len(C), len(C[0])
    zK = solve_square([[C[i][t] for i in K] for t in T], [Fraction(1)] * len(K))
    if zK is None or any(v < 0 for v in zK):
        return None
    z = [Fraction(0)] * d
    for i, v in zip(K, zK):
        z[i] = v
    labels = {i for i in range(d) if z[i] == 0}
    for j in range(c):
        s = sum((C[i][j] * z[i] for i in K), Fraction(0))
        if s > 1:
            return None
        if s == 1:
            labels.add(d + j)
    total = sum(zK, Fraction(0))
    if total <= 0:
        return None
    return Vertex(tuple(v / total for v in z), frozenset(labels))


def _integer_vertex(C: IntegerMatrix, K: Sequence[int], T: Sequence[int]) -> Vertex | None:
    found = integer_vertex(C, K, T)
    if found is None:
        return None
    z, total, labels = found
    return Vertex(tuple(Fraction(v, total) for v in z), labels)


def integer_system_singular(C: IntegerMatrix, K: Sequence[int], T: Sequence[int]) -> bool:
    """Whether the square system ``C[K, T]^T z = 1`` is singular, decided exactly."""
    return _bareiss([[C.rows[i][t] for i in K] + [C.denominator] for t in T]) is None


def integer_vertex(C: IntegerMatrix, K: Sequence[int], T: Sequence[int]
                   ) -> tuple[list[int], int, frozenset[int]] | None:
    """`vertex_of` in integers: ``(numerators, total, labels)`` with ``z_i = numerators[i] / total``, or None."""
    rows, D = C.rows, C.denominator
    d, c = len(rows), len(rows[0])
    solved = _bareiss([[rows[i][t] for i in K] + [D] for t in T])
    if solved is None:
        return None
    det, num = solved
    if det < 0:
        det, num = -det, [-v for v in num]
    if any(v < 0 for v in num):
        return None
    z = [0] * d
    for i, v in zip(K, num):
        z[i] = v
    labels = {i for i in range(d) if z[i] == 0}
    for j in range(c):
        s = sum(rows[i][j] * z[i] for i in K)  # compare C^T z with 1, both scaled by D * det
        if s > D * det:
            return None
        if s == D * det:
            labels.add(d + j)
    total = sum(num)
    if total <= 0:
        return None
    return z, total, frozenset(labels)


def system_count(d: int, c: int) -> int:
    """Number of square systems (support K, tight set T) of a d x c polytope matrix."""
    from math import comb

    return sum(comb(d, k) * comb(c, k) for k in range(1, min(d, c) + 1))


#: Systems decided together by `vertices` (bounds the memory of the object arrays).
VERTEX_BLOCK = 4096
#: The coordinate 0 of every vertex (fractions are immutable: one object serves them all).
_ZERO = Fraction(0)


def vertices(C: Matrix) -> Iterator[Vertex]:
    """Every nonzero vertex of ``{z >= 0, C^T z <= 1}`` (C positive), each once.

    The systems ``(K, T)`` are taken in lexicographic order, a block at a time, and decided by
    `exact_batch.integer_vertices` (the numbers `integer_vertex` gives, far faster).
    """
    import numpy as np

    from .exact_batch import MatrixTable, integer_vertices  # exact_batch builds on this module

    d, c = len(C), len(C[0])
    table = MatrixTable([integer_matrix(C)])
    seen: set[frozenset[int]] = set()
    for k in range(1, min(d, c) + 1):
        Ks = np.array(list(itertools.combinations(range(d), k)), dtype=np.intp).reshape(-1, k)
        Ts = np.array(list(itertools.combinations(range(c), k)), dtype=np.intp).reshape(-1, k)
        n_systems = len(Ks) * len(Ts)
        for lo in range(0, n_systems, VERTEX_BLOCK):
            a, b = np.divmod(np.arange(lo, min(n_systems, lo + VERTEX_BLOCK)), len(Ts))  # K outer, T inner
            got = integer_vertices(table, np.zeros(len(a), dtype=np.intp), Ks[a], Ts[b])
            for n in np.flatnonzero(got.found).tolist():
                labels = frozenset(np.flatnonzero(got.labels[n]).tolist())
                if labels in seen:
                    continue
                seen.add(labels)
                z = [0] * d
                for i, v in zip(Ks[a[n]].tolist(), got.num[n]):
                    z[i] = v
                total = got.total[n]
                yield Vertex(tuple(Fraction(v, total) if v else _ZERO for v in z), labels)  # mostly zeros


@dataclass(frozen=True)
class ExactEquilibria:
    """All extreme equilibria of a bimatrix game in rationals, and whether the game is degenerate."""

    profiles: list[tuple[tuple[Fraction, ...], tuple[Fraction, ...]]]
    degenerate: bool


def bimatrix_equilibria(A: Matrix, B: Matrix, cache: dict | None = None) -> ExactEquilibria:
    """Every extreme Nash equilibrium of the bimatrix game (A, B) by exact vertex enumeration.

    The extreme equilibria are the completely labelled pairs of nonzero vertices of the
    best-response polytopes (von Stengel 2007, Algorithmic Game Theory ch. 3); a vertex with more
    labels than its dimension means the game is degenerate.

    `cache` (a dict the caller keeps) shares the vertex lists of polytopes that several games have.

    Examples
    --------
    >>> F = Fraction
    >>> eq = bimatrix_equilibria([[F(1), F(-1)], [F(-1), F(1)]], [[F(-1), F(1)], [F(1), F(-1)]])
    >>> [(list(map(str, x)), list(map(str, y))) for x, y in eq.profiles], eq.degenerate
    ([(['1/2', '1/2'], ['1/2', '1/2'])], False)
    """
    m, n = len(A), len(A[0])
    Ap, Bp = positive_shift(A), positive_shift(B)
    AT = [[Ap[i][j] for i in range(m)] for j in range(n)]
    P = _listed_vertices(Bp, cache)  # x: labels i (x_i = 0), m + j (column j best reply)
    Q = _listed_vertices(AT, cache)  # y: labels j (y_j = 0), n + i (row i best reply)
    degenerate = any(len(v.labels) > m for v in P) or any(len(v.labels) > n for v in Q)
    full = frozenset(range(m + n))
    profiles = []
    for vy in Q:
        ly = frozenset((m + j) if j < n else (j - n) for j in vy.labels)  # into P's numbering
        for vx in P:
            if vx.labels | ly == full:
                profiles.append((vx.z, vy.z))
    return ExactEquilibria(profiles, degenerate)


def _listed_vertices(C: Matrix, cache: dict | None) -> list[Vertex]:
    """`vertices(C)` as a list, looked up in (and added to) `cache` when one is given."""
    if cache is None:
        return list(vertices(C))
    key = tuple(map(tuple, C))
    if key not in cache:
        cache[key] = list(vertices(C))
    return cache[key]


def pure_equilibria(payoff: Callable[[int, tuple[int, ...]], Fraction], shape: tuple[int, ...]
                    ) -> list[tuple[int, ...]]:
    """Pure profiles (action indices) where no player has a strictly better action, in exact arithmetic."""
    out = []
    for profile in itertools.product(*(range(k) for k in shape)):
        ok = True
        for i, k in enumerate(shape):
            own = payoff(i, profile)
            if any(payoff(i, profile[:i] + (a,) + profile[i + 1:]) > own for a in range(k) if a != profile[i]):
                ok = False
                break
        if ok:
            out.append(profile)
    return out
