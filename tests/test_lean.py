"""The fixed-cost path for one 2x2 game (`small.two_by_two` + `lean.lean_solution`) against the general one.

Every field of the solution must match what the batched enumeration and `verify.verified_solution`
give for the same game: equilibria, payoffs, regrets, tolerances, ties, best responses.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negosim.errors import VerificationError
from negosim.game.normal import NormalFormGame
from negosim.solve import solve
from negosim.solve.lean import lean_solution
from negosim.solve.small import two_by_two
from negosim.solve.verify import verified_solution
from negosim.solve.vertex import _extreme_equilibria, _solve_chunks


def general(game: NormalFormGame):
    r = _solve_chunks(game, 1e-9, _extreme_equilibria)
    return verified_solution(game, concept="nash", method="vertex enumeration", point=r.point, strategies=(r.x, r.y),
                             rtol=1e-9, complete=np.ones(1, dtype=bool), degenerate=r.degenerate)


payoff = st.one_of(st.integers(-4, 4).map(float), st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False))


@settings(max_examples=300, deadline=None)
@given(st.lists(payoff, min_size=8, max_size=8))
def test_the_closed_form_2x2_path_gives_the_general_paths_solution(values):
    A = np.array(values[:4]).reshape(2, 2)
    B = np.array(values[4:]).reshape(2, 2)
    game = NormalFormGame.from_bimatrix(A, B)
    found = two_by_two(A.tolist(), B.tolist())
    ref = general(game)
    if found is None:
        return  # ties or payoffs too close: the general path answers (checked by the other tests)
    assert not ref.degenerate.any()
    ours = lean_solution(game, found, method="vertex enumeration", rtol=1e-9)
    assert np.allclose(np.concatenate(ours.strategies, 1), np.concatenate(ref.strategies, 1), atol=1e-12, rtol=0)
    assert np.allclose(ours.payoffs, ref.payoffs, rtol=1e-12, atol=1e-12 * np.abs(ref.payoffs).max(initial=1))
    assert np.allclose(ours.extra["player_tol"], ref.extra["player_tol"], rtol=1e-9, atol=0)
    assert np.allclose(ours.tol, ref.tol, rtol=1e-9, atol=0)
    assert (ours.tied == ref.tied).all() and (ours.degenerate == ref.degenerate.reshape(())).all()
    for a, b in zip(ours.extra["best_responses"], ref.extra["best_responses"]):
        assert (a == b).all()
    assert ours.regret.max(initial=0) <= ours.extra["player_tol"].max(initial=0)


def test_the_front_door_takes_the_fast_path_and_falls_back_on_ties():
    bos = NormalFormGame.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    (sol,) = solve(bos, "nash")
    assert len(sol.point) == 3 and sol.complete.all() and not sol.degenerate.any()
    assert np.allclose(sol.strategies[0][1], [2 / 3, 1 / 3])
    tie = NormalFormGame.from_bimatrix([[1, 1], [0, 2]], [[1, 1], [0, 2]])  # row 1: two best responses
    assert two_by_two([[1, 1], [0, 2]], [[1, 1], [0, 2]]) is None
    (sol,) = solve(tie, "nash")
    assert sol.degenerate.all()


def test_a_profile_that_is_not_an_equilibrium_is_refused():
    pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    with pytest.raises(VerificationError, match="regret"):
        lean_solution(pd, [((1.0, 0.0), (1.0, 0.0))], method="test", rtol=1e-9)
