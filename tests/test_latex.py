"""LaTeX export: sgame matrices and TikZ trees for slides and exams."""

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from negosim.api import open_source
from negosim.errors import GameError
from negosim.game import NormalFormGame
from negosim.present.figures.tree_layout import tree_layout
from negosim.present.report.latex import latex_escape, to_latex
from negosim.solve import solve

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
CRISIS = ROOT / "tests" / "data" / "scenarios" / "crisis_signal.yaml"
TREES = ["ceasefire_2025", "entry_deterrence", "sanctions_threat", "ultimatum"]


def source(name):
    return open_source(str(SCENARIOS / f"{name}.yaml") if "/" not in str(name) else str(name))


def nodes_of(tex):
    """TikZ node name -> (x, y) of every `\\node` in a picture."""
    pattern = r"\\node\[[^\n]*?\] \((n\d+)\) at \(([-\d.]+), ([-\d.]+)\)"
    return {m[0]: (float(m[1]), float(m[2])) for m in re.findall(pattern, tex)}


def edges_of(tex, style=None):
    """(from, to, label) of every tree edge drawn, optionally only those whose options are exactly `style`."""
    found = re.findall(r"^\\draw(?:\[([^\]]*)\])? \((n\d+)\) -- node\[[^\]]*\] \{(.*)\} \((n\d+)\);$", tex, re.M)
    return {(a, b, label) for opts, a, label, b in found if style is None or opts == style}


def cell_row(tex, action):
    return next(line for line in tex.splitlines() if line.startswith(f"{action} & "))


def test_prisoners_dilemma_is_a_2x2_sgame_with_each_payoff_pair_in_its_cell():
    src = source("prisoners_dilemma")
    tex = to_latex(src.game)
    assert r"\begin{game}{2}{2}[Row][Column]" in tex and tex.rstrip().endswith(r"\end{game}")
    assert "    & cooperate & defect \\\\" in tex
    assert cell_row(tex, "cooperate") == r"cooperate & $3$, $3$ & $0$, $5$ \\"
    assert cell_row(tex, "defect") == r"defect & $5$, $0$ & $1$, $1$"
    assert r"\underline" not in tex  # nothing is marked without a solution


def equilibrium_cells(tex: str) -> int:
    """Cells of the sgame matrices in which every payoff is underlined (pure Nash equilibria)."""
    cells = [c.strip().rstrip("\\").strip() for line in tex.splitlines() if "$" in line for c in line.split("&")[1:]]
    return sum(1 for c in cells if c and all(p.strip().startswith(r"$\underline{") for p in c.split(",")))


def test_best_responses_are_underlined_so_the_equilibrium_cell_is_fully_underlined():
    src = source("prisoners_dilemma")
    tex = to_latex(src.game, solution=solve(src.game, ["nash"]))
    assert cell_row(tex, "cooperate") == r"cooperate & $3$, $3$ & $0$, $\underline{5}$ \\"
    assert cell_row(tex, "defect") == r"defect & $\underline{5}$, $0$ & $\underline{1}$, $\underline{1}$"
    assert equilibrium_cells(tex) == 1


def test_action_and_player_labels_are_escaped_for_latex():
    game = NormalFormGame.from_bimatrix([[1, 2]], [[3, 4]], players=("Me & you", "P_2"),
                                        actions=(("tit_for_tat",), ("50%", "#1 {x} ~^$\\")))
    tex = to_latex(game)
    assert r"[Me \& you][P\_2]" in tex
    assert r"tit\_for\_tat & $1$, $3$ & $2$, $4$" in tex
    assert r"& 50\% & \#1 \{x\} \textasciitilde{}\textasciicircum{}\$\textbackslash{} \\" in tex


def test_latex_escape_leaves_no_special_character_unescaped():
    escaped = latex_escape("a_b&c%d#e$f{g}h~i^j\\k")
    assert re.search(r"(?<!\\)[_&%#${}]", re.sub(r"\\[a-z]+\{\}", "", escaped)) is None


def test_a_three_player_game_gets_one_captioned_matrix_per_action_of_the_third_player():
    src = source("three_player")
    tex = to_latex(src.game, solution=solve(src.game, ["nash"]))
    assert tex.count(r"\begin{game}{2}{2}[A][B]") == 2
    assert r"C plays \emph{volunteer}:" in tex and r"C plays \emph{abstain}:" in tex
    # exactly one volunteer: the three pure equilibria are fully underlined, two of them when C abstains
    assert equilibrium_cells(tex) == 3
    assert equilibrium_cells(tex.split(r"C plays \emph{abstain}")[1]) == 2


def test_a_batched_game_is_written_at_the_point_asked_for():
    game = NormalFormGame.from_bimatrix(np.array([[[1.0]], [[7.0]]]), np.array([[[2.0]], [[9.0]]]))
    assert "$7$, $9$" in to_latex(game, point=1) and "$1$, $2$" in to_latex(game, point=0)
    with pytest.raises(GameError):
        to_latex(game, point=2)


@pytest.mark.parametrize("name", ["entry_deterrence", "ceasefire_2025"])
def test_a_tree_has_one_tikz_node_per_tree_node(name):
    src = source(name)
    tex = to_latex(src.game)
    assert tex.count(r"\node") == len(src.game.nodes)
    assert set(nodes_of(tex)) == {f"n{i}" for i in range(len(src.game.nodes))}
    assert len(edges_of(tex)) == len(src.game.nodes) - 1


def test_entry_deterrence_draws_the_spe_path_in_bold_and_the_threat_thin():
    src = source("entry_deterrence")
    (spe,) = solve(src.game, ["spe"])
    tex = to_latex(src.game, solution=spe)
    idx = {n.id: f"n{i}" for i, n in enumerate(src.game.nodes)}
    assert edges_of(tex, "very thick") == {("n0", idx["incumbent"], "in"), (idx["incumbent"], "n4", "accommodate")}
    assert ("n0", "n1", "out") in edges_of(tex, "")  # off the play, and not the Entrant's choice: thin
    assert not any(label == "fight" for _, _, label in edges_of(tex, "very thick"))
    assert r"label={[player]above:Entrant}" in tex and "$(1,\\ 2)$" in tex  # payoffs (Entrant, Incumbent)


def test_the_ceasefire_spe_path_is_ukraine_accepts_then_russia_accepts():
    src = source("ceasefire_2025")
    (spe,) = solve(src.game, ["spe"])
    tex = to_latex(src.game, solution=spe)
    ids = {f"n{i}": n.id for i, n in enumerate(src.game.nodes)}
    bold = {(ids[a], label) for a, _, label in edges_of(tex, "very thick")}
    assert bold == {("ua", "accept"), ("ru", "accept")}
    off_path = {(ids[a], label) for a, _, label in edges_of(tex, "thick")}
    assert ("us_sanction", "impose") in off_path and ("us_aid", "freeze") in off_path  # the plan off the play


def test_an_information_set_is_joined_by_a_dashed_line_and_chance_edges_carry_probabilities():
    src = open_source(str(CRISIS))
    tex = to_latex(src.game, solution=solve(src.game, ["spe"]))
    i, j = (f"n{src.game.node_index(n)}" for n in ("r_resolute", "r_weak"))
    assert re.search(rf"\\draw\[dashed, thick\] \({i}\) -- \({j}\);", tex)
    labels = {label for _, _, label in edges_of(tex)}
    assert "resolute ($2/5$)" in labels and "weak ($3/5$)" in labels
    assert r"label={[player]above:Nature}" in tex


def test_no_leaf_sits_under_an_information_sets_dashed_line():
    src = open_source(str(CRISIS))
    tex = to_latex(src.game)
    pos = nodes_of(tex)
    y = pos[f"n{src.game.node_index('r_resolute')}"][1]
    between = [p for k, p in pos.items() if src.game.nodes[int(k[1:])].kind == "terminal"
               and pos[f"n{src.game.node_index('r_resolute')}"][0] < p[0] < pos[f"n{src.game.node_index('r_weak')}"][0]]
    assert between and all(p[1] < y for p in between)


@pytest.mark.parametrize("name", TREES)
def test_the_tidy_layout_spaces_leaves_evenly_centres_parents_and_never_crosses_edges(name):
    tree = source(name).game
    layout = tree_layout(tree)
    x, depth, parent = layout.x, layout.depth, list(layout.parent)
    leaves = [i for i in tree.preorder() if not tree.nodes[i].children]
    assert list(x[leaves]) == list(range(len(leaves)))
    for i, node in enumerate(tree.nodes):
        if node.children:
            assert x[i] == (x[node.children[0]] + x[node.children[-1]]) / 2
    segments = [((x[p], -depth[p]), (x[c], -depth[c])) for c, p in enumerate(parent) if p >= 0]
    for a in range(len(segments)):
        for b in range(a + 1, len(segments)):
            assert not _cross(*segments[a], *segments[b]), (segments[a], segments[b])


def _cross(p1, p2, q1, q2) -> bool:
    """Whether two segments cross at a point inside both (sharing an endpoint does not count)."""
    def orient(a, b, c):
        return np.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]))
    if {p1, p2} & {q1, q2}:
        return False
    return orient(p1, p2, q1) * orient(p1, p2, q2) < 0 and orient(q1, q2, p1) * orient(q1, q2, p2) < 0


def test_a_fragment_names_its_packages_and_standalone_is_a_whole_document():
    src = source("entry_deterrence")
    fragment = to_latex(src.game, title="Entry & exit")
    assert fragment.startswith("% negosim: needs \\usepackage{tikz}\n% Entry & exit\n")
    assert r"\documentclass" not in fragment
    doc = to_latex(src.game, title="Entry & exit", standalone=True)
    assert doc.startswith(r"\documentclass") and r"\usepackage{tikz}" in doc
    assert r"font=\bfseries, inner sep=6pt] {Entry \& exit};" in doc  # a heading above the picture
    assert r"\textbf{Heading}\par" in to_latex(source("prisoners_dilemma").game, title="Heading", standalone=True)
    assert doc.index(r"\begin{document}") < doc.index(r"\begin{tikzpicture}") < doc.index(r"\end{document}")
    assert r"\usepackage{sgame}" in to_latex(source("prisoners_dilemma").game, standalone=True)


def test_a_tree_drawn_with_a_normal_form_solution_is_refused():
    src = source("entry_deterrence")
    with pytest.raises(GameError, match="subgame-perfect"):
        to_latex(src.game, solution=solve(src.game, ["nash"]))


def _compiles(tex: str, tmp_path) -> subprocess.CompletedProcess:
    (tmp_path / "game.tex").write_text(tex)
    return subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "game.tex"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)


def _has_package(name: str) -> bool:
    kpse = shutil.which("kpsewhich")
    return bool(kpse) and bool(subprocess.run([kpse, f"{name}.sty"], capture_output=True, text=True).stdout.strip())


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
@pytest.mark.parametrize("name,package", [("ceasefire_2025", "tikz"), ("prisoners_dilemma", "sgame"),
                                          ("three_player", "sgame")])
def test_standalone_output_compiles_with_pdflatex(name, package, tmp_path):
    if not _has_package(package):
        pytest.skip(f"the LaTeX package {package} is not installed")
    src = source(name)
    concept = "spe" if package == "tikz" else "nash"
    tex = to_latex(src.game, solution=solve(src.game, [concept]), title=src.title, standalone=True)
    result = _compiles(tex, tmp_path)
    assert result.returncode == 0, result.stdout[-2000:]
    assert (tmp_path / "game.pdf").stat().st_size > 0


def test_convert_no_answers_writes_latex_without_underlines_or_bold_play(tmp_path):
    from negosim.cli import main

    for name, mark in (("chicken", r"\underline"), ("entry_deterrence", "very thick")):
        answers, question = tmp_path / f"{name}.tex", tmp_path / f"{name}-q.tex"
        assert main(["convert", str(ROOT / "scenarios" / f"{name}.yaml"), "-o", str(answers)]) == 0
        assert main(["convert", str(ROOT / "scenarios" / f"{name}.yaml"), "-o", str(question), "--no-answers"]) == 0
        assert mark in answers.read_text() and mark not in question.read_text()
        assert "[thick]" not in question.read_text() and "equilibrium" not in question.read_text()


def test_tree_leaves_show_outcome_labels_in_words_and_payoffs_as_the_text_output():
    src = source("ceasefire_2025")
    tex = to_latex(src.game)
    leaves = " ".join(re.findall(r"\\node\[outcome\].*", tex))
    words = re.sub(r"\\strut|\\textit|\\\\|[{}]", " ", leaves)
    assert "30-day truce, aid keeps flowing" in " ".join(words.split())
    assert "truce\\_aid" not in tex and "$0.3275$" in tex and "0.328$" not in tex
