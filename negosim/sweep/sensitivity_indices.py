"""Global sensitivity indices of a scenario's outputs: Sobol' (`sobol`) and Morris (`morris`), through SALib.

Both vary every chosen parameter uniformly over its range at once (`negosim.sweep.sensitivity_parameters`),
solve the samples in batched chunks (`negosim.sweep.point_outputs.evaluate_points`), and attribute the variance
of each output: the indicator of each outcome label seen (its mean is that outcome's share of the
samples) and each player's equilibrium payoff where it is defined at every sample. SALib is optional
and imported only here, only when a method is called.

>>> from negosim.scenario import load_scenario
>>> result = sobol(load_scenario("scenarios/entry_deterrence.yaml"), samples=64, parameters=["rep"], resamples=10)
>>> result.outputs[0]
'P(stay_out)'
"""

from __future__ import annotations

import importlib
import math
import warnings
from collections.abc import Mapping, Sequence

import numpy as np

from ..errors import UsageError
from .bargain_sweep import is_bargaining, output_names
from .point_outputs import evaluate_points
from .sensitivity_parameters import baseline_and_parameters, plain_overrides
from .sensitivity_results import IndicesResult, _num

INSTALL_HINT = "pip install 'negosim[sensitivity]'"
CHUNK_SIZE = 100_000
#: The most points a Sobol' or Morris run evaluates: SALib holds them all in memory at once.
MAX_EVALUATIONS = 10_000_000
#: The finest Morris grid (SALib builds arrays over the levels).
MAX_LEVELS = 1_000
#: The most bootstrap resamples (each one re-analyses every output).
MAX_RESAMPLES = 100_000


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
    base, names, bounds, notes = baseline_and_parameters(scenario, parameters, overrides, ranges)
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
                         None, plain_overrides(overrides), tuple(notes))


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
    base, names, bounds, notes = baseline_and_parameters(scenario, parameters, overrides, ranges)
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
                         mean_effect, plain_overrides(overrides), tuple(notes))


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


def _warning_notes(caught) -> list[str]:
    seen: list[str] = []
    for w in caught:
        text = "SALib: " + " ".join(str(w.message).split())
        if text not in seen:
            seen.append(text)
    return seen


__all__ = ["CHUNK_SIZE", "INSTALL_HINT", "MAX_EVALUATIONS", "MAX_LEVELS", "MAX_RESAMPLES", "morris", "sobol"]
