"""Numbers of a behaviour profile at one point, computed directly (not from the solver's polynomials):
node values, reach probabilities, Bayes beliefs, action values at an information set given a belief,
the independent sequential-rationality check, and the set of off-path beliefs that sustain a profile.
"""

from __future__ import annotations

import numpy as np

from ..errors import VerificationError
from ..game.tree import CHANCE, TERMINAL
from .pbe_polytope import vertices
from .pbe_profile import PointGame


def node_values(game: PointGame, behaviour: list) -> np.ndarray:
    """Expected payoffs ``(n_nodes, n_players)`` of the play from each node on."""
    tree = game.tree
    values = np.zeros((len(tree.nodes), tree.n_players))
    for i in reversed(tree.preorder()):
        node = tree.nodes[i]
        if node.kind == TERMINAL:
            values[i] = game.payoffs[node.outcome]
        else:
            w = game.chance[i] if node.kind == CHANCE else behaviour[game.infoset_of[i]]
            values[i] = sum(p * values[c] for p, c in zip(w, node.children))
    return values


def node_reach(game: PointGame, behaviour: list) -> np.ndarray:
    """Probability that the play reaches each node."""
    tree = game.tree
    reach = np.zeros(len(tree.nodes))
    reach[tree.root] = 1.0
    for i in tree.preorder():
        node = tree.nodes[i]
        if node.kind == TERMINAL:
            continue
        w = game.chance[i] if node.kind == CHANCE else behaviour[game.infoset_of[i]]
        for p, c in zip(w, node.children):
            reach[c] = reach[i] * p
    return reach


def action_values(game: PointGame, values: np.ndarray, k: int, belief: np.ndarray) -> np.ndarray:
    """The mover's expected payoff of each action at information set `k` given a belief over its nodes."""
    player, _, nodes = game.infosets[k]
    kids = np.array([[values[c, player] for c in game.tree.nodes[x].children] for x in nodes])
    return np.asarray(belief) @ kids


def bayes_beliefs(game: PointGame, reach: np.ndarray) -> dict:
    """Infoset position -> belief by Bayes' rule, for the information sets the play reaches."""
    out = {}
    for k, (_, _, nodes) in enumerate(game.infosets):
        r = reach[list(nodes)]
        if r.sum() > 0:
            out[k] = r / r.sum()
    return out


def sequential_regrets(game: PointGame, behaviour: list, beliefs: dict) -> np.ndarray:
    """Per information set: how much the mover would gain, given its belief, by its best action over its mixture."""
    values = node_values(game, behaviour)
    gaps = np.zeros(len(game.infosets))
    for k in range(len(game.infosets)):
        v = action_values(game, values, k, beliefs[k])
        gaps[k] = v.max() - v @ behaviour[k]
    return gaps


def verify_pbe(game: PointGame, behaviour: list, beliefs: dict, tol: float) -> float:
    """Raise `VerificationError` unless the beliefs follow Bayes' rule on the path and every choice is
    a best response given them; return the largest gain from deviating at an information set."""
    reach = node_reach(game, behaviour)
    for k, mu in bayes_beliefs(game, reach).items():
        if np.max(np.abs(mu - beliefs[k])) > 1e-6:
            raise VerificationError(f"pbe: the belief at {game.infosets[k][1]!r} violates Bayes' rule "
                                    f"({np.round(beliefs[k], 6)} instead of {np.round(mu, 6)})")
    for k, mu in beliefs.items():
        if np.any(mu < -1e-9) or abs(mu.sum() - 1) > 1e-9:
            raise VerificationError(f"pbe: the belief at {game.infosets[k][1]!r} is not a probability distribution")
    gaps = sequential_regrets(game, behaviour, beliefs)
    for k, gap in enumerate(gaps):
        if gap > tol:
            raise VerificationError(f"pbe: at {game.infosets[k][1]!r} the mover gains {gap:.3g} by deviating "
                                    f"given its belief (tol {tol:.3g})")
    return float(gaps.max(initial=0.0))


def tied_actions(game: PointGame, behaviour: list, beliefs: dict, tol: float) -> dict:
    """Infoset position -> unused actions whose value is within `tol` of the best, where there are any."""
    values = node_values(game, behaviour)
    out = {}
    for k in range(len(game.infosets)):
        v = action_values(game, values, k, beliefs[k])
        unused = [a for a in range(len(v)) if behaviour[k][a] == 0 and v[a] >= v.max() - tol]
        if unused:
            out[k] = unused
    return out


def supporting_beliefs(game: PointGame, behaviour: list, k: int, tol: float, zero: tuple = ()) -> np.ndarray:
    """The vertices of the set of beliefs at information set `k` under which its mixture is a best response.

    The set is a polytope: the supported actions pay the same, no other action pays more (linear in
    the belief). For two nodes it is an interval of the first node's probability. Nodes listed in
    `zero` (positions in the set) get belief 0.
    """
    values = node_values(game, behaviour)
    player, _, nodes = game.infosets[k]
    kids = np.array([[values[c, player] for c in game.tree.nodes[x].children] for x in nodes]) / game.scale
    used = np.flatnonzero(behaviour[k] > 0)
    first = used[0]
    n = len(nodes)
    a_eq = [np.ones(n)] + [kids[:, a] - kids[:, first] for a in used[1:]]
    a_eq += [np.eye(n)[t] for t in zero]
    b_eq = [1.0] + [0.0] * (len(used) - 1 + len(zero))
    g = [-np.eye(n)[t] for t in range(n)] + [kids[:, a] - kids[:, first] for a in range(kids.shape[1]) if a not in used]
    h = [0.0] * len(g)
    vs = vertices(np.array(a_eq), np.array(b_eq), np.array(g).reshape(-1, n), np.array(h), tol=max(tol, 1e-9))
    return vs.points


def belief_set_text(game: PointGame, k: int, points: np.ndarray) -> str:
    """'P(strong_quiche) in [0, 1/2]' for two nodes, 'any belief' for the whole simplex, else its vertices."""
    from fractions import Fraction

    def fmt(x: float) -> str:
        f = Fraction(float(x)).limit_denominator(1000)
        return str(f) if abs(float(f) - x) < 1e-9 else f"{x:.4g}"

    nodes = [game.tree.nodes[i].id for i in game.infosets[k][2]]
    corners = {tuple(np.round(pt, 9)) for pt in points}
    if len(nodes) > 2 and corners == {tuple(float(x) for x in np.eye(len(nodes))[t]) for t in range(len(nodes))}:
        return "any belief"
    if len(nodes) == 2 and len(points):
        lo, hi = float(points[:, 0].min()), float(points[:, 0].max())
        span = fmt(lo) if hi - lo < 1e-9 else f"[{fmt(lo)}, {fmt(hi)}]"
        return f"P({nodes[0]}) {'=' if hi - lo < 1e-9 else 'in'} {span}"
    listed = "; ".join("(" + ", ".join(f"{n} {fmt(p)}" for n, p in zip(nodes, pt)) + ")" for pt in points)
    return f"the beliefs spanned by {listed}"


__all__ = ["action_values", "bayes_beliefs", "belief_set_text", "node_reach", "node_values",
           "sequential_regrets", "supporting_beliefs", "tied_actions", "verify_pbe"]
