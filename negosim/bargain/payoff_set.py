"""The set of subgame-perfect equilibrium payoffs of a repeated two-player game (Abreu and Sannikov).

With perfect monitoring, discounting and public randomization, the payoffs of pure-strategy
subgame-perfect equilibria form a convex polygon ``V``. Abreu and Sannikov (2014), "An algorithm for
two-player repeated games with perfect monitoring", Theoretical Economics 9(2), compute it as the
limit of ``W_{k+1} = B(W_k)`` from a set known to contain it (the feasible payoffs), where ``B(W)`` is
the set of payoffs ``(1 - delta) u(a) + delta w`` with a continuation ``w`` in ``W`` that deters every
deviation: ``w_i >= IC_i(a) = p_i + (1 - delta)/delta * (best deviation payoff_i(a) - u_i(a))``, ``p``
being the worst payoff of each player in ``W`` (the harshest credible punishment). Their insight is
that each action profile adds at most four extreme points: where the boundary of ``W`` crosses the two
incentive lines inside the incentive region, the corner ``IC(a)`` itself when it lies in ``W``, or,
when ``u(a)`` is itself incentive compatible and in ``W``, the point ``u(a)`` (repeat ``a``). The
polygon is kept as its vertices in counterclockwise order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import NegosimInputError

#: Two coordinates closer than this (relative to the payoff range) are the same.
GEOMETRY_TOL = 1e-13


@dataclass(frozen=True)
class EquilibriumPayoffSet:
    """The subgame-perfect equilibrium payoffs of a repeated game, as a convex polygon.

    Attributes
    ----------
    vertices : numpy.ndarray
        ``(k, 2)`` extreme points, counterclockwise (empty when no pure-action equilibrium exists).
    punishment : numpy.ndarray
        ``(2,)`` each player's lowest equilibrium payoff: the harshest credible punishment.
    iterations : int
        Applications of the operator ``B``.
    converged : bool
        Whether the vertices stopped moving (by more than `tol`) within `max_iter` iterations.
    delta : float
        The discount factor.
    """

    vertices: np.ndarray
    punishment: np.ndarray
    iterations: int
    converged: bool
    delta: float

    def contains(self, point, tol: float = 1e-9) -> bool:
        """Whether a payoff pair lies in the polygon (within `tol`)."""
        return _inside(self.vertices, np.asarray(point, dtype=float), tol)


def equilibrium_payoffs(payoffs_1, payoffs_2, delta: float, *, tol: float = 1e-12,
                        max_iter: int = 10_000) -> EquilibriumPayoffSet:
    """Return the set of pure-strategy subgame-perfect equilibrium payoffs of a repeated 2-player game.

    Parameters
    ----------
    payoffs_1, payoffs_2 : array_like
        The stage game's payoffs to players 1 and 2, each ``(k1, k2)`` (row player's action first,
        for both players: the convention of `NormalFormGame.from_bimatrix`).
    delta : float
        The common discount factor per period, in (0, 1).
    tol : float
        Convergence: stop when no vertex moves by more than ``tol`` times the payoff range.
    max_iter : int
        At most this many applications of the operator; `converged` says whether it sufficed.

    Returns
    -------
    EquilibriumPayoffSet

    Examples
    --------
    The prisoner's dilemma (3, 3 for cooperation; temptation 5, sucker 0, punishment 1): patient
    players can sustain every feasible individually rational payoff, from (1, 1) up to (3, 3).

    >>> V = equilibrium_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]], 0.9)
    >>> V.contains((3, 3)), V.contains((1, 1)), V.contains((4, 0.5)), V.converged
    (True, True, False, True)
    """
    A = np.asarray(payoffs_1, dtype=float)
    B = np.asarray(payoffs_2, dtype=float)
    if A.ndim != 2 or A.shape != B.shape:
        raise NegosimInputError(f"the stage game needs two payoff matrices of one shape, not {A.shape} and {B.shape}")
    if not 0 < delta < 1:
        raise NegosimInputError(f"the discount factor must lie strictly between 0 and 1, not {delta:g}")
    if not (np.isfinite(A).all() and np.isfinite(B).all()):
        raise NegosimInputError("stage payoffs must be finite")
    span = max(float(np.ptp(np.concatenate([A.ravel(), B.ravel()]))), 1e-300)
    eps = GEOMETRY_TOL * span
    stage = np.stack([A.ravel(), B.ravel()], axis=1)  # (profiles, 2)
    gains = np.stack([(A.max(axis=0, keepdims=True) - A).ravel(), (B.max(axis=1, keepdims=True) - B).ravel()],
                     axis=1)  # each player's best deviation gain at each profile
    polygon = _hull(stage, eps)
    punishment = stage.min(axis=0)
    converged = False
    iteration = 0
    for iteration in range(1, max_iter + 1):
        points = []
        for u, gain in zip(stage, gains):
            ic = punishment + (1 - delta) / delta * gain
            if (u >= ic - eps).all() and _inside(polygon, u, eps):
                points.append(u)  # repeat this profile forever
                continue
            points.extend(delta * c + (1 - delta) * u for c in _binding_points(polygon, ic, eps))
        if not points:
            return EquilibriumPayoffSet(np.zeros((0, 2)), punishment, iteration, True, float(delta))
        new = _hull(np.array(points), eps)
        new_punishment = np.maximum(punishment, new.min(axis=0))
        same = (new.shape == polygon.shape and np.abs(new - polygon).max() <= tol * span
                and np.array_equal(new_punishment, punishment))
        polygon, punishment = new, new_punishment
        if same:
            converged = True
            break
    return EquilibriumPayoffSet(polygon, punishment, iteration, converged, float(delta))


def _binding_points(polygon: np.ndarray, ic: np.ndarray, eps: float) -> list[np.ndarray]:
    """Where the boundary of `polygon` meets the incentive lines ``w_i = ic_i`` inside ``w >= ic``,
    and the corner `ic` itself when it lies in the polygon."""
    found = []
    k = len(polygon)
    edges = [(polygon[j], polygon[(j + 1) % k]) for j in range(k)] if k > 1 else [(polygon[0], polygon[0])]
    for i in range(2):
        other = 1 - i
        for p0, p1 in edges:
            lo, hi = min(p0[i], p1[i]), max(p0[i], p1[i])
            # The tolerance is tiny (GEOMETRY_TOL of the payoff range): an incentive line that meets W within
            # it still counts, and whatever it lets in can grow the set by at most eps / (1 - delta).
            if not lo - eps <= ic[i] <= hi + eps:
                continue
            if abs(p1[i] - p0[i]) <= eps:  # an edge along the line: both ends are candidates
                candidates = [p0[other], p1[other]]
            else:
                w = min(max((ic[i] - p0[i]) / (p1[i] - p0[i]), 0.0), 1.0)
                candidates = [p0[other] + w * (p1[other] - p0[other])]
            for x in candidates:  # interpolated within the edge, so every candidate lies in W
                if x >= ic[other] - eps:
                    point = np.empty(2)
                    point[i], point[other] = ic[i], x
                    found.append(point)
    if _inside(polygon, ic, eps):
        found.append(ic.copy())
    return found


def _hull(points: np.ndarray, eps: float) -> np.ndarray:
    """Counterclockwise vertices of the convex hull (Andrew's monotone chain), collinear points dropped."""
    pts = np.unique(points, axis=0) if len(points) else points
    if len(pts) <= 2:
        return pts
    # Sort by x, treating x values within eps as equal, then by y: a one-ulp difference in x must not
    # put a point out of its order along a vertical edge (the chain would then drop a corner).
    order = np.lexsort((pts[:, 1], np.round(pts[:, 0] / max(eps, 1e-300))))
    pts = pts[order]

    def chain(seq):
        out: list[np.ndarray] = []
        for p in seq:
            # Drop the middle point when it is within eps of the line through its neighbours.
            while len(out) >= 2 and _cross(out[-2], out[-1], p) <= eps * np.linalg.norm(p - out[-2]):
                out.pop()
            out.append(p)
        return out

    lower, upper = chain(pts), chain(pts[::-1])
    hull = lower[:-1] + upper[:-1]
    # Sorting cannot see through rounding: drop any vertex still (nearly) on the segment of its neighbours.
    changed = True
    while changed and len(hull) > 2:
        changed = False
        for j in range(len(hull)):
            prev, here, nxt = hull[j - 1], hull[j], hull[(j + 1) % len(hull)]
            if _cross(prev, here, nxt) <= eps * np.linalg.norm(nxt - prev):
                del hull[j]
                changed = True
                break
    return np.array(hull)


def _cross(o: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    return float((a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]))


def _edge_values(polygon: np.ndarray, point: np.ndarray) -> np.ndarray:
    """Signed distances (times edge length) of `point` from every edge; all >= 0 inside."""
    nxt = np.roll(polygon, -1, axis=0)
    return (nxt[:, 0] - polygon[:, 0]) * (point[1] - polygon[:, 1]) - (nxt[:, 1] - polygon[:, 1]) * (
        point[0] - polygon[:, 0])


def _on_segment(point: np.ndarray, a: np.ndarray, b: np.ndarray, tol: float) -> bool:
    d = b - a
    t = np.clip(np.dot(point - a, d) / max(np.dot(d, d), 1e-300), 0, 1)
    return bool(np.abs(a + t * d - point).max() <= tol)


def _inside(polygon: np.ndarray, point: np.ndarray, eps: float) -> bool:
    if len(polygon) == 0:
        return False
    if len(polygon) == 1:
        return bool(np.abs(polygon[0] - point).max() <= eps)
    if len(polygon) == 2:
        return _on_segment(point, polygon[0], polygon[1], eps)
    lengths = np.linalg.norm(np.roll(polygon, -1, axis=0) - polygon, axis=1)
    return bool((_edge_values(polygon, point) >= -eps * np.maximum(lengths, 1.0)).all())
