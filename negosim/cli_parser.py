"""The `negosim` command line's arguments: every subcommand, option and help text (`cli.py` runs them).

Kept apart from `cli.py` so that the parser, the longest part of the command line, reads on its own.
"""

from __future__ import annotations

import argparse
from typing import Any

from . import __version__
from .errors import NegosimUsageError

CONCEPT_CHOICES = ("pure", "nash", "spe", "pbe", "qre", "ce")


class CommandLineError(NegosimUsageError):
    """A command line that does not make sense (exit code 2); only the CLI raises it."""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line and exit code 2, like every usage error."""

    def error(self, message):
        raise CommandLineError(f"{message} (see '{self.prog} --help')")


class _Unused:
    """Stands for the parser of a subcommand that is not the one on the command line, which is not made:
    making the fourteen subcommands and their hundred arguments is several milliseconds of every command's
    start (argparse looks up a translation of its own words, on disk, for each parser it makes)."""

    def add_argument(self, *args: Any, **kwargs: Any) -> None:
        return None


class _Subcommands:
    """`add_subparsers`' action, making only the subcommand `only` (all of them when it is None)."""

    def __init__(self, action: Any, only: str | None) -> None:
        self._action, self._only = action, only

    def add_parser(self, name: str, **kwargs: Any) -> Any:
        return self._action.add_parser(name, **kwargs) if self._only in (None, name) else _Unused()


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser. With `command`, a subcommand's name that is the command line's first word,
    only that subcommand is made: the parser then reads that command line as the full one does (its first
    word chooses the subcommand, which reads the rest), and `negosim --help` or anything else that does not
    start with a subcommand's name gets the full parser."""
    parser = _Parser(
        prog="negosim",
        description="Negotiation game-theory simulator: scenario files to verified equilibria.",
        epilog="Scenario format: docs/scenario-format.md. Exit codes: 0 ok, 1 internal error, "
        "2 usage error, 3 invalid input (or a damaged sweep folder), 4 a finding under --strict, "
        "5 a filesystem error (disk full, no permission), 6 a game too large for a method asked for.",
    )
    parser.add_argument("--version", action="version", version=f"negosim {__version__}")
    sub = _Subcommands(parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser), command)

    def add_set(p):
        p.add_argument(
            "--set", action="append", default=[], metavar="NAME=VALUE",
            help="override a parameter's value (repeatable); checked against its declared range",
        )

    def add_lambda(p):
        p.add_argument(
            "--lambda", dest="lambdas", action="append", type=float, default=[], metavar="X",
            help="qre: the precision lambda (repeatable; it multiplies the raw payoffs, as in McKelvey-Palfrey and "
            "Gambit); default: lambda 0.1, 0.3, 1, 3, 10, 30, 100 below the principal branch's end, and its Nash limit",
        )

    p = sub.add_parser("validate",
                       help="check scenario or Gambit files; report every problem as file:line: path: message")
    p.add_argument("files", nargs="+", metavar="FILE")

    p = sub.add_parser("solve", help="solve a scenario (.yaml) or Gambit game (.nfg/.efg) for verified equilibria")
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--concept", action="append", default=[], metavar="NAME",
        help="solution concept: pure, nash, spe, pbe, qre (logit quantal response), ce (correlated) (repeatable or "
        "comma-separated; default: all that apply and fit, by size, except qre and ce, which run only when asked: "
        "a skipped one is named in a note)",
    )
    add_lambda(p)
    add_set(p)
    p.add_argument("--json", action="store_true", help="print one JSON document (see docs) instead of a table")
    p.add_argument("--strict", action="store_true", help="exit 4 if a result has ties, is degenerate or not complete")
    p.add_argument("--rtol", type=float, default=None, metavar="X",
                   help="relative tolerance for ties and verification, scaled to the payoffs each comparison "
                   "involves (default 1e-9)")
    p.add_argument("--exact", action="store_true",
                   help="solve pure and nash in exact rational arithmetic and print fractions (small games)")
    p.add_argument("--method", choices=("lemke",), default=None,
                   help="lemke: nash of a 2-player game by Lemke-Howson from every starting label, the equilibria "
                   "its paths reach (complete: false; used anyway where a normal form is too large to enumerate)")

    p = sub.add_parser("sweep", help="solve over a grid or a random design of parameter values; write the results "
                       "(Parquet, or CSV with --format csv), summary.json (outcome counts, exact regime boundaries), "
                       "manifest.json and figures")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--sweep", metavar="NAME", help="a sweep named in the scenario's `sweeps` section")
    p.add_argument("--vary", action="append", default=[], metavar="NAME=START:STOP[:NUM]",
                   help="vary a declared parameter: a grid of NUM evenly spaced values, or for --design lhs/sobol "
                   "the range START:STOP (repeatable)")
    p.add_argument("--design", choices=("grid", "lhs", "sobol"), default="grid",
                   help="grid (default), Latin hypercube or Sobol sequence; lhs and sobol vary every declared "
                   "parameter over its range unless --vary or --sweep says which")
    p.add_argument("--samples", type=int, metavar="N", help="points of an lhs or sobol design (sobol: a power of 2)")
    p.add_argument("--seed", type=int, metavar="S", help="seed of an lhs or sobol design (default: a fresh one, "
                   "recorded in manifest.json)")
    add_set(p)
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="folder for the results")
    p.add_argument("--resume", action="store_true", help="complete an interrupted sweep in DIR")
    p.add_argument("--chunk-size", type=int, default=None, metavar="N",
                   help="points solved per batch, at most 1,000,000 (memory is bounded by it; results do not "
                   "depend on it; default 100,000, fewer for a big game)")
    p.add_argument("--max-points", type=int, default=None, metavar="N",
                   help="refuse a design of more than N points (default 100,000,000; a random design counts "
                   "points times parameters)")
    p.add_argument("--jobs", type=int, metavar="N", help="solve chunks in N local processes")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="solve chunks on a Dask cluster, e.g. tcp://10.0.0.5:8786 (needs negosim[distributed])")
    p.add_argument("--concept", action="append", default=[], metavar="NAME",
                   help="add columns for qre (each action's probability at every --lambda) or ce (the welfare "
                   "correlated equilibrium's total and each player's payoff) to the results (repeatable or "
                   "comma-separated); the outcome and payoff columns stay the primary answer's")
    add_lambda(p)
    p.add_argument("--format", dest="table", choices=("parquet", "csv"), default=None,
                   help="the results table: parquet (default; a folder results.parquet/ of typed columns, one part "
                   "file per chunk) or csv (results.csv, text a spreadsheet opens; slower and about 40 times "
                   "larger). `negosim export DIR` turns a Parquet sweep into results.csv later")
    p.add_argument("--parquet", action="store_true", help=argparse.SUPPRESS)  # the default now; kept for old scripts
    p.add_argument("--figures", default="png", metavar="FORMATS",
                   help="figure formats, comma-separated from png, svg, pdf; or none (default: png)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = sub.add_parser("plot", help="draw a finished sweep's figures again from its folder (no solving)")
    p.add_argument("folder", metavar="DIR", help="a folder written by `negosim sweep` or `negosim sensitivity`")
    p.add_argument("--format", action="append", default=[], metavar="FMT",
                   help="png, svg or pdf (repeatable or comma-separated; default: png)")
    p.add_argument("-o", "--output", metavar="OUTDIR", help="where to write the figures (default: DIR)")

    p = sub.add_parser("export", help="write a finished sweep's results as CSV (for a spreadsheet), from its folder")
    p.add_argument("folder", metavar="DIR", help="a folder written by `negosim sweep`")
    p.add_argument("-o", "--output", metavar="FILE", help="the CSV file to write (default: DIR/results.csv)")

    p = sub.add_parser("sensitivity", help="rank the parameters: one-at-a-time swings (tornado), Sobol or Morris "
                       "indices of each outcome's probability and each player's payoff")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--method", choices=("oat", "sobol", "morris"), default="oat",
                   help="oat: each parameter alone to the ends of its range; sobol, morris: global indices over "
                   "all the ranges at once (need negosim[sensitivity]) (default: oat)")
    p.add_argument("--parameters", metavar="A,B,...", help="the parameters to study (default: every one with a range)")
    p.add_argument("--range", action="append", default=[], metavar="NAME=LOW:HIGH",
                   help="study NAME over [LOW, HIGH] instead of its whole declared range (repeatable)")
    p.add_argument("--samples", type=int, default=1024, metavar="N", help="sobol: base samples, a power of 2 "
                   "(N*(k+2) evaluations for k parameters; default 1024)")
    p.add_argument("--trajectories", type=int, default=100, metavar="N", help="morris: trajectories (default 100)")
    p.add_argument("--levels", type=int, default=4, metavar="L", help="morris: grid levels, even (default 4)")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="sobol, morris: seed (default 0)")
    add_set(p)
    p.add_argument("-o", "--output", metavar="DIR", help="also write DIR/sensitivity.json and the figure")
    p.add_argument("--figures", default="png", metavar="FORMATS",
                   help="with -o: figure formats from png, svg, pdf, or none (default: png)")
    p.add_argument("--json", action="store_true", help="print the result as JSON instead of a table")

    p = sub.add_parser("explain", help="derive the equilibria step by step, in sentences, in the terminal")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--concept", action="append", default=[], metavar="NAME",
                   help="also explain ce (correlated equilibria: the mediator's reading) or qre (logit quantal "
                   "response: less than perfectly rational play) (repeatable or comma-separated)")
    add_lambda(p)
    add_set(p)
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour the output (auto: when the terminal supports it and NO_COLOR is unset)")

    p = sub.add_parser("report", help="write a self-contained HTML handout (or worksheet) for a scenario")
    p.add_argument("file", metavar="FILE")
    p.add_argument("-o", "--output", required=True, metavar="OUT.html")
    p.add_argument("--no-answers", action="store_true", help="leave out equilibria and derivations: a worksheet")
    p.add_argument("--sweep", metavar="NAME", default=None,
                   help="the named sweep drawn in the sensitivity section "
                        "(default: the first along which the outcome changes)")
    p.add_argument("--appendix", action="store_true",
                   help="worksheet: add the full parameter table and the sources after the questions")
    p.add_argument("--projector", action="store_true", help="large type across the full width, for projecting")
    p.add_argument("--qre", action="store_true",
                   help="add a section on less than perfectly rational play: the logit QRE figure (handout with "
                   "answers only: it shows the equilibrium)")
    add_set(p)

    p = sub.add_parser("play", help="play a scenario as one of its players against the others")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--as", dest="player", required=True, metavar="PLAYER", help="the player you play")
    p.add_argument("--opponents", choices=("equilibrium", "random"), default="equilibrium",
                   help="how the other players choose (default: by the equilibrium)")
    p.add_argument("--equilibrium", default=None, metavar="N|mixed|spe",
                   help="the equilibrium the other players follow: #N as `negosim solve` lists the Nash equilibria, "
                        "mixed (the first in which someone mixes, drawn with --seed) or spe (game trees; "
                        "default: spe for a tree, 1 for a normal form)")
    p.add_argument("--seed", type=int, default=None, help="seed for chance moves and random or mixed choices")
    add_set(p)

    p = sub.add_parser("convert", help="write a game as a Gambit file (.nfg, .efg), LaTeX (.tex) "
                       "or a figure (.png, .svg, .pdf)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="output file; its suffix picks the format: .nfg, .efg, .tex, .png, .svg or .pdf")
    p.add_argument("--figure", choices=("tree", "matrix", "best-response", "qre"), default=None,
                   help="for a figure: what to draw; qre: choice probabilities along the logit QRE's principal branch "
                   "against lambda (default: the tree of an extensive game, the matrix of a normal one)")
    p.add_argument("--standalone", action="store_true", help="for .tex: a complete document instead of a fragment")
    p.add_argument("--no-answers", action="store_true",
                   help="for a figure or .tex: the question version, without equilibria, best responses or boxes")
    add_set(p)

    p = sub.add_parser("simulate", help="play a repeated scenario's truce with named strategies under noisy "
                       "monitoring: its survival curve over windows (seeded)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--strategy", action="append", default=[], metavar="NAME",
                   help="grim, tit_for_tat (tft), generous_tit_for_tat (gtft), win_stay_lose_shift (wsls), "
                   "always_violate (alld), always_hold (allc); one for every player, or one per player in player "
                   "order (repeatable or comma-separated; default grim)")
    p.add_argument("--runs", type=int, default=10_000, metavar="N", help="truces simulated (default 10000)")
    p.add_argument("--windows", type=int, default=24, metavar="T", help="windows followed (default 24)")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="root of every run's random stream (default 0)")
    p.add_argument("--false-alarm", type=float, default=0.0, metavar="P",
                   help="probability that a hold is seen as a violation (default 0)")
    p.add_argument("--batch-size", type=int, default=4096, metavar="N",
                   help="runs played together (memory only: the result does not depend on it)")
    add_set(p)
    p.add_argument("--json", action="store_true", help="print one JSON document instead of a table")
    p.add_argument("--figure", metavar="PATH", help="also draw the survival curve (.png, .svg or .pdf)")
    p.add_argument("--compare", action="append", default=[], metavar="NAME",
                   help="with --figure: more strategies (each played by every player) drawn alongside")

    sub.add_parser("schema", help="print the JSON Schema of scenario files (version 1)")

    p = sub.add_parser("classroom", help="a live classroom in the browser: students play in groups, the teacher "
                                         "projects their choices against the equilibrium (extra: negosim[classroom])")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this computer only; 0.0.0.0: the whole network)")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    p.add_argument("--state", default="negosim-classroom", metavar="DIR",
                   help="folder of the session's SQLite state; restart with the same folder to resume "
                        "(default ./negosim-classroom)")
    p.add_argument("--seed", type=int, default=None,
                   help="seed for chance moves, matching and the computer's draws (a new session only; "
                        "a resumed one keeps its own)")

    p = sub.add_parser("explore", help="a page of sliders for every parameter, the equilibrium redrawn on each move "
                                       "(extra: negosim[classroom])")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8766, help="port (default 8766)")
    return parser
