"""Games: labelled normal forms and game trees, both batched over parameter points."""

from .normal import NormalFormGame
from .ties import NO_TIE_RULES, TieRules
from .tree import CHANCE, DECISION, TERMINAL, GameTree, Node, Outcome

__all__ = ["NO_TIE_RULES", "TieRules", "NormalFormGame", "GameTree", "Node", "Outcome",
           "DECISION", "CHANCE", "TERMINAL"]
