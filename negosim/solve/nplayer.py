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
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, replace
from math import comb

import numpy as np

from ..game.normal import NormalFormGame
from .homotopy import DIVERGED, REGULAR, SINGULAR, UNFINISHED, System, TrackBudget, track
from .linalg import solve_or_nan
from .result import Solution
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


@dataclass(frozen=True)
class SupportSystem:
    """The indifference system of one support profile."""

    support: tuple[tuple[int, ...], ...]  # actions of each player
    groups: tuple[int, ...]  # players with at least two support actions (they have unknowns)
    sizes: tuple[int, ...]  # unknowns per player (support size - 1; 0 for a pure player)
    offsets: tuple[int, ...]  # where each player's unknowns start in x
    assignments: tuple[tuple[int, ...], ...]  # per start root: the group each equation's zero factor is in

    @property
    def n_unknowns(self) -> int:
        return sum(self.sizes)


def supports(shape: tuple[int, ...]):
    """Every support profile, smallest first."""
    per_player = [[c for r in range(1, k + 1) for c in itertools.combinations(range(k), r)] for k in shape]
    return sorted(itertools.product(*per_player), key=lambda s: (sum(map(len, s)), s))


def bezout_number(sizes: tuple[int, ...]) -> int:
    """Start roots of the linear-product system of a support with `sizes` unknowns per player.

    Each of player i's ``sizes[i]`` equations takes its zero factor from another player j, and j's
    unknowns take exactly ``sizes[j]`` equations: the multihomogeneous Bezout number.

    Examples
    --------
    >>> bezout_number((1, 1, 1)), bezout_number((2, 2, 2)), bezout_number((0, 1, 1))
    (2, 10, 1)
    """
    from functools import cache

    groups = [i for i, m in enumerate(sizes) if m > 0]
    equations = [i for i in groups for _ in range(sizes[i])]

    @cache
    def count(k: int, capacity: tuple[int, ...]) -> int:
        if k == len(equations):
            return 1
        return sum(count(k + 1, capacity[:j] + (capacity[j] - 1,) + capacity[j + 1:])
                   for j, g in enumerate(groups) if g != equations[k] and capacity[j] > 0)

    return count(0, tuple(sizes[g] for g in groups))


def path_count(shape: tuple[int, ...]) -> int:
    """Homotopy paths `all_nash` tracks per parameter point for a game of this shape (pure supports count 1).

    Computed from the support sizes alone (supports with the same sizes have the same Bezout
    number), so the size policy can decide before anything is built.

    Examples
    --------
    >>> path_count((2, 2, 2)), path_count((3, 3, 3))
    (16, 271)
    """
    total = 0
    for sizes in itertools.product(*(range(k) for k in shape)):
        ways = 1
        for k, m in zip(shape, sizes):
            ways *= comb(k, m + 1)
        total += ways * bezout_number(sizes)  # 1 for a pure support (no unknowns)
    return total


def support_system(support: tuple[tuple[int, ...], ...]) -> SupportSystem:
    """The structure of one support's system and the start roots of its linear-product homotopy."""
    sizes = tuple(len(s) - 1 for s in support)
    groups = tuple(i for i, m in enumerate(sizes) if m > 0)
    offsets = tuple(int(v) for v in np.concatenate([[0], np.cumsum(sizes)[:-1]]))
    equations = [(i, r) for i in groups for r in range(sizes[i])]
    capacity = {j: sizes[j] for j in groups}
    found: list[tuple[int, ...]] = []

    def assign(k: int, chosen: list[int]) -> None:
        if k == len(equations):
            found.append(tuple(chosen))
            return
        owner = equations[k][0]
        for j in groups:
            if j != owner and capacity[j] > 0:
                capacity[j] -= 1
                assign(k + 1, [*chosen, j])
                capacity[j] += 1

    assign(0, [])
    return SupportSystem(tuple(support), groups, sizes, offsets, tuple(found))


class _Systems:
    """F (the games' indifference systems) and G (the linear-product start system) of supports of one size.

    Supports with the same number of actions per player share the structure of their systems, so
    they are solved together: system ``s * P + p`` is support ``s`` at batch point ``p``, and every
    path (row) belongs to one system (`rows`).
    """

    def __init__(self, payoffs: np.ndarray, same_size: list[SupportSystem], rows: np.ndarray,
                 rng: np.random.Generator):
        system = same_size[0]
        self.sys = system
        n = len(system.support)
        self.n = n
        self.rows = rows  # system of each path
        # D[i]: (systems, m_i, *support sizes of the others) payoff differences to the first support action
        self.diff = {}
        P = len(payoffs)
        for i in system.groups:
            stacked = []
            for sup in same_size:
                u = payoffs[:, i][np.ix_(range(P), *sup.support)]  # (P, s_1, ..., s_n)
                u = np.moveaxis(u, 1 + i, 1)  # (P, s_i, others...)
                stacked.append(u[:, 1:] - u[:, :1])
            self.diff[i] = np.concatenate(stacked)
        self.coef = {(i, r, j): rng.normal(size=system.sizes[j] + 1) + 1j * rng.normal(size=system.sizes[j] + 1)
                     for i in system.groups for r in range(system.sizes[i]) for j in system.groups if j != i}

    def probabilities(self, x: np.ndarray) -> list[np.ndarray]:
        out = []
        for k, m in enumerate(self.sys.sizes):
            if m == 0:
                out.append(np.ones((len(x), 1), dtype=x.dtype))
            else:
                xs = x[:, self.sys.offsets[k]:self.sys.offsets[k] + m]
                out.append(np.concatenate([1 - xs.sum(axis=1, keepdims=True), xs], axis=1))
        return out

    def F(self, x: np.ndarray, paths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        B, N = x.shape
        p = self.probabilities(x)
        value = np.zeros((B, N), dtype=complex)
        jac = np.zeros((B, N, N), dtype=complex)
        for i in self.sys.groups:
            others = [k for k in range(self.n) if k != i]
            d = self.diff[i][self.rows[paths]].astype(complex)  # (B, m_i, others...)
            lo = self.sys.offsets[i]
            for k_pos, k in enumerate(others):  # derivative in player k: contract everyone but k
                t = d
                for j_pos in reversed(range(len(others))):
                    if j_pos != k_pos:
                        t = np.einsum("bm...s,bs->bm...", np.moveaxis(t, 2 + j_pos, -1), p[others[j_pos]])
                g = t  # (B, m_i, s_k)
                if k_pos == 0:
                    value[:, lo:lo + self.sys.sizes[i]] = np.einsum("bms,bs->bm", g, p[k])
                m_k = self.sys.sizes[k]
                if m_k:
                    jac[:, lo:lo + self.sys.sizes[i], self.sys.offsets[k]:self.sys.offsets[k] + m_k] = \
                        g[:, :, 1:] - g[:, :, :1]
        return value, jac

    def linear(self, x: np.ndarray, i: int, r: int, j: int) -> np.ndarray:
        a = self.coef[(i, r, j)]
        xs = x[:, self.sys.offsets[j]:self.sys.offsets[j] + self.sys.sizes[j]]
        return a[0] + xs @ a[1:]

    def G(self, x: np.ndarray, paths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        B, N = x.shape
        value = np.zeros((B, N), dtype=complex)
        jac = np.zeros((B, N, N), dtype=complex)
        for i in self.sys.groups:
            for r in range(self.sys.sizes[i]):
                row = self.sys.offsets[i] + r
                factors = {j: self.linear(x, i, r, j) for j in self.sys.groups if j != i}
                value[:, row] = np.prod(list(factors.values()), axis=0) if factors else 1.0
                for j in factors:
                    rest = np.prod([f for k, f in factors.items() if k != j], axis=0) if len(factors) > 1 else 1.0
                    a = self.coef[(i, r, j)]
                    jac[:, row, self.sys.offsets[j]:self.sys.offsets[j] + self.sys.sizes[j]] = \
                        (rest * np.ones(B))[:, None] * a[None, 1:]
        return value, jac

    def start_roots(self) -> np.ndarray:
        eqs = [(i, r) for i in self.sys.groups for r in range(self.sys.sizes[i])]
        roots = []
        for chosen in self.sys.assignments:
            x = np.zeros(self.sys.n_unknowns, dtype=complex)
            for j in self.sys.groups:
                mine = [eqs[k] for k, g in enumerate(chosen) if g == j]
                A = np.array([self.coef[(i, r, j)] for i, r in mine])
                x[self.sys.offsets[j]:self.sys.offsets[j] + self.sys.sizes[j]] = np.linalg.solve(A[:, 1:], -A[:, 0])
            roots.append(x)
        return np.array(roots).reshape(len(roots), self.sys.n_unknowns)


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
            sub = _Systems(payoffs, same_size, np.repeat(np.arange(S * P), n_starts), rng)
            starts = np.tile(sub.start_roots(), (S * P, 1))
            direct = {2: _solve_linear, 3: _solve_three_bilinear}.get(len(first.groups))
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
            full = _full_profiles(system, xs, shape)
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


def _solve_linear(sub: _Systems, starts: np.ndarray, budget: TrackBudget) -> tuple[np.ndarray, np.ndarray]:
    """Roots of systems where exactly two players mix, solved directly: each one's conditions are affine
    in the other's probabilities (everyone else plays one action), so one path per system, and no path
    to track. Systems whose matrix is singular are marked `UNFINISHED` for the homotopy to classify."""
    paths = np.arange(len(starts))
    value, jac = sub.F(np.zeros_like(starts, dtype=complex), paths)
    x = starts.astype(complex).copy()
    status = np.full(len(starts), UNFINISHED)
    condition = np.linalg.cond(jac)
    ok = np.isfinite(condition) & (condition <= budget.singular_condition)
    x[ok] = np.linalg.solve(jac[ok], -value[ok][..., None])[..., 0]
    status[ok] = REGULAR
    return x, status


def _solve_three_bilinear(sub: _Systems, starts: np.ndarray, budget: TrackBudget) -> tuple[np.ndarray, np.ndarray]:
    """Both roots of each system where three players mix two actions each, in closed form.

    Unknown k is player k's probability of its second support action; equation k is bilinear in the
    other two unknowns, ``a + b u_i + c u_j + d u_i u_j``. Solving equations 0 and 1 for u1 and u0
    as functions of u2 and substituting into equation 2 leaves a quadratic in u2, whose two roots
    are the system's two paths (the Bezout number is 2). A root that does not solve the system to
    rounding, or where the elimination divides by (nearly) zero or the Jacobian is singular, is
    marked `UNFINISHED` and left to the homotopy, which classifies it.
    """
    B = len(starts)
    paths = np.arange(B)
    corners = {}
    for bits in itertools.product((0.0, 1.0), repeat=3):
        corners[bits] = sub.F(np.tile(np.array(bits, dtype=complex), (B, 1)), paths)[0]

    def coefficients(k: int) -> tuple[np.ndarray, ...]:
        i, j = [m for m in range(3) if m != k]

        def at(ui: float, uj: float) -> np.ndarray:
            bits = [0.0, 0.0, 0.0]
            bits[i], bits[j] = ui, uj
            return corners[tuple(bits)][:, k]
        a = at(0, 0)
        b, c = at(1, 0) - a, at(0, 1) - a
        return a, b, c, at(1, 1) - a - b - c

    a0, b0, c0, d0 = coefficients(0)  # in u1, u2
    a1, b1, c1, d1 = coefficients(1)  # in u0, u2
    a2, b2, c2, d2 = coefficients(2)  # in u0, u1

    def times(p: tuple[np.ndarray, np.ndarray], q: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        return np.stack([p[0] * q[0], p[0] * q[1] + p[1] * q[0], p[1] * q[1]])

    quad = (a2 * times((b1, d1), (b0, d0)) - b2 * times((a1, c1), (b0, d0))
            - c2 * times((a0, c0), (b1, d1)) + d2 * times((a1, c1), (a0, c0)))  # (3, B): 1, z, z^2
    C, Bq, A = quad.astype(complex)
    with np.errstate(all="ignore"):
        root = np.sqrt(Bq * Bq - 4 * A * C)
        q = -(Bq + np.where((np.conj(Bq) * root).real >= 0, root, -root)) / 2
        z = np.where(np.arange(B) % 2 == 0, q / A, C / q)  # the two roots, one per path of a system
        u0 = -(a1 + c1 * z) / (b1 + d1 * z)
        u1 = -(a0 + c0 * z) / (b0 + d0 * z)
    x = np.stack([u0, u1, z], axis=1).astype(complex)
    status = np.full(B, UNFINISHED)
    finite = np.isfinite(x).all(axis=1)
    x = np.where(finite[:, None], x, starts)
    for _ in range(2):  # Newton on the system itself removes the elimination's rounding
        value, jac = sub.F(x, paths)
        step = solve_or_nan(jac, -value)
        x = x + np.where(np.isfinite(step), step, 0)
    value, jac = sub.F(x, paths)
    size = np.abs(np.stack([a0, b0, c0, d0, a1, b1, c1, d1, a2, b2, c2, d2])).max(axis=0)  # the system's scale
    condition = np.linalg.cond(jac)
    root = finite & (np.abs(value).max(axis=1) <= 1e-9 * size * (1.0 + np.abs(x).max(axis=1)) ** 2)  # bilinear
    ok = root & np.isfinite(condition) & (condition <= budget.singular_condition) \
        & (np.abs(x).max(axis=1) < budget.divergence)
    status[ok] = REGULAR
    # A root far from every probability profile cannot be an equilibrium, however ill-conditioned:
    # it is accounted for, as a path to infinity would be.
    status[root & ~ok & ~_near_profile(sub.sys, x, slack=0.5)] = DIVERGED
    return x, status


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
    bad = (status == UNFINISHED) | ((status == SINGULAR) & _near_profile(system, x)) | met
    return bad, met


def _near_profile(system: SupportSystem, x: np.ndarray, slack: float = 0.01) -> np.ndarray:
    """Rows of `x` that are nearly real and whose implied probabilities lie nearly in [0, 1]."""
    real = np.abs(x.imag).max(axis=1) <= slack
    full = _full_profiles(system, x.real, tuple(max(s) + 1 for s in system.support))
    inside = np.all([((f >= -slack) & (f <= 1 + slack)).all(axis=1) for f in full], axis=0)
    return real & inside


def _paths_that_met(x: np.ndarray, regular: np.ndarray, system_of: np.ndarray) -> np.ndarray:
    """Paths of one system that ended at the same regular root: only one path can reach a regular root."""
    met = np.zeros(len(x), dtype=bool)
    order = np.lexsort((np.round(x.real[:, 0], 6), system_of))
    for a, b in zip(order[:-1], order[1:]):
        if (regular[a] and regular[b] and system_of[a] == system_of[b]
                and np.abs(x[a] - x[b]).max() <= 1e-6 * (1 + np.abs(x[a]).max())):
            met[a] = met[b] = True
    return met


def _full_profiles(system: SupportSystem, x: np.ndarray, shape: tuple[int, ...]) -> list[np.ndarray]:
    """Probability vectors over all actions from the unknowns of a support's system."""
    out = []
    for k, (acts, m) in enumerate(zip(system.support, system.sizes)):
        full = np.zeros((len(x), shape[k]))
        xs = x[:, system.offsets[k]:system.offsets[k] + m] if m else np.zeros((len(x), 0))
        full[:, acts[0]] = 1 - xs.sum(axis=1)
        for r, a in enumerate(acts[1:]):
            full[:, a] = xs[:, r]
        out.append(full)
    return out
