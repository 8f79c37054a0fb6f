"""The structure of a support profile's indifference system, before any payoff is looked at.

For a support profile (a nonempty set of actions per player) the equilibria with exactly that
support solve a square multilinear system: each player with two or more support actions has one
unknown per support action beyond the first, and one equation per such action. This module lists
the supports (`supports`), counts the start roots of their linear-product homotopy
(`bezout_number`, `path_count`, which the size policy reads before anything is built), lays out a
support's unknowns and start-root assignments (`support_system`), and maps unknowns back to
probability vectors over all actions (`full_profiles`, `near_profile`). The systems themselves, with
the game's payoffs, are `negosim.solve.indifference`; the enumeration is `negosim.solve.nplayer`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from math import comb

import numpy as np


@dataclass(frozen=True)
class SupportSystem:
    """The indifference system of one support profile: its unknowns and its start roots' structure.

    Attributes
    ----------
    support : tuple of tuple of int
        The support actions of each player.
    groups : tuple of int
        The players with at least two support actions (they have unknowns).
    sizes : tuple of int
        Unknowns per player (support size - 1; 0 for a player with one action).
    offsets : tuple of int
        Where each player's unknowns start in the vector of unknowns.
    assignments : tuple of tuple of int
        Per start root: the group each equation takes its zero factor from.

    Examples
    --------
    >>> system = support_system(((0, 1), (0, 1), (0,)))
    >>> system.groups, system.sizes, system.offsets, system.n_unknowns, system.assignments
    ((0, 1), (1, 1, 0), (0, 1, 2), 2, ((1, 0),))
    """

    support: tuple[tuple[int, ...], ...]  # actions of each player
    groups: tuple[int, ...]  # players with at least two support actions (they have unknowns)
    sizes: tuple[int, ...]  # unknowns per player (support size - 1; 0 for a pure player)
    offsets: tuple[int, ...]  # where each player's unknowns start in x
    assignments: tuple[tuple[int, ...], ...]  # per start root: the group each equation's zero factor is in

    @property
    def n_unknowns(self) -> int:
        return sum(self.sizes)


def supports(shape: tuple[int, ...]) -> list[tuple[tuple[int, ...], ...]]:
    """Return every support profile of a game of this shape, smallest first.

    Parameters
    ----------
    shape : tuple of int
        Actions per player.

    Returns
    -------
    list of tuple of tuple of int
        Each profile's support actions per player, by total size and then in order.

    Examples
    --------
    >>> len(supports((2, 2))), supports((2, 2))[:2], supports((2, 2))[-1]
    (9, [((0,), (0,)), ((0,), (1,))], ((0, 1), (0, 1)))
    """
    per_player = [[c for r in range(1, k + 1) for c in itertools.combinations(range(k), r)] for k in shape]
    return sorted(itertools.product(*per_player), key=lambda s: (sum(map(len, s)), s))


def bezout_number(sizes: tuple[int, ...]) -> int:
    """Return the start roots of the linear-product system of a support with `sizes` unknowns per player.

    Each of player i's ``sizes[i]`` equations takes its zero factor from another player j, and j's
    unknowns take exactly ``sizes[j]`` equations: the multihomogeneous Bezout number.

    Parameters
    ----------
    sizes : tuple of int
        Unknowns per player (support size - 1).

    Returns
    -------
    int
        The number of start roots (1 for a pure support).

    Examples
    --------
    >>> bezout_number((1, 1, 1)), bezout_number((2, 2, 2)), bezout_number((0, 1, 1))
    (2, 10, 1)
    """
    from functools import cache

    groups = [i for i, m in enumerate(sizes) if m > 0]
    equations = [i for i in groups for _ in range(sizes[i])]

    @cache
    def count(k: int, capacity: tuple[int, ...]) -> int:
        if k == len(equations):
            return 1
        return sum(count(k + 1, capacity[:j] + (capacity[j] - 1,) + capacity[j + 1:])
                   for j, g in enumerate(groups) if g != equations[k] and capacity[j] > 0)

    return count(0, tuple(sizes[g] for g in groups))


def path_count(shape: tuple[int, ...]) -> int:
    """Return the homotopy paths `all_nash` tracks per parameter point for a game of this shape.

    Computed from the support sizes alone (supports with the same sizes have the same Bezout
    number; a pure support counts 1), so the size policy can decide before anything is built.

    Parameters
    ----------
    shape : tuple of int
        Actions per player.

    Returns
    -------
    int
        Paths summed over every support profile.

    Examples
    --------
    >>> path_count((2, 2, 2)), path_count((3, 3, 3))
    (16, 271)
    """
    total = 0
    for sizes in itertools.product(*(range(k) for k in shape)):
        ways = 1
        for k, m in zip(shape, sizes):
            ways *= comb(k, m + 1)
        total += ways * bezout_number(sizes)  # 1 for a pure support (no unknowns)
    return total


def support_system(support: tuple[tuple[int, ...], ...]) -> SupportSystem:
    """Return the structure of one support's system and the start roots of its linear-product homotopy.

    Parameters
    ----------
    support : tuple of tuple of int
        The support actions of each player.

    Returns
    -------
    SupportSystem
        Its unknowns per player and one assignment of zero factors per start root.

    Examples
    --------
    >>> len(support_system(((0, 1), (0, 1), (0, 1))).assignments)
    2
    """
    sizes = tuple(len(s) - 1 for s in support)
    groups = tuple(i for i, m in enumerate(sizes) if m > 0)
    offsets = tuple(int(v) for v in np.concatenate([[0], np.cumsum(sizes)[:-1]]))
    equations = [(i, r) for i in groups for r in range(sizes[i])]
    capacity = {j: sizes[j] for j in groups}
    found: list[tuple[int, ...]] = []

    def assign(k: int, chosen: list[int]) -> None:
        if k == len(equations):
            found.append(tuple(chosen))
            return
        owner = equations[k][0]
        for j in groups:
            if j != owner and capacity[j] > 0:
                capacity[j] -= 1
                assign(k + 1, [*chosen, j])
                capacity[j] += 1

    assign(0, [])
    return SupportSystem(tuple(support), groups, sizes, offsets, tuple(found))


def full_profiles(system: SupportSystem, x: np.ndarray, shape: tuple[int, ...]) -> list[np.ndarray]:
    """Return probability vectors over all actions from the unknowns of a support's system.

    Parameters
    ----------
    system : SupportSystem
        The support's system.
    x : numpy.ndarray
        ``(rows, n_unknowns)`` values of the unknowns (each player's probabilities of its support
        actions beyond the first).
    shape : tuple of int
        Actions per player.

    Returns
    -------
    list of numpy.ndarray
        Per player, ``(rows, actions)`` probabilities (the first support action takes the rest).

    Examples
    --------
    >>> system = support_system(((0, 1), (1,)))
    >>> [f.tolist() for f in full_profiles(system, np.array([[0.25]]), (2, 2))]
    [[[0.75, 0.25]], [[0.0, 1.0]]]
    """
    out = []
    for k, (acts, m) in enumerate(zip(system.support, system.sizes)):
        full = np.zeros((len(x), shape[k]))
        xs = x[:, system.offsets[k]:system.offsets[k] + m] if m else np.zeros((len(x), 0))
        full[:, acts[0]] = 1 - xs.sum(axis=1)
        for r, a in enumerate(acts[1:]):
            full[:, a] = xs[:, r]
        out.append(full)
    return out


def near_profile(system: SupportSystem, x: np.ndarray, slack: float = 0.01) -> np.ndarray:
    """Return the rows of `x` that are nearly real and whose implied probabilities lie nearly in [0, 1].

    Parameters
    ----------
    system : SupportSystem
        The support's system.
    x : numpy.ndarray
        ``(rows, n_unknowns)`` complex values of the unknowns.
    slack : float
        How far outside [0, 1] (and how large an imaginary part) still counts as near.

    Returns
    -------
    numpy.ndarray
        ``(rows,)`` booleans.

    Examples
    --------
    >>> system = support_system(((0, 1), (1,)))
    >>> near_profile(system, np.array([[0.25 + 0j], [3.0 + 0j], [0.5 + 1j]])).tolist()
    [True, False, False]
    """
    real = np.abs(x.imag).max(axis=1) <= slack
    full = full_profiles(system, x.real, tuple(max(s) + 1 for s in system.support))
    inside = np.all([((f >= -slack) & (f <= 1 + slack)).all(axis=1) for f in full], axis=0)
    return real & inside


__all__ = ["SupportSystem", "bezout_number", "full_profiles", "near_profile", "path_count", "support_system",
           "supports"]
