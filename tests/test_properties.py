"""Properties every normal-form solver must have, checked on generated games with independent oracles.

Regrets are recomputed here with plain numpy (not via negosim.solve.verify), so a bug in the
verifier cannot hide a bug in a solver.
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from negosim.game.generate import random_game
from negosim.game.normal import NormalFormGame
from negosim.solve.mixed import is_degenerate, nash_equilibria, support_enumeration, vertex_enumeration
from negosim.solve.pure import pure_nash

SETTINGS = settings(max_examples=50, deadline=None)

sizes = st.integers(1, 4)
payoff_values = st.one_of(
    st.integers(-3, 3).map(float),  # ties everywhere: degenerate games
    st.floats(-100, 100, allow_nan=False, allow_infinity=False),  # adversarial floats, tiny and huge
)


@st.composite
def bimatrix_games(draw, max_batch=1):
    m, n, batch = draw(sizes), draw(sizes), draw(st.integers(1, max_batch))
    pay = draw(hnp.arrays(float, (batch, 2, m, n), elements=payoff_values))
    return NormalFormGame.from_bimatrix(pay[:, 0], pay[:, 1])


@st.composite
def generic_games(draw, max_size=4):
    """Random continuous games (normal or uniform payoffs): nondegenerate with probability 1."""
    shape = (draw(st.integers(2, max_size)), draw(st.integers(2, max_size)))
    seed, uniform = draw(st.integers(0, 2**32 - 1)), draw(st.booleans())
    return random_game(shape, batch=draw(st.integers(1, 8)), rng=seed, **({"low": -1, "high": 1} if uniform else {}))


def bimatrix_regrets(game, solution):
    """Largest unilateral gain of each returned profile, computed directly from the bimatrix."""
    pay = game.payoffs.reshape(game.batch_size, 2, *game.shape)
    A, B = pay[solution.point, 0], pay[solution.point, 1]
    x, y = solution.strategies
    Ay, xB = np.einsum("eij,ej->ei", A, y), np.einsum("ei,eij->ej", x, B)
    return np.maximum(Ay.max(1) - (x * Ay).sum(1), xB.max(1) - (xB * y).sum(1))


def equilibria(solution, point):
    return sorted(tuple(np.round(np.concatenate([s[e] for s in solution.strategies]), 7))
                  for e in solution.rows_at(point))


@SETTINGS
@given(bimatrix_games(max_batch=3))
def test_every_returned_mixed_equilibrium_has_regret_within_its_points_tolerance(game):
    for solver in (nash_equilibria, support_enumeration):
        sol = solver(game)
        assert np.all(bimatrix_regrets(game, sol) <= sol.tol.reshape(-1)[sol.point])
        for s in sol.strategies:
            assert np.all(s >= 0) and np.allclose(s.sum(1), 1)
        assert sol.counts().min() >= 1  # every finite game has an equilibrium (Nash 1951)


@SETTINGS
@given(st.lists(st.integers(1, 3), min_size=1, max_size=4), st.integers(0, 2**32 - 1), st.booleans())
def test_pure_equilibria_are_exactly_the_profiles_without_a_profitable_deviation(shape, seed, integer):
    game = random_game(shape, batch=3, rng=seed, kind="int" if integer else "float", low=0, high=2)
    sol = pure_nash(game)
    n = len(shape)
    for p in range(3):
        pay = game.payoffs[p]
        tol = sol.tol.reshape(-1)[p]
        # gain[profile] = largest gain of any player moving alone from that profile
        gain = np.max([pay[i].max(axis=i, keepdims=True) - pay[i] for i in range(n)], axis=0)
        expected = [tuple(int(a) for a in prof) for prof in np.argwhere(gain <= tol)]
        found = [tuple(int(np.argmax(s[e])) for s in sol.strategies) for e in sol.rows_at(p)]
        assert found == expected
        assert np.allclose(sol.regret[sol.rows_at(p)], [gain[prof] for prof in found])


@SETTINGS
@given(generic_games())
def test_generic_games_are_nondegenerate_with_an_odd_number_of_equilibria(game):
    sol = nash_equilibria(game)
    assert not sol.degenerate.any() and not is_degenerate(game).any()
    assert np.all(sol.counts() % 2 == 1)
    assert not sol.tied.any()


@SETTINGS
@given(generic_games(max_size=5))
def test_support_and_vertex_enumeration_agree_on_nondegenerate_games(game):
    sup, ver = support_enumeration(game), vertex_enumeration(game)
    assert sup.complete.all()
    assert np.array_equal(sup.point, ver.point)
    for s, t in zip(sup.strategies, ver.strategies):
        np.testing.assert_allclose(s, t, atol=1e-9)


@SETTINGS
@given(bimatrix_games())
def test_support_enumeration_finds_only_extreme_equilibria_even_in_degenerate_games(game):
    ver = vertex_enumeration(game)
    found = set(equilibria(ver, 0))
    assert set(equilibria(support_enumeration(game), 0)) <= found


@SETTINGS
@given(bimatrix_games(max_batch=5))
def test_solving_a_batch_gives_each_point_the_equilibria_it_has_alone(game):
    batch = nash_equilibria(game)
    for p in range(game.batch_size):
        alone = nash_equilibria(game.at(p))
        assert batch.degenerate.reshape(-1)[p] == alone.degenerate.all()
        rows = batch.rows_at(p)
        assert len(rows) == len(alone.point)
        for s, t in zip(batch.strategies, alone.strategies):
            np.testing.assert_allclose(s[rows], t, atol=1e-12)
        assert np.array_equal(batch.tied[rows], alone.tied)


@SETTINGS
@given(bimatrix_games(max_batch=3))
def test_a_tied_equilibrium_only_occurs_at_a_point_flagged_degenerate(game):
    sol = nash_equilibria(game)
    assert np.all(sol.degenerate.reshape(-1)[sol.point[sol.tied]])
    assert np.array_equal(sol.degenerate.reshape(-1), is_degenerate(game).reshape(-1))


@SETTINGS
@given(generic_games(), st.floats(0.01, 100), st.floats(-50, 50), st.randoms(use_true_random=False))
def test_rescaling_payoffs_and_relabelling_actions_transform_equilibria_accordingly(game, scale, shift, random):
    m, n = game.shape
    rows, cols = list(range(m)), list(range(n))
    random.shuffle(rows)
    random.shuffle(cols)
    A, B = game.payoffs[:, 0], game.payoffs[:, 1]
    moved = NormalFormGame.from_bimatrix((scale * A + shift)[:, rows][:, :, cols],
                                         (B / scale - shift)[:, rows][:, :, cols])
    before, after = nash_equilibria(game), nash_equilibria(moved)
    for p in range(game.batch_size):
        expected = sorted(
            tuple(np.round(np.concatenate([before.strategies[0][e][rows], before.strategies[1][e][cols]]), 7))
            for e in before.rows_at(p))
        assert equilibria(after, p) == expected


def test_random_games_are_reproducible_from_their_seed_and_integer_payoffs_stay_in_range():
    a, b = random_game((2, 3), batch=(4,), rng=9), random_game((2, 3), batch=(4,), rng=9)
    assert np.array_equal(a.payoffs, b.payoffs) and a.payoffs.shape == (4, 2, 2, 3)
    assert not np.array_equal(a.payoffs, random_game((2, 3), batch=(4,), rng=10).payoffs)
    ints = random_game((3, 3, 2), batch=50, rng=1, kind="int", low=-1, high=2)
    assert set(np.unique(ints.payoffs)) == {-1.0, 0.0, 1.0, 2.0}
    uniform = random_game((2, 2), batch=100, rng=1, low=5, high=6).payoffs
    assert uniform.min() >= 5 and uniform.max() < 6
