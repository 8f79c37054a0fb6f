"""Extensive-form games (game trees) with a leading batch of parameter points."""

from __future__ import annotations

from dataclasses import field, replace

import numpy as np

from ..errors import GameError
from ..records import dataclass  # (frozen dataclasses made with less compiling: negosim.records)
from .ties import NO_TIE_RULES, TieRules

DECISION = "decision"
CHANCE = "chance"
TERMINAL = "terminal"


@dataclass(frozen=True)
class Outcome:
    """A terminal outcome: a stable id (used in JSON and sweeps) and a human label.

    Parameters
    ----------
    id : str
        The outcome's id, e.g. ``"shared_market"``.
    label : str
        Its name in words.

    Examples
    --------
    >>> from negosim.game import Outcome
    >>> Outcome("stay_out", "the entrant stays out")
    Outcome(id='stay_out', label='the entrant stays out')
    """

    id: str
    label: str = ""


@dataclass(frozen=True)
class Node:
    """One node of a game tree.

    - decision: `player` (index into `GameTree.players`), `infoset` (an id shared by the
      nodes the player cannot tell apart; defaults to the node id), `actions`, `children`;
    - chance: `actions` and `children`; probabilities live in `GameTree.chance_probs`;
    - terminal: `outcome` (index into `GameTree.outcomes`).

    `children` are indices into `GameTree.nodes`, one per action, in action order.

    Parameters
    ----------
    id : str
        The node's id.
    kind : {"decision", "chance", "terminal"}
    actions : tuple of str
        Action labels (decision and chance nodes).
    children : tuple of int
        Indices into `GameTree.nodes`, one per action.
    player : int, optional
        Decision nodes: the index of the player who moves.
    infoset : str, optional
        Decision nodes: the information set's id (default: the node's own id).
    outcome : int, optional
        Terminal nodes: the index into `GameTree.outcomes`.
    label : str
        The node's name in words.

    Examples
    --------
    >>> from negosim.game import Node
    >>> node = Node("entrant", "decision", ("out", "in"), (1, 2), player=0)
    >>> node.mover, node.information_set
    (0, 'entrant')
    """

    id: str
    kind: str
    actions: tuple[str, ...] = ()
    children: tuple[int, ...] = ()
    player: int | None = None
    infoset: str | None = None
    outcome: int | None = None
    label: str = ""

    @property
    def mover(self) -> int:
        """The index of the player who moves at this decision node (an AssertionError at any other node)."""
        if self.player is None:
            raise AssertionError(f"node {self.id!r} is a {self.kind} node, where no player moves")
        return self.player

    @property
    def information_set(self) -> str:
        """The id of this decision node's information set (its own id when it shares none)."""
        return self.infoset if self.infoset is not None else self.id


@dataclass(frozen=True, eq=False)
class GameTree:
    """A finite extensive-form game, batched over parameter points.

    `payoffs` has shape ``(*batch, n_outcomes, n_players)``; `chance_probs` maps the index of
    each chance node to an array of shape ``(*batch, n_children)``. Every array's batch shape
    broadcasts to `batch_shape`. `ties` are the tie rules every solver applies to this game by
    default (a scenario's ``ties`` section; none: the first action listed wins a tie).

    Parameters
    ----------
    players : tuple of str
    nodes : tuple of Node
        Every node; `root` indexes the root, each node's `children` index its children.
    root : int
    outcomes : tuple of Outcome
    payoffs : array_like
        ``(*batch, n_outcomes, n_players)``.
    chance_probs : dict
        Index of a chance node to its probabilities, ``(*batch, n_children)``.
    title : str
    ties : TieRules

    Raises
    ------
    GameError
        For a structure that is not a finite tree with perfect recall, or invalid probabilities.

    Examples
    --------
    >>> from negosim.game.convert import normal_to_tree
    >>> from negosim.game import NormalFormGame
    >>> tree = normal_to_tree(NormalFormGame.from_bimatrix([[1, 0], [0, 1]], [[0, 1], [1, 0]]))
    >>> [(tree.players[p], s) for p, s, _ in tree.infosets()]
    [('P1', 'P1'), ('P2', 'P2')]
    """

    players: tuple[str, ...]
    nodes: tuple[Node, ...]
    root: int
    outcomes: tuple[Outcome, ...]
    payoffs: np.ndarray
    chance_probs: dict = field(default_factory=dict)
    title: str = ""
    ties: TieRules = field(default=NO_TIE_RULES, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "players", tuple(str(p) for p in self.players))
        # A decision node without an information set is its own one, named by the node id.
        object.__setattr__(self, "nodes", tuple(
            replace(n, infoset=n.id) if n.kind == DECISION and n.infoset is None else n for n in self.nodes
        ))
        object.__setattr__(self, "payoffs", np.asarray(self.payoffs, dtype=float))
        object.__setattr__(
            self, "chance_probs", {int(k): np.asarray(v, dtype=float) for k, v in self.chance_probs.items()}
        )
        from .checks import check_tree  # the structural checks live in their own module

        check_tree(self)

    # --- basic facts -------------------------------------------------------------------
    @property
    def n_players(self) -> int:
        return len(self.players)

    @property
    def batch_shape(self) -> tuple[int, ...]:
        shapes = [self.payoffs.shape[:-2]] + [p.shape[:-1] for p in self.chance_probs.values()]
        return tuple(np.broadcast_shapes(*shapes))

    @property
    def batch_size(self) -> int:
        return int(np.prod(self.batch_shape, dtype=np.int64))

    def node_index(self, node_id: str) -> int:
        for i, node in enumerate(self.nodes):
            if node.id == node_id:
                return i
        raise GameError(f"unknown node {node_id!r}")

    def infosets(self) -> list[tuple[int, str, tuple[int, ...]]]:
        """Every information set as ``(player, infoset id, node indices)``, in order of first appearance
        in a depth-first walk from the root (so a player's earlier information sets come first)."""
        seen: dict[tuple[int, str], list[int]] = {}
        for i in self.preorder():
            node = self.nodes[i]
            if node.kind == DECISION:
                seen.setdefault((int(node.player or 0), str(node.infoset)), []).append(i)
        return [(p, s, tuple(ix)) for (p, s), ix in seen.items()]

    def preorder(self) -> list[int]:
        """Node indices in depth-first order from the root, children in action order."""
        order, stack = [], [self.root]
        while stack:
            i = stack.pop()
            order.append(i)
            stack.extend(reversed(self.nodes[i].children))
        return order

    def leaf_payoffs(self) -> np.ndarray:
        """Payoffs broadcast to the full batch: shape ``(*batch, n_outcomes, n_players)``."""
        return np.broadcast_to(self.payoffs, (*self.batch_shape, *self.payoffs.shape[-2:]))

    def probs(self, node: int) -> np.ndarray:
        """Chance probabilities of a chance node broadcast to the full batch: ``(*batch, n_children)``."""
        p = self.chance_probs[node]
        return np.broadcast_to(p, (*self.batch_shape, p.shape[-1]))
