"""Teaching figures as matplotlib `Figure` objects (built without pyplot), and deterministic saving.

>>> from negosim.api import open_source, solve_source              # doctest: +SKIP
>>> from negosim.present.figures import tree_figure, save_figure    # doctest: +SKIP
>>> src = open_source("scenarios/ceasefire_2025.yaml")              # doctest: +SKIP
>>> spe = solve_source(src, ["spe"])[0]                             # doctest: +SKIP
>>> save_figure(tree_figure(src.game, spe), "tree.png")             # doctest: +SKIP

Importing this package imports matplotlib; the command line imports it only when it draws.
"""

from .best_response import best_response_figure
from .matrix import matrix_figure
from .outcome import outcome_figure, regime_boundaries
from .save import figure_svg, save_figure
from .tree import tree_figure, tree_layout

__all__ = ["best_response_figure", "figure_svg", "matrix_figure", "outcome_figure", "regime_boundaries",
           "save_figure", "tree_figure", "tree_layout"]
