"""Pseudo-arclength path following over a batch: the engine behind the logit QRE branch.

The logit quantal response equilibria of a game form a curve ``H(y) = 0`` in ``y = (z, lambda)``, where
``z`` holds the log-probabilities of every action (Turocy 2005, "A dynamic homotopy interpretation of
the logistic quantal response equilibrium correspondence", Games and Economic Behavior 51(2)). From
the uniform profile at ``lambda = 0`` the curve is followed by a predictor (a step along its tangent,
the null vector of the Jacobian) and a corrector (Newton's method on ``H = 0`` plus the condition of
staying on the hyperplane orthogonal to the tangent), with the step length adapted to how Newton
converged. Every batch point follows its own curve with its own step, as one array computation.

The Jacobian is computed by complex-step differentiation (``Im H(y + i h e_c) / h``), which is exact to
rounding for the analytic functions ``H`` is built from, so the tangent and Newton steps are accurate
without hand-written derivatives. Work is bounded by `max_steps` and `time_limit`; a point that runs
out of either is reported as not converged, never silently.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .linalg import solve_or_nan

#: Complex step for the Jacobian; any tiny value works (there is no cancellation).
COMPLEX_STEP = 1e-40


@dataclass(frozen=True)
class PathBudget:
    """Bounds on the work of one trace: predictor-corrector steps, wall time, and step lengths."""

    max_steps: int = 20_000
    time_limit: float = 60.0
    first_step: float = 0.03
    max_step: float = 1e12
    min_step: float = 1e-10
    newton_iterations: int = 6
    newton_tol: float = 1e-11


@dataclass
class PathState:
    """Where each batch point stands on its curve: the point ``y``, the tangent, the step, and flags."""

    y: np.ndarray  # (P, d + 1), last column lambda
    tangent: np.ndarray  # (P, d + 1)
    step: np.ndarray  # (P,)
    active: np.ndarray  # (P,) bool: still being followed
    failed: np.ndarray  # (P,) bool: stopped by a step below min_step
    steps: int = 0
    samples: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)  # (point ids, y rows)


Residual = Callable[[np.ndarray], np.ndarray]  # (P, d + 1) real or complex -> (P, d)
Restrict = Callable[[np.ndarray], Residual]  # batch point ids -> the residual of those points


def jacobian(H: Residual, y: np.ndarray) -> np.ndarray:
    """``dH/dy`` at every batch point, shape ``(P, d, d + 1)``, by complex steps."""
    P, n = y.shape
    base = y.astype(complex)
    columns = []
    for c in range(n):
        probe = base.copy()
        probe[:, c] += 1j * COMPLEX_STEP
        columns.append(H(probe).imag / COMPLEX_STEP)
    return np.stack(columns, axis=-1)


def tangent(J: np.ndarray, previous: np.ndarray) -> np.ndarray:
    """The unit null vector of each ``J`` (``(P, d, d+1)``) oriented along `previous`."""
    A = np.concatenate([J, previous[:, None, :]], axis=1)
    rhs = np.zeros(A.shape[:2])
    rhs[:, -1] = 1.0
    t = solve_or_nan(A, rhs)
    return t / np.linalg.norm(t, axis=1, keepdims=True)


def correct(H: Residual, y: np.ndarray, t: np.ndarray, budget: PathBudget) -> tuple[np.ndarray, np.ndarray]:
    """Newton on ``H(y) = 0``, ``t . (y - y0) = 0`` from the predicted `y`; returns (y, converged)."""
    y0 = y.copy()
    ok = np.zeros(len(y), dtype=bool)
    for _ in range(budget.newton_iterations):
        r = H(y).real
        J = jacobian(H, y)
        A = np.concatenate([J, t[:, None, :]], axis=1)
        rhs = -np.concatenate([r, np.einsum("pk,pk->p", t, y - y0)[:, None]], axis=1)
        delta = solve_or_nan(A, rhs)
        bad = ~np.isfinite(delta).all(axis=1)
        delta[bad] = 0.0
        y = y + delta
        size = np.abs(delta).max(axis=1)
        ok = ~bad & (size <= budget.newton_tol * (1.0 + np.abs(y).max(axis=1)))
        ok &= np.abs(H(y).real).max(axis=1) <= 1e3 * budget.newton_tol * (1.0 + np.abs(y[:, :-1]).max(axis=1))
        if ok.all():
            break
    return y, ok


def follow(restrict: Restrict, y0: np.ndarray, stop: Callable[[np.ndarray, np.ndarray], np.ndarray],
           budget: PathBudget, on_step: Callable[[np.ndarray, np.ndarray, np.ndarray], None] | None = None
           ) -> PathState:
    """Follow ``H = 0`` from `y0` (lambda increasing at first) until ``stop(y, ids)`` holds at every point.

    ``restrict(ids)`` returns the residual ``H`` of the batch points `ids` (rows of ``y``), so that
    only the points still moving are computed. `on_step(ids, y_old, y_new)` is called after every
    accepted step with the ids of the points that moved, so that a caller can catch the crossings of
    given lambdas. Returns the final state; ``state.active`` marks points stopped by the step or time
    budget before `stop` held, ``state.failed`` those whose step fell below ``budget.min_step``.
    """
    P = len(y0)
    everyone = np.arange(P)
    start = np.zeros_like(y0)
    start[:, -1] = 1.0
    state = PathState(y=y0.copy(), tangent=tangent(jacobian(restrict(everyone), y0), start),
                      step=np.full(P, budget.first_step), active=~stop(y0, everyone), failed=np.zeros(P, dtype=bool))
    deadline = time.monotonic() + budget.time_limit
    while state.active.any() and state.steps < budget.max_steps and time.monotonic() < deadline:
        state.steps += 1
        ids = np.flatnonzero(state.active)
        H = restrict(ids)
        y, t, h = state.y[ids], state.tangent[ids], state.step[ids]
        predicted = y + h[:, None] * t
        corrected, ok = correct(H, predicted, t, budget)
        if ok.any():
            new_t = tangent(jacobian(restrict(ids[ok]), corrected[ok]), t[ok])
            # A sharp turn of the tangent means the step jumped to another part of the curve: refuse it.
            smooth = np.einsum("pk,pk->p", new_t, t[ok]) > 0.9
            accepted = np.zeros(len(ids), dtype=bool)
            accepted[np.flatnonzero(ok)[smooth]] = True
            moved = ids[accepted]
            if len(moved):
                if on_step is not None:
                    on_step(moved, state.y[moved].copy(), corrected[accepted])
                state.y[moved] = corrected[accepted]
                state.tangent[moved] = new_t[smooth]
                state.step[moved] = np.minimum(state.step[moved] * 1.4, budget.max_step)
                state.samples.append((moved, corrected[accepted]))
                state.active[moved] = ~stop(state.y[moved], moved)
            rejected = ids[~accepted]
        else:
            rejected = ids
        state.step[rejected] *= 0.5
        tiny = rejected[state.step[rejected] < budget.min_step]
        state.failed[tiny] = True
        state.active[tiny] = False
    return state
