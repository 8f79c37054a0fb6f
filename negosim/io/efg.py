"""Gambit extensive-form files (.efg, version 2): read into and write from `GameTree`.

Reading. Nodes come in prefix order: chance ``c``, personal ``p`` and terminal ``t``.
Information sets are numbered per player (chance is player 0); the first node of an information
set lists its actions (and, for chance, probabilities), later nodes may omit them and must
otherwise repeat them exactly. Outcomes are numbered globally; the first use of a number gives
its label and payoffs, later uses may omit them. Outcome 0 is the null outcome. Ids:

- node: its label when non-empty and unique in the file, else ``n<k>`` (``k`` its 0-based index
  in prefix order, the root being ``n0``);
- information set: its label when non-empty and unique among the file's (non-chance) information
  sets, else ``<player>:<number>`` (e.g. ``Player 2:1``); chance nodes carry no information set id;
- outcome: its label when non-empty and unique among the file's outcomes, else ``o<k>``.
Any id that would clash with an earlier one gets a suffix ``_2``. Empty player and action labels
are numbered from 1.

Outcomes on non-terminal nodes are folded into the leaves: each leaf's outcome is the sum of
every outcome on its path. A leaf with a single contributing outcome keeps that outcome (id and
label); several make a combined outcome ``<id1>+<id2>``; none make the null outcome ``o0``.

Writing. Nodes in prefix order labelled by their ids, information sets labelled by their ids and
numbered per player in order of first appearance, each chance node its own chance information
set, outcomes numbered globally in order of first appearance and labelled by their ids, so that
reading back restores every id. Outcomes no leaf uses are not written. Chance probabilities are
written so they sum to exactly one (see `exact_probabilities`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from ..errors import GameError, GameFileError, Problem
from ..game.tree import CHANCE, DECISION, TERMINAL, GameTree, Node, Outcome
from ..limits import MAX_PLAYERS, MAX_TREE_NODES
from .labels import assign_ids, numbered
from .lexer import EOF, LBRACE, RBRACE, STRING, WORD, Tokens, describe, quote
from .numbers import exact_probabilities, format_fraction, format_number

_KINDS = {"c": CHANCE, "p": DECISION, "t": TERMINAL}


@dataclass
class _Infoset:
    label: str
    actions: list[tuple[str, int]]
    probs: list[Fraction] | None
    line: int


@dataclass
class _Outcome:
    label: str
    payoffs: list[Fraction]
    line: int


@dataclass
class _Node:
    kind: str
    label: str
    line: int
    infoset: tuple[int, int] | None  # (player, number); player 0 is chance
    outcome: int
    children: list[int] = field(default_factory=list)

    @property
    def iset(self) -> tuple[int, int]:
        """The information set of a chance or decision node (a terminal node has none)."""
        if self.infoset is None:
            raise AssertionError(f"terminal node at line {self.line} has no information set")
        return self.infoset


class _Reader:
    """The state of reading one .efg file."""

    def __init__(self, text: str, file: str):
        self.ts = Tokens(text, file)
        self.infosets: dict[tuple[int, int], _Infoset] = {}
        self.outcomes: dict[int, _Outcome] = {}
        self.n_players = 0

    def where(self, key: tuple[int, int]) -> str:
        player, number = key
        return f"chance information set {number}" if player == 0 else f"information set {number} of player {player}"

    def actions(self, chance: bool) -> tuple[list[tuple[str, int]], list[Fraction] | None, int]:
        """A braced action list (with probabilities for chance), and the line of its '{'."""
        ts = self.ts
        line = ts.expect(LBRACE, "'{' opening the list of actions").line
        actions: list[tuple[str, int]] = []
        probs: list[Fraction] = []
        while True:
            token = ts.next()
            if token.kind == RBRACE and actions:
                break
            if token.kind != STRING:
                raise ts.unexpected(token, "a quoted action label" + (" or '}'" if actions else ""))
            actions.append((token.text, token.line))
            if chance:
                probs.append(ts.number(f"the probability of chance action {token.text!r}"))
        if not chance:
            return actions, None, line
        for p, (label, at) in zip(probs, actions):
            if not 0 <= p <= 1:
                raise ts.error(f"the probability {format_fraction(p)} of chance action {label!r} is not "
                               "between 0 and 1", at)
        total = sum(probs, Fraction(0))
        if total != 1:
            raise ts.error(f"chance probabilities sum to {format_fraction(total)}, not exactly 1", line)
        return actions, probs, line

    def infoset(self, player: int) -> tuple[int, int]:
        """Read an information set reference (and its definition, if given); its key."""
        ts = self.ts
        key = (player, ts.integer("the information set number"))
        known = self.infosets.get(key)
        token = ts.peek()
        if token.kind != STRING:
            if known is None:
                raise ts.error(f"{self.where(key)} is used before it is defined: its first node must give its "
                               "label and actions", token.line)
            return key
        label = ts.next().text
        actions, probs, line = self.actions(chance=player == 0)
        if known is None:
            self.infosets[key] = _Infoset(label, actions, probs, line)
            return key
        old, new = [a for a, _ in known.actions], [a for a, _ in actions]
        if old != new:
            raise ts.error(f"the actions {new} differ from those of {self.where(key)} at line {known.line}: {old}",
                           line)
        if probs != known.probs:
            raise ts.error(f"the probabilities differ from those of {self.where(key)} at line {known.line}", line)
        if label != known.label:
            raise ts.error(f"{self.where(key)} is labelled {label!r} here but {known.label!r} at line "
                           f"{known.line}", token.line)
        return key

    def outcome(self) -> int:
        """Read an outcome reference (and its definition, if given); its number."""
        ts = self.ts
        token = ts.peek()
        k = ts.integer("the outcome number (0 for none)")
        if ts.peek().kind != STRING:
            if k != 0 and k not in self.outcomes:
                raise ts.error(f"outcome {k} is used before it is defined: its first use must give its label "
                               "and payoffs", token.line)
            return k
        label = ts.next().text
        ts.expect(LBRACE, f"'{{' opening the payoffs of outcome {k}")
        payoffs = ts.payoffs(self.n_players, f"outcome {k}")
        if k == 0:
            raise ts.error("the null outcome 0 cannot have a label or payoffs", token.line)
        known = self.outcomes.get(k)
        if known is None:
            self.outcomes[k] = _Outcome(label, payoffs, token.line)
        elif (known.label, known.payoffs) != (label, payoffs):
            raise ts.error(f"outcome {k} differs from its definition at line {known.line}", token.line)
        return k

    def node(self) -> _Node:
        ts = self.ts
        token = ts.next()
        if token.kind != WORD or token.text not in _KINDS:
            raise ts.unexpected(token, "a node: 'c' (chance), 'p' (personal) or 't' (terminal)")
        kind = _KINDS[token.text]
        label = ts.string("the node label (a quoted string, possibly \"\")")
        key = None
        if kind == DECISION:
            at = ts.peek()
            player = ts.integer("the player number")
            if not 1 <= player <= self.n_players:
                raise ts.error(f"unknown player {player}: the file has {self.n_players} players, numbered from 1",
                               at.line)
            key = self.infoset(player)
        elif kind == CHANCE:
            key = self.infoset(0)
        return _Node(kind, label, token.line, key, self.outcome())

    def read(self) -> tuple[str, list[tuple[str, int]], list[_Node]]:
        """Title, raw player labels and nodes (in prefix order, children linked)."""
        ts = self.ts
        title = ts.header("EFG", "2")
        line = ts.peek().line
        players = ts.labels("player", "players")
        if not players:
            raise ts.error("a game needs at least one player", line)
        if len(players) > MAX_PLAYERS:
            raise ts.error(f"the game has {len(players)} players; negosim solves games of at most {MAX_PLAYERS}", line)
        self.n_players = len(players)
        if ts.peek().kind == STRING:
            ts.next()  # the optional comment
        nodes = [self.node()]
        stack = [0] if nodes[0].kind != TERMINAL else []
        while stack:
            parent = nodes[stack[-1]]
            n_children = len(self.infosets[parent.iset].actions)
            if len(parent.children) == n_children:
                stack.pop()
                continue
            if ts.peek().kind == EOF:
                raise ts.unexpected(ts.peek(), f"child {len(parent.children) + 1} of {n_children} of the node "
                                               f"at line {parent.line}")
            if len(nodes) == MAX_TREE_NODES:
                raise ts.error(f"the tree has more than {MAX_TREE_NODES:,} nodes; negosim reads at most that many",
                               ts.peek().line)
            parent.children.append(len(nodes))
            nodes.append(self.node())
            if nodes[-1].kind != TERMINAL:
                stack.append(len(nodes) - 1)
        token = ts.peek()
        if token.kind != EOF:
            raise ts.error(f"expected the end of the file (the tree is complete), found {describe(token)}",
                           token.line)
        return title, players, nodes


def read_efg(text: str, *, file: str | None = None) -> GameTree:
    """The game tree in `text`, an .efg file's content.

    Parameters
    ----------
    text : str
        The file's content.
    file : str, optional
        The file's name, for error messages.

    Returns
    -------
    GameTree

    Raises
    ------
    GameFileError
        Naming `file` and the line of the first problem (also for a tree negosim's checks reject,
        such as one without perfect recall).

    Examples
    --------
    >>> from pathlib import Path
    >>> from negosim.io import read_efg
    >>> tree = read_efg(Path("tests/data/kuhn_poker.efg").read_text(), file="kuhn_poker.efg")
    >>> tree.players, len(tree.nodes)
    (('Player 1', 'Player 2'), 55)
    """
    file = file or "<string>"
    reader = _Reader(text, file)
    title, raw_players, raw = reader.read()
    players = numbered(raw_players, "players", file)
    node_ids = assign_ids([r.label for r in raw], [f"n{k}" for k in range(len(raw))])

    iset_actions = {key: numbered(s.actions, f"actions of {reader.where(key)}", file)
                    for key, s in reader.infosets.items()}
    keys = [key for key in reader.infosets if key[0] != 0]
    iset_ids = dict(zip(keys, assign_ids([reader.infosets[k].label for k in keys],
                                         [f"{players[k[0] - 1]}:{k[1]}" for k in keys])))

    file_outcome_ids = dict(zip(reader.outcomes, assign_ids([o.label for o in reader.outcomes.values()],
                                                           [f"o{k}" for k in reader.outcomes])))
    path: list[tuple[int, ...]] = [()] * len(raw)  # outcome numbers on the way to each node, root first
    leaf_outcome: dict[tuple[int, ...], int] = {}
    for i, r in enumerate(raw):
        if r.outcome:
            path[i] = path[i] + (r.outcome,)
        for c in r.children:
            path[c] = path[i]
        if r.kind == TERMINAL:
            leaf_outcome.setdefault(path[i], len(leaf_outcome))

    preferred, labels, rows = [], [], []
    for key in leaf_outcome:
        if not key:
            preferred.append("o0")
            labels.append("")
        else:
            preferred.append("+".join(file_outcome_ids[k] for k in key))
            labels.append(" + ".join(reader.outcomes[k].label for k in key if reader.outcomes[k].label))
        sums = [sum((reader.outcomes[k].payoffs[i] for k in key), Fraction(0)) for i in range(len(players))]
        rows.append([float(s) for s in sums])
    outcomes = tuple(Outcome(oid, label) for oid, label in zip(assign_ids(preferred, preferred), labels))

    nodes: list[Node] = []
    chance_probs: dict[int, np.ndarray] = {}
    for i, r in enumerate(raw):
        if r.kind == TERMINAL:
            nodes.append(Node(node_ids[i], TERMINAL, outcome=leaf_outcome[path[i]], label=r.label))
            continue
        actions = iset_actions[r.iset]
        if r.kind == CHANCE:
            probs = reader.infosets[r.iset].probs
            if probs is None:  # actions(chance=True) always reads them
                raise AssertionError(f"chance node at line {r.line} without probabilities")
            chance_probs[i] = np.array([float(p) for p in probs])
            nodes.append(Node(node_ids[i], CHANCE, actions, tuple(r.children), label=r.label))
        else:
            nodes.append(Node(node_ids[i], DECISION, actions, tuple(r.children), player=r.iset[0] - 1,
                              infoset=iset_ids[r.iset], label=r.label))
    payoffs = np.array(rows, dtype=float).reshape(len(rows), len(players))
    try:
        return GameTree(players, tuple(nodes), 0, outcomes, payoffs, chance_probs, title)
    except GameError as exc:
        raise GameFileError([Problem(p.message, file, p.line or _line_of(p.message, node_ids, raw), p.path)
                             for p in exc.problems]) from None


def _line_of(message: str, node_ids: list[str], raw: list[_Node]) -> int | None:
    """The line of the node a tree check's message names last (the one found wrong), if any.

    The checks name nodes as ``node 'id'``; in "reaches node 'a' after ... but node 'b' after ..."
    the second node is where the file breaks perfect recall.
    """
    best, line = -1, None
    for node_id, r in zip(node_ids, raw):
        at = message.rfind(f"node {node_id!r}")
        if at > best:
            best, line = at, r.line
    return line


def write_efg(tree: GameTree, *, title: str | None = None) -> str:
    """The .efg text of a single game tree.

    Parameters
    ----------
    tree : GameTree
        A tree at one parameter point (``batch_shape == ()``).
    title : str, optional
        The file's title (default: the tree's).

    Returns
    -------
    str
        The file's text; chance probabilities sum to exactly one whenever the floats allow it.

    Raises
    ------
    GameError
        For a batched tree or a non-finite number.

    Examples
    --------
    >>> import negosim as ns
    >>> from negosim.io import write_efg
    >>> print(write_efg(ns.load("scenarios/entry_deterrence.yaml").build()))
    EFG 2 R "Entry deterrence (a non-credible threat)" { "Entrant" "Incumbent" }
    ""
    <BLANKLINE>
    p "entrant" 1 1 "entrant" { "out" "in" } 0
    t "entrant.out" 1 "stay_out" { 0, 4 }
    p "incumbent" 2 1 "incumbent" { "fight" "accommodate" } 0
    t "incumbent.fight" 2 "price_war" { -1, 0 }
    t "incumbent.accommodate" 3 "shared_market" { 1, 2 }
    <BLANKLINE>
    """
    if tree.batch_shape != ():
        raise GameError(f"only a single game can be written to an .efg file; this one has batch shape "
                        f"{tree.batch_shape}")
    title = tree.title if title is None else title
    lines = [f"EFG 2 R {quote(title)} {{ {' '.join(quote(p) for p in tree.players)} }}", '""', ""]
    iset_number: dict[tuple[int, str], int] = {}
    per_player = [0] * tree.n_players
    outcome_number: dict[int, int] = {}
    n_chance = 0
    for i in tree.preorder():
        node = tree.nodes[i]
        if node.kind == DECISION:
            iset = node.information_set
            key = (node.mover, iset)
            if key not in iset_number:
                per_player[node.mover] += 1
                iset_number[key] = per_player[node.mover]
            actions = " ".join(quote(a) for a in node.actions)
            lines.append(f"p {quote(node.id)} {node.mover + 1} {iset_number[key]} {quote(iset)} {{ {actions} }} 0")
        elif node.kind == CHANCE:
            n_chance += 1
            texts = exact_probabilities(np.asarray(tree.chance_probs[i]).reshape(-1), f"node {node.id!r}")
            actions = " ".join(f"{quote(a)} {t}" for a, t in zip(node.actions, texts))
            lines.append(f'c {quote(node.id)} {n_chance} "" {{ {actions} }} 0')
        elif node.outcome is None:
            lines.append(f"t {quote(node.id)} 0")
        else:
            k = outcome_number.setdefault(node.outcome, len(outcome_number) + 1)
            payoffs = ", ".join(format_number(v) for v in np.asarray(tree.payoffs[node.outcome]).reshape(-1))
            lines.append(f"t {quote(node.id)} {k} {quote(tree.outcomes[node.outcome].id)} {{ {payoffs} }}")
    return "\n".join(lines) + "\n"
