"""negosim: negotiation game-theory simulator.

Describe a negotiation as a scenario file, build the game, solve it for verified equilibria, and
sweep parameters to see where the outcome changes. The front door, for notebooks and scripts:

>>> import negosim as ns
>>> sc = ns.load("scenarios/ceasefire_2025.yaml")
>>> sc.solve().outcomes().tolist()
['truce_aid']
>>> sc.sweep({"mu": (0, 0.3, 61)}).outcomes
{'truce_aid': 22, 'truce_frozen': 15, 'war_sanctions': 24}

Every public name below is imported when first used, so ``import negosim`` (and ``negosim --help``)
stays light: no numpy-heavy module, scipy, matplotlib or pandas until a name needs it. No name
here is also a subpackage's (``negosim.solve`` is a package, so the solving function is
`equilibria`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .lazy import lazy_exports

__version__ = "0.1.0"

#: Public name -> module that defines it (imported on first use).
_LAZY = {
    "load": "negosim.frontdoor",
    "from_arrays": "negosim.frontdoor",
    "equilibria": "negosim.frontdoor",
    "Scenario": "negosim.frontdoor",
    "SweepResult": "negosim.frontdoor",
    "dynamics": "negosim.solve.learning",
    "LearningPath": "negosim.solve.learning",
    "Solution": "negosim.solve.result",
    "Equilibrium": "negosim.solve.result",
    "primary_concept": "negosim.solve.primary",
    "NormalFormGame": "negosim.game.normal",
    "GameTree": "negosim.game.tree",
    "TieRules": "negosim.game.ties",
    "NegosimError": "negosim.errors",
    "NegosimInputError": "negosim.errors",
    "NegosimUsageError": "negosim.errors",
}

__all__ = [
    "Equilibrium", "GameTree", "LearningPath", "NegosimError", "NegosimInputError", "NegosimUsageError",
    "NormalFormGame", "Scenario", "Solution", "SweepResult", "TieRules", "__version__", "dynamics", "equilibria",
    "from_arrays", "load", "primary_concept",
]

if TYPE_CHECKING:
    from .errors import NegosimError, NegosimInputError, NegosimUsageError
    from .frontdoor import Scenario, SweepResult, equilibria, from_arrays, load
    from .game.normal import NormalFormGame
    from .game.ties import TieRules
    from .game.tree import GameTree
    from .solve.learning import LearningPath, dynamics
    from .solve.primary import primary_concept
    from .solve.result import Equilibrium, Solution


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)
