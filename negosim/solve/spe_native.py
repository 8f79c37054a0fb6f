"""Subgame-perfect equilibrium of a perfect-information tree at ONE point through the compiled kernel.

`spe_point`'s levelised numpy pass costs a few numpy calls per level and per step, whatever the level's
size: on trees of a thousand nodes those fixed costs are most of the time. The kernel
``negosim/native/spe_point.c`` reads the nodes and does the whole pass in one call (backward induction
with ties and tie rules, best replies, reach probabilities through chance nodes, the outcome
distribution and each decision's gap), forming every float in the same order as `spe_point` and
`spe_chance`, so the answer is the same bit for bit. This module allocates its outputs, verifies its
answer with `tolerance.checked_tol` (the checks and messages of `spe._verify`) and assembles the
`Solution` `spe_point` assembles.

`native_solution` answers as `spe_point.point_solution` does (a `Solution`, or None for a tree the
one-point pass does not handle), or NotImplemented where the kernel declines (a payoff that is not
finite), and the numpy pass runs. Without the kernel (not built, or ``NEGOSIM_NATIVE=0``) the numpy
pass runs; the tests compare both on random trees.
"""

from __future__ import annotations

from types import ModuleType, NotImplementedType

import numpy as np

from ..errors import VerificationError
from ..game.ties import TieRules
from ..game.tree import GameTree
from .result import Solution
from .spe_shared import check_root_and_deviations, one_point_solution
from .tolerance import checked_tol, scaled_tol


def native_solution(kernel: ModuleType, tree: GameTree, ties: TieRules, rtol: float
                    ) -> Solution | None | NotImplementedType:
    """The verified subgame-perfect equilibrium of a one-point tree, solved by the compiled kernel.

    Parameters
    ----------
    kernel : module
        ``negosim.native._spe_point`` (from ``negosim.native.load("spe_point")``).
    tree : GameTree
        A tree with one parameter point (the caller checks it).
    ties : TieRules
        The rules that choose among tied best actions.
    rtol : float
        The relative tolerance (`tolerance.scaled_tol`).

    Returns
    -------
    Solution, None or NotImplemented
        The solution `spe.subgame_perfect` gives; None when the tree has an information set of several
        nodes or no decision (as `spe_point.point_solution`); NotImplemented when the kernel declines.

    Raises
    ------
    VerificationError
        When the equilibrium found fails a check (the checks and messages of `spe.subgame_perfect`).

    Examples
    --------
    >>> from negosim.api import open_source
    >>> from negosim.native import load
    >>> tree = open_source("scenarios/entry_deterrence.yaml").game
    >>> kernel = load("spe_point")
    >>> kernel is None or native_solution(kernel, tree, tree.ties, 1e-9).equilibria_at(0)[0].path
    ['Entrant:in', 'Incumbent:accommodate']
    """
    nodes = tree.nodes
    n, n_players, n_out = len(nodes), tree.n_players, len(tree.outcomes)
    pay = np.ascontiguousarray(tree.payoffs.reshape(n_out, n_players), dtype=float)
    chance = {int(i): np.ascontiguousarray(p, dtype=float).reshape(-1) for i, p in tree.chance_probs.items()}
    priority = None
    if ties.prefer or ties.per_node:  # (asked only at nodes with two or more tied actions)
        def priority(i: int) -> list[int]:
            return ties.priority(nodes[i].id, nodes[i].actions)

    values, reach, gap = np.empty((n, n_players)), np.empty(n), np.empty(n)
    choice, dec, pre, code = np.empty(n, np.int64), np.empty(n, np.int64), np.empty(n, np.int64), np.empty(n, np.int64)
    tied_edges, behavior, kids = np.empty(n - 1, bool), np.empty(n - 1), np.empty(n - 1, np.int64)
    spans = np.empty((n, 2), np.int64)  # per node: [first, last + 1) of its edges
    outcome_probs, replies = np.empty((n_out, 1)), np.empty((n_players, 1))
    answer = kernel.solve(nodes, int(tree.root), pay, n_players, chance or None, float(rtol), priority,
                          (values, choice, reach, tied_edges, kids, behavior, spans, dec, pre, outcome_probs, replies,
                           code))
    if answer is None or answer is NotImplemented:
        return answer
    n_dec, spread, tol, width, tied_nodes = answer
    tol_point = scaled_tol(np.array([spread]), rtol)
    assert float(tol_point[0]) == tol  # (the kernel decided with the tolerance `spe` uses)
    dec, pre = dec[:n_dec], pre[:n_dec]
    bottom_up = pre[::-1]  # the order `spe` decides nodes in, which its tie mappings keep
    root_value = values[tree.root][:, None]
    ctol = float(checked_tol(tol, pay))
    kernel.gaps(dec, spans, kids, code, values, choice, gap)  # (read back from the arrays, as `spe._verify` reads)
    if gap.max() > ctol:  # `spe` checks the nodes bottom-up: report the one it meets first
        i = int(bottom_up[gap[bottom_up] > ctol][0])
        raise VerificationError(f"spe: the choice at {nodes[i].id!r} is not best by {gap[i]:.3g} at point 0 "
                                f"(tol {ctol:.3g})")
    if chance:
        payoffs = np.empty((n_out, n_players, 1))  # (the layout `subgames.columns` gives `spe`'s einsum)
        payoffs[:, :, 0] = pay
        expected = np.einsum("ob,onb->nb", outcome_probs, payoffs)
    else:  # one outcome has probability 1 and the others 0, so any order of summation gives `spe`'s einsum
        expected = pay.T @ outcome_probs
    check_root_and_deviations(tree, ctol, expected, root_value, replies)
    if width:  # every decision has as many actions: one reshape gives every row
        rows = tuple(behavior[:len(pre) * width].reshape(-1, 1, width))
    else:
        k = (spans[pre, 1] - spans[pre, 0]).tolist()
        starts = np.cumsum([0] + k).tolist()
        rows = tuple(behavior[a:a + b][None] for a, b in zip(starts, k))
    return one_point_solution(tree, ties, values=values, choice=choice, reach=reach, tied_edges=tied_edges,
                              spans=spans, dec=dec, bottom_up=pre[::-1], tied_nodes=tied_nodes, behavior=rows,
                              outcome_probs=outcome_probs, replies=replies, root_value=root_value,
                              tol_point=tol_point)
