"""Simulate a truce played by named strategies under noisy monitoring: its survival curve over windows.

Each run is one truce: window after window every player holds or violates as its strategy says
(`negosim.bargain.strategies`), violations are seen with probability ``q`` and holds mistaken for
violations with probability ``false_alarm``, and after each window the truce is extended with
probability ``rho`` (both consent) or ends. The truce *survives* window ``t`` when it was extended
into it and nobody has violated in windows ``1..t`` (an unseen violation breaks it too: the fighting
resumed, whether or not the monitors saw it).

Reproducible whatever the batching: run ``r`` draws its random numbers from its own stream,
``SeedSequence(seed, spawn_key=(r,))``, so a run is the same whether it is simulated alone or with
ten thousand others; the runs of a batch are then played together with array operations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import NegosimInputError
from .strategies import check_monitoring, strategy

#: Bounds on one simulation: runs times windows is the work, and each run's draws are held at once.
MAX_RUNS = 10_000_000
MAX_WINDOWS = 10_000


@dataclass(frozen=True)
class Simulation:
    """What `simulate` found.

    Attributes
    ----------
    strategies : tuple of str
        One strategy per player.
    runs, windows, seed, batch_size : int
    survival : numpy.ndarray
        ``(windows + 1,)`` fraction of runs whose truce was extended into window ``t`` and nobody has
        violated in windows ``1..t`` (``survival[0] = 1``; grim against grim gives ``rho ** (t - 1)``).
    holding : numpy.ndarray
        ``(windows,)`` fraction of runs in which the truce is in force in window ``t + 1`` and every player
        holds in it (a truce can be broken and restored under tit for tat).
    in_force : numpy.ndarray
        ``(windows,)`` fraction of runs extended into window ``t + 1`` (``rho ** t`` in expectation).
    mean_payoffs : numpy.ndarray
        ``(n_players,)`` mean over runs of ``(1 - d) * sum_t d**t * u_t`` over the windows in force,
        ``d = delta * rho``, truncated at `windows`.
    discount, detection, extension, false_alarm : float

    Examples
    --------
    >>> pd = np.array([[[0.6, 0.2], [0.7, 0.3]], [[0.6, 0.7], [0.2, 0.3]]])
    >>> sim = simulate(pd, (0, 0), ("grim", "grim"), discount=0.9, runs=100, windows=3)
    >>> sim.strategies, sim.survival.tolist()
    (('grim', 'grim'), [1.0, 1.0, 1.0, 1.0])
    >>> sim.standard_error().tolist()
    [0.0, 0.0, 0.0, 0.0]
    """

    strategies: tuple[str, ...]
    runs: int
    windows: int
    seed: int
    batch_size: int
    survival: np.ndarray
    holding: np.ndarray
    in_force: np.ndarray
    mean_payoffs: np.ndarray
    discount: float
    detection: float
    extension: float
    false_alarm: float

    def standard_error(self) -> np.ndarray:
        """``(windows + 1,)`` the binomial standard error of each survival fraction."""
        return np.sqrt(self.survival * (1 - self.survival) / self.runs)


def simulate(stage: np.ndarray, cooperative: tuple[int, ...], strategies: tuple[str, ...], *, discount: float,
             detection: float = 1.0, extension: float = 1.0, false_alarm: float = 0.0, runs: int = 10_000,
             windows: int = 24, seed: int = 0, batch_size: int = 4096) -> Simulation:
    """Return the survival curve of a truce played `runs` times by `strategies` for `windows` windows.

    Parameters
    ----------
    stage : numpy.ndarray
        ``(n, 2, ..., 2)`` stage payoffs (player first, then two actions per player).
    cooperative : tuple of int
        Each player's holding action (0 or 1).
    strategies : tuple of str
        One name per player (see `negosim.bargain.strategies.STRATEGIES`).
    discount, detection, extension, false_alarm : float
        ``delta``, ``q``, ``rho`` and the probability that a hold is seen as a violation.
    runs, windows : int
        How many truces, and how many windows each is followed for.
    seed : int
        The root of every run's random stream.
    batch_size : int
        Runs played together (memory: about ``batch_size * windows * (2n + 1)`` floats); the result
        does not depend on it.

    Returns
    -------
    Simulation

    Examples
    --------
    >>> pd = np.array([[[0.6, 0.2], [0.7, 0.3]], [[0.6, 0.7], [0.2, 0.3]]])
    >>> sim = simulate(pd, (0, 0), ("grim", "grim"), discount=0.9, extension=0.9, runs=2000, windows=3)
    >>> sim.survival.round(2).tolist()                   # grim against grim breaks only by expiry
    [1.0, 1.0, 0.9, 0.81]
    >>> bool((simulate(pd, (0, 0), ("grim", "grim"), discount=0.9, runs=50, windows=5, batch_size=7).survival
    ...       == simulate(pd, (0, 0), ("grim", "grim"), discount=0.9, runs=50, windows=5).survival).all())
    True
    """
    stage = np.asarray(stage, dtype=float)
    n = stage.shape[0]
    if stage.shape != (n,) + (2,) * n:
        raise NegosimInputError(f"simulating named strategies needs two actions per player (hold and violate); "
                                f"the stage game is {' x '.join(map(str, stage.shape[1:]))}")
    if len(strategies) != n or len(cooperative) != n:
        raise NegosimInputError(f"give one strategy per player ({n}), not {len(strategies)}")
    check_monitoring(detection, false_alarm, extension, discount)
    for what, value, top in (("runs", runs, MAX_RUNS), ("windows", windows, MAX_WINDOWS),
                             ("batch size", batch_size, MAX_RUNS)):
        if not 1 <= value <= top:
            raise NegosimInputError(f"{what} must be a whole number from 1 to {top:,}, not {value}")
    autos = [strategy(s) for s in strategies]
    names = tuple(a.name for a in autos)
    unbroken = np.zeros(windows + 1)
    holding = np.zeros(windows)
    in_force = np.zeros(windows)
    payoff_sum = np.zeros(n)
    # the payoff of each (violate_1, ..., violate_n) in cooperative-relative terms
    flips = np.array(cooperative, dtype=np.intp)
    for start in range(0, runs, batch_size):
        count = min(batch_size, runs - start)
        draws = np.stack([np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(r,))))
                          .random((windows, 2 * n + 1)) for r in range(start, start + count)])
        u, h, f, pay = _play(stage, flips, autos, draws, discount, detection, extension, false_alarm)
        unbroken += u
        holding += h
        in_force += f
        payoff_sum += pay
    return Simulation(names, runs, windows, seed, batch_size, unbroken / runs, holding / runs, in_force / runs,
                      payoff_sum / runs, float(discount), float(detection), float(extension), float(false_alarm))


def _play(stage, flips, autos, draws, discount, detection, extension, false_alarm):
    """Play one batch of runs; return sums over runs (survival counts, holding, in force, payoffs)."""
    b, windows, _ = draws.shape
    n = len(autos)
    state = np.zeros((b, n), dtype=np.intp)
    alive = np.ones(b, dtype=bool)  # extended into this window
    intact = np.ones(b, dtype=bool)  # nobody has violated yet
    survival = np.zeros(windows + 1)
    survival[0] = b
    holding = np.zeros(windows)
    in_force = np.zeros(windows)
    payoffs = np.zeros((b, n))
    # (1 - delta*rho) normalises; each window counts delta**t, the chance rho**t of reaching it is `alive`
    weight = 1 - discount * extension
    for t in range(windows):
        act_u, seen_u, ext_u = draws[:, t, :n], draws[:, t, n:2 * n], draws[:, t, 2 * n]
        violate = np.stack([act_u[:, i] < autos[i].violate[state[:, i]] for i in range(n)], axis=1)
        seen = np.where(violate, seen_u < detection, seen_u < false_alarm)
        cell = tuple(np.where(violate[:, i], 1 - flips[i], flips[i]) for i in range(n))
        payoffs += weight * alive[:, None] * stage[(slice(None), *cell)].T
        weight *= discount
        in_force[t] = alive.sum()
        holding[t] = (alive & ~violate.any(axis=1)).sum()
        intact &= alive & ~violate.any(axis=1)
        survival[t + 1] = intact.sum()
        seen_count = seen.sum(axis=1)
        for i in range(n):
            others = (seen_count - seen[:, i]) > 0
            state[:, i] = autos[i].next_state[state[:, i], violate[:, i].astype(np.intp), others.astype(np.intp)]
        alive &= ext_u < extension
        intact &= alive
    return survival, holding, in_force, payoffs.sum(axis=0)


__all__ = ["MAX_RUNS", "MAX_WINDOWS", "Simulation", "simulate"]
