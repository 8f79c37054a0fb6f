"""The groups of a round: who sits in which role, the moves they made, and the moves nobody waits for.

A round matches the students into groups (`match_groups`: roles rotate with the round unless the
teacher keeps them, partners are shuffled with the session's seed, missing roles go to the
computer). Chance, the computer's seats and, in a strategy-method round, the seats whose plan is in
move without waiting for anyone (`auto_moves`, drawn with the session's seed, so a restarted server
draws the same). The session (`negosim.classroom.session`) stores every move (`move_statement`)
before it records it on the group (`Group.record`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .moves import CHANCE_ROLE, Move
from .rules import Rules

#: A move made without waiting for a student: (move, seat kind, student id or None, key or None).
AutoMove = tuple[Move, str, str | None, None]


@dataclass
class Group:
    """One group's play in one round: who sits in which role (None: the computer) and the moves so far.

    Attributes
    ----------
    round, number : int
        The round, and the group's number in it (from 1).
    seats : dict
        ``{role: student id or None}`` (None: the computer plays the role).
    rules : Rules
        The rules of the round's game.
    moves : list of Move
        The moves so far, in order.
    times : list of float
        When each move was made (seconds since the epoch).
    seat_kinds : list of str
        ``"student"``, ``"computer"`` or ``"chance"``, per move.
    method : str
        ``"play"`` (move by move) or the strategy method.
    plans : dict
        ``{role: {decision: action}}`` the plans stated in a strategy-method round.

    Examples
    --------
    >>> import tempfile
    >>> from negosim.classroom.session import Classroom
    >>> tmp = tempfile.TemporaryDirectory()
    >>> room = Classroom(["scenarios/prisoners_dilemma.yaml"], tmp.name, seed=1)
    >>> ann, bob = room.join("Ann"), room.join("Bob")
    >>> room.start()
    >>> group = room.current_group(ann)
    >>> group.round, group.number, group.seats == {"Row": bob, "Column": ann}, group.method
    (1, 1, True, 'play')
    >>> room.store.close(); tmp.cleanup()
    """

    round: int
    number: int
    seats: dict[str, str | None]
    rules: Rules
    moves: list[Move] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    seat_kinds: list[str] = field(default_factory=list)  # "student", "computer" or "chance", per move
    method: str = "play"
    plans: dict[str, dict[str, str]] = field(default_factory=dict)  # role -> decision -> action (stated plans)

    def record(self, made: Iterable[tuple[Move, str, Any, Any]], now: float) -> None:
        """Append moves, each with the seat kind that made it, all at time `now` (once they are stored)."""
        for m, kind, _, _ in made:
            self.moves.append(m)
            self.times.append(now)
            self.seat_kinds.append(kind)


def match_groups(students: Mapping[str, tuple[int, str]], roles: tuple[str, ...], rnd: int, seed: int,
                 rotate: bool = True) -> list[dict[str, str | None]]:
    """Return the groups of round `rnd`: ``{role: student id or None}`` each.

    A student's role rotates with the round (join order + round) unless `rotate` is False, and who
    plays with whom is shuffled with the session's seed; missing roles go to the computer (None).

    Parameters
    ----------
    students : mapping
        ``{student id: (join order, nickname)}``.
    roles : tuple of str
        The game's players, in order.
    rnd : int
        The round.
    seed : int
        The session's seed.
    rotate : bool
        Whether roles rotate from round to round.

    Returns
    -------
    list of dict
        One ``{role: student id or None}`` per group.

    Examples
    --------
    >>> students = {"a": (0, "Ann"), "b": (1, "Bob"), "c": (2, "Cy")}
    >>> match_groups(students, ("Row", "Column"), 1, seed=1)
    [{'Row': 'b', 'Column': 'c'}, {'Row': None, 'Column': 'a'}]
    """
    k = len(roles)
    shift = rnd if rotate else 0
    buckets: list[list[str]] = [[] for _ in roles]
    for sid, (seq, _) in sorted(students.items(), key=lambda kv: kv[1][0]):
        buckets[(seq + shift) % k].append(sid)
    rng = np.random.default_rng([seed, rnd, 1])
    for b in buckets:
        rng.shuffle(b)
    n = max(len(b) for b in buckets)
    return [{role: (b[i] if i < len(b) else None) for role, b in zip(roles, buckets)} for i in range(n)]


def auto_moves(group: Group, moves: list[Move], seed: int,
               plans: dict[str, dict[str, str]] | None = None) -> list[AutoMove]:
    """Return the moves that follow `moves` without waiting for a student.

    Chance and the computer's seats (drawn with the session's seed, the round, the group and the
    number of moves so far) and, in a strategy-method round, the seats whose plan is in.

    Parameters
    ----------
    group : Group
        The group (its rules and seats).
    moves : list of Move
        The moves so far.
    seed : int
        The session's seed.
    plans : dict, optional
        ``{role: {decision: action}}`` the plans stated (strategy method).

    Returns
    -------
    list of tuple
        ``(move, seat kind, student id or None, None)`` in order, until a student's move is awaited
        or the play is over.

    Examples
    --------
    >>> from negosim.api import open_source
    >>> from negosim.classroom.rules import rules_for
    >>> rules = rules_for(open_source("scenarios/prisoners_dilemma.yaml"))
    >>> [(m.role, m.action, kind) for m, kind, _, _ in auto_moves(Group(1, 1, {"Row": "a", "Column": None}, rules),
    ...                                                           [], seed=1)]
    [('Column', 'defect', 'computer')]
    """
    out: list[AutoMove] = []
    moves = list(moves)
    plans = plans or {}
    while True:
        waiting = [p for p in group.rules.pending(moves)
                   if p.role == CHANCE_ROLE or group.seats.get(p.role) is None or p.role in plans]
        if not waiting:
            return out
        for p in waiting:
            if p.role in plans:
                m = Move(p.node, p.role, plans[p.role][p.decision])
                moves.append(m)
                out.append((m, "student", group.seats.get(p.role), None))
                continue
            rng = np.random.default_rng([seed, group.round, group.number, len(moves)])
            m = Move(p.node, p.role, group.rules.auto_action(p, rng))
            moves.append(m)
            out.append((m, "chance" if p.role == CHANCE_ROLE else "computer", None, None))


def move_statement(group: Group, m: Move, kind: str, student: str | None, key: str | None, now: float) -> tuple:
    """Return the SQL statement that stores one move of `group` (for `negosim.classroom.store.Store.write`).

    Parameters
    ----------
    group : Group
        The group the move belongs to.
    m : Move
        The move.
    kind : str
        ``"student"``, ``"computer"`` or ``"chance"``.
    student : str or None
        The student who made it (None for the computer and chance).
    key : str or None
        The request's idempotency key (None for a move nobody sent).
    now : float
        When it was made.

    Returns
    -------
    tuple
        ``(sql, parameters)``.

    Examples
    --------
    >>> from negosim.api import open_source
    >>> from negosim.classroom.rules import rules_for
    >>> group = Group(1, 2, {}, rules_for(open_source("scenarios/prisoners_dilemma.yaml")))
    >>> move_statement(group, Move("Row", "Row", "defect"), "student", "a", "move-0001", 0.0)[1]
    (1, 2, 'Row', 'Row', 'defect', 'student', 'a', 'move-0001', 0.0)
    """
    return ("INSERT INTO moves (round, grp, node, role, action, seat, student, key, time) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (group.round, group.number, m.node, m.role, m.action, kind, student, key, now))


__all__ = ["AutoMove", "Group", "auto_moves", "match_groups", "move_statement"]
