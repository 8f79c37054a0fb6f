"""The optional compiled kernels (`negosim.native`): built where they should be, switched off on request.

CI exports NEGOSIM_REQUIRE_NATIVE=1, so there a kernel that failed to build fails this test instead of
silently leaving the numpy path to run; elsewhere (no C compiler) negosim runs without them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from negosim import native

KERNELS = sorted(p.stem for p in (Path(native.__file__).parent).glob("*.c"))


def test_every_c_file_is_a_kernel_the_loader_knows():
    assert KERNELS, "negosim/native has no C kernels"


@pytest.mark.parametrize("name", KERNELS)
def test_each_kernel_loads_where_it_was_built_and_is_required(name, monkeypatch):
    monkeypatch.delenv("NEGOSIM_NATIVE", raising=False)
    module = native.load(name)
    if os.environ.get("NEGOSIM_REQUIRE_NATIVE") == "1":
        assert module is not None, f"negosim/native/{name}.c was not built (is a C compiler installed?)"
    if module is not None:
        assert module.__name__ == f"negosim.native._{name}"
    monkeypatch.setenv("NEGOSIM_NATIVE", "0")
    assert native.load(name) is None
