"""The sequence form of a 2-player tree (Koller, Megiddo and von Stengel 1996) and its equilibria.

A player's *sequence* is the empty one or an (information set, action) pair: with perfect recall
it names the whole list of the player's own moves that lead there. A *realization plan* x gives
each sequence the probability that the player's own moves follow it; it satisfies ``E x = e``,
``x >= 0`` (the empty sequence has weight 1, and at each information set the weights of its
actions add up to the weight of the sequence leading to it). Payoffs are bilinear:
``x' A y`` with ``A[s, t]`` the chance-weighted payoffs of the leaves whose sequences are s and t.
Everything grows with the tree, not with its reduced normal form.

Nash equilibria solve the LCP: x, y >= 0, E x = e, F y = f, ``E' p - A y >= 0`` complementary to
x, ``F' q - B' x >= 0`` complementary to y (p, q free, written as differences of non-negative
parts). Lemke's algorithm (`lemke`) finds one equilibrium; with payoffs shifted to be negative
(which changes no equilibrium, as the leaves' reach probabilities add up to 1) the path from the
artificial start ends in a solution. Zero-sum trees are solved as the sequence-form linear
program: ``max f'q`` subject to ``F'q <= A'x``, ``E x = e``, ``x >= 0`` (and its dual for the
other player) by scipy's HiGHS, which gives the value and optimal plans.

Realization plans are turned into behaviour (``x[(h, a)] / x[parent(h)]``); at an information set
the player's own plan never reaches, behaviour does not affect play and a fallback action is used.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..game.reduce import TreeSequences, tree_sequences
from ..game.tree import GameTree
from .lemke import LemkeFailure, complementary_path


@dataclass(frozen=True, eq=False)
class SequenceForm:
    """The sequence structure of a 2-player tree (payoffs come per batch point from `matrices`).

    index        per player: {None or (infoset position, action): sequence number}, the empty one 0
    E, F         constraint matrices (one row per information set plus one), ``(m, n_sequences)``
    leaf_pairs   per leaf: (sequence of player 0, sequence of player 1)

    Attributes
    ----------
    tree : GameTree
        The tree.
    seq : TreeSequences
        Its information sets and leaves in sequence order.
    index : tuple of dict
        Per player: {None or (infoset position, action): sequence number}, the empty sequence 0.
    E, F : numpy.ndarray
        The players' constraint matrices, ``(m, n_sequences)``.
    leaf_pairs : numpy.ndarray
        Per leaf, the pair of sequences leading to it.

    Examples
    --------
    >>> import negosim as ns
    >>> sf = sequence_form(ns.load("scenarios/entry_deterrence.yaml").build())
    >>> sf.sizes, sf.E.tolist()
    ((3, 3), [[1.0, 0.0, 0.0], [-1.0, 1.0, 1.0]])
    >>> sf.leaf_pairs.tolist()
    [[1, 0], [2, 1], [2, 2]]
    """

    tree: GameTree
    seq: TreeSequences
    index: tuple[dict, dict]
    E: np.ndarray
    F: np.ndarray
    leaf_pairs: np.ndarray

    @property
    def sizes(self) -> tuple[int, int]:
        return self.E.shape[1], self.F.shape[1]


def sequence_form(tree: GameTree, seq: TreeSequences | None = None) -> SequenceForm:
    """The sequence form of a 2-player tree: sequences, constraints and the leaves' sequence pairs.

    Parameters
    ----------
    tree : GameTree
        Two players.
    seq : TreeSequences, optional
        The tree's sequences (`game.reduce.tree_sequences`), computed when not given.

    Returns
    -------
    SequenceForm
        The structure; payoffs come per point from `matrices`.

    Examples
    --------
    >>> import negosim as ns
    >>> sequence_form(ns.load("scenarios/entry_deterrence.yaml").build()).index
    ({None: 0, (0, 0): 1, (0, 1): 2}, {None: 0, (1, 0): 1, (1, 1): 2})
    """
    if tree.n_players != 2:
        raise ValueError("the sequence form here is for 2-player trees")
    seq = seq or tree_sequences(tree)
    index: tuple[dict, dict] = ({None: 0}, {None: 0})
    for k, (p, _, _) in enumerate(seq.infosets):
        for a in range(seq.n_actions[k]):
            index[p][(k, a)] = len(index[p])
    mats = []
    for p in range(2):
        own = [k for k, (q, _, _) in enumerate(seq.infosets) if q == p]
        C = np.zeros((1 + len(own), len(index[p])))
        C[0, 0] = 1.0
        for r, k in enumerate(own, 1):
            parent = seq.infoset_seq[k][-1] if seq.infoset_seq[k] else None
            C[r, index[p][parent]] = -1.0
            for a in range(seq.n_actions[k]):
                C[r, index[p][(k, a)]] = 1.0
        mats.append(C)
    pairs = np.array([[index[p][path[p][-1] if path[p] else None] for p in range(2)]
                      for path in zip(seq.leaf_seq[0], seq.leaf_seq[1])], dtype=np.intp).reshape(-1, 2)
    return SequenceForm(tree, seq, index, mats[0], mats[1], pairs)


def matrices(sf: SequenceForm, leaf_values: np.ndarray, leaf_reach: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Payoff matrices ``A, B`` (n1 x n2) at one point from the leaves' payoffs ``(n_leaves, 2)`` and
    chance reach probabilities ``(n_leaves,)``.

    Parameters
    ----------
    sf : SequenceForm
        The sequence form.
    leaf_values : numpy.ndarray
        The players' payoffs at the leaves, ``(n_leaves, 2)``, leaves in `sf.seq` order.
    leaf_reach : numpy.ndarray
        Chance's probability of reaching each leaf, ``(n_leaves,)``.

    Returns
    -------
    tuple of numpy.ndarray
        ``A`` and ``B``, each ``(n1, n2)``: the payoff to player 0 and 1 of each pair of sequences.

    Examples
    --------
    >>> import numpy as np
    >>> import negosim as ns
    >>> sf = sequence_form(ns.load("scenarios/entry_deterrence.yaml").build())
    >>> values = np.array([[0.0, 4.0], [-1.0, 0.0], [1.0, 2.0]])
    >>> A, B = matrices(sf, values, np.ones(3))
    >>> A.tolist()
    [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, -1.0, 1.0]]
    """
    n1, n2 = sf.sizes
    out = []
    for p in range(2):
        M = np.zeros((n1, n2))
        np.add.at(M, (sf.leaf_pairs[:, 0], sf.leaf_pairs[:, 1]), leaf_reach * leaf_values[:, p])
        out.append(M)
    return out[0], out[1]


def lemke_plans(sf: SequenceForm, leaf_values: np.ndarray, leaf_reach: np.ndarray, *,
                max_pivots: int | None = None, starts: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Realization plans ``(x, y)`` of one Nash equilibrium by Lemke's algorithm on the sequence-form LCP
    (`lemke_path`), trying up to `starts` fixed generic starting plans (seeds 0, 1, ...) in turn.

    Raises `LemkeFailure` if every path fails (a ray, a degenerate start or the pivot bound).

    Parameters
    ----------
    sf : SequenceForm
        The sequence form.
    leaf_values : numpy.ndarray
        The players' payoffs at the leaves, ``(n_leaves, 2)``.
    leaf_reach : numpy.ndarray
        Chance's probability of reaching each leaf, ``(n_leaves,)``.
    max_pivots : int, optional
        Bound on the pivots of one path.
    starts : int
        Starting plans tried.

    Returns
    -------
    tuple of numpy.ndarray
        The realization plans ``x`` and ``y``.

    Examples
    --------
    >>> import numpy as np
    >>> import negosim as ns
    >>> sf = sequence_form(ns.load("scenarios/entry_deterrence.yaml").build())
    >>> x, y = lemke_plans(sf, np.array([[0.0, 4.0], [-1.0, 0.0], [1.0, 2.0]]), np.ones(3))
    >>> x.round(6).tolist(), y.round(6).tolist()
    ([1.0, 0.0, 1.0], [1.0, 0.0, 1.0])
    """
    failure = LemkeFailure("no start tried")
    for seed in range(starts):
        try:
            return lemke_path(sf, leaf_values, leaf_reach, seed=seed, max_pivots=max_pivots)
        except LemkeFailure as exc:
            failure = exc
    raise failure


def lemke_path(sf: SequenceForm, leaf_values: np.ndarray, leaf_reach: np.ndarray, *, seed: int = 0,
               max_pivots: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Realization plans ``(x, y)`` of one Nash equilibrium by Lemke's algorithm on the sequence-form LCP,
    from the leaves' payoffs ``(n_leaves, 2)`` and chance reach probabilities ``(n_leaves,)``.

    The covering vector is ``(-A y~, -B' x~)`` for completely mixed starting plans ``x~, y~`` (von Stengel,
    van den Elzen and Talman 2002): the path starts where each player best responds to the other's
    starting plan (the artificial variable large) and ends at an equilibrium (it at zero). The
    starting plans mix with generic weights drawn from a fixed `seed`, so that best responses to
    them are unique (uniform weights often tie in symmetric trees). The
    information sets' values p, q are free variables: basic from the start, never leaving.
    Raises `LemkeFailure` if the path ends in a ray or exceeds the pivot bound.
    """
    n1, n2 = sf.sizes
    E, F = sf.E, sf.F
    m1, m2 = E.shape[0], F.shape[0]
    # Payoffs shifted below zero at every leaf: x' A y moves by the same constant for every pair of plans.
    shifted = leaf_values - (leaf_values.max(axis=0, initial=0.0) + 1.0)
    A, B = matrices(sf, shifted, leaf_reach)
    rng = np.random.default_rng(seed)
    x_start, y_start = mixed_plan(sf, 0, rng), mixed_plan(sf, 1, rng)
    # Every information set's best action is basic, reached or not (at value 0 where not reached):
    # the starting basis is a pure strategy, not only a reduced one, so that it is nonsingular.
    x0 = pure_best_plan(sf, 0, A @ y_start, everywhere=True)
    y0 = pure_best_plan(sf, 1, B.T @ x_start, everywhere=True)
    # Columns: x, y, a, b, p, q, z0, right-hand side.
    X, Y = 0, n1
    Ac, Bc = n1 + n2, 2 * n1 + n2
    P, Q = 2 * (n1 + n2), 2 * (n1 + n2) + m1
    Z0 = Q + m2
    R = n1 + n2 + m1 + m2
    T = np.zeros((R, Z0 + 2))
    r1, r2, r3, r4 = slice(0, n1), slice(n1, n1 + n2), slice(n1 + n2, n1 + n2 + m1), slice(n1 + n2 + m1, R)
    T[r1, Ac:Ac + n1] = np.eye(n1)
    T[r1, P:P + m1] = -E.T
    T[r1, Y:Y + n2] = A
    T[r1, Z0] = A @ y_start
    T[r2, Bc:Bc + n2] = np.eye(n2)
    T[r2, Q:Q + m2] = -F.T
    T[r2, X:X + n1] = B.T
    T[r2, Z0] = B.T @ x_start
    T[r3, X:X + n1] = E
    T[r3, -1] = _unit(m1)
    T[r4, Y:Y + n2] = F
    T[r4, -1] = _unit(m2)
    basis = np.concatenate([np.arange(P, P + m1 + m2),
                            np.where(x0 > 0, X + np.arange(n1), Ac + np.arange(n1)),
                            np.where(y0 > 0, Y + np.arange(n2), Bc + np.arange(n2))])
    try:
        T = np.linalg.solve(T[:, basis], T)
    except np.linalg.LinAlgError:
        raise LemkeFailure("the starting basis of the sequence-form LCP is singular") from None
    T[:, basis] = np.eye(R)  # exact identity: the lexicographic order relies on it
    frozen = (basis >= P) & (basis < Z0)
    complement = np.full(Z0 + 1, -1)
    complement[X:X + n1] = Ac + np.arange(n1)
    complement[Ac:Ac + n1] = X + np.arange(n1)
    complement[Y:Y + n2] = Bc + np.arange(n2)
    complement[Bc:Bc + n2] = Y + np.arange(n2)
    values, t = T[:, -1], T[:, Z0]
    scale = max(1.0, float(np.abs(values).max()))
    infeasible = ~frozen & (values < -1e-12 * scale)
    if infeasible.any():
        if (t[infeasible] >= 0).any():
            raise LemkeFailure("the sequence-form LCP's start is not feasible for any value of the artificial variable")
        cand = np.flatnonzero(infeasible)
        row = int(cand[np.argmax(values[cand] / t[cand])])
        basis = complementary_path(T, basis, Z0, row, complement, frozen, max_pivots)
    z = np.zeros(Z0)
    for r, v in enumerate(basis):
        if v < Z0:
            z[v] = T[r, -1]
    return _normalised(sf, 0, z[X:X + n1]), _normalised(sf, 1, z[Y:Y + n2])


def mixed_plan(sf: SequenceForm, player: int, rng: np.random.Generator | None = None) -> np.ndarray:
    """A completely mixed realization plan: uniform behaviour, or with `rng` weights drawn from [1, 2)."""
    seq = sf.seq
    plan = np.zeros(sf.sizes[player])
    plan[0] = 1.0
    for k, (p, _, _) in enumerate(seq.infosets):  # parents come before children in this order
        if p == player:
            parent = plan[sf.index[p][seq.infoset_seq[k][-1] if seq.infoset_seq[k] else None]]
            w = np.ones(seq.n_actions[k]) if rng is None else rng.uniform(1.0, 2.0, seq.n_actions[k])
            for a in range(seq.n_actions[k]):
                plan[sf.index[p][(k, a)]] = parent * w[a] / w.sum()
    return plan


def pure_best_plan(sf: SequenceForm, player: int, gain: np.ndarray, *, everywhere: bool = False) -> np.ndarray:
    """A pure realization plan maximising ``plan' gain`` (first best action at ties), by backward
    induction over the player's information sets. With `everywhere`, a 0/1 mask of the best action's
    sequence at every information set (reached or not) and the empty sequence instead."""
    seq = sf.seq
    own = [k for k, (p, _, _) in enumerate(seq.infosets) if p == player]
    value = gain.astype(float).copy()  # value of each sequence: its own gain plus the best continuations
    best = {}
    for k in reversed(own):
        idx = [sf.index[player][(k, a)] for a in range(seq.n_actions[k])]
        j = int(np.argmax(value[idx]))
        best[k] = j
        value[sf.index[player][seq.infoset_seq[k][-1] if seq.infoset_seq[k] else None]] += value[idx[j]]
    plan = np.zeros(sf.sizes[player])
    plan[0] = 1.0
    for k in own:
        parent = plan[sf.index[player][seq.infoset_seq[k][-1] if seq.infoset_seq[k] else None]]
        plan[sf.index[player][(k, best[k])]] = 1.0 if everywhere else parent
    return plan


def _normalised(sf: SequenceForm, player: int, plan: np.ndarray) -> np.ndarray:
    """Clean rounding: clip to [0, 1] and rescale each information set's actions to their parent's weight."""
    plan = np.clip(plan, 0.0, 1.0)
    plan[0] = 1.0
    seq = sf.seq
    for k, (p, _, _) in enumerate(seq.infosets):
        if p != player:
            continue
        parent = sf.index[p][seq.infoset_seq[k][-1] if seq.infoset_seq[k] else None]
        cols = [sf.index[p][(k, a)] for a in range(seq.n_actions[k])]
        total = plan[cols].sum()
        if total > 0:
            plan[cols] *= plan[parent] / total
    return plan


def zero_sum_plans(sf: SequenceForm, A: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Optimal realization plans and the value (to player 0) of a zero-sum tree with payoff matrix `A`
    for player 0, by the sequence-form linear program and its dual (scipy HiGHS).

    Parameters
    ----------
    sf : SequenceForm
        The sequence form.
    A : numpy.ndarray
        Player 0's payoff matrix ``(n1, n2)`` (`matrices`); player 1's is ``-A``.

    Returns
    -------
    tuple of (numpy.ndarray, numpy.ndarray, float)
        Optimal plans ``x`` and ``y`` and the value to player 0.

    Examples
    --------
    >>> from negosim.game.reduce import chance_reach
    >>> from negosim.io import read_game
    >>> tree = read_game("tests/data/one_card_poker.efg")
    >>> sf = sequence_form(tree)
    >>> outcome = [tree.nodes[i].outcome for i in sf.seq.leaves]
    >>> values = tree.leaf_payoffs().reshape(len(tree.outcomes), 2)[outcome]
    >>> A, _ = matrices(sf, values, chance_reach(tree, sf.seq).reshape(-1))
    >>> round(zero_sum_plans(sf, A)[2], 9)
    0.333333333
    """
    from scipy.optimize import linprog

    n1, n2 = sf.sizes
    E, F = sf.E, sf.F
    m1, m2 = E.shape[0], F.shape[0]
    # Player 0: variables (x, q); maximise f'q s.t. F'q - A'x <= 0, E x = e, x >= 0, q free.
    c = np.concatenate([np.zeros(n1), -_unit(m2)])
    res = linprog(c, A_ub=np.hstack([-A.T, F.T]), b_ub=np.zeros(n2), A_eq=np.hstack([E, np.zeros((m1, m2))]),
                  b_eq=_unit(m1), bounds=[(0, None)] * n1 + [(None, None)] * m2, method="highs")
    # Player 1: variables (y, p); minimise e'p s.t. A y - E'p <= 0, F y = f, y >= 0, p free.
    res2 = linprog(np.concatenate([np.zeros(n2), _unit(m1)]), A_ub=np.hstack([A, -E.T]), b_ub=np.zeros(n1),
                   A_eq=np.hstack([F, np.zeros((m2, m1))]), b_eq=_unit(m2),
                   bounds=[(0, None)] * n2 + [(None, None)] * m1, method="highs")
    if res.status != 0 or res2.status != 0:
        raise LemkeFailure(f"the sequence-form linear program failed: {res.message or res2.message}")
    return _normalised(sf, 0, res.x[:n1]), _normalised(sf, 1, res2.x[:n2]), float(-res.fun)


def _unit(m: int) -> np.ndarray:
    u = np.zeros(m)
    u[0] = 1.0
    return u


def behavior_from_plan(sf: SequenceForm, player: int, plan: np.ndarray, fallback: dict[int, int] | None = None,
                       ) -> dict[int, np.ndarray]:
    """Behaviour ``{infoset position: (n_actions,)}`` of a realization plan (Kuhn); where the plan does
    not reach an information set, the action `fallback[k]` (default the first) with probability 1.

    Parameters
    ----------
    sf : SequenceForm
        The sequence form.
    player : int
        0 or 1.
    plan : numpy.ndarray
        The player's realization plan.
    fallback : dict of int to int, optional
        Action per information set position where the plan does not reach it.

    Returns
    -------
    dict of int to numpy.ndarray
        The player's behaviour at each of their information sets.

    Examples
    --------
    >>> import numpy as np
    >>> import negosim as ns
    >>> sf = sequence_form(ns.load("scenarios/entry_deterrence.yaml").build())
    >>> {k: v.tolist() for k, v in behavior_from_plan(sf, 0, np.array([1.0, 0.0, 1.0])).items()}
    {0: [0.0, 1.0]}
    """
    seq = sf.seq
    fallback = fallback or {}
    out = {}
    for k, (p, _, _) in enumerate(seq.infosets):
        if p != player:
            continue
        parent = plan[sf.index[p][seq.infoset_seq[k][-1] if seq.infoset_seq[k] else None]]
        weights = np.array([plan[sf.index[p][(k, a)]] for a in range(seq.n_actions[k])])
        if parent > 1e-12 and weights.sum() > 0:
            out[k] = weights / weights.sum()
        else:
            out[k] = np.eye(seq.n_actions[k])[fallback.get(k, 0)]
    return out


def is_constant_sum(leaf_values: np.ndarray, tol: float) -> bool:
    """Whether the two players' payoffs add up to the same number at every leaf (``(n_leaves, 2)``).

    Parameters
    ----------
    leaf_values : numpy.ndarray
        The players' payoffs at the leaves, ``(n_leaves, 2)``.
    tol : float
        How far the sums may spread.

    Returns
    -------
    bool
        True when every sum is within `tol` of the others.

    Examples
    --------
    >>> import numpy as np
    >>> is_constant_sum(np.array([[1.0, 2.0], [3.0, 0.0]]), 1e-9)
    True
    >>> is_constant_sum(np.array([[0.0, 4.0], [-1.0, 0.0]]), 1e-9)
    False
    """
    total = leaf_values.sum(axis=1)
    return bool(total.size == 0 or np.ptp(total) <= tol)


__all__ = ["LemkeFailure", "SequenceForm", "behavior_from_plan", "is_constant_sum", "lemke_plans", "matrices",
           "sequence_form", "zero_sum_plans"]
