"""What a sensitivity analysis returns: `OatResult` (one at a time, with each parameter's `Flip`) and
`IndicesResult` (Sobol' or Morris indices), each with a plain JSON form (`to_dict`).

The analyses themselves are `negosim.sweep.sensitivity.oat` and
`negosim.sweep.sensitivity_indices.sobol` / `morris`; the terminal tables, `negosim.present.text.sensitivity`.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

import numpy as np

from .boundaries import Boundary


@dataclass(frozen=True)
class Flip:
    """Whether moving `parameter` alone within its range changes the outcome, and the nearest
    changes below and above its baseline value (None where there is none in the range).

    Attributes
    ----------
    parameter : str
        The parameter.
    changes : bool
        Whether the outcome changes anywhere in its range.
    below, above : Boundary or None
        The nearest outcome change below and above its baseline value.

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> s = load_scenario("scenarios/entry_deterrence.yaml")
    >>> from negosim.sweep.sensitivity import oat
    >>> flip = oat(s, parameters=["rep"]).flips[0]
    >>> flip.changes, flip.below, (flip.above.below, flip.above.above)
    (True, None, ('shared_market', 'stay_out'))
    """

    parameter: str
    changes: bool
    below: Boundary | None
    above: Boundary | None


@dataclass(frozen=True, eq=False)
class OatResult:
    """One-at-a-time sensitivity: payoffs and outcome with each parameter alone at its low and high end.

    Arrays are indexed (player, parameter) for payoffs and by parameter for values and outcomes.
    `swing[i, j]` is the largest minus the smallest payoff of player i over parameter j's low,
    baseline and high values (NaN where a payoff is undefined).

    Attributes
    ----------
    parameters : tuple of str
        The parameters, in order.
    low, high, baseline_values : numpy.ndarray
        Each parameter's ends and baseline value.
    players : tuple of str
        The outputs' names: players (or a bargaining model's quantities).
    baseline_payoffs : numpy.ndarray
        Each output at baseline.
    payoffs_low, payoffs_high : numpy.ndarray
        ``(output, parameter)`` values with the parameter at its low / high end.
    baseline_outcome : str
        The outcome label at baseline.
    outcome_low, outcome_high : tuple of str
        The outcome label with each parameter at its low / high end.
    swing : numpy.ndarray
        ``(output, parameter)`` largest minus smallest value.
    flips : tuple of Flip
        Each parameter's outcome changes.
    overrides : dict
        The baseline's overrides.
    notes : tuple of str
        Caveats of the run.
    output : str
        ``"payoff"`` or ``"quantity"``.

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> s = load_scenario("scenarios/entry_deterrence.yaml")
    >>> from negosim.sweep.sensitivity import oat
    >>> r = oat(s, parameters=["rep"])
    >>> r.baseline_outcome, r.outcome_high, r.players
    ('shared_market', ('stay_out',), ('Entrant', 'Incumbent'))
    >>> r.to_dict()["method"]
    'oat'
    """

    parameters: tuple[str, ...]
    low: np.ndarray
    high: np.ndarray
    baseline_values: np.ndarray
    players: tuple[str, ...]
    baseline_payoffs: np.ndarray
    payoffs_low: np.ndarray
    payoffs_high: np.ndarray
    baseline_outcome: str
    outcome_low: tuple[str, ...]
    outcome_high: tuple[str, ...]
    swing: np.ndarray
    flips: tuple[Flip, ...]
    overrides: dict[str, float] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    #: What `players` name: each player's payoff ("payoff"), or a bargaining model's quantities ("quantity");
    #: `to_dict` then writes `quantities`, `baseline_quantities`, `quantities_low` and `quantities_high`.
    output: str = "payoff"

    def to_dict(self) -> dict:
        """Return the result as plain JSON-able data (NaN as None)."""
        # A game's outputs are its players' payoffs; a bargaining model's are its quantities (offer,
        # war probability, ...), named as such rather than passed off as players.
        who, what = ("players", "payoffs") if self.output == "payoff" else ("quantities", "quantities")
        return {
            "method": "oat", "output": self.output, "parameters": list(self.parameters), "low": _plain(self.low),
            "high": _plain(self.high), "baseline_values": _plain(self.baseline_values),
            who: list(self.players), f"baseline_{what}": _plain(self.baseline_payoffs),
            f"{what}_low": _plain(self.payoffs_low), f"{what}_high": _plain(self.payoffs_high),
            "baseline_outcome": self.baseline_outcome, "outcome_low": list(self.outcome_low),
            "outcome_high": list(self.outcome_high), "swing": _plain(self.swing),
            "flips": [dataclasses.asdict(f) for f in self.flips], "overrides": dict(self.overrides),
            "notes": list(self.notes),
        }


@dataclass(frozen=True, eq=False)
class IndicesResult:
    """Global sensitivity indices, one row per output and one column per parameter.

    Sobol: `first` = S1, `total` = ST, each with its confidence half-width. Morris: `first` =
    mu* (mean absolute elementary effect), `first_conf` its confidence half-width, `total` = sigma
    (spread of the effects), `total_conf` NaN, and `mean_effect` = mu (signed mean effect).
    Morris effects are in the output's units per full range of the parameter.
    `shares` maps each outcome label seen to its share of the samples.

    Attributes
    ----------
    method : str
        ``"sobol"`` or ``"morris"``.
    parameters : tuple of str
        The parameters varied (columns).
    ranges : dict
        Parameter -> ``(low, high)``.
    outputs : tuple of str
        The outputs (rows): each outcome's indicator, then each payoff or quantity.
    first, first_conf, total, total_conf : numpy.ndarray
        ``(output, parameter)`` indices and half-widths (see above).
    n_evaluations : int
        Points solved.
    seed : int
        The sampling and bootstrap seed.
    shares : dict
        Outcome label -> share of the samples.
    settings : dict
        The method's settings.
    mean_effect : numpy.ndarray, optional
        Morris's mu.
    overrides : dict
        The baseline's overrides.
    notes : tuple of str
        Caveats of the run.

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> s = load_scenario("scenarios/entry_deterrence.yaml")
    >>> from negosim.sweep.sensitivity import sobol
    >>> r = sobol(s, samples=64, parameters=["rep"], resamples=10)
    >>> r.method, r.first.shape, r.to_dict()["outputs"][0]
    ('sobol', (4, 1), 'P(stay_out)')
    """

    method: str
    parameters: tuple[str, ...]
    ranges: dict[str, tuple[float, float]]
    outputs: tuple[str, ...]
    first: np.ndarray
    first_conf: np.ndarray
    total: np.ndarray
    total_conf: np.ndarray
    n_evaluations: int
    seed: int
    shares: dict[str, float]
    settings: dict[str, float | int]
    mean_effect: np.ndarray | None = None
    overrides: dict[str, float] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """Return the result as plain JSON-able data (NaN as None), with the method's own index names."""
        names = (("S1", "S1_conf", "ST", "ST_conf") if self.method == "sobol"
                 else ("mu_star", "mu_star_conf", "sigma", None))
        arrays = (self.first, self.first_conf, self.total, self.total_conf)
        indices = {n: _plain(a) for n, a in zip(names, arrays) if n is not None}
        if self.mean_effect is not None:
            indices["mu"] = _plain(self.mean_effect)
        return {
            "method": self.method, "parameters": list(self.parameters),
            "ranges": {k: [float(a), float(b)] for k, (a, b) in self.ranges.items()},
            "outputs": list(self.outputs), "indices": indices, "shares": dict(self.shares),
            "n_evaluations": int(self.n_evaluations), "seed": int(self.seed), "settings": dict(self.settings),
            "overrides": dict(self.overrides), "notes": list(self.notes),
        }


def _plain(a: object) -> object:
    """A numpy array or number as nested lists of floats, NaN as None (JSON has no NaN)."""
    arr = np.asarray(a, dtype=float)
    if arr.ndim == 0:
        return None if math.isnan(float(arr)) else float(arr)
    return [_plain(x) for x in arr]


def _num(x: float | None) -> str:
    """A number for a note or a table: 4 significant digits, ``n/a`` for a missing or NaN one."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    x = float(x)
    if x == 0:
        return "0"
    return f"{x:.4g}"


__all__ = ["Flip", "IndicesResult", "OatResult"]
