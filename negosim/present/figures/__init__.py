"""Teaching figures as matplotlib `Figure` objects (built without pyplot), and deterministic saving.

>>> import os, tempfile
>>> from negosim.api import open_source, solve_source
>>> from negosim.present.figures import tree_figure, save_figure
>>> src = open_source("scenarios/ceasefire_2025.yaml")
>>> spe = solve_source(src, ["spe"])[0]
>>> path = os.path.join(tempfile.mkdtemp(), "tree.png")
>>> save_figure(tree_figure(src.game, spe), path)
>>> os.path.getsize(path) > 0
True

Importing this package imports matplotlib; the command line imports it only when it draws.
"""

from .best_response import best_response_figure
from .indices import indices_figure
from .matrix import matrix_figure
from .outcome import outcome_figure, regime_boundaries
from .regime_map import regime_map_figure
from .save import figure_svg, save_figure
from .shares import outcome_share_figure
from .tornado import tornado_figure
from .tree import tree_figure, tree_layout

__all__ = ["best_response_figure", "figure_svg", "indices_figure", "matrix_figure", "outcome_figure",
           "outcome_share_figure", "regime_boundaries", "regime_map_figure", "save_figure", "tornado_figure",
           "tree_figure", "tree_layout"]
