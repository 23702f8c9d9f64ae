"""Finite-difference gradient checks, in float64 only."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from mlcourse._validate import real_number


def numerical_grad(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """∂f/∂x_i ≈ (f(x + h e_i) − f(x − h e_i)) / 2h.  f: array -> scalar, x: float64 array -> array like x.

    `x` is never modified: f sees perturbed copies.
    """
    if not callable(f):
        raise TypeError(f"f must be a function of an array returning a number, got {type(f).__name__}")
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        got = x.dtype if isinstance(x, np.ndarray) else type(x).__name__
        raise TypeError(
            f"x must be a float64 numpy array (finite differences need double precision), got {got}"
        )
    h = real_number(h, "h")
    if not h > 0:
        raise ValueError(f"h must be > 0, got {h}")
    grad = np.empty_like(x)
    for i in np.ndindex(x.shape):
        xp = x.copy()
        xm = x.copy()
        xp[i] += h
        xm[i] -= h
        grad[i] = (_scalar(f(xp)) - _scalar(f(xm))) / (2.0 * h)
    return grad


def rel_error(a, b) -> float:
    """max_i |a_i − b_i| / max(1e-8, |a_i| + |b_i|).  a, b: same shape -> float."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def _scalar(value) -> float:
    arr = np.asarray(value, dtype=np.float64)
    if arr.size != 1:
        raise ValueError(f"f must return a scalar, got an array of shape {arr.shape}")
    return float(arr.reshape(()))
