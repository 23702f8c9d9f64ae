"""Input checks shared by the modules: every bad input becomes a ValueError/TypeError that names the argument."""

from __future__ import annotations

import numbers

import numpy as np


def as_float_array(
    x, name: str, *, ndim: int | tuple[int, ...] | None = None, finite: bool = False
) -> np.ndarray:
    """Return `x` as a new float64 array; TypeError for non-numeric input, ValueError for NaN or a wrong ndim.

    With finite=True, ±inf is refused too.
    """
    expected = f"{name} must be a number or an array of numbers"
    if isinstance(x, (str, bytes)) or x is None:
        raise TypeError(f"{expected}, got {type(x).__name__}")
    try:
        raw = np.asarray(x)
    except (TypeError, ValueError) as exc:  # ragged nested lists and the like
        raise TypeError(f"{expected} (a regular, non-ragged one), got {type(x).__name__}") from exc
    if raw.dtype.kind == "c":
        raise TypeError(f"{name} must hold real numbers, got complex values")
    if raw.dtype.kind not in "biufO":
        raise TypeError(f"{expected}, got {type(x).__name__} of dtype {raw.dtype}")
    try:
        arr = raw.astype(np.float64, copy=True)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{expected}, got {type(x).__name__} with non-numeric entries") from exc
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if arr.ndim not in allowed:
            raise ValueError(
                f"{name} must have {' or '.join(map(str, allowed))} dimension(s), got shape {arr.shape}"
            )
    if np.isnan(arr).any():
        raise ValueError(f"{name} contains NaN")
    if finite and np.isinf(arr).any():
        raise ValueError(f"{name} contains inf; expected finite numbers")
    return arr


def as_int_array(x, name: str, *, ndim: int | None = None) -> np.ndarray:
    """Return `x` as an int64 array; TypeError unless its entries are integers (bools are refused)."""
    arr = np.asarray(x)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"{name} must hold integers, got dtype {arr.dtype}")
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {arr.shape}")
    return arr.astype(np.int64)


def same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    """ValueError unless `a` and `b` have the same shape."""
    if a.shape != b.shape:
        raise ValueError(f"{name_a} and {name_b} must have the same shape, got {a.shape} and {b.shape}")


def non_empty(a: np.ndarray, name: str) -> None:
    """ValueError for an empty array (a mean over nothing is undefined)."""
    if a.size == 0:
        raise ValueError(f"{name} is empty")


def real_number(x, name: str) -> float:
    """Return `x` as a float; TypeError unless it is a real number (bools refused), ValueError for NaN."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(x).__name__}")
    value = float(x)
    if value != value:
        raise ValueError(f"{name} must not be NaN")
    return value


def probability_rows(p: np.ndarray, name: str, *, atol: float = 1e-6) -> None:
    """ValueError unless `p` is non-negative and sums to 1 (within `atol`) over its last axis."""
    if p.ndim == 0:
        raise ValueError(f"{name} must be a probability vector (at least 1-D), got a scalar")
    if (p < 0).any():
        raise ValueError(f"{name} has negative entries; probabilities must be >= 0")
    sums = p.sum(axis=-1)
    if not np.allclose(sums, 1.0, rtol=0.0, atol=atol):
        worst = float(np.max(np.abs(sums - 1.0)))
        raise ValueError(f"{name} must sum to 1 over its last axis (off by up to {worst:.3g})")
