"""A `Solution` seen from outside: one-line text, an HTML table, a dict, pandas frames, named columns.

The `Solution` methods (`repr`, `_repr_html_`, `to_dict`, `to_frame`, `outcome_probability`, ...)
are thin calls into this module. pandas is imported only by the frames, and only when asked for
(the optional ``negosim[notebook]`` extra).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import numpy as np

from ..game.normal import NormalFormGame
from ..game.tree import GameTree

if TYPE_CHECKING:
    import pandas

    from .result import Solution

PANDAS_HINT = 'this needs pandas: pip install "negosim[notebook]"'
#: Rows shown by the HTML display before it says how many more there are.
HTML_ROWS = 20


def require_pandas() -> Any:
    """Return the pandas module, or raise ImportError with the one-line install hint."""
    try:
        import pandas
    except ImportError:
        raise ImportError(PANDAS_HINT) from None
    return pandas


def summary_line(sol: Solution) -> str:
    """The one-line description `repr(Solution)` shows."""
    n, points = len(sol.point), sol.batch_size
    eqs = f"{n} equilibri{'um' if n == 1 else 'a'}"
    where = "" if points == 1 and not sol.batch_shape else f" at {points} point{'s' if points != 1 else ''}"
    flags = []
    flags.append("complete" if bool(np.all(sol.complete)) else "not complete")
    if bool(np.any(sol.degenerate)):
        flags.append("degenerate")
    if bool(np.any(sol.tied)):
        flags.append("ties")
    title = f" of {sol.game.title!r}" if sol.game.title else ""
    return f"<Solution {sol.concept}{title}: {eqs}{where}; {', '.join(flags)}>"


def outcomes(sol: Solution) -> np.ndarray:
    """Each equilibrium row's outcome (the policy's, `negosim.solve.primary.equilibrium_outcomes`)."""
    from .primary import equilibrium_outcomes

    return equilibrium_outcomes(sol)


def outcome_probability(sol: Solution, outcome: str) -> np.ndarray:
    """Probability that each equilibrium row's play ends in `outcome` (an outcome id), shape ``(E,)``."""
    game = sol.game
    if isinstance(game, GameTree):
        ids = [o.id for o in game.outcomes]
        if outcome not in ids:
            raise KeyError(f"unknown outcome {outcome!r}; outcomes are {ids}")
        return sol.outcome_probs[:, ids.index(outcome)].copy()
    if game.outcomes is None:
        raise KeyError("this normal-form game names no outcomes; use probability(player, action)")
    cells = np.asarray(game.outcomes, dtype=object) == outcome
    if not cells.any():
        raise KeyError(f"unknown outcome {outcome!r}; outcomes are {sorted(set(map(str, game.outcomes.flat)))}")
    return joint(sol)[:, cells.reshape(-1)].sum(axis=1)


def joint(sol: Solution) -> np.ndarray:
    """Each normal-form row's probability of every pure profile, shape ``(E, n_profiles)``."""
    if "distribution" in sol.extra:  # a correlated equilibrium: the joint distribution is not a product
        return np.asarray(sol.extra["distribution"]).reshape(len(sol.point), -1)
    strategies = sol.strategies
    out = np.ones((len(sol.point), 1))
    for s in strategies:
        out = (out[:, :, None] * s[:, None, :]).reshape(len(sol.point), -1)
    return out


#: Joint profiles with at most this probability are left out of a correlated equilibrium's distribution.
ZERO_PROBABILITY = 1e-9


def joint_distribution(game: NormalFormGame | GameTree, q: np.ndarray) -> dict[str, float]:
    """A correlated equilibrium's distribution keyed by profile labels joined with ``/`` in player order.

    Profiles of (nearly) zero probability are left out; the keys follow the game's profile order and
    `negosim.solve.correlated.profile_key` (labels in parentheses when any contains ``/``).
    """
    import itertools

    from .correlated import profile_key

    assert isinstance(game, NormalFormGame)
    return {profile_key(game.actions, profile): float(q[profile])
            for profile in itertools.product(*(range(k) for k in game.shape)) if q[profile] > ZERO_PROBABILITY}


def probability(sol: Solution, player: str, action: str, infoset: str | None = None) -> np.ndarray:
    """Probability that `player` plays `action` in each equilibrium row (at `infoset` for a tree)."""
    game = sol.game
    i = _player(game, player)
    if isinstance(game, NormalFormGame):
        if action not in game.actions[i]:
            raise KeyError(f"{player} has no action {action!r}; actions are {list(game.actions[i])}")
        return sol.strategies[i][:, game.actions[i].index(action)].copy()
    sets = [(k, s, nodes) for k, (p, s, nodes) in enumerate(game.infosets()) if p == i]
    if infoset is None:
        found = [(k, s) for k, s, nodes in sets if action in game.nodes[nodes[0]].actions]
        if len(found) != 1:
            where = "no information set" if not found else f"information sets {[s for _, s in found]}"
            raise KeyError(f"{player} has action {action!r} at {where}; give infoset=")
        k = found[0][0]
    else:
        match = [(k, nodes) for k, s, nodes in sets if s == infoset]
        if not match:
            raise KeyError(f"{player} has no information set {infoset!r}; they are {[s for _, s, _ in sets]}")
        k = match[0][0]
    actions = game.nodes[game.infosets()[k][2][0]].actions
    if action not in actions:
        raise KeyError(f"no action {action!r} there; actions are {list(actions)}")
    return sol.behavior[k][:, actions.index(action)].copy()


def _player(game: NormalFormGame | GameTree, player: str) -> int:
    if player not in game.players:
        raise KeyError(f"unknown player {player!r}; players are {list(game.players)}")
    return game.players.index(player)


def point_parameters(sol: Solution) -> dict[str, np.ndarray]:
    """The parameter values of each equilibrium row's point (flat arrays of length E)."""
    return {k: np.broadcast_to(np.asarray(v, dtype=float), sol.batch_shape).reshape(-1)[sol.point]
            for k, v in sol.parameters.items()}


def to_dict(sol: Solution) -> dict[str, Any]:
    """A JSON-ready dict: the concept, method, players, notes, and every equilibrium with its point."""
    from ..io.jsonout import clean, equilibrium_json

    params = point_parameters(sol)
    rows = []
    for e in range(len(sol.point)):
        eq = sol._labelled(e)
        row: dict[str, Any] = {"point": int(sol.point[e])}
        if params:
            row["parameters"] = {k: clean(float(v[e])) for k, v in params.items()}
        row.update(equilibrium_json(eq))
        row["outcome"] = eq.outcome
        row.update(regret=clean(float(sol.regret[e])), tied=bool(sol.tied[e]))
        rows.append(row)
    flat = sol.complete.reshape(-1), sol.degenerate.reshape(-1)
    return {"concept": sol.concept, "method": sol.method, "players": list(sol.game.players),
            "batch_shape": list(sol.batch_shape), "complete": [bool(x) for x in flat[0]],
            "degenerate": [bool(x) for x in flat[1]], "notes": list(sol.notes), "equilibria": rows}


def to_frame(sol: Solution, kind: str = "equilibria") -> pandas.DataFrame:
    """A pandas DataFrame of the solution (see `Solution.to_frame`)."""
    pd = require_pandas()
    if kind == "strategies":
        return _strategy_frame(sol, pd)
    if kind != "equilibria":
        raise ValueError(f"kind must be 'equilibria' or 'strategies', not {kind!r}")
    flat_complete, flat_degenerate = sol.complete.reshape(-1), sol.degenerate.reshape(-1)
    columns: dict[str, Any] = {"point": sol.point.astype(np.int64)}
    columns.update(point_parameters(sol))
    columns["concept"] = np.full(len(sol.point), sol.concept, dtype=object)
    columns["outcome"] = outcomes(sol)
    for i, p in enumerate(sol.game.players):
        columns[f"payoff_{p}"] = sol.payoffs[:, i]
    columns["regret"] = sol.regret
    columns["tied"] = sol.tied.astype(bool)
    columns["complete"] = flat_complete[sol.point].astype(bool)
    columns["degenerate"] = flat_degenerate[sol.point].astype(bool)
    return pd.DataFrame(columns)


def _strategy_frame(sol: Solution, pd: Any) -> pandas.DataFrame:
    """Long form: one row per equilibrium, player, (information set,) action with its probability."""
    game = sol.game
    E = len(sol.point)
    parts: dict[str, list[np.ndarray]] = {k: [] for k in ("point", "equilibrium", "player", "infoset", "action",
                                                            "probability")}
    blocks: list[tuple[str, str, tuple[str, ...], np.ndarray]] = []
    if isinstance(game, NormalFormGame):
        blocks = [(p, "", game.actions[i], sol.strategies[i]) for i, p in enumerate(game.players)]
    else:
            blocks = [(game.players[p], s, game.nodes[nodes[0]].actions, sol.behavior[k])
                  for k, (p, s, nodes) in enumerate(game.infosets())]
    for player, infoset, actions, probs in blocks:
        for j, action in enumerate(actions):
            parts["point"].append(sol.point)
            parts["equilibrium"].append(np.arange(E))
            parts["player"].append(np.full(E, player, dtype=object))
            parts["infoset"].append(np.full(E, infoset, dtype=object))
            parts["action"].append(np.full(E, action, dtype=object))
            parts["probability"].append(probs[:, j])
    data = {k: np.concatenate(v) if v else np.array([]) for k, v in parts.items()}
    if isinstance(game, NormalFormGame):
        del data["infoset"]
    frame = pd.DataFrame(data)
    return frame.sort_values(["equilibrium"], kind="stable").reset_index(drop=True)


def to_html(sol: Solution) -> str:
    """An HTML table of the equilibria (the first `HTML_ROWS`), with the solution's line and notes."""
    e = html.escape
    players = list(sol.game.players)
    params = point_parameters(sol)
    head = ["#", *params, "outcome", *(f"payoff {p}" for p in players), "regret", "tied"]
    out = [f"<div><p><code>{e(summary_line(sol))}</code></p>", "<table>",
           "<tr>" + "".join(f"<th>{e(str(h))}</th>" for h in head) + "</tr>"]
    names = outcomes(sol)
    for r in range(min(len(sol.point), HTML_ROWS)):
        cells = [str(int(sol.point[r])), *(f"{float(v[r]):.6g}" for v in params.values()), str(names[r]),
                 *(f"{float(x):.6g}" for x in sol.payoffs[r]), f"{float(sol.regret[r]):.2g}",
                 "yes" if sol.tied[r] else ""]
        out.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in cells) + "</tr>")
    out.append("</table>")
    if len(sol.point) > HTML_ROWS:
        out.append(f"<p>... {len(sol.point) - HTML_ROWS} more rows: <code>to_frame()</code> has them all.</p>")
    out += [f"<p>Note: {e(n)}</p>" for n in sol.notes]
    out.append("</div>")
    return "\n".join(out)
