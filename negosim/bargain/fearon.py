"""Fearon's bargaining range, take-it-or-leave-it offers and the risk-return trade-off.

Source: J. D. Fearon (1995), "Rationalist Explanations for War", International Organization 49(3),
379-414. War is a costly lottery: the challenger wins with probability ``p`` and pays ``cR``, the
defender pays ``cU``; the stake is 1 and ``x`` is the challenger's share of a settlement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import NegosimInputError
from ._arrays import as_float, check_positive, check_range, scalar_or_array
from .optimize import golden_maximum

#: Grid points used to bracket the defender's best concession before golden-section refinement.
CONCESSION_GRID = 2049


def bargaining_range(p: Any, cR: Any, cU: Any) -> tuple[Any, Any]:
    """Return the settlements both sides prefer to war, as ``(low, high)`` bounds on ``x``.

    The challenger prefers a deal ``x`` to war iff ``x >= p - cR``; the defender iff
    ``x <= p + cU``. The range has width ``cR + cU`` in the interior and is clipped to [0, 1].

    Parameters
    ----------
    p : float or array
        The challenger's probability of prevailing (battlefield leverage), in [0, 1].
    cR, cU : float or array
        The challenger's and the defender's costs of war, at least 0.

    Returns
    -------
    (low, high) : tuple of floats or arrays
        The least and the largest challenger share both prefer to war, broadcast together.

    Examples
    --------
    >>> low, high = bargaining_range(0.6, 0.1, 0.15)
    >>> round(low, 12), round(high, 12)
    (0.5, 0.75)
    """
    p, cR, cU = _war_terms(p, cR, cU)
    low = np.clip(p - cR, 0.0, 1.0)
    high = np.clip(p + cU, 0.0, 1.0)
    low, high = np.broadcast_arrays(low, high)
    return scalar_or_array(np.array(low)), scalar_or_array(np.array(high))


def take_it_or_leave_it(p: Any, cR: Any, cU: Any, proposer: str = "challenger") -> Any:
    """Return the challenger's share when one side makes a final offer the other accepts or fights.

    The proposer takes the whole surplus of peace: a challenger proposing gets ``min(1, p + cU)``,
    a defender proposing concedes ``max(0, p - cR)``. Terms move one-for-one with ``p``.

    Parameters
    ----------
    p, cR, cU : float or array
        Leverage and the two costs of war, as in `bargaining_range`.
    proposer : {"challenger", "defender"}
        Who makes the offer.

    Returns
    -------
    float or array
        The challenger's share ``x``.

    Examples
    --------
    >>> round(take_it_or_leave_it(0.6, 0.1, 0.15, proposer="defender"), 12)
    0.5
    """
    p, cR, cU = _war_terms(p, cR, cU)
    if proposer == "challenger":
        share = np.minimum(1.0, p + cU) + 0.0 * cR
    elif proposer == "defender":
        share = np.maximum(0.0, p - cR) + 0.0 * cU
    else:
        raise NegosimInputError(f"proposer must be 'challenger' or 'defender', not {proposer!r}")
    return scalar_or_array(share)


@dataclass(frozen=True)
class RiskReturn:
    """The defender's optimal offer to a challenger whose cost of war is private.

    Attributes
    ----------
    offer : float or array
        The challenger's share offered, ``x = p - z``.
    war_probability : float or array
        The probability that the offer is rejected (the challenger's cost is below the concession).
    expected_cost_after_rejection : float or array
        The challenger's expected cost of war given that it rejected: the posterior mean.
    concession : float or array
        ``z = p - x``, how far below the challenger's expected war value ``p`` the offer is pitched.

    Examples
    --------
    >>> from negosim.bargain import risk_return
    >>> r = risk_return(0.6, 0.1, cbar=0.5)
    >>> round(r.offer, 12), r.war_probability, r.concession
    (0.4, 0.4, 0.2)
    """

    offer: Any
    war_probability: Any
    expected_cost_after_rejection: Any
    concession: Any


def risk_return(p: Any, cU: Any, cbar: Any = None, cost: Any = None) -> RiskReturn:
    """Return the defender's optimal take-it-or-leave-it offer when the challenger's war cost is private.

    The defender offers ``x = p - z``; a challenger with cost ``cR`` accepts iff ``x >= p - cR``,
    that is iff ``cR >= z``. The defender maximises
    ``(1 - F(z)) * (1 - p + z) + F(z) * (1 - p - cU)``: a larger concession ``z`` buys more when
    accepted and risks war more often. With ``cR ~ U[0, cbar]`` the closed form is
    ``z* = (cbar - cU) / 2`` when ``cU < cbar`` (else 0), war with probability
    ``max(0, 1/2 - cU / (2 cbar))`` (independent of ``p`` in the interior), and after a rejection
    the posterior is ``U[0, z*]``. The offer is kept in [0, 1], which caps ``z`` at ``p``.

    Parameters
    ----------
    p : float or array
        The challenger's probability of prevailing, in [0, 1].
    cU : float or array
        The defender's cost of war, at least 0.
    cbar : float or array, optional
        The upper end of the uniform distribution of the challenger's cost (closed form).
    cost : frozen ``scipy.stats`` distribution, optional
        Any distribution of the challenger's cost instead of the uniform one; solved numerically
        (a grid of `CONCESSION_GRID` points brackets the best concession, then a golden-section
        search refines it; the defender's payoff is flat at its maximum, so the concession is
        located to about 1e-8, the square root of the float precision). Give exactly one of `cbar`
        and `cost`.

    Returns
    -------
    RiskReturn
        ``offer``, ``war_probability``, ``expected_cost_after_rejection`` and ``concession``.

    Source
    ------
    Fearon (1995), section "Private information and incentives to misrepresent".

    Examples
    --------
    >>> r = risk_return(0.6, 0.1, cbar=0.3)
    >>> round(r.offer, 12), round(r.war_probability, 12), round(r.expected_cost_after_rejection, 12)
    (0.5, 0.333333333333, 0.05)
    """
    if (cbar is None) == (cost is None):
        raise NegosimInputError("give exactly one of cbar (a uniform cost on [0, cbar]) and cost (a distribution)")
    p = as_float(p, "p")
    cU = as_float(cU, "cU")
    check_range(p, "p", 0.0, 1.0)
    check_range(cU, "cU", 0.0, np.inf)
    if cost is None:
        cbar = as_float(cbar, "cbar")
        check_positive(cbar, "cbar")
        z = np.clip((cbar - cU) / 2.0, 0.0, p)
        war = z / cbar
        posterior_mean = z / 2.0
    else:
        z, war, posterior_mean = _risk_return_numeric(p, cU, cost)
    offer = p - z
    offer, war, posterior_mean, z = np.broadcast_arrays(offer, war, posterior_mean, z)
    return RiskReturn(*(scalar_or_array(np.array(a)) for a in (offer, war, posterior_mean, z)))


def _risk_return_numeric(p: np.ndarray, cU: np.ndarray, cost: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The best concession for any cost distribution: bracket on a grid, refine by golden section."""
    if not (hasattr(cost, "cdf") and hasattr(cost, "ppf")):
        raise NegosimInputError("cost must be a frozen scipy.stats distribution (with cdf and ppf)")
    p, cU = np.broadcast_arrays(p, cU)
    low = max(float(cost.ppf(0.0)), 0.0) if np.isfinite(cost.ppf(0.0)) else 0.0

    def value(z: np.ndarray) -> np.ndarray:
        accept = 1.0 - cost.cdf(z)
        return accept * (1.0 - p[..., None] + z) + (1.0 - accept) * (1.0 - p[..., None] - cU[..., None])

    high = p  # the offer p - z stays in [0, 1]
    z = golden_maximum(value, np.full(p.shape, low), np.maximum(high, low), grid=CONCESSION_GRID)
    war = np.asarray(cost.cdf(z), dtype=np.float64)
    mean = np.vectorize(lambda b, w: cost.expect(lambda c: c, lb=low, ub=b, conditional=True) if w > 0 else b,
                        otypes=[np.float64])(z, war)
    return z, war, mean


def _war_terms(p: Any, cR: Any, cU: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    p, cR, cU = as_float(p, "p"), as_float(cR, "cR"), as_float(cU, "cU")
    check_range(p, "p", 0.0, 1.0)
    check_range(cR, "cR", 0.0, np.inf)
    check_range(cU, "cU", 0.0, np.inf)
    return p, cR, cU
