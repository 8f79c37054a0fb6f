"""What the two one-point passes of subgame-perfect equilibrium share (`spe_point`'s numpy pass and
`spe_native`'s compiled one): per-node mappings of `Solution.extra` cut from stacked arrays on lookup,
the last two checks of `spe._verify` at one point, and the `Solution` both build from their arrays."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..errors import VerificationError
from ..game.ties import TieRules
from ..game.tree import GameTree
from .result import Solution


@dataclass(frozen=True, eq=False)
class PointNodeArrays(Mapping):
    """Node id -> that node's ``(1, ...)`` array, cut from one stacked array when looked up.

    `order` lists the node indices that are keys, in iteration order. Without `spans` a node's array
    is ``data[i:i + 1]``; with `spans` (a ``(n_nodes, 2)`` array of [start, stop) into `data`) it is
    ``data[start:stop]`` as one row (the tied actions of a node, whose count varies by node).
    """

    tree: GameTree
    order: np.ndarray
    data: np.ndarray
    spans: np.ndarray | None = None

    @cached_property
    def _index(self) -> dict[str, int]:
        nodes = self.tree.nodes
        return {nodes[i].id: i for i in self.order.tolist()}

    def __getitem__(self, node_id: str) -> np.ndarray:
        i = self._index[node_id]
        if self.spans is None:
            return self.data[i:i + 1]
        lo, hi = self.spans[i]
        return self.data[lo:hi][None]

    def __iter__(self) -> Iterator[str]:
        nodes = self.tree.nodes
        return (nodes[i].id for i in self.order.tolist())

    def __len__(self) -> int:
        return len(self.order)


def check_root_and_deviations(tree: GameTree, tol: float, expected: np.ndarray, root_value: np.ndarray,
                              replies: np.ndarray) -> None:
    """The last two checks of `spe._verify` at one point: the root value equal to the outcome
    distribution's payoffs (`expected`) and no player gaining more than tol per move by deviating."""
    off = float(np.abs(expected - root_value).max())
    if off > tol:
        raise VerificationError(f"spe: the root value differs from the outcome distribution's payoffs by {off:.3g} "
                                f"at point 0 (tol {tol:.3g})")
    regret = float(max((replies - root_value).max(), 0.0))
    if regret > tol:  # (within tol, dividing by the number of moves cannot make it fail)
        from ..game.reduce import tree_sequences

        seq = tree_sequences(tree)
        depth = max([len(q) for p in range(tree.n_players) for q in seq.leaf_seq[p]] + [1])
        if regret / depth > tol:
            raise VerificationError(f"spe: a player gains (per move, over up to {depth} moves) from deviating by "
                                    f"{regret / depth:.3g} at point 0 (tol {tol:.3g})")


def one_point_solution(tree: GameTree, ties: TieRules, *, values: np.ndarray, choice: np.ndarray, reach: np.ndarray,
                       tied_edges: np.ndarray, spans: np.ndarray, dec: np.ndarray, bottom_up: np.ndarray,
                       tied_nodes: list[int], behavior: tuple, outcome_probs: np.ndarray, replies: np.ndarray,
                       root_value: np.ndarray, tol_point: np.ndarray) -> Solution:
    """The verified one-point `Solution` of concept "spe" that `spe._solution` would build, from a pass's arrays.

    Parameters
    ----------
    tree : GameTree
        The tree (one parameter point).
    ties : TieRules
        The tie rules the pass applied.
    values, reach : numpy.ndarray
        ``(nodes, n_players)`` every node's values and ``(nodes,)`` its probability of being reached.
    choice : numpy.ndarray
        The action chosen at each node (read at the decisions `dec`).
    tied_edges, spans : numpy.ndarray
        Each edge's "tied with the best" flag, and each node's ``[start, stop)`` among the edges.
    dec : numpy.ndarray
        The decision nodes.
    bottom_up : numpy.ndarray
        The decision nodes in the order `spe` decides them (reversed preorder).
    tied_nodes : list of int
        The nodes with two or more tied actions, in that order.
    behavior : tuple of numpy.ndarray
        Each decision's ``(1, k)`` behaviour row, in preorder.
    outcome_probs : numpy.ndarray
        ``(n_outcomes, 1)`` the outcome distribution.
    replies, root_value : numpy.ndarray
        ``(n_players, 1)`` each player's best-reply value at the root and the root's value.
    tol_point : numpy.ndarray
        The point's tolerance.

    Returns
    -------
    Solution
        Method "backward induction"; ``extra`` with the per-node mappings, ties and tie descriptions.

    Examples
    --------
    >>> from negosim.game.ties import TieRules
    >>> from negosim.solve.spe_point import point_solution
    >>> from negosim.scenario import load_scenario
    >>> tree = load_scenario("scenarios/entry_deterrence.yaml").build()
    >>> point_solution(tree, TieRules(), 1e-9).method  # the numpy pass ends here
    'backward induction'
    """
    from .spe import SpeTieDescriptions, _notes

    regret = np.maximum((replies - root_value).max(axis=0), 0.0)
    tied = np.array([bool(tied_nodes)])
    on_path = np.array([any(reach[i] > 0 for i in tied_nodes)])
    extra = {
        "choice": PointNodeArrays(tree, dec, choice),
        "values": PointNodeArrays(tree, np.arange(len(values)), values),
        "reach": PointNodeArrays(tree, np.arange(len(values)), reach),
        "tied_actions": PointNodeArrays(tree, bottom_up, tied_edges, spans),
        "tied_on_path": on_path,
        "selected": np.zeros(1, dtype=bool),
        "subgames": {},
        "tie_rules": ties.describe(),
        "tie_descriptions": SpeTieDescriptions(
            tree, tuple((i, choice[i:i + 1]) for i in tied_nodes),
            tuple((i, np.ones(1, dtype=bool), tied_edges[spans[i, 0]:spans[i, 1]][None], reach[i:i + 1])
                  for i in tied_nodes), ()),
    }
    shape = tree.batch_shape if tree.chance_probs else tree.payoffs.shape[:-2]  # (without chance: the same)
    return Solution(
        concept="spe", method="backward induction", game=tree, batch_shape=shape, point=np.arange(1),
        payoffs=root_value.T, regret=regret, tied=tied, complete=(~tied).reshape(shape),
        degenerate=tied.reshape(shape), tol=tol_point.reshape(shape), behavior=behavior,
        outcome_probs=outcome_probs.T, notes=_notes(tree, ties, tied, []), extra=extra,
    )
