"""Names of pure strategy profiles, one convention everywhere.

A profile's *id* joins the actions with "/" ("hawk/dove"): it is the outcome id of a normal-form
cell that names no outcome, in scenarios, Gambit conversions and explanations. A profile's *name*
is the tuple "(hawk, dove)": how sweeps and regime labels show a pure equilibrium.

>>> profile_id(("hawk", "dove")), profile_name(("hawk", "dove"))
('hawk/dove', '(hawk, dove)')
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .normal import NormalFormGame


def profile_id(actions: Iterable[str]) -> str:
    """Return the id of a pure profile given each player's action label: the labels joined by "/".

    Parameters
    ----------
    actions : iterable of str
        One action label per player, in player order.

    Returns
    -------
    str

    Examples
    --------
    >>> from negosim.game.profiles import profile_id
    >>> profile_id(["cooperate", "defect"])
    'cooperate/defect'
"""
    return "/".join(actions)


def profile_name(actions: Iterable[str]) -> str:
    """Return the display name of a pure profile: "(a1, a2, ...)".

    Parameters
    ----------
    actions : iterable of str
        One action label per player, in player order.

    Returns
    -------
    str

    Examples
    --------
    >>> from negosim.game.profiles import profile_name
    >>> profile_name(["cooperate", "defect"])
    '(cooperate, defect)'
"""
    return "(" + ", ".join(actions) + ")"


def profile_names(game: NormalFormGame) -> list[str]:
    """Return every pure profile's name, in profile order (the last player's action varies fastest).

    Parameters
    ----------
    game : NormalFormGame

    Returns
    -------
    list of str

    Examples
    --------
    >>> from negosim.game import NormalFormGame
    >>> profile_names(NormalFormGame.from_bimatrix([[0, 0]], [[0, 0]], actions=(("x",), ("l", "r"))))
    ['(x, l)', '(x, r)']
    """
    return [profile_name(game.actions[i][a] for i, a in enumerate(prof)) for prof in np.ndindex(*game.shape)]


__all__ = ["profile_id", "profile_name", "profile_names"]
