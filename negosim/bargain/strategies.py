"""Named strategies of a repeated two-action game under noisy public monitoring, as finite automata.

Each player either *holds* (plays its action in the agreement's cooperative profile) or *violates*
(its other action). After each period every player's action is publicly seen: a violation is seen
with probability ``q`` (detection), a hold is wrongly seen as a violation with probability
``false_alarm``. A strategy is a small automaton over these public signals: in each state it
violates with some probability; its next state depends on its state, its own action and whether
another player was seen violating. The strategies (R. Axelrod 1984, The Evolution of Cooperation;
M. Nowak and K. Sigmund 1992, Nature 355 and 1993, Nature 364):

- ``grim``: hold until any other player is seen violating, then violate forever;
- ``tit_for_tat``: do what the others were seen doing last period (violate iff one was seen violating);
- ``generous_tit_for_tat``: tit for tat, but answer a seen violation by holding anyway with
  probability `GENEROSITY` (1/3);
- ``win_stay_lose_shift`` (Pavlov): repeat your action after the others were seen doing the same as
  you, switch otherwise;
- ``always_violate`` and ``always_hold``.

`strategy_values` gives the exact expected discounted payoffs of a strategy profile (a linear solve
over the joint automaton states); `negosim.bargain.simulate` plays the same automata with random
draws.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np

from ..errors import NegosimInputError

#: Generous tit for tat forgives a seen violation with this probability (Nowak and Sigmund 1992).
GENEROSITY = 1.0 / 3.0


@dataclass(frozen=True)
class Automaton:
    """A strategy as a finite automaton: ``violate[s]`` the probability of violating in state ``s``;
    ``next_state[s, own, seen]`` the next state after playing ``own`` (0 hold, 1 violate) when another
    player was (``seen = 1``) or was not seen violating; play starts in state 0.

    Attributes
    ----------
    name : str
        The strategy's name.
    violate : numpy.ndarray
        ``(n_states,)`` the probability of violating in each state.
    next_state : numpy.ndarray
        ``(n_states, 2, 2)`` the next state after ``[state, own, seen]``.

    Examples
    --------
    >>> grim = strategy("grim")
    >>> grim.n_states, grim.violate.tolist()
    (2, [0.0, 1.0])
    >>> int(grim.next_state[0, 0, 1])  # seen violating: punish for ever
    1
    """

    name: str
    violate: np.ndarray
    next_state: np.ndarray

    @property
    def n_states(self) -> int:
        return len(self.violate)


def _automaton(name: str, violate: list[float], table) -> Automaton:
    return Automaton(name, np.array(violate, dtype=float), np.array(table, dtype=np.intp))


#: state x own action x seen -> next state
_COPY = [[[0, 1], [0, 1]], [[0, 1], [0, 1]]]
STRATEGIES: dict[str, Automaton] = {
    "grim": _automaton("grim", [0.0, 1.0], [[[0, 1], [0, 1]], [[1, 1], [1, 1]]]),
    "tit_for_tat": _automaton("tit_for_tat", [0.0, 1.0], _COPY),
    "generous_tit_for_tat": _automaton("generous_tit_for_tat", [0.0, 1.0 - GENEROSITY], _COPY),
    "win_stay_lose_shift": _automaton("win_stay_lose_shift", [0.0, 1.0], [[[0, 1], [1, 0]], [[0, 1], [1, 0]]]),
    "always_violate": _automaton("always_violate", [1.0], [[[0, 0], [0, 0]]]),
    "always_hold": _automaton("always_hold", [0.0], [[[0, 0], [0, 0]]]),
}
#: Short names accepted on the command line.
ALIASES = {"tft": "tit_for_tat", "gtft": "generous_tit_for_tat", "wsls": "win_stay_lose_shift",
           "alld": "always_violate", "allc": "always_hold", "pavlov": "win_stay_lose_shift"}


def strategy(name: str) -> Automaton:
    """Return the automaton of a named strategy (or its short name: tft, gtft, wsls, alld, allc).

    Parameters
    ----------
    name : str
        A strategy's name (a key of ``STRATEGIES``) or its short name.

    Returns
    -------
    Automaton
        The strategy's automaton.

    Raises
    ------
    NegosimInputError
        When the name is unknown.

    Examples
    --------
    >>> strategy("tft").name
    'tit_for_tat'
    >>> strategy("grim").n_states
    2
    """
    key = ALIASES.get(name, name)
    if key not in STRATEGIES:
        raise NegosimInputError(f"unknown strategy {name!r}; choose from {', '.join(STRATEGIES)} "
                                f"(or {', '.join(ALIASES)})")
    return STRATEGIES[key]


def check_monitoring(detection: float, false_alarm: float, extension: float, discount: float | None = None) -> None:
    """Raise NegosimInputError unless the monitoring and horizon numbers are probabilities in range.

    Parameters
    ----------
    detection : float
        The probability a violation is seen, in (0, 1].
    false_alarm : float
        The probability a hold is seen as a violation, in [0, 1).
    extension : float
        The probability the truce goes on after each period, in (0, 1].
    discount : float, optional
        The discount factor, in (0, 1); not checked when None.

    Raises
    ------
    NegosimInputError
        When a number lies out of its range.

    Examples
    --------
    >>> check_monitoring(0.9, 0.05, 1.0, 0.95)
    >>> check_monitoring(0.0, 0.0, 1.0)
    Traceback (most recent call last):
        ...
    negosim.errors.NegosimInputError: the detection probability must lie in (0, 1], not 0
    """
    if not 0 < detection <= 1:
        raise NegosimInputError(f"the detection probability must lie in (0, 1], not {detection:g}")
    if not 0 <= false_alarm < 1:
        raise NegosimInputError(f"the false-alarm probability must lie in [0, 1), not {false_alarm:g}")
    if not 0 < extension <= 1:
        raise NegosimInputError(f"the extension probability must lie in (0, 1], not {extension:g}")
    if discount is not None and not 0 < discount < 1:
        raise NegosimInputError(f"the discount factor must lie in (0, 1), not {discount:g}")


def strategy_values(stage: np.ndarray, cooperative: tuple[int, ...], names: tuple[str, ...], discount: float,
                    detection: float = 1.0, extension: float = 1.0, false_alarm: float = 0.0) -> np.ndarray:
    """Return each player's exact normalised discounted payoff when the players follow `names`.

    The value is ``(1 - d) * sum_t d**t * E[u_t]`` with ``d = discount * extension`` (the truce ends
    for good with probability ``1 - extension`` after each period), so a payoff of ``R`` every period
    is worth ``R``. Computed by one linear solve over the joint automaton states.

    Parameters
    ----------
    stage : numpy.ndarray
        ``(n, 2, ..., 2)`` the stage payoffs (player first, then one axis of two actions per player).
    cooperative : tuple of int
        Each player's holding action (0 or 1); the other is its violation.
    names : tuple of str
        One strategy name per player.
    discount, detection, extension, false_alarm : float

    Returns
    -------
    numpy.ndarray
        ``(n,)`` the players' values.

    Examples
    --------
    Grim trigger against itself keeps the truce (0.6 each); always violating against grim gains
    0.7 per window until caught (probability 0.5 each window), then war at 0.3: at the threshold
    ``0.1 / (0.1 + 0.5 * 0.3) = 0.4`` the violator is exactly indifferent.

    >>> pd = np.array([[[0.6, 0.2], [0.7, 0.3]], [[0.6, 0.7], [0.2, 0.3]]])
    >>> strategy_values(pd, (0, 0), ("grim", "grim"), 0.5, detection=0.5).round(6).tolist()
    [0.6, 0.6]
    >>> strategy_values(pd, (0, 0), ("always_violate", "grim"), 0.4, detection=0.5).round(6).tolist()
    [0.6, 0.225]
    """
    check_monitoring(detection, false_alarm, extension, discount)
    autos = [strategy(n) for n in names]
    n = len(autos)
    sizes = [a.n_states for a in autos]
    states = list(product(*(range(k) for k in sizes)))
    index = {s: j for j, s in enumerate(states)}
    d = discount * extension
    M = np.zeros((len(states), len(states)))
    r = np.zeros((len(states), n))
    for s in states:
        for acts in product((0, 1), repeat=n):
            p_act = np.prod([a.violate[si] if v else 1 - a.violate[si] for a, si, v in zip(autos, s, acts)])
            if p_act == 0:
                continue
            cell = tuple(c if v == 0 else 1 - c for c, v in zip(cooperative, acts))
            r[index[s]] += p_act * stage[(slice(None), *cell)]  # type: ignore[arg-type]
            for seen in product((0, 1), repeat=n):
                p_seen = np.prod([(detection if v else false_alarm) if sv else (1 - detection if v else 1 - false_alarm)
                                  for v, sv in zip(acts, seen)])
                if p_seen == 0:
                    continue
                nxt = tuple(int(a.next_state[si, v, int(any(seen[j] for j in range(n) if j != i))])
                            for i, (a, si, v) in enumerate(zip(autos, s, acts)))
                M[index[s], index[nxt]] += p_act * p_seen
    values = (1 - d) * np.linalg.solve(np.eye(len(states)) - d * M, r)
    return values[index[tuple(0 for _ in autos)]]


__all__ = ["ALIASES", "GENEROSITY", "STRATEGIES", "Automaton", "check_monitoring", "strategy", "strategy_values"]
