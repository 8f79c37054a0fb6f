"""Conversions between game forms that need no solving: a normal form as a game tree."""

from __future__ import annotations

from typing import Any

import numpy as np

from .normal import NormalFormGame
from .profiles import profile_id
from .tree import DECISION, TERMINAL, GameTree, Node, Outcome


def normal_to_tree(game: NormalFormGame) -> GameTree:
    """The normal form as a tree of simultaneous moves: player 1 moves, then each later player
    moves in a single information set (it does not see the earlier moves)."""
    n = game.n_players
    nodes: list[Node | None] = []
    outcomes: list[Outcome] = []
    outcome_index: dict[str, int] = {}
    columns: list[np.ndarray] = []

    def build(level: int, profile: tuple[int, ...]) -> int:
        index = len(nodes)
        nodes.append(None)  # placeholder, filled below once the children exist
        if level == n:
            labels = tuple(game.actions[i][a] for i, a in enumerate(profile))
            oid = str(game.outcomes[profile]) if game.outcomes is not None else profile_id(labels)
            if oid not in outcome_index:
                outcome_index[oid] = len(outcomes)
                outcomes.append(Outcome(oid, profile_id(labels)))
                columns.append(game.payoffs[(Ellipsis, slice(None), *profile)])  # type: ignore[arg-type]
            nodes[index] = Node(f"t{index}", TERMINAL, outcome=outcome_index[oid])
            return index
        children = tuple(build(level + 1, profile + (a,)) for a in range(game.shape[level]))
        player = game.players[level]
        nodes[index] = Node(
            f"{player}" if level == 0 else f"{player}.{'.'.join(game.actions[i][a] for i, a in enumerate(profile))}",
            DECISION,
            actions=game.actions[level],
            children=children,
            player=level,
            infoset=player,
        )
        return index

    build(0, ())
    payoffs = np.stack(columns, axis=-2)  # (*batch, n_outcomes, n_players)
    built = tuple(n for n in nodes if n is not None)  # every placeholder has been filled
    return GameTree(game.players, built, 0, tuple(outcomes), payoffs, {}, game.title, game.ties)


def from_nashpy(game: Any) -> NormalFormGame:
    """Return the 2-player normal form of a `nashpy.Game` (players ``P1``, ``P2``; actions numbered from 1).

    nashpy is not imported: any object with nashpy's ``payoff_matrices`` (the row and column
    players' matrices) will do.

    Examples
    --------
    >>> import nashpy
    >>> from_nashpy(nashpy.Game([[1, 2], [3, 4]], [[0, 1], [1, 0]])).payoffs.shape
    (2, 2, 2)
    """
    A, B = game.payoff_matrices
    return NormalFormGame.from_bimatrix(A, B)


def as_game(obj: Any) -> NormalFormGame | GameTree:
    """Return a negosim game for a negosim game or a `nashpy.Game` (a 2-player bimatrix game).

    Raises
    ------
    NegosimUsageError
        For anything else.

    Examples
    --------
    >>> import nashpy
    >>> as_game(nashpy.Game([[1, 0], [0, 1]])).players
    ('P1', 'P2')
    """
    if isinstance(obj, (NormalFormGame, GameTree)):
        return obj
    if type(obj).__module__.split(".")[0] == "nashpy" and hasattr(obj, "payoff_matrices"):
        return from_nashpy(obj)
    from ..errors import NegosimUsageError

    raise NegosimUsageError(f"not a game: {type(obj).__name__} (give a negosim game, a Scenario or a nashpy.Game)")
