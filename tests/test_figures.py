"""Teaching figures: what they draw (layout, bold equilibrium path, boxed equilibria, best responses,
regimes) and that the same input gives the same bytes."""

import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from negosim.api import open_source, solve_source
from negosim.errors import GameError, UsageError
from negosim.game import NormalFormGame
from negosim.game.tree import GameTree, Node, Outcome
from negosim.present.figures import (
    best_response_figure,
    figure_svg,
    matrix_figure,
    outcome_figure,
    regime_boundaries,
    save_figure,
    tree_figure,
    tree_layout,
)
from negosim.present.figures.best_response import correspondence
from negosim.present.figures.style import outcome_name
from negosim.present.text import fmt_number
from negosim.scenario import load_scenario
from negosim.solve.spe import subgame_perfect

ROOT = Path(__file__).resolve().parent.parent
TREES = ["scenarios/ceasefire_2025.yaml", "scenarios/entry_deterrence.yaml", "scenarios/sanctions_threat.yaml",
         "scenarios/ultimatum.yaml", "tests/data/scenarios/crisis_signal.yaml", "tests/data/one_card_poker.efg"]


def source(rel):
    return open_source(str(ROOT / rel))


def spe_of(src):
    return solve_source(src, ["spe"])[0]


def texts(fig) -> list[str]:
    """Every piece of text drawn in a figure (axes texts, annotations, figure texts, legends)."""
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text)]


def lines_by_gid(fig, prefix):
    from matplotlib.lines import Line2D

    return [ln for ln in fig.findobj(Line2D) if (ln.get_gid() or "").startswith(prefix)]


def random_tree(seed: int, n_target: int = 40) -> GameTree:
    """A random tree of about `n_target` nodes: 3 players, 2-3 actions per move, some chance nodes."""
    rng = np.random.default_rng(seed)
    kinds, queue, count = {}, [(0, 0)], 1
    while queue:
        i, depth = queue.pop(0)
        k = int(rng.integers(2, 4))
        if depth >= 4 or count + k > n_target or (depth >= 2 and rng.random() < 0.3):
            kinds[i] = None
            continue
        kids = tuple(range(count, count + k))
        count += k
        kinds[i] = ("chance" if depth and rng.random() < 0.15 else "decision", kids, depth % 3)
        queue.extend((c, depth + 1) for c in kids)
    nodes, payoffs, chance = [], [], {}
    for i in range(count):
        if kinds[i] is None:
            nodes.append(Node(f"n{i}", "terminal", outcome=len(payoffs)))
            payoffs.append(rng.normal(size=3).round(2))
            continue
        kind, kids, player = kinds[i]
        actions = tuple(f"a{j}" for j in range(len(kids)))
        if kind == "chance":
            chance[i] = np.full(len(kids), 1 / len(kids))
            nodes.append(Node(f"n{i}", "chance", actions=actions, children=kids))
        else:
            nodes.append(Node(f"n{i}", "decision", actions=actions, children=kids, player=player))
    return GameTree(("P1", "P2", "P3"), tuple(nodes), 0, tuple(Outcome(f"o{k}") for k in range(len(payoffs))),
                    np.array(payoffs), chance)


# --- tree layout ---------------------------------------------------------------------------------
def _segments_cross(p1, p2, q1, q2) -> bool:
    """Whether two segments cross at a point inside both (touching at an end does not count)."""
    def orient(a, b, c):
        v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
        return 0 if abs(v) < 1e-12 else (1 if v > 0 else -1)

    if {tuple(p1), tuple(p2)} & {tuple(q1), tuple(q2)}:
        return False
    return orient(p1, p2, q1) * orient(p1, p2, q2) < 0 and orient(q1, q2, p1) * orient(q1, q2, p2) < 0


@pytest.mark.parametrize("tree", [source(f).game for f in TREES] + [random_tree(s) for s in range(6)],
                         ids=[Path(f).stem for f in TREES] + [f"random{s}" for s in range(6)])
def test_tree_layout_keeps_parent_order_and_has_no_crossing_edges(tree):
    lay = tree_layout(tree)
    for level in range(int(lay.depth.max()) + 1):
        at = sorted((i for i in range(len(tree.nodes)) if lay.depth[i] == level), key=lambda i: lay.x[i])
        xs = [lay.x[i] for i in at]
        assert all(a < b for a, b in zip(xs, xs[1:])), f"two nodes share a place at depth {level}"
        parents = [lay.x[lay.parent[i]] for i in at if lay.parent[i] >= 0]
        assert parents == sorted(parents), f"children at depth {level} are not in their parents' order"
    edges = [((lay.x[i], -lay.depth[i]), (lay.x[c], -lay.depth[c]))
             for i, n in enumerate(tree.nodes) for c in n.children]
    for k, (a, b) in enumerate(edges):
        for c, d in edges[k + 1:]:
            assert not _segments_cross(a, b, c, d)


def test_tree_layout_spaces_leaves_evenly_and_centres_parents():
    tree = random_tree(11)
    lay = tree_layout(tree)
    assert sorted(lay.x[list(lay.leaves)]) == list(range(len(lay.leaves)))
    for i, node in enumerate(tree.nodes):
        if node.children:
            kids = [lay.x[c] for c in node.children]
            assert lay.x[i] == pytest.approx((min(kids) + max(kids)) / 2)


# --- tree figure ---------------------------------------------------------------------------------
@pytest.mark.parametrize("rel", TREES, ids=[Path(f).stem for f in TREES])
def test_tree_figure_draws_every_edge_and_every_leaf_outcome(rel):
    src = source(rel)
    tree = src.game
    fig = tree_figure(tree, spe_of(src))
    edges = lines_by_gid(fig, "edge-")
    assert len(edges) == sum(len(n.children) for n in tree.nodes)
    drawn = " ".join(texts(fig)).replace("\n", " ")
    for leaf in tree.nodes:
        if leaf.kind == "terminal":
            assert outcome_name(tree.outcomes[leaf.outcome]) in drawn
    for player in tree.players:
        assert player in texts(fig)


def test_tree_figure_draws_the_spe_path_thicker_than_other_edges():
    src = source("scenarios/ceasefire_2025.yaml")
    spe = spe_of(src)
    fig = tree_figure(src.game, spe)
    edges = lines_by_gid(fig, "edge-")
    path = [e for e in edges if e.get_gid().endswith("-path")]
    chosen = [e for e in edges if e.get_gid().endswith("-chosen")]
    other = [e for e in edges if e.get_gid().endswith("-other")]
    assert sorted(e.get_gid() for e in path) == ["edge-ru-accept-path", "edge-ua-accept-path"]
    assert len(path) == len(spe.equilibria_at(0)[0].path)
    assert min(e.get_linewidth() for e in path) > max(e.get_linewidth() for e in chosen)
    assert min(e.get_linewidth() for e in chosen) > max(e.get_linewidth() for e in other)
    # one equilibrium choice per decision node off the path (5 of 7 decision nodes are off it)
    assert len(chosen) == 5


def test_tree_figure_shows_chance_probabilities_and_joins_information_sets():
    from matplotlib.patches import FancyArrowPatch

    src = source("tests/data/scenarios/crisis_signal.yaml")
    fig = tree_figure(src.game, spe_of(src))
    assert "resolute (2/5)" in texts(fig) and "weak (3/5)" in texts(fig)
    joins = [p for p in fig.findobj(FancyArrowPatch) if (p.get_gid() or "").startswith("infoset-")]
    assert [p.get_gid() for p in joins] == ["infoset-r_demand"]
    assert "r_demand" in texts(fig)
    assert "Nature" in texts(fig)


def test_tree_figure_without_an_equilibrium_draws_all_edges_alike():
    src = source("scenarios/entry_deterrence.yaml")
    fig = tree_figure(src.game)
    widths = {e.get_linewidth() for e in lines_by_gid(fig, "edge-")}
    assert len(widths) == 1
    assert all(e.get_gid().endswith("-plain") for e in lines_by_gid(fig, "edge-"))


def test_tree_figure_labels_leaves_in_words_and_prints_payoffs_as_the_text_output_does():
    src = source("scenarios/ceasefire_2025.yaml")
    tree, spe = src.game, spe_of(src)
    drawn = texts(fig := tree_figure(tree, spe))
    joined = " ".join(drawn).replace("\n", " ")
    for outcome in tree.outcomes:
        assert outcome.label and outcome.label in joined  # the scenario's label, wrapped between words
        assert outcome.id not in joined and not any(t.endswith("_") for t in " ".join(drawn).split())
    payoffs = tree.leaf_payoffs().reshape(len(tree.outcomes), tree.n_players)
    for row in payoffs:
        for v in row:
            assert fmt_number(v) in drawn  # "0.3275", as `negosim solve` and `explain` print it
    assert "0.3275" in drawn and "0.328" not in drawn
    assert fig is not None


def test_tree_figure_names_each_decision_as_the_explanation_does():
    from matplotlib.text import Text

    src = source("scenarios/ceasefire_2025.yaml")
    tree = src.game
    names = {t.get_gid(): t.get_text() for t in tree_figure(tree, spe_of(src)).findobj(Text)
             if (t.get_gid() or "").startswith("decision-")}
    decisions = [n.id for n in tree.nodes if n.kind == "decision"]
    assert names == {f"decision-{d}": d for d in decisions}
    assert "us_sanction_final" in decisions  # named in `explain`'s backward-induction steps
    assert not [t for t in tree_figure(tree, decision_names=False).findobj(Text)
                if (t.get_gid() or "").startswith("decision-")]


def test_tree_figure_names_an_unlabelled_outcome_by_its_id_in_words():
    tree = GameTree(("A", "B"), (Node("a", "decision", ("l", "r"), (1, 2), player=0), Node("x", "terminal", outcome=0),
                                 Node("y", "terminal", outcome=1)), 0,
                    (Outcome("price_war"), Outcome("shared_market", "Market shared")), np.zeros((2, 2)))
    drawn = " ".join(texts(tree_figure(tree))).replace("\n", " ")
    assert "price war" in drawn and "Market shared" in drawn and "price_war" not in drawn


@pytest.mark.parametrize("rel", TREES, ids=[Path(f).stem for f in TREES])
def test_tree_figure_question_version_gives_no_equilibrium_away(rel):
    src = source(rel)
    answer, question = tree_figure(src.game, spe_of(src)), tree_figure(src.game)
    assert any(e.get_gid().endswith("-path") for e in lines_by_gid(answer, "edge-"))
    edges = lines_by_gid(question, "edge-")
    assert edges and all(e.get_gid().endswith("-plain") for e in edges)
    assert len({e.get_linewidth() for e in edges}) == 1 and len({e.get_color() for e in edges}) == 1
    drawn = " ".join(texts(question)).lower()
    assert "equilibri" not in drawn and "tie" not in drawn.replace("tied", "")
    # no probability of a mixed choice beside a decision's action (chance probabilities stay)
    decisions = {a for n in src.game.nodes if n.kind == "decision" for a in n.actions}
    assert all(t.split(" (")[0] not in decisions for t in texts(question) if " (" in t)


def test_tree_figure_rejects_a_normal_form_solution():
    src = source("scenarios/entry_deterrence.yaml")
    nash = solve_source(src, ["nash"])[0]
    with pytest.raises(GameError, match="subgame-perfect"):
        tree_figure(src.game, nash)


def test_tree_figure_reads_the_requested_batch_point():
    sc = load_scenario(ROOT / "scenarios/ceasefire_2025.yaml")
    tree = sc.build({"mu": np.array([0.05, 0.25])})
    spe = subgame_perfect(tree)
    low = {e.get_gid() for e in lines_by_gid(tree_figure(tree, spe, point=0), "edge-") if e.get_gid().endswith("-path")}
    high = {e.get_gid() for e in lines_by_gid(tree_figure(tree, spe, point=1), "edge-")
            if e.get_gid().endswith("-path")}
    assert low == {"edge-ua-accept-path", "edge-ru-accept-path"}
    assert high == {"edge-ua-accept-path", "edge-ru-reject-path", "edge-us_sanction-impose-path"}


# --- matrix figure -------------------------------------------------------------------------------
def boxes(fig):
    from matplotlib.patches import Rectangle

    return sorted(p.get_gid() for p in fig.findobj(Rectangle) if (p.get_gid() or "").startswith("pure-equilibrium"))


@pytest.mark.parametrize("name, expected", [
    ("prisoners_dilemma", ["pure-equilibrium-1-1"]),
    ("battle_of_the_sexes", ["pure-equilibrium-0-0", "pure-equilibrium-1-1"]),
    ("matching_pennies", []),
    ("three_player", ["pure-equilibrium-0-1-1", "pure-equilibrium-1-0-1", "pure-equilibrium-1-1-0"]),
])
def test_matrix_figure_boxes_exactly_the_pure_equilibria(name, expected):
    src = source(f"scenarios/{name}.yaml")
    assert boxes(matrix_figure(src.game)) == expected
    assert boxes(matrix_figure(src.game, solve_source(src, ["nash"])[0])) == expected


def test_matrix_figure_marks_each_players_best_responses():
    from matplotlib.lines import Line2D

    fig = matrix_figure(source("scenarios/prisoners_dilemma.yaml").game)
    marks = sorted(ln.get_gid() for ln in fig.findobj(Line2D) if (ln.get_gid() or "").startswith("best-response"))
    # defect (index 1) is each player's best response to both actions of the other
    assert marks == ["best-response-0-1-0", "best-response-0-1-1", "best-response-1-0-1", "best-response-1-1-1"]


def test_matrix_figure_lists_mixed_equilibria_in_the_caption():
    fig = matrix_figure(source("scenarios/battle_of_the_sexes.yaml").game)
    caption = " ".join(texts(fig))
    assert "Mixed equilibrium: Ann 2/3 opera + 1/3 football; Bob 1/3 opera + 2/3 football" in caption


def test_matrix_figure_question_version_has_no_boxes_marks_or_equilibria():
    from matplotlib.lines import Line2D
    from matplotlib.text import Text

    for name in ("prisoners_dilemma", "battle_of_the_sexes", "three_player", "chicken"):
        fig = matrix_figure(source(f"scenarios/{name}.yaml").game, answers=False)
        assert boxes(fig) == []
        assert not [ln for ln in fig.findobj(Line2D) if (ln.get_gid() or "").startswith("best-response")]
        payoffs = [t for t in fig.findobj(Text) if t.get_text().lstrip("-").replace(".", "").isdigit()]
        assert payoffs and all(t.get_fontweight() == "normal" for t in payoffs)
        drawn = " ".join(texts(fig)).lower()
        assert "equilibri" not in drawn and "best response" not in drawn and "boxed" not in drawn


def test_matrix_figure_prints_payoffs_as_the_text_output_does():
    game = NormalFormGame.from_bimatrix([[0.3275, 1 / 3], [2, -0.5]], [[1, 0], [0, 1]])
    drawn = texts(matrix_figure(game, answers=False))
    assert {"0.3275", fmt_number(1 / 3), "-0.5"} <= set(drawn)


def test_matrix_figure_refuses_a_matrix_too_large_to_read_and_suggests_the_tree():
    from negosim.game.reduce import reduced_normal_form
    from negosim.present.figures.matrix import MAX_HEIGHT_IN, MAX_WIDTH_IN, matrix_size

    normal = reduced_normal_form(source("scenarios/ceasefire_2025.yaml").game)
    width, height = matrix_size(normal)
    assert width > MAX_WIDTH_IN
    with pytest.raises(UsageError, match=r"too large to read; draw the game tree instead \(--figure tree\)"):
        matrix_figure(normal, answers=False)
    for name in ("prisoners_dilemma", "three_player", "chicken"):  # every shipped normal form fits
        w, h = matrix_size(source(f"scenarios/{name}.yaml").game)
        assert w <= MAX_WIDTH_IN and h <= MAX_HEIGHT_IN


def test_convert_refuses_the_ceasefire_matrix_in_one_line_with_exit_2(tmp_path, capsys):
    from negosim.cli import main

    out = tmp_path / "m.png"
    assert main(["convert", str(ROOT / "scenarios/ceasefire_2025.yaml"), "-o", str(out), "--figure", "matrix"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--figure tree" in err and "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize("args, kind", [
    (["scenarios/ceasefire_2025.yaml"], "tree"),
    (["scenarios/chicken.yaml"], "matrix"),
    (["scenarios/chicken.yaml", "--figure", "best-response"], "best-response"),
])
def test_convert_no_answers_draws_the_question_version(args, kind, tmp_path, monkeypatch):
    from negosim import cli
    from negosim.present.figures import game_figure as module

    drawn = {}
    real = module.game_figure

    def spy(source, figure, answers=True):
        drawn["fig"] = fig = real(source, figure, answers=answers)
        return fig

    monkeypatch.setattr(module, "game_figure", spy)
    out = tmp_path / "q.png"
    assert cli.main(["convert", str(ROOT / args[0]), *args[1:], "-o", str(out), "--no-answers"]) == 0
    assert out.read_bytes().startswith(b"\x89PNG")
    fig = drawn["fig"]
    gids = [a.get_gid() or "" for a in fig.findobj()]
    assert not [g for g in gids if g.endswith(("-path", "-chosen")) or g.startswith(
        ("pure-equilibrium", "best-response", "equilibrium"))]
    assert "equilibrium" not in " ".join(texts(fig)).lower()


def test_matrix_figure_rejects_four_players():
    game = NormalFormGame(("A", "B", "C", "D"), (("x", "y"),) * 4, np.zeros((4, 2, 2, 2, 2)))
    with pytest.raises(GameError, match="2- or 3-player"):
        matrix_figure(game)


# --- best-response diagram -----------------------------------------------------------------------
def test_best_response_figure_rejects_a_3x2_game():
    game = NormalFormGame.from_bimatrix(np.zeros((3, 2)), np.zeros((3, 2)))
    with pytest.raises(GameError, match="needs a 2x2 game; this one is 3x2"):
        best_response_figure(game)


def test_best_response_figure_marks_the_three_equilibria_of_battle_of_the_sexes():
    from matplotlib.lines import Line2D

    fig = best_response_figure(source("scenarios/battle_of_the_sexes.yaml").game)
    marks = [ln for ln in fig.findobj(Line2D) if (ln.get_gid() or "").startswith("equilibrium")]
    points = sorted((float(ln.get_xdata()[0]), float(ln.get_ydata()[0])) for ln in marks)
    assert np.allclose(points, [(0, 0), (2 / 3, 1 / 3), (1, 1)])
    assert {"(0, 0)", "(2/3, 1/3)", "(1, 1)"} <= set(texts(fig))


def test_best_response_figure_question_version_is_the_empty_square():
    from matplotlib.lines import Line2D

    fig = best_response_figure(source("scenarios/chicken.yaml").game, answers=False)
    gids = [ln.get_gid() or "" for ln in fig.findobj(Line2D)]
    assert not [g for g in gids if g.startswith(("best-response", "equilibrium"))]
    ticks = [t.get_text() for ax in fig.axes for t in ax.get_xticklabels() + ax.get_yticklabels()]
    assert not [t for t in ticks if "/" in t or "." in t]  # no indifference threshold
    assert len(fig.axes) == 1  # and no secondary axis carrying one
    drawn = " ".join(texts(fig))
    assert "(p, q)" not in drawn and "9/10" not in drawn


def _tick_label_boxes(fig):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    out = []
    for ax in [*fig.axes, *fig.axes[0].child_axes]:  # the square and its secondary (threshold) axes
        for axis in (ax.xaxis, ax.yaxis):
            for tick in axis.get_major_ticks():
                for label in (tick.label1, tick.label2):
                    if label.get_visible() and label.get_text():
                        out.append((label.get_text(), label.get_window_extent(renderer)))
    return out


@pytest.mark.parametrize("C", [1.2, 1.5, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0])
def test_best_response_tick_labels_never_overlap(C):
    src = open_source(str(ROOT / "scenarios/chicken.yaml"), {"C": C})
    fig = best_response_figure(src.game)
    labels = _tick_label_boxes(fig)
    texts_ = [t for t, _ in labels]
    if C == 100.0:  # the threshold p = q = 0.99 is labelled, away from the "1 (swerve)" labels
        assert "p = 0.99" in texts_ and "q = 0.99" in texts_
    for k, (a, box_a) in enumerate(labels):
        for b, box_b in labels[k + 1:]:
            assert not box_a.overlaps(box_b), f"{a!r} overlaps {b!r} at C={C}"


@pytest.mark.parametrize("t", [0.01, 0.05, 0.1, 0.14, 0.16, 0.3, 0.5, 0.7, 0.86, 0.9, 0.97, 0.995])
def test_best_response_threshold_labels_clear_the_end_labels_anywhere_in_the_square(t):
    # The row player is indifferent at q = t and the column player at p = t: a mixed equilibrium at
    # (t, t), with both thresholds near an end of the axes for t near 0 or 1.
    game = NormalFormGame.from_bimatrix([[1 - t, -t], [0, 0]], [[0, t - 1], [0, t]])
    labels = _tick_label_boxes(best_response_figure(game))
    assert len(labels) == 6  # 0 and 1 on both axes, and both thresholds
    for k, (a, box_a) in enumerate(labels):
        for b, box_b in labels[k + 1:]:
            assert not box_a.overlaps(box_b), f"{a!r} overlaps {b!r} at t={t}"


def test_best_response_figure_draws_each_players_correspondence_as_a_step():
    fig = best_response_figure(source("scenarios/matching_pennies.yaml").game)
    row, col = lines_by_gid(fig, "best-response-Matcher")[0], lines_by_gid(fig, "best-response-Mismatcher")[0]
    # (p, q): the Matcher plays tails (p=0) while q < 1/2 and heads above; the Mismatcher the opposite
    assert list(zip(row.get_xdata(), row.get_ydata())) == [(0, 0), (0, 0.5), (1, 0.5), (1, 1)]
    assert list(zip(col.get_xdata(), col.get_ydata())) == [(0, 1), (0.5, 1), (0.5, 0), (1, 0)]
    assert row.get_linewidth() > col.get_linewidth()  # the row's line stays visible under the column's


def test_correspondence_is_a_step_through_the_indifference_point():
    # gain -1 at t=0 and 2 at t=1: indifferent at t=1/3, second action below, first above
    path, zero, everywhere = correspondence(-1.0, 2.0, 1e-9)
    assert Fraction(zero).limit_denominator(10) == Fraction(1, 3) and not everywhere
    assert np.allclose(path, [(0, 0), (1 / 3, 0), (1 / 3, 1), (1, 1)])
    # indifferent exactly at t=0: every probability is a best response there
    path, zero, _ = correspondence(0.0, 1.0, 1e-9)
    assert zero == 0 and path == [(0.0, 0.0), (0.0, 1.0), (1.0, 1.0)]
    assert correspondence(0.0, 0.0, 1e-9) == ([], None, True)


# --- outcome figure ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def momentum():
    sc = load_scenario(ROOT / "scenarios/ceasefire_2025.yaml")
    mu = np.linspace(0, 0.3, 301)
    tree = sc.build({"mu": mu})
    spe = subgame_perfect(tree)
    ids = np.array([o.id for o in tree.outcomes], dtype=object)[spe.outcome_probs.argmax(axis=1)]
    payoffs = {p: spe.payoffs[:, i] for i, p in enumerate(tree.players)}
    return mu, ids, payoffs, spe


def test_regime_boundaries_of_the_seed_over_momentum_sit_at_the_tie_points(momentum):
    mu, ids, _, spe = momentum
    bounds = regime_boundaries(mu, ids, spe.extra["tied_on_path"])
    assert [(round(v, 6), a, b) for v, a, b in bounds] == [
        (0.105, "truce_aid", "truce_frozen"), (0.185, "truce_frozen", "war_sanctions")]
    # without tie flags a boundary falls halfway between the samples around it
    assert regime_boundaries([0, 1, 2], ["a", "a", "b"]) == [(1.5, "a", "b")]


def test_outcome_figure_shades_each_regime_and_labels_each_boundary(momentum):
    from matplotlib.patches import Polygon, Rectangle

    mu, ids, payoffs, spe = momentum
    bounds = regime_boundaries(mu, ids, spe.extra["tied_on_path"])
    fig = outcome_figure("mu", mu, ids, payoffs, boundaries=bounds, labels={"truce_aid": "Truce, aid flows"})
    spans = [p for p in fig.findobj(lambda a: isinstance(a, (Polygon, Rectangle)))
             if (p.get_gid() or "").startswith("regime-")]
    assert [s.get_gid() for s in spans] == ["regime-0-truce_aid", "regime-1-truce_frozen", "regime-2-war_sanctions"]
    assert len({s.get_hatch() for s in spans}) == 3  # regimes differ in hatching too (grayscale)
    lines = lines_by_gid(fig, "boundary-")
    assert [round(float(ln.get_xdata()[0]), 6) for ln in lines] == [0.105, 0.185]
    assert {"mu = 0.105", "mu = 0.185"} <= set(texts(fig))
    assert "Truce, aid flows (truce_aid)" in texts(fig)
    assert len(lines_by_gid(fig, "payoff-")) == 3


def test_outcome_figure_draws_extra_equilibrium_branches_thinner():
    values = np.linspace(0, 1, 11)
    second = np.where(values > 0.5, 2.0, np.nan)
    fig = outcome_figure("x", values, ["a"] * 11, {"P1": np.stack([values, second], axis=1)})
    (main,), (branch,) = lines_by_gid(fig, "payoff-"), lines_by_gid(fig, "branch-")
    assert branch.get_linewidth() < main.get_linewidth()
    assert "other equilibria" in texts(fig)


@pytest.mark.parametrize("n", [2, 5, 11, 61])
def test_coincident_payoff_lines_show_each_players_markers_at_different_values(n):
    values = np.linspace(0, 1, n)
    same = 0.5 - values
    fig = outcome_figure("x", values, ["a"] * n, {"P1": same, "P2": same.copy()})
    (m1,), (m2,) = lines_by_gid(fig, "marks-P1"), lines_by_gid(fig, "marks-P2")
    x1, x2 = set(m1.get_xdata()), set(m2.get_xdata())
    assert x1 and x2 and not x1 & x2
    assert np.allclose(m2.get_ydata(), 0.5 - m2.get_xdata())  # each marker sits on its line
    (l1,), (l2,) = lines_by_gid(fig, "payoff-P1"), lines_by_gid(fig, "payoff-P2")
    # the later line is drawn thinner on top, so the earlier one shows on both sides of it in any print
    assert l2.get_linewidth() < l1.get_linewidth() and l2.get_zorder() >= l1.get_zorder()
    assert min(m1.get_zorder(), m2.get_zorder()) > l2.get_zorder()  # no line cuts through a marker


def _title_and_plot(fig):
    """(title bottom, plot top, boundary labels' (bottom, top)) in inches from the figure's foot."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Annotation

    renderer = FigureCanvasAgg(fig).get_renderer()
    inch = fig.dpi
    (title,) = fig.texts
    labels = [a.get_window_extent(renderer) for a in fig.findobj(Annotation)]
    return (title.get_window_extent(renderer).y0 / inch, fig.axes[0].get_window_extent(renderer).y1 / inch,
            [(b.y0 / inch, b.y1 / inch) for b in labels])


def test_outcome_figure_keeps_room_above_the_plot_only_for_boundary_labels(momentum):
    mu, ids, payoffs, spe = momentum
    flat = outcome_figure("mu", mu[:100], ids[:100], {p: v[:100] for p, v in payoffs.items()}, title="T")
    assert set(ids[:100]) == {"truce_aid"}  # one regime, no boundaries (mu < 0.105)
    title, plot, labels = _title_and_plot(flat)
    assert labels == [] and 0 < title - plot < 0.3  # no empty band between title and plot
    bounds = regime_boundaries(mu, ids, spe.extra["tied_on_path"])
    title, plot, labels = _title_and_plot(outcome_figure("mu", mu, ids, payoffs, boundaries=bounds, title="T"))
    assert len(labels) == 2 and all(plot < lo and hi < title for lo, hi in labels)


def test_outcome_figure_rejects_unsorted_values():
    with pytest.raises(ValueError, match="ascending"):
        outcome_figure("x", [0, 2, 1], ["a", "a", "a"], {"P": [0, 0, 0]})


# --- saving --------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_save_figure_writes_the_same_bytes_for_the_same_input(tmp_path, fmt):
    src = source("tests/data/scenarios/crisis_signal.yaml")
    spe = spe_of(src)
    save_figure(tree_figure(src.game, spe), tmp_path / f"a.{fmt}")
    save_figure(tree_figure(src.game, spe), tmp_path / f"b.{fmt}")
    save_figure(tree_figure(src.game), tmp_path / f"c.{fmt}")
    a, b, c = ((tmp_path / f"{k}.{fmt}").read_bytes() for k in "abc")
    assert a == b
    assert a != c  # a different figure does give different bytes
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"a.{fmt}", f"b.{fmt}", f"c.{fmt}"]  # no temporaries


def test_saved_files_are_what_their_suffix_says(tmp_path):
    fig = matrix_figure(source("scenarios/prisoners_dilemma.yaml").game)
    for fmt, magic in (("png", b"\x89PNG"), ("svg", b"<?xml"), ("pdf", b"%PDF")):
        save_figure(fig, tmp_path / f"m.{fmt}")
        assert (tmp_path / f"m.{fmt}").read_bytes().startswith(magic)
    save_figure(fig, tmp_path / "m.out", format="svg")
    assert (tmp_path / "m.out").read_bytes() == (tmp_path / "m.svg").read_bytes()


def test_save_figure_rejects_an_unknown_format(tmp_path):
    fig = matrix_figure(source("scenarios/prisoners_dilemma.yaml").game)
    with pytest.raises(UsageError, match="use .png, .svg or .pdf"):
        save_figure(fig, tmp_path / "m.jpg")


def test_figure_svg_is_inline_svg_and_deterministic():
    fig = best_response_figure(source("scenarios/battle_of_the_sexes.yaml").game)
    svg = figure_svg(fig)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "<?xml" not in svg and "DOCTYPE" not in svg
    assert figure_svg(fig) == svg


def test_importing_the_cli_does_not_import_figures_or_matplotlib():
    code = "import sys, negosim.cli; print([m for m in ('matplotlib', 'negosim.present.figures') if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
