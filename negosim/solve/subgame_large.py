"""Subgames with imperfect information too large for their reduced normal form, inside `spe`.

Two players who move: one Nash equilibrium of the subgame on its sequence form (`seqnash`), the
selection rule being the method itself (Lemke's path from fixed generic starting plans, or the
zero-sum linear program), so other equilibria may exist and the subgame is marked incomplete. One
player who moves: its optimal plan by backward induction over its own information sets (the
sequence-form best response), the tie rules choosing among equally good actions. Nothing here
builds the reduced normal form.

Arrays are in column layout (batch last), as in `subgames`.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..game.reduce import TreeSequences, tree_sequences
from ..game.tree import CHANCE, DECISION, GameTree


def two_player_tree(sub: GameTree, movers: list[int]) -> GameTree:
    """The subgame as a game of its two movers: the others' decisions (one action each) become chance
    moves with probability 1, and only the movers' payoffs are kept.

    Parameters
    ----------
    sub : GameTree
        The subgame.
    movers : list of int
        The two players who move in it, in the order they take in the new game.

    Returns
    -------
    GameTree
        The two movers' game.

    Examples
    --------
    >>> import negosim as ns
    >>> two = two_player_tree(ns.load("scenarios/entry_deterrence.yaml").build(), [1, 0])
    >>> two.players, two.payoffs[0].tolist()
    (('Incumbent', 'Entrant'), [4.0, 0.0])
    """
    keep = {p: j for j, p in enumerate(movers)}
    nodes, chance = [], dict(sub.chance_probs)
    B = sub.batch_shape
    for i, node in enumerate(sub.nodes):
        if node.kind == DECISION and node.player not in keep:
            nodes.append(replace(node, kind=CHANCE, player=None, infoset=None))
            chance[i] = np.ones((*B, len(node.children)))
        elif node.kind == DECISION and node.player is not None:
            nodes.append(replace(node, player=keep[node.player]))
        else:
            nodes.append(node)
    return GameTree(tuple(sub.players[p] for p in movers), tuple(nodes), sub.root, sub.outcomes,
                    sub.payoffs[..., movers], chance, title=sub.title)


def sequence_form_subgame(sub: GameTree, seq: TreeSequences, movers: list[int], tol: np.ndarray, ties):
    """Behaviour {local infoset position: (n_actions, B)} of one equilibrium of the subgame per point, the
    result of `seqnash.solve_sequence_form` (failed points, zero-sum points) and the method's name.

    Parameters
    ----------
    sub : GameTree
        The subgame.
    seq : TreeSequences
        Its sequences (`game.reduce.tree_sequences`).
    movers : list of int
        Its two players who move.
    tol : numpy.ndarray
        Tolerance per point, ``(B,)``.
    ties : TieRules
        The tie rules; their first action is the one played where a player's own plan does not reach.

    Returns
    -------
    tuple of (dict, SequenceFormResult, str)
        The behaviour, the sequence-form result and the method's name.

    Examples
    --------
    >>> import negosim as ns
    >>> tree = ns.load("scenarios/entry_deterrence.yaml").build()
    >>> behavior, result, method = sequence_form_subgame(tree, tree_sequences(tree), [0, 1], np.array([1e-9]),
    ...                                                  tree.ties)
    >>> {k: v[:, 0].tolist() for k, v in behavior.items()}, method
    ({0: [0.0, 1.0], 1: [0.0, 1.0]}, "sequence form, Lemke's algorithm")
    """
    from .seqnash import LEMKE, ZERO_SUM, solve_sequence_form

    two = two_player_tree(sub, movers)
    seq2 = tree_sequences(two)
    fallback = {k: ties.priority(two.nodes[nodes[0]].id, two.nodes[nodes[0]].actions)[0]
                for k, (_, _, nodes) in enumerate(seq2.infosets)}
    res = solve_sequence_form(two, seq2, tol, fallback)
    position = {infoset: k for k, (_, infoset, _) in enumerate(seq2.infosets)}
    B = len(tol)
    behavior = {}
    for k, (_, infoset, nodes) in enumerate(seq.infosets):
        if infoset in position:
            behavior[k] = res.behavior[position[infoset]]
        else:  # a non-mover's single action
            behavior[k] = np.ones((len(sub.nodes[nodes[0]].actions), B))
    method = ZERO_SUM if res.zero_sum.all() else LEMKE if not res.zero_sum.any() else f"{ZERO_SUM} or {LEMKE}"
    return behavior, res, method


def best_plan(sub: GameTree, seq: TreeSequences, mover: int, payoffs: np.ndarray, probs: dict, tol: np.ndarray,
              ties) -> tuple[dict, np.ndarray]:
    """The lone mover's optimal behaviour {local infoset position: (n_actions, B)} (pure, tie rules among
    actions within tol at each information set) and whether a tie mattered at a set its plan reaches.

    Parameters
    ----------
    sub : GameTree
        The subgame.
    seq : TreeSequences
        Its sequences (`game.reduce.tree_sequences`).
    mover : int
        The one player who moves in it (the others' information sets have one action each).
    payoffs : numpy.ndarray
        Leaf payoffs ``(n_outcomes, n_players, B)`` (`subgames.columns`).
    probs : dict
        Chance probabilities ``{node: (n_children, B)}`` (`subgames.columns`).
    tol : numpy.ndarray
        Tolerance per point, ``(B,)``.
    ties : TieRules
        The tie rules.

    Returns
    -------
    tuple of (dict, numpy.ndarray)
        The behaviour at every information set, and per point whether a tie mattered.

    Examples
    --------
    A guess of a fair coin's side, not seen: both guesses are worth 1/2, and the tie rules pick the first.

    >>> from negosim.game import NO_TIE_RULES
    >>> from negosim.io.efg import read_efg
    >>> from negosim.solve.subgames import columns
    >>> tree = read_efg('''EFG 2 R "guess" { "A" "B" }
    ... ""
    ... c "" 1 "" { "H" 1/2 "T" 1/2 } 0
    ... p "" 1 1 "" { "h" "t" } 0
    ... t "" 1 "" { 1, 0 }
    ... t "" 2 "" { 0, 0 }
    ... p "" 1 1 "" { "h" "t" } 0
    ... t "" 3 "" { 0, 0 }
    ... t "" 4 "" { 1, 0 }
    ... ''')
    >>> payoffs, probs = columns(tree)
    >>> behavior, tied = best_plan(tree, tree_sequences(tree), 0, payoffs, probs, np.array([1e-9]), NO_TIE_RULES)
    >>> behavior[0][:, 0].tolist(), tied.tolist()
    ([1.0, 0.0], [True])
    """
    from .subgames import reach_by

    B = len(tol)
    behavior = {k: np.ones((seq.n_actions[k], B)) for k, (p, _, _) in enumerate(seq.infosets) if p != mover}
    for k, (p, _, _) in enumerate(seq.infosets):
        if p == mover:
            behavior[k] = np.zeros((seq.n_actions[k], B))
    reach = reach_by(sub, seq, behavior, probs, exclude=mover)
    bucket: dict = {}
    for leaf, path in zip(seq.leaves, seq.leaf_seq[mover]):
        key = path[-1] if path else None
        bucket[key] = bucket.get(key, 0.0) + reach[leaf] * payoffs[sub.nodes[leaf].outcome, mover]
    choice, tied = {}, {}
    for k in reversed(range(len(seq.infosets))):
        if seq.infosets[k][0] != mover:
            continue
        node = sub.nodes[seq.infosets[k][2][0]]
        vals = np.stack([np.broadcast_to(bucket.get((k, a), 0.0), (B,)) for a in range(seq.n_actions[k])])
        near = vals >= vals.max(axis=0) - tol
        priority = ties.priority(node.id, node.actions)
        pick = np.full(B, priority[-1])
        for j in reversed(priority[:-1]):
            pick = np.where(near[j], j, pick)
        choice[k], tied[k] = pick, near.sum(axis=0) > 1
        key = seq.infoset_seq[k][-1] if seq.infoset_seq[k] else None
        bucket[key] = bucket.get(key, 0.0) + np.take_along_axis(vals, pick[None], axis=0)[0]
    any_tie = np.zeros(B, dtype=bool)
    own_reach: dict = {None: np.ones(B, dtype=bool)}
    for k in range(len(seq.infosets)):
        if seq.infosets[k][0] != mover:
            continue
        here = own_reach[seq.infoset_seq[k][-1] if seq.infoset_seq[k] else None]
        behavior[k] = (np.arange(seq.n_actions[k])[:, None] == choice[k][None]) * 1.0
        any_tie |= here & tied[k]
        for a in range(seq.n_actions[k]):
            own_reach[(k, a)] = here & (choice[k] == a)
    return behavior, any_tie


__all__ = ["best_plan", "sequence_form_subgame", "two_player_tree"]
