"""Where each node of a game tree is drawn, and what an equilibrium does there.

Shared by the tree figure and the TikZ export; numpy only (no matplotlib). The layout is a tidy
layered drawing: leaves evenly spaced from left to right in depth-first order, each parent centred
over its children, depth downwards. A subtree occupies a contiguous run of leaf columns, so edges
never cross.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...game.tree import GameTree


@dataclass(frozen=True)
class TreeLayout:
    """Where each node goes: `x` in leaf columns (leaves at 0, 1, 2, ...), `depth` from the root (0)."""

    x: np.ndarray  # (n_nodes,) float
    depth: np.ndarray  # (n_nodes,) int
    leaves: tuple[int, ...]  # terminal node indices from left to right
    parent: tuple[int, ...]  # parent index of each node (-1 for the root)


def tree_layout(tree: GameTree) -> TreeLayout:
    """The tidy layered layout of `tree`: leaves evenly spaced, parents centred over their children.

    Parameters
    ----------
    tree : GameTree

    Returns
    -------
    TreeLayout
        Each node's x position and depth, the leaves in order, each node's parent (-1 at the root).

    Examples
    --------
    >>> import negosim as ns
    >>> from negosim.present.figures import tree_layout
    >>> layout = tree_layout(ns.load("scenarios/entry_deterrence.yaml").build())
    >>> layout.x.tolist(), layout.depth.tolist(), layout.leaves
    ([0.75, 0.0, 1.5, 1.0, 2.0], [0, 1, 1, 2, 2], (1, 3, 4))
    """
    n = len(tree.nodes)
    x, depth, parent = np.zeros(n), np.zeros(n, dtype=int), [-1] * n
    order = tree.preorder()
    for i in order:
        for c in tree.nodes[i].children:
            depth[c], parent[c] = depth[i] + 1, i
    leaves = [i for i in order if not tree.nodes[i].children]
    x[leaves] = np.arange(len(leaves))
    for i in reversed(order):  # children before parents
        kids = tree.nodes[i].children
        if kids:
            x[i] = (x[kids[0]] + x[kids[-1]]) / 2
    return TreeLayout(x, depth, tuple(leaves), tuple(parent))


def chance_probs(tree: GameTree, point: int) -> dict[int, np.ndarray]:
    """Each chance node's probabilities at batch point `point`."""
    return {i: tree.probs(i).reshape(-1, len(tree.nodes[i].children))[point] for i in tree.chance_probs}


def equilibrium_play(tree: GameTree, spe, point: int) -> tuple[dict[int, np.ndarray], np.ndarray] | None:
    """(action probabilities at every decision and chance node, probability of reaching every node) under
    the first equilibrium of `spe` at `point`; None without a solution or an equilibrium there."""
    if spe is None:
        return None
    rows = spe.rows_at(point)
    if len(rows) == 0:
        return None
    e = int(rows[0])
    probs = chance_probs(tree, point)
    for k, (_, _, nodes) in enumerate(tree.infosets()):
        for i in nodes:
            probs[i] = np.asarray(spe.behavior[k][e], dtype=float)
    reach = np.zeros(len(tree.nodes))
    reach[tree.root] = 1.0
    for i in tree.preorder():
        for j, c in enumerate(tree.nodes[i].children):
            reach[c] = reach[i] * probs[i][j]
    return probs, reach
