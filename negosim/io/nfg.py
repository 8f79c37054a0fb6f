"""Gambit strategic-form files (.nfg, version 1): read into and write from `NormalFormGame`.

Reading accepts both bodies Gambit defines: the payoff version (one payoff per player per
profile) and the outcome version (a list of outcomes, then one outcome number per profile,
``0`` for the null outcome whose payoffs are all zero). Profiles are listed with player 1's
strategy varying fastest. For the outcome version `NormalFormGame.outcomes` holds outcome ids:
an outcome's label when non-empty and unique among the file's outcomes, otherwise ``o<k>``
(``k`` its number in the file, ``o0`` for the null outcome); a clash with another label gets
a suffix ``_2``.

Writing uses the outcome version, with each distinct outcome id as an outcome labelled by that
id, when the game names its outcomes and every id has one payoff vector (so ids survive a
round trip); otherwise the payoff version. Strategies are always written with their labels.
"""

from __future__ import annotations

import math
from array import array

import numpy as np

from ..errors import GameError, GameFileError, Problem
from ..game.normal import NormalFormGame
from ..limits import MAX_PAYOFF_ENTRIES, MAX_PLAYERS
from .labels import assign_ids, numbered
from .lexer import LBRACE, NUMBER, RBRACE, STRING, Tokens, describe, quote
from .numbers import format_number


def _profiles(shape: tuple[int, ...]):
    """Pure profiles (tuples of action indices) with player 1's action varying fastest."""
    for reverse in np.ndindex(*shape[::-1]):
        yield reverse[::-1]


def _read_header(ts: Tokens) -> tuple[str, tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Title, player labels and strategy labels of an .nfg file."""
    title = ts.header("NFG", "1")
    line = ts.peek().line
    raw_players = ts.labels("player", "players")
    if not raw_players:
        raise ts.error("a game needs at least one player", line)
    if len(raw_players) > MAX_PLAYERS:
        raise ts.error(f"the game has {len(raw_players)} players; negosim solves games of at most {MAX_PLAYERS}", line)
    players = numbered(raw_players, "players", ts.file)
    ts.expect(LBRACE, "'{' opening the strategies (numbers of strategies or lists of labels)")
    actions: list[tuple[str, ...]] = []
    labelled = ts.peek().kind == LBRACE
    counts: list[int] = []
    for player in players:
        token = ts.peek()
        if labelled:
            raw = ts.labels("strategy", f"strategies of player {player!r}")
            if not raw:
                raise ts.error(f"player {player!r} has no strategies", token.line)
            actions.append(numbered(raw, f"strategies of player {player!r}", ts.file))
            counts.append(len(raw))
        else:
            count = ts.integer(f"the number of strategies of player {player!r}", most=MAX_PAYOFF_ENTRIES)
            if count < 1:
                raise ts.error(f"player {player!r} has no strategies", token.line)
            counts.append(count)
        _check_size(ts, counts, len(players), token.line)
    if not labelled:
        actions = [tuple(str(k) for k in range(1, count + 1)) for count in counts]
    token = ts.next()
    if token.kind != RBRACE:
        raise ts.error(f"expected '}}' closing the strategies of the {len(players)} players, "
                       f"found {describe(token)}", token.line)
    if ts.peek().kind == STRING:
        ts.next()  # the optional comment
    return title, players, tuple(actions)


def _check_size(ts: Tokens, counts: list[int], n_players: int, line: int) -> None:
    """Refuse a game whose strategies declared so far already make too many payoffs to hold."""
    entries = math.prod(counts) * n_players
    if entries > MAX_PAYOFF_ENTRIES:
        shape = " x ".join(f"{c:,}" for c in counts)
        raise ts.error(f"a game of {shape} strategies{' (so far)' if len(counts) < n_players else ''} has "
                       f"{entries:,} payoffs; negosim reads at most {MAX_PAYOFF_ENTRIES:,}", line)


def _profile(k: int, shape: tuple[int, ...]) -> tuple[int, ...]:
    """The `k`-th pure profile with player 1's action varying fastest (no list of all profiles)."""
    return tuple(int(i) for i in np.unravel_index(k, shape, order="F"))


def read_nfg(text: str, *, file: str | None = None) -> NormalFormGame:
    """The strategic game in `text`, an .nfg file's content.

    Parameters
    ----------
    text : str
        The file's content (payoff or outcome version).
    file : str, optional
        The file's name, for error messages.

    Returns
    -------
    NormalFormGame

    Raises
    ------
    GameFileError
        Naming `file` and the line of the first problem.

    Examples
    --------
    >>> import negosim as ns
    >>> from negosim.io import read_nfg, write_nfg
    >>> pd = ns.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> read_nfg(write_nfg(pd)).payoffs.tolist() == pd.payoffs.tolist()
    True
    """
    file = file or "<string>"
    ts = Tokens(text, file)
    title, players, actions = _read_header(ts)
    n = len(players)
    shape = tuple(len(a) for a in actions)
    n_profiles = math.prod(shape)
    token = ts.peek()
    outcome_ids = None
    if token.kind == LBRACE:
        payoffs, outcome_ids = _read_outcome_body(ts, players, shape)
    elif token.kind == NUMBER:
        total = n_profiles * n
        values = array("d")  # 8 bytes a payoff, not a Python float object each
        for k in range(total):
            token = ts.peek()
            if token.kind != NUMBER:
                profile = _profile(k // n, shape)
                where = ", ".join(actions[i][a] for i, a in enumerate(profile))
                raise ts.unexpected(token, f"the payoff of player {players[k % n]!r} at profile ({where}); "
                                           f"the body needs {total} payoffs ({n_profiles} profiles x {n} players)")
            values.append(ts.real("a payoff"))
        token = ts.peek()
        if token.kind == NUMBER:
            raise ts.error(f"more payoffs than the {total} the game needs ({n_profiles} profiles x {n} players)",
                           token.line)
        table = np.frombuffer(values, dtype=float).reshape(n_profiles, n)
        payoffs = np.stack([table[:, i].reshape(shape, order="F") for i in range(n)])
    else:
        raise ts.unexpected(token, "the payoffs, or '{' opening the list of outcomes")
    ts.end()
    try:
        return NormalFormGame(players, actions, payoffs, title, outcome_ids)
    except GameError as exc:
        raise GameFileError([Problem(p.message, file, p.line, p.path) for p in exc.problems]) from None


def _read_outcome_body(ts: Tokens, players, shape) -> tuple[np.ndarray, np.ndarray]:
    """Payoffs ``(n_players, *shape)`` and outcome ids ``shape`` from an outcome-version body."""
    n = len(players)
    ts.expect(LBRACE, "'{' opening the list of outcomes")
    labels: list[str] = []
    payoff_rows: list[list[float]] = []
    while ts.peek().kind == LBRACE:
        ts.next()
        k = len(labels) + 1
        labels.append(ts.string(f"the label of outcome {k} (a quoted string, possibly \"\")"))
        payoff_rows.append([float(v) for v in ts.payoffs(n, f"outcome {k}")])
    ts.expect(RBRACE, "'{' opening an outcome, or '}' closing the list of outcomes")
    numbers = []
    for profile in _profiles(shape):
        token = ts.peek()
        k = ts.integer(f"the outcome number of profile {tuple(a + 1 for a in profile)} (0 for none)")
        if k > len(labels):
            raise ts.error(f"outcome {k} is not defined: the file defines {len(labels)} outcomes", token.line)
        numbers.append(k)
    token = ts.peek()
    if token.kind == NUMBER:
        raise ts.error(f"more outcome numbers than the {math.prod(shape)} profiles of the game", token.line)
    null_used = 0 in numbers
    all_labels = ([""] if null_used else []) + labels
    fallbacks = (["o0"] if null_used else []) + [f"o{k}" for k in range(1, len(labels) + 1)]
    ids = assign_ids(all_labels, fallbacks)
    id_of = dict(zip(range(0 if null_used else 1, len(labels) + 1), ids))
    rows = [[0.0] * n] + payoff_rows
    table = np.array([rows[k] for k in numbers], dtype=float)
    payoffs = np.stack([table[:, i].reshape(shape, order="F") for i in range(n)])
    outcomes = np.empty(len(numbers), dtype=object)
    outcomes[:] = [id_of[k] for k in numbers]
    return payoffs, outcomes.reshape(shape, order="F")


def write_nfg(game: NormalFormGame, *, title: str | None = None) -> str:
    """The .nfg text of a single game, strategies labelled.

    Parameters
    ----------
    game : NormalFormGame
        A game at one parameter point (``batch_shape == ()``).
    title : str, optional
        The file's title (default: the game's).

    Returns
    -------
    str
        The file's text; every number reads back as the same float.

    Raises
    ------
    GameError
        For a batched game or a non-finite payoff.

    Examples
    --------
    >>> import negosim as ns
    >>> from negosim.io import write_nfg
    >>> print(write_nfg(ns.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])))
    NFG 1 R "" { "P1" "P2" }
    { { "1" "2" } { "1" "2" } }
    ""
    <BLANKLINE>
    3 3  5 0
    0 5  1 1
    <BLANKLINE>
    """
    if game.batch_shape != ():
        raise GameError(f"only a single game can be written to an .nfg file; this one has batch shape "
                        f"{game.batch_shape} (pick one point with game.at(...))")
    title = game.title if title is None else title
    cache: dict[float, str] = {}

    def fmt(x: float) -> str:
        if x not in cache:
            cache[x] = format_number(x)
        return cache[x]

    strategies = " ".join("{ " + " ".join(quote(a) for a in acts) + " }" for acts in game.actions)
    lines = [
        f"NFG 1 R {quote(title)} {{ {' '.join(quote(p) for p in game.players)} }}",
        f"{{ {strategies} }}",
        '""',
        "",
    ]
    profiles = list(_profiles(game.shape))
    pay = game.payoffs
    vectors = [tuple(float(v) for v in pay[(slice(None), *profile)]) for profile in profiles]
    per_line = game.shape[0]
    by_outcome = _outcome_table(game, profiles, vectors)
    if by_outcome is None:
        texts = ["  ".join(" ".join(fmt(v) for v in vec) for vec in vectors[k:k + per_line])
                 for k in range(0, len(vectors), per_line)]
        lines.extend(texts)
    else:
        numbers, table = by_outcome
        lines.append("{")
        lines.extend(f"{{ {quote(oid)} {', '.join(fmt(v) for v in vec)} }}" for oid, vec in table)
        lines.append("}")
        lines.extend(" ".join(str(k) for k in numbers[k:k + per_line]) for k in range(0, len(numbers), per_line))
    return "\n".join(lines) + "\n"


def _outcome_table(game: NormalFormGame, profiles, vectors):
    """Outcome numbers per profile and ``(id, payoffs)`` per outcome, or None if ids do not fix payoffs."""
    if game.outcomes is None:
        return None
    number_of: dict[str, int] = {}
    table: list[tuple[str, tuple[float, ...]]] = []
    numbers = []
    for profile, vec in zip(profiles, vectors):
        oid = str(game.outcomes[profile])
        if oid not in number_of:
            number_of[oid] = len(table) + 1
            table.append((oid, vec))
        elif table[number_of[oid] - 1][1] != vec:
            return None
        numbers.append(number_of[oid])
    return numbers, table
