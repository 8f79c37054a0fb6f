"""The one-point pass of subgame-perfect equilibrium (`spe_point`) against the batched path: the same
`Solution` field by field on random trees, on the shipped tree scenarios, across batch sizes, and the
same `VerificationError` when an answer is wrong. `subgame_perfect` takes the compiled kernel where it
is built (`test_spe_native.py` compares it with the numpy pass); the corruption tests here patch the
numpy pass, so they switch the kernel off."""

import os
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negosim.api import open_source
from negosim.errors import NegosimUsageError, VerificationError
from negosim.game import GameTree
from negosim.game.tree import CHANCE, DECISION, TERMINAL, Node, Outcome
from negosim.solve import solve, spe, spe_point
from negosim.solve.spe import subgame_perfect
from negosim.solve.spe_shared import PointNodeArrays
from negosim.solve.ties import TieRules

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
LABELS = ("give", "take", "hold", "wait")
NUMPY_PASS = {"NEGOSIM_NATIVE": "0"}  # (the compiled kernel off: `spe_point`'s numpy pass)


def batched(tree, **kw):
    """The batched path's solution, with the one-point pass switched off."""
    with mock.patch.object(spe_point, "point_solution", lambda *a: None):
        return subgame_perfect(tree, **kw)


def random_point_tree(rng, *, players, depth, branch, chance, spread, scale, shuffle, batch_rank, shared):
    """A random perfect-information tree at one point: integer payoffs in [-spread, spread] (many ties)
    times 2**scale, chance nodes with probability `chance`, nodes numbered out of preorder when `shuffle`,
    leaves sharing outcomes when `shared`, and an unused outcome now and then."""
    spec: list = []

    def gen(d):
        me = len(spec)
        spec.append(None)
        if d == 0 or (me and rng.random() < 0.25):
            spec[me] = ("leaf",)
            return me
        k = int(rng.integers(1 if rng.random() < 0.1 else 2, branch + 1))
        kind = CHANCE if rng.random() < chance else DECISION
        spec[me] = (kind, int(rng.integers(players)), [gen(d - 1) for _ in range(k)])
        return me

    gen(depth)
    n = len(spec)
    perm = rng.permutation(n) if shuffle else np.arange(n)  # perm[preorder position] = node index
    nodes: list = [None] * n
    probs, leaf_count = {}, sum(1 for s in spec if s[0] == "leaf")
    n_out = max(1, leaf_count // 2) if shared else leaf_count + int(rng.random() < 0.3)
    next_leaf = 0
    for pos, s in enumerate(spec):
        i = int(perm[pos])
        if s[0] == "leaf":
            outcome = int(rng.integers(n_out)) if shared else next_leaf
            next_leaf += 1
            nodes[i] = Node(f"v{pos}", TERMINAL, outcome=outcome)
            continue
        kind, player, kids = s
        acts = tuple(str(a) for a in rng.permutation(LABELS)[:len(kids)])
        children = tuple(int(perm[c]) for c in kids)
        if kind == CHANCE:
            w = rng.integers(1, 4, size=len(kids)).astype(float)
            probs[i] = w / w.sum()
            nodes[i] = Node(f"v{pos}", CHANCE, acts, children)
        else:
            nodes[i] = Node(f"v{pos}", DECISION, acts, children, player=player)
    payoffs = np.ldexp(rng.integers(-spread, spread + 1, size=(n_out, players)).astype(float), scale)
    payoffs = payoffs.reshape((1,) * batch_rank + payoffs.shape)
    outcomes = tuple(Outcome(f"o{j}") for j in range(n_out))
    ids = [node.id for node in nodes if node.kind == DECISION]
    rules = TieRules(prefer=tuple(rng.permutation(LABELS)[:int(rng.integers(0, 3))]),
                     per_node={i: tuple(rng.permutation(LABELS)[:2]) for i in ids if rng.random() < 0.2})
    tree = GameTree(tuple("ABC"[:players]), tuple(nodes), int(perm[0]), outcomes, payoffs, probs,
                    ties=rules if rng.random() < 0.6 else TieRules())
    return tree


def solve_both_ways(tree, **kw):
    """(fast, slow) solutions, or the two VerificationError messages when the batched path refuses its answer
    (it does on chance trees whose payoffs are all equal: rounding in the expectation exceeds a tolerance of
    rtol * 1e-12; those trees take the batched path on both sides)."""
    try:
        slow = batched(tree, **kw)
    except VerificationError as error:
        with pytest.raises(VerificationError) as caught:
            subgame_perfect(tree, **kw)
        assert str(caught.value) == str(error)
        return None, None
    return subgame_perfect(tree, **kw), slow


def assert_same_array(a, b, what):
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape and a.dtype == b.dtype, (what, a.shape, b.shape, a.dtype, b.dtype)
    np.testing.assert_array_equal(a, b, err_msg=what)


def assert_same_solution(fast, slow):
    """Every field and every entry of `extra` (mappings compared key by key, in order)."""
    for name in ("concept", "method", "batch_shape", "notes", "game"):
        assert getattr(fast, name) == getattr(slow, name) if name != "game" else fast.game is slow.game, name
    for name in ("point", "payoffs", "regret", "tied", "complete", "degenerate", "tol", "outcome_probs"):
        assert_same_array(getattr(fast, name), getattr(slow, name), name)
    assert fast.strategies == slow.strategies == ()
    assert len(fast.behavior) == len(slow.behavior)
    for k, (a, b) in enumerate(zip(fast.behavior, slow.behavior)):
        assert_same_array(a, b, f"behavior {k}")
    assert list(fast.extra) == list(slow.extra)
    for key in ("choice", "values", "reach", "tied_actions", "subgames"):
        assert list(fast.extra[key]) == list(slow.extra[key]), key
        for node_id in slow.extra[key]:
            assert_same_array(fast.extra[key][node_id], slow.extra[key][node_id], f"{key}[{node_id}]")
    for key in ("tied_on_path", "selected"):
        assert_same_array(fast.extra[key], slow.extra[key], key)
    assert fast.extra["tie_rules"] == slow.extra["tie_rules"]
    a, b = fast.extra["tie_descriptions"], slow.extra["tie_descriptions"]
    assert list(a) == list(b) and len(a) == len(b) and {e: a[e] for e in a} == {e: b[e] for e in b}
    for e in range(len(fast.point) + 1):
        assert a.get(e) == b.get(e)
    assert [vars(x) for x in fast.equilibria_at(0)] == [vars(x) for x in slow.equilibria_at(0)]


trees = st.builds(
    dict, players=st.integers(1, 3), depth=st.integers(1, 6), branch=st.integers(2, 4),
    chance=st.sampled_from([0.0, 0.0, 0.2, 0.5]), spread=st.sampled_from([1, 2, 5, 1000]),
    scale=st.sampled_from([0, 0, -900, 900, -3]), shuffle=st.booleans(), batch_rank=st.integers(0, 2),
    shared=st.booleans())


@settings(max_examples=150, deadline=None)
@given(shape=trees, seed=st.integers(0, 2**32 - 1))
def test_one_point_pass_gives_the_batched_paths_solution_field_by_field(shape, seed):
    tree = random_point_tree(np.random.default_rng(seed), **shape)
    fast, slow = solve_both_ways(tree)
    if slow is None:
        assert tree.chance_probs
        return
    took_it = isinstance(fast.extra["values"], PointNodeArrays)
    assert took_it == any(node.kind == DECISION for node in tree.nodes)  # perfect information: the fast pass
    assert_same_solution(fast, slow)


@settings(max_examples=40, deadline=None)
@given(shape=trees, seed=st.integers(0, 2**32 - 1), rtol=st.sampled_from([1e-9, 1e-3, 0.3]))
def test_tolerance_and_explicit_tie_rules_reach_the_one_point_pass(shape, seed, rtol):
    tree = random_point_tree(np.random.default_rng(seed), **{**shape, "chance": 0.0})
    rules = TieRules(prefer=("wait", "hold"))
    assert_same_solution(*solve_both_ways(tree, ties=rules, rtol=rtol))


@settings(max_examples=30, deadline=None)
@given(shape=trees, seed=st.integers(0, 2**32 - 1), points=st.integers(2, 4))
def test_a_batch_solved_at_once_equals_its_points_solved_one_by_one(shape, seed, points):
    """Chunk size cannot change an answer: a sweep chunk of one point takes the one-point pass."""
    rng = np.random.default_rng(seed)
    tree = random_point_tree(rng, **{**shape, "chance": 0.0, "batch_rank": 0})
    pay = np.ldexp(rng.integers(-2, 3, size=(points, *tree.payoffs.shape)).astype(float), shape["scale"])
    batch = GameTree(tree.players, tree.nodes, tree.root, tree.outcomes, pay, ties=tree.ties)
    whole = subgame_perfect(batch)
    for b in range(points):
        one = subgame_perfect(GameTree(tree.players, tree.nodes, tree.root, tree.outcomes, pay[b], ties=tree.ties))
        assert isinstance(one.extra["values"], PointNodeArrays)
        for name in ("payoffs", "regret", "tied", "outcome_probs"):
            np.testing.assert_array_equal(getattr(whole, name)[b], getattr(one, name)[0], err_msg=name)
        for name in ("complete", "degenerate", "tol"):
            assert getattr(whole, name).reshape(-1)[b] == getattr(one, name).item(), name
        for k in range(len(one.behavior)):
            np.testing.assert_array_equal(whole.behavior[k][b], one.behavior[k][0])
        for key in ("choice", "values", "reach", "tied_actions"):
            assert list(whole.extra[key]) == list(one.extra[key])
            for node_id, rows in whole.extra[key].items():
                np.testing.assert_array_equal(rows[b], one.extra[key][node_id][0], err_msg=f"{key}[{node_id}]")
        assert whole.extra["tie_descriptions"].get(b) == one.extra["tie_descriptions"].get(0)
        assert whole.equilibria_at(b)[0].ties == one.equilibria_at(0)[0].ties


def shipped_trees():
    out = []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        try:
            game = open_source(str(path)).game
        except NegosimUsageError:  # a bargaining scenario: no game tree to solve
            continue
        if isinstance(game, GameTree) and game.batch_size == 1:
            out.append(pytest.param(game, id=path.stem))
    return out


@pytest.mark.parametrize("tree", shipped_trees())
def test_shipped_tree_scenarios_are_solved_the_same_both_ways(tree):
    fast, slow = subgame_perfect(tree), batched(tree)
    assert_same_solution(fast, slow)
    (front,) = solve(tree, "spe")
    assert_same_solution(front, slow)


def test_the_fast_pass_serves_the_perfect_information_scenarios_and_leaves_the_others():
    served = {p.id: isinstance(subgame_perfect(p.values[0]).extra["values"], PointNodeArrays)
              for p in shipped_trees()}
    assert served["entry_deterrence"] and served["ultimatum"]
    assert not served["sanctions_uncertain"] and not served["beer_quiche"]  # imperfect information: batched


@settings(max_examples=60, deadline=None)
@given(shape=trees, seed=st.integers(0, 2**32 - 1))
def test_chance_nodes_take_the_one_point_pass_and_round_as_the_batched_path_does(shape, seed):
    """Probabilities such as 1/3 and 2/7 round; every product and sum must round as in the batched path."""
    tree = random_point_tree(np.random.default_rng(seed), **{**shape, "chance": 0.5, "depth": max(shape["depth"], 3)})
    fast, slow = solve_both_ways(tree)
    if slow is not None:
        assert isinstance(fast.extra["values"], PointNodeArrays) == any(n.kind == DECISION for n in tree.nodes)
        assert_same_solution(fast, slow)


def wrong_choice_at_root(tree, fast_side):
    """Solve with the root's choice replaced by its worst action (values left as computed)."""
    root = tree.root
    if fast_side:
        real = spe_point._backward

        def corrupt(tree_, s, ties, rtol):
            out = list(real(tree_, s, ties, rtol))
            values, choice = out[3], out[5]
            own = values[s.kids[s.offset[root]:s.offset[root] + s.count[root]], s.code[root]]
            choice[root] = int(np.argmin(own))
            return tuple(out)

        with mock.patch.object(spe_point, "_backward", corrupt), mock.patch.dict(os.environ, NUMPY_PASS):
            return subgame_perfect(tree)
    real_decide = spe._decide

    def decide(node, kids, tol, ties):
        choice, tied, value = real_decide(node, kids, tol, ties)
        if node is tree.nodes[root]:
            choice = np.full_like(choice, int(np.argmin([v[node.player][0] for v in kids])))
        return choice, tied, value

    with mock.patch.object(spe, "_decide", decide):
        return batched(tree)


def wrong_root_value(tree, fast_side):
    """Solve with the root's value shifted by 1 (its choice left as computed)."""
    if fast_side:
        real = spe_point._backward

        def corrupt(tree_, s, ties, rtol):
            out = list(real(tree_, s, ties, rtol))
            out[3][tree.root] += 1.0
            return tuple(out)

        with mock.patch.object(spe_point, "_backward", corrupt), mock.patch.dict(os.environ, NUMPY_PASS):
            return subgame_perfect(tree)
    real_decide = spe._decide

    def decide(node, kids, tol, ties):
        choice, tied, value = real_decide(node, kids, tol, ties)
        return choice, tied, value + 1.0 if node is tree.nodes[tree.root] else value

    with mock.patch.object(spe, "_decide", decide):
        return batched(tree)


@pytest.mark.parametrize("corrupt", [wrong_choice_at_root, wrong_root_value])
def test_a_wrong_answer_raises_the_same_verification_error_on_both_paths(corrupt):
    tree = open_source(str(SCENARIOS / "entry_deterrence.yaml")).game
    messages = []
    for fast_side in (True, False):
        with pytest.raises(VerificationError) as caught:
            corrupt(tree, fast_side)
        messages.append(str(caught.value))
    assert messages[0] == messages[1]
    assert "entrant" in messages[0] or "root value" in messages[0]


def test_node_mappings_answer_lookups_like_dicts():
    tree = open_source(str(SCENARIOS / "entry_deterrence.yaml")).game
    sol = subgame_perfect(tree)
    choice = sol.extra["choice"]
    decisions = [n.id for n in tree.nodes if n.kind == DECISION]
    assert list(choice) == decisions and len(choice) == len(decisions)
    assert "nowhere" not in choice and choice.get("nowhere") is None
    assert all(n.id in sol.extra["values"] for n in tree.nodes)
    assert sol.extra["tied_actions"][decisions[0]].shape == (1, len(tree.nodes[0].actions))


@pytest.mark.parametrize("name", ["entry_deterrence", "ceasefire_2025"])
def test_a_sweep_in_chunks_of_one_point_writes_the_same_results_as_in_one_chunk(name, tmp_path):
    """A sweep in chunks of one point writes the same table as in one chunk, byte for byte (whichever path
    each chunk takes: the compiled program, the one-point pass or the batched solve)."""
    from negosim.scenario import load_scenario
    from negosim.sweep.engine import run_sweep

    scenario = load_scenario(str(SCENARIOS / f"{name}.yaml"))
    parameter = next(iter(scenario.values()))
    vary = {parameter: (0.0, 1.0, 7)}
    run_sweep(scenario, vary, out_dir=tmp_path / "one", chunk_size=1, table="csv")
    run_sweep(scenario, vary, out_dir=tmp_path / "all", chunk_size=1000, table="csv")
    assert (tmp_path / "one" / "results.csv").read_bytes() == (tmp_path / "all" / "results.csv").read_bytes()
