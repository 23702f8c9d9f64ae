"""Tanh RNN: forward pass, back-propagation through time (full or truncated), gradient clipping.

a_t = U x_t + W s_{t−1} + b,  s_t = tanh a_t,  o_t = V s_t + c,  L = Σ_t −log softmax(o_t)[y_t].
Shapes: X (T, m), s0 (n,), U (n, m), W (n, n), b (n,), V (k, n), c (k,), y (T,) labels in [0, k).
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping

import numpy as np

from mlcourse._validate import as_float_array, as_int_array, real_number

PARAM_SHAPES = {"U": ("n", "m"), "W": ("n", "n"), "b": ("n",), "V": ("k", "n"), "c": ("k",)}


def init_params(m: int, n: int, k: int, rng: np.random.Generator | int, scale: float | None = None) -> dict:
    """U, W, V ~ N(0, scale²), b = c = 0; scale=None means 1/√n (W then has spectral radius ≈ 1)."""
    dims = {"m": m, "n": n, "k": k}
    for name, value in dims.items():
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
        if value < 1:
            raise ValueError(f"{name} must be >= 1, got {value}")
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        rng = np.random.default_rng(int(rng))
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator or an int seed, got {type(rng).__name__}")
    scale = 1.0 / np.sqrt(n) if scale is None else real_number(scale, "scale")
    if not 0 <= scale < np.inf:
        raise ValueError(f"scale must be finite and >= 0, got {scale}")
    params = {}
    for key, shape in PARAM_SHAPES.items():
        size = tuple(dims[d] for d in shape)
        params[key] = scale * rng.standard_normal(size) if len(size) == 2 else np.zeros(size)
    return params


def rnn_forward(X, s0, params: Mapping) -> tuple[np.ndarray, np.ndarray]:
    """s_t = tanh(U x_t + W s_{t−1} + b), o_t = V s_t + c.  X: (T, m), s0: (n,) -> O: (T, k), S: (T+1, n)."""
    return _forward(*_check_inputs(X, s0, params))


def rnn_loss_and_grads(
    X, y, s0, params: Mapping, *, truncate: int | None = None, clip: float | None = None
) -> tuple[float, dict]:
    """L = Σ_t −log softmax(o_t)[y_t], ∂L/∂{U, W, b, V, c, s0} by BPTT.  X: (T, m), y: (T,) -> (float, dict).

    truncate=k (truncated BPTT): the gradient of each loss term L_t flows back through at most k time steps,
    i.e. it reaches a_t, a_{t−1}, …, a_{t−k+1} (and s_{t−k} through W) and stops there; the torch equivalent
    computes L_t from s_{t−k}.detach() when t−k ≥ 1.  truncate=1 keeps only the direct term of each step;
    truncate >= T is full BPTT.  (This differs from "detach the state every k steps", where terms near the
    start of a chunk flow back fewer steps.)  clip=max_norm then rescales all gradients, "s0" included, as
    clip_grad_norm does.  The loss itself is never truncated or clipped.
    """
    X, s0, p = _check_inputs(X, s0, params)
    T, k = X.shape[0], p["c"].shape[0]
    y = as_int_array(y, "y", ndim=1)
    if y.shape != (T,):
        raise ValueError(f"y must have shape (T,) = ({T},) to match X, got {y.shape}")
    if y.min() < 0 or y.max() >= k:
        raise ValueError(f"y must hold labels in [0, k) = [0, {k}), got min {y.min()} and max {y.max()}")
    truncate = _check_truncate(truncate)
    O, S = _forward(X, s0, p)
    logp = O - _logsumexp(O)[:, None]
    loss = -float(logp[np.arange(T), y].sum())
    dO = np.exp(logp)  # δo_t = ŷ_t − e_{y_t}
    dO[np.arange(T), y] -= 1.0
    dA = np.zeros((T, s0.shape[0]))  # δa_t, summed over the loss terms that reach step t
    if truncate is None or truncate >= T:  # full BPTT, as in the worked example: δa_{T+1} = 0
        da_next = np.zeros(s0.shape[0])
        for t in range(T - 1, -1, -1):
            ds = p["V"].T @ dO[t] + p["W"].T @ da_next
            da_next = dA[t] = ds * (1.0 - S[t + 1] ** 2)
    else:  # each term's δ carried back i = 0 … truncate−1 steps; row r of G is term t = r + i at step r
        G = dO @ p["V"]  # ∂L_t/∂s_t
        for i in range(truncate):
            da = G * (1.0 - S[1 : T - i + 1] ** 2)
            dA[: T - i] += da
            G = (da @ p["W"])[1:]
    grads = {
        "U": dA.T @ X,
        "W": dA.T @ S[:-1],
        "b": dA.sum(axis=0),
        "V": dO.T @ S[1:],
        "c": dO.sum(axis=0),
        "s0": p["W"].T @ dA[0],
    }
    if clip is not None:
        grads, _ = clip_grad_norm(grads, clip)
    return loss, grads


def clip_grad_norm(grads: Mapping, max_norm: float) -> tuple[dict, float]:
    """g ← g · min(1, max_norm / (‖g‖₂ + 1e-6)) over all arrays together, as torch.nn.utils.clip_grad_norm_.

    grads: dict of arrays -> (new dict of new arrays, total norm before clipping).
    """
    if not isinstance(grads, Mapping):
        raise TypeError(f"grads must be a dict of arrays, got {type(grads).__name__}")
    max_norm = real_number(max_norm, "max_norm")
    if not max_norm > 0:
        raise ValueError(f"max_norm must be > 0, got {max_norm}")
    arrays = {key: as_float_array(g, f"grads[{key!r}]") for key, g in grads.items()}
    total = float(np.sqrt(sum(float(np.sum(g**2)) for g in arrays.values())))
    if not np.isfinite(total):
        raise ValueError(f"the total gradient norm is not finite ({total})")
    coef = max_norm / (total + 1e-6)
    if coef < 1.0:
        arrays = {key: g * coef for key, g in arrays.items()}
    return arrays, total


def state_jacobian_norms(S, W, ds_T=None) -> np.ndarray:
    """‖∂L/∂s_{T−j}‖ for j = 0 … T−1, L at step T only: ∂L/∂s_{t−1} = Wᵀ(∂L/∂s_t ⊙ (1 − s_t²)).

    S: (T+1, n) from rnn_forward, W: (n, n), ds_T: (n,) = ∂L/∂s_T (default: a unit vector, so the result
    is the ratio to ‖∂L/∂s_T‖) -> (T,).
    """
    S = as_float_array(S, "S", ndim=2)
    T, n = S.shape[0] - 1, S.shape[1]
    if T < 1:
        raise ValueError(f"S must have shape (T+1, n) with T >= 1, got {S.shape}")
    W = as_float_array(W, "W", ndim=2)
    if W.shape != (n, n):
        raise ValueError(f"W must have shape (n, n) = ({n}, {n}) to match S, got {W.shape}")
    g = np.full(n, 1.0 / np.sqrt(n)) if ds_T is None else as_float_array(ds_T, "ds_T", ndim=1)
    if g.shape != (n,):
        raise ValueError(f"ds_T must have shape (n,) = ({n},) to match S, got {g.shape}")
    norms = np.empty(T)
    for j in range(T):
        norms[j] = np.linalg.norm(g)
        g = W.T @ (g * (1.0 - S[T - j] ** 2))
    return norms


def _forward(X: np.ndarray, s0: np.ndarray, p: dict) -> tuple[np.ndarray, np.ndarray]:
    S = np.empty((X.shape[0] + 1, s0.shape[0]))
    S[0] = s0
    for t in range(X.shape[0]):
        S[t + 1] = np.tanh(p["U"] @ X[t] + p["W"] @ S[t] + p["b"])
    return S[1:] @ p["V"].T + p["c"], S


def _logsumexp(O: np.ndarray) -> np.ndarray:
    m = O.max(axis=1)
    return m + np.log(np.exp(O - m[:, None]).sum(axis=1))


def _check_truncate(truncate) -> int | None:
    if truncate is None:
        return None
    if isinstance(truncate, bool) or not isinstance(truncate, numbers.Integral):
        raise TypeError(f"truncate must be None or an integer number of steps, got {type(truncate).__name__}")
    if truncate < 1:
        raise ValueError(f"truncate must be >= 1 (steps each gradient flows back), got {truncate}")
    return int(truncate)


def _check_inputs(X, s0, params) -> tuple[np.ndarray, np.ndarray, dict]:
    if not isinstance(params, Mapping):
        raise TypeError(f"params must be a dict with keys U, W, b, V, c, got {type(params).__name__}")
    missing = [key for key in PARAM_SHAPES if key not in params]
    if missing:
        raise ValueError(
            f"params is missing key(s) {missing}; expected U (n,m), W (n,n), b (n,), V (k,n), c (k,)"
        )
    X = _finite(X, "X", 2)
    s0 = _finite(s0, "s0", 1)
    p = {key: _finite(params[key], f"params[{key!r}]", None) for key in PARAM_SHAPES}
    if X.shape[0] < 1:
        raise ValueError(f"X must have shape (T, m) with T >= 1, got {X.shape}")
    if p["c"].ndim != 1:
        raise ValueError(f"params['c'] must have shape (k,), got {p['c'].shape}")
    dims = {"m": X.shape[1], "n": s0.shape[0], "k": p["c"].shape[0]}
    given = f"T={X.shape[0]}, m={dims['m']} (from X), n={dims['n']} (from s0), k={dims['k']} (from c)"
    for key, names in PARAM_SHAPES.items():
        expected = tuple(dims[d] for d in names)
        if p[key].shape != expected:
            raise ValueError(
                f"params[{key!r}] must have shape ({', '.join(names)}) = {expected} given {given}; "
                f"got {p[key].shape}"
            )
    return X, s0, p


def _finite(x, name: str, ndim: int | None) -> np.ndarray:
    arr = as_float_array(x, name, ndim=ndim)
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains inf; all entries must be finite")
    return arr
