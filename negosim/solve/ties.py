"""Tie rules now belong to the game (`negosim.game.ties`); this name stays for existing imports."""

from ..game.ties import NO_TIE_RULES, TieRules

__all__ = ["NO_RULES", "NO_TIE_RULES", "TieRules"]

#: The same default under the name some solver modules use.
NO_RULES = NO_TIE_RULES
