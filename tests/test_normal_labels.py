"""`NormalFormGame`'s label checks, with and without the memory of label objects checked before.

A game built again from the same label objects (`from_bimatrix`'s defaults, `at`, `flat`,
`dataclasses.replace`) skips the label checks it already passed; every other input is converted
and checked as before, and the payoff shape is checked every time.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from negosim.errors import GameError
from negosim.game.normal import NormalFormGame


def test_labels_are_converted_to_str_whatever_their_type():
    g = NormalFormGame([np.str_("R"), 2], [[1, 2], ("a", np.str_("b"))], np.zeros((2, 2, 2)))
    assert g.players == ("R", "2") and g.actions == (("1", "2"), ("a", "b"))
    assert all(type(p) is str for p in g.players) and all(type(a) is str for acts in g.actions for a in acts)
    again = NormalFormGame(g.players, g.actions, np.ones((2, 2, 2)))  # the same objects: remembered
    assert again.players is g.players and again.actions is g.actions


@pytest.mark.parametrize("players, actions, message", [
    (("A", "A"), (("x",), ("y",)), "repeated player labels"),
    (("A", "B"), (("x", "x"), ("y",)), "repeated action labels"),
    (("A", "B"), (("x",), ()), "has no actions"),
    (("A",), (("x",), ("y",)), "action lists for 2"),
    ((), (), "at least one player"),
])
def test_bad_labels_are_refused_every_time(players, actions, message):
    for _ in range(2):  # refused labels are never remembered
        with pytest.raises(GameError, match=message):
            NormalFormGame(players, actions, np.zeros((2, 1, 1)))


def test_the_payoff_shape_is_checked_even_for_remembered_labels():
    g = NormalFormGame.from_bimatrix([[1, 0], [0, 1]], [[0, 1], [1, 0]])
    with pytest.raises(GameError, match="payoff array has shape"):
        dataclasses.replace(g, payoffs=np.zeros((2, 3, 2)))
    with pytest.raises(GameError, match="payoff array has shape"):
        NormalFormGame(g.players, g.actions, np.zeros((2, 2)))


def test_from_bimatrix_gives_the_same_game_for_one_game_and_for_a_batch():
    A, B = np.arange(6.0).reshape(2, 3), -np.arange(6.0).reshape(2, 3)
    one = NormalFormGame.from_bimatrix(A, B)
    assert one.payoffs.shape == (2, 2, 3) and one.payoffs.flags.c_contiguous
    assert (one.payoffs == np.stack([A, B])).all() and one.actions == (("1", "2"), ("1", "2", "3"))
    batch = NormalFormGame.from_bimatrix(A[None], B)  # broadcast: a batch of one
    assert batch.batch_shape == (1,) and (batch.payoffs[0] == one.payoffs).all()
    listed = NormalFormGame.from_bimatrix(A.tolist(), B.tolist(), players=["Row", "Col"])
    assert listed.players == ("Row", "Col") and (listed.payoffs == one.payoffs).all()


def test_labels_given_as_arrays_are_converted():
    g = NormalFormGame(np.array(["R", "C"]), np.array([["a", "b"], ["c", "d"]]), np.zeros((2, 2, 2)))
    assert g.players == ("R", "C") and g.actions == (("a", "b"), ("c", "d"))
