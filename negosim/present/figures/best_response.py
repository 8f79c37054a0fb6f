"""The best-response diagram of a 2x2 game on the unit square: each player's best-response
correspondence as a thick step line, the equilibria where they cross."""

from __future__ import annotations

import numpy as np

from ...errors import GameError
from ...game.normal import NormalFormGame
from ...solve.tolerance import scaled_tol
from ..text import fmt_prob
from . import style

EQ_GID = "equilibrium"
#: An indifference threshold closer than this to 0 or 1 is labelled on the far side of the square
#: (top or right), where it cannot collide with the end labels "0 (action)" and "1 (action)".
NEAR_END = 0.15


def best_response_figure(game: NormalFormGame, solution=None, *, point: int = 0, title: str | None = None,
                         answers: bool = True):
    """A `Figure` of the best-response correspondences of a 2x2 game at batch point `point`.

    The x axis is p, the probability that the row player takes its first action; the y axis is q, the
    probability that the column player takes its first action. The row player's best response to each
    q is drawn solid, the column player's to each p dashed, each in its player's colour; the Nash
    equilibria (from `solution`, else computed) are marked where they cross, with their coordinates.
    `answers=False` draws the question version: the empty square with its labelled axes, for students
    to draw the best responses in (no correspondences, thresholds or equilibria; nothing is solved).

    Parameters
    ----------
    game : NormalFormGame
        A 2x2 game.
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

    Examples
    --------
    >>> from negosim.present.figures import best_response_figure
    >>> import negosim as ns
    >>> pd = ns.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> len(best_response_figure(pd).axes)
    1
    """
    if not isinstance(game, NormalFormGame) or game.n_players != 2 or game.shape != (2, 2):
        shape = "x".join(map(str, game.shape)) if isinstance(game, NormalFormGame) else type(game).__name__
        raise GameError(f"the best-response diagram needs a 2x2 game; this one is {shape}")
    if not 0 <= point < game.batch_size:
        raise GameError(f"point {point} is out of range (the game has {game.batch_size} parameter points)")
    at = game.at(point)
    if not answers:
        with style.context():
            return _draw(at, None, title if title is not None else game.title, False)
    if solution is None:
        from ...solve import solve

        solution, point = solve(at, "nash")[0], 0
    elif not isinstance(solution.game, NormalFormGame) or tuple(solution.game.shape) != (2, 2):
        raise GameError(f"the best-response diagram shows equilibria of this 2x2 game; got the "
                        f"{solution.concept!r} solution of another game")
    degenerate = bool(np.asarray(solution.degenerate).reshape(-1)[point])
    points = [(eq.strategies[at.players[0]][at.actions[0][0]], eq.strategies[at.players[1]][at.actions[1][0]])
              for eq in solution.equilibria_at(point)]
    with style.context():
        return _draw(at, points, title if title is not None else game.title, degenerate)


def gains(game: NormalFormGame) -> tuple[tuple[float, float], tuple[float, float], float]:
    """How much more each player gets from its first action than its second, at the two ends of the
    other's mixing probability: ``((row at q=0, row at q=1), (col at p=0, col at p=1), tol)``."""
    A, B = game.payoffs[0], game.payoffs[1]
    tol = float(scaled_tol(game.payoffs.max() - game.payoffs.min()))
    row = (A[0, 1] - A[1, 1], A[0, 0] - A[1, 0])
    col = (B[1, 0] - B[1, 1], B[0, 0] - B[0, 1])
    return (float(row[0]), float(row[1])), (float(col[0]), float(col[1])), tol


def correspondence(d0: float, d1: float, tol: float) -> tuple[list[tuple[float, float]], float | None, bool]:
    """The best response (probability of the first action) as a step path against the other's
    probability t in [0, 1], given the gain `d0` at t=0 and `d1` at t=1 (linear in between).

    Returns ``(path, threshold, everywhere)``: path points ``(t, best probability)`` in order of t;
    `threshold` is the t where the player is indifferent (None if nowhere inside [0, 1] or
    everywhere); `everywhere` when the player is indifferent at every t.
    """
    if abs(d0) <= tol and abs(d1) <= tol:
        return [], None, True
    zero = None
    if abs(d0) <= tol:
        zero = 0.0
    elif abs(d1) <= tol:
        zero = 1.0
    elif (d0 > 0) != (d1 > 0):
        zero = d0 / (d0 - d1)
    cuts = [0.0] + ([zero] if zero is not None and 0 < zero < 1 else []) + [1.0]
    path: list[tuple[float, float]] = []
    for a, b in zip(cuts, cuts[1:]):
        mid = (a + b) / 2
        x = 1.0 if d0 + (d1 - d0) * mid > 0 else 0.0
        if path and path[-1][1] != x:
            path.append((a, x))
        elif not path:
            if zero == 0.0:  # indifferent at t=0: every probability is a best response there
                path.append((0.0, 1.0 - x))
            path.append((a, x))
        path.append((b, x))
    if zero == 1.0:
        path.append((1.0, 1.0 - path[-1][1]))
    return path, zero, False


def _draw(game, points, title, degenerate):
    """The diagram; `points` None draws the question version (axes only)."""
    from matplotlib.patches import Rectangle

    answers = points is not None
    (r0, r1), (c0, c1), tol = gains(game)
    row_path, q_star, row_all = correspondence(r0, r1, tol)  # (q, p) pairs
    col_path, p_star, col_all = correspondence(c0, c1, tol)  # (p, q) pairs
    (rp, cp), (ra, ca) = game.players, game.actions
    side, top, below, legend, note = 5.2, 0.75, 1.15, 0.75, (0.55 if degenerate else 0.0)
    width, height = 7.6, top + side + below + note + legend
    fig = style.new_figure(width, height)
    ax = fig.add_axes((1.95 / width, (legend + note + below) / height, side / width, side / height))
    ax.set_xlim(-0.04, 1.04)
    ax.set_ylim(-0.04, 1.04)
    ax.set_aspect("equal", adjustable="box")
    ax.add_patch(Rectangle((0, 0), 1, 1, fill=False, ec=style.MUTED, lw=1.0, zorder=0))
    for spine in ax.spines.values():
        spine.set_visible(False)
    if answers:
        handles = _correspondences(ax, (rp, cp), (row_path, row_all), (col_path, col_all))
        handles.append(_equilibria(ax, points))
        _axes_labels(ax, rp, cp, ra, ca, p_star, q_star)
    else:
        _axes_labels(ax, rp, cp, ra, ca, None, None)
        ax.grid(color="#DDDDDD", lw=0.6, zorder=0)
        ax.set_xticks([0.0, 0.25, 0.5, 0.75, 1.0], [f"0\n({ra[1]})", "", "", "", f"1\n({ra[0]})"])
        ax.set_yticks([0.0, 0.25, 0.5, 0.75, 1.0], [f"({ca[1]}) 0", "", "", "", f"({ca[0]}) 1"])
    if title:
        fig.text(0.5, 1 - 0.15 / height, title, ha="center", va="top", fontsize=style.TITLE_SIZE, fontweight="bold",
                 color=style.INK)
    if degenerate:
        fig.text(0.5, (legend + 0.1) / height, "A degenerate game: where the best responses overlap along a "
                 "segment, every point\nbetween the marked equilibria is an equilibrium too.", ha="center", va="bottom",
                 fontsize=style.SMALL_SIZE + 1, color=style.INK, linespacing=1.35)
    if answers:
        fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.05 / height), ncol=2, frameon=False,
                   fontsize=style.TEXT_SIZE + 1, handlelength=2.6)
    else:
        fig.text(0.5, 0.3 / height, f"Draw {rp}'s best response to each q and {cp}'s to each p;\n"
                 "the Nash equilibria are where they cross.", ha="center", va="bottom",
                 fontsize=style.TEXT_SIZE + 1, color=style.INK, linespacing=1.35)
    return fig


def _correspondences(ax, players, row, col) -> list:
    """Draw both best-response correspondences; their legend handles."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    (rp, cp), (row_path, row_all), (col_path, col_all) = players, row, col
    c_row, c_col = style.player_color(0), style.player_color(1)
    handles: list = []
    if row_all:
        ax.add_patch(Rectangle((0, 0), 1, 1, fc=c_row, alpha=0.15, hatch="//", ec=c_row, lw=0))
        handles.append(Rectangle((0, 0), 1, 1, fc=c_row, alpha=0.3, hatch="//", ec=c_row,
                                 label=f"{rp} is indifferent everywhere"))
    else:
        ax.plot([p for _, p in row_path], [q for q, _ in row_path], color=c_row, lw=6, solid_joinstyle="miter",
                solid_capstyle="butt", zorder=2, clip_on=False, gid=style.gid("best-response", rp))
        handles.append(Line2D([], [], color=c_row, lw=6, label=f"{rp}'s best response to q"))
    if col_all:
        ax.add_patch(Rectangle((0, 0), 1, 1, fc=c_col, alpha=0.15, hatch="\\\\", ec=c_col, lw=0))
        handles.append(Rectangle((0, 0), 1, 1, fc=c_col, alpha=0.3, hatch="\\\\", ec=c_col,
                                 label=f"{cp} is indifferent everywhere"))
    else:
        ax.plot([p for p, _ in col_path], [q for _, q in col_path], color=c_col, lw=3.5, ls=(0, (4, 2)),
                dash_capstyle="butt", zorder=3, clip_on=False, gid=style.gid("best-response", cp))
        handles.append(Line2D([], [], color=c_col, lw=3.5, ls=(0, (4, 2)), label=f"{cp}'s best response to p"))
    return handles


def _equilibria(ax, points):
    """Mark each equilibrium (p, q) with its coordinates; the legend handle."""
    from matplotlib.lines import Line2D

    for k, (p, q) in enumerate(points):
        ax.plot([p], [q], marker="o", ms=15, mfc="white", mec=style.INK, mew=2.5, zorder=5, clip_on=False,
                gid=style.gid(EQ_GID, k))
        dx = -12 if p > 0.5 else 12
        dy = -12 if q > 0.5 else 12
        ax.annotate(f"({fmt_prob(p)}, {fmt_prob(q)})", (p, q), xytext=(dx, dy), textcoords="offset points",
                    ha="right" if dx < 0 else "left", va="top" if dy < 0 else "bottom",
                    fontsize=style.LABEL_SIZE + 1, fontweight="bold", color=style.INK, zorder=6,
                    bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.9))
    return Line2D([], [], ls="", marker="o", ms=13, mfc="white", mec=style.INK, mew=2.5,
                  label="Nash equilibrium (p, q)")


def _axes_labels(ax, rp, cp, ra, ca, p_star, q_star) -> None:
    """End labels "0 (action)" and "1 (action)" on the bottom and left; each indifference threshold as
    a dotted line with its value, beside the end labels, or on the top or right edge when it is within
    `NEAR_END` of 0 or 1 (where its label would overlap an end label)."""
    inner_p = [p_star] if p_star is not None and 0 < p_star < 1 else []
    inner_q = [q_star] if q_star is not None and 0 < q_star < 1 else []
    near_p = [v for v in inner_p if min(v, 1 - v) < NEAR_END]
    near_q = [v for v in inner_q if min(v, 1 - v) < NEAR_END]
    xt = [0.0, 1.0] + [v for v in inner_p if v not in near_p]
    yt = [0.0, 1.0] + [v for v in inner_q if v not in near_q]
    ax.set_xticks(xt, [f"0\n({ra[1]})", f"1\n({ra[0]})"] + [fmt_prob(v) for v in xt[2:]])
    ax.set_yticks(yt, [f"({ca[1]}) 0", f"({ca[0]}) 1"] + [fmt_prob(v) for v in yt[2:]])
    ax.tick_params(labelsize=style.TEXT_SIZE + 1, length=5, color=style.MUTED)
    if near_p:
        top = ax.secondary_xaxis("top")
        top.set_xticks(near_p, [f"p = {fmt_prob(v)}" for v in near_p])
        top.tick_params(labelsize=style.TEXT_SIZE + 1, length=5, color=style.MUTED)
        top.spines["top"].set_visible(False)
    if near_q:
        right = ax.secondary_yaxis("right")
        right.set_yticks(near_q, [f"q = {fmt_prob(v)}" for v in near_q])
        right.tick_params(labelsize=style.TEXT_SIZE + 1, length=5, color=style.MUTED)
        right.spines["right"].set_visible(False)
    for v in inner_p:
        ax.axvline(v, color=style.MUTED, lw=0.8, ls=":", zorder=0)
    for v in inner_q:
        ax.axhline(v, color=style.MUTED, lw=0.8, ls=":", zorder=0)
    ax.set_xlabel(f"p = probability that {rp} plays {ra[0]}", color=style.player_color(0),
                  fontsize=style.LABEL_SIZE + 1, fontweight="bold", labelpad=8)
    ax.set_ylabel(f"q = probability that {cp} plays {ca[0]}", color=style.player_color(1),
                  fontsize=style.LABEL_SIZE + 1, fontweight="bold", labelpad=8)
