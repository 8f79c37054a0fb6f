"""Sweeps over parameters: designs, batched chunked runs on any executor, regime boundaries.

>>> import tempfile
>>> from negosim.scenario import load_scenario
>>> from negosim.sweep import nearest_boundaries, run_sweep
>>> scenario = load_scenario("scenarios/ceasefire_2025.yaml")
>>> [(b.parameter, round(b.value, 6), b.below, b.above, b.tied) for b in nearest_boundaries(scenario)["mu"]]
[('mu', 0.105, 'truce_aid', 'truce_frozen', True)]
>>> run_sweep(scenario, {"mu": (0, 0.3, 121)}, out_dir=tempfile.mkdtemp()).outcomes
{'truce_aid': 43, 'truce_frozen': 31, 'war_sanctions': 47}

Nothing in this package imports matplotlib.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_exports

if TYPE_CHECKING:
    from .boundaries import Boundary, game_outcome_labels, locate_boundaries, nearest_boundaries, outcome_labels
    from .engine import SweepSummary, evaluate_points, run_sweep

#: Where each public name lives: modules are imported on first use (PEP 562), so that a sweep of two
#: parameters (the CLI imports `negosim.sweep.designs` first) never imports the boundary bisection.
_HOME = {"Boundary": ".boundaries", "game_outcome_labels": ".boundaries", "locate_boundaries": ".boundaries",
         "nearest_boundaries": ".boundaries", "outcome_labels": ".boundaries", "SweepSummary": ".engine",
         "evaluate_points": ".engine", "run_sweep": ".engine"}

__all__ = ["Boundary", "SweepSummary", "evaluate_points", "game_outcome_labels", "locate_boundaries",
           "nearest_boundaries", "outcome_labels", "run_sweep"]


__getattr__, __dir__ = lazy_exports(__name__, _HOME)
