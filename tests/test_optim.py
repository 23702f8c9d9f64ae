"""mlcourse.optim against torch.optim (float64), and the claims chapters 06/07 make about the update rules."""

import copy
import math
import re

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from mlcourse import optim
from mlcourse.functions import bowl_grad, rosenbrock_grad

THETA0 = np.array([-1.2, 1.0])  # the classic Rosenbrock start
STEPS = 300

# (our step, torch class, hyper-parameters). The learning rates keep each 300-step trajectory finite and away
# from the chaotic regime of sign-like steps bouncing across the valley floor, where rounding differences of
# 1e-16 (torch's autograd gradient vs rosenbrock_grad, lerp vs multiply-add) grow to 1e-3 within 100 steps
# (e.g. Adadelta with its default lr = 1, Adam with betas = (0.5, 0.9), lr = 1e-2).
TORCH_CASES = [
    (optim.sgd_step, torch.optim.SGD, {}),
    (optim.sgd_step, torch.optim.SGD, {"momentum": 0.9}),
    (optim.sgd_step, torch.optim.SGD, {"momentum": 0.9, "dampening": 0.5}),
    (optim.sgd_step, torch.optim.SGD, {"momentum": 0.9, "nesterov": True}),
    (optim.sgd_step, torch.optim.SGD, {"weight_decay": 0.1}),
    (optim.sgd_step, torch.optim.SGD, {"lr": 5e-4, "momentum": 0.8, "weight_decay": 0.1}),
    (optim.adagrad_step, torch.optim.Adagrad, {}),
    (optim.adagrad_step, torch.optim.Adagrad, {"lr": 0.1, "lr_decay": 0.01}),
    (optim.adagrad_step, torch.optim.Adagrad, {"lr": 0.1, "initial_accumulator_value": 0.5}),
    (optim.adagrad_step, torch.optim.Adagrad, {"lr": 0.1, "eps": 0.1}),
    (optim.adagrad_step, torch.optim.Adagrad, {"lr": 0.1, "weight_decay": 0.1}),
    (optim.rmsprop_step, torch.optim.RMSprop, {"lr": 1e-3}),
    (optim.rmsprop_step, torch.optim.RMSprop, {"lr": 5e-4, "alpha": 0.9}),
    (optim.rmsprop_step, torch.optim.RMSprop, {"lr": 1e-3, "eps": 0.1}),
    (optim.rmsprop_step, torch.optim.RMSprop, {"lr": 1e-3, "centered": True}),
    (optim.rmsprop_step, torch.optim.RMSprop, {"lr": 1e-4, "momentum": 0.9}),
    (optim.rmsprop_step, torch.optim.RMSprop, {"lr": 1e-4, "momentum": 0.9, "centered": True}),
    (optim.rmsprop_step, torch.optim.RMSprop, {"lr": 1e-3, "weight_decay": 0.1}),
    (optim.adadelta_step, torch.optim.Adadelta, {"lr": 0.1}),
    (optim.adadelta_step, torch.optim.Adadelta, {"lr": 0.1, "rho": 0.5}),
    (optim.adadelta_step, torch.optim.Adadelta, {"lr": 3e-3, "eps": 0.1}),
    (optim.adadelta_step, torch.optim.Adadelta, {"lr": 0.3}),
    (optim.adadelta_step, torch.optim.Adadelta, {"lr": 0.1, "weight_decay": 0.1}),
    (optim.adam_step, torch.optim.Adam, {}),
    (optim.adam_step, torch.optim.Adam, {"lr": 1e-2}),
    (optim.adam_step, torch.optim.Adam, {"lr": 1e-2, "betas": (0.8, 0.99)}),
    (optim.adam_step, torch.optim.Adam, {"lr": 1e-2, "eps": 0.1}),
    (optim.adam_step, torch.optim.Adam, {"lr": 1e-2, "weight_decay": 0.1}),
]
ALL_STEPS = [optim.sgd_step, optim.adagrad_step, optim.rmsprop_step, optim.adadelta_step, optim.adam_step]


def torch_trajectory(opt_cls, theta0, steps, **hyper):
    p = torch.tensor(theta0, dtype=torch.float64, requires_grad=True)
    opt = opt_cls([p], **hyper)
    out = [p.detach().numpy().copy()]
    for _ in range(steps):
        opt.zero_grad()
        loss = (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2
        loss.backward()
        opt.step()
        out.append(p.detach().numpy().copy())
    return np.array(out)


@pytest.mark.parametrize(
    ("step", "opt_cls", "hyper"), TORCH_CASES, ids=[f"{c[1].__name__}-{c[2]}" for c in TORCH_CASES]
)
def test_trajectory_matches_torch_on_rosenbrock(step, opt_cls, hyper):
    ours = optim.run(step, rosenbrock_grad, THETA0, STEPS, **hyper)
    ref = torch_trajectory(opt_cls, THETA0, STEPS, **hyper)
    assert ours.shape == ref.shape == (STEPS + 1, 2)
    assert np.isfinite(ref).all()
    assert np.linalg.norm(ours[-1] - ours[0]) > 0.1  # it moved: the comparison is not of two resting points
    assert np.abs(np.diff(ours[-50:], axis=0)).max() > 1e-6  # and is still moving at the end
    np.testing.assert_allclose(ours, ref, rtol=0, atol=1e-9)


@pytest.mark.parametrize("step", ALL_STEPS)
def test_state_none_starts_at_step_one_and_step_counts(step):
    theta, state = step(THETA0, rosenbrock_grad(THETA0), None)
    assert state["step"] == 1 and theta.dtype == np.float64
    theta, state = step(theta, rosenbrock_grad(theta), state)
    assert state["step"] == 2 and isinstance(state, dict)


HYPER = [
    (optim.sgd_step, {"momentum": 0.9, "nesterov": True, "weight_decay": 0.1}),
    (optim.sgd_step, {"momentum": 0.5, "dampening": 0.3}),
    (optim.adagrad_step, {"lr_decay": 0.1, "initial_accumulator_value": 0.2, "weight_decay": 0.1}),
    (optim.rmsprop_step, {"momentum": 0.9, "centered": True, "weight_decay": 0.1}),
    (optim.adadelta_step, {"weight_decay": 0.1}),
    (optim.adam_step, {"weight_decay": 0.1}),
]
vectors = st.integers(1, 4).flatmap(
    lambda n: st.lists(st.floats(-10, 10, allow_nan=False), min_size=2 * n, max_size=2 * n)
)


@settings(max_examples=50, deadline=None)
@given(values=vectors, case=st.sampled_from(HYPER))
def test_inputs_are_never_modified_and_outputs_are_new_arrays(values, case):
    step, hyper = case
    n = len(values) // 2
    theta, grad = np.array(values[:n]), np.array(values[n:])
    _, state = step(theta, grad, None, **hyper)
    _, state = step(theta, 0.5 * grad + 1.0, state, **hyper)  # a state with every buffer filled
    before = (theta.copy(), grad.copy(), copy.deepcopy(state))
    new_theta, new_state = step(theta, grad, state, **hyper)
    np.testing.assert_array_equal(theta, before[0])
    np.testing.assert_array_equal(grad, before[1])
    assert state.keys() == before[2].keys()
    for key, value in state.items():
        np.testing.assert_array_equal(value, before[2][key])
    olds = [theta, grad, *[v for v in state.values() if isinstance(v, np.ndarray)]]
    for new in [new_theta, *[v for v in new_state.values() if isinstance(v, np.ndarray)]]:
        assert not any(np.shares_memory(new, old) for old in olds)


@pytest.mark.parametrize("grad_fn", [rosenbrock_grad, bowl_grad])
def test_textbook_momentum_equals_torch_form_for_constant_lr(grad_fn):
    """v ← γv + ηg, θ ← θ − v (v₀ = 0) is torch's b ← μb + g, θ ← θ − ηb with v = ηb (optimizers.md)."""
    gamma, eta = 0.9, 1e-3
    theta, v, textbook = THETA0.copy(), np.zeros(2), [THETA0.copy()]
    for _ in range(200):
        v = gamma * v + eta * grad_fn(theta)
        theta = theta - v
        textbook.append(theta)
    ours = optim.run(optim.sgd_step, grad_fn, THETA0, 200, lr=eta, momentum=gamma)
    np.testing.assert_allclose(ours, np.array(textbook), rtol=0, atol=1e-12)


def test_the_two_momentum_forms_differ_once_lr_changes():
    theta_t, state, v, theta_v = THETA0.copy(), None, np.zeros(2), THETA0.copy()
    for k in range(20):
        eta = 1e-3 if k < 10 else 2e-4  # a step schedule
        theta_t, state = optim.sgd_step(theta_t, rosenbrock_grad(theta_t), state, lr=eta, momentum=0.9)
        v = 0.9 * v + eta * rosenbrock_grad(theta_v)
        theta_v = theta_v - v
    assert np.abs(theta_t - theta_v).max() > 1e-3


@settings(max_examples=50, deadline=None)
@given(g=st.lists(st.floats(1e-3, 1e3) | st.floats(-1e3, -1e-3), min_size=1, max_size=5))
def test_adam_first_step_is_lr_times_sign_of_g(g):
    """E45: m̂₁ = g, v̂₁ = g², so θ₁ − θ₀ = −lr·g/(|g| + eps) ≈ −lr·sign(g).

    Uncorrected, lr·m₁/√v₁ = lr·0.1g/√(0.001g²) = √10·lr·sign(g).
    """
    g, theta0, lr = np.array(g), np.zeros(len(g)), 1e-3
    theta1, state = optim.adam_step(theta0, g, None, lr=lr)
    np.testing.assert_allclose(theta1 - theta0, -lr * np.sign(g), rtol=1e-4)
    uncorrected = lr * state["exp_avg"] / np.sqrt(state["exp_avg_sq"])
    np.testing.assert_allclose(uncorrected, math.sqrt(10) * lr * np.sign(g), rtol=1e-12)


def test_first_steps_written_out():
    """The rules of optimizers.md at t = 1, spelled out: where eps sits and what the buffers start at."""
    theta, g = np.array([1.0, -2.0]), np.array([0.5, -4.0])
    new, _ = optim.adagrad_step(theta, g, None, lr=0.1, eps=0.1)  # eps outside the root
    np.testing.assert_allclose(new, theta - 0.1 * g / (np.sqrt(g * g) + 0.1), rtol=1e-15)
    new, _ = optim.adadelta_step(theta, g, None, rho=0.9, eps=1e-6)  # eps inside both roots, lr = 1
    np.testing.assert_allclose(new, theta - np.sqrt(1e-6) / np.sqrt(0.1 * g * g + 1e-6) * g, rtol=1e-15)
    new, state = optim.sgd_step(theta, g, None, lr=0.1, momentum=0.9, dampening=0.5)  # b₁ = g, undamped
    np.testing.assert_array_equal(state["momentum_buffer"], g)
    np.testing.assert_allclose(new, theta - 0.1 * g, rtol=1e-15)


def torch_message(opt_cls, hyper):
    with pytest.raises(ValueError) as info:
        opt_cls([torch.zeros(2, dtype=torch.float64, requires_grad=True)], **hyper)
    return str(info.value)


TORCH_REJECTS = [
    (optim.sgd_step, torch.optim.SGD, {"lr": -0.1}),
    (optim.sgd_step, torch.optim.SGD, {"momentum": -0.5}),
    (optim.sgd_step, torch.optim.SGD, {"weight_decay": -1.0}),
    (optim.sgd_step, torch.optim.SGD, {"nesterov": True}),
    (optim.sgd_step, torch.optim.SGD, {"nesterov": True, "momentum": 0.9, "dampening": 0.1}),
    (optim.adagrad_step, torch.optim.Adagrad, {"lr": -0.1}),
    (optim.adagrad_step, torch.optim.Adagrad, {"lr_decay": -0.1}),
    (optim.adagrad_step, torch.optim.Adagrad, {"weight_decay": -0.1}),
    (optim.adagrad_step, torch.optim.Adagrad, {"initial_accumulator_value": -0.1}),
    (optim.adagrad_step, torch.optim.Adagrad, {"eps": -1e-3}),
    (optim.rmsprop_step, torch.optim.RMSprop, {"lr": -0.1}),
    (optim.rmsprop_step, torch.optim.RMSprop, {"eps": -1e-3}),
    (optim.rmsprop_step, torch.optim.RMSprop, {"momentum": -0.1}),
    (optim.rmsprop_step, torch.optim.RMSprop, {"weight_decay": -0.1}),
    (optim.rmsprop_step, torch.optim.RMSprop, {"alpha": -0.1}),
    (optim.adadelta_step, torch.optim.Adadelta, {"lr": -0.1}),
    (optim.adadelta_step, torch.optim.Adadelta, {"rho": -0.1}),
    (optim.adadelta_step, torch.optim.Adadelta, {"rho": 1.5}),
    (optim.adadelta_step, torch.optim.Adadelta, {"eps": -1e-3}),
    (optim.adadelta_step, torch.optim.Adadelta, {"weight_decay": -0.1}),
    (optim.adam_step, torch.optim.Adam, {"lr": -0.1}),
    (optim.adam_step, torch.optim.Adam, {"eps": -1e-3}),
    (optim.adam_step, torch.optim.Adam, {"betas": (1.0, 0.999)}),
    (optim.adam_step, torch.optim.Adam, {"betas": (-0.1, 0.999)}),
    (optim.adam_step, torch.optim.Adam, {"betas": (0.9, 1.0)}),
    (optim.adam_step, torch.optim.Adam, {"weight_decay": -0.1}),
]


@pytest.mark.parametrize(
    ("step", "opt_cls", "hyper"), TORCH_REJECTS, ids=[f"{c[1].__name__}-{c[2]}" for c in TORCH_REJECTS]
)
def test_invalid_hyper_parameters_raise_torchs_value_error(step, opt_cls, hyper):
    message = torch_message(opt_cls, hyper)
    with pytest.raises(ValueError, match=re.escape(message)):
        step(THETA0, rosenbrock_grad(THETA0), None, **hyper)


@pytest.mark.parametrize(
    ("step", "hyper", "match"),
    [  # torch accepts these; they make no sense (γ ∈ [0, 1), errata E42) or turn into NaN
        (optim.sgd_step, {"momentum": 1.0}, r"momentum must be in \[0, 1\)"),
        (optim.sgd_step, {"dampening": 1.5}, r"dampening must be in \[0, 1\]"),
        (optim.rmsprop_step, {"momentum": 1.0}, r"momentum must be in \[0, 1\)"),
        (optim.rmsprop_step, {"alpha": 1.5}, r"alpha must be in \[0, 1\]"),
        (optim.adam_step, {"lr": math.inf}, "lr must be finite"),
        (optim.adam_step, {"lr": math.nan}, "lr must not be NaN"),
    ],
)
def test_hyper_parameters_torch_accepts_but_we_refuse(step, hyper, match):
    with pytest.raises(ValueError, match=match):
        step(THETA0, rosenbrock_grad(THETA0), None, **hyper)


def test_type_errors():
    g = rosenbrock_grad(THETA0)
    with pytest.raises(TypeError, match="nesterov must be a bool"):
        optim.sgd_step(THETA0, g, None, momentum=0.9, nesterov="yes")
    with pytest.raises(TypeError, match="centered must be a bool"):
        optim.rmsprop_step(THETA0, g, None, centered=1)
    with pytest.raises(TypeError, match="betas must be a pair"):
        optim.adam_step(THETA0, g, None, betas=0.9)
    with pytest.raises(TypeError, match="lr must be a real number"):
        optim.sgd_step(THETA0, g, None, lr="0.1")
    with pytest.raises(TypeError, match="state must be None"):
        optim.adam_step(THETA0, g, [])


@pytest.mark.parametrize("step", ALL_STEPS)
def test_bad_arrays_and_bad_state(step):
    g = rosenbrock_grad(THETA0)
    with pytest.raises(ValueError, match=r"theta and grad must have the same shape, got \(2,\) and \(3,\)"):
        step(THETA0, np.ones(3), None)
    with pytest.raises(ValueError, match="grad contains NaN"):
        step(THETA0, np.array([1.0, np.nan]), None)
    with pytest.raises(ValueError, match="grad must be finite"):
        step(THETA0, np.array([1.0, np.inf]), None)
    with pytest.raises(ValueError, match="theta must be finite"):
        step(np.array([-np.inf, 0.0]), g, None)
    with pytest.raises(ValueError, match=r"state\['step'\] must be an integer"):
        step(THETA0, g, {})
    kw = {"momentum": 0.5} if step is optim.sgd_step else {}  # plain SGD keeps no buffer
    _, state = step(np.zeros(3), np.ones(3), None, **kw)
    with pytest.raises(ValueError, match=r"state\['\w+'\] has shape \(3,\) but theta has shape \(2,\)"):
        step(THETA0, g, state, **kw)


def test_overflowing_update_is_an_error_not_inf():
    with pytest.raises(ValueError, match="the step diverged: lower lr"):
        optim.sgd_step(np.array([1e308]), np.array([-1e308]), None, lr=10.0)


def test_run_shapes_and_first_row():
    traj = optim.run(optim.adam_step, bowl_grad, [1, 1], 5, lr=0.1)
    assert traj.shape == (6, 2) and traj.dtype == np.float64
    np.testing.assert_array_equal(traj[0], [1.0, 1.0])
    theta, state = np.array([1.0, 1.0]), None
    for k in range(1, 6):
        theta, state = optim.adam_step(theta, bowl_grad(theta), state, lr=0.1)
        np.testing.assert_array_equal(traj[k], theta)
    assert optim.run(optim.sgd_step, bowl_grad, [1.0, 2.0], 0).shape == (1, 2)
    with pytest.raises(ValueError, match="steps must be an integer >= 0"):
        optim.run(optim.sgd_step, bowl_grad, [1.0, 2.0], -1)
    with pytest.raises(ValueError, match="theta0 must have 1 dimension"):
        optim.run(optim.sgd_step, bowl_grad, np.zeros((2, 1)), 3)
    with pytest.raises(TypeError, match="step and grad_fn must be functions"):
        optim.run(optim.sgd_step, None, [1.0, 2.0], 3)
