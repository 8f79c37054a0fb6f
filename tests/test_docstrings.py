"""Every public name of the package documents itself in numpydoc form, with examples that run.

Public names: the front door (``negosim.__all__``) and the names in ``__all__`` of every module of the
package. A public function needs a ``Parameters`` section when it takes parameters, a ``Returns`` (or
``Yields``) section when it returns something, and an ``Examples`` section with at least one ``>>>``
line; a public class needs ``Examples`` and, when its constructor takes parameters, ``Parameters`` (or
``Attributes`` for a dataclass whose fields are its parameters). No public example is skipped. The
examples themselves run in CI (``.ci/run``: ``pytest --doctest-modules negosim``).

Every public name is held to it: there is no list of exceptions.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterator

import pytest

import negosim

SKIPPED = re.compile(r"#\s*doctest:.*\+SKIP")


def _section(doc: str, *titles: str) -> bool:
    return any(re.search(rf"^{title}\n-{{{len(title)}}}\s*$", doc, re.MULTILINE) for title in titles)


def _modules() -> Iterator[str]:
    yield "negosim"
    for info in pkgutil.walk_packages(negosim.__path__, "negosim."):
        if not info.name.endswith("__main__"):  # running it is running the CLI
            yield info.name


def _import(name: str):
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:  # an optional extra (classroom, sensitivity) is not installed
        if exc.name and not exc.name.startswith("negosim"):
            return None
        raise


def public_names() -> dict[str, object]:
    """Qualified name (where it is defined) -> object, for every public function and class."""
    found: dict[str, object] = {}
    for module_name in _modules():
        module = _import(module_name)
        if module is None:
            continue
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if inspect.isclass(obj) or inspect.isfunction(obj):
                found.setdefault(f"{obj.__module__}.{obj.__qualname__}", obj)
    return found


def _has_parameters(obj: Callable) -> bool:
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return False
    return any(p.name not in ("self", "cls") for p in signature.parameters.values())


def _returns_value(func: Callable) -> bool:
    annotation = inspect.signature(func).return_annotation
    return annotation not in (inspect.Signature.empty, None, "None", "NoReturn", "Never")


def missing_sections(obj: object) -> list[str]:
    """The numpydoc sections `obj`'s docstring lacks (empty: complete)."""
    doc = inspect.getdoc(obj) or ""
    if inspect.isclass(obj) and obj.__doc__ is None:
        doc = ""  # a class without its own docstring (getdoc would give its base class's)
    missing = []
    if inspect.isfunction(obj):
        if _has_parameters(obj) and not _section(doc, "Parameters"):
            missing.append("Parameters")
        if _returns_value(obj) and not _section(doc, "Returns", "Yields"):
            missing.append("Returns")
    elif _has_parameters(obj) and not issubclass(obj, BaseException) and not _section(doc, "Parameters",
                                                                                        "Attributes"):
        missing.append("Parameters")
    examples = doc.split("Examples\n--------", 1)
    if len(examples) < 2 or ">>>" not in examples[1]:
        missing.append("Examples")
    if SKIPPED.search(doc):
        missing.append("no skipped examples")
    return missing


PUBLIC = public_names()


def test_the_public_api_is_found():
    assert "negosim.frontdoor.load" in PUBLIC
    assert "negosim.solve.result.Solution" in PUBLIC
    assert len(PUBLIC) > 150


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_name_has_numpydoc_sections(name):
    assert missing_sections(PUBLIC[name]) == [], f"{name}: its docstring lacks these sections"


def test_front_door_names_are_documented():
    for name in negosim.__all__:
        obj = getattr(negosim, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert missing_sections(obj) == [], f"negosim.{name}: its docstring lacks these sections"


def test_the_check_rejects_an_undocumented_function():
    def undocumented(x: int) -> int:
        """Twice `x`."""
        return 2 * x

    def documented(x: int) -> int:
        """Twice `x`.

        Parameters
        ----------
        x : int
            A number.

        Returns
        -------
        int
            ``2 * x``.

        Examples
        --------
        >>> documented(2)
        4
        """
        return 2 * x

    assert missing_sections(undocumented) == ["Parameters", "Returns", "Examples"]
    assert missing_sections(documented) == []
