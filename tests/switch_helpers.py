"""Running an exact enumeration with a speed-up switched on and off, each from empty caches, so that a test
can compare the two answers bit for bit and read the speed-up's work counter."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from negosim.solve import confirm


def forget_exact_caches() -> None:
    """Empty the exact enumeration's caches, so each path computes its own answers."""
    confirm._exact_game_of.cache_clear()
    confirm._POLYTOPES.clear()


def with_and_without(solve: Callable, pay: np.ndarray, module, switch: str, counter: list, monkeypatch):
    """``solve(pay, 1e-9)`` with ``module.<switch>`` as it is and with it False; return both answers and what
    `counter` (a one-item list the speed-up adds to) counted during the first."""
    forget_exact_caches()
    counter[0] = 0
    fast = solve(pay, 1e-9)
    counted = counter[0]
    forget_exact_caches()
    with monkeypatch.context() as m:
        m.setattr(module, switch, False)
        plain = solve(pay, 1e-9)
    forget_exact_caches()
    return fast, plain, counted
