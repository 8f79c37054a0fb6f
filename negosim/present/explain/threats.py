"""The Nash equilibria of a game tree's normal form that are not subgame perfect, and the threats they rest on.

At some decision (an information set) that its play does not reach, such an equilibrium prescribes an action
that is not optimal there given what the players would go on to do under the same profile: the one-shot
deviation test, which a profile passes at every decision exactly when it is subgame perfect. The numbers quoted
are the mover's payoffs of the actions at that decision under the profile's own continuation (at the deepest
such decision, that continuation is itself credible).

Such a choice is called a threat that would not be carried out only when it also changes what another player
does on the equilibrium path: with the choice replaced by the better one, some other player's prescribed action
on the path is no longer optimal; the sentence says which choice it deters. An off-path choice that changes
nobody's play on the path (continuing aid after a refusal that never happens, when Ukraine accepts either way)
is reported as a choice the equilibrium does not rest on.
"""

from __future__ import annotations

import numpy as np

from ...game.reduce import behavior_from_mixed
from ...game.tree import CHANCE, TERMINAL
from ..text import strategy_legend
from ..text.wording import Style, and_list, do, do_rather, frac, num, sig_values, wrap
from .normal import WIDTH
from .tree import TreeView

SHOW_NASH = 8  # non-credible Nash equilibria described in full

def _scope(nash) -> str:
    """What the list of Nash equilibria of a 3+ player normal form covers, in a parenthesis."""
    if bool(nash.complete.reshape(-1)[0]):
        return " (all of them)"
    if nash.method == "pure equilibria and logit tracing":
        return (" (every pure one, and where it is mixed the one traced from the logit QRE; the form is too large to "
                "enumerate them all, so other mixed equilibria may exist)")
    if bool(nash.degenerate.reshape(-1)[0]):
        return (" (the form is degenerate, as the normal forms of trees usually are: equilibria may form continua, "
                "of which the endpoints found are listed)")
    return " (not guaranteed to be all)"


def nash_text(view: TreeView, spe, nash, st: Style, limit: str | None = None) -> list[str]:
    """Which Nash equilibria of the reduced normal form are subgame perfect, and the threat each other rests on."""
    tree = view.tree
    out = [st.heading("Nash equilibria of the normal form: which threats are credible?"), ""]
    if nash is None:  # the reduced normal form is too large even for its pure equilibria
        ask = " `negosim solve --concept nash` computes one Nash equilibrium on the sequence form." \
            if tree.n_players == 2 else ""
        return out + wrap(f"Not listed here: {limit}, too large to enumerate.{ask}", WIDTH, "  ", "  ")
    eqs = nash.equilibria_at(0)
    pure_only = _scope(nash) if tree.n_players > 2 else ""
    if limit:
        pure_only = f" in pure strategies ({limit}, so only pure ones are listed)"
        if tree.n_players == 2:
            pure_only += "; `negosim solve --concept nash` finds a mixed one on the sequence form"
    out += wrap(f"In the normal form each player picks a whole plan (an action at each of its decisions) at once. "
                f"It has {len(eqs)} Nash equilibri{'um' if len(eqs) == 1 else 'a'}{pure_only}. A Nash equilibrium "
                "only asks that no one gains by changing plan given the others' plans, so it can rest on a threat at "
                "a decision that is never reached; subgame perfection asks that every choice be optimal if it came "
                "to it.", WIDTH, "  ", "  ")
    legend = strategy_legend(tree)
    if legend:
        out += wrap(legend + ".", WIDTH, "  ", "  ")
    out.append("")
    spe_beh = [b[0] for b in spe.behavior]
    tol = float(np.max(nash.tol)) if np.size(nash.tol) else 1e-9
    same: list[int] = []
    other_spe: list[int] = []
    threats: list[tuple] = []
    idle: list[tuple] = []
    for k, eq in enumerate(eqs, 1):
        beh = profile_behavior(view, nash, nash.rows_at(0)[k - 1], spe_beh)
        flags = incredible(view, beh, tol)
        if flags:
            resting = [([f], d) for f in flags if (d := deterred(view, beh, [f], tol))]
            if not resting and (joint := deterred(view, beh, flags, tol)):
                resting = [(flags, joint)]  # only together do they change a choice on the path
            used = {id(f) for fs, _ in resting for f in fs}
            unused = [f for f in flags if id(f) not in used]
            (threats if resting else idle).append((k, eq, resting, unused, beh))
        elif all(np.allclose(b, s, atol=1e-9) for b, s in zip(beh, spe_beh)):
            same.append(k)
        else:
            other_spe.append(k)
    threats.sort(key=lambda t: not _is_pure(t[1]))  # the simplest (pure) equilibria first
    idle.sort(key=lambda t: not _is_pure(t[1]))
    shown = (threats + idle)[:SHOW_NASH]
    for k, eq, resting, unused, beh in shown:
        out += wrap(f"Nash equilibrium {k}: {_summary(view, eq, beh)}.", WIDTH, "      ", "  - ")
        out += _resting_text(view, resting, st)
        out += _unused_text(view, unused, bool(resting), st)
    rest = [t for t in threats + idle if t not in shown]
    if rest:
        ks = sorted(t[0] for t in rest)
        which = (f"Nash equilibri{'um' if len(ks) == 1 else 'a'} {and_list([str(k) for k in ks])}"
                 if len(ks) <= 10 else f"The other {len(ks)} Nash equilibria")
        out += wrap(f"{which} {'is' if len(ks) == 1 else 'are'} not subgame perfect either.", WIDTH, "      ", "  - ")
    if same:
        out += wrap(f"Nash equilibrium {and_list([str(k) for k in same])} is the subgame-perfect equilibrium above.",
                    WIDTH, "      ", "  - ")
    if other_spe:
        one = len(other_spe) == 1
        out += wrap(f"Nash equilibri{'um' if one else 'a'} {and_list([str(k) for k in other_spe])} "
                    f"{'is' if one else 'are'} subgame perfect too: {'it differs' if one else 'they differ'} "
                    "from the one above only where a player is indifferent (or a subgame has several equilibria).",
                    WIDTH, "      ", "  - ")
    if not threats:
        out += wrap("No Nash equilibrium rests on a threat that would not be carried out.", WIDTH, "      ", "  - ")
    return out


def _summary(view: TreeView, eq, beh: list[np.ndarray]) -> str:
    plan = "; ".join(f"{view.names.get(p, p)} {_plan(s)}" for p, s in eq.strategies.items())
    outcome = eq.outcome
    if outcome is None:  # a mix off the path leaves the outcome certain (the Entrant stays out either way)
        reach = reach_from_root(view, beh)
        reached = {view.tree.outcomes[view.tree.nodes[i].outcome].id for i in view.order
                   if view.tree.nodes[i].kind == TERMINAL and reach[i] > 1e-12}
        outcome = reached.pop() if len(reached) == 1 else None
    result = f"outcome {outcome}" if outcome else "an uncertain outcome"
    pay = ", ".join(f"{view.names.get(p, p)} {num(v)}" for p, v in eq.payoffs.items())
    return f"{plan} ({result}; payoffs {pay})"


def _resting_text(view: TreeView, resting: list, st: Style) -> list[str]:
    """'It rests on a threat that would not be carried out: ... It deters ...' for each threat, where a threat
    is a list of non-optimal choices (one, or several that only together deter) and what they deter."""
    if not resting:
        return []
    if len(resting) == 1 and len(resting[0][0]) == 1:
        (flag,), det = resting[0]
        return wrap("It rests on a threat that would not be carried out: " + threat_sentence(view, flag, st)
                    + " " + deter_sentence(view, [flag], det), WIDTH, "      ", "    ")
    count = sum(len(flags) for flags, _ in resting)
    out = wrap(f"It rests on {count} threats that would not be carried out:", WIDTH, "      ", "    ")
    for flags, det in resting:
        for f in flags:
            out += wrap(threat_sentence(view, f, st), WIDTH, "        ", "      * ")
        together = "Only together: " if len(flags) > 1 else ""
        out += wrap(together + deter_sentence(view, flags, det), WIDTH, "        ", "        ")
    return out


def _unused_text(view: TreeView, unused: list, resting: bool, st: Style) -> list[str]:
    """The choices that would not be carried out but change nobody's play on the path."""
    if not unused:
        return []
    head = ("It also prescribes" if resting else "It is not subgame perfect, but it rests on no threat: it prescribes")
    what = "a choice" if len(unused) == 1 else f"{len(unused)} choices"
    it = "it by the better choice" if len(unused) == 1 else "them by the better choices"
    lines = wrap(f"{head} {what} that would not be carried out, on which no other player's choice on the "
                 f"equilibrium path depends (replacing {it} changes nothing on the path):",
                 WIDTH, "      ", "    ")
    for f in unused:
        lines += wrap(threat_sentence(view, f, st), WIDTH, "        ", "      * ")
    return lines


def deter_sentence(view: TreeView, flags: list[tuple], det: list[tuple]) -> str:
    """'It deters the United States at us_counter: if Russia would accept at ru_final, the United States would
    refuse rather than grant (refuse 0.33 > grant 0.24).'"""
    tree, seq = view.tree, view.seq
    instead = and_list([f"{view.who(seq.infosets[f[0]][0])} would {do(tree.nodes[f[1]].actions[f[3]])} at "
                        f"{seq.infosets[f[0]][1]}" for f in flags])
    parts = []
    for pos, node_i, old, new, q in det:
        player, infoset, _ = seq.infosets[pos]
        acts = tree.nodes[node_i].actions
        a, b = sig_values([q[new], q[old]])
        parts.append(f"{view.who(player)} would {do_rather(acts[new], acts[old])} at {infoset} "
                     f"({acts[new]} {a} > {acts[old]} {b})")
    whom = and_list([f"{view.who(seq.infosets[d[0]][0])} at {seq.infosets[d[0]][1]}" for d in det])
    return f"It deters {whom}: if {instead}, {and_list(parts)}."


def _is_pure(eq) -> bool:
    return all(max(s.values()) > 1 - 1e-9 for s in eq.strategies.values())


def _plan(strategy: dict[str, float]) -> str:
    used = [(a, p) for a, p in strategy.items() if p > 1e-9]
    if len(used) == 1:
        return used[0][0]
    return " + ".join(f"{frac(p)} {a}" for a, p in used)


def profile_behavior(view: TreeView, nash, row: int, fallback_beh) -> list[np.ndarray]:
    """Behaviour (one probability vector per information set) of a Nash equilibrium of the reduced normal
    form; at information sets a player's own plan rules out, the subgame-perfect choice."""
    tree, seq = view.tree, view.seq
    beh: list = [None] * len(seq.infosets)
    for p in range(tree.n_players):
        fallback = {k: int(np.argmax(fallback_beh[k])) for k, (q, _, _) in enumerate(seq.infosets) if q == p}
        mixed = nash.strategies[p][row][None, :]
        for k, b in behavior_from_mixed(tree, p, mixed, fallback, seq).items():
            beh[k] = b[0]
    return beh


def incredible(view: TreeView, beh: list[np.ndarray], tol: float) -> list[tuple]:
    """The decisions at which the profile prescribes an action that is not optimal if it came to it:
    (infoset position, a node of it, bad action, best action, action values, behaviour) per decision."""
    seq = view.seq
    value = node_values(view, beh)
    flags = []
    for pos, (_, _, nodes) in enumerate(seq.infosets):
        weights = np.array([_reach_within_subgame(view, beh, i) for i in nodes])
        if weights.sum() <= 0:
            continue
        q = action_values(view, value, pos, weights)
        best = int(np.argmax(q))
        bad = [j for j in range(len(q)) if beh[pos][j] > 1e-9 and q[j] < q[best] - tol]
        if bad:
            flags.append((pos, nodes[0], bad[0], best, q, beh[pos]))
    return flags


def node_values(view: TreeView, beh: list[np.ndarray]) -> list[np.ndarray]:
    """Every node's expected payoff vector when play continues by `beh` (and chance) from it."""
    tree, seq = view.tree, view.seq
    value: list = [None] * len(tree.nodes)
    for i in reversed(view.order):
        node = tree.nodes[i]
        if node.kind == TERMINAL:
            value[i] = view.payoffs[node.outcome]
        else:
            w = view.chance_probs(i) if node.kind == CHANCE else beh[seq.infoset_of[i]]
            value[i] = sum(w[j] * value[c] for j, c in enumerate(node.children)) + np.zeros(tree.n_players)
    return value


def action_values(view: TreeView, value: list[np.ndarray], pos: int, weights: np.ndarray) -> np.ndarray:
    """The mover's expected payoff of each action at information set `pos`, its nodes weighted by `weights`."""
    tree = view.tree
    player, _, nodes = view.seq.infosets[pos]
    n_act = len(tree.nodes[nodes[0]].actions)
    return np.array([sum(w * value[tree.nodes[i].children[j]][player] for w, i in zip(weights, nodes))
                     for j in range(n_act)]) / weights.sum()


def reach_from_root(view: TreeView, beh: list[np.ndarray]) -> np.ndarray:
    """The probability of reaching every node from the root under `beh` (and chance)."""
    tree = view.tree
    reach = np.zeros(len(tree.nodes))
    reach[tree.root] = 1.0
    for i in view.order:
        node = tree.nodes[i]
        if node.kind == TERMINAL:
            continue
        w = view.chance_probs(i) if node.kind == CHANCE else beh[view.seq.infoset_of[i]]
        for j, c in enumerate(node.children):
            reach[c] = reach[i] * w[j]
    return reach


def deterred(view: TreeView, beh: list[np.ndarray], flags: list[tuple], tol: float) -> list[tuple]:
    """What the non-optimal choices `flags` keep other players from doing on the equilibrium path.

    Each flagged choice is replaced by the action that is best there; wherever another player then no longer
    finds its prescribed action on the path optimal, that player is deterred. Returns one tuple per deterred
    decision: (information set position, a node of it, prescribed action, action it would take instead,
    action values with the flags replaced). Empty when the flags change nobody's choice on the path: then they
    are not threats, only choices that would not be carried out and that nothing rests on.
    """
    seq = view.seq
    movers = {seq.infosets[f[0]][0] for f in flags}
    changed = list(beh)
    for pos, _, _, best, _, _ in flags:
        changed[pos] = np.eye(len(beh[pos]))[best]
    reach = reach_from_root(view, beh)
    value = node_values(view, changed)
    out = []
    for pos, (player, _, nodes) in enumerate(seq.infosets):
        weights = np.array([reach[i] for i in nodes])
        if player in movers or weights.sum() <= 1e-12:
            continue
        q = action_values(view, value, pos, weights)
        best = int(np.argmax(q))
        used = [j for j in range(len(q)) if beh[pos][j] > 1e-9]
        worse = [j for j in used if q[j] < q[best] - tol]
        if worse:
            out.append((pos, nodes[0], max(worse, key=lambda j: beh[pos][j]), best, q))
    return out


def _reach_within_subgame(view: TreeView, beh, i: int) -> float:
    """Probability of reaching node i from the root of the smallest subgame containing it, under the profile."""
    r, k = 1.0, i
    while k not in view.roots:
        p, j = view.parent[k]
        node = view.tree.nodes[p]
        r *= view.chance_probs(p)[j] if node.kind == CHANCE else beh[view.seq.infoset_of[p]][j]
        k = p
    return float(r)


def threat_sentence(view: TreeView, flag: tuple, st: Style) -> str:
    """'after ... (us_sanction), the United States would impose, but if it came to that it would hold ...' for
    a flag of `incredible`."""
    pos, node_i, bad, best, q, probs = flag
    node = view.tree.nodes[node_i]
    player, infoset, nodes = view.seq.infosets[pos]
    who = view.who(player)
    shown = sig_values([q[best], q[bad]])
    chance = f" (with probability {frac(probs[bad])})" if probs[bad] < 1 - 1e-9 else ""
    where = view.history(node_i) if len(nodes) == 1 else f"At information set {infoset}"
    where = where[0].lower() + where[1:]
    return (f"{where}, {who} would "
            f"{st(do(node.actions[bad]), 'red', 'bold')}{chance}, but if it came to that it would "
            f"{do(node.actions[best])} instead ({node.actions[best]} {shown[0]} > {node.actions[bad]} {shown[1]}).")
