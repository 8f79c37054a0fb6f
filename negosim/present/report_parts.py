"""The handout's sections as HTML fragments: players, sources, parameters, outcomes, questions, tasks.

Every string that comes from a scenario or game file is escaped here; a fragment is a list of
lines. The game figures and the equilibria are in `report_game`.
"""

from __future__ import annotations

from html import escape

import numpy as np

from .text import fmt_number

LINES_PER_QUESTION = 4


def overrides_of(source) -> dict[str, float]:
    """Return the parameters whose values differ from the scenario file's (the `--set` overrides)."""
    scenario = source.scenario
    if scenario is None:
        return {}
    from ..scenario import load_scenario

    try:
        original = load_scenario(scenario.path)
    except Exception:  # the file changed or vanished since it was opened: nothing to compare with
        return {}
    if original.sha256 != scenario.sha256:
        return {}
    return {
        name: p.value
        for name, p in scenario.parameters.items()
        if name in original.parameters and original.parameters[name].value != p.value
    }


def players_html(source) -> list[str]:
    """The players as a definition list (id, name, description)."""
    scenario = source.scenario
    if scenario is None:
        return [f"<p><strong>Players:</strong> {escape(', '.join(source.game.players))}</p>"]
    out = ['<h3>Players</h3>', '<ul class="players">']
    for p in scenario.players:
        name = f" ({escape(p.name)})" if p.name and p.name != p.id else ""
        desc = f": {escape(p.description)}" if p.description else ""
        out.append(f"<li><strong>{escape(p.id)}</strong>{name}{desc}</li>")
    out.append("</ul>")
    return out


def sources_html(sources) -> list[str]:
    """The scenario's sources as a list with anchors (parameters link to them by key)."""
    out = ['<ul class="sources">']
    for src in sources:
        key = str(src.get("key", ""))
        url = f' <span class="mono">{escape(str(src["url"]))}</span>' if src.get("url") else ""
        cite = escape(str(src.get("cite", "")))
        out.append(f'<li id="src-{escape(key)}"><strong>[{escape(key)}]</strong> {cite}{url}</li>')
    out.append("</ul>")
    return out


def parameter_table(source, changed=()) -> list[str]:
    """The parameter table: name, value, range, unit, description, source key (`changed` marked *)."""
    scenario = source.scenario
    if scenario is None or not scenario.parameters:
        return ['<p class="note">This game has no parameters: its payoffs are numbers.</p>']
    out = [
        '<table class="params">',
        "<thead><tr><th>Name</th><th class=\"num\">Value</th><th>Range</th><th>Unit</th>"
        "<th>Meaning</th><th>Source</th></tr></thead>",
        "<tbody>",
    ]
    for p in scenario.parameters.values():
        value = fmt_number(p.value) + (" *" if p.name in changed else "")
        src = f'<a href="#src-{escape(p.source)}">{escape(p.source)}</a>' if p.source else ""
        out.append(
            f'<tr><td class="name"><code>{escape(p.name)}</code></td><td class="num">{escape(value)}</td>'
            f'<td class="num">[{fmt_number(p.low)}, {fmt_number(p.high)}]</td><td>{escape(p.unit or "")}</td>'
            f'<td class="desc">{escape(p.description)}</td><td>{src}</td></tr>'
        )
    out += ["</tbody>", "</table>"]
    if changed:
        out.append('<p class="note">* set on the command line; the scenario file says otherwise.</p>')
    return out


def derived_table(source) -> list[str]:
    """Derived values: name, formula, value at these parameters (nothing if there are none)."""
    scenario = source.scenario
    if scenario is None or not scenario.derived:
        return []
    values = scenario.evaluate()
    out = [
        "<h3>Derived values</h3>",
        '<table class="derived"><thead><tr><th>Name</th><th>Formula</th><th class="num">Value</th></tr></thead><tbody>',
    ]
    for name, formula in scenario.derived.items():
        out.append(
            f'<tr><td class="name"><code>{escape(name)}</code></td><td><code>{escape(formula.source)}</code></td>'
            f'<td class="num">{fmt_number(float(values[name]))}</td></tr>'
        )
    out += ["</tbody></table>"]
    return out


def outcome_table(source) -> list[str]:
    """Each outcome's label and every player's payoff (formula = value at these parameters)."""
    scenario = source.scenario
    game = source.game
    players = list(game.players)
    head = "".join(f"<th>{escape(p)}</th>" for p in players)
    out = ['<table class="outcomes">', f"<thead><tr><th>Outcome</th>{head}</tr></thead>", "<tbody>"]
    if scenario is not None:
        env = scenario.evaluate()
        for spec in scenario.game.outcomes:
            cells = []
            for formula in spec.payoffs:
                value = fmt_number(float(np.asarray(formula.evaluate(env)).reshape(-1)[0]))
                text = value if formula.constant is not None else f"<code>{escape(formula.source)}</code> = {value}"
                cells.append(f"<td>{text}</td>")
            label = f"<br>{escape(spec.label)}" if spec.label else ""
            out.append(f"<tr><td><code>{escape(spec.id)}</code>{label}</td>{''.join(cells)}</tr>")
    elif hasattr(game, "nodes"):
        pay = np.asarray(game.payoffs).reshape(-1, len(game.outcomes), len(players))[0]
        for o, outcome in enumerate(game.outcomes):
            cells = "".join(f'<td class="num">{fmt_number(float(v))}</td>' for v in pay[o])
            label = f"<br>{escape(outcome.label)}" if outcome.label else ""
            out.append(f"<tr><td><code>{escape(outcome.id)}</code>{label}</td>{cells}</tr>")
    else:
        return []
    out += ["</tbody>", "</table>"]
    return out


def payoff_matrix_html(game) -> list[str]:
    """The payoff matrix as plain HTML tables, with no equilibrium marked (for the worksheet).

    Two players: one table, the first player choosing the row. More players: one table for each
    profile of actions of the players after the second.
    """
    from itertools import product

    pay = np.asarray(game.payoffs).reshape(game.n_players, *game.shape)
    p1, p2 = game.players[:2]
    out = []
    for rest in product(*(range(k) for k in game.shape[2:])):
        if rest:
            fixed = ", ".join(f"{game.players[2 + i]} plays {game.actions[2 + i][a]}" for i, a in enumerate(rest))
            out.append(f"<h4>When {escape(fixed)}</h4>")
        head = "".join(f"<th>{escape(a)}</th>" for a in game.actions[1])
        out += ['<table class="matrix">',
                f'<thead><tr><th rowspan="2">{escape(p1)} \\ {escape(p2)}</th>'
                f'<th colspan="{game.shape[1]}">{escape(p2)}</th></tr><tr>{head}</tr></thead>', "<tbody>"]
        for i, a in enumerate(game.actions[0]):
            cells = "".join(
                "<td>" + ", ".join(f'<span class="p{k}">{fmt_number(float(pay[(k, i, j, *rest)]))}</span>'
                                   for k in range(game.n_players)) + "</td>"
                for j in range(game.shape[1])
            )
            out.append(f"<tr><th>{escape(a)}</th>{cells}</tr>")
        out += ["</tbody>", "</table>"]
    names = ", ".join(escape(p) for p in game.players)
    out.append(f'<p class="note">Each cell lists the payoffs of {names}, in that order.</p>')
    return out


def questions_html(questions, *, lines: bool) -> list[str]:
    """The discussion questions as an ordered list (with ruled answer space on a worksheet)."""
    space = '<div class="lines">' + "<span></span>" * LINES_PER_QUESTION + "</div>" if lines else ""
    out = ['<ol class="questions">' if lines else '<ol class="questions keep">']
    out += [f"<li>{escape(q)}{space}</li>" for q in questions]
    out.append("</ol>")
    return out


def decision_table(tree, *, blank: bool) -> list[str]:
    """The decisions of a tree, last movers first (the order of backward induction).

    With `blank` the table has an empty column for the student's answer.
    """
    rows = []
    for i in reversed(tree.preorder()):
        node = tree.nodes[i]
        if node.kind != "decision":
            continue
        rows.append((node, tree.players[node.player]))
    extra = "<th>Choice and why</th>" if blank else ""
    out = [
        '<table class="decisions">',
        f"<thead><tr><th>Decision</th><th>Mover</th><th>Situation</th><th>Actions</th>{extra}</tr></thead>",
        "<tbody>",
    ]
    for node, player in rows:
        infoset = f" (information set {escape(node.infoset)})" if node.infoset and node.infoset != node.id else ""
        cell = '<td class="answer"></td>' if blank else ""
        out.append(
            f"<tr><td><code>{escape(node.id)}</code>{infoset}</td><td>{escape(player)}</td>"
            f"<td>{escape(node.label)}</td><td>{escape(', '.join(node.actions))}</td>{cell}</tr>"
        )
    out += ["</tbody>", "</table>"]
    return out


def worksheet_tasks(source) -> list[str]:
    """Tasks for students, by the game's form, with space to answer."""
    game = source.game
    lines = '<div class="lines">' + "<span></span>" * LINES_PER_QUESTION + "</div>"
    if hasattr(game, "nodes"):
        return [
            "<p>Solve the game by backward induction. Start with the last decisions (top of the table) "
            "and write down what each mover chooses and why; then use those choices to solve the earlier ones.</p>",
            *decision_table(game, blank=True),
            '<ol class="tasks" type="A">',
            f"<li>Which path is played, and which outcome does it reach? What does each player get?{lines}</li>",
            "<li>Which threats in this game are credible (they would be carried out if tested), "
            f"and which are not?{lines}</li>",
            "</ol>",
        ]
    two_by_two = game.n_players == 2
    tasks = [
        "<li>For each player, mark the best response to each action of the other player(s).</li>",
        f"<li>List every pure-strategy Nash equilibrium and its payoffs.{lines}</li>",
    ]
    if two_by_two:
        tasks.append(f"<li>Is there an equilibrium in mixed strategies? Find the probabilities that make each "
                     f"player indifferent between their actions.{lines}</li>")
    tasks.append(f"<li>Is any equilibrium worse for every player than some other outcome? Which, and why is it "
                 f"played anyway?{lines}</li>")
    return ['<ol class="tasks" type="A">', *tasks, "</ol>"]
