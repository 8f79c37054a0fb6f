"""'What would change the outcome': the nearest regime boundary below and above each parameter's value,
and, for a game tree, the decision that switches there ("Russia would counter rather than accept")."""

from __future__ import annotations

import numpy as np

from ..game.normal import NormalFormGame
from ..game.tree import DECISION
from .explain_normal import WIDTH
from .explain_tree import outcome_text
from .style import Style, and_list, do, noun, wrap
from .text import fmt_number

#: Where the decisions on each side of a boundary are read: this far from it, relative to the range.
SIDE = 1e-7


def change_text(source, names: dict[str, str], st: Style) -> list[str]:
    """The section's lines: per parameter the nearest outcome change on each side, else 'no change'."""
    tree = not isinstance(source.game, NormalFormGame)
    what = "outcome" if tree else "pure Nash equilibria"
    out = [st.heading(f"What would change the {'outcome' if tree else 'equilibria'}"), ""]
    if source.scenario is None or not source.parameters:
        return out + wrap("The game has no parameters to vary.", WIDTH, "  ", "  ")
    from ..sweep.boundaries import nearest_boundaries

    found = nearest_boundaries(source.scenario, source.parameters)
    out += wrap(f"Each parameter is varied over its declared range, the others held at their values; the nearest "
                f"values on each side where the {what} change{'s' if tree else ''}:", WIDTH, "  ", "  ")
    bounds = [b for name in source.parameters for b in found.get(name, [])]
    switches = decision_switches(source, names, bounds) if tree else [None] * len(bounds)
    switch_of = {id(b): s for b, s in zip(bounds, switches)}
    quiet, jumps = [], 0
    for name, value in source.parameters.items():
        mine = found.get(name, [])
        if not mine:
            quiet.append(name)
            continue
        parts = []
        for b in mine:
            below = b.value < value
            new = b.below if below else b.above
            switch = switch_of.get(id(b))
            then = f"{switch}, and the {what}" if switch else f"the {what}"
            jump = "" if b.tied else " (the payoffs jump there)"
            if b.selection:
                jump = (" (a subgame has several equilibria there: this is where negosim's selection among them "
                        "changes, not necessarily the equilibria themselves)")
            jumps += not b.tied
            parts.append(f"{'below' if below else 'above'} {fmt_number(round(b.value, 10))}{jump} {then} "
                         f"become{'s' if tree else ''} {_regime(source.game, new, tree)}")
        out += wrap(f"{st(name, 'bold')} (now {fmt_number(value)}): " + "; ".join(parts) + ".",
                    WIDTH, "      ", "    ")
    if quiet:
        out += wrap(f"No change anywhere in its declared range: {and_list(quiet)}.", WIDTH, "      ", "    ")
    if len(bounds) > jumps:
        marked = ", unless marked otherwise," if jumps else ""
        rule = ", where the tie rules decide" if tree else ""
        out += [""] + wrap(f"At each boundary{marked} a player is indifferent exactly at the boundary value{rule}.",
                           WIDTH, "  ", "  ")
    return out


def _regime(game, label: str, tree: bool) -> str:
    if not tree:
        return "mixed only (no pure equilibrium)" if label == "mixed only" else label
    return " + ".join(outcome_text(game, part) for part in label.split(" + "))


def decision_switches(source, names: dict[str, str], bounds) -> list[str | None]:
    """Per boundary, the first decision along the old equilibrium path that is taken differently just past
    the boundary, as "Russia would counter rather than accept"; None where none is found."""
    if not bounds:
        return []
    from ..solve.spe import subgame_perfect

    scenario = source.scenario
    params = {k: np.full(2 * len(bounds), v, dtype=float) for k, v in source.parameters.items()}
    for t, b in enumerate(bounds):
        p = scenario.parameters[b.parameter]
        step = SIDE * (p.high - p.low) * (1 if b.value > source.parameters[b.parameter] else -1)
        params[b.parameter][2 * t] = np.clip(b.value - step, p.low, p.high)  # the side of the base value
        params[b.parameter][2 * t + 1] = np.clip(b.value + step, p.low, p.high)  # the new side
    tree = scenario.build(params)
    sol = subgame_perfect(tree, ties=scenario.ties)
    row = {int(pt): e for e, pt in enumerate(sol.point)}
    choice = sol.extra["choice"]
    out = []
    for t in range(len(bounds)):
        old, new = row.get(2 * t), row.get(2 * t + 1)
        out.append(None if old is None or new is None else _first_switch(tree, choice, old, new, names))
    return out


def _first_switch(tree, choice, old: int, new: int, names) -> str | None:
    i = tree.root
    while tree.nodes[i].kind == DECISION:
        node = tree.nodes[i]
        a, b = int(choice[node.id][old]), int(choice[node.id][new])
        if a < 0:
            return None
        if a != b and b >= 0:
            who = noun(names.get(tree.players[node.player], tree.players[node.player]))
            return f"{who} would {do(node.actions[b])} rather than {do(node.actions[a])} at {node.id}"
        i = node.children[a]
    return None
