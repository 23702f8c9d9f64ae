"""Information theory for discrete distributions: surprise, entropy, cross-entropy and KL divergence.

Every function works over the last axis: a 1-D probability vector gives a Python float, a batch of rows
(..., K) gives an array of shape (...). Logarithms are natural (nats) by default; base=2 gives bits.
The convention 0·log 0 = 0 is used throughout (a term with p_k = 0 contributes nothing, whatever q_k is).
"""

from __future__ import annotations

import math

import numpy as np

from mlcourse._validate import as_float_array, probability_rows, real_number, same_shape

__all__ = ["cross_entropy", "entropy", "kl_divergence", "surprise"]


def surprise(p, base: float = math.e) -> float | np.ndarray:
    """I(p) = −log_b p, elementwise, p ∈ [0, 1] (I(0) = inf).  p: scalar or array -> float or array like p

    The information content of an event of probability p: a sure event (p = 1) carries 0, an impossible
    one (p = 0) infinite surprise. ValueError for p outside [0, 1].
    """
    log_b = _log_base(base)
    p = as_float_array(p, "p")
    if ((p < 0) | (p > 1)).any():
        raise ValueError("p must hold event probabilities in [0, 1]")
    with np.errstate(divide="ignore"):
        return _in_base(-np.log(p), log_b)


def entropy(p, base: float = math.e) -> float | np.ndarray:
    """H(p) = −Σ_k p_k log_b p_k, with 0·log 0 = 0.  p: (..., K) probability rows -> float or (...)

    0 <= H(p) <= log_b K for base > 1; H = 0 for a one-hot p, log_b K for the uniform distribution.
    """
    log_b = _log_base(base)
    p = _probabilities(p, "p")
    log_p = np.log(np.where(p > 0, p, 1.0))  # log 1 = 0 where p = 0: 0·log 0 = 0
    return _in_base(-np.sum(p * log_p, axis=-1), log_b)


def cross_entropy(p, q, base: float = math.e) -> float | np.ndarray:
    """H(p, q) = −Σ_k p_k log_b q_k, with 0·log q = 0.  p, q: same shape (..., K) -> float or (...)

    p is the target (true) distribution, q the model's. H(p, q) = H(p) + KL(p‖q) >= H(p): minimised over q
    at q = p; it is not a distance (asymmetric, and H(p, p) = H(p) != 0).
    H(p, q) = inf when some q_k = 0 where p_k > 0 (no warning is emitted).
    """
    log_b = _log_base(base)
    p, q = _pair(p, q)
    with np.errstate(divide="ignore"):  # log 0 = −inf only where p_k > 0 and q_k = 0: the result is inf
        log_q = np.log(np.where(p > 0, q, 1.0))
    return _in_base(-np.sum(p * log_q, axis=-1), log_b)


def kl_divergence(p, q, base: float = math.e) -> float | np.ndarray:
    """KL(p‖q) = Σ_k p_k log_b(p_k / q_k), with 0·log(0/q) = 0.  p, q: same shape (..., K) -> float or (...)

    KL(p‖q) = H(p, q) − H(p) >= 0, = 0 iff p = q; asymmetric, so not a metric. KL = inf when some q_k = 0
    where p_k > 0 (no warning is emitted). Computed term by term, so KL(p‖p) is exactly 0; for p close to q
    rounding can leave a value of order −1e-17.
    """
    log_b = _log_base(base)
    p, q = _pair(p, q)
    mask = p > 0
    log_p = np.log(np.where(mask, p, 1.0))
    with np.errstate(divide="ignore"):
        log_q = np.log(np.where(mask, q, 1.0))
    return _in_base(np.sum(p * (log_p - log_q), axis=-1), log_b)


def _probabilities(p, name: str) -> np.ndarray:
    p = as_float_array(p, name)
    if p.ndim == 0:
        raise ValueError(f"{name} must be a probability vector (at least 1-D), got a scalar")
    if p.shape[-1] == 0:
        raise ValueError(f"{name} must have at least one entry along its last axis, got shape {p.shape}")
    probability_rows(p, name)  # also refuses inf: the sums would be inf
    return p


def _pair(p, q) -> tuple[np.ndarray, np.ndarray]:
    p_arr = as_float_array(p, "p")
    q_arr = as_float_array(q, "q")
    same_shape(p_arr, q_arr, "p", "q")
    return _probabilities(p_arr, "p"), _probabilities(q_arr, "q")


def _log_base(base) -> float:
    b = real_number(base, "base")
    if not (b > 0 and b != 1 and math.isfinite(b)):
        raise ValueError(
            f"base must be a finite number > 0 and != 1 (e.g. 2 for bits, math.e for nats), got {b}"
        )
    return math.log(b)


def _in_base(nats: np.ndarray, log_b: float) -> float | np.ndarray:
    """Nats -> units of log base b; a 0-d result becomes a Python float and −0.0 becomes 0.0."""
    out = nats / log_b + 0.0
    return float(out) if out.ndim == 0 else out
