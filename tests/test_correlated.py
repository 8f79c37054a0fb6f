"""Correlated equilibria: Aumann's chicken, LP duality against an independent dual programme, the
vertices of the 2x2 polytope, and Nash equilibria as correlated ones (DOMAIN.md section 7b)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linprog

from negosim.game import NormalFormGame
from negosim.game.generate import random_game
from negosim.solve import solve
from negosim.solve.correlated import correlated_equilibria, obedience_matrix, obedience_regret


def aumann_chicken() -> NormalFormGame:
    return NormalFormGame.from_bimatrix([[6, 2], [7, 0]], [[6, 7], [2, 0]],
                                        actions=(("swerve", "dare"), ("swerve", "dare")))


def test_aumanns_mediator_beats_the_symmetric_nash_equilibrium_in_chicken():
    game = aumann_chicken()
    welfare = correlated_equilibria(game)[0][0]
    assert welfare.objective == "welfare"
    assert welfare.payoffs == pytest.approx([5.25, 5.25])
    assert welfare.labelled(game) == pytest.approx({"swerve/swerve": 0.5, "swerve/dare": 0.25, "dare/swerve": 0.25})
    (nash,) = solve(game, "nash")
    mixed = [e for e in nash.equilibria_at(0) if 0 < e.strategies["P1"]["swerve"] < 1]
    assert [e.payoffs["P1"] for e in mixed] == pytest.approx([14 / 3])


def test_each_players_best_correlated_equilibrium_is_its_best_pure_equilibrium_in_chicken():
    game = aumann_chicken()
    _, best_row, best_col = correlated_equilibria(game)[0][:3]
    assert best_row.objective == "best for P1" and best_row.payoffs[0] == pytest.approx(7)
    assert best_col.objective == "best for P2" and best_col.payoffs[1] == pytest.approx(7)


def _dual_value(payoffs: np.ndarray, weights: np.ndarray) -> float:
    """min t s.t. t + A^T y >= (weights @ U) per profile, y >= 0: the dual of the CE programme."""
    n = payoffs.shape[0]
    c_obj = weights @ payoffs.reshape(n, -1)
    A = obedience_matrix(payoffs)
    m, r = A.shape[1], A.shape[0]
    # variables (t, y): minimise t subject to -t - A^T y <= -c
    res = linprog(np.r_[1.0, np.zeros(r)], A_ub=np.hstack([-np.ones((m, 1)), -A.T]), b_ub=-c_obj,
                  bounds=[(None, None)] + [(0, None)] * r, method="highs-ipm")
    assert res.status == 0
    return float(res.fun)


@pytest.mark.parametrize("shape", [(2, 2), (3, 3), (2, 2, 2), (3, 2, 2)])
def test_the_optimal_correlated_equilibria_meet_the_independent_dual_bound(rng, shape):
    game = random_game(shape, batch=(4,), rng=rng)
    results = correlated_equilibria(game, vertices=False)
    payoffs = game.payoffs.reshape(4, len(shape), *shape)
    for point, found in enumerate(results):
        weights = [np.ones(len(shape))] + list(np.eye(len(shape)))
        for eq, w in zip(found, weights):
            assert eq.regret <= 1e-9 * np.ptp(payoffs[point])
            assert obedience_regret(payoffs[point], eq.distribution) == eq.regret
            assert eq.distribution.min() >= 0 and eq.distribution.sum() == pytest.approx(1)
            assert w @ eq.payoffs == pytest.approx(_dual_value(payoffs[point], w), abs=1e-7)


def test_every_nash_equilibrium_is_a_correlated_one_and_no_better_for_welfare(rng):
    game = random_game((3, 3), batch=(10,), rng=rng)
    (nash,) = solve(game, "nash")
    results = correlated_equilibria(game, vertices=False)
    payoffs = game.payoffs.reshape(10, 2, 3, 3)
    for e in range(len(nash.point)):
        point = int(nash.point[e])
        q = np.outer(nash.strategies[0][e], nash.strategies[1][e])
        assert obedience_regret(payoffs[point], q) <= 1e-9 * np.ptp(payoffs[point])
        assert nash.payoffs[e].sum() <= results[point][0].payoffs.sum() + 1e-9


def test_the_2x2_vertices_span_the_polytope_and_contain_the_optima(rng):
    for game in [aumann_chicken(), random_game((2, 2), rng=rng), random_game((2, 2), rng=rng)]:
        found = correlated_equilibria(game)[0]
        vertices = [eq for eq in found if eq.objective == "vertex"]
        assert vertices
        welfare = found[0].payoffs.sum()
        assert max(v.payoffs.sum() for v in vertices) == pytest.approx(welfare)
        # every Nash equilibrium (a product distribution) is a convex combination of the vertices
        (nash,) = solve(game, "nash")
        V = np.array([v.distribution.reshape(-1) for v in vertices]).T
        for e in range(len(nash.point)):
            q = np.outer(nash.strategies[0][e], nash.strategies[1][e]).reshape(-1)
            res = linprog(np.zeros(V.shape[1]), A_eq=np.vstack([V, np.ones(V.shape[1])]), b_eq=np.r_[q, 1.0],
                          bounds=(0, None), method="highs")
            assert res.status == 0


def test_chicken_has_the_five_textbook_vertices():
    found = correlated_equilibria(aumann_chicken())[0]
    vertices = {tuple(np.round(eq.distribution.reshape(-1), 9)) for eq in found if eq.objective == "vertex"}
    # The two pure equilibria, the mixed one (2/3, 1/3 each), the welfare optimum, and the point where
    # both "told dare" constraints bind with no (swerve, swerve): (dare, dare) gets 1/5.
    expected = {(0, 1, 0, 0), (0, 0, 1, 0), (1 / 2, 1 / 4, 1 / 4, 0), (4 / 9, 2 / 9, 2 / 9, 1 / 9),
                (0, 2 / 5, 2 / 5, 1 / 5)}
    assert vertices == {tuple(np.round(v, 9)) for v in expected}
