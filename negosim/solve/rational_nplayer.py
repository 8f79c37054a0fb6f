"""Nash equilibria of games with 3+ players confirmed in rational arithmetic (``exact=True``).

The equilibria of a game with three or more players are roots of polynomial systems, so they can be
irrational even when every payoff is a fraction: in the volunteer's dilemma with cost 2/5 the
symmetric equilibrium volunteers with probability ``1 - sqrt(2/5)``. So the floating-point
enumeration (`mixed.nplayer_nash`) finds them, and each one is then confirmed exactly where it can
be: its probabilities are read as the simplest nearby fractions, and the profile is accepted as exact
only when its regret, computed with `fractions.Fraction` on the payoffs as fractions, is exactly 0.
An equilibrium that no fraction confirms (irrational, or a fraction with a denominator beyond what a
float can carry) stays in floating point, verified to the tolerance, and the notes count it.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from ..errors import GameError
from ..game.normal import NormalFormGame
from .result import Solution
from .tolerance import RTOL
from .verify import flat_payoffs, require_finite, verified_solution

#: Largest profiles x actions per point for which exact regrets are computed (each is a sum over profiles).
MAX_EXACT_WORK = 200_000
#: Denominators tried, smallest first, when reading a float probability as a fraction.
DENOMINATORS = (100, 10_000, 1_000_000, 100_000_000)

Profile = tuple[tuple[Fraction, ...], ...]


def confirm_profile(pay_q: np.ndarray, strategies: tuple[np.ndarray, ...]) -> Profile | None:
    """The exact equilibrium a float profile rounds to, or None when no simple fraction confirms it.

    `pay_q` is one point's payoffs as fractions, shape ``(n, *actions)``. Actions played with
    probability 0 stay at 0; each player's first support action takes 1 minus the others.

    Parameters
    ----------
    pay_q : numpy.ndarray
        One point's payoffs as `Fraction` objects, ``(n, *actions)``.
    strategies : tuple of numpy.ndarray
        Each player's mixed strategy in floating point.

    Returns
    -------
    tuple of tuple of Fraction, or None
        Each player's exact strategy; None when no simple fraction confirms the profile.

    Examples
    --------
    In a 2x2x2 game where every payoff is 1 everyone is indifferent, so the uniform profile is an
    equilibrium, and exactly one half each:

    >>> pay = np.full((3, 2, 2, 2), Fraction(1), dtype=object)
    >>> confirm_profile(pay, (np.array([0.5, 0.5]),) * 3)[0]
    (Fraction(1, 2), Fraction(1, 2))
    """
    from .rational import _exact_regret

    for limit in DENOMINATORS:
        profile = []
        for s in strategies:
            support = np.flatnonzero(s > 0)
            probs = [Fraction(0)] * len(s)
            for a in support[1:]:
                probs[a] = Fraction(float(s[a])).limit_denominator(limit)
            probs[support[0]] = 1 - sum(probs, Fraction(0))
            profile.append(tuple(probs))
        if any(p < 0 for s in profile for p in s):
            continue
        if _exact_regret(pay_q, tuple(profile)) == 0:
            return tuple(profile)
    return None


def exact_nplayer_nash(game: NormalFormGame, *, rtol: float = RTOL) -> Solution:
    """Nash equilibria of a game with 3+ players, each confirmed in rational arithmetic where it is rational.

    Parameters
    ----------
    game : NormalFormGame
        Three or more players; payoffs are read as the simplest fractions their floats round to.
    rtol : float
        Tolerance of the floating-point enumeration and of the verification of unconfirmed rows.

    Returns
    -------
    Solution
        As `mixed.nplayer_nash` (same completeness), with ``extra["exact_strategies"]`` and
        ``extra["exact_payoffs"]`` per row: fractions, or None for an equilibrium not confirmed exactly.

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> sol = exact_nplayer_nash(load_scenario("scenarios/three_player.yaml").build())
    >>> sum(row is not None for row in sol.extra["exact_strategies"]), len(sol.point)
    (6, 7)
    """
    from .mixed import nplayer_nash
    from .rational import _expected, _fractions

    require_finite(game)
    shape = game.shape
    if int(np.prod(shape)) * sum(shape) > MAX_EXACT_WORK:
        raise GameError(f"exact arithmetic: a {'x'.join(map(str, shape))} game is too large to confirm exactly "
                        f"(limit {MAX_EXACT_WORK:,} profiles x actions); solve without --exact")
    floats = nplayer_nash(game, rtol=rtol)
    exact_pay = _fractions(flat_payoffs(game))
    exact_strategies: list[Profile | None] = []
    exact_payoffs: list[tuple[Fraction, ...] | None] = []
    strategies = [s.copy() for s in floats.strategies]
    for e, q in enumerate(floats.point.tolist()):
        profile = confirm_profile(exact_pay[q], tuple(s[e] for s in floats.strategies))
        exact_strategies.append(profile)
        exact_payoffs.append(None if profile is None else _expected(exact_pay[q], profile))
        if profile is not None:
            for i, s in enumerate(profile):
                strategies[i][e] = [float(v) for v in s]
    unconfirmed = sum(p is None for p in exact_strategies)
    notes = list(floats.notes)
    if unconfirmed:
        notes.append(f"{unconfirmed} of {len(exact_strategies)} equilibria have probabilities that are not simple "
                     "fractions (with 3+ players equilibria can be irrational, roots of polynomials): shown in "
                     "floating point, verified to the tolerance; the others are exact")
    exact_rows = np.array([p is not None for p in exact_strategies], dtype=bool)
    return verified_solution(game, concept="nash", method=f"{floats.method}, confirmed exactly",
                             point=floats.point, strategies=tuple(strategies), rtol=rtol,
                             complete=floats.complete.reshape(-1), degenerate=floats.degenerate.reshape(-1),
                             notes=tuple(notes), extra={"exact_strategies": exact_strategies,
                                                        "exact_payoffs": exact_payoffs},
                             exact_rows=exact_rows)


__all__ = ["confirm_profile", "exact_nplayer_nash"]
