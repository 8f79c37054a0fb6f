"""The logit QRE figure: every action's choice probability along the principal branch against lambda.

One panel per agent (a player of a normal form; an information set of a tree, the agent QRE), one
line per action, lambda on a log scale from nearly uniform play to the branch's Nash limit, which is
marked by a dashed vertical line and a ring on each line with the limit probability in the legend.
Each player has its colour; the actions of one agent differ by line style, so the figure survives
grayscale printing.
"""

from __future__ import annotations

import numpy as np

from ...errors import GameError
from ...game.normal import NormalFormGame
from ...game.tree import GameTree
from ..text import fmt_prob
from . import style

#: Panels drawn at most (agents: players, or a tree's information sets).
MAX_PANELS = 12
#: Points of the drawn curves (the branch is evaluated exactly at these lambdas).
CURVE_POINTS = 90
#: Lines within this of their limit no longer move visibly.
SETTLED = 1e-3
ACTION_LINESTYLES = ("-", "--", ":", "-.", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 1)))


def qre_curves(game: NormalFormGame | GameTree):
    """The branch sampled on a log grid: ``(lambdas, probabilities (k, d), limit lambda, limit profile,
    converged, (low, high))`` at batch point 0; lambdas run from 0.01 over the payoff range to the Nash limit.

    Parameters
    ----------
    game : NormalFormGame or GameTree
        The game (batch point 0 of a batch).

    Returns
    -------
    tuple
        The lambdas reached below the limit, the probabilities there (one row per lambda, the
        players' or agents' strategies side by side), the lambda where the branch ends, the limit
        profile, whether the branch converged, and the grid's bounds ``(low, high)``.

    Examples
    --------
    >>> import negosim as ns
    >>> lambdas, probs, end, limit, converged, bounds = qre_curves(ns.load("scenarios/matching_pennies.yaml").build())
    >>> limit.tolist(), converged
    ([0.5, 0.5, 0.5, 0.5], True)
    """
    from ...solve.qre import logit_branch, logit_qre

    at = game.at(0) if isinstance(game, NormalFormGame) and game.batch_size > 1 else game
    branch = logit_branch(at)
    end = float(branch.lambdas[0][-1])
    limit = branch.profiles[0][-1]
    span = float(np.max(at.payoff_range())) if isinstance(at, NormalFormGame) else _tree_span(at)
    low = 10.0 ** np.floor(np.log10(0.01 / max(span, 1e-300)))
    high = max(end, low * 1e3)
    grid = np.geomspace(low, high, CURVE_POINTS)
    inside = grid[grid < end] if end > low else grid[:0]
    if len(inside):
        sol = logit_qre(at, inside.tolist())
        blocks = sol.strategies if isinstance(at, NormalFormGame) else sol.behavior
        first = sol.point == 0
        probs = np.concatenate(blocks, axis=1)[first]
        reached = sol.extra["lambda"][first]
    else:
        probs, reached = np.zeros((0, len(limit))), np.zeros(0)
    return reached, probs, end, limit, bool(branch.converged[0]), (low, high)


def _tree_span(tree: GameTree) -> float:
    from ...solve.qre_models import AgentModel

    return float(AgentModel.of(tree).payoff_range().max())


def _agents(game: NormalFormGame | GameTree) -> list[tuple[int, str, tuple[str, ...]]]:
    """(player index, panel title, actions) of every agent, in the order of the QRE's probabilities."""
    if isinstance(game, NormalFormGame):
        return [(i, p, tuple(acts)) for i, (p, acts) in enumerate(zip(game.players, game.actions))]
    return [(p, f"{game.players[p]} at {s}", tuple(game.nodes[nodes[0]].actions)) for p, s, nodes in game.infosets()]


def qre_figure(game: NormalFormGame | GameTree, *, title: str | None = None, names: dict[str, str] | None = None):
    """A `Figure` of the logit QRE's principal branch of `game` (batch point 0).

    Parameters
    ----------
    game : NormalFormGame or GameTree
        Any number of players; a tree is drawn per information set (agent QRE).
    title : str, optional
        Default: the game's title.
    names : dict, optional
        Player id to the name used in panel titles.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    GameError
        For a game with more than `MAX_PANELS` agents (the figure would not be readable).

    Examples
    --------
    >>> import negosim as ns
    >>> fig = qre_figure(ns.load("scenarios/prisoners_dilemma.yaml").build())
    >>> type(fig).__name__
    'Figure'
    """
    agents = _agents(game)
    if len(agents) > MAX_PANELS:
        kind = "information sets" if isinstance(game, GameTree) else "players"
        raise GameError(f"the QRE figure draws one panel per agent; this game has {len(agents)} {kind} "
                        f"(limit {MAX_PANELS})")
    lambdas, probs, end, limit, converged, (low, high) = qre_curves(game)
    # A mixed limit is approached like 1/lambda: stop the axis a decade past where the lines stop
    # visibly moving, and mark the limit at the axis' right edge, saying where it lies.
    far = np.abs(probs - limit[None, :]).max(axis=1) > SETTLED if len(probs) else np.zeros(0, bool)
    settled = float(lambdas[np.flatnonzero(far)[-1] + 1]) if far.any() and not far[-1] else None
    if settled is not None and end > settled * 30:
        keep = lambdas <= settled * 10
        lambdas, probs, high = lambdas[keep], probs[keep], settled * 10
    names = names or {}
    with style.context():
        return _draw(game, agents, lambdas, probs, end, limit, converged, (low, high),
                     title if title is not None else game.title, names)


def _draw(game, agents, lambdas, probs, end, limit, converged, xlim, title, names):
    n = len(agents)
    beyond = end > xlim[1] * 1.0001  # the limit lies past the axis: ring at the edge, its lambda in the note
    mark = xlim[1] if beyond or end <= xlim[0] else end
    cols = min(n, 3)
    rows = -(-n // cols)
    width, height = 4.4 * cols + 0.6, 3.3 * rows + 1.9
    fig = style.new_figure(width, height)
    top = 1 - 1.35 / height
    fig.subplots_adjust(left=0.7 / width, right=1 - 0.25 / width, bottom=0.85 / height, top=top,
                        wspace=0.28, hspace=0.55)
    offsets = np.concatenate([[0], np.cumsum([len(a) for _, _, a in agents])])
    start = np.concatenate([[0.0], [float(x) for x in lambdas]])
    for k, (player, label, actions) in enumerate(agents):
        ax = fig.add_subplot(rows, cols, k + 1)
        ax.set_xscale("log")
        color = style.player_color(player)
        pid = game.players[player]
        heading = label.replace(pid, names.get(pid, pid), 1)
        for j, action in enumerate(actions):
            column = offsets[k] + j
            ys = np.concatenate([[1.0 / len(actions)], probs[:, column]])
            xs = np.concatenate([[xlim[0]], start[1:]])
            final = float(limit[column])
            ax.plot(np.append(xs, mark), np.append(ys, final), color=color,
                    ls=ACTION_LINESTYLES[j % len(ACTION_LINESTYLES)], lw=2.2,
                    label=f"{action} (limit {fmt_prob(round(final, 4))})", gid=style.gid("qre", pid, label, action))
            ax.plot([mark], [final], marker="o", ms=7, mfc="white", mec=color, mew=2, ls="", zorder=4)
        if end > xlim[0]:
            ax.axvline(mark, color=style.INK, lw=1.0, ls=(0, (4, 3)), zorder=1)
        ax.set_ylim(-0.03, 1.03)
        ax.set_xlim(xlim[0], mark * 1.6)
        ax.set_title(style.wrap_words(heading, 40), fontsize=style.LABEL_SIZE, color=color, fontweight="bold")
        ax.grid(color="#E4E4E4", lw=0.6)
        ax.tick_params(labelsize=style.SMALL_SIZE)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.legend(loc="best", fontsize=style.SMALL_SIZE, frameon=True, framealpha=0.9, edgecolor="none",
                  handlelength=2.6)
        if k % cols == 0:
            ax.set_ylabel("choice probability", fontsize=style.SMALL_SIZE + 1)
        if k >= n - cols:
            ax.set_xlabel("lambda (precision; log scale)", fontsize=style.SMALL_SIZE + 1)
    fig.suptitle(style.wrap_words(f"{title}: logit quantal response equilibrium" if title else
                                  "Logit quantal response equilibrium", 90), fontsize=style.TITLE_SIZE,
                 y=1 - 0.15 / height, va="top")
    if end <= xlim[0]:
        note = "Uniform play is already a Nash equilibrium: the branch does not move"
    elif beyond:
        note = ("Principal branch from uniform play (lambda near 0) toward its Nash limit (dashed line, rings), "
                f"reached at lambda {end:.3g}, beyond the axis")
    else:
        note = ("Principal branch from uniform play (lambda near 0) to its Nash limit (dashed line, rings) at "
                f"lambda {end:.3g}")
    if not converged:
        note += "; the trace's budget ran out before the limit"
    fig.text(0.5, 1 - 0.62 / height, style.wrap_words(note + ". Lambda multiplies the payoffs.", int(width * 12)),
             ha="center", va="top", fontsize=style.SMALL_SIZE + 1, color=style.INK, linespacing=1.3)
    return fig


__all__ = ["MAX_PANELS", "qre_curves", "qre_figure"]
