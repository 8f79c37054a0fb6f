"""Pure-strategy Nash equilibria of n-player games: a vectorised best-response test over all profiles."""

from __future__ import annotations

import numpy as np

from ..game.normal import NormalFormGame
from .result import Solution
from .tolerance import RTOL, comparison_tol, player_exponents, to_unit
from .verify import flat_payoffs, require_finite, verified_solution


def pure_nash(game: NormalFormGame, *, rtol: float = RTOL) -> Solution:
    """All pure-strategy Nash equilibria at every batch point (concept ``"pure"``).

    A profile is an equilibrium when no player gains by switching action more than its tolerance
    for that comparison: ``rtol`` times the spread of its payoffs over its own actions against the
    others' profile, plus floating-point noise (`tolerance.comparison_tol`). So a deviation worth
    0.5 next to payoffs of 1e19 elsewhere in the game still counts. Every profile of every point
    is tested at once, so the result is complete everywhere. A row is `tied` when some player has
    another action within tolerance of its best reply, and a point is `degenerate` when one of its
    pure equilibria is tied. `extra` holds ``best_responses``, ``tied_actions`` and
    ``tie_descriptions`` (see `verify.verified_solution`).

    Parameters
    ----------
    game : NormalFormGame
        Any number of players, any batch shape.
    rtol : float
        Relative tolerance for ties and verification.

    Returns
    -------
    Solution
        Concept ``"pure"``, complete at every point.

    Raises
    ------
    GameError
        For payoffs that are not finite.

    Examples
    --------
    >>> big = NormalFormGame.from_bimatrix([[1e19, 0.5], [0.0, 1.0]], [[0.0, 1.0], [0.0, 0.0]])
    >>> [eq.strategies for eq in pure_nash(big).equilibria_at(0)]
    [{'P1': {'1': 0.0, '2': 1.0}, 'P2': {'1': 0.0, '2': 1.0}}]
    >>> from negosim.game.generate import random_game
    >>> sol = pure_nash(random_game((2, 2, 2), batch=100, rng=0))
    >>> sol.batch_shape, bool(sol.complete.all())
    ((100,), True)
    """
    require_finite(game)
    n, shape, P = game.n_players, game.shape, game.batch_size
    pay = flat_payoffs(game)
    exps = player_exponents(pay)
    is_eq = np.ones((P, *shape), dtype=bool)
    for i in range(n):
        u = to_unit(pay[:, i], exps[:, i].reshape((P,) + (1,) * n))  # exact: a power of two
        best = u.max(axis=1 + i, keepdims=True)
        spread = best - u.min(axis=1 + i, keepdims=True)
        slack = comparison_tol(spread, np.abs(u).max(axis=1 + i, keepdims=True), rtol)
        is_eq &= u >= best - slack
    found = np.nonzero(is_eq)  # C order: sorted by point, then by action indices
    strategies = tuple(np.eye(k)[a] for k, a in zip(shape, found[1:]))
    return verified_solution(game, concept="pure", method="best-response enumeration", point=found[0],
                             strategies=strategies, rtol=rtol, complete=np.ones(P, dtype=bool))
