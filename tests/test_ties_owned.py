"""The game owns its tie rules: a scenario's `ties` reach every solver and every entry point."""

import json
from pathlib import Path

import pytest

from negosim.cli import main
from negosim.game import GameTree, TieRules
from negosim.game.reduce import reduced_normal_form
from negosim.scenario import load_scenario
from negosim.solve import solve
from negosim.solve.spe import subgame_perfect

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def accommodating(tmp_path):
    """entry_deterrence with `prefer: [accommodate, in]`: at rep = 2 fighting and accommodating tie."""
    text = (ROOT / "scenarios" / "entry_deterrence.yaml").read_text()
    assert "prefer: [fight, out]" in text
    path = tmp_path / "entry_accommodating.yaml"
    path.write_text(text.replace("prefer: [fight, out]", "prefer: [accommodate, in]"))
    return path


def test_a_built_game_carries_its_scenarios_tie_rules(accommodating):
    sc = load_scenario(str(accommodating))
    tree = sc.build({"rep": 2.0})
    assert isinstance(tree, GameTree)
    assert tree.ties == sc.ties == TieRules(prefer=("accommodate", "in"))
    assert reduced_normal_form(tree).ties == sc.ties  # the reduced normal form keeps them
    assert "ties=" not in repr(tree)  # rules are data, not display


def test_entry_deterrence_tie_gives_shared_market_from_a_built_game(accommodating):
    sc = load_scenario(str(accommodating))
    (spe,) = solve(sc.build({"rep": 2.0}), "spe")
    (eq,) = spe.equilibria_at(0)
    assert eq.outcome == "shared_market" and eq.tied
    (eq,) = subgame_perfect(sc.build({"rep": 2.0})).equilibria_at(0)
    assert eq.outcome == "shared_market"


def test_entry_deterrence_tie_gives_shared_market_from_the_cli(accommodating, capsys):
    assert main(["solve", str(accommodating), "--set", "rep=2", "--concept", "spe", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    (eq,) = doc["solutions"][0]["equilibria"]
    assert eq["outcome"] == "shared_market"


def test_shipped_rules_still_decide_the_other_way(accommodating):
    """The shipped scenario prefers fight: the same tie then deters entry (so the rules matter)."""
    sc = load_scenario(str(ROOT / "scenarios" / "entry_deterrence.yaml"))
    (eq,) = solve(sc.build({"rep": 2.0}), "spe")[0].equilibria_at(0)
    assert eq.outcome == "stay_out"


def test_an_explicit_rule_still_overrides_the_games_own(accommodating):
    tree = load_scenario(str(accommodating)).build({"rep": 2.0})
    (eq,) = subgame_perfect(tree, ties=TieRules(prefer=("fight", "out"))).equilibria_at(0)
    assert eq.outcome == "stay_out"
