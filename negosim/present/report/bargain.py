"""The classroom handout of a `form: bargaining` scenario: one self-contained HTML page.

The teacher's version (``answers=True``) has the description, the parameters, the model with its
arguments and closed form, the answer key (the model's quantities at the baseline, the derivation in
sentences, the scenario's answers to its questions), a figure of the quantities against the main
parameter with the regime boundaries, and the sources. The worksheet (``answers=False``) has the
brief, the parameters, the model's arguments and the questions with room to answer, nothing solved.

>>> from negosim.scenario import load_scenario
>>> html = render_bargaining_report(load_scenario("scenarios/fearon_risk_return.yaml"))
>>> "Answer key" in html and "<svg" in html
True
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import numpy as np

from ... import __version__
from ...scenario.bargainsolve import solve_bargaining
from ...scenario.model import Scenario
from ..text import fmt_number
from .css import CSS
from .parts import parameter_table, players_html, questions_html, sources_html

GRID = 201


@dataclass(frozen=True)
class _Page:
    """What the shared handout parts read from a source: the scenario (a bargaining scenario has no game)."""

    scenario: Scenario


def render_bargaining_report(scenario: Scenario, *, answers: bool = True, command: str | None = None,
                             sweep: str | None = None, changed: tuple[str, ...] = (), appendix: bool = False,
                             projector: bool = False) -> str:
    """Return the HTML handout (or, with ``answers=False``, the worksheet) of a bargaining scenario.

    `sweep` names the scenario's sweep whose first parameter the figure varies (default: the first
    named sweep's); an unknown name is a UsageError. `changed` marks parameters set on the command line.
    `appendix` adds to a worksheet the model's closed form, its regimes and its source, after the
    questions (the handout with answers has them in its model section and answer key). `projector`
    sets large type at full width, as for games.

    Parameters
    ----------
    scenario : Scenario
        A ``form: bargaining`` scenario.
    answers : bool, default True
        The handout with answers; False: the worksheet.
    command : str, optional
        The command line shown on the page as the one that made it (default: the equivalent `negosim report`).
    sweep : str, optional
        The named sweep whose first parameter the figure varies.
    changed : tuple of str
        Parameters set on the command line (marked as such).
    appendix : bool, default False
        Add the model's closed form, regimes and source to a worksheet.
    projector : bool, default False
        Large type at full width.

    Returns
    -------
    str
        A self-contained HTML page.

    Examples
    --------
    >>> import negosim as ns
    >>> page = render_bargaining_report(ns.load("scenarios/rubinstein_war.yaml"))
    >>> page.startswith("<!DOCTYPE html>"), "Handout with answers" in page
    (True, True)
    """
    if sweep is not None and sweep not in scenario.sweeps:
        from ...errors import UsageError

        raise UsageError(f"no sweep named {sweep!r} in {scenario.path} (named sweeps: "
                         f"{', '.join(scenario.sweeps) or 'none'})")
    from .mathml import prose_html

    page = _Page(scenario)
    kind = "Handout with answers" if answers else "Worksheet"
    body = ['<header class="title">', f'<p class="kind">{kind} &middot; negosim</p>',
            f"<h1>{escape(scenario.title)}</h1>", "</header>", '<section id="about">']
    text = scenario.description if answers or not scenario.brief else scenario.brief
    body += [f"<p>{prose_html(p.strip())}</p>" for p in (text if answers or scenario.brief else "").split("\n\n")
             if p.strip()]
    body += players_html(page, brief=not answers and bool(scenario.brief))
    body.append("</section>")
    body += _section("params", "Parameters", parameter_table(page, changed))
    body += _section("model", "The model", _model_html(scenario, answers))
    if answers:
        body += _section("key", "Answer key: the solution", _key_html(scenario))
        if scenario.questions:
            from .key import questions_key

            body += _section("questions", "Answer key: the discussion questions", questions_key(scenario.questions))
        body += _section("figure", "The solution as a parameter varies", _figure_html(scenario, sweep))
    else:
        if scenario.questions:
            body += _section("questions", "Discussion questions", questions_html(scenario.questions, lines=4))
        if appendix:
            body += _section("appendix", "Appendix: the model's closed form", _appendix_html(scenario))
    if scenario.sources:
        body += _section("sources", "Sources", sources_html(scenario.sources))
    shown = command or f"negosim report {scenario.path} -o {'handout' if answers else 'worksheet'}.html" + \
        ("" if answers else " --no-answers") + (" --appendix" if appendix else "") + \
        (" --projector" if projector else "")
    rows = [("Made with", f"negosim {__version__}"), ("Scenario", scenario.path), ("SHA-256", scenario.sha256),
            ("Command", shown)]
    items = "".join(f"<dt>{escape(k)}</dt><dd><code>{escape(v)}</code></dd>" for k, v in rows)
    body += ['<footer class="provenance">', f"<dl>{items}</dl>", "</footer>"]
    if not answers:
        body = ['<div class="worksheet">', *body, "</div>"]
    title = f"{scenario.title} ({'handout' if answers else 'worksheet'})"
    return "\n".join(["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
                      '<meta name="viewport" content="width=device-width, initial-scale=1">',
                      f'<meta name="generator" content="negosim {escape(__version__)}">',
                      f"<title>{escape(title)}</title>", f"<style>{CSS}</style>", "</head>",
                      '<body class="projector">' if projector else "<body>", "<main>",
                      *body, "</main>", "</body>", "</html>", ""])


def _section(anchor: str, heading: str, content: list[str]) -> list[str]:
    return [f'<section id="{anchor}">', f"<h2>{escape(heading)}</h2>", *content, "</section>"]


def _model_html(scenario: Scenario, answers: bool) -> list[str]:
    spec = scenario.game
    model = spec.model  # type: ignore[union-attr]
    roles = ", ".join(f"{escape(p.id)} is the {escape(r)}" for p, r in zip(scenario.players, model.roles))
    out = [f"<p><strong>{escape(model.title)}</strong> (<code>{escape(model.name)}</code>): {roles}.</p>",
           '<table class="params"><thead><tr><th>Argument</th><th>Formula</th></tr></thead><tbody>']
    for name, formula in spec.arguments.items():  # type: ignore[union-attr]
        out.append(f'<tr><td class="name">{escape(name)}</td><td><code>{escape(str(formula.source))}</code></td></tr>')
    out += ["</tbody></table>", f'<p class="note">Source: {escape(model.source)}</p>']
    if answers:
        out.insert(1, f"<p>Closed form: <code>{escape(model.closed_form)}</code>.</p>")
    return out


def _appendix_html(scenario: Scenario) -> list[str]:
    """The worksheet's appendix: the closed form to apply and the regimes it separates (no numbers solved)."""
    model = scenario.game.model  # type: ignore[union-attr]
    spec = scenario.game
    out = [f"<p>The model <strong>{escape(model.title)}</strong> gives, in the notation of the table of arguments "
           "above:</p>", f"<p><code>{escape(model.closed_form)}</code></p>",
           f"<p>Its quantities: {escape(', '.join(model.quantities))}. Its regimes:</p>", "<ul>"]
    out += [f"<li><code>{escape(r)}</code>: {escape(spec.label(r))}</li>" for r in model.regimes]  # type: ignore[union-attr]
    out += ["</ul>", f'<p class="note">Derived in: {escape(model.source)}</p>']
    return out


def _key_html(scenario: Scenario) -> list[str]:
    from ..explain.bargain import explain_bargaining

    sol = solve_bargaining(scenario)
    out = ['<table class="params"><thead><tr><th>Quantity</th><th class="num">Value</th></tr></thead><tbody>']
    for name in sol.model.quantities:
        value = float(np.asarray(sol.quantities[name]).reshape(-1)[0])
        out.append(f'<tr><td class="name">{escape(name)}</td><td class="num">{escape(fmt_number(value))}</td></tr>')
    regime = str(sol.regimes.reshape(-1)[0])
    out += ["</tbody></table>", f"<p><strong>Regime:</strong> {escape(sol.label(regime))} "
            f"(<code>{escape(regime)}</code>).</p>"]
    lines = explain_bargaining(scenario, sol).splitlines()[3:]
    skip = ("Closed", "Source", "Outcome regime")  # shown above or in the model section
    out += [f"<p>{escape(line)}</p>" for line in lines if line.strip() and not line.startswith(skip)]
    return out


def main_parameter(scenario: Scenario, sweep: str | None = None) -> str | None:
    """The parameter the handout's figure varies: the named (else the first) sweep's first, else the first one.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    sweep : str, optional
        The name of one of its sweeps.

    Returns
    -------
    str or None
        A parameter's name; None for a scenario without parameters.

    Examples
    --------
    >>> import negosim as ns
    >>> main_parameter(ns.load("scenarios/rubinstein_war.yaml"))
    'p'
    """
    for name, spec in scenario.sweeps.items():
        if sweep is None or name == sweep:
            return next(iter(spec.vary))
    return next(iter(scenario.parameters), None)


def _figure_html(scenario: Scenario, sweep: str | None = None) -> list[str]:
    from ...sweep.engine import grid_boundaries
    from ..figures import outcome_figure
    from .game import figure_html

    name = main_parameter(scenario, sweep)
    if name is None:
        return ['<p class="note">The scenario has no parameter to vary.</p>']
    p = scenario.parameters[name]
    spec = scenario.sweeps[sweep] if sweep is not None else next(
        (s for s in scenario.sweeps.values() if name in s.vary), None)
    low, high = (spec.vary[name][0], spec.vary[name][1]) if spec is not None else (p.low, p.high)
    grid = np.linspace(low, high, GRID)
    sol = solve_bargaining(scenario, {name: grid})
    bounds = grid_boundaries(scenario, name, grid, sol.regimes.astype(str))
    fig = outcome_figure(name, grid, sol.regimes, {q: sol.quantities[q] for q in sol.model.plotted},
                         boundaries=[(b.value, b.below, b.above) for b in bounds],
                         labels={r: sol.label(r) for r in sol.model.regimes}, unit=p.unit,
                         title=f"{sol.model.name}: varying {name}", order=sol.model.regimes,
                         words=(f"{sol.model.name} quantities", "quantity", "regime"))
    where = ("; ".join(f"{name} = {fmt_number(round(b.value, 6))} ({b.below} \u2192 {b.above})" for b in bounds)
             or "nowhere in this range")
    caption = (f"The model's quantities and its regime as {name} ({p.description.rstrip('.')}) runs from "
               f"{fmt_number(low)} to {fmt_number(high)}; every other parameter at its value in the table. "
               f"The regime changes at {where}.")
    return figure_html(fig, caption, "bargain-")


__all__ = ["main_parameter", "render_bargaining_report"]
