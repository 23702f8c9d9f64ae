"""CTC lattice for a batch in log space (forward α, backward β, occupancy γ), and the input checks of mlcourse.ctc.

Shapes: log_probs (T, N, C); extended labels l′ (N, S), S = 2·max_b U_b + 1, blank-padded past S_b = 2U_b + 1.
Vectorised over the batch and the states; the only Python loop is over time. States s >= S_b and frames t >= T_b
emit ln 0, so nothing outside a sample's own lattice leaks into its sums. Inside, ln 0 is the finite _LOG0.

The backward recursion is the forward one run on the reversed states r = S − 1 − s (label order reversed), so a
single loop of T steps computes α (rows 0..N−1) and β (rows N..2N−1) together: half the Python overhead.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

ROW_ATOL = 1e-4  # |Σ_k ŷ_t(k) − 1| allowed per frame: float32 log_softmax output passes, a forgotten softmax fails
_LOG0 = -1e300  # ln 0 inside the lattice: finite, so that max/min/subtract never meet −∞ − (−∞); exp(_LOG0) = 0
_IS_LOG0 = -1e299  # anything below is ln 0 (sums of a few _LOG0 stay far from overflow)
_CLIP = -40.0  # e^−40 < 2^−53 / 2: added to 1 it rounds away, and exp of −1e300 is 2-3 times slower than of −40


def check_blank(blank, C: int) -> int:
    """The blank index as an int in [0, C); TypeError/ValueError otherwise."""
    if isinstance(blank, bool) or not isinstance(blank, (int, np.integer)):
        raise TypeError(f"blank must be an int class index, got {type(blank).__name__}")
    if not 0 <= blank < C:
        raise ValueError(f"blank must be in [0, C) = [0, {C}), got {blank}")
    return int(blank)


def check_log_rows(log_probs: np.ndarray, name: str, valid: np.ndarray | None = None) -> np.ndarray:
    """ŷ = exp(log_probs); ValueError unless each frame sums to 1 within ROW_ATOL (frames where `valid` is True)."""
    too_big = log_probs > ROW_ATOL
    if valid is not None:
        too_big &= valid[..., None]
    if too_big.any():
        raise ValueError(f"{name} must be log-probabilities (<= 0), got the value {log_probs[too_big].max():.6g}")
    y_hat = np.exp(np.minimum(log_probs, ROW_ATOL))  # frames past T_b may hold anything: no overflow there
    sums = y_hat.sum(axis=-1)
    bad = ~(np.abs(sums - 1.0) <= ROW_ATOL)
    if valid is not None:
        bad &= valid
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"{name} must be log-probabilities: exp must sum to 1 over the classes within {ROW_ATOL:g} "
            f"(e.g. the output of log_softmax), but frame {where} sums to {float(sums[where]):.6g}"
        )
    return y_hat


def check_labels(labels: np.ndarray, C: int, blank: int, name: str) -> None:
    """ValueError unless every label is in [0, C) and none is the blank."""
    if labels.size == 0:
        return
    lo, hi = int(labels.min()), int(labels.max())
    if lo < 0 or hi >= C:
        raise ValueError(f"{name} must hold labels in [0, C) = [0, {C}), got values in [{lo}, {hi}]")
    if (labels == blank).any():
        raise ValueError(f"{name} must not contain the blank ({blank}): the blank is not a label")


def extended_labels(targets: np.ndarray, target_lengths: np.ndarray, blank: int) -> tuple[np.ndarray, np.ndarray]:
    """l′ = (blank, l_1, blank, ..., l_U, blank) per row, (N, S); and repeat (N, U): l_j = l_{j−1} (no s−2 skip)."""
    N = targets.shape[0]
    U = int(target_lengths.max(initial=0))
    used = np.arange(U) < target_lengths[:, None]
    ext = np.full((N, 2 * U + 1), blank, dtype=np.int64)
    ext[:, 1::2] = np.where(used, targets[:, :U], blank)
    repeat = np.zeros((N, U), dtype=bool)
    repeat[:, 1:] = used[:, 1:] & (ext[:, 3::2] == ext[:, 1:-2:2])
    return ext, repeat


def _recursion(emit: np.ndarray, repeat: np.ndarray, starts: dict[int, tuple]) -> np.ndarray:
    """x_t(s) = [x_{t−1}(s) ⊕ x_{t−1}(s−1) ⊕ x_{t−1}(s−2)·[s odd, no repeat]] + emit_t(s), for independent rows.

    emit: (T, R, W) with W = S + 3: each row's S states come after 3 slots that emit ln 0 (so they stay ln 0 and
    serve as the states −3, −2, −1); repeat: (R, (S − 1) / 2). `starts[t] = (rows, states)` sets x_{t−1}(state)
    = 0 before step t (a virtual start). Returns x: (T, R, S).

    The rows are laid end to end in one vector (W even puts every label state at an even position), so that each
    operation below is a single 1-D numpy call over all rows. Each ⊕ of three terms is M + ln(1 + e^{y−M} +
    e^{z−M}) with M the largest and y, z the others (the blank states have no s−2 term): 1.5 exp and 1 log per
    state, every exp <= 1 so nothing overflows, and y − M is clipped at −40, where e^{y−M} is too small to change
    1 + ... in float64 anyway (and exp of ln 0 = −1e300 would be 2-3 times slower).
    """
    T, R, W = emit.shape
    L = R * W
    emit = emit.reshape(T, L)
    x = np.empty((T + 1, L + 2))  # x[t + 1, 2 + r·W + 3 + s] = x_t(s) of row r
    x[:, :2] = _LOG0
    x[0] = _LOG0
    skip = None
    if repeat.any():  # l′_s = l′_{s−2}: no s−2 term
        skip = np.zeros((R, W // 2))
        skip[:, 2:] = np.where(repeat, _LOG0, 0.0)
        skip = skip.reshape(-1)
    top, c_skip = np.empty(L), np.empty(L // 2)
    low_all = np.empty(L + L // 2)  # the two smaller terms: every state's, then the label states' second one
    low, low_c = low_all[:L], low_all[L:]
    top_label, low_label = top[0::2], low[0::2]
    for t in range(T):
        if t in starts:
            rows, states = starts[t]
            x[t, 2 + rows * W + 3 + states] = 0.0
        prev = x[t]
        a, b, c = prev[2:], prev[1:-1], prev[0:L:2]  # x(s), x(s−1), and x(s−2) at the label positions
        if skip is not None:
            c = np.add(c, skip, out=c_skip)
        np.maximum(a, b, out=top)
        np.minimum(a, b, out=low)
        np.minimum(top_label, c, out=low_c)
        np.maximum(top_label, c, out=top_label)
        low -= top
        low_c -= top_label
        np.maximum(low_all, _CLIP, out=low_all)
        np.exp(low_all, out=low_all)
        low_label += low_c
        low += 1.0  # e^{M−M}
        out = x[t + 1, 2:]
        np.log(low, out=out)
        out += top
        out += emit[t]
    return x[1:, 2:].reshape(T, R, W)[:, :, 3:]


def as_log(x: np.ndarray) -> np.ndarray:
    """The lattice's stand-in for ln 0 (about −1e300 or less) back to −∞."""
    return np.where(x < _IS_LOG0, -np.inf, x)


class Lattice(NamedTuple):
    ext: np.ndarray  # l′, (N, S)
    alpha: np.ndarray  # ln α_t(s), (T, N, S), with ln 0 as _LOG0 (see as_log)
    log_p: np.ndarray  # ln p(l|x), (N,), −∞ for p = 0
    emit: np.ndarray  # ln ŷ_t(l′_s), (T, N, S), _LOG0 past T_b and S_b
    beta: np.ndarray | None  # ln β_t(s), includes ŷ_t(l′_s) as Graves and torch, (T, N, S)


def lattice(log_probs, targets, input_lengths, target_lengths, blank: int, *, with_beta: bool) -> Lattice:
    """α (and β) for validated inputs: log_probs (T, N, C), targets (N, U) padded, lengths (N,) int64."""
    T, N, C = log_probs.shape
    ext, repeat = extended_labels(targets, target_lengths, blank)
    S = ext.shape[1]
    S_b = 2 * target_lengths + 1
    R = 2 * N if with_beta else N  # reversed rows N..2N−1: the backward recursion
    emit = np.full((T, R, S + 3), _LOG0)  # see _recursion for the 3 leading slots
    flat = (ext + C * np.arange(N)[:, None]).ravel()
    gathered = np.take(log_probs.reshape(T, N * C), flat, axis=1).reshape(T, N, S)  # ln ŷ_t(l′_s)
    alpha_emit = emit[:, :N, 3:]
    np.maximum(gathered, _LOG0, out=alpha_emit)  # ŷ = 0 is allowed: ln 0 becomes the finite _LOG0
    alpha_emit[np.arange(T)[:, None] >= input_lengths] = _LOG0  # frames past T_b
    alpha_emit[:, np.arange(S) >= S_b[:, None]] = _LOG0  # states past S_b
    rows = np.arange(N)
    start_row, start_state, start_step = rows, np.zeros(N, dtype=np.int64), np.zeros(N, dtype=np.int64)
    if with_beta:  # reversed states r = S − 1 − s; virtual β_{T_b}(S_b − 1) = 0, i.e. r = S − S_b, at step T − T_b
        emit[:, N:, 3:] = alpha_emit[::-1, :, ::-1]
        repeat_rev = np.zeros_like(repeat)
        repeat_rev[:, 1:] = repeat[:, :0:-1]
        repeat = np.concatenate([repeat, repeat_rev])
        start_row = np.concatenate([rows, N + rows])
        start_state = np.concatenate([start_state, S - S_b])
        start_step = np.concatenate([start_step, T - input_lengths])
    starts = {}
    for t in np.unique(start_step[start_step < T]):
        sel = start_step == t
        starts[int(t)] = (start_row[sel], start_state[sel])
    x = _recursion(emit, repeat, starts)
    for t, (start_rows, states) in starts.items():  # a virtual start is no value of the lattice: ln 0 again
        if t > 0:
            x[t - 1, start_rows, states] = _LOG0
    alpha = x[:, :N]
    log_p = np.full(N, -np.inf)
    if T > 0:
        t_end = np.maximum(input_lengths - 1, 0)
        last = alpha[t_end, rows, S_b - 1]
        before = np.where(target_lengths > 0, alpha[t_end, rows, np.maximum(S_b - 2, 0)], _LOG0)
        log_p = as_log(np.logaddexp(last, before))  # α_{T−1}(S−1) ⊕ α_{T−1}(S−2)
    log_p[input_lengths == 0] = np.where(target_lengths[input_lengths == 0] == 0, 0.0, -np.inf)  # p(∅ | no frame) = 1
    beta = x[::-1, N:, ::-1] if with_beta else None  # β_t is step T − 1 − t of the reversed rows
    return Lattice(ext, alpha, log_p, alpha_emit, beta)


def occupancy(lat: Lattice, C: int) -> np.ndarray:
    """γ_t(k) = (1/p) Σ_{s: l′_s = k} α_t(s) β_t(s) / ŷ_t(k), from ln α + ln β − ln ŷ − ln p: (T, N, C).

    Rows sum to 1 for t < T_b and are 0 after. Samples with p = 0 get γ = 0 (the caller decides their gradient).
    Where ŷ_t(l′_s) = 0, ln α_t(s) holds ln 0 (_LOG0) too, so the subtraction cannot make it look possible.
    """
    T, N, S = lat.alpha.shape
    shift = np.where(np.isfinite(lat.log_p), lat.log_p, np.inf)  # exp(· − ∞) = 0 for impossible samples
    log_gamma = lat.alpha + lat.beta
    log_gamma -= lat.emit
    log_gamma -= shift[:, None]
    gamma_s = np.zeros(log_gamma.shape)  # e^x = 0 for x < −745.2: skip those, ln 0 (−1e300) is exp's slow path
    np.exp(log_gamma, out=gamma_s, where=log_gamma > -746.0)
    rows = np.arange(N)
    if S > 1:  # label states: sum the states that carry the same symbol (labels may repeat within a target)
        index = (np.arange(T * N)[:, None] * C).reshape(T, N, 1) + lat.ext[:, 1::2]
        gamma = np.bincount(index.ravel(), gamma_s[:, :, 1::2].ravel(), minlength=T * N * C).reshape(T, N, C)
    else:
        gamma = np.zeros((T, N, C))
    gamma[:, rows, lat.ext[:, 0]] += gamma_s[:, :, 0::2].sum(axis=2)  # the blank states
    return gamma
