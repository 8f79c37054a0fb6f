"""Sensitivity analysis: one-at-a-time effects on the seed scenario against its closed forms, and
Sobol'/Morris indices against analytic values on a small linear scenario."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from negosim.errors import UsageError
from negosim.present.text.sensitivity import format_indices, format_oat
from negosim.scenario import load_scenario
from negosim.sweep import sensitivity
from negosim.sweep.sensitivity import morris, oat, sobol

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "scenarios" / "ceasefire_2025.yaml"

# Player A goes on iff x > C (so P(go) = (X_HI - C)/(X_HI - X_LO) for x uniform); player B's payoff
# is A_COEF*x + B_COEF*y whatever A does; z enters nothing; w cannot vary (low == high).
A_COEF, B_COEF, C = 3.0, -1.0, 0.5
X_LO, X_HI, Y_LO, Y_HI = 0.0, 2.0, -1.0, 3.0
LINEAR = f"""\
negosim: 1
id: linear-test
title: A payoff linear in two parameters and an outcome with a threshold
players:
  - id: A
  - id: B
parameters:
  x: {{value: 1, range: [{X_LO}, {X_HI}], description: drives both the payoff and the choice}}
  y: {{value: 1, range: [{Y_LO}, {Y_HI}], description: drives the payoff only}}
  z: {{value: 0.5, range: [0, 1], description: enters no formula}}
  w: {{value: 1, range: [1, 1], description: fixed}}
game:
  form: extensive
  root: a
  nodes:
    a:
      player: A
      actions: {{go: went, stay: stayed}}
  outcomes:
    went:
      label: A goes on
      payoffs: {{A: x - {C}, B: {A_COEF} * x + {B_COEF} * y}}
    stayed:
      label: A stays
      payoffs: {{A: 0, B: {A_COEF} * x + {B_COEF} * y}}
"""


@pytest.fixture(scope="module")
def seed():
    return load_scenario(str(SEED))


@pytest.fixture(scope="module")
def linear(tmp_path_factory):
    path = tmp_path_factory.mktemp("sens") / "linear.yaml"
    path.write_text(textwrap.dedent(LINEAR))
    return load_scenario(str(path))


def row(result, output: str) -> int:
    return result.outputs.index(output)


def col(result, parameter: str) -> int:
    return result.parameters.index(parameter)


# --- one at a time ------------------------------------------------------------------------
def test_oat_leverage_moves_russias_terms_one_for_one_and_keeps_the_outcome(seed):
    r = oat(seed, parameters=["p"], ranges={"p": (0.2, 0.8)})
    ru = r.players.index("RU")
    assert r.payoffs_high[ru, 0] - r.payoffs_low[ru, 0] == pytest.approx(0.8 - 0.2, abs=1e-12)
    assert r.baseline_outcome == "truce_aid"  # Russia is indifferent (accept ~ counter); the tie rule accepts
    assert r.outcome_low == r.outcome_high == ("truce_aid",)
    assert not r.flips[0].changes and r.flips[0].below is None and r.flips[0].above is None


def test_oat_over_the_declared_range_of_p_hits_the_clipped_settlement(seed):
    v = seed.values()
    settle = lambda q: min(1.0, max(0.0, q - v["Delta"] - v["cR"] + v["beta"] * (v["cR"] + v["cU"])))  # noqa: E731
    r = oat(seed)
    j, ru = col(r, "p"), r.players.index("RU")
    assert r.payoffs_low[ru, j] == pytest.approx(settle(0.0), abs=1e-12) == 0.0  # the clip binds at p = 0
    assert r.payoffs_high[ru, j] == pytest.approx(settle(1.0), abs=1e-12)
    assert r.baseline_payoffs[ru] == pytest.approx(settle(v["p"]), abs=1e-12)


def test_oat_momentum_flips_the_outcome_at_the_closed_form_boundary(seed):
    v = seed.values()
    r = oat(seed)
    j = col(r, "mu")
    assert r.outcome_high[j] != r.baseline_outcome
    flip = r.flips[j]
    assert flip.changes and flip.below is None
    assert flip.above.value == pytest.approx(v["beta"] * (v["cR"] + v["cU"]) + v["s"] - v["Delta"], abs=1e-8)
    assert (flip.above.below, flip.above.above, flip.above.tied) == ("truce_aid", "truce_frozen", True)


def test_oat_follows_overrides_and_a_narrowed_range_hides_boundaries_outside_it(seed):
    v = seed.values()
    r = oat(seed, parameters=["mu"], overrides={"s": 0.2})
    assert r.flips[0].above.value == pytest.approx(v["beta"] * (v["cR"] + v["cU"]) + 0.2 - v["Delta"], abs=1e-8)
    narrow = oat(seed, parameters=["mu"], ranges={"mu": (0.0, 0.1)})
    assert narrow.flips[0].above is None and not narrow.flips[0].changes


def test_oat_solves_all_two_p_plus_one_points_in_one_batch(seed, monkeypatch):
    calls = []
    real = sensitivity.evaluate_points

    def counting(scenario, params):
        calls.append({k: len(np.atleast_1d(a)) for k, a in params.items()})
        return real(scenario, params)

    monkeypatch.setattr(sensitivity, "evaluate_points", counting)
    oat(seed, parameters=["p", "mu", "s"])
    assert calls == [{"p": 7, "mu": 7, "s": 7}]


def test_oat_swing_is_the_payoff_spread_over_low_base_high(seed):
    r = oat(seed, parameters=["mu"])
    pays = np.stack([r.baseline_payoffs, r.payoffs_low[:, 0], r.payoffs_high[:, 0]])
    np.testing.assert_allclose(r.swing[:, 0], pays.max(axis=0) - pays.min(axis=0))


def test_oat_table_lists_outcome_changing_parameters_first_and_json_is_valid(seed):
    r = oat(seed)
    text = format_oat(r)
    names = [line.split()[0] for line in text.splitlines()[7:7 + len(r.parameters)]]
    assert sorted(names) == sorted(r.parameters)
    changing = {f.parameter for f in r.flips if f.changes}
    assert set(names[:len(changing)]) == changing and "mu" in changing and "p" not in changing
    assert "above at 0.105" in text
    data = json.loads(json.dumps(r.to_dict(), allow_nan=False))
    assert data["baseline_outcome"] == "truce_aid" and data["flips"][col(r, "mu")]["above"]["above"] == "truce_frozen"


def test_oat_rejects_unknown_names_and_ranges_outside_the_declared_ones(seed):
    with pytest.raises(UsageError, match="did you mean 'mu'"):
        oat(seed, parameters=["muu"])
    with pytest.raises(UsageError, match="declared range"):
        oat(seed, ranges={"p": (-0.1, 0.5)})
    with pytest.raises(UsageError, match="outside the range"):
        oat(seed, parameters=["p"], ranges={"p": (0.7, 0.9)})


# --- Sobol' -------------------------------------------------------------------------------
def test_sobol_indices_of_a_linear_payoff_match_the_variance_shares(linear):
    r = sobol(linear, samples=1024, seed=1)
    var_x, var_y = (X_HI - X_LO) ** 2 / 12, (Y_HI - Y_LO) ** 2 / 12
    share_x = A_COEF**2 * var_x / (A_COEF**2 * var_x + B_COEF**2 * var_y)  # 9/13
    o = row(r, "payoff B")
    for name, want in (("x", share_x), ("y", 1 - share_x), ("z", 0.0)):
        j = col(r, name)
        assert abs(r.first[o, j] - want) <= min(max(r.first_conf[o, j], 1e-12), 0.02)
        assert abs(r.total[o, j] - want) <= min(max(r.total_conf[o, j], 1e-12), 0.02)
    assert r.parameters == ("x", "y", "z") and r.n_evaluations == 1024 * (3 + 2)
    assert any("w" in n and "low == high" in n for n in r.notes)


def test_sobol_threshold_outcome_share_and_indices(linear):
    r = sobol(linear, samples=1024, seed=1)
    assert r.shares["went"] == pytest.approx((X_HI - C) / (X_HI - X_LO), abs=0.01)
    assert r.shares["went"] + r.shares["stayed"] == pytest.approx(1.0)
    o = row(r, "P(went)")
    x, y, z = (col(r, n) for n in "xyz")
    assert abs(r.first[o, x] - 1.0) <= r.first_conf[o, x] and abs(r.total[o, x] - 1.0) <= r.total_conf[o, x]
    assert r.first[o, y] == r.total[o, y] == r.first[o, z] == r.total[o, z] == 0.0


def test_sobol_is_reproducible_by_seed_and_independent_of_chunk_size(linear):
    a = sobol(linear, samples=128, seed=7)
    b = sobol(linear, samples=128, seed=7, chunk_size=11)
    assert a.to_dict() == b.to_dict()
    c = sobol(linear, samples=128, seed=8)
    assert c.to_dict()["indices"] != a.to_dict()["indices"]


def test_sobol_chunked_seed_scenario_matches_one_batch(seed):
    names = ["mu", "s", "k"]
    one = sobol(seed, samples=64, parameters=names)
    many = sobol(seed, samples=64, parameters=names, chunk_size=50)
    assert one.to_dict() == many.to_dict()
    assert {"P(truce_aid)", "payoff RU"} <= set(one.outputs)


def test_sobol_refuses_a_sample_count_that_is_not_a_power_of_two(linear):
    with pytest.raises(UsageError, match="power of 2.*try 1024"):
        sobol(linear, samples=1000)


def test_an_output_constant_over_the_samples_is_left_out_with_a_note(linear):
    r = sobol(linear, samples=64, ranges={"x": (0.6, 2.0)})  # A always goes on
    assert "P(went)" not in r.outputs and r.shares == {"went": 1.0}
    assert any(n.startswith("P(went) is 1 at every sample") for n in r.notes)
    assert np.isfinite(r.first).all()


def test_payoffs_of_a_game_with_several_equilibria_are_left_out_with_a_note():
    bos = load_scenario(str(ROOT / "scenarios" / "battle_of_the_sexes.yaml"))
    r = sobol(bos, samples=64)
    assert not any(o.startswith("payoff") for o in r.outputs)
    assert any("left out" in n and "no unique equilibrium" in n for n in r.notes)


def test_indices_table_sorts_parameters_by_total_effect_and_json_has_no_nan(linear):
    r = sobol(linear, samples=256)
    lines = format_indices(r).splitlines()
    start = lines.index("payoff B")
    assert [ln.split()[0] for ln in lines[start + 3:start + 6]] == ["x", "y", "z"]
    assert "ST includes its interactions" in format_indices(r)
    json.dumps(r.to_dict(), allow_nan=False)


# --- Morris -------------------------------------------------------------------------------
def test_morris_effects_of_a_linear_payoff_are_slope_times_range(linear):
    r = morris(linear, trajectories=20, levels=4, seed=3)
    o = row(r, "payoff B")
    x, y, z = (col(r, n) for n in "xyz")
    # SALib divides the output change by the step in unit-cube units, so an effect is the change
    # per full range of the parameter: |slope| * (high - low).
    assert r.first[o, x] == pytest.approx(abs(A_COEF) * (X_HI - X_LO), rel=1e-9)
    assert r.first[o, y] == pytest.approx(abs(B_COEF) * (Y_HI - Y_LO), rel=1e-9)
    assert r.mean_effect[o, y] == pytest.approx(B_COEF * (Y_HI - Y_LO), rel=1e-9)
    assert r.first[o, z] == 0.0
    np.testing.assert_allclose(r.total[o], 0.0, atol=1e-9)  # sigma: a linear output has one effect
    assert np.isnan(r.total_conf).all()
    assert r.n_evaluations == 20 * (3 + 1)
    assert "mu_star" in r.to_dict()["indices"] and "S1" not in r.to_dict()["indices"]


def test_morris_is_reproducible_by_seed_and_needs_even_levels(linear):
    once = morris(linear, trajectories=10, seed=5)
    assert once.to_dict() == morris(linear, trajectories=10, seed=5, chunk_size=3).to_dict()
    with pytest.raises(UsageError, match="even"):
        morris(linear, levels=5)


# --- SALib is optional --------------------------------------------------------------------
def test_global_methods_without_salib_say_how_to_install_it_and_oat_still_works(linear, monkeypatch):
    for name in [m for m in sys.modules if m == "SALib" or m.startswith("SALib.")] + ["SALib"]:
        monkeypatch.setitem(sys.modules, name, None)
    for method in (sobol, morris):
        with pytest.raises(UsageError, match=r"needs SALib: pip install 'negosim\[sensitivity\]'"):
            method(linear)
    r = oat(linear)
    assert r.outcome_low[col(r, "x")] == "stayed" and r.outcome_high[col(r, "x")] == "went"
    assert r.flips[col(r, "x")].below.value == pytest.approx(C, abs=1e-8)


@pytest.mark.parametrize("name", ["chicken", "battle_of_the_sexes", "prisoners_dilemma", "ceasefire_2025",
                                  "entry_deterrence", "sanctions_threat"])
def test_nearest_changes_name_the_outcomes_just_past_each_side_not_the_tie_itself(name):
    """A boundary's `below`/`above` labels are what solving just below/above it gives (issue 8: chicken's
    "below C = 1" is (straight, straight) alone, not the three equilibria of the tie at C = 1)."""
    from negosim.scenario import load_scenario
    from negosim.sweep.boundaries import nearest_boundaries, outcome_labels

    scenario = load_scenario(f"scenarios/{name}.yaml")
    base = scenario.values()
    checked = 0
    for parameter, found in nearest_boundaries(scenario).items():
        p = scenario.parameters[parameter]
        step = 1e-3 * (p.high - p.low)
        for b in found:
            lo, hi = max(b.value - step, p.low), min(b.value + step, p.high)
            labels = outcome_labels(scenario, {**base, parameter: np.array([lo, hi])})
            assert [str(x) for x in labels.reshape(-1)] == [b.below, b.above], (parameter, b)
            checked += 1
    assert checked
