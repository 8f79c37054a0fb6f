"""Play mode: a student plays one player of a game at a text prompt, the others follow the equilibrium
(or play at random), and at the end negosim reveals the equilibrium and compares.

>>> import io
>>> from negosim.api import open_source
>>> out = io.StringIO()
>>> play(open_source("scenarios/entry_deterrence.yaml"), "Entrant", seed=1,
...      stdin=io.StringIO("in\\n"), stdout=out)
0

Which equilibrium the computer's players follow is the teacher's choice (`equilibrium`): a number N
follows Nash equilibrium #N as `negosim solve` numbers them in its "Nash equilibria" list (for a game
tree: of its reduced normal form), "mixed" the first of them in which someone mixes, "spe" (game trees)
the subgame-perfect equilibrium. The default is the subgame-perfect equilibrium for a tree and Nash
equilibrium #1 for a normal form. At the end the student's choices are judged against every equilibrium,
not only the one followed.

Everything random (chance moves, mixed equilibrium behaviour, random opponents) draws from one
`numpy.random.Generator` seeded by `seed`, so a seed and the same answers give the same transcript.
Without a seed one is drawn and printed, so any game can be replayed.
"""

from __future__ import annotations

import secrets
import sys

import numpy as np

from ...errors import GameError
from ...game.normal import NormalFormGame
from ...game.tree import GameTree
from .console import Console, Quit

OPPONENTS = ("equilibrium", "random")
EXIT_OK, EXIT_USAGE = 0, 2
SPE, MIXED = "spe", "mixed"


class EquilibriumChoiceError(ValueError):
    """An `equilibrium` choice that names no equilibrium of the game (a usage error: exit code 2)."""


def parse_equilibrium(choice: str | int | None) -> str | int | None:
    """The equilibrium to follow: None (the default), "spe", "mixed" or a number from 1; raise
    EquilibriumChoiceError for anything else.

    >>> parse_equilibrium("3"), parse_equilibrium(" Mixed "), parse_equilibrium(None)
    (3, 'mixed', None)
    """
    if choice is None or isinstance(choice, int) and not isinstance(choice, bool):
        if isinstance(choice, int) and choice < 1:
            raise EquilibriumChoiceError(f"--equilibrium {choice}: equilibria are numbered from 1")
        return choice
    text = str(choice).strip().lower()
    if text in (SPE, MIXED):
        return text
    if text.isdigit() and int(text) >= 1:
        return int(text)
    raise EquilibriumChoiceError(f"--equilibrium {choice}: choose a number N (equilibrium #N as `negosim solve` "
                                 "lists them), mixed or spe")


def pick_equilibrium(eqs, choice: str | int | None) -> int | None:
    """The 0-based index into `eqs` (Nash equilibria as `negosim solve` lists them) that `choice` names:
    None -> the first, N -> #N, "mixed" -> the first in which someone mixes; None if `eqs` is empty and
    nothing was asked for. Raise EquilibriumChoiceError if the game has no such equilibrium."""
    n = len(eqs)
    listed = f"the game has {n} Nash equilibri{'um' if n == 1 else 'a'} (numbered as in `negosim solve`)"
    if choice is None:
        return 0 if n else None
    if choice == SPE:
        raise EquilibriumChoiceError("--equilibrium spe is for game trees; " + listed + (
            f": choose 1-{n}" if n > 1 else ": choose 1") + " or mixed")
    if choice == MIXED:
        for k, eq in enumerate(eqs):
            if any(max(s.values()) < 1 - 1e-9 for s in eq.strategies.values()):
                return k
        raise EquilibriumChoiceError(f"--equilibrium mixed: {listed} and in none of them does anyone mix")
    if not 1 <= int(choice) <= n:
        raise EquilibriumChoiceError(f"--equilibrium {choice}: {listed}" + (f"; choose 1-{n}" if n > 1 else "; choose 1"
                                                                             if n else ""))
    return int(choice) - 1


def play(source, as_player: str, *, opponents: str = "equilibrium", seed: int | None = None,
         equilibrium: str | int | None = None, stdin=None, stdout=None, stderr=None) -> int:
    """Play `source` (a `Source`, or a path to open) as `as_player` at a prompt; return the exit code:
    0 when the game ended or the player quit (or input ended), 2 for an unknown player, opponents mode or
    equilibrium (one line naming the valid choices goes to `stderr`). `equilibrium` picks the equilibrium
    the computer's players follow (see the module). Streams default to the process's own."""
    if isinstance(source, str) or hasattr(source, "__fspath__"):
        from ...api import open_source

        source = open_source(str(source))
    con = Console(stdin if stdin is not None else sys.stdin, stdout if stdout is not None else sys.stdout)
    errors = stderr if stderr is not None else sys.stderr
    game = source.game
    names = player_names(source)
    student = resolve_player(game.players, names, as_player)
    if student is None:
        listed = ", ".join(f"{p} ({names[p]})" if names.get(p, p) != p else p for p in game.players)
        print(f"unknown player {as_player!r}; the players are: {listed}", file=errors)
        return EXIT_USAGE
    if opponents not in OPPONENTS:
        print(f"unknown opponents mode {opponents!r}; choose {' or '.join(OPPONENTS)}", file=errors)
        return EXIT_USAGE
    try:
        equilibrium = parse_equilibrium(equilibrium)
    except EquilibriumChoiceError as exc:
        print(str(exc), file=errors)
        return EXIT_USAGE
    if game.batch_size != 1:
        raise GameError("play needs a game at one parameter point; this one has "
                        f"{game.batch_size} (drop the arrays from the parameters)")
    if seed is None:
        seed = secrets.randbelow(1_000_000)  # shown to the player, so the play can be repeated
    rng = np.random.default_rng(seed)
    from .normal import NormalSession
    from .tree import TreeSession

    Session: type[TreeSession] | type[NormalSession]
    if isinstance(game, GameTree):
        Session = TreeSession
    elif isinstance(game, NormalFormGame):
        Session = NormalSession
    else:
        raise GameError(f"cannot play a {type(game).__name__}")
    try:
        session = Session(con, source, student, names, opponents, rng, equilibrium)
    except EquilibriumChoiceError as exc:
        print(str(exc), file=errors)
        return EXIT_USAGE
    _header(con, source, student, names, opponents, seed, session.followed())
    try:
        session.run()
    except Quit as stop:
        con.say(_farewell(stop.reason, seed))
    return EXIT_OK


def player_names(source) -> dict[str, str]:
    """Player id -> display name (the id itself where the source names none)."""
    names = {p: p for p in source.game.players}
    scenario = getattr(source, "scenario", None)
    if scenario is not None:
        for p in scenario.players:
            if p.id in names and p.name:
                names[p.id] = p.name
    return names


def resolve_player(players, names: dict[str, str], wanted: str) -> int | None:
    """The index of the player `wanted` names: its id exactly, else its id or name in any case."""
    wanted = str(wanted).strip()
    if wanted in players:
        return players.index(wanted)
    low = wanted.lower()
    for k, p in enumerate(players):
        if p.lower() == low or names.get(p, p).lower() == low:
            return k
    if wanted.isdigit() and 1 <= int(wanted) <= len(players):  # "player 2" of a Gambit file
        return int(wanted) - 1
    return None


def who(names: dict[str, str], player: str) -> str:
    """'Russia (RU)', or just 'RU' when the player has no other name."""
    name = names.get(player, player)
    return player if name == player else f"{name} ({player})"


def _header(con: Console, source, student: int, names, opponents: str, seed: int, followed: str) -> None:
    game = source.game
    me = game.players[student]
    others = [p for p in game.players if p != me]
    con.say(f"negosim play: {source.title}", "")
    line = f"You are {who(names, me)}."
    scenario = getattr(source, "scenario", None)
    if scenario is not None:
        desc = next((p.description for p in scenario.players if p.id == me), "")
        if desc:
            line += f" {desc}"
    con.say(line)
    if others:
        many = len(others) > 1
        follow = (f"follow{'' if many else 's'} {followed}" if opponents == "equilibrium"
                  else f"choose{'' if many else 's'} uniformly at random")
        con.say(f"The other player{'s' if many else ''} ({', '.join(others)}) {follow}; "
                f"chance and any random choices use seed {seed}.")
    con.say("Answer with a number or an action name; ? shows help, q stops the game.", "")


def _farewell(reason: str, seed: int) -> str:
    why = {"eof": "End of input: the game stops here.",
           "quit": "You stopped the game.",
           "bad input": "Too many answers that name no action: the game stops here."}[reason]
    return f"{why} Nothing is revealed; play again (seed {seed} replays the same draws) to see the equilibrium."
