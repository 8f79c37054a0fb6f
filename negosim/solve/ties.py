"""Tie rules now belong to the game (`negosim.game.ties`); this name stays for existing imports."""

from ..game.ties import NO_TIE_RULES, TieRules

__all__ = ["NO_TIE_RULES", "TieRules"]
