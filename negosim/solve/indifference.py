"""The indifference systems of supports with the same sizes, as functions for homotopy continuation,
and the supports whose roots need no path tracking.

`IndifferenceSystems` holds F (each support player's payoff differences to its first support action,
at every batch point) and G (the linear-product start system with the same multilinear structure),
with their Jacobians, for all supports of one size at once. Where only two players mix, or three mix
two actions each, the roots are found directly (`solve_linear`, `solve_three_bilinear`); a root they
cannot vouch for is left `UNFINISHED` for the homotopy (`negosim.solve.homotopy.track`) to classify.
"""

from __future__ import annotations

import itertools

import numpy as np

from .homotopy import DIVERGED, REGULAR, UNFINISHED, TrackBudget
from .linalg import solve_or_nan
from .support_systems import SupportSystem, near_profile


class IndifferenceSystems:
    """F (the games' indifference systems) and G (the linear-product start system) of supports of one size.

    Supports with the same number of actions per player share the structure of their systems, so
    they are solved together: system ``s * P + p`` is support ``s`` at batch point ``p``, and every
    path (row) belongs to one system (`rows`).

    Parameters
    ----------
    payoffs : numpy.ndarray
        ``(P, n_players, *actions)`` payoffs of the game at its P batch points.
    same_size : list of SupportSystem
        Supports with the same sizes (`negosim.solve.support_systems.support_system`).
    rows : numpy.ndarray
        The system of each path.
    rng : numpy.random.Generator
        Draws the start system's random complex coefficients.

    Examples
    --------
    Matching pennies among three players (each paid for matching the next): the fully mixed support.

    >>> from negosim.solve.support_systems import support_system
    >>> pay = np.zeros((1, 3, 2, 2, 2))
    >>> for a in np.ndindex(2, 2, 2):
    ...     for i in range(3):
    ...         pay[(0, i, *a)] = float(a[i] == a[(i + 1) % 3])
    >>> system = support_system(((0, 1), (0, 1), (0, 1)))
    >>> sub = IndifferenceSystems(pay, [system], np.zeros(2, dtype=int), np.random.default_rng(0))
    >>> sub.start_roots().shape
    (2, 3)
    >>> value, jac = sub.F(np.full((1, 3), 0.5 + 0j), np.array([0]))
    >>> float(np.abs(value).max())
    0.0
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


def solve_linear(sub: IndifferenceSystems, starts: np.ndarray, budget: TrackBudget) -> tuple[np.ndarray, np.ndarray]:
    """Return the roots of systems where exactly two players mix, solved directly, and their status.

    Each mixing player's conditions are affine in the other's probabilities (everyone else plays one
    action), so there is one path per system and no path to track. Systems whose matrix is singular
    are marked `UNFINISHED` for the homotopy to classify.

    Parameters
    ----------
    sub : IndifferenceSystems
        Systems in which exactly two players mix.
    starts : numpy.ndarray
        ``(paths, n_unknowns)`` start roots (kept where a system is singular).
    budget : TrackBudget
        Its ``singular_condition`` bounds the condition number of a solvable system.

    Returns
    -------
    tuple of numpy.ndarray
        The roots ``(paths, n_unknowns)`` and each path's status (`REGULAR` or `UNFINISHED`).

    Examples
    --------
    Matching pennies: the column player's mix makes the row player indifferent, and back.

    >>> from negosim.solve.support_systems import support_system
    >>> pay = np.array([[[1.0, -1.0], [-1.0, 1.0]], [[-1.0, 1.0], [1.0, -1.0]]])[None]
    >>> sub = IndifferenceSystems(pay, [support_system(((0, 1), (0, 1)))], np.zeros(1, dtype=int),
    ...                           np.random.default_rng(0))
    >>> x, status = solve_linear(sub, sub.start_roots(), TrackBudget())
    >>> x.real.round(6).tolist(), status.tolist() == [REGULAR]
    ([[0.5, 0.5]], True)
    """
    paths = np.arange(len(starts))
    value, jac = sub.F(np.zeros_like(starts, dtype=complex), paths)
    x = starts.astype(complex).copy()
    status = np.full(len(starts), UNFINISHED)
    condition = np.linalg.cond(jac)
    ok = np.isfinite(condition) & (condition <= budget.singular_condition)
    x[ok] = np.linalg.solve(jac[ok], -value[ok][..., None])[..., 0]
    status[ok] = REGULAR
    return x, status


def solve_three_bilinear(sub: IndifferenceSystems, starts: np.ndarray, budget: TrackBudget
                         ) -> tuple[np.ndarray, np.ndarray]:
    """Return both roots of each system where three players mix two actions each, in closed form.

    Unknown k is player k's probability of its second support action; equation k is bilinear in the
    other two unknowns, ``a + b u_i + c u_j + d u_i u_j``. Solving equations 0 and 1 for u1 and u0
    as functions of u2 and substituting into equation 2 leaves a quadratic in u2, whose two roots
    are the system's two paths (the Bezout number is 2). A root that does not solve the system to
    rounding, or where the elimination divides by (nearly) zero or the Jacobian is singular, is
    marked `UNFINISHED` and left to the homotopy, which classifies it.

    Parameters
    ----------
    sub : IndifferenceSystems
        Systems in which three players mix two actions each.
    starts : numpy.ndarray
        ``(paths, 3)`` start roots, two per system (kept where the elimination fails).
    budget : TrackBudget
        Its ``singular_condition`` and ``divergence`` decide which roots are regular.

    Returns
    -------
    tuple of numpy.ndarray
        The roots ``(paths, 3)`` and each path's status (`REGULAR`, `DIVERGED` or `UNFINISHED`).

    Examples
    --------
    A random 2x2x2 game: both roots of its fully mixed system are regular and solve it.

    >>> from negosim.solve.support_systems import support_system
    >>> pay = np.random.default_rng(0).integers(-5, 6, size=(1, 3, 2, 2, 2)).astype(float)
    >>> sub = IndifferenceSystems(pay, [support_system(((0, 1),) * 3)], np.zeros(2, dtype=int),
    ...                           np.random.default_rng(0))
    >>> x, status = solve_three_bilinear(sub, sub.start_roots(), TrackBudget())
    >>> (status == REGULAR).tolist(), bool(np.abs(sub.F(x, np.arange(2))[0]).max() < 1e-9)
    ([True, True], True)
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
    status[root & ~ok & ~near_profile(sub.sys, x, slack=0.5)] = DIVERGED
    return x, status


__all__ = ["IndifferenceSystems", "solve_linear", "solve_three_bilinear"]
