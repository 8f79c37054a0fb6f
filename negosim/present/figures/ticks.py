"""Axis ticks chosen as matplotlib's default locator chooses them (at most `nbins` steps of 1, 2, 2.5 or 5
times a power of ten) and written with one number of decimals along the axis, so that a figure drawn
without matplotlib has the ticks of one drawn with it; both painters of the regime map use these.
"""

from __future__ import annotations

import math

_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)
MINUS = "\u2212"  # a typographic minus, as matplotlib writes one


def nice_ticks(lo: float, hi: float, nbins: int = 9) -> list[float]:
    """The tick values within [lo, hi]: multiples of the smallest step 1, 2, 2.5 or 5 times a power of
    ten that gives at most `nbins` intervals, at least two ticks.

    Parameters
    ----------
    lo, hi : float
        The axis range (data units); ``hi <= lo`` gives the single tick `lo`.
    nbins : int, default 9
        The most tick intervals the axis has room for.

    Returns
    -------
    list of float
        Ascending tick values, rounded to the step's decimals.

    Examples
    --------
    >>> nice_ticks(0.2, 0.8)
    [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]
    >>> nice_ticks(0.0, 0.3)
    [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]
    """
    if not hi > lo:
        return [lo]
    raw = (hi - lo) / max(1, nbins)
    scale = 10.0 ** math.floor(math.log10(raw))
    ticks: list[float] = []
    for base in (scale, 10 * scale):
        for s in _STEPS:
            step = s * base
            if step < raw * (1 - 1e-9):
                continue
            eps = 1e-9 * step
            first, last = math.ceil((lo - eps) / step), math.floor((hi + eps) / step)
            ticks = [_clean(k * step, step) for k in range(first, last + 1)]
            if len(ticks) >= 2:
                return ticks
    return ticks or [lo, hi]


def _clean(v: float, step: float) -> float:
    """`v` rounded to the step's decimals (0.30000000000000004 -> 0.3), and no negative zero."""
    digits = max(0, 12 - int(math.floor(math.log10(step))))
    v = round(v, min(digits, 15))
    return 0.0 if v == 0 else v


def tick_labels(ticks: list[float]) -> list[str]:
    """The ticks written with the fewest decimals that show every one of them exactly (the same number
    for all), with a typographic minus.

    Very large or very small magnitudes (from a million, or below 0.0001) are written with three
    significant digits instead.

    Parameters
    ----------
    ticks : list of float
        The tick values, as `nice_ticks` gives them.

    Returns
    -------
    list of str
        One label per tick, in the same order.

    Examples
    --------
    >>> tick_labels([0.0, 0.05, 0.1])
    ['0.00', '0.05', '0.10']
    >>> tick_labels([-1.0, 0.0, 1.0])
    ['\u22121', '0', '1']
    """
    if not ticks:
        return []
    big = max(abs(t) for t in ticks)
    if big >= 1e6 or (0 < big < 1e-4):
        return [f"{t:.3g}".replace("-", MINUS) for t in ticks]
    decimals = 0
    while decimals < 10 and any(abs(round(t, decimals) - t) > 1e-9 * max(big, 1e-12) for t in ticks):
        decimals += 1
    out = []
    for t in ticks:
        s = f"{t:.{decimals}f}"
        out.append(s.lstrip("-") if float(s) == 0 else s.replace("-", MINUS))
    return out


__all__ = ["MINUS", "nice_ticks", "tick_labels"]
