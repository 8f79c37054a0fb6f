"""The models a `form: bargaining` scenario may name: their arguments, quantities and outcome regimes.

Each entry wraps one function of `negosim.bargain` (the closed forms and their numerical
solvers live there): which arguments it takes (formulas of the scenario's parameters), which
quantities it reports, and how a point's quantities decide its *regime*, the outcome label that
sweeps count and locate boundaries between (for example Powell's ``war`` and ``peace``).

>>> m = MODELS["risk_return"]
>>> m.required, m.quantities[:2], m.regimes
(('p', 'cU', 'cbar'), ('offer', 'war_probability'), ('risky_offer', 'safe_offer'))
>>> q = m.compute({"p": np.array(0.6), "cU": np.array(0.1), "cbar": np.array(0.3)}, {}, {}, None)
>>> round(float(q["offer"]), 12), str(m.classify(q))
(0.5, 'risky_offer')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import bargain

Arrays = dict[str, np.ndarray]
#: Options, frontier formulas (``u_a``/``u_b`` as text) and every parameter/derived value, then the shape.
Compute = Callable[[Arrays, Mapping[str, str], Mapping[str, np.ndarray], Any], Arrays]


@dataclass(frozen=True)
class BargainModel:
    """One bargaining model a scenario can name (``model:``), as the scenario layer sees it.

    `required` and `optional` are the argument names (formulas of the parameters); `frontier`
    names arguments that are formulas in the share ``x`` as well (Nash, Kalai-Smorodinsky);
    `options` are words, not formulas (``proposer: defender``), each with its allowed values and
    default. `quantities` are reported in this order (the first is the headline: the figure plots
    it). `classify` turns quantities into regime labels, one of `regimes`. `roles` names what the
    scenario's players are, in the file's player order.

    Attributes
    ----------
    name : str
        The name a scenario gives as ``model:``.
    title : str
        The model in words.
    required : tuple of str
        The required argument names.
    quantities : tuple of str
        The quantities reported, the headline first.
    regimes : tuple of str
        The regime labels `classify` can give.
    roles : tuple of str
        What the scenario's players are, in the file's player order.
    compute : callable
        ``compute(arguments, options, env, shape)``: the quantities from the argument arrays.
    classify : callable
        Quantities -> an object array of regime labels.
    source : str
        The literature the closed form comes from.
    closed_form : str
        The closed form in words.
    optional : tuple of str
        Optional argument names.
    frontier : tuple of str
        Arguments that are formulas in the share ``x`` as well.
    options : dict of str to tuple of str
        Word options and their allowed values (the first is the default).
    drawn : tuple of str
        The quantities figures draw (empty: all).

    Examples
    --------
    >>> from negosim.scenario.bargainmodels import MODELS
    >>> model = MODELS["rubinstein"]
    >>> model.arguments, model.roles
    (('delta_a', 'delta_b'), ('proposer', 'responder'))
    """

    name: str
    title: str
    required: tuple[str, ...]
    quantities: tuple[str, ...]
    regimes: tuple[str, ...]
    roles: tuple[str, ...]
    compute: Compute = field(repr=False)
    classify: Callable[[Arrays], np.ndarray] = field(repr=False)
    source: str = ""
    closed_form: str = ""
    optional: tuple[str, ...] = ()
    frontier: tuple[str, ...] = ()
    options: dict[str, tuple[str, ...]] = field(default_factory=dict)
    drawn: tuple[str, ...] = ()  # the quantities figures draw (default all; not 0/1 flags)

    @property
    def arguments(self) -> tuple[str, ...]:
        """Every argument name, required first."""
        return (*self.required, *self.optional)

    @property
    def plotted(self) -> tuple[str, ...]:
        """The quantities a figure draws against a parameter (all but indicator flags)."""
        return self.drawn or self.quantities


def _pick(condition: np.ndarray, yes: str, no: str) -> np.ndarray:
    return np.where(np.asarray(condition), yes, no).astype(object)


def _f(value: Any) -> np.ndarray:
    return np.asarray(value, dtype=np.float64)


def _range(a: Arrays, o: Mapping[str, str], env: Mapping[str, np.ndarray], shape: Any) -> Arrays:
    low, high = bargain.bargaining_range(a["p"], a["cR"], a["cU"])
    return {"low": _f(low), "high": _f(high), "width": _f(high) - _f(low)}


def _tioli(a: Arrays, o: Mapping[str, str], env: Mapping[str, np.ndarray], shape: Any) -> Arrays:
    share = _f(bargain.take_it_or_leave_it(a["p"], a["cR"], a["cU"], proposer=o["proposer"]))
    return {"share": share, "war_value": a["p"] - a["cR"] + 0.0 * share}


def _risk_return(a: Arrays, o: Mapping[str, str], env: Mapping[str, np.ndarray], shape: Any) -> Arrays:
    r = bargain.risk_return(a["p"], a["cU"], cbar=a["cbar"])
    return {"offer": _f(r.offer), "war_probability": _f(r.war_probability),
            "expected_cost_after_rejection": _f(r.expected_cost_after_rejection), "concession": _f(r.concession)}


def _rubinstein(a: Arrays, o: Mapping[str, str], env: Mapping[str, np.ndarray], shape: Any) -> Arrays:
    share = _f(bargain.rubinstein(a["delta_a"], a["delta_b"]))
    return {"share": share, "responder_share": 1.0 - share}


def _outside(a: Arrays, o: Mapping[str, str], env: Mapping[str, np.ndarray], shape: Any) -> Arrays:
    d, wa, wb = np.broadcast_arrays(a["delta"], a["w_a"], a["w_b"])
    share = _f(bargain.outside_options(d, wa, wb))
    responder_offer = 1.0 - np.maximum(wa, d * share)  # B's share when B proposes
    return {"share": share, "responder_share": 1.0 - share, "no_option_share": 1.0 / (1.0 + d),
            "responder_binds": _f(wb > d * responder_offer + 1e-12),
            "proposer_binds": _f(wa > d * share + 1e-12), "surplus": 1.0 - wa - wb}


def _outside_regime(q: Arrays) -> np.ndarray:
    rb, pb = q["responder_binds"] > 0, q["proposer_binds"] > 0
    out = np.where(rb & pb, "both_options_bind", np.where(rb, "responder_option_binds",
                   np.where(pb, "proposer_option_binds", "no_option_binds")))
    return np.where(q["surplus"] < 0, "war", out).astype(object)


def _axiomatic(solver: Callable[..., Any]) -> Compute:
    def compute(a: Arrays, o: Mapping[str, str], env: Mapping[str, np.ndarray], frontier: Any) -> Arrays:
        u_a, u_b = frontier["u_a"], frontier["u_b"]
        names = (u_a.names | u_b.names) - {"x"}
        params = {n: env[n] for n in names}
        extra = {"beta": a["beta"]} if "beta" in a else {}
        share = _f(solver(u_a.source, u_b.source, d=(a["d_a"], a["d_b"]), **extra, **params))
        at = {**params, "x": share}
        return {"share": share, "u_a": _f(u_a.evaluate(at)) + 0.0 * share, "u_b": _f(u_b.evaluate(at)) + 0.0 * share,
                "d_a": a["d_a"] + 0.0 * share, "d_b": a["d_b"] + 0.0 * share}
    return compute


def _powell(a: Arrays, o: Mapping[str, str], env: Mapping[str, np.ndarray], shape: Any) -> Arrays:
    c_rising = a.get("c_rising", a["c"])
    war = _f(bargain.powell_war(a["p1"], a["p2"], a["delta"], a["c"], c_rising))
    war_value = a["p1"] - a["c"]
    credible = (1.0 - a["delta"]) + a["delta"] * np.minimum(1.0, a["p2"] + c_rising)
    return {"war": war, "war_value": war_value + 0.0 * war, "most_credible_offer": credible + 0.0 * war,
            "margin": war_value - credible + 0.0 * war}


def _delay(a: Arrays, o: Mapping[str, str], env: Mapping[str, np.ndarray], shape: Any) -> Arrays:
    return {"rounds": _f(bargain.delay_rounds(a["x0"], a["mu"], a["delta"], a["kR"], a.get("sigma_s", 0.0)))}


def _attrition(a: Arrays, o: Mapping[str, str], env: Mapping[str, np.ndarray], shape: Any) -> Arrays:
    hazard = _f(bargain.attrition_hazard(a["value"], a["cost"]))
    return {"hazard": hazard, "expected_duration": 1.0 / (2.0 * hazard)}


def _audience(a: Arrays, o: Mapping[str, str], env: Mapping[str, np.ndarray], shape: Any) -> Arrays:
    return {"fight_probability": _f(bargain.audience_cost_fight_probability(a["low"], a["high"], a["a"]))}


def _contest(a: Arrays, o: Mapping[str, str], env: Mapping[str, np.ndarray], shape: Any) -> Arrays:
    share = _f(bargain.contest_success(a["s1"], a["s2"], a.get("gamma", 1.0)))
    return {"share": share, "other_share": 1.0 - share}


def _grim(a: Arrays, o: Mapping[str, str], env: Mapping[str, np.ndarray], shape: Any) -> Arrays:
    threshold = _f(bargain.grim_trigger_threshold(a["tau"], a["R"], a["P"], a.get("q", 1.0)))
    delta = a.get("delta", np.asarray(np.nan))
    return {"threshold": threshold, "delta": delta + 0.0 * threshold}


def _grim_regime(q: Arrays) -> np.ndarray:
    held = np.where(np.isnan(q["delta"]), q["threshold"] <= 1.0, q["delta"] >= q["threshold"])
    return _pick(held, "truce_holds", "truce_fails")


def _ceasefire(a: Arrays, o: Mapping[str, str], env: Mapping[str, np.ndarray], shape: Any) -> Arrays:
    r = bargain.ceasefire_private_cost(*(a[n] for n in ("p", "mu", "cbar", "B", "g", "k", "omega", "s", "sigma")))
    return {"offer": _f(r.offer), "war_probability": _f(r.war_probability),
            "expected_cost_after_rejection": _f(r.expected_cost_after_rejection)}


def _risky(q: Arrays) -> np.ndarray:
    return _pick(q["war_probability"] > 0, "risky_offer", "safe_offer")


def _always(label: str) -> Callable[[Arrays], np.ndarray]:
    def classify(q: Arrays) -> np.ndarray:
        first = next(iter(q.values()))
        return np.full(np.shape(first), label, dtype=object)
    return classify


FEARON = "Fearon, J. D. (1995). Rationalist Explanations for War. International Organization 49(3), 379-414."
_MODELS = (
    BargainModel("bargaining_range", "Fearon's bargaining range", ("p", "cR", "cU"), ("low", "high", "width"),
                 ("deal_exists", "no_deal"), ("challenger", "defender"), _range,
                 lambda q: _pick(q["high"] >= q["low"], "deal_exists", "no_deal"), FEARON,
                 "x in [p - cR, p + cU]"),
    BargainModel("take_it_or_leave_it", "A take-it-or-leave-it offer", ("p", "cR", "cU"), ("share", "war_value"),
                 ("agreement",), ("challenger", "defender"), _tioli, _always("agreement"), FEARON,
                 "x = min(1, p + cU) if the challenger proposes, max(0, p - cR) if the defender does",
                 options={"proposer": ("challenger", "defender")}),
    BargainModel("risk_return", "Fearon's risk-return trade-off", ("p", "cU", "cbar"),
                 ("offer", "war_probability", "expected_cost_after_rejection", "concession"),
                 ("risky_offer", "safe_offer"), ("challenger", "defender"), _risk_return, _risky, FEARON,
                 "z* = clip((cbar - cU) / 2, 0, p), x* = p - z*, Pr(war) = z* / cbar, E[cR | reject] = z* / 2"),
    BargainModel("rubinstein", "Rubinstein's alternating offers", ("delta_a", "delta_b"),
                 ("share", "responder_share"), ("agreement",), ("proposer", "responder"), _rubinstein,
                 _always("agreement"),
                 "Rubinstein, A. (1982). Perfect Equilibrium in a Bargaining Model. Econometrica 50(1), 97-109.",
                 "x = (1 - delta_b) / (1 - delta_a * delta_b)"),
    BargainModel("outside_options", "Alternating offers with war as the outside option", ("delta", "w_a", "w_b"),
                 ("share", "responder_share", "no_option_share", "responder_binds", "proposer_binds", "surplus"),
                 ("no_option_binds", "responder_option_binds", "proposer_option_binds", "both_options_bind", "war"),
                 ("proposer", "responder"), _outside, _outside_regime,
                 "Binmore, K., Shaked, A. and Sutton, J. (1989). An Outside Option Experiment. Quarterly Journal "
                 "of Economics 104(4), 753-770; Muthoo, A. (1999). Bargaining Theory with Applications, ch. 5.",
                 "x = 1 - max(w_b, delta y), y = 1 - max(w_a, delta x): x = 1/(1 + delta) if no option binds, "
                 "1 - w_b if the responder's binds, 1 - delta (1 - w_a) if the proposer's binds",
                 drawn=("share", "responder_share", "no_option_share", "surplus")),
    BargainModel("nash_solution", "The Nash bargaining solution", ("u_a", "u_b", "d_a", "d_b"),
                 ("share", "u_a", "u_b", "d_a", "d_b"), ("agreement",), ("first party", "second party"),
                 _axiomatic(bargain.nash_solution), _always("agreement"),
                 "Nash, J. F. (1950). The Bargaining Problem. Econometrica 18(2), 155-162.",
                 "x maximises (u_a(x) - d_a)^beta (u_b(x) - d_b)^(1 - beta); on u_a = x, u_b = 1 - x: "
                 "x = d_a + beta (1 - d_a - d_b)", optional=("beta",), frontier=("u_a", "u_b")),
    BargainModel("kalai_smorodinsky", "The Kalai-Smorodinsky solution", ("u_a", "u_b", "d_a", "d_b"),
                 ("share", "u_a", "u_b", "d_a", "d_b"), ("agreement",), ("first party", "second party"),
                 _axiomatic(bargain.kalai_smorodinsky), _always("agreement"),
                 "Kalai, E. and Smorodinsky, M. (1975). Other Solutions to Nash's Bargaining Problem. "
                 "Econometrica 43(3), 513-518.",
                 "the frontier point where (u_a - d_a) / (ideal_a - d_a) = (u_b - d_b) / (ideal_b - d_b)",
                 frontier=("u_a", "u_b")),
    BargainModel("powell_war", "Powell's commitment problem", ("p1", "p2", "delta", "c"),
                 ("war", "war_value", "most_credible_offer", "margin"), ("war", "peace"),
                 ("declining side", "rising side"), _powell, lambda q: _pick(q["war"] > 0, "war", "peace"),
                 "Powell, R. (2006). War as a Commitment Problem. International Organization 60(1), 169-203.",
                 "war iff p1 - c > (1 - delta) + delta * min(1, p2 + c_rising)", optional=("c_rising",),
                 drawn=("war_value", "most_credible_offer", "margin")),
    BargainModel("delay_rounds", "Delay by a side gaining ground", ("x0", "mu", "delta", "kR"), ("rounds",),
                 ("settle_now", "delay"), ("side gaining ground", "other side"), _delay,
                 lambda q: _pick(q["rounds"] > 0, "delay", "settle_now"),
                 "negosim's ceasefire model (momentum): a side gaining ground settles once its share is high enough",
                 "settle once x >= (delta * mu - kR - sigma_s) / (1 - delta)", optional=("sigma_s",)),
    BargainModel("attrition_hazard", "A war of attrition", ("value", "cost"), ("hazard", "expected_duration"),
                 ("attrition",), ("side 1", "side 2"), _attrition, _always("attrition"),
                 "Maynard Smith, J. (1974). The Theory of Games and the Evolution of Animal Conflicts. "
                 "Journal of Theoretical Biology 47(1), 209-221; Fudenberg, D. and Tirole, J. (1991), Game Theory, "
                 "section 4.5.",
                 "hazard = cost / value"),
    BargainModel("audience_cost_fight_probability", "Audience costs and the threat to fight", ("low", "high", "a"),
                 ("fight_probability",), ("always_fight", "sometimes_fight", "never_fight"), ("leader", "rival"),
                 _audience,
                 lambda q: np.where(q["fight_probability"] >= 1.0, "always_fight",
                                    np.where(q["fight_probability"] <= 0.0, "never_fight", "sometimes_fight"))
                 .astype(object),
                 "Fearon, J. D. (1994). Domestic Political Audiences and the Escalation of International Disputes. "
                 "American Political Science Review 88(3), 577-592.",
                 "Pr(fight) = Pr(-cost <= a) for a war cost uniform on [low, high]"),
    BargainModel("contest_success", "A Tullock contest", ("s1", "s2"), ("share", "other_share"), ("contest",),
                 ("side 1", "side 2"), _contest, _always("contest"),
                 "Tullock, G. (1980). Efficient Rent Seeking; Hirshleifer, J. (1989). Conflict and Rent-Seeking "
                 "Success Functions. Public Choice 63(2), 101-112.",
                 "p = s1^gamma / (s1^gamma + s2^gamma)", optional=("gamma",)),
    BargainModel("grim_trigger_threshold", "Grim trigger in a repeated truce", ("tau", "R", "P"),
                 ("threshold", "delta"), ("truce_holds", "truce_fails"), ("side 1", "side 2"), _grim, _grim_regime,
                 "Friedman, J. W. (1971). A Non-cooperative Equilibrium for Supergames. Review of Economic Studies "
                 "38(1), 1-12.",
                 "delta* = tau / (tau + q (R - P))", optional=("q", "delta")),
    BargainModel("ceasefire_private_cost", "The seed ceasefire with Russia's war cost private",
                 ("p", "mu", "cbar", "B", "g", "k", "omega", "s", "sigma"),
                 ("offer", "war_probability", "expected_cost_after_rejection"), ("risky_offer", "safe_offer"),
                 ("challenger", "proposer"), _ceasefire, _risky,
                 f"{FEARON} negosim's three-party ceasefire model with Russia's war cost private (the seed case).",
                 "Pr(war) = clip(1/2 - (B + g + sigma k) / (2 omega cbar) - sigma s / (2 cbar), 0, 1), "
                 "x0* = p + mu - sigma s - cbar Pr(war)"),
)

MODELS: dict[str, BargainModel] = {m.name: m for m in _MODELS}

__all__ = ["MODELS", "BargainModel"]
