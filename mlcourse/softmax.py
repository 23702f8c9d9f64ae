"""Softmax and its cross-entropy, computed stably through the log-sum-exp.

lse(z) = m + log Σ_k e^{z_k − m} with m = max_k z_k never overflows (the largest term is e^0 = 1), and
log_softmax(z) = z − lse(z) never takes the log of an underflowed 0. The loss is computed from logits, so a
confident wrong prediction gives a large finite loss instead of log 0 = −inf.
"""

from __future__ import annotations

import operator

import numpy as np

from mlcourse._validate import as_float_array, as_int_array, non_empty, probability_rows, same_shape

__all__ = [
    "log_softmax",
    "logsumexp",
    "one_hot",
    "softmax",
    "softmax_cross_entropy",
    "softmax_cross_entropy_grad",
    "softmax_jacobian",
]


def logsumexp(z, axis: int = -1) -> float | np.ndarray:
    """lse(z) = m + log Σ_k exp(z_k − m), m = max_k z_k.  z: any shape, reduced over `axis` -> float or array

    Exact limits for infinite entries: −inf entries contribute exp(−inf) = 0 (lse = −inf if all are −inf),
    and any +inf entry gives +inf. No overflow or divide-by-zero warning is emitted.
    """
    z, axis = _logits(z, axis)
    out = np.squeeze(_lse(z, axis), axis=axis)
    return float(out) if out.ndim == 0 else out


def softmax(z, axis: int = -1) -> np.ndarray:
    """softmax(z)_k = exp(z_k − m) / Σ_j exp(z_j − m), m = max_j z_j.  z: any shape -> same shape

    Entries of −inf (masked logits) get probability 0; +inf entries, or a slice of −inf only, are refused.
    """
    z, axis = _logits(z, axis, finite_slices=True)
    with np.errstate(over="ignore"):  # z − m may be −inf for a huge range: exp(−inf) = 0 is right
        e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(z, axis: int = -1) -> np.ndarray:
    """log_softmax(z) = z − lse(z).  z: any shape -> same shape (finite where z is finite)."""
    z, axis = _logits(z, axis, finite_slices=True)
    return z - _lse(z, axis)


def softmax_cross_entropy(z, y) -> float:
    """L = −(1/N) Σ_n Σ_k y_nk log softmax(z_n)_k.  z: (N, K), y: (N,) integer labels or (N, K) rows -> float

    With labels this is −(1/N) Σ_n log softmax(z_n)[y_n]; it equals torch.nn.functional.cross_entropy(z, y)
    for both kinds of target (reduction="mean", no label smoothing).
    """
    z, y_rows = _batch(z, y)
    per_row = -np.sum(y_rows * log_softmax(z, axis=1), axis=1)
    return float(np.mean(per_row))


def softmax_cross_entropy_grad(z, y) -> np.ndarray:
    """dz = ∂L/∂z = (softmax(z) − Y)/N, Y = one_hot(y) or the probability rows.  z: (N, K), y -> (N, K)

    Each row of dz sums to 0, since softmax(z_n) and Y_n both sum to 1.
    """
    z, y_rows = _batch(z, y)
    return (softmax(z, axis=1) - y_rows) / z.shape[0]


def softmax_jacobian(p) -> np.ndarray:
    """J_ij = ∂p_i/∂z_j = p_i(δ_ij − p_j), J = diag(p) − p pᵀ, p = softmax(z).  p: (K,) -> (K, K)"""
    p = as_float_array(p, "p", ndim=1)
    non_empty(p, "p")
    probability_rows(p, "p")
    return np.diag(p) - np.outer(p, p)


def one_hot(y, num_classes: int) -> np.ndarray:
    """Y[n, k] = 1 if k = y_n else 0.  y: (N,) integer labels in [0, num_classes) -> (N, num_classes)"""
    if isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)):
        raise TypeError(f"num_classes must be an integer, got {type(num_classes).__name__}")
    if num_classes < 1:
        raise ValueError(f"num_classes must be >= 1, got {num_classes}")
    y = as_int_array(y, "y", ndim=1)
    _check_labels(y, int(num_classes))
    out = np.zeros((y.shape[0], int(num_classes)))
    out[np.arange(y.shape[0]), y] = 1.0
    return out


def _lse(z: np.ndarray, axis: int) -> np.ndarray:
    m = np.max(z, axis=axis, keepdims=True)
    m = np.where(
        np.isfinite(m), m, 0.0
    )  # an all −inf or a +inf slice: shift by 0, exp gives 0 or inf exactly
    with np.errstate(divide="ignore", over="ignore"):  # log 0 = −inf for an all −inf slice; z − m = −inf
        return m + np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True))


def _logits(z, axis, *, finite_slices: bool = False) -> tuple[np.ndarray, int]:
    z = as_float_array(z, "z")
    if z.ndim == 0:
        raise ValueError("z must be at least 1-D (a vector of logits), got a scalar")
    try:
        axis = operator.index(axis)
    except TypeError:
        raise TypeError(f"axis must be an integer, got {type(axis).__name__}") from None
    if not -z.ndim <= axis < z.ndim:
        raise ValueError(f"axis {axis} is out of range for z of shape {z.shape}")
    axis %= z.ndim
    if z.shape[axis] == 0:
        raise ValueError(f"z must have at least one entry along axis {axis}, got shape {z.shape}")
    if finite_slices:
        if np.isposinf(z).any():
            raise ValueError("z contains +inf; softmax is undefined there (use finite logits)")
        if np.isneginf(z).all(axis=axis).any():
            raise ValueError(
                f"z has a slice along axis {axis} that is all −inf; its softmax is undefined (0/0)"
            )
    return z, axis


def _batch(z, y) -> tuple[np.ndarray, np.ndarray]:
    """Validate (z, y) for the loss; return z (N, K) and the target as probability rows Y (N, K)."""
    z = as_float_array(z, "z", ndim=2, finite=True)
    n, k = z.shape
    if n == 0:
        raise ValueError("z is an empty batch (N = 0); the mean loss over no rows is undefined")
    if k == 0:
        raise ValueError("z must have at least one class (K >= 1), got shape (N, 0)")
    y_arr = np.asarray(y)
    kinds = "y must be integer labels (1-D, integer dtype) or probability rows (2-D float, same shape as z)"
    if y_arr.dtype == bool or not (np.issubdtype(y_arr.dtype, np.number) and y_arr.dtype.kind != "c"):
        raise TypeError(f"{kinds}, got dtype {y_arr.dtype}")
    if y_arr.ndim == 1:
        if not np.issubdtype(y_arr.dtype, np.integer):
            raise TypeError(f"{kinds}; got a 1-D {y_arr.dtype} array (cast class labels with .astype(int))")
        if y_arr.shape[0] != n:
            raise ValueError(f"y has {y_arr.shape[0]} labels but z has {n} rows")
        labels = y_arr.astype(np.int64)
        _check_labels(labels, k)
        return z, one_hot(labels, k)
    if y_arr.ndim == 2:
        y_rows = as_float_array(y_arr, "y")
        same_shape(z, y_rows, "z", "y")
        probability_rows(y_rows, "y")
        return z, y_rows
    raise ValueError(f"{kinds}; got shape {y_arr.shape}")


def _check_labels(y: np.ndarray, num_classes: int) -> None:
    if y.size and y.min() < 0:
        raise ValueError(f"y has a negative label {int(y.min())}; labels must be in 0..{num_classes - 1}")
    if y.size and y.max() >= num_classes:
        raise ValueError(
            f"y has label {int(y.max())} but there are only {num_classes} classes (0..{num_classes - 1})"
        )
