"""Which parameters a sensitivity analysis varies, and over which ranges.

Shared by the one-at-a-time analysis (`negosim.sweep.sensitivity.oat`) and the global indices
(`negosim.sweep.sensitivity_indices`): the parameters asked for (default: every declared one), each
over its declared range or a narrower one, those with nothing to vary held at baseline with a note.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import UsageError


def choose_parameters(scenario: Any, parameters: Sequence[str] | None,
                      ranges: Mapping[str, tuple[float, float]] | None
                      ) -> tuple[list[str], dict[str, tuple[float, float]], list[str]]:
    """Return the parameters to vary, their [low, high], and notes on those skipped (low == high).

    Parameters
    ----------
    scenario : Scenario
        The scenario (at its baseline).
    parameters : sequence of str or None
        The parameters asked for; None: every declared parameter.
    ranges : mapping or None
        Parameter -> ``(low, high)`` inside its declared range.

    Returns
    -------
    tuple of (list of str, dict, list of str)
        The names varied, ``{name: (low, high)}`` for each, and notes on what was left out.

    Raises
    ------
    NegosimUsageError
        For an unknown or repeated name, a bad range, or nothing to vary.

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> s = load_scenario("scenarios/entry_deterrence.yaml")
    >>> choose_parameters(s, ["rep"], {"rep": (1.0, 2.0)})
    (['rep'], {'rep': (1.0, 2.0)}, [])
    """
    declared = scenario.parameters
    notes: list[str] = []
    if parameters is None:
        wanted = list(declared)
    else:
        wanted = list(parameters)
        for n in wanted:
            if n not in declared:
                raise UsageError(scenario.unknown_name(n))
        dup = sorted({n for n in wanted if wanted.count(n) > 1})
        if dup:
            raise UsageError(f"parameter {dup[0]!r} is named twice")
    bounds = {n: (declared[n].low, declared[n].high) for n in wanted}
    for n, pair in (ranges or {}).items():
        if n not in declared:
            raise UsageError(f"range for {n}: {scenario.unknown_name(n)}")
        lo, hi = (float(v) for v in pair)
        p = declared[n]
        if not (math.isfinite(lo) and math.isfinite(hi)) or lo > hi:
            raise UsageError(f"range for {n}: expected low <= high, finite (got [{lo:g}, {hi:g}])")
        if lo < p.low or hi > p.high:
            raise UsageError(f"range for {n}: [{lo:g}, {hi:g}] leaves its declared range [{p.low:g}, {p.high:g}]")
        if n in bounds:
            bounds[n] = (lo, hi)
        else:
            notes.append(f"a range is given for {n}, which is not varied: ignored")
    names = [n for n in wanted if bounds[n][1] > bounds[n][0]]
    fixed = [n for n in wanted if n not in names]
    if fixed:
        notes.append("held at baseline (low == high, nothing to vary): " + ", ".join(fixed))
    if not names:
        raise UsageError("no parameter to vary: every chosen parameter has low == high")
    return names, {n: bounds[n] for n in names}, notes


def baseline_and_parameters(scenario: Any, parameters: Sequence[str] | None, overrides: Mapping[str, float] | None,
                            ranges: Mapping[str, tuple[float, float]] | None
                            ) -> tuple[Any, list[str], dict[str, tuple[float, float]], list[str]]:
    """Return the baseline scenario (`overrides` applied) and `choose_parameters`' answer for it.

    A global method samples every varied parameter over its range, so an override of a varied
    parameter only moves a baseline nothing uses: a note says so.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    parameters : sequence of str or None
        The parameters asked for; None: every declared parameter.
    overrides : mapping or None
        Baseline values of parameters (as ``--set``).
    ranges : mapping or None
        Parameter -> ``(low, high)`` inside its declared range.

    Returns
    -------
    tuple
        ``(baseline scenario, names, bounds, notes)``.

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> s = load_scenario("scenarios/entry_deterrence.yaml")
    >>> base, names, bounds, notes = baseline_and_parameters(s, ["rep"], {"rep": 1.0}, None)
    >>> names, notes
    (['rep'], ['overrides of varied parameters only set baselines, which sampling ignores: rep'])
    """
    base = scenario.with_overrides(dict(overrides or {}))
    names, bounds, notes = choose_parameters(base, parameters, ranges)
    moot = [n for n in (overrides or {}) if n in bounds]
    if moot:
        notes.append("overrides of varied parameters only set baselines, which sampling ignores: " + ", ".join(moot))
    return base, names, bounds, notes


def plain_overrides(overrides: Mapping[str, float] | None) -> dict[str, float]:
    """Return the overrides as a plain ``{name: float}`` (empty for None), as a result records them.

    Parameters
    ----------
    overrides : mapping or None
        Baseline values of parameters.

    Returns
    -------
    dict
        ``{name: float}``.

    Examples
    --------
    >>> plain_overrides({"mu": 1})
    {'mu': 1.0}
    """
    return {k: float(v) for k, v in (overrides or {}).items()}


__all__ = ["baseline_and_parameters", "choose_parameters", "plain_overrides"]
