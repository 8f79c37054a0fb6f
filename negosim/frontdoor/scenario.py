"""The front door's `Scenario`: the scenario layer's data (`negosim.scenario.Scenario`) with two verbs,
`solve` and `sweep`, added here so that the scenario layer never imports solvers or sweeps.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import NegosimUsageError, Problem, ScenarioError
from ..scenario import model
from ..scenario.yamlio import number_text
from ..solve.result import Solution
from ..solve.tolerance import RTOL
from .games import solve_game
from .sweep_result import SweepResult


@dataclass(frozen=True, eq=False)
class Scenario(model.Scenario):
    """A loaded scenario that can solve and sweep itself (what `negosim.load` returns).

    Every field is `negosim.scenario.Scenario`'s; see there for `build`, `evaluate`, `values` and
    `with_overrides`.

    Parameters
    ----------
    **fields
        Those of `negosim.scenario.Scenario`; `negosim.load` makes one from a file.

    Examples
    --------
    >>> import negosim as ns
    >>> sc = ns.load("scenarios/entry_deterrence.yaml")
    >>> sc
    <Scenario 'entry-deterrence': Entry deterrence (a non-credible threat); 2 players, 5 parameters>
    >>> sc.solve(rep=3.0).outcomes().tolist()
    ['stay_out']
    """

    def __repr__(self) -> str:
        return f"<Scenario {self.id!r}: {self.title}; {len(self.players)} players, {len(self.parameters)} parameters>"

    def solve(self, concept: str | None = None, *, rtol: float = RTOL, lambdas: Sequence[float] | None = None,
              **overrides: Any) -> Solution:
        """Return the verified equilibria of one concept at the baseline values overridden by `overrides`.

        Parameters
        ----------
        concept : str, optional
            ``"spe"``, ``"nash"``, ``"pure"``, ``"pbe"``, ``"qre"`` or ``"ce"``. Default: the game's primary answer
            (`negosim.solve.primary`): the subgame-perfect equilibrium of a tree, every Nash
            equilibrium of a 2-player normal form, the pure equilibria of any other. For a repeated
            scenario (``form: repeated``) the default (or ``"repeated"``) returns a
            `negosim.scenario.repeated_analysis.RepeatedSolution` (grim-trigger thresholds, and at one
            point the payoff set); ``"nash"`` and ``"pure"`` solve its stage game.
        rtol : float
            Relative tolerance for ties and verification, scaled to the payoff range.
        lambdas : sequence of float, optional
            For ``"qre"``: the precisions (default: `negosim.solve.qre_ce.DEFAULT_LAMBDAS` and the
            branch's Nash limit).
        **overrides : float or array_like
            Parameter values. Numbers are checked against the declared ranges; arrays (checked too)
            give a batch: the game is built and solved at every point at once, with the batch shape
            of the arrays broadcast together.

        Returns
        -------
        Solution
            For a ``form: bargaining`` scenario a `negosim.scenario.bargainsolve.BargainSolution`
            (the model's quantities and regime; `concept` is ignored). With ``parameters`` holding
            every parameter's values over the batch, so
            ``to_frame()`` shows each point's parameters. The scenario's tie rules are applied.

        Raises
        ------
        ScenarioError
            For an unknown parameter or a value outside its range (a `ValueError`).
        NegosimUsageError
            For a concept that does not apply to the game (a `ValueError`).

        Examples
        --------
        >>> import negosim as ns
        >>> sol = ns.load("scenarios/prisoners_dilemma.yaml").solve()
        >>> sol.outcomes().tolist()
        ['mutual_defection']
        """
        scenario, arrays = self._at(overrides)
        if scenario.form == "bargaining":  # a continuous model: its quantities and regimes, not equilibria
            from ..scenario.bargainsolve import solve_bargaining

            return solve_bargaining(scenario, arrays)  # type: ignore[return-value]
        if scenario.form == "repeated" and concept in (None, "repeated"):
            # a repeated game's answer: what grim trigger sustains (`negosim.scenario.repeated_analysis`)
            from ..scenario.repeated_analysis import repeated_solution

            return repeated_solution(scenario, arrays)  # type: ignore[return-value]
        game = scenario.build(arrays)
        sol = solve_game(game, concept, rtol=rtol, lambdas=lambdas)
        values = {**{k: np.asarray(v) for k, v in scenario.values().items()}, **arrays}
        return dataclasses.replace(sol, parameters=values)

    def sweep(self, vary: Mapping[str, tuple], design: str = "grid", out: str | Path | None = None,
              **options: Any) -> SweepResult:
        """Solve the scenario over a design of parameter points; return the result (a table, counts, boundaries).

        Parameters
        ----------
        vary : dict
            ``{name: (start, stop, num)}`` for a grid; ``{name: (start, stop)}`` ranges for
            ``"lhs"`` and ``"sobol"`` designs.
        design : {"grid", "lhs", "sobol"}
        out : str or Path, optional
            A folder: the sweep is written there exactly as ``negosim sweep -o`` writes it
            (resumable, with ``manifest.json``). None: it runs in a temporary folder and the result
            is kept in memory.
        **options
            Passed to `negosim.sweep.run_sweep`: ``samples``, ``seed``, ``overrides`` (a dict of
            fixed parameter values), ``chunk_size``, ``executor``, ``resume``, ``table``
            (``"parquet"``, the default for a folder, or ``"csv"``), ``progress``.

        Returns
        -------
        SweepResult

        Raises
        ------
        NegosimUsageError
            For a parameter that is not declared, a range outside the declared one, a bad design.

        Examples
        --------
        >>> import negosim as ns
        >>> res = ns.load("scenarios/ceasefire_2025.yaml").sweep({"mu": (0, 0.3, 61)})
        >>> res.outcomes
        {'truce_aid': 22, 'truce_frozen': 15, 'war_sanctions': 24}
        >>> [round(b.value, 6) for b in res.boundaries]
        [0.105, 0.185]
        """
        ranges = {name: _vary_item(name, v, design) for name, v in vary.items()}
        from ..sweep.engine import run_sweep
        from ..sweep.output import read_points

        if out is not None:
            summary = run_sweep(self, ranges, design=design, out_dir=out, **options)
            return SweepResult(summary, None, read_points(summary.out_dir)[0])
        with tempfile.TemporaryDirectory(prefix="negosim-sweep-") as tmp:
            # Kept in memory as the CSV text (`SweepResult.csv`), so written as CSV.
            summary = run_sweep(self, ranges, design=design, out_dir=Path(tmp) / "sweep", **{"table": "csv", **options})
            text = (summary.out_dir / "results.csv").read_text()
            labels = read_points(summary.out_dir)[0]
        return SweepResult(dataclasses.replace(summary, out_dir=None), text, labels)  # type: ignore[arg-type]

    def _at(self, overrides: Mapping[str, Any]) -> tuple[model.Scenario, dict[str, np.ndarray]]:
        """The scenario with scalar overrides applied (range-checked) and the array overrides, checked."""
        scalars = {k: v for k, v in overrides.items() if np.ndim(v) == 0}
        arrays = {k: np.asarray(v, dtype=float) for k, v in overrides.items() if np.ndim(v) > 0}
        scenario = self.with_overrides({k: _number(v) for k, v in scalars.items()}) if scalars else self
        problems = []
        for name, values in arrays.items():
            if name not in self.parameters:
                problems.append(Problem(self.unknown_name(name), file=self.path))
                continue
            p = self.parameters[name]
            outside = ~np.isfinite(values) | (values < p.low) | (values > p.high)
            if outside.any():
                bad = values[outside].reshape(-1)[0]
                problems.append(Problem(f"{name}={number_text(float(bad))} is outside the declared range "
                                        f"[{number_text(p.low)}, {number_text(p.high)}]", file=self.path,
                                        line=p.line, path=f"parameters.{name}"))
        if problems:
            raise ScenarioError(problems)
        return scenario, arrays


def _number(v: Any) -> Any:
    """A 0-d array as a Python float (other values as given, for `with_overrides` to check)."""
    return float(v) if isinstance(v, np.ndarray) else v


def _vary_item(name: str, value: Any, design: str) -> tuple[float, float, int | None]:
    try:
        items = tuple(value)
    except TypeError:
        raise NegosimUsageError(
            f"vary[{name!r}]: give (start, stop, num) for a grid, (start, stop) for lhs/sobol") from None
    if design == "grid":
        if len(items) != 3:
            raise NegosimUsageError(f"vary[{name!r}]: a grid needs (start, stop, num), got {value!r}")
        return float(items[0]), float(items[1]), int(items[2])
    if len(items) not in (2, 3):
        raise NegosimUsageError(f"vary[{name!r}]: give the range (start, stop), got {value!r}")
    return float(items[0]), float(items[1]), None


def as_front_door(scenario: model.Scenario) -> Scenario:
    """Return the same scenario as a front-door `Scenario` (with `solve` and `sweep`).

    Parameters
    ----------
    scenario : negosim.scenario.Scenario
        A scenario as the scenario layer loads it (or already a front-door one, returned as it is).

    Returns
    -------
    Scenario
        The same fields, with the two verbs.

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> as_front_door(load_scenario("scenarios/entry_deterrence.yaml")).solve().outcomes().tolist()
    ['shared_market']
    """
    if isinstance(scenario, Scenario):
        return scenario
    return Scenario(**{f.name: getattr(scenario, f.name) for f in dataclasses.fields(model.Scenario)})


__all__ = ["Scenario", "as_front_door"]
