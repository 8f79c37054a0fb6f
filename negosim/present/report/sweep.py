"""The handout's sensitivity section: one named sweep, solved as one batch and drawn.

The sweep is the one asked for (`report --sweep NAME`) or, by default, the first named sweep along
which the outcome changes (a figure in which nothing happens teaches least), else the first.

The regime at a point is `negosim.sweep`'s outcome label: a tree's subgame-perfect outcome, a
normal form's set of pure equilibria ("mixed only" where there is none). The payoffs drawn are those
of the subgame-perfect equilibrium, of the unique equilibrium, or of the one mixed equilibrium of a
2-player game that has several (chicken, stag hunt), as the caption says. Where the regime changes
between neighbouring grid points, `negosim.sweep.locate_boundaries` finds the value by bisection.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..text import fmt_number


@dataclass(frozen=True)
class SweepOutcomes:
    """The regime (a string) and every player's payoff at each point of a one-parameter grid."""

    parameter: str
    values: np.ndarray
    outcomes: np.ndarray  # (n,) object: regime key per point
    payoffs: dict[str, np.ndarray]  # player -> (n,)
    labels: dict[str, str]  # regime key -> readable label
    payoff_note: str  # which equilibrium the payoffs are those of


def _axis(spec):
    name, (lo, hi, num) = next(iter(spec.vary.items()))
    return spec, name, np.linspace(lo, hi, int(num))


def choose_sweep(scenario, name: str | None = None):
    """Return (sweep spec, parameter, grid) of the sweep to show, or None when the scenario has none.

    `name` picks a named sweep (UsageError if there is no such sweep); by default the first sweep
    whose first parameter changes the outcome somewhere on its grid, else the first sweep.
    """
    from ...errors import UsageError

    sweeps = {} if scenario is None else scenario.sweeps
    if name is not None:
        if name not in sweeps:
            known = ", ".join(sweeps) if sweeps else "none"
            raise UsageError(f"--sweep {name}: the scenario has no sweep named {name!r} (its sweeps: {known})")
        return _axis(sweeps[name])
    if not sweeps:
        return None
    from ...sweep.boundaries import game_outcome_labels, outcome_labels

    for spec in sweeps.values():
        found = _axis(spec)
        if scenario.form == "repeated":  # the profiles grim trigger sustains
            labels = outcome_labels(scenario, {found[1]: found[2]})
        else:
            labels = game_outcome_labels(scenario.build({found[1]: found[2]}), scenario.ties)
        if len(set(np.asarray(labels, dtype=object).reshape(-1).tolist())) > 1:
            return found
    return _axis(next(iter(sweeps.values())))


def sweep_outcomes(scenario, name: str, grid: np.ndarray) -> SweepOutcomes:
    """Solve the scenario on `grid` for parameter `name` (others at the scenario's values) in one batch.

    Regimes and the concept solved are `negosim.solve.primary`'s (so boundaries can be located exactly).
    """
    from ...solve.primary import label_names, outcome_labels, primary_solution

    game = scenario.build({name: grid})
    sol = primary_solution(game)
    outcomes = np.asarray(outcome_labels(game, solution=sol), dtype=object).reshape(-1)
    if scenario.form == "repeated":  # the regime is what grim trigger sustains; payoffs stay the stage game's
        from ...scenario.repeated_analysis import repeated_labels

        outcomes = np.asarray(repeated_labels(scenario, {name: grid}), dtype=object).reshape(-1)
    n = grid.shape[0]
    if hasattr(game, "nodes"):
        rows = np.searchsorted(sol.point, np.arange(n))  # the tie rules' equilibrium at each point
        note = "in the subgame-perfect equilibrium"
    else:
        pure = np.all([s.max(axis=1) == 1.0 for s in sol.strategies], axis=0)
        counts = np.bincount(sol.point, minlength=n)
        mixed_counts = np.bincount(sol.point[~pure], minlength=n)
        if np.all(counts == 1):
            rows, note = np.searchsorted(sol.point, np.arange(n)), "in the equilibrium"
        elif np.all(mixed_counts == 1):
            mixed = np.flatnonzero(~pure)
            rows, note = mixed[np.argsort(sol.point[mixed], kind="stable")], "expected, in the mixed equilibrium"
        else:
            rows, note = np.searchsorted(sol.point, np.arange(n)), "in the first equilibrium listed at each point"
    labels = label_names(game, sorted(set(outcomes)))
    payoffs = {p: sol.payoffs[rows, i] for i, p in enumerate(game.players)}
    return SweepOutcomes(name, grid, outcomes, payoffs, dict(sorted(labels.items())), note)


def regime_changes(scenario, result: SweepOutcomes) -> list[tuple[float, str, str]]:
    """Return (value, regime below, regime above) wherever the regime changes along the grid.

    Each change between two grid points is located by `negosim.sweep.locate_boundaries` (bisection).
    """
    from ...sweep import locate_boundaries

    change = np.flatnonzero(result.outcomes[1:] != result.outcomes[:-1])
    if change.size == 0:
        return []
    v = result.values
    exact = locate_boundaries(scenario, result.parameter, v[change], v[change + 1])
    return [(x, str(result.outcomes[k]), str(result.outcomes[k + 1])) for x, k in zip(exact, change)]


def sensitivity_html(source, sweep: str | None = None) -> list[str]:
    """The sensitivity section: the chosen sweep's figure and caption (`choose_sweep`), or a note why there is none."""
    scenario = source.scenario
    found = choose_sweep(scenario, sweep)
    if found is None:
        return ['<p class="note">This scenario declares no named sweep, so there is no sensitivity figure. '
                "Add one under <code>sweeps:</code> in the scenario file.</p>"]
    spec, name, grid = found
    result = sweep_outcomes(scenario, name, grid)
    changes = regime_changes(scenario, result)
    param = scenario.parameters[name]
    from ..figures import outcome_figure
    from ..figures.outcome import WORDS
    from .game import figure_html

    # A repeated game's labels are the profiles grim trigger sustains, not the stage game's equilibria.
    repeated = scenario.form == "repeated"
    fig = outcome_figure(
        name, grid, result.outcomes, result.payoffs,
        boundaries=changes, labels=result.labels, unit=param.unit,
        title=f"Sweep '{spec.name}': varying {name}",
        words=(WORDS[0], WORDS[1], "profiles grim trigger sustains") if repeated else None,
    )
    caption = [f"Sweep \u2018{spec.name}\u2019"]
    if spec.description:
        caption.append(f": {spec.description}")
    what = "The profiles grim trigger sustains" if repeated else "The equilibrium outcome"
    caption.append(f" {what} and each player's payoff ({result.payoff_note}) as {name} "
                   f"({param.description.rstrip('.')}) runs from {fmt_number(grid[0])} to {fmt_number(grid[-1])} "
                   f"in {grid.size} steps; every other parameter is at its value in the table "
                   f"({name} = {fmt_number(param.value)} there).")
    if len(spec.vary) > 1:
        others = ", ".join(list(spec.vary)[1:])
        caption.append(f" This sweep also varies {others}; the figure varies {name} only.")
    if changes:
        where = "; ".join(f"{name} = {fmt_number(round(v, 6))} ({below} \u2192 {above})"
                          for v, below, above in changes)
        caption.append(f" The outcome changes at {where}.")
    else:
        caption.append(" The outcome is the same over the whole range.")
    return figure_html(fig, "".join(caption), "sweep-")
