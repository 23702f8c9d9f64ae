"""mlcourse.symbolic, chapters 02–03: every derivation checked by SymPy and against the float64 code."""

import math

import numpy as np
import pytest
import sympy as sp

from mlcourse import info, losses, softmax, symbolic

# ---- chapter 02 ----


def test_coin_entropy_is_largest_for_a_fair_coin():
    b_star, h_star = symbolic.binary_entropy_maximum()
    assert b_star == sp.Rational(1, 2) and h_star == sp.log(2)
    b, h = symbolic.binary_entropy()
    for value in (0.1, 0.3, 0.5, 0.9):
        assert float(h.subs(b, value)) == pytest.approx(info.entropy([value, 1 - value]), rel=1e-14)
    assert sp.limit(b * sp.log(b), b, 0, "+") == 0  # 0·log 0 = 0 is the limit
    # one nat is 1/ln 2 bits
    assert float(h_star / sp.log(2)) == pytest.approx(info.entropy([0.5, 0.5], base=2)) == 1.0


def test_cross_entropy_over_q_is_minimised_at_p():
    solutions, second = symbolic.coin_cross_entropy_minimiser()
    p, q, h = symbolic.coin_cross_entropy()
    assert solutions == [p]
    assert sp.simplify(second - (p / q**2 + (1 - p) / (1 - q) ** 2)) == 0  # > 0 on (0, 1): a minimum
    assert float(h.subs({p: 0.2, q: 0.7})) == pytest.approx(info.cross_entropy([0.2, 0.8], [0.7, 0.3]))


def test_kl_is_cross_entropy_minus_entropy_for_any_number_of_outcomes():
    kl, cross, ent = symbolic.kl_entropy_terms()
    assert sp.simplify(kl - (cross - ent)) == 0
    # E48: E_p[log p] is −H(p), not H(p)
    assert sp.simplify(kl - (cross + ent)) != 0
    rng = np.random.default_rng(0)
    p, q = rng.dirichlet(np.ones(5)), rng.dirichlet(np.ones(5))
    assert info.kl_divergence(p, q) == pytest.approx(info.cross_entropy(p, q) - info.entropy(p), rel=1e-12)


def test_bce_gradient_is_sigma_minus_y():
    z, y, sigma, loss = symbolic.sigmoid_bce_symbols()
    grad = symbolic.bce_logit_gradient()
    assert sp.simplify(grad - (sigma - y)) == 0
    assert symbolic.sigmoid_derivative_residual() == 0
    # worked example, against the float64 code
    zs, ys = np.array([0.3, -1.2, 2.0]), np.array([1.0, 0.0, 1.0])
    numeric = [float(grad.subs({z: a, y: b})) for a, b in zip(zs, ys, strict=True)]
    np.testing.assert_allclose(numeric, losses.binary_cross_entropy_with_logits_grad(zs, ys) * 3, rtol=1e-13)
    np.testing.assert_allclose(numeric, [-0.425557, 0.231475, -0.119203], atol=5e-7)
    assert float(loss.subs({z: 0.3, y: 1.0})) == pytest.approx(losses.binary_cross_entropy_with_logits([0.3], [1.0]))


def test_bce_chain_rule_pieces():
    s, dl_ds, ds_dz, dl_dz = symbolic.bce_chain_rule()
    y = sp.Symbol("y", real=True)
    assert sp.simplify(dl_ds - (-y / s + (1 - y) / (1 - s))) == 0
    assert sp.expand(ds_dz - s * (1 - s)) == 0
    assert sp.simplify(dl_dz - (s - y)) == 0


def test_bce_stable_form_is_the_same_function():
    assert symbolic.bce_stable_form_residuals() == (0, 0)


# ---- verify_steps itself ----


def test_verify_steps_catches_a_wrong_step():
    x = sp.Symbol("x", real=True)
    good = [symbolic.Step("a", (x + 1) ** 2), symbolic.Step("expand", x**2 + 2 * x + 1)]
    bad = [good[0], symbolic.Step("wrong", x**2 + 1)]
    assert symbolic.verify_steps(good) == [True]
    assert symbolic.verify_steps(bad) == [False]


# ---- chapter 03 ----


def test_softmax_ce_loss_steps_each_hold_for_general_q():
    steps = symbolic.softmax_ce_loss_steps()
    assert len(steps) == 6
    assert symbolic.verify_steps(steps) == [True] * 5
    s = symbolic.softmax_symbols()
    assert s.q.is_integer and s.q.is_positive and s.q.is_number is False  # q is a symbol, not a fixed number


def test_loss_steps_need_their_assumptions():
    steps = symbolic.softmax_ce_loss_steps()
    # E15: without Σ_k y_k = 1 the last step is false
    unsupported = [*steps[:-1], steps[-1]._replace(given=None)]
    assert symbolic.verify_steps(unsupported)[-1] is False
    # E14: the loss is MINUS the log-likelihood
    wrong_sign = [steps[0]._replace(expr=-steps[0].expr), steps[1]]
    assert symbolic.verify_steps(wrong_sign) == [False]


def test_softmax_ce_derivative_steps_each_hold_for_general_q():
    steps = symbolic.softmax_ce_derivative_steps()
    assert symbolic.verify_steps(steps) == [True] * 3
    s = symbolic.softmax_symbols()
    assert steps[-1].expr == sp.exp(s.o[s.j]) / s.S - s.y[s.j]
    # the last step needs 1 <= j <= q
    assert symbolic.verify_steps([steps[-2], steps[-1]._replace(assume=True)]) == [False]


def test_gradient_without_a_normalised_label():
    s = symbolic.softmax_symbols()
    g = symbolic.softmax_ce_gradient_unnormalised_label()
    total = sp.Sum(s.y[s.k], (s.k, 1, s.q))
    assert sp.simplify(g - (sp.exp(s.o[s.j]) / s.S * total - s.y[s.j])) == 0
    assert sp.simplify(g.xreplace({total: 1}) - (sp.exp(s.o[s.j]) / s.S - s.y[s.j])) == 0


def test_softmax_jacobian_general_q():
    derived, closed = symbolic.softmax_jacobian_entry()
    assert sp.simplify(derived - closed) == 0


def test_softmax_shift_invariance_general_q():
    assert symbolic.softmax_shift_residual() == 0


@pytest.mark.parametrize(("q", "label"), [(2, 1), (3, 0), (4, 2)])
def test_concrete_gradient_matches_numpy(q, label):
    o, grad = symbolic.softmax_ce_gradient(q, label)
    rng = np.random.default_rng(q)
    z = rng.normal(size=q)
    numeric = np.array([float(g.subs(dict(zip(o, z, strict=True)))) for g in grad])
    expected = softmax.softmax_cross_entropy_grad(z[None, :], np.array([label]))[0]
    np.testing.assert_allclose(numeric, expected, rtol=1e-12, atol=1e-15)
    # and the Jacobian closed form against the numpy helper
    derived, _ = symbolic.softmax_jacobian_entry()
    s = symbolic.softmax_symbols()
    p = softmax.softmax(z)
    jac = softmax.softmax_jacobian(p)
    for i in range(q):
        for j in range(q):
            entry = derived.subs({s.i: i + 1, s.j: j + 1, s.q: q}).doit()
            entry = entry.subs({s.o[m + 1]: z[m] for m in range(q)})
            assert float(entry) == pytest.approx(jac[i, j], rel=1e-12, abs=1e-15)


def test_worked_example_gradient():
    # seed 000: softmax output (0.34, 0.46, 0.20), true class index 0 (the text's "class 1")
    o, grad = symbolic.softmax_ce_gradient(3, 0)
    subs = dict(zip(o, [math.log(v) for v in (0.34, 0.46, 0.20)], strict=True))
    np.testing.assert_allclose([float(g.subs(subs)) for g in grad], [-0.66, 0.46, 0.20], rtol=1e-12)


@pytest.mark.parametrize(("q", "label", "match"), [(0, 0, "q must be"), (3, 3, "label must be"), (2, -1, "label")])
def test_bad_arguments(q, label, match):
    with pytest.raises(ValueError, match=match):
        symbolic.softmax_ce_gradient(q, label)


# ---- chapter 03: the batch formulas the notebook uses, in float64 against torch ----


def test_batch_gradients_of_w_and_b_equal_torch():
    import torch
    import torch.nn.functional as F

    rng = np.random.default_rng(0)
    X, W, b = rng.normal(size=(7, 4)), rng.normal(size=(4, 3)), rng.normal(size=3)
    y = rng.integers(0, 3, size=7)
    dO = softmax.softmax_cross_entropy_grad(X @ W + b, y)  # (Ŷ − Y)/n
    W_t = torch.tensor(W, dtype=torch.float64, requires_grad=True)
    b_t = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    F.cross_entropy(torch.from_numpy(X) @ W_t + b_t, torch.from_numpy(y)).backward()
    np.testing.assert_allclose(X.T @ dO, W_t.grad.numpy(), rtol=1e-12, atol=1e-15)  # ∂L/∂W = Xᵀ dO
    np.testing.assert_allclose(dO.sum(axis=0), b_t.grad.numpy(), rtol=1e-12, atol=1e-15)  # ∂L/∂b = Σ_rows dO
    # and O = XW + b is the loop of per-sample products Wᵀx + b (E12/E13)
    np.testing.assert_allclose(X @ W + b, np.stack([W.T @ x + b for x in X]), rtol=1e-12, atol=1e-14)


def test_argmax_of_softmax_is_argmax_of_logits():
    O = np.random.default_rng(1).normal(scale=3.0, size=(1000, 5))
    assert (softmax.softmax(O).argmax(axis=1) == O.argmax(axis=1)).all()


def test_phm_parameter_count():
    # the layer behind the O(dq/n) remark (E11): W = Σ_i A_i ⊗ S_i stores n³ + dq/n numbers
    n, d, q = 4, 64, 8
    A, S = np.ones((n, n, n)), np.ones((n, q // n, d // n))
    assert sum(np.kron(A[i], S[i]) for i in range(n)).shape == (q, d)
    assert A.size + S.size == n**3 + d * q // n == 192
