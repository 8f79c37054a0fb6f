"""The logit QRE equations of a normal form and of a game tree's agent form, in log-probabilities.

Both models describe a game as *agents* (players of a normal form; information sets of a tree), each
with some actions, and compute every agent's expected payoff from each of its actions at a profile
given as log-probabilities ``z``. The QRE residual is, for every agent and every action ``j >= 1``,
``z_j - z_0 - lambda * (v_j - v_0)``, and ``sum_j exp(z_j) - 1`` per agent: zero exactly where
every agent plays the logit response ``exp(lambda v_j) / sum_k exp(lambda v_k)``.

All arithmetic is numpy over a leading batch axis and works on complex arrays, so that the path
follower can differentiate the residual by complex steps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..game.normal import NormalFormGame
from ..game.reduce import tree_sequences
from ..game.tree import GameTree
from .subgames import columns


@dataclass(frozen=True, eq=False)
class NormalModel:
    """Agents are the players; values are each player's payoff from each action against the others."""

    payoffs: np.ndarray  # (P, n, *shape)
    sizes: tuple[int, ...]

    @classmethod
    def of(cls, game: NormalFormGame) -> NormalModel:
        return cls(game.payoffs.reshape((game.batch_size, game.n_players, *game.shape)), game.shape)

    def values(self, z: np.ndarray) -> np.ndarray:
        """``(P, d)`` expected payoff of every action of every player at the profile ``exp(z)``."""
        sigma = np.exp(z)
        blocks = np.split(sigma, np.cumsum(self.sizes)[:-1], axis=1)
        out = []
        n = len(self.sizes)
        for i in range(n):
            t = self.payoffs[:, i].astype(z.dtype)
            for j in reversed(range(n)):
                if j != i:
                    t = np.einsum("p...k,pk->p...", np.moveaxis(t, j + 1, -1), blocks[j])
            out.append(t)
        return np.concatenate(out, axis=1)

    def payoff_range(self) -> np.ndarray:
        flat = self.payoffs.reshape(len(self.payoffs), -1)
        return flat.max(axis=1) - flat.min(axis=1)


@dataclass(frozen=True, eq=False)
class AgentModel:
    """Agents are the information sets of a tree; values are conditional on reaching the set.

    Every leaf's probability is the product of the behaviour probabilities on its path (all
    players') and its chance probabilities. An action's value at an information set is the expected
    payoff of its player over the leaves below it, weighted by the probability of reaching each node
    of the set (the belief) and of each leaf from there; it is computed in log space, shifted per set,
    so that sets reached with tiny probability keep accurate values.
    """

    sizes: tuple[int, ...]
    owner: np.ndarray  # (n_infosets,) player of each information set
    log_chance: np.ndarray  # (P, n_leaves)
    leaf_payoffs: np.ndarray  # (P, n_leaves, n_players)
    leaf_outcome: np.ndarray  # (n_leaves,) outcome index
    path: np.ndarray  # (n_leaves, L) global action indices, padded with d (a zero log-probability)
    slot_leaf: np.ndarray  # (S,) leaf of each (leaf, position) on a path
    slot_action: np.ndarray  # (S,) global action index
    slot_infoset: np.ndarray  # (S,)
    slot_first: np.ndarray  # (S,) bool: the action is the first of its information set

    @classmethod
    def of(cls, tree: GameTree) -> AgentModel:
        seq = tree_sequences(tree)
        sizes = tuple(seq.n_actions)
        offset = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
        d = int(offset[-1])
        payoffs, probs = columns(tree)  # (n_outcomes, n_players, P), {node: (n_children, P)}
        P = tree.batch_size
        n_leaves = len(seq.leaves)
        paths = []
        log_chance = np.zeros((P, n_leaves))
        for leaf in range(n_leaves):
            paths.append(sorted(int(offset[k] + a) for p in range(tree.n_players) for k, a in seq.leaf_seq[p][leaf]))
            for node, a in seq.chance_path[leaf]:
                # A leaf chance rules out gets a log-probability far below any float's (not -inf, which
                # would turn the complex steps of the derivatives into NaN).
                log_chance[:, leaf] += np.log(np.maximum(probs[node][a], 1e-300)) - 1e4 * (probs[node][a] <= 0)
        width = max((len(p) for p in paths), default=0)
        path = np.full((n_leaves, max(width, 1)), d, dtype=int)
        for leaf, p in enumerate(paths):
            path[leaf, : len(p)] = p
        slot_leaf = np.array([leaf for leaf, p in enumerate(paths) for _ in p], dtype=int)
        slot_action = np.array([a for p in paths for a in p], dtype=int)
        infoset_of_action = np.repeat(np.arange(len(sizes)), sizes)
        outcome = np.array([tree.nodes[i].outcome for i in seq.leaves], dtype=int)
        return cls(
            sizes=sizes, owner=np.array([p for p, _, _ in seq.infosets], dtype=int), log_chance=log_chance,
            leaf_payoffs=np.moveaxis(payoffs[outcome], -1, 0), leaf_outcome=outcome, path=path,
            slot_leaf=slot_leaf, slot_action=slot_action, slot_infoset=infoset_of_action[slot_action],
            slot_first=np.isin(slot_action, offset[:-1]),
        )

    def leaf_log_probs(self, z: np.ndarray) -> np.ndarray:
        """``(P, n_leaves)`` log-probability of every leaf under the behaviour profile ``exp(z)``."""
        zext = np.concatenate([z, np.zeros((len(z), 1), dtype=z.dtype)], axis=1)
        return self.log_chance + zext[:, self.path].sum(axis=2)

    def values(self, z: np.ndarray) -> np.ndarray:
        """``(P, d)`` conditional expected payoff of every action at its information set."""
        d = z.shape[1]
        total = self.leaf_log_probs(z)
        excl = total[:, self.slot_leaf] - z[:, self.slot_action]  # the leaf's weight with the action forced
        shift = np.full((len(z), len(self.sizes)), -np.inf)
        np.maximum.at(shift.T, self.slot_infoset, excl.real.T)
        shift = np.where(np.isfinite(shift), shift, 0.0)
        with np.errstate(under="ignore"):
            weight = np.exp(excl - shift[:, self.slot_infoset])
        gain = self.leaf_payoffs[:, self.slot_leaf, self.owner[self.slot_infoset]]  # (P, S)
        numer = np.zeros((len(z), d), dtype=z.dtype)
        np.add.at(numer.T, self.slot_action, (weight * gain).T)
        reach = np.zeros((len(z), len(self.sizes)), dtype=z.dtype)
        np.add.at(reach.T, self.slot_infoset[self.slot_first], weight[:, self.slot_first].T)
        reach = np.repeat(reach, self.sizes, axis=1)
        safe = np.where(reach == 0, 1.0, reach)
        return np.where(reach == 0, 0.0, numer / safe)

    def outcome_probs(self, z: np.ndarray, n_outcomes: int) -> np.ndarray:
        """``(P, n_outcomes)`` probability of every outcome under the behaviour profile ``exp(z)``."""
        leaf = np.exp(self.leaf_log_probs(z.real))
        out = np.zeros((len(z), n_outcomes))
        np.add.at(out.T, self.leaf_outcome, leaf.T)
        return out

    def payoff_range(self) -> np.ndarray:
        flat = self.leaf_payoffs.reshape(len(self.leaf_payoffs), -1)
        return flat.max(axis=1) - flat.min(axis=1)


def residual(model: NormalModel | AgentModel, y: np.ndarray) -> np.ndarray:
    """The QRE equations at ``y = (z, lambda)`` for every batch point: ``(P, d)``."""
    z, lam = y[:, :-1], y[:, -1:]
    # A predictor step far off the curve may overflow; the corrector then fails and the step shrinks.
    with np.errstate(all="ignore"):
        v = model.values(z)
        out = []
        start = 0
        for k in model.sizes:
            zb, vb = z[:, start:start + k], v[:, start:start + k]
            out.append(zb[:, 1:] - zb[:, :1] - lam * (vb[:, 1:] - vb[:, :1]))
            out.append(np.exp(zb).sum(axis=1, keepdims=True) - 1.0)
            start += k
        return np.concatenate(out, axis=1)


def uniform_start(model: NormalModel | AgentModel, points: int) -> np.ndarray:
    """The start of the principal branch: uniform play at lambda 0, ``(P, d + 1)``."""
    z = np.concatenate([np.full(k, -np.log(k)) for k in model.sizes])
    return np.tile(np.r_[z, 0.0], (points, 1))


def logit_response(model: NormalModel | AgentModel, z: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """``(P, d)`` each agent's logit response probabilities to the profile ``exp(z)`` at ``lambda``."""
    v = model.values(z) * lam[:, None]
    out = np.empty_like(v)
    start = 0
    for k in model.sizes:
        block = v[:, start:start + k]
        block = np.exp(block - block.max(axis=1, keepdims=True))
        out[:, start:start + k] = block / block.sum(axis=1, keepdims=True)
        start += k
    return out
