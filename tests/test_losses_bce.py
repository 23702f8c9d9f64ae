"""mlcourse.losses (binary cross-entropy part): definitions, torch equality in float64, gradients, input checks."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from mlcourse import losses
from mlcourse.gradcheck import numerical_grad, rel_error


@st.composite
def logits_and_targets(draw, bound=30.0, soft=True):
    shape = draw(array_shapes(min_dims=1, max_dims=3, max_side=5))
    z = draw(arrays(np.float64, shape, elements=st.floats(-bound, bound, allow_nan=False)))
    if soft:
        y = draw(arrays(np.float64, shape, elements=st.floats(0.0, 1.0)))
    else:
        y = draw(arrays(np.int64, shape, elements=st.integers(0, 1))).astype(np.float64)
    return z, y


def torch_logits(z, y):
    t = torch.tensor(z, dtype=torch.float64, requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(t, torch.tensor(y, dtype=torch.float64))
    loss.backward()
    return loss.item(), t.grad.numpy()


def test_worked_example_gradient():
    # reference/worked-examples.md: z = (0.3, −1.2, 2), y = (1, 0, 1)
    z, y = np.array([0.3, -1.2, 2.0]), np.array([1.0, 0.0, 1.0])
    per_sample = losses.binary_cross_entropy_with_logits_grad(z, y) * z.size
    np.testing.assert_allclose(per_sample, [-0.425557, 0.231475, -0.119203], atol=5e-7)
    value, grad = torch_logits(z, y)
    assert losses.binary_cross_entropy_with_logits(z, y) == pytest.approx(value, rel=1e-14)
    np.testing.assert_allclose(losses.binary_cross_entropy_with_logits_grad(z, y), grad, rtol=1e-13)


def test_by_hand():
    p, y = np.array([0.9, 0.2]), np.array([1.0, 0.0])
    assert losses.binary_cross_entropy(p, y) == pytest.approx(-(math.log(0.9) + math.log(0.8)) / 2, rel=1e-15)
    # the logits form is the same loss evaluated at σ(z)
    z = np.array([2.0, -1.0])
    s = 1.0 / (1.0 + np.exp(-z))
    assert losses.binary_cross_entropy_with_logits(z, y) == pytest.approx(losses.binary_cross_entropy(s, y))


@settings(max_examples=50, deadline=None)
@given(logits_and_targets())
def test_logits_form_equals_torch(pair):
    z, y = pair
    value, grad = torch_logits(z, y)
    assert losses.binary_cross_entropy_with_logits(z, y) == pytest.approx(value, rel=1e-12, abs=1e-14)
    np.testing.assert_allclose(losses.binary_cross_entropy_with_logits_grad(z, y), grad, rtol=1e-12, atol=1e-17)


@settings(max_examples=50, deadline=None)
@given(logits_and_targets(bound=15.0))
def test_probability_form_equals_torch(pair):
    z, y = pair
    p = 1.0 / (1.0 + np.exp(-z))
    expected = F.binary_cross_entropy(torch.tensor(p, dtype=torch.float64), torch.tensor(y, dtype=torch.float64))
    assert losses.binary_cross_entropy(p, y) == pytest.approx(expected.item(), rel=1e-12, abs=1e-14)


def test_probability_form_clamps_like_torch():
    # p = 0 or 1 exactly: log 0 = −inf is clamped at −100, so 0·log 0 = 0 and a wrong certain answer costs 100
    p, y = np.array([0.0, 1.0, 0.0, 1.0]), np.array([0.0, 1.0, 1.0, 0.0])
    ours = losses.binary_cross_entropy(p, y)
    theirs = F.binary_cross_entropy(torch.tensor(p, dtype=torch.float64), torch.tensor(y, dtype=torch.float64))
    assert ours == pytest.approx(theirs.item()) and ours == pytest.approx(50.0)
    # the naive formula gives NaN here: 0·log 0
    with np.errstate(divide="ignore", invalid="ignore"):
        naive = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert np.isnan(naive)


@pytest.mark.parametrize("z", [1e4, -1e4, 745.0, -800.0])
def test_logits_form_is_stable_for_huge_logits(z):
    for y in (0.0, 1.0):
        value = losses.binary_cross_entropy_with_logits([z], [y])
        expected = F.binary_cross_entropy_with_logits(
            torch.tensor([z], dtype=torch.float64), torch.tensor([y], dtype=torch.float64)
        ).item()
        assert math.isfinite(value) and value == pytest.approx(expected, rel=1e-14, abs=1e-300)
        grad = losses.binary_cross_entropy_with_logits_grad([z], [y])
        assert np.isfinite(grad).all() and abs(grad[0]) <= 1.0


@settings(max_examples=40, deadline=None)
@given(logits_and_targets(bound=8.0))
def test_gradient_matches_finite_differences(pair):
    z, y = pair
    analytic = losses.binary_cross_entropy_with_logits_grad(z, y)
    numeric = numerical_grad(lambda v: losses.binary_cross_entropy_with_logits(v, y), z)
    assert rel_error(analytic, numeric) < 1e-6 or np.max(np.abs(analytic - numeric)) < 1e-9


@settings(max_examples=40, deadline=None)
@given(logits_and_targets(soft=False))
def test_loss_is_positive_and_gradient_points_away_from_target(pair):
    z, y = pair
    assert losses.binary_cross_entropy_with_logits(z, y) > 0.0  # σ(z) is never exactly 0 or 1 in exact math
    g = losses.binary_cross_entropy_with_logits_grad(z, y)
    assert (g[y == 1] <= 0).all() and (g[y == 0] >= 0).all()


def test_inputs_not_modified_and_new_arrays():
    z, y = np.array([0.5, -0.5]), np.array([1.0, 0.0])
    z0, y0 = z.copy(), y.copy()
    g = losses.binary_cross_entropy_with_logits_grad(z, y)
    losses.binary_cross_entropy_with_logits(z, y)
    losses.binary_cross_entropy(np.array([0.3, 0.6]), y)
    np.testing.assert_array_equal(z, z0)
    np.testing.assert_array_equal(y, y0)
    assert not np.shares_memory(g, z)
    assert type(losses.binary_cross_entropy_with_logits(z, y)) is float


@pytest.mark.parametrize(
    ("fn", "first", "y", "error", "match"),
    [
        (losses.binary_cross_entropy, [0.5, 1.2], [1, 0], ValueError, "p must hold probabilities in"),
        (losses.binary_cross_entropy, [0.5, -0.1], [1, 0], ValueError, "p must hold probabilities in"),
        (losses.binary_cross_entropy, [0.5, 0.5], [1, 2], ValueError, r"y must hold targets in \[0, 1\]"),
        (losses.binary_cross_entropy, [0.5, 0.5], [1.0], ValueError, "p and y must have the same shape"),
        (losses.binary_cross_entropy, [0.5, np.nan], [1, 0], ValueError, "p contains NaN"),
        (losses.binary_cross_entropy, [], [], ValueError, "y is empty"),
        (losses.binary_cross_entropy_with_logits, [0.0, np.inf], [1, 0], ValueError, "z contains inf"),
        (losses.binary_cross_entropy_with_logits, [0.0, 1.0], [-1, 0], ValueError, "y must hold targets"),
        (losses.binary_cross_entropy_with_logits, [0.0, 1.0], [[1, 0]], ValueError, "same shape"),
        (losses.binary_cross_entropy_with_logits_grad, "ab", [1, 0], TypeError, "z must be a number"),
        (losses.binary_cross_entropy_with_logits_grad, [0.0], [np.nan], ValueError, "y contains NaN"),
    ],
)
def test_bad_input(fn, first, y, error, match):
    with pytest.raises(error, match=match):
        fn(first, y)
