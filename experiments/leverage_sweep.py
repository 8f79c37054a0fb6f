"""The ceasefire's leverage sweep: Russia's battlefield leverage p moves the terms of the truce one for
one but never the outcome (DOMAIN section 7), shown along p and over a map of p against momentum mu.

    python experiments/leverage_sweep.py [--out DIR] [--quick] [--docs | --check]

A truce is settled at X(q) = q - cR + beta*(cR + cU), so Russia's payoff rises with slope 1 in p while
Ukraine's falls with slope 1 and the US's with slope omega; whether Russia accepts depends on
mu + Delta against beta*(cR + cU) + s, where p cancels. Writes to DIR (default
experiments/out/leverage_sweep/): the sweep folders (``p/``, ``map/`` and ``rows/p-*``),
``leverage.png`` and ``leverage-by-momentum.png`` (and ``.svg``), and ``leverage.md``. Exits 1 if the
outcome changes along p, a payoff differs from its closed form by more than 1e-8, or a bisected
boundary in mu differs from its closed form by more than 1e-8.
"""

from __future__ import annotations

import sys
from pathlib import Path

import _common
import numpy as np
from _ceasefire import closed_form_payoffs, mu_thresholds, truce_assumptions, truce_share
from _common import (
    ROOT,
    boundary_table,
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

SCENARIO = ROOT / "scenarios" / "ceasefire_2025.yaml"
NAME = "leverage_sweep"
TOL = 1e-8  # boundaries are bisected to 1e-9; payoffs are plain arithmetic
P = (0.2, 0.8)  # no share is clipped here at the baseline (X_aid in [0.145, 0.745], p + mu <= 0.85)
MU = (0.0, 0.2)  # with p <= 0.8, p + mu <= 1: Russia's war odds are not clipped on the map
P_TABLE = (0.2, 0.35, 0.5, 0.65, 0.8)  # rows of Russia's payoff in the table
P_ROWS = (0.2, 0.4, 0.6, 0.8)  # rows of p at which mu is swept for the table


def closed_form_boundaries(v: dict[str, float]) -> list[tuple[float, str, str]]:
    """The (mu, outcome below, outcome above) boundaries a sweep of mu over MU must find, at any p."""
    plain, war = mu_thresholds(v)
    return [c for c in [(plain, "truce_aid", "truce_frozen"), (war, "truce_frozen", "war_sanctions")]
            if MU[0] < c[0] < MU[1]]


def closed_form_labels(v: dict[str, float], mu: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The closed-form outcome at each mu (whatever p), and whether it lies within 1e-9 of a boundary."""
    plain, war = mu_thresholds(v)
    labels = np.where(mu <= plain, "truce_aid", np.where(mu <= war, "truce_frozen", "war_sanctions"))
    return labels.astype(object), (np.abs(mu - plain) < 1e-9) | (np.abs(mu - war) < 1e-9)


def assumptions(v: dict[str, float]) -> list[str]:
    """What the closed forms rest on, each checked at the baseline over the sweep and the map; [] if all hold."""
    failed = truce_assumptions(v, MU)
    if P[1] + MU[1] > 1 or truce_share(v, P[0]) < 0 or truce_share(v, P[1]) + v["Delta"] > 1:
        failed.append("a share is clipped to [0, 1] somewhere on the sweep or the map")
    return failed


def slope(x: np.ndarray, y: np.ndarray) -> float:
    """The least-squares slope of y on x."""
    return float(np.polyfit(x, y, 1)[0])


def label_slopes(ax, p: np.ndarray, pays: dict[str, np.ndarray], slopes: dict[str, float]) -> None:
    """Write each player's slope in p above its payoff line, a fifth of the way along, in its colour
    (on the side where the line falls away from the text)."""
    from negosim.present.figures import style

    i = len(p) // 5
    for k, (player, y) in enumerate(pays.items()):
        rising = slopes[player] > 0
        ax.annotate(f"{player}: slope {style.fmt_value(slopes[player])}".replace("-", "−"), (p[i], y[i]),
                    xytext=(-6 if rising else 6, 8), textcoords="offset points", ha="right" if rising else "left",
                    va="bottom", fontsize=style.TEXT_SIZE + 1, fontweight="bold", color=style.player_color(k))


def run(out: Path, *, quick: bool = False) -> tuple[dict[str, Path], list[str]]:
    """Run the sweep along p, the p-by-mu map and the table's sweeps into `out`; return ({docs name:
    file written}, failures)."""
    import negosim as ns
    from negosim.present.figures import outcome_figure
    from negosim.present.figures.save import save_figure

    n_p, n_map_p, n_map_mu, rows_n = (25, 31, 21, 21) if quick else (121, 241, 201, 81)
    formats = ("png",) if quick else ("png", "svg")  # SVG only in a full run
    out.mkdir(parents=True, exist_ok=True)
    scenario = ns.load(SCENARIO)
    v = scenario.values()
    players = scenario.player_ids
    names = {o.id: o.label for o in scenario.game.outcomes}
    failures = [f"closed forms do not apply: {a}" for a in assumptions(v)]
    regime = str(closed_form_labels(v, np.array([v["mu"]]))[0][0])

    # along p: one outcome, payoffs on the closed-form lines
    summary = scenario.sweep({"p": (*P, n_p)}, out=fresh(out / "p"))
    p, outcomes, pays = read_results(summary, "p", players)
    if summary.boundaries or set(outcomes) != {regime}:
        failures.append(f"the outcome changes along p: {summary.outcomes}, boundaries {summary.boundaries}")
    closed = closed_form_payoffs(v, p)
    worst = max(float(np.max(np.abs(pays[q] - closed[q]))) for q in players)
    if regime != "truce_aid" or worst > TOL:
        failures.append(f"payoffs along p differ from the plain truce's closed forms by up to {worst:.3g}")
    slopes = {q: slope(p, pays[q]) for q in players}
    expected_slopes = {"RU": 1.0, "UA": -1.0, "US": -v["omega"]}
    for q, s in slopes.items():
        if abs(s - expected_slopes[q]) > TOL:
            failures.append(f"{q}'s payoff has slope {s!r} in p, closed form {expected_slopes[q]!r}")

    fig = outcome_figure("p", p, outcomes, pays, labels=names, unit=scenario.parameters["p"].unit,
                         title="Leverage p moves the terms, not the outcome")
    label_slopes(fig.axes[0], p, pays, slopes)
    for fmt in formats:
        save_figure(fig, out / f"leverage.{fmt}")

    pick = [int(np.argmin(np.abs(p - x))) for x in P_TABLE]
    payoff_rows = [[f"{p[i]:g}", outcomes[i], f"{pays['RU'][i]:.10f}", f"{closed['RU'][i]:.10f}",
                    f"{pays['RU'][i] - closed['RU'][i]:+.1e}"] for i in pick]

    # boundaries in mu at several p: the same values at every p
    boundary_rows = []
    expected = closed_form_boundaries(v)
    for row_p in P_ROWS:
        found = scenario.sweep({"mu": (*MU, rows_n)}, overrides={"p": row_p},
                          out=fresh(out / "rows" / f"p-{row_p:g}")).boundaries
        for below, above, cells in compare_boundaries(found, expected, f"p = {row_p:g}, mu", failures) or []:
            formula = "beta(cR + cU) + s - Delta" if above == "truce_frozen" else "beta(cR + cU) + s"
            boundary_rows.append([f"{row_p:g}", f"{below} → {above}", formula, *cells])

    # the map: regions flat in p
    p_axis, mu_axis, labels, _, mu_grid = sweep_map(scenario, out / "map", ("p", *P, n_map_p), ("mu", *MU, n_map_mu))
    want, on_line = closed_form_labels(v, mu_grid)
    agreement = map_agreement(labels, want, on_line, failures, grid=f"{n_map_p} × {n_map_mu} map of `p` against `mu`",
                              regions="these regions", who="Russia")
    plain, war = mu_thresholds(v)
    curves = [{"x": np.array(P), "y": np.array([m, m]), "label": text} for m, text in (
        (plain, f"mu = beta(cR + cU) + s − Delta = {plain:g}: Russia stops accepting the plain truce"),
        (war, f"mu = beta(cR + cU) + s = {war:g}: Russia prefers war under sanctions")) if MU[0] < m < MU[1]]
    save_map(out / "leverage-by-momentum", formats, scenario, "p", p_axis, "mu", mu_axis, labels, overlays=curves,
             title="Ceasefire: the outcome is flat in leverage p", order=("truce_aid", "truce_frozen", "war_sanctions"))

    C = v["cR"] + v["cU"]
    values = values_list(v, ("mu", "Delta", "cR", "cU", "beta", "s", "eU", "omega", "B"), sep=", ")
    text = (
        f"Sweep of Russia's leverage `p` over [{P[0]:g}, {P[1]:g}] ({n_p} points) in the ceasefire scenario "
        f"(`scenarios/ceasefire_2025.yaml`, every other parameter at its baseline: {values}). The outcome is "
        f"`{regime}` at every point and the sweep finds no boundary: Russia accepts because `mu + Delta` = "
        f"{v['mu'] + v['Delta']:g} ≤ `beta(cR + cU) + s` = {v['beta'] * C + v['s']:g}, where `p` does not "
        f"appear. The terms move one for one: Russia's payoff is its share `X_aid = p - Delta - cR + "
        f"beta(cR + cU)`.\n\n"
        + markdown_table(["p", "outcome", "Russia's payoff (sweep)", "closed form X_aid", "difference"], payoff_rows)
        + f"\nLeast-squares slopes over the sweep: Russia {slopes['RU']:.9f} (closed form 1), Ukraine "
        f"{slopes['UA']:.9f} (-1), the US {slopes['US']:.9f} (-omega = {-v['omega']:g}).\n\n"
        f"Boundaries in momentum `mu` (sweeps over [{MU[0]:g}, {MU[1]:g}] at {rows_n} points, bisected by "
        f"`run_sweep`) at several `p`: the same values at every `p`.\n\n"
        + boundary_table("p", "mu", boundary_rows)
        + agreement + "\n"
    )
    return write_table(out, "leverage.md", text, ["leverage.png", "leverage-by-momentum.png"]), failures


main = _common.entry(NAME, run, __doc__)


if __name__ == "__main__":
    sys.exit(main())
