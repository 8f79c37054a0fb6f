"""Figures of a finished sweep or sensitivity analysis, drawn from its folder alone (no solving).

`negosim sweep` calls `plot_folder` when it finishes and `negosim plot DIR` calls it again later,
so the figures always come from the saved results:

- a one-parameter sweep: the outcome against the parameter (`outcome-<name>`), every equilibrium
  branch drawn, the boundaries bisected by the sweep marked with their values;
- a two-parameter grid: the regime map (`regime-map-<x>-<y>`);
- a grid of three or more parameters, or a Latin-hypercube / Sobol design: the share of each
  outcome across each parameter's range (`outcome-shares`);
- a sensitivity folder (`sensitivity.json`): the tornado (`tornado`) or the Sobol / Morris indices
  (`sobol`, `morris`).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ...errors import UsageError


def plot_folder(folder, formats=("png",), *, out_dir=None) -> list[Path]:
    """Draw the figures of the sweep or sensitivity analysis saved in `folder`, in each of `formats`,
    into `out_dir` (default: `folder`); return the paths written.

    Parameters
    ----------
    folder : str or Path
        A finished sweep's or sensitivity analysis's folder.
    formats : sequence of str
        ``"png"``, ``"svg"``, ``"pdf"``.
    out_dir : str or Path, optional
        Where to write (default: `folder`).

    Returns
    -------
    list of Path

    Raises
    ------
    DamagedFolderError
        For a file that does not match the checksums its manifest recorded.

    Examples
    --------
    >>> from negosim.present.figures.sweep_plots import plot_folder
    >>> import pathlib, tempfile
    >>> import negosim as ns
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = ns.load("scenarios/entry_deterrence.yaml").sweep({"rep": (0, 4, 5)}, out=folder)
    >>> [p.name for p in plot_folder(folder, ("svg",))]
    ['outcome-rep.svg']"""
    folder = Path(folder)
    out = Path(out_dir) if out_dir is not None else folder
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder")
    if (folder / "sensitivity.json").exists():
        try:
            figures: list[tuple[str, object]] = list(sensitivity_figures(folder))
        except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
            from ...sweep.identity import DamagedFolderError

            raise DamagedFolderError(folder / "sensitivity.json", f"damaged ({type(exc).__name__}: {exc}); run the "
                                     "analysis again") from None
    elif (folder / "sweep.json").exists():
        figures = sweep_drawings(folder)
    else:
        raise UsageError(f"{folder}: holds no sweep (sweep.json) or sensitivity analysis (sensitivity.json)")
    out.mkdir(parents=True, exist_ok=True)
    from .regime_content import RegimeMapContent

    paths = []
    for stem, drawing in figures:
        fig = None
        for fmt in formats:
            path = out / f"{stem}.{fmt}"
            if isinstance(drawing, RegimeMapContent) and fmt == "png":
                # painted with numpy and Pillow: the PNG without importing matplotlib
                from ...io.atomic import write_atomic
                from .regime_png import paint_png

                write_atomic(path, paint_png(drawing).png)
            else:
                from .save import save_figure

                if fig is None:
                    fig = _as_figure(drawing)
                save_figure(fig, path)
            paths.append(path)
    return paths


def _as_figure(drawing):
    """A figure to save: `drawing` itself, or the matplotlib painting of a regime map's content."""
    from .regime_content import RegimeMapContent

    if isinstance(drawing, RegimeMapContent):
        from .regime_map import paint_figure

        return paint_figure(drawing)
    return drawing


def _read_json(path: Path, hint: str) -> dict:
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise UsageError(f"{path.parent}: {path.name} is missing; {hint}") from None
    except ValueError as exc:
        raise UsageError(f"{path}: not valid JSON ({exc})") from None


def sweep_figures(folder: Path) -> list[tuple[str, object]]:
    """The (file stem, Figure) pairs of the sweep saved in `folder` (see the module docstring).

    Nothing is drawn from a file that does not match the checksums ``manifest.json`` recorded for it
    (`negosim.sweep.output.verified_path`): a damaged folder is one DamagedFolderError naming the file.

    Parameters
    ----------
    folder : Path
        A finished sweep's folder.

    Returns
    -------
    list of tuple
        ``(file stem, Figure)`` per figure.

    Examples
    --------
    >>> from negosim.present.figures.sweep_plots import sweep_figures
    >>> import pathlib, tempfile
    >>> import negosim as ns
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = ns.load("scenarios/entry_deterrence.yaml").sweep({"rep": (0, 4, 5)}, out=folder)
    >>> [stem for stem, _ in sweep_figures(folder)]
    ['outcome-rep']
    """
    return [(stem, _as_figure(drawing)) for stem, drawing in sweep_drawings(folder)]


def sweep_drawings(folder: Path) -> list[tuple[str, object]]:
    """The (file stem, drawing) pairs of the sweep saved in `folder`, as `sweep_figures`, except that a
    regime map is its `RegimeMapContent` (what both its painters draw), not yet a `Figure`.

    `plot_folder` paints such content as a PNG without importing matplotlib; the other figures (one
    parameter, outcome shares) are matplotlib `Figure` objects already.

    Parameters
    ----------
    folder : Path
        A finished sweep's folder (``sweep.json``, ``summary.json``, ``points.npz``, ``manifest.json``).

    Returns
    -------
    list of tuple
        ``(file stem, drawing)`` per figure, the drawing a `RegimeMapContent` or a `Figure`.

    Raises
    ------
    DamagedFolderError
        For a file that does not match the checksums its manifest recorded, or points that do not match
        the sweep's record.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import negosim as ns
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = ns.load("scenarios/entry_deterrence.yaml").sweep({"rep": (0, 4, 5), "e": (0, 2, 3)}, out=folder)
    >>> [(stem, type(drawing).__name__) for stem, drawing in sweep_drawings(folder)]
    [('regime-map-rep-e', 'RegimeMapContent')]
    """
    from ...sweep.identity import DamagedFolderError, read_record
    from ...sweep.output import finished_files, read_point_codes, verified_path

    identity = read_record(folder)
    files = finished_files(folder)
    summary_path = verified_path(folder, "summary.json", files)
    summary = json.loads(summary_path.read_text())
    label_names, codes, values = read_point_codes(folder, files)
    if len(codes) != summary.get("points"):
        raise DamagedFolderError(folder / "points.npz", f"holds {len(codes):,} points where summary.json counts "
                                 f"{summary.get('points')}")
    vary = {n: (a, b, k) for n, a, b, k in identity.vary}
    names = list(vary)
    design = identity.design
    outcome_names = summary.get("outcome_names", {})
    params = summary.get("parameters", {})
    title = summary.get("scenario", {}).get("title")
    if design == "grid":
        axes = [np.linspace(a, b, int(n or 2)) for a, b, n in vary.values()]  # a grid always has its counts
        if len(names) == 2 and not values and len(codes) == len(axes[0]) * len(axes[1]):
            # The regime map reads the compact codes: no meshgrid of values, no label per point.
            from .regime_content import regime_map_content

            x, y = names
            fig = regime_map_content(x, axes[0], y, axes[1], (label_names, codes.reshape(len(axes[0]), len(axes[1]))),
                                    names=outcome_names, title=title, x_unit=params.get(x, {}).get("unit"),
                                    y_unit=params.get(y, {}).get("unit"), order=summary.get("outcome_order", ()),
                                    x_description=params.get(x, {}).get("description", ""),
                                    y_description=params.get(y, {}).get("description", ""),
                                    legend_title=summary.get("outcome_kind", "equilibrium outcome"),
                                    kinds=_map_kinds(folder, summary, axes))
            return [(f"regime-map-{x}-{y}", fig)]
        if not values:
            mesh = np.meshgrid(*axes, indexing="ij")
            values = {k: m.reshape(-1) for k, m in zip(names, mesh)}
    labels = label_names.astype(object)[codes]
    if set(values) != set(names) or any(len(v) != len(labels) for v in values.values()):
        raise DamagedFolderError(folder / "points.npz", "its parameter values do not match sweep.json")
    if len(names) == 1:
        (name,) = names
        return [(f"outcome-{name}", _outcome_figure(folder, name, values[name], labels, summary, title))]
    if design == "grid" and len(names) == 2:
        from .regime_content import regime_map_content

        x, y = names
        fig = regime_map_content(x, axes[0], y, axes[1], labels.reshape(len(axes[0]), len(axes[1])),
                                names=outcome_names, title=title, x_unit=params.get(x, {}).get("unit"),
                                y_unit=params.get(y, {}).get("unit"), order=summary.get("outcome_order", ()),
                                x_description=params.get(x, {}).get("description", ""),
                                y_description=params.get(y, {}).get("description", ""),
                                legend_title=summary.get("outcome_kind", "equilibrium outcome"),
                                kinds=_map_kinds(folder, summary, axes))
        return [(f"regime-map-{x}-{y}", fig)]
    from .shares import outcome_share_figure

    ranges = {k: (float(v[0]), float(v[1])) for k, v in vary.items()}
    bins = 10 if design != "grid" else max(2, min(10, min(int(v[2] or 2) for v in vary.values())))
    fig = outcome_share_figure(values, labels, ranges=ranges, bins=bins, names=outcome_names, title=title,
                               order=summary.get("outcome_order", ()),
                               legend_title=summary.get("outcome_kind", "equilibrium outcome"))
    return [("outcome-shares", fig)]


def _outcome_figure(folder: Path, name: str, values: np.ndarray, labels: np.ndarray, summary: dict,
                    title: str | None):
    """The one-parameter figure: each point's label, and from the result table every equilibrium's payoffs
    as branches (at each point the rows in order of their outcome, so a branch keeps its identity)."""
    from . import outcome_figure

    players = summary.get("players", [])
    from ...sweep.output import read_columns

    # A bargaining sweep (negosim.sweep.bargain_sweep) draws its model's quantities instead of payoffs.
    quantities = summary.get("quantities")
    columns = list(quantities) if quantities else [f"payoff_{p}" for p in players]
    if quantities:
        players = list(quantities)

    rows: dict[int, list[tuple[str, list[float]]]] = {}
    found = read_columns(folder, ["point", "outcome", *columns])
    table = np.column_stack([found[c] for c in columns]) if columns else np.zeros((len(found["point"]), 0))
    for point, outcome, pay in zip(found["point"].tolist(), found["outcome"].tolist(), table.tolist()):
        rows.setdefault(point, []).append((outcome, pay))
    n = len(values)
    k = max((len(v) for v in rows.values()), default=1)
    pays = {p: np.full((n, k), np.nan) for p in players}
    for i, eqs in rows.items():
        for j, (_, pay) in enumerate(sorted(eqs, key=lambda e: e[0])):
            for pi, p in enumerate(players):
                pays[p][i, j] = pay[pi]
    order = np.argsort(values, kind="stable")
    bounds = [(b["value"], b["below"], b["above"]) for b in summary.get("boundaries", [])]
    meta = summary.get("parameters", {}).get(name, {})
    fig = outcome_figure(name, values[order], labels[order], {p: v[order] for p, v in pays.items()},
                          boundaries=bounds, labels=summary.get("outcome_names", {}), unit=meta.get("unit"),
                          title=title, order=summary.get("outcome_order", ()),
                          words=_outcome_words(summary, bool(quantities)))
    if "kinds" in summary:  # a signalling game (negosim.sweep.kinds)
        from .kinds_overlay import mark_kinds_line

        kinds = [(b["value"], b["below"], b["above"]) for b in summary.get("kind_boundaries", [])]
        mark_kinds_line(fig.axes[0], kinds, float(values[order][0]), float(values[order][-1]))
    return fig


def _map_kinds(folder: Path, summary: dict, axes: list[np.ndarray]) -> np.ndarray | None:
    """A signalling game's kinds (the result table's ``pbe_kind``) on the regime map's grid, else None."""
    if "kinds" not in summary:
        return None
    from ...sweep.kinds import KIND_COLUMN, point_kinds
    from ...sweep.output import read_columns

    kinds = point_kinds(read_columns(folder, ["point", KIND_COLUMN]), int(summary["points"]))
    return kinds.reshape(len(axes[0]), len(axes[1]))


def _outcome_words(summary: dict, quantities: bool) -> tuple[str, str, str] | None:
    """The one-parameter figure's y-axis label and legend titles when the labels are no game's equilibria."""
    if quantities:
        return f"{summary.get('model')} quantities", "quantity", "regime"
    if summary.get("outcome_kind") == "profiles grim trigger sustains":
        from .outcome import WORDS

        return WORDS[0], WORDS[1], "profiles grim trigger sustains"
    return None


def sensitivity_figures(folder: Path) -> list[tuple[str, object]]:
    """The (file stem, Figure) pairs of the sensitivity analysis saved in `folder`.

    Parameters
    ----------
    folder : Path
        The folder ``negosim sensitivity -o`` wrote.

    Returns
    -------
    list of tuple
        ``(file stem, Figure)`` per figure: the tornado, and the indices of a global analysis.

    Raises
    ------
    NegosimUsageError
        When the folder holds no ``sensitivity.json``.

    Examples
    --------
    >>> import contextlib, io, pathlib, tempfile
    >>> from negosim.cli import main
    >>> from negosim.present.figures.sweep_plots import sensitivity_figures
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    ...     code = main(["sensitivity", "scenarios/entry_deterrence.yaml", "--parameters", "rep,d", "-o", str(folder)])
    >>> code, [stem for stem, _ in sensitivity_figures(folder)]
    (0, ['tornado'])
    """
    data = _read_json(folder / "sensitivity.json", "")
    method = data.get("method")
    title = data.get("title")
    if method == "oat":
        from .tornado import tornado_figure

        game = data.get("output", "payoff") == "payoff"  # else a bargaining model's quantities
        who, what = ("players", "payoffs") if game else ("quantities", "quantities")
        fig = tornado_figure(data["parameters"], _floats(data["low"]), _floats(data["high"]),
                             _floats(data[f"{what}_low"]), _floats(data[f"{what}_high"]),
                             _floats(data[f"baseline_{what}"]),
                             [f"payoff of {p}" if game else p for p in data[who]],
                             outcome_low=data["outcome_low"],
                             outcome_high=data["outcome_high"], baseline_outcome=data["baseline_outcome"],
                             title=title)
        return [("tornado", fig)]
    if method in ("sobol", "morris"):
        from .indices import indices_figure

        keys = ("S1", "S1_conf", "ST", "ST_conf") if method == "sobol" else ("mu_star", "mu_star_conf", "sigma", None)
        idx = data["indices"]
        shape = (len(data["outputs"]), len(data["parameters"]))
        arr = [np.full(shape, np.nan) if k is None else _floats(idx[k]) for k in keys]
        fig = indices_figure(data["parameters"], data["outputs"], *arr, method=method, title=title)
        return [(method, fig)]
    raise UsageError(f"{folder}/sensitivity.json: unknown method {method!r}")


def _floats(values) -> np.ndarray:
    """A JSON list (of lists) of numbers, null standing for NaN, as a float array."""
    return np.array(values, dtype=object).astype(float) if values is not None else np.array([])


__all__ = ["plot_folder", "sensitivity_figures", "sweep_drawings", "sweep_figures"]
