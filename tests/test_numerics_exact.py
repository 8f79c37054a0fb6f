"""Numerics at every scale and exact arithmetic: what the tolerance may and may not do.

Regression tests for payoffs at different scales in one game (Gambit's large-payoff game), payoffs
near the float limit, scale invariance, players with 64 or more strategies, von Stengel's 6x6 game
with 75 equilibria, rational arithmetic against pygambit's rational mode, and the rule that a
candidate floating point cannot decide is decided exactly or makes the answer `complete: false`.
"""

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negosim.cli import main
from negosim.game.normal import NormalFormGame
from negosim.io.gambit import read_game
from negosim.solve import confirm, polytope, solve
from negosim.solve.mixed import nash_equilibria
from negosim.solve.pure import pure_nash
from negosim.solve.support import support_enumeration

DATA = Path(__file__).parent / "data" / "gambit"
VON_STENGEL = DATA / "vonstengel1999_6x6_75eq.nfg"

# Gambit's tests/test_games/large_payoff_game.efg, rebuilt: chance picks L or R, player 1 chooses A or B
# knowing which, player 2 chooses X or Y knowing player 1's action but not chance's; payoffs +-1e19 next to +-1.
LARGE_PAYOFF_EFG = """EFG 2 R "Large payoff game" { "1" "2" }
""

c "" 1 "" { "L" 1/2 "R" 1/2 } 0
p "" 1 1 "" { "A" "B" } 0
p "" 2 1 "" { "X" "Y" } 0
t "" 1 "large payoff" { 10000000000000000000, -10000000000000000000 }
t "" 2 "1" { 1, -1 }
p "" 2 2 "" { "X" "Y" } 0
t "" 3 "-1" { -1, 1 }
t "" 4 "0" { 0, 0 }
p "" 1 2 "" { "A" "B" } 0
p "" 2 1 "" { "X" "Y" } 0
t "" 3 "-1" { -1, 1 }
t "" 2 "1" { 1, -1 }
p "" 2 2 "" { "X" "Y" } 0
t "" 4 "0" { 0, 0 }
t "" 1 "large payoff" { 10000000000000000000, -10000000000000000000 }
"""


def large_payoff_matrix() -> np.ndarray:
    """Player 1's payoffs in the strategic form of the large-payoff game (zero-sum), by hand.

    Rows AA, AB, BA, BB (action after L, after R); columns XX, XY, YX, YY (after A, after B).
    """
    big = 1e19
    leaf = {("L", "A", "X"): big, ("L", "A", "Y"): 1, ("L", "B", "X"): -1, ("L", "B", "Y"): 0,
            ("R", "A", "X"): -1, ("R", "A", "Y"): 1, ("R", "B", "X"): 0, ("R", "B", "Y"): big}
    rows = [(a, b) for a in "AB" for b in "AB"]
    cols = [(a, b) for a in "XY" for b in "XY"]

    def seen(r, c, branch):  # player 2 sees player 1's action there, so answers with c[0] after A, c[1] after B
        a = r[0] if branch == "L" else r[1]
        return leaf[(branch, a, c[0] if a == "A" else c[1])]
    return np.array([[(seen(r, c, "L") + seen(r, c, "R")) / 2 for c in cols] for r in rows])


def profiles(solution, point=0):
    return [tuple(tuple(np.round(s[e], 9)) for s in solution.strategies) for e in solution.rows_at(point)]


# --- several scales in one game --------------------------------------------------------------


def test_the_large_payoff_game_has_one_pure_equilibrium_not_four():
    A = large_payoff_matrix()
    game = NormalFormGame.from_bimatrix(A, -A)
    sol = pure_nash(game)
    assert sol.counts().tolist() == 1
    eq = sol.equilibria_at(0)[0]
    assert eq.strategies["P1"]["1"] == 1.0 and eq.strategies["P2"]["3"] == 1.0  # (AA, YX), value 1
    assert eq.payoffs == {"P1": 1.0, "P2": -1.0}


def test_the_large_payoff_game_read_from_its_efg_file_has_one_pure_equilibrium(tmp_path):
    path = tmp_path / "large_payoff_game.efg"
    path.write_text(LARGE_PAYOFF_EFG)
    pure, nash = solve(read_game(str(path)), ("pure", "nash"))
    assert [eq.strategies for eq in pure.equilibria_at(0)] == [
        {"1": {"A/A": 1.0, "A/B": 0.0, "B/A": 0.0, "B/B": 0.0}, "2": {"X/X": 0.0, "X/Y": 0.0, "Y/X": 1.0, "Y/Y": 0.0}}]
    # every Nash equilibrium gives player 1 the value 1 (a zero-sum game has one value)
    assert nash.complete.all() and all(eq.payoffs["1"] == 1.0 for eq in nash.equilibria_at(0))


def test_a_deviation_of_one_half_next_to_payoffs_of_1e19_is_not_a_tie():
    # column 2 is dominant; there the row player compares 0.5 with 1, next to 1e19 in column 1: one equilibrium
    game = NormalFormGame.from_bimatrix([[1e19, 0.5], [0.0, 1.0]], [[0.0, 1.0], [0.0, 1.0]])
    assert profiles(pure_nash(game)) == [((0.0, 1.0), (0.0, 1.0))]
    assert profiles(nash_equilibria(game)) == [((0.0, 1.0), (0.0, 1.0))]


def test_payoffs_near_the_float_limit_keep_the_tolerance_finite():
    big = 1e308
    mp = NormalFormGame.from_bimatrix([[big, -big], [-big, big]], [[-big, big], [big, -big]])
    pure = pure_nash(mp)
    assert pure.counts().tolist() == 0 and np.isfinite(pure.tol).all()
    nash = nash_equilibria(mp)
    assert nash.complete.all() and profiles(nash) == [((0.5, 0.5), (0.5, 0.5))]
    pd = NormalFormGame.from_bimatrix([[big / 2, -big], [big, -big / 2]], [[big / 2, big], [-big, -big / 2]])
    assert profiles(pure_nash(pd)) == [((0.0, 1.0), (0.0, 1.0))]
    assert profiles(nash_equilibria(pd)) == [((0.0, 1.0), (0.0, 1.0))]


small_ints = st.integers(-4, 4)


@st.composite
def integer_games(draw):
    m, n = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    A = np.array(draw(st.lists(small_ints, min_size=m * n, max_size=m * n)), float).reshape(m, n)
    B = np.array(draw(st.lists(small_ints, min_size=m * n, max_size=m * n)), float).reshape(m, n)
    return A, B


@st.composite
def float_games(draw):
    m, n = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    return rng.normal(size=(m, n)), rng.normal(size=(m, n))


def same_answer(a, b):
    assert a.counts().tolist() == b.counts().tolist()
    assert a.complete.tolist() == b.complete.tolist()
    assert a.degenerate.tolist() == b.degenerate.tolist()
    pa = sorted(np.concatenate([s[e] for s in a.strategies]).round(7).tolist() for e in range(len(a.point)))
    pb = sorted(np.concatenate([s[e] for s in b.strategies]).round(7).tolist() for e in range(len(b.point)))
    np.testing.assert_allclose(pa, pb, atol=1e-7)


@settings(max_examples=60, deadline=None)
@given(st.one_of(integer_games(), float_games()), st.sampled_from([1e6, 1e-6, 2.0**900, 2.0**-900]))
def test_rescaling_the_payoffs_never_changes_the_answer(game, factor):
    A, B = game
    base = NormalFormGame.from_bimatrix(A, B)
    scaled = NormalFormGame.from_bimatrix(A * factor, B * factor)
    same_answer(pure_nash(base), pure_nash(scaled))
    same_answer(nash_equilibria(base), nash_equilibria(scaled))


# --- many strategies ---------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(64, 1), (1, 64), (100, 2), (2, 100)])
def test_players_with_64_or_more_strategies_are_solved(pygambit, shape):
    rng = np.random.default_rng(sum(shape))
    A, B = rng.normal(size=shape), rng.normal(size=shape)
    game = NormalFormGame.from_bimatrix(A, B)
    for sol in (nash_equilibria(game), support_enumeration(game)):
        assert sol.complete.all()
        g = pygambit.Game.from_arrays(A, B)
        theirs = pygambit.nash.enummixed_solve(g, rational=False).equilibria
        assert len(sol.point) == len(theirs)
        ours = [np.concatenate([s[e] for s in sol.strategies]) for e in range(len(sol.point))]
        for eq in theirs:
            v = np.array([float(eq[s]) for pl in g.players for s in pl.strategies])
            assert min(np.abs(o - v).max() for o in ours) < 1e-6


def test_a_degenerate_100x2_integer_game_is_solved_and_says_whether_it_is_complete():
    rng = np.random.default_rng(7)
    game = NormalFormGame.from_bimatrix(rng.integers(0, 3, (100, 2)), rng.integers(0, 3, (100, 2)))
    sol = nash_equilibria(game)
    assert sol.degenerate.all() and len(sol.point) > 0
    assert sol.complete.all() or any("could not be decided" in note for note in sol.notes)


# --- von Stengel's 75 equilibria --------------------------------------------------------------


@pytest.mark.parametrize("rtol", [1e-6, 1e-9, 1e-12])
def test_von_stengels_6x6_game_has_all_75_equilibria_at_any_tolerance(rtol):
    game = read_game(str(VON_STENGEL))
    sol = nash_equilibria(game, rtol=rtol)
    assert sol.complete.all() and sol.counts().tolist() == 75
    mixed = [eq for eq in sol.equilibria_at(0) if all(p > 0 for s in eq.strategies.values() for p in s.values())]
    assert len(mixed) == 1
    assert mixed[0].payoffs == pytest.approx({"1": 132.0, "2": 132.0}, abs=1e-6)


def test_von_stengels_75_equilibria_match_gambits_rational_enumeration(pygambit):
    game = read_game(str(VON_STENGEL))
    g = pygambit.read_nfg(str(VON_STENGEL))
    theirs = pygambit.nash.enummixed_solve(g, rational=True).equilibria
    ours = nash_equilibria(game)
    assert len(theirs) == 75
    flat = [np.concatenate([s[e] for s in ours.strategies]) for e in range(len(ours.point))]
    for eq in theirs:
        v = np.array([float(eq[s]) for pl in g.players for s in pl.strategies])
        assert min(np.abs(o - v).max() for o in flat) < 1e-9
    exact = nash_equilibria(game, exact=True)
    fully_mixed = [eq for eq in exact.equilibria_at(0) if all(p > 0 for s in eq.exact_strategies.values()
                                                             for p in s.values())]
    assert exact.counts().tolist() == 75 and [eq.exact_payoffs for eq in fully_mixed] == [{"1": 132, "2": 132}]


def test_a_candidate_floating_point_cannot_decide_never_vanishes_while_complete_is_claimed(monkeypatch):
    game = read_game(str(VON_STENGEL))
    # without rational arithmetic the undecided candidates fall back to the tolerance test
    monkeypatch.setattr(confirm, "EXACT_BUDGET", 0)
    for rtol in (1e-6, 1e-9, 1e-12, 1e-14):
        sol = nash_equilibria(game, rtol=rtol)
        assert sol.counts().tolist() == 75 or not sol.complete.any(), rtol
        if not sol.complete.any():
            assert any("could not be decided in floating point" in note for note in sol.notes)


def test_the_fully_mixed_equilibrium_of_von_stengels_game_is_confirmed_in_rational_arithmetic():
    game = read_game(str(VON_STENGEL))
    A, B, th_A, th_B = polytope.rescaled(game.payoffs[None], 1e-9)
    # its full-support system is ill-conditioned: float errors near 1e-9 of the payoffs, beyond a fixed threshold
    assert polytope.candidates(B, 6, th_B).cond[0, 0, 0] > 1e7
    sol = nash_equilibria(game)
    full = [e for e in range(len(sol.point)) if (sol.strategies[0][e] > 0).all() and (sol.strategies[1][e] > 0).all()]
    assert len(full) == 1 and sol.extra["exact_rows"][full[0]]


# --- exact arithmetic -------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(integer_games())
def test_exact_equilibria_match_gambits_rational_enummixed(game):
    pygambit = pytest.importorskip("pygambit")
    A, B = game
    g = pygambit.Game.from_arrays(A.astype(int), B.astype(int))
    theirs = {tuple(Fraction(str(eq[s])) for pl in g.players for s in pl.strategies)
              for eq in pygambit.nash.enummixed_solve(g, rational=True).equilibria}
    sol = nash_equilibria(NormalFormGame.from_bimatrix(A, B), exact=True)
    ours = [tuple(x) + tuple(y) for x, y in sol.extra["exact_strategies"]]
    assert len(ours) == len(set(ours)) and set(ours) == theirs
    assert sol.complete.all()


def test_exact_pure_equilibria_compare_payoffs_exactly():
    game = NormalFormGame.from_bimatrix([[0.1 + 0.2, 0.0], [0.3, 1.0]], [[1.0, 0.0], [1.0, 0.0]])
    # in floating point 0.1 + 0.2 and 0.3 are tied within the tolerance: both rows answer column 1
    assert len(solve(game, "pure")[0].point) == 2
    # exactly, 0.1 + 0.2 is the float 0.30000000000000004, more than 3/10: only the first row
    sol = solve(game, "pure", exact=True)[0]
    assert [s[0] for s in sol.extra["exact_strategies"]] == [(1, 0)]
    assert sol.extra["exact_payoffs"][0] == (Fraction("0.30000000000000004"), Fraction(1))
    third = NormalFormGame.from_bimatrix([[1 / 3, 0.0], [0.25, 1.0]], [[1.0, 0.0], [1.0, 0.0]])
    assert solve(third, "pure", exact=True)[0].extra["exact_payoffs"] == [(Fraction(1, 3), Fraction(1))]


def test_solve_exact_prints_fractions_in_the_table_and_strings_in_the_json(tmp_path, capsys):
    path = tmp_path / "bos.nfg"
    path.write_text('NFG 1 R "Battle" { "Row" "Col" } { 2 2 }\n2 3  0 0  0 0  3 2\n')
    assert main(["solve", str(path), "--exact", "--concept", "nash"]) == 0
    text = capsys.readouterr().out
    assert "Row: 2/5 1 + 3/5 2 | Col: 3/5 1 + 2/5 2" in text and "payoffs Row 6/5   Col 6/5" in text
    assert main(["solve", str(path), "--exact", "--json", "--concept", "nash"]) == 0
    doc = json.loads(capsys.readouterr().out)
    sol = doc["solutions"][0]
    assert sol["exact"] is True and sol["complete"] is True
    mixed = sol["equilibria"][1]
    assert mixed["strategies"] == {"Row": {"1": "2/5", "2": "3/5"}, "Col": {"1": "3/5", "2": "2/5"}}
    assert mixed["payoffs"] == {"Row": "6/5", "Col": "6/5"}


@settings(max_examples=60, deadline=None)
@given(integer_games(), st.sampled_from([1e-6, 1e-9, 1e-12]))
def test_the_float_path_finds_exactly_the_extreme_equilibria_of_rational_arithmetic(game, rtol):
    # integer games are full of exact ties: every candidate float cannot decide must be decided, not dropped
    A, B = game
    g = NormalFormGame.from_bimatrix(A, B)
    floats = nash_equilibria(g, rtol=rtol)
    exact = nash_equilibria(g, exact=True)
    assert floats.complete.all()
    ours = sorted(np.concatenate([s[e] for s in floats.strategies]).round(9).tolist() for e in range(len(floats.point)))
    theirs = sorted([float(v) for v in x + y] for x, y in exact.extra["exact_strategies"])
    np.testing.assert_allclose(ours, theirs, atol=1e-9)
