"""mlcourse.symbolic: the chapter-01 derivations, checked against the closed forms and the numpy code."""

import numpy as np
import pytest
import sympy as sp

from mlcourse import losses, symbolic


@pytest.mark.parametrize("n", [1, 2, 5])
def test_mse_gradient_is_two_errors_over_n(n):
    y_hat, y, _ = symbolic.mse_symbols(n)
    for i, g in enumerate(symbolic.mse_gradient(n)):
        assert sp.simplify(g - sp.Rational(2, n) * (y_hat[i] - y[i])) == 0


def test_mae_gradient_is_sign_over_n():
    n = 4
    y_hat, y, _ = symbolic.mae_symbols(n)
    for i, g in enumerate(symbolic.mae_gradient(n)):
        assert sp.simplify(g - sp.sign(y_hat[i] - y[i]) / n) == 0


def test_symbolic_gradient_agrees_with_numpy():
    n = 3
    y_hat_s, y_s, _ = symbolic.mse_symbols(n)
    grads = symbolic.mse_gradient(n)
    y_hat, y = np.array([0.5, -1.0, 2.0]), np.array([1.0, 1.0, 1.0])
    subs = dict(zip(y_hat_s + y_s, np.concatenate([y_hat, y]).tolist(), strict=True))
    numeric = np.array([float(g.subs(subs)) for g in grads])
    np.testing.assert_allclose(numeric, losses.mse_grad(y_hat, y), rtol=1e-14)


def test_best_constant_under_squared_error_is_the_mean():
    y = sp.symbols("y1:5", real=True)
    assert sp.simplify(symbolic.best_constant_mse() - sum(y) / 4) == 0


def test_squared_exceeds_absolute_outside_minus_one_to_one():
    # E53: e² > |e| exactly when |e| > 1
    expected = sp.Union(sp.Interval.open(-sp.oo, -1), sp.Interval.open(1, sp.oo))
    assert symbolic.squared_vs_absolute() == expected


def test_bad_n():
    with pytest.raises(ValueError, match="n must be a positive integer"):
        symbolic.mse_symbols(0)
