"""Sweep designs: which parameter points a sweep visits, and the `--vary NAME=START:STOP:NUM` syntax.

>>> grid({"mu": (0.0, 0.2, 3), "s": (0.0, 1.0, 2)})["mu"]
array([0. , 0. , 0.1, 0.1, 0.2, 0.2])
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import UsageError

VARY_SYNTAX = "NAME=START:STOP:NUM, e.g. mu=0:0.3:61"


def grid(vary: dict[str, tuple[float, float, int]]) -> dict[str, np.ndarray]:
    """Return the full-factorial grid of `vary` as flat (N,) arrays, the first parameter varying slowest.

    Each parameter takes ``np.linspace(start, stop, num)``; N is the product of the nums.
    """
    if not vary:
        return {}
    axes = [np.linspace(float(a), float(b), int(n)) for a, b, n in vary.values()]
    mesh = np.meshgrid(*axes, indexing="ij")
    return {name: m.reshape(-1) for name, m in zip(vary, mesh)}


def parse_vary(items: list[str], scenario) -> dict[str, tuple[float, float, int]]:
    """Return ``{name: (start, stop, num)}`` from ``--vary`` items like ``"mu=0:0.3:61"``, checked against `scenario`.

    Raises UsageError (one line) for a malformed item, an unknown parameter (with a suggestion),
    a repeated parameter, a value outside the parameter's declared range, or NUM below 2.
    """
    out: dict[str, tuple[float, float, int]] = {}
    for item in items:
        name, sep, spec = item.partition("=")
        name = name.strip()
        parts = spec.split(":")
        if not sep or not name or len(parts) != 3:
            raise UsageError(f"--vary {item}: expected {VARY_SYNTAX}")
        try:
            start, stop = float(parts[0]), float(parts[1])
            num = int(parts[2])
        except ValueError:
            raise UsageError(f"--vary {item}: START and STOP must be numbers and NUM an integer ({VARY_SYNTAX})") from None
        if name in out:
            raise UsageError(f"--vary {item}: {name!r} is varied twice")
        out[name] = (start, stop, num)
        check_vary({name: out[name]}, scenario, shown=f"--vary {item}")
    return out


def check_vary(vary: dict[str, tuple[float, float, int]], scenario, shown: str | None = None) -> None:
    """Raise UsageError unless every varied name is a parameter of `scenario`, inside its range, with num >= 2."""
    for name, (start, stop, num) in vary.items():
        where = shown or f"--vary {name}"
        if name not in scenario.parameters:
            raise UsageError(f"{where}: {scenario.unknown_name(name)}")
        if not (math.isfinite(start) and math.isfinite(stop)):
            raise UsageError(f"{where}: START and STOP must be finite numbers")
        if int(num) < 2:
            raise UsageError(f"{where}: NUM must be at least 2 (got {num})")
        p = scenario.parameters[name]
        bad = [v for v in (start, stop) if not p.low <= v <= p.high]
        if bad:
            raise UsageError(f"{where}: {bad[0]:g} is outside {name}'s declared range [{p.low:g}, {p.high:g}]")


__all__ = ["check_vary", "grid", "parse_vary"]
