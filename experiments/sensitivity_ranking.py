"""The ceasefire's sensitivity ranking: which parameters move the outcome and the payoffs, one at a time
(a tornado) and all at once (Sobol indices), each checked against the closed forms of DOMAIN section 7.

    python experiments/sensitivity_ranking.py [--out DIR] [--quick] [--docs | --check]

The one-at-a-time analysis moves every parameter alone to each end of its declared range, as
``negosim sensitivity scenarios/ceasefire_2025.yaml`` does. The Sobol indices vary mu, s, k, aS, Delta
and omega together (omega over [0, 1], the others over their declared [0, 0.5]), from 1024 base
samples with seed 0 (64 with --quick), as ``--method sobol --parameters mu,s,k,aS,Delta,omega --range
omega=0:1 --samples 1024`` does. Writes to DIR (default experiments/out/sensitivity_ranking/): the
analysis folders ``oat/`` and ``sobol/`` (``sensitivity.json``, as ``negosim sensitivity -o`` writes
it), ``tornado.png`` and ``sobol.png`` (and ``.svg``), drawn from those folders as that command draws
them, and ``tornado.md`` and ``sobol.md``. Exits 1 if moving p alone changes the outcome, mu's nearest
outcome change is off beta*(cR + cU) + s - Delta by more than 1e-8, the parameters that move no payoff
are not those the closed forms predict, an end's outcome or plain-truce payoffs disagree with the
closed forms, or a Sobol index that the closed forms make 0 is not 0 (or one they make positive is 0).
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import _common
import numpy as np
from _ceasefire import closed_form_payoffs, mu_thresholds, truce_share
from _common import ROOT, TOL, markdown_table, write_table

SCENARIO = ROOT / "scenarios" / "ceasefire_2025.yaml"
NAME = "sensitivity_ranking"
SOBOL_PARAMETERS = ("mu", "s", "k", "aS", "Delta", "omega")
SOBOL_RANGES = {"omega": (0.0, 1.0)}
SEED = 0
#: An output that ignores a parameter gives exactly 0 (the same value with and without the move), so
#: "no effect" means at most this, far below any real effect.
ZERO = 1e-12
#: The parameters in the plain truce's payoffs: RU X_aid, UA 1 - X_aid - eU, US B + omega*(1 - X_aid),
#: with X_aid = p - Delta - cR + beta*(cR + cU).
TRUCE_PARAMETERS = frozenset({"p", "Delta", "cR", "cU", "beta", "eU", "omega", "B"})
#: Each Sobol output, the varied parameters it depends on, and why. In the box (see `sobol_assumptions`)
#: Ukraine accepts every truce and the US grants Russia's counter-demand whenever Russia would rather
#: fight, so the outcome is Russia's choice: the plain truce if mu + Delta <= beta(cR + cU) + [k <= aS]s,
#: else a frozen-aid truce if mu <= beta(cR + cU) + [k <= aS]s, else war with sanctions iff k <= aS.
#: omega enters only the US payoff and the freeze's credibility, which matters only if Ukraine refuses.
DEPENDS = {
    "P(war_no_sanctions)": ({"mu", "k", "aS"}, "iff k > aS and mu > beta(cR + cU): the sanctions threat is empty, "
                            "and Delta only decides which truce"),
    "P(war_sanctions)": ({"mu", "s", "k", "aS"}, "iff k ≤ aS and mu > beta(cR + cU) + s: Delta only decides "
                         "which truce"),
    "P(truce_aid)": ({"mu", "s", "k", "aS", "Delta"}, "iff mu + Delta ≤ beta(cR + cU) + [k ≤ aS]s"),
    "P(truce_frozen)": ({"mu", "s", "k", "aS", "Delta"}, "iff mu ≤ beta(cR + cU) + [k ≤ aS]s < mu + Delta"),
    "payoff US": (set(SOBOL_PARAMETERS), "omega weighs Ukraine's share in the US payoff"),
    "payoff UA": ({"mu", "s", "k", "aS", "Delta"}, "omega enters only the US payoff"),
    "payoff RU": ({"mu", "s", "k", "aS", "Delta"}, "omega enters only the US payoff"),
}


def plain_truce_holds(v: dict[str, float]) -> bool:
    """Whether DOMAIN section 7 gives the plain truce (truce_aid) at `v`, with shares clipped to [0, 1]
    as the scenario clips them. Russia accepts it iff X_aid is at least its war payoff
    (p + mu - cR - s if sanctions are credible, k <= aS); Ukraine accepts it iff 1 - X_aid - eU is at
    least 1 - w - cU, w = p + mu (+ theta if the freeze is credible, omega*theta <= g + aF); and the US
    refuses Russia's counter-demand, since granting it costs omega*Delta + h when Russia would take the
    plain truce anyway."""
    x_aid = float(np.clip(truce_share(v, v["p"]), 0.0, 1.0))
    sanctions = v["s"] if v["k"] <= v["aS"] else 0.0
    russia = x_aid >= min(1.0, v["p"] + v["mu"]) - v["cR"] - sanctions
    freeze = v["theta"] if v["omega"] * v["theta"] <= v["g"] + v["aF"] else 0.0
    ukraine = 1 - x_aid - v["eU"] >= 1 - min(1.0, v["p"] + v["mu"] + freeze) - v["cU"]
    return bool(russia and ukraine and v["omega"] * v["Delta"] + v["h"] > 0)


def sobol_assumptions(v: dict[str, float], ranges: dict[str, tuple[float, float]]) -> list[str]:
    """What `DEPENDS` rests on over the Sobol box, the other parameters at `v`; [] if all hold."""
    C = v["cR"] + v["cU"]
    failed = []
    # the worst truce for Ukraine (mu, Delta at their lows, no credible freeze) against war at p + mu
    if v["eU"] > ranges["mu"][0] + (1 - v["beta"]) * C:
        failed.append("Ukraine would reject a truce somewhere in the box")
    # granting gives the US B + omega*(1 - X_frozen) - h, refusing omega*(1 - w) - g - min(k, aS)
    x_frozen = v["p"] - v["cR"] + v["beta"] * C
    w = min(1.0, v["p"] + ranges["mu"][0])
    if v["B"] - v["h"] + v["g"] + min(o * (w - x_frozen) for o in ranges["omega"]) < 0:
        failed.append("the US would refuse Russia's counter-demand somewhere in the box")
    return failed


def save_analysis(folder: Path, out: Path, result, scenario, title: str, options: list[str],
                  formats: tuple[str, ...]) -> None:
    """Write `result` to folder/sensitivity.json with the keys ``negosim sensitivity -o`` adds, then draw
    its figure into `out` with the command's own `plot_folder`."""
    import negosim
    from negosim.present.figures.sweep_plots import plot_folder

    folder.mkdir(parents=True, exist_ok=True)
    command = ["negosim", "sensitivity", str(SCENARIO.relative_to(ROOT)), *options, "-o", str(folder)]
    doc = {**result.to_dict(), "title": f"{scenario.title}: {title}", "negosim": negosim.__version__,
           "command": shlex.join(command), "scenario": {"path": scenario.path, "sha256": scenario.sha256}}
    (folder / "sensitivity.json").write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    plot_folder(folder, formats, out_dir=out)


def num(x: float) -> str:
    """A table cell: 4 significant digits."""
    return f"{x:.4g}"


def check_oat(r, v: dict[str, float], failures: list[str]) -> str:
    """Check the one-at-a-time result `r` against the closed forms at baseline `v`, appending to
    `failures`; return the markdown that reports it."""
    col = {n: i for i, n in enumerate(r.parameters)}
    p = col["p"]
    if r.flips[p].changes or {r.outcome_low[p], r.outcome_high[p]} != {r.baseline_outcome}:
        failures.append(f"moving p alone changes the outcome: {r.outcome_low[p]} at low, {r.outcome_high[p]} at high")
    plain, _ = mu_thresholds(v)
    near = r.flips[col["mu"]].above
    if near is None or (near.below, near.above) != ("truce_aid", "truce_frozen") or abs(near.value - plain) > TOL:
        failures.append(f"mu's nearest outcome change above baseline is {near}, closed form truce_aid -> "
                        f"truce_frozen at beta(cR + cU) + s - Delta = {plain!r}")
    no_swing = sorted((n for n in r.parameters if np.all(np.abs(r.swing[:, col[n]]) <= ZERO)), key=col.get)
    predicted = sorted((n for n in r.parameters if n not in TRUCE_PARAMETERS and all(
        plain_truce_holds({**v, n: float(end)}) for end in (r.low[col[n]], r.high[col[n]]))), key=col.get)
    if no_swing != predicted:
        failures.append(f"parameters with no swing: {no_swing}; the closed forms predict {predicted}")
    worst, truce_ends, other_ends = 0.0, 0, 0
    for n, i in col.items():
        for end, value, outcome, pays in (("low", r.low[i], r.outcome_low[i], r.payoffs_low[:, i]),
                                          ("high", r.high[i], r.outcome_high[i], r.payoffs_high[:, i])):
            at = {**v, n: float(value)}
            truce = plain_truce_holds(at)
            if truce != (outcome == "truce_aid"):
                failures.append(f"{n} at its {end} end ({value:g}): outcome {outcome}, but the closed forms "
                                f"{'give' if truce else 'rule out'} the plain truce")
            elif truce:
                closed = closed_form_payoffs(at, at["p"], clip=True)
                worst = max(worst, *(abs(pays[k] - closed[player]) for k, player in enumerate(r.players)))
                truce_ends += 1
            else:
                other_ends += 1
    if worst > TOL:
        failures.append(f"plain-truce payoffs at the ends differ from their closed forms by up to {worst:.3g}")

    most = np.where(np.isnan(r.swing), -np.inf, r.swing).max(axis=0)
    order = sorted(range(len(r.parameters)), key=lambda i: (not r.flips[i].changes, -most[i], r.parameters[i]))
    same = lambda outcome: "(same)" if outcome == r.baseline_outcome else outcome  # noqa: E731
    rows = [[f"`{r.parameters[i]}`", num(r.low[i]), num(r.baseline_values[i]), num(r.high[i]), same(r.outcome_low[i]),
             same(r.outcome_high[i]), *(num(s) for s in r.swing[:, i]), nearest_change(r.flips[i])] for i in order]
    payoffs = ", ".join(f"{q} {num(x)}" for q, x in zip(r.players, r.baseline_payoffs))
    return (
        f"One parameter at a time in the ceasefire scenario (`scenarios/ceasefire_2025.yaml`): each parameter "
        f"moved alone to the low and to the high end of its declared range, the others at baseline, as "
        f"`negosim sensitivity scenarios/ceasefire_2025.yaml` does. At baseline the outcome is "
        f"`{r.baseline_outcome}` and the payoffs are {payoffs}. A swing is a player's largest minus smallest "
        f"payoff over the parameter's low, baseline and high values; the nearest change is where, moving "
        f"that parameter alone, the outcome first changes (bisected).\n\n"
        + markdown_table(["parameter", "low", "base", "high", "outcome at low", "outcome at high",
                          *(f"swing {q}" for q in r.players), "nearest change"], rows)
        + "\nChecked against DOMAIN §7's closed forms:\n\n"
        "- Leverage `p` never changes the outcome: it cancels from every acceptance condition.\n"
        + (f"- Momentum `mu` first changes the outcome at {near.value:.10f}, where Russia stops accepting the "
           f"plain truce: closed form `beta(cR + cU) + s - Delta` = {plain:.6g} (difference "
           f"{near.value - plain:+.1e}).\n" if near is not None else "- Momentum `mu` NEVER changes the outcome.\n")
        + f"- The parameters that move no payoff are {', '.join(f'`{n}`' for n in no_swing)}: exactly those "
        f"outside the plain truce's payoffs (`X_aid = p - Delta - cR + beta(cR + cU)`; RU `X_aid`, UA "
        f"`1 - X_aid - eU`, US `B + omega(1 - X_aid)`) that leave it in place at both ends of their ranges. "
        f"`theta`, `g` and `aF` only decide whether the aid-freeze threat is credible, and Ukraine accepts "
        f"without it; `h` is the US's cost of granting Russia's counter-demand, which it refuses anyway.\n"
        f"- At the {truce_ends} range ends where the closed forms give the plain truce, the payoffs match them "
        f"(largest difference {worst:.1e}); at the other {other_ends} the outcome is not the plain truce, as "
        f"the closed forms say.\n"
    )


def nearest_change(flip) -> str:
    """The nearest outcome changes below and above baseline, as the table shows them."""
    parts = [f"{side} at {b.value:.6g} ({b.below} → {b.above}{', a tie' if b.tied else ''})"
             for side, b in (("below", flip.below), ("above", flip.above)) if b is not None]
    return "; ".join(parts) or ("at an end of the range" if flip.changes else "none in range")


def check_sobol(r, failures: list[str]) -> str:
    """Check the Sobol result `r` against `DEPENDS`, appending to `failures`; return the markdown that
    reports it."""
    if set(r.outputs) != set(DEPENDS):
        failures.append(f"Sobol outputs {list(r.outputs)}, expected {sorted(DEPENDS)}")
    checks = []
    for o, output in enumerate(r.outputs):
        depends, why = DEPENDS.get(output, (set(r.parameters), ""))
        free = [i for i, n in enumerate(r.parameters) if n not in depends]
        for i, n in enumerate(r.parameters):
            if n in depends and not r.total[o, i] > ZERO:
                failures.append(f"{output}: ST of {n} is {r.total[o, i]!r}; the closed forms make it depend on {n}")
            if n not in depends and max(abs(r.first[o, i]), abs(r.total[o, i])) > ZERO:
                failures.append(f"{output}: S1 and ST of {n} are {r.first[o, i]!r}, {r.total[o, i]!r}; the "
                                f"closed forms make {output} independent of {n}")
        if free:
            largest = max(max(abs(r.first[o, i]), abs(r.total[o, i])) for i in free)
            checks.append([output, ", ".join(f"`{r.parameters[i]}`" for i in free), why, f"{largest:.1e}"])

    def cells(values, conf):
        return [[f"`{n}`", *(f"{values[o, i]:.3f} ± {conf[o, i]:.3f}" for o in range(len(r.outputs)))]
                for i, n in enumerate(r.parameters)]

    ranges = ", ".join(f"`{n}` [{a:g}, {b:g}]" for n, (a, b) in r.ranges.items())
    shares = ", ".join(f"`{k}` {100 * s:.1f}%" for k, s in r.shares.items())
    head = ["parameter", *r.outputs]
    return (
        f"Sobol indices in the ceasefire scenario (`scenarios/ceasefire_2025.yaml`): {ranges} varied together, "
        f"uniformly, the other parameters at baseline; {r.settings['samples']} base samples "
        f"({r.n_evaluations} evaluations), seed {r.seed}, as `negosim sensitivity scenarios/ceasefire_2025.yaml "
        f"--method sobol --parameters {','.join(SOBOL_PARAMETERS)} --range omega=0:1 --samples "
        f"{r.settings['samples']}` computes them. Outcome shares of the samples: {shares}. Each cell is the "
        f"index ± its {round(100 * r.settings['confidence'])}% bootstrap half-width.\n\n"
        f"Total indices ST (the parameter with all its interactions):\n\n"
        + markdown_table(head, cells(r.total, r.total_conf))
        + "\nFirst-order indices S1 (the parameter alone; a small negative value is sampling noise around 0):\n\n"
        + markdown_table(head, cells(r.first, r.first_conf))
        + "\nChecked against DOMAIN §7's closed forms: in this box Ukraine accepts every truce and the US grants "
        "Russia's counter-demand whenever Russia would rather fight, so the outcome is Russia's choice. An "
        "output that cannot depend on a parameter has S1 = ST = 0 exactly (the largest of them is shown), and "
        "every other index ST is positive. (The conditions are written unclipped; Russia's war leverage p + mu is "
        "capped at 1, which moves the lines for mu > 1 - p but not the parameters they involve.)\n\n"
        + markdown_table(["output", "independent of", "why", "largest absolute S1 or ST"], checks)
    )


def assumptions(v: dict[str, float], ranges: dict[str, tuple[float, float]]) -> list[str]:
    """What the checks rest on: the plain truce at baseline, and `sobol_assumptions`; [] if all hold."""
    failed = [] if plain_truce_holds(v) else ["the closed forms do not give the plain truce at baseline"]
    return failed + sobol_assumptions(v, ranges)


def run(out: Path, *, quick: bool = False) -> tuple[dict[str, Path], list[str]]:
    """Run both analyses into `out`, draw their figures and write their tables; return ({docs name: file
    written}, failures)."""
    import negosim as ns
    from negosim.sweep import sensitivity

    samples = 64 if quick else 1024
    formats = ("png",) if quick else ("png", "svg")  # SVG only in a full run
    out.mkdir(parents=True, exist_ok=True)
    scenario = ns.load(SCENARIO)
    v = scenario.values()
    ranges = {n: SOBOL_RANGES.get(n, (scenario.parameters[n].low, scenario.parameters[n].high))
              for n in SOBOL_PARAMETERS}
    failures = [f"closed forms do not apply: {a}" for a in assumptions(v, ranges)]

    oat = sensitivity.oat(scenario)
    save_analysis(out / "oat", out, oat, scenario, "one parameter at a time", [], formats)
    sobol = sensitivity.sobol(scenario, samples=samples, seed=SEED, parameters=list(SOBOL_PARAMETERS),
                              ranges=SOBOL_RANGES)
    options = ["--method", "sobol", "--parameters", ",".join(SOBOL_PARAMETERS), "--range", "omega=0:1",
               "--samples", str(samples), "--seed", str(SEED)]
    save_analysis(out / "sobol", out, sobol, scenario, "Sobol indices", options, formats)

    written = write_table(out, "tornado.md", check_oat(oat, v, failures), ["tornado.png"])
    return {**written, **write_table(out, "sobol.md", check_sobol(sobol, failures), ["sobol.png"])}, failures


main = _common.entry(NAME, run, __doc__)


if __name__ == "__main__":
    sys.exit(main())
