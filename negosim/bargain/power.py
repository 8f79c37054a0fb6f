"""Power and war: the commitment problem under shifting power, contest success functions and
audience costs.

Sources: R. Powell (2006), "War as a Commitment Problem", International Organization 60(1);
G. Tullock (1980) and S. Skaperdas (1996), "Contest Success Functions", Economic Theory 7(2);
J. D. Fearon (1994), "Domestic Political Audiences and the Escalation of International Disputes",
American Political Science Review 88(3).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._arrays import as_float, check_range, scalar_or_array


def powell_war(p1: Any, p2: Any, delta: Any, c: Any, c_rising: Any = None) -> Any:
    """Return whether war is unavoidable for a declining power facing a rising one.

    Each period the two divide a stake of 1; the declining side D would prevail with probability
    ``p1`` now and ``p2 < p1`` from the next period on; war is absorbing and gives D ``p - c`` per
    period. The most the rising side B can promise D without war is everything this period and,
    afterwards, what B can credibly offer once it is stronger: D's war value ``p2`` plus B's war cost
    (at most the whole stake). So war is unavoidable iff
    ``p1 - c > (1 - delta) + delta * min(1, p2 + c_rising)`` (payoffs normalised by ``1 - delta``; in
    the interior this is Powell's ``p1 - c > (1 - delta) + delta * (p2 + c_rising)``): a large, rapid
    shift of power with a patient D makes any bargain incredible.

    Parameters
    ----------
    p1, p2 : float or array
        The declining side's probability of prevailing now and after the shift, in [0, 1].
    delta : float or array
        The common discount factor per period, in [0, 1).
    c : float or array
        The declining side's cost of war per period (and the rising side's, unless `c_rising`).
    c_rising : float or array, optional
        The rising side's cost of war per period, when it differs.

    Returns
    -------
    bool or array of bool
        True where no peaceful division exists.

    Examples
    --------
    >>> powell_war(0.9, 0.3, 0.9, 0.05)
    True
    >>> powell_war(0.6, 0.5, 0.9, 0.05)
    False
    """
    p1, p2, d, cD = as_float(p1, "p1"), as_float(p2, "p2"), as_float(delta, "delta"), as_float(c, "c")
    cB = cD if c_rising is None else as_float(c_rising, "c_rising")
    for value, name in ((p1, "p1"), (p2, "p2")):
        check_range(value, name, 0.0, 1.0)
    check_range(d, "delta", 0.0, 1.0, open_high=True)
    return scalar_or_array(np.asarray(p1 - cD > (1.0 - d) + d * np.minimum(1.0, p2 + cB)))


def contest_success(s1: Any, s2: Any, gamma: Any = 1.0) -> Any:
    """Return side 1's probability of prevailing under a Tullock contest success function.

    ``P = s1**gamma / (s1**gamma + s2**gamma)``: capabilities (troops, spending) mapped to leverage
    ``p``; ``gamma`` is the decisiveness of fighting (large: the stronger side almost surely wins).
    Two sides with no capability at all have even chances.

    Parameters
    ----------
    s1, s2 : float or array
        The two sides' capabilities, at least 0.
    gamma : float or array
        Decisiveness, positive.

    Returns
    -------
    float or array
        Side 1's probability of prevailing, in [0, 1].

    Examples
    --------
    >>> contest_success(3.0, 1.0, 1.0)
    0.75
    >>> round(contest_success(3.0, 1.0, 2.0), 12)
    0.9
    """
    a, b, g = as_float(s1, "s1"), as_float(s2, "s2"), as_float(gamma, "gamma")
    check_range(a, "s1", 0.0, np.inf)
    check_range(b, "s2", 0.0, np.inf)
    check_range(g, "gamma", 0.0, np.inf)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # Divide by the larger capability first so that large gammas do not overflow.
        top = np.maximum(np.maximum(a, b), np.finfo(float).tiny)
        ra, rb = (a / top) ** g, (b / top) ** g
        share = np.where(ra + rb > 0, ra / (ra + rb), 0.5)
    return scalar_or_array(share)


def audience_cost_fight_probability(low: Any, high: Any, a: Any) -> Any:
    """Return the probability that a leader who made a public threat fights rather than backs down.

    The leader's private value of war ``w`` is uniform on ``[low, high]``; backing down after a public
    threat costs it the audience cost ``a``. It fights iff ``w >= -a``, with probability
    ``(high + a) / (high - low)``, clipped to [0, 1]: audience costs make threats more credible.

    Parameters
    ----------
    low, high : float or array
        The range of the leader's war value, ``low < high``.
    a : float or array
        The audience cost of backing down, at least 0.

    Returns
    -------
    float or array
        The probability of fighting.

    Examples
    --------
    >>> audience_cost_fight_probability(-1.0, 0.5, 0.25)
    0.5
    """
    lo, hi, cost = as_float(low, "low"), as_float(high, "high"), as_float(a, "a")
    check_range(cost, "a", 0.0, np.inf)
    check_range(hi - lo, "high - low", 0.0, np.inf)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.clip((hi + cost) / (hi - lo), 0.0, 1.0)
    return scalar_or_array(np.where(hi > lo, share, (lo >= -cost).astype(float)))
