"""Tests for mlcourse.info: entropy, cross-entropy, KL divergence, surprise (chapter 02)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from mlcourse.info import cross_entropy, entropy, kl_divergence, surprise

FAST = settings(max_examples=50, deadline=None)


@st.composite
def distributions(draw, k=None, min_value=0.0):
    """A probability vector of length k (1..8 if not given); entries may be 0 unless min_value > 0."""
    k = draw(st.integers(1, 8)) if k is None else k
    w = draw(st.lists(st.floats(min_value, 10.0), min_size=k, max_size=k).filter(lambda v: sum(v) > 1e-3))
    w = np.array(w)
    return w / w.sum()


@st.composite
def pairs(draw, q_min=1e-3):
    """(p, q) of the same length; p may contain zeros, q is strictly positive."""
    k = draw(st.integers(1, 8))
    return draw(distributions(k)), draw(distributions(k, min_value=q_min))


# --- exact values ------------------------------------------------------------------------------------


def test_known_entropies():
    assert entropy([0.5, 0.5], base=2) == pytest.approx(1.0, abs=1e-15)  # a fair coin: 1 bit
    assert entropy([0.5, 0.25, 0.25], base=2) == pytest.approx(1.5, abs=1e-15)
    assert entropy(np.full(10, 0.1)) == pytest.approx(math.log(10), abs=1e-14)
    assert entropy([0.0, 1.0, 0.0]) == 0.0  # one-hot: no uncertainty, and 0·log 0 = 0 (no NaN)
    assert entropy([1.0]) == 0.0


def test_one_dimensional_input_gives_a_python_float_and_batches_an_array():
    p = np.array([0.2, 0.3, 0.5])
    for value in (entropy(p), cross_entropy(p, p), kl_divergence(p, p), surprise(0.5)):
        assert type(value) is float
    rng = np.random.default_rng(0)
    P = rng.dirichlet(np.ones(4), size=(2, 3))
    Q = rng.dirichlet(np.ones(4), size=(2, 3))
    for f, args in ((entropy, (P,)), (cross_entropy, (P, Q)), (kl_divergence, (P, Q))):
        out = f(*args)
        assert isinstance(out, np.ndarray) and out.shape == (2, 3)
        for i, j in np.ndindex(2, 3):
            assert out[i, j] == f(*(a[i, j] for a in args))


def test_kl_is_asymmetric():
    p, q = [0.5, 0.5], [0.9, 0.1]
    assert kl_divergence(p, q) == pytest.approx(0.5 * math.log(25 / 9), abs=1e-15)
    assert kl_divergence(q, p) == pytest.approx(0.9 * math.log(1.8) + 0.1 * math.log(0.2), abs=1e-15)
    assert abs(kl_divergence(p, q) - kl_divergence(q, p)) > 0.1


def test_cross_entropy_is_not_a_distance():
    p = [0.5, 0.5]
    assert cross_entropy(p, p) == pytest.approx(math.log(2), abs=1e-15)  # H(p, p) = H(p) != 0 (erratum E8)
    assert cross_entropy(p, [0.9, 0.1]) != cross_entropy([0.9, 0.1], p)


def test_zero_probabilities():
    assert cross_entropy([0.5, 0.5, 0.0], [0.5, 0.5, 0.0]) == pytest.approx(math.log(2), abs=1e-15)
    assert kl_divergence([0.5, 0.5, 0.0], [0.25, 0.25, 0.5]) == pytest.approx(math.log(2), abs=1e-15)
    assert kl_divergence([1.0, 0.0], [1.0, 0.0]) == 0.0
    # q = 0 where p > 0: infinite, documented, and no RuntimeWarning (warnings are errors in this suite)
    assert cross_entropy([0.5, 0.5], [1.0, 0.0]) == math.inf
    assert kl_divergence([0.5, 0.5], [1.0, 0.0]) == math.inf
    assert cross_entropy([1.0, 0.0], [0.0, 1.0], base=2) == math.inf
    np.testing.assert_array_equal(
        kl_divergence([[0.5, 0.5], [1.0, 0.0]], [[1.0, 0.0], [1.0, 0.0]]), [math.inf, 0]
    )


def test_surprise():
    assert surprise(0.5, base=2) == 1.0
    assert surprise(1.0) == 0.0 and math.copysign(1.0, surprise(1.0)) == 1.0  # +0.0, not −0.0
    assert surprise(0.0) == math.inf
    np.testing.assert_allclose(surprise([0.25, 0.125], base=2), [2.0, 3.0], rtol=1e-15)
    # entropy is the expected surprise
    p = np.array([0.1, 0.2, 0.7])
    assert entropy(p) == pytest.approx(float(np.sum(p * surprise(p))), abs=1e-15)


# --- properties --------------------------------------------------------------------------------------


@FAST
@given(distributions())
def test_entropy_bounds(p):
    h = entropy(p)
    assert 0.0 <= h <= math.log(len(p)) + 1e-12


@FAST
@given(pairs())
def test_kl_non_negative_and_equals_cross_entropy_minus_entropy(pq):
    p, q = pq
    kl = kl_divergence(p, q)
    assert kl >= -1e-12
    assert kl == pytest.approx(cross_entropy(p, q) - entropy(p), abs=1e-12)
    assert cross_entropy(p, q) >= entropy(p) - 1e-12  # Gibbs' inequality: q = p is the minimiser


@FAST
@given(distributions())
def test_kl_of_a_distribution_with_itself_is_exactly_zero(p):
    assert kl_divergence(p, p) == 0.0
    assert cross_entropy(p, p) == pytest.approx(entropy(p), abs=1e-15)


@FAST
@given(distributions(min_value=1e-3), st.data())
def test_cross_entropy_with_one_hot_target_is_minus_log_q(q, data):
    c = data.draw(st.integers(0, len(q) - 1))
    p = np.zeros_like(q)
    p[c] = 1.0
    assert cross_entropy(p, q) == pytest.approx(-math.log(q[c]), abs=1e-15)
    assert cross_entropy(p, q) == pytest.approx(kl_divergence(p, q), abs=1e-15)  # H(onehot) = 0


@FAST
@given(pairs(), st.sampled_from([2.0, 10.0, 0.5, 3]))
def test_base_conversion(pq, base):
    p, q = pq
    ln_b = math.log(base)
    assert entropy(p, base=base) == pytest.approx(entropy(p) / ln_b, rel=1e-14, abs=1e-15)
    assert cross_entropy(p, q, base=base) == pytest.approx(cross_entropy(p, q) / ln_b, rel=1e-14, abs=1e-15)
    assert kl_divergence(p, q, base=base) == pytest.approx(kl_divergence(p, q) / ln_b, rel=1e-14, abs=1e-15)
    assert entropy(p, base=2) == pytest.approx(entropy(p) / math.log(2), rel=1e-14, abs=1e-15)  # bits


# --- torch, float64 ----------------------------------------------------------------------------------


def test_against_torch():
    rng = np.random.default_rng(1)
    P = rng.dirichlet(np.ones(5), size=6)
    P[0, 1] = 0.0
    P[0] /= P[0].sum()  # one row with a zero: torch's xlogy handles 0·log 0 as we do
    Q = rng.dirichlet(np.ones(5), size=6)
    tp = torch.tensor(P, dtype=torch.float64)
    tq = torch.tensor(Q, dtype=torch.float64)
    np.testing.assert_allclose(entropy(P), torch.special.entr(tp).sum(-1).numpy(), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(cross_entropy(P, Q), -(tp * tq.log()).sum(-1).numpy(), rtol=1e-13, atol=1e-15)
    kl_torch = F.kl_div(tq.log(), tp, reduction="none").sum(-1).numpy()  # input = log q, target = p
    np.testing.assert_allclose(kl_divergence(P, Q), kl_torch, rtol=1e-12, atol=1e-15)
    # log_target=True needs p > 0 (exp(−inf)·(−inf) is NaN in torch)
    kl_log = F.kl_div(tq[1:].log(), tp[1:].log(), reduction="none", log_target=True).sum(-1).numpy()
    np.testing.assert_allclose(kl_divergence(P[1:], Q[1:]), kl_log, rtol=1e-12)
    # with one-hot targets, H(p, q) is the classification loss F.cross_entropy(log q, labels)
    ce_torch = F.cross_entropy(tq.log(), torch.tensor([0, 1, 2, 3, 4, 0]), reduction="none").numpy()
    onehot = np.eye(5)[[0, 1, 2, 3, 4, 0]]
    np.testing.assert_allclose(cross_entropy(onehot, Q), ce_torch, rtol=1e-13)


def test_inputs_are_not_modified():
    p = np.array([0.2, 0.0, 0.8])
    q = np.array([0.5, 0.0, 0.5])
    p0, q0 = p.copy(), q.copy()
    entropy(p), cross_entropy(p, q), kl_divergence(p, q), surprise(p)
    np.testing.assert_array_equal(p, p0)
    np.testing.assert_array_equal(q, q0)


# --- bad input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("p", "match"),
    [
        ([0.5, 0.6], "p must sum to 1"),
        ([1.5, -0.5], "p has negative entries"),
        (0.5, "at least 1-D"),
        ([], "at least one entry"),
        ([0.5, math.nan], "p contains NaN"),
        ([math.inf, 0.0], "p must sum to 1"),
    ],
)
def test_bad_probabilities(p, match):
    with pytest.raises(ValueError, match=match):
        entropy(p)


def test_bad_pairs():
    with pytest.raises(ValueError, match=r"p and q must have the same shape, got \(2,\) and \(3,\)"):
        cross_entropy([0.5, 0.5], [0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match="p and q must have the same shape"):
        kl_divergence([[0.5, 0.5]], [0.5, 0.5])  # no broadcasting
    with pytest.raises(ValueError, match="q must sum to 1"):
        kl_divergence([0.5, 0.5], [0.5, 0.4])
    with pytest.raises(ValueError, match="q has negative entries"):
        cross_entropy([0.5, 0.5], [1.5, -0.5])
    with pytest.raises(TypeError, match="q must be a number or an array of numbers"):
        cross_entropy([0.5, 0.5], "ab")
    assert entropy([0.5, 0.5 + 5e-7]) > 0  # within the 1e-6 tolerance


@pytest.mark.parametrize("base", [1, 1.0, 0, -2.0, math.inf])
def test_bad_base_values(base):
    with pytest.raises(ValueError, match="base must be a finite number > 0 and != 1"):
        entropy([0.5, 0.5], base=base)


@pytest.mark.parametrize("base", ["2", True, None, [2]])
def test_bad_base_types(base):
    with pytest.raises(TypeError, match="base must be a real number"):
        kl_divergence([0.5, 0.5], [0.5, 0.5], base=base)


def test_bad_surprise():
    with pytest.raises(ValueError, match=r"p must hold event probabilities in \[0, 1\]"):
        surprise(1.5)
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        surprise([0.5, -0.1])
    with pytest.raises(ValueError, match="base must be"):
        surprise(0.5, base=1)
