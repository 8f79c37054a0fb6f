"""The house font (DejaVu Sans, the font matplotlib ships and every figure uses) for drawing and measuring
text without matplotlib: FreeType through Pillow, on the .ttf files in matplotlib's own folder, found
without importing matplotlib (importing it costs about half a second).

Text widths measured here decide where figure labels wrap, for the matplotlib and the Pillow painter
alike, so both painters break a label at the same word.
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache, lru_cache
from pathlib import Path
from typing import cast


def _defer_pillow_tag_tables() -> None:
    """Make Pillow's EXIF and TIFF tag tables (`PIL.ExifTags`, `PIL.TiffTags`) load when first used rather
    than when `PIL.Image` is imported: `PIL.Image` imports both at its top but reads them only inside
    functions (EXIF and TIFF handling), and building their enums is about 4 ms of the 12 ms the sweep's
    regime map spends importing Pillow. The standard library's `importlib.util.LazyLoader` puts each in
    `sys.modules` as a module whose code runs on its first attribute access, so any code that uses them
    gets the same module. Nothing is done once `PIL.Image` (or the table itself) is imported already.
    (Before Python 3.12, two threads reading a lazy module's first attribute at the same moment could see it
    half loaded: EXIF or TIFF work in threads that start together should import `PIL.ExifTags` first.)"""
    if "PIL.Image" in sys.modules:
        return
    import PIL

    for name in ("ExifTags", "TiffTags"):
        full = f"PIL.{name}"
        if full in sys.modules:
            continue
        spec = importlib.util.find_spec(full)
        if spec is None or spec.loader is None:
            continue
        loader = importlib.util.LazyLoader(spec.loader)
        spec.loader = loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[full] = module
        setattr(PIL, name, module)  # as the import system binds a submodule on its package
        loader.exec_module(module)


_defer_pillow_tag_tables()

from PIL import ImageFont  # noqa: E402  (after the tag tables are deferred)

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
