"""Columns that `negosim sweep --concept qre --lambda X` and `--concept ce` add to ``results.csv``.

These concepts describe a point rather than pick its outcome, so the table keeps the rows of the
primary answer (`negosim.solve.primary`: outcome labels, boundaries and figures are unchanged) and
every row of a point repeats the point's columns:

- ``qre``: the logit QRE's probability of every action at each asked lambda, named
  ``qre_<player>_<action>_lambda<X>`` (a tree: ``qre_<player>_<infoset>_<action>_lambda<X>``, the
  agent QRE's behaviour); ``nan`` where the trace's budget ran out before that lambda.
- ``ce``: the welfare-maximising correlated equilibrium's total payoff ``ce_welfare`` and each
  player's payoff in it, ``ce_payoff_<player>``.

>>> from negosim.game.generate import prisoners_dilemma
>>> column_names(prisoners_dilemma(), ("ce",), ())
['ce_welfare', 'ce_payoff_Row', 'ce_payoff_Column']
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import UsageError
from ..game.normal import NormalFormGame
from ..game.tree import GameTree

#: The concepts a sweep can add as columns.
COLUMN_CONCEPTS = ("qre", "ce")


def check_concepts(concepts: Sequence[str], lambdas: Sequence[float]) -> None:
    """Raise UsageError unless `concepts` are column concepts and qre comes with its lambdas.

    Parameters
    ----------
    concepts : sequence of str
        The asked column concepts (each in `COLUMN_CONCEPTS`: ``"qre"``, ``"ce"``).
    lambdas : sequence of float
        The asked QRE lambdas: needed with ``"qre"``, refused without it; each finite and at least 0.

    Raises
    ------
    NegosimUsageError
        For an unknown concept, qre without lambdas, lambdas without qre, or a bad lambda.

    Examples
    --------
    >>> check_concepts(("qre", "ce"), (1.0,))
    >>> check_concepts(("qre",), ())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    negosim.errors.NegosimUsageError: sweep --concept qre needs --lambda X (repeatable): ...
    """
    for c in concepts:
        if c not in COLUMN_CONCEPTS:
            raise UsageError(f"sweep --concept {c}: a sweep adds columns for qre and ce only (the outcome and "
                             "payoff columns always come from the primary answer)")
    if "qre" in concepts and not lambdas:
        raise UsageError("sweep --concept qre needs --lambda X (repeatable): the branch's Nash limit lies at a "
                         "different lambda at every point")
    if lambdas and "qre" not in concepts:
        raise UsageError("--lambda applies to --concept qre")
    if any(not (v >= 0 and np.isfinite(v)) for v in lambdas):
        raise UsageError("--lambda: lambda is a finite number at least 0")


def _lambda_name(v: float) -> str:
    return f"lambda{v:g}"


def _agent_actions(game: NormalFormGame | GameTree) -> list[str]:
    """Every agent's actions, in the order of the QRE's probability arrays, as column stems."""
    if isinstance(game, NormalFormGame):
        return [f"{p}_{a}" for p, acts in zip(game.players, game.actions) for a in acts]
    return [f"{game.players[p]}_{s}_{a}" for p, s, nodes in game.infosets() for a in game.nodes[nodes[0]].actions]


def column_names(game: NormalFormGame | GameTree, concepts: Sequence[str], lambdas: Sequence[float]) -> list[str]:
    """The added columns' names, in order: qre's (per lambda, every action), then ce's.

    Parameters
    ----------
    game : NormalFormGame or GameTree
        The game whose players and actions name the columns.
    concepts : sequence of str
        The column concepts (``"qre"``, ``"ce"``).
    lambdas : sequence of float
        The QRE's lambdas (one block of columns each).

    Returns
    -------
    list of str
        The column names.

    Examples
    --------
    >>> from negosim.game.generate import prisoners_dilemma
    >>> column_names(prisoners_dilemma(), ("qre",), (1.0,))
    ['qre_Row_cooperate_lambda1', 'qre_Row_defect_lambda1', 'qre_Column_cooperate_lambda1', 'qre_Column_defect_lambda1']
    """
    names: list[str] = []
    if "qre" in concepts:
        names += [f"qre_{stem}_{_lambda_name(v)}" for v in lambdas for stem in _agent_actions(game)]
    if "ce" in concepts:
        names += ["ce_welfare", *(f"ce_payoff_{p}" for p in game.players)]
    return names


def point_columns(game: NormalFormGame | GameTree, concepts: Sequence[str], lambdas: Sequence[float]) -> np.ndarray:
    """``(points, columns)`` values of `column_names` at every flat batch point of `game`.

    Parameters
    ----------
    game : NormalFormGame or GameTree
        The (batched) game.
    concepts : sequence of str
        The column concepts (``"qre"``, ``"ce"``).
    lambdas : sequence of float
        The QRE's lambdas.

    Returns
    -------
    numpy.ndarray
        Float array of shape ``(game.batch_size, len(column_names(...)))``; ``nan`` where a value is
        missing (a QRE trace that stopped before a lambda, no welfare-maximising CE).

    Examples
    --------
    >>> from negosim.game.generate import prisoners_dilemma
    >>> point_columns(prisoners_dilemma(), ("ce",), ()).round(3).tolist()
    [[2.0, 1.0, 1.0]]
    """
    P = game.batch_size
    blocks = []
    if "qre" in concepts:
        from ..solve.qre import logit_qre

        sol = logit_qre(game, lambdas)
        probs = np.concatenate(sol.strategies if isinstance(game, NormalFormGame) else sol.behavior, axis=1)
        d = probs.shape[1]
        out = np.full((P, len(lambdas), d), np.nan)
        lam = sol.extra["lambda"]
        for k, v in enumerate(lambdas):
            rows = lam == v
            out[sol.point[rows], k] = probs[rows]
        blocks.append(out.reshape(P, len(lambdas) * d))
    if "ce" in concepts:
        from ..solve.qre_ce import solve_concept

        ce = solve_concept(game, "ce")
        welfare = np.asarray(ce.extra["objective"]) == "welfare"
        values = np.full((P, game.n_players), np.nan)
        values[ce.point[welfare]] = ce.payoffs[welfare]
        blocks.append(np.concatenate([values.sum(axis=1, keepdims=True), values], axis=1))
    return np.concatenate(blocks, axis=1) if blocks else np.zeros((P, 0))


__all__ = ["COLUMN_CONCEPTS", "check_concepts", "column_names", "point_columns"]
