"""The `negosim` command line: argument parsing and exit codes only.

Exit codes: 0 ok, 1 internal error, 2 usage error, 3 invalid input (scenario, game file,
formula, a damaged sweep folder), 4 an analysis finding under --strict (a tie, a degenerate game,
or an enumeration that is not guaranteed complete), 5 a filesystem error (a full disk, a folder
that cannot be written), 6 a valid game too large for a method asked for (what could be computed
is still printed; see the size policy in docs/size-policy.md). Data go to stdout; errors, one
line each, to stderr.
"""

from __future__ import annotations

import os
import shlex
import sys
from typing import Any

from .cli_parser import CONCEPT_CHOICES, CommandLineError, _parser
from .errors import NegosimError, NegosimUsageError, printable

EXIT_OK, EXIT_INTERNAL, EXIT_USAGE, EXIT_INPUT, EXIT_FINDING, EXIT_FILESYSTEM, EXIT_TOO_LARGE = 0, 1, 2, 3, 4, 5, 6


def _concepts(values: list[str]) -> list[str] | None:
    names = [c.strip() for v in values for c in v.split(",") if c.strip()]
    for c in names:
        if c not in CONCEPT_CHOICES:
            raise CommandLineError(f"unknown concept {c!r}; choose from {', '.join(CONCEPT_CHOICES)}")
    return names or None


def _lambdas(values: list[float], concepts: list[str] | None) -> list[float] | None:
    """The --lambda values (None when none are given), refused without --concept qre or when negative."""
    if not values:
        return None
    if "qre" not in (concepts or []):
        raise CommandLineError("--lambda applies to --concept qre")
    for v in values:
        if not (v >= 0 and v != float("inf")):
            raise CommandLineError(f"--lambda {v:g}: lambda is a finite number at least 0")
    return values


def _overrides(items: list[str]) -> dict[str, float]:
    from .scenario import parse_overrides

    return parse_overrides(items)


def _write_atomically(path: str, text: str) -> None:
    from .io.atomic import write_atomic

    write_atomic(path, text)


def cmd_validate(args) -> int:
    from .api import open_source
    from .game import GameTree

    failed = False
    for path in args.files:
        try:
            from .cli_bargain import validate_line

            if (line := validate_line(path)) is not None:
                print(printable(line))
                continue
            src = open_source(path)
        except NegosimError as exc:
            failed = True
            _print_error(exc, VALIDATE_PROBLEMS)
            continue
        for note in src.notes[:COMMAND_PROBLEMS]:
            print(printable(f"note: {note}"), file=sys.stderr)
        if len(src.notes) > COMMAND_PROBLEMS:
            print(printable(f"note: {path}: {len(src.notes) - COMMAND_PROBLEMS} more notes"), file=sys.stderr)
        game = src.game
        form = "extensive form" if isinstance(game, GameTree) else "normal form"
        if src.scenario is not None and src.scenario.form == "repeated":
            form = "repeated game of a normal-form stage game"
        what = f"scenario '{src.scenario.id}'" if src.scenario is not None else "Gambit game"
        n = len(src.parameters)
        extra = f", {n} parameter{'' if n == 1 else 's'}" if src.scenario is not None else ""
        print(printable(f"ok: {path}: {what}, {game.n_players} players, {form}{extra}"))
    return EXIT_INPUT if failed else EXIT_OK


def cmd_solve(args) -> int:
    from .api import open_source, solve_source, solve_within_limits

    concepts = _concepts(args.concept)
    if args.rtol is not None and not 0 < args.rtol < 1:
        raise CommandLineError(f"--rtol must lie between 0 and 1 (a fraction of the payoff range), not {args.rtol:g}")
    lambdas = _lambdas(args.lambdas, concepts)
    source = open_source(args.file, _overrides(args.set))
    refused: list[str] = []
    if concepts:
        solutions, refused = solve_within_limits(source, concepts, rtol=args.rtol, exact=args.exact,
                                                 lambdas=lambdas, method=args.method)
    else:
        solutions = solve_source(source, None, rtol=args.rtol, exact=args.exact, lambdas=lambdas,
                                 method=args.method)
    repeated = None
    if source.scenario is not None and source.scenario.form == "repeated":
        from .scenario.repeated_analysis import analyze_repeated

        repeated = analyze_repeated(source.scenario)
    if args.json:
        from .io.jsonout import dumps, solve_document

        document = solve_document(source, solutions)
        if repeated is not None:
            document["repeated"] = repeated.to_dict()
        print(dumps(document))
    else:
        from .present.text import format_solutions

        print(format_solutions(source, solutions))
        if repeated is not None:
            from .present.text.repeated import format_repeated

            print(format_repeated(repeated))
    for why in refused:
        print(f"negosim: {args.file}: {why}", file=sys.stderr)
    if refused:
        return EXIT_TOO_LARGE
    if args.strict:
        flagged = any(bool(s.degenerate.any()) or not bool(s.complete.all()) or bool(s.tied.any()) for s in solutions)
        if flagged:
            print("negosim: --strict: the result has ties, a degenerate game or an incomplete enumeration",
                  file=sys.stderr)
            return EXIT_FINDING
    return EXIT_OK


def _color(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _progress_bar(quiet: bool, *, delay: float = 1.0, stream=None):
    """A progress callback drawing a bar on stderr once a run has taken `delay` seconds (a short run
    shows none), or None when quiet or stderr is no terminal."""
    import time

    stream = stream or sys.stderr
    if quiet or not stream.isatty():
        return None
    started = time.monotonic()
    shown = False

    def draw(done: int, total: int) -> None:
        nonlocal shown
        elapsed = time.monotonic() - started
        if not shown and elapsed < delay:
            return
        shown = True
        filled = int(30 * done / max(total, 1))
        rate = done / elapsed if elapsed > 0 else 0.0
        stream.write(f"\r[{'#' * filled}{' ' * (30 - filled)}] {done:,}/{total:,} points, {elapsed:.0f} s"
                     + (f", {rate:,.0f} points/s" if rate else ""))
        if done >= total:
            stream.write("\n")
        stream.flush()

    return draw


def _figure_formats(text: str) -> tuple[str, ...]:
    from .present.figures.save import FORMATS

    names = [f.strip().lower().lstrip(".") for f in text.split(",") if f.strip()]
    if names == ["none"]:
        return ()
    for f in names:
        if f not in FORMATS:
            raise CommandLineError(f"unknown figure format {f!r}; choose from {', '.join(FORMATS)}, or none")
    return tuple(dict.fromkeys(names)) or ("png",)


def cmd_sweep(args) -> int:
    from .scenario import load_scenario
    from .sweep.designs import declared_ranges, parse_vary
    from .sweep.engine import run_sweep
    from .sweep.executors import sweep_executor

    if args.file.lower().endswith((".nfg", ".efg")):
        raise CommandLineError("sweep varies a scenario's parameters; a Gambit game has none")
    if args.sweep and args.vary:
        raise CommandLineError("give either --sweep NAME or --vary, not both")
    if not (args.sweep or args.vary) and args.design == "grid":
        raise CommandLineError("give either --sweep NAME or one or more --vary NAME=START:STOP:NUM")
    from .sweep.designs import MAX_POINTS, SEED_LIMIT
    from .sweep.engine import check_chunk_size

    if args.chunk_size is not None:
        check_chunk_size(args.chunk_size)
    if args.seed is not None and not 0 <= args.seed < SEED_LIMIT:
        raise CommandLineError(f"--seed {args.seed}: a seed is a whole number from 0 to 2**128 - 1")
    if args.max_points is not None and args.max_points < 1:
        raise CommandLineError(f"--max-points {args.max_points}: give a positive number of points")
    formats = _figure_formats(args.figures)
    scenario = load_scenario(args.file)
    vary: dict[str, tuple[float, float, int | None]]
    if args.sweep:
        if args.sweep not in scenario.sweeps:
            named = ", ".join(scenario.sweeps) or "none"
            raise CommandLineError(f"no sweep named {args.sweep!r} in {args.file} (named sweeps: {named})")
        vary = dict(scenario.sweeps[args.sweep].vary)
    elif args.vary:
        vary = parse_vary(args.vary, scenario, design=args.design)
    else:
        vary = {k: v for k, v in declared_ranges(scenario).items()}
        if not vary:
            raise CommandLineError(f"{args.file} declares no parameter with a range to sample")
    overrides = _overrides(args.set)
    command = shlex.join(["negosim", *args.argv])
    with sweep_executor(args.jobs, args.scheduler) as executor:
        summary = run_sweep(scenario, vary, design=args.design, samples=args.samples, seed=args.seed,
                            overrides=overrides, out_dir=args.output, chunk_size=args.chunk_size,
                            resume=args.resume, progress=_progress_bar(args.quiet), command=command,
                            executor=executor, table=args.table or ("parquet" if args.parquet else None),
                            max_points=args.max_points or MAX_POINTS,
                            notify=lambda line: print(f"negosim: {line}", file=sys.stderr),
                            concepts=tuple(_concepts(args.concept) or ()), lambdas=tuple(args.lambdas))
    counts = ", ".join(f"{o} {n:,}" for o, n in summary.outcomes.items())
    seed = f" (seed {summary.seed})" if summary.design != "grid" else ""
    print(f"{summary.points:,} points{seed} in {summary.wall_time:.2f} s: {counts}")
    for b in summary.boundaries:
        tie = " (a tie at the boundary)" if b.tied else ""
        if b.selection:
            tie += " (a change of the selected equilibrium of a subgame with several, not of the equilibria)"
        print(f"boundary: {b.parameter} = {b.value:.10g}: {b.below} below, {b.above} above{tie}")
    if summary.kinds:
        print("equilibrium kinds (perfect Bayesian): " + ", ".join(f"{k} {n:,}" for k, n in summary.kinds.items()))
    for k in summary.kind_boundaries:
        print(f"kind boundary: {k['parameter']} = {k['value']:.10g}: {k['below']} below, {k['above']} above")
    parquet = summary.table == "parquet"
    written = ["results.parquet/" if parquet else "results.csv", "summary.json", "manifest.json"]
    if formats:
        from .present.figures.sweep_plots import plot_folder

        written += [p.name for p in plot_folder(args.output, formats)]
    print(f"wrote {args.output}/: {', '.join(written)}", file=sys.stderr)
    if parquet:
        table = os.path.join(args.output, "results.parquet")
        print(f"results: Parquet, read with pandas.read_parquet({table!r}); for a spreadsheet, write results.csv "
              f"with: negosim export {shlex.quote(str(args.output))}", file=sys.stderr)
    return EXIT_OK


def cmd_export(args) -> int:
    from .sweep.export import export_csv

    path = export_csv(args.folder, args.output)
    print(f"wrote {path}", file=sys.stderr)
    return EXIT_OK


def cmd_plot(args) -> int:
    from .present.figures.sweep_plots import plot_folder

    formats = _figure_formats(",".join(args.format) or "png")
    if not formats:
        raise CommandLineError("plot needs a format: png, svg or pdf")
    paths = plot_folder(args.folder, formats, out_dir=args.output)
    for p in paths:
        print(f"wrote {p}", file=sys.stderr)
    return EXIT_OK


def _ranges(items: list[str]) -> dict[str, tuple[float, float]]:
    out = {}
    for item in items:
        name, sep, spec = item.partition("=")
        parts = spec.split(":")
        try:
            if not sep or not name.strip() or len(parts) != 2:
                raise ValueError
            out[name.strip()] = (float(parts[0]), float(parts[1]))
        except ValueError:
            raise CommandLineError(f"--range {item}: expected NAME=LOW:HIGH, e.g. mu=0:0.3") from None
    return out


def cmd_sensitivity(args) -> int:
    import json

    from .present.text.sensitivity import format_indices, format_oat
    from .scenario import load_scenario
    from .sweep import sensitivity as sa

    if args.file.lower().endswith((".nfg", ".efg")):
        raise CommandLineError("sensitivity varies a scenario's parameters; a Gambit game has none")
    formats = _figure_formats(args.figures)
    scenario = load_scenario(args.file)
    params = [p.strip() for p in args.parameters.split(",") if p.strip()] if args.parameters else None
    common: dict[str, Any] = dict(parameters=params, overrides=_overrides(args.set) or None,
                                  ranges=_ranges(args.range) or None)
    result: sa.OatResult | sa.IndicesResult
    if args.method == "oat":
        result = sa.oat(scenario, **common)
        table = format_oat(result)
    else:
        indices = (sa.sobol(scenario, samples=args.samples, seed=args.seed, **common) if args.method == "sobol"
                   else sa.morris(scenario, trajectories=args.trajectories, levels=args.levels, seed=args.seed,
                                  **common))
        result, table = indices, format_indices(indices)
    doc = result.to_dict()
    print(json.dumps(doc, indent=2) if args.json else table)
    if args.output:
        from . import __version__

        os.makedirs(args.output, exist_ok=True)
        doc = {**doc, "title": f"{scenario.title}: {_METHOD_TITLES[args.method]}", "negosim": __version__,
               "command": shlex.join(["negosim", *args.argv]),
               "scenario": {"path": scenario.path, "sha256": scenario.sha256}}
        _write_atomically(os.path.join(args.output, "sensitivity.json"), json.dumps(doc, indent=2) + "\n")
        written = ["sensitivity.json"]
        if formats:
            from .present.figures.sweep_plots import plot_folder

            written += [p.name for p in plot_folder(args.output, formats)]
        print(f"wrote {args.output}/: {', '.join(written)}", file=sys.stderr)
    return EXIT_OK


_METHOD_TITLES = {"oat": "one parameter at a time", "sobol": "Sobol indices", "morris": "Morris screening"}


def cmd_explain(args) -> int:
    from .api import open_source
    from .present.explain import explain

    concepts = tuple(_concepts(args.concept) or ())
    extra = [c for c in concepts if c not in ("qre", "ce")]
    if extra:
        raise CommandLineError(f"explain --concept {extra[0]}: explain always derives the game's own equilibria; "
                               "--concept adds qre or ce")
    lambdas = _lambdas(args.lambdas, list(concepts))
    print(explain(open_source(args.file, _overrides(args.set)), color=_color(args.color), concepts=concepts,
                  lambdas=lambdas))
    return EXIT_OK


def cmd_report(args) -> int:
    from .api import open_source
    from .present.report import render_report

    if not args.output.lower().endswith((".html", ".htm")):
        raise CommandLineError(f"the handout is an HTML file: give an output ending in .html, not {args.output!r}")
    source = open_source(args.file, _overrides(args.set))
    command = shlex.join(["negosim", *args.argv])
    html = render_report(source, answers=not args.no_answers, command=command, sweep=args.sweep,
                         appendix=args.appendix, projector=args.projector, qre=args.qre)
    _write_atomically(args.output, html)
    print(f"wrote {args.output}", file=sys.stderr)
    return EXIT_OK


def cmd_play(args) -> int:
    from .api import open_source
    from .present.play import play

    source = open_source(args.file, _overrides(args.set))
    return play(source, args.player, opponents=args.opponents, seed=args.seed, equilibrium=args.equilibrium)



def cmd_convert(args) -> int:
    from .api import FIGURE_SUFFIXES, convert_suffix, open_source, write_game

    out = args.output
    suffix = convert_suffix(out)  # before reading the input: a usage error costs nothing
    if args.figure and suffix not in FIGURE_SUFFIXES:
        raise CommandLineError("--figure applies to .png, .svg and .pdf outputs")
    if args.no_answers and suffix not in (".tex", *FIGURE_SUFFIXES):
        raise CommandLineError("--no-answers applies to figures (.png, .svg, .pdf) and .tex outputs")
    source = open_source(args.file, _overrides(args.set))
    write_game(source, out, figure=args.figure, standalone=args.standalone, answers=not args.no_answers)
    print(f"wrote {out}", file=sys.stderr)
    return EXIT_OK


def _classroom_extra() -> None:
    from .classroom import missing_requirements

    missing = missing_requirements()
    if missing:
        raise CommandLineError(f"the classroom needs {', '.join(missing)}: pip install 'negosim[classroom]'")


def cmd_classroom(args) -> int:
    _classroom_extra()
    if not 0 < args.port < 65536:
        raise CommandLineError(f"--port must be between 1 and 65535, not {args.port}")
    if args.seed is not None and not 0 <= args.seed < 2**63:
        raise CommandLineError("--seed must be between 0 and 2**63 - 1")
    from .classroom.server import serve

    return serve(args.files, args.host, args.port, args.state, seed=args.seed)


def cmd_explore(args) -> int:
    _classroom_extra()
    if not 0 < args.port < 65536:
        raise CommandLineError(f"--port must be between 1 and 65535, not {args.port}")
    from .classroom.server import serve_explorer

    return serve_explorer(args.files, args.host, args.port)


def cmd_schema(args) -> int:
    import json

    from .scenario import json_schema

    print(json.dumps(json_schema(), indent=2))
    return EXIT_OK


def cmd_simulate(args) -> int:
    from .scenario import load_scenario
    from .scenario.repeated_analysis import simulate_scenario

    if args.compare and not args.figure:
        raise CommandLineError("--compare adds curves to the survival figure: give --figure PATH too")
    scenario = load_scenario(args.file)
    if args.set:
        scenario = scenario.with_overrides(_overrides(args.set))
    strategies = tuple(s.strip() for v in (args.strategy or ["grim"]) for s in v.split(",") if s.strip())
    sim = simulate_scenario(scenario, strategies, runs=args.runs, windows=args.windows, seed=args.seed,
                            false_alarm=args.false_alarm, batch_size=args.batch_size)
    players = scenario.player_ids
    if args.json:
        from .io.jsonout import dumps
        from .present.text.repeated import simulation_dict

        print(dumps({"source": {"path": scenario.path, "sha256": scenario.sha256}, **simulation_dict(sim, players)}))
    else:
        from .present.text.repeated import format_simulation

        print(format_simulation(sim, players))
    if args.figure:
        from .present.figures.payoff_set import survival_figure

        compare = tuple(s.strip() for v in args.compare for s in v.split(",") if s.strip())
        survival_figure(scenario, args.figure, strategies=strategies, compare=compare, runs=args.runs,
                        windows=args.windows, seed=args.seed, false_alarm=args.false_alarm)
        print(f"wrote {args.figure}", file=sys.stderr)
    return EXIT_OK


COMMANDS = {
    "validate": cmd_validate, "solve": cmd_solve, "sweep": cmd_sweep, "plot": cmd_plot,
    "export": cmd_export,
    "sensitivity": cmd_sensitivity, "explain": cmd_explain, "report": cmd_report,
    "play": cmd_play, "convert": cmd_convert, "schema": cmd_schema, "classroom": cmd_classroom,
    "explore": cmd_explore, "simulate": cmd_simulate,
}


#: Problems printed per file: `validate` lists many (its purpose), other commands the first few.
VALIDATE_PROBLEMS, COMMAND_PROBLEMS = 20, 3


def _print_error(exc: NegosimError, limit: int = COMMAND_PROBLEMS) -> None:
    """One escaped line per problem on stderr, at most `limit` of them and then one line counting the rest."""
    problems = getattr(exc, "problems", None)
    lines = [str(p) for p in problems] if problems else [str(exc)]
    prefix = "negosim: error: " if isinstance(exc, NegosimUsageError) else ""
    for line in lines[:limit]:
        print(printable(prefix + line), file=sys.stderr)
    if len(lines) > limit:
        file = next((p.file for p in problems or () if p.file), None)
        where = f"{file}: " if file else ""
        hint = "" if limit == VALIDATE_PROBLEMS else f" (negosim validate {file} lists them)" if file else ""
        print(printable(f"{where}{len(lines) - limit} more problem{'s' * (len(lines) - limit > 1)}{hint}"),
              file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = _parser(argv[0] if argv and argv[0] in COMMANDS else None)  # (only the subcommand named is made)
    try:
        args = parser.parse_args(argv)
        args.argv = argv
        if args.command is None:
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        if args.command in ("solve", "explain", "report"):
            from . import cli_bargain

            scenario = cli_bargain.bargaining_scenario(args.file, _overrides(args.set))
            if scenario is not None:
                if args.command == "report" and not args.output.lower().endswith((".html", ".htm")):
                    raise CommandLineError(f"the handout is an HTML file: give an output ending in .html, "
                                           f"not {args.output!r}")
                return getattr(cli_bargain, f"cmd_{args.command}")(args, scenario)
        return COMMANDS[args.command](args)
    except NegosimError as exc:
        _print_error(exc)
        return exc.exit_code
    except MemoryError:
        # A method the size policy let through still ran out of memory: one line, not a traceback.
        print("negosim: error: out of memory: the game is too large for the method asked "
              "(see the size policy in docs/size-policy.md)", file=sys.stderr)
        return EXIT_TOO_LARGE
    except KeyboardInterrupt:
        hint = "; the finished chunks are kept: run the same command with --resume" if argv[:1] == ["sweep"] else ""
        print(f"negosim: interrupted{hint}", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:
        # The filesystem said no (a full disk, a folder we may not write): one line, not a traceback.
        where = f"{exc.filename}: " if exc.filename else ""
        hint = "; finished chunks are kept: run the same command with --resume" if argv[:1] == ["sweep"] else ""
        print(f"negosim: error: {where}{exc.strerror or exc}{hint}", file=sys.stderr)
        return EXIT_FILESYSTEM


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
