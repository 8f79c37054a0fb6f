"""Bisection's labels and boundary flags for a tree of perfect information, its parameter-free part solved once.

Boundary bisection labels a few points per bracket per batched solve, several times per sweep.
Building the game and running `subgame_perfect` at every solve costs far more than the points do (the
tree's Python walk, every payoff formula evaluated again, the game's structural checks), so a solve of
a few points of a big tree cost about as much as the sweep's whole grid. Here the tree is prepared once
per scenario, set of varied parameters and values of the others (a `TreePoints`), and each solve then
does only what depends on the points:

- **Formulas**: payoff formulas that read no varied parameter (directly or through a derived value)
  are evaluated once; the others at the points, those that differ only in their numbers together
  (`negosim.expr.shape`, each formula's own values bit for bit).
- **Parameter-free subtrees**: a decision node whose leaves all pay parameter-free payoffs is solved
  once (its choice, value, ties and deviation values are constants), and each solve feeds the values
  of the highest such nodes to their parents as constants. The decision tolerance still varies with
  the points (it is scaled to each point's payoff range), so each solve checks, with two vector
  comparisons, that every parameter-free node's tied actions are the same at the smallest and the
  largest tolerance of its points, which (a comparison with ``best - tol`` being monotone in tol)
  makes them the same at every point; otherwise the points are handed to the usual path.
- **The rest** is backward induction level by level (all decision nodes of one height and number of
  actions in a few numpy calls, `negosim.solve.spe_levels`), with `subgame_perfect`'s arithmetic:
  running maximum of the mover's values in action order, actions within ``best - tol`` tied, the tie
  rules' most preferred tied action chosen, the node's values copied from that child.

Answers are those of ``Scenario.build`` then `subgame_perfect` and `primary.outcome_labels`, point by
point (the tests compare them on random trees): the label is the id of the outcome the choices reach;
`subgame_perfect`'s three checks run too (choices best within tol, root value equal to the reached
outcome's payoffs, no player's deviation gains more than tol per move), and a failed check, a value
that is not finite, or anything else unusual hands the points back to the caller (`None`), who then
builds and solves them the usual way (which raises the usual error). The boundary flags are those of
`negosim.sweep.boundary_flags`: near-best sets at every decision node at `TIE_RTOL`, and the point's
own tie flag; a tree of perfect information has no selection.

Applies to trees whose reachable decision nodes are each alone in their information set, without
chance nodes. Memory per solve: the values of every node at every point, as `subgame_perfect` holds.

>>> import numpy as np
>>> from negosim.scenario import load_scenario
>>> sc = load_scenario("scenarios/entry_deterrence.yaml")
>>> [str(x) for x in point_labels(sc, {**sc.values(), "rep": np.array([0.0, 4.0])})]
['shared_market', 'stay_out']
"""

from __future__ import annotations

import weakref
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..expr.shape import FormulaShapes
from ..game.tree import DECISION, TERMINAL
from ..scenario.gcpause import cycle_collection_paused
from ..solve.spe_levels import NodeGroup, solve_group, tied_pattern
from ..solve.tolerance import RTOL, checked_tol, scaled_tol

#: Tie check at a boundary (the value of `negosim.sweep.boundary_flags.TIE_RTOL`, which imports this module).
TIE_RTOL = 1e-6


@dataclass(frozen=True)
class _Fixed:
    """The parameter-free subtrees solved at one pattern of tied actions."""

    values: np.ndarray  # (n_players, rows) every static row's value and best-reply value
    tied: np.ndarray  # (static decisions, kmax) the pattern: tied actions
    any_tied: bool  # a static decision has two tied actions
    gap: float  # the largest best - taken over static decisions (the choice check)
    next_node: np.ndarray  # (nodes,) the child a static decision's choice leads to


class TreePoints:
    """A scenario's tree prepared for many batched solves at points of some varied parameters (see the module).

    Rows of the solve's array ``(n_players, rows, points)``: the outcomes (those the varied parameters move
    and a reachable leaf uses first, then the other moving ones, then the parameter-free ones), then every
    reachable decision's value, then every decision's best-reply value (each player's best deviation
    value there, the others following their choices: the deviation check's backward pass).

    Build it with `prepared`, which keeps one per scenario, varied set and held values, and checks
    first that the module `applies`; `solve` then labels a batch of points.

    Parameters
    ----------
    scenario : Scenario
        An extensive-form scenario for which `applies` is true.
    varied : frozenset of str
        The parameters that change from point to point (the others are held at `base`).
    base : dict
        Every parameter's value: the held ones' values, and a value of each varied one (the first
        probe at which formulas of one shape are checked against their own evaluation).

    Examples
    --------
    In the 2025 ceasefire, the US's aid decision after Ukraine rejects reads no sanction: with the
    sanctions' damage ``s`` varied it is solved once, and each solve handles only the rest of the tree.

    >>> import numpy as np
    >>> from negosim.scenario import load_scenario
    >>> sc = load_scenario("scenarios/ceasefire_2025.yaml")
    >>> plan = TreePoints(sc, frozenset({"s"}), sc.values())
    >>> plan.n_players, plan.n_outcomes, plan.n_decisions
    (3, 6, 7)
    >>> [sc.game.nodes[i].id for i in plan.static_decisions]
    ['us_aid']
    >>> [str(x) for x in plan.solve({**sc.values(), "s": np.array([0.0, 0.1])})]
    ['truce_frozen', 'truce_aid']
    """

    def __init__(self, scenario, varied: frozenset[str], base: Mapping[str, float]) -> None:
        spec = scenario.game
        self.scenario, self.nodes = scenario, spec.nodes
        P, O = len(scenario.players), len(spec.outcomes)  # noqa: E741
        self.n_players, self.n_outcomes = P, O
        self.outcome_ids = np.array([o.id for o in spec.outcomes])
        order = _preorder(spec.nodes)
        self.root = order[0]
        self.decisions = [i for i in order if spec.nodes[i].kind == DECISION]
        D = self.n_decisions = len(self.decisions)
        # Which names change with the points: the varied parameters and the derived values reading them.
        moving = set(varied)
        for name, formula in scenario.derived.items():
            if formula.names & moving:
                moving.add(name)
        moves = [any(f.names & moving for f in o.payoffs) for o in spec.outcomes]
        used = {int(spec.nodes[i].outcome or 0) for i in order if spec.nodes[i].kind == TERMINAL}
        ranked = sorted(range(O), key=lambda k: (not moves[k], k not in used, k))
        self.outcome_row = np.empty(O, dtype=np.intp)
        self.outcome_row[ranked] = np.arange(O)
        self.n_used_moving = sum(1 for k in ranked if moves[k] and k in used)
        self.n_moving = sum(moves)
        env = scenario.evaluate({name: float(v) for name, v in base.items() if name in scenario.parameters})
        formulas, written = [], []  # every payoff that moves, and its row in the solve's array seen as
        self.fixed_payoffs = np.zeros((P, O))  # (n_players * rows, points); by row, the parameter-free payoffs
        for k, o in enumerate(spec.outcomes):
            r = int(self.outcome_row[k])
            for p, f in enumerate(o.payoffs):
                if f.names & moving:
                    formulas.append(f)
                    written.append(p * (O + 2 * D) + r)
                else:  # (a FormulaError if not finite: the caller's usual path reports it)
                    self.fixed_payoffs[p, r] = f.evaluate(env)
        self.formula_rows = np.array(written, dtype=np.intp)
        # Formulas of one shape are evaluated together (`negosim.expr.shape`), checked at probe values first.
        probe = {name: np.array([float(base[name]), self._probe(name)]) for name in varied}
        self.shapes = FormulaShapes(formulas, scenario.evaluate({**{k: float(v) for k, v in base.items()
                                                                    if k in scenario.parameters}, **probe}))
        # Parameter-free payoffs of moving outcomes, written at every solve.
        filled = set(written)
        self.fixed_in_moving = [(p, r) for p in range(P) for r in range(self.n_moving)
                                if p * (O + 2 * D) + r not in filled]
        fixed = self.fixed_payoffs[:, self.n_moving:]
        used_fixed = fixed[:, [self.outcome_row[k] - self.n_moving for k in sorted(used) if not moves[k]]]
        self.used_fixed_range = (float(used_fixed.max()), float(used_fixed.min())) if used_fixed.size else None
        self.fixed_range = (float(fixed.max(initial=-np.inf)), float(fixed.min(initial=np.inf)))
        # Rows and static nodes (a leaf whose payoffs are parameter-free, a decision whose children all are).
        dec_index = {i: d for d, i in enumerate(self.decisions)}
        row: dict[int, int] = {}
        static: dict[int, bool] = {}
        height: dict[int, int] = {}
        own: dict[int, list[int]] = {}  # the most moves of each player on a path from the node to a leaf
        for i in reversed(order):
            node = spec.nodes[i]
            if node.kind == TERMINAL:
                k = int(node.outcome or 0)
                row[i], static[i], height[i], own[i] = int(self.outcome_row[k]), not moves[k], 0, [0] * P
            else:
                kids = node.children
                row[i] = O + dec_index[i]
                static[i] = all(static[c] for c in kids)
                height[i] = 1 + max(height[c] for c in kids)
                own[i] = [max(own[c][q] for c in kids) + (q == node.player) for q in range(P)]
        self.row, self.height = row, height[self.root]
        # Static rows a moving decision reads (or the root's, if the whole tree is static): written at every solve.
        read = {row[c] for i in self.decisions if not static[i] for c in spec.nodes[i].children if static[c]}
        if static[self.root]:
            read.add(row[self.root])
        self.frontier = np.array(sorted(read), dtype=np.intp)
        self.frontier_reply = np.where(self.frontier >= O, self.frontier + D, self.frontier)
        ties = scenario.ties
        self.moving_groups = self._groups([i for i in self.decisions if not static[i]], height, ties)
        self.static_decisions = np.array([i for i in self.decisions if static[i]], dtype=np.intp)
        self.static_groups = self._groups(list(self.static_decisions), height, ties)
        # Moves per player along the longest path (the deviation check's divisor), as `tree_sequences` counts them.
        self.depth = max(own[self.root] + [1])
        kmax = max((len(spec.nodes[i].children) for i in self.decisions), default=1)
        self.child = np.repeat(np.arange(len(spec.nodes))[:, None], kmax, axis=1)  # a leaf leads to itself
        for i in self.decisions:
            self.child[i, :len(spec.nodes[i].children)] = spec.nodes[i].children
        self.is_leaf = np.array([n.kind == TERMINAL for n in spec.nodes], dtype=bool)
        self.is_static = np.array([static.get(i, False) for i in range(len(spec.nodes))], dtype=bool)
        self.outcome_of = np.array([int(n.outcome or 0) if n.kind == TERMINAL else 0 for n in spec.nodes])
        self.dec_of = np.zeros(len(spec.nodes), dtype=np.intp)
        self.dec_of[self.decisions] = np.arange(D)
        self._static_kids = self._static_children()
        self._fixed: _Fixed | None = None

    def balance_points(self) -> float:
        """The points whose solve costs about as much as a solve's fixed part (`negosim.sweep.bisection`'s
        cost model): a model of this module's costs, fitted on ternary trees of 40 to 10,000 nodes
        (a fixed 0.4 ms, 50 us per group of nodes or of formulas, 0.8 us per moving decision; per
        point 0.15 us per moving decision and 10 ns per moving payoff)."""
        moving = self.n_decisions - len(self.static_decisions)
        fixed = 4e-4 + 5e-5 * (len(self.moving_groups) + len(self.shapes.groups)) + 1e-6 * len(self.shapes.single) \
            + 8e-7 * moving
        per_point = 1.5e-7 * moving + 1e-8 * len(self.formula_rows) + 1e-7
        return fixed / per_point

    # --- preparation ------------------------------------------------------------------------------
    def _probe(self, name: str) -> float:
        """A second value of a varied parameter to check formula shapes at: its range's midpoint or, for a
        range of one value, that value plus one."""
        p = self.scenario.parameters[name]
        return float((p.low + p.high) / 2) if p.high > p.low else float(p.value) + 1.0

    def _groups(self, decisions: list[int], height: dict[int, int], ties) -> list[NodeGroup]:
        by: dict[tuple[int, int], list[int]] = {}
        for i in decisions:
            by.setdefault((height[i], len(self.nodes[i].children)), []).append(i)
        groups = []
        O, D = self.n_outcomes, self.n_decisions  # noqa: E741
        for (_, k), members in sorted(by.items()):  # by height: children before parents
            rank = np.empty((len(members), k), dtype=np.int8)
            for g, i in enumerate(members):
                rank[g, ties.priority(self.nodes[i].id, self.nodes[i].actions)] = np.arange(k)
            kids = np.array([[self.row[c] for c in self.nodes[i].children] for i in members],
                            dtype=np.intp).reshape(len(members), k)
            rows = np.array([self.row[i] for i in members], dtype=np.intp)
            groups.append(NodeGroup(rows, rows + D, kids, np.where(kids >= O, kids + D, kids),
                                 np.array([int(self.nodes[i].player or 0) for i in members], dtype=np.intp),
                                 rank, rows - O))
        return groups

    def _static_children(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Rows of the static decisions' children (padded with the first child), which are real, and movers."""
        nodes = [self.nodes[i] for i in self.static_decisions]
        kmax = max((len(n.children) for n in nodes), default=1)
        kids = np.zeros((len(nodes), kmax), dtype=np.intp)
        real = np.zeros((len(nodes), kmax), dtype=bool)
        for s, node in enumerate(nodes):
            rows = [self.row[c] for c in node.children]
            kids[s, :] = rows[0]
            kids[s, :len(rows)] = rows
            real[s, :len(rows)] = True
        return kids, real, np.array([int(n.player or 0) for n in nodes], dtype=np.intp)

    def _solve_fixed(self, tol: float) -> _Fixed:
        """Solve the static decisions at one tolerance (one point: their payoffs are constants)."""
        X = np.zeros((self.n_players, self.n_outcomes + 2 * self.n_decisions, 1))
        X[:, : self.n_outcomes, 0] = self.fixed_payoffs
        choice = np.zeros((self.n_decisions, 1), dtype=np.int16)
        any_tied = np.zeros(1, dtype=bool)
        gap = 0.0
        for g in self.static_groups:
            worst, _ = solve_group(g, X, np.array([tol]), any_tied, choice)
            gap = max(gap, float(worst[0]))
        kids, real, mover = self._static_kids
        tied = tied_pattern(X[mover[:, None], kids, 0], real, tol)
        next_node = self.child[:, 0].copy()
        sd = self.static_decisions
        next_node[sd] = self.child[sd, choice[self.dec_of[sd], 0]]
        return _Fixed(X[:, :, 0], tied, bool(any_tied[0]), gap, next_node)

    def _fixed_at(self, tmin: float, tmax: float) -> _Fixed | None:
        """The static solution valid at every tolerance in [tmin, tmax], or None if a static node's ties
        change within it."""
        for attempt in range(2):
            if self._fixed is None or attempt:
                self._fixed = self._solve_fixed(tmin)
            if not len(self.static_decisions):
                return self._fixed
            kids, real, mover = self._static_kids
            vals = self._fixed.values[mover[:, None], kids]
            if (tied_pattern(vals, real, tmin) == self._fixed.tied).all() and \
                    (tied_pattern(vals, real, tmax) == self._fixed.tied).all():
                return self._fixed
        return None

    def _near_constant(self, fixed: _Fixed, tmin: float, tmax: float) -> bool:
        """Whether every static decision's near-best set is the same at every tie tolerance in [tmin, tmax]
        (then no static node has a tie at a boundary that a side lacks)."""
        if not len(self.static_decisions):
            return True
        kids, real, mover = self._static_kids
        vals = np.where(real, fixed.values[mover[:, None], kids], -np.inf)
        top = vals.max(axis=1, keepdims=True)
        return bool(((vals >= top - tmin) == (vals >= top - tmax)).all())

    # --- one batch --------------------------------------------------------------------------------
    def solve(self, params: Mapping[str, np.ndarray], flags_n: int | None = None):
        """Labels (and, with `flags_n`, the flags of `flags_n` boundaries whose mid, left and right points
        are the batch's thirds), or None where the usual path must decide."""
        env = self.scenario.evaluate(params)
        B = max((np.size(v) for v in env.values()), default=1)
        if B == 0 or any(np.ndim(v) > 1 or np.size(v) not in (1, B) for v in env.values()):
            return None
        P, O, D = self.n_players, self.n_outcomes, self.n_decisions  # noqa: E741
        X = np.empty((P, O + 2 * D, B))
        self.shapes.evaluate(env, X.reshape(-1, B), self.formula_rows)
        for p, r in self.fixed_in_moving:
            X[p, r] = self.fixed_payoffs[p, r]
        tol, ctol, ttol = self._tolerances(X, B)
        if tol is None:
            return None  # a payoff is not finite: the usual path reports it
        fixed = self._fixed_at(float(tol.min()), float(tol.max()))
        if fixed is None or (fixed.gap > ctol).any():
            return None
        if len(self.frontier):
            X[:, self.frontier] = fixed.values[:, self.frontier, None]
            X[:, self.frontier_reply] = fixed.values[:, self.frontier_reply, None]
        choice = np.empty((D, B), dtype=np.int16)
        any_tied = np.full(B, fixed.any_tied)
        bad = np.zeros(B, dtype=bool)
        thirds: tuple[np.ndarray, np.ndarray] | None = None
        n = flags_n or 0
        if flags_n is not None:
            if not self._near_constant(fixed, float(ttol.min()), float(ttol.max())):
                return None
            thirds = (np.zeros(n, dtype=bool), np.zeros(n, dtype=bool))
        for g in self.moving_groups:
            worst, M = solve_group(g, X, tol, any_tied, choice)
            bad |= worst > ctol
            if thirds is not None:
                _near_flags(M, ttol, n, thirds)
        reached = self._walk(choice, fixed, B)
        root = self.row[self.root]
        root_reply = root + D if root >= O else root
        points = np.arange(B)
        rows = self.outcome_row[reached]  # (a parameter-free outcome's row is written only where a solve reads it)
        payoffs = np.where(rows < self.n_moving, X[:, rows, points], self.fixed_payoffs[:, rows])
        bad |= np.abs(payoffs - X[:, root]).max(axis=0) > ctol
        regret = np.maximum((X[:, root_reply] - X[:, root]).max(axis=0), 0.0)
        bad |= regret / self.depth > ctol
        if bad.any():
            return None
        labels = np.array([*self.outcome_ids, ""], dtype=object)[:-1][reached]
        if thirds is None:
            return labels
        at_mid, at_left, at_right = any_tied[:n], any_tied[n:2 * n], any_tied[2 * n:]
        tied = (thirds[0] | (at_mid & ~at_left)) & (thirds[1] | (at_mid & ~at_right))
        return tied, np.zeros(n, dtype=bool), labels[n:]

    def _tolerances(self, X: np.ndarray, B: int):
        """The decision tolerance (`scaled_tol` of the used outcomes' payoff range), the checks' (`checked_tol`
        over every outcome) and the boundary tie tolerance (`boundary_flags._tie_tol`), per point; Nones
        where a payoff is not finite. Maxima and minima are exact, so taking them part by part changes nothing."""
        def extremes(rows: int, fixed) -> tuple[np.ndarray, np.ndarray]:
            hi: np.ndarray | None = None
            lo: np.ndarray | None = None
            if rows:
                part = X[:, :rows]
                hi, lo = part.max(axis=(0, 1)), part.min(axis=(0, 1))
            if fixed is not None:
                hi = np.full(B, fixed[0]) if hi is None else np.maximum(hi, fixed[0])
                lo = np.full(B, fixed[1]) if lo is None else np.minimum(lo, fixed[1])
            assert hi is not None and lo is not None  # (a tree has an outcome)
            return hi, lo

        all_hi, all_lo = extremes(self.n_moving, self.fixed_range if self.n_moving < self.n_outcomes else None)
        if not (np.isfinite(all_hi).all() and np.isfinite(all_lo).all()):
            return None, None, None
        hi, lo = extremes(self.n_used_moving, self.used_fixed_range)
        tol = scaled_tol(hi - lo, RTOL)
        absmax = np.maximum(all_hi, -all_lo)  # max |payoff|, exactly
        ctol = checked_tol(tol, absmax[None], axis=0)
        ttol = scaled_tol(np.maximum(all_hi - all_lo, absmax), TIE_RTOL)
        return tol, ctol, ttol

    def _walk(self, choice: np.ndarray, fixed: _Fixed, B: int) -> np.ndarray:
        """The outcome each point's play reaches, following the choices from the root."""
        cur = np.full(B, self.root, dtype=np.intp)
        points = np.arange(B)
        for _ in range(self.height):
            moving = ~self.is_leaf[cur] & ~self.is_static[cur]
            nxt = fixed.next_node[cur]
            if moving.any():
                at = cur[moving]
                nxt[moving] = self.child[at, choice[self.dec_of[at], points[moving]]]
            cur = nxt
        return self.outcome_of[cur]


def _near_flags(M: np.ndarray, ttol: np.ndarray, n: int, thirds: tuple[np.ndarray, np.ndarray]) -> None:
    """Or into `thirds` whether a node (of the movers' values `M`, (g, k, B)) has a near-best action at a
    boundary point (the batch's first third) that is not near-best at its left (second third) or right
    (last third) point."""
    near = M >= (M.max(axis=1) - ttol)[:, None]
    m, l_, r = near[:, :, :n], near[:, :, n:2 * n], near[:, :, 2 * n:]
    thirds[0][:] |= (m & ~l_).any(axis=(0, 1))
    thirds[1][:] |= (m & ~r).any(axis=(0, 1))


def _preorder(nodes) -> list[int]:
    order, stack = [], [0]
    while stack:
        i = stack.pop()
        order.append(i)
        stack.extend(reversed(nodes[i].children))
    return order


def applies(scenario) -> bool:
    """Whether `scenario` is a tree this module solves: perfect information (every reachable decision
    alone in its information set) and no chance node.

    Parameters
    ----------
    scenario : Scenario
        Any loaded scenario (a normal-form, bargaining or repeated one is simply not a tree).

    Returns
    -------
    bool
        True for an extensive-form scenario of perfect information without chance.

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> applies(load_scenario("scenarios/entry_deterrence.yaml"))
    True
    >>> applies(load_scenario("scenarios/beer_quiche.yaml"))  # a chance move, and a receiver who does not see it
    False
    >>> applies(load_scenario("scenarios/chicken.yaml"))  # a normal-form game
    False
    """
    from ..scenario.model import TreeSpec

    spec = getattr(scenario, "game", None)
    if not isinstance(spec, TreeSpec) or spec.chance or not spec.nodes:
        return False
    size = Counter(n.information_set for n in spec.nodes if n.kind == DECISION)
    reached = [spec.nodes[i] for i in _preorder(spec.nodes)]
    return all(n.kind == TERMINAL or (n.kind == DECISION and size[n.information_set] == 1) for n in reached)


_PLANS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def prepared(scenario, params: Mapping[str, np.ndarray]) -> TreePoints | None:
    """The `TreePoints` of `scenario` for these points (the parameters given as arrays vary, the others
    are held at their values), prepared once per scenario, varied set and held values; None if the
    module does not apply.

    A preparation that fails for any reason is also None (and remembered as such): the caller's usual
    path then builds and solves the points, and reports whatever went wrong.

    Parameters
    ----------
    scenario : Scenario
    params : dict
        Every parameter's value: a 1-d array for the varied ones, a number for the others.

    Returns
    -------
    TreePoints or None
        The prepared tree, the same object for every batch with the same varied set and held values.

    Examples
    --------
    >>> import numpy as np
    >>> from negosim.scenario import load_scenario
    >>> sc = load_scenario("scenarios/ceasefire_2025.yaml")
    >>> plan = prepared(sc, {**sc.values(), "s": np.array([0.0, 0.1])})
    >>> plan is prepared(sc, {**sc.values(), "s": np.array([0.2, 0.25, 0.3])})  # other points, same plan
    True
    >>> plan is prepared(sc, {**sc.values(), "mu": 0.2, "s": np.array([0.0, 0.1])})  # another held value
    False
    >>> prepared(load_scenario("scenarios/chicken.yaml"), {}) is None  # not a tree
    True
    """
    if getattr(scenario, "form", None) != "extensive":
        return None
    plans = _PLANS.setdefault(scenario, {})
    varied = frozenset(name for name, v in params.items() if np.ndim(v) > 0)
    held = tuple(sorted((name, float(v)) for name, v in params.items() if np.ndim(v) == 0))
    key = (varied, held)
    if key not in plans:
        plans[key] = None
        if applies(scenario) and all(name in scenario.parameters for name in params):
            try:
                base = {**scenario.values(), **dict(held)}
                with cycle_collection_paused():  # (a big tree's preparation makes many small objects)
                    plans[key] = TreePoints(scenario, varied, base)
            except Exception:  # noqa: BLE001 - any failure: the usual path builds, solves and reports it
                plans[key] = None
    return plans[key]


def point_labels(scenario, params: Mapping[str, np.ndarray]) -> np.ndarray | None:
    """Each point's outcome label (as `negosim.sweep.boundaries.outcome_labels` gives it), or None where
    the usual path must decide.

    Parameters
    ----------
    scenario : Scenario
    params : dict
        Every parameter's value: a 1-d array for the varied ones, a number for the others.

    Returns
    -------
    numpy.ndarray or None
        ``(N,)`` object array of labels.

    Examples
    --------
    The 2025 ceasefire as the sanctions' damage ``s`` grows: without sanctions Russia holds out for a
    truce with aid frozen; a credible sanction secures a truce with aid flowing. The labels are those of
    building and solving every point:

    >>> import numpy as np
    >>> from negosim.scenario import load_scenario
    >>> from negosim.sweep import outcome_labels
    >>> sc = load_scenario("scenarios/ceasefire_2025.yaml")
    >>> s = np.array([0.0, 0.02, 0.1, 0.3])
    >>> labels = point_labels(sc, {**sc.values(), "s": s})
    >>> [str(x) for x in labels]
    ['truce_frozen', 'truce_aid', 'truce_aid', 'truce_aid']
    >>> labels.tolist() == outcome_labels(sc, {"s": s}).tolist()
    True
    """
    plan = prepared(scenario, params)
    if plan is None:
        return None
    try:
        return plan.solve(params)
    except Exception:  # noqa: BLE001 - the usual path raises its own error, or agrees
        return None


def point_flags(scenario, params: Mapping[str, np.ndarray], n: int):
    """`negosim.sweep.boundary_flags.flags_and_sides` at `n` boundaries whose mid, left and right points
    are the thirds of `params`' arrays: (tied, selected, labels at left then right), or None.

    Parameters
    ----------
    scenario : Scenario
    params : dict
        Every parameter's value: a ``(3n,)`` array for the varied ones (the boundaries' points, then the
        points just below them, then those just above), a number for the others.
    n : int
        The number of boundaries.

    Returns
    -------
    tuple of numpy.ndarray, or None
        ``(tied, selected, sides)``: ``(n,)`` bools, whether the boundary is a tie (at the boundary point
        some decision has a near-best action that is not near-best at the left point, and one that is not
        near-best at the right point), and whether a selection decided it (never, in a tree of perfect
        information); ``(2n,)`` the outcome labels at every left point, then at every right point. None
        where the usual path must decide.

    Examples
    --------
    Entry deterrence: at ``rep = 2`` a price war pays the Incumbent ``w + rep = d``, what accommodating
    pays, so the boundary is a tie; below it entry is accommodated, above it the threat is credible and the
    Entrant stays out. At ``rep = 3`` nothing changes:

    >>> import numpy as np
    >>> from negosim.scenario import load_scenario
    >>> sc = load_scenario("scenarios/entry_deterrence.yaml")
    >>> tied, selected, sides = point_flags(sc, {**sc.values(), "rep": np.array([2.0, 3.0, 1.9, 2.9, 2.1, 3.1])}, 2)
    >>> tied.tolist(), selected.tolist(), [str(x) for x in sides]
    ([True, False], [False, False], ['shared_market', 'stay_out', 'stay_out', 'stay_out'])
    """
    plan = prepared(scenario, params)
    if plan is None:
        return None
    try:
        return plan.solve(params, flags_n=n)
    except Exception:  # noqa: BLE001 - the usual path raises its own error, or agrees
        return None


__all__ = ["TreePoints", "applies", "point_flags", "point_labels", "prepared"]
