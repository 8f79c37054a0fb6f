"""Which Nash equilibria rest on a threat: checked against the reduced normal form on random game trees.

`explain` calls an off-path choice that would not be carried out a threat the equilibrium rests on only when
replacing it by the better choice makes some other player's choice on the path no longer optimal. In the
reduced normal form that is: with the threatener's strategy changed at that decision, some other player gains
by changing strategy. The normal-form payoffs are computed by `reduced_normal_form`, independently of the tree
recursion `deterred` uses.
"""

from __future__ import annotations

import numpy as np
import pytest
from test_explain_change import SCENARIO, param, random_tree

from negosim.api import open_source, solve_source
from negosim.game.reduce import reduced_normal_form, strategy_behavior
from negosim.present.explain.threats import deterred, incredible, profile_behavior
from negosim.present.explain.tree import TreeView


def others_gain(game, tree, beh, seq_infosets, mover: int, tol: float) -> bool:
    """Whether, in the reduced normal form, some player other than `mover` gains by changing strategy against
    the pure behaviour profile `beh` (one probability vector per information set)."""
    chosen = {inf: tree.nodes[nodes[0]].actions[int(np.argmax(beh[k]))] for k, (_, inf, nodes) in
              enumerate(seq_infosets)}
    index = []
    for strategies in strategy_behavior(tree):
        match = [s for s, plan in enumerate(strategies) if all(chosen[h] == a for h, a in plan.items())]
        assert len(match) == 1
        index.append(match[0])
    pay = np.asarray(game.payoffs).reshape(game.n_players, *game.shape)
    for j in range(game.n_players):
        if j == mover:
            continue
        column = pay[j][tuple(slice(None) if q == j else index[q] for q in range(game.n_players))]
        if column.max() > column[index[j]] + tol:
            return True
    return False


@pytest.mark.parametrize("seed", range(16))
def test_a_choice_is_called_a_threat_exactly_when_dropping_it_lets_another_player_gain(tmp_path, seed):
    rng = np.random.default_rng(500 + seed)
    path = tmp_path / "tree.yaml"
    path.write_text(SCENARIO.format(params=param(round(float(rng.uniform(0.5, 9.5)), 3)), game=random_tree(rng)))
    src = open_source(str(path))
    tree = src.game
    spe, nash = solve_source(src, ["spe", "pure"])  # pure Nash equilibria: every tree size
    view = TreeView(tree, {p: p for p in tree.players})
    game = reduced_normal_form(tree)
    tol = float(np.max(nash.tol))
    spe_beh = [b[0] for b in spe.behavior]
    for row in nash.rows_at(0):
        beh = profile_behavior(view, nash, int(row), spe_beh)
        for flag in incredible(view, beh, tol):
            pos, _, _, best, _, _ = flag
            changed = list(beh)
            changed[pos] = np.eye(len(beh[pos]))[best]
            mover = view.seq.infosets[pos][0]
            assert bool(deterred(view, beh, [flag], tol)) == others_gain(game, tree, changed, view.seq.infosets,
                                                                         mover, tol), (seed, flag)


def test_the_random_trees_have_threats_of_both_kinds(tmp_path):
    # Guard: the property above must meet choices that deter and choices that do not.
    kinds = set()
    for seed in range(16):
        rng = np.random.default_rng(500 + seed)
        path = tmp_path / f"tree{seed}.yaml"
        path.write_text(SCENARIO.format(params=param(round(float(rng.uniform(0.5, 9.5)), 3)),
                                        game=random_tree(rng)))
        src = open_source(str(path))
        spe, nash = solve_source(src, ["spe", "pure"])  # pure Nash equilibria: every tree size
        view = TreeView(src.game, {p: p for p in src.game.players})
        tol = float(np.max(nash.tol))
        for row in nash.rows_at(0):
            beh = profile_behavior(view, nash, int(row), [b[0] for b in spe.behavior])
            for flag in incredible(view, beh, tol):
                kinds.add(bool(deterred(view, beh, [flag], tol)))
    assert kinds == {True, False}
