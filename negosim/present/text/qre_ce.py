"""Terminal text of the "qre" and "ce" concepts in `negosim solve`: precisions and mediated recommendations.

A QRE is not a Nash equilibrium, and a correlated equilibrium is a distribution over joint profiles,
not a profile of mixtures, so both get their own lines rather than the Nash table's.
"""

from __future__ import annotations

from ...io.jsonout import solution_warnings
from . import fmt_mixed, fmt_number, fmt_payoffs, fmt_prob

TITLES = {"qre": "Logit quantal response equilibria", "ce": "Correlated equilibria"}


def _lambda(v: float) -> str:
    return f"{v:.4g}" if v < 1e4 else f"{v:.3g}"


def qre_lines(sol, point: int) -> list[str]:
    """One block per precision: lambda, each player's mixture (or behaviour), payoffs; the Nash limit marked."""
    eqs = sol.equilibria_at(point)
    complete = bool(sol.complete.reshape(-1)[point])
    how = "the principal branch" + ("" if complete else ", not followed to the end within the budget")
    lines = [f"{TITLES['qre']} ({sol.method}): {len(eqs)} precision{'s' * (len(eqs) != 1)} on {how}"]
    for eq in eqs:
        if eq.nash_limit:
            head = f"  Nash limit (lambda {_lambda(eq.lam or 0.0)}, largest gain from deviating {eq.regret:.1e})"
        else:
            head = f"  lambda {_lambda(eq.lam or 0.0)}"
        if eq.behavior is None:
            strat = " | ".join(f"{p}: {fmt_mixed(a)}" for p, a in eq.strategies.items())
            lines.append(f"{head}: {strat}")
        else:
            lines.append(f"{head}:")
            for player, sets in eq.behavior.items():
                if sets:
                    choices = "   ".join(f"{s}: {fmt_mixed(a)}" for s, a in sets.items())
                    lines.append(f"    {player:<6} {choices}")
        lines.append(f"        payoffs {fmt_payoffs(eq.payoffs)}")
    return lines + _notes(sol, point)


def ce_lines(sol, point: int) -> list[str]:
    """The welfare optimum and each player's best correlated equilibrium; a 2x2 game's polytope vertices."""
    eqs = sol.equilibria_at(point)
    lines = [f"{TITLES['ce']} ({sol.method}): the welfare optimum and each player's best "
             "(distributions over joint profiles a mediator recommends from)"]
    names = ["welfare" if eq.objective == "welfare" else f"best for {eq.objective}" for eq in eqs]
    width = max((len(n) for n in names), default=0) + 1
    for what, eq in zip(names, eqs):
        lines.append(f"  {what:<{width}} {fmt_distribution(eq.distribution or {})}")
        lines.append(f"  {'':<{width}} payoffs {fmt_payoffs(eq.payoffs)}")
    vertices = sol.extra.get("vertices")
    if vertices is not None:
        here = vertices[point]
        lines.append(f"  The polytope of correlated equilibria has {len(here)} vertices:")
        from ...solve.views import joint_distribution

        for q, values in here:
            pay = "   ".join(f"{p} {fmt_number(float(v))}" for p, v in zip(sol.game.players, values))
            lines.append(f"    {fmt_distribution(joint_distribution(sol.game, q))}   payoffs {pay}")
    return lines + _notes(sol, point)


def fmt_distribution(distribution: dict[str, float]) -> str:
    """'1/2 swerve/swerve + 1/4 swerve/dare + 1/4 dare/swerve' (a certain profile alone)."""
    if len(distribution) == 1:
        return next(iter(distribution))
    return " + ".join(f"{fmt_prob(q)} {k}" for k, q in distribution.items())


def _notes(sol, point: int) -> list[str]:
    return [f"  Note: {w.split(': ', 1)[1]}" for w in solution_warnings(sol, point) if ": tie: " not in w]


def verified_lines(solutions) -> list[str]:
    """What was verified for qre and ce (the Nash footer does not apply to them)."""
    concepts = {s.concept for s in solutions}
    out = []
    if "qre" in concepts:
        out.append("Each QRE above was checked to be every agent's logit response to the others (within 1e-8); "
                   "a QRE is not a Nash equilibrium except at its limit.")
    if "ce" in concepts:
        out.append("Each correlated equilibrium above was checked for obedience: no player gains more than the "
                   "tolerance by disobeying a recommendation.")
    return out
