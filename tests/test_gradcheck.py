"""mlcourse.gradcheck: central differences and the relative error."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mlcourse.gradcheck import numerical_grad, rel_error


def test_quadratic_gradient_is_exact_to_rounding():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    np.testing.assert_allclose(numerical_grad(lambda v: float(np.sum(v**2)), x), 2 * x, rtol=1e-8)


@settings(max_examples=40)
@given(arrays(np.float64, st.integers(1, 6), elements=st.floats(-3, 3)))
def test_input_is_never_modified(x):
    before = x.copy()
    seen = []

    def f(v):
        seen.append(v)
        v[...] = 0.0  # a careless f that writes into its argument
        return 0.0

    numerical_grad(f, x)
    np.testing.assert_array_equal(x, before)
    assert all(v is not x for v in seen)


def test_float32_is_refused():
    with pytest.raises(TypeError, match="float64"):
        numerical_grad(lambda v: 0.0, np.zeros(3, dtype=np.float32))


def test_non_array_is_refused():
    with pytest.raises(TypeError, match="x must be a float64 numpy array"):
        numerical_grad(lambda v: 0.0, [1.0, 2.0])


def test_bad_h_and_f():
    with pytest.raises(ValueError, match="h must be > 0"):
        numerical_grad(lambda v: 0.0, np.zeros(2), h=0.0)
    with pytest.raises(TypeError, match="f must be a function"):
        numerical_grad(3.0, np.zeros(2))
    with pytest.raises(ValueError, match="f must return a scalar"):
        numerical_grad(lambda v: v, np.zeros(2))


def test_rel_error_definition():
    assert rel_error(np.array([1.0, 2.0]), np.array([1.0, 2.0])) == 0.0
    assert rel_error(np.array([1.0]), np.array([3.0])) == pytest.approx(0.5)
    assert rel_error(np.array([0.0]), np.array([1e-12])) == pytest.approx(1e-12 / 1e-8)
    with pytest.raises(ValueError, match="same shape"):
        rel_error(np.zeros(2), np.zeros(3))


def test_float64_accuracy_versus_float32():
    # worked-examples.md: float64 central differences agree to ~1e-9 relative
    x = np.linspace(-1, 1, 7)
    grad = numerical_grad(lambda v: float(np.sum(np.sin(v) * v)), x)
    assert rel_error(grad, np.cos(x) * x + np.sin(x)) < 1e-8
