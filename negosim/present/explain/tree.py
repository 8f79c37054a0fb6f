"""Explaining a game tree: backward induction node by node and the equilibrium path (the Nash equilibria
that rest on threats that would not be carried out are in `explain_threats`)."""

from __future__ import annotations

import numpy as np

from ...game.reduce import tree_sequences
from ...game.tree import CHANCE, DECISION, TERMINAL
from ...solve.subgames import subgame_roots
from ..text.wording import Style, and_list, capital, does, frac, noun, num, sig_values, wrap
from .normal import WIDTH

HISTORY_MOVES = 6  # moves spelled out when a sentence says how play got to a node (deep trees: the last ones)


def explain_tree(tree, names: dict[str, str], ties, spe, nash, st: Style, limit: str | None = None) -> list[str]:
    """The game-tree sections of an explanation: backward induction, path, non-credible Nash equilibria."""
    view = TreeView(tree, names)
    out = [st.heading("Backward induction (subgame-perfect equilibrium)"), ""]
    out += wrap("Start at the last decisions and work back to the first: at each one the mover picks the action "
                "with the highest payoff for itself, knowing how play will continue after it. Each value in "
                "parentheses is the mover's payoff of that action, with the outcome it leads to.",
                WIDTH, "  ", "  ")
    out.append("")
    if len(spe.point) == 0:
        out += wrap("No subgame-perfect equilibrium was found at these values: " + "; ".join(spe.notes) + ".",
                    WIDTH, "  ", "  ")
        return out
    for i in view.induction_order(spe):
        out += wrap(view.node_sentence(i, spe, ties, st), WIDTH, "    ", "  - ")
    from .threats import nash_text

    out += ["", *view.path_text(spe, st), "", *nash_text(view, spe, nash, st, limit)]
    return out


class TreeView:
    """A tree at one parameter point, with the phrases used to talk about its nodes."""

    def __init__(self, tree, names: dict[str, str]):
        self.tree = tree
        self.names = names
        self.seq = tree_sequences(tree)
        self.order = tree.preorder()
        self.parent: dict[int, tuple[int, int]] = {}
        for i in self.order:
            for j, c in enumerate(tree.nodes[i].children):
                self.parent[c] = (i, j)
        self.depth = {tree.root: 0}
        for i in self.order:
            for c in tree.nodes[i].children:
                self.depth[c] = self.depth[i] + 1
        n = tree.n_players
        self.payoffs = np.asarray(tree.leaf_payoffs()).reshape(-1, len(tree.outcomes), n)[0]
        self.roots = subgame_roots(tree, self.order)

    # --- phrases --------------------------------------------------------------------------
    def who(self, player: int) -> str:
        """The player as named in a sentence ("the United States")."""
        return noun(self.names.get(self.tree.players[player], self.tree.players[player]))

    def move(self, i: int, j: int) -> str:
        """'Russia rejects' / 'chance picks win' for action j at node i."""
        node = self.tree.nodes[i]
        if node.kind == CHANCE:
            return f"chance picks {node.actions[j]}"
        return f"{self.who(node.player)} {does(node.actions[j])}"

    def history(self, i: int) -> str:
        """'After Ukraine accepts and Russia rejects (us_sanction)' or 'At the start (ua)'; in a deep tree
        only the last `HISTORY_MOVES` moves are spelled out ('After 2,497 earlier moves, ...')."""
        moves: list[str] = []
        k = i
        while k in self.parent and len(moves) < HISTORY_MOVES:
            p, j = self.parent[k]
            moves.append(self.move(p, j))
            k = p
        node_id = self.tree.nodes[i].id
        if not moves:
            return f"At the start ({node_id})"
        earlier = self.depth[k]
        if earlier:
            before = f"{earlier:,} earlier move{'s' if earlier > 1 else ''}"
            return f"After {before}, then {and_list(list(reversed(moves)))} ({node_id})"
        return f"After {and_list(list(reversed(moves)))} ({node_id})"

    def chance_probs(self, i: int) -> np.ndarray:
        """The probabilities of chance node i's actions at the point."""
        return np.asarray(self.tree.probs(i)).reshape(-1, len(self.tree.nodes[i].children))[0]

    def outcome_of(self, i: int, choice: dict) -> str | None:
        """The outcome id play reaches from node i when everyone follows `choice` (None if chance or a mix decides)."""
        while True:
            node = self.tree.nodes[i]
            if node.kind == TERMINAL:
                return self.tree.outcomes[node.outcome].id
            j = int(choice.get(node.id, [-1])[0]) if node.kind == DECISION else -1
            if j < 0:
                return None
            i = node.children[j]

    # --- backward induction ---------------------------------------------------------------
    def induction_order(self, spe) -> list[int]:
        """Nodes to describe, deepest first: decisions solved by backward induction, chance nodes that
        start a subgame, and the roots of subgames with simultaneous moves."""
        tied = spe.extra["tied_actions"]
        sims = spe.extra["subgames"]
        keep = []
        for i in self.order:
            node = self.tree.nodes[i]
            if node.id in tied or node.id in sims or (node.kind == CHANCE and i in self.roots):
                keep.append(i)
        pos = {i: t for t, i in enumerate(self.order)}
        return sorted(keep, key=lambda i: (-self.depth[i], pos[i]))

    def node_sentence(self, i: int, spe, ties, st: Style) -> str:
        """One backward-induction step in words: what the mover compares and chooses (or chance's odds)."""
        node = self.tree.nodes[i]
        values = spe.extra["values"]
        if node.id in spe.extra["subgames"]:
            return self._simultaneous_sentence(i, spe, st)
        if node.kind == CHANCE:
            p = self.chance_probs(i)
            odds = and_list([f"{a} with probability {frac(x)}" for a, x in zip(node.actions, p)])
            pay = self.payoff_text(values[node.id][0])
            return f"{self.history(i)}, chance decides: {odds}; expected payoffs {pay}."
        mover = node.player
        kids = [self.tree.nodes[c].id for c in node.children]
        v = [float(values[c][0, mover]) for c in kids]
        shown = sig_values(v)
        choice = spe.extra["choice"]
        items = []
        for j, a in enumerate(node.actions):
            leads = self.outcome_of(node.children[j], choice) or "a lottery"
            items.append(f"{a} ({shown[j]}, {leads})")
        who = self.who(mover)
        chosen = int(spe.extra["choice"][node.id][0])
        tied = np.flatnonzero(spe.extra["tied_actions"][node.id][0])
        if len(items) == 1:
            return f"{self.history(i)}, {who} has one action: {node.actions[0]}."
        compare = f"{items[0]} with {items[1]}" if len(items) == 2 else and_list(items)
        head = f"{self.history(i)}, {who} compares {compare}"
        if len(tied) > 1:
            rule = ties.describe().split(";")[0]
            return (f"{head}. {capital(who)} is indifferent between {and_list([node.actions[j] for j in tied])} "
                    f"({shown[tied[0]]} each); the tie rule ({rule}) chooses {st(node.actions[chosen], 'bold')}.")
        return f"{head} and {st(does(node.actions[chosen]), 'bold')}."

    def _simultaneous_sentence(self, i: int, spe, st: Style) -> str:
        node = self.tree.nodes[i]
        inside, stack = [], list(node.children) if node.kind != DECISION else [i]
        tied = spe.extra["tied_actions"]
        while stack:
            k = stack.pop()
            nk = self.tree.nodes[k]
            if nk.kind == DECISION and nk.id not in tied:
                inside.append(k)
            if nk.id not in tied:
                stack.extend(nk.children)
        infosets: list[tuple[int, int]] = []  # (infoset position, its first node inside)
        for k in sorted(inside, key=self.order.index):
            pos = self.seq.infoset_of[k]
            if pos not in [x for x, _ in infosets]:
                infosets.append((pos, k))
        plays = []
        for pos, k in infosets:
            acts = self.tree.nodes[k].actions
            probs = spe.behavior[pos][0]
            player, infoset, _ = self.seq.infosets[pos]
            plays.append(f"{self.who(player)} {_mix(acts, probs)} at {infoset}")
        movers = and_list(sorted({self.who(self.seq.infosets[pos][0]) for pos, _ in infosets}))
        count = int(spe.extra["subgames"][node.id][0])
        many = f" It has {count} equilibria; the first found is used." if count > 1 else ""
        sets = and_list([self.seq.infosets[pos][1] for pos, _ in infosets])
        return (f"{self.history(i)}, {movers} {'move' if len(infosets) > 1 else 'moves'} without seeing every "
                f"earlier move (information sets {sets}), so this subgame is solved as a normal-form game. "
                f"Its equilibrium: {st(and_list(plays), 'bold')}, worth "
                f"{self.payoff_text(spe.extra['values'][node.id][0])}.{many}")

    def payoff_text(self, values) -> str:
        """'United States 0.3275, Ukraine 0.355, Russia 0.545'."""
        shown = sig_values(values, 2, 4)
        return ", ".join(f"{self.names.get(p, p)} {s}" for p, s in zip(self.tree.players, shown))

    def path_text(self, spe, st: Style) -> list[str]:
        """The equilibrium path in words, with its outcome and payoffs."""
        eq = spe.equilibria_at(0)[0]
        moves, i = [], self.tree.root
        choice = spe.extra["choice"]
        while self.tree.nodes[i].kind == DECISION and int(choice[self.tree.nodes[i].id][0]) >= 0:
            j = int(choice[self.tree.nodes[i].id][0])
            moves.append(self.move(i, j))
            i = self.tree.nodes[i].children[j]
        pay = ", ".join(f"{self.names.get(p, p)} {num(v)}" for p, v in eq.payoffs.items())
        path = and_list(moves) if moves else "play starts with chance"
        if eq.outcome is not None:
            where = f"outcome {st(outcome_text(self.tree, eq.outcome), 'bold')}"
        else:
            where = "outcomes " + ", ".join(f"{outcome_text(self.tree, o)} with probability {frac(p)}"
                                            for o, p in (eq.outcome_probs or {}).items())
            if self.tree.nodes[i].kind != TERMINAL:
                path += ", then " + ("chance decides" if self.tree.nodes[i].kind == CHANCE else "players mix")
        return wrap(f"The equilibrium path: {path}: {where}, with payoffs {pay}.", WIDTH, "  ", "")


def outcome_text(tree, outcome_id: str) -> str:
    """'truce_aid (30-day truce, aid keeps flowing)' for an outcome id of the tree."""
    for o in tree.outcomes:
        if o.id == outcome_id:
            return f"{o.id} ({o.label})" if o.label else o.id
    return outcome_id


def _mix(actions, probs) -> str:
    used = [(a, p) for a, p in zip(actions, probs) if p > 1e-9]
    if len(used) == 1:
        return does(used[0][0])
    return "mixes " + " + ".join(f"{frac(p)} {a}" for a, p in used)
