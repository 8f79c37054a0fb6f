"""LaTeX for slides and exams: a normal form as an `sgame` payoff matrix, a game tree as a TikZ picture.

>>> from negosim.game import NormalFormGame
>>> pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]], actions=(("C", "D"), ("C", "D")))
>>> print(to_latex(pd).splitlines()[-5])
\\begin{game}{2}{2}[P1][P2]

Matrices use Martin Osborne's `sgame` package (``\\begin{game}{m}{n}[Row][Column]``, a header row of
column actions, then one row per row action with cells ``$3$, $3$``). Trees use plain TikZ: one
``\\node`` per tree node at coordinates from a tidy layout (leaves evenly spaced in depth-first order,
each parent centred over its children, so edges never cross), no istgame/forest needed.

Given a solution, each best-response payoff of a matrix is underlined, the textbook convention, so
the pure Nash equilibria are the cells whose payoffs are all underlined; in a tree
the subgame-perfect equilibrium's play is drawn ``very thick`` and its choices off the play ``thick``.
"""

from __future__ import annotations

import itertools
import re

import numpy as np

from ...errors import GameError
from ...game.normal import NormalFormGame
from ...game.tree import CHANCE, DECISION, TERMINAL, GameTree
from ..figures.style import outcome_name, wrap_words
from ..figures.tree_layout import chance_probs, equilibrium_play, tree_layout
from ..text import fmt_number, fmt_prob

_ESCAPES = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
    "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}",
}
_SPECIAL = re.compile("|".join(re.escape(c) for c in _ESCAPES))

LEVEL_CM = 1.7  # vertical distance between depth levels of a tree
CHAR_CM = 0.16  # rough width of one \footnotesize character, for spacing the leaves
MIN_COLUMN_CM = 1.8
LEAF_CHARS = 16  # characters per line of an outcome's name at a leaf
LINE_BREAK = r" \\ "


def latex_escape(text: str) -> str:
    """`text` with LaTeX's special characters escaped, for use in running text."""
    return _SPECIAL.sub(lambda m: _ESCAPES[m.group()], str(text))


def _comment(text: str) -> str:
    return " ".join(str(text).split())


def fmt_payoff(x: float) -> str:
    """A payoff for a printed matrix or tree, as the text output prints it: 3, -0.5, 0.3275."""
    return fmt_number(float(x))


def _fmt_coordinate(x: float, digits: int = 3) -> str:
    """A TikZ coordinate: 1.5, -2, 0.333 (`digits` significant digits, no '-0')."""
    x = float(x)
    r = round(x)
    if abs(x - r) < 1e-9 * max(1.0, abs(x)):
        return str(int(r))
    s = f"{x:.{digits}g}"
    return "0" if re.fullmatch(r"-?0(\.0*)?", s) else s


def to_latex(game, *, solution=None, title: str | None = None, standalone: bool = False, point: int = 0) -> str:
    """LaTeX source for `game` at batch point `point`: an `sgame` matrix (normal form) or a TikZ tree.

    `solution`: a `Solution` (or a list of them, e.g. from `solve_source`); a normal form's
    best-response payoffs are then underlined (a cell with every payoff underlined is a pure Nash
    equilibrium), a tree's subgame-perfect equilibrium is drawn in bold. `standalone=True`
    gives a complete document (`standalone` class) that compiles alone; otherwise a fragment whose
    leading comment lists the packages it needs. `title` heads a standalone document and is a comment
    in a fragment.
    """
    if not isinstance(game, (NormalFormGame, GameTree)):
        raise GameError(f"LaTeX export needs a game; got {type(game).__name__}")
    if not 0 <= point < game.batch_size:
        raise GameError(f"point {point} is out of range (the game has {game.batch_size} parameter points)")
    heading = latex_escape(title) if title and standalone else None
    if isinstance(game, NormalFormGame):
        package = "sgame"
        single = game.at(point) if game.batch_shape else game
        body = _matrices(single, _best_responses(single) if _solutions(solution) else None)
        if heading:
            body = rf"\textbf{{{heading}}}\par\medskip" + "\n" + body
    else:
        package = "tikz"
        body = tree_tikz(game, _spe(game, solution), point=point, heading=heading)
    if standalone:
        # Matrices with captions need paragraphs (varwidth); a picture is one box and needs no width.
        options = "varwidth, border=8pt" if package == "sgame" else "border=8pt"
        return "\n".join([rf"\documentclass[{options}]{{standalone}}", rf"\usepackage{{{package}}}",
                          r"\begin{document}", body, r"\end{document}", ""])
    lines = [f"% negosim: needs \\usepackage{{{package}}}"]
    if title:
        lines.append(f"% {_comment(title)}")
    return "\n".join([*lines, body, ""])


# --- normal form ---------------------------------------------------------------------------------
def _solutions(solution) -> list:
    if solution is None:
        return []
    if isinstance(solution, (list, tuple)):
        return list(solution)
    return [solution]


def _best_responses(game: NormalFormGame) -> np.ndarray:
    """(n_players, *shape) bool: player i's payoff in a cell is a best response (within tol) to the others."""
    from ...solve.tolerance import scaled_tol

    tol = float(scaled_tol(game.payoff_range()))
    return np.stack([game.payoffs[i] >= game.payoffs[i].max(axis=i, keepdims=True) - tol
                     for i in range(game.n_players)])


def _matrices(game: NormalFormGame, marks: np.ndarray | None) -> str:
    """One `game` environment per profile of players 3.. (each captioned), just one for 1 or 2 players.
    `marks`: best-response flags (see `_best_responses`) to underline, or None for a plain matrix."""

    def cell(profile):
        flags = marks[(slice(None), *profile)] if marks is not None else None
        return _cell(game.payoffs[(slice(None), *profile)], flags)

    if game.n_players == 1:  # a column of payoffs
        cells = [[cell((i,))] for i in range(len(game.actions[0]))]
        return _matrix(game.actions[0], ("payoff",), cells, latex_escape(game.players[0]), "")
    blocks = []
    for rest in itertools.product(*(range(len(a)) for a in game.actions[2:])):
        if rest:
            who = ", ".join(rf"{latex_escape(game.players[2 + k])} plays "
                            rf"\emph{{{latex_escape(game.actions[2 + k][a])}}}"
                            for k, a in enumerate(rest))
            blocks.append(rf"\par\medskip\noindent {who}:\par\smallskip")
        cells = [[cell((i, j, *rest)) for j in range(len(game.actions[1]))] for i in range(len(game.actions[0]))]
        blocks.append(_matrix(game.actions[0], game.actions[1], cells,
                              latex_escape(game.players[0]), latex_escape(game.players[1])))
    return "\n".join(blocks)


def _cell(payoffs, best=None) -> str:
    """'$3$, $3$'; with best-response flags, those payoffs underlined: '$\\underline{3}$, $3$'."""
    if best is None:
        best = [False] * len(payoffs)
    return ", ".join(rf"$\underline{{{fmt_payoff(v)}}}$" if b else f"${fmt_payoff(v)}$" for v, b in zip(payoffs, best))


def _matrix(rows, cols, cells, row_player: str, col_player: str) -> str:
    lines = [rf"\begin{{game}}{{{len(rows)}}}{{{len(cols)}}}[{row_player}][{col_player}]",
             "    & " + " & ".join(latex_escape(c) for c in cols) + r" \\"]
    for i, r in enumerate(rows):
        end = r" \\" if i < len(rows) - 1 else ""
        lines.append(f"{latex_escape(r)} & " + " & ".join(cells[i]) + end)
    lines.append(r"\end{game}")
    return "\n".join(lines)


# --- game trees ----------------------------------------------------------------------------------
def _spe(tree: GameTree, solution):
    sols = _solutions(solution)
    if not sols:
        return None
    for sol in sols:
        if sol.concept == "spe" and sol.game is tree:
            return sol
    for sol in sols:
        if isinstance(sol.game, GameTree):
            return sol
    raise GameError("a tree is drawn with its subgame-perfect equilibrium; got the solution of a normal form "
                    f"({', '.join(s.concept for s in sols)})")


def _behaviour(tree: GameTree, spe, point: int):
    """(action probabilities per decision/chance node, reach probability per node or None) at `point`."""
    played = equilibrium_play(tree, spe, point)
    return played if played is not None else (chance_probs(tree, point), None)


def tree_tikz(tree: GameTree, spe=None, *, point: int = 0, heading: str | None = None) -> str:
    """A `tikzpicture` of `tree` at `point`: players at decision nodes, actions (and chance probabilities)
    on edges, outcome labels and payoffs at the leaves, dashed lines joining the nodes of an information
    set, and the equilibrium `spe` (a subgame-perfect `Solution`) in bold. `heading` (LaTeX) is set in
    bold above the picture."""
    layout = tree_layout(tree)
    x, depth, parent = layout.x, layout.depth, list(layout.parent)
    y = _heights(tree, x, depth)
    grouped = {i for _, _, nodes in tree.infosets() if len(nodes) > 1 for i in nodes}
    probs, reach = _behaviour(tree, spe, point)
    payoffs = tree.leaf_payoffs().reshape(-1, len(tree.outcomes), tree.n_players)[point]
    leaf_text = {i: _leaf_lines(tree, i, payoffs) for i, node in enumerate(tree.nodes) if node.kind == TERMINAL}
    widest = max(len(_visible(line)) for lines in leaf_text.values() for line in lines)
    column = max(MIN_COLUMN_CM, round(widest * CHAR_CM + 0.5, 1))
    lines = [
        "% Game tree drawn by negosim: " + ("very thick = the subgame-perfect equilibrium's play, "
                                            "thick = its choices off the play; " if reach is not None else "")
        + "dashed = an information set. Scale with \\resizebox{\\linewidth}{!}{...} if needed.",
        rf"\begin{{tikzpicture}}[x={column}cm, y={LEVEL_CM}cm,",
        r"    decision/.style={circle, fill, inner sep=0pt, minimum size=5pt},",
        r"    chance/.style={circle, draw, fill=white, inner sep=0pt, minimum size=6pt},",
        r"    outcome/.style={anchor=north, align=center, font=\footnotesize, inner sep=2pt},",
        r"    player/.style={font=\small\bfseries}, act/.style={font=\small, inner sep=2pt}]",
    ]
    for i in tree.preorder():
        node = tree.nodes[i]
        at = f"({_fmt_coordinate(x[i])}, {_fmt_coordinate(y[i])})"
        if node.label:
            lines.append(f"% {node.id}: {_comment(node.label)}")
        if node.kind == TERMINAL:
            text = LINE_BREAK.join(leaf_text[i])
            lines.append(rf"\node[outcome] (n{i}) at {at} {{{text}}};")
            continue
        who = "Nature" if node.kind == CHANCE else latex_escape(tree.players[node.mover])
        side = "above" if parent[i] < 0 else ("left" if x[i] <= x[parent[i]] else "right")
        if i in grouped and parent[i] >= 0:  # beside the node runs the information set's dashed line
            side = f"above {side}"
        style = "chance" if node.kind == CHANCE else "decision"
        lines.append(rf"\node[{style}, label={{[player]{side}:{who}}}] (n{i}) at {at} {{}};")
    for i in tree.preorder():
        node = tree.nodes[i]
        for j, (a, c) in enumerate(zip(node.actions, node.children)):
            lines.append(_edge(i, j, a, c, node, x, probs, reach))
    lines += _infoset_lines(tree, x)
    lines.append(_legend(tree, x, leaf_text))
    if heading:
        lines.append(rf"\path (current bounding box.north) node[anchor=south, font=\bfseries, "
                     rf"inner sep=6pt] {{{heading}}};")
    lines.append(r"\end{tikzpicture}")
    return "\n".join(lines)


def _heights(tree: GameTree, x, depth) -> np.ndarray:
    """The y of each node: minus its depth, except that a leaf lying under an information set's dashed
    line (between two of its nodes at the leaf's depth) moves half a level down, clear of the line."""
    y = -depth.astype(float)
    for _, _, nodes in tree.infosets():
        for d in {int(depth[i]) for i in nodes}:
            xs = [x[i] for i in nodes if depth[i] == d]
            if len(xs) < 2:
                continue
            for i, node in enumerate(tree.nodes):
                if node.kind == TERMINAL and depth[i] == d and min(xs) < x[i] < max(xs):
                    y[i] = -d - 0.5
    return y


def _visible(latex: str) -> str:
    """Roughly the characters `latex` prints (for estimating widths)."""
    return re.sub(r"\\[a-zA-Z]+ ?|[{}$\\]", "", latex)


def _leaf_lines(tree: GameTree, i: int, payoffs: np.ndarray) -> list[str]:
    k = tree.nodes[i].outcome
    assert k is not None, "a leaf names its outcome"
    label = wrap_words(outcome_name(tree.outcomes[k]), LEAF_CHARS)
    name = [rf"\textit{{{latex_escape(part)}}}" for part in label.split("\n")]
    values = [fmt_payoff(v) for v in payoffs[k]]
    if tree.n_players <= 2:
        return [rf"\strut {t}" for t in [*name, "$(" + r",\ ".join(values) + ")$"]]
    return [rf"\strut {t}" for t in [*name, *(f"${v}$" for v in values)]]


def _edge(i: int, j: int, action: str, child: int, node, x, probs, reach) -> str:
    label = latex_escape(action)
    p = probs.get(i)
    if node.kind == CHANCE:
        label += f" (${fmt_prob(float(p[j]))}$)"
    elif p is not None and 0 < p[j] < 1:
        label += f" [${fmt_prob(float(p[j]))}$]"  # a mixed choice: its probability
    dx = x[child] - x[i]
    side = "left" if dx < 0 else "right"
    style = ""
    if reach is not None and reach[child] > 0:
        style = "[very thick]"
    elif reach is not None and node.kind == DECISION and p is not None and p[j] >= 1.0:
        style = "[thick]"
    return rf"\draw{style} (n{i}) -- node[act, midway, {side}] {{{label}}} (n{child});"


def _infoset_lines(tree: GameTree, x) -> list[str]:
    lines = []
    for player, infoset, nodes in tree.infosets():
        if len(nodes) < 2:
            continue
        ordered = sorted(nodes, key=lambda k: x[k])
        lines.append(f"% information set {infoset} of {tree.players[player]}")
        for a, b in zip(ordered, ordered[1:]):
            lines.append(rf"\draw[dashed, thick] (n{a}) -- (n{b});")
    return lines


def _legend(tree: GameTree, x, leaf_text: dict) -> str:
    """Which payoff is whose, as row labels left of the leftmost leaf (a `\\path ... node`, not a tree
    node): its lines face the leaf's lines, so each player's name stands beside that player's payoff."""
    first = min(leaf_text, key=lambda i: x[i])
    names = [latex_escape(p) for p in tree.players]
    rows = ["(" + ", ".join(names) + ")"] if tree.n_players <= 2 else names
    lines = [r"\strut"] * (len(leaf_text[first]) - len(rows)) + [rf"\strut {r}" for r in rows]
    return (rf"\path (n{first}.north west) node[anchor=north east, align=right, inner sep=2pt, "
            rf"font=\footnotesize\itshape] {{{LINE_BREAK.join(lines)}}};")
