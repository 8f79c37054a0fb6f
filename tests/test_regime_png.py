"""The regime map painted with numpy and Pillow (the sweep's default PNG): each region in its legend
colour where the grid has that outcome, every legend text placed, markers and curves where the
content puts them, the same content as the matplotlib painter, and no matplotlib imported."""

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from negosim.present.figures import style
from negosim.present.figures.regime_content import FILL_ALPHA, regime_map_content
from negosim.present.figures.regime_png import paint_png, rgb
from negosim.present.figures.ticks import nice_ticks, tick_labels

ROOT = Path(__file__).resolve().parent.parent


def pixels(raster) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(raster.png)).convert("RGB"), dtype=float) / 255


def seen_at(raster, img, x, y, r=3) -> np.ndarray:
    """The median colour around the map's point (x, y): hatching is thin, so the median is the fill."""
    col, row = raster.pixel(x, y)
    return np.median(img[row - r:row + r + 1, col - r:col + r + 1].reshape(-1, 3), axis=0)


def fill_colour(k: int) -> np.ndarray:
    return (1 - FILL_ALPHA) + FILL_ALPHA * rgb(style.regime_style(k)[0])


@pytest.fixture(scope="module")
def bands():
    """Three outcomes in bands across y, on a 101 x 81 grid."""
    x, y = np.linspace(0.2, 0.8, 101), np.linspace(0, 0.3, 81)
    labels = np.where(y[None, :] < 0.1, "low", np.where(y[None, :] < 0.2, "mid", "high")).repeat(101, 0)
    return x, y, labels.astype(object)


def test_each_region_has_its_legend_colour_at_its_centre(bands):
    x, y, labels = bands
    content = regime_map_content("p", x, "mu", y, labels, names={"low": "Low", "mid": "Middle"})
    raster = paint_png(content)
    img = pixels(raster)
    assert Image.open(io.BytesIO(raster.png)).size == raster.size
    for k, (label, at_y) in enumerate([("low", 0.05), ("mid", 0.15), ("high", 0.25)]):
        assert content.regions[k].label == label
        inside = seen_at(raster, img, 0.5, at_y)
        assert np.abs(inside - fill_colour(k)).max() < 0.03, (label, inside)
        # the legend's patch for that outcome shows the same colour
        (box,) = [b for lab, b in raster.handles if lab == label]
        patch = img[box[1] + 2:box[3] - 2, box[0] + 2:box[2] - 2].reshape(-1, 3)
        assert np.abs(np.median(patch, axis=0) - fill_colour(k)).max() < 0.03
    # the boundaries are drawn in ink between the bands
    edge = int(np.flatnonzero(y < 0.1)[-1])
    col, row = raster.pixel(0.5, (y[edge] + y[edge + 1]) / 2)
    assert img[row - 3:row + 4, col].min() < 0.35


def test_every_text_of_the_content_is_placed_inside_the_image(bands):
    x, y, labels = bands
    content = regime_map_content("p", x, "mu", y, labels, names={"low": "Low"}, title="Bands",
                                 x_description="The chance of winning.", x_unit="probability",
                                 overlays=[{"x": [0.2, 0.8], "y": [0.0, 0.3], "label": "diagonal"}])
    raster = paint_png(content)
    by_role: dict[str, list[str]] = {}
    for t in raster.texts:
        by_role.setdefault(t.role, []).append(t.text)
        assert 0 <= t.box[0] < t.box[2] <= raster.size[0] and 0 <= t.box[1] < t.box[3] <= raster.size[1]
    assert by_role["legend"] == [r.text for r in content.regions] == ["Low (low)", "mid", "high"]
    assert by_role["legend-title"] == ["equilibrium outcome"]
    assert by_role["title"] == ["Bands"]
    assert by_role["x-label"] == [content.x_label] and "The chance of winning (p, probability)" == content.x_label
    assert by_role["x-tick"] == [t for _, t in content.x_ticks] == tick_labels(nice_ticks(0.2, 0.8))
    assert by_role["curve"] == ["diagonal"] and by_role["curves-title"] == ["curves drawn on top"]
    # texts do not overlap one another (boxes hold a pixel of margin each side, and a line's full height)
    boxes = [(t.box[0] + 2, t.box[1] + 2, t.box[2] - 2, t.box[3] - 2) for t in raster.texts]
    for a in range(len(boxes)):
        for b in range(a + 1, len(boxes)):
            p, q = boxes[a], boxes[b]
            assert p[2] <= q[0] or q[2] <= p[0] or p[3] <= q[1] or q[3] <= p[1], (raster.texts[a], raster.texts[b])


def test_tiny_regions_are_marked_with_their_markers_and_curves_drawn_dashed():
    n = 61
    x = y = np.linspace(0, 1, n)
    labels = np.full((n, n), "a", dtype=object)
    labels[:, 40:] = "b"
    labels[20, 10] = "dot"
    content = regime_map_content("x", x, "y", y, labels,
                                 overlays=[{"x": [0, 1], "y": [0.1, 0.1], "label": "y = 0.1"}])
    (dot,) = [r for r in content.regions if r.label == "dot"]
    assert not dot.has_area and list(zip(*dot.marks)) == [(x[20], y[10])]
    raster = paint_png(content)
    img = pixels(raster)
    # the marker: the outcome's own colour, opaque, at its grid point
    assert np.abs(seen_at(raster, img, x[20], y[10], r=1) - rgb(dot.color)).max() < 0.05
    # the curve: black dashes on the fill, with gaps
    cols = [raster.pixel(v, 0.1) for v in np.linspace(0.05, 0.95, 400)]
    darkest = np.array([img[r - 1:r + 2, c].min() for c, r in cols])
    assert (darkest < 0.2).mean() > 0.5 and (darkest > 0.6).mean() > 0.1


def test_the_matplotlib_and_pillow_painters_agree_on_the_regions(bands):
    """The same content painted both ways: the same colour at the centre of each band."""
    from negosim.present.figures.regime_map import paint_figure
    from negosim.present.figures.save import figure_bytes

    x, y, labels = bands
    content = regime_map_content("p", x, "mu", y, labels)
    raster = paint_png(content)
    mine = pixels(raster)
    theirs = np.asarray(Image.open(io.BytesIO(figure_bytes(paint_figure(content), "png"))).convert("RGB")) / 255
    assert abs(mine.shape[0] - theirs.shape[0]) < 0.05 * theirs.shape[0]
    assert abs(mine.shape[1] - theirs.shape[1]) < 0.05 * theirs.shape[1]
    for k, at_y in enumerate([0.05, 0.15, 0.25]):
        assert np.abs(seen_at(raster, mine, 0.5, at_y) - fill_colour(k)).max() < 0.03
    # matplotlib's figure shows the same three fills somewhere in its plot
    found = {tuple(np.round(c, 2)) for c in theirs.reshape(-1, 3)[::97]}
    for k in range(3):
        assert any(np.abs(np.array(c) - fill_colour(k)).max() < 0.02 for c in found)


def test_painting_is_deterministic(bands):
    x, y, labels = bands
    assert paint_png(regime_map_content("p", x, "mu", y, labels)).png == \
        paint_png(regime_map_content("p", x, "mu", y, labels)).png


def test_a_png_sweep_imports_no_matplotlib(tmp_path):
    code = f"""
import sys
from negosim.cli import main
code = main(["sweep", {str(ROOT / "scenarios/ceasefire_2025.yaml")!r}, "--vary", "p=0.2:0.8:41", "--vary",
             "mu=0:0.3:31", "-o", {str(tmp_path / "out")!r}, "--quiet"])
print(code, sorted(m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip().splitlines()[-1] == "0 []"
    png = tmp_path / "out" / "regime-map-p-mu.png"
    with Image.open(png) as im:
        assert im.format == "PNG" and im.size[0] > 900 and im.size[1] > 900


def test_svg_still_comes_from_matplotlib_with_the_same_content(tmp_path):
    from negosim.cli import main

    out = tmp_path / "out"
    argv = ["sweep", str(ROOT / "scenarios/ceasefire_2025.yaml"), "--vary", "p=0.2:0.8:21", "--vary", "mu=0:0.3:21",
            "-o", str(out), "--quiet", "--figures", "png,svg"]
    assert main(argv) == 0
    svg = (out / "regime-map-p-mu.svg").read_text()
    assert "<svg" in svg and 'id="regime-0-truce_aid"' in svg
    assert (out / "regime-map-p-mu.png").read_bytes()[:4] == b"\x89PNG"


def test_first_in_blocks_finds_what_a_search_of_every_point_finds():
    """The points to mark, one per block: the first of the outcome in each block in row-major order, in
    row-major order, as the search over every point (nonzero, then the first of each block) found them."""
    from negosim.present.figures.regime_geometry import first_in_blocks

    def every_point(codes, k, step):
        i, j = np.nonzero(codes == k)
        block = (i // step[0]) * (codes.shape[1] // step[1] + 1) + j // step[1]
        _, keep = np.unique(block, return_index=True)
        keep.sort()
        return i[keep], j[keep]

    rng = np.random.default_rng(0)
    for t in range(200):
        h, w = (int(v) for v in rng.integers(1, 50, 2))
        codes = rng.integers(0, int(rng.integers(1, 5)), size=(h, w))
        if t % 3 == 0:
            codes = (np.add.outer(np.arange(h), np.arange(w)) // int(rng.integers(1, 20))) % 3
        step = (int(rng.integers(1, 9)), int(rng.integers(1, 9)))
        for k in range(4):
            want, got = every_point(codes, k, step), first_in_blocks(codes, k, step)
            assert np.array_equal(want[0], got[0]) and np.array_equal(want[1], got[1])
