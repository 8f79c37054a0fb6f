"""The one result type every solver returns: equilibria of a whole batch, as flat arrays.

A batch of `P` parameter points can have a different number of equilibria at each point, so
equilibria are stored flat: row `e` belongs to the flat batch point `point[e]`. `equilibria_at`
gives the labelled equilibria of one point; sweeps read the arrays directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..game.normal import NormalFormGame
from ..game.tree import CHANCE, DECISION, TERMINAL, GameTree

CONCEPTS = ("pure", "nash", "spe", "pbe")


def at_points(count: int, total: int) -> str:
    """' at 3 of 100 points' for notes about a batch; '' for a single point."""
    return "" if total == 1 else f" at {count} of {total} points"


@dataclass(frozen=True)
class Equilibrium:
    """One verified equilibrium at one parameter point, addressed by labels."""

    payoffs: dict[str, float]
    regret: float  # largest gain any player gets from a unilateral deviation (payoff units)
    tied: bool  # some player has another best response (within tol) it does not use
    strategies: dict[str, dict[str, float]] | None = None  # normal form: player -> action -> prob
    behavior: dict[str, dict[str, dict[str, float]]] | None = None  # tree: player -> infoset -> action -> prob
    path: list[str] | None = None  # tree: "PLAYER:action" along the play, while it is deterministic
    outcome: str | None = None  # outcome id when the play ends in one outcome for sure
    outcome_probs: dict[str, float] | None = None  # tree: outcome id -> probability (non-zero only)
    ties: list[str] = field(default_factory=list)  # human-readable tied decisions, e.g. "US at us_sanction: impose = hold"
    # pbe only: infoset -> node -> probability; the off-path supporting beliefs in words; the kind of a
    # signalling game's equilibrium and whether a pooling one survives the Intuitive Criterion and D1.
    beliefs: dict[str, dict[str, float]] | None = None
    belief_sets: dict[str, str] | None = None
    classification: str | None = None
    intuitive_criterion: bool | None = None
    d1: bool | None = None


@dataclass(frozen=True, eq=False)
class Solution:
    """Equilibria of one concept over a batch of parameter points.

    Flat arrays, `E` rows in all (sorted by `point`):
      point (E,) int           flat index of the batch point
      payoffs (E, n_players)   expected payoffs
      regret (E,)              largest gain from a unilateral deviation (verified <= tol)
      tied (E,) bool           a best response not used is tied (within tol) with the one used
      strategies               normal form: tuple over players of (E, n_actions_i)
      behavior                 trees: tuple over `game.infosets()` of (E, n_actions)
      outcome_probs            trees: (E, n_outcomes)
    Per point (shape `batch_shape`):
      complete    the method guarantees these are all equilibria of the concept (for degenerate
                  2-player games: all extreme equilibria)
      degenerate  the game is degenerate at that point (ties in best responses), so equilibria may
                  be non-isolated or depend on tie rules
      tol         the tolerance used for ties and verification, scaled to the payoffs
    `notes` are warnings about the whole batch (method limits, tie rules used, selections made).
    `extra` holds concept-specific arrays (documented by each solver).
    """

    concept: str
    method: str
    game: NormalFormGame | GameTree
    batch_shape: tuple[int, ...]
    point: np.ndarray
    payoffs: np.ndarray
    regret: np.ndarray
    tied: np.ndarray
    complete: np.ndarray
    degenerate: np.ndarray
    tol: np.ndarray
    strategies: tuple[np.ndarray, ...] | None = None
    behavior: tuple[np.ndarray, ...] | None = None
    outcome_probs: np.ndarray | None = None
    notes: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def batch_size(self) -> int:
        return int(np.prod(self.batch_shape, dtype=np.int64))

    def counts(self) -> np.ndarray:
        """Number of equilibria at each point, shape `batch_shape`."""
        return np.bincount(self.point, minlength=self.batch_size).reshape(self.batch_shape)

    def rows_at(self, point: int | tuple) -> np.ndarray:
        """Row indices (into the flat arrays) of the equilibria at one point."""
        if not isinstance(point, (int, np.integer)):
            point = int(np.ravel_multi_index(tuple(point), self.batch_shape)) if self.batch_shape else 0
        lo, hi = np.searchsorted(self.point, [point, point + 1])
        return np.arange(lo, hi)

    def equilibria_at(self, point: int | tuple = 0) -> list[Equilibrium]:
        """The labelled equilibria at one point (flat index or batch index tuple)."""
        return [self._labelled(int(e)) for e in self.rows_at(point)]

    # --- labelling -----------------------------------------------------------------------
    def _labelled(self, e: int) -> Equilibrium:
        game = self.game
        payoffs = {p: float(self.payoffs[e, i]) for i, p in enumerate(game.players)}
        ties = list(self.extra.get("tie_descriptions", {}).get(e, []))
        if isinstance(game, NormalFormGame):
            strategies = {
                p: {a: float(self.strategies[i][e, j]) for j, a in enumerate(game.actions[i])}
                for i, p in enumerate(game.players)
            }
            outcome = None
            if game.outcomes is not None:
                picks = [np.flatnonzero(self.strategies[i][e] > 0.5) for i in range(game.n_players)]
                if all(len(ix) == 1 and self.strategies[i][e, ix[0]] == 1.0 for i, ix in enumerate(picks)):
                    # "" marks a profile whose outcome is uncertain (a chance move decides it).
                    outcome = str(game.outcomes[tuple(int(ix[0]) for ix in picks)]) or None
            return Equilibrium(payoffs, float(self.regret[e]), bool(self.tied[e]), strategies=strategies,
                               outcome=outcome, ties=ties)
        behavior: dict[str, dict[str, dict[str, float]]] = {p: {} for p in game.players}
        infosets = game.infosets()
        for k, (player, infoset, nodes) in enumerate(infosets):
            actions = game.nodes[nodes[0]].actions
            behavior[game.players[player]][infoset] = {
                a: float(self.behavior[k][e, j]) for j, a in enumerate(actions)
            }
        probs = self.outcome_probs[e]
        outcome_probs = {game.outcomes[o].id: float(probs[o]) for o in np.flatnonzero(probs > 0)}
        outcome = next(iter(outcome_probs)) if len(outcome_probs) == 1 else None
        return Equilibrium(payoffs, float(self.regret[e]), bool(self.tied[e]), behavior=behavior,
                           path=self._path(e, infosets), outcome=outcome, outcome_probs=outcome_probs,
                           ties=ties, **self._pbe_fields(e))

    def _pbe_fields(self, e: int) -> dict:
        """The beliefs and signalling labels of row `e` (a "pbe" solution's extra), else nothing."""
        if "beliefs" not in self.extra:
            return {}
        names = ("beliefs", "belief_sets", "classification", "intuitive_criterion", "d1")
        return {name: self.extra[name][e] for name in names}

    def _path(self, e: int, infosets) -> list[str]:
        game = self.game
        where = {}
        for k, (_, _, nodes) in enumerate(infosets):
            for i in nodes:
                where[i] = k
        path, i = [], game.root
        while True:
            node = game.nodes[i]
            if node.kind != DECISION:
                break
            probs = self.behavior[where[i]][e]
            j = int(np.argmax(probs))
            if probs[j] != 1.0:
                break
            path.append(f"{game.players[node.player]}:{node.actions[j]}")
            i = node.children[j]
        return path


__all__ = ["CONCEPTS", "Equilibrium", "Solution", "CHANCE", "DECISION", "TERMINAL"]
