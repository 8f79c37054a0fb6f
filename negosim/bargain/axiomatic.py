"""Axiomatic bargaining with war as the disagreement point: the Nash and Kalai-Smorodinsky solutions.

Sources: J. Nash (1950), "The Bargaining Problem", Econometrica 18(2); E. Kalai and M. Smorodinsky
(1975), "Other Solutions to Nash's Bargaining Problem", Econometrica 43(3).

The frontier is given by two negosim formulas in ``x``, the first party's share from 0 to 1 (for
example ``nash_solution("x", "sqrt(1 - x)")``); the formulas may use other names, given as keyword
arguments (scalars or arrays, which batch the solution like every negosim function).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..errors import NegosimInputError
from ..expr import Formula, parse_formula
from ._arrays import as_float, check_range, scalar_or_array
from .optimize import golden_maximum

#: Grid points used to bracket the solution on the frontier before golden-section refinement.
FRONTIER_GRID = 4097


def nash_solution(u_a: Any, u_b: Any, d: Any = (0.0, 0.0), beta: Any = 0.5, **params: Any) -> Any:
    """Return the share ``x`` of the (asymmetric) Nash bargaining solution on a frontier.

    Maximises ``(u_a(x) - d_a)**beta * (u_b(x) - d_b)**(1 - beta)`` over the shares ``x`` in [0, 1]
    that give both parties at least their disagreement payoffs. On the straight frontier
    ``u_a = x``, ``u_b = 1 - x`` with war as disagreement (``d = (p - cR, 1 - p - cU)``) the solution is
    ``x = p - cR + beta * (cR + cU)``; on ``u_a = x``, ``u_b = sqrt(1 - x)`` with ``d = (0, 0)`` it is 2/3.

    Parameters
    ----------
    u_a, u_b : str
        Formulas in ``x`` (and the names in `params`) for the two parties' payoffs at share ``x``.
    d : pair of floats or arrays
        The disagreement point ``(d_a, d_b)``: what each gets from war.
    beta : float or array
        The first party's bargaining weight, in [0, 1] (0.5: the symmetric Nash solution).
    **params : float or array
        Values of the other names the formulas use.

    Returns
    -------
    float or array
        The first party's share ``x``, found on a grid of `FRONTIER_GRID` points refined by
        golden-section search. The Nash product is flat at its maximum, so comparing its values
        locates the maximum to about 1e-8 (the square root of the float precision), not finer.

    Raises
    ------
    NegosimInputError
        If a formula is invalid or no share gives both parties more than the disagreement point.

    Examples
    --------
    >>> round(nash_solution("x", "sqrt(1 - x)"), 6)
    0.666667
    >>> round(nash_solution("x", "1 - x", d=(0.5, 0.25), beta=0.5), 6)   # p=0.6, cR=0.1, cU=0.15
    0.625
    """
    ua, ub, d_a, d_b, env = _frontier(u_a, u_b, d, params)
    beta = as_float(beta, "beta")
    check_range(beta, "beta", 0.0, 1.0)
    b = beta[..., None] if beta.ndim else beta

    def log_product(x: np.ndarray) -> np.ndarray:
        ga, gb = ua(x) - d_a[..., None], ub(x) - d_b[..., None]
        with np.errstate(divide="ignore", invalid="ignore"):
            value = b * np.log(np.maximum(ga, 0.0)) + (1.0 - b) * np.log(np.maximum(gb, 0.0))
        feasible = (ga >= 0) & (gb >= 0)
        return np.where(feasible & np.isfinite(value), value, -np.inf)

    shape = np.broadcast_shapes(d_a.shape, d_b.shape, beta.shape, *(v.shape for v in env.values()))
    x = golden_maximum(log_product, np.zeros(shape), np.ones(shape), grid=FRONTIER_GRID)
    _check_surplus(log_product(x[..., None])[..., 0], "Nash")
    return scalar_or_array(x)


def kalai_smorodinsky(u_a: Any, u_b: Any, d: Any = (0.0, 0.0), **params: Any) -> Any:
    """Return the share ``x`` of the Kalai-Smorodinsky solution on a frontier.

    The point of the frontier where each party's gain over the disagreement point is the same
    fraction of its ideal gain (the most it could get while the other gets at least its
    disagreement payoff): the share that maximises the smaller of the two normalised gains. On
    ``u_a = x``, ``u_b = sqrt(1 - x)`` with ``d = (0, 0)`` it is ``(sqrt(5) - 1) / 2``.

    Parameters
    ----------
    u_a, u_b : str
        Formulas in ``x`` (and the names in `params`), as for `nash_solution`.
    d : pair of floats or arrays
        The disagreement point ``(d_a, d_b)``.
    **params : float or array
        Values of the other names the formulas use.

    Returns
    -------
    float or array
        The first party's share ``x``.

    Examples
    --------
    >>> round(kalai_smorodinsky("x", "sqrt(1 - x)"), 9)
    0.618033989
    """
    ua, ub, d_a, d_b, env = _frontier(u_a, u_b, d, params)
    shape = np.broadcast_shapes(d_a.shape, d_b.shape, *(v.shape for v in env.values()))
    zeros, ones = np.zeros(shape), np.ones(shape)
    da, db = d_a[..., None], d_b[..., None]

    def masked(f: Callable[[np.ndarray], np.ndarray]) -> Callable[[np.ndarray], np.ndarray]:
        def g(x: np.ndarray) -> np.ndarray:
            feasible = (ua(x) >= da) & (ub(x) >= db)
            return np.where(feasible, f(x), -np.inf)
        return g

    ideal_a = ua(golden_maximum(masked(ua), zeros, ones, grid=FRONTIER_GRID)[..., None])[..., 0]
    ideal_b = ub(golden_maximum(masked(ub), zeros, ones, grid=FRONTIER_GRID)[..., None])[..., 0]
    span_a, span_b = (ideal_a - d_a)[..., None], (ideal_b - d_b)[..., None]
    _check_surplus(np.minimum(span_a, span_b)[..., 0], "Kalai-Smorodinsky", strict=True)

    def smaller_gain(x: np.ndarray) -> np.ndarray:
        return np.minimum((ua(x) - da) / span_a, (ub(x) - db) / span_b)

    return scalar_or_array(golden_maximum(masked(smaller_gain), zeros, ones, grid=FRONTIER_GRID))


def _frontier(u_a: Any, u_b: Any, d: Any, params: dict[str, Any]):
    """The two frontier formulas as functions of an x array, the disagreement point, and the names."""
    try:
        d_a, d_b = d
    except (TypeError, ValueError):
        raise NegosimInputError(f"d must be a pair (d_a, d_b), not {d!r}") from None
    d_a, d_b = as_float(d_a, "d_a"), as_float(d_b, "d_b")
    env = {name: as_float(value, name) for name, value in params.items()}
    if "x" in env:
        raise NegosimInputError("x is the share on the frontier; it cannot be given a value")
    known = {"x", *env}
    return _curve(u_a, "u_a", known, env), _curve(u_b, "u_b", known, env), d_a, d_b, env


def _curve(text: Any, name: str, known: set[str], env: dict[str, np.ndarray]) -> Callable[[np.ndarray], np.ndarray]:
    formula: Formula = parse_formula(text, known, path=name)
    run = formula.run
    assert run is not None  # parse_formula always compiles
    batch = {k: (v[..., None] if v.ndim else v) for k, v in env.items()}

    def curve(x: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):  # outside its domain a curve is NaN, which counts as infeasible
            return np.broadcast_to(run({**batch, "x": x}), x.shape) + 0.0 * x

    return curve


def _check_surplus(value: np.ndarray, what: str, *, strict: bool = False) -> None:
    bad = ~np.isfinite(value) | ((value <= 0) if strict else False)
    if np.any(bad):
        raise NegosimInputError(
            f"{what} solution: no share on the frontier gives both parties more than the disagreement point"
        )
