"""Explaining perfect Bayesian equilibria: the beliefs at each information set walked through in sentences.

For each equilibrium: what each player does, then at every information set of several nodes what the
mover believes and why (Bayes' rule with the numbers, on the path; off the path the beliefs that
sustain the equilibrium), and which action that belief makes best ("so defying and complying pay the
same"). For an equilibrium of a signalling game that leaves a message unused (every pooling one), whether
its off-path belief is reasonable:
the Intuitive Criterion and D1 in words.
"""

from __future__ import annotations

import numpy as np

from ...solve.pbe import point_game
from ...solve.pbe_check import action_values, node_reach, node_values
from ..text import fmt_mixed, fmt_number, fmt_prob
from ..text.wording import Style, wrap
from .normal import WIDTH

SHOW = 6  # equilibria explained in full


def explain_pbe(tree, names: dict[str, str], pbe, st: Style, point: int = 0) -> list[str]:
    """The perfect Bayesian section of an explanation of a tree with information sets."""
    out = [st.heading("Beliefs (perfect Bayesian equilibria)"), ""]
    out += wrap("A player who cannot tell some nodes apart holds a belief about where it is: by Bayes' rule "
                "wherever the play gets there with positive probability, and off the path any belief under "
                "which its choice is still a best reply. Every choice must be a best reply given the belief.",
                WIDTH, "  ", "  ")
    eqs = pbe.equilibria_at(point)
    rows = pbe.rows_at(point)
    if not eqs:
        out += ["", *wrap("No perfect Bayesian equilibrium was found at these values: " + "; ".join(pbe.notes) + ".",
                          WIDTH, "  ", "  ")]
        return out
    game = point_game(tree, point)
    sig = pbe.extra.get("signalling")
    for n, (e, eq) in enumerate(zip(rows, eqs), 1):
        if n > SHOW:
            out += ["", f"  ... and {len(eqs) - SHOW} more (negosim solve --concept pbe lists them all)."]
            break
        kind = f" ({eq.classification})" if eq.classification else ""
        out += ["", st(f"  Equilibrium {n}{kind}", "bold")]
        behaviour = [np.asarray(b[e], dtype=float) for b in pbe.behavior]
        out += wrap(_plays(tree, names, eq), WIDTH, "    ", "    ")
        for sentence in _belief_sentences(game, names, eq, behaviour, sig):
            out += wrap(sentence, WIDTH, "      ", "    - ")
        if eq.classification == "pooling" or eq.intuitive_criterion is not None:
            out += wrap(_reasonable(pbe, e, eq), WIDTH, "      ", "    - ")
    return out


def _plays(tree, names: dict[str, str], eq) -> str:
    parts = []
    for player, sets in eq.behavior.items():
        moves = ", ".join(f"at {s} {fmt_mixed(a)}" for s, a in sets.items())
        if moves:
            parts.append(f"{names.get(player, player)} plays {moves}")
    return "; ".join(parts) + "."


def _node_phrase(game, sig, k: int, t: int) -> str:
    """'the Sender is resolute' for a signalling game's receiver, else 'the play is at <node>'."""
    node = game.infosets[k][2][t]
    if sig is not None and k in sig.responses:
        for label, type_node in zip(sig.type_labels, sig.types):
            if node in game.tree.nodes[type_node].children:
                return f"{game.tree.players[sig.sender]} is {label}"
    return f"the play is at {game.tree.nodes[node].id}"


def _belief_sentences(game, names: dict[str, str], eq, behaviour: list, sig) -> list[str]:
    tree = game.tree
    reach = node_reach(game, behaviour)
    values = node_values(game, behaviour)
    out = []
    for k, (player, infoset, nodes) in enumerate(game.infosets):
        who = names.get(tree.players[player], tree.players[player])
        if len(nodes) < 2:
            used = [int(a) for a in np.flatnonzero(behaviour[k] > 0)]
            if len(used) > 1 and reach[nodes[0]] > 0:
                v = action_values(game, values, k, np.ones(1))
                acts = tree.nodes[nodes[0]].actions
                out.append(f"At {infoset} {who} mixes, which it does only because "
                           f"{' and '.join(acts[a] for a in used)} pay it the same ({fmt_number(v[used[0]])}) "
                           "given how the others play.")
            continue
        belief = np.array([eq.beliefs[infoset][tree.nodes[x].id] for x in nodes])
        shown = [t for t in range(len(nodes)) if belief[t] > 0] or list(range(len(nodes)))
        held = " and ".join(f"{_node_phrase(game, sig, k, t)} with probability {fmt_prob(belief[t])}" for t in shown)
        total = reach[list(nodes)].sum()
        if total > 0:
            why = ", ".join(f"{tree.nodes[x].id} is reached with probability {fmt_prob(reach[x])}"
                            for x in nodes if reach[x] > 0)
            head = f"At {infoset} {who} believes {held} (Bayes' rule: {why}, out of {fmt_prob(total)})"
        else:
            head = (f"{infoset} is off the equilibrium path, so Bayes' rule says nothing there; {who} may believe "
                    f"{held}, and any belief with {(eq.belief_sets or {}).get(infoset, 'the same best reply')} "
                    "sustains the equilibrium")
        v = action_values(game, values, k, belief)
        acts = tree.nodes[nodes[0]].actions
        used = [a for a in range(len(acts)) if behaviour[k][a] > 0]
        if len(used) > 1:
            tail = f"so {' and '.join(acts[a] for a in used)} pay the same ({fmt_number(v[used[0]])}) and {who} can mix"
        else:
            others = ", ".join(f"{acts[a]} {fmt_number(v[a])}" for a in range(len(acts)) if a != used[0])
            tail = f"so {acts[used[0]]} pays most ({fmt_number(v[used[0]])}, against {others})"
        out.append(f"{head}, {tail}.")
    return out


def _reasonable(pbe, e: int, eq) -> str:
    """The Intuitive Criterion and D1 verdicts of an equilibrium that leaves a message unused, in words."""
    if eq.intuitive_criterion is None:
        return "Every message is sent, or no one answers the unused ones: there is no off-path belief to question."
    reasons = pbe.extra.get("off_path_reasons", [[]] * (e + 1))[e]
    if eq.intuitive_criterion:
        text = ("Is that off-path belief reasonable? It passes the Intuitive Criterion (Cho and Kreps): no type "
                "that could gain from the unused message would gain from it whatever the receiver then believes "
                "of the types that could")
    else:
        text = ("Is that off-path belief reasonable? No: it fails the Intuitive Criterion (Cho and Kreps): "
                + "; ".join(r for r in reasons if "D1" not in r))
    d1 = {True: "it also survives D1", False: "it fails D1", None: "D1 is not decided here"}[eq.d1]
    return f"{text}; {d1}."
