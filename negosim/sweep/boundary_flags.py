"""What is true at a refined regime boundary: whether the players are indifferent exactly there (a tie
neither side has) and whether a side's outcome is a selection among several equilibria of a subgame.

Split from `negosim.sweep.boundaries`, which locates the boundaries; `flags_and_sides` also gives the
outcome labels just past each side from the same build and solve.
"""

from __future__ import annotations

import numpy as np

from ..game.normal import NormalFormGame
from ..solve import primary
from ..solve.spe import subgame_perfect
from ..solve.tolerance import scaled_tol
from .tree_points import TIE_RTOL, point_flags

# TIE_RTOL: the tie check at a refined boundary (payoffs within this relative tolerance count as tied).


def _points(scenario, base: dict, names: np.ndarray, values: np.ndarray) -> dict[str, np.ndarray]:
    """Parameter arrays for a batch where point i sets parameter names[i] to values[i], others at base."""
    out: dict[str, np.ndarray] = {}
    for name in scenario.parameters:
        mine = names == name
        out[name] = np.where(mine, values, base[name]) if mine.any() else np.asarray(base[name], dtype=float)
    return out


def boundary_flags(scenario, base, names, mid, left, right) -> tuple[np.ndarray, np.ndarray]:
    """Return `tied_at_boundary` and `selection_at_boundary` of each boundary from one batched solve.

    Parameters
    ----------
    scenario : Scenario
    base : dict
        Every parameter's value (the varied one's is replaced per boundary).
    names : numpy.ndarray
        ``(n,)`` the parameter varied at each boundary.
    mid, left, right : numpy.ndarray
        ``(n,)`` each boundary's value, and the points probed just below and above it.

    Returns
    -------
    tied, selected : numpy.ndarray
        ``(n,)`` bools.

    Examples
    --------
    >>> import numpy as np
    >>> from negosim.scenario import load_scenario
    >>> sc = load_scenario("scenarios/entry_deterrence.yaml")
    >>> names = np.array(["rep"], dtype=object)
    >>> [x.tolist() for x in boundary_flags(sc, sc.values(), names, np.array([2.0]), np.array([1.9]), np.array([2.1]))]
    [[True], [False]]
    """
    n = len(mid)
    if getattr(scenario, "form", None) == "bargaining":  # a closed form has no ties and selects nothing
        return np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    params = _points(scenario, base, np.tile(names, 3), np.concatenate([mid, left, right]))
    fast = point_flags(scenario, params, n)  # a tree of perfect information: `negosim.sweep.tree_points`
    if fast is not None:
        return fast[0], fast[1]
    game = scenario.build(params)
    sol = None if isinstance(game, NormalFormGame) else subgame_perfect(game)
    return _tied(_near_best(game, sol), n), _selected(game, sol, n, skip=n)


def flags_and_sides(scenario, base, names, mid, left, right) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return `boundary_flags` and the outcome labels at `left` then `right`, from one build and solve
    where the labels are the built game's own (`negosim.solve.primary.outcome_labels`); a bargaining or
    repeated scenario's labels are not, and are found apart.

    Parameters
    ----------
    scenario : Scenario
    base : dict
        Every parameter's value (the varied one's is replaced per boundary).
    names : numpy.ndarray
        ``(n,)`` the parameter varied at each boundary.
    mid, left, right : numpy.ndarray
        ``(n,)`` each boundary's value, and the points probed just below and above it.

    Returns
    -------
    tied, selected : numpy.ndarray
        ``(n,)`` bools.
    sides : numpy.ndarray
        ``(2n,)`` outcome labels: at every `left`, then at every `right`.

    Examples
    --------
    >>> import numpy as np
    >>> from negosim.scenario import load_scenario
    >>> sc = load_scenario("scenarios/entry_deterrence.yaml")
    >>> names = np.array(["rep"], dtype=object)
    >>> tied, _, sides = flags_and_sides(sc, sc.values(), names, np.array([2.0]), np.array([1.9]), np.array([2.1]))
    >>> tied.tolist(), [str(x) for x in sides]
    ([True], ['shared_market', 'stay_out'])
    """
    n = len(mid)
    if getattr(scenario, "form", None) in ("bargaining", "repeated"):
        from .boundaries import _labels_at  # (boundaries imports this module)

        tied, chosen = boundary_flags(scenario, base, names, mid, left, right)
        return tied, chosen, _labels_at(scenario, base, np.concatenate([names, names]), np.concatenate([left, right]))
    params = _points(scenario, base, np.tile(names, 3), np.concatenate([mid, left, right]))
    fast = point_flags(scenario, params, n)  # a tree of perfect information: `negosim.sweep.tree_points`
    if fast is not None:
        return fast
    game = scenario.build(params)
    sol = None if isinstance(game, NormalFormGame) else subgame_perfect(game)
    labels = primary.outcome_labels(game, solution=sol).reshape(-1)  # a normal form's: its pure equilibria
    return _tied(_near_best(game, sol), n), _selected(game, sol, n, skip=n), labels[n:]


def tied_at_boundary(scenario, base, names, mid, left, right) -> np.ndarray:
    """Return whether each boundary point has a tie that neither side has: near-best sets (actions within
    `TIE_RTOL` of the best) larger than both sides'.

    Parameters
    ----------
    scenario : Scenario
    base : dict
        Every parameter's value (the varied one's is replaced per boundary).
    names : numpy.ndarray
        ``(n,)`` the parameter varied at each boundary.
    mid, left, right : numpy.ndarray
        ``(n,)`` each boundary's value, and the points probed just below and above it.

    Returns
    -------
    numpy.ndarray
        ``(n,)`` bools.

    Examples
    --------
    >>> import numpy as np
    >>> from negosim.scenario import load_scenario
    >>> sc = load_scenario("scenarios/entry_deterrence.yaml")
    >>> names = np.array(["rep"], dtype=object)
    >>> tied_at_boundary(sc, sc.values(), names, np.array([2.0]), np.array([1.9]), np.array([2.1])).tolist()
    [True]
    """
    n = len(mid)
    if getattr(scenario, "form", None) == "bargaining":  # a closed form has no ties
        return np.zeros(n, dtype=bool)
    game = scenario.build(_points(scenario, base, np.tile(names, 3), np.concatenate([mid, left, right])))
    return _tied(_near_best(game), n)


def selection_at_boundary(scenario, base, names, left, right) -> np.ndarray:
    """Return whether, just left or just right of each boundary, the subgame-perfect outcome is a selection
    among several equilibria of a subgame (always False for normal forms, whose labels list every pure one).

    Parameters
    ----------
    scenario : Scenario
    base : dict
        Every parameter's value (the varied one's is replaced per boundary).
    names : numpy.ndarray
        ``(n,)`` the parameter varied at each boundary.
    left, right : numpy.ndarray
        ``(n,)`` the points probed just below and above each boundary.

    Returns
    -------
    numpy.ndarray
        ``(n,)`` bools.

    Examples
    --------
    >>> import numpy as np
    >>> from negosim.scenario import load_scenario
    >>> sc = load_scenario("scenarios/entry_deterrence.yaml")
    >>> names = np.array(["rep"], dtype=object)
    >>> selection_at_boundary(sc, sc.values(), names, np.array([1.9]), np.array([2.1])).tolist()
    [False]
    """
    n = len(left)
    if getattr(scenario, "form", None) == "bargaining":  # one solution: nothing is selected
        return np.zeros(n, dtype=bool)
    game = scenario.build(_points(scenario, base, np.tile(names, 2), np.concatenate([left, right])))
    return _selected(game, None, n)


def _tied(near: np.ndarray, n: int) -> np.ndarray:
    """A tie at the boundary (the first n points) that neither side (the next n, then the last n) has."""
    m, l_, r = near.reshape(3, n, -1)
    return np.asarray((m & ~l_).any(axis=1) & (m & ~r).any(axis=1))


def _selected(game, sol, n: int, skip: int = 0) -> np.ndarray:
    """Whether the tree's solution picks by its selection rule at the points skip..skip+n or the next n."""
    if isinstance(game, NormalFormGame):
        return np.zeros(n, dtype=bool)
    sol = sol if sol is not None else subgame_perfect(game)
    selected = np.zeros(game.batch_size, dtype=bool)
    selected[sol.point] = sol.extra["selected"]
    return np.asarray(selected[skip:].reshape(2, n).any(axis=0))


def _near_best(game, sol=None) -> np.ndarray:
    """Per point, a flat bool vector of every (decision, action) within TIE_RTOL of the best there.

    The tolerance is scaled to the largest payoff size at the point (not only to the payoff range,
    which can vanish exactly at a boundary where every payoff is equal).
    """
    B = game.batch_size
    if isinstance(game, NormalFormGame):
        n = game.n_players
        pay = game.payoffs.reshape(B, n, *game.shape)
        tol = _tie_tol(pay.reshape(B, -1)).reshape((B,) + (1,) * n)
        cols = [(pay[:, i] >= pay[:, i].max(axis=1 + i, keepdims=True) - tol).reshape(B, -1) for i in range(n)]
        return np.concatenate(cols, axis=1)
    sol = sol if sol is not None else subgame_perfect(game)
    values = sol.extra["values"]
    tol = _tie_tol(game.leaf_payoffs().reshape(B, -1))[sol.point]
    cols = []
    for node in game.nodes:
        if node.id in sol.extra["tied_actions"]:
            kids = np.stack([values[game.nodes[c].id][:, node.player] for c in node.children], axis=1)
            cols.append(kids >= kids.max(axis=1, keepdims=True) - tol[:, None])
    cols.append(sol.tied[:, None])  # simultaneous subgames: their own tie flag
    out = np.zeros((B, sum(c.shape[1] for c in cols)), dtype=bool)
    out[sol.point] = np.concatenate(cols, axis=1)
    return out


def _tie_tol(flat: np.ndarray) -> np.ndarray:
    """(B,) tie tolerance: TIE_RTOL times the larger of the payoff range and the largest |payoff|."""
    scale = np.maximum(flat.max(axis=1) - flat.min(axis=1), np.abs(flat).max(axis=1))
    return scaled_tol(scale, TIE_RTOL)


__all__ = ["TIE_RTOL", "boundary_flags", "flags_and_sides", "selection_at_boundary", "tied_at_boundary"]
