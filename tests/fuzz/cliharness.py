"""Run the command line on one input and check the promises every input must keep.

The promises (README, "Exit codes"; issue 14): exit code 0, 2, 3 or 4; at most a few lines on
stderr, each naming the file; no traceback; no terminal control characters; an answer within
bounded time. `run_cli` runs `negosim.cli.main` in this process with stdout and stderr captured
and an alarm as the time bound; `run_cli_process` runs the real `negosim` in a subprocess.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from negosim.cli import main

ALLOWED_EXIT_CODES = {0, 2, 3, 4}
#: stderr lines: `validate` lists up to 20 problems and a count of the rest; other commands 3 and the count.
MAX_STDERR_LINES = {"validate": 21}
DEFAULT_STDERR_LINES = 4
#: Seconds one command may take before it counts as a hang (generous: CI machines are slow and shared).
TIME_LIMIT = int(os.environ.get("NEGOSIM_FUZZ_TIME_LIMIT", "60"))
_CONTROL = {chr(c) for c in range(32) if chr(c) not in "\n\t"} | {"\x7f"} | {chr(c) for c in range(0x80, 0xA0)}


class Hang(Exception):
    """A command ran past `TIME_LIMIT` seconds."""


@dataclass(frozen=True)
class Run:
    argv: tuple[str, ...]
    code: int
    stdout: str
    stderr: str

    def __str__(self) -> str:
        return f"negosim {' '.join(self.argv)} -> exit {self.code}\nstderr:\n{self.stderr}"


def run_cli(*argv: str, time_limit: int = TIME_LIMIT) -> Run:
    """`negosim ARGV` run in this process: exit code and captured output, or `Hang` past the time limit."""
    out, err = io.StringIO(), io.StringIO()

    def alarm(signum, frame):
        raise Hang(f"negosim {' '.join(argv)} ran for more than {time_limit} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(time_limit)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(argv))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    return Run(tuple(argv), code, out.getvalue(), err.getvalue())


def run_cli_process(*argv: str, time_limit: int = TIME_LIMIT) -> Run:
    """`negosim ARGV` run as a real process (python -m negosim), killed past the time limit."""
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, "-m", "negosim", *argv], capture_output=True, text=True,
                          timeout=time_limit, env=env, errors="replace")
    return Run(tuple(argv), proc.returncode, proc.stdout, proc.stderr)


def check_run(run: Run, file: str | Path) -> None:
    """Assert the promises for a run on `file` (AssertionError naming the broken promise)."""
    assert run.code in ALLOWED_EXIT_CODES, f"exit code {run.code} is not 0, 2, 3 or 4: {run}"
    assert "Traceback" not in run.stderr and "Traceback" not in run.stdout, f"a traceback: {run}"
    for stream, text in (("stderr", run.stderr), ("stdout", run.stdout)):
        bad = sorted({c for c in text if c in _CONTROL})
        assert not bad, f"control characters {bad} on {stream}: {run}"
    lines = run.stderr.splitlines()
    most = MAX_STDERR_LINES.get(run.argv[0], DEFAULT_STDERR_LINES)
    assert len(lines) <= most, f"{len(lines)} lines on stderr: {run}"
    if run.code == 3:
        assert lines, f"exit 3 with nothing on stderr: {run}"
    name = str(file)
    for line in lines:
        if line.startswith("negosim: --strict"):
            continue
        assert name in line, f"a stderr line does not name {name}: {line!r}\n{run}"


def check_file(path: str | Path, commands=("validate", "solve")) -> list[Run]:
    """Run each command on `path` in this process and check the promises; the runs."""
    runs = []
    for command in commands:
        run = run_cli(command, str(path))
        check_run(run, path)
        runs.append(run)
    return runs
