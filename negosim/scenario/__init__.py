"""Scenario files: the YAML schema (version 1), loading with line numbers, and building games.

>>> import numpy
>>> from negosim.scenario import load_scenario
>>> scenario = load_scenario("scenarios/ceasefire_2025.yaml")
>>> game = scenario.build({"p": numpy.linspace(0, 1, 201)})
>>> game.batch_shape
(201,)

The format is described in docs/scenario-format.md; `json_schema()` returns it as JSON Schema.
"""

from .load import load_scenario, parse_overrides
from .model import Parameter, Player, Question, Scenario, SweepSpec
from .schema import json_schema

__all__ = [
    "Parameter", "Player", "Question", "Scenario", "SweepSpec", "json_schema", "load_scenario", "parse_overrides",
]
