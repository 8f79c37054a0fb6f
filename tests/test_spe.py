"""Subgame-perfect equilibrium: textbook games, tie rules, simultaneous-move subgames, batching, and
agreement with independent checks (reduced normal form regret, pygambit)."""

import numpy as np
import pytest
from test_tree import build, entry_deterrence, random_tree, to_gambit  # shared tree builders

from negosim.errors import UsageError
from negosim.game import GameTree, NormalFormGame
from negosim.game.reduce import reduced_normal_form, strategy_behavior
from negosim.solve import applicable_concepts, solve
from negosim.solve.pure import pure_nash
from negosim.solve.spe import subgame_perfect
from negosim.solve.subgames import subgame_roots
from negosim.solve.ties import TieRules


def behavior_of(eq, player, infoset):
    return eq.behavior[player][infoset]


def ultimatum(stake=4):
    """The proposer offers k of `stake` to the responder, who accepts (stake - k, k) or rejects (0, 0)."""
    actions = {f"offer{k}": {"id": f"r{k}", "player": "R", "actions": {"accept": f"deal{k}", "reject": f"no{k}"}}
               for k in range(stake + 1)}
    payoffs = {}
    for k in range(stake + 1):
        payoffs[f"deal{k}"] = [stake - k, k]
        payoffs[f"no{k}"] = [0, 0]
    return build(["P", "R"], {"id": "propose", "player": "P", "actions": actions}, payoffs)


def with_payoffs(tree, payoffs):
    return GameTree(tree.players, tree.nodes, tree.root, tree.outcomes, payoffs, tree.chance_probs)


def at_point(tree, b):
    probs = {k: v[b] for k, v in tree.chance_probs.items()}
    return GameTree(tree.players, tree.nodes, tree.root, tree.outcomes, tree.payoffs[b], probs)


# --- textbook games ----------------------------------------------------------------------------
def test_entry_deterrence_spe_is_enter_and_accommodate_and_drops_the_fight_threat():
    tree = entry_deterrence()
    (eq,) = subgame_perfect(tree).equilibria_at(0)
    assert eq.path == ["E:in", "I:accommodate"] and eq.outcome == "share"
    assert eq.payoffs == {"E": 1.0, "I": 1.0}
    sol = subgame_perfect(tree)
    assert sol.complete.item() and not sol.tied.any()
    # The normal form has a second pure Nash equilibrium, resting on the non-credible threat to fight.
    nash = pure_nash(reduced_normal_form(tree)).equilibria_at(0)
    profiles = {tuple(max(s, key=s.get) for s in e.strategies.values()) for e in nash}
    assert profiles == {("out", "fight"), ("in", "accommodate")}


def test_ultimatum_responder_accepts_zero_when_the_tie_rule_says_accept():
    sol = subgame_perfect(ultimatum(), ties=TieRules(prefer=("accept",)))
    (eq,) = sol.equilibria_at(0)
    assert eq.path == ["P:offer0", "R:accept"] and eq.payoffs == {"P": 4.0, "R": 0.0}
    assert eq.tied and not sol.complete.item() and sol.degenerate.item()
    assert eq.ties == ["R at r0: accept = reject (tie rule chose accept)"]
    assert sol.extra["tied_on_path"][0]
    assert any("other subgame-perfect equilibria" in n for n in sol.notes)


def test_ultimatum_responder_rejects_zero_when_the_tie_rule_prefers_reject():
    sol = subgame_perfect(ultimatum(), ties=TieRules(prefer=("reject",)))
    (eq,) = sol.equilibria_at(0)
    assert eq.path == ["P:offer1", "R:accept"] and eq.payoffs == {"P": 3.0, "R": 1.0}
    assert eq.tied and not sol.complete.item()
    assert eq.ties == ["R at r0: accept = reject (tie rule chose reject, off the equilibrium path)"]
    assert sol.extra["reach"]["r0"][0] == 0.0 and sol.extra["reach"]["r1"][0] == 1.0
    assert not sol.extra["tied_on_path"][0]


def test_centipede_first_mover_takes_at_once():
    spec = {"id": "s1", "player": "A", "actions": {"take": "t1", "pass": {"id": "s2", "player": "B", "actions": {
        "take": "t2", "pass": {"id": "s3", "player": "A", "actions": {"take": "t3", "pass": {
            "id": "s4", "player": "B", "actions": {"take": "t4", "pass": "end"}}}}}}}}
    tree = build(["A", "B"], spec, {"t1": [1, 0], "t2": [0, 2], "t3": [3, 1], "t4": [2, 4], "end": [5, 3]})
    sol = subgame_perfect(tree)
    (eq,) = sol.equilibria_at(0)
    assert eq.path == ["A:take"] and eq.payoffs == {"A": 1.0, "B": 0.0}
    assert all(sol.extra["choice"][s][0] == 0 for s in ("s1", "s2", "s3", "s4"))  # take everywhere
    assert sol.complete.item()
    np.testing.assert_array_equal(sol.extra["values"]["s3"][0], [3, 1])


def test_chance_node_values_are_expectations_over_the_batch():
    p = np.linspace(0, 1, 11)
    spec = {"id": "nature", "actions": {
        "high": {"id": "a_high", "player": "A", "actions": {"invest": "win", "safe": "s1"}},
        "low": {"id": "a_low", "player": "A", "actions": {"invest": "lose", "safe": "s2"}}}}
    tree = build(["A"], spec, {"win": [5.0], "s1": [1.0], "lose": [-2.0], "s2": [1.0]},
                 probs={"nature": np.stack([p, 1 - p], axis=-1)})
    sol = subgame_perfect(tree)
    np.testing.assert_allclose(sol.payoffs[:, 0], 5 * p + (1 - p))
    assert (sol.extra["choice"]["a_high"] == 0).all() and (sol.extra["choice"]["a_low"] == 1).all()
    np.testing.assert_allclose(sol.outcome_probs[:, [0, 3]], np.stack([p, 1 - p], axis=1))
    assert sol.point.tolist() == list(range(11))


# --- simultaneous-move subgames ----------------------------------------------------------------
def simultaneous_after_entry(matrix_a, matrix_b, out_payoffs):
    """A first chooses out (out_payoffs) or in; then A and B play a 2x2 game simultaneously."""
    acts_a, acts_b = ("x", "y"), ("u", "v")
    payoffs = {"out": out_payoffs}
    for i, a in enumerate(acts_a):
        for j, b in enumerate(acts_b):
            payoffs[f"{a}{b}"] = [matrix_a[i][j], matrix_b[i][j]]
    sub = {"id": "a_sim", "player": "A", "actions": {
        a: {"id": f"b_{a}", "player": "B", "infoset": "b_sim", "actions": {b: f"{a}{b}" for b in acts_b}}
        for a in acts_a}}
    return build(["A", "B"], {"id": "a_first", "player": "A", "actions": {"out": "out", "in": sub}}, payoffs)


def test_prisoners_dilemma_after_a_first_move_is_played_as_defect_defect():
    # x/u = cooperate, y/v = defect; mutual defection gives 1 each, so A takes "out" worth 2.
    tree = simultaneous_after_entry([[3, 0], [5, 1]], [[3, 5], [0, 1]], [2, 0])
    sol = subgame_perfect(tree)
    (eq,) = sol.equilibria_at(0)
    assert eq.path == ["A:out"] and eq.payoffs == {"A": 2.0, "B": 0.0}
    assert eq.behavior["A"]["a_sim"] == {"x": 0.0, "y": 1.0} and eq.behavior["B"]["b_sim"] == {"u": 0.0, "v": 1.0}
    np.testing.assert_allclose(sol.extra["values"]["a_sim"][0], [1, 1])
    assert sol.complete.item() and not eq.tied
    assert sol.extra["subgames"]["a_sim"].tolist() == [1]


def test_matching_pennies_subgame_mixed_value_propagates_up():
    tree = simultaneous_after_entry([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], [-0.5, 0.0])
    sol = subgame_perfect(tree)
    (eq,) = sol.equilibria_at(0)
    assert eq.path == ["A:in"]  # worth 0 > -0.5
    np.testing.assert_allclose(list(eq.behavior["A"]["a_sim"].values()), [0.5, 0.5])
    np.testing.assert_allclose(list(eq.behavior["B"]["b_sim"].values()), [0.5, 0.5])
    np.testing.assert_allclose(sol.payoffs[0], [0, 0], atol=1e-12)
    assert eq.outcome is None and sum(eq.outcome_probs.values()) == pytest.approx(1.0)
    assert sol.extra["choice"]["a_sim"][0] == -1  # mixed
    assert sol.complete.item()


def test_a_subgame_with_several_equilibria_names_its_selection_rule_and_says_others_exist():
    # Battle of the sexes: (x,u), (y,v) and a mixed equilibrium.
    tree = simultaneous_after_entry([[2, 0], [0, 1]], [[1, 0], [0, 2]], [0, 0])
    sol = subgame_perfect(tree)
    assert sol.extra["subgames"]["a_sim"].tolist() == [3]
    assert not sol.complete.item() and sol.tied.all() and sol.extra["selected"].all()
    (note,) = [n for n in sol.notes if "several equilibria" in n and "'a_sim'" in n]
    assert "selection rule" in note and "not a tie rule" in note and "another subgame-perfect equilibrium" in note
    (eq,) = sol.equilibria_at(0)
    assert any("3 equilibria" in t and "a selection, not a tie rule" in t for t in eq.ties)


def jordan_subgame(payoff_scale):
    """P1 can quit (0,0,0) or play a 3-player simultaneous game; with scale 1 it has no pure equilibrium
    (1 wants to match 2, 2 to match 3, 3 to mismatch 1); with scale 0 every profile is one."""
    payoffs = {"quit": np.zeros((2, 3))}
    for a in "HT":
        for b in "HT":
            for c in "HT":
                payoffs[a + b + c] = np.outer(payoff_scale, [a == b, b == c, c != a]).astype(float)
    game = {"id": "p1", "player": "P1", "infoset": "h1", "actions": {
        a: {"id": f"p2{a}", "player": "P2", "infoset": "h2", "actions": {
            b: {"id": f"p3{a}{b}", "player": "P3", "infoset": "h3", "actions": {c: a + b + c for c in "HT"}}
            for b in "HT"}} for a in "HT"}}
    start = {"id": "start", "player": "P1", "actions": {"quit": "quit", "play": game}}
    return build(["P1", "P2", "P3"], start, payoffs)


def test_three_player_subgame_without_pure_equilibrium_gets_its_mixed_one_and_backward_induction_goes_on():
    tree = jordan_subgame(np.array([1.0, 0.0]))
    sol = subgame_perfect(tree)
    assert sol.point.tolist() == [0, 1] and sol.complete.tolist() == [True, False]
    assert sol.extra["subgames"]["p1"].tolist() == [1, 8]  # scale 0: every profile, a degenerate subgame
    (eq,) = sol.equilibria_at(0)  # the only equilibrium of the cycle: everyone mixes half and half
    assert eq.behavior["P1"]["start"] == {"quit": 0.0, "play": 1.0}
    for player, infoset in (("P1", "h1"), ("P2", "h2"), ("P3", "h3")):
        assert eq.behavior[player][infoset] == pytest.approx({"H": 0.5, "T": 0.5}, abs=1e-12)
    assert eq.payoffs == pytest.approx({"P1": 0.5, "P2": 0.5, "P3": 0.5}, abs=1e-12)
    assert not sol.extra["selected"][0] and sol.extra["selected"][1]


def test_a_mixed_three_player_subgame_decides_the_first_move_as_its_exact_solution_says():
    """P1 quits for q or plays a 3-player pennies game with unequal stakes and no pure equilibrium: P1
    gets 2 for (H, H) and 1 for (T, T) with P2, P2 gets 1 for matching P3, P3 gets 3 for (H against
    P1's T) and 1 for (T against H). sympy solves the subgame support by support: its only equilibrium
    has P1 H 3/4, P2 H 1/3, P3 H 1/2, worth 2/3 to P1, so P1 plays at q = 0.5 and quits at q = 0.8."""
    from test_nplayer import _exact_equilibria_2x2x2

    pay = np.zeros((3, 2, 2, 2))
    for a, b, c in np.ndindex(2, 2, 2):  # 0 = H, 1 = T
        pay[(0, a, b, c)] = 2 * (a == b == 0) + (a == b == 1)
        pay[(1, a, b, c)] = b == c
        pay[(2, a, b, c)] = 3 * (c == 0 and a == 1) + (c == 1 and a == 0)
    (exact,) = _exact_equilibria_2x2x2(pay)
    assert exact[[0, 2, 4]] == pytest.approx([3 / 4, 1 / 3, 1 / 2], abs=1e-12)
    value = sum(exact[a] * exact[2 + b] * exact[4 + c] * pay[(slice(None), a, b, c)]
                for a, b, c in np.ndindex(2, 2, 2))
    assert value[0] == pytest.approx(2 / 3, abs=1e-12)
    q = np.array([0.5, 0.8])
    payoffs = {"quit": np.stack([q, 0 * q, 0 * q], axis=1)}
    for a, b, c in np.ndindex(2, 2, 2):
        payoffs["HT"[a] + "HT"[b] + "HT"[c]] = np.tile(pay[(slice(None), a, b, c)], (2, 1))
    leaves = {name: payoffs[name] for name in payoffs}
    game = {"id": "p1", "player": "P1", "infoset": "h1", "actions": {
        a: {"id": f"p2{a}", "player": "P2", "infoset": "h2", "actions": {
            b: {"id": f"p3{a}{b}", "player": "P3", "infoset": "h3", "actions": {c: a + b + c for c in "HT"}}
            for b in "HT"}} for a in "HT"}}
    tree = build(["P1", "P2", "P3"], {"id": "start", "player": "P1", "actions": {"quit": "quit", "play": game}},
                 leaves)
    sol = subgame_perfect(tree)
    assert sol.complete.all() and not sol.extra["selected"].any() and sol.extra["subgames"]["p1"].tolist() == [1, 1]
    play, quit_ = sol.equilibria_at(0)[0], sol.equilibria_at(1)[0]
    assert play.behavior["P1"]["start"]["play"] == 1.0 and quit_.behavior["P1"]["start"]["quit"] == 1.0
    for eq in (play, quit_):  # the subgame's equilibrium is played on and off the path alike
        got = [eq.behavior[p][h]["H"] for p, h in (("P1", "h1"), ("P2", "h2"), ("P3", "h3"))]
        assert got == pytest.approx(exact[[0, 2, 4]], abs=1e-9)
    assert play.payoffs == pytest.approx(dict(zip(("P1", "P2", "P3"), value)), abs=1e-9)
    assert quit_.payoffs == pytest.approx({"P1": 0.8, "P2": 0.0, "P3": 0.0}, abs=1e-12)


def test_one_player_who_cannot_see_the_coin_chooses_by_the_tie_rules():
    spec = {"id": "coin", "actions": {s: {"id": f"a_{s}", "player": "A", "infoset": "guess", "actions": {
        "left": f"{s}_left", "right": f"{s}_right"}} for s in ("heads", "tails")}}
    pay = {"heads_left": [2.0], "heads_right": [0.0], "tails_left": [0.0], "tails_right": [2.0]}
    tree = build(["A"], spec, pay, probs={"coin": [0.5, 0.5]})
    first = subgame_perfect(tree).equilibria_at(0)[0]
    assert first.behavior["A"]["guess"] == {"left": 1.0, "right": 0.0} and first.tied
    chosen = subgame_perfect(tree, ties=TieRules(prefer=("right",))).equilibria_at(0)[0]
    assert chosen.behavior["A"]["guess"] == {"left": 0.0, "right": 1.0} and chosen.payoffs == {"A": 1.0}


# --- batching and independent checks -----------------------------------------------------------
def test_batched_backward_induction_equals_point_by_point(rng):
    for _ in range(8):
        tree = random_tree(rng, batch=(5,), depth=3)
        if rng.random() < 0.5:  # generic payoffs: mixed equilibria in simultaneous subgames
            tree = with_payoffs(tree, rng.normal(size=tree.payoffs.shape))
        sol = subgame_perfect(tree)
        assert sol.point.tolist() == list(range(5))
        for b in range(5):
            one = subgame_perfect(at_point(tree, b))
            np.testing.assert_allclose(sol.payoffs[b], one.payoffs[0], atol=1e-12)
            for k in range(len(sol.behavior)):
                np.testing.assert_allclose(sol.behavior[k][b], one.behavior[k][0], atol=1e-9)
            assert sol.tied[b] == one.tied[0] and sol.complete[b] == one.complete.item()


def mixed_strategies_of(tree, sol):
    """Each player's mixed reduced strategy (E, n_strategies) realisation-equivalent to the behaviour."""
    index = {infoset: k for k, (_, infoset, _) in enumerate(tree.infosets())}
    out = []
    for plans in strategy_behavior(tree):
        cols = []
        for plan in plans:
            prob = np.ones(len(sol.point))
            for infoset, action in plan.items():
                k = index[infoset]
                prob = prob * sol.behavior[k][:, tree.nodes[tree.infosets()[k][2][0]].actions.index(action)]
            cols.append(prob)
        out.append(np.stack(cols, axis=1))
    return out


def normal_form_regret(nf, point, sigma):
    """Largest gain from a unilateral deviation to a pure reduced strategy, with plain numpy."""
    pay = nf.payoffs.reshape(nf.batch_size, nf.n_players, *nf.shape)[point]
    gains = []
    for i in range(nf.n_players):
        t = pay[:, i]
        for j in reversed(range(nf.n_players)):
            if j != i:
                t = np.einsum("e...k,ek->e...", np.moveaxis(t, j + 1, -1), sigma[j])
        gains.append(t.max(axis=1) - (t * sigma[i]).sum(axis=1))
    return np.max(gains, axis=0)


def test_every_spe_has_zero_regret_in_the_reduced_normal_form(rng):
    mixed = 0
    for _ in range(15):
        tree = random_tree(rng, players=("A", "B", "C")[: int(rng.integers(2, 4))], batch=(3,), depth=3)
        for payoffs in (tree.payoffs, rng.normal(size=tree.payoffs.shape)):  # many ties; generic
            game = with_payoffs(tree, payoffs)
            sol = subgame_perfect(game)
            sigma = mixed_strategies_of(game, sol)
            for s in sigma:
                np.testing.assert_allclose(s.sum(axis=1), 1.0)
            regret = normal_form_regret(reduced_normal_form(game), sol.point, sigma)
            assert (regret <= sol.tol.reshape(-1)[sol.point] * 10).all()
            mixed += sum(int(((b > 1e-9) & (b < 1 - 1e-9)).any()) for b in sol.behavior)
    assert mixed > 0  # the random games include mixed equilibria of simultaneous subgames


@pytest.mark.oracle
def test_subgame_roots_are_the_nodes_pygambit_calls_subgame_roots(pygambit, rng):
    for _ in range(10):
        tree = random_tree(rng, depth=3)
        g = to_gambit(pygambit, tree)
        theirs, stack = set(), [(tree.root, g.root)]
        while stack:
            i, gn = stack.pop()
            if gn.is_subgame_root and not gn.is_terminal:
                theirs.add(i)
            stack.extend((c, gn.children[a]) for a, c in zip(tree.nodes[i].actions, tree.nodes[i].children))
        ours = {i for i in subgame_roots(tree, tree.preorder()) if tree.nodes[i].kind != "terminal"}
        assert ours == theirs


@pytest.mark.oracle
def test_spe_agrees_with_pygambit_on_random_perfect_information_trees(pygambit, rng):
    for _ in range(10):
        shape = random_tree(rng, simultaneous=False, depth=3)
        tree = with_payoffs(shape, rng.normal(size=shape.payoffs.shape))  # generic: no ties
        sol = subgame_perfect(tree)
        assert sol.complete.item() and not sol.tied.any()
        (eq,) = sol.equilibria_at(0)
        g = to_gambit(pygambit, tree)
        nash_payoffs = [[float(e.payoff(p)) for p in g.players] for e in pygambit.nash.enumpure_solve(g).equilibria]
        assert any(np.allclose(list(eq.payoffs.values()), v, atol=1e-9) for v in nash_payoffs)
        # Sequential rationality checked with pygambit's own continuation values, on and off the path.
        profile = g.mixed_behavior_profile(rational=False)
        for sets in eq.behavior.values():
            for infoset, probs in sets.items():
                profile[g.infosets[infoset]] = list(probs.values())
        gnodes = {}
        stack = [(tree.root, g.root)]
        while stack:
            i, gn = stack.pop()
            gnodes[i] = gn
            for a, c in zip(tree.nodes[i].actions, tree.nodes[i].children):
                stack.append((c, gn.children[a]))
        players = list(g.players)
        for node in tree.nodes:
            if node.kind != "decision":
                continue
            values = [profile.node_value(players[node.player], gnodes[c]) for c in node.children]
            assert values[sol.extra["choice"][node.id][0]] == pytest.approx(max(values), abs=1e-9)
        assert [profile.node_value(p, g.root) for p in players] == pytest.approx(sol.payoffs[0].tolist())


def test_tie_descriptions_exist_exactly_for_tied_rows():
    offers = ultimatum()
    scale = np.array([1.0, 0.0, 2.0])[:, None, None]  # at scale 0 every decision is a tie
    sol = subgame_perfect(with_payoffs(offers, offers.payoffs * scale), ties=TieRules(prefer=("accept",)))
    descriptions = sol.extra["tie_descriptions"]
    assert sorted(descriptions) == np.flatnonzero(sol.tied).tolist() == [0, 1, 2]
    assert len(descriptions[1]) == 6  # the proposer and all five responder nodes
    clean = subgame_perfect(entry_deterrence())
    assert len(clean.extra["tie_descriptions"]) == 0 and clean.equilibria_at(0)[0].ties == []


# --- the solve dispatcher ----------------------------------------------------------------------
def test_solve_runs_spe_and_nash_on_a_tree_and_pure_and_nash_on_a_normal_form():
    tree = entry_deterrence()
    assert applicable_concepts(tree) == ("spe", "nash")
    spe, nash = solve(tree)
    assert (spe.concept, nash.concept) == ("spe", "nash")
    assert nash.game.actions == (("out", "in"), ("fight", "accommodate")) and nash.extra["tree"] is tree
    assert {"E": {"out": 0.0, "in": 1.0}, "I": {"fight": 0.0, "accommodate": 1.0}} in [
        e.strategies for e in nash.equilibria_at(0)]
    nf = NormalFormGame.from_bimatrix([[1, 0], [0, 1]], [[1, 0], [0, 1]])
    assert [s.concept for s in solve(nf)] == ["pure", "nash"] == list(applicable_concepts(nf))
    (pure,) = solve(tree, "pure")
    assert pure.counts().item() == 2


def test_solve_rejects_unknown_or_inapplicable_concepts_listing_the_valid_ones():
    with pytest.raises(UsageError,
                       match=r"unknown concept 'core'; valid concepts for a game tree: spe, pbe, pure, nash"):
        solve(entry_deterrence(), ["core"])
    nf = NormalFormGame.from_bimatrix([[1]], [[1]])
    with pytest.raises(UsageError, match=r"concept 'spe' does not apply to a normal-form game; .*: pure, nash"):
        solve(nf, "spe")


EQUAL_AFTER_CHANCE = """\
negosim: 1
id: equal
title: Equal payoffs after chance
players: [{id: A}, {id: B}]
parameters:
  v: {value: 0.1, range: [0, 1], description: every payoff}
game:
  form: extensive
  root: nature
  nodes:
    nature:
      chance:
        x: {prob: 0.1, next: a1}
        y: {prob: 0.7, next: a2}
        z: {prob: 0.2, next: a3}
    a1: {player: A, actions: {l: o1, r: o2}}
    a2: {player: B, actions: {l: o1, r: o2}}
    a3: {player: A, actions: {l: o1, r: o2}}
  outcomes:
    o1: {payoffs: {A: v, B: v}}
    o2: {payoffs: {A: v, B: v}}
"""


def test_a_chance_tree_with_every_payoff_equal_is_solved_not_refused(tmp_path):
    # Every payoff equal leaves a tolerance of rtol * 1e-12, below the rounding of 0.1 * v + 0.7 * v + 0.2 * v;
    # verification once raised on it. Every action is tied, the value is v, at one point and in a batch.
    import numpy as np

    from negosim.scenario import load_scenario

    path = tmp_path / "equal.yaml"
    path.write_text(EQUAL_AFTER_CHANCE)
    scenario = load_scenario(str(path))
    one = subgame_perfect(scenario.build())
    assert one.tied.all() and np.allclose(one.payoffs, 0.1)
    v = np.array([0.1, 0.3, 0.7, 1.0])
    batch = subgame_perfect(scenario.build({"v": v}))
    assert batch.tied.all() and np.allclose(batch.payoffs, v[batch.point][:, None])
