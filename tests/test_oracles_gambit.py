"""Agreement with Gambit (pygambit, test-only): all Nash equilibria of 2-player games, pure ones of n-player games.

negosim solves every game of one shape as one batch; pygambit solves them one at a time. Equilibrium
sets are compared as sets: same count, every Gambit profile matched by a distinct negosim profile
within 1e-6. In degenerate games Gambit's `enummixed` can report the same extreme equilibrium more
than once (once per basis of a degenerate vertex), so its duplicates are dropped first. Integer
games are checked against Gambit's exact rational mode: its floating-point mode misses extreme
equilibria of some degenerate games (see the regression test at the end).
"""

import io
import itertools

import numpy as np
import pytest

from negosim.game.generate import random_game
from negosim.game.normal import NormalFormGame
from negosim.solve.mixed import nash_equilibria
from negosim.solve.pure import pure_nash

pytestmark = pytest.mark.oracle

ATOL = 1e-6


def seed(shape):
    """A fixed seed per game shape (Python's hash of strings changes between runs; digits do not)."""
    return int("".join(map(str, shape)))


def gambit_profiles(game, equilibria):
    """Gambit equilibria as flat float vectors (player 1's probabilities, then player 2's, ...)."""
    return [np.array([float(eq[s]) for pl in game.players for s in pl.strategies]) for eq in equilibria]


def distinct(vectors):
    out = []
    for v in vectors:
        if not any(np.abs(v - w).max() <= ATOL for w in out):
            out.append(v)
    return out


def ours_at(solution, point):
    return [np.concatenate([s[e] for s in solution.strategies]) for e in solution.rows_at(point)]


def assert_same_equilibria(ours, theirs, context):
    assert len(ours) == len(theirs), f"{context}: negosim found {len(ours)}, Gambit {len(theirs)}"
    unused = list(range(len(ours)))
    for v in theirs:
        match = [k for k in unused if np.abs(ours[k] - v).max() <= ATOL]
        assert match, f"{context}: Gambit's equilibrium {v} is missing"
        unused.remove(match[0])


def compare_mixed(pygambit, game, solution, rational=False):
    for p in range(game.batch_size):
        g = pygambit.Game.from_arrays(game.payoffs[p, 0].astype(int) if rational else game.payoffs[p, 0],
                                      game.payoffs[p, 1].astype(int) if rational else game.payoffs[p, 1])
        theirs = distinct(gambit_profiles(g, pygambit.nash.enummixed_solve(g, rational=rational).equilibria))
        assert_same_equilibria(ours_at(solution, p), theirs, f"game {p}: {game.payoffs[p].tolist()}")


@pytest.mark.parametrize("shape", [(2, 2), (3, 3), (4, 4), (5, 5), (2, 4), (4, 3)])
def test_all_equilibria_of_generic_games_match_gambit_enummixed(pygambit, shape):
    game = random_game(shape, batch=60, rng=seed(shape))
    solution = nash_equilibria(game)
    assert not solution.degenerate.any() and solution.complete.all()
    assert np.all(solution.counts() % 2 == 1)
    compare_mixed(pygambit, game, solution)


@pytest.mark.parametrize("shape", [(2, 2), (3, 3), (2, 3), (3, 2), (3, 4), (4, 4), (5, 2)])
def test_extreme_equilibria_of_degenerate_integer_games_match_gambit_enummixed(pygambit, shape):
    game = random_game(shape, batch=60, rng=1000 + seed(shape), kind="int", low=0, high=3)
    solution = nash_equilibria(game)
    assert solution.degenerate.mean() > 0.5  # the point of this test: mostly degenerate games
    compare_mixed(pygambit, game, solution, rational=True)


@pytest.mark.parametrize("shape", [(3, 3), (4, 2)])
def test_degenerate_games_with_unequal_payoff_scales_match_gambit_exactly(pygambit, shape):
    # the column player's payoffs are 0 or 1000, the row player's 0..50: ties on one side only
    rng = np.random.default_rng(seed(shape))
    A, B = rng.integers(0, 51, (60, *shape)), 1000 * rng.integers(0, 2, (60, *shape))
    game = NormalFormGame.from_bimatrix(A, B)
    compare_mixed(pygambit, game, nash_equilibria(game), rational=True)


def test_gambits_float_mode_misses_an_extreme_equilibrium_that_its_exact_mode_and_ours_find(pygambit):
    A, B = np.array([[6], [48], [21], [48]]), np.array([[1000], [1000], [0], [0]])  # rows 2 and 4 tie
    g = pygambit.Game.from_arrays(A, B)
    exact = distinct(gambit_profiles(g, pygambit.nash.enummixed_solve(g, rational=True).equilibria))
    floating = distinct(gambit_profiles(g, pygambit.nash.enummixed_solve(g, rational=False).equilibria))
    ours = ours_at(nash_equilibria(NormalFormGame.from_bimatrix(A, B)), 0)
    assert_same_equilibria(ours, exact, "4x1")
    assert len(ours) == 2
    assert len(floating) < 2, "Gambit's float mode now finds both: it could serve as the oracle for integer games"


def pure_profiles_of_gambit(game, equilibria):
    """Gambit's pure equilibria as sorted tuples of action indices."""
    cuts = np.cumsum([len(pl.strategies) for pl in game.players])[:-1]
    return sorted(tuple(int(np.argmax(v)) for v in np.split(prof, cuts)) for prof in gambit_profiles(game, equilibria))


@pytest.mark.parametrize("shape", [(2, 2, 2), (3, 2, 3), (2, 2, 2, 2), (3, 3, 2, 2)])
@pytest.mark.parametrize("kind", ["float", "int"])
def test_pure_equilibria_of_n_player_games_match_gambit_enumpure(pygambit, shape, kind):
    game = random_game(shape, batch=30, rng=seed(shape) + (2000 if kind == "int" else 3000), kind=kind, low=0, high=2)
    solution = pure_nash(game)
    for p in range(30):
        g = pygambit.Game.from_arrays(*game.payoffs[p])
        theirs = pure_profiles_of_gambit(g, pygambit.nash.enumpure_solve(g).equilibria)
        ours = sorted(tuple(int(np.argmax(s[e])) for s in solution.strategies) for e in solution.rows_at(p))
        assert ours == theirs, f"game {p}"


def nfg_text(payoffs, labels=None):
    """An .nfg (payoff version) for payoffs (n, *shape): profiles listed with player 1 varying fastest."""
    n, shape = payoffs.shape[0], payoffs.shape[1:]
    players = " ".join(f'"Player {i + 1}"' for i in range(n))
    if labels is None:
        strategies = "{ " + " ".join(map(str, shape)) + " }"
    else:
        strategies = "{ " + " ".join("{ " + " ".join(f'"{a}"' for a in acts) + " }" for acts in labels) + " }\n\"\""
    body = []
    for rev in itertools.product(*(range(k) for k in reversed(shape))):
        prof = rev[::-1]  # itertools varies its last index fastest, so reversing makes player 1 fastest
        body.append(" ".join(repr(float(payoffs[(i, *prof)])) for i in range(n)))
    return f'NFG 1 R "test" {{ {players} }} {strategies}\n\n' + "\n".join(body) + "\n"


def test_a_two_player_nfg_read_by_gambit_has_the_same_payoffs_and_equilibria_as_ours(pygambit):
    payoffs = np.array([[[3, 0.5], [0.25, 2], [1, 1]], [[2, 1], [-1, 3], [1, 1]]])  # (2 players, 3, 2)
    g = pygambit.read_nfg(io.StringIO(nfg_text(payoffs)))
    np.testing.assert_array_equal(np.array(g.to_arrays(), dtype=float), payoffs)
    solution = nash_equilibria(NormalFormGame.from_bimatrix(payoffs[0], payoffs[1]))
    theirs = distinct(gambit_profiles(g, pygambit.nash.enummixed_solve(g, rational=False).equilibria))
    assert len(theirs) >= 2
    assert_same_equilibria(ours_at(solution, 0), theirs, "nfg 3x2")


def test_a_labelled_three_player_nfg_read_by_gambit_has_the_same_pure_equilibria_as_ours(pygambit):
    game = random_game((2, 3, 2), batch=1, rng=5, kind="int", low=0, high=2)
    payoffs = game.payoffs[0]
    labels = [("up", "down"), ("left", "middle", "right"), ("east", "west")]
    g = pygambit.read_nfg(io.StringIO(nfg_text(payoffs, labels)))
    assert [s.label for s in list(g.players)[1].strategies] == list(labels[1])
    np.testing.assert_array_equal(np.array(g.to_arrays(), dtype=float), payoffs)
    ours = pure_nash(NormalFormGame(("1", "2", "3"), labels, payoffs))
    theirs = pure_profiles_of_gambit(g, pygambit.nash.enumpure_solve(g).equilibria)
    assert theirs and [tuple(int(np.argmax(s[e])) for s in ours.strategies) for e in ours.rows_at(0)] == theirs
