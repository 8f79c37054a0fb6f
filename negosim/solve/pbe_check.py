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
    """Expected payoffs ``(n_nodes, n_players)`` of the play from each node on.

    Parameters
    ----------
    game : PointGame
        The tree at one point (`pbe.point_game`).
    behaviour : list of numpy.ndarray
        The mixture at each information set, by position.

    Returns
    -------
    numpy.ndarray
        ``(n_nodes, n_players)``.

    Examples
    --------
    Beer-quiche: both types order quiche, the receiver does not duel after quiche and mixes after beer.

    >>> from negosim.api import open_source
    >>> from negosim.solve.pbe import point_game
    >>> game = point_game(open_source("scenarios/beer_quiche.yaml").game)
    >>> behaviour = [np.array([0.0, 1.0]), np.array([0.5, 0.5]), np.array([0.0, 1.0]), np.array([0.0, 1.0])]
    >>> node_values(game, behaviour)[game.tree.root].round(3).tolist()
    [2.1, 0.9]
    """
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
    """Probability that the play reaches each node.

    Parameters
    ----------
    game : PointGame
        The tree at one point (`pbe.point_game`).
    behaviour : list of numpy.ndarray
        The mixture at each information set, by position.

    Returns
    -------
    numpy.ndarray
        ``(n_nodes,)``.

    Examples
    --------
    Beer-quiche: both types order quiche, the receiver does not duel after quiche and mixes after beer.

    >>> from negosim.api import open_source
    >>> from negosim.solve.pbe import point_game
    >>> game = point_game(open_source("scenarios/beer_quiche.yaml").game)
    >>> behaviour = [np.array([0.0, 1.0]), np.array([0.5, 0.5]), np.array([0.0, 1.0]), np.array([0.0, 1.0])]
    >>> node_reach(game, behaviour)[[1, 8]].round(3).tolist()  # the strong and the weak type
    [0.9, 0.1]
    """
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
    """The mover's expected payoff of each action at information set `k` given a belief over its nodes.

    Parameters
    ----------
    game : PointGame
        The tree at one point (`pbe.point_game`).
    values : numpy.ndarray
        Expected payoffs from each node on (`node_values`).
    k : int
        The information set's position.
    belief : numpy.ndarray
        A probability over its nodes.

    Returns
    -------
    numpy.ndarray
        One value per action.

    Examples
    --------
    Beer-quiche: both types order quiche, the receiver does not duel after quiche and mixes after beer.

    >>> from negosim.api import open_source
    >>> from negosim.solve.pbe import point_game
    >>> game = point_game(open_source("scenarios/beer_quiche.yaml").game)
    >>> behaviour = [np.array([0.0, 1.0]), np.array([0.5, 0.5]), np.array([0.0, 1.0]), np.array([0.0, 1.0])]
    >>> action_values(game, node_values(game, behaviour), 1, np.array([0.5, 0.5])).tolist()
    [0.5, 0.5]
    """
    player, _, nodes = game.infosets[k]
    kids = np.array([[values[c, player] for c in game.tree.nodes[x].children] for x in nodes])
    return np.asarray(belief) @ kids


def bayes_beliefs(game: PointGame, reach: np.ndarray) -> dict:
    """Infoset position -> belief by Bayes' rule, for the information sets the play reaches.

    Parameters
    ----------
    game : PointGame
        The tree at one point (`pbe.point_game`).
    reach : numpy.ndarray
        The probability of reaching each node (`node_reach`).

    Returns
    -------
    dict of int to numpy.ndarray
        A belief over the nodes of each information set reached.

    Examples
    --------
    Beer-quiche: both types order quiche, the receiver does not duel after quiche and mixes after beer.

    >>> from negosim.api import open_source
    >>> from negosim.solve.pbe import point_game
    >>> game = point_game(open_source("scenarios/beer_quiche.yaml").game)
    >>> behaviour = [np.array([0.0, 1.0]), np.array([0.5, 0.5]), np.array([0.0, 1.0]), np.array([0.0, 1.0])]
    >>> {k: v.round(3).tolist() for k, v in bayes_beliefs(game, node_reach(game, behaviour)).items()}
    {0: [1.0], 2: [0.9, 0.1], 3: [1.0]}
    """
    out = {}
    for k, (_, _, nodes) in enumerate(game.infosets):
        r = reach[list(nodes)]
        if r.sum() > 0:
            out[k] = r / r.sum()
    return out


def sequential_regrets(game: PointGame, behaviour: list, beliefs: dict) -> np.ndarray:
    """Per information set: how much the mover would gain, given its belief, by its best action over its mixture.

    Parameters
    ----------
    game : PointGame
        The tree at one point (`pbe.point_game`).
    behaviour : list of numpy.ndarray
        The mixture at each information set, by position.
    beliefs : dict of int to numpy.ndarray
        A belief at every information set.

    Returns
    -------
    numpy.ndarray
        One gain per information set.

    Examples
    --------
    Beer-quiche: both types order quiche, the receiver does not duel after quiche and mixes after beer.

    >>> from negosim.api import open_source
    >>> from negosim.solve.pbe import point_game
    >>> game = point_game(open_source("scenarios/beer_quiche.yaml").game)
    >>> behaviour = [np.array([0.0, 1.0]), np.array([0.5, 0.5]), np.array([0.0, 1.0]), np.array([0.0, 1.0])]
    >>> beliefs = {0: np.array([1.0]), 1: np.array([0.5, 0.5]), 2: np.array([0.9, 0.1]), 3: np.array([1.0])}
    >>> bool(sequential_regrets(game, behaviour, beliefs).max() < 1e-12)
    True
    """
    values = node_values(game, behaviour)
    gaps = np.zeros(len(game.infosets))
    for k in range(len(game.infosets)):
        v = action_values(game, values, k, beliefs[k])
        gaps[k] = v.max() - v @ behaviour[k]
    return gaps


def verify_pbe(game: PointGame, behaviour: list, beliefs: dict, tol: float) -> float:
    """Raise `VerificationError` unless the beliefs follow Bayes' rule on the path and every choice is
    a best response given them; return the largest gain from deviating at an information set.

    Parameters
    ----------
    game : PointGame
        The tree at one point (`pbe.point_game`).
    behaviour : list of numpy.ndarray
        The mixture at each information set, by position.
    beliefs : dict of int to numpy.ndarray
        A belief at every information set.
    tol : float
        Largest gain and largest departure from Bayes' rule accepted.

    Returns
    -------
    float
        The largest gain from deviating.

    Examples
    --------
    Beer-quiche: both types order quiche, the receiver does not duel after quiche and mixes after beer.

    >>> from negosim.api import open_source
    >>> from negosim.solve.pbe import point_game
    >>> game = point_game(open_source("scenarios/beer_quiche.yaml").game)
    >>> behaviour = [np.array([0.0, 1.0]), np.array([0.5, 0.5]), np.array([0.0, 1.0]), np.array([0.0, 1.0])]
    >>> beliefs = {0: np.array([1.0]), 1: np.array([0.5, 0.5]), 2: np.array([0.9, 0.1]), 3: np.array([1.0])}
    >>> verify_pbe(game, behaviour, beliefs, 1e-9) < 1e-12
    True
    """
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
    """Infoset position -> unused actions whose value is within `tol` of the best, where there are any.

    Parameters
    ----------
    game : PointGame
        The tree at one point (`pbe.point_game`).
    behaviour : list of numpy.ndarray
        The mixture at each information set, by position.
    beliefs : dict of int to numpy.ndarray
        A belief at every information set.
    tol : float
        How near the best an action's value is a tie.

    Returns
    -------
    dict of int to list of int
        The tied unused actions per information set.

    Examples
    --------
    Beer-quiche: both types order quiche, the receiver does not duel after quiche and mixes after beer.

    >>> from negosim.api import open_source
    >>> from negosim.solve.pbe import point_game
    >>> game = point_game(open_source("scenarios/beer_quiche.yaml").game)
    >>> behaviour = [np.array([0.0, 1.0]), np.array([0.5, 0.5]), np.array([0.0, 1.0]), np.array([0.0, 1.0])]
    >>> beliefs = {0: np.array([1.0]), 1: np.array([0.5, 0.5]), 2: np.array([0.9, 0.1]), 3: np.array([1.0])}
    >>> tied_actions(game, behaviour, beliefs, 1e-9)  # the strong type would do as well with beer
    {0: [0]}
    """
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

    Parameters
    ----------
    game : PointGame
        The tree at one point (`pbe.point_game`).
    behaviour : list of numpy.ndarray
        The mixture at each information set, by position.
    k : int
        The information set's position.
    tol : float
        Tolerance of the best-response conditions.
    zero : tuple of int
        Nodes of the set held at belief 0.

    Returns
    -------
    numpy.ndarray
        The vertices, one belief per row.

    Examples
    --------
    Beer-quiche: both types order quiche, the receiver does not duel after quiche and mixes after beer.

    >>> from negosim.api import open_source
    >>> from negosim.solve.pbe import point_game
    >>> game = point_game(open_source("scenarios/beer_quiche.yaml").game)
    >>> behaviour = [np.array([0.0, 1.0]), np.array([0.5, 0.5]), np.array([0.0, 1.0]), np.array([0.0, 1.0])]
    >>> supporting_beliefs(game, behaviour, 1, 1e-9).round(6).tolist()  # after beer, off the path
    [[0.5, 0.5]]
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
    """'P(strong_quiche) in [0, 1/2]' for two nodes, 'any belief' for the whole simplex, else its vertices.

    Parameters
    ----------
    game : PointGame
        The tree at one point (`pbe.point_game`).
    k : int
        The information set's position.
    points : numpy.ndarray
        The vertices of the belief set (`supporting_beliefs`).

    Returns
    -------
    str
        The set in words.

    Examples
    --------
    Beer-quiche: both types order quiche, the receiver does not duel after quiche and mixes after beer.

    >>> from negosim.api import open_source
    >>> from negosim.solve.pbe import point_game
    >>> game = point_game(open_source("scenarios/beer_quiche.yaml").game)
    >>> behaviour = [np.array([0.0, 1.0]), np.array([0.5, 0.5]), np.array([0.0, 1.0]), np.array([0.0, 1.0])]
    >>> belief_set_text(game, 1, supporting_beliefs(game, behaviour, 1, 1e-9))
    'P(strong_beer) = 1/2'
    """
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
