"""Backward induction compiled into a straight-line program, for trees of perfect information.

`subgame_perfect` walks the tree in Python at every call and keeps every node's values, reach
probabilities and behaviour for the `Solution` it returns. A sweep needs less of it per point:
the outcome reached, the players' payoffs and whether any decision was tied. `emit_backward_induction`
writes exactly that computation, and its verification, into a `ProgramBuilder` once per tree, as
numpy calls on registers (see `negosim.expr.program`); the same program then solves every block
of points of every chunk.

The arithmetic is `subgame_perfect`'s, step for step, so the answer is the same at every point:
the tolerance is `scaled_tol` of the payoff range over the outcomes the leaves use; at a decision
node the best value is the running maximum over the children in action order, the actions whose
value is at least ``best - tol`` are tied, and the tie rules' most preferred tied action is chosen;
a point is tied when any decision (on or off the path) has two tied actions. Outcome codes are
small integers (the outcome's index), carried up the tree beside the values.

Verification is `subgame_perfect`'s too, computed separately from the choices: each choice's value
is read again through the chosen action and compared with the best (within tol); the root value is
compared with the payoffs of the outcome the codes reach; and every player's best deviation is
found by a backward pass in which that player maximises at its own nodes and the others follow
their choices (what the sequence-form recursion of `best_responses` computes on a tree of perfect
information without chance), its gain divided by the longest sequence of moves must stay within
tol. A failed check raises a flag for the run; the caller then hands the points to
`subgame_perfect`, which raises its own error.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from ..expr.program import BOOL, CODE, ProgramBuilder, ProgramTooLarge
from ..game.reduce import tree_sequences
from ..game.ties import TieRules
from ..game.tree import DECISION, TERMINAL, GameTree
from .tolerance import RTOL

#: The flags a run raises when a check fails (the caller re-solves those points with `subgame_perfect`).
CHOICE_FLAG, ROOT_FLAG, DEVIATION_FLAG = "spe: choice not best", "spe: root value", "spe: deviation"
#: Outcome codes are int16 and differences of codes must fit it.
MAX_OUTCOMES = 2**14


def perfect_information(tree: GameTree) -> bool:
    """Whether every node the play can reach is a decision node alone in its information set, or a leaf.

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> perfect_information(load_scenario("scenarios/ceasefire_2025.yaml").build())
    True
    >>> perfect_information(load_scenario("scenarios/beer_quiche.yaml").build())
    False
    """
    size = Counter(n.information_set for n in tree.nodes if n.kind == DECISION)
    reached = [tree.nodes[i] for i in tree.preorder()]
    return all(n.kind == TERMINAL or (n.kind == DECISION and size[n.information_set] == 1) for n in reached)


def emit_backward_induction(b: ProgramBuilder, tree: GameTree, pay: Sequence[Sequence[int]],
                            ties: TieRules | None = None, rtol: float = RTOL) -> None:
    """Emit the subgame-perfect solve of `tree` (perfect information) into `b`.

    `pay[k][p]` is the float slot holding outcome k's payoff to player p. The program writes the
    outputs ``"code"`` (int16: the index of the outcome reached), ``"payoffs"`` (one column per
    player: the root's value) and ``"tied"`` (bool), and raises `CHOICE_FLAG`, `ROOT_FLAG` or
    `DEVIATION_FLAG` where a check fails.
    """
    ties = tree.ties if ties is None else ties
    if len(tree.outcomes) >= MAX_OUTCOMES or max((len(x.children) for x in tree.nodes), default=0) >= MAX_OUTCOMES:
        raise ProgramTooLarge(f"{len(tree.outcomes)} outcomes: codes would not fit int16")
    n = tree.n_players
    order = tree.preorder()
    nodes = tree.nodes
    seq = tree_sequences(tree)
    used = sorted({int(nodes[i].outcome or 0) for i in seq.leaves})
    used_slots = [pay[k][p] for k in used for p in range(n)]
    hi, lo = used_slots[0], used_slots[0]
    for s in used_slots[1:]:
        hi, lo = b.call(np.maximum, hi, s), b.call(np.minimum, lo, s)
    spread = b.call(np.maximum, b.call(np.subtract, hi, lo), b.constant(1e-12))
    tol = b.call(np.multiply, b.constant(rtol), spread)  # `scaled_tol`

    # Which players' values each node must carry: the root all, a child its parent's mover's and the parent's.
    need: dict[int, set[int]] = {tree.root: set(range(n))}
    for i in order:
        if nodes[i].kind == DECISION:
            for c in nodes[i].children:
                need.setdefault(c, set()).update(need[i], {int(nodes[i].player or 0)})
    value: dict[tuple[int, int], int] = {}
    code: dict[int, int] = {}
    choice: dict[int, int] = {}
    best_of: dict[int, int] = {}
    tied_any = b.register(BOOL)
    b.emit(np.copyto, tied_any, b.constant(False, BOOL))
    for i in reversed(order):
        node = nodes[i]
        if node.kind == TERMINAL:
            code[i] = b.constant(node.outcome, CODE)
            for p in need.get(i, ()):
                value[i, p] = pay[node.outcome][p]  # type: ignore[index]
            continue
        kids, p = node.children, int(node.player or 0)
        mover = [value[c, p] for c in kids]
        best = mover[0]
        for v in mover[1:]:
            best = b.call(np.maximum, best, v)
        floor = b.call(np.subtract, best, tol)
        tied = [b.call(np.greater_equal, v, floor, dtype=BOOL) for v in mover]
        if len(kids) == 2:
            b.emit(_or_both, tied[0], tied[1], tied_any)
        elif len(kids) > 2:
            count = b.register(CODE)
            b.emit(_count, *tied, count)
            b.emit(_or_more_than_one, count, tied_any)
        priority = ties.priority(node.id, node.actions)
        last, rest = priority[-1], list(reversed(priority[:-1]))  # the most preferred tied action wins, written last
        choice[i] = _pick(b, b.constant(last, CODE), [(tied[j], b.constant(j, CODE)) for j in rest])
        code[i] = _pick(b, code[kids[last]], [(tied[j], code[kids[j]]) for j in rest])
        for q in need.get(i, ()):
            value[i, q] = _carry(b, value[kids[last], q], [(tied[j], value[kids[j], q]) for j in rest])
        best_of[i] = best
    root = tree.root
    b.output("code", code[root])
    for p in range(n):
        b.output("payoffs", value[root, p], p)
    b.output("tied", tied_any)
    _emit_checks(b, tree, pay, order, seq, tol, value, code, choice, best_of)


def _emit_checks(b, tree, pay, order, seq, tol, value, code, choice, best_of) -> None:
    """The three checks of `subgame_perfect._verify`, as steps raising flags."""
    nodes, n, root = tree.nodes, tree.n_players, tree.root
    chosen: dict[int, list[int]] = {}  # node -> masks "the choice is action j" (j >= 1)
    for i in order:
        node = nodes[i]
        if node.kind != DECISION:
            continue
        chosen[i] = [b.call(np.equal, choice[i], b.constant(j, CODE), dtype=BOOL) for j in range(1, len(node.children))]
        mover = [value[c, node.player] for c in node.children]
        taken = b.select(mover[0], list(zip(chosen[i], mover[1:])))
        b.flag(CHOICE_FLAG, b.call(np.greater, b.call(np.subtract, best_of[i], taken), tol, dtype=BOOL))
    table, rows = b.group(len(tree.outcomes) * n)  # every payoff, row k * n + p: read through the codes
    for k in range(len(tree.outcomes)):
        for p in range(n):
            b.emit(np.copyto, rows[k * n + p], pay[k][p])
    for p in range(n):
        reached = b.register()
        b.emit(_Gather(n, p), table, code[root], reached)
        gap = b.call(np.abs, b.call(np.subtract, reached, value[root, p]))
        b.flag(ROOT_FLAG, b.call(np.greater, gap, tol, dtype=BOOL))
    # Each player's best deviation: a backward pass where it maximises and the others keep their choices.
    gain = None
    for p in range(n):
        br: dict[int, int] = {}
        for i in reversed(order):
            node = nodes[i]
            if node.kind == TERMINAL:
                br[i] = pay[node.outcome][p]
                continue
            kids = [br[c] for c in node.children]
            if node.player == p:
                acc = kids[0]
                for v in kids[1:]:
                    acc = b.call(np.maximum, acc, v)
                br[i] = acc
            else:
                br[i] = b.select(kids[0], list(zip(chosen[i], kids[1:])))
        g = b.call(np.subtract, br[root], value[root, p])
        gain = g if gain is None else b.call(np.maximum, gain, g)
    assert gain is not None
    regret = b.call(np.maximum, gain, b.constant(0.0))
    depth = max([len(s) for p in range(n) for s in seq.leaf_seq[p]] + [1])
    per_move = b.call(np.divide, regret, b.constant(float(depth)))
    b.flag(DEVIATION_FLAG, b.call(np.greater, per_move, tol, dtype=BOOL))


def _or_both(a, c, out) -> None:
    out |= a & c


def _count(*args) -> None:
    *tied, out = args
    np.add(tied[0], tied[1], out=out, dtype=CODE)
    for t in tied[2:]:
        np.add(out, t, out=out, dtype=CODE)


def _or_more_than_one(count, out) -> None:
    out |= count > 1


def _carry(b: ProgramBuilder, first: int, choices: list[tuple[int, int]]) -> int:
    """A node's value for one player: its chosen child's, as `subgame_perfect` carries it (masked copies)."""
    return b.select(first, choices)


def _pick(b: ProgramBuilder, first: int, choices: list[tuple[int, int]]) -> int:
    """An int16 register holding `first`, replaced by each ``(mask, value)`` in turn where `mask` holds
    (integer arithmetic, exact: ``x + mask * (value - x)``, faster than a masked copy)."""
    out = b.register(CODE)
    b.emit(np.copyto, out, first)
    for mask, value in choices:
        step = b.register(CODE)
        b.emit(np.subtract, value, out, step)
        b.emit(np.multiply, step, mask, step)
        b.emit(np.add, out, step, out)
    return out


class _Gather:
    """``out = table[code * n + p]`` point by point: the payoff to player p of the outcome each point reaches."""

    def __init__(self, n: int, p: int) -> None:
        self.n, self.p = n, p
        self.__name__ = "gather"

    def __call__(self, table: np.ndarray, code: np.ndarray, out: np.ndarray) -> None:
        m = len(out)
        index = code.astype(np.intp)
        index *= self.n * m
        index += np.arange(self.p * m, (self.p + 1) * m)
        np.take(table.reshape(-1), index, out=out)
