"""The primary answer: which concept answers for a game, and how a solution becomes outcome labels.

Every place that shows *the* answer of a game (sweep tables and their regimes, boundaries, the
handout's sweep section, explanations, figures, the CLI's conversions, the Python front door) asks
this module, so they cannot disagree.

- **Which concept.** A game tree: the subgame-perfect equilibrium (``"spe"``; unique under the game's
  tie rules, which `GameTree.ties` carries). A 2-player normal form: every Nash equilibrium
  (``"nash"``: vertex enumeration, complete). A normal form of 3+ players small enough for the
  enumeration of all its equilibria (`policy.nplayer_nash_method`): every Nash equilibrium too. Any
  other normal form: the pure equilibria (``"pure"``: one traced equilibrium of a large game is not an
  answer to sweep, and a 1-player game's answer is its best actions).
- **Outcome of an equilibrium** (one per solution row, `equilibrium_outcomes`): a tree's outcome id,
  or the ids reached with positive probability joined by " + " where chance mixes; a normal form's
  outcome id of a pure profile (or its "(a, b)" name when the game names no outcomes), and
  ``"mixed"`` for a mixed equilibrium.
- **Outcome label of a point** (the regime, `outcome_labels`): a tree's equilibrium outcome as above,
  ``"no equilibrium found"`` where a simultaneous subgame of 3+ players has no pure equilibrium; a
  normal form's *set* of pure equilibria, each "(a1, a2, ...)", joined by " + " in profile order, or
  ``"mixed only"`` when there is none. Mixed equilibria move continuously with the payoffs, so they do
  not define regimes.

Examples
--------
>>> from negosim.game import NormalFormGame
>>> pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]], actions=(("C", "D"), ("C", "D")))
>>> primary_concept(pd)
'nash'
>>> str(outcome_labels(pd))
'(D, D)'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..game.normal import NormalFormGame
from ..game.profiles import profile_names
from ..game.tree import GameTree
from .tolerance import RTOL

if TYPE_CHECKING:  # (a sweep's compiled tree program makes no Solution: the module loads where one is made)
    from .result import Solution

NO_PURE = "mixed only"
NO_EQUILIBRIUM = "no equilibrium found"
MIXED = "mixed"
#: An outcome counts as reached when the equilibrium play reaches it with more than this probability.
REACHED = 1e-12
#: A normal-form equilibrium row is pure when every player's largest probability exceeds 1 - this.
PURE_TOL = 1e-9


def primary_concept(game: NormalFormGame | GameTree) -> str:
    """Return the concept whose equilibria are the game's primary answer.

    Parameters
    ----------
    game : NormalFormGame or GameTree

    Returns
    -------
    str
        ``"spe"`` for a tree, ``"nash"`` for a normal form of 2 players or of 3+ players whose
        equilibria are all enumerated, ``"pure"`` for any other.

    Raises
    ------
    TypeError
        If `game` is not a negosim game.

    Examples
    --------
    >>> from negosim.game.generate import random_game
    >>> primary_concept(random_game((2, 2, 2), rng=1)), primary_concept(random_game((9, 9, 9, 9), rng=1))
    ('nash', 'pure')
    """
    if isinstance(game, GameTree):
        return "spe"
    if isinstance(game, NormalFormGame):
        if game.n_players > 2:
            from .policy import nplayer_nash_method

            return "nash" if nplayer_nash_method(game.shape)[0] == "all" else "pure"
        return "nash" if game.n_players == 2 else "pure"
    raise TypeError(f"not a game: {type(game).__name__}")


def primary_solution(game: NormalFormGame | GameTree, *, rtol: float = RTOL) -> Solution:
    """Return the verified solution of `primary_concept(game)` over the game's whole batch.

    Parameters
    ----------
    game : NormalFormGame or GameTree
        A tree is solved under its own tie rules (`GameTree.ties`).
    rtol : float
        Relative tolerance for ties and verification, scaled to the payoff range.

    Returns
    -------
    Solution

    Examples
    --------
    >>> from negosim.game import NormalFormGame
    >>> mp = NormalFormGame.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> sol = primary_solution(mp)
    >>> sol.concept, [s[0].tolist() for s in sol.strategies]
    ('nash', [[0.5, 0.5], [0.5, 0.5]])
    """
    concept = primary_concept(game)
    if concept == "spe":
        from .spe import subgame_perfect

        return subgame_perfect(game, rtol=rtol)  # type: ignore[arg-type]
    if concept == "nash":
        from .mixed import nash_equilibria

        return nash_equilibria(game, rtol=rtol)  # type: ignore[arg-type]
    from .pure import pure_nash

    return pure_nash(game, rtol=rtol)  # type: ignore[arg-type]


def equilibrium_outcomes(solution: Solution) -> np.ndarray:
    """Return the outcome of every equilibrium row of a solution (object array, shape ``(E,)``).

    A tree's row: the outcome id, or the ids reached with positive probability joined by " + ".
    A normal form's row: the outcome id of a pure profile (its "(a, b)" name when the game names no
    outcomes) and ``"mixed"`` for a mixed equilibrium.

    Parameters
    ----------
    solution : Solution

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> from negosim.game import NormalFormGame
    >>> bos = NormalFormGame.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]], actions=(("O", "F"), ("O", "F")))
    >>> equilibrium_outcomes(primary_solution(bos)).tolist()
    ['(O, O)', 'mixed', '(F, F)']
    """
    game = solution.game
    if isinstance(game, GameTree):
        texts, codes = reached_codes(solution)
        return np.array([str(t) for t in texts] + [""], dtype=object)[:-1][codes]
    if game.outcomes is not None:
        names = np.asarray(game.outcomes, dtype=object).reshape(-1)
    else:
        names = np.array(profile_names(game) + [""], dtype=object)[:-1]
    if len(solution.point) == 0:
        return np.array([], dtype=object)
    strategies = solution.strategies
    pure = np.all([s.max(axis=1) > 1 - PURE_TOL for s in strategies], axis=0)
    idx = np.ravel_multi_index(tuple(s.argmax(axis=1) for s in strategies), game.shape)
    return np.where(pure, names[idx], MIXED).astype(object)


def reached_codes(solution: Solution) -> tuple[np.ndarray, np.ndarray]:
    """A tree solution's row outcomes as (sorted distinct texts, each row's index into them).

    The compact form of `equilibrium_outcomes` for a tree, which a million-row sweep joins cheaply.

    Parameters
    ----------
    solution : Solution
        A tree's solution.

    Returns
    -------
    texts : numpy.ndarray
        The distinct outcome texts, sorted.
    codes : numpy.ndarray
        ``(E,)`` int32 index of each equilibrium's text.

    Examples
    --------
    >>> import negosim as ns
    >>> tree = ns.load("scenarios/entry_deterrence.yaml").build({"rep": [0.0, 3.0]})
    >>> texts, codes = reached_codes(ns.equilibria(tree, "spe"))
    >>> texts.tolist(), codes.tolist()
    (['shared_market', 'stay_out'], [0, 1])
    """
    tree = solution.game
    assert isinstance(tree, GameTree)
    return joined_codes(solution.outcome_probs > REACHED, [o.id for o in tree.outcomes], NO_EQUILIBRIUM)


def outcome_labels(game: NormalFormGame | GameTree, *, solution: Solution | None = None,
                   rtol: float = RTOL) -> np.ndarray:
    """Return the outcome label (the regime) of every batch point of a game.

    Parameters
    ----------
    game : NormalFormGame or GameTree
    solution : Solution, optional
        A tree's subgame-perfect solution already computed (reused, not recomputed). A normal form's
        labels are its pure equilibria, found by `pure_profiles` whatever `solution` holds.
    rtol : float
        Relative tolerance for ties and verification.

    Returns
    -------
    numpy.ndarray
        Object array of shape `game.batch_shape` (see the module docstring for the labels).

    Examples
    --------
    >>> from negosim.game import NormalFormGame
    >>> mp = NormalFormGame.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> str(outcome_labels(mp))
    'mixed only'
    """
    if isinstance(game, NormalFormGame):
        present = pure_profiles(game, rtol)
        return joined_labels(present, profile_names(game), NO_PURE).reshape(game.batch_shape)
    sol = solution if solution is not None else primary_solution(game, rtol=rtol)
    present = np.zeros((game.batch_size, len(game.outcomes)), dtype=bool)
    present[sol.point] = sol.outcome_probs > REACHED
    return joined_labels(present, [o.id for o in game.outcomes], NO_EQUILIBRIUM).reshape(game.batch_shape)


def pure_profiles(game: NormalFormGame, rtol: float = RTOL) -> np.ndarray:
    """Return which pure profiles are equilibria at each point: bool ``(batch_size, n_profiles)``.

    Parameters
    ----------
    game : NormalFormGame
    rtol : float
        Relative tolerance of the best-response test.

    Returns
    -------
    numpy.ndarray
        ``(batch_size, n_profiles)`` bool, profiles in `negosim.game.profiles` order.

    Examples
    --------
    >>> import negosim as ns
    >>> pd = ns.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> pure_profiles(pd).tolist()
    [[False, False, False, True]]
"""
    from .pure import pure_nash

    sol = pure_nash(game, rtol=rtol)
    present = np.zeros((game.batch_size, int(np.prod(game.shape))), dtype=bool)
    if len(sol.point):
        idx = np.ravel_multi_index(tuple(s.argmax(axis=1) for s in sol.strategies), game.shape)
        present[sol.point, idx] = True
    return present


def joined_labels(present: np.ndarray, names: list[str], empty: str) -> np.ndarray:
    """Per row of a bool matrix, the names of its True columns joined by " + " (`empty` if none).

    Each distinct row is joined once, so a million rows cost a few string joins.

    Parameters
    ----------
    present : numpy.ndarray
        ``(rows, len(names))`` bool.
    names : list of str
        One name per column.
    empty : str
        The text of a row with no True column.

    Returns
    -------
    numpy.ndarray
        ``(rows,)`` object array of texts.

    Examples
    --------
    >>> [str(x) for x in joined_labels(np.array([[True, True], [False, False]]), ["a", "b"], "none")]
    ['a + b', 'none']
    """
    texts, codes = joined_codes(present, names, empty)
    return np.array(list(texts) + [""], dtype=object)[:-1][codes]


def joined_codes(present: np.ndarray, names: list[str], empty: str) -> tuple[np.ndarray, np.ndarray]:
    """`joined_labels` as (sorted distinct texts (str array), each row's index into them (int32)).

    Parameters
    ----------
    present : numpy.ndarray
        ``(rows, len(names))`` bool.
    names : list of str
        One name per column.
    empty : str
        The text of a row with no True column.

    Returns
    -------
    texts : numpy.ndarray
        The distinct texts, sorted.
    codes : numpy.ndarray
        ``(rows,)`` int32 index of each row's text.

    Examples
    --------
    >>> import numpy as np
    >>> texts, codes = joined_codes(np.array([[True, True], [False, False], [True, True]]), ["a", "b"], "none")
    >>> texts.tolist(), codes.tolist()
    (['a + b', 'none'], [0, 1, 0])
"""
    present = np.asarray(present, dtype=bool)
    if len(present) == 0:
        return np.array([], dtype=str), np.array([], dtype=np.int32)
    if present.shape[1] <= 62:  # one integer per row: a 1-D unique is far faster than unique(axis=0)
        key = present.astype(np.int64) @ (np.int64(1) << np.arange(present.shape[1], dtype=np.int64))
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        rows = present[first]
    else:
        rows, inverse = _distinct_rows(present)
    texts = np.array([" + ".join(names[j] for j in np.flatnonzero(r)) or empty for r in rows])
    order = np.argsort(texts, kind="stable")  # distinct rows can give one text only if names repeat
    sorted_texts, rank = np.unique(texts[order], return_inverse=True)
    remap = np.empty(len(texts), dtype=np.int32)
    remap[order] = rank
    return sorted_texts, remap[np.asarray(inverse).reshape(-1)]


def _distinct_rows(present: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`np.unique(present, axis=0, return_inverse=True)` up to the order of the distinct rows, fast where
    most rows have at most one True column (a big tree's outcome reached at each point): those are told
    apart by that column's index, and only the others are compared whole."""
    count = present.sum(axis=1)
    few = count <= 1
    key = np.where(count[few] == 1, present[few].argmax(axis=1), -1)
    keys, first, inv_few = np.unique(key, return_index=True, return_inverse=True)
    inverse = np.empty(len(present), dtype=np.intp)
    inverse[few] = np.asarray(inv_few).reshape(-1)
    rows = present[np.flatnonzero(few)[first]]
    if not few.all():
        more, inv_more = np.unique(present[~few], axis=0, return_inverse=True)
        inverse[~few] = len(keys) + np.asarray(inv_more).reshape(-1)
        rows = np.concatenate([rows, more])
    return rows, inverse


def label_names(game: NormalFormGame | GameTree, labels: list[str]) -> dict[str, str]:
    """A readable name for each outcome label of `game`.

    A tree's outcome labels (as the scenario writes them) joined like the ids; a normal form's
    profiles named by their cells' outcome ids ("equilibria column_wins, row_wins"). A label with
    nothing better to say is its own name.

    Parameters
    ----------
    game : NormalFormGame or GameTree
    labels : list of str
        Outcome labels (`outcome_labels`).

    Returns
    -------
    dict
        Label -> name.

    Examples
    --------
    >>> import negosim as ns
    >>> tree = ns.load("scenarios/entry_deterrence.yaml").build()
    >>> label_names(tree, ["stay_out"])
    {'stay_out': 'The Entrant stays out; the Incumbent keeps its monopoly'}
    """
    if isinstance(game, NormalFormGame):
        return {key: _profiles_name(game, key) for key in labels}
    names = {o.id: o.label or o.id for o in game.outcomes}
    return {key: " + ".join(names.get(part, part) for part in key.split(" + ")) for key in labels}


def _profiles_name(game: NormalFormGame, key: str) -> str:
    if game.outcomes is None or not key.startswith("("):
        return key
    names = []
    for profile in key.split(" + "):
        actions = profile.strip("()").split(", ")
        try:
            cell = tuple(acts.index(a) for acts, a in zip(game.actions, actions))
        except ValueError:
            return key
        names.append(str(game.outcomes[cell]) or profile)
    return ("equilibria " if len(names) > 1 else "equilibrium ") + ", ".join(names)


__all__ = ["MIXED", "NO_EQUILIBRIUM", "NO_PURE", "equilibrium_outcomes", "joined_codes", "joined_labels",
           "label_names", "outcome_labels", "primary_concept", "primary_solution", "pure_profiles",
           "reached_codes"]
