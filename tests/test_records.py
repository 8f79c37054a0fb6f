"""negosim.records.dataclass makes the same classes as dataclasses.dataclass (only with less compiling)."""

from __future__ import annotations

import copy
import dataclasses
from typing import ClassVar

import numpy as np
import pytest

from negosim import records

PARAMS = ("init", "repr", "eq", "order", "unsafe_hash", "frozen")


def _define(decorator, options: dict, variant: str):
    """One class of each shape the package uses, defined afresh with `decorator(**options)`."""
    deco = decorator(**options)
    if variant == "plain":
        @deco
        class Plain:
            """A record."""

            a: int
            b: str = "x"
            c: tuple = ()
        return Plain
    if variant == "fields":
        @deco
        class Fields:
            """Fields that leave repr, comparison or hashing."""

            a: int
            hidden: int = dataclasses.field(default=0, repr=False)
            loose: int = dataclasses.field(default=0, compare=False)
            unhashed: int = dataclasses.field(default=0, hash=False)
            hashed: int = dataclasses.field(default=0, compare=False, hash=True)
            kept: dict = dataclasses.field(default_factory=dict, compare=False)
            const: ClassVar[int] = 3
        return Fields
    if variant == "one":
        @deco
        class One:
            """One field."""

            a: object
        return One
    if variant == "none":
        @deco
        class Empty:
            """No field."""
        return Empty
    if variant == "own":
        @deco
        class Own:
            """Methods of its own, which the decorator keeps."""

            a: int

            def __repr__(self) -> str:
                return "own"

            def __eq__(self, other):
                return True

            def __hash__(self) -> int:
                return 7
        return Own
    if variant == "own_eq":
        @deco
        class OwnEq:
            """Its own __eq__ and no __hash__ (the body sets __hash__ = None)."""

            a: int

            def __eq__(self, other):
                return isinstance(other, OwnEq)
        return OwnEq
    if variant == "post_init":
        @deco
        class Checked:
            """A __post_init__ that sets a field as frozen classes do."""

            a: int
            b: int = 0

            def __post_init__(self):
                object.__setattr__(self, "b", self.a * 2)
        return Checked
    raise AssertionError(variant)


VARIANTS = ("plain", "fields", "one", "none", "own", "own_eq", "post_init")
OPTIONS = ({"frozen": True}, {"frozen": True, "eq": False}, {"frozen": True, "repr": False},
           {"frozen": True, "eq": False, "repr": False}, {"frozen": True, "kw_only": True},
           {"frozen": True, "match_args": False}, {}, {"order": True, "frozen": True}, {"unsafe_hash": True})


def _instances(cls) -> list:
    """Instances equal and not, by value and across types (1 and 1.0), with a nested list (called by keyword:
    `kw_only` classes take them so too)."""
    names = [f.name for f in dataclasses.fields(cls) if f.init]
    if not names:
        return [cls(), cls()]
    rest = [n for n in names if n != "a"]
    out = [cls(a=a, **{n: 5 for n in rest}) for a in (1, 1, 2, 1.0, (1, [2]), (1, [2]))]
    return out + [cls(a=1, **{n: 6 for n in rest})]


def _outcome(act):
    """What `act()` returns, or the name of what it raises."""
    try:
        return act()
    except Exception as exc:  # noqa: BLE001 (compared between the two decorators)
        return type(exc).__name__


def _behaviour(cls, options: dict) -> dict:
    """Everything a caller can observe of the class and of a few instances."""
    objs = _instances(cls)
    seen: dict = {
        "params": tuple(getattr(cls.__dataclass_params__, p) for p in PARAMS),
        "fields": [(f.name, f.repr, f.compare, f.hash, f.init) for f in dataclasses.fields(cls)],
        "match_args": getattr(cls, "__match_args__", None),
        "hash_is_none": cls.__hash__ is None,
        "repr": [repr(o) if cls.__repr__ is not object.__repr__ else "object's" for o in objs],
        "eq": [[x == y for y in objs] for x in objs],
        "ne": [[x != y for y in objs] for x in objs],
        "eq_other": [o.__eq__(object()) for o in objs],
        "replace": [dataclasses.astuple(dataclasses.replace(o)) == dataclasses.astuple(o) for o in objs],
        "asdict": [sorted(dataclasses.asdict(o)) for o in objs],
        "copy": [dataclasses.astuple(copy.deepcopy(o)) == dataclasses.astuple(o) for o in objs],
    }
    if cls.__hash__ is not None:
        seen["hash_equal"] = [[_outcome(lambda x=x, y=y: hash(x) == hash(y)) for y in objs] for x in objs]
        seen["hash"] = ([_outcome(lambda o=o: hash(o)) for o in objs] if cls.__hash__ is not object.__hash__
                        else "identity")
    if options.get("frozen"):
        errors = []
        for o in objs:
            for act in (lambda o=o: setattr(o, "a", 9), lambda o=o: delattr(o, "a"), lambda o=o: setattr(o, "new", 1)):
                try:
                    act()
                except dataclasses.FrozenInstanceError as exc:
                    errors.append(str(exc))
        seen["frozen"] = errors
    return seen


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "default")
@pytest.mark.parametrize("variant", VARIANTS)
def test_a_record_class_behaves_as_the_standard_dataclass(variant, options):
    if options.get("order") and variant in ("own", "own_eq"):
        pytest.skip("order with a hand-written __eq__ is not a shape the package uses")
    stock, fast = (_outcome(lambda d=d: _define(d, options, variant))
                   for d in (dataclasses.dataclass, records.dataclass))
    if isinstance(stock, str):  # a combination the standard decorator refuses is refused alike
        assert fast == stock
        return
    assert dataclasses.is_dataclass(fast)
    assert _behaviour(fast, options) == _behaviour(stock, options)


def test_recursion_shows_as_dots_as_in_the_standard_repr():
    texts = []
    for deco in (dataclasses.dataclass, records.dataclass):
        @deco(frozen=True)
        class Box:
            """Holds anything, itself included."""

            items: list

        box = Box([])
        box.items.append(box)
        texts.append(repr(box))
    assert texts[0] == texts[1] and texts[1].endswith("Box(items=[...])")


def test_a_subclass_compares_and_hashes_its_inherited_fields_too():
    def make(deco):
        @deco(frozen=True)
        class Base:
            """The base."""

            a: int

        @deco(frozen=True)
        class Child(Base):
            """The child."""

            b: int = 0
        return Base, Child

    (sb, sc), (fb, fc) = make(dataclasses.dataclass), make(records.dataclass)
    assert repr(fc(1, 2)) == repr(sc(1, 2)) and hash(fc(1, 2)) == hash(sc(1, 2))
    assert (fc(1, 2) == fc(1, 3), fc(1, 2) == fb(1)) == (sc(1, 2) == sc(1, 3), sc(1, 2) == sb(1))


def test_comparing_array_fields_raises_as_the_standard_comparison_does():
    for deco in (dataclasses.dataclass, records.dataclass):
        @deco(frozen=True)
        class Held:
            """An array field."""

            values: np.ndarray

        same = np.arange(3)
        assert Held(same) == Held(same)  # the same array: equal without comparing its elements
        with pytest.raises(ValueError):
            _ = Held(np.arange(3)) == Held(np.arange(3))


def test_the_methods_carry_the_names_of_the_class():
    @records.dataclass(frozen=True)
    class Named:
        """Named."""

        a: int

    assert Named.__repr__.__qualname__.endswith("Named.__repr__")
    assert Named.__eq__.__qualname__.endswith("Named.__eq__")
    assert Named.__hash__.__qualname__.endswith("Named.__hash__")
