"""The handout's section on what a mediator can recommend: the welfare-maximising correlated equilibrium.

The section goes in the handout with answers automatically where it says something (`wants_ce`): a
normal form small enough to show its plan as a table (at most `MAX_PROFILES` joint profiles), whose
welfare-maximising correlated equilibrium gives the players together more than every Nash
equilibrium. Aumann's chicken is the example: 5.25 each against 14/3 in the symmetric Nash
equilibrium. It is an answer (the plan, its payoffs and the Nash equilibria it beats), so a worksheet
never has it; the worksheet's tasks do not ask for it, so the answer key needs no entry for it.
"""

from __future__ import annotations

import itertools
from html import escape
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ...solve.result import Solution

#: Largest normal form (joint profiles) whose mediator's plan the handout shows as a table.
MAX_PROFILES = 16


def wants_ce(source) -> tuple[Solution, Solution] | None:
    """The correlated and Nash solutions when the section says something, else None.

    It says something for a normal form (not a tree, not a batch) of at most `MAX_PROFILES` joint
    profiles where the welfare-maximising correlated equilibrium's total beats every Nash
    equilibrium's (by more than the tolerance).
    """
    from ...api import solve_source
    from ...game.normal import NormalFormGame
    from ...game.sizes import profile_count
    from ...solve.policy import refusal
    from ..explain.qre_ce import nash_for_comparison

    game = source.game
    if not isinstance(game, NormalFormGame) or game.batch_size != 1 or profile_count(game.shape) > MAX_PROFILES:
        return None
    if refusal(game, "ce") is not None:
        return None
    (ce,) = solve_source(source, ["ce"])
    nash = nash_for_comparison(source)
    nash_eqs = nash.equilibria_at(0)
    if not nash_eqs:
        return None
    welfare = ce.equilibria_at(0)[0]
    mediated = sum(welfare.payoffs.values())
    best = max(sum(eq.payoffs.values()) for eq in nash_eqs)
    tol = float(np.asarray(ce.tol).reshape(-1)[0])
    return (ce, nash) if mediated > best + max(tol, 1e-9 * max(1.0, abs(best))) else None


def ce_html(source, ce: Solution, nash: Solution) -> list[str]:
    """The mediator's reading: the plan as a table, its payoffs against the Nash equilibria's, obedience in words."""
    from ...game.normal import NormalFormGame
    from ..explain.qre_ce import _each, against_nash_sentence, fmt_value, obedience_sentence
    from ..text import fmt_mixed

    game = ce.game
    assert isinstance(game, NormalFormGame)  # wants_ce admits normal forms only
    names = {p.id: p.name or p.id for p in source.scenario.players} if source.scenario is not None else {}
    who = {p: names.get(p, p) for p in game.players}
    welfare = ce.equilibria_at(0)[0]
    q = np.asarray(ce.extra["distribution"][int(ce.rows_at(0)[0])]).reshape(game.shape)
    values = [welfare.payoffs[p] for p in game.players]
    out = ["<p>Suppose a trusted mediator draws a joint profile from a plan every player knows and tells each "
           "player only its own part. The plan is a <em>correlated equilibrium</em> (Aumann 1974) when it is a "
           "recommendation no party wants to disobey: told its action, no player expects to gain by playing "
           "another. Nobody enforces it; what the recommendation reveals about the others makes obeying "
           "worthwhile.</p>",
           f"<p>The plan best for the players together is worth {escape(_each(values, game.players, who))} "
           f"(total {escape(fmt_value(sum(values)))})"
           + ("" if welfare.unique is not False else "; it is one of several plans worth that total, the one the "
              "solver returned") + ":</p>"]
    out += _plan_table(game, q, who)
    rows = [("The mediator's plan", values)]
    for k, eq in enumerate(nash.equilibria_at(0), 1):
        profile = ", ".join(fmt_mixed((eq.strategies or {})[p]) for p in game.players)
        rows.append((f"Nash equilibrium {k}: ({profile})", [eq.payoffs[p] for p in game.players]))
    head = "".join(f'<th class="num">{escape(who[p])}</th>' for p in game.players)
    out += ['<table class="ce-payoffs">', f'<thead><tr><th></th>{head}<th class="num">Total</th></tr></thead>',
            "<tbody>"]
    for label, vals in rows:
        cells = "".join(f'<td class="num">{escape(fmt_value(v))}</td>' for v in vals)
        out.append(f"<tr><td>{escape(label)}</td>{cells}<td class=\"num\">{escape(fmt_value(sum(vals)))}</td></tr>")
    out += ["</tbody>", "</table>"]
    sentence = obedience_sentence(game, q, who)
    if sentence:
        out.append(f"<p>{escape(sentence)}</p>")
    out.append(f"<p>{escape(against_nash_sentence(nash, game, values, who))}</p>")
    return out


def _plan_table(game, q: np.ndarray, who: dict[str, str]) -> list[str]:
    """Two players: a matrix of probabilities (rows the first player's actions); more: a list of profiles."""
    if game.n_players == 2:
        first, second = game.players
        head = "".join(f'<th class="num">{escape(a)}</th>' for a in game.actions[1])
        out = ['<table class="ce-plan">',
               f"<thead><tr><th>{escape(who[first])} \\ {escape(who[second])}</th>{head}</tr></thead>", "<tbody>"]
        for r, action in enumerate(game.actions[0]):
            cells = "".join(f'<td class="num">{_cell(float(q[r, c]))}</td>'
                            for c in range(game.shape[1]))
            out.append(f"<tr><th>{escape(action)}</th>{cells}</tr>")
        return [*out, "</tbody>", "</table>"]
    head = "".join(f"<th>{escape(who[p])}</th>" for p in game.players)
    out = ['<table class="ce-plan">', f'<thead><tr>{head}<th class="num">Probability</th></tr></thead>', "<tbody>"]
    for profile in itertools.product(*(range(k) for k in game.shape)):
        if q[profile] > 1e-9:
            cells = "".join(f"<td>{escape(game.actions[i][a])}</td>" for i, a in enumerate(profile))
            out.append(f'<tr>{cells}<td class="num">{_cell(float(q[profile]))}</td></tr>')
    return [*out, "</tbody>", "</table>"]


def _cell(p: float) -> str:
    from ..text import fmt_prob

    return "0" if p <= 1e-9 else escape(fmt_prob(p))
