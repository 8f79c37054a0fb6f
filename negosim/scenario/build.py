"""Build games from a scenario for a whole batch of parameter points at once.

Every formula is evaluated once on arrays (numpy broadcasting), so building the game at a
million points costs a few array operations per formula; there is no loop over points.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING

import numpy as np

from ..errors import FormulaError, GameError, Problem, ScenarioError
from ..expr.shape import shape_groups
from ..game import GameTree, NormalFormGame, Outcome
from ..game.checks import PROB_TOL
from .gcpause import cycle_collection_paused

if TYPE_CHECKING:
    from ..expr import Formula
    from .model import NormalSpec, OutcomeSpec, Scenario, TreeSpec



def evaluate(scenario: Scenario, params: Mapping | None = None) -> dict[str, np.ndarray]:
    """Return parameter and derived values as float64 arrays (see `Scenario.evaluate`)."""
    given = dict(params or {})
    unknown = [name for name in given if name not in scenario.parameters]
    if unknown:
        raise ScenarioError([Problem(scenario.unknown_name(n), file=scenario.path) for n in unknown])
    env: dict[str, np.ndarray] = {}
    for name, p in scenario.parameters.items():
        if name not in given:
            env[name] = np.asarray(p.value, dtype=np.float64)
            continue
        problem = partial(Problem, file=scenario.path, line=p.line, path=f"parameters.{name}")
        try:
            value = np.asarray(given[name], dtype=np.float64)
        except (TypeError, ValueError):
            raise ScenarioError(
                problem(f"the value given for {name!r} is not a number or array of numbers")
            ) from None
        if not np.isfinite(value).all():
            raise ScenarioError(problem(f"the value given for {name!r} is not finite (NaN or infinity)"))
        env[name] = value
    for name, formula in scenario.derived.items():
        env[name] = formula.evaluate(env)
    return env


def batch_shape(params: Mapping | None) -> tuple[int, ...]:
    """Return the broadcast shape of the given parameter values (``()`` for scalars or none)."""
    given = params or {}
    shapes = [np.shape(v) for v in given.values()]
    try:
        return tuple(np.broadcast_shapes(*shapes))
    except ValueError:
        listed = ", ".join(f"{name}: {np.shape(v)}" for name, v in given.items())
        raise ValueError(f"parameter arrays do not broadcast to one batch shape ({listed})") from None


def build_game(scenario: Scenario, params: Mapping | None = None) -> NormalFormGame | GameTree:
    """Return the scenario's game at `params` (see `Scenario.build`)."""
    from .model import NormalSpec, TreeSpec

    spec = scenario.game
    # (a game's spec is tested first: the bargaining modules are imported by bargaining scenarios only)
    if not isinstance(spec, (NormalSpec, TreeSpec)):  # a BargainSpec
        from ..errors import NegosimUsageError

        raise NegosimUsageError(f"{scenario.path}: a bargaining scenario (model {spec.model.name}) has no "
                                "game to build; solve, sweep, sensitivity, explain and report work on it")

    batch = batch_shape(params)
    env = evaluate(scenario, params)
    players = scenario.player_ids
    if isinstance(spec, NormalSpec):
        return _normal_form(scenario, spec, env, batch)
    payoffs = payoff_table(spec.outcomes, env, batch)
    chance: dict[int, np.ndarray] = {}
    for index, formulas, line in spec.chance:
        chance[index] = chance_probs(scenario, spec.nodes[index].id, formulas, line, env, batch)
    outcomes = tuple(Outcome(o.id, o.label) for o in spec.outcomes)
    return GameTree(players, spec.nodes, 0, outcomes, payoffs, chance, scenario.title, scenario.ties)


def payoff_table(outcomes: tuple[OutcomeSpec, ...], env: Mapping, batch: tuple[int, ...]) -> np.ndarray:
    """Return every outcome's payoffs, shape ``(*batch, n_outcomes, n_players)``."""
    n = len(outcomes[0].payoffs) if outcomes else 0
    # Stored batch-last (each payoff's values contiguous, written in one sweep and read so by the
    # solvers' `columns`, which then need no copy); returned as a view with the batch in front.
    out = np.empty((len(outcomes), n, *batch))
    rest = _payoffs_by_shape(outcomes, env, batch, out)
    if rest is None:  # a value that is not finite: each formula on its own says where, as always
        rest = [(k, i, formula) for k, outcome in enumerate(outcomes) for i, formula in enumerate(outcome.payoffs)]
    for k, i, formula in rest:
        out[k, i] = formula.evaluate(env)
    return np.moveaxis(out, (0, 1), (-2, -1)) if batch else out


def _payoffs_by_shape(outcomes: tuple[OutcomeSpec, ...], env: Mapping, batch: tuple[int, ...],
                      out: np.ndarray) -> list[tuple[int, int, Formula]] | None:
    """Fill `out` with the payoffs of formulas that share an exact shape, evaluated together per shape.

    A big tree's leaves pay the same few formulas with other numbers (`negosim.expr.shape`); one
    evaluation per shape, the numbers as arrays, gives every formula the values its own closure
    gives (only exactly rounded operations are evaluated so). Returns the formulas left to evaluate
    one by one, in order, or None (nothing kept) if any value came out inf or NaN.
    """
    n = out.shape[1]
    formulas = [formula for outcome in outcomes for formula in outcome.payoffs]
    # Each formula's place (outcome, player): formula j is at (j // n, j % n) when every outcome has n
    # payoffs (as validated; none has more, `out` has n places each), else listed.
    places = None if len(formulas) == n * len(outcomes) else \
        [(k, i) for k, outcome in enumerate(outcomes) for i in range(len(outcome.payoffs))]
    rows = None if places is None else np.array([k * n + i for k, i in places], dtype=np.intp)
    groups, alone = shape_groups(formulas, None)
    flat = out.reshape(-1, *batch)  # a view: `out` is new and contiguous
    pad = (1,) * len(batch)
    # Formulas per evaluation: their temporaries stay within _SHAPE_BLOCK values whatever the batch.
    block = max(1, _SHAPE_BLOCK // max(1, int(np.prod(batch, dtype=np.int64))))
    for group in groups:
        names = formulas[group.members[0]].names
        if not names <= env.keys():  # a name the environment lacks: each formula says so on its own
            alone.extend(group.members.tolist())
            continue
        local = {name: np.asarray(env[name], dtype=np.float64) for name in names}
        for start in range(0, len(group.members), block):
            result = np.asarray(group.values(local, start, start + block, pad), dtype=np.float64)
            if not np.isfinite(result).all():
                return None
            members = group.members[start:start + block]
            flat[members if rows is None else rows[members]] = result
    if places is None:
        return [(j // n, j % n, formulas[j]) for j in sorted(alone)]
    return [(*places[j], formulas[j]) for j in sorted(alone)]


# Values (formulas x points) evaluated at once per shape in `_payoffs_by_shape`: 8 MB per temporary.
_SHAPE_BLOCK = 1 << 20


def _normal_form(scenario: Scenario, spec: NormalSpec, env: Mapping, batch: tuple[int, ...]) -> NormalFormGame:
    """Return the normal form: each distinct outcome evaluated once, then placed in its cells."""
    values = [[f.evaluate(env) for f in o.payoffs] for o in spec.outcomes]
    n = len(scenario.players)
    shape = spec.cell_outcome.shape
    payoffs = np.empty((*batch, n, *shape))
    for cell in np.ndindex(*shape):
        row = values[spec.cell_outcome[cell]]
        for i in range(n):
            payoffs[(Ellipsis, i, *cell)] = row[i]
    return NormalFormGame(scenario.player_ids, spec.actions, payoffs, scenario.title, outcomes=spec.cell_ids,
                          ties=scenario.ties)


def chance_probs(scenario: Scenario, node_id: str, formulas: tuple[Formula, ...], line: int | None, env: Mapping,
                 batch: tuple[int, ...]) -> np.ndarray:
    """Return a chance node's probabilities, shape ``(*batch, n_branches)``, checked at every point.

    Raises ScenarioError at the node's line, naming the first point where they are negative or do
    not sum to 1 (within `PROB_TOL`). Rounding-sized negatives are set to 0.
    """
    probs = np.empty((*batch, len(formulas)))
    for j, formula in enumerate(formulas):
        probs[..., j] = formula.evaluate(env)
    bad = (probs < -PROB_TOL).any(axis=-1) | (np.abs(probs.sum(axis=-1) - 1.0) > PROB_TOL)
    if bad.any():
        point = np.unravel_index(int(np.argmax(bad)), batch) if batch else ()
        shown = ", ".join(f"{x:.6g}" for x in probs[point])
        total = probs[point].sum()
        message = f"chance probabilities must be non-negative and sum to 1; they are [{shown}] (sum {total:.12g})"
        names = sorted({name for f in formulas for name in f.names})
        if names:
            at = ", ".join(f"{name}={float(np.broadcast_to(env[name], batch)[point]):.6g}" for name in names)
            message += f" at {at}"
        if batch:
            message += f" (point {tuple(int(i) for i in point)}, one of {int(bad.sum())} such points)"
        raise ScenarioError(Problem(message, file=scenario.path, line=line, path=f"game.nodes.{node_id}.chance"))
    np.maximum(probs, 0.0, out=probs)
    return probs


def baseline_problems(scenario: Scenario) -> list[Problem]:
    """Return every problem of the scenario at its baseline values (each formula checked on its own).

    Non-finite derived values and payoffs, invalid chance probabilities, and (when all of those
    are fine) whatever `GameTree`'s structural checks reject, located at a node's line if possible.
    """
    from .model import TreeSpec

    if isinstance(scenario.game, TreeSpec):
        # A problem-free tree (the usual case) is settled by building it once; evaluating every
        # formula on its own first doubled the cost of loading a big tree. On any failure the
        # formula-by-formula checks run as before and decide, and locate, every problem reported.
        try:
            with cycle_collection_paused():  # a new game, not one kept by an earlier check
                game = build_game(scenario)
        except Exception:  # noqa: BLE001 - the checks below report it (or raise it again)
            pass
        else:
            scenario.keep_baseline_game(game)  # the solve's `build()` takes it instead of building again
            return []
    return problems_formula_by_formula(scenario)


def problems_formula_by_formula(scenario: Scenario) -> list[Problem]:
    """Return `baseline_problems` found by evaluating each formula on its own, then building the game.

    `baseline_problems` calls it for every scenario but a tree that builds without a problem
    (for which it returns no problem either); tests compare the two.
    """
    from .model import NormalSpec, TreeSpec

    problems: list[Problem] = []
    env: dict = {name: np.asarray(p.value, dtype=np.float64) for name, p in scenario.parameters.items()}
    for name, formula in scenario.derived.items():
        if formula.names <= env.keys():
            try:
                env[name] = formula.evaluate(env)
            except FormulaError as error:
                problems.extend(error.problems)
    spec = scenario.game
    if scenario.form == "bargaining":
        if not problems:
            from .bargainsolve import baseline_problems as bargaining_problems

            problems.extend(bargaining_problems(scenario))
        return problems
    assert isinstance(spec, (NormalSpec, TreeSpec))
    for outcome in spec.outcomes:
        for formula in outcome.payoffs:
            if formula.names <= env.keys():
                try:
                    formula.evaluate(env)
                except FormulaError as error:
                    problems.extend(error.problems)
    if isinstance(spec, NormalSpec):
        if not problems and scenario.form == "repeated":
            from .repeatedspec import repeated_value_problems

            problems.extend(repeated_value_problems(scenario))
        return problems
    assert isinstance(spec, TreeSpec)  # a bargaining scenario returned above
    for index, formulas, line in spec.chance:
        if all(f.names <= env.keys() for f in formulas):
            try:
                chance_probs(scenario, spec.nodes[index].id, formulas, line, env, ())
            except (FormulaError, ScenarioError) as error:
                problems.extend(error.problems)
    if not problems:
        try:
            scenario.build()
        except GameError as error:
            problems.extend(_locate(scenario, spec, p) for p in error.problems)
    return problems


def _locate(scenario: Scenario, spec: TreeSpec, problem: Problem) -> Problem:
    """Return a game problem with the scenario's file and the line of the node it names last, if any.

    GameTree's messages quote node ids (``node 'ru'``); the last one quoted is the offending one
    ("... at node 'a' ... but node 'b' ...").
    """
    if problem.file is not None and problem.line is not None:
        return problem
    lines = spec.node_lines
    infosets = {n.infoset: n.id for n in spec.nodes if n.infoset}
    line, path = None, problem.path
    for quoted in reversed(re.findall(r"'([^']+)'", problem.message)):
        nid = quoted if quoted in lines else infosets.get(quoted)
        if nid is not None:
            line, path = lines.get(nid), f"game.nodes.{nid.split('.')[0]}"
            break
    return Problem(problem.message, file=scenario.path, line=line or scenario.game_line, path=path or "game")
