"""The indifference conditions behind a mixed equilibrium of a game with three or more players, in words.

With three or more players a player's expected payoff from an action is a polynomial in the others'
probabilities (multilinear: of degree one in each other player's), so the conditions that keep a
mixing player indifferent are polynomial equations, and their solutions can be irrational. Each
mixing player's condition is written out with one variable per other mixing player of two actions
(``p_B``: the probability that B plays its first action in the support); where every mixing player
plays the same mix the condition is one polynomial in the common probability, solved in closed form
when it is ``a + b (1 - p)^k = 0`` or ``a + b p^k = 0`` (the volunteer's dilemma's
``p = 1 - (c/b)^(1/(n-1))``).
"""

from __future__ import annotations

import itertools

import numpy as np

from ..text.wording import and_list, capital, frac, keep, noun, num

#: Coefficients below this (relative to the payoffs) are rounding noise of a zero.
ZERO = 1e-10


def _payoff_at(pay: np.ndarray, i: int, a: int, probs: list[np.ndarray], fixed: dict[int, np.ndarray]) -> float:
    """Player i's expected payoff from action a when the players in `fixed` play those vectors instead."""
    vectors = [fixed.get(j, probs[j]) for j in range(len(probs))]
    vectors[i] = np.eye(len(probs[i]))[a]
    value = pay[i]
    for j in reversed(range(len(probs))):
        value = value @ vectors[j]
    return float(value)


def multilinear(pay: np.ndarray, i: int, a: int, probs: list[np.ndarray], supports: list[np.ndarray],
                mixers: list[int]) -> dict[tuple[int, ...], float]:
    """Coefficients of player i's payoff from `a` as a polynomial in the `mixers`' first-action probabilities.

    Each mixer in `mixers` has two support actions; everyone else plays its equilibrium mix. The key
    is the set of mixers whose probabilities multiply (``()`` the constant).

    Examples
    --------
    Three players; player 0 gets 1 when at least one other plays action 0:

    >>> pay = np.zeros((3, 2, 2, 2)); pay[0, :, 0, :] = 1; pay[0, :, 1, 0] = 1
    >>> probs = [np.array([0.5, 0.5])] * 3
    >>> sups = [np.array([0, 1])] * 3
    >>> {k: round(v, 9) for k, v in multilinear(pay, 0, 1, probs, sups, [1, 2]).items()}
    {(1,): 1.0, (2,): 1.0, (1, 2): -1.0}
    """
    def corner(first: frozenset[int]) -> float:
        fixed = {}
        for j in mixers:
            v = np.zeros(len(probs[j]))
            v[supports[j][0] if j in first else supports[j][1]] = 1.0
            fixed[j] = v
        return _payoff_at(pay, i, a, probs, fixed)

    scale = max(1.0, float(np.abs(pay).max()))
    out: dict[tuple[int, ...], float] = {}
    for r in range(len(mixers) + 1):
        for subset in itertools.combinations(mixers, r):
            c = sum((-1) ** (len(subset) - len(t)) * corner(frozenset(t))
                    for k in range(len(subset) + 1) for t in itertools.combinations(subset, k))
            if abs(c) > ZERO * scale:
                out[subset] = c
    return out


def _polynomial_text(terms: list[tuple[float, str]]) -> str:
    """'0.6', '2p - p^2', 'p_B + p_C - p_B p_C' from (coefficient, monomial) pairs."""
    if not terms:
        return "0"
    out = ""
    for k, (c, mono) in enumerate(terms):
        sign = "-" if c < 0 else "+"
        mag = abs(c)
        coef = "" if mono and abs(mag - 1) < 1e-12 else num(mag)
        if "/" in coef and mono:
            coef = f"({coef})"
        gap = " " if "_" in mono else ""  # 2p, but 0.24 p_UA p_RU
        body = f"{coef}{gap}{mono}" if coef and mono else (coef or mono)
        out += (f"-{body}" if sign == "-" else body) if k == 0 else f" {sign} {body}"
    return out


def _symmetric_root(diff: np.ndarray) -> str | None:
    """A closed form for the root of ``sum diff[k] p^k = 0`` when it is ``a + b p^k`` or ``a + b (1 - p)^k``."""
    in_q = np.polynomial.polynomial.Polynomial(diff)(np.polynomial.polynomial.Polynomial([1, -1])).coef
    for coefs, form in ((diff, "p = {r}"), (in_q, "1 - p = {r}, so p = 1 - {r}")):
        nonzero = [k for k, c in enumerate(coefs) if abs(c) > ZERO]
        if len(nonzero) == 2 and nonzero[0] == 0 and nonzero[1] >= 2:  # linear: "p = value" says it all
            k = nonzero[1]
            ratio = -coefs[0] / coefs[k]
            if ratio <= 0:
                continue
            return form.format(r=f"{num(ratio)}^(1/{k})")
    return None


def nplayer_indifference(game, pay: np.ndarray, probs: list[np.ndarray], supports: list[np.ndarray],
                         who: list[str]) -> list[str]:
    """Sentences with the indifference conditions of a mixed equilibrium of a game with 3+ players."""
    n = game.n_players
    mixing = [i for i in range(n) if len(supports[i]) >= 2]
    two = [i for i in mixing if len(supports[i]) == 2]
    out: list[str] = []
    same = (len(mixing) >= 2 and len(two) == len(mixing)
            and all(np.array_equal(supports[i], supports[mixing[0]]) for i in mixing)
            and all(np.allclose(probs[i], probs[mixing[0]], atol=1e-9) for i in mixing))
    if same:
        i0 = mixing[0]
        first, second = (game.actions[i0][a] for a in supports[i0])
        others = [j for j in mixing if j != i0]
        polys = []
        for a in supports[i0]:
            coefs = multilinear(pay, i0, a, probs, supports, others)
            poly = np.zeros(len(others) + 1)
            for key, c in coefs.items():
                poly[len(key)] += c
            polys.append(poly)
        symmetric = all(
            np.allclose(sorted(multilinear(pay, j, a, probs, supports, [k for k in mixing if k != j]).values()),
                        sorted(multilinear(pay, i0, a0, probs, supports, others).values()), atol=1e-9)
            for j in mixing for a, a0 in zip(supports[j], supports[i0]))
        if symmetric:
            names = and_list([noun(who[j]) for j in mixing])
            texts = [_polynomial_text([(c, "" if k == 0 else ("p" if k == 1 else f"p^{k}"))
                                       for k, c in enumerate(poly) if abs(c) > ZERO]) for poly in polys]
            root = _symmetric_root(polys[0] - polys[1])
            p = probs[i0][supports[i0][0]]
            solved = f"so {root} = {frac(p)}" if root else f"so p = {frac(p)}"
            out.append(f"{capital(names)} each play {first} with the same probability p. Against the others' "
                       f"mixes {first} earns {keep(texts[0])} and {second} earns {keep(texts[1])}; each is willing "
                       f"to mix only when these are equal, {solved}.")
            return out + _unused(game, pay, probs, supports, who)
    for i in mixing:
        own = [game.actions[i][a] for a in supports[i]]
        others = [j for j in two if j != i]
        values = [_payoff_at(pay, i, a, probs, {}) for a in supports[i]]
        if others:
            var = {j: f"p_{game.players[j]}" for j in others}
            texts = []
            for a in supports[i]:
                coefs = multilinear(pay, i, a, probs, supports, others)
                texts.append(_polynomial_text([(c, " ".join(var[j] for j in key)) for key, c in coefs.items()]))
            meaning = "; ".join(f"{var[j]}: the probability that {noun(who[j])} plays "
                                f"{game.actions[j][supports[j][0]]}" for j in others)
            given = and_list([f"{var[j]} = {frac(probs[j][supports[j][0]])}" for j in others])
            earns = and_list([keep(f"{a} earns {t}") for a, t in zip(own, texts)])
            out.append(f"{capital(noun(who[i]))} mixes, so {and_list(own)} must pay {noun(who[i])} the same: "
                       f"{earns} ({meaning}); at {given} each earns {num(values[0])}.")
        else:
            out.append(f"Against the others' play {noun(who[i])}'s {and_list(own)} pay the same "
                       f"({num(values[0])} each), so {noun(who[i])} can mix.")
    return out + _unused(game, pay, probs, supports, who)


def _unused(game, pay: np.ndarray, probs: list[np.ndarray], supports: list[np.ndarray], who: list[str]) -> list[str]:
    """A sentence per player with actions outside its support: they earn no more than its mix."""
    out = []
    for i in range(game.n_players):
        unused = [a for a in range(len(probs[i])) if a not in set(supports[i].tolist())]
        if not unused:
            continue
        best = _payoff_at(pay, i, int(supports[i][0]), probs, {})
        earned = [f"{game.actions[i][a]} {num(_payoff_at(pay, i, a, probs, {}))}" for a in unused]
        out.append(f"{capital(noun(who[i]))}'s other actions earn no more: {and_list(earned)}, against {num(best)}.")
    return out
