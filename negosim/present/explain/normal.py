"""Explaining a normal-form game: the payoff matrix, iterated dominance round by round, and equilibria
with the indifference equations behind each mixed one.

Everything here looks at one parameter point (the source's), so plain Python over a handful of
strategies is fine; nothing is batched.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ...game.profiles import profile_id, profile_name
from ...solve.tolerance import RTOL, scaled_tol
from ..text.wording import Style, and_list, capital, exact, frac, keep, noun, num, pad, wrap

WIDTH = 100


@dataclass(frozen=True)
class Elimination:
    """One strategy removed by iterated elimination of strictly dominated strategies.

    `by` maps the dominating action(s) to their weight (one action with weight 1 for pure dominance);
    `better` lists (dominator's payoff, dominated payoff) against each remaining opponent profile.
    """

    round: int
    player: int
    dominated: int
    by: dict[int, float]
    better: list[tuple[float, float]]


def single_point(payoffs: np.ndarray, n: int) -> np.ndarray:
    """The payoff array of the one parameter point, shape ``(n_players, *n_actions)``."""
    pay = np.asarray(payoffs, dtype=float)
    core = pay.shape[pay.ndim - n - 1:]
    if pay.size != int(np.prod(core)):
        raise ValueError("explanations are for one parameter point, not a batch")
    return pay.reshape(core)


def best_response_marks(pay: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray]:
    """Per player, which profiles give it a best response (n, *shape); and which profiles are pure equilibria."""
    n = pay.shape[0]
    br = np.stack([pay[i] >= pay[i].max(axis=i, keepdims=True) - tol for i in range(n)])
    return br, np.asarray(br.all(axis=0))


def dominance_rounds(pay: np.ndarray, tol: float, mixed: bool = True) -> tuple[list[Elimination], list[list[int]]]:
    """Iterated elimination of strictly dominated strategies: every elimination (round by round) and the
    strategies left to each player. With `mixed`, a strategy dominated only by a mix of others (found
    with a small linear programme) is eliminated too."""
    n = pay.shape[0]
    remaining = [list(range(k)) for k in pay.shape[1:]]
    steps: list[Elimination] = []
    for rnd in range(1, sum(pay.shape[1:]) + 1):
        found = []
        for i in range(n):
            sub = pay[i][np.ix_(*remaining)]
            rows = np.moveaxis(sub, i, 0).reshape(len(remaining[i]), -1)  # own strategies x opponent profiles
            for s in range(len(rows)):
                hit = _dominator(rows, s, tol, mixed)
                if hit is not None:
                    by, better = hit
                    found.append(Elimination(rnd, i, remaining[i][s], {remaining[i][t]: w for t, w in by.items()},
                                             better))
        if not found:
            break
        steps.extend(found)
        for e in found:
            remaining[e.player].remove(e.dominated)
    return steps, remaining


def _dominator(rows: np.ndarray, s: int, tol: float, mixed: bool):
    """({row: weight}, comparisons) of a (pure, else mixed) strategy strictly better than row `s`, or None."""
    others = [t for t in range(len(rows)) if t != s]
    margins = [(float((rows[t] - rows[s]).min()), t) for t in others]
    if margins:
        margin, t = max(margins)
        if margin > tol:
            return {t: 1.0}, list(zip(rows[t].tolist(), rows[s].tolist()))
    if not mixed or len(others) < 2:
        return None
    from scipy.optimize import linprog  # lazily: scipy is slow to import

    m = len(others)
    # maximise eps subject to  sum_k w_k rows[k] >= rows[s] + eps,  sum w = 1,  w >= 0
    c = np.zeros(m + 1)
    c[-1] = -1.0
    a_ub = np.hstack([-rows[others].T, np.ones((rows.shape[1], 1))])
    res = linprog(c, A_ub=a_ub, b_ub=-rows[s], A_eq=[[1.0] * m + [0.0]], b_eq=[1.0],
                  bounds=[(0, 1)] * m + [(None, None)], method="highs")
    if res.status != 0 or -res.fun <= tol:
        return None
    w = res.x[:m]
    nice = [exact(x, 12) for x in w]
    fractions = [f for f in nice if f is not None]
    if len(fractions) == len(nice) and sum(fractions, Fraction(0)) == 1:
        candidate = np.array([float(f) for f in fractions])
        if (candidate @ rows[others] - rows[s]).min() > tol:
            w = candidate
    mix = w @ rows[others]
    by = {others[k]: float(w[k]) for k in range(m) if w[k] > 1e-12}
    return by, list(zip(mix.tolist(), rows[s].tolist()))


# --- text -----------------------------------------------------------------------------------------
def explain_normal(game, names: dict[str, str], solution, st: Style, limit: str | None = None) -> list[str]:
    """The normal-form sections of an explanation: matrix, iterated dominance, equilibria."""
    n = game.n_players
    pay = single_point(game.payoffs, n)
    tol = float(scaled_tol(pay.max() - pay.min(), RTOL))
    who = [names.get(p, p) for p in game.players]
    out = [st.heading("The game in normal form"), ""]
    out += matrices(game, pay, tol, who, st)
    out += ["", st.heading("Iterated elimination of strictly dominated strategies"), ""]
    out += dominance_text(game, pay, tol, who, st)
    out += ["", *equilibria_text(game, pay, who, solution, st, limit)]
    return out


def matrices(game, pay: np.ndarray, tol: float, who: list[str], st: Style) -> list[str]:
    """The payoff matrix (one per action profile of the third and later players), best responses starred
    and pure equilibria boxed."""
    n = game.n_players
    br, eq = best_response_marks(pay, tol)
    out = []
    if n == 1:
        for a, act in enumerate(game.actions[0]):
            mark = "*" if br[0][a] else ""
            out.append(f"  {pad(act, 12)} {st.player(0, num(pay[0][a]) + mark) if mark else num(pay[0][a])}")
        return out + ["", "  * marks the best action."]
    rest = [range(k) for k in game.shape[2:]]
    for fixed in np.ndindex(*[len(r) for r in rest]) if rest else [()]:
        if fixed:
            when = and_list([f"{who[2 + k]} plays {game.actions[2 + k][a]}" for k, a in enumerate(fixed)])
            out.append(f"  When {when}:")
        out += _one_matrix(game, pay, br, eq, fixed, who, st)
        out.append("")
    order = "payoffs in the order " + ", ".join(who) + "; " if n > 2 else "payoffs: row player's first; "
    legend = (f"{order}* marks a best response (the player cannot do better against the others' actions); "
              "[ ] marks a pure Nash equilibrium (every payoff in it is starred).")
    return out + wrap(capital(legend), WIDTH, "  ", "  ")


def _one_matrix(game, pay, br, eq, fixed, who, st) -> list[str]:
    rows_, cols_ = game.actions[0], game.actions[1]
    plain, shown = {}, {}
    for r in range(len(rows_)):
        for c in range(len(cols_)):
            prof = (r, c, *fixed)
            parts_plain, parts = [], []
            for i in range(game.n_players):
                text = num(pay[i][prof]) + ("*" if br[i][prof] else "")
                parts_plain.append(text)
                parts.append(st.player(i, text) if br[i][prof] else text)
            body_plain, body = ", ".join(parts_plain), ", ".join(parts)
            if eq[prof]:
                plain[r, c] = f"[ {body_plain} ]"
                shown[r, c] = st("[ ", "bold") + body + st(" ]", "bold")
            else:
                plain[r, c] = f"  {body_plain}  "
                shown[r, c] = f"  {body}  "
    widths = [max([len(plain[r, c]) for r in range(len(rows_))] + [len(cols_[c]) + 2]) for c in range(len(cols_))]
    lead = max(len(who[0]), 1)
    label_w = max(len(a) for a in rows_)
    left = " " * (2 + lead + 2 + label_w + 1)
    out = [left + "  " + st(who[1], "bold"),
           left + " ".join(pad("  " + a, w) for a, w in zip(cols_, widths)).rstrip()]
    for r, act in enumerate(rows_):
        name = st(pad(who[0], lead), "bold") if r == 0 else " " * lead
        cells = " ".join(pad(shown[r, c], w) for c, w in enumerate(widths))
        out.append(f"  {name}  {pad(act, label_w)} {cells}".rstrip())
    return out


def dominance_text(game, pay, tol, who, st) -> list[str]:
    """Round-by-round sentences of iterated elimination of strictly dominated strategies."""
    steps, remaining = dominance_rounds(pay, tol, mixed=True)
    out = wrap("A strategy is strictly dominated when another strategy, or a mix of others, pays its player "
               "more against every remaining choice of the others; no rational player uses it, so it is removed "
               "and the question is asked again.", WIDTH, "  ", "  ")
    out.append("")
    if not steps:
        out += wrap("No strategy is strictly dominated (by another strategy or by a mix), so iterated elimination "
                    "removes nothing and the equilibria must be found directly.", WIDTH, "  ", "  ")
    rounds = sorted({e.round for e in steps})
    for rnd in rounds:
        for k, e in enumerate([e for e in steps if e.round == rnd]):
            acts = game.actions[e.player]
            if len(e.by) == 1:
                what = f"{acts[next(iter(e.by))]} strictly dominates"
            else:
                what = "the mix " + " + ".join(f"{frac(w)} {acts[t]}" for t, w in e.by.items()) + " strictly dominates"
            pairs = [keep(f"{num(a)} > {num(b)}") for a, b in e.better]
            shown = pairs if len(pairs) <= 6 else pairs[:5] + [f"{len(pairs) - 5} more"]
            sentence = (f"for {noun(who[e.player])}, {what} {st(acts[e.dominated], 'dim')} "
                        f"({and_list(shown)}), so {acts[e.dominated]} is eliminated.")
            first = f"  Round {rnd}: " if k == 0 else " " * (len(f"  Round {rnd}: "))
            out += wrap(sentence if k == 0 else capital(sentence), WIDTH, " " * len(f"  Round {rnd}: "), first)
    left = [[game.actions[i][a] for a in r] for i, r in enumerate(remaining)]
    if steps and all(len(r) == 1 for r in left):
        prof = "(" + ", ".join(r[0] for r in left) + ")"
        out += [""] + wrap(f"Only {st(prof, 'bold')} survives: the game is solved by iterated dominance, and this "
                           "profile is its only Nash equilibrium.", WIDTH, "  ", "  ")
    elif steps:
        keeps = "; ".join(f"{noun(who[i])} keeps {and_list(r)}" for i, r in enumerate(left))
        out += [""] + wrap(f"Elimination stops after round {rounds[-1]} with more than one strategy left ({keeps}); "
                           "the equilibria are found among these.", WIDTH, "  ", "  ")
    return out


def equilibria_text(game, pay, who, solution, st, limit: str | None = None) -> list[str]:
    """Each equilibrium, with the indifference equations behind a mixed one."""
    eqs = solution.equilibria_at(0)
    complete = bool(solution.complete.reshape(-1)[0])
    count = f"{len(eqs)} equilibri{'um' if len(eqs) == 1 else 'a'}"
    scope = "all of them" if complete else "not guaranteed to be all"
    out = [st.heading(f"Nash equilibria ({solution.method}: {count}, {scope})"), ""]
    if limit:
        out += wrap(f"Only pure equilibria are listed: {limit}.", WIDTH, "  ", "  ")
    elif game.n_players > 2 and complete:
        out += wrap("With three or more players the conditions that make a player indifferent are polynomial "
                    "equations in the others' probabilities; negosim solves every one of them, support by support, "
                    "so the mixed equilibria below are all there are.", WIDTH, "  ", "  ")
    for k, eq in enumerate(eqs, 1):
        probs = [np.array(list(eq.strategies[p].values())) for p in game.players]
        supports = [np.flatnonzero(x > 1e-9) for x in probs]
        payoffs = ", ".join(f"{who[i]} {num(v)}" for i, v in enumerate(eq.payoffs.values()))
        if all(len(s) == 1 for s in supports):
            played = [game.actions[i][s[0]] for i, s in enumerate(supports)]
            prof, plain = profile_name(played), profile_id(played)
            tail = f" ({eq.outcome})" if eq.outcome and eq.outcome != plain else ""
            out += wrap(f"{st(prof, 'bold')}, in pure strategies (boxed above): payoffs {payoffs}{tail}.",
                        WIDTH, "      ", f"  {k:>2}. ")
            continue
        mixes = "; ".join(f"{who[i]} {_mix(game.actions[i], x)}" for i, x in enumerate(probs))
        out += wrap(f"{st(mixes, 'bold')}: expected payoffs {payoffs}.", WIDTH, "      ", f"  {k:>2}. ")
        if game.n_players == 2:
            lines = indifference(game, pay, probs, supports, who)
        else:
            from .nplayer import nplayer_indifference

            lines = nplayer_indifference(game, pay, probs, supports, who)
        for line in lines:
            out += wrap(line, WIDTH, "        ", "      ")
    for note in solution.notes:
        out += wrap(f"Note: {note}.", WIDTH, "  ", "  ")
    return out


def _mix(actions, x) -> str:
    used = [(a, p) for a, p in zip(actions, x) if p > 1e-9]
    if len(used) == 1:
        return used[0][0]
    return " + ".join(f"{frac(p)} {a}" for a, p in used)


def indifference(game, pay, probs, supports, who) -> list[str]:
    """Sentences with the indifference conditions of a 2-player equilibrium in which someone mixes."""
    out = []
    for i in (0, 1):
        if len(supports[i]) < 2:
            continue
        j = 1 - i
        u = pay[i] if i == 0 else pay[i].T  # own actions x the other's actions
        own, other = game.actions[i], game.actions[j]
        if len(supports[j]) >= 2:
            var, names = _variables(j, supports[j])
            sides = [_expression(u[a, supports[j]], names) for a in supports[i]]
            values = keep(" = ".join(sides))
            if len(supports[j]) == 2:
                sol = keep(f"so {var} = {frac(probs[j][supports[j][0]])}")
                meaning = f"{var}: the probability that {noun(who[j])} plays {other[supports[j][0]]}"
            else:
                sol = "so " + ", ".join(f"{nm} = {frac(probs[j][b])}" for nm, b in zip(names, supports[j]))
                meaning = "; ".join(f"{nm}: the probability of {other[b]}" for nm, b in zip(names, supports[j]))
            out.append(f"{capital(noun(who[j]))} mixes so that {noun(who[i])} is indifferent between "
                       f"{and_list([own[a] for a in supports[i]])}: {values}, {sol} ({meaning}).")
        else:
            b = supports[j][0]
            vals = [u[a, b] for a in supports[i]]
            out.append(f"Against {noun(who[j])}'s {other[b]}, {noun(who[i])}'s "
                       f"{and_list([own[a] for a in supports[i]])} pay the same ({num(vals[0])} each), so "
                       f"{noun(who[i])} can mix.")
            v = pay[j] if j == 0 else pay[j].T  # the other's payoffs: its actions x my actions
            earned = v @ probs[i]
            rivals = [f"{other[c]} {num(earned[c])}" for c in range(len(other)) if c != b]
            if rivals:
                out.append(f"{capital(noun(who[i]))}'s mix keeps {other[b]} a best response for {noun(who[j])}: "
                           f"{other[b]} earns {num(earned[b])}, against {and_list(rivals)}.")
        unused = [a for a in range(len(own)) if a not in set(supports[i])]
        if unused:
            earned = u @ probs[j]
            best = earned[supports[i][0]]
            out.append(f"{capital(noun(who[i]))}'s other actions earn no more: "
                       f"{and_list([f'{own[a]} {num(earned[a])}' for a in unused])}, against {num(best)}.")
    return out


def _variables(j: int, support) -> tuple[str, list[str]]:
    letter = "p" if j == 0 else "q"
    if len(support) == 2:
        return letter, [letter, f"(1 - {letter})"]
    return letter, [f"{letter}{k + 1}" for k in range(len(support))]


def _expression(coefs, names: list[str]) -> str:
    """'2q + 0(1 - q)' from coefficients and variable names."""
    out = ""
    for k, (c, v) in enumerate(zip(coefs, names)):
        text = num(abs(c)) if k else num(c)
        if "/" in text:
            text = f"({text})"
        sep = "" if k == 0 else (" - " if c < 0 else " + ")
        out += f"{sep}{text}{v}"
    return out
