"""Game trees that grow large on purpose, for tests and benchmarks of the size policy.

Each is small to describe and solve by backward induction, while its reduced normal form is
astronomically large: they check that the default commands pick methods by size.

>>> tree = centipede(11)
>>> len(tree.nodes), sum(n.kind == "decision" for n in tree.nodes)
(11, 5)
"""

from __future__ import annotations

import numpy as np

from .tree import CHANCE, DECISION, TERMINAL, GameTree, Node, Outcome


class _Builder:
    def __init__(self) -> None:
        self.nodes: list[Node] = []
        self.outcomes: list[Outcome] = []
        self.payoffs: list[list[float]] = []
        self.chance: dict[int, list[float]] = {}

    def leaf(self, name: str, payoffs: list[float]) -> int:
        self.nodes.append(Node(name, TERMINAL, outcome=len(self.outcomes)))
        self.outcomes.append(Outcome(name))
        self.payoffs.append([float(v) for v in payoffs])
        return len(self.nodes) - 1

    def reserve(self) -> int:
        self.nodes.append(Node("", TERMINAL))  # replaced by `decide` or `chance`
        return len(self.nodes) - 1

    def decide(self, at: int, name: str, player: int, actions: dict[str, int], infoset: str | None = None) -> int:
        self.nodes[at] = Node(name, DECISION, tuple(actions), tuple(actions.values()), player=player, infoset=infoset)
        return at

    def chance_node(self, at: int, name: str, actions: dict[str, int], probs: list[float]) -> int:
        self.nodes[at] = Node(name, CHANCE, tuple(actions), tuple(actions.values()))
        self.chance[at] = probs
        return at

    def tree(self, players: tuple[str, ...], title: str) -> GameTree:
        return GameTree(players, tuple(self.nodes), 0, tuple(self.outcomes), np.array(self.payoffs),
                        {k: np.array(v) for k, v in self.chance.items()}, title=title)


def ultimatum_menu(offers: int = 21) -> GameTree:
    """A proposer offers one of `offers` shares of 1; the responder accepts or rejects; after a rejection
    the proposer walks away or escalates (a costly fight). ``1 + 2 * offers`` decision nodes.

    Parameters
    ----------
    offers : int, default 21
        How many offers the proposer chooses among, evenly spaced shares from 0 to 1 for the responder.

    Returns
    -------
    GameTree
        The tree, players ``("Proposer", "Responder")``.

    Examples
    --------
    >>> tree = ultimatum_menu(3)
    >>> tree.players, sum(n.kind == "decision" for n in tree.nodes)
    (('Proposer', 'Responder'), 7)
    """
    b = _Builder()
    root = b.reserve()
    kids = {}
    for k in range(offers):
        share = k / max(offers - 1, 1)
        r = b.reserve()
        kids[f"offer{k}"] = r
        accept = b.leaf(f"deal{k}", [1 - share, share])
        p = b.reserve()
        walk = b.leaf(f"walk{k}", [0.0, 0.0])
        fight = b.leaf(f"fight{k}", [-0.2 - 0.1 * share, -0.3])
        b.decide(p, f"escalate{k}", 0, {"walk": walk, "fight": fight})
        b.decide(r, f"respond{k}", 1, {"accept": accept, "reject": p})
    b.decide(root, "propose", 0, kids)
    return b.tree(("Proposer", "Responder"), f"Ultimatum over a menu of {offers} offers")


def public_threat(types: int = 100) -> GameTree:
    """Chance draws the leader's resolve (one of `types`, uniform); the leader threatens or not, seen by the
    follower but not the type; the follower complies or defies; a defied leader carries out the threat
    or backs down. A signalling game: its only subgame is the whole tree.

    Parameters
    ----------
    types : int, default 100
        How many leader types (resolves evenly spaced from 0 to 1) chance draws among.

    Returns
    -------
    GameTree
        The tree, players ``("Leader", "Follower")``, a chance node at the root.

    Examples
    --------
    >>> tree = public_threat(2)
    >>> tree.title, sum(n.kind == "decision" for n in tree.nodes)
    ('Public threat with 2 leader types', 8)
    """
    b = _Builder()
    root = b.reserve()
    kids = {}
    for t in range(types):
        resolve = t / max(types - 1, 1)
        lead = b.reserve()
        kids[f"type{t}"] = lead
        quiet = b.reserve()
        threat = b.reserve()
        q_comply = b.leaf(f"t{t}_quiet_comply", [0.5, 0.5])
        q_defy = b.leaf(f"t{t}_quiet_defy", [0.0, 1.0])
        b.decide(quiet, f"f_quiet_{t}", 1, {"comply": q_comply, "defy": q_defy}, infoset="follower_quiet")
        comply = b.leaf(f"t{t}_threat_comply", [1.0, 0.2])
        carry = b.reserve()
        defy_carry = b.leaf(f"t{t}_carry_out", [2 * resolve - 1.1, -0.4])
        defy_back = b.leaf(f"t{t}_back_down", [-0.3, 1.2])
        b.decide(carry, f"l_carry_{t}", 0, {"carry_out": defy_carry, "back_down": defy_back})
        b.decide(threat, f"f_threat_{t}", 1, {"comply": comply, "defy": carry}, infoset="follower_threat")
        b.decide(lead, f"lead_{t}", 0, {"quiet": quiet, "threaten": threat})
    b.chance_node(root, "resolve", kids, [1.0 / types] * types)
    return b.tree(("Leader", "Follower"), f"Public threat with {types} leader types")


def centipede(nodes: int = 5001) -> GameTree:
    """The centipede game with `nodes` nodes in all (odd): two players alternately take or pass a growing pot.

    Parameters
    ----------
    nodes : int, default 5001
        The number of nodes in all, odd: ``(nodes - 1) // 2`` decision stages and as many leaves plus one.

    Returns
    -------
    GameTree
        The tree, players ``("P1", "P2")``.

    Examples
    --------
    >>> tree = centipede(7)
    >>> len(tree.nodes), tree.title
    (7, 'Centipede with 7 nodes')
    """
    stages = (nodes - 1) // 2
    b = _Builder()
    at = b.reserve()
    for s in range(stages):
        player = s % 2
        big, small = 2.0 + s, s * 1.0
        take = b.leaf(f"take{s}", [big, small] if player == 0 else [small, big])
        nxt = b.reserve() if s < stages - 1 else b.leaf("end", [stages + 1.0, stages + 1.0])
        b.decide(at, f"stage{s}", player, {"take": take, "pass": nxt})
        at = nxt
    return b.tree(("P1", "P2"), f"Centipede with {nodes} nodes")


def binary_tree(depth: int = 11, seed: int = 0) -> GameTree:
    """A complete binary tree of perfect information, players alternating by depth, random leaf payoffs
    (``2**(depth + 1) - 1`` nodes).

    Parameters
    ----------
    depth : int, default 11
        The number of decision levels; the leaves sit at this depth.
    seed : int, default 0
        Seed of the random integer payoffs (0 to 99), so the same call gives the same tree.

    Returns
    -------
    GameTree
        The tree, players ``("P1", "P2")``.

    Examples
    --------
    >>> tree = binary_tree(3)
    >>> len(tree.nodes), tree.players
    (15, ('P1', 'P2'))
    """
    rng = np.random.default_rng(seed)
    b = _Builder()
    stack = [(b.reserve(), 0, "r")]
    while stack:
        at, d, name = stack.pop()
        kids = {}
        for a in "LR":
            if d + 1 == depth:
                kids[a] = b.leaf(name + a, list(rng.integers(0, 100, 2)))
            else:
                kids[a] = b.reserve()
                stack.append((kids[a], d + 1, name + a))
        b.decide(at, name, d % 2, kids)
    return b.tree(("P1", "P2"), f"Binary tree of depth {depth}")


__all__ = ["binary_tree", "centipede", "public_threat", "ultimatum_menu"]
