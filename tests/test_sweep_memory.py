"""A sweep's memory is bounded by its chunk size, not its grid (issue 13, item 4): what grows with the number
of points is the labels kept for points.npz and the summary, a byte a point, and nothing else.

Measured with tracemalloc, which sees numpy's allocations: the peak of a 4-million-point sweep against a
1-million-point one, both in chunks of 100,000 after a warm-up run (compiling, imports).
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from negosim.scenario import load_scenario
from negosim.sweep.engine import run_sweep
from negosim.sweep.output import count_codes


def _peak(scenario, n: int, folder) -> int:
    tracemalloc.start()
    try:
        run_sweep(scenario, {"p": (0.2, 0.8, n), "mu": (0.0, 0.3, n)}, out_dir=folder, chunk_size=100_000)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_peak_memory_grows_by_about_a_byte_a_point(tmp_path):
    seed = load_scenario("scenarios/ceasefire_2025.yaml")
    _peak(seed, 200, tmp_path / "warm")
    small, big = _peak(seed, 1000, tmp_path / "1M"), _peak(seed, 2000, tmp_path / "4M")
    per_point = (big - small) / 3e6
    # one byte a point for the merged labels; counting them a block at a time (np.bincount of all the codes
    # at once made 8 bytes a point) and keeping each chunk's codes in a byte (not 4) until the end
    assert per_point < 3, f"{per_point:.1f} bytes a point"


@pytest.mark.parametrize("seed", range(5))
def test_count_codes_is_bincount(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 300))
    codes = rng.integers(0, n, size=int(rng.integers(0, 5000))).astype(np.uint8 if n <= 256 else np.uint16)
    block = int(rng.integers(1, 700))
    assert count_codes(codes, n, block=block).tolist() == np.bincount(codes, minlength=n).tolist()
