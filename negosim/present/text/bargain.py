"""Terminal table and `solve --json` document of a `form: bargaining` scenario (one parameter point).

>>> from negosim.scenario import load_scenario
>>> from negosim.scenario.bargainsolve import solve_bargaining
>>> s = load_scenario("scenarios/fearon_risk_return.yaml")
>>> print(format_bargaining(s, solve_bargaining(s)).splitlines()[3])
Model: risk_return (Fearon's risk-return trade-off)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import __version__
from ...scenario.bargainsolve import BargainSolution
from ...scenario.model import Scenario
from . import fmt_number


def _value(v: np.ndarray) -> float:
    return float(np.asarray(v).reshape(-1)[0])


def format_bargaining(scenario: Scenario, sol: BargainSolution) -> str:
    """The text report of a bargaining solve: title, players and roles, parameters, quantities, regime.

    Parameters
    ----------
    scenario : Scenario
        The bargaining scenario.
    sol : BargainSolution
        Its solution at a single point.

    Returns
    -------
    str
        The report's lines.

    Examples
    --------
    >>> import negosim as ns
    >>> from negosim.scenario.bargainsolve import solve_bargaining
    >>> scenario = ns.load("scenarios/rubinstein_war.yaml")
    >>> sol = solve_bargaining(scenario)
    >>> format_bargaining(scenario, sol).splitlines()[1]
    'Players: RU (Russia, proposer), UA (Ukraine, responder)'
    """
    model = sol.model
    roles = ", ".join(f"{p.id} ({p.name}, {role})" if p.name not in ("", p.id) else f"{p.id} ({role})"
                      for p, role in zip(scenario.players, model.roles))
    out = [f"{scenario.title}  ({scenario.path})", f"Players: {roles}",
           "Parameters: " + ", ".join(f"{k}={fmt_number(p.value)}" for k, p in scenario.parameters.items()),
           f"Model: {model.name} ({model.title})", ""]
    width = max(len(q) for q in model.quantities)
    for name in model.quantities:
        value = _value(sol.quantities[name])
        shown = fmt_number(value) if np.isfinite(value) else "undefined"
        out.append(f"  {name.ljust(width)}  {shown}")
    regime = str(sol.regimes.reshape(-1)[0])
    out += ["", f"Regime: {regime} ({sol.label(regime)})", f"Closed form: {model.closed_form}",
            f"Source: {model.source}", "",
            "A closed form (or a bounded numerical optimum): no equilibrium enumeration, no ties to report."]
    return "\n".join(out)


def bargaining_document(scenario: Scenario, sol: BargainSolution) -> dict[str, Any]:
    """The `solve --json` document: the usual envelope, with one solution of concept ``bargaining``.

    Parameters
    ----------
    scenario : Scenario
        The bargaining scenario.
    sol : BargainSolution
        Its solution at a single point.

    Returns
    -------
    dict
        The JSON-ready document (non-finite quantities as None).

    Examples
    --------
    >>> import negosim as ns
    >>> from negosim.scenario.bargainsolve import solve_bargaining
    >>> scenario = ns.load("scenarios/rubinstein_war.yaml")
    >>> sol = solve_bargaining(scenario)
    >>> doc = bargaining_document(scenario, sol)
    >>> doc["players"], doc["solutions"][0]["regime"]
    (['RU', 'UA'], 'proposer_option_binds')
    """
    regime = str(sol.regimes.reshape(-1)[0])
    entry = {"concept": "bargaining", "model": sol.model.name, "complete": True, "degenerate": False,
             "quantities": {k: _plain(_value(v)) for k, v in sol.quantities.items()},
             "regime": regime, "regime_label": sol.label(regime),
             "roles": dict(zip(scenario.player_ids, sol.model.roles)),
             "closed_form": sol.model.closed_form, "model_source": sol.model.source}
    return {"negosim_version": __version__, "source": {"path": scenario.path, "sha256": scenario.sha256},
            "players": list(scenario.player_ids),
            "parameters": {k: p.value for k, p in scenario.parameters.items()},
            "solutions": [entry], "warnings": []}


def _plain(x: float) -> float | None:
    return x if np.isfinite(x) else None


__all__ = ["bargaining_document", "format_bargaining"]
