"""Read a YAML file safely into plain Python data, remembering the line of every key and item.

Only plain mappings, lists and scalars are accepted: tags (`!foo`, `!!float`), merge keys,
anchors and aliases, dates and other typed values are refused with their line, so a scenario is
data and nothing else. The text is checked first (`negosim.scenario.yamlscan`: size, control
characters, nesting depth, number length) so the parser never crashes or hangs on it. Numbers
become `float` (booleans stay `bool`: they are not numbers). Duplicate keys and syntax errors
become a `ScenarioError` carrying `file:line`.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import field
from pathlib import Path
from typing import Any

from ..errors import NegosimInputError, Problem, ScenarioError, first_unprintable
from ..limits import MAX_SCENARIO_BYTES, size_text
from ..records import dataclass  # (frozen dataclasses made with less compiling: negosim.records)
from .yamlfast import fast_load
from .yamlscan import scan_problems

#: A path into the document: mapping keys (str) and list indices (int).
DocPath = tuple



def format_path(path: DocPath) -> str:
    """Return a path as text: keys joined by dots, list items as ``[i]`` (``players[1].id``)."""
    if "" not in path:  # (an empty key adds no dot below)
        try:
            return ".".join(path)  # keys only (the usual case: every node and payoff of a tree)
        except TypeError:
            pass
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


@dataclass(frozen=True)
class YamlDocument:
    """A YAML file as plain data, with its file name, bytes hash and a line for every key and item."""

    file: str
    data: Any
    sha256: str
    lines: dict = field(default_factory=dict, repr=False)  # DocPath -> 1-based line

    def line(self, path: DocPath) -> int | None:
        """Return the line of `path`, or of its nearest ancestor that has one."""
        if path.__class__ is tuple:  # the usual case, asked several times per tree node
            found = self.lines.get(path)
            if found is not None:
                return found
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())


def read_yaml(path) -> YamlDocument:
    """Return the YAML file at `path` as a `YamlDocument`, or raise with every problem found.

    A missing or unreadable file raises `NegosimInputError`; bad UTF-8, YAML syntax errors,
    duplicate keys and non-plain values raise `ScenarioError`.
    """
    file = str(path)
    try:
        size = Path(path).stat().st_size
        if size > MAX_SCENARIO_BYTES:
            raise ScenarioError(Problem(f"the file has {size_text(size)}; a scenario file may have at most "
                                        f"{size_text(MAX_SCENARIO_BYTES)}", file=file))
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise NegosimInputError(Problem("no such file", file=file)) from None
    except IsADirectoryError:
        raise NegosimInputError(Problem("is a directory, not a file", file=file)) from None
    except OSError as exc:
        raise NegosimInputError(Problem(f"cannot read the file ({exc.strerror})", file=file)) from None
    return parse_yaml(raw, file)


def parse_yaml(raw: bytes, file: str) -> YamlDocument:
    """Return the YAML text `raw` (bytes of a file named `file`) as a `YamlDocument`."""
    sha256 = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScenarioError(
            Problem(f"the file is not valid UTF-8 text (byte 0x{raw[exc.start]:02x})", file=file, line=line)
        ) from None
    fast = fast_load(text)
    if fast is not None:  # a plain file with no problem: libyaml reads it as ruamel would, ~20x faster
        return YamlDocument(file, fast[0], sha256, fast[1])
    return _careful_parse(text, file, sha256)


def _careful_parse(text: str, file: str, sha256: str) -> YamlDocument:
    """Return `text` read by ruamel.yaml, or raise with every problem found, each with its line."""
    found = scan_problems(text, file)
    if found:
        raise ScenarioError(found)
    tree = _load(text, file)
    if tree is None:
        raise ScenarioError(Problem("the file is empty; expected a scenario (a YAML mapping)", file=file, line=1))
    lines: dict = {}
    problems: list[Problem] = []
    data = _Converter(file, lines, problems).convert(tree, ())
    if problems:
        raise ScenarioError(problems)
    if not isinstance(data, dict):
        raise ScenarioError(
            Problem(f"expected a mapping of keys (negosim, id, title, ...), not {kind(data)}", file=file, line=1)
        )
    lines.setdefault((), _start_line(tree))
    return YamlDocument(file, data, sha256, lines)


def _load(text: str, file: str):
    """Return ruamel's round-trip tree for `text`, turning YAML errors into a ScenarioError."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    # The round-trip parser builds only its own mapping, sequence and scalar types (never arbitrary
    # Python objects, whatever the tags say), and `_Converter` refuses tagged nodes outright.
    parser = YAML(typ="rt")
    parser.allow_duplicate_keys = False
    try:
        return parser.load(io.StringIO(text))
    except MarkedYAMLError as exc:
        raise ScenarioError(_yaml_problem(exc, file)) from None
    except YAMLError as exc:  # unmarked errors are rare; keep them to one line
        message = " ".join(str(exc).split())
        raise ScenarioError(Problem(f"invalid YAML: {message}", file=file)) from None


def _yaml_problem(exc, file: str) -> Problem:
    """Return one located, one-line Problem for a ruamel error (its marks are 0-based)."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    problem = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
    if type(exc).__name__ == "DuplicateKeyError":
        key = problem.split('"')[1] if problem.count('"') >= 2 else "?"
        return Problem(f"duplicate key {key!r}: a key may appear only once in a mapping", file=file, line=line)
    context = ""
    if exc.context and exc.context_mark is not None and exc.problem:
        context = f" ({' '.join(exc.context.split())} started at line {exc.context_mark.line + 1})"
    return Problem(f"invalid YAML: {problem}{context}", file=file, line=line)


def _start_line(node) -> int:
    lc = getattr(node, "lc", None)
    return (lc.line + 1) if lc is not None and lc.line is not None else 1


def number_text(value) -> str:
    """Return a number as a person writes it: 2 rather than 2.0, 0.05 rather than 0.05000000000000000277."""
    try:
        value = float(value)
    except (TypeError, ValueError, OverflowError):
        return repr(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def kind(value) -> str:
    """Return how a plain value reads in a message: 'a mapping', 'a list', 'a number', ..."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    return type(value).__name__


class _Converter:
    """Turns ruamel's round-trip objects into plain data, recording lines and refusals."""

    def __init__(self, file: str, lines: dict, problems: list[Problem]):
        self.file = file
        self.lines = lines
        self.problems = problems

    def refuse(self, path: DocPath, message: str) -> None:
        self.problems.append(
            Problem(message, file=self.file, line=self.lines.get(path), path=format_path(path) or None)
        )

    def convert(self, node, path: DocPath):
        from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar

        anchor = getattr(getattr(node, "anchor", None), "value", None)
        if anchor is not None:
            self.refuse(path, f"anchors and aliases (&{anchor}, *{anchor}) are not supported; write the value out")
            return None
        tag = getattr(getattr(node, "tag", None), "value", None)
        if isinstance(node, TaggedScalar):  # yamlscan refuses every tag first; this stays as a second guard
            self.refuse(path, f"YAML tags such as {tag} are not allowed; a scenario holds only plain values")
            return None
        if tag is not None and isinstance(node, (CommentedMap, CommentedSeq)):
            self.refuse(path, f"YAML tags such as {tag} are not allowed; a scenario holds only plain values")
            return None
        if isinstance(node, CommentedMap) and type(node) is CommentedMap:
            return self.mapping(node, path)
        if isinstance(node, CommentedSeq) and type(node) is CommentedSeq:
            out = []
            for i, item in enumerate(node):
                self.lines[path + (i,)] = node.lc.item(i)[0] + 1
                out.append(self.convert(item, path + (i,)))
            return out
        if node is None or isinstance(node, bool):
            return node if node is None else bool(node)
        if isinstance(node, int):
            try:
                return float(node)
            except OverflowError:
                return float("inf") if node > 0 else float("-inf")
        if isinstance(node, float):
            return float(node)
        if isinstance(node, str):
            bad = first_unprintable(str(node), allowed="\n\t")
            if bad is not None:
                # a double-quoted escape such as "\e[31m" would reach the terminal in every output
                self.refuse(path, f"the text holds the control character {bad!r} (U+{ord(bad):04X}); remove it")
                return None
            return str(node)
        what = type(node).__name__
        hint = "; quote it to make it text" if what in ("date", "datetime", "TimeStamp") else ""
        self.refuse(path, f"unsupported YAML value of type {what}{hint}")
        return None

    def mapping(self, node, path: DocPath) -> dict:
        if getattr(node, "merge", None):
            self.refuse(path, "merge keys (<<) are not supported; write the keys out")
        out = {}
        for key in node:
            if isinstance(key, str) and not isinstance(key, bool):
                name = str(key)
            else:
                line = node.lc.key(key)[0] + 1
                self.problems.append(
                    Problem(
                        f"key {key!r} is {kind(key)}; keys must be text (quote it)",
                        file=self.file,
                        line=line,
                        path=format_path(path) or None,
                    )
                )
                continue
            self.lines[path + (name,)] = node.lc.key(key)[0] + 1
            out[name] = self.convert(node[key], path + (name,))
        return out
