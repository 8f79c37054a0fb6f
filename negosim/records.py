"""`dataclass` for the frozen data types every command imports, made with half of the standard one's compiling.

The standard decorator writes each method it adds as source text and compiles it (`exec`): six
small compilations for a frozen class (``__init__``, ``__repr__``, ``__eq__``, ``__hash__``,
``__setattr__``, ``__delattr__``), about half a millisecond a class, paid by every process that
imports the class. A sweep's start-up imports some thirty of them. This decorator lets the standard
one build a frozen class's ``__init__`` (unchanged: classes made by the thousand, such as tree
nodes and formulas, are made exactly as fast) and its frozen ``__setattr__``/``__delattr__``, and
gives it ``__repr__``, ``__eq__`` and ``__hash__`` as closures over its fields (no compiling) that
return what the generated ones return: the same text (recursion shown as ``...``), the same
comparison of field tuples between instances of the same class, the same hash of the field tuple.
`dataclasses.fields`, `dataclasses.replace`, `dataclasses.asdict` and ``__dataclass_params__`` see
an ordinary dataclass. Anything but a frozen class (or ``order``, ``unsafe_hash``, ``slots``) is
handed to the standard decorator untouched.

Type checkers see `dataclasses.dataclass` itself.

>>> from negosim.records import dataclass
>>> @dataclass(frozen=True)
... class Offer:
...     share: float
...     by: str = "RU"
>>> Offer(0.4), Offer(0.4) == Offer(0.4, "RU"), hash(Offer(0.4)) == hash((0.4, "RU"))
(Offer(share=0.4, by='RU'), True, True)
"""

from __future__ import annotations

import dataclasses
from operator import attrgetter
from reprlib import recursive_repr
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dataclasses import dataclass
else:

    def dataclass(cls=None, /, **options):
        """`dataclasses.dataclass` with the same arguments and the same classes; a frozen class gets its
        ``__repr__``, ``__eq__`` and ``__hash__`` as closures instead of compiled methods (see the module).

        Parameters
        ----------
        cls : type, optional
            The class (when used as ``@dataclass`` without arguments).
        **options
            The options of `dataclasses.dataclass`.

        Returns
        -------
        type or callable
            The data class, or the decorator that makes it.

        Examples
        --------
        >>> @dataclass(frozen=True)
        ... class Threat:
        ...     target: str
        ...     damage: float = 0.1
        >>> Threat("RU"), Threat("RU") == Threat("RU", 0.1), dataclasses.fields(Threat)[1].default
        (Threat(target='RU', damage=0.1), True, 0.1)
        """

        def wrap(cls):
            return _frozen(cls, options) if _cheaper(options) else dataclasses.dataclass(cls, **options)

        return wrap if cls is None else wrap(cls)


def _cheaper(options: dict) -> bool:
    """Whether `options` ask for a frozen class whose added methods this module reproduces."""
    known = {"init", "repr", "eq", "frozen", "match_args", "kw_only"}
    return bool(options.get("frozen")) and set(options) <= known


def _frozen(cls: type, options: dict) -> type:
    repr_wanted, eq_wanted = options.get("repr", True), options.get("eq", True)
    # What the standard decorator would decide about __hash__ (its `_hash_action` for unsafe_hash=False,
    # frozen=True): with eq, a hash of the compared fields unless the class body defines its own
    # (a body defining only __eq__ has __hash__ = None, which does not count); without eq, nothing.
    class_hash = cls.__dict__.get("__hash__", dataclasses.MISSING)
    explicit_hash = not (class_hash is dataclasses.MISSING or (class_hash is None and "__eq__" in cls.__dict__))
    made: Any = dataclasses.dataclass(cls, **{**options, "repr": False, "eq": False})
    fields = dataclasses.fields(made)
    if repr_wanted:
        _add(made, "__repr__", _repr([f.name for f in fields if f.repr]))
    if eq_wanted:
        compared = _getter([f.name for f in fields if f.compare])
        _add(made, "__eq__", _eq(compared))
        if not explicit_hash:
            method = _hash(_getter([f.name for f in fields if (f.compare if f.hash is None else f.hash)]))
            method.__qualname__ = f"{made.__qualname__}.__hash__"
            made.__hash__ = method
    params = made.__dataclass_params__
    params.repr, params.eq = repr_wanted, eq_wanted  # as the standard decorator records them
    return made


def _add(cls: type, name: str, method) -> None:
    """Set `method` unless the class body defines `name` (as the standard decorator does)."""
    if name not in cls.__dict__:
        method.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(cls, name, method)


def _getter(names: list[str]):
    """A function returning the tuple of `names`' values of an instance (as ``(self.a, self.b,)``)."""
    if not names:
        return lambda obj: ()
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return attrgetter(*names)


def _repr(names: list[str]):
    pairs = [(f"{name}=", attrgetter(name)) for name in names]

    @recursive_repr()
    def __repr__(self) -> str:
        return f"{self.__class__.__qualname__}({', '.join(label + repr(get(self)) for label, get in pairs)})"

    return __repr__


def _eq(compared):
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return compared(self) == compared(other)
        return NotImplemented

    return __eq__


def _hash(hashed):
    def __hash__(self) -> int:
        return hash(hashed(self))

    return __hash__


__all__ = ["dataclass"]
