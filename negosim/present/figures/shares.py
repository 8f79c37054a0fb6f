"""Outcome shares across each parameter's range, for a random design (Latin hypercube, Sobol') or
a grid of several parameters: one small panel per parameter, each bin's bar split by the share of
each equilibrium outcome among the samples in that bin. A parameter that moves the outcome shows
bars that change along its range; for the others the rest of the design averages out and the bars
stay level."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from . import style
from .regime_map import factorize, legend_height, outcome_name, percent, wrap_label

SHARE_GID = "share"
FILL_ALPHA = 0.55
PANEL_W, PANEL_H = 3.1, 2.2
LEFT, GAP_X, GAP_Y = 1.0, 0.45, 1.05
CHARS_PER_INCH = 11  # characters of 11-point text per inch, about


def outcome_share_figure(values: Mapping[str, np.ndarray], labels, *,
                         ranges: Mapping[str, tuple[float, float]] | None = None, bins: int = 10,
                         names: Mapping[str, str] | None = None, title: str | None = None,
                         order: Sequence[str] = (), sort: bool = True, legend_title: str = "equilibrium outcome"):
    """A `Figure` with one panel per parameter: the share of each outcome in each of `bins` equal
    bins of that parameter's range.

    `values` maps each parameter to its (N,) sample values and `labels` (N,) gives the outcome
    label of each sample. `ranges` gives a parameter's (low, high) (default: its smallest and
    largest sample). `names` maps a label to its legend name. Outcomes are coloured in the order
    `order`, then by decreasing share of all samples. With `sort`, panels come in decreasing order
    of swing: the largest change of any one outcome's share between the parameter's bins.
    `legend_title` names what the labels are (default "equilibrium outcome").

    Parameters
    ----------
    values : mapping of str to numpy.ndarray
        Each parameter's (N,) sample values.
    labels : array-like
        The (N,) outcome label of each sample.
    ranges : mapping of str to (float, float), optional
        A parameter's (low, high).
    bins : int, default 10
        The number of equal bins per parameter.
    names : mapping of str to str, optional
        Label -> legend name.
    title : str, optional
        The figure's title.
    order : sequence of str
        Labels coloured first.
    sort : bool, default True
        Panels in decreasing order of swing.
    legend_title : str, default "equilibrium outcome"
        What the labels are.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> values = {"p": np.linspace(0, 1, 20)}
    >>> fig = outcome_share_figure(values, np.where(values["p"] > 0.5, "war", "peace"), bins=4)
    >>> type(fig).__name__
    'Figure'
    """
    if not values:
        raise ValueError("outcome_share_figure needs at least one parameter in `values`")
    labels = np.asarray(labels, dtype=object).reshape(-1)
    n = len(labels)
    if n == 0:
        raise ValueError("outcome_share_figure needs at least one sample")
    if isinstance(bins, bool) or int(bins) != bins or bins < 1:
        raise ValueError(f"bins must be a positive integer (got {bins!r})")
    bins = int(bins)
    ranges = dict(ranges or {})
    columns = {}
    for p, v in values.items():
        v = np.asarray(v, dtype=float)
        if v.shape != (n,):
            raise ValueError(f"values of {p!r} have shape {v.shape}; expected ({n},), one per label")
        if not np.all(np.isfinite(v)):
            raise ValueError(f"values of {p!r} must be finite")
        lo, hi = (float(ranges[p][0]), float(ranges[p][1])) if p in ranges else (float(v.min()), float(v.max()))
        if not hi > lo:
            raise ValueError(f"{p!r} needs a range with low < high (got [{lo:g}, {hi:g}]); pass it in `ranges`")
        slack = 1e-9 * (hi - lo)
        if v.min() < lo - slack or v.max() > hi + slack:
            raise ValueError(f"values of {p!r} lie outside its range [{lo:g}, {hi:g}]")
        columns[str(p)] = (v, lo, hi)
    extra = set(map(str, ranges)) - set(columns)
    if extra:
        raise ValueError(f"ranges given for parameters not in `values`: {sorted(extra)}")

    codes, found = factorize(labels)
    counts = np.bincount(codes, minlength=len(found))
    by_share = sorted(range(len(found)), key=lambda k: (-counts[k], found[k]))
    outcomes = list(dict.fromkeys([str(o) for o in order if str(o) in found] + [found[k] for k in by_share]))
    codes = np.array([outcomes.index(o) for o in found])[codes]
    panels = [(p, *bin_shares(v, codes, len(outcomes), lo, hi, bins), lo, hi) for p, (v, lo, hi) in columns.items()]
    noise = noise_swing(columns, codes, len(outcomes), bins)
    if sort:
        panels.sort(key=lambda t: -_swing(t[1]))
    with style.context():
        return _draw(panels, outcomes, np.bincount(codes, minlength=len(outcomes)) / n, n, bins, noise,
                     dict(names or {}), title, legend_title)


def bin_shares(v: np.ndarray, codes: np.ndarray, k_count: int, lo: float, hi: float,
               bins: int) -> tuple[np.ndarray, np.ndarray]:
    """The (bins, K) share of each outcome code among the samples in each equal bin of [lo, hi] (NaN
    in an empty bin) and the (bins,) sample counts."""
    b = np.clip(((v - lo) / (hi - lo) * bins).astype(int), 0, bins - 1)  # the top end falls in the last bin
    table = np.bincount(b * k_count + codes, minlength=bins * k_count).reshape(bins, k_count).astype(float)
    per_bin = table.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return table / per_bin[:, None], per_bin


def noise_swing(columns: Mapping[str, tuple[np.ndarray, float, float]], codes: np.ndarray, k_count: int,
                bins: int, *, shuffles: int | None = None, seed: int = 0) -> float:
    """The swing that sampling noise alone produces: the 95th percentile of the swings of every
    parameter with the outcomes shuffled among the samples (`shuffles` times, default 20, or 5
    above 100,000 samples, where the noise is small anyway; from `seed`)."""
    if shuffles is None:
        shuffles = 20 if len(codes) <= 100_000 else 5
    rng = np.random.default_rng(seed)
    swings = []
    for _ in range(shuffles):
        shuffled = rng.permutation(codes)
        swings += [_swing(bin_shares(v, shuffled, k_count, lo, hi, bins)[0]) for v, lo, hi in columns.values()]
    return float(np.percentile(swings, 95))


def _swing(shares: np.ndarray) -> float:
    """The largest change of one outcome's share between two non-empty bins."""
    full = shares[~np.isnan(shares).any(axis=1)]
    return float((full.max(axis=0) - full.min(axis=0)).max()) if len(full) else 0.0


def _draw(panels, outcomes, overall, n, bins, noise, names, title, legend_title="equilibrium outcome"):
    from matplotlib.colors import to_rgba
    from matplotlib.patches import Patch
    from matplotlib.ticker import PercentFormatter

    k = len(panels)
    cols = k if k <= 3 else (2 if k == 4 else (3 if k <= 6 else 4))
    rows = math.ceil(k / cols)
    width = LEFT + cols * PANEL_W + (cols - 1) * GAP_X + 0.3
    line_chars = int((width - LEFT) * CHARS_PER_INCH) - 6  # 6 characters' room for the handle
    raw = [f"{outcome_name(o, names)}: {percent(overall[i])}" for i, o in enumerate(outcomes)]
    legend_cols = 2 if len(raw) > 1 and max(map(len, raw)) <= line_chars // 2 - 6 else 1
    texts = [wrap_label(t, line_chars) for t in raw]
    if legend_cols == 1:
        legend_h = legend_height(len(texts), sum(t.count("\n") for t in texts))
    else:
        legend_h = legend_height(math.ceil(len(texts) / 2), 0)
    top = 0.85 if title else 0.45
    note_h = 0.75
    below = 0.75 + legend_h + 0.12 + note_h
    height = top + rows * PANEL_H + (rows - 1) * GAP_Y + below
    fig = style.new_figure(width, height)
    edge = to_rgba(style.INK, 0.35)
    for idx, (p, shares, _per_bin, lo, hi) in enumerate(panels):
        r, c = divmod(idx, cols)
        x0 = LEFT + c * (PANEL_W + GAP_X)
        y0 = height - top - (r + 1) * PANEL_H - r * GAP_Y
        ax = fig.add_axes((x0 / width, y0 / height, PANEL_W / width, PANEL_H / height))
        edges = np.linspace(lo, hi, bins + 1)
        bottom = np.zeros(bins)
        filled = ~np.isnan(shares).any(axis=1)
        for i, o in enumerate(outcomes):
            h = np.where(filled, shares[:, i], 0.0) * 100
            color, hatch = style.regime_style(i)
            bars = ax.bar(edges[:-1], h, width=np.diff(edges), bottom=bottom, align="edge",
                          color=to_rgba(color, FILL_ALPHA), ec=edge, lw=0, hatch=hatch, zorder=1)
            for b, bar in enumerate(bars):
                bar.set_gid(style.gid(SHARE_GID, p, o, b))
            bottom += h
        if not filled.all():
            for b in np.flatnonzero(~filled):
                ax.text((edges[b] + edges[b + 1]) / 2, 50, "no\nsamples", ha="center", va="center",
                        fontsize=style.SMALL_SIZE, color=style.INK, rotation=90)
        ax.set_xlim(lo, hi)
        ax.set_ylim(0, 100)
        ax.set_yticks([0, 50, 100])
        ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
        ax.xaxis.set_major_locator(_locator())
        ax.tick_params(labelsize=style.SMALL_SIZE + 1, direction="out")
        if c:
            ax.set_yticklabels([])
        else:
            ax.set_ylabel("share of samples", fontsize=style.LABEL_SIZE)
        ax.set_xlabel(p, fontsize=style.LABEL_SIZE, fontweight="bold", labelpad=2)
        swing = _swing(shares)
        ax.set_title(f"swing {round(100 * swing)} pts" + (" (noise)" if swing <= noise else ""), loc="right",
                     fontsize=style.SMALL_SIZE + 1, color=style.INK, pad=4)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    handles = []
    for i in range(len(outcomes)):
        color, hatch = style.regime_style(i)
        handles.append(Patch(fc=to_rgba(color, FILL_ALPHA), ec=edge, hatch=hatch, label=texts[i]))
    legend_top = below - 0.75
    fig.legend(handles=handles, title=f"{legend_title} (share of all samples)", loc="upper left",
               ncol=legend_cols, bbox_to_anchor=(LEFT / width, legend_top / height), frameon=False,
               fontsize=style.TEXT_SIZE, title_fontsize=style.TEXT_SIZE + 1, alignment="left", handlelength=2.4,
               handleheight=1.3, columnspacing=1.5)
    per = n / bins
    note = (f"{n:,} samples; each bar is one of {bins} equal bins of the parameter's range "
            f"(about {per:,.0f} samples each). Swing: the largest change of one outcome's share between bins; "
            f"sampling noise alone gives swings up to about {round(100 * noise)} pts (95% of swings with the "
            "outcomes shuffled among the samples).")
    note = wrap_label(note, int((width - LEFT) * CHARS_PER_INCH * 1.1))  # the note is in smaller type
    fig.text(LEFT / width, (note_h - 0.05) / height, note, ha="left", va="top", fontsize=style.SMALL_SIZE,
             color=style.INK)
    if title:
        fig.text(LEFT / width, 1 - 0.15 / height, title, ha="left", va="top", fontsize=style.TITLE_SIZE,
                 fontweight="bold", color=style.INK)
    return fig


def _locator():
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(nbins=4, min_n_ticks=3)
