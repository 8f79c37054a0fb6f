"""Open a scenario or a Gambit file as something to solve, and solve it: what the CLI's commands share.

Python users start at the front door (`negosim.load`, `negosim.equilibria`); this module is the
command line's view: a `Source` with its path and hash, solved for every concept that applies.

>>> from negosim.api import open_source, solve_source
>>> src = open_source("scenarios/ceasefire_2025.yaml", {"mu": 0.2})
>>> [s.concept for s in solve_source(src)]
['spe', 'nash']
"""

from __future__ import annotations

import hashlib
import os
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .errors import GameError, InputNote, NegosimInputError, NegosimUsageError, Problem
from .game import GameTree, NormalFormGame
from .game.ties import TieRules
from .scenario.model import Scenario
from .solve.result import Solution

GAMBIT_SUFFIXES = (".nfg", ".efg")
FIGURE_SUFFIXES = (".png", ".svg", ".pdf")
#: What `write_game` writes, by the output's suffix.
CONVERT_SUFFIXES = (".nfg", ".efg", ".tex", *FIGURE_SUFFIXES)


@dataclass(frozen=True)
class Source:
    """A game ready to solve, with where it came from."""

    path: str
    sha256: str
    game: NormalFormGame | GameTree
    parameters: dict[str, float] = field(default_factory=dict)
    scenario: Scenario | None = None  # for scenario files

    @property
    def ties(self) -> TieRules:
        """The tie rules the game carries (the scenario's; none for a Gambit file)."""
        return self.game.ties

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
    """Return a scenario (.yaml/.yml) or a Gambit game (.nfg/.efg) as a `Source`, at its baseline plus `overrides`.

    Parameters
    ----------
    path : str
    overrides : mapping of str to float, optional
        New parameter values (checked against the declared ranges); not for a Gambit game.

    Returns
    -------
    Source

    Raises
    ------
    NegosimInputError
        For a file that cannot be read or is invalid, or an override outside its range.
    NegosimUsageError
        For overrides given with a Gambit game.
    """
    path = str(path)
    if path.lower().endswith(GAMBIT_SUFFIXES):
        if overrides:
            raise NegosimUsageError("--set applies to scenario files; a Gambit game has no parameters")
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
    return Source(path, scenario.sha256, scenario.build(), scenario.values(), scenario)


def solve_source(source: Source, concepts: str | Sequence[str] | None = None, *,
                 rtol: float | None = None, exact: bool = False,
                 lambdas: Sequence[float] | None = None, method: str | None = None) -> list[Solution]:
    """Return the verified solutions of a source for the given concepts (default: every one that applies).

    Parameters
    ----------
    source : Source
    concepts : str or sequence of str, optional
    rtol : float, optional
        Relative tolerance (default `negosim.solve.tolerance.RTOL`).
    exact : bool
        Solve "pure" and "nash" in rational arithmetic (fractions).
    lambdas : sequence of float, optional
        The precisions of "qre" (default: `negosim.solve.qre_ce.DEFAULT_LAMBDAS` and the Nash limit).
    method : {None, "lemke"}
        "lemke": "nash" of a 2-player game by Lemke-Howson from every starting label (some equilibria,
        ``complete`` False) even where enumeration fits.

    Returns
    -------
    list of Solution
        One per concept, under the game's own tie rules.

    Raises
    ------
    NegosimUsageError
        For an unknown concept or one that does not apply to the game's form.
    GameError
        Raised while solving (a game too large for a method, say), naming the file and the concept:
        ``x.efg: nash: vertex enumeration: a 27x64 game is too large ...``.
    """
    from .solve import solve
    from .solve.tolerance import RTOL

    rtol = RTOL if rtol is None else rtol
    try:
        return solve(source.game, concepts, rtol=rtol, exact=exact, lambdas=lambdas, method=method)
    except GameError as exc:
        raise _named(exc, source, _failing_concept(source, concepts, rtol)) from None


def solve_within_limits(source: Source, concepts: Sequence[str], *, rtol: float | None = None,
                        exact: bool = False, lambdas: Sequence[float] | None = None,
                        method: str | None = None) -> tuple[list[Solution], list[str]]:
    """Solve a source for the asked concepts that fit the size policy; say why the others were refused.

    Parameters
    ----------
    source : Source
    concepts : sequence of str
        The concepts asked for.
    rtol : float, optional
        Relative tolerance (default `negosim.solve.tolerance.RTOL`).
    exact : bool
        Solve "pure" and "nash" in rational arithmetic.
    lambdas : sequence of float, optional
        Precisions of the logit QRE ("qre" only).
    method : str, optional
        ``"lemke"``: "nash" of a 2-player game by Lemke-Howson.

    Returns
    -------
    solutions : list of Solution
        One per concept that fits, in the order asked.
    refused : list of str
        Why each concept that does not fit was refused (`negosim.solve.policy.refusal`).

    Raises
    ------
    TooLargeError
        When no asked concept fits (naming the file and the first refusal).

    Examples
    --------
    >>> from negosim.api import open_source, solve_within_limits
    >>> solutions, refused = solve_within_limits(open_source("scenarios/entry_deterrence.yaml"), ["spe"])
    >>> [s.concept for s in solutions], refused
    (['spe'], [])
    """
    from .solve.policy import TooLargeError, refusal

    why = {c: refusal(source.game, c) for c in concepts}
    refused = [reason for reason in why.values() if reason]
    fitting = [c for c in concepts if why[c] is None]
    if not fitting:
        raise TooLargeError(f"{source.path}: {refused[0]}")
    return solve_source(source, fitting, rtol=rtol, exact=exact, lambdas=lambdas, method=method), refused


def convert_suffix(path: str) -> str:
    """The output format `write_game` infers from `path`: its lower-case suffix.

    Parameters
    ----------
    path : str
        The output file.

    Returns
    -------
    str
        One of `CONVERT_SUFFIXES`.

    Raises
    ------
    NegosimUsageError
        For any other suffix.

    Examples
    --------
    >>> from negosim.api import convert_suffix
    >>> convert_suffix("game.EFG")
    '.efg'
    """
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in CONVERT_SUFFIXES:
        raise NegosimUsageError(f"cannot tell the format of {path!r}: "
                                "convert writes .nfg, .efg, .tex, .png, .svg or .pdf")
    return suffix


def write_game(source: Source, path: str, *, figure: str | None = None, standalone: bool = False,
               answers: bool = True) -> None:
    """Write the source's game to `path`, in the format its suffix names: a Gambit file, LaTeX or a figure.

    Figures show the primary answer (`negosim.solve.primary`) unless `answers` is False; the file
    is written atomically.

    Parameters
    ----------
    source : Source
    path : str
        Ends in ``.nfg``, ``.efg``, ``.tex``, ``.png``, ``.svg`` or ``.pdf``.
    figure : {"tree", "matrix", "best-response", "qre"}, optional
        Which figure (`negosim.present.figures.game_figure`); default: the tree of a tree, the matrix of a
        normal form.
    standalone : bool
        For LaTeX: a whole document rather than a fragment.
    answers : bool
        False: the question version (LaTeX and figures).

    Raises
    ------
    NegosimUsageError
        For an unknown suffix, or a figure that does not fit the game.
    GameError
        Raised while solving, naming the file and the concept.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from negosim.api import open_source, write_game
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     out = str(pathlib.Path(folder) / "entry.efg")
    ...     write_game(open_source("scenarios/entry_deterrence.yaml"), out)
    ...     print(pathlib.Path(out).read_text().splitlines()[0])
    EFG 2 R "Entry deterrence (a non-credible threat)" { "Entrant" "Incumbent" }
    """
    suffix = convert_suffix(path)
    if suffix in FIGURE_SUFFIXES:
        from .present.figures import save_figure
        from .present.figures.game_figure import game_figure

        tree = figure == "tree" or (figure is None and isinstance(source.game, GameTree))
        with solving(source, "qre" if figure == "qre" else "spe" if tree else "nash"):
            drawn = game_figure(source, figure, answers=answers)
        save_figure(drawn, path)
        return
    from .io.atomic import write_atomic

    write_atomic(path, converted_text(source, suffix, standalone=standalone, answers=answers))


def converted_text(source: Source, suffix: str, *, standalone: bool = False, answers: bool = True) -> str:
    """Return the source's game as the text of a ``.nfg``, ``.efg`` or ``.tex`` file.

    A tree written as ``.nfg`` becomes its reduced normal form; a normal form written as ``.efg``
    becomes a tree of simultaneous moves. LaTeX shows the game with its primary answer
    (`negosim.solve.primary`) marked.

    Parameters
    ----------
    source : Source
    suffix : {".nfg", ".efg", ".tex"}
    standalone : bool
        For LaTeX: a whole document rather than a fragment to include.
    answers : bool
        For LaTeX: False gives the question version, with no equilibrium marked.

    Returns
    -------
    str

    Raises
    ------
    NegosimUsageError
        For another suffix.
    """
    game = source.game
    if suffix == ".tex":
        from .present.report.latex import to_latex
        from .solve.primary import primary_solution

        with solving(source, "spe" if isinstance(game, GameTree) else "nash"):
            solution = primary_solution(game) if answers else None
        return to_latex(game, solution=solution, title=source.title, standalone=standalone)
    if suffix == ".nfg":
        from .io import write_nfg
        from .solve.policy import reduced_normal_form_or_refuse

        if isinstance(game, GameTree):
            game = reduced_normal_form_or_refuse(game, "a .nfg file", source.path)
        return write_nfg(game, title=source.title)
    if suffix == ".efg":
        from .game.convert import normal_to_tree
        from .io import write_efg

        return write_efg(game if isinstance(game, GameTree) else normal_to_tree(game), title=source.title)
    raise NegosimUsageError(f"cannot convert to {suffix!r}: give .nfg, .efg or .tex")


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
            solve(source.game, [concept], rtol=rtol)
        except GameError:
            return concept
    return None


def _named(exc: GameError, source: Source, concept: str | None) -> GameError:
    """`exc` with every problem naming the source's file and, when known, the concept being solved."""
    prefix = f"{concept}: " if concept else ""
    return GameError([Problem(prefix + p.message, p.file or source.path, p.line, p.path) for p in exc.problems])
