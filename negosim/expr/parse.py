"""Parse a payoff formula once, against a whitelist of Python expression syntax.

The text is read with ``ast.parse(mode="eval")``, which only builds a syntax tree: nothing
is compiled to code or run. `check_tree` then accepts numbers, names, ``+ - * / **``,
comparisons, ``and or not``, ``a if c else b`` and calls of the functions in `FUNCTIONS`,
and rejects everything else with a message naming the construct. Length and nesting are
bounded, and constant exponents are bounded while compiling (see `evaluate`).
"""

from __future__ import annotations

import ast
import math
import numbers
import re
import unicodedata
import warnings
from collections.abc import Iterable
from typing import Any

import numpy as np

from ..errors import FormulaError, Problem
from .evaluate import ExponentTooLarge, compile_tree, same_chain
from .formula import Formula, not_finite_message, show

MAX_LENGTH = 1000
MAX_DEPTH = 32

# name -> (least, most) number of positional arguments; None = no upper bound.
ARITY: dict[str, tuple[int, int | None]] = {
    "min": (2, None),
    "max": (2, None),
    "abs": (1, 1),
    "exp": (1, 1),
    "log": (1, 1),
    "sqrt": (1, 1),
    "clip": (3, 3),
    "where": (3, 3),
}
FUNCTIONS: frozenset[str] = frozenset(ARITY)
_SIGNATURE = {
    "min": "min(a, b, ...)",
    "max": "max(a, b, ...)",
    "clip": "clip(x, low, high)",
    "where": "where(condition, a, b)",
}

_ALLOWED_OPERATORS = "+ - * / ** < <= > >= == != and or not"
_FORBIDDEN_OPERATORS = {
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.BitAnd: "&",
    ast.Invert: "~",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
}
_COMPREHENSION = "comprehensions are not allowed"
_FORBIDDEN_NODES = {
    ast.Attribute: "attribute access (x.y) is not allowed",
    ast.Subscript: "subscripts (x[i]) are not allowed",
    ast.Slice: "slices (a:b) are not allowed",
    ast.Lambda: "lambda functions are not allowed",
    ast.ListComp: _COMPREHENSION,
    ast.SetComp: _COMPREHENSION,
    ast.DictComp: _COMPREHENSION,
    ast.GeneratorExp: _COMPREHENSION,
    ast.JoinedStr: "strings (including f-strings) are not allowed",
    ast.FormattedValue: "strings (including f-strings) are not allowed",
    ast.NamedExpr: "assignment (:=) is not allowed",
    ast.Starred: "starred expressions (*x) are not allowed",
    ast.List: "lists [...] are not allowed",
    ast.Tuple: "tuples (a, b) are not allowed",
    ast.Set: "sets {...} are not allowed",
    ast.Dict: "dicts {...} are not allowed",
    ast.Await: "await is not allowed",
    ast.Yield: "yield is not allowed",
    ast.YieldFrom: "yield is not allowed",
}
_ALLOWED_NODES = (ast.Constant, ast.Name, ast.BinOp, ast.UnaryOp, ast.Compare, ast.BoolOp, ast.IfExp, ast.Call)


class _Rejected(Exception):
    """A reason to reject a formula (the message, without the location)."""


def parse_formula(
    source: str | int | float,
    known_names: Iterable[str] | None = None,
    *,
    file: str | None = None,
    line: int | None = None,
    path: str | None = None,
) -> Formula:
    """Return the parsed `Formula` for a number or a formula string, or raise FormulaError.

    Parameters
    ----------
    source : str, int or float
        A number or a formula such as ``"p * (1 - c)"`` (arithmetic, comparisons and the
        functions of `negosim.expr.FUNCTIONS`; never passed to eval).
    known_names : iterable of str, optional
        The names the formula may use (parameters and derived values); None accepts any identifier.
    file, line, path : optional
        Where the formula was written, for the error.

    Returns
    -------
    Formula

    Raises
    ------
    FormulaError
        One Problem located at `file`/`line`/`path`.

    Examples
    --------
    >>> from negosim.expr import parse_formula
    >>> f = parse_formula("p * (1 - c)", ["p", "c"])
    >>> sorted(f.names), float(f.evaluate({"p": 0.5, "c": 0.2}))
    (['c', 'p'], 0.4)
    """
    try:
        return _parse(source, None if known_names is None else frozenset(known_names), file, line, path)
    except _Rejected as reason:
        raise FormulaError(Problem(str(reason), file=file, line=line, path=path)) from None


def formula_text_and_tree(
    source: str | int | float,
    known_names: frozenset[str] | None,
    *,
    file: str | None = None,
    line: int | None = None,
    path: str | None = None,
) -> tuple[Formula, ast.expr | None]:
    """Return `parse_formula`'s answer and the checked syntax tree it compiled (None for a number).

    The tree is the caller's to keep (`negosim.expr.shape` fills its numbers in).
    """
    try:
        return _parse(source, known_names, file, line, path, with_tree=True)
    except _Rejected as reason:
        raise FormulaError(Problem(str(reason), file=file, line=line, path=path)) from None


def _parse(source, known, file, line, path, with_tree: bool = False) -> Any:
    where = dict(file=file, line=line, path=path)
    if isinstance(source, (bool, np.bool_)):
        raise _Rejected(f"true/false is not a formula; write 1 or 0 (got {source!r})")
    if isinstance(source, numbers.Integral):
        formula = _number_formula(repr(int(source)), source, where)
        return (formula, None) if with_tree else formula
    if isinstance(source, numbers.Real):
        formula = _number_formula(repr(float(source)), source, where)
        return (formula, None) if with_tree else formula
    if not isinstance(source, str):
        raise _Rejected(f"a formula must be a number or a string, not {type(source).__name__}")
    source = str(source)  # a str subclass (e.g. from a YAML reader) becomes a plain str
    text = _prepare(source)
    tree = _syntax_tree(text, source)
    names = check_tree(tree, known, source)
    try:
        compiled = compile_tree(tree)
    except ExponentTooLarge as reason:
        raise _Rejected(f"in formula {show(source)}: {reason}") from None
    constant = None
    if compiled.constant is not None:
        constant = float(compiled.constant)
        if not np.isfinite(constant):
            raise _Rejected(not_finite_message(source, np.asarray(constant), {}))
    formula = Formula(source, frozenset(names), constant=constant, run=compiled.run, **where)
    return (formula, tree) if with_tree else formula


def formula_tree(formula: Formula) -> ast.expr:
    """Return the syntax tree of a formula that `parse_formula` accepted (for compiling it again).

    Examples
    --------
    >>> import ast
    >>> ast.dump(formula_tree(parse_formula("a * 2")))
    "BinOp(left=Name(id='a', ctx=Load()), op=Mult(), right=Constant(value=2))"
    """
    return ast.parse(_prepare(formula.source), mode="eval").body


def _number_formula(text: str, value, where) -> Formula:
    try:
        number = float(value)
    except OverflowError:
        number = float("inf")
    if not np.isfinite(number):
        raise _Rejected(f"number {text} is not finite (too large, infinite or NaN)")
    constant = np.float64(number)
    return Formula(text, frozenset(), constant=number, run=lambda env: np.asarray(constant), **where)


def _prepare(source: str) -> str:
    """Return the text to parse: bounded length, no comments, lines joined, stripped."""
    if len(source) > MAX_LENGTH:
        raise _Rejected(
            f"formula {show(source)} is longer than {MAX_LENGTH} characters ({len(source)}); "
            "split it into derived values"
        )
    if "#" in source:
        # A comment would silently swallow the rest of a line once lines are joined.
        raise _Rejected(f"in formula {show(source)}: comments (#) are not allowed")
    text = " ".join(source.splitlines()).strip()
    if not text:
        raise _Rejected("formula is empty")
    if not text.isascii():
        _check_identifiers(text, source)
    return text


_IDENTIFIER = re.compile(r"[^\W\d]\w*")


def _check_identifiers(text: str, source: str) -> None:
    """Reject a name Python would silently read as another: it normalises identifiers (NFKC), so a
    fullwidth ``ｐ`` is the parameter ``p`` and a ligature ``ﬁ`` is ``fi``."""
    for name in _IDENTIFIER.findall(text):
        plain = unicodedata.normalize("NFKC", name)
        if plain != name:
            raise _Rejected(f"in formula {show(source)}: the name {name!r} would be read as {plain!r} (Python "
                            f"normalises compatibility characters such as fullwidth letters); write {plain!r}")


def _syntax_tree(text: str, source: str) -> ast.expr:
    """Return the expression tree of `text`, or reject it with Python's syntax message."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SyntaxWarnings would go to stderr
        try:
            return ast.parse(text, mode="eval").body
        except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
            problem = error
        # "x := 1" is a syntax error as written, but the construct deserves its own message.
        try:
            check_tree(ast.parse(f"({text})", mode="eval").body, None, source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            pass
    if isinstance(problem, SyntaxError):
        message = problem.msg
        if problem.offset:
            message += f" at column {problem.offset}"
    elif isinstance(problem, ValueError):
        message = str(problem)
    else:
        message = "too deeply nested"
    raise _Rejected(f"in formula {show(source)}: syntax error: {message}")


def check_tree(tree: ast.expr, known: frozenset[str] | None, source: str) -> list[str]:
    """Return the names `tree` uses, in order, or reject its first forbidden construct."""
    names: list[str] = []
    stack: list[tuple[ast.AST, int]] = [(tree, 1)]
    while stack:  # iterative: the parser accepts chains far deeper than Python recursion
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _Rejected(
                f"formula {show(source)} is nested deeper than {MAX_DEPTH} levels; "
                "split it into derived values"
            )
        try:
            children = _check_node(node, known)
        except _Rejected as reason:
            raise _Rejected(f"in formula {show(source)}: {reason}") from None
        if isinstance(node, ast.Name):
            names.append(node.id)
        for child in reversed(children):
            stack.append((child, depth if same_chain(node, child) else depth + 1))
    return list(dict.fromkeys(names))


def _check_node(node: ast.AST, known: frozenset[str] | None) -> list[ast.AST]:
    """Return the children of an allowed node to check next, or reject it."""
    if type(node) in _FORBIDDEN_NODES:
        raise _Rejected(_FORBIDDEN_NODES[type(node)])
    if not isinstance(node, _ALLOWED_NODES):
        raise _Rejected(f"{type(node).__name__} expressions are not allowed")
    if isinstance(node, ast.Constant):
        _check_constant(node.value)
        return []
    if isinstance(node, ast.Name):
        _check_name(node.id, known)
        return []
    if isinstance(node, ast.Call):
        _check_call(node)
        return list(node.args)
    if isinstance(node, ast.BinOp):
        _check_operator(node.op)
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp):
        _check_operator(node.op)
        return [node.operand]
    if isinstance(node, ast.Compare):
        for op in node.ops:
            _check_operator(op)
        return [node.left, *node.comparators]
    if isinstance(node, ast.BoolOp):
        return list(node.values)
    return [node.body, node.test, node.orelse]  # IfExp, in reading order


def _check_constant(value) -> None:
    if isinstance(value, bool):
        raise _Rejected(f"{value} is not allowed; write 1 or 0")
    if value is None:
        raise _Rejected("None is not allowed")
    if isinstance(value, (str, bytes)):
        raise _Rejected(f"strings are not allowed ({value!r})")
    if isinstance(value, complex):
        raise _Rejected(f"complex numbers are not allowed ({value!r})")
    if not isinstance(value, (int, float)):
        raise _Rejected(f"{value!r} is not allowed")
    try:
        finite = math.isfinite(float(value))  # numpy's isfinite on one float costs ten times more
    except OverflowError:
        finite = False
    if not finite:
        raise _Rejected("a number in it is too large")


def _check_name(name: str, known: frozenset[str] | None) -> None:
    if name in ("True", "False", "None"):  # only reachable through unusual ASTs; be explicit
        raise _Rejected(f"{name} is not allowed; write 1 or 0")
    if name in FUNCTIONS and (known is None or name not in known):
        raise _Rejected(f"{name!r} is a function; call it, e.g. {_SIGNATURE.get(name, name + '(x)')}")
    if known is None or name in known:
        return
    import difflib  # (an unknown name only)

    close = difflib.get_close_matches(name, sorted(known), n=1)
    if close:
        raise _Rejected(f"unknown name {name!r}; did you mean {close[0]!r}?")
    if not known:
        raise _Rejected(f"unknown name {name!r}; no parameters or derived values are defined")
    listed = sorted(known)
    more = f" and {len(listed) - 8} more" if len(listed) > 8 else ""
    raise _Rejected(f"unknown name {name!r}; known names: {', '.join(listed[:8])}{more}")


def _check_call(node: ast.Call) -> None:
    allowed = ", ".join(sorted(FUNCTIONS))
    if not isinstance(node.func, ast.Name):
        raise _Rejected(f"only named functions may be called; allowed functions: {allowed}")
    name = node.func.id
    if name not in FUNCTIONS:
        raise _Rejected(f"function {name!r} is not allowed; allowed: {allowed}")
    signature = _SIGNATURE.get(name, f"{name}(x)")
    if node.keywords:
        raise _Rejected(f"keyword arguments (name=value) are not allowed; write {signature}")
    if any(isinstance(a, ast.Starred) for a in node.args):
        raise _Rejected(f"starred arguments (*x) are not allowed; write {signature}")
    least, most = ARITY[name]
    n = len(node.args)
    if n < least or (most is not None and n > most):
        needs = f"at least {least}" if most is None else f"exactly {least}"
        plural = "" if least == 1 else "s"
        raise _Rejected(f"{name}() takes {needs} argument{plural}, got {n}: write {signature}")


def _check_operator(op: ast.AST) -> None:
    if type(op) in _FORBIDDEN_OPERATORS:
        hint = " (for a power write **)" if isinstance(op, ast.BitXor) else ""
        raise _Rejected(
            f"operator {_FORBIDDEN_OPERATORS[type(op)]!r} is not allowed{hint}; "
            f"allowed operators: {_ALLOWED_OPERATORS}"
        )
