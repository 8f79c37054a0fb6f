"""What a classroom play is made of: the `Move`s recorded, the `Decision`s the class is asked about,
the `Pending` moves a play waits for, and the `MoveError` a move the rules refuse raises.

The rules that relate them, for one game at one parameter point, are `negosim.classroom.rules`.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The role chance plays in, as the pages show it.
CHANCE_ROLE = "Chance"


class MoveError(ValueError):
    """A move the rules do not allow; the message says why in the student's words.

    Examples
    --------
    >>> from negosim.api import open_source
    >>> from negosim.classroom.rules import rules_for
    >>> rules = rules_for(open_source("scenarios/prisoners_dilemma.yaml"))
    >>> rules.check([Move("Row", "Row", "defect")], Move("Row", "Row", "cooperate"))
    Traceback (most recent call last):
        ...
    negosim.classroom.moves.MoveError: it is not your turn: waiting for Column player
    """


@dataclass(frozen=True)
class Move:
    """One recorded move: at `node` (a tree node id, or the player id in a normal-form game).

    Attributes
    ----------
    node : str
        Where the move was made: a tree node's id, or the player's id in a normal-form game.
    role : str
        Who made it: a player's id, or ``"Chance"``.
    action : str
        The action chosen.

    Examples
    --------
    >>> from negosim.api import open_source
    >>> from negosim.classroom.rules import rules_for
    >>> rules = rules_for(open_source("scenarios/prisoners_dilemma.yaml"))
    >>> rules.outcome([Move("Row", "Row", "cooperate"), Move("Column", "Column", "cooperate")])
    ('mutual_cooperation', {'Row': 3.0, 'Column': 3.0})
    """

    node: str
    role: str
    action: str


@dataclass(frozen=True)
class Decision:
    """A decision the class is asked about: a tree's information set or a normal-form player's choice.

    Attributes
    ----------
    id : str
        The information set's id (the player's id in a normal-form game).
    role : str
        The player who decides.
    label : str
        The information set's label (empty in a normal-form game).
    actions : tuple of str
        The actions to choose from.

    Examples
    --------
    >>> from negosim.api import open_source
    >>> from negosim.classroom.rules import rules_for
    >>> rules = rules_for(open_source("scenarios/prisoners_dilemma.yaml"))
    >>> rules.decision("Row")
    Decision(id='Row', role='Row', label='', actions=('cooperate', 'defect'))
    """

    id: str
    role: str
    label: str
    actions: tuple[str, ...]


@dataclass(frozen=True)
class Pending:
    """A move the play waits for: `role` (a player id or "Chance") at `node`, in information set `decision`.

    Attributes
    ----------
    node : str
        Where the move is due (a tree node's id, or the player's id in a normal-form game).
    role : str
        Who moves: a player's id, or ``"Chance"``.
    decision : str
        The information set (the `Decision`'s id).
    actions : tuple of str
        The actions allowed.

    Examples
    --------
    >>> from negosim.api import open_source
    >>> from negosim.classroom.rules import rules_for
    >>> rules = rules_for(open_source("scenarios/prisoners_dilemma.yaml"))
    >>> rules.pending([Move("Row", "Row", "defect")])
    [Pending(node='Column', role='Column', decision='Column', actions=('cooperate', 'defect'))]
    """

    node: str
    role: str
    decision: str
    actions: tuple[str, ...]



__all__ = ["CHANCE_ROLE", "Decision", "Move", "MoveError", "Pending"]
