"""The ceasefire's aid-freeze credibility map over the US weight on Ukraine omega and the leverage a
freeze hands Russia theta, with the credibility curve omega*theta = g + aF of DOMAIN section 7 drawn
over it, and a table checking the bisected boundaries against the closed forms.

    python experiments/aid_freeze_credibility.py [--out DIR] [--quick] [--docs | --check]

At the scenario's baseline the freeze threat changes nothing: Ukraine accepts the truce whether or not
the US would carry it out (eU = 0.1 <= mu + Delta + (1 - beta)*(cR + cU) = 0.255). The map is therefore
drawn with eU = 0.3, where only a credible threat holds Ukraine to the truce, and p = 0.45, so that no
share is clipped (p + mu + theta <= 1 on the whole map; p itself cancels from every threshold). Writes
to DIR (default experiments/out/aid_freeze_credibility/): the sweep folders (``map/``, ``baseline-map/``
and ``rows/omega-*``), ``aid-freeze-credibility.png`` (and ``.svg``) and ``aid-freeze-credibility.md``.
Exits 1 if a bisected boundary differs from its closed form by more than 1e-8 or a grid point lies in
the wrong region.
"""

from __future__ import annotations

import sys
from pathlib import Path

import _common
import numpy as np
from _common import (
    ROOT,
    boundary_table,
    compare_boundaries,
    fresh,
    map_agreement,
    save_map,
    segment,
    sweep_map,
    values_list,
    write_table,
)

SCENARIO = ROOT / "scenarios" / "ceasefire_2025.yaml"
NAME = "aid_freeze_credibility"
STEM = "aid-freeze-credibility"
OMEGA = (0.0, 1.0)
THETA = (0.0, 0.5)
#: eU: Ukraine's cost of a truce high enough that only a credible freeze makes it accept;
#: p: low enough that p + mu + theta stays below 1 (no clipped share) for every theta on the map.
OVERRIDES = {"eU": 0.3, "p": 0.45}
OMEGA_ROWS = (0.2, 0.4, 0.6, 0.8, 1.0)  # rows of omega at which theta is swept for the table


def credibility_bound(v: dict[str, float]) -> float:
    """g + aF: the freeze is credible iff omega*theta is at most this."""
    return v["g"] + v["aF"]


def scare_threshold(v: dict[str, float]) -> float:
    """The theta above which a credible freeze makes Ukraine prefer the truce to war:
    eU - mu - Delta - (1 - beta)*(cR + cU)."""
    return v["eU"] - v["mu"] - v["Delta"] - (1 - v["beta"]) * (v["cR"] + v["cU"])


def closed_form_boundaries(v: dict[str, float], omega: float) -> list[tuple[float, str, str]]:
    """The (theta, outcome below, outcome above) boundaries a sweep of theta over THETA must find at `omega`."""
    cuts = [(scare_threshold(v), "war_frozen", "truce_aid")]
    if omega > 0:
        cuts.append((credibility_bound(v) / omega, "truce_aid", "war_aid_continued"))
    return [c for c in cuts if THETA[0] < c[0] < THETA[1]]


def closed_form_labels(v: dict[str, float], omega: np.ndarray, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The closed-form outcome at each (omega, theta), and whether the point lies within 1e-9 of a
    boundary (where a player is indifferent and the tie rules decide)."""
    credible = omega * theta <= credibility_bound(v)
    accept = theta >= scare_threshold(v)
    labels = np.where(credible, np.where(accept, "truce_aid", "war_frozen"), "war_aid_continued")
    on_line = (np.abs(omega * theta - credibility_bound(v)) < 1e-9) | (np.abs(theta - scare_threshold(v)) < 1e-9)
    return labels.astype(object), on_line


def assumptions(v: dict[str, float]) -> list[str]:
    """What the closed forms rest on, each checked over the whole map; [] if all hold."""
    C = v["cR"] + v["cU"]
    failed = []
    if v["mu"] + v["Delta"] > v["beta"] * C + (v["s"] if v["k"] <= v["aS"] else 0.0):
        failed.append("Russia would not accept the plain truce")
    if v["eU"] <= v["mu"] + v["Delta"] + (1 - v["beta"]) * C:
        failed.append("Ukraine would accept the truce even without a credible freeze (the map would be one region)")
    if v["p"] + v["mu"] + THETA[1] > 1 or v["p"] - v["Delta"] - v["cR"] < 0:
        failed.append("a share is clipped to [0, 1] somewhere on the map")
    return failed


def run(out: Path, *, quick: bool = False) -> tuple[dict[str, Path], list[str]]:
    """Run the map, the baseline map and the table's sweeps into `out`; return ({docs name: file
    written}, failures)."""
    import negosim as ns

    n_omega, n_theta, rows_n = (41, 41, 31) if quick else (301, 301, 101)
    formats = ("png",) if quick else ("png", "svg")  # SVG only in a full run
    out.mkdir(parents=True, exist_ok=True)
    scenario = ns.load(SCENARIO)
    base = scenario.values()
    v = {**base, **OVERRIDES}
    failures = [f"closed forms do not apply: {a}" for a in assumptions(v)]

    # at the baseline the freeze does not matter: the whole map is the plain truce
    n_base = 21 if quick else 51
    at_base = scenario.sweep({"omega": (*OMEGA, n_base), "theta": (*THETA, n_base)},
                        out=fresh(out / "baseline-map"))
    if at_base.outcomes != {"truce_aid": n_base * n_base}:
        failures.append(f"at the baseline the map is {at_base.outcomes}, not the plain truce everywhere")

    # the table: a sweep of theta at each row of omega, its boundaries bisected
    table = []
    for omega in OMEGA_ROWS:
        summary = scenario.sweep({"theta": (*THETA, rows_n)}, overrides={**OVERRIDES, "omega": omega},
                            out=fresh(out / "rows" / f"omega-{omega:g}"))
        checked = compare_boundaries(summary.boundaries, closed_form_boundaries(v, omega), f"omega = {omega:g}, theta",
                                     failures)
        for below, above, cells in checked or []:
            formula = "eU - mu - Delta - (1 - beta)(cR + cU)" if below == "war_frozen" else "(g + aF) / omega"
            table.append([f"{omega:g}", f"{below} → {above}", formula, *cells])

    # the map, and every grid point against the closed-form regions
    omega_axis, theta_axis, labels, om, th = sweep_map(scenario, out / "map", ("omega", *OMEGA, n_omega),
                                                       ("theta", *THETA, n_theta), overrides=OVERRIDES)
    expected, on_line = closed_form_labels(v, om, th)
    agreement = map_agreement(labels, expected, on_line, failures, grid=f"{n_omega} × {n_theta} map")

    bound, scare = credibility_bound(v), scare_threshold(v)
    curve_omega = np.linspace(max(OMEGA[0], bound / THETA[1]), OMEGA[1], 400)
    curves = [{"x": curve_omega, "y": bound / curve_omega,
               "label": f"omega·theta = g + aF = {bound:g}: above it the US would not freeze aid"}]
    seg = segment(scare, 0.0, OMEGA, THETA)
    if seg is not None:
        curves.append({"x": seg[0], "y": seg[1],
                       "label": f"theta = eU − mu − Delta − (1 − beta)(cR + cU) = {scare:g}: Ukraine accepts above"})
    save_map(out / STEM, formats, scenario, "omega", omega_axis, "theta", theta_axis, labels, overlays=curves,
             title="Aid-freeze credibility (with eU = 0.3, p = 0.45)",
             order=("truce_aid", "war_frozen", "war_aid_continued"))

    C = v["cR"] + v["cU"]
    values = values_list(v, ("eU", "p", "mu", "Delta", "cR", "cU", "beta", "g", "aF"), baseline=base)
    text = (
        f"Why the map uses `eU` = {v['eU']:g}: at the scenario's baseline (`eU` = {base['eU']:g}) Ukraine accepts "
        f"the truce even if the US would keep aid flowing after a refusal, since `eU` ≤ `mu + Delta + (1 - beta)"
        f"(cR + cU)` = {base['mu'] + base['Delta'] + (1 - base['beta']) * C:g}; the same {n_base} × {n_base} grid "
        f"at the baseline is the plain truce (`truce_aid`) at every point"
        + ("" if at_base.outcomes == {"truce_aid": n_base * n_base} else f" (NOT: {at_base.outcomes})")
        + f". With `eU` = {v['eU']:g} Ukraine accepts only under a credible threat to freeze aid "
        f"(`omega·theta` ≤ `g + aF`) that hands Russia enough leverage (`theta` ≥ `eU - mu - Delta - "
        f"(1 - beta)(cR + cU)` = {scare:g}). `p` = {v['p']:g} keeps `p + mu + theta` ≤ 1 over the map (no "
        f"clipped share); it cancels from every threshold.\n\n"
        f"Boundaries in `theta` at fixed `omega` (sweeps of `theta` over [{THETA[0]:g}, {THETA[1]:g}] at "
        f"{rows_n} points, bisected by `run_sweep`) against DOMAIN §7's closed forms (a difference is at most the "
        f"bisection's 1e-9 plus the solver's tie tolerance, 1e-9 of the payoff range, over the rate at which the "
        f"deciding player's payoff difference changes: for the US, omega):\n\n"
        + boundary_table("omega", "theta", table)
        + agreement
        + f" Values used:\n\n{values}\n"
    )
    return write_table(out, f"{STEM}.md", text, [f"{STEM}.png"]), failures


main = _common.entry(NAME, run, __doc__)


if __name__ == "__main__":
    sys.exit(main())
