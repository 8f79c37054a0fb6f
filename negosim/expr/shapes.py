"""Formulas that differ only in their numbers, evaluated together as one formula over a column of numbers.

A big tree's payoffs are often a few formulas written with different numbers (``0.31 + a * 0.72``,
``0.05 + a * 0.18``, ...). Evaluating each on its own costs a Python call per formula; here the
formulas of one *shape* (the source with every number replaced by a name) are evaluated once, the
shape's compiled closure run with each number as a column ``(n, 1)`` and the names' values as rows,
so n formulas cost the numpy calls of one.

The values are each formula's own, bit for bit, because every operation a shape may contain gives
a correctly rounded (or exact) result element by element, whatever the array's layout: ``+ - * /``,
negation, comparisons, ``and``/``or``/``not``/``if``, ``min``, ``max``, ``abs``, ``clip``, ``where``
and ``sqrt``. A formula using ``exp``, ``log`` or ``**`` keeps its own evaluation (numpy's vectorised
and scalar paths of those may differ in the last bit). `FormulaShapes` also checks every shape
against its formulas' own evaluation at probe values when it is built, and keeps apart any that
differ.

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

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .formula import Formula
from .parse import parse_formula

#: A number as written in a formula (not part of a name such as ``x2``), captured (for `re.split`).
NUMBER = re.compile(r"(?<![\w.])((?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)(?![\w.])")
#: Members of a shape checked against their own evaluation when it is built (evenly spaced; the shape's
#: operations are the same for every member, so a difference would show in any of them).
CHECKED = 64
#: Operations whose numpy results may depend on the array's layout in the last bit: a formula whose source
#: contains one of these is never shared (a name that merely contains "exp" or "log" is kept apart too).
INEXACT = ("**", "exp", "log")
#: The names a shape gives its numbers (a formula's own names never take this form: see `_shape`).
PLACEHOLDER = "number__{}"


@dataclass(frozen=True)
class ShapeGroup:
    """Formulas of one shape: its closure, the placeholders' names and each formula's numbers.

    Attributes
    ----------
    run : callable
        The shape's compiled closure.
    names : tuple of str
        The placeholders, in order of the numbers in the source.
    numbers : numpy.ndarray
        ``(n, len(names))`` each member's numbers.
    members : numpy.ndarray
        ``(n,)`` the members' positions in the list given to `FormulaShapes`.
    """

    run: Callable
    names: tuple[str, ...]
    numbers: np.ndarray
    members: np.ndarray


class FormulaShapes:
    """The formulas given, grouped by shape (see the module's description).

    Parameters
    ----------
    formulas : sequence of Formula
    probe : dict
        Values of every name the formulas use (arrays of one length, or numbers), at which each shape is
        checked against its formulas' own evaluation.
    min_size : int
        Shapes with fewer formulas are evaluated formula by formula.
    """

    def __init__(self, formulas: Sequence[Formula], probe: Mapping[str, np.ndarray], min_size: int = 2) -> None:
        self.formulas = tuple(formulas)
        by: dict[tuple[str, ...], list[tuple[int, list[str]]]] = {}
        single: list[int] = []
        for j, f in enumerate(self.formulas):
            if any(x in f.source for x in INEXACT) or "number__" in f.source:
                single.append(j)
                continue
            parts = NUMBER.split(f.source)  # text, number, text, ..., text
            by.setdefault(tuple(parts[0::2]), []).append((j, parts[1::2]))
        groups = []
        for texts, members in by.items():
            if len(members) < min_size:
                single.extend(j for j, _ in members)
                continue
            source = "".join(t + (PLACEHOLDER.format(c) if c < len(texts) - 1 else "") for c, t in enumerate(texts))
            group = _group(source, members)
            if group is None or not self._agrees(group, probe):
                single.extend(j for j, _ in members)
            else:
                groups.append(group)
        self.groups = tuple(groups)
        self.single = tuple(sorted(single))

    def _agrees(self, group: ShapeGroup, probe: Mapping[str, np.ndarray]) -> bool:
        """Whether the shape gives its members' own values at `probe`, bit for bit (`CHECKED` of them)."""
        n = len(group.members)
        rows = np.unique(np.linspace(0, n - 1, min(n, CHECKED)).astype(np.intp))
        size = max([np.size(v) for v in probe.values()] + [1])
        together, alone = np.empty((n, size)), np.empty((len(rows), size))
        with np.errstate(all="ignore"):
            together[:] = group.run({**probe, **_columns(group)})
            for r, j in enumerate(group.members[rows]):
                alone[r] = self.formulas[j].run(probe)
        return together[rows].tobytes() == alone.tobytes()

    def evaluate(self, env: Mapping[str, np.ndarray], out: np.ndarray, rows: np.ndarray | None = None) -> None:
        """Write formula j's values at `env` into ``out[rows[j]]`` (default ``out[j]``; `out` is 2-d, a row
        per point set), unchecked (inf and NaN included: the caller checks)."""
        rows = np.arange(len(self.formulas)) if rows is None else rows
        with np.errstate(all="ignore"):
            for group in self.groups:
                out[rows[group.members]] = group.run({**env, **_columns(group)})
            for j in self.single:
                out[rows[j]] = self.formulas[j].run(env)  # type: ignore[misc]


def _columns(group: ShapeGroup) -> dict[str, np.ndarray]:
    return {name: group.numbers[:, c:c + 1] for c, name in enumerate(group.names)}


def _group(source: str, members: list[tuple[int, list[str]]]) -> ShapeGroup | None:
    """The shape's group, or None where its source does not parse (its formulas are then evaluated alone)."""
    try:
        shape = parse_formula(source)
    except Exception:  # noqa: BLE001 - a shape the parser refuses: its formulas are evaluated one by one
        return None
    if shape.run is None:
        return None
    n = len(members[0][1])
    names = tuple(PLACEHOLDER.format(c) for c in range(n))
    numbers = np.array([[float(x) for x in m[1]] for m in members], dtype=np.float64).reshape(len(members), n)
    return ShapeGroup(shape.run, names, numbers, np.array([j for j, _ in members], dtype=np.intp))


__all__ = ["FormulaShapes", "ShapeGroup"]
