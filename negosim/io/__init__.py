"""Interchange: Gambit .nfg/.efg files and the JSON of `negosim solve --json`."""

from .gambit import format_number, read_efg, read_game, read_nfg, write_efg, write_nfg

__all__ = ["read_game", "read_nfg", "read_efg", "write_nfg", "write_efg", "format_number"]
