"""Play mode on a normal-form game: one simultaneous move, then the Nash equilibrium the others
followed, and the student's choice and payoff compared with it."""

from __future__ import annotations

import itertools

import numpy as np

from ..solve import solve
from .play import who
from .play_reveal import compare_payoff
from .text import fmt_mixed, fmt_number


class NormalSession:
    """One play of a normal-form game at a prompt."""

    def __init__(self, con, source, student: int, names, opponents: str, rng: np.random.Generator):
        game = source.game
        self.con, self.game, self.student, self.names, self.rng = con, game, student, names, rng
        self.me = game.players[student]
        self.opponents = opponents
        (self.nash,) = solve(game, ["nash"])
        self.eqs = self.nash.equilibria_at(0)
        self.eq = self.eqs[0] if self.eqs else None
        self.tol = float(self.nash.tol.reshape(-1)[0])
        self.payoffs = game.payoffs.reshape(game.n_players, *game.shape)  # a single point

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
        if self.opponents == "random" or self.eq is None:
            return int(self.rng.integers(n))
        p = np.array([self.eq.strategies[self.game.players[k]][a] for a in self.game.actions[k]])
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
        con.say("", "== The equilibrium ==")
        if eq is None:
            con.say("negosim found no Nash equilibrium of this game to compare with.")
            return
        which = f"Nash equilibrium 1 of {len(self.eqs)}"
        if self.opponents == "equilibrium":
            which += " (the one the others followed)"
        con.say(f"{which}: " + " | ".join(f"{p}: {fmt_mixed(s)}" for p, s in eq.strategies.items()))
        con.say("Payoffs: " + self._fmt_payoffs([eq.payoffs[p] for p in game.players]))
        if len(self.eqs) > 1:
            con.say(f"(The game has {len(self.eqs)} equilibria; `negosim solve` lists them all.)")
        action = game.actions[me][profile[me]]
        p = eq.strategies[self.me][action]
        head = f"You chose {action}; the equilibrium has you play {fmt_mixed(eq.strategies[self.me])}."
        if p >= 1.0:
            con.say(head + " Match.")
        elif p > 0:
            con.say(head + " Match: your action is one the equilibrium mixes over (each is a best reply to "
                    "the others' mix).")
        else:
            con.say(head + " Different.")
        column = self.payoffs[(me, *(slice(None) if k == me else a for k, a in enumerate(profile)))]
        best = np.flatnonzero(column >= column.max() - self.tol)
        names = " or ".join(game.actions[me][b] for b in best)
        if profile[me] in best:
            con.say(f"Against what the others actually chose, {action} was a best reply ({fmt_number(mine)}).")
        else:
            con.say(f"Against what the others actually chose, your best reply was {names} "
                    f"({fmt_number(column.max())}); {action} paid {fmt_number(mine)}.")
        mixed = any(max(s.values()) < 1.0 for s in eq.strategies.values())
        con.say(compare_payoff(float(mine), eq.payoffs[self.me], self.tol, mixed))
        if self.opponents == "random":
            con.say("The other players chose at random, not by the equilibrium, "
                    "so your payoff also reflects their luck.")
