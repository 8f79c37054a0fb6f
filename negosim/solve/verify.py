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
from .tolerance import RTOL, comparison_tol, from_unit, player_exponents, row_max, row_min, to_unit

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


def _scaled_values(pay: np.ndarray, exps: np.ndarray, strategies: tuple[np.ndarray, ...], point: np.ndarray,
                   rtol: float | None = None) -> tuple[tuple[np.ndarray, ...], np.ndarray | None]:
    """Action values in each player's scaled units and, with `rtol`, each row's per-player tolerance.

    `pay` is the flat payoff array, `exps` its `player_exponents`. Returns a tuple over players of
    ``(E, n_actions_i)`` values of ``pay / 2**exps`` and, when `rtol` is given, ``(E, n_players)``
    tolerances in the same units: `comparison_tol` of the spread and size of the player's payoffs
    over its own actions against the others' supports (the payoffs its choice is made among).
    """
    n = pay.ndim - 2
    shape = pay.shape[2:]
    point = np.asarray(point, dtype=np.intp)
    strategies = tuple(np.asarray(s, dtype=float) for s in strategies)
    out = tuple(np.empty((len(point), k)) for k in shape)
    tols = None if rtol is None else np.empty((len(point), n))
    step = max(1, _CHUNK_ELEMENTS // max(1, n * int(np.prod(shape))))
    for lo in range(0, len(point), step):
        rows = slice(lo, lo + step)
        u = to_unit(pay[point[rows]], exps[point[rows]].reshape((-1, n) + (1,) * n))
        for i in range(n):
            t = u[:, i]
            for j in reversed(range(n)):  # contracting the last axes first keeps earlier axes in place
                if j != i:
                    t = np.einsum("e...k,ek->e...", np.moveaxis(t, j + 1, -1), strategies[j][rows])
            out[i][rows] = t
            if tols is not None:
                inside: np.ndarray = np.ones(u[:, i].shape, dtype=bool)
                for j in range(n):
                    if j != i:
                        support = strategies[j][rows] > PROB_TOL
                        axes = tuple(k if a == j else 1 for a, k in enumerate(shape))
                        inside = inside & support.reshape((-1,) + axes)
                flat = u[:, i].reshape(len(u), -1)
                inside = inside.reshape(len(u), -1)
                spread = row_max(np.where(inside, flat, -np.inf)) - row_min(np.where(inside, flat, np.inf))
                magnitude = row_max(np.where(inside, np.abs(flat), 0.0))
                tols[rows, i] = comparison_tol(spread, magnitude, RTOL if rtol is None else rtol)
                # Probabilities within PROB_TOL of 0 are left out of the comparison above, yet they still
                # enter the expected values: allow what they can add (their mass times the largest payoff).
                stray = sum(np.where(np.abs(strategies[j][rows]) <= PROB_TOL, np.abs(strategies[j][rows]), 0.0).sum(
                    axis=1) for j in range(n) if j != i)
                tols[rows, i] += 2.0 * stray * row_max(np.abs(flat))
    return out, tols


def action_values(game: NormalFormGame, strategies: tuple[np.ndarray, ...], point: np.ndarray
                  ) -> tuple[np.ndarray, ...]:
    """Each player's expected payoff from each of its pure actions against the others' strategies.

    Returns a tuple over players of ``(E, n_actions_i)`` arrays.
    """
    pay = flat_payoffs(game)
    exps = player_exponents(pay)
    values, _ = _scaled_values(pay, exps, strategies, point)
    point = np.asarray(point, dtype=np.intp)
    return tuple(from_unit(v, exps[point, i][:, None]) for i, v in enumerate(values))


def expected_payoffs(game: NormalFormGame, strategies: tuple[np.ndarray, ...], point: np.ndarray) -> np.ndarray:
    """Every player's expected payoff under each profile, shape ``(E, n_players)``."""
    values = action_values(game, strategies, point)
    return np.stack([np.einsum("ek,ek->e", v, np.asarray(s, float)) for v, s in zip(values, strategies)], axis=1)


def regrets(game: NormalFormGame, strategies: tuple[np.ndarray, ...], point: np.ndarray) -> np.ndarray:
    """The largest gain any player gets from a unilateral deviation, for each profile: shape ``(E,)``."""
    values = action_values(game, strategies, point)
    gains = [v.max(axis=1) - np.einsum("ek,ek->e", v, np.asarray(s, float)) for v, s in zip(values, strategies)]
    return np.max(np.stack(gains, axis=1), axis=1) if gains else np.zeros(len(point))


@dataclass(frozen=True)
class ProfileCheck:
    """Payoffs, regrets and tolerances of profiles, each player measured on its own scale.

    `payoffs` (E, n) and `player_regret` (E, n) are in payoff units; `player_tol` (E, n) is each
    player's tolerance in payoff units; `best_responses` a tuple over players of (E, n_i) bool,
    the actions within that player's tolerance of its best reply; `passed` (E,) whether every
    player's regret is within its tolerance.
    """

    payoffs: np.ndarray
    player_regret: np.ndarray
    player_tol: np.ndarray
    best_responses: tuple[np.ndarray, ...]
    passed: np.ndarray


def check_profiles(game: NormalFormGame, strategies: tuple[np.ndarray, ...], point: np.ndarray,
                   rtol: float) -> ProfileCheck:
    """Evaluate profiles against per-player, per-comparison tolerances (see `tolerance`)."""
    pay = flat_payoffs(game)
    exps = player_exponents(pay)
    point = np.asarray(point, dtype=np.intp)
    strategies = tuple(np.asarray(s, dtype=float) for s in strategies)
    values, tols = _scaled_values(pay, exps, strategies, point, rtol)
    assert tols is not None
    n = game.n_players
    own = np.stack([np.einsum("ek,ek->e", v, s) for v, s in zip(values, strategies)], axis=1).reshape(-1, n)
    best = np.stack([row_max(v) for v in values], axis=1).reshape(-1, n)
    gain = np.maximum(best - own, 0.0)
    passed = np.all(gain <= tols, axis=1)
    best_responses = tuple(v >= best[:, [i]] - tols[:, [i]] for i, v in enumerate(values))
    e = exps[point]
    return ProfileCheck(from_unit(own, e), from_unit(gain, e), from_unit(tols, e), best_responses, passed)


def verify(solution: Solution) -> None:
    """Check that every profile of a normal-form `solution` is an equilibrium; raise `VerificationError` if not.

    Recomputes each player's regret from the game and compares it with that player's own
    tolerance (``extra["rtol"]``, see `check_profiles`); rows listed in ``extra["exact_rows"]``
    were confirmed in rational arithmetic and need only be probability vectors. A row also fails
    if a probability is below ``-PROB_TOL`` or a strategy does not sum to 1 within `PROB_TOL`.
    """
    game = solution.game
    if not isinstance(game, NormalFormGame):
        raise TypeError("verify checks normal-form solutions (strategies over a NormalFormGame)")
    _verify_checked(solution, check_profiles(game, solution.strategies, np.asarray(solution.point),
                                             float(solution.extra.get("rtol", RTOL))))


def _verify_checked(solution: Solution, check: ProfileCheck) -> None:
    """`verify` with the profiles' `check_profiles` already computed (the same call `verify` makes)."""
    game = solution.game
    assert isinstance(game, NormalFormGame)
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
    exact_rows = np.asarray(solution.extra.get("exact_rows", np.zeros(E, dtype=bool)), dtype=bool)
    bad = ~check.passed & ~exact_rows
    if bad.any():
        excess = (check.player_regret - check.player_tol).max(axis=1)
        e = int(np.flatnonzero(bad)[np.argmax(excess[bad])])
        i = int(np.argmax(check.player_regret[e] - check.player_tol[e]))
        problems.append(f"{int(bad.sum())} profiles are not equilibria (row {e}: {game.players[i]}'s regret "
                        f"{check.player_regret[e, i]:.3g} > tol {check.player_tol[e, i]:.3g})")
    regret = check.player_regret.max(axis=1) if E else np.zeros(0)
    row_tol = check.player_tol.max(axis=1) if E else np.zeros(0)
    if not np.all((np.abs(np.asarray(solution.regret) - regret) <= row_tol) | exact_rows):
        problems.append("stored regrets differ from recomputed ones")
    if not np.all(np.abs(solution.payoffs - check.payoffs) <= np.maximum(check.player_tol, 0.0) + 0.0):
        problems.append("stored payoffs differ from recomputed ones")
    if problems:
        raise VerificationError(f"{solution.method}: " + "; ".join(problems))


def point_tolerances(game: NormalFormGame, rtol: float) -> np.ndarray:
    """Each point's coarse tolerance: `rtol` times the largest player's own payoff range (overflow-free)."""
    pay = flat_payoffs(game)
    P, n = pay.shape[:2]
    exps = player_exponents(pay)
    scaled = to_unit(pay.reshape(P, n, -1), exps[:, :, None])
    spread = scaled.max(axis=2) - scaled.min(axis=2)
    return from_unit(comparison_tol(spread, np.abs(scaled).max(axis=2), rtol), exps).max(axis=1)


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
                      strategies: tuple[np.ndarray, ...], rtol: float, complete: np.ndarray,
                      degenerate: np.ndarray | None = None, notes: tuple[str, ...] = (),
                      extra: dict | None = None, exact_rows: np.ndarray | None = None) -> Solution:
    """A sorted, labelled and verified `Solution` from raw equilibrium profiles.

    `complete` and `degenerate` are flat per point (length ``game.batch_size``); with
    ``degenerate=None`` a point is degenerate when one of its equilibria is tied. Each player's
    regret is checked against its own tolerance (`check_profiles`); `exact_rows` (E,) marks rows
    already confirmed in rational arithmetic. The solution's per-point `tol` is the largest
    tolerance used there (`point_tolerances` where a point has no equilibrium). Rows are sorted by
    point, then by strategies in decreasing lexicographic order (so pure profiles come in the order
    of their action indices). `extra` gains:

    - ``best_responses``: tuple over players of ``(E, n_i)`` bool, actions within tolerance of the best;
    - ``tied_actions``: the same, kept only for players with a best response they leave unused;
    - ``tie_descriptions``: `TieDescriptions`, row -> ``["P1: a = b", ...]``;
    - ``player_tol``: ``(E, n_players)`` each player's tolerance; ``rtol``; ``exact_rows``.
    """
    point = np.asarray(point, dtype=np.int64)
    strategies = tuple(np.asarray(s, dtype=float).reshape(len(point), k) for s, k in zip(strategies, game.shape))
    exact_rows = np.zeros(len(point), dtype=bool) if exact_rows is None else np.asarray(exact_rows, dtype=bool)
    order = np.arange(len(point))
    if len(point):
        keys = np.round(np.concatenate(strategies, axis=1), 9)
        order = np.lexsort(tuple(-keys[:, c] for c in reversed(range(keys.shape[1]))) + (point,))
        point = point[order]
        strategies = tuple(s[order] for s in strategies)
        exact_rows = exact_rows[order]
    check = check_profiles(game, strategies, point, rtol)
    payoffs = check.payoffs
    regret = check.player_regret.max(axis=1) if len(point) else np.zeros(0)
    tol_flat = point_tolerances(game, rtol)
    if len(point):
        np.maximum.at(tol_flat, point, check.player_tol.max(axis=1))
    best_responses = check.best_responses
    player_tied = np.stack([(br & (s <= PROB_TOL)).any(axis=1) for br, s in zip(best_responses, strategies)], axis=1)
    tied = np.asarray(player_tied.any(axis=1))
    if degenerate is None:
        degenerate = np.zeros(game.batch_size, dtype=bool)
        degenerate[point[tied]] = True
    extra = dict(extra or {})
    for key, value in list(extra.items()):
        if isinstance(value, list) and len(value) == len(order) and key.startswith("exact_"):
            extra[key] = [value[int(r)] for r in order]  # row-aligned exact data follows the sort
    extra["best_responses"] = best_responses
    extra["tied_actions"] = tuple(br & player_tied[:, [i]] for i, br in enumerate(best_responses))
    extra["tie_descriptions"] = TieDescriptions(game.players, game.actions, best_responses, player_tied)
    extra["player_tol"] = check.player_tol
    extra["rtol"] = float(rtol)
    extra["exact_rows"] = exact_rows
    shape = game.batch_shape
    solution = Solution(
        concept=concept, method=method, game=game, batch_shape=shape, point=point, payoffs=payoffs,
        regret=regret, tied=np.asarray(tied, dtype=bool), strategies=strategies,
        complete=np.asarray(complete, dtype=bool).reshape(shape),
        degenerate=np.asarray(degenerate, dtype=bool).reshape(shape),
        tol=tol_flat.reshape(shape), notes=tuple(notes), extra=extra,
    )
    # `verify(solution)` would recompute `check` from the same arrays (the solution holds `strategies`,
    # `point` and `rtol` as given to it), so its checks run on this one
    _verify_checked(solution, check)
    return solution
