"""Signalling games: recognising one, naming an equilibrium's kind, and the Intuitive Criterion and D1.

A tree is a signalling game when chance moves first (the *types*), each type is a decision node of
the same player (the sender) at its own information set, every type node offers the same messages
(action labels), and after each message either no one responds or one other player (the receiver)
responds at a single information set holding exactly one node per type. What follows the receiver's
response may be anything (a sender who later carries out a threat, say): payoffs of a type after a
message and a response are the continuation values of the equilibrium's own later behaviour.

Tests of a pooling equilibrium's off-path beliefs (Cho and Kreps 1987, QJE 102(2)), for each message
no type sends:
- Intuitive Criterion: a type is *equilibrium-dominated* for the message when even the receiver's
  best response to it that the type likes most (over every belief) pays less than the equilibrium.
  The equilibrium fails when some type that is not dominated would gain from the message whatever
  the receiver's best response to beliefs on the undominated types only.
- D1: with the receiver's responses as the mixtures of (at most two) best-responding actions, type
  ``t`` is deleted when every response that makes it gain weakly makes another type gain strictly.
  The equilibrium survives when a belief on the remaining types sustains it. With more than two
  best-responding actions negosim does not decide D1 (``None``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..game.tree import CHANCE, DECISION, GameTree
from .pbe_check import node_values, supporting_beliefs
from .pbe_polytope import vertices
from .pbe_profile import PointGame


@dataclass(frozen=True)
class Signalling:
    """The roles of a signalling game's nodes."""

    sender: int
    receiver: int
    types: tuple[int, ...]  # type node indices, in chance order
    type_labels: tuple[str, ...]  # the chance actions naming the types
    messages: tuple[str, ...]
    responses: tuple  # per message: infoset position of the receiver's response, or None
    sender_sets: tuple[int, ...]  # infoset position of each type's message choice


def signalling_structure(tree: GameTree, infoset_of: dict) -> Signalling | None:
    """The signalling roles of `tree`, or None when it is not a signalling game."""
    root = tree.nodes[tree.root]
    if root.kind != CHANCE or len(root.children) < 2:
        return None
    kids = [tree.nodes[c] for c in root.children]
    if any(n.kind != DECISION for n in kids):
        return None
    sender, messages = kids[0].player, kids[0].actions
    if sender is None:
        return None
    sets = [infoset_of[c] for c in root.children]
    if any(n.player != sender or n.actions != messages for n in kids) or len(set(sets)) != len(sets):
        return None
    responses: list[int | None] = []
    receiver: int | None = None
    for m in range(len(messages)):
        after = [tree.nodes[n.children[m]] for n in kids]
        if all(a.kind != DECISION for a in after):
            responses.append(None)
            continue
        if any(a.kind != DECISION for a in after) or len({(a.player, a.infoset) for a in after}) != 1:
            return None
        k = infoset_of[kids[0].children[m]]
        members = {i for i, pos in infoset_of.items() if pos == k}
        if members != {n.children[m] for n in kids} or after[0].player == sender:
            return None
        if receiver not in (None, after[0].player):
            return None
        receiver = after[0].player
        responses.append(k)
    if receiver is None:
        return None
    return Signalling(sender, receiver, tuple(root.children), tuple(root.actions), tuple(messages),
                      tuple(responses), tuple(sets))


def classify(sig: Signalling, behaviour: list) -> str:
    """'pooling', 'separating' or 'semi-separating' (a type mixes, or some types pool and others do not)."""
    plays = [behaviour[k] for k in sig.sender_sets]
    # A type mixes when it sends two messages with positive probability, however unequal: the search's
    # supports are exact (an unused message has probability 0), and a type that sends one message 1 - 1e-6
    # of the time still mixes (near a pooling or separating region's edge it does).
    if any(np.count_nonzero(p > 0) > 1 for p in plays):
        return "semi-separating"
    sent = [int(p.argmax()) for p in plays]
    if len(set(sent)) == 1:
        return "pooling"
    return "separating" if len(set(sent)) == len(sent) else "semi-separating"


@dataclass(frozen=True)
class OffPathTest:
    """Results of the Intuitive Criterion and D1 for one equilibrium (None: no unused message to test)."""

    intuitive: bool | None
    d1: bool | None
    reasons: tuple[str, ...]  # why a test fails, in words


def off_path_tests(game: PointGame, sig: Signalling, behaviour: list, tol: float) -> OffPathTest:
    """Test every message that no type sends against the Intuitive Criterion and D1."""
    values = node_values(game, behaviour)
    eq = np.array([values[t, sig.sender] for t in sig.types])
    intuitive: bool | None = None
    d1_tests: list = []
    reasons: list[str] = []
    for m, k in enumerate(sig.responses):
        if k is None or any(behaviour[s][m] > 0 for s in sig.sender_sets):
            continue
        nodes = [game.tree.nodes[t].children[m] for t in sig.types]
        u_s = np.array([[values[c, sig.sender] for c in game.tree.nodes[x].children] for x in nodes])
        u_r = np.array([[values[c, sig.receiver] for c in game.tree.nodes[x].children] for x in nodes])
        every = list(range(len(nodes)))
        best_all = _best_responses(u_r, every, tol)
        awake = [t for t in every if u_s[t, best_all].max() >= eq[t] - tol]  # not equilibrium-dominated
        ok = True
        if awake:
            best = _best_responses(u_r, awake, tol)
            for t in awake:
                if u_s[t, best].min() > eq[t] + tol:
                    ok = False
                    reasons.append(f"type {sig.type_labels[t]} would gain by sending {sig.messages[m]} whatever "
                                   f"the receiver answers, once it believes the message comes only from "
                                   f"{', '.join(sig.type_labels[s] for s in awake)}")
        intuitive = ok if intuitive is None else intuitive and ok
        test = _d1(game, behaviour, k, u_s, eq, best_all, tol)
        if test is not None and not test:
            reasons.append(f"no belief after {sig.messages[m]} that D1 allows sustains the equilibrium")
        d1_tests.append(test)
    d1 = None if not d1_tests or (None in d1_tests and False not in d1_tests) else all(d1_tests)
    return OffPathTest(intuitive, d1, tuple(reasons))


def _best_responses(u_r: np.ndarray, types: list, tol: float) -> list:
    """Receiver actions that are a best response to some belief on `types` (rows of `u_r`)."""
    n = len(types)
    out = []
    for r in range(u_r.shape[1]):
        g = [-np.eye(n)[t] for t in range(n)] + [u_r[types, s] - u_r[types, r] for s in range(u_r.shape[1]) if s != r]
        h = [0.0] * n + [tol] * (u_r.shape[1] - 1)
        if len(vertices(np.ones((1, n)), np.ones(1), np.array(g), np.array(h)).points):
            out.append(r)
    return out


def _d1(game: PointGame, behaviour: list, k: int, u_s: np.ndarray, eq: np.ndarray, best: list,
        tol: float) -> bool | None:
    """D1 at one unused message (None when the receiver has more than two best-responding actions)."""
    if len(best) > 2:
        return None
    pay = u_s[:, best] - eq[:, None]  # (types, responses): gain from deviating
    n = len(eq)

    def gain_set(t: int) -> tuple[float, float] | None:
        """The q in [0, 1] (weight on the second response) where type t gains weakly."""
        if len(best) == 1:
            return (0.0, 0.0) if pay[t, 0] >= -tol else None
        a, b = pay[t, 0], pay[t, 1] - pay[t, 0]
        qs = [q for q in (0.0, 1.0) if a + b * q >= -tol]
        if abs(b) > 1e-15:
            root = -a / b
            if 0 <= root <= 1:
                qs.append(root)
        return (min(qs), max(qs)) if qs else None

    def strict(t: int, q: float) -> bool:
        return (pay[t, 0] if len(best) == 1 else pay[t, 0] + (pay[t, 1] - pay[t, 0]) * q) > tol

    deleted = []
    for t in range(n):
        span = gain_set(t)
        if any(s != t and (span is None or (strict(s, span[0]) and strict(s, span[1]))) for s in range(n)):
            deleted.append(t)
    if len(deleted) == n:
        return True
    return bool(len(supporting_beliefs(game, behaviour, k, tol, zero=tuple(deleted))))
