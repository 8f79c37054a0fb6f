"""Alternating offers (Rubinstein), outside options (Binmore, Shaked and Sutton), delay by a side
gaining ground, and the war of attrition.

Sources: A. Rubinstein (1982), "Perfect Equilibrium in a Bargaining Model", Econometrica 50(1);
K. Binmore, A. Shaked and J. Sutton (1989), "An Outside Option Experiment", QJE 104(4);
J. Maynard Smith (1974) and Fudenberg and Tirole, Game Theory (1991), section 4.5.2, for attrition.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import NegosimInputError
from ._arrays import as_float, check_positive, check_range, scalar_or_array


def rubinstein(delta_a: Any, delta_b: Any) -> Any:
    """Return the first proposer's share in the subgame-perfect equilibrium of alternating offers.

    Two players alternate proposals over a stake of 1 with no deadline; player A proposes first and
    a round of delay discounts A's payoff by ``delta_a`` and B's by ``delta_b``. The unique
    subgame-perfect equilibrium gives A ``(1 - delta_b) / (1 - delta_a * delta_b)`` at once, which is
    ``1 / (1 + delta)`` with a common discount factor.

    Parameters
    ----------
    delta_a, delta_b : float or array
        Discount factors per round, in [0, 1]; not both 1 (then every split is an equilibrium).

    Returns
    -------
    float or array
        The first proposer's share.

    Examples
    --------
    >>> round(rubinstein(0.9, 0.8), 12)
    0.714285714286
    """
    da, db = as_float(delta_a, "delta_a"), as_float(delta_b, "delta_b")
    check_range(da, "delta_a", 0.0, 1.0)
    check_range(db, "delta_b", 0.0, 1.0)
    if (da * db >= 1.0).any():
        raise NegosimInputError("delta_a and delta_b are both 1: without impatience every split is an equilibrium")
    return scalar_or_array((1.0 - db) / (1.0 - da * db))


def outside_options(delta: Any, w_a: Any, w_b: Any) -> Any:
    """Return the proposer's share when the responder may take its outside option (war) at once.

    Alternating offers with a common discount factor ``delta``; a responder may reject and
    counter-propose, or opt out for its war payoff (``w_a`` for the first proposer A, ``w_b`` for B).
    In the subgame-perfect equilibrium A's share ``xA`` and B's share when B proposes ``yB`` solve
    ``xA = 1 - max(w_b, delta * yB)`` and ``yB = 1 - max(w_a, delta * xA)`` (a contraction). This
    function solves the system exactly, case by case (which outside options bind), rather than by
    iteration. An outside option moves the split only when it binds (the outside option principle).

    Parameters
    ----------
    delta : float or array
        The common discount factor per round, in [0, 1).
    w_a, w_b : float or array
        The proposer's and the responder's outside-option (war) payoffs, each at most 1.
        With ``w_a + w_b > 1`` no split gives both their outside option, and the returned share
        leaves the proposer below ``w_a``.

    Returns
    -------
    float or array
        The first proposer's share ``xA``.

    Examples
    --------
    >>> round(outside_options(0.9, 0.0, 0.0), 12)      # no binding option: 1 / (1 + delta)
    0.526315789474
    >>> round(outside_options(0.9, 0.0, 0.6), 12)      # B's war payoff binds: A keeps 1 - w_b
    0.4
    """
    d, wa, wb = as_float(delta, "delta"), as_float(w_a, "w_a"), as_float(w_b, "w_b")
    check_range(d, "delta", 0.0, 1.0, open_high=True)
    check_range(wa, "w_a", -np.inf, 1.0)
    check_range(wb, "w_b", -np.inf, 1.0)
    d, wa, wb = np.broadcast_arrays(d, wa, wb)
    cases = (
        (1.0 / (1.0 + d), 1.0 / (1.0 + d)),  # neither option binds
        (1.0 - wb, 1.0 - d * (1.0 - wb)),  # B's option binds when A proposes
        (1.0 - d * (1.0 - wa), 1.0 - wa),  # A's option binds when B proposes
        (1.0 - wb, 1.0 - wa),  # both bind
    )
    x = np.full(d.shape, np.nan)
    for xa, yb in reversed(cases):
        # A case is the solution when its shares reproduce themselves through the two equations.
        consistent = (np.isclose(xa, 1.0 - np.maximum(wb, d * yb), rtol=0, atol=1e-12)
                      & np.isclose(yb, 1.0 - np.maximum(wa, d * xa), rtol=0, atol=1e-12))
        x = np.where(consistent, xa, x)
    return scalar_or_array(x)


def delay_rounds(x0: Any, mu: Any, delta: Any, kR: Any, sigma_s: Any = 0.0) -> Any:
    """Return the number of rounds a side gaining ground delays a settlement.

    The side's settlement share is ``x0`` now and grows by ``mu`` per round (its leverage drifts up
    and the terms follow one-for-one, capped at 1); each round of delay costs it ``kR + sigma_s``
    (fighting plus any sanctions imposed) and is discounted by ``delta``. Settling now is better than
    waiting one more round iff ``x >= -k + delta * min(1, x + mu)`` with ``k = kR + sigma_s``, that is
    iff ``x >= (delta * mu - k) / (1 - delta)`` while ``x + mu <= 1``. The side settles at the first
    round where this holds (a threshold that, once reached, stays reached).

    Parameters
    ----------
    x0 : float or array
        The share the side would get by settling now, in [0, 1].
    mu : float or array
        Its gain in share per round of fighting; ``mu <= 0`` means it settles at once.
    delta : float or array
        Its discount factor per round, in [0, 1).
    kR : float or array
        Its cost of a round of fighting.
    sigma_s : float or array, optional
        The cost of sanctions per round while it delays (``sigma * s``; 0 without sanctions).

    Returns
    -------
    float or array
        Rounds of delay before the settlement (0: settle at once), as whole numbers.

    Examples
    --------
    >>> delay_rounds(0.3, 0.05, 0.95, 0.01)    # settles once its share reaches 0.75
    9.0
    """
    x0, mu, d = as_float(x0, "x0"), as_float(mu, "mu"), as_float(delta, "delta")
    k = as_float(kR, "kR") + as_float(sigma_s, "sigma_s")
    check_range(x0, "x0", 0.0, 1.0)
    check_range(d, "delta", 0.0, 1.0, open_high=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        threshold = (d * mu - k) / (1.0 - d)
        # Near the cap the next round's share is 1, so the condition becomes x >= delta - k.
        threshold = np.where(threshold <= 1.0 - mu, threshold, d - k)
        rounds = np.ceil((threshold - x0) / mu - 1e-9)
    rounds = np.where(mu > 0, np.maximum(rounds, 0.0), 0.0)
    return scalar_or_array(rounds + 0.0 * (x0 + d + k))


def attrition_hazard(value: Any, cost: Any) -> Any:
    """Return the quitting hazard of the symmetric mixed equilibrium of a war of attrition.

    Two sides fight for a prize worth ``value``; each instant costs each side ``cost``. In the
    symmetric equilibrium each quits at the constant rate ``cost / value`` (so the expected
    duration is ``value / (2 * cost)`` until the first side quits).

    Parameters
    ----------
    value, cost : float or array
        The prize and the flow cost of fighting, both positive.

    Returns
    -------
    float or array
        The hazard rate ``cost / value``.

    Examples
    --------
    >>> attrition_hazard(1.0, 0.25)
    0.25
    """
    v, c = as_float(value, "value"), as_float(cost, "cost")
    check_positive(v, "value")
    check_positive(c, "cost")
    return scalar_or_array(c / v)
