"""The JSON document of `negosim solve --json` (the contract of DESIGN.md §6)."""

from __future__ import annotations

import json
import math

from .. import __version__


def clean(x: float) -> float:
    """A float rounded to 12 significant digits, so 0.32749999999999996 prints as 0.3275."""
    if x == 0 or not math.isfinite(x):
        return 0.0 if x == 0 else x
    return float(f"{x:.12g}")


def _probs(d: dict[str, float]) -> dict[str, float]:
    return {k: clean(v) for k, v in d.items()}


def equilibrium_json(eq) -> dict:
    """One labelled `Equilibrium` as a JSON-ready dict."""
    out: dict = {}
    if getattr(eq, "lam", None) is not None:
        out["lambda"] = clean(eq.lam)
        if eq.nash_limit is not None:
            out["nash_limit"] = eq.nash_limit
    if getattr(eq, "objective", None) is not None:
        out["objective"] = eq.objective
        out["distribution"] = _probs(eq.distribution or {})
        if eq.unique is not None:
            out["unique"] = eq.unique
        out["payoffs"] = _probs(eq.payoffs)
        out["marginals"] = {p: _probs(a) for p, a in (eq.strategies or {}).items()}
        out["regret"] = clean(eq.regret)
        return out
    if eq.behavior is not None:
        out["behavior"] = {p: {s: _probs(a) for s, a in sets.items()} for p, sets in eq.behavior.items()}
        out["path"] = list(eq.path or [])
        out["outcome"] = eq.outcome
        if eq.outcome is None and eq.outcome_probs:
            out["outcome_probabilities"] = _probs(eq.outcome_probs)
    elif eq.exact_strategies is not None:  # exact=True: fractions as strings such as "2/5"
        out["strategies"] = {p: {a: _fraction(v) for a, v in acts.items()} for p, acts in eq.exact_strategies.items()}
    else:
        out["strategies"] = {p: _probs(a) for p, a in eq.strategies.items()}
    if eq.exact_payoffs is not None:
        out["payoffs"] = {p: _fraction(v) for p, v in eq.exact_payoffs.items()}
    else:
        out["payoffs"] = _probs(eq.payoffs)
    out.update(pbe_json(eq))
    if getattr(eq, "lam", None) is not None:
        out["regret"] = clean(eq.regret)  # a QRE is not a Nash equilibrium: how far from one it is
    return out


def vertices_json(sol, point: int) -> list[dict]:
    """Every vertex of a 2x2 game's correlated-equilibrium polytope at `point`: distribution and payoffs."""
    from ..solve.views import joint_distribution

    players = sol.game.players
    return [{"distribution": _probs(joint_distribution(sol.game, q)),
             "payoffs": {p: clean(float(v)) for p, v in zip(players, values)}}
            for q, values in sol.extra["vertices"][point]]


def pbe_json(eq) -> dict:
    """The fields a perfect Bayesian equilibrium adds: beliefs, the off-path beliefs that sustain it,
    and for signalling games its kind and (pooling) whether it survives the Intuitive Criterion and D1."""
    out: dict = {}
    if getattr(eq, "beliefs", None) is None:
        return out
    out["beliefs"] = {s: _probs(b) for s, b in eq.beliefs.items()}
    if eq.belief_sets:
        out["supporting_beliefs"] = dict(eq.belief_sets)
    if eq.classification is not None:
        out["classification"] = eq.classification
    if eq.classification == "pooling" or eq.intuitive_criterion is not None:  # a message is left unused
        out["intuitive_criterion"] = eq.intuitive_criterion
        out["d1"] = eq.d1
    return out


def _fraction(f) -> str:
    """A fraction as JSON text: "2/5", "-3", "0"."""
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


def condense_tie(text: str, shown: int = 3) -> str:
    """'US: a = b = c = d = e' -> 'US: 5 tied best responses (a = b = c = ...)'; short ties unchanged."""
    player, sep, rest = text.partition(": ")
    items = rest.split(" = ")
    if not sep or len(items) <= shown:
        return text
    return f"{player}: {len(items)} tied best responses ({' = '.join(items[:shown])} = ...)"


def solution_warnings(solution, point: int = 0) -> list[str]:
    """Human-readable warnings about one solution at one point: ties, degeneracy, incompleteness."""
    warnings = [f"{solution.concept}: {note}" for note in solution.notes]
    eqs = solution.equilibria_at(point)
    for k, eq in enumerate(eqs, 1):
        label = "" if len(eqs) == 1 else f"equilibrium {k}: "
        for tie in eq.ties:
            warnings.append(f"{solution.concept}: tie: {label}{condense_tie(tie)}")
    if bool(solution.degenerate.reshape(-1)[point]) and not any(": tie: " in w or "degenerate" in w for w in warnings):
        warnings.append(f"{solution.concept}: the game is degenerate at these parameter values (tied best responses)")
    return warnings


def solve_document(source, solutions, point: int = 0) -> dict:
    """The whole `solve --json` document for one parameter point."""
    warnings: list[str] = list(getattr(source, "notes", ()))
    sols = []
    for sol in solutions:
        entry = {
            "concept": sol.concept,
            "complete": bool(sol.complete.reshape(-1)[point]),
            "degenerate": bool(sol.degenerate.reshape(-1)[point]),
            "equilibria": [equilibrium_json(eq) for eq in sol.equilibria_at(point)],
        }
        if "exact_strategies" in sol.extra:
            # probabilities and payoffs are exact fractions written as strings; an equilibrium not confirmed
            # exactly (irrational, 3+ players) keeps floats, and then the solution is not all exact
            entry["exact"] = None not in [sol.extra["exact_strategies"][e] for e in sol.rows_at(point)]
        if "vertices" in sol.extra:
            entry["vertices"] = vertices_json(sol, point)
        sols.append(entry)
        warnings.extend(solution_warnings(sol, point))
    return {
        "negosim_version": __version__,
        "source": {"path": source.path, "sha256": source.sha256},
        "players": list(source.game.players),
        "parameters": {k: clean(v) for k, v in source.parameters.items()},
        "solutions": sols,
        "warnings": warnings,
    }


def dumps(document: dict) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False)
