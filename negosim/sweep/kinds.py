"""Where a signalling game's perfect Bayesian equilibria are separating, pooling or semi-separating.

The kind of a point is the set of kinds of all its perfect Bayesian equilibria (`negosim.solve.pbe`),
joined by " + " ("pooling", "pooling + separating", ...); a point of a tree that is not a signalling
game is "not a signalling game". Changes of kind along one parameter are located by the same batched
bisection as outcome changes (`boundaries`). The search is one parameter point at a time (it cannot
be batched), so this suits the hundreds of points of a one-parameter scan, not a million. A kind
is decided with the equilibrium search's tolerance: a type mixing with probability within about 1e-5
of 1 counts as pure, so a located change can sit that far (in the mixing probability) from the exact one.

>>> from negosim.scenario import load_scenario
>>> str(kind_labels(load_scenario("scenarios/sanctions_uncertain.yaml")))
'semi-separating'
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..game.tree import CHANCE, GameTree

#: The label of a point with no perfect Bayesian equilibrium found.
NO_EQUILIBRIUM = "no equilibrium found"
#: The label of a point of a game that is not a signalling game.
NOT_SIGNALLING = "not a signalling game"


def is_signalling(game) -> bool:
    """Whether `game` is a game tree of the signalling form (`negosim.solve.signalling`).

    Parameters
    ----------
    game : GameTree or NormalFormGame
        A built game.

    Returns
    -------
    bool
        True for a signalling tree; False for any other tree and for a normal form.

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> is_signalling(load_scenario("scenarios/beer_quiche.yaml").build())
    True
    >>> is_signalling(load_scenario("scenarios/ceasefire_2025.yaml").build())
    False
    """
    if not isinstance(game, GameTree) or game.nodes[game.root].kind != CHANCE:
        return False  # a signalling game opens with nature's draw of the sender's type
    from ..solve.signalling import signalling_structure

    infoset_of = {i: k for k, (_, _, nodes) in enumerate(game.infosets()) for i in nodes}
    return signalling_structure(game, infoset_of) is not None


def game_kind_labels(game: GameTree) -> np.ndarray:
    """The kind of every flat batch point of `game` (object array of ``game.batch_size`` labels).

    Parameters
    ----------
    game : GameTree
        A (batched) game tree.

    Returns
    -------
    numpy.ndarray
        Object array of ``game.batch_size`` kinds (`NO_EQUILIBRIUM` where none was found).

    Raises
    ------
    ValueError
        For a game that is not a tree.

    Examples
    --------
    >>> import numpy as np
    >>> from negosim.scenario import load_scenario
    >>> s = load_scenario("scenarios/sanctions_uncertain.yaml")
    >>> game_kind_labels(s.build({"pi": np.array([0.3, 0.7])})).tolist()
    ['semi-separating', 'pooling']
    """
    from ..solve.pbe import perfect_bayesian

    if not isinstance(game, GameTree):
        raise ValueError("equilibrium kinds need a game tree (a signalling game)")
    sol = perfect_bayesian(game)
    kinds: list[set[str]] = [set() for _ in range(game.batch_size)]
    for point, kind in zip(sol.point.tolist(), sol.extra["classification"]):
        kinds[point].add(kind or NOT_SIGNALLING)
    labels = [" + ".join(sorted(k)) if k else NO_EQUILIBRIUM for k in kinds]
    return np.array(labels + [""], dtype=object)[:-1]


def kind_labels(scenario, params: Mapping | None = None) -> np.ndarray:
    """The kind of every point of ``scenario.build(params)`` (object array of the batch's shape).

    Parameters
    ----------
    scenario : Scenario
        A scenario whose game is a tree.
    params : mapping, optional
        Parameter name -> value or array of values (the rest at baseline).

    Returns
    -------
    numpy.ndarray
        Object array of kinds, of the built game's batch shape.

    Examples
    --------
    >>> import numpy as np
    >>> from negosim.scenario import load_scenario
    >>> s = load_scenario("scenarios/sanctions_uncertain.yaml")
    >>> kind_labels(s, {"pi": np.array([0.3, 0.7])}).tolist()
    ['semi-separating', 'pooling']
    """
    game = scenario.build(params)
    return game_kind_labels(game).reshape(game.batch_shape)


def _kinds_at(scenario, base, names, values) -> np.ndarray:
    from . import boundaries  # (only a sweep of a signalling game bisects its kinds)

    return kind_labels(scenario, boundaries._points(scenario, base, names, np.asarray(values, float))).reshape(-1)


#: The look-ahead's cost model for kinds (`bisection.bisect_brackets`'s `balance`): the perfect Bayesian search
#: solves one point after another, tens of milliseconds each, with almost no cost per batch, so a look-ahead
#: that labels midpoints bisection will not visit only adds points: one midpoint a bracket a solve.
KIND_BALANCE = 0.5


def locate_kind_boundaries(scenario, parameter: str, lo, hi, base_params: Mapping | None = None, *,
                           tol: float = 1e-9, max_iter: int = 100) -> list[float]:
    """For each bracket ``[lo[i], hi[i]]`` of `parameter` whose ends differ in kind, a value within `tol` of
    where the kind changes (all brackets bisected together). Raise ValueError if some bracket's ends agree.

    Parameters
    ----------
    scenario : Scenario
        A scenario whose game is a tree.
    parameter : str
        The parameter varied.
    lo, hi : float or array_like
        The brackets' ends.
    base_params : mapping, optional
        Values of the other parameters (default: the baseline).
    tol : float
        The bracket width at which bisection stops.
    max_iter : int
        The most bisection steps.

    Returns
    -------
    list of float
        One located value per bracket.

    Raises
    ------
    ValueError
        If both ends of some bracket have the same kind.

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> [round(x, 4) for x in locate_kind_boundaries(load_scenario("scenarios/sanctions_uncertain.yaml"),
    ...                                               "pi", 0.3, 0.7, tol=1e-7)]
    [0.5]
    """
    lo, hi = np.broadcast_arrays(np.atleast_1d(np.asarray(lo, float)), np.atleast_1d(np.asarray(hi, float)))
    from . import boundaries

    names = np.full(lo.shape, parameter, dtype=object)
    base = boundaries._base(scenario, base_params)
    at_lo, at_hi = _kinds_at(scenario, base, names, lo), _kinds_at(scenario, base, names, hi)
    same = at_lo == at_hi
    if same.any():
        i = int(np.flatnonzero(same)[0])
        raise ValueError(f"{parameter}: both ends of the bracket [{lo[i]}, {hi[i]}] are {at_lo[i]!r}")
    lo, hi, _ = boundaries._bisect(scenario, base, names, lo, hi, at_lo, at_hi, tol, max_iter, labels_at=_kinds_at,
                                   balance=KIND_BALANCE)
    return [float(x) for x in (lo + hi) / 2]


#: The column of ``results.csv`` that holds a point's kinds in a sweep of a signalling game.
KIND_COLUMN = "pbe_kind"


def point_kinds(found: dict[str, np.ndarray], points: int) -> np.ndarray:
    """Each point's `KIND_COLUMN` value from a sweep's result columns ``point`` and `KIND_COLUMN` (as
    `negosim.sweep.output.read_columns` returns them, from either table format); a point with no row
    keeps `NO_EQUILIBRIUM`.

    Parameters
    ----------
    found : dict
        ``{"point": (rows,) ints, KIND_COLUMN: (rows,) labels}``.
    points : int
        The sweep's number of points.

    Returns
    -------
    numpy.ndarray
        Object array of `points` kinds.

    Examples
    --------
    >>> point_kinds({"point": np.array([0]), KIND_COLUMN: np.array(["pooling"], dtype=object)}, 2).tolist()
    ['pooling', 'no equilibrium found']
    """
    kinds = np.full(points, NO_EQUILIBRIUM, dtype=object)
    kinds[np.asarray(found["point"], dtype=np.int64)] = found[KIND_COLUMN]
    return kinds


def sweep_kinds(scenario, kinds: np.ndarray, name: str | None, values: np.ndarray | None,
                tol: float = 1e-9) -> dict:
    """What ``summary.json`` says of a signalling game's kinds: ``kinds`` (points per kind) and, for a sweep of
    one parameter `name` over `values` (each point's value), ``kind_boundaries``: where consecutive values
    differ in kind, the value located by `locate_kind_boundaries`, with the kinds below and above.

    Parameters
    ----------
    scenario : Scenario
        The swept scenario.
    kinds : numpy.ndarray
        Each point's kind.
    name : str or None
        The one varied parameter (None: no boundaries).
    values : numpy.ndarray or None
        Each point's value of `name`.
    tol : float
        The bisection's tolerance.

    Returns
    -------
    dict
        ``kinds`` (kind -> points) and, with `name` and `values`, ``kind_boundaries`` (a list of dicts
        with ``parameter``, ``value``, ``below`` and ``above``).

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> s = load_scenario("scenarios/sanctions_uncertain.yaml")
    >>> v = np.array([0.3, 0.7])
    >>> out = sweep_kinds(s, kind_labels(s, {"pi": v}), "pi", v, tol=1e-7)
    >>> out["kinds"], [(round(b["value"], 4), b["below"], b["above"]) for b in out["kind_boundaries"]]
    ({'pooling': 1, 'semi-separating': 1}, [(0.5, 'semi-separating', 'pooling')])
    """
    names, counts = np.unique(kinds.astype(str), return_counts=True)
    out: dict = {"kinds": {str(n): int(c) for n, c in zip(names, counts)}}
    if name is None or values is None:
        return out
    order = np.argsort(values, kind="stable")
    v, k = np.asarray(values, float)[order], kinds[order]
    change = np.flatnonzero((k[1:] != k[:-1]) & (v[1:] > v[:-1]))
    found = locate_kind_boundaries(scenario, name, v[change], v[change + 1], tol=tol) if len(change) else []
    out["kind_boundaries"] = [{"parameter": name, "value": x, "below": str(k[i]), "above": str(k[i + 1])}
                              for x, i in zip(found, change)]
    return out


__all__ = ["NOT_SIGNALLING", "KIND_COLUMN", "NO_EQUILIBRIUM", "game_kind_labels", "is_signalling", "kind_labels",
           "locate_kind_boundaries", "point_kinds",
           "sweep_kinds"]
