"""The truce as a repeated game: the discount factor grim trigger needs.

Sources: J. W. Friedman (1971), "A Non-cooperative Equilibrium for Supergames", Review of Economic
Studies 38(1); with imperfect detection, E. J. Green and R. H. Porter (1984), Econometrica 52(1).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import NegosimInputError
from ._arrays import as_float, check_range, scalar_or_array


def grim_trigger_threshold(tau: Any, R: Any, P: Any, q: Any = 1.0) -> Any:
    """Return the least discount factor at which grim trigger sustains a truce.

    Each 30-day window a side holds (payoff ``R``) or violates (``R + tau`` that window); a violation
    is detected with probability ``q``, and after a detected violation both fight forever (``P``
    per window). Holding is an equilibrium iff the gain ``tau`` now is no more than the discounted
    loss ``delta * q * (R - P) / (1 - delta)`` (undetected violations go unpunished and can be
    repeated, so the comparison is per window), that is iff
    ``delta >= tau / (tau + q * (R - P))``; with ``q = 1`` this is ``(T - R) / (T - P)``.
    An extension that both must consent to, with probability ``rho``, scales ``delta`` by ``rho``:
    compare ``delta * rho`` with the threshold.

    Parameters
    ----------
    tau : float or array
        The one-window gain from violating, at least 0.
    R, P : float or array
        The payoff per window of the truce and of war, ``R > P``.
    q : float or array, optional
        The probability that a violation is detected, in (0, 1].

    Returns
    -------
    float or array
        The threshold ``delta*``; a value above 1 means no discount factor sustains the truce.

    Examples
    --------
    >>> grim_trigger_threshold(1.0, 3.0, 1.0)          # T = 4, R = 3, P = 1: (T - R) / (T - P)
    0.3333333333333333
    >>> grim_trigger_threshold(1.0, 3.0, 1.0, q=0.5)    # worse monitoring needs more patience
    0.5
    """
    t, r, p, q = as_float(tau, "tau"), as_float(R, "R"), as_float(P, "P"), as_float(q, "q")
    check_range(t, "tau", 0.0, np.inf)
    check_range(q, "q", 0.0, 1.0)
    if (r <= p).any():
        raise NegosimInputError("R must exceed P: a truce worth no more than war needs no enforcement")
    if (q <= 0).any():
        raise NegosimInputError("q must be positive: an undetectable violation is never punished")
    return scalar_or_array(t / (t + q * (r - p)))
