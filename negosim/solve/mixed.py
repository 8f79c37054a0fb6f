"""Nash equilibria in mixed strategies: all of them for 2 players and small games of 3+ players.

`nash_equilibria` is the front door. For 2 players it runs vertex enumeration of the best-response
polytopes at every point: it solves exactly the linear systems support enumeration solves, is
complete at nondegenerate points and lists all extreme equilibria at degenerate ones, and detects
degeneracy as a by-product, so one pass serves both cases.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from ..game.normal import NormalFormGame
from .pure import pure_nash
from .result import Solution
from .support import support_enumeration
from .tolerance import RTOL
from .vertex import is_degenerate, vertex_enumeration


def nash_equilibria(game: NormalFormGame, *, rtol: float = RTOL, exact: bool = False) -> Solution:
    """Nash equilibria at every batch point (concept ``"nash"``), complete where the method guarantees it.

    - 2 players: all extreme equilibria by vertex enumeration; `complete` everywhere, and points
      where the game is degenerate are flagged (their equilibria may form continua whose extreme
      points are listed).
    - 1 player: its payoff maximisers, as pure strategies; several tied maximisers make the point
      degenerate (every mixture of them is optimal too).
    - 3 or more players: every equilibrium by support enumeration with homotopy continuation
      (`nplayer.all_nash`) where the size policy says it fits (`policy.nplayer_nash_method`),
      `complete` where every path ended and the game is nondegenerate; beyond that every pure
      equilibrium plus one traced by logit tracing (`logit_tracing`), `complete` False, with a note
      saying why.

    With ``exact=True`` the same, in rational arithmetic (`rational.exact_nash`): fractions in
    ``extra["exact_strategies"]`` and ``extra["exact_payoffs"]``.

    Parameters
    ----------
    game : NormalFormGame
    rtol : float
        Relative tolerance for ties and verification.
    exact : bool
        Solve in rational arithmetic (see above).

    Returns
    -------
    Solution
        Concept ``"nash"``.

    Raises
    ------
    GameError
        For payoffs that are not finite, or a 2-player game too large to enumerate.

    Examples
    --------
    >>> from negosim.game import NormalFormGame
    >>> bos = NormalFormGame.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> [s.round(3).tolist() for s in nash_equilibria(bos).strategies]
    [[[1.0, 0.0], [0.667, 0.333], [0.0, 1.0]], [[1.0, 0.0], [0.333, 0.667], [0.0, 1.0]]]
    """
    if exact:
        from .rational import exact_nash

        return exact_nash(game, rtol=rtol)
    if game.n_players == 2:
        return vertex_enumeration(game, rtol=rtol)
    if game.n_players == 1:
        pure = pure_nash(game, rtol=rtol)
        notes: tuple[str, ...] = ()
        if pure.degenerate.any():
            notes = ("tied maximisers: every mixture of the listed pure strategies is optimal too",)
        return dataclasses.replace(pure, concept="nash", method="maximisation", notes=notes)
    return nplayer_nash(game, rtol=rtol)


def nplayer_nash(game: NormalFormGame, *, rtol: float = RTOL) -> Solution:
    """Nash equilibria of a game with 3+ players: all of them where they fit, else the pure ones and one traced.

    Parameters
    ----------
    game : NormalFormGame
        Three or more players.
    rtol : float
        Relative tolerance for verification.

    Returns
    -------
    Solution
        Concept "nash": every equilibrium (`nplayer.all_nash`, complete) where `policy.nplayer_nash_method`
        says it fits, else the pure equilibria and one traced from the logit QRE (not complete).

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> sol = nplayer_nash(load_scenario("scenarios/three_player.yaml").build())
    >>> sol.method, int(sol.counts()), bool(sol.complete)
    ('support enumeration with homotopy continuation', 7, True)
    """
    from .policy import nplayer_nash_method

    how, why = nplayer_nash_method(game.shape)
    if how == "all":
        from .nplayer import all_nash

        return all_nash(game, rtol=rtol)
    from .logit_tracing import nash_by_logit_tracing
    from .verify import verified_solution

    traced = nash_by_logit_tracing(game, rtol=rtol)
    pure = pure_nash(game, rtol=rtol)  # always complete for pure profiles, and cheap: keep every one
    is_pure = np.all([s.max(axis=1) >= 1.0 for s in traced.strategies], axis=0)
    keep = ~is_pure  # a pure traced equilibrium is already among the pure ones
    point = np.concatenate([pure.point, traced.point[keep]])
    strategies = tuple(np.concatenate([a, b[keep]]) for a, b in zip(pure.strategies, traced.strategies))
    notes = (f"{why}: every pure equilibrium is listed, and one more traced from the logit QRE branch where it "
             "is mixed; other mixed equilibria may exist", *traced.notes[1:])
    return verified_solution(game, concept="nash", method="pure equilibria and logit tracing", point=point,
                             strategies=strategies, rtol=rtol, complete=np.zeros(game.batch_size, dtype=bool),
                             notes=notes)


__all__ = ["nash_equilibria", "nplayer_nash", "support_enumeration", "vertex_enumeration", "is_degenerate"]
