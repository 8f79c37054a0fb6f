"""Load a scenario file (every problem reported at once) and read `--set NAME=VALUE` overrides."""

from __future__ import annotations

import math
import re

from ..errors import ScenarioError, UsageError
from .build import baseline_problems
from .model import Scenario
from .validate import scenario_from_document
from .yamlio import read_yaml

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def load_scenario(path) -> Scenario:
    """Return the validated scenario in the YAML file at `path`.

    Raises NegosimInputError for a missing or unreadable file and ScenarioError listing every
    problem (`file:line: path: message` each): YAML syntax, schema, formulas, the game's
    structure, and the game at the baseline values (chance probabilities, finite payoffs,
    the game tree's own checks).
    """
    scenario = scenario_from_document(read_yaml(path))
    problems = baseline_problems(scenario)
    if problems:
        raise ScenarioError(problems)
    return scenario


def parse_overrides(items: list[str]) -> dict[str, float]:
    """Return {name: value} from ``NAME=VALUE`` strings (the CLI's repeated ``--set``).

    Raises UsageError for a malformed item, a value that is not a finite number, or a name
    given twice. Names are checked against a scenario later, by `Scenario.with_overrides`.
    """
    out: dict[str, float] = {}
    for item in items:
        name, sep, text = str(item).partition("=")
        name, text = name.strip(), text.strip()
        if not sep or not name or not text:
            raise UsageError(f"--set {item}: expected NAME=VALUE, for example --set mu=0.2")
        if not _NAME.match(name):
            raise UsageError(f"--set {item}: {name!r} is not a parameter name")
        try:
            value = float(text)
        except ValueError:
            raise UsageError(f"--set {item}: {text!r} is not a number") from None
        if not math.isfinite(value):
            raise UsageError(f"--set {item}: the value must be a finite number")
        if name in out:
            raise UsageError(f"--set {item}: {name!r} is set more than once")
        out[name] = value
    return out
