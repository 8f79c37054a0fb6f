"""The size policy: which concepts and methods a game gets, decided from sizes known before solving.

One place decides, so `solve`, `explain`, `report` and `convert` agree (the limits themselves, a
game's sizes and the checks of what fits are `negosim.solve.size_limits`). A game tree always gets its
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

from ..game.normal import NormalFormGame
from ..game.sizes import fmt_count, has_information_sets, profile_count
from ..game.tree import GameTree
from .size_limits import (
    DEFAULT_LCP_ROWS,
    DEFAULT_PBE_PROFILES,
    MAX_LCP_ROWS,
    MAX_LEMKE_LABELS,
    MAX_NORMAL_FORM_NUMBERS,
    MAX_NPLAYER_PATHS,
    MAX_NPLAYER_PROFILES,
    MAX_PURE_CELLS,
    MAX_STRATEGIES,
    PRUNE_NODES,
    TooLargeError,
    TreeSizes,
    enumeration_fits,
    normal_form_fits,
    pbe_fits,
    pure_fits,
    reduced_normal_form_or_refuse,
    tree_sizes,
)


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


# The limits and the checks of what fits are `size_limits`'; re-exported here, where callers have found them.
__all__ = ["DEFAULT_LCP_ROWS", "DEFAULT_PBE_PROFILES", "MAX_LCP_ROWS", "MAX_LEMKE_LABELS", "MAX_NORMAL_FORM_NUMBERS",
           "MAX_NPLAYER_PATHS", "MAX_NPLAYER_PROFILES", "MAX_PURE_CELLS", "MAX_STRATEGIES", "PRUNE_NODES", "Plan",
           "Skip", "TooLargeError", "TreeSizes", "enumeration_fits", "nash_method", "normal_form_fits",
           "nplayer_nash_method", "pbe_fits", "plan", "pure_fits", "reduced_normal_form_or_refuse", "refusal",
           "tree_sizes"]
