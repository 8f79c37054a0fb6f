"""The size policy: which concepts and methods a game gets, decided from sizes known before solving.

One place decides, so `solve`, `explain`, `report` and `convert` agree. A game tree always gets its
subgame-perfect equilibrium (backward induction grows with the tree) and, when it has information
sets, its perfect Bayesian equilibria while the support profiles to search are few enough. Nash equilibria of a tree are
enumerated on its reduced normal form when that form and the enumeration on it are small enough;
otherwise two-player trees get the sequence form (one equilibrium, size linear in the tree) when
asked, and the default run skips what does not fit with a note that says what was skipped, how
large it would have been, and which flag asks for it anyway. Nothing large is built before the
estimate says it fits.

>>> from negosim.game.generate import prisoners_dilemma
>>> plan(prisoners_dilemma()).run
('pure', 'nash')
"""

from __future__ import annotations

from dataclasses import dataclass
from math import comb, prod

from ..errors import NegosimError
from ..game.normal import NormalFormGame
from ..game.sizes import (
    fmt_count,
    has_information_sets,
    infoset_counts,
    profile_count,
    reduced_strategy_counts,
    sequence_counts,
    support_profile_count,
)
from ..game.tree import GameTree
from .vertex import (  # the enumeration's own limits: one truth
    MAX_HULL_VERTICES,
    MAX_SYSTEMS,
    enumeration_feasible,
    vertex_bound,
)

#: Largest reduced normal form built: profiles times (leaves + payoff entries) 8-byte numbers.
MAX_NORMAL_FORM_NUMBERS = 20_000_000
#: Largest number of reduced strategies of one player (each is a Python dict while being built).
MAX_STRATEGIES = 200_000
#: Largest pure-equilibrium search of 3+ players: profiles times players.
MAX_PURE_CELLS = 20_000_000
#: Most homotopy paths per parameter point for which "nash" enumerates every equilibrium of a game with
#: 3+ players (`nplayer.all_nash`): 2x2x2 needs 16, 3x3x3 271, 2x2x2x2x2 326 (a few seconds), 4x4x4
#: 5,248 and 3x3x3x3 7,365 (tens of seconds). Beyond it one equilibrium is traced (`logit_tracing`).
#: The bound on the number of profiles is checked first, so no path count is computed for a large game.
MAX_NPLAYER_PATHS = 1_000
MAX_NPLAYER_PROFILES = 5_000
#: Largest sequence-form LCP (rows of Lemke's tableau) solved when asked.
MAX_LCP_ROWS = 4_000
#: Largest sequence-form LCP solved by default (a Nash equilibrium next to the subgame-perfect one).
DEFAULT_LCP_ROWS = 400
#: Most starting labels (strategies of both players) of a 2-player normal form solved by Lemke-Howson when
#: enumeration does not fit: each path holds a tableau of about labels squared numbers.
MAX_LEMKE_LABELS = 2_000
#: Most support profiles (after dominated actions are removed) the default run's perfect Bayesian search tries.
DEFAULT_PBE_PROFILES = 5_000
#: Largest tree whose dominated actions are removed at planning time to count its support profiles.
PRUNE_NODES = 5_000


class TooLargeError(NegosimError):
    """A valid game too large for the method asked (exit code 6): not invalid input.

    Parameters
    ----------
    *args
        The message, as for any exception: one line saying what was too large and by how much.

    Examples
    --------
    >>> TooLargeError.exit_code
    6
    >>> str(TooLargeError("the reduced normal form would have 10 x 10 strategies"))
    'the reduced normal form would have 10 x 10 strategies'
    """

    exit_code = 6


@dataclass(frozen=True)
class Skip:
    """A concept not computed: `reason` is one line with the size it would have had; `flag` asks anyway.

    Attributes
    ----------
    concept : str
        The concept left out ("nash", "pbe", ...).
    reason : str
        Why, in one phrase with the size it would have had.
    flag : str
        The command-line flag that asks for it anyway ("" when nothing can).

    Examples
    --------
    >>> Skip("nash", "too big", "--concept nash").note
    'nash not computed by default: too big; --concept nash asks for it anyway'
    """

    concept: str
    reason: str
    flag: str

    @property
    def note(self) -> str:
        """The one-line note printed with the results."""
        ask = f"; {self.flag} asks for it anyway" if self.flag else ""
        return f"{self.concept} not computed by default: {self.reason}{ask}"


@dataclass(frozen=True)
class Plan:
    """The concepts to run, and the ones left out (default run only) with their reasons.

    Attributes
    ----------
    run : tuple of str
        The concepts to compute, in order.
    skipped : tuple of Skip
        The concepts the default run leaves out, each with its reason.

    Examples
    --------
    >>> Plan(("pure", "nash"))
    Plan(run=('pure', 'nash'), skipped=())
    """

    run: tuple[str, ...]
    skipped: tuple[Skip, ...] = ()


@dataclass(frozen=True)
class TreeSizes:
    """Sizes of a tree's derived forms, estimated from the tree alone.

    Attributes
    ----------
    strategies : tuple of int
        Reduced strategies per player.
    sequences : tuple of int
        Sequences per player (the empty one included).
    infosets : tuple of int
        Information sets per player.
    n_leaves : int
        Terminal nodes of the tree.
    batch : int
        Parameter points the tree's payoffs hold.

    Examples
    --------
    >>> sizes = TreeSizes((2, 2), (3, 3), (1, 1), 3, 1)
    >>> sizes.profiles, sizes.lcp_rows, sizes.shape()
    (4, 14, '2 x 2')
    """

    strategies: tuple[int, ...]  # reduced strategies per player
    sequences: tuple[int, ...]  # sequences per player (the empty one included)
    infosets: tuple[int, ...]  # information sets per player
    n_leaves: int
    batch: int

    @property
    def profiles(self) -> int:
        return profile_count(self.strategies)

    @property
    def normal_form_numbers(self) -> int:
        """8-byte numbers held while building the reduced normal form (reach matrix and payoffs)."""
        return self.profiles * (self.n_leaves + len(self.strategies) * self.batch)

    @property
    def lcp_rows(self) -> int:
        """Rows of Lemke's tableau for the sequence-form LCP (2 players)."""
        s, h = self.sequences, self.infosets
        return s[0] + s[1] + 2 * (h[0] + h[1] + 2) if len(s) == 2 else 0

    def shape(self) -> str:
        return " x ".join(fmt_count(n) for n in self.strategies)


def tree_sizes(tree: GameTree) -> TreeSizes:
    """The sizes the policy decides on, from one walk of the tree.

    Parameters
    ----------
    tree : GameTree
        The game tree.

    Returns
    -------
    TreeSizes
        Its reduced strategies, sequences and information sets per player, leaves and batch size.

    Examples
    --------
    >>> import negosim as ns
    >>> tree_sizes(ns.load("scenarios/entry_deterrence.yaml").build())
    TreeSizes(strategies=(2, 2), sequences=(3, 3), infosets=(1, 1), n_leaves=3, batch=1)
    """
    n_leaves = sum(1 for node in tree.nodes if node.kind == "terminal")
    return TreeSizes(reduced_strategy_counts(tree), sequence_counts(tree), infoset_counts(tree), n_leaves,
                     tree.batch_size)


def normal_form_fits(sizes: TreeSizes) -> str | None:
    """None when the reduced normal form can be built; else why not (one phrase with its size).

    Parameters
    ----------
    sizes : TreeSizes
        The tree's sizes (`tree_sizes`).

    Returns
    -------
    str or None
        None when the form fits `MAX_STRATEGIES` and `MAX_NORMAL_FORM_NUMBERS`; else the reason.

    Examples
    --------
    >>> normal_form_fits(TreeSizes((2, 2), (3, 3), (1, 1), 3, 1)) is None
    True
    >>> normal_form_fits(TreeSizes((10**6, 2), (3, 3), (1, 1), 3, 1))
    'the reduced normal form would have 1,000,000 x 2 strategies (2,000,000 profiles)'
    """
    if max(sizes.strategies) > MAX_STRATEGIES or sizes.normal_form_numbers > MAX_NORMAL_FORM_NUMBERS:
        return f"the reduced normal form would have {sizes.shape()} strategies ({fmt_count(sizes.profiles)} profiles)"
    return None


def enumeration_fits(strategies: tuple[int, ...]) -> str | None:
    """None when the Nash method on a normal form of these dimensions is feasible; else why not.

    Parameters
    ----------
    strategies : tuple of int
        Strategies per player.

    Returns
    -------
    str or None
        None when enumeration (2 players) or the pure search (3+ players) fits; else the reason.

    Examples
    --------
    >>> enumeration_fits((2, 2)) is None
    True
    >>> enumeration_fits((3, 3, 3)) is None
    True
    """
    if len(strategies) == 2:
        m, n = strategies
        if m + n < 10_000 and enumeration_feasible(m, n):
            return None
        systems = comb(m + n, m) if m + n < 10_000 else MAX_SYSTEMS + 1
        vertices = fmt_count(vertex_bound(m, n)) if m + n < 10_000 else "too many"
        return (f"enumerating the equilibria of a {fmt_count(m)} x {fmt_count(n)} normal form means "
                f"{fmt_count(systems)} linear systems (limit {MAX_SYSTEMS:,}) or a best-response polytope with "
                f"up to {vertices} vertices (limit {MAX_HULL_VERTICES:,})")
    cells = profile_count(strategies) * len(strategies)
    if cells > MAX_PURE_CELLS:
        return f"the {' x '.join(fmt_count(s) for s in strategies)} normal form has {fmt_count(cells)} payoffs to check"
    return None


def nplayer_nash_method(shape: tuple[int, ...]) -> tuple[str, str]:
    """How "nash" is solved for a normal form of 3+ players with these dimensions: ("all", "") when
    every equilibrium is enumerated (`nplayer.all_nash`), else ("tracing", why not all).

    Parameters
    ----------
    shape : tuple of int
        Strategies per player.

    Returns
    -------
    tuple of (str, str)
        ("all", "") or ("tracing", the reason every equilibrium is not enumerated).

    Examples
    --------
    >>> nplayer_nash_method((2, 2, 2))
    ('all', '')
    >>> nplayer_nash_method((4, 4, 4, 4))[0]
    'tracing'
    """
    dims = " x ".join(fmt_count(s) for s in shape)
    if profile_count(shape) > MAX_NPLAYER_PROFILES:
        return "tracing", f"the {dims} game is beyond the enumeration's limit of {MAX_NPLAYER_PROFILES:,} profiles"
    from .nplayer import path_count

    paths = path_count(shape)
    if paths > MAX_NPLAYER_PATHS:
        return "tracing", (f"enumerating every equilibrium of the {dims} game means {paths:,} homotopy paths "
                           f"(limit {MAX_NPLAYER_PATHS:,})")
    return "all", ""


def nash_method(game: NormalFormGame | GameTree, *, default: bool = False) -> tuple[str, str | None]:
    """How "nash" is solved for `game`: ("normal form" | "lemke-howson" | "sequence form" | "", reason it cannot be).

    "lemke-howson" is used for 2-player normal forms too large to enumerate (up to `MAX_LEMKE_LABELS`
    strategies in all): the equilibria its paths reach from every starting label, not all.
    "sequence form" is used for 2-player trees whose reduced normal form (or the enumeration on it) is
    too large; with `default=True` only while the sequence form is small (`DEFAULT_LCP_ROWS`).

    Parameters
    ----------
    game : NormalFormGame or GameTree
        The game.
    default : bool
        Decide for the default run (smaller sequence-form limit) rather than an explicit request.

    Returns
    -------
    tuple of (str, str or None)
        The method ("" when none fits) and why enumeration on the normal form does not fit (None when it does).

    Examples
    --------
    >>> import negosim as ns
    >>> nash_method(ns.load("scenarios/entry_deterrence.yaml").build())
    ('normal form', None)
    >>> from negosim.game import NormalFormGame
    >>> import numpy as np
    >>> nash_method(NormalFormGame.from_bimatrix(np.eye(30), np.eye(30)))[0]
    'lemke-howson'
    """
    if isinstance(game, NormalFormGame):
        why = enumeration_fits(game.shape)
        if why is None:
            return "normal form", None
        if game.n_players == 2 and sum(game.shape) <= MAX_LEMKE_LABELS:
            return "lemke-howson", why
        if game.n_players == 2:
            why += f"; Lemke-Howson takes at most {MAX_LEMKE_LABELS:,} strategies in all"
        return "", why
    sizes = tree_sizes(game)
    why = normal_form_fits(sizes) or enumeration_fits(sizes.strategies)
    if why is None:
        return "normal form", None
    if game.n_players == 2:
        limit = DEFAULT_LCP_ROWS if default else MAX_LCP_ROWS
        if sizes.lcp_rows <= limit:
            return "sequence form", why
        what = "the default's" if default and sizes.lcp_rows <= MAX_LCP_ROWS else "the"
        why += (f"; its sequence form ({sizes.sequences[0]:,} x {sizes.sequences[1]:,} sequences, an LCP of "
                f"{sizes.lcp_rows:,} rows) is beyond {what} limit of {limit:,} rows")
    return "", why


def pure_fits(game: NormalFormGame | GameTree) -> str | None:
    """None when pure equilibria (of the reduced normal form, for a tree) can be searched; else why not.

    Parameters
    ----------
    game : NormalFormGame or GameTree
        The game; a normal form always fits.

    Returns
    -------
    str or None
        None when the search fits; else the reason.

    Examples
    --------
    >>> import negosim as ns
    >>> pure_fits(ns.load("scenarios/entry_deterrence.yaml").build()) is None
    True
    """
    if isinstance(game, NormalFormGame):
        return None  # the game is already in memory, and the search is one pass over it
    sizes = tree_sizes(game)
    return normal_form_fits(sizes) or (
        None if sizes.profiles * game.n_players <= MAX_PURE_CELLS
        else f"the reduced normal form has {fmt_count(sizes.profiles)} profiles to check")


def pbe_fits(tree: GameTree) -> str | None:
    """None when the default run can afford the perfect Bayesian search of `tree`; else why not.

    The search tries every support profile that survives the removal of dominated actions; for a
    single game of at most `PRUNE_NODES` nodes that removal is done here to count them.

    Parameters
    ----------
    tree : GameTree
        The game tree.

    Returns
    -------
    str or None
        None when at most `DEFAULT_PBE_PROFILES` support profiles are to be tried; else the reason.

    Examples
    --------
    >>> import negosim as ns
    >>> pbe_fits(ns.load("scenarios/entry_deterrence.yaml").build()) is None
    True
    """
    count = support_profile_count(tree)
    if count > DEFAULT_PBE_PROFILES and tree.batch_size == 1 and len(tree.nodes) <= PRUNE_NODES:
        from .pbe import point_game, prune

        count = prod(2 ** len(allowed) - 1 for allowed in prune(point_game(tree)))
    if count <= DEFAULT_PBE_PROFILES:
        return None
    return (f"its perfect Bayesian search would try {fmt_count(count)} support profiles "
            f"(the default's limit is {DEFAULT_PBE_PROFILES:,})")


def _pbe_default(tree: GameTree) -> tuple[tuple[str, ...], tuple[Skip, ...]]:
    """("pbe",) for a tree with information sets whose search fits the default, else a Skip (or nothing)."""
    if not has_information_sets(tree):
        return (), ()
    why = pbe_fits(tree)
    return (("pbe",), ()) if why is None else ((), (Skip("pbe", why, "--concept pbe"),))


def plan(game: NormalFormGame | GameTree, concepts: tuple[str, ...] | None = None) -> Plan:
    """Which concepts run by default (`concepts` None) and which are skipped, each with its reason.

    For explicitly asked concepts every one runs (a concept that cannot fit is refused by `solve`
    with `TooLargeError`); use `refusal` to know beforehand.

    Parameters
    ----------
    game : NormalFormGame or GameTree
        The game.
    concepts : tuple of str or None
        The concepts asked for; None for the default run.

    Returns
    -------
    Plan
        The concepts to run and, for the default run, the ones skipped with their reasons.

    Examples
    --------
    >>> import negosim as ns
    >>> plan(ns.load("scenarios/entry_deterrence.yaml").build())
    Plan(run=('spe', 'nash'), skipped=())
    >>> plan(ns.load("scenarios/entry_deterrence.yaml").build(), ("qre",)).run
    ('qre',)
    """
    if concepts is not None:
        return Plan(tuple(concepts))
    if isinstance(game, NormalFormGame):
        method, why = nash_method(game)
        if method == "normal form":
            return Plan(("pure", "nash"))
        flag = "--concept nash (Lemke-Howson: the equilibria its paths reach, not all)" if method else ""
        return Plan(("pure",), (Skip("nash", why or "", flag),))
    pbe, pbe_skip = _pbe_default(game)  # with information sets, the perfect Bayesian answer too
    method, why = nash_method(game, default=True)
    if method:
        return Plan(("spe", *pbe, "nash"), pbe_skip)
    reason = why or ""
    if game.n_players == 2 and nash_method(game)[0]:
        flag = "--concept nash (one equilibrium by the sequence form)"
    elif game.n_players == 2:
        flag = ""
        reason = nash_method(game)[1] or reason
        reason += " (too large for every method negosim has, even when asked)"
    else:
        flag = ""
        reason += "; with 3 or more players negosim searches Nash equilibria only on the reduced normal form"
    return Plan(("spe", *pbe), (*pbe_skip, Skip("nash", reason, flag)))


def refusal(game: NormalFormGame | GameTree, concept: str) -> str | None:
    """None when `concept` can be computed for `game`; else the one-line reason it cannot.

    Parameters
    ----------
    game : NormalFormGame or GameTree
        The game.
    concept : str
        The concept asked for ("nash", "pure", "qre", "ce", ...).

    Returns
    -------
    str or None
        None when it can be computed; else the reason.

    Examples
    --------
    >>> import negosim as ns
    >>> refusal(ns.load("scenarios/entry_deterrence.yaml").build(), "nash") is None
    True
    """
    if concept == "nash":
        method, why = nash_method(game)
        return None if method else f"Nash equilibria not computed: {why}"
    if concept == "pure":
        why = pure_fits(game)
        return None if why is None else f"pure equilibria not computed: {why}"
    if concept in ("qre", "ce"):
        from .qre_ce import refusal as qre_ce_refusal

        return qre_ce_refusal(game, concept)
    return None


__all__ = ["MAX_LEMKE_LABELS", "Plan", "Skip", "TooLargeError", "TreeSizes", "enumeration_fits", "nash_method",
           "normal_form_fits", "nplayer_nash_method", "pbe_fits", "plan", "pure_fits", "refusal", "tree_sizes"]


def reduced_normal_form_or_refuse(tree, what: str, path: str = ""):
    """Return the reduced normal form of `tree`, or raise `TooLargeError` before building one too large.

    `what` says what the form was wanted for ("a .nfg file", "a matrix figure"); `path`, where the
    game came from, starts the message.
    """
    from ..game.reduce import reduced_normal_form

    why = normal_form_fits(tree_sizes(tree))
    if why:
        where = f"{path}: " if path else ""
        raise TooLargeError(f"{where}cannot write {what}: {why}; the game tree itself converts to .efg")
    return reduced_normal_form(tree)
