"""How large an input negosim reads: one place for every size limit, each refused with one clear line.

The limits keep every input within bounded time and memory (docs/scenario-format.md, "Limits"):
a file larger than its limit, a number longer than `MAX_NUMBER_CHARS` or with an exponent beyond
`MAX_EXPONENT`, a game with more than `MAX_PLAYERS` players or more than `MAX_PAYOFF_ENTRIES`
payoffs, or YAML nested deeper than `MAX_YAML_DEPTH` is refused before any work that grows with it.

>>> from negosim.limits import MAX_PLAYERS, MAX_NUMBER_CHARS
>>> MAX_PLAYERS, MAX_NUMBER_CHARS
(32, 1000)
"""

from __future__ import annotations

#: Largest scenario (YAML) file, in bytes: hand-written scenarios are a few kilobytes.
MAX_SCENARIO_BYTES = 2**20
#: Largest Gambit .nfg/.efg file, in bytes (about two million payoffs).
MAX_GAMBIT_BYTES = 16 * 2**20
#: Most players in a game: numpy arrays have at most 64 axes, and a game's payoffs need one per
#: player plus the player axis, a batch of parameter points and a solver's working axes.
MAX_PLAYERS = 32
#: Most payoffs in a normal-form game (profiles times players): 160 MB of floats.
MAX_PAYOFF_ENTRIES = 20_000_000
#: Most nodes in a game tree read from a file.
MAX_TREE_NODES = 1_000_000
#: Longest number, in characters (Python refuses integers of more than 4,300 digits anyway).
MAX_NUMBER_CHARS = 1000
#: Largest decimal exponent written in a number (``1e1000``); floats end near 1e308 and 1e-324.
MAX_EXPONENT = 1000
#: Deepest nesting of mappings and lists in a scenario file.
MAX_YAML_DEPTH = 50


def size_text(n_bytes: int) -> str:
    """A byte count as a person reads it: ``1 MiB``, ``16 MiB``, ``512 bytes``.

    >>> size_text(2**20), size_text(3 * 2**19), size_text(100)
    ('1 MiB', '1.5 MiB', '100 bytes')
    """
    if n_bytes >= 2**20:
        return f"{n_bytes / 2**20:g} MiB"
    if n_bytes >= 2**10:
        return f"{n_bytes / 2**10:g} KiB"
    return f"{n_bytes} bytes"
