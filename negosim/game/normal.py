"""Labelled n-player normal-form games with a leading batch of parameter points."""

from __future__ import annotations

from dataclasses import field
from functools import cache

import numpy as np

from ..errors import GameError
from ..limits import MAX_PLAYERS
from ..records import dataclass  # (frozen dataclasses made with less compiling: negosim.records)
from .ties import NO_TIE_RULES, TieRules

#: Label objects (players, actions) already checked, by their ids: tuples of str, immutable all the way
#: down, so a game built again from the same objects (`from_bimatrix`'s defaults, `at`, `flat`) needs no
#: second check. Bounded: emptied when full.
_checked_labels: dict[tuple[int, int], tuple[tuple[str, ...], tuple[tuple[str, ...], ...], tuple[int, ...]]] = {}
_CHECKED_LABELS_MAX = 512


def _exact_str_labels(players: object, actions: object) -> bool:
    """Whether the labels are tuples of exact `str` (not a subclass, not a list): immutable, safe to remember."""
    return (type(players) is tuple and all(type(p) is str for p in players) and type(actions) is tuple
            and all(type(acts) is tuple and all(type(a) is str for a in acts) for acts in actions))


@cache
def _numbered_actions(m: int, n: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The default action labels of an m x n bimatrix game, numbered from "1" (one object per shape)."""
    return tuple(str(i + 1) for i in range(m)), tuple(str(j + 1) for j in range(n))


@dataclass(frozen=True, eq=False)
class NormalFormGame:
    """An n-player strategic game, batched over parameter points.

    `payoffs` has shape ``(*batch, n_players, *n_actions)``: ``payoffs[..., i, a1, ..., an]``
    is player ``i``'s payoff when each player ``j`` plays action ``aj``. A single game has
    ``batch_shape == ()``.

    `outcomes` optionally names the outcome of every pure profile: an object array of shape
    ``n_actions`` holding outcome ids (strings), used in reports and sweeps. `ties` are the tie
    rules of the scenario that built the game (they matter when it is turned back into a tree or
    compared with one; normal-form solvers report every equilibrium and need no tie rule).

    Parameters
    ----------
    players : tuple of str
    actions : tuple of tuple of str
        Each player's action labels, in player order.
    payoffs : array_like
        Shape ``(*batch, n_players, *n_actions)``.
    title : str
    outcomes : numpy.ndarray, optional
        Outcome id of every pure profile, shape ``n_actions``.
    ties : TieRules

    Raises
    ------
    GameError
        For shapes that do not fit, repeated labels or a player without actions (a `ValueError`).

    Examples
    --------
    >>> g = NormalFormGame(("Row", "Col"), (("u", "d"), ("l", "r")), [[[1, 0], [0, 1]], [[0, 1], [1, 0]]])
    >>> g.shape, g.batch_shape
    ((2, 2), ())
    """

    players: tuple[str, ...]
    actions: tuple[tuple[str, ...], ...]
    payoffs: np.ndarray
    title: str = ""
    outcomes: np.ndarray | None = field(default=None)
    ties: TieRules = field(default=NO_TIE_RULES, repr=False)

    def __post_init__(self):
        payoffs = np.asarray(self.payoffs, dtype=float)
        object.__setattr__(self, "payoffs", payoffs)
        labels = _checked_labels.get((id(self.players), id(self.actions)))
        if labels is not None and labels[0] is self.players and labels[1] is self.actions:
            players, shape = self.players, labels[2]  # the same label objects as a game checked before
        else:
            players, shape = self._check_labels()
        n = len(players)
        if payoffs.ndim < n + 1 or payoffs.shape[-(n + 1):] != (n, *shape):
            raise GameError(
                f"payoff array has shape {payoffs.shape}; expected (*batch, {n}, {', '.join(map(str, shape))})"
            )
        if self.outcomes is not None:
            outcomes = np.asarray(self.outcomes, dtype=object)
            if outcomes.shape != shape:
                raise GameError(f"outcome array has shape {outcomes.shape}; expected {shape}")
            object.__setattr__(self, "outcomes", outcomes)

    def _check_labels(self) -> tuple[tuple[str, ...], tuple[int, ...]]:
        """Convert the labels to str and check them (`GameError` if they do not fit); remember label objects
        that were already tuples of str, so that the next game built from them (`from_bimatrix`'s defaults,
        `at`, `flat`) skips these checks. Returns (players, number of actions of each)."""
        players = tuple(str(p) for p in self.players)
        actions = tuple(tuple(str(a) for a in acts) for acts in self.actions)
        canonical = _exact_str_labels(self.players, self.actions)  # then already equal to their conversion
        if not canonical:
            object.__setattr__(self, "players", players)
            object.__setattr__(self, "actions", actions)
        n = len(players)
        if n < 1:
            raise GameError("a game needs at least one player")
        if n > MAX_PLAYERS:  # numpy arrays have at most 64 axes: one per player, plus batch and solver axes
            raise GameError(f"a game of {n} players; negosim solves games of at most {MAX_PLAYERS}")
        if len(actions) != n:
            raise GameError(f"{n} players but action lists for {len(actions)}")
        for p, acts in zip(players, actions):
            if len(acts) < 1:
                raise GameError(f"player {p!r} has no actions")
            if len(set(acts)) != len(acts):
                raise GameError(f"player {p!r} has repeated action labels {list(acts)}")
        if len(set(players)) != n:
            raise GameError(f"repeated player labels {list(players)}")
        shape = tuple(len(a) for a in actions)
        if canonical:
            if len(_checked_labels) >= _CHECKED_LABELS_MAX:
                _checked_labels.clear()
            # the value holds the label objects, so their ids stay theirs while the entry lives
            _checked_labels[(id(self.players), id(self.actions))] = (self.players, self.actions, shape)
        return players, shape

    @property
    def n_players(self) -> int:
        return len(self.players)

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of actions of each player."""
        return tuple(len(a) for a in self.actions)

    @property
    def batch_shape(self) -> tuple[int, ...]:
        return self.payoffs.shape[: self.payoffs.ndim - self.n_players - 1]

    @property
    def batch_size(self) -> int:
        return int(np.prod(self.batch_shape, dtype=np.int64))

    def flat(self) -> NormalFormGame:
        """The same game with the batch flattened to one leading axis."""
        n = self.n_players
        pay = self.payoffs.reshape((self.batch_size, n, *self.shape))
        return NormalFormGame(self.players, self.actions, pay, self.title, self.outcomes, self.ties)

    def at(self, index) -> NormalFormGame:
        """The game at one batch index (a tuple, or a flat integer index)."""
        if isinstance(index, (int, np.integer)):
            index = np.unravel_index(int(index), self.batch_shape) if self.batch_shape else ()
        return NormalFormGame(self.players, self.actions, self.payoffs[tuple(index)], self.title, self.outcomes,
                              self.ties)

    def player_index(self, player: str) -> int:
        try:
            return self.players.index(player)
        except ValueError:
            raise GameError(f"unknown player {player!r}; players are {list(self.players)}") from None

    def payoff_range(self) -> np.ndarray:
        """Largest minus smallest payoff at each batch point, shape ``batch_shape``."""
        n = self.n_players
        axes = tuple(range(self.payoffs.ndim - n - 1, self.payoffs.ndim))
        return self.payoffs.max(axis=axes) - self.payoffs.min(axis=axes)

    @classmethod
    def from_bimatrix(cls, A: object, B: object, players: tuple[str, ...] = ("P1", "P2"),
                      actions: tuple[tuple[str, ...], ...] | None = None, title: str = "") -> NormalFormGame:
        """Return a 2-player game from the row and column players' payoff matrices.

        Parameters
        ----------
        A, B : array_like
            Row and column players' payoffs, each ``(*batch, m, n)`` (the batches broadcast).
        players : tuple of str
        actions : tuple of two tuples of str, optional
            Default: numbered from ``"1"``, as in Gambit files.
        title : str

        Returns
        -------
        NormalFormGame

        Examples
        --------
        >>> NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]]).actions
        (('1', '2'), ('1', '2'))
        """
        A = np.asarray(A, dtype=float)
        B = np.asarray(B, dtype=float)
        if A.ndim == 2 and A.shape == B.shape:  # one game: no broadcasting to do (the fixed cost of one game)
            pay = np.array((A, B))
        else:
            A, B = np.broadcast_arrays(A, B)
            pay = np.stack([A, B], axis=-3)
        m, n = A.shape[-2:]
        if actions is None:
            actions = _numbered_actions(m, n)
        if type(players) is not tuple:
            players = tuple(players)
        labels = _checked_labels.get((id(players), id(actions)))
        if (cls is NormalFormGame and labels is not None and labels[0] is players and labels[1] is actions
                and labels[2] == (m, n)):
            # Labels checked before (the defaults after the first game) on payoffs of the shape they name: what
            # `__post_init__` would check holds, so the fields are set as the dataclass's `__init__` would set
            # them, without its frozen setattr per field (half the cost of building one small game).
            game = _new(NormalFormGame)
            _set(game, "__dict__", {"players": players, "actions": actions, "payoffs": pay, "title": title,
                                    "outcomes": None, "ties": NO_TIE_RULES})
            return game
        return cls(players, actions, pay, title)


_new, _set = object.__new__, object.__setattr__
