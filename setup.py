"""Build script for negosim's optional compiled kernels (everything else is in pyproject.toml).

Each C file ``negosim/native/NAME.c`` becomes the extension module ``negosim.native._NAME``. They are
optional: where no C compiler is found, pip skips them with a warning and negosim runs the same
computations with numpy (`negosim.native.load` returns None then). The C code uses only the Python C
API and the buffer protocol, so the build needs no numpy headers.
"""

import sys
from pathlib import Path

from setuptools import Extension, setup

# No fused multiply-add: the kernels repeat numpy's arithmetic operation for operation, with the same roundings.
FLAGS = [] if sys.platform == "win32" else ["-O3", "-std=c99", "-ffp-contract=off"]

setup(ext_modules=[Extension(f"negosim.native._{source.stem}", [source.as_posix()], optional=True,
                             extra_compile_args=FLAGS)
                   for source in sorted(Path("negosim/native").glob("*.c"))])
