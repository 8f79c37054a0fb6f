"""The prompt of play mode: reads a choice by number, name or unambiguous prefix, never crashes.

End of input, `q`/`quit`/`exit` and Ctrl-C raise `Quit`, which the game turns into a clean stop. A bad
answer is explained and asked again; after `MAX_BAD` bad answers in a row (a script feeding garbage)
the game stops cleanly instead of asking forever.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

PROMPT = "Your choice (number or name, ? for help, q to quit): "
QUIT_WORDS = ("q", "quit", "exit")
HELP_WORDS = ("?", "h", "help")
MAX_BAD = 50
HINT_AFTER = 3  # bad answers in a row before a reminder of the commands


class Quit(Exception):
    """The player stopped the game: `reason` is "quit", "eof" or "bad input"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def match_action(text: str, actions: Sequence[str]) -> int | str:
    """The index of the action `text` names (a number from 1, a name or an unambiguous prefix, any
    case), or a one-line explanation of why it names none."""
    n = len(actions)
    span = "1" if n == 1 else f"1-{n}"
    word = text.strip().rstrip(")").strip()
    low = word.lower()
    if low.isdigit():
        k = int(low)
        if 1 <= k <= n:
            return k - 1
        return f"not an action here: {text.strip()!r}; choose {span} or a name"
    exact = [j for j, a in enumerate(actions) if a.lower() == low]
    if low and exact:
        return exact[0]
    starts = [j for j, a in enumerate(actions) if low and a.lower().startswith(low)]
    if len(starts) == 1:
        return starts[0]
    if len(starts) > 1:
        return f"{word!r} could be {' or '.join(actions[j] for j in starts)}; type more letters or a number"
    return f"not an action here: {text.strip()!r}; choose {span} or a name"


class Console:
    """Plain-text output and line input over two text streams (a terminal or StringIO in tests)."""

    def __init__(self, stdin, stdout):
        self.stdin = stdin
        self.stdout = stdout
        try:
            self.echo = not stdin.isatty()  # a transcript should show what was typed
        except (AttributeError, ValueError):
            self.echo = True

        self.blank = True  # the last line written was empty (nothing written yet counts as empty)

    def say(self, *lines: str) -> None:
        for line in lines:
            self.stdout.write(f"{line}\n")
            self.blank = line == ""
        self.stdout.flush()

    def gap(self) -> None:
        """An empty line, unless the last line already was one."""
        if not self.blank:
            self.say("")

    def _read(self) -> str:
        self.stdout.write(PROMPT)
        self.stdout.flush()
        try:
            line = self.stdin.readline()
        except KeyboardInterrupt:
            self.say("")
            raise Quit("quit") from None
        if not line:
            self.say("")
            raise Quit("eof")
        if self.echo:
            self.stdout.write(line if line.endswith("\n") else line + "\n")
        self.blank = False
        return line.rstrip("\r\n")

    def choose(self, actions: Sequence[str], help_lines: Callable[[], list[str]]) -> int:
        """The index of the action the player picks; raise `Quit` if they stop."""
        bad = 0
        while True:
            text = self._read()
            low = text.strip().lower()
            named = [j for j, a in enumerate(actions) if a.lower() == low]
            if named:  # an action's full name wins over a command of the same spelling
                return named[0]
            if low in QUIT_WORDS:
                raise Quit("quit")
            if low in HELP_WORDS:
                self.say(*help_lines())
                continue
            picked = match_action(text, actions)
            if isinstance(picked, int):
                return picked
            bad += 1
            self.say(picked)
            if bad >= MAX_BAD:
                raise Quit("bad input")
            if bad % HINT_AFTER == 0:
                self.say("(type ? for help on the actions, q to stop the game)")
