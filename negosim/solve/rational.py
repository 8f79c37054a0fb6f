"""Equilibria in exact rational arithmetic (``exact=True``, ``negosim solve --exact``).

Payoffs are read as the simplest fractions their floats round to (`exact.simple_fraction`: a file's
``0.1`` is one tenth, ``1/3`` a third), every equilibrium is computed and checked with
`fractions.Fraction`, and the `Solution` carries the fractions next to the usual float arrays:
``extra["exact_strategies"]`` (per row, a tuple over players of fractions per action) and
``extra["exact_payoffs"]`` (per row, a fraction per player). Meant for small games: the work grows
with the number of supports, and no rounding question ever arises.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np

from ..errors import GameError
from ..game.normal import NormalFormGame
from . import exact
from .result import Solution, at_points
from .tolerance import RTOL
from .verify import flat_payoffs, require_finite, verified_solution

#: Largest number of (support, tight set) systems per polytope and point solved in rational arithmetic.
MAX_EXACT_SYSTEMS = 200_000
#: Largest number of pure profiles times batch points checked in rational arithmetic.
MAX_EXACT_PROFILES = 1_000_000


def _fractions(pay: np.ndarray) -> np.ndarray:
    """An object array of the simplest fractions the payoffs round to (same shape)."""
    flat = [exact.simple_fraction(v) for v in pay.reshape(-1).tolist()]
    return np.array(flat, dtype=object).reshape(pay.shape)


def _expected(pay_q: np.ndarray, strategies: tuple[tuple[Fraction, ...], ...]) -> tuple[Fraction, ...]:
    """Each player's exact expected payoff under a profile (`pay_q` is one point's (n, *shape) fractions)."""
    n = len(strategies)
    out = []
    for i in range(n):
        total = Fraction(0)
        for profile in itertools.product(*(range(len(s)) for s in strategies)):
            w = Fraction(1)
            for j, a in enumerate(profile):
                w *= strategies[j][a]
                if w == 0:
                    break
            if w:
                total += w * pay_q[(i, *profile)]
        out.append(total)
    return tuple(out)


def _exact_regret(pay_q: np.ndarray, strategies: tuple[tuple[Fraction, ...], ...]) -> Fraction:
    """The largest gain any player gets by deviating to a pure action, exactly."""
    own = _expected(pay_q, strategies)
    worst = Fraction(0)
    for i, s in enumerate(strategies):
        for a in range(len(s)):
            pure = tuple(tuple(Fraction(int(b == a)) for b in range(len(s))) if j == i else t
                         for j, t in enumerate(strategies))
            worst = max(worst, _expected(pay_q, pure)[i] - own[i])
    return worst


Profile = tuple[tuple[Fraction, ...], ...]  # a fraction per action, per player


def _solution(game: NormalFormGame, rows: list[tuple[int, Profile]], *, concept: str,
              method: str, rtol: float, complete: np.ndarray, degenerate: np.ndarray | None,
              notes: tuple[str, ...], exact_pay: np.ndarray) -> Solution:
    """A verified `Solution` from exact profiles, each checked to have exact regret 0."""
    for q, strategies in rows:
        regret = _exact_regret(exact_pay[q], strategies)
        if regret != 0:
            from ..errors import VerificationError

            raise VerificationError(f"{method}: an exact profile has regret {regret} at point {q}")
    point = np.array([q for q, _ in rows], dtype=np.int64)
    floats = tuple(np.array([[float(v) for v in s[i]] for _, s in rows]).reshape(len(rows), k)
                   for i, k in enumerate(game.shape))
    extra = {"exact_strategies": [s for _, s in rows],
             "exact_payoffs": [_expected(exact_pay[q], s) for q, s in rows]}
    return verified_solution(game, concept=concept, method=method, point=point, strategies=floats,
                             rtol=rtol, complete=complete, degenerate=degenerate, notes=notes, extra=extra,
                             exact_rows=np.ones(len(rows), dtype=bool))


def exact_pure_nash(game: NormalFormGame, *, rtol: float = RTOL) -> Solution:
    """All pure-strategy Nash equilibria in rational arithmetic (concept ``"pure"``), at every point.

    A profile is an equilibrium when no player has a strictly better action, compared exactly.
    `rtol` only describes near-ties in the tie report.

    Parameters
    ----------
    game : NormalFormGame
        Finite payoffs, any number of players.
    rtol : float
        Relative tolerance of the tie report.

    Returns
    -------
    Solution
        Concept ``"pure"``; ``extra["exact_payoffs"]`` holds the payoffs as fractions.

    Examples
    --------
    >>> pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> [str(v) for v in exact_pure_nash(pd).extra["exact_payoffs"][0]]
    ['1', '1']
    """
    require_finite(game)
    P, shape = game.batch_size, game.shape
    if P * int(np.prod(shape)) > MAX_EXACT_PROFILES:
        raise GameError(f"exact arithmetic: {P} point(s) of a {'x'.join(map(str, shape))} game are too many "
                        f"profiles (limit {MAX_EXACT_PROFILES:,}); solve without --exact")
    exact_pay = _fractions(flat_payoffs(game))
    rows: list[tuple[int, Profile]] = []
    for q in range(P):
        def payoff(i: int, a: tuple[int, ...], q: int = q) -> Fraction:
            return exact_pay[(q, i, *a)]
        for profile in exact.pure_equilibria(payoff, shape):
            rows.append((q, tuple(tuple(Fraction(int(b == a)) for b in range(k)) for a, k in zip(profile, shape))))
    return _solution(game, rows, concept="pure", method="best-response enumeration (exact)", rtol=rtol,
                     complete=np.ones(P, dtype=bool), degenerate=None, notes=(), exact_pay=exact_pay)


def exact_nash(game: NormalFormGame, *, rtol: float = RTOL) -> Solution:
    """Nash equilibria in rational arithmetic (concept ``"nash"``), complete where the method guarantees it.

    2 players: every extreme equilibrium by exact vertex enumeration (`exact.bimatrix_equilibria`),
    complete at every point, degenerate points flagged. 1 player: its maximisers. 3 or more: the
    floating-point enumeration, each equilibrium confirmed exactly where it is a simple fraction
    (`rational_nplayer.exact_nplayer_nash`; irrational ones stay in floating point, counted in the notes).

    Parameters
    ----------
    game : NormalFormGame
        Finite payoffs, any number of players.
    rtol : float
        Relative tolerance, used to describe near-ties (the equilibria are decided exactly).

    Returns
    -------
    Solution
        Concept ``"nash"``; ``extra["exact_strategies"]`` holds the strategies as fractions.

    Examples
    --------
    >>> game = NormalFormGame.from_bimatrix([[2, 0], [0, 3]], [[3, 0], [0, 2]])
    >>> [[str(v) for v in s] for s in exact_nash(game).extra["exact_strategies"][1]]
    [['2/5', '3/5'], ['3/5', '2/5']]
    """
    import dataclasses

    if game.n_players > 2:
        from .rational_nplayer import exact_nplayer_nash

        return exact_nplayer_nash(game, rtol=rtol)
    if game.n_players == 1:
        pure = exact_pure_nash(game, rtol=rtol)
        tied = ("tied maximisers: every mixture of the listed pure strategies is optimal too",)
        return dataclasses.replace(pure, concept="nash", method="maximisation (exact)",
                                   notes=tied if pure.degenerate.any() else ())
    require_finite(game)
    m, n = game.shape
    if exact.system_count(m, n) > MAX_EXACT_SYSTEMS:
        raise GameError(f"exact arithmetic: a {m}x{n} game has too many supports to enumerate exactly; "
                        "solve without --exact")
    P = game.batch_size
    exact_pay = _fractions(flat_payoffs(game))
    rows: list[tuple[int, Profile]] = []
    degenerate = np.zeros(P, dtype=bool)
    for q in range(P):
        found = exact.bimatrix_equilibria(exact_pay[q, 0].tolist(), exact_pay[q, 1].tolist())
        degenerate[q] = found.degenerate
        rows.extend((q, (x, y)) for x, y in found.profiles)
    notes: tuple[str, ...] = ()
    if degenerate.any():
        notes = (f"the game is degenerate{at_points(int(degenerate.sum()), P)}: its equilibria may form "
                 "continua; all extreme equilibria are listed",)
    return _solution(game, rows, concept="nash", method="vertex enumeration (exact)", rtol=rtol,
                     complete=np.ones(P, dtype=bool), degenerate=degenerate, notes=notes, exact_pay=exact_pay)


__all__ = ["exact_nash", "exact_pure_nash"]
