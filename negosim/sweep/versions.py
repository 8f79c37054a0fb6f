"""Installed package versions for a sweep's manifest, read without `importlib.metadata`'s cost.

`importlib.metadata.version` imports the email package and parses every header of a package's
METADATA file; for the half-dozen libraries a manifest names that is tens of milliseconds of a
million-point sweep. The version is the METADATA file's ``Version:`` header, so where the lookup
is plain (directories on ``sys.path``, one ``.dist-info`` folder of that name, no other finder of
distributions) it is read from there directly; in every other case `importlib.metadata` answers.
"""

from __future__ import annotations

import os
import re
import sys
from functools import lru_cache
from importlib import machinery


def installed_version(package: str) -> str | None:
    """The installed version of `package` as `importlib.metadata.version` gives it, None if not installed.

    A sweep's manifest records the versions of the libraries that computed it; this reads them from
    the ``.dist-info`` folders directly where that gives the same answer, and asks
    `importlib.metadata` otherwise.

    Parameters
    ----------
    package : str
        The distribution's name (``-``, ``_`` and ``.`` are interchangeable, case is ignored).

    Returns
    -------
    str or None
        The version string, or None when the package is not installed.

    Examples
    --------
    >>> from importlib import metadata
    >>> installed_version("numpy") == metadata.version("numpy")
    True
    >>> installed_version("no-such-package-negosim") is None
    True
    """
    found = _from_dist_info(package)
    if found is not None:
        return found
    from importlib import metadata  # imports the email package: only when the plain lookup cannot answer

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _from_dist_info(package: str) -> str | None:
    """The Version header of the first ``<package>-*.dist-info/METADATA`` on ``sys.path``, or None when
    anything about the lookup is not plain (then `importlib.metadata` decides)."""
    if any(hasattr(f, "find_distributions") and f is not machinery.PathFinder for f in sys.meta_path):
        return None
    want = _normalized(package)
    for entry in sys.path:
        folder = entry or "."
        if not os.path.isdir(folder):
            if os.path.exists(folder):
                return None  # a zip file or other archive on the path: importlib.metadata looks inside
            continue
        try:
            listing = _infos(folder, os.stat(folder).st_mtime_ns)
        except OSError:
            return None
        hits = listing.get(want, [])
        if not hits:
            continue
        if len(hits) != 1 or not hits[0].lower().endswith(".dist-info"):
            return None
        return _version_header(os.path.join(folder, hits[0], "METADATA"))
    return None


@lru_cache(maxsize=32)
def _infos(folder: str, mtime_ns: int) -> dict[str, list[str]]:
    """The .dist-info and .egg-info entries of `folder` by normalised package name (cached while the
    folder is unchanged, as importlib.metadata caches its own listing)."""
    infos: dict[str, list[str]] = {}
    for n in os.listdir(folder):
        if n.lower().endswith((".dist-info", ".egg-info")):
            infos.setdefault(_normalized(os.path.splitext(n)[0].partition("-")[0]), []).append(n)
    return infos


def _version_header(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    return None  # the headers end at the first blank line
                if line.startswith("Version:"):
                    return line[len("Version:"):].strip()
    except (OSError, UnicodeDecodeError):
        return None
    return None


__all__ = ["installed_version"]
