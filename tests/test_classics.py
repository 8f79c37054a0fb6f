"""The classic scenarios reproduce their textbook equilibria, with closed forms computed from the payoffs.

Each normal-form test builds its scenario once with arrays of random parameter values (one batch)
and checks every point against the closed form derived here from the payoff table.
"""

from pathlib import Path

import numpy as np
import pytest

from negosim.scenario import load_scenario
from negosim.solve import solve
from negosim.solve.spe import subgame_perfect

ROOT = Path(__file__).resolve().parents[1]
N = 500
MINE = [
    "prisoners_dilemma", "chicken", "stag_hunt", "matching_pennies", "battle_of_the_sexes",
    "ultimatum", "entry_deterrence", "three_player", "sanctions_threat", "ceasefire_pd", "ceasefire_vote",
]


def load(name):
    return load_scenario(ROOT / "scenarios" / f"{name}.yaml")


def ordered(rng, k, n=N, low=-5.0, high=5.0, gap=0.05):
    """`k` arrays with a[0] < a[1] < ... < a[k-1] at every point, consecutive gaps at least `gap`."""
    x = np.sort(rng.uniform(low, high, (k, n)), axis=0)
    return [x[i] + gap * i for i in range(k)]


def per_point(sol, k):
    """Strategies reshaped to (points, k equilibria, actions) per player, asserting k at every point."""
    assert np.all(sol.counts() == k), np.unique(sol.counts())
    return [s.reshape(sol.batch_size, k, -1) for s in sol.strategies]


def sort_by(strategies, player, action):
    """Equilibria at each point sorted by one player's probability of one action."""
    order = np.argsort(strategies[player][:, :, action], axis=1)
    return [np.take_along_axis(s, order[:, :, None], axis=1) for s in strategies]


# --- every file ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", MINE)
def test_scenario_is_documented_and_every_sweep_builds(name):
    sc = load(name)
    assert len(sc.description.split()) > 30 and sc.sources and 2 <= len(sc.questions) <= 4
    keys = {s["key"] for s in sc.sources}
    assert all(p.source in keys for p in sc.parameters.values())
    assert sc.sweeps
    for sweep in sc.sweeps.values():
        axes = [np.linspace(a, b, num) for a, b, num in sweep.vary.values()]
        grid = np.meshgrid(*axes, indexing="ij")
        game = sc.build(dict(zip(sweep.vary, grid)))
        assert game.batch_shape == grid[0].shape


# --- prisoner's dilemma -------------------------------------------------------------------------
def test_prisoners_dilemma_mutual_defection_is_the_unique_equilibrium_whenever_T_R_P_S():
    S, P, R, T = ordered(np.random.default_rng(10), 4)
    game = load("prisoners_dilemma").build(dict(T=T, R=R, P=P, S=S))
    pure, nash = solve(game, ["pure", "nash"])
    for sol in (pure, nash):
        row, col = per_point(sol, 1)
        assert np.all(row[:, 0, 1] == 1.0) and np.all(col[:, 0, 1] == 1.0)  # defect, defect
        assert np.allclose(sol.payoffs, np.stack([P, P], axis=1), atol=1e-9)
    assert nash.complete.all() and not nash.degenerate.any()


def test_prisoners_dilemma_below_R_the_temptation_makes_cooperation_a_second_equilibrium():
    game = load("prisoners_dilemma").build(dict(T=2.0))  # R = 3 > T = 2 > P = 1 > S = 0: an assurance game
    profiles = {(eq.strategies["Row"]["cooperate"], eq.strategies["Column"]["cooperate"])
                for eq in solve(game, "pure")[0].equilibria_at(0)}
    assert profiles == {(1.0, 1.0), (0.0, 0.0)}


# --- chicken ------------------------------------------------------------------------------------
def test_chicken_has_two_asymmetric_pure_equilibria_and_a_mixed_one_in_closed_form():
    rng = np.random.default_rng(11)
    W, L = rng.uniform(0.1, 5, N), rng.uniform(0.1, 5, N)
    C = L + rng.uniform(0.1, 20, N)  # chicken needs C > L
    game = load("chicken").build(dict(W=W, L=L, C=C))
    sol = solve(game, "nash")[0]
    assert sol.complete.all()
    row, col = sort_by(per_point(sol, 3), 0, 0)  # by Row's probability of swerving
    # Row indifferent: swerve -(1 - q) L = straight q W - (1 - q) C, so q = (C - L)/(W + C - L).
    q = (C - L) / (W + C - L)
    assert np.all(row[:, 0, 0] == 0.0) and np.all(col[:, 0, 0] == 1.0)  # Row straight, Column swerves
    assert np.allclose(row[:, 1, 0], q, atol=1e-9) and np.allclose(col[:, 1, 0], q, atol=1e-9)
    assert np.all(row[:, 2, 0] == 1.0) and np.all(col[:, 2, 0] == 0.0)  # Row swerves, Column straight
    # In the mixed equilibrium each gets what swerving gives: -(1 - q) L = -L W/(W + C - L).
    mixed = (sol.strategies[0][:, 0] > 0) & (sol.strategies[0][:, 0] < 1)
    assert mixed.sum() == N
    assert np.allclose(sol.payoffs[mixed], (-L * W / (W + C - L))[:, None], atol=1e-9)


def test_chicken_a_higher_crash_cost_makes_each_driver_swerve_more_in_the_mixed_equilibrium():
    sc = load("chicken")
    C = np.array([2.0, 10.0, 100.0])
    row, _ = sort_by(per_point(solve(sc.build(dict(C=C)), "nash")[0], 3), 0, 0)
    assert np.all(np.diff(row[:, 1, 0]) > 0)


# --- stag hunt ----------------------------------------------------------------------------------
def test_stag_hunt_has_two_pure_equilibria_and_a_mixed_tipping_point_in_closed_form():
    A, H, G = ordered(np.random.default_rng(12), 3)
    game = load("stag_hunt").build(dict(G=G, H=H, A=A))
    sol = solve(game, "nash")[0]
    row, col = sort_by(per_point(sol, 3), 0, 0)  # by Row's probability of hunting stag
    # Row indifferent: stag p G + (1 - p) A = hare H, so p = (H - A)/(G - A).
    p = (H - A) / (G - A)
    assert np.all(row[:, 0, 0] == 0.0) and np.all(col[:, 0, 0] == 0.0)  # both hare
    assert np.allclose(row[:, 1, 0], p, atol=1e-9) and np.allclose(col[:, 1, 0], p, atol=1e-9)
    assert np.all(row[:, 2, 0] == 1.0) and np.all(col[:, 2, 0] == 1.0)  # both stag
    assert solve(game, "pure")[0].counts().tolist() == [2] * N


# --- matching pennies ---------------------------------------------------------------------------
def test_matching_pennies_has_a_unique_mixed_equilibrium_in_closed_form():
    rng = np.random.default_rng(13)
    h, t, m = (rng.uniform(0.1, 5, N) for _ in range(3))
    game = load("matching_pennies").build(dict(h=h, t=t, m=m))
    pure, nash = solve(game, ["pure", "nash"])
    assert pure.counts().sum() == 0
    matcher, mismatcher = per_point(nash, 1)
    # Each makes the other indifferent: heads with probability (t + m)/(h + t + 2m); value (ht - m^2)/(h + t + 2m).
    p = (t + m) / (h + t + 2 * m)
    assert np.allclose(matcher[:, 0, 0], p, atol=1e-9) and np.allclose(mismatcher[:, 0, 0], p, atol=1e-9)
    assert np.allclose(nash.payoffs[:, 0], (h * t - m**2) / (h + t + 2 * m), atol=1e-9)
    assert np.allclose(nash.payoffs.sum(axis=1), 0, atol=1e-9)  # zero-sum


def test_matching_pennies_equal_stakes_mix_half_and_half_and_a_bigger_heads_prize_means_less_heads():
    sc = load("matching_pennies")
    (eq,) = solve(sc.build(), "nash")[0].equilibria_at(0)
    assert eq.strategies["Matcher"]["heads"] == pytest.approx(0.5, abs=1e-12)
    assert eq.strategies["Mismatcher"]["heads"] == pytest.approx(0.5, abs=1e-12)
    matcher, _ = per_point(solve(sc.build(dict(h=np.array([1.0, 2.0, 4.0]))), "nash")[0], 1)
    assert np.all(np.diff(matcher[:, 0, 0]) < 0)


# --- battle of the sexes ------------------------------------------------------------------------
def test_battle_of_the_sexes_has_two_pure_equilibria_and_a_mixed_one_in_closed_form():
    miss, lo, hi = ordered(np.random.default_rng(14), 3)
    game = load("battle_of_the_sexes").build(dict(hi=hi, lo=lo, miss=miss))
    sol = solve(game, "nash")[0]
    ann, bob = sort_by(per_point(sol, 3), 0, 0)  # by Ann's probability of the opera
    # Bob indifferent: opera p lo + (1 - p) miss = football p miss + (1 - p) hi, so Ann goes to her
    # favourite with p = (hi - miss)/(hi + lo - 2 miss); symmetrically for Bob and the football match.
    p = (hi - miss) / (hi + lo - 2 * miss)
    assert np.all(ann[:, 0, 0] == 0.0) and np.all(bob[:, 0, 0] == 0.0)  # both football
    assert np.allclose(ann[:, 1, 0], p, atol=1e-9) and np.allclose(bob[:, 1, 1], p, atol=1e-9)
    assert np.all(ann[:, 2, 0] == 1.0) and np.all(bob[:, 2, 0] == 1.0)  # both opera


# --- ultimatum ----------------------------------------------------------------------------------
def test_ultimatum_spe_offers_nothing_and_flags_the_responders_tie():
    sc = load("ultimatum")
    (eq,) = subgame_perfect(sc.build()).equilibria_at(0)
    assert eq.path == ["Proposer:give0", "Responder:accept"] and eq.outcome == "split0"
    assert eq.tied and any("accept" in t and "reject" in t for t in eq.ties)


def test_ultimatum_spe_offers_the_smallest_share_worth_at_least_the_rejection_value():
    rng = np.random.default_rng(15)
    S = rng.uniform(1, 100, N)
    r = S * rng.uniform(0, 1, N)
    ok = np.abs(3 * r / S - np.round(3 * r / S)) > 1e-6  # away from the ties r = k S / 3
    tree = load("ultimatum").build(dict(S=S, r=r))
    sol = subgame_perfect(tree)
    assert np.all(sol.counts() == 1)
    k = np.ceil(3 * r / S).astype(int)  # smallest k with k S / 3 >= r
    offer = np.argmax(sol.behavior[0], axis=1)  # the Proposer's node comes first
    assert np.allclose(sol.payoffs[ok, 0], (S * (3 - k) / 3)[ok], atol=1e-9)
    # When only the whole stake is accepted (k = 3) every offer leaves the Proposer 0: a tie.
    strict = ok & (k > 0) & (k < 3)
    assert np.array_equal(offer[strict], k[strict]) and not sol.tied[strict].any()
    assert sol.tied[ok & (k == 3)].all() and strict.mean() > 0.5


def test_ultimatum_a_positive_rejection_value_below_a_third_makes_one_third_strictly_accepted():
    sc = load("ultimatum")
    (eq,) = subgame_perfect(sc.build(dict(r=0.5))).equilibria_at(0)
    assert eq.path == ["Proposer:give1", "Responder:accept"] and not eq.tied


def test_ultimatum_at_an_exact_tie_the_responder_accepts_and_the_tie_is_flagged():
    sc = load("ultimatum")
    (eq,) = subgame_perfect(sc.build(dict(S=3.0, r=1.0))).equilibria_at(0)
    assert eq.path == ["Proposer:give1", "Responder:accept"] and eq.tied


def test_ultimatum_normal_form_has_17_pure_nash_equilibria_sustained_by_threats_to_reject():
    # With r = 0: the Proposer offers k > 0 in equilibrium iff the Responder accepts k and rejects
    # every smaller offer (larger ones are free): 4 + 2 + 1 for k = 1, 2, 3. An offer of nothing is
    # accepted with the other three free (8), or rejected when 1 and 2 are rejected too (2).
    sc = load("ultimatum")
    sol = solve(sc.build(), "pure")[0]
    offers: dict[str, int] = {}
    for eq in sol.equilibria_at(0):
        (offer,) = [a for a, x in eq.strategies["Proposer"].items() if x == 1.0]
        (plan,) = [a for a, x in eq.strategies["Responder"].items() if x == 1.0]
        answers = plan.split("/")  # respond0 .. respond3, in the order of the tree
        k = int(offer[-1])
        assert all(a == "reject" for a in answers[:k]), (offer, plan)  # the threat behind the offer
        offers[offer] = offers.get(offer, 0) + 1
    assert offers == {"give0": 10, "give1": 4, "give2": 2, "give3": 1}
    # The mixed solver (all extreme equilibria of this degenerate game) finds them too.
    nash = solve(sc.build(), "nash")[0]
    assert nash.counts()[()] > 17 and nash.degenerate.all()
    assert any(eq.strategies["Proposer"]["give2"] == 1.0 for eq in nash.equilibria_at(0))


# --- entry deterrence ---------------------------------------------------------------------------
def test_entry_deterrence_spe_is_in_accommodate_while_nash_also_has_out_fight():
    sc = load("entry_deterrence")
    tree = sc.build()
    spe, pure = solve(tree, ["spe", "pure"])
    (eq,) = spe.equilibria_at(0)
    assert eq.path == ["Entrant:in", "Incumbent:accommodate"] and eq.outcome == "shared_market"
    nash = {}
    for e in pure.equilibria_at(0):
        profile = tuple(next(a for a, x in e.strategies[p].items() if x == 1.0) for p in ("Entrant", "Incumbent"))
        nash[profile] = e
    assert set(nash) == {("in", "accommodate"), ("out", "fight")}
    # The threat to fight is only a weak best response, off the path of play: flagged as tied.
    assert nash[("out", "fight")].tied and not nash[("in", "accommodate")].tied


def test_entry_deterrence_a_reputation_that_makes_fighting_pay_makes_the_threat_credible():
    sc = load("entry_deterrence")
    (eq,) = subgame_perfect(sc.build(dict(rep=3.0))).equilibria_at(0)
    assert eq.path == ["Entrant:out"] and eq.outcome == "stay_out"
    assert eq.behavior["Incumbent"]["incumbent"] == {"fight": 1.0, "accommodate": 0.0}


def test_entry_deterrence_spe_matches_the_closed_form_over_random_parameters():
    rng = np.random.default_rng(16)
    p = dict(m=rng.uniform(0, 10, N), d=rng.uniform(0, 5, N), w=rng.uniform(-5, 5, N),
             e=rng.uniform(0, 5, N), rep=rng.uniform(0, 5, N))
    sol = subgame_perfect(load("entry_deterrence").build(p))
    fights = p["w"] + p["rep"] >= p["d"]
    enters = np.where(fights, p["w"] - p["e"], p["d"] - p["e"]) > 0
    ok = (np.abs(p["w"] + p["rep"] - p["d"]) > 1e-6) & (np.abs(np.where(fights, p["w"], p["d"]) - p["e"]) > 1e-6)
    entrant, incumbent = (np.argmax(b, axis=1) for b in sol.behavior)
    assert np.array_equal((entrant == 1)[ok], enters[ok])
    assert np.array_equal((incumbent == 0)[ok], fights[ok])
    assert 0.1 < enters.mean() < 0.9 and 0.1 < fights.mean() < 0.9


# --- three players: the volunteer's dilemma -----------------------------------------------------
def test_volunteers_dilemma_pure_equilibria_are_exactly_the_three_single_volunteer_profiles():
    rng = np.random.default_rng(17)
    benefit = rng.uniform(0.1, 10, N)
    cost = benefit * rng.uniform(0.01, 0.99, N)
    sol = solve(load("three_player").build(dict(benefit=benefit, cost=cost)), "pure")[0]
    strategies = per_point(sol, 3)
    volunteers = np.stack([s[:, :, 0] for s in strategies], axis=-1)  # (points, equilibria, players)
    assert np.all(volunteers.sum(axis=-1) == 1.0)
    assert np.all(volunteers.sum(axis=1) == 1.0)  # each player is the volunteer in exactly one
    payoffs = sol.payoffs.reshape(N, 3, 3)
    expected = np.where(volunteers == 1.0, (benefit - cost)[:, None, None], benefit[:, None, None])
    assert np.allclose(payoffs, expected, atol=1e-9)


def test_volunteers_dilemma_symmetric_mixed_profile_leaves_everyone_indifferent():
    # Abstaining with q = sqrt(cost/benefit) makes volunteering (benefit - cost) and abstaining
    # (benefit (1 - q^2)) equally good: the mixed equilibrium the description states.
    sc = load("three_player")
    game = sc.build(dict(cost=np.array([0.1, 0.4, 0.9])))
    q = np.sqrt(np.array([0.1, 0.4, 0.9]) / 1.0)
    mix = np.stack([1 - q, q], axis=-1)  # (points, actions)
    # Player A's payoff from each own action when B and C mix: contract the payoff tensor.
    values = np.einsum("pabc,pb,pc->pa", game.payoffs[:, 0], mix, mix)
    assert np.allclose(values[:, 0], values[:, 1], atol=1e-12)
    assert np.allclose(values[:, 0], 1.0 - np.array([0.1, 0.4, 0.9]), atol=1e-12)


def test_volunteers_dilemma_has_all_seven_equilibria_at_every_point_with_their_closed_forms():
    # DOMAIN.md 7b: the 3 pure ones, the symmetric one (each volunteers with 1 - (c/b)^(1/2)), and
    # the 3 where one abstains and the other two volunteer with 1 - c/b.
    rng = np.random.default_rng(19)
    n = 40
    benefit = rng.uniform(0.1, 10, n)
    cost = benefit * rng.uniform(0.02, 0.98, n)
    sol = solve(load("three_player").build(dict(benefit=benefit, cost=cost)), "nash")[0]
    assert sol.complete.all() and not sol.degenerate.any()
    volunteer = np.stack([s[:, :, 0] for s in per_point(sol, 7)], axis=-1)  # (points, 7, players)
    r = (cost / benefit)[:, None]
    for k in range(n):
        expected = [tuple(float(i == j) for i in range(3)) for j in range(3)]
        expected.append((1 - np.sqrt(r[k, 0]),) * 3)
        expected += [tuple(0.0 if i == j else 1 - r[k, 0] for i in range(3)) for j in range(3)]
        got = sorted(map(tuple, volunteer[k]))
        assert np.allclose(got, sorted(expected), atol=1e-9)


# --- the 30-day ceasefire as a simultaneous vote ------------------------------------------------
def test_ceasefire_vote_has_exactly_its_three_equilibria_as_sympy_and_gambit_find_them():
    """Everyone accepts, everyone rejects, and one mixed equilibrium: negosim's complete list equals
    the exact symbolic solution of every support (sympy) and contains what pygambit's enumpoly finds."""
    from test_nplayer import _exact_equilibria_2x2x2

    sc = load("ceasefire_vote")
    game = sc.build()
    pay = np.asarray(game.payoffs).reshape(3, 2, 2, 2)
    scaled = np.round(pay * 10_000)  # payoffs have at most 4 decimals: integers, the same equilibria
    assert np.abs(scaled - pay * 10_000).max() < 1e-9
    exact = _exact_equilibria_2x2x2(scaled)
    sol = solve(game, "nash")[0]
    assert bool(sol.complete) and not bool(sol.degenerate)
    found = [np.concatenate([s[e] for s in sol.strategies]) for e in sol.rows_at(0)]
    assert len(found) == len(exact) == 3
    for e in exact:
        assert any(np.abs(f - e).max() < 1e-9 for f in found)
    outcomes = sorted(eq.outcome or "mixed" for eq in sol.equilibria_at(0))
    assert outcomes == ["all_rejected", "mixed", "truce"]
    (mixed,) = [e for e in exact if 0 < e[0] < 1]
    assert mixed[[0, 2, 4]] == pytest.approx([0.6017, 0.5127, 0.1368], abs=5e-5)  # as the description says
    # Russia signs a truce both others accepted iff blame >= mu + Delta - beta (cR + cU) = 0.005
    for blame, truce in ((0.004, False), (0.006, True)):
        pure = solve(sc.build(dict(blame=blame)), "pure")[0]
        assert ("truce" in [eq.outcome for eq in pure.equilibria_at(0)]) is truce


@pytest.mark.oracle
def test_ceasefire_vote_pygambit_finds_nothing_negosim_misses(pygambit):
    sc = load("ceasefire_vote")
    game = sc.build()
    pay = np.round(np.asarray(game.payoffs).reshape(3, 2, 2, 2) * 10_000).astype(int)
    g = pygambit.Game.from_arrays(*pay)
    found = [np.concatenate([s[e] for s in solve(game, "nash")[0].strategies]) for e in range(3)]
    for result in (pygambit.nash.enumpoly_solve(g), pygambit.nash.gnm_solve(g), pygambit.nash.logit_solve(g)):
        for eq in result.equilibria:
            theirs = np.array([float(eq[s]) for pl in g.players for s in pl.strategies])
            assert any(np.abs(f - theirs).max() < 1e-4 for f in found)


# --- ceasefire as a one-shot prisoner's dilemma -------------------------------------------------
def test_ceasefire_pd_both_violate_in_the_one_shot_window_and_delta_min_is_the_grim_trigger_threshold():
    rng = np.random.default_rng(18)
    P, R = ordered(rng, 2, low=0, high=0.9, gap=0.01)
    params = dict(R=R, P=P, tau=rng.uniform(0.01, 0.5, N), lam=rng.uniform(0.01, 0.5, N), q=rng.uniform(0.05, 1, N))
    sc = load("ceasefire_pd")
    sol = solve(sc.build(params), "nash")[0]
    ru, ua = per_point(sol, 1)
    assert np.all(ru[:, 0, 1] == 1.0) and np.all(ua[:, 0, 1] == 1.0)  # violate, violate
    delta_min = sc.evaluate(params)["delta_min"]
    assert np.allclose(delta_min, params["tau"] / (params["tau"] + params["q"] * (R - P)), rtol=1e-12)
