"""Straight-line programs: numpy calls on preallocated registers, run over blocks of points.

A `Program` is a list of steps, each one numpy call whose arguments are *slots*: an input (a
block of a caller's array), a register (a row of a workspace allocated once per thread and reused
for every block and every call), an output (a block of an array the caller receives) or a
constant. Running it over a million points costs the same numpy arithmetic as whole-array code
with no temporary arrays at all, so nothing is allocated (and no page is faulted in) per block,
and each block's registers stay in the processor's cache.

`ProgramBuilder` writes programs: the formula compiler (`negosim.expr.plan`) and the batched
backward induction (`negosim.solve.spe_plan`) emit into one builder, so a scenario's payoffs and
its solve run as one program.

>>> b = ProgramBuilder()
>>> x = b.input("x")
>>> y = b.call(np.multiply, x, b.constant(2.0))
>>> b.output("y", y)
>>> out = b.build().run({"x": np.arange(5.0)}, {"y": np.empty(5)}, block=2)
>>> out.arrays["y"].tolist(), out.flags
([0.0, 2.0, 4.0, 6.0, 8.0], set())
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping

import numpy as np

from ..records import dataclass  # (frozen dataclasses made with less compiling: negosim.records)

FLOAT, BOOL, CODE = np.dtype(np.float64), np.dtype(np.bool_), np.dtype(np.int16)
#: A block's registers take at most this many bytes (they are reused for every block). Larger blocks
#: spread Python's cost per step over more points; measured on the seed scenario, 16 MB (blocks of about
#: 37,000 points) solved a chunk in 0.8 of the time 4 MB took.
WORKSPACE_BYTES = 16 * 2**20
#: Points per block: at least MIN_BLOCK (Python's per-step cost is then spread over as many
#: points), at most MAX_BLOCK.
MIN_BLOCK, MAX_BLOCK = 1024, 65536


class ProgramTooLarge(Exception):
    """The program would need more registers than a block of MIN_BLOCK points can hold."""


@dataclass(frozen=True)
class Slot:
    """Where a step's argument lives (see `ProgramBuilder`)."""

    kind: str  # "in", "reg", "out", "const", "group" (rows of their own) or "row" (one of a group's)
    key: object  # input/output name, (dtype, row) of a register, a group's index, or the constant
    column: int | None = None  # an output's column


@dataclass(frozen=True)
class Step:
    """One call ``fn(*slots)``; with `flag`, a true result raises that flag for the run."""

    fn: Callable
    args: tuple[int, ...]
    flag: str | None = None


@dataclass(frozen=True)
class Run:
    """What a run gives back: the output arrays, and the flags any block raised."""

    arrays: dict[str, np.ndarray]
    flags: set[str]


class ProgramBuilder:
    """Collects slots and steps; `call` emits one numpy call into a fresh register."""

    def __init__(self) -> None:
        self.slots: list[Slot] = []
        self.steps: list[Step] = []
        self.registers = {FLOAT: 0, BOOL: 0, CODE: 0}
        self._known: dict[tuple, int] = {}
        self.groups: list[tuple[np.dtype, int]] = []

    def _slot(self, slot: Slot) -> int:
        key = (slot.kind, _const_key(slot.key) if isinstance(slot.key, np.ndarray) else slot.key, slot.column)
        if key not in self._known:
            self._known[key] = len(self.slots)
            self.slots.append(slot)
        return self._known[key]

    def input(self, name: str) -> int:
        """The slot of a caller's 1-d input array, block by block."""
        return self._slot(Slot("in", name))

    def constant(self, value, dtype=FLOAT) -> int:
        """The slot of a constant (a 0-d array of `dtype`)."""
        return self._slot(Slot("const", np.asarray(value, dtype=dtype)))

    def register(self, dtype=FLOAT) -> int:
        """A fresh register of `dtype` (float64, bool or int16)."""
        dtype = np.dtype(dtype)
        row = self.registers[dtype]
        self.registers[dtype] += 1
        self.slots.append(Slot("reg", (dtype, row)))
        return len(self.slots) - 1

    def group(self, size: int, dtype=FLOAT) -> tuple[int, list[int]]:
        """`size` registers in consecutive rows, never shared: the slot of the whole ``(size, block)``
        array, and one slot per row."""
        gid = len(self.groups)
        self.groups.append((np.dtype(dtype), size))
        self.slots.append(Slot("group", gid))
        whole = len(self.slots) - 1
        rows = []
        for r in range(size):
            self.slots.append(Slot("row", gid, r))
            rows.append(len(self.slots) - 1)
        return whole, rows

    def emit(self, fn: Callable, *args: int, flag: str | None = None) -> None:
        """Append the step ``fn(*args)`` (its last argument is usually where it writes)."""
        self.steps.append(Step(fn, tuple(args), flag))

    def call(self, ufunc: Callable, *args: int, dtype=FLOAT) -> int:
        """Emit ``ufunc(*args, out=new register)`` and return the register."""
        out = self.register(dtype)
        self.emit(_KEYWORD_OUT.get(ufunc, ufunc), *args, out)  # a ufunc takes its output after its inputs
        return out

    def select(self, first: int, choices: list[tuple[int, int]], dtype=FLOAT) -> int:
        """A register holding `first`, overwritten by each ``(mask, value)`` in turn where `mask` holds."""
        out = self.register(dtype)
        self.emit(_copy, first, out)
        for mask, value in choices:
            self.emit(_copy_where, value, mask, out)
        return out

    def flag(self, name: str, mask: int) -> None:
        """Raise flag `name` for the run if `mask` holds anywhere."""
        self.emit(_any, mask, flag=name)

    def output(self, name: str, source: int, column: int | None = None) -> None:
        """Copy `source` into the caller's output `name` (its `column`, for a 2-d output)."""
        self.emit(_copy, source, self._slot(Slot("out", name, column)))

    def build(self) -> Program:
        """The finished program; raises ProgramTooLarge if its registers cannot fit MIN_BLOCK points.

        Registers are shared: one whose last use is before another's first write gives it its row,
        so the workspace holds only the values alive at once (and stays in the processor's cache).
        """
        first: dict[int, int] = {}
        last: dict[int, int] = {}
        for t, step in enumerate(self.steps):
            for a in step.args:
                if self.slots[a].kind == "reg":
                    first.setdefault(a, t)
                    last[a] = t
        starts: dict[int, list[int]] = {}
        ends: dict[int, list[int]] = {}
        for a, t in first.items():
            starts.setdefault(t, []).append(a)
            ends.setdefault(last[a], []).append(a)
        rows = {d: 0 for d in self.registers}
        free: dict[np.dtype, list[int]] = {d: [] for d in self.registers}
        slots = list(self.slots)
        for t in range(len(self.steps)):
            for a in starts.get(t, ()):
                dtype = self.slots[a].key[0]  # type: ignore[index]
                if free[dtype]:
                    row = free[dtype].pop()
                else:
                    row, rows[dtype] = rows[dtype], rows[dtype] + 1
                slots[a] = Slot("reg", (dtype, row))
            for a in ends.get(t, ()):  # free for the steps after this one (never an input's row as its output)
                free[slots[a].key[0]].append(slots[a].key[1])  # type: ignore[index]
        for a, slot in enumerate(self.slots):
            if slot.kind == "reg" and a not in first:  # a register no step uses has no row
                slots[a] = Slot("unused", None)
        per_point = sum(d.itemsize * k for d, k in rows.items()) + sum(d.itemsize * k for d, k in self.groups)
        block = min(MAX_BLOCK, WORKSPACE_BYTES // max(per_point, 1))
        if block < MIN_BLOCK:
            raise ProgramTooLarge(f"{per_point} register bytes per point")
        return Program(tuple(slots), tuple(self.steps), rows, int(block), tuple(self.groups))


_POOL = threading.local()


def _pooled(key, shape: tuple[int, ...], dtype) -> np.ndarray:
    """A view of `shape` on this thread's array for `key`, which grows (never shrinks) to fit it."""
    arrays = _POOL.__dict__.setdefault("arrays", {})
    have = arrays.get(key)
    if have is None or any(h < s for h, s in zip(have.shape, shape)):
        grown = shape if have is None else tuple(max(h, s) for h, s in zip(have.shape, shape))
        have = arrays[key] = np.empty(grown, dtype=dtype)
    return have[tuple(slice(0, s) for s in shape)]


def _const_key(value: np.ndarray) -> tuple:
    return (value.dtype.str, value.tobytes())


def _maximum(a, b, out) -> None:
    np.maximum(a, b, out=out)


def _minimum(a, b, out) -> None:
    np.minimum(a, b, out=out)


#: Ufuncs whose output must be passed by keyword (numpy deprecates a positional one for them).
_KEYWORD_OUT: dict[Callable, Callable] = {np.maximum: _maximum, np.minimum: _minimum}


def _copy(source, out) -> None:
    np.copyto(out, source)


def _copy_where(source, mask, out) -> None:
    np.copyto(out, source, where=mask)


def _any(mask) -> bool:
    return bool(mask.any())


class Program:
    """A straight-line program over blocks of points (see the module's description).

    Its registers live in arrays kept per thread and shared by every program that thread runs, so
    running one allocates nothing once the thread has run one as large.
    """

    def __init__(self, slots: tuple[Slot, ...], steps: tuple[Step, ...], registers: dict, block: int,
                 groups: tuple[tuple[np.dtype, int], ...] = ()) -> None:
        self.slots, self.steps, self.registers, self.block, self.groups = slots, steps, registers, block, groups

    def _workspace(self, block: int) -> dict:
        ws = {d: _pooled(d, (k, block), d) for d, k in self.registers.items()}
        # a group is contiguous for every block length (`take` reads it flat)
        ws.update({g: _pooled(("group", g, d), (size * block,), d) for g, (d, size) in enumerate(self.groups)})
        return ws

    def run(self, inputs: Mapping[str, np.ndarray], outputs: Mapping[str, np.ndarray],
            block: int | None = None) -> Run:
        """Run over every point of `inputs` (1-d arrays of one length n), writing `outputs` (arrays
        whose first axis has length n); return them and the raised flags."""
        block = self.block if block is None else int(block)
        n = len(next(iter(outputs.values())))
        ws = self._workspace(block)
        flags: set[str] = set()
        steps = [(s.fn, s.args, s.flag) for s in self.steps]
        with np.errstate(all="ignore"):  # (inf or NaN is the caller's to check, as `Formula.evaluate` does)
            self._blocks(steps, ws, inputs, outputs, n, block, flags)
        return Run(dict(outputs), flags)

    def _blocks(self, steps: list, ws: dict, inputs: Mapping, outputs: Mapping, n: int, block: int,
                flags: set[str]) -> None:
        for lo in range(0, n, block):
            hi = min(n, lo + block)
            arrays = [self._bind(slot, ws, inputs, outputs, lo, hi) for slot in self.slots]
            for fn, args, flag in steps:
                result = fn(*[arrays[a] for a in args])
                if flag is not None and result:
                    flags.add(flag)

    def _bind(self, slot: Slot, ws: dict, inputs: Mapping, outputs: Mapping, lo: int, hi: int):
        if slot.kind == "reg":
            dtype, row = slot.key  # type: ignore[misc]
            return ws[dtype][row, : hi - lo]  # type: ignore[has-type]
        if slot.kind in ("group", "row"):
            size = self.groups[int(slot.key)][1]  # type: ignore[call-overload]
            table = ws[slot.key][: size * (hi - lo)].reshape(size, hi - lo)
            return table if slot.kind == "group" else table[slot.column]
        if slot.kind == "in":
            return inputs[slot.key][lo:hi]
        if slot.kind == "out":
            out = outputs[slot.key][lo:hi]
            return out if slot.column is None else out[:, slot.column]
        return slot.key
