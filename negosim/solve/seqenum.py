"""Every extreme Nash equilibrium of a small 2-player tree, by vertex enumeration on the sequence form.

With realization plans ``x`` (``E x = e, x >= 0``) and ``y`` (``F y = f, y >= 0``) and sequence-form
payoff matrices ``A, B``, the best-response polyhedra are (von Stengel 1996; Koller, Megiddo and
von Stengel 1996)

    H1 = {(x, q) : E x = e, x >= 0, F^T q - B^T x >= 0},   H2 = {(y, p) : F y = f, y >= 0, E^T p - A y >= 0}.

Both are pointed (a direction with ``E dx = 0, dx >= 0`` is 0, and ``E, F`` have full row rank), and
a pair of vertices is a Nash equilibrium exactly when it is completely labelled: for every sequence
of player 1 ``x_i = 0`` or ``(E^T p - A y)_i = 0``, for every sequence of player 2 ``y_j = 0`` or
``(F^T q - B^T x)_j = 0``. The set of equilibria is a finite union of products of faces of H1 and
H2, and their rays change only ``q`` or ``p``, so every equilibrium's plans are convex combinations
of the plans of completely labelled vertex pairs: the pairs found are all the extreme equilibria.

The vertices are enumerated by `pbe_polytope.vertices` (every square system of active inequalities).
That is exponential in the number of sequences, so it is bounded: a polyhedron needing more than
`MAX_SYSTEMS` systems is not enumerated (``complete`` False) and the caller falls back to one
equilibrium by Lemke's algorithm (`seqnash`).

>>> from negosim.io import read_game
>>> sol = all_extreme_nash(read_game("tests/data/one_card_poker.efg"))
>>> len(sol.point), bool(sol.complete.all()), round(float(sol.payoffs[0, 0]), 9)
(1, True, 0.333333333)
"""

from __future__ import annotations

from dataclasses import dataclass
from math import comb

import numpy as np

from ..errors import VerificationError
from ..game.reduce import chance_reach, tree_sequences
from ..game.tree import GameTree
from .pbe_polytope import vertices
from .result import Solution
from .seqform import SequenceForm, behavior_from_plan, matrices, sequence_form
from .subgames import best_responses, columns, expected_values, reach_by
from .tolerance import RTOL, scaled_tol

METHOD = "sequence form, vertex enumeration"

#: Most square systems the vertex enumeration of one polyhedron may solve (the stated size bound:
#: ``C(n1 + n2, d)`` systems for ``n1 + n2`` sequences and ``d`` free coordinates).
MAX_SYSTEMS = 20_000


@dataclass(frozen=True)
class ExtremeEquilibria:
    """Realization plans of every extreme equilibrium found (rows), and whether the search was complete.

    Attributes
    ----------
    x : numpy.ndarray
        Player 1's realization plans, (k, n1).
    y : numpy.ndarray
        Player 2's realization plans, (k, n2).
    complete : bool
        Whether the enumeration ran to the end (False: none listed, it would pass the bound).

    Examples
    --------
    >>> import numpy as np
    >>> ExtremeEquilibria(np.zeros((0, 3)), np.zeros((0, 3)), False).complete
    False
    """

    x: np.ndarray  # (k, n1)
    y: np.ndarray  # (k, n2)
    complete: bool


def systems_needed(sf: SequenceForm) -> int:
    """Square systems the larger of the two enumerations would solve (compare with `MAX_SYSTEMS`).

    Parameters
    ----------
    sf : SequenceForm
        The tree's sequence form.

    Returns
    -------
    int
        The number of systems.

    Examples
    --------
    >>> import negosim as ns
    >>> from negosim.game.reduce import tree_sequences
    >>> tree = ns.load("scenarios/entry_deterrence.yaml").build()
    >>> systems_needed(sequence_form(tree, tree_sequences(tree)))
    20
    """
    (m1, n1), (m2, n2) = sf.E.shape, sf.F.shape
    return max(comb(n1 + n2, n1 + m2 - m1), comb(n1 + n2, n2 + m1 - m2))


def _polyhedron(C: np.ndarray, D: np.ndarray, M: np.ndarray):
    """``{(u, w) : C u = c, u >= 0, D^T w - M^T u >= 0}`` as (a_eq, b_eq, g, h) for `vertices`."""
    (mc, n), (md, k) = C.shape, D.shape
    a_eq = np.hstack([C, np.zeros((mc, md))])
    b_eq = np.zeros(mc)
    b_eq[0] = 1.0
    g = np.vstack([np.hstack([-np.eye(n), np.zeros((n, md))]), np.hstack([M.T, -D.T])])
    return a_eq, b_eq, g, np.zeros(n + k)


def extreme_equilibria(sf: SequenceForm, leaf_values: np.ndarray, leaf_reach: np.ndarray, *, tol: float = 1e-9,
                       max_systems: int | None = None) -> ExtremeEquilibria:
    """Every extreme Nash equilibrium at one point (leaf payoffs ``(n_leaves, 2)``, chance reach ``(n_leaves,)``),
    or none with ``complete=False`` when an enumeration would pass `max_systems` (default `MAX_SYSTEMS`).

    Parameters
    ----------
    sf : SequenceForm
        The tree's sequence form.
    leaf_values : numpy.ndarray
        Payoffs at the leaves, ``(n_leaves, 2)`` (leaves in the order of `sf`'s sequences).
    leaf_reach : numpy.ndarray
        Chance's probability of reaching each leaf, ``(n_leaves,)``.
    tol : float
        Tolerance of the enumeration (on payoffs scaled to at most 1).
    max_systems : int, optional
        Bound on the systems solved (default `MAX_SYSTEMS`).

    Returns
    -------
    ExtremeEquilibria
        The realization plans of every extreme equilibrium, or none and ``complete=False``.

    Examples
    --------
    >>> import numpy as np
    >>> import negosim as ns
    >>> from negosim.game.reduce import chance_reach, tree_sequences
    >>> tree = ns.load("scenarios/entry_deterrence.yaml").build()
    >>> seq = tree_sequences(tree)
    >>> outcome = [tree.nodes[i].outcome for i in seq.leaves]
    >>> values = tree.leaf_payoffs().reshape(len(tree.outcomes), 2)[outcome]
    >>> ex = extreme_equilibria(sequence_form(tree, seq), values, chance_reach(tree, seq).reshape(-1))
    >>> len(ex.x), ex.complete
    (3, True)
    >>> extreme_equilibria(sequence_form(tree, seq), values, np.ones(3), max_systems=10).complete
    False
    """
    n1, n2 = sf.sizes
    max_systems = MAX_SYSTEMS if max_systems is None else max_systems
    if systems_needed(sf) > max_systems:
        return ExtremeEquilibria(np.zeros((0, n1)), np.zeros((0, n2)), False)
    A, B = matrices(sf, leaf_values, leaf_reach)
    # Shifting payoffs would not change the equilibria; scaling keeps `tol` a relative tolerance.
    scale = max(float(np.abs(A).max(initial=0.0)), float(np.abs(B).max(initial=0.0)), 1.0)
    A, B = A / scale, B / scale
    v1 = vertices(*_polyhedron(sf.E, sf.F, B), tol=tol, max_systems=max_systems)
    v2 = vertices(*_polyhedron(sf.F, sf.E, A.T), tol=tol, max_systems=max_systems)
    if not (v1.complete and v2.complete):
        return ExtremeEquilibria(np.zeros((0, n1)), np.zeros((0, n2)), False)
    x, q = v1.points[:, :n1], v1.points[:, n1:]
    y, p = v2.points[:, :n2], v2.points[:, n2:]
    slack1 = q @ sf.F - x @ B  # (k1, n2): player 2's sequences not better than their information set's value
    slack2 = p @ sf.E - y @ A.T  # (k2, n1)
    lab = 10 * tol
    # pair (a, b) is an equilibrium iff every x_i of a or slack2_i of b is 0, and every y_j of b or slack1_j of a
    ok1 = ((x[:, None, :] <= lab) | (slack2[None, :, :] <= lab)).all(axis=2)
    ok2 = ((y[None, :, :] <= lab) | (slack1[:, None, :] <= lab)).all(axis=2)
    a, b = np.nonzero(ok1 & ok2)
    plans = np.hstack([np.clip(x[a], 0, None), np.clip(y[b], 0, None)])
    # vertices that differ only in the dual variables q, p give the same plans: keep each pair once
    _, first = np.unique(np.round(plans / (10 * tol)).astype(np.int64), axis=0, return_index=True)
    plans = plans[np.sort(first)]
    return ExtremeEquilibria(plans[:, :n1], plans[:, n1:], True)


def all_extreme_nash(tree: GameTree, *, rtol: float = RTOL) -> Solution:
    """Every extreme Nash equilibrium of a 2-player tree at every point, in behaviour strategies, verified;
    ``complete`` True (raise ValueError when `systems_needed` passes `MAX_SYSTEMS`: ask `seqnash` instead).

    Behaviour where a player's own plan does not reach an information set is its first action (Nash
    equilibrium puts no condition there). `extra`: ``x``, ``y``, the realization plans of each row.

    Parameters
    ----------
    tree : GameTree
        Two players.
    rtol : float
        Relative tolerance for verification.

    Returns
    -------
    Solution
        Concept "nash", method `METHOD`, complete; one row per extreme equilibrium and point.

    Examples
    --------
    >>> import negosim as ns
    >>> sol = all_extreme_nash(ns.load("scenarios/entry_deterrence.yaml").build())
    >>> len(sol.point), sol.payoffs.round(6).tolist()
    (3, [[1.0, 2.0], [0.0, 4.0], [0.0, 4.0]])
    """
    seq = tree_sequences(tree)
    sf = sequence_form(tree, seq)
    if systems_needed(sf) > MAX_SYSTEMS:
        raise ValueError(f"the sequence form needs {systems_needed(sf):,} systems (limit {MAX_SYSTEMS:,})")
    B = tree.batch_size
    payoffs, probs = columns(tree)
    used = sorted({int(tree.nodes[i].outcome) for i in seq.leaves})  # type: ignore[arg-type]
    flat = payoffs[used].reshape(-1, B)
    tol = scaled_tol(flat.max(axis=0) - flat.min(axis=0), rtol)
    leaf_outcome = np.array([tree.nodes[i].outcome for i in seq.leaves], dtype=np.intp)
    values = tree.leaf_payoffs().reshape(B, len(tree.outcomes), tree.n_players)[:, leaf_outcome]
    reach = chance_reach(tree, seq).reshape(B, len(seq.leaves))
    points, xs, ys = [], [], []
    for b in range(B):
        ex = extreme_equilibria(sf, values[b], reach[b], max_systems=MAX_SYSTEMS)
        if not ex.complete:  # cannot happen within the bound checked above; never report a cut search as complete
            raise ValueError(f"the vertex enumeration stopped short at point {b}")
        points += [b] * len(ex.x)
        xs.append(ex.x)
        ys.append(ex.y)
    pt = np.array(points, dtype=np.intp)
    x, y = np.concatenate(xs), np.concatenate(ys)
    behavior = {k: np.zeros((seq.n_actions[k], len(pt))) for k in range(len(seq.infosets))}
    for r in range(len(pt)):
        for p, plan in enumerate((x[r], y[r])):
            for k, beh in behavior_from_plan(sf, p, plan).items():
                behavior[k][:, r] = beh
    row_pay, row_probs = payoffs[..., pt], {k: v[:, pt] for k, v in probs.items()}
    value = expected_values(tree, seq, behavior, row_pay, row_probs)
    regret = np.maximum((best_responses(tree, seq, behavior, row_pay, row_probs) - value).max(axis=0), 0.0)
    if (regret > tol[pt]).any():
        r = int(np.argmax(regret - tol[pt]))
        raise VerificationError(f"nash (sequence form, enumeration): a player gains {regret[r]:.3g} by deviating "
                                f"at point {pt[r]} (tol {tol[pt[r]]:.3g})")
    node_reach = reach_by(tree, seq, behavior, row_probs)
    outcome_probs = np.zeros((len(tree.outcomes), len(pt)))
    for leaf in seq.leaves:
        outcome_probs[tree.nodes[leaf].outcome] += np.broadcast_to(node_reach[leaf], (len(pt),))
    shape = tree.batch_shape
    note = (f"every extreme equilibrium: vertex enumeration of the sequence form's best-response polyhedra "
            f"({systems_needed(sf):,} systems at most, limit {MAX_SYSTEMS:,}); behaviour at information sets a "
            "player's own plan never reaches is its first action")
    return Solution(
        concept="nash", method=METHOD, game=tree, batch_shape=shape, point=pt, payoffs=value.T, regret=regret,
        tied=np.zeros(len(pt), dtype=bool), complete=np.ones(shape, dtype=bool),
        degenerate=np.zeros(shape, dtype=bool), tol=tol.reshape(shape),
        behavior=tuple(behavior[k].T for k in range(len(seq.infosets))), outcome_probs=outcome_probs.T,
        notes=(note,), extra={"x": x, "y": y},
    )


__all__ = ["MAX_SYSTEMS", "METHOD", "ExtremeEquilibria", "all_extreme_nash", "extreme_equilibria", "systems_needed"]
