"""`verify.verified_solution` for one small 2-player game, in plain Python floats (the fixed cost of one game).

numpy pays a few microseconds per call whatever the array size, and `verified_solution` makes a
few hundred calls (evaluating the profiles twice: once to build the solution, once in `verify`).
For one point of a small game the same arithmetic in Python floats is ten times faster. The
rules are `verify.check_profiles`'s, term for term: each player's payoffs are divided by a power
of two (`tolerance.player_exponents`), its tolerance is ``rtol`` times the spread of the payoffs it
chooses among (its actions against the opponent's support) plus `tolerance.NOISE` times their
largest magnitude plus what probabilities below `PROB_TOL` can add; a profile whose regret exceeds
that raises `VerificationError`. ``tests/test_lean.py`` checks every field against
`verified_solution` on random and degenerate games.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ..errors import VerificationError
from ..game.checks import PROB_TOL
from ..game.normal import NormalFormGame
from .result import Solution
from .tolerance import NOISE
from .verify import TieDescriptions

#: Games with at most this many payoff entries per player take the lean path.
MAX_CELLS = 16


def _exponent(flat: list[float]) -> int:
    return math.frexp(max(max(flat), -min(flat)))[1]  # the largest magnitude's exponent


def _check(U: list[list[float]], own: Sequence[float], other: Sequence[float], rtol: float, biggest: float):
    """(value of `own`, regret, tolerance, best-response flags) of the player with unit payoffs U[own][other]
    (`biggest` its largest magnitude)."""
    values = [sum([u * q for u, q in zip(row, other)]) for row in U]
    inside = [q > PROB_TOL for q in other]
    chosen = [u for row in U for u, ok in zip(row, inside) if ok]
    if chosen:
        hi, lo = max(chosen), min(chosen)
        tol = rtol * (hi - lo) + NOISE * max(hi, -lo)
    else:
        tol = rtol * -math.inf + NOISE * 0.0
    stray = sum([abs(q) for q in other if abs(q) <= PROB_TOL])
    tol += 2.0 * stray * biggest
    value = sum([v * p for v, p in zip(values, own)])
    best = max(values)
    gain = max(best - value, 0.0)
    edge = best - tol
    return value, gain, tol, [v >= edge for v in values]


def lean_solution(game: NormalFormGame, profiles: Sequence[tuple[Sequence[float], Sequence[float]]], *,
                  method: str, rtol: float, degenerate: bool = False, notes: tuple[str, ...] = ()) -> Solution:
    """The verified `Solution` (concept "nash", complete) of one 2-player game point from its equilibria.

    Same fields as `verify.verified_solution` (rows sorted the same way; ``extra`` with
    ``best_responses``, ``tied_actions``, ``tie_descriptions``, ``player_tol``, ``rtol``,
    ``exact_rows``). Raises `VerificationError` when a profile is not an equilibrium or not a
    probability vector.

    Parameters
    ----------
    game : NormalFormGame
        Two players, one batch point.
    profiles : sequence of (sequence of float, sequence of float)
        The equilibria (x, y) found.
    method : str
        The method named in the solution.
    rtol : float
        Relative tolerance for verification.
    degenerate : bool
        Whether the game is degenerate.
    notes : tuple of str
        Notes carried into the solution.

    Returns
    -------
    Solution
        Concept "nash", complete, the profiles verified and sorted.

    Examples
    --------
    >>> from negosim.game import NormalFormGame
    >>> g = NormalFormGame.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> sol = lean_solution(g, [((1.0, 0.0), (1.0, 0.0)), ((0.0, 1.0), (0.0, 1.0))], method="closed form",
    ...                     rtol=1e-9)
    >>> sol.concept, int(sol.counts()), sol.payoffs.tolist()
    ('nash', 2, [[2.0, 1.0], [1.0, 2.0]])
    """
    m, n = game.shape
    A, B = game.payoffs.reshape(2, m, n).tolist()
    flat_a = [v for row in A for v in row]
    flat_b = [v for row in B for v in row]
    ea, eb = _exponent(flat_a), _exponent(flat_b)
    UA = [[math.ldexp(v, -ea) for v in row] for row in A]
    UB = [[math.ldexp(B[i][j], -eb) for i in range(m)] for j in range(n)]  # B by column first
    unit_a = [math.ldexp(v, -ea) for v in flat_a]
    unit_b = [math.ldexp(v, -eb) for v in flat_b]
    big_a = max(max(unit_a), -min(unit_a))
    big_b = max(max(unit_b), -min(unit_b))
    profiles = sorted(profiles, key=lambda e: tuple([-round(v, 9) for v in (*e[0], *e[1])]))
    pay, reg, ptol, br1, br2, tied = [], [], [], [], [], []
    problems = []
    for r, (x, y) in enumerate(profiles):
        for s in (x, y):
            if min(s) < -PROB_TOL or abs(sum(s) - 1) > PROB_TOL:
                problems.append(f"row {r} is not a probability vector")
        v1, g1, t1, b1 = _check(UA, x, y, rtol, big_a)
        v2, g2, t2, b2 = _check(UB, y, x, rtol, big_b)
        if g1 > t1 or g2 > t2:
            who, g, t = (game.players[0], g1, t1) if g1 - t1 >= g2 - t2 else (game.players[1], g2, t2)
            problems.append(f"row {r}: {who}'s regret {math.ldexp(g, ea if who == game.players[0] else eb):.3g} "
                            f"> tol {math.ldexp(t, ea if who == game.players[0] else eb):.3g}")
        pay.append((math.ldexp(v1, ea), math.ldexp(v2, eb)))
        reg.append(max(math.ldexp(g1, ea), math.ldexp(g2, eb)))
        ptol.append((math.ldexp(t1, ea), math.ldexp(t2, eb)))
        br1.append(b1)
        br2.append(b2)
        tied.append((any([b and p <= PROB_TOL for b, p in zip(b1, x)]),
                     any([b and p <= PROB_TOL for b, p in zip(b2, y)])))
    if problems:
        raise VerificationError(f"{method}: " + "; ".join(problems))
    E = len(profiles)
    # the point's coarse tolerance (`verify.point_tolerances`), raised to the rows' own
    point_tol = 0.0
    for flat, big, e in ((unit_a, big_a, ea), (unit_b, big_b, eb)):
        point_tol = max(point_tol, math.ldexp(rtol * (max(flat) - min(flat)) + NOISE * big, e))
    point_tol = max([point_tol, *(max(t) for t in ptol)])
    player_tied = np.array(tied, dtype=bool).reshape(E, 2)
    best_responses = (np.array(br1, dtype=bool).reshape(E, m), np.array(br2, dtype=bool).reshape(E, n))
    extra = {"best_responses": best_responses,
             "tied_actions": (best_responses[0] & player_tied[:, :1], best_responses[1] & player_tied[:, 1:]),
             "tie_descriptions": TieDescriptions(game.players, game.actions, best_responses, player_tied),
             "player_tol": np.array(ptol, dtype=float).reshape(E, 2), "rtol": float(rtol),
             "exact_rows": np.zeros(E, dtype=bool)}
    shape = game.batch_shape
    return Solution(concept="nash", method=method, game=game, batch_shape=shape, point=np.zeros(E, dtype=np.int64),
                    payoffs=np.array(pay, dtype=float).reshape(E, 2), regret=np.array(reg, dtype=float),
                    tied=np.asarray(player_tied.any(axis=1)), complete=np.ones(shape, dtype=bool),
                    degenerate=np.full(shape, degenerate), tol=np.full(shape, point_tol),
                    strategies=(np.array([p[0] for p in profiles], dtype=float).reshape(E, m),
                                np.array([p[1] for p in profiles], dtype=float).reshape(E, n)),
                    notes=notes, extra=extra)


__all__ = ["MAX_CELLS", "lean_solution"]
