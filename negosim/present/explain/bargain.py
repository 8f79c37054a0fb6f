"""Explain a `form: bargaining` scenario's solution in sentences, with its numbers, closed form and source.

>>> from negosim.scenario import load_scenario
>>> text = explain_bargaining(load_scenario("scenarios/fearon_risk_return.yaml"))
>>> "Ukraine offers Russia x = p - z* = 0.6 - 0.1 = 0.5" in text
True
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ...scenario.bargainsolve import BargainSolution, solve_bargaining
from ...scenario.model import Scenario
from ..text import fmt_number
from . import bargain_dynamic as dyn

Values = dict[str, float]
Derivation = Callable[[Values, Values, tuple[str, str]], list[str]]


def _n(x: float) -> str:
    return fmt_number(float(x))


def _range(a: Values, q: Values, who: tuple[str, str]) -> list[str]:
    c, d = who
    return [f"War gives {c} p - cR = {_n(a['p'])} - {_n(a['cR'])} = {_n(a['p'] - a['cR'])} of the stake and "
            f"{d} 1 - p - cU = {_n(1 - a['p'] - a['cU'])}, because fighting destroys cR + cU = "
            f"{_n(a['cR'] + a['cU'])} of it.",
            f"So every share x of {c} between {_n(q['low'])} and {_n(q['high'])} leaves both better off than war: "
            f"the bargaining range has width {_n(q['width'])}, and with complete information and a divisible "
            "stake it is never empty."]


def _tioli(a: Values, q: Values, who: tuple[str, str]) -> list[str]:
    c, d = who
    return [f"The proposer takes the whole surplus of peace: {c}'s war value is p - cR = {_n(q['war_value'])}, "
            f"and {d} would fight rather than give more than p + cU = {_n(a['p'] + a['cU'])}.",
            f"So {c} gets x = {_n(q['share'])}, and the terms move one-for-one with p."]


def _risk_return(a: Values, q: Values, who: tuple[str, str]) -> list[str]:
    c, d = who
    z, cbar, cu = q["concession"], a["cbar"], a["cU"]
    interior = 0 < z < a["p"] and cu < cbar
    why = (f"the first-order condition 1 - z/cbar - (z + cU)/cbar = 0 of {d}'s expected payoff "
           f"(1 - z/cbar)(1 - p + z) + (z/cbar)(1 - p - cU) gives z* = (cbar - cU) / 2 = "
           f"({_n(cbar)} - {_n(cu)}) / 2 = {_n(z)}" if interior else
           f"with cU = {_n(cu)} and cbar = {_n(cbar)} the best concession is at its bound: z* = {_n(z)}")
    return [f"{c} accepts an offer x iff x >= p - cR, that is iff its private cost cR is at least the concession "
            f"z = p - x; with cR uniform on [0, {_n(cbar)}] a concession z is rejected with probability z / cbar.",
            f"A larger z buys peace more often but gives more away; {why}.",
            f"{d} offers {c} x = p - z* = {_n(a['p'])} - {_n(z)} = {_n(q['offer'])} because that is where the "
            "marginal gain from a better deal equals the marginal risk of war.",
            f"War follows with probability z* / cbar = {_n(q['war_probability'])} (independent of p in the interior), "
            f"and a {c} that rejects has expected cost z* / 2 = {_n(q['expected_cost_after_rejection'])}: the "
            "rejecters are the low-cost types."]


def _rubinstein(a: Values, q: Values, who: tuple[str, str]) -> list[str]:
    pa, pb = who
    return [f"In every round the responder accepts any offer worth at least what it would get by proposing next "
            f"round, discounted; so {pb} accepts {1 - q['share']:.6g} and {pa}'s share x solves "
            f"x = 1 - delta_b (1 - delta_a x).",
            f"With delta_a = {_n(a['delta_a'])} and delta_b = {_n(a['delta_b'])}: x = (1 - delta_b) / "
            f"(1 - delta_a delta_b) = {_n(q['share'])} for {pa} and {_n(q['responder_share'])} for {pb}, agreed at "
            "once (the unique subgame-perfect equilibrium)."]


def _outside(a: Values, q: Values, who: tuple[str, str]) -> list[str]:
    pa, pb = who
    lines = [f"Without outside options {pa} would get 1 / (1 + delta) = {_n(q['no_option_share'])}.",
             f"{pb} may leave for war at once, worth w_b = {_n(a['w_b'])}; {pa}'s war payoff is w_a = {_n(a['w_a'])}."]
    if q["surplus"] < 0:
        lines.append(f"w_a + w_b = {_n(a['w_a'] + a['w_b'])} exceeds the stake: no split gives both their war payoff.")
    elif q["responder_binds"] > 0:
        lines.append(f"{pb}'s war payoff binds (it exceeds what counter-proposing is worth), so {pa} offers it "
                     f"exactly w_b and keeps x = 1 - w_b = {_n(q['share'])}.")
    elif q["proposer_binds"] > 0:
        lines.append(f"{pa}'s own war payoff binds when {pb} proposes, which raises {pa}'s share to {_n(q['share'])}.")
    else:
        lines.append(f"Neither war payoff binds, so the outside options do not move the split: x = {_n(q['share'])} "
                     "(the outside option principle).")
    return lines


def _axiomatic(kind: str) -> Derivation:
    def derive(a: Values, q: Values, who: tuple[str, str]) -> list[str]:
        pa, pb = who
        rule = ("maximises the product of the two gains over the disagreement point, (u_a - d_a)^beta "
                f"(u_b - d_b)^(1 - beta) with beta = {_n(a.get('beta', 0.5))}" if kind == "nash" else
                "equalises each party's gain as a fraction of its ideal gain")
        return [f"The disagreement point is war: {pa} gets d_a = {_n(q['d_a'])} and {pb} d_b = {_n(q['d_b'])}.",
                f"The solution {rule}: {pa}'s share x = {_n(q['share'])}, giving u_a = {_n(q['u_a'])} and "
                f"u_b = {_n(q['u_b'])} (gains {_n(q['u_a'] - q['d_a'])} and {_n(q['u_b'] - q['d_b'])})."]
    return derive


def _powell(a: Values, q: Values, who: tuple[str, str]) -> list[str]:
    dec, ris = who
    verdict = ("exceeds it, so no promise is credible and war is unavoidable" if q["war"] > 0 else
               "does not exceed it, so a peaceful division exists")
    return [f"{dec} prevails with probability p1 = {_n(a['p1'])} now and only p2 = {_n(a['p2'])} after the shift; "
            f"fighting now is worth p1 - c = {_n(q['war_value'])} per period.",
            f"The most {ris} can credibly promise is the whole stake this period and, once stronger, only what "
            f"{dec} could then win by war plus {ris}'s cost: (1 - delta) + delta min(1, p2 + c) = "
            f"{_n(q['most_credible_offer'])}.",
            f"{dec}'s war value {verdict} (margin {_n(q['margin'])})."]


def _ceasefire(a: Values, q: Values, who: tuple[str, str]) -> list[str]:
    ru, us = who
    war_value = a["p"] + a["mu"] - a["sigma"] * a["s"]
    return [f"{ru} accepts terms x0 iff x0 >= p + mu - sigma s - cR: fighting on is worth {_n(war_value)} "
            f"before its private cost cR, uniform on [0, {_n(a['cbar'])}].",
            f"{us} trades the terms against the risk of war: Pr(war) = 1/2 - (B + g + sigma k) / (2 omega cbar) - "
            f"sigma s / (2 cbar), kept in [0, 1], = {_n(q['war_probability'])}.",
            f"{us} offers x0 = {_n(war_value)} - cbar Pr(war) = {_n(q['offer'])} because a marginal concession "
            f"buys peace with density 1/cbar and costs omega = {_n(a['omega'])} per unit of Ukraine's share; "
            f"a {ru} that rejects has expected cost {_n(q['expected_cost_after_rejection'])}."]


DERIVATIONS: dict[str, Derivation] = {
    "bargaining_range": _range, "take_it_or_leave_it": _tioli, "risk_return": _risk_return,
    "rubinstein": _rubinstein, "outside_options": _outside, "nash_solution": _axiomatic("nash"),
    "kalai_smorodinsky": _axiomatic("ks"), "powell_war": _powell,
    "delay_rounds": dyn.delay, "attrition_hazard": dyn.attrition, "audience_cost_fight_probability": dyn.audience,
    "contest_success": dyn.contest, "grim_trigger_threshold": dyn.grim,
    "ceasefire_private_cost": _ceasefire,
}


def explain_bargaining(scenario: Scenario, sol: BargainSolution | None = None, *, color: bool = False) -> str:
    """The derivation of a bargaining scenario's solution at its baseline, in sentences, with its source
    (with `color`, the title and the regime in bold for a terminal).

    Parameters
    ----------
    scenario : Scenario
        A ``form: bargaining`` scenario.
    sol : BargainSolution, optional
        Its solution at the baseline (default: solved here).
    color : bool, default False
        Bold the title and the regime with terminal escapes.

    Returns
    -------
    str
        The derivation, lines joined.

    Examples
    --------
    >>> import negosim as ns
    >>> text = explain_bargaining(ns.load("scenarios/rubinstein_war.yaml"))
    >>> text.splitlines()[1]
    'Model: Alternating offers with war as the outside option (outside_options).'
    """
    from ..text.wording import Style

    st = Style(color)
    sol = sol if sol is not None else solve_bargaining(scenario)
    spec = scenario.game
    env = scenario.evaluate()
    args = {k: float(np.asarray(f.evaluate(env)).reshape(-1)[0])
            for k, f in spec.arguments.items() if k not in sol.model.frontier}  # type: ignore[union-attr]
    q = {k: float(np.asarray(v).reshape(-1)[0]) for k, v in sol.quantities.items()}
    who = tuple(p.name or p.id for p in scenario.players)
    regime = str(sol.regimes.reshape(-1)[0])
    lines = [st.heading(scenario.title), f"Model: {sol.model.title} ({sol.model.name}).", ""]
    lines += DERIVATIONS[sol.model.name](args, q, (who[0], who[1]))
    lines += ["", st(f"Outcome regime: {regime} ({sol.label(regime)}).", "bold"),
              f"Closed form: {sol.model.closed_form}.", f"Source: {sol.model.source}"]
    return "\n".join(lines)


__all__ = ["DERIVATIONS", "explain_bargaining"]
