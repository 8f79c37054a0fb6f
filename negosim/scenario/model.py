"""What a scenario file says, as frozen dataclasses: players, parameters, formulas, the game, sweeps.

`Scenario` is the front door: `values()` gives the baseline, `with_overrides` applies `--set`,
`evaluate` computes parameters and derived values for arrays of points, and `build` turns any
batch of parameter points into a `NormalFormGame` or `GameTree` in one vectorised step.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import field
from functools import partial
from typing import TYPE_CHECKING

import numpy as np

from ..errors import Problem, ScenarioError
from ..expr import Formula
from ..game import GameTree, Node, NormalFormGame
from ..game.ties import TieRules
from ..records import dataclass  # (frozen dataclasses made with less compiling: negosim.records)
from . import build as _build
from .gcpause import cycle_collection_paused
from .yamlio import number_text

if TYPE_CHECKING:
    from .bargainspec import BargainSpec


@dataclass(frozen=True)
class Player:
    """A party to the game: a stable id (used in formulas' payoff maps and in JSON) and a name.

    Parameters
    ----------
    id : str
        The id in payoff maps, JSON and the games' player tuples.
    name : str
        The name shown to people.
    description : str
        Who the player is.

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> sc = load_scenario("scenarios/entry_deterrence.yaml")
    >>> sc.players[0].id, sc.players[0].name
    ('Entrant', 'Entrant')
    """

    id: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class Parameter:
    """A named model parameter: its baseline value, the range it may take, and what it means.

    Parameters
    ----------
    name : str
        The name formulas use.
    value : float
        The baseline value.
    low, high : float
        The declared range; overrides outside it are refused.
    description : str
        What the parameter means.
    unit, source : str, optional
        Its unit, and the key of the source it comes from.
    line : int, optional
        The line of the parameter's key in the scenario file.

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> sc = load_scenario("scenarios/entry_deterrence.yaml")
    >>> rep = sc.parameters["rep"]
    >>> rep.value, rep.low, rep.high, rep.source
    (0.0, 0.0, 10.0, 'kreps1982')
    """

    name: str
    value: float
    low: float
    high: float
    description: str
    unit: str | None = None
    source: str | None = None
    line: int | None = None  # line of the parameter's key in the scenario file


@dataclass(frozen=True)
class Question:
    """A discussion question: what the worksheet asks and the answer the answer key gives ("" if none).

    Parameters
    ----------
    ask : str
        The question.
    answer : str
        The answer key's answer.

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> sc = load_scenario("scenarios/entry_deterrence.yaml")
    >>> sc.questions[0].ask[:37]
    'The Incumbent announces it will fight'
    """

    ask: str
    answer: str = ""


@dataclass(frozen=True)
class SweepSpec:
    """A named sweep: parameter name -> (from, to, num) for an evenly spaced grid.

    Parameters
    ----------
    name : str
        The sweep's name (``negosim sweep --sweep NAME``).
    description : str
        What it shows.
    vary : dict
        Parameter name -> ``(start, stop, num)``.

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> sc = load_scenario("scenarios/entry_deterrence.yaml")
    >>> sc.sweeps["reputation"].vary
    {'rep': (0.0, 4.0, 81)}
    """

    name: str
    description: str
    vary: dict[str, tuple[float, float, int]]


@dataclass(frozen=True)
class OutcomeSpec:
    """A payoff vector with an id: a terminal outcome of a tree, or a normal-form cell's outcome.

    Parameters
    ----------
    id, label : str
        The outcome's id and its name in words.
    payoffs : tuple of Formula
        One per player, in player order.
    line : int, optional
        Where it was written.

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> sc = load_scenario("scenarios/entry_deterrence.yaml")
    >>> outcome = sc.game.outcomes[0]
    >>> outcome.id, [f.source for f in outcome.payoffs]
    ('stay_out', ['0.0', 'm'])
    """

    id: str
    label: str
    payoffs: tuple[Formula, ...]  # one per player, in player order
    line: int | None = None


@dataclass(frozen=True)
class NormalSpec:
    """A normal-form game as written: actions per player and, per profile, which outcome it yields.

    `cell_outcome[a1, ..., an]` indexes `outcomes`; `cell_ids` holds the outcome id of each profile
    (an outcome's id, or the actions joined by "/" for a cell that names no outcome).

    Parameters
    ----------
    actions : tuple of tuple of str
        Each player's actions.
    outcomes : tuple of OutcomeSpec
    cell_outcome : numpy.ndarray
        Int array of the game's shape: the outcome of each profile.
    cell_ids : numpy.ndarray
        Object array of the game's shape: the outcome id of each profile.

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> spec = load_scenario("scenarios/prisoners_dilemma.yaml").game
    >>> spec.actions[0], spec.cell_ids[1, 1], int(spec.cell_outcome[1, 1])
    (('cooperate', 'defect'), 'mutual_defection', 3)
    """

    actions: tuple[tuple[str, ...], ...]
    outcomes: tuple[OutcomeSpec, ...]
    cell_outcome: np.ndarray
    cell_ids: np.ndarray


@dataclass(frozen=True)
class RepeatedSpec(NormalSpec):
    """A repeated game (``form: repeated``): its stage game as a `NormalSpec`, played window after window.

    `discount` is the discount factor per period, `detection` the probability that a violation is
    detected, `extension` the probability that both consent to extend after each window (formulas of
    the scenario's parameters); `cooperative` indexes the profile the agreement prescribes, if named.
    Being a `NormalSpec`, it builds the stage game wherever a normal form is expected.

    Attributes
    ----------
    actions, outcomes, cell_outcome, cell_ids
        The stage game, as in `NormalSpec`.
    discount : Formula or None
        The discount factor per period.
    detection : Formula or None
        The probability a violation is detected (None: every one is).
    extension : Formula or None
        The probability both extend after each window (None: the game goes on for sure).
    cooperative : tuple of int or None
        The profile the agreement prescribes, if named.
    lines : dict of str to int or None
        The line of each key (discount, detection, ...).

    Examples
    --------
    >>> import negosim as ns
    >>> spec = ns.load("scenarios/ceasefire_truce_repeated.yaml").game
    >>> str(spec.discount), str(spec.detection), spec.cooperative
    ('delta', 'q', (0, 0))
    """

    discount: Formula | None = None
    detection: Formula | None = None  # None: every violation is detected
    extension: Formula | None = None  # None: the game goes on for sure
    cooperative: tuple[int, ...] | None = None
    lines: dict[str, int | None] = field(default_factory=dict)  # key -> line (discount, detection, ...)


@dataclass(frozen=True)
class TreeSpec:
    """A game tree ready to build: its nodes (preorder, root first), outcomes and chance formulas.

    `chance` lists ``(node index, probability formulas in action order, line of the node)``.
    `node_lines` maps a written node id to the line of its key (for locating game errors).

    Parameters
    ----------
    nodes : tuple of Node
    outcomes : tuple of OutcomeSpec
    chance : tuple
        ``(node index, probability formulas, line)`` per chance node.
    node_lines : dict
        Node id -> line.

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> sc = load_scenario("scenarios/entry_deterrence.yaml")
    >>> [n.id for n in sc.game.nodes][:2], sc.game.chance
    (['entrant', 'entrant.out'], ())
    """

    nodes: tuple[Node, ...]
    outcomes: tuple[OutcomeSpec, ...]
    chance: tuple[tuple[int, tuple[Formula, ...], int | None], ...]
    node_lines: dict[str, int | None] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class Scenario:
    """A loaded, validated scenario file. Build games from it with `build`.

    This is the scenario layer's data; `negosim.load` returns the front door's subclass, which
    also solves and sweeps.

    Parameters
    ----------
    path, sha256 : str
        The file and the digest of its bytes.
    id, title, description, brief : str
        The scenario's id and title; the teacher's text (it may state results) and the students'.
    sources : tuple of dict
        The literature it draws on.
    players : tuple of Player
    parameters : dict
        Name -> `Parameter`, in declaration order.
    derived : dict
        Name -> `Formula` over the parameters and the derived values above it.
    ties : TieRules
        The tie rules every game built from the scenario carries.
    sweeps : dict
        Name -> `SweepSpec`.
    questions : tuple of Question
    form : {"normal", "extensive"}
    game : NormalSpec or TreeSpec
        The game as written, ready to build.
    game_line : int, optional
        The line of the ``game`` key.

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> sc = load_scenario("scenarios/entry_deterrence.yaml")
    >>> sc.form, sc.values()["rep"]
    ('extensive', 0.0)
    >>> sc.build({"rep": [0.0, 3.0]}).batch_shape
    (2,)
    """

    path: str
    sha256: str
    id: str
    title: str
    description: str  # the teacher's text: it may state the results (the handout with answers)
    sources: tuple[dict, ...]
    players: tuple[Player, ...]
    parameters: dict[str, Parameter]
    derived: dict[str, Formula]
    ties: TieRules
    sweeps: dict[str, SweepSpec]
    questions: tuple[Question, ...]
    # "normal", "extensive", "repeated" (a RepeatedSpec: the stage game's NormalSpec and more) or "bargaining"
    form: str
    game: NormalSpec | TreeSpec | BargainSpec = field(repr=False)
    game_line: int | None = None  # line of the `game` key
    brief: str = ""  # the students' text: the situation, no results (the worksheet)

    @property
    def player_ids(self) -> tuple[str, ...]:
        """The players' ids, in the file's order (the games' player order)."""
        return tuple(p.id for p in self.players)

    def values(self) -> dict[str, float]:
        """Return the baseline value of every parameter, in declaration order."""
        return {name: p.value for name, p in self.parameters.items()}

    def with_overrides(self, overrides: Mapping[str, float]) -> Scenario:
        """Return this scenario with new baseline values, each checked against its declared range.

        Raises ScenarioError listing every unknown name (with a suggestion) and every value
        outside its range, located at the parameter's line.
        """
        problems: list[Problem] = []
        params = dict(self.parameters)
        for name, value in overrides.items():
            shown = f"--set {name}={number_text(value)}"
            if name not in self.parameters:
                problems.append(Problem(f"{shown}: {self.unknown_name(name)}", file=self.path))
                continue
            p = self.parameters[name]
            problem = partial(Problem, file=self.path, line=p.line, path=f"parameters.{name}")
            if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
                problems.append(problem(f"{shown}: the value must be a number"))
            elif not math.isfinite(value):
                problems.append(problem(f"{shown}: the value must be a finite number"))
            elif not p.low <= value <= p.high:
                problems.append(
                    problem(
                        f"{shown}: outside the declared range [{number_text(p.low)}, {number_text(p.high)}]")
                )
            else:
                params[name] = dataclasses.replace(p, value=float(value))
        if problems:
            raise ScenarioError(problems)
        return dataclasses.replace(self, parameters=params)

    def unknown_name(self, name: str) -> str:
        """Return the message for a name that is not a parameter (with a suggestion if one is close)."""
        if name in self.derived:
            return f"{name!r} is a derived value, not a parameter; set the parameters it is computed from"
        import difflib  # (a misspelt name only)

        close = difflib.get_close_matches(name, list(self.parameters), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; parameters are {', '.join(self.parameters)}"
        return f"unknown parameter {name!r}{hint}" if self.parameters else f"unknown parameter {name!r}; none declared"

    def evaluate(self, params: Mapping[str, float | np.ndarray] | None = None) -> dict[str, np.ndarray]:
        """Return every parameter and derived value as float64 arrays, at the baseline overridden by `params`.

        Arrays broadcast; each value keeps its own shape (a scalar is a 0-d array). Derived values
        are evaluated in file order. Raises ScenarioError for an unknown name or a non-finite
        parameter value, FormulaError for a derived formula that is not finite.
        """
        return _build.evaluate(self, params)

    def build(self, params: Mapping[str, float | np.ndarray] | None = None) -> NormalFormGame | GameTree:
        """Return the game at the baseline overridden by `params` (scalars or arrays).

        The game's batch shape is the broadcast of the shapes of the values in `params` (no
        arrays: batch shape ``()``). Values are not range-checked here; formulas must give finite
        payoffs and valid chance probabilities at every point, else FormulaError/ScenarioError.
        """
        if not params:
            # The game `load_scenario`'s baseline checks built, handed to the first caller only (a
            # second caller gets a new one, so no two callers ever share a game's arrays).
            kept = self.__dict__.get(_BASELINE_GAME)
            if kept:
                try:
                    return kept.pop()  # list.pop is atomic: two threads cannot both take it
                except IndexError:
                    pass
        with cycle_collection_paused():  # a big tree builds in about half the time
            return _build.build_game(self, params)

    def keep_baseline_game(self, game: NormalFormGame | GameTree) -> None:
        """Keep `game`, just built at the baseline (``build()``), for the next ``build()`` to return.

        `load_scenario` builds a tree once to check it; the solve that follows would build the same
        game again. Not kept by `with_overrides`, copies or pickles (`__getstate__`).
        """
        object.__setattr__(self, _BASELINE_GAME, [game])

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop(_BASELINE_GAME, None)  # a pickle (a sweep's workers) carries no game
        return state


# Not a dataclass field: `dataclasses.replace`, `fields` and comparisons never see it.
_BASELINE_GAME = "_baseline_game"


__all__ = [
    "NormalSpec",
    "OutcomeSpec",
    "Parameter",
    "Player",
    "Question",
    "RepeatedSpec",
    "Scenario",
    "SweepSpec",
    "TreeSpec",
]
