"""All Nash equilibria of n-player games by support enumeration and homotopy continuation: exact
symbolic references (sympy), pygambit's enumpoly and logit, the volunteer's dilemma, odd counts."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from negosim.game import NormalFormGame
from negosim.game.generate import random_game
from negosim.scenario import load_scenario
from negosim.solve import solve
from negosim.solve.nplayer import all_nash


def _profiles(sol, point=0):
    rows = sol.rows_at(point)
    return [np.concatenate([s[e] for s in sol.strategies]) for e in rows]


def _contains(found, profile, atol=1e-6):
    return any(np.abs(f - profile).max() <= atol for f in found)


def _exact_equilibria_2x2x2(pay):
    """Every equilibrium of a 2x2x2 game, support by support, solved symbolically by sympy."""
    sympy = pytest.importorskip("sympy")
    p = sympy.symbols("p0:3")  # probability of action 0 for each player
    u = [[sympy.Integer(0)] * 2 for _ in range(3)]
    for i in range(3):
        for a in range(2):
            total = 0
            for others in itertools.product(range(2), repeat=2):
                profile = list(others)
                profile.insert(i, a)
                weight = 1
                for k, ak in zip([k for k in range(3) if k != i], others):
                    weight *= p[k] if ak == 0 else 1 - p[k]
                total += sympy.Integer(int(pay[(i, *profile)])) * weight
            u[i][a] = sympy.expand(total)
    found = []
    for support in itertools.product([(0,), (1,), (0, 1)], repeat=3):
        fixed = {p[i]: sympy.Integer(1 if s == (0,) else 0) for i, s in enumerate(support) if len(s) == 1}
        mixed = [i for i, s in enumerate(support) if len(s) == 2]
        eqs = [sympy.expand((u[i][0] - u[i][1]).subs(fixed)) for i in mixed]
        if not mixed:
            sols = [{}]
        else:
            sols = sympy.solve(eqs, [p[i] for i in mixed], dict=True)
        for sol in sols:
            values = {**fixed, **sol}
            if any(not v.is_number for v in values.values()):
                return None  # a continuum: degenerate, not a reference
            if any(not v.is_real for v in values.values()):
                continue
            probs = [float(values[p[i]]) for i in range(3)]
            if any(not (1e-12 < probs[i] < 1 - 1e-12) for i in mixed):
                continue
            ok = True
            for i in range(3):
                gain = float((u[i][0] - u[i][1]).subs(values))
                if support[i] == (0,) and gain < -1e-12 or support[i] == (1,) and gain > 1e-12:
                    ok = False
            if ok:
                found.append(np.array([[q, 1 - q] for q in probs]).reshape(-1))
    return found


def test_every_equilibrium_of_random_2x2x2_games_matches_the_exact_symbolic_solution(rng):
    checked = 0
    for _ in range(12):
        pay = rng.integers(-20, 21, size=(3, 2, 2, 2)).astype(float)
        exact = _exact_equilibria_2x2x2(pay)
        if exact is None:
            continue
        sol = all_nash(NormalFormGame(("A", "B", "C"), (("a", "b"),) * 3, pay))
        if sol.degenerate.any():
            continue
        found = _profiles(sol)
        assert sol.complete.all()
        assert len(found) == len(exact)
        assert all(_contains(found, e, 1e-9) for e in exact)
        checked += 1
    assert checked >= 6


@pytest.mark.oracle
@pytest.mark.parametrize("shape", [(2, 2, 2), (3, 3, 3), (2, 2, 2, 2)])
def test_negosim_finds_everything_pygambits_enumpoly_and_logit_find(pygambit, rng, shape):
    game = random_game(shape, batch=(3,), rng=rng)
    pay = np.round(game.payoffs, 4)
    game = NormalFormGame(game.players, game.actions, pay)
    sol = all_nash(game)
    for point in range(3):
        g = pygambit.Game.from_arrays(*[pay[point, i] for i in range(len(shape))])
        theirs = []
        for result in (pygambit.nash.enumpoly_solve(g), pygambit.nash.logit_solve(g)):
            for eq in result.equilibria:
                theirs.append(np.array([float(eq[s]) for pl in g.players for s in pl.strategies]))
        found = _profiles(sol, point)
        assert sol.complete.reshape(-1)[point]
        for profile in theirs:
            assert _contains(found, profile, 1e-4)


@pytest.mark.parametrize("shape", [(2, 2, 2), (3, 3, 3), (2, 2, 2, 2), (2, 3, 2)])
def test_generic_games_have_an_odd_number_of_equilibria(rng, shape):
    sol = all_nash(random_game(shape, batch=(6,), rng=rng))
    assert sol.complete.all() and not sol.degenerate.any()
    assert (sol.counts() % 2 == 1).all()


def test_the_volunteers_dilemma_has_its_seven_equilibria():
    scenario = load_scenario("scenarios/three_player.yaml")
    b, c = scenario.values()["benefit"], scenario.values()["cost"]
    sol = all_nash(scenario.build())
    found = _profiles(sol)
    assert len(found) == 7
    q = np.sqrt(c / b)  # DOMAIN.md 7b: each volunteers with probability 1 - (c/b)^(1/(n-1))
    assert _contains(found, np.tile([1 - q, q], 3))
    for k in range(3):  # one abstains for sure, the other two abstain with probability c/b
        profile = np.tile([1 - c / b, c / b], 3)
        profile[2 * k: 2 * k + 2] = [0, 1]
        assert _contains(found, profile)


def test_a_batch_gives_the_same_equilibria_as_its_points(rng):
    game = random_game((2, 2, 3), batch=(3,), rng=rng)
    batched = all_nash(game)
    for point in range(3):
        single = all_nash(NormalFormGame(game.players, game.actions, game.payoffs[point]))
        a, b = _profiles(batched, point), _profiles(single)
        assert len(a) == len(b) and all(_contains(a, x, 1e-9) for x in b)


def test_a_degenerate_game_is_flagged_not_claimed_complete():
    pay = np.zeros((3, 2, 2, 2))  # everybody indifferent everywhere: a continuum of equilibria
    sol = all_nash(NormalFormGame(("A", "B", "C"), (("a", "b"),) * 3, pay))
    assert sol.degenerate.all() and not sol.complete.any() and sol.notes


def test_exact_volunteers_dilemma_confirms_six_equilibria_in_fractions_and_keeps_the_irrational_one_in_floats(capsys):
    import json
    from fractions import Fraction

    from negosim.cli import main

    sol = solve(load_scenario("scenarios/three_player.yaml").build(), "nash", exact=True)[0]
    assert bool(sol.complete) and sol.extra["exact_rows"].sum() == 6
    rows = sol.extra["exact_strategies"]
    irrational = [k for k, r in enumerate(rows) if r is None]
    assert len(irrational) == 1  # 1 - sqrt(2/5) is no fraction
    assert sol.strategies[0][irrational[0], 0] == pytest.approx(1 - np.sqrt(0.4), abs=1e-12)
    mixed_pairs = [r for r in rows if r is not None and Fraction(3, 5) in r[0] + r[1] + r[2]]
    assert len(mixed_pairs) == 3 and all(sorted(r) == sorted(((Fraction(3, 5), Fraction(2, 5)),) * 2
                                                              + ((Fraction(0), Fraction(1)),)) for r in mixed_pairs)
    assert main(["solve", "scenarios/three_player.yaml", "--exact", "--concept", "nash", "--json"]) == 0
    (nash,) = json.loads(capsys.readouterr().out)["solutions"]
    assert nash["complete"] is True and nash["exact"] is False  # not every equilibrium is a fraction
    assert sum(e["strategies"]["A"] == {"volunteer": "3/5", "abstain": "2/5"} for e in nash["equilibria"]) == 2
    assert sum(isinstance(e["strategies"]["A"]["volunteer"], float) for e in nash["equilibria"]) == 1


def test_a_sweep_of_a_small_three_player_game_lists_its_mixed_equilibria_too():
    from negosim.solve.primary import equilibrium_outcomes, primary_concept, primary_solution

    game = load_scenario("scenarios/three_player.yaml").build({"cost": np.array([0.1, 0.5, 0.9])})
    assert primary_concept(game) == "nash"
    sol = primary_solution(game)
    assert sol.counts().tolist() == [7, 7, 7] and sol.complete.all()
    assert (equilibrium_outcomes(sol) == "mixed").sum() == 12
