"""Subgames of a game tree for subgame-perfect equilibrium: where they start, how a subgame with
simultaneous moves is solved through its reduced normal form, and best responses in a tree.

A node starts a subgame when its subtree contains every node of every information set it
touches. A subgame whose own moves (after nested subgames are replaced by their values) include
an information set with several nodes cannot be solved by backward induction; it is turned into
its reduced normal form and solved there, and the equilibrium selected at each point is mapped
back to behaviour at the information sets (Kuhn's theorem; the tree has perfect recall).

Arrays here are in *column layout*, the batch last: values ``(n_players, B)``, behaviour and
chance probabilities ``(n_actions, B)``, leaf payoffs ``(n_outcomes, n_players, B)``; operations
over players and actions then run on contiguous rows of B numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..errors import VerificationError
from ..game.normal import NormalFormGame
from ..game.reduce import behavior_from_mixed, reduced_normal_form, strategy_behavior, tree_sequences
from ..game.tree import CHANCE, DECISION, TERMINAL, GameTree, Node, Outcome


def subgame_roots(tree: GameTree, order: list[int]) -> set[int]:
    """Indices of the nodes that start a subgame (every terminal node and the root among them)."""
    pos = {i: t for t, i in enumerate(order)}
    span: dict[str, tuple[int, int]] = {}
    for i in order:
        node = tree.nodes[i]
        if node.kind == DECISION:
            lo, hi = span.get(node.information_set, (pos[i], pos[i]))
            span[node.information_set] = (min(lo, pos[i]), max(hi, pos[i]))
    size: dict[int, int] = {}
    first: dict[int, int] = {}  # the earliest and latest position of an information set met below the node
    last: dict[int, int] = {}
    roots: set[int] = set()
    for i in reversed(order):
        node = tree.nodes[i]
        size[i] = 1 + sum(size[c] for c in node.children)
        first[i], last[i] = span[node.information_set] if node.kind == DECISION else (pos[i], pos[i])
        for c in node.children:
            first[i], last[i] = min(first[i], first[c]), max(last[i], last[c])
        if first[i] >= pos[i] and last[i] < pos[i] + size[i]:
            roots.add(i)
    return roots


@dataclass(frozen=True, eq=False)
class SimultaneousSubgame:
    """The equilibrium selected in one simultaneous-move subgame, per point (arrays of length B).

    behavior     global infoset position -> (n_actions, B) for the information sets inside
    count        equilibria the normal-form method found at each point
    tied         the selected equilibrium leaves a tied best response unused (or a one-player
                 subgame has several optimal plans)
    degenerate   the subgame's normal form is degenerate at the point
    incomplete   other equilibria of the subgame may exist that the method cannot rule out
    failed       no equilibrium was found (3 or more players and no pure equilibrium, or Lemke's path failed)
    large        set when the subgame was too large for its reduced normal form: the reason
    """

    root: int
    players: tuple[str, ...]
    method: str
    behavior: dict
    count: np.ndarray
    tied: np.ndarray
    degenerate: np.ndarray
    incomplete: np.ndarray
    failed: np.ndarray
    subtree: GameTree
    large: str | None = None  # why the reduced normal form was not used (sequence-form methods instead)


def extract_subtree(tree: GameTree, root: int, solved: list[bool], values: list, probs: dict) -> GameTree:
    """The subgame at `root` as its own tree (flat batch of B points), with every solved node below
    it (nested subgames and terminal nodes) turned into a leaf whose payoffs are its values."""
    order, stack = [], [root]
    while stack:
        i = stack.pop()
        order.append(i)
        if i == root or not solved[i]:
            stack.extend(reversed(tree.nodes[i].children))
    index = {i: t for t, i in enumerate(order)}
    nodes: list[Node] = []
    outcomes: list[Outcome] = []
    payoffs: list[np.ndarray] = []
    chance: dict[int, np.ndarray] = {}
    for i in order:
        node = tree.nodes[i]
        if i != root and solved[i]:
            nodes.append(Node(node.id, TERMINAL, outcome=len(outcomes), label=node.label))
            outcomes.append(Outcome(node.id, f"value of {node.id}"))
            payoffs.append(values[i].T)
            continue
        nodes.append(replace(node, children=tuple(index[c] for c in node.children)))
        if node.kind == CHANCE:
            chance[index[i]] = probs[i].T
    return GameTree(tree.players, tuple(nodes), 0, tuple(outcomes), np.stack(payoffs, axis=1), chance,
                    title=f"subgame at {tree.nodes[root].id}", ties=tree.ties)


def columns(tree: GameTree) -> tuple[np.ndarray, dict]:
    """Leaf payoffs ``(n_outcomes, n_players, B)`` and chance probabilities ``{node: (n_children, B)}``."""
    B, batch = tree.batch_size, tree.batch_shape

    def batch_last(a: np.ndarray, core: int) -> np.ndarray:
        a = a.reshape((1,) * (len(batch) + core - a.ndim) + a.shape)  # full batch rank
        a = np.moveaxis(a, tuple(range(-core, 0)), tuple(range(core)))
        return np.ascontiguousarray(np.broadcast_to(a, a.shape[:core] + batch)).reshape(a.shape[:core] + (B,))

    return batch_last(tree.payoffs, 2), {k: batch_last(p, 1) for k, p in tree.chance_probs.items()}


def solve_simultaneous(tree: GameTree, root: int, solved: list[bool], values: list, probs: dict,
                       tol: np.ndarray, ties, rtol: float, global_k: dict[str, int]) -> SimultaneousSubgame:
    """Solve the subgame at `root` through its reduced normal form and select one equilibrium per point.

    Two or more players who move: all equilibria (`nash_equilibria`; with three or more, all of them
    where the size policy lets `nplayer.all_nash` enumerate them, else the pure ones and one traced),
    and the first in the solver's order (pure profiles first) is selected. One player: its best
    plans, the tie rules choosing among equally good ones.
    """
    sub = extract_subtree(tree, root, solved, values, probs)
    seq = tree_sequences(sub)
    B, n = len(tol), tree.n_players
    large = _too_large(sub)
    if large is not None:
        return _solve_large(tree, root, sub, seq, large, tol, ties, global_k)
    nf = reduced_normal_form(sub)
    movers = [p for p in range(n) if nf.shape[p] > 1]
    flat = (slice(None), slice(None)) + tuple(slice(None) if p in movers else 0 for p in range(n))
    pay = nf.payoffs[flat][:, movers]  # (B, n_movers, *mover shapes)
    false = np.zeros(B, dtype=bool)
    sol = rows = None
    if len(movers) >= 2:
        game = NormalFormGame(tuple(tree.players[p] for p in movers), tuple(nf.actions[p] for p in movers), pay)
        from .mixed import nash_equilibria

        sol = nash_equilibria(game, rtol=rtol)  # 3+ movers: every equilibrium where it fits (`nplayer_nash`)
        incomplete = ~sol.complete.reshape(-1)
        count = np.bincount(sol.point, minlength=B)
        failed = count == 0
        rows = np.minimum(np.searchsorted(sol.point, np.arange(B)), max(len(sol.point) - 1, 0))
        mixed = {}
        for j, p in enumerate(movers):
            s = sol.strategies[j][rows] if len(sol.point) else np.zeros((B, nf.shape[p]))
            mixed[p] = np.where(failed[:, None], 1.0 / nf.shape[p], s)
        tied = ~failed & (sol.tied[rows] if len(sol.point) else false)
        degenerate = sol.degenerate.reshape(-1).copy()
        method = sol.method
    else:
        mixed, count, tied = _one_player(sub, seq, strategy_behavior(sub, seq), movers, pay, tol, ties)
        failed = incomplete = degenerate = false
        method = "best plan" if movers else "no choice"
    behavior = {}
    for p in range(n):
        fallback = {k: ties.priority(sub.nodes[nodes[0]].id, sub.nodes[nodes[0]].actions)[0]
                    for k, (q, _, nodes) in enumerate(seq.infosets) if q == p}
        for k, beh in behavior_from_mixed(sub, p, mixed.get(p, np.ones((B, 1))), fallback, seq).items():
            behavior[global_k[seq.infosets[k][1]]] = np.ascontiguousarray(beh.T)
    local = {k: behavior[global_k[infoset]] for k, (_, infoset, _) in enumerate(seq.infosets)}
    _verify_subgame(sub, seq, local, sol, rows, movers, failed, tol)
    return SimultaneousSubgame(root, tuple(tree.players[p] for p in movers), method, behavior, count, tied,
                               degenerate, incomplete, failed, sub)


def _too_large(sub: GameTree) -> tuple[list[int], str] | None:
    """(movers, reason) when the subgame's reduced normal form, or the method on it, would not fit."""
    from .policy import enumeration_fits, normal_form_fits, tree_sizes

    sizes = tree_sizes(sub)
    movers = [p for p in range(sub.n_players) if sizes.strategies[p] > 1]
    why = normal_form_fits(sizes)
    if why is None and len(movers) >= 2:
        why = enumeration_fits(tuple(sizes.strategies[p] for p in movers))
    return None if why is None else (movers, why)


def _solve_large(tree, root, sub, seq, large, tol, ties, global_k) -> SimultaneousSubgame:
    """A subgame too large for its reduced normal form: the sequence form (two movers), the best plan by
    backward induction over information sets (one mover); three or more movers are refused."""
    from .policy import TooLargeError
    from .subgame_large import best_plan, sequence_form_subgame

    movers, why = large
    B = len(tol)
    false = np.zeros(B, dtype=bool)
    pay, probs = columns(sub)
    failed = incomplete = degenerate = tied = false
    if len(movers) >= 3:
        raise TooLargeError(f"the subgame at {tree.nodes[root].id!r} has {len(movers)} players who move and {why}; "
                            "negosim solves such subgames only on their reduced normal form")
    if len(movers) == 2:
        local, res, method = sequence_form_subgame(sub, seq, movers, tol, ties)
        count, failed, incomplete = np.where(res.failed, 0, 1), res.failed, np.ones(B, dtype=bool)
    else:
        local, tied = best_plan(sub, seq, movers[0], pay, probs, tol, ties)
        count, method = np.where(tied, 2, 1), "best plan by backward induction over information sets"
    behavior = {global_k[infoset]: np.ascontiguousarray(local[k]) for k, (_, infoset, _) in enumerate(seq.infosets)}
    _verify_subgame(sub, seq, local, None, None, movers, failed, tol)
    return SimultaneousSubgame(root, tuple(tree.players[p] for p in movers), method, behavior, count, tied,
                               degenerate, incomplete, failed, sub, large=why)


def _one_player(sub, seq, plans, movers, pay, tol, ties):
    """One player decides alone (imperfect information about chance): its optimal plan, tie rules
    choosing among optimal plans in the lexicographic order of their actions' priorities."""
    B = len(tol)
    if not movers:
        return {}, np.ones(B, dtype=np.int64), np.zeros(B, dtype=bool)
    values = pay[:, 0]  # (B, n_plans)
    optimal = values >= values.max(axis=1, keepdims=True) - tol[:, None]

    def rank(plan: dict[str, str]) -> tuple[int, ...]:
        out = []
        for _, infoset, nodes in seq.infosets:
            if infoset in plan:
                node = sub.nodes[nodes[0]]
                out.append(ties.priority(node.id, node.actions).index(node.actions.index(plan[infoset])))
        return tuple(out)

    order = np.array(sorted(range(values.shape[1]), key=lambda s: rank(plans[movers[0]][s])))
    choice = order[np.argmax(optimal[:, order], axis=1)]
    count = optimal.sum(axis=1)
    return {movers[0]: np.eye(values.shape[1])[choice]}, count, count > 1


def _verify_subgame(sub, seq, behavior, sol, rows, movers, failed, tol) -> None:
    """The mapped-back behaviour must reproduce the selected equilibrium's payoffs, and no player may
    gain more than tol by deviating inside the subgame (whose leaves carry the continuation values)."""
    pay, probs = columns(sub)
    value = expected_values(sub, seq, behavior, pay, probs)  # (n, B)
    problems = []
    if sol is not None and len(sol.point):
        off = np.abs(value[movers] - sol.payoffs[rows].T).max(axis=0)
        problems.append(("does not reproduce the selected equilibrium's payoffs", off))
    gain = (best_responses(sub, seq, behavior, pay, probs) - value).max(axis=0)
    problems.append(("leaves a profitable deviation", gain))
    for what, gap in problems:
        bad = ~failed & (gap > tol)
        if bad.any():
            e = int(np.flatnonzero(bad)[0])
            raise VerificationError(f"simultaneous subgame at {sub.nodes[0].id!r}: the selected behaviour {what} "
                                    f"({gap[e]:.3g} > tol {tol[e]:.3g} at point {e})")


def reach_by(tree: GameTree, seq, behavior: dict, probs: dict, exclude: int | None = None) -> list:
    """Probability of reaching each node (list by node: 1.0 or (B,) arrays) under the behaviour
    ({infoset position: (n_actions, B)}) and chance, leaving out the moves of player `exclude`."""
    reach: list = [None] * len(tree.nodes)
    reach[tree.root] = 1.0
    for i in tree.preorder():
        node = tree.nodes[i]
        for j, c in enumerate(node.children):
            if node.kind == CHANCE:
                reach[c] = reach[i] * probs[i][j]
            elif node.player == exclude:
                reach[c] = reach[i]
            else:
                reach[c] = reach[i] * behavior[seq.infoset_of[i]][j]
    return reach


def expected_values(tree: GameTree, seq, behavior: dict, payoffs: np.ndarray, probs: dict) -> np.ndarray:
    """Expected payoffs ``(n_players, B)`` under the behaviour, from the leaves' reach probabilities."""
    reach = reach_by(tree, seq, behavior, probs)
    return sum(reach[leaf] * payoffs[tree.nodes[leaf].outcome] for leaf in seq.leaves)


def best_responses(tree: GameTree, seq, behavior: dict, payoffs: np.ndarray, probs: dict) -> np.ndarray:
    """Each player's best payoff ``(n_players, B)`` against the others' behaviour.

    Sequence-form recursion (perfect recall): a player's best value after its own move (k, a) is the
    payoff of the leaves it reaches directly plus, at each of its next information sets, the best
    action's value; everything weighted by the probability that chance and the others lead there.
    """
    B = payoffs.shape[-1]
    out = np.zeros((tree.n_players, B))
    for p in range(tree.n_players):
        reach = reach_by(tree, seq, behavior, probs, exclude=p)
        bucket: dict = {}
        for leaf, path in zip(seq.leaves, seq.leaf_seq[p]):
            key = path[-1] if path else None
            bucket[key] = bucket.get(key, 0.0) + reach[leaf] * payoffs[tree.nodes[leaf].outcome, p]
        for k in reversed(range(len(seq.infosets))):
            if seq.infosets[k][0] != p:
                continue
            best = bucket.get((k, 0), 0.0)
            for a in range(1, seq.n_actions[k]):
                best = np.maximum(best, bucket.get((k, a), 0.0))
            key = seq.infoset_seq[k][-1] if seq.infoset_seq[k] else None
            bucket[key] = bucket.get(key, 0.0) + best
        out[p] = bucket.get(None, 0.0)
    return out
