"""`form: repeated`: the truce scenario's known numbers, consistency with negosim's game solvers, the
simulation's reproducibility, and one-line validation errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from negosim.bargain import grim_trigger_threshold
from negosim.bargain.simulate import simulate
from negosim.bargain.strategies import strategy_values
from negosim.cli import main
from negosim.errors import ScenarioError
from negosim.game import NormalFormGame
from negosim.scenario import load_scenario
from negosim.scenario.repeated_analysis import analyze_repeated, repeated_labels, simulate_scenario, stage_game
from negosim.solve.primary import pure_profiles
from negosim.sweep.engine import run_sweep

ROOT = Path(__file__).resolve().parent.parent
TRUCE = ROOT / "scenarios" / "ceasefire_truce_repeated.yaml"


@pytest.fixture(scope="module")
def truce():
    return load_scenario(TRUCE)


def _closed_form(truce, **params):
    v = {**truce.values(), **params}
    X = v["p"] - v["Delta"] - v["cR"] + v["beta"] * (v["cR"] + v["cU"])
    q = v["q0"] + (1 - v["q0"]) * v["m"]
    ru = grim_trigger_threshold(v["tauR"], X, v["p"] + v["mu"] - v["cR"] - v["snap"] * v["s"], q)
    ua = grim_trigger_threshold(v["tauU"], 1 - X - v["eU"], 1 - v["p"] - v["mu"] - v["cU"], q)
    return max(ru, ua)


@pytest.mark.parametrize("params", [{}, {"m": 1.0}, {"q0": 0.8, "rho": 0.7}, {"tauR": 0.2, "tauU": 0.1, "s": 0.2}])
def test_cooperative_threshold_equals_the_closed_form(truce, params):
    a = analyze_repeated(truce.with_overrides(params))
    expected = _closed_form(truce, **params)
    assert a.grim.threshold("nash")[a.cooperative] == pytest.approx(expected, rel=1e-12)
    assert a.discount_needed("nash") == pytest.approx(expected / truce.with_overrides(params).values()["rho"])


def test_baseline_truce_needs_delta_0_8269_and_is_not_sustained_at_0_75(truce):
    a = analyze_repeated(truce)
    assert a.discount_needed("nash") == pytest.approx(0.08 / (0.08 + 0.5 * 0.055) / 0.9)
    assert not a.grim.sustainable("nash")[a.cooperative]
    assert a.grim.sustainable("nash").tolist() == [False, False, False, True]  # only war, the stage equilibrium


def test_without_snap_back_no_discount_factor_sustains_the_truce(truce):
    a = analyze_repeated(truce.with_overrides({"snap": 0.0, "delta": 0.99}))
    assert np.isinf(a.grim.threshold("nash")[a.cooperative])  # Russia's war payoff 0.55 > truce share 0.545
    assert a.to_dict()["profiles"][0]["nash"]["discount_needed"] is None


def test_sweep_boundary_in_delta_is_where_the_truce_first_becomes_an_equilibrium(truce, tmp_path):
    summary = run_sweep(truce, {"delta": (0.3, 0.99, 70)}, out_dir=tmp_path / "s")
    (b,) = summary.boundaries
    assert b.value == pytest.approx(_closed_form(truce) / 0.9, abs=1e-8)
    assert b.below == "(violate, violate)" and b.above == "(hold, hold) + (violate, violate)" and b.tied


def test_sweep_figures_title_the_legend_by_what_grim_trigger_sustains(truce, tmp_path):
    """The labels are the profiles grim trigger sustains, not the stage game's equilibria: legends say so."""
    from negosim.present.figures.sweep_plots import sweep_figures

    run_sweep(truce, {"delta": (0.3, 0.99, 12), "m": (0.0, 1.0, 5)}, out_dir=tmp_path / "map")
    ((_, fig),) = sweep_figures(tmp_path / "map")
    assert [lg.get_title().get_text() for lg in fig.legends] == ["profiles grim trigger sustains"]
    run_sweep(truce, {"delta": (0.3, 0.99, 12)}, out_dir=tmp_path / "line")
    ((_, fig),) = sweep_figures(tmp_path / "line")
    titles = [lg.get_title().get_text() for ax in fig.axes for lg in [ax.get_legend()] if lg] + \
        [lg.get_title().get_text() for lg in fig.legends]
    assert "profiles grim trigger sustains" in titles and "equilibrium outcome" not in titles


def test_strategy_game_solved_by_negosim_flips_at_the_grim_threshold(truce):
    """Independent of the closed form: the repeated game restricted to five named strategies, each
    profile's exact discounted value from the automata, solved by negosim's pure-equilibrium solver."""
    names = ("grim", "always_violate", "always_hold", "tit_for_tat", "win_stay_lose_shift")
    v = truce.values()
    stage = stage_game(truce).payoffs
    rho, q = v["rho"], v["q0"]
    deltas = np.linspace(0.5, 0.99, 50)
    pay = np.empty((len(deltas), 2, len(names), len(names)))
    for k, d in enumerate(deltas):
        for i, a in enumerate(names):
            for j, b in enumerate(names):
                pay[k, :, i, j] = strategy_values(stage, (0, 0), (a, b), d, detection=q, extension=rho)
    game = NormalFormGame(("RU", "UA"), (names, names), pay)
    grim_grim = pure_profiles(game)[:, 0]  # profile (grim, grim) is the first
    first = deltas[np.argmax(grim_grim)]
    step = deltas[1] - deltas[0]
    assert not grim_grim[0] and grim_grim[-1] and (grim_grim[np.argmax(grim_grim):]).all()
    assert first - step < _closed_form(truce) / rho <= first


def test_labels_are_batched_over_points(truce):
    labels = repeated_labels(truce, {"delta": np.array([0.7, 0.9]), "m": np.array([[0.0], [1.0]])})
    assert labels.shape == (2, 2)
    assert labels.tolist() == [["(violate, violate)", "(hold, hold) + (violate, violate)"],
                               ["(hold, hold) + (violate, violate)", "(hold, hold) + (violate, violate)"]]


def test_payoff_set_contains_the_truce_once_perfectly_monitored_threshold_is_met(truce):
    a = analyze_repeated(truce)  # delta*rho = 0.675 >= 0.593, the threshold with q = 1
    V = a.payoff_set
    assert V is not None and V.converged
    assert V.contains((0.545, 0.355)) and V.contains((0.49, 0.2)) and not V.contains((0.625, 0.15))
    low = analyze_repeated(truce.with_overrides({"delta": 0.3})).payoff_set
    assert low is not None and len(low.vertices) == 1 and np.allclose(low.vertices[0], (0.49, 0.2))


@pytest.mark.parametrize("pair", [("grim", "grim"), ("tft", "wsls"), ("gtft", "alld")])
def test_survival_curve_does_not_depend_on_the_batch_size(pair):
    pd = np.array([[[0.6, 0.2], [0.7, 0.3]], [[0.6, 0.7], [0.2, 0.3]]])
    kw = dict(discount=0.8, detection=0.6, extension=0.9, false_alarm=0.05, runs=301, windows=12, seed=7)
    ref = simulate(pd, (0, 0), pair, batch_size=301, **kw)
    for size in (1, 17, 1000):
        other = simulate(pd, (0, 0), pair, batch_size=size, **kw)
        assert np.array_equal(other.survival, ref.survival) and np.array_equal(other.holding, ref.holding)
        assert np.allclose(other.mean_payoffs, ref.mean_payoffs, rtol=1e-12)


@pytest.mark.parametrize("pair", [("grim", "grim"), ("tft", "tft"), ("gtft", "wsls"), ("alld", "grim")])
def test_simulated_payoffs_agree_with_the_exact_automaton_values(pair):
    pd = np.array([[[0.6, 0.2], [0.7, 0.3]], [[0.6, 0.7], [0.2, 0.3]]])
    kw = dict(discount=0.7, detection=0.6, extension=0.9, false_alarm=0.05)
    sim = simulate(pd, (0, 0), pair, runs=20_000, windows=80, seed=3, **kw)  # 0.63**80: truncation negligible
    exact = strategy_values(pd, (0, 0), pair, 0.7, detection=0.6, extension=0.9, false_alarm=0.05)
    assert np.allclose(sim.mean_payoffs, exact, atol=0.004)


def test_grim_survival_is_expiry_only_without_false_alarms(truce):
    sim = simulate_scenario(truce, ("grim",), runs=4000, windows=10, seed=2)
    t = np.arange(1, 11)
    assert np.allclose(sim.survival[1:], 0.9 ** (t - 1), atol=4 * sim.standard_error()[1:].max() + 1e-12)


def _write(tmp_path, game: str) -> Path:
    text = TRUCE.read_text()
    start = text.index("game:\n")
    end = text.index("\nsweeps:")
    path = tmp_path / "s.yaml"
    path.write_text(text[:start] + game + text[end:])
    return path


STAGE = """game:
  form: repeated
  {extra}
  actions:
    RU: [hold, violate]
    UA: [hold, violate]
  payoffs:
    hold: {{hold: [1, 1], violate: [0, 2]}}
    violate: {{hold: [2, 0], violate: [0.5, 0.5]}}
"""


@pytest.mark.parametrize("extra, key, message", [
    ("detection: 0.5", "game", "missing required key 'discount'"),
    ("discount: 1.5 * delta", "game.discount", "the discount factor must lie in (0, 1)"),
    ("discount: delta\n  extension: rho + 1", "game.extension", "the probability of extension must lie in (0, 1]"),
    ("discount: delta\n  cooperative: {RU: hold, UA: keep}", "game.cooperative.UA", "'keep' is not an action of UA"),
    ("discount: dleta", "game.discount", "dleta"),
])
def test_invalid_repeated_sections_are_one_line_with_file_line_and_key(tmp_path, extra, key, message):
    path = _write(tmp_path, STAGE.format(extra=extra))
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    text = str(info.value.problems[0])
    assert text.startswith(f"{path}:") and key in text and message in text and "\n" not in text


def test_cli_solve_json_has_thresholds_and_payoff_set_vertices(capsys):
    assert main(["solve", str(TRUCE), "--json", "--set", "m=1"]) == 0
    doc = json.loads(capsys.readouterr().out)
    rep = doc["repeated"]
    assert rep["cooperative"] == "(hold, hold)" and rep["profiles"][0]["nash"]["sustainable"] is True
    assert rep["profiles"][0]["nash"]["discount_needed"] == pytest.approx(0.08 / 0.135 / 0.9)
    assert rep["payoff_set"]["converged"] and [0.545, 0.355] in [[round(x, 9) for x in v]
                                                                  for v in rep["payoff_set"]["vertices"]]


def test_cli_simulate_json_and_a_bad_strategy(capsys, tmp_path):
    assert main(["simulate", str(TRUCE), "--strategy", "tft,grim", "--runs", "500", "--windows", "5",
                 "--seed", "1", "--json", "--figure", str(tmp_path / "s.png"), "--compare", "alld"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["strategies"] == {"RU": "tit_for_tat", "UA": "grim"} and len(doc["survival"]) == 6
    assert (tmp_path / "s.png").stat().st_size > 0
    assert main(["simulate", str(TRUCE), "--strategy", "nice"]) == 3
    assert "unknown strategy 'nice'" in capsys.readouterr().err


def test_explain_derives_the_threshold_with_the_scenario_numbers():
    from negosim.api import open_source
    from negosim.present.explain import explain

    text = " ".join(explain(open_source(str(TRUCE))).split())
    assert "it needs δρ ≥ 0.08/(0.08 + 0.5 × 0.055) = 0.744186" in text
    assert "that is δ ≥ 0.826873 at ρ = 0.9; at δρ = 0.675 it is not sustained" in text
    assert "above 0.826873 grim trigger sustains (hold, hold) and (violate, violate)" in text


def test_report_has_the_repeated_section_with_both_figures():
    from negosim.api import open_source
    from negosim.present.report import render_report

    html = render_report(open_source(str(TRUCE)))
    section = html[html.index('<section id="repeated">'):]
    section = section[:section.index("</section>")]
    assert section.count("<svg") == 2 and "0.826873" in section and "(the agreement)" in section
    sensitivity = html[html.index('<section id="sensitivity">'):]
    sensitivity = sensitivity[:sensitivity.index("</section>")]
    assert "profiles grim trigger sustains" in sensitivity and "equilibrium outcome" not in sensitivity


def test_cli_simulate_refuses_compare_without_a_figure(capsys):
    code = main(["simulate", str(TRUCE), "--compare", "tft", "--runs", "10"])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "--figure" in err


def test_survival_figure_shows_what_tells_grim_from_forgiving_strategies(truce):
    """Under false alarms grim, tit for tat and win-stay-lose-shift have the same 'unbroken' curve; the lower
    panel (both hold, among truces in force) separates them: grim never holds again after a violation."""
    from negosim.present.figures.payoff_set import both_hold_share, survival_figure

    kw = dict(runs=800, windows=16, seed=3, false_alarm=0.05)
    grim, tft = (simulate_scenario(truce, (s,), **kw) for s in ("grim", "tit_for_tat"))
    np.testing.assert_allclose(grim.survival, tft.survival)  # the top panel cannot tell them apart
    np.testing.assert_allclose(grim.holding, grim.survival[1:])  # grim: holding only while unbroken
    assert both_hold_share(tft)[-1] > both_hold_share(grim)[-1] + 0.2
    fig = survival_figure(truce, strategies=("grim",), compare=("tit_for_tat",), **kw)
    top, below = fig.axes
    drawn = [np.asarray(line.get_ydata(), dtype=float) for line in below.get_lines()]
    assert len(drawn) == 2 and not np.allclose(drawn[0], drawn[1])
    np.testing.assert_allclose(drawn[0], both_hold_share(grim))

