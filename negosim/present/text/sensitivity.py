"""Plain-text tables of sensitivity analyses (`negosim.sweep.sensitivity`), for `negosim sensitivity`.

>>> from negosim.scenario import load_scenario
>>> from negosim.sweep.sensitivity import oat
>>> format_oat(oat(load_scenario("scenarios/ceasefire_2025.yaml"))).splitlines()[1]
'Baseline outcome: truce_aid; payoffs US 0.3275, UA 0.355, RU 0.545'
"""

from __future__ import annotations

import numpy as np

from ...sweep.sensitivity import Flip, IndicesResult, OatResult, _num


def format_oat(result: OatResult) -> str:
    """Return a plain-text table of a one-at-a-time result, outcome-changing parameters first, then by swing.

    Parameters
    ----------
    result : OatResult
        `negosim.sweep.sensitivity.oat`'s.

    Returns
    -------
    str

    Examples
    --------
    >>> from negosim.present.text.sensitivity import format_oat
    >>> from negosim.sweep.sensitivity import oat
    >>> from negosim.scenario import load_scenario
    >>> sc = load_scenario("scenarios/entry_deterrence.yaml")
    >>> row = format_oat(oat(sc, parameters=["rep"])).splitlines()[-1]
    >>> row.split()[:6], row.split("  ")[-1]
    (['rep', '0', '0', '10', '(same)', 'stay_out'], 'above at 2 (shared_market -> stay_out, a tie)')"""
    r = result
    lines = ["One at a time: each parameter moved alone to the low and high end of its range, the others at baseline.",
             f"Baseline outcome: {r.baseline_outcome}; {'payoffs' if r.output == 'payoff' else 'quantities'} "
             + ", ".join(f"{p} {_num(v)}" for p, v in zip(r.players, r.baseline_payoffs)),
             f"swing = a {'player' if r.output == 'payoff' else 'quantity'}'s largest minus smallest "
             f"{'payoff' if r.output == 'payoff' else 'value'} over the parameter's low, baseline and high values;",
             "nearest change = where, moving that parameter alone, the outcome first changes below/above its baseline.",
             ""]
    most = np.where(np.isnan(r.swing), -np.inf, r.swing).max(axis=0) if len(r.parameters) else np.array([])
    order = sorted(range(len(r.parameters)), key=lambda j: (not r.flips[j].changes, -most[j], r.parameters[j]))
    head = ["parameter", "low", "base", "high", "outcome at low", "outcome at high",
            *(f"swing {p}" for p in r.players), "nearest change"]
    body = []
    for j in order:
        same = lambda lab: "(same)" if lab == r.baseline_outcome else lab  # noqa: E731
        body.append([r.parameters[j], _num(r.low[j]), _num(r.baseline_values[j]), _num(r.high[j]),
                     same(r.outcome_low[j]), same(r.outcome_high[j]), *(_num(s) for s in r.swing[:, j]),
                     _flip_text(r.flips[j])])
    lines += _table(head, body, right={1, 2, 3, *range(6, 6 + len(r.players))})
    return "\n".join(lines + _note_lines(r.notes))


def format_indices(result: IndicesResult) -> str:
    """Return plain-text tables of global indices, one per output, parameters by importance.

    Parameters
    ----------
    result : IndicesResult
        Sobol or Morris indices (`negosim.sweep.sensitivity.sobol`, `morris`).

    Returns
    -------
    str

    Examples
    --------
    >>> from negosim.present.text.sensitivity import format_indices
    >>> from negosim.sweep.sensitivity import morris
    >>> from negosim.scenario import load_scenario
    >>> sc = load_scenario("scenarios/entry_deterrence.yaml")
    >>> text = format_indices(morris(sc, parameters=["rep", "d"], trajectories=4, seed=1))
    >>> text.splitlines()[0].startswith("Morris")
    True"""
    r = result
    conf = f"{round(100 * r.settings.get('confidence', 0.95))}%"
    if r.method == "sobol":
        lines = [f"Sobol' indices: {r.settings['samples']} base samples, {r.n_evaluations} evaluations, seed {r.seed}.",
                 "S1 = share of the output's variance due to the parameter alone; ST includes its interactions;",
                 f"+- = {conf} bootstrap half-width. Sorted by ST."]
        if (r.first < 0).any():
            lines.append("A small negative S1 is sampling noise around 0.")
        heads = ["S1", "+-", "ST", "+-"]
    else:
        lines = [f"Morris screening: {r.settings['trajectories']} trajectories, {r.settings['levels']} levels, "
                 f"{r.n_evaluations} evaluations, seed {r.seed}.",
                 "mu* = mean absolute change of the output when the parameter moves its whole range (elementary",
                 "effects); mu = the same with signs; sigma = their spread (nonlinearity or interactions);",
                 f"+- = {conf} bootstrap half-width of mu*. Sorted by mu*."]
        heads = ["mu*", "+-", "mu", "sigma"]
    lines.append("Ranges: " + ", ".join(f"{n} [{_num(a)}, {_num(b)}]" for n, (a, b) in r.ranges.items()))
    if r.shares:
        lines.append("Outcome shares: " + ", ".join(f"{k} {100 * v:.1f}%" for k, v in r.shares.items()))
    for o, name in enumerate(r.outputs):
        if r.method == "sobol":
            cols = [r.first[o], r.first_conf[o], r.total[o], r.total_conf[o]]
        else:
            assert r.mean_effect is not None  # Morris results carry it
            cols = [r.first[o], r.first_conf[o], r.mean_effect[o], r.total[o]]
        key = r.total[o] if r.method == "sobol" else r.first[o]
        order = sorted(range(len(r.parameters)), key=lambda j: (-key[j], r.parameters[j]))
        body = [[r.parameters[j], *(f"{c[j]:.3f}" if r.method == "sobol" else _num(c[j]) for c in cols)]
                for j in order]
        lines += ["", name]
        lines += ["  " + t for t in _table(["parameter", *heads], body, right={1, 2, 3, 4})]
    if not r.outputs:
        lines += ["", "No output varies over the samples: nothing to attribute."]
    return "\n".join(lines + _note_lines(r.notes))


def _flip_text(f: Flip) -> str:
    parts = []
    for side, b in (("below", f.below), ("above", f.above)):
        if b is not None:
            tie = ", a tie" if b.tied else ""
            if b.below == b.above:  # the outcome differs at that value only (players indifferent there)
                parts.append(f"{side} at {b.value:.6g} only ({b.below} on both sides{tie})")
            else:
                parts.append(f"{side} at {b.value:.6g} ({b.below} -> {b.above}{tie})")
    if not parts:
        return "at an end of the range" if f.changes else "none in range"
    return "; ".join(parts)


def _table(head: list[str], body: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(str(row[k])) for row in [head, *body]) for k in range(len(head))]

    def line(row):
        cells = [str(c).rjust(w) if k in right else str(c).ljust(w) for k, (c, w) in enumerate(zip(row, widths))]
        return "  ".join(cells).rstrip()

    return [line(head), line(["-" * w for w in widths]), *(line(r) for r in body)]


def _note_lines(notes) -> list[str]:
    return (["", "Notes:"] + [f"  - {n}" for n in notes]) if notes else []


__all__ = ["format_indices", "format_oat"]
