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
from negosim.game.ties import TieRules
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


# --- alternating offers: a finite tree with a fine menu approaches Rubinstein's share ---------------------


def alternating_tree(shares: np.ndarray, delta: np.ndarray, rounds: int, after: np.ndarray | None = None) -> GameTree:
    """The alternating-offers game over `rounds` rounds, A proposing first, batched over the rows of `delta`.

    `shares` is the offer menu (the proposer's share); `delta` (B, 2) holds A's and B's discount factor
    per round. A responder accepts (the split is paid, discounted to round 0) or rejects (the other side
    proposes next round); after a rejection in the last round both get `after` (B, 2), discounted to
    that round (default 0: no deal). The tree has (2 * len(shares)) ** rounds leaves.
    """
    B = delta.shape[0]
    after = np.zeros((B, 2)) if after is None else after
    nodes: list[Node] = []
    leaf_pay: list[np.ndarray] = []

    def leaf(pay: np.ndarray) -> int:
        nodes.append(Node(f"leaf{len(leaf_pay)}", TERMINAL, outcome=len(leaf_pay)))
        leaf_pay.append(pay)
        return len(nodes) - 1

    def round_node(r: int) -> int:
        me = r % 2
        here = len(nodes)
        nodes.append(Node(f"propose{here}", DECISION))
        kids = []
        for s in shares:
            respond = len(nodes)
            nodes.append(Node(f"respond{respond}", DECISION))
            split = np.zeros((B, 2))
            split[:, me], split[:, 1 - me] = s, 1 - s
            accept = leaf(delta ** r * split)
            reject = round_node(r + 1) if r + 1 < rounds else leaf(delta ** r * after)
            nodes[respond] = Node(f"respond{respond}", DECISION, ("accept", "reject"), (accept, reject),
                                  player=1 - me)
            kids.append(respond)
        nodes[here] = Node(f"propose{here}", DECISION, tuple(f"s{j}" for j in range(len(shares))), tuple(kids),
                           player=me)
        return here

    round_node(0)
    payoffs = np.stack(leaf_pay, axis=1)  # (B, n_outcomes, 2)
    outcomes = tuple(Outcome(f"o{k}") for k in range(len(leaf_pay)))
    return GameTree(("A", "B"), tuple(nodes), 0, outcomes, payoffs, {}, ties=TieRules(("accept",)))


def spe_values(tree: GameTree) -> np.ndarray:
    """(B, 2) subgame-perfect payoffs, verified by the solver, one equilibrium per point (ties: accept)."""
    spe = subgame_perfect(tree)
    assert np.array_equal(np.sort(spe.point), np.arange(tree.batch_size))
    assert spe.regret.max() <= spe.tol.max()
    return spe.payoffs[np.argsort(spe.point)]


def staged_share(shares: np.ndarray, delta: np.ndarray, rounds: int) -> np.ndarray:
    """A's subgame-perfect share in the `rounds`-round game, solved by `subgame_perfect` one round at a time.

    After a rejection every offer leads to the same continuation game, so the full tree's
    subgame-perfect value is the one-round tree's with the next round's value (from the proposer's
    point of view, one round later) at its rejection leaf: backward induction over rounds instead of
    over a tree of (2 M) ** rounds leaves. Returns (B,) shares in the first round.
    """
    B = delta.shape[0]
    value = np.zeros((B, 2))  # what the game is worth, in the next round's units, once it is over
    for r in reversed(range(rounds)):
        me = r % 2
        one = alternating_tree(shares, delta[:, [me, 1 - me]], 1, after=value[:, [me, 1 - me]] * delta[:, [me, 1 - me]])
        v = spe_values(one)  # (B, 2) in (proposer, responder) order, in this round's units
        value = np.zeros((B, 2))
        value[:, me], value[:, 1 - me] = v[:, 0], v[:, 1]
    return value[:, 0]


def finite_horizon_share(da: np.ndarray, db: np.ndarray, rounds: int) -> np.ndarray:
    """A's share in the continuous finite-horizon game: the proposer with one round left takes all."""
    mine, theirs = np.ones_like(da), np.ones_like(da)  # proposer's share with t rounds left, if A / if B proposes
    for _ in range(rounds - 1):
        mine, theirs = 1 - db * theirs, 1 - da * mine
    return mine


def test_the_staged_solution_is_the_full_trees_subgame_perfect_equilibrium():
    shares = np.linspace(0, 1, 6)
    delta = np.array([[0.9, 0.8], [0.6, 0.95], [0.5, 0.5]])
    for rounds in (1, 2, 3):
        full = spe_values(alternating_tree(shares, delta, rounds))[:, 0]
        assert np.allclose(full, staged_share(shares, delta, rounds), atol=1e-12), rounds


def test_a_fine_menu_and_many_rounds_approach_rubinstein(rng):
    da, db = rng.uniform(0.5, 0.85, 4), rng.uniform(0.5, 0.85, 4)
    delta = np.stack([da, db], axis=1)
    shares = np.linspace(0, 1, 801)
    step = shares[1]
    closed = bg.rubinstein(da, db)
    gaps = []
    for rounds in (2, 6, 16, 40):
        x = staged_share(shares, delta, rounds)
        # Each round the proposer's best menu offer is within a step of the continuous one; the errors
        # are discounted as they pass back, so the game is within step / (1 - delta_max) of its limit.
        assert np.abs(x - finite_horizon_share(da, db, rounds)).max() <= 2 * step / (1 - 0.85)
        gaps.append(np.abs(x - closed).max())
    assert gaps[-1] < gaps[1] < gaps[0]
    assert gaps[-1] <= 2 * step / (1 - 0.85)  # 40 rounds: the horizon's effect (0.85 ** 40 < 0.002) is smaller


def test_the_seed_scenarios_closed_form_is_the_limit_of_the_discretised_game(rng):
    """scenarios/ceasefire_bargaining.yaml against the same private-cost game, discretised and solved by
    `subgame_perfect`: dividing the US's payoffs by omega and shifting them by B / omega turns the seed
    case into the risk-return game with Russia's war value P = p + mu - sigma s and the defender's cost
    of war cU' = sigma s + (B + g + sigma k) / omega."""
    import negosim as ns

    sc = ns.load("scenarios/ceasefire_bargaining.yaml")
    n = 6
    p, B, g, k = rng.uniform(0.5, 0.8, n), rng.uniform(0, 0.1, n), rng.uniform(0, 0.05, n), rng.uniform(0, 0.08, n)
    sol = sc.solve(p=p, B=B, g=g, k=k)
    sigma = (k <= 0.05).astype(float)  # aS = 0.05 at the baseline: the threat is credible iff k <= aS
    P, cU = p + 0.05 - sigma * 0.06, sigma * 0.06 + (B + g + sigma * k) / 0.5
    offers, types, cbar = 41, 40, 0.6
    offer, war = solved_offers(P, cU, cbar, offers, types)
    step = cbar / min(offers - 1, types)
    assert np.abs(offer - sol.quantities["offer"]).max() <= 1.5 * step
    assert np.abs(war - sol.quantities["war_probability"]).max() <= 1.5 * step / cbar
