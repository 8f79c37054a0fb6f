"""Nash equilibria of 2-player trees on the sequence form, against pygambit and the reduced normal form.

Oracles: pygambit's `lcp_solve` and `enummixed_solve` on the trees of `pygambit.catalog` (read
through Gambit's own .efg writer), Kuhn poker's value -1/18 (tests/data/kuhn_poker.efg, written
from Kuhn's rules), and an independent regret check on the reduced normal form: the behaviour
profile is turned into the realization-equivalent mixed strategies and verified there with
`negosim.solve.verify.regrets`, code that shares nothing with the sequence form.
Gambit's contributed games (contrib/games: montyhal, bayes2a, palf2, artist2, 4cards) are checked when
the environment variable NEGOSIM_GAMBIT_CONTRIB names a folder holding them.
"""

import os
from pathlib import Path

import numpy as np
import pytest

from negosim.game.reduce import reduced_normal_form, strategy_behavior, tree_sequences
from negosim.game.tree import GameTree, Node, Outcome
from negosim.io import read_game
from negosim.solve import solve
from negosim.solve.lemke import lemke
from negosim.solve.seqnash import sequence_form_nash
from negosim.solve.spe import subgame_perfect
from negosim.solve.verify import expected_payoffs, regrets

DATA = Path(__file__).parent / "data"


def catalog_trees(pygambit):
    """(name, pygambit game, path of its .efg) for every 2-player perfect-recall tree of the catalog."""
    out = []
    for name in pygambit.catalog.games().Game:
        g = pygambit.catalog.load(name)
        if g.is_tree and len(g.players) == 2 and g.is_perfect_recall:
            out.append((name, g))
    return out


def mixed_from_behavior(tree: GameTree, sol, row: int) -> tuple[np.ndarray, ...]:
    """The reduced-normal-form mixed strategies realization-equivalent to a behaviour profile."""
    infosets = {infoset: k for k, (_, infoset, _) in enumerate(tree.infosets())}
    out = []
    for plans in strategy_behavior(tree):
        probs = []
        for plan in plans:
            p = 1.0
            for infoset, action in plan.items():
                k = infosets[infoset]
                actions = tree.nodes[tree.infosets()[k][2][0]].actions
                p *= sol.behavior[k][row, actions.index(action)]
            probs.append(p)
        out.append(np.array(probs)[None, :])
    return tuple(out)


def check_on_normal_form(tree: GameTree, sol) -> None:
    """The equilibrium is one on the reduced normal form too, with the same payoffs."""
    nf = reduced_normal_form(tree)
    mixed = mixed_from_behavior(tree, sol, 0)
    assert all(m.sum() == pytest.approx(1.0) for m in mixed)
    assert regrets(nf, mixed, np.array([0]))[0] <= 1e-7 * max(1.0, np.ptp(nf.payoffs))
    np.testing.assert_allclose(expected_payoffs(nf, mixed, np.array([0]))[0], sol.payoffs[0], atol=1e-8)


@pytest.mark.oracle
def test_catalog_trees_agree_with_pygambit(pygambit, tmp_path):
    trees = catalog_trees(pygambit)
    assert len(trees) >= 15
    for name, g in trees:
        path = tmp_path / (name.replace("/", "_") + ".efg")
        path.write_text(g.to_efg())
        tree = read_game(str(path))
        sol = sequence_form_nash(tree, enumerate_small=False)
        assert len(sol.point) == 1 and not sol.complete.any(), name
        assert sol.regret[0] <= sol.tol.max(), name
        check_on_normal_form(tree, sol)
        lcp = [[float(eq.payoff(p)) for p in g.players] for eq in pygambit.nash.lcp_solve(g, rational=False).equilibria]
        mixed = pygambit.nash.enummixed_solve(g, rational=False).equilibria
        values = [[float(eq.payoff(p)) for p in g.players] for eq in mixed]
        unique = len({tuple(np.round(v, 6)) for v in values}) == 1
        if bool(sol.extra["zero_sum"][0]) or unique:
            # A zero-sum value, or the payoffs of every equilibrium, are the same whatever the method.
            np.testing.assert_allclose(sol.payoffs[0], lcp[0], atol=1e-7, err_msg=name)
            np.testing.assert_allclose(sol.payoffs[0], values[0], atol=1e-7, err_msg=name)


def test_kuhn_poker_value_is_minus_one_eighteenth_by_the_linear_program_and_by_lemke():
    tree = read_game(str(DATA / "kuhn_poker.efg"))
    sol = sequence_form_nash(tree, enumerate_small=False)
    assert bool(sol.extra["zero_sum"][0]) and sol.method.startswith("sequence-form linear program")
    assert sol.payoffs[0, 0] == pytest.approx(-1 / 18, abs=1e-12)
    assert sol.extra["value"][0] == pytest.approx(-1 / 18, abs=1e-12)
    check_on_normal_form(tree, sol)
    # Player 2's payoffs doubled: the same equilibria, no longer zero-sum, so Lemke's algorithm solves it.
    doubled = GameTree(tree.players, tree.nodes, tree.root, tree.outcomes, tree.payoffs * [1.0, 2.0],
                       tree.chance_probs, title="doubled")
    lem = sequence_form_nash(doubled)
    assert lem.method == "sequence form, Lemke's algorithm" and lem.regret[0] <= lem.tol.max()
    assert lem.payoffs[0].tolist() == pytest.approx([-1 / 18, 2 / 18], abs=1e-12)
    check_on_normal_form(doubled, lem)


@pytest.mark.oracle
def test_kuhn_poker_agrees_with_pygambit_lcp(pygambit):
    g = pygambit.read_efg(str(DATA / "kuhn_poker.efg"))
    (eq,) = pygambit.nash.lcp_solve(g, rational=True).equilibria
    assert eq.payoff(list(g.players)[0]) == pygambit.Rational(-1, 18)
    assert [len(p.strategies) for p in g.players] == [27, 64]


def test_kuhn_poker_is_solved_by_default_on_the_sequence_form():
    tree = read_game(str(DATA / "kuhn_poker.efg"))
    spe, nash = solve(tree)
    assert spe.payoffs[0, 0] == pytest.approx(-1 / 18) and nash.payoffs[0, 0] == pytest.approx(-1 / 18)
    assert spe.extra["selected"].all() and not spe.complete.any()
    assert any("sequence form" in n and "selection rule" in n for n in spe.notes)


def test_a_tree_with_a_poker_subgame_gets_its_subgame_perfect_answer():
    kuhn = read_game(str(DATA / "kuhn_poker.efg"))
    nodes = [Node("entry", "decision", ("play", "decline"), (1, len(kuhn.nodes) + 1), player=1)]
    nodes += [Node(n.id, n.kind, n.actions, tuple(c + 1 for c in n.children), n.player, n.infoset, n.outcome)
              for n in kuhn.nodes]
    nodes.append(Node("declined", "terminal", outcome=len(kuhn.outcomes)))
    for outside, plays in ((0.05, True), (0.06, False)):
        tree = GameTree(kuhn.players, tuple(nodes), 0, (*kuhn.outcomes, Outcome("declined")),
                        np.vstack([kuhn.payoffs, [[-outside, outside]]]),
                        {k + 1: v for k, v in kuhn.chance_probs.items()})
        sol = subgame_perfect(tree)
        (eq,) = sol.equilibria_at(0)
        assert eq.behavior["Player 2"]["entry"]["play"] == (1.0 if plays else 0.0)
        assert sol.payoffs[0, 1] == pytest.approx(1 / 18 if plays else outside)


def test_lemke_solves_lcps_with_positive_definite_matrices(rng):
    for _ in range(100):
        n = int(rng.integers(2, 12))
        G = rng.normal(size=(n, n))
        S = rng.normal(size=(n, n))
        M = G @ G.T + 0.1 * np.eye(n) + (S - S.T)
        q = rng.normal(size=n)
        z = lemke(M, q)
        w = q + M @ z
        assert (z >= 0).all() and (w >= -1e-8).all() and abs(z @ w) <= 1e-8


CONTRIB = os.environ.get("NEGOSIM_GAMBIT_CONTRIB")


@pytest.mark.skipif(not CONTRIB, reason="NEGOSIM_GAMBIT_CONTRIB names no folder of Gambit's contrib/games")
@pytest.mark.parametrize("name", ["montyhal", "bayes2a", "palf2", "artist2", "4cards"])
def test_gambit_contrib_games(name):
    tree = read_game(str(Path(CONTRIB) / f"{name}.efg"))
    sol = sequence_form_nash(tree, enumerate_small=False)
    assert len(sol.point) == 1 and sol.regret[0] <= sol.tol.max()
    check_on_normal_form(tree, sol)
    assert len(tree_sequences(tree).leaves) > 0


def random_signalling(rng, types: int) -> GameTree:
    """The public-threat tree with random payoffs and random type probabilities."""
    from negosim.game.generate_trees import public_threat

    tree = public_threat(types)
    probs = rng.dirichlet(np.ones(types))
    return GameTree(tree.players, tree.nodes, tree.root, tree.outcomes, rng.normal(size=tree.payoffs.shape),
                    {tree.root: probs}, title="random signalling game")


def test_random_signalling_games_on_the_sequence_form_are_equilibria_of_the_normal_form(rng):
    for types in (2, 3, 4) * 5:
        tree = random_signalling(rng, types)
        sol = sequence_form_nash(tree, enumerate_small=False)
        assert sol.regret[0] <= sol.tol.max()
        check_on_normal_form(tree, sol)


def test_spe_on_the_sequence_form_agrees_with_the_normal_form_path(rng, monkeypatch):
    """With the normal-form limit forced down, spe takes the sequence-form path for the same subgame; both
    results are verified equilibria of the whole game (its only subgame), and a unique one coincides."""
    import negosim.solve.size_limits as size_limits

    for types in (2, 3):
        tree = random_signalling(rng, types)
        by_normal_form = subgame_perfect(tree)
        monkeypatch.setattr(size_limits, "MAX_STRATEGIES", 1)
        by_sequence_form = subgame_perfect(tree)
        monkeypatch.undo()
        assert any("sequence form" in n for n in by_sequence_form.notes)
        assert not any("sequence form" in n for n in by_normal_form.notes)
        nf = reduced_normal_form(tree)
        for sol in (by_normal_form, by_sequence_form):
            mixed = mixed_from_behavior(tree, sol, 0)
            assert regrets(nf, mixed, np.array([0]))[0] <= 1e-7 * max(1.0, np.ptp(nf.payoffs))
        if by_normal_form.extra["subgames"]["resolve"][0] == 1:  # a unique equilibrium: the same payoffs
            np.testing.assert_allclose(by_sequence_form.payoffs, by_normal_form.payoffs, atol=1e-8)


def test_a_lone_mover_with_many_information_sets_gets_the_same_best_plan_either_way(monkeypatch):
    import negosim.solve.size_limits as size_limits

    rng = np.random.default_rng(7)
    k = 4
    nodes = [Node("state", "chance", tuple(f"s{i}" for i in range(k)), tuple(range(1, k + 1)))]
    leaves = []
    for i in range(k):
        nodes.append(Node(f"first{i}", "decision", ("a", "b"), (), player=0, infoset="first"))
    for i in range(k):
        kids = []
        for a in "ab":
            nodes.append(Node(f"second{i}{a}", "decision", ("c", "d"), (), player=0, infoset=f"second_{a}"))
            kids.append(len(nodes) - 1)
        nodes[1 + i] = Node(f"first{i}", "decision", ("a", "b"), tuple(kids), player=0, infoset="first")
    for idx in range(1 + k, len(nodes)):
        kids = []
        for _ in "cd":
            leaves.append(Outcome(f"o{len(leaves)}"))
            nodes.append(Node(f"leaf{len(leaves)}", "terminal", outcome=len(leaves) - 1))
            kids.append(len(nodes) - 1)
        n = nodes[idx]
        nodes[idx] = Node(n.id, n.kind, n.actions, tuple(kids), n.player, n.infoset)
    payoffs = rng.integers(0, 3, size=(len(leaves), 1)).astype(float)  # ties are likely: the tie rules decide
    tree = GameTree(("A",), tuple(nodes), 0, tuple(leaves), payoffs, {0: np.full(k, 1 / k)})
    plain = subgame_perfect(tree)
    monkeypatch.setattr(size_limits, "MAX_STRATEGIES", 1)
    large = subgame_perfect(tree)
    assert any("backward induction over that player's information sets" in n for n in large.notes)
    np.testing.assert_allclose(large.payoffs, plain.payoffs)
    for a, b in zip(large.behavior, plain.behavior):
        np.testing.assert_array_equal(a, b)


def test_lemke_stops_at_its_pivot_and_time_bounds_and_a_failed_point_is_reported(monkeypatch):
    from negosim.solve import lemke as lemke_module
    from negosim.solve.lemke import LemkeFailure, complementary_path

    M = np.array([[2.0, 1.0], [1.0, 2.0]])
    with pytest.raises(LemkeFailure, match="1 pivots"):
        lemke(M, np.array([-5.0, -6.0]), max_pivots=1)
    n = 2
    T = np.zeros((n, 2 * n + 2))
    T[:, :n], T[:, n:2 * n], T[:, 2 * n], T[:, -1] = np.eye(n), -M, -1.0, [-5.0, -6.0]
    with pytest.raises(LemkeFailure, match="within 0 s"):
        complementary_path(T, np.arange(n), 2 * n, 1, np.array([2, 3, 0, 1, -1]), np.zeros(n, bool), max_seconds=0)
    # A tree whose Lemke path fails at every start: no equilibrium is reported there, and a note says why.
    monkeypatch.setattr(lemke_module, "MAX_SECONDS", 0.0)
    tree = random_signalling(np.random.default_rng(3), 3)
    sol = sequence_form_nash(tree, enumerate_small=False)
    assert len(sol.point) == 0 and any("no equilibrium found" in n and "0 s" in n for n in sol.notes)
