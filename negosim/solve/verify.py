"""Regrets and expected payoffs of strategy profiles, and the check every normal-form solver runs.

A profile is given row-wise: `strategies` is a tuple over players of ``(E, n_actions_i)`` arrays and
`point` (``(E,)`` ints) says at which flat batch point of the game each row is evaluated.
`verified_solution` turns solver output into a sorted, labelled, verified `Solution`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..errors import GameError, VerificationError
from ..game.checks import PROB_TOL
from ..game.normal import NormalFormGame
from .result import Solution

_CHUNK_ELEMENTS = 1 << 22  # payoff entries gathered at once when evaluating profiles


def flat_payoffs(game: NormalFormGame) -> np.ndarray:
    """The payoff array with the batch flattened: shape ``(P, n_players, *n_actions)``."""
    return game.payoffs.reshape((game.batch_size, game.n_players, *game.shape))


def require_finite(game: NormalFormGame) -> None:
    """Raise `GameError` if any payoff is NaN or infinite (no equilibrium can be verified there)."""
    bad = ~np.isfinite(flat_payoffs(game)).reshape(game.batch_size, -1).all(axis=1)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        where = f" (first at batch point {np.unravel_index(first, game.batch_shape)})" if game.batch_shape else ""
        raise GameError(f"payoffs must be finite numbers; {int(bad.sum())} point(s) have NaN or infinity{where}")


def action_values(game: NormalFormGame, strategies: tuple[np.ndarray, ...], point: np.ndarray
                  ) -> tuple[np.ndarray, ...]:
    """Each player's expected payoff from each of its pure actions against the others' strategies.

    Returns a tuple over players of ``(E, n_actions_i)`` arrays.
    """
    n = game.n_players
    point = np.asarray(point, dtype=np.intp)
    strategies = tuple(np.asarray(s, dtype=float) for s in strategies)
    pay = flat_payoffs(game)
    out = tuple(np.empty((len(point), k)) for k in game.shape)
    step = max(1, _CHUNK_ELEMENTS // max(1, n * int(np.prod(game.shape))))
    for lo in range(0, len(point), step):
        rows = slice(lo, lo + step)
        u = pay[point[rows]]
        for i in range(n):
            t = u[:, i]
            for j in reversed(range(n)):  # contracting the last axes first keeps earlier axes in place
                if j != i:
                    t = np.einsum("e...k,ek->e...", np.moveaxis(t, j + 1, -1), strategies[j][rows])
            out[i][rows] = t
    return out


def expected_payoffs(game: NormalFormGame, strategies: tuple[np.ndarray, ...], point: np.ndarray) -> np.ndarray:
    """Every player's expected payoff under each profile, shape ``(E, n_players)``."""
    values = action_values(game, strategies, point)
    return np.stack([np.einsum("ek,ek->e", v, np.asarray(s, float)) for v, s in zip(values, strategies)], axis=1)


def regrets(game: NormalFormGame, strategies: tuple[np.ndarray, ...], point: np.ndarray) -> np.ndarray:
    """The largest gain any player gets from a unilateral deviation, for each profile: shape ``(E,)``."""
    values = action_values(game, strategies, point)
    gains = [v.max(axis=1) - np.einsum("ek,ek->e", v, np.asarray(s, float)) for v, s in zip(values, strategies)]
    return np.max(np.stack(gains, axis=1), axis=1) if gains else np.zeros(len(point))


def verify(solution: Solution) -> None:
    """Check that every profile of a normal-form `solution` is an equilibrium; raise `VerificationError` if not.

    Recomputes regrets from the game: a row fails if its regret exceeds its point's `tol`, if a
    probability is below ``-PROB_TOL``, or if a strategy does not sum to 1 within `PROB_TOL`.
    """
    game = solution.game
    if not isinstance(game, NormalFormGame):
        raise TypeError("verify checks normal-form solutions (strategies over a NormalFormGame)")
    point = np.asarray(solution.point)
    E = len(point)
    if E and (point.min() < 0 or point.max() >= game.batch_size or np.any(np.diff(point) < 0)):
        raise VerificationError(f"{solution.method}: point indices out of range or not sorted")
    problems = []
    for i, s in enumerate(solution.strategies):
        if s.shape != (E, game.shape[i]):
            raise VerificationError(f"{solution.method}: strategies of {game.players[i]} have shape {s.shape}")
        bad = ~(s >= -PROB_TOL).all(axis=1) | ~(np.abs(s.sum(axis=1) - 1) <= PROB_TOL)
        if bad.any():
            problems.append(f"{int(bad.sum())} strategies of {game.players[i]} are not probability vectors "
                            f"(first row {int(np.flatnonzero(bad)[0])})")
    tol = np.asarray(solution.tol, dtype=float).reshape(-1)[point]
    regret = regrets(game, solution.strategies, point)
    bad = ~(regret <= tol)
    if bad.any():
        e = int(np.flatnonzero(bad)[np.argmax((regret - tol)[bad])])
        problems.append(f"{int(bad.sum())} profiles are not equilibria "
                        f"(row {e}: regret {regret[e]:.3g} > tol {tol[e]:.3g})")
    if not np.all(np.abs(np.asarray(solution.regret) - regret) <= tol):
        problems.append("stored regrets differ from recomputed ones")
    if not np.all(np.abs(solution.payoffs - expected_payoffs(game, solution.strategies, point)) <= tol[:, None]):
        problems.append("stored payoffs differ from recomputed ones")
    if problems:
        raise VerificationError(f"{solution.method}: " + "; ".join(problems))


@dataclass(frozen=True, eq=False)
class TieDescriptions(Mapping):
    """Read-only map from row `e` to lines like ``"P1: a = b"``: each tied player's best responses.

    Built lazily from arrays, so a sweep with a million rows pays nothing until a row is shown.
    """

    players: tuple[str, ...]
    actions: tuple[tuple[str, ...], ...]
    best_responses: tuple[np.ndarray, ...]  # (E, n_i) bool
    player_tied: np.ndarray  # (E, n_players) bool

    def __getitem__(self, e):
        e = int(e)
        if not 0 <= e < len(self.player_tied) or not self.player_tied[e].any():
            raise KeyError(e)
        return [f"{p}: " + " = ".join(a for a, b in zip(self.actions[i], self.best_responses[i][e]) if b)
                for i, p in enumerate(self.players) if self.player_tied[e, i]]

    def __iter__(self):
        return (int(e) for e in np.flatnonzero(self.player_tied.any(axis=1)))

    def __len__(self):
        return int(self.player_tied.any(axis=1).sum())


def verified_solution(game: NormalFormGame, *, concept: str, method: str, point: np.ndarray,
                      strategies: tuple[np.ndarray, ...], tol: np.ndarray, complete: np.ndarray,
                      degenerate: np.ndarray | None = None, notes: tuple[str, ...] = (),
                      extra: dict | None = None) -> Solution:
    """A sorted, labelled and verified `Solution` from raw equilibrium profiles.

    `tol`, `complete` and `degenerate` are flat per point (length ``game.batch_size``); with
    ``degenerate=None`` a point is degenerate when one of its equilibria is tied. Rows are
    sorted by point, then by strategies in decreasing lexicographic order (so pure profiles come
    in the order of their action indices). `extra` gains:

    - ``best_responses``: tuple over players of ``(E, n_i)`` bool, actions within `tol` of the best;
    - ``tied_actions``: the same, kept only for players with a best response they leave unused;
    - ``tie_descriptions``: `TieDescriptions`, row -> ``["P1: a = b", ...]``.
    """
    point = np.asarray(point, dtype=np.int64)
    strategies = tuple(np.asarray(s, dtype=float).reshape(len(point), k) for s, k in zip(strategies, game.shape))
    if len(point):
        keys = np.round(np.concatenate(strategies, axis=1), 9)
        order = np.lexsort(tuple(-keys[:, c] for c in reversed(range(keys.shape[1]))) + (point,))
        point = point[order]
        strategies = tuple(s[order] for s in strategies)
    tol_flat = np.asarray(tol, dtype=float).reshape(-1)
    tol_row = tol_flat[point]
    values = action_values(game, strategies, point)
    payoffs = np.stack([np.einsum("ek,ek->e", v, s) for v, s in zip(values, strategies)], axis=1)
    best = [v.max(axis=1) for v in values]
    regret = np.maximum(np.max(np.stack([b - p for b, p in zip(best, payoffs.T)], axis=1), axis=1), 0.0)
    best_responses = tuple(v >= b[:, None] - tol_row[:, None] for v, b in zip(values, best))
    player_tied = np.stack([(br & (s <= PROB_TOL)).any(axis=1) for br, s in zip(best_responses, strategies)], axis=1)
    tied = np.asarray(player_tied.any(axis=1))
    if degenerate is None:
        degenerate = np.zeros(game.batch_size, dtype=bool)
        degenerate[point[tied]] = True
    extra = dict(extra or {})
    extra["best_responses"] = best_responses
    extra["tied_actions"] = tuple(br & player_tied[:, [i]] for i, br in enumerate(best_responses))
    extra["tie_descriptions"] = TieDescriptions(game.players, game.actions, best_responses, player_tied)
    shape = game.batch_shape
    solution = Solution(
        concept=concept, method=method, game=game, batch_shape=shape, point=point, payoffs=payoffs,
        regret=regret, tied=tied, strategies=strategies,
        complete=np.asarray(complete, dtype=bool).reshape(shape),
        degenerate=np.asarray(degenerate, dtype=bool).reshape(shape),
        tol=tol_flat.reshape(shape), notes=tuple(notes), extra=extra,
    )
    verify(solution)
    return solution
