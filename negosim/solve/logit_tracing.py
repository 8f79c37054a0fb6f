"""One Nash equilibrium of a large n-player game: the limit of the logit QRE's principal branch.

Enumerating every equilibrium is out of reach beyond small games; the principal branch of the logit
QRE (`negosim.solve.qre`) leads from uniform play to one Nash equilibrium for almost every game
(McKelvey and Palfrey 1995; Turocy 2005). The branch is followed with bounded work, the actions still
played at its end form the support, and Newton's method solves the indifference conditions on that
support exactly, so the result is a verified equilibrium rather than an approximation.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from ..game.normal import NormalFormGame
from .qre import DEFAULT_BUDGET, _rows, logit_branch
from .qre_models import NormalModel
from .qre_path import PathBudget
from .result import Solution


def nash_by_logit_tracing(game: NormalFormGame, *, rtol: float | None = None,
                          budget: PathBudget = DEFAULT_BUDGET) -> Solution:
    """One Nash equilibrium per batch point: the limit of the logit QRE's principal branch.

    The branch is followed until play is nearly a best response everywhere; the actions still played
    with visible probability form the support, on which Newton's method solves the indifference
    conditions exactly; the result is verified like every Nash equilibrium negosim reports. This
    works for any number of players and sizes where enumeration is out of reach, and finds one
    equilibrium (the one the principal branch selects, McKelvey and Palfrey's "tracing" selection),
    so the solution is never complete.

    Parameters
    ----------
    game : NormalFormGame
        Any number of players.
    rtol : float, optional
        Relative tolerance of the verification (default `negosim.solve.tolerance.RTOL`).
    budget : PathBudget
        Step, iteration and time bounds of the trace.

    Returns
    -------
    Solution
        Concept ``"nash"``, method ``"logit tracing"``: at most one verified equilibrium per point,
        ``complete`` False everywhere, a note for points where the trace or the polish failed.

    Examples
    --------
    >>> from negosim.game import NormalFormGame
    >>> g = NormalFormGame.from_bimatrix([[2, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> eq = nash_by_logit_tracing(g).equilibria_at(0)[0]
    >>> {p: {a: round(v, 9) for a, v in s.items()} for p, s in eq.strategies.items()}
    {'P1': {'1': 0.5, '2': 0.5}, 'P2': {'1': 0.4, '2': 0.6}}
    """
    from .tolerance import RTOL, scaled_tol
    from .verify import check_profiles, verified_solution

    rtol = RTOL if rtol is None else rtol
    branch = logit_branch(game, budget=budget)
    model = NormalModel.of(game)
    tol = scaled_tol(game.payoff_range(), rtol).reshape(-1)
    points, profiles, failed = [], [], []
    for p in range(game.batch_size):
        sigma = _polish_support(_rows(model, np.array([p])), branch.profiles[p][-1], float(tol[p]))
        if sigma is None:
            failed.append(p)
            continue
        points.append(p)
        profiles.append(sigma)
    blocks = tuple(np.array([np.split(s, np.cumsum(model.sizes)[:-1])[i] for s in profiles]).reshape(
        len(profiles), k) for i, k in enumerate(model.sizes))
    if points:  # keep what passes the verification's own test (per-comparison tolerances)
        passed = check_profiles(game, blocks, np.array(points), rtol).passed
        failed += [p for p, ok in zip(points, passed) if not ok]
        points = [p for p, ok in zip(points, passed) if ok]
        blocks = tuple(b[passed] for b in blocks)
    notes = ["one equilibrium per point, the limit of the logit QRE branch: others may exist"]
    if failed:
        notes.append(f"no equilibrium was found by logit tracing at {len(failed)} of {game.batch_size} points "
                     "(the trace ran out of budget or its limit could not be polished to an exact equilibrium)")
    return verified_solution(game, concept="nash", method="logit tracing", point=np.array(points, dtype=np.int64),
                             strategies=blocks, rtol=rtol, complete=np.zeros(game.batch_size, dtype=bool),
                             notes=tuple(notes))


def _polish_support(model: NormalModel, sigma: np.ndarray, tol: float) -> np.ndarray | None:
    """Solve the indifference conditions on the support of `sigma` by Newton; None if that fails."""
    from .qre_path import COMPLEX_STEP

    sizes = model.sizes
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
    for threshold in (1e-4, 1e-6, 1e-3):
        support = sigma > threshold
        for i in range(len(sizes)):
            block = support[offsets[i]:offsets[i + 1]]
            if not block.any():
                block[np.argmax(sigma[offsets[i]:offsets[i + 1]])] = True
        index = np.flatnonzero(support)

        equations = partial(_indifference, model, offsets, index)
        x = sigma[index] / np.repeat([sigma[offsets[i]:offsets[i + 1]][support[offsets[i]:offsets[i + 1]]].sum()
                                       for i in range(len(sizes))],
                                      [support[offsets[i]:offsets[i + 1]].sum() for i in range(len(sizes))])
        for _ in range(30):
            r = equations(x.astype(complex)).real
            J = np.stack([equations(x + 1j * COMPLEX_STEP * np.eye(len(x))[c]).imag / COMPLEX_STEP
                          for c in range(len(x))], axis=1)
            try:
                delta = np.linalg.solve(J, -r)
            except np.linalg.LinAlgError:
                break
            x = x + delta
            if np.abs(delta).max() < 1e-15:
                break
        full = np.zeros(offsets[-1])
        full[index] = x
        if full.min() < -1e-12:
            continue
        full = np.clip(full, 0.0, None)
        v = model.values(np.log(np.maximum(full, 1e-300))[None])[0].real
        regret = max(float(v[offsets[i]:offsets[i + 1]].max() - v[offsets[i]:offsets[i + 1]] @
                           full[offsets[i]:offsets[i + 1]]) for i in range(len(sizes)))
        if regret <= tol:
            return full
    return None


def _indifference(model: NormalModel, offsets: np.ndarray, index: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Each player's support actions pay the same, and its support probabilities sum to 1."""
    full = np.zeros(offsets[-1], dtype=x.dtype)
    full[index] = x
    with np.errstate(divide="ignore"):
        v = model.values(np.log(full.astype(complex))[None])[0]
    rows = []
    for i in range(len(offsets) - 1):
        mine = index[(index >= offsets[i]) & (index < offsets[i + 1])]
        rows.extend(v[mine[1:]] - v[mine[0]])
        rows.append(full[mine].sum() - 1.0)
    return np.array(rows)
