"""Open a scenario or a Gambit file as something to solve, and solve it: the CLI's and users' front door.

>>> from negosim.api import open_source, solve_source
>>> src = open_source("scenarios/ceasefire_2025.yaml", {"mu": 0.2})   # doctest: +SKIP
>>> [s.concept for s in solve_source(src)]                              # doctest: +SKIP
['spe', 'nash']
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .errors import GameError, InputNote, NegosimInputError, Problem, UsageError
from .game import GameTree, NormalFormGame
from .solve.ties import TieRules

GAMBIT_SUFFIXES = (".nfg", ".efg")


@dataclass(frozen=True)
class Source:
    """A game ready to solve, with where it came from."""

    path: str
    sha256: str
    game: NormalFormGame | GameTree
    ties: TieRules = field(default_factory=TieRules)
    parameters: dict[str, float] = field(default_factory=dict)
    scenario: object | None = None  # negosim.scenario.Scenario for scenario files
    notes: tuple[str, ...] = ()  # what reading the file changed or assumed (e.g. repeated Gambit labels numbered)

    @property
    def title(self) -> str:
        if self.scenario is not None:
            return self.scenario.title
        return self.game.title or Path(self.path).name


def read_bytes(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise NegosimInputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise NegosimInputError(f"{path}: is a directory, not a file") from None
    except OSError as exc:
        raise NegosimInputError(f"{path}: cannot read ({exc.strerror})") from None


def open_source(path: str, overrides: Mapping[str, float] | None = None) -> Source:
    """Load a scenario (.yaml/.yml) or a Gambit game (.nfg/.efg) at its baseline (plus `overrides`)."""
    path = str(path)
    if path.lower().endswith(GAMBIT_SUFFIXES):
        if overrides:
            raise UsageError("--set applies to scenario files; a Gambit game has no parameters")
        from .io import read_game

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", InputNote)
            game = read_game(path)
        notes = tuple(str(w.message) for w in caught if issubclass(w.category, InputNote))
        for w in caught:
            if not issubclass(w.category, InputNote):
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        data = read_bytes(path)
        return Source(path, hashlib.sha256(data).hexdigest(), game, notes=notes)
    from .scenario import load_scenario

    scenario = load_scenario(path)
    if overrides:
        scenario = scenario.with_overrides(overrides)
    return Source(path, scenario.sha256, scenario.build(), scenario.ties, scenario.values(), scenario)


def solve_source(source: Source, concepts=None, *, rtol: float | None = None):
    """Solve a source for the given concepts (default: every concept that applies).

    A `GameError` raised while solving (a game too large for a method, say) is raised again naming
    the file and the concept: ``x.efg: nash: vertex enumeration: a 27x64 game is too large ...``.
    """
    from .solve import solve
    from .solve.tolerance import RTOL

    rtol = RTOL if rtol is None else rtol
    try:
        return solve(source.game, concepts, ties=source.ties, rtol=rtol)
    except GameError as exc:
        raise _named(exc, source, _failing_concept(source, concepts, rtol)) from None


@contextmanager
def solving(source: Source, concept: str | None = None) -> Iterator[None]:
    """Within it, a `GameError` is raised again naming the source's file and `concept`.

    For callers that solve a source's game themselves (figures, LaTeX), as `solve_source` does.
    """
    try:
        yield
    except GameError as exc:
        raise _named(exc, source, concept) from None


def _failing_concept(source: Source, concepts, rtol: float) -> str | None:
    """Which concept raises a GameError (only called once solving has failed): each is tried alone."""
    from .solve import applicable_concepts, solve

    names = applicable_concepts(source.game) if concepts is None else (
        (concepts,) if isinstance(concepts, str) else tuple(concepts))
    if len(names) == 1:
        return names[0]
    for concept in names:
        try:
            solve(source.game, [concept], ties=source.ties, rtol=rtol)
        except GameError:
            return concept
    return None


def _named(exc: GameError, source: Source, concept: str | None) -> GameError:
    """`exc` with every problem naming the source's file and, when known, the concept being solved."""
    prefix = f"{concept}: " if concept else ""
    return GameError([Problem(prefix + p.message, p.file or source.path, p.line, p.path) for p in exc.problems])
