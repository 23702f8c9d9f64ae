"""Tests for mlcourse.layers: torch float64 parity, finite differences, shapes, stability, error messages."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mlcourse import layers
from mlcourse.gradcheck import numerical_grad, rel_error

F64 = torch.float64
ACTIVATIONS = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu}


def _t(a, grad=False):
    return torch.tensor(a, dtype=F64, requires_grad=grad)


def _close(a, b, tol=1e-10):
    np.testing.assert_allclose(a, b, rtol=tol, atol=tol)


elems = st.floats(-5, 5, allow_nan=False)


@st.composite
def dense_case(draw):
    n, d, m = draw(st.integers(1, 5)), draw(st.integers(1, 5)), draw(st.integers(1, 5))
    x = draw(arrays(np.float64, (n, d), elements=elems))
    W = draw(arrays(np.float64, (d, m), elements=elems))
    b = draw(arrays(np.float64, (m,), elements=elems))
    dout = draw(arrays(np.float64, (n, m), elements=elems))
    return x, W, b, dout


# ---- dense ----


@settings(max_examples=50, deadline=None)
@given(case=dense_case())
def test_dense_matches_torch_and_keeps_inputs(case):
    x, W, b, dout = case
    copies = [a.copy() for a in case]
    out, cache = layers.dense_forward(x, W, b)
    dx, dW, db = layers.dense_backward(dout, cache)
    xt, Wt, bt = _t(x, True), _t(W, True), _t(b, True)
    out_t = xt @ Wt + bt
    out_t.backward(_t(dout))
    assert out.shape == (x.shape[0], W.shape[1]) and out.dtype == np.float64
    _close(out, out_t.detach().numpy())
    for ours, theirs in [(dx, xt), (dW, Wt), (db, bt)]:
        assert ours.shape == theirs.shape
        _close(ours, theirs.grad.numpy())
    for original, copy in zip(case, copies, strict=True):
        np.testing.assert_array_equal(original, copy)


def test_dense_matches_finite_differences():
    rng = np.random.default_rng(4)
    x, W, b = rng.normal(size=(4, 3)), rng.normal(size=(3, 5)), rng.normal(size=5)
    dout = rng.normal(size=(4, 5))
    _, cache = layers.dense_forward(x, W, b)
    dx, dW, db = layers.dense_backward(dout, cache)
    assert rel_error(dx, numerical_grad(lambda v: np.sum(layers.dense_forward(v, W, b)[0] * dout), x)) < 1e-8
    assert rel_error(dW, numerical_grad(lambda v: np.sum(layers.dense_forward(x, v, b)[0] * dout), W)) < 1e-8
    assert rel_error(db, numerical_grad(lambda v: np.sum(layers.dense_forward(x, W, v)[0] * dout), b)) < 1e-8


def test_dense_cache_is_not_aliased_to_the_inputs():
    x, W, b = np.ones((2, 3)), np.ones((3, 2)), np.zeros(2)
    _, cache = layers.dense_forward(x, W, b)
    x[:] = 5.0  # changing the caller's array afterwards must not change the backward pass
    dx, dW, _ = layers.dense_backward(np.ones((2, 2)), cache)
    np.testing.assert_array_equal(dW, np.full((3, 2), 2.0))
    np.testing.assert_array_equal(dx, np.full((2, 3), 2.0))


# ---- activations ----


@settings(max_examples=50, deadline=None)
@given(
    name=st.sampled_from(sorted(ACTIVATIONS)),
    z=arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 4)), elements=st.floats(-40, 40)),
    seed=st.integers(0, 2**32 - 1),
)
def test_activations_match_torch_and_keep_inputs(name, z, seed):
    da = np.random.default_rng(seed).normal(size=z.shape)
    z_copy, da_copy = z.copy(), da.copy()
    a, cache = getattr(layers, f"{name}_forward")(z)
    dz = getattr(layers, f"{name}_backward")(da, cache)
    zt = _t(z, True)
    a_t = ACTIVATIONS[name](zt)
    a_t.backward(_t(da))
    _close(a, a_t.detach().numpy())
    _close(dz, zt.grad.numpy())
    np.testing.assert_array_equal(z, z_copy)
    np.testing.assert_array_equal(da, da_copy)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activations_match_finite_differences(name):
    rng = np.random.default_rng(7)
    z = rng.normal(size=(3, 4))
    z[np.abs(z) < 1e-3] = 0.5  # keep relu away from its kink for the finite differences
    da = rng.normal(size=(3, 4))
    forward, backward = getattr(layers, f"{name}_forward"), getattr(layers, f"{name}_backward")
    dz = backward(da, forward(z)[1])
    assert rel_error(dz, numerical_grad(lambda v: np.sum(forward(v)[0] * da), z)) < 1e-8


def test_relu_derivative_at_exactly_zero_is_zero_as_torch():
    z = np.array([-1.0, 0.0, 2.0])
    a, cache = layers.relu_forward(z)
    dz = layers.relu_backward(np.ones(3), cache)
    np.testing.assert_array_equal(a, [0.0, 0.0, 2.0])
    np.testing.assert_array_equal(dz, [0.0, 0.0, 1.0])
    zt = _t(z, True)
    torch.relu(zt).sum().backward()
    np.testing.assert_array_equal(dz, zt.grad.numpy())


def test_sigmoid_is_stable_at_plus_minus_1000():
    z = np.array([-1000.0, -30.0, 0.0, 30.0, 1000.0])
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        a, cache = layers.sigmoid_forward(z)
        dz = layers.sigmoid_backward(np.ones_like(z), cache)
    assert a[0] == 0.0 and a[-1] == 1.0 and a[2] == 0.5
    assert np.all(np.isfinite(dz)) and dz[0] == 0.0 and dz[-1] == 0.0
    _close(a, torch.sigmoid(_t(z)).numpy(), tol=1e-15)


def test_activations_accept_any_shape():
    z = np.linspace(-2, 2, 24).reshape(2, 3, 4)
    for name in ACTIVATIONS:
        a, cache = getattr(layers, f"{name}_forward")(z)
        assert a.shape == z.shape
        assert getattr(layers, f"{name}_backward")(np.ones_like(z), cache).shape == z.shape


# ---- a two-layer chain and the MSE loss (E56: mean MSE adds 2/N) ----


def test_mse_and_two_layer_chain_match_torch():
    rng = np.random.default_rng(5)
    x, y = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    W1, b1, W2, b2 = rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=(4, 2)), rng.normal(size=2)
    z1, c1 = layers.dense_forward(x, W1, b1)
    a1, c2 = layers.tanh_forward(z1)
    z2, c3 = layers.dense_forward(a1, W2, b2)
    a2, c4 = layers.sigmoid_forward(z2)
    loss, da2 = layers.mse_loss_and_grad(a2, y)
    dz2 = layers.sigmoid_backward(da2, c4)
    _close(dz2, 2.0 / y.size * (a2 - y) * a2 * (1 - a2))  # δ_L for the mean MSE with a sigmoid output
    da1, dW2, db2 = layers.dense_backward(dz2, c3)
    _, dW1, db1 = layers.dense_backward(layers.tanh_backward(da1, c2), c1)
    params = [_t(p, True) for p in (W1, b1, W2, b2)]
    out = torch.sigmoid(torch.tanh(_t(x) @ params[0] + params[1]) @ params[2] + params[3])
    loss_t = torch.nn.functional.mse_loss(out, _t(y))
    loss_t.backward()
    assert isinstance(loss, float)
    assert loss == pytest.approx(loss_t.item(), rel=1e-12)
    for ours, p in zip((dW1, db1, dW2, db2), params, strict=True):
        _close(ours, p.grad.numpy())


# ---- errors ----


def test_dense_shape_errors():
    x, W, b = np.ones((2, 3)), np.ones((3, 4)), np.ones(4)
    with pytest.raises(ValueError, match=r"x must have 2 dimension\(s\), got shape \(3,\)"):
        layers.dense_forward(np.ones(3), W, b)
    with pytest.raises(ValueError, match=r"W rows must equal x columns.*\(2, 3\).*\(4, 4\)"):
        layers.dense_forward(x, np.ones((4, 4)), b)
    with pytest.raises(ValueError, match=r"b length must equal W columns.*\(3, 4\).*\(5,\)"):
        layers.dense_forward(x, W, np.ones(5))
    with pytest.raises(ValueError, match=r"b must have 1 dimension"):
        layers.dense_forward(x, W, np.ones((1, 4)))
    _, cache = layers.dense_forward(x, W, b)
    with pytest.raises(
        ValueError, match=r"dout shape must equal out shape \(N, M\) = \(2, 4\), got \(2, 3\)"
    ):
        layers.dense_backward(np.ones((2, 3)), cache)
    with pytest.raises(TypeError, match="cache must be the cache returned by dense_forward"):
        layers.dense_backward(np.ones((2, 4)), None)
    with pytest.raises(ValueError, match="x contains NaN"):
        layers.dense_forward(np.full((2, 3), np.nan), W, b)
    with pytest.raises(TypeError, match="W must be a number or an array"):
        layers.dense_forward(x, "W", b)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_backward_shape_error(name):
    _, cache = getattr(layers, f"{name}_forward")(np.ones((2, 3)))
    with pytest.raises(
        ValueError, match=r"da and the forward output must have the same shape.*\(3, 2\).*\(2, 3\)"
    ):
        getattr(layers, f"{name}_backward")(np.ones((3, 2)), cache)
    with pytest.raises(TypeError, match=f"cache must be the cache returned by {name}_forward"):
        getattr(layers, f"{name}_backward")(np.ones((2, 3)), np.ones((2, 3)))


def test_mse_errors():
    with pytest.raises(ValueError, match=r"a and y must have the same shape, got \(3,\) and \(2,\)"):
        layers.mse_loss_and_grad(np.ones(3), np.ones(2))
    with pytest.raises(ValueError, match="y is empty"):
        layers.mse_loss_and_grad(np.ones(0), np.ones(0))
