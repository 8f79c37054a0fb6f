"""The payoff matrix as a figure: payoffs coloured by player, best responses marked, pure equilibria
boxed and mixed equilibria listed underneath. Two players make one table; three players one table per
action of the third."""

from __future__ import annotations

import numpy as np

from ...errors import GameError, UsageError
from ...game.normal import NormalFormGame
from ...solve.tolerance import scaled_tol
from ..text import fmt_mixed
from . import style

ROW_H = 0.9  # inches per matrix row
HEADER_H = 0.7  # column player's name and action names
CHAR_IN = style.TEXT_SIZE / 72 * 0.62  # a rough width of one character of body text
PURE_GID = "pure-equilibrium"
BR_GID = "best-response"
#: The largest figure (inches) still readable projected or printed: about 2400 x 1650 pixels as saved.
MAX_WIDTH_IN, MAX_HEIGHT_IN = 16.0, 11.0


def matrix_figure(game: NormalFormGame, solution=None, *, point: int = 0, title: str | None = None,
                  answers: bool = True):
    """A `Figure` of the payoff matrix of a 2- or 3-player game at batch point `point`.

    Each cell lists the payoffs in player order (as the text output prints them), each in its player's
    colour; a payoff that is a best response (within the solver's tolerance) is bold and its player's
    marker sits in the cell's corner. Pure equilibria are boxed; mixed equilibria are listed under the
    table. The equilibria come from `solution` (a normal-form `Solution` of this game) or, without one,
    are computed. `answers=False` draws the question version: the payoffs only, no best-response marks,
    boxes or equilibria (and nothing is solved).

    Parameters
    ----------
    game : NormalFormGame
        A 2- or 3-player game.
    solution : Solution, optional
        A normal-form solution of `game` whose equilibria are drawn (default: computed).
    point : int
        The flat index of the batch point drawn.
    title : str, optional
        The figure's title (default: the game's).
    answers : bool
        False: the question version, with nothing solved or marked.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    NegosimUsageError
        When the figure would be larger than `MAX_WIDTH_IN` x `MAX_HEIGHT_IN` inches (unreadable on
        a slide or a page), suggesting the tree or a table instead.

    Examples
    --------
    >>> from negosim.present.figures import matrix_figure
    >>> import negosim as ns
    >>> pd = ns.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> type(matrix_figure(pd)).__name__
    'Figure'
    """
    if not isinstance(game, NormalFormGame):
        raise GameError(f"the payoff matrix needs a normal-form game; got {type(game).__name__}")
    if game.n_players not in (2, 3):
        raise GameError(f"the payoff matrix figure draws 2- or 3-player games; this one has {game.n_players} players")
    if not 0 <= point < game.batch_size:
        raise GameError(f"point {point} is out of range (the game has {game.batch_size} parameter points)")
    at = game.at(point)
    check_readable(at)
    equilibria, complete = _equilibria(game, at, solution, point) if answers else (None, True)
    with style.context():
        return _draw(at, equilibria, complete, title if title is not None else game.title)


def matrix_size(game: NormalFormGame) -> tuple[float, float]:
    """The (width, height) in inches of the payoff matrix figure of `game` (one batch point), before
    its notes."""
    m, n = game.shape[:2]
    panels = game.shape[2] if game.n_players == 3 else 1
    row_w, cell_w = _sizes(game, game.payoffs)
    panel_w = 0.45 + row_w + n * cell_w
    return max(6.0, panels * panel_w + (panels - 1) * 0.5 + 0.5), HEADER_H + m * ROW_H + 1.0


def check_readable(game: NormalFormGame) -> None:
    """Raise `UsageError` (one line, suggesting the tree) if the matrix figure of `game` (one batch point)
    would exceed `MAX_WIDTH_IN` x `MAX_HEIGHT_IN` inches."""
    if game.n_players not in (2, 3):
        return  # the figure refuses these anyway, with its own message
    width, height = matrix_size(game.at(0) if game.batch_shape else game)
    if width > MAX_WIDTH_IN or height > MAX_HEIGHT_IN:
        shape = " x ".join(str(k) for k in game.shape)
        raise UsageError(f"the payoff matrix ({shape} strategies) would be a {width:.0f} x {height:.0f} inch figure, "
                         f"too large to read; draw the game tree instead (--figure tree) or write the matrix as .tex")


def _equilibria(game, at, solution, point):
    """The labelled equilibria at `point` and whether they are all of them."""
    if solution is None:
        from ...solve import solve

        solution, point = solve(at, "nash")[0], 0
    elif not isinstance(solution.game, NormalFormGame) or tuple(solution.game.shape) != tuple(game.shape):
        raise GameError(f"the payoff matrix shows equilibria of this normal-form game; got the "
                        f"{solution.concept!r} solution of another game")
    complete = bool(np.asarray(solution.complete).reshape(-1)[point])
    return solution.equilibria_at(point), complete


def best_responses(payoffs: np.ndarray) -> np.ndarray:
    """Boolean array like `payoffs` ``(n, *shape)``: player i's payoff is a best response (within tol)
    to the others' actions."""
    n = payoffs.shape[0]
    tol = scaled_tol(payoffs.max() - payoffs.min())
    return np.stack([payoffs[i] >= payoffs[i].max(axis=i, keepdims=True) - tol for i in range(n)])


def pure_profiles(game: NormalFormGame, equilibria) -> list[tuple[int, ...]]:
    """The action indices of the equilibria that are pure (each player plays one action for sure)."""
    out = []
    for eq in equilibria:
        picks = []
        for p, acts in zip(game.players, game.actions):
            probs = [eq.strategies[p][a] for a in acts]
            if max(probs) < 1.0 - 1e-9:
                break
            picks.append(int(np.argmax(probs)))
        else:
            out.append(tuple(picks))
    return out


def _sizes(game: NormalFormGame, pay: np.ndarray) -> tuple[float, float]:
    """Width of the row-header and of one cell, in inches."""
    row_w = max(len(a) for a in game.actions[0]) * CHAR_IN + 0.3
    cell_text = max(len(", ".join(style.fmt_payoff(v) for v in pay[(slice(None), *ix)]))
                    for ix in np.ndindex(*game.shape))
    col_names = max(len(line) for a in game.actions[1] for line in style.wrap_id(a, 14).split("\n"))
    cell_w = max(1.6, cell_text * CHAR_IN * 1.2 + 0.7, col_names * CHAR_IN + 0.3)
    return row_w, cell_w


def _draw(game, equilibria, complete, title):
    pay = game.payoffs
    m, n = game.shape[:2]
    panels = game.shape[2] if game.n_players == 3 else 1
    row_w, cell_w = _sizes(game, pay)
    name_w = 0.45  # the rotated row-player name
    panel_w = name_w + row_w + n * cell_w
    panel_h = HEADER_H + m * ROW_H + (0.35 if panels > 1 else 0)
    notes = _notes(game, equilibria, complete)
    top_h, bottom_h, gap = (0.7 if title else 0.25), 0.35 + 0.24 * len(notes), 0.5
    width = max(6.0, panels * panel_w + (panels - 1) * gap + 0.5)
    height = top_h + panel_h + bottom_h
    fig = style.new_figure(width, height)
    answers = equilibria is not None
    br = best_responses(pay) if answers else np.zeros(pay.shape, dtype=bool)
    boxed = set(pure_profiles(game, equilibria)) if answers else set()
    left = (width - panels * panel_w - (panels - 1) * gap) / 2
    for k in range(panels):
        ax = fig.add_axes(((left + k * (panel_w + gap)) / width, bottom_h / height, panel_w / width, panel_h / height))
        ax.set_xlim(0, panel_w)
        ax.set_ylim(panel_h, 0)  # inches, downwards
        ax.set_axis_off()
        third = (k,) if panels > 1 else ()
        _panel(ax, game, pay, br, boxed, third, (name_w, row_w, cell_w), panels > 1)
    if title:
        fig.text(0.5, 1 - 0.15 / height, title, ha="center", va="top", fontsize=style.TITLE_SIZE,
                 fontweight="bold", color=style.INK)
    fig.text(0.5, 0.12 / height, "\n".join(notes), ha="center", va="bottom", fontsize=style.SMALL_SIZE,
             color=style.INK, linespacing=1.4)
    return fig


def _panel(ax, game, pay, br, boxed, third, widths, caption) -> None:
    from matplotlib.patches import Rectangle

    name_w, row_w, cell_w = widths
    m, n = game.shape[:2]
    y0 = HEADER_H + (0.35 if caption else 0)
    x0 = name_w + row_w
    c_row, c_col = style.player_color(0), style.player_color(1)
    if caption:
        c3 = style.player_color(2)
        ax.text(x0 + n * cell_w / 2, 0.05, f"{game.players[2]} plays {game.actions[2][third[0]]}", ha="center",
                va="top", fontsize=style.LABEL_SIZE, fontweight="bold", color=c3)
    top = y0 - HEADER_H
    ax.text(x0 + n * cell_w / 2, top + 0.1, game.players[1], ha="center", va="top", fontsize=style.LABEL_SIZE,
            fontweight="bold", color=c_col)
    longest = max(len(a) for a in game.actions[0]) * CHAR_IN
    ax.text(x0 - 0.15 - longest - 0.12, y0 + m * ROW_H / 2, game.players[0], ha="right", va="center", rotation=90,
            fontsize=style.LABEL_SIZE, fontweight="bold", color=c_row)
    for j, a in enumerate(game.actions[1]):
        ax.text(x0 + (j + 0.5) * cell_w, y0 - 0.12, style.wrap_id(a, 14), ha="center", va="baseline",
                fontsize=style.TEXT_SIZE, color=style.INK, linespacing=1.05)
    for i, a in enumerate(game.actions[0]):
        ax.text(x0 - 0.15, y0 + (i + 0.5) * ROW_H, a, ha="right", va="center", fontsize=style.TEXT_SIZE,
                color=style.INK)
    for i in range(m):
        for j in range(n):
            ix = (i, j, *third)
            x, y = x0 + j * cell_w, y0 + i * ROW_H
            ax.add_patch(Rectangle((x, y), cell_w, ROW_H, fc="white", ec=style.MUTED, lw=1.0, zorder=1))
            _cell(ax, x + cell_w / 2, y + ROW_H / 2, [pay[(p, *ix)] for p in range(game.n_players)],
                  [bool(br[(p, *ix)]) for p in range(game.n_players)])
            _corner_markers(ax, x, y, cell_w, [bool(br[(p, *ix)]) for p in range(game.n_players)], ix)
            if ix in boxed:
                ax.add_patch(Rectangle((x + 0.04, y + 0.04), cell_w - 0.08, ROW_H - 0.08, fill=False, ec=style.INK,
                                       lw=3.2, zorder=3, gid=style.gid(PURE_GID, *ix)))


def _cell(ax, xc, yc, values, best) -> None:
    """The payoffs "a, b(, c)" centred in a cell, each in its player's colour, bold where a best response."""
    texts = [style.fmt_payoff(v) for v in values]

    def put(xy, s, p, ha, coords="data"):
        return ax.annotate(s, xy, xycoords=coords, ha=ha, va="center", fontsize=style.TEXT_SIZE + 3,
                           color=style.player_color(p) if p is not None else style.INK,
                           fontweight="bold" if p is not None and best[p] else "normal", zorder=4)

    mid = len(texts) // 2
    if len(texts) % 2:  # 3 players: the middle payoff is centred
        centre = put((xc, yc), texts[mid], mid, "center")
        left, right = centre, centre
        for p in range(mid - 1, -1, -1):
            left = put((0, 0.5), texts[p], p, "right", coords=put((0, 0.5), ", ", None, "right", coords=left))
        for p in range(mid + 1, len(texts)):
            right = put((1, 0.5), texts[p], p, "left", coords=put((1, 0.5), ", ", None, "left", coords=right))
    else:  # 2 players: the comma is centred
        comma = put((xc, yc), ", ", None, "center")
        put((0, 0.5), texts[0], 0, "right", coords=comma)
        put((1, 0.5), texts[1], 1, "left", coords=comma)


def _corner_markers(ax, x, y, w, best, ix) -> None:
    """Each player's marker in a corner of the cell where its payoff is a best response."""
    d = 0.2
    corners = [(x + d, y + ROW_H - d), (x + w - d, y + d), (x + w - d, y + ROW_H - d)]
    for p, (cx, cy) in enumerate(corners[: len(best)]):
        if best[p]:
            ax.plot([cx], [cy], marker=style.player_marker(p), ms=7, color=style.player_color(p), ls="",
                    zorder=4, gid=style.gid(BR_GID, p, *ix))


def _notes(game, equilibria, complete) -> list[str]:
    if equilibria is None:  # the question version
        return [f"Each cell: the payoffs of {', '.join(game.players)}, in that order."]
    marks = {0: "lower left", 1: "upper right", 2: "lower right"}
    who = "; ".join(f"{p}'s in the {marks[i]} corner" for i, p in enumerate(game.players))
    lines = ["Boxed: a pure Nash equilibrium. Bold, with the player's marker: a best response",
             f"({who})."]
    mixed = [eq for eq in equilibria if any(max(s.values()) < 1.0 - 1e-9 for s in eq.strategies.values())]
    for k, eq in enumerate(mixed, 1):
        strat = "; ".join(f"{p} {fmt_mixed(s)}" for p, s in eq.strategies.items())
        pays = ", ".join(style.fmt_payoff(v) for v in eq.payoffs.values())
        lines.append(f"Mixed equilibrium{f' {k}' if len(mixed) > 1 else ''}: {strat} (payoffs {pays})")
    if not equilibria:
        lines.append("No equilibrium found" + ("." if complete else " (mixed equilibria were not searched)."))
    elif not complete and game.n_players > 2:
        lines.append("Mixed equilibria of 3-player games are not computed; only pure ones are shown.")
    return lines
