"""Formulas that differ only in their numbers: one parse and check per shape, one evaluation per batch.

A big game tree writes the same formula at thousands of leaves with other numbers
(``0.2577 + a * 0.7079``, ``0.1134 + a * 0.5056``, ...). Their *shape* (the text with every
number replaced by ``#``) parses into the same syntax tree with other constants, so
`parse_shaped` parses and checks a shape once (`negosim.expr.parse.parse_formula`, whose
answer decides) and afterwards only reads a new formula's numbers, checks each as the parser
would, and puts them into the shape's tree. What it returns is what `parse_formula` returns for
the same text: the same names, the same constant, a closure computing the same float64 values;
any formula it is not sure of (a number that fails its check, a constant exponent, text that is
not ASCII, a shape whose numbers do not line up with the parser's) is parsed in full, so its
message is the parser's own.

The formulas of a shape made only of exactly rounded operations (``+ - * /``, comparisons,
``and or not``, ``a if c else b``, ``min max abs clip where sqrt``: `EXACT_CALLS` and the nodes
beside it) can also be evaluated together, the numbers as arrays (`FormulaShape.vector_run`),
giving each formula the float64 values its own closure gives, whatever the arrays' layout (each of
those operations is correctly rounded element by element; numpy's vectorised ``exp``, ``log`` and
powers may differ from its scalar ones in the last bit, so a shape using them is never shared).
`shape_groups` groups a list of formulas so (`ShapeGroup.values` evaluates a group: the payoff
table of `negosim.scenario.build`), and `FormulaShapes` also checks each group against its members'
own evaluation at probe values before it evaluates them (the bisection's trees, `negosim.sweep.tree_points`).

>>> from negosim.expr.shape import parse_shaped
>>> shapes = {}
>>> f = parse_shaped("0.25 + a * 3", frozenset({"a"}), shapes)
>>> g = parse_shaped("0.5 + a * 4", frozenset({"a"}), shapes)  # same shape: no new parse
>>> len(shapes), sorted(g.names), float(g.evaluate({"a": 2.0}))
(1, ['a'], 8.5)
"""

from __future__ import annotations

import ast
import copy
import dataclasses
import re
import threading
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from ..errors import FormulaError
from ..records import dataclass  # (frozen dataclasses made with less compiling: negosim.records)
from .evaluate import ExponentTooLarge, Run, compile_tree
from .formula import Formula
from .parse import MAX_LENGTH, formula_text_and_tree, parse_formula

# A number the tokenizer reads as one NUMBER token whatever its digits: decimal, no leading zeros,
# no separators, not touching a letter, digit, `_` or `.` (so never part of a name, of `1if`, of a
# complex `1j` or of `0x1f`). Anything else stays in the shape's text as written. (The lookahead
# first: most characters fail it at once.)
_NUMBER = re.compile(r"(?=[0-9.])(?<![\w.])"
                     r"((?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?)(?![\w.])")
# float() of a number the parser reads as a too-large int or float (no NaN or sign can match _NUMBER)
_INFINITY = float("inf")
# Operations whose float64 result is exactly rounded (IEEE 754), hence the same on an array as on
# one number; a shape with anything else (powers, exp, log) is never evaluated as a batch.
_EXACT_NODES = (ast.Expression, ast.Constant, ast.Name, ast.Load, ast.BinOp, ast.UnaryOp, ast.Compare, ast.BoolOp,
                ast.IfExp, ast.Call, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.USub, ast.UAdd, ast.Not, ast.And,
                ast.Or, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Eq, ast.NotEq)
#: The functions whose float64 result is exactly rounded (see `_EXACT_NODES`).
EXACT_CALLS = frozenset(("min", "max", "abs", "clip", "where", "sqrt"))
# A name no formula can use (not an identifier): the n-th number of a shape evaluated as a batch.
_SLOT = "#{}"


class FormulaShape:
    """A checked syntax tree whose numbers (`slots`, in reading order) are put in per formula."""

    def __init__(self, tree: ast.expr, slots: list[ast.Constant], names: frozenset[str]):
        self.tree = tree
        self.slots = slots
        self.names = names
        nodes = list(ast.walk(tree))
        has_power = any(isinstance(n, ast.Pow) for n in nodes)
        # Compiling can refuse only a constant exponent, and folds the whole formula only when it
        # uses no names: otherwise a formula's closure is compiled when it is first run.
        self.deferred = bool(names) and not has_power
        self.exact = all(isinstance(n, _EXACT_NODES) for n in nodes) and all(
            isinstance(n.func, ast.Name) and n.func.id in EXACT_CALLS for n in nodes if isinstance(n, ast.Call))
        self._lock = threading.Lock()  # the slots are filled in place: one compile at a time
        self._vector: Run | None = None

    def closure(self, values: tuple) -> Run:
        """Return the closure of the formula with these numbers (as `compile_tree` makes it)."""
        with self._lock:
            for node, value in zip(self.slots, values):
                node.value = value
            return compile_tree(self.tree).run

    def vector_run(self) -> Run | None:
        """Return a closure computing every formula of this shape at once, or None if the shape is not exact.

        Its environment holds the names and, as ``"#0"``, ``"#1"``, ..., arrays of the numbers (one
        row per formula); each row of the result is what that formula's own closure computes.
        """
        if not self.exact:
            return None
        if self._vector is None:
            with self._lock:
                tree = _with_slot_names(self.tree, self.slots)
                self._vector = compile_tree(tree).run
        return self._vector


class ShapedRun:
    """A formula's closure, compiled from its shape when first called; it keeps its shape and numbers."""

    __slots__ = ("shape", "values", "_run")

    def __init__(self, shape: FormulaShape, values: tuple, run: Run | None = None):
        self.shape = shape
        self.values = values
        self._run = run

    def __call__(self, env: Mapping[str, np.ndarray]) -> np.ndarray:
        run = self._run
        if run is None:
            run = self._run = self.shape.closure(self.values)
        return run(env)


def parse_shaped(source: str | int | float, known: frozenset[str] | None, shapes: dict, *, file: str | None = None,
                 line: int | None = None, path: str | None = None) -> Formula:
    """Return `parse_formula(source, known, ...)`, parsing and checking only once per shape in `shapes`.

    Parameters
    ----------
    source : str, int or float
        The formula as written.
    known : frozenset of str or None
        The names it may use (None: any).
    shapes : dict
        The shapes seen so far (filled here); one dict per document.
    file, line, path : optional
        Where it was written.

    Returns
    -------
    Formula
        Equal to `parse_formula`'s, with a closure computing the same values.

    Raises
    ------
    FormulaError
        `parse_formula`'s, for a formula with a problem.

    Examples
    --------
    >>> shapes = {}
    >>> f = parse_shaped("0.25 + a * 3", frozenset({"a"}), shapes)
    >>> g = parse_shaped("0.5 + a * 4", frozenset({"a"}), shapes)  # the shape of f: its tree, new numbers
    >>> list(shapes)
    [('# + a * #', frozenset({'a'}))]
    >>> g.source, sorted(g.names), float(g.evaluate({"a": 2.0}))
    ('0.5 + a * 4', ['a'], 8.5)
    >>> parse_shaped("1e999 + a * 4", frozenset({"a"}), shapes)  # the parser's own refusal
    Traceback (most recent call last):
    ...
    negosim.errors.FormulaError: in formula '1e999 + a * 4': a number in it is too large
    """
    def full() -> Formula:  # the parser's own answer (and message)
        return parse_formula(source, known, file=file, line=line, path=path)

    if source.__class__ is not str or len(source) > MAX_LENGTH or "#" in source or not source.isascii():
        return full()
    # as the parser reads it (`parse._prepare`): lines joined, stripped
    text = source.strip() if source.isprintable() else " ".join(source.splitlines()).strip()
    parts = _NUMBER.split(text)  # text, number, text, ..., text
    key = ("#".join(parts[::2]), known)
    shape = shapes.get(key)
    if shape is None:
        if key in shapes:  # a shape whose numbers did not line up: always the full parse
            return full()
        formula, tree = formula_text_and_tree(source, known, file=file, line=line, path=path)
        shape = shapes[key] = _shape_of(text, tree, formula.names) if tree is not None else None
        if shape is None:
            return formula
        return dataclasses.replace(formula, run=ShapedRun(shape, _numbers(parts), formula.run))
    values = _numbers(parts)
    if _INFINITY in values:  # a number too large for a float: the parser words the refusal
        return full()
    if shape.deferred:
        return Formula.located(source, shape.names, file, line, path, None, ShapedRun(shape, values))
    try:
        run = shape.closure(values)
    except ExponentTooLarge:
        return full()
    constant = None
    if not shape.names:
        with np.errstate(all="ignore"):
            constant = float(run({}))
        if not np.isfinite(constant):
            return full()
    return Formula.located(source, shape.names, file, line, path, constant, ShapedRun(shape, values, run))


def _numbers(parts: list[str]) -> tuple[float, ...]:
    """Return the numbers of `_NUMBER.split`'s parts as floats (an integer literal's float is its float64)."""
    return tuple(map(float, parts[1::2]))


def _shape_of(text: str, tree: ast.expr, names: frozenset[str]) -> FormulaShape | None:
    """Return the shape of a parsed formula, or None unless its numbers are exactly the parser's constants."""
    starts = [m.start() for m in _NUMBER.finditer(text)]
    constants = sorted((n for n in ast.walk(tree) if isinstance(n, ast.Constant)), key=lambda n: n.col_offset)
    if [n.col_offset for n in constants] != starts or any(getattr(n, "lineno", 1) != 1 for n in constants):
        return None
    return FormulaShape(tree, constants, names)


def _with_slot_names(tree: ast.expr, slots: list[ast.Constant]) -> ast.expr:
    """Return a copy of `tree` in which the n-th number (``slots[n]``) is the name ``#n``."""
    twin = copy.deepcopy(tree)
    slot_of = {id(node): i for i, node in enumerate(slots)}
    # ast.walk visits a tree and its deep copy in the same order
    names = {id(c): _SLOT.format(slot_of[id(o)]) for o, c in zip(ast.walk(tree), ast.walk(twin))
             if isinstance(o, ast.Constant)}

    class Swap(ast.NodeTransformer):
        def visit_Constant(self, node: ast.Constant) -> ast.AST:
            return ast.copy_location(ast.Name(id=names[id(node)], ctx=ast.Load()), node)

    return Swap().visit(twin)


def slot_names(count: int) -> list[str]:
    """Return the environment names of a shape's numbers for `FormulaShape.vector_run`."""
    return [_SLOT.format(i) for i in range(count)]


def exact_run(formula: Formula, shapes: dict | None) -> ShapedRun | None:
    """Return the formula's shape and numbers if its shape can be evaluated together, else None.

    A shape can be evaluated for many formulas at once only when every operation in it is exactly
    rounded (``+ - * /``, comparisons, ``min``, ``max``, ``abs``, ``clip``, ``where``, ``sqrt``: see
    `EXACT_CALLS`), so that each formula's row of the batch is its own value bit for bit; a power,
    ``exp`` or ``log`` keeps the formula to itself. A formula read by `parse_shaped` carries its shape
    and numbers; any other is read again here by its source, unless `shapes` is None.

    Parameters
    ----------
    formula : Formula
        A payoff or derived-value formula, already parsed and checked.
    shapes : dict or None
        The shapes seen so far, as for `parse_shaped` (filled here; any name allowed, since the
        formula's names are already checked), or None to look only at what `formula` carries.

    Returns
    -------
    ShapedRun or None
        The formula's closure with its shape (``.shape``) and numbers (``.values``, in reading
        order), or None if the shape is not exact or the formula has no shape.

    Examples
    --------
    >>> from negosim.expr import parse_formula
    >>> run = exact_run(parse_formula("1 + 2 * a"), {})
    >>> run.values, float(run({"a": 3.0}))
    ((1.0, 2.0), 7.0)
    >>> exact_run(parse_formula("exp(a)"), {}) is None  # exp is not exactly rounded: evaluated alone
    True
    >>> exact_run(parse_formula("1 + 2 * a"), None) is None  # not read by parse_shaped, and not read again
    True
    >>> exact_run(parse_shaped("0.5 + a * 4", frozenset({"a"}), {}), None).values
    (0.5, 4.0)
    """
    run = formula.run
    if run.__class__ is not ShapedRun:
        if shapes is None:
            return None
        try:
            run = parse_shaped(formula.source, None, shapes).run
        except FormulaError:  # a formula built otherwise than by parsing its source: evaluated alone
            return None
        if run.__class__ is not ShapedRun:
            return None
    assert isinstance(run, ShapedRun)
    return run if run.shape.exact else None


# --- formulas of one shape evaluated together --------------------------------------------------------

#: Members of a shape checked against their own evaluation when `FormulaShapes` is built (evenly spaced;
#: the shape's operations are the same for every member, so a difference would show in any of them).
CHECKED = 64


@dataclass(frozen=True)
class ShapeGroup:
    """Formulas of one exact shape: its vectorised closure, its numbers' names and each formula's numbers.

    Attributes
    ----------
    run : callable
        The shape's `FormulaShape.vector_run`.
    names : tuple of str
        The environment names of its numbers (`slot_names`), in reading order.
    numbers : numpy.ndarray
        ``(n, len(names))`` each member's numbers.
    members : numpy.ndarray
        ``(n,)`` the members' positions in the list given to `FormulaShapes` (or `shape_groups`).

    Examples
    --------
    Three payoffs that differ only in their numbers (shares of a stake v) form one group, evaluated
    at two points in one call, a row per member:

    >>> from negosim.expr import parse_formula
    >>> groups, alone = shape_groups([parse_formula(s) for s in ("0.5 * v", "0.25 * v", "2 * v")], {})
    >>> group = groups[0]
    >>> group.members.tolist(), group.numbers.ravel().tolist(), alone
    ([0, 1, 2], [0.5, 0.25, 2.0], [])
    >>> group.values({"v": np.array([4.0, 8.0])}).tolist()
    [[2.0, 4.0], [1.0, 2.0], [8.0, 16.0]]
    >>> group.values({"v": np.array([4.0, 8.0])}, start=1).tolist()  # members 1 and 2 only
    [[1.0, 2.0], [8.0, 16.0]]
    """

    run: Callable
    names: tuple[str, ...]
    numbers: np.ndarray
    members: np.ndarray

    def values(self, env: Mapping[str, np.ndarray], start: int = 0, stop: int | None = None,
               pad: tuple[int, ...] = (1,)) -> np.ndarray:
        """Return the values of members ``start:stop`` at `env`, a row each (shape ``(rows, *points)``).

        Each member's numbers are a column, reshaped to ``(rows, *pad)`` against the names' arrays
        (`pad`: a 1 per dimension of the points). Unchecked: inf and NaN included.
        """
        columns = {name: self.numbers[start:stop, c].reshape(-1, *pad) for c, name in enumerate(self.names)}
        with np.errstate(all="ignore"):
            return self.run({**env, **columns})


def shape_groups(formulas: Sequence[Formula], read: dict | None, min_size: int = 1) -> tuple[list[ShapeGroup],
                                                                                               list[int]]:
    """Group formulas by exact shape (`exact_run`), in order of first appearance.

    Parameters
    ----------
    formulas : sequence of Formula
    read : dict or None
        Shapes of formulas not read by `parse_shaped` (filled here), or None to leave those alone.
    min_size : int
        Shapes with fewer formulas are left alone.

    Returns
    -------
    groups : list of ShapeGroup
    alone : list of int
        The positions of the formulas left to evaluate one by one, in order.

    Examples
    --------
    >>> from negosim.expr import parse_formula
    >>> groups, alone = shape_groups([parse_formula(s) for s in ("1 + 2 * a", "exp(a)", "3 + 4 * a")], {})
    >>> [(g.members.tolist(), g.numbers.tolist()) for g in groups], alone
    ([([0, 2], [[1.0, 2.0], [3.0, 4.0]])], [1])
    >>> groups[0].values({"a": np.array([0.5, 1.0])}).tolist()
    [[2.0, 3.0], [5.0, 7.0]]
    """
    by: dict[FormulaShape, tuple[list[int], list[tuple]]] = {}
    alone: list[int] = []
    for j, formula in enumerate(formulas):
        run: ShapedRun | None = formula.run  # type: ignore[assignment]
        if run.__class__ is not ShapedRun or not run.shape.exact:
            run = exact_run(formula, read)  # (inline above: a big tree's build passes here per payoff)
            if run is None:
                alone.append(j)
                continue
        assert run is not None
        members, numbers = by.setdefault(run.shape, ([], []))
        members.append(j)
        numbers.append(run.values)
    groups = []
    for shape, (members, numbers) in by.items():
        vector = shape.vector_run()
        if len(members) < min_size or vector is None:
            alone.extend(members)
            continue
        k = len(shape.slots)
        table = np.array(numbers, dtype=np.float64).reshape(len(members), k)
        groups.append(ShapeGroup(vector, tuple(slot_names(k)), table, np.array(members, dtype=np.intp)))
    return groups, sorted(alone)


class FormulaShapes:
    """The formulas given, grouped by exact shape, each group evaluated in one call of its vectorised closure.

    Each group is checked when built: at `probe`, the group's values for `CHECKED` of its members must
    equal those members' own closures' values bit for bit, or the group's formulas are evaluated
    one by one.

    Parameters
    ----------
    formulas : sequence of Formula
    probe : dict
        Values of every name the formulas use (arrays of one length, or numbers).
    min_size : int
        Shapes with fewer formulas are evaluated formula by formula.

    Examples
    --------
    >>> import numpy as np
    >>> from negosim.expr import parse_formula
    >>> fs = [parse_formula(s, ["a"]) for s in ("0.5 + a * 2", "1.5 + a * 3", "exp(a)")]
    >>> shapes = FormulaShapes(fs, {"a": np.array([0.0, 1.0])})
    >>> len(shapes.groups), shapes.single
    (1, (2,))
    >>> out = np.empty((3, 2))
    >>> shapes.evaluate({"a": np.array([1.0, 2.0])}, out)
    >>> out[:2].tolist()
    [[2.5, 4.5], [4.5, 7.5]]
    """

    def __init__(self, formulas: Sequence[Formula], probe: Mapping[str, np.ndarray], min_size: int = 2) -> None:
        self.formulas = tuple(formulas)
        groups, single = shape_groups(self.formulas, {}, min_size)
        agree = [self._agrees(group, probe) for group in groups]
        self.groups = tuple(group for group, ok in zip(groups, agree) if ok)
        self.single = tuple(sorted([*single, *(j for group, ok in zip(groups, agree) if not ok
                                                for j in group.members.tolist())]))

    def _agrees(self, group: ShapeGroup, probe: Mapping[str, np.ndarray]) -> bool:
        """Whether the group gives its members' own values at `probe`, bit for bit (`CHECKED` of them)."""
        n = len(group.members)
        rows = np.unique(np.linspace(0, n - 1, min(n, CHECKED)).astype(np.intp))
        size = max([np.size(v) for v in probe.values()] + [1])
        together, alone = np.empty((n, size)), np.empty((len(rows), size))
        with np.errstate(all="ignore"):
            together[:] = group.values(probe)
            for r, j in enumerate(group.members[rows]):
                alone[r] = self.formulas[j].run(probe)
        return together[rows].tobytes() == alone.tobytes()

    def evaluate(self, env: Mapping[str, np.ndarray], out: np.ndarray, rows: np.ndarray | None = None) -> None:
        """Write formula j's values at `env` into ``out[rows[j]]`` (default ``out[j]``; `out` is 2-d, a row
        per point set), unchecked (inf and NaN included: the caller checks)."""
        rows = np.arange(len(self.formulas)) if rows is None else rows
        with np.errstate(all="ignore"):
            for group in self.groups:
                out[rows[group.members]] = group.values(env)
            for j in self.single:
                out[rows[j]] = self.formulas[j].run(env)


__all__ = ["CHECKED", "EXACT_CALLS", "FormulaShapes", "ShapeGroup", "exact_run", "parse_shaped", "shape_groups"]
