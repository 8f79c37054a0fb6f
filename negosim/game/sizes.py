"""Sizes of a game tree's derived forms, computed from the tree alone (nothing is enumerated).

The reduced normal form of a tree can be exponentially larger than the tree: a responder who
answers each of 21 offers has 2**21 reduced strategies. Its size is known in advance: with perfect
recall, a player's reduced strategies after one of its own sequences are the product, over the
information sets that directly follow that sequence, of the sum over their actions of the counts
after each action. One pass over the tree gives every count as an exact Python integer.

The sequence form grows with the tree: one sequence per (information set, action) pair plus the
empty sequence, and one constraint per information set plus one.

>>> from negosim.game.tree import GameTree, Node, Outcome
>>> nodes = (Node("p", "decision", ("a", "b"), (1, 2), player=0),
...          Node("r1", "decision", ("y", "n"), (3, 4), player=1), Node("r2", "decision", ("y", "n"), (5, 6), player=1),
...          *(Node(f"t{k}", "terminal", outcome=k) for k in range(4)))
>>> tree = GameTree(("P", "R"), nodes, 0, tuple(Outcome(f"o{k}") for k in range(4)), [[0, 0]] * 4)
>>> reduced_strategy_counts(tree)
(2, 4)
>>> sequence_counts(tree)
(3, 5)
"""

from __future__ import annotations

from math import prod

from .tree import DECISION, TERMINAL, GameTree


def _player_infosets(tree: GameTree) -> tuple[dict[str, int], list[int], list[tuple[int, int] | None], list[int]]:
    """Information sets in order of first appearance, their player, the player's own sequence just
    before each (an (infoset position, action) pair, or None), and their number of actions."""
    position: dict[str, int] = {}
    owner: list[int] = []
    parent: list[tuple[int, int] | None] = []
    n_actions: list[int] = []
    stack: list[tuple[int, tuple]] = [(tree.root, (None,) * tree.n_players)]
    while stack:
        i, last = stack.pop()
        node = tree.nodes[i]
        if node.kind == TERMINAL:
            continue
        if node.kind == DECISION:
            mover = int(node.player)  # type: ignore[arg-type]  # a decision node always has a player
            key = f"{mover}\x00{node.infoset}"
            if key not in position:
                position[key] = len(owner)
                owner.append(mover)
                parent.append(last[mover])
                n_actions.append(len(node.actions))
            k = position[key]
            stack.extend((c, last[:mover] + ((k, a),) + last[mover + 1:])
                         for a, c in reversed(list(enumerate(node.children))))
        else:
            stack.extend((c, last) for c in reversed(node.children))
    return position, owner, parent, n_actions


def reduced_strategy_counts(tree: GameTree) -> tuple[int, ...]:
    """Each player's number of reduced strategies (exact integers, possibly huge), without building them.

    Equal to the number of actions of `negosim.game.reduce.reduced_normal_form(tree)` for each player.
    """
    _, owner, parent, n_actions = _player_infosets(tree)
    after: dict[tuple[int, int | tuple[int, int] | None], int] = {}  # (player, sequence) -> count
    # Later information sets lie below earlier ones of the same player, so reversed order is bottom-up.
    for k in reversed(range(len(owner))):
        p = owner[k]
        here = sum(after.get((p, (k, a)), 1) for a in range(n_actions[k]))
        key = (p, parent[k])
        after[key] = after.get(key, 1) * here
    return tuple(after.get((p, None), 1) for p in range(tree.n_players))


def sequence_counts(tree: GameTree) -> tuple[int, ...]:
    """Each player's number of sequences (the empty one included): the sequence form's dimensions."""
    _, owner, _, n_actions = _player_infosets(tree)
    return tuple(1 + sum(n for q, n in zip(owner, n_actions) if q == p) for p in range(tree.n_players))


def infoset_counts(tree: GameTree) -> tuple[int, ...]:
    """Each player's number of information sets."""
    _, owner, _, _ = _player_infosets(tree)
    return tuple(owner.count(p) for p in range(tree.n_players))


def has_information_sets(tree: GameTree) -> bool:
    """Whether some information set holds more than one node (a mover does not see everything before it)."""
    seen: set[tuple] = set()
    for node in tree.nodes:
        if node.kind == DECISION:
            key = (node.player, node.infoset)
            if key in seen:
                return True
            seen.add(key)
    return False


def support_profile_count(tree: GameTree) -> int:
    """Number of support profiles (a nonempty set of actions at every information set): what the
    perfect Bayesian search tries at most, before it removes dominated actions."""
    _, _, _, n_actions = _player_infosets(tree)
    return prod(2 ** a - 1 for a in n_actions)


def profile_count(counts: tuple[int, ...]) -> int:
    """Number of strategy profiles (cells of the normal form) for these strategy counts."""
    return prod(counts)


def fmt_count(n: int) -> str:
    """A possibly astronomical count for people: 2,097,152 or 1.3e+30."""
    return f"{n:,}" if n < 10**12 else f"{float(n):.2g}" if n < 10**300 else f"about 10^{len(str(n)) - 1}"
