"""'What would change the outcome', in words: rendered from `change_records`, one sentence per parameter.

Each statement is a record checked by solving just past its threshold (see `change_records`): the outcome,
or set of pure Nash equilibria, beyond the threshold, never the one at the tie point itself. For a game tree
it traces the chain of decisions that changes, from the first (the cause) to the one on the equilibrium path
that moves the outcome ("the United States would hold rather than impose ..., so Russia would counter ...").
"""

from __future__ import annotations

from ...game.normal import NormalFormGame
from ..text import fmt_number
from ..text.wording import Style, and_list, do_rather, noun, sig_values, wrap
from . import change_records as records_module
from .change_records import ChangeRecord, DecisionFlip, change_records
from .normal import WIDTH
from .tree import outcome_text

#: At most this many decisions of a chain are named; the rest are counted.
MAX_CHAIN = 5


def change_text(source, names: dict[str, str], st: Style, records: list[ChangeRecord] | None = None) -> list[str]:
    """The section's lines: per parameter the nearest outcome change on each side, else 'no change'.

    Parameters
    ----------
    source : Source
        An opened scenario (`negosim.api.open_source`).
    names : dict of str to str
        Player id -> the name to write.
    st : Style
        How headings are set.
    records : list of ChangeRecord, optional
        The records to state (default: `change_records` of `source`).

    Returns
    -------
    list of str
        The lines, a heading first.

    Examples
    --------
    >>> from negosim.api import open_source
    >>> from negosim.present.text.wording import Style
    >>> change_text(open_source("scenarios/entry_deterrence.yaml"), {}, Style(False))[0]
    'What would change the outcome'
    """
    tree = not isinstance(source.game, NormalFormGame)
    repeated = source.scenario is not None and source.scenario.form == "repeated"
    what = "outcome" if tree else "profiles grim trigger sustains" if repeated else "pure Nash equilibria"
    out = [st.heading(f"What would change the {'outcome' if tree else 'equilibria'}"), ""]
    if source.scenario is None or not source.parameters:
        return out + wrap("The game has no parameters to vary.", WIDTH, "  ", "  ")
    if records is None:
        records = change_records(source)
    out += wrap(f"Each parameter is varied over its declared range, the others held at their values; the nearest "
                f"values on each side past which the {what} change{'s' if tree else ''} (checked by solving just "
                "past each value):", WIDTH, "  ", "  ")
    quiet, jumps = [], 0
    for name, value in source.parameters.items():
        mine = [r for r in records if r.parameter == name]
        if not mine:
            quiet.append(name)
            continue
        parts = []
        for r in mine:
            if r.unsearched:
                hops = records_module.MAX_HOPS
                parts.append(f"not searched past {fmt_number(r.threshold)} (the search stopped after "
                             f"{hops} value{'s' if hops > 1 else ''} where only a tie changes the {what})")
                continue
            if r.only_at:
                parts.append(f"at {fmt_number(r.threshold)} only, a tie changes the {what} (just past it they are "
                             "as now)")
                continue
            tied = r.tied or repeated  # a grim-trigger threshold is where a deviator is indifferent
            jump = "" if tied else " (the payoffs jump there)"
            jumps += not tied
            side = f"{'below' if r.direction < 0 else 'above'} {fmt_number(r.threshold)}{jump}"
            if tree:
                parts.append(f"{side}: {chain_text(source.game, names, r.flips)}the outcome becomes "
                             f"{_tree_label(source.game, r.after)}")
            elif repeated:
                parts.append(f"{side} grim trigger sustains {and_list(r.after.split(' + '))}")
            else:
                parts.append(f"{side} {_normal_label(r.after)}")
        out += wrap(f"{st(name, 'bold')} (now {fmt_number(value)}): " + "; ".join(parts) + ".",
                    WIDTH, "      ", "    ")
    if quiet:
        out += wrap(f"No change anywhere in its declared range: {and_list(quiet)}.", WIDTH, "      ", "    ")
    if len([r for r in records if not (r.only_at or r.unsearched)]) > jumps:
        marked = ", unless marked otherwise," if jumps else ""
        rule = ", where the tie rules decide" if tree else " (a tie can add equilibria at that value only)"
        if repeated:
            rule = " between holding to the profile and deviating (exactly at the threshold it is sustained)"
        out += [""] + wrap(f"At each value{marked} a player is indifferent exactly there{rule}.", WIDTH, "  ", "  ")
    return out


def _normal_label(label: str) -> str:
    if label == "mixed only":
        return "no pure equilibrium is left (only mixed ones)"
    parts = label.split(" + ")
    if len(parts) == 1:
        return f"the only pure Nash equilibrium is {label}"
    return f"the pure Nash equilibria are {and_list(parts)}"


def _tree_label(game, label: str) -> str:
    return " + ".join(outcome_text(game, part) for part in label.split(" + "))


def chain_text(tree, names: dict[str, str], flips: tuple[DecisionFlip, ...]) -> str:
    """'the United States would hold rather than impose at us_sanction; so Russia would counter rather than
    accept at ru, and ' (empty without flips): the decisions the parameter changes directly, then those they
    cause, ending with the one on the equilibrium path that moves the outcome.

    Parameters
    ----------
    tree : GameTree
        The game tree.
    names : dict of str to str
        Player id -> the name to write.
    flips : tuple of DecisionFlip
        The decisions behind the change (see `decision_flips`).

    Returns
    -------
    str
        The clause, ending in ", and " to lead into the outcome's change; empty without flips.

    Examples
    --------
    >>> from negosim.api import open_source
    >>> from negosim.present.explain.change_records import DecisionFlip
    >>> tree = open_source("scenarios/entry_deterrence.yaml").game
    >>> chain_text(tree, {}, (DecisionFlip("entrant", "Entrant", "in", "out", 0, now=(1.0, 0.0)),))
    'the Entrant would choose out rather than in at entrant (now in 1 > out 0), and '
    """
    if not flips:
        return ""
    direct = [f for f in flips if f.direct]
    caused = [f for f in flips if not f.direct]
    groups: dict[tuple, list[str]] = {}
    for f in direct:  # "the United States would hold rather than impose at us_sanction and us_sanction_final"
        groups.setdefault((f.player, f.before, f.after, f.now), []).append(f.node)
    first = and_list([_clause(names, player, before, after, nodes) + _now(before, after, now)
                      for (player, before, after, now), nodes in groups.items()])
    steps = [_clause(names, f.player, f.before, f.after, [f.node]) for f in caused]
    if len(steps) > MAX_CHAIN:  # keep the last steps, which move the outcome
        skipped = len(steps) - MAX_CHAIN + 1
        steps = [f"{skipped} more decisions change"] + steps[skipped:]
    return "; so ".join([first, *steps]) + ", and "


def _now(before: str, after: str, now: tuple[float, float]) -> str:
    """' (now impose 0.085 > hold 0.065)': the gap the parameter closes, at the current values."""
    if not now:
        return ""
    a, b = sig_values(now)
    return f" (now {before} {a} > {after} {b})" if now[0] > now[1] else f" (now {before} {a}, {after} {b})"


def _clause(names: dict[str, str], player: str, before: str, after: str, nodes: list[str]) -> str:
    who = noun(names.get(player, player))
    return f"{who} would {do_rather(after, before)} at {and_list(nodes)}"


__all__ = ["change_text", "chain_text"]
