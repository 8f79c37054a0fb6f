"""Check outcomes and payoff maps (player -> formula), shared by normal forms and game trees."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .model import OutcomeSpec

if TYPE_CHECKING:
    from .checker import Checker


def check_outcomes(c: Checker, path, value, players, known) -> dict[str, OutcomeSpec | None]:
    """Return outcome id -> OutcomeSpec (None where it has problems) for an `outcomes` mapping."""
    out: dict[str, OutcomeSpec | None] = {}
    if c.mapping(path, value, what="a mapping of outcome id -> {label?, payoffs}") is None:
        return out
    for oid, body in value.items():
        p = path + (oid,)
        if c.identifier(p, oid, "outcome id") is None:
            continue
        out[oid] = None
        if c.mapping(p, body, ("payoffs",), ("label",), "a mapping {label?, payoffs}") is None:
            continue
        label = c.text(p + ("label",), body["label"], one_line=True) if "label" in body else ""
        pay = payoff_map(c, p + ("payoffs",), body["payoffs"], players, known) if "payoffs" in body else None
        if pay is not None and label is not None:
            out[oid] = OutcomeSpec(oid, label.strip(), pay, c.line(p))
    return out


def payoff_map(c: Checker, path, value, players, known):
    """Return one payoff formula per player (in player order) from a mapping player -> formula."""
    if c.mapping(path, value, what="a mapping of player -> payoff formula") is None:
        return None
    formulas = {}
    for key, source in value.items():
        f = c.formula(path + (key,), source, known)
        if players is not None and key not in players:
            c.report(path + (key,), f"{key!r} is not a player{c.suggest(key, players)}")
        else:
            formulas[key] = f
    if players is None:
        return None
    missing = [p for p in players if p not in value]
    if missing:
        c.report(path, f"no payoff for {', '.join(missing)}: every player needs exactly one")
        return None
    if any(f is None for f in formulas.values()):
        return None
    return tuple(formulas[p] for p in players)
