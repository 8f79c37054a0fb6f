"""Shared argument handling for the bargaining functions: floats, broadcasting, range checks."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import NegosimInputError


def as_float(value: object, name: str) -> np.ndarray:
    """`value` as a float64 array, refusing non-numbers and NaN with a message naming `name`."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise NegosimInputError(f"{name} must be a number or an array of numbers, not {value!r}") from None
    if np.isnan(array).any():
        raise NegosimInputError(f"{name} is NaN")
    return array


def check_range(array: np.ndarray, name: str, low: float, high: float, *, open_high: bool = False) -> None:
    """Refuse values of `name` outside [low, high] (or [low, high) when `open_high`)."""
    bad = (array < low) | ((array >= high) if open_high else (array > high))
    if bad.any():
        shown = float(array[bad].flat[0])
        bracket = ")" if open_high else "]"
        raise NegosimInputError(f"{name} must lie in [{low:g}, {high:g}{bracket}, not {shown:g}")


def check_positive(array: np.ndarray, name: str) -> None:
    """Refuse values of `name` that are not strictly positive."""
    if (array <= 0).any():
        raise NegosimInputError(f"{name} must be positive, not {float(array[array <= 0].flat[0]):g}")


def scalar_or_array(array: np.ndarray) -> Any:
    """A 0-d result as a Python float (or bool), anything else as the array itself."""
    if array.ndim:
        return array
    return bool(array) if array.dtype == np.bool_ else float(array)
