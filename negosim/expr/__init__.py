"""Formulas: payoff and derived expressions parsed once and evaluated on numpy arrays.

A formula is a number or a string such as ``p - cR + beta * (cR + cU)``. `parse_formula`
checks it against a whitelist of Python expression syntax (never running it) and returns
a `Formula`, whose `evaluate` computes it with broadcasting over arrays of parameter values
and raises `negosim.errors.FormulaError` where the result is not finite.

>>> f = parse_formula("max(a - b, 0) / 2")
>>> sorted(f.names)
['a', 'b']
>>> f.evaluate({"a": [3.0, 1.0], "b": 1.0}).tolist()
[1.0, 0.0]
"""

from .formula import Formula
from .parse import FUNCTIONS, parse_formula

__all__ = ["FUNCTIONS", "Formula", "parse_formula"]
