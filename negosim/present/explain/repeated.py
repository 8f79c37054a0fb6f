"""`negosim explain` for a repeated game: the grim-trigger derivation in sentences, with the numbers.

For the agreement's profile (or every profile that is not a stage equilibrium) it says, per player, the
gain from deviating, the per-period loss once punished, the threshold and whether ``delta * rho`` meets
it; then how Nash reversion compares with the minmax, and what the payoff set is.
"""

from __future__ import annotations

import numpy as np

from ...scenario.repeated_analysis import RepeatedAnalysis
from ..text import fmt_number
from ..text.wording import Style, and_list, wrap
from .normal import WIDTH


def _n(x: float) -> str:
    return fmt_number(float(x))


def explain_repeated(a: RepeatedAnalysis, names: dict[str, str], st: Style) -> list[str]:
    """The section's lines (after the stage game's derivation).

    Parameters
    ----------
    a : RepeatedAnalysis
        The analysis at the baseline.
    names : dict of str to str
        Player id -> the name to write.
    st : Style
        How headings are set (bold on a terminal with colour).

    Returns
    -------
    list of str
        The lines, a heading first.

    Examples
    --------
    >>> import negosim as ns
    >>> from negosim.present.text.wording import Style
    >>> from negosim.scenario.repeated_analysis import analyze_repeated
    >>> a = analyze_repeated(ns.load("scenarios/ceasefire_truce_repeated.yaml"))
    >>> explain_repeated(a, {"RU": "Russia", "UA": "Ukraine"}, Style(False))[0]
    'The repeated game: what grim trigger sustains'
    """
    g = a.grim
    d, q, rho = float(g.discount), float(g.detection), float(g.extension)
    eff = d * rho
    out = [st.heading("The repeated game: what grim trigger sustains"), ""]
    out += wrap(f"The stage game is played period after period. The next period counts δ = {_n(d)}, and it comes "
                f"only if both consent to extend (probability ρ = {_n(rho)}), so the future is worth δρ = {_n(eff)} "
                f"per period. A violation is detected with probability q = {_n(q)}. Under grim trigger a detected "
                "violation is punished for good; undetected ones go unpunished and can be repeated, so holding to a "
                "profile pays iff a player's one-period gain τ is at most δρ·q·(u − p)/(1 − δρ), where u is its "
                "payoff from the profile and p its payoff per period once punished: iff δρ ≥ τ/(τ + q(u − p)).",
                WIDTH, "  ", "  ")
    pun = g.punishment["nash"]
    out += [""] + wrap("Punished by reverting to the stage game's equilibrium (Nash reversion), each player gets "
                       + and_list([f"{names.get(p, p)} {_n(v)}" for p, v in zip(g.players, pun)]) + " per period.",
                       WIDTH, "  ", "  ")
    profiles = [a.cooperative] if a.cooperative is not None else [
        k for k in range(len(g.profiles)) if float(g.threshold("nash")[k]) > 0]
    for k in profiles:
        out += [""] + _profile(a, k, names, eff)
    others = [g.profiles[k] for k in range(len(g.profiles)) if bool(g.sustainable("nash")[k]) and k not in profiles]
    if others:
        out += [""] + wrap(f"Also sustained at δρ = {_n(eff)}: {and_list(others)} (a stage equilibrium needs no "
                           "threat at all).", WIDTH, "  ", "  ")
    mm, nash = g.threshold("minmax"), g.threshold("nash")
    if np.allclose(np.nan_to_num(mm, posinf=9), np.nan_to_num(nash, posinf=9)):
        out += [""] + wrap("The minmax (the harshest punishment the others can inflict) equals Nash reversion here, "
                           "so the folk theorem's bound needs no more patience than grim trigger.", WIDTH, "  ", "  ")
    else:
        lower = [f"{g.profiles[k]} ({_n(mm[k])} instead of {_n(nash[k])})" for k in range(len(g.profiles))
                 if float(mm[k]) < float(nash[k])]
        out += [""] + wrap("A harsher punishment, the minmax, would lower the thresholds of " + and_list(lower)
                           + "; whether the punishers would carry it out is a further question.", WIDTH, "  ", "  ")
    V = a.payoff_set
    if V is not None:
        verts = and_list([f"({_n(x)}, {_n(y)})" for x, y in V.vertices])
        out += [""] + wrap(f"All subgame-perfect equilibrium payoffs at δρ = {_n(eff)} (Abreu and Sannikov's "
                           f"algorithm, pure actions, perfect monitoring; {V.iterations} iterations"
                           f"{'' if V.converged else ', not converged'}) form the polygon with corners {verts}, "
                           f"in the order {', '.join(g.players)}.", WIDTH, "  ", "  ")
    for note in a.notes:
        out += wrap(f"Note: {note}.", WIDTH, "  ", "  ")
    return out


def _profile(a: RepeatedAnalysis, k: int, names: dict[str, str], eff: float) -> list[str]:
    g = a.grim
    q = float(g.detection)
    rho = float(g.extension)
    name = g.profiles[k]
    lines = []
    sentences = []
    for i, p in enumerate(g.players):
        tau, u, pun = float(g.gains[k, i]), float(g.stage_payoffs[k, i]), float(g.punishment["nash"][i])
        t = float(g.player_thresholds["nash"][k, i])
        who = names.get(p, p)
        if tau <= 0:
            sentences.append(f"{who} gains nothing by deviating (threshold 0)")
        elif not np.isfinite(t):
            sentences.append(f"{who} gains {_n(tau)} by deviating and gets {_n(u)} from it, no more than the "
                             f"punishment {_n(pun)}: no discount factor deters it")
        else:
            sentences.append(f"{who} gains τ = {_n(tau)} by deviating and would lose u − p = {_n(u)} − {_n(pun)} = "
                             f"{_n(u - pun)} per period once caught, so it needs δρ ≥ {_n(tau)}/({_n(tau)} + "
                             f"{_n(q)} × {_n(u - pun)}) = {_n(t)}")
    need = float(g.threshold("nash")[k])
    ok = bool(g.sustainable("nash")[k])
    verdict = (f"so {name} needs δρ ≥ {_n(need)}, that is δ ≥ {_n(need / rho)} at ρ = {_n(rho)}; at δρ = {_n(eff)} "
               f"it is {'sustained' if ok else 'not sustained'}." if np.isfinite(need)
               else f"so no discount factor sustains {name}.")
    lines += wrap(f"Holding to {name}: " + "; ".join(sentences) + "; " + verdict, WIDTH, "  ", "  ")
    return lines


__all__ = ["explain_repeated"]
