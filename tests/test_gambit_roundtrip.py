"""Round trips of Gambit files: through pygambit (the test-only oracle) and through negosim itself."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negosim.game import CHANCE, DECISION, TERMINAL, GameTree, Node, NormalFormGame, Outcome
from negosim.io import read_efg, read_game, read_nfg, write_efg, write_nfg

DATA = Path(__file__).parent / "data"

OUTCOME_NFG = """NFG 1 R "" { "Player 1" "Player 2" }
{ { "1" "2" } { "1" "2" } }
{
{ "Coord" 1, 1 }
{ "Miscoord" 0, 0 }
}
1 2 2 1
"""

# --- pygambit as the oracle ------------------------------------------------------------------


def gambit_profiles_payoffs(g) -> np.ndarray:
    """Payoffs of a pygambit strategic game as exact Fractions, shape (n_players, *n_strategies)."""
    return np.stack(g.to_arrays(dtype=Fraction))


@pytest.mark.oracle
def test_gambit_reads_our_nfg_with_identical_payoffs(tmp_path, pygambit):
    gb = pygambit
    rng = np.random.default_rng(7)
    payoffs = rng.integers(-9, 10, size=(3, 2, 3, 4)) / rng.integers(1, 8, size=(3, 2, 3, 4))
    payoffs[0, 0, 0, 0] = 0.1
    payoffs[1, 1, 2, 3] = math.pi
    game = NormalFormGame(("Ann", 'B"ob', "Cy"), (("u", "d"), ("l", "c", "r"), ("w", "x", "y", "z")), payoffs, "3p")
    path = tmp_path / "g.nfg"
    path.write_text(write_nfg(game))
    g = gb.read_nfg(str(path))
    assert g.title == "3p"
    assert [p.label for p in g.players] == list(game.players)
    assert [[s.label for s in p.strategies] for p in g.players] == [list(a) for a in game.actions]
    theirs = gambit_profiles_payoffs(g)
    assert np.vectorize(float)(theirs).tolist() == payoffs.tolist()


@pytest.mark.oracle
def test_gambit_reads_our_outcome_version_nfg_with_outcome_labels(tmp_path, pygambit):
    gb = pygambit
    game = read_nfg(OUTCOME_NFG)
    path = tmp_path / "g.nfg"
    path.write_text(write_nfg(game))
    g = gb.read_nfg(str(path))
    assert sorted(o.label for o in g.outcomes) == ["Coord", "Miscoord"]
    assert np.vectorize(float)(gambit_profiles_payoffs(g)).tolist() == game.payoffs.tolist()
    assert read_nfg(path.read_text()).outcomes.tolist() == game.outcomes.tolist()


@pytest.mark.oracle
def test_we_read_gambits_nfg_with_identical_payoffs(tmp_path, pygambit):
    gb = pygambit
    a = np.array([[1, Fraction(1, 3), -2], [Fraction(7, 10), 0, 5]], dtype=object)
    b = np.array([[0, 1, Fraction(-5, 4)], [2, 3, Fraction(1, 1000003)]], dtype=object)
    g = gb.Game.from_arrays(a, b, title="from gambit")
    path = tmp_path / "g.nfg"
    g.to_nfg(str(path))
    game = read_game(path)
    assert game.title == "from gambit"
    assert game.actions == (("1", "2"), ("1", "2", "3"))
    assert game.payoffs.tolist() == np.vectorize(float)(np.stack([a, b])).tolist()


def gambit_tree(gb):
    """A pygambit tree with a chance move, an information set and an outcome on an inner node."""
    g = gb.Game.new_tree(players=["Row", "Col"], title="small tree")
    g.append_move(g.root, g.players.chance, ["H", "T", "E"])
    g.set_chance_probs(g.root.infoset, [Fraction(1, 3), Fraction(1, 6), Fraction(1, 2)])
    h, t, e = list(g.root.children)
    g.append_move(h, "Row", ["a", "b"])
    g.append_infoset(t, h.infoset)
    g.append_move(list(h.children), "Col", ["x", "y"])  # Col does not see the coin nor Row's move
    win = g.add_outcome("win", [1, Fraction(-1, 2)])
    toll = g.add_outcome("toll", [Fraction(1, 10), -3])
    for node in [list(list(h.children)[0].children)[0], list(t.children)[1]]:
        g.set_outcome(node, win)
    g.set_outcome(t, toll)
    g.set_outcome(e, g.add_outcome("edge", [0.25, 0]))
    return g


def walk_both(g_node, tree, i, path_payoff, visit):
    """Visit a pygambit node and our node together, with the pygambit payoffs summed along the path."""
    players = list(g_node.game.players)
    outcome = g_node.outcome
    if outcome:  # pygambit 16.7 gives a false proxy for a node without an outcome
        path_payoff = [s + Fraction(outcome[p]) for s, p in zip(path_payoff, players)]
    visit(g_node, tree.nodes[i], i, path_payoff)
    for g_child, child in zip(g_node.children, tree.nodes[i].children, strict=True):
        walk_both(g_child, tree, child, path_payoff, visit)


def check_same_tree(g, tree):
    """Same players, actions, chance probabilities, information sets and leaf payoffs."""
    assert [p.label for p in g.players] == list(tree.players)
    g_sets: dict = {}
    our_sets: dict = {}

    def visit(g_node, node, i, payoff):
        if g_node.is_terminal:
            assert node.kind == TERMINAL
            assert tuple(tree.payoffs[node.outcome]) == tuple(float(x) for x in payoff)
            return
        assert [a.label for a in g_node.infoset.actions] == list(node.actions)
        if g_node.player.is_chance:
            assert node.kind == CHANCE
            assert [float(a.prob) for a in g_node.infoset.actions] == tree.chance_probs[i].tolist()
        else:
            assert node.kind == DECISION and g_node.player.label == tree.players[node.player]
            g_sets.setdefault((g_node.player.label, g_node.infoset.label, g_node.infoset.number), []).append(i)
            our_sets.setdefault((node.player, node.infoset), []).append(i)

    walk_both(g.root, tree, tree.root, [Fraction(0)] * len(tree.players), visit)
    assert sorted(g_sets.values()) == sorted(our_sets.values())


@pytest.mark.oracle
def test_we_read_gambits_efg_with_the_same_tree(tmp_path, pygambit):
    gb = pygambit
    g = gambit_tree(gb)
    path = tmp_path / "g.efg"
    g.to_efg(str(path))
    tree = read_game(path)
    assert tree.title == "small tree"
    check_same_tree(g, tree)
    assert {o.id for o in tree.outcomes} >= {"win", "toll", "toll+win", "edge"}


@pytest.mark.oracle
def test_gambit_reads_our_efg_with_the_same_tree(tmp_path, pygambit):
    gb = pygambit
    ours = read_efg(gambit_tree(gb).to_efg())
    path = tmp_path / "ours.efg"
    path.write_text(write_efg(ours))
    g = gb.read_efg(str(path))
    check_same_tree(g, ours)
    assert [n.label for n in g.nodes] == [ours.nodes[i].id for i in ours.preorder()]
    poker = read_game(DATA / "one_card_poker.efg")
    path.write_text(write_efg(poker))
    check_same_tree(gb.read_efg(str(path)), poker)


# --- round trips -----------------------------------------------------------------------------

# Gambit cannot quote every backslash; control and format characters are read escaped (\x1b), by design
text = st.characters(blacklist_characters="\\", blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp", "Co", "Cn"))
labels = st.text(text, min_size=1, max_size=5)
exact_floats = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.fractions(max_denominator=10**7).map(float),
    st.integers(-10**20, 10**20).map(float),
)


@st.composite
def normal_games(draw):
    n = draw(st.integers(2, 3))
    players = draw(st.lists(labels, min_size=n, max_size=n, unique=True))
    actions = tuple(tuple(draw(st.lists(labels, min_size=1, max_size=4, unique=True))) for _ in range(n))
    shape = (n, *(len(a) for a in actions))
    values = draw(st.lists(exact_floats, min_size=math.prod(shape), max_size=math.prod(shape)))
    return NormalFormGame(tuple(players), actions, np.array(values).reshape(shape), draw(st.text(text, max_size=8)))


def test_control_characters_in_labels_are_read_escaped_so_no_output_drives_a_terminal():
    game = read_nfg('NFG 1 R "t\x1b[31m" { "A\x07" "B\nok" }\n{ { "x" } { "y\u202e" } }\n""\n1 2\n', file="g.nfg")
    assert game.title == "t\\x1b[31m"
    assert game.players == ("A\\x07", "B\\nok") and game.actions == (("x",), ("y\\u202e",))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(normal_games())
def test_any_normal_form_game_survives_write_and_read_exactly(game):
    back = read_nfg(write_nfg(game), file="g.nfg")
    assert back.title == game.title
    assert back.players == game.players and back.actions == game.actions
    assert np.array_equal(back.payoffs, game.payoffs)


@st.composite
def game_trees(draw):
    """Random trees with chance nodes, and decision nodes whose children may share one information set."""
    n = draw(st.integers(1, 3))
    players = tuple(draw(st.lists(labels, min_size=n, max_size=n, unique=True)))
    nodes: list = []
    outcomes: list[Outcome] = []
    payoffs: list[list[float]] = []
    probs: dict[int, list[float]] = {}

    def build(depth: int, forced=None) -> int:
        index = len(nodes)
        nodes.append(None)
        kind = DECISION if forced else draw(st.sampled_from([TERMINAL, DECISION, CHANCE] if depth < 3 else [TERMINAL]))
        if kind == TERMINAL:
            if outcomes and draw(st.booleans()):
                k = draw(st.integers(0, len(outcomes) - 1))
            else:
                k = len(outcomes)
                outcomes.append(Outcome(draw(labels.filter(lambda s: s not in {o.id for o in outcomes}))))
                payoffs.append(draw(st.lists(exact_floats, min_size=n, max_size=n)))
            nodes[index] = Node(f"v{index}", TERMINAL, outcome=k)
            return index
        if forced:
            player, infoset, actions = forced
        else:
            player, infoset = draw(st.integers(0, n - 1)), f"I{index}"
            actions = tuple(draw(st.lists(labels, min_size=1, max_size=3, unique=True)))
        if kind == CHANCE:
            weights = draw(st.lists(st.integers(1, 50), min_size=1, max_size=3))
            probs[index] = [float(Fraction(w, sum(weights))) for w in weights]
            actions = tuple(f"c{k}" for k in range(len(weights)))
        share = n > 1 and draw(st.booleans())  # the children form one information set of another player
        other = draw(st.sampled_from([p for p in range(n) if p != player])) if share else None
        forced_child = (other, f"J{index}", tuple(draw(st.lists(labels, min_size=1, max_size=2, unique=True)))) \
            if share else None
        children = tuple(build(depth + 1, forced_child) for _ in actions)
        if kind == CHANCE:
            nodes[index] = Node(f"v{index}", CHANCE, actions, children)
        else:
            nodes[index] = Node(f"v{index}", DECISION, actions, children, player=player, infoset=infoset)
        return index

    build(0)
    return GameTree(players, tuple(nodes), 0, tuple(outcomes), np.array(payoffs).reshape(-1, n),
                    {k: np.array(v) for k, v in probs.items()}, draw(st.text(text, max_size=8)))


def structure(tree: GameTree) -> list:
    """Everything about a tree that a round trip must keep, node by node in prefix order."""
    out = []
    for i in tree.preorder():
        node = tree.nodes[i]
        row = [node.id, node.kind, node.actions]
        if node.kind == DECISION:
            row += [node.player, node.infoset]
        elif node.kind == CHANCE:
            row += [tree.chance_probs[i].tolist()]
        else:
            row += [tree.outcomes[node.outcome].id, tree.payoffs[node.outcome].tolist()]
        out.append(row)
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(game_trees())
def test_any_game_tree_survives_write_and_read_exactly(tree):
    back = read_efg(write_efg(tree), file="t.efg")
    assert back.title == tree.title and back.players == tree.players
    assert structure(back) == structure(tree)
