"""The parser made for one subcommand (negosim.cli_parser._parser(command)) reads its command lines, and
prints its help and errors, exactly as the full parser does."""

from __future__ import annotations

import contextlib
import io

import pytest

from negosim.cli import COMMANDS
from negosim.cli_parser import CommandLineError, _parser

LINES = [
    ["sweep", "scenarios/ceasefire_2025.yaml", "--vary", "p=0.2:0.8:1000", "--vary", "mu=0:0.3:1000", "-o", "out",
     "--quiet"],
    ["sweep", "s.yaml", "--design", "lhs", "--samples", "64", "--seed", "3", "-o", "o", "--set", "p=0.3",
     "--figures", "none", "--format", "csv", "--chunk-size", "10", "--jobs", "2", "--resume", "--max-points", "9"],
    ["solve", "s.yaml", "--set", "mu=0.2", "--json", "--concept", "nash,spe"],
    ["validate", "a.yaml", "b.yaml"],
    ["plot", "out"], ["export", "out"], ["schema"],
    ["explain", "s.yaml"], ["report", "s.yaml", "-o", "h.html"],
]


def _read(line: list[str], parser) -> object:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            return vars(parser.parse_args(line))
        except CommandLineError as exc:
            return ("error", str(exc))
        except SystemExit as exc:  # --help
            return ("exit", exc.code, out.getvalue(), err.getvalue())


@pytest.mark.parametrize("line", LINES + [line[:1] + ["--help"] for line in LINES] +
                         [["sweep", "--no-such-option"], ["sweep"], ["solve", "--concept"]],
                         ids=lambda line: " ".join(line)[:60])
def test_a_subcommands_own_parser_reads_its_line_as_the_full_parser(line):
    assert line[0] in COMMANDS
    assert _read(line, _parser(line[0])) == _read(line, _parser())


def test_every_subcommand_gets_its_own_parser_with_the_full_parsers_help():
    for name in COMMANDS:
        assert _read([name, "--help"], _parser(name)) == _read([name, "--help"], _parser())
