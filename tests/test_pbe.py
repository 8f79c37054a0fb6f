"""Perfect Bayesian equilibria: closed forms of the field's signalling games, the Intuitive Criterion on
beer-quiche and Spence's job market, and every returned equilibrium re-checked here by a
sequential-rationality test written independently of negosim's (values recomputed from the labels)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from negosim.api import open_source
from negosim.errors import VerificationError
from negosim.game import GameTree, Node, Outcome
from negosim.solve import solve
from negosim.solve.pbe import perfect_bayesian

TOL = 1e-7


# --- an independent check --------------------------------------------------------------------
def assert_sequentially_rational(tree: GameTree, eq, point: int = 0) -> None:
    """Bayes' rule wherever the play reaches an information set, and at every information set the
    mover's mixture is a best response given its belief, from values computed from the labels."""
    payoffs = tree.leaf_payoffs().reshape(-1, len(tree.outcomes), tree.n_players)[point]
    players = tree.players

    def move(i):
        node = tree.nodes[i]
        if node.kind == "chance":
            return tree.probs(i).reshape(-1, len(node.children))[point]
        b = eq.behavior[players[node.player]][node.infoset]
        return np.array([b[a] for a in node.actions])

    value = {}
    for i in reversed(tree.preorder()):
        node = tree.nodes[i]
        value[i] = payoffs[node.outcome] if node.kind == "terminal" else sum(
            p * value[c] for p, c in zip(move(i), node.children))
    reach = {tree.root: 1.0}
    for i in tree.preorder():
        for p, c in zip(move(i) if tree.nodes[i].children else (), tree.nodes[i].children):
            reach[c] = reach[i] * p
    np.testing.assert_allclose([eq.payoffs[p] for p in players], value[tree.root], atol=TOL)
    for player, infoset, nodes in tree.infosets():
        belief = eq.beliefs[infoset]
        assert abs(sum(belief.values()) - 1) < TOL and min(belief.values()) >= -TOL
        total = sum(reach[x] for x in nodes)
        if total > 0:  # Bayes' rule on the path
            for x in nodes:
                assert belief[tree.nodes[x].id] == pytest.approx(reach[x] / total, abs=1e-6), infoset
        actions = tree.nodes[nodes[0]].actions
        worth = [sum(belief[tree.nodes[x].id] * value[tree.nodes[x].children[a]][player] for x in nodes)
                 for a in range(len(actions))]
        mixture = eq.behavior[players[player]][infoset]
        played = sum(mixture[a] * w for a, w in zip(actions, worth))
        assert played >= max(worth) - TOL, f"{players[player]} at {infoset}: {worth} against {mixture}"


def signalling_game(priors, messages, responses, pay) -> GameTree:
    """Nature draws a type, the sender (S) sends a message, the receiver (R) responds seeing the message;
    `pay(t, m, r)` gives (sender, receiver) payoffs."""
    types = list(priors)
    nodes: list = [None]
    outcomes, payoffs = [], []
    type_nodes = []
    for t in types:
        idx = len(nodes)
        nodes.append(None)
        kids = []
        for m in messages:
            r_idx = len(nodes)
            nodes.append(None)
            leaves = []
            for r in responses:
                outcomes.append(Outcome(f"{t}_{m}_{r}"))
                payoffs.append(pay(t, m, r))
                leaves.append(len(nodes))
                nodes.append(Node(f"{t}_{m}_{r}", "terminal", outcome=len(outcomes) - 1))
            nodes[r_idx] = Node(f"{t}_{m}", "decision", tuple(responses), tuple(leaves), 1, f"after_{m}")
            kids.append(r_idx)
        nodes[idx] = Node(t, "decision", tuple(messages), tuple(kids), 0)
        type_nodes.append(idx)
    nodes[0] = Node("nature", "chance", tuple(types), tuple(type_nodes))
    return GameTree(("S", "R"), tuple(nodes), 0, tuple(outcomes), np.array(payoffs, dtype=float),
                    {0: np.array(list(priors.values()), dtype=float)})


def pbe_of(tree: GameTree):
    (sol,) = solve(tree, "pbe")
    eqs = sol.equilibria_at(0)
    for eq in eqs:
        assert_sequentially_rational(tree, eq)
    return sol, eqs


def sends(eq, t):
    """The message a type sends for sure (None when it mixes)."""
    plays = eq.behavior["Sender" if "Sender" in eq.behavior else "S"][t]
    used = [m for m, p in plays.items() if p > 0]
    return used[0] if len(used) == 1 else None


# --- Lacy and Niou: the uncertain sanctions sender ------------------------------------------------
def sanctions_draws(rng, n, pooling):
    draws = []
    while len(draws) < n:
        pi, v, kT, d, a, cS = rng.uniform(0.05, 0.95), *rng.uniform(0.05, 1, 5)
        bR, bI = cS + rng.uniform(0.05, 0.5), cS - a - rng.uniform(0.05, 0.5)  # resolute: imposing beats the status quo
        margin = pi * d - kT
        if d > kT + 0.02 and (margin > 0.02 if pooling else margin < -0.02) and 0 <= bR <= 1 and 0 <= bI <= 1:
            draws.append(dict(pi=pi, v=v, kT=kT, d=d, a=a, cS=cS, bR=bR, bI=bI))
    return draws


@pytest.mark.parametrize("params", sanctions_draws(np.random.default_rng(9), 12, pooling=False))
def test_irresolute_sender_bluffs_and_target_complies_at_the_closed_form_rates(params):
    src = open_source("scenarios/sanctions_uncertain.yaml", params)
    sol, eqs = pbe_of(src.game)
    assert len(eqs) == 1 and bool(sol.complete.ravel()[0])
    (eq,) = eqs
    pi, kT, d, a, v = (params[k] for k in ("pi", "kT", "d", "a", "v"))
    assert eq.classification == "semi-separating"
    assert eq.behavior["Sender"]["irresolute"]["threaten"] == pytest.approx(pi * (d - kT) / ((1 - pi) * kT))
    assert eq.behavior["Sender"]["resolute"]["threaten"] == pytest.approx(1)
    assert eq.behavior["Target"]["after_threat"]["comply"] == pytest.approx(a / (v + a))
    assert eq.beliefs["after_threat"]["target_resolute"] == pytest.approx(kT / d)  # the posterior after a threat
    assert eq.behavior["Sender"]["irresolute_defied"]["back_down"] == 1.0
    assert eq.behavior["Sender"]["resolute_defied"]["impose"] == 1.0


@pytest.mark.parametrize("params", sanctions_draws(np.random.default_rng(10), 4, pooling=True))
def test_a_likely_resolute_sender_makes_every_threat_work(params):
    _, eqs = pbe_of(open_source("scenarios/sanctions_uncertain.yaml", params).game)
    assert [eq.classification for eq in eqs] == ["pooling"]
    assert eqs[0].behavior["Target"]["after_threat"]["comply"] == 1.0
    assert eqs[0].beliefs["after_threat"]["target_resolute"] == pytest.approx(params["pi"])


def test_shipped_sanctions_scenario_posterior_is_one_half_and_bluff_one_third():
    _, (eq,) = pbe_of(open_source("scenarios/sanctions_uncertain.yaml").game)
    assert eq.beliefs["after_threat"]["target_resolute"] == pytest.approx(0.5)
    assert eq.behavior["Sender"]["irresolute"]["threaten"] == pytest.approx(1 / 3)
    assert eq.behavior["Target"]["after_threat"]["comply"] == pytest.approx(1 / 6)


# --- beer and quiche -----------------------------------------------------------------------------
def test_beer_quiche_has_both_pooling_outcomes_no_separating_and_only_beer_is_intuitive():
    sol, eqs = pbe_of(open_source("scenarios/beer_quiche.yaml").game)
    assert bool(sol.complete.ravel()[0]) and eqs
    assert {eq.classification for eq in eqs} == {"pooling"}
    pooled = {sends(eq, "strong") for eq in eqs}
    assert pooled == {"beer", "quiche"}
    for eq in eqs:
        assert eq.intuitive_criterion == (sends(eq, "strong") == "beer")
        off = "after_quiche" if sends(eq, "strong") == "beer" else "after_beer"
        duel = eq.behavior["Receiver"][off]["duel"]
        weak = eq.beliefs[off]["weak_quiche" if off == "after_quiche" else "weak_beer"]
        assert duel >= 0.5 - TOL and weak >= 0.5 - TOL  # off the path the receiver duels, believing weak >= 1/2
    pure_duel = [eq for eq in eqs if eq.behavior["Receiver"]["after_quiche"]["duel"] == 1.0
                 and sends(eq, "strong") == "beer"]
    assert pure_duel[0].belief_sets == {"after_quiche": "P(strong_quiche) in [0, 1/2]"}
    assert pure_duel[0].d1 is True


def test_beer_quiche_with_a_weak_prior_has_only_the_semi_separating_equilibrium():
    _, eqs = pbe_of(open_source("scenarios/beer_quiche.yaml", {"pS": 0.3}).game)
    assert [eq.classification for eq in eqs] == ["semi-separating"]
    assert eqs[0].behavior["Sender"]["weak"]["beer"] == pytest.approx(3 / 7)  # posterior after beer 1/2
    assert eqs[0].behavior["Receiver"]["after_beer"]["duel"] == pytest.approx(0.5)


# --- Spence's job market -------------------------------------------------------------------------
def spence(prior_high=0.3, cost_high=0.5, cost_low=1.5):
    def pay(t, m, r):
        wage = 2.0 if r == "high_wage" else 1.0
        productivity = 2.0 if t == "high" else 1.0
        cost = (cost_high if t == "high" else cost_low) * (m == "educate")
        return wage - cost, -((wage - productivity) ** 2)

    return signalling_game({"high": prior_high, "low": 1 - prior_high}, ("none", "educate"),
                           ("low_wage", "high_wage"), pay)


def test_spence_separating_equilibrium_educates_the_able_and_survives_while_pooling_fails_the_criterion():
    tree = spence()
    sol, eqs = pbe_of(tree)
    assert bool(sol.complete.ravel()[0])
    separating = [eq for eq in eqs if eq.classification == "separating"]
    assert len(separating) == 1
    (sep,) = separating
    assert sends(sep, "high") == "educate" and sends(sep, "low") == "none"
    assert sep.behavior["R"]["after_educate"]["high_wage"] == 1.0 and sep.behavior["R"]["after_none"]["low_wage"] == 1.0
    assert sep.beliefs["after_educate"]["high_educate"] == 1.0
    pooling = [eq for eq in eqs if eq.classification == "pooling"]
    assert pooling and all(sends(eq, "high") == "none" for eq in pooling)
    assert not any(eq.intuitive_criterion for eq in pooling)  # the low type would never educate
    assert not any(eq.d1 for eq in pooling)


def test_spence_without_a_cost_difference_has_no_separating_equilibrium():
    _, eqs = pbe_of(spence(cost_high=0.5, cost_low=0.5))
    assert not any(eq.classification == "separating" for eq in eqs)


# --- random signalling games: existence and the independent check --------------------------------
@pytest.mark.parametrize("seed", range(12))
def test_random_signalling_games_have_an_equilibrium_and_every_one_is_sequentially_rational(seed):
    rng = np.random.default_rng(seed)
    n_types, n_messages, n_responses = rng.integers(2, 4), 2, rng.integers(2, 4)
    table = rng.integers(-3, 4, size=(n_types, n_messages, n_responses, 2)).astype(float) + rng.normal(
        0, 1e-3, size=(n_types, n_messages, n_responses, 2))
    types = {f"t{i}": p for i, p in enumerate(rng.dirichlet(np.ones(n_types)))}
    messages = tuple(f"m{j}" for j in range(n_messages))
    responses = tuple(f"r{k}" for k in range(n_responses))
    tree = signalling_game(types, messages, responses,
                           lambda t, m, r: table[int(t[1:]), int(m[1:]), int(r[1:])])
    sol, eqs = pbe_of(tree)
    assert eqs, "every finite game has a perfect Bayesian equilibrium"
    assert bool(sol.complete.ravel()[0])
    assert all(eq.classification in ("separating", "pooling", "semi-separating") for eq in eqs)


@pytest.mark.parametrize("seed", range(8))
def test_pure_equilibria_agree_with_brute_force_over_pure_profiles_and_a_belief_grid(seed):
    rng = np.random.default_rng(100 + seed)
    n_responses = int(rng.integers(2, 4))
    table = rng.normal(size=(2, 2, n_responses, 2))
    prior = float(rng.uniform(0.1, 0.9))
    tree = signalling_game({"t0": prior, "t1": 1 - prior}, ("m0", "m1"), tuple(f"r{k}" for k in range(n_responses)),
                           lambda t, m, r: table[int(t[1:]), int(m[1:]), int(r[1:])])
    _, eqs = pbe_of(tree)
    found = set()
    for eq in eqs:
        plays = [eq.behavior["S"][t] for t in ("t0", "t1")] + [eq.behavior["R"][f"after_{m}"] for m in ("m0", "m1")]
        if all(max(p.values()) == 1.0 for p in plays):
            found.add(tuple(int(max(p, key=p.get)[1:]) for p in plays))
    brute = set()
    grid = np.linspace(0, 1, 2001)
    for s0, s1, r0, r1 in itertools.product(range(2), range(2), range(n_responses), range(n_responses)):
        sender, answer = (s0, s1), (r0, r1)
        if any(table[t, sender[t], answer[sender[t]], 0] < table[t, 1 - sender[t], answer[1 - sender[t]], 0]
               for t in range(2)):
            continue
        ok = True
        for m in range(2):
            senders = [t for t in range(2) if sender[t] == m]
            mus = [np.array([prior if 0 in senders else 0, (1 - prior) if 1 in senders else 0])] if senders else \
                [np.array([g, 1 - g]) for g in grid]
            ok &= any(all(mu @ table[:, m, answer[m], 1] >= mu @ table[:, m, r, 1] - 1e-12 for r in range(n_responses))
                      for mu in mus)
        if ok:
            brute.add((s0, s1, r0, r1))
    assert found == brute, (found, brute)


def test_a_wrong_belief_is_caught_loudly():
    from negosim.solve.pbe_check import verify_pbe
    from negosim.solve.pbe_profile import PointGame
    from negosim.solve.subgames import columns

    tree = open_source("scenarios/beer_quiche.yaml").game
    pay, probs = columns(tree)
    infosets = tuple(tree.infosets())
    of = {i: k for k, (_, _, nodes) in enumerate(infosets) for i in nodes}
    game = PointGame(tree, infosets, of, pay[:, :, 0], {k: v[:, 0] for k, v in probs.items()}, 3.0)
    names = [s for _, s, _ in infosets]
    behaviour = [np.array([1.0, 0.0]) if s in ("strong", "weak") else np.array([0.0, 1.0]) for s in names]
    behaviour[names.index("after_quiche")] = np.array([1.0, 0.0])  # duel after quiche
    beliefs = {k: np.ones(1) for k in range(len(names))}
    beliefs[names.index("after_beer")] = np.array([0.9, 0.1])
    beliefs[names.index("after_quiche")] = np.array([0.9, 0.1])  # strong: dueling is not a best response
    with pytest.raises(VerificationError, match="after_quiche"):
        verify_pbe(game, behaviour, beliefs, 1e-9)
    beliefs[names.index("after_beer")] = np.array([0.5, 0.5])  # not Bayes' rule on the path
    with pytest.raises(VerificationError, match="Bayes"):
        verify_pbe(game, behaviour, beliefs, 1e-9)


def test_a_batch_is_solved_point_by_point():
    tree = open_source("scenarios/beer_quiche.yaml").scenario.build({"pS": np.array([0.3, 0.9])})
    sol = perfect_bayesian(tree)
    assert list(sol.counts()) == [1, 4]


# --- crisis bargaining with private resolve (Fearon) ------------------------------------------------
def test_crisis_audience_costs_below_the_bluffers_war_loss_give_the_bluffing_equilibrium():
    src = open_source("scenarios/crisis_private_resolve.yaml")
    q, x, cD, a = (src.parameters[k] for k in ("q", "x", "cD", "a"))
    assert q * cD < x and a < -src.parameters["wL"]
    _, (eq,) = pbe_of(src.game)
    assert eq.classification == "semi-separating"
    assert eq.behavior["Challenger"]["unresolved"]["demand"] == pytest.approx(q * (cD - x) / ((1 - q) * x))
    assert eq.beliefs["after_demand"]["defender_resolved"] == pytest.approx(x / cD)
    assert eq.behavior["Defender"]["after_demand"]["concede"] == pytest.approx(a / (x + a))


def test_crisis_audience_costs_that_tie_hands_make_every_demand_conceded():
    _, eqs = pbe_of(open_source("scenarios/crisis_private_resolve.yaml", {"a": 0.3}).game)
    assert [eq.classification for eq in eqs] == ["pooling"]
    assert eqs[0].behavior["Challenger"]["unresolved_resisted"]["fight"] == 1.0
    assert eqs[0].outcome_probs == pytest.approx({"conceded_resolved": 0.3, "conceded_unresolved": 0.7})


# --- the seed case with Russia's war cost private ------------------------------------------------
def best_offer(params, types=6, eps=0.001):
    """The US's best offer in the discretised tree, from the acceptance rule (type i accepts offer j iff i >= j)."""
    p, mu, s, k, aS, g, omega, B, cbar = (params[n] for n in ("p", "mu", "s", "k", "aS", "g", "omega", "B", "cbar"))
    sigma = 1.0 if k <= aS else 0.0
    war = omega * (1 - p - mu) - g - (k if sigma else aS)
    worth = []
    for j in range(1, types + 1):
        x = p + mu - sigma * s - cbar * (2 * j - 1) / (2 * types) + eps
        accept = (types - j + 1) / types
        worth.append(accept * (B + omega * (1 - x)) + (1 - accept) * war)
    return int(np.argmax(worth)) + 1, sorted(worth)[-1] - sorted(worth)[-2]


def generator():
    import importlib.util
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location("gen", root / "scenarios/generators/ceasefire_private_cost.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    return root, gen


@pytest.mark.parametrize("types", [2, 6])
@pytest.mark.parametrize("overrides", [{}, {"cbar": 0.9}, {"cbar": 0.3}, {"aS": 0.01}, {"s": 0.2, "cbar": 1.0},
                                       {"B": 0.0, "omega": 1.0}])
def test_private_cost_ceasefire_us_makes_the_best_offer_and_believes_the_rejecters(types, overrides, tmp_path):
    path = tmp_path / "private_cost.yaml"
    path.write_text(generator()[1].scenario_text(types))
    src = open_source(str(path), overrides)
    j, margin = best_offer(src.parameters, types)
    assert margin > 1e-6  # not a tie between offers
    sol, eqs = pbe_of(src.game)
    assert len(eqs) == 1 and bool(sol.complete.ravel()[0])
    (eq,) = eqs
    assert eq.behavior["US"]["us_offer"][f"offer{j}"] == 1.0
    assert eq.outcome_probs[f"deal{j}"] == pytest.approx((types - j + 1) / types)
    sanction = "impose" if src.parameters["k"] <= src.parameters["aS"] else "hold"
    assert all(b[sanction] == 1.0 for s, b in eq.behavior["US"].items() if s.startswith("us_rejected"))
    if j > 1:  # after a rejection the US believes Russia is one of the low-cost types, each as likely as before
        belief = eq.beliefs[f"us_rejected{j}"]
        assert [belief[f"us_cost{i}_offer{j}_rejected"] for i in range(1, types + 1)] == pytest.approx(
            [1 / (j - 1)] * (j - 1) + [0.0] * (types + 1 - j))


def test_shipped_private_cost_scenario_is_what_its_generator_writes():
    root, gen = generator()
    assert (root / "scenarios/ceasefire_private_cost.yaml").read_text() == gen.scenario_text()


# --- the command line and the explanation -----------------------------------------------------------
def test_solve_concept_pbe_json_carries_beliefs_kind_and_the_intuitive_criterion(capsys):
    import json

    from negosim.cli import main

    assert main(["solve", "scenarios/beer_quiche.yaml", "--concept", "pbe", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    (sol,) = doc["solutions"]
    assert sol["concept"] == "pbe" and sol["complete"] is True
    for eq in sol["equilibria"]:
        assert eq["classification"] == "pooling"
        assert set(eq["beliefs"]) == {"strong", "weak", "after_beer", "after_quiche"}
        beer = eq["behavior"]["Sender"]["strong"]["beer"] == 1.0
        assert eq["intuitive_criterion"] is beer
        assert eq["outcome_probabilities"] == ({"sb_peace": 0.9, "wb_peace": 0.1} if beer
                                               else {"sq_peace": 0.9, "wq_peace": 0.1})
        assert set(eq["supporting_beliefs"]) == {"after_quiche" if beer else "after_beer"}
    assert main(["solve", "scenarios/sanctions_uncertain.yaml", "--concept", "pbe", "--json"]) == 0
    (eq,) = json.loads(capsys.readouterr().out)["solutions"][0]["equilibria"]
    assert eq["classification"] == "semi-separating" and "intuitive_criterion" not in eq
    assert eq["beliefs"]["after_threat"] == {"target_resolute": 0.5, "target_irresolute": 0.5}


def test_solve_concept_pbe_text_shows_beliefs_and_kinds(capsys):
    from negosim.cli import main

    assert main(["solve", "scenarios/sanctions_uncertain.yaml", "--concept", "pbe"]) == 0
    out = capsys.readouterr().out
    assert "after_threat: target_resolute 1/2, target_irresolute 1/2" in out
    assert "Kind      semi-separating" in out


def test_explain_walks_through_the_posterior_after_a_threat_and_the_unreasonable_off_path_belief():
    from negosim.present.explain import explain

    text = " ".join(explain(open_source("scenarios/sanctions_uncertain.yaml")).split())
    assert "Target believes Sender is resolute with probability 1/2" in text
    assert "so comply and defy pay the same (-0.3) and Target can mix" in text
    assert "At irresolute Sender mixes" in text
    text = " ".join(explain(open_source("scenarios/beer_quiche.yaml")).split())
    assert text.count("fails the Intuitive Criterion") == 2  # the two quiche-pooling equilibria
    assert text.count("passes the Intuitive Criterion") == 2
    assert "any belief with P(strong_quiche) in [0, 1/2] sustains the equilibrium" in text


def test_readme_worked_example_is_real_output(capsys):
    from pathlib import Path

    from negosim.cli import main

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    command = "$ negosim solve scenarios/sanctions_uncertain.yaml --concept pbe\n"
    shown = readme.split(command, 1)[1].split("```", 1)[0]
    assert main(["solve", "scenarios/sanctions_uncertain.yaml", "--concept", "pbe"]) == 0
    assert capsys.readouterr().out == shown


# --- Gambit as an oracle: every PBE is a Nash equilibrium with Gambit's beliefs on the path ----------
def gambit_checks(pygambit, tree: GameTree, tmp_path) -> int:
    """Load `tree` into Gambit, and for each PBE negosim returns check Gambit's regret and on-path beliefs."""
    from negosim.io import write_efg

    path = tmp_path / "game.efg"
    path.write_text(write_efg(tree))
    g = pygambit.read_efg(str(path))
    _, eqs = pbe_of(tree)
    for eq in eqs:
        profile = g.mixed_behavior_profile(rational=False)
        for pl in g.players:
            for infoset in pl.infosets:
                for action in infoset.actions:
                    profile[action] = eq.behavior[pl.label][infoset.label][action.label]
        scale = float(np.ptp(tree.leaf_payoffs()))
        assert float(profile.max_regret()) <= 1e-7 * scale  # Gambit: no player gains by deviating
        for pl in g.players:
            for infoset in pl.infosets:
                if float(profile.infoset_prob(infoset)) > 1e-9:
                    for node in infoset.members:
                        assert float(profile.belief(node)) == pytest.approx(
                            eq.beliefs[infoset.label][node.label], abs=1e-7)
    return len(eqs)


@pytest.mark.oracle
@pytest.mark.parametrize("name", ["beer_quiche", "sanctions_uncertain", "crisis_private_resolve",
                                  "ceasefire_private_cost"])
def test_shipped_signalling_scenarios_equilibria_are_nash_with_gambits_beliefs(pygambit, name, tmp_path):
    assert gambit_checks(pygambit, open_source(f"scenarios/{name}.yaml").game, tmp_path) >= 1


@pytest.mark.oracle
@pytest.mark.parametrize("seed", range(6))
def test_random_signalling_games_equilibria_are_nash_with_gambits_beliefs(pygambit, seed, tmp_path):
    rng = np.random.default_rng(300 + seed)
    table = rng.normal(size=(2, 3, 2, 2))
    tree = signalling_game({"t0": 0.4, "t1": 0.6}, ("m0", "m1", "m2"), ("r0", "r1"),
                           lambda t, m, r: table[int(t[1:]), int(m[1:]), int(r[1:])])
    assert gambit_checks(pygambit, tree, tmp_path) >= 1


@pytest.mark.oracle
def test_one_card_poker_has_myersons_unique_equilibrium_as_gambits_lcp_finds(pygambit, tmp_path):
    from negosim.io import read_efg

    path = "tests/data/one_card_poker.efg"
    tree = read_efg(open(path).read())
    assert gambit_checks(pygambit, tree, tmp_path) == 1
    _, (eq,) = pbe_of(tree)
    g = pygambit.read_efg(path)
    (theirs,) = pygambit.nash.lcp_solve(g, rational=False).equilibria
    for pl in g.players:
        for infoset in pl.infosets:
            for action in infoset.actions:
                ours = eq.behavior[pl.label][infoset.label][action.label]
                assert ours == pytest.approx(float(theirs[action]), abs=1e-7)
    assert eq.payoffs["Alice"] == pytest.approx(1 / 3)


# --- any tree: honest limits, and whatever is returned is an equilibrium ----------------------------
@pytest.mark.parametrize("seed", range(10))
def test_random_trees_return_only_verified_equilibria_and_say_when_the_search_is_incomplete(seed):
    from tests.test_tree import random_tree

    tree = random_tree(np.random.default_rng(seed), depth=3)
    sol = perfect_bayesian(tree, max_seconds=2.0)
    eqs = sol.equilibria_at(0)
    for eq in eqs:
        assert_sequentially_rational(tree, eq)
    if bool(sol.complete.ravel()[0]):
        assert eqs, "every finite game has a perfect Bayesian equilibrium"
    else:
        assert any("not linear" in n or "skipped" in n or "time budget" in n for n in sol.notes)


def test_a_player_mixing_at_two_information_sets_along_a_play_is_reported_as_not_searched():
    from tests.test_tree import random_tree

    sol = perfect_bayesian(random_tree(np.random.default_rng(8), depth=3))
    assert not bool(sol.complete.ravel()[0])
    assert any("not linear" in n and "others may exist" in n for n in sol.notes)


def test_handout_equilibria_show_a_pbe_with_its_beliefs_and_kind():
    from negosim.present.report.game import equilibria_html

    src = open_source("scenarios/sanctions_uncertain.yaml")
    html = "\n".join(equilibria_html(src, solve(src.game, "pbe")))
    assert "Perfect Bayesian equilibria" in html
    assert "<dt>Belief at <code>after_threat</code></dt><dd><code>target_resolute</code> 1/2" in html
    assert "<dt>Kind</dt><dd>semi-separating</dd>" in html
    assert "Target believes Sender is resolute with probability 1/2" in html  # the derivation, from explain


def test_spence_with_three_education_levels_has_two_separating_equilibria_and_the_criterion_keeps_the_cheapest():
    def pay(t, m, r):
        wage = 2.0 if r == "high_wage" else 1.0
        productivity = 2.0 if t == "high" else 1.0
        years = int(m[-1])
        return wage - (0.4 if t == "high" else 1.2) * years, -((wage - productivity) ** 2)

    tree = signalling_game({"high": 0.3, "low": 0.7}, ("edu0", "edu1", "edu2"), ("low_wage", "high_wage"), pay)
    _, eqs = pbe_of(tree)
    separating = {sends(eq, "high"): eq for eq in eqs if eq.classification == "separating"}
    assert set(separating) == {"edu1", "edu2"} and all(sends(eq, "low") == "edu0" for eq in separating.values())
    # The low type never gains from edu1 (2 - 1.2 < 1), the high type would (2 - 0.4 > 2 - 0.8): only the
    # least costly separating equilibrium (Riley's) survives the Intuitive Criterion.
    assert separating["edu1"].intuitive_criterion is True
    assert separating["edu2"].intuitive_criterion is False


def test_the_handout_tree_shows_the_beliefs_of_the_drawn_equilibrium_and_hides_them_without_answers(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    path = str(Path(__file__).resolve().parents[1] / "scenarios/sanctions_uncertain.yaml")
    out, blank = tmp_path / "h.html", tmp_path / "q.html"
    for target, extra in ((out, []), (blank, ["--no-answers"])):
        done = subprocess.run([sys.executable, "-m", "negosim", "report", path, "-o", str(target), *extra],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    html = out.read_text()
    # the semi-separating equilibrium: after a threat the target's posterior is 1/2 on each type
    assert 'id="tree-belief-target_resolute"' in html and 'id="tree-belief-target_irresolute"' in html
    assert "which plays as the thick lines" in html
    blank_html = blank.read_text()
    assert "tree-decision-target_resolute" in blank_html and "belief-target_resolute" not in blank_html


def test_the_tree_figure_labels_each_node_of_an_information_set_with_its_belief():
    from negosim.api import open_source
    from negosim.present.figures import tree_figure
    from negosim.solve.pbe import perfect_bayesian

    tree = open_source("scenarios/crisis_private_resolve.yaml").game
    (eq,) = perfect_bayesian(tree).equilibria_at(0)
    texts = [t.get_text() for t in tree_figure(tree, beliefs=eq.beliefs).axes[0].texts]
    # the defender's posterior after a demand: resolved 2/3, unresolved 1/3 (and nothing at singleton sets)
    assert sorted(t for t in texts if t.startswith("μ=")) == ["μ=0.33", "μ=0.67"]
    assert not any(t.get_text().startswith("μ=") for t in tree_figure(tree).axes[0].texts)
