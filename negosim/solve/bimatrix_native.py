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
from .result import Solution, lean
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
    return kernel_solution(game, out, float(rtol))


def kernel_solution(game: NormalFormGame, out: tuple, rtol: float) -> Solution:
    """The `Solution` of one game from a compiled kernel's answer ``(E, floats, flags, point_tol)``.

    Both kernels that answer one 2-player game whole (``bimatrix_small.c`` and ``bimatrix_hull.c``'s
    ``solve``) give their E equilibria in this layout: `floats` holds x (E, m), y (E, n), the payoffs
    (E, 2), the regrets (E,) and the players' tolerances (E, 2); `flags` the best responses (E, m) and
    (E, n), the players' ties (E, 2), the tied actions (E, m) and (E, n) and the equilibria's ties (E,).

    Parameters
    ----------
    game : NormalFormGame
        The game solved (two players, batch shape ()).
    out : tuple
        The kernel's answer: E, the two buffers and the point's tolerance.
    rtol : float
        The relative tolerance it was solved with.

    Returns
    -------
    Solution
        Its strategies now, every other field built on first read: views into the two buffers, one
        array constructor each.

    Examples
    --------
    >>> g = NormalFormGame.from_bimatrix([[1.0]], [[2.0]])
    >>> floats = np.array([1.0, 1.0, 1.0, 2.0, 0.0, 1e-9, 1e-9]).tobytes()
    >>> flags = np.array([1, 1, 0, 0, 0, 0, 0], dtype=bool).tobytes()
    >>> sol = kernel_solution(g, (1, floats, flags, 1e-9), 1e-9)
    >>> sol.payoffs.tolist(), sol.extra["best_responses"][0].tolist()
    ([[1.0, 2.0]], [[True]])
    """
    E, floats = out[0], out[1]
    m, n = game.payoffs.shape[1:]
    return lean({"concept": "nash", "method": "vertex enumeration", "game": game, "batch_shape": (),
                 "strategies": (_array((E, m), _F8, floats, 0), _array((E, n), _F8, floats, E * m * 8)),
                 "behavior": (), "notes": (), "parameters": {}}, _field, (out, m, n, rtol, game))


def _field(name: str, data: tuple) -> object:
    """The field `name` of `kernel_solution`'s solution from the kernel's output (`data`: (out, m, n, rtol, game))."""
    (E, floats, flags, point_tol), m, n, rtol, game = data
    em, en, bm, bn = E * m * 8, E * n * 8, E * m, E * n
    if name == "payoffs":
        return _array((E, 2), _F8, floats, em + en)
    if name == "regret":
        return _array((E,), _F8, floats, em + en + E * 16)
    if name == "tied":
        return _array((E,), _B, flags, 2 * (bm + bn) + 2 * E)
    if name == "point":
        return np.zeros(E, dtype=np.int64)
    if name in ("complete", "degenerate"):
        return np.array(name == "complete")
    if name == "tol":
        return np.array(point_tol)
    if name == "outcome_probs":
        return np.zeros((0, 0))
    if name == "extra":
        brs = (_array((E, m), _B, flags, 0), _array((E, n), _B, flags, bm))
        player_tied = _array((E, 2), _B, flags, bm + bn)
        return {"best_responses": brs,
                "tied_actions": (_array((E, m), _B, flags, bm + bn + 2 * E),
                                 _array((E, n), _B, flags, 2 * bm + bn + 2 * E)),
                "tie_descriptions": TieDescriptions(game.players, game.actions, brs, player_tied),
                "player_tol": _array((E, 2), _F8, floats, em + en + E * 24), "rtol": rtol,
                "exact_rows": np.zeros(E, dtype=bool)}
    raise AttributeError(f"'Solution' object has no attribute {name!r}")


_array = np.ndarray
_F8, _B = np.dtype(np.float64), np.dtype(bool)


__all__ = ["PYTHON", "UNDECIDED", "kernel", "kernel_solution", "solve_small"]
