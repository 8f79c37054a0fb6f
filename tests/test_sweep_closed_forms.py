"""Regime boundaries found by one-parameter sweeps of the seed scenario equal the closed forms of
DOMAIN.md section 7: the minimum sanction, sanctions and aid-freeze credibility, the momentum
thresholds at random baselines, and leverage p that moves the terms but never the regime.

The oracles are the closed forms and `solve_by_hand`, a direct transcription of the DOMAIN tree (its
payoffs with the scenario's clipped shares, backward induction with the scenario's tie rules) that
shares no code with negosim. Boundaries are bisected to 1e-9, so values are asserted within 1e-8.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from sweep_helpers import read_rows

from negosim.scenario import load_scenario
from negosim.sweep.engine import SweepSummary, run_sweep

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "scenarios" / "ceasefire_2025.yaml"
TOL = 1e-8


@pytest.fixture(scope="module")
def seed():
    return load_scenario(str(SEED))


def sweep(scenario, folder: Path, vary: dict[str, tuple[float, float, int]], **overrides: float) -> SweepSummary:
    """Run a sweep into `folder` and check that summary.json on disk holds the same boundaries."""
    summary = run_sweep(scenario, vary, overrides=overrides, out_dir=folder)
    saved = json.loads((folder / "summary.json").read_text())
    assert saved["boundaries"] == [vars(b) for b in summary.boundaries]
    return summary


def found(summary: SweepSummary) -> list[tuple[str, str, bool]]:
    return [(b.below, b.above, b.tied) for b in summary.boundaries]


# --- the hand oracle ----------------------------------------------------------------------
def clip(x: float) -> float:
    return min(1.0, max(0.0, x))


def hand_payoffs(v: dict[str, float]) -> dict[str, tuple[float, float, float]]:
    """(US, UA, RU) payoff of every outcome of the DOMAIN tree at parameter values `v`."""
    C = v["cR"] + v["cU"]
    x_aid = clip(v["p"] - v["Delta"] - v["cR"] + v["beta"] * C)
    x_frozen = clip(v["p"] - v["cR"] + v["beta"] * C)
    w, wf = clip(v["p"] + v["mu"]), clip(v["p"] + v["mu"] + v["theta"])
    om, B = v["omega"], v["B"]
    return {
        "truce_aid": (B + om * (1 - x_aid), 1 - x_aid - v["eU"], x_aid),
        "truce_frozen": (B + om * (1 - x_frozen) - v["h"], 1 - x_frozen - v["eU"], x_frozen),
        "war_frozen": (om * (1 - wf), 1 - wf - v["cU"], wf - v["cR"]),
        "war_aid_continued": (om * (1 - w) - v["g"] - v["aF"], 1 - w - v["cU"], w - v["cR"]),
        "war_sanctions": (om * (1 - w) - v["g"] - v["k"], 1 - w - v["cU"], w - v["cR"] - v["s"]),
        "war_no_sanctions": (om * (1 - w) - v["g"] - v["aS"], 1 - w - v["cU"], w - v["cR"]),
    }


def solve_by_hand(v: dict[str, float]) -> tuple[str, float]:
    """Subgame-perfect outcome of the DOMAIN tree at `v` and Russia's payoff there.

    Each node's options are listed in tie order: the scenario prefers accept, impose and freeze,
    and otherwise the action listed first in the file (grant before refuse, reject before counter).
    """
    pay = hand_payoffs(v)
    US, UA, RU = 0, 1, 2

    def best(player: int, options: list[str]) -> str:
        return max(options, key=lambda o: pay[o][player])  # the first of equal maxima wins

    sanction = best(US, ["war_sanctions", "war_no_sanctions"])  # impose | hold
    ru_final = best(RU, ["truce_aid", sanction])  # accept | reject
    counter = best(US, ["truce_frozen", ru_final])  # grant | refuse
    russia = best(RU, ["truce_aid", sanction, counter])  # accept | reject | counter
    aid = best(US, ["war_frozen", "war_aid_continued"])  # freeze | continue
    outcome = best(UA, [russia, aid])  # accept | reject
    return outcome, pay[outcome][RU]


# --- 1. the minimum sanction --------------------------------------------------------------
# With credible sanctions (k <= aS) a rejection means war at p + mu with sanctions: Russia gets
# p + mu - cR - s. A plain truce gives X_aid = p - Delta - cR + beta*C (C = cR + cU), so Russia
# accepts iff s >= s_plain = mu + Delta - beta*C (DOMAIN's minimum sanction).
# Below s_plain, if the US refused the counter-demand Russia would reject: refusing gives the US
# omega*(1 - p - mu) - g - k, granting gives B + omega*(1 - X_frozen) - h, so the US grants iff
# B - h + g + k + omega*(mu + cR - beta*C) >= 0 (true at the overrides below: 0.14 + 0.5*0.175
# and 0.14 + 0.5*0.25). Russia then counters iff X_frozen = p - cR + beta*C >=
# p + mu - cR - s, i.e. iff s >= s_war = mu - beta*C; below s_war it goes to war with sanctions.
# (Above s_plain the US would refuse a counter-demand, since omega*Delta + h > 0, so Russia takes
# the plain truce.) Ukraine accepts either truce: eU <= mu + theta + (1 - beta)*C holds.
# So in s: war_sanctions | s_war | truce_frozen | s_plain | truce_aid; Russia is indifferent at both.
@pytest.mark.parametrize("overrides", [{"mu": 0.2}, {"mu": 0.25, "beta": 0.4, "Delta": 0.05}])
def test_s_boundaries_are_where_russia_stops_fighting_and_the_minimum_sanction_for_a_plain_truce(
        seed, tmp_path, overrides):
    v = {**seed.values(), **overrides}
    edge = v["beta"] * (v["cR"] + v["cU"])
    s_war, s_plain = v["mu"] - edge, v["mu"] + v["Delta"] - edge
    assert v["k"] <= v["aS"] and 0.01 < s_war < s_plain < 0.29  # credible, both interior
    summary = sweep(seed, tmp_path / "s", {"s": (0.0, 0.3, 43)}, **overrides)
    assert [b.value for b in summary.boundaries] == pytest.approx([s_war, s_plain], abs=TOL)
    assert found(summary) == [("war_sanctions", "truce_frozen", True), ("truce_frozen", "truce_aid", True)]


def test_no_sanction_is_needed_when_rearmament_and_momentum_are_within_russias_share_of_the_surplus(
        seed, tmp_path):
    # mu + Delta = 0.08 < beta*(cR + cU) = 0.125: the minimum sanction max(0, -0.045) is 0.
    summary = sweep(seed, tmp_path / "s", {"s": (0.0, 0.5, 41)}, mu=0.0)
    assert summary.boundaries == [] and summary.outcomes == {"truce_aid": 41}


# --- 2. sanctions credibility: k <= aS ----------------------------------------------------
# At mu = 0.14, s = 0.1: credible sanctions hold Russia at the plain truce (mu + Delta = 0.22 <=
# beta*C + s = 0.225), while without them Russia neither accepts (0.22 > 0.125) nor settles for a
# frozen-aid truce (mu = 0.14 > beta*C = 0.125): it rejects and the US holds back.
# At mu = 0.12 without credible sanctions Russia still takes the frozen-aid truce (0.12 <= 0.125).
# The US is indifferent between imposing and holding exactly at k = aS.
@pytest.mark.parametrize("mu, k, without", [(0.14, 0.1, "war_no_sanctions"), (0.12, 0.2, "truce_frozen")])
def test_aS_boundary_sits_at_k_where_the_sanctions_threat_becomes_credible(seed, tmp_path, mu, k, without):
    summary = sweep(seed, tmp_path / "aS", {"aS": (0.0, 0.5, 41)}, mu=mu, s=0.1, k=k)
    assert [b.value for b in summary.boundaries] == pytest.approx([k], abs=TOL)
    assert found(summary) == [(without, "truce_aid", True)]


def test_k_boundary_sits_at_aS_and_the_indifferent_us_imposes(seed, tmp_path):
    aS = float(np.linspace(0.0, 0.4, 41)[20])  # a grid point, so the tie itself is solved
    summary = sweep(seed, tmp_path / "k", {"k": (0.0, 0.4, 41)}, mu=0.14, s=0.1, aS=aS)
    assert [b.value for b in summary.boundaries] == pytest.approx([aS], abs=TOL)
    assert found(summary) == [("truce_aid", "war_no_sanctions", True)]
    at_tie = [r for r in read_rows(tmp_path / "k") if float(r["k"]) == aS]
    # a threatener carries out its threat when indifferent, so Russia still takes the plain truce
    assert [(r["outcome"], r["tied"]) for r in at_tie] == [("truce_aid", "true")]


def test_damage_of_sanctions_that_would_not_be_imposed_changes_nothing(seed, tmp_path):
    # k = 0.1 > aS = 0.05: the US would hold back, so s never enters Russia's choice; at mu = 0.2 >
    # beta*C = 0.125 Russia rejects whatever the threatened damage.
    summary = sweep(seed, tmp_path / "s", {"s": (0.0, 0.5, 41)}, mu=0.2, k=0.1)
    assert summary.boundaries == [] and summary.outcomes == {"war_no_sanctions": 41}


# --- 3. aid-freeze credibility: omega*theta <= g + aF -------------------------------------
# At the baseline the freeze threat changes nothing: Ukraine accepts the truce (eU = 0.1) even if
# the US would keep aid flowing after a refusal (then it needs eU <= mu + Delta + (1 - beta)*C =
# 0.255; with a credible freeze eU <= 0.355). With 0.255 < eU = 0.3 <= 0.355 only the credible
# threat holds Ukraine at the truce: past omega = (g + aF)/theta the US would continue aid, and
# Ukraine rejects (war_aid_continued). With Russia's frozen-aid truce (mu = 0.15) the same holds
# for eU in (mu + (1 - beta)*C, mu + theta + (1 - beta)*C] = (0.275, 0.375] (0.475 at theta = 0.2).
# The US grant decision there, B - h + g + k + omega*(mu + cR - beta*C) > 0, holds for all omega.
@pytest.mark.parametrize("overrides, accepted", [
    ({"eU": 0.3}, "truce_aid"),
    ({"eU": 0.3, "mu": 0.15}, "truce_frozen"),
    ({"eU": 0.3, "mu": 0.15, "g": 0.1, "aF": 0.05, "theta": 0.2}, "truce_frozen"),
])
def test_omega_boundary_is_where_the_aid_freeze_stops_being_credible(seed, tmp_path, overrides, accepted):
    v = {**seed.values(), **overrides}
    closed = (v["g"] + v["aF"]) / v["theta"]  # 0.8, 0.8, 0.75
    summary = sweep(seed, tmp_path / "omega", {"omega": (0.0, 1.0, 41)}, **overrides)
    assert [b.value for b in summary.boundaries] == pytest.approx([closed], abs=TOL)
    assert found(summary) == [(accepted, "war_aid_continued", True)]


def test_theta_must_scare_ukraine_yet_stay_cheap_enough_for_the_us_to_freeze(seed, tmp_path):
    # eU = 0.3: Ukraine accepts iff the war it would face is bad enough, eU <= mu + phi*theta + Delta
    # + (1 - beta)*C, i.e. theta >= 0.045 with a credible freeze (phi = 1); the freeze is credible iff
    # theta <= (g + aF)/omega = 0.16. Below 0.045 Ukraine rejects and the US freezes.
    v = {**seed.values(), "eU": 0.3}
    scare = v["eU"] - v["mu"] - v["Delta"] - (1 - v["beta"]) * (v["cR"] + v["cU"])
    credible = (v["g"] + v["aF"]) / v["omega"]
    summary = sweep(seed, tmp_path / "theta", {"theta": (0.0, 0.5, 41)}, eU=0.3)
    assert [b.value for b in summary.boundaries] == pytest.approx([scare, credible], abs=TOL)
    assert found(summary) == [("war_frozen", "truce_aid", True), ("truce_aid", "war_aid_continued", True)]


# --- 4. leverage p sets the terms, not the regime -----------------------------------------
P_GRID = np.linspace(0.0, 1.0, 101)


def p_invariant_baseline(seed, regime: str, rng: np.random.Generator) -> dict[str, float]:
    """A baseline drawn within the declared ranges whose outcome is `regime` at every p in [0, 1] and
    at least 0.01 (in mu, k - aS and omega*theta - g - aF) from every interior regime boundary."""
    names = [n for n in seed.parameters if n != "p"]
    for _ in range(100_000):
        v = {n: float(rng.uniform(seed.parameters[n].low, seed.parameters[n].high)) for n in names}
        v["p"] = 0.5
        if solve_by_hand(v)[0] != regime:
            continue
        margins = [abs(v["k"] - v["aS"]), abs(v["omega"] * v["theta"] - v["g"] - v["aF"]),
                   *(abs(v["mu"] - m) for m in mu_thresholds(v).values())]
        # clipped shares at the ends of p's range can reverse a decision: keep draws where none does
        if min(margins) > 0.01 and all(solve_by_hand({**v, "p": float(p)})[0] == regime for p in P_GRID):
            return v
    raise AssertionError(f"no p-invariant baseline for {regime}")


@pytest.mark.parametrize("regime, draw_seed", [("truce_aid", 40), ("truce_frozen", 41), ("war_sanctions", 42),
                                               ("war_no_sanctions", 43), ("war_frozen", 44)])
def test_leverage_moves_russias_payoff_one_for_one_and_never_the_regime(seed, tmp_path, regime, draw_seed):
    v = p_invariant_baseline(seed, regime, np.random.default_rng(draw_seed))
    overrides = {n: x for n, x in v.items() if n != "p"}
    summary = sweep(seed, tmp_path / "p", {"p": (0.0, 1.0, 41)}, **overrides)
    assert summary.boundaries == [] and summary.outcomes == {regime: 41}
    rows = read_rows(tmp_path / "p")
    assert {r["outcome"] for r in rows} == {regime}
    p = np.array([float(r["p"]) for r in rows])
    ru = np.array([float(r["payoff_RU"]) for r in rows])
    np.testing.assert_allclose(ru, [solve_by_hand({**v, "p": x})[1] for x in p], rtol=0, atol=1e-12)
    # Russia's payoff is its share (or its war odds) less fixed terms: slope 1 wherever that share is
    # not clipped to [0, 1] (shares are clipped, so the slope is 0 near an end of p's range).
    share = {"truce_aid": -v["Delta"] - v["cR"] + v["beta"] * (v["cR"] + v["cU"]),
             "truce_frozen": -v["cR"] + v["beta"] * (v["cR"] + v["cU"]), "war_frozen": v["mu"] + v["theta"],
             "war_sanctions": v["mu"], "war_no_sanctions": v["mu"]}[regime] + p
    inside = (share > 0) & (share < 1)
    pairs = inside[1:] & inside[:-1]
    assert pairs.sum() >= 20  # most of p's range is interior
    np.testing.assert_allclose(np.diff(ru)[pairs], np.diff(p)[pairs], rtol=0, atol=1e-12)


# --- 5. momentum thresholds at random baselines -------------------------------------------
def mu_thresholds(v: dict[str, float]) -> dict[str, float]:
    """Every value of mu at which some decision of the DOMAIN tree flips (shares unclipped).

    With sigma = [k <= aS], phi = [omega*theta <= g + aF], C = cR + cU:
    - Russia prefers the plain truce to war iff X_aid >= p + mu - cR - sigma*s, i.e. mu <= beta*C +
      sigma*s - Delta; the frozen-aid truce to war iff X_frozen >= p + mu - cR - sigma*s, i.e.
      mu <= beta*C + sigma*s (X_frozen > X_aid never flips with mu).
    - The US grants the counter-demand, when refusing means war, iff B + omega*(1 - X_frozen) - h >=
      omega*(1 - p - mu) - g - min(k, aS), i.e. omega*mu >= omega*(beta*C - cR) + h - B - g - min(k, aS).
      (When refusing means the plain truce it refuses whatever mu: omega*Delta + h > 0.)
    - Ukraine accepts a truce at share x iff 1 - x - eU >= 1 - (p + mu + phi*theta) - cU, i.e.
      mu >= eU - phi*theta - Delta - (1 - beta)*C for the plain truce, eU - phi*theta - (1 - beta)*C
      for the frozen-aid truce (facing war after accepting it always accepts).
    """
    C = v["cR"] + v["cU"]
    sigma = float(v["k"] <= v["aS"])
    phi = float(v["omega"] * v["theta"] <= v["g"] + v["aF"])
    edge = v["beta"] * C + sigma * v["s"]
    out = {"russia_plain": edge - v["Delta"], "russia_frozen": edge,
           "ukraine_plain": v["eU"] - phi * v["theta"] - v["Delta"] - (1 - v["beta"]) * C,
           "ukraine_frozen": v["eU"] - phi * v["theta"] - (1 - v["beta"]) * C}
    if v["omega"] > 0:
        out["us_grant"] = v["beta"] * C - v["cR"] + (v["h"] - v["B"] - v["g"] - min(v["k"], v["aS"])) / v["omega"]
    return out


MU_SWEEP = (0.0, 0.5, 61)
MU_GRID = np.linspace(*MU_SWEEP)


def expected_mu_boundaries(v: dict[str, float]) -> list[tuple[float, str, str]] | None:
    """The (value, below, above) list a mu sweep must find at baseline `v`, or None for a draw that
    is too close to call: two thresholds within 1e-6 of each other or of the sweep's ends, two
    boundaries in one grid cell (a grid sees one change per cell), or a credibility tie."""
    lo, hi, _ = MU_SWEEP
    cuts = sorted(m for m in mu_thresholds(v).values() if lo - 1e-6 < m < hi + 1e-6)
    if any(m - lo < 1e-6 or hi - m < 1e-6 for m in cuts) or np.any(np.diff(cuts) < 1e-6):
        return None
    if min(abs(v["k"] - v["aS"]), abs(v["omega"] * v["theta"] - v["g"] - v["aF"])) < 1e-6:
        return None
    edges = [lo, *cuts, hi]
    labels = [solve_by_hand({**v, "mu": (a + b) / 2})[0] for a, b in zip(edges[:-1], edges[1:])]
    # decisions flip only at the thresholds, so the regime is constant between consecutive ones
    out = [(m, labels[i], labels[i + 1]) for i, m in enumerate(cuts) if labels[i] != labels[i + 1]]
    cells = np.searchsorted(MU_GRID, [m for m, _, _ in out])
    return None if len(set(cells.tolist())) < len(cells) else out


def interior_baselines(seed, n: int, rng: np.random.Generator) -> list[dict[str, float]]:
    """`n` baselines drawn within the declared ranges, with no share clipped anywhere on the mu sweep
    and a well-posed expected boundary list."""
    out = []
    while len(out) < n:
        v = {name: float(rng.uniform(p.low, p.high)) for name, p in seed.parameters.items()}
        C = v["cR"] + v["cU"]
        unclipped = (v["p"] + MU_SWEEP[1] + v["theta"] <= 1 and v["p"] - v["Delta"] - v["cR"] + v["beta"] * C >= 0
                     and v["p"] - v["cR"] + v["beta"] * C <= 1)
        if unclipped and expected_mu_boundaries(v) is not None:
            out.append(v)
    return out


N_DRAWS = 50
DRAWS = interior_baselines(load_scenario(str(SEED)), N_DRAWS, np.random.default_rng(20250311))


def test_random_baselines_cross_every_kind_of_momentum_threshold():
    # the property below is only as strong as its draws: they must reach every kind of boundary
    kinds = {(a, b) for v in DRAWS for _, a, b in expected_mu_boundaries(v)}
    assert {("truce_aid", "truce_frozen"), ("truce_frozen", "war_sanctions"),
            ("truce_frozen", "war_no_sanctions")} <= kinds
    assert any("war_frozen" in pair for pair in kinds)  # a Ukrainian threshold
    assert sum(len(expected_mu_boundaries(v)) for v in DRAWS) >= 60


@pytest.mark.parametrize("i", range(N_DRAWS))
def test_mu_boundaries_at_a_random_baseline_are_exactly_the_closed_forms(seed, tmp_path, i):
    v = DRAWS[i]
    expected = expected_mu_boundaries(v)
    overrides = {n: x for n, x in v.items() if n != "mu"}
    summary = sweep(seed, tmp_path / f"mu-{i}", {"mu": MU_SWEEP}, **overrides)
    assert [(b.below, b.above) for b in summary.boundaries] == [(a, b) for _, a, b in expected]
    assert [b.value for b in summary.boundaries] == pytest.approx([m for m, _, _ in expected], abs=TOL)
    assert all(b.tied for b in summary.boundaries)  # each is some player's indifference
