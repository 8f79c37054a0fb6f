"""The concepts ``"qre"`` and ``"ce"`` as `negosim.solve.solve` dispatches them: sizes, defaults, `Solution` objects.

``"qre"`` is the logit quantal response equilibrium on its principal branch (`negosim.solve.qre`):
at the precisions asked (``lambdas``), or, when none are asked, at `DEFAULT_LAMBDAS` below the
branch's Nash limit plus the limit itself. A game tree gets its agent QRE in behaviour strategies.

``"ce"`` is the set of correlated equilibria (`negosim.solve.correlated`), reported by the
welfare-maximising one and, for each player, the one best for that player; a 2x2 game also gets
every vertex of the polytope in ``extra["vertices"]``. A tree is solved on its reduced normal form
when that fits (`policy.normal_form_fits`) and the linear programme is small enough; otherwise the
concept is refused (`refusal`) with the size.

>>> from negosim.game import NormalFormGame
>>> g = NormalFormGame.from_bimatrix([[6, 2], [7, 0]], [[6, 7], [2, 0]],
...                                  actions=(("swerve", "dare"), ("swerve", "dare")))
>>> sol = correlated_solution(g)
>>> [(eq.objective, round(eq.payoffs["P1"], 4)) for eq in sol.equilibria_at(0)]
[('welfare', 5.25), ('P1', 7.0), ('P2', 2.0)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from ..game.normal import NormalFormGame
from ..game.sizes import fmt_count, profile_count
from ..game.tree import GameTree
from .result import Solution
from .tolerance import RTOL, scaled_tol

#: The precisions reported when none are asked: lambda multiplies raw payoffs, so on payoffs of order
#: one these run from nearly uniform play (0.1) to nearly best responses (100). Only those the branch
#: passes before its Nash limit are reported, and then the limit.
DEFAULT_LAMBDAS = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)

#: Largest obedience programme solved: joint profiles times obedience constraints (dense numbers).
MAX_CE_NUMBERS = 5_000_000
#: Largest QRE trace: numbers touched by one evaluation of the QRE equations (profiles or leaves times
#: actions), times the columns of the Jacobian.
MAX_QRE_NUMBERS = 200_000_000


def ce_fits(shape: tuple[int, ...]) -> str | None:
    """None when the correlated-equilibrium programmes of a normal form of this shape can be solved; else why not.

    Parameters
    ----------
    shape : tuple of int
        Strategies per player.

    Returns
    -------
    str or None
        None when the programme holds at most `MAX_CE_NUMBERS` numbers; else the reason.

    Examples
    --------
    >>> ce_fits((2, 2)) is None
    True
    >>> ce_fits((100, 100, 100))[:49]
    'the correlated-equilibrium programme of the 100 x'
    """
    rows = sum(k * (k - 1) for k in shape)
    numbers = profile_count(shape) * max(rows, 1)
    if numbers > MAX_CE_NUMBERS:
        dims = " x ".join(fmt_count(k) for k in shape)
        return (f"the correlated-equilibrium programme of the {dims} normal form has {fmt_count(profile_count(shape))} "
                f"joint profiles and {fmt_count(rows)} obedience constraints ({fmt_count(numbers)} numbers; "
                f"limit {MAX_CE_NUMBERS:,})")
    return None


def refusal(game: NormalFormGame | GameTree, concept: str) -> str | None:
    """None when `concept` ("qre" or "ce") can be computed for `game`; else the one-line reason it cannot.

    Parameters
    ----------
    game : NormalFormGame or GameTree
        The game (a tree's "ce" is on its reduced normal form).
    concept : str
        "qre" or "ce"; any other concept gets None.

    Returns
    -------
    str or None
        None when it can be computed; else the reason.

    Examples
    --------
    >>> from negosim.game import NormalFormGame
    >>> g = NormalFormGame.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> refusal(g, "ce") is None, refusal(g, "qre") is None
    (True, True)
    """
    if concept == "ce":
        if isinstance(game, GameTree):
            from .policy import normal_form_fits, tree_sizes

            sizes = tree_sizes(game)
            why = normal_form_fits(sizes) or ce_fits(sizes.strategies)
        else:
            why = ce_fits(game.shape)
        return None if why is None else f"correlated equilibria not computed: {why}"
    if concept == "qre":
        if isinstance(game, GameTree):
            d = sum(len(game.nodes[nodes[0]].actions) for _, _, nodes in game.infosets())
            cells = sum(1 for node in game.nodes if node.kind == "terminal") * game.n_players
        else:
            d = sum(game.shape)
            cells = profile_count(game.shape) * game.n_players
        if cells * (d + 1) > MAX_QRE_NUMBERS:
            return (f"the logit QRE not computed: each step of the trace evaluates {fmt_count(cells)} payoffs "
                    f"{d + 1} times (limit {MAX_QRE_NUMBERS:,} in all)")
    return None


def qre_solution(game: NormalFormGame | GameTree, lambdas: Sequence[float] | None = None) -> Solution:
    """The logit QRE of `game` at `lambdas`, or (None) at `DEFAULT_LAMBDAS` below the Nash limit plus the limit.

    Parameters
    ----------
    game : NormalFormGame or GameTree
        Any number of players; a tree gets its agent QRE in behaviour strategies.
    lambdas : sequence of float, optional
        Precisions at least 0, multiplying the raw payoffs (McKelvey and Palfrey's and Gambit's
        convention).

    Returns
    -------
    Solution
        Concept ``"qre"``, one row per point and lambda; ``extra["lambda"]`` and, without `lambdas`,
        ``extra["nash_limit"]`` (True for the branch's end). ``complete`` is False where the trace's
        budget ran out (with a note).

    Examples
    --------
    >>> from negosim.game import NormalFormGame
    >>> g = NormalFormGame.from_bimatrix([[2, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> sol = qre_solution(g)
    >>> [round(float(v), 1) for v in sol.extra["lambda"][:3]], bool(sol.extra["nash_limit"][-1])
    ([0.1, 0.3, 1.0], True)
    >>> round(float(sol.strategies[1][-1, 0]), 4)
    0.4
    """
    from .qre import logit_qre

    if lambdas is None:
        sol = logit_qre(game, DEFAULT_LAMBDAS, limit=True)
        note = ("without --lambda: the principal branch at lambda " + ", ".join(f"{v:g}" for v in DEFAULT_LAMBDAS)
                + " (those below its end) and at its Nash limit, where no agent gains more than 1e-8 of the "
                "payoff range by deviating (or lambda reaches 1e6 over the payoff range)")
        return replace(sol, notes=(*sol.notes, note))
    return logit_qre(game, lambdas)


def correlated_solution(game: NormalFormGame, *, rtol: float = RTOL) -> Solution:
    """The welfare-maximising and each player's best correlated equilibrium at every point, as a `Solution`.

    Parameters
    ----------
    game : NormalFormGame
        Any number of players.
    rtol : float
        Obedience may be violated by at most ``rtol`` times the payoff range.

    Returns
    -------
    Solution
        Concept ``"ce"``: per point, one row for the welfare optimum and one per player (the CE best
        for that player). ``strategies`` hold each player's marginal (how often each action is
        recommended); ``extra["objective"]`` is ``"welfare"`` or the player's name;
        ``extra["distribution"]`` the ``(E, *shape)`` joint distribution; ``extra["unique"]``
        whether no other distribution reaches that row's optimum (a note names those that are not);
        ``regret`` the largest gain from disobeying a recommendation. For 2x2 games
        ``extra["vertices"]`` lists, per point, every vertex of the polytope as (distribution,
        payoffs), and ``complete`` is True (the polytope is fully described by its vertices);
        otherwise ``complete`` is False.

    Examples
    --------
    >>> from negosim.game import NormalFormGame
    >>> g = NormalFormGame.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> sol = correlated_solution(g)
    >>> list(sol.extra["objective"]), sol.payoffs[1:].tolist(), bool(sol.complete)
    (['welfare', 'P1', 'P2'], [[2.0, 1.0], [1.0, 2.0]], True)
    """
    from .correlated import correlated_equilibria

    n, shape = game.n_players, game.shape
    vertices = shape == (2, 2)
    per_point = correlated_equilibria(game, rtol=rtol, vertices=vertices)
    point, objective, dist, payoffs, regret, unique = [], [], [], [], [], []
    vertex_lists = []
    for p, found in enumerate(per_point):
        vertex_lists.append([(ce.distribution, ce.payoffs) for ce in found if ce.objective == "vertex"])
        for ce in found:
            if ce.objective == "vertex":
                continue
            point.append(p)
            objective.append("welfare" if ce.objective == "welfare" else ce.objective.removeprefix("best for "))
            dist.append(ce.distribution)
            payoffs.append(ce.payoffs)
            regret.append(ce.regret)
            unique.append(bool(ce.unique))
    D = np.array(dist).reshape(len(point), *shape)
    marginals = tuple(D.sum(axis=tuple(a + 1 for a in range(n) if a != i)) for i in range(n))
    batch = game.batch_shape
    notes = ["the welfare-maximising correlated equilibrium and each player's best (one linear programme each, "
             "HiGHS); the correlated equilibria form a polytope"
             + ("; its vertices are listed" if vertices else ", of which these are selected points")]
    several = sorted({objective[e] for e in range(len(point)) if not unique[e]}, key=objective.index)
    if several:
        what = ", ".join("the welfare optimum" if o == "welfare" else f"the best for {o}" for o in several)
        where = "" if game.batch_size == 1 else " at some parameter points"
        notes.append(f"several correlated equilibria reach {what}{where} (\"unique\": false): the one reported is "
                     "the vertex HiGHS returns, one selection among them")
    extra: dict = {"objective": np.array(objective, dtype=object), "distribution": D,
                   "unique": np.array(unique, dtype=bool)}
    if vertices:
        extra["vertices"] = vertex_lists
    return Solution(concept="ce", method="linear programming (HiGHS)", game=game, batch_shape=batch,
                    point=np.array(point, dtype=np.int64), payoffs=np.array(payoffs).reshape(len(point), n),
                    regret=np.array(regret), tied=np.zeros(len(point), dtype=bool),
                    complete=np.full(batch, vertices), degenerate=np.zeros(batch, dtype=bool),
                    tol=np.asarray(scaled_tol(game.payoff_range(), rtol)).reshape(batch), strategies=marginals,
                    notes=tuple(notes), extra=extra)


def solve_concept(game: NormalFormGame | GameTree, concept: str, *, rtol: float = RTOL,
                  lambdas: Sequence[float] | None = None, exact: bool = False) -> Solution:
    """The "qre" or "ce" solution of `game` (a tree's "ce": on its reduced normal form, noted).

    Parameters
    ----------
    game : NormalFormGame or GameTree
        The game.
    concept : str
        "qre" (`qre_solution`) or anything else for "ce" (`correlated_solution`).
    rtol : float
        Relative tolerance of the correlated equilibria's obedience.
    lambdas : sequence of float, optional
        The QRE's precisions (None: the default ones and the Nash limit).
    exact : bool
        Only adds a note that these concepts are solved in floating point.

    Returns
    -------
    Solution
        Concept "qre" or "ce".

    Examples
    --------
    >>> import negosim as ns
    >>> sol = solve_concept(ns.load("scenarios/entry_deterrence.yaml").build(), "ce")
    >>> sol.concept, sol.notes[-1][:55]
    ('ce', 'solved on the reduced normal form of the game tree (str')
    """
    if concept == "qre":
        sol = qre_solution(game, lambdas)
    else:
        if isinstance(game, GameTree):
            from ..game.reduce import reduced_normal_form
            from . import _with_tree

            sol = _with_tree(correlated_solution(reduced_normal_form(game), rtol=rtol), game)
        else:
            sol = correlated_solution(game, rtol=rtol)
    if exact:
        sol = replace(sol, notes=(*sol.notes, "solved in floating point: exact arithmetic covers pure and nash"))
    return sol


__all__ = ["DEFAULT_LAMBDAS", "ce_fits", "correlated_solution", "qre_solution", "refusal", "solve_concept"]
