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


# ---- binary cross-entropy (chapter 02) ----
def _bce_pair(first, y, first_name: str) -> tuple[np.ndarray, np.ndarray]:
    """Validate (p or z, y): same shape, not empty, finite, targets y in [0, 1]."""
    first = as_float_array(first, first_name, finite=True)
    y = as_float_array(y, "y", finite=True)
    same_shape(first, y, first_name, "y")
    non_empty(y, "y")
    if ((y < 0) | (y > 1)).any():
        raise ValueError("y must hold targets in [0, 1] (class labels 0/1 or soft targets)")
    return first, y


def binary_cross_entropy(p, y) -> float:
    """L = −(1/N) Σ_i [y_i log p_i + (1 − y_i) log(1 − p_i)], each log clamped at −100 as torch does.
    p: probabilities in [0, 1], y: targets in [0, 1], same shape, N = y.size -> float

    The clamp keeps p = 0 or p = 1 finite (a term is at most 100) and makes 0·log 0 = 0·(−100) = 0, no NaN.
    Equals torch.nn.functional.binary_cross_entropy(p, y) (reduction="mean").
    """
    p, y = _bce_pair(p, y, "p")
    if ((p < 0) | (p > 1)).any():
        raise ValueError("p must hold probabilities in [0, 1] (apply a sigmoid to logits first)")
    with np.errstate(divide="ignore"):  # log 0 = −inf, clamped to −100 right away
        log_p = np.maximum(np.log(p), -100.0)
        log_1mp = np.maximum(np.log1p(-p), -100.0)
    return float(-np.mean(y * log_p + (1.0 - y) * log_1mp)) + 0.0  # + 0.0: no −0.0


def binary_cross_entropy_with_logits(z, y) -> float:
    """L = (1/N) Σ_i [max(z_i, 0) − z_i y_i + log(1 + e^{−|z_i|})] = BCE(σ(z), y), stable for any finite z.
    z: logits, y: targets in [0, 1], same shape -> float

    Equals torch.nn.functional.binary_cross_entropy_with_logits(z, y) (reduction="mean", no weights).
    """
    z, y = _bce_pair(z, y, "z")
    return float(np.mean(np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))))


def binary_cross_entropy_with_logits_grad(z, y) -> np.ndarray:
    """dz = ∂L/∂z = (σ(z) − y)/N.  z: logits, y: targets in [0, 1], same shape, N = y.size -> array like z"""
    from mlcourse.layers import sigmoid

    z, y = _bce_pair(z, y, "z")
    return (sigmoid(z) - y) / y.size
