"""What would change the equilibria, as data: one record per parameter and side, each checked just past its threshold.

A record says: "with `parameter` moved `direction` of `threshold` (others at their values), the outcome label
(a tree's subgame-perfect outcome, a normal form's set of pure Nash equilibria; see `negosim.sweep.boundaries`)
becomes `after`". The label is the one found by solving at `probe`, a value just past the threshold inside the
declared range, never the label at the threshold itself (where a tie can make extra equilibria appear only at
that one value). A change that happens at a single value and reverts just past it is recorded as such
(`only_at`), and the search goes on beyond it. For a game tree, `flips` lists the decisions whose choice
differs on the two sides of the threshold that lead to the change: first those the parameter changes
directly (no decision below them changes), then the ones they cause, deepest first; the last is the decision
on the old equilibrium path that moves the outcome.

The text of `negosim explain` is rendered from these records (`explain_change`), so a test can re-solve every
statement the explanation makes.

>>> from negosim.api import open_source
>>> [(r.parameter, r.direction, r.threshold, r.after)
...  for r in change_records(open_source("scenarios/chicken.yaml"))]
[('C', -1, 1.0, '(straight, straight)')]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...game.normal import NormalFormGame
from ...game.tree import DECISION

#: How far past a threshold a record is checked, relative to the parameter's declared range.
STEP = 1e-6
#: How many single-value changes in a row the search steps past before it stops on a side (and says so).
MAX_HOPS = 10


@dataclass(frozen=True)
class DecisionFlip:
    """A decision taken differently on the two sides of a threshold (ids as in the game).

    Attributes
    ----------
    node : str
        The decision node's id.
    player : str
        The player who moves there.
    before, after : str
        The action taken on the current side and past the threshold.
    depth : int
        The node's depth in the tree (the root: 0).
    direct : bool, default True
        No decision below this one changes: the parameter changes this choice itself.
    now : tuple of float
        The mover's payoffs of `before` and `after` at the current values (empty when not computed).

    Examples
    --------
    >>> flip = DecisionFlip("entrant", "Entrant", "in", "out", 0)
    >>> flip.direct, flip.now
    (True, ())
    """

    node: str
    player: str
    before: str
    after: str
    depth: int
    direct: bool = True  # no decision below this one changes: the parameter changes this choice itself
    now: tuple[float, ...] = ()  # the mover's payoffs of `before` and `after` at the current values


@dataclass(frozen=True)
class ChangeRecord:
    """One statement of "what would change": past `threshold` in `direction` (-1 below, +1 above), `after`.

    `threshold` is the value as stated (rounded for people, within a tenth of the step of the located
    boundary); `probe` is where `after` was found by solving. `tied` is True when a player is indifferent at
    the threshold, False when a payoff formula jumps there. `before` is the label at the current value.
    With `only_at`, the label changes at the threshold alone (a tie there adds equilibria or lets the tie
    rules pick another outcome) and just past it is `before` again; the search went on past it. With
    `unsearched`, the search stopped at `threshold` after `MAX_HOPS` such single values: nothing is claimed
    past it.

    Attributes
    ----------
    parameter : str
        The parameter moved.
    now : float
        Its current value.
    direction : int
        -1: below `threshold`; +1: above.
    threshold : float
        The value as stated.
    probe : float
        Where `after` was found by solving.
    before, after : str
        The outcome label at the current value and past the threshold.
    tied : bool
        True when a player is indifferent at the threshold, False when a payoff formula jumps there.
    flips : tuple of DecisionFlip
        For a tree, the decisions behind the change.
    only_at : bool
        The label differs at the threshold alone.
    unsearched : bool
        The search stopped at the threshold; nothing is claimed past it.

    Examples
    --------
    >>> from negosim.api import open_source
    >>> source = open_source("scenarios/entry_deterrence.yaml")
    >>> record = change_records(source)[0]
    >>> record.parameter, record.direction, record.threshold, record.before, record.after
    ('d', -1, 1.0, 'shared_market', 'stay_out')
    """

    parameter: str
    now: float
    direction: int
    threshold: float
    probe: float
    before: str
    after: str
    tied: bool
    flips: tuple[DecisionFlip, ...] = ()
    only_at: bool = False  # the label differs at the threshold itself only (a tie); `after` is `before` again
    unsearched: bool = False  # the search stopped here after MAX_HOPS single-value changes; `after` is unknown


def change_records(source) -> list[ChangeRecord]:
    """Every parameter's nearest outcome change below and above its value, as records (see the module).

    Parameters
    ----------
    source : Source
        An opened scenario (`negosim.api.open_source`); without a scenario or parameters, no records.

    Returns
    -------
    list of ChangeRecord
        Per parameter, at most one record below and one above its value.

    Examples
    --------
    >>> from negosim.api import open_source
    >>> source = open_source("scenarios/entry_deterrence.yaml")
    >>> [(r.parameter, r.direction, r.threshold, r.after) for r in change_records(source)][:2]
    [('d', -1, 1.0, 'stay_out'), ('w', 1, 2.0, 'price_war')]
    """
    scenario = source.scenario
    if scenario is None or not source.parameters:
        return []
    from ...sweep.boundaries import nearest_boundaries

    base = dict(source.parameters)
    found = nearest_boundaries(scenario, base)
    (now_label,) = labels_at(scenario, base, [(next(iter(base)), base[next(iter(base))])])
    pending = [(name, b) for name in base for b in found.get(name, [])]
    records: list[ChangeRecord] = []
    for _ in range(MAX_HOPS):
        if not pending:
            break
        tries = []
        for name, b in pending:
            p = scenario.parameters[name]
            step = STEP * (p.high - p.low)
            d = 1 if b.value > base[name] else -1
            threshold = stated(b.value, step)
            probe = threshold + d * step
            if p.low <= probe <= p.high:
                tries.append((name, b, d, threshold, probe))
        got = labels_at(scenario, base, [(t[0], t[4]) for t in tries])
        pending = []
        for (name, b, d, threshold, probe), label in zip(tries, got):
            if label != now_label:
                records.append(ChangeRecord(name, base[name], d, threshold, probe, now_label, label, b.tied))
                continue
            # The label changed only at the threshold itself: say so, and look for the next change past it.
            records.append(ChangeRecord(name, base[name], d, threshold, probe, now_label, label, b.tied,
                                        only_at=True))
            later = nearest_boundaries(scenario, {**base, name: probe}).get(name, [])
            pending += [(name, c) for c in later if (c.value - probe) * d > 0]
    for name, b in pending:  # MAX_HOPS single values in a row: stop, and say where
        d = 1 if b.value > base[name] else -1
        step = STEP * (scenario.parameters[name].high - scenario.parameters[name].low)
        records.append(ChangeRecord(name, base[name], d, stated(b.value, step), b.value, now_label, "", b.tied,
                                    unsearched=True))
    order = {name: k for k, name in enumerate(base)}
    records.sort(key=lambda r: (order[r.parameter], r.direction, r.direction * r.threshold))
    if not isinstance(source.game, NormalFormGame):
        records = [r if r.only_at or r.unsearched else _with_flips(scenario, base, r) for r in records]
    return records


def stated(value: float, step: float) -> float:
    """`value` with as few significant digits (6 at least) as keep it within a tenth of `step`.

    Parameters
    ----------
    value : float
        The located value.
    step : float
        The step it was located within.

    Returns
    -------
    float
        `value` rounded.

    Examples
    --------
    >>> stated(0.123456789, 1e-3), stated(0.123456789, 1e-9)
    (0.123457, 0.123456789)
    """
    for digits in range(6, 17):
        shown = float(f"{value:.{digits}g}")
        if abs(shown - value) <= step / 10:
            return shown
    return float(value)


def labels_at(scenario, base: dict[str, float], points: list[tuple[str, float]]) -> list[str]:
    """The outcome label at each (parameter, value) point, the other parameters at `base`: one batched solve.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    base : dict of str to float
        Every parameter's value.
    points : list of (str, float)
        The points: one parameter moved to one value each.

    Returns
    -------
    list of str
        One outcome label per point.

    Examples
    --------
    >>> from negosim.api import open_source
    >>> source = open_source("scenarios/entry_deterrence.yaml")
    >>> labels_at(source.scenario, dict(source.parameters), [("d", 0.5), ("d", 3.0)])
    ['stay_out', 'shared_market']
    """
    from ...sweep.boundaries import outcome_labels

    if not points:
        return []
    params = {}
    for name, value in base.items():
        params[name] = np.array([v if n == name else value for n, v in points], dtype=float)
    return [str(x) for x in outcome_labels(scenario, params).reshape(-1)]


def _with_flips(scenario, base: dict[str, float], r: ChangeRecord) -> ChangeRecord:
    """The record with the decisions that change between the base side of the threshold and the probe."""
    from ...solve.spe import subgame_perfect

    p = scenario.parameters[r.parameter]
    old = r.threshold - r.direction * STEP * (p.high - p.low)
    if (old - r.now) * r.direction < 0:  # the value itself is closer to the threshold than one step
        old = r.now
    old = min(max(old, p.low), p.high)
    params = {k: np.full(3, v, dtype=float) for k, v in base.items()}
    params[r.parameter] = np.array([old, r.probe, r.now])
    tree = scenario.build(params)
    sol = subgame_perfect(tree, ties=scenario.ties)
    rows = {int(pt): e for e, pt in enumerate(sol.point)}
    if 0 not in rows or 1 not in rows:
        return r
    flips = decision_flips(tree, sol.extra["choice"], rows[0], rows[1])
    if 2 in rows:  # what each flipped choice is worth to its mover now, under the equilibrium's continuation
        values, node = sol.extra["values"], {n.id: n for n in tree.nodes}
        with_now = []
        for f in flips:
            n = node[f.node]
            kids = {a: tree.nodes[c].id for a, c in zip(n.actions, n.children)}
            worth = tuple(float(values[kids[a]][rows[2], n.player]) for a in (f.before, f.after))
            with_now.append(DecisionFlip(f.node, f.player, f.before, f.after, f.depth, f.direct, worth))
        flips = tuple(with_now)
    return ChangeRecord(r.parameter, r.now, r.direction, r.threshold, r.probe, r.before, r.after, r.tied, flips)


def decision_flips(tree, choice, old: int, new: int) -> tuple[DecisionFlip, ...]:
    """The chain of decisions behind an outcome change, deepest first, ending with the first decision on the
    old equilibrium path that is taken differently (the one that moves the outcome). Only decisions below that
    one count: what changes elsewhere in the tree does not explain the change of outcome.

    Parameters
    ----------
    tree : GameTree
        The game tree.
    choice : mapping of str to numpy.ndarray
        Decision node id -> the action index chosen at each point (negative: none).
    old, new : int
        The two points compared.

    Returns
    -------
    tuple of DecisionFlip
        The decisions taken differently, the direct ones first.

    Examples
    --------
    >>> import numpy as np
    >>> from negosim.api import open_source
    >>> source = open_source("scenarios/entry_deterrence.yaml")
    >>> choice = {"entrant": np.array([0, 1]), "incumbent": np.array([0, 0])}
    >>> [(f.node, f.before, f.after) for f in decision_flips(source.game, choice, 0, 1)]
    [('entrant', 'out', 'in')]
    """
    depth = {tree.root: 0}
    order = tree.preorder()
    for i in order:
        for c in tree.nodes[i].children:
            depth[c] = depth[i] + 1
    switched = {}
    for i in order:
        node = tree.nodes[i]
        if node.kind != DECISION or node.id not in choice:
            continue
        a, b = int(choice[node.id][old]), int(choice[node.id][new])
        if a >= 0 and b >= 0 and a != b:
            switched[i] = DecisionFlip(node.id, tree.players[node.player], node.actions[a], node.actions[b], depth[i])
    top, i = None, tree.root
    while tree.nodes[i].kind == DECISION:
        a = int(choice[tree.nodes[i].id][old])
        if a < 0:
            break
        if i in switched:
            top = i
            break
        i = tree.nodes[i].children[a]
    if top is None:
        chosen = [i for i in order if i in switched]
    else:
        below, stack = [], [top]
        while stack:
            k = stack.pop()
            below.append(k)
            stack.extend(tree.nodes[k].children)
        chosen = [i for i in order if i in switched and i in set(below)]
    pos = {i: k for k, i in enumerate(order)}
    chosen.sort(key=lambda i: (-depth[i], pos[i]))
    out = []
    for i in chosen:
        caused, todo = False, list(tree.nodes[i].children)
        while todo and not caused:
            k = todo.pop()
            caused = k in switched
            todo.extend(tree.nodes[k].children)
        f = switched[i]
        out.append(DecisionFlip(f.node, f.player, f.before, f.after, f.depth, not caused))
    # the direct effects first, then what they cause, deepest first
    out.sort(key=lambda f: not f.direct)
    return tuple(out)


__all__ = ["ChangeRecord", "DecisionFlip", "change_records", "decision_flips", "labels_at", "stated"]
