"""Perfect Bayesian equilibria of game trees with chance moves and information sets (concept ``"pbe"``).

A perfect Bayesian equilibrium here is a behaviour profile with a belief at every information set
such that beliefs follow Bayes' rule wherever the play reaches the set with positive probability,
and every information set's mixture is a best response, given the belief there, to the continuation
play (on and off the path) — the *weak* perfect Bayesian equilibrium of Mas-Colell, Whinston and
Green (Def. 9.C.3), which is the textbook perfect Bayesian equilibrium of signalling games.

Method (behaviour strategies, never the reduced normal form):

1. Pruning: an action is dropped at an information set when another action pays strictly more at
   every node of the set whatever is played later (bounds over the remaining actions), repeated
   until nothing changes. Such an action is never a best response to any belief, so nothing is lost.
2. Every *support profile* (a nonempty set of actions at each information set) is tried
   (`pbe_profile.solve_profile`): with the supports fixed, sequential rationality and Bayes' rule
   are polynomial conditions in the mixtures and the off-path beliefs; when they are linear (as in
   every signalling game) the solutions form a polytope and all its vertices are enumerated. A
   vertex whose supports are exactly the profile's is an equilibrium; every extreme point of a
   component of equilibria is such a vertex (a point of the open cell that is not a vertex is the
   midpoint of two nearby equilibria of the same cell).
3. Vertices with the same behaviour are merged: the result lists each behaviour once, with the set
   of off-path beliefs that sustain it (computed separately as a polytope of beliefs, an interval
   for a set of two nodes; `extra["belief_sets"]`) and one consistent choice from it (the centroid of
   its vertices; `extra["beliefs"]`).
4. Every equilibrium is verified independently (`pbe_check.verify_pbe`): Bayes' rule on the path,
   and no mover gains by deviating at any information set given its belief.

`complete` is claimed for 2-player trees when every support profile was linear and fully enumerated
(so every extreme point is listed; a listed point may lie inside a larger component); for more
players it is never claimed. One parameter point at a time: the search depends on the point.
"""

from __future__ import annotations

import itertools
import time
from math import prod

import numpy as np

from ..errors import VerificationError
from ..game.tree import CHANCE, TERMINAL, GameTree
from .pbe_check import (
    bayes_beliefs,
    belief_set_text,
    node_reach,
    node_values,
    sequential_regrets,
    supporting_beliefs,
    tied_actions,
    verify_pbe,
)
from .pbe_profile import PointGame, nonempty_subsets, solve_profile
from .result import Solution, at_points
from .signalling import classify, off_path_tests, signalling_structure
from .subgames import columns
from .tolerance import RTOL, scaled_tol

#: Most support profiles tried at one parameter point.
MAX_PROFILES = 20_000
#: Most seconds spent searching support profiles at one parameter point.
MAX_SECONDS = 30.0


def perfect_bayesian(tree: GameTree, *, rtol: float = RTOL, max_profiles: int = MAX_PROFILES,
                     max_seconds: float = MAX_SECONDS) -> Solution:
    """The verified perfect Bayesian equilibria of `tree` at every batch point, with their beliefs.

    `extra` (lists indexed by row): ``beliefs`` {infoset: {node: prob}} at every information set;
    ``belief_sets`` {off-path infoset: the supporting beliefs in words}; ``off_path`` the infoset ids
    off the path; ``classification``, ``intuitive_criterion``, ``d1`` and ``off_path_reasons`` for
    signalling games (None otherwise, and the two tests None where every message is sent); ``signalling`` the
    game's roles (or None); ``tie_descriptions`` row -> tied unused actions in words.

    Parameters
    ----------
    tree : GameTree
        Any number of players, with chance moves and information sets.
    rtol : float
        Relative tolerance for verification.
    max_profiles : int
        Most support profiles tried per point.
    max_seconds : float
        Wall-clock bound of the search per point.

    Returns
    -------
    Solution
        Concept ``"pbe"``: the verified equilibria in behaviour strategies with their beliefs.

    Examples
    --------
    >>> from negosim.api import open_source
    >>> sol = perfect_bayesian(open_source("scenarios/beer_quiche.yaml").game)
    >>> sorted({c for c in sol.extra["classification"]})
    ['pooling']
    """
    payoffs, probs = columns(tree)
    infosets = tuple(tree.infosets())
    infoset_of = {i: k for k, (_, _, nodes) in enumerate(infosets) for i in nodes}
    sig = signalling_structure(tree, infoset_of)
    B = tree.batch_size
    rows: list[dict] = []
    complete = np.ones(B, dtype=bool)
    degenerate = np.zeros(B, dtype=bool)
    tols = np.zeros(B)
    notes: dict[str, int] = {}
    used = sorted({int(n.outcome) for n in tree.nodes if n.kind == TERMINAL and n.outcome is not None})
    for b in range(B):
        pay = payoffs[:, :, b]
        scale = float(np.ptp(pay[used])) if used else 1.0
        tol = float(scaled_tol(scale, rtol))
        tols[b] = tol
        game = PointGame(tree, infosets, infoset_of, pay, {k: v[:, b] for k, v in probs.items()}, max(scale, 1e-12))
        found, status = _search(game, max_profiles, max_seconds)
        for key, why in status.items():
            notes[key] = notes.get(key, 0) + 1
            complete[b] &= not why
        fallback = not found and bool(status)
        if fallback:
            found = _subgame_perfect_fallback(tree, game, b, tol, rtol)
        if tree.n_players > 2:
            complete[b] = False
        kept, failed = _verified(game, sig, found, tol, b)
        if failed:
            notes["failed verification"] = notes.get("failed verification", 0) + 1
            complete[b] = False
        if not kept and not fallback:
            # Every finite game has one: the search missed it (a mixed probability within the tolerance of
            # zero, at a type almost never drawn, counts as a smaller support whose conditions then fail).
            notes["none found"] = notes.get("none found", 0) + 1
            complete[b] = False
            fallback = True
            kept, _ = _verified(game, sig, _subgame_perfect_fallback(tree, game, b, tol, rtol), tol, b)
        if fallback:
            key = "fallback found" if kept else "fallback failed"
            notes[key] = notes.get(key, 0) + 1
        for row in kept:
            degenerate[b] |= bool(row["ties"])
            rows.append(row)
    return _solution(tree, sig, rows, complete, degenerate, tols, _notes(notes, B, tree))


def _verified(game: PointGame, sig, found: list, tol: float, point: int) -> tuple[list[dict], bool]:
    """The rows of the profiles in `found` that pass verification, and whether any failed.

    The search weighs each information set's conditions by how likely the play reaches it, so at a set
    reached with a probability near zero (a type almost never drawn) a profile can meet them within the
    tolerance and still be wrong given Bayes' belief there; or rounding, magnified by that small
    probability, leaves a true equilibrium just outside the tolerance. Such a profile is not reported.
    """
    rows, failed = [], False
    for behaviour in found:
        try:
            rows.append(_equilibrium(game, sig, behaviour, tol, point))
        except VerificationError:
            failed = True
    return rows, failed


def point_game(tree: GameTree, point: int = 0) -> PointGame:
    """The tree at one flat batch point, as the PBE search and checks see it.

    Parameters
    ----------
    tree : GameTree
        The game tree.
    point : int
        The flat batch point.

    Returns
    -------
    PointGame
        The tree with its information sets, payoffs and chance probabilities at that point.

    Examples
    --------
    >>> from negosim.api import open_source
    >>> game = point_game(open_source("scenarios/beer_quiche.yaml").game)
    >>> [name for _, name, _ in game.infosets]
    ['strong', 'after_beer', 'after_quiche', 'weak']
    """
    payoffs, probs = columns(tree)
    infosets = tuple(tree.infosets())
    infoset_of = {i: k for k, (_, _, nodes) in enumerate(infosets) for i in nodes}
    used = sorted({int(n.outcome) for n in tree.nodes if n.kind == TERMINAL and n.outcome is not None})
    pay = payoffs[:, :, point]
    scale = float(np.ptp(pay[used])) if used else 1.0
    return PointGame(tree, infosets, infoset_of, pay, {k: v[:, point] for k, v in probs.items()}, max(scale, 1e-12))


def _search(game: PointGame, max_profiles: int, max_seconds: float) -> tuple[list, dict]:
    """Distinct equilibrium behaviours at one point, and which limits were hit."""
    allowed = prune(game)
    count = prod(2 ** len(a) - 1 for a in allowed)
    if count > max_profiles:
        return [], {f"too many support profiles ({count} > {max_profiles})": True}
    found: dict = {}
    status = {"nonlinear": False, "cut short": False, f"time budget of {max_seconds:g} s reached": False}
    start = time.monotonic()
    for support in itertools.product(*(nonempty_subsets(a) for a in allowed)):
        if time.monotonic() - start > max_seconds:
            status[f"time budget of {max_seconds:g} s reached"] = True
            break
        result = solve_profile(game, support, tuple(allowed))
        status["nonlinear"] |= not result.linear
        status["cut short"] |= not result.complete
        for behaviour in result.found:
            key = tuple(np.round(np.concatenate(behaviour), 7))
            found.setdefault(key, behaviour)
    return [found[k] for k in sorted(found)], {k: v for k, v in status.items() if v}


def _subgame_perfect_fallback(tree: GameTree, game: PointGame, point: int, tol: float, rtol: float) -> list:
    """The subgame-perfect equilibrium's behaviour at one point when some belief sustains it at every
    off-path information set (then it is a perfect Bayesian equilibrium), else nothing."""
    from ..errors import GameError
    from .spe import subgame_perfect

    try:
        spe = subgame_perfect(tree, rtol=rtol)
    except (GameError, MemoryError):
        return []
    rows = spe.rows_at(point)
    if len(rows) == 0 or spe.behavior is None:
        return []
    behaviour = [np.asarray(b[rows[0]], dtype=float) for b in spe.behavior]
    reach = node_reach(game, behaviour)
    beliefs = bayes_beliefs(game, reach)
    for k, (_, _, nodes) in enumerate(game.infosets):
        if k not in beliefs:
            corners = supporting_beliefs(game, behaviour, k, tol) if len(nodes) > 1 else np.ones((1, 1))
            if not len(corners):
                return []
            beliefs[k] = corners.mean(axis=0)
    if sequential_regrets(game, behaviour, beliefs).max(initial=0.0) > tol:
        return []
    return [behaviour]


def prune(game: PointGame) -> list[tuple[int, ...]]:
    """Per information set, the actions that are a best response to some belief and continuation:
    an action is dropped when another pays strictly more at every node of the set whatever follows.

    Parameters
    ----------
    game : PointGame
        The tree at one point (`point_game`).

    Returns
    -------
    list of tuple of int
        Per information set position, the actions kept.

    Examples
    --------
    In beer-quiche no action is dominated:

    >>> from negosim.api import open_source
    >>> prune(point_game(open_source("scenarios/beer_quiche.yaml").game))
    [(0, 1), (0, 1), (0, 1), (0, 1)]
    """
    tree = game.tree
    allowed = [tuple(range(len(tree.nodes[nodes[0]].children))) for _, _, nodes in game.infosets]
    tol = 1e-9 * game.scale
    changed = True
    while changed:
        changed = False
        lo, hi = _bounds(game, allowed)
        for k, (player, _, nodes) in enumerate(game.infosets):
            keep = []
            for a in allowed[k]:
                beaten = any(all(lo[tree.nodes[x].children[c], player] > hi[tree.nodes[x].children[a], player] + tol
                                 for x in nodes) for c in allowed[k] if c != a)
                if not beaten:
                    keep.append(a)
            if len(keep) < len(allowed[k]):
                allowed[k] = tuple(keep)
                changed = True
    return allowed


def _bounds(game: PointGame, allowed: list) -> tuple[np.ndarray, np.ndarray]:
    """Lowest and highest continuation payoff of each player from each node over the allowed actions."""
    tree = game.tree
    lo = np.zeros((len(tree.nodes), tree.n_players))
    hi = np.zeros_like(lo)
    for i in reversed(tree.preorder()):
        node = tree.nodes[i]
        if node.kind == TERMINAL:
            lo[i] = hi[i] = game.payoffs[node.outcome]
        elif node.kind == CHANCE:
            lo[i] = sum(p * lo[c] for p, c in zip(game.chance[i], node.children))
            hi[i] = sum(p * hi[c] for p, c in zip(game.chance[i], node.children))
        else:
            kids = [node.children[a] for a in allowed[game.infoset_of[i]]]
            lo[i] = lo[kids].min(axis=0)
            hi[i] = hi[kids].max(axis=0)
    return lo, hi


def _equilibrium(game: PointGame, sig, behaviour: list, tol: float, point: int) -> dict:
    """Beliefs everywhere, verification, ties and (for signalling games) kind and off-path tests of one profile."""
    tree = game.tree
    reach = node_reach(game, behaviour)
    beliefs = bayes_beliefs(game, reach)
    belief_sets = {}
    for k, (_, infoset, nodes) in enumerate(game.infosets):
        if k in beliefs:
            continue
        if len(nodes) == 1:
            beliefs[k] = np.ones(1)
            continue
        corners = supporting_beliefs(game, behaviour, k, tol)
        beliefs[k] = corners.mean(axis=0)
        belief_sets[infoset] = belief_set_text(game, k, corners)
    regret = verify_pbe(game, behaviour, beliefs, tol)
    ties = []
    for k, acts in tied_actions(game, behaviour, beliefs, tol).items():
        player, infoset, nodes = game.infosets[k]
        names = tree.nodes[nodes[0]].actions
        played = [names[a] for a in np.flatnonzero(behaviour[k] > 0)]
        where = "" if reach[list(nodes)].sum() > 0 else ", off the equilibrium path"
        ties.append(f"{tree.players[player]} at {infoset}: {' = '.join(played + [names[a] for a in acts])} "
                    f"(plays {' + '.join(played)}{where})")
    kind = test = None
    if sig is not None:
        kind = classify(sig, behaviour)
        test = off_path_tests(game, sig, behaviour, tol)  # any kind can leave a message unused
    outcome_probs = np.zeros(len(tree.outcomes))
    for i, node in enumerate(tree.nodes):
        if node.kind == TERMINAL:
            outcome_probs[node.outcome] += reach[i]
    return {
        "point": point, "behaviour": behaviour, "payoffs": node_values(game, behaviour)[tree.root],
        "regret": regret, "ties": ties, "outcome_probs": outcome_probs,
        "beliefs": {game.infosets[k][1]: {tree.nodes[x].id: float(mu[t]) for t, x in enumerate(game.infosets[k][2])}
                    for k, mu in sorted(beliefs.items())},
        "belief_sets": belief_sets,
        "off_path": [s for k, (_, s, nodes) in enumerate(game.infosets) if reach[list(nodes)].sum() == 0],
        "classification": kind,
        "intuitive_criterion": None if test is None else test.intuitive,
        "d1": None if test is None else test.d1,
        "off_path_reasons": [] if test is None else list(test.reasons),
    }


def _solution(tree: GameTree, sig, rows: list, complete, degenerate, tols, notes) -> Solution:
    shape = tree.batch_shape
    widths = [len(tree.nodes[nodes[0]].actions) for _, _, nodes in tree.infosets()]
    behaviour = tuple(np.array([r["behaviour"][k] for r in rows]).reshape(len(rows), w) for k, w in enumerate(widths))
    per_row = ("beliefs", "belief_sets", "off_path", "classification", "intuitive_criterion", "d1",
               "off_path_reasons")
    extra: dict = {name: [r[name] for r in rows] for name in per_row}
    extra["signalling"] = sig
    extra["tie_descriptions"] = {e: r["ties"] for e, r in enumerate(rows) if r["ties"]}
    return Solution(
        concept="pbe", method="support enumeration on behaviour strategies with beliefs", game=tree,
        batch_shape=shape, point=np.array([r["point"] for r in rows], dtype=np.intp).reshape(-1),
        payoffs=np.array([r["payoffs"] for r in rows]).reshape(len(rows), tree.n_players),
        regret=np.array([r["regret"] for r in rows]).reshape(-1),
        tied=np.array([bool(r["ties"]) for r in rows], dtype=bool).reshape(-1),
        complete=complete.reshape(shape), degenerate=degenerate.reshape(shape), tol=tols.reshape(shape),
        behavior=behaviour,
        outcome_probs=np.array([r["outcome_probs"] for r in rows]).reshape(len(rows), len(tree.outcomes)),
        notes=notes, extra=extra,
    )


def _notes(counts: dict, total: int, tree: GameTree) -> tuple[str, ...]:
    out = []
    for key, n in counts.items():
        where = at_points(n, total)
        if key == "nonlinear":
            out.append(f"some support profiles give conditions that are not linear (a player mixing at two "
                       f"information sets along one play){where}; their equilibria were not searched, "
                       "so others may exist")
        elif key == "cut short":
            out.append(f"a vertex enumeration was cut short{where}; other equilibria may exist")
        elif key == "fallback found":
            out.append(f"the search was incomplete{where}, so the subgame-perfect equilibrium, which some "
                       "beliefs sustain, is reported there as a perfect Bayesian equilibrium")
        elif key == "fallback failed":
            out.append(f"the search found nothing{where}, and the subgame-perfect equilibrium is not sequentially "
                       "rational for any belief there (or could not be computed): no perfect Bayesian equilibrium "
                       "is reported there")
        elif key == "none found":
            out.append(f"the search over support profiles found no equilibrium{where}, where one exists (a "
                       "probability within the tolerance of zero, such as a type almost never drawn, reads as "
                       "zero there)")
        elif key == "failed verification":
            out.append(f"a profile the search found failed verification{where} (an information set the play "
                       "reaches with a probability near zero, where the search's conditions cannot tell the best "
                       "reply within the tolerance); it is not reported, and other equilibria may exist there")
        elif key.startswith("time budget"):
            out.append(f"the {key}{where}; other equilibria may exist")
        else:
            out.append(f"the search over support profiles was skipped{where}: {key}")
    if tree.n_players > 2:
        out.append(f"{tree.n_players} players: the equilibria found are not guaranteed to be all")
    return tuple(out)


__all__ = ["MAX_PROFILES", "perfect_bayesian", "point_game", "prune"]
