"""The shipped scenarios, split by what they hold: a game (tree or normal form) or a bargaining model.

Tests that build, solve, explain or draw a *game* iterate over `GAMES`: a ``form: bargaining``
scenario names a continuous model of `negosim.bargain` and has no game to build (`BARGAINING_SKIP`
says so where a test is skipped). Its own tests are in tests/test_bargain_scenarios.py.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_FORM = re.compile(r"^\s+form:\s*bargaining\s*$", re.M)
BARGAINING_SKIP = "a form: bargaining scenario has no game (tests/test_bargain_scenarios.py tests it)"


def is_bargaining(path: Path) -> bool:
    """Whether the scenario file names a bargaining model instead of a game."""
    return bool(_FORM.search(Path(path).read_text(encoding="utf-8")))


ALL = sorted((ROOT / "scenarios").glob("*.yaml"))
GAMES = [p for p in ALL if not is_bargaining(p)]
BARGAINING = [p for p in ALL if is_bargaining(p)]
