"""`exact_batch._signs` (the Cramer-numerator screen of `certainly_mixed`) forms each permutation's product
once per shared prefix and leaves out the factor 1.0 of the replaced column: every value must be the one
the row-by-row product over the matrix with that column set to ones gives. Compared bit for bit with that
plain form (kept here) on random matrices, and the screen's verdicts with rational arithmetic.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from negosim.solve import exact_batch
from negosim.solve.exact import integer_matrix


def _plain_signs(M, perms, slack, positive, negative):
    """The screen as written before: column i set to ones, each product formed row by row."""
    N, k = M.shape[0], M.shape[1]
    for i in range(k):
        Mi = M.copy()
        Mi[:, :, i] = 1.0
        value = np.zeros(N)
        size = np.zeros(N)
        for perm, sign in perms:
            term = Mi[:, 0, perm[0]]
            for t in range(1, k):
                term = term * Mi[:, t, perm[t]]
            value += sign * term
            size += term
        bound = slack * size
        positive |= value > bound
        negative |= value < -bound
    return positive, negative


@settings(max_examples=60, deadline=None)
@given(k=st.integers(2, 4), N=st.integers(1, 40), scale=st.sampled_from([1.0, 1e-3, 1e150, 1e300]),
       seed=st.integers(0, 2**32 - 1))
def test_the_same_verdicts_and_numbers_as_the_row_by_row_products(k, N, scale, seed):
    rng = np.random.default_rng(seed)
    M = rng.integers(1, 4, size=(N, k, k)).astype(float) * rng.choice([1.0, scale], size=(N, k, k))
    perms = exact_batch._PERMUTATIONS[k]
    slack = 2 * (2 * k + len(perms) + 2) * exact_batch._UNIT
    with np.errstate(over="ignore", invalid="ignore"):
        got = exact_batch._signs(M, perms, slack, np.zeros(N, dtype=bool), np.zeros(N, dtype=bool))
        want = _plain_signs(M, perms, slack, np.zeros(N, dtype=bool), np.zeros(N, dtype=bool))
    assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])


def test_a_system_with_a_negative_solution_is_screened_and_a_positive_one_is_not():
    # [[1, 2], [2, 3]] z = 1 has z = (-1, 1): numerators of both signs; [[2, 1], [1, 2]] z = 1: (1/3, 1/3)
    mixed = integer_matrix([[Fraction(1), Fraction(2)], [Fraction(2), Fraction(3)]])
    positive = integer_matrix([[Fraction(2), Fraction(1)], [Fraction(1), Fraction(2)]])
    got = exact_batch.certainly_mixed(exact_batch.MatrixTable([mixed, positive]), np.array([0, 1]),
                                      np.array([[0, 1]] * 2), np.array([[0, 1]] * 2))
    assert got.tolist() == [True, False]
