"""Correlated equilibria: optima that are not unique say so; keys of a tree's joint profiles split back."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from negosim.cli import main

ROOT = Path(__file__).resolve().parents[1]
AUMANN = str(ROOT / "scenarios" / "aumann_chicken.yaml")
SANCTIONS = str(ROOT / "scenarios" / "sanctions_threat.yaml")



def ce_solution(argv, capsys) -> dict:
    code = main(["solve", *argv, "--concept", "ce", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    doc = json.loads(out)
    (sol,) = [s for s in doc["solutions"] if s["concept"] == "ce"]
    return {**sol, "warnings": doc["warnings"]}


def write_nfg(path: Path, a: list[list[float]], b: list[list[float]]) -> str:
    """A 2x2 Gambit strategic game (outcome-free payoff list, row player's action varying fastest)."""
    pays = " ".join(f"{a[r][c]} {b[r][c]}" for c in range(2) for r in range(2))
    path.write_text(f'NFG 1 R "coordination" {{ "P1" "P2" }} {{ 2 2 }}\n{pays}\n')
    return str(path)


def test_aumanns_optima_are_each_unique(capsys):
    sol = ce_solution([AUMANN], capsys)
    assert [eq["unique"] for eq in sol["equilibria"]] == [True, True, True]
    assert not any("several correlated equilibria" in n for n in sol["warnings"])


def test_a_pure_coordination_game_says_its_optima_are_not_unique(capsys, tmp_path):
    # Both (a, a) and (b, b) are worth 1 each, and so is every mixture of them: obedient (each player
    # told a expects the other to play a) and welfare 2, the most any profile gives. The welfare optimum
    # is a whole segment, so whichever point HiGHS returns is a selection and must be flagged.
    game = write_nfg(tmp_path / "c.nfg", [[1, 0], [0, 1]], [[1, 0], [0, 1]])
    sol = ce_solution([game], capsys)
    welfare = sol["equilibria"][0]
    assert welfare["objective"] == "welfare" and sum(welfare["payoffs"].values()) == pytest.approx(2)
    assert welfare["unique"] is False
    assert any("several correlated equilibria reach the welfare optimum" in n for n in sol["warnings"])


def test_a_strictly_best_profile_keeps_its_optimum_unique(capsys, tmp_path):
    # Prisoner's dilemma: the only correlated equilibrium is (defect, defect), so every optimum is unique.
    game = write_nfg(tmp_path / "pd.nfg", [[3, 0], [5, 1]], [[3, 5], [0, 1]])
    sol = ce_solution([game], capsys)
    assert all(eq["unique"] is True for eq in sol["equilibria"])


def test_explain_says_when_the_welfare_plan_is_one_of_several(capsys, tmp_path):
    game = write_nfg(tmp_path / "c.nfg", [[1, 0], [0, 1]], [[1, 0], [0, 1]])
    assert main(["explain", game, "--concept", "ce"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "It is not the only such plan" in text and "one of several" in text
    assert main(["explain", AUMANN, "--concept", "ce"]) == 0
    assert "not the only such plan" not in " ".join(capsys.readouterr().out.split())


def test_normal_form_keys_stay_plain_labels_joined_with_a_slash(capsys):
    welfare = ce_solution([AUMANN], capsys)["equilibria"][0]
    assert set(welfare["distribution"]) == {"swerve/swerve", "swerve/dare", "dare/swerve"}


def test_tree_keys_put_each_reduced_strategy_in_parentheses_and_split_back(capsys):
    from negosim.api import open_source
    from negosim.game.reduce import reduced_normal_form

    rnf = reduced_normal_form(open_source(SANCTIONS).game)
    assert any("/" in s for acts in rnf.actions for s in acts)  # the ambiguity this guards against
    sol = ce_solution([SANCTIONS], capsys)
    pattern = re.compile(r"^\((.*)\)/\((.*)\)$")
    for eq in sol["equilibria"]:
        total = 0.0
        for key, q in eq["distribution"].items():
            match = pattern.match(key)
            assert match, key
            sender, target = match.groups()
            assert sender in rnf.actions[0] and target in rnf.actions[1]
            total += q
        assert total == pytest.approx(1.0)


def test_explain_gives_the_obedience_argument_on_a_tree(capsys):
    assert main(["explain", SANCTIONS, "--concept", "ce"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "Why nobody disobeys" in text
    assert re.search(r"told threaten/\w+, [-\d./]+ by obeying against", text)


def test_non_uniqueness_agrees_with_an_independent_check_on_random_2x2_games():
    """Where negosim says unique, no other obedient distribution reaches the same welfare (checked by
    sampling the polytope's vertices: the optimum is unique iff exactly one vertex attains it)."""
    from negosim.game import NormalFormGame
    from negosim.solve.correlated import correlated_equilibria

    rng = np.random.default_rng(7)
    for _ in range(25):
        a, b = rng.integers(-3, 4, size=(2, 2, 2))
        game = NormalFormGame.from_bimatrix(a.tolist(), b.tolist())
        found = correlated_equilibria(game, vertices=True)[0]
        welfare = found[0]
        vertex_totals = [float(v.payoffs.sum()) for v in found if v.objective == "vertex"]
        best = max(vertex_totals)
        assert float(welfare.payoffs.sum()) == pytest.approx(best, abs=1e-9)
        attaining = sum(abs(t - best) <= 1e-9 for t in vertex_totals)
        assert welfare.unique is (attaining == 1)


# --- the handout's mediator section ----------------------------------------------------------------


def test_aumanns_handout_has_the_mediators_plan_and_the_worksheet_does_not(tmp_path):
    handout, worksheet = tmp_path / "h.html", tmp_path / "w.html"
    assert main(["report", AUMANN, "-o", str(handout)]) == 0
    assert main(["report", AUMANN, "-o", str(worksheet), "--no-answers"]) == 0
    html = handout.read_text()
    section = html[html.index('<section id="ce">'):]
    section = section[:section.index("</section>")]
    # The plan as a table: rows Row's actions, columns Column's; (dare, dare) never recommended.
    assert re.search(r"<tr><th>swerve</th><td[^>]*>1/2</td><td[^>]*>1/4</td></tr>", section)
    assert re.search(r"<tr><th>dare</th><td[^>]*>1/4</td><td[^>]*>0</td></tr>", section)
    text = " ".join(re.sub(r"<[^>]+>", " ", section).split())
    assert "5.25 each against 14/3 each in the symmetric Nash equilibrium" in text
    assert "told dare, 7 by obeying against 6 by playing swerve" in text
    assert "Nash equilibrium 2: (2/3 swerve + 1/3 dare, 2/3 swerve + 1/3 dare) 14/3 14/3 28/3" in text
    spoiler = worksheet.read_text()
    # (the scenario's own description mentions a mediator: the answers must not appear)
    assert 'id="ce"' not in spoiler and 'class="ce-plan"' not in spoiler
    assert "What a mediator can recommend" not in spoiler
    assert "5.25" not in spoiler and "14/3" not in spoiler


@pytest.mark.parametrize("scenario", ["prisoners_dilemma.yaml", "battle_of_the_sexes.yaml", "sanctions_threat.yaml"])
def test_the_mediator_section_is_absent_where_it_says_nothing(tmp_path, scenario):
    # The prisoner's dilemma's only CE is its Nash equilibrium; in the battle of the sexes no plan beats
    # a pure equilibrium's total; a tree is not shown as a plan over joint profiles.
    out = tmp_path / "h.html"
    assert main(["report", str(ROOT / "scenarios" / scenario), "-o", str(out)]) == 0
    assert 'id="ce"' not in out.read_text()


def test_wants_ce_agrees_with_the_nash_totals():
    from negosim.api import open_source, solve_source
    from negosim.present.report.ce import wants_ce

    found = wants_ce(open_source(AUMANN))
    assert found is not None
    ce, nash = found
    welfare = ce.equilibria_at(0)[0]
    assert sum(welfare.payoffs.values()) == pytest.approx(10.5)
    (pure,) = solve_source(open_source(AUMANN), ["nash"])
    assert max(sum(eq.payoffs.values()) for eq in pure.equilibria_at(0)) == pytest.approx(28 / 3)
