"""`form: bargaining` scenarios: validation, the shipped scenarios' numbers against their closed forms, and
every command (solve, sweep, sensitivity, explain, report) and the front door on them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from scenario_lists import BARGAINING, is_bargaining
from sweep_helpers import table_csv

import negosim as ns
from negosim import bargain as bg
from negosim.cli import main
from negosim.errors import ScenarioError
from negosim.present.explain.bargain import explain_bargaining
from negosim.scenario import load_scenario
from negosim.scenario.bargainmodels import MODELS
from negosim.scenario.bargainsolve import solve_bargaining

ROOT = Path(__file__).resolve().parents[1]
SC = ROOT / "scenarios"

HEAD = """\
negosim: 1
id: test
title: A test scenario
players: [{id: A}, {id: B}]
parameters:
  p: {value: 0.6, range: [0, 1], description: A probability}
  cost: {value: 0.1, range: [0, 1], description: A cost}
"""


def problems_in(tmp_path, text: str):
    path = tmp_path / "scenario.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    for problem in info.value.problems:
        assert "\n" not in str(problem) and problem.file == str(path)
    return info.value.problems


def line_of(text: str, marker: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if marker in line)


def run(argv, capsys):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


# --- validation: one line each, at file:line, naming the key ------------------------------------------


def test_a_valid_bargaining_section_loads(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text(HEAD + "game: {form: bargaining, model: risk_return, arguments: {p: p, cU: cost, cbar: 0.3}}\n")
    sol = solve_bargaining(load_scenario(path))
    assert sol.quantities["offer"] == pytest.approx(0.5)


@pytest.mark.parametrize("game, marker, words", [
    ("game:\n  form: bargaining\n  model: risk_retrun\n  arguments: {p: p}\n", "model:", "did you mean 'risk_return'"),
    ("game:\n  form: bargaining\n  model: rubinstein\n  arguments: {delta_a: p, delta_b: p, delta_c: p}\n",
     "arguments:", "unknown key 'delta_c'"),
    ("game:\n  form: bargaining\n  model: rubinstein\n  arguments: {delta_a: p}\n", "arguments:",
     "missing required key 'delta_b'"),
    ("game:\n  form: bargaining\n  model: rubinstein\n  arguments:\n    delta_a: p\n    delta_b: q + 1\n",
     "delta_b:", "unknown name 'q'"),
    ("game:\n  form: bargaining\n  model: take_it_or_leave_it\n  arguments: {p: p, cR: cost, cU: cost}\n"
     "  options: {proposer: mediator}\n", "options:", "proposer must be one of challenger, defender"),
    ("game:\n  form: bargaining\n  model: powell_war\n  arguments: {p1: p, p2: p, delta: 0.9, c: cost}\n"
     "  regimes: {truce: A truce}\n", "regimes:", "unknown key 'truce'"),
    ("game:\n  form: bargaining\n  model: rubinstein\n  arguments: {delta_a: p + 0.6, delta_b: p}\n", "model:",
     "rubinstein: delta_a must lie in [0, 1], not 1.2"),
    ("game:\n  form: barganing\n  model: rubinstein\n", "form:", "did you mean 'bargaining'"),
])
def test_each_problem_is_one_line_at_its_key(tmp_path, game, marker, words):
    text = HEAD + game
    problems = problems_in(tmp_path, text)
    assert len(problems) == 1, [str(p) for p in problems]
    assert words in str(problems[0])
    assert problems[0].line == line_of(text, marker) or (marker == "arguments:" and problems[0].line >= 8)


def test_an_option_left_out_takes_its_default_and_a_given_one_is_used(tmp_path):
    path = tmp_path / "tioli.yaml"
    game = "game: {form: bargaining, model: take_it_or_leave_it, arguments: {p: p, cR: cost, cU: 0.15}"
    path.write_text(HEAD + game + "}\n")
    assert float(solve_bargaining(load_scenario(path)).quantities["share"]) == pytest.approx(0.75)  # p + cU
    path.write_text(HEAD + game + ", options: {proposer: defender}}\n")
    assert float(solve_bargaining(load_scenario(path)).quantities["share"]) == pytest.approx(0.5)  # p - cR


def test_a_frontier_formula_may_use_x_and_others_may_not(tmp_path):
    ok = HEAD + "game: {form: bargaining, model: nash_solution, arguments: {u_a: x, u_b: 1 - x, d_a: 0, d_b: 0}}\n"
    path = tmp_path / "ok.yaml"
    path.write_text(ok)
    assert float(solve_bargaining(load_scenario(path)).quantities["share"]) == pytest.approx(0.5, abs=1e-7)
    bad = HEAD + "game: {form: bargaining, model: nash_solution, arguments: {u_a: x, u_b: 1 - x, d_a: x, d_b: 0}}\n"
    (problem,) = problems_in(tmp_path, bad)
    assert "unknown name 'x'" in str(problem) and problem.path == "game.arguments.d_a"


def test_the_model_must_relate_as_many_players_as_the_scenario_lists(tmp_path):
    text = HEAD.replace("[{id: A}, {id: B}]", "[{id: A}, {id: B}, {id: C}]") + \
        "game: {form: bargaining, model: rubinstein, arguments: {delta_a: p, delta_b: p}}\n"
    (problem,) = problems_in(tmp_path, text)
    assert "relates 2 players" in str(problem)


def test_the_cli_refuses_an_invalid_bargaining_scenario_with_exit_3(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text(HEAD + "game: {form: bargaining, model: rubinstein, arguments: {delta_a: p}}\n")
    code, out, err = run(["solve", path], capsys)
    assert code == 3 and "Traceback" not in err and f"{path}:" in err and "delta_b" in err


def test_commands_that_need_a_game_refuse_a_bargaining_scenario_in_one_line(capsys):
    code, out, err = run(["play", SC / "powell_commitment.yaml", "--as", "UA"], capsys)
    assert code == 2 and "has no game to build" in err and len(err.strip().splitlines()) == 1


# --- the shipped scenarios against their closed forms ---------------------------------------------


def test_the_shipped_bargaining_scenarios_are_found_and_validate(capsys):
    names = {p.name for p in BARGAINING}
    assert {"fearon_risk_return.yaml", "rubinstein_war.yaml", "nash_bargaining_war.yaml", "powell_commitment.yaml",
            "ceasefire_bargaining.yaml"} <= names
    code, out, _ = run(["validate", *BARGAINING], capsys)
    assert code == 0 and out.count("bargaining model") == len(BARGAINING)
    for path in BARGAINING:
        sc = load_scenario(path)
        assert sc.brief and sc.questions and sc.sources and is_bargaining(path)


def test_fearon_risk_return_matches_the_closed_form_at_random_points(rng):
    sc = ns.load(SC / "fearon_risk_return.yaml")
    p, cU, cbar = rng.uniform(0.3, 1, 50), rng.uniform(0, 0.3, 50), rng.uniform(0.05, 1, 50)
    sol = sc.solve(p=p, cU=cU, cbar=cbar)
    z = np.clip((cbar - cU) / 2, 0, p)
    assert np.allclose(sol.quantities["offer"], p - z, atol=1e-12)
    assert np.allclose(sol.quantities["war_probability"], z / cbar, atol=1e-12)
    assert np.allclose(sol.quantities["expected_cost_after_rejection"], z / 2, atol=1e-12)
    assert (sol.outcomes() == np.where(z > 0, "risky_offer", "safe_offer")).all()
    base = sc.solve()
    assert (float(base.quantities["offer"]), float(base.quantities["war_probability"])) == pytest.approx((0.5, 1 / 3))


def test_rubinstein_war_matches_the_outside_option_cases():
    sc = ns.load(SC / "rubinstein_war.yaml")
    assert float(sc.solve().quantities["share"]) == pytest.approx(0.55)  # Russia's own war payoff binds
    assert float(sc.solve(p=0.2).quantities["share"]) == pytest.approx(1 - 0.65)  # Ukraine's binds: 1 - w_b
    assert float(sc.solve(p=0.45).quantities["share"]) == pytest.approx(1 / 1.9)  # none binds: 1 / (1 + delta)
    sol = sc.solve(p=np.linspace(0, 1, 41), delta=0.8)
    direct = bg.outside_options(0.8, np.linspace(0, 1, 41) - 0.1, 1 - np.linspace(0, 1, 41) - 0.15)
    assert np.allclose(sol.quantities["share"], direct)


def test_nash_bargaining_war_is_p_minus_cR_plus_beta_times_the_surplus(rng):
    sc = ns.load(SC / "nash_bargaining_war.yaml")
    p, cR, cU, beta = rng.uniform(0.3, 0.7, 20), rng.uniform(0.01, 0.2, 20), rng.uniform(0.01, 0.2, 20), \
        rng.uniform(0, 1, 20)
    sol = sc.solve(p=p, cR=cR, cU=cU, beta=beta)
    assert np.allclose(sol.quantities["share"], p - cR + beta * (cR + cU), atol=1e-7)
    assert float(sc.solve().quantities["share"]) == pytest.approx(0.625, abs=1e-7)


def test_powell_commitment_finds_where_war_becomes_unavoidable():
    sc = ns.load(SC / "powell_commitment.yaml")
    assert sc.solve().outcomes().item() == "peace"
    res = sc.sweep({"p1": (0, 1, 201)})
    (b,) = res.boundaries
    # war iff p1 - c > (1 - delta) + delta (p2 + c): p1* = 0.05 + 0.1 + 0.9 * 0.45
    assert (b.below, b.above) == ("peace", "war") and b.value == pytest.approx(0.555, abs=1e-8)
    assert res.outcomes == {"peace": 112, "war": 89}  # p1 = 0.555 itself is peace: war needs a strict >


def test_the_seed_case_with_private_costs_matches_domain_section_7(rng):
    sc = ns.load(SC / "ceasefire_bargaining.yaml")
    base = sc.solve()
    assert float(base.quantities["war_probability"]) == pytest.approx(2 / 15)
    assert float(base.quantities["offer"]) == pytest.approx(0.51)
    B = rng.uniform(0, 0.5, 30)
    sol = sc.solve(B=B)
    war = np.clip(0.5 - (B + 0.06 + 0.03) / (2 * 0.5 * 0.6) - 0.06 / 1.2, 0, 1)
    assert np.allclose(sol.quantities["war_probability"], war)
    (b,) = sc.sweep({"B": (0, 0.5, 101)}).boundaries
    assert b.value == pytest.approx(0.18, abs=1e-8)  # the answer key's threshold


def test_every_model_of_the_registry_runs_batched_and_classifies_every_point():
    args = {"p": 0.6, "cR": 0.1, "cU": 0.15, "cbar": 0.3, "delta_a": 0.9, "delta_b": 0.8, "delta": 0.9, "w_a": 0.2,
            "w_b": 0.3, "u_a": None, "u_b": None, "d_a": 0.1, "d_b": 0.2, "beta": 0.5, "p1": 0.7, "p2": 0.3, "c": 0.05,
            "x0": 0.3, "mu": 0.05, "kR": 0.01, "value": 1.0, "cost": 0.25, "low": -0.5, "high": 0.5, "a": 0.1,
            "s1": 1.0, "s2": 2.0, "tau": 1.0, "R": 3.0, "P": 1.0, "B": 0.1, "g": 0.06, "k": 0.03, "omega": 0.5,
            "s": 0.06, "sigma": 1.0}
    from negosim.expr import parse_formula

    frontier = {"u_a": parse_formula("x", {"x"}), "u_b": parse_formula("1 - x", {"x"})}
    for model in MODELS.values():
        given = {n: np.full(3, args[n], dtype=float) for n in model.required if n not in model.frontier}
        q = model.compute(given, {k: v[0] for k, v in model.options.items()}, {}, frontier)
        assert set(q) == set(model.quantities), model.name
        regimes = model.classify({k: np.broadcast_to(v, (3,)) for k, v in q.items()})
        assert set(np.asarray(regimes).tolist()) <= set(model.regimes), model.name


# --- commands and the front door -----------------------------------------------------------------------


def test_solve_prints_the_quantities_and_json_carries_them(capsys):
    code, out, _ = run(["solve", SC / "fearon_risk_return.yaml"], capsys)
    assert code == 0 and "offer" in out and "0.333333" in out and "Regime: risky_offer" in out
    code, out, _ = run(["solve", SC / "fearon_risk_return.yaml", "--set", "cU=0.5", "--json"], capsys)
    doc = json.loads(out)
    (entry,) = doc["solutions"]
    assert entry["concept"] == "bargaining" and entry["model"] == "risk_return"
    assert entry["quantities"]["war_probability"] == 0.0 and entry["regime"] == "safe_offer"
    assert doc["parameters"]["cU"] == 0.5 and doc["players"] == ["RU", "UA"]


def test_set_outside_the_range_is_refused(capsys):
    code, _, err = run(["solve", SC / "powell_commitment.yaml", "--set", "delta=1"], capsys)
    assert code == 3 and "outside the declared range" in err


def test_sweep_writes_quantities_as_columns_and_regimes_as_outcomes(tmp_path, capsys):
    out_dir = tmp_path / "sweep"
    code, out, err = run(["sweep", SC / "powell_commitment.yaml", "--sweep", "power_now", "-o", out_dir], capsys)
    assert code == 0, err
    assert "boundary: p1 = 0.555" in out
    header = table_csv(out_dir).decode().splitlines()[0]
    assert header == "point,p1,concept,outcome,war,war_value,most_credible_offer,margin,tied"
    assert (out_dir / "outcome-p1.png").exists()
    summary = json.loads((out_dir / "summary.json").read_text())
    assert summary["outcome_order"] == ["war", "peace"] and summary["model"] == "powell_war"


def test_a_two_parameter_sweep_draws_the_regime_map(tmp_path, capsys):
    out_dir = tmp_path / "map"
    code, _, err = run(["sweep", SC / "powell_commitment.yaml", "--sweep", "shift", "-o", out_dir], capsys)
    assert code == 0, err
    assert (out_dir / "regime-map-p1-p2.png").exists()
    from negosim.present.figures.sweep_plots import sweep_figures

    # The regions are the model's regimes, not a game's equilibrium outcomes: the legend says so.
    ((_, fig),) = sweep_figures(out_dir)
    assert [lg.get_title().get_text() for lg in fig.legends] == ["regime"]


def test_a_random_design_of_a_bargaining_scenario_titles_its_shares_by_regime(tmp_path, capsys):
    out_dir = tmp_path / "lhs"
    code, _, err = run(["sweep", SC / "powell_commitment.yaml", "--design", "lhs", "--samples", "64", "--seed", "1",
                        "-o", out_dir], capsys)
    assert code == 0, err
    from negosim.present.figures.sweep_plots import sweep_figures

    ((_, fig),) = sweep_figures(out_dir)
    assert [lg.get_title().get_text() for lg in fig.legends] == ["regime (share of all samples)"]


def test_sweep_refuses_game_concepts_on_a_bargaining_scenario_in_one_line(tmp_path, capsys):
    code, _, err = run(["sweep", SC / "powell_commitment.yaml", "--sweep", "shift", "--concept", "qre",
                        "-o", tmp_path / "x"], capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "--concept" in err


def test_sensitivity_ranks_parameters_by_their_effect_on_the_quantities(capsys):
    code, out, err = run(["sensitivity", SC / "fearon_risk_return.yaml", "--json"], capsys)
    assert code == 0, err
    doc = json.loads(out)
    # A bargaining model's outputs are quantities, not players: the JSON names them so.
    assert doc["output"] == "quantity" and doc["quantities"][0] == "offer" and "players" not in doc
    assert "baseline_payoffs" not in doc and doc["baseline_quantities"][0] == pytest.approx(0.5)
    assert len(doc["quantities_low"]) == len(doc["quantities_high"]) == len(doc["quantities"])
    j = doc["parameters"].index("cU")
    flip = doc["flips"][j]
    assert flip["above"]["value"] == pytest.approx(0.3, abs=1e-8)  # cU = cbar: the safe offer begins


def test_sensitivity_folder_of_quantities_redraws_its_tornado(tmp_path, capsys):
    out_dir = tmp_path / "sa"
    code, _, err = run(["sensitivity", SC / "fearon_risk_return.yaml", "-o", out_dir], capsys)
    assert code == 0, err
    assert "quantities" in json.loads((out_dir / "sensitivity.json").read_text())
    (out_dir / "tornado.png").unlink()
    assert run(["plot", out_dir], capsys)[0] == 0 and (out_dir / "tornado.png").exists()


def test_explain_gives_the_derivation_with_its_numbers_and_source(capsys):
    code, out, _ = run(["explain", SC / "fearon_risk_return.yaml"], capsys)
    assert code == 0
    assert "Ukraine offers Russia x = p - z* = 0.6 - 0.1 = 0.5 because" in out
    assert "z* = (cbar - cU) / 2 = (0.3 - 0.1) / 2 = 0.1" in out and "Fearon" in out
    text = explain_bargaining(load_scenario(SC / "powell_commitment.yaml"))
    assert "does not exceed it, so a peaceful division exists" in text and "0.505" in text


@pytest.mark.parametrize("path", BARGAINING, ids=lambda p: p.stem)
def test_every_shipped_bargaining_scenario_solves_explains_and_reports(path, tmp_path, capsys):
    assert run(["solve", path], capsys)[0] == 0
    assert run(["explain", path], capsys)[0] == 0
    handout, worksheet = tmp_path / "h.html", tmp_path / "w.html"
    assert run(["report", path, "-o", handout], capsys)[0] == 0
    assert run(["report", path, "-o", worksheet, "--no-answers"], capsys)[0] == 0
    h, w = handout.read_text(), worksheet.read_text()
    assert "Answer key" in h and "<svg" in h
    sc = load_scenario(path)
    assert "Answer key" not in w and "<svg" not in w and sc.questions[0].answer.split()[0] not in ("",)
    for q in sc.questions:  # the worksheet asks, the handout answers
        assert q.answer[:30].replace("'", "&#x27;") not in w


def test_the_front_door_solves_to_a_frame_and_a_dict():
    sc = ns.load(SC / "rubinstein_war.yaml")
    sol = sc.solve(p=[0.45, 0.6])
    frame = sol.to_frame()
    assert list(frame["share"].round(6)) == [round(1 / 1.9, 6), 0.55]
    assert frame["regime"].tolist() == ["no_option_binds", "proposer_option_binds"]
    d = sc.solve().to_dict()
    assert d["model"] == "outside_options" and d["quantities"]["share"] == pytest.approx(0.55)


def test_report_draws_the_named_sweep_and_marks_overrides(tmp_path, capsys):
    out = tmp_path / "h.html"
    code, _, err = run(["report", SC / "fearon_risk_return.yaml", "-o", out, "--sweep", "leverage", "--set", "cU=0.05"],
                       capsys)
    assert code == 0, err
    html = out.read_text()
    assert "risk_return: varying p" in html and "0.05 *" in html
    code, _, err = run(["report", SC / "fearon_risk_return.yaml", "-o", out, "--sweep", "nope"], capsys)
    assert code == 2 and "no sweep named 'nope'" in err


@pytest.mark.parametrize("argv", [["solve", "--concept", "nash"], ["solve", "--rtol", "0.1"], ["solve", "--exact"],
                                  ["solve", "--strict"], ["solve", "--lambda", "1"], ["explain", "--concept", "qre"],
                                  ["explain", "--lambda", "1"], ["report", "-o", "{tmp}/h.html", "--qre"]],
                         ids=lambda a: "-".join(x for x in a if x.startswith("-") or x.isalpha()))
def test_a_game_only_option_is_refused_in_one_line_with_exit_2(argv, tmp_path, capsys):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    code, out, err = run([argv[0], SC / "fearon_risk_return.yaml", *argv[1:]], capsys)
    flag = next(a for a in argv[1:] if a.startswith("--") and a != "-o")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and flag in err


def test_the_worksheet_appendix_gives_the_closed_form_and_the_projector_large_type(tmp_path, capsys):
    sc = load_scenario(SC / "fearon_risk_return.yaml")
    closed = sc.game.model.closed_form
    plain, appendix, projected = tmp_path / "w.html", tmp_path / "wa.html", tmp_path / "p.html"
    assert run(["report", SC / "fearon_risk_return.yaml", "-o", plain, "--no-answers"], capsys)[0] == 0
    assert run(["report", SC / "fearon_risk_return.yaml", "-o", appendix, "--no-answers", "--appendix"], capsys)[0] == 0
    assert run(["report", SC / "fearon_risk_return.yaml", "-o", projected, "--projector"], capsys)[0] == 0
    w, wa, p = plain.read_text(), appendix.read_text(), projected.read_text()
    from html import escape

    assert escape(closed) not in w and 'id="appendix"' not in w
    assert escape(closed) in wa and 'id="appendix"' in wa and "Answer key" not in wa
    assert "0.3333" not in wa  # the appendix gives the formula, not the solved war probability
    assert '<body class="projector">' in p and '<body class="projector">' not in w


def test_explain_colours_only_when_asked(capsys):
    code, out, _ = run(["explain", SC / "fearon_risk_return.yaml", "--color", "always"], capsys)
    assert code == 0 and "\x1b[" in out
    code, out, _ = run(["explain", SC / "fearon_risk_return.yaml", "--color", "never"], capsys)
    assert code == 0 and "\x1b[" not in out

