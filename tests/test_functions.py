"""mlcourse.functions: values, gradients against finite differences, grid broadcasting."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlcourse import functions as fn
from mlcourse.gradcheck import numerical_grad

PAIRS = [
    (fn.bowl, fn.bowl_grad),
    (lambda t: fn.bowl(t, kappa=50.0), lambda t: fn.bowl_grad(t, kappa=50.0)),
    (fn.rosenbrock, fn.rosenbrock_grad),
    (lambda t: fn.rosenbrock(t, a=-0.5, b=3.0), lambda t: fn.rosenbrock_grad(t, a=-0.5, b=3.0)),
    (fn.saddle, fn.saddle_grad),
]
points = st.tuples(st.floats(-2, 2), st.floats(-2, 2))


@settings(max_examples=50, deadline=None)
@given(point=points, pair=st.sampled_from(PAIRS))
def test_gradients_match_finite_differences(point, pair):
    f, grad = pair
    theta = np.array(point)
    np.testing.assert_allclose(grad(theta), numerical_grad(f, theta), rtol=1e-6, atol=1e-6)


def test_known_values():
    assert fn.bowl(np.array([0.0, 1.0]), kappa=10.0) == 5.0  # ½κy²
    assert fn.rosenbrock(np.array([1.0, 1.0])) == 0.0
    assert fn.rosenbrock(np.array([-1.2, 1.0])) == pytest.approx(24.2)
    np.testing.assert_array_equal(
        fn.rosenbrock_grad(np.array([2.0, 4.0]), a=2.0), [0.0, 0.0]
    )  # min at (a, a²)
    assert fn.saddle(np.array([1.0, 1.0])) == 0.0
    for grad in (fn.bowl_grad, fn.rosenbrock_grad, fn.saddle_grad):
        zero = np.array([1.0, 1.0]) if grad is fn.rosenbrock_grad else np.zeros(2)
        np.testing.assert_array_equal(grad(zero), [0.0, 0.0])  # stationary points
    assert isinstance(fn.saddle([0.5, 0.25]), float)


@pytest.mark.parametrize("pair", PAIRS)
def test_grids_broadcast_like_points(pair):
    f, grad = pair
    xs, ys = np.linspace(-2, 2, 5), np.linspace(-1, 3, 4)
    grid = np.stack(np.meshgrid(xs, ys))  # (2, 4, 5)
    values, grads = f(grid), grad(grid)
    assert values.shape == (4, 5) and grads.shape == (2, 4, 5)
    for i, j in np.ndindex(4, 5):
        point = grid[:, i, j]
        assert values[i, j] == pytest.approx(f(point), rel=1e-15, abs=1e-15)
        np.testing.assert_allclose(grads[:, i, j], grad(point), rtol=1e-15, atol=1e-15)


def test_inputs_not_modified():
    theta = np.array([0.3, -0.7])
    for f in (fn.bowl, fn.bowl_grad, fn.rosenbrock, fn.rosenbrock_grad, fn.saddle, fn.saddle_grad):
        f(theta)
        np.testing.assert_array_equal(theta, [0.3, -0.7])


def test_errors():
    with pytest.raises(ValueError, match=r"theta must have shape \(2,\) or \(2, \.\.\.\).*got \(3,\)"):
        fn.rosenbrock(np.zeros(3))
    with pytest.raises(ValueError, match=r"got \(\)"):
        fn.saddle_grad(1.0)
    with pytest.raises(ValueError, match="kappa must be > 0"):
        fn.bowl(np.zeros(2), kappa=0.0)
    with pytest.raises(ValueError, match="b must be > 0"):
        fn.rosenbrock_grad(np.zeros(2), b=-1.0)
    with pytest.raises(ValueError, match="theta contains NaN"):
        fn.bowl(np.array([np.nan, 0.0]))
    with pytest.raises(TypeError, match="theta must be a number or an array"):
        fn.saddle("xy")
