"""The house font (DejaVu Sans, the font matplotlib ships and every figure uses) for drawing and measuring
text without matplotlib: FreeType through Pillow, on the .ttf files in matplotlib's own folder, found
without importing matplotlib (importing it costs about half a second).

Text widths measured here decide where figure labels wrap, for the matplotlib and the Pillow painter
alike, so both painters break a label at the same word.
"""

from __future__ import annotations

import importlib.util
from functools import cache, lru_cache
from pathlib import Path
from typing import cast

from PIL import ImageFont

_MEASURE_PX = 256  # widths are measured at this size and scaled: no hinting distorts them


@cache
def font_path(bold: bool = False) -> Path | None:
    """The DejaVu Sans file in matplotlib's mpl-data/fonts/ttf folder, or None where there is none.

    Examples
    --------
    >>> font_path().name
    'DejaVuSans.ttf'
    """
    spec = importlib.util.find_spec("matplotlib")
    for where in (spec.submodule_search_locations or []) if spec else []:
        path = Path(where) / "mpl-data" / "fonts" / "ttf" / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
        if path.is_file():
            return path
    return None


@lru_cache(maxsize=64)
def house_font(size_px: float, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The house font at `size_px` pixels (an em), bold or regular; Pillow's own font when DejaVu Sans
    cannot be found.

    Examples
    --------
    >>> house_font(20).getname()[0]
    'DejaVu Sans'
    """
    path = font_path(bold)
    if path is None:
        return cast(ImageFont.FreeTypeFont, ImageFont.load_default(size=size_px))  # FreeType's, given a size
    return ImageFont.truetype(str(path), size_px)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width in points of one line of `text` in the house font at `size` points.

    Both painters of a figure wrap their labels by this measure, so a label breaks at the same word
    whether matplotlib or Pillow draws it.

    Parameters
    ----------
    text : str
        One line of text (no newline).
    size : float
        The font size in points.
    bold : bool, default False
        Measure in the bold face.

    Returns
    -------
    float
        The advance width in points.

    Examples
    --------
    >>> round(text_width("0.25", 12), 1)
    26.7
    """
    return house_font(_MEASURE_PX, bold).getlength(text) * size / _MEASURE_PX


__all__ = ["font_path", "house_font", "text_width"]
