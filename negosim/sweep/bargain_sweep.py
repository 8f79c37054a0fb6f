"""Sweeps of `form: bargaining` scenarios: the model's quantities as columns, its regime as the outcome label.

The engine (`negosim.sweep.engine`) calls these where a game scenario would build and solve a game:
a chunk's rows, the labels boundaries separate, and what figures need to name the regimes. A
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

# (`negosim.scenario.bargainsolve`, and the bargaining models with it, are imported by the functions that
# solve a model: the engine imports this module for every sweep, and a game's sweep needs none of them)
from . import output
from .table import Coded, Column, ResultRows


def is_bargaining(scenario) -> bool:
    """Whether the scenario names a bargaining model instead of a game.

    Parameters
    ----------
    scenario : Scenario
        A loaded scenario.

    Returns
    -------
    bool
        True for a ``form: bargaining`` scenario.

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> is_bargaining(load_scenario("scenarios/fearon_risk_return.yaml"))
    True
    >>> is_bargaining(load_scenario("scenarios/entry_deterrence.yaml"))
    False
    """
    return getattr(scenario, "form", None) == "bargaining"


def header(scenario, vary) -> str:
    """The CSV header of a bargaining sweep: the point, the varied parameters, the quantities.

    Parameters
    ----------
    scenario : Scenario
        A bargaining scenario.
    vary : iterable of str
        The varied parameters' names (a dict's keys serve).

    Returns
    -------
    str
        The header line, without a newline.

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> header(load_scenario("scenarios/fearon_risk_return.yaml"), ["cU"])
    'point,cU,concept,outcome,offer,war_probability,expected_cost_after_rejection,concession,tied'
    """
    quantities = list(scenario.game.model.quantities)
    return ",".join(["point", *vary, "concept", "outcome", *quantities, "tied"])


def regime_labels(scenario, params: Mapping | None = None) -> np.ndarray:
    """Every point's regime (object array of the batch shape), at the baseline overridden by `params`.

    Parameters
    ----------
    scenario : Scenario
        A bargaining scenario.
    params : mapping, optional
        Parameter name -> value or array of values.

    Returns
    -------
    numpy.ndarray
        Object array of regime names.

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> import numpy as np
    >>> s = load_scenario("scenarios/fearon_risk_return.yaml")
    >>> regime_labels(s, {"cU": np.array([0.1, 0.5])}).tolist()
    ['risky_offer', 'safe_offer']
    """
    from ..scenario.bargainsolve import solve_bargaining

    return solve_bargaining(scenario, params).regimes


def solve_chunk(scenario, params: dict[str, np.ndarray], start: int) -> tuple[ResultRows, np.ndarray, np.ndarray]:
    """One chunk's rows (typed columns) and its labels as (sorted distinct labels, each point's index), as the
    engine's.

    Parameters
    ----------
    scenario : Scenario
        A bargaining scenario.
    params : dict
        Parameter name -> 1-d array of the chunk's values (all the same length).
    start : int
        The chunk's first point number.

    Returns
    -------
    rows : ResultRows
        The chunk's rows (one per point), in `header`'s columns.
    names : numpy.ndarray
        The sorted distinct regimes.
    codes : numpy.ndarray
        Each point's index into `names`.

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> import numpy as np
    >>> s = load_scenario("scenarios/fearon_risk_return.yaml")
    >>> rows, names, codes = solve_chunk(s, {"cU": np.array([0.1, 0.5])}, 10)
    >>> print(rows.csv_text(), end="")
    10,0.1,bargaining,risky_offer,0.5,0.3333333333333333,0.049999999999999996,0.09999999999999999,false
    11,0.5,bargaining,safe_offer,0.6,0.0,0.0,0.0,false
    >>> names.tolist(), codes.tolist()
    (['risky_offer', 'safe_offer'], [0, 1])
    """
    from ..scenario.bargainsolve import CONCEPT, solve_bargaining

    n = len(next(iter(params.values())))
    sol = solve_bargaining(scenario, params)
    regimes = np.broadcast_to(sol.regimes, (n,))
    names, codes = output.label_codes(regimes)
    quantities = list(sol.model.quantities)
    cols: list[Column] = [np.arange(start, start + n, dtype=np.int64)]
    cols += [np.asarray(v, dtype=float) for v in params.values()]
    cols.append(Coded((CONCEPT,), np.zeros(n, dtype=np.int8)))
    cols.append(Coded(tuple(str(x) for x in names), codes))
    cols += [np.array(np.broadcast_to(sol.quantities[q], (n,)), dtype=float) for q in quantities]
    cols.append(np.zeros(n, dtype=bool))
    col_names = ("point", *params, "concept", "outcome", *quantities, "tied")
    return ResultRows(col_names, tuple(cols)), names, codes


def output_names(scenario) -> tuple[str, ...]:
    """The columns a point's outputs hold: a bargaining model's quantities, else each player's payoff.

    Parameters
    ----------
    scenario : Scenario
        A loaded scenario.

    Returns
    -------
    tuple of str
        The quantities' names, or the player ids.

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> output_names(load_scenario("scenarios/fearon_risk_return.yaml"))
    ('offer', 'war_probability', 'expected_cost_after_rejection', 'concession')
    >>> output_names(load_scenario("scenarios/entry_deterrence.yaml"))
    ('Entrant', 'Incumbent')
    """
    return tuple(scenario.game.model.quantities) if is_bargaining(scenario) else tuple(scenario.player_ids)


def quantity_table(scenario, params: Mapping) -> tuple[np.ndarray, np.ndarray]:
    """(N,) regimes and (N, n_quantities) quantities at the N points of the flat arrays in `params`.

    Parameters
    ----------
    scenario : Scenario
        A bargaining scenario.
    params : mapping
        Parameter name -> flat array of N values.

    Returns
    -------
    regimes : numpy.ndarray
        ``(N,)`` object array of regime names.
    values : numpy.ndarray
        ``(N, n_quantities)`` floats, in the model's quantity order.

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> import numpy as np
    >>> s = load_scenario("scenarios/fearon_risk_return.yaml")
    >>> regimes, values = quantity_table(s, {"cU": np.array([0.1, 0.5])})
    >>> regimes.tolist(), values[:, 0].tolist()
    (['risky_offer', 'safe_offer'], [0.5, 0.6])
    """
    from ..scenario.bargainsolve import solve_bargaining

    sol = solve_bargaining(scenario, params)
    n = sol.regimes.size
    values = np.stack([np.asarray(sol.quantities[q]).reshape(-1) for q in sol.model.quantities], axis=1)
    return sol.regimes.reshape(n), values


def describe(scenario, labels) -> dict:
    """The regimes' readable names, in the model's own order (what figures colour them by).

    Parameters
    ----------
    scenario : Scenario
        A bargaining scenario.
    labels : iterable
        The regimes found.

    Returns
    -------
    dict
        ``outcome_names`` (regime -> readable name), ``outcome_order``, ``model`` and ``quantities``
        (the model's plotted quantities).

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> d = describe(load_scenario("scenarios/fearon_risk_return.yaml"), ["safe_offer", "risky_offer"])
    >>> d["outcome_order"], d["model"]
    (['risky_offer', 'safe_offer'], 'risk_return')
    """
    spec = scenario.game
    order = list(spec.model.regimes)
    labels = [str(x) for x in labels]
    return {"outcome_names": {label: spec.label(label) for label in labels},
            "outcome_order": sorted(labels, key=lambda x: (order.index(x) if x in order else len(order), x)),
            "model": spec.model.name, "quantities": list(spec.model.plotted)}


__all__ = ["describe", "header", "is_bargaining", "output_names", "quantity_table", "regime_labels", "solve_chunk"]
