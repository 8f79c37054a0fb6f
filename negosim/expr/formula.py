"""A parsed formula: its text, the names it uses, and a batched evaluator that checks its result."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import field

import numpy as np

from ..errors import FormulaError, Problem
from ..records import dataclass  # (frozen dataclasses made with less compiling: negosim.records)


@dataclass(frozen=True)
class Formula:
    """A payoff, probability or derived formula, parsed once and evaluated many times.

    Build it with `negosim.expr.parse_formula`. `constant` is its value when it uses no
    names. `file`, `line` and `path` say where it was written, for error messages. `run` is
    the compiled closure (numpy operations only); call `evaluate`, which checks the result.

    Parameters
    ----------
    source : str
        The formula as written.
    names : frozenset of str
        The parameter and derived-value names it uses.
    file, line, path : optional
        Where it was written.
    constant : float, optional
        Its value when it uses no names.
    run : callable, optional
        The compiled closure.

    Examples
    --------
    >>> import numpy as np
    >>> from negosim.expr import parse_formula
    >>> f = parse_formula("max(p - c, 0)", ["p", "c"])
    >>> f.evaluate({"p": np.array([0.2, 0.9]), "c": 0.5}).tolist()
    [0.0, 0.4]
    >>> parse_formula("3").constant
    3.0
    """

    source: str
    names: frozenset[str]
    file: str | None = None
    line: int | None = None
    path: str | None = None
    constant: float | None = None
    run: Callable[[Mapping[str, np.ndarray]], np.ndarray] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def located(cls, source: str, names: frozenset[str], file: str | None, line: int | None, path: str | None,
                constant: float | None, run: Callable[[Mapping[str, np.ndarray]], np.ndarray] | None) -> Formula:
        """Return ``Formula(source, names, file, line, path, constant, run)``, made at two thirds of the cost.

        A big game tree makes one per payoff; the frozen dataclass's ``__init__`` looks up
        ``object.__setattr__`` for each field it sets (there is no ``__post_init__``).

        Parameters
        ----------
        source, names, file, line, path, constant, run
            The fields, as for the constructor.

        Returns
        -------
        Formula
            Equal to the constructor's.

        Examples
        --------
        >>> from negosim.expr import parse_formula
        >>> f = parse_formula("a + 1", ["a"])
        >>> Formula.located(f.source, f.names, "x.yaml", 3, "p", f.constant, f.run) == Formula(
        ...     f.source, f.names, "x.yaml", 3, "p", f.constant, f.run)
        True
        """
        formula = object.__new__(cls)
        put = object.__setattr__  # as the dataclass's __init__ does, but bound once (no __dict__ made)
        put(formula, "source", source)
        put(formula, "names", names)
        put(formula, "file", file)
        put(formula, "line", line)
        put(formula, "path", path)
        put(formula, "constant", constant)
        put(formula, "run", run)
        return formula

    def evaluate(self, env: Mapping[str, float | np.ndarray]) -> np.ndarray:
        """Return the formula's float64 values, broadcast over the arrays in `env` it uses.

        A scalar result is a 0-d array. Raises FormulaError, located at this formula, if a
        name has no value in `env` or the result is inf or NaN anywhere.
        """
        arrays: dict[str, np.ndarray] = {}
        for name in sorted(self.names):
            if name not in env:
                self._fail(f"formula {show(self.source)}: no value for {name!r}")
            try:
                arrays[name] = np.asarray(env[name], dtype=np.float64)
            except (TypeError, ValueError):
                self._fail(f"formula {show(self.source)}: the value of {name!r} is not a number")
        with np.errstate(all="ignore"):
            assert self.run is not None  # set by the parser for every Formula it returns
            result = np.asarray(self.run(arrays), dtype=np.float64)
        if any(result is a for a in arrays.values()):
            result = result.copy()  # never hand out the caller's own array
        if not np.isfinite(result).all():
            self._fail(not_finite_message(self.source, result, arrays))
        return result

    def __str__(self) -> str:
        return self.source

    def __reduce__(self):
        # The compiled closures cannot be pickled; parsing again rebuilds them (for workers).
        return (_rebuild, (self.source, self.file, self.line, self.path))

    def _fail(self, message: str):
        raise FormulaError(Problem(message, file=self.file, line=self.line, path=self.path))


def _rebuild(source: str, file, line, path) -> Formula:
    from .parse import parse_formula

    return parse_formula(source, file=file, line=line, path=path)


def show(source: str, limit: int = 80) -> str:
    """Return the formula quoted for a message, shortened if long."""
    text = " ".join(source.split())
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return repr(text)


def not_finite_message(source: str, result: np.ndarray, arrays: Mapping[str, np.ndarray]) -> str:
    """Return the message for a result that is inf or NaN, naming the first such point."""
    finite = np.isfinite(result)
    first = int(np.argmin(finite.ravel()))
    index = np.unravel_index(first, result.shape) if result.ndim else ()
    value = float(result[index])
    if np.isnan(value):
        why = "NaN: 0/0, inf - inf, or log or sqrt of a negative number"
    else:
        why = f"{value:g}: division by zero, log(0) or overflow"
    message = f"formula {show(source)} is not finite ({why})"
    values = []
    for name in sorted(arrays):
        try:
            values.append(f"{name}={float(np.broadcast_to(arrays[name], result.shape)[index]):.6g}")
        except ValueError:
            continue
    if values:
        message += " at " + ", ".join(values)
    if result.size > 1:
        bad = int(result.size - np.count_nonzero(finite))
        message += f" (point {tuple(int(i) for i in index)}, one of {bad} such points out of {result.size})"
    return message
