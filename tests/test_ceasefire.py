"""The seed scenario reproduces the closed forms of DOMAIN.md §7 over many random parameter draws.

Each test builds the scenario once with arrays of random parameter values (one batch) and compares
the general solver's subgame-perfect equilibrium with the closed form at every point.
"""

from pathlib import Path

import numpy as np
import pytest

from negosim.scenario import load_scenario
from negosim.solve import solve
from negosim.solve.spe import subgame_perfect

ROOT = Path(__file__).resolve().parents[1]
N = 4000


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(ROOT / "scenarios" / "ceasefire_2025.yaml")


def interior_draws(rng, n=N):
    """Random parameters for which every share stays inside [0, 1] (where the closed forms hold)."""
    u = lambda lo, hi: rng.uniform(lo, hi, n)  # noqa: E731
    return {
        "p": u(0.3, 0.6), "mu": u(0, 0.15), "theta": u(0, 0.15), "Delta": u(0, 0.1),
        "cR": u(0.01, 0.15), "cU": u(0.01, 0.2), "beta": u(0, 1), "s": u(0, 0.2),
        "k": u(0, 0.1), "aS": u(0, 0.1), "g": u(0, 0.1), "aF": u(0, 0.1), "omega": u(0, 1),
        "B": u(0, 0.2), "h": u(0.001, 0.2), "eU": u(0, 0.2),
    }


def choices(scenario, params):
    """Subgame-perfect choice at every node, by node id, as arrays of action labels."""
    tree = scenario.build(params)
    sol = subgame_perfect(tree)
    out = {}
    for k, (_, infoset, nodes) in enumerate(tree.infosets()):
        actions = np.array(tree.nodes[nodes[0]].actions)
        out[infoset] = actions[np.argmax(sol.behavior[k], axis=1)]
    return tree, sol, out


def away_from(x, y, margin=1e-6):
    return np.abs(np.asarray(x) - np.asarray(y)) > margin


def test_sanctions_threat_is_carried_out_exactly_when_k_at_most_aS(scenario):
    params = interior_draws(np.random.default_rng(1))
    _, _, chosen = choices(scenario, params)
    credible = params["k"] <= params["aS"]
    ok = away_from(params["k"], params["aS"])
    for node in ("us_sanction", "us_sanction_final"):
        assert np.array_equal(chosen[node][ok] == "impose", credible[ok])


def test_aid_freeze_is_credible_exactly_when_omega_theta_at_most_g_plus_aF(scenario):
    params = interior_draws(np.random.default_rng(2))
    _, _, chosen = choices(scenario, params)
    lhs, rhs = params["omega"] * params["theta"], params["g"] + params["aF"]
    ok = away_from(lhs, rhs)
    assert np.array_equal(chosen["us_aid"][ok] == "freeze", (lhs <= rhs)[ok])
    # A US that cares more about Ukraine cannot credibly threaten to abandon it: both regimes occur.
    assert 0 < np.mean(chosen["us_aid"] == "freeze") < 1


def test_russia_accepts_a_plain_truce_exactly_when_momentum_and_rearmament_are_covered(scenario):
    params = interior_draws(np.random.default_rng(3))
    _, _, chosen = choices(scenario, params)
    credible = params["k"] <= params["aS"]
    lhs = params["mu"] + params["Delta"]
    rhs = params["beta"] * (params["cR"] + params["cU"]) + credible * params["s"]
    ok = away_from(lhs, rhs) & away_from(params["k"], params["aS"])
    accepts = chosen["ru_final"] == "accept"
    assert np.array_equal(accepts[ok], (lhs <= rhs)[ok])
    # At the first move Russia takes the plain truce exactly then too (the tie rule settles
    # accept against a counter-demand the US would refuse).
    assert np.array_equal((chosen["ru"] == "accept")[ok], (lhs <= rhs)[ok])
    assert 0.2 < np.mean(accepts) < 0.8


def test_leverage_moves_the_terms_one_for_one_and_never_the_outcome(scenario):
    params = interior_draws(np.random.default_rng(4))
    shifted = dict(params, p=params["p"] + 0.05)
    _, base, _ = choices(scenario, params)
    _, moved, _ = choices(scenario, shifted)
    assert np.array_equal(base.outcome_probs, moved.outcome_probs)
    ru = list(scenario.build().players).index("RU")
    # Russia's payoff moves one-for-one with p in every regime (truce terms and war odds alike).
    assert np.allclose(moved.payoffs[:, ru] - base.payoffs[:, ru], 0.05, atol=1e-12)
    truce = base.outcome_probs[:, 0] == 1.0  # truce_aid is the first outcome in the file
    assert truce.any()
    x = params["p"] - params["Delta"] - params["cR"] + params["beta"] * (params["cR"] + params["cU"])
    assert np.allclose(base.payoffs[truce, ru], x[truce], atol=1e-12)


def test_minimum_sanction_that_secures_a_plain_truce(scenario):
    rng = np.random.default_rng(5)
    params = interior_draws(rng)
    params["k"] = params["aS"] * rng.uniform(0, 0.9, N)  # sanctions credible
    smin = np.maximum(0, params["mu"] + params["Delta"] - params["beta"] * (params["cR"] + params["cU"]))
    needs = smin > 1e-5
    above = dict(params, s=smin + 1e-6)
    below = dict(params, s=np.where(needs, smin - 1e-6, smin))
    _, _, at_above = choices(scenario, above)
    _, _, at_below = choices(scenario, below)
    assert np.all(at_above["ru_final"] == "accept")
    assert np.all(at_below["ru_final"][needs] == "reject")
    assert needs.mean() > 0.3


def test_baseline_reproduces_the_worked_example(scenario):
    tree = scenario.build()
    sol = subgame_perfect(tree)
    (eq,) = sol.equilibria_at(0)
    assert eq.outcome == "truce_aid"
    assert eq.path == ["UA:accept", "RU:accept"]
    assert eq.payoffs == pytest.approx({"US": 0.3275, "UA": 0.355, "RU": 0.545}, abs=1e-12)
    # Russia is exactly indifferent between accepting and a counter-demand the US would refuse;
    # negosim reports that tie instead of hiding it.
    assert eq.tied
    assert any("accept" in t and "counter" in t for t in eq.ties)


def test_normal_form_has_nash_equilibria_resting_on_a_threat_the_spe_rules_out(scenario):
    # Sanctions not credible (k > aS), but large enough to deter if they were believed.
    params = dict(k=0.08, aS=0.02, s=0.10, mu=0.12)
    tree = scenario.build(params)
    spe, nash = solve(tree, ["spe", "nash"])
    (sp,) = spe.equilibria_at(0)
    assert sp.outcome != "truce_aid"
    truce_nash = [eq for eq in nash.equilibria_at(0) if eq.outcome == "truce_aid"]
    assert truce_nash, "a Nash equilibrium where Russia accepts under a non-credible sanctions threat"
    # In every such equilibrium the US 'imposes' after a rejection: a threat it would not carry out.
    for eq in truce_nash:
        assert any("impose" in action for action, prob in eq.strategies["US"].items() if prob == 1.0)
