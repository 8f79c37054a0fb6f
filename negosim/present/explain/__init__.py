"""`negosim explain`: a readable, step-by-step derivation of a game's equilibria for the terminal.

Normal form: the payoff matrix with best responses starred and pure equilibria boxed, iterated
elimination of strictly dominated strategies round by round, every equilibrium with the
indifference equations behind a mixed one. Game tree: backward induction node by node in
sentences, the equilibrium path, the Nash equilibria that rest on threats that would not be carried
out. Both end with what would change the outcome: the nearest regime boundary in each parameter.

>>> from negosim.api import open_source
>>> explain(open_source("scenarios/prisoners_dilemma.yaml")).splitlines()[0]
"Prisoner's dilemma"
"""

from __future__ import annotations

from ...game.normal import NormalFormGame
from ..text import fmt_number
from ..text.wording import Style, wrap
from .change import change_text
from .normal import WIDTH, explain_normal
from .tree import explain_tree


def explain(source, *, color: bool = False, concepts: tuple[str, ...] = (), lambdas=None) -> str:
    """Return the step-by-step explanation of a source's game at its parameter values (ANSI colour
    only with ``color=True``). `concepts` may add "ce" (the mediator's reading of correlated
    equilibria) and "qre" (less than perfectly rational play, at `lambdas` or the default ones);
    `negosim.present.explain.qre_ce`."""

    st = Style(color)
    game = source.game
    names = player_names(source)
    out = header(source, names, st)
    nash, limit = nash_or_pure(source)
    if isinstance(game, NormalFormGame):
        out += explain_normal(game, names, nash, st, limit)
        if source.scenario is not None and source.scenario.form == "repeated":
            from ...scenario.repeated_analysis import analyze_repeated
            from .repeated import explain_repeated

            out += ["", *explain_repeated(analyze_repeated(source.scenario), names, st)]
    else:
        from ...solve.primary import primary_solution

        spe = primary_solution(game)  # the tree's primary answer: its subgame-perfect equilibrium
        out += explain_tree(game, names, game.ties, spe, nash, st, limit)
        if any(len(nodes) > 1 for _, _, nodes in game.infosets()):  # beliefs matter: walk through them
            from ...api import solve_source
            from .pbe import explain_pbe

            out += ["", *explain_pbe(game, names, solve_source(source, ["pbe"])[0], st)]
    if concepts:
        from .qre_ce import ce_text, qre_text

        if "ce" in concepts:
            out += ["", *ce_text(source, names, st)]
        if "qre" in concepts:
            out += ["", *qre_text(source, names, st, lambdas)]
    out += ["", *change_text(source, names, st)]
    return "\n".join(out) + "\n"


def nash_or_pure(source):
    """The "nash" solution (on the normal form), or where the game is too large to enumerate all
    equilibria the "pure" one with the reason; for a tree whose reduced normal form is too large
    (the size policy, `negosim.solve.policy`) None with the reason."""
    from ...api import solve_source
    from ...errors import GameError
    from ...solve.policy import nash_method, pure_fits

    method, why = nash_method(source.game)
    if method == "normal form":
        try:
            return solve_source(source, ["nash"])[0], None
        except GameError as exc:
            why = str(exc).split(": ", 1)[-1]
    if pure_fits(source.game) is None:
        return solve_source(source, ["pure"])[0], why
    return None, why


def player_names(source) -> dict[str, str]:
    """Player id -> the name to use in sentences (the scenario's name, else the id)."""
    if source.scenario is None:
        return {p: p for p in source.game.players}
    return {p.id: p.name or p.id for p in source.scenario.players}


def header(source, names: dict[str, str], st: Style) -> list[str]:
    """Title, players and parameter values."""
    out = [st(source.title, "bold"), ""]
    players = [f"{p} ({names[p]})" if names[p] != p else p for p in source.game.players]
    out += wrap("Players: " + ", ".join(players), WIDTH, "  ")
    if source.parameters:
        out += wrap("Parameters: " + ", ".join(f"{k}={fmt_number(v)}" for k, v in source.parameters.items()),
                    WIDTH, "  ")
    out.append("")
    return out
