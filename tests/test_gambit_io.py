"""Gambit .nfg/.efg files: what negosim reads from them, how it writes numbers, and how it reports bad files.

Round trips (through pygambit and through negosim) are in test_gambit_roundtrip.py.
"""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negosim.errors import GameError, GameFileError
from negosim.game import CHANCE, DECISION, TERMINAL, GameTree, Node, NormalFormGame, Outcome
from negosim.io import format_number, read_efg, read_game, read_nfg, write_efg, write_nfg
from negosim.io.numbers import exact_probabilities

DATA = Path(__file__).parent / "data"

UNLABELLED_NFG = """NFG 1 R "optional title" { "Player 1" "Player 2" } { 3 2 }

1 1  0 2  0 2  1 1  0 3  2 0
"""

OUTCOME_NFG = """NFG 1 R "" { "Player 1" "Player 2" }
{ { "1" "2" } { "1" "2" } }
{
{ "Coord" 1, 1 }
{ "Miscoord" 0, 0 }
}
1 2 2 1
"""

EXAMPLE_EFG = """EFG 2 R "title" { "Player 1" "Player 2" }
"optional comment"

c "" 1 "" { "H" 1/2 "L" 1/2 } 0
p "" 1 1 "" { "A" "B" } 0
t "" 1 "win" { 1, -1 }
t "" 2 "lose" { -1, 1 }
p "" 2 1 "" { "X" "Y" } 0
t "" 2 "lose" { -1, 1 }
t "" 1 "win" { 1, -1 }
"""


def leaf(tree: GameTree, *path: str) -> int:
    """The node reached from the root by following action labels."""
    i = tree.root
    for action in path:
        node = tree.nodes[i]
        i = node.children[node.actions.index(action)]
    return i


def payoff_at(tree: GameTree, *path: str) -> tuple[float, ...]:
    node = tree.nodes[leaf(tree, *path)]
    assert node.kind == TERMINAL
    return tuple(tree.payoffs[node.outcome])


# --- the examples of GAMBIT_FORMATS.md -----------------------------------------------------


def test_unlabelled_nfg_lists_profiles_with_player_1_varying_fastest():
    game = read_nfg(UNLABELLED_NFG)
    assert game.title == "optional title"
    assert game.players == ("Player 1", "Player 2")
    assert game.actions == (("1", "2", "3"), ("1", "2"))
    assert game.outcomes is None
    # body: (1,1)=1 1  (2,1)=0 2  (3,1)=0 2  (1,2)=1 1  (2,2)=0 3  (3,2)=2 0
    expected = {(0, 0): (1, 1), (1, 0): (0, 2), (2, 0): (0, 2), (0, 1): (1, 1), (1, 1): (0, 3), (2, 1): (2, 0)}
    for (a, b), pay in expected.items():
        assert tuple(game.payoffs[:, a, b]) == pay


def test_labelled_nfg_keeps_title_players_and_strategy_labels():
    game = read_game(DATA / "inspection.nfg")
    assert isinstance(game, NormalFormGame)
    assert game.title == "Inspection"
    assert game.players == ("Inspector", "State")
    assert game.actions == (("Here", "There"), ("Cheat here", "Cheat there", "Comply"))
    assert tuple(game.payoffs[:, 0, 0]) == (2, 0)  # Here / Cheat here
    assert tuple(game.payoffs[:, 1, 0]) == (0, 2)  # There / Cheat here
    assert tuple(game.payoffs[:, 0, 1]) == (0, 2)  # Here / Cheat there
    assert tuple(game.payoffs[:, 1, 2]) == (1, 1)  # There / Comply


def test_outcome_version_nfg_sets_payoffs_and_outcome_ids_from_labels():
    game = read_nfg(OUTCOME_NFG)
    assert game.outcomes.tolist() == [["Coord", "Miscoord"], ["Miscoord", "Coord"]]
    assert game.payoffs[:, 0, 0].tolist() == [1, 1] and game.payoffs[:, 1, 0].tolist() == [0, 0]


def test_efg_example_builds_the_tree_with_chance_probabilities_and_outcome_ids():
    tree = read_efg(EXAMPLE_EFG)
    assert tree.title == "title" and tree.players == ("Player 1", "Player 2")
    root = tree.nodes[tree.root]
    assert root.kind == CHANCE and root.actions == ("H", "L")
    assert tree.chance_probs[tree.root].tolist() == [0.5, 0.5]
    assert [tree.nodes[c].player for c in root.children] == [0, 1]
    assert [o.id for o in tree.outcomes] == ["win", "lose"]
    assert payoff_at(tree, "H", "A") == (1, -1)
    assert payoff_at(tree, "H", "B") == (-1, 1)
    assert payoff_at(tree, "L", "X") == (-1, 1)
    assert payoff_at(tree, "L", "Y") == (1, -1)
    # unlabelled nodes and information sets get numbered ids
    assert root.id == "n0"
    assert tree.nodes[root.children[1]].infoset == "Player 2:1"


def test_efg_repeated_information_set_may_omit_its_actions():
    tree = read_game(DATA / "one_card_poker.efg")
    bob = [i for i, n in enumerate(tree.nodes) if n.kind == DECISION and n.player == 1]
    assert [tree.nodes[i].id for i in bob] == ["bob_after_red", "bob_after_black"]
    assert {tree.nodes[i].infoset for i in bob} == {"bob"}
    assert tree.nodes[bob[1]].actions == ("Meet", "Pass")
    assert payoff_at(tree, "Black", "Raise", "Pass") == (1, -1)  # outcome 2 reused without its payoffs
    assert tree.outcomes[tree.nodes[leaf(tree, "Black", "Raise", "Pass")].outcome].id == "Alice wins 1"


def test_empty_labels_are_numbered_from_one_by_position():
    game = read_nfg('NFG 1 R "" { "" "B" } { { "" "x" } { "y" } }\n1 2 3 4\n')
    assert game.players == ("1", "B")
    assert game.actions == (("1", "x"), ("y",))
    tree = read_efg('EFG 2 R "" { "" } p "" 1 1 "" { "" "" "c" } 0 t "" 0 t "" 0 t "" 0')
    assert tree.players == ("1",) and tree.nodes[0].actions == ("1", "2", "c")


def test_nfg_numbers_may_be_fractions_decimals_and_exponents():
    game = read_nfg('NFG 1 R "" { "A" "B" } { 2 1 }\n-1/3 1.5e-3  .25 -7\n')
    assert game.payoffs[:, 0, 0].tolist() == [float(Fraction(-1, 3)), 0.0015]
    assert game.payoffs[:, 1, 0].tolist() == [0.25, -7.0]


def test_outcome_version_names_the_null_and_unlabelled_outcomes_by_number():
    text = ('NFG 1 R "" { "A" "B" } { 2 2 }\n{ { "" 1 2 } { "same" 3 4 } { "same" 5 6 } { "war" 7, 8 } }\n'
            "0 1 4 3\n")
    game = read_nfg(text)
    assert game.outcomes.tolist() == [["o0", "war"], ["o1", "o3"]]
    assert game.payoffs[:, 0, 0].tolist() == [0, 0]
    assert game.payoffs[:, 1, 1].tolist() == [5, 6]


def test_efg_outcomes_on_inner_nodes_add_to_every_leaf_below():
    text = """EFG 2 R "" { "A" "B" }
p "" 1 1 "" { "l" "m" "r" } 1 "toll" { -1, 1/2 }
t "" 2 "prize" { 10, 0 }
t "" 0
p "" 2 1 "" { "x" } 0
t "" 3 "other" { 1, 1 }
"""
    tree = read_efg(text)
    ids = {path: tree.outcomes[tree.nodes[leaf(tree, *path)].outcome].id for path in [("l",), ("m",), ("r", "x")]}
    assert ids == {("l",): "toll+prize", ("m",): "toll", ("r", "x"): "toll+other"}
    assert payoff_at(tree, "l") == (9, 0.5)
    assert payoff_at(tree, "m") == (-1, 0.5)
    assert payoff_at(tree, "r", "x") == (0, 1.5)
    plain = read_efg('EFG 2 R "" { "A" } p "" 1 1 "" { "a" "b" } 0 t "" 0 t "" 1 "won" { 1 }')
    assert [o.id for o in plain.outcomes] == ["o0", "won"]


# --- numbers ---------------------------------------------------------------------------------


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_format_number_reads_back_as_the_same_float_and_gambit_can_parse_it(x):
    text = format_number(x)
    assert float(Fraction(text)) == x
    assert "e+" not in text and "E" not in text and not text.startswith("+")


def test_format_number_prefers_short_exact_forms():
    assert format_number(3.0) == "3" and format_number(-0.0) == "0" and format_number(1e20) == "1" + "0" * 20
    assert format_number(0.1) == "0.1"
    assert format_number(1 / 3) == "1/3" and format_number(-2 / 7) == "-2/7"
    assert format_number(0.5) == "0.5" and format_number(0.25) == "1/4"
    assert format_number(math.pi) == repr(math.pi)
    with pytest.raises(GameError):
        format_number(float("nan"))


@pytest.mark.parametrize("probs", [[0.7, 1 - 0.7], [0.1] * 10, [1 / 3] * 3, [0.6, 0.4], [0.2, 0.1, 0.7]])
def test_chance_probabilities_are_written_summing_to_exactly_one_and_reading_back_exactly(probs):
    texts = exact_probabilities(probs, "node 'x'")
    assert sum(Fraction(t) for t in texts) == 1
    assert [float(Fraction(t)) for t in texts] == probs


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(1e-6, 1e6), min_size=1, max_size=6))
def test_normalised_float_probabilities_are_written_summing_to_exactly_one(weights):
    probs = (np.array(weights) / sum(weights)).tolist()
    texts = exact_probabilities(probs, "node 'x'")
    assert sum(Fraction(t) for t in texts) == 1
    assert all(abs(float(Fraction(t)) - p) <= 1e-15 for t, p in zip(texts, probs))


def test_probabilities_far_from_summing_to_one_cannot_be_written():
    with pytest.raises(GameError, match="sum to 0.9"):
        exact_probabilities([0.5, 0.4], "node 'x'")


# --- what cannot be written ------------------------------------------------------------------


def test_only_single_games_can_be_written():
    batch = NormalFormGame(("A", "B"), (("a",), ("b",)), np.zeros((4, 2, 1, 1)))
    with pytest.raises(GameError, match="batch shape"):
        write_nfg(batch)
    tree = GameTree(("A",), (Node("r", TERMINAL, outcome=0),), 0, (Outcome("o"),), np.zeros((5, 1, 1)))
    with pytest.raises(GameError, match="batch shape"):
        write_efg(tree)


def test_labels_with_quotes_round_trip_but_a_trailing_backslash_is_refused():
    game = NormalFormGame(('say "hi"', "B"), (("a b",), ("\\n",)), np.zeros((2, 1, 1)))
    assert read_nfg(write_nfg(game)).players == game.players
    assert read_nfg(write_nfg(game)).actions == game.actions
    with pytest.raises(GameError, match="backslash"):
        write_nfg(NormalFormGame(("A\\",), (("a",),), np.zeros((1, 1))))


# --- bad files -------------------------------------------------------------------------------

INSPECTION = (DATA / "inspection.nfg").read_text()


@pytest.mark.parametrize(
    "name, text, line, fragment",
    [
        ("truncated.nfg", INSPECTION.replace("1 1  1 1", "1 1  1"), 5, "unexpected end of file: expected the payoff"),
        ("garbled.nfg", INSPECTION.replace("2 0  1 1", "2 0  1x1"), 5, "garbled number '1x1'"),
        ("header.nfg", INSPECTION.replace("NFG 1 R", "NFG 3 R"), 1, "unsupported NFG version 3"),
        ("efgfile.nfg", EXAMPLE_EFG, 1, "not a Gambit .nfg file"),
        ("short.nfg", UNLABELLED_NFG.replace("2 0", "2"), 3, "unexpected end of file"),
        ("long.nfg", UNLABELLED_NFG + "\n7\n", 5, "more payoffs than the 12"),
        ("unterminated.nfg", INSPECTION.replace('""\n', '"no closing quote\n'), 3, "unterminated string"),
        ("outcome.nfg", OUTCOME_NFG.replace('"Miscoord" 0, 0', '"Miscoord" 0'), 5,
         "outcome 2 has 1 payoff; expected 2"),
        ("truncated.efg", EXAMPLE_EFG.rsplit("t ", 1)[0], 9, "unexpected end of file: expected child 2 of 2"),
        ("payoffs.efg", EXAMPLE_EFG.replace('"win" { 1, -1 }\nt "" 2', '"win" { 1 }\nt "" 2'), 6,
         "outcome 1 has 1 payoff; expected 2"),
        ("probs.efg", EXAMPLE_EFG.replace('"L" 1/2', '"L" 1/3'), 4, "chance probabilities sum to 5/6, not exactly 1"),
        ("infoset.efg", EXAMPLE_EFG.replace('p "" 2 1 "" { "X" "Y" }', 'p "" 1 1 "" { "X" "Y" }'), 8,
         "the actions ['X', 'Y'] differ from those of information set 1 of player 1 at line 5"),
        ("player.efg", EXAMPLE_EFG.replace('p "" 2 1', 'p "" 3 1'), 8, "unknown player 3"),
        ("undefined.efg", EXAMPLE_EFG.replace('2 "lose" { -1, 1 }\np', '5\np'), 7, "outcome 5 is used before"),
        ("kind.efg", EXAMPLE_EFG.replace('t "" 1 "win" { 1, -1 }\nt', 'x "" 1 "win" { 1, -1 }\nt'), 6,
         "expected a node"),
        ("extra.efg", EXAMPLE_EFG + 't "" 0\n', 11, "the tree is complete"),
        ("null.efg", EXAMPLE_EFG.replace('1 "win" { 1, -1 }\nt "" 2', '0 "win" { 1, -1 }\nt "" 2'), 6,
         "null outcome"),
    ],
)
def test_bad_files_raise_one_line_naming_file_and_line(tmp_path, name, text, line, fragment):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(GameFileError) as caught:
        read_game(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert fragment in message
    assert "\n" not in message


def test_structural_problems_from_the_tree_checks_name_the_file_and_the_line_of_the_node(tmp_path):
    path = tmp_path / "forgetful.efg"
    path.write_text('EFG 2 R "" { "A" }\np "" 1 1 "" { "a" "b" } 0\np "" 1 2 "" { "x" } 0\nt "" 0\n'
                    'p "" 1 2 "" { "x" } 0\nt "" 0\n')
    with pytest.raises(GameFileError, match="perfect recall") as caught:
        read_game(path)
    # node n3 (line 5) is reached after another move of A's than node n1 (line 3)
    assert str(caught.value).startswith(f"{path}:5: ")


def test_information_sets_of_two_players_with_one_label_get_distinct_ids():
    tree = read_efg('EFG 2 R "" { "A" "B" } p "" 1 1 "move" { "a" } 0 p "" 2 1 "move" { "b" } 0 t "" 0')
    assert [n.infoset for n in tree.nodes[:2]] == ["A:1", "B:1"]


def test_unknown_extension_and_missing_file_are_game_file_errors(tmp_path):
    with pytest.raises(GameFileError, match="ends in .nfg or .efg"):
        read_game(tmp_path / "game.txt")
    with pytest.raises(GameFileError, match="no such file"):
        read_game(tmp_path / "missing.efg")
