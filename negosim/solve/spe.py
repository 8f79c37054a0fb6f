"""Subgame-perfect equilibrium by backward induction, batched over parameter points.

Nodes are processed bottom-up once for the whole batch: a terminal node's value is its outcome's
payoffs, a chance node's the probability-weighted sum of its children's, and at a decision node
that starts a subgame the mover takes the child of highest value. Actions within `tol` of the best
are *tied*; the tie rules (`TieRules.priority`) decide among them, and the tie is recorded for that
point, never hidden. A subgame with simultaneous moves (an information set with several nodes) is
solved through its reduced normal form (see `subgames.py`).

One equilibrium per point is returned (`Solution.point == arange(batch_size)`), except at points
where no equilibrium of a simultaneous subgame was found (a subgame too large for every method, or
whose equilibria could not be verified): no equilibrium is reported there, the point is marked
`complete = False` and a note says where. A simultaneous subgame of three or more players has all its
equilibria, mixed ones included, enumerated where the size policy allows (`nplayer.all_nash`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..errors import VerificationError
from ..game.reduce import tree_sequences
from ..game.ties import TieRules
from ..game.tree import CHANCE, DECISION, TERMINAL, GameTree
from .result import Solution, at_points
from .subgames import best_responses, columns, reach_by, solve_simultaneous, subgame_roots
from .tolerance import RTOL, checked_tol, scaled_tol


def subgame_perfect(tree: GameTree, *, ties: TieRules | None = None, rtol: float = RTOL) -> Solution:
    """The subgame-perfect equilibrium at every batch point (concept ``"spe"``), verified.

    Per point: `tied` / `degenerate` when some decision (on or off the path) had tied best actions or
    a simultaneous subgame's selected equilibrium is tied or degenerate; `complete` when there was no
    tie, every simultaneous subgame had exactly one equilibrium and the method could rule out others.
    `extra`:
      choice            node id -> (E,) chosen action index at each decision node (-1 where mixed)
      values            node id -> (E, n_players) value of the node's continuation
      reach             node id -> (E,) probability that the equilibrium play reaches the node
      tied_actions      node id -> (E, n_actions) actions within tol of the best (backward-induction nodes)
      tied_on_path      (E,) a tie at a decision the equilibrium play reaches (the others are off the path)
      selected          (E,) a subgame has (or may have) several equilibria and one was selected by a named rule
                        (see `notes`), so other subgame-perfect equilibria exist or may exist
      tie_descriptions  row -> ["US at us_sanction: impose = hold (tie rule chose impose)", ...], lazily
      subgames          simultaneous-move subgame root id -> (E,) number of equilibria found there
      tie_rules         the tie rules, described

    `ties` defaults to the tree's own rules (`GameTree.ties`, from the scenario that built it).

    At one parameter point a perfect-information tree (chance nodes allowed) is solved in one pass by a
    compiled kernel (`spe_native`), or where it is not built by a levelised numpy pass
    (`spe_point.point_solution`); both give this same solution field by field; trees with information
    sets of several nodes, and batches, take the path below. On the one-point pass the per-node
    mappings of `extra` are built on demand (`spe_shared.PointNodeArrays`).
    """
    if ties is None:
        ties = tree.ties
    from .spe_point import point_solution  # one point: one pass, where it applies (the same answer)

    solution = point_solution(tree, ties, rtol)
    if solution is not None:
        return solution
    B = tree.batch_size
    seq = tree_sequences(tree)
    payoffs, probs = columns(tree)  # (n_outcomes, n_players, B), {node: (n_children, B)}
    used = sorted({int(tree.nodes[i].outcome or 0) for i in seq.leaves})
    # (every outcome used, as usual: a view, not a fancy-indexed copy)
    flat = (payoffs if used == list(range(len(payoffs))) else payoffs[used]).reshape(-1, B)
    tol = scaled_tol(flat.max(axis=0) - flat.min(axis=0), rtol)
    order = tree.preorder()
    roots = subgame_roots(tree, order)
    global_k = {infoset: k for k, (_, infoset, _) in enumerate(seq.infosets)}
    values: list = [None] * len(tree.nodes)  # (n_players, B) per node
    solved = [False] * len(tree.nodes)
    behavior: dict[int, np.ndarray] = {}  # infoset position -> (n_actions, B)
    choice: dict[int, np.ndarray] = {}
    tied_sets: dict[int, list] = {}
    simultaneous = []
    for i in reversed(order):
        node = tree.nodes[i]
        if node.kind == TERMINAL:
            values[i], solved[i] = payoffs[node.outcome], True
        elif i not in roots:
            continue
        elif all(solved[c] for c in node.children):
            if node.kind == CHANCE:
                values[i] = _expectation(probs[i], [values[c] for c in node.children])
            else:
                choice[i], tied_sets[i], values[i] = _decide(node, [values[c] for c in node.children], tol, ties)
                actions = np.arange(len(node.children))[:, None]
                behavior[seq.infoset_of[i]] = (choice[i] == actions).astype(float)
            solved[i] = True
        else:
            sg = solve_simultaneous(tree, i, solved, values, probs, tol, ties, rtol, global_k)
            behavior.update(sg.behavior)
            _fill_values(tree, sg.subtree, seq, values, solved, behavior, probs)
            simultaneous.append(sg)
    return _solution(tree, seq, ties, payoffs, probs, tol, values, behavior, choice, tied_sets, simultaneous)


def _decide(node, kids: list, tol: np.ndarray, ties: TieRules):
    """The mover's choice (B,), its tied best actions (list of (B,) bools) and the node's value."""
    mover = [v[node.player] for v in kids]
    best = mover[0]
    for v in mover[1:]:
        best = np.maximum(best, v)
    floor = best - tol
    tied = [v >= floor for v in mover]
    priority = ties.priority(node.id, node.actions)
    choice = np.full(len(tol), priority[-1])
    value = kids[priority[-1]]
    for j in reversed(priority[:-1]):  # the most preferred tied action is written last
        np.copyto(choice, j, where=tied[j])
        value = np.where(tied[j], kids[j], value)  # (the same overwrites as `choice`'s)
    return choice, tied, value


def _expectation(weights: np.ndarray, children: list) -> np.ndarray:
    """Sum of children's values (each (n, B)) weighted by (n_children, B) probabilities."""
    return sum(weights[j] * v for j, v in enumerate(children))


def _fill_values(tree, sub, seq, values, solved, behavior, probs) -> None:
    """Values of the unsolved nodes of a simultaneous subgame, from the behaviour selected there."""
    inner = [tree.node_index(node.id) for node in sub.nodes if node.kind != TERMINAL]
    for i in reversed(inner):  # `sub` lists its nodes in preorder, so reversed is bottom-up
        node = tree.nodes[i]
        w = probs[i] if node.kind == CHANCE else behavior[seq.infoset_of[i]]
        values[i] = _expectation(w, [values[c] for c in node.children])
        solved[i] = True


def _solution(tree, seq, ties, payoffs, probs, tol, values, behavior, choice, tied_sets, simultaneous) -> Solution:
    """Assemble, verify and label the result (converting to rows: the batch first)."""
    B = tree.batch_size
    reach = [np.broadcast_to(r, (B,)) for r in reach_by(tree, seq, behavior, probs)]
    outcome_probs = np.zeros((len(tree.outcomes), B))
    for leaf in seq.leaves:
        outcome_probs[tree.nodes[leaf].outcome] += reach[leaf]
    node_tied = {}
    for i, t in tied_sets.items():
        count = sum(x.astype(np.int8) for x in t)
        node_tied[i] = count > 1
    tied = np.zeros(B, dtype=bool)
    for t in node_tied.values():
        tied |= t
    on_path = np.zeros(B, dtype=bool)
    for i, t in node_tied.items():
        on_path |= t & (reach[i] > 0)
    indifferent = tied.copy()  # a player's own tie (not a subgame's several equilibria)
    for sg in simultaneous:
        indifferent |= sg.tied
    degenerate, incomplete, failed = tied.copy(), np.zeros(B, dtype=bool), np.zeros(B, dtype=bool)
    selected = np.zeros(B, dtype=bool)  # a subgame's equilibrium was selected among several (or possibly several)
    for sg in simultaneous:
        if sg.large is None:
            selected |= sg.count > 1
        elif len(sg.players) == 2:
            selected |= ~sg.failed
        on_path |= (sg.tied | (sg.count > 1)) & (reach[sg.root] > 0)
        tied |= sg.tied | (sg.count > 1)
        degenerate |= sg.tied | (sg.count > 1) | sg.degenerate
        incomplete |= sg.incomplete
        failed |= sg.failed
    root_value = values[tree.root]
    regret = _verify(tree, seq, payoffs, probs, tol, values, behavior, choice, outcome_probs, root_value, failed)
    keep = np.flatnonzero(~failed) if failed.any() else slice(None)

    def rows(a):  # per-point array (..., B) -> rows (E, ...)
        a = np.asarray(a)
        # (the same views as np.moveaxis(a, -1, 0), without its axis normalisation: this runs per node)
        return (a if a.ndim == 1 else a.T if a.ndim == 2 else np.moveaxis(a, -1, 0))[keep]

    picked = {i: rows(c) for i, c in choice.items()}
    for i, node in enumerate(tree.nodes):
        if node.kind == DECISION and i not in picked:  # inside a simultaneous subgame
            b = rows(behavior[seq.infoset_of[i]])
            picked[i] = np.where(b.max(axis=1) >= 1.0, b.argmax(axis=1), -1)
    ids = [node.id for node in tree.nodes]
    tied_rows = {i: rows(np.stack(t)) for i, t in tied_sets.items()}
    extra = {
        "choice": {ids[i]: c for i, c in sorted(picked.items())},
        "values": {ids[i]: rows(v) for i, v in enumerate(values)},
        "reach": {ids[i]: rows(r) for i, r in enumerate(reach)},
        "tied_actions": {ids[i]: t for i, t in tied_rows.items()},
        "tied_on_path": rows(on_path),
        "selected": rows(selected),
        "subgames": {ids[sg.root]: rows(sg.count) for sg in simultaneous},
        "tie_rules": ties.describe(),
        "tie_descriptions": SpeTieDescriptions(
            tree, tuple(picked.items()),
            tuple((i, rows(t), tied_rows[i], rows(reach[i])) for i, t in node_tied.items()),
            tuple((sg, rows(sg.tied), rows(sg.count)) for sg in simultaneous)),
    }
    complete = ~tied & ~incomplete & ~failed
    shape = tree.batch_shape
    return Solution(
        concept="spe", method="backward induction", game=tree, batch_shape=shape, point=np.arange(B)[keep],
        payoffs=rows(root_value), regret=rows(regret), tied=rows(tied), complete=complete.reshape(shape),
        degenerate=degenerate.reshape(shape), tol=tol.reshape(shape),
        behavior=tuple(rows(behavior[k]) for k in range(len(seq.infosets))),
        outcome_probs=rows(outcome_probs), notes=_notes(tree, ties, indifferent, simultaneous), extra=extra,
    )


def _verify(tree, seq, payoffs, probs, tol, values, behavior, choice, outcome_probs, root_value, failed):
    """Raise VerificationError unless every choice is optimal within tol, the root value matches the
    outcome distribution, and no player gains by deviating in the whole game; return the regrets.

    The checks allow `tolerance.checked_tol` (`tol` plus the rounding of sums through chance nodes)."""
    ok = ~failed
    tol = checked_tol(tol, payoffs, axis=(0, 1))

    def check(gap, what):
        bad = ok & (gap > tol)
        if bad.any():
            e = int(np.flatnonzero(bad)[0])
            raise VerificationError(f"spe: {what} by {gap[e]:.3g} at point {e} (tol {tol[e]:.3g})")

    for i, c in choice.items():
        node = tree.nodes[i]
        mover = [values[k][node.player] for k in node.children]
        best, taken = mover[0], mover[0]
        for j, v in enumerate(mover[1:], 1):  # (elementwise over a few actions: no stacked copy)
            best = np.maximum(best, v)
            taken = np.where(c == j, v, taken)
        check(best - taken, f"the choice at {node.id!r} is not best")
    expected = np.einsum("ob,onb->nb", outcome_probs, payoffs)
    check(np.abs(expected - root_value).max(axis=0), "the root value differs from the outcome distribution's payoffs")
    regret = np.maximum((best_responses(tree, seq, behavior, payoffs, probs) - root_value).max(axis=0), 0.0)
    # A player may take a tied action (up to tol worse) at each of its moves along a path.
    depth = max([len(s) for p in range(tree.n_players) for s in seq.leaf_seq[p]] + [1])
    check(regret / depth, f"a player gains (per move, over up to {depth} moves) from deviating")
    return regret


def _notes(tree, ties, tied, simultaneous) -> tuple[str, ...]:
    notes = []
    if tied.any():
        notes.append(f"a player is indifferent{at_points(int(tied.sum()), len(tied))}: other subgame-perfect "
                     f"equilibria break the tie differently (tie rules: {ties.describe()})")
    for sg in simultaneous:
        where = tree.nodes[sg.root].id
        many = int((sg.count > 1).sum())
        if sg.large is not None:
            notes.append(_large_note(tree, sg))
        elif many:
            notes.append(f"the simultaneous-move subgame at {where!r} has several equilibria"
                         f"{at_points(many, len(tied))}; "
                         f"selection rule: the first in the order {sg.method} lists them (not a tie rule). Each of "
                         "its other equilibria gives another subgame-perfect equilibrium; "
                         "--concept nash lists the Nash equilibria of the whole game")
        unsure = int((sg.incomplete & ~sg.failed).sum()) if sg.large is None else 0
        if unsure and len(sg.players) >= 3:
            notes.append(f"the simultaneous-move subgame at {where!r} has {len(sg.players)} players and its "
                         f"equilibria ({sg.method}) are not guaranteed to be all{at_points(unsure, len(tied))}")
        if sg.failed.any() and sg.large is None:
            notes.append(f"no equilibrium was found in the simultaneous-move subgame at {where!r} at "
                         f"{int(sg.failed.sum())} points; no subgame-perfect equilibrium is reported there")
        elif sg.failed.any():
            notes.append(f"no equilibrium was found in the subgame at {where!r}"
                         f"{at_points(int(sg.failed.sum()), len(tied))}"
                         "; no subgame-perfect equilibrium is reported there")
    return tuple(notes)


def _large_note(tree, sg) -> str:
    """What was done with a subgame too large for its reduced normal form, and what it means."""
    where = tree.nodes[sg.root].id
    if len(sg.players) == 2:
        return (f"the subgame at {where!r} has imperfect information and {sg.large}: it is solved on its sequence "
                f"form ({sg.method}); selection rule: the one equilibrium that method finds, other equilibria of the "
                "subgame (and so other subgame-perfect equilibria) may exist")
    return (f"the subgame at {where!r} has one player who moves and {sg.large}: its best plan is found by backward "
            "induction over that player's information sets")


@dataclass(frozen=True, eq=False)
class SpeTieDescriptions(Mapping):
    """Row -> lines such as ``"US at us_sanction: impose = hold (tie rule chose impose)"``, built on demand."""

    tree: GameTree
    choice: tuple  # (node, (E,) chosen index) pairs
    nodes: tuple  # (node, (E,) tied, (E, k) tied actions, (E,) reach) per backward-induction node
    subgames: tuple  # (SimultaneousSubgame, (E,) tied, (E,) count)

    @property
    def _any(self) -> np.ndarray:
        rows = [t for _, t, _, _ in self.nodes] + [t | (c > 1) for _, t, c in self.subgames]
        return np.logical_or.reduce(rows) if rows else np.zeros(0, dtype=bool)

    def __getitem__(self, e):
        e = int(e)
        anyt = self._any
        if not 0 <= e < len(anyt) or not anyt[e]:
            raise KeyError(e)
        chosen = dict(self.choice)
        lines = []
        for i, t, s, r in self.nodes:
            if t[e]:
                node = self.tree.nodes[i]
                acts = " = ".join(a for a, b in zip(node.actions, s[e]) if b)
                where = "" if r[e] > 0 else ", off the equilibrium path"
                lines.append(f"{self.tree.players[node.player]} at {node.id}: {acts} "
                             f"(tie rule chose {node.actions[chosen[i][e]]}{where})")
        for sg, t, c in self.subgames:
            at = self.tree.nodes[sg.root].id
            if c[e] > 1 and sg.large is None:
                lines.append(f"simultaneous-move subgame at {at}: {int(c[e])} equilibria, the first in "
                             f"{sg.method}'s order was selected (a selection, not a tie rule)")
            elif c[e] > 1:
                lines.append(f"subgame at {at}: several optimal plans, the tie rules chose one")
            elif t[e]:
                lines.append(f"simultaneous-move subgame at {at}: "
                             "a best response left unused is tied with the one played")
        return lines

    def __iter__(self):
        return (int(e) for e in np.flatnonzero(self._any))

    def __len__(self):
        return int(self._any.sum())
