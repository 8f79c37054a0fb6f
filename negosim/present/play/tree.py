"""Play mode on a game tree: walk from the root, the student choosing at their nodes, then reveal the
subgame-perfect equilibrium and compare (and name the Nash equilibria of the normal form that prescribe a
choice the subgame-perfect one does not). The computer's players follow the subgame-perfect equilibrium,
or the Nash equilibrium of the reduced normal form the teacher picks.

What the student sees respects the information sets: the other players' and chance's moves are shown
when the student next decides (or at the end), except the moves the student cannot tell apart at that
decision (a move is shown only if every node of the student's information set was reached through a
move of the same mover with the same label); those are revealed when the game is over.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...game.tree import CHANCE, TERMINAL
from ...solve.spe import subgame_perfect
from ..text import fmt_mixed, fmt_number, fmt_prob
from . import SPE, EquilibriumChoiceError, pick_equilibrium, who

CHANCE_NAME = "Chance"


@dataclass
class Step:
    """One move of the play: at `node`, action index `action`, by `mover` (a player id or "Chance").

    Attributes
    ----------
    node : int
        The index of the node moved at.
    action : int
        The index of the action taken.
    mover : str
        The player who moved, or "Chance".
    label : str
        The action's name.
    student : bool, default False
        The student made this move.
    seen : bool or None
        Whether the move was shown to the student; None until decided.

    Examples
    --------
    >>> step = Step(0, 1, "Entrant", "in")
    >>> step.label, step.student, step.seen
    ('in', False, None)
    """

    node: int
    action: int
    mover: str
    label: str
    student: bool = False
    seen: bool | None = None  # None until shown to (or hidden from) the student


def titled(name: str, label: str, sep: str = " ") -> str:
    """'truce_aid (30-day truce, aid keeps flowing)'; just the name when the label adds nothing.

    Parameters
    ----------
    name : str
        The id.
    label : str
        Its label in words.
    sep : str, default " "
        ``": "`` writes ``name: label``; anything else ``name (label)``.

    Returns
    -------
    str

    Examples
    --------
    >>> titled("truce_aid", "30-day truce"), titled("war", "war"), titled("war", "all-out", ": ")
    ('truce_aid (30-day truce)', 'war', 'war: all-out')
    """
    if not label or label == name:
        return name
    return f"{name}: {label}" if sep == ": " else f"{name} ({label})"


class TreeSession:
    """One play of a game tree at a prompt.

    Parameters
    ----------
    con : Console
        Where the play is written and the student's moves read.
    source : Source
        The opened scenario or game file; its game is a tree at one parameter point.
    student : int
        The index of the player the student plays.
    names : dict of str to str
        Player id -> the name to write.
    opponents : {"equilibrium", "random"}
        How the computer's players move.
    rng : numpy.random.Generator
        Draws chance moves and random or mixed choices.
    equilibrium : str or int, optional
        The equilibrium the computer follows: None or "spe" for the subgame-perfect one, else a Nash
        equilibrium of the normal form (an EquilibriumChoiceError when there is none to pick).

    Examples
    --------
    >>> import io
    >>> import numpy as np
    >>> from negosim.api import open_source
    >>> from negosim.present.play import player_names
    >>> from negosim.present.play.console import Console
    >>> source = open_source("scenarios/entry_deterrence.yaml")
    >>> con = Console(io.StringIO("fight\\n"), io.StringIO())
    >>> session = TreeSession(con, source, 1, player_names(source), "equilibrium", np.random.default_rng(0))
    >>> session.run()
    >>> [(step.mover, step.label) for step in session.steps]
    [('Entrant', 'in'), ('Incumbent', 'fight')]
    """

    def __init__(self, con, source, student: int, names, opponents: str, rng: np.random.Generator,
                 equilibrium: str | int | None = None):
        tree = source.game
        self.source = source
        self.con, self.tree, self.student, self.names, self.rng = con, tree, student, names, rng
        self.me = tree.players[student]
        self.opponents = opponents
        self.spe = subgame_perfect(tree)
        rows = self.spe.rows_at(0)
        self.e = int(rows[0]) if len(rows) else None
        self.eq = self.spe.equilibria_at(0)[0] if self.e is not None else None
        self.tol = float(self.spe.tol.reshape(-1)[0])
        self.payoffs = tree.leaf_payoffs().reshape(-1, len(tree.outcomes), tree.n_players)[0]
        self.chance = {i: tree.probs(i).reshape(-1, len(tree.nodes[i].children))[0] for i in tree.chance_probs}
        self.behaviour: dict[int, np.ndarray] = {}
        self.infoset_nodes: dict[int, tuple[int, ...]] = {}
        for k, (_, _, nodes) in enumerate(tree.infosets()):
            for i in nodes:
                self.infoset_nodes[i] = nodes
                if self.e is not None:
                    self.behaviour[i] = np.asarray(self.spe.behavior[k][self.e], dtype=float)
        self.parent: dict[int, tuple[int, int]] = {}  # child -> (its parent, the action leading to it)
        for i in tree.preorder():
            for j, c in enumerate(tree.nodes[i].children):
                self.parent[c] = (i, j)
        self.outcomes_below = self._outcomes_below()
        self.steps: list[Step] = []
        self.spe_behaviour = dict(self.behaviour)
        self._nash: tuple | None = None
        self.index: int | None = None  # the Nash equilibrium followed (0-based), None for the subgame-perfect one
        if equilibrium not in (None, SPE):
            eqs, behaviours, why = self.nash_equilibria()
            if why:
                raise EquilibriumChoiceError(f"--equilibrium {equilibrium}: {why}; use spe")
            self.index = pick_equilibrium(eqs, equilibrium)
            if self.index is not None:
                self.behaviour = behaviours[self.index]

    def nash_equilibria(self) -> tuple[list, list[dict[int, np.ndarray]], str | None]:
        """(Nash equilibria of the reduced normal form as `negosim solve` lists them, each one's behaviour at
        every decision node, why there are none): computed once, on first use."""
        if self._nash is None:
            from ...errors import GameError
            from ...solve import solve
            from ..explain.threats import profile_behavior
            from ..explain.tree import TreeView

            try:
                (nash,) = solve(self.tree, ["nash"], ties=self.source.ties)
            except GameError as exc:
                self._nash = ([], [], "negosim cannot list the Nash equilibria of this tree (" +
                              str(exc).split(": ", 1)[-1] + ")")
                return self._nash
            view = TreeView(self.tree, self.names)
            spe_beh = [b[self.e] for b in self.spe.behavior] if self.e is not None else None
            behaviours = []
            for row in nash.rows_at(0):
                beh = profile_behavior(view, nash, int(row), spe_beh) if spe_beh is not None else None
                behaviours.append({} if beh is None else {i: np.asarray(beh[k], dtype=float) for k, (_, _, nodes)
                                                          in enumerate(self.tree.infosets()) for i in nodes})
            self._nash = (nash.equilibria_at(0), behaviours, None)
        return self._nash

    def followed(self, plan: bool = False) -> str:
        """What the computer's players follow (with `plan`, what the equilibrium prescribes: for the reveal,
        not the header, where it would tell the student the others' moves in advance)."""
        if self.index is None:
            return "the subgame-perfect equilibrium"
        eqs = self.nash_equilibria()[0]
        text = f"Nash equilibrium {self.index + 1} of {len(eqs)} of the normal form"
        if plan:
            text += " (" + " | ".join(f"{p}: {fmt_mixed(s)}" for p, s in eqs[self.index].strategies.items()) + ")"
        return text

    # --- the walk ------------------------------------------------------------------------------
    def run(self) -> None:
        tree, i = self.tree, self.tree.root
        if self.eq is None and self.opponents == "equilibrium":
            self.con.say("negosim found no subgame-perfect equilibrium here, so the others choose at random.", "")
        while tree.nodes[i].kind != TERMINAL:
            node = tree.nodes[i]
            if node.kind == CHANCE:
                j = int(self.rng.choice(len(node.children), p=self.chance[i]))
                self.steps.append(Step(i, j, CHANCE_NAME, node.actions[j]))
            elif node.player == self.student:
                self._show_pending(i)
                j = self._ask(i)
                self.steps.append(Step(i, j, self.me, node.actions[j], student=True, seen=True))
            else:
                j = self._opponent(i)
                self.steps.append(Step(i, j, tree.players[node.player], node.actions[j]))
            i = node.children[j]
        self._show_pending(None)
        self._outcome(i)
        self._reveal(i)

    def _opponent(self, i: int) -> int:
        k = len(self.tree.nodes[i].children)
        if self.opponents == "random" or i not in self.behaviour:
            return int(self.rng.integers(k))
        p = self.behaviour[i]
        return int(np.argmax(p)) if p.max() >= 1.0 else int(self.rng.choice(k, p=p / p.sum()))

    def _history(self, node: int) -> list[tuple[str, str]]:
        """(mover, action label) of every move from the root to `node`."""
        out = []
        while node in self.parent:
            up, j = self.parent[node]
            n = self.tree.nodes[up]
            out.append((CHANCE_NAME if n.kind == CHANCE else self.tree.players[n.mover], n.actions[j]))
            node = up
        return out[::-1]

    def _show_pending(self, at: int | None) -> None:
        """Announce the moves made since the student last decided, hiding those the student's
        information set at `at` does not reveal (all are shown at the end, `at` None)."""
        pending = [s for s in self.steps if s.seen is None]
        if not pending:
            return
        known = None
        if at is not None and len(self.infoset_nodes[at]) > 1:
            histories = [set(self._history(n)) for n in self.infoset_nodes[at]]
            known = set.intersection(*histories)
        for s in pending:
            s.seen = known is None or (s.mover, s.label) in known
            if not s.seen:
                what = "the result" if s.mover == CHANCE_NAME else "what it chose"
                self.con.say(f"{s.mover} moved; you cannot see {what}.")
            else:
                self.con.say(self._announce(s))

    def _announce(self, s: Step) -> str:
        if s.mover == CHANCE_NAME:
            return f"Chance: {s.label} (probability {fmt_prob(float(self.chance[s.node][s.action]))})."
        line = f"{who(self.names, s.mover)} chooses {s.label}."
        p = self.behaviour.get(s.node)
        if self.opponents == "equilibrium" and p is not None and p.max() < 1.0:
            line += f" (Its equilibrium behaviour mixes {fmt_mixed(self._named(s.node, p))}.)"
        return line

    def _named(self, i: int, p: np.ndarray) -> dict[str, float]:
        return dict(zip(self.tree.nodes[i].actions, (float(x) for x in p)))

    # --- the student's decision ----------------------------------------------------------------
    def _ask(self, i: int) -> int:
        tree, node = self.tree, self.tree.nodes[i]
        nodes = self.infoset_nodes[i]
        labels = {tree.nodes[n].label for n in nodes if tree.nodes[n].label not in ("", tree.nodes[n].id)}
        label = labels.pop() if len(labels) == 1 else ""  # one node's own label could give its position away
        con = self.con
        con.gap()
        con.say(f"-- Your move, as {who(self.names, self.me)} --")
        if label:
            con.say(label)
        past = [f"{s.mover} {s.label if s.seen else '?'}" for s in self.steps]
        con.say("So far: " + (", ".join(past) if past else "nothing; you move first."))
        if len(nodes) > 1:
            con.say(f"You are at information set {node.infoset!r} and cannot tell which of these "
                    f"{len(nodes)} positions you are in:")
            for n in nodes:
                steps = ", ".join(f"{m} {a}" for m, a in self._history(n)) or "the start"
                con.say(f"  {tree.nodes[n].id}: after {steps}")
        con.say("Your actions:  " + "  ".join(f"{k}) {a}" for k, a in enumerate(node.actions, 1)))
        return con.choose(node.actions, lambda: self._help(i))

    def _help(self, i: int) -> list[str]:
        tree, node = self.tree, self.tree.nodes[i]
        nodes = self.infoset_nodes[i]
        lines = ["Help: what each action leads to" + (" (depending on where you are)" if len(nodes) > 1 else "") + ":"]
        for j, a in enumerate(node.actions):
            leads = []
            for n in nodes:
                text = self._leads_to(tree.nodes[n].children[j])
                if text not in leads:
                    leads.append(text)
            lines.append(f"  {j + 1}) {a}: " + " | or | ".join(leads))
        lines.append("Payoffs are yours (" + self.me + "). Type a number or an action name (its first letters "
                     "are enough) to choose, ? for this help, q to stop the game.")
        return lines

    def _leads_to(self, c: int) -> str:
        tree, node = self.tree, self.tree.nodes[c]
        if node.kind == TERMINAL:
            outcome = tree.outcomes[node.outcome]
            name = titled(outcome.id, outcome.label)
            return f"ends the game: {name}; your payoff {fmt_number(self.payoffs[node.outcome, self.student])}"
        mine = self.payoffs[sorted(self.outcomes_below[c]), self.student]
        lo, hi = fmt_number(mine.min()), fmt_number(mine.max())
        span = lo if lo == hi else f"{lo} to {hi}"
        if node.kind == CHANCE:
            first = "chance moves next"
        elif node.player == self.student:
            first = "you move again"
        else:
            first = f"{who(self.names, tree.players[node.player])} moves next"
        if node.label and node.label != node.id and len(self.infoset_nodes[c]) == 1:
            first += f" ({node.label})"
        return f"{first}; the outcomes still possible give you {span}"

    def _outcomes_below(self) -> list[set[int]]:
        below: list[set[int]] = [set() for _ in self.tree.nodes]
        for i in reversed(self.tree.preorder()):
            node = self.tree.nodes[i]
            below[i] = {node.outcome} if node.kind == TERMINAL else set().union(*(below[c] for c in node.children))
        return below

    # --- the end -------------------------------------------------------------------------------
    def _outcome(self, leaf: int) -> None:
        tree = self.tree
        o = tree.nodes[leaf].outcome
        outcome = tree.outcomes[o]
        self.con.say("", f"== Outcome: {titled(outcome.id, outcome.label, ': ')} ==")
        self.con.say("Payoffs: " + self._fmt_payoffs(self.payoffs[o]))
        hidden = [s for s in self.steps if s.seen is False]
        if hidden:
            self.con.say("What you could not see: " + "; ".join(
                f"{s.mover} {'drew' if s.mover == CHANCE_NAME else 'chose'} {s.label}" for s in hidden) + ".")

    def _fmt_payoffs(self, values) -> str:
        return ", ".join(f"{p} {fmt_number(v)}" + (" (you)" if k == self.student else "")
                         for k, p in enumerate(self.tree.players) for v in [values[k]])

    def _reveal(self, leaf: int) -> None:
        from .reveal import reveal_tree

        reveal_tree(self, leaf)


__all__ = ["TreeSession", "Step", "CHANCE_NAME", "titled"]
