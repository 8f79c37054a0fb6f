"""Mixed Nash equilibria: textbook answers, degenerate games, other player counts, verification, nashpy."""

import dataclasses
import warnings
from fractions import Fraction

import numpy as np
import pytest

from negosim.errors import GameError, VerificationError
from negosim.game.generate import (
    battle_of_the_sexes,
    chicken,
    matching_pennies,
    prisoners_dilemma,
    random_game,
    stag_hunt,
)
from negosim.game.normal import NormalFormGame
from negosim.solve import vertex
from negosim.solve.mixed import is_degenerate, nash_equilibria, support_enumeration, vertex_enumeration
from negosim.solve.pure import pure_nash
from negosim.solve.verify import expected_payoffs, regrets, verify


def profiles(solution, point=0):
    """Equilibria at a point as (x, y) lists of floats."""
    row, col = solution.game.players[:2]
    return [(list(e.strategies[row].values()), list(e.strategies[col].values()))
            for e in solution.equilibria_at(point)]


def assert_profiles(solution, expected, point=0):
    got = profiles(solution, point)
    assert len(got) == len(expected)
    for (x, y), (ex, ey) in zip(got, expected):
        np.testing.assert_allclose(x, [float(v) for v in ex], atol=1e-12)
        np.testing.assert_allclose(y, [float(v) for v in ey], atol=1e-12)


def test_matching_pennies_has_only_the_half_half_equilibrium_with_value_zero():
    sol = nash_equilibria(matching_pennies())
    assert_profiles(sol, [([0.5, 0.5], [0.5, 0.5])])
    (eq,) = sol.equilibria_at()
    assert eq.payoffs["Row"] == pytest.approx(0.0, abs=1e-12) and not eq.tied
    assert sol.complete.all() and not sol.degenerate.any() and sol.notes == ()


def test_battle_of_the_sexes_has_two_pure_equilibria_and_one_mixed_at_three_fifths():
    sol = nash_equilibria(battle_of_the_sexes())
    assert_profiles(sol, [([1, 0], [1, 0]), ([0.6, 0.4], [0.4, 0.6]), ([0, 1], [0, 1])])
    assert sol.payoffs[1] == pytest.approx([1.2, 1.2])


def test_stag_hunt_has_three_equilibria_with_the_mixed_one_at_three_quarters_stag():
    assert_profiles(nash_equilibria(stag_hunt()), [([1, 0], [1, 0]), ([0.75, 0.25], [0.75, 0.25]), ([0, 1], [0, 1])])


def test_chicken_has_two_asymmetric_pure_equilibria_and_swerving_nine_times_in_ten():
    assert_profiles(nash_equilibria(chicken()), [([1, 0], [0, 1]), ([0.9, 0.1], [0.9, 0.1]), ([0, 1], [1, 0])])


def test_prisoners_dilemma_mixed_search_finds_nothing_beyond_mutual_defection():
    assert_profiles(nash_equilibria(prisoners_dilemma()), [([0, 1], [0, 1])])


def test_a_game_with_a_continuum_is_flagged_degenerate_and_lists_its_extreme_equilibria():
    # the column player is indifferent everywhere: (up, any mixture) is a segment of equilibria
    game = NormalFormGame.from_bimatrix([[1, 1], [0, 0]], [[1, 1], [1, 1]])
    sol = nash_equilibria(game)
    assert_profiles(sol, [([1, 0], [1, 0]), ([1, 0], [0, 1])])
    assert sol.degenerate.all() and sol.complete.all() and sol.tied.all()
    assert any("extreme equilibria" in note for note in sol.notes)
    assert is_degenerate(game).all()
    assert not support_enumeration(game).complete.any()


def test_von_stengels_degenerate_game_has_its_three_known_extreme_equilibria():
    # von Stengel (2002), Handbook of Game Theory 3, ch. 45: row 1 has two best responses
    game = NormalFormGame.from_bimatrix([[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]])
    sol = vertex_enumeration(game)
    third = Fraction(1, 3)
    assert_profiles(sol, [([1, 0, 0], [1, 0]), ([1, 0, 0], [2 * third, third]),
                          ([0, third, 2 * third], [third, 2 * third])])
    assert sol.degenerate.all()
    assert sol.tied.tolist() == [True, True, False]


def test_in_an_all_zero_game_every_pure_profile_is_an_extreme_equilibrium():
    sol = nash_equilibria(NormalFormGame.from_bimatrix(np.zeros((3, 2)), np.zeros((3, 2))))
    assert len(sol.point) == 6 and sol.tied.all() and sol.degenerate.all()
    assert all(max(x) == 1.0 and max(y) == 1.0 for x, y in profiles(sol))


def test_a_single_player_gets_its_maximisers_and_a_tie_makes_the_point_degenerate():
    game = NormalFormGame(("solo",), (("a", "b", "c"),), [[[1.0, 3.0, 2.0]], [[3.0, 1.0, 3.0]]])
    sol = nash_equilibria(game)
    assert sol.concept == "nash" and sol.complete.all()
    assert [e.strategies["solo"] for e in sol.equilibria_at(0)] == [{"a": 0.0, "b": 1.0, "c": 0.0}]
    assert [max(e.strategies["solo"], key=e.strategies["solo"].get) for e in sol.equilibria_at(1)] == ["a", "c"]
    assert sol.degenerate.tolist() == [False, True] and sol.notes


def test_small_three_player_games_get_every_equilibrium_the_pure_ones_among_them():
    game = random_game((2, 2, 2), batch=5, rng=1)
    sol = nash_equilibria(game)
    assert sol.concept == "nash" and sol.method == "support enumeration with homotopy continuation"
    assert sol.complete.all() and not sol.degenerate.any() and (sol.counts() % 2 == 1).all()
    assert (sol.regret <= sol.tol.reshape(-1)[sol.point]).all()
    pure = pure_nash(game)
    is_pure = np.all([s.max(axis=1) == 1.0 for s in sol.strategies], axis=0)
    assert np.array_equal(pure.point, sol.point[is_pure])
    for s, t in zip(pure.strategies, sol.strategies):
        assert np.array_equal(s, t[is_pure])
    assert (sol.counts() > pure.counts()).any()  # and mixed ones the pure search cannot see


def test_a_three_player_game_too_large_to_enumerate_gets_one_traced_equilibrium_said_incomplete():
    game = random_game((4, 4, 4), batch=2, rng=3)
    sol = nash_equilibria(game)
    assert sol.method == "pure equilibria and logit tracing" and not sol.complete.any()
    assert "4 x 4 x 4 game means 5,248 homotopy paths (limit 1,000)" in sol.notes[0]
    assert (sol.regret <= sol.tol.reshape(-1)[sol.point]).all()
    pure = pure_nash(game)
    is_pure = np.all([s.max(axis=1) == 1.0 for s in sol.strategies], axis=0)
    assert np.array_equal(pure.point, sol.point[is_pure])  # every pure equilibrium, and at most one mixed more
    assert (sol.counts() - pure.counts() <= 1).all() and sol.counts().min() >= 1


def test_generic_float_games_are_not_degenerate_and_near_ties_within_tolerance_are():
    assert not is_degenerate(random_game((4, 3), batch=50, rng=2)).any()
    # against "up" the column player's two actions differ by d (the payoff range is 1)
    B = np.stack([[[1.0, 1.0 - d], [0.0, 1.0]] for d in (1e-12, 1e-6)])
    game = NormalFormGame.from_bimatrix([[1.0, 1.0], [0.0, 0.0]], B)
    assert is_degenerate(game).tolist() == [True, False]
    assert is_degenerate(game, rtol=1e-3).tolist() == [True, True]


def test_batch_shape_is_kept_and_chunking_does_not_change_the_answer(monkeypatch):
    game = random_game((3, 3), batch=(4, 5), rng=4, kind="int")
    whole = nash_equilibria(game)
    monkeypatch.setattr(vertex, "_CHUNK_ELEMENTS", 100)  # one point per chunk
    chunked = nash_equilibria(game)
    assert whole.batch_shape == (4, 5) and whole.counts().shape == (4, 5)
    assert np.array_equal(whole.point, chunked.point) and np.array_equal(whole.degenerate, chunked.degenerate)
    for s, t in zip(whole.strategies, chunked.strategies):
        np.testing.assert_allclose(s, t, atol=1e-12)


@pytest.mark.oracle
@pytest.mark.parametrize("shape", [(2, 2), (3, 3), (4, 4), (3, 5), (4, 2)])
def test_equilibria_of_nondegenerate_games_match_nashpy_vertex_enumeration(shape):
    nashpy = pytest.importorskip("nashpy")
    game = random_game(shape, batch=15, rng=11)
    sol = nash_equilibria(game)
    assert not sol.degenerate.any()
    for p in range(15):
        theirs = [np.concatenate(eq) for eq in nashpy.Game(game.payoffs[p, 0], game.payoffs[p, 1]).vertex_enumeration()]
        ours = [np.concatenate([sol.strategies[0][e], sol.strategies[1][e]]) for e in sol.rows_at(p)]
        assert len(ours) == len(theirs)
        for x in theirs:
            assert min(np.abs(x - y).max() for y in ours) < 1e-8


# A 3x3 game with one-decimal payoffs, nondegenerate, where nashpy's support enumeration (exact
# `>= 0` tests on floating-point solutions) returns only 2 of the 3 equilibria that Gambit finds.
MISSED_A = [[2.0, -2.6, 0.4], [-0.6, -0.5, -0.2], [-2.0, -0.2, -0.9]]
MISSED_B = [[3.3, 0.2, -0.4], [-0.3, -0.7, -1.1], [-0.4, 0.5, -0.2]]
MISSED_EQUILIBRIA = [  # exact, from pygambit's enummixed_solve(rational=True)
    ([1, 0, 0], [1, 0, 0]),
    ([0, Fraction(9, 13), Fraction(4, 13)], [Fraction(3, 17), Fraction(14, 17), 0]),
    ([0, 0, 1], [0, 1, 0]),
]


@pytest.mark.oracle
def test_nashpy_support_enumeration_misses_an_equilibrium_that_ours_finds():
    nashpy = pytest.importorskip("nashpy")
    game = NormalFormGame.from_bimatrix(MISSED_A, MISSED_B)
    assert not is_degenerate(game).any()
    for solver in (nash_equilibria, support_enumeration, vertex_enumeration):
        assert_profiles(solver(game), MISSED_EQUILIBRIA)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = list(nashpy.Game(np.array(MISSED_A), np.array(MISSED_B)).support_enumeration())
    assert len(theirs) < len(MISSED_EQUILIBRIA)


def test_regrets_and_expected_payoffs_of_known_profiles_in_matching_pennies():
    game = matching_pennies()
    x = np.array([[1.0, 0.0], [0.5, 0.5]])
    strategies, point = (x, x), np.array([0, 0])
    np.testing.assert_allclose(regrets(game, strategies, point), [2.0, 0.0])
    np.testing.assert_allclose(expected_payoffs(game, strategies, point), [[1.0, -1.0], [0.0, 0.0]])


def test_verify_rejects_a_profile_that_is_not_an_equilibrium():
    sol = nash_equilibria(battle_of_the_sexes())
    wrong = (sol.strategies[0], sol.strategies[1][::-1].copy())  # (opera, football): a miscoordination
    with pytest.raises(VerificationError, match="not equilibria"):
        verify(dataclasses.replace(sol, strategies=wrong))


def test_verify_rejects_negative_probabilities_and_rows_not_summing_to_one():
    sol = nash_equilibria(matching_pennies())
    with pytest.raises(VerificationError, match="probability"):
        verify(dataclasses.replace(sol, strategies=(np.array([[1.5, -0.5]]), sol.strategies[1])))
    with pytest.raises(VerificationError, match="probability"):
        verify(dataclasses.replace(sol, strategies=(np.array([[0.5, 0.4]]), sol.strategies[1])))


def test_two_player_methods_refuse_other_player_counts_and_oversized_games():
    with pytest.raises(GameError, match="2-player"):
        support_enumeration(random_game((2, 2, 2), rng=0))
    with pytest.raises(GameError, match="too large"):
        vertex_enumeration(random_game((25, 25), rng=0))  # vertices of a 25-dimensional polytope: refused
    with pytest.raises(GameError, match="too large"):
        support_enumeration(random_game((14, 14), rng=0))  # support enumeration tries every support pair
