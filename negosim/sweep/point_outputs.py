"""What one batched solve says about each of N points (`PointOutputs`: outcome label, payoffs, whether
defined), for sensitivity analyses and figures, and the boundaries between consecutive grid values of a
one-parameter sweep, bisected to `BOUNDARY_TOL`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..game.normal import NormalFormGame
from ..records import dataclass  # (frozen dataclasses made with less compiling: negosim.records)
from ..scenario.compiled import solve_tree_chunk
from ..solve.primary import outcome_labels, primary_concept, primary_solution
from . import bargain_sweep
from .chunk_solve import _labels

if TYPE_CHECKING:  # (the boundary modules are imported when a one-parameter sweep bisects its boundaries)
    from .boundaries import Boundary

#: How closely a sweep's boundaries are located (in the parameter's units).
BOUNDARY_TOL = 1e-9


@dataclass(frozen=True)
class PointOutputs:
    """What one batched solve says about each of N points: its outcome label (see
    `negosim.sweep.boundaries`), each player's equilibrium payoff, and whether that payoff is defined.

    `payoffs` (N, n_players) holds the subgame-perfect payoffs of a tree (unique under the tie rules),
    for a bargaining scenario the model's quantities (N, n_quantities, `bargain_sweep.output_names`),
    and for a normal form the payoffs of its equilibrium where the solver guarantees there is exactly
    one (2 players, complete enumeration, one equilibrium); NaN elsewhere, with `defined` False.

    Attributes
    ----------
    labels : numpy.ndarray
        ``(N,)`` object array: each point's outcome label.
    payoffs : numpy.ndarray
        ``(N, n_players)`` (or ``(N, n_quantities)``) floats, NaN where not defined.
    defined : numpy.ndarray
        ``(N,)`` bools: whether the point's row of `payoffs` is defined.

    Examples
    --------
    >>> import numpy as np
    >>> from negosim.scenario import load_scenario
    >>> from negosim.sweep.engine import evaluate_points
    >>> s = load_scenario("scenarios/entry_deterrence.yaml")
    >>> out = evaluate_points(s, {"rep": np.array([0.0, 4.0])})
    >>> [str(x) for x in out.labels], out.payoffs.tolist(), out.defined.tolist()
    (['shared_market', 'stay_out'], [[1.0, 2.0], [0.0, 4.0]], [True, True])
    """

    labels: np.ndarray
    payoffs: np.ndarray
    defined: np.ndarray


def evaluate_points(scenario, params: dict[str, np.ndarray]) -> PointOutputs:
    """Return the `PointOutputs` of `scenario` at the N points of the flat arrays in `params` (others at
    the scenario's baseline), in one batched build and solve.

    Parameters
    ----------
    scenario : Scenario
    params : dict
        Parameter name -> ``(N,)`` values.

    Returns
    -------
    PointOutputs
        Each point's outcome label, the players' payoffs (NaN where the answer is not one
        equilibrium) and whether they are defined.

    Examples
    --------
    >>> import numpy as np
    >>> from negosim.sweep import evaluate_points
    >>> from negosim.scenario import load_scenario
    >>> sc = load_scenario("scenarios/entry_deterrence.yaml")
    >>> out = evaluate_points(sc, {"rep": np.array([0.0, 3.0])})
    >>> [str(x) for x in out.labels], out.payoffs.tolist()
    (['shared_market', 'stay_out'], [[1.0, 2.0], [0.0, 4.0]])
    """
    n = len(next(iter(params.values()))) if params else 1
    full = {k: np.broadcast_to(np.asarray(v, dtype=float), (n,)) for k, v in params.items()}
    if bargain_sweep.is_bargaining(scenario):  # the model's quantities stand where payoffs would
        labels, values = bargain_sweep.quantity_table(scenario, full)
        return PointOutputs(labels, values, np.isfinite(values).all(axis=1))
    if (compiled := solve_tree_chunk(scenario, full)) is not None:  # a tree of perfect information
        return PointOutputs(compiled.labels(), compiled.payoffs, np.ones(n, dtype=bool))
    game = scenario.build(full)
    pays = np.full((n, game.n_players), np.nan)
    if isinstance(game, NormalFormGame):
        labels = _labels(scenario, game, full).reshape(-1)
        if primary_concept(game) == "nash":
            sol = primary_solution(game)
            count = np.bincount(sol.point, minlength=n)
            one = (count == 1) & sol.complete.reshape(-1)
            rows = one[sol.point]
            pays[sol.point[rows]] = sol.payoffs[rows]
    else:
        sol = primary_solution(game)
        labels = outcome_labels(game, solution=sol).reshape(-1)
        pays[sol.point] = sol.payoffs
    return PointOutputs(labels, pays, np.asarray(~np.isnan(pays).any(axis=1)))


def grid_boundaries(scenario, name: str, values: np.ndarray, labels: np.ndarray,
                    names: np.ndarray | None = None, max_points: int | None = None) -> list[Boundary]:
    """Return the boundaries between consecutive grid values of `name` whose labels differ, each refined
    to `BOUNDARY_TOL` by batched bisection (all brackets together, several steps per solve). With
    `names`, `labels` holds each point's index into them (the compact form: no string per point).

    Parameters
    ----------
    scenario : Scenario
        The scenario swept.
    name : str
        The one varied parameter.
    values : numpy.ndarray
        The grid's values of `name`, in increasing order.
    labels : numpy.ndarray
        Each grid point's outcome label (or, with `names`, its index into `names`).
    names : numpy.ndarray, optional
        The distinct labels `labels` indexes.
    max_points : int, optional
        The most points one bisection solve may hold (a sweep passes its chunk size; at most
        `negosim.sweep.bisection.LOOKAHEAD_POINTS`; default: `negosim.sweep.boundaries.lookahead_points`).

    Returns
    -------
    list of Boundary
        One per change of label between consecutive values, with the labels below and above, whether
        a player is indifferent at it (``tied``; always for a repeated game) and whether a selection
        rule picks the equilibrium there (``selection``).

    Examples
    --------
    >>> import numpy as np
    >>> from negosim.scenario import load_scenario
    >>> s = load_scenario("scenarios/entry_deterrence.yaml")
    >>> values = np.array([0.0, 1.0, 2.5, 4.0])
    >>> labels = np.array(["shared_market", "shared_market", "stay_out", "stay_out"], dtype=object)
    >>> [(round(b.value, 6), b.below, b.above) for b in grid_boundaries(s, "rep", values, labels)]
    [(2.0, 'shared_market', 'stay_out')]
    """
    change = np.flatnonzero(labels[1:] != labels[:-1])
    if names is not None:  # only the labels either side of a change become strings
        labels = np.asarray(names, dtype=object)[labels[np.union1d(change, change + 1)]]
        change_at = np.searchsorted(np.union1d(change, change + 1), change)
    else:
        change_at = change
    if not len(change):
        return []
    from . import bisection, boundaries, boundary_flags  # (imported by a one-parameter sweep only)
    lo, hi = values[change], values[change + 1]
    mids = np.array(boundaries.locate_boundaries(scenario, name, lo, hi, tol=BOUNDARY_TOL, max_points=None if max_points
                                                 is None else min(max_points, bisection.LOOKAHEAD_POINTS)))
    p = scenario.parameters[name]
    step = boundaries.SIDE_STEP * (p.high - p.low)
    base = scenario.values()
    varied = np.full(len(mids), name, dtype=object)
    left, right = np.maximum(mids - step, p.low), np.minimum(mids + step, p.high)
    tied, chosen = boundary_flags.boundary_flags(scenario, base, varied, mids, left, right)
    if scenario.form == "repeated":  # a repeated game's labels change where a deviator is indifferent
        tied = np.ones(len(mids), dtype=bool)
    return [boundaries.Boundary(name, float(m), str(labels[k]), str(labels[k + 1]), bool(t), bool(c))
            for m, k, t, c in zip(mids, change_at, tied, chosen)]


__all__ = ["BOUNDARY_TOL", "PointOutputs", "evaluate_points", "grid_boundaries"]
