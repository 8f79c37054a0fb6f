"""The explorer's regime map: the equilibrium outcome over two parameters (or one), with the others held
at the sliders' values, so the projected page shows where the current point sits among the regimes.

One batched build and solve of the whole grid (`negosim.solve.primary.outcome_labels`, the same
answer as `negosim sweep`'s regimes): a 41 x 41 map of the ceasefire tree is one call.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

MAX_SIDE = 81
DEFAULT_SIDE = 41


def default_axes(scenario: Any) -> list[str]:
    """The parameters a map shows first: those the scenario's named sweeps vary (in order), then the others.

    Parameters
    ----------
    scenario : negosim.scenario.Scenario

    Returns
    -------
    list of str
        Every parameter name, the named sweeps' first.

    Examples
    --------
    >>> import negosim as ns
    >>> default_axes(ns.load("scenarios/ceasefire_2025.yaml"))[:2]
    ['p', 'mu']
    """
    names: dict[str, None] = {}
    for spec in scenario.sweeps.values():
        names.update(dict.fromkeys(spec.vary))
    names.update(dict.fromkeys(scenario.parameters))
    return [n for n in names if n in scenario.parameters]


def axis_range(scenario: Any, name: str) -> tuple[float, float]:
    """A named sweep's range for `name` where one varies it (the author's range of interest, inside which
    the formulas are known to be valid), else the parameter's declared range.

    Parameters
    ----------
    scenario : negosim.scenario.Scenario
    name : str
        A parameter of the scenario.

    Returns
    -------
    tuple of float
        ``(low, high)``.

    Examples
    --------
    >>> import negosim as ns
    >>> sc = ns.load("scenarios/ceasefire_2025.yaml")
    >>> axis_range(sc, "p"), axis_range(sc, "k")
    ((0.2, 0.8), (0.0, 0.5))
    """
    for spec in scenario.sweeps.values():
        if name in spec.vary:
            low, high, _ = spec.vary[name]
            return float(low), float(high)
    p = scenario.parameters[name]
    return float(p.low), float(p.high)


def regime_map(scenario: Any, params: dict[str, float], x: str, y: str | None,
               side: int = DEFAULT_SIDE) -> dict:
    """The primary outcome of `scenario` on a grid over `x` (and `y`), other parameters at `params`.

    Parameters
    ----------
    scenario : negosim.scenario.Scenario
    params : dict
        Values of the other parameters (range-checked); `x` and `y` are varied over their ranges.
    x, y : str
        Parameter names; `y` None gives a one-row map (a strip over `x`).
    side : int
        Grid points per axis, 2 to `MAX_SIDE`.

    Returns
    -------
    dict
        ``x`` and ``y`` (name, low, high, values), ``regimes`` (id and readable name of each outcome
        label, in order of first appearance), ``codes`` (rows over `y`, columns over `x`: the index of
        each point's regime) and ``solve_ms``.

    Raises
    ------
    ValueError
        For an unknown parameter, the same parameter twice, or a grid side out of bounds.

    Examples
    --------
    >>> import negosim as ns
    >>> m = regime_map(ns.load("scenarios/ceasefire_2025.yaml"), {}, "mu", None, side=5)
    >>> [r["id"] for r in m["regimes"]], m["codes"]
    (['truce_aid', 'truce_frozen', 'war_sanctions'], [[0, 0, 1, 2, 2]])
    """
    from ..solve.primary import label_names, outcome_labels

    started = time.perf_counter()
    for name in (x, y):
        if name is not None and name not in scenario.parameters:
            raise ValueError(f"unknown parameter {name!r}")
    if x == y:
        raise ValueError("the map's two axes must be two different parameters")
    if not 2 <= side <= MAX_SIDE:
        raise ValueError(f"a map has 2 to {MAX_SIDE} points a side")
    fixed = {k: v for k, v in params.items() if k not in (x, y)}
    sc = scenario.with_overrides(fixed) if fixed else scenario
    xs = np.linspace(*axis_range(scenario, x), side)
    ys = np.linspace(*axis_range(scenario, y), side) if y is not None else None
    grid = {x: xs[None, :]} if ys is None or y is None else {x: xs[None, :], y: ys[:, None]}
    game = sc.build(grid)
    labels = np.broadcast_to(outcome_labels(game), (1 if ys is None else side, side))
    order: dict[str, int] = {}
    codes = [[order.setdefault(str(v), len(order)) for v in row] for row in labels]
    names = label_names(game, list(order))

    def axis(name: str, values: np.ndarray) -> dict:
        return {"name": name, "low": float(values[0]), "high": float(values[-1]), "values": values.tolist()}

    return {"x": axis(x, xs), "y": None if ys is None or y is None else axis(y, ys),
            "regimes": [{"id": k, "name": names.get(k, k)} for k in order], "codes": codes,
            "solve_ms": round((time.perf_counter() - started) * 1000, 2)}


__all__ = ["DEFAULT_SIDE", "MAX_SIDE", "axis_range", "default_axes", "regime_map"]
