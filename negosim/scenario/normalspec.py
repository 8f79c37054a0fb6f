"""Check a normal-form `game` section and compile it into a `NormalSpec`.

`actions` lists every player's actions in the order of `players`; `payoffs` nests one mapping
level per player (in player order) down to a cell: a list of payoffs in player order, a mapping
player -> payoff, or the id of an entry of the optional `outcomes` mapping.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from ..game.profiles import profile_id
from .model import NormalSpec, OutcomeSpec
from .payoffs import check_outcomes, payoff_map
from .yamlio import kind

if TYPE_CHECKING:
    from ..expr import Formula
    from .checker import Checker

#: More profiles than any file could list by hand: refuse rather than allocate.
MAX_PROFILES = 1_000_000

_CELL = "a list of payoffs in player order, a mapping player -> payoff, or an outcome id"


def check_normal_section(c: Checker, g: dict, path, players, known):
    """Return (NormalSpec or None, every action label or None), reporting every problem to `c`."""
    c.mapping(path, g, ("form", "actions", "payoffs"), ("outcomes",))
    actions = _actions(c, path + ("actions",), g["actions"], players) if "actions" in g else None
    outcomes = check_outcomes(c, path + ("outcomes",), g["outcomes"], players, known) if "outcomes" in g else {}
    labels = None if actions is None else frozenset(a for acts in actions for a in acts)
    if actions is None or players is None or "payoffs" not in g:
        return None, labels
    shape = tuple(len(a) for a in actions)
    if math.prod(shape) > MAX_PROFILES:  # exact: numpy's int64 product would wrap round for 32 players
        c.report(path + ("actions",), f"{' x '.join(map(str, shape))} profiles are more than {MAX_PROFILES:,}")
        return None, labels
    table = _Table(c, players, actions, outcomes, known)
    table.walk(g["payoffs"], 0, path + ("payoffs",), ())
    for oid in outcomes:
        if oid not in table.used:
            c.report(path + ("outcomes", oid), f"outcome {oid!r} is not used by any cell")
    specs = tuple(o for o in table.specs if o is not None)  # None: an outcome whose problems are reported
    if table.failed or len(specs) != len(table.specs):
        return None, labels
    spec = NormalSpec(actions, specs, table.cell_outcome, table.cell_ids)
    return spec, labels


def _actions(c: Checker, path, value, players) -> tuple[tuple[str, ...], ...] | None:
    """Return each player's actions, in player order, or None after reporting what is wrong."""
    if c.mapping(path, value, what="a mapping of player -> list of actions") is None:
        return None
    ok = players is not None
    if players is not None:
        for key in value:
            if key not in players:
                c.report(path + (key,), f"{key!r} is not a player{c.suggest(key, players)}")
                ok = False
        missing = [p for p in players if p not in value]
        if missing:
            c.report(path, f"no actions for {', '.join(missing)}: every player needs a list of actions")
            ok = False
        elif ok and list(value) != list(players):
            c.report(path, f"list the players' actions in the order of `players`: {', '.join(players)}")
            ok = False
    out = []
    for key, acts in value.items():
        items = c.seq(path + (key,), acts, "a list of action names")
        if items is None:
            ok = False
            continue
        if not items:
            c.report(path + (key,), "a player needs at least one action")
            ok = False
        names: list[str] = []
        seen: set[str] = set()  # a set, not the list: 40,000 actions must not take a quadratic check
        for i, a in enumerate(items):
            if c.identifier(path + (key, i), a, "action name") is None:
                ok = False
            elif a in seen:
                c.report(path + (key, i), f"action {a!r} is listed twice")
                ok = False
            else:
                names.append(a)
                seen.add(a)
        out.append(tuple(names))
    return tuple(out) if ok else None


class _Table:
    """Walks the nested `payoffs` mapping, filling one outcome index and one id per profile."""

    def __init__(self, c: Checker, players, actions, outcomes, known):
        self.c, self.players, self.actions, self.known = c, players, actions, known
        self.outcomes = outcomes
        self.specs: list[OutcomeSpec | None] = list(outcomes.values())
        self.index = {oid: k for k, oid in enumerate(outcomes)}
        shape = tuple(len(a) for a in actions)
        self.cell_outcome = np.full(shape, -1, dtype=np.intp)
        self.cell_ids = np.empty(shape, dtype=object)
        self.used: set[str] = set()
        self.failed = False

    def report(self, path, message):
        self.c.report(path, message)
        self.failed = True

    def walk(self, node, depth: int, path, profile: tuple[int, ...]) -> None:
        if depth == len(self.actions):
            self.cell(node, path, profile)
            return
        player, acts = self.players[depth], self.actions[depth]
        if not isinstance(node, dict):
            self.report(
                path, f"expected a mapping of {player}'s actions ({', '.join(acts)}) -> payoffs, got {kind(node)}"
            )
            return
        known = set(acts)
        for key in node:
            if key not in known:
                self.report(path + (key,), f"{key!r} is not an action of {player}{self.c.suggest(key, acts)}")
        missing = [a for a in acts if a not in node]
        if missing:
            self.report(path, f"no payoffs for {player} playing {', '.join(missing)}: every profile needs a cell")
        for j, a in enumerate(acts):
            if a in node:
                self.walk(node[a], depth + 1, path + (a,), profile + (j,))

    def cell(self, node, path, profile: tuple[int, ...]) -> None:
        n = len(self.players)
        cell_id = profile_id(self.actions[i][j] for i, j in enumerate(profile))
        if isinstance(node, str):
            if node in self.index:
                self.cell_outcome[profile] = self.index[node]
                self.cell_ids[profile] = node
                self.used.add(node)
            elif self.outcomes:
                self.report(path, f"no outcome has id {node!r}{self.c.suggest(node, self.outcomes)}; a cell is {_CELL}")
            else:
                self.report(path, f"{node!r} is not an outcome id (no outcomes are defined); a cell is {_CELL}")
            return
        if isinstance(node, list):
            if len(node) != n:
                self.report(path, f"has {len(node)} payoffs; expected {n}, one per player ({', '.join(self.players)})")
                return
            parsed = [self.c.formula(path + (i,), v, self.known) for i, v in enumerate(node)]
            formulas = tuple(f for f in parsed if f is not None)
            payoffs: tuple[Formula, ...] | None = formulas if len(formulas) == len(parsed) else None
        elif isinstance(node, dict):
            payoffs = payoff_map(self.c, path, node, self.players, self.known)
        else:
            self.report(path, f"expected a cell: {_CELL}; got {kind(node)}")
            return
        if payoffs is None:
            self.failed = True
            return
        self.specs.append(OutcomeSpec(cell_id, "", payoffs, self.c.line(path)))
        self.cell_outcome[profile] = len(self.specs) - 1
        self.cell_ids[profile] = cell_id
