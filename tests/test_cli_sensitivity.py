"""`negosim sensitivity`: the table, JSON, the saved folder and its figure, and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from negosim.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEED = str(ROOT / "scenarios" / "ceasefire_2025.yaml")


def run(argv, capsys):
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_oat_table_puts_the_parameters_that_change_the_deal_first(capsys):
    code, out, err = run(["sensitivity", SEED], capsys)
    assert code == 0, err
    lines = [ln for ln in out.splitlines() if ln[:1].isalpha() and "  " in ln]
    body = [ln.split()[0] for ln in lines if ln.split()[0] in ("mu", "p", "theta", "g")]
    assert body.index("mu") < body.index("p")  # mu flips the outcome, p only moves the terms
    mu_row = next(ln for ln in out.splitlines() if ln.startswith("mu "))
    assert "above at 0.105" in mu_row and "truce_aid -> truce_frozen" in mu_row


def test_oat_json_moves_russias_payoff_one_for_one_with_leverage(capsys):
    code, out, err = run(["sensitivity", SEED, "--parameters", "p,mu", "--range", "p=0.2:0.8", "--json"], capsys)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["method"] == "oat" and doc["parameters"] == ["p", "mu"]
    ru = doc["players"].index("RU")
    assert doc["payoffs_high"][ru][0] - doc["payoffs_low"][ru][0] == pytest.approx(0.6, abs=1e-12)
    assert doc["outcome_low"][0] == doc["outcome_high"][0] == doc["baseline_outcome"] == "truce_aid"


def test_sobol_writes_its_folder_and_figure_and_plot_redraws_it(tmp_path, capsys):
    pytest.importorskip("SALib")
    out = tmp_path / "sobol"
    code, stdout, err = run(["sensitivity", SEED, "--method", "sobol", "--parameters", "mu,s,k,aS", "--samples", "256",
                             "--seed", "3", "-o", str(out)], capsys)
    assert code == 0, err
    doc = json.loads((out / "sensitivity.json").read_text())
    assert doc["method"] == "sobol" and doc["seed"] == 3 and doc["n_evaluations"] == 256 * (4 + 2)
    s1 = doc["indices"]["S1"]
    assert len(s1) == len(doc["outputs"]) and all(len(row) == 4 for row in s1)
    assert "Sobol" in stdout and (out / "sobol.png").exists()
    first = (out / "sobol.png").read_bytes()
    assert run(["plot", str(out), "-o", str(tmp_path / "again")], capsys)[0] == 0
    assert (tmp_path / "again" / "sobol.png").read_bytes() == first


def test_oat_folder_has_a_tornado(tmp_path, capsys):
    code, _, err = run(["sensitivity", SEED, "-o", str(tmp_path), "--figures", "png,svg"], capsys)
    assert code == 0, err
    assert (tmp_path / "tornado.png").exists() and (tmp_path / "tornado.svg").exists()
    assert json.loads((tmp_path / "sensitivity.json").read_text())["title"].endswith("one parameter at a time")


@pytest.mark.parametrize("argv, fragment", [
    (["--method", "sobol", "--samples", "1000"], "power of 2"),
    (["--parameters", "muu"], "did you mean 'mu'"),
    (["--range", "mu=0:2"], "range"),
    (["--range", "mu"], "NAME=LOW:HIGH"),
    (["--method", "morris", "--levels", "3"], "even"),
])
def test_sensitivity_errors_are_one_line(argv, fragment, capsys):
    code, _, err = run(["sensitivity", SEED, *argv], capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1 and fragment in err, err
