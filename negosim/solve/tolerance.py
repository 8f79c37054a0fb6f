"""Tolerances scaled to the payoffs: what counts as a tie and as a profitable deviation.

One tolerance relative to the whole payoff range is vacuous when payoffs live at several scales
(differences of 1 next to payoffs of 1e19 count as ties) and infinite when the range overflows
(payoffs near +-1e308). negosim therefore measures every comparison on its own scale:

- each player's payoffs are first divided by a power of two (`player_scales`), exactly, so that the
  largest magnitude lies in [0.5, 1): no intermediate overflows and nothing depends on the units;
- a player comparing its payoffs against a profile of the others allows ``rtol`` times the spread of
  the payoffs it is choosing among (its own actions against the others' supports), plus the
  floating-point noise of payoffs of that magnitude (`NOISE` times the largest one involved).

Both terms scale with the payoffs, so multiplying a game by 1e6 or 1e-6 changes no answer.
"""

from __future__ import annotations

import numpy as np

#: Relative tolerance: two payoffs within `RTOL` times the spread of the payoffs being compared are
#: tied, and an equilibrium may leave a player at most that much below its best deviation.
RTOL = 1e-9
#: Relative size of floating-point noise allowed on top of the tolerance (a few hundred ulps of the
#: largest payoff entering an expected value).
NOISE = 256 * float(np.finfo(float).eps)


def row_max(a: np.ndarray) -> np.ndarray:
    """``a.max(axis=-1)`` for a 2-D array, column by column when rows are short (numpy's reduction
    over a short last axis costs ten times more than a few elementwise maxima)."""
    if a.shape[-1] == 0 or a.shape[-1] > 32:
        return a.max(axis=-1, initial=-np.inf)
    out = a[..., 0].copy()
    for j in range(1, a.shape[-1]):
        np.maximum(out, a[..., j], out=out)
    return out


def row_min(a: np.ndarray) -> np.ndarray:
    """``a.min(axis=-1)``, fast for short rows (see `row_max`)."""
    return -row_max(-a)


def scaled_tol(payoff_range, rtol: float = RTOL) -> np.ndarray:
    """Absolute tolerance per point: `rtol` times the payoff range (never below `rtol * 1e-12`).

    The coarse, whole-game tolerance (used by tree solvers and figures). Normal-form verification
    uses the per-comparison tolerances of `comparison_tol`.

    Examples
    --------
    >>> float(scaled_tol(2.0, 1e-9))
    2e-09
    """
    return rtol * np.maximum(np.asarray(payoff_range, dtype=float), 1e-12)


def checked_tol(tol, payoffs: np.ndarray, axis=None) -> np.ndarray:
    """The tolerance a tree solver's verification allows: `tol` plus the rounding of sums through chance
    nodes, `NOISE` times the largest |payoff| (reduced over `axis`; all of it by default).

    Where every payoff is equal `scaled_tol` gives ``rtol * 1e-12``, below the last bit of a chance-weighted
    sum; decisions keep `tol` itself, only the checks of the answer allow the rounding.

    Parameters
    ----------
    tol : float or numpy.ndarray
        The decision tolerance (`scaled_tol`).
    payoffs : numpy.ndarray
        The game's payoffs.
    axis : int or tuple of int, optional
        The axes reduced to one largest payoff per point (default: all).

    Returns
    -------
    numpy.ndarray
        ``tol + NOISE * max |payoffs|``.

    Examples
    --------
    >>> float(checked_tol(1e-21, np.array([[0.1, 0.1]]))) > 1e-15
    True
    """
    return tol + NOISE * np.abs(payoffs).max(axis=axis, initial=0.0)


def player_exponents(pay: np.ndarray) -> np.ndarray:
    """Exponents ``e`` (ints, shape ``(P, n_players)``) with each player's largest |payoff| / 2**e in [0.5, 1).

    `pay` has shape ``(P, n_players, *n_actions)``. Dividing by a power of two is exact, so the
    scaled game has the same ties and the same equilibria as the original, and differences of
    scaled payoffs cannot overflow (payoffs near 1e308 included). A player whose payoffs are all
    zero gets exponent 0. Use `to_unit` and `from_unit` to convert.

    Examples
    --------
    >>> player_exponents(np.array([[[3.0, -1e308], [0.25, 0.5]]])).tolist()
    [[1024, 0]]
    """
    P, n = pay.shape[:2]
    flat = pay.reshape(P, n, -1)
    biggest = np.maximum(row_max(flat), -row_min(flat)) if pay.size else np.zeros((P, n))
    return np.frexp(biggest)[1].astype(np.int64)


def to_unit(x: np.ndarray, exponent: np.ndarray) -> np.ndarray:
    """``x / 2**exponent``, exactly (`exponent` broadcast against `x`)."""
    return np.ldexp(x, -exponent)


def from_unit(x: np.ndarray, exponent: np.ndarray) -> np.ndarray:
    """``x * 2**exponent``, exactly unless it overflows (`exponent` broadcast against `x`)."""
    return np.ldexp(x, exponent)


def comparison_tol(spread: np.ndarray, magnitude: np.ndarray, rtol: float = RTOL) -> np.ndarray:
    """Tolerance of a comparison among payoffs that span `spread` and reach `magnitude` (same units).

    Examples
    --------
    >>> float(comparison_tol(np.float64(1.5), np.float64(1.0), 1e-9)) < 2e-9
    True
    """
    return rtol * spread + NOISE * magnitude
