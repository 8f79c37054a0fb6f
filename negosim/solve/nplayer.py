"""All Nash equilibria of small n-player games: support enumeration with homotopy continuation.

For every support profile (a nonempty set of actions per player) the equilibria with exactly that
support solve a square polynomial system: each player's support actions pay the same (its
probabilities summing to 1). The system is multilinear: a player's equations are of degree at most
one in each other player's probabilities and free of its own. All its isolated roots are found by
homotopy continuation (`negosim.solve.homotopy`) from a *linear-product* start system of the same
multilinear structure, whose number of roots, the multihomogeneous Bezout number, is the generic
number of roots (McKelvey and McLennan 1997, "The maximal number of regular totally mixed Nash
equilibria", JET 72(2)), so no path is wasted on roots at infinity in a generic game. Every path of
every support at every parameter point is tracked as one array.

A real root with positive probabilities is a candidate; it is an equilibrium when no player gains by
an action outside the support, which `verify.verified_solution` checks as for every concept. The
result is complete at a point when every path ended at a regular root or diverged, and the game is
nondegenerate there (no equilibrium has an unused best response and no root sits on the boundary of
its support); otherwise ``complete`` is False and a note says why.

The structure of each support's system and the path counts are `negosim.solve.support_systems`; the
systems as functions of the unknowns, and the supports solved without tracking, are
`negosim.solve.indifference`.
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np

from ..game.normal import NormalFormGame
from .homotopy import REGULAR, SINGULAR, UNFINISHED, System, TrackBudget, track
from .indifference import IndifferenceSystems, solve_linear, solve_three_bilinear
from .result import Solution
from .support_systems import (
    SupportSystem,
    bezout_number,
    full_profiles,
    near_profile,
    path_count,
    support_system,
    supports,
)
from .tolerance import RTOL
from .verify import check_profiles, verified_solution

#: Refuse to enumerate when the paths (summed over supports) would exceed this per point.
MAX_PATHS = 200_000
#: A support probability this close to 0 puts a root on the boundary of its support.
BOUNDARY = 1e-9
#: Imaginary parts (relative) below this count as rounding: the root is real.
REAL = 1e-7
#: Systems with a path in doubt are tracked again this many times, with a new gamma and smaller steps.
RETRIES = 2


def all_nash(game: NormalFormGame, *, rtol: float = RTOL, seed: int = 20250311,
             budget: TrackBudget | None = None, time_limit: float = 120.0) -> Solution:
    """Every Nash equilibrium of an n-player game at every batch point, with a completeness flag.

    Parameters
    ----------
    game : NormalFormGame
        Any number of players; meant for small games (the paths grow quickly with the actions).
    rtol : float
        Relative tolerance of ties and of the verification.
    seed : int
        Seed of the random start system and gamma (results do not depend on it in a generic game).
    budget : TrackBudget, optional
        Bounds of each path (default `TrackBudget()`).
    time_limit : float
        Seconds for the whole enumeration; supports not reached in time leave ``complete`` False.

    Returns
    -------
    Solution
        Concept ``"nash"``, method ``"support enumeration with homotopy continuation"``.

    Examples
    --------
    Three players each choose 0 or 1 and are paid 1 for matching the next player (a cyclic
    coordination game): two pure equilibria and the uniform mixed one.

    >>> import numpy as np
    >>> from negosim.game import NormalFormGame
    >>> pay = np.zeros((3, 2, 2, 2))
    >>> for a in np.ndindex(2, 2, 2):
    ...     for i in range(3):
    ...         pay[(i, *a)] = float(a[i] == a[(i + 1) % 3])
    >>> sol = all_nash(NormalFormGame(("A", "B", "C"), (("0", "1"),) * 3, pay))
    >>> len(sol.point), bool(sol.complete), bool(sol.degenerate)
    (3, True, False)
    """
    budget = budget or TrackBudget()
    n, shape, P = game.n_players, game.shape, game.batch_size
    payoffs = game.payoffs.reshape((P, n, *shape))
    rng = np.random.default_rng(seed)
    gamma = np.exp(2j * np.pi * rng.uniform())
    total_paths = path_count(shape)
    if total_paths > MAX_PATHS:
        raise ValueError(f"{total_paths:,} homotopy paths per point exceed the limit of {MAX_PATHS:,}")
    systems = [support_system(s) for s in supports(shape)]
    complete = np.ones(P, dtype=bool)
    degenerate = np.zeros(P, dtype=bool)
    notes: list[str] = []
    deadline = time.monotonic() + time_limit
    found_points, found_profiles = [], []
    unfinished = 0
    by_size: dict[tuple[int, ...], list[SupportSystem]] = {}
    for system in systems:
        by_size.setdefault(system.sizes, []).append(system)
    for same_size in by_size.values():
        if time.monotonic() > deadline:
            complete[:] = False
            notes.append(f"time limit of {time_limit:g} s reached before every support was solved")
            break
        first = same_size[0]
        S = len(same_size)
        if first.n_unknowns == 0:
            system_of = np.arange(S * P)
            x = np.zeros((S * P, 0))
        else:
            if not first.assignments:
                continue  # no root for a generic game; a degenerate one shows ties at the smaller supports
            n_starts = len(first.assignments)
            sub = IndifferenceSystems(payoffs, same_size, np.repeat(np.arange(S * P), n_starts), rng)
            starts = np.tile(sub.start_roots(), (S * P, 1))
            direct = {2: solve_linear, 3: solve_three_bilinear}.get(len(first.groups))
            if direct is not None and (len(first.groups) == 2 or max(first.sizes) == 1):
                x, status = direct(sub, starts, budget)
                todo = np.flatnonzero(status != REGULAR)  # singular: left to the homotopy, which classifies it
                if len(todo):
                    x[todo], status[todo] = track(_on_paths(sub.F, todo), sub.G, starts[todo], gamma, budget)
            else:
                x, status = track(sub.F, sub.G, starts, gamma, budget)
            bad, met = _bad_paths(first, x, status, sub.rows)
            for attempt in range(1, RETRIES + 1):  # systems with a bad path: all their paths again, finer
                if not bad.any():
                    break
                redo = np.flatnonzero(np.isin(sub.rows, np.unique(sub.rows[bad])))
                finer = replace(budget, max_step=budget.max_step / 4 ** attempt,
                                first_step=min(budget.first_step, budget.max_step / 4 ** attempt))
                x[redo], status[redo] = track(_on_paths(sub.F, redo), sub.G,
                                              starts[redo], np.exp(2j * np.pi * rng.uniform()), finer)
                bad, met = _bad_paths(first, x, status, sub.rows)
            regular = status == REGULAR
            if bad.any():
                complete[np.unique(sub.rows[bad] % P)] = False
                unfinished += int(bad.sum())
            keep = regular & ~met & (np.abs(x.imag).max(axis=1) <= REAL * (1 + np.abs(x).max(axis=1)))
            system_of, x = sub.rows[keep], x[keep].real
        for k, system in enumerate(same_size):
            mine = (system_of // P) == k
            rows, xs = system_of[mine] % P, x[mine]
            full = full_profiles(system, xs, shape)
            support_probs = np.concatenate([f[:, list(sup)] for f, sup in zip(full, system.support)], axis=1)
            inside = (support_probs > BOUNDARY).all(axis=1)
            edge = (support_probs > -BOUNDARY).all(axis=1) & ~inside
            degenerate[rows[edge]] = True
            if inside.any():
                candidates = tuple(f[inside] for f in full)
                ok = check_profiles(game, candidates, rows[inside], rtol).passed  # the verification's own test
                found_points.append(rows[inside][ok])
                found_profiles.append(tuple(c[ok] for c in candidates))
    if unfinished:
        notes.append(f"{unfinished} homotopy paths did not end at a regular root or at infinity, or met another")
    point = np.concatenate(found_points) if found_points else np.zeros(0, dtype=np.int64)
    strategies = tuple(np.concatenate([f[i] for f in found_profiles]) if found_profiles else np.zeros((0, k))
                       for i, k in enumerate(shape))
    solution = verified_solution(game, concept="nash", method="support enumeration with homotopy continuation",
                                 point=point, strategies=strategies, rtol=rtol, complete=complete, notes=(),
                                 degenerate=None)
    degenerate |= solution.degenerate.reshape(-1)
    complete &= ~degenerate
    if degenerate.any():
        notes.append("degenerate game: equilibria may form continua, and only their endpoints on the supports "
                     "are listed")
    return replace(solution, complete=complete.reshape(game.batch_shape),
                   degenerate=degenerate.reshape(game.batch_shape), notes=tuple(notes))


def _on_paths(F: System, paths_of: np.ndarray) -> System:
    """F restricted to a subset of the paths: row k of the input is path ``paths_of[k]``."""
    def restricted(x: np.ndarray, paths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return F(x, paths_of[paths])

    return restricted


def _bad_paths(system: SupportSystem, x: np.ndarray, status: np.ndarray, rows: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
    """(paths that leave the result in doubt, paths that met another at a regular root).

    A path that did not finish might have led to an equilibrium; a singular end can hide one only
    if it is (nearly) a real probability vector. Ends at infinity, complex or far outside the
    probability simplex cannot be equilibria. Two paths at one regular root mean one jumped.
    """
    met = _paths_that_met(x, status == REGULAR, rows)
    bad = (status == UNFINISHED) | ((status == SINGULAR) & near_profile(system, x)) | met
    return bad, met


def _paths_that_met(x: np.ndarray, regular: np.ndarray, system_of: np.ndarray) -> np.ndarray:
    """Paths of one system that ended at the same regular root: only one path can reach a regular root."""
    met = np.zeros(len(x), dtype=bool)
    order = np.lexsort((np.round(x.real[:, 0], 6), system_of))
    for a, b in zip(order[:-1], order[1:]):
        if (regular[a] and regular[b] and system_of[a] == system_of[b]
                and np.abs(x[a] - x[b]).max() <= 1e-6 * (1 + np.abs(x[a]).max())):
            met[a] = met[b] = True
    return met


__all__ = ["SupportSystem", "all_nash", "bezout_number", "path_count", "support_system", "supports"]
