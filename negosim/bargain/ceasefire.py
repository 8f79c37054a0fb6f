"""The seed case with Russia's war cost private: the US proposes terms at once (DOMAIN.md section 7).

A negosim model built on Fearon's risk-return trade-off (``negosim.bargain.risk_return``): the US
offers Russia the share ``x0`` of a truce; Russia, whose cost of war ``cR`` is uniform on [0, cbar]
and known only to itself, accepts iff ``x0 >= p + mu - cR - sigma * s``. The US gets
``B + omega * (1 - x0)`` from a truce and ``omega * (1 - p - mu) - g - sigma * k`` from war.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._arrays import as_float, check_positive, check_range, scalar_or_array


@dataclass(frozen=True)
class CeasefireOffer:
    """The US's optimal offer and what follows from it.

    Attributes
    ----------
    offer : float or array
        Russia's share of the truce the US proposes, ``x0*``.
    war_probability : float or array
        The probability that Russia rejects and fighting goes on.
    expected_cost_after_rejection : float or array
        Russia's expected war cost given that it rejected: after a rejection ``cR ~ U[0, cbar * Pr(war)]``.

    Examples
    --------
    >>> from negosim.bargain import ceasefire_private_cost
    >>> ceasefire_private_cost(0.6, 0.05, 0.5, 0.1, 0.06, 0.03, 0.5, 0.06, 1)
    CeasefireOffer(offer=0.56, war_probability=0.06, expected_cost_after_rejection=0.015)
    """

    offer: Any
    war_probability: Any
    expected_cost_after_rejection: Any


def ceasefire_private_cost(
    p: Any, mu: Any, cbar: Any, B: Any, g: Any, k: Any, omega: Any, s: Any, sigma: Any
) -> CeasefireOffer:
    """Return the US's optimal truce offer to a Russia whose cost of war is private.

    Closed form (interior): ``Pr(war) = clip(1/2 - (B + g + sigma*k) / (2*omega*cbar) - sigma*s / (2*cbar), 0, 1)``
    and ``x0* = p + mu - sigma*s - cbar * Pr(war)``: credible sanctions buy half their value as a lower
    risk of war and half as better terms for the US. The offer is kept in [0, 1].

    Parameters
    ----------
    p, mu : float or array
        Russia's leverage with aid flowing and the leverage it gains if fighting continues.
    cbar : float or array
        The upper end of the uniform distribution of Russia's war cost, positive.
    B, g, k : float or array
        The US's value of a truce, its cost of continuing aid, and the cost of sanctions to it.
    omega : float or array
        The US's weight on Ukraine's share, positive.
    s : float or array
        The sanctions' damage to Russia.
    sigma : float or array
        1 where the sanctions threat is credible (``k <= aS``), 0 where it is not.

    Returns
    -------
    CeasefireOffer
        ``offer``, ``war_probability`` and ``expected_cost_after_rejection``.

    Examples
    --------
    >>> r = ceasefire_private_cost(0.6, 0.05, 0.5, 0.1, 0.06, 0.03, 0.5, 0.06, 1)
    >>> round(r.war_probability, 12), round(r.offer, 12)
    (0.06, 0.56)
    """
    p, mu, cbar = as_float(p, "p"), as_float(mu, "mu"), as_float(cbar, "cbar")
    B, g, k = as_float(B, "B"), as_float(g, "g"), as_float(k, "k")
    omega, s, sigma = as_float(omega, "omega"), as_float(s, "s"), as_float(sigma, "sigma")
    check_positive(cbar, "cbar")
    check_positive(omega, "omega")
    check_range(sigma, "sigma", 0.0, 1.0)
    war_value = p + mu - sigma * s  # Russia's war payoff before its private cost
    z = cbar / 2.0 - (B + g + sigma * k) / (2.0 * omega) - sigma * s / 2.0
    # The concession z = war_value - x0 is a probability times cbar, and the offer stays in [0, 1].
    z = np.clip(z, np.maximum(0.0, war_value - 1.0), np.minimum(cbar, np.maximum(war_value, 0.0)))
    offer = war_value - z
    war = z / cbar
    offer, war, mean = np.broadcast_arrays(offer, war, z / 2.0)
    return CeasefireOffer(*(scalar_or_array(np.array(a)) for a in (offer, war, mean)))
