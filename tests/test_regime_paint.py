"""The regime map's PNG is the picture it was before the painting was made faster: the same bytes as the
painter of session 7 (commit c720b38) on maps of two to eight outcomes, thinned and smoothed grids, marked
points, curves and a signalling game's kinds, with the compiled kernel (``negosim.native._regime_paint``) and
with the numpy path; and the kernel paints and blends exactly as the numpy code does, on random inputs."""

import hashlib
import io

import numpy as np
import PIL
import pytest
from PIL import Image, features

from negosim.native import load
from negosim.present.figures.regime_content import regime_map_content
from negosim.present.figures.regime_png import paint_png

#: (the PNG's bytes, its decoded pixels): SHA-256 prefixes of the old painter's output, drawn with the
#: versions below (FreeType's rasteriser and zlib's encoder may change a byte in another version).
VERSIONS = ("13.0.0", "2.14.3", "1.2.13")
OLD = {
    "bands-smoothed": ("0569c0846d14237e", "97a9cba60c5f245f"),
    "bands-thinned": ("a2dfd2106496f6d7", "0015cce3b7c0bfef"),
    "two-disc": ("a38162c1a5949209", "b010cd2aeab7965e"),
    "blocks-eight": ("469e1250210948d1", "7d2d0ebd33b5db37"),
    "kinds": ("42ca80210d7e9e76", "a96bd967b3fa013b"),
    "one-outcome": ("ad3a287a828f9ad0", "6aefa49a20fcf96c"),
    "diagonal-four": ("e6d9072d645716d6", "603c0c95f77a66d3"),
}


def _content(name: str):
    """The map `name` of `OLD`."""
    if name == "bands-smoothed":  # 101 x 81: cells of 9 pixels, smoothed and refined; a title and units
        x, y = np.linspace(0.2, 0.8, 101), np.linspace(0, 0.3, 81)
        bands = np.where(y[None, :] < 0.1, "low", np.where(y[None, :] < 0.2, "mid", "high")).repeat(101, 0)
        return regime_map_content("p", x, "mu", y, bands.astype(object), names={"low": "Low", "mid": "Middle"},
                                  title="Three bands", x_description="A probability.", y_unit="bn")
    if name == "bands-thinned":  # 1200 x 900 codes: thinned to a value a pixel, contoured unsmoothed
        x, y = np.linspace(0, 1, 1200), np.linspace(0, 0.3, 900)
        codes = np.where(y[None, :] < 0.1, 2, np.where(y[None, :] < 0.185, 0, 1)).repeat(1200, 0)
        return regime_map_content("p", x, "mu", y, (np.array(["war", "truce", "aid"]), codes),
                                  order=("aid", "truce"), legend_title="equilibrium outcome")
    if name == "two-disc":  # two outcomes, a curved boundary, two curves on top (one outside the range)
        x, y = np.linspace(0, 2, 301), np.linspace(-1, 1, 251)
        two = np.where(x[:, None] ** 2 + y[None, :] ** 2 < 1, "in", "out").astype(object)
        return regime_map_content("a", x, "b", y, two, overlays=[
            {"x": np.linspace(0, 2, 50), "y": np.sin(np.linspace(0, 6, 50)), "label": "a sine curve"},
            {"x": [5.0, 6.0], "y": [5.0, 6.0], "label": "far away"}])
    if name == "blocks-eight":  # eight outcomes in blocks, every hatch, marked points, a one-column legend
        rng = np.random.default_rng(7)
        blocks = rng.integers(0, 6, size=(6, 4)).repeat(5, 0).repeat(5, 1)
        blocks[3, 7], blocks[17, 2] = 6, 7  # isolated points: marked
        return regime_map_content("u", np.linspace(0, 1, 30), "v", np.linspace(0, 1, 20),
                                  (np.array([f"o{k}" for k in range(8)]), blocks),
                                  names={"o6": "a very long outcome name that needs the legend in one column"})
    x, y = np.linspace(0, 1, 41), np.linspace(0, 1, 31)
    if name == "kinds":  # a signalling game: its kinds' edges dotted and named on top
        sig = np.where(x[:, None] + y[None, :] > 1, "pool", "sep").astype(object)
        kinds = np.where(x[:, None] > 0.5, "pooling", "separating").astype(object) * np.ones((1, 31), dtype=object)
        return regime_map_content("q", x, "c", y, sig, kinds=kinds, title="A signalling game")
    if name == "one-outcome":
        return regime_map_content("q", x, "c", y, np.full((41, 31), "peace", dtype=object))
    # four outcomes in diagonal stripes, 500 x 400: cells of 2 pixels, smoothed
    diag = (np.add.outer(np.arange(500), 2 * np.arange(400)) // 170) % 4
    return regime_map_content("s", np.linspace(0, 1, 500), "t", np.linspace(0, 1, 400), (np.array(list("abcd")), diag))


def _digests(png: bytes) -> tuple[str, str]:
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    return hashlib.sha256(png).hexdigest()[:16], hashlib.sha256(pixels.tobytes()).hexdigest()[:16]


@pytest.mark.skipif((PIL.__version__, features.version("freetype2"), __import__("zlib").ZLIB_RUNTIME_VERSION)
                    != VERSIONS, reason="the recorded PNGs were drawn with Pillow, FreeType and zlib " + str(VERSIONS))
@pytest.mark.parametrize("native", [True, False], ids=["kernel", "numpy"])
@pytest.mark.parametrize("name", list(OLD))
def test_the_png_is_byte_for_byte_the_old_painters(name, native, monkeypatch):
    if native and load("regime_paint") is None:
        pytest.skip("negosim.native._regime_paint is not built")
    if not native:
        monkeypatch.setenv("NEGOSIM_NATIVE", "0")
    assert _digests(paint_png(_content(name)).png) == OLD[name]


@pytest.mark.parametrize("seed", range(12))
def test_png_bytes_are_zlibs_single_call_on_the_filtered_rows(seed):
    """The rows handed to zlib one by one (from a view into a larger canvas) give the file one call gives."""
    import struct
    import zlib

    from negosim.present.figures.regime_png import png_bytes

    rng = np.random.default_rng(seed)
    h, w = (int(v) for v in rng.integers(1, 300, 2))
    canvas = np.full((h + 4, w + 5, 3), 255, np.uint8)
    pixels = canvas[2:2 + h, 3:3 + w]
    pixels[:] = rng.integers(0, 256, size=(h, w, 3)) * (rng.uniform(size=(h, w, 1)) < 0.1)
    data = png_bytes(pixels, 150)
    raw = np.zeros((h, 1 + 3 * w), np.uint8)
    raw[:, 1:] = pixels.reshape(h, 3 * w)
    idat = zlib.compress(raw.tobytes(), 1)
    assert data[33 + 21:33 + 21 + 8] == struct.pack(">I", len(idat)) + b"IDAT"  # after the IHDR and pHYs chunks
    assert data[33 + 21 + 8:33 + 21 + 8 + len(idat)] == idat
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(data))), pixels)


def test_the_kernel_and_numpy_paint_the_same_bytes(monkeypatch):
    """Whatever the versions: both paths give the same file (drawn once each, same process)."""
    if load("regime_paint") is None:
        pytest.skip("negosim.native._regime_paint is not built")
    for name in ("blocks-eight", "two-disc"):
        kernel = paint_png(_content(name)).png
        monkeypatch.setenv("NEGOSIM_NATIVE", "0")
        assert paint_png(_content(name)).png == kernel
        monkeypatch.delenv("NEGOSIM_NATIVE")


def _painted(content, rng, native: bool, monkeypatch) -> np.ndarray:
    from negosim.present.figures.regime_pixels import paint_regions

    k = len(content.regions)
    colours = rng.uniform(0, 1, (k, 3)).astype(np.float32)
    ink = rng.uniform(0, 1, 3).astype(np.float32)
    n = int(rng.integers(1, 40))
    tiles = rng.integers(0, 256, size=(k, n, n)).astype(np.uint8)
    tiles[rng.uniform(size=k) < 0.3] = 0  # regions without hatch
    w, h = (int(v) for v in rng.integers(1, 120, 2))
    left, top = int(rng.integers(0, 5)), int(rng.integers(0, 5))
    canvas = np.full((top + h + int(rng.integers(0, 4)), left + w + int(rng.integers(0, 4)), 3), 7, np.uint8)
    if native:
        monkeypatch.delenv("NEGOSIM_NATIVE", raising=False)
    else:
        monkeypatch.setenv("NEGOSIM_NATIVE", "0")
    paint_regions(canvas, left, top, w, h, content, colours, ink, tiles)
    return canvas


@pytest.mark.parametrize("seed", range(40))
def test_the_kernel_paints_regions_as_numpy_does(seed, monkeypatch):
    """Random outcome grids (smoothed or not, two to six outcomes, one outcome), plot sizes, tiles, colours."""
    if load("regime_paint") is None:
        pytest.skip("negosim.native._regime_paint is not built")
    rng = np.random.default_rng(seed)
    nx, ny = (int(v) for v in rng.integers(2, 60, 2))
    if seed % 4 == 3:  # more values than pixels: contoured unsmoothed, the fields int8 signs
        nx, ny = int(rng.integers(962, 1100)), int(rng.integers(722, 800))
    k = 1 if seed % 10 == 0 else int(rng.integers(2, 7))
    if seed % 4 == 1:  # random codes: many small regions
        codes = rng.integers(0, k, size=(nx, ny))
    else:  # bands at a slant (on a large grid, random codes would take long to contour)
        codes = (np.add.outer(np.arange(nx), np.arange(ny)) // max(7, nx // 9)) % k
    x, y = np.cumsum(rng.uniform(0.1, 1, nx)), np.cumsum(rng.uniform(0.1, 1, ny))
    content = regime_map_content("x", x, "y", y, (np.array([f"o{i}" for i in range(k)]), codes))
    if seed % 4 == 3 and k > 1:
        assert content.field_grid is not None and content.field_grid[2].dtype == np.int8
    want = _painted(content, np.random.default_rng(seed), False, monkeypatch)
    got = _painted(content, np.random.default_rng(seed), True, monkeypatch)
    assert np.array_equal(want, got)


@pytest.mark.parametrize("seed", range(40))
def test_the_kernel_blends_as_numpy_does(seed, monkeypatch):
    """Covers mostly bare or dense, rows of the canvas anywhere (a view), float32 colours."""
    from negosim.present.figures.regime_pixels import blend

    if load("regime_paint") is None:
        pytest.skip("negosim.native._regime_paint is not built")
    rng = np.random.default_rng(seed)
    h, w = (int(v) for v in rng.integers(1, 40, 2))
    canvas = rng.integers(0, 256, size=(h + 6, w + 6, 3), dtype=np.uint8)
    cover = rng.uniform(0, 1, size=(h + int(rng.integers(0, 3)), w + int(rng.integers(0, 3)))).astype(np.float32)
    cover[rng.uniform(size=cover.shape) < rng.uniform(0, 1)] = 0
    color = rng.uniform(0, 1, 3).astype(np.float32)
    want, got = canvas.copy(), canvas.copy()
    monkeypatch.setenv("NEGOSIM_NATIVE", "0")
    blend(want[3:3 + h, 2:2 + w], color, cover)
    monkeypatch.delenv("NEGOSIM_NATIVE")
    blend(got[3:3 + h, 2:2 + w], color, cover)
    assert np.array_equal(want, got)


def test_the_kernel_refuses_what_it_cannot_paint_without_crashing():
    kernel = load("regime_paint")
    if kernel is None:
        pytest.skip("negosim.native._regime_paint is not built")
    canvas = np.zeros((4, 4, 3), np.uint8)
    best, tiles, table = np.zeros((2, 2), np.int16), np.zeros((1, 2, 2), np.uint8), np.zeros((256, 3), np.uint8)
    cells, weights = np.zeros(2, np.int64), np.zeros(2, np.float32)

    def regions(**change):
        args = dict(canvas=canvas, width=4, height=4, x0=0, y0=0, w=2, h=2, best=best, nx=2, ny=2, fields=None,
                    k=1, ci=cells, cs=weights, rj=cells, rt=weights, tiles=tiles, n=2, table=table)
        args.update(change)
        kernel.regions(*args.values())

    regions()
    with pytest.raises(ValueError, match="inside the canvas"):
        regions(x0=3)
    with pytest.raises(ValueError, match="outside the grid"):
        regions(ci=np.array([0, 1], np.int64))
    with pytest.raises(ValueError, match=r"outside \[0, k\)"):
        regions(best=np.array([[0, 1], [0, 0]], np.int16))
    with pytest.raises(ValueError, match="expected 4 items"):
        regions(best=np.zeros(3, np.int16))
    with pytest.raises(TypeError, match="format"):
        regions(fields=np.zeros((1, 2, 2)))  # float64, not float32
    with pytest.raises(ValueError, match="expected 3 items"):
        kernel.blend(canvas, np.zeros(2, np.float32), np.zeros((4, 4), np.float32), 0, 1.0)
    with pytest.raises(ValueError, match="contiguous pixels"):
        kernel.blend(canvas[:, ::2], np.zeros(3, np.float32), np.zeros((4, 2), np.float32), 0, 1.0)
    with pytest.raises(ValueError, match="read-only"):  # numpy's refusal of a writable buffer
        kernel.blend(np.frombuffer(bytes(12), np.uint8).reshape(2, 2, 3), np.zeros(3, np.float32),
                     np.zeros((2, 2), np.float32), 0, 1.0)
    with pytest.raises(ValueError, match="mode"):
        kernel.blend(canvas, np.zeros(3, np.float32), np.zeros((4, 4), np.float32), 3, 1.0)


def test_a_sweeps_regime_map_does_not_import_the_tree_figure(tmp_path):
    import subprocess
    import sys

    import negosim as ns

    folder = tmp_path / "sweep"
    ns.load("scenarios/entry_deterrence.yaml").sweep({"rep": (0, 4, 5), "e": (0, 2, 3)}, out=folder)
    code = f"""
import sys
from negosim.present.figures.sweep_plots import plot_folder
print([p.name for p in plot_folder({str(folder)!r})], "negosim.present.figures.tree" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['regime-map-rep-e.png'] False"


@pytest.mark.parametrize("seed", range(30))
def test_blocks_cut_once_find_the_points_each_outcome_finds_alone(seed):
    """`marked_points_each` (the grid cut into blocks once) marks what `first_in_blocks` finds outcome by
    outcome from the grid itself, for grids that fill their blocks or not, signed or unsigned codes."""
    from negosim.present.figures.regime_geometry import first_in_blocks, in_blocks, marked_points_each

    rng = np.random.default_rng(seed)
    h, w = (int(v) for v in rng.integers(1, 60, 2))
    k = int(rng.integers(1, 5))
    codes = rng.integers(0, k, size=(h, w)).astype(rng.choice([np.int16, np.uint8, np.intp]))
    step = (int(rng.integers(1, 9)), int(rng.integers(1, 9)))
    blocks = in_blocks(codes, step)
    x, y = np.cumsum(rng.uniform(0.1, 1, h)), np.cumsum(rng.uniform(0.1, 1, w))
    marks = marked_points_each(codes, list(range(k)), x, y, [[] for _ in range(k)], step)
    for o in range(k):
        want = first_in_blocks(codes, o, step)
        got = first_in_blocks(codes, o, step, blocks)
        assert all(np.array_equal(a, b) for a, b in zip(want, got))
        assert np.array_equal(marks[o][0], x[want[0]]) and np.array_equal(marks[o][1], y[want[1]])
