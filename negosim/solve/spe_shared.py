"""What the two one-point passes of subgame-perfect equilibrium share (`spe_point`'s numpy pass and
`spe_native`'s compiled one): per-node mappings of `Solution.extra` cut from stacked arrays on lookup,
and the last two checks of `spe._verify` at one point."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..errors import VerificationError
from ..game.tree import GameTree


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
