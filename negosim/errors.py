"""Errors a user can cause, carrying where in which file the problem is.

Every error a user can cause is a `NegosimError` and a `ValueError`, so library users can catch
either. `NegosimInputError` is bad input (a scenario, a game file, a formula, a parameter value);
`NegosimUsageError` is a call that does not make sense (an unknown concept, an option that does
not apply, a sweep folder that holds another sweep). The CLI turns the first into one line per
problem on stderr and exit code 3, the second (and its own command-line errors, a subclass it keeps
to itself) into one line and exit code 2. Anything else is an internal error and keeps its traceback.

>>> from negosim.errors import NegosimUsageError
>>> issubclass(NegosimUsageError, ValueError) and issubclass(NegosimInputError, ValueError)
True
"""

from __future__ import annotations

import unicodedata

from .records import dataclass  # (frozen dataclasses made with less compiling: negosim.records)

# Characters that would act on a terminal or forge a line rather than print: controls (C0, DEL,
# C1), format characters (bidirectional overrides, zero-width ones) and line/paragraph separators.
_UNPRINTABLE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def printable(text: object) -> str:
    r"""`text` safe to print on a terminal as part of one line: every control, format or separator
    character is written as a Python escape (``\n``, ``\x1b``, ``\u202e``); the rest is unchanged.

    Every user-supplied string in a message passes through here (`Problem.__str__` and the CLI's
    error printer apply it), so a key holding an escape sequence or a newline cannot colour the
    terminal or forge an extra line.

    >>> printable("bad\nok: fine\x1b[31m")
    'bad\\nok: fine\\x1b[31m'
    >>> printable("Ukraine")
    'Ukraine'
    """
    text = str(text)
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch == " " or unicodedata.category(ch) not in _UNPRINTABLE_CATEGORIES:
            out.append(ch)
        else:
            out.append(repr(ch)[1:-1])
    return "".join(out)


def first_unprintable(text: str, allowed: str = "") -> str | None:
    r"""The first character of `text` that `printable` would escape, other than those in `allowed`; or None.

    >>> first_unprintable("a\tb", allowed="\t\n") is None, first_unprintable("red \x1b[31m")
    (True, '\x1b')
    """
    if text.isprintable():
        return None
    for ch in text:
        if ch != " " and ch not in allowed and unicodedata.category(ch) in _UNPRINTABLE_CATEGORIES:
            return ch
    return None


@dataclass(frozen=True)
class Problem:
    """One problem in an input: where it is and what is wrong."""

    message: str
    file: str | None = None
    line: int | None = None  # 1-based
    path: str | None = None  # dotted key path, e.g. "game.nodes.ua.actions.accept"

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = self.file if self.line is None else f"{self.file}:{self.line}"
        parts = [p for p in (where, self.path) if p]
        parts.append(self.message)
        return printable(": ".join(parts))


class NegosimError(Exception):
    """Base of every error a user can cause; `exit_code` is the CLI's exit status for it.

    Catch it to handle any error a user can cause (bad input, a call that does not apply) while
    letting internal errors keep their traceback.

    Examples
    --------
    >>> import negosim as ns
    >>> try:
    ...     ns.equilibria(ns.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]]), "no-such-concept")
    ... except ns.NegosimError as error:
    ...     print(type(error).__name__, error.exit_code)
    NegosimUsageError 2
    """

    exit_code = 3


class NegosimInputError(NegosimError, ValueError):
    """Invalid input: a scenario, a game file, a formula or a parameter value.

    Holds every problem found, so a file's problems are reported at once. It is a `ValueError`
    too, so library code that catches `ValueError` catches it.

    Parameters
    ----------
    problems : Problem, str or list of Problem
        What is wrong; a str is one problem's message.
    **where
        ``file``, ``line`` and ``path`` of a problem given as a str.

    Examples
    --------
    >>> from negosim.errors import NegosimInputError
    >>> error = NegosimInputError("expected a number", file="s.yaml", line=4, path="parameters.mu")
    >>> print(error)
    s.yaml:4: parameters.mu: expected a number
    >>> isinstance(error, ValueError), error.exit_code
    (True, 3)
    """

    exit_code = 3

    def __init__(self, problems: Problem | str | list[Problem], **where: str | int | None) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems, **where)]  # type: ignore[arg-type]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class FormulaError(NegosimInputError):
    """A formula that cannot be parsed, uses forbidden constructs, or evaluates badly."""


class ScenarioError(NegosimInputError):
    """A scenario file that does not follow the schema or describes an invalid game."""


class GameFileError(NegosimInputError):
    """A Gambit .nfg/.efg file that cannot be read."""


class GameError(NegosimInputError):
    """A game whose structure is invalid (not a tree, imperfect recall, bad probabilities...)."""


class NegosimUsageError(NegosimError, ValueError):
    """A call that does not make sense: an unknown concept, an option that does not apply (exit code 2).

    A `ValueError` too; the library never raises the CLI's own usage-error class.

    Examples
    --------
    >>> import negosim as ns
    >>> pd = ns.load("scenarios/prisoners_dilemma.yaml")
    >>> try:
    ...     pd.solve("spe")
    ... except ValueError as error:
    ...     print(type(error).__name__)
    NegosimUsageError
    """

    exit_code = 2


#: The library's usage error under its older name (the CLI's own class is `negosim.cli.CommandLineError`).
UsageError = NegosimUsageError


class InputNote(UserWarning):
    """Something negosim did to read a valid input that its user should know (a relabelling, say).

    Issued with `warnings.warn`; `negosim.api.open_source` collects these as the source's notes,
    which the CLI prints and JSON output lists under ``warnings``.
    """

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


class VerificationError(AssertionError):
    """A solver returned a profile that is not an equilibrium: a bug in negosim, raised loudly."""
