"""The batched exact vertex systems give what `exact.integer_vertex` gives, system by system.

The screens in front of the elimination (Cramer signs in floating point with an error bound,
singularity modulo primes) may only drop systems the scalar code rejects; these tests compare
every system of small matrices, degenerate, nearly singular and huge-entried ones included.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest

from negosim.solve.confirm import exact_matrices
from negosim.solve.exact import integer_matrix, integer_vertex, positive_shift, simple_fraction
from negosim.solve.exact_batch import (
    MatrixTable,
    certainly_mixed,
    certainly_no_vertex,
    integer_vertices,
    proven_singular,
    scalar_vertices,
)


def _all_systems(d: int, c: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    Ks = np.array(list(itertools.combinations(range(d), k))).reshape(-1, k)
    Ts = np.array(list(itertools.combinations(range(c), k))).reshape(-1, k)
    a, b = np.divmod(np.arange(len(Ks) * len(Ts)), len(Ts))
    return Ks[a], Ts[b]


def _agree(C, table: MatrixTable, q: int = 0) -> int:
    """Compare every system of matrix q with the scalar code; return how many systems were compared."""
    d, c = len(C.rows), len(C.rows[0])
    count = 0
    for k in range(1, min(d, c) + 1):
        K, T = _all_systems(d, c, k)
        got = integer_vertices(table, np.full(len(K), q), K, T)
        for n in range(len(K)):
            want = integer_vertex(C, K[n].tolist(), T[n].tolist())
            assert bool(got.found[n]) == (want is not None), (K[n], T[n])
            if want is not None:
                z, total, labels = want
                assert [z[i] / total for i in K[n]] == [v / got.total[n] for v in got.num[n]]
                assert frozenset(np.flatnonzero(got.labels[n]).tolist()) == labels
            count += 1
    return count


@pytest.mark.parametrize("seed", range(40))
def test_batched_systems_match_the_scalar_code_on_degenerate_and_huge_matrices(seed):
    rng = np.random.default_rng(seed)
    d, c = (int(x) for x in rng.integers(1, 6, 2))
    top = 4 if seed % 2 else 10**17  # few values (many ties, singular systems) or huge integers
    M = [[Fraction(int(v), int(rng.choice([1, 3, 7]))) for v in row] for row in rng.integers(0, top, (d, c))]
    C = integer_matrix(positive_shift(M))
    assert _agree(C, MatrixTable([C])) > 0


def test_nearly_singular_systems_of_a_tree_normal_form_match_the_scalar_code():
    # sums of payoffs equal on paper differ in their last bit: exactly regular, nearly singular systems
    a, b = np.array([0.3795, 0.085, 0.23225]), np.array([0.441, 0.2905, 0.1405])
    A = 0.5 * a[:, None] + 0.5 * b[None, :]
    B = 0.5 * b[:, None] + 0.5 * a[None, :] + 0.1
    pay = np.stack([A, B])[None]
    for_x, for_y = exact_matrices(pay)
    for C in (for_x(0), for_y(0)):
        assert _agree(C, MatrixTable([C])) > 0


def test_screens_only_drop_systems_without_a_vertex():
    rng = np.random.default_rng(7)
    rows = [[simple_fraction(float(v)) for v in row] for row in rng.uniform(0, 1, (5, 5)).round(3)]
    C = integer_matrix(positive_shift(rows))
    table = MatrixTable([C])
    for k in (2, 3, 4):
        K, T = _all_systems(5, 5, k)
        which = np.zeros(len(K), dtype=int)
        dropped = certainly_mixed(table, which, K, T) | proven_singular(table, which, K, T)
        assert all(integer_vertex(C, K[n].tolist(), T[n].tolist()) is None for n in np.flatnonzero(dropped))


def test_singular_systems_are_proven_singular():
    C = integer_matrix([[Fraction(1), Fraction(2)], [Fraction(2), Fraction(4)]])  # rank 1
    table = MatrixTable([C])
    assert proven_singular(table, np.array([0]), np.array([[0, 1]]), np.array([[0, 1]])).tolist() == [True]


@pytest.mark.parametrize("seed", range(30))
def test_the_cramer_screen_drops_only_systems_the_scalar_code_rejects(seed):
    # tall and wide matrices (constraints outside the system matter), short decimals with ties, huge integers
    rng = np.random.default_rng(100 + seed)
    d, c = (int(x) for x in rng.integers(1, 7, 2))
    if seed % 3 == 0:
        M = [[simple_fraction(float(v)) for v in row] for row in rng.choice([0.05, 0.1, 0.15, 0.3], (d, c))]
    elif seed % 3 == 1:
        M = [[simple_fraction(float(v)) for v in row] for row in rng.uniform(-1, 1, (d, c)).round(2)]
    else:
        M = [[Fraction(int(v)) for v in row] for row in rng.integers(0, 10**17, (d, c))]
    C = integer_matrix(positive_shift(M))
    table = MatrixTable([C])
    dropped_any = 0
    for k in range(1, min(d, c) + 1):
        K, T = _all_systems(d, c, k)
        dropped = certainly_no_vertex(table, np.zeros(len(K), dtype=int), K, T)
        kept_vertex = [integer_vertex(C, K[n].tolist(), T[n].tolist()) is not None for n in range(len(K))]
        assert not any(kept_vertex[n] for n in np.flatnonzero(dropped))
        dropped_any += int(dropped.sum())
    if seed % 3 == 1 and min(d, c) >= 2 and max(d, c) >= 3:
        assert dropped_any > 0  # the screen does screen


def test_the_cramer_screen_rejects_a_cut_off_solution_and_a_negative_coordinate():
    F = Fraction
    inside = integer_matrix([[F(2), F(1), F(1)], [F(1), F(2), F(1)]])  # z = (1/3, 1/3), column 2 sums to 2/3
    cut = integer_matrix([[F(2), F(1), F(2)], [F(1), F(2), F(2)]])  # column 2: 4/3 > 1
    tight = integer_matrix([[F(2), F(1), F(3, 2)], [F(1), F(2), F(3, 2)]])  # column 2 exactly 1: a tie, kept
    mixed = integer_matrix([[F(1), F(2), F(1)], [F(2), F(3), F(1)]])  # z = (-1, 1)
    K = T = np.array([[0, 1]] * 4)
    got = certainly_no_vertex(MatrixTable([inside, cut, tight, mixed]), np.arange(4), K, T)
    assert got.tolist() == [False, True, False, True]
    assert integer_vertex(tight, [0, 1], [0, 1]) is not None


@pytest.mark.parametrize("seed", range(20))
def test_small_batches_one_system_at_a_time_give_the_same_integers(seed):
    # confirm._exact_vertices hands batches of at most SMALL_BATCH systems to scalar_vertices
    rng = np.random.default_rng(300 + seed)
    d, c = (int(x) for x in rng.integers(1, 6, 2))
    values = [0.05, 0.1, 0.1 + 0.2, 0.3] if seed % 2 else [0.0, 1.0, 2.0]
    mats = [integer_matrix(positive_shift([[simple_fraction(float(v)) for v in row]
                                           for row in rng.choice(values, (d, c))])) for _ in range(3)]
    table = MatrixTable(mats)
    for k in range(1, min(d, c) + 1):
        K, T = _all_systems(d, c, k)
        which = rng.integers(0, 3, len(K))
        want = integer_vertices(table, which, K, T)
        got = scalar_vertices(mats, which, K, T)
        assert got.found.tolist() == want.found.tolist()
        f = want.found
        assert got.num[f].tolist() == want.num[f].tolist() and got.total[f].tolist() == want.total[f].tolist()
        assert got.labels[f].tolist() == want.labels[f].tolist()
