"""The perfect Bayesian equilibria of a game tree with one support profile, at one parameter point.

A *support profile* names, at every information set, the actions played with positive probability.
It fixes which nodes the play reaches, hence which information sets are off the path. The unknowns
are the probabilities of the supported actions at information sets that mix, and the belief at each
off-path information set of several nodes. Sequential rationality at an information set ``h`` of
player ``i`` says: the supported actions are equally good and no other action is better, where an
action's value is ``sum over x in h of w(x) * (i's continuation payoff after x and the action)``.
On the path ``w(x)`` is the probability of reaching ``x`` leaving out ``i``'s own moves (the same
for every node of ``h`` by perfect recall, so Bayes' rule holds after dividing by the total); off
the path it is the belief. These conditions are polynomials in the unknowns; when they are all of
degree at most one (the case of signalling games: a sender's payoffs are linear in the receiver's
mixtures, a receiver's in the sender's and in its own off-path beliefs) the solutions form a polytope,
whose vertices are enumerated exactly. A profile whose conditions are not linear is reported as
such (its equilibria are not searched), so that the caller can say the answer may be incomplete.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

from ..game.tree import CHANCE, DECISION, TERMINAL, GameTree
from .pbe_polytope import vertices

Poly = dict  # monomial (sorted tuple of variable ids) -> coefficient

ONE: Poly = {(): 1.0}


def _add(p: Poly, q: Poly, scale: float = 1.0) -> Poly:
    out = dict(p)
    for m, c in q.items():
        out[m] = out.get(m, 0.0) + scale * c
    return out


def _mul(p: Poly, q: Poly) -> Poly:
    out: Poly = {}
    for m1, c1 in p.items():
        for m2, c2 in q.items():
            m = tuple(sorted(m1 + m2))
            out[m] = out.get(m, 0.0) + c1 * c2
    return out


def _degree(p: Poly) -> int:
    return max((len(m) for m, c in p.items() if c != 0.0), default=0)


@dataclass(frozen=True)
class PointGame:
    """A tree at one parameter point: leaf payoffs ``(n_outcomes, n_players)`` and chance probabilities."""

    tree: GameTree
    infosets: tuple  # tree.infosets()
    infoset_of: dict  # decision node -> infoset position
    payoffs: np.ndarray
    chance: dict  # chance node -> (n_children,) probabilities
    scale: float  # payoff range, for tolerances


@dataclass(frozen=True)
class ProfileSolutions:
    """Equilibria with exactly the given supports: behaviour (per infoset) and off-path beliefs (per infoset)."""

    found: list  # behaviour profiles: lists of (n_actions,) arrays, one per information set
    linear: bool  # False: the conditions were polynomial of degree > 1 and were not solved
    complete: bool  # the vertex enumeration was not cut short


def reached_nodes(game: PointGame, support: tuple) -> np.ndarray:
    """Which nodes the play reaches with positive probability under a support profile."""
    tree = game.tree
    reached = np.zeros(len(tree.nodes), dtype=bool)
    reached[tree.root] = True
    for i in tree.preorder():
        node = tree.nodes[i]
        if not reached[i] or node.kind == TERMINAL:
            continue
        for a, c in enumerate(node.children):
            if node.kind == CHANCE:
                reached[c] = game.chance[i][a] > 0
            else:
                reached[c] = a in support[game.infoset_of[i]]
    return reached


def solve_profile(game: PointGame, support: tuple, allowed: tuple | None = None, *,
                  tol: float = 1e-9) -> ProfileSolutions:
    """Every equilibrium (vertex of the solution polytope) whose supports are exactly `support`.

    `allowed` lists, per information set, the actions not pruned as beaten at every node whatever
    follows (`pbe.prune`); the others need no condition. An off-path information set whose actions'
    continuations are fixed numbers under the profile is checked on its own (is there a belief that
    makes its supported actions best?), so its belief adds no dimension to the joint polytope.
    """
    tree = game.tree
    var: dict = {}  # ("b", k, a) -> variable id
    if allowed is None:
        allowed = tuple(tuple(range(len(tree.nodes[nodes[0]].children))) for _, _, nodes in game.infosets)

    def prob(k: int, a: int) -> Poly:
        s = support[k]
        if a not in s:
            return {}
        if len(s) == 1:
            return ONE
        return {(var.setdefault(("b", k, a), len(var)),): 1.0}

    reached = reached_nodes(game, support)
    on_path = [bool(reached[list(nodes)].any()) for _, _, nodes in game.infosets]
    for k in range(len(game.infosets)):
        for a in support[k]:
            prob(k, a)
    cont = _continuations(game, prob)
    reach = _reach_without_mover(game, prob)
    eq_rows: list = []
    ineq_rows: list = []
    for k, (player, _, nodes) in enumerate(game.infosets):
        if len(allowed[k]) == 1:
            continue  # one action survives pruning: it is a best response to every belief
        first = support[k][0]
        kids = [[{m: c[player] for m, c in cont[tree.nodes[x].children[a]].items()} for a in allowed[k]]
                for x in nodes]
        if not on_path[k] and len(nodes) > 1:
            if any(_degree(p) > 0 for row in kids for p in row):
                return ProfileSolutions([], False, True)  # belief times unknown continuation: not linear
            table = np.array([[p.get((), 0.0) for p in row] for row in kids]) / game.scale
            if not _some_belief_supports(table, [allowed[k].index(a) for a in support[k]], tol):
                return ProfileSolutions([], True, True)
            continue
        weights = [reach[player][x] for x in nodes] if on_path[k] else [ONE]
        reached_by: Poly = {}
        for w in weights:
            reached_by = _add(reached_by, w)
        if on_path[k] and _degree(reached_by) == 0 and reached_by.get((), 0.0) > 0:
            # A reach that does not depend on the unknowns: divide it out, so that the conditions compare
            # payoffs given Bayes' belief and the tolerance means the same at a set reached rarely (an
            # unlikely type) as at one reached often; the solutions are the same.
            weights = [{m: c / reached_by[()] for m, c in w.items()} for w in weights]
        value = []
        for j in range(len(allowed[k])):
            v: Poly = {}
            for w, row in zip(weights, kids):
                v = _add(v, _mul(w, row[j]))
            value.append(v)
        base = value[allowed[k].index(first)]
        for j, a in enumerate(allowed[k]):
            if a != first:
                (eq_rows if a in support[k] else ineq_rows).append(_add(value[j], base, -1.0))
    if any(_degree(p) > 1 for p in eq_rows + ineq_rows):
        if _constants_fail(eq_rows, ineq_rows, game.scale * tol):
            return ProfileSolutions([], True, True)
        return ProfileSolutions([], False, True)
    n = len(var)
    a_eq, b_eq, g, h = [], [], [], []

    def linear(p: Poly, scale: float):
        row = np.zeros(n)
        for m, c in p.items():
            if m:
                row[m[0]] += c / scale
        return row, -p.get((), 0.0) / scale

    for p in eq_rows:
        row, rhs = linear(p, game.scale)
        if np.abs(row).max(initial=0.0) <= 1e-12:
            if abs(rhs) > tol:
                return ProfileSolutions([], True, True)
            continue
        a_eq.append(row)
        b_eq.append(rhs)
    for p in ineq_rows:
        row, rhs = linear(p, game.scale)
        g.append(row)
        h.append(rhs)
    groups: dict = {}
    for key, vid in var.items():
        groups.setdefault(key[:2], []).append(vid)
        nonneg = np.zeros(n)
        nonneg[vid] = -1.0
        g.append(nonneg)
        h.append(0.0)
    for ids in groups.values():
        total = np.zeros(n)
        total[ids] = 1.0
        a_eq.append(total)
        b_eq.append(1.0)
    if n == 0:
        ok = all(r >= -tol for r in h)  # no unknowns: every condition is a constant 0 <= h
        points = np.zeros((1 if ok else 0, 0))
        complete = True
    else:
        vs = vertices(np.array(a_eq).reshape(-1, n), np.array(b_eq), np.array(g).reshape(-1, n), np.array(h), tol=tol)
        points, complete = vs.points, vs.complete
    found = []
    for x in points:
        behaviour = []
        for k, (_, _, nodes) in enumerate(game.infosets):
            b = np.zeros(len(tree.nodes[nodes[0]].children))
            for a in support[k]:
                b[a] = x[var[("b", k, a)]] if len(support[k]) > 1 else 1.0
            behaviour.append(b)
        if any(min(behaviour[k][list(support[k])]) <= 10 * tol for k in range(len(support))):
            continue  # a smaller support: found with that support profile
        for b in behaviour:
            np.clip(b, 0.0, None, out=b)
            b /= b.sum()
        found.append(behaviour)
    return ProfileSolutions(found, True, complete)


def _some_belief_supports(table: np.ndarray, used: list, tol: float) -> bool:
    """Whether some belief over the rows of `table` (node x action payoffs) makes the `used` columns best."""
    n = table.shape[0]
    first = used[0]
    a_eq = [np.ones(n)] + [table[:, a] - table[:, first] for a in used[1:]]
    b_eq = [1.0] + [0.0] * (len(used) - 1)
    g = [-np.eye(n)[t] for t in range(n)]
    g += [table[:, a] - table[:, first] for a in range(table.shape[1]) if a not in used]
    pts = vertices(np.array(a_eq), np.array(b_eq), np.array(g).reshape(-1, n), np.zeros(len(g)), tol=tol)
    return len(pts.points) > 0


def _constants_fail(eq_rows: list, ineq_rows: list, tol: float) -> bool:
    """True when a condition without unknowns already fails (so the profile has no equilibrium)."""
    for p in eq_rows:
        if _degree(p) == 0 and abs(p.get((), 0.0)) > tol:
            return True
    return any(_degree(p) == 0 and p.get((), 0.0) > tol for p in ineq_rows)


def _continuations(game: PointGame, prob) -> list:
    """Per node: each player's continuation payoff from that node on, as polynomials with vector coefficients."""
    tree = game.tree
    cont: list = [None] * len(tree.nodes)
    for i in reversed(tree.preorder()):
        node = tree.nodes[i]
        if node.kind == TERMINAL:
            cont[i] = {(): game.payoffs[node.outcome].astype(float)}
            continue
        total: dict = {}
        for a, c in enumerate(node.children):
            w = {(): float(game.chance[i][a])} if node.kind == CHANCE else prob(game.infoset_of[i], a)
            for m1, c1 in w.items():
                if c1 == 0.0:
                    continue
                for m2, c2 in cont[c].items():
                    m = tuple(sorted(m1 + m2))
                    total[m] = total.get(m, 0.0) + c1 * c2
        cont[i] = total if total else {(): np.zeros(tree.n_players)}
    return cont


def _reach_without_mover(game: PointGame, prob) -> list:
    """Per player, per node: the probability of reaching the node counting chance and the others' moves only."""
    tree = game.tree
    out = []
    for player in range(tree.n_players):
        reach: list = [None] * len(tree.nodes)
        reach[tree.root] = ONE
        for i in tree.preorder():
            node = tree.nodes[i]
            for a, c in enumerate(node.children):
                if node.kind == CHANCE:
                    reach[c] = {m: v * float(game.chance[i][a]) for m, v in reach[i].items()}
                elif node.kind == DECISION and node.player != player:
                    reach[c] = _mul(reach[i], prob(game.infoset_of[i], a))
                else:
                    reach[c] = reach[i]
        out.append(reach)
    return out


def nonempty_subsets(actions: tuple) -> list:
    """Every nonempty subset of `actions`, smallest first."""
    return [s for r in range(1, len(actions) + 1) for s in combinations(actions, r)]
