"""Derivations in sentences of the dynamic and power models of `form: bargaining`: delay by a side gaining
ground, the war of attrition, audience costs, the contest success function and grim trigger.

Each function takes the model's arguments `a` and quantities `q` at the baseline and the two players'
names, and returns the sentences of `negosim explain`, every step with its numbers (see
`negosim.present.explain.bargain`, which adds the regime, closed form and source).

>>> lines = contest({"s1": 3.0, "s2": 1.0, "gamma": 2.0}, {"share": 0.9, "other_share": 0.1}, ("A", "B"))
>>> "p = 3^2 / (3^2 + 1^2) = 9 / 10 = 0.9" in lines[1]
True
"""

from __future__ import annotations

import numpy as np

from ..text import fmt_number

Values = dict[str, float]


def _n(x: float) -> str:
    return fmt_number(float(x))


def delay(a: Values, q: Values, who: tuple[str, str]) -> list[str]:
    """Delay by a side gaining ground: when settling now beats one more round of fighting.

    Parameters
    ----------
    a : dict of str to float
        The model's arguments at the baseline.
    q : dict of str to float
        The model's quantities there (``rounds`` is read).
    who : tuple of str
        The two players' names, in the model's role order.

    Returns
    -------
    list of str
        The sentences, one per step.

    Examples
    --------
    >>> a = {"x0": 0.2, "mu": 0.1, "delta": 0.9, "kR": 0.02}
    >>> delay(a, {"rounds": 5.0}, ("A", "B"))[-1][-63:]
    'so A fights 5 rounds before settling with B, at a share of 0.7.'
    """
    side, other = who
    x0, mu, d = a["x0"], a["mu"], a["delta"]
    k = a["kR"] + a.get("sigma_s", 0.0)
    cost = (f"kR + sigma_s = {_n(a['kR'])} + {_n(a['sigma_s'])} = {_n(k)}" if "sigma_s" in a
            else f"kR = {_n(k)}")
    lines = [f"{side} could settle now for a share x0 = {_n(x0)}; each round it fights instead, its share grows by "
             f"mu = {_n(mu)} (capped at 1), costs it {cost}, and the next round counts delta = {_n(d)}."]
    if mu <= 0:
        return lines + [f"With mu = {_n(mu)} waiting gains nothing, so {side} settles at once: 0 rounds of delay."]
    raw = (d * mu - k) / (1 - d)
    if raw <= 1 - mu:
        threshold = raw
        how = (f"Settling at share x beats one more round iff x >= -k + delta (x + mu), that is iff x >= "
               f"(delta mu - k) / (1 - delta) = ({_n(d)} x {_n(mu)} - {_n(k)}) / (1 - {_n(d)}) = {_n(threshold)}.")
    else:
        threshold = d - k
        how = (f"Near the cap the next round's share is 1, so settling at x beats waiting iff x >= delta - k = "
               f"{_n(d)} - {_n(k)} = {_n(threshold)}.")
    rounds = q["rounds"]
    if rounds <= 0:
        end = f"x0 = {_n(x0)} already reaches it, so {side} settles now with {other}: 0 rounds of delay."
    else:
        end = (f"From x0 = {_n(x0)} it takes ceil(({_n(threshold)} - {_n(x0)}) / {_n(mu)}) = {_n(rounds)} rounds "
               f"of gains to reach it, so {side} fights {_n(rounds)} rounds before settling with {other}, at a share "
               f"of {_n(min(1.0, x0 + rounds * mu))}.")
    return lines + [how, end]


def attrition(a: Values, q: Values, who: tuple[str, str]) -> list[str]:
    """The war of attrition: each side quits at the rate that leaves the other indifferent.

    Parameters
    ----------
    a : dict of str to float
        The model's arguments at the baseline.
    q : dict of str to float
        The model's quantities there (``hazard`` and ``expected_duration`` are read).
    who : tuple of str
        The two players' names, in the model's role order.

    Returns
    -------
    list of str
        The sentences, one per step.

    Examples
    --------
    >>> q = {"hazard": 0.25, "expected_duration": 2.0}
    >>> attrition({"value": 1.0, "cost": 0.25}, q, ("A", "B"))[1][-40:]
    'd is h = cost / value = 0.25 / 1 = 0.25.'
    """
    one, two = who
    v, c = a["value"], a["cost"]
    return [f"{one} and {two} fight for a prize worth value = {_n(v)}; every instant of fighting costs each "
            f"cost = {_n(c)}.",
            f"In the symmetric equilibrium each side must be indifferent between quitting now and holding on an "
            f"instant longer: holding on costs cost dt and wins the prize if the other quits, with probability "
            f"h dt, so h value = cost and the hazard is h = cost / value = {_n(c)} / {_n(v)} = {_n(q['hazard'])}.",
            f"Both quit at that rate, so the first quits at rate 2h and the war lasts on average 1 / (2h) = "
            f"value / (2 cost) = {_n(q['expected_duration'])}; the expected cost of the fight, "
            f"2 cost / (2h) = value, dissipates the whole prize."]


def audience(a: Values, q: Values, who: tuple[str, str]) -> list[str]:
    """Audience costs: a leader who threatened in public fights unless war is worse than backing down.

    Parameters
    ----------
    a : dict of str to float
        The model's arguments at the baseline.
    q : dict of str to float
        The model's quantities there (``fight_probability`` is read).
    who : tuple of str
        The two players' names, in the model's role order.

    Returns
    -------
    list of str
        The sentences, one per step.

    Examples
    --------
    >>> lines = audience({"low": -1.0, "high": 1.0, "a": 0.5}, {"fight_probability": 0.75}, ("A", "B"))
    >>> lines[1][:31]
    'It fights iff w >= -a = -0.5, w'
    """
    leader, rival = who
    lo, hi, cost = a["low"], a["high"], a["a"]
    p = q["fight_probability"]
    lines = [f"{leader} has threatened {rival} in public. Its value of war w is private, uniform on "
             f"[{_n(lo)}, {_n(hi)}]; backing down now costs it the audience cost a = {_n(cost)} (payoff -a).",
             f"It fights iff w >= -a = {_n(-cost)}, with probability (high + a) / (high - low) = "
             f"({_n(hi)} + {_n(cost)}) / ({_n(hi)} - {_n(lo)}) = {_n((hi + cost) / (hi - lo))}"
             + (f", kept in [0, 1]: {_n(p)}." if not 0 <= (hi + cost) / (hi - lo) <= 1 else ".")]
    if 0 < p < 1:
        lines.append(f"Each unit of audience cost raises that probability by 1 / (high - low) = {_n(1 / (hi - lo))}: "
                     "the public threat is more credible because backing down is costly.")
    elif p >= 1:
        lines.append(f"Even its least warlike type prefers fighting to paying a = {_n(cost)}: the threat is sure.")
    else:
        lines.append("No type's war value reaches -a: the threat is never carried out.")
    return lines


def contest(a: Values, q: Values, who: tuple[str, str]) -> list[str]:
    """The Tullock contest: capabilities mapped to the probability of prevailing.

    Parameters
    ----------
    a : dict of str to float
        The model's arguments at the baseline.
    q : dict of str to float
        The model's quantities there (``share`` and ``other_share`` are read).
    who : tuple of str
        The two players' names, in the model's role order.

    Returns
    -------
    list of str
        The sentences, one per step.

    Examples
    --------
    >>> lines = contest({"s1": 1.0, "s2": 1.0}, {"share": 0.5, "other_share": 0.5}, ("A", "B"))
    >>> "= 0.5, and B with 1 - p = 0.5" in lines[1]
    True
    """
    one, two = who
    s1, s2, g = a["s1"], a["s2"], a.get("gamma", 1.0)
    t1, t2 = s1 ** g, s2 ** g
    return [f"{one} brings capability s1 = {_n(s1)} and {two} s2 = {_n(s2)}; gamma = {_n(g)} says how decisive "
            "fighting is (1: proportional to capability; large: the stronger almost surely wins).",
            f"{one} prevails with probability p = {_n(s1)}^{_n(g)} / ({_n(s1)}^{_n(g)} + {_n(s2)}^{_n(g)}) = "
            f"{_n(t1)} / {_n(t1 + t2)} = {_n(q['share'])}, and {two} with 1 - p = {_n(q['other_share'])}"
            + (" (neither has any capability, so the chances are even)." if t1 + t2 == 0 else "."),
            "This p is the leverage the bargaining models take as given: the terms of a settlement follow it."]


def grim(a: Values, q: Values, who: tuple[str, str]) -> list[str]:
    """Grim trigger: holding the truce against one window's gain and the detected violator's punishment.

    Parameters
    ----------
    a : dict of str to float
        The model's arguments at the baseline.
    q : dict of str to float
        The model's quantities there (``threshold`` and, if given, ``delta`` are read).
    who : tuple of str
        The two players' names, in the model's role order.

    Returns
    -------
    list of str
        The sentences, one per step.

    Examples
    --------
    >>> grim({"tau": 1.0, "R": 3.0, "P": 1.0}, {"threshold": 1 / 3, "delta": 0.5}, ("A", "B"))[-1]
    'With delta = 0.5, at least delta* = 0.333333, the truce holds.'
    """
    one, two = who
    tau, r, p, det = a["tau"], a["R"], a["P"], a.get("q", 1.0)
    threshold = q["threshold"]
    lines = [f"Each window {one} and {two} hold the truce (worth R = {_n(r)} a window) or violate it "
             f"(R + tau, a gain tau = {_n(tau)} this window); a violation is detected with probability q = {_n(det)}, "
             f"and after a detected one both fight forever (P = {_n(p)} a window).",
             f"Holding is an equilibrium iff tau <= delta q (R - P) / (1 - delta), the discounted loss a detected "
             f"violation brings; that is iff delta >= tau / (tau + q (R - P)) = {_n(tau)} / ({_n(tau)} + {_n(det)} x "
             f"{_n(r - p)}) = {_n(threshold)}."]
    d = q.get("delta", float("nan"))
    if np.isnan(d):
        lines.append("No discount factor is given: the truce can be held by patient enough sides iff delta* <= 1"
                     + (" (it is)." if threshold <= 1 else " (it is not)."))
    else:
        verdict = "at least" if d >= threshold else "below"
        lines.append(f"With delta = {_n(d)}, {verdict} delta* = {_n(threshold)}, the truce "
                     + ("holds." if d >= threshold else "fails: each side violates."))
    return lines


__all__ = ["attrition", "audience", "contest", "delay", "grim"]
