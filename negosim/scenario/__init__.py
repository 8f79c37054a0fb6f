"""Scenario files: the YAML schema (version 1), loading with line numbers, and building games.

>>> import numpy
>>> from negosim.scenario import load_scenario
>>> scenario = load_scenario("scenarios/ceasefire_2025.yaml")
>>> game = scenario.build({"p": numpy.linspace(0, 1, 201)})
>>> game.batch_shape
(201,)

The format is described in docs/scenario-format.md; `json_schema()` returns it as JSON Schema.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_exports
from .load import load_scenario, parse_overrides
from .model import Parameter, Player, Question, Scenario, SweepSpec

if TYPE_CHECKING:
    from .schema import json_schema

# The schema (which lists the bargaining models, importing them) is built on first use: loading and
# solving a game's scenario needs neither.
__getattr__, __dir__ = lazy_exports(__name__, {"json_schema": ".schema"})

__all__ = [
    "Parameter", "Player", "Question", "Scenario", "SweepSpec", "json_schema", "load_scenario", "parse_overrides",
]
