"""Numbers as Gambit files hold them: exact text for every float, and chance probabilities
whose exact rational sum is one.

Gambit reads every number in a file exactly (``0.1`` is one tenth, ``1/3`` a third) and rejects
chance probabilities that do not sum to exactly one. A float written here reads back as the
same float, and a distribution's written probabilities sum to exactly one whenever the floats
allow it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from fractions import Fraction
from typing import SupportsFloat

from ..errors import GameError

MAX_DENOMINATOR = 10**6
SUM_TOLERANCE = 1e-12  # how far a distribution's float sum may be from 1 and still be written


def format_number(x: float) -> str:
    """The shortest exact text of `x` for a Gambit file: ``3``, ``0.1``, ``1/3`` or ``repr(x)``.

    Integers are written as integers; a float equal to a fraction ``a/b`` with ``b <= 10**6``
    as ``a/b``, unless its short decimal repr is that same fraction and no longer; any other
    float as its repr, which reads back as the same float. Never uses ``e+`` (Gambit rejects it).

    Parameters
    ----------
    x : float
        A finite number.

    Returns
    -------
    str

    Raises
    ------
    GameError
        For NaN or an infinity.

    Examples
    --------
    >>> from negosim.io import format_number
    >>> format_number(2.0), format_number(0.1), format_number(1 / 3)
    ('2', '0.1', '1/3')
    """
    x = float(x)
    if not math.isfinite(x):
        raise GameError(f"cannot write {x} to a Gambit file: payoffs and probabilities must be finite")
    if x.is_integer():
        return str(int(x))
    short = repr(x)
    f = Fraction(x).limit_denominator(MAX_DENOMINATOR)
    if float(f) == x:
        fraction = f"{f.numerator}/{f.denominator}"
        if Fraction(short) == f and len(short) <= len(fraction):
            return short
        return fraction
    return short


def format_fraction(f: Fraction) -> str:
    """An exact text of the rational `f`: an integer, a terminating decimal or ``a/b``, whichever is shortest."""
    if f.denominator == 1:
        return str(f.numerator)
    fraction = f"{f.numerator}/{f.denominator}"
    d, twos, fives = f.denominator, 0, 0
    while d % 2 == 0:
        d, twos = d // 2, twos + 1
    while d % 5 == 0:
        d, fives = d // 5, fives + 1
    if d != 1:
        return fraction
    digits = max(twos, fives)
    scaled = str(abs(f.numerator) * 10**digits // f.denominator).rjust(digits + 1, "0")
    decimal = ("-" if f < 0 else "") + scaled[:-digits] + "." + scaled[-digits:].rstrip("0")
    return decimal if len(decimal) <= len(fraction) else fraction


def _rounding_interval(x: float) -> tuple[Fraction, Fraction]:
    """A closed interval of rationals, inside [0, 1], every one of which rounds to the float `x`."""
    v = Fraction(x)
    shrink = 1 - Fraction(1, 2**20)  # stay strictly inside the half-way points
    lo = v - (v - Fraction(math.nextafter(x, -math.inf))) / 2 * shrink
    hi = v + (Fraction(math.nextafter(x, math.inf)) - v) / 2 * shrink
    return max(lo, Fraction(0)), min(hi, Fraction(1))


def exact_probabilities(probs: Iterable[SupportsFloat], where: str) -> list[str]:
    """Texts of the probabilities `probs` whose exact rational sum is one, each reading back as
    its float when the floats allow it.

    Starts from `format_number` of each; if those do not sum to one, moves the largest
    probabilities within the rationals that still round to the same float. If no such choice
    sums to one but the floats sum to one within `SUM_TOLERANCE`, the largest absorbs the rest
    (and reads back a few ulps off). Raises GameError otherwise.
    """
    ps = [float(p) for p in probs]
    for p in ps:
        if not (math.isfinite(p) and 0.0 <= p <= 1.0):
            raise GameError(f"chance probability {p} at {where} is not between 0 and 1")
    texts = [format_number(p) for p in ps]
    values = [Fraction(t) for t in texts]
    residual = sum(values, Fraction(0)) - 1  # how much too much the texts say
    order = sorted(range(len(ps)), key=lambda i: -ps[i])
    for i in order:
        if residual == 0:
            break
        target = values[i] - residual
        if float(target) == ps[i] and 0 <= target <= 1:
            new = target
        else:
            lo, hi = _rounding_interval(ps[i])
            new = min(max(target, lo), hi)
        residual -= values[i] - new
        if new != values[i]:
            values[i] = new
            texts[i] = format_fraction(new)
    if residual != 0:
        total = sum((Fraction(p) for p in ps), Fraction(0))
        if abs(total - 1) > SUM_TOLERANCE:
            raise GameError(f"chance probabilities at {where} sum to {float(total)!r}, not 1")
        i = order[0]
        values[i] -= residual
        texts[i] = format_fraction(values[i])
    return texts
