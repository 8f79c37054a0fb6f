"""Kinds of perfect Bayesian equilibria over a parameter, against the closed forms of DOMAIN.md section 5."""

from __future__ import annotations

import numpy as np
import pytest

from negosim.scenario import load_scenario
from negosim.sweep.kinds import kind_labels, locate_kind_boundaries

SANCTIONS = "scenarios/sanctions_uncertain.yaml"


@pytest.mark.parametrize("seed", range(4))
def test_the_bluffing_equilibrium_turns_into_pooling_where_pi_times_d_reaches_kT(seed, monkeypatch):
    # Uncertain sender: if pi*d >= kT the target always complies and both types threaten (pooling);
    # otherwise the irresolute sender bluffs with probability pi*(d - kT)/((1 - pi)*kT) < 1 (semi-separating).
    rng = np.random.default_rng(seed)
    d = float(rng.uniform(0.4, 0.9))
    kT = float(rng.uniform(0.15, 0.8 * d))
    scenario = load_scenario(SANCTIONS)
    edge = kT / d
    values = np.array([edge * 0.6, edge + 0.4 * (1 - edge)])
    kinds = kind_labels(scenario, {"pi": values, "d": d, "kT": kT})
    assert kinds.tolist() == ["semi-separating", "pooling"]
    labelled = []

    def counting(scenario, base, names, values):
        labelled.append(len(np.atleast_1d(values)))
        return real(scenario, base, names, values)

    import negosim.sweep.kinds as kinds_module

    real = kinds_module._kinds_at
    monkeypatch.setattr(kinds_module, "_kinds_at", counting)
    (found,) = locate_kind_boundaries(scenario, "pi", values[0], values[1], {"d": d, "kT": kT}, tol=1e-8)
    # a bluff with probability 1 - O(pi - edge) still mixes, however close to 1: the change is at the edge,
    # within the bisection's tolerance and the search's (a pooling profile passes within it just below)
    assert found == pytest.approx(edge, abs=1e-8)
    # plain bisection, one midpoint a solve (each point is a search of its own): the two ends, then a
    # point per halving of the bracket down to the tolerance
    steps = int(np.ceil(np.log2((values[1] - values[0]) / 1e-8)))
    assert sum(labelled) <= 2 + steps


def test_beer_quiche_is_pooling_at_every_prior_above_one_half():
    kinds = kind_labels(load_scenario("scenarios/beer_quiche.yaml"), {"pS": np.array([0.6, 0.75, 0.9])})
    assert set(kinds.tolist()) == {"pooling"}


def test_bracket_with_equal_kinds_is_refused():
    with pytest.raises(ValueError, match="both ends"):
        locate_kind_boundaries(load_scenario(SANCTIONS), "pi", 0.1, 0.2)
