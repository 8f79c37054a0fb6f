"""The tornado: one-at-a-time sensitivity. Each parameter alone is moved to the low and to the high
end of its range, the others held at baseline; for each metric (say, each player's equilibrium
payoff) a bar runs from the baseline value to the value at each end, largest swing at the top.
Where moving a parameter changes the equilibrium outcome, that bar end is marked with the new
outcome: the teaching point is which parameter flips the deal."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from . import style
from .regime_map import legend_height, outcome_name, wrap_label

BAR_GID = "tornado"
CHANGE_GID = "outcome-change"
BASELINE_GID = "baseline"
#: The two ends differ in colour, in lightness (sky blue is lighter than vermillion in grayscale) and in hatching.
END_STYLE = {"low": ("#56B4E9", "////"), "high": ("#D55E00", "")}
#: Marks of a changed outcome: colours apart from the two ends' and shapes apart from each other.
CHANGE_COLORS = ("#F0E442", "#009E73", "#CC79A7", "#E69F00", "#0072B2", "#FFFFFF")
CHANGE_MARKERS = ("D", "^", "s", "o", "v", "P")
ROW_H, BAR_H = 0.46, 0.17  # inches: one parameter's row, and each of its two bars
PLOT_W = 2.6  # inches of bars per panel, plus the room its value labels need
MAX_ROWS = 8  # rows drawn by default: a class reads the few parameters that matter, not every one
CHANGE_MS = 10.0  # points: the size of a changed-outcome mark
_LABEL_GAP = 3.0  # points between a bar's end (or its mark) and its value label
_CHAR_W = 0.55  # width of a character in font sizes, about
_ZERO = 1e-12


def tornado_figure(parameters: Sequence[str], low, high, metric_low, metric_high, baseline,
                   metric_names: Sequence[str], *, outcome_low=None, outcome_high=None,
                   baseline_outcome: str | None = None, title: str | None = None,
                   names: Mapping[str, str] | None = None, order: Sequence[str] = (),
                   max_rows: int | None = MAX_ROWS):
    """A `Figure` with one tornado panel per metric.

    Parameter i moved alone to `low[i]` and to `high[i]` gives metric m the values
    ``metric_low[m, i]`` and ``metric_high[m, i]`` (NaN where undefined: nothing is drawn);
    `baseline` (M,) holds each metric at baseline. Bars run from the baseline value to each end.
    Every panel has the same rows in the same order, so a parameter is read across panels on one
    line: largest first by `importance`, its largest swing (the spread of {low, baseline, high})
    relative to the largest swing in the same panel. Only the `max_rows` most important are drawn
    (None: all); the others are named in a footnote. `outcome_low` / `outcome_high` (P,) are the
    outcome labels at the ends; an end whose outcome differs from `baseline_outcome` is marked with
    the new outcome (`names` maps labels to legend names; `order` lists labels whose marker styles
    are taken first). Parameters that change no metric and no outcome are listed in a footnote
    instead of drawn. Values are printed as the text output prints them.

    Parameters
    ----------
    parameters : sequence of str
        The P parameters' names (distinct).
    low, high : array-like
        The (P,) values each parameter is moved to.
    metric_low, metric_high : array-like
        The (M, P) metric values with each parameter at its low and its high value.
    baseline : array-like
        The (M,) metric values at baseline.
    metric_names : sequence of str
        The M metrics' names.
    outcome_low, outcome_high : sequence of str, optional
        The (P,) outcome labels at the ends (both or neither; they need `baseline_outcome`).
    baseline_outcome : str, optional
        The outcome at baseline.
    title : str, optional
        The figure's title.
    names : mapping of str to str, optional
        Label -> legend name.
    order : sequence of str
        Labels whose marker styles are taken first.
    max_rows : int or None
        The most rows drawn (None: all).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> fig = tornado_figure(["p", "c"], [0.2, 0.1], [0.8, 0.3], np.array([[0.1, 0.4]]),
    ...                      np.array([[0.9, 0.5]]), np.array([0.5]), ["share"])
    >>> type(fig).__name__
    'Figure'
    """
    if max_rows is not None and max_rows < 1:
        raise ValueError(f"max_rows must be a positive number of rows or None; got {max_rows}")
    params = [str(p) for p in parameters]
    P = len(params)
    if P == 0:
        raise ValueError("tornado_figure needs at least one parameter")
    if len(set(params)) != P:
        raise ValueError("tornado_figure: parameter names must be distinct")
    lo, hi = _vector(low, P, "low"), _vector(high, P, "high")
    metrics = [str(m) for m in metric_names]
    M = len(metrics)
    if M == 0:
        raise ValueError("tornado_figure needs at least one metric")
    at_low, at_high = _matrix(metric_low, M, P, "metric_low"), _matrix(metric_high, M, P, "metric_high")
    base = _vector(baseline, M, "baseline", finite=False)
    if (outcome_low is None) != (outcome_high is None):
        raise ValueError("give both outcome_low and outcome_high, or neither")
    flips: dict[tuple[int, str], str] = {}
    if outcome_low is not None:
        if baseline_outcome is None:
            raise ValueError("outcome_low and outcome_high need baseline_outcome to compare with")
        for end, outs in (("low", outcome_low), ("high", outcome_high)):
            outs = [str(o) for o in np.asarray(outs, dtype=object).reshape(-1)]
            if len(outs) != P:
                raise ValueError(f"outcome_{end} has {len(outs)} labels; expected {P}, one per parameter")
            flips.update({(i, end): o for i, o in enumerate(outs) if o != str(baseline_outcome)})
    with style.context():
        return _draw(params, lo, hi, at_low, at_high, base, metrics, flips, baseline_outcome, title,
                     dict(names or {}), [str(o) for o in order], max_rows)


def _vector(values, n: int, what: str, *, finite: bool = True) -> np.ndarray:
    v = np.asarray(values, dtype=float).reshape(-1) if np.ndim(values) else np.asarray([values], dtype=float)
    if v.shape != (n,):
        raise ValueError(f"{what} has {v.size} values; expected {n}")
    if finite and not np.all(np.isfinite(v)):
        raise ValueError(f"{what} must be finite")
    return v


def _matrix(values, m: int, p: int, what: str) -> np.ndarray:
    a = np.asarray(values, dtype=float)
    if a.ndim == 1 and m == 1:
        a = a[None, :]
    if a.shape != (m, p):
        raise ValueError(f"{what} has shape {a.shape}; expected ({m}, {p}) (metrics x parameters)")
    return a


def swings(at_low: np.ndarray, at_high: np.ndarray, base: np.ndarray) -> np.ndarray:
    """The (M, P) spread of {value at low, baseline, value at high} per metric and parameter, NaNs left out
    (0 where nothing is defined)."""
    stack = np.stack([at_low, np.broadcast_to(base[:, None], at_low.shape), at_high])
    defined = ~np.isnan(stack)
    top = np.where(defined, stack, -np.inf).max(axis=0)
    bottom = np.where(defined, stack, np.inf).min(axis=0)
    return np.where(defined.sum(axis=0) > 1, top - bottom, 0.0)


def importance(at_low: np.ndarray, at_high: np.ndarray, base: np.ndarray) -> np.ndarray:
    """(P,) each parameter's largest swing over the metrics, each swing relative to the largest swing
    of its metric (so metrics on different scales count alike): 1 for the parameter that moves some
    metric most, 0 for one that moves none.

    Examples
    --------
    >>> importance(np.array([[0.0, 1.0], [5.0, 10.0]]), np.array([[2.0, 1.0], [10.0, 10.0]]), np.array([1.0, 10.0]))
    array([1., 0.])
    """
    spread = swings(at_low, at_high, base)
    top = spread.max(axis=1, keepdims=True)
    return np.divide(spread, top, out=np.zeros_like(spread), where=top > 0).max(axis=0)


def _moves(value: np.ndarray, base: np.ndarray) -> np.ndarray:
    """Whether an end differs from the baseline: in value, or by being defined where the baseline is not."""
    scale = _ZERO * np.maximum(1.0, np.abs(base))
    with np.errstate(invalid="ignore"):
        differ = np.abs(value - base) > scale
    return np.where(np.isnan(value) | np.isnan(base), np.isnan(value) != np.isnan(base), differ)


def _text_w(text: str, size: float) -> float:
    return len(text) * size * _CHAR_W / 72


def _draw(params, lo, hi, at_low, at_high, base, metrics, flips, baseline_outcome, title, names, order, max_rows):
    from matplotlib.colors import to_rgba
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    M, P = at_low.shape
    moved = _moves(at_low, base[:, None]) | _moves(at_high, base[:, None])
    flipped = {i for i, _ in flips}
    weight = importance(at_low, at_high, base)
    effective = sorted((i for i in range(P) if moved[:, i].any() or i in flipped), key=lambda i: (-weight[i], i))
    shown = effective[:max_rows] if max_rows is not None else effective
    smaller = effective[len(shown):]
    still = [i for i in range(P) if i not in effective]
    new_outcomes = list(dict.fromkeys([o for o in order if o in flips.values()] + sorted(set(flips.values()))))
    labels = {i: f"{params[i]}  {style.fmt_payoff(lo[i])} → {style.fmt_payoff(hi[i])}" for i in range(P)}
    size = style.TEXT_SIZE

    label_w = max([_text_w(labels[i], size + 1) for i in shown] + [0.5]) + 0.2
    margins = [_margins(m, shown, at_low, at_high, base, flips) for m in range(M)]
    panel_w = [PLOT_W + a + b for a, b in margins]
    cols = M if M <= 3 else (2 if M == 4 else 3)
    grid_rows = math.ceil(M / cols)
    col_w = [max(panel_w[m] for m in range(c, M, cols)) for c in range(cols)]
    gap, row_gap, panel_top = 0.35, 0.5, 0.75  # panel_top: its title and baseline label
    rows_h = max(1, len(shown)) * ROW_H + 0.15
    intro = "each bar runs from the baseline value to the value with one parameter moved alone"
    width = sum(label_w + w for w in col_w) + gap * (cols - 1) + 0.3
    width = max(width, _text_w(intro, size) + 0.4,
                *(2 * _text_w(f"outcome becomes {outcome_name(o, names)}", size) + 1.6 for o in new_outcomes))
    legend_h = legend_height(math.ceil((3 + len(new_outcomes)) / 2), int(baseline_outcome is not None))
    note_lines = []
    note_chars = int((width - 0.3) * 72 / (style.SMALL_SIZE * _CHAR_W))
    if smaller:
        entries = ", ".join(labels[i].replace(" ", "\u00a0") + ("\u00a0(changes\u00a0the\u00a0outcome)"
                                                                  if i in flipped else "") for i in smaller)
        note_lines += wrap_label(f"Smaller effects, not drawn (largest first): {entries}.", note_chars).split("\n")
    if still:
        entries = ", ".join(labels[i].replace(" ", "\u00a0") for i in still)  # each entry stays on one line
        note_lines += wrap_label(f"No effect on any metric or the outcome over its range: {entries}.",
                                 note_chars).split("\n")
    top = 0.55 if title else 0.2
    below = 0.65 + legend_h + 0.25 * len(note_lines) + 0.1
    height = top + grid_rows * (panel_top + rows_h) + (grid_rows - 1) * row_gap + below
    fig = style.new_figure(width, height)

    for m in range(M):
        r, c = divmod(m, cols)
        x0 = sum(label_w + col_w[k] + gap for k in range(c)) + label_w
        y0 = height - top - (r + 1) * (panel_top + rows_h) - r * row_gap
        ax = fig.add_axes((x0 / width, y0 / height, panel_w[m] / width, rows_h / height))
        _panel(ax, m, metrics[m], shown, labels, params, at_low, at_high, base, moved, flips, new_outcomes,
               margins[m])

    ink = to_rgba(style.INK, 0.6)
    handles = [Patch(fc=END_STYLE["low"][0], ec=ink, hatch=END_STYLE["low"][1], label="parameter at its low end"),
               Patch(fc=END_STYLE["high"][0], ec=ink, label="parameter at its high end"),
               Line2D([], [], color=style.INK, lw=1.4, label="every parameter at baseline")]
    handles += [Line2D([], [], ls="none", **_change_marker(k), label=f"outcome becomes {outcome_name(o, names)}")
                for k, o in enumerate(new_outcomes)]
    if baseline_outcome is not None:
        intro += (f"\nat baseline the outcome is {outcome_name(str(baseline_outcome), names)}"
                  + ("; a parameter in bold changes it" if flips else "; no parameter changes it"))
    fig.legend(handles=handles, title=intro, loc="upper left", ncol=2,
               bbox_to_anchor=(0.15 / width, (below - 0.55) / height), frameon=False, fontsize=size,
               title_fontsize=size, alignment="left", handlelength=2.4, handleheight=1.3, columnspacing=1.5)
    if note_lines:
        fig.text(0.15 / width, (0.25 * len(note_lines) + 0.05) / height, "\n".join(note_lines), ha="left",
                 va="top", fontsize=style.SMALL_SIZE, color=style.INK)
    if title:
        fig.text(0.15 / width, 1 - 0.15 / height, title, ha="left", va="top", fontsize=style.TITLE_SIZE,
                 fontweight="bold", color=style.INK)
    return fig


def _drawn_ends(m: int, i: int, at_low, at_high, base, flips):
    """The ends of parameter i's row in panel m that are drawn: (end, value) where the metric moves
    or the outcome changes."""
    for end, v in (("low", at_low[m, i]), ("high", at_high[m, i])):
        if (i, end) in flips or _moves(np.array([v]), np.array([base[m]]))[0]:
            yield end, v


def _margins(m, shown, at_low, at_high, base, flips) -> tuple[float, float]:
    """Inches beside the bars of panel m for the value labels (and new-outcome marks), left and right."""
    left = right = 0.15
    for i in shown:
        for end, v in _drawn_ends(m, i, at_low, at_high, base, flips):
            if np.isnan(v):
                continue
            w = _text_w(style.fmt_payoff(v), style.TEXT_SIZE) + (_label_offset((i, end) in flips) + 6) / 72
            if v < base[m]:
                left = max(left, w)
            else:
                right = max(right, w)
    return left, right


def _panel(ax, m, metric, shown, labels, params, at_low, at_high, base, moved, flips, new_outcomes, margins):
    """Draw the tornado of metric m on `ax`."""
    from matplotlib.colors import to_rgba

    rows = shown  # the same order in every panel
    vals = [v for v in [base[m], *(w for i in shown for w in (at_low[m, i], at_high[m, i]))] if not np.isnan(v)]
    vals = vals or [0.0]
    a, b = min(vals), max(vals)
    if b - a < 1e-12:
        a, b = a - 0.5, b + 0.5
    per_in = (b - a) / PLOT_W
    ax.set_xlim(a - margins[0] * per_in, b + margins[1] * per_in)
    ax.set_ylim(len(rows) - 0.5 + 0.15 / ROW_H, -0.5)
    ref = base[m] if not np.isnan(base[m]) else (a + b) / 2
    size = style.TEXT_SIZE
    for row, i in enumerate(rows):
        if not moved[m, i] and not any((i, e) in flips for e in ("low", "high")):
            ax.text(ref, row, " no change", ha="left", va="center", fontsize=style.SMALL_SIZE, style="italic",
                    color=style.INK, gid=style.gid("no-change", m, params[i]))
            continue
        for end, v in _drawn_ends(m, i, at_low, at_high, base, flips):
            yc = row + (-1 if end == "low" else 1) * (BAR_H / 2 + 0.01) / ROW_H
            flip = flips.get((i, end))
            at = ref if np.isnan(v) else v
            if flip is not None:
                ax.plot([at], [yc], ls="none", **_change_marker(new_outcomes.index(flip)), zorder=4, clip_on=False,
                        gid=style.gid(CHANGE_GID, m, params[i], end, flip))
            if np.isnan(v):
                ax.annotate("undefined", (at, yc), xytext=(_label_offset(flip is not None), 0),
                            textcoords="offset points",
                            ha="left", va="center", fontsize=style.SMALL_SIZE, style="italic", color=style.INK,
                            annotation_clip=False, gid=style.gid("undefined", m, params[i], end))
                continue
            color, hatch = END_STYLE[end]
            ax.barh(yc, v - ref, left=ref, height=BAR_H / ROW_H, color=color, ec=to_rgba(style.INK, 0.6), lw=0.6,
                    hatch=hatch, zorder=2, gid=style.gid(BAR_GID, m, params[i], end))
            side = -1 if v < ref else 1
            ax.annotate(style.fmt_payoff(v), (v, yc), xytext=(side * _label_offset(flip is not None), 0),
                        textcoords="offset points", ha="left" if side > 0 else "right", va="center", fontsize=size,
                        color=style.INK, annotation_clip=False, gid=style.gid("value", m, params[i], end))
    if not np.isnan(base[m]):
        ax.axvline(base[m], color=style.INK, lw=1.4, zorder=3, gid=style.gid(BASELINE_GID, m))
        ax.annotate(f"baseline {style.fmt_payoff(base[m])}", (base[m], 1.0), xycoords=("data", "axes fraction"),
                    xytext=(0, 3), textcoords="offset points", ha="center", va="bottom", fontsize=size,
                    color=style.INK, annotation_clip=False)
    if not rows:
        ax.text(0.5, 0.5, "no parameter changes anything", transform=ax.transAxes, ha="center", va="center",
                fontsize=size, style="italic", color=style.INK, zorder=5, bbox=dict(fc="white", ec="none"))
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([labels[i] for i in rows], fontsize=size + 1)
    for tick, i in zip(ax.get_yticklabels(), rows):
        if any((i, e) in flips for e in ("low", "high")):
            tick.set_fontweight("bold")
    style.bar_axes(ax)
    ax.set_title(metric, fontsize=style.LABEL_SIZE + 1, fontweight="bold", loc="left", pad=22, x=0.0)


def _label_offset(marked: bool) -> float:
    """Points from a bar's end to its value label: past the changed-outcome mark centred there, if any
    (a diamond's half-diagonal is about 0.6 of its size)."""
    return 0.65 * CHANGE_MS + _LABEL_GAP if marked else _LABEL_GAP


def _change_marker(k: int) -> dict:
    """Marker settings of the k-th new outcome."""
    return dict(marker=CHANGE_MARKERS[k % len(CHANGE_MARKERS)], ms=CHANGE_MS, mfc=CHANGE_COLORS[k % len(CHANGE_COLORS)],
                mec=style.INK, mew=1.0)
