"""The size limits of every method, a game's sizes estimated before anything large is built, and
whether each method fits within them (None, or one phrase saying what would have been too large).

The policy that decides from these which concepts a game gets is `negosim.solve.policy`; the limits
live here so that every check reads one number.

>>> normal_form_fits(TreeSizes((2, 2), (3, 3), (1, 1), 3, 1)) is None
True
"""

from __future__ import annotations

from dataclasses import dataclass
from math import comb, prod

from ..errors import NegosimError
from ..game.normal import NormalFormGame
from ..game.sizes import (
    fmt_count,
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

def reduced_normal_form_or_refuse(tree: GameTree, what: str, path: str = "") -> NormalFormGame:
    """Return the reduced normal form of `tree`, or raise `TooLargeError` before building one too large.

    Parameters
    ----------
    tree : GameTree
        The game tree.
    what : str
        What the form was wanted for ("a .nfg file", "a matrix figure"), for the message.
    path : str
        Where the game came from; it starts the message when given.

    Returns
    -------
    NormalFormGame
        The reduced normal form.

    Raises
    ------
    TooLargeError
        When the form would be beyond `MAX_STRATEGIES` or `MAX_NORMAL_FORM_NUMBERS`.

    Examples
    --------
    >>> import negosim as ns
    >>> reduced_normal_form_or_refuse(ns.load("scenarios/entry_deterrence.yaml").build(), "a .nfg file").shape
    (2, 2)
    """
    from ..game.reduce import reduced_normal_form

    why = normal_form_fits(tree_sizes(tree))
    if why:
        where = f"{path}: " if path else ""
        raise TooLargeError(f"{where}cannot write {what}: {why}; the game tree itself converts to .efg")
    return reduced_normal_form(tree)


__all__ = ["DEFAULT_LCP_ROWS", "DEFAULT_PBE_PROFILES", "MAX_LCP_ROWS", "MAX_LEMKE_LABELS", "MAX_NORMAL_FORM_NUMBERS",
           "MAX_NPLAYER_PATHS", "MAX_NPLAYER_PROFILES", "MAX_PURE_CELLS", "MAX_STRATEGIES", "PRUNE_NODES",
           "TooLargeError", "TreeSizes", "enumeration_fits", "normal_form_fits", "pbe_fits", "pure_fits",
           "reduced_normal_form_or_refuse", "tree_sizes"]
