"""The JSON Schema (draft 2020-12) of scenario files, version 1.

The schema describes the structure; `negosim validate` checks more than it can say (formulas
parse and use known names, the game is a tree, payoffs name every player, ranges hold) and
reports each problem with its line. Every file `negosim validate` accepts passes this schema.
"""

from __future__ import annotations

import copy
import keyword

from ..expr import FUNCTIONS
from .bargainmodels import MODELS

IDENTIFIER = r"^[A-Za-z_][A-Za-z0-9_]*$"

_DEFS: dict = {
    "identifier": {
        "type": "string",
        "pattern": IDENTIFIER,
        "description": "A letter or _ followed by letters, digits or _.",
    },
    "name": {
        "description": "A parameter or derived name: an identifier that is neither a keyword nor a function name.",
        "allOf": [
            {"$ref": "#/$defs/identifier"},
            {"not": {"enum": sorted(set(keyword.kwlist) | set(FUNCTIONS))}},
        ],
    },
    "formula": {
        "description": "A number, or an expression over parameter and derived names (see docs/scenario-format.md).",
        "anyOf": [{"type": "number"}, {"type": "string", "minLength": 1, "maxLength": 1000}],
    },
    "text": {"type": "string"},
    "line": {"type": "string", "pattern": r"^[^\n]*\n?$"},
    "source": {
        "type": "object",
        "required": ["key", "cite"],
        "additionalProperties": False,
        "properties": {
            "key": {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$"},
            "cite": {"type": "string", "minLength": 1},
            "url": {"type": "string", "minLength": 1},
        },
    },
    "player": {
        "type": "object",
        "required": ["id"],
        "additionalProperties": False,
        "properties": {
            "id": {"$ref": "#/$defs/identifier"},
            "name": {"$ref": "#/$defs/line"},
            "description": {"type": "string"},
        },
    },
    "parameter": {
        "type": "object",
        "required": ["value", "range", "description"],
        "additionalProperties": False,
        "properties": {
            "value": {"type": "number"},
            "range": {
                "type": "array",
                "prefixItems": [{"type": "number"}, {"type": "number"}],
                "minItems": 2,
                "maxItems": 2,
                "description": "[low, high], with low <= value <= high.",
            },
            "description": {"type": "string", "minLength": 1},
            "unit": {"type": "string", "minLength": 1},
            "source": {"type": "string", "minLength": 1, "description": "The key of an entry of `sources`."},
        },
    },
    "payoffs": {
        "description": "Player id -> payoff formula, naming every player exactly once.",
        "type": "object",
        "minProperties": 1,
        "propertyNames": {"$ref": "#/$defs/identifier"},
        "additionalProperties": {"$ref": "#/$defs/formula"},
    },
    "outcomes": {
        "type": "object",
        "propertyNames": {"$ref": "#/$defs/identifier"},
        "additionalProperties": {
            "type": "object",
            "required": ["payoffs"],
            "additionalProperties": False,
            "properties": {"label": {"$ref": "#/$defs/line"}, "payoffs": {"$ref": "#/$defs/payoffs"}},
        },
    },
    "cell": {
        "description": "Payoffs in player order, player -> payoff, or an outcome id.",
        "anyOf": [
            {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/formula"}},
            {"$ref": "#/$defs/payoffs"},
            {"$ref": "#/$defs/identifier"},
        ],
    },
    "normal_payoffs": {
        "description": "One mapping level per player (in player order), keyed by that player's actions, down to cells.",
        "type": "object",
        "minProperties": 1,
        "propertyNames": {"$ref": "#/$defs/identifier"},
        "additionalProperties": {"anyOf": [{"$ref": "#/$defs/normal_payoffs"}, {"$ref": "#/$defs/cell"}]},
    },
    "normal_game": {
        "type": "object",
        "required": ["form", "actions", "payoffs"],
        "additionalProperties": False,
        "properties": {
            "form": {"const": "normal"},
            "actions": {
                "description": "Player id -> that player's actions, for every player in the order of `players`.",
                "type": "object",
                "minProperties": 1,
                "propertyNames": {"$ref": "#/$defs/identifier"},
                "additionalProperties": {
                    "type": "array",
                    "minItems": 1,
                    "uniqueItems": True,
                    "items": {"$ref": "#/$defs/identifier"},
                },
            },
            "payoffs": {"$ref": "#/$defs/normal_payoffs"},
            "outcomes": {"$ref": "#/$defs/outcomes"},
        },
    },
    "decision_node": {
        "type": "object",
        "required": ["player", "actions"],
        "additionalProperties": False,
        "properties": {
            "player": {"$ref": "#/$defs/identifier"},
            "label": {"$ref": "#/$defs/line"},
            "infoset": {"$ref": "#/$defs/identifier"},
            "actions": {
                "description": "Action -> the id of the next node or of an outcome.",
                "type": "object",
                "minProperties": 1,
                "propertyNames": {"$ref": "#/$defs/identifier"},
                "additionalProperties": {"$ref": "#/$defs/identifier"},
            },
            "prefer": {"type": "array", "items": {"$ref": "#/$defs/identifier"}},
        },
    },
    "chance_node": {
        "type": "object",
        "required": ["chance"],
        "additionalProperties": False,
        "properties": {
            "label": {"$ref": "#/$defs/line"},
            "chance": {
                "type": "object",
                "minProperties": 1,
                "propertyNames": {"$ref": "#/$defs/identifier"},
                "additionalProperties": {
                    "type": "object",
                    "required": ["prob", "next"],
                    "additionalProperties": False,
                    "properties": {"prob": {"$ref": "#/$defs/formula"}, "next": {"$ref": "#/$defs/identifier"}},
                },
            },
        },
    },
    "extensive_game": {
        "type": "object",
        "required": ["form", "root", "nodes", "outcomes"],
        "additionalProperties": False,
        "properties": {
            "form": {"const": "extensive"},
            "root": {"$ref": "#/$defs/identifier"},
            "nodes": {
                "type": "object",
                "minProperties": 1,
                "propertyNames": {"$ref": "#/$defs/identifier"},
                "additionalProperties": {"oneOf": [{"$ref": "#/$defs/decision_node"}, {"$ref": "#/$defs/chance_node"}]},
            },
            "outcomes": {"$ref": "#/$defs/outcomes"},
        },
    },
    "bargaining_game": {
        "description": "A continuous bargaining model of negosim.bargain, its arguments as formulas of the "
        "parameters (docs/scenario-format.md, 'Bargaining models').",
        "type": "object",
        "required": ["form", "model", "arguments"],
        "additionalProperties": False,
        "properties": {
            "form": {"const": "bargaining"},
            "model": {"enum": sorted(MODELS)},
            "arguments": {
                "type": "object",
                "minProperties": 1,
                "propertyNames": {"$ref": "#/$defs/identifier"},
                "additionalProperties": {"$ref": "#/$defs/formula"},
            },
            "options": {"type": "object", "additionalProperties": {"type": "string"}},
            "regimes": {
                "description": "Regime id -> the label shown for it.",
                "type": "object",
                "propertyNames": {"$ref": "#/$defs/identifier"},
                "additionalProperties": {"$ref": "#/$defs/line"},
            },
        },
    },
    "sweep": {
        "type": "object",
        "required": ["vary"],
        "additionalProperties": False,
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "vary": {
                "type": "object",
                "minProperties": 1,
                "propertyNames": {"$ref": "#/$defs/name"},
                "additionalProperties": {
                    "type": "object",
                    "required": ["from", "to", "num"],
                    "additionalProperties": False,
                    "properties": {
                        "from": {"type": "number"},
                        "to": {"type": "number"},
                        "num": {"type": "integer", "minimum": 2},
                    },
                },
            },
        },
    },
}

_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "urn:negosim:scenario:1",
    "title": "negosim scenario file, version 1",
    "description": "A negotiation scenario: players, parameters, a game whose payoffs are formulas, sweeps. "
    "See docs/scenario-format.md.",
    "type": "object",
    "required": ["negosim", "id", "title", "players", "game"],
    "additionalProperties": False,
    "properties": {
        "negosim": {"const": 1, "description": "Schema version."},
        "id": {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_-]*$"},
        "title": {"type": "string", "minLength": 1, "pattern": r"^[^\n]*\n?$"},
        "description": {"type": "string", "description": "The teacher's text (the handout with answers)."},
        "brief": {
            "type": "string",
            "minLength": 1,
            "pattern": r"\S",
            "description": "The students' text (worksheet): the situation and rules, no results. "
            "Required when there are questions.",
        },
        "sources": {"type": "array", "items": {"$ref": "#/$defs/source"}},
        "players": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/player"}},
        "parameters": {
            "type": "object",
            "propertyNames": {"$ref": "#/$defs/name"},
            "additionalProperties": {"$ref": "#/$defs/parameter"},
        },
        "derived": {
            "description": "Name -> formula, evaluated in the order written; each may use the names above it.",
            "type": "object",
            "propertyNames": {"$ref": "#/$defs/name"},
            "additionalProperties": {"$ref": "#/$defs/formula"},
        },
        "game": {"oneOf": [{"$ref": "#/$defs/normal_game"}, {"$ref": "#/$defs/extensive_game"},
                           {"$ref": "#/$defs/repeated_game"}, {"$ref": "#/$defs/bargaining_game"}]},
        "ties": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"prefer": {"type": "array", "items": {"type": "string", "minLength": 1}}},
        },
        "sweeps": {
            "type": "object",
            "propertyNames": {"$ref": "#/$defs/identifier"},
            "additionalProperties": {"$ref": "#/$defs/sweep"},
        },
        "questions": {
            "type": "array",
            "items": {
                "oneOf": [
                    {"type": "string", "minLength": 1, "description": "A question with no written answer."},
                    {
                        "type": "object",
                        "required": ["ask"],
                        "additionalProperties": False,
                        "properties": {
                            "ask": {"type": "string", "minLength": 1, "pattern": r"\S"},
                            "answer": {"type": "string", "minLength": 1, "pattern": r"\S",
                                       "description": "The answer key's answer."},
                        },
                    },
                ]
            },
        },
    },
    "dependentRequired": {"questions": ["brief"]},
    "$defs": _DEFS,
}


def _repeated_game() -> dict:
    """A normal-form stage game plus how it is repeated (see `negosim.scenario.repeatedspec`)."""
    game = copy.deepcopy(_DEFS["normal_game"])
    game["required"] = [*game["required"], "discount"]
    props = game["properties"]
    props["form"] = {"const": "repeated"}
    props["discount"] = {"description": "Discount factor per period, in (0, 1).", "$ref": "#/$defs/formula"}
    props["detection"] = {"description": "Probability that a violation is detected, in (0, 1]; default 1.",
                          "$ref": "#/$defs/formula"}
    props["extension"] = {"description": "Probability that both consent to extend after each period, in (0, 1]; "
                                         "default 1.", "$ref": "#/$defs/formula"}
    props["cooperative"] = {"description": "The profile the agreement prescribes: player id -> action.",
                            "type": "object", "propertyNames": {"$ref": "#/$defs/identifier"},
                            "additionalProperties": {"$ref": "#/$defs/identifier"}}
    return game


_DEFS["repeated_game"] = _repeated_game()


def json_schema() -> dict:
    """Return the JSON Schema of scenario files, version 1 (a fresh copy the caller may change).

    Returns
    -------
    dict
        The schema (``negosim schema`` prints it), for editors and other validators.

    Examples
    --------
    >>> from negosim.scenario import json_schema
    >>> json_schema()["title"]
    'negosim scenario file, version 1'
    """
    return copy.deepcopy(_SCHEMA)
