"""The game tree as a figure: players, actions, chance probabilities, information sets, payoffs at
the leaves and, given a subgame-perfect equilibrium, its path in bold.

The layout (`negosim.present.figures.tree_layout`, shared with the TikZ export) puts leaves evenly spaced in
depth-first order and each parent centred over its children, so edges never cross.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...errors import GameError
from ...game.tree import CHANCE, TERMINAL, GameTree
from ..text import fmt_prob
from . import style
from .tree_layout import TreeLayout, chance_probs, equilibrium_play, tree_layout

LEVEL_IN = 1.3  # inches between depth levels
LINE_PT = 13.0  # points between lines of a leaf's label
LEAF_CHARS = 16  # characters per line of an outcome's name at a leaf

# Edge widths: the equilibrium play, the equilibrium's choices off the play, everything else.
PATH_LW, CHOSEN_LW, OTHER_LW, PLAIN_LW = 4.5, 2.6, 1.2, 1.6


@dataclass(frozen=True)
class _Play:
    """What an equilibrium does at one point: per node, the probability of each action and of reaching it."""

    action_probs: dict[int, np.ndarray]  # decision and chance node -> (n_children,)
    reach: np.ndarray  # (n_nodes,)
    equilibrium: object | None  # the labelled Equilibrium, for its ties


def _play(tree: GameTree, solution, point: int) -> _Play | None:
    """The equilibrium's behaviour and reach probabilities at `point` (None without a solution)."""
    if solution is None:
        return None
    game = solution.game
    if not isinstance(game, GameTree) or len(game.nodes) != len(tree.nodes):
        raise GameError(f"the tree figure shows a subgame-perfect equilibrium of this tree; got the "
                        f"{solution.concept!r} solution of another game")
    played = equilibrium_play(tree, solution, point)
    if played is None:
        return None
    probs, reach = played
    return _Play(probs, reach, solution.equilibria_at(point)[0])


def tree_figure(tree: GameTree, spe=None, *, point: int = 0, title: str | None = None,
                decision_names: bool = True, beliefs: dict[str, dict[str, float]] | None = None):
    """A `Figure` of the game tree at batch point `point`, with the equilibrium `spe` (a subgame-perfect
    `Solution` of this tree) drawn in bold when given; without `spe`, the question version: every edge
    alike, nothing that gives the equilibrium away.

    Decision nodes are filled in their player's colour and named by player and, with `decision_names`,
    by the decision's id (the name `negosim explain` and the tie notes use); chance nodes are white and
    named "Nature", their edges carry the probabilities; nodes of one information set are joined by a
    dashed line labelled with its id; each leaf shows its outcome's label (or its id in words) and the
    payoffs as the text output prints them, one line per player in player order. `beliefs`
    ({information set: {node id: probability}}, a perfect Bayesian equilibrium's) labels each node of
    a set of two or more nodes with the mover's belief there, e.g. "μ=0.50".

    Parameters
    ----------
    tree : GameTree
    spe : Solution, optional
        A subgame-perfect solution of `tree`, drawn in bold.
    point : int
        The flat index of the batch point drawn.
    title : str, optional
        The figure's title (default: the tree's).
    decision_names : bool
        Name each decision node by its id too.
    beliefs : dict, optional
        Information set -> node id -> probability (a perfect Bayesian equilibrium's beliefs).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import negosim as ns
    >>> from negosim.present.figures import tree_figure
    >>> tree = ns.load("scenarios/entry_deterrence.yaml").build()
    >>> type(tree_figure(tree, ns.equilibria(tree, "spe"))).__name__
    'Figure'
    """
    if not isinstance(tree, GameTree):
        raise GameError(f"the tree figure needs a game tree; got {type(tree).__name__}")
    n_points = tree.batch_size
    if not 0 <= point < n_points:
        raise GameError(f"point {point} is out of range (the game has {n_points} parameter points)")
    layout = tree_layout(tree)
    chance = chance_probs(tree, point)
    play = _play(tree, spe, point)
    payoffs = tree.leaf_payoffs().reshape(-1, len(tree.outcomes), tree.n_players)[point]
    with style.context():
        fig = _draw(tree, layout, chance, play, payoffs, title if title is not None else tree.title,
                    decision_names)
        if beliefs:
            _draw_beliefs(fig.axes[0], tree, layout, beliefs)
        return fig


def _draw_beliefs(ax, tree: GameTree, layout: TreeLayout, beliefs: dict[str, dict[str, float]]) -> None:
    """A small "μ=0.50" under each node of an information set of two or more nodes: the belief there."""
    index = {node.id: i for i, node in enumerate(tree.nodes)}
    y = -layout.depth.astype(float)
    for player, infoset, nodes in tree.infosets():
        if len(nodes) < 2 or infoset not in beliefs:
            continue
        for node_id, prob in beliefs[infoset].items():
            i = index.get(node_id)
            if i is None:
                continue
            ax.annotate(f"μ={prob:.2f}", (layout.x[i], y[i]), xytext=(0, -13), textcoords="offset points",
                        ha="center", va="top", fontsize=style.SMALL_SIZE, color=style.player_color(player),
                        fontweight="bold", zorder=7, gid=style.gid("belief", node_id),
                        bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.9))


def _leaf_lines(tree: GameTree, i: int, payoffs: np.ndarray) -> tuple[str, list[str]]:
    k = tree.nodes[i].outcome
    assert k is not None, "a leaf names its outcome"
    name = style.wrap_words(style.outcome_name(tree.outcomes[k]), LEAF_CHARS)
    return name, [style.fmt_payoff(v) for v in payoffs[k]]


def _sizes(tree: GameTree, layout: TreeLayout, payoffs) -> tuple[float, float, float]:
    """Inches per leaf column, figure width and the height of the leaf labels (inches)."""
    char_in = style.SMALL_SIZE / 72 * 0.62
    widest, lines = 4, 1
    for i in layout.leaves:
        name, pays = _leaf_lines(tree, i, payoffs)
        widest = max(widest, *(len(s) for s in name.split("\n")), *(len(s) for s in pays))
        lines = max(lines, name.count("\n") + 1 + len(pays))
    col = min(max(0.75, widest * char_in + 0.25), LEAF_CHARS * char_in + 0.3)
    width = max(7.0, len(layout.leaves) * col + 1.2)
    return col, width, (lines * LINE_PT + 14) / 72


def _draw(tree, layout, chance, play, payoffs, title, decision_names):
    col, width, label_h = _sizes(tree, layout, payoffs)
    max_depth = int(layout.depth.max())
    footer = _footer_lines(tree, play)
    top_h, bottom_h = 1.55, label_h + 0.25 + len(footer) * 0.2
    height = top_h + max_depth * LEVEL_IN + bottom_h
    fig = style.new_figure(width, height)
    side = (width - len(layout.leaves) * col) / 2
    ax = fig.add_axes((side / width, bottom_h / height, len(layout.leaves) * col / width,
                       max_depth * LEVEL_IN / height if max_depth else 0.01))
    ax.set_xlim(-0.5, len(layout.leaves) - 0.5)
    ax.set_ylim(-max(max_depth, 1e-9), 0)
    ax.set_axis_off()
    ax.set_clip_on(False)
    y = -layout.depth.astype(float)
    _draw_edges(ax, tree, layout, y, chance, play)
    _draw_infosets(ax, tree, layout, y, col)
    _draw_nodes(ax, tree, layout, y, payoffs, decision_names)
    _draw_header(fig, tree, title, play, height)
    fig.text(0.5, 0.1 / height, "\n".join(footer), ha="center", va="bottom", fontsize=style.SMALL_SIZE,
             color=style.INK, linespacing=1.35)
    return fig


def _edge_status(play: _Play | None, i: int, j: int) -> str:
    if play is None:
        return "plain"
    p = play.action_probs[i][j]
    if p <= 0:
        return "other"
    return "path" if play.reach[i] > 0 else "chosen"


def _draw_edges(ax, tree, layout, y, chance, play) -> None:
    widths = {"path": PATH_LW, "chosen": CHOSEN_LW, "other": OTHER_LW, "plain": PLAIN_LW}
    colors = {"path": style.INK, "chosen": style.CHOSEN, "other": style.MUTED, "plain": style.INK}
    for i, node in enumerate(tree.nodes):
        n_kids = len(node.children)
        for j, (action, c) in enumerate(zip(node.actions, node.children)):
            status = _edge_status(play, i, j)
            ax.plot([layout.x[i], layout.x[c]], [y[i], y[c]], color=colors[status], lw=widths[status],
                    solid_capstyle="round", clip_on=False, zorder=2 if status == "path" else 1,
                    gid=style.gid("edge", node.id, action, status))
            text = action
            if node.kind == CHANCE:
                text = f"{action} ({fmt_prob(float(chance[i][j]))})"
            elif play is not None and 0 < play.action_probs[i][j] < 1:
                text = f"{action} ({fmt_prob(float(play.action_probs[i][j]))})"
            _edge_label(ax, text, (layout.x[i], y[i]), (layout.x[c], y[c]), j, n_kids, status == "path")


def _edge_label(ax, text, start, end, j, n_kids, bold) -> None:
    """An action name by its edge: beside the middle on the outer side for the outermost edges of a
    node, centred on the edge (interrupting it) for edges in between."""
    (x0, y0), (x1, y1) = start, end
    outer = j in (0, n_kids - 1) and abs(x1 - x0) > 1e-9
    t = 0.5 if outer else 0.6
    xm, ym = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
    if not outer:
        ha, va, dx, dy = "center", "center", 0, 0
    elif x1 < x0:
        ha, va, dx, dy = "right", "bottom", -5, 2
    else:
        ha, va, dx, dy = "left", "bottom", 5, 2
    ax.annotate(text, (xm, ym), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                fontsize=style.TEXT_SIZE, color=style.INK, fontweight="bold" if bold else "normal", zorder=5,
                bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.9 if outer else 1.0))


def _draw_infosets(ax, tree, layout, y, col_in) -> None:
    """Join the nodes of each information set with more than one node by a dashed line in the
    player's colour, labelled with the set's id; the line bows upwards over nodes in between."""
    from matplotlib.patches import FancyArrowPatch

    for player, infoset, nodes in tree.infosets():
        if len(nodes) < 2:
            continue
        color = style.player_color(player)
        members = sorted(nodes, key=lambda i: (y[i], layout.x[i]))
        lift = 0.0
        for a, b in zip(members, members[1:]):
            (xa, ya), (xb, yb) = (layout.x[a], y[a]), (layout.x[b], y[b])
            level = abs(ya - yb) < 1e-9
            between = level and any(abs(y[k] - ya) < 1e-9 and min(xa, xb) < layout.x[k] < max(xa, xb)
                                    for k in range(len(tree.nodes)))
            chord_in = abs(xb - xa) * col_in
            rad = min(0.2, 2 * 0.3 / chord_in) if between else 0.0  # apex about 0.3 in above the line
            lift = max(lift, rad * chord_in / 2)
            ax.add_patch(FancyArrowPatch((xa, ya), (xb, yb), arrowstyle="-", connectionstyle=f"arc3,rad={-rad}",
                                         linestyle=(0, (4, 3)), lw=2.0, color=color, zorder=3, clip_on=False,
                                         shrinkA=10, shrinkB=10, gid=style.gid("infoset", infoset)))
        xs = [layout.x[i] for i in members]
        anchor = ((min(xs) + max(xs)) / 2, float(np.mean([y[i] for i in members])))
        ax.annotate(infoset, anchor, xytext=(0, lift * 72 if lift else 6), textcoords="offset points",
                    ha="center", va="center" if lift else "bottom", fontsize=style.SMALL_SIZE + 1, color=color,
                    fontstyle="italic", zorder=5, bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none"))


def _draw_nodes(ax, tree, layout, y, payoffs, decision_names) -> None:
    name_lines = max(_leaf_lines(tree, i, payoffs)[0].count("\n") + 1 for i in layout.leaves)
    for i, node in enumerate(tree.nodes):
        xi, yi = layout.x[i], y[i]
        if node.kind == TERMINAL:
            ax.plot([xi], [yi], marker="s", ms=7, color=style.INK, zorder=4, clip_on=False)
            name, pays = _leaf_lines(tree, i, payoffs)
            ax.annotate(name, (xi, yi), xytext=(0, -9), textcoords="offset points", ha="center", va="top",
                        fontsize=style.SMALL_SIZE, color=style.INK, linespacing=1.0, zorder=5)
            offset = -9 - LINE_PT * name_lines - 3  # the same for every leaf, so payoffs line up
            for p, text in enumerate(pays):
                ax.annotate(text, (xi, yi), xytext=(0, offset - LINE_PT * p), textcoords="offset points",
                            ha="center", va="top", fontsize=style.SMALL_SIZE + 1, fontweight="bold",
                            color=style.player_color(p), zorder=5)
            continue
        parent = layout.parent[i]
        dy: float
        if parent < 0 or abs(layout.x[parent] - xi) < 1e-9:
            dx, ha = (0, "center") if parent < 0 else (-10, "right")
            dy = 11 if parent < 0 else 4
        elif layout.x[parent] > xi:
            dx, dy, ha = -10, 4, "right"
        else:
            dx, dy, ha = 10, 4, "left"
        if node.kind == CHANCE:
            ax.plot([xi], [yi], marker="o", ms=17, mfc="white", mec=style.INK, mew=1.8, zorder=4, clip_on=False)
            label, color, weight = "Nature", style.INK, "normal"
        else:
            color = style.player_color(node.player)
            ax.plot([xi], [yi], marker=style.player_marker(node.player), ms=17, mfc=color, mec="white",
                    mew=1.5, zorder=4, clip_on=False)
            label, weight = tree.players[node.player], "bold"
            if decision_names:  # the decision's id under the player's name, as explanations name it
                ax.annotate(node.id, (xi, yi), xytext=(dx, dy), textcoords="offset points", ha=ha, va="bottom",
                            fontsize=style.SMALL_SIZE, color=color, fontstyle="italic", zorder=6,
                            bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.85),
                            gid=style.gid("decision", node.id))
                dy += LINE_PT
        ax.annotate(label, (xi, yi), xytext=(dx, dy), textcoords="offset points", ha=ha, va="bottom",
                    fontsize=style.TEXT_SIZE + 1, color=color, fontweight=weight, zorder=6, linespacing=1.1,
                    bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.85),
                    fontstyle="italic" if node.kind == CHANCE else "normal")


def _draw_header(fig, tree, title, play, height) -> None:
    from matplotlib.lines import Line2D

    top = 1 - 0.18 / height
    if title:
        fig.text(0.5, top, title, ha="center", va="top", fontsize=style.TITLE_SIZE, fontweight="bold",
                 color=style.INK)
    handles = [Line2D([], [], ls="", marker=style.player_marker(p), ms=12, mfc=style.player_color(p), mec="white",
                      label=name) for p, name in enumerate(tree.players)]
    if tree.chance_probs:
        handles.append(Line2D([], [], ls="", marker="o", ms=12, mfc="white", mec=style.INK, label="Nature"))
    if play is not None:
        handles.append(Line2D([], [], color=style.INK, lw=PATH_LW, label="equilibrium play"))
        handles.append(Line2D([], [], color=style.CHOSEN, lw=CHOSEN_LW, label="equilibrium choice off the play"))
    fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, top - 0.36 / height),
               ncol=len(handles), frameon=False, fontsize=style.TEXT_SIZE, handlelength=2.2,
               columnspacing=1.4)


def _footer_lines(tree, play) -> list[str]:
    lines = [f"Each leaf: outcome, then the payoffs of {', '.join(tree.players)} (top to bottom)."]
    if play is not None:
        lines.append("Subgame-perfect equilibrium: thick edges are its play, medium edges its choices off the play.")
        if play.equilibrium is not None:
            lines.extend(f"Tie: {t}" for t in play.equilibrium.ties)
    return lines
