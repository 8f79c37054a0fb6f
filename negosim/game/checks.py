"""Structural checks of game trees: a finite tree, consistent information sets, perfect recall,
valid chance probabilities at every batch point and finite payoffs.

`check_tree` runs for every `GameTree` built, so it stays cheap: the structural walk is linear in
the number of nodes and the per-point checks (probabilities, payoffs) are whole-array operations.
"""

from __future__ import annotations

import numpy as np

from ..errors import GameError
from ..limits import MAX_PLAYERS

#: A chance probability below this is negative (here, where a game is built, no rounding is excused).
NEG_TOL = 1e-12
#: Probabilities may miss summing to 1, and (in strategies) non-negativity, by this much: rounding.
#: The one definition: scenarios' chance nodes and the solvers' verification use it too.
PROB_TOL = 1e-9

_KINDS = ("decision", "chance", "terminal")


def check_tree(tree) -> None:
    """Raise `GameError` (naming the node, information set or batch point) if `tree` is not a
    valid finite game tree with perfect recall; return None otherwise."""
    nodes = tree.nodes
    n_players = len(tree.players)
    if n_players < 1:
        raise GameError("a game needs at least one player")
    if n_players > MAX_PLAYERS:  # its reduced normal form would need an array axis per player
        raise GameError(f"a game of {n_players} players; negosim solves games of at most {MAX_PLAYERS}")
    if len(set(tree.players)) != n_players:
        raise GameError(f"repeated player labels {list(tree.players)}")
    ids = [node.id for node in nodes]
    if len(set(ids)) != len(ids):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise GameError(f"node id {dup!r} is used by more than one node")
    if not isinstance(tree.root, (int, np.integer)) or not 0 <= tree.root < len(nodes):
        raise GameError(f"root index {tree.root!r} is out of range (the tree has {len(nodes)} nodes)")
    for index, node in enumerate(nodes):
        _check_node(index, node, len(nodes), n_players, len(tree.outcomes), tree.chance_probs)
    parent = _walk(tree)
    _check_infosets(tree, parent)
    _check_arrays(tree)


def _check_node(index: int, node, n_nodes: int, n_players: int, n_outcomes: int, chance_probs) -> None:
    """Checks that concern one node on its own."""
    name = f"node {node.id!r}"
    if node.kind not in _KINDS:
        raise GameError(f"{name} has kind {node.kind!r}; expected one of {', '.join(_KINDS)}")
    for c in node.children:
        if not isinstance(c, (int, np.integer)) or not 0 <= c < n_nodes:
            raise GameError(f"{name} has child index {c!r} out of range (the tree has {n_nodes} nodes)")
    if node.kind == "terminal":
        if node.children or node.actions:
            raise GameError(f"{name} is terminal but has actions or children")
        if not isinstance(node.outcome, (int, np.integer)) or not 0 <= node.outcome < n_outcomes:
            raise GameError(f"terminal {name} has outcome index {node.outcome!r}, not one of 0..{n_outcomes - 1}")
        return
    if not node.actions:
        raise GameError(f"{name} has no actions")
    if len(node.actions) != len(node.children):
        raise GameError(f"{name} has {len(node.actions)} actions but {len(node.children)} children")
    if len(set(node.actions)) != len(node.actions):
        raise GameError(f"{name} has repeated action labels {list(node.actions)}")
    if node.kind == "decision":
        if not isinstance(node.player, (int, np.integer)) or not 0 <= node.player < n_players:
            raise GameError(f"{name} has player index {node.player!r} out of range ({n_players} players)")
        return
    probs = chance_probs.get(index)
    if probs is None:
        raise GameError(f"chance {name} has no probabilities")
    if probs.ndim < 1 or probs.shape[-1] != len(node.children):
        raise GameError(
            f"chance {name} has probabilities of shape {probs.shape}; expected (*batch, {len(node.children)})"
        )


def _walk(tree) -> list[int | None]:
    """The parent of every node (None for the root), after checking the nodes form one tree."""
    nodes = tree.nodes
    parent: list[int | None] = [None] * len(nodes)
    seen = [False] * len(nodes)
    seen[tree.root] = True
    stack = [tree.root]
    while stack:
        i = stack.pop()
        for c in nodes[i].children:
            if seen[c]:
                raise GameError(_revisit_message(nodes, parent, i, c, tree.root))
            seen[c] = True
            parent[c] = i
            stack.append(c)
    dangling = [nodes[i].id for i in range(len(nodes)) if not seen[i]]
    if dangling:
        raise GameError(f"node {dangling[0]!r} is not reachable from the root {nodes[tree.root].id!r}"
                        + (f" ({len(dangling)} unreachable nodes)" if len(dangling) > 1 else ""))
    for k in tree.chance_probs:
        if not 0 <= k < len(nodes) or nodes[k].kind != "chance":
            raise GameError(f"chance probabilities given for node index {k}, which is not a chance node")
    return parent


def _revisit_message(nodes, parent, i: int, c: int, root: int) -> str:
    """Why child `c` of node `i` was seen before: a cycle (it is an ancestor) or a second parent."""
    a = i
    while a is not None:
        if a == c:
            return f"node {nodes[c].id!r} is its own descendant (a cycle through {nodes[i].id!r})"
        a = parent[a]
    first = "the root" if c == root else repr(nodes[parent[c]].id)
    return f"node {nodes[c].id!r} is reached twice (from {first} and from {nodes[i].id!r}); a game must be a tree"


def _check_infosets(tree, parent) -> None:
    """Information sets: one player, the same actions, perfect recall, no two nodes on one path.

    Linear in the number of nodes: a player's own sequence of (information set, action) moves is
    interned as an integer (its predecessor's id and the last move), so comparing two sequences
    is comparing two integers, and whether an information set already lies on the path is a
    counter kept while the depth-first walk enters and leaves nodes.
    """
    nodes = tree.nodes
    members: dict[str, list[int]] = {}
    history: dict[int, int] = {}  # decision node -> id of its player's own (infoset, action) sequence
    interned: dict[tuple[int, str, str], int] = {}
    steps: list[tuple[int, str, str] | None] = [None]  # sequence id -> (previous id, infoset, action); 0 is empty
    own: list[dict[int, int]] = [{}] * len(nodes)  # node -> {player: own sequence id before it}
    on_path: dict[tuple[int, str], int] = {}  # (player, infoset) -> decision nodes of it on the current path
    stack: list[tuple[int, bool]] = [(tree.root, True)]
    while stack:
        i, entering = stack.pop()
        node = nodes[i]
        key = (node.player, node.infoset)
        if not entering:
            on_path[key] -= 1
            continue
        if node.kind == "decision":
            members.setdefault(node.infoset, []).append(i)
            history[i] = own[i].get(node.player, 0)
            if on_path.get(key, 0):
                raise GameError(f"information set {node.infoset!r} has two nodes on one path "
                                f"(node {node.id!r} follows another node of it)")
            on_path[key] = 1
            stack.append((i, False))
            for action, c in zip(node.actions, node.children):
                step = (history[i], node.infoset, action)
                seq = interned.get(step)
                if seq is None:
                    seq = interned[step] = len(steps)
                    steps.append(step)
                own[c] = {**own[i], node.player: seq}
        else:
            for c in node.children:
                own[c] = own[i]
        stack.extend((c, True) for c in reversed(node.children))
    for infoset, ix in members.items():
        first = nodes[ix[0]]
        for j in ix[1:]:
            node = nodes[j]
            if node.player != first.player:
                raise GameError(
                    f"information set {infoset!r} mixes players {tree.players[first.player]!r} (node {first.id!r}) "
                    f"and {tree.players[node.player]!r} (node {node.id!r})"
                )
            if node.actions != first.actions:
                raise GameError(
                    f"information set {infoset!r} has different actions at node {first.id!r} {list(first.actions)} "
                    f"and node {node.id!r} {list(node.actions)}"
                )
            if history[j] != history[ix[0]]:
                raise GameError(
                    f"information set {infoset!r} breaks perfect recall: player {tree.players[node.player]!r} "
                    f"reaches node {first.id!r} after {_fmt(_sequence(steps, history[ix[0]]))} but node "
                    f"{node.id!r} after {_fmt(_sequence(steps, history[j]))}"
                )


def _sequence(steps: list, seq: int) -> tuple:
    """The (information set, action) moves of an interned sequence id, first move first."""
    out = []
    while seq:
        seq, infoset, action = steps[seq]
        out.append((infoset, action))
    return tuple(reversed(out))


def _fmt(seq: tuple) -> str:
    return "[" + ", ".join(f"{s}:{a}" for s, a in seq) + "]" if seq else "no earlier move"


def _check_arrays(tree) -> None:
    """Payoff shape and finiteness; chance probabilities non-negative and summing to 1 everywhere."""
    pay = tree.payoffs
    n_out, n_pl = len(tree.outcomes), len(tree.players)
    if pay.ndim < 2 or pay.shape[-2:] != (n_out, n_pl):
        raise GameError(f"payoff array has shape {pay.shape}; expected (*batch, {n_out}, {n_pl})")
    shapes = {"payoffs": pay.shape[:-2]}
    shapes.update({f"node {tree.nodes[k].id!r}": p.shape[:-1] for k, p in tree.chance_probs.items()})
    try:
        batch = tuple(np.broadcast_shapes(*shapes.values()))
    except ValueError:
        listed = ", ".join(f"{k} {v}" for k, v in shapes.items())
        raise GameError(f"batch shapes do not broadcast together: {listed}") from None
    finite = np.isfinite(pay)
    if not finite.all():
        bad = np.argwhere(~finite)[0]
        point, o, i = _point(bad[:-2], pay.shape[:-2], batch), bad[-2], bad[-1]
        raise GameError(f"payoff of {tree.players[i]!r} at outcome {tree.outcomes[o].id!r} is "
                        f"{float(pay[tuple(bad)])} at batch point {point}; payoffs must be finite")
    for k, p in tree.chance_probs.items():
        name = f"chance node {tree.nodes[k].id!r}"
        bad = ~np.isfinite(p) | (p < -NEG_TOL)
        if bad.any():
            at = np.argwhere(bad)[0]
            raise GameError(f"{name}: probability of {tree.nodes[k].actions[at[-1]]!r} is {float(p[tuple(at)]):.12g} "
                            f"at batch point {_point(at[:-1], p.shape[:-1], batch)}; probabilities must be >= 0")
        total = p.sum(axis=-1)
        off = np.abs(total - 1.0) > PROB_TOL
        if off.any():
            at = np.argwhere(off)[0] if off.ndim else np.zeros(0, dtype=int)
            raise GameError(f"{name}: probabilities sum to {float(total[tuple(at)]):.12g} at batch point "
                            f"{_point(at, p.shape[:-1], batch)}; they must sum to 1")


def _point(index, own_shape: tuple, batch: tuple) -> int:
    """Flat index in the full batch of the first point where an array's entry at `index` is used."""
    if not batch:
        return 0
    full = [0] * len(batch)
    offset = len(batch) - len(own_shape)
    for d, (i, n) in enumerate(zip(index, own_shape)):
        full[offset + d] = int(i) if n == batch[offset + d] else 0
    return int(np.ravel_multi_index(tuple(full), batch))
