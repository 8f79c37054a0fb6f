"""The handout's game and equilibria sections: figures as inline SVG, equilibria, the derivation."""

from __future__ import annotations

import re
from html import escape

from ...io.jsonout import solution_warnings
from ..text import (
    MAX_OFF_PATH_TIES,
    OFF_PATH,
    TITLES,
    _header,
    belief_lines,
    fmt_mixed,
    fmt_number,
    fmt_prob,
    fmt_tol,
    strategy_legend,
)
from .parts import concept_of, decision_table, outcome_table, payoff_matrix_html

_ID_REF = re.compile(r'(\bid="|url\(#|href="#)([^")]+)')
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)


def inline_svg(svg: str, prefix: str) -> str:
    """SVG text ready to inline in HTML: ids made valid and unique in the page, RDF metadata dropped.

    matplotlib derives ids from content and `gid`s are free text, so two figures in one page (or
    two elements of one figure) can share an id, and an id can contain spaces. Every id gets
    `prefix` and spaces become hyphens; a repeated id gets a numbered suffix, and references
    keep pointing at the first element of that id (as a browser would resolve them).
    """
    svg = _METADATA.sub("", svg)
    seen: dict[str, int] = {}

    def rename(m):
        kind, name = m.group(1), prefix + re.sub(r"\s+", "-", m.group(2))
        if kind.startswith("id"):
            seen[name] = seen.get(name, 0) + 1
            if seen[name] > 1:
                name = f"{name}-{seen[name]}"
        return kind + name

    return _ID_REF.sub(rename, svg)


def figure_html(fig, caption: str, prefix: str, *, narrow: bool = False) -> list[str]:
    """A matplotlib Figure as an inline-SVG <figure> with a caption; `prefix` makes its ids unique."""
    from ..figures import figure_svg

    cls = ' class="narrow"' if narrow else ""
    svg = inline_svg(figure_svg(fig), prefix)
    return [f"<figure{cls}>", svg, f"<figcaption>{escape(caption)}</figcaption>", "</figure>"]


def _shown_beliefs(pbe, spe) -> tuple[dict[str, dict[str, float]] | None, str]:
    """The beliefs to draw on the tree, and which equilibrium they belong to (in words).

    The perfect Bayesian equilibrium that behaves as the drawn subgame-perfect one, when there is
    one (so the μ labels go with the thick lines); else the first listed.
    """
    found = pbe.equilibria_at(0) if pbe is not None else []
    if not found:
        return None, ""
    drawn = spe.equilibria_at(0)[0].behavior if spe is not None and spe.equilibria_at(0) else None
    for k, eq in enumerate(found):
        if drawn is not None and _same_behavior(eq.behavior, drawn):
            return eq.beliefs, f"perfect Bayesian equilibrium #{k + 1}, which plays as the thick lines"
    return found[0].beliefs, "the first perfect Bayesian equilibrium listed"


def _same_behavior(a, b, tol: float = 1e-9) -> bool:
    if a is None or b is None:
        return False
    for player, sets in b.items():
        for infoset, probs in sets.items():
            mine = a.get(player, {}).get(infoset)
            if mine is None or any(abs(mine.get(act, 0.0) - p) > tol for act, p in probs.items()):
                return False
    return True


#: Largest tree drawn in a handout (a bigger one is listed in the decisions table instead).
MAX_DRAWN_NODES = 300


def game_html(source, solutions) -> list[str]:
    """The game as a figure (tree or payoff matrix) and the outcome table; marked up when solved."""
    from ..figures import best_response_figure, matrix_figure, tree_figure

    game = source.game
    answers = solutions is not None
    out: list[str] = []
    if hasattr(game, "nodes"):
        spe = concept_of(solutions, "spe")
        caption = "The game tree. Read it from the top: each decision names the mover; leaves are outcomes."
        if spe is not None:
            caption += " Thick lines mark the subgame-perfect choice at every decision, on and off the path."
        beliefs, which = _shown_beliefs(concept_of(solutions, "pbe"), spe)
        if beliefs:
            caption += (" At each information set, μ is the mover's belief that it is at that node in "
                        f"{which}.")
        if len(game.nodes) <= MAX_DRAWN_NODES:
            out += figure_html(tree_figure(game, spe, beliefs=beliefs), caption, "tree-")
        else:
            out.append(f'<p class="note">The tree has {len(game.nodes):,} nodes, too many to draw legibly (the '
                       f"handout draws trees of up to {MAX_DRAWN_NODES} nodes); its decisions are listed below.</p>")
        if answers:
            out += ["<h3>Decisions</h3>", *decision_table(game, blank=False)]
    else:
        if not answers or game.n_players > 3:
            # The figure marks the equilibria (and draws up to 3 players): otherwise a plain table.
            out += payoff_matrix_html(game)
        else:
            caption = "The payoff matrix: in each cell, the payoffs of the players in the order listed."
            out += figure_html(matrix_figure(game, concept_of(solutions, "nash", "pure")), caption, "matrix-")
        if answers and game.n_players == 2 and game.shape == (2, 2):
            out += figure_html(
                best_response_figure(game, concept_of(solutions, "nash", "pure")),
                "Best responses: each player's best reply to every mixture of the other; "
                "equilibria are where they cross.",
                "br-",
                narrow=True,
            )
    if answers or not hasattr(game, "nodes"):
        out += ["<h3>Outcomes and payoffs</h3>", *outcome_table(source)]
    elif source.scenario is not None:
        # A tree's leaves carry the payoffs; their formulas would push the worksheet past two pages.
        out.append('<p class="note">The payoffs are at the leaves. Their formulas are in the appendix '
                   "(<code>negosim report --no-answers --appendix</code>).</p>")
    return out


def _tree_equilibrium(game, eq) -> list[str]:
    rows = []
    path = " &rarr; ".join(escape(step.replace(":", " ")) for step in eq.path or []) or "(starts with chance)"
    rows.append(("Path", path))
    if eq.outcome is not None:
        label = game.outcomes[[o.id for o in game.outcomes].index(eq.outcome)].label
        rows.append(("Outcome", f"<code>{escape(eq.outcome)}</code>" + (f": {escape(label)}" if label else "")))
    elif eq.outcome_probs:
        dist = ", ".join(f"<code>{escape(o)}</code> with probability {escape(fmt_number(p))}"
                         for o, p in eq.outcome_probs.items())
        rows.append(("Outcomes", dist))
    rows.append(("Payoffs", escape(", ".join(f"{p} {fmt_number(v)}" for p, v in eq.payoffs.items()))))
    for player, sets in eq.behavior.items():
        if sets:
            choices = "; ".join(f"at <code>{escape(i)}</code>: {escape(fmt_mixed(a))}" for i, a in sets.items())
            rows.append((f"{escape(player)} plans", choices))
    for infoset, belief in (eq.beliefs or {}).items():  # perfect Bayesian equilibria: beliefs and kind
        if len(belief) > 1:
            held = (eq.belief_sets or {}).get(infoset)
            text = ", ".join(f"<code>{escape(n)}</code> {escape(fmt_prob(p))}" for n, p in belief.items())
            rows.append((f"Belief at <code>{escape(infoset)}</code>",
                         text + (f" (off the path; sustained by {escape(held)})" if held else "")))
    if eq.classification is not None:
        rows.append(("Kind", escape(belief_lines(eq)[-1].split("Kind", 1)[1].strip())))
    off = [t for t in eq.ties if t.endswith(OFF_PATH)]
    for tie in [t for t in eq.ties if not t.endswith(OFF_PATH)] + (off if len(off) <= MAX_OFF_PATH_TIES else []):
        rows.append(("Tie", escape(tie)))
    if len(off) > MAX_OFF_PATH_TIES:
        rows.append(("Ties", f"{len(off):,} tied decisions off the path; <code>negosim solve --json</code> lists them"))
    items = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    return ['<div class="eq">', f"<dl>{items}</dl>", "</div>"]


def _strategy(probs: dict[str, float]) -> str:
    # Reduced strategies ("impose/refuse/impose/freeze") may break after a slash in a narrow column.
    return re.sub(r"/(?=[A-Za-z_])", "/<wbr>", escape(fmt_mixed(probs)))


def _normal_equilibria(game, eqs) -> list[str]:
    players = list(eqs[0].strategies)
    head = "".join(f"<th>{escape(p)} plays</th>" for p in players)
    head += "".join(f'<th class="num">{escape(p)} gets</th>' for p in players)
    out = ['<table class="equilibria">', f"<thead><tr><th>#</th>{head}<th>Outcome</th></tr></thead>", "<tbody>"]
    for k, eq in enumerate(eqs, 1):
        mark = "&dagger;" if eq.ties else ""
        cells = "".join(f"<td>{_strategy(a)}</td>" for a in eq.strategies.values())
        cells += "".join(f'<td class="num">{escape(fmt_number(v))}</td>' for v in eq.payoffs.values())
        outcome = f"<code>{escape(eq.outcome)}</code>" if eq.outcome else "(mixed strategies)"
        out.append(f'<tr><td class="num">{k}{mark}</td>{cells}<td>{outcome}</td></tr>')
    out += ["</tbody>", "</table>"]
    if any(eq.ties for eq in eqs):
        out.append('<p class="note">&dagger; A player has another best response here (a tie): the equilibrium is '
                   "not strict. <code>negosim solve</code> lists the tied strategies.</p>")
    return out


def equilibria_html(source, solutions) -> list[str]:
    """Every concept's equilibria at the scenario's values, their notes, and the step-by-step derivation."""
    game = source.game
    out: list[str] = []
    for sol in solutions:
        eqs = sol.equilibria_at(0)
        # In print a concept's heading stays with its equilibria; a short list is never split.
        out.append('<div class="concept keep">' if len(eqs) <= 4 else '<div class="concept">')
        out.append(f"<h3>{escape(TITLES.get(sol.concept, sol.concept))}</h3>")
        summary = _header(sol, len(eqs), 0).split(": ", 1)[-1]
        out.append(f'<p class="note">Found by {escape(sol.method)}: {escape(summary)}.</p>')
        if eqs and eqs[0].behavior is not None:
            for eq in eqs:
                out += _tree_equilibrium(game, eq)
        elif eqs:
            legend = strategy_legend(game) if hasattr(game, "infosets") else None
            if legend:
                out.append(f'<p class="note">{escape(legend)}.</p>')
            out += _normal_equilibria(game, eqs)
        for note in solution_warnings(sol, 0):
            if ": tie: " not in note:
                out.append(f'<p class="note">Note: {escape(note.split(": ", 1)[1])}</p>')
        out.append("</div>")
    out.append(f'<p class="note">Every equilibrium above was verified: no player gains more than the tolerance '
               f"({escape(fmt_tol(solutions, 0))}) by deviating.</p>")
    out += derivation_html(source)
    return out


def derivation_sections(text: str) -> list[tuple[str, str]]:
    """Split `negosim explain` text into (heading, body) sections, dropping its preamble.

    A heading is an unindented line followed by a blank line; an unindented line that goes on
    in indented lines is a paragraph of the section it is in. A body is the text under a heading,
    with its line breaks kept (it holds aligned matrices). The preamble (title, players and
    parameters, which the handout shows already) is dropped.
    """
    import textwrap

    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("Players:")), None)
    if start is not None:  # skip the preamble: title, players, parameters (with wrapped lines)
        lines = lines[next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines)):]
    sections: list[tuple[str, list[str]]] = []
    for i, line in enumerate(lines):
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if line and not line[0].isspace() and not following.strip():
            sections.append((line.strip(), []))
        elif sections:
            sections[-1][1].append("  " + line if line and not line[0].isspace() else line)
    out = []
    for heading, body in sections:
        out.append((heading, textwrap.dedent("\n".join(body)).strip("\n")))
    return out


def derivation_html(source) -> list[str]:
    """The step-by-step derivation from `negosim explain`: a heading and preformatted text per step."""
    from ..explain import explain

    out = ["<h3>Step by step</h3>",
           '<p class="note">The derivation as <code>negosim explain</code> prints it.</p>']
    for heading, body in derivation_sections(explain(source)):
        out.append(f'<h4>{escape(heading)}</h4>')
        if body:
            out.append(f'<pre class="derivation">{escape(body)}</pre>')
    return out
