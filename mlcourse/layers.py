"""Layers as forward/backward pairs with a cache (cs231n style), in float64.

`*_forward` returns (output, cache); `*_backward(d_output, cache)` returns the gradient of the loss with
respect to the inputs, given the gradient with respect to the output. Inputs are never modified.
Naming: z is a pre-activation (errata E55), a = g(z) an activation, dz = ∂L/∂z.
"""

from __future__ import annotations

import numpy as np

from mlcourse._validate import as_float_array, non_empty, same_shape

__all__ = [
    "dense_backward",
    "dense_forward",
    "mse_loss_and_grad",
    "relu_backward",
    "relu_forward",
    "sigmoid",
    "sigmoid_backward",
    "sigmoid_forward",
    "tanh_backward",
    "tanh_forward",
]


def _unpack(cache, n: int, layer: str) -> tuple:
    if not isinstance(cache, tuple) or len(cache) != n:
        raise TypeError(f"cache must be the cache returned by {layer}_forward, got {type(cache).__name__}")
    return cache


# ---- dense (affine) layer ----
def dense_forward(x, W, b) -> tuple[np.ndarray, tuple]:
    """out = x @ W + b.  x: (N, D), W: (D, M), b: (M,) -> out: (N, M), cache."""
    x = as_float_array(x, "x", ndim=2)
    W = as_float_array(W, "W", ndim=2)
    b = as_float_array(b, "b", ndim=1)
    if W.shape[0] != x.shape[1]:
        raise ValueError(
            f"W rows must equal x columns: x has shape {x.shape} (N, D) and W has shape {W.shape}, "
            f"expected ({x.shape[1]}, M)"
        )
    if b.shape[0] != W.shape[1]:
        raise ValueError(
            f"b length must equal W columns: W has shape {W.shape} (D, M) and b has shape {b.shape}, "
            f"expected ({W.shape[1]},)"
        )
    out = x @ W + b
    return out, (x, W, b)


def dense_backward(dout, cache: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """dx = dout @ Wᵀ, dW = xᵀ @ dout, db = Σ_n dout[n].  dout: (N, M) -> (N, D), (D, M), (M,)."""
    x, W, _ = _unpack(cache, 3, "dense")
    dout = as_float_array(dout, "dout", ndim=2)
    expected = (x.shape[0], W.shape[1])
    if dout.shape != expected:
        raise ValueError(f"dout shape must equal out shape (N, M) = {expected}, got {dout.shape}")
    return dout @ W.T, x.T @ dout, dout.sum(axis=0)


# ---- activations: elementwise, any shape ----
def sigmoid(z) -> np.ndarray:
    """σ(z) = 1/(1 + e^−z) elementwise, computed from e^−|z| so it never overflows.  z: any shape -> same."""
    z = as_float_array(z, "z")
    e = np.exp(-np.abs(z))  # in (0, 1]
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _check_upstream(d, a: np.ndarray, name: str) -> np.ndarray:
    d = as_float_array(d, name)
    same_shape(d, a, name, "the forward output")
    return d


def sigmoid_forward(z) -> tuple[np.ndarray, tuple]:
    """a = σ(z).  z: any shape -> a: same shape, cache."""
    a = sigmoid(z)
    return a, (a,)


def sigmoid_backward(da, cache: tuple) -> np.ndarray:
    """dz = da ⊙ a(1 − a).  da: shape of a -> dz."""
    (a,) = _unpack(cache, 1, "sigmoid")
    da = _check_upstream(da, a, "da")
    return da * a * (1.0 - a)


def tanh_forward(z) -> tuple[np.ndarray, tuple]:
    """a = tanh z.  z: any shape -> a: same shape, cache."""
    a = np.tanh(as_float_array(z, "z"))
    return a, (a,)


def tanh_backward(da, cache: tuple) -> np.ndarray:
    """dz = da ⊙ (1 − a²).  da: shape of a -> dz."""
    (a,) = _unpack(cache, 1, "tanh")
    da = _check_upstream(da, a, "da")
    return da * (1.0 - a * a)


def relu_forward(z) -> tuple[np.ndarray, tuple]:
    """a = max(z, 0).  z: any shape -> a: same shape, cache."""
    z = as_float_array(z, "z")
    return np.where(z > 0, z, 0.0), (z,)


def relu_backward(da, cache: tuple) -> np.ndarray:
    """dz = da ⊙ [z > 0]; relu′(0) = 0 as in torch (errata E57).  da: shape of z -> dz."""
    (z,) = _unpack(cache, 1, "relu")
    da = _check_upstream(da, z, "da")
    return np.where(z > 0, da, 0.0)


# ---- a loss to close the chain ----
def mse_loss_and_grad(a, y) -> tuple[float, np.ndarray]:
    """L = (1/N) Σ (a − y)², ∂L/∂a = 2(a − y)/N, N = y.size.  a, y: same shape -> (float, da)."""
    a = as_float_array(a, "a")
    y = as_float_array(y, "y")
    same_shape(a, y, "a", "y")
    non_empty(y, "y")
    diff = a - y
    return float(np.mean(diff * diff)), 2.0 * diff / y.size
