"""negosim: negotiation game-theory simulator.

Describe a negotiation as a scenario file, build the game, solve it for verified
equilibria, and sweep parameters to see where the outcome changes.
"""

__version__ = "0.1.0"
