"""Tests for mlcourse.softmax: log-sum-exp, softmax, softmax cross-entropy and its gradient (chapter 03)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mlcourse.gradcheck import numerical_grad, rel_error
from mlcourse.softmax import (
    log_softmax,
    logsumexp,
    one_hot,
    softmax,
    softmax_cross_entropy,
    softmax_cross_entropy_grad,
    softmax_jacobian,
)

FAST = settings(max_examples=50, deadline=None)


def logit_vectors(bound=50.0):
    return arrays(np.float64, st.integers(1, 8), elements=st.floats(-bound, bound))


@st.composite
def batches(draw, bound=20.0):
    """(z, labels, probability rows) for a batch of N rows and K classes."""
    n, k = draw(st.integers(1, 5)), draw(st.integers(1, 6))
    z = draw(arrays(np.float64, (n, k), elements=st.floats(-bound, bound)))
    labels = np.array(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)), dtype=np.int64)
    w = draw(arrays(np.float64, (n, k), elements=st.floats(0.01, 1.0)))
    return z, labels, w / w.sum(axis=1, keepdims=True)


def t64(x):
    return torch.tensor(x, dtype=torch.float64)


# --- exact numbers (reference/worked-examples.md) ----------------------------------------------------


def test_stable_logsumexp_where_the_naive_formula_overflows():
    z = np.array([1000.0, 1001.0, 1002.0])
    with np.errstate(over="ignore"):
        assert np.log(np.sum(np.exp(z))) == math.inf  # the naive formula
    assert logsumexp(z) == pytest.approx(1002.40760596, abs=1e-8)
    assert type(logsumexp(z)) is float
    np.testing.assert_allclose(log_softmax(z), z - 1002.4076059644444, rtol=1e-15)


def test_worked_example_loss_and_gradient():
    p = np.array([0.34, 0.46, 0.20])
    y = np.array([0])  # the true class is the first one ("class 1" counting from 1)
    for shift in (0.0, 7.0, -300.0):  # softmax is shift invariant: any z = log p + c gives the same numbers
        z = (np.log(p) + shift)[None, :]
        np.testing.assert_allclose(softmax(z), p[None, :], rtol=1e-13)
        assert softmax_cross_entropy(z, y) == pytest.approx(1.07881, abs=5e-6)
        assert softmax_cross_entropy(z, y) == pytest.approx(-math.log(0.34), abs=1e-13)
        np.testing.assert_allclose(softmax_cross_entropy_grad(z, y), [[-0.66, 0.46, 0.20]], atol=1e-13)
        # the same with the one-hot row as a probability target
        np.testing.assert_allclose(
            softmax_cross_entropy_grad(z, [[1.0, 0.0, 0.0]]), [[-0.66, 0.46, 0.20]], atol=1e-13
        )


def test_jacobian_worked_example():
    p = np.array([0.34, 0.46, 0.20])
    J = softmax_jacobian(p)
    assert J[0, 0] == pytest.approx(0.34 * 0.66, abs=1e-15)
    assert J[0, 1] == pytest.approx(-0.34 * 0.46, abs=1e-15)
    np.testing.assert_allclose(J, J.T, atol=0)
    np.testing.assert_allclose(J.sum(axis=1), 0.0, atol=1e-15)


# --- properties --------------------------------------------------------------------------------------


@FAST
@given(logit_vectors(), st.floats(-1e3, 1e3))
def test_softmax_properties(z, c):
    p = softmax(z)
    assert p.shape == z.shape
    assert np.all((p >= 0) & (p <= 1))
    assert p.sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(softmax(z + c), p, rtol=1e-9, atol=1e-12)  # shift invariance
    assert p[np.argmax(z)] == p.max()  # the largest logit has the largest probability
    i, j = np.triu_indices(len(z), 1)
    assert np.all(p[i][z[i] < z[j]] <= p[j][z[i] < z[j]])  # monotone (ties may appear after rounding)
    np.testing.assert_allclose(log_softmax(z), np.log(p), rtol=1e-12, atol=1e-12)  # no underflow at |z| <= 50
    assert logsumexp(z) >= z.max()


@FAST
@given(batches())
def test_gradient_rows_sum_to_zero(batch):
    z, labels, rows = batch
    for y in (labels, rows):
        dz = softmax_cross_entropy_grad(z, y)
        assert dz.shape == z.shape
        np.testing.assert_allclose(dz.sum(axis=1), 0.0, atol=1e-15)
        assert softmax_cross_entropy(z, y) >= 0.0


@FAST
@given(batches())
def test_gradient_matches_finite_differences(batch):
    z, labels, rows = batch
    for y in (labels, rows):
        num = numerical_grad(lambda v, y=y: softmax_cross_entropy(v, y), z)
        # absolute tolerance: at z = 0 with uniform targets the gradient is exactly 0, the estimate ~1e-10
        np.testing.assert_allclose(softmax_cross_entropy_grad(z, y), num, rtol=1e-6, atol=1e-8)


def test_gradient_finite_differences_worked_example():
    z = np.log(np.array([[0.34, 0.46, 0.20], [0.1, 0.6, 0.3]]))
    for y in (np.array([0, 2]), np.array([[0.7, 0.2, 0.1], [0.0, 0.5, 0.5]])):
        num = numerical_grad(lambda v, y=y: softmax_cross_entropy(v, y), z)
        assert rel_error(softmax_cross_entropy_grad(z, y), num) < 1e-8


def test_jacobian_matches_finite_differences():
    z = np.array([0.3, -1.2, 2.0, 0.5])
    rows = [numerical_grad(lambda v, i=i: softmax(v)[i], z) for i in range(4)]
    assert rel_error(softmax_jacobian(softmax(z)), np.array(rows)) < 1e-8


# --- torch, float64 ----------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["labels", "probabilities"])
def test_loss_and_gradient_match_torch(target):
    rng = np.random.default_rng(3)
    z = rng.normal(size=(7, 5)) * 3
    y = rng.integers(0, 5, size=7) if target == "labels" else rng.dirichlet(np.ones(5), size=7)
    tz = t64(z).requires_grad_(True)
    ty = torch.tensor(y) if target == "labels" else t64(y)
    loss = F.cross_entropy(tz, ty)
    loss.backward()
    assert abs(softmax_cross_entropy(z, y) - loss.item()) < 1e-12
    np.testing.assert_allclose(softmax_cross_entropy_grad(z, y), tz.grad.numpy(), rtol=0, atol=1e-12)


@pytest.mark.parametrize("axis", [0, 1, 2, -1, -2, -3])
def test_each_axis_matches_torch(axis):
    z = np.random.default_rng(4).normal(size=(2, 3, 4)) * 5
    tz = t64(z)
    np.testing.assert_allclose(logsumexp(z, axis=axis), torch.logsumexp(tz, dim=axis).numpy(), rtol=1e-14)
    np.testing.assert_allclose(softmax(z, axis=axis), torch.softmax(tz, dim=axis).numpy(), rtol=1e-13)
    np.testing.assert_allclose(
        log_softmax(z, axis=axis), torch.log_softmax(tz, dim=axis).numpy(), rtol=1e-13, atol=1e-14
    )
    np.testing.assert_allclose(softmax(z, axis=axis).sum(axis=axis), 1.0, rtol=1e-14)


def test_jacobian_matches_torch():
    z = np.array([0.3, -1.2, 2.0, 0.5])
    J_torch = torch.autograd.functional.jacobian(lambda v: torch.softmax(v, dim=0), t64(z)).numpy()
    np.testing.assert_allclose(softmax_jacobian(softmax(z)), J_torch, atol=1e-15)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_huge_logits_are_finite_at_any_axis(axis):
    z = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, 1e4], [5.0, 1e4, -1e4]])
    tz = t64(z)
    assert np.isfinite(logsumexp(z, axis=axis)).all()
    p = softmax(z, axis=axis)
    assert np.isfinite(p).all()
    np.testing.assert_allclose(p.sum(axis=axis), 1.0)
    assert np.isfinite(log_softmax(z, axis=axis)).all()
    np.testing.assert_allclose(log_softmax(z, axis=axis), torch.log_softmax(tz, dim=axis).numpy(), rtol=1e-15)
    np.testing.assert_allclose(logsumexp(z, axis=axis), torch.logsumexp(tz, dim=axis).numpy(), rtol=1e-15)


def test_huge_logits_loss():
    z = np.array([[1e4, -1e4], [-1e4, 1e4]])
    y = np.array([1, 1])
    assert softmax_cross_entropy(z, y) == pytest.approx(1e4, rel=1e-15)  # row 0 costs 2e4, row 1 costs 0
    np.testing.assert_allclose(softmax_cross_entropy_grad(z, y), [[0.5, -0.5], [0.0, 0.0]], atol=1e-300)
    assert softmax_cross_entropy(z, y) == pytest.approx(F.cross_entropy(t64(z), torch.tensor(y)).item())


def test_infinite_logits():
    assert logsumexp([-math.inf, -math.inf]) == -math.inf
    assert logsumexp([math.inf, 0.0]) == math.inf
    assert logsumexp([1e308, -1e308]) == 1e308
    np.testing.assert_array_equal(softmax([0.0, -math.inf, 0.0]), [0.5, 0.0, 0.5])  # a masked logit
    np.testing.assert_array_equal(log_softmax([0.0, -math.inf]), [0.0, -math.inf])
    with pytest.raises(ValueError, match=r"z contains \+inf"):
        softmax([math.inf, 0.0])
    with pytest.raises(ValueError, match="all −inf"):
        log_softmax([[0.0, -math.inf], [-math.inf, -math.inf]], axis=1)
    with pytest.raises(ValueError, match="z contains inf; expected finite numbers"):
        softmax_cross_entropy([[0.0, -math.inf]], [0])


def test_one_hot():
    np.testing.assert_array_equal(one_hot([2, 0], 3), [[0, 0, 1], [1, 0, 0]])
    assert one_hot(np.array([1], dtype=np.int8), np.int64(2)).dtype == np.float64
    assert one_hot(np.array([], dtype=int), 4).shape == (0, 4)
    with pytest.raises(ValueError, match=r"y has label 3 but there are only 3 classes \(0..2\)"):
        one_hot([0, 3], 3)
    with pytest.raises(ValueError, match="y has a negative label -1"):
        one_hot([-1], 3)
    with pytest.raises(TypeError, match="y must hold integers"):
        one_hot([0.0, 1.0], 3)
    with pytest.raises(TypeError, match="num_classes must be an integer"):
        one_hot([0], 3.0)
    with pytest.raises(ValueError, match="num_classes must be >= 1"):
        one_hot([0], 0)


def test_inputs_are_not_modified():
    z = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 4.0]])
    rows = np.array([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]])
    labels = np.array([2, 0])
    z0, rows0, labels0 = z.copy(), rows.copy(), labels.copy()
    for f in (logsumexp, softmax, log_softmax):
        f(z, axis=0)
    for y in (labels, rows):
        softmax_cross_entropy(z, y)
        softmax_cross_entropy_grad(z, y)
    softmax_jacobian(rows[0])
    np.testing.assert_array_equal(z, z0)
    np.testing.assert_array_equal(rows, rows0)
    np.testing.assert_array_equal(labels, labels0)


# --- bad input ---------------------------------------------------------------------------------------

Z = np.zeros((2, 3))


@pytest.mark.parametrize(
    ("z", "y", "error", "match"),
    [
        (Z, [0, 3], ValueError, "y has label 3 but there are only 3 classes"),
        (Z, [0, -1], ValueError, "y has a negative label -1"),
        (Z, [0.0, 1.0], TypeError, r"integer labels .*or probability rows.*1-D float64"),
        (Z, [True, False], TypeError, "integer labels .*got dtype bool"),
        (Z, ["a", "b"], TypeError, "integer labels .*or probability rows"),
        (Z, [0, 1, 2], ValueError, "y has 3 labels but z has 2 rows"),
        (Z, [[0.5, 0.5, 0.0]], ValueError, r"z and y must have the same shape, got \(2, 3\) and \(1, 3\)"),
        (Z, [[0.5, 0.6, 0.0]] * 2, ValueError, "y must sum to 1"),
        (Z, [[1.5, -0.5, 0.0]] * 2, ValueError, "y has negative entries"),
        (Z, np.zeros((2, 3, 1)), ValueError, r"got shape \(2, 3, 1\)"),
        (Z, 0, ValueError, r"got shape \(\)"),
        (np.zeros(3), [0], ValueError, r"z must have 2 dimension\(s\), got shape \(3,\)"),
        (np.zeros((0, 3)), np.zeros(0, dtype=int), ValueError, "empty batch"),
        (np.zeros((2, 0)), [0, 0], ValueError, "at least one class"),
        ([[0.0, math.nan]], [0], ValueError, "z contains NaN"),
    ],
)
def test_bad_loss_input(z, y, error, match):
    for f in (softmax_cross_entropy, softmax_cross_entropy_grad):
        with pytest.raises(error, match=match):
            f(z, y)


def test_bad_axis_and_logits():
    with pytest.raises(ValueError, match=r"axis 2 is out of range for z of shape \(2, 3\)"):
        softmax(Z, axis=2)
    with pytest.raises(ValueError, match="axis -3 is out of range"):
        logsumexp(Z, axis=-3)
    with pytest.raises(TypeError, match="axis must be an integer"):
        log_softmax(Z, axis=1.0)
    with pytest.raises(ValueError, match="z must be at least 1-D"):
        softmax(3.0)
    with pytest.raises(ValueError, match="at least one entry along axis 1"):
        logsumexp(np.zeros((2, 0)))
    with pytest.raises(TypeError, match="z must be a number or an array of numbers"):
        softmax("abc")


def test_bad_jacobian_input():
    with pytest.raises(ValueError, match="p must sum to 1"):
        softmax_jacobian([0.5, 0.6])
    with pytest.raises(ValueError, match=r"p must have 1 dimension\(s\)"):
        softmax_jacobian([[0.5, 0.5]])
    with pytest.raises(ValueError, match="p is empty"):
        softmax_jacobian([])
