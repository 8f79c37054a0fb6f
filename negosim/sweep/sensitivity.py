"""Sensitivity analysis: which parameters move a scenario's outcome and payoffs, and how much.

Three methods, all on top of `negosim.sweep.point_outputs.evaluate_points` (batched, in chunks):

- `oat`: one at a time. Each parameter alone to the ends of its range, the others at baseline;
  plus, from `negosim.sweep.boundaries.nearest_boundaries`, the nearest outcome change on each side.
- `sobol`: variance-based global indices (Saltelli's sampling scheme, Sobol' sequence): S1 is the
  share of an output's variance due to a parameter alone, ST adds its interactions.
- `morris`: elementary effects along random one-at-a-time trajectories; a cheap screening.

The global methods vary every chosen parameter uniformly over its range at once. Their outputs
are the indicator of each outcome label seen (its mean is that outcome's share of the samples)
and each player's equilibrium payoff where it is defined at every sample.
`sobol` and `morris` need the optional SALib package; `oat` does not.

`oat` is here; `sobol` and `morris` live in `negosim.sweep.sensitivity_indices`, the parameters and
ranges every method varies are chosen by `negosim.sweep.sensitivity_parameters`, and the results are
`negosim.sweep.sensitivity_results`' (all importable from here).

>>> from negosim.scenario import load_scenario
>>> result = oat(load_scenario("scenarios/ceasefire_2025.yaml"))
>>> result.baseline_outcome
'truce_aid'

Its terminal tables are drawn by `negosim.present.text.sensitivity`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ..errors import UsageError
from .bargain_sweep import is_bargaining, output_names
from .boundaries import Boundary, nearest_boundaries
from .point_outputs import evaluate_points
from .sensitivity_indices import morris, sobol
from .sensitivity_parameters import choose_parameters, plain_overrides
from .sensitivity_results import Flip, IndicesResult, OatResult
from .sensitivity_results import _num as _num  # the terminal tables' number format (present.text.sensitivity)


def oat(scenario, *, parameters: Sequence[str] | None = None, overrides: Mapping[str, float] | None = None,
        ranges: Mapping[str, tuple[float, float]] | None = None) -> OatResult:
    """Return each parameter's one-at-a-time effect: alone at its low and at its high end, others at baseline.

    `parameters` defaults to every declared parameter with a range; `overrides` sets the baseline
    (as ``--set``); `ranges` narrows a parameter's [low, high] inside its declared range. One
    batched solve of 2P + 1 points, plus `nearest_boundaries`' scan for the outcome changes.
    Raises UsageError for an unknown or repeated name, a bad range, or nothing to vary.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    parameters : sequence of str, optional
        The parameters varied (default: every declared parameter with a range).
    overrides : mapping, optional
        Baseline values of parameters (as ``--set``).
    ranges : mapping, optional
        Parameter -> ``(low, high)`` inside its declared range.

    Returns
    -------
    OatResult

    Raises
    ------
    NegosimUsageError
        For an unknown or repeated name, a bad range, a baseline outside its range, or nothing to vary.

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> s = load_scenario("scenarios/entry_deterrence.yaml")
    >>> r = oat(s, parameters=["rep"])
    >>> r.baseline_outcome, r.outcome_low, r.outcome_high
    ('shared_market', ('shared_market',), ('stay_out',))
    """
    base = scenario.with_overrides(dict(overrides or {}))
    names, bounds, notes = choose_parameters(base, parameters, ranges)
    values = base.values()
    for n in names:
        lo, hi = bounds[n]
        if not lo <= values[n] <= hi:
            raise UsageError(f"{n}: its baseline value {values[n]:g} is outside the range [{lo:g}, {hi:g}]")
    P = len(names)
    low = np.array([bounds[n][0] for n in names])
    high = np.array([bounds[n][1] for n in names])
    points = {}
    for j, n in enumerate(names):
        col = np.full(2 * P + 1, values[n])
        col[1 + j], col[1 + P + j] = low[j], high[j]
        points[n] = col
    out = evaluate_points(base, points)
    pay = out.payoffs.T  # (n_players, 2P + 1)
    at_low, at_high = pay[:, 1:P + 1], pay[:, P + 1:]
    stacked = np.stack([np.broadcast_to(pay[:, :1], at_low.shape), at_low, at_high])
    swing = stacked.max(axis=0) - stacked.min(axis=0)
    if not out.defined.all():
        notes.append("some payoffs are undefined (no unique equilibrium there): shown as NaN")
    labels = [str(x) for x in out.labels]
    near = nearest_boundaries(base)
    flips = []
    for j, n in enumerate(names):
        below, above = _split(near.get(n, []), values[n])
        below = below if below is not None and below.value >= low[j] else None
        above = above if above is not None and above.value <= high[j] else None
        changes = below is not None or above is not None or labels[1 + j] != labels[0] or labels[1 + P + j] != labels[0]
        flips.append(Flip(n, bool(changes), below, above))
    return OatResult(tuple(names), low, high, np.array([values[n] for n in names]), output_names(base),
                     pay[:, 0].copy(), at_low.copy(), at_high.copy(), labels[0], tuple(labels[1:P + 1]),
                     tuple(labels[P + 1:]), swing, tuple(flips), plain_overrides(overrides), tuple(notes),
                     "quantity" if is_bargaining(base) else "payoff")



def _split(found: list[Boundary], base: float) -> tuple[Boundary | None, Boundary | None]:
    """`nearest_boundaries`' list for one parameter as (below, above) the base value."""
    below = [b for b in found if b.value < base]
    above = [b for b in found if b.value >= base]
    return (below[-1] if below else None), (above[0] if above else None)



__all__ = ["Flip", "IndicesResult", "OatResult", "morris", "oat", "sobol"]
