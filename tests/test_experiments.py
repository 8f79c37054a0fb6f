"""The experiments in experiments/ regenerate the docs' sweep and sensitivity figures and tables, and
each is also a check: its tables' bisected boundaries equal the closed forms of DOMAIN sections 5 and 7
(and the sensitivity ranking's zeros are those the closed forms predict), and it exits 1 when a result
disagrees.

The oracles here are the closed forms, written out from the scenarios' baseline values; they share
no code with the scripts. Everything runs on the scripts' --quick grids (boundaries are bisected to
1e-9 whatever the grid; the Sobol indices use 64 base samples).
"""

from __future__ import annotations

import importlib.util
import json
import struct
from pathlib import Path

import numpy as np
import pytest

from negosim.scenario import load_scenario
from negosim.sweep.output import read_points

ROOT = Path(__file__).resolve().parents[1]
EXPERIMENTS = ROOT / "experiments"
TOL = 1e-8
NAMES = ("leverage_sweep", "momentum_sanctions_map", "aid_freeze_credibility", "sanctions_audience_cost")
SCRIPTS = NAMES + ("sensitivity_ranking",)
_spec = importlib.util.spec_from_file_location("test_experiments_run_all", EXPERIMENTS / "run_all.py")
run_all = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(run_all)
load = run_all.load  # an experiment script (or the scripts' helpers, "_common") as a fresh module


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    """The folder `run_all.py --quick` wrote (one subfolder per experiment); it must have exited 0."""
    folder = tmp_path_factory.mktemp("experiments")
    assert run_all.main(["--out", str(folder), "--quick"]) == 0
    return folder


@pytest.fixture(scope="module")
def ceasefire() -> dict[str, float]:
    return load_scenario(str(ROOT / "scenarios" / "ceasefire_2025.yaml")).values()


def tables(md: Path) -> list[list[dict[str, str]]]:
    """Every markdown table in `md`, as rows of {header: cell}."""
    found, block = [], []
    for line in md.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("|"):
            block.append([c.strip() for c in line.strip().strip("|").split("|")])
        elif block:
            header, rows = block[0], block[2:]
            found.append([dict(zip(header, r)) for r in rows])
            block = []
    return found


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def assert_figures(folder: Path, *stems: str) -> None:
    for stem in stems:
        width, height = png_size(folder / f"{stem}.png")
        assert width > 800 and height > 600


# --- leverage: the terms move with p, the outcome does not --------------------------------
def test_leverage_moves_russias_payoff_one_for_one_and_the_boundaries_in_mu_not_at_all(out, ceasefire):
    v, folder = ceasefire, out / "leverage_sweep"
    assert_figures(folder, "leverage", "leverage-by-momentum")
    summary = json.loads((folder / "p" / "summary.json").read_text())
    assert summary["boundaries"] == [] and list(summary["outcomes"]) == ["truce_aid"]
    payoffs, bounds = tables(folder / "leverage.md")
    C = v["cR"] + v["cU"]
    assert len(payoffs) == 5
    for row in payoffs:
        p = float(row["p"])
        assert row["outcome"] == "truce_aid"
        assert float(row["Russia's payoff (sweep)"]) == pytest.approx(p - v["Delta"] - v["cR"] + v["beta"] * C, abs=TOL)
    # with credible sanctions: Russia leaves the plain truce at beta*C + s - Delta, the frozen one at beta*C + s
    closed = {"truce_frozen": v["beta"] * C + v["s"] - v["Delta"], "war_sanctions": v["beta"] * C + v["s"]}
    assert sorted(float(r["p"]) for r in bounds) == [0.2, 0.2, 0.4, 0.4, 0.6, 0.6, 0.8, 0.8]
    for row in bounds:
        above = row["outcome below → above"].split(" → ")[1]
        assert float(row["bisected mu"]) == pytest.approx(closed[above], abs=TOL)


# --- momentum by sanctions: two straight lines in (mu, s) ---------------------------------
def test_momentum_sanctions_boundaries_lie_on_the_closed_form_lines(out, ceasefire):
    v, folder = ceasefire, out / "momentum_sanctions_map"
    assert_figures(folder, "regime-map-mu-s")
    (rows,) = tables(folder / "regime-map-mu-s.md")
    edge = v["beta"] * (v["cR"] + v["cU"])
    assert len(rows) == 8  # two boundaries at each of four rows of s
    for row in rows:
        s = float(row["s"])
        kind = row["outcome below → above"]
        closed = {"truce_aid → truce_frozen": edge + s - v["Delta"], "truce_frozen → war_sanctions": edge + s}[kind]
        assert float(row["bisected mu"]) == pytest.approx(closed, abs=TOL)


def test_every_point_of_the_momentum_sanctions_map_is_in_its_closed_form_region(out, ceasefire):
    v = ceasefire
    labels, _ = read_points(out / "momentum_sanctions_map" / "map")
    n = int(round(np.sqrt(len(labels))))
    mu, s = (a.reshape(-1) for a in np.meshgrid(np.linspace(0, 0.3, n), np.linspace(0, 0.3, n), indexing="ij"))
    plain = v["beta"] * (v["cR"] + v["cU"]) + s - v["Delta"]
    war = plain + v["Delta"]
    expected = np.where(mu < plain, "truce_aid", np.where(mu < war, "truce_frozen", "war_sanctions"))
    clear = (np.abs(mu - plain) > 1e-9) & (np.abs(mu - war) > 1e-9)
    assert len(set(expected[clear])) == 3
    assert np.array_equal(labels[clear].astype(str), expected[clear])


# --- aid freeze: credible iff omega*theta <= g + aF ---------------------------------------
def test_aid_freeze_boundaries_are_the_credibility_curve_and_ukraines_threshold(out, ceasefire):
    folder = out / "aid_freeze_credibility"
    assert_figures(folder, "aid-freeze-credibility")
    v = {**ceasefire, "eU": 0.3}  # the override the figure declares
    assert "`eU` = 0.3" in (folder / "aid-freeze-credibility.md").read_text(encoding="utf-8")
    base = json.loads((folder / "baseline-map" / "summary.json").read_text())
    assert list(base["outcomes"]) == ["truce_aid"]  # at the baseline the threat changes nothing
    (rows,) = tables(folder / "aid-freeze-credibility.md")
    scare = v["eU"] - v["mu"] - v["Delta"] - (1 - v["beta"]) * (v["cR"] + v["cU"])  # 0.045
    assert len(rows) == 10
    for row in rows:
        omega = float(row["omega"])
        closed = {"war_frozen → truce_aid": scare,
                  "truce_aid → war_aid_continued": (v["g"] + v["aF"]) / omega}[row["outcome below → above"]]
        assert float(row["bisected theta"]) == pytest.approx(closed, abs=TOL)


# --- sanctions: credible iff a >= cS - b; then the Target complies iff d >= kT ------------
def test_sanctions_threat_works_only_when_credible_and_painful_enough(out):
    folder = out / "sanctions_audience_cost"
    assert_figures(folder, "sanctions-audience-cost", "sanctions-audience-cost-map")
    v = load_scenario(str(ROOT / "scenarios" / "sanctions_threat.yaml")).values()
    summary = json.loads((folder / "a" / "summary.json").read_text())
    assert [(b["below"], b["above"]) for b in summary["boundaries"]] == [("no_threat", "complied")]
    assert summary["boundaries"][0]["value"] == pytest.approx(v["cS"] - v["b"], abs=TOL)
    (rows,) = tables(folder / "sanctions-audience-cost.md")
    assert len(rows) == 7
    for row in rows:
        at = float(row["at"].split("=")[1].split()[0])
        swept_a = row["sweep"].startswith("`a`")
        works = at >= v["kT"] if swept_a else at >= v["cS"] - v["b"]
        if not works:
            assert row["outcome below → above"] == "none (no_threat throughout)"
            continue
        assert row["outcome below → above"] == "no_threat → complied"
        closed = v["cS"] - v["b"] if swept_a else v["kT"]
        assert float(row["bisected value"]) == pytest.approx(closed, abs=TOL)


# --- sensitivity ranking: the zeros the closed forms predict ------------------------------
CEASEFIRE = ROOT / "scenarios" / "ceasefire_2025.yaml"
SOBOL_ARGS = ["--method", "sobol", "--parameters", "mu,s,k,aS,Delta,omega", "--range", "omega=0:1", "--seed", "0"]


def test_sensitivity_analyses_are_those_negosim_sensitivity_writes(out, tmp_path, capsys):
    """The figures are drawn by the command's own plot_folder from sensitivity.json, so equal files
    (but for the command line and the scenario's path) mean equal figures."""
    from negosim.cli import main as negosim

    options = {"oat": [], "sobol": [*SOBOL_ARGS, "--samples", "64"]}
    for method, extra in options.items():
        assert negosim(["sensitivity", str(CEASEFIRE), *extra, "--figures", "none", "-o", str(tmp_path / method)]) == 0
        made, expected = (json.loads((folder / method / "sensitivity.json").read_text())
                          for folder in (out / "sensitivity_ranking", tmp_path))
        for doc in (made, expected):
            del doc["command"], doc["scenario"]["path"]
        assert made == expected
        assert made["title"].startswith("US-brokered 30-day ceasefire, March 2025: ")
    assert png_size(out / "sensitivity_ranking" / "tornado.png")[1] > 600
    assert png_size(out / "sensitivity_ranking" / "sobol.png")[1] > 600


def test_one_at_a_time_p_never_flips_the_deal_mu_flips_it_at_its_closed_form_and_four_parameters_do_nothing(
        out, ceasefire):
    v = ceasefire
    data = json.loads((out / "sensitivity_ranking" / "oat" / "sensitivity.json").read_text())
    col = {n: i for i, n in enumerate(data["parameters"])}
    assert data["baseline_outcome"] == "truce_aid"
    assert data["outcome_low"][col["p"]] == data["outcome_high"][col["p"]] == "truce_aid"
    assert v["k"] <= v["aS"]  # sanctions credible: Russia leaves the plain truce at beta(cR + cU) + s - Delta
    above = data["flips"][col["mu"]]["above"]
    assert (above["below"], above["above"]) == ("truce_aid", "truce_frozen")
    assert above["value"] == pytest.approx(v["beta"] * (v["cR"] + v["cU"]) + v["s"] - v["Delta"], abs=TOL)
    # theta, g, aF only set the freeze's credibility (Ukraine accepts without it: eU <= mu + Delta +
    # (1 - beta)(cR + cU)); h only prices a counter-demand the US refuses (Russia takes the plain truce)
    swing = np.array(data["swing"], dtype=float)
    assert {n for n, j in col.items() if np.all(swing[:, j] == 0)} == {"theta", "g", "aF", "h"}
    md = (out / "sensitivity_ranking" / "tornado.md").read_text(encoding="utf-8")
    assert "no payoff are `theta`, `g`, `aF`, `h`" in md


def test_sobol_indices_vanish_exactly_where_the_closed_forms_make_an_output_ignore_a_parameter(out):
    data = json.loads((out / "sensitivity_ranking" / "sobol" / "sensitivity.json").read_text())
    outputs, params = data["outputs"], data["parameters"]
    assert set(outputs) == {"P(truce_aid)", "P(truce_frozen)", "P(war_sanctions)", "P(war_no_sanctions)",
                            "payoff US", "payoff UA", "payoff RU"}
    # Ukraine always accepts and the US always grants the counter-demand here, so the outcome is
    # Russia's: war without sanctions iff k > aS and mu > beta(cR + cU); with them iff k <= aS and
    # mu > beta(cR + cU) + s. omega is in no decision that matters and only in the US payoff.
    zero = {("P(war_no_sanctions)", "s"), ("P(war_no_sanctions)", "Delta"), ("P(war_sanctions)", "Delta")}
    zero |= {(o, "omega") for o in outputs if o != "payoff US"}
    s1, st = (np.array(data["indices"][k], dtype=float) for k in ("S1", "ST"))
    for o, output in enumerate(outputs):
        for j, param in enumerate(params):
            if (output, param) in zero:
                assert abs(s1[o, j]) <= 1e-12 and abs(st[o, j]) <= 1e-12, (output, param)
            else:
                assert st[o, j] > 0.01, (output, param)
    # P(k > aS) * P(mu > beta(cR + cU)) = 1/2 * (0.5 - 0.125) / 0.5, over 128 quasi-random points
    assert data["shares"]["war_no_sanctions"] == pytest.approx(0.375, abs=0.05)


@pytest.fixture(scope="module")
def ranking():
    return load("sensitivity_ranking")


def test_sensitivity_ranking_exits_1_when_mus_boundary_is_off_its_closed_form_by_1e_6(ranking, tmp_path,
                                                                                        monkeypatch, capsys):
    original = ranking.mu_thresholds
    monkeypatch.setattr(ranking, "mu_thresholds", lambda v: tuple(x + 1e-6 for x in original(v)))
    monkeypatch.setattr(ranking, "save_analysis", lambda *a, **k: None)  # the figures are not what is checked
    assert ranking.main(["--out", str(tmp_path), "--quick"]) == 1
    assert "MISMATCH: mu's nearest outcome change" in capsys.readouterr().err


def test_the_ranking_checks_fail_when_a_predicted_zero_is_wrong(ranking, ceasefire, monkeypatch):
    from negosim.sweep import sensitivity

    scenario = load_scenario(str(CEASEFIRE))
    oat = sensitivity.oat(scenario)
    failures = []
    ranking.check_oat(oat, ceasefire, failures)
    assert failures == []
    monkeypatch.setattr(ranking, "TRUCE_PARAMETERS", ranking.TRUCE_PARAMETERS - {"B"})  # B then "moves nothing"
    ranking.check_oat(oat, ceasefire, failures)
    assert any("no swing" in f for f in failures)

    sobol = sensitivity.sobol(scenario, samples=64, seed=0, parameters=list(ranking.SOBOL_PARAMETERS),
                              ranges=ranking.SOBOL_RANGES)
    failures = []
    ranking.check_sobol(sobol, failures)
    assert failures == []
    monkeypatch.setitem(ranking.DEPENDS, "P(truce_aid)", ({"s", "k", "aS", "Delta"}, "mu left out"))
    ranking.check_sobol(sobol, failures)
    assert any("P(truce_aid)" in f and "independent of mu" in f for f in failures)


# --- the experiments are checks -----------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_an_experiment_exits_1_when_a_boundary_is_off_its_closed_form_by_1e_6(name, tmp_path, monkeypatch, capsys):
    module = load(name)
    original = module.closed_form_boundaries
    monkeypatch.setattr(module, "closed_form_boundaries",
                        lambda *a, **k: [(x + 1e-6, below, above) for x, below, above in original(*a, **k)])
    assert module.main(["--out", str(tmp_path), "--quick"]) == 1
    assert "MISMATCH" in capsys.readouterr().err


def test_publish_copies_to_docs_and_check_reports_a_stale_copy(tmp_path):
    publish, docs = load("_common").publish, tmp_path / "docs"
    made = tmp_path / "made.md"
    made.write_text("| s |\n| ---: |\n| 0 |\n", encoding="utf-8")
    assert publish({"table.md": made}, check=True, docs=docs) == [str(docs / "table.md")]
    assert publish({"table.md": made}, check=False, docs=docs) == []
    assert (docs / "table.md").read_bytes() == made.read_bytes()
    assert publish({"table.md": made}, check=True, docs=docs) == []
    made.write_text("changed\n", encoding="utf-8")
    assert publish({"table.md": made}, check=True, docs=docs) == [str(docs / "table.md")]


@pytest.mark.parametrize("name", SCRIPTS + ("run_all",))
def test_quick_runs_are_never_published_to_the_docs(name):
    with pytest.raises(SystemExit) as exc:
        load(name).main(["--quick", "--docs"])
    assert exc.value.code == 2


def test_run_all_runs_every_experiment_script():
    scripts = {p.stem for p in EXPERIMENTS.glob("*.py")} - {"run_all", "make_handouts", "_common", "_ceasefire"}
    assert set(run_all.EXPERIMENTS) == scripts == set(SCRIPTS)


def test_make_handouts_lists_every_bargaining_and_repeated_scenario_and_renders_them(monkeypatch):
    """The handout script covers the bargaining and repeated-truce scenarios, and renders a bargaining
    scenario with its own page (open_source would refuse it: it has no game). Nothing is written."""
    from scenario_lists import BARGAINING

    handouts = load("make_handouts")
    listed = {Path(s).name for s in handouts.SCENARIOS}
    assert {p.name for p in BARGAINING} <= listed and "ceasefire_truce_repeated.yaml" in listed
    assert all((ROOT / s).exists() for s in handouts.SCENARIOS)
    monkeypatch.chdir(ROOT)  # the script's scenario paths are relative to the repository
    page = handouts.render("scenarios/rubinstein_war.yaml", answers=True, command="negosim report ...")
    sheet = handouts.render("scenarios/rubinstein_war.yaml", answers=False, command="negosim report ...")
    assert "Answer key" in page and "<svg" in page and "Answer key" not in sheet
