"""Check the `game` section of a scenario: dispatch to the normal-form or game-tree checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .model import NormalSpec, TreeSpec
from .normalspec import check_normal_section
from .treespec import check_tree_section

if TYPE_CHECKING:
    from .checker import Checker

FORMS = ("normal", "extensive")


@dataclass(frozen=True)
class GameInfo:
    """What the rest of the checks need to know about the game section."""

    form: str
    spec: NormalSpec | TreeSpec | None  # None when the section has problems
    actions: frozenset[str] | None = None  # every action label (None when unknown)
    prefer: dict[str, tuple[str, ...]] = field(default_factory=dict)  # node id -> its own tie preferences


def check_game(c: Checker, value, path, players: tuple[str, ...] | None,
               known: frozenset[str] | None) -> GameInfo | None:
    """Return what the `game` section describes, reporting every problem to `c`."""
    if c.mapping(path, value, what="a mapping with form: normal or extensive") is None:
        return None
    if "form" not in value:
        c.report(path, "missing required key 'form' (normal or extensive)")
        return None
    form = value["form"]
    if form not in FORMS:
        c.report(path + ("form",), f"form must be 'normal' or 'extensive', got {form!r}{c.suggest(str(form), FORMS)}")
        return None
    before = len(c.problems)
    if form == "normal":
        spec, actions = check_normal_section(c, value, path, players, known)
        prefer = {}
    else:
        spec, actions, prefer = check_tree_section(c, value, path, players, known)
    if len(c.problems) > before:
        spec = None
    return GameInfo(form, spec, actions, prefer)
