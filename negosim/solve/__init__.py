"""Solution concepts: one module per concept, one `Solution` type for all, and `solve` to dispatch.

>>> from negosim.game import NormalFormGame
>>> from negosim.solve import solve
>>> pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]], actions=(("C", "D"), ("C", "D")))
>>> [eq.strategies for eq in solve(pd, "pure")[0].equilibria_at(0)]
[{'P1': {'C': 0.0, 'D': 1.0}, 'P2': {'C': 0.0, 'D': 1.0}}]
"""

from __future__ import annotations

from ..errors import UsageError
from ..game.normal import NormalFormGame
from ..game.tree import GameTree
from .result import CONCEPTS, Equilibrium, Solution
from .ties import TieRules
from .tolerance import RTOL

__all__ = ["CONCEPTS", "Equilibrium", "Solution", "TieRules", "applicable_concepts", "valid_concepts", "solve"]


def applicable_concepts(game) -> tuple[str, ...]:
    """The concepts solved by default for a game: normal form ("pure", "nash"); tree ("spe", "nash")."""
    if isinstance(game, GameTree):
        return ("spe", "nash")
    if isinstance(game, NormalFormGame):
        return ("pure", "nash")
    raise TypeError(f"not a game: {type(game).__name__}")


def valid_concepts(game) -> tuple[str, ...]:
    """Every concept that can be asked for: a tree also has "pure" (on its reduced normal form)."""
    return ("spe", "pbe", "pure", "nash") if isinstance(game, GameTree) else applicable_concepts(game)


def solve(game, concepts=None, *, ties: TieRules = TieRules(), rtol: float = RTOL) -> list[Solution]:
    """Verified solutions of `game` for each concept asked (default: `applicable_concepts(game)`).

    On a `GameTree`, "pure" and "nash" solve its reduced normal form (`negosim.game.reduce`): their
    solutions' game is that normal form, with strategies labelled by the actions they choose
    ("freeze/impose/grant"); ``extra["tree"]`` holds the tree and ``extra["strategy_behavior"]``
    maps each reduced strategy back to {information set: action}.
    Raise `UsageError` for an unknown concept or one that does not apply to the game's form.
    """
    valid = valid_concepts(game)
    if concepts is None:
        concepts = applicable_concepts(game)
    elif isinstance(concepts, str):
        concepts = (concepts,)
    concepts = tuple(concepts)
    for c in concepts:
        if c not in valid:
            form = "a game tree" if isinstance(game, GameTree) else "a normal-form game"
            what = f"unknown concept {c!r}" if c not in CONCEPTS else f"concept {c!r} does not apply to {form}"
            raise UsageError(f"{what}; valid concepts for {form}: {', '.join(valid)}")
    solutions = []
    reduced = None
    for c in concepts:
        if c == "spe":
            from .spe import subgame_perfect

            solutions.append(subgame_perfect(game, ties=ties, rtol=rtol))
            continue
        if c == "pbe":
            from .pbe import perfect_bayesian

            solutions.append(perfect_bayesian(game, rtol=rtol))
            continue
        target = game
        if isinstance(game, GameTree):
            if reduced is None:
                from ..game.reduce import reduced_normal_form

                reduced = reduced_normal_form(game)
            target = reduced
        if c == "pure":
            from .pure import pure_nash

            sol = pure_nash(target, rtol=rtol)
        else:
            from .mixed import nash_equilibria

            sol = nash_equilibria(target, rtol=rtol)
        if target is not game:
            sol = _with_tree(sol, game)
        solutions.append(sol)
    return solutions


def _with_tree(sol: Solution, tree: GameTree) -> Solution:
    """The normal-form solution of a tree, noting the tree and how its strategies map to behaviour."""
    from dataclasses import replace

    from ..game.reduce import strategy_behavior

    note = "solved on the reduced normal form of the game tree (strategies name an action at each relevant decision)"
    extra = {**sol.extra, "tree": tree, "strategy_behavior": strategy_behavior(tree)}
    return replace(sol, notes=(*sol.notes, note), extra=extra)
