"""Optional compiled kernels, and the switch between them and the numpy code that computes the same thing.

``pip install .`` (or ``pip install -e .``) compiles each ``negosim/native/NAME.c`` into the module
``negosim.native._NAME`` when a C compiler is present (``setup.py``). Every kernel has a numpy
counterpart that gives the same answers (bit for bit, except ``bimatrix_small`` beyond 2x2, whose own
elimination gives the same decisions with floats equal within rounding); the callers use `load` and
take the numpy path when it returns None: no compiler at install time, or the environment variable
``NEGOSIM_NATIVE=0`` (the tests set it to check that both paths agree).
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType


def enabled() -> bool:
    """Whether compiled kernels may be used (the environment variable ``NEGOSIM_NATIVE`` is not ``"0"``).

    Returns
    -------
    bool
        False when ``NEGOSIM_NATIVE=0``, else True.

    Examples
    --------
    >>> import os
    >>> os.environ["NEGOSIM_NATIVE"] = "0"
    >>> enabled()
    False
    >>> del os.environ["NEGOSIM_NATIVE"]
    >>> enabled()
    True
    """
    return os.environ.get("NEGOSIM_NATIVE", "1") != "0"


def load(name: str) -> ModuleType | None:
    """The compiled module ``negosim.native._<name>``, or None when it was not built or is switched off.

    Parameters
    ----------
    name : str
        The kernel's name: the stem of its C file in ``negosim/native``.

    Returns
    -------
    module or None
        The extension module; None if ``NEGOSIM_NATIVE=0`` or the module cannot be imported.

    Examples
    --------
    >>> load("no_such_kernel") is None  # never built: the callers take their numpy path
    True
    """
    if not enabled():
        return None
    try:
        return importlib.import_module(f"{__name__}._{name}")
    except ImportError:
        return None


__all__ = ["enabled", "load"]
