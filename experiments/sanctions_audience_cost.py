"""The sanctions threat game across the Sender's audience cost a: the threat becomes credible at
a = cS - b and then makes the Target comply iff d >= kT (DOMAIN section 5), shown along a and over a
map of a against the damage d, with a table checking the bisected boundaries against the closed forms.

    python experiments/sanctions_audience_cost.py [--out DIR] [--quick] [--docs | --check]

Writes to DIR (default experiments/out/sanctions_audience_cost/): the sweep folders (``a/``, ``map/``,
``rows/*``), ``sanctions-audience-cost.png`` and ``sanctions-audience-cost-map.png`` (and ``.svg``),
and ``sanctions-audience-cost.md``. Exits 1 if a bisected boundary differs from its closed form by more
than 1e-8, a sweep finds a boundary the closed forms do not have (or misses one), or a grid point lies
in the wrong region.
"""

from __future__ import annotations

import sys
from pathlib import Path

import _common
import numpy as np
from _common import (
    ROOT,
    compare_boundaries,
    fresh,
    map_agreement,
    markdown_table,
    read_results,
    save_map,
    sweep_map,
    values_list,
    write_table,
)

SCENARIO = ROOT / "scenarios" / "sanctions_threat.yaml"
NAME = "sanctions_audience_cost"
STEM = "sanctions-audience-cost"
A = (0.0, 0.3)
D = (0.0, 0.6)
D_ROWS = (0.1, 0.2, 0.5)  # other rows of d at which a is swept for the table (kT = 0.3 among them)
A_ROWS = (0.05, 0.15, 0.25)  # rows of a at which d is swept (cS - b = 0.1 between them)


def credibility_threshold(v: dict[str, float]) -> float:
    """cS - b: the threat is credible (imposing beats backing down, b - cS >= -a) iff a is at least this."""
    return v["cS"] - v["b"]


def closed_form_labels(v: dict[str, float], a: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The closed-form outcome at each (a, d), and whether the point lies within 1e-9 of a boundary.

    A credible threat makes the Target comply iff d >= kT; if it defies anyway, the Sender threatens
    only when imposing pays in itself (b > cS). A threat that is not credible is defied and followed
    by backing down (-a <= 0), so the Sender keeps the status quo.
    """
    credible = a >= credibility_threshold(v)
    defied = "sanctions_imposed" if v["b"] > v["cS"] else "no_threat"
    labels = np.where(credible, np.where(d >= v["kT"], "complied", defied), "no_threat")
    on_line = (np.abs(a - credibility_threshold(v)) < 1e-9) | (np.abs(d - v["kT"]) < 1e-9)
    return labels.astype(object), on_line


def closed_form_boundaries(v: dict[str, float], parameter: str, at: float) -> list[tuple[float, str, str]]:
    """The (value, below, above) boundaries a sweep of `parameter` ("a" over A or "d" over D) must find
    with the other of the two at `at` (b < cS, so a defied threat is never made)."""
    if parameter == "a":
        cut, lo, hi, holds = credibility_threshold(v), *A, at >= v["kT"]
    else:
        cut, lo, hi, holds = v["kT"], *D, at >= credibility_threshold(v)
    return [(cut, "no_threat", "complied")] if holds and lo < cut < hi else []


def assumptions(v: dict[str, float]) -> list[str]:
    """What `closed_form_boundaries` rests on; [] if all hold."""
    failed = []
    if not v["b"] < v["cS"]:
        failed.append("b >= cS: sanctions would be imposed after defiance (a third region)")
    if not (v["v"] > 0 and v["kT"] > 0):
        failed.append("v or kT is 0: the Sender or the Target is indifferent")
    return failed


def run(out: Path, *, quick: bool = False) -> tuple[dict[str, Path], list[str]]:
    """Run the sweep along a, the a-by-d map and the table's sweeps into `out`; return ({docs name:
    file written}, failures)."""
    import negosim as ns
    from negosim.present.figures import outcome_figure
    from negosim.present.figures.save import save_figure

    n_a, n_map, rows_n = (31, 41, 31) if quick else (121, 301, 121)
    formats = ("png",) if quick else ("png", "svg")  # SVG only in a full run
    out.mkdir(parents=True, exist_ok=True)
    scenario = ns.load(SCENARIO)
    v = scenario.values()
    names = {o.id: o.label for o in scenario.game.outcomes}
    failures = [f"closed forms do not apply: {a}" for a in assumptions(v)]
    table = []

    def check(parameter: str, at_name: str, at: float, summary, note: str = "") -> None:
        sweep = f"`{parameter}` over [{', '.join(f'{x:g}' for x in (A if parameter == 'a' else D))}]"
        where = f"{at_name} = {at:g}{note}"
        checked = compare_boundaries(summary.boundaries, closed_form_boundaries(v, parameter, at),
                                     f"{parameter} at {where}", failures)
        if checked == []:
            why = "d < kT: the Target defies even a credible threat" if parameter == "a" else \
                "a < cS - b: the threat is not credible"
            only = ", ".join(summary.outcomes)
            table.append([sweep, where, f"none ({only} throughout)", why, "—", "—", "—"])
        for below, above, cells in checked or []:
            table.append([sweep, where, f"{below} → {above}", "cS - b" if parameter == "a" else "kT", *cells])

    # along a at the baseline
    summary = scenario.sweep({"a": (*A, n_a)}, out=fresh(out / "a"))
    check("a", "d", v["d"], summary, " (baseline)")
    a, outcomes, pays = read_results(summary, "a", scenario.player_ids)
    fig = outcome_figure("a", a, outcomes, pays, boundaries=summary.boundaries, labels=names,
                         unit=scenario.parameters["a"].unit,
                         title=f"Sanctions threat: an audience cost a ≥ cS − b = {credibility_threshold(v):g} "
                               "makes it credible")
    for fmt in formats:
        save_figure(fig, out / f"{STEM}.{fmt}")

    for d in D_ROWS:
        check("a", "d", d, scenario.sweep({"a": (*A, rows_n)}, overrides={"d": d},
                                     out=fresh(out / "rows" / f"a-at-d-{d:g}")))
    for at in A_ROWS:
        check("d", "a", at, scenario.sweep({"d": (*D, rows_n)}, overrides={"a": at},
                                      out=fresh(out / "rows" / f"d-at-a-{at:g}")))

    # the map of a against d
    a_axis, d_axis, labels, ag, dg = sweep_map(scenario, out / "map", ("a", *A, n_map), ("d", *D, n_map))
    want, on_line = closed_form_labels(v, ag, dg)
    agreement = map_agreement(labels, want, on_line, failures, grid=f"{n_map} × {n_map} map of `a` against `d`")
    threshold = credibility_threshold(v)
    curves = []
    if A[0] < threshold < A[1]:
        curves.append({"x": np.array([threshold, threshold]), "y": np.array(D),
                       "label": f"a = cS − b = {threshold:g}: right of it the threat is credible"})
    if D[0] < v["kT"] < D[1]:
        curves.append({"x": np.array(A), "y": np.array([v["kT"], v["kT"]]),
                       "label": f"d = kT = {v['kT']:g}: above it a credible threat makes the Target comply"})
    save_map(out / f"{STEM}-map", formats, scenario, "a", a_axis, "d", d_axis, labels, overlays=curves,
             title="Sanctions threat: audience cost a against damage d", order=("no_threat", "complied"))

    values = values_list(v, ("v", "kT", "b", "cS", "d", "a"), sep=", ")
    text = (
        f"Sweeps of the sanctions threat game (`scenarios/sanctions_threat.yaml`; baseline {values}), each "
        f"boundary bisected by `run_sweep`, against the closed forms of DOMAIN §5: the threat is credible iff "
        f"`b - cS >= -a`, i.e. `a >= cS - b`, and a credible threat makes the Target comply iff `d >= kT`. "
        f"Here `b < cS`, so a Sender facing defiance would rather not have threatened: wherever the threat "
        f"fails (not credible, or too weak) it is not made.\n\n"
        + markdown_table(["sweep", "at", "outcome below → above", "closed form", "closed-form value",
                          "bisected value", "difference"], table)
        + agreement + "\n"
    )
    return write_table(out, f"{STEM}.md", text, [f"{STEM}.png", f"{STEM}-map.png"]), failures


main = _common.entry(NAME, run, __doc__)


if __name__ == "__main__":
    sys.exit(main())
