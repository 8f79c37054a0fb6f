"""The logit QRE fitted to the class's choices: against the closed-form maximum-likelihood precision of a
symmetric prisoner's dilemma, against a direct QRE solve, and on the teacher's page only once revealed."""

from __future__ import annotations

import math

import numpy as np
import pytest
from classroom_helpers import Student, open_room
from scipy.optimize import brentq

from negosim.classroom.qre_fit import fit_qre, qre_curve
from negosim.classroom.rules import Rules
from negosim.game import NormalFormGame
from negosim.solve.qre import logit_qre

PD = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]], actions=(("C", "D"), ("C", "D")))


def symmetric_pd_qre(lam: float) -> float:
    """P(C) in the symmetric logit QRE: p = 1 / (1 + exp(lam * (u(D) - u(C)))), u(D) - u(C) = 1 + p."""
    return brentq(lambda p: p - 1 / (1 + math.exp(lam * (1 + p))), 0.0, 0.5)


@pytest.mark.parametrize("cooperators", [1, 2, 3])
def test_the_fitted_precision_is_the_maximum_likelihood_one(cooperators):
    # k of n students cooperate on each side: the likelihood k log p + (n-k) log(1-p) peaks where the QRE's
    # P(C) equals k/n, i.e. at lam* = log(n/k - 1) / (1 + k/n) (P(C) falls from 1/2 as lam grows).
    n = 10
    share = cooperators / n
    lam_star = math.log(1 / share - 1) / (1 + share)
    fit = fit_qre(Rules(PD), {"P1": {"C": cooperators, "D": n - cooperators},
                              "P2": {"C": cooperators, "D": n - cooperators}})
    assert fit is not None and fit.at_edge == "" and fit.choices == 2 * n
    assert abs(math.log(fit.lam / lam_star)) < 0.06  # within half a step of the grid (ratio 1.12)
    assert fit.behavior["P1"]["C"] == pytest.approx(symmetric_pd_qre(fit.lam), abs=1e-7)
    assert fit.log_likelihood > fit.random_log_likelihood
    assert "λ = " in fit.sentence() and "random play" in fit.sentence()


def test_the_curve_is_the_qre_branch_of_the_game():
    rules = Rules(PD)
    lambdas, behaviours = qre_curve(rules)
    assert lambdas[0] == 0 and behaviours[0]["P1"] == {"C": 0.5, "D": 0.5}
    for k in (10, 40, 70):
        assert behaviours[k]["P2"]["C"] == pytest.approx(symmetric_pd_qre(lambdas[k]), abs=1e-7)
    assert qre_curve(rules)[0] is lambdas  # cached on the rules


def test_no_choice_no_fit_and_indifferent_choices_fit_random_play():
    assert fit_qre(Rules(PD), {"P1": {"C": 0, "D": 0}, "P2": {"C": 0, "D": 0}}) is None
    fit = fit_qre(Rules(PD), {"P1": {"C": 5, "D": 5}})
    assert fit is not None and fit.at_edge == "low" and fit.lam == 0.0 and "random play" in fit.sentence()


def test_the_teacher_sees_the_fit_only_after_revealing_and_it_matches_a_direct_solve(tmp_path):
    room, app, teacher = open_room(tmp_path)
    students = [Student(app, n) for n in ("Ana", "Ben", "Cy")]
    teacher.do("start")
    ua = next(s for s in students if s.view()["seat"]["role"] == "UA")
    assert ua.move("reject").status_code == 200
    state = teacher.state()
    assert state["qre"] is None and all(a["qre"] is None for d in state["decisions"] for a in d["actions"])
    teacher.do("reveal")
    state = teacher.state()
    fit = state["qre"]
    assert fit is not None and fit["choices"] == 1 and fit["sentence"]
    # One Ukrainian "reject" against an equilibrium "accept": the fit must not be the sharpest precision.
    assert fit["at_edge"] != "high"
    sol = logit_qre(room.round_rules().game, [fit["lambda"]])
    direct = {s: q for per in sol.equilibria_at(0)[0].behavior.values() for s, q in per.items()}
    for d in state["decisions"]:
        shown = {a["action"]: a["qre"] for a in d["actions"]}
        assert sum(shown.values()) == pytest.approx(1.0)
        for action, q in shown.items():
            assert q == pytest.approx(direct[d["id"]][action], abs=1e-6)
    ua_probs = {a["action"]: a["qre"] for d in state["decisions"] if d["id"] == "ua" for a in d["actions"]}
    assert ua_probs["reject"] > 1e-3 and np.isfinite(fit["log_likelihood"])


def test_a_signalling_game_is_predicted_by_its_intuitive_perfect_bayesian_equilibrium():
    # Beer-quiche has pooling equilibria on beer and on quiche; only beer survives the Intuitive Criterion,
    # and that is the one the teacher's page shows and the computer follows.
    from negosim.api import open_source
    from negosim.classroom.rules import rules_for

    rules = rules_for(open_source("scenarios/beer_quiche.yaml"))
    pred = rules.prediction
    assert pred.concept == "pbe" and pred.count == 4
    assert set(pred.outcomes) == {"sb_peace", "wb_peace"} and "Intuitive Criterion" in pred.note
    assert rules_for(open_source("scenarios/ceasefire_2025.yaml")).prediction.concept == "spe"
