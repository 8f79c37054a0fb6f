"""Interchange: Gambit .nfg/.efg files and the JSON of `negosim solve --json`.

The Gambit readers and writers are imported on first use (PEP 562), so that code needing only
`negosim.io.atomic` (every sweep) does not import the Gambit parsers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_exports

if TYPE_CHECKING:
    from .gambit import format_number, read_efg, read_game, read_nfg, write_efg, write_nfg

__all__ = ["read_game", "read_nfg", "read_efg", "write_nfg", "write_efg", "format_number"]


__getattr__, __dir__ = lazy_exports(__name__, dict.fromkeys(__all__, ".gambit"))
