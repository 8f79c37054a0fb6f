"""Grim trigger in a repeated game: the discount factor each pure profile needs, batched over points.

A pure profile ``a`` of the stage game is played every period; a player who deviates gains at most
``g_i(a) = max_b u_i(b, a_-i) - u_i(a)`` that period, is detected with probability ``q``, and once
detected is punished forever at a per-period value ``p_i``. Holding to ``a`` is then an equilibrium
iff ``g_i <= delta * q * (u_i(a) - p_i) / (1 - delta)`` for every player (undetected deviations go
unpunished and can be repeated, so the comparison is per period; J. W. Friedman 1971; E. J. Green and
R. H. Porter 1984), that is iff the effective discount factor reaches

    delta*_i(a) = g_i / (g_i + q * (u_i(a) - p_i)).

An extension both must consent to (probability ``rho``) makes the effective discount factor
``delta * rho``. Two punishments are reported:

- **Nash reversion**: ``p_i`` is player i's lowest payoff in a Nash equilibrium of the stage game
  (every Nash equilibrium for 2 players, by complete enumeration; the pure ones otherwise). Playing a
  stage equilibrium forever is itself subgame perfect, so these thresholds are thresholds of
  subgame-perfect equilibria.
- **Minmax** (the folk theorem's bound): ``p_i = min_{a_-i} max_{a_i} u_i`` over pure actions, the
  harshest punishment the others can inflict. Its threshold is the least any punishment can achieve;
  whether the punishers are willing to carry it out is a further question (Fudenberg and Maskin 1986).

A profile with no gain from deviating (a stage Nash equilibrium) needs ``delta* = 0``; one that gives
a player no more than the punishment while tempting it can never be sustained (``delta* = inf``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..game import NormalFormGame
from ..game.profiles import profile_names
from ..solve.primary import primary_solution
from ..solve.tolerance import RTOL

#: Two discount factors closer than this are equal: a profile exactly at its threshold is sustainable
#: (the deviator is indifferent) and marked as a tie.
THRESHOLD_TOL = 1e-9
PUNISHMENTS = ("nash", "minmax")


@dataclass(frozen=True)
class GrimTrigger:
    """The grim-trigger thresholds of every pure profile of a stage game, at a batch of points.

    Attributes
    ----------
    profiles : tuple of str
        Every pure profile's name, ``"(hold, hold)"``, in profile order.
    players : tuple of str
    stage_payoffs : numpy.ndarray
        ``(*batch, n_profiles, n_players)`` each profile's stage payoffs.
    gains : numpy.ndarray
        ``(*batch, n_profiles, n_players)`` each player's best one-period gain from deviating.
    punishment : dict
        ``{"nash": (*batch, n_players), "minmax": (*batch, n_players)}`` per-period punishment values
        (NaN for "nash" where no stage equilibrium was found).
    player_thresholds : dict
        ``{punishment: (*batch, n_profiles, n_players)}`` each player's ``delta*``.
    discount, detection, extension : numpy.ndarray
        ``delta``, ``q`` and ``rho`` at each point, shape `batch`.

    Examples
    --------
    >>> from negosim.game import NormalFormGame
    >>> pd = NormalFormGame.from_bimatrix([[0.6, 0.2], [0.7, 0.3]], [[0.6, 0.7], [0.2, 0.3]])
    >>> g = grim_trigger(pd, 0.5)
    >>> g.profiles[0], round(float(g.threshold()[0]), 6)
    ('(1, 1)', 0.25)
    >>> bool(g.sustainable()[0])
    True
    """

    profiles: tuple[str, ...]
    players: tuple[str, ...]
    stage_payoffs: np.ndarray
    gains: np.ndarray
    punishment: dict[str, np.ndarray]
    player_thresholds: dict[str, np.ndarray]
    discount: np.ndarray
    detection: np.ndarray
    extension: np.ndarray

    @property
    def effective_discount(self) -> np.ndarray:
        """``delta * rho``: how much the next window counts, times the chance there is one."""
        return self.discount * self.extension

    def threshold(self, against: str = "nash") -> np.ndarray:
        """``(*batch, n_profiles)`` the least effective discount factor sustaining each profile."""
        return self.player_thresholds[against].max(axis=-1)

    def discount_needed(self, against: str = "nash") -> np.ndarray:
        """``(*batch, n_profiles)`` the least per-period ``delta`` sustaining each profile at this
        extension probability: ``threshold / rho`` (above 1: no discount factor suffices)."""
        return self.threshold(against) / self.extension[..., None]

    def sustainable(self, against: str = "nash") -> np.ndarray:
        """``(*batch, n_profiles)`` bool: grim trigger sustains the profile at the points' ``delta * rho``."""
        return self.effective_discount[..., None] >= self.threshold(against) - THRESHOLD_TOL

    def at_threshold(self, against: str = "nash") -> np.ndarray:
        """``(*batch, n_profiles)`` bool: ``delta * rho`` equals the threshold (a deviator is indifferent)."""
        return np.abs(self.effective_discount[..., None] - self.threshold(against)) <= THRESHOLD_TOL


def grim_trigger(stage: NormalFormGame, discount: Any, detection: Any = 1.0, extension: Any = 1.0, *,
                 rtol: float = RTOL) -> GrimTrigger:
    """Return the grim-trigger thresholds of every pure profile of `stage`, over its whole batch.

    Parameters
    ----------
    stage : NormalFormGame
        The stage game, with any batch shape.
    discount, detection, extension : float or array
        ``delta`` in (0, 1), ``q`` in (0, 1] and ``rho`` in (0, 1], broadcast to the batch shape.
    rtol : float
        Relative tolerance for the stage game's equilibria and for a gain or loss that counts as zero.

    Returns
    -------
    GrimTrigger

    Examples
    --------
    The truce of DOMAIN.md section 6: holding gives 0.6, war 0.3, violating against a holder 0.7.

    >>> from negosim.game import NormalFormGame
    >>> pd = NormalFormGame.from_bimatrix([[0.6, 0.2], [0.7, 0.3]], [[0.6, 0.7], [0.2, 0.3]])
    >>> g = grim_trigger(pd, 0.3, detection=0.5)
    >>> round(float(g.threshold()[0]), 6), g.sustainable().tolist()
    (0.4, [False, False, False, True])
    """
    batch = stage.batch_shape
    n = stage.n_players
    u = stage.payoffs  # (*batch, n, *actions)
    k = len(batch)
    gains = np.empty((*batch, int(np.prod(stage.shape)), n))
    minmax = np.empty((*batch, n))
    for i in range(n):
        own = u[(Ellipsis, i) + (slice(None),) * n]
        best = own.max(axis=k + i, keepdims=True)
        gains[..., i] = (best - own).reshape(*batch, -1)
        others = tuple(k + j for j in range(n) if j != i)
        minmax[..., i] = best.min(axis=others).reshape(batch) if others else best.reshape(batch)
    stage_pay = np.moveaxis(u.reshape(*batch, n, -1), -1, -2)
    span = np.ptp(u.reshape(*batch, -1), axis=-1) if u.size else np.zeros(batch)
    eps = rtol * np.maximum(span, 1.0)[..., None, None]
    nash = _nash_punishment(stage, rtol)
    q = np.broadcast_to(np.asarray(detection, dtype=float), batch)
    thresholds = {"nash": _thresholds(gains, stage_pay, nash, q, eps),
                  "minmax": _thresholds(gains, stage_pay, minmax, q, eps)}
    return GrimTrigger(tuple(profile_names(stage)), tuple(stage.players), stage_pay, gains,
                       {"nash": nash, "minmax": minmax}, thresholds,
                       np.broadcast_to(np.asarray(discount, dtype=float), batch).copy(), q.copy(),
                       np.broadcast_to(np.asarray(extension, dtype=float), batch).copy())


def _thresholds(gains: np.ndarray, pay: np.ndarray, punishment: np.ndarray, q: np.ndarray,
                eps: np.ndarray) -> np.ndarray:
    """``g / (g + q (u - p))`` per profile and player; 0 without a gain, inf without a loss to fear."""
    loss = q[..., None, None] * (pay - punishment[..., None, :])
    with np.errstate(divide="ignore", invalid="ignore"):
        out = gains / (gains + loss)
    out = np.where(loss <= eps, np.inf, out)
    out = np.where(gains <= eps, 0.0, out)
    return np.where(np.isnan(punishment)[..., None, :], np.nan, out)


def _nash_punishment(stage: NormalFormGame, rtol: float) -> np.ndarray:
    """Each player's lowest stage-equilibrium payoff per point (NaN where none was found)."""
    sol = primary_solution(stage, rtol=rtol)
    low = np.full((stage.batch_size, stage.n_players), np.inf)
    np.minimum.at(low, sol.point, sol.payoffs)
    low[np.isinf(low)] = np.nan
    return low.reshape(*stage.batch_shape, stage.n_players)


__all__ = ["PUNISHMENTS", "THRESHOLD_TOL", "GrimTrigger", "grim_trigger"]
