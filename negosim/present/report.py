"""The printable classroom handout: one self-contained HTML file (inline CSS and SVG, no scripts).

`render_report(source)` gives the teacher's version (equilibria, derivation, sensitivity figure);
`render_report(source, answers=False)` gives the students' worksheet (the same game, parameters and
questions, with space to answer and no solutions). The output is deterministic: the same scenario,
overrides and options give the same bytes, so handouts can be committed and diffed.
"""

from __future__ import annotations

import shlex
from html import escape

from .. import __version__
from .report_css import CSS
from .report_game import equilibria_html, game_html
from .report_parts import (
    derived_table,
    overrides_of,
    parameter_table,
    players_html,
    questions_html,
    sources_html,
    worksheet_tasks,
)
from .text import fmt_number


def render_report(source, *, answers: bool = True, command: str | None = None) -> str:
    """Return the whole HTML handout of a scenario or Gambit game (`answers=False`: a worksheet).

    `source` is a `negosim.api.Source`. `command` is the command line shown in the provenance
    footer; by default it is rebuilt from the source (`negosim report PATH [--set ...]`).
    """
    from ..api import solve_source

    solutions = solve_source(source) if answers else None
    scenario = source.scenario
    overrides = overrides_of(source)
    kind = "Handout with answers" if answers else "Worksheet"
    body = [
        '<header class="title">',
        f'<p class="kind">{kind} &middot; negosim</p>',
        f"<h1>{escape(source.title)}</h1>",
        "</header>",
    ]
    body += _intro(source, answers)
    body += _section("params", "Parameters", parameter_table(source, overrides) + derived_table(source))
    body += _section("game", "The game", game_html(source, solutions))
    if answers:
        body += _section("equilibria", "Equilibria", equilibria_html(source, solutions))
        body += _section("sensitivity", "Sensitivity", _sensitivity(source))
    else:
        body += _section("tasks", "Your analysis", worksheet_tasks(source))
    if scenario is not None and scenario.questions:
        body += _section("questions", "Discussion questions", questions_html(scenario.questions, lines=not answers))
    body += _footer(source, answers, command, overrides)
    title = f"{source.title} ({'handout' if answers else 'worksheet'})"
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f'<meta name="generator" content="negosim {escape(__version__)}">',
            f"<title>{escape(title)}</title>",
            f"<style>{CSS}</style>",
            "</head>",
            "<body>",
            "<main>",
            *body,
            "</main>",
            "</body>",
            "</html>",
            "",
        ]
    )


def _section(anchor: str, heading: str, content: list[str]) -> list[str]:
    return [f'<section id="{anchor}">', f"<h2>{escape(heading)}</h2>", *content, "</section>"]


def _intro(source, answers: bool) -> list[str]:
    scenario = source.scenario
    out: list[str] = ['<section id="about">']
    if scenario is None:
        out.append(f'<p class="meta">A game read from the Gambit file <code>{escape(source.path)}</code>; '
                   "it has no parameters, description or questions.</p>")
    else:
        for para in scenario.description.split("\n\n"):
            if para.strip():
                out.append(f"<p>{escape(para.strip())}</p>")
    out += players_html(source)
    if not answers:
        out.append('<p class="box note">This is the worksheet version: the equilibria, their derivation and the '
                   "sensitivity figure are left out. Work them out from the game below.</p>")
    out.append("</section>")
    if scenario is not None and scenario.sources:
        out += _section("sources", "Sources", sources_html(scenario.sources))
    return out


def _sensitivity(source) -> list[str]:
    from .report_sweep import sensitivity_html

    return sensitivity_html(source)


def report_command(source, answers: bool, overrides=None) -> str:
    """The command that regenerates this handout: `negosim report PATH -o ... [--no-answers] [--set k=v]`."""
    overrides = overrides_of(source) if overrides is None else overrides
    parts = ["negosim", "report", source.path, "-o", "handout.html" if answers else "worksheet.html"]
    if not answers:
        parts.append("--no-answers")
    for name, value in overrides.items():
        parts += ["--set", f"{name}={fmt_number(value)}"]
    return shlex.join(parts)


def _footer(source, answers: bool, command: str | None, overrides: dict) -> list[str]:
    rows = [
        ("Made with", f"negosim {__version__}"),
        ("Scenario" if source.scenario is not None else "Game file", source.path),
        ("SHA-256", source.sha256),
        ("Command", command if command is not None else report_command(source, answers, overrides)),
    ]
    if overrides:
        rows.insert(3, ("Overrides", ", ".join(f"{k} = {fmt_number(v)}" for k, v in overrides.items())))
    items = "".join(f"<dt>{escape(k)}</dt><dd><code>{escape(v)}</code></dd>" for k, v in rows)
    return ['<footer class="provenance">', f"<dl>{items}</dl>", "</footer>"]


__all__ = ["render_report", "report_command"]
