"""Regime boundaries: where in a parameter the equilibrium outcome changes, found by batched bisection.

An *outcome label* names the regime a parameter point is in; what it is (the subgame-perfect outcome
of a tree under its tie rules, the set of pure equilibria of a normal form) is decided in one place,
`negosim.solve.primary`, whose names this module re-exports for existing imports.

`nearest_boundaries` scans every declared parameter over its declared range (one batched solve for
all parameters, the others held at their base values), takes the outcome changes nearest to the base
value on each side, and refines each by `locate_boundaries`' bisection: all brackets in one batch,
several steps per solve (`negosim.sweep.bisection`); a tree of perfect information is labelled for it
without being built again, its parameter-free part solved once (`negosim.sweep.tree_points`, the same
labels). No matplotlib here: sweeps and presentation build on these functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from ..game.normal import NormalFormGame
from ..game.ties import TieRules
from ..game.tree import GameTree
from ..solve import primary
from ..solve.primary import NO_EQUILIBRIUM, NO_PURE, joined_codes, joined_labels, label_names
from ..solve.spe import subgame_perfect
from ..solve.tolerance import RTOL
from . import tree_points
from .bisection import LOOKAHEAD_POINTS, bisect_brackets
from .boundary_flags import TIE_RTOL, _points, flags_and_sides, selection_at_boundary, tied_at_boundary  # noqa: F401

if TYPE_CHECKING:
    from ..scenario.model import Scenario

#: The two sides of a refined boundary are probed this far away (relative to the parameter's range).
SIDE_STEP = 1e-4


@dataclass(frozen=True)
class Boundary:
    """A value of one parameter where the outcome label changes (the others held at their base values).

    `below` and `above` are the labels just below and just above `value`. `tied` is True when the
    players are indifferent exactly at the boundary (a tie present at neither side), so there the
    tie rules decide; False for a jump in a payoff formula. `selection` is True when on a side of
    the boundary a subgame has several equilibria and the outcome there is the one negosim's
    selection rule picks (`spe`'s ``extra["selected"]``): the change may then be a change of the
    selected equilibrium, not of the game's equilibria, and is reported as such.

    Parameters
    ----------
    parameter : str
        The parameter varied.
    value : float
        Where the label changes (within the bisection's tolerance).
    below, above : str
        The labels on either side.
    tied : bool
        The players are indifferent exactly at `value`.
    selection : bool
        A side's outcome is the one negosim's selection rule picks among several equilibria.

    Examples
    --------
    >>> from negosim.sweep import nearest_boundaries
    >>> from negosim.scenario import load_scenario
    >>> sc = load_scenario("scenarios/entry_deterrence.yaml")
    >>> (b,) = nearest_boundaries(sc)["rep"]
    >>> round(b.value, 6), b.below, b.above, b.tied
    (2.0, 'shared_market', 'stay_out', True)
    """

    parameter: str
    value: float
    below: str
    above: str
    tied: bool
    selection: bool = field(default=False, repr=False)


def game_outcome_labels(game: NormalFormGame | GameTree, ties: TieRules | None = None,
                        rtol: float = RTOL) -> np.ndarray:
    """Return the outcome label of every batch point of a built game.

    Parameters
    ----------
    game : NormalFormGame or GameTree
    ties : TieRules, optional
        Overrides a tree's own tie rules (`negosim.solve.primary.outcome_labels` is the policy).
    rtol : float
        Relative tolerance for ties.

    Returns
    -------
    numpy.ndarray
        Object array of shape ``game.batch_shape``.

    Examples
    --------
    >>> import numpy as np
    >>> from negosim.sweep import game_outcome_labels
    >>> from negosim.scenario import load_scenario
    >>> sc = load_scenario("scenarios/entry_deterrence.yaml")
    >>> [str(x) for x in game_outcome_labels(sc.build({"rep": np.array([1.0, 2.5])}))]
    ['shared_market', 'stay_out']
    """
    if ties is not None and isinstance(game, GameTree):
        return primary.outcome_labels(game, solution=subgame_perfect(game, ties=ties, rtol=rtol))
    return primary.outcome_labels(game, rtol=rtol)


def outcome_labels(scenario: Scenario, params: Mapping | None = None) -> np.ndarray:
    """Return the outcome label (see the module docstring) at every point of ``scenario.build(params)``.

    Parameters
    ----------
    scenario : Scenario
    params : dict, optional
        Parameter values (numbers or arrays); the others at baseline.

    Returns
    -------
    numpy.ndarray
        Object array of the points' batch shape.

    Examples
    --------
    >>> from negosim.sweep import outcome_labels
    >>> from negosim.scenario import load_scenario
    >>> sc = load_scenario("scenarios/entry_deterrence.yaml")
    >>> [str(x) for x in outcome_labels(sc, {"rep": [0.0, 3.0]})]
    ['shared_market', 'stay_out']
    """
    if getattr(scenario, "form", None) == "bargaining":  # the model's regime (negosim.sweep.bargain_sweep)
        from .bargain_sweep import regime_labels

        return regime_labels(scenario, params)
    if scenario.form == "repeated":  # the profiles grim trigger sustains, not the stage game's equilibria
        from ..scenario.repeated_analysis import repeated_labels

        return repeated_labels(scenario, params)
    return game_outcome_labels(scenario.build(params))


def locate_boundaries(scenario: Scenario, parameter: str, lo: ArrayLike, hi: ArrayLike,
                      base_params: Mapping | None = None, *, tol: float = 1e-9, max_iter: int = 100,
                      max_points: int | None = None) -> list[float]:
    """Return, for each bracket ``[lo[i], hi[i]]`` of `parameter` whose two ends have different outcome
    labels, a value within `tol` (absolute, in the parameter's units) of a point where the label changes.

    All brackets are bisected together, several steps per batched solve (`negosim.sweep.bisection`):
    the answer is plain bisection's, bit for bit, in about a quarter of the solves.

    Parameters
    ----------
    scenario : Scenario
    parameter : str
        The parameter varied.
    lo, hi : float or array_like
        The brackets' ends.
    base_params : dict, optional
        Values of the other parameters (default: baseline).
    tol : float
        Absolute tolerance, in the parameter's units.
    max_iter : int
        Bound on the bisection steps.
    max_points : int, optional
        The most points one batched solve labels (default: `lookahead_points` of the scenario).

    Returns
    -------
    list of float
        One value per bracket.

    Raises
    ------
    ValueError
        If the labels at the two ends of some bracket are equal (there is then nothing to locate).

    Examples
    --------
    >>> from negosim.sweep import locate_boundaries
    >>> from negosim.scenario import load_scenario
    >>> sc = load_scenario("scenarios/entry_deterrence.yaml")
    >>> [round(x, 6) for x in locate_boundaries(sc, "rep", 0.0, 4.0)]
    [2.0]
    """
    low, high = np.broadcast_arrays(np.atleast_1d(np.asarray(lo, float)), np.atleast_1d(np.asarray(hi, float)))
    names = np.full(low.shape, parameter, dtype=object)
    base = _base(scenario, base_params)
    if max_points is None:
        max_points = lookahead_points(scenario)

    def labels_at(which: np.ndarray, values: np.ndarray) -> np.ndarray:
        return _labels_at(scenario, base, names[which], values)

    # The ends are labelled in the first look-ahead solve; a bracket whose ends agree is refused then.
    out = bisect_brackets(labels_at, low, high, tol, max_iter, max_points=max_points,
                          balance=_balance(scenario, base, names, low))
    same = out.at_lo == out.at_hi
    if same.any():
        i = int(np.flatnonzero(same)[0])
        raise ValueError(f"{parameter}: both ends of the bracket [{low[i]}, {high[i]}] have outcome {out.at_lo[i]!r}")
    return [float(x) for x in (out.lo + out.hi) / 2]


def nearest_boundaries(scenario: Scenario, base_params: Mapping | None = None, *, grid: int = 201,
                       tol: float = 1e-9, max_iter: int = 100) -> dict[str, list[Boundary]]:
    """Return, for every declared parameter, the outcome changes nearest to its base value: at most one
    below and one above (in that order), within the parameter's declared range, others held at base.

    The scan evaluates `grid` evenly spaced values of every parameter (plus its base value) in one
    batched solve; each change found is refined by bisection to `tol`. A change between two grid
    points that changes back before the next one can be missed: raise `grid` to look closer. A
    change at an end of the range itself (within 10 `tol`: a tie at exactly that value, such as
    P = S at P = 0 in a prisoner's dilemma) is not reported: its regime is a single point.

    Parameters
    ----------
    scenario : Scenario
    base_params : dict, optional
        The base values (default: baseline).
    grid : int
        Values scanned per parameter (at least 2).
    tol : float
        Absolute tolerance of each boundary.
    max_iter : int
        Bound on the bisection steps.

    Returns
    -------
    dict
        Parameter name -> its `Boundary` list (at most one below the base value, one above).

    Raises
    ------
    ValueError
        For ``grid < 2``.

    Examples
    --------
    >>> from negosim.sweep import nearest_boundaries
    >>> from negosim.scenario import load_scenario
    >>> sc = load_scenario("scenarios/entry_deterrence.yaml")
    >>> [(b.parameter, round(b.value, 6)) for b in nearest_boundaries(sc)["rep"]]
    [('rep', 2.0)]
    """
    if grid < 2:
        raise ValueError("grid must be at least 2")
    base = _base(scenario, base_params)
    params = [p for p in scenario.parameters.values() if p.high > p.low]
    if not params:
        return {}
    xs = np.stack([np.sort(np.append(np.linspace(p.low, p.high, grid), base[p.name])) for p in params])
    names = np.repeat(np.array([p.name for p in params], dtype=object), xs.shape[1])
    labels = _labels_at(scenario, base, names, xs.reshape(-1)).reshape(xs.shape)
    found = []  # (parameter index, lo, hi, label at lo, label at hi)
    for j, p in enumerate(params):
        x, lab = xs[j], labels[j]
        b = int(np.searchsorted(x, base[p.name]))
        up = np.flatnonzero(lab[b + 1:] != lab[b])
        down = np.flatnonzero(lab[:b] != lab[b])
        if len(down):
            k = int(down[-1])
            found.append((j, x[k], x[k + 1], lab[k], lab[k + 1]))
        if len(up):
            k = b + 1 + int(up[0])
            found.append((j, x[k - 1], x[k], lab[k - 1], lab[k]))
    out: dict[str, list[Boundary]] = {p.name: [] for p in params}
    if not found:
        return out
    which = np.array([f[0] for f in found])
    bnames = np.array([params[j].name for j in which], dtype=object)
    lo, hi, at_lo, at_hi = (np.array([f[c] for f in found], dtype=float if c < 3 else object) for c in range(1, 5))
    # The scan held xs.size points at once: the look-ahead solves hold no more (up to LOOKAHEAD_POINTS).
    lo, hi, at_hi = _bisect(scenario, base, bnames, lo, hi, at_lo, at_hi, tol, max_iter,
                            max_points=min(LOOKAHEAD_POINTS, xs.size))
    widths = np.array([params[j].high - params[j].low for j in which])
    lows, highs = np.array([params[j].low for j in which]), np.array([params[j].high for j in which])
    left, right = np.maximum(lo - SIDE_STEP * widths, lows), np.minimum(hi + SIDE_STEP * widths, highs)
    # The labels just past each side, not at the ends of the bisection bracket: where the players are
    # indifferent exactly at the boundary, the bracket's end holds the tie's own label (every tied
    # equilibrium at once), which is the outcome at that single value only.
    tied, chosen, sides = flags_and_sides(scenario, base, bnames, (lo + hi) / 2, left, right)
    below, above = sides[: len(which)], sides[len(which):]
    for i, j in enumerate(which):
        if min(lo[i] - lows[i], highs[i] - hi[i]) <= 10 * tol:
            continue
        out[params[j].name].append(Boundary(params[j].name, float((lo[i] + hi[i]) / 2), str(below[i]),
                                            str(above[i]), bool(tied[i]), bool(chosen[i])))
    return out


# --- helpers ------------------------------------------------------------------------------
def _base(scenario, base_params: Mapping | None) -> dict[str, float]:
    return {**scenario.values(), **{k: float(v) for k, v in (base_params or {}).items()}}


def _labels_at(scenario, base, names, values) -> np.ndarray:
    params = _points(scenario, base, names, np.asarray(values, float))
    # A tree of perfect information: solved without building it again, its parameter-free part once
    # (`negosim.sweep.tree_points`; the same labels, or None where the usual path must decide).
    labels = tree_points.point_labels(scenario, params)
    return labels if labels is not None else outcome_labels(scenario, params).reshape(-1)


def _bisect(scenario, base, names, lo, hi, at_lo, at_hi, tol, max_iter, labels_at=None, max_points=None,
            balance=None):
    """Shrink every bracket to width <= tol keeping different labels at its ends; return lo, hi, label at hi.

    `labels_at(scenario, base, names, values)` labels points (default: their outcome labels). Plain
    bisection's answer, several steps per batched solve of at most `max_points` points
    (`negosim.sweep.bisection`; default: `lookahead_points` of the scenario); `balance` is the look-ahead's
    cost model for a given `labels_at` (`bisection.bisect_brackets`; default its own).
    """
    label = labels_at or _labels_at
    if max_points is None:
        max_points = lookahead_points(scenario)

    def labels_of(which: np.ndarray, values: np.ndarray) -> np.ndarray:
        return np.asarray(label(scenario, base, names[which], values))

    if labels_at is None:
        balance = _balance(scenario, base, names, lo)
    out = bisect_brackets(labels_of, lo, hi, tol, max_iter, at_lo=at_lo, at_hi=at_hi, max_points=max_points,
                          balance=balance)
    return out.lo, out.hi, out.at_hi


def _balance(scenario, base, names, values) -> float | None:
    """The look-ahead's cost model where `negosim.sweep.tree_points` labels the points (its solves have a
    far smaller fixed cost than a build and `subgame_perfect`), else None (the default model)."""
    if not len(values):
        return None
    plan = tree_points.prepared(scenario, _points(scenario, base, np.asarray(names), np.asarray(values, float)))
    return None if plan is None else plan.balance_points()


def lookahead_points(scenario) -> int:
    """Return the most points one batched bisection solve of `scenario` labels: `LOOKAHEAD_POINTS`, or
    fewer for a game so big that so many points would pass a sweep chunk's memory bound.

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> lookahead_points(load_scenario("scenarios/ceasefire_2025.yaml"))
    2048
    """
    if getattr(scenario, "form", None) == "bargaining":  # closed forms: a few numbers a point
        return LOOKAHEAD_POINTS
    from .engine import auto_chunk_size  # (engine imports this module)

    return min(LOOKAHEAD_POINTS, auto_chunk_size(scenario.build()))


__all__ = ["Boundary", "NO_EQUILIBRIUM", "NO_PURE", "game_outcome_labels", "joined_codes", "joined_labels",
           "label_names", "locate_boundaries", "nearest_boundaries", "outcome_labels"]
