"""Lemke-Howson from every starting label (`negosim.solve.lemke_howson`) against nashpy and pygambit.

Every equilibrium it reports must be one of the game's equilibria (all of them known from vertex
enumeration, or at least verified for large games), every equilibrium nashpy's `lemke_howson`
reaches from some label must be among ours. `complete` is always False.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from negosim.game.normal import NormalFormGame
from negosim.solve.lemke_howson import lemke_howson
from negosim.solve.mixed import nash_equilibria


def rows(sol) -> np.ndarray:
    return np.concatenate(sol.strategies, axis=1)


def contains(rows_: np.ndarray, v: np.ndarray, tol: float = 1e-6) -> bool:
    return bool(len(rows_)) and float(np.abs(rows_ - v).max(axis=1).min()) <= tol


@pytest.mark.oracle
@pytest.mark.parametrize("k", [2, 3, 5])  # nashpy's pure-Python pivoting takes minutes beyond
def test_every_path_ends_at_an_equilibrium_and_nashpys_paths_are_covered(k):
    nashpy = pytest.importorskip("nashpy")
    rng = np.random.default_rng(100 + k)
    for _ in range(4):
        A, B = rng.standard_normal((2, k, k))
        game = NormalFormGame.from_bimatrix(A, B)
        sol = lemke_howson(game)
        assert not sol.complete.any() and len(sol.point) >= 1
        every = rows(nash_equilibria(game))
        assert all(contains(every, r) for r in rows(sol))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for label in range(2 * k):
                x, y = nashpy.Game(A, B).lemke_howson(initial_dropped_label=label)
                v = np.concatenate([x, y])
                if len(v) == 2 * k and np.all(np.isfinite(v)):
                    assert contains(rows(sol), v)
