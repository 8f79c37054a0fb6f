"""Perfect Bayesian equilibria where one type is almost never drawn (beer-quiche with a prior near 0, 1/2
or 1): the search's conditions are weighted by how likely each information set is reached, so tiny
weights must neither pass a wrong profile nor hide a right one, and a type that mixes with a tiny
probability still mixes.

Closed form (Cho and Kreps; DOMAIN's signalling section): for 0 < pS < 1/2 the only perfect Bayesian
equilibria are semi-separating, the weak sender ordering beer with probability pS / (1 - pS) and the
receiver dueling after beer with probability 1/2; for pS > 1/2 they are pooling.
"""

from __future__ import annotations

import numpy as np
import pytest

from negosim.scenario import load_scenario
from negosim.solve.pbe import perfect_bayesian, point_game
from negosim.solve.pbe_check import verify_pbe
from negosim.solve.pbe_polytope import vertices
from negosim.solve.signalling import classify, signalling_structure
from negosim.sweep.engine import run_sweep
from negosim.sweep.kinds import game_kind_labels

BEER_QUICHE = "scenarios/beer_quiche.yaml"
# weak sender = infoset 3, receiver after beer = infoset 1 (point_game's order: strong, after_beer, after_quiche, weak)
STRONG, AFTER_BEER, AFTER_QUICHE, WEAK = range(4)


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(BEER_QUICHE)


# values found by the kind bisection of `negosim sweep beer_quiche.yaml --vary pS=0:1:41`, which raised
# VerificationError before, and others as close to 0, 1/2 and 1
RARE = [2.0624397525140926e-08, 1e-12, 1e-7, 5e-6, 0.499999, 0.4999975, 0.9999999999905975, 1 - 1e-12]


def test_every_reported_equilibrium_verifies_and_low_priors_are_semi_separating(scenario):
    values = np.array(RARE)
    sol = perfect_bayesian(scenario.build({"pS": values}))
    assert set(sol.point.tolist()) == set(range(len(values)))  # an equilibrium everywhere
    for b, pS in enumerate(values):
        game = point_game(scenario.build({"pS": np.array([pS])}))
        rows = [r for r in range(len(sol.point)) if sol.point[r] == b]
        kinds = {sol.extra["classification"][r] for r in rows}
        for r in rows:
            behaviour = [np.asarray(x[r], float) for x in sol.behavior]
            beliefs = {k: np.array(list(sol.extra["beliefs"][r][name].values()))
                       for k, (_, name, _) in enumerate(game.infosets)}
            assert verify_pbe(game, behaviour, beliefs, float(sol.tol[b])) <= float(sol.tol[b])
        if pS < 0.5:
            assert kinds == {"semi-separating"}, (pS, kinds)
            for r in rows:  # the closed form's mixing, within the tolerance
                weak_beer = float(np.asarray(sol.behavior[WEAK][r])[0])
                assert weak_beer == pytest.approx(pS / (1 - pS), rel=1e-6, abs=1e-12)
                assert float(np.asarray(sol.behavior[AFTER_BEER][r])[0]) == pytest.approx(0.5, abs=1e-9)
        else:
            assert kinds == {"pooling"}, (pS, kinds)


def test_kind_labels_mix_however_unequal_the_mixture(scenario):
    labels = game_kind_labels(scenario.build({"pS": np.array([1e-7, 0.25, 0.499999, 0.75])}))
    assert labels.tolist() == ["semi-separating", "semi-separating", "semi-separating", "pooling"]


def test_classify_counts_a_lopsided_mixture_as_mixing(scenario):
    tree = scenario.build()
    sig = signalling_structure(tree, point_game(tree).infoset_of)
    pure = [np.array([1.0, 0.0]), np.array([0.0, 1.0]), np.array([1.0, 0.0]), np.array([0.0, 1.0])]
    lopsided = [np.array([1.0, 0.0]), np.array([0.0, 1.0]), np.array([1.0, 0.0]), np.array([1e-6, 1 - 1e-6])]
    assert classify(sig, pure) == "separating"
    assert classify(sig, lopsided) == "semi-separating"


def test_an_equality_with_small_coefficients_still_binds():
    # 1e-11 x = 1 with 0 <= x <= 1 has no solution (x = 1e11); read as rank lost, it had every x
    a_eq, b_eq = np.array([[1e-11]]), np.array([1.0])
    g, h = np.array([[1.0], [-1.0]]), np.array([1.0, 0.0])
    assert vertices(a_eq, b_eq, g, h).points.shape == (0, 1)
    # and a small-coefficient equality that holds picks its point: 1e-11 x = 5e-12 -> x = 1/2
    pts = vertices(a_eq, np.array([5e-12]), g, h).points
    assert pts.shape == (1, 1) and pts[0, 0] == pytest.approx(0.5)


def test_the_sweep_over_the_whole_prior_finishes_and_places_the_kind_changes(scenario, tmp_path):
    summary = run_sweep(scenario, {"pS": (0.0, 1.0, 41)}, out_dir=tmp_path)
    changes = [(k["below"], k["above"], k["value"]) for k in summary.kind_boundaries]
    assert [(a, b) for a, b, _ in changes] == [("separating", "semi-separating"), ("semi-separating", "pooling"),
                                               ("pooling", "pooling + separating")]
    (_, _, near0), (_, _, half), (_, _, near1) = changes
    assert 0 < near0 < 1e-8 and half == pytest.approx(0.5, abs=1e-8) and 1 - 1e-8 < near1 < 1
