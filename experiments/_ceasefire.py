"""DOMAIN section 7's closed forms for the ceasefire scenario (scenarios/ceasefire_2025.yaml) that more
than one experiment checks against. `v` is a dict of parameter values (``scenario.values()``); shares
are taken unclipped, so a caller checks that no share leaves [0, 1] where it uses them.
"""

from __future__ import annotations

import numpy as np


def truce_share(v: dict[str, float], p):
    """X_aid = p - Delta - cR + beta*(cR + cU): Russia's share of a truce with aid flowing."""
    return np.asarray(p, dtype=float) - v["Delta"] - v["cR"] + v["beta"] * (v["cR"] + v["cU"])


def closed_form_payoffs(v: dict[str, float], p, *, clip: bool = False) -> dict[str, np.ndarray]:
    """Each player's payoff in the plain truce at leverage `p`: RU X_aid, UA 1 - X_aid - eU,
    US B + omega*(1 - X_aid); with `clip`, X_aid clipped to [0, 1] as the scenario clips it."""
    x = np.clip(truce_share(v, p), 0.0, 1.0) if clip else truce_share(v, p)
    return {"US": v["B"] + v["omega"] * (1 - x), "UA": 1 - x - v["eU"], "RU": x}


def mu_thresholds(v: dict[str, float]) -> tuple[float, float]:
    """(plain, war): the mu at which Russia stops accepting the plain truce (beta*(cR + cU) + s - Delta)
    and at which it prefers war under sanctions to a frozen-aid truce (beta*(cR + cU) + s), with s
    counted only if sanctions are credible (k <= aS); p cancels."""
    edge = v["beta"] * (v["cR"] + v["cU"]) + (v["s"] if v["k"] <= v["aS"] else 0.0)
    return edge - v["Delta"], edge


def truce_assumptions(v: dict[str, float], mu: tuple[float, float]) -> list[str]:
    """What Russia's thresholds in mu rest on, over mu in [mu[0], mu[1]], others at `v`; [] if all hold:
    credible sanctions (k <= aS), a US that grants Russia's counter-demand when refusing means war
    (B - h + g + k + omega*(mu + cR - beta*(cR + cU)) >= 0) and a Ukraine that accepts the truce even
    without a credible freeze (eU <= mu + Delta + (1 - beta)*(cR + cU))."""
    C = v["cR"] + v["cU"]
    failed = []
    if v["k"] > v["aS"]:
        failed.append("sanctions are not credible (k > aS)")
    if min(v["B"] - v["h"] + v["g"] + v["k"] + v["omega"] * (m + v["cR"] - v["beta"] * C) for m in mu) < 0:
        failed.append("the US would refuse Russia's counter-demand somewhere on the map")
    if v["eU"] > mu[0] + v["Delta"] + (1 - v["beta"]) * C:
        failed.append("Ukraine would reject the truce somewhere on the map")
    return failed
