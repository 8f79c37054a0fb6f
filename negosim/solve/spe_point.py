"""Subgame-perfect equilibrium of a perfect-information tree at ONE parameter point: a levelised numpy pass.

`subgame_perfect` (`spe.py`) carries a batch axis and pays Python overhead per node; at one point that
costs about a hundred times a plain backward-induction loop. This module solves the same game with a
handful of numpy operations per *level* of the tree instead of per node:

- the structure is read once into flat arrays (children in one array, a node's children a segment);
- nodes are grouped by depth; going up, each level gathers its children's values with one fancy index,
  takes each mover's best with `np.maximum.reduceat` over the child segments, marks the actions within
  `tol` of the best as tied (the same comparison ``value >= best - tol`` as `spe._decide`), and picks
  the first tied action in the tie rules' order (Python runs only at tied nodes, and only when the
  rules are not the default "first action listed");
- the same pass carries every player's best-response value (the mover maximises its own column, the
  others follow the chosen action), which is what `subgames.best_responses` computes at one point;
- the result is verified as in `spe._verify` (every choice best within tol, the root value equal to the
  outcome distribution's payoffs, no profitable deviation) and assembled with per-node mappings that
  build each node's arrays only when asked (`PointNodeArrays`).

Chance nodes take the probability-weighted sum of their children's values, child by child as
`spe._expectation` adds them; the reach probabilities, outcome distribution and best replies of a tree
with chance nodes are then formed in the batched path's own order (`spe_chance`).

The answer is the one `spe.subgame_perfect` gives at that point, field by field and bit for bit (tests
compare the two on random trees): values are copies of leaf payoffs or the same sums, and without chance
nodes reach probabilities are 0 or 1 and every sum the batched path forms has one non-zero term.

Where the compiled kernel ``negosim/native/spe_point.c`` is built, `point_solution` hands the tree to it
first (`spe_native`: one C call for the whole pass, the same floats in the same order); this numpy pass
is what runs without it (not built, ``NEGOSIM_NATIVE=0``) and where it declines (a payoff that is not
finite).

Not handled here (`point_solution` returns None and the batched path runs): trees with an information
set of several nodes (simultaneous moves, imperfect information: those need Nash solves of subgames),
batches of more than one point, and a tree without any decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from itertools import chain, compress
from types import ModuleType

import numpy as np

from ..errors import VerificationError
from ..game.ties import TieRules
from ..game.tree import DECISION, GameTree
from ..native import enabled, load
from .result import Solution
from .spe_shared import check_root_and_deviations, one_point_solution
from .tolerance import checked_tol, scaled_tol


@dataclass(frozen=True)
class _Structure:
    """The tree as flat arrays.

    Per node: `count` children, found at `kids[offset:offset + count]`, and `code` (the mover at a
    decision node, the outcome at a leaf). `decisions` in index order; `order` the same nodes deepest
    level first (index order within a level), whose children lie at `kids[edges]`, segment by
    segment, each segment starting at `starts` counted from its level's first edge (as `reduceat` takes
    them); `bounds` per level: ``(a, m, b, ea, em, eb)``, its decision nodes ``order[a:m]`` and chance
    nodes ``order[m:b]``, their children at ``edges[ea:em]`` and ``edges[em:eb]``.
    """

    count: np.ndarray
    offset: np.ndarray
    kids: np.ndarray
    code: np.ndarray
    decisions: np.ndarray
    order: np.ndarray
    edges: np.ndarray
    starts: np.ndarray
    bounds: list[tuple[int, int, int, int, int, int]]
    children: list[tuple[int, ...]]
    chance: np.ndarray | None = None  # per node: a chance node (None: the tree has none)
    weight: np.ndarray | None = None  # per edge of `kids`: its chance probability (0 after a decision)


def _structure(tree: GameTree) -> _Structure | None:
    """Flat arrays of a perfect-information tree, or None for a tree with an information set of several
    nodes or without a decision."""
    nodes = tree.nodes
    n = len(nodes)
    children = [node.children for node in nodes]
    deciding = list(compress(nodes, children))
    chance = weight = None
    if tree.chance_probs:  # (`check_tree` gives every chance node, and only those, probabilities)
        deciding = [node for node in deciding if node.kind == DECISION]
        code = np.fromiter([(node.player if node.kind == DECISION else -1) if node.children else node.outcome
                            for node in nodes], np.intp, n)
        chance = np.zeros(n, dtype=bool)
        chance[list(tree.chance_probs)] = True
    else:  # one pass reads the mover of each decision node and the outcome of each leaf
        code = np.fromiter([node.player if node.children else node.outcome for node in nodes], np.intp, n)
    if not deciding or len({node.infoset for node in deciding}) != len(deciding):
        return None
    try:  # (bytes() packs small counts faster than any other way from Python)
        count = np.frombuffer(bytes(map(len, children)), np.uint8).astype(np.intp)
    except ValueError:  # a node with 256 actions or more
        count = np.fromiter(map(len, children), np.intp, n)
    kids = np.fromiter(chain.from_iterable(children), np.intp, n - 1)  # a tree has n - 1 edges
    offset = np.cumsum(count) - count
    inner = np.flatnonzero(count)
    # Depths by pointer doubling (a few passes, however deep the tree): `up` jumps 2**k levels at pass k.
    up = np.empty(n, np.intp)
    up[kids] = np.repeat(inner, count[inner])
    up[tree.root] = tree.root
    depth = np.ones(n, np.intp)
    depth[tree.root] = 0
    while not (up == tree.root).all():
        depth += depth[up]
        up = up[up]
    level_of = depth[inner]
    if chance is None:
        order = inner[np.argsort(-level_of, kind="stable")]
        decisions = inner
        deciding_per_level = per_level = np.bincount(level_of)[::-1]
    else:
        at_chance = chance[inner]
        order = inner[np.lexsort((at_chance, -level_of))]  # deepest first; decisions before chance nodes
        decisions = inner[~at_chance]
        per_level = np.bincount(level_of)[::-1]  # (every depth above the deepest inner node has one)
        deciding_per_level = np.bincount(level_of[~at_chance], minlength=len(per_level))[::-1]
        weight = np.zeros(len(kids))
        for i, probs in tree.chance_probs.items():
            weight[offset[i]:offset[i] + count[i]] = probs.reshape(-1)
    c = count[order]
    ends = np.concatenate([[0], np.cumsum(c)])
    edges = np.repeat(offset[order] - ends[:-1], c) + np.arange(ends[-1])
    node_bounds = np.concatenate([[0], np.cumsum(per_level)])
    middle = node_bounds[:-1] + deciding_per_level
    starts = ends[:-1] - np.repeat(ends[node_bounds[:-1]], per_level)
    bounds = list(zip(node_bounds[:-1].tolist(), middle.tolist(), node_bounds[1:].tolist(),
                      ends[node_bounds[:-1]].tolist(), ends[middle].tolist(), ends[node_bounds[1:]].tolist()))
    return _Structure(count, offset, kids, code, decisions, order, edges, starts, bounds, children, chance, weight)


def _preorder(tree: GameTree, s: _Structure) -> np.ndarray | None:
    """Every node in preorder, or None when the node indices already are a preorder."""
    # They are when the root is 0, each first child follows its parent and each next sibling follows
    # the last descendant of the one before (the scenario builder numbers nodes so).
    last = np.arange(len(s.count))
    inner = np.flatnonzero(s.count)
    last[inner] = s.kids[s.offset[inner] + s.count[inner] - 1]
    while True:  # pointer doubling: every node ends at the last node of its subtree
        nxt = last[last]
        if (nxt == last).all():
            break
        last = nxt
    first = s.kids[s.offset[inner]]
    followed = np.ones(len(s.kids), dtype=bool)
    followed[s.offset[inner] + s.count[inner] - 1] = False  # edges followed by a sibling
    follows = s.kids[1:][followed[:-1]] == last[s.kids[:-1][followed[:-1]]] + 1
    if tree.root == 0 and (first == inner + 1).all() and follows.all():
        return None
    return np.array(tree.preorder())


def _preorder_decisions(tree: GameTree, s: _Structure) -> np.ndarray:
    """The decision nodes in preorder (`GameTree.infosets()` order for a perfect-information tree)."""
    pre = _preorder(tree, s)
    if pre is None:
        return s.decisions
    return pre[(s.count[pre] > 0) & (True if s.chance is None else ~s.chance[pre])]


@cache
def _built_kernel() -> ModuleType | None:
    """``negosim.native._spe_point``, or None when it was not built (looked for once: a failed import
    costs tens of microseconds, as much as solving a small tree)."""
    return load("spe_point")


def _kernel() -> ModuleType | None:
    """The compiled kernel, unless it was not built or ``NEGOSIM_NATIVE=0`` (read at every call)."""
    return _built_kernel() if enabled() else None


def point_solution(tree: GameTree, ties: TieRules, rtol: float) -> Solution | None:
    """The verified subgame-perfect equilibrium of a one-point perfect-information tree, or None.

    Parameters
    ----------
    tree : GameTree
        A tree with one parameter point (`batch_size` 1, any `batch_shape`).
    ties : TieRules
        The rules that choose among tied best actions.
    rtol : float
        The relative tolerance (`tolerance.scaled_tol`).

    Returns
    -------
    Solution or None
        The solution `spe.subgame_perfect` gives, or None when the tree has an information set of
        several nodes, no decision, or more than one point (see the module docstring).

    Raises
    ------
    VerificationError
        When the equilibrium found fails a check (the same checks and messages as `spe.subgame_perfect`).

    Examples
    --------
    >>> from negosim.api import open_source
    >>> tree = open_source("scenarios/entry_deterrence.yaml").game
    >>> point_solution(tree, tree.ties, 1e-9).equilibria_at(0)[0].path
    ['Entrant:in', 'Incumbent:accommodate']
    """
    if tree.payoffs.size != len(tree.outcomes) * tree.n_players or any(
            p.size != p.shape[-1] for p in tree.chance_probs.values()):
        return None  # more than one point
    kernel = _kernel()
    if kernel is not None:  # the compiled pass: the same answer (`spe_native`)
        from .spe_native import native_solution

        answer = native_solution(kernel, tree, ties, rtol)
        if answer is not NotImplemented:
            return answer
    s = _structure(tree)
    if s is None:
        return None
    return _assemble(tree, s, ties, *_backward(tree, s, ties, rtol))


def _backward(tree: GameTree, s: _Structure, ties: TieRules, rtol: float) -> tuple:
    """Backward induction level by level: (payoffs, tol, tol per point, values, best replies, choices,
    tied edges, number of tied actions per node)."""
    n_out, n = len(tree.outcomes), tree.n_players
    pay = np.ascontiguousarray(tree.payoffs.reshape(n_out, n))
    leaves = np.flatnonzero(s.count == 0)
    used = np.bincount(s.code[leaves], minlength=n_out) > 0
    flat = pay if used.all() else pay[used]
    tol_point = scaled_tol(np.array([flat.max() - flat.min()]), rtol)  # as `spe`: over the outcomes used
    tol = float(tol_point[0])
    # One row per node: the values of its continuation, then each player's best value against the
    # others' choices (column n + p for player p); one row copy moves both up from the chosen child.
    # (Through chance nodes best replies are summed as `subgames.best_responses` sums them: `spe_chance`.)
    both = np.empty((len(s.count), 2 * n))
    both[leaves, :n] = both[leaves, n:] = pay[s.code[leaves]]
    cells = both.reshape(-1)  # (flat indexing is the fastest)
    order, edges = s.order, s.edges
    c = s.count[order]
    kid = s.kids[edges]
    at = kid * (2 * n) + np.repeat(s.code[order], c)  # each child's value for the mover
    mine = order * (2 * n) + n + s.code[order]  # each node's best-reply cell for its own mover
    rank = len(edges) - np.arange(len(edges))  # the largest rank among tied actions marks the first one
    default_rules = not ties.prefer and not ties.per_node
    deciding, edge_parts, tied_parts, first_parts = [], [], [], []
    for a, m, b, ea, em, _ in s.bounds:
        if m > a:
            starts, cc = s.starts[a:m], c[a:m]
            own = cells[at[ea:em]]
            best = np.maximum.reduceat(own, starts)
            tied = own >= np.repeat(best - tol, cc)  # `spe._decide`'s test, on the same floats
            first = len(edges) - np.maximum.reduceat(tied * rank[ea:em], starts)  # position in `edges`
            if not default_rules:
                for j in np.flatnonzero(np.add.reduceat(tied, starts) > 1).tolist():
                    node = tree.nodes[order[a + j]]
                    segment = tied[starts[j]:starts[j] + cc[j]]
                    first[j] = ea + starts[j] + next(k for k in ties.priority(node.id, node.actions) if segment[k])
            both[order[a:m]] = both[kid[first]]
            cells[mine[a:m]] = np.maximum.reduceat(cells[at[ea:em] + n], starts)
            deciding.append(order[a:m])
            edge_parts.append(edges[ea:em])
            tied_parts.append(tied)
            first_parts.append(first)
        if b > m:
            both[order[m:b]] = _expectations(s, both[:, :n], ea + s.starts[m:b], c[m:b])
    decided = np.concatenate(deciding)
    tied_sorted = np.concatenate(tied_parts)
    tied_edges = np.zeros(len(s.kids), dtype=bool)
    tied_edges[np.concatenate(edge_parts)] = tied_sorted
    cd = s.count[decided]
    n_tied = np.zeros(len(s.count), dtype=np.intp)
    n_tied[decided] = np.add.reduceat(tied_sorted, np.cumsum(cd) - cd)
    choice = np.zeros(len(s.count), dtype=np.int64)
    choice[decided] = edges[np.concatenate(first_parts)] - s.offset[decided]
    return pay, tol, tol_point, both[:, :n], both[:, n:], choice, tied_edges, n_tied


def _expectations(s: _Structure, values: np.ndarray, first: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Chance nodes' values (rows, twice over: values and best-reply columns), the probability-weighted
    sums of their children's values added child by child as `spe._expectation` adds them."""
    assert s.weight is not None
    total = np.zeros((len(first), values.shape[1]))
    for j in range(int(count.max())):
        some = np.flatnonzero(count > j)
        e = s.edges[first[some] + j]
        total[some] += s.weight[e][:, None] * values[s.kids[e]]
    return np.concatenate([total, total], axis=1)


def _assemble(tree: GameTree, s: _Structure, ties: TieRules, pay: np.ndarray, tol: float, tol_point: np.ndarray,
              values: np.ndarray, best_reply: np.ndarray, choice: np.ndarray, tied_edges: np.ndarray,
              n_tied: np.ndarray) -> Solution:
    """Verify the pass's answer and build the `Solution` `spe._solution` builds at one point."""

    dec, offset, count = s.decisions, s.offset, s.count
    one_hot = np.zeros(len(s.kids))
    one_hot[offset[dec] + choice[dec]] = 1.0
    root_value = values[tree.root][:, None]
    if s.chance is None:
        reach = np.zeros(len(count))
        path_end = tree.root
        while count[path_end]:  # the equilibrium play; every other node is reached with probability 0
            reach[path_end] = 1.0
            path_end = int(s.kids[offset[path_end] + choice[path_end]])
        reach[path_end] = 1.0
        outcome_probs = np.zeros((len(tree.outcomes), 1))
        outcome_probs[s.code[path_end]] = 1.0
        # One outcome has probability 1 and the others 0, so any order of summation gives `spe`'s einsum.
        expected = pay.T @ outcome_probs
        replies = 0.0 + best_reply[tree.root][:, None]
    else:
        from .spe_chance import chance_tree_checks

        reach, outcome_probs, expected, replies = chance_tree_checks(tree, s, pay, one_hot, _preorder(tree, s))
    _verify(tree, s, float(checked_tol(tol, pay)), values, choice, expected, root_value, replies)
    node_tied = n_tied > 1
    pre = _preorder_decisions(tree, s)
    bottom_up = pre[::-1]  # the order `spe` decides nodes in, which its tie mappings keep
    k = count[pre]
    if s.chance is None and (k == k[0]).all():  # every decision has as many actions: one reshape gives every row
        rows = one_hot.reshape(-1, k[0])
        behavior = tuple((rows if np.array_equal(pre, dec) else rows[np.searchsorted(dec, pre)])[:, None, :])
    else:
        behavior = tuple(one_hot[a:a + b][None] for a, b in zip(offset[pre].tolist(), k.tolist()))
    return one_point_solution(tree, ties, values=values, choice=choice, reach=reach, tied_edges=tied_edges,
                              spans=np.stack([offset, offset + count], axis=1), dec=dec, bottom_up=bottom_up,
                              tied_nodes=bottom_up[node_tied[bottom_up]].tolist(), behavior=behavior,
                              outcome_probs=outcome_probs, replies=replies, root_value=root_value,
                              tol_point=tol_point)


def _verify(tree: GameTree, s: _Structure, tol: float, values: np.ndarray, choice: np.ndarray, expected: np.ndarray,
            root_value: np.ndarray, replies: np.ndarray) -> None:
    """`spe._verify` at one point: every choice best within tol, the root value equal to the outcome
    distribution's payoffs (`expected`), and no player gaining more than tol per move by deviating."""

    def fail(gap: float, what: str) -> None:
        raise VerificationError(f"spe: {what} by {gap:.3g} at point 0 (tol {tol:.3g})")

    dec = s.decisions
    cd = s.count[dec]
    first = np.cumsum(cd) - cd
    positions = np.repeat(s.offset[dec] - first, cd) + np.arange(cd.sum())  # decisions' edges in `kids`
    own = values[s.kids[positions], np.repeat(s.code[dec], cd)]
    gap = np.maximum.reduceat(own, first) - own[first + choice[dec]]
    bad = gap > tol
    if bad.any():  # `spe` checks the nodes bottom-up (reverse preorder): report the one it meets first
        pre = _preorder_decisions(tree, s)
        i = int(pre[::-1][bad[np.searchsorted(dec, pre[::-1])]][0])
        fail(float(gap[np.searchsorted(dec, i)]), f"the choice at {tree.nodes[i].id!r} is not best")
    check_root_and_deviations(tree, tol, expected, root_value, replies)

