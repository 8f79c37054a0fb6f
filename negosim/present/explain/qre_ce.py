"""The `explain` sections for correlated equilibria (the mediator's reading) and the logit QRE (less than
perfectly rational play), printed when `negosim explain --concept ce` / `--concept qre` asks for them.

>>> from negosim.api import open_source
>>> text = "\\n".join(ce_text(open_source("scenarios/aumann_chicken.yaml"), {"Row": "Row", "Column": "Column"}))
>>> "5.25 each against 14/3 each in the symmetric Nash equilibrium" in " ".join(text.split())
True
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from ...game.tree import GameTree
from ..text import fmt_mixed, fmt_number, fmt_prob
from ..text.qre_ce import fmt_distribution
from ..text.wording import Style, wrap
from .normal import WIDTH


def fmt_value(x: float) -> str:
    """A payoff in words: 5.25 stays a decimal, 4.6666... becomes 14/3 (small denominators), else 6 digits."""
    if abs(x * 4 - round(x * 4)) < 1e-9:
        return fmt_number(round(x * 4) / 4)
    f = Fraction(x).limit_denominator(12)
    return f"{f.numerator}/{f.denominator}" if abs(float(f) - x) < 1e-9 else fmt_number(x)


def _para(text: str) -> list[str]:
    return wrap(text, WIDTH, "  ", "  ")


def ce_text(source, names: dict[str, str], st: Style | None = None) -> list[str]:
    """The mediator's reading: the welfare-maximising correlated equilibrium, why nobody disobeys it,
    how it compares with the Nash equilibria, and the best each player can get."""
    from ...api import solve_source
    from ...solve.policy import refusal

    st = st or Style(False)
    out = [st.heading("Correlated equilibria: what a mediator can recommend"), ""]
    why = refusal(source.game, "ce")
    if why:
        return out + _para(f"Not computed: {why}.")
    (ce,) = solve_source(source, ["ce"])
    game = ce.game  # a tree's reduced normal form
    eqs = ce.equilibria_at(0)
    who = {p: names.get(p, p) for p in game.players}
    out += _para("A mediator draws a joint profile from a plan every player knows and tells each player only its "
                 "own part. The plan is a correlated equilibrium when it is a recommendation no party wants to "
                 "disobey: told its action, no player expects to gain by playing another instead. Nobody enforces "
                 "it; the information alone makes obeying worthwhile.")
    welfare = eqs[0]
    values = [welfare.payoffs[p] for p in game.players]
    out += [""] + _para(f"The plan best for the players together gives {fmt_distribution(welfare.distribution or {})}"
                        f", worth {_each(values, game.players, who)} (total {fmt_value(sum(values))})."
                        + ("" if welfare.unique is not False else " It is not the only such plan: other "
                           "distributions reach the same total, and this is the one the solver returned."))
    q = np.asarray(ce.extra["distribution"][int(ce.rows_at(0)[0])])
    worked = _obedience(game, q, who)
    if worked:
        out += ["", *worked]
    out += [""] + _against_nash(source, game, values, who)
    best = [f"{who[eq.objective or '']} at most {fmt_value(eq.payoffs[eq.objective or ''])} "
            f"({fmt_distribution(eq.distribution or {})}{'' if eq.unique is not False else ', one of several'})"
            for eq in eqs[1:]]
    out += [""] + _para("The most a mediator can give each player while everyone still obeys: " + "; ".join(best)
                        + ".")
    if "vertices" in ce.extra:
        out += _para(f"All correlated equilibria are the mixtures of {len(ce.extra['vertices'][0])} extreme plans "
                     "(`negosim solve --concept ce` lists them).")
    return out


def _each(values: list[float], players: Sequence[str], who: dict[str, str]) -> str:
    if len(set(round(v, 9) for v in values)) == 1:
        return f"{fmt_value(values[0])} each"
    return ", ".join(f"{who[p]} {fmt_value(v)}" for p, v in zip(players, values))


def _obedience(game, q: np.ndarray, who: dict[str, str]) -> list[str]:
    """`obedience_sentence` wrapped as a paragraph (nothing for three or more players)."""
    sentence = obedience_sentence(game, q, who)
    return _para(sentence) if sentence else []


def obedience_sentence(game, q: np.ndarray, who: dict[str, str]) -> str:
    """For two players: what each expects from obeying each recommendation and from its best alternative.

    `q` is the joint distribution as an array of the game's shape (a tree's: over reduced strategies),
    so no key is parsed back. Empty for three or more players.
    """
    if game.n_players != 2:
        return ""
    pay = game.payoffs.reshape(game.n_players, *game.shape)
    q = q.reshape(game.shape)
    sentences = []
    for i, player in enumerate(game.players):
        parts = []
        for a, act in enumerate(game.actions[i]):
            cond = q[a, :] if i == 0 else q[:, a]
            if cond.sum() <= 1e-12:
                continue
            cond = cond / cond.sum()
            value = [float((pay[i][b, :] if i == 0 else pay[i][:, b]) @ cond) for b in range(game.shape[i])]
            others = [b for b in range(game.shape[i]) if b != a]
            alt = max(others, key=lambda b: value[b])
            parts.append(f"told {act}, {fmt_value(value[a])} by obeying against {fmt_value(value[alt])} by "
                         f"playing {game.actions[i][alt]}")
        sentences.append(f"{who[player]}: " + "; ".join(parts))
    return ("Why nobody disobeys (expected payoffs given what the recommendation reveals about the other's): "
            + ". ".join(sentences) + ".")


def _against_nash(source, game, values: list[float], who: dict[str, str]) -> list[str]:
    """`against_nash_sentence` wrapped as a paragraph."""
    return _para(against_nash_sentence(nash_for_comparison(source), game, values, who))


def nash_for_comparison(source):
    """The Nash solution the mediator's plan is compared with ("nash", or "pure" where "nash" is refused)."""
    from ...api import solve_source
    from ...solve.policy import refusal

    concept = "nash" if refusal(source.game, "nash") is None else "pure"
    return solve_source(source, [concept])[0]


def against_nash_sentence(nash, game, values: list[float], who: dict[str, str]) -> str:
    """The welfare plan against the Nash equilibria: the symmetric one where there is one, else the best."""
    eqs = nash.equilibria_at(0)
    if not eqs:
        return "No Nash equilibrium was found to compare with."
    players = list(game.players)
    totals = [sum(eq.payoffs.values()) for eq in eqs]
    symmetric = [eq for eq in eqs if eq.strategies is not None and _symmetric(eq.strategies)]
    best_total = max(totals)
    mediated = sum(values)
    if mediated <= best_total + 1e-9 * max(1.0, abs(best_total)):
        return (f"No mediator can do better for the players together than the best Nash equilibrium here "
                f"(total {fmt_value(best_total)}).")
    words = []
    if symmetric:
        sym = max(symmetric, key=lambda eq: sum(eq.payoffs.values()))
        sym_values = [sym.payoffs[p] for p in players]
        words.append(f"The mediator's plan gives {_each(values, players, who)} against "
                     f"{_each(sym_values, players, who)} in the symmetric Nash equilibrium")
    words.append(f"its total, {fmt_value(mediated)}, beats every Nash equilibrium "
                 f"{'found' if not bool(nash.complete.all()) else ''}".rstrip()
                 + f" (the best Nash total is {fmt_value(best_total)})")
    text = "; ".join(words)
    return (text[0].upper() + text[1:] + ". This is how a trusted mediator (a third party that coordinates who "
            "concedes) can do better than any Nash equilibrium the parties reach alone.")


def _symmetric(strategies: dict[str, dict[str, float]]) -> bool:
    rows = list(strategies.values())
    return all(list(r.keys()) == list(rows[0].keys()) and np.allclose(list(r.values()), list(rows[0].values()),
                                                                      atol=1e-9) for r in rows)


def qre_text(source, names: dict[str, str], st: Style | None = None,
             lambdas: Sequence[float] | None = None) -> list[str]:
    """Less than perfectly rational play: how the logit QRE's choice probabilities move with lambda."""
    from ...api import solve_source
    from ...solve.policy import refusal

    st = st or Style(False)
    out = [st.heading("Quantal response: less than perfectly rational play"), ""]
    why = refusal(source.game, "qre")
    if why:
        return out + _para(f"Not computed: {why}.")
    (sol,) = solve_source(source, ["qre"], lambdas=lambdas)
    tree = isinstance(source.game, GameTree)
    out += _para("In a logit quantal response equilibrium every player makes mistakes, but costly ones less "
                 "often: each action is chosen with probability proportional to exp(lambda x its expected "
                 "payoff), given how the others play" + (" (in a game tree, at each information set, on the "
                 "payoffs from reaching it)" if tree else "") + ". At lambda 0 play is uniform, every action "
                 "equally likely; as lambda grows, better actions become more likely, and along the principal "
                 "branch play moves toward a Nash equilibrium.")
    eqs = sol.equilibria_at(0)
    if not eqs:
        return out + [""] + _para("The branch could not be followed within the budget.")
    marks = [("limit" if eq.nash_limit else f"lambda {fmt_number(eq.lam or 0.0)}") for eq in eqs]
    out.append("")
    for agent, label, action, k, probs in _agents(source.game, eqs):
        path = ", ".join(f"{fmt_prob(p)} ({m})" for p, m in zip(probs, marks) if m != "lambda 0")
        lead = f"{names.get(agent, agent)}{label}: {action} from {fmt_prob(1 / k)} (uniform, lambda 0) to"
        out += wrap(f"{lead} {path}", WIDTH, "    ", "  ")
    last = eqs[-1]
    if last.nash_limit:
        shown = _profile(last)
        out += [""] + _para(f"At the limit (lambda {fmt_number(last.lam or 0.0)}) play is the Nash equilibrium "
                            f"{shown}: no player gains more than {last.regret:.1e} by deviating.")
    return out


def _agents(game, eqs) -> list[tuple[str, str, str, int, list[float]]]:
    """Per agent (player, or information set of a tree): the action most likely at the end and its path."""
    rows = []
    last = eqs[-1]
    if last.behavior is None:
        for player, probs in last.strategies.items():
            action = max(probs, key=lambda a: probs[a])
            rows.append((player, "", action, len(probs), [eq.strategies[player][action] for eq in eqs]))
        return rows
    for player, sets in last.behavior.items():
        for infoset, probs in sets.items():
            action = max(probs, key=lambda a: probs[a])
            rows.append((player, f" at {infoset}", action, len(probs),
                         [eq.behavior[player][infoset][action] for eq in eqs]))
    return rows


def _profile(eq) -> str:
    if eq.behavior is None:
        return "; ".join(f"{p} {fmt_mixed(a)}" for p, a in eq.strategies.items())
    return "; ".join(f"{s}: {fmt_mixed(a)}" for sets in eq.behavior.values() for s, a in sets.items())
