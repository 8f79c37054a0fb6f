"""The commands of `negosim` for `form: bargaining` scenarios (solve, explain, validate; sweep shares the engine).

`negosim.cli.main` sends a command here when its file is a bargaining scenario: such a scenario
names a model of `negosim.bargain` instead of a game, so the commands that build a game (play,
convert) refuse it in one line, and the ones below print the model's quantities instead of equilibria.
"""

from __future__ import annotations

import sys

from .errors import NegosimError
from .scenario.model import Scenario

#: The commands with a bargaining version here; sweep and sensitivity use the engine's own dispatch.
COMMANDS = ("validate", "solve", "explain", "report")


def bargaining_scenario(path: str, overrides: dict[str, float] | None = None) -> Scenario | None:
    """The scenario in `path` (with `overrides`) if it is a bargaining scenario, else None (a game, a Gambit file).

    Parameters
    ----------
    path : str
        The file named on the command line.
    overrides : dict, optional
        Parameter values that replace the scenario's own (``--set name=value``).

    Returns
    -------
    Scenario or None
        The bargaining scenario, or None for a file that is not one (or that cannot be read as YAML: the
        game commands report its problems).

    Examples
    --------
    >>> s = bargaining_scenario("scenarios/rubinstein_war.yaml")
    >>> s.id, s.game.model.name
    ('rubinstein-war', 'outside_options')
    >>> bargaining_scenario("scenarios/prisoners_dilemma.yaml") is None
    True
    """
    if not str(path).lower().endswith((".yaml", ".yml")):
        return None
    from .scenario.yamlio import read_yaml

    try:
        data = read_yaml(path).data
    except NegosimError:  # the game command reports the file's problems in its own words
        return None
    game = data.get("game") if isinstance(data, dict) else None
    if not isinstance(game, dict) or game.get("form") != "bargaining":
        return None
    from .scenario import load_scenario

    scenario = load_scenario(path)
    return scenario.with_overrides(overrides) if overrides else scenario


def validate_line(path: str) -> str | None:
    """The `validate` line of a bargaining scenario (None for any other file; errors raise as for games).

    Parameters
    ----------
    path : str
        The file named on the command line.

    Returns
    -------
    str or None
        The ``ok: ...`` line, or None when `path` is not a bargaining scenario.

    Examples
    --------
    >>> print(validate_line("scenarios/rubinstein_war.yaml"))
    ok: scenarios/rubinstein_war.yaml: scenario 'rubinstein-war', 2 players,
    bargaining model outside_options, 4 parameters
    >>> validate_line("scenarios/prisoners_dilemma.yaml") is None
    True
    """
    scenario = bargaining_scenario(path)
    if scenario is None:
        return None
    n = len(scenario.parameters)
    return (f"ok: {path}: scenario '{scenario.id}', {len(scenario.players)} players, bargaining model "
            f"{scenario.game.model.name}, {n} parameter{'' if n == 1 else 's'}")  # type: ignore[union-attr]


def refuse_game_options(args, options: dict[str, str]) -> None:
    """Raise a one-line usage error (exit 2) naming the first of `options` (attribute: flag) given on the
    command line: they act on a game's equilibria, and a bargaining model has none to act on.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed command line (its ``file`` and ``command`` name the error's context).
    options : dict
        ``{attribute: flag}``: the options to refuse, in the order they are checked.

    Raises
    ------
    CommandLineError
        When one of `options` is set.

    Examples
    --------
    >>> from argparse import Namespace
    >>> args = Namespace(file="war.yaml", command="solve", concept=None, rtol=0.1)
    >>> refuse_game_options(args, {"concept": "--concept"})
    >>> refuse_game_options(args, {"concept": "--concept", "rtol": "--rtol"})
    Traceback (most recent call last):
        ...
    negosim.cli_parser.CommandLineError: war.yaml: --rtol applies to games; ... (solve without --rtol gives it)
    """
    from .cli_parser import CommandLineError

    for attribute, flag in options.items():
        if getattr(args, attribute, None):
            raise CommandLineError(f"{args.file}: {flag} applies to games; a bargaining scenario has one answer, "
                                   f"its model's closed form ({args.command} without {flag} gives it)")


def cmd_solve(args, scenario: Scenario) -> int:
    from .scenario.bargainsolve import solve_bargaining

    # A closed form has no equilibria to select, enumerate, tie or verify to a tolerance.
    refuse_game_options(args, {"concept": "--concept", "lambdas": "--lambda", "rtol": "--rtol", "exact": "--exact",
                               "strict": "--strict"})
    sol = solve_bargaining(scenario)
    if args.json:
        from .io.jsonout import dumps
        from .present.text.bargain import bargaining_document

        print(dumps(bargaining_document(scenario, sol)))
    else:
        from .present.text.bargain import format_bargaining

        print(format_bargaining(scenario, sol))
    return 0


def cmd_explain(args, scenario: Scenario) -> int:
    from .cli import _color
    from .present.explain.bargain import explain_bargaining

    refuse_game_options(args, {"concept": "--concept", "lambdas": "--lambda"})
    print(explain_bargaining(scenario, color=_color(args.color)))
    return 0


def _overrides(items: list[str]) -> dict[str, float]:
    from .scenario import parse_overrides

    return parse_overrides(items)


def cmd_report(args, scenario: Scenario) -> int:
    import shlex

    from .io.atomic import write_atomic
    from .present.report.bargain import render_bargaining_report

    refuse_game_options(args, {"qre": "--qre"})  # the logit QRE perturbs a game's choices; a model has none
    html = render_bargaining_report(scenario, answers=not args.no_answers,
                                    command=shlex.join(["negosim", *args.argv]), sweep=args.sweep,
                                    changed=tuple(_overrides(args.set)), appendix=args.appendix,
                                    projector=args.projector)
    write_atomic(args.output, html)
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


__all__ = ["COMMANDS", "bargaining_scenario", "refuse_game_options", "validate_line"]
