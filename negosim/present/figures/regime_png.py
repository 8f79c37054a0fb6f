"""The regime map painted as a PNG with numpy and Pillow, without importing matplotlib (which costs
about half a second to import, more than a million-point sweep's solve): `regime_content` decides
what is shown, this module only paints it, as `regime_map.paint_figure` does with matplotlib.

Regions are coloured pixel by pixel from the content's fields (the region at a pixel is the outcome
whose field is largest there, the fields' zero contours being the outlines the matplotlib painter
fills), hatches are computed per pixel from their distance to the hatch lines or dots, and every
stroke (boundaries, curves, markers, the frame) is drawn four times larger and averaged down, so
edges are anti-aliased. Text is FreeType's, in DejaVu Sans (`fonts`).
"""

from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from . import style
from .fonts import house_font
from .regime_content import (
    BOUNDARY_PT,
    CURVE_HANDLE,
    CURVE_PT,
    EDGE_ALPHA,
    FILL_ALPHA,
    HALO_PT,
    KIND_DASH,
    KIND_PT,
    LEGEND_HANDLE,
    MARKER_PT,
    PLOT_H,
    PLOT_W,
    PNG_DPI,
    RegimeMapContent,
    Region,
)
from .regime_pixels import blend, blend_levels, paint_regions, without_straight_vertices

PX = PNG_DPI / 72  # pixels per point
SS = 4  # strokes are drawn this many times larger, then averaged down
_PAD_IN = 0.15  # white border around everything drawn, as the matplotlib figure is saved
_MARGIN_IN = 0.6  # room around the nominal figure for anything drawn past it, cropped at the end
_HATCH_PT = 0.8  # style.RC["hatch.linewidth"]
_SPINE_PT, _TICK_PT, _TICK_LEN_PT, _TICK_PAD_PT, _LABEL_PAD_PT = 0.8, 0.8, 3.5, 3.5, 4.0
_FS = style.TEXT_SIZE  # the legend's font size: its paddings are in these
_ROW_PT = 12.3  # the height of a one-line legend entry (the text's, as matplotlib lays it out)
_PATCH_H_PT = 11.3  # the legend patch's height


@dataclass(frozen=True)
class PlacedText:
    """A piece of text as painted: what it says, its box (left, top, right, bottom) in pixels of the
    final image, its size in points and its role (title, x-label, y-label, x-tick, y-tick,
    legend-title, legend, curves-title, curve, kind).

    `paint_png` reports every text it wrote, so a test or a web page can find a label on the image
    without reading pixels.

    Attributes
    ----------
    text : str
        What the text says (a wrapped label with its newlines, as one block).
    box : tuple of int
        Its box (left, top, right, bottom) in pixels of the final image.
    size : float
        Its font size in points.
    role : str
        What it labels: ``"title"``, ``"x-label"``, ``"y-label"``, ``"x-tick"``, ``"y-tick"``,
        ``"legend-title"``, ``"legend"``, ``"curves-title"``, ``"curve"`` or ``"kind"``.

    Examples
    --------
    >>> label = PlacedText("war", (10, 20, 40, 32), 11.0, "legend")
    >>> label.role, label.box[2] - label.box[0]
    ('legend', 30)
    """

    text: str
    box: tuple[int, int, int, int]
    size: float
    role: str


@dataclass(frozen=True)
class RasterMap:
    """A painted regime map: the PNG's bytes, its size in pixels, the texts and legend handles as
    placed (boxes in pixels of the image), and the plot's frame (left, top, right, bottom) in pixels
    with the data range it spans, so a pixel can be found for a point of the map.

    Attributes
    ----------
    png : bytes
        The PNG file's bytes (written at `regime_content.PNG_DPI`).
    size : tuple of int
        The image's (width, height) in pixels.
    texts : tuple of PlacedText
        Every text painted, with its box.
    handles : tuple of (str, tuple of int)
        Each outcome's label and its legend patch's box (left, top, right, bottom).
    plot_box : tuple of int
        The plot's frame (left, top, right, bottom) in pixels.
    x_lim, y_lim : tuple of float
        The data range the frame spans along x and y.

    Examples
    --------
    >>> import numpy as np
    >>> from negosim.present.figures.regime_content import regime_map_content
    >>> x, y = np.linspace(0, 1, 5), np.linspace(0, 1, 4)
    >>> raster = paint_png(regime_map_content("p", x, "c", y, np.where(x[:, None] > y, "war", "peace")))
    >>> left, top, right, bottom = raster.plot_box
    >>> raster.pixel(0.0, 1.0) == (left, top), raster.pixel(1.0, 0.0) == (right, bottom)
    (True, True)
    >>> [label for label, _ in raster.handles]
    ['peace', 'war']
    """

    png: bytes
    size: tuple[int, int]
    texts: tuple[PlacedText, ...]
    handles: tuple[tuple[str, tuple[int, int, int, int]], ...]  # (outcome label, the legend patch's box)
    plot_box: tuple[int, int, int, int]
    x_lim: tuple[float, float]
    y_lim: tuple[float, float]

    def pixel(self, x: float, y: float) -> tuple[int, int]:
        """The (column, row) of the image's pixel at the map's point (`x`, `y`)."""
        x0, y0, x1, y1 = self.plot_box
        (a, b), (c, d) = self.x_lim, self.y_lim
        return int(x0 + (x - a) / (b - a) * (x1 - x0)), int(y1 - (y - c) / (d - c) * (y1 - y0))


def rgb(color: str) -> np.ndarray:
    """A '#RRGGBB' colour as three floats in [0, 1]."""
    return np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)], dtype=np.float32) / 255


def filled(color: str) -> np.ndarray:
    """A region's colour at `FILL_ALPHA` over white, as the map shows it."""
    return np.float32(1 - FILL_ALPHA) + np.float32(FILL_ALPHA) * rgb(color)


INK, BLACK, WHITE = rgb(style.INK), np.zeros(3, np.float32), np.ones(3, np.float32)


def paint_png(c: RegimeMapContent) -> RasterMap:
    """The regime map `content` as PNG bytes, with where each text and legend handle went.

    The sweep's default PNG, painted with numpy and Pillow (no matplotlib import) from the same content
    `regime_map.paint_figure` draws with matplotlib.

    Parameters
    ----------
    c : RegimeMapContent
        What the map shows and where (`regime_content.regime_map_content`).

    Returns
    -------
    RasterMap
        The PNG's bytes, with the boxes of its texts, legend handles and plot frame.

    Examples
    --------
    >>> import numpy as np
    >>> from negosim.present.figures.regime_content import regime_map_content
    >>> x, y = np.linspace(0, 1, 5), np.linspace(0, 1, 4)
    >>> raster = paint_png(regime_map_content("p", x, "c", y, np.where(x[:, None] > y, "war", "peace")))
    >>> raster.png[:4], sorted(t.text for t in raster.texts if t.role == "legend")
    (b'\\x89PNG', ['peace', 'war'])
    """
    return _Painter(c).paint()


class _Painter:
    def __init__(self, c: RegimeMapContent):
        self.c = c
        self.w = round((c.width + 2 * _MARGIN_IN) * PNG_DPI)
        self.h = round((c.height + 2 * _MARGIN_IN) * PNG_DPI)
        self.canvas = np.full((self.h, self.w, 3), 255, dtype=np.uint8)  # 8 bits a channel, as the PNG
        self.texts: list[PlacedText] = []
        self.handles: list[tuple[str, tuple[int, int, int, int]]] = []
        self.x0, self.y0 = round(self.fx(c.left)), round(self.fy(c.below + PLOT_H))
        self.x1, self.y1 = self.x0 + round(PLOT_W * PNG_DPI), self.y0 + round(PLOT_H * PNG_DPI)

    # --- coordinates: figure inches (from the bottom left) and data to canvas pixels ----------------
    def fx(self, inches: float) -> float:
        return (_MARGIN_IN + inches) * PNG_DPI

    def fy(self, inches: float) -> float:
        return (_MARGIN_IN + self.c.height - inches) * PNG_DPI

    def dx(self, x):
        (a, b) = self.c.x_lim
        return self.x0 + (np.asarray(x, dtype=float) - a) / (b - a) * (self.x1 - self.x0)

    def dy(self, y):
        (a, b) = self.c.y_lim
        return self.y1 - (np.asarray(y, dtype=float) - a) / (b - a) * (self.y1 - self.y0)

    # --- painting -----------------------------------------------------------------------------
    def paint(self) -> RasterMap:
        c = self.c
        self.regions()
        box = (self.x0 - 12, self.y0 - 12, self.x1 + 12, self.y1 + 12)  # markers may stand past the frame
        if c.boundaries:
            lines = [np.column_stack([self.dx(s[:, 0]), self.dy(s[:, 1])]) for s in c.boundaries]
            groups = [[line] for line in lines] if len(lines) <= 16 else [lines]
            for group in groups:  # strokes are drawn in layers only as large as they need
                pts = np.concatenate(group)
                reach = BOUNDARY_PT * PX + 2
                around = (int(pts[:, 0].min() - reach), int(pts[:, 1].min() - reach),
                          int(pts[:, 0].max() + reach) + 1, int(pts[:, 1].max() + reach) + 1)
                self.stroke(around, INK, lambda d, t, g=group: _polylines(d, g, t, BOUNDARY_PT * PX))
        if c.kinds is not None and c.kinds.segments:
            segs = [np.array([[self.dx(a[0]), self.dy(a[1])], [self.dx(b[0]), self.dy(b[1])]]) for a, b in
                    c.kinds.segments]
            dash = [v * KIND_PT * PX for v in KIND_DASH]
            self.stroke(box, INK, lambda d, t: _polylines(d, _dashed(segs, dash), t, KIND_PT * PX, round_ends=False))
        if c.curves:
            curves = [(np.column_stack([self.dx(cv.x), self.dy(cv.y)]), [v * CURVE_PT * PX for v in cv.dash[1]])
                      for cv in c.curves]
            dashed = [seg for pts, dash in curves for seg in _dashed([pts], dash)]
            self.stroke(box, WHITE, lambda d, t: _polylines(d, dashed, t, HALO_PT * PX, round_ends=False), clip=True)
            self.stroke(box, BLACK, lambda d, t: _polylines(d, dashed, t, CURVE_PT * PX, round_ends=False), clip=True)
        for r in c.regions:
            if len(r.marks[0]):
                pts = np.column_stack([self.dx(r.marks[0]), self.dy(r.marks[1])])
                self.markers(box, r, pts)
        if c.kinds is not None:
            for text, kx, ky in c.kinds.labels:
                self.text(text, float(self.dx(kx)), float(self.dy(ky)), style.SMALL_SIZE, "kind", ha="center",
                          va="center", color=INK, backdrop=True)
        self.frame()
        self.legends()
        if c.title:
            self.text(c.title, self.fx(c.left), self.fy(c.height - 0.15), style.TITLE_SIZE, "title", va="top",
                      color=INK, bold=True)
        return self.finish()

    def regions(self) -> None:
        c = self.c
        w, h = self.x1 - self.x0, self.y1 - self.y0
        colours = np.stack([filled(r.color) for r in c.regions])
        # Each region's hatch as its shade (cover times the ink's opacity, quantised to 8 bits) over one inch
        # square from the plot's top left, which repeats: the plot is painted by one table lookup per pixel.
        n = PNG_DPI
        tiles = np.zeros((len(c.regions), n, n), dtype=np.uint8)
        for k, r in enumerate(c.regions):
            if r.hatch:
                tiles[k] = self.hatch_tile(r.hatch, self.x0, self.y0)
        paint_regions(self.canvas, self.x0, self.y0, w, h, c, colours, INK, tiles)

    def hatch(self, hatch: str, left: int, top: int, w: int, h: int) -> np.ndarray:
        """The hatch's cover (times its ink's opacity) of the canvas pixels from (left, top), h by w. A hatch
        repeats every inch: one inch square of it is computed and tiled."""
        n = PNG_DPI
        ys, xs = self.hatch_coordinates(left, top, n, n)
        tile = _hatch(hatch, xs, ys) * np.float32(EDGE_ALPHA)
        return np.tile(tile, (-(-h // n), -(-w // n)))[:h, :w]

    def hatch_tile(self, hatch: str, left: int, top: int) -> np.ndarray:
        """One inch square of the hatch's cover from the canvas pixel (left, top), quantised to 0-255."""
        n = PNG_DPI
        ys, xs = self.hatch_coordinates(left, top, n, n)
        return np.rint(_hatch(hatch, xs, ys) * np.float32(EDGE_ALPHA) * 255).astype(np.uint8)

    def hatch_coordinates(self, left: int, top: int, w: int, h: int) -> tuple[np.ndarray, np.ndarray]:
        """Pixel centres in inches from the figure's bottom left: y (h, 1) and x (1, w)."""
        xs = ((left + np.arange(w) + 0.5) / PNG_DPI - _MARGIN_IN).astype(np.float32)[None, :]
        ys = (self.c.height + _MARGIN_IN - (top + np.arange(h) + 0.5) / PNG_DPI).astype(np.float32)[:, None]
        return ys, xs

    def stroke(self, box, color: np.ndarray, draw: Callable, alpha: float = 1.0, clip: bool = False) -> None:
        """Composite strokes drawn by `draw(ImageDraw, to_layer)` in `color` over the canvas inside `box`,
        anti-aliased (drawn `SS` times larger and averaged down); `clip` keeps them inside the frame."""
        x0, y0, x1, y1 = (self.x0, self.y0, self.x1, self.y1) if clip else (int(v) for v in box)
        x0, y0, x1, y1 = max(0, x0), max(0, y0), min(self.w, x1), min(self.h, y1)
        layer = Image.new("L", ((x1 - x0) * SS, (y1 - y0) * SS), 0)

        def to_layer(pts: np.ndarray) -> list[tuple[float, float]]:
            return [((px - x0) * SS, (py - y0) * SS) for px, py in np.asarray(pts, dtype=float).tolist()]

        draw(ImageDraw.Draw(layer), to_layer)
        blend_levels(self.canvas[y0:y1, x0:x1], color, np.asarray(layer.reduce(SS)), alpha / 255, divide=False)

    def rect(self, left: float, top: float, right: float, bottom: float, color: np.ndarray,
             alpha: float = 1.0) -> None:
        """Fill the rectangle (canvas pixels, fractional) in `color`, edge pixels in proportion to how much
        of them it covers (anti-aliased)."""
        c0, r0 = max(0, math.floor(left)), max(0, math.floor(top))
        c1, r1 = min(self.w, math.ceil(right)), min(self.h, math.ceil(bottom))
        if c1 <= c0 or r1 <= r0:
            return
        cols = np.clip(np.minimum(np.arange(c0, c1) + 1, right) - np.maximum(np.arange(c0, c1), left), 0, 1)
        rows = np.clip(np.minimum(np.arange(r0, r1) + 1, bottom) - np.maximum(np.arange(r0, r1), top), 0, 1)
        cover = (rows[:, None] * cols[None, :] * alpha).astype(np.float32)
        blend(self.canvas[r0:r1, c0:c1], color, cover)

    def markers(self, box, r: Region, pts: np.ndarray) -> None:
        """`r`'s marker at each of the pixel positions `pts`: filled in its colour, edged in ink."""
        size = MARKER_PT * PX * SS
        shape = _marker_shape(r.marker)

        def polygons(t):
            return [[(x + size * u, y - size * v) for u, v in shape] for x, y in t(pts)]

        self.stroke(box, rgb(r.color), lambda d, t: [d.polygon(p, fill=255) for p in polygons(t)])
        width = max(1, round(0.8 * PX * SS))
        self.stroke(box, INK, lambda d, t: [d.line(p + p[:2], fill=255, width=width, joint="curve")
                                            for p in polygons(t)])

    def frame(self) -> None:
        c = self.c
        x0, y0, x1, y1 = self.x0, self.y0, self.x1, self.y1
        tick = _TICK_LEN_PT * PX
        xt = [(float(self.dx(v)), text) for v, text in c.x_ticks]
        yt = [(float(self.dy(v)), text) for v, text in c.y_ticks]

        sw, tw = _SPINE_PT * PX / 2, _TICK_PT * PX / 2
        for a, b, top, bottom in ((x0 - sw, x1 + sw, y0 - sw, y0 + sw), (x0 - sw, x1 + sw, y1 - sw, y1 + sw),
                                  (x0 - sw, x0 + sw, y0 - sw, y1 + sw), (x1 - sw, x1 + sw, y0 - sw, y1 + sw)):
            self.rect(a, top, b, bottom, BLACK)
        for px, _ in xt:
            self.rect(px - tw, y1, px + tw, y1 + tick, BLACK)
        for py, _ in yt:
            self.rect(x0 - tick, py - tw, x0, py + tw, BLACK)
        below = y1 + tick + _TICK_PAD_PT * PX
        bottom = below
        for px, text in xt:
            box = self.text(text, px, below, style.TEXT_SIZE + 1, "x-tick", ha="center", va="top")
            bottom = max(bottom, box[3])
        leftmost = x0 - tick - _TICK_PAD_PT * PX
        for py, text in yt:
            box = self.text(text, x0 - tick - _TICK_PAD_PT * PX, py, style.TEXT_SIZE + 1, "y-tick", ha="right",
                            va="center")
            leftmost = min(leftmost, box[0])
        self.text(c.x_label, (x0 + x1) / 2, bottom + _LABEL_PAD_PT * PX, style.LABEL_SIZE + 1, "x-label",
                  ha="center", va="top", linespacing=1.25)
        self.text(c.y_label, leftmost - _LABEL_PAD_PT * PX, (y0 + y1) / 2, style.LABEL_SIZE + 1, "y-label",
                  ha="right", va="center", linespacing=1.25, rotate=True)

    def legends(self) -> None:
        c = self.c
        pad = (0.5 + 0.4) * _FS * PX  # matplotlib's border-axes and border paddings
        left, top = self.fx(c.left) + pad, self.fy(c.legend_top) + pad
        title = self.text(c.legend_title, left, top, style.TEXT_SIZE + 1, "legend-title", va="top")
        rows = math.ceil(len(c.regions) / c.legend_columns)
        columns = [c.regions[k * rows:(k + 1) * rows] for k in range(c.legend_columns)]
        x = left
        handle_w = LEGEND_HANDLE * _FS * PX
        for column in columns:
            y = title[3] + 0.5 * _FS * PX
            widest = 0.0
            for r in column:
                h = self.entry_height(r.text)
                self.region_handle(r, x, y + h / 2, handle_w)
                box = self.text(r.text, x + handle_w + 0.8 * _FS * PX, y + h / 2, _FS, "legend", va="center")
                widest = max(widest, box[2] - x)
                y += h + 0.5 * _FS * PX
            x += widest + 1.5 * _FS * PX
        if not c.curves:
            return
        top = self.fy(c.curve_legend_top) + pad
        title = self.text("curves drawn on top", left, top, style.TEXT_SIZE + 1, "curves-title", va="top")
        y = title[3] + 0.5 * _FS * PX
        handle_w = CURVE_HANDLE * _FS * PX
        for cv in c.curves:
            h = self.entry_height(cv.text)
            line = [np.array([[left, y + h / 2], [left + handle_w, y + h / 2]])]
            dashed = _dashed(line, [v * CURVE_PT * PX for v in cv.dash[1]])
            area = (int(left) - 4, int(y) - 4, int(left + handle_w) + 5, int(y + h) + 5)
            for color, width in ((WHITE, HALO_PT), (BLACK, CURVE_PT)):
                self.stroke(area, color, lambda d, t, p=dashed, w=width: _polylines(d, p, t, w * PX, round_ends=False))
            self.text(cv.text, left + handle_w + 0.8 * _FS * PX, y + h / 2, _FS, "curve", va="center")
            y += h + 0.5 * _FS * PX

    def entry_height(self, text: str) -> float:
        return (_ROW_PT + 1.2 * _FS * text.count("\n")) * PX

    def region_handle(self, r: Region, x: float, mid: float, width: float) -> None:
        """The legend's handle of `r`: its patch, its marker, or both side by side."""
        both = r.has_area and len(r.marks[0])
        patch_w = (width - 0.3 * _FS * PX) / 2 if both else width
        if r.has_area:
            top, bottom = round(mid - _PATCH_H_PT * PX / 2), round(mid + _PATCH_H_PT * PX / 2)
            left, right = round(x), round(x + patch_w)
            part = self.canvas[top:bottom, left:right]
            part[:] = np.rint(filled(r.color) * 255).astype(np.uint8)
            if r.hatch:
                blend(part, INK, self.hatch(r.hatch, left, top, right - left, bottom - top))
            e = PX / 2  # a 1-point edge, centred on the patch's outline
            for a, b, c, d in ((left - e, top - e, right + e, top + e), (left - e, bottom - e, right + e, bottom + e),
                               (left - e, top + e, left + e, bottom - e), (right - e, top + e, right + e, bottom - e)):
                self.rect(a, b, c, d, INK, EDGE_ALPHA)
            self.handles.append((r.label, (left, top, right, bottom)))
        if not r.has_area or both:
            at = x + width - patch_w / 2 if both else x + width / 2
            self.markers((int(at) - 12, int(mid) - 12, int(at) + 12, int(mid) + 12), r, np.array([[at, mid]]))

    # --- text ---------------------------------------------------------------------------------
    def text(self, text: str, x: float, y: float, size: float, role: str, *, ha: str = "left", va: str = "baseline",
             color: np.ndarray = BLACK, bold: bool = False, linespacing: float = 1.2, rotate: bool = False,
             backdrop: bool = False) -> tuple[int, int, int, int]:
        """Paint `text` (lines split at newlines, each centred for ha="center") aligned at (x, y) by `ha`
        and `va` (of the whole block; rotated a quarter turn anticlockwise with `rotate`); return its box."""
        font = house_font(size * PX, bold)
        ascent, descent = font.getmetrics()
        lines = text.split("\n")
        pitch = linespacing * size * PX * 0.98
        widths = [font.getlength(line) for line in lines]
        bw, bh = math.ceil(max(widths)) + 2, math.ceil((len(lines) - 1) * pitch + ascent + descent) + 2
        layer = Image.new("L", (bw, bh), 0)
        d = ImageDraw.Draw(layer)
        for k, (line, lw) in enumerate(zip(lines, widths)):
            lx = 1 + (max(widths) - lw) / 2 if len(lines) > 1 and ha == "center" else 1
            d.text((lx, 1 + ascent + k * pitch), line, font=font, fill=255, anchor="ls")
        if rotate:
            layer = layer.transpose(Image.Transpose.ROTATE_90)
            bw, bh = bh, bw
        left = x - {"left": 0, "center": bw / 2, "right": bw}[ha]
        top = y - {"top": 0, "center": bh / 2, "baseline": 1 + ascent, "bottom": bh}[va]
        left, top = round(left), round(top)
        box = (left, top, left + bw, top + bh)
        if backdrop:  # a white box at 80% behind the text, as the matplotlib painter's bbox
            p = round(1.5 * PX)
            part = self.canvas[top - p:top + bh + p, left - p:left + bw + p]
            blend(part, WHITE, np.full(part.shape[:2], 0.8, dtype=np.float32))
        blend_levels(self.canvas[top:top + bh, left:left + bw], color, np.asarray(layer), 255, divide=True)
        self.texts.append(PlacedText(text, box, size, role))
        return box

    # --- the file -----------------------------------------------------------------------------
    def finish(self) -> RasterMap:
        # What is drawn spans the texts, the frame with its ticks and the marked points (which may stand
        # past the frame): the image is that box and a white border, as matplotlib's tight bounding box.
        tick = math.ceil(_TICK_LEN_PT * PX) + 1
        boxes = [t.box for t in self.texts] + [(self.x0 - tick, self.y0 - 1, self.x1 + 1, self.y1 + tick)]
        reach = math.ceil(MARKER_PT * PX / 2) + 2
        for r in self.c.regions:
            if len(r.marks[0]):
                mx, my = self.dx(r.marks[0]), self.dy(r.marks[1])
                boxes.append((int(mx.min()) - reach, int(my.min()) - reach,
                              int(mx.max()) + reach, int(my.max()) + reach))
        pad = round(_PAD_IN * PNG_DPI)
        left, top = max(0, min(b[0] for b in boxes) - pad), max(0, min(b[1] for b in boxes) - pad)
        right, bottom = min(self.w, max(b[2] for b in boxes) + pad), min(self.h, max(b[3] for b in boxes) + pad)
        pixels = self.canvas[top:bottom, left:right]

        def moved(box):
            return (box[0] - left, box[1] - top, box[2] - left, box[3] - top)

        texts = tuple(PlacedText(t.text, moved(t.box), t.size, t.role) for t in self.texts)
        handles = tuple((label, moved(box)) for label, box in self.handles)
        return RasterMap(png_bytes(pixels, PNG_DPI), (pixels.shape[1], pixels.shape[0]), texts, handles,
                         moved((self.x0, self.y0, self.x1, self.y1)), self.c.x_lim, self.c.y_lim)


# --- helpers --------------------------------------------------------------------------------
def png_bytes(pixels: np.ndarray, dpi: float) -> bytes:
    """An (h, w, 3) 8-bit RGB image as a PNG file: rows unfiltered, deflated at zlib's fastest level
    (the map's flat fills compress well as they are; Pillow's adaptive row filters took twice as long
    for a larger file), its resolution recorded in a pHYs chunk. The same pixels give the same bytes.

    The rows are handed to zlib one by one, straight from `pixels` (a view into the painter's canvas): no
    copy of the image with each row's filter byte in front (4 MB of fresh memory for the sweep's map).
    zlib's output does not depend on how its input is cut into pieces, so the file is the one a single
    call would give.

    Examples
    --------
    >>> import io
    >>> from PIL import Image
    >>> data = png_bytes(np.full((2, 3, 3), 200, dtype=np.uint8), 150)
    >>> with Image.open(io.BytesIO(data)) as im:
    ...     im.size, im.mode, im.getpixel((2, 1)), round(im.info["dpi"][0])
    ((3, 2), 'RGB', (200, 200, 200), 150)
    """
    h, w, _ = pixels.shape
    deflate = zlib.compressobj(1)
    parts = []
    rows = pixels.reshape(h, 3 * w) if pixels.strides[1:] == (3, 1) else np.ascontiguousarray(pixels).reshape(h, 3 * w)
    unfiltered = b"\x00"  # each row: its filter type (0, none), then its bytes
    for row in rows:
        parts.append(deflate.compress(unfiltered))
        parts.append(deflate.compress(row.data))
    parts.append(deflate.flush())

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    per_metre = round(dpi / 0.0254)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1))
            + chunk(b"IDAT", b"".join(parts)) + chunk(b"IEND", b""))


def _hatch(hatch: str, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """How much of each pixel (centres `xs` (1, w), `ys` (h, 1) in inches) a matplotlib hatch covers:
    lines or dots `n` to the inch (6 per repeated character), strokes `_HATCH_PT` wide."""
    half = np.float32(_HATCH_PT * PX / 2 + 0.5)
    cover = np.zeros(np.broadcast_shapes(xs.shape, ys.shape), dtype=np.float32)

    def lines(u: np.ndarray, n: int, scale: float) -> None:  # lines where u * n is whole; scale: inches -> px
        f = u * n
        d = np.abs(f - np.rint(f)) / n * np.float32(scale * PNG_DPI)
        np.maximum(cover, np.clip(half - d, 0, 1), out=cover)

    def count(*chars: str) -> int:
        return 6 * sum(hatch.count(ch) for ch in chars)

    if n := count("/", "x", "X"):
        lines(xs - ys, n // 2, 1 / math.sqrt(2))  # matplotlib spaces diagonals twice as far apart
    if n := count("\\", "x", "X"):
        lines(xs + ys, n // 2, 1 / math.sqrt(2))
    if n := count("-", "+"):
        lines(ys + 0 * xs, n, 1)
    if n := count("|", "+"):
        lines(xs + 0 * ys, n, 1)
    for ch, size, solid in ((".", 0.1, True), ("o", 0.2, False), ("O", 0.35, False)):
        if n := count(ch):
            row = np.rint(ys * n)
            shift = np.where(row % 2 == 1, 0.5, 0.0).astype(np.float32)
            cx = (np.rint(xs * n - shift) + shift) / n
            d = np.hypot(xs - cx, ys - row / n) * np.float32(PNG_DPI)
            radius = np.float32(size / n * PNG_DPI)
            edge = radius - d if solid else -np.abs(d - radius)
            np.maximum(cover, np.clip(half + edge if solid else half + edge, 0, 1), out=cover)
    return cover


def _polylines(d: ImageDraw.ImageDraw, lines, t, width_px: float, round_ends: bool = True) -> None:
    w = max(1, round(width_px * SS))
    for line in lines:
        pts = t(without_straight_vertices(np.asarray(line, dtype=float)))  # Pillow joins vertex by vertex, in Python
        if len(pts) < 2:
            continue
        d.line(pts, fill=255, width=w, joint="curve")
        if round_ends:
            for px, py in (pts[0], pts[-1]):
                d.ellipse((px - w / 2, py - w / 2, px + w / 2, py + w / 2), fill=255)


def _dashed(lines: list[np.ndarray], pattern: list[float]) -> list[np.ndarray]:
    """The "on" pieces of each polyline (pixel coordinates) under the dash `pattern` (on, off, ... in
    pixels), the pattern running on along the whole line."""
    period = float(sum(pattern))
    ends = np.cumsum(pattern)
    pieces = []
    for line in lines:
        seg = np.hypot(*np.diff(line, axis=0).T)
        at = np.concatenate([[0.0], np.cumsum(seg)])
        total = at[-1]
        start = 0.0
        while start < total:
            for k in range(0, len(pattern), 2):
                a, b = start + (ends[k] - pattern[k]), min(total, start + ends[k])
                if a >= total:
                    break
                inner = (at > a) & (at < b)
                pts = [_point_at(line, at, a), *line[inner], _point_at(line, at, b)]
                pieces.append(np.array(pts))
            start += period
    return pieces


def _point_at(line: np.ndarray, at: np.ndarray, s: float) -> np.ndarray:
    i = int(np.clip(np.searchsorted(at, s) - 1, 0, len(line) - 2))
    f = 0.0 if at[i + 1] == at[i] else (s - at[i]) / (at[i + 1] - at[i])
    return line[i] + f * (line[i + 1] - line[i])


def _marker_shape(marker: str) -> list[tuple[float, float]]:
    """The outline of a matplotlib marker, in marker sizes from its centre (y up)."""
    if marker == "o":
        return [(0.5 * math.cos(a), 0.5 * math.sin(a)) for a in np.linspace(0, 2 * math.pi, 24, endpoint=False)]
    if marker == "s":
        return [(-0.5, -0.5), (0.5, -0.5), (0.5, 0.5), (-0.5, 0.5)]
    if marker == "^":
        return [(0, 0.5), (-0.5, -0.5), (0.5, -0.5)]
    if marker == "v":
        return [(0, -0.5), (0.5, 0.5), (-0.5, 0.5)]
    if marker == "D":
        return [(0, 0.707), (0.707, 0), (0, -0.707), (-0.707, 0)]  # the square turned: its half-diagonal
    if marker == "*":
        turns = np.linspace(0, 2 * math.pi, 10, endpoint=False)
        return [((0.5 if k % 2 == 0 else 0.19) * math.sin(a), (0.5 if k % 2 == 0 else 0.19) * math.cos(a))
                for k, a in enumerate(turns)]
    arm = 1 / 6  # "P" (a filled plus) and "X" (the same turned by 45 degrees)
    plus = [(-arm, 0.5), (arm, 0.5), (arm, arm), (0.5, arm), (0.5, -arm), (arm, -arm), (arm, -0.5), (-arm, -0.5),
            (-arm, -arm), (-0.5, -arm), (-0.5, arm), (-arm, arm)]
    if marker == "X":
        c = math.sqrt(0.5)
        return [((u - v) * c, (u + v) * c) for u, v in plus]
    return plus


__all__ = ["PlacedText", "RasterMap", "paint_png"]
