"""Gambit's game files (.nfg strategic games, .efg game trees): read and write them exactly.

Numbers are read exactly (integers, decimals, ``a/b``) and converted to the nearest float;
numbers are written so they read back as the same float (`format_number`). How file labels
become negosim ids, and how ids become labels when writing, is described in `negosim.io.nfg`
and `negosim.io.efg`. Every problem in a file raises `GameFileError` with ``file:line: message``.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import GameFileError, Problem
from ..game.normal import NormalFormGame
from ..game.tree import GameTree
from ..limits import MAX_GAMBIT_BYTES, size_text
from .efg import read_efg, write_efg
from .nfg import read_nfg, write_nfg
from .numbers import format_number

__all__ = ["read_game", "read_nfg", "read_efg", "write_nfg", "write_efg", "format_number"]


def read_game(path: str | os.PathLike[str]) -> NormalFormGame | GameTree:
    """The game in the Gambit file at `path`, by its extension: .nfg or .efg.

    Parameters
    ----------
    path : str or path-like
        A ``.nfg`` (strategic form) or ``.efg`` (game tree) file.

    Returns
    -------
    NormalFormGame or GameTree

    Raises
    ------
    GameFileError
        For a file that cannot be read, naming the file and line.

    Examples
    --------
    >>> from negosim.io import read_game
    >>> game = read_game("tests/data/inspection.nfg")
    >>> game.players, game.shape
    (('Inspector', 'State'), (2, 3))"""
    name = str(path)
    suffix = Path(name).suffix.lower()
    if suffix not in (".nfg", ".efg"):
        raise GameFileError(Problem("cannot tell the format of the file: a Gambit game file ends in .nfg or .efg",
                                    name))
    try:
        size = Path(name).stat().st_size
        if size > MAX_GAMBIT_BYTES:
            raise GameFileError(Problem(f"the file has {size_text(size)}; negosim reads Gambit files of at most "
                                        f"{size_text(MAX_GAMBIT_BYTES)}", name))
        data = Path(name).read_bytes()
    except FileNotFoundError:
        raise GameFileError(Problem("no such file", name)) from None
    except OSError as exc:
        raise GameFileError(Problem(f"cannot read ({exc.strerror})", name)) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")  # older Gambit files are in the platform's 8-bit encoding
    return read_nfg(text, file=name) if suffix == ".nfg" else read_efg(text, file=name)
