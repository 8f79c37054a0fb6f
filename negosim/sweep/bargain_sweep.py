"""Sweeps of `form: bargaining` scenarios: the model's quantities as columns, its regime as the outcome label.

The engine (`negosim.sweep.engine`) calls these where a game scenario would build and solve a game:
a chunk's CSV rows, the labels boundaries separate, and what figures need to name the regimes. A
closed form has no ties, so the ``tied`` column is always ``false``.

>>> from negosim.scenario import load_scenario
>>> import numpy as np
>>> s = load_scenario("scenarios/fearon_risk_return.yaml")
>>> header(s, {"cbar": None})
'point,cbar,concept,outcome,offer,war_probability,expected_cost_after_rejection,concession,tied'
>>> regime_labels(s, {"cU": np.array([0.1, 0.5])}).tolist()
['risky_offer', 'safe_offer']
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..scenario.bargainsolve import CONCEPT, solve_bargaining
from . import output


def is_bargaining(scenario) -> bool:
    """Whether the scenario names a bargaining model instead of a game."""
    return getattr(scenario, "form", None) == "bargaining"


def header(scenario, vary) -> str:
    """The CSV header of a bargaining sweep: the point, the varied parameters, the quantities."""
    quantities = list(scenario.game.model.quantities)
    return ",".join(["point", *vary, "concept", "outcome", *quantities, "tied"])


def regime_labels(scenario, params: Mapping | None = None) -> np.ndarray:
    """Every point's regime (object array of the batch shape), at the baseline overridden by `params`."""
    return solve_bargaining(scenario, params).regimes


def solve_chunk(scenario, params: dict[str, np.ndarray], start: int) -> tuple[str, np.ndarray, np.ndarray]:
    """One chunk's CSV rows and its labels as (sorted distinct labels, each point's index), as the engine's."""
    n = len(next(iter(params.values())))
    sol = solve_bargaining(scenario, params)
    regimes = np.broadcast_to(sol.regimes, (n,))
    names, codes = output.label_codes(regimes)
    cols = [output.int_text(start + np.arange(n))]
    cols += [output.float_text(v) for v in params.values()]
    cols.append(output.object_strings([CONCEPT], np.zeros(n, dtype=np.intp)))
    cols.append(output.csv_text(regimes))
    cols += [output.float_text(np.broadcast_to(sol.quantities[q], (n,))) for q in sol.model.quantities]
    cols.append(output.object_strings(["false"], np.zeros(n, dtype=np.intp)))
    return output.csv_lines(cols), names, codes


def output_names(scenario) -> tuple[str, ...]:
    """The columns a point's outputs hold: a bargaining model's quantities, else each player's payoff."""
    return tuple(scenario.game.model.quantities) if is_bargaining(scenario) else tuple(scenario.player_ids)


def quantity_table(scenario, params: Mapping) -> tuple[np.ndarray, np.ndarray]:
    """(N,) regimes and (N, n_quantities) quantities at the N points of the flat arrays in `params`."""
    sol = solve_bargaining(scenario, params)
    n = sol.regimes.size
    values = np.stack([np.asarray(sol.quantities[q]).reshape(-1) for q in sol.model.quantities], axis=1)
    return sol.regimes.reshape(n), values


def describe(scenario, labels) -> dict:
    """The regimes' readable names, in the model's own order (what figures colour them by)."""
    spec = scenario.game
    order = list(spec.model.regimes)
    labels = [str(x) for x in labels]
    return {"outcome_names": {label: spec.label(label) for label in labels},
            "outcome_order": sorted(labels, key=lambda x: (order.index(x) if x in order else len(order), x)),
            "model": spec.model.name, "quantities": list(spec.model.plotted)}


__all__ = ["describe", "header", "is_bargaining", "output_names", "quantity_table", "regime_labels", "solve_chunk"]
