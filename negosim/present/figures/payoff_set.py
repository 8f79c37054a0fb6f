"""Figures of a repeated game: the subgame-perfect payoff set (nested over discount factors) and the
truce's survival curves per strategy."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ...bargain.payoff_set import EquilibriumPayoffSet, equilibrium_payoffs
from ...scenario.model import Scenario
from ...scenario.repeated_analysis import PAYOFF_SET_MAX_ITER, PAYOFF_SET_TOL, grim_at, simulate_scenario, stage_game
from .save import save_figure
from .style import INK, MUTED, PLAYER_COLORS, PLAYER_LINESTYLES, REGIME_COLORS, context, new_figure

#: Discount factors drawn by default: from impatient to patient, the sets grow.
DEFAULT_DELTAS = tuple(round(x, 2) for x in np.arange(0.05, 1.0, 0.05))


def payoff_set_figure(scenario: Scenario, path: str | Path | None = None, *,
                      deltas: Sequence[float] | None = None, tol: float = PAYOFF_SET_TOL,
                      max_iter: int = PAYOFF_SET_MAX_ITER):
    """Draw the subgame-perfect equilibrium payoffs (Abreu-Sannikov) of a 2-player repeated scenario.

    One polygon per effective discount factor in `deltas` (default: `DEFAULT_DELTAS` and the scenario's own
    ``delta * rho``, drawn in bold), over the feasible set (the convex hull of the stage payoffs) with the
    stage profiles marked. Returns the matplotlib Figure; writes it to `path` if given.

    Parameters
    ----------
    scenario : Scenario
        A 2-player ``form: repeated`` scenario (a ValueError for more players).
    path : str or Path, optional
        Where to write the figure.
    deltas : sequence of float, optional
        Effective discount factors to draw, besides the scenario's own.
    tol, max_iter : float, int
        The Abreu-Sannikov iteration's tolerance and bound.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import negosim as ns
    >>> fig = payoff_set_figure(ns.load("scenarios/ceasefire_truce_repeated.yaml"), deltas=[0.5])
    >>> type(fig).__name__
    'Figure'
    """
    stage = stage_game(scenario)
    if stage.n_players != 2:
        raise ValueError("the payoff set is drawn for 2-player games")
    A, B = stage.payoffs[0], stage.payoffs[1]
    own = float(grim_at(scenario).effective_discount)
    values = sorted({*(deltas if deltas is not None else DEFAULT_DELTAS), round(own, 12)})
    pts = np.stack([A.ravel(), B.ravel()], axis=1)
    with context():
        fig = new_figure(7.0, 5.0)
        ax = fig.add_subplot()
        _feasible(ax, pts)
        # Equal sets at several discount factors are drawn once, labelled with the range of discount factors.
        groups: list[tuple[list[float], EquilibriumPayoffSet]] = []
        for d in values:
            V = equilibrium_payoffs(A, B, d, tol=tol, max_iter=max_iter)
            if groups and _same(groups[-1][1].vertices, V.vertices):
                groups[-1][0].append(d)
            else:
                groups.append(([d], V))
        for k, (ds, V) in enumerate(groups):
            bold = any(abs(d - own) < 1e-12 for d in ds)
            color = INK if bold else REGIME_COLORS[k % len(REGIME_COLORS)]
            span = f"δρ = {ds[0]:.3g}" if len(ds) == 1 else f"δρ = {ds[0]:.3g} to {ds[-1]:.3g}"
            label = span + (f" (the scenario: {own:.3g})" if bold else "") + (
                "" if V.converged else " (not converged)")
            _polygon(ax, V.vertices, color, label, lw=2.6 if bold else 1.6,
                     fill=0.12 if bold else 0.0)
        names = _profile_names(stage)
        for (x, y), name in zip(pts, names):
            ax.plot([x], [y], "o", color=INK, ms=5, zorder=5)
            ax.annotate(name, (x, y), textcoords="offset points", xytext=(5, 5), fontsize=10, color=INK)
        p1, p2 = stage.players
        ax.set_xlabel(f"{p1}'s average payoff per period")
        ax.set_ylabel(f"{p2}'s average payoff per period")
        ax.set_title(f"{scenario.title}\nsubgame-perfect equilibrium payoffs (Abreu-Sannikov) by discount")
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=9, frameon=False)
        if path is not None:
            save_figure(fig, path)
    return fig


def survival_figure(scenario: Scenario, path: str | Path | None = None, *, strategies: Sequence[str] = ("grim",),
                    compare: Sequence[str] = (), runs: int = 10_000, windows: int = 24, seed: int = 0,
                    false_alarm: float = 0.0):
    """Draw the truce's survival curve (share of truces unbroken after each window) for `strategies` and for
    each strategy in `compare` (played by every player), with the expiry-only curve ``rho ** (t - 1)``.
    Returns the Figure; writes it to `path` if given.

    Parameters
    ----------
    scenario : Scenario
        A ``form: repeated`` scenario that names a cooperative profile.
    path : str or Path, optional
        Where to write the figure.
    strategies : sequence of str, default ("grim",)
        One strategy for all players, or one per player.
    compare : sequence of str
        Further strategies, each played by every player, drawn for comparison.
    runs, windows, seed, false_alarm : int, int, int, float
        The simulation's number of truces, windows, random seed and false-alarm probability.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import negosim as ns
    >>> fig = survival_figure(ns.load("scenarios/ceasefire_truce_repeated.yaml"), runs=100, windows=3)
    >>> type(fig).__name__
    'Figure'
    """
    g = grim_at(scenario)
    rho = float(g.extension)
    runs_of = [tuple(strategies)] + [(s,) for s in compare if (s,) != tuple(strategies)]
    t = np.arange(windows + 1)
    with context():
        # Two panels: "unbroken" counts a truce as lost at its first violation, which grim, tit for tat and
        # win-stay-lose-shift share (they all hold until the first violation is seen), so their curves
        # coincide; what tells them apart is whether both sides hold again afterwards, the lower panel.
        fig = new_figure(7.0, 8.2)
        ax, below = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [1, 1], "hspace": 0.12})
        ax.plot(t[1:], rho ** (t[1:] - 1), color=MUTED, lw=1.2, ls=":", label=f"expiry only (ρ = {rho:g})")
        for k, strat in enumerate(runs_of):
            sim = simulate_scenario(scenario, strat, runs=runs, windows=windows, seed=seed, false_alarm=false_alarm)
            label = " vs ".join(dict.fromkeys(sim.strategies)).replace("_", " ")
            color = PLAYER_COLORS[k % len(PLAYER_COLORS)]
            style = dict(color=color, ls=PLAYER_LINESTYLES[k % len(PLAYER_LINESTYLES)], lw=1.8)
            ax.step(t, sim.survival, where="post", label=label, **style)
            share = both_hold_share(sim)
            overall = float(sim.holding.sum() / sim.in_force.sum()) if sim.in_force.sum() > 0 else float("nan")
            below.step(t[1:], share, where="post", label=f"{label}: {overall:.0%} of windows in force", **style)
        ax.set_xlim(0, windows)
        ax.set_ylim(0, 1.02)
        ax.set_ylabel("share of truces unbroken\n(no violation seen so far)")
        ax.set_title(f"{scenario.title}\n{runs:,} runs, seed {seed}: δ = {float(g.discount):g}, "
                     f"detection {float(g.detection):g}, false alarms {false_alarm:g}")
        ax.legend(loc="upper right", fontsize=9, frameon=False)
        below.set_ylim(0, 1.02)
        below.set_xlabel("window (30 days each)")
        below.set_ylabel("both sides hold in this window\n(share of truces in force)")
        below.legend(loc="upper left", bbox_to_anchor=(0.0, -0.16), fontsize=9, frameon=False, ncol=2,
                     title="both hold, over all the windows in force", title_fontsize=9, alignment="left")
        if path is not None:
            save_figure(fig, path)
    return fig


def both_hold_share(sim) -> np.ndarray:
    """Per window, the share of the truces in force in which every side holds (NaN where none is in force):
    the lower panel of the survival figure, which tells apart strategies that forgive from grim trigger.

    Parameters
    ----------
    sim : Simulation
        Simulated truces (anything with arrays ``holding`` and ``in_force`` per window).

    Returns
    -------
    numpy.ndarray
        ``holding / in_force`` per window, NaN where no truce is in force.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> both_hold_share(SimpleNamespace(holding=np.array([0.9, 0.4, 0.0]), in_force=np.array([1.0, 0.8, 0.0])))
    array([0.9, 0.5, nan])
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(sim.in_force > 0, sim.holding / sim.in_force, np.nan)


def _feasible(ax, pts: np.ndarray) -> None:
    from scipy.spatial import ConvexHull

    try:
        hull = pts[ConvexHull(pts).vertices]
    except Exception:  # collinear stage payoffs: draw the segment
        hull = pts[np.lexsort((pts[:, 1], pts[:, 0]))]
    ax.fill(hull[:, 0], hull[:, 1], color="#EEEEEE", zorder=0, label="feasible payoffs")


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.abs(a - b).max(initial=0.0) <= 1e-9)


def _polygon(ax, vertices: np.ndarray, color: str, label: str, *, lw: float, fill: float) -> None:
    if len(vertices) == 0:
        ax.plot([], [], color=color, label=label + ": empty")
        return
    if len(vertices) == 1:  # one equilibrium payoff: the stage equilibrium repeated
        ax.plot(vertices[:, 0], vertices[:, 1], "s", color=color, ms=11, mfc="none", mew=2, label=label, zorder=4)
        return
    closed = np.vstack([vertices, vertices[:1]])
    ax.plot(closed[:, 0], closed[:, 1], color=color, lw=lw, label=label, zorder=3)
    if fill:
        ax.fill(vertices[:, 0], vertices[:, 1], color=color, alpha=fill, zorder=2)


def _profile_names(stage) -> list[str]:
    from ...game.profiles import profile_names

    return profile_names(stage)


__all__ = ["DEFAULT_DELTAS", "both_hold_share", "payoff_set_figure", "survival_figure"]
