"""The ceasefire's regime map over Russia's momentum mu and the sanctions' damage s, with the
closed-form boundaries of DOMAIN section 7 drawn over it, and a table checking the bisected
boundaries against them.

    python experiments/momentum_sanctions_map.py [--out DIR] [--quick] [--docs | --check]

With sanctions credible (k <= aS), Russia accepts the plain truce iff s >= mu + Delta - beta*(cR + cU)
and prefers a frozen-aid truce (which the US grants) to war iff s >= mu - beta*(cR + cU). Writes to DIR
(default experiments/out/momentum_sanctions_map/): the sweep folders (``map/`` and ``rows/s-*``),
``regime-map-mu-s.png`` (and ``.svg``) and ``regime-map-mu-s.md``. Exits 1 if a bisected boundary or a
grid point disagrees with the closed forms (by more than 1e-8 for boundaries).
"""

from __future__ import annotations

import sys
from pathlib import Path

import _common
import numpy as np
from _ceasefire import truce_assumptions
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
NAME = "momentum_sanctions_map"
STEM = "regime-map-mu-s"
MU = (0.0, 0.3)
S = (0.0, 0.3)
S_ROWS = (0.0, 0.05, 0.1, 0.15)  # rows of s at which mu is swept for the table


def thresholds(v: dict[str, float], s):
    """(plain, war): the mu at which Russia stops accepting the plain truce, and at which it prefers war
    to a frozen-aid truce, at sanctions damage `s` (credible sanctions, shares unclipped)."""
    edge = v["beta"] * (v["cR"] + v["cU"]) + np.asarray(s, dtype=float)
    return edge - v["Delta"], edge


def closed_form_boundaries(v: dict[str, float], s: float) -> list[tuple[float, str, str]]:
    """The (mu, outcome below, outcome above) boundaries a sweep of mu over MU must find at damage `s`."""
    plain, war = (float(t) for t in thresholds(v, s))
    cuts = [(plain, "truce_aid", "truce_frozen"), (war, "truce_frozen", "war_sanctions")]
    return [c for c in cuts if MU[0] < c[0] < MU[1]]


def closed_form_labels(v: dict[str, float], mu: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The closed-form outcome at each (mu, s), and whether the point lies within 1e-9 of a boundary
    (where Russia is indifferent and the tie rules decide)."""
    plain, war = thresholds(v, s)
    labels = np.where(mu <= plain, "truce_aid", np.where(mu <= war, "truce_frozen", "war_sanctions"))
    return labels.astype(object), (np.abs(mu - plain) < 1e-9) | (np.abs(mu - war) < 1e-9)


def assumptions(v: dict[str, float]) -> list[str]:
    """What the closed forms rest on, each checked at the baseline over the whole map; [] if all hold."""
    failed = truce_assumptions(v, MU)
    if v["p"] + MU[1] + v["theta"] > 1 or v["p"] - v["Delta"] - v["cR"] < 0:
        failed.append("a share is clipped to [0, 1] somewhere on the map")
    return failed


def run(out: Path, *, quick: bool = False) -> tuple[dict[str, Path], list[str]]:
    """Run the map and the table's sweeps into `out`; return ({docs name: file written}, failures)."""
    import negosim as ns

    n, rows_n = (41, 31) if quick else (301, 121)
    formats = ("png",) if quick else ("png", "svg")  # SVG only in a full run
    out.mkdir(parents=True, exist_ok=True)
    scenario = ns.load(SCENARIO)
    v = scenario.values()
    failures = [f"closed forms do not apply: {a}" for a in assumptions(v)]
    C = v["cR"] + v["cU"]

    # the table: a sweep of mu at each row of s, its boundaries bisected
    table = []
    for s in S_ROWS:
        summary = scenario.sweep({"mu": (*MU, rows_n)}, overrides={"s": s},
                            out=fresh(out / "rows" / f"s-{s:g}"))
        checked = compare_boundaries(summary.boundaries, closed_form_boundaries(v, s), f"s = {s:g}, mu", failures)
        for below, above, cells in checked or []:
            formula = "beta(cR + cU) + s - Delta" if above == "truce_frozen" else "beta(cR + cU) + s"
            table.append([f"{s:g}", f"{below} → {above}", formula, *cells])

    # the map, and every grid point against the closed-form regions
    mu_axis, s_axis, labels, mu, s = sweep_map(scenario, out / "map", ("mu", *MU, n), ("s", *S, n))
    expected, on_line = closed_form_labels(v, mu, s)
    agreement = map_agreement(labels, expected, on_line, failures, grid=f"{n} × {n} map", boundary="a boundary line",
                              who="Russia")

    curves = []
    plain, war = v["beta"] * C - v["Delta"], v["beta"] * C  # the boundaries are s = mu - plain and s = mu - war
    for offset, text in ((plain, f"s = mu + Delta − beta(cR + cU) = mu − {plain:g}: "
                                 "Russia accepts the plain truce above"),
                         (war, f"s = mu − beta(cR + cU) = mu − {war:g}: Russia prefers war below")):
        seg = segment(-offset, 1.0, MU, S)
        if seg is not None:
            curves.append({"x": seg[0], "y": seg[1], "label": text})
    save_map(out / STEM, formats, scenario, "mu", mu_axis, "s", s_axis, labels, overlays=curves,
             title="Ceasefire: momentum mu against sanctions damage s",
             order=("truce_aid", "truce_frozen", "war_sanctions"))

    values = values_list(v, ("Delta", "cR", "cU", "beta", "k", "aS"))
    text = (
        f"Boundaries in Russia's momentum `mu` at fixed sanctions damage `s` in the ceasefire scenario "
        f"(`scenarios/ceasefire_2025.yaml`, every other parameter at its baseline), bisected by `run_sweep` "
        f"(a sweep of `mu` over [{MU[0]:g}, {MU[1]:g}] at {rows_n} points per row), against DOMAIN §7's closed "
        f"forms. Sanctions are credible (`k` ≤ `aS`), so Russia accepts the plain truce iff "
        f"`mu` ≤ `beta(cR + cU) + s - Delta`, and takes a truce with aid frozen (the US grants it) rather than "
        f"war iff `mu` ≤ `beta(cR + cU) + s`.\n\n"
        + boundary_table("s", "mu", table)
        + agreement
        + f" Baseline values used:\n\n{values}\n"
    )
    return write_table(out, f"{STEM}.md", text, [f"{STEM}.png"]), failures


main = _common.entry(NAME, run, __doc__)


if __name__ == "__main__":
    sys.exit(main())
