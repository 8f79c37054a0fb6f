"""Regime boundaries: outcome labels, batched bisection and the nearest boundary in each parameter,
checked against the closed forms of the seed scenario (DOMAIN.md section 7) and per-point bisection."""

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from negosim.scenario import load_scenario
from negosim.sweep import locate_boundaries, nearest_boundaries, outcome_labels

ROOT = Path(__file__).resolve().parents[1]


def scenario(name):
    return load_scenario(ROOT / "scenarios" / f"{name}.yaml")


@pytest.fixture(scope="module")
def seed():
    return scenario("ceasefire_2025")


@pytest.fixture(scope="module")
def seed_bounds(seed):
    return nearest_boundaries(seed)


def only(bounds):
    assert len(bounds) == 1, bounds
    return bounds[0]


def test_mu_boundary_is_the_closed_form_where_russia_stops_accepting_a_plain_truce(seed, seed_bounds):
    v = seed.values()
    closed = v["beta"] * (v["cR"] + v["cU"]) + v["s"] - v["Delta"]  # 0.105
    b = only(seed_bounds["mu"])
    assert b.value == pytest.approx(closed, abs=1e-8) and closed == pytest.approx(0.105)
    assert (b.below, b.above) == ("truce_aid", "truce_frozen")
    assert b.tied  # Russia is indifferent exactly at the boundary


def test_s_boundary_is_the_minimum_sanction_that_secures_a_plain_truce(seed, seed_bounds):
    v = seed.values()
    closed = v["mu"] + v["Delta"] - v["beta"] * (v["cR"] + v["cU"])  # 0.005
    b = only(seed_bounds["s"])
    assert b.value == pytest.approx(closed, abs=1e-8) and closed == pytest.approx(0.005)
    assert (b.below, b.above) == ("truce_frozen", "truce_aid")


def test_leverage_p_changes_the_terms_but_never_the_outcome_over_its_whole_range(seed, seed_bounds):
    # The level of p cancels from Russia's choice; with the baseline costs no clipping at p = 0 or
    # p = 1 reverses any decision, so the outcome is truce_aid everywhere in [0, 1].
    assert seed_bounds["p"] == []
    labels = outcome_labels(seed, {"p": np.linspace(0, 1, 101)})
    assert set(labels.tolist()) == {"truce_aid"}


def test_sanctions_credibility_boundaries_sit_at_k_equal_aS(seed_bounds):
    assert only(seed_bounds["k"]).value == pytest.approx(0.05, abs=1e-8)  # k <= aS = 0.05
    assert only(seed_bounds["aS"]).value == pytest.approx(0.03, abs=1e-8)  # aS >= k = 0.03


def test_parameters_that_change_nothing_have_no_boundary(seed_bounds):
    for name in ("theta", "cR", "g", "aF", "omega", "B", "h"):
        assert seed_bounds[name] == [], name


def test_nearest_boundaries_from_an_overridden_base_value_lie_on_both_sides(seed):
    # At mu = 0.15 Russia counters and the US grants (truce_frozen). Below 0.105 it accepts a plain
    # truce; above beta*(cR + cU) + s = 0.185 it prefers war with sanctions to the frozen-aid truce.
    below, above = nearest_boundaries(seed, {"mu": 0.15})["mu"]
    assert below.value == pytest.approx(0.105, abs=1e-8) and (below.below, below.above) == ("truce_aid", "truce_frozen")
    assert above.value == pytest.approx(0.185, abs=1e-8)
    assert (above.below, above.above) == ("truce_frozen", "war_sanctions")


def reference_bisection(scen, parameter, lo, hi, tol=1e-9):
    """Plain one-point-at-a-time bisection, as an independent check of the batched one."""
    at_lo = outcome_labels(scen, {parameter: lo}).item()
    while hi - lo > tol:
        mid = (lo + hi) / 2
        if outcome_labels(scen, {parameter: mid}).item() == at_lo:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def test_batched_bisection_agrees_with_point_by_point_bisection(seed):
    brackets = [("mu", [0.0, 0.1, 0.104], [0.3, 0.2, 0.5]), ("eU", [0.1, 0.3], [0.5, 0.4])]
    for parameter, lo, hi in brackets:
        batched = locate_boundaries(seed, parameter, lo, hi)
        single = [reference_bisection(seed, parameter, a, b) for a, b in zip(lo, hi)]
        np.testing.assert_allclose(batched, single, atol=2e-9)
    # the eU boundary: Ukraine accepts while 1 - X_aid - eU >= 1 - w_frozen - cU (war after a freeze)
    v = seed.values()
    x_aid = v["p"] - v["Delta"] - v["cR"] + v["beta"] * (v["cR"] + v["cU"])
    closed = (v["p"] + v["mu"] + v["theta"]) + v["cU"] - x_aid  # 0.355
    assert locate_boundaries(seed, "eU", [0.1], [0.5])[0] == pytest.approx(closed, abs=1e-8)


def test_locate_boundaries_refuses_a_bracket_without_a_change(seed):
    with pytest.raises(ValueError, match="both ends"):
        locate_boundaries(seed, "p", [0.2], [0.8])


def test_batched_outcome_labels_equal_labels_computed_point_by_point(seed):
    rng = np.random.default_rng(7)
    params = {"mu": rng.uniform(0, 0.3, 40), "s": rng.uniform(0, 0.3, 40), "k": rng.uniform(0, 0.1, 40)}
    batched = outcome_labels(seed, params)
    single = [outcome_labels(seed, {k: v[i] for k, v in params.items()}).item() for i in range(40)]
    assert batched.tolist() == single
    assert len(set(single)) >= 3  # the draws cross several regimes


def test_normal_form_labels_are_the_set_of_pure_equilibria_or_mixed_only():
    pd = scenario("prisoners_dilemma")
    labels = outcome_labels(pd, {"T": np.array([2.0, 5.0])})
    assert labels.tolist() == ["(cooperate, cooperate) + (defect, defect)", "(defect, defect)"]
    assert outcome_labels(scenario("matching_pennies")).item() == "mixed only"


def test_prisoners_dilemma_temptation_boundary_is_T_equal_R():
    bounds = nearest_boundaries(scenario("prisoners_dilemma"))
    b = only(bounds["T"])
    assert b.value == pytest.approx(3, abs=1e-8) and b.tied
    assert b.below == "(cooperate, cooperate) + (defect, defect)" and b.above == "(defect, defect)"
    # P = S = 0 only at the very end of P's range: a one-point regime, not reported
    assert bounds["P"] == []


def test_entry_deterrence_reputation_makes_the_threat_credible_at_w_plus_rep_equal_d():
    b = only(nearest_boundaries(scenario("entry_deterrence"))["rep"])
    assert b.value == pytest.approx(2, abs=1e-8)
    assert (b.below, b.above) == ("shared_market", "stay_out")


JUMP = """\
negosim: 1
id: jump
title: A threshold
players: [{id: A}]
parameters:
  x: {value: 0.2, range: [0, 1], description: a level}
game:
  form: extensive
  root: a
  nodes:
    a: {player: A, actions: {big: big, small: small}}
  outcomes:
    big: {payoffs: {A: "%s"}}
    small: {payoffs: {A: 0.5}}
"""


@pytest.mark.parametrize("formula, tied", [("1 if x > 0.5 else 0", False), ("x", True)])
def test_a_boundary_is_tied_for_an_indifference_and_not_for_a_jump_in_a_formula(tmp_path, formula, tied):
    path = tmp_path / "jump.yaml"
    path.write_text(JUMP % formula)
    b = only(nearest_boundaries(load_scenario(path))["x"])
    assert b.value == pytest.approx(0.5, abs=1e-8)
    assert (b.below, b.above, b.tied) == ("small", "big", tied)


def test_the_boundaries_module_does_not_import_matplotlib():
    code = "import sys, negosim.sweep.boundaries; assert 'matplotlib' not in sys.modules"
    subprocess.run([sys.executable, "-c", textwrap.dedent(code)], check=True, cwd=ROOT)
