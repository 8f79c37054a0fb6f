"""Correlated equilibria (concept ``"ce"``) of n-player normal forms, by linear programming.

A correlated equilibrium (Aumann 1974) is a distribution ``q`` over joint profiles from which a
mediator draws a profile and tells each player only its own part; it is an equilibrium when no
player, told ``a_i``, expects to gain by playing another ``b_i`` instead (the obedience constraints)::

    sum over a_-i of q(a_i, a_-i) * (u_i(b_i, a_-i) - u_i(a_i, a_-i)) <= 0   for all i, a_i, b_i.

The set is a polytope; negosim reports its welfare-maximising point and, for each player, the point
best for that player (each the solution of one linear programme, solved by scipy's HiGHS and then
polished to the exact vertex of its active constraints), and for games with two actions per player
and two players every vertex of the polytope (enumerated exactly over the active sets). Linear
programmes are solved per batch point: they cannot be batched, and each takes about a millisecond.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import VerificationError
from ..game.normal import NormalFormGame
from .tolerance import RTOL, scaled_tol

#: Below this, a probability of the distribution is taken to be zero when polishing a vertex.
ZERO_PROBABILITY = 1e-9
#: Two optimal distributions farther apart than this (largest difference of one probability) make the
#: optimum not unique; the objective is held within `OPTIMUM_SLACK` of its optimum (relative) meanwhile.
DISTINCT_OPTIMUM = 1e-6
OPTIMUM_SLACK = 1e-10


def profile_key(actions: Sequence[Sequence[str]], profile: Sequence[int]) -> str:
    """A joint profile's key: the players' action labels joined with ``/`` in player order.

    When any label of the game contains ``/`` itself (a tree's reduced strategies, such as
    ``"concede/hold"``), every label is put in parentheses so that the key splits back unambiguously:
    ``"(concede/hold)/(accept)"``. Plain labels stay plain: ``"swerve/dare"``.

    Examples
    --------
    >>> profile_key((("swerve", "dare"), ("swerve", "dare")), (0, 1))
    'swerve/dare'
    >>> profile_key((("a/x", "b"), ("c",)), (0, 0))
    '(a/x)/(c)'
    """
    labels = [actions[i][a] for i, a in enumerate(profile)]
    if any("/" in label for acts in actions for label in acts):
        return "/".join(f"({label})" for label in labels)
    return "/".join(labels)


@dataclass(frozen=True)
class CorrelatedEquilibrium:
    """One correlated equilibrium at one parameter point.

    Attributes
    ----------
    objective : str
        ``"welfare"``, ``"best for <player>"`` or ``"vertex"``.
    distribution : numpy.ndarray
        Probabilities of the joint profiles, shape ``game.shape`` (players' actions in order).
    payoffs : numpy.ndarray
        Each player's expected payoff, shape ``(n_players,)``.
    regret : float
        The largest expected gain any player gets by disobeying a recommendation (at most `tol`).
    unique : bool or None
        Whether this is the only distribution reaching the objective's optimum (None for a vertex,
        which optimises nothing).
    """

    objective: str
    distribution: np.ndarray
    payoffs: np.ndarray
    regret: float
    unique: bool | None = None

    def labelled(self, game: NormalFormGame) -> dict[str, float]:
        """The distribution keyed by `profile_key` (positive entries only)."""
        out = {}
        for profile in itertools.product(*(range(k) for k in game.shape)):
            q = float(self.distribution[profile])
            if q > ZERO_PROBABILITY:
                out[profile_key(game.actions, profile)] = q
        return out


def obedience_matrix(payoffs: np.ndarray) -> np.ndarray:
    """The obedience constraints of one game as rows of ``A @ q <= 0``.

    `payoffs` has shape ``(n_players, *shape)``; the result has one row per player ``i``, recommended
    action ``a_i`` and alternative ``b_i != a_i``, and one column per joint profile (C order).
    """
    n = payoffs.shape[0]
    shape = payoffs.shape[1:]
    rows = []
    for i in range(n):
        u = np.moveaxis(payoffs[i], i, 0)  # (k_i, *others)
        for a in range(shape[i]):
            for b in range(shape[i]):
                if a == b:
                    continue
                row = np.zeros((shape[i], *u.shape[1:]))
                row[a] = u[b] - u[a]  # gain from playing b when told a
                rows.append(np.moveaxis(row, 0, i).reshape(-1))
    return np.array(rows).reshape(len(rows), int(np.prod(shape)))


def obedience_regret(payoffs: np.ndarray, q: np.ndarray) -> float:
    """The largest expected gain from disobeying one recommendation under distribution `q`."""
    A = obedience_matrix(payoffs)
    return float(max(0.0, (A @ q.reshape(-1)).max())) if len(A) else 0.0


def optimal_correlated(payoffs: np.ndarray, weights: np.ndarray, tol: float) -> np.ndarray:
    """The correlated equilibrium maximising ``weights @ payoffs`` (flat distribution over profiles).

    HiGHS's solution is polished to the vertex of the constraints it makes active, so that obedience
    holds to rounding rather than to the solver's feasibility tolerance.
    """
    from scipy.optimize import linprog

    n = payoffs.shape[0]
    U = payoffs.reshape(n, -1)
    A = obedience_matrix(payoffs)
    m = U.shape[1]
    scale = max(float(np.abs(U).max()), 1e-300)
    result = linprog(-(weights @ U) / scale, A_ub=A / scale if len(A) else None, b_ub=np.zeros(len(A)) if len(A)
                     else None, A_eq=np.ones((1, m)), b_eq=[1.0], bounds=(0, None), method="highs",
                     options={"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10})
    if result.status != 0:  # a correlated equilibrium always exists (every Nash equilibrium is one)
        raise VerificationError(f"correlated equilibrium: HiGHS failed ({result.message})")
    return _polish(np.asarray(result.x), A, tol)


def optimum_unique(payoffs: np.ndarray, weights: np.ndarray, q: np.ndarray) -> bool:
    """Whether `q` is the only correlated equilibrium maximising ``weights @ payoffs``.

    The optimal set is a face of the polytope; it is one point exactly when a generic linear
    function is constant on it. Two more programmes hold the objective at its optimum (within
    `OPTIMUM_SLACK` of the payoff scale) and minimise and maximise a fixed pseudo-random direction;
    the optimum is unique when both land on `q` (within `DISTINCT_OPTIMUM`).
    """
    from scipy.optimize import linprog

    n = payoffs.shape[0]
    U = payoffs.reshape(n, -1)
    A = obedience_matrix(payoffs)
    m = U.shape[1]
    scale = max(float(np.abs(U).max()), 1e-300)
    target = float(weights @ U @ q.reshape(-1)) / scale
    rows = np.vstack([A / scale, -(weights @ U)[None, :] / scale]) if len(A) else -(weights @ U)[None, :] / scale
    bounds = np.append(np.zeros(len(rows) - 1), -target + OPTIMUM_SLACK * max(1.0, float(np.abs(weights).sum())))
    direction = np.random.default_rng(20261203).standard_normal(m)  # fixed: the same answer on every run
    for sign in (1.0, -1.0):
        result = linprog(sign * direction, A_ub=rows, b_ub=bounds, A_eq=np.ones((1, m)), b_eq=[1.0],
                         bounds=(0, None), method="highs",
                         options={"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10})
        if result.status == 0 and np.abs(np.asarray(result.x) - q.reshape(-1)).max() > DISTINCT_OPTIMUM:
            return False
    return True


def _polish(q: np.ndarray, A: np.ndarray, tol: float) -> np.ndarray:
    """Project `q` onto the affine set of its active constraints; keep it if it stays feasible."""
    q = np.where(q < ZERO_PROBABILITY, 0.0, q)
    q = q / q.sum()
    support = q > 0
    active = A[np.abs(A @ q) <= max(tol, 1e-12) * 10] if len(A) else np.zeros((0, len(q)))
    M = np.vstack([np.ones((1, len(q))), active])[:, support]
    rhs = np.zeros(len(M))
    rhs[0] = 1.0
    solution, *_ = np.linalg.lstsq(M, rhs, rcond=None)
    polished = np.zeros_like(q)
    polished[support] = solution
    if (polished >= 0).all() and (len(A) == 0 or (A @ polished).max() <= (A @ q).max() + 1e-15):
        return polished / polished.sum()
    return q


def polytope_vertices(payoffs: np.ndarray, tol: float) -> list[np.ndarray]:
    """Every vertex of the correlated-equilibrium polytope of a small game, by active-set enumeration.

    A vertex of ``{q >= 0, sum q = 1, A q <= 0}`` in ``R^m`` makes ``m - 1`` independent inequalities
    tight; every choice of ``m - 1`` of them is solved and the feasible, distinct solutions kept.
    Meant for 2x2 games (56 systems of size 4); the count grows combinatorially beyond.
    """
    A = obedience_matrix(payoffs)
    m = A.shape[1]
    G = np.vstack([A, -np.eye(m)])  # all inequalities as G q <= 0
    found: list[np.ndarray] = []
    for rows in itertools.combinations(range(len(G)), m - 1):
        M = np.vstack([np.ones((1, m)), G[list(rows)]])
        if abs(np.linalg.det(M)) < 1e-12 * max(1.0, float(np.abs(M).max())) ** m:
            continue
        rhs = np.zeros(m)
        rhs[0] = 1.0
        q = np.linalg.solve(M, rhs)
        if (G @ q <= tol).all() and not any(np.allclose(q, v, atol=1e-9) for v in found):
            found.append(np.clip(q, 0.0, None) / np.clip(q, 0.0, None).sum())
    return found


def correlated_equilibria(game: NormalFormGame, *, rtol: float = RTOL,
                          vertices: bool | None = None) -> list[list[CorrelatedEquilibrium]]:
    """The welfare-maximising and each player's best correlated equilibrium, at every batch point.

    Parameters
    ----------
    game : NormalFormGame
        Any number of players; the batch is solved point by point (one linear programme per
        objective and point).
    rtol : float
        Relative tolerance: obedience may be violated by at most ``rtol`` times the payoff range.
    vertices : bool, optional
        Also list every vertex of the polytope; by default for 2x2 games only.

    Returns
    -------
    list of lists of CorrelatedEquilibrium
        One list per flat batch point: the welfare optimum, then each player's best, then (with
        `vertices`) the vertices of the polytope; each verified.

    Raises
    ------
    VerificationError
        If a returned distribution violates obedience by more than the tolerance (a bug).

    Examples
    --------
    Aumann's chicken: the mediator does better than any Nash equilibrium.

    >>> from negosim.game import NormalFormGame
    >>> g = NormalFormGame.from_bimatrix([[6, 2], [7, 0]], [[6, 7], [2, 0]],
    ...                                  actions=(("swerve", "dare"), ("swerve", "dare")))
    >>> best = correlated_equilibria(g)[0][0]
    >>> best.objective, [round(float(u), 6) for u in best.payoffs]
    ('welfare', [5.25, 5.25])
    >>> {k: round(v, 6) for k, v in best.labelled(g).items()}
    {'swerve/swerve': 0.5, 'swerve/dare': 0.25, 'dare/swerve': 0.25}
    """
    n, shape = game.n_players, game.shape
    payoffs = game.payoffs.reshape((game.batch_size, n, *shape))
    tol = scaled_tol(game.payoff_range(), rtol).reshape(-1)
    if vertices is None:
        vertices = shape == (2, 2)
    objectives = [("welfare", np.ones(n))] + [(f"best for {p}", np.eye(n)[i]) for i, p in enumerate(game.players)]
    out = []
    for point in range(game.batch_size):
        u = payoffs[point]
        found: list[tuple[str, np.ndarray, bool | None]] = []
        for name, w in objectives:
            q = optimal_correlated(u, w, float(tol[point]))
            found.append((name, q, optimum_unique(u, w, q)))
        if vertices:
            found += [("vertex", q, None) for q in polytope_vertices(u, float(tol[point]))]
        here = []
        for name, q, unique in found:
            regret = obedience_regret(u, q)
            if regret > tol[point]:
                raise VerificationError(f"correlated equilibrium ({name}): obedience violated by {regret:.3g} > "
                                        f"tol {tol[point]:.3g}")
            values = u.reshape(n, -1) @ q.reshape(-1)
            here.append(CorrelatedEquilibrium(name, q.reshape(shape), values, regret, unique))
        out.append(here)
    return out
