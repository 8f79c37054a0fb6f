"""Solve a `form: bargaining` scenario: evaluate its argument formulas and run its model, batched.

>>> from negosim.scenario import load_scenario
>>> sol = solve_bargaining(load_scenario("scenarios/fearon_risk_return.yaml"))
>>> round(float(sol.quantities["offer"]), 6), sol.outcomes().tolist()
(0.5, 'risky_offer')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import FormulaError, NegosimInputError, Problem, ScenarioError
from .bargainmodels import BargainModel

if TYPE_CHECKING:
    from .bargainspec import BargainSpec
    from .model import Scenario

CONCEPT = "bargaining"


@dataclass(frozen=True, eq=False)
class BargainSolution:
    """What a bargaining model says at a batch of parameter points.

    `quantities` maps each of the model's quantities to an array of the batch shape (``()`` at a
    single point); `regimes` holds each point's outcome regime (an object array of the same shape);
    `parameters` every parameter's values over the batch. A closed form has no ties and no
    selection: `complete` is always True, and the result is the model's unique solution.

    Attributes
    ----------
    title : str
        The scenario's title.
    model : BargainModel
        The model solved.
    quantities : dict of str to numpy.ndarray
        Each of the model's quantities over the batch.
    regimes : numpy.ndarray
        Object array of the batch shape: each point's regime id.
    parameters : dict of str to numpy.ndarray
        Every parameter's values over the batch.
    labels : dict of str to str
        Regime id -> the scenario's words for it.
    players : tuple of str
        The scenario's players, in the order of the model's roles.
    concept : str
        The solution concept's name.
    complete : bool
        Always True (a closed form).

    Examples
    --------
    >>> import negosim as ns
    >>> sol = solve_bargaining(ns.load("scenarios/rubinstein_war.yaml"))
    >>> sol.batch_shape, str(sol.regimes), sol.players
    ((), 'proposer_option_binds', ('RU', 'UA'))
    """

    title: str
    model: BargainModel
    quantities: dict[str, np.ndarray]
    regimes: np.ndarray
    parameters: dict[str, np.ndarray] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # regime -> the scenario's words for it
    players: tuple[str, ...] = ()
    concept: str = CONCEPT
    complete: bool = True

    @property
    def batch_shape(self) -> tuple[int, ...]:
        return tuple(self.regimes.shape)

    def outcomes(self) -> np.ndarray:
        """Each point's regime label (a 0-d array at a single point), as `Solution.outcomes` gives outcome ids."""
        return self.regimes

    def label(self, regime: str) -> str:
        """The scenario's words for a regime (its id with spaces when the scenario gives none)."""
        return self.labels.get(regime, regime.replace("_", " "))

    def __repr__(self) -> str:
        if not self.batch_shape:
            head = self.model.quantities[0]
            return (f"<BargainSolution {self.model.name} of {self.title!r}: {head} = "
                    f"{float(self.quantities[head]):.6g}; {self.regimes.item()}>")
        return f"<BargainSolution {self.model.name} of {self.title!r}: batch {self.batch_shape}>"

    def to_dict(self) -> dict[str, Any]:
        """Plain data (numbers or nested lists) for JSON: model, parameters, quantities, regime."""
        def plain(a: np.ndarray) -> Any:
            return a.tolist()
        return {"concept": CONCEPT, "model": self.model.name, "complete": True,
                "parameters": {k: plain(np.asarray(v)) for k, v in self.parameters.items()},
                "quantities": {k: plain(v) for k, v in self.quantities.items()},
                "regime": plain(self.regimes), "source": self.model.source, "closed_form": self.model.closed_form}

    def to_frame(self) -> Any:
        """A pandas DataFrame, one row per point: the parameters, the quantities and the regime."""
        from ..solve.views import require_pandas

        pd = require_pandas()
        shape = self.batch_shape
        cols: dict[str, Any] = {k: np.broadcast_to(v, shape).reshape(-1) for k, v in self.parameters.items()}
        cols.update({k: np.broadcast_to(v, shape).reshape(-1) for k, v in self.quantities.items()})
        cols["regime"] = self.regimes.reshape(-1)
        return pd.DataFrame(cols)


def solve_bargaining(scenario: Scenario, params: Mapping[str, Any] | None = None) -> BargainSolution:
    """Return the bargaining model's quantities and regimes at the baseline overridden by `params`.

    Parameters
    ----------
    scenario : Scenario
        A scenario whose game section has ``form: bargaining``.
    params : mapping of str to float or array, optional
        Parameter values (arrays broadcast into a batch). Not range-checked here.

    Returns
    -------
    BargainSolution
        The quantities and regimes over the batch shape of `params`.

    Raises
    ------
    ScenarioError
        Where the model refuses its arguments (a probability outside [0, 1], say), located at the
        ``model`` line of the scenario, or where an argument formula is not finite.

    Examples
    --------
    >>> import negosim as ns
    >>> sol = solve_bargaining(ns.load("scenarios/rubinstein_war.yaml"), {"delta": [0.5, 0.9]})
    >>> sol.batch_shape, sol.quantities["share"].round(3).tolist()
    ((2,), [0.75, 0.55])
    """
    spec: BargainSpec = scenario.game  # type: ignore[assignment]
    env = scenario.evaluate(params)
    shape = np.broadcast_shapes(*(np.shape(v) for v in env.values()))
    model = spec.model
    args = {}
    for name, formula in spec.arguments.items():
        if name not in model.frontier:
            args[name] = np.asarray(formula.evaluate(env), dtype=np.float64)
    frontier = {n: spec.arguments[n] for n in model.frontier}
    try:
        with np.errstate(divide="ignore", invalid="ignore"):
            quantities = model.compute(args, spec.options, env, frontier)
    except FormulaError:
        raise
    except NegosimInputError as exc:
        raise ScenarioError(Problem(f"{model.name}: {exc}", file=scenario.path, line=spec.line,
                                    path="game.model")) from None
    quantities = {k: np.array(np.broadcast_to(np.asarray(v, dtype=np.float64), shape))
                  for k, v in quantities.items()}
    regimes = np.array(np.broadcast_to(model.classify(quantities), shape), dtype=object)
    values = {k: np.asarray(v) for k, v in env.items() if k in scenario.parameters}
    return BargainSolution(scenario.title, model, quantities, regimes, values, dict(spec.labels),
                           scenario.player_ids)


def baseline_problems(scenario: Scenario) -> list[Problem]:
    """The problems of a bargaining scenario at its baseline: an argument the model refuses, a non-finite value.

    Parameters
    ----------
    scenario : Scenario
        A ``form: bargaining`` scenario.

    Returns
    -------
    list of Problem
        Empty when the model solves at the baseline with finite quantities.

    Examples
    --------
    >>> import negosim as ns
    >>> baseline_problems(ns.load("scenarios/rubinstein_war.yaml"))
    []
    """
    try:
        sol = solve_bargaining(scenario)
    except (FormulaError, ScenarioError) as exc:
        return list(exc.problems)
    spec: BargainSpec = scenario.game  # type: ignore[assignment]
    bad = [k for k, v in sol.quantities.items() if not np.isfinite(v).all()]
    if bad:
        return [Problem(f"{spec.model.name}: {', '.join(bad)} not finite at the baseline values",
                        file=scenario.path, line=spec.line, path="game.model")]
    return []


__all__ = ["BargainSolution", "baseline_problems", "solve_bargaining"]
