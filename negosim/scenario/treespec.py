"""Check an extensive-form `game` section on the YAML itself and compile it into a `TreeSpec`.

Every message has a line: dangling references, nodes reached twice, cycles, unreachable nodes,
unused outcomes, inconsistent information sets. `GameTree`'s own checks run later, at the
baseline, as a second line of defence (perfect recall among them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..game.tree import CHANCE, DECISION, TERMINAL, Node
from .model import TreeSpec
from .payoffs import check_outcomes
from .yamlio import kind

if TYPE_CHECKING:
    from .checker import Checker


@dataclass
class _Draft:
    """A node as written, parsed as far as possible (problems are reported, not raised)."""

    id: str
    path: tuple
    kind: str
    player: str | None = None
    infoset: str | None = None
    label: str = ""
    edges: list = field(default_factory=list)  # (action, target id or None, path of the reference)
    probs: list = field(default_factory=list)  # chance: one Formula (or None) per edge
    prefer: tuple[str, ...] = ()
    complete: bool = True  # False when its actions could not be read (skip graph checks)


def check_tree_section(c: Checker, g: dict, path, players, known):
    """Return (TreeSpec or None, every action label, node id -> its own tie preferences).

    The TreeSpec is compiled only when the section has no problems (so the graph is a tree).
    """
    before = len(c.problems)
    c.mapping(path, g, ("form", "root", "nodes", "outcomes"), ())
    outcomes = check_outcomes(c, path + ("outcomes",), g["outcomes"], players, known) if "outcomes" in g else {}
    drafts: dict[str, _Draft | None] = {}
    nodes = c.mapping(path + ("nodes",), g["nodes"], what="a mapping of node id -> node") if "nodes" in g else None
    if nodes is not None:
        if not nodes:
            c.report(path + ("nodes",), "a game tree needs at least one node")
        for nid, body in nodes.items():
            if c.identifier(path + ("nodes", nid), nid, "node id") is not None:
                drafts[nid] = _node(c, path + ("nodes", nid), nid, body, players, known)
    for oid in outcomes:
        if oid in drafts:
            c.report(
                path + ("outcomes", oid),
                f"{oid!r} is both a node (line {c.line(path + ('nodes', oid))}) and an outcome; "
                "node and outcome ids share one namespace",
            )
    root = _root(c, g, path, drafts, outcomes)
    for d in drafts.values():
        for action, target, ref in d.edges if d else ():
            if target is not None and target not in drafts and target not in outcomes:
                targets = [*drafts, *outcomes]
                c.report(
                    ref,
                    f"action {action!r} leads to {target!r}, which is neither a node nor an outcome"
                    + c.suggest(target, targets),
                )
    complete = all(d is not None and d.complete for d in drafts.values())
    if root is not None and complete:
        _check_graph(c, root, drafts, outcomes, path)
    _check_infosets(c, drafts)
    labels = frozenset(a for d in drafts.values() if d for a, _, _ in d.edges)
    prefer = {d.id: d.prefer for d in drafts.values() if d and d.prefer}
    spec = None
    if root is not None and complete and len(c.problems) == before:
        spec = _tree_spec(c, root, drafts, outcomes, players)
    return spec, labels, prefer


def _root(c: Checker, g: dict, path, drafts, outcomes) -> str | None:
    if "root" not in g:
        return None
    root = g["root"]
    if not isinstance(root, str):
        c.report(path + ("root",), f"expected the id of the first node, got {kind(root)}")
    elif root in drafts:
        return root
    elif root in outcomes:
        c.report(path + ("root",), f"the root must be a node, not the outcome {root!r}")
    else:
        c.report(path + ("root",), f"no node has id {root!r}{c.suggest(root, drafts)}")
    return None


def _node(c: Checker, path, nid: str, body, players, known) -> _Draft | None:
    """Return a node as written, reporting every problem in it."""
    if not isinstance(body, dict):
        c.report(path, f"expected a node (a mapping with player and actions, or chance), got {kind(body)}")
        return None
    if "chance" in body:
        d = _Draft(nid, path, CHANCE)
        c.mapping(path, body, ("chance",), ("label",))
        branches = c.mapping(path + ("chance",), body["chance"], what="a mapping of outcome of chance -> {prob, next}")
        if branches is None:
            d.complete = False
        elif not branches:
            c.report(path + ("chance",), "a chance node needs at least one branch")
        for action, branch in (branches or {}).items():
            bp = path + ("chance", action)
            c.identifier(bp, action, "action name")
            if c.mapping(bp, branch, ("prob", "next"), (), "a mapping {prob, next}") is None:
                d.complete = False
                continue
            d.probs.append(c.formula(bp + ("prob",), branch["prob"], known) if "prob" in branch else None)
            target = _target(c, bp + ("next",), branch["next"]) if "next" in branch else None
            d.edges.append((action, target, bp + ("next",)))
    elif "player" in body or "actions" in body:
        d = _Draft(nid, path, DECISION)
        c.mapping(path, body, ("player", "actions"), ("label", "infoset", "prefer"))
        if "player" in body:
            d.player = c.text(path + ("player",), body["player"])
            if d.player is not None and players is not None and d.player not in players:
                c.report(path + ("player",), f"{d.player!r} is not a player{c.suggest(d.player, players)}")
        if "infoset" in body:
            d.infoset = c.identifier(path + ("infoset",), body["infoset"], "information set id")
        acts = (
            c.mapping(path + ("actions",), body["actions"], what="a mapping of action -> next node or outcome id")
            if "actions" in body
            else None
        )
        if acts is None:
            d.complete = False
        elif not acts:
            c.report(path + ("actions",), "a decision node needs at least one action")
        for action, target in (acts or {}).items():
            c.identifier(path + ("actions", action), action, "action name")
            d.edges.append((action, _target(c, path + ("actions", action), target), path + ("actions", action)))
        if "prefer" in body:
            d.prefer = _node_prefer(c, path + ("prefer",), body["prefer"], [a for a, _, _ in d.edges])
    else:
        c.report(path, "a node needs player and actions (a decision node) or chance (a chance node)")
        c.mapping(path, body, (), ("player", "actions", "label", "infoset", "prefer", "chance"))
        return None
    if "label" in body:
        d.label = (c.text(path + ("label",), body["label"], one_line=True) or "").strip()
    return d


def _target(c: Checker, path, value) -> str | None:
    if value is None or not isinstance(value, str):
        c.report(path, f"expected the id of a node or an outcome, got {kind(value)}")
        return None
    return value


def _node_prefer(c: Checker, path, value, actions: list[str]) -> tuple[str, ...]:
    items = c.seq(path, value, "a list of this node's actions")
    out = []
    for i, label in enumerate(items or []):
        if c.text(path + (i,), label) is None:
            continue
        if label not in actions:
            c.report(path + (i,), f"{label!r} is not an action of this node{c.suggest(label, actions)}")
        out.append(label)
    return tuple(out)


def _check_graph(c: Checker, root: str, drafts: dict, outcomes: dict, path) -> None:
    """Report cycles, nodes reached twice, unreachable nodes and unused outcomes, each at its line."""
    state: dict[str, str] = {root: "open"}  # open = on the current path, done = finished
    parent: dict[str, tuple] = {}
    trail = [root]
    stack = [iter(drafts[root].edges)]
    while stack:
        edge = next(stack[-1], None)
        if edge is None:
            state[trail.pop()] = "done"
            stack.pop()
            continue
        _, target, ref = edge
        if target not in drafts:
            continue
        if state.get(target) == "open":
            cycle = " -> ".join(trail[trail.index(target) :] + [target])
            c.report(ref, f"leads back to {target!r}, making a cycle: {cycle}; a game tree has no cycles")
        elif target in state:
            first = parent.get(target)
            where = f"already reached from line {c.line(first)}" if first else "the root"
            c.report(
                ref,
                f"leads to {target!r}, which is {where}; "
                "every node but the root has one parent (share an outcome id instead)",
            )
        else:
            parent[target] = ref
            state[target] = "open"
            trail.append(target)
            stack.append(iter(drafts[target].edges))
    referenced = {t for d in drafts.values() for _, t, _ in d.edges}
    for nid, d in drafts.items():
        if nid not in state:
            why = "it is reached only from unreachable nodes" if nid in referenced else "no action leads to it"
            c.report(d.path, f"node {nid!r} cannot be reached from the root {root!r}: {why}")
    for oid in outcomes:
        if oid not in referenced and oid not in drafts:
            c.report(path + ("outcomes", oid), f"outcome {oid!r} is not used: no action leads to it")


def _check_infosets(c: Checker, drafts: dict) -> None:
    """Report information sets whose nodes belong to different players or offer different actions."""
    groups: dict[str, list[_Draft]] = {}
    for d in drafts.values():
        if d is not None and d.kind == DECISION and d.complete:
            groups.setdefault(d.infoset or d.id, []).append(d)
    for iset, members in groups.items():
        first = members[0]
        for d in members[1:]:
            where = d.path + ("infoset",) if d.infoset else d.path
            first_line = c.line(first.path)
            if d.player != first.player:
                c.report(
                    where,
                    f"information set {iset!r} mixes players: node {first.id!r} (line {first_line}) "
                    f"belongs to {first.player}, this node to {d.player}",
                )
            elif [a for a, _, _ in d.edges] != [a for a, _, _ in first.edges]:
                theirs = ", ".join(a for a, _, _ in first.edges)
                mine = ", ".join(a for a, _, _ in d.edges)
                c.report(
                    where,
                    f"nodes of information set {iset!r} must offer the same actions in the same order: "
                    f"node {first.id!r} (line {first_line}) offers {theirs}; this node offers {mine}",
                )
            elif d.prefer != first.prefer:
                c.report(
                    where,
                    f"nodes of information set {iset!r} must have the same prefer list: "
                    f"node {first.id!r} (line {first_line}) has [{', '.join(first.prefer)}]",
                )


def _tree_spec(c: Checker, root: str, drafts: dict, outcomes: dict, players) -> TreeSpec | None:
    """Return the tree in preorder (root first), with one terminal node per action that ends the game."""
    if players is None or any(o is None for o in outcomes.values()):
        return None
    order: list = []  # node id, or (parent's draft, action, outcome id) for a terminal node
    kids: list[list[int]] = []  # for each entry of `order`: its children's positions, in action order
    stack: list = [(root, -1)]
    while stack:
        key, parent = stack.pop()
        here = len(order)
        if parent >= 0:
            kids[parent].append(here)  # children are reached in action order (preorder)
        order.append(key)
        kids.append([])
        if isinstance(key, str):
            d = drafts[key]
            stack.extend(reversed([(t if t in drafts else (d, a, t), here) for a, t, _ in d.edges]))
    outcome_index = {oid: k for k, oid in enumerate(outcomes)}
    nodes, chance, lines = [], [], {}
    for key, children in zip(order, kids):
        if not isinstance(key, str):
            d, action, oid = key
            nid = f"{d.id}.{action}"
            nodes.append(Node(nid, TERMINAL, outcome=outcome_index[oid], label=outcomes[oid].label))
            lines[nid] = c.line(d.path + (("chance" if d.kind == CHANCE else "actions"), action))
            continue
        d = drafts[key]
        lines[d.id] = c.line(d.path)
        actions = tuple(a for a, _, _ in d.edges)
        if d.kind == CHANCE:
            chance.append((len(nodes), tuple(d.probs), c.line(d.path)))
            nodes.append(Node(d.id, CHANCE, actions, tuple(children), label=d.label))
        else:
            player = players.index(d.player)
            nodes.append(Node(d.id, DECISION, actions, tuple(children), player=player, infoset=d.infoset or d.id,
                              label=d.label))
    return TreeSpec(tuple(nodes), tuple(outcomes.values()), tuple(chance), lines)
