"""The rules of one game at one parameter point, as the classroom plays it: who moves, what each seat
may see, how the computer and chance move, and what the equilibrium predicts.

A play is a list of `Move`s. For a game tree the moves walk from the root; for a normal-form game
every player moves once, simultaneously, at the decision named after the player. Everything here is
pure: the session replays the stored moves through these rules, so a restarted server rebuilds every
group's play exactly.

The records of a play (`Move`, `Decision`, `Pending`, `MoveError`) are `negosim.classroom.moves`'; the
prediction (`Prediction`, `CONCEPT_NAMES`) is computed by `negosim.classroom.prediction`. Both are
importable from here.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..game.normal import NormalFormGame
from ..game.tree import CHANCE, DECISION, TERMINAL, GameTree
from .moves import CHANCE_ROLE, Decision, Move, MoveError, Pending
from .prediction import CONCEPT_NAMES, Prediction, predict


class Rules:
    """How one game is played in class; built once per scenario and parameter point.

    Parameters
    ----------
    game : NormalFormGame or GameTree
        The game, at one parameter point.
    ties : TieRules, optional
        How the prediction's solver breaks ties (the default `TieRules` when None).
    names : dict, optional
        ``{player id: name}`` shown to the class (a player's id when missing).
    outcome_labels : dict, optional
        ``{outcome id: label}`` in addition to (or replacing) the game's own labels.

    Examples
    --------
    >>> from negosim.api import open_source
    >>> game = open_source("scenarios/prisoners_dilemma.yaml").game
    >>> rules = Rules(game, names={"Row": "Alice"})
    >>> rules.players, rules.names["Row"], rules.tree
    (('Row', 'Column'), 'Alice', False)
    >>> rules.waiting_text(rules.pending([]))
    'waiting for Alice and Column'
    """

    def __init__(self, game: NormalFormGame | GameTree, ties=None, names: dict[str, str] | None = None,
                 outcome_labels: dict[str, str] | None = None):
        from ..solve import TieRules

        # Any: a GameTree or a NormalFormGame, and `self.tree` says which (the methods branch on it).
        self.game: Any = game
        self.ties = ties if ties is not None else TieRules()
        self.tree = isinstance(game, GameTree)
        self.players = tuple(game.players)
        self.names = {p: (names or {}).get(p, p) for p in self.players}
        self.outcome_labels: dict[str, str] = {}
        if isinstance(game, GameTree):
            self._init_tree(game)
        else:
            self._init_normal(game)
        self.outcome_labels.update(outcome_labels or {})
        self.prediction = predict(self)

    # --- structure ---------------------------------------------------------------------------------
    def _init_tree(self, tree: GameTree) -> None:
        self.index = {n.id: i for i, n in enumerate(tree.nodes)}
        self.parent: dict[int, tuple[int, int]] = {}
        for i in tree.preorder():
            for j, c in enumerate(tree.nodes[i].children):
                self.parent[c] = (i, j)
        self.infoset_nodes: dict[str, tuple[int, ...]] = {}
        decisions = []
        for player, infoset, nodes in tree.infosets():
            self.infoset_nodes[infoset] = nodes
            labels = {tree.nodes[n].label for n in nodes} - {""}
            label = labels.pop() if len(labels) == 1 else ""
            decisions.append(Decision(infoset, tree.players[player], label, tree.nodes[nodes[0]].actions))
        self.decisions = tuple(decisions)
        self.perfect_information = not tree.chance_probs and all(len(v) == 1 for v in self.infoset_nodes.values())
        self.payoff_table = tree.leaf_payoffs().reshape(-1, len(tree.outcomes), tree.n_players)[0]
        self.chance = {i: tree.probs(i).reshape(-1, len(tree.nodes[i].children))[0] for i in tree.chance_probs}
        self.outcome_labels.update({o.id: o.label or o.id for o in tree.outcomes})

    def _init_normal(self, game: NormalFormGame) -> None:
        self.decisions = tuple(Decision(p, p, "", acts) for p, acts in zip(game.players, game.actions))
        self.perfect_information = False
        self.payoff_table = game.payoffs.reshape(-1, *game.payoffs.shape[-game.n_players - 1:])[0]

    def decision(self, decision_id: str) -> Decision:
        return next(d for d in self.decisions if d.id == decision_id)

    # --- where a play stands -------------------------------------------------------------------------
    def _walk(self, moves: list[Move]) -> int:
        """The tree node a sequence of moves leads to (the moves are trusted: they were checked when made)."""
        i = self.game.root
        for m in moves:
            node = self.game.nodes[i]
            i = node.children[node.actions.index(m.action)]
        return i

    def pending(self, moves: list[Move]) -> list[Pending]:
        """The moves the play waits for (none when it is over)."""
        if self.tree:
            i = self._walk(moves)
            node = self.game.nodes[i]
            if node.kind == TERMINAL:
                return []
            if node.kind == CHANCE:
                return [Pending(node.id, CHANCE_ROLE, node.id, node.actions)]
            return [Pending(node.id, self.players[node.player], node.infoset, node.actions)]
        done = {m.role for m in moves}
        return [Pending(d.id, d.role, d.id, d.actions) for d in self.decisions if d.role not in done]

    def check_plan(self, role: str, plan: dict) -> dict[str, str]:
        """Return `plan` (the strategy method's decision -> action) checked whole for `role`, in decision order.

        Parameters
        ----------
        role : str
            The player stating the plan.
        plan : dict
            Decision id -> action, one for every decision of `role`, reached or not.

        Returns
        -------
        dict
            The plan, its keys in the game's order of decisions.

        Raises
        ------
        MoveError
            For a decision that is not the role's, a decision left out, or an action not available there.

        Examples
        --------
        >>> from negosim.game import NormalFormGame
        >>> pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]], actions=(("C", "D"), ("C", "D")))
        >>> Rules(pd).check_plan("P1", {"P1": "D"})
        {'P1': 'D'}
        """
        wanted = {d.id: d for d in self.decisions if d.role == role}
        extra = [d for d in plan if d not in wanted]
        if extra:
            raise MoveError(f"{str(extra[0])[:40]!r} is not one of your decisions")
        missing = [d for d in wanted if d not in plan]
        if missing:
            raise MoveError(f"your plan has no choice for {wanted[missing[0]].label or missing[0]!r}; "
                            "choose at every decision, even those that may not be reached")
        for d, action in plan.items():
            if action not in wanted[d].actions:
                raise MoveError(f"{str(action)[:40]!r} is not an action at {wanted[d].label or d!r}; "
                                f"choose one of {', '.join(wanted[d].actions)}")
        return {d: str(plan[d]) for d in wanted}

    def check(self, moves: list[Move], move: Move) -> None:
        """Raise `MoveError` unless `move` is one the play is waiting for."""
        waiting = self.pending(moves)
        if not waiting:
            raise MoveError("this game is over; no more moves are taken")
        mine = [p for p in waiting if p.role == move.role]
        if not mine:
            raise MoveError("it is not your turn: " + self.waiting_text(waiting))
        if mine[0].node != move.node:
            raise MoveError("that decision is already made; the game has moved on")
        if move.action not in mine[0].actions:
            raise MoveError(f"{move.action!r} is not an action here; choose one of {', '.join(mine[0].actions)}")

    def waiting_text(self, waiting: list[Pending]) -> str:
        who = [CHANCE_ROLE if p.role == CHANCE_ROLE else self.names[p.role] for p in waiting]
        return "waiting for " + " and ".join(who)

    def outcome(self, moves: list[Move]) -> tuple[str, dict[str, float]] | None:
        """(outcome id, payoffs by player) once the play is over, else None."""
        if self.pending(moves):
            return None
        if self.tree:
            o = self.game.nodes[self._walk(moves)].outcome
            values = self.payoff_table[o]
            oid = self.game.outcomes[o].id
        else:
            chosen = {m.role: m.action for m in moves}
            profile = tuple(acts.index(chosen[p]) for p, acts in zip(self.players, self.game.actions))
            values = self.payoff_table[(slice(None), *profile)]
            oid = self.profile_outcome(profile)
        return oid, {p: float(v) for p, v in zip(self.players, values)}

    def profile_outcome(self, profile: tuple[int, ...]) -> str:
        """The outcome id of a pure profile of a normal-form game (its actions joined by '/' when unnamed)."""
        names = "/".join(acts[a] for acts, a in zip(self.game.actions, profile))
        if self.game.outcomes is not None and str(self.game.outcomes[profile]):
            return str(self.game.outcomes[profile])
        return names

    # --- the computer and chance ---------------------------------------------------------------------
    def auto_action(self, pending: Pending, rng: np.random.Generator) -> str:
        """Chance's draw, or the equilibrium action of a computer seat (a mixed one drawn with `rng`)."""
        if pending.role == CHANCE_ROLE:
            p = self.chance[self.index[pending.node]]
        else:
            beh = self.prediction.behavior.get(pending.decision)
            p = np.array([beh[a] for a in pending.actions]) if beh else np.full(len(pending.actions), 1.0)
        p = np.clip(np.asarray(p, dtype=float), 0, None)
        j = int(np.argmax(p)) if p.max() >= 1.0 else int(rng.choice(len(p), p=p / p.sum()))
        return pending.actions[j]

    # --- what a seat may see -------------------------------------------------------------------------
    def _history(self, i: int) -> list[tuple[str, str]]:
        out = []
        while i in self.parent:
            up, j = self.parent[i]
            n = self.game.nodes[up]
            out.append((CHANCE_ROLE if n.kind == CHANCE else self.players[n.player], n.actions[j]))
            i = up
        return out[::-1]

    def visible(self, moves: list[Move], role: str) -> list[dict]:
        """The moves `role` may see now: all once the play is over; otherwise its own, plus (in a game
        tree) those that every node of its current information set shares, or all of them in a game of
        perfect information."""
        over = not self.pending(moves)
        shown = []
        known = None
        if self.tree and not over and not self.perfect_information:
            mine = [p for p in self.pending(moves) if p.role == role]
            if mine:
                nodes = self.infoset_nodes[mine[0].decision]
                known = set.intersection(*(set(self._history(n)) for n in nodes))
            else:
                known = set()
        for m in moves:
            see = over or m.role == role or (self.tree and (known is None or (m.role, m.action) in known))
            shown.append({"role": m.role, "name": self.names.get(m.role, m.role),
                          "action": m.action if see else None})
        if not over and not self.tree:
            # Simultaneous moves: nobody sees another's choice (or whether it is made) before the end.
            shown = [s for s in shown if s["role"] == role]
        return shown

    def payoff_rows(self) -> list[dict]:
        """Every outcome with every player's payoff (the game itself is common knowledge): for a tree one
        row per outcome, for a normal-form game one row per action profile."""
        if self.tree:
            return [{"outcome": self.outcome_labels.get(o.id, o.id),
                     "payoffs": {p: float(v) for p, v in zip(self.players, self.payoff_table[k])}}
                    for k, o in enumerate(self.game.outcomes)]
        rows = []
        for profile in np.ndindex(*self.game.shape):
            actions = ", ".join(f"{self.names[p]} {acts[a]}" for p, acts, a in zip(self.players, self.game.actions,
                                                                                    profile))
            rows.append({"outcome": actions,
                         "payoffs": {p: float(self.payoff_table[(k, *profile)]) for k, p in enumerate(self.players)}})
        return rows

    def outcome_ids(self) -> list[str]:
        """Every outcome a play can end in, in the game's order."""
        if self.tree:
            return [o.id for o in self.game.outcomes]
        seen: dict[str, None] = {}
        for profile in np.ndindex(*self.game.shape):
            seen[self.profile_outcome(profile)] = None
        return list(seen)


def rules_for(source) -> Rules:
    """The rules of a `negosim.api.Source` at its parameter values.

    Parameters
    ----------
    source : negosim.api.Source
        A scenario or a Gambit game, as `negosim.api.open_source` returns it.

    Returns
    -------
    Rules
        The rules, with the scenario's player names (for a scenario) and the source's tie rules.

    Examples
    --------
    >>> from negosim.api import open_source
    >>> rules = rules_for(open_source("scenarios/prisoners_dilemma.yaml"))
    >>> rules.names
    {'Row': 'Row player', 'Column': 'Column player'}
    """
    names = {}
    if source.scenario is not None:
        names = {p.id: p.name or p.id for p in source.scenario.players}
    return Rules(source.game, source.ties, names)


__all__ = ["CHANCE_ROLE", "CONCEPT_NAMES", "DECISION", "Decision", "Move", "MoveError", "Pending", "Prediction",
           "Rules", "rules_for"]
