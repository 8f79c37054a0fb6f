"""The concepts qre and ce through the product: `solve --json` against pygambit and Aumann's numbers,
Gambit files, the front door, and one-line refusals."""

from __future__ import annotations

import json
from fractions import Fraction
from itertools import product
from pathlib import Path

import numpy as np
import pytest
from sweep_helpers import read_rows

from negosim.cli import main

ROOT = Path(__file__).resolve().parents[1]
AUMANN = str(ROOT / "scenarios" / "aumann_chicken.yaml")
POKER = str(ROOT / "tests" / "data" / "one_card_poker.efg")


def run_json(argv, capsys):
    code = main([*argv, "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def solution(doc, concept):
    (sol,) = [s for s in doc["solutions"] if s["concept"] == concept]
    return sol


# --- correlated equilibria ---------------------------------------------------------------------

AUMANN_PAYOFFS = {("swerve", "swerve"): (6, 6), ("swerve", "dare"): (2, 7), ("dare", "swerve"): (7, 2),
                  ("dare", "dare"): (0, 0)}


def obedience_gain(distribution: dict[str, float]) -> Fraction:
    """The largest expected gain from disobeying a recommendation, computed here from the payoff table."""
    q = {tuple(k.split("/")): Fraction(v).limit_denominator(1000) for k, v in distribution.items()}
    worst = Fraction(-1)
    for player in (0, 1):
        for told, instead in product(("swerve", "dare"), repeat=2):
            gain = Fraction(0)
            for profile, prob in q.items():
                if profile[player] != told:
                    continue
                other = list(profile)
                other[player] = instead
                gain += prob * (AUMANN_PAYOFFS[tuple(other)][player] - AUMANN_PAYOFFS[profile][player])
            worst = max(worst, gain)
    return worst


def test_aumanns_welfare_correlated_equilibrium_gives_5_25_each_from_the_cli(capsys):
    doc = run_json(["solve", AUMANN, "--concept", "ce"], capsys)
    welfare, best_row, best_column = solution(doc, "ce")["equilibria"]
    assert welfare["objective"] == "welfare"
    assert welfare["payoffs"] == pytest.approx({"Row": 5.25, "Column": 5.25})
    assert welfare["distribution"] == pytest.approx({"swerve/swerve": 0.5, "swerve/dare": 0.25, "dare/swerve": 0.25})
    assert obedience_gain(welfare["distribution"]) <= 0
    # Each player's best CE is its preferred pure equilibrium: nothing better is obedient.
    assert best_row["objective"] == "Row" and best_row["payoffs"] == pytest.approx({"Row": 7, "Column": 2})
    assert best_column["objective"] == "Column" and best_column["payoffs"] == pytest.approx({"Row": 2, "Column": 7})
    assert best_row["distribution"] == pytest.approx({"dare/swerve": 1.0})


def test_the_2x2_polytope_has_aumanns_five_vertices_each_obedient(capsys):
    sol = solution(run_json(["solve", AUMANN, "--concept", "ce"], capsys), "ce")
    assert sol["complete"] is True
    values = sorted(round(v["payoffs"]["Row"], 9) for v in sol["vertices"])
    # the two pure equilibria, the mixed Nash (14/3), the welfare optimum (21/4) and the worst (18/5)
    assert values == pytest.approx(sorted([2, 7, 14 / 3, 5.25, 3.6]))
    for vertex in sol["vertices"]:
        assert obedience_gain(vertex["distribution"]) <= Fraction(1, 10**6)
        assert sum(vertex["distribution"].values()) == pytest.approx(1)


def test_the_symmetric_nash_equilibrium_is_worth_14_thirds_in_the_same_document(capsys):
    doc = run_json(["solve", AUMANN, "--concept", "nash,ce"], capsys)
    mixed = [e for e in solution(doc, "nash")["equilibria"] if 0 < e["strategies"]["Row"]["swerve"] < 1]
    assert [e["payoffs"]["Row"] for e in mixed] == pytest.approx([14 / 3])


def test_ce_of_a_three_player_game_is_obedient_and_optimal_against_an_independent_lp(capsys, tmp_path, rng):
    from scipy.optimize import linprog

    from negosim.game import NormalFormGame
    from negosim.io import write_nfg

    payoffs = np.round(rng.uniform(-5, 5, (3, 2, 3, 2)), 3)
    game = NormalFormGame(("A", "B", "C"), (("a1", "a2"), ("b1", "b2", "b3"), ("c1", "c2")), payoffs)
    path = tmp_path / "g.nfg"
    path.write_text(write_nfg(game))
    sol = solution(run_json(["solve", str(path), "--concept", "ce"], capsys), "ce")
    assert [e["objective"] for e in sol["equilibria"]] == ["welfare", "A", "B", "C"]
    assert "vertices" not in sol and sol["complete"] is False
    profiles = list(product(range(2), range(3), range(2)))
    labels = ["/".join(game.actions[i][a] for i, a in enumerate(p)) for p in profiles]
    rows = []  # obedience, written out again: for each player, told a, deviating to b
    for i in range(3):
        for a, b in product(range(game.shape[i]), repeat=2):
            if a != b:
                rows.append([(payoffs[(i, *p[:i], b, *p[i + 1:])] - payoffs[(i, *p)]) if p[i] == a else 0.0
                             for p in profiles])
    A = np.array(rows)
    for eq, weights in zip(sol["equilibria"], [np.ones(3), *np.eye(3)]):
        q = np.array([eq["distribution"].get(k, 0.0) for k in labels])
        assert (A @ q).max() <= 1e-7 and q.sum() == pytest.approx(1)
        target = np.array([weights @ payoffs[(slice(None), *p)] for p in profiles])
        best = linprog(-target, A_ub=A, b_ub=np.zeros(len(A)), A_eq=np.ones((1, len(q))), b_eq=[1], method="highs")
        assert target @ q == pytest.approx(-best.fun, abs=1e-6)
        expected = [sum(q[k] * payoffs[(i, *p)] for k, p in enumerate(profiles)) for i in range(3)]
        assert [eq["payoffs"][p] for p in "ABC"] == pytest.approx(expected, abs=1e-9)


def test_ce_of_a_tree_is_solved_on_its_reduced_normal_form(capsys):
    sol = solution(run_json(["solve", POKER, "--concept", "ce"], capsys), "ce")
    welfare = sol["equilibria"][0]
    assert welfare["objective"] == "welfare"
    assert welfare["payoffs"]["Alice"] == pytest.approx(1 / 3)  # zero-sum: every CE is worth the value
    assert all("/" in k for k in welfare["distribution"])


def test_ce_too_large_is_refused_in_one_line_with_exit_6(capsys, tmp_path):
    from negosim.game import NormalFormGame
    from negosim.io import write_nfg

    game = NormalFormGame.from_bimatrix(np.zeros((80, 80)), np.eye(80))
    path = tmp_path / "big.nfg"
    path.write_text(write_nfg(game))
    code = main(["solve", str(path), "--concept", "ce"])
    out, err = capsys.readouterr()
    assert code == 6 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "correlated equilibria not computed" in err and "6,400 joint profiles" in err


# --- logit QRE ---------------------------------------------------------------------------------

def test_qre_json_of_a_random_3_player_gambit_game_matches_pygambit(pygambit, capsys, tmp_path, rng):
    arrays = [np.round(rng.uniform(0, 1, (2, 3, 2)), 4) for _ in range(3)]
    reference_game = pygambit.Game.from_arrays(*arrays)
    path = tmp_path / "r.nfg"
    path.write_text(reference_game.to_nfg())
    lambdas = [0.5, 2.0, 7.0]
    doc = run_json(["solve", str(path), "--concept", "qre", *[f"--lambda={v}" for v in lambdas]], capsys)
    rows = solution(doc, "qre")["equilibria"]
    reference = pygambit.qre.logit_solve_lambda(reference_game, lam=lambdas)
    assert [r["lambda"] for r in rows] == lambdas
    for row, ref in zip(rows, reference):
        ours = [p for player in doc["players"] for p in row["strategies"][player].values()]
        assert ours == pytest.approx([ref[i] for i in range(len(ours))], abs=1e-6)


def test_agent_qre_json_of_a_tree_matches_pygambit(pygambit, capsys):
    doc = run_json(["solve", POKER, "--concept", "qre", "--lambda", "1", "--lambda", "3"], capsys)
    rows = solution(doc, "qre")["equilibria"]
    efg = pygambit.read_efg(POKER)
    reference = pygambit.qre.logit_solve_lambda(efg, lam=[1.0, 3.0])
    for row, ref in zip(rows, reference):
        i = 0
        for player in efg.players:
            for infoset in player.infosets:
                for action in infoset.actions:
                    assert row["behavior"][player.label][infoset.label][action.label] == pytest.approx(ref[i], abs=1e-6)
                    i += 1


def test_qre_without_lambda_reports_the_documented_precisions_and_the_nash_limit(capsys):
    from negosim.solve.qre_ce import DEFAULT_LAMBDAS

    rows = solution(run_json(["solve", AUMANN, "--concept", "qre"], capsys), "qre")["equilibria"]
    assert [r["lambda"] for r in rows[:-1]] == list(DEFAULT_LAMBDAS)
    assert [r["nash_limit"] for r in rows] == [False] * (len(rows) - 1) + [True]
    limit = rows[-1]
    # The principal branch of chicken ends at the symmetric mixed equilibrium: swerve with probability 2/3.
    assert limit["strategies"]["Row"]["swerve"] == pytest.approx(2 / 3, abs=1e-5)
    assert limit["regret"] < 1e-4 and limit["lambda"] > 100
    swerve = [r["strategies"]["Row"]["swerve"] for r in rows]
    assert swerve[0] == pytest.approx(0.5, abs=0.1) and all(np.diff(swerve) > 0)


def test_qre_through_the_front_door_equals_the_cli(capsys):
    import negosim as ns

    sol = ns.load(AUMANN).solve("qre", lambdas=[0.5])
    doc = run_json(["solve", AUMANN, "--concept", "qre", "--lambda", "0.5"], capsys)
    (row,) = solution(doc, "qre")["equilibria"]
    assert sol.probability("Row", "swerve").tolist() == pytest.approx([row["strategies"]["Row"]["swerve"]])
    assert ns.equilibria(ns.load(AUMANN), "ce").payoff("Row")[0] == pytest.approx(5.25)


@pytest.mark.parametrize("argv, fragment", [
    (["--lambda", "1"], "--lambda applies to --concept qre"),
    (["--concept", "qre", "--lambda", "-1"], "lambda is a finite number at least 0"),
    (["--concept", "qre", "--lambda", "inf"], "lambda is a finite number at least 0"),
])
def test_bad_lambdas_are_one_line_usage_errors(capsys, argv, fragment):
    code = main(["solve", AUMANN, *argv])
    _, err = capsys.readouterr()
    assert code == 2 and fragment in err and err.count("\n") == 1


def test_qre_and_ce_are_not_in_the_default_run_and_say_so_in_help(capsys):
    doc = run_json(["solve", AUMANN], capsys)
    assert [s["concept"] for s in doc["solutions"]] == ["pure", "nash"]
    with pytest.raises(SystemExit):
        main(["solve", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "except qre and ce, which run only when asked" in out


# --- sweeps ------------------------------------------------------------------------------------

def test_sweep_columns_equal_direct_solves_at_two_points(capsys, tmp_path):
    import negosim as ns
    from negosim.solve.qre import logit_qre

    out = tmp_path / "sweep"
    code = main(["sweep", AUMANN, "--vary", "K=-4:1:6", "--concept", "qre", "--concept", "ce", "--lambda", "1",
                 "--lambda", "2.5", "-o", str(out), "--figures", "none", "--quiet"])
    assert code == 0, capsys.readouterr().err
    rows = read_rows(out)
    scenario = ns.load(AUMANN)
    for k in (-4.0, 1.0):
        (row, *_) = [r for r in rows if float(r["K"]) == k]
        qre = logit_qre(scenario.build({"K": k}), [1.0, 2.5])
        for e, lam in enumerate(["1", "2.5"]):
            assert float(row[f"qre_Row_swerve_lambda{lam}"]) == pytest.approx(qre.strategies[0][e, 0], abs=1e-12)
            assert float(row[f"qre_Column_dare_lambda{lam}"]) == pytest.approx(qre.strategies[1][e, 1], abs=1e-12)
        ce = scenario.solve("ce", K=k)
        assert float(row["ce_payoff_Row"]) == pytest.approx(ce.payoff("Row")[0], abs=1e-12)
        assert float(row["ce_welfare"]) == pytest.approx(ce.payoffs[0].sum(), abs=1e-12)
    at_zero = [r for r in rows if float(r["K"]) == 0.0][0]
    assert float(at_zero["ce_payoff_Column"]) == pytest.approx(5.25)  # Aumann's numbers at the baseline


def test_a_tree_sweep_gets_the_agent_qre_of_every_information_set(capsys, tmp_path):
    import negosim as ns
    from negosim.solve.qre import logit_qre

    path = str(ROOT / "scenarios" / "ceasefire_2025.yaml")
    out = tmp_path / "sweep"
    assert main(["sweep", path, "--vary", "mu=0:0.3:3", "--concept", "qre", "--lambda", "10", "-o", str(out),
                 "--figures", "none", "--quiet"]) == 0
    rows = read_rows(out)
    last = rows[-1]
    direct = logit_qre(ns.load(path).build({"mu": 0.3}), [10.0])
    assert float(last["qre_UA_ua_accept_lambda10"]) == pytest.approx(direct.probability("UA", "accept")[0], abs=1e-12)


def test_sweep_qre_without_lambda_is_a_usage_error(capsys, tmp_path):
    code = main(["sweep", AUMANN, "--vary", "K=-4:1:3", "--concept", "qre", "-o", str(tmp_path / "x")])
    err = capsys.readouterr().err
    assert code == 2 and "needs --lambda" in err and err.count("\n") == 1


# --- explain -----------------------------------------------------------------------------------

def test_explain_gives_the_mediators_reading_with_aumanns_numbers(capsys):
    assert main(["explain", AUMANN, "--concept", "ce"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "a recommendation no party wants to disobey" in text
    assert "1/2 swerve/swerve + 1/4 swerve/dare + 1/4 dare/swerve, worth 5.25 each (total 10.5)" in text
    assert "gives 5.25 each against 14/3 each in the symmetric Nash equilibrium" in text
    # the obedience check worked out: told to swerve, each is exactly indifferent (14/3 either way)
    assert "told swerve, 14/3 by obeying against 14/3 by playing dare; told dare, 7 by obeying against 6" in text
    assert "Row driver at most 7 (dare/swerve)" in text


def test_explain_says_when_no_mediator_beats_the_best_nash_equilibrium(capsys):
    assert main(["explain", str(ROOT / "scenarios" / "prisoners_dilemma.yaml"), "--concept", "ce"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "No mediator can do better for the players together than the best Nash equilibrium" in text


def test_explain_qre_moves_from_uniform_play_to_the_nash_limit(capsys):
    assert main(["explain", AUMANN, "--concept", "qre"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "less than perfectly rational play" in text
    assert "Row driver: swerve from 1/2 (uniform, lambda 0) to 0.5116 (lambda 0.1)" in text
    assert "0.6667 (limit)" in text


def test_explain_without_concepts_is_unchanged_and_rejects_nash_as_a_concept(capsys):
    assert main(["explain", AUMANN]) == 0
    assert "what a mediator can recommend" not in capsys.readouterr().out
    assert main(["explain", AUMANN, "--concept", "nash"]) == 2


# --- figure and handout ------------------------------------------------------------------------

def test_the_qre_figure_draws_each_action_from_uniform_play_to_the_nash_limit():
    from negosim.api import open_source
    from negosim.present.figures.qre import qre_figure

    fig = qre_figure(open_source(AUMANN).game)
    lines = {line.get_gid(): line for ax in fig.axes for line in ax.get_lines() if line.get_gid()}
    assert sorted(lines) == ["qre-Column-Column-dare", "qre-Column-Column-swerve", "qre-Row-Row-dare",
                             "qre-Row-Row-swerve"]
    swerve = lines["qre-Row-Row-swerve"].get_ydata()
    assert swerve[0] == pytest.approx(0.5, abs=1e-3) and swerve[-1] == pytest.approx(2 / 3, abs=1e-5)
    assert np.all(np.diff(swerve) > -1e-9)  # chicken's branch rises monotonically to 2/3
    assert all(ax.get_xscale() == "log" for ax in fig.axes)


def test_convert_draws_the_qre_figure_of_a_tree_and_refuses_a_question_version(capsys, tmp_path):
    out = tmp_path / "qre.png"
    assert main(["convert", POKER, "-o", str(out), "--figure", "qre"]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert main(["convert", AUMANN, "-o", str(tmp_path / "q.png"), "--figure", "qre", "--no-answers"]) == 2
    err = capsys.readouterr().err
    assert "no --no-answers version" in err and "Traceback" not in err


def test_the_handout_gets_the_qre_section_only_when_asked_and_never_on_a_worksheet(capsys, tmp_path):
    with_qre, plain = tmp_path / "h.html", tmp_path / "p.html"
    assert main(["report", AUMANN, "-o", str(with_qre), "--qre"]) == 0
    assert main(["report", AUMANN, "-o", str(plain)]) == 0
    html = with_qre.read_text()
    assert '<section id="qre">' in html and "less often" in html and "negosim report" in html and "--qre" in html
    assert '<section id="qre">' not in plain.read_text()
    assert main(["report", AUMANN, "-o", str(tmp_path / "w.html"), "--qre", "--no-answers"]) == 2
    assert not (tmp_path / "w.html").exists()


def test_a_qre_trace_too_large_is_refused_before_any_work():
    from negosim.game import NormalFormGame
    from negosim.solve import solve
    from negosim.solve.policy import TooLargeError

    shape = (30, 30, 30, 30)
    game = NormalFormGame(("A", "B", "C", "D"), tuple(tuple(str(j) for j in range(k)) for k in shape),
                          np.zeros((4, *shape)))
    with pytest.raises(TooLargeError, match="the logit QRE not computed: each step of the trace evaluates"):
        solve(game, "qre")
