"""Sensitivity analysis: which parameters move a scenario's outcome and payoffs, and how much.

Three methods, all on top of `negosim.sweep.engine.evaluate_points` (batched, in chunks):

- `oat`: one at a time. Each parameter alone to the ends of its range, the others at baseline;
  plus, from `negosim.sweep.boundaries.nearest_boundaries`, the nearest outcome change on each side.
- `sobol`: variance-based global indices (Saltelli's sampling scheme, Sobol' sequence): S1 is the
  share of an output's variance due to a parameter alone, ST adds its interactions.
- `morris`: elementary effects along random one-at-a-time trajectories; a cheap screening.

The global methods vary every chosen parameter uniformly over its range at once. Their outputs
are the indicator of each outcome label seen (its mean is that outcome's share of the samples)
and each player's equilibrium payoff where it is defined at every sample.
`sobol` and `morris` need the optional SALib package; `oat` does not.

>>> from negosim.scenario import load_scenario
>>> result = oat(load_scenario("scenarios/ceasefire_2025.yaml"))
>>> result.baseline_outcome
'truce_aid'

Its terminal tables are drawn by `negosim.present.text.sensitivity`.
"""

from __future__ import annotations

import dataclasses
import importlib
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..errors import UsageError
from .bargain_sweep import is_bargaining, output_names
from .boundaries import Boundary, nearest_boundaries
from .engine import evaluate_points

INSTALL_HINT = "pip install 'negosim[sensitivity]'"
CHUNK_SIZE = 100_000


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


# --- one at a time ------------------------------------------------------------------------
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
    names, bounds, notes = _choose(base, parameters, ranges)
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
                     tuple(labels[P + 1:]), swing, tuple(flips), _overrides(overrides), tuple(notes),
                     "quantity" if is_bargaining(base) else "payoff")


# --- global indices -----------------------------------------------------------------------
def sobol(scenario, *, samples: int = 1024, seed: int = 0, parameters: Sequence[str] | None = None,
          overrides: Mapping[str, float] | None = None, ranges: Mapping[str, tuple[float, float]] | None = None,
          confidence: float = 0.95, resamples: int = 100, chunk_size: int = CHUNK_SIZE) -> IndicesResult:
    """Return first-order (S1) and total (ST) Sobol' indices of every output, with bootstrap intervals.

    Draws `samples` (a power of 2) scrambled Sobol' base points and evaluates N * (P + 2) points
    (Saltelli's scheme without second-order indices), in chunks of `chunk_size`. `seed` fixes the
    scrambling and the bootstrap (`resamples` draws, `confidence` level). Needs SALib.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    samples : int
        Sobol' base points (a power of 2).
    seed : int
        Fixes the sample and the bootstrap.
    parameters : sequence of str, optional
        The parameters varied (default: every declared parameter with a range).
    overrides : mapping, optional
        Baseline values of parameters (as ``--set``).
    ranges : mapping, optional
        Parameter -> ``(low, high)`` inside its declared range.
    confidence : float
        The bootstrap intervals' level.
    resamples : int
        Bootstrap draws.
    chunk_size : int
        Points evaluated per batched solve.

    Returns
    -------
    IndicesResult

    Raises
    ------
    NegosimUsageError
        For bad settings, an unknown or repeated name, a bad range, nothing to vary, or a missing SALib.

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> s = load_scenario("scenarios/entry_deterrence.yaml")
    >>> r = sobol(s, samples=64, parameters=["rep"], resamples=10)
    >>> r.outputs
    ('P(stay_out)', 'P(shared_market)', 'payoff Entrant', 'payoff Incumbent')
    >>> r.n_evaluations, r.shares
    (192, {'stay_out': 0.796875, 'shared_market': 0.203125})
    """
    sample_mod = _salib("sample.sobol", "sobol")
    analyze_mod = _salib("analyze.sobol", "sobol")
    if isinstance(samples, bool) or int(samples) != samples or samples < 2 or int(samples) & (int(samples) - 1):
        hint = 2 ** max(1, round(math.log2(samples))) if samples > 0 else 1024
        raise UsageError(f"Sobol' samples must be a power of 2 (got {samples}); try {hint}")
    _check_bootstrap(confidence, resamples)
    base, names, bounds, notes = _setup(scenario, parameters, overrides, ranges)
    _check_run(seed, int(samples) * (len(names) + 2), f"--samples {int(samples):,} over {len(names)} parameters")
    problem = _problem(names, bounds)
    sample_seq, boot_seq = np.random.SeedSequence(seed).spawn(2)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        X = sample_mod.sample(problem, int(samples), calc_second_order=False, scramble=True,
                              seed=np.random.default_rng(sample_seq))
        codes, labels, payoffs = _evaluate(base, names, X, chunk_size)
        step = len(names) + 2
        plain = np.zeros(len(X), dtype=bool)
        plain[0::step] = plain[step - 1::step] = True  # the A and B rows: the uniform sample itself
        outputs, ys, shares = _outputs(base, codes[plain], codes, labels, payoffs, notes)
        rows = []
        for y in ys:
            si = analyze_mod.analyze(problem, y, calc_second_order=False, num_resamples=int(resamples),
                                     conf_level=confidence, seed=np.random.default_rng(boot_seq))
            rows.append([si["S1"], si["S1_conf"], si["ST"], si["ST_conf"]])
    notes += _warning_notes(caught)
    first, first_conf, total, total_conf = _columns(rows, len(names))
    return IndicesResult("sobol", tuple(names), bounds, tuple(outputs), first, first_conf, total, total_conf,
                         len(X), int(seed), shares,
                         {"samples": int(samples), "confidence": float(confidence), "resamples": int(resamples)},
                         None, _overrides(overrides), tuple(notes))


def morris(scenario, *, trajectories: int = 100, levels: int = 4, seed: int = 0,
           parameters: Sequence[str] | None = None, overrides: Mapping[str, float] | None = None,
           ranges: Mapping[str, tuple[float, float]] | None = None, confidence: float = 0.95,
           resamples: int = 100, chunk_size: int = CHUNK_SIZE) -> IndicesResult:
    """Return Morris screening measures of every output: mu* (with a bootstrap interval), sigma and mu.

    Evaluates `trajectories` * (P + 1) points on a grid of `levels` (even) values per parameter,
    in chunks of `chunk_size`. Elementary effects are output changes per full range of the
    parameter, so mu* of a linear ``a * x`` over [low, high] is ``|a| * (high - low)``. Needs SALib.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    trajectories : int
        Random one-at-a-time trajectories (at least 2).
    levels : int
        Grid values per parameter (even, at most `MAX_LEVELS`).
    seed : int
        Fixes the trajectories and the bootstrap.
    parameters : sequence of str, optional
        The parameters varied (default: every declared parameter with a range).
    overrides : mapping, optional
        Baseline values of parameters (as ``--set``).
    ranges : mapping, optional
        Parameter -> ``(low, high)`` inside its declared range.
    confidence : float
        The bootstrap intervals' level.
    resamples : int
        Bootstrap draws.
    chunk_size : int
        Points evaluated per batched solve.

    Returns
    -------
    IndicesResult

    Raises
    ------
    NegosimUsageError
        For bad settings, an unknown or repeated name, a bad range, nothing to vary, or a missing SALib.

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> s = load_scenario("scenarios/entry_deterrence.yaml")
    >>> r = morris(s, trajectories=10, parameters=["rep"], resamples=10)
    >>> r.method, r.n_evaluations, r.first.shape, r.mean_effect.shape
    ('morris', 20, (4, 1), (4, 1))
    """
    sample_mod = _salib("sample.morris", "morris")
    analyze_mod = _salib("analyze.morris", "morris")
    if isinstance(trajectories, bool) or int(trajectories) != trajectories or trajectories < 2:
        raise UsageError(f"Morris needs at least 2 trajectories (got {trajectories})")
    if isinstance(levels, bool) or int(levels) != levels or levels < 2 or levels % 2:
        raise UsageError(f"Morris levels must be an even number, at least 2 (got {levels}); 4 is usual")
    if levels > MAX_LEVELS:
        raise UsageError(f"Morris levels must be at most {MAX_LEVELS:,} (got {levels:,}); 4 is usual")
    _check_bootstrap(confidence, resamples)
    base, names, bounds, notes = _setup(scenario, parameters, overrides, ranges)
    _check_run(seed, int(trajectories) * (len(names) + 1),
               f"--trajectories {int(trajectories):,} over {len(names)} parameters")
    problem = _problem(names, bounds)
    sample_seq, boot_seq = np.random.SeedSequence(seed).spawn(2)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        X = sample_mod.sample(problem, int(trajectories), num_levels=int(levels),
                              seed=np.random.default_rng(sample_seq))
        codes, labels, payoffs = _evaluate(base, names, X, chunk_size)
        outputs, ys, shares = _outputs(base, codes, codes, labels, payoffs, notes)
        rows, mus = [], []
        for y in ys:
            si = analyze_mod.analyze(problem, X, y, num_resamples=int(resamples), conf_level=confidence,
                                     num_levels=int(levels), seed=np.random.default_rng(boot_seq))
            rows.append([si["mu_star"], si["mu_star_conf"], si["sigma"], np.full(len(names), np.nan)])
            mus.append(np.asarray(si["mu"], dtype=float))
    notes.append(f"outcome shares are over the Morris grid of {int(levels)} levels per parameter, a coarse "
                 "estimate; Sobol' samples give better ones")
    notes += _warning_notes(caught)
    first, first_conf, total, total_conf = _columns(rows, len(names))
    mean_effect = np.array(mus).reshape(len(mus), len(names))
    return IndicesResult("morris", tuple(names), bounds, tuple(outputs), first, first_conf, total, total_conf,
                         len(X), int(seed), shares,
                         {"trajectories": int(trajectories), "levels": int(levels),
                          "confidence": float(confidence), "resamples": int(resamples)},
                         mean_effect, _overrides(overrides), tuple(notes))


# --- helpers ------------------------------------------------------------------------------
#: The most points a Sobol' or Morris run evaluates: SALib holds them all in memory at once.
MAX_EVALUATIONS = 10_000_000
#: The finest Morris grid (SALib builds arrays over the levels).
MAX_LEVELS = 1_000
#: The most bootstrap resamples (each one re-analyses every output).
MAX_RESAMPLES = 100_000


def _check_run(seed: int, evaluations: int, what: str) -> None:
    """Raise UsageError for a seed numpy cannot take or a run of more than MAX_EVALUATIONS points."""
    if isinstance(seed, bool) or int(seed) != seed or not 0 <= seed < 2**128:
        raise UsageError(f"--seed {seed}: a seed is a whole number from 0 to 2**128 - 1")
    if evaluations > MAX_EVALUATIONS:
        raise UsageError(f"{what} evaluate {evaluations:,} points, more than the bound of {MAX_EVALUATIONS:,} "
                         "(SALib holds them in memory at once); use fewer")


def _check_bootstrap(confidence: float, resamples: int) -> None:
    if not 0 < confidence < 1:
        raise UsageError(f"confidence must be between 0 and 1 (got {confidence})")
    if not 2 <= resamples <= MAX_RESAMPLES:
        raise UsageError(f"resamples must be from 2 to {MAX_RESAMPLES:,} (got {resamples})")


def _salib(module: str, method: str):
    """Import ``SALib.<module>`` or raise UsageError saying how to install it."""
    try:
        return importlib.import_module(f"SALib.{module}")
    except ImportError:
        raise UsageError(f"{method} sensitivity analysis needs SALib: {INSTALL_HINT}") from None


def _choose(scenario, parameters, ranges) -> tuple[list[str], dict[str, tuple[float, float]], list[str]]:
    """The parameters to vary, their [low, high], and notes on those skipped (low == high)."""
    declared = scenario.parameters
    notes: list[str] = []
    if parameters is None:
        wanted = list(declared)
    else:
        wanted = list(parameters)
        for n in wanted:
            if n not in declared:
                raise UsageError(scenario.unknown_name(n))
        dup = sorted({n for n in wanted if wanted.count(n) > 1})
        if dup:
            raise UsageError(f"parameter {dup[0]!r} is named twice")
    bounds = {n: (declared[n].low, declared[n].high) for n in wanted}
    for n, pair in (ranges or {}).items():
        if n not in declared:
            raise UsageError(f"range for {n}: {scenario.unknown_name(n)}")
        lo, hi = (float(v) for v in pair)
        p = declared[n]
        if not (math.isfinite(lo) and math.isfinite(hi)) or lo > hi:
            raise UsageError(f"range for {n}: expected low <= high, finite (got [{lo:g}, {hi:g}])")
        if lo < p.low or hi > p.high:
            raise UsageError(f"range for {n}: [{lo:g}, {hi:g}] leaves its declared range [{p.low:g}, {p.high:g}]")
        if n in bounds:
            bounds[n] = (lo, hi)
        else:
            notes.append(f"a range is given for {n}, which is not varied: ignored")
    names = [n for n in wanted if bounds[n][1] > bounds[n][0]]
    fixed = [n for n in wanted if n not in names]
    if fixed:
        notes.append("held at baseline (low == high, nothing to vary): " + ", ".join(fixed))
    if not names:
        raise UsageError("no parameter to vary: every chosen parameter has low == high")
    return names, {n: bounds[n] for n in names}, notes


def _setup(scenario, parameters, overrides, ranges):
    base = scenario.with_overrides(dict(overrides or {}))
    names, bounds, notes = _choose(base, parameters, ranges)
    moot = [n for n in (overrides or {}) if n in bounds]
    if moot:
        notes.append("overrides of varied parameters only set baselines, which sampling ignores: " + ", ".join(moot))
    return base, names, bounds, notes


def _problem(names, bounds) -> dict:
    return {"num_vars": len(names), "names": list(names), "bounds": [list(bounds[n]) for n in names]}


def _evaluate(scenario, names, X: np.ndarray, chunk_size: int) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Solve at the rows of X in chunks; return per row an outcome code (index into the label list),
    the label list (in order of first appearance) and the (N, n_players) payoffs."""
    if isinstance(chunk_size, bool) or int(chunk_size) != chunk_size or chunk_size < 1:
        raise UsageError(f"chunk size must be a positive integer (got {chunk_size})")
    chunk_size = int(chunk_size)
    n = len(X)
    codes = np.empty(n, dtype=np.int64)
    payoffs = np.empty((n, len(output_names(scenario))))
    labels: list[str] = []
    index: dict[str, int] = {}
    for lo in range(0, n, chunk_size):
        hi = min(n, lo + chunk_size)
        out = evaluate_points(scenario, {name: X[lo:hi, j] for j, name in enumerate(names)})
        uniq, inverse = np.unique(out.labels.astype(str), return_inverse=True)
        for u in uniq:
            index.setdefault(str(u), len(index))
        labels = list(index)
        codes[lo:hi] = np.array([index[str(u)] for u in uniq])[np.asarray(inverse).reshape(-1)]
        payoffs[lo:hi] = out.payoffs
    return codes, labels, payoffs


def _outputs(scenario, share_codes, codes, labels, payoffs, notes) -> tuple[list[str], list[np.ndarray], dict]:
    """Name and values of every output that varies; outcome shares; notes on outputs left out."""
    counts = np.bincount(share_codes, minlength=len(labels))
    order = sorted(range(len(labels)), key=lambda c: (-counts[c], labels[c]))
    shares = {labels[c]: float(counts[c] / len(share_codes)) for c in order if counts[c] or (codes == c).any()}
    names, ys = [], []
    for c in order:
        names.append(f"P({labels[c]})")
        ys.append((codes == c).astype(float))
    for i, player in enumerate(output_names(scenario)):
        bad = int(np.isnan(payoffs[:, i]).sum())
        if bad:
            why = ("no unique equilibrium there (several equilibria, or not all are known)"
                   if scenario.form == "normal" else "no equilibrium found there")
            notes.append(f"payoff {player} left out: undefined at {bad} of {len(payoffs)} samples ({why})")
            continue
        names.append(player if is_bargaining(scenario) else f"payoff {player}")
        ys.append(payoffs[:, i].copy())
    keep_names, keep_ys = [], []
    for name, y in zip(names, ys):
        scale = max(1.0, float(np.abs(y).max()))
        if np.ptp(y) <= 1e-12 * scale:
            notes.append(f"{name} is {_num(float(y[0]))} at every sample: no variance to attribute, left out")
        else:
            keep_names.append(name)
            keep_ys.append(y)
    return keep_names, keep_ys, shares


def _columns(rows, P: int) -> tuple[np.ndarray, ...]:
    """Stack per-output [a, b, c, d] index vectors into four (O, P) arrays."""
    arr = np.array(rows, dtype=float).reshape(len(rows), 4, P)
    return tuple(np.ascontiguousarray(arr[:, k]) for k in range(4))


def _split(found: list[Boundary], base: float) -> tuple[Boundary | None, Boundary | None]:
    """`nearest_boundaries`' list for one parameter as (below, above) the base value."""
    below = [b for b in found if b.value < base]
    above = [b for b in found if b.value >= base]
    return (below[-1] if below else None), (above[0] if above else None)


def _warning_notes(caught) -> list[str]:
    seen: list[str] = []
    for w in caught:
        text = "SALib: " + " ".join(str(w.message).split())
        if text not in seen:
            seen.append(text)
    return seen


def _overrides(overrides) -> dict[str, float]:
    return {k: float(v) for k, v in (overrides or {}).items()}


def _plain(a):
    """A numpy array or number as nested lists of floats, NaN as None (JSON has no NaN)."""
    arr = np.asarray(a, dtype=float)
    if arr.ndim == 0:
        return None if math.isnan(arr) else float(arr)
    return [_plain(x) for x in arr]


def _num(x: float) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    x = float(x)
    if x == 0:
        return "0"
    return f"{x:.4g}"



__all__ = ["Flip", "IndicesResult", "OatResult", "morris", "oat", "sobol"]
