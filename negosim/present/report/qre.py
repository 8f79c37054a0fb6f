"""The handout's optional section on less than perfectly rational play (`negosim report --qre`).

The QRE figure shows play settling on the Nash equilibrium the principal branch selects, so it is an
answer: it goes in the handout with answers only, never in the worksheet.
"""

from __future__ import annotations

from html import escape

from .game import figure_html


def qre_html(source) -> list[str]:
    """The section's paragraphs and the QRE figure of the source's game (one line instead, when it cannot be drawn)."""
    from ...errors import GameError
    from ...solve.policy import refusal
    from ..figures.qre import qre_figure

    intro = ("<p>Real decision makers make mistakes, but costly ones less often. In a logit quantal response "
             "equilibrium (McKelvey and Palfrey 1995) each player chooses every action with a probability "
             "proportional to exp(&lambda; &times; its expected payoff), given how the others play; "
             "&lambda; measures how precisely payoffs guide choices. At &lambda; = 0 every action is equally "
             "likely; as &lambda; grows, play moves along the principal branch to the Nash equilibrium it "
             "selects. Econometric work on crises estimates &lambda; from observed choices (Signorino 1999's "
             "strategic choice model is the agent QRE of a game tree).</p>")
    why = refusal(source.game, "qre")
    if why:
        return [intro, f"<p class=\"note\">{escape(why)}.</p>"]
    names = {p.id: p.name or p.id for p in source.scenario.players} if source.scenario is not None else None
    try:
        fig = qre_figure(source.game, title="", names=names)
    except GameError as exc:
        return [intro, f"<p class=\"note\">The figure is not drawn: {escape(str(exc))}.</p>"]
    caption = ("Each player's choice probabilities (a game tree: at each information set) along the principal "
               "branch of the logit QRE, against lambda on a log scale; rings mark the Nash limit.")
    return [intro, *figure_html(fig, caption, "qre")]
