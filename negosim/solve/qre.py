"""Logit quantal response equilibria (concept ``"qre"``): at given precisions, the whole principal
branch, and a Nash equilibrium as the branch's limit.

In a logit QRE (McKelvey and Palfrey 1995, Games and Economic Behavior 10(1)) each player chooses
action ``a`` with probability proportional to ``exp(lambda * u(a))`` given the others' play:
``lambda = 0`` is uniform play and, along the principal branch that starts there, play tends to a
Nash equilibrium as ``lambda`` grows. ``lambda`` multiplies the raw payoffs, the convention of
McKelvey and Palfrey and of Gambit, so it has the units of one over a payoff. For a game tree the
agent QRE is computed: every information set is an agent choosing by the logit rule on the payoffs
conditional on reaching it (McKelvey and Palfrey 1998), which is the strategic choice model that
international-relations research estimates crisis games with (Signorino 1999, APSR 93(2)).

The branch is followed by `qre_path.follow` for every batch point at once, with step, iteration and
time budgets; each reported profile is checked to be the logit response to itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import VerificationError
from ..game.normal import NormalFormGame
from ..game.tree import GameTree
from .qre_models import AgentModel, NormalModel, logit_response, residual, uniform_start
from .qre_path import PathBudget, follow
from .result import Solution
from .verify import regrets

#: The default bounds of a trace (see `PathBudget`).
DEFAULT_BUDGET = PathBudget()

#: A reported QRE's probabilities may differ from the logit response to it by at most this much.
QRE_TOL = 1e-8


@dataclass(frozen=True, eq=False)
class QREBranch:
    """The principal branch of the logit QRE, sampled where the path follower stepped.

    Attributes
    ----------
    game : NormalFormGame or GameTree
        The game (for a tree, the probabilities are behaviour strategies of its information sets).
    lambdas : list of numpy.ndarray
        Per flat batch point, the precisions along the branch, in the order followed.
    profiles : list of numpy.ndarray
        Per point, ``(steps, d)`` probabilities of every action of every agent (players' actions, or
        information sets' actions in ``game.infosets()`` order), one row per lambda.
    converged : numpy.ndarray
        Per point, whether the trace reached its stopping rule within the budget.
    """

    game: NormalFormGame | GameTree
    lambdas: list[np.ndarray]
    profiles: list[np.ndarray]
    converged: np.ndarray


def _model(game: NormalFormGame | GameTree) -> NormalModel | AgentModel:
    if isinstance(game, GameTree):
        return AgentModel.of(game)
    if isinstance(game, NormalFormGame):
        return NormalModel.of(game)
    raise TypeError(f"not a game: {type(game).__name__}")


def logit_qre(game: NormalFormGame | GameTree, lambdas: Sequence[float], *, limit: bool = False,
              max_regret: float = 1e-8, lambda_max: float = 1e6, budget: PathBudget = DEFAULT_BUDGET) -> Solution:
    """The logit QRE on the principal branch at each precision in `lambdas`, at every batch point.

    Parameters
    ----------
    game : NormalFormGame or GameTree
        Any number of players; a tree gets its agent QRE in behaviour strategies.
    lambdas : sequence of float
        Precisions, each at least 0 (``lambda`` multiplies the raw payoffs).
    limit : bool
        Follow the branch to its Nash limit instead of to the largest lambda (the stopping rule of
        `logit_branch`, with `max_regret` and `lambda_max`): rows are given for the lambdas the
        branch passes before it stops, then one row at the branch's end, marked True in
        ``extra["nash_limit"]``.
    max_regret, lambda_max : float
        With `limit`: the stopping rule of `logit_branch`.
    budget : PathBudget
        Step, iteration and time bounds of the trace.

    Returns
    -------
    Solution
        Concept ``"qre"``: one row per point and lambda (in the order given), ``extra["lambda"]``
        the precision of each row, ``extra["nash_limit"]`` whether the row is the branch's end
        (only with `limit`), ``regret`` each profile's largest gain from a deviation (a QRE
        is not a Nash equilibrium), ``complete`` False where the budget ran out before the largest
        lambda (with `limit`: the Nash limit) was reached (those points have rows only for the
        lambdas reached).

    Examples
    --------
    Matching pennies with a doubled payoff for the row player at (heads, heads): as lambda grows
    the row player's mixture moves toward the Nash mixture 1/2, the column player's toward 2/5.

    >>> from negosim.game import NormalFormGame
    >>> g = NormalFormGame.from_bimatrix([[2, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> sol = logit_qre(g, [0.0, 1.0])
    >>> [round(float(sol.strategies[1][e, 0]), 4) for e in range(2)]
    [0.5, 0.4446]
    """
    lambdas = [float(v) for v in lambdas]
    if any(not np.isfinite(v) or v < 0 for v in lambdas):
        raise ValueError(f"lambda must be a finite number at least 0, got {lambdas}")
    model = _model(game)
    P = game.batch_size
    targets = np.array(sorted(set(lambdas)))
    found: dict[tuple[int, float], np.ndarray] = {}
    y0 = uniform_start(model, P)
    for lam in targets[targets == 0]:
        for p in range(P):
            found[(p, float(lam))] = y0[p, :-1].copy()

    def restrict(ids):
        sub = _rows(model, ids)
        return lambda y: residual(sub, y)

    def on_step(ids, old, new):
        for target in targets[targets > 0]:
            crossing = (old[:, -1] < target) & (new[:, -1] >= target)
            for row in np.flatnonzero(crossing):
                key = (int(ids[row]), float(target))
                if key not in found:
                    found[key] = _at_lambda(restrict(ids[row:row + 1]), old[row], new[row], float(target))

    top = targets.max() if len(targets) else 0.0
    span = np.maximum(model.payoff_range(), 1e-300)

    def stop(y, ids):
        if not limit:
            return y[:, -1] >= top
        regret = _agent_regret(_rows(model, ids), y[:, :-1])
        return (regret <= max_regret * span[ids]) | (y[:, -1] * span[ids] >= lambda_max)

    state = follow(restrict, y0, stop, budget, on_step)
    rows = [(p, lam) for p in range(P) for lam in lambdas if (p, lam) in found]
    z_rows = [found[r] for r in rows]
    at_limit = [False] * len(rows)
    if limit:
        done = ~state.active & ~state.failed
        ordered = []
        for p in range(P):
            here = [(r, zr) for r, zr in zip(rows, z_rows) if r[0] == p]
            if done[p]:
                end = float(state.y[p, -1])
                here = [(r, zr) for r, zr in here if r[1] < end] + [((p, end), state.y[p, :-1].copy())]
            ordered += [(r, zr, done[p] and k == len(here) - 1) for k, (r, zr) in enumerate(here)]
        rows, z_rows, at_limit = [r for r, _, _ in ordered], [zr for _, zr, _ in ordered], [f for _, _, f in ordered]
        complete = done.copy()
    else:
        complete = np.array([all((p, v) in found for v in lambdas) for p in range(P)])
    z = np.array(z_rows).reshape(len(rows), sum(model.sizes))
    lam = np.array([r[1] for r in rows])
    point = np.array([r[0] for r in rows], dtype=np.int64)
    goal = "its Nash limit" if limit else f"lambda = {top:g}"
    notes = () if complete.all() else (
        f"the QRE branch was not followed to {goal} within the budget at {int((~complete).sum())} of "
        f"{P} points ({state.steps} steps); rows are given for the lambdas reached",)
    sol = _solution(game, model, "qre", "logit QRE branch (predictor-corrector)", point, z, lam, complete, notes)
    if limit:
        sol.extra["nash_limit"] = np.array(at_limit, dtype=bool)
    return sol


def _at_lambda(H, old: np.ndarray, new: np.ndarray, target: float) -> np.ndarray:
    """The branch point at exactly ``lambda = target`` between two accepted steps (Newton in z)."""
    from .qre_path import jacobian

    w = (target - old[-1]) / (new[-1] - old[-1])
    y = (1 - w) * old + w * new
    y[-1] = target
    for _ in range(20):
        r = H(y[None])[0].real
        J = jacobian(H, y[None])[0][:, :-1]
        delta = np.linalg.solve(J, -r)
        y[:-1] += delta
        if np.abs(delta).max() <= 1e-13 * (1 + np.abs(y[:-1]).max()):
            break
    return y[:-1]


def logit_branch(game: NormalFormGame | GameTree, *, max_regret: float = 1e-8, lambda_max: float = 1e6,
                 budget: PathBudget = DEFAULT_BUDGET) -> QREBranch:
    """The principal branch from lambda 0 until play is within `max_regret` of a Nash equilibrium.

    Parameters
    ----------
    game : NormalFormGame or GameTree
        The game; a tree's branch is its agent QRE in behaviour strategies.
    max_regret : float
        Stop where no player gains more than ``max_regret`` times the payoff range by deviating
        (for a tree: no agent, on the payoffs conditional on reaching it).
    lambda_max : float
        Stop at this precision in any case (times one over the payoff range).
    budget : PathBudget
        Step, iteration and time bounds.

    Returns
    -------
    QREBranch
        The sampled branch of every batch point.
    """
    model = _model(game)
    P = game.batch_size
    span = np.maximum(model.payoff_range(), 1e-300)

    def restrict(ids):
        sub = _rows(model, ids)
        return lambda y: residual(sub, y)

    def stop(y, ids):
        z, lam = y[:, :-1], y[:, -1]
        return (_agent_regret(_rows(model, ids), z) <= max_regret * span[ids]) | (lam * span[ids] >= lambda_max)

    y0 = uniform_start(model, P)
    samples: list[list[np.ndarray]] = [[y0[p]] for p in range(P)]
    state = follow(restrict, y0, stop, budget)
    for ids, rows in state.samples:
        for p, row in zip(ids, rows):
            samples[int(p)].append(row)
    branch = [np.array(s) for s in samples]
    return QREBranch(game, [b[:, -1] for b in branch], [np.exp(b[:, :-1]) for b in branch],
                     ~state.active & ~state.failed)


def _agent_regret(model: NormalModel | AgentModel, z: np.ndarray) -> np.ndarray:
    """Each point's largest gain of an agent from its best action over its current mixture."""
    v = model.values(z).real
    sigma = np.exp(z.real)
    gains = []
    start = 0
    for k in model.sizes:
        vb, sb = v[:, start:start + k], sigma[:, start:start + k]
        gains.append(vb.max(axis=1) - (vb * sb).sum(axis=1))
        start += k
    return np.max(np.stack(gains, axis=1), axis=1)


def _solution(game, model, concept: str, method: str, point: np.ndarray, z: np.ndarray, lam: np.ndarray,
              complete: np.ndarray, notes: tuple[str, ...]) -> Solution:
    """A verified `Solution` of QRE rows: each profile must be the logit response to itself."""
    sigma = np.exp(z)
    if len(point):
        response = logit_response(_rows(model, point), z, lam)
        gap = np.abs(response - sigma).max(axis=1)
        if (gap > QRE_TOL).any():
            raise VerificationError(f"{method}: a profile differs from its logit response by {gap.max():.3g}")
    blocks = tuple(np.split(sigma, np.cumsum(model.sizes)[:-1], axis=1))
    P = game.batch_size
    shape = game.batch_shape
    false = np.zeros(shape, dtype=bool)
    if isinstance(game, GameTree):
        payoffs = _tree_payoffs(model, z, point)
        regret = _agent_regret(_rows(model, point), z) if len(point) else np.zeros(0)
        return Solution(concept=concept, method=method, game=game, batch_shape=shape, point=point, payoffs=payoffs,
                        regret=regret, tied=np.zeros(len(point), dtype=bool), complete=complete.reshape(shape),
                        degenerate=false, tol=np.full(shape, QRE_TOL), behavior=blocks,
                        outcome_probs=_rows(model, point).outcome_probs(z, len(game.outcomes)), notes=notes,
                        extra={"lambda": lam})
    from .verify import expected_payoffs

    payoffs = expected_payoffs(game, blocks, point) if len(point) else np.zeros((0, game.n_players))
    regret = regrets(game, blocks, point) if len(point) else np.zeros(0)
    del P
    return Solution(concept=concept, method=method, game=game, batch_shape=shape, point=point, payoffs=payoffs,
                    regret=regret, tied=np.zeros(len(point), dtype=bool), complete=complete.reshape(shape),
                    degenerate=false, tol=np.full(shape, QRE_TOL), strategies=blocks, notes=notes,
                    extra={"lambda": lam})


def _rows(model, point: np.ndarray):
    """The model restricted to the batch points of the given rows (one row per entry)."""
    from dataclasses import replace

    if isinstance(model, NormalModel):
        return replace(model, payoffs=model.payoffs[point])
    return replace(model, log_chance=model.log_chance[point], leaf_payoffs=model.leaf_payoffs[point])


def _tree_payoffs(model: AgentModel, z: np.ndarray, point: np.ndarray) -> np.ndarray:
    sub = _rows(model, point)
    leaf = np.exp(sub.leaf_log_probs(z))
    return np.einsum("el,elp->ep", leaf, sub.leaf_payoffs)

