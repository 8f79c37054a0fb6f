"""`polytope.candidates` gathers its 4 x 4 and larger systems in one indexing step (`stacked`, whose entries
the closed-form and slack arithmetic read as views) instead of stacking k * k gathered entry arrays.

The numbers must not move: the systems `_solve_ones` receives are compared bit for bit with the entrywise
gather it replaced, on random degenerate games (small integer payoffs: many ties and singular systems), and
the subset enumeration on games with 4 and more actions a side is compared with pygambit's enummixed.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negosim.solve.polytope import Thresholds, _solve_ones, _subsets, candidates, rescaled
from negosim.solve.vertex import _extreme_equilibria
from tests.test_hull import gambit_rows, same_sets


def _entrywise(C: np.ndarray, k: int, paired: tuple[np.ndarray, np.ndarray] | None = None):
    """The systems as `candidates` gathered them before: one (P, nK, nT) array per entry M[t][i]."""
    Ks, Ts = paired if paired is not None else (_subsets(C.shape[1], k), _subsets(C.shape[2], k))
    t_index = (lambda t: Ts[:, t][:, None]) if paired is not None else (lambda t: Ts[:, t][None, :])
    return [[C[:, Ks[:, i][:, None], t_index(t)] for i in range(k)] for t in range(k)]


def _same_bits(a, b) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(m=st.integers(4, 5), n=st.integers(4, 7), points=st.integers(1, 3), top=st.integers(1, 3),
       paired=st.booleans(), seed=st.integers(0, 2**32 - 1))
def test_large_systems_bit_for_bit_as_the_entrywise_gather(m, n, points, top, paired, seed):
    rng = np.random.default_rng(seed)
    pay = rng.integers(0, top + 1, size=(points, 2, m, n)).astype(float)
    _, B, _, th = rescaled(pay, 1e-9)  # P's constraints: (points, m, n)
    for k in range(4, min(m, n) + 1):
        pairs = None
        if paired:
            count = int(rng.integers(1, 12))
            pairs = (np.sort(rng.permuted(np.tile(np.arange(m), (count, 1)), axis=1)[:, :k], axis=1),
                     np.sort(rng.permuted(np.tile(np.arange(n), (count, 1)), axis=1)[:, :k], axis=1))
        old = _solve_ones(_entrywise(B, k, pairs))
        got = candidates(B, k, th, pairs)
        assert all(_same_bits(x, y) for x, y in zip(old[0], got.z))
        assert _same_bits(old[2], got.cond)
        # and the full candidates: state, fallback and loose label counts from the same numbers
        rows = _entrywise(B, k, pairs)
        stacked = np.stack([np.stack(row, -1) for row in rows], -2)
        assert _same_bits(stacked, B[:, (pairs[0] if pairs else _subsets(m, k))[:, None, None, :],
                                     (pairs[1][:, None, :, None] if pairs else _subsets(n, k)[None, :, :, None])])


def test_a_singular_system_stays_undecided_or_invalid_as_before():
    # every column equal: every 4 x 4 system is singular, so none is a vertex and none is decided VALID
    C = np.full((1, 4, 5), 1.5)
    th = Thresholds(np.full((1, 1, 1), 1e-9), np.full((1, 1, 1), 1e-12), np.full((1, 1, 1), 1e-7))
    got = candidates(C, 4, th)
    assert got.state.shape == (1, 1, 5) and not (got.state == 1).any()
    assert np.isinf(got.cond).all()


@pytest.mark.oracle
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(m=st.integers(4, 5), n=st.integers(4, 5), seed=st.integers(0, 2**32 - 1))
def test_degenerate_games_with_four_actions_agree_with_gambits_enummixed(pygambit, m, n, seed):
    A, B = np.random.default_rng(seed).integers(0, 3, size=(2, m, n)).astype(float)
    r = _extreme_equilibria(np.stack([A, B])[None], 1e-9)
    assert same_sets(np.concatenate([r.x, r.y], axis=1), gambit_rows(pygambit, A, B, rational=True))
