"""Sweeps over parameters: for now, regime boundaries (where the equilibrium outcome changes).

>>> from negosim.scenario import load_scenario                              # doctest: +SKIP
>>> from negosim.sweep import nearest_boundaries                            # doctest: +SKIP
>>> nearest_boundaries(load_scenario("scenarios/ceasefire_2025.yaml"))["mu"]  # doctest: +SKIP
[Boundary(parameter='mu', value=0.105, below='truce_aid', above='truce_frozen', tied=True)]

Nothing in this package imports matplotlib.
"""

from .boundaries import Boundary, game_outcome_labels, locate_boundaries, nearest_boundaries, outcome_labels

__all__ = ["Boundary", "game_outcome_labels", "locate_boundaries", "nearest_boundaries", "outcome_labels"]
