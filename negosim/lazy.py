"""Public names of a package imported on first use (PEP 562), so that importing the package stays light.

A package lists where each public name lives and binds the two functions this module makes::

    __getattr__, __dir__ = lazy_exports(__name__, {"run_sweep": ".engine", ...})

The first read of a name imports its module and keeps the value in the package's namespace, so
later reads are ordinary attribute lookups. `negosim`, `negosim.bargain`, `negosim.sweep`,
`negosim.io` and `negosim.present.figures` use it: a sweep of two parameters imports neither the
bargaining models nor the boundary bisection, and ``negosim --help`` imports no numpy-heavy module.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def lazy_exports(package: str, home: Mapping[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The module-level ``__getattr__`` and ``__dir__`` of a package whose public names load on first use.

    Parameters
    ----------
    package : str
        The package's ``__name__`` (it must be in ``sys.modules``: call this from its ``__init__``).
    home : mapping of str to str
        Public name -> the module that defines it, relative to the package (``".engine"``) or absolute.

    Returns
    -------
    tuple of callable
        ``__getattr__(name)``, which imports the name's module, keeps the value in the package's
        namespace and returns it (AttributeError for a name not in `home`), and ``__dir__()``.

    Examples
    --------
    >>> import types, sys
    >>> pkg = types.ModuleType("demo_pkg")
    >>> sys.modules["demo_pkg"] = pkg
    >>> pkg.__getattr__, pkg.__dir__ = lazy_exports("demo_pkg", {"dumps": "json"})
    >>> pkg.dumps([1]), "dumps" in vars(pkg), "dumps" in dir(pkg)
    ('[1]', True, True)
    >>> del sys.modules["demo_pkg"]
    """
    namespace = sys.modules[package].__dict__

    def __getattr__(name: str) -> Any:
        module = home.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(module, package), name)
        namespace[name] = value  # found once: later lookups do not come back here
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(home))

    return __getattr__, __dir__


__all__ = ["lazy_exports"]
