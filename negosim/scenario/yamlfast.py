"""Read a plain, problem-free YAML file quickly with libyaml (PyYAML's C parser), or say it cannot.

`negosim.scenario.yamlio` reads scenario files with ruamel.yaml, whose pure-Python scanner and
parser cost about half a millisecond per game-tree node (twice: once to scan for problems, once
to load). Most files hold nothing but plain mappings, lists, numbers and text, and for those
libyaml's parser gives the same values, with their lines, about twenty times faster: its events are
read one by one into dicts and lists (composing PyYAML's node objects first cost a third more).
`fast_load` returns the same data and lines as the ruamel path for such files and ``None``
for anything else (tags, anchors, merge keys, tabs, duplicate or non-text keys, values whose meaning
under ruamel's YAML 1.2 rules this module does not reproduce, control characters, long numbers,
deep nesting, syntax errors), and the caller then takes the ruamel path, so every message about a
file with a problem stays exactly what it was.

>>> from negosim.scenario.yamlfast import fast_load
>>> fast_load("a: 1\\nb: [x, 'y', 2.5]\\n")
({'a': 1.0, 'b': ['x', 'y', 2.5]}, {('a',): 1, ('b',): 2, ('b', 0): 2, ('b', 1): 2, ('b', 2): 2, (): 1})
>>> fast_load("a: 1\\na: 2\\n") is None  # a duplicate key: the ruamel path reports it with its line
True
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import first_unprintable
from ..limits import MAX_NUMBER_CHARS, MAX_YAML_DEPTH
from .yamlscan import non_printable

# Characters that start a tag (!), an anchor (&) or a merge key (<<) anywhere in the text: a file
# holding one goes the careful way (an alias `*x` without an anchor is refused event by event, so it
# goes the careful way too). So does a tab: libyaml reads `a: x<TAB>y` as the text "x<TAB>y" where
# ruamel refuses the tab with its line.
_CAREFUL = ("!", "&", "\t", "<<")  # (searched for one by one: one `in` each is ten times faster than a regex)
# Plain scalars whose YAML 1.2 meaning (ruamel's resolver) this module reproduces.
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*(?:[eE][-+]?[0-9]+)?|[0-9]+[eE][-+]?[0-9]+|\.[0-9]+)\Z")
_NULL = frozenset(("", "~", "null", "Null", "NULL"))
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
# First characters with which ruamel's YAML 1.2 resolver may read a plain scalar as something other
# than text (numbers, dates, .inf/.nan, =); any such scalar not matched above goes the careful way.
_SPECIAL_START = frozenset("+-.0123456789=<")
# ruamel.yaml's YAML 1.2 implicit resolvers for ints, floats, timestamps and `=` (whole-value matches).
_SPECIAL = re.compile(r"""(?:
      [-+]?0b[0-1_]+ | [-+]?0o?[0-7_]+ | [-+]?[0-9_]+ | [-+]?0x[0-9a-fA-F_]+
    | [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    | [-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
    | [-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
    | [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)
    | [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
    | [0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[\ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
      (?:[\ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?
    | = )\Z""", re.X)


class _NotPlain(Exception):
    """The file holds something only the careful (ruamel) path may judge."""


def fast_load(text: str) -> tuple[Any, dict] | None:
    """Return ``(data, lines)`` for a plain YAML mapping as `yamlio` would, or None to take the careful path.

    Parameters
    ----------
    text : str
        The decoded file.

    Returns
    -------
    tuple or None
        The data (mappings as dicts, lists, numbers as float, bool, None and str) and the
        1-based line of every key and item by path (with ``()`` for the document), or None
        when the file holds anything this reader does not reproduce exactly.
    """
    if any(mark in text for mark in _CAREFUL) or non_printable(text):
        return None
    try:
        import yaml
        from yaml.cyaml import CParser
    except ImportError:  # no libyaml: the careful path is always right
        return None
    parser = CParser(text)
    try:
        return _read(parser, yaml)
    except (yaml.YAMLError, _NotPlain):
        return None
    finally:
        parser.dispose()


def _read(parser: Any, yaml: Any) -> tuple[dict, dict]:
    """Return the data and lines of the one document of `parser`'s stream, read event by event.

    libyaml's parser hands over its events (no nodes are composed, no tags resolved: a file with
    `!` never gets here, so `_scalar` resolves every value by ruamel's YAML 1.2 rules). Raises
    `_NotPlain` for anything the careful path must judge: a document that is not one mapping,
    aliases, keys that are not text or appear twice, nesting deeper than `MAX_YAML_DEPTH`.
    """
    get = parser.get_event
    scalar_event, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    if get().__class__ is not yaml.StreamStartEvent or get().__class__ is not yaml.DocumentStartEvent:
        raise _NotPlain  # an empty stream: the careful path words it
    event = get()
    if event.__class__ is not mapping_start:
        raise _NotPlain
    root_line = event.start_mark.line + 1
    lines: dict = {}
    # A big tree repeats the same keys, player ids and action names thousands of times; each plain
    # text is resolved (`_scalar`) once. Refusals end the read, so only accepted values are stored.
    plain: dict[str, Any] = {}
    root: dict = {}
    stack: list[tuple[Any, tuple, str | None]] = []  # the open collections holding the current one
    here: Any = root  # the collection being read, its path, and (in a mapping) the key read last
    path: tuple = ()
    key: str | None = None
    in_mapping = True
    while True:
        event = get()
        kind = event.__class__
        if kind is scalar_event:
            text, style = event.value, event.style
            if style:
                value = _scalar(text, style)
            else:
                value = plain.get(text, _UNSEEN)
                if value is _UNSEEN:
                    value = plain[text] = _scalar(text, style)
            if not in_mapping:
                lines[(*path, len(here))] = event.start_mark.line + 1
                here.append(value)
            elif key is None:  # a key
                if value.__class__ is not str or value in here:  # ruamel words the message
                    raise _NotPlain
                key = value
                lines[(*path, key)] = event.start_mark.line + 1
            else:
                here[key] = value
                key = None
        elif kind is mapping_start or kind is sequence_start:
            if len(stack) + 2 > MAX_YAML_DEPTH:  # the careful path names the line
                raise _NotPlain
            inner: Any = {} if kind is mapping_start else []
            if not in_mapping:
                at = (*path, len(here))
                lines[at] = event.start_mark.line + 1
                here.append(inner)
            elif key is None:  # a mapping or list as a key
                raise _NotPlain
            else:
                at = (*path, key)
                here[key] = inner
            stack.append((here, path, key))
            here, path, key, in_mapping = inner, at, None, kind is mapping_start
        elif kind in ends:
            if not stack:
                break
            here, path, key = stack.pop()
            key = None
            in_mapping = here.__class__ is dict
        else:  # an alias (its anchor would have sent the file the careful way), or stray events
            raise _NotPlain
    if get().__class__ is not yaml.DocumentEndEvent or get().__class__ is not yaml.StreamEndEvent:
        raise _NotPlain  # more than one document
    lines[()] = root_line
    return root, lines


_UNSEEN = object()


def _scalar(value: str, style: str | None) -> Any:
    """Return a scalar as ruamel reads it (`style` empty or None for a plain one), or raise `_NotPlain`."""
    if not value and not style:
        return None
    if first_unprintable(value, allowed="\n\t") is not None:
        raise _NotPlain
    if style:  # quoted or block text (explicit tags never get here) is text under either reader
        return value
    if value[0] in _SPECIAL_START:
        if len(value) > MAX_NUMBER_CHARS:
            raise _NotPlain
        if not _SPECIAL.match(value):  # text, such as a formula (_INT and _FLOAT match only within _SPECIAL)
            return value
        if _INT.match(value):
            try:
                return float(int(value))
            except OverflowError:
                return float("inf") if value[0] != "-" else float("-inf")
        if _FLOAT.match(value):
            return float(value)
        raise _NotPlain
    if value in _NULL:
        return None
    flag = _BOOL.get(value)
    return value if flag is None else flag
