"""The explorer: the equilibrium of a scenario at any parameter values, as data for a page of sliders.

`explore_point` solves one point (a batch of one: a few milliseconds for the classroom's scenarios)
and returns the game drawn as a tree or a matrix with the equilibrium marked, the outcome, the payoffs
and a sentence that explains them. `explore_routes` serves it; `negosim explore FILE` runs it alone.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from .rules import CHANCE_ROLE, CONCEPT_NAMES, Rules, rules_for

MAX_PARAMS = 200


def _fmt(x: float) -> str:
    return f"{x:.3f}".rstrip("0").rstrip(".") if abs(x) < 1e6 else f"{x:.4g}"


def source_at(source, params: dict[str, float]):
    """The source with its parameters set (each checked against its declared range).

    Parameters
    ----------
    source : negosim.api.Source
        A scenario as `negosim.api.open_source` returns it.
    params : dict
        ``{parameter name: value}``; empty leaves the source as it is (a game file has no parameters).

    Returns
    -------
    negosim.api.Source
        The source rebuilt at the new values.

    Examples
    --------
    >>> from negosim.api import open_source
    >>> src = open_source("scenarios/entry_deterrence.yaml")
    >>> source_at(src, {"m": 0.0}).parameters
    {'m': 0.0, 'd': 2.0, 'w': 0.0, 'e': 1.0, 'rep': 0.0}
    >>> source_at(src, {}) is src
    True
    """
    if not params:
        return source
    sc: Any = source.scenario
    sc = sc.with_overrides(params)
    return replace(source, game=sc.build(), parameters=sc.values(), scenario=sc)


def _tree(rules: Rules) -> tuple[dict, list[str], dict[str, float]]:
    """The tree as nested dicts with each action's equilibrium probability and each node's reach
    probability, the moves along the equilibrium path (while it is certain), and each information
    set's probability of being reached."""
    game, beh = rules.game, rules.prediction.behavior
    reached: dict[str, float] = {}

    def node(i: int, reach: float) -> dict:
        n = game.nodes[i]
        if n.kind == "terminal":
            oid = game.outcomes[n.outcome].id
            values = rules.payoff_table[n.outcome]
            return {"outcome": oid, "label": rules.outcome_labels.get(oid, oid), "reach": reach,
                    "payoffs": {p: float(v) for p, v in zip(rules.players, values)}}
        if n.kind == "chance":
            probs = [float(x) for x in rules.chance[i]]
            who = CHANCE_ROLE
        else:
            probs = [beh.get(n.infoset, {}).get(a, 0.0) for a in n.actions]
            who = rules.names[rules.players[n.player]]
            reached[n.infoset] = reached.get(n.infoset, 0.0) + reach
        return {"id": n.id, "who": who, "label": n.label if n.label != n.id else "", "reach": reach,
                "infoset": n.infoset if n.kind == "decision" else None,
                "actions": [{"action": a, "prob": q, "child": node(c, reach * q)}
                            for a, q, c in zip(n.actions, probs, n.children)]}

    path, i = [], game.root
    while game.nodes[i].kind == "decision":
        n = game.nodes[i]
        probs = beh.get(n.infoset, {})
        sure = [a for a in n.actions if probs.get(a, 0.0) == 1.0]
        if not sure:
            break
        path.append(f"{rules.names[rules.players[n.player]]} chooses {sure[0]}")
        i = n.children[n.actions.index(sure[0])]
    drawn = node(game.root, 1.0)
    return drawn, path, reached


def _matrix(rules: Rules) -> dict | None:
    """A two-player game's payoff matrix with each cell's equilibrium probability (None for n > 2)."""
    game = rules.game
    if game.n_players != 2:
        return None
    beh = rules.prediction.behavior
    rows, cols = game.actions
    return {"players": [rules.names[p] for p in rules.players], "rows": list(rows), "cols": list(cols),
            "cells": [[{"payoffs": [float(rules.payoff_table[0, r, c]), float(rules.payoff_table[1, r, c])],
                        "prob": beh.get(rules.players[0], {}).get(rows[r], 0.0)
                        * beh.get(rules.players[1], {}).get(cols[c], 0.0)}
                       for c in range(len(cols))] for r in range(len(rows))]}


def _sentence(rules: Rules, path: list[str], reached: dict[str, float]) -> str:
    pred = rules.prediction
    if pred.count == 0:
        return "negosim found no equilibrium at these values."
    concept = CONCEPT_NAMES
    outcomes = "; ".join(rules.outcome_labels.get(o, o) + ("" if q == 1 else f" with probability {_fmt(q)}")
                         for o, q in pred.outcomes.items())
    payoffs = ", ".join(f"{rules.names[p]} {_fmt(v)}" for p, v in pred.payoffs.items())
    if rules.tree:
        along, offs = [], []
        for d in rules.decisions:
            probs = pred.behavior.get(d.id, {})
            best = [a for a, q in probs.items() if q > 0]
            what = best[0] if len(best) == 1 else " or ".join(f"{a} ({_fmt(probs[a])})" for a in best)
            where = f"at {d.label!r}" if d.label else f"at {d.id}"
            if reached.get(d.id, 0.0) == 0:
                offs.append(f"{rules.names[d.role]} would choose {what} {where}")
            elif len(best) > 1 or not path:
                along.append(f"{rules.names[d.role]} chooses {what} {where}")
        steps = ", then ".join(path) if path else "; ".join(along)
        text = f"In the {concept[pred.concept]}, {steps}: {outcomes}. Payoffs: {payoffs}."
        if path and along:
            text += " Later, " + "; ".join(along) + "."
        if offs:
            text += " Off the path, " + "; ".join(offs) + "."
    else:
        plays = "; ".join(rules.names[p] + " plays " + " or ".join(
            a + ("" if q == 1 else f" ({_fmt(q)})") for a, q in pred.behavior[p].items() if q > 0)
            for p in rules.players)
        text = f"In the {concept[pred.concept]}, {plays}: {outcomes}. Payoffs: {payoffs}."
    return text + (" " + pred.note if pred.note else "")


def explore_point(source, params: dict[str, float]) -> dict:
    """The equilibrium of `source` at `params`: the game with it marked, the outcome and the sentence.

    Parameters
    ----------
    source : negosim.api.Source
        A scenario or a game file.
    params : dict
        ``{parameter name: value}`` to set before solving (see `source_at`).

    Returns
    -------
    dict
        ``form`` ("tree" or "normal"), ``tree`` or ``matrix`` (the game with each action's or cell's
        equilibrium probability), ``path`` (the sure moves from the root), ``outcomes``, ``payoffs``,
        ``count``, ``sentence`` and ``solve_ms``.

    Examples
    --------
    >>> from negosim.api import open_source
    >>> point = explore_point(open_source("scenarios/entry_deterrence.yaml"), {"rep": 1.0})
    >>> point["form"], point["path"], point["outcomes"]
    ('tree', ['Entrant chooses in', 'Incumbent chooses accommodate'], {'shared_market': 1.0})
    >>> print(point["sentence"])
    In the subgame-perfect equilibrium, Entrant chooses in, then Incumbent chooses accommodate:
    Entry accommodated; the market is shared. Payoffs: Entrant 1, Incumbent 2.
    """
    started = time.perf_counter()
    rules = rules_for(source_at(source, params))
    tree, path, reached = _tree(rules) if rules.tree else (None, [], {})
    pred = rules.prediction
    return {"form": "tree" if rules.tree else "normal", "tree": tree, "matrix": None if rules.tree else _matrix(rules),
            "path": path, "outcomes": pred.outcomes, "payoffs": pred.payoffs, "count": pred.count,
            "sentence": _sentence(rules, path, reached), "solve_ms": round((time.perf_counter() - started) * 1000, 2)}


def explore_info(source) -> dict:
    """Title, every parameter with its declared range (for the sliders), and the regime map's default
    axes (the parameters the scenario's named sweeps vary first; empty for a game file).

    Parameters
    ----------
    source : negosim.api.Source
        A scenario or a game file.

    Returns
    -------
    dict
        ``title``, ``parameters`` (each a dict of name, value, low, high, unit and description) and
        ``map_axes``.

    Examples
    --------
    >>> from negosim.api import open_source
    >>> info = explore_info(open_source("scenarios/entry_deterrence.yaml"))
    >>> info["title"], info["map_axes"]
    ('Entry deterrence (a non-credible threat)', ['rep', 'm', 'd', 'w', 'e'])
    >>> info["parameters"][0]["name"], info["parameters"][0]["low"], info["parameters"][0]["high"]
    ('m', 0.0, 10.0)
    """
    from .regime import default_axes

    sc: Any = source.scenario
    params = [] if sc is None else [
        {"name": p.name, "value": p.value, "low": p.low, "high": p.high, "unit": p.unit, "description": p.description}
        for p in sc.parameters.values()]
    return {"title": source.title, "parameters": params, "map_axes": [] if sc is None else default_axes(sc)}


def explore_map(source, query: list[tuple[str, str]]) -> dict:
    """The regime map asked by an explorer request: ``map_x``, ``map_y`` (optional) and ``map_side`` name
    the grid (prefixed, so that they never clash with a parameter's name); every other item is a
    parameter value, as for a point. Raises ValueError with a message for the page.

    Parameters
    ----------
    source : negosim.api.Source
        A scenario (a game file has no map).
    query : list of tuple of str
        The request's ``(name, value)`` items.

    Returns
    -------
    dict
        The regime map: ``x``, ``y`` (None for a line), ``regimes``, ``codes`` and ``solve_ms``.

    Raises
    ------
    ValueError
        When the request does not name a map, or a value is not a number.

    Examples
    --------
    >>> from negosim.api import open_source
    >>> src = open_source("scenarios/entry_deterrence.yaml")
    >>> grid = explore_map(src, [("map_x", "rep"), ("map_side", "5")])
    >>> grid["x"]["values"], grid["codes"]
    ([0.0, 1.0, 2.0, 3.0, 4.0], [[0, 0, 1, 1, 1]])
    >>> explore_map(src, [("m", "5")])
    Traceback (most recent call last):
        ...
    ValueError: name the map's horizontal axis (map_x)
    """
    from .regime import DEFAULT_SIDE, regime_map

    if source.scenario is None:
        raise ValueError("a game file has no parameters, so no regime map")
    options = {k[4:]: v for k, v in query if k in ("map_x", "map_y", "map_side")}
    values = {}
    for k, v in query:
        if k not in ("map_x", "map_y", "map_side"):
            try:
                values[k] = float(v)
            except ValueError:
                raise ValueError(f"{k}: {v[:40]!r} is not a number") from None
    if "x" not in options:
        raise ValueError("name the map's horizontal axis (map_x)")
    side = options.get("side", str(DEFAULT_SIDE))
    if not side.isdigit():
        raise ValueError("side must be a whole number")
    return regime_map(source.scenario, values, options["x"], options.get("y") or None, int(side))


def explore_routes(sources: list, token: str | None = None) -> list:
    """Starlette routes of the explorer for `sources` (behind the teacher's token when `token` is set:
    in a live classroom the explorer shows the equilibrium, which students should find by playing).

    Parameters
    ----------
    sources : list of negosim.api.Source
        The scenarios the explorer offers (chosen by index with the ``scenario`` query item).
    token : str, optional
        The teacher's token the API requires (in the ``X-Teacher-Token`` header); None: open to all.

    Returns
    -------
    list of starlette.routing.Route
        The page and its three API routes (info, solve, map).

    Examples
    --------
    >>> from negosim.api import open_source
    >>> [route.path for route in explore_routes([open_source("scenarios/entry_deterrence.yaml")])]
    ['/explore', '/api/explore/info', '/api/explore/solve', '/api/explore/map']
    """
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    from ..errors import NegosimInputError
    from .guard import same_token
    from .web import SECURITY_HEADERS, _asset

    def refuse(status: int, code: str, message: str) -> JSONResponse:
        return JSONResponse({"error": code, "message": message}, status, headers=SECURITY_HEADERS)

    def pick(request: Request):
        raw = request.query_params.get("scenario", "0")
        if not raw.isdigit() or int(raw) >= len(sources):
            return None
        return sources[int(raw)]

    async def page(request: Request) -> Response:
        return Response(_asset("explore.html"), media_type="text/html; charset=utf-8", headers=SECURITY_HEADERS)

    async def api(request: Request) -> Response:
        if token is not None and not same_token(request.headers.get("x-teacher-token"), token):
            return refuse(403, "not_teacher", "in a live classroom only the teacher's page can open the explorer")
        source = pick(request)
        if source is None:
            return refuse(404, "not_found", "no such scenario")
        if request.url.path.endswith("/info"):
            return JSONResponse({**explore_info(source), "scenarios": [s.title for s in sources]},
                                headers=SECURITY_HEADERS)
        values: dict[str, float] = {}
        items = [(k, v) for k, v in request.query_params.multi_items() if k != "scenario"]
        if len(items) > MAX_PARAMS:
            return refuse(400, "bad_parameter", "too many parameters")
        if request.url.path.endswith("/map"):
            try:
                return JSONResponse(explore_map(source, items), headers=SECURITY_HEADERS)
            except ValueError as exc:  # NegosimInputError is a ValueError too: one line for the page
                return refuse(400, "bad_parameter", str(exc).split("\n")[0])
        for k, v in items:
            try:
                values[k] = float(v)
            except ValueError:
                return refuse(400, "bad_parameter", f"{k}: {v[:40]!r} is not a number")
        try:
            return JSONResponse(explore_point(source, values), headers=SECURITY_HEADERS)
        except NegosimInputError as exc:
            return refuse(400, "bad_parameter", str(exc).split("\n")[0])

    return [Route("/explore", page), Route("/api/explore/info", api), Route("/api/explore/solve", api),
            Route("/api/explore/map", api)]


__all__ = ["explore_info", "explore_map", "explore_point", "explore_routes", "source_at"]
