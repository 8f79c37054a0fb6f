"""Read a plain, problem-free YAML file quickly with libyaml (PyYAML's C parser), or say it cannot.

`negosim.scenario.yamlio` reads scenario files with ruamel.yaml, whose pure-Python scanner and
parser cost about half a millisecond per game-tree node (twice: once to scan for problems, once
to load). Most files hold nothing but plain mappings, lists, numbers and text, and for those
libyaml's composer builds the same nodes, with their lines, about twenty times faster.
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
from .yamlscan import _NON_PRINTABLE

# Characters that start a tag (!), an anchor (&) or a merge key (<<) anywhere in the text: a file
# holding one goes the careful way (aliases need an anchor, so `*` alone is safe: libyaml refuses
# an alias to an undefined anchor as a syntax error). So does a tab: libyaml reads `a: x<TAB>y` as
# the text "x<TAB>y" where ruamel refuses the tab with its line.
_CAREFUL = re.compile(r"[!&\t]|<<")
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
    if _CAREFUL.search(text) or _NON_PRINTABLE.search(text):
        return None
    try:
        import yaml
        loader = _composer(yaml)(text)
    except (ImportError, AttributeError):  # no libyaml: the careful path is always right
        return None
    try:
        root = loader.get_single_node()
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    if root is None or not isinstance(root, yaml.MappingNode):
        return None
    walk = _Walk(yaml)
    try:
        data = walk.mapping(root, (), 1)
    except _NotPlain:
        return None
    walk.lines[()] = root.start_mark.line + 1
    return data, walk.lines


def _composer(yaml: Any) -> Any:
    """libyaml's composer without PyYAML's (YAML 1.1, pure-Python) tag resolution, which `_scalar` does itself."""

    class Composer(yaml.cyaml.CParser):
        # Explicit tags never get here (a file with `!` takes the careful path), so every node's tag
        # would be an implicit one, which `_scalar` works out by ruamel's YAML 1.2 rules instead.
        def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
            return ""

        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            return None

        def ascend_resolver(self) -> None:
            return None

    return Composer


class _Walk:
    """Turns libyaml's nodes into plain data and lines, one pass, each distinct plain scalar resolved once."""

    def __init__(self, yaml: Any):
        self.scalar_node, self.mapping_node, self.sequence_node = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode
        self.lines: dict = {}
        # A big tree repeats the same keys, player ids and action names thousands of times; each
        # plain text is resolved (`_scalar`) once. Refusals (`_NotPlain`) end the walk, so only
        # accepted values are ever stored.
        self.plain: dict[str, Any] = {}

    def scalar(self, node: Any) -> Any:
        if node.style:  # quoted or block text: the same under either reader unless unprintable
            return _scalar(node)
        value = node.value
        try:
            return self.plain[value]
        except KeyError:
            resolved = self.plain[value] = _scalar(node)
            return resolved

    def value(self, node: Any, path: tuple, depth: int) -> Any:
        """Return a node's value; `depth` is the nesting of the collection holding it."""
        kind = node.__class__
        if kind is self.scalar_node:
            return self.scalar(node)
        depth += 1
        if depth > MAX_YAML_DEPTH:  # the careful path names the line
            raise _NotPlain
        if kind is self.mapping_node:
            return self.mapping(node, path, depth)
        if kind is self.sequence_node:
            lines = self.lines
            out = []
            for i, item in enumerate(node.value):
                here = (*path, i)
                lines[here] = item.start_mark.line + 1
                out.append(self.value(item, here, depth))
            return out
        raise _NotPlain

    def mapping(self, node: Any, path: tuple, depth: int) -> dict:
        lines, scalar_node, scalar = self.lines, self.scalar_node, self.scalar
        out: dict = {}
        for key_node, value_node in node.value:
            if key_node.__class__ is not scalar_node:
                raise _NotPlain
            key = scalar(key_node)
            if key.__class__ is not str or key in out:  # non-text or duplicate keys: ruamel words the message
                raise _NotPlain
            here = (*path, key)
            lines[here] = key_node.start_mark.line + 1
            if value_node.__class__ is scalar_node:
                out[key] = scalar(value_node)
            else:
                out[key] = self.value(value_node, here, depth)
        return out


def _scalar(node: Any) -> Any:
    value = node.value
    if not value and not node.style:
        return None
    if first_unprintable(value, allowed="\n\t") is not None:
        raise _NotPlain
    if node.style:  # quoted or block text (explicit tags never get here) is text under either reader
        return value
    if value[0] in _SPECIAL_START:
        if len(value) > MAX_NUMBER_CHARS:
            raise _NotPlain
        if _INT.match(value):
            try:
                return float(int(value))
            except OverflowError:
                return float("inf") if value[0] != "-" else float("-inf")
        if _FLOAT.match(value):
            return float(value)
        if _SPECIAL.match(value):
            raise _NotPlain
        return value
    if value in _NULL:
        return None
    flag = _BOOL.get(value)
    return value if flag is None else flag
