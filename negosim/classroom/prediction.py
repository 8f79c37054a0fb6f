"""What the equilibrium predicts for a classroom game: behaviour at every decision, the outcomes and
the payoffs, with a note on what the class should know (a fallback concept, several equilibria, a tie).

The concept follows the game: Nash for a normal form, backward induction for a tree of perfect
information, perfect Bayesian equilibrium for a tree with hidden moves or chance. The computer's
seats play the prediction (`negosim.classroom.rules.Rules.auto_action`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .rules import Rules

#: How the pages name the concept a prediction comes from.
CONCEPT_NAMES = {"spe": "subgame-perfect equilibrium", "nash": "Nash equilibrium", "pure": "pure Nash equilibrium",
                 "pbe": "perfect Bayesian equilibrium"}


@dataclass(frozen=True)
class Prediction:
    """What the equilibrium predicts: behaviour at every decision, the outcome distribution, payoffs.

    Attributes
    ----------
    concept : str
        The solution concept predicted with.
    behavior : dict
        ``{decision id: {action: probability}}``.
    outcomes : dict
        ``{outcome id: probability}``.
    payoffs : dict
        ``{player id: expected payoff}``.
    count : int
        How many equilibria were found (the prediction is one of them).
    note : str
        What the class should know about the prediction (empty when nothing).

    Examples
    --------
    >>> from negosim.api import open_source
    >>> from negosim.classroom.rules import rules_for
    >>> p = rules_for(open_source("scenarios/prisoners_dilemma.yaml")).prediction
    >>> p.concept, p.outcomes, p.payoffs, p.count
    ('nash', {'mutual_defection': 1.0}, {'Row': 1.0, 'Column': 1.0}, 1)
    """

    concept: str
    behavior: dict[str, dict[str, float]]
    outcomes: dict[str, float]
    payoffs: dict[str, float]
    count: int
    note: str



def predict(rules: Rules) -> Prediction:
    """Return the equilibrium prediction of a game as the classroom plays it.

    Parameters
    ----------
    rules : Rules
        The rules of the game at one parameter point (their game, tie rules and structure).

    Returns
    -------
    Prediction
        One equilibrium (the first, or among a perfect Bayesian game's several one that passes the
        Intuitive Criterion where one does), with the number found and a note.

    Raises
    ------
    GameError
        When backward induction cannot solve the game, or the fallback of a game too large for its concept
        cannot either.

    Examples
    --------
    >>> from negosim.api import open_source
    >>> from negosim.classroom.rules import rules_for
    >>> predict(rules_for(open_source("scenarios/entry_deterrence.yaml"))).concept
    'spe'
    """
    from ..errors import GameError
    from ..solve import solve

    # A tree with hidden moves or chance is predicted by its perfect Bayesian equilibria (behaviour
    # rational off the path given beliefs); one of perfect information by backward induction.
    concept = "nash" if not rules.tree else "spe" if rules.perfect_information else "pbe"
    try:
        (sol,) = solve(rules.game, concept, ties=rules.ties)
    except GameError as exc:  # too large for the method: fall back, and say so
        if concept == "spe":
            raise
        fallback = "pure" if concept == "nash" else "spe"
        (sol,) = solve(rules.game, fallback, ties=rules.ties)
        why = str(exc).split(": ", 1)[-1]
        what = {"nash": "Nash equilibria not enumerated", "pbe": "perfect Bayesian equilibria not computed"}
        shown = {"pure": "pure ones shown", "spe": "the subgame-perfect equilibrium shown"}
        concept, note0 = fallback, f"{what[concept]} ({why}); {shown[fallback]}. "
    else:
        note0 = ""
    eqs = sol.equilibria_at(0)
    if not eqs:
        return Prediction(concept, {}, {}, {}, 0, note0 + "no equilibrium found")
    eq = eqs[0]
    if concept == "pbe" and len(eqs) > 1:
        # Among several, show one that survives the Intuitive Criterion where one does (beer-quiche's
        # pooling on beer, not on quiche), and say so.
        passing = [e for e in eqs if e.intuitive_criterion is True]
        if passing and eq.intuitive_criterion is False:
            eq = passing[0]
            note0 += "The one shown passes the Intuitive Criterion (Cho and Kreps). "
    if eq.behavior is not None:
        behavior = {s: dict(probs) for p in eq.behavior.values() for s, probs in p.items()}
        outcomes = dict(eq.outcome_probs or {})
    else:
        behavior = {p: dict((eq.strategies or {})[p]) for p in rules.players}
        outcomes = normal_outcomes(rules, behavior)
    more = (f"{len(eqs)} equilibria; the {'first' if eq is eqs[0] else 'one'} shown is the one the computer "
            "follows. " if len(eqs) > 1 else "")
    tied = "A player is indifferent at some decision (a tie, broken by the scenario's tie rules). " \
        if eq.tied else ""
    return Prediction(concept, behavior, outcomes, dict(eq.payoffs), len(eqs), (note0 + more + tied).strip())


def normal_outcomes(rules: Rules, behavior: dict[str, dict[str, float]]) -> dict[str, float]:
    """Return the outcome distribution of a normal-form game under mixed `behavior`.

    Parameters
    ----------
    rules : Rules
        The rules of a normal-form game.
    behavior : dict
        ``{player: {action: probability}}``.

    Returns
    -------
    dict
        ``{outcome id: probability}`` for each outcome reached with positive probability.

    Examples
    --------
    >>> from negosim.api import open_source
    >>> from negosim.classroom.rules import rules_for
    >>> rules = rules_for(open_source("scenarios/prisoners_dilemma.yaml"))
    >>> half = {"cooperate": 0.5, "defect": 0.5}
    >>> normal_outcomes(rules, {"Row": {"cooperate": 1.0, "defect": 0.0}, "Column": half})
    {'mutual_cooperation': 0.5, 'row_exploited': 0.5}
    """
    out: dict[str, float] = {}
    probs = [np.array([behavior[p][a] for a in acts]) for p, acts in zip(rules.players, rules.game.actions)]
    for profile in np.ndindex(*rules.game.shape):
        q = float(np.prod([probs[k][a] for k, a in enumerate(profile)]))
        if q > 0:
            oid = rules.profile_outcome(profile)
            out[oid] = out.get(oid, 0.0) + q
    return out


__all__ = ["CONCEPT_NAMES", "Prediction", "normal_outcomes", "predict"]
