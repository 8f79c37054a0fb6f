"""What a student's or the teacher's request must hold, and the `Refusal` a request that does not gets.

Each reader takes the JSON body as it came (any value at all) and returns it checked, or raises a
`Refusal` with an HTTP status, a short code and a sentence for the user; none changes anything, so
the session (`negosim.classroom.session.Classroom`) checks a request whole before it stores a thing.
Whether a move or a plan is the student's to make now is the session's to say; whether it is a
move the game allows, the rules' (`negosim.classroom.rules`).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any, TypeGuard

NICKNAME_MAX = 24
KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{8,64}")
#: How a round is played: move by move along the tree, or by the strategy method (each student states a
#: full plan, a choice at every one of their decisions, off the path too, and the plans are played out).
METHODS = ("play", "strategy")


class Refusal(Exception):
    """A request the session refuses: an HTTP status, a short code and a sentence for the user.

    Parameters
    ----------
    status : int
        The HTTP status of the answer.
    code : str
        A short machine-readable code.
    message : str
        The sentence shown to the user.

    Examples
    --------
    >>> import tempfile
    >>> from negosim.classroom.session import Classroom
    >>> tmp = tempfile.TemporaryDirectory()
    >>> room = Classroom(["scenarios/prisoners_dilemma.yaml"], tmp.name, seed=1)
    >>> try:
    ...     room.join("   ")
    ... except Refusal as refusal:
    ...     print(refusal.status, refusal.code, refusal.message)
    400 bad_nickname type a nickname
    >>> room.store.close(); tmp.cleanup()
    """

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def nickname_of(nickname: object) -> str:
    """Return a nickname as the class sees it: printable characters only, white space folded.

    Parameters
    ----------
    nickname : object
        What the student typed (any JSON value).

    Returns
    -------
    str
        The nickname, at most `NICKNAME_MAX` characters.

    Raises
    ------
    Refusal
        For a value that is not a string, is empty once cleaned, or is too long.

    Examples
    --------
    >>> nickname_of("  Ann \\t Lee\\x07 ")
    'Ann Lee'
    """
    if not isinstance(nickname, str):
        raise Refusal(400, "bad_nickname", "type a nickname")
    nickname = " ".join("".join(ch for ch in nickname if ch.isprintable()).split())
    if not nickname:
        raise Refusal(400, "bad_nickname", "type a nickname")
    if len(nickname) > NICKNAME_MAX:
        raise Refusal(400, "bad_nickname", f"a nickname has at most {NICKNAME_MAX} characters")
    return nickname


def _fresh_key(key: object, keys: Collection[str], what: str) -> str:
    """The request's idempotency key, checked: well formed, and not one already recorded."""
    if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
        raise Refusal(400, "bad_request", f"each {what} needs a key of 8 to 64 letters, digits, '-' or '_'")
    if key in keys:
        raise Refusal(409, "replayed", f"this {what} was already recorded (a repeated request); nothing changed")
    return key


def _is_round(value: object) -> TypeGuard[int]:
    """Whether `value` is a round number (an int, not a bool, which JSON's true would give)."""
    return isinstance(value, int) and not isinstance(value, bool)


def move_request(body: object, keys: Collection[str]) -> tuple[str, int, str, str, str]:
    """Return a move request's key, round, node, role and action, checked for form.

    Parameters
    ----------
    body : object
        The request's JSON body.
    keys : collection of str
        The keys of every move and plan already recorded.

    Returns
    -------
    tuple
        ``(key, round, node, role, action)``.

    Raises
    ------
    Refusal
        For a body that is not an object, a missing or malformed key, a key already recorded, or a
        round, node, role or action of the wrong type or length.

    Examples
    --------
    >>> move_request({"key": "move-0001", "round": 1, "node": "Row", "role": "Row", "action": "defect"}, set())
    ('move-0001', 1, 'Row', 'Row', 'defect')
    """
    if not isinstance(body, dict):
        raise Refusal(400, "bad_request", "send a JSON object")
    key, rnd, node, role, action = (body.get(k) for k in ("key", "round", "node", "role", "action"))
    key = _fresh_key(key, keys, "move")
    if not _is_round(rnd) or not all(isinstance(x, str) and 0 < len(x) <= 64 for x in (node, role, action)):
        raise Refusal(400, "bad_request", "a move names its round (a number), node, role and action")
    return key, rnd, str(node), str(role), str(action)


def plan_request(body: object, keys: Collection[str]) -> tuple[str, int, str, dict]:
    """Return a strategy-method plan request's key, round, role and plan, checked for form.

    Parameters
    ----------
    body : object
        The request's JSON body.
    keys : collection of str
        The keys of every move and plan already recorded.

    Returns
    -------
    tuple
        ``(key, round, role, plan)``; the plan (decision: action) is checked against the game by
        `negosim.classroom.rules.Rules.check_plan`.

    Raises
    ------
    Refusal
        For a body that is not an object, a missing or malformed key, a key already recorded, or a
        round, role or plan of the wrong type.

    Examples
    --------
    >>> plan_request({"key": "plan-0001", "round": 2, "role": "Row", "plan": {"Row": "defect"}}, set())
    ('plan-0001', 2, 'Row', {'Row': 'defect'})
    """
    if not isinstance(body, dict):
        raise Refusal(400, "bad_request", "send a JSON object")
    key, rnd, role, plan = (body.get(k) for k in ("key", "round", "role", "plan"))
    key = _fresh_key(key, keys, "plan")
    if not _is_round(rnd) or not isinstance(role, str) or not isinstance(plan, dict):
        raise Refusal(400, "bad_request", "a plan names its round (a number), role and plan (decision: action)")
    return key, rnd, role, plan


def options_request(options: object) -> dict[str, Any]:
    """Return the teacher's options for the next rounds, checked: ``rotate`` and/or ``method``.

    Parameters
    ----------
    options : object
        The request's JSON body: ``{"rotate": bool}`` and/or ``{"method": "play" | "strategy"}``.

    Returns
    -------
    dict
        The options, as sent.

    Raises
    ------
    Refusal
        For anything else (an empty object, another key, a value of the wrong kind).

    Examples
    --------
    >>> options_request({"rotate": False, "method": "strategy"})
    {'rotate': False, 'method': 'strategy'}
    """
    usage = 'send {"rotate": true|false} and/or {"method": "play"|"strategy"}'
    if not isinstance(options, dict) or not options or not set(options) <= {"rotate", "method"}:
        raise Refusal(400, "bad_request", usage)
    if "rotate" in options and not isinstance(options["rotate"], bool):
        raise Refusal(400, "bad_request", usage)
    if "method" in options and options["method"] not in METHODS:
        raise Refusal(400, "bad_request", usage)
    return options


def parameter_values(values: object, declared: Mapping[str, Any]) -> dict[str, float]:
    """Return the parameter values the teacher sent, as floats, each a declared parameter's.

    Their ranges are checked where the game is built (`negosim.scenario.Scenario.with_overrides`).

    Parameters
    ----------
    values : object
        The request's JSON body: ``{name: number}``, at most 200 of them.
    declared : mapping
        The scenario's declared parameters, by name.

    Returns
    -------
    dict
        ``{name: float}``.

    Raises
    ------
    Refusal
        For a body that is not such an object, an unknown name, or a value that is not a number.

    Examples
    --------
    >>> parameter_values({"mu": 1}, {"mu": None})
    {'mu': 1.0}
    """
    if not isinstance(values, dict) or len(values) > 200:
        raise Refusal(400, "bad_request", "send the parameters as a JSON object of name: number")
    clean: dict[str, float] = {}
    for name, value in values.items():
        if name not in declared:
            raise Refusal(400, "bad_parameter", f"unknown parameter {name!r}")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise Refusal(400, "bad_parameter", f"{name}: the value must be a number")
        clean[name] = float(value)
    return clean


__all__ = ["KEY_PATTERN", "METHODS", "NICKNAME_MAX", "Refusal", "move_request", "nickname_of", "options_request",
           "parameter_values", "plan_request"]
