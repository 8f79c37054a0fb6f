"""What the experiment scripts share: their command line, publishing to docs/figures/, markdown tables,
fresh sweep folders, checking bisected boundaries against closed forms, running and drawing a regime
map, reading a one-parameter sweep and clipping a line to a plot's box.

An experiment module defines ``run(out, *, quick) -> ({docs name: file written}, failures)`` and
makes its ``main`` with `entry`, which parses ``--out DIR``, ``--quick`` and ``--docs | --check``, runs
it, copies or compares the files and returns the exit code. The scripts import this module as
``_common``: their folder is on sys.path when Python runs one of them, or when run_all.py (which
loads them by path) is imported.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "figures"
OUT = ROOT / "experiments" / "out"
TOL = 1e-8  # boundaries are bisected to 1e-9

#: An experiment: run into a folder (coarse grids if `quick`); return ({docs name: file}, failures).
Run = Callable[..., tuple[dict[str, Path], list[str]]]


def arguments(doc: str, out: Path, argv: Sequence[str] | None = None, *,
              out_help: str = "output folder") -> argparse.Namespace:
    """Parse ``--out DIR`` (default `out`), ``--quick`` and ``--docs | --check``; `doc`'s first line is the
    description. Exits 2 (argparse's usage error) if ``--quick`` comes with ``--docs`` or ``--check``."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--out", type=Path, default=out, help=out_help)
    parser.add_argument("--quick", action="store_true", help="coarse grids (for tests); boundaries are still bisected")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--docs", action="store_true", help="also copy the figures and tables to docs/figures/")
    group.add_argument("--check", action="store_true", help="exit 1 if the copies in docs/figures/ are out of date")
    args = parser.parse_args(argv)
    if args.quick and (args.docs or args.check):
        parser.error("--docs and --check compare or publish the full run: drop --quick")
    return args


def main(argv: Sequence[str] | None, *, name: str, run: Run, doc: str) -> int:
    """Run the experiment `name` from the command line `argv`; return 0, or 1 if it found a mismatch
    with its closed forms or (with ``--check``) a stale copy in docs/figures/."""
    args = arguments(doc, OUT / name, argv)
    started = time.perf_counter()
    written, failures = run(args.out, quick=args.quick)
    stale = publish(written, args.check) if args.docs or args.check else []
    print(f"{name}: wrote {args.out}/ ({', '.join(written)})" + (f", copied to {DOCS}/" if args.docs else ""))
    for f in failures:
        print(f"MISMATCH: {f}", file=sys.stderr)
    for s in stale:
        print(f"out of date: {s} (run python experiments/{name}.py --docs)", file=sys.stderr)
    print(f"{name}: {'ok' if not failures else 'FAILED'} in {time.perf_counter() - started:.1f} s")
    return 1 if failures or stale else 0


def entry(name: str, run: Run, doc: str) -> Callable[..., int]:
    """The ``main(argv=None) -> int`` of the experiment `name`: `main` with its name, run and docstring."""
    def experiment_main(argv: Sequence[str] | None = None) -> int:
        return main(argv, name=name, run=run, doc=doc)

    experiment_main.__doc__ = f"Run {name} with the command line `argv` (see its docstring); return the exit code."
    return experiment_main


def publish(written: dict[str, Path], check: bool, docs: Path = DOCS) -> list[str]:
    """Copy the files to `docs` under their names (or, with `check`, list those whose copy there differs)."""
    stale = []
    for name, path in written.items():
        target = docs / name
        if check:
            if not target.exists() or target.read_bytes() != path.read_bytes():
                stale.append(str(target))
        else:
            docs.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    return stale


def write_table(out: Path, name: str, text: str, figures: Sequence[str]) -> dict[str, Path]:
    """Write `text` to out/`name`; return {docs name: file} for the `figures` (already in `out`) and it."""
    (out / name).write_text(text, encoding="utf-8")
    return {n: out / n for n in (*figures, name)}


def values_list(v: dict[str, float], names: Sequence[str], baseline: dict[str, float] | None = None,
                sep: str = "\n") -> str:
    """The values of `names` in `v`, as markdown bullets (or, with `sep` ", ", inline), each with its
    `baseline` value in brackets where it differs."""
    def item(k: str) -> str:
        moved = baseline is not None and baseline[k] != v[k]
        return f"`{k}` = {v[k]:g}" + (f" (baseline {baseline[k]:g})" if moved else "")

    return sep.join(("- " if sep == "\n" else "") + item(k) for k in names)


def fresh(folder: Path) -> Path:
    """`folder`, with any sweep an earlier run left there removed (a sweep folder is never reused)."""
    if (folder / "sweep.json").exists():
        shutil.rmtree(folder)
    return folder


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    """A GitHub markdown table; columns whose cells are all numbers (or "—") are right-aligned."""
    def number(cell: str) -> bool:
        try:
            float(cell.replace("−", "-"))
            return True
        except ValueError:
            return cell == "—"

    align = ["---:" if rows and all(number(r[i]) for r in rows) else "---" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows]) + "\n"


def boundary_table(row: str, swept: str, rows: list[list[str]]) -> str:
    """The markdown table of bisected boundaries in `swept` at several values of `row`: each row holds the
    row's value, the outcomes below → above, the closed form and the cells of `compare_boundaries`."""
    return markdown_table([row, "outcome below → above", "closed form", f"closed-form {swept}", f"bisected {swept}",
                           "difference"], rows)


def read_results(result, parameter: str, players) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """(parameter values, outcomes, {player: payoffs}) of a one-parameter sweep of a tree (one row per point),
    from the `negosim.SweepResult`'s table."""
    frame = result.to_frame().sort_values(parameter, kind="stable")
    outcomes = np.array(frame["outcome"].tolist(), dtype=object)
    return frame[parameter].to_numpy(), outcomes, {p: frame[f"payoff_{p}"].to_numpy() for p in players}


def segment(intercept: float, slope: float, xlim: tuple[float, float], ylim: tuple[float, float]):
    """The part of the line y = intercept + slope*x inside the box, as (x, y) arrays (None if outside)."""
    x0, x1 = xlim
    if slope:
        ends = sorted(((ylim[0] - intercept) / slope, (ylim[1] - intercept) / slope))
        x0, x1 = max(x0, ends[0]), min(x1, ends[1])
    elif not ylim[0] <= intercept <= ylim[1]:
        return None
    if x1 <= x0:
        return None
    x = np.array([x0, x1])
    return x, intercept + slope * x


def compare_boundaries(found, expected: list[tuple[float, str, str]], where: str, failures: list[str],
                       tol: float = TOL) -> list[tuple[str, str, list[str]]] | None:
    """Check the boundaries a sweep bisected (`found`) against the closed forms `expected`, as (value,
    outcome below, outcome above), appending to `failures` if the outcome changes differ or a value is
    off by more than `tol`. Return per boundary (below, above, [closed-form value, bisected value,
    difference] as table cells), or None if the outcome changes differ."""
    if [e[1:] for e in expected] != [(b.below, b.above) for b in found]:
        failures.append(f"{where}: boundaries {found} differ from the closed forms {expected}")
        return None
    rows = []
    for (value, below, above), b in zip(expected, found):
        if abs(b.value - value) > tol:
            failures.append(f"{where}: {below} -> {above} at {b.value!r}, closed form {value!r}")
        rows.append((below, above, [f"{value:.6g}", f"{b.value:.10f}", f"{b.value - value:+.1e}"]))
    return rows


def sweep_map(scenario, folder: Path, x: tuple[str, float, float, int], y: tuple[str, float, float, int],
              overrides: dict[str, float] | None = None) -> tuple[np.ndarray, ...]:
    """Run the grid sweep of x = (name, low, high, points) by y into `folder` (emptied first); return the
    x and y axes, and the outcome labels with the x and y values of each point, flat in the sweep's order."""
    labels = scenario.sweep({x[0]: x[1:], y[0]: y[1:]}, overrides=overrides, out=fresh(folder)).labels
    x_axis, y_axis = np.linspace(*x[1:]), np.linspace(*y[1:])
    xg, yg = (a.reshape(-1) for a in np.meshgrid(x_axis, y_axis, indexing="ij"))
    return x_axis, y_axis, labels, xg, yg


def save_map(path: Path, formats: Sequence[str], scenario, x: str, x_axis: np.ndarray, y: str, y_axis: np.ndarray,
             labels: np.ndarray, **kwargs) -> None:
    """Draw the regime map of the flat `labels` over the x and y axes with the scenario's outcome names and
    parameter descriptions and units (`kwargs` to `regime_map_figure`: overlays, title, order), and save it
    as `path`.<fmt>."""
    from negosim.present.figures.regime_map import regime_map_figure
    from negosim.present.figures.save import save_figure

    params = scenario.parameters
    fig = regime_map_figure(x, x_axis, y, y_axis, labels.reshape(len(x_axis), len(y_axis)),
                            names={o.id: o.label for o in scenario.game.outcomes},
                            x_unit=params[x].unit, y_unit=params[y].unit, x_description=params[x].description,
                            y_description=params[y].description, **kwargs)
    for fmt in formats:
        save_figure(fig, path.with_name(f"{path.name}.{fmt}"))


def map_agreement(labels: np.ndarray, expected: np.ndarray, on_line: np.ndarray, failures: list[str], *, grid: str,
                  regions: str = "the closed-form regions", boundary: str = "a boundary",
                  who: str = "a player") -> str:
    """Check a map's `labels` against the closed-form `expected` ones off the boundaries (`on_line`, where
    `who` is indifferent and the tie rules decide), appending to `failures` if a point differs; return
    the sentence that says so, for the map `grid` (e.g. "301 × 301 map")."""
    wrong = int(np.sum((labels != expected) & ~on_line))
    if wrong:
        failures.append(f"{wrong} grid points of the {grid} are not in their closed-form region")
    return (f"\nThe {grid} agrees with {regions} at every grid point"
            + (f" ({int(on_line.sum())} points lie on {boundary}, where {who} is indifferent and the tie rules "
               "decide)" if on_line.any() else "")
            + ("." if not wrong else f" except {wrong}."))
