"""Several equilibria in a subgame: `spe` names its selection rule and says others exist, and a boundary
where only the selection changes is reported as a change of selection, not of the equilibria."""

import json
import subprocess
import sys
from pathlib import Path

from negosim.api import open_source, solve_source
from negosim.present.text import format_solutions
from negosim.scenario import load_scenario
from negosim.sweep.boundaries import nearest_boundaries

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "tests/data/scenarios/coordination_subgame.yaml"


def test_a_selected_subgame_equilibrium_is_not_presented_as_a_tie_rule_choice():
    source = open_source(str(SCENARIO))
    spe, pbe, nash = solve_source(source)  # a simultaneous move is an information set: pbe by default too
    assert pbe.concept == "pbe"
    assert not spe.complete.any() and spe.extra["selected"].all()
    assert not any("a player is indifferent" in n for n in spe.notes)
    (note,) = [n for n in spe.notes if "several equilibria" in n]
    assert "selection rule" in note and "another subgame-perfect equilibrium" in note
    text = format_solutions(source, [spe, nash])
    assert "chosen by the tie rules" not in text and "others exist or may exist" in text
    # The other equilibria the note speaks of are there: (y, v) is a Nash equilibrium too.
    assert {eq.outcome for eq in nash.equilibria_at(0)} >= {"xu", "yv"}


def test_a_boundary_where_only_the_selection_changes_says_so():
    scenario = load_scenario(str(SCENARIO))
    (b,) = nearest_boundaries(scenario)["t"]
    assert (b.below, b.above) == ("yv", "xu") and abs(b.value) < 1e-8
    assert b.selection and not b.tied
    plain = load_scenario(str(ROOT / "scenarios/ceasefire_2025.yaml"))  # perfect information: no selection
    assert not any(x.selection for bs in nearest_boundaries(plain).values() for x in bs)


def test_sweep_summary_and_output_mark_the_selection_boundary(tmp_path):
    out = subprocess.run([sys.executable, "-m", "negosim", "sweep", str(SCENARIO), "--vary", "t=-1:1:21", "-o",
                          str(tmp_path), "--figures", "none", "--quiet"], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    assert "a change of the selected equilibrium" in out.stdout
    (b,) = json.loads((tmp_path / "summary.json").read_text())["boundaries"]
    assert b["selection"] is True
