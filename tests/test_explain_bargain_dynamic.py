"""`negosim explain` on the delay, attrition, audience-cost, contest and grim-trigger bargaining models:
a derivation in sentences whose every number is the closed form's, computed here independently."""

from __future__ import annotations

import math

import numpy as np
import pytest

from negosim.present.explain.bargain import explain_bargaining
from negosim.present.text import fmt_number
from negosim.scenario import load_scenario

HEAD = """\
negosim: 1
id: test
title: A test scenario
players: [{id: A, name: Alpha}, {id: B, name: Beta}]
parameters:
  z: {value: 0.5, range: [0, 1], description: A placeholder}
"""


def explained(tmp_path, model: str, arguments: dict[str, float]) -> str:
    args = ", ".join(f"{k}: {v!r}" for k, v in arguments.items())
    path = tmp_path / f"{model}.yaml"
    path.write_text(HEAD + f"game: {{form: bargaining, model: {model}, arguments: {{{args}}}}}\n")
    text = explain_bargaining(load_scenario(path))
    lines = text.splitlines()
    steps = lines[lines.index("") + 1:lines.index("", lines.index("") + 1)]
    assert len(steps) >= 2, steps  # a derivation in steps, not one sentence
    assert "Closed form:" in text and "Source:" in text
    return text


def n(x: float) -> str:
    return fmt_number(float(x))


@pytest.mark.parametrize("seed", range(5))
def test_delay_states_the_threshold_and_the_rounds_of_the_closed_form(tmp_path, seed):
    rng = np.random.default_rng(seed)
    x0, mu, d, k = rng.uniform(0, 0.3), rng.uniform(0.01, 0.06), rng.uniform(0.85, 0.97), rng.uniform(0, 0.02)
    text = explained(tmp_path, "delay_rounds", {"x0": x0, "mu": mu, "delta": d, "kR": k})
    threshold = (d * mu - k) / (1 - d)
    threshold = threshold if threshold <= 1 - mu else d - k
    rounds = max(0, math.ceil((threshold - x0) / mu - 1e-9))  # the first round at which settling beats waiting
    x = x0 + rounds * mu
    assert x >= threshold - 1e-9 and (rounds == 0 or x - mu < threshold)
    assert f"= {n(threshold)}." in text
    assert (f"Alpha fights {rounds} rounds" in text) if rounds else ("0 rounds of delay" in text)
    assert "Alpha" in text and n(x0) in text


def test_delay_without_gains_settles_at_once(tmp_path):
    text = explained(tmp_path, "delay_rounds", {"x0": 0.4, "mu": 0.0, "delta": 0.9, "kR": 0.01})
    assert "settles at once: 0 rounds of delay" in text


@pytest.mark.parametrize("value, cost", [(1.0, 0.25), (3.0, 0.4), (0.8, 0.05)])
def test_attrition_derives_the_hazard_from_indifference(tmp_path, value, cost):
    text = explained(tmp_path, "attrition_hazard", {"value": value, "cost": cost})
    assert f"h = cost / value = {n(cost)} / {n(value)} = {n(cost / value)}" in text
    assert f"value / (2 cost) = {n(value / (2 * cost))}" in text


@pytest.mark.parametrize("low, high, a, expected", [(-1.0, 0.5, 0.25, 0.5), (-0.5, 0.5, 0.1, 0.6),
                                                     (-0.2, 0.5, 0.3, 1.0), (-1.0, -0.5, 0.2, 0.0)])
def test_audience_cost_states_the_share_of_types_that_fight(tmp_path, low, high, a, expected):
    text = explained(tmp_path, "audience_cost_fight_probability", {"low": low, "high": high, "a": a})
    assert f"w >= -a = {n(-a)}" in text
    assert f"({n(high)} + {n(a)}) / ({n(high)} - {n(low)}) = {n((high + a) / (high - low))}" in text
    assert ("kept in [0, 1]: " + n(expected)) in text if not 0 <= (high + a) / (high - low) <= 1 else True
    assert ("never carried out" in text) == (expected == 0) and ("the threat is sure" in text) == (expected == 1)


@pytest.mark.parametrize("s1, s2, gamma", [(3.0, 1.0, 1.0), (3.0, 1.0, 2.0), (1.0, 2.0, 0.5)])
def test_contest_computes_the_tullock_share_step_by_step(tmp_path, s1, s2, gamma):
    text = explained(tmp_path, "contest_success", {"s1": s1, "s2": s2, "gamma": gamma})
    p = s1 ** gamma / (s1 ** gamma + s2 ** gamma)
    assert f"= {n(s1 ** gamma)} / {n(s1 ** gamma + s2 ** gamma)} = {n(p)}" in text
    assert f"Beta with 1 - p = {n(1 - p)}" in text


@pytest.mark.parametrize("tau, R, P, q, delta", [(1.0, 3.0, 1.0, 1.0, 0.4), (1.0, 3.0, 1.0, 0.5, 0.4),
                                                 (0.2, 0.545, 0.5, 0.9, 0.75)])
def test_grim_trigger_states_the_threshold_and_compares_delta(tmp_path, tau, R, P, q, delta):
    text = explained(tmp_path, "grim_trigger_threshold", {"tau": tau, "R": R, "P": P, "q": q, "delta": delta})
    threshold = tau / (tau + q * (R - P))
    assert f"delta >= tau / (tau + q (R - P)) = {n(tau)} / ({n(tau)} + {n(q)} x {n(R - P)}) = {n(threshold)}" in text
    assert ("the truce holds." in text) == (delta >= threshold)
    assert ("truce_holds" in text) == (delta >= threshold)
