"""Structural checks of game trees (owned by the tree/SPE work; minimal version)."""

from __future__ import annotations


def check_tree(tree) -> None:
    """Raise GameError if `tree` is not a valid finite game tree."""
    return None
