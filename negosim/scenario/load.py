"""Load a scenario file (every problem reported at once) and read `--set NAME=VALUE` overrides."""

from __future__ import annotations

import math
import os
import re

from ..errors import ScenarioError, UsageError
from .build import baseline_problems
from .gcpause import cycle_collection_paused
from .model import Scenario
from .validate import scenario_from_document
from .yamlio import read_yaml

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Return the validated scenario in the YAML file at `path`.

    Parameters
    ----------
    path : str or path-like
        A scenario file (schema version 1, docs/scenario-format.md).

    Returns
    -------
    Scenario
        The scenario layer's data (`negosim.load` returns the front door's, which also solves).

    Raises
    ------
    NegosimInputError
        For a missing or unreadable file.
    ScenarioError
        Listing every problem (``file:line: path: message`` each): YAML syntax, schema, formulas,
        the game's structure, and the game at the baseline values (chance probabilities, finite
        payoffs, the game tree's own checks).

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> sc = load_scenario("scenarios/entry_deterrence.yaml")
    >>> sc.id, sc.player_ids
    ('entry-deterrence', ('Entrant', 'Incumbent'))
    """
    with cycle_collection_paused():
        scenario = scenario_from_document(read_yaml(path))
        problems = baseline_problems(scenario)
    if problems:
        raise ScenarioError(problems)
    return scenario


def parse_overrides(items: list[str]) -> dict[str, float]:
    """Return {name: value} from ``NAME=VALUE`` strings (the CLI's repeated ``--set``).

    Parameters
    ----------
    items : list of str
        ``NAME=VALUE`` strings. Names are checked against a scenario later, by
        `Scenario.with_overrides`.

    Returns
    -------
    dict
        Name -> value.

    Raises
    ------
    NegosimUsageError
        For a malformed item, a value that is not a finite number, or a name given twice.

    Examples
    --------
    >>> from negosim.scenario import parse_overrides
    >>> parse_overrides(["mu=0.2", "p=1"])
    {'mu': 0.2, 'p': 1.0}
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
