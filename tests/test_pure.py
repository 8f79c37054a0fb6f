"""Pure-strategy Nash equilibria: textbook answers, ties, batches, n players."""

import itertools

import numpy as np
import pytest

from negosim.errors import GameError
from negosim.game.generate import battle_of_the_sexes, matching_pennies, prisoners_dilemma, random_game, stag_hunt
from negosim.game.normal import NormalFormGame
from negosim.solve.pure import pure_nash


def pure_profiles(solution, point=0):
    """The equilibria at a point as tuples of action labels."""
    game = solution.game
    return [tuple(next(a for a, p in e.strategies[pl].items() if p == 1.0) for pl in game.players)
            for e in solution.equilibria_at(point)]


def brute_force_pure(payoffs, tol):
    """Pure equilibria of one n-player game (n, *shape) by plain loops over profiles and deviations."""
    n, shape = payoffs.shape[0], payoffs.shape[1:]
    found = []
    for prof in itertools.product(*(range(k) for k in shape)):
        stable = True
        for i in range(n):
            for a in range(shape[i]):
                dev = list(prof)
                dev[i] = a
                if payoffs[(i, *dev)] > payoffs[(i, *prof)] + tol:
                    stable = False
        if stable:
            found.append(prof)
    return found


def test_prisoners_dilemma_has_mutual_defection_as_its_only_pure_equilibrium():
    sol = pure_nash(prisoners_dilemma())
    assert pure_profiles(sol) == [("defect", "defect")]
    (eq,) = sol.equilibria_at()
    assert eq.payoffs == {"Row": 1.0, "Column": 1.0}
    assert not eq.tied and eq.regret == 0.0
    assert sol.complete.all() and not sol.degenerate.any()
    assert sol.concept == "pure"


def test_matching_pennies_has_no_pure_equilibrium_and_says_so_completely():
    sol = pure_nash(matching_pennies())
    assert len(sol.point) == 0
    assert sol.counts() == 0 and sol.complete.all()


def test_coordination_games_list_both_pure_equilibria_in_action_order():
    assert pure_profiles(pure_nash(battle_of_the_sexes())) == [("opera", "opera"), ("football", "football")]
    assert pure_profiles(pure_nash(stag_hunt())) == [("stag", "stag"), ("hare", "hare")]


def test_an_indifferent_player_makes_both_equilibria_tied_and_the_point_degenerate():
    game = NormalFormGame.from_bimatrix([[1, 1], [0, 0]], [[1, 1], [1, 1]], actions=(("up", "down"), ("left", "right")))
    sol = pure_nash(game)
    assert pure_profiles(sol) == [("up", "left"), ("up", "right")]
    assert sol.tied.all() and sol.degenerate.all()
    assert [e.ties for e in sol.equilibria_at()] == [["P2: left = right"]] * 2
    assert sol.extra["tied_actions"][1].all() and not sol.extra["tied_actions"][0].any()


def test_payoffs_closer_than_the_tolerance_are_a_tie_and_farther_ones_are_not():
    # the column player chooses among 1, 1 - e and 0 (a spread of 1): e = 1e-13 is within rtol=1e-9, 1e-6 is not
    eps = np.array([1e-13, 1e-6])
    A = np.stack([[[1.0, 1.0, 1.0], [0.0, 0.0, 0.0]]] * 2)
    B = np.stack([[[1.0, 1.0 - e, 0.0], [0.0, 0.0, 0.0]] for e in eps])
    sol = pure_nash(NormalFormGame.from_bimatrix(A, B))
    assert sol.counts().tolist() == [2, 1]
    assert sol.degenerate.tolist() == [True, False]
    assert sol.regret[sol.rows_at(0)].max() == pytest.approx(1e-13, abs=1e-16)


def test_a_batch_keeps_its_shape_and_answers_each_point_separately():
    # prisoner's dilemma whose temptation T runs over a 2x3 grid: for T < 3 (C, C) becomes an equilibrium too
    T = np.array([[2.0, 2.5, 3.5], [4.0, 5.0, 6.0]])
    A = np.stack(np.broadcast_arrays(np.full_like(T, 3.0), np.zeros_like(T), T, np.ones_like(T)), -1)
    A = A.reshape(2, 3, 2, 2)
    sol = pure_nash(NormalFormGame.from_bimatrix(A, np.swapaxes(A, -1, -2)))
    assert sol.batch_shape == (2, 3) and sol.counts().tolist() == [[2, 2, 1], [1, 1, 1]]
    assert np.all(np.diff(sol.point) >= 0)
    assert [e.strategies["P1"]["1"] for e in sol.equilibria_at((0, 1))] == [1.0, 0.0]
    assert sol.equilibria_at((1, 2))[0].payoffs == {"P1": 1.0, "P2": 1.0}


def test_three_player_unanimity_game_has_exactly_the_unanimous_profiles():
    # everyone gets 1 when all three choose the same action, else 0: in a 2-1 split the odd one out
    # gains by joining the others, so only the unanimous profiles are equilibria
    shape = (2, 2, 2)
    pay = np.zeros((3, *shape))
    for a in range(2):
        pay[:, a, a, a] = 1.0
    game = NormalFormGame(("A", "B", "C"), (("x", "y"),) * 3, pay)
    sol = pure_nash(game)
    found = pure_profiles(sol)
    assert found == [("x", "x", "x"), ("y", "y", "y")]
    assert sorted(found) == sorted(tuple("xy"[i] for i in prof) for prof in brute_force_pure(pay, 0.0))


@pytest.mark.parametrize("shape", [(2, 3, 2), (3, 3, 3), (2, 2, 2, 2)])
def test_n_player_pure_equilibria_match_brute_force_on_tie_heavy_integer_games(shape):
    game = random_game(shape, batch=40, rng=7, kind="int", low=0, high=2)
    sol = pure_nash(game)
    for p in range(40):
        expected = brute_force_pure(game.payoffs[p], 1e-9)
        got = [tuple(int(np.argmax(s[e])) for s in sol.strategies) for e in sol.rows_at(p)]
        assert got == expected
    # a point is degenerate exactly when one of its pure equilibria is tied
    tied_points = np.zeros(40, bool)
    tied_points[sol.point[sol.tied]] = True
    assert np.array_equal(sol.degenerate, tied_points)


def test_tie_descriptions_name_every_tied_best_response_and_only_tied_rows():
    game = random_game((3, 3), batch=30, rng=3, kind="int", low=0, high=1)
    sol = pure_nash(game)
    desc = sol.extra["tie_descriptions"]
    assert set(desc) == set(np.flatnonzero(sol.tied).tolist())
    for e in desc:
        for line in desc[e]:
            player, actions = line.split(": ")
            i = game.players.index(player)
            assert len(actions.split(" = ")) == sol.extra["best_responses"][i][e].sum() >= 2


def test_nan_payoffs_are_rejected_as_a_game_error():
    with pytest.raises(GameError, match="finite"):
        pure_nash(NormalFormGame.from_bimatrix([[1, np.nan], [0, 0]], [[0, 0], [0, 0]]))
