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
    if os.environ is _ENVIRON and _LIVE is not None:
        return _LIVE.get(_KEY) != _OFF
    return os.environ.get("NEGOSIM_NATIVE", "1") != "0"


# The switch is read on every call of a small game's solve (about 1 µs through `os.environ.get`, which
# encodes the key and decodes the value each time): CPython's `os.environ` keeps the variables in one
# dict of encoded keys and values (`_data`), updated in place by every change made through it (setenv,
# monkeypatch.setenv, `del`, `update`), so reading that dict sees the same value for a tenth of the cost.
# Where `os.environ` is not that object (replaced, another Python), the public mapping is read instead.
_ENVIRON = os.environ
_LIVE: dict | None = getattr(os.environ, "_data", None)
_KEY, _OFF = os.environ.encodekey("NEGOSIM_NATIVE"), os.environ.encodevalue("0")


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
