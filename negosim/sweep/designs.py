"""Sweep designs: which parameter points a sweep visits, and the `--vary NAME=START:STOP[:NUM]` syntax.

Three designs:

- ``grid``: the full factorial of ``np.linspace(start, stop, num)`` per parameter, the first
  parameter varying slowest. Its points are computed chunk by chunk, so a grid of any size costs
  memory in proportion to the chunk only.
- ``lhs``: a Latin hypercube of `samples` points over the boxes ``[start, stop]`` (scipy.stats.qmc).
- ``sobol``: the first `samples` points (a power of 2) of a scrambled Sobol sequence over the boxes.

The random designs are drawn once, up front, from ``numpy.random.SeedSequence(seed)``, so a sweep's
points depend on its seed only, never on how it is chunked or which executor runs it.

>>> grid({"mu": (0.0, 0.2, 3), "s": (0.0, 1.0, 2)})["mu"]
array([0. , 0. , 0.1, 0.1, 0.2, 0.2])
>>> d = Design("lhs", {"mu": (0.0, 0.3, None)}, samples=4, seed=7)
>>> d.total, bool(((d.points(0, 4)["mu"] >= 0) & (d.points(0, 4)["mu"] <= 0.3)).all())
(4, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..errors import UsageError

VARY_SYNTAX = "NAME=START:STOP:NUM, e.g. mu=0:0.3:61"
#: The most points a sweep takes unless its caller raises the bound (`--max-points`): a hundred million
#: points is about 7 minutes, 12 GB of results.csv and 400 MB of labels held at the end.
MAX_POINTS = 100_000_000
#: Seeds are what numpy.random.SeedSequence takes and a fresh one draws: non-negative, below 2**128.
SEED_LIMIT = 2**128
DESIGNS = ("grid", "lhs", "sobol")
RANDOM_VARY_SYNTAX = "NAME=START:STOP, e.g. mu=0:0.3"


@dataclass
class Design:
    """The points of a sweep: `kind` (grid, lhs or sobol) over `vary` ``{name: (start, stop, num)}``.

    For a grid every num is an int >= 2; for lhs and sobol the nums are ignored and `samples`
    points are drawn with `seed` (an int; see the module docstring).

    Parameters
    ----------
    kind : {"grid", "lhs", "sobol"}
    vary : dict
        Parameter name -> ``(start, stop, num)`` (num None for a random design).
    samples, seed : int, optional
        A random design's size and seed.
    max_points : int
        The most points (or random values) accepted.

    Raises
    ------
    NegosimUsageError
        For an unknown design, nothing to vary, a grid without NUM, a random design without
        samples or seed, or too many points.

    Examples
    --------
    >>> d = Design("grid", {"mu": (0.0, 0.2, 3)})
    >>> d.total, d.points(0, 3)["mu"].tolist()
    (3, [0.0, 0.1, 0.2])
    """

    kind: str
    vary: dict[str, tuple[float, float, int | None]]
    samples: int | None = None
    seed: int | None = None
    max_points: int = MAX_POINTS
    _drawn: dict[str, np.ndarray] | None = field(default=None, repr=False)

    def __post_init__(self):
        if self.kind not in DESIGNS:
            raise UsageError(f"unknown design {self.kind!r}; choose from {', '.join(DESIGNS)}")
        if not self.vary:
            raise UsageError("nothing to vary: give --vary or a --sweep from the scenario")
        if self.kind == "grid":
            if self.samples is not None:
                raise UsageError("--samples is for --design lhs or sobol; a grid's size is the product of its NUMs")
            missing = [n for n, (_, _, num) in self.vary.items() if num is None]
            if missing:
                raise UsageError(f"--vary {missing[0]}: a grid needs NUM ({VARY_SYNTAX})")
            self._check_size(self.total, "the grid has {:,} points")
            return
        if self.samples is None or self.samples < 2:
            raise UsageError(f"--design {self.kind} needs --samples N (at least 2)")
        # a random design is drawn in one go: bound its values, not only its points
        self._check_size(self.samples * len(self.vary),
                         f"--samples {self.samples:,} over {len(self.vary)} parameters draws {{:,}} values")
        if self.kind == "sobol" and self.samples & (self.samples - 1):
            below = 1 << (self.samples.bit_length() - 1)
            raise UsageError(f"--samples {self.samples}: a Sobol design needs a power of 2 to keep its balance "
                             f"(try {below} or {below * 2}), or use --design lhs")
        if self.seed is None:
            raise UsageError(f"--design {self.kind} needs a seed")
        if not 0 <= self.seed < SEED_LIMIT:
            raise UsageError(f"--seed {self.seed}: a seed is a whole number from 0 to 2**128 - 1")

    def _check_size(self, size: int, what: str) -> None:
        if size > self.max_points:
            raise UsageError(f"{what.format(size)}, more than the bound of {self.max_points:,}; sweep fewer points, "
                             "or raise the bound with --max-points N if this machine can hold and solve them")

    def _grid_axes(self) -> dict[str, tuple[float, float, int]]:
        """`vary` of a grid, whose every NUM `__post_init__` checked is there."""
        axes: dict[str, tuple[float, float, int]] = {}
        for name, (start, stop, num) in self.vary.items():
            if num is None:  # excluded by __post_init__; a Design mutated afterwards is a bug
                raise AssertionError(f"grid design without NUM for {name!r}")
            axes[name] = (start, stop, num)
        return axes

    def _draw_settings(self) -> tuple[int, int]:
        """``(samples, seed)`` of a random design, both checked by `__post_init__`."""
        if self.samples is None or self.seed is None:
            raise AssertionError(f"{self.kind} design without samples or seed")
        return self.samples, self.seed

    @property
    def total(self) -> int:
        """The number of points."""
        if self.kind == "grid":
            return math.prod(num for _, _, num in self._grid_axes().values())
        return self._draw_settings()[0]

    def points(self, start: int, stop: int) -> dict[str, np.ndarray]:
        """The points numbered ``start`` to ``stop - 1``, as flat arrays per varied parameter."""
        if self.kind == "grid":
            return grid_slice(self._grid_axes(), start, stop)
        if self._drawn is None:
            samples, seed = self._draw_settings()
            self._drawn = _draw(self.kind, self.vary, samples, seed)
        return {k: v[start:stop] for k, v in self._drawn.items()}

    def to_dict(self) -> dict[str, object]:
        """The design as JSON (for sweep.json and manifest.json)."""
        if self.kind == "grid":
            vary = {k: [float(a), float(b), int(n)] for k, (a, b, n) in self._grid_axes().items()}
            return {"design": self.kind, "vary": vary}
        samples, seed = self._draw_settings()
        return {"design": self.kind, "vary": {k: [float(a), float(b)] for k, (a, b, _) in self.vary.items()},
                "samples": samples, "seed": seed}


def _draw(kind: str, vary: dict[str, tuple[float, float, int | None]], samples: int,
          seed: int) -> dict[str, np.ndarray]:
    from scipy.stats import qmc

    rng = np.random.default_rng(np.random.SeedSequence(seed))
    d = len(vary)
    engine = qmc.LatinHypercube if kind == "lhs" else qmc.Sobol
    try:
        sampler = engine(d=d, rng=rng)
    except TypeError:  # scipy < 1.15 names the generator `seed`
        sampler = engine(d=d, seed=rng)
    unit = sampler.random(samples) if kind == "lhs" else sampler.random_base2(int(samples).bit_length() - 1)
    lows = np.array([float(a) for a, _, _ in vary.values()])
    highs = np.array([float(b) for _, b, _ in vary.values()])
    values = lows + unit * (highs - lows)
    return {name: np.ascontiguousarray(values[:, j]) for j, name in enumerate(vary)}


def grid_slice(vary: dict[str, tuple[float, float, int]], start: int, stop: int) -> dict[str, np.ndarray]:
    """Return points ``start`` to ``stop - 1`` of `grid(vary)` without building the whole grid.

    Parameters
    ----------
    vary : dict
        Parameter name -> ``(start, stop, num)``.
    start, stop : int
        The first point and one past the last.

    Returns
    -------
    dict
        Parameter name -> ``(stop - start,)`` values.

    Examples
    --------
    >>> grid_slice({"mu": (0.0, 0.2, 3), "s": (0.0, 1.0, 2)}, 2, 4)["s"].tolist()
    [0.0, 1.0]
    """
    axes = [np.linspace(float(a), float(b), int(n)) for a, b, n in vary.values()]
    if stop <= start:
        return {name: axis[:0].copy() for name, axis in zip(vary, axes)}
    # Runs of one value, not an index per point (20 times faster): the parameter of stride s (the product
    # of the later axes' lengths) holds value q % n over points q*s to (q+1)*s - 1.
    stride = math.prod(len(a) for a in axes)
    out = {}
    for name, axis in zip(vary, axes):
        stride //= len(axis)
        q0, q1 = start // stride, (stop - 1) // stride
        if stride == 1:  # the fastest parameter: its axis over and over, from the start's place
            out[name] = np.resize(np.roll(axis, -(q0 % len(axis))), stop - start)
            continue
        counts = np.full(q1 - q0 + 1, stride, dtype=np.intp)
        counts[0] -= start - q0 * stride
        counts[-1] -= (q1 + 1) * stride - stop
        out[name] = np.repeat(axis[np.arange(q0, q1 + 1) % len(axis)], counts)
    return out


def grid(vary: dict[str, tuple[float, float, int]]) -> dict[str, np.ndarray]:
    """Return the full-factorial grid of `vary` as flat (N,) arrays, the first parameter varying slowest.

    Each parameter takes ``np.linspace(start, stop, num)``; N is the product of the nums.

    Parameters
    ----------
    vary : dict
        Parameter name -> ``(start, stop, num)``.

    Returns
    -------
    dict
        Parameter name -> ``(N,)`` values.

    Examples
    --------
    >>> grid({"mu": (0.0, 0.2, 3), "s": (0.0, 1.0, 2)})["s"].tolist()
    [0.0, 1.0, 0.0, 1.0, 0.0, 1.0]
    """
    if not vary:
        return {}
    axes = [np.linspace(float(a), float(b), int(n)) for a, b, n in vary.values()]
    mesh = np.meshgrid(*axes, indexing="ij")
    return {name: m.reshape(-1) for name, m in zip(vary, mesh)}


def parse_vary(items: list[str], scenario, *, design: str = "grid") -> dict[str, tuple[float, float, int | None]]:
    """Return ``{name: (start, stop, num)}`` from ``--vary`` items, checked against `scenario`.

    A grid takes ``"mu=0:0.3:61"``; the random designs (lhs, sobol) take ``"mu=0:0.3"`` (num None:
    their size is --samples). Raises UsageError (one line) for a malformed item, an unknown
    parameter (with a suggestion), a repeated parameter, a value outside the parameter's declared
    range, NUM below 2, or a NUM given to a random design.

    Parameters
    ----------
    items : list of str
        ``NAME=START:STOP[:NUM]`` strings.
    scenario : Scenario
    design : {"grid", "lhs", "sobol"}

    Returns
    -------
    dict
        Parameter name -> ``(start, stop, num)``.

    Raises
    ------
    NegosimUsageError
        One line naming the problem.

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> sc = load_scenario("scenarios/entry_deterrence.yaml")
    >>> parse_vary(["rep=0:4:5"], sc), parse_vary(["rep=0:4"], sc, design="lhs")
    ({'rep': (0.0, 4.0, 5)}, {'rep': (0.0, 4.0, None)})
    """
    syntax = VARY_SYNTAX if design == "grid" else RANDOM_VARY_SYNTAX
    out: dict[str, tuple[float, float, int | None]] = {}
    for item in items:
        name, sep, spec = item.partition("=")
        name = name.strip()
        parts = spec.split(":")
        if not sep or not name or len(parts) != (3 if design == "grid" else 2):
            if design != "grid" and sep and name and len(parts) == 3:
                raise UsageError(f"--vary {item}: NUM is for grids; a --design {design} sweep draws --samples points "
                                 f"(give {syntax})")
            raise UsageError(f"--vary {item}: expected {syntax}")
        try:
            start, stop = float(parts[0]), float(parts[1])
            num = int(parts[2]) if design == "grid" else None
        except ValueError:
            raise UsageError(f"--vary {item}: START and STOP must be numbers and NUM an integer ({syntax})") from None
        if name in out:
            raise UsageError(f"--vary {item}: {name!r} is varied twice")
        out[name] = (start, stop, num)
        check_vary({name: out[name]}, scenario, shown=f"--vary {item}")
    return out


def declared_ranges(scenario) -> dict[str, tuple[float, float, None]]:
    """Every parameter whose declared range is not a single value, over that range (for random designs).

    Parameters
    ----------
    scenario : Scenario

    Returns
    -------
    dict
        Parameter name -> ``(low, high, None)``.

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> sc = load_scenario("scenarios/entry_deterrence.yaml")
    >>> declared_ranges(sc)["rep"]
    (0.0, 10.0, None)"""
    return {n: (p.low, p.high, None) for n, p in scenario.parameters.items() if p.high > p.low}


def check_vary(vary: dict[str, tuple[float, float, int | None]], scenario, shown: str | None = None) -> None:
    """Raise UsageError unless every varied name is a parameter of `scenario`, inside its range, with num >= 2
    (num None: a random design's range).

    Parameters
    ----------
    vary : dict
        Parameter name -> ``(start, stop, num)``.
    scenario : Scenario
    shown : str, optional
        How the user wrote the vary, for the message.

    Raises
    ------
    NegosimUsageError
        Naming the first problem.

    Examples
    --------
    >>> from negosim.scenario import load_scenario
    >>> sc = load_scenario("scenarios/entry_deterrence.yaml")
    >>> check_vary({"rep": (0.0, 40.0, 5)}, sc)
    Traceback (most recent call last):
    ...
    negosim.errors.NegosimUsageError: --vary rep: 40 is outside rep's declared range [0, 10]"""
    for name, (start, stop, num) in vary.items():
        where = shown or f"--vary {name}"
        if name not in scenario.parameters:
            raise UsageError(f"{where}: {scenario.unknown_name(name)}")
        if not (math.isfinite(start) and math.isfinite(stop)):
            raise UsageError(f"{where}: START and STOP must be finite numbers")
        if num is not None and int(num) < 2:
            raise UsageError(f"{where}: NUM must be at least 2 (got {num})")
        p = scenario.parameters[name]
        bad = [v for v in (start, stop) if not p.low <= v <= p.high]
        if bad:
            raise UsageError(f"{where}: {bad[0]:g} is outside {name}'s declared range [{p.low:g}, {p.high:g}]")


__all__ = ["DESIGNS", "MAX_POINTS", "SEED_LIMIT", "Design", "check_vary", "declared_ranges", "grid", "grid_slice",
           "parse_vary"]
