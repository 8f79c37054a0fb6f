"""Batched homotopy continuation for square polynomial systems: every path of every system at once.

To find all isolated roots of ``F(x) = 0`` (``x`` in C^N), start from a system ``G`` of the same
structure whose roots are known and deform it: ``H(x, t) = (1 - t) * gamma * G(x) + t * F(x)``, with a
random complex ``gamma`` (the "gamma trick": for all but finitely many gamma the paths are smooth for
``t`` in [0, 1) and never meet, so every isolated root of ``F`` is the end of some path). Each path is
followed by a fourth-order Runge-Kutta predictor along ``dx/dt = -H_x^{-1} H_t`` and a Newton
corrector, with its own step size, as one array computation over all paths (Sommese and Wampler,
The Numerical Solution of Systems of Polynomials, 2005, chapters 2 and 10).

A path ends in one of four ways, reported per path: it reaches ``t = 1`` at a regular root (the
Jacobian there is well conditioned), it diverges (a root at infinity, which a game system may have),
it reaches ``t = 1`` at a singular root, or it runs out of its step budget. Only the first two are
"tracked to the end" for the purpose of a completeness claim.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .linalg import solve_or_nan

# (x (B, N), path ids (B,)) -> values (B, N), Jacobian (B, N, N): rows of x are the paths with those ids
System = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]

REGULAR, DIVERGED, SINGULAR, UNFINISHED = 0, 1, 2, 3


@dataclass(frozen=True)
class TrackBudget:
    """Bounds of one tracking run: steps per path, step sizes in t, and the thresholds of the ends."""

    max_steps: int = 4000
    first_step: float = 0.02
    max_step: float = 0.1
    min_step: float = 1e-13
    divergence: float = 1e10  # |x| beyond this: the path goes to infinity
    singular_condition: float = 1e10  # condition number of F_x at the end beyond this: a singular root


def track(F: System, G: System, starts: np.ndarray, gamma: complex, budget: TrackBudget | None = None
          ) -> tuple[np.ndarray, np.ndarray]:
    """Follow every path from the roots `starts` of G (``(B, N)`` complex) to t = 1.

    Returns the end points ``(B, N)`` and the status of each path (`REGULAR`, `DIVERGED`, `SINGULAR`,
    `UNFINISHED`). F and G evaluate batches of points: rows of their input are paths.
    """
    budget = budget or TrackBudget()
    B = len(starts)
    x = starts.astype(complex).copy()
    t = np.zeros(B)
    dt = np.full(B, budget.first_step)
    status = np.full(B, UNFINISHED)
    active = np.ones(B, dtype=bool)
    steps = 0

    def velocity(xs, ts, rows):
        f, fx = F(xs, rows)
        g, gx = G(xs, rows)
        hx = (1 - ts)[:, None, None] * gamma * gx + ts[:, None, None] * fx
        return -solve_or_nan(hx, f - gamma * g)

    def residual(xs, ts, rows):
        f, fx = F(xs, rows)
        g, gx = G(xs, rows)
        return (1 - ts)[:, None] * gamma * g + ts[:, None] * f, (1 - ts)[:, None, None] * gamma * gx + \
            ts[:, None, None] * fx

    while active.any() and steps < budget.max_steps:
        steps += 1
        rows = np.flatnonzero(active)
        xr, tr = x[rows], t[rows]
        h = np.minimum(dt[rows], 1.0 - tr)
        k1 = velocity(xr, tr, rows)
        k2 = velocity(xr + 0.5 * h[:, None] * k1, tr + 0.5 * h, rows)
        k3 = velocity(xr + 0.5 * h[:, None] * k2, tr + 0.5 * h, rows)
        k4 = velocity(xr + h[:, None] * k3, tr + h, rows)
        xp = xr + (h / 6.0)[:, None] * (k1 + 2 * k2 + 2 * k3 + k4)
        tp = tr + h
        ok = np.isfinite(xp).all(axis=1)
        previous = np.full(len(rows), np.inf)
        for iteration in range(3):
            value, jac = residual(xp, tp, rows)
            delta = solve_or_nan(jac, -value)
            size = np.abs(delta).max(axis=1)
            scale = 1.0 + np.abs(xp).max(axis=1)
            # A corrector that does not contract (rounding noise at convergence excepted) left the path.
            bad = ~np.isfinite(size) | ((size > 0.5 * previous) & (size > 1e-12 * scale))
            if iteration == 0:
                # A large first correction means the corrector is pulling toward another part of the
                # solution set (at t = 1 a diverging path may be pulled onto a finite root): refuse it.
                bad |= size > 0.25 * (1.0 + np.abs(xr).max(axis=1))
            ok &= ~bad
            xp = xp + np.where(np.isfinite(delta), delta, 0)
            previous = np.where(np.isfinite(size), size, np.inf)
        ok &= previous <= 1e-8 * (1.0 + np.abs(xp).max(axis=1))
        good, fail = rows[ok], rows[~ok]
        x[good], t[good] = xp[ok], tp[ok]
        dt[good] = np.minimum(dt[good] * 1.5, budget.max_step)
        dt[fail] *= 0.5
        big = np.abs(x[good]).max(axis=1) > budget.divergence
        status[good[big]] = DIVERGED
        active[good[big]] = False
        done = good[~big & (t[good] >= 1.0)]
        active[done] = False
        status[done] = REGULAR
        tiny = fail[dt[fail] < budget.min_step]
        active[tiny] = False
        # A path whose step collapses while its norm keeps growing is going to infinity.
        status[tiny] = np.where(np.abs(x[tiny]).max(axis=1) > 1e4, DIVERGED, UNFINISHED)
    finished = np.flatnonzero(status == REGULAR)
    if len(finished):
        x[finished] = _polish(F, x[finished], finished)
        _, fx = F(x[finished], finished)
        condition = np.linalg.cond(fx) if fx.shape[-1] else np.ones(len(finished))
        singular = ~np.isfinite(condition) | (condition > budget.singular_condition)
        status[finished[singular]] = SINGULAR
    return x, status


def _polish(F: System, x: np.ndarray, rows: np.ndarray, iterations: int = 5) -> np.ndarray:
    """A few Newton steps on F itself at the end of the paths."""
    for _ in range(iterations):
        value, jac = F(x, rows)
        delta = solve_or_nan(jac, -value)
        x = x + np.where(np.isfinite(delta), delta, 0)
    return x
