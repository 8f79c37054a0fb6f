"""Nash equilibria of 2-player game trees on the sequence form (concept ``"nash"``, method by size).

Used where the reduced normal form is too large to build or to enumerate (see `policy`), and for
subgames with imperfect information inside `spe`. Per point: a zero-sum (constant-sum) tree is
solved by the sequence-form linear program (its value is unique; the optimal plans found are one
pair of optimal strategies), any other tree by Lemke's algorithm (one equilibrium). Neither method
claims all equilibria: `complete` is False. Lemke's algorithm cannot be batched (each point pivots
its own way), so points are solved one after the other.

Every equilibrium is verified in the tree: each player's best-response value against the other's
behaviour (backward induction over the player's information sets, `subgames.best_responses`) must
not exceed its equilibrium payoff by more than the tolerance.

>>> from negosim.io import read_game
>>> sol = sequence_form_nash(read_game("tests/data/kuhn_poker.efg"))
>>> round(float(sol.payoffs[0, 0]) * 18, 9)
-1.0
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import VerificationError
from ..game.reduce import TreeSequences, chance_reach, tree_sequences
from ..game.tree import GameTree
from .result import Solution, at_points
from .seqform import (
    LemkeFailure,
    behavior_from_plan,
    is_constant_sum,
    lemke_plans,
    matrices,
    sequence_form,
    zero_sum_plans,
)
from .subgames import best_responses, columns, expected_values, reach_by
from .tolerance import RTOL, scaled_tol

LEMKE = "sequence form, Lemke's algorithm"
ZERO_SUM = "sequence-form linear program (zero-sum)"


@dataclass(frozen=True, eq=False)
class SequenceFormResult:
    """Behaviour at every information set, per point, in column layout.

    behavior   infoset position -> (n_actions, B)
    failed     (B,) no equilibrium found at the point (Lemke's path failed)
    zero_sum   (B,) the point was solved as a zero-sum game
    value      (B,) the zero-sum value to player 0 (NaN elsewhere)

    Attributes
    ----------
    behavior : dict
        Infoset position -> ``(n_actions, B)``.
    failed : numpy.ndarray
        ``(B,)`` no equilibrium found at the point.
    zero_sum : numpy.ndarray
        ``(B,)`` the point was solved as a zero-sum game.
    value : numpy.ndarray
        ``(B,)`` the zero-sum value to player 0 (NaN elsewhere).
    reasons : tuple of str
        Why points failed.

    Examples
    --------
    >>> import numpy as np
    >>> import negosim as ns
    >>> tree = ns.load("scenarios/entry_deterrence.yaml").build()
    >>> result = solve_sequence_form(tree, tree_sequences(tree), np.array([1e-9]))
    >>> isinstance(result, SequenceFormResult), result.failed.tolist(), result.zero_sum.tolist()
    (True, [False], [False])
    """

    behavior: dict
    failed: np.ndarray
    zero_sum: np.ndarray
    value: np.ndarray
    reasons: tuple[str, ...]


def solve_sequence_form(tree: GameTree, seq: TreeSequences, tol: np.ndarray,
                        fallback: dict[int, int] | None = None) -> SequenceFormResult:
    """One equilibrium per point of a 2-player tree, as behaviour (`fallback` action where a player's
    own plan does not reach an information set; default its first action).

    Parameters
    ----------
    tree : GameTree
        Two players.
    seq : TreeSequences
        The tree's sequences (`game.reduce.tree_sequences`).
    tol : numpy.ndarray
        Tolerance per point, ``(B,)``.
    fallback : dict of int to int, optional
        Action per information set position where the player's own plan does not reach it.

    Returns
    -------
    SequenceFormResult
        Behaviour per point, and the points that failed or were solved as zero-sum.

    Examples
    --------
    >>> import numpy as np
    >>> import negosim as ns
    >>> tree = ns.load("scenarios/entry_deterrence.yaml").build()
    >>> result = solve_sequence_form(tree, tree_sequences(tree), np.array([1e-9]))
    >>> {k: v[:, 0].tolist() for k, v in result.behavior.items()}
    {0: [0.0, 1.0], 1: [0.0, 1.0]}
    """
    sf = sequence_form(tree, seq)
    B = tree.batch_size
    leaf_outcome = np.array([tree.nodes[i].outcome for i in seq.leaves], dtype=np.intp)
    values = tree.leaf_payoffs().reshape(B, len(tree.outcomes), tree.n_players)[:, leaf_outcome]
    reach = chance_reach(tree, seq).reshape(B, len(seq.leaves))
    behavior = {k: np.zeros((seq.n_actions[k], B)) for k in range(len(seq.infosets))}
    failed = np.zeros(B, dtype=bool)
    zero_sum = np.zeros(B, dtype=bool)
    value = np.full(B, np.nan)
    reasons = []
    for b in range(B):
        try:
            if is_constant_sum(values[b], float(tol[b])):
                A = matrices(sf, values[b], reach[b])[0]
                x, y, value[b] = zero_sum_plans(sf, A)
                zero_sum[b] = True
            else:
                x, y = lemke_plans(sf, values[b], reach[b])
        except LemkeFailure as exc:
            failed[b] = True
            reasons.append(str(exc))
            x, y = np.zeros(sf.sizes[0]), np.zeros(sf.sizes[1])
        for p, plan in enumerate((x, y)):
            for k, beh in behavior_from_plan(sf, p, plan, fallback).items():
                behavior[k][:, b] = beh
    return SequenceFormResult(behavior, failed, zero_sum, value, tuple(dict.fromkeys(reasons)))


def sequence_form_nash(tree: GameTree, *, rtol: float = RTOL, enumerate_small: bool = True) -> Solution:
    """One verified Nash equilibrium per point of a 2-player tree, in behaviour strategies (``"nash"``), or
    every extreme one (`seqenum.all_extreme_nash`, ``complete``) where the sequence form is small enough
    and `enumerate_small` (False: always the one of Lemke's algorithm or the zero-sum linear program).

    `extra`: ``zero_sum`` (E,) whether the row was solved as a zero-sum game, ``value`` (E,) its value
    to the first player (NaN for other games).

    Parameters
    ----------
    tree : GameTree
        Two players.
    rtol : float
        Relative tolerance for verification.
    enumerate_small : bool
        Enumerate every extreme equilibrium where the sequence form is small enough.

    Returns
    -------
    Solution
        Concept ``"nash"`` in behaviour strategies.

    Examples
    --------
    >>> import negosim as ns
    >>> tree = ns.load("scenarios/entry_deterrence.yaml").build()
    >>> sol = sequence_form_nash(tree)
    >>> sol.method, len(sol.point), bool(sol.complete)
    ('sequence form, vertex enumeration', 3, True)
    >>> sol = sequence_form_nash(tree, enumerate_small=False)
    >>> sol.method, sol.payoffs.tolist(), bool(sol.complete)
    ("sequence form, Lemke's algorithm", [[1.0, 2.0]], False)
    """
    seq = tree_sequences(tree)
    from .seqenum import MAX_SYSTEMS, all_extreme_nash, systems_needed

    # small enough to enumerate: every extreme equilibrium, complete
    if enumerate_small and systems_needed(sequence_form(tree, seq)) <= MAX_SYSTEMS:
        return all_extreme_nash(tree, rtol=rtol)
    B = tree.batch_size
    payoffs, probs = columns(tree)
    used = sorted({int(tree.nodes[i].outcome) for i in seq.leaves})  # type: ignore[arg-type]
    flat = payoffs[used].reshape(-1, B)
    tol = scaled_tol(flat.max(axis=0) - flat.min(axis=0), rtol)
    res = solve_sequence_form(tree, seq, tol)
    value = expected_values(tree, seq, res.behavior, payoffs, probs)  # (2, B)
    regret = np.maximum((best_responses(tree, seq, res.behavior, payoffs, probs) - value).max(axis=0), 0.0)
    bad = ~res.failed & (regret > tol)
    if bad.any():
        e = int(np.flatnonzero(bad)[0])
        raise VerificationError(f"nash (sequence form): a player gains {regret[e]:.3g} by deviating at point {e} "
                                f"(tol {tol[e]:.3g})")
    zs = res.zero_sum & ~res.failed
    if (np.abs(value[0] - res.value)[zs] > tol[zs]).any():
        raise VerificationError("nash (sequence form): the zero-sum value differs from the optimal plans' payoff")
    keep = np.flatnonzero(~res.failed)
    reach = reach_by(tree, seq, res.behavior, probs)
    outcome_probs = np.zeros((len(tree.outcomes), B))
    for leaf in seq.leaves:
        outcome_probs[tree.nodes[leaf].outcome] += np.broadcast_to(reach[leaf], (B,))
    method = ZERO_SUM if zs.all() and len(keep) else LEMKE if not zs.any() else f"{ZERO_SUM} or {LEMKE}"
    notes = ["one equilibrium per point, in behaviour strategies: the sequence form does not enumerate them all, "
             "other equilibria may exist"]
    if zs.any():
        v = res.value[zs][0]
        notes.append(f"zero-sum game: the value to {tree.players[0]} is {v:.10g}{at_points(int(zs.sum()), B)} "
                     "(unique; optimal strategies need not be)")
    if res.failed.any():
        notes.append(f"no equilibrium found{at_points(int(res.failed.sum()), B)}: {'; '.join(res.reasons)}")
    shape = tree.batch_shape
    return Solution(
        concept="nash", method=method, game=tree, batch_shape=shape, point=keep,
        payoffs=value.T[keep], regret=regret[keep], tied=np.zeros(len(keep), dtype=bool),
        complete=np.zeros(shape, dtype=bool), degenerate=np.zeros(shape, dtype=bool), tol=tol.reshape(shape),
        behavior=tuple(res.behavior[k].T[keep] for k in range(len(seq.infosets))),
        outcome_probs=outcome_probs.T[keep], notes=tuple(notes),
        extra={"zero_sum": res.zero_sum[keep], "value": res.value[keep]},
    )


__all__ = ["LEMKE", "ZERO_SUM", "SequenceFormResult", "sequence_form_nash", "solve_sequence_form"]
