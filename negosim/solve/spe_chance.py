"""Reach probabilities, outcome distribution and best replies of a one-point tree with chance nodes.

`spe_point` solves a perfect-information tree at one point with a levelised numpy pass. Where chance
nodes mix several branches, the batched path's checks add probability-weighted terms in a particular
order (`subgames.reach_by` multiplies down the tree in preorder, `spe._solution` sums the leaves'
reach per outcome in preorder, `subgames.best_responses` adds a player's leaves first and its later
information sets bottom-up), and a different order could round differently. These walks form every
product and sum in that same order, in Python floats (the same IEEE doubles as numpy's elementwise
operations), so the solution is the batched path's bit for bit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..game.tree import GameTree

if TYPE_CHECKING:
    from .spe_point import _Structure


def chance_tree_checks(tree: GameTree, s: _Structure, pay: np.ndarray, behavior: np.ndarray,
                       pre: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return reach per node, outcome probabilities ``(n_outcomes, 1)``, the payoffs they give
    ``(n_players, 1)`` and each player's best reply ``(n_players, 1)`` against the others' behaviour.

    `behavior` is 1 on each decision's chosen edge of `s.kids` and 0 elsewhere; `pre` the nodes in
    preorder (None: index order).
    """
    assert s.chance is not None and s.weight is not None
    n_out, n = pay.shape
    nodes = range(len(s.count)) if pre is None else pre.tolist()
    children, offset, code = s.children, s.offset.tolist(), s.code.tolist()
    weight = np.where(np.repeat(s.chance, s.count), s.weight, behavior).tolist()  # every edge's factor
    reach = [0.0] * len(children)
    reach[tree.root] = 1.0
    for i in nodes:
        r, o = reach[i], offset[i]
        for j, c in enumerate(children[i]):
            reach[c] = r * weight[o + j]
    leaves = [i for i in nodes if not children[i]]
    probs = [0.0] * n_out
    for leaf in leaves:
        probs[code[leaf]] += reach[leaf]
    outcome_probs = np.zeros((n_out, 1))
    outcome_probs[:, 0] = probs
    payoffs = np.empty((n_out, n, 1))  # (the layout `subgames.columns` gives `spe`'s einsum)
    payoffs[:, :, 0] = pay
    expected = np.einsum("ob,onb->nb", outcome_probs, payoffs)
    replies = np.zeros((n, 1))
    table = pay.tolist()
    decisions = [i for i in nodes if children[i] and code[i] >= 0]
    for p in range(n):
        replies[p, 0] = _best_reply(tree.root, p, nodes, leaves, decisions, children, offset, code, weight, table)
    return np.array(reach), outcome_probs, expected, replies


def _best_reply(root: int, p: int, nodes, leaves: list[int], decisions: list[int], children: list, offset: list[int],
                code: list[int], weight: list[float], table: list[list[float]]) -> float:
    """Player p's best payoff against the others' behaviour, by `subgames.best_responses`'s recursion:
    a bucket per own move (an edge; -1 for none yet) collects the leaves after it, then the best
    action's bucket of each of p's later decisions, bottom-up."""
    reach = [0.0] * len(children)
    reach[root] = 1.0
    last = [-1] * len(children)  # p's latest own move above each node
    for i in nodes:
        r, o = reach[i], offset[i]
        if code[i] == p and children[i]:
            for j, c in enumerate(children[i]):
                reach[c], last[c] = r, o + j  # (p's own moves are left out of its reach)
        else:
            k = last[i]
            for j, c in enumerate(children[i]):
                reach[c], last[c] = r * weight[o + j], k
    bucket: dict[int, float] = {}
    for leaf in leaves:
        k = last[leaf]
        bucket[k] = bucket.get(k, 0.0) + reach[leaf] * table[code[leaf]][p]
    for i in reversed(decisions):
        if code[i] != p:
            continue
        o = offset[i]
        best = bucket.get(o, 0.0)
        for a in range(1, len(children[i])):
            v = bucket.get(o + a, 0.0)
            best = best if best >= v else v  # (np.maximum keeps the first of equals)
        k = last[i]
        bucket[k] = bucket.get(k, 0.0) + best
    return bucket.get(-1, 0.0)
