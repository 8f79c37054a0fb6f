"""Check a scenario's YAML text before it is parsed: what the parser would crash, hang or quietly accept on.

The YAML parser builds nested values by recursion and integers through Python's ``int``, so text
nested a thousand levels deep ends in `RecursionError` and an integer of more than 4,300 digits in
`ValueError`; a control character stops it with a message that names no line; an explicit tag such
as ``!!float`` or a merge key ``<<`` is applied silently. This module reads the text with the
YAML scanner alone (tokens, no recursion) and reports each of these with its line, so the parser
only ever sees text it can handle.

>>> from negosim.scenario.yamlscan import scan_problems
>>> [str(p) for p in scan_problems("a: !!float 1\\n", "x.yaml")]
['x.yaml:1: YAML tags such as !!float are not allowed; a scenario holds only plain values']
"""

from __future__ import annotations

import io
import re

from ..errors import Problem
from ..limits import MAX_NUMBER_CHARS, MAX_YAML_DEPTH

# The characters YAML 1.2 refuses in a stream (ruamel.yaml's Reader.NON_PRINTABLE), and the ASCII ones
# among them: most files are ASCII, and the full class takes milliseconds to compile.
_NON_PRINTABLE_CLASS = "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
_NON_PRINTABLE_ASCII = re.compile("[^\x09\x0a\x0d\x20-\x7e]")
# A plain scalar YAML would read as a number (decimal, hexadecimal, octal, with separators).
_NUMBERISH = re.compile(r"[-+]?\.?[0-9][0-9a-fA-FxXoO_.:+-]*")


def non_printable(text: str) -> re.Match | None:
    """The first character of `text` that YAML refuses in a stream (a control character), or None.

    Examples
    --------
    >>> non_printable("a: 1\\n") is None
    True
    >>> non_printable("a: \\x07").start(), non_printable("é: \\x00").group()
    (3, '\\x00')
    """
    if text.isascii():
        return _NON_PRINTABLE_ASCII.search(text)
    return re.compile(_NON_PRINTABLE_CLASS).search(text)  # (compiled once: `re` keeps its compiled patterns)


def scan_problems(text: str, file: str) -> list[Problem]:
    """Problems of the YAML `text` found before parsing it, each with `file` and its 1-based line.

    A control character or a nesting deeper than `MAX_YAML_DEPTH` stops the scan (one problem);
    tags, merge keys and numbers longer than `MAX_NUMBER_CHARS` are all reported.
    """
    bad = non_printable(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        char = bad.group()
        return [Problem(f"control character {char!r} (U+{ord(char):04X}) at column {column} is not allowed in a "
                        "YAML file; remove it (inside double quotes, write it as an escape such as \\t)",
                        file=file, line=line)]
    from ruamel.yaml import YAML
    from ruamel.yaml import tokens as t
    from ruamel.yaml.error import YAMLError

    problems: list[Problem] = []
    depth = 0
    after_key = False
    try:
        for token in YAML(typ="safe", pure=True).scan(io.StringIO(text)):
            line = token.start_mark.line + 1
            if isinstance(token, (t.BlockMappingStartToken, t.BlockSequenceStartToken, t.FlowMappingStartToken,
                                  t.FlowSequenceStartToken)):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    return [*problems, Problem(f"the YAML is nested more than {MAX_YAML_DEPTH} levels deep; a "
                                               "scenario needs a few", file=file, line=line)]
            elif isinstance(token, (t.BlockEndToken, t.FlowMappingEndToken, t.FlowSequenceEndToken)):
                depth -= 1
            elif isinstance(token, t.TagToken):
                handle, suffix = token.value
                problems.append(Problem(f"YAML tags such as {handle or ''}{suffix} are not allowed; a scenario "
                                        "holds only plain values", file=file, line=line))
            elif isinstance(token, t.ScalarToken) and token.plain:
                value = token.value
                if after_key and value == "<<":
                    problems.append(Problem("merge keys (<<) are not supported; write the keys out",
                                            file=file, line=line))
                elif len(value) > MAX_NUMBER_CHARS and _NUMBERISH.fullmatch(value):
                    problems.append(Problem(f"number {value[:20]}... has {len(value):,} characters; a scenario's "
                                            f"numbers have at most {MAX_NUMBER_CHARS:,}", file=file, line=line))
            after_key = isinstance(token, t.KeyToken)
    except YAMLError:
        pass  # a syntax error: the parser reports it with its line
    return problems
