"""Logit QRE against pygambit's logit_solve_lambda and logit_solve_branch, on random normal forms with
2 and 3 players and on game trees (agent QRE in behaviour strategies)."""

from __future__ import annotations

import numpy as np
import pytest

from negosim.game.generate import random_game
from negosim.io import read_game
from negosim.solve import solve
from negosim.solve.qre import logit_branch, logit_qre
from negosim.solve.qre_path import PathBudget

LAMBDAS = [0.3, 1.0, 4.0]


def _gambit_strategic(pygambit, game, point):
    arrays = [game.payoffs.reshape(game.batch_size, game.n_players, *game.shape)[point, i]
              for i in range(game.n_players)]
    return pygambit.Game.from_arrays(*[np.round(a, 6) for a in arrays])


@pytest.mark.oracle
@pytest.mark.parametrize("shape", [(2, 2), (3, 3), (2, 2, 2), (3, 3, 3), (2, 3, 4)])
def test_qre_at_given_lambdas_matches_pygambit(pygambit, rng, shape):
    game = random_game(shape, batch=(3,), rng=rng)
    game = type(game)(game.players, game.actions, np.round(game.payoffs, 6))
    sol = logit_qre(game, LAMBDAS)
    assert sol.complete.all()
    for point in range(3):
        reference = pygambit.qre.logit_solve_lambda(_gambit_strategic(pygambit, game, point), lam=LAMBDAS)
        rows = sol.rows_at(point)
        for row, ref in zip(rows, reference):
            assert sol.extra["lambda"][row] == pytest.approx(ref.lam)
            ours = np.concatenate([s[row] for s in sol.strategies])
            assert ours == pytest.approx(np.array([ref[i] for i in range(len(ours))]), abs=1e-6)


def _behaviour_by_label(pygambit, efg_game, ref):
    out, i = {}, 0
    for player in efg_game.players:
        for infoset in player.infosets:
            for action in infoset.actions:
                out[(player.label, infoset.label, action.label)] = ref[i]
                i += 1
    return out


@pytest.mark.oracle
@pytest.mark.parametrize("path", ["tests/data/one_card_poker.efg"])
def test_agent_qre_of_a_tree_matches_pygambit(pygambit, path):
    tree = read_game(path)
    sol = logit_qre(tree, LAMBDAS)
    reference = pygambit.qre.logit_solve_lambda(pygambit.read_efg(path), lam=LAMBDAS)
    efg = pygambit.read_efg(path)
    for row, ref in enumerate(reference):
        expected = _behaviour_by_label(pygambit, efg, ref)
        for k, (player, infoset, nodes) in enumerate(tree.infosets()):
            for j, action in enumerate(tree.nodes[nodes[0]].actions):
                key = (tree.players[player], infoset, action)
                assert sol.behavior[k][row, j] == pytest.approx(expected[key], abs=1e-6)


def test_qre_at_lambda_zero_is_uniform_play_and_every_row_is_its_own_logit_response(rng):
    game = random_game((3, 2), batch=(2,), rng=rng)
    sol = logit_qre(game, [0.0, 2.0])
    zero = sol.extra["lambda"] == 0
    assert np.allclose(sol.strategies[0][zero], 1 / 3) and np.allclose(sol.strategies[1][zero], 1 / 2)
    # A logit response to itself: log-odds equal lambda times payoff differences.
    from negosim.solve.verify import action_values

    values = action_values(game, sol.strategies, sol.point)
    for s, v in zip(sol.strategies, values):
        lam = sol.extra["lambda"][:, None]
        assert np.allclose(np.log(s[:, 1:] / s[:, :1]), lam * (v[:, 1:] - v[:, :1]), atol=1e-9)


def test_a_batch_gives_the_same_qre_as_its_points_one_by_one(rng):
    game = random_game((3, 3), batch=(4,), rng=rng)
    batched = logit_qre(game, [1.5])
    for point in range(4):
        single = type(game)(game.players, game.actions, game.payoffs[point])
        one = logit_qre(single, [1.5])
        for s, t in zip(batched.strategies, one.strategies):
            assert s[point] == pytest.approx(t[0], abs=1e-10)


def test_the_branch_ends_at_a_nash_equilibrium_negosim_finds(rng):
    for game in [random_game((3, 3), rng=rng) for _ in range(5)]:
        branch = logit_branch(game)
        assert branch.converged.all()
        limit = branch.profiles[0][-1]
        (nash,) = solve(game, "nash")
        found = np.concatenate([nash.strategies[0], nash.strategies[1]], axis=1)
        assert np.abs(found - limit).max(axis=1).min() < 1e-4
        assert np.all(np.diff(branch.lambdas[0][:5]) > 0)  # it leaves lambda = 0 upwards


@pytest.mark.oracle
def test_the_branch_limit_agrees_with_pygambits(pygambit, rng):
    game = random_game((2, 2, 2), rng=rng)
    game = type(game)(game.players, game.actions, np.round(game.payoffs, 6))
    ours = logit_branch(game).profiles[0][-1]
    theirs = pygambit.qre.logit_solve_branch(_gambit_strategic(pygambit, game, 0))[-1]
    assert ours == pytest.approx(np.array([theirs[i] for i in range(len(ours))]), abs=1e-4)


def test_a_trace_out_of_budget_says_so_instead_of_hanging(rng):
    game = random_game((4, 4), batch=(3,), rng=rng)
    sol = logit_qre(game, [1e6], budget=PathBudget(max_steps=3))
    assert not sol.complete.any() and "budget" in sol.notes[0]
    assert len(sol.point) == 0


@pytest.mark.parametrize("shape", [(3, 3, 3), (2, 2, 2, 2), (5, 4)])
def test_logit_tracing_finds_one_verified_nash_equilibrium_per_point(pygambit, rng, shape):
    from negosim.solve.logit_tracing import nash_by_logit_tracing

    game = random_game(shape, batch=(4,), rng=rng)
    sol = nash_by_logit_tracing(game)
    assert list(sol.point) == [0, 1, 2, 3] and not sol.complete.any()
    for e in range(4):  # an independent regret check in pygambit
        g = _gambit_strategic(pygambit, type(game)(game.players, game.actions, np.round(game.payoffs, 9)), e)
        profile = g.mixed_strategy_profile(rational=False)
        for i, player in enumerate(g.players):
            for j, strategy in enumerate(player.strategies):
                profile[strategy] = float(sol.strategies[i][e, j])
        assert profile.max_regret() < 1e-6
