"""Optimisers as explicit-state step functions, following torch.optim exactly (reference/optimizers.md).

Each `*_step(theta, grad, state, **hyper)` returns `(new_theta, new_state)`: new arrays and a new plain
dict; `theta`, `grad`, `state` and the arrays inside `state` are never modified. Start with `state=None`.
The state keys are torch's names: "step" (t, counted from 1), "momentum_buffer" (b), "sum" (Adagrad s),
"square_avg" (v), "grad_avg" (ḡ), "acc_delta" (Adadelta u), "exp_avg" (Adam m), "exp_avg_sq" (Adam v).
weight_decay = λ > 0 adds λθ to the gradient before anything else (L2, not AdamW's decoupled decay).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable

import numpy as np

from mlcourse._optim_checks import State, at_least_0, begin, buffer, finish, guarded, in_0_1
from mlcourse._validate import as_float_array

__all__ = ["adadelta_step", "adagrad_step", "adam_step", "rmsprop_step", "run", "sgd_step"]


@guarded
def sgd_step(
    theta,
    grad,
    state: State | None,
    *,
    lr: float = 1e-3,
    momentum: float = 0,
    dampening: float = 0,
    nesterov: bool = False,
    weight_decay: float = 0,
) -> tuple[np.ndarray, State]:
    """b ← g (t=1) or μb + (1−τ)g; d = g + μb (nesterov) or b; θ ← θ − lr·d.  theta, grad: (...)."""
    lr, wd = at_least_0(lr, "lr", "learning rate"), at_least_0(weight_decay, "weight_decay")
    mu, tau = in_0_1(momentum, "momentum", closed=False), in_0_1(dampening, "dampening")
    if not isinstance(nesterov, bool):
        raise TypeError(f"nesterov must be a bool, got {type(nesterov).__name__}")
    if nesterov and (mu <= 0 or tau != 0):
        raise ValueError(
            "Nesterov momentum requires a momentum and zero dampening; "
            f"got momentum={momentum}, dampening={dampening}"
        )
    theta, g, t, state = begin(theta, grad, state, wd)
    new_state: State = {"step": t}
    d = g
    if mu != 0:
        b = buffer(state, "momentum_buffer", theta.shape)
        b = g.copy() if b is None else mu * b + (1 - tau) * g
        d = g + mu * b if nesterov else b
        new_state["momentum_buffer"] = b
    return finish(theta - lr * d), new_state


@guarded
def adagrad_step(
    theta,
    grad,
    state: State | None,
    *,
    lr: float = 1e-2,
    lr_decay: float = 0,
    weight_decay: float = 0,
    initial_accumulator_value: float = 0,
    eps: float = 1e-10,
) -> tuple[np.ndarray, State]:
    """s ← s + g²; θ ← θ − lr/(1+(t−1)·lr_decay)·g/(√s + eps) (eps outside the root).  theta, grad: (...)."""
    lr, wd = at_least_0(lr, "lr", "learning rate"), at_least_0(weight_decay, "weight_decay")
    lr_decay, eps = at_least_0(lr_decay, "lr_decay"), at_least_0(eps, "eps", "epsilon value")
    s0 = at_least_0(initial_accumulator_value, "initial_accumulator_value")
    theta, g, t, state = begin(theta, grad, state, wd)
    s = buffer(state, "sum", theta.shape)
    s = (np.full(theta.shape, s0) if s is None else s) + g * g
    clr = lr / (1 + (t - 1) * lr_decay)
    return finish(theta - clr * (g / (np.sqrt(s) + eps))), {"step": t, "sum": s}


@guarded
def rmsprop_step(
    theta,
    grad,
    state: State | None,
    *,
    lr: float = 1e-2,
    alpha: float = 0.99,
    eps: float = 1e-8,
    weight_decay: float = 0,
    momentum: float = 0,
    centered: bool = False,
) -> tuple[np.ndarray, State]:
    """v ← αv + (1−α)g²; den = √(v − ḡ²) + eps (centered) or √v + eps; θ ← θ − lr·g/den.  theta, grad: (...).

    With momentum μ > 0: b ← μb + g/den, θ ← θ − lr·b. ḡ ← αḡ + (1−α)g.
    """
    lr, wd = at_least_0(lr, "lr", "learning rate"), at_least_0(weight_decay, "weight_decay")
    alpha, eps = in_0_1(alpha, "alpha"), at_least_0(eps, "eps", "epsilon value")
    mu = in_0_1(momentum, "momentum", closed=False)
    if not isinstance(centered, bool):
        raise TypeError(f"centered must be a bool, got {type(centered).__name__}")
    theta, g, t, state = begin(theta, grad, state, wd)
    v = buffer(state, "square_avg", theta.shape, zeros=True)
    v = alpha * v + (1 - alpha) * (g * g)
    new_state: State = {"step": t, "square_avg": v}
    if centered:
        g_bar = buffer(state, "grad_avg", theta.shape, zeros=True)
        g_bar = alpha * g_bar + (1 - alpha) * g
        new_state["grad_avg"] = g_bar
        den = np.sqrt(v - g_bar * g_bar) + eps  # v − ḡ² ≥ 0 up to rounding
    else:
        den = np.sqrt(v) + eps
    if mu > 0:
        b = buffer(state, "momentum_buffer", theta.shape, zeros=True)
        b = mu * b + g / den
        new_state["momentum_buffer"] = b
        return finish(theta - lr * b), new_state
    return finish(theta - lr * (g / den)), new_state


@guarded
def adadelta_step(
    theta,
    grad,
    state: State | None,
    *,
    lr: float = 1.0,
    rho: float = 0.9,
    eps: float = 1e-6,
    weight_decay: float = 0,
) -> tuple[np.ndarray, State]:
    """v ← ρv + (1−ρ)g²; Δ = √(u + eps)/√(v + eps)·g; u ← ρu + (1−ρ)Δ²; θ ← θ − lr·Δ.  theta, grad: (...)."""
    lr, wd = at_least_0(lr, "lr", "learning rate"), at_least_0(weight_decay, "weight_decay")
    rho, eps = in_0_1(rho, "rho"), at_least_0(eps, "eps", "epsilon value")
    theta, g, t, state = begin(theta, grad, state, wd)
    v = rho * buffer(state, "square_avg", theta.shape, zeros=True) + (1 - rho) * (g * g)
    u = buffer(state, "acc_delta", theta.shape, zeros=True)
    delta = np.sqrt(u + eps) / np.sqrt(v + eps) * g
    u = rho * u + (1 - rho) * (delta * delta)
    return finish(theta - lr * delta), {"step": t, "square_avg": v, "acc_delta": u}


@guarded
def adam_step(
    theta,
    grad,
    state: State | None,
    *,
    lr: float = 1e-3,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
    weight_decay: float = 0,
) -> tuple[np.ndarray, State]:
    """m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; θ ← θ − lr·m̂/(√v̂ + eps), m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ)."""
    lr, wd = at_least_0(lr, "lr", "learning rate"), at_least_0(weight_decay, "weight_decay")
    eps = at_least_0(eps, "eps", "epsilon value")
    if not isinstance(betas, (tuple, list)) or len(betas) != 2:
        raise TypeError(f"betas must be a pair (beta1, beta2), got {betas!r}")
    beta1, beta2 = (
        in_0_1(b, f"betas[{i}]", closed=False, what=f"beta parameter at index {i}")
        for i, b in enumerate(betas)
    )
    theta, g, t, state = begin(theta, grad, state, wd)
    m = beta1 * buffer(state, "exp_avg", theta.shape, zeros=True) + (1 - beta1) * g
    v = beta2 * buffer(state, "exp_avg_sq", theta.shape, zeros=True) + (1 - beta2) * (g * g)
    step_size = lr / (1 - beta1**t)
    den = np.sqrt(v) / math.sqrt(1 - beta2**t) + eps
    return finish(theta - step_size * (m / den)), {"step": t, "exp_avg": m, "exp_avg_sq": v}


def run(
    step: Callable[..., tuple[np.ndarray, State]],
    grad_fn: Callable[[np.ndarray], np.ndarray],
    theta0,
    steps: int,
    **hyper,
) -> np.ndarray:
    """θ_{k+1}, state = step(θ_k, grad_fn(θ_k), state, **hyper), state₀ = None.  theta0: (d,) -> (steps+1, d)

    Row 0 of the trajectory is theta0.
    """
    if not callable(step) or not callable(grad_fn):
        raise TypeError(
            "step and grad_fn must be functions, e.g. run(adam_step, rosenbrock_grad, theta0, 100)"
        )
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 0:
        raise ValueError(f"steps must be an integer >= 0, got {steps!r}")
    theta = as_float_array(theta0, "theta0", ndim=1)
    trajectory = np.empty((int(steps) + 1, theta.size))
    trajectory[0] = theta
    state = None
    for k in range(1, int(steps) + 1):
        theta, state = step(theta, grad_fn(theta), state, **hyper)
        trajectory[k] = theta
    return trajectory
