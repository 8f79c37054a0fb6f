"""Readable terminal output of `negosim solve`."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from ...io.jsonout import clean, condense_tie, solution_warnings

TITLES = {
    "spe": "Subgame-perfect equilibrium",
    "nash": "Nash equilibria",
    "pure": "Pure-strategy Nash equilibria",
    "pbe": "Perfect Bayesian equilibria",
}


#: Off-path ties listed one per line up to this many; more are summarised in one line.
MAX_OFF_PATH_TIES = 5
OFF_PATH = ", off the equilibrium path)"


def fmt_number(x: float | Fraction) -> str:
    """A payoff or parameter for people: 0.3275, -1, 2.5e-05; an exact fraction as 7/3."""
    if isinstance(x, Fraction):
        return _fraction(x)
    x = clean(x)
    return str(int(x)) if x == int(x) else f"{x:.6g}"


def _fraction(f: Fraction) -> str:
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


def _as_small_fraction(x: float | Fraction) -> Fraction | None:
    """`x` as a fraction with denominator at most 12 when it is one (to 1e-9), else None."""
    if isinstance(x, Fraction):
        return x
    f = Fraction(clean(x)).limit_denominator(12)
    return f if abs(float(f) - x) < 1e-9 else None


def fmt_prob(x: float | Fraction) -> str:
    """A probability for people: small fractions exactly (1/3), others as decimals (0.4142); exact ones as fractions."""
    f = _as_small_fraction(x)
    return _fraction(f) if f is not None else f"{float(x):.4g}"


def fmt_mixed(probs: dict[str, float]) -> str:
    """'defect', or '1/3 cooperate + 2/3 defect'.

    One mixture is written in one style: fractions when every probability in it is a small fraction,
    otherwise decimals throughout (so a numerically traced 0.12500008 beside an exact 1/8 does not
    print as "0.125 a + 1/8 b").
    """
    used = {a: p for a, p in probs.items() if p > 0}
    if len(used) == 1:
        return next(iter(used))
    if all(_as_small_fraction(p) is not None for p in used.values()):
        return " + ".join(f"{fmt_prob(p)} {a}" for a, p in used.items())
    return " + ".join(f"{float(p):.4g} {a}" for a, p in used.items())


def fmt_payoffs(payoffs: dict[str, float]) -> str:
    return "   ".join(f"{p} {fmt_number(v)}" for p, v in payoffs.items())


def _header(sol, n: int, point: int) -> str:
    complete = bool(sol.complete.reshape(-1)[point])
    degenerate = bool(sol.degenerate.reshape(-1)[point])
    count = f"{n} equilibri{'um' if n == 1 else 'a'}"
    selected = sol.concept == "spe" and any(bool(sol.extra.get("selected", np.zeros(0, bool))[e])
                                             for e in sol.rows_at(point))
    if complete:
        flags = ["all of them"]
    elif selected:
        flags = ["one selected where a subgame has several equilibria (see the note), others exist or may exist"]
    elif sol.concept == "spe" and degenerate:
        flags = ["chosen by the tie rules (breaking a tie the other way gives another)"]
    else:
        flags = ["not guaranteed to be all"]
    if degenerate and sol.concept != "spe":
        flags.append("degenerate game")
    return f"{TITLES.get(sol.concept, sol.concept)} ({sol.method}): {count}, {', '.join(flags)}"


def _tree_lines(game, eq) -> list[str]:
    lines = []
    path = " -> ".join(step.replace(":", " ") for step in eq.path or []) or "(starts with chance)"
    if eq.outcome is not None:
        label = game.outcomes[[o.id for o in game.outcomes].index(eq.outcome)].label
        lines.append(f"  Path      {path}  =>  {eq.outcome}" + (f": {label}" if label else ""))
    else:
        dist = ", ".join(f"{o} {fmt_prob(p)}" for o, p in (eq.outcome_probs or {}).items())
        lines.append(f"  Path      {path}  =>  {dist}")
    lines.append(f"  Payoffs   {fmt_payoffs(eq.payoffs)}")
    lines.append("  Strategy  (a choice at every decision, on and off the path)")
    for player, sets in eq.behavior.items():
        if sets:
            choices = "   ".join(f"{infoset}: {fmt_mixed(a)}" for infoset, a in sets.items())
            lines.append(f"    {player:<6} {choices}")
    lines.extend(belief_lines(eq))
    off = [t for t in eq.ties if t.endswith(OFF_PATH)]
    shown = [t for t in eq.ties if not t.endswith(OFF_PATH)] + (off if len(off) <= MAX_OFF_PATH_TIES else [])
    for tie in shown:
        lines.append(f"  Tie       {tie}")
    if len(off) > MAX_OFF_PATH_TIES:
        lines.append(f"  Ties      {len(off):,} tied decisions off the path; --json lists them")
    return lines


def belief_lines(eq) -> list[str]:
    """A perfect Bayesian equilibrium's beliefs (off-path ones with the beliefs that sustain them) and kind."""
    if getattr(eq, "beliefs", None) is None:
        return []
    lines = []
    for infoset, belief in eq.beliefs.items():
        if len(belief) < 2:
            continue
        text = ", ".join(f"{node} {fmt_prob(p)}" for node, p in belief.items())
        held = (eq.belief_sets or {}).get(infoset)
        lines.append(f"    {infoset}: {text}" + (f"   (off the path; sustained by {held})" if held else ""))
    if lines:
        lines.insert(0, "  Beliefs   (the mover's probability of each node of an information set)")
    if eq.classification is not None:
        kind = f"  Kind      {eq.classification}"
        if eq.classification == "pooling" or eq.intuitive_criterion is not None:
            kind += f"; Intuitive Criterion: {_verdict(eq.intuitive_criterion)}; D1: {_verdict(eq.d1)}"
        lines.append(kind)
    return lines


def _verdict(passed: bool | None) -> str:
    return "no unused message to test" if passed is None else ("survives" if passed else "fails")


def _normal_lines(game, eq, k: int) -> list[str]:
    strategies = eq.exact_strategies if eq.exact_strategies is not None else eq.strategies
    strat = " | ".join(f"{p}: {fmt_mixed(a)}" for p, a in strategies.items())
    line = f"  #{k:<3} {strat}"
    tail = f"payoffs {fmt_payoffs(eq.exact_payoffs if eq.exact_payoffs is not None else eq.payoffs)}"
    if eq.outcome:
        tail += f"  ({eq.outcome})"
    lines = [line, f"        {tail}"]
    for tie in eq.ties:
        lines.append(f"        tie: {condense_tie(tie)}")
    return lines


def format_solutions(source, solutions, point: int = 0) -> str:
    """The full text report of a solve: title, players, parameters, each concept's equilibria, warnings."""
    game = source.game
    out = [f"{source.title}  ({source.path})"]
    if source.scenario is not None:
        names = {p.id: p.name for p in source.scenario.players}
        out.append("Players: " + ", ".join(f"{p} ({names[p]})" if names.get(p) not in (None, "", p) else p
                                           for p in game.players))
    else:
        out.append("Players: " + ", ".join(game.players))
    if source.parameters:
        out.append("Parameters: " + ", ".join(f"{k}={fmt_number(v)}" for k, v in source.parameters.items()))
    out.extend(f"Note: {note}" for note in getattr(source, "notes", ()))
    for sol in solutions:
        if sol.concept in ("qre", "ce"):
            from .qre_ce import ce_lines, qre_lines

            out.append("")
            out.extend(qre_lines(sol, point) if sol.concept == "qre" else ce_lines(sol, point))
            continue
        eqs = sol.equilibria_at(point)
        out.append("")
        out.append(_header(sol, len(eqs), point))
        legend = strategy_legend(game) if eqs and eqs[0].behavior is None and hasattr(game, "infosets") else None
        if legend:
            out.append("  " + legend)
        for k, eq in enumerate(eqs, 1):
            if eq.behavior is not None:
                out.extend(_tree_lines(game, eq))
            else:
                out.extend(_normal_lines(game, eq, k))
        notes = [w for w in solution_warnings(sol, point) if ": tie: " not in w]
        for note in notes:
            out.append(f"  Note: {note.split(': ', 1)[1]}")
    out.append("")
    from .qre_ce import verified_lines

    out.extend(verified_lines(solutions))
    solutions = [s for s in solutions if s.concept not in ("qre", "ce")]
    if not solutions:
        return "\n".join(out)
    if solutions and all("exact_strategies" in s.extra and None not in s.extra["exact_strategies"] for s in solutions):
        out.append("Every equilibrium above was verified in exact rational arithmetic: no player gains by deviating.")
    else:
        out.append("Every equilibrium above was verified: no player gains more than the tolerance "
                   f"({fmt_tol(solutions, point)}) by deviating.")
    return "\n".join(out)


def strategy_legend(tree) -> str | None:
    """How to read reduced-normal-form strategy labels such as 'impose/refuse/impose/freeze'
    (None when every player decides once, so a strategy is just an action)."""
    order: dict[str, list[str]] = {p: [] for p in tree.players}
    for player, infoset, _ in tree.infosets():
        order[tree.players[player]].append(infoset)
    parts = [f"{p}: {'/'.join(sets)}" for p, sets in order.items() if len(sets) > 1]
    if not parts:
        return None
    return ("Strategies list choices at: " + "; ".join(parts)
            + " (skipping decisions the player's own earlier choice rules out)")


def fmt_tol(solutions, point: int) -> str:
    tols = [float(s.tol.reshape(-1)[point]) for s in solutions]
    return f"{max(tols):.1e}" if tols else "n/a"
