"""Learning dynamics (through nashpy): does play converge to the equilibria negosim computes?

Classroom view: players who do not compute equilibria but learn, by fictitious play (each plays a
best response to the other's empirical frequencies so far) or replicator dynamics (a population's
shares of each action grow with their payoff advantage). `dynamics` runs nashpy's implementation
on a 2-player game and measures, at every step, how far play is from the nearest of the game's
Nash equilibria found by negosim's vertex enumeration. In matching pennies fictitious play's
frequencies converge to the mixed equilibrium while replicator dynamics cycle around it; in
Shapley's game fictitious play cycles for ever. The result says so (`converged`), rather than
pretending every process finds an equilibrium.

Examples
--------
>>> from negosim.frontdoor import from_arrays
>>> pennies = from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
>>> path = dynamics(pennies, "fictitious_play", iterations=2000, seed=0)
>>> path.converged, round(float(path.distance[-1]), 2) <= 0.05
(True, True)
>>> dynamics(pennies, "replicator", x0=[0.8, 0.2], y0=[0.3, 0.7]).converged
False
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import NegosimUsageError
from ..game.normal import NormalFormGame
from .result import Solution

METHODS = ("fictitious_play", "replicator")
#: Upper bound on fictitious-play iterations and replicator time points (a bounded loop, always).
MAX_STEPS = 1_000_000


@dataclass(frozen=True, eq=False, repr=False)
class LearningPath:
    """The strategies a learning process plays, step by step, and their distance to the equilibria.

    `strategies` holds one array per player, shape ``(T, n_actions)``: empirical frequencies of
    play (fictitious play) or population shares (replicator dynamics) at each of the `steps`.
    `distance` (shape ``(T,)``) is, at each step, the distance to the nearest equilibrium of
    `equilibria`: the larger of the two players' L1 distances. `converged` is True when the last
    step is within `tol` of an equilibrium; `nearest` is that equilibrium's row in `equilibria`.
    At a degenerate game `equilibria` lists the extreme equilibria only, so the distance to a
    continuum of equilibria is overstated.

    Attributes
    ----------
    method : str
        ``"fictitious_play"`` or ``"replicator"``.
    game : NormalFormGame
        The game played.
    steps : numpy.ndarray
        ``(T,)`` round numbers (fictitious play) or times (replicator dynamics).
    strategies : tuple of numpy.ndarray
        One ``(T, n_actions)`` array per player.
    equilibria : Solution
        The game's Nash equilibria (`negosim.equilibria` with ``"nash"``).
    distance : numpy.ndarray
        ``(T,)`` distance to the nearest equilibrium.
    nearest : int
        The row of `equilibria` nearest to the last step.
    tol : float
        The distance within which play counts as converged.

    Examples
    --------
    >>> import negosim as ns
    >>> pd = ns.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> path = ns.dynamics(pd, "fictitious_play", iterations=200)
    >>> path
    <LearningPath fictitious_play, 200 steps: converges to an equilibrium (final distance 0.01, tol 0.05)>
    >>> path.strategies[0][-1].tolist()
    [0.005, 0.995]
    """

    method: str
    game: NormalFormGame
    steps: np.ndarray
    strategies: tuple[np.ndarray, np.ndarray]
    equilibria: Solution
    distance: np.ndarray
    nearest: int
    tol: float

    @property
    def converged(self) -> bool:
        """Whether play ends within `tol` of an equilibrium."""
        return bool(len(self.distance)) and bool(self.distance[-1] <= self.tol)

    def __repr__(self) -> str:
        verdict = "converges to" if self.converged else "does not reach"
        return (f"<LearningPath {self.method}, {len(self.steps)} steps: {verdict} an equilibrium "
                f"(final distance {float(self.distance[-1]):.3g}, tol {self.tol:g})>")

    def to_frame(self) -> Any:
        """Return the path as a pandas DataFrame: ``step``, ``distance``, and one column per player and action."""
        from .views import require_pandas

        pd = require_pandas()
        columns: dict[str, Any] = {"step": self.steps, "distance": self.distance}
        for i, player in enumerate(self.game.players):
            for j, action in enumerate(self.game.actions[i]):
                columns[f"{player}:{action}"] = self.strategies[i][:, j]
        return pd.DataFrame(columns)


def dynamics(game: Any, method: str = "fictitious_play", *, iterations: int = 1000, seed: int = 0,
             x0: Any = None, y0: Any = None, t_max: float = 50.0, tol: float = 0.05) -> LearningPath:
    """Run a learning process on a 2-player game and compare its play with the game's Nash equilibria.

    Parameters
    ----------
    game : NormalFormGame or nashpy.Game
        A single 2-player game (batch shape ``()``).
    method : {"fictitious_play", "replicator"}
        nashpy's ``Game.fictitious_play`` (empirical frequencies after each round) or
        ``Game.asymmetric_replicator_dynamics`` (two populations, integrated over ``[0, t_max]``).
    iterations : int
        Rounds of fictitious play, or time points of the replicator path (at most `MAX_STEPS`).
    seed : int
        Seed for fictitious play's random choice among tied best responses. nashpy draws it from
        numpy's global generator, so it is seeded here and restored afterwards: the caller's global
        random state is left as it was.
    x0, y0 : array_like, optional
        Initial population shares for the replicator dynamics (default: uniform).
    t_max : float
        End time of the replicator dynamics.
    tol : float
        Distance (L1, the larger over the two players) within which play counts as converged.

    Returns
    -------
    LearningPath

    Raises
    ------
    NegosimUsageError
        For a game that is not a single 2-player game, an unknown method, or a step count outside
        ``[2, MAX_STEPS]``.

    Examples
    --------
    In matching pennies fictitious play circles the mixed equilibrium, ever closer:

    >>> import negosim as ns
    >>> pennies = ns.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> path = ns.dynamics(pennies, "fictitious_play", iterations=4000)
    >>> path.converged, path.equilibria.probability("P1", "1").tolist()
    (True, [0.5])
    """
    import nashpy

    from ..game.convert import as_game
    from .mixed import nash_equilibria

    nf = as_game(game)
    if not isinstance(nf, NormalFormGame) or nf.n_players != 2 or nf.batch_shape != ():
        raise NegosimUsageError("dynamics needs a single 2-player normal-form game")
    if method not in METHODS:
        raise NegosimUsageError(f"unknown learning method {method!r}; choose from {', '.join(METHODS)}")
    if not 2 <= int(iterations) <= MAX_STEPS:
        raise NegosimUsageError(f"iterations must lie between 2 and {MAX_STEPS}, not {iterations}")
    A, B = nf.payoffs[0], nf.payoffs[1]
    ng = nashpy.Game(A, B)
    if method == "fictitious_play":
        steps, xs, ys = _fictitious_play(ng, int(iterations), seed)
    else:
        m, n = A.shape
        x = np.full(m, 1 / m) if x0 is None else np.asarray(x0, dtype=float)
        y = np.full(n, 1 / n) if y0 is None else np.asarray(y0, dtype=float)
        steps = np.linspace(0.0, float(t_max), int(iterations))
        xs, ys = ng.asymmetric_replicator_dynamics(x0=x, y0=y, timepoints=steps)
    equilibria = nash_equilibria(nf)
    ex, ey = equilibria.strategies
    gaps = np.maximum(np.abs(xs[:, None, :] - ex[None]).sum(axis=2), np.abs(ys[:, None, :] - ey[None]).sum(axis=2))
    distance = gaps.min(axis=1)
    return LearningPath(method, nf, steps, (xs, ys), equilibria, distance, int(np.argmin(gaps[-1])), float(tol))


def _fictitious_play(ng: Any, iterations: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Empirical frequencies of both players after each round of nashpy's fictitious play."""
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        counts = [(np.array(r, dtype=float), np.array(c, dtype=float))
                  for r, c in ng.fictitious_play(iterations=iterations)]
    finally:
        np.random.set_state(state)
    counts = counts[1:]  # the first entry is the empty history
    rows = np.array([r for r, _ in counts])
    cols = np.array([c for _, c in counts])
    steps = np.arange(1, len(counts) + 1)
    return steps, rows / rows.sum(axis=1, keepdims=True), cols / cols.sum(axis=1, keepdims=True)


__all__ = ["LearningPath", "METHODS", "MAX_STEPS", "dynamics"]
