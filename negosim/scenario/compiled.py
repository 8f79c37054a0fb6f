"""A scenario's tree compiled once into one program: its formulas, then backward induction and its checks.

`solve_tree_chunk` is what a sweep asks of a chunk of points of a tree of perfect information: the
outcome each point reaches, the players' subgame-perfect payoffs and whether a decision was tied,
verified, with the outcomes as codes into their sorted texts. It runs one straight-line program
(`negosim.expr.program`), compiled once per scenario and set of varied parameters and kept while
the scenario lives: the derived values and payoffs as `negosim.expr.plan` compiles them, then the
solve `negosim.solve.spe_plan` writes. The answers are the ones `Scenario.build` followed by
`subgame_perfect` and `reached_codes` give, bit for bit (the tests compare them).

It returns None where it does not apply (another form, chance moves or information sets, a
parameter given as anything but one flat array per name, a tree of more than `MAX_NODES` nodes),
and where a value is not finite: the caller then builds and solves the points the usual
way, which raises the usual error. A failed verification also hands the points to
`subgame_perfect`; should that verify them, the disagreement is raised as a VerificationError.

>>> import numpy as np
>>> from negosim.scenario import load_scenario
>>> s = load_scenario("scenarios/entry_deterrence.yaml")
>>> chunk = solve_tree_chunk(s, {"rep": np.array([0.0, 4.0])})
>>> chunk.texts.tolist(), chunk.codes.tolist(), chunk.payoffs.tolist(), chunk.tied.tolist()
(['shared_market', 'stay_out'], [0, 1], [[1.0, 2.0], [0.0, 4.0]], [False, False])
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping

import numpy as np

from ..errors import VerificationError
from ..expr.plan import FormulaCompiler, NotCompilable, finite_check
from ..expr.program import CODE, Program, ProgramBuilder, ProgramTooLarge
from ..game.tree import GameTree
from ..records import dataclass  # (frozen dataclasses made with less compiling: negosim.records)
from ..solve.spe_plan import emit_backward_induction, perfect_information

#: The flag a run raises where a derived value or a payoff is inf or NaN.
FINITE_FLAG = "not finite"
#: Larger trees are not compiled: compiling costs about 0.2 ms a node (per scenario object, so per chunk
#: in a worker process), and past about a thousand nodes the registers alive at once leave blocks too
#: small to pay (measured on benchmarks/tree_yaml.py trees, 100,000 points: 40 nodes 0.05 s against
#: subgame_perfect's 0.24 s, 121 nodes 0.22 s against 0.68 s, 364 nodes 1.4 s against 2.0 s).
MAX_NODES = 1000


@dataclass(frozen=True)
class TreeChunk:
    """The subgame-perfect answer at N points, in the sweep's compact form.

    Attributes
    ----------
    concept : str
        ``"spe"``.
    point : numpy.ndarray
        ``(N,)`` the points' indices (every point has its one equilibrium).
    payoffs : numpy.ndarray
        ``(N, n_players)`` the equilibrium payoffs.
    tied : numpy.ndarray
        ``(N,)`` bool: a decision, on or off the path, had tied best actions.
    texts : numpy.ndarray
        The sorted distinct outcome ids reached.
    codes : numpy.ndarray
        ``(N,)`` int32 index of each point's outcome in `texts`.
    """

    concept: str
    point: np.ndarray
    payoffs: np.ndarray
    tied: np.ndarray
    texts: np.ndarray
    codes: np.ndarray

    def labels(self) -> np.ndarray:
        """Each point's outcome label as an object array, as `negosim.solve.primary.outcome_labels` gives it."""
        return np.array([*self.texts, ""], dtype=object)[:-1][self.codes]


@dataclass(frozen=True)
class _Compiled:
    program: Program
    outcomes: tuple[str, ...]
    n_players: int


_PROGRAMS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def solve_tree_chunk(scenario, params: Mapping[str, np.ndarray]) -> TreeChunk | None:
    """Return the verified subgame-perfect answer at the points of `params` (flat arrays of one
    length, one per varied parameter; the others at the scenario's values), or None where the
    compiled program does not apply (see the module's description)."""
    arrays = {}
    for name, v in params.items():
        if name not in scenario.parameters:
            return None
        arrays[name] = np.ascontiguousarray(v, dtype=np.float64)
    if not arrays or any(a.ndim != 1 for a in arrays.values()) or len({len(a) for a in arrays.values()}) != 1:
        return None
    if not all(np.isfinite(a).all() for a in arrays.values()):
        return None
    compiled = _program(scenario, tuple(arrays))
    if compiled is None:
        return None
    n = len(next(iter(arrays.values())))
    out: dict[str, np.ndarray] = {"code": np.empty(n, dtype=CODE), "payoffs": np.empty((n, compiled.n_players)),
           "tied": np.empty(n, dtype=bool)}
    run = compiled.program.run(arrays, out)
    if FINITE_FLAG in run.flags:
        return None
    if run.flags:
        _disagreement(scenario, params, run.flags)
    texts, codes = _texts(compiled.outcomes, out["code"])
    return TreeChunk("spe", np.arange(n), out["payoffs"], out["tied"], texts, codes)


def _program(scenario, varied: tuple[str, ...]) -> _Compiled | None:
    programs = _PROGRAMS.setdefault(scenario, {})
    if varied not in programs:
        programs[varied] = _compile(scenario, varied)
    return programs[varied]


def _compile(scenario, varied: tuple[str, ...]) -> _Compiled | None:
    from .model import TreeSpec

    if not isinstance(scenario.game, TreeSpec):
        return None
    if len(scenario.game.nodes) > MAX_NODES:
        return None
    tree = scenario.build()
    if not isinstance(tree, GameTree) or tree.chance_probs or not perfect_information(tree):
        return None
    b = ProgramBuilder()
    fixed = {name: p.value for name, p in scenario.parameters.items() if name not in varied}
    try:
        fc = FormulaCompiler(b, fixed, varied)
        checked = []
        for name, formula in scenario.derived.items():
            checked.append(fc.derive(name, formula))
        pay = []
        for outcome in scenario.game.outcomes:
            values = [fc.value(f) for f in outcome.payoffs]
            checked.extend(values)
            pay.append([b.constant(x) if kind == "c" else x for kind, x in values])
        if not all(np.isfinite(x).all() for kind, x in checked if kind == "c"):
            return None
        finite_check(b, [x for kind, x in checked if kind == "s"], FINITE_FLAG)
        emit_backward_induction(b, tree, pay, scenario.ties)
        program = b.build()
    except (NotCompilable, ProgramTooLarge):
        return None
    return _Compiled(program, tuple(o.id for o in tree.outcomes), tree.n_players)


def _texts(outcomes: tuple[str, ...], code: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sorted distinct outcome ids reached, each point's index into them), as `reached_codes` gives."""
    if not len(code):
        return np.array([], dtype=str), np.array([], dtype=np.int32)
    present = np.flatnonzero(np.bincount(code, minlength=len(outcomes)))
    names = sorted(outcomes[k] for k in present)
    rank = np.zeros(len(outcomes), dtype=np.int32)
    rank[[outcomes.index(name) for name in names]] = np.arange(len(names), dtype=np.int32)
    return np.array(names), rank[code]


def _disagreement(scenario, params: Mapping[str, np.ndarray], flags: set[str]) -> None:
    """A compiled check failed: `subgame_perfect` solves the points again and raises its own error; if it
    verifies them instead, the compiled program is wrong, which is raised."""
    from ..solve.spe import subgame_perfect

    subgame_perfect(scenario.build(dict(params)))
    raise VerificationError(f"spe (compiled backward induction): {', '.join(sorted(flags))}, where subgame_perfect "
                            "verifies the same points; this is a bug in negosim")
