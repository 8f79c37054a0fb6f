"""Check a repeated-game `game` section (``form: repeated``) and compile it into a `RepeatedSpec`.

The stage game is written exactly as a normal form is (`actions`, `payoffs`, optional `outcomes`);
four keys say how it is repeated, each a formula of the scenario's parameters:

- ``discount`` (required): the discount factor per period (one 30-day window), in (0, 1);
- ``detection`` (default 1): the probability that a violation is detected, in (0, 1];
- ``extension`` (default 1): the probability that both consent to extend after each window, in (0, 1];
- ``cooperative`` (optional): the profile the agreement prescribes, as a mapping player -> action.

The values are range-checked at the baseline (`repeated_value_problems`) and at every point where a
repeated analysis evaluates them (`repeated_values`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import FormulaError, Problem, ScenarioError
from .model import RepeatedSpec
from .normalspec import check_normal_section

if TYPE_CHECKING:
    from .checker import Checker
    from .model import Scenario

#: The keys a repeated game adds to a normal form's.
REPEATED_KEYS = ("discount", "detection", "extension", "cooperative")
#: Each value's name in messages, and whether its lower end is open (delta, q and rho must be positive).
_RANGES = {"discount": ("the discount factor", True, False), "detection": ("the detection probability", True, True),
           "extension": ("the probability of extension", True, True)}


def check_repeated_section(c: Checker, g: dict, path, players, known) -> tuple[RepeatedSpec | None, Any]:
    """Return (RepeatedSpec or None, every action label or None), reporting every problem to `c`."""
    stage = {k: v for k, v in g.items() if k not in REPEATED_KEYS}
    spec, labels = check_normal_section(c, stage, path, players, known)
    if "discount" not in g:
        c.report(path, "missing required key 'discount' (the discount factor per period, a formula such as 'delta')")
    formulas = {key: c.formula(path + (key,), g[key], known) for key in ("discount", "detection", "extension")
                if key in g}
    cooperative = _cooperative(c, path + ("cooperative",), g["cooperative"], spec, players) if "cooperative" in g \
        else None
    if spec is None or "discount" not in g or any(f is None for f in formulas.values()) or (
            "cooperative" in g and cooperative is None):
        return None, labels
    lines = {key: c.line(path + (key,)) for key in REPEATED_KEYS if key in g}
    return RepeatedSpec(spec.actions, spec.outcomes, spec.cell_outcome, spec.cell_ids,
                        discount=formulas["discount"], detection=formulas.get("detection"),
                        extension=formulas.get("extension"), cooperative=cooperative, lines=lines), labels


def _cooperative(c: Checker, path, value, spec, players) -> tuple[int, ...] | None:
    if c.mapping(path, value, what="a mapping player -> action (the profile the agreement prescribes)") is None:
        return None
    if spec is None or players is None:
        return None
    out = []
    for player, acts in zip(players, spec.actions):
        if player not in value:
            c.report(path, f"no action for {player}: name every player's action in the cooperative profile")
            return None
        action = value[player]
        if action not in acts:
            c.report(path + (player,), f"{action!r} is not an action of {player}{c.suggest(str(action), acts)}")
            return None
        out.append(acts.index(action))
    for key in value:
        if key not in players:
            c.report(path + (key,), f"{key!r} is not a player{c.suggest(str(key), players)}")
            return None
    return tuple(out)


def repeated_values(scenario: Scenario, env: Mapping[str, np.ndarray], batch: tuple[int, ...]
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (discount, detection, extension) as arrays of shape `batch`, each checked against its range.

    Raises ScenarioError at the key's line, naming the first offending point.
    """
    spec = scenario.game
    assert isinstance(spec, RepeatedSpec)
    out = []
    for key in ("discount", "detection", "extension"):
        formula = getattr(spec, key)
        value = np.ones(batch) if formula is None else np.broadcast_to(formula.evaluate(env), batch).astype(float)
        what, open_low, closed_high = _RANGES[key]
        bad = ~((value > 0) & ((value <= 1) if closed_high else (value < 1)))
        if bad.any():
            shown = float(value.reshape(-1)[int(np.argmax(bad.reshape(-1)))])
            interval = "(0, 1]" if closed_high else "(0, 1)"
            raise ScenarioError(Problem(f"{what} must lie in {interval}; it is {shown:.6g}"
                                        + (f" at {int(bad.sum())} of {bad.size} points" if batch else ""),
                                        file=scenario.path, line=spec.lines.get(key), path=f"game.{key}"))
        out.append(value)
    return out[0], out[1], out[2]


def repeated_value_problems(scenario: Scenario) -> list[Problem]:
    """The problems of a repeated scenario's discount, detection and extension at the baseline values."""
    try:
        repeated_values(scenario, scenario.evaluate(), ())
    except (ScenarioError, FormulaError) as error:
        return list(error.problems)
    return []
