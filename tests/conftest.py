"""Shared test fixtures and markers."""

import numpy as np
import pytest


def pytest_configure(config):
    config.addinivalue_line("markers", "oracle: compares negosim with an outside solver (pygambit, nashpy)")


@pytest.fixture
def pygambit():
    """The pygambit module (a test-only oracle); tests using it are skipped when it is missing."""
    return pytest.importorskip("pygambit")


@pytest.fixture
def rng():
    """A fixed-seed random generator, so every test run sees the same games."""
    return np.random.default_rng(20250301)
