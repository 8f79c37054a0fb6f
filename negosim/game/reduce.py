"""The reduced normal form of a game tree, batched over parameter points.

A player's pure strategy assigns an action to each of its information sets; two strategies that
differ only at information sets their own earlier choices rule out lead to the same play, so the
reduced normal form keeps one of them. A reduced strategy is therefore an assignment of actions to
the player's *relevant* information sets only, listed in lexicographic order (information sets in
`GameTree.infosets()` order, actions in node order) and labelled by those actions joined with "/"
(a player with one information set: just the action label, e.g. "accept").

Payoffs are computed for the whole batch at once: a 0/1 matrix says which leaves each profile of
reduced strategies can reach, and one matrix product weighs the leaves' payoffs by their chance
probabilities.
"""

from __future__ import annotations

import numpy as np

from ..records import dataclass  # (frozen dataclasses made with less compiling: negosim.records)
from .normal import NormalFormGame
from .tree import DECISION, TERMINAL, GameTree

#: Label of the single strategy of a player who never moves.
NO_MOVE = "(no move)"


@dataclass(frozen=True)
class TreeSequences:
    """The sequence structure of a tree (perfect recall makes these well defined).

    infosets      `tree.infosets()`: (player, infoset id, node indices)
    infoset_of    decision node index -> position in `infosets`
    leaves        terminal node indices in preorder
    infoset_seq   per information set: its player's own (infoset position, action index) pairs
                  on the path to it, earliest first
    leaf_seq      per player, per leaf: that player's own (infoset position, action index) pairs
    chance_path   per leaf: the (chance node, action index) pairs on its path
    n_actions     per information set: its number of actions
    """

    infosets: tuple
    infoset_of: dict
    leaves: tuple[int, ...]
    infoset_seq: tuple[tuple[tuple[int, int], ...], ...]
    leaf_seq: tuple[tuple[tuple[tuple[int, int], ...], ...], ...]
    chance_path: tuple[tuple[tuple[int, int], ...], ...]
    n_actions: tuple[int, ...]


def tree_sequences(tree: GameTree) -> TreeSequences:
    """The own-move sequences of every information set and leaf, from one walk of the tree."""
    infosets = tuple(tree.infosets())
    infoset_of = {i: k for k, (_, _, nodes) in enumerate(infosets) for i in nodes}
    n = tree.n_players
    infoset_seq: list = [None] * len(infosets)
    leaves: list[int] = []
    leaf_seq: list[list[tuple]] = [[] for _ in range(n)]
    chance_path: list[tuple] = []
    stack: list[tuple[int, tuple[tuple, ...], tuple]] = [(tree.root, ((),) * n, ())]
    while stack:
        i, own, chance = stack.pop()
        node = tree.nodes[i]
        if node.kind == TERMINAL:
            leaves.append(i)
            for p in range(n):
                leaf_seq[p].append(own[p])
            chance_path.append(chance)
            continue
        steps: list[tuple[int, tuple[tuple, ...], tuple]] = []
        for a, c in enumerate(node.children):
            if node.kind == DECISION:
                k = infoset_of[i]
                infoset_seq[k] = own[int(node.player or 0)]
                nxt = tuple(s + ((k, a),) if p == node.player else s for p, s in enumerate(own))
                steps.append((c, nxt, chance))
            else:
                steps.append((c, own, chance + ((i, a),)))
        stack.extend(reversed(steps))
    return TreeSequences(infosets, infoset_of, tuple(leaves), tuple(infoset_seq),
                         tuple(tuple(s) for s in leaf_seq), tuple(chance_path),
                         tuple(len(tree.nodes[nodes[0]].actions) for _, _, nodes in infosets))


def strategy_behavior(tree: GameTree, seq: TreeSequences | None = None) -> tuple[tuple[dict[str, str], ...], ...]:
    """Each player's reduced strategies, each as {information set id: action label} over the
    information sets it does not rule out itself; in the order of `reduced_normal_form`'s actions."""
    seq = seq or tree_sequences(tree)
    def named(choice: dict[int, int]) -> dict[str, str]:
        return {seq.infosets[k][1]: tree.nodes[seq.infosets[k][2][0]].actions[a] for k, a in choice.items()}

    return tuple(tuple(named(c) for c in _reduced(seq, player)) for player in range(tree.n_players))


def strategy_labels(tree: GameTree, seq: TreeSequences | None = None) -> tuple[tuple[str, ...], ...]:
    """Labels of each player's reduced strategies: the chosen actions joined with "/"."""
    out = []
    for strategies in strategy_behavior(tree, seq):
        labels = tuple("/".join(s.values()) or NO_MOVE for s in strategies)
        if len(set(labels)) < len(labels):  # only if action labels themselves contain "/"
            labels = tuple(" ".join(f"{h}:{a}" for h, a in s.items()) or NO_MOVE for s in strategies)
        out.append(labels)
    return tuple(out)


def _reduced(seq: TreeSequences, player: int) -> list[dict[int, int]]:
    """Reduced strategies of one player as {infoset position: action index}, lexicographic order."""
    partial: list[dict[int, int]] = [{}]
    for k, (p, _, _) in enumerate(seq.infosets):
        if p != player:
            continue
        n_actions = seq.n_actions[k]
        grown: list = []
        for s in partial:
            if all(s.get(h) == a for h, a in seq.infoset_seq[k]):
                grown.extend({**s, k: a} for a in range(n_actions))
            else:
                grown.append(s)
        partial = grown
    return partial


def reach_matrices(tree: GameTree, seq: TreeSequences | None = None) -> tuple[np.ndarray, ...]:
    """Per player a 0/1 matrix (n_strategies, n_leaves): whether the strategy's own moves lead to the leaf."""
    seq = seq or tree_sequences(tree)
    out = []
    for player in range(tree.n_players):
        choices = _reduced(seq, player)
        m = np.array([[all(s.get(h) == a for h, a in path) for path in seq.leaf_seq[player]] for s in choices],
                     dtype=float).reshape(len(choices), len(seq.leaves))
        out.append(m)
    return tuple(out)


def chance_reach(tree: GameTree, seq: TreeSequences | None = None) -> np.ndarray:
    """Probability that chance lets play reach each leaf, shape ``(*batch, n_leaves)``."""
    seq = seq or tree_sequences(tree)
    cols = []
    for path in seq.chance_path:
        r = np.ones(())
        for node, a in path:
            r = r * tree.chance_probs[node][..., a]
        cols.append(np.broadcast_to(r, tree.batch_shape))
    if not cols:
        return np.ones((*tree.batch_shape, 0))
    return np.stack(cols, axis=-1)


def reduced_normal_form(tree: GameTree) -> NormalFormGame:
    """The batched reduced normal form of `tree` (see the module docstring for strategies and labels).

    `outcomes[profile]` is the outcome id the profile leads to with certainty at every batch point,
    or "" where chance can lead it to different outcomes.
    """
    seq = tree_sequences(tree)
    mats = reach_matrices(tree, seq)
    n, n_leaves = tree.n_players, len(seq.leaves)
    shape = tuple(m.shape[0] for m in mats)
    joint = np.ones((*([1] * n), n_leaves))
    for p, m in enumerate(mats):
        joint = joint * m.reshape(*(shape[p] if q == p else 1 for q in range(n)), n_leaves)
    joint = joint.reshape(-1, n_leaves)  # (profiles, leaves)
    leaf_outcome = np.array([tree.nodes[i].outcome for i in seq.leaves], dtype=int)
    chance = chance_reach(tree, seq)  # (*batch, leaves)
    weighted = chance[..., :, None] * tree.payoffs[..., leaf_outcome, :]  # (*batch, leaves, players)
    weighted = np.broadcast_to(weighted, (*tree.batch_shape, n_leaves, n))
    payoffs = np.swapaxes(weighted, -1, -2) @ joint.T  # (*batch, players, profiles)
    payoffs = payoffs.reshape(*tree.batch_shape, n, *shape)
    possible = (chance > 0).reshape(-1, n_leaves).any(axis=0) if chance.size else np.ones(n_leaves, bool)
    outcomes = np.empty(joint.shape[0], dtype=object)
    for prof in range(joint.shape[0]):
        ids = {int(leaf_outcome[leaf]) for leaf in np.flatnonzero((joint[prof] > 0) & possible)}
        outcomes[prof] = tree.outcomes[ids.pop()].id if len(ids) == 1 else ""
    return NormalFormGame(tree.players, strategy_labels(tree, seq), payoffs, tree.title, outcomes.reshape(shape),
                          tree.ties)


def behavior_from_mixed(tree: GameTree, player: int, mixed: np.ndarray, fallback: dict[int, int] | None = None,
                        seq: TreeSequences | None = None) -> dict[int, np.ndarray]:
    """Behaviour at each of `player`'s information sets (position in `infosets()` -> ``(B, n_actions)``)
    realisation-equivalent to the mixed reduced strategy `mixed` ``(B, n_strategies)`` (Kuhn).

    Where the mixed strategy itself rules an information set out, the behaviour there does not
    affect play; it is then the action `fallback[k]` (default the first) with probability 1.
    """
    seq = seq or tree_sequences(tree)
    fallback = fallback or {}
    mixed = np.clip(np.asarray(mixed, dtype=float), 0.0, None)
    choices = _reduced(seq, player)
    out = {}
    for k, (p, _, _) in enumerate(seq.infosets):
        if p != player:
            continue
        n_actions = seq.n_actions[k]
        picks = np.array([[s.get(k) == a for a in range(n_actions)] for s in choices], dtype=float)
        mass = mixed @ picks  # (B, n_actions)
        total = mass.sum(axis=1, keepdims=True)
        default = np.zeros(n_actions)
        default[fallback.get(k, 0)] = 1.0
        reached = total > 1e-12
        out[k] = np.where(reached, mass / np.where(reached, total, 1.0), default)
    return out
