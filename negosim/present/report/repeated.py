"""The handout's repeated-game section: the grim-trigger thresholds as a table, the payoff set and the
truce's survival curves as figures (inline SVG)."""

from __future__ import annotations

from html import escape

import numpy as np

from ...bargain.grim import PUNISHMENTS
from ...scenario.repeated_analysis import analyze_repeated
from ..text import fmt_number

#: The survival figure of the handout: these strategies (each played by both sides), few runs to stay quick.
HANDOUT_STRATEGIES = ("grim", "tit_for_tat", "generous_tit_for_tat", "win_stay_lose_shift", "always_violate")
HANDOUT_RUNS, HANDOUT_WINDOWS, HANDOUT_SEED, HANDOUT_FALSE_ALARM = 4000, 24, 1, 0.02


def _cell(x: float) -> str:
    return "never" if not np.isfinite(x) or x > 1 else fmt_number(float(x))


def repeated_html(source) -> list[str]:
    """The section's HTML lines for a ``form: repeated`` scenario.

    Parameters
    ----------
    source
        The report's source: the scenario is read from its ``scenario`` attribute.

    Returns
    -------
    list of str
        HTML lines: the settings, a table of thresholds per profile, and the figures as inline SVG.

    Examples
    --------
    >>> import types
    >>> import negosim as ns
    >>> scenario = ns.load("scenarios/ceasefire_truce_repeated.yaml")
    >>> lines = repeated_html(types.SimpleNamespace(scenario=scenario))
    >>> lines[0].startswith("<p>Played window after window"), any("<svg" in line for line in lines)
    (True, True)
    """
    from ..figures.payoff_set import payoff_set_figure, survival_figure
    from ..figures.save import figure_svg

    scenario = source.scenario
    a = analyze_repeated(scenario)
    g = a.grim
    d, q, rho = float(g.discount), float(g.detection), float(g.extension)
    out = [f"<p>Played window after window with discount δ = {fmt_number(d)}, extension probability ρ = "
           f"{fmt_number(rho)} (so the future counts δρ = {fmt_number(d * rho)}) and detection probability "
           f"q = {fmt_number(q)}. Grim trigger sustains a profile when δρ ≥ τ/(τ + q(u − p)) for every player "
           "(τ the gain from deviating, u the profile's payoff, p the punishment per window).</p>",
           "<table><thead><tr><th>profile</th>"
           + "".join(f"<th>δ needed ({'Nash reversion' if k == 'nash' else 'minmax'})</th>" for k in PUNISHMENTS)
           + "<th>sustained now</th></tr></thead><tbody>"]
    for k, name in enumerate(g.profiles):
        mark = " (the agreement)" if k == a.cooperative else ""
        cells = "".join(f"<td>{_cell(float(g.discount_needed(x)[k]))}</td>" for x in PUNISHMENTS)
        out.append(f"<tr><td>{escape(name)}{mark}</td>{cells}<td>{'yes' if g.sustainable('nash')[k] else 'no'}"
                   "</td></tr>")
    out.append("</tbody></table>")
    if a.payoff_set is not None:
        out += ['<figure class="fig">', figure_svg(payoff_set_figure(scenario)),
                "<figcaption>Subgame-perfect equilibrium payoffs (Abreu and Sannikov's algorithm, perfect "
                "monitoring) for a range of δρ; the scenario's own in bold.</figcaption>", "</figure>"]
    if scenario.game.cooperative is not None and all(len(acts) == 2 for acts in scenario.game.actions):
        fig = survival_figure(scenario, strategies=HANDOUT_STRATEGIES[:1], compare=HANDOUT_STRATEGIES[1:],
                              runs=HANDOUT_RUNS, windows=HANDOUT_WINDOWS, seed=HANDOUT_SEED,
                              false_alarm=HANDOUT_FALSE_ALARM)
        out += ['<figure class="fig">', figure_svg(fig),
                f"<figcaption>Above: share of truces unbroken (no violation seen yet) after each window when both "
                f"sides follow one strategy; grim trigger, tit for tat and win-stay-lose-shift coincide there, since "
                f"each holds until the first violation it sees. Below: the share of truces in force in which both "
                f"hold, which tells them apart: grim never forgives a false alarm, the others restore the truce "
                f"({HANDOUT_RUNS:,} simulated truces, seed {HANDOUT_SEED}, false alarms "
                f"{fmt_number(HANDOUT_FALSE_ALARM)}; <code>negosim simulate</code> reproduces it).</figcaption>",
                "</figure>"]
    return out


__all__ = ["repeated_html"]
