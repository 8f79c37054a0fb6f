"""Tolerances scaled to the payoffs: what counts as a tie and as a profitable deviation."""

from __future__ import annotations

import numpy as np

#: Relative tolerance: two payoffs within `RTOL * (payoff range)` of each other are tied, and an
#: equilibrium may leave a player at most that much below its best deviation.
RTOL = 1e-9


def scaled_tol(payoff_range, rtol: float = RTOL) -> np.ndarray:
    """Absolute tolerance per point: `rtol` times the payoff range (never below `rtol * 1e-12`)."""
    return rtol * np.maximum(np.asarray(payoff_range, dtype=float), 1e-12)
