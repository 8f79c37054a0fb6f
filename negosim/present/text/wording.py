"""Terminal styling and wording for explanations: ANSI colour on request, numbers and verbs for people.

`Style(color=False)` returns every string unchanged, so plain output never holds an escape code.
Colours are the basic ANSI ones, chosen to stay apart for colour-blind readers (blue and yellow for
the two players' best responses) and always doubled by a plain mark (`*`, `[ ]`, a word).
"""

from __future__ import annotations

import re
from fractions import Fraction

from ...io.jsonout import clean

ANSI = re.compile(r"\x1b\[[0-9;]*m")
CODES = {"bold": "1", "dim": "2", "underline": "4", "red": "31", "green": "32", "yellow": "33", "blue": "34",
         "magenta": "35", "cyan": "36"}
PLAYER_COLOURS = ("blue", "yellow", "magenta", "cyan", "green")


class Style:
    """Wraps text in ANSI codes when `color` is True; otherwise returns it as it is."""

    def __init__(self, color: bool = False):
        self.color = bool(color)

    def __call__(self, text: str, *styles: str) -> str:
        if not self.color or not styles or not text:
            return text
        return f"\x1b[{';'.join(CODES[s] for s in styles)}m{text}\x1b[0m"

    def heading(self, text: str) -> str:
        return self(text, "bold", "underline")

    def player(self, i: int, text: str) -> str:
        """Text in player `i`'s colour (used for best-response marks)."""
        return self(text, PLAYER_COLOURS[i % len(PLAYER_COLOURS)], "bold")


def visible_len(text: str) -> int:
    """Length of `text` as shown in a terminal (ANSI codes take no room)."""
    return len(ANSI.sub("", text))


def pad(text: str, width: int) -> str:
    """`text` left-justified to `width` visible characters."""
    return text + " " * max(0, width - visible_len(text))


def wrap(text: str, width: int = 100, indent: str = "", first: str = "") -> list[str]:
    """Word-wrap `text` to `width` visible characters: the first line starts with `first`, later ones with `indent`."""
    lines, line, words_on_line = [], first, 0
    for word in text.split(" "):  # not split(): that would also split at the no-break spaces of `keep`
        if not word:
            continue
        if words_on_line and visible_len(line) + 1 + visible_len(word) > width:
            lines.append(line)
            line, words_on_line = indent, 0
        line = line + (" " if words_on_line else "") + word
        words_on_line += 1
    lines.append(line)
    return [x.replace(NBSP, " ") for x in lines]


NBSP = "\u00a0"


def keep(text: str) -> str:
    """`text` marked so that `wrap` never breaks a line inside it (an equation, say)."""
    return text.replace(" ", NBSP)


# --- numbers -----------------------------------------------------------------------------------
def exact(x: float, max_den: int = 12) -> Fraction | None:
    """The fraction with a small denominator that `x` is (within 1e-9), or None."""
    f = Fraction(clean(float(x))).limit_denominator(max_den)
    return f if abs(float(f) - x) < 1e-9 else None


def num(x: float, digits: int = 4) -> str:
    """A payoff for people: 3, -1, 0.5, 0.3275, 1/3 (a fraction only when no short decimal is exact)."""
    x = clean(float(x))
    if abs(x) < 1e-12:  # rounding noise of a payoff that is 0
        return "0"
    if x == int(x):
        return str(int(x))
    short = f"{x:.4f}".rstrip("0")
    if abs(float(short) - x) < 1e-12:
        return short
    f = exact(x)
    if f is not None:
        return f"{f.numerator}/{f.denominator}"
    return f"{x:.{digits}g}"


def frac(x: float) -> str:
    """A probability or solution of an equation: 1/3, 2/3, 0.25, else 4 significant digits."""
    f = exact(x, 100)
    if f is not None:
        return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"
    return f"{x:.4g}"


def sig_values(values, lo: int = 2, hi: int = 4) -> list[str]:
    """Values with `lo` to `hi` significant digits: as few as keep values that differ looking different
    (more than `hi` only if needed to tell two values apart)."""
    values = [clean(float(v)) for v in values]
    scale = max([abs(v) for v in values] + [1.0])
    values = [0.0 if abs(v) < 1e-12 * scale else v for v in values]  # rounding noise of a 0
    distinct = sorted(set(values))
    for d in range(lo, 10):
        shown = [_sig(v, d) for v in distinct]
        if len(set(shown)) == len(distinct) and (d >= hi or all(float(s) == v for s, v in zip(shown, distinct))):
            return [_sig(v, d) for v in values]
    return [f"{v:.10g}" for v in values]


def _sig(v: float, d: int) -> str:
    text = f"{v:.{d}g}"
    return "0" if text == "-0" else text


# --- words ---------------------------------------------------------------------------------------
#: Action labels conjugated as verbs ("rejects", "backs down"); any other label is "chooses X".
VERBS = frozenset("""accept reject counter offer propose demand concede insist refuse grant impose hold freeze
continue fight accommodate enter stay exit comply defy threaten back escalate retreat attack defend cooperate
defect invest wait quit stop sign walk pay give take keep share split punish forgive trust betray veto approve
vote abstain volunteer bluff call raise fold deter invade withdraw retaliate negotiate sanction lift extend
violate monitor cheat inspect agree decline ignore respond yield resist surrender mediate arm disarm build cut
support oppose lobby block allow deny buy sell hire fire trade settle sue appeal strike bargain delay end
swerve hunt go run play move lower pass bid stand leave join ratify renege honor honour pause resume tolerate
contest""".split())
#: Names that read better with "the": roles ("the Entrant") and some countries ("the United States").
ARTICLE_WORDS = frozenset("""entrant incumbent sender target proposer responder challenger defender
buyer seller mediator government union firm leader follower attacker principal agent voter receiver worker
employer chooser state opposition king army rebels regime president parliament congress senate court
prosecutor defendant plaintiff seller bank""".split())
ARTICLE_LAST = frozenset("player driver firm side party country state government team".split())
ARTICLE_PREFIXES = ("United ", "European ", "Netherlands", "Philippines", "Russian Federation", "Kremlin",
                    "White House")


def noun(name: str) -> str:
    """How a player is named in a sentence: "the Entrant", "the United States", "Russia", "Ann"."""
    words = name.lower().split(" ")
    if words[0] in ARTICLE_WORDS or name.startswith(ARTICLE_PREFIXES) or (
            len(words) > 1 and words[0] != "player" and words[-1] in ARTICLE_LAST):
        return "the " + name
    return name


def capital(text: str) -> str:
    """`text` with its first visible letter upper-cased ("the US ..." -> "The US ...")."""
    return text[:1].upper() + text[1:] if text else text


def _words(action: str) -> list[str]:
    return action.replace("_", " ").split()


def _third_person(verb: str) -> str:
    if verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        return verb + "es"
    if verb.endswith("y") and len(verb) > 1 and verb[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def does(action: str) -> str:
    """The action as a verb phrase in the third person: "rejects", "backs down", "chooses out"."""
    words = _words(action)
    if words and words[0].lower() in VERBS:
        return " ".join([_third_person(words[0]), *words[1:]])
    return f"chooses {action}"


def do(action: str) -> str:
    """The action as a bare verb phrase: "reject", "back down", "choose out"."""
    words = _words(action)
    if words and words[0].lower() in VERBS:
        return " ".join(words)
    return f"choose {action}"


def and_list(items: list[str], conj: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conj} " + items[-1]


def do_rather(new: str, old: str) -> str:
    """'hold rather than impose'; 'choose in rather than out' (one "choose" for two plain labels)."""
    a, b = do(new), do(old)
    if a.startswith("choose ") and b.startswith("choose "):
        b = b.removeprefix("choose ")
    return f"{a} rather than {b}"
