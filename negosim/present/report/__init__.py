"""The printable classroom handout: one self-contained HTML file (inline CSS, SVG and MathML, no scripts).

`render_report(source)` gives the teacher's version: the scenario's description, the full
parameter table, the game with its equilibria marked, the answer key (the worksheet's tasks filled
in from the verified solutions, then the discussion questions with the scenario's answers, in the
worksheet's order), every equilibrium, the derivation and a sweep's figure.

`render_report(source, answers=False)` gives the students' worksheet, short enough to print on two
pages: the scenario's brief (never its description, which may state the results), the parameters
the tasks need, the tree or matrix with nothing marked, the tasks and the questions with space to
answer. `appendix=True` adds the full parameter table and the sources. `projector=True` sets the
page in large type across the screen's full width. The output is deterministic: the same scenario,
overrides and options give the same bytes, so handouts can be committed and diffed.
"""

from __future__ import annotations

import shlex
from html import escape

from ... import __version__
from ..text import fmt_number
from .css import CSS
from .game import equilibria_html, game_html
from .parts import (
    STAKE,
    answer_lines,
    derived_table,
    large_tree,
    outcome_table,
    overrides_of,
    parameter_table,
    players_html,
    questions_html,
    sources_html,
    symbols_table,
    worksheet_tasks,
)


def render_report(
    source,
    *,
    answers: bool = True,
    command: str | None = None,
    sweep: str | None = None,
    appendix: bool = False,
    projector: bool = False,
    qre: bool = False,
) -> str:
    """Return the whole HTML handout of a scenario or Gambit game (`answers=False`: a worksheet).

    `source` is a `negosim.api.Source`. `command` is the command line shown in the provenance
    footer; by default it is rebuilt from the source and the options. `sweep` names the sweep
    drawn in the sensitivity section (default: the first along which the outcome changes; an
    unknown name is a UsageError). `appendix` adds the full parameter table and the sources to a
    worksheet (the handout with answers always has them). `projector` sets large type at full width.
    `qre` adds a section on less than perfectly rational play with the logit QRE figure
    (`report.qre`); it is an answer, so a worksheet refuses it (UsageError). The handout with answers
    gets a section on what a mediator can recommend by itself where that says something (`report.ce`).

    Parameters
    ----------
    source : negosim.api.Source
    answers : bool
        False: the worksheet (questions, no results).
    command : str, optional
        The command line in the provenance footer.
    sweep : str, optional
        The scenario's sweep drawn in the sensitivity section.
    appendix : bool
        Add the parameter table and sources to a worksheet.
    projector : bool
        Large type at full width.
    qre : bool
        Add the logit QRE section (answers only).

    Returns
    -------
    str
        A self-contained HTML page.

    Raises
    ------
    NegosimUsageError
        For an unknown sweep, or `qre` on a worksheet.

    Examples
    --------
    >>> from negosim.api import open_source
    >>> from negosim.present.report import render_report
    >>> html = render_report(open_source("scenarios/prisoners_dilemma.yaml"))
    >>> html.startswith("<!DOCTYPE html>"), "mutual" in html
    (True, True)
    """
    from ...api import solve_source
    from .sweep import choose_sweep

    scenario = source.scenario
    if qre and not answers:
        from ...errors import UsageError

        raise UsageError("--qre adds the QRE figure to the handout with answers; on a worksheet it would give the "
                         "equilibrium away")
    if sweep is not None:
        choose_sweep(scenario, sweep)  # an unknown name fails before anything is solved
    solutions = solve_source(source) if answers else None
    overrides = overrides_of(source)
    kind = "Handout with answers" if answers else "Worksheet"
    body = [
        '<header class="title">',
        f'<p class="kind">{kind} &middot; negosim</p>',
        f"<h1>{escape(source.title)}</h1>",
        "</header>",
    ]
    body += _intro(source, answers)
    if answers:
        body += _section("params", "Parameters", parameter_table(source, overrides) + derived_table(source))
        body += _section("game", "The game", game_html(source, solutions))
    else:
        # The figure first: it cannot be split, while the parameter list can fill a page's end.
        body += _section("game", "The game", game_html(source, solutions))
        symbols = symbols_table(source, overrides)
        if symbols:  # a Gambit game's payoffs are numbers: nothing to list
            body += _section("params", "Parameters", symbols)
    if answers:
        from .key import questions_key, tasks_key

        body += _section("key", "Answer key: the worksheet's tasks", tasks_key(source, solutions))
        if scenario is not None and scenario.questions:
            body += _section("questions", "Answer key: the discussion questions", questions_key(scenario.questions))
        body += _section("equilibria", "Equilibria", equilibria_html(source, solutions))
        from .ce import ce_html, wants_ce

        mediated = wants_ce(source)
        if mediated is not None:  # only where the mediator beats every Nash equilibrium (report_ce)
            body += _section("ce", "What a mediator can recommend", ce_html(source, *mediated))
        if qre:
            from .qre import qre_html

            body += _section("qre", "Less than perfectly rational play", qre_html(source))
        if scenario is not None and scenario.form == "repeated":
            from .repeated import repeated_html

            body += _section("repeated", "The repeated game", repeated_html(source))
        body += _section("sensitivity", "Sensitivity", _sensitivity(source, sweep))
    else:
        body += _section("tasks", "Your analysis", worksheet_tasks(source))
        if scenario is not None and scenario.questions:
            lines = 0 if large_tree(source) else answer_lines(source)
            body += _section("questions", "Discussion questions", questions_html(scenario.questions, lines=lines))
    if scenario is not None and (answers or appendix):
        extra = [] if answers else parameter_table(source, overrides) + derived_table(source)
        if not answers and hasattr(source.game, "nodes"):
            extra += ["<h3>Outcomes and payoffs</h3>", *outcome_table(source)]
        if scenario.sources:
            extra += ([] if answers else ["<h3>Sources</h3>"]) + sources_html(scenario.sources)
        if extra:
            body += _section("appendix", "Appendix: parameters and sources" if not answers else "Sources", extra)
    if command is None:
        command = report_command(source, answers, overrides, sweep=sweep, appendix=appendix, projector=projector,
                                 qre=qre)
    body += _footer(source, answers, command, overrides)
    if not answers:
        body = ['<div class="worksheet">', *body, "</div>"]
    title = f"{source.title} ({'handout' if answers else 'worksheet'})"
    body_class = ' class="projector"' if projector else ""
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
            f"<body{body_class}>",
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
    from .mathml import prose_html

    scenario = source.scenario
    out: list[str] = ['<section id="about">']
    if scenario is None:
        out.append(f'<p class="meta">A game read from the Gambit file <code>{escape(source.path)}</code>; '
                   "it has no parameters, description or questions.</p>")
    else:
        # The worksheet never prints the description: it may state the results the tasks ask for.
        text = scenario.description if answers or not scenario.brief else scenario.brief
        if not answers and not scenario.brief:
            text = ""
        for para in text.split("\n\n"):
            if para.strip():
                out.append(f"<p>{prose_html(para.strip())}</p>")
        if answers and "stake" in text + " ".join(p.unit or "" for p in scenario.parameters.values()):
            out.append(f'<p class="note">{escape(STAKE)}</p>')
    out += players_html(source, brief=not answers and scenario is not None and bool(scenario.brief))
    out.append("</section>")
    return out


def _sensitivity(source, sweep: str | None) -> list[str]:
    from .sweep import sensitivity_html

    return sensitivity_html(source, sweep)


def report_command(source, answers: bool, overrides=None, *, sweep: str | None = None, appendix: bool = False,
                   projector: bool = False, qre: bool = False) -> str:
    """The command that regenerates this handout: `negosim report PATH -o ... [--no-answers] [--set k=v] ...`.

    Parameters
    ----------
    source : negosim.api.Source
    answers : bool
        The handout with answers (else the worksheet).
    overrides : dict, optional
        Parameter values set on the command line.
    sweep : str, optional
    appendix, projector, qre : bool
        As in `render_report`.

    Returns
    -------
    str

    Examples
    --------
    >>> from negosim.api import open_source
    >>> from negosim.present.report import report_command
    >>> report_command(open_source("scenarios/prisoners_dilemma.yaml"), False)
    'negosim report scenarios/prisoners_dilemma.yaml -o worksheet.html --no-answers'
    """
    overrides = overrides_of(source) if overrides is None else overrides
    parts = ["negosim", "report", source.path, "-o", "handout.html" if answers else "worksheet.html"]
    if not answers:
        parts.append("--no-answers")
    for name, value in overrides.items():
        parts += ["--set", f"{name}={fmt_number(value)}"]
    if sweep is not None:
        parts += ["--sweep", sweep]
    if appendix:
        parts.append("--appendix")
    if projector:
        parts.append("--projector")
    if qre:
        parts.append("--qre")
    return shlex.join(parts)


def _footer(source, answers: bool, command: str, overrides: dict) -> list[str]:
    rows = [
        ("Made with", f"negosim {__version__}"),
        ("Scenario" if source.scenario is not None else "Game file", source.path),
        ("SHA-256", source.sha256),
        ("Command", command),
    ]
    if overrides:
        rows.insert(3, ("Overrides", ", ".join(f"{k} = {fmt_number(v)}" for k, v in overrides.items())))
    items = "".join(f"<dt>{escape(k)}</dt><dd><code>{escape(v)}</code></dd>" for k, v in rows)
    return ['<footer class="provenance">', f"<dl>{items}</dl>", "</footer>"]


__all__ = ["render_report", "report_command"]
