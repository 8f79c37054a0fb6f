"""The look shared by every figure: Okabe-Ito colours (one per player, the same in every figure),
hatches for regimes, font sizes, and the matplotlib settings they are built and saved under.

Colours come from Okabe and Ito's colour-blind-safe palette; every distinction drawn in colour is
also drawn another way (a line style, a marker, a hatch or a position), so figures survive
grayscale printing.
"""

from __future__ import annotations

import re
import textwrap

# Okabe, M. and Ito, K. (2008), Color Universal Design.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "black": "#000000",
}

#: Player i gets PLAYER_COLORS[i % len]: the dark, high-contrast members first (they carry text).
PLAYER_COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
#: A line style and a marker per player, for grayscale.
PLAYER_LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 1)))
PLAYER_MARKERS = ("o", "s", "^", "D", "v", "P")

#: Regime fills (light enough for text on top) and hatches, one pair per outcome.
REGIME_COLORS = ("#56B4E9", "#E69F00", "#009E73", "#F0E442", "#CC79A7", "#D55E00", "#0072B2", "#999999")
REGIME_HATCHES = ("", "//", "..", "xx", "\\\\", "oo", "++", "--")

INK = "#222222"  # text and equilibrium edges
MUTED = "#8C8C8C"  # edges not chosen, secondary text
CHOSEN = "#4D4D4D"  # off-path equilibrium choices

TITLE_SIZE = 14
LABEL_SIZE = 12
TEXT_SIZE = 11
SMALL_SIZE = 10  # the smallest text in any figure: readable projected at 100 dpi

#: Settings every figure is built and saved under (never applied globally).
RC = {
    "font.family": "DejaVu Sans",  # shipped with matplotlib: the same glyphs, hence bytes, everywhere
    "font.size": TEXT_SIZE,
    "axes.titlesize": TITLE_SIZE,
    "axes.labelsize": LABEL_SIZE,
    "xtick.labelsize": SMALL_SIZE + 1,
    "ytick.labelsize": SMALL_SIZE + 1,
    "legend.fontsize": SMALL_SIZE + 1,
    "hatch.linewidth": 0.8,
    "svg.hashsalt": "negosim",  # SVG ids are random without a salt
    "svg.fonttype": "path",  # text as outlines: the SVG looks the same without the font installed
    "pdf.fonttype": 42,
    "path.simplify": True,
}


def player_color(i: int) -> str:
    """The colour of the player at index `i` (the same in every figure)."""
    return PLAYER_COLORS[i % len(PLAYER_COLORS)]


def player_linestyle(i: int):
    """The line style of the player at index `i` (so lines stay apart in grayscale)."""
    return PLAYER_LINESTYLES[i % len(PLAYER_LINESTYLES)]


def player_marker(i: int) -> str:
    """The marker of the player at index `i`."""
    return PLAYER_MARKERS[i % len(PLAYER_MARKERS)]


def regime_style(k: int) -> tuple[str, str]:
    """The (fill colour, hatch) of the k-th outcome regime."""
    return REGIME_COLORS[k % len(REGIME_COLORS)], REGIME_HATCHES[k % len(REGIME_HATCHES)]


def bar_axes(ax) -> None:
    """The look of a horizontal bar chart's axes (tornado, sensitivity indices): no y ticks, about five
    x ticks pointing out, light vertical grid lines, and only the bottom spine."""
    from matplotlib.ticker import MaxNLocator

    ax.tick_params(axis="y", length=0)
    ax.tick_params(axis="x", labelsize=SMALL_SIZE + 1, direction="out")
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
    ax.grid(axis="x", color="#DDDDDD", lw=0.6, zorder=0)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)


def context():
    """A context manager applying `RC` (figures are built and saved inside it)."""
    import matplotlib

    return matplotlib.rc_context(RC)


def new_figure(width: float, height: float):
    """A pyplot-free `Figure` of the given size in inches, at 100 dpi, on a white background."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, facecolor="white")


def fmt_value(x: float, digits: int = 3) -> str:
    """A payoff for a figure: 2, -0.5, 0.328 (`digits` significant digits, no '-0')."""
    x = float(x)
    if abs(x) < 1e-12:
        return "0"
    r = round(x)
    if abs(x - r) < 1e-9 * max(1.0, abs(x)):
        return str(int(r))
    s = f"{x:.{digits}g}"
    return "0" if re.fullmatch(r"-?0(\.0*)?", s) else s


def fmt_payoff(x: float) -> str:
    """A payoff exactly as the text output prints it (`negosim.present.text.fmt_number`): 0.3275, -1.

    Figures, tables and explanations show one number the same way, so a student can match them.

    Examples
    --------
    >>> fmt_payoff(0.3275), fmt_payoff(-1.0), fmt_payoff(2.5)
    ('0.3275', '-1', '2.5')
    """
    from ..text import fmt_number  # here: the regime map, which uses this module, formats no payoff

    return fmt_number(float(x))


def outcome_name(outcome) -> str:
    """What a figure calls an outcome: its `label`, or else its id in words ("price_war" -> "price war").

    Examples
    --------
    >>> from negosim.game.tree import Outcome
    >>> outcome_name(Outcome("price_war")), outcome_name(Outcome("x", "Entry met by a price war"))
    ('price war', 'Entry met by a price war')
    """
    return outcome.label.strip() or humanise(outcome.id)


def humanise(name: str) -> str:
    """An identifier in words: underscores become spaces ("war_no_sanctions" -> "war no sanctions")."""
    return " ".join(name.replace("_", " ").split()) or name


def wrap_words(text: str, width: int) -> str:
    """`text` broken into lines of at most `width` characters between words (a longer word keeps its line).

    Examples
    --------
    >>> wrap_words("War goes on, aid continues", 13)
    'War goes on,\\naid continues'
    """
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) or text


def wrap_id(name: str, width: int = 11) -> str:
    """An identifier broken into lines of about `width` characters after '_' or '/' (never inside a word)."""
    parts = re.findall(r"[^_/]+[_/]*|[_/]+", name)
    lines, line = [], ""
    for part in parts:
        if line and len(line) + len(part.rstrip("_/")) > width:
            lines.append(line)
            line = part
        else:
            line += part
    lines.append(line)
    return "\n".join(lines)


def gid(*parts) -> str:
    """An SVG element id from parts, joined by '-' with whitespace replaced (ids name what is drawn,
    so a report can style them and tests can find them)."""
    return "-".join(re.sub(r"\s+", "_", str(p)) for p in parts)
