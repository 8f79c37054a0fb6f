"""The size policy: counts known before building anything, the default run skipping what does not fit
with a note, explicit requests refused in one line (exit 6), and the large generated trees of issue 9
solved by every default command (a generous subprocess timeout guards against a hang; no timing is
asserted)."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scenario_lists import GAMES

from negosim.api import open_source
from negosim.game.generate_trees import binary_tree, centipede, public_threat, ultimatum_menu
from negosim.game.reduce import reduced_normal_form
from negosim.game.sizes import reduced_strategy_counts, sequence_counts
from negosim.io import write_efg
from negosim.solve import solve
from negosim.solve.policy import TooLargeError, pbe_fits, plan

ROOT = Path(__file__).resolve().parents[1]
HANG_GUARD = 600  # seconds: only there so that a hang fails instead of blocking the suite


def shipped_trees():
    out = []
    for path in GAMES:  # scenario_lists.BARGAINING_SKIP: bargaining forms have no game
        game = open_source(str(path)).game
        if hasattr(game, "nodes"):
            out.append((path.name, game))
    return out


@pytest.mark.parametrize("name,tree", shipped_trees() + [
    ("ultimatum 4", ultimatum_menu(4)), ("threat 3", public_threat(3)), ("centipede 21", centipede(21)),
    ("binary 4", binary_tree(4)), ("kuhn", open_source(str(ROOT / "tests/data/kuhn_poker.efg")).game),
    ("one-card poker", open_source(str(ROOT / "tests/data/one_card_poker.efg")).game)])
def test_reduced_strategy_counts_match_the_built_reduced_normal_form(name, tree):
    assert reduced_strategy_counts(tree) == reduced_normal_form(tree).shape
    n_seq = sequence_counts(tree)
    infosets = tree.infosets()
    for p in range(tree.n_players):
        own = [len(tree.nodes[nodes[0]].actions) for q, _, nodes in infosets if q == p]
        assert n_seq[p] == 1 + sum(own)


def test_counts_of_trees_far_too_large_to_build_are_exact():
    assert reduced_strategy_counts(ultimatum_menu(21)) == (42, 2**21)
    assert reduced_strategy_counts(centipede(5001)) == (1251, 1251)
    assert reduced_strategy_counts(public_threat(100))[1] == 4


def test_default_plan_keeps_nash_where_it_fits_and_skips_it_with_the_size_otherwise():
    assert plan(open_source(str(ROOT / "tests/data/one_card_poker.efg")).game).run == ("spe", "pbe", "nash")
    p = plan(centipede(5001))
    assert p.run == ("spe",)
    (skip,) = p.skipped
    assert skip.concept == "nash" and "1,251 x 1,251" in skip.reason and "even when asked" in skip.reason
    p = plan(public_threat(100))
    assert p.run == ("spe",) and [x.concept for x in p.skipped] == ["pbe", "nash"]
    assert "--concept nash" in p.skipped[1].note


def test_default_plan_of_a_tree_with_information_sets_includes_pbe_bounded_by_its_search_size():
    for name in ("sanctions_uncertain", "beer_quiche", "crisis_private_resolve", "ceasefire_private_cost"):
        assert "pbe" in plan(open_source(str(ROOT / f"scenarios/{name}.yaml")).game).run, name
    assert "pbe" not in plan(open_source(str(ROOT / "scenarios/ceasefire_2025.yaml")).game).run  # perfect information
    (skip,) = [x for x in plan(public_threat(100)).skipped if x.concept == "pbe"]
    # 100 leader types: after dominated actions are removed, still 2^89-ish support profiles
    assert "support profiles" in skip.reason and "5,000" in skip.reason and "--concept pbe" in skip.note
    assert pbe_fits(public_threat(100)) == skip.reason and pbe_fits(public_threat(3)) is None


def test_an_explicit_request_too_large_for_every_method_is_refused():
    with pytest.raises(TooLargeError, match="1,251 x 1,251") as info:
        solve(centipede(5001), ["nash"])
    assert info.value.exit_code == 6


def test_the_large_public_threat_tree_gets_its_equilibria_on_the_sequence_form():
    tree = public_threat(100)
    spe, = solve(tree)
    nash, = solve(tree, ["nash"])
    for sol in (spe, nash):
        assert len(sol.point) == 1 and sol.regret[0] <= sol.tol[()]
    # The whole tree is the only subgame, so subgame perfection is Nash equilibrium here.
    assert spe.extra["selected"].all() and not spe.complete.any()
    assert any("nash not computed by default" in n for n in spe.notes)


def run(*args):
    return subprocess.run([sys.executable, "-m", "negosim", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=HANG_GUARD)


@pytest.fixture(scope="module")
def big_trees(tmp_path_factory):
    folder = tmp_path_factory.mktemp("big")
    trees = {"ultimatum": ultimatum_menu(21), "threat": public_threat(100), "centipede": centipede(5001),
             "binary": binary_tree(11)}
    assert sum(n.kind == "decision" for n in trees["ultimatum"].nodes) == 43
    assert len(trees["centipede"].nodes) == 5001 and len(trees["binary"].nodes) == 4095
    paths = {}
    for name, tree in trees.items():
        paths[name] = folder / f"{name}.efg"
        paths[name].write_text(write_efg(tree))
    return paths


@pytest.mark.parametrize("name", ["ultimatum", "threat", "centipede", "binary"])
def test_default_commands_finish_on_large_trees(big_trees, name, tmp_path):
    path = str(big_trees[name])
    solved = run("solve", path, "--json")
    assert solved.returncode == 0, solved.stderr
    doc = json.loads(solved.stdout)
    assert doc["solutions"][0]["concept"] == "spe" and len(doc["solutions"][0]["equilibria"]) == 1
    if name != "ultimatum":  # the ultimatum's sequence form is small: its Nash equilibrium is computed
        assert any("nash not computed by default" in w for w in doc["warnings"])
    if name == "threat":  # information sets, but far too many support profiles for the default's search
        assert any("pbe not computed by default" in w and "--concept pbe" in w for w in doc["warnings"])
    text = run("solve", path)
    assert text.returncode == 0 and "Subgame-perfect equilibrium" in text.stdout
    explained = run("explain", path)
    assert explained.returncode == 0 and "Backward induction" in explained.stdout, explained.stderr
    report = run("report", path, "-o", str(tmp_path / "h.html"))
    assert report.returncode == 0, report.stderr
    assert "Subgame-perfect equilibrium" in (tmp_path / "h.html").read_text()
    converted = run("convert", path, "-o", str(tmp_path / "x.nfg"))
    assert converted.returncode == 6 and not (tmp_path / "x.nfg").exists()
    (line,) = converted.stderr.strip().splitlines()
    assert path in line and "reduced normal form would have" in line and "Traceback" not in converted.stderr


def test_off_path_ties_are_summarised_in_one_line(big_trees):
    text = run("solve", str(big_trees["binary"])).stdout
    (line,) = [t for t in text.splitlines() if "tied decisions off the path" in t]
    assert "--json lists them" in line
    assert text.count("off the equilibrium path") <= 5
    doc = json.loads(run("solve", str(big_trees["binary"]), "--json").stdout)
    n = int(line.split()[1].replace(",", ""))
    assert sum("off the equilibrium path" in w for w in doc["warnings"]) == n


def test_explicit_nash_too_large_prints_what_fits_and_exits_5(big_trees):
    both = run("solve", str(big_trees["centipede"]), "--concept", "spe,nash")
    assert both.returncode == 6 and "Subgame-perfect equilibrium" in both.stdout
    (line,) = both.stderr.strip().splitlines()
    assert str(big_trees["centipede"]) in line and "1,251 x 1,251" in line
    alone = run("solve", str(big_trees["centipede"]), "--concept", "nash")
    assert alone.returncode == 6 and alone.stdout == "" and len(alone.stderr.strip().splitlines()) == 1


def test_explicit_nash_on_a_large_two_player_tree_uses_the_sequence_form(big_trees):
    out = run("solve", str(big_trees["threat"]), "--concept", "nash", "--json")
    assert out.returncode == 0, out.stderr
    (sol,) = json.loads(out.stdout)["solutions"]
    assert sol["concept"] == "nash" and sol["complete"] is False and len(sol["equilibria"]) == 1
    behavior = sol["equilibria"][0]["behavior"]
    assert set(behavior) == {"Leader", "Follower"} and len(behavior["Leader"]) == 200
    probs = [p for sets in behavior.values() for a in sets.values() for p in a.values()]
    assert np.all(np.array(probs) >= 0)
