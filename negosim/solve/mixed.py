"""Nash equilibria in mixed strategies: all of them for 2 players, pure ones for 1 or 3+ players.

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

NOT_ENUMERATED = "mixed equilibria of games with 3+ players are not enumerated; pure equilibria only"


def nash_equilibria(game: NormalFormGame, *, rtol: float = RTOL, exact: bool = False) -> Solution:
    """Nash equilibria at every batch point (concept ``"nash"``), complete where the method guarantees it.

    - 2 players: all extreme equilibria by vertex enumeration; `complete` everywhere, and points
      where the game is degenerate are flagged (their equilibria may form continua whose extreme
      points are listed).
    - 1 player: its payoff maximisers, as pure strategies; several tied maximisers make the point
      degenerate (every mixture of them is optimal too).
    - 3 or more players: pure equilibria only, `complete` False, with a note saying so.

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
    pure = pure_nash(game, rtol=rtol)
    if game.n_players == 1:
        notes: tuple[str, ...] = ()
        if pure.degenerate.any():
            notes = ("tied maximisers: every mixture of the listed pure strategies is optimal too",)
        return dataclasses.replace(pure, concept="nash", method="maximisation", notes=notes)
    return dataclasses.replace(pure, concept="nash", complete=np.zeros(pure.batch_shape, dtype=bool),
                               notes=(NOT_ENUMERATED,))


__all__ = ["nash_equilibria", "support_enumeration", "vertex_enumeration", "is_degenerate", "NOT_ENUMERATED"]
