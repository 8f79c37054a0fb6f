"""Collect problems while checking a scenario document: typed accessors that report instead of raising."""

from __future__ import annotations

import math
import re

from ..errors import FormulaError, Problem
from ..expr import Formula
from ..expr.shape import FormulaShape, parse_shaped
from .yamlio import DocPath, YamlDocument, format_path, kind

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
SCENARIO_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*\Z")
SOURCE_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]*\Z")


def suggest(name: str, candidates) -> str:
    """Return " (did you mean 'x'?)" for the closest candidate, else a short list of them, else ""."""
    candidates = [str(c) for c in candidates]
    same = [c for c in candidates if c.lower() == str(name).lower()]
    import difflib  # (a misspelt name only)

    close = same or difflib.get_close_matches(str(name), candidates, n=1)
    if close:
        return f" (did you mean {close[0]!r}?)"
    if 0 < len(candidates) <= 8:
        return f" (expected one of: {', '.join(candidates)})"
    return ""


class Checker:
    """Collects problems while checking the parts of one document; each check returns the value or None."""

    def __init__(self, doc: YamlDocument):
        self.doc = doc
        self.file = doc.file
        self.problems: list[Problem] = []
        # (formula as written, the names it may use) -> its Formula at its first place: a big tree
        # repeats a few payoff formulas at many leaves, and each distinct text is parsed once.
        self._formulas: dict[tuple, Formula] = {}
        # (formula with its numbers as '#', the names it may use) -> its checked syntax tree: the many
        # formulas of a tree that differ only in their numbers are parsed and checked once.
        self._shapes: dict[tuple, FormulaShape | None] = {}

    def report(self, path: DocPath, message: str, line: int | None = None) -> None:
        """Record a problem at `path` (and the line of `path` unless `line` is given)."""
        line = line if line is not None else self.doc.line(path)
        self.problems.append(Problem(message, file=self.file, line=line, path=format_path(path) or None))

    def line(self, path: DocPath) -> int | None:
        return self.doc.line(path)

    suggest = staticmethod(suggest)

    def mapping(self, path, value, required=(), optional=(), what="a mapping") -> dict | None:
        """Return `value` if it is a mapping; report unknown keys (with suggestions) and missing required ones."""
        if not isinstance(value, dict):
            self.report(path, f"expected {what}, got {kind(value)}")
            return None
        allowed = (*required, *optional)
        if allowed:
            for key in value:
                if key not in allowed:
                    hint = suggest(key, allowed) or f" (allowed: {', '.join(allowed)})"
                    self.report(path + (key,), f"unknown key {key!r}{hint}")
        for key in required:
            if key not in value:
                self.report(path, f"missing required key {key!r}")
        return value

    def seq(self, path, value, what="a list") -> list | None:
        if not isinstance(value, list):
            self.report(path, f"expected {what}, got {kind(value)}")
            return None
        return value

    def text(self, path, value, *, one_line=False, empty=False) -> str | None:
        """Return `value` if it is text (non-empty unless `empty`; one line if `one_line`)."""
        if not isinstance(value, str):
            hint = " (quote it to make it text)" if isinstance(value, (bool, float)) else ""
            self.report(path, f"expected text, got {kind(value)}{hint}")
            return None
        if not empty and not value.strip():
            self.report(path, "must not be empty")
            return None
        if one_line and "\n" in value.strip():
            self.report(path, "must be one line")
            return None
        return value

    def number(self, path, value) -> float | None:
        """Return `value` if it is a finite number (true/false are not numbers)."""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            shown = f" {value!r}" if isinstance(value, str) and len(value) < 40 else ""
            self.report(path, f"expected a number, got {kind(value)}{shown}")
            return None
        if not math.isfinite(value):
            self.report(path, f"must be a finite number, got {value}")
            return None
        return float(value)

    def identifier(self, path, value, what: str, pattern=IDENTIFIER) -> str | None:
        """Return `value` if it is a valid identifier; `what` names it in the message."""
        if not isinstance(value, str):
            self.report(path, f"expected {what} (text), got {kind(value)}")
            return None
        if not pattern.match(value):
            rule = (
                "a letter or _ followed by letters, digits or _"
                if pattern is IDENTIFIER
                else "letters, digits, '-' and '_' (starting with a letter or digit)"
            )
            self.report(path, f"{value!r} is not a valid {what}: use {rule}")
            return None
        return value

    def formula(self, path, value, known) -> Formula | None:
        """Return the parsed formula at `path`, or record why it cannot be parsed."""
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.report(path, f"expected a formula (a number or text such as 'p - cR'), got {kind(value)}")
            return None
        if known is not None and not isinstance(known, frozenset):
            known = frozenset(known)
        # Numbers by their repr: -0.0 == 0.0 (and hashes alike), but the formula's text differs.
        key = (value.__class__, value if isinstance(value, str) else repr(value), known)
        line, where = self.line(path), format_path(path)
        seen = self._formulas.get(key)
        if seen is not None:  # the same Formula a new parse would give, at this place
            return Formula.located(seen.source, seen.names, self.file, line, where, seen.constant, seen.run)
        try:
            formula = parse_shaped(value, known, self._shapes, file=self.file, line=line, path=where)
        except FormulaError as error:
            self.problems.extend(error.problems)
            return None
        self._formulas[key] = formula
        return formula
