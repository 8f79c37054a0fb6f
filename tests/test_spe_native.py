"""The compiled one-point kernel of subgame-perfect equilibrium (`spe_native`, ``negosim/native/spe_point.c``)
against the numpy pass (`spe_point` with ``NEGOSIM_NATIVE=0``) and the batched path: the same `Solution`
field by field on random trees with chance nodes, ties (integer payoffs), tie rules and payoffs scaled
by 2**-900 .. 2**900; the same `VerificationError` when an answer is wrong; and a clear exception, never a
crash, on malformed input to the kernel."""

import os
import sys
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from test_spe_point import (
    NUMPY_PASS,
    SCENARIOS,
    assert_same_solution,
    batched,
    random_point_tree,
    trees,
    wrong_choice_at_root,
    wrong_root_value,
)

from negosim.api import open_source
from negosim.errors import VerificationError
from negosim.game.tree import DECISION, TERMINAL, Node
from negosim.native import load
from negosim.solve import spe_native, spe_point
from negosim.solve.spe import subgame_perfect
from negosim.solve.ties import TieRules

KERNEL = load("spe_point")
pytestmark = pytest.mark.skipif(KERNEL is None, reason="the compiled kernel spe_point is not built")


def three_ways(tree, **kw):
    """(compiled, numpy pass, batched) solutions, or the three VerificationError messages."""
    calls = []
    real = spe_native.native_solution

    def spy(*args):
        calls.append("called")  # (replaced by the answer unless the kernel's answer fails verification)
        calls[-1] = real(*args)
        return calls[-1]

    answers = []
    for solve in (lambda: _with(spy, tree, kw), lambda: _numpy(tree, kw), lambda: batched(tree, **kw)):
        try:
            answers.append(solve())
        except VerificationError as error:
            answers.append(str(error))
    assert calls and calls[0] is not NotImplemented, "the kernel declined"
    return answers


def _with(spy, tree, kw):
    with mock.patch.object(spe_native, "native_solution", spy):
        return subgame_perfect(tree, **kw)


def _numpy(tree, kw):
    with mock.patch.dict(os.environ, NUMPY_PASS):
        return subgame_perfect(tree, **kw)


def assert_all_the_same(tree, **kw):
    compiled, numpy_pass, slow = three_ways(tree, **kw)
    if isinstance(slow, str):  # the batched path refuses its answer: so must both one-point passes, alike
        assert compiled == numpy_pass == slow
        return
    assert_same_solution(numpy_pass, slow)
    assert_same_solution(compiled, slow)


@settings(max_examples=200, deadline=None)
@given(shape=trees, seed=st.integers(0, 2**32 - 1))
def test_the_kernel_gives_the_numpy_pass_and_the_batched_solution_field_by_field(shape, seed):
    assert_all_the_same(random_point_tree(np.random.default_rng(seed), **shape))


@settings(max_examples=80, deadline=None)
@given(shape=trees, seed=st.integers(0, 2**32 - 1))
def test_chance_nodes_round_in_the_kernel_as_in_the_batched_path(shape, seed):
    """Probabilities such as 1/3 and 2/7 round: values, reach, outcome distribution and best replies
    must be formed in the batched path's order."""
    tree = random_point_tree(np.random.default_rng(seed), **{**shape, "chance": 0.5, "depth": max(shape["depth"], 3)})
    assert_all_the_same(tree)


@settings(max_examples=60, deadline=None)
@given(shape=trees, seed=st.integers(0, 2**32 - 1), rtol=st.sampled_from([1e-9, 1e-3, 0.3]),
       rules=st.sampled_from([TieRules(), TieRules(prefer=("wait", "hold")), TieRules(prefer=("take",))]))
def test_tolerances_and_tie_rules_choose_as_in_the_batched_path(shape, seed, rtol, rules):
    """Wide tolerances tie most actions; the tie rules (asked from the kernel only at tied nodes) choose."""
    tree = random_point_tree(np.random.default_rng(seed), **{**shape, "spread": 2})
    assert_all_the_same(tree, ties=rules, rtol=rtol)


@pytest.mark.parametrize("depth", [4, 6])
def test_the_benchmark_trees_are_solved_the_same_three_ways(depth):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from tree_yaml import tree_yaml

    from negosim.scenario.build import build_game
    from negosim.scenario.validate import scenario_from_document
    from negosim.scenario.yamlio import parse_yaml

    tree = build_game(scenario_from_document(parse_yaml(tree_yaml(depth, formulas=5).encode(), "t.yaml")))
    compiled, numpy_pass, slow = three_ways(tree)
    assert compiled.extra["tie_descriptions"]  # five payoff pairs over 729 leaves: ties everywhere
    assert_same_solution(numpy_pass, slow)
    assert_same_solution(compiled, slow)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_large_random_trees_are_solved_as_the_numpy_pass_solves_them(seed):
    """Thousands of nodes, chance nodes and ties: the kernel against the numpy pass (itself compared with
    the batched path above, which is slow at this size)."""
    shape = dict(players=3, depth=10, branch=4, chance=0.2, spread=3, scale=0, shuffle=True, batch_rank=0,
                 shared=True)
    tree = random_point_tree(np.random.default_rng(seed), **shape)
    assert len(tree.nodes) > 500
    compiled, numpy_pass = subgame_perfect(tree), _numpy(tree, {})
    assert compiled.extra["tie_descriptions"]
    assert_same_solution(compiled, numpy_pass)


def corrupt_kernel(change):
    """A stand-in for the kernel whose `solve` changes the outputs it wrote (the `gaps` check is the real one)."""

    class Corrupt:
        gaps = staticmethod(KERNEL.gaps)

        @staticmethod
        def solve(nodes, root, pay, n_players, chance, rtol, priority, outputs):
            answer = KERNEL.solve(nodes, root, pay, n_players, chance, rtol, priority, outputs)
            change(root, outputs)
            return answer

    return Corrupt


def worst_choice_at_root(root, outputs):
    values, choice, kids, spans, code = outputs[0], outputs[1], outputs[4], outputs[6], outputs[11]
    own = values[kids[spans[root, 0]:spans[root, 1]], code[root]]
    choice[root] = int(np.argmin(own))


def root_value_plus_one(root, outputs):
    outputs[0][root] += 1.0


@pytest.mark.parametrize("change, batched_side", [(worst_choice_at_root, wrong_choice_at_root),
                                                  (root_value_plus_one, wrong_root_value)])
def test_a_wrong_answer_from_the_kernel_raises_the_batched_paths_verification_error(change, batched_side):
    tree = open_source(str(SCENARIOS / "entry_deterrence.yaml")).game
    with pytest.raises(VerificationError) as slow:
        batched_side(tree, False)
    with mock.patch.object(spe_point, "_kernel", lambda: corrupt_kernel(change)), \
            pytest.raises(VerificationError) as fast:
        subgame_perfect(tree)
    assert str(fast.value) == str(slow.value)


def test_trees_the_one_point_pass_leaves_to_the_batched_path_are_left_alike():
    imperfect = open_source(str(SCENARIOS / "beer_quiche.yaml")).game
    assert spe_native.native_solution(KERNEL, imperfect, imperfect.ties, 1e-9) is None
    leaf_only = open_source(str(SCENARIOS / "entry_deterrence.yaml")).game
    nodes = (Node("only", TERMINAL, outcome=0),)
    assert KERNEL.solve(nodes, 0, leaf_only.payoffs.reshape(-1), 2, None, 1e-9, None, outputs(1, 2, 3)) is None


def outputs(n, players, n_out):
    """Arrays of the sizes and dtypes `spe_native` passes (zeros: the kernel leaves the ends of some unwritten)."""
    i8 = np.int64
    return (np.zeros((n, players)), np.zeros(n, i8), np.zeros(n), np.zeros(n - 1, bool), np.zeros(n - 1, i8),
            np.zeros(n - 1), np.zeros((n, 2), i8), np.zeros(n, i8), np.zeros(n, i8), np.zeros((n_out, 1)),
            np.zeros((players, 1)), np.zeros(n, i8))


def two_leaves(children=(1, 2), player=0, outcome=0):
    return (Node("r", DECISION, ("a", "b"), children, player=player, infoset="r"),
            Node("x", TERMINAL, outcome=outcome), Node("y", TERMINAL, outcome=1))


PAY = np.array([1.0, 0.0, 0.0, 1.0])


@pytest.mark.parametrize("call, error", [
    (lambda: KERNEL.solve(two_leaves(), 0, PAY, 2, None, 1e-9, None, outputs(3, 2, 2)), None),
    (lambda: KERNEL.solve(two_leaves((1, 7)), 0, PAY, 2, None, 1e-9, None, outputs(3, 2, 2)), ValueError),
    (lambda: KERNEL.solve(two_leaves((1, 1)), 0, PAY, 2, None, 1e-9, None, outputs(3, 2, 2)), ValueError),
    (lambda: KERNEL.solve(two_leaves((0, 2)), 0, PAY, 2, None, 1e-9, None, outputs(3, 2, 2)), ValueError),
    (lambda: KERNEL.solve(two_leaves(player=5), 0, PAY, 2, None, 1e-9, None, outputs(3, 2, 2)), ValueError),
    (lambda: KERNEL.solve(two_leaves(player=None), 0, PAY, 2, None, 1e-9, None, outputs(3, 2, 2)), TypeError),
    (lambda: KERNEL.solve(two_leaves(player=0.0), 0, PAY, 2, None, 1e-9, None, outputs(3, 2, 2)), TypeError),
    (lambda: KERNEL.solve(two_leaves(outcome=-1), 0, PAY, 2, None, 1e-9, None, outputs(3, 2, 2)), ValueError),
    (lambda: KERNEL.solve(two_leaves(), 3, PAY, 2, None, 1e-9, None, outputs(3, 2, 2)), ValueError),
    (lambda: KERNEL.solve(two_leaves(), 0, PAY[:3], 2, None, 1e-9, None, outputs(3, 2, 2)), ValueError),
    (lambda: KERNEL.solve(two_leaves(), 0, PAY.astype(np.float32), 2, None, 1e-9, None, outputs(3, 2, 2)),
     ValueError),
    (lambda: KERNEL.solve(two_leaves(), 0, PAY, 2, None, 1e-9, None, outputs(4, 2, 2)), ValueError),
    (lambda: KERNEL.solve(two_leaves(), 0, PAY, 2, None, 1e-9, None, outputs(3, 2, 2)[:-1]), ValueError),
    (lambda: KERNEL.solve(two_leaves(), 0, PAY, 2, {1: np.ones(5)}, 1e-9, None, outputs(3, 2, 2)), ValueError),
    (lambda: KERNEL.solve(two_leaves(), 0, PAY, 2, {9: np.ones(2)}, 1e-9, None, outputs(3, 2, 2)), ValueError),
    (lambda: KERNEL.solve(two_leaves(), 0, PAY, 2, None, 1e-9, 3, outputs(3, 2, 2)), ValueError),
    (lambda: KERNEL.solve((1, 2, 3), 0, PAY, 2, None, 1e-9, None, outputs(3, 2, 2)), AttributeError),
    (lambda: KERNEL.gaps(*[np.zeros(3, np.int64)] * 4, np.zeros(6), np.zeros(3, np.int64), np.zeros(3)),
     ValueError),
])
def test_malformed_input_to_the_kernel_raises_instead_of_crashing(call, error):
    if error is None:
        assert call()[0] == 1  # (the well-formed tree: one decision)
    else:
        with pytest.raises(error):
            call()


def test_the_kernel_asks_the_tie_rules_only_at_tied_nodes_and_passes_their_errors_on():
    both_one = np.array([1.0, 1.0, 1.0, 1.0])
    out = outputs(3, 2, 2)
    asked = []
    assert KERNEL.solve(two_leaves(), 0, both_one, 2, None, 1e-9, lambda i: asked.append(i) or [1, 0], out)[4] == [0]
    assert asked == [0] and out[1][0] == 1
    KERNEL.solve(two_leaves(), 0, PAY, 2, None, 1e-9, lambda i: asked.append(i) or [1, 0], out)  # no tie: not asked
    assert asked == [0] and out[1][0] == 0

    def broken(i):
        raise KeyError("rules")

    with pytest.raises(KeyError):
        KERNEL.solve(two_leaves(), 0, both_one, 2, None, 1e-9, broken, out)
    with pytest.raises(TypeError):
        KERNEL.solve(two_leaves(), 0, both_one, 2, None, 1e-9, lambda i: 5, out)
    KERNEL.solve(two_leaves(), 0, both_one, 2, None, 1e-9, lambda i: [7, -1], out)  # no tied action listed
    assert out[1][0] == 0  # the first tied action


def test_numpy_integers_and_lists_in_nodes_are_read_as_python_ones():
    nodes = (Node("r", DECISION, ("a", "b"), [np.int64(1), np.int32(2)], player=np.int64(1), infoset="r"),
             Node("x", TERMINAL, outcome=np.int16(0)), Node("y", TERMINAL, outcome=1))
    out, plain = outputs(3, 2, 2), outputs(3, 2, 2)
    assert KERNEL.solve(nodes, 0, PAY, 2, None, 1e-9, None, out) == KERNEL.solve(
        two_leaves(player=1), 0, PAY, 2, None, 1e-9, None, plain)
    for a, b in zip(out, plain):
        np.testing.assert_array_equal(a, b)
    assert out[1][0] == 1  # player 1 gets 1.0 from y


def test_the_kernel_is_looked_for_once_and_switched_off_at_every_call(monkeypatch):
    tree = open_source(str(SCENARIOS / "entry_deterrence.yaml")).game
    used = []
    real = spe_native.native_solution
    monkeypatch.setattr(spe_native, "native_solution", lambda *a: used.append(1) or real(*a))
    subgame_perfect(tree)
    monkeypatch.setenv("NEGOSIM_NATIVE", "0")
    subgame_perfect(tree)
    monkeypatch.delenv("NEGOSIM_NATIVE")
    subgame_perfect(tree)
    assert used == [1, 1] and spe_point._built_kernel.cache_info().currsize == 1


def test_a_payoff_that_is_not_finite_is_left_to_the_numpy_pass():
    pay = PAY.copy()
    pay[3] = np.nan
    assert KERNEL.solve(two_leaves(), 0, pay, 2, None, 1e-9, None, outputs(3, 2, 2)) is NotImplemented


index_like = st.one_of(st.integers(-3, 12), st.none(), st.just(2**70), st.just(1.5), st.just("0"),
                       st.integers(0, 6).map(np.int64))


@settings(max_examples=300, deadline=None)
@given(data=st.data(), n=st.integers(1, 10), players=st.integers(1, 3), n_out=st.integers(1, 4))
def test_any_node_structure_gives_an_answer_or_an_exception_never_a_crash(data, n, players, n_out):
    """Children out of range, shared, cyclic or not integers, movers and outcomes of any type, chance
    probabilities of any length: the kernel returns or raises, and what it returns has the promised form."""
    nodes = []
    tree_like = data.draw(st.booleans())  # children from random parents (a tree), else anything
    parents = [data.draw(st.integers(0, i - 1)) for i in range(1, n)]
    for i in range(n):
        children = ([c for c, p in enumerate(parents, 1) if p == i] if tree_like
                    else data.draw(st.lists(index_like, max_size=4)))
        nodes.append(Node(f"n{i}", DECISION if children else TERMINAL, tuple("abcd"[:len(children)]), tuple(children),
                          player=data.draw(st.integers(0, players - 1) if tree_like else index_like),
                          infoset=data.draw(st.sampled_from(["s", f"n{i}", f"n{i}"])),
                          outcome=data.draw(st.integers(0, n_out - 1) if tree_like else index_like)))
    chance = data.draw(st.one_of(st.none(), st.dictionaries(st.integers(-1, n), st.integers(0, 4).map(
        lambda k: np.full(k, 1.0 / max(k, 1))), max_size=3)))
    pay = np.arange(float(data.draw(st.sampled_from([n_out * players, n_out * players + 1]))))
    root = 0 if tree_like else data.draw(st.integers(-1, n))
    out = outputs(n, players, n_out)
    try:
        answer = KERNEL.solve(tuple(nodes), root, pay, players, chance, 1e-9, None, out)
    except (ValueError, TypeError, OverflowError):
        return
    assert answer is None or (isinstance(answer, tuple) and len(answer) == 5 and 1 <= answer[0] <= n)
    event("solved" if answer is not None else "not for this pass")
    if answer is not None:  # a valid tree: the choices are actions and the gaps of the choices are 0
        dec = out[7][:answer[0]]
        gap = np.zeros(n)
        KERNEL.gaps(dec, out[6], out[4], out[11], out[0], out[1], gap)
        assert (out[1][dec] < out[6][dec, 1] - out[6][dec, 0]).all() and (gap[dec] <= 1e-9 * 100).all()
