"""Sweeps over parameters: designs, batched chunked runs on any executor, regime boundaries.

>>> from negosim.scenario import load_scenario                              # doctest: +SKIP
>>> from negosim.sweep import nearest_boundaries, run_sweep                 # doctest: +SKIP
>>> scenario = load_scenario("scenarios/ceasefire_2025.yaml")               # doctest: +SKIP
>>> nearest_boundaries(scenario)["mu"]                                      # doctest: +SKIP
[Boundary(parameter='mu', value=0.105, below='truce_aid', above='truce_frozen', tied=True)]
>>> run_sweep(scenario, {"mu": (0, 0.3, 121)}, out_dir="out/mu").outcomes   # doctest: +SKIP
{'truce_aid': 43, 'truce_frozen': 31, 'war_sanctions': 47}

Nothing in this package imports matplotlib.
"""

from .boundaries import Boundary, game_outcome_labels, locate_boundaries, nearest_boundaries, outcome_labels
from .engine import SweepSummary, evaluate_points, run_sweep

__all__ = ["Boundary", "SweepSummary", "evaluate_points", "game_outcome_labels", "locate_boundaries",
           "nearest_boundaries", "outcome_labels", "run_sweep"]
