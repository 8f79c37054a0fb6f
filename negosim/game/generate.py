"""Random games and textbook games, for tests, benchmarks and examples."""

from __future__ import annotations

import numpy as np

from .normal import NormalFormGame


def random_game(shape: tuple[int, ...], *, batch: int | tuple[int, ...] = (),
                rng: np.random.Generator | int | None = None, kind: str = "float",
                low: float | None = None, high: float | None = None) -> NormalFormGame:
    """A batch of random games with ``shape[i]`` actions for player i.

    - ``kind="float"``: standard normal payoffs, or uniform on ``[low, high)`` when both are given.
      Such games are nondegenerate with probability 1.
    - ``kind="int"``: integers drawn uniformly from ``[low, high]`` (default ``[0, 3]``); ties are
      common, so these games are usually degenerate.

    Players are ``P1, P2, ...``; actions are numbered from ``"1"`` as in Gambit files. `rng` is a
    `numpy.random.Generator` or a seed.
    """
    rng = np.random.default_rng(rng)
    shape = tuple(int(k) for k in shape)
    batch = (batch,) if isinstance(batch, (int, np.integer)) else tuple(int(b) for b in batch)
    size = (*batch, len(shape), *shape)
    if kind == "float":
        if low is None and high is None:
            payoffs = rng.standard_normal(size)
        else:
            payoffs = rng.uniform(0.0 if low is None else low, 1.0 if high is None else high, size)
    elif kind == "int":
        lo, hi = (0 if low is None else int(low)), (3 if high is None else int(high))
        payoffs = rng.integers(lo, hi, size=size, endpoint=True).astype(float)
    else:
        raise ValueError(f"kind must be 'float' or 'int', not {kind!r}")
    players = tuple(f"P{i + 1}" for i in range(len(shape)))
    actions = tuple(tuple(str(j + 1) for j in range(k)) for k in shape)
    return NormalFormGame(players, actions, payoffs, title="random game")


def _bimatrix(A, B, actions, title, players=("Row", "Column")) -> NormalFormGame:
    return NormalFormGame.from_bimatrix(A, B, players=players, actions=(actions, actions), title=title)


def prisoners_dilemma() -> NormalFormGame:
    """Prisoner's dilemma (T=5, R=3, P=1, S=0): the only equilibrium is mutual defection."""
    A = [[3, 0], [5, 1]]
    return _bimatrix(A, np.transpose(A), ("cooperate", "defect"), "Prisoner's dilemma")


def matching_pennies() -> NormalFormGame:
    """Matching pennies: the row player wins on a match; the only equilibrium is (1/2, 1/2) each."""
    A = np.array([[1, -1], [-1, 1]])
    return _bimatrix(A, -A, ("heads", "tails"), "Matching pennies")


def battle_of_the_sexes() -> NormalFormGame:
    """Battle of the sexes: two pure equilibria and a mixed one (Row opera 3/5, Column opera 2/5)."""
    return _bimatrix([[3, 0], [0, 2]], [[2, 0], [0, 3]], ("opera", "football"), "Battle of the sexes")


def chicken() -> NormalFormGame:
    """Chicken: two pure equilibria (one swerves) and a mixed one where each swerves with probability 9/10."""
    A = [[0, -1], [1, -10]]
    return _bimatrix(A, np.transpose(A), ("swerve", "straight"), "Chicken")


def stag_hunt() -> NormalFormGame:
    """Stag hunt: both hunt stag, both hunt hare, or each hunts stag with probability 3/4."""
    A = [[4, 0], [3, 3]]
    return _bimatrix(A, np.transpose(A), ("stag", "hare"), "Stag hunt")
