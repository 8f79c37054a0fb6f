"""The handout's sections as HTML fragments: players, sources, parameters, outcomes, questions, tasks.

Every string that comes from a scenario or game file is escaped here; a fragment is a list of
lines. The game figures and the equilibria are in `report_game`.
"""

from __future__ import annotations

from html import escape

import numpy as np

from ...game import Node
from ..text import fmt_number

LINES_PER_QUESTION = 3


def overrides_of(source) -> dict[str, float]:
    """Return the parameters whose values differ from the scenario file's (the `--set` overrides)."""
    scenario = source.scenario
    if scenario is None:
        return {}
    from ...scenario import load_scenario

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


def players_html(source, *, brief: bool = False) -> list[str]:
    """The players in one paragraph: id (name): description; ... (`brief`: no descriptions, the brief has them)."""
    scenario = source.scenario
    if scenario is None:
        return [f"<p><strong>Players:</strong> {escape(', '.join(source.game.players))}</p>"]
    items = []
    for p in scenario.players:
        name = f" ({escape(p.name)})" if p.name and p.name != p.id else ""
        desc = f": {escape(p.description.rstrip('.'))}" if p.description and not brief else ""
        items.append(f"<strong>{escape(p.id)}</strong>{name}{desc}")
    return [f'<p class="players"><strong>Players.</strong> {"; ".join(items)}.</p>']


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


def _symbol(name: str) -> str:
    """A parameter's symbol as mathematics, with the name as typed in `--set` when they differ."""
    from .mathml import symbol_mathml

    ml = f"<math>{symbol_mathml(name)}</math>"
    plain = name if len(name) > 1 else ""
    return ml + (f' <span class="typed">({escape(plain)})</span>' if plain else "")


STAKE = ("The stake is everything the parties bargain or fight over, counted as 1: "
         "a share of 0.6 is 60% of it.")
ILLUSTRATIVE = ("The values are illustrative, chosen for teaching; the last column names the work a parameter's "
                "idea comes from, not a source of its value.")


def concept_of(solutions, *names):
    """The first solution among `solutions` whose concept is one of `names`, in the order of `names`."""
    for name in names:
        for sol in solutions or ():
            if sol.concept == name:
                return sol
    return None


def parameter_table(source, changed=()) -> list[str]:
    """The full parameter table: symbol, value, range, unit, meaning, where the idea comes from (`changed` marked *)."""
    scenario = source.scenario
    if scenario is None or not scenario.parameters:
        return ['<p class="note">This game has no parameters: its payoffs are numbers.</p>']
    out = [
        '<table class="params">',
        "<thead><tr><th>Symbol</th><th class=\"num\">Value</th><th>Range</th><th>Unit</th>"
        "<th>Meaning</th><th>Idea from</th></tr></thead>",
        "<tbody>",
    ]
    for p in scenario.parameters.values():
        value = fmt_number(p.value) + (" *" if p.name in changed else "")
        src = f'<a href="#src-{escape(p.source)}">{escape(p.source)}</a>' if p.source else ""
        out.append(
            f'<tr><td class="name">{_symbol(p.name)}</td><td class="num">{escape(value)}</td>'
            f'<td class="num">[{fmt_number(p.low)}, {fmt_number(p.high)}]</td><td>{escape(p.unit or "")}</td>'
            f'<td class="desc">{escape(p.description)}</td><td>{src}</td></tr>'
        )
    out += ["</tbody>", "</table>"]
    notes = [ILLUSTRATIVE]
    if any("stake" in (p.unit or "") + p.description for p in scenario.parameters.values()):
        notes.insert(0, STAKE)
    if changed:
        notes.append("* set on the command line; the scenario file says otherwise.")
    out.append(f'<p class="note">{escape(" ".join(notes))}</p>')
    return out


def needed_parameters(scenario) -> list[str]:
    """The parameters a student needs: those the payoffs use (through derived values too) or the text names.

    The text is the brief and the questions: a parameter counts when it appears in a `$formula$` span.
    """
    from .mathml import prose_formulas

    names: set[str] = set()
    for spec in scenario.game.outcomes:
        for formula in spec.payoffs:
            names |= formula.names
    for node in getattr(scenario.game, "chance", ()):
        for formula in node[1]:
            names |= formula.names
    for name in reversed(list(scenario.derived)):  # a derived value may use earlier ones
        if name in names:
            names |= scenario.derived[name].names
    import re

    texts = [scenario.brief] + [q.ask for q in scenario.questions]
    for text in texts:
        for span in prose_formulas(text):
            names |= set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", span))
    return [n for n in scenario.parameters if n in names]


def short_description(text: str) -> str:
    """A parameter's description without its parenthesised or appended detail (the appendix has it)."""
    import re

    short = re.split(r" \(|; ", text, maxsplit=1)[0].rstrip(".")
    return short + "." if short else text


def symbols_table(source, changed=()) -> list[str]:
    """The worksheet's short parameter list: the symbols the tasks need, their values and meanings."""
    scenario = source.scenario
    if scenario is None or not scenario.parameters:
        return []
    rows = []
    for name in needed_parameters(scenario):
        p = scenario.parameters[name]
        value = fmt_number(p.value) + (" *" if p.name in changed else "")
        meaning = escape(short_description(p.description))
        rows.append(f"<div><dt>{_symbol(name)} = {escape(value)}</dt><dd>{meaning}</dd></div>")
    if not rows:
        return []
    out = ['<dl class="symbols">', *rows, "</dl>"]
    notes = ["Illustrative values, chosen for teaching; the appendix (--appendix) has every detail."]
    if changed:
        notes.append("* set on the command line.")
    out.append(f'<p class="note">{escape(" ".join(notes))}</p>')
    return out


def derived_table(source) -> list[str]:
    """Derived values: symbol, formula (as mathematics), value at these parameters (nothing if there are none)."""
    from .mathml import formula_mathml

    scenario = source.scenario
    if scenario is None or not scenario.derived:
        return []
    values = scenario.evaluate()
    out = [
        "<h3>Derived values</h3>",
        '<table class="derived"><thead><tr><th>Symbol</th><th>Formula</th><th class="num">Value</th></tr></thead>'
        "<tbody>",
    ]
    for name, formula in scenario.derived.items():
        out.append(
            f'<tr><td class="name">{_symbol(name)}</td><td>{formula_mathml(formula.source)}</td>'
            f'<td class="num">{fmt_number(float(values[name]))}</td></tr>'
        )
    out += ["</tbody></table>"]
    if any("clip(" in f.source for f in scenario.derived.values()):
        out.append('<p class="note">min(max(x, 0), 1) keeps a share between 0 and 1.</p>')
    return out


def outcome_table(source) -> list[str]:
    """Each outcome's label and every player's payoff (formula = value at these parameters)."""
    from .mathml import formula_mathml

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
                text = value if formula.constant is not None else f"{formula_mathml(formula.source)} = {value}"
                cells.append(f"<td>{text}</td>")
            label = escape(spec.label) if spec.label else f"<code>{escape(spec.id)}</code>"
            out.append(f"<tr><td>{label}</td>{''.join(cells)}</tr>")
    elif hasattr(game, "nodes"):
        pay = np.asarray(game.payoffs).reshape(-1, len(game.outcomes), len(players))[0]
        for o, outcome in enumerate(game.outcomes):
            row = "".join(f'<td class="num">{fmt_number(float(v))}</td>' for v in pay[o])
            label = f"<br>{escape(outcome.label)}" if outcome.label else ""
            out.append(f"<tr><td><code>{escape(outcome.id)}</code>{label}</td>{row}</tr>")
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


def questions_html(questions, *, lines: int) -> list[str]:
    """The discussion questions as an ordered list, with `lines` ruled lines to answer under each."""
    from .mathml import prose_html

    space = '<div class="lines">' + "<span></span>" * lines + "</div>" if lines else ""
    out = ['<p class="note">For discussion in class, or to answer on the back of the sheet.</p>'] if not lines else []
    out.append('<ol class="questions">')
    out += [f"<li>{prose_html(q.ask)}{space}</li>" for q in questions]
    out.append("</ol>")
    return out


def decision_rows(tree) -> list[tuple[int, Node, str]]:
    """The decisions of a tree as (node index, node, mover), last movers first (backward induction's order)."""
    rows = []
    for i in reversed(tree.preorder()):
        node = tree.nodes[i]
        if node.kind == "decision":
            rows.append((i, node, tree.players[node.player]))
    return rows


def decision_table(tree, *, blank: bool) -> list[str]:
    """The decisions of a tree, last movers first (the order of backward induction).

    With `blank` the table has an empty column for the student's answer.
    """
    rows = [(node, player) for _, node, player in decision_rows(tree)]
    # On the worksheet the tree shows the actions; the column is the student's space instead.
    extra = "<th>Choice and why</th>" if blank else "<th>Actions</th>"
    out = [
        '<table class="decisions">',
        f"<thead><tr><th>Mover</th><th>Situation</th>{extra}</tr></thead>",
        "<tbody>",
    ]
    for node, player in rows:
        cell = '<td class="answer"></td>' if blank else f"<td>{escape(', '.join(node.actions))}</td>"
        out.append(f"<tr><td>{escape(player)}</td><td>{situation(node)}</td>{cell}</tr>")
    out += ["</tbody>", "</table>"]
    return out


def situation(node) -> str:
    """A decision's cell in the worksheet's and the answer key's tables (HTML): its label or id, and its
    information set when it shares one with other nodes."""
    infoset = f" (information set {escape(node.infoset)})" if node.infoset and node.infoset != node.id else ""
    return f"{escape(node.label or node.id)}{infoset}"


def large_tree(source) -> bool:
    """A tree whose decision table is long: its worksheet keeps two pages by giving questions no ruled lines."""
    game = source.game
    return hasattr(game, "nodes") and sum(node.kind == "decision" for node in game.nodes) > 4


def answer_lines(source) -> int:
    """Ruled lines per task (and per question, but none for a large tree: `large_tree`).

    A large tree's tasks need one line each: the decision table holds the working.
    """
    return 1 if large_tree(source) else LINES_PER_QUESTION


def worksheet_tasks(source) -> list[str]:
    """Tasks for students, by the game's form, with space to answer."""
    game = source.game
    lines = '<div class="lines">' + "<span></span>" * answer_lines(source) + "</div>"
    if hasattr(game, "nodes"):
        return [
            "<p>Solve the game by backward induction. Start with the last decisions (top of the table) "
            "and write down what each mover chooses and why; then use those choices to solve the earlier ones.</p>",
            *decision_table(game, blank=True),
            '<ol class="tasks" type="A">',
            f"<li>Which path is played, and which outcome does it reach? What does each player get?{lines}</li>",
            "<li>Off the path: for each decision that is not reached, what would its mover do if it were? Which "
            f"threats does that make credible (they would be carried out if tested), and which not?{lines}</li>",
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
