"""The regime map's faster paths give what the slower ones gave: contours from contourpy's serial generator
built directly (no numpy.ma) equal `contourpy.contour_generator`'s, point for point."""

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from negosim.present.figures.regime_geometry import _serial_generator, side_fields

ROOT = Path(__file__).resolve().parents[1]


def _fields(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fields as the regime map contours them: random or banded codes, smoothed or not, refined or not."""
    rng = np.random.default_rng(seed)
    nx, ny = (int(v) for v in rng.integers(2, 40, 2))
    k = int(rng.integers(2, 5))
    if seed % 2:  # random codes: many small regions, holes and islands
        codes = rng.integers(0, k, size=(nx, ny))
    else:  # bands across the grid at a slant, as a sweep's regions lie
        codes = (np.add.outer(np.arange(nx) * int(rng.integers(1, 4)), np.arange(ny)) // int(rng.integers(2, 15))) % k
    sigma = None if seed % 3 == 0 else (float(rng.uniform(0.5, 2)), float(rng.uniform(0.5, 2)))
    refine = (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
    fields = side_fields(codes, k, sigma, refine)
    x = np.cumsum(rng.uniform(0.1, 1, fields.shape[1]))  # uneven, strictly ascending steps
    y = np.cumsum(rng.uniform(0.1, 1, fields.shape[2]))
    return x, y, fields


@pytest.mark.parametrize("seed", range(60))
def test_the_direct_serial_generator_contours_as_contour_generator_does(seed):
    import contourpy

    x, y, fields = _fields(seed)
    my, mx = np.meshgrid(y, x)
    for g in fields:
        z = np.ascontiguousarray(g, dtype=np.float64)
        want = contourpy.contour_generator(my, mx, z, fill_type=contourpy.FillType.OuterOffset,
                                           line_type=contourpy.LineType.Separate)
        got = _serial_generator(my, mx, z)
        (wp, wo), (gp, go) = want.filled(0.0, 2.0), got.filled(0.0, 2.0)
        assert len(wp) == len(gp) and all(np.array_equal(a, b) for a, b in zip(wp, gp))
        assert all(np.array_equal(a, b) for a, b in zip(wo, go))
        wl, gl = want.lines(0.0), got.lines(0.0)
        assert len(wl) == len(gl) and all(np.array_equal(a, b) for a, b in zip(wl, gl))


def test_a_png_sweep_imports_neither_matplotlib_nor_numpy_ma_nor_tempfile(tmp_path):
    code = f"""
import sys
from negosim.cli import main
code = main(["sweep", {str(ROOT / "scenarios/ceasefire_2025.yaml")!r}, "--vary", "p=0.2:0.8:41", "--vary",
             "mu=0:0.3:31", "-o", {str(tmp_path / "out")!r}, "--quiet"])
print(code, sorted(m for m in sys.modules if m.split(".")[0] in ("matplotlib", "tempfile")
                   or m.split(".")[:2] == ["numpy", "ma"]))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip().splitlines()[-1] == "0 []"
    assert (tmp_path / "out" / "regime-map-p-mu.png").read_bytes()[:4] == b"\x89PNG"


def _blend_everywhere(part: np.ndarray, color: np.ndarray, cover: np.ndarray) -> None:
    """The compositing every pixel of the box, as `blend` did before it skipped bare pixels."""
    cover = cover[:part.shape[0], :part.shape[1], None]
    part[:] = np.rint(part + (color * 255 - part) * cover).astype(np.uint8)


@pytest.mark.parametrize("seed", range(40))
def test_blend_gives_the_bytes_of_compositing_every_pixel(seed):
    from negosim.present.figures.regime_pixels import blend

    rng = np.random.default_rng(seed)
    h, w = (int(v) for v in rng.integers(1, 30, 2))
    part = rng.integers(0, 256, size=(h, w, 3), dtype=np.uint8)
    cover = rng.uniform(0, 1, size=(h + int(rng.integers(0, 3)), w + int(rng.integers(0, 3)))).astype(np.float32)
    cover[rng.uniform(size=cover.shape) < rng.uniform(0.5, 1.0)] = 0  # mostly bare, as a stroke's box is
    color = rng.uniform(0, 1, 3)
    want, got = part.copy(), part.copy()
    _blend_everywhere(want, color, cover)
    blend(got, color, cover)
    assert np.array_equal(want, got)


def test_region_colours_are_the_table_lookup_by_rows():
    from negosim.present.figures.regime_pixels import region_colours

    rng = np.random.default_rng(1)
    colours, ink = rng.uniform(0, 1, (4, 3)), rng.uniform(0, 1, 3)
    index = rng.integers(0, 4, size=(37, 53)).astype(np.int16)
    shade = rng.integers(0, 256, size=(37, 53)).astype(np.uint8)
    level = np.arange(256, dtype=np.float32)[None, :, None] / 255
    flat = np.rint((colours[:, None, :] + (ink - colours[:, None, :]) * level) * 255).astype(np.uint8).reshape(-1, 3)
    assert np.array_equal(region_colours(colours, ink, index, shade),
                          np.take(flat, index.astype(np.intp) * 256 + shade, axis=0))


@pytest.mark.parametrize("n, pixels", [(2, 960.0), (961, 960.0), (962, 960.0), (1000, 960.0), (1000, 720.0),
                                       (4000, 960.0), (1441, 720.0)])
def test_thin_out_keeps_both_ends_and_at_most_one_grid_value_per_pixel(n, pixels):
    from negosim.present.figures.regime_geometry import thin_out

    kept = thin_out(n, pixels)
    assert kept[0] == 0 and kept[-1] == n - 1 and np.all(np.diff(kept) > 0)
    assert len(kept) == n if n <= pixels + 1 else len(kept) <= pixels + 1
    assert np.diff(kept).max() <= max(1, -(-(n - 1) // int(pixels)))  # no gap wider than a pixel's worth


@pytest.mark.parametrize("seed", range(30))
def test_straight_vertices_dropped_are_those_inserted_along_straight_runs(seed):
    """Vertices inserted at grid steps along a polyline's segments are dropped again; its corners stay."""
    from negosim.present.figures.regime_pixels import without_straight_vertices

    rng = np.random.default_rng(seed)
    corners = np.cumsum(rng.integers(-5, 6, size=(int(rng.integers(2, 8)), 2)), axis=0).astype(float)
    keep = np.concatenate([[True], np.any(np.diff(corners, axis=0) != 0, axis=1)])
    corners = corners[keep]  # no repeated points
    if len(corners) > 2:  # no corner that is itself straight or a reversal on a line
        d0, d1 = corners[1:-1] - corners[:-2], corners[2:] - corners[1:-1]
        turn = (d0[:, 0] * d1[:, 1] != d0[:, 1] * d1[:, 0]) | ((d0 * d1).sum(axis=1) < 0)
        corners = corners[np.concatenate([[True], turn, [True]])]
    dense = [corners[0]]
    for a, b in zip(corners[:-1], corners[1:]):
        steps = math.gcd(*(int(v) for v in np.abs(b - a)))  # whole grid points along the segment, exactly
        dense.extend(a + (b - a) // steps * k for k in range(1, steps + 1))
    assert np.array_equal(without_straight_vertices(np.array(dense)), corners)
