"""What a sweep is: its identity (everything its results depend on), the hash of it, and ``sweep.json``.

A sweep folder is never trusted blindly. ``sweep.json`` holds the sweep's identity and its SHA-256, and
every chunk, ``manifest.json`` and a resume compare that hash. The identity keeps the *order* of the
varied parameters (it decides the CSV columns and which parameter varies slowest), so ``--vary p=...
--vary mu=...`` is a different sweep from ``--vary mu=... --vary p=...``; overrides are a set of
assignments, so their order does not matter.

>>> a = SweepIdentity("0" * 64, (("s", 0.1),), "grid", (("mu", 0.0, 0.3, 61), ("p", 0.2, 0.8, 7)), None, None, 10)
>>> b = SweepIdentity("0" * 64, (("s", 0.1),), "grid", (("p", 0.2, 0.8, 7), ("mu", 0.0, 0.3, 61)), None, None, 10)
>>> a.sha256 == b.sha256
False
>>> differences(a, b)
"--vary names mu, p here but p, mu in the folder, and the order decides the columns: give them in the folder's order"
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..errors import NegosimInputError, Problem, UsageError
from ..records import dataclass  # (frozen dataclasses made with less compiling: negosim.records)

#: The layout of a sweep folder this version writes and reads (chunk sidecars, checksums in manifest.json).
FORMAT = 2
RECORD = "sweep.json"


class DamagedFolderError(NegosimInputError):
    """A sweep folder whose files do not match what was written (exit code 3, one line naming the file).

    Parameters
    ----------
    path : Path or str
        The file at fault.
    message : str
        What is wrong with it.

    Examples
    --------
    >>> print(DamagedFolderError("out/sweep.json", "missing"))
    out/sweep.json: missing
    """

    def __init__(self, path: Path | str, message: str):
        super().__init__(Problem(message, file=str(path)))


@dataclass(frozen=True)
class SweepIdentity:
    """Everything a sweep's results depend on.

    Parameters
    ----------
    scenario_sha256 : str
        The scenario file's SHA-256.
    overrides : tuple of (name, value)
        ``--set`` values, sorted by name.
    design : str
        grid, lhs or sobol.
    vary : tuple of (name, start, stop, num)
        The varied parameters in the order given (num None for a random design).
    samples, seed : int or None
        A random design's size and seed.
    chunk_size : int
        Points per chunk (chunk files are numbered by it).
    negosim : str
        The version that solves the points.
    concepts, lambdas : tuple
        Concepts added as columns (``qre``, ``ce``; `negosim.sweep.concept_columns`) and qre's
        precisions; recorded only when given, so other sweeps' identities are unchanged.
    table : {"csv", "parquet"}
        The format of the result table (`negosim.sweep.chunks`): its chunk files differ. Recorded only
        when not "csv", so the folders of earlier versions (all CSV) keep their identity and resume.

    Examples
    --------
    >>> a = SweepIdentity("0" * 64, (("s", 0.1),), "grid", (("mu", 0.0, 0.3, 61),), None, None, 10)
    >>> SweepIdentity.from_dict(a.to_dict()) == a
    True
    >>> len(a.sha256)
    64
    """

    scenario_sha256: str
    overrides: tuple[tuple[str, float], ...]
    design: str
    vary: tuple[tuple[str, float, float, int | None], ...]
    samples: int | None
    seed: int | None
    chunk_size: int
    negosim: str = ""
    format: int = FORMAT
    concepts: tuple[str, ...] = ()
    lambdas: tuple[float, ...] = ()
    table: str = "csv"

    def __post_init__(self) -> None:
        if not self.negosim:
            from .. import __version__

            object.__setattr__(self, "negosim", __version__)

    def to_dict(self) -> dict:
        """The identity as JSON-ready data (lists in their order)."""
        return {"format": self.format, "negosim": self.negosim, "scenario_sha256": self.scenario_sha256,
                "overrides": [[k, v] for k, v in self.overrides], "design": self.design,
                "vary": [list(v) for v in self.vary], "samples": self.samples, "seed": self.seed,
                "chunk_size": self.chunk_size,
                **({"concepts": list(self.concepts), "lambdas": list(self.lambdas)} if self.concepts else {}),
                **({"table": self.table} if self.table != "csv" else {})}

    @property
    def sha256(self) -> str:
        """The SHA-256 of the canonical JSON of `to_dict` (sorted keys, no spaces)."""
        return hashlib.sha256(canonical_json(self.to_dict()).encode()).hexdigest()

    @classmethod
    def from_dict(cls, data: dict) -> SweepIdentity:
        """Rebuild an identity from `to_dict`'s output; raises KeyError, TypeError or ValueError if malformed."""
        vary = tuple((str(n), float(a), float(b), None if k is None else int(k)) for n, a, b, k in data["vary"])
        overrides = tuple((str(k), float(v)) for k, v in data["overrides"])
        ident = cls(str(data["scenario_sha256"]), overrides, str(data["design"]), vary,
                    None if data["samples"] is None else int(data["samples"]),
                    None if data["seed"] is None else int(data["seed"]), int(data["chunk_size"]),
                    str(data["negosim"]), int(data["format"]), tuple(str(c) for c in data.get("concepts", ())),
                    tuple(float(v) for v in data.get("lambdas", ())), str(data.get("table", "csv")))
        if ident.table not in ("csv", "parquet"):
            raise ValueError(f"unknown table format {ident.table!r}")
        if not ident.negosim:
            raise ValueError("no negosim version")
        return ident


def canonical_json(obj) -> str:
    """`obj` as JSON with sorted keys and no spaces: equal data, equal text (NaN refused).

    Parameters
    ----------
    obj : object
        JSON-ready data.

    Returns
    -------
    str
        The canonical JSON text.

    Examples
    --------
    >>> canonical_json({"b": 1, "a": [1, 2]})
    '{"a":[1,2],"b":1}'
    """
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), allow_nan=False)


def make_identity(scenario_sha256: str, overrides: dict[str, float], design: str,
                  vary: dict[str, tuple[float, float, int | None]], samples: int | None, seed: int | None,
                  chunk_size: int, concepts: tuple[str, ...] = (), lambdas: tuple[float, ...] = (),
                  table: str = "csv") -> SweepIdentity:
    """Return the identity of a sweep from `run_sweep`'s arguments (overrides sorted, vary in its order).

    Parameters
    ----------
    scenario_sha256 : str
        The scenario file's SHA-256.
    overrides : dict
        ``--set`` values.
    design : str
        grid, lhs or sobol.
    vary : dict
        Parameter -> ``(start, stop, num)`` (num None for a random design), in the order given.
    samples, seed : int or None
        A random design's size and seed.
    chunk_size : int
        Points per chunk.
    concepts : tuple of str
        Concepts added as columns.
    lambdas : tuple of float
        qre's precisions.
    table : {"csv", "parquet"}
        The result table's format.

    Returns
    -------
    SweepIdentity

    Examples
    --------
    >>> a = make_identity("0" * 64, {"s": 0.1}, "grid", {"mu": (0.0, 0.3, 61)}, None, None, 10)
    >>> a.vary, a.overrides
    ((('mu', 0.0, 0.3, 61),), (('s', 0.1),))
    """
    return SweepIdentity(scenario_sha256, tuple(sorted((str(k), float(v)) for k, v in overrides.items())), design,
                         tuple((str(n), float(a), float(b), None if k is None else int(k))
                               for n, (a, b, k) in vary.items()),
                         None if samples is None else int(samples), None if seed is None else int(seed),
                         int(chunk_size), concepts=tuple(concepts), lambdas=tuple(float(v) for v in lambdas),
                         table=str(table))


def record(identity: SweepIdentity, scenario_path: str) -> dict:
    """The content of ``sweep.json``: the identity and its hash, and the same facts in the readable
    form earlier versions wrote (checked against the identity when read).

    Parameters
    ----------
    identity : SweepIdentity
        The sweep's identity.
    scenario_path : str
        The scenario file's path, as given.

    Returns
    -------
    dict
        JSON-ready content of ``sweep.json``.

    Examples
    --------
    >>> a = make_identity("0" * 64, {"s": 0.1}, "grid", {"mu": (0.0, 0.3, 61)}, None, None, 10)
    >>> r = record(a, "scenarios/entry_deterrence.yaml")
    >>> r["identity_sha256"] == a.sha256, r["vary"]
    (True, {'mu': [0.0, 0.3, 61]})
    """
    return {"format": FORMAT, "identity": identity.to_dict(), "identity_sha256": identity.sha256,
            **_readable(identity), "scenario": scenario_path}


def _readable(identity: SweepIdentity) -> dict:
    out = {"scenario_sha256": identity.scenario_sha256, "design": identity.design,
           "vary": {n: [a, b, k] if identity.design == "grid" else [a, b] for n, a, b, k in identity.vary},
           "overrides": dict(identity.overrides), "chunk_size": identity.chunk_size}
    if identity.design != "grid":
        out.update(samples=identity.samples, seed=identity.seed)
    return out


def read_record(folder: Path) -> SweepIdentity:
    """Return the identity recorded in ``folder/sweep.json``, verified against its hash.

    Raises DamagedFolderError (one line naming the file) if the file is unreadable, not JSON, from an
    earlier negosim without checksums, or its identity does not match its hash or its readable copy.

    Parameters
    ----------
    folder : Path
        The sweep's folder.

    Returns
    -------
    SweepIdentity

    Raises
    ------
    DamagedFolderError
        If ``sweep.json`` is missing, unreadable, of an earlier format, or does not verify.

    Examples
    --------
    >>> import json
    >>> import tempfile
    >>> from pathlib import Path
    >>> a = make_identity("0" * 64, {"s": 0.1}, "grid", {"mu": (0.0, 0.3, 61)}, None, None, 10)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = (Path(folder) / RECORD).write_text(json.dumps(record(a, "s.yaml")))
    ...     read_record(folder) == a
    True
    """
    path = Path(folder) / RECORD
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise DamagedFolderError(path, "missing: this folder holds no sweep") from None
    except (UnicodeDecodeError, ValueError):
        raise DamagedFolderError(path, "damaged (not valid JSON); the sweep cannot be resumed or plotted from this "
                                 "folder: run it again into a new folder") from None
    if not isinstance(data, dict) or "identity" not in data:
        raise DamagedFolderError(path, "written by an earlier negosim without checksums, or damaged: run the sweep "
                                 "again into a new folder")
    try:
        identity = SweepIdentity.from_dict(data["identity"])
        stored = data["identity_sha256"]
    except (KeyError, TypeError, ValueError):
        raise DamagedFolderError(path, "damaged (the sweep's identity is incomplete); run the sweep again into a "
                                 "new folder") from None
    if identity.format != FORMAT:
        raise DamagedFolderError(path, f"a sweep folder of format {identity.format}; this negosim reads format "
                                 f"{FORMAT}: run the sweep again into a new folder")
    readable = {k: data.get(k) for k in _readable(identity)}
    if stored != identity.sha256 or canonical_json(readable) != canonical_json(_readable(identity)):
        raise DamagedFolderError(path, "damaged (its content does not match its checksum); run the sweep again "
                                 "into a new folder")
    return identity


def differences(asked: SweepIdentity, found: SweepIdentity) -> str:
    """Say in one clause how the sweep `asked` for differs from the one `found` in a folder.

    Parameters
    ----------
    asked : SweepIdentity
        The sweep asked for.
    found : SweepIdentity
        The sweep in the folder.

    Returns
    -------
    str
        The clause (the options that differ).

    Examples
    --------
    >>> a = make_identity("0" * 64, {"s": 0.1}, "grid", {"mu": (0.0, 0.3, 61)}, None, None, 10)
    >>> b = make_identity("0" * 64, {"s": 0.2}, "grid", {"mu": (0.0, 0.3, 61)}, None, None, 10)
    >>> differences(b, a)
    '--set differs'
    """
    names_asked, names_found = [v[0] for v in asked.vary], [v[0] for v in found.vary]
    if names_asked != names_found and sorted(names_asked) == sorted(names_found):
        return (f"--vary names {', '.join(names_asked)} here but {', '.join(names_found)} in the folder, and the order "
                "decides the columns: give them in the folder's order")
    labels = {"scenario_sha256": "the scenario file", "overrides": "--set", "design": "--design", "vary": "--vary",
              "samples": "--samples", "seed": "--seed", "chunk_size": "--chunk-size", "negosim": "the negosim version",
              "format": "the folder format", "table": "--format"}
    a, b = {"table": "csv", **asked.to_dict()}, {"table": "csv", **found.to_dict()}  # a CSV sweep records none
    changed = [labels[k] for k in labels if a[k] != b[k]]
    return f"{', '.join(changed)} differ{'s' if len(changed) == 1 else ''}"


def check_same(asked: SweepIdentity, found: SweepIdentity, folder: Path) -> None:
    """Raise UsageError unless `asked` is the sweep `found` in `folder` (a resume continues one sweep only).

    Parameters
    ----------
    asked : SweepIdentity
        The sweep asked for.
    found : SweepIdentity
        The sweep recorded in the folder.
    folder : Path
        The folder (named in the message).

    Raises
    ------
    NegosimUsageError
        When the two identities' hashes differ.

    Examples
    --------
    >>> a = make_identity("0" * 64, {"s": 0.1}, "grid", {"mu": (0.0, 0.3, 61)}, None, None, 10)
    >>> b = make_identity("0" * 64, {"s": 0.2}, "grid", {"mu": (0.0, 0.3, 61)}, None, None, 10)
    >>> check_same(a, a, "out")
    >>> check_same(b, a, "out")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    negosim.errors.NegosimUsageError: out: the folder holds a different sweep (--set differs); ...
    """
    if asked.sha256 != found.sha256:
        raise UsageError(f"{folder}: the folder holds a different sweep ({differences(asked, found)}); use a new "
                         "folder or repeat that sweep's command")


__all__ = ["FORMAT", "DamagedFolderError", "SweepIdentity", "canonical_json", "check_same", "differences",
           "make_identity", "read_record", "record"]
