"""Every game pygambit ships round-trips through negosim: read, write back, load in pygambit, same game.

Gambit itself is the oracle (pygambit, a test-only dependency): each catalogue game is written by
pygambit, read and written by negosim, and read again by pygambit, which must find the same
payoffs at every profile (strategic games) or the same tree, chance probabilities and payoffs
at every leaf (game trees). negosim needs perfect recall: it refuses exactly the games pygambit
itself reports as not having it, with one line naming the file and the line.
"""

from __future__ import annotations

import io
import warnings
from fractions import Fraction

import pytest

from negosim.errors import GameFileError, InputNote
from negosim.io import read_game, write_efg, write_nfg

pygambit = pytest.importorskip("pygambit")

CATALOG = list(pygambit.catalog.games()["Game"])
DATA = __import__("pathlib").Path(__file__).resolve().parent / "data" / "gambit"


def _leaves(game) -> list[tuple[tuple[Fraction, ...], tuple[Fraction, ...]]]:
    """For every leaf in prefix order: the chance probabilities on its path and the payoffs summed on it."""
    players = list(game.players)
    out = []
    stack = [(game.root, (), tuple(Fraction(0) for _ in players))]
    while stack:
        node, probs, pay = stack.pop()
        try:  # a node without an outcome raises KeyError (its outcome is not None but a null outcome)
            pay = tuple(p + Fraction(str(node.outcome[pl])) for p, pl in zip(pay, players))
        except KeyError:
            pass
        if node.is_terminal:
            out.append((probs, pay))
            continue
        chance = node.player.is_chance
        children = list(node.children)
        actions = list(node.infoset.actions) if chance else []
        for k in reversed(range(len(children))):
            step = (Fraction(str(actions[k].prob)),) if chance else ()
            stack.append((children[k], probs + step, pay))
    return out


def _strategic_payoffs(game) -> list[list[Fraction]]:
    return [[Fraction(str(game[profile][pl])) for pl in game.players] for profile in game.contingencies]


def _same_game(original, back) -> None:
    assert len(original.players) == len(back.players)
    if original.is_tree:
        assert back.is_tree
        assert _leaves(back) == _leaves(original)
        assert len(list(back.infosets)) == len(list(original.infosets))
    else:
        assert [len(p.strategies) for p in back.players] == [len(p.strategies) for p in original.players]
        assert _strategic_payoffs(back) == _strategic_payoffs(original)


@pytest.mark.parametrize("name", CATALOG)
def test_every_catalogue_game_round_trips_or_is_refused_for_imperfect_recall(tmp_path, name):
    game = pygambit.catalog.load(name)
    suffix = ".efg" if game.is_tree else ".nfg"
    path = tmp_path / ("game" + suffix)
    path.write_text(game.to_efg() if game.is_tree else game.to_nfg())
    if game.is_tree and not game.is_perfect_recall:
        with pytest.raises(GameFileError) as caught:
            read_game(path)
        message = str(caught.value)
        assert message.startswith(f"{path}:") and "\n" not in message
        assert "perfect recall" in message or "two nodes on one path" in message
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputNote)
        ours = read_game(path)
    text = write_efg(ours) if game.is_tree else write_nfg(ours)
    back = (pygambit.read_efg if game.is_tree else pygambit.read_nfg)(io.StringIO(text))
    _same_game(game, back)


def test_the_catalogue_has_both_kinds_of_game():
    kinds = {pygambit.catalog.load(name).is_tree for name in CATALOG}
    assert kinds == {True, False} and len(CATALOG) >= 30


FIXTURES = {
    # chance actions that share a label, as in Gambit's vonstengel2022/fig10.1.efg
    "chance_labels_repeat.efg": ("actions of chance information set 1", ("1", "2")),
    # two strategies labelled alike, as in Gambit's tests/test_games/2x2_bimatrix_all_zero_payoffs.nfg
    "strategies_labels_repeat.nfg": ("strategies of player", ("1", "2")),
    # two players labelled alike
    "players_labels_repeat.nfg": ("players", ("1", "2")),
    # a repeated action label where another action is labelled "2": the number gets a suffix
    "repeat_and_number_clash.efg": ("actions of information set 1 of player 1", ("1", "2_2", "2")),
}


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_files_with_repeated_labels_are_read_as_gambit_reads_them_with_a_note(name):
    path = DATA / name
    what, ids = FIXTURES[name]
    with pytest.warns(InputNote) as notes:
        ours = read_game(path)
    assert len(notes) == 1
    note = str(notes[0].message)
    assert note.startswith(f"{path}:") and what in note and "numbers them by position" in note
    if path.suffix == ".efg":
        assert ours.nodes[ours.root].actions == ids
    elif "players" in name:
        assert ours.players == ids
    else:
        assert ours.actions[0] == ids
    original = (pygambit.read_efg if path.suffix == ".efg" else pygambit.read_nfg)(str(path))
    text = write_efg(ours) if path.suffix == ".efg" else write_nfg(ours)
    back = (pygambit.read_efg if path.suffix == ".efg" else pygambit.read_nfg)(io.StringIO(text))
    _same_game(original, back)
