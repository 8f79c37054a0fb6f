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

Importing this package imports neither matplotlib nor the figure modules; each is imported when
first used, matplotlib only when a figure is drawn with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...lazy import lazy_exports

# `tree_layout` is also a submodule's name: importing it binds the package attribute to that submodule,
# so the function is bound here, right after, and never looked up lazily. Only that small module is
# imported, not `.tree` (the tree figure, with the text formatting it uses): a sweep's regime map needs
# neither.
from .tree_layout import tree_layout

if TYPE_CHECKING:
    from .best_response import best_response_figure
    from .indices import indices_figure
    from .matrix import matrix_figure
    from .outcome import outcome_figure, regime_boundaries
    from .regime_map import regime_map_figure
    from .save import figure_svg, save_figure
    from .shares import outcome_share_figure
    from .tornado import tornado_figure
    from .tree import tree_figure

#: Where each public name lives: modules are imported on first use (PEP 562), so that drawing one
#: figure (the sweep's regime map) does not import every other figure's module.
_HOME = {"best_response_figure": ".best_response", "indices_figure": ".indices", "matrix_figure": ".matrix",
         "outcome_figure": ".outcome", "regime_boundaries": ".outcome", "regime_map_figure": ".regime_map",
         "figure_svg": ".save", "save_figure": ".save", "outcome_share_figure": ".shares",
         "tornado_figure": ".tornado", "tree_figure": ".tree"}

__all__ = ["best_response_figure", "figure_svg", "indices_figure", "matrix_figure", "outcome_figure",
           "outcome_share_figure", "regime_boundaries", "regime_map_figure", "save_figure", "tornado_figure",
           "tree_figure", "tree_layout"]


__getattr__, __dir__ = lazy_exports(__name__, _HOME)
