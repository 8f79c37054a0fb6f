"""Check the `game` section of a `form: bargaining` scenario: a model of `negosim.bargain` and its arguments.

A bargaining scenario has no game tree: it names one of the continuous models (`bargainmodels.MODELS`)
and gives each argument as a formula of the scenario's parameters and derived values::

    game:
      form: bargaining
      model: risk_return
      arguments: {p: p, cU: cU, cbar: cbar}
      regimes: {risky_offer: The offer risks war, safe_offer: Every challenger accepts}   # optional labels

The model's arguments that describe a frontier (``u_a``, ``u_b`` of ``nash_solution``) are formulas in
the share ``x`` as well. Words that are not formulas go under ``options`` (``proposer: defender``); an
option left out takes its first allowed value (``proposer: challenger``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..expr import Formula
from .bargainmodels import MODELS, BargainModel

if TYPE_CHECKING:
    from .checker import Checker

KEYS_REQUIRED = ("form", "model", "arguments")
KEYS_OPTIONAL = ("options", "regimes")


@dataclass(frozen=True)
class BargainSpec:
    """A bargaining model as a scenario writes it: the model, its argument formulas, options and regime labels.

    Attributes
    ----------
    model : BargainModel
        The model the scenario names.
    arguments : dict of str to Formula
        Each argument's formula of the scenario's parameters.
    options : dict of str to str
        The word options given.
    labels : dict of str to str
        Regime id -> the scenario's label for it.
    line : int or None
        The line of the ``model`` key.

    Examples
    --------
    >>> import negosim as ns
    >>> spec = ns.load("scenarios/rubinstein_war.yaml").game
    >>> spec.model.name, sorted(spec.arguments)
    ('outside_options', ['delta', 'w_a', 'w_b'])
    """

    model: BargainModel
    arguments: dict[str, Formula]
    options: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # regime id -> the scenario's label for it
    line: int | None = None  # line of the `model` key

    @property
    def outcomes(self) -> tuple:
        """No payoff outcomes: a bargaining model's results are its quantities (for code that scans outcomes)."""
        return ()

    def label(self, regime: str) -> str:
        """The scenario's label for a regime, else the regime id in words."""
        return self.labels.get(regime, regime.replace("_", " "))


def check_bargaining_section(c: Checker, value: dict, path: tuple, players: tuple[str, ...] | None,
                             known: frozenset[str] | None) -> BargainSpec | None:
    """Return the bargaining model the `game` section describes, reporting every problem to `c`.

    Parameters
    ----------
    c : Checker
        Collects the problems found.
    value : dict
        The ``game`` section as plain data.
    path : tuple
        Where the section sits in the document.
    players : tuple of str or None
        The scenario's players (checked against the model's roles), if known.
    known : frozenset of str or None
        The names argument formulas may use, if known.

    Returns
    -------
    BargainSpec or None
        None when a problem stops the section from being read.

    Examples
    --------
    >>> from negosim.scenario.checker import Checker
    >>> from negosim.scenario.yamlio import YamlDocument
    >>> game = {"form": "bargaining", "model": "rubinstien", "arguments": {}}
    >>> c = Checker(YamlDocument("x.yaml", {"game": game}, ""))
    >>> check_bargaining_section(c, game, ("game",), None, None) is None
    True
    >>> [p.message for p in c.problems]
    ["unknown bargaining model 'rubinstien' (did you mean 'rubinstein'?)"]
    """
    c.mapping(path, value, KEYS_REQUIRED, KEYS_OPTIONAL, "a mapping {form: bargaining, model, arguments, options?, "
              "regimes?}")
    if "model" not in value:
        return None
    name = value["model"]
    if not isinstance(name, str) or name not in MODELS:
        shown = name if isinstance(name, str) else str(name)
        c.report(path + ("model",), f"unknown bargaining model {shown!r}{c.suggest(shown, MODELS)}")
        return None
    model = MODELS[name]
    if players is not None and len(players) != len(model.roles):
        c.report(path + ("model",), f"{name} relates {len(model.roles)} players ({', '.join(model.roles)}, in the "
                 f"order of `players`); the scenario lists {len(players)}")
    arguments = _arguments(c, value.get("arguments"), path + ("arguments",), model, known)
    options = _options(c, value.get("options", {}), path + ("options",), model)
    labels = _labels(c, value.get("regimes", {}), path + ("regimes",), model)
    if arguments is None or options is None or labels is None:
        return None
    return BargainSpec(model, arguments, options, labels, c.line(path + ("model",)))


def _arguments(c: Checker, value, path: tuple, model: BargainModel, known) -> dict[str, Formula] | None:
    if value is None:
        return None
    what = f"a mapping of argument -> formula ({', '.join(model.arguments)})"
    if c.mapping(path, value, model.required, model.optional, what) is None:
        return None
    out: dict[str, Formula] = {}
    ok = set(value) <= set(model.arguments) and set(model.required) <= set(value)
    for arg in model.arguments:
        if arg not in value:
            continue
        names = known
        if arg in model.frontier:
            if known is not None and "x" in known:
                c.report(path + (arg,), "x is the share on the frontier in this formula; rename the parameter 'x'")
                ok = False
                continue
            names = None if known is None else known | {"x"}
        formula = c.formula(path + (arg,), value[arg], names)
        if formula is None:
            ok = False
        else:
            out[arg] = formula
    return out if ok else None


def _options(c: Checker, value, path: tuple, model: BargainModel) -> dict[str, str] | None:
    if not model.options:
        if value:
            c.report(path, f"{model.name} takes no options")
            return None
        return {}
    if c.mapping(path, value, (), tuple(model.options), f"a mapping of option -> word ({', '.join(model.options)})") \
            is None:
        return None
    out = {}
    for key, allowed in model.options.items():
        word = value.get(key, allowed[0])  # an option left out takes its first value (the function's default)
        if word not in allowed:
            c.report(path + (key,), f"{key} must be one of {', '.join(allowed)}, got {word!r}")
            return None
        out[key] = str(word)
    return out


def _labels(c: Checker, value, path: tuple, model: BargainModel) -> dict[str, str] | None:
    if c.mapping(path, value, (), model.regimes, f"a mapping of regime -> label ({', '.join(model.regimes)})") \
            is None:
        return None
    out = {}
    for key, text in value.items():
        label = c.text(path + (key,), text, one_line=True)
        if label is None or key not in model.regimes:
            return None
        out[key] = label.strip()
    return out


__all__ = ["BargainSpec", "check_bargaining_section"]
