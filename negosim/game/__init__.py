"""Games: labelled normal forms and game trees, both batched over parameter points."""

from .normal import NormalFormGame
from .tree import CHANCE, DECISION, TERMINAL, GameTree, Node, Outcome

__all__ = ["NormalFormGame", "GameTree", "Node", "Outcome", "DECISION", "CHANCE", "TERMINAL"]
