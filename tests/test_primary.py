"""One policy for the primary answer: every entry point agrees with `negosim.solve.primary`."""

import numpy as np
import pytest

from negosim.errors import NegosimError, NegosimInputError, NegosimUsageError
from negosim.game import NormalFormGame
from negosim.game.generate import random_game
from negosim.scenario import load_scenario
from negosim.solve import solve
from negosim.solve.primary import (
    NO_PURE,
    equilibrium_outcomes,
    outcome_labels,
    primary_concept,
    primary_solution,
)
from negosim.sweep import evaluate_points


def test_the_primary_concept_is_spe_for_trees_nash_for_two_or_a_few_enumerable_players_pure_otherwise():
    assert primary_concept(load_scenario("scenarios/entry_deterrence.yaml").build()) == "spe"
    assert primary_concept(random_game((3, 2), rng=0)) == "nash"
    assert primary_concept(random_game((2, 2, 2), rng=0)) == "nash"  # every equilibrium is enumerated
    assert primary_concept(random_game((4, 4, 4), rng=0)) == "pure"  # beyond the enumeration's bound
    assert primary_concept(random_game((3,), rng=0)) == "pure"
    with pytest.raises(TypeError):
        primary_concept("not a game")


def test_matching_pennies_has_no_pure_regime_and_a_mixed_equilibrium_row():
    mp = NormalFormGame.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    assert outcome_labels(mp).item() == NO_PURE
    assert equilibrium_outcomes(primary_solution(mp)).tolist() == ["mixed"]


def test_sweep_points_use_the_policys_labels_and_solution():
    sc = load_scenario("scenarios/ceasefire_2025.yaml")
    mu = np.linspace(0, 0.3, 31)
    points = evaluate_points(sc, {"mu": mu})
    game = sc.build({"mu": mu})
    assert points.labels.tolist() == outcome_labels(game).tolist()
    sol = primary_solution(game)
    assert np.allclose(points.payoffs, sol.payoffs)


def test_policy_outcomes_match_the_labelled_equilibria():
    sc = load_scenario("scenarios/sanctions_threat.yaml")
    sol = primary_solution(sc.build())
    assert equilibrium_outcomes(sol).tolist() == [eq.outcome for eq in sol.equilibria_at(0)]


def test_user_errors_are_value_errors_and_a_library_call_never_raises_the_clis_class():
    from negosim.cli import CommandLineError

    with pytest.raises(NegosimUsageError) as info:
        solve(random_game((2, 2), rng=0), "spe")
    assert isinstance(info.value, ValueError) and not isinstance(info.value, CommandLineError)
    with pytest.raises(ValueError):
        load_scenario("scenarios/does_not_exist.yaml")
    assert issubclass(NegosimInputError, NegosimError) and issubclass(NegosimInputError, ValueError)


def _joined_codes_by_unique_rows(present, names, empty):
    """joined_codes as it was for more than 62 columns: np.unique over whole rows."""
    rows, inverse = np.unique(present, axis=0, return_inverse=True)
    texts = np.array([" + ".join(names[j] for j in np.flatnonzero(r)) or empty for r in rows])
    order = np.argsort(texts, kind="stable")
    sorted_texts, rank = np.unique(texts[order], return_inverse=True)
    remap = np.empty(len(texts), dtype=np.int32)
    remap[order] = rank
    return sorted_texts, remap[np.asarray(inverse).reshape(-1)]


@pytest.mark.parametrize("seed", range(40))
def test_joined_codes_of_many_outcomes_equal_those_of_whole_row_comparison(seed):
    # A big tree has thousands of outcomes, mostly one reached per point: rows are told apart by
    # that outcome's index, and rows reaching several (chance, ties) are compared whole.
    from negosim.solve.primary import joined_codes

    rng = np.random.default_rng(seed)
    n_rows, n_cols = int(rng.integers(1, 300)), int(rng.integers(63, 400))
    present = np.zeros((n_rows, n_cols), dtype=bool)
    for i in range(n_rows):
        k = int(rng.choice([0, 1, 1, 1, 2, 3])) if seed % 3 else 1
        present[i, rng.choice(min(n_cols, 70), size=k, replace=False)] = True
    names = [f"o{j}" for j in range(n_cols)]
    if seed % 4 == 0:
        names[3] = names[4]  # two columns of one name: two distinct rows give one text
    texts, codes = joined_codes(present, names, "none")
    want_texts, want_codes = _joined_codes_by_unique_rows(present, names, "none")
    assert texts.tolist() == want_texts.tolist() and codes.tolist() == want_codes.tolist()
    assert codes.dtype == want_codes.dtype
