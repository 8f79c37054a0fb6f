"""Tokens of Gambit's .nfg/.efg files, each with its line, and a cursor that reads them.

The token rules follow Gambit's own lexer (src/games/file.cc): braces, commas, double-quoted
strings in which a quote preceded by a backslash does not end the string, numbers (integers,
decimals with an optional exponent, fractions ``a/b``) and bare words (``NFG``, ``R``, ``c``...).
Every problem raises `GameFileError` naming the file and the line of the offending token.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

from ..errors import GameError, GameFileError, Problem, printable
from ..limits import MAX_EXPONENT, MAX_NUMBER_CHARS

LBRACE, RBRACE, COMMA, STRING, NUMBER, WORD, EOF = "{", "}", ",", "string", "number", "word", "end of file"

_TOKEN = re.compile(
    r'(?P<space>\s+)|(?P<lbrace>\{)|(?P<rbrace>\})|(?P<comma>,)'
    r'|(?P<string>"(?:.*?)(?<!\\)")|(?P<open>")|(?P<word>[^\s{},"]+)',
    re.DOTALL,
)
_NUMBER = re.compile(r"[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|\d+/\d+)")
_INTEGER = re.compile(r"\d+")
_EXPONENT = re.compile(r"[eE]([-+]?\d+)$")


@dataclass(frozen=True)
class Token:
    """One token: its kind, its text (a string's text is unescaped) and the 1-based line it starts on."""

    kind: str
    text: str
    line: int


def unescape(body: str) -> str:
    """The text of a quoted string's body, decoded as Gambit does: ``\\"`` is a quote, other
    backslashes stay as they are."""
    if "\\" not in body:
        return body
    out, lastslash = [], False
    for ch in body:
        if lastslash and ch == '"':
            out.append('"')
        elif lastslash:
            out.append("\\" + ch)
        elif ch != "\\":
            out.append(ch)
        lastslash = ch == "\\"
    return "".join(out)


def quote(label: str) -> str:
    """`label` as a Gambit string literal; GameError if Gambit's escaping cannot represent it."""
    label = str(label)
    body = label.replace('"', '\\"')
    if unescape(body) != label or body.endswith("\\"):
        raise GameError(f"label {label!r} cannot be written to a Gambit file (a backslash before a quote, "
                        "another backslash or the end of the label)")
    return f'"{body}"'


def tokenize(text: str, file: str) -> Iterator[Token]:
    """The tokens of `text`, one at a time, ending with an EOF token on the last line that has content.

    A generator, so a large file never holds more than one token object at a time; a number longer
    than `MAX_NUMBER_CHARS` or with an exponent beyond `MAX_EXPONENT` is refused here, before any
    arithmetic on it (``1e99999999`` would otherwise take hours as an exact fraction).
    """
    line, pos = 1, 0
    last: Token | None = None
    for m in _TOKEN.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        kind = m.lastgroup
        if kind == "space":
            continue
        if kind == "open":
            raise GameFileError(Problem("unterminated string: no closing '\"' before the end of the file", file, line))
        if kind == "string":
            # A label's control characters are escaped (\x1b, \n), so no output of it drives a terminal.
            last = Token(STRING, printable(unescape(m.group()[1:-1])), line)
        elif kind == "word":
            word = m.group()
            if word[0].isdigit() or word[0] in "+-.":
                _check_number(word, file, line)
                last = Token(NUMBER, word, line)
            else:
                last = Token(WORD, word, line)
        else:
            last = Token(m.group(), m.group(), line)
        yield last
    end_line = last.line + last.text.count("\n") if last is not None else 1
    yield Token(EOF, "", end_line)


def _check_number(word: str, file: str, line: int) -> None:
    """Refuse a garbled number, or one too long or with too large an exponent to read in bounded time."""
    if len(word) > MAX_NUMBER_CHARS:
        raise GameFileError(Problem(f"number {word[:20]}... has {len(word):,} characters; negosim reads numbers of "
                                    f"at most {MAX_NUMBER_CHARS:,}", file, line))
    if not _NUMBER.fullmatch(word):
        raise GameFileError(Problem(f"garbled number {word!r}", file, line))
    exponent = _EXPONENT.search(word)
    if exponent and abs(int(exponent.group(1))) > MAX_EXPONENT:
        raise GameFileError(Problem(f"number {word} is out of range: its exponent is beyond "
                                    f"+-{MAX_EXPONENT} (floats end near 1e308)", file, line))


def describe(token: Token) -> str:
    """How an error message names a token."""
    if token.kind == EOF:
        return "the end of the file"
    if token.kind == STRING:
        text = token.text if len(token.text) <= 30 else token.text[:27] + "..."
        return f"the string {text!r}"
    if token.kind == NUMBER:
        return f"the number {token.text}"
    return repr(token.text)


class Tokens:
    """A cursor over a file's tokens with `expect_*` readers that raise `GameFileError`."""

    def __init__(self, text: str, file: str):
        self.file = file
        self._tokens = tokenize(text, file)
        self._current = next(self._tokens)

    def peek(self) -> Token:
        return self._current

    def next(self) -> Token:
        token = self._current
        if token.kind != EOF:
            self._current = next(self._tokens)
        return token

    def error(self, message: str, line: int) -> GameFileError:
        """A GameFileError at `line` of this file."""
        return GameFileError(Problem(message, self.file, line))

    def unexpected(self, token: Token, what: str) -> GameFileError:
        """The error for finding `token` where `what` was expected."""
        if token.kind == EOF:
            return self.error(f"unexpected end of file: expected {what}", token.line)
        return self.error(f"expected {what}, found {describe(token)}", token.line)

    def expect(self, kind: str, what: str) -> Token:
        token = self.next()
        if token.kind != kind:
            raise self.unexpected(token, what)
        return token

    def accept(self, kind: str) -> bool:
        """Skip the next token if it is of `kind`; whether it was."""
        if self.peek().kind == kind:
            self.next()
            return True
        return False

    def string(self, what: str) -> str:
        return self.expect(STRING, what).text

    def integer(self, what: str, most: int | None = None) -> int:
        """The next token as a whole number; an error if it is not one or, given `most`, exceeds it."""
        token = self.next()
        if token.kind != NUMBER or not _INTEGER.fullmatch(token.text):
            raise self.unexpected(token, f"{what} (a whole number)")
        value = int(token.text)
        if most is not None and value > most:
            raise self.error(f"{what} is {token.text[:30]}{'...' if len(token.text) > 30 else ''}; negosim reads "
                             f"at most {most:,}", token.line)
        return value

    def number(self, what: str) -> Fraction:
        """The next token as an exact number; an error if it is not one or is too large for a float."""
        token = self.next()
        if token.kind != NUMBER:
            raise self.unexpected(token, what)
        try:
            value = Fraction(token.text)
            float(value)
        except ZeroDivisionError:
            raise self.error(f"division by zero in {token.text}", token.line) from None
        except OverflowError:
            raise self.error(f"number {token.text} is too large", token.line) from None
        return value

    def payoffs(self, n: int, whose: str) -> list[Fraction]:
        """`n` payoffs, optionally comma-separated, up to and including the closing '}'."""
        values: list[Fraction] = []
        while True:
            token = self.peek()
            if token.kind == RBRACE:
                self.next()
                break
            if token.kind != NUMBER:
                raise self.unexpected(token, f"a payoff or '}}' closing the payoffs of {whose}")
            if len(values) == n:
                raise self.error(f"{whose} has more than {n} payoffs (one per player)", token.line)
            values.append(self.number("a payoff"))
            self.accept(COMMA)
        if len(values) < n:
            raise self.error(f"{whose} has {len(values)} payoff{'s' * (len(values) != 1)}; expected {n}, "
                             "one per player", token.line)
        return values

    def real(self, what: str) -> float:
        """The next token as the float nearest to the exact number it writes (fast path of `number`)."""
        token = self.peek()
        if token.kind == NUMBER and "/" not in token.text:
            value = float(token.text)  # correctly rounded, so equal to float(Fraction(text))
            if value in (float("inf"), float("-inf")):
                raise self.error(f"number {token.text} is too large", token.line)
            self.next()
            return value
        return float(self.number(what))

    def end(self) -> None:
        """Check that the file has no tokens left."""
        token = self.peek()
        if token.kind != EOF:
            raise self.error(f"expected the end of the file, found {describe(token)}", token.line)

    def header(self, magic: str, version: str) -> str:
        """Read ``MAGIC VERSION R "title"``; the title."""
        token = self.next()
        if token.kind != WORD or token.text != magic:
            other = " (this looks like an .efg file)" if token.text == "EFG" else (
                " (this looks like an .nfg file)" if token.text == "NFG" else "")
            raise self.error(f"not a Gambit .{magic.lower()} file: expected '{magic} {version} R' at the start, "
                             f"found {describe(token)}{other}", token.line)
        token = self.next()
        if token.kind != NUMBER or token.text != version:
            found = token.text if token.kind == NUMBER else describe(token)
            raise self.error(f"unsupported {magic} version {found}: only version {version} exists", token.line)
        token = self.next()
        if token.kind != WORD or token.text not in ("R", "D"):
            raise self.unexpected(token, "the number type 'R' (or 'D') after the version")
        return self.string("the game title (a quoted string, possibly \"\")")

    def labels(self, item: str, items: str) -> list[tuple[str, int]]:
        """A braced list of strings (`items`, each an `item`), each with its line."""
        self.expect(LBRACE, f"'{{' opening the list of {items}")
        out: list[tuple[str, int]] = []
        while True:
            token = self.next()
            if token.kind == RBRACE:
                return out
            if token.kind != STRING:
                raise self.unexpected(token, f"a quoted {item} label or '}}'")
            out.append((token.text, token.line))
