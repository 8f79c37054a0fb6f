"""The figure of a game the CLI's ``convert --figure`` draws: which picture, with the primary answer on it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...errors import NegosimUsageError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ...api import Source

FIGURE_KINDS = ("tree", "matrix", "best-response", "qre")


def game_figure(source: Source, kind: str | None = None, *, answers: bool = True) -> Figure:
    """Return a figure of the source's game with its primary answer (`negosim.solve.primary`) marked.

    Parameters
    ----------
    source : negosim.api.Source
    kind : {"tree", "matrix", "best-response", "qre"}, optional
        Default: the tree of an extensive game, the matrix of a normal one. A tree drawn as a
        matrix or best-response figure is shown through its reduced normal form; "qre" draws the
        logit QRE's principal branch (`negosim.present.figures.qre`), a tree's per information set.
    answers : bool
        False draws the question version: no equilibrium path, best-response marks or boxes, and
        nothing is solved. The QRE figure is an answer and has no question version.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    NegosimUsageError
        For ``kind="tree"`` on a normal-form game, or a matrix too large to read.
    """
    from ...game import GameTree
    from ...solve.primary import primary_solution

    game = source.game
    kind = kind or ("tree" if isinstance(game, GameTree) else "matrix")
    if kind == "qre":
        if not answers:
            raise NegosimUsageError("--figure qre draws the answer (play moving to a Nash equilibrium); "
                                    "it has no --no-answers version")
        from .qre import qre_figure

        names = {p.id: p.name or p.id for p in source.scenario.players} if source.scenario is not None else None
        return qre_figure(game, title=source.title, names=names)
    if kind == "tree":
        if not isinstance(game, GameTree):
            raise NegosimUsageError("--figure tree needs an extensive-form game; "
                                    "this one is a normal form (try matrix)")
        from . import tree_figure

        return tree_figure(game, primary_solution(game) if answers else None, title=source.title)
    if isinstance(game, GameTree):
        from ...solve.policy import reduced_normal_form_or_refuse

        game = reduced_normal_form_or_refuse(game, f"a {kind} figure", source.path)
    if kind == "matrix":
        from . import matrix_figure
        from .matrix import check_readable

        check_readable(game)  # before solving: a game too large to draw may be slow to solve
        return matrix_figure(game, primary_solution(game) if answers else None, title=source.title,
                             answers=answers)
    from . import best_response_figure

    return best_response_figure(game, primary_solution(game) if answers else None, title=source.title,
                                answers=answers)
