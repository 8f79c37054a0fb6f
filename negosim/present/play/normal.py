"""Play mode on a normal-form game: one simultaneous move, then every Nash equilibrium (marking the one the
others followed), and the student's choice judged against all of them: a choice that some equilibrium
prescribes is an equilibrium strategy, whichever equilibrium the others followed."""

from __future__ import annotations

import itertools

import numpy as np

from ...solve import Equilibrium, solve
from ..text import fmt_mixed, fmt_number, fmt_prob
from ..text.wording import and_list
from . import pick_equilibrium, who
from .reveal import compare_payoff


def _strategies(eq: Equilibrium) -> dict[str, dict[str, float]]:
    """Player -> action -> probability of a normal form's equilibrium."""
    if eq.strategies is None:  # only a tree's equilibria lack them, and this session plays normal forms
        raise AssertionError("a normal-form equilibrium without strategies")
    return eq.strategies


class NormalSession:
    """One play of a normal-form game at a prompt."""

    def __init__(self, con, source, student: int, names, opponents: str, rng: np.random.Generator,
                 equilibrium: str | int | None = None):
        game = source.game
        self.con, self.game, self.student, self.names, self.rng = con, game, student, names, rng
        self.me = game.players[student]
        self.opponents = opponents
        (self.nash,) = solve(game, ["nash"])
        self.eqs = self.nash.equilibria_at(0)
        self.index = pick_equilibrium(self.eqs, equilibrium)
        self.eq = self.eqs[self.index] if self.index is not None else None
        # player -> action -> probability, per equilibrium (a normal form's equilibria all have strategies)
        self.profiles = [_strategies(e) for e in self.eqs]
        self.profile = self.profiles[self.index] if self.index is not None else None
        self.tol = float(self.nash.tol.reshape(-1)[0])
        self.payoffs = game.payoffs.reshape(game.n_players, *game.shape)  # a single point

    def followed(self) -> str:
        """'Nash equilibrium 2 of 3 (numbered as `negosim solve` lists them)' for the header: which one, but not
        what it prescribes (that would tell the student the others' moves before they choose)."""
        if self.eq is None or self.index is None:
            return "no equilibrium (none was found)"
        n = len(self.eqs)
        if n == 1:
            return "the game's only Nash equilibrium"
        return f"Nash equilibrium {self.index + 1} of {n} (numbered as `negosim solve` lists them)"

    def _profile(self, profile: dict[str, dict[str, float]]) -> str:
        return " | ".join(f"{p}: {fmt_mixed(s)}" for p, s in profile.items())

    def run(self) -> None:
        con, game = self.con, self.game
        if self.eq is None and self.opponents == "equilibrium":
            con.say("negosim found no Nash equilibrium to follow here, so the others choose at random.", "")
        con.gap()
        con.say(f"-- Your move, as {who(self.names, self.me)} --",
                "Everyone chooses at the same time: you do not see the others' choices before you choose.")
        actions = game.actions[self.student]
        con.say("Your actions:  " + "  ".join(f"{k}) {a}" for k, a in enumerate(actions, 1)))
        mine = con.choose(actions, self._help)
        profile = [0] * game.n_players
        profile[self.student] = mine
        for k, p in enumerate(game.players):
            if k == self.student:
                continue
            profile[k] = self._opponent(k)
            con.say(f"{who(self.names, p)} chooses {game.actions[k][profile[k]]}.")
        self._outcome(tuple(profile))
        self._reveal(tuple(profile))

    def _opponent(self, k: int) -> int:
        n = len(self.game.actions[k])
        if self.opponents == "random" or self.profile is None:
            return int(self.rng.integers(n))
        p = np.array([self.profile[self.game.players[k]][a] for a in self.game.actions[k]])
        return int(np.argmax(p)) if p.max() >= 1.0 else int(self.rng.choice(n, p=p / p.sum()))

    def _others(self):
        """Every profile of the other players' actions, as (index tuple with None for the student, text)."""
        game = self.game
        ranges = [range(len(a)) if k != self.student else [None] for k, a in enumerate(game.actions)]
        for combo in itertools.product(*ranges):
            text = ", ".join(f"{game.players[k]} {game.actions[k][a]}" for k, a in enumerate(combo) if a is not None)
            yield combo, text

    def _help(self) -> list[str]:
        game = self.game
        lines = ["Help: your payoff for each action, against each choice of the others:"]
        for j, a in enumerate(game.actions[self.student]):
            cells = []
            for combo, text in self._others():
                idx = tuple(j if x is None else x for x in combo)
                cells.append(f"{fmt_number(self.payoffs[(self.student, *idx)])} if {text or 'nothing else'}")
            lines.append(f"  {j + 1}) {a}: " + "; ".join(cells))
        lines.append("Type a number or an action name (its first letters are enough) to choose, "
                     "? for this help, q to stop the game.")
        return lines

    def _fmt_payoffs(self, values) -> str:
        return ", ".join(f"{p} {fmt_number(values[k])}" + (" (you)" if k == self.student else "")
                         for k, p in enumerate(self.game.players))

    def _outcome(self, profile: tuple) -> None:
        game = self.game
        name = ""
        if game.outcomes is not None and game.outcomes[profile]:
            name = f": {game.outcomes[profile]}"
        self.con.say("", f"== Outcome{name} ==")
        self.con.say("Payoffs: " + self._fmt_payoffs(self.payoffs[(slice(None), *profile)]))

    def _reveal(self, profile: tuple) -> None:
        con, game, eq = self.con, self.game, self.eq
        me = self.student
        mine = self.payoffs[(me, *profile)]
        con.say("", "== The equilibria ==" if len(self.eqs) > 1 else "== The equilibrium ==")
        if eq is None or self.index is None:
            con.say("negosim found no Nash equilibrium of this game to compare with.")
            return
        n = len(self.eqs)
        for k, e in enumerate(self.eqs):
            mark = " (the one the others followed)" if k == self.index and self.opponents == "equilibrium" else ""
            con.say(f"Nash equilibrium {k + 1} of {n}{mark}: {self._profile(self.profiles[k])}")
            con.say("  Payoffs: " + self._fmt_payoffs([e.payoffs[p] for p in game.players]))
        action = game.actions[me][profile[me]]
        con.say(self.verdict(action))
        column = self.payoffs[(me, *(slice(None) if k == me else a for k, a in enumerate(profile)))]
        best = np.flatnonzero(column >= column.max() - self.tol)
        names = " or ".join(game.actions[me][b] for b in best)
        if profile[me] in best:
            con.say(f"Against what the others actually chose, {action} was a best reply ({fmt_number(mine)}).")
        else:
            con.say(f"Against what the others actually chose, your best reply was {names} "
                    f"({fmt_number(column.max())}); {action} paid {fmt_number(mine)}.")
        mixed = any(max(s.values()) < 1.0 for s in self.profiles[self.index].values())
        which = f" {self.index + 1}" if n > 1 else ""
        con.say(compare_payoff(float(mine), eq.payoffs[self.me], self.tol, mixed).replace(
            "in the equilibrium:", f"in equilibrium{which}:" if n > 1 else "in the equilibrium:"))
        if self.opponents == "random":
            con.say("The other players chose at random, not by the equilibrium, so your payoff also reflects "
                    "their luck.")

    def verdict(self, action: str) -> str:
        """The student's action judged against every equilibrium: which ones prescribe it (with what
        probability), and how it compares with the one the others followed."""
        assert self.profile is not None and self.index is not None  # the reveal returns early without one
        uses = [(k, s[self.me][action]) for k, s in enumerate(self.profiles) if s[self.me][action] > 1e-9]
        named = and_list([f"{k + 1}" + ("" if p >= 1 - 1e-9 else f" (with probability {fmt_prob(p)})")
                          for k, p in uses])
        n = len(self.eqs)
        mine = fmt_mixed(self.profile[self.me])
        p = self.profile[self.me][action]
        if n == 1:
            head = f"You chose {action}; the equilibrium has you play {mine}."
            if p >= 1 - 1e-9:
                return head + " Match."
            if p > 0:
                return head + " Match: your action is one the equilibrium mixes over (each is a best reply to " \
                              "the others' mix)."
            return head + " Different: no Nash equilibrium has you play it."
        followed = f"equilibrium {self.index + 1}"
        role = "the one the others followed" if self.opponents == "equilibrium" else "the one compared with"
        head = (f"You chose {action}. Equilibri{'um' if len(uses) == 1 else 'a'} {named} "
                f"{'has' if len(uses) == 1 else 'have'} you play it. " if uses else f"You chose {action}. ")
        if p >= 1 - 1e-9:
            return head + f"Match: {followed} ({role}) has you play {action}."
        if p > 0:
            return head + (f"Match: {followed} ({role}) has you play {mine}, and {action} is "
                           "one of the actions it mixes over (each is a best reply to the others' mix).")
        if uses:
            return head + f"An equilibrium strategy, though {followed} ({role}) has you play {mine}."
        return head + f"Different: no Nash equilibrium has you play {action} ({followed} has you play {mine})."
