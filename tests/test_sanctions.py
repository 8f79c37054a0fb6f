"""The sanctions threat game reproduces Lacy and Niou's complete-information results (DOMAIN.md §5).

The random-draw tests build the scenario once with arrays (one batch) and compare the general
solver's subgame-perfect equilibrium with the closed form at every point.
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
    return load_scenario(ROOT / "scenarios" / "sanctions_threat.yaml")


def draws(rng, n=N):
    return {
        "v": rng.uniform(0.01, 1, n), "kT": rng.uniform(0.01, 1, n), "b": rng.uniform(0, 1, n),
        "cS": rng.uniform(0, 1, n), "d": rng.uniform(0, 1, n), "a": rng.uniform(0, 1, n),
    }


def closed_form(p):
    """The subgame-perfect play predicted by DOMAIN §5, as arrays of booleans and outcome ids."""
    credible = p["b"] - p["cS"] >= -p["a"]
    complies = credible & (p["d"] >= p["kT"])  # without a credible threat defying costs nothing
    after_defiance = np.where(credible, p["b"] - p["cS"], -p["a"])
    threatens = np.where(complies, p["v"], after_defiance) > 0  # indifferent: keeps the status quo
    outcome = np.where(~threatens, "no_threat",
                       np.where(complies, "complied", np.where(credible, "sanctions_imposed", "backed_down")))
    return credible, complies, threatens, outcome


def away(x, y, margin=1e-6):
    return np.abs(x - y) > margin


def spe(scenario, params):
    tree = scenario.build(params)
    sol = subgame_perfect(tree)
    assert np.all(sol.counts() == 1)
    outcomes = np.array([o.id for o in tree.outcomes])[np.argmax(sol.outcome_probs, axis=1)]
    choice = {infoset: np.array(tree.nodes[nodes[0]].actions)[np.argmax(sol.behavior[k], axis=1)]
              for k, (_, infoset, nodes) in enumerate(tree.infosets())}
    return sol, outcomes, choice


def test_spe_path_matches_the_closed_form_at_every_random_point(scenario):
    p = draws(np.random.default_rng(21))
    credible, complies, threatens, outcome = closed_form(p)
    sol, outcomes, choice = spe(scenario, p)
    ok = away(p["b"] - p["cS"], -p["a"]) & away(p["d"], p["kT"]) & away(p["b"], p["cS"]) & away(p["a"], 0)
    assert ok.mean() > 0.99
    assert np.array_equal(outcomes[ok], outcome[ok])
    assert np.array_equal((choice["sender"] == "threaten")[ok], threatens[ok])
    assert not sol.tied[ok].any()
    # Every regime occurs in the sample.
    assert set(np.unique(outcomes)) == {"no_threat", "complied", "sanctions_imposed"}


def test_threat_is_carried_out_exactly_when_credible_b_minus_cS_at_least_minus_a(scenario):
    p = draws(np.random.default_rng(22))
    credible, complies, _, _ = closed_form(p)
    _, _, choice = spe(scenario, p)
    ok = away(p["b"] - p["cS"], -p["a"])
    assert np.array_equal((choice["sender_response"] == "impose")[ok], credible[ok])
    # With a credible threat the Target complies iff d >= kT; without one it always defies.
    ok &= away(p["d"], p["kT"])
    assert np.array_equal((choice["target"] == "comply")[ok], complies[ok])
    assert np.all(choice["target"][ok & ~credible] == "defy")


def test_sanctions_are_imposed_on_the_path_only_when_b_exceeds_cS_against_a_defiant_target(scenario):
    p = draws(np.random.default_rng(23))
    _, outcomes, _ = spe(scenario, p)
    imposed = outcomes == "sanctions_imposed"
    assert imposed.sum() > 100
    assert np.all(p["b"][imposed] > p["cS"][imposed]) and np.all(p["d"][imposed] < p["kT"][imposed])
    # ...and conversely, whenever the Sender gains from sanctioning a Target that would rather bear them.
    assert np.all(imposed[(p["b"] > p["cS"] + 1e-6) & (p["d"] < p["kT"] - 1e-6)])
    # A threat that is not carried out never happens on the path.
    assert not np.any(outcomes == "backed_down")


def test_audience_cost_sweep_makes_the_threat_credible_at_a_equal_cS_minus_b(scenario):
    a = np.linspace(0, 0.3, 61)  # the scenario's sweep; baseline cS - b = 0.1, d > kT
    _, outcomes, choice = spe(scenario, {"a": a})
    assert np.array_equal(choice["sender_response"] == "impose", a >= 0.1 - 1e-12)
    assert np.all(outcomes[a > 0.1 + 1e-9] == "complied") and np.all(outcomes[a < 0.1 - 1e-9] == "no_threat")


def test_exact_credibility_tie_is_broken_toward_imposing_and_flagged(scenario):
    # b - cS = 0.25 - 0.5 = -0.25 = -a exactly in binary floating point.
    params = dict(b=0.25, cS=0.5, a=0.25, d=0.5, kT=0.25, v=0.5)
    (eq,) = subgame_perfect(scenario.build(params)).equilibria_at(0)
    assert eq.behavior["Sender"]["sender_response"]["impose"] == 1.0
    assert eq.path == ["Sender:threaten", "Target:comply"] and eq.outcome == "complied"
    assert eq.tied and any("impose" in t and "back_down" in t for t in eq.ties)


def test_exact_compliance_tie_is_broken_toward_complying_and_flagged(scenario):
    params = dict(b=0.5, cS=0.25, a=0.25, d=0.5, kT=0.5, v=0.5)  # credible; d == kT
    (eq,) = subgame_perfect(scenario.build(params)).equilibria_at(0)
    assert eq.path == ["Sender:threaten", "Target:comply"]
    assert eq.tied and any("comply" in t and "defy" in t for t in eq.ties)


def test_normal_form_has_a_nash_equilibrium_of_compliance_with_a_threat_the_spe_rules_out(scenario):
    # Not credible: b - cS = -0.5 < -a = -0.1; the sanctions would hurt enough (d > kT) if believed.
    params = dict(b=0.1, cS=0.6, a=0.1, d=0.6, kT=0.3, v=0.5)
    tree = scenario.build(params)
    spe_sol, pure = solve(tree, ["spe", "pure"])
    (sp,) = spe_sol.equilibria_at(0)
    assert sp.outcome == "no_threat"
    bluffs = [eq for eq in pure.equilibria_at(0) if eq.strategies["Target"]["comply"] == 1.0]
    assert bluffs, "a Nash equilibrium in which the Target complies with a threat that is not credible"
    for eq in bluffs:
        (sender,) = [s for s, x in eq.strategies["Sender"].items() if x == 1.0]
        assert "threaten" in sender and "impose" in sender
        assert eq.payoffs == pytest.approx({"Sender": 0.5, "Target": -0.3}, abs=1e-12)
