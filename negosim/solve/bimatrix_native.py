"""One small 2-player game by the compiled kernel ``negosim/native/bimatrix_small.c``, wrapped as a `Solution`.

The kernel makes the decisions of `bimatrix_lean.one_game` (and of the 2x2 closed form
`small.two_by_two` verified by `lean.lean_solution`) for one game of any shape `bimatrix_lean.fits`
accepts: the same systems, margins, condition numbers, bands, coarse-payoff test, merge test and
verification rules, with the thresholds passed from the Python modules once (`_configured`). It
answers with the equilibria and their verification, or says `UNDECIDED` (where `one_game` returns
None: the general path answers) or `PYTHON` (a vertex to recompute in rational arithmetic, or a
closed-form profile that fails verification: the Python path runs exactly as without the kernel).
The numbers of the 2x2 closed form are Python's float arithmetic bit for bit; elsewhere they are
the same formulas in another order of rounding (the kernel's own Gauss-Jordan instead of LAPACK), and
every decision that rounding could change is left undecided, as the Python path leaves it.

Without a C compiler at install time, or with ``NEGOSIM_NATIVE=0``, `kernel` returns None and the
callers use the Python path.
"""

from __future__ import annotations

from functools import cache
from types import ModuleType

import numpy as np

from ..game.checks import PROB_TOL
from ..game.normal import NormalFormGame
from ..native import enabled, load
from .result import Solution
from .verify import TieDescriptions

#: The kernel's codes for a game it does not answer.
UNDECIDED, PYTHON = 0, 1


@cache
def _configured() -> ModuleType | None:
    """The compiled module with the thresholds of the Python modules set, or None if it was not built."""
    module = load("bimatrix_small")
    if module is None:
        return None
    from .bimatrix_lean import BAND, MAX_SYSTEMS
    from .confirm import REFINE_COND, RESOLUTION
    from .polytope import COND_LIMIT, LOOSE, MARGIN
    from .small import SAFE
    from .tolerance import NOISE

    # CLOSE: `one_game`'s test for two equilibria `vertex.dedupe` would merge
    module.configure(PROB_TOL, NOISE, MARGIN, LOOSE, COND_LIMIT, REFINE_COND, RESOLUTION, BAND, SAFE, 2e-9,
                     MAX_SYSTEMS)
    return module


def kernel() -> ModuleType | None:
    """The compiled kernel, or None when it was not built or ``NEGOSIM_NATIVE=0``.

    Returns
    -------
    module or None
        ``negosim.native._bimatrix_small`` configured with negosim's thresholds.

    Examples
    --------
    >>> import os
    >>> os.environ["NEGOSIM_NATIVE"] = "0"
    >>> kernel() is None
    True
    >>> del os.environ["NEGOSIM_NATIVE"]
    """
    return _configured() if enabled() else None


def solve_small(module: ModuleType, game: NormalFormGame, rtol: float) -> Solution | int:
    """The verified solution of one 2-player game (batch shape ()) by the kernel, or its code `UNDECIDED`/`PYTHON`.

    Parameters
    ----------
    module : module
        `kernel()`.
    game : NormalFormGame
        Two players, batch shape (), a shape `bimatrix_lean.fits` accepts.
    rtol : float
        Relative tolerance (ties, degeneracy, verification).

    Returns
    -------
    Solution or int
        What `bimatrix_lean.one_game` (or the 2x2 closed form) gives for the game, or `UNDECIDED`
        where it gives None, or `PYTHON` where the Python path must run (see the module doc).

    Examples
    --------
    >>> module = kernel()
    >>> g = NormalFormGame.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> sol = solve_small(module, g, 1e-9) if module is not None else None
    >>> module is None or (int(sol.counts()), bool(sol.complete)) == (3, True)
    True
    """
    pay = game.payoffs
    if not pay.flags.c_contiguous:
        pay = np.ascontiguousarray(pay)
    m, n = pay.shape[1:]
    out = module.solve(pay, m, n, float(rtol))
    if type(out) is int:
        return out
    E, floats, flags, point_tol = out
    f = np.frombuffer(floats)
    b = np.frombuffer(flags, dtype=bool)
    em, en = E * m, E * n
    x, y = f[:em].reshape(E, m), f[em:em + en].reshape(E, n)
    rest = em + en
    payoffs, regret, player_tol = f[rest:rest + 2 * E].reshape(E, 2), f[rest + 2 * E:rest + 3 * E], f[rest + 3 * E:]
    player_tied = b[em + en:em + en + 2 * E].reshape(E, 2)
    rest = em + en + 2 * E
    brs = (b[:em].reshape(E, m), b[em:em + en].reshape(E, n))
    tied_actions = (b[rest:rest + em].reshape(E, m), b[rest + em:rest + em + en].reshape(E, n))
    tied = b[rest + em + en:]
    extra = {"best_responses": brs, "tied_actions": tied_actions,
             "tie_descriptions": TieDescriptions(game.players, game.actions, brs, player_tied),
             "player_tol": player_tol.reshape(E, 2), "rtol": float(rtol), "exact_rows": np.zeros(E, dtype=bool)}
    return Solution(concept="nash", method="vertex enumeration", game=game, batch_shape=(),
                    point=np.zeros(E, dtype=np.int64), payoffs=payoffs, regret=regret, tied=tied,
                    complete=np.array(True), degenerate=np.array(False), tol=np.array(point_tol),
                    strategies=(x, y), notes=(), extra=extra)


__all__ = ["PYTHON", "UNDECIDED", "kernel", "solve_small"]
