"""The answer key: the worksheet's own tasks filled in from the verified solutions, in its order.

Every answer here is computed from the game and from the equilibria `negosim.solve` returned
(and verified), never written by hand: the choice at every decision of a tree with each action's
value to the mover, the path and its payoffs, the choices off the path; for a normal form each
player's best responses, the pure and the mixed equilibria, and the outcomes every player prefers
to an equilibrium, with the deviation that keeps them from being played.
"""

from __future__ import annotations

from html import escape
from itertools import product

import numpy as np

from ..text import fmt_mixed, fmt_number
from .parts import concept_of, situation


def _tol(game) -> float:
    from ...solve.tolerance import scaled_tol

    pay = np.asarray(game.payoffs, dtype=float)
    return float(scaled_tol(np.ptp(pay)) if pay.size else 1e-9)


# ---------------------------------------------------------------- trees


def node_values(tree, behavior: dict[str, dict[str, dict[str, float]]]) -> dict[int, np.ndarray]:
    """Every node's expected payoff vector when play follows `behavior` from that node on.

    `behavior` maps player -> information set -> action -> probability (an `Equilibrium`'s).
    """
    pay = np.asarray(tree.payoffs, dtype=float).reshape(len(tree.outcomes), len(tree.players))
    values: dict[int, np.ndarray] = {}
    for i in reversed(tree.preorder()):
        node = tree.nodes[i]
        if node.kind == "terminal":
            values[i] = pay[node.outcome]
        elif node.kind == "chance":
            probs = np.asarray(tree.chance_probs[i], dtype=float).reshape(-1)
            values[i] = np.sum([p * values[c] for p, c in zip(probs, node.children)], axis=0)
        else:
            plan = behavior[tree.players[node.player]][node.infoset or node.id]
            values[i] = np.sum([plan.get(a, 0.0) * values[c] for a, c in zip(node.actions, node.children)], axis=0)
    return values


def _on_path(tree, behavior) -> set[int]:
    reached, stack = set(), [tree.root]
    while stack:
        i = stack.pop()
        reached.add(i)
        node = tree.nodes[i]
        if node.kind == "chance":
            stack += list(node.children)
        elif node.kind == "decision":
            plan = behavior[tree.players[node.player]][node.infoset or node.id]
            stack += [c for a, c in zip(node.actions, node.children) if plan.get(a, 0.0) > 0]
    return reached


def _why(tree, node, values, plan, shared: int) -> str:
    """The choice at a node and why: each action's value to the mover (at a singleton information set)."""
    k = node.player
    used = {a: p for a, p in plan.items() if p > 0}
    chosen = f"<strong>{escape(fmt_mixed(used))}</strong>"
    if shared > 1:
        # The mover cannot tell this node from the others of its set: a node's own values do not decide.
        return (f"{chosen}: chosen without knowing which of {shared} situations holds (information set "
                f"<code>{escape(node.infoset or node.id)}</code>); it is a best reply to the mover's beliefs, "
                "see the equilibria below")
    worth = [(a, float(values[c][k])) for a, c in zip(node.actions, node.children)]
    parts = ", ".join(f"{escape(a)} {fmt_number(round(v, 10))}" for a, v in worth)
    best = max(v for _, v in worth)
    tied = [a for a, v in worth if best - v <= _tol(tree)]
    if len(used) > 1:
        note = " (the mover is indifferent and mixes)"
    elif len(tied) > 1:
        note = f" (a tie: {escape(' = '.join(tied))}; the tie rules choose)"
    else:
        note = ""
    return f"{chosen}: {escape(tree.players[k])} gets {parts}{note}"


def tree_key(tree, solutions) -> list[str]:
    """The tree worksheet's tasks answered: the decision table filled in, A (path) and B (off the path)."""
    from .parts import decision_rows

    spe = concept_of(solutions, "spe")
    eq = spe.equilibria_at(0)[0] if spe is not None else None
    if eq is None:
        return ['<p class="note">No subgame-perfect equilibrium was computed for this game.</p>']
    values = node_values(tree, eq.behavior)
    on_path = _on_path(tree, eq.behavior)
    out = ["<p>The decisions, last movers first, with each action's value to the mover when everyone "
           "plays the subgame-perfect equilibrium afterwards.</p>",
           '<table class="decisions">',
           "<thead><tr><th>Mover</th><th>Situation</th><th>Choice and why</th></tr></thead>",
           "<tbody>"]
    off = []
    set_size = {(p, s): len(ix) for p, s, ix in tree.infosets()}
    for i, node, player in decision_rows(tree):
        plan = eq.behavior[player][node.infoset or node.id]
        why = _why(tree, node, values, plan, set_size.get((node.player, node.infoset), 1))
        out.append(f"<tr><td>{escape(player)}</td><td>{situation(node)}</td><td>{why}</td></tr>")
        if i not in on_path:
            off.append((node, why))
    out += ["</tbody>", "</table>"]
    if len(spe.equilibria_at(0)) > 1 or eq.ties:
        out.append('<p class="note">A player is indifferent somewhere: the tie rules pick this equilibrium; '
                   "breaking the tie the other way gives another (see the equilibria below).</p>")
    path = " &rarr; ".join(escape(step.replace(":", " ")) for step in eq.path or []) or "(starts with chance)"
    if eq.outcome is not None:
        label = tree.outcomes[[o.id for o in tree.outcomes].index(eq.outcome)].label
        reach = f"the outcome <em>{escape(label or eq.outcome)}</em>"
    else:
        reach = "a lottery over outcomes: " + escape(", ".join(
            f"{o} with probability {fmt_number(p)}" for o, p in (eq.outcome_probs or {}).items()))
    pays = escape(", ".join(f"{p} {fmt_number(v)}" for p, v in eq.payoffs.items()))
    out += ['<ol class="tasks key" type="A">',
            f"<li>The path {path} reaches {reach}. Payoffs: {pays}.</li>"]
    if off:
        items = "".join(f"<li>{escape(n.label or n.id)}: {w}</li>" for n, w in off)
        out.append("<li>Off the path, each decision that is not reached, and what its mover would do if it were: "
                   f"<ul>{items}</ul>A threat is credible when the threatened choice is the one the mover would "
                   "make; a threat of any other choice would not be carried out.</li>")
    else:
        out.append("<li>Every decision is on the path: no threat goes untested.</li>")
    out.append("</ol>")
    return out


# ---------------------------------------------------------------- normal forms


def best_responses(game) -> list[tuple[int, tuple[int, ...], list[int], np.ndarray]]:
    """Every player's best responses to each profile of the others' actions.

    Returns ``(player, others' actions, best actions, the player's payoff of each action)`` rows;
    actions within the game's tolerance of the best are all best responses (a tie).
    """
    pay = np.asarray(game.payoffs, dtype=float).reshape(game.n_players, *game.shape)
    tol = _tol(game)
    rows = []
    for k in range(game.n_players):
        others = [range(n) for j, n in enumerate(game.shape) if j != k]
        for rest in product(*others):
            idx = list(rest)
            values = np.array([pay[(k, *idx[:k], a, *idx[k:])] for a in range(game.shape[k])])
            best = [a for a in range(game.shape[k]) if values.max() - values[a] <= tol]
            rows.append((k, tuple(rest), best, values))
    return rows


def _profile(game, k: int, rest: tuple[int, ...]) -> str:
    names = [f"{game.players[j]} {game.actions[j][a]}" for j, a in zip(
        [j for j in range(game.n_players) if j != k], rest)]
    return ", ".join(names)


def _cell_payoffs(game, cell: tuple[int, ...]) -> np.ndarray:
    pay = np.asarray(game.payoffs, dtype=float).reshape(game.n_players, *game.shape)
    return np.array([pay[(k, *cell)] for k in range(game.n_players)])


def _dominating(game, cell: tuple[int, ...]) -> list[tuple[int, ...]]:
    here = _cell_payoffs(game, cell)
    tol = _tol(game)
    return [c for c in product(*(range(n) for n in game.shape))
            if np.all(_cell_payoffs(game, c) > here + tol)]


def _deviation(game, cell: tuple[int, ...]) -> str:
    pay = np.asarray(game.payoffs, dtype=float).reshape(game.n_players, *game.shape)
    for k in range(game.n_players):
        for a in range(game.shape[k]):
            other = list(cell)
            other[k] = a
            gain = pay[(k, *other)] - pay[(k, *cell)]
            if gain > _tol(game):
                return (f"{game.players[k]} would switch to {game.actions[k][a]} "
                        f"({fmt_number(pay[(k, *other)])} instead of {fmt_number(pay[(k, *cell)])})")
    return "no player gains by switching alone"


def _cell_text(game, cell) -> str:
    return "(" + ", ".join(game.actions[j][a] for j, a in enumerate(cell)) + ")"


def normal_key(game, solutions) -> list[str]:
    """The normal-form worksheet's tasks answered, in its order (A best responses, B pure, C mixed, D)."""
    pay = np.asarray(game.payoffs, dtype=float).reshape(game.n_players, *game.shape)
    items = []
    br = []
    for k, rest, best, values in best_responses(game):
        worth = ", ".join(f"{game.actions[k][a]} {fmt_number(v)}" for a, v in enumerate(values))
        choice = " or ".join(game.actions[k][a] for a in best) + (" (a tie)" if len(best) > 1 else "")
        br.append(f"<li>{escape(game.players[k])}, against {escape(_profile(game, k, rest))}: "
                  f"<strong>{escape(choice)}</strong> ({escape(worth)})</li>")
    items.append(f'<li>Best responses:<ul class="compact">{"".join(br)}</ul></li>')
    cells = [c for c in product(*(range(n) for n in game.shape))
             if all(c[k] in best for k, rest, best, _ in best_responses(game)
                    if rest == tuple(a for j, a in enumerate(c) if j != k))]
    if cells:
        listed = "; ".join(f"{_cell_text(game, c)} with payoffs "
                           + ", ".join(fmt_number(pay[(k, *c)]) for k in range(game.n_players)) for c in cells)
        items.append(f"<li>Pure-strategy Nash equilibria (where every player's choice is a best response): "
                     f"{escape(listed)}.</li>")
    else:
        items.append("<li>There is no pure-strategy Nash equilibrium: in every cell some player gains by "
                     "switching.</li>")
    if game.n_players == 2:
        nash = concept_of(solutions, "nash")
        mixed = [eq for eq in (nash.equilibria_at(0) if nash else [])
                 if any(sum(1 for p in s.values() if p > 0) > 1 for s in eq.strategies.values())]
        if mixed:
            rows = "".join(
                "<li>" + escape("; ".join(f"{p} plays {fmt_mixed(s)}" for p, s in eq.strategies.items())
                                + " (expected payoffs " + ", ".join(f"{p} {fmt_number(v)}"
                                                                    for p, v in eq.payoffs.items()) + ")")
                + "</li>" for eq in mixed)
            items.append(f'<li>Yes. Each mixes so that the other is indifferent:<ul class="compact">{rows}</ul></li>')
        elif nash is not None:
            items.append("<li>No: the only equilibria are pure" + (
                " (every player has a strictly best action whatever the others do)" if len(cells) == 1 else "")
                + ".</li>")
    worse = []
    for c in cells:
        better = _dominating(game, c)
        if better:
            b = better[0]
            worse.append(f"{_cell_text(game, c)} is worse for every player than {_cell_text(game, b)}; "
                         f"that outcome is not played because {_deviation(game, b)}")
    if worse:
        items.append("<li>" + escape("; ".join(worse)) + ".</li>")
    elif cells:
        items.append("<li>No: no outcome gives every player more than a pure equilibrium does.</li>")
    else:
        items.append("<li>There is no pure equilibrium to compare.</li>")
    return ['<ol class="tasks key" type="A">', *items, "</ol>"]


def tasks_key(source, solutions) -> list[str]:
    """The answers to `worksheet_tasks(source)`, in the same order."""
    game = source.game
    if hasattr(game, "nodes"):
        return tree_key(game, solutions)
    return normal_key(game, solutions)


def questions_key(questions) -> list[str]:
    """Each discussion question and the answer the scenario gives, in the worksheet's order."""
    from .mathml import prose_html

    out = ['<ol class="questions key">']
    for q in questions:
        answer = (f'<p class="answer"><strong>Answer.</strong> {prose_html(q.answer)}</p>' if q.answer else
                  '<p class="note">The scenario gives no answer to this question.</p>')
        out.append(f'<li><p class="ask">{prose_html(q.ask)}</p>{answer}</li>')
    out.append("</ol>")
    return out
