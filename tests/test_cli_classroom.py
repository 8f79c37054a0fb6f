"""The classroom commands from the command line: explain, report, play, and convert to LaTeX and figures."""

import subprocess
import sys
from pathlib import Path

import pytest

from negosim.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEED = str(ROOT / "scenarios" / "ceasefire_2025.yaml")
PD = str(ROOT / "scenarios" / "prisoners_dilemma.yaml")


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_explain_derives_the_seed_by_backward_induction_in_plain_text(capsys):
    code, out, err = run(["explain", SEED, "--color", "never"], capsys)
    assert code == 0, err
    assert "\x1b[" not in out
    assert "impose" in out and "hold" in out and "truce_aid" in out
    assert "0.105" in out  # the boundary in mu: beta*(cR + cU) + s - Delta


def test_explain_colours_only_when_asked(capsys):
    assert "\x1b[" in run(["explain", PD, "--color", "always"], capsys)[1]
    assert "\x1b[" not in run(["explain", PD, "--color", "auto"], capsys)[1]  # captured stdout is no terminal


def test_report_writes_a_handout_and_a_worksheet(tmp_path, capsys):
    answers, worksheet = tmp_path / "h.html", tmp_path / "w.html"
    assert run(["report", SEED, "-o", str(answers)], capsys)[0] == 0
    assert run(["report", SEED, "-o", str(worksheet), "--no-answers"], capsys)[0] == 0
    full, blank = answers.read_text(), worksheet.read_text()
    assert full.startswith("<!DOCTYPE html>") and "<svg" in full and "<script" not in full
    assert "truce_aid" in full
    assert len(blank) < len(full)
    assert run(["report", SEED, "-o", str(tmp_path / "h.pdf")], capsys)[0] == 2


def test_play_from_standard_input_reaches_the_truce(tmp_path):
    done = subprocess.run([sys.executable, "-m", "negosim", "play", SEED, "--as", "UA", "--seed", "1"],
                          input="accept\n", capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "truce_aid" in done.stdout
    eof = subprocess.run([sys.executable, "-m", "negosim", "play", SEED, "--as", "RU"],
                         input="", capture_output=True, text=True, cwd=ROOT)
    assert eof.returncode == 0 and "Traceback" not in eof.stderr


def test_play_follows_the_equilibrium_the_teacher_picks_from_standard_input():
    chicken = str(ROOT / "scenarios" / "chicken.yaml")
    done = subprocess.run([sys.executable, "-m", "negosim", "play", chicken, "--as", "Row", "--equilibrium", "3",
                           "--seed", "1"], input="straight\n", capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "Column driver (Column) chooses swerve." in done.stdout and "Match: equilibrium 3" in done.stdout
    bad = subprocess.run([sys.executable, "-m", "negosim", "play", chicken, "--as", "Row", "--equilibrium", "9"],
                         input="straight\n", capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert bad.stderr.strip().splitlines() == [
        "--equilibrium 9: the game has 3 Nash equilibria (numbered as in `negosim solve`); choose 1-3"]


def test_play_as_an_unknown_player_is_a_usage_error(capsys):
    code, _, err = run(["play", SEED, "--as", "FR"], capsys)
    assert code == 2
    assert "US" in err and "RU" in err


@pytest.mark.parametrize(
    "src, name, extra, magic",
    [
        (SEED, "tree.png", [], b"\x89PNG"),
        (PD, "matrix.svg", [], b"<?xml"),
        (PD, "br.pdf", ["--figure", "best-response"], b"%PDF"),
        (str(ROOT / "scenarios" / "entry_deterrence.yaml"), "nf.png", ["--figure", "matrix"], b"\x89PNG"),
    ],
)
def test_convert_draws_figures(src, name, extra, magic, tmp_path, capsys):
    out = tmp_path / name
    code, _, err = run(["convert", src, "-o", str(out), *extra], capsys)
    assert code == 0, err
    assert out.read_bytes().startswith(magic)


def test_convert_refuses_a_tree_figure_of_a_normal_form(tmp_path, capsys):
    code, _, err = run(["convert", PD, "-o", str(tmp_path / "t.png"), "--figure", "tree"], capsys)
    assert code == 2 and "normal form" in err


def test_convert_writes_latex_for_matrix_and_tree(tmp_path, capsys):
    pd, tree = tmp_path / "pd.tex", tmp_path / "tree.tex"
    assert run(["convert", PD, "-o", str(pd)], capsys)[0] == 0
    assert run(["convert", SEED, "-o", str(tree), "--standalone"], capsys)[0] == 0
    assert "\\begin{game}{2}{2}" in pd.read_text()
    text = tree.read_text()
    assert "\\documentclass" in text and "tikzpicture" in text
