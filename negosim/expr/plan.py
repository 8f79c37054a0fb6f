"""Compile many formulas at once into a straight-line `Program` (see `negosim.expr.program`).

`FormulaCompiler` turns the syntax trees of a scenario's formulas into numpy calls on registers,
once: a name bound to a fixed value is a constant, every call whose arguments are all constants is
computed at compile time (with the same numpy function on 0-d arrays as `Formula.evaluate`, so
the value is the same), a subexpression written twice (within or across formulas) is computed once,
and a derived value is computed once for every formula that uses it. Each call is the one
`negosim.expr.evaluate` makes for the same node, in the same order, so every value is the same
float64 as the interpreted evaluation's, bit for bit.

Results are not checked here: the caller checks the registers it needs (`finite_check`).

>>> from negosim.expr import parse_formula
>>> from negosim.expr.program import ProgramBuilder
>>> b = ProgramBuilder()
>>> c = FormulaCompiler(b, fixed={"c": 0.5}, varied=("p",))
>>> slot = c.formula(parse_formula("max(p - c, 0) + max(p - c, 0)"))
>>> b.output("v", slot)
>>> b.build().run({"p": np.array([0.2, 0.9])}, {"v": np.empty(2)}).arrays["v"].tolist()
[0.0, 0.8]
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np

from .evaluate import same_chain
from .formula import Formula
from .parse import formula_tree
from .program import BOOL, FLOAT, ProgramBuilder

_ARITHMETIC: dict[type, Callable] = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply,
                                     ast.Div: np.divide, ast.Pow: np.power}
_COMPARE: dict[type, Callable] = {ast.Lt: np.less, ast.LtE: np.less_equal, ast.Gt: np.greater,
                                  ast.GtE: np.greater_equal, ast.Eq: np.equal, ast.NotEq: np.not_equal}
_UNARY: dict[str, Callable] = {"abs": np.abs, "exp": np.exp, "log": np.log, "sqrt": np.sqrt}

#: A compiled value: ("c", 0-d float64 array) for a constant, ("s", slot) for a computed one.
Value = tuple[str, Any]


class NotCompilable(Exception):
    """The formulas cannot be compiled here (the caller evaluates them the interpreted way)."""


class FormulaCompiler:
    """Emits formulas into a `ProgramBuilder`; names are inputs (`varied`), constants (`fixed`) or
    derived values added with `derive`."""

    def __init__(self, builder: ProgramBuilder, fixed: Mapping[str, float | np.ndarray], varied: Iterable[str]):
        self.b = builder
        self.names: dict[str, Value] = {name: ("c", np.asarray(v, dtype=np.float64)) for name, v in fixed.items()}
        self.names.update({name: ("s", builder.input(name)) for name in varied})
        self._cse: dict[tuple, Value] = {}

    def derive(self, name: str, formula: Formula) -> Value:
        """Compile a derived value and bind `name` to it for the formulas after it."""
        value = self.value(formula)
        self.names[name] = value
        return value

    def value(self, formula: Formula) -> Value:
        """Compile `formula`; return its constant or its slot."""
        if formula.constant is not None or not formula.names:
            assert formula.run is not None
            return ("c", np.asarray(formula.run({}), dtype=np.float64))
        missing = formula.names - self.names.keys()
        if missing:
            raise NotCompilable(f"no value for {sorted(missing)}")
        return self._node(formula_tree(formula))

    def formula(self, formula: Formula) -> int:
        """Compile `formula` and return a slot holding its value (a constant's slot if it is one)."""
        kind, x = self.value(formula)
        return self.b.constant(x) if kind == "c" else x

    # --- nodes -------------------------------------------------------------------------------
    def _apply(self, fn: Callable, args: list[Value], dtype=FLOAT) -> Value:
        """``fn(*args)`` as a constant when every argument is one, else one step (shared if repeated)."""
        if all(kind == "c" for kind, _ in args):
            with np.errstate(all="ignore"):
                result = fn(*[x for _, x in args])
            return ("c", np.asarray(result, dtype=np.float64))
        key = (fn, dtype, tuple((k, x if k == "s" else (x.dtype.str, x.tobytes())) for k, x in args))
        if key not in self._cse:
            slots = [x if kind == "s" else self.b.constant(x) for kind, x in args]
            self._cse[key] = ("s", self.b.call(fn, *slots, dtype=dtype))
        return self._cse[key]

    def _node(self, node: ast.expr) -> Value:
        if isinstance(node, ast.Constant):
            return ("c", np.asarray(np.float64(float(node.value)), dtype=np.float64))  # type: ignore[arg-type]
        if isinstance(node, ast.Name):
            return self.names[node.id]
        if isinstance(node, ast.BinOp):
            return self._binop(node)
        if isinstance(node, ast.UnaryOp):
            operand = self._node(node.operand)
            if isinstance(node.op, ast.USub):
                return self._apply(np.negative, [operand])
            if isinstance(node.op, ast.UAdd):
                return operand
            return self._apply(np.equal, [operand, _const(0.0)])  # not: 1.0 where the operand is 0
        if isinstance(node, ast.Compare):
            terms = [self._node(node.left)] + [self._node(c) for c in node.comparators]
            tests = [self._apply(_COMPARE[type(op)], [a, b]) for op, a, b in zip(node.ops, terms, terms[1:])]
            return self._fold(np.logical_and, tests)
        if isinstance(node, ast.BoolOp):
            combine = np.logical_and if isinstance(node.op, ast.And) else np.logical_or
            # logical_and/or test floats against 0 (NaN counts as true), as `_truth` does
            return self._fold(combine, [self._node(v) for v in node.values])
        if isinstance(node, ast.IfExp):
            return self._choose(*(self._node(n) for n in (node.test, node.body, node.orelse)))
        if isinstance(node, ast.Call):
            return self._call(node)
        raise NotCompilable(f"{type(node).__name__}")

    def _fold(self, fn: Callable, values: list[Value]) -> Value:
        acc = values[0]
        for v in values[1:]:
            acc = self._apply(fn, [acc, v])
        return acc

    def _binop(self, node: ast.BinOp) -> Value:
        # A left-associative chain (a + b - c) is walked without recursion, as the interpreter does.
        chain: list[ast.BinOp] = [node]
        while same_chain(chain[-1], chain[-1].left) and not isinstance(chain[-1].op, ast.Pow):
            chain.append(chain[-1].left)  # type: ignore[arg-type]
        acc = self._node(chain[-1].left)
        for link in reversed(chain):
            acc = self._apply(_ARITHMETIC[type(link.op)], [acc, self._node(link.right)])
        return acc

    def _choose(self, test: Value, body: Value, orelse: Value) -> Value:
        if test[0] == "c":
            return body if bool(np.not_equal(test[1], 0.0)) else orelse
        key = ("where", test, _key(body), _key(orelse))
        if key not in self._cse:
            mask = self.b.call(np.not_equal, test[1], self.b.constant(0.0), dtype=BOOL)
            slots = [x if kind == "s" else self.b.constant(x) for kind, x in (body, orelse)]
            self._cse[key] = ("s", self.b.select(slots[1], [(mask, slots[0])]))
        return self._cse[key]

    def _call(self, node: ast.Call) -> Value:
        name = node.func.id  # type: ignore[attr-defined]
        args = [self._node(a) for a in node.args]
        if name in _UNARY:
            return self._apply(_UNARY[name], args)
        if name in ("min", "max"):
            return self._fold(np.minimum if name == "min" else np.maximum, args)
        if name == "clip":
            x, low, high = args
            return self._apply(np.minimum, [self._apply(np.maximum, [x, low]), high])
        return self._choose(*args)  # where(condition, a, b)


def _const(x: float) -> Value:
    return ("c", np.asarray(x, dtype=np.float64))


def _key(value: Value) -> tuple:
    kind, x = value
    return (kind, x) if kind == "s" else (kind, x.dtype.str, x.tobytes())


def finite_check(builder: ProgramBuilder, slots: Iterable[int], flag: str) -> None:
    """Emit steps raising `flag` when any of `slots` (float registers) holds inf or NaN."""
    for slot in dict.fromkeys(slots):
        if builder.slots[slot].kind == "const":
            continue
        bad = builder.call(np.isfinite, slot, dtype=BOOL)
        builder.emit(np.logical_not, bad, bad)
        builder.flag(flag, bad)
