"""Game trees: structural checks name the culprit, and the reduced normal form is the textbook one
(hand-built matrices, per-point agreement with the batch, and pygambit's strategic form)."""

from fractions import Fraction

import numpy as np
import pytest

from negosim.errors import GameError
from negosim.game import GameTree, Node, Outcome
from negosim.game.reduce import reduced_normal_form, strategy_behavior
from negosim.solve.pure import pure_nash


# --- building trees from nested specs ----------------------------------------------------------
def build(players, spec, payoffs, probs=None):
    """A tree from a nested spec: a decision {"id", "player", "infoset"?, "actions": {a: child}},
    a chance node {"id", "actions": {a: child}} with probabilities `probs[id]`, or an outcome id."""
    nodes, outs, chance = [], list(payoffs), {}

    def add(s, nid):
        if isinstance(s, str):
            nodes.append(Node(nid, "terminal", outcome=outs.index(s)))
            return len(nodes) - 1
        idx, nid = len(nodes), s.get("id", nid)
        nodes.append(None)
        kids = tuple(add(c, f"{nid}.{a}") for a, c in s["actions"].items())
        if "player" in s:
            nodes[idx] = Node(nid, "decision", tuple(s["actions"]), kids, players.index(s["player"]), s.get("infoset"))
        else:
            nodes[idx] = Node(nid, "chance", tuple(s["actions"]), kids)
            chance[idx] = np.asarray(probs[nid], dtype=float)
        return idx

    add(spec, "root")
    pay = np.stack([np.asarray(payoffs[o], dtype=float) for o in outs], axis=-2)
    return GameTree(tuple(players), tuple(nodes), 0, tuple(Outcome(o) for o in outs), pay, chance)


def random_tree(rng, players=("A", "B"), depth=3, chance=True, simultaneous=True, batch=()):
    """A random tree with perfect recall: decisions, chance nodes, and 'simultaneous' gadgets where the
    second mover does not see the first mover's action (one information set across its nodes)."""
    payoffs, probs, counter = {}, {}, [0]

    def fresh(prefix):
        counter[0] += 1
        return f"{prefix}{counter[0]}"

    def leaf():
        o = fresh("o")
        payoffs[o] = rng.integers(-5, 6, size=(*batch, len(players))).astype(float)
        return o

    def gen(d):
        weights = np.array([0.15, 0.5, 0.15 if chance else 0.0, 0.2 if simultaneous else 0.0])
        kind = rng.choice(["leaf", "decision", "chance", "sim"], p=weights / weights.sum())
        if d == 0 or kind == "leaf":
            return leaf()
        k = int(rng.integers(2, 4))
        acts = [f"a{j}" for j in range(k)]
        if kind == "chance":
            nid = fresh("c")
            w = rng.integers(1, 4, size=(*batch, k)).astype(float)
            probs[nid] = w / w.sum(axis=-1, keepdims=True)
            return {"id": nid, "actions": {a: gen(d - 1) for a in acts}}
        p1 = str(rng.choice(players))
        nid = fresh("n")
        if kind == "decision":
            return {"id": nid, "player": p1, "actions": {a: gen(d - 1) for a in acts}}
        p2 = str(rng.choice([p for p in players if p != p1]))
        infoset, k2 = fresh("h"), int(rng.integers(2, 4))
        acts2 = [f"b{j}" for j in range(k2)]
        return {"id": nid, "player": p1, "actions": {
            a: {"id": fresh("n"), "player": p2, "infoset": infoset, "actions": {b: gen(d - 1) for b in acts2}}
            for a in acts}}

    spec = gen(depth)
    if isinstance(spec, str):
        spec = {"id": "n0", "player": players[0], "actions": {"x": spec, "y": leaf()}}
    return build(list(players), spec, payoffs, probs)


def small_random_tree(rng, max_profiles=300, **kw):
    """A random tree whose reduced normal form has at most `max_profiles` pure profiles (pygambit's
    strategic-form solvers are slow on large ones)."""
    while True:
        tree = random_tree(rng, **kw)
        if np.prod([len(s) for s in strategy_behavior(tree)]) <= max_profiles:
            return tree


def entry_deterrence():
    return build(["E", "I"], {"id": "entrant", "player": "E", "actions": {
        "out": "stay_out",
        "in": {"id": "incumbent", "player": "I", "actions": {"fight": "war", "accommodate": "share"}}}},
        {"stay_out": [0, 2], "war": [-1, -1], "share": [1, 1]})


def twice():
    """A moves, B moves, A moves again after B: A has 3 reduced strategies, not 4."""
    a2 = {"id": "a2", "player": "A", "actions": {"x": "o3", "y": "o4"}}
    b = {"id": "b", "player": "B", "actions": {"l": "o2", "r": a2}}
    payoffs = {"o1": [1, 0], "o2": [0, 1], "o3": [2, 2], "o4": [3, 0]}
    return build(["A", "B"], {"id": "a1", "player": "A", "actions": {"L": "o1", "R": b}}, payoffs)


def raw(nodes, players=("A", "B"), n_out=2, payoffs=None, probs=None, root=0):
    pay = np.zeros((n_out, len(players))) if payoffs is None else payoffs
    return GameTree(players, tuple(nodes), root, tuple(Outcome(f"o{i}") for i in range(n_out)), pay, probs or {})


def T(nid, o=0):
    return Node(nid, "terminal", outcome=o)


def D(nid, player, actions, children, infoset=None):
    return Node(nid, "decision", tuple(actions), tuple(children), player, infoset)


# --- structural checks -------------------------------------------------------------------------
def test_a_valid_tree_passes_and_a_node_without_infoset_is_its_own():
    tree = raw([D("r", 0, "ab", [1, 2]), T("x"), T("y", 1)])
    assert tree.nodes[0].infoset == "r"
    assert tree.infosets() == [(0, "r", (0,))]


def test_a_cycle_is_an_error_naming_the_node():
    with pytest.raises(GameError, match=r"node 'r' is its own descendant.*cycle through 'm'"):
        raw([D("r", 0, "ab", [1, 2]), D("m", 1, "c", [0]), T("x")])


def test_a_node_reached_twice_is_an_error_naming_it():
    with pytest.raises(GameError, match=r"node 'x' is reached twice \(from 'r' and from 'm'\)"):
        raw([D("r", 0, "ab", [2, 1]), D("m", 1, "c", [2]), T("x")])


def test_an_unreachable_node_is_an_error_naming_it():
    with pytest.raises(GameError, match=r"node 'lost' is not reachable from the root 'r'"):
        raw([D("r", 0, "ab", [1, 2]), T("x"), T("y"), T("lost")])


@pytest.mark.parametrize("nodes, root, message", [
    ([T("x")], 3, r"root index 3 is out of range"),
    ([D("r", 0, "ab", [1, 7]), T("x")], 0, r"node 'r' has child index 7 out of range"),
    ([D("r", 0, "", []), T("x")], 0, r"node 'r' has no actions"),
    ([D("r", 0, "abc", [1, 2]), T("x"), T("y")], 0, r"node 'r' has 3 actions but 2 children"),
    ([D("r", 0, ["a", "a"], [1, 2]), T("x"), T("y")], 0, r"node 'r' has repeated action labels"),
    ([D("r", 0, "ab", [1, 2]), T("x", 5), T("y")], 0, r"terminal node 'x' has outcome index 5"),
    ([D("r", 2, "ab", [1, 2]), T("x"), T("y")], 0, r"node 'r' has player index 2 out of range"),
    ([D("r", 0, "ab", [1, 2]), Node("x", "terminal", ("z",), (2,), outcome=0), T("y")], 0,
     r"node 'x' is terminal but has"),
    ([D("r", 0, "ab", [1, 2]), T("x"), T("x")], 0, r"node id 'x' is used by more than one node"),
])
def test_malformed_nodes_are_errors_naming_the_node(nodes, root, message):
    with pytest.raises(GameError, match=message):
        raw(nodes, root=root)


def test_chance_node_without_probabilities_or_with_the_wrong_shape_is_an_error():
    nodes = [Node("nature", "chance", ("h", "t"), (1, 2)), T("x"), T("y")]
    with pytest.raises(GameError, match=r"chance node 'nature' has no probabilities"):
        raw(nodes)
    with pytest.raises(GameError, match=r"chance node 'nature' has probabilities of shape \(3,\)"):
        raw(nodes, probs={0: [0.2, 0.3, 0.5]})


def test_an_information_set_across_players_is_an_error_naming_it():
    nodes = [D("r", 0, "ab", [1, 2]), D("m1", 1, "cd", [3, 4], "h"), D("m2", 0, "cd", [5, 6], "h"),
             T("t1"), T("t2"), T("t3"), T("t4")]
    with pytest.raises(GameError, match=r"information set 'h' mixes players 'B' \(node 'm1'\) and 'A' \(node 'm2'\)"):
        raw(nodes)


def test_an_information_set_with_different_actions_is_an_error_naming_it():
    nodes = [D("r", 0, "ab", [1, 2]), D("m1", 1, "cd", [3, 4], "h"), D("m2", 1, "ce", [5, 6], "h"),
             T("t1"), T("t2"), T("t3"), T("t4")]
    with pytest.raises(GameError, match=r"information set 'h' has different actions at node 'm1'"):
        raw(nodes)


def test_forgetting_ones_own_earlier_move_is_imperfect_recall():
    # A chooses a or b, then B moves, then A cannot tell whether it chose a or b.
    nodes = [D("r", 0, "ab", [1, 2]), D("b1", 1, "c", [3]), D("b2", 1, "c", [4]),
             D("a1", 0, "xy", [5, 6], "forget"), D("a2", 0, "xy", [7, 8], "forget"),
             T("t1"), T("t2"), T("t3"), T("t4")]
    with pytest.raises(GameError, match=r"information set 'forget' breaks perfect recall: player 'A' reaches "
                                        r"node 'a1' after \[r:a\] but node 'a2' after \[r:b\]"):
        raw(nodes)


def test_an_information_set_with_two_nodes_on_one_path_is_an_error():
    nodes = [D("r", 0, "ab", [1, 2], "h"), D("m", 0, "ab", [3, 4], "h"), T("t1"), T("t2"), T("t3")]
    with pytest.raises(GameError, match=r"information set 'h' has two nodes on one path \(node 'm'"):
        raw(nodes)


def test_chance_probabilities_summing_to_0_9_at_one_point_of_many_are_reported_with_that_point():
    p = np.tile([0.5, 0.5], (1000, 1))
    p[637] = [0.5, 0.4]
    nodes = [Node("nature", "chance", ("h", "t"), (1, 2)), T("x"), T("y", 1)]
    with pytest.raises(GameError, match=r"chance node 'nature': probabilities sum to 0\.9 at batch point 637"):
        raw(nodes, probs={0: p})


def test_a_negative_chance_probability_is_an_error():
    nodes = [Node("nature", "chance", ("h", "t"), (1, 2)), T("x"), T("y", 1)]
    with pytest.raises(GameError, match=r"probability of 't' is -0\.1 at batch point 0; probabilities must be >= 0"):
        raw(nodes, probs={0: [1.1, -0.1]})


def test_bad_payoff_arrays_are_errors():
    nodes = [D("r", 0, "ab", [1, 2]), T("x"), T("y", 1)]
    with pytest.raises(GameError, match=r"payoff array has shape \(2, 3\); expected \(\*batch, 2, 2\)"):
        raw(nodes, payoffs=np.zeros((2, 3)))
    pay = np.zeros((5, 2, 2))
    pay[3, 1, 0] = np.nan
    with pytest.raises(GameError, match=r"payoff of 'A' at outcome 'o1' is nan at batch point 3"):
        raw(nodes, payoffs=pay)


def test_batch_shapes_that_do_not_broadcast_are_an_error():
    nodes = [Node("nature", "chance", ("h", "t"), (1, 2)), T("x"), T("y", 1)]
    with pytest.raises(GameError, match=r"batch shapes do not broadcast"):
        raw(nodes, payoffs=np.zeros((4, 2, 2)), probs={0: np.full((3, 2), 0.5)})


# --- reduced normal form -----------------------------------------------------------------------
def test_entry_deterrence_reduces_to_the_textbook_2x2():
    nf = reduced_normal_form(entry_deterrence())
    assert nf.actions == (("out", "in"), ("fight", "accommodate"))
    expected_E = [[0, 0], [-1, 1]]
    expected_I = [[2, 2], [-1, 1]]
    np.testing.assert_array_equal(nf.payoffs, [expected_E, expected_I])
    assert nf.outcomes.tolist() == [["stay_out", "stay_out"], ["war", "share"]]


def test_a_player_moving_twice_has_three_reduced_strategies_not_four():
    nf = reduced_normal_form(twice())
    assert nf.actions == (("L", "R/x", "R/y"), ("l", "r"))
    np.testing.assert_array_equal(nf.payoffs[0], [[1, 1], [0, 2], [0, 3]])
    np.testing.assert_array_equal(nf.payoffs[1], [[0, 0], [1, 2], [1, 0]])
    assert strategy_behavior(twice())[0] == ({"a1": "L"}, {"a1": "R", "a2": "x"}, {"a1": "R", "a2": "y"})


def test_a_chance_move_weighs_the_leaves_and_leaves_the_outcome_uncertain():
    tree = build(["A"], {"id": "a", "player": "A", "actions": {
        "safe": "s", "bet": {"id": "coin", "actions": {"win": "w", "lose": "l"}}}},
        {"s": [1.0], "w": [4.0], "l": [-2.0]}, probs={"coin": [0.25, 0.75]})
    nf = reduced_normal_form(tree)
    np.testing.assert_allclose(nf.payoffs[0], [1.0, 0.25 * 4 - 0.75 * 2])
    assert nf.outcomes.tolist() == ["s", ""]


def test_batched_reduced_normal_form_equals_it_point_by_point(rng):
    for _ in range(5):
        tree = random_tree(rng, batch=(4,))
        nf = reduced_normal_form(tree)
        for b in range(4):
            probs = {k: v[b] for k, v in tree.chance_probs.items()}
            one = GameTree(tree.players, tree.nodes, tree.root, tree.outcomes, tree.payoffs[b], probs)
            np.testing.assert_allclose(nf.payoffs[b], reduced_normal_form(one).payoffs, atol=1e-12)


# --- agreement with pygambit -------------------------------------------------------------------
def to_gambit(gbt, tree):
    """The same tree (batch of one) in pygambit, with exact rational payoffs and probabilities."""
    g = gbt.Game.new_tree(players=list(tree.players))
    gnode, infosets = {tree.root: g.root}, {}
    for i in tree.preorder():
        node, here = tree.nodes[i], gnode[i]
        if node.kind == "terminal":
            pay = [Fraction(float(x)) for x in tree.payoffs[node.outcome]]  # exact binary fractions
            g.set_outcome(here, g.add_outcome(f"leaf{i}", pay))
            continue
        if node.kind == "chance":
            g.append_move(here, g.players.chance, list(node.actions))
            # small-denominator probabilities, recovered exactly so they sum to 1 in pygambit too
            probs = [Fraction(float(x)).limit_denominator(1000) for x in tree.chance_probs[i]]
            g.set_chance_probs(here.infoset, probs)
        elif node.infoset in infosets:
            g.append_infoset(here, infosets[node.infoset])
        else:
            g.append_move(here, tree.players[node.player], list(node.actions))
            infosets[node.infoset] = here.infoset
            here.infoset.label = node.infoset
        for a, c in zip(node.actions, node.children):
            gnode[c] = here.children[a]
    return g


def gambit_strategy_plans(player):
    """Each pygambit reduced strategy of a player as {infoset label: action label} ('*' = irrelevant)."""
    sets = list(player.infosets)
    if not sets:  # a player who never moves has one strategy, labelled "*"
        return [{}]
    plans = []
    for s in player.strategies:
        assert len(s.label) == len(sets)
        plans.append({h.label: list(h.actions)[int(c) - 1].label for h, c in zip(sets, s.label) if c != "*"})
    return plans


@pytest.mark.oracle
def test_reduced_normal_form_matches_pygambits_strategic_form(pygambit, rng):
    for _ in range(12):
        tree = small_random_tree(rng, players=("A", "B", "C")[: int(rng.integers(2, 4))])
        nf = reduced_normal_form(tree)
        g = to_gambit(pygambit, tree)
        players = list(g.players)
        ours = strategy_behavior(tree)
        perm = []
        for p, gp in enumerate(players):
            theirs = gambit_strategy_plans(gp)
            assert sorted(map(sorted, map(dict.items, theirs))) == sorted(map(sorted, map(dict.items, ours[p])))
            perm.append([ours[p].index(plan) for plan in theirs])
        arrays = g.to_arrays()
        for p in range(tree.n_players):
            mine = nf.payoffs[p][np.ix_(*perm)]
            np.testing.assert_allclose(mine, np.array(arrays[p], dtype=float), atol=1e-9)


@pytest.mark.oracle
def test_pure_equilibria_of_the_reduced_normal_form_match_pygambit(pygambit, rng):
    for _ in range(12):
        tree = small_random_tree(rng, players=("A", "B", "C")[: int(rng.integers(2, 4))])
        nf = reduced_normal_form(tree)
        ours = {tuple(np.round(e.payoffs[p], 9) for p in tree.players) for e in pure_nash(nf).equilibria_at(0)}
        g = to_gambit(pygambit, tree)
        theirs = {tuple(round(float(eq.payoff(p)), 9) for p in g.players)
                  for eq in pygambit.nash.enumpure_solve(g).equilibria}
        assert ours == theirs
