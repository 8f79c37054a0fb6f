"""Terminal tables and JSON for a repeated game: grim-trigger thresholds, the payoff set, a simulation."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...bargain.grim import PUNISHMENTS
from ...bargain.simulate import Simulation
from ...scenario.repeated_analysis import RepeatedAnalysis

_AGAINST = {"nash": "Nash reversion", "minmax": "minmax (folk theorem)"}


def _threshold(x: float) -> str:
    if np.isnan(x):
        return "n/a"
    return "never" if not np.isfinite(x) or x > 1 else f"{x:.6g}"


def format_repeated(a: RepeatedAnalysis) -> str:
    """The repeated-game part of `negosim solve`'s table: one row per pure profile, then the payoff set.

    Parameters
    ----------
    a : RepeatedAnalysis
        The analysis at one point.

    Returns
    -------
    str
        The lines of the table, starting with a blank line.

    Examples
    --------
    >>> import negosim as ns
    >>> from negosim.scenario.repeated_analysis import analyze_repeated
    >>> text = format_repeated(analyze_repeated(ns.load("scenarios/ceasefire_truce_repeated.yaml")))
    >>> text.splitlines()[1][:45]
    'Repeated game: discount 0.75 per period, dete'
    """
    g = a.grim
    d, q, rho = float(g.discount), float(g.detection), float(g.extension)
    lines = ["", f"Repeated game: discount {d:g} per period, detection {q:g}, extension {rho:g} "
                 f"(effective discount delta*rho = {d * rho:.6g})",
             "Grim trigger: a profile is sustainable when delta*rho >= tau/(tau + q(u - p)) for every player "
             "(tau: best gain from deviating, u: the profile's payoff, p: the punishment).",
             "delta needed = that threshold / rho; 'never': no discount factor suffices.", ""]
    width = max(len("profile"), *(len(p) for p in g.profiles))
    header = f"{'profile':<{width}}  " + "  ".join(f"{_AGAINST[k] + ': delta needed':>36}  sustainable"
                                                  for k in PUNISHMENTS)
    lines += [header, "-" * len(header)]
    for k, name in enumerate(g.profiles):
        cells = []
        for against in PUNISHMENTS:
            need = float(g.discount_needed(against)[k])
            ok = bool(g.sustainable(against)[k])
            tie = " (tie)" if bool(g.at_threshold(against)[k]) else ""
            cells.append(f"{_threshold(need):>36}  {('yes' if ok else 'no') + tie:<11}")
        mark = "  <- cooperative" if k == a.cooperative else ""
        lines.append(f"{name:<{width}}  " + "  ".join(cells) + mark)
    pun = "; ".join(f"{p}: Nash {_num(n)}, minmax {_num(m)}" for p, n, m in
                    zip(g.players, g.punishment["nash"], g.punishment["minmax"]))
    lines += ["", f"Punishment values per period: {pun}"]
    V = a.payoff_set
    if V is not None:
        status = "converged" if V.converged else "NOT converged (an outer approximation)"
        verts = ", ".join(f"({x:.4g}, {y:.4g})" for x, y in V.vertices) or "empty"
        lines += [f"Subgame-perfect equilibrium payoffs at delta*rho = {V.delta:.6g} (Abreu-Sannikov, pure actions, "
                  f"perfect monitoring): {len(V.vertices)} vertices, {V.iterations} iterations, {status} "
                  f"(tol {a.tol:g}, at most {a.max_iter})", f"  vertices ({', '.join(g.players)}): {verts}"]
    for note in a.notes:
        lines.append(f"note: {note}")
    return "\n".join(lines)


def _num(x: Any) -> str:
    v = float(x)
    return "n/a" if np.isnan(v) else f"{v:.6g}"


def simulation_dict(sim: Simulation, players: tuple[str, ...]) -> dict[str, Any]:
    """The JSON document of `negosim simulate --json`.

    Parameters
    ----------
    sim : Simulation
        The simulated truces.
    players : tuple of str
        The players' ids, in the order of `sim`'s strategies and payoffs.

    Returns
    -------
    dict
        Strategies per player, the settings, and the survival, holding and in-force curves.

    Examples
    --------
    >>> import negosim as ns
    >>> from negosim.scenario.repeated_analysis import simulate_scenario
    >>> scenario = ns.load("scenarios/ceasefire_truce_repeated.yaml")
    >>> sim = simulate_scenario(scenario, ("grim",), runs=100, windows=3)
    >>> doc = simulation_dict(sim, scenario.player_ids)
    >>> doc["strategies"], doc["runs"], len(doc["survival"])
    ({'RU': 'grim', 'UA': 'grim'}, 100, 4)
    """
    def clean(a: np.ndarray) -> list[float]:
        return [float(f"{x:.12g}") for x in np.asarray(a).reshape(-1)]

    return {"strategies": dict(zip(players, sim.strategies)), "runs": sim.runs, "windows": sim.windows,
            "seed": sim.seed, "discount": sim.discount, "detection": sim.detection, "extension": sim.extension,
            "false_alarm": sim.false_alarm, "survival": clean(sim.survival),
            "survival_standard_error": clean(sim.standard_error()), "holding": clean(sim.holding),
            "in_force": clean(sim.in_force), "mean_payoffs": dict(zip(players, clean(sim.mean_payoffs)))}


def format_simulation(sim: Simulation, players: tuple[str, ...]) -> str:
    """A table of the survival curve: per window, the share of truces unbroken, holding and in force.

    Parameters
    ----------
    sim : Simulation
        The simulated truces.
    players : tuple of str
        The players' ids, in the order of `sim`'s strategies.

    Returns
    -------
    str
        A header, then one line per window.

    Examples
    --------
    >>> import negosim as ns
    >>> from negosim.scenario.repeated_analysis import simulate_scenario
    >>> scenario = ns.load("scenarios/ceasefire_truce_repeated.yaml")
    >>> sim = simulate_scenario(scenario, ("grim",), runs=100, windows=3)
    >>> format_simulation(sim, scenario.player_ids).splitlines()[0]
    'Simulated 100 truces for 3 windows (seed 0): RU grim, UA grim'
    """
    who = ", ".join(f"{p} {s}" for p, s in zip(players, sim.strategies))
    lines = [f"Simulated {sim.runs:,} truces for {sim.windows} windows (seed {sim.seed}): {who}",
             f"discount {sim.discount:g}, detection {sim.detection:g}, false alarms {sim.false_alarm:g}, "
             f"extension {sim.extension:g}",
             "unbroken = extended into the window and nobody has violated so far; holding = in force and all hold "
             "in this window; in force = extended into it", "",
             f"{'window':>6}  {'unbroken':>9}  {'+/- s.e.':>8}  {'holding':>8}  {'in force':>8}"]
    se = sim.standard_error()
    for t in range(1, sim.windows + 1):
        lines.append(f"{t:>6}  {sim.survival[t]:>9.4f}  {se[t]:>8.4f}  {sim.holding[t - 1]:>8.4f}  "
                     f"{sim.in_force[t - 1]:>8.4f}")
    pays = ", ".join(f"{p} {v:.4f}" for p, v in zip(players, sim.mean_payoffs))
    lines += ["", f"mean discounted payoff per window (over the windows simulated): {pays}"]
    return "\n".join(lines)


__all__ = ["format_repeated", "format_simulation", "simulation_dict"]
