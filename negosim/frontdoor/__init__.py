"""The Python front door: `load`, `from_arrays`, `equilibria`, and a `Scenario` that solves and sweeps.

`import negosim as ns` reaches these names lazily (see `negosim.__init__`). The scenario layer's
`negosim.scenario.Scenario` is data; the front door's `Scenario` is the same data with two verbs,
`solve` and `sweep`, added here so that the scenario layer never imports solvers or sweeps.

This module holds `load` and `equilibria`; the front door's `Scenario` is `negosim.frontdoor.scenario`'s,
`SweepResult` `negosim.frontdoor.sweep_result`'s, and `from_arrays` and `solve_game`
`negosim.frontdoor.games`' (all importable from here).

Examples
--------
>>> import negosim as ns
>>> sc = ns.load("scenarios/entry_deterrence.yaml")
>>> sol = sc.solve()
>>> sol
<Solution spe of 'Entry deterrence (a non-credible threat)': 1 equilibrium; complete>
>>> sol.outcomes().tolist()
['shared_market']
>>> sc.solve(rep=[0.0, 3.0]).outcomes().tolist()
['shared_market', 'stay_out']
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import NegosimUsageError
from ..game.convert import as_game
from ..scenario import model
from ..solve.result import Solution
from ..solve.tolerance import RTOL
from .games import Game, from_arrays, solve_game
from .scenario import Scenario, as_front_door
from .sweep_result import SweepResult

GAMBIT_SUFFIXES = (".nfg", ".efg")


def load(path: str | Path, **overrides: Any) -> Scenario | Game:
    """Return the scenario in a YAML file (a `Scenario` that can `solve` and `sweep`), or a Gambit game.

    Parameters
    ----------
    path : str or Path
        A scenario (``.yaml``/``.yml``) or a Gambit game (``.nfg``/``.efg``).
    **overrides : float
        New baseline values of a scenario's parameters, checked against their declared ranges.

    Returns
    -------
    Scenario, NormalFormGame or GameTree

    Raises
    ------
    NegosimInputError
        For a file that cannot be read or does not follow its format (a `ValueError`), located at
        ``file:line``.
    NegosimUsageError
        For overrides given with a Gambit game (it has no parameters).

    Examples
    --------
    >>> import negosim as ns
    >>> ns.load("scenarios/ceasefire_2025.yaml", mu=0.2).values()["mu"]
    0.2
    """
    name = str(path)
    if name.lower().endswith(GAMBIT_SUFFIXES):
        if overrides:
            raise NegosimUsageError(f"{name}: a Gambit game has no parameters to override")
        from ..io import read_game

        return read_game(name)
    from ..scenario import load_scenario

    scenario = load_scenario(name)
    if overrides:
        scenario = scenario.with_overrides(overrides)
    return as_front_door(scenario)


def equilibria(game_or_scenario: Any, concept: str | None = None, *, rtol: float = RTOL,
               lambdas: Sequence[float] | None = None, method: str | None = None, **params: Any) -> Solution:
    """Return the verified equilibria of a game or scenario for one concept.

    Parameters
    ----------
    game_or_scenario : Scenario, NormalFormGame, GameTree or nashpy.Game
        A scenario is solved at its baseline overridden by `params` (numbers or arrays, as in
        `Scenario.solve`); a game as it is, under its own tie rules.
    concept : str, optional
        ``"spe"``, ``"nash"``, ``"pure"``, ``"pbe"``, ``"qre"`` or ``"ce"``; default: the primary answer
        (`negosim.solve.primary`).
    rtol : float
        Relative tolerance for ties and verification.
    lambdas : sequence of float, optional
        For ``"qre"``: the precisions (default: a documented set and the branch's Nash limit).
    method : {None, "lemke"}, optional
        For ``"nash"`` of a 2-player game: ``"lemke"`` for Lemke-Howson from every starting label (the
        equilibria its paths reach, ``complete`` False), used anyway where enumeration does not fit.
    **params
        Parameter values, for a scenario only.

    Returns
    -------
    Solution

    Raises
    ------
    NegosimUsageError
        For parameters given with a game, an object that is not a game, or a concept that does not
        apply (all `ValueError`).

    Examples
    --------
    >>> import nashpy
    >>> import negosim as ns
    >>> sol = ns.equilibria(nashpy.Game([[1, -1], [-1, 1]]))
    >>> sol.probability("P1", "1").tolist()
    [0.5]
    >>> sol = ns.equilibria(nashpy.Game([[2, 0], [0, 1]], [[1, 0], [0, 2]]), "nash", method="lemke")
    >>> len(sol.point), bool(sol.complete.any()), sol.method
    (2, False, 'Lemke-Howson')
    """
    if isinstance(game_or_scenario, model.Scenario):
        if method is not None:
            raise NegosimUsageError("method= applies to a game (a NormalFormGame or nashpy.Game), not a scenario")
        return as_front_door(game_or_scenario).solve(concept, rtol=rtol, lambdas=lambdas, **params)
    if params:
        raise NegosimUsageError(f"parameters {sorted(params)} apply to a scenario; a game has none")
    return solve_game(as_game(game_or_scenario), concept, rtol=rtol, lambdas=lambdas, method=method)


__all__ = ["Scenario", "SweepResult", "equilibria", "from_arrays", "load", "solve_game"]
