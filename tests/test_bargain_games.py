"""The bargaining layer's closed forms are the limits of finite games that negosim's general solvers
solve (issue: consistency with the game solvers).

A defender's take-it-or-leave-it offer to a challenger with a private war cost is a game tree: the
defender picks a concession from a menu, nature draws the challenger's cost from a grid, the
challenger accepts or fights. Its subgame-perfect equilibrium, computed by `subgame_perfect` on the
whole batch of parameter points at once, approaches `risk_return` as the grids are refined.
"""

from __future__ import annotations

import numpy as np
import pytest

from negosim import bargain as bg
from negosim.game.tree import CHANCE, DECISION, TERMINAL, GameTree, Node, Outcome
from negosim.solve.spe import subgame_perfect


def private_cost_tree(p: np.ndarray, cU: np.ndarray, cbar: float, offers: int, types: int) -> GameTree:
    """The discretised risk-return game, batched over the points (p, cU)."""
    concessions = np.linspace(0.0, cbar, offers)
    costs = (np.arange(types) + 0.5) * cbar / types  # midpoints: a discrete uniform on [0, cbar]
    outcomes = [Outcome(f"deal_{j}") for j in range(offers)] + [Outcome(f"war_{i}") for i in range(types)]
    payoffs = np.zeros((*p.shape, len(outcomes), 2))  # players: D (defender), C (challenger)
    for j, z in enumerate(concessions):
        payoffs[..., j, :] = np.stack([1 - (p - z), p - z], axis=-1)
    for i, c in enumerate(costs):
        payoffs[..., offers + i, :] = np.stack([1 - p - cU, p - c], axis=-1)
    nodes = [Node("offer", DECISION, tuple(f"z{j}" for j in range(offers)), (), player=0)]
    children, chance_probs = [], {}
    for j in range(offers):
        nature = len(nodes)
        children.append(nature)
        nodes.append(Node(f"nature_{j}", CHANCE))
        chance_probs[nature] = np.full(types, 1.0 / types)
        responders = []
        for i in range(types):
            responders.append(len(nodes))
            nodes.append(Node(f"respond_{j}_{i}", DECISION, ("accept", "reject"), (), player=1))
            accept, reject = len(nodes), len(nodes) + 1
            nodes += [Node(f"deal_{j}_{i}", TERMINAL, outcome=j), Node(f"war_{j}_{i}", TERMINAL, outcome=offers + i)]
            nodes[responders[-1]] = Node(f"respond_{j}_{i}", DECISION, ("accept", "reject"), (accept, reject),
                                         player=1)
        nodes[nature] = Node(f"nature_{j}", CHANCE, tuple(f"c{i}" for i in range(types)), tuple(responders))
    nodes[0] = Node("offer", DECISION, nodes[0].actions, tuple(children), player=0)
    return GameTree(("D", "C"), tuple(nodes), 0, tuple(outcomes), payoffs, chance_probs)


def solved_offers(p, cU, cbar, offers, types):
    tree = private_cost_tree(p, cU, cbar, offers, types)
    spe = subgame_perfect(tree)
    offer_choice = spe.extra["choice"]["offer"]
    concession = np.linspace(0.0, cbar, offers)[offer_choice]
    costs = (np.arange(types) + 0.5) * cbar / types
    war = (costs[None, :] < concession[:, None]).mean(axis=1)  # the types that reject in the equilibrium
    # The challenger's equilibrium choices are the rule "fight iff the offer is below the war payoff".
    assert spe.regret.max() <= spe.tol.max()
    return p - concession, war


@pytest.mark.parametrize("grid", [(11, 10), (41, 40)])
def test_the_discretised_private_cost_game_approaches_risk_return(rng, grid):
    offers, types = grid
    p, cU, cbar = rng.uniform(0.4, 0.9, 6), rng.uniform(0.0, 0.15, 6), 0.4
    offer, war = solved_offers(p, cU, cbar, offers, types)
    closed = bg.risk_return(p, cU, cbar)
    step = cbar / min(offers - 1, types)
    assert np.abs(offer - closed.offer).max() <= 1.5 * step
    assert np.abs(war - closed.war_probability).max() <= 1.5 * step / cbar


def test_refining_the_grids_shrinks_the_gap_to_the_closed_form(rng):
    p, cU, cbar = rng.uniform(0.4, 0.9, 6), rng.uniform(0.0, 0.15, 6), 0.4
    closed = bg.risk_return(p, cU, cbar)
    gaps = [np.abs(solved_offers(p, cU, cbar, m, n)[0] - closed.offer).max() for m, n in [(6, 5), (21, 20), (81, 80)]]
    assert gaps[2] < gaps[1] < gaps[0] and gaps[2] <= 0.005
