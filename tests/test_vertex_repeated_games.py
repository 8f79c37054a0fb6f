"""Repeated games in a batch are solved once (`vertex._solve_chunks`), with exactly the answer of solving each.

The reference is `vertex._solve_flat`, the chunk loop that solves every point; both kernels (batched
subsets and the per-game hull) are compared on batches with repeated, degenerate and coarse games.
"""

from __future__ import annotations

import numpy as np
import pytest

from negosim.game.normal import NormalFormGame
from negosim.solve import vertex
from negosim.solve.tolerance import RTOL
from negosim.solve.verify import flat_payoffs


def _same(a: vertex.ChunkResult, b: vertex.ChunkResult) -> None:
    for name in ("point", "x", "y", "exact_rows", "degenerate", "incomplete", "too_fine"):
        got, want = getattr(a, name), getattr(b, name)
        assert got.shape == want.shape and got.dtype == want.dtype, name
        assert np.array_equal(got, want), name  # bit for bit, rows in the same order
    assert np.array_equal(a.open_points(), b.open_points())


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("shape", [(2, 3), (3, 3), (3, 28)])  # (3, 28) uses the per-game hull
def test_repeated_games_get_the_answer_of_solving_every_point(seed, shape):
    rng = np.random.default_rng(seed)
    m, n = shape
    values = [0.1 + 0.2, 0.3, 0.0, 1.0, 0.5] if seed % 2 else [0, 1, 2, 3]  # ties, degenerate and coarse games
    base = rng.choice(values, (4, 2, m, n)).astype(float)
    base[1] = rng.uniform(-1, 1, (2, m, n))  # a generic game too
    pay = base[rng.integers(0, 4, 9)]
    pay[-1, 0, 0, 0] = -0.0  # a bit pattern of its own
    game = NormalFormGame(("Row", "Col"), (tuple(f"r{i}" for i in range(m)), tuple(f"c{j}" for j in range(n))), pay)
    assert np.array_equal(flat_payoffs(game), pay)
    kernel = vertex._kernel(game)
    assert vertex.uses_hull(m, n) == (n > 3)
    assert len(np.unique(pay.reshape(9, -1), axis=0)) < 9  # the batch does repeat games
    _same(vertex._solve_chunks(game, RTOL, kernel), vertex._solve_flat(pay, m, n, RTOL, kernel))


@pytest.mark.parametrize("seed", range(20))
def test_distinct_rows_groups_exactly_the_equal_rows(seed):
    rng = np.random.default_rng(seed)
    width = int(rng.integers(1, 9))
    base = rng.integers(-3, 3, (5, width)).astype(np.int64)
    base[0, 0] = np.float64(-0.0).view(np.int64)  # -0.0's bits differ from 0.0's: another game
    key = base[rng.integers(0, 5, int(rng.integers(1, 80)))]
    first, inverse = vertex._distinct_rows(key)
    assert np.array_equal(key[first][inverse], key)  # each row maps to an equal row
    assert len(first) == len(np.unique(key, axis=0))  # and equal rows share one
