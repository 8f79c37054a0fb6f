"""Check the `game` section of a scenario: dispatch to the normal-form, game-tree or bargaining checks."""

from __future__ import annotations

from dataclasses import field
from typing import TYPE_CHECKING

from ..records import dataclass  # (frozen dataclasses made with less compiling: negosim.records)
from .model import NormalSpec, TreeSpec
from .treespec import check_tree_section

if TYPE_CHECKING:
    from .bargainspec import BargainSpec
    from .checker import Checker

FORMS = ("normal", "extensive", "repeated", "bargaining")


@dataclass(frozen=True)
class GameInfo:
    """What the rest of the checks need to know about the game section."""

    form: str
    spec: NormalSpec | TreeSpec | BargainSpec | None  # None when the section has problems
    actions: frozenset[str] | None = None  # every action label (None when unknown)
    prefer: dict[str, tuple[str, ...]] = field(default_factory=dict)  # node id -> its own tie preferences


def check_game(c: Checker, value, path, players: tuple[str, ...] | None,
               known: frozenset[str] | None) -> GameInfo | None:
    """Return what the `game` section describes, reporting every problem to `c`."""
    if c.mapping(path, value, what="a mapping with form: normal, extensive, repeated or bargaining") is None:
        return None
    if "form" not in value:
        c.report(path, "missing required key 'form' (normal, extensive, repeated or bargaining)")
        return None
    form = value["form"]
    if form not in FORMS:
        c.report(path + ("form",),
                 f"form must be 'normal', 'extensive', 'repeated' or 'bargaining', got {form!r}"
                 f"{c.suggest(str(form), FORMS)}")
        return None
    before = len(c.problems)
    # Each form's checks are imported for its own scenarios: loading a tree imports neither the bargaining
    # models (nor `negosim.bargain`) nor the normal-form and repeated-game checks.
    if form == "bargaining":
        from .bargainspec import check_bargaining_section

        bargain = check_bargaining_section(c, value, path, players, known)
        return GameInfo(form, bargain if len(c.problems) == before else None, frozenset())
    prefer: dict[str, tuple[str, ...]]
    if form == "normal":
        from .normalspec import check_normal_section

        spec, actions = check_normal_section(c, value, path, players, known)
        prefer = {}
    elif form == "repeated":
        from .repeatedspec import check_repeated_section

        spec, actions = check_repeated_section(c, value, path, players, known)
        prefer = {}
    else:
        spec, actions, prefer = check_tree_section(c, value, path, players, known)
    if len(c.problems) > before:
        spec = None
    return GameInfo(form, spec, actions, prefer)
