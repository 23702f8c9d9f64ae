"""Regression losses (MSE, MAE, Lp) and their gradients with respect to the prediction ŷ."""

from __future__ import annotations

import numpy as np

from mlcourse._validate import as_float_array, non_empty, real_number, same_shape


def _pair(y_hat, y) -> tuple[np.ndarray, np.ndarray]:
    y_hat = as_float_array(y_hat, "y_hat", finite=True)
    y = as_float_array(y, "y", finite=True)
    same_shape(y_hat, y, "y_hat", "y")
    non_empty(y, "y")
    return y_hat, y


def mse(y_hat, y) -> float:
    """MSE = (1/N) Σ_i (ŷ_i − y_i)² = (1/N)‖ŷ − y‖₂².  y_hat, y: same shape, N = y.size -> float"""
    y_hat, y = _pair(y_hat, y)
    return float(np.mean((y_hat - y) ** 2))


def mse_grad(y_hat, y) -> np.ndarray:
    """∂MSE/∂ŷ = 2(ŷ − y)/N.  y_hat, y: same shape -> array like y_hat"""
    y_hat, y = _pair(y_hat, y)
    return 2.0 * (y_hat - y) / y.size


def mae(y_hat, y) -> float:
    """MAE = (1/N) Σ_i |ŷ_i − y_i|.  y_hat, y: same shape -> float"""
    y_hat, y = _pair(y_hat, y)
    return float(np.mean(np.abs(y_hat - y)))


def mae_grad(y_hat, y) -> np.ndarray:
    """∂MAE/∂ŷ = sign(ŷ − y)/N, with 0 where ŷ = y (as torch).  y_hat, y: same shape -> array like y_hat"""
    y_hat, y = _pair(y_hat, y)
    return np.sign(y_hat - y) / y.size


def lp_loss(y_hat, y, p: float) -> float:
    """‖y − ŷ‖_p^p = Σ_i |y_i − ŷ_i|^p, p ≥ 1.  y_hat, y: same shape -> float"""
    y_hat, y = _pair(y_hat, y)
    p = real_number(p, "p")
    if not p >= 1 or np.isinf(p):
        raise ValueError(f"p must be a finite number >= 1 (for p < 1 this is not a norm), got {p}")
    return float(np.sum(np.abs(y - y_hat) ** p))
