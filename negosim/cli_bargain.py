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
    """The scenario in `path` (with `overrides`) if it is a bargaining scenario, else None (a game, a Gambit file)."""
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
    """The `validate` line of a bargaining scenario (None for any other file; errors raise as for games)."""
    scenario = bargaining_scenario(path)
    if scenario is None:
        return None
    n = len(scenario.parameters)
    return (f"ok: {path}: scenario '{scenario.id}', {len(scenario.players)} players, bargaining model "
            f"{scenario.game.model.name}, {n} parameter{'' if n == 1 else 's'}")  # type: ignore[union-attr]


def cmd_solve(args, scenario: Scenario) -> int:
    from .scenario.bargainsolve import solve_bargaining

    if args.concept:
        print(f"negosim: {args.file}: a bargaining scenario has one answer, its model's; --concept is ignored",
              file=sys.stderr)
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
    from .present.explain.bargain import explain_bargaining

    print(explain_bargaining(scenario))
    return 0


def _overrides(items: list[str]) -> dict[str, float]:
    from .scenario import parse_overrides

    return parse_overrides(items)


def cmd_report(args, scenario: Scenario) -> int:
    import shlex

    from .io.atomic import write_atomic
    from .present.report.bargain import render_bargaining_report

    html = render_bargaining_report(scenario, answers=not args.no_answers,
                                    command=shlex.join(["negosim", *args.argv]), sweep=args.sweep,
                                    changed=tuple(_overrides(args.set)))
    write_atomic(args.output, html)
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


__all__ = ["COMMANDS", "bargaining_scenario", "validate_line"]
