"""The one result type every solver returns: equilibria of a whole batch, as flat arrays.

A batch of `P` parameter points can have a different number of equilibria at each point, so
equilibria are stored flat: row `e` belongs to the flat batch point `point[e]`. `equilibria_at`
gives the labelled equilibria of one point; sweeps read the arrays directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..game.normal import NormalFormGame
from ..game.tree import CHANCE, DECISION, TERMINAL, GameTree

if TYPE_CHECKING:  # (`fractions` types the exact mode's fields only: not imported for them)
    from fractions import Fraction

CONCEPTS = ("pure", "nash", "spe", "pbe", "qre", "ce")


def at_points(count: int, total: int) -> str:
    """' at 3 of 100 points' for notes about a batch; '' for a single point."""
    return "" if total == 1 else f" at {count} of {total} points"


@dataclass(frozen=True)
class Equilibrium:
    """One verified equilibrium at one parameter point, addressed by labels (`Solution.equilibria_at`).

    Attributes
    ----------
    payoffs : dict
        Player -> expected payoff.
    regret : float
        The largest gain any player gets from a unilateral deviation (payoff units).
    tied : bool
        Some player has another best response (within tol) it does not use.
    strategies : dict or None
        Normal form: player -> action -> probability (None for a tree's equilibrium).
    behavior : dict or None
        Tree: player -> information set -> action -> probability (None for a normal form's).
    path : list of str or None
        Tree: ``"PLAYER:action"`` along the play, while it is deterministic.
    outcome : str or None
        The outcome id when the play ends in one outcome for sure.
    outcome_probs : dict or None
        Tree: outcome id -> probability of reaching it (non-zero only).
    ties : list of str
        The tied decisions in words, e.g. ``"US at us_sanction: impose = hold"``.
    exact_strategies, exact_payoffs : dict or None
        With ``exact=True``: the same profile and payoffs as fractions.
    beliefs, belief_sets, classification, intuitive_criterion, d1
        Perfect Bayesian equilibria only: information set -> node -> probability; the off-path
        supporting beliefs in words; a signalling game's kind of equilibrium and whether a pooling
        one survives the Intuitive Criterion and D1.

    Examples
    --------
    >>> import negosim as ns
    >>> (eq,) = ns.load("scenarios/entry_deterrence.yaml").solve().equilibria_at(0)
    >>> eq.outcome, eq.path, eq.payoffs
    ('shared_market', ['Entrant:in', 'Incumbent:accommodate'], {'Entrant': 1.0, 'Incumbent': 2.0})
    """

    payoffs: dict[str, float]
    regret: float  # largest gain any player gets from a unilateral deviation (payoff units)
    tied: bool  # some player has another best response (within tol) it does not use
    strategies: dict[str, dict[str, float]] | None = None  # normal form: player -> action -> prob
    behavior: dict[str, dict[str, dict[str, float]]] | None = None  # tree: player -> infoset -> action -> prob
    path: list[str] | None = None  # tree: "PLAYER:action" along the play, while it is deterministic
    outcome: str | None = None  # outcome id when the play ends in one outcome for sure
    outcome_probs: dict[str, float] | None = None  # tree: outcome id -> probability (non-zero only)
    # human-readable tied decisions, e.g. "US at us_sanction: impose = hold"
    ties: list[str] = field(default_factory=list)
    # exact=True: the same profile and payoffs as fractions (player -> action -> Fraction; player -> Fraction)
    exact_strategies: dict[str, dict[str, Fraction]] | None = None
    exact_payoffs: dict[str, Fraction] | None = None
    # pbe only: infoset -> node -> probability; the off-path supporting beliefs in words; the kind of a
    # signalling game's equilibrium and whether a pooling one survives the Intuitive Criterion and D1.
    beliefs: dict[str, dict[str, float]] | None = None
    belief_sets: dict[str, str] | None = None
    classification: str | None = None
    intuitive_criterion: bool | None = None
    d1: bool | None = None
    # qre only: the precision lambda of the row, and whether it is the principal branch's Nash limit
    lam: float | None = None
    nash_limit: bool | None = None
    # ce only: "welfare" or the player the row is best for; the joint distribution keyed "a/b/c"
    objective: str | None = None
    distribution: dict[str, float] | None = None
    unique: bool | None = None  # ce only: no other distribution reaches the row's optimum


@dataclass(frozen=True, eq=False, repr=False)
class Solution:
    """Equilibria of one concept over a batch of parameter points.

    A batch of points can have a different number of equilibria at each, so equilibria are stored
    as flat arrays of ``E`` rows in all, sorted by `point`. What a solution holds depends on the
    game's form: a normal form's solution has `strategies` (its `behavior` is empty), a tree's has
    `behavior` and `outcome_probs` (its `strategies` are empty). Every field has one type, so no
    caller narrows an optional; `outcomes()`, `probability()` and `to_frame()` read either form.

    Attributes
    ----------
    concept, method : str
        The solution concept (``"spe"``, ``"nash"``, ``"pure"``) and the algorithm used.
    game : NormalFormGame or GameTree
        The game solved (for "pure" and "nash" on a tree: its reduced normal form).
    batch_shape : tuple of int
        The game's batch shape.
    point : numpy.ndarray
        ``(E,)`` int: the flat index of each equilibrium's batch point.
    payoffs : numpy.ndarray
        ``(E, n_players)`` expected payoffs.
    regret : numpy.ndarray
        ``(E,)`` largest gain from a unilateral deviation (verified to be at most `tol`).
    tied : numpy.ndarray
        ``(E,)`` bool: a best response not used is tied (within `tol`) with the one used.
    complete : numpy.ndarray
        Per point (shape `batch_shape`): the method guarantees these are all the concept's
        equilibria (for degenerate 2-player games: all extreme equilibria).
    degenerate : numpy.ndarray
        Per point: ties in best responses, so equilibria may be non-isolated or depend on tie rules.
    tol : numpy.ndarray
        Per point: the tolerance used for ties and verification, scaled to the payoffs.
    strategies : tuple of numpy.ndarray
        Normal form: one ``(E, n_actions_i)`` array per player (a tree's solution: empty).
    behavior : tuple of numpy.ndarray
        Trees: one ``(E, n_actions)`` array per information set, in `GameTree.infosets()` order
        (a normal form's solution: empty).
    outcome_probs : numpy.ndarray
        Trees: ``(E, n_outcomes)`` probability of reaching each outcome (a normal form's: ``(0, 0)``).
    notes : tuple of str
        Warnings about the whole batch (method limits, tie rules used, selections made).
    extra : dict
        Concept-specific arrays (documented by each solver).
    parameters : dict
        Parameter name to its values over the batch (broadcastable to `batch_shape`) when the game
        came from a scenario through the front door (`Scenario.solve`, `negosim.equilibria`).

    In a notebook a solution shows itself as a table (`_repr_html_`); `repr` is one line;
    `to_frame()` and `to_dict()` export it; `outcome_probability`, `payoff` and `probability` read
    columns by outcome id, player and action labels rather than by index.

    Examples
    --------
    >>> from negosim.game import NormalFormGame
    >>> from negosim.solve import solve
    >>> pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]], actions=(("C", "D"), ("C", "D")))
    >>> (sol,) = solve(pd, "nash")
    >>> sol
    <Solution nash: 1 equilibrium; complete>
    >>> sol.probability("P1", "D").tolist(), sol.payoff("P2").tolist()
    ([1.0], [1.0])
    """

    concept: str
    method: str
    game: NormalFormGame | GameTree
    batch_shape: tuple[int, ...]
    point: np.ndarray
    payoffs: np.ndarray
    regret: np.ndarray
    tied: np.ndarray
    complete: np.ndarray
    degenerate: np.ndarray
    tol: np.ndarray
    strategies: tuple[np.ndarray, ...] = ()
    behavior: tuple[np.ndarray, ...] = ()
    outcome_probs: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    notes: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    parameters: dict[str, np.ndarray] = field(default_factory=dict)

    if not TYPE_CHECKING:  # hidden from mypy, which would otherwise accept any attribute name on a Solution

        def __getattr__(self, name: str) -> Any:
            # Called only for a name missing from the instance: the fields of a lean solution (`lean`) not
            # read yet, built now from its recipe and kept, so the next read is an ordinary attribute.
            recipe = self.__dict__.get("_recipe")
            if recipe is not None and name in _FIELD_NAMES:
                build, data = recipe
                value = self.__dict__[name] = build(name, data)
                return value
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}", name=name, obj=self)

    # --- display and export (negosim.solve.views) ---------------------------------------------
    def __repr__(self) -> str:
        from .views import summary_line

        return summary_line(self)

    def _repr_html_(self) -> str:
        from .views import to_html

        return to_html(self)

    def to_dict(self) -> dict[str, Any]:
        """Return the solution as a JSON-ready dict (one entry per equilibrium, with its point).

        Returns
        -------
        dict
            ``concept``, ``method``, ``players``, ``batch_shape``, ``complete`` and ``degenerate``
            per point, ``notes``, and ``equilibria``: each with ``point``, ``parameters`` (when
            known), ``strategies`` or ``behavior``, ``outcome``, ``payoffs``, ``regret``, ``tied``.
        """
        from .views import to_dict

        return to_dict(self)

    def to_frame(self, kind: str = "equilibria") -> Any:
        """Return a pandas DataFrame: one row per equilibrium and point, or the strategies in long form.

        Parameters
        ----------
        kind : {"equilibria", "strategies"}
            ``"equilibria"``: columns ``point``, the point's parameters, ``concept``, ``outcome``,
            ``payoff_<player>`` for each player, ``regret``, ``tied``, ``complete``, ``degenerate``.
            ``"strategies"``: one row per equilibrium (``equilibrium``: its row number), player,
            information set (trees only) and action, with its ``probability``.

        Returns
        -------
        pandas.DataFrame

        Raises
        ------
        ImportError
            Without pandas (install ``negosim[notebook]``).
        """
        from .views import to_frame

        return to_frame(self, kind)

    def outcomes(self) -> np.ndarray:
        """Return each equilibrium's outcome id (object array ``(E,)``; "mixed" for a mixed normal-form one).

        Where chance mixes a tree's outcomes, the ids reached are joined by " + "
        (`negosim.solve.primary.equilibrium_outcomes`).
        """
        from .views import outcomes

        return outcomes(self)

    def outcome_probability(self, outcome: str) -> np.ndarray:
        """Return the probability that each equilibrium's play ends in `outcome` (an outcome id), shape ``(E,)``.

        Raises
        ------
        KeyError
            For an outcome the game does not have (the message lists them).
        """
        from .views import outcome_probability

        return outcome_probability(self, outcome)

    def payoff(self, player: str) -> np.ndarray:
        """Return `player`'s expected payoff in each equilibrium, shape ``(E,)``."""
        from .views import _player

        return self.payoffs[:, _player(self.game, player)].copy()

    def probability(self, player: str, action: str, infoset: str | None = None) -> np.ndarray:
        """Return the probability that `player` plays `action` in each equilibrium, shape ``(E,)``.

        For a tree, `infoset` names the information set when the action label occurs at several.
        """
        from .views import probability

        return probability(self, player, action, infoset)

    @property
    def batch_size(self) -> int:
        return int(np.prod(self.batch_shape, dtype=np.int64))

    def counts(self) -> np.ndarray:
        """Number of equilibria at each point, shape `batch_shape`."""
        return np.bincount(self.point, minlength=self.batch_size).reshape(self.batch_shape)

    def rows_at(self, point: int | tuple) -> np.ndarray:
        """Row indices (into the flat arrays) of the equilibria at one point."""
        if not isinstance(point, (int, np.integer)):
            point = int(np.ravel_multi_index(tuple(point), self.batch_shape)) if self.batch_shape else 0
        lo, hi = np.searchsorted(self.point, [point, point + 1])
        return np.arange(lo, hi)

    def equilibria_at(self, point: int | tuple = 0) -> list[Equilibrium]:
        """The labelled equilibria at one point (flat index or batch index tuple)."""
        return [self._labelled(int(e)) for e in self.rows_at(point)]

    # --- labelling -----------------------------------------------------------------------
    def _labelled(self, e: int) -> Equilibrium:
        game = self.game
        payoffs = {p: float(self.payoffs[e, i]) for i, p in enumerate(game.players)}
        ties = list(self.extra.get("tie_descriptions", {}).get(e, []))
        if isinstance(game, NormalFormGame):
            strategies = {
                p: {a: float(self.strategies[i][e, j]) for j, a in enumerate(game.actions[i])}
                for i, p in enumerate(game.players)
            }
            outcome = None
            if game.outcomes is not None:
                picks = [np.flatnonzero(self.strategies[i][e] > 0.5) for i in range(game.n_players)]
                if all(len(ix) == 1 and self.strategies[i][e, ix[0]] == 1.0 for i, ix in enumerate(picks)):
                    # "" marks a profile whose outcome is uncertain (a chance move decides it).
                    outcome = str(game.outcomes[tuple(int(ix[0]) for ix in picks)]) or None
            exact_strategies = exact_payoffs = None
            if "exact_strategies" in self.extra and self.extra["exact_strategies"][e] is not None:
                rows = self.extra["exact_strategies"][e]  # None: an equilibrium not confirmed exactly (irrational)
                exact_strategies = {p: dict(zip(game.actions[i], rows[i])) for i, p in enumerate(game.players)}
                exact_payoffs = dict(zip(game.players, self.extra["exact_payoffs"][e]))
            return Equilibrium(payoffs, float(self.regret[e]), bool(self.tied[e]), strategies=strategies,
                               outcome=outcome, ties=ties, exact_strategies=exact_strategies,
                               exact_payoffs=exact_payoffs, **self._qre_ce_fields(e))
        behavior: dict[str, dict[str, dict[str, float]]] = {p: {} for p in game.players}
        infosets = game.infosets()
        for k, (player, infoset, nodes) in enumerate(infosets):
            actions = game.nodes[nodes[0]].actions
            behavior[game.players[player]][infoset] = {
                a: float(self.behavior[k][e, j]) for j, a in enumerate(actions)
            }
        probs = self.outcome_probs[e]
        outcome_probs = {game.outcomes[o].id: float(probs[o]) for o in np.flatnonzero(probs > 0)}
        outcome = next(iter(outcome_probs)) if len(outcome_probs) == 1 else None
        return Equilibrium(payoffs, float(self.regret[e]), bool(self.tied[e]), behavior=behavior,
                           path=self._path(e, infosets), outcome=outcome, outcome_probs=outcome_probs,
                           ties=ties, **self._pbe_fields(e), **self._qre_ce_fields(e))

    def _pbe_fields(self, e: int) -> dict:
        """The beliefs and signalling labels of row `e` (a "pbe" solution's extra), else nothing."""
        if "beliefs" not in self.extra:
            return {}
        names = ("beliefs", "belief_sets", "classification", "intuitive_criterion", "d1")
        return {name: self.extra[name][e] for name in names}

    def _qre_ce_fields(self, e: int) -> dict:
        """Row `e`'s lambda (a "qre" solution) or objective and joint distribution (a "ce" one), else nothing."""
        out: dict = {}
        if "lambda" in self.extra:
            out["lam"] = float(self.extra["lambda"][e])
            if "nash_limit" in self.extra:
                out["nash_limit"] = bool(self.extra["nash_limit"][e])
        if "objective" in self.extra:
            from .views import joint_distribution

            out["objective"] = str(self.extra["objective"][e])
            out["distribution"] = joint_distribution(self.game, self.extra["distribution"][e])
            if "unique" in self.extra:
                out["unique"] = bool(self.extra["unique"][e])
        return out

    def _path(self, e: int, infosets: list[tuple[int, str, tuple[int, ...]]]) -> list[str]:
        game = self.game
        assert isinstance(game, GameTree)
        where = {}
        for k, (_, _, nodes) in enumerate(infosets):
            for i in nodes:
                where[i] = k
        path: list[str] = []
        i = game.root
        while True:
            node = game.nodes[i]
            if node.kind != DECISION:
                break
            probs = self.behavior[where[i]][e]
            j = int(np.argmax(probs))
            if probs[j] != 1.0:
                break
            path.append(f"{game.players[node.player or 0]}:{node.actions[j]}")
            i = node.children[j]
        return path


def lean(fields: dict[str, Any], build: Callable[[str, Any], Any], data: Any) -> Solution:
    """A `Solution` holding some fields now and building each of the others on its first read.

    For the fixed cost of one small game (`bimatrix_native`): a caller that reads only the strategies
    does not pay for the dozen other arrays. A field not in `fields` is ``build(name, data)`` when
    first read (by attribute, `getattr`, `dataclasses.replace`, `to_dict`, ...) and then stored, so it
    is the same object on every later read; values are those an eager construction would give. The
    fields with a default on the class (`strategies`, `behavior`, `notes`) must be given: a read of
    them never reaches `build`. `build`
    must be a module-level function and `data` picklable for the solution to pickle. Reading a field
    for the first time from two threads at once may build it twice (the same values); one is kept.

    Parameters
    ----------
    fields : dict
        Field name to value for the fields given now (the others are built on first read). The
        solution takes the dict over as its ``__dict__``: the caller must not use it afterwards.
    build : callable
        ``build(name, data)``: the value of field `name`.
    data : object
        What `build` needs (kept until the solution is dropped).

    Returns
    -------
    Solution

    Examples
    --------
    >>> import dataclasses
    >>> names = [f.name for f in dataclasses.fields(Solution)]
    >>> sol = lean({"notes": ("a note",)}, lambda name, data: data, ())
    >>> sol.notes, sol.regret, sol.regret is sol.regret
    (('a note',), (), True)
    >>> all(getattr(sol, name) == () for name in names if name != "notes")
    True
    """
    solution = _new(Solution)
    fields["_recipe"] = (build, data)
    _set(solution, "__dict__", fields)  # the dict itself becomes the instance's: no copy
    return solution


_FIELD_NAMES = frozenset(Solution.__dataclass_fields__)
_new, _set = object.__new__, object.__setattr__


__all__ = ["CONCEPTS", "Equilibrium", "Solution", "CHANCE", "DECISION", "TERMINAL"]
