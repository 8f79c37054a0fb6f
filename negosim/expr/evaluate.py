"""Turn a validated formula AST into nested numpy-calling closures, once.

`compile_tree` walks the tree a single time and returns a callable ``run(env)`` that
computes the formula on float64 arrays with broadcasting; evaluating it costs only the
numpy operations. Subtrees that use no names are folded into constants with float64
arithmetic (never Python integers, so nothing can grow without bound), which is also how
constant exponents are bounded before anything large is computed.

The tree must already have passed `negosim.expr.parse.check_tree`; this module only
decides how to compute what is allowed. Errors in the values (inf, NaN) are not raised
here: the caller checks the final result, so a branch that is not taken may hold inf.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from functools import reduce
from typing import Any, NamedTuple

import numpy as np

Env = Mapping[str, np.ndarray]
Run = Callable[[Env], np.ndarray]

MAX_EXPONENT = 64.0

_ARITHMETIC = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
    ast.Div: np.divide,
    ast.Pow: np.power,
}
_COMPARE = {
    ast.Lt: np.less,
    ast.LtE: np.less_equal,
    ast.Gt: np.greater,
    ast.GtE: np.greater_equal,
    ast.Eq: np.equal,
    ast.NotEq: np.not_equal,
}
_UNARY_FUNCTIONS = {"abs": np.abs, "exp": np.exp, "log": np.log, "sqrt": np.sqrt}


class ExponentTooLarge(Exception):
    """A constant exponent outside ±MAX_EXPONENT (or not finite); the message says which."""


class Compiled(NamedTuple):
    """A compiled subtree: its closure and, if it uses no names, its folded value.

    A named tuple rather than a frozen dataclass: one is made per node of every formula, and a
    frozen dataclass's ``__init__`` costs several times a tuple's.
    """

    run: Run
    constant: np.float64 | None = None


def same_chain(parent: ast.AST, child: ast.AST) -> bool:
    """Return whether `child` continues `parent`'s left-associative chain (a + b - c, a * b / c).

    Such a chain is one level of nesting to a reader, so it is compiled as one n-ary node
    (no recursion per term) and counted as one level by the depth limit.
    """
    return (
        isinstance(parent, ast.BinOp)
        and isinstance(child, ast.BinOp)
        and child is parent.left
        and _group(parent.op) is not None
        and _group(parent.op) == _group(child.op)
    )


def _group(op: ast.operator) -> str | None:
    if isinstance(op, (ast.Add, ast.Sub)):
        return "additive"
    if isinstance(op, (ast.Mult, ast.Div)):
        return "multiplicative"
    return None


def compile_tree(node: ast.expr) -> Compiled:
    """Return the closure computing `node`; raises ExponentTooLarge for an exploding power."""
    compiled = _COMPILERS[type(node)](node)
    if compiled.constant is None and not isinstance(node, ast.Name) and _uses_no_names(node):
        with np.errstate(all="ignore"):
            value = np.float64(compiled.run({}))
        return _constant(value)
    return compiled


def _uses_no_names(node: ast.expr) -> bool:
    # compile_tree asks this at every node, so it stops at the first name rather than walking the
    # whole subtree twice (which made compiling quadratic in a formula's size). A call's function
    # is a name too, but not one the formula uses.
    stack: list[Any] = [node]
    while stack:
        n = stack.pop()
        kind = type(n)
        if kind is ast.Name:
            return False
        if kind is ast.Constant:
            continue
        if kind is ast.BinOp:
            stack += (n.left, n.right)
        elif kind is ast.UnaryOp:
            stack.append(n.operand)
        elif kind is ast.Call:
            stack += n.args
            stack += (k.value for k in n.keywords)
        elif kind is ast.Compare:
            stack.append(n.left)
            stack += n.comparators
        elif kind is ast.BoolOp:
            stack += n.values
        elif kind is ast.IfExp:
            stack += (n.test, n.body, n.orelse)
        elif isinstance(n, ast.Name):
            return False
        else:
            stack += ast.iter_child_nodes(n)
    return True


def _constant(value: np.float64) -> Compiled:
    return Compiled(lambda env: np.asarray(value), value)


def _as_float(x) -> np.ndarray:
    # Comparisons give booleans; arithmetic on booleans is an error in numpy ("-" of bools),
    # so every node yields float64 and true/false are 1.0/0.0.
    return np.asarray(x, dtype=np.float64)


def _truth(x) -> np.ndarray:
    return np.not_equal(x, 0.0)


def _number(node: ast.Constant) -> Compiled:
    return _constant(np.float64(float(node.value)))  # type: ignore[arg-type]  # check_tree: numbers only


def _name(node: ast.Name) -> Compiled:
    key = node.id
    return Compiled(lambda env: env[key])


def _binop(node: ast.BinOp) -> Compiled:
    if isinstance(node.op, ast.Pow):
        return _power(node)
    # Collect the whole left-associative chain a op b op c ... without recursion.
    steps = []
    head: Any = node  # a BinOp all along the chain (same_chain checks it)
    while True:
        steps.append((_ARITHMETIC[type(head.op)], compile_tree(head.right).run))
        if not same_chain(head, head.left):
            break
        head = head.left
    steps.reverse()
    first = compile_tree(head.left).run
    if len(steps) == 1:
        (op, right), = steps
        return Compiled(lambda env: op(first(env), right(env)))

    def chain(env: Env) -> np.ndarray:
        acc = first(env)
        for op, right in steps:
            acc = op(acc, right(env))
        return acc

    return Compiled(chain)


def _power(node: ast.BinOp) -> Compiled:
    base = compile_tree(node.left).run
    exponent = compile_tree(node.right)
    if exponent.constant is not None:
        e = float(exponent.constant)
        if not np.isfinite(e):
            raise ExponentTooLarge("a constant exponent is not finite (it divides by zero or overflows)")
        if abs(e) > MAX_EXPONENT:
            raise ExponentTooLarge(
                f"exponent {e:.6g} is too large: a constant exponent must be within "
                f"±{MAX_EXPONENT:g}"
            )
    power = exponent.run
    return Compiled(lambda env: np.power(base(env), power(env)))


def _unary(node: ast.UnaryOp) -> Compiled:
    operand = compile_tree(node.operand).run
    if isinstance(node.op, ast.USub):
        return Compiled(lambda env: np.negative(operand(env)))
    if isinstance(node.op, ast.UAdd):
        return Compiled(operand)
    return Compiled(lambda env: _as_float(np.equal(operand(env), 0.0)))  # not


def _compare(node: ast.Compare) -> Compiled:
    terms = [compile_tree(node.left).run] + [compile_tree(c).run for c in node.comparators]
    ops = [_COMPARE[type(op)] for op in node.ops]
    if len(ops) == 1:
        op, left, right = ops[0], terms[0], terms[1]
        return Compiled(lambda env: _as_float(op(left(env), right(env))))

    def chained(env: Env) -> np.ndarray:
        # 0 < x < 1 means (0 < x) and (x < 1); each term is computed once.
        values = [t(env) for t in terms]
        tests = [op(a, b) for op, a, b in zip(ops, values, values[1:])]
        return _as_float(reduce(np.logical_and, tests))

    return Compiled(chained)


def _boolop(node: ast.BoolOp) -> Compiled:
    combine = np.logical_and if isinstance(node.op, ast.And) else np.logical_or
    terms = [compile_tree(v).run for v in node.values]
    return Compiled(lambda env: _as_float(reduce(combine, (_truth(t(env)) for t in terms))))


def _ifexp(node: ast.IfExp) -> Compiled:
    return _choose(*(compile_tree(n).run for n in (node.test, node.body, node.orelse)))


def _choose(test: Run, body: Run, orelse: Run) -> Compiled:
    # Both branches are computed everywhere; inf/NaN in the branch not taken is dropped here
    # and only the final result is checked, so where(b != 0, a / b, 0) is fine at b = 0.
    return Compiled(lambda env: np.where(_truth(test(env)), body(env), orelse(env)))


def _call(node: ast.Call) -> Compiled:
    name = node.func.id  # type: ignore[attr-defined]  # check_tree allows only names here
    args = [compile_tree(a).run for a in node.args]
    if name in _UNARY_FUNCTIONS:
        fn, (x,) = _UNARY_FUNCTIONS[name], args
        return Compiled(lambda env: fn(x(env)))
    if name in ("min", "max"):
        pair: Any = np.minimum if name == "min" else np.maximum
        return Compiled(lambda env: reduce(pair, (a(env) for a in args)))
    if name == "clip":
        x, low, high = args
        return Compiled(lambda env: np.minimum(np.maximum(x(env), low(env)), high(env)))
    return _choose(*args)  # where(condition, a, b)


_COMPILERS: dict[type, Callable[[Any], Compiled]] = {
    ast.Constant: _number,
    ast.Name: _name,
    ast.BinOp: _binop,
    ast.UnaryOp: _unary,
    ast.Compare: _compare,
    ast.BoolOp: _boolop,
    ast.IfExp: _ifexp,
    ast.Call: _call,
}
