"""Global sensitivity indices as bars: one panel per output, for each parameter a pair of bars
(Sobol': first-order S1 and total ST; Morris: mu* and sigma) with confidence whiskers, the most
influential parameter at the top."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from . import style
from .regime_map import wrap_label

if TYPE_CHECKING:
    from matplotlib.figure import Figure

INDEX_GID = "index"
#: (label, colour, hatch) of the first and second bar of each parameter, per method. The first bar
#: is dark and plain, the second light and hatched, so they stay apart in grayscale.
BARS = {
    "sobol": (("S1", "#0072B2", ""), ("ST", "#E69F00", "////")),
    "morris": (("μ*", "#0072B2", ""), ("σ", "#E69F00", "////")),
}
ROW_H, BAR_H = 0.40, 0.15  # inches: one parameter's row, and each of its two bars
PLOT_W, GAP_X, GAP_Y = 2.8, 0.45, 0.5
SOBOL_DISPLAY = (-0.25, 1.25)  # Sobol' estimates beyond this are drawn to the edge and labelled


def indices_figure(parameters: Sequence[str], outputs: Sequence[str], first, first_conf, total, total_conf, *,
                   method: str = "sobol", title: str | None = None, confidence: float = 0.95):
    """A `Figure` of sensitivity indices, one panel per output, parameters sorted by importance.

    Arrays are (O, P): output by parameter. Sobol': `first` = S1, `total` = ST, `*_conf` their
    confidence half-widths; panels share one axis and parameters are sorted by ST. A negative S1
    estimate (sampling noise around 0) is drawn at its value. Morris: `first` = mu*, `first_conf`
    its half-width, `total` = sigma, `total_conf` NaN when there is none; each panel has its own
    axis of elementary effects and parameters are sorted by mu*. NaN draws nothing.
    `confidence` is the level the half-widths are for (legend text only).

    Parameters
    ----------
    parameters : sequence of str
        The P parameters' names (distinct).
    outputs : sequence of str
        The O outputs' names.
    first, first_conf, total, total_conf : array-like
        (O, P) arrays (or (P,) with one output): S1 and ST (Sobol') or mu* and sigma (Morris) and
        their confidence half-widths.
    method : {"sobol", "morris"}
        Which indices the arrays hold.
    title : str, optional
        The figure's title.
    confidence : float, default 0.95
        The level of the half-widths, strictly between 0 and 1.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = indices_figure(["p", "c"], ["share"], [[0.5, 0.1]], [[0.05, 0.05]], [[0.6, 0.2]], [[0.05, 0.05]])
    >>> type(fig).__name__
    'Figure'
    """
    if method not in BARS:
        raise ValueError(f"method must be 'sobol' or 'morris' (got {method!r})")
    params, outs = [str(p) for p in parameters], [str(o) for o in outputs]
    if not params or not outs:
        raise ValueError("indices_figure needs at least one parameter and one output")
    if len(set(params)) != len(params):
        raise ValueError("indices_figure: parameter names must be distinct")
    arrays = []
    for what, a in (("first", first), ("first_conf", first_conf), ("total", total), ("total_conf", total_conf)):
        a = np.asarray(a, dtype=float)
        if a.ndim == 1 and len(outs) == 1:
            a = a[None, :]
        if a.shape != (len(outs), len(params)):
            raise ValueError(f"{what} has shape {a.shape}; expected ({len(outs)}, {len(params)}) "
                             "(outputs x parameters)")
        if np.isinf(a).any():
            raise ValueError(f"{what} holds an infinite value")
        arrays.append(a)
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (got {confidence})")
    with style.context():
        first_a, first_conf_a, total_a, total_conf_a = arrays
        return _draw(params, outs, first_a, first_conf_a, total_a, total_conf_a, method, title, confidence)


def _key(first: np.ndarray, total: np.ndarray, method: str) -> np.ndarray:
    """What a panel sorts its parameters by: ST (Sobol') or mu* (Morris), NaN last."""
    k = total if method == "sobol" else first
    return np.where(np.isnan(k), -np.inf, k)


def _span(values: np.ndarray, conf: np.ndarray) -> tuple[float, float]:
    """The smallest and largest of value - conf and value + conf, NaN left out (0 when none)."""
    c = np.where(np.isnan(conf), 0.0, conf)
    lo, hi = values - c, values + c
    if np.isnan(values).all():
        return 0.0, 0.0
    return float(np.nanmin(lo)), float(np.nanmax(hi))


def _draw(params: list[str], outs: list[str], first: np.ndarray, first_conf: np.ndarray, total: np.ndarray,
          total_conf: np.ndarray, method: str, title: str | None, confidence: float) -> Figure:
    from matplotlib.colors import to_rgba
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    n_out, P = first.shape
    bars = BARS[method]
    cols = n_out if n_out <= 3 else (2 if n_out == 4 else 3)
    rows = math.ceil(n_out / cols)
    label_w = max(len(p) for p in params) * (style.TEXT_SIZE + 1) * 0.6 / 72 + 0.25
    panel_h = P * ROW_H + 0.1
    axis_h = 0.45  # below each panel: tick labels and the axis label
    width = cols * (label_w + PLOT_W) + (cols - 1) * GAP_X + 0.35
    interval = f"{100 * confidence:g}% confidence interval"
    if np.isnan(total_conf).all() and not np.isnan(first_conf).all():
        interval += f" (of {bars[0][0]})"
    entries = [_long(method, 0), _long(method, 1), interval]
    # the legend goes in one row if it fits, else one entry a row
    legend_cols = 3 if sum(len(t) for t in entries) * style.TEXT_SIZE * 0.55 / 72 + 3 * 0.8 <= width - 0.1 else 1
    title_h = 0.65 if title else 0.2
    top = title_h + (0.55 if legend_cols == 3 else 1.05)  # the title, then the legend above the panels
    note = wrap_label(_note(method, first), int((width - 0.2) * 72 / (style.SMALL_SIZE * 0.55)))
    below = 0.75 + 0.2 * (note.count("\n") + 1)
    height = top + rows * (panel_h + axis_h) + (rows - 1) * GAP_Y + below
    fig = style.new_figure(width, height)

    if method == "sobol":  # one axis for all panels: every index is a share of its output's variance
        a = min(0.0, _span(first, first_conf)[0], _span(total, total_conf)[0])
        b = max(_span(first, first_conf)[1], _span(total, total_conf)[1], 0.1)
        shared = (max(a, SOBOL_DISPLAY[0]), min(b, SOBOL_DISPLAY[1]))
    for o in range(n_out):
        r, c = divmod(o, cols)
        x0 = c * (label_w + PLOT_W + GAP_X) + label_w
        y0 = height - top - (r + 1) * (panel_h + axis_h) - r * GAP_Y
        ax = fig.add_axes((x0 / width, y0 / height, PLOT_W / width, panel_h / height))
        if method == "sobol":
            lim = shared
        else:  # effects are in the output's units: each panel its own axis
            top_o = max(_span(first[o], first_conf[o])[1], _span(total[o], total_conf[o])[1])
            lim = (0.0, top_o if top_o > 0 else 1.0)
        _panel(ax, o, params, first[o], first_conf[o], total[o], total_conf[o], method, lim)
        ax.set_title(outs[o], fontsize=style.LABEL_SIZE, fontweight="bold", loc="left", x=-label_w / PLOT_W, pad=6)
        if o + cols >= n_out:  # the lowest panel of its column
            ax.set_xlabel("index" if method == "sobol" else "elementary effect", fontsize=style.TEXT_SIZE + 1)

    ink = to_rgba(style.INK, 0.6)
    handles = [Patch(fc=bars[0][1], ec=ink, hatch=bars[0][2], label=entries[0]),
               Patch(fc=bars[1][1], ec=ink, hatch=bars[1][2], label=entries[1]),
               Line2D([], [], color=style.INK, lw=1.1, marker="|", ms=7, mew=1.1, label=entries[2])]
    fig.legend(handles=handles, loc="upper left", ncol=legend_cols, bbox_to_anchor=(0.1 / width, 1 - title_h / height),
               frameon=False, fontsize=style.TEXT_SIZE, handlelength=2.2, handleheight=1.2, columnspacing=1.4)
    fig.text(0.1 / width, (below - 0.6) / height, note, ha="left", va="top", fontsize=style.SMALL_SIZE,
             color=style.INK)
    if title:
        fig.text(0.1 / width, 1 - 0.15 / height, title, ha="left", va="top", fontsize=style.TITLE_SIZE,
                 fontweight="bold", color=style.INK)
    return fig


def _panel(ax, o, params, first, first_conf, total, total_conf, method, lim) -> None:
    """Draw output o's pairs of bars on `ax`, over `lim` (values beyond it are drawn to the edge and labelled)."""
    from matplotlib.colors import to_rgba

    P = len(params)
    pad = 0.04 * (lim[1] - lim[0])
    lo, hi = lim[0] - (pad if lim[0] < 0 else 0), lim[1] + pad
    ax.set_xlim(lo, hi)
    ax.set_ylim(P - 0.5, -0.5)
    key = _key(first, total, method)
    order = sorted(range(P), key=lambda j: (-key[j], j))
    for row, j in enumerate(order):
        for (name, color, hatch), value, conf, dy in ((BARS[method][0], first[j], first_conf[j], -1),
                                                       (BARS[method][1], total[j], total_conf[j], 1)):
            if np.isnan(value):
                continue
            yc = row + dy * (BAR_H / 2 + 0.01) / ROW_H
            shown = min(max(value, lo), hi)
            ax.barh(yc, shown, height=BAR_H / ROW_H, color=color, ec=to_rgba(style.INK, 0.6), lw=0.6, hatch=hatch,
                    zorder=2, gid=style.gid(INDEX_GID, o, params[j], name))
            if not np.isnan(conf) and conf > 0:
                ax.errorbar([value], [yc], xerr=[[conf], [conf]], fmt="none", ecolor=style.INK, elinewidth=1.1,
                            capsize=2.5, capthick=1.1, zorder=3, gid=style.gid("conf", o, params[j], name))
            if shown != value:  # beyond the display range: say where it is
                ax.annotate(style.fmt_value(value, 2), (shown, yc), xytext=(-3 if value > shown else 3, 0),
                            textcoords="offset points", ha="right" if value > shown else "left", va="center",
                            fontsize=style.SMALL_SIZE, color=style.INK, zorder=4,
                            bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none"))
    ax.set_yticks(range(P))
    ax.set_yticklabels([params[j] for j in order], fontsize=style.TEXT_SIZE + 1)
    values = np.concatenate([first, total])
    empty = ("indices undefined" if np.isnan(values).all()
             else "every index is 0" if np.all(np.nan_to_num(values) == 0) else "")
    if empty:
        ax.text(0.5, 0.5, f"{empty}:\nthe output does not vary\nover the samples", transform=ax.transAxes,
                ha="center", va="center", fontsize=style.TEXT_SIZE, style="italic", color=style.INK,
                gid=style.gid("no-variation", o))
    ax.axvline(0, color=style.INK, lw=1.0, zorder=1)
    style.bar_axes(ax)


def _long(method: str, k: int) -> str:
    return {("sobol", 0): "S1: first order (the parameter alone)",
            ("sobol", 1): "ST: total (with its interactions)",
            ("morris", 0): "μ*: mean absolute elementary effect",
            ("morris", 1): "σ: spread of the effects"}[(method, k)]


def _note(method: str, first: np.ndarray) -> str:
    if method == "sobol":
        note = ("Sobol' indices: the share of each output's variance due to a parameter alone (S1) and with "
                "its interactions (ST); parameters sorted by ST.")
        if np.nanmin(first, initial=0.0) < 0:
            note += " S1 estimates below 0 are sampling noise around 0."
        return note
    return ("Morris screening: μ* is the mean absolute change of the output per full range of the parameter "
            "(a large μ* matters), σ the spread of those changes (a large σ means nonlinear effects or "
            "interactions); parameters sorted by μ*.")
