"""Backward induction over a batch of points, a group of decision nodes at a time (trees of perfect information).

`subgame_perfect` walks a tree node by node in Python; a caller that solves the same tree at many small
batches (boundary bisection, `negosim.sweep.tree_points`) groups its decision nodes by height and number
of actions and solves each group with a few numpy calls (`solve_group`), with `subgame_perfect`'s
arithmetic, so the choices, values and ties are the same.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class NodeGroup:
    """Decision nodes of one height and one number of actions, solved together by `solve_group`.

    Rows index the first axis after the players' of the solve's array ``X`` ``(n_players, rows, points)``:
    each node has a value row and a best-reply row (each player's best deviation value at the node,
    the others following their choices); a leaf's best-reply row is its value row.

    Attributes
    ----------
    rows, reply : numpy.ndarray
        ``(g,)`` the nodes' value and best-reply rows.
    kids, kids_reply : numpy.ndarray
        ``(g, k)`` their children's value and best-reply rows, in action order.
    mover : numpy.ndarray
        ``(g,)`` the player who moves at each.
    rank : numpy.ndarray
        ``(g, k)`` int8: each action's place in the tie rules' order (`TieRules.priority`; 0 wins a tie).
    dec : numpy.ndarray
        ``(g,)`` the nodes' rows in the caller's choice array.

    Examples
    --------
    One node (value row 2, best-reply row 3) of player 0 over two leaves (rows 0 and 1):

    >>> import numpy as np
    >>> g = NodeGroup(rows=np.array([2]), reply=np.array([3]), kids=np.array([[0, 1]]),
    ...               kids_reply=np.array([[0, 1]]), mover=np.array([0]),
    ...               rank=np.array([[0, 1]], dtype=np.int8), dec=np.array([0]))
    >>> g.kids.shape  # one node, two actions
    (1, 2)
    """

    rows: np.ndarray  # (g,) their value rows
    reply: np.ndarray  # (g,) their best-reply rows
    kids: np.ndarray  # (g, k) their children's value rows
    kids_reply: np.ndarray  # (g, k) their children's best-reply rows (a leaf's is its value row)
    mover: np.ndarray  # (g,) the player who moves
    rank: np.ndarray  # (g, k) int8: each action's place in the tie rules' order (0 wins a tie)
    dec: np.ndarray  # (g,) their indices among the decisions (choice rows)


def solve_group(g: NodeGroup, X: np.ndarray, tol: np.ndarray, any_tied: np.ndarray,
                 choice: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Backward induction at a group of decision nodes over a batch, with `subgame_perfect`'s arithmetic.

    At each node and point: the running maximum of the mover's values in action order, the actions
    within ``best - tol`` tied, the tie rules' most preferred tied action chosen, and the node's values
    (every player's) copied from that child; each player's best-reply value is the chosen child's,
    except the mover's, the largest of its children's.

    Parameters
    ----------
    g : NodeGroup
    X : numpy.ndarray
        ``(n_players, rows, points)``: the children's rows are read, the nodes' rows written.
    tol : numpy.ndarray
        ``(points,)`` the decision tolerance.
    any_tied : numpy.ndarray
        ``(points,)`` bool, or-ed with "a node has two tied actions".
    choice : numpy.ndarray
        ``(decisions, points)``: the nodes' choices are written into rows ``g.dec``.

    Returns
    -------
    worst : numpy.ndarray
        ``(points,)`` the largest ``best - taken`` (what `subgame_perfect`'s choice check compares with tol).
    M : numpy.ndarray
        ``(g, k, points)`` the movers' values of each action.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.zeros((2, 4, 2))
    >>> X[0, :2] = [[1.0, 0.0], [1.0, 2.0]]  # player 0's payoffs of two leaves at two points (rows 0, 1)
    >>> g = NodeGroup(np.array([2]), np.array([3]), np.array([[0, 1]]), np.array([[0, 1]]), np.array([0]),
    ...               np.array([[0, 1]], dtype=np.int8), np.array([0]))
    >>> tied, choice = np.zeros(2, dtype=bool), np.zeros((1, 2), dtype=np.int16)
    >>> worst, _ = solve_group(g, X, np.array([1e-9, 1e-9]), tied, choice)
    >>> choice.tolist(), X[0, 2].tolist(), tied.tolist()  # at point 0 a tie, won by the first action
    ([[0, 1]], [1.0, 2.0], [True, False])
    """
    k = g.kids.shape[1]
    M = X[g.mover[:, None], g.kids]  # (g, k, B) the mover's value of each action
    best = M[:, 0]
    for j in range(1, k):  # (the running maximum in action order, as `_decide` takes it)
        best = np.maximum(best, M[:, j])
    tied = M >= (best - tol)[:, None]
    c = np.where(tied, g.rank[:, :, None], np.int8(k)).argmin(axis=1)  # the most preferred tied action
    if k > 1:
        any_tied |= (tied.sum(axis=1, dtype=np.int8) > 1).any(axis=0)
    chosen = np.take_along_axis(g.kids, c, axis=1)
    chosen_reply = np.take_along_axis(g.kids_reply, c, axis=1)
    points = np.arange(X.shape[2])
    for p in range(X.shape[0]):
        Xp = X[p]
        Xp[g.rows] = Xp[chosen, points]
        Xp[g.reply] = Xp[chosen_reply, points]  # the others follow the choice
    X[g.mover, g.reply] = X[g.mover[:, None], g.kids_reply].max(axis=1)  # the mover deviates at will
    choice[g.dec] = c
    taken = np.take_along_axis(M, c[:, None, :], axis=1)[:, 0]
    return (best - taken).max(axis=0), M


def tied_pattern(vals: np.ndarray, real: np.ndarray, tol: float) -> np.ndarray:
    """Which actions of each node are tied at one tolerance, as `solve_group` ties them.

    Parameters
    ----------
    vals : numpy.ndarray
        ``(nodes, kmax)`` the mover's value of each action.
    real : numpy.ndarray
        ``(nodes, kmax)`` bool: the node has that action (shorter rows are padded).
    tol : float

    Returns
    -------
    numpy.ndarray
        ``(nodes, kmax)`` bool.

    Examples
    --------
    >>> import numpy as np
    >>> tied_pattern(np.array([[1.0, 1.0 - 1e-12, 0.0]]), np.array([[True, True, False]]), 1e-9).tolist()
    [[True, True, False]]
    """
    masked = np.where(real, vals, -np.inf)
    best = masked[:, 0]
    for j in range(1, masked.shape[1]):
        best = np.maximum(best, masked[:, j])
    return real & (masked >= (best - tol)[:, None])


__all__ = ["NodeGroup", "solve_group", "tied_pattern"]
