"""What `Scenario.sweep` returns: `SweepResult`, the counts per outcome, the regime boundaries and the
table of every point, in memory or in the sweep's folder.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from ..sweep.engine import SweepSummary


@dataclass(frozen=True)
class SweepResult:
    """What a sweep found: counts per outcome label, regime boundaries, and the table of every point.

    `summary` is the engine's `SweepSummary` (its ``out_dir`` is None for a sweep kept in memory);
    `labels` holds every point's outcome label (`negosim.solve.primary`), in the design's order.

    Parameters
    ----------
    summary : SweepSummary
        What the sweep engine reports: design, points, outcome counts, boundaries, folder.
    csv : str or None
        The text of ``results.csv`` for a sweep kept in memory (None when written to a folder).
    labels : numpy.ndarray
        ``(points,)`` outcome label of every point.

    Examples
    --------
    >>> import negosim as ns
    >>> result = ns.load("scenarios/entry_deterrence.yaml").sweep({"rep": (0, 4, 5)})
    >>> result
    <SweepResult grid of 5 points: shared_market 2, stay_out 3; 1 boundary>
    >>> result.labels.tolist()
    ['shared_market', 'shared_market', 'stay_out', 'stay_out', 'stay_out']
    """

    summary: SweepSummary
    csv: str | None = field(repr=False)  # results.csv, when the sweep was kept in memory
    labels: np.ndarray = field(repr=False)

    @property
    def points(self) -> int:
        """Number of parameter points solved."""
        return self.summary.points

    @property
    def outcomes(self) -> dict[str, int]:
        """Points per outcome label (`negosim.solve.primary`)."""
        return self.summary.outcomes

    @property
    def boundaries(self) -> list:
        """Regime boundaries of a one-parameter sweep (`negosim.sweep.Boundary`), located by bisection."""
        return self.summary.boundaries

    @property
    def out_dir(self) -> Path | None:
        """The folder the sweep was written to, or None when kept in memory."""
        return self.summary.out_dir

    def __repr__(self) -> str:
        counts = ", ".join(f"{k} {v}" for k, v in self.outcomes.items())
        where = f" in {str(self.out_dir)!r}" if self.out_dir is not None else ""
        return (f"<SweepResult {self.summary.design} of {self.points} points{where}: {counts}; "
                f"{len(self.boundaries)} boundar{'y' if len(self.boundaries) == 1 else 'ies'}>")

    def to_frame(self) -> Any:
        """Return the sweep's table as a pandas DataFrame (the columns of its results).

        One row per point and equilibrium: ``point``, the varied parameters, ``concept``,
        ``outcome``, ``payoff_<player>`` for each player, ``tied``; read from the folder's Parquet
        files or its ``results.csv`` (the same frame either way).

        Raises
        ------
        ImportError
            Without pandas (install ``negosim[notebook]``).
        """
        from ..solve.views import require_pandas

        pd = require_pandas()
        if self.csv is None and (Path(str(self.out_dir)) / "results.parquet").is_dir():
            from ..sweep.output import finished_files, result_files, verified_path

            files = finished_files(Path(str(self.out_dir)))
            import pyarrow as pa
            import pyarrow.parquet as pq

            parts = [verified_path(Path(str(self.out_dir)), name, files) for name in result_files(files)[1]]
            frame = pa.concat_tables([pq.read_table(p) for p in parts]).to_pandas()
            for name in frame.columns:  # labels as read_csv gives them, so both formats give one frame
                if isinstance(frame[name].dtype, pd.CategoricalDtype):
                    frame[name] = frame[name].astype(str)
            return frame
        source = io.StringIO(self.csv) if self.csv is not None else Path(str(self.out_dir)) / "results.csv"
        # Every number must read back as the very float the sweep wrote: pandas 3 does so by default,
        # earlier versions only with the round-trip parser (which pandas 3 deprecates).
        exact = {"float_precision": "round_trip"} if int(pd.__version__.split(".")[0]) < 3 else {}
        return pd.read_csv(source, keep_default_na=False, **exact)


__all__ = ["SweepResult"]
