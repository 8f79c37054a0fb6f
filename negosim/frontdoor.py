"""The Python front door: `load`, `from_arrays`, `equilibria`, and a `Scenario` that solves and sweeps.

`import negosim as ns` reaches these names lazily (see `negosim.__init__`). The scenario layer's
`negosim.scenario.Scenario` is data; the front door's `Scenario` is the same data with two verbs,
`solve` and `sweep`, added here so that the scenario layer never imports solvers or sweeps.

Examples
--------
>>> import negosim as ns
>>> sc = ns.load("scenarios/entry_deterrence.yaml")
>>> sol = sc.solve()
>>> sol
<Solution spe of 'Entry deterrence (a non-credible threat)': 1 equilibrium; complete>
>>> sol.outcomes().tolist()
['shared_market']
>>> sc.solve(rep=[0.0, 3.0]).outcomes().tolist()
['shared_market', 'stay_out']
"""

from __future__ import annotations

import dataclasses
import io
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import NegosimUsageError, Problem, ScenarioError
from .game import GameTree, NormalFormGame
from .game.convert import as_game
from .scenario import model
from .scenario.yamlio import number_text
from .solve.result import Solution
from .solve.tolerance import RTOL

if TYPE_CHECKING:
    from .sweep.engine import SweepSummary

GAMBIT_SUFFIXES = (".nfg", ".efg")
Game = NormalFormGame | GameTree


@dataclass(frozen=True, eq=False)
class Scenario(model.Scenario):
    """A loaded scenario that can solve and sweep itself (what `negosim.load` returns).

    Every field is `negosim.scenario.Scenario`'s; see there for `build`, `evaluate`, `values` and
    `with_overrides`.

    Parameters
    ----------
    **fields
        Those of `negosim.scenario.Scenario`; `negosim.load` makes one from a file.

    Examples
    --------
    >>> import negosim as ns
    >>> sc = ns.load("scenarios/entry_deterrence.yaml")
    >>> sc
    <Scenario 'entry-deterrence': Entry deterrence (a non-credible threat); 2 players, 5 parameters>
    >>> sc.solve(rep=3.0).outcomes().tolist()
    ['stay_out']
    """

    def __repr__(self) -> str:
        return f"<Scenario {self.id!r}: {self.title}; {len(self.players)} players, {len(self.parameters)} parameters>"

    def solve(self, concept: str | None = None, *, rtol: float = RTOL, lambdas: Sequence[float] | None = None,
              **overrides: Any) -> Solution:
        """Return the verified equilibria of one concept at the baseline values overridden by `overrides`.

        Parameters
        ----------
        concept : str, optional
            ``"spe"``, ``"nash"``, ``"pure"``, ``"pbe"``, ``"qre"`` or ``"ce"``. Default: the game's primary answer
            (`negosim.solve.primary`): the subgame-perfect equilibrium of a tree, every Nash
            equilibrium of a 2-player normal form, the pure equilibria of any other. For a repeated
            scenario (``form: repeated``) the default (or ``"repeated"``) returns a
            `negosim.scenario.repeated_analysis.RepeatedSolution` (grim-trigger thresholds, and at one
            point the payoff set); ``"nash"`` and ``"pure"`` solve its stage game.
        rtol : float
            Relative tolerance for ties and verification, scaled to the payoff range.
        lambdas : sequence of float, optional
            For ``"qre"``: the precisions (default: `negosim.solve.qre_ce.DEFAULT_LAMBDAS` and the
            branch's Nash limit).
        **overrides : float or array_like
            Parameter values. Numbers are checked against the declared ranges; arrays (checked too)
            give a batch: the game is built and solved at every point at once, with the batch shape
            of the arrays broadcast together.

        Returns
        -------
        Solution
            For a ``form: bargaining`` scenario a `negosim.scenario.bargainsolve.BargainSolution`
            (the model's quantities and regime; `concept` is ignored). With ``parameters`` holding
            every parameter's values over the batch, so
            ``to_frame()`` shows each point's parameters. The scenario's tie rules are applied.

        Raises
        ------
        ScenarioError
            For an unknown parameter or a value outside its range (a `ValueError`).
        NegosimUsageError
            For a concept that does not apply to the game (a `ValueError`).

        Examples
        --------
        >>> import negosim as ns
        >>> sol = ns.load("scenarios/prisoners_dilemma.yaml").solve()
        >>> sol.outcomes().tolist()
        ['mutual_defection']
        """
        scenario, arrays = self._at(overrides)
        if scenario.form == "bargaining":  # a continuous model: its quantities and regimes, not equilibria
            from .scenario.bargainsolve import solve_bargaining

            return solve_bargaining(scenario, arrays)  # type: ignore[return-value]
        if scenario.form == "repeated" and concept in (None, "repeated"):
            # a repeated game's answer: what grim trigger sustains (`negosim.scenario.repeated_analysis`)
            from .scenario.repeated_analysis import repeated_solution

            return repeated_solution(scenario, arrays)  # type: ignore[return-value]
        game = scenario.build(arrays)
        sol = solve_game(game, concept, rtol=rtol, lambdas=lambdas)
        values = {**{k: np.asarray(v) for k, v in scenario.values().items()}, **arrays}
        return dataclasses.replace(sol, parameters=values)

    def sweep(self, vary: Mapping[str, tuple], design: str = "grid", out: str | Path | None = None,
              **options: Any) -> SweepResult:
        """Solve the scenario over a design of parameter points; return the result (a table, counts, boundaries).

        Parameters
        ----------
        vary : dict
            ``{name: (start, stop, num)}`` for a grid; ``{name: (start, stop)}`` ranges for
            ``"lhs"`` and ``"sobol"`` designs.
        design : {"grid", "lhs", "sobol"}
        out : str or Path, optional
            A folder: the sweep is written there exactly as ``negosim sweep -o`` writes it
            (resumable, with ``manifest.json``). None: it runs in a temporary folder and the result
            is kept in memory.
        **options
            Passed to `negosim.sweep.run_sweep`: ``samples``, ``seed``, ``overrides`` (a dict of
            fixed parameter values), ``chunk_size``, ``executor``, ``resume``, ``table``
            (``"parquet"``, the default for a folder, or ``"csv"``), ``progress``.

        Returns
        -------
        SweepResult

        Raises
        ------
        NegosimUsageError
            For a parameter that is not declared, a range outside the declared one, a bad design.

        Examples
        --------
        >>> import negosim as ns
        >>> res = ns.load("scenarios/ceasefire_2025.yaml").sweep({"mu": (0, 0.3, 61)})
        >>> res.outcomes
        {'truce_aid': 22, 'truce_frozen': 15, 'war_sanctions': 24}
        >>> [round(b.value, 6) for b in res.boundaries]
        [0.105, 0.185]
        """
        ranges = {name: _vary_item(name, v, design) for name, v in vary.items()}
        from .sweep.engine import run_sweep
        from .sweep.output import read_points

        if out is not None:
            summary = run_sweep(self, ranges, design=design, out_dir=out, **options)
            return SweepResult(summary, None, read_points(summary.out_dir)[0])
        with tempfile.TemporaryDirectory(prefix="negosim-sweep-") as tmp:
            # Kept in memory as the CSV text (`SweepResult.csv`), so written as CSV.
            summary = run_sweep(self, ranges, design=design, out_dir=Path(tmp) / "sweep", **{"table": "csv", **options})
            text = (summary.out_dir / "results.csv").read_text()
            labels = read_points(summary.out_dir)[0]
        return SweepResult(dataclasses.replace(summary, out_dir=None), text, labels)  # type: ignore[arg-type]

    def _at(self, overrides: Mapping[str, Any]) -> tuple[model.Scenario, dict[str, np.ndarray]]:
        """The scenario with scalar overrides applied (range-checked) and the array overrides, checked."""
        scalars = {k: v for k, v in overrides.items() if np.ndim(v) == 0}
        arrays = {k: np.asarray(v, dtype=float) for k, v in overrides.items() if np.ndim(v) > 0}
        scenario = self.with_overrides({k: _number(v) for k, v in scalars.items()}) if scalars else self
        problems = []
        for name, values in arrays.items():
            if name not in self.parameters:
                problems.append(Problem(self.unknown_name(name), file=self.path))
                continue
            p = self.parameters[name]
            outside = ~np.isfinite(values) | (values < p.low) | (values > p.high)
            if outside.any():
                bad = values[outside].reshape(-1)[0]
                problems.append(Problem(f"{name}={number_text(float(bad))} is outside the declared range "
                                        f"[{number_text(p.low)}, {number_text(p.high)}]", file=self.path,
                                        line=p.line, path=f"parameters.{name}"))
        if problems:
            raise ScenarioError(problems)
        return scenario, arrays


def _number(v: Any) -> Any:
    """A 0-d array as a Python float (other values as given, for `with_overrides` to check)."""
    return float(v) if isinstance(v, np.ndarray) else v


def _vary_item(name: str, value: Any, design: str) -> tuple[float, float, int | None]:
    try:
        items = tuple(value)
    except TypeError:
        raise NegosimUsageError(
            f"vary[{name!r}]: give (start, stop, num) for a grid, (start, stop) for lhs/sobol") from None
    if design == "grid":
        if len(items) != 3:
            raise NegosimUsageError(f"vary[{name!r}]: a grid needs (start, stop, num), got {value!r}")
        return float(items[0]), float(items[1]), int(items[2])
    if len(items) not in (2, 3):
        raise NegosimUsageError(f"vary[{name!r}]: give the range (start, stop), got {value!r}")
    return float(items[0]), float(items[1]), None


@dataclass(frozen=True)
class SweepResult:
    """What a sweep found: counts per outcome label, regime boundaries, and the table of every point.

    `summary` is the engine's `SweepSummary` (its ``out_dir`` is None for a sweep kept in memory);
    `labels` holds every point's outcome label (`negosim.solve.primary`), in the design's order.

    Parameters
    ----------
    summary : SweepSummary
        What the sweep engine reports: design, points, outcome counts, boundaries, folder.
    csv : str or None
        The text of ``results.csv`` for a sweep kept in memory (None when written to a folder).
    labels : numpy.ndarray
        ``(points,)`` outcome label of every point.

    Examples
    --------
    >>> import negosim as ns
    >>> result = ns.load("scenarios/entry_deterrence.yaml").sweep({"rep": (0, 4, 5)})
    >>> result
    <SweepResult grid of 5 points: shared_market 2, stay_out 3; 1 boundary>
    >>> result.labels.tolist()
    ['shared_market', 'shared_market', 'stay_out', 'stay_out', 'stay_out']
    """

    summary: SweepSummary
    csv: str | None = field(repr=False)  # results.csv, when the sweep was kept in memory
    labels: np.ndarray = field(repr=False)

    @property
    def points(self) -> int:
        """Number of parameter points solved."""
        return self.summary.points

    @property
    def outcomes(self) -> dict[str, int]:
        """Points per outcome label (`negosim.solve.primary`)."""
        return self.summary.outcomes

    @property
    def boundaries(self) -> list:
        """Regime boundaries of a one-parameter sweep (`negosim.sweep.Boundary`), located by bisection."""
        return self.summary.boundaries

    @property
    def out_dir(self) -> Path | None:
        """The folder the sweep was written to, or None when kept in memory."""
        return self.summary.out_dir

    def __repr__(self) -> str:
        counts = ", ".join(f"{k} {v}" for k, v in self.outcomes.items())
        where = f" in {str(self.out_dir)!r}" if self.out_dir is not None else ""
        return (f"<SweepResult {self.summary.design} of {self.points} points{where}: {counts}; "
                f"{len(self.boundaries)} boundar{'y' if len(self.boundaries) == 1 else 'ies'}>")

    def to_frame(self) -> Any:
        """Return the sweep's table as a pandas DataFrame (the columns of its results).

        One row per point and equilibrium: ``point``, the varied parameters, ``concept``,
        ``outcome``, ``payoff_<player>`` for each player, ``tied``; read from the folder's Parquet
        files or its ``results.csv`` (the same frame either way).

        Raises
        ------
        ImportError
            Without pandas (install ``negosim[notebook]``).
        """
        from .solve.views import require_pandas

        pd = require_pandas()
        if self.csv is None and (Path(str(self.out_dir)) / "results.parquet").is_dir():
            from .sweep.output import finished_files, result_files, verified_path

            files = finished_files(Path(str(self.out_dir)))
            import pyarrow as pa
            import pyarrow.parquet as pq

            parts = [verified_path(Path(str(self.out_dir)), name, files) for name in result_files(files)[1]]
            frame = pa.concat_tables([pq.read_table(p) for p in parts]).to_pandas()
            for name in frame.columns:  # labels as read_csv gives them, so both formats give one frame
                if isinstance(frame[name].dtype, pd.CategoricalDtype):
                    frame[name] = frame[name].astype(str)
            return frame
        source = io.StringIO(self.csv) if self.csv is not None else Path(str(self.out_dir)) / "results.csv"
        # Every number must read back as the very float the sweep wrote: pandas 3 does so by default,
        # earlier versions only with the round-trip parser (which pandas 3 deprecates).
        exact = {"float_precision": "round_trip"} if int(pd.__version__.split(".")[0]) < 3 else {}
        return pd.read_csv(source, keep_default_na=False, **exact)


def load(path: str | Path, **overrides: Any) -> Scenario | Game:
    """Return the scenario in a YAML file (a `Scenario` that can `solve` and `sweep`), or a Gambit game.

    Parameters
    ----------
    path : str or Path
        A scenario (``.yaml``/``.yml``) or a Gambit game (``.nfg``/``.efg``).
    **overrides : float
        New baseline values of a scenario's parameters, checked against their declared ranges.

    Returns
    -------
    Scenario, NormalFormGame or GameTree

    Raises
    ------
    NegosimInputError
        For a file that cannot be read or does not follow its format (a `ValueError`), located at
        ``file:line``.
    NegosimUsageError
        For overrides given with a Gambit game (it has no parameters).

    Examples
    --------
    >>> import negosim as ns
    >>> ns.load("scenarios/ceasefire_2025.yaml", mu=0.2).values()["mu"]
    0.2
    """
    name = str(path)
    if name.lower().endswith(GAMBIT_SUFFIXES):
        if overrides:
            raise NegosimUsageError(f"{name}: a Gambit game has no parameters to override")
        from .io import read_game

        return read_game(name)
    from .scenario import load_scenario

    scenario = load_scenario(name)
    if overrides:
        scenario = scenario.with_overrides(overrides)
    return as_front_door(scenario)


def as_front_door(scenario: model.Scenario) -> Scenario:
    """The same scenario as a front-door `Scenario` (with `solve` and `sweep`)."""
    if isinstance(scenario, Scenario):
        return scenario
    return Scenario(**{f.name: getattr(scenario, f.name) for f in dataclasses.fields(model.Scenario)})


def from_arrays(*payoffs: Any, players: tuple[str, ...] | list[str] | None = None,
                actions: tuple | list | None = None, title: str = "") -> NormalFormGame:
    """Return an n-player normal-form game from one payoff array per player.

    This is pygambit's ``Game.from_arrays`` convention: player ``i``'s array holds ``i``'s payoff
    at every pure profile, indexed ``[a1, a2, ..., an]`` by the actions of players 1..n in order,
    so every array has shape ``n_actions``. A leading batch is allowed: each array has shape
    ``(*batch, *n_actions)`` and the batches broadcast together.

    Parameters
    ----------
    *payoffs : array_like
        One array per player, shape ``(*batch, n_1, ..., n_n)``.
    players : sequence of str, optional
        Player labels (default ``P1, P2, ...``).
    actions : sequence of sequences of str, optional
        Each player's action labels (default numbered from ``"1"``, as in Gambit files).
    title : str

    Returns
    -------
    NormalFormGame

    Raises
    ------
    GameError
        For arrays whose action shapes disagree, or labels that do not fit (a `ValueError`).

    Examples
    --------
    >>> import negosim as ns
    >>> pd = ns.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], actions=[["C", "D"], ["C", "D"]])
    >>> ns.equilibria(pd).outcomes().tolist()
    ['(D, D)']
    """
    from .errors import GameError

    n = len(payoffs)
    if n < 1:
        raise GameError("from_arrays needs one payoff array per player")
    arrays = [np.asarray(a, dtype=float) for a in payoffs]
    if any(a.ndim < n for a in arrays):
        raise GameError(f"{n} players: every payoff array needs at least {n} dimensions (one per player)")
    shape = arrays[0].shape[arrays[0].ndim - n:]
    for i, a in enumerate(arrays):
        if a.shape[a.ndim - n:] != shape:
            raise GameError(f"payoff array {i + 1} has action shape {a.shape[a.ndim - n:]}; array 1 has {shape}")
    try:
        batch = np.broadcast_shapes(*(a.shape[:a.ndim - n] for a in arrays))
    except ValueError:
        raise GameError("the payoff arrays' batch shapes do not broadcast together") from None
    stacked = np.stack([np.broadcast_to(a, (*batch, *shape)) for a in arrays], axis=len(batch))
    players = tuple(players) if players is not None else tuple(f"P{i + 1}" for i in range(n))
    if actions is None:
        actions = tuple(tuple(str(j + 1) for j in range(k)) for k in shape)
    return NormalFormGame(players, tuple(tuple(a) for a in actions), stacked, title)


def solve_game(game: Game, concept: str | None = None, *, rtol: float = RTOL,
               lambdas: Sequence[float] | None = None, method: str | None = None) -> Solution:
    """One concept's verified solution of a game (default: its primary answer, `negosim.solve.primary`).

    Parameters
    ----------
    game : NormalFormGame or GameTree
    concept : str, optional
        ``"spe"``, ``"pbe"``, ``"nash"``, ``"pure"``, ``"qre"`` or ``"ce"``.
    rtol : float
        Relative tolerance for ties and verification.
    lambdas : sequence of float, optional
        Precisions of the logit QRE (``concept="qre"`` only).
    method : str, optional
        ``"lemke"``: Nash equilibria of a 2-player game by Lemke-Howson from every starting label.

    Returns
    -------
    Solution

    Raises
    ------
    NegosimUsageError
        For a concept that does not apply to the game.

    Examples
    --------
    >>> from negosim.frontdoor import solve_game
    >>> import negosim as ns
    >>> pd = ns.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> solve_game(pd)
    <Solution nash: 1 equilibrium; complete>
    """
    if concept is None:
        from .solve.primary import primary_solution

        return primary_solution(game, rtol=rtol)
    if not isinstance(concept, str):
        raise NegosimUsageError(f"give one concept by name (spe, nash, pure), not {concept!r}")
    from .solve import solve

    if lambdas is not None and concept != "qre":
        raise NegosimUsageError("lambdas= applies to the concept 'qre'")
    if method is not None and concept != "nash":
        raise NegosimUsageError("method= applies to the concept 'nash'")
    (sol,) = solve(game, concept, rtol=rtol, lambdas=lambdas, method=method)
    return sol


def equilibria(game_or_scenario: Any, concept: str | None = None, *, rtol: float = RTOL,
               lambdas: Sequence[float] | None = None, method: str | None = None, **params: Any) -> Solution:
    """Return the verified equilibria of a game or scenario for one concept.

    Parameters
    ----------
    game_or_scenario : Scenario, NormalFormGame, GameTree or nashpy.Game
        A scenario is solved at its baseline overridden by `params` (numbers or arrays, as in
        `Scenario.solve`); a game as it is, under its own tie rules.
    concept : str, optional
        ``"spe"``, ``"nash"``, ``"pure"``, ``"pbe"``, ``"qre"`` or ``"ce"``; default: the primary answer
        (`negosim.solve.primary`).
    rtol : float
        Relative tolerance for ties and verification.
    lambdas : sequence of float, optional
        For ``"qre"``: the precisions (default: a documented set and the branch's Nash limit).
    method : {None, "lemke"}, optional
        For ``"nash"`` of a 2-player game: ``"lemke"`` for Lemke-Howson from every starting label (the
        equilibria its paths reach, ``complete`` False), used anyway where enumeration does not fit.
    **params
        Parameter values, for a scenario only.

    Returns
    -------
    Solution

    Raises
    ------
    NegosimUsageError
        For parameters given with a game, an object that is not a game, or a concept that does not
        apply (all `ValueError`).

    Examples
    --------
    >>> import nashpy
    >>> import negosim as ns
    >>> sol = ns.equilibria(nashpy.Game([[1, -1], [-1, 1]]))
    >>> sol.probability("P1", "1").tolist()
    [0.5]
    >>> sol = ns.equilibria(nashpy.Game([[2, 0], [0, 1]], [[1, 0], [0, 2]]), "nash", method="lemke")
    >>> len(sol.point), bool(sol.complete.any()), sol.method
    (2, False, 'Lemke-Howson')
    """
    if isinstance(game_or_scenario, model.Scenario):
        if method is not None:
            raise NegosimUsageError("method= applies to a game (a NormalFormGame or nashpy.Game), not a scenario")
        return as_front_door(game_or_scenario).solve(concept, rtol=rtol, lambdas=lambdas, **params)
    if params:
        raise NegosimUsageError(f"parameters {sorted(params)} apply to a scenario; a game has none")
    return solve_game(as_game(game_or_scenario), concept, rtol=rtol, lambdas=lambdas, method=method)


__all__ = ["Scenario", "SweepResult", "equilibria", "from_arrays", "load", "solve_game"]
