"""The exact re-solve at coarse points (`confirm.exactly_at_coarse_points`) gives the uncached answer.

Games repeat across a sweep's points and across the many sweeps of one `negosim explain`; the
re-solve remembers each distinct game's exact equilibria. These tests compare it, point by point,
with `exact.bimatrix_equilibria` computed afresh (no cache), on short-decimal games with ties,
degenerate games and repeated games, called twice so the second answer comes from the cache.
"""

from __future__ import annotations

import numpy as np
import pytest

from negosim.solve import confirm, exact


def _fresh(pay: np.ndarray, q: int) -> exact.ExactEquilibria:
    return exact.bimatrix_equilibria(confirm._fractions(pay[q, 0]), confirm._fractions(pay[q, 1]))


def _resolve(pay: np.ndarray):
    P = pay.shape[0]
    empty = np.zeros(0, dtype=np.int64)
    m, n = pay.shape[2], pay.shape[3]
    degenerate = np.zeros(P, dtype=bool)
    got = confirm.exactly_at_coarse_points(pay, empty, np.zeros((0, m)), np.zeros((0, n)),
                                           np.zeros(0, dtype=bool), degenerate)
    return got, degenerate


@pytest.mark.parametrize("seed", range(12))
def test_the_remembered_exact_re_solve_matches_a_fresh_enumeration(seed):
    rng = np.random.default_rng(seed)
    m, n = (int(x) for x in rng.integers(2, 5, 2))
    # payoffs equal on paper that differ in their last bits (0.1 + 0.2 and 0.3): coarse points, with ties
    values = [0.1 + 0.2, 0.3, 0.05, 0.15] if seed % 2 else [0.6 - 0.1 - 0.2, 0.3, 0.0, 1.0]
    base = rng.choice(values, (3, 2, m, n))
    pay = base[rng.integers(0, 3, 7)]  # repeated games within the sweep
    pay[0, 0] = pay[0, 1]  # both players alike: often degenerate
    pay[:, 0, 0, 0], pay[:, 0, -1, -1] = 0.1 + 0.2, 0.3  # every point is coarse
    coarse = confirm.coarse_points(pay)
    assert coarse.all()
    for _ in range(2):  # the second call is answered from the cache
        (point, x, y, ex, too_fine), degenerate = _resolve(pay)
        assert not too_fine.any() and ex.all()
        for q in range(len(pay)):
            want = _fresh(pay, q)
            assert bool(degenerate[q]) == want.degenerate
            rows = np.flatnonzero(point == q)
            assert [(x[r].tolist(), y[r].tolist()) for r in rows] == [
                ([float(v) for v in xs], [float(v) for v in ys]) for xs, ys in want.profiles]


def test_a_degenerate_game_is_flagged_from_the_cache_too():
    near = 0.1 + 0.2  # 0.30000000000000004: the point is coarse
    pay = np.array([[[[near, 1.0], [0.3, 0.5]], [[1.0, 1.0], [0.5, 0.5]]]] * 2)  # column player indifferent
    assert confirm.coarse_points(pay).all()
    for _ in range(2):
        (point, x, y, ex, too_fine), degenerate = _resolve(pay)
        assert degenerate.all()
        assert len(point) >= 2 * 2  # a segment of equilibria: both its ends at each point


@pytest.mark.parametrize("seed", range(30))
def test_polytope_matrices_in_integers_are_the_shifted_fractions(seed):
    rng = np.random.default_rng(500 + seed)
    m, n = (int(x) for x in rng.integers(1, 6, 2))
    kind = seed % 3
    if kind == 0:
        M = rng.choice([0.5, 1.5, 2.5, -0.5, 0.1 + 0.2, 0.3], (m, n))  # shifts that cancel denominators
    elif kind == 1:
        M = rng.uniform(-3, 3, (m, n)).round(int(rng.integers(0, 5)))
    else:
        M = rng.normal(size=(m, n)) * 2.0 ** int(rng.integers(-60, 60))
    F = confirm._fractions(M)
    want = exact.integer_matrix(exact.positive_shift(F))
    got = confirm._shifted_integers(F)
    assert (got.rows, got.denominator) == (want.rows, want.denominator)
