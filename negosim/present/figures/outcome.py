"""The outcome against one parameter: regimes shaded by equilibrium outcome (colour and hatching),
each player's equilibrium payoff as a line, and the regime boundaries marked with their values."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from . import style

BOUNDARY_GID = "boundary"
REGIME_GID = "regime"
MARKS_GID = "marks"


def regime_boundaries(values, outcomes, tied=None) -> list[tuple[float, str, str]]:
    """Where the outcome changes along `values` (ascending), as ``(value, outcome below, outcome above)``.

    Between two samples with different outcomes the boundary is the sample that is `tied` (a player
    indifferent there: that is where one regime gives way to the next), else the midpoint; a sweep
    that refines boundaries exactly passes its own to `outcome_figure` instead.

    Parameters
    ----------
    values : array_like
        ``(N,)`` parameter values, ascending.
    outcomes : array_like
        ``(N,)`` the outcome at each value.
    tied : array_like, optional
        ``(N,)`` bool: a player is indifferent at the value.

    Returns
    -------
    list of tuple
        ``(value, outcome below, outcome above)`` per change.

    Examples
    --------
    >>> import numpy as np
    >>> from negosim.present.figures import regime_boundaries
    >>> x, out = np.array([0.0, 1, 2, 3]), np.array(["a", "a", "b", "b"])
    >>> regime_boundaries(x, out), regime_boundaries(x, out, tied=np.array([False, False, True, False]))
    ([(1.5, 'a', 'b')], [(2.0, 'a', 'b')])
    """
    values = np.asarray(values, dtype=float)
    outcomes = np.asarray(outcomes, dtype=object)
    tied = np.zeros(len(values), dtype=bool) if tied is None else np.asarray(tied, dtype=bool)
    out = []
    for i in np.flatnonzero(outcomes[1:] != outcomes[:-1]):
        if tied[i] != tied[i + 1]:
            v = values[i] if tied[i] else values[i + 1]
        else:
            v = (values[i] + values[i + 1]) / 2
        out.append((float(v), str(outcomes[i]), str(outcomes[i + 1])))
    return out


def _as_triples(boundaries: Iterable) -> list[tuple[float, str, str]]:
    out = []
    for b in boundaries:
        if hasattr(b, "value"):
            out.append((float(b.value), str(getattr(b, "below", "")), str(getattr(b, "above", ""))))
        else:
            value, below, above = b
            out.append((float(value), str(below), str(above)))
    return sorted(out)


def outcome_figure(parameter: str, values, outcomes, payoffs: Mapping[str, np.ndarray], *, boundaries=(),
                   labels: Mapping[str, str] | None = None, unit: str | None = None, title: str | None = None,
                   order: Sequence[str] = (), words: tuple[str, str, str] | None = None):
    """A `Figure` of the equilibrium outcome and payoffs as `parameter` varies.

    `values` (N,) are the parameter values, ascending; `outcomes` (N,) the outcome id at each value
    (one equilibrium per point, e.g. the subgame-perfect one); `payoffs` maps each player, in player
    order, to its payoffs: shape (N,) for that equilibrium, or (N, K) for K equilibrium branches
    (column 0 the one whose outcome is shaded, NaN where a branch does not exist; the others are drawn
    thin). `boundaries` are objects with ``.value``, ``.below``, ``.above`` or such tuples (see
    `regime_boundaries`); `labels` maps outcome ids to the names shown in the legend. `order` lists
    outcomes whose colours are taken first (to match other figures); the rest follow in order of
    first appearance. `words` replaces the y-axis label and the two legend titles (default
    "equilibrium payoff", "payoff of", "equilibrium outcome"), for curves that are not payoffs (a
    bargaining model's quantities against its regimes).

    Parameters
    ----------
    parameter : str
        The varied parameter's name (the x axis).
    values : array_like
        ``(N,)`` its values, ascending.
    outcomes : array_like
        ``(N,)`` the outcome id at each value.
    payoffs : dict
        Player -> ``(N,)`` or ``(N, K)`` payoffs.
    boundaries : sequence, optional
        Where the outcome changes (default: from `regime_boundaries`).
    labels : dict, optional
        Outcome id -> legend name.
    unit, title : str, optional
        The parameter's unit and the figure's title.
    order : sequence of str
        Outcomes whose colours are taken first.
    words : sequence of str, optional
        Replaces the y-axis label and the two legend titles.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> from negosim.present.figures import outcome_figure
    >>> fig = outcome_figure("rep", np.array([0.0, 1, 2, 3]), np.array(["fight", "fight", "out", "out"]),
    ...                      {"P1": np.array([1.0, 1, 0, 0]), "P2": np.array([2.0, 2, 4, 4])})
    >>> type(fig).__name__
    'Figure'
    """
    values = np.asarray(values, dtype=float).reshape(-1)
    outcomes = np.asarray(outcomes, dtype=object).reshape(-1)
    pays = {str(p): np.asarray(v, dtype=float) for p, v in payoffs.items()}
    if len(values) < 2 or len(outcomes) != len(values):
        raise ValueError(f"outcome_figure needs at least 2 values and one outcome per value; got "
                         f"{len(values)} values and {len(outcomes)} outcomes")
    if np.any(np.diff(values) <= 0):
        raise ValueError("outcome_figure needs strictly ascending parameter values")
    for p, v in pays.items():
        if v.shape[0] != len(values) or v.ndim not in (1, 2):
            raise ValueError(f"payoffs of {p!r} have shape {v.shape}; expected ({len(values)},) or ({len(values)}, K)")
    with style.context():
        return _draw(parameter, values, outcomes, pays, _as_triples(boundaries), dict(labels or {}), unit, title,
                     [str(o) for o in order], words or WORDS)


def _regimes(values, outcomes, bounds) -> list[tuple[float, float, str]]:
    """Runs of one outcome as ``(start, end, outcome)``, split at the given boundary between two samples
    when there is one, else halfway."""
    changes = list(np.flatnonzero(outcomes[1:] != outcomes[:-1]))
    edges = [values[0]]
    for i in changes:
        inside = [v for v, _, _ in bounds if values[i] <= v <= values[i + 1]]
        edges.append(min(inside, key=lambda v: abs(v - (values[i] + values[i + 1]) / 2)) if inside
                     else (values[i] + values[i + 1]) / 2)
    edges.append(values[-1])
    starts = [0] + [i + 1 for i in changes]
    return [(edges[k], edges[k + 1], str(outcomes[s])) for k, s in enumerate(starts)]


WORDS = ("equilibrium payoff", "payoff of", "equilibrium outcome")


def _draw(parameter, values, outcomes, pays, bounds, labels, unit, title, first=(), words=WORDS):
    from matplotlib.colors import to_rgba
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    # outcomes coloured in the order `first` (to match other figures), then in order of first appearance
    seen = list(dict.fromkeys(str(o) for o in outcomes))
    order = list(dict.fromkeys([o for o in first if o in seen] + seen))
    n_players = len(pays)
    long_names = any(len(labels.get(o) or o) + len(o) > 40 for o in order)
    legend_cols = 1 if long_names or len(order) == 1 else 2
    legend_rows = -(-len(order) // legend_cols)
    width, plot_w, plot_h = 10.0, 7.3, 4.6
    # Room above the plot: the title's, and the boundary labels' only when there are any.
    top = (0.55 if title else 0.15) + (0.4 if bounds else 0) \
        + (0.25 if _stacked(bounds, values, parameter, plot_w) else 0)
    below = 0.95 + 0.32 * legend_rows
    height = top + plot_h + below
    fig = style.new_figure(width, height)
    ax = fig.add_axes((1.0 / width, below / height, plot_w / width, plot_h / height))
    ax.set_xlim(values[0], values[-1])
    for k, (start, end, o) in enumerate(_regimes(values, outcomes, bounds)):
        color, hatch = style.regime_style(order.index(o))
        ax.axvspan(start, end, fc=to_rgba(color, 0.28), ec=to_rgba(style.INK, 0.35), hatch=hatch, lw=0, zorder=0,
                   gid=style.gid(REGIME_GID, k, o))
    branches = False
    # The chosen equilibrium's payoffs jump where the outcome changes: break its lines there.
    cut = np.flatnonzero(outcomes[1:] != outcomes[:-1]) + 1
    x_main = np.insert(values, cut, np.nan)
    for p, (name, v) in enumerate(pays.items()):
        cols = v.reshape(len(values), -1)
        kw = dict(color=style.player_color(p), ls=style.player_linestyle(p), zorder=3)
        for k in range(cols.shape[1] - 1, -1, -1):
            if k:
                branches = True
                ax.plot(values, cols[:, k], lw=1.6, alpha=0.75, gid=style.gid("branch", name, k), **kw)
            else:
                ax.plot(x_main, np.insert(cols[:, 0], cut, np.nan), lw=payoff_linewidth(p),
                        gid=style.gid("payoff", name), **kw)
                # markers above every line, so a later player's line never cuts an earlier one's
                marks = marker_points(len(values), p, n_players)
                ax.plot(values[marks], cols[marks, 0], ls="none", color=kw["color"], marker=style.player_marker(p),
                        ms=7, mec="white", mew=0.8, zorder=3.5, clip_on=False, gid=style.gid(MARKS_GID, name))
    for k, (v, _, _) in enumerate(bounds):
        ax.axvline(v, color=style.INK, lw=1.6, ls=(0, (5, 3)), zorder=4, gid=style.gid(BOUNDARY_GID, k))
    _boundary_labels(ax, bounds, plot_w, parameter)
    ax.set_xlabel(parameter + (f" ({unit})" if unit else ""), fontsize=style.LABEL_SIZE + 1)
    ax.set_ylabel(words[0], fontsize=style.LABEL_SIZE + 1)
    ax.tick_params(labelsize=style.TEXT_SIZE + 1)
    ax.grid(axis="y", color="white", lw=0.8, alpha=0.9, zorder=1)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    player_handles = [Line2D([], [], color=style.player_color(p), ls=style.player_linestyle(p), lw=payoff_linewidth(p),
                             marker=style.player_marker(p), ms=7, mec="white", label=name)
                      for p, name in enumerate(pays)]
    if branches:
        player_handles.append(Line2D([], [], color=style.MUTED, lw=1.6, label="other equilibria"))
    fig.legend(handles=player_handles, title=words[1], loc="upper left",
               bbox_to_anchor=((1.0 + plot_w + 0.25) / width, (below + plot_h) / height), frameon=False,
               fontsize=style.TEXT_SIZE + 1, title_fontsize=style.TEXT_SIZE + 1, handlelength=3.2,
               alignment="left")
    regime_handles = []
    for k, o in enumerate(order):
        color, hatch = style.regime_style(k)
        name = labels.get(o) or o
        regime_handles.append(Patch(fc=to_rgba(color, 0.28), ec=to_rgba(style.INK, 0.35), hatch=hatch,
                                    label=name if name == o else f"{name} ({o})"))
    fig.legend(handles=regime_handles, title=words[2], loc="upper left", ncol=legend_cols,
               bbox_to_anchor=(1.0 / width, (below - 0.75) / height), frameon=False, fontsize=style.TEXT_SIZE,
               title_fontsize=style.TEXT_SIZE + 1, alignment="left", handlelength=2.4, handleheight=1.3)
    if title:
        fig.text(1.0 / width, 1 - 0.15 / height, title, ha="left", va="top", fontsize=style.TITLE_SIZE,
                 fontweight="bold", color=style.INK)
    return fig


def payoff_linewidth(p: int) -> float:
    """The width of the payoff line of the player at index `p`: each player's line a little thinner
    than the one drawn before it, so where two players' payoffs coincide the lower line shows on
    both sides of the upper one."""
    return max(1.6, 3.4 - 0.6 * p)


def marker_points(n: int, p: int, n_players: int) -> np.ndarray:
    """Indices of the `n` samples that get the marker of the player at index `p`: about 8 along the
    line, each player's offset from the others', so coincident lines still show every player's marker."""
    step = max(n_players, n // 8)
    return np.arange(p * step // n_players, n, step)


def _label_rows(bounds, values, parameter, plot_w) -> list[tuple[float, str, int]]:
    """Each boundary's label and row above the plot: labels too close to the previous go one row up."""
    per_in = (values[-1] - values[0]) / plot_w
    last_end = [-np.inf, -np.inf]
    out = []
    for v, _, _ in bounds:
        text = f"{parameter} = {style.fmt_value(v, 4)}"
        half = (len(text) * (style.TEXT_SIZE + 1) / 72 * 0.62 / 2 + 0.1) * per_in
        row = 0 if v - half > last_end[0] else 1
        last_end[row] = v + half
        out.append((v, text, row))
    return out


def _stacked(bounds, values, parameter, plot_w) -> bool:
    return any(row for _, _, row in _label_rows(bounds, values, parameter, plot_w))


def _boundary_labels(ax, bounds, plot_w, parameter) -> None:
    """Each boundary's value above the plot."""
    x0, x1 = ax.get_xlim()
    for v, text, row in _label_rows(bounds, np.array([x0, x1]), parameter, plot_w):
        ax.annotate(text, (v, 1.0), xycoords=("data", "axes fraction"), xytext=(0, 5 + 17 * row),
                    textcoords="offset points", ha="center", va="bottom", fontsize=style.TEXT_SIZE + 1,
                    fontweight="bold", color=style.INK, annotation_clip=False)
