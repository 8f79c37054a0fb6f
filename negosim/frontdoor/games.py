"""Games in and solutions out: `from_arrays` (a normal form from one payoff array per player) and
`solve_game` (one concept's verified solution of a game, by default its primary answer).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import NegosimUsageError
from ..game import GameTree, NormalFormGame
from ..solve.result import Solution
from ..solve.tolerance import RTOL

Game = NormalFormGame | GameTree


def from_arrays(*payoffs: Any, players: tuple[str, ...] | list[str] | None = None,
                actions: tuple | list | None = None, title: str = "") -> NormalFormGame:
    """Return an n-player normal-form game from one payoff array per player.

    This is pygambit's ``Game.from_arrays`` convention: player ``i``'s array holds ``i``'s payoff
    at every pure profile, indexed ``[a1, a2, ..., an]`` by the actions of players 1..n in order,
    so every array has shape ``n_actions``. A leading batch is allowed: each array has shape
    ``(*batch, *n_actions)`` and the batches broadcast together.

    Parameters
    ----------
    *payoffs : array_like
        One array per player, shape ``(*batch, n_1, ..., n_n)``.
    players : sequence of str, optional
        Player labels (default ``P1, P2, ...``).
    actions : sequence of sequences of str, optional
        Each player's action labels (default numbered from ``"1"``, as in Gambit files).
    title : str

    Returns
    -------
    NormalFormGame

    Raises
    ------
    GameError
        For arrays whose action shapes disagree, or labels that do not fit (a `ValueError`).

    Examples
    --------
    >>> import negosim as ns
    >>> pd = ns.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], actions=[["C", "D"], ["C", "D"]])
    >>> ns.equilibria(pd).outcomes().tolist()
    ['(D, D)']
    """
    from ..errors import GameError

    n = len(payoffs)
    if n < 1:
        raise GameError("from_arrays needs one payoff array per player")
    arrays = [np.asarray(a, dtype=float) for a in payoffs]
    if any(a.ndim < n for a in arrays):
        raise GameError(f"{n} players: every payoff array needs at least {n} dimensions (one per player)")
    shape = arrays[0].shape[arrays[0].ndim - n:]
    for i, a in enumerate(arrays):
        if a.shape[a.ndim - n:] != shape:
            raise GameError(f"payoff array {i + 1} has action shape {a.shape[a.ndim - n:]}; array 1 has {shape}")
    try:
        batch = np.broadcast_shapes(*(a.shape[:a.ndim - n] for a in arrays))
    except ValueError:
        raise GameError("the payoff arrays' batch shapes do not broadcast together") from None
    stacked = np.stack([np.broadcast_to(a, (*batch, *shape)) for a in arrays], axis=len(batch))
    players = tuple(players) if players is not None else tuple(f"P{i + 1}" for i in range(n))
    if actions is None:
        actions = tuple(tuple(str(j + 1) for j in range(k)) for k in shape)
    return NormalFormGame(players, tuple(tuple(a) for a in actions), stacked, title)


def solve_game(game: Game, concept: str | None = None, *, rtol: float = RTOL,
               lambdas: Sequence[float] | None = None, method: str | None = None) -> Solution:
    """One concept's verified solution of a game (default: its primary answer, `negosim.solve.primary`).

    Parameters
    ----------
    game : NormalFormGame or GameTree
    concept : str, optional
        ``"spe"``, ``"pbe"``, ``"nash"``, ``"pure"``, ``"qre"`` or ``"ce"``.
    rtol : float
        Relative tolerance for ties and verification.
    lambdas : sequence of float, optional
        Precisions of the logit QRE (``concept="qre"`` only).
    method : str, optional
        ``"lemke"``: Nash equilibria of a 2-player game by Lemke-Howson from every starting label.

    Returns
    -------
    Solution

    Raises
    ------
    NegosimUsageError
        For a concept that does not apply to the game.

    Examples
    --------
    >>> from negosim.frontdoor import solve_game
    >>> import negosim as ns
    >>> pd = ns.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> solve_game(pd)
    <Solution nash: 1 equilibrium; complete>
    """
    if concept is None:
        from ..solve.primary import primary_solution

        return primary_solution(game, rtol=rtol)
    if not isinstance(concept, str):
        raise NegosimUsageError(f"give one concept by name (spe, nash, pure), not {concept!r}")
    from ..solve import solve

    if lambdas is not None and concept != "qre":
        raise NegosimUsageError("lambdas= applies to the concept 'qre'")
    if method is not None and concept != "nash":
        raise NegosimUsageError("method= applies to the concept 'nash'")
    (sol,) = solve(game, concept, rtol=rtol, lambdas=lambdas, method=method)
    return sol


__all__ = ["Game", "from_arrays", "solve_game"]
