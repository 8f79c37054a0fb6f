"""The end of a played game tree: the subgame-perfect equilibrium, and the student's choices and payoff
compared with it."""

from __future__ import annotations

from ..text import fmt_mixed, fmt_number, fmt_prob
from ..text.wording import and_list
from .tree import titled


def compare_payoff(mine: float, best: float, tol: float, expected: bool) -> str:
    """'Your payoff: 0.49; in the equilibrium: 0.545 (0.055 less).'"""
    diff = mine - best
    if abs(diff) <= tol:
        how = "the same"
    else:
        how = f"{fmt_number(abs(diff))} {'more' if diff > 0 else 'less'}"
    line = f"Your payoff: {fmt_number(mine)}; in the equilibrium: {fmt_number(best)} ({how})."
    if expected:
        line += " (The equilibrium payoff is an average over chance and mixed moves; yours is one draw.)"
    return line


def reveal_tree(session, leaf: int) -> None:
    """Print the equilibrium play and payoffs, then the student's decisions and payoff against them."""
    s, tree, con = session, session.tree, session.con
    con.say("", "== The equilibrium (subgame-perfect, found by backward induction) ==")
    if s.eq is None:
        con.say("negosim found no subgame-perfect equilibrium of this game to compare with "
                "(a simultaneous-move part of it has no pure equilibrium).")
        return
    eq = s.eq
    if s.index is not None and s.opponents == "equilibrium":
        con.say(f"(The other players followed {s.followed(plan=True)}.)")
    path = " -> ".join(step.replace(":", " ") for step in eq.path or [])
    if eq.outcome is not None:
        o = next(o for o in tree.outcomes if o.id == eq.outcome)
        con.say(f"Play: {path or '(no decision)'} => {titled(o.id, o.label)}")
    else:
        spread = ", ".join(f"{o} {fmt_prob(p)}" for o, p in (eq.outcome_probs or {}).items())
        con.say(f"Play: {path + ' -> ' if path else ''}{'then ' if path else ''}chance or mixing decides "
                f"the outcome: {spread}")
    con.say(("Expected payoffs: " if eq.outcome is None else "Payoffs: ")
            + s._fmt_payoffs([eq.payoffs[p] for p in tree.players]))
    con.say("Each player's plan (a choice at every decision, on and off the play):")
    for player, sets in eq.behavior.items():
        if sets:
            con.say(f"  {player}: " + "; ".join(f"{k} {fmt_mixed(a)}" for k, a in sets.items()))
    if eq.ties:
        con.say("Ties broken by the tie rules: " + "; ".join(eq.ties) + ".")
    mine = [st for st in s.steps if st.student]
    con.say("", "Your decisions:")
    if not mine:
        con.say("  none: the game ended before you had to decide.")
    verdicts = []
    for st in mine:
        verdict, kind = _judge(s, st)
        verdicts.append(kind)
        node = tree.nodes[st.node]
        where = titled(node.id, node.label)
        if len(s.infoset_nodes[st.node]) > 1:
            where = f"information set {node.infoset} (you were at {node.id})"
        con.say(f"  at {where}:", f"    {verdict}")
    if mine:
        line = (f"You matched the equilibrium at {verdicts.count('match')} of {len(mine)} "
                f"decision{'s' if len(mine) > 1 else ''}")
        ties = verdicts.count("tie")
        if ties:
            line += f"; at {ties} more your choice was just as good (a tie)"
        nash = verdicts.count("nash")
        if nash:
            line += f"; at {nash} more a Nash equilibrium that is not subgame perfect prescribes your choice"
        con.say(line + ".")
    o = tree.nodes[leaf].outcome
    expected = eq.outcome is None
    con.say(compare_payoff(float(s.payoffs[o, s.student]), eq.payoffs[s.me], s.tol, expected))
    _others(s)


def _judge(s, st) -> tuple[str, str]:
    """A sentence comparing the student's choice at a step with the subgame-perfect equilibrium's, and the
    verdict: "match" (an action it uses), "tie" (another action, equally good), "nash" (an action only Nash
    equilibria that are not subgame perfect prescribe here) or "differ" (no equilibrium prescribes it)."""
    tree, node = s.tree, s.tree.nodes[st.node]
    p = s.spe_behaviour[st.node]
    eq_choice = fmt_mixed(dict(zip(node.actions, (float(x) for x in p))))
    head = f"you chose {st.label}; the subgame-perfect equilibrium chooses {eq_choice}."
    if p[st.action] >= 1.0:
        return head + " Match.", "match"
    if p[st.action] > 0:
        return head + " Match: your action is one the equilibrium mixes over.", "match"
    values = s.spe.extra["values"]
    worth = {j: float(values[tree.nodes[c].id][s.e, s.student]) for j, c in enumerate(node.children)}
    best = int(max(range(len(p)), key=lambda j: p[j]))
    tied = s.spe.extra["tied_actions"].get(node.id)
    if tied is not None and tied[s.e, st.action]:
        return head + (f" Different, but just as good for you: both are worth {fmt_number(worth[st.action])} "
                       "if everyone then follows the equilibrium (a tie, broken by the tie rules)."), "tie"
    compare = (f"if everyone then follows the subgame-perfect equilibrium, {st.label} is worth "
               f"{fmt_number(worth[st.action])} to you and {node.actions[best]} {fmt_number(worth[best])}.")
    eqs, behaviours, _ = s.nash_equilibria()
    uses = [k + 1 for k, b in enumerate(behaviours) if st.node in b and b[st.node][st.action] > 1e-9]
    if uses:
        many = len(uses) > 1
        return head + (f" Not the subgame-perfect choice, but Nash equilibri{'a' if many else 'um'} "
                       f"{and_list([str(k) for k in uses])} of the normal form (of {len(eqs)}) "
                       f"{'have' if many else 'has'} you choose it here (see `negosim explain` for the threats "
                       f"they rest on); {compare}"), "nash"
    return head + f" Different: {compare}", "differ"


def _others(s) -> None:
    """Say how the other players chose, and where they left the equilibrium."""
    con, tree = s.con, s.tree
    off = []
    for st in s.steps:
        node = tree.nodes[st.node]
        if st.student or st.mover == "Chance" or s.spe_behaviour[st.node][st.action] > 0:
            continue
        off.append(f"{st.mover} at {node.id}: {st.label} (equilibrium: "
                   f"{fmt_mixed(dict(zip(node.actions, (float(x) for x in s.spe_behaviour[st.node]))))})")
    if s.opponents == "random":
        con.say("The other players chose at random, not by the equilibrium, so your payoff also reflects their "
                "luck.")
        if off:
            con.say("Their choices that differ from the equilibrium: " + "; ".join(off) + ".")
    elif s.index is not None:  # they followed a Nash equilibrium that may leave the subgame-perfect plan
        if off:
            con.say("Their choices that differ from the subgame-perfect equilibrium's plan: " + "; ".join(off) + ".")
    elif any(not st.student for st in s.steps if st.mover != "Chance"):
        con.say("The other players followed the equilibrium, which plans a best reply at every decision, "
                "including after a deviation.")
