"""The bargaining layer against independent numerical solutions of each model (DOMAIN.md sections 1-7).

Each closed form is checked at random parameter draws against a solution computed from the model's
definition in the test itself: a brute-force search over a fine grid, a bounded scalar optimiser,
value iteration, or a simulation round by round. Batched calls must equal point-by-point calls.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, optimize, stats

from negosim import bargain as bg
from negosim.errors import NegosimInputError

DRAWS = 40


def test_bargaining_range_holds_exactly_the_deals_both_prefer_to_war(rng):
    for _ in range(DRAWS):
        p, cR, cU = rng.uniform(0.05, 0.95), rng.uniform(0, 0.3), rng.uniform(0, 0.3)
        low, high = bg.bargaining_range(p, cR, cU)
        x = np.linspace(0, 1, 100_001)
        both = x[(x >= p - cR) & (1 - x >= 1 - p - cU)]  # each side's deal payoff against its war payoff
        assert low == pytest.approx(both.min(), abs=1e-5)
        assert high == pytest.approx(both.max(), abs=1e-5)


@pytest.mark.parametrize("proposer", ["challenger", "defender"])
def test_take_it_or_leave_it_gives_the_proposer_the_best_share_the_other_accepts(rng, proposer):
    for _ in range(DRAWS):
        p, cR, cU = rng.uniform(0, 1), rng.uniform(0, 0.4), rng.uniform(0, 0.4)
        x = np.linspace(0, 1, 100_001)
        if proposer == "challenger":
            expected = x[1 - x >= 1 - p - cU - 1e-12].max()  # the defender accepts what beats war
        else:
            expected = x[x >= p - cR - 1e-12].min()
        assert bg.take_it_or_leave_it(p, cR, cU, proposer=proposer) == pytest.approx(expected, abs=1e-5)


def _defender_value(z, p, cU, cdf):
    accept = 1 - cdf(z)
    return accept * (1 - p + z) + (1 - accept) * (1 - p - cU)


def _defender_loss(z, p, cU, cdf):
    return -_defender_value(z, p, cU, cdf)


def test_risk_return_uniform_closed_form_maximises_the_defenders_expected_payoff(rng):
    for _ in range(DRAWS):
        p, cU, cbar = rng.uniform(0.3, 1), rng.uniform(0, 0.3), rng.uniform(0.05, 0.5)
        r = bg.risk_return(p, cU, cbar)
        cdf = stats.uniform(0, cbar).cdf
        best = optimize.minimize_scalar(_defender_loss, args=(p, cU, cdf), bounds=(0, min(p, cbar)),
                                        method="bounded", options={"xatol": 1e-12})
        assert r.offer == pytest.approx(p - best.x, abs=1e-6)
        assert r.war_probability == pytest.approx(cdf(best.x), abs=1e-6)
        assert r.expected_cost_after_rejection == pytest.approx(best.x / 2, abs=1e-6)
        # DOMAIN section 1: war with probability max(0, 1/2 - cU / (2 cbar)) in the interior.
        if cbar / 2 < p:
            assert r.war_probability == pytest.approx(max(0.0, 0.5 - cU / (2 * cbar)), abs=1e-12)


def test_risk_return_war_probability_does_not_depend_on_leverage_in_the_interior():
    r = bg.risk_return(np.linspace(0.3, 0.9, 7), 0.1, 0.4)
    assert np.allclose(r.war_probability, 0.375) and np.allclose(np.diff(r.offer), 0.1)


def test_risk_return_numeric_path_agrees_with_the_uniform_closed_form(rng):
    p, cU, cbar = rng.uniform(0.4, 1, 5), rng.uniform(0, 0.2, 5), rng.uniform(0.1, 0.4, 5)
    closed = bg.risk_return(p, cU, cbar)
    for i in range(5):
        numeric = bg.risk_return(p[i], cU[i], cost=stats.uniform(0, cbar[i]))
        assert numeric.offer == pytest.approx(closed.offer[i], abs=1e-7)
        assert numeric.war_probability == pytest.approx(closed.war_probability[i], abs=1e-6)
        assert numeric.expected_cost_after_rejection == pytest.approx(closed.expected_cost_after_rejection[i],
                                                                      abs=1e-8)


def test_risk_return_with_a_skewed_cost_distribution_matches_brute_force():
    cost = stats.beta(2, 5, scale=0.6)
    for p, cU in [(0.6, 0.05), (0.8, 0.15), (0.5, 0.0)]:
        r = bg.risk_return(p, cU, cost=cost)
        z = np.linspace(0, p, 400_001)
        zb = z[np.argmax(_defender_value(z, p, cU, cost.cdf))]
        assert r.concession == pytest.approx(zb, abs=1e-5)
        mean = integrate.quad(lambda c: c * cost.pdf(c), 0, r.concession)[0] / cost.cdf(r.concession)
        assert r.expected_cost_after_rejection == pytest.approx(mean, rel=1e-6)


def _alternating_offers(da, db, rounds):
    """A's first-round share with a deadline: the last proposer takes everything (backward induction)."""
    share_of_proposer = 1.0  # at the last round, t = rounds - 1
    for t in range(rounds - 2, -1, -1):
        responder_delta = db if t % 2 == 0 else da  # A proposes at even rounds, so B responds
        share_of_proposer = 1 - responder_delta * share_of_proposer
    return share_of_proposer


def test_rubinstein_is_the_limit_of_finite_alternating_offers(rng):
    for _ in range(DRAWS):
        da, db = rng.uniform(0, 0.95, 2)
        assert bg.rubinstein(da, db) == pytest.approx(_alternating_offers(da, db, 2001), abs=1e-10)
    assert bg.rubinstein(0.9, 0.9) == pytest.approx(1 / 1.9)


def test_rubinstein_batches_like_point_calls(rng):
    da, db = rng.uniform(0, 0.99, (2, 3, 4))
    assert np.array_equal(bg.rubinstein(da, db), np.vectorize(bg.rubinstein)(da, db))


def test_outside_options_solve_the_bss_equations(rng):
    for _ in range(200):
        d = rng.uniform(0, 0.99)
        wa, wb = rng.uniform(-0.2, 0.6, 2)
        x, y = 0.5, 0.5
        for _ in range(20_000):  # the contraction, iterated well past its modulus
            x, y = 1 - max(wb, d * y), 1 - max(wa, d * x)
        assert bg.outside_options(d, wa, wb) == pytest.approx(x, abs=1e-9)


def test_an_outside_option_moves_the_split_only_when_it_binds():
    d = 0.9
    free = bg.outside_options(d, 0.0, 0.0)
    assert free == pytest.approx(bg.rubinstein(d, d))
    assert bg.outside_options(d, 0.0, d * (1 - free) - 0.01) == pytest.approx(free)  # slack option
    assert bg.outside_options(d, 0.0, 0.7) == pytest.approx(0.3)  # binding: A keeps 1 - w_b


def test_nash_solution_on_the_straight_frontier_is_the_weighted_split_of_the_surplus(rng):
    p, cR, cU, beta = rng.uniform(0.2, 0.8, 30), rng.uniform(0, 0.2, 30), rng.uniform(0, 0.2, 30), rng.uniform(
        0.1, 0.9, 30)
    x = bg.nash_solution("x", "1 - x", d=(p - cR, 1 - p - cU), beta=beta)
    assert np.allclose(x, p - cR + beta * (cR + cU), atol=1e-7)


def test_nash_and_kalai_smorodinsky_differ_on_a_curved_frontier():
    assert bg.nash_solution("x", "sqrt(1 - x)") == pytest.approx(2 / 3, abs=1e-7)
    assert bg.kalai_smorodinsky("x", "sqrt(1 - x)") == pytest.approx((math.sqrt(5) - 1) / 2, abs=1e-10)


def _check_axiomatic_against_scipy(a, da, db, beta):
    def ub(x):
        return (1 - x) ** a

    lo, hi = da, 1 - db ** (1 / a)  # the shares that give both at least their disagreement payoffs
    best = optimize.minimize_scalar(lambda x: -(beta * math.log(x - da) + (1 - beta) * math.log(ub(x) - db)),
                                    bounds=(lo + 1e-12, hi - 1e-12), method="bounded", options={"xatol": 1e-12})
    assert bg.nash_solution("x", "(1 - x) ** a", d=(da, db), beta=beta, a=a) == pytest.approx(best.x, abs=1e-6)
    # The KS point equalises the normalised gains; the ideal points are u_a(hi) = hi and u_b(lo).
    root = optimize.brentq(lambda x: (x - da) / (hi - da) - (ub(x) - db) / (ub(lo) - db), lo, hi, xtol=1e-14)
    assert bg.kalai_smorodinsky("x", "(1 - x) ** a", d=(da, db), a=a) == pytest.approx(root, abs=1e-8)


def test_axiomatic_solutions_match_an_independent_optimiser_on_random_frontiers(rng):
    for _ in range(15):
        a, da, db, beta = rng.uniform(0.3, 3), rng.uniform(0, 0.3), rng.uniform(0, 0.3), rng.uniform(0.2, 0.8)
        _check_axiomatic_against_scipy(a, da, db, beta)


def test_axiomatic_solutions_refuse_a_disagreement_point_beyond_the_frontier():
    with pytest.raises(NegosimInputError):
        bg.nash_solution("x", "1 - x", d=(0.7, 0.5))
    with pytest.raises(NegosimInputError):
        bg.kalai_smorodinsky("x", "1 - x", d=(0.7, 0.5))


def test_powell_war_iff_no_credible_division_beats_war_for_the_declining_side(rng):
    for _ in range(300):
        p1, p2 = sorted(rng.uniform(0, 1, 2))[::-1]
        d, c = rng.uniform(0, 0.99), rng.uniform(0, 0.2)
        # Brute force: the best peaceful stream for D is a share x0 now and, later, at most what B
        # would rather give than fight (1 - (1 - p2 - c) = p2 + c, within the stake).
        x0 = np.linspace(0, 1, 201)
        later = np.linspace(0, 1, 201)
        later = later[later <= p2 + c + 1e-12]
        best_peace = ((1 - d) * x0[:, None] + d * later[None, :]).max()
        assert bg.powell_war(p1, p2, d, c) == bool(p1 - c > best_peace + 1e-12) or abs(p1 - c - best_peace) < 1e-2


def test_delay_rounds_match_a_round_by_round_simulation(rng):
    for _ in range(300):
        x0, mu, d = rng.uniform(0, 1), rng.uniform(-0.02, 0.1), rng.uniform(0.5, 0.99)
        kR, ss = rng.uniform(0, 0.03), rng.uniform(0, 0.03)
        x, t = x0, 0
        while not x >= -(kR + ss) + d * min(1.0, x + mu) - 1e-12:
            x, t = min(1.0, x + mu), t + 1
        assert bg.delay_rounds(x0, mu, d, kR, ss) == t


def test_attrition_hazard_makes_each_side_indifferent_between_quitting_and_fighting_on(rng):
    v, c = rng.uniform(0.5, 2, 10), rng.uniform(0.01, 0.5, 10)
    h = bg.attrition_hazard(v, c)
    assert np.allclose(h * v, c)  # fighting dt longer: gain V with probability h dt, pay c dt


def test_audience_cost_fight_probability_matches_the_uniform_draw(rng):
    w = rng.uniform(-1, 0.5, 400_000)
    for a in (0.0, 0.2, 0.6, 2.0):
        assert bg.audience_cost_fight_probability(-1, 0.5, a) == pytest.approx((w >= -a).mean(), abs=3e-3)


def test_contest_success_is_a_probability_with_the_tullock_form(rng):
    s1, s2, g = rng.uniform(0, 5, 50), rng.uniform(0, 5, 50), rng.uniform(0.1, 4, 50)
    assert np.allclose(bg.contest_success(s1, s2, g), s1 ** g / (s1 ** g + s2 ** g))
    assert bg.contest_success(0, 0, 1) == 0.5 and bg.contest_success(2, 1, 200) == pytest.approx(1)


def _grim_trigger_holds(d, tau, R, P, q):
    hold = R / (1 - d)
    deviate = 0.0
    for _ in range(5000):  # value iteration: violate every window, punished forever once detected
        deviate = R + tau + d * (q * P / (1 - d) + (1 - q) * deviate)
    return hold >= deviate - 1e-9


def test_grim_trigger_threshold_is_the_least_discount_factor_that_sustains_the_truce(rng):
    for _ in range(25):
        tau, R, P, q = rng.uniform(0.05, 1), rng.uniform(1, 2), rng.uniform(0, 0.9), rng.uniform(0.3, 1)
        star = bg.grim_trigger_threshold(tau, R, P, q)
        lo, hi = 0.0, 0.995
        for _ in range(50):  # bisection on the equilibrium condition itself
            mid = (lo + hi) / 2
            lo, hi = (lo, mid) if _grim_trigger_holds(mid, tau, R, P, q) else (mid, hi)
        assert star == pytest.approx(hi, abs=1e-6)


def test_ceasefire_private_cost_closed_form_maximises_the_us_payoff(rng):
    for _ in range(DRAWS):
        p, mu, cbar = rng.uniform(0.4, 0.7), rng.uniform(0, 0.15), rng.uniform(0.2, 0.8)
        B, g, k, omega, s = rng.uniform(0, 0.1), rng.uniform(0, 0.1), rng.uniform(0, 0.05), rng.uniform(0.3, 1), \
            rng.uniform(0, 0.1)
        sigma = int(rng.integers(0, 2))
        r = bg.ceasefire_private_cost(p, mu, cbar, B, g, k, omega, s, sigma)
        x0 = np.linspace(0, 1, 400_001)
        accept = np.clip(1 - (p + mu - sigma * s - x0) / cbar, 0, 1)  # P(cR >= p + mu - sigma s - x0)
        us = accept * (B + omega * (1 - x0)) + (1 - accept) * (omega * (1 - p - mu) - g - sigma * k)
        best = x0[np.argmax(us)]
        assert r.offer == pytest.approx(best, abs=1e-5)
        assert r.war_probability == pytest.approx(np.clip((p + mu - sigma * s - r.offer) / cbar, 0, 1), abs=1e-12)
        interior = 0.5 - (B + g + sigma * k) / (2 * omega * cbar) - sigma * s / (2 * cbar)
        if 0 < interior < 1:
            assert r.war_probability == pytest.approx(interior, abs=1e-12)
            assert r.offer == pytest.approx(p + mu - sigma * s - cbar * interior, abs=1e-12)


def test_sanctions_buy_half_their_value_as_lower_risk_and_half_as_better_terms():
    base = dict(p=0.6, mu=0.05, cbar=0.8, B=0.05, g=0.02, k=0.0, omega=0.5)
    without = bg.ceasefire_private_cost(**base, s=0.06, sigma=0)
    with_ = bg.ceasefire_private_cost(**base, s=0.06, sigma=1)
    risk = (without.war_probability - with_.war_probability) * base["cbar"]  # in units of the stake
    terms = without.offer - with_.offer
    assert risk == pytest.approx(0.03) and terms == pytest.approx(0.03)


def test_ceasefire_without_sanctions_is_fearons_risk_return_in_disguise(rng):
    p, mu, cbar, B, g, omega = 0.5, 0.1, 0.6, 0.04, 0.03, 0.7
    r = bg.ceasefire_private_cost(p, mu, cbar, B, g, 0.0, omega, 0.0, 0)
    f = bg.risk_return(p + mu, (B + g) / omega, cbar)
    assert (r.offer, r.war_probability) == pytest.approx((f.offer, f.war_probability))


@pytest.mark.parametrize("call", [
    lambda: bg.rubinstein(1.0, 1.0),
    lambda: bg.rubinstein(0.5, 1.2),
    lambda: bg.risk_return(0.5, 0.1),
    lambda: bg.risk_return(0.5, 0.1, cbar=0.0),
    lambda: bg.take_it_or_leave_it(0.5, 0.1, 0.1, proposer="mediator"),
    lambda: bg.grim_trigger_threshold(0.1, 1.0, 1.0),
    lambda: bg.nash_solution("x", "__import__('os')"),
    lambda: bg.outside_options(float("nan"), 0, 0),
])
def test_bad_arguments_are_input_errors_with_a_message(call):
    with pytest.raises(NegosimInputError) as info:
        call()
    assert str(info.value)
