"""Connectionist temporal classification (Graves et al. 2006): B transform, brute force, forward-backward, loss
and gradient with torch.nn.functional.ctc_loss semantics, decoders. Log space throughout; see reference/ctc.md.

Symbols: T frames, C classes (blank included), l the target (U labels, never the blank), l′ the extended target
(blank, l_1, blank, ..., l_U, blank) of S = 2U + 1 states, ŷ_t(k) the softmax output, α/β the forward/backward
variables (log values here), γ_t(k) the posterior occupancy of symbol k at frame t.

Bad input raises ValueError/TypeError: a target holding the blank or a label outside [0, C), lengths that do not
match the arrays, a blank outside [0, C), and log-probabilities whose frames do not satisfy |Σ_k exp − 1| <= 1e-4
(ROW_ATOL: loose enough for float32 log_softmax output, tight enough to catch raw logits or probabilities).
ŷ = 0 (ln ŷ = −∞) is allowed. Loops run over time only; the batch and the states are vectorised (_ctc_lattice).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from mlcourse import _ctc_lattice as _lat
from mlcourse._ctc_decode import beam_search_decode, greedy_decode
from mlcourse._validate import as_float_array, as_int_array, non_empty, probability_rows

__all__ = [
    "beam_search_decode",
    "collapse",
    "ctc_alpha",
    "ctc_beta",
    "ctc_brute_force",
    "ctc_grad_logits",
    "ctc_loss",
    "ctc_loss_and_grad",
    "ctc_nll",
    "ctc_posteriors",
    "greedy_decode",
]

MAX_PATHS = 10**6  # ctc_brute_force refuses C**T above this
_REDUCTIONS = ("mean", "sum", "none")


def collapse(path: str | Sequence[int] | np.ndarray, blank: str | int = 0) -> str | list[int]:
    """B(π): merge repeated symbols, then drop blanks.  str -> str (blank a 1-char str); int sequence -> list[int]."""
    if isinstance(path, str):
        if not isinstance(blank, str) or len(blank) != 1:
            raise TypeError(f"for a str path, blank must be a one-character str such as '-', got {blank!r}")
        kept = [ch for i, ch in enumerate(path) if ch != blank and (i == 0 or ch != path[i - 1])]
        return "".join(kept)
    if isinstance(blank, bool) or not isinstance(blank, (int, np.integer)):
        raise TypeError(f"for an integer path, blank must be an int, got {type(blank).__name__}")
    pi = as_int_array(path, "path", ndim=1) if np.size(path) else np.zeros(0, dtype=np.int64)
    new = np.ones(pi.shape, dtype=bool)
    new[1:] = pi[1:] != pi[:-1]
    return pi[new & (pi != blank)].tolist()


def ctc_brute_force(probs: ArrayLike, target: ArrayLike, blank: int = 0) -> float:
    """p(l|x) = Σ_{π: B(π) = l} Π_t ŷ_t(π_t) over all C**T paths π.  probs: (T, C), target: (U,) -> float."""
    y_hat = as_float_array(probs, "probs", ndim=2)
    non_empty(y_hat, "probs")
    probability_rows(y_hat, "probs", atol=_lat.ROW_ATOL)
    T, C = y_hat.shape
    blank = _lat.check_blank(blank, C)
    labels = _target(target, C, blank)
    if C**T > MAX_PATHS:
        raise ValueError(f"C**T = {C}**{T} paths is more than {MAX_PATHS:.0e}: use ctc_nll (forward recursion)")
    U = labels.size
    wanted = np.append(labels, -1)  # wanted[U] = −1: a (U+1)-th kept symbol never matches
    total = 0.0
    for start in range(0, C**T, 65536):  # all paths in chunks, as rows of base-C digits
        pi = np.stack(np.unravel_index(np.arange(start, min(start + 65536, C**T)), (C,) * T), axis=1)
        p_pi = y_hat[np.arange(T), pi].prod(axis=1)
        kept = pi != blank  # B: a symbol is kept if it is not the blank and differs from the previous one
        kept[:, 1:] &= pi[:, 1:] != pi[:, :-1]
        position = np.minimum(np.cumsum(kept, axis=1) - 1, U)  # index in l of each kept symbol
        match = (kept.sum(axis=1) == U) & np.all(~kept | (pi == wanted[position]), axis=1)
        total += float(p_pi[match].sum())
    return total


def ctc_alpha(log_probs: ArrayLike, target: ArrayLike, blank: int = 0) -> np.ndarray:
    """ln α_t(s) = ln Σ_{prefixes π_0..π_t ending in l′_s} Π ŷ.  log_probs: (T, C), target: (U,) -> (T, 2U + 1)."""
    return _lat.as_log(_single(log_probs, target, blank, with_beta=False).alpha[:, 0])


def ctc_beta(log_probs: ArrayLike, target: ArrayLike, blank: int = 0) -> np.ndarray:
    """ln β_t(s) (ŷ_t(l′_s) included, as Graves and torch).  log_probs: (T, C), target: (U,) -> (T, 2U + 1)."""
    return _lat.as_log(_single(log_probs, target, blank, with_beta=True).beta[:, 0])


def ctc_nll(log_probs: ArrayLike, target: ArrayLike, blank: int = 0) -> float:
    """−ln p(l|x), p = α_{T−1}(S−1) + α_{T−1}(S−2); inf if l cannot fit.  log_probs: (T, C), target: (U,) -> float."""
    return float(-_single(log_probs, target, blank, with_beta=False).log_p[0])


def ctc_posteriors(log_probs: ArrayLike, target: ArrayLike, blank: int = 0) -> np.ndarray:
    """γ_t(k) = Σ_{s: l′_s = k} α_t(s) β_t(s) / (ŷ_t(k) p(l|x)); rows sum to 1.  log_probs: (T, C) -> (T, C)."""
    lp = _log_probs_2d(log_probs)
    lat = _single(lp, target, blank, with_beta=True)
    _require_possible(lat.log_p[0])
    return _lat.occupancy(lat, lp.shape[1])[:, 0]


def ctc_grad_logits(logits: ArrayLike, target: ArrayLike, blank: int = 0) -> np.ndarray:
    """∂(−ln p(l|x))/∂z_t(k) = ŷ_t(k) − γ_t(k), ŷ = softmax(z).  logits z: (T, C), target: (U,) -> (T, C)."""
    z = as_float_array(logits, "logits", ndim=2)
    non_empty(z, "logits")
    if not np.isfinite(z).all():
        raise ValueError("logits must be finite")
    log_y = z - z.max(axis=1, keepdims=True)
    log_y -= np.log(np.exp(log_y).sum(axis=1, keepdims=True))
    lat = _single(log_y, target, blank, with_beta=True)
    _require_possible(lat.log_p[0])
    return np.exp(log_y) - _lat.occupancy(lat, z.shape[1])[:, 0]


def ctc_loss(
    log_probs: ArrayLike,
    targets: ArrayLike,
    input_lengths: ArrayLike,
    target_lengths: ArrayLike,
    blank: int = 0,
    reduction: str = "mean",
    zero_infinity: bool = False,
) -> float | np.ndarray:
    """L_b = −ln p(l_b|x_b) reduced as torch: mean_b L_b / max(U_b, 1), Σ_b L_b or (N,).  log_probs: (T, N, C)/(T, C).

    targets: padded (N, S) or 1-D concatenated; input_lengths T_b, target_lengths U_b: (N,) (ints if unbatched).
    Returns a float, or an (N,) array for reduction='none' (a float if unbatched). p = 0 gives inf (0 with
    zero_infinity=True). Frames t >= T_b and labels past U_b are ignored, whatever they hold.
    """
    return _batch(log_probs, targets, input_lengths, target_lengths, blank, reduction, zero_infinity, False)[0]


def ctc_loss_and_grad(
    log_probs: ArrayLike,
    targets: ArrayLike,
    input_lengths: ArrayLike,
    target_lengths: ArrayLike,
    blank: int = 0,
    reduction: str = "mean",
    zero_infinity: bool = False,
) -> tuple[float | np.ndarray, np.ndarray]:
    """(ctc_loss(...), dz): dz = ∂loss/∂z with log_probs = log_softmax(z), w_b (ŷ − γ) for t < T_b, 0 after.

    w_b = 1 / (N max(U_b, 1)) for 'mean', 1 for 'sum'; for 'none', dz[:, b] = ∂L_b/∂z[:, b]. As torch, a sample
    with p = 0 has loss inf and a NaN gradient, both 0 with zero_infinity=True. dz has the shape of log_probs.
    """
    return _batch(log_probs, targets, input_lengths, target_lengths, blank, reduction, zero_infinity, True)


def _log_probs_2d(log_probs) -> np.ndarray:
    lp = as_float_array(log_probs, "log_probs", ndim=2)
    non_empty(lp, "log_probs")
    _lat.check_log_rows(lp, "log_probs")
    return lp


def _target(target, C: int, blank: int, name: str = "target") -> np.ndarray:
    if isinstance(target, str):
        raise TypeError(f"{name} must be a sequence of int labels, got a str (map symbols to ints first)")
    labels = as_int_array(target, name, ndim=1) if np.size(target) else np.zeros(0, dtype=np.int64)
    _lat.check_labels(labels, C, blank, name)
    return labels


def _single(log_probs, target, blank, *, with_beta: bool) -> _lat.Lattice:
    lp = _log_probs_2d(log_probs)
    T, C = lp.shape
    blank = _lat.check_blank(blank, C)
    labels = _target(target, C, blank)
    one = np.ones(1, dtype=np.int64)
    return _lat.lattice(lp[:, None], labels[None], T * one, labels.size * one, blank, with_beta=with_beta)


def _require_possible(log_p: float) -> None:
    if not np.isfinite(log_p):
        raise ValueError(
            "p(l|x) = 0: the target cannot be aligned with these frames (it needs T >= U + number of "
            "adjacent repeated labels, and no zero probability on its only paths); −ln p = inf and the "
            "gradient is undefined"
        )


def _lengths(x, name: str, N: int, unbatched: bool) -> np.ndarray:
    if isinstance(x, (int, np.integer)) and not isinstance(x, bool):
        x = [x]
    arr = as_int_array(np.reshape(np.asarray(x), -1), name, ndim=1)
    if arr.shape != (N,):
        expected = "one length" if unbatched else f"N = {N} lengths, one per sample"
        raise ValueError(f"{name} must hold {expected}, got shape {np.shape(x)}")
    if (arr < 0).any():
        raise ValueError(f"{name} must be >= 0, got {arr.min()}")
    return arr


def _batch(log_probs, targets, input_lengths, target_lengths, blank, reduction, zero_infinity, with_grad):
    lp = as_float_array(log_probs, "log_probs", ndim=(2, 3))
    unbatched = lp.ndim == 2
    if unbatched:
        lp = lp[:, None]
    T, N, C = lp.shape
    if N == 0 or C == 0:
        raise ValueError(f"log_probs must have at least one sample and one class (the blank), got shape {lp.shape}")
    blank = _lat.check_blank(blank, C)
    if reduction not in _REDUCTIONS:
        raise ValueError(f"reduction must be one of {_REDUCTIONS}, got {reduction!r}")
    if not isinstance(zero_infinity, (bool, np.bool_)):
        raise TypeError(f"zero_infinity must be a bool, got {type(zero_infinity).__name__}")
    T_b = _lengths(input_lengths, "input_lengths", N, unbatched)
    U_b = _lengths(target_lengths, "target_lengths", N, unbatched)
    if (T_b > T).any():
        raise ValueError(f"input_lengths must be <= T = {T} (log_probs has {T} frames), got {T_b.max()}")
    padded = _padded_targets(targets, U_b, N)
    _lat.check_labels(
        padded[:, : U_b.max(initial=0)][np.arange(U_b.max(initial=0)) < U_b[:, None]], C, blank, "targets"
    )
    valid = np.arange(T)[:, None] < T_b
    y_hat = _lat.check_log_rows(lp, "log_probs", valid)
    lat = _lat.lattice(lp, padded, T_b, U_b, blank, with_beta=with_grad)
    losses = -lat.log_p
    impossible = np.isinf(losses)
    if zero_infinity:
        losses[impossible] = 0.0
    weights = 1.0 / (N * np.maximum(U_b, 1)) if reduction == "mean" else np.ones(N)
    if reduction == "none":
        loss = float(losses[0]) if unbatched else losses
    else:
        loss = float(np.sum(losses * weights))
    if not with_grad:
        return loss, None
    grad = y_hat - _lat.occupancy(lat, C)
    grad[~valid] = 0.0
    grad *= weights[:, None]
    if impossible.any():  # as torch: NaN on the frames t < T_b of a sample with p = 0, or 0 with zero_infinity
        grad[:, impossible] = np.where(valid[:, impossible, None] & (not zero_infinity), np.nan, 0.0)
    return loss, grad[:, 0] if unbatched else grad


def _padded_targets(targets, U_b: np.ndarray, N: int) -> np.ndarray:
    """(N, max U_b) labels from padded (N, S) targets, or from 1-D concatenated ones (as torch, also unbatched)."""
    if isinstance(targets, str):
        raise TypeError("targets must hold int labels, got a str")
    arr = as_int_array(targets, "targets") if np.size(targets) else np.zeros(np.shape(targets), dtype=np.int64)
    if arr.ndim == 2:
        if arr.shape[0] != N:
            raise ValueError(f"padded targets must have shape (N, S) with N = {N}, got {arr.shape}")
        if U_b.max(initial=0) > arr.shape[1]:
            raise ValueError(f"target_lengths must be <= targets.shape[-1] = {arr.shape[1]}, got {U_b.max()}")
        return arr
    if arr.ndim != 1:
        raise ValueError(f"targets must be padded (N, S) or concatenated 1-D, got shape {arr.shape}")
    if arr.size != U_b.sum():
        raise ValueError(f"concatenated targets must hold sum(target_lengths) = {U_b.sum()} labels, got {arr.size}")
    padded = np.zeros((N, int(U_b.max(initial=0))), dtype=np.int64)
    padded[np.arange(padded.shape[1]) < U_b[:, None]] = arr
    return padded
