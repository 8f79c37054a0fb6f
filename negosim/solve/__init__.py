"""Solution concepts: one module per concept, one `Solution` type for all, and `solve` to dispatch.

>>> from negosim.game import NormalFormGame
>>> from negosim.solve import solve
>>> pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]], actions=(("C", "D"), ("C", "D")))
>>> [eq.strategies for eq in solve(pd, "pure")[0].equilibria_at(0)]
[{'P1': {'C': 0.0, 'D': 1.0}, 'P2': {'C': 0.0, 'D': 1.0}}]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..game.normal import NormalFormGame
from ..game.ties import TieRules
from ..game.tree import GameTree
from ..lazy import lazy_exports
from .tolerance import RTOL

if TYPE_CHECKING:
    from .result import CONCEPTS, Equilibrium, Solution

# The result types load on first use: a sweep's compiled tree program (negosim.scenario.compiled)
# imports this package's modules without ever making a `Solution`.
__getattr__, __dir__ = lazy_exports(__name__, {name: ".result" for name in ("CONCEPTS", "Equilibrium", "Solution")})

__all__ = ["CONCEPTS", "Equilibrium", "Solution", "TieRules", "applicable_concepts", "valid_concepts", "solve"]


def applicable_concepts(game: NormalFormGame | GameTree) -> tuple[str, ...]:
    """The concepts solved by default for a game, by form and size (`policy.plan`).

    Parameters
    ----------
    game : NormalFormGame or GameTree

    Returns
    -------
    tuple of str
        Normal form: ``("pure", "nash")``; tree: ``("spe", "nash")``, with ``"pbe"`` between them
        for a tree with information sets, leaving out what would not fit.

    Raises
    ------
    TypeError
        For anything but a game.

    Examples
    --------
    >>> import negosim as ns
    >>> from negosim.solve import applicable_concepts
    >>> applicable_concepts(ns.load("scenarios/entry_deterrence.yaml").build())
    ('spe', 'nash')
    """
    if not isinstance(game, (GameTree, NormalFormGame)):
        raise TypeError(f"not a game: {type(game).__name__}")
    from .policy import plan

    return plan(game).run


def valid_concepts(game: NormalFormGame | GameTree) -> tuple[str, ...]:
    """Every concept that can be asked for: a tree also has "pure" (on its reduced normal form).

    Parameters
    ----------
    game : NormalFormGame or GameTree

    Returns
    -------
    tuple of str
        The concepts `solve` accepts for the game's form.

    Raises
    ------
    TypeError
        For anything but a game.

    Examples
    --------
    >>> import negosim as ns
    >>> from negosim.solve import valid_concepts
    >>> valid_concepts(ns.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]]))
    ('pure', 'nash', 'qre', 'ce')
    """
    if isinstance(game, GameTree):
        return ("spe", "pbe", "pure", "nash", "qre", "ce")
    if isinstance(game, NormalFormGame):
        return ("pure", "nash", "qre", "ce")
    raise TypeError(f"not a game: {type(game).__name__}")


def solve(game: NormalFormGame | GameTree, concepts: str | Sequence[str] | None = None, *,
          ties: TieRules | None = None, rtol: float = RTOL, exact: bool = False,
          lambdas: Sequence[float] | None = None, method: str | None = None) -> list[Solution]:
    """Verified solutions of `game` for each concept asked (default: what `policy.plan` says fits).

    On a `GameTree`, "pure" and "nash" solve its reduced normal form (`negosim.game.reduce`) when
    that form and the enumeration on it are small enough: their solutions' game is that normal
    form, with strategies labelled by the actions they choose ("freeze/impose/grant");
    ``extra["tree"]`` holds the tree and ``extra["strategy_behavior"]`` maps each reduced strategy
    back to {information set: action}. A 2-player tree too large for that gets "nash" on its
    sequence form (`seqnash`): one equilibrium in behaviour strategies, on the tree itself.
    The default run leaves out what does not fit, with a note on the first solution saying what was
    skipped, its size and the flag that asks for it.
    `ties` overrides the game's own tie rules (`game.ties`, the scenario's), which apply by default.
    With ``exact=True``, "pure" and "nash" are solved in rational arithmetic (`rational`): each
    equilibrium also carries its strategies and payoffs as fractions (`Equilibrium.exact_strategies`,
    `Equilibrium.exact_payoffs`); "spe" stays in floating point and says so in its notes.
    "qre" and "ce" (never in the default run) are solved by `qre_ce.solve_concept`: the logit QRE at
    `lambdas` (default: a documented set and the branch's Nash limit), the correlated equilibria by
    linear programming (a tree's on its reduced normal form).
    "nash" on a 2-player normal form too large to enumerate (`policy.nash_method`), or on any 2-player
    game with ``method="lemke"``, is solved by Lemke-Howson from every starting label
    (`lemke_howson.lemke_howson`): the equilibria its paths reach, verified, ``complete`` False.

    Parameters
    ----------
    game : NormalFormGame or GameTree
        The game, batched over parameter points or not.
    concepts : str or sequence of str, optional
        ``"spe"``, ``"pbe"``, ``"pure"``, ``"nash"``, ``"qre"``, ``"ce"`` (see `valid_concepts`);
        default: what fits (never "qre" or "ce").
    ties : TieRules, optional
        Tie rules to use instead of the game's own.
    rtol : float
        Relative tolerance for ties and verification, scaled to the payoff range.
    exact : bool
        Solve "pure" and "nash" in rational arithmetic.
    lambdas : sequence of float, optional
        Precisions of the logit QRE ("qre" only).
    method : str, optional
        ``"lemke"``: "nash" of a 2-player game by Lemke-Howson.

    Returns
    -------
    list of Solution
        One per concept, in the order asked.

    Raises
    ------
    NegosimUsageError
        For an unknown concept or one that does not apply to the game's form.
    TooLargeError
        For an asked concept too large for every method negosim has (`negosim.solve.policy`).

    Examples
    --------
    >>> import negosim as ns
    >>> from negosim.solve import solve
    >>> tree = ns.load("scenarios/entry_deterrence.yaml").build()
    >>> [s.concept for s in solve(tree)]
    ['spe', 'nash']
    >>> (spe,) = solve(tree, "spe")
    >>> spe.outcomes().tolist()
    ['shared_market']
    """
    if concepts == "nash" and method is None and not exact and type(game) is NormalFormGame:
        shape = game.payoffs.shape
        if len(shape) == 3 and shape[0] == 2 and shape[1] * shape[2] <= 64 and len(game.players) == 2:
            # one small 2-player game (the fixed cost of a notebook, `explain`, the classroom): always enumerated
            # (`policy.nash_method` says "normal form", `refusal` None), so straight to the enumeration
            return [_vertex_enumeration()(game, rtol=rtol)]
    from .policy import TooLargeError, nash_method, plan, refusal

    if method not in (None, "lemke"):
        raise UsageError(f"unknown method {method!r}; the one method that can be asked for is 'lemke' (Lemke-Howson)")
    if method == "lemke" and (exact or game.n_players != 2):
        unsupported = "exact arithmetic" if exact else f"a {game.n_players}-player game"
        raise UsageError(f"method 'lemke' (Lemke-Howson) solves 2-player games in floating point, not {unsupported}")
    valid = valid_concepts(game)
    skipped: tuple = ()
    if concepts is None:
        chosen = plan(game)
        concepts, skipped = chosen.run, chosen.skipped
    elif isinstance(concepts, str):
        concepts = (concepts,)
    concepts = tuple(concepts)
    from .result import CONCEPTS

    for c in concepts:
        if c not in valid:
            form = "a game tree" if isinstance(game, GameTree) else "a normal-form game"
            what = f"unknown concept {c!r}" if c not in CONCEPTS else f"concept {c!r} does not apply to {form}"
            raise UsageError(f"{what}; valid concepts for {form}: {', '.join(valid)}")
    for c in concepts:
        why = refusal(game, c)
        if why:
            raise TooLargeError(why)
    solutions = []
    reduced = None
    for c in concepts:
        if c in ("spe", "pbe") and not isinstance(game, GameTree):  # valid_concepts let only trees ask for them
            raise AssertionError(f"{c} asked of a {type(game).__name__}")
        if c == "spe" and isinstance(game, GameTree):
            from .spe import subgame_perfect

            sol = subgame_perfect(game, ties=ties, rtol=rtol)
            if exact:
                from dataclasses import replace

                note = "solved in floating point: exact arithmetic covers pure and nash"
                sol = replace(sol, notes=(*sol.notes, note))
            solutions.append(sol)
            continue
        if c == "nash" and isinstance(game, GameTree) and nash_method(game)[0] == "sequence form":
            from .seqnash import sequence_form_nash

            solutions.append(sequence_form_nash(game, rtol=rtol))
            continue
        if c in ("qre", "ce"):
            from .qre_ce import solve_concept

            solutions.append(solve_concept(game, c, rtol=rtol, lambdas=lambdas, exact=exact))
            continue
        if c == "pbe" and isinstance(game, GameTree):
            from .pbe import perfect_bayesian

            solutions.append(perfect_bayesian(game, rtol=rtol))
            continue
        if isinstance(game, GameTree):
            if reduced is None:
                from ..game.reduce import reduced_normal_form

                reduced = reduced_normal_form(game)
            target = reduced
        else:
            target = game
        if c == "pure" and exact:
            from .rational import exact_pure_nash

            sol = exact_pure_nash(target, rtol=rtol)
        elif c == "pure":
            from .pure import pure_nash

            sol = pure_nash(target, rtol=rtol)
        elif method == "lemke" or (target is game and nash_method(game)[0] == "lemke-howson"):
            from .lemke_howson import lemke_howson

            sol = lemke_howson(target, rtol=rtol)
        else:
            from .mixed import nash_equilibria

            sol = nash_equilibria(target, rtol=rtol, exact=exact)
        if isinstance(game, GameTree):
            sol = _with_tree(sol, game)
        solutions.append(sol)
    if skipped and solutions:
        from dataclasses import replace

        solutions[0] = replace(solutions[0], notes=(*solutions[0].notes, *(s.note for s in skipped)))
    return solutions


def _with_tree(sol: Solution, tree: GameTree) -> Solution:
    """The normal-form solution of a tree, noting the tree and how its strategies map to behaviour."""
    from dataclasses import replace

    from ..game.reduce import strategy_behavior

    note = "solved on the reduced normal form of the game tree (strategies name an action at each relevant decision)"
    extra = {**sol.extra, "tree": tree, "strategy_behavior": strategy_behavior(tree)}
    return replace(sol, notes=(*sol.notes, note), extra=extra)


@cache
def _vertex_enumeration() -> Callable[..., Solution]:
    """`vertex.vertex_enumeration`, imported on the first small game (an import statement in `solve` costs
    about a microsecond per call, a tenth of solving a 2x2 game)."""
    from .vertex import vertex_enumeration

    return vertex_enumeration
