"""Batched linear solves that tolerate singular members, for the path followers."""

from __future__ import annotations

import numpy as np


def solve_or_nan(A: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Return ``x`` with ``A[k] @ x[k] = b[k]`` for every batch member; NaN rows where ``A[k]`` is singular.

    Examples
    --------
    >>> A = np.array([[[2.0, 0.0], [0.0, 4.0]], [[1.0, 1.0], [1.0, 1.0]]])
    >>> solve_or_nan(A, np.ones((2, 2))).tolist()
    [[0.5, 0.25], [nan, nan]]
    """
    try:
        return np.linalg.solve(A, b[..., None])[..., 0]
    except np.linalg.LinAlgError:  # one singular member fails the whole batch: solve them one by one
        out = np.full(b.shape, np.nan, dtype=np.result_type(A, b))
        for k in range(len(A)):
            try:
                out[k] = np.linalg.solve(A[k], b[k])
            except np.linalg.LinAlgError:
                pass
        return out
