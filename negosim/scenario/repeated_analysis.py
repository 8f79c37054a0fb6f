"""Solve a repeated scenario (``form: repeated``): grim-trigger thresholds, the equilibrium payoff set, labels.

`analyze_repeated` is what ``negosim solve`` reports for such a scenario; `repeated_labels` is its
outcome label (the pure profiles grim trigger sustains against Nash reversion), which sweeps,
boundaries and sensitivity use in place of a normal form's pure equilibria.

>>> from negosim.scenario import load_scenario
>>> a = analyze_repeated(load_scenario("scenarios/ceasefire_truce_repeated.yaml"))
>>> a.cooperative_name, round(a.discount_needed("nash"), 6)
('(hold, hold)', 0.826873)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..bargain.grim import PUNISHMENTS, GrimTrigger, grim_trigger
from ..bargain.payoff_set import EquilibriumPayoffSet, equilibrium_payoffs
from ..bargain.simulate import Simulation, simulate
from ..errors import NegosimInputError
from ..game import NormalFormGame
from ..solve.primary import joined_labels
from .build import batch_shape
from .model import RepeatedSpec, Scenario
from .repeatedspec import repeated_values

#: Abreu-Sannikov defaults: stop when no vertex moves more than this (relative to the payoff range) ...
PAYOFF_SET_TOL = 1e-10
#: ... or after this many applications of the operator (reported as not converged).
PAYOFF_SET_MAX_ITER = 5_000
NOT_SUSTAINABLE = "none sustainable"


@dataclass(frozen=True)
class RepeatedAnalysis:
    """A repeated scenario solved at one point: thresholds of every pure profile and the payoff set.

    Attributes
    ----------
    grim : GrimTrigger
        Thresholds against Nash reversion and the minmax (batch shape ``()``).
    payoff_set : EquilibriumPayoffSet or None
        The subgame-perfect equilibrium payoffs at ``delta * rho`` (2 players; None otherwise), computed
        with perfect monitoring (Abreu and Sannikov's algorithm assumes it; see `notes`).
    cooperative : int or None
        The index of the agreement's profile among `grim.profiles`, if the scenario names one.
    tol, max_iter : float, int
        The payoff set's convergence tolerance and iteration bound.
    notes : tuple of str
        Caveats of the analysis (imperfect monitoring, no pure equilibrium, no convergence, ...).

    Examples
    --------
    >>> import negosim as ns
    >>> analysis = analyze_repeated(ns.load("scenarios/ceasefire_truce_repeated.yaml"))
    >>> analysis.cooperative_name, round(analysis.discount_needed(), 4)
    ('(hold, hold)', 0.8269)
    """

    grim: GrimTrigger
    payoff_set: EquilibriumPayoffSet | None
    cooperative: int | None
    tol: float
    max_iter: int
    notes: tuple[str, ...] = ()

    @property
    def cooperative_name(self) -> str | None:
        return None if self.cooperative is None else self.grim.profiles[self.cooperative]

    def discount_needed(self, against: str = "nash", profile: int | None = None) -> float:
        """The least ``delta`` sustaining `profile` (default: the cooperative one) at this extension probability."""
        k = self.cooperative if profile is None else profile
        if k is None:
            raise ValueError("the scenario names no cooperative profile; give profile=")
        return float(self.grim.discount_needed(against)[k])

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready ``repeated`` object of ``negosim solve --json``."""
        g = self.grim
        profiles = []
        for k, name in enumerate(g.profiles):
            row: dict[str, Any] = {"profile": name, "stage_payoffs": dict(zip(g.players, _list(g.stage_payoffs[k]))),
                                   "deviation_gains": dict(zip(g.players, _list(g.gains[k])))}
            for against in PUNISHMENTS:
                row[against] = {"threshold": _num(g.threshold(against)[k]),
                                "discount_needed": _num(g.discount_needed(against)[k]),
                                "player_thresholds": dict(zip(g.players, _list(g.player_thresholds[against][k]))),
                                "sustainable": bool(g.sustainable(against)[k]),
                                "at_threshold": bool(g.at_threshold(against)[k])}
            profiles.append(row)
        out: dict[str, Any] = {
            "discount": _num(g.discount), "detection": _num(g.detection), "extension": _num(g.extension),
            "effective_discount": _num(g.effective_discount),
            "punishment": {a: dict(zip(g.players, _list(g.punishment[a]))) for a in PUNISHMENTS},
            "cooperative": self.cooperative_name, "profiles": profiles}
        if self.payoff_set is not None:
            V = self.payoff_set
            out["payoff_set"] = {"method": "Abreu-Sannikov (pure strategies, perfect monitoring, public randomization)",
                                 "delta": _num(V.delta), "vertices": [_list(v) for v in V.vertices],
                                 "punishment": dict(zip(g.players, _list(V.punishment))),
                                 "iterations": V.iterations, "converged": V.converged, "tol": self.tol,
                                 "max_iter": self.max_iter}
        out["notes"] = list(self.notes)
        return out


@dataclass(frozen=True)
class RepeatedSolution:
    """What the front door's ``Scenario.solve()`` returns for a repeated scenario: the grim-trigger
    thresholds over a batch of points, and at a single point the whole `RepeatedAnalysis`.

    Attributes
    ----------
    title : str
        The scenario's title.
    grim : GrimTrigger
        The grim-trigger thresholds over the batch of points.
    parameters : dict of str to numpy.ndarray
        The scenario's baseline values overridden by the batch's arrays.
    analysis : RepeatedAnalysis or None
        The whole analysis (with the payoff set) when solved at a single point; None over a batch.

    Examples
    --------
    >>> import negosim as ns
    >>> sol = ns.load("scenarios/ceasefire_truce_repeated.yaml").solve(delta=[0.8, 0.9])
    >>> sol
    <RepeatedSolution of 'The extendable 30-day truce as a repeated game': 2 points, 4 profiles>
    >>> df = sol.to_frame()
    >>> df[df.profile == "(hold, hold)"][["delta", "sustainable_nash"]].values.tolist()
    [[0.8, False], [0.9, True]]
    """

    title: str
    grim: GrimTrigger
    parameters: dict[str, np.ndarray]
    analysis: RepeatedAnalysis | None = None  # at a single point

    def __repr__(self) -> str:
        points = int(np.prod(self.grim.discount.shape))
        return (f"<RepeatedSolution of {self.title!r}: {points} point{'s' * (points != 1)}, "
                f"{len(self.grim.profiles)} profiles>")

    def to_frame(self) -> Any:
        """A pandas DataFrame: one row per point and pure profile, with the parameters, each player's stage
        payoff, the thresholds and ``delta`` needed against Nash reversion and the minmax, and sustainability."""
        import pandas as pd

        g = self.grim
        shape = g.discount.shape
        n_points, n_prof = int(np.prod(shape)), len(g.profiles)
        cols: dict[str, Any] = {"point": np.repeat(np.arange(n_points), n_prof)}
        for name, v in self.parameters.items():
            cols[name] = np.repeat(np.broadcast_to(v, shape).reshape(-1), n_prof)
        cols["profile"] = np.tile(np.array(g.profiles, dtype=object), n_points)
        for i, p in enumerate(g.players):
            cols[f"payoff_{p}"] = g.stage_payoffs[..., i].reshape(-1)
        for against in PUNISHMENTS:
            cols[f"threshold_{against}"] = g.threshold(against).reshape(-1)
            cols[f"discount_needed_{against}"] = g.discount_needed(against).reshape(-1)
            cols[f"sustainable_{against}"] = g.sustainable(against).reshape(-1)
        return pd.DataFrame(cols)

    def to_dict(self) -> dict[str, Any]:
        """At a single point the ``repeated`` object of ``negosim solve --json``; over a batch, one such object
        (without the payoff set) per point under ``points``."""
        if self.analysis is not None:
            return self.analysis.to_dict()
        flat = self.grim.discount.reshape(-1)
        out = []
        for k in range(len(flat)):
            index = np.unravel_index(k, self.grim.discount.shape)
            one = GrimTrigger(self.grim.profiles, self.grim.players, self.grim.stage_payoffs[index],
                              self.grim.gains[index], {a: v[index] for a, v in self.grim.punishment.items()},
                              {a: v[index] for a, v in self.grim.player_thresholds.items()},
                              self.grim.discount[index], self.grim.detection[index], self.grim.extension[index])
            out.append(RepeatedAnalysis(one, None, None, PAYOFF_SET_TOL, PAYOFF_SET_MAX_ITER).to_dict())
        return {"points": out}


def repeated_solution(scenario: Scenario, arrays: Mapping[str, np.ndarray]) -> RepeatedSolution:
    """The front door's solution of a repeated scenario at its baseline plus `arrays` (a batch, or none).

    Parameters
    ----------
    scenario : Scenario
        A ``form: repeated`` scenario.
    arrays : mapping of str to numpy.ndarray
        Values overriding the baseline; empty: the single baseline point, with the whole analysis.

    Returns
    -------
    RepeatedSolution

    Examples
    --------
    >>> import negosim as ns
    >>> scenario = ns.load("scenarios/ceasefire_truce_repeated.yaml")
    >>> repeated_solution(scenario, {}).analysis is not None
    True
    >>> repeated_solution(scenario, {"delta": np.array([0.8, 0.9])})
    <RepeatedSolution of 'The extendable 30-day truce as a repeated game': 2 points, 4 profiles>
    """
    values = {**{k: np.asarray(v) for k, v in scenario.values().items()}, **arrays}
    if arrays:
        return RepeatedSolution(scenario.title, grim_at(scenario, arrays), values)
    analysis = analyze_repeated(scenario)
    return RepeatedSolution(scenario.title, analysis.grim, values, analysis)


def stage_game(scenario: Scenario, params: Mapping | None = None) -> NormalFormGame:
    """The stage game at `params` (what `Scenario.build` returns for a repeated scenario).

    Parameters
    ----------
    scenario : Scenario
        A ``form: repeated`` scenario.
    params : mapping, optional
        Values overriding the baseline.

    Returns
    -------
    NormalFormGame

    Examples
    --------
    >>> import negosim as ns
    >>> scenario = ns.load("scenarios/ceasefire_truce_repeated.yaml")
    >>> stage_game(scenario).actions
    (('hold', 'violate'), ('hold', 'violate'))
    """
    game = scenario.build(params)
    assert isinstance(game, NormalFormGame)
    return game


def grim_at(scenario: Scenario, params: Mapping | None = None) -> GrimTrigger:
    """Return the grim-trigger thresholds over the batch of `params` (one batched build and solve).

    Parameters
    ----------
    scenario : Scenario
        A ``form: repeated`` scenario (a ValueError otherwise).
    params : mapping of str to array-like, optional
        Values overriding the baseline; arrays broadcast into a batch.

    Returns
    -------
    GrimTrigger
        Thresholds of every pure profile of the stage game, over the batch shape.

    Examples
    --------
    >>> import negosim as ns
    >>> g = grim_at(ns.load("scenarios/ceasefire_truce_repeated.yaml"), {"delta": [0.8, 0.9]})
    >>> g.profiles[0], g.sustainable("nash")[:, 0].tolist()
    ('(hold, hold)', [False, True])
    """
    if not isinstance(scenario.game, RepeatedSpec):
        raise ValueError(f"{scenario.path}: not a repeated game (form: {scenario.form})")
    batch = batch_shape(params)
    env = scenario.evaluate(params)
    delta, q, rho = repeated_values(scenario, env, batch)
    return grim_trigger(stage_game(scenario, params), delta, q, rho)


def repeated_labels(scenario: Scenario, params: Mapping | None = None) -> np.ndarray:
    """The outcome label at every point: the profiles grim trigger sustains against Nash reversion, joined
    by " + " in profile order, as a normal form's pure equilibria are (object array, the batch shape).

    Parameters
    ----------
    scenario : Scenario
        A ``form: repeated`` scenario.
    params : mapping, optional
        Values overriding the baseline; arrays broadcast into a batch.

    Returns
    -------
    numpy.ndarray
        The label at each point ("none sustainable" where no profile is).

    Examples
    --------
    >>> import negosim as ns
    >>> scenario = ns.load("scenarios/ceasefire_truce_repeated.yaml")
    >>> [str(x) for x in repeated_labels(scenario, {"delta": [0.8, 0.9]})]
    ['(violate, violate)', '(hold, hold) + (violate, violate)']
    """
    g = grim_at(scenario, params)
    flat = g.sustainable("nash").reshape(-1, len(g.profiles))
    return joined_labels(flat, list(g.profiles), NOT_SUSTAINABLE).reshape(g.discount.shape)


def analyze_repeated(scenario: Scenario, params: Mapping[str, float] | None = None, *, tol: float = PAYOFF_SET_TOL,
                     max_iter: int = PAYOFF_SET_MAX_ITER) -> RepeatedAnalysis:
    """Return the repeated analysis of `scenario` at its baseline overridden by scalar `params`.

    Parameters
    ----------
    scenario : Scenario
        A ``form: repeated`` scenario.
    params : mapping of str to float, optional
        Scalar values overriding the scenario's baseline.
    tol, max_iter : float, int
        The Abreu-Sannikov iteration's tolerance (relative to the payoff range) and bound.

    Returns
    -------
    RepeatedAnalysis
        The thresholds at the point, the payoff set (2 players) and notes on its caveats.

    Examples
    --------
    >>> import negosim as ns
    >>> analysis = analyze_repeated(ns.load("scenarios/ceasefire_truce_repeated.yaml"), {"delta": 0.9})
    >>> analysis.payoff_set is not None, round(analysis.discount_needed(), 4)
    (True, 0.8269)
    """
    g = grim_at(scenario, params)
    notes = []
    spec = scenario.game
    assert isinstance(spec, RepeatedSpec)
    cooperative = None
    if spec.cooperative is not None:
        cooperative = int(np.ravel_multi_index(spec.cooperative, spec.cell_outcome.shape))
    if np.isnan(g.punishment["nash"]).any():
        notes.append("the stage game has no pure equilibrium, so no Nash-reversion threshold (n > 2 players: "
                     "only pure equilibria are enumerated)")
    payoff_set = None
    if len(g.players) == 2:
        stage = stage_game(scenario, params)
        payoff_set = equilibrium_payoffs(stage.payoffs[0], stage.payoffs[1], float(g.effective_discount),
                                         tol=tol, max_iter=max_iter)
        if float(g.detection) < 1:
            notes.append(f"the payoff set assumes perfect monitoring (Abreu-Sannikov); with detection "
                         f"{float(g.detection):g} it bounds what imperfect monitoring can sustain from above")
        if not payoff_set.converged:
            notes.append(f"the payoff set did not converge within {max_iter} iterations: it is an outer approximation")
    else:
        notes.append("the subgame-perfect payoff set is computed for 2-player games only")
    return RepeatedAnalysis(g, payoff_set, cooperative, tol, max_iter, tuple(notes))


def simulate_scenario(scenario: Scenario, strategies: tuple[str, ...], *, runs: int = 10_000, windows: int = 24,
                      seed: int = 0, false_alarm: float = 0.0, batch_size: int = 4096) -> Simulation:
    """Simulate the scenario's truce at its baseline: each player follows its strategy in `strategies`
    (one name for all, or one per player), holding its action of the `cooperative` profile.

    Raises NegosimInputError for a scenario with no cooperative profile or a stage game that is not two
    actions per player, and for an unknown strategy or out-of-range numbers.

    Parameters
    ----------
    scenario : Scenario
        A ``form: repeated`` scenario naming a cooperative profile.
    strategies : tuple of str
        One strategy name for all players, or one per player.
    runs : int, default 10000
        The number of truces simulated.
    windows : int, default 24
        The number of windows each is followed for.
    seed : int, default 0
        The random seed.
    false_alarm : float, default 0.0
        The probability that a hold is seen as a violation.
    batch_size : int, default 4096
        Runs played together (the result does not depend on it).

    Returns
    -------
    Simulation

    Examples
    --------
    >>> import negosim as ns
    >>> scenario = ns.load("scenarios/ceasefire_truce_repeated.yaml")
    >>> sim = simulate_scenario(scenario, ("grim",), runs=100, windows=3)
    >>> sim.strategies, sim.survival.tolist()
    (('grim', 'grim'), [1.0, 1.0, 0.91, 0.81])
    """
    spec = scenario.game
    if not isinstance(spec, RepeatedSpec):
        raise NegosimInputError(f"{scenario.path}: simulate needs a repeated game (form: repeated), "
                                f"not form: {scenario.form}")
    if spec.cooperative is None:
        raise NegosimInputError(f"{scenario.path}:{spec.lines.get('discount') or scenario.game_line}: game: "
                                "simulate needs a `cooperative:` profile (which action is holding)")
    n = len(scenario.players)
    if len(strategies) == 1:
        strategies = strategies * n
    if len(strategies) != n:
        raise NegosimInputError(f"give one strategy for every player or one per player ({n}), not {len(strategies)}")
    g = grim_at(scenario)
    stage = stage_game(scenario).payoffs
    return simulate(stage, spec.cooperative, strategies, discount=float(g.discount), detection=float(g.detection),
                    extension=float(g.extension), false_alarm=false_alarm, runs=runs, windows=windows, seed=seed,
                    batch_size=batch_size)


def _num(x: Any) -> float | None:
    """A JSON number; None (null) for a threshold no discount factor meets (inf) or one not defined (NaN)."""
    v = float(x)
    return float(f"{v:.12g}") if np.isfinite(v) else None


def _list(a: np.ndarray) -> list[float | None]:
    return [_num(x) for x in np.asarray(a).reshape(-1)]


__all__ = ["NOT_SUSTAINABLE", "PAYOFF_SET_MAX_ITER", "PAYOFF_SET_TOL", "RepeatedAnalysis", "RepeatedSolution",
           "analyze_repeated", "repeated_solution",
           "grim_at", "repeated_labels", "simulate_scenario", "stage_game"]
