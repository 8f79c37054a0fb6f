"""The logit QRE that fits the class: how far from random play, and how close to the equilibrium, the
students' choices are.

The logit quantal response equilibrium at precision ``lambda`` (which multiplies the raw payoffs, as in
McKelvey and Palfrey 1995 and Gambit) is random play at ``lambda = 0`` and approaches a Nash
equilibrium as ``lambda`` grows; on a game tree it is the agent QRE in behaviour strategies (Signorino's
strategic choice model). `qre_curve` traces the principal branch once per game at a grid of
precisions; `fit_qre` picks the precision whose choice probabilities make the class's choices most
likely (maximum likelihood over the grid), which is how experimental economists summarise a session
in one number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .rules import Rules

#: Precisions traced, as multiples of ``1 / payoff range`` (so the grid means the same for any units).
GRID = np.concatenate([[0.0], np.geomspace(0.05, 500.0, 80)])

Behaviour = dict[str, dict[str, float]]


@dataclass(frozen=True)
class QreFit:
    """The precision that best explains the class's choices, and what the QRE predicts at it.

    Attributes
    ----------
    lam : float
        The fitted precision (``lambda``, on the scale of the game's raw payoffs).
    log_likelihood : float
        Of the class's choices under the QRE at `lam`.
    random_log_likelihood : float
        Of the same choices under uniformly random play (the QRE at ``lambda = 0``).
    behavior : dict
        Decision id -> action -> probability in the QRE at `lam`.
    choices : int
        How many choices were fitted.
    at_edge : str
        ``"low"`` when random play fits best, ``"high"`` when the largest precision traced fits best
        (play as sharp as the equilibrium), ``""`` otherwise.

    Examples
    --------
    >>> QreFit(0.0, -6.93, -6.93, {}, 10, "low").sentence()[:46]
    "The class's 10 choices fit random play best (a"
    """

    lam: float
    log_likelihood: float
    random_log_likelihood: float
    behavior: Behaviour
    choices: int
    at_edge: str

    def sentence(self) -> str:
        """The fit in one sentence for the teacher's page."""
        n = f"{self.choices} choice{'s' if self.choices != 1 else ''}"
        if self.at_edge == "low":
            return (f"The class's {n} fit random play best (a logit QRE with precision λ = 0): no sign yet "
                    "that payoffs drive the choices.")
        lam = f"λ = {_sig(self.lam)}"
        how = ("as sharp as the equilibrium: the largest precision traced fits best" if self.at_edge == "high"
               else "between random play (λ = 0) and the equilibrium (λ → ∞)")
        return (f"The class's {n} fit a logit QRE with precision {lam} best, {how}. Log-likelihood "
                f"{self.log_likelihood:.1f}, against {self.random_log_likelihood:.1f} for random play.")


def _sig(x: float) -> str:
    return f"{x:.2g}" if x < 100 else f"{x:.0f}"


def qre_curve(rules: Rules) -> tuple[np.ndarray, list[Behaviour]]:
    """The principal branch of the logit QRE of `rules.game` at the precisions of `GRID` (scaled).

    Parameters
    ----------
    rules : Rules
        The game at one parameter point, as the classroom plays it. The result is cached on it.

    Returns
    -------
    lambdas : numpy.ndarray
        The precisions reached (the trace is bounded; a budget that runs out stops it early).
    behaviours : list of dict
        For each precision, decision id -> action -> probability.

    Examples
    --------
    >>> from negosim.game import NormalFormGame
    >>> from negosim.classroom.rules import Rules
    >>> pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]], actions=(("C", "D"), ("C", "D")))
    >>> lambdas, beh = qre_curve(Rules(pd))
    >>> beh[0]["P1"]["C"], round(beh[-1]["P1"]["D"], 3)
    (0.5, 1.0)
    """
    cached = getattr(rules, "_qre_curve", None)
    if cached is not None:
        return cached
    from ..solve.qre import logit_qre

    spread = float(np.ptp(rules.payoff_table)) or 1.0
    sol = logit_qre(rules.game, list(GRID / spread))
    rows = np.flatnonzero(sol.point == 0)
    lambdas = np.asarray(sol.extra["lambda"])[rows]
    behaviours: list[Behaviour] = []
    for eq in sol.equilibria_at(0):
        if eq.behavior is not None:
            behaviours.append({s: dict(q) for per in eq.behavior.values() for s, q in per.items()})
        else:
            behaviours.append({p: dict(q) for p, q in (eq.strategies or {}).items()})
    result = (lambdas, behaviours)
    rules._qre_curve = result  # type: ignore[attr-defined]  # a cache on the per-point rules object
    return result


def fit_qre(rules: Rules, counts: dict[str, dict[str, int]]) -> QreFit | None:
    """The QRE precision that makes the class's choices most likely (None when there is no choice yet).

    Parameters
    ----------
    rules : Rules
        The game the class played.
    counts : dict
        Decision id -> action -> how many students chose it.

    Returns
    -------
    QreFit or None

    Examples
    --------
    Every student defects in the prisoner's dilemma: the sharpest precision traced fits best.

    >>> from negosim.game import NormalFormGame
    >>> from negosim.classroom.rules import Rules
    >>> pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]], actions=(("C", "D"), ("C", "D")))
    >>> fit = fit_qre(Rules(pd), {"P1": {"C": 0, "D": 6}, "P2": {"C": 0, "D": 6}})
    >>> fit.at_edge, fit.choices
    ('high', 12)
    >>> fit_qre(Rules(pd), {"P1": {"C": 3, "D": 3}, "P2": {"C": 3, "D": 3}}).at_edge
    'low'
    """
    total = sum(sum(c.values()) for c in counts.values())
    if total == 0:
        return None
    lambdas, behaviours = qre_curve(rules)
    ll = np.array([_log_likelihood(b, counts) for b in behaviours])
    best = int(np.argmax(ll))  # the first maximum: the least precise of equally good fits
    # Choices that all follow a strict equilibrium have a likelihood that rises to 1 (log 0) with lambda
    # and saturates in floating point before the end of the grid: that is the upper edge too.
    edge = "low" if best == 0 else "high" if ll[-1] >= ll[best] - 1e-9 else ""
    return QreFit(float(lambdas[best]), float(ll[best]), float(ll[0]), behaviours[best], total, edge)


def _log_likelihood(behaviour: Behaviour, counts: dict[str, dict[str, int]]) -> float:
    """Sum over decisions and actions of count * log(probability); probabilities floored at 1e-300."""
    out = 0.0
    for decision, per in counts.items():
        probs = behaviour.get(decision, {})
        for action, k in per.items():
            if k:
                out += k * math.log(max(probs.get(action, 0.0), 1e-300))
    return out


__all__ = ["GRID", "QreFit", "fit_qre", "qre_curve"]
