"""mlcourse.losses (regression part): definitions, gradients, torch equality, input checks."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from mlcourse import losses
from mlcourse.gradcheck import numerical_grad, rel_error

finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)


@st.composite
def pairs(draw):
    shape = draw(array_shapes(min_dims=1, max_dims=3, max_side=5))
    return draw(arrays(np.float64, shape, elements=finite)), draw(arrays(np.float64, shape, elements=finite))


def torch_value_and_grad(fn, y_hat, y):
    t = torch.tensor(y_hat, dtype=torch.float64, requires_grad=True)
    loss = fn(t, torch.tensor(y, dtype=torch.float64))
    loss.backward()
    return loss.item(), t.grad.numpy()


def test_small_example_by_hand():
    y_hat, y = np.array([2.0, 0.0, 5.0]), np.array([1.0, 1.0, 1.0])
    assert losses.mse(y_hat, y) == pytest.approx((1 + 1 + 16) / 3)
    assert losses.mae(y_hat, y) == pytest.approx((1 + 1 + 4) / 3)
    np.testing.assert_allclose(losses.mse_grad(y_hat, y), [2 / 3, -2 / 3, 8 / 3])
    np.testing.assert_allclose(losses.mae_grad(y_hat, y), [1 / 3, -1 / 3, 1 / 3])


def test_returns_python_float_and_new_arrays():
    y_hat, y = np.array([1.0, 2.0]), np.array([0.0, 0.0])
    assert type(losses.mse(y_hat, y)) is float and type(losses.mae(y_hat, y)) is float
    g = losses.mse_grad(y_hat, y)
    assert g is not y_hat and not np.shares_memory(g, y_hat)


@settings(max_examples=60)
@given(pairs())
def test_mse_and_mae_equal_torch(pair):
    y_hat, y = pair
    for ours, ours_grad, theirs in (
        (losses.mse, losses.mse_grad, F.mse_loss),
        (losses.mae, losses.mae_grad, F.l1_loss),
    ):
        value, grad = torch_value_and_grad(theirs, y_hat, y)
        assert ours(y_hat, y) == pytest.approx(value, rel=1e-12, abs=1e-12)
        np.testing.assert_allclose(ours_grad(y_hat, y), grad, rtol=1e-12, atol=1e-15)


@settings(max_examples=40)
@given(pairs())
def test_gradients_match_finite_differences(pair):
    # moderate magnitudes: the rounding error of a central difference grows like eps·|f|/h
    y_hat, y = pair[0] / 100, pair[1] / 100
    np.testing.assert_allclose(
        losses.mse_grad(y_hat, y), numerical_grad(lambda v: losses.mse(v, y), y_hat), rtol=1e-6, atol=1e-6
    )
    # MAE is differentiable away from e = 0: keep every |ŷ − y| well above h
    y_hat = np.where(np.abs(y_hat - y) < 1e-3, y + 1.0, y_hat)
    assert rel_error(losses.mae_grad(y_hat, y), numerical_grad(lambda v: losses.mae(v, y), y_hat)) < 1e-7


def test_mae_grad_is_zero_where_equal_like_torch():
    y_hat, y = np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, 5.0])
    _, grad = torch_value_and_grad(F.l1_loss, y_hat, y)
    np.testing.assert_array_equal(losses.mae_grad(y_hat, y), grad)
    assert losses.mae_grad(y_hat, y)[0] == 0.0


@settings(max_examples=60)
@given(pairs(), st.floats(1.0, 6.0))
def test_lp_loss_is_the_p_norm_to_the_p(pair, p):
    y_hat, y = pair
    expected = np.linalg.norm((y - y_hat).ravel(), ord=p) ** p
    assert losses.lp_loss(y_hat, y, p) == pytest.approx(expected, rel=1e-9, abs=1e-9)


@settings(max_examples=40)
@given(pairs())
def test_mse_and_mae_are_mean_lp_losses(pair):
    # E51: MSE = (1/N)‖y − ŷ‖₂², MAE = (1/N)‖y − ŷ‖₁
    y_hat, y = pair
    assert losses.mse(y_hat, y) == pytest.approx(losses.lp_loss(y_hat, y, 2) / y.size, rel=1e-12, abs=1e-12)
    assert losses.mae(y_hat, y) == pytest.approx(losses.lp_loss(y_hat, y, 1) / y.size, rel=1e-12, abs=1e-12)


@settings(max_examples=40)
@given(pairs())
def test_inputs_are_not_modified(pair):
    y_hat, y = pair
    before = (y_hat.copy(), y.copy())
    for fn in (losses.mse, losses.mse_grad, losses.mae, losses.mae_grad):
        fn(y_hat, y)
    losses.lp_loss(y_hat, y, 3)
    np.testing.assert_array_equal(y_hat, before[0])
    np.testing.assert_array_equal(y, before[1])


def test_accepts_lists_and_numbers():
    assert losses.mse([1, 2], [1, 4]) == 2.0
    assert losses.mae(3, 1) == 2.0


@pytest.mark.parametrize("fn", [losses.mse, losses.mse_grad, losses.mae, losses.mae_grad])
def test_shape_mismatch(fn):
    with pytest.raises(ValueError, match=r"y_hat and y must have the same shape, got \(3,\) and \(2,\)"):
        fn(np.zeros(3), np.zeros(2))


@pytest.mark.parametrize(
    ("y_hat", "error", "message"),
    [
        ("abc", TypeError, "y_hat must be a number or an array of numbers, got str"),
        (None, TypeError, "got NoneType"),
        ([1, "a"], TypeError, "y_hat must be a number"),
        ([[1, 2], [3]], TypeError, "y_hat must be a number"),
        ([np.nan, 1.0], ValueError, "y_hat contains NaN"),
        ([np.inf, 1.0], ValueError, "y_hat contains inf"),
        ([1 + 2j, 1.0], TypeError, "complex"),
    ],
)
def test_bad_input(y_hat, error, message):
    with pytest.raises(error, match=message):
        losses.mse(y_hat, [0.0, 0.0])


def test_empty_input():
    with pytest.raises(ValueError, match="y is empty"):
        losses.mae(np.zeros(0), np.zeros(0))


@pytest.mark.parametrize("p", [0.5, 0, -1, float("inf")])
def test_lp_loss_rejects_p_below_one(p):
    with pytest.raises(ValueError, match="p must be a finite number >= 1"):
        losses.lp_loss([1.0], [0.0], p)


def test_lp_loss_rejects_non_numeric_p():
    with pytest.raises(TypeError, match="p must be a real number"):
        losses.lp_loss([1.0], [0.0], "2")
