"""Every extreme Nash equilibrium of a 2-player tree on the sequence form (issue 9, item 2), against pygambit.

Oracle: pygambit's ``enummixed_solve`` (vertex enumeration of the reduced normal form), compared by each
equilibrium's distribution over the payoff vectors it reaches. A linear image of a polytope has its vertices
among the images of the polytope's vertices, so every sequence-form extreme equilibrium must be one of
pygambit's; where the equilibria are isolated the two sets are equal. In fig5_1 and fig6_8 of Shoham and
Leyton-Brown a component of the normal form has vertices whose realization plans are not extreme (several
mixed strategies give one plan), so there the sequence form finds fewer.
"""

from __future__ import annotations

import collections
import glob
import os
import warnings

import numpy as np
import pytest

from negosim.game.reduce import chance_reach, reduced_normal_form
from negosim.game.tree import GameTree
from negosim.io import read_game
from negosim.solve.seqenum import MAX_SYSTEMS, extreme_equilibria, systems_needed
from negosim.solve.seqform import sequence_form
from negosim.solve.verify import expected_payoffs, regrets

gbt = pytest.importorskip("pygambit")
CATALOG = os.path.join(os.path.dirname(gbt.__file__), "catalog_data")
FEWER = {"books/shohamleytonbrown2008/fig5_1.efg", "books/shohamleytonbrown2008/fig6_8.efg"}


def _small_trees() -> list[str]:
    out = []
    for f in sorted(glob.glob(os.path.join(CATALOG, "**", "*.efg"), recursive=True)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                t = read_game(f)
            except Exception:  # files negosim refuses (more players, unsupported features) are not this test's
                continue
        if isinstance(t, GameTree) and t.n_players == 2 and systems_needed(sequence_form(t)) <= MAX_SYSTEMS:
            out.append(os.path.relpath(f, CATALOG))
    return out


def _key(values, probs) -> tuple:
    d: dict = collections.defaultdict(float)
    for v, p in zip(values, probs):
        d[tuple(round(float(c), 9) for c in v)] += float(p)
    return tuple(sorted((k, round(p, 6)) for k, p in d.items() if p > 1e-9))


def _ours(tree: GameTree) -> tuple[set, bool]:
    sf = sequence_form(tree)
    leaves = sf.seq.leaves
    outcome = np.array([tree.nodes[i].outcome for i in leaves])
    values = tree.leaf_payoffs().reshape(-1, len(tree.outcomes), 2)[0][outcome]
    reach = chance_reach(tree, sf.seq).reshape(-1, len(leaves))[0]
    ex = extreme_equilibria(sf, values, reach)
    return {_key(values, x[sf.leaf_pairs[:, 0]] * y[sf.leaf_pairs[:, 1]] * reach) for x, y in zip(ex.x, ex.y)}, \
        ex.complete


def _gambit(path: str) -> set:
    g = gbt.read_efg(path)
    out = set()
    for eq in gbt.nash.enummixed_solve(g, rational=False).equilibria:
        b = eq.as_behavior()
        terminal = [n for n in g.nodes if n.is_terminal]
        values = [[float(n.outcome[p]) if n.outcome is not None else 0.0 for p in g.players] for n in terminal]
        out.add(_key(values, [float(b.realiz_prob(n)) for n in terminal]))
    return out


TREES = _small_trees()


def test_the_catalog_has_small_trees_to_compare():
    assert len(TREES) >= 15


@pytest.mark.parametrize("name", TREES)
def test_extreme_equilibria_match_pygambit_enummixed(name):
    path = os.path.join(CATALOG, name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours, complete = _ours(read_game(path))
    theirs = _gambit(path)
    assert complete and ours
    if name in FEWER:
        assert ours < theirs
    else:
        assert ours == theirs


def test_a_tree_too_large_to_enumerate_says_so():
    tree = read_game("tests/data/kuhn_poker.efg")
    sf = sequence_form(tree)
    assert systems_needed(sf) > MAX_SYSTEMS
    ex = extreme_equilibria(sf, np.zeros((len(sf.seq.leaves), 2)), np.ones(len(sf.seq.leaves)))
    assert not ex.complete and len(ex.x) == 0


def test_nash_on_the_sequence_form_enumerates_where_small_and_keeps_lemke_for_kuhn_poker():
    from negosim.solve.seqnash import sequence_form_nash

    one_card = sequence_form_nash(read_game("tests/data/one_card_poker.efg"))
    assert one_card.complete.all() and one_card.method == "sequence form, vertex enumeration"
    g = gbt.read_efg("tests/data/one_card_poker.efg")
    (eq,) = gbt.nash.lcp_solve(g, rational=False).equilibria
    assert one_card.payoffs[0, 0] == pytest.approx(float(eq.payoff(list(g.players)[0])), abs=1e-9)
    kuhn = sequence_form_nash(read_game("tests/data/kuhn_poker.efg"))
    assert not kuhn.complete.any()
    assert kuhn.payoffs[0, 0] == pytest.approx(-1 / 18, abs=1e-9)
    k = gbt.read_efg("tests/data/kuhn_poker.efg")
    (keq,) = gbt.nash.lcp_solve(k, rational=False).equilibria
    assert float(keq.payoff(list(k.players)[0])) == pytest.approx(-1 / 18, abs=1e-9)


@pytest.mark.parametrize("name", TREES[:8])
def test_every_enumerated_equilibrium_is_one_of_the_reduced_normal_form(name):
    from test_seqform import mixed_from_behavior  # the behaviour -> mixed strategy map of the Lemke tests

    from negosim.solve.seqenum import all_extreme_nash

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree = read_game(os.path.join(CATALOG, name))
    sol = all_extreme_nash(tree)
    nf = reduced_normal_form(tree)
    for row in range(len(sol.point)):
        mixed = mixed_from_behavior(tree, sol, row)
        assert regrets(nf, mixed, np.array([0]))[0] <= 1e-7 * max(1.0, np.ptp(nf.payoffs)), (name, row)
        np.testing.assert_allclose(expected_payoffs(nf, mixed, np.array([0]))[0], sol.payoffs[row], atol=1e-8)


def test_von_stengel_forges_fig6_has_its_16_extreme_equilibria_each_once():
    # 16 extreme equilibria with one outcome distribution: vertex pairs differing only in the dual
    # variables must not count twice, and plans differing off the path must not merge
    name = "journals/mor/vonstengelforges2008/fig6.efg"
    from negosim.solve.seqenum import all_extreme_nash

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sol = all_extreme_nash(read_game(os.path.join(CATALOG, name)))
    assert len(sol.point) == len(gbt.nash.enummixed_solve(gbt.read_efg(os.path.join(CATALOG, name)),
                                                          rational=False).equilibria) == 16


def test_an_enumeration_cut_short_is_never_complete():
    tree = read_game("tests/data/one_card_poker.efg")
    sf = sequence_form(tree)
    ex = extreme_equilibria(sf, np.ones((len(sf.seq.leaves), 2)), np.ones(len(sf.seq.leaves)),
                            max_systems=systems_needed(sf) - 1)
    assert not ex.complete and len(ex.x) == 0
