"""mlcourse.symbolic, chapters 06–07: Taylor polynomials and the derivations of gradient descent and the optimisers,
checked against SymPy's own series, closed forms, brute force and the numpy optimisers."""

import functools
import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from mlcourse import optim, symbolic

x = sp.Symbol("x", real=True)


@pytest.mark.parametrize(
    ("expr", "x0"),
    [(sp.exp(x), 0), (sp.sin(x), 0), (sp.log(1 + x), 0), (sp.cos(x), sp.pi / 3), (1 / (1 + x**2), 1)],
)
@pytest.mark.parametrize("order", [0, 1, 2, 5])
def test_taylor_polynomial_equals_sympy_series(expr, x0, order):
    expected = sp.series(expr, x, x0, order + 1).removeO()
    assert sp.simplify(symbolic.taylor_polynomial(expr, x, x0, order) - expected) == 0


def test_taylor_polynomials_of_exp_approach_exp_and_the_error_shrinks_with_the_order():
    errors = [abs(math.e - float(symbolic.taylor_polynomial(sp.exp(x), x, 0, n).subs(x, 1))) for n in range(1, 8)]
    assert (np.diff(errors) < 0).all()
    # Lagrange remainder: |e − T_n(1)| ≤ e/(n+1)!
    assert all(err <= math.e / math.factorial(n + 2) for n, err in enumerate(errors))
    assert sp.expand(symbolic.taylor_polynomial(sp.exp(x), x, 0, 1)) == 1 + x


def test_smooth_but_not_analytic_every_taylor_polynomial_is_zero():
    """E36: e^(−1/x²) (0 at 0) has all derivatives 0 at 0, yet it is positive elsewhere."""
    f = sp.exp(-1 / x**2)
    assert symbolic.taylor_polynomial(f, x, 0, 4) == 0
    assert float(f.subs(x, sp.Rational(1, 2))) == pytest.approx(math.exp(-4))


def test_finite_radius_of_convergence_of_one_over_one_plus_x_squared():
    """E36: the series of 1/(1 + x²) at 0 converges for |x| < 1 only, although the function is smooth on ℝ."""
    f = 1 / (1 + x**2)
    inside = [abs(float((symbolic.taylor_polynomial(f, x, 0, n) - f).subs(x, 0.5))) for n in (4, 8, 16)]
    outside = [abs(float((symbolic.taylor_polynomial(f, x, 0, n) - f).subs(x, 1.5))) for n in (4, 8, 16)]
    assert inside[0] > inside[1] > inside[2] and inside[2] < 1e-4
    assert outside[0] < outside[1] < outside[2] and outside[2] > 100


def test_taylor_formula_second_term_is_derivative_times_step():
    """E36: the first-order term is h′(x₀)(x − x₀), not h′(x₀)."""
    xs, x0, expr = symbolic.taylor_formula(2)
    h = sp.Function("h")
    terms = sp.Add.make_args(sp.expand(expr))
    assert sp.diff(h(x0), x0) * xs in terms and -sp.diff(h(x0), x0) * x0 in terms
    as_exp = expr.replace(h, sp.exp).doit()
    assert sp.simplify(as_exp - sp.series(sp.exp(xs), xs, x0, 3).removeO()) == 0


def test_descent_step_expansion():
    (a, L, L1, L2), expr = symbolic.descent_step_expansion()
    assert sp.expand(expr - (L - a * L1**2 + a**2 / 2 * L2 * L1**2)) == 0


@pytest.mark.parametrize("a", [1e-1, 1e-2, 1e-3])
def test_second_order_expansion_error_is_third_order_in_the_step(a):
    """L(w) = w⁴/4 at w = 1: L′ = 1, L″ = 3; the true L(w − aL′) − expansion is O(a³)."""
    (a_s, L, L1, L2), expr = symbolic.descent_step_expansion()
    predicted = float(expr.subs({a_s: a, L: 0.25, L1: 1.0, L2: 3.0}))
    actual = (1 - a) ** 4 / 4
    assert abs(actual - predicted) <= 1.5 * a**3
    assert actual < 0.25  # a small step lowers the loss


def test_quadratic_step_condition():
    (a, c), factor, interval = symbolic.quadratic_step()
    assert sp.expand(factor - (1 - a * c) ** 2) == 0
    assert interval == sp.Interval.open(0, 2 / c)
    # numerically, c = 2: a = 0.99 lowers the loss, a = 1.01 raises it, a = 1 (= 2/c) leaves it unchanged
    for step, sign in ((0.99, -1), (1.01, 1), (1.0, 0)):
        w = 3.0
        new = w - step * 2 * w
        assert np.sign(round(new**2 - w**2, 12)) == sign


def test_second_order_expansion_is_exact_for_a_quadratic():
    (a, L, L1, L2), expr = symbolic.descent_step_expansion()
    w, c, step = 0.7, 4.0, 0.3
    exact = c / 2 * (w - step * c * w) ** 2
    assert float(expr.subs({a: step, L: c / 2 * w**2, L1: c * w, L2: c})) == pytest.approx(exact, rel=1e-14)


def test_steepest_direction_closed_form():
    (u, v, eps), (d1, d2), value = symbolic.steepest_direction()
    norm = sp.sqrt(u**2 + v**2)
    assert sp.simplify(d1 + eps * u / norm) == 0 and sp.simplify(d2 + eps * v / norm) == 0
    assert sp.simplify(value + eps * norm) == 0


@functools.cache
def steepest_numeric():
    (u, v, eps), (d1, d2), _ = symbolic.steepest_direction()
    return sp.lambdify((u, v, eps), [d1, d2], "numpy")


@settings(max_examples=50, deadline=None)
@given(
    u=st.floats(-10, 10).filter(lambda t: abs(t) > 1e-3),
    v=st.floats(-10, 10).filter(lambda t: abs(t) > 1e-3),
)
def test_steepest_direction_beats_every_other_direction_of_the_same_length(u, v):
    """E39: Δ₁ and Δ₂ have independent signs; brute force over all angles agrees with −ε∇L/‖∇L‖."""
    best = np.array(steepest_numeric()(u, v, 0.1), dtype=float)
    phi = np.linspace(0, 2 * np.pi, 3601)
    changes = 0.1 * (u * np.cos(phi) + v * np.sin(phi))
    assert best @ [u, v] <= changes.min() + 1e-12
    np.testing.assert_allclose(best, -0.1 * np.array([u, v]) / math.hypot(u, v), rtol=1e-12)
    assert np.sign(best[0]) == -np.sign(u) and np.sign(best[1]) == -np.sign(v)


def test_stationary_points_and_their_kinds():
    X, Y = sp.symbols("x y", real=True)
    found = symbolic.stationary_points(X**3 - 3 * X + Y**3 - 3 * Y, [X, Y])
    assert [(p, k) for p, _, k in found] == [
        ((-1, -1), "maximum"),
        ((-1, 1), "saddle"),
        ((1, -1), "saddle"),
        ((1, 1), "minimum"),
    ]
    assert found[0][1] == [-6, -6] and found[1][1] == [-6, 6]
    assert symbolic.stationary_points(X**2 - Y**2, [X, Y]) == [((0, 0), [-2, 2], "saddle")]
    assert symbolic.stationary_points(X**4 + Y**2, [X, Y]) == [((0, 0), [0, 2], "degenerate")]
    # complex stationary points are left out: x³/3 + x has none on the real line
    assert symbolic.stationary_points(X**3 / 3 + X + Y**2, [X, Y]) == []


def test_momentum_with_a_constant_gradient():
    """E42: v_t = ηg(1 − γᵗ)/(1 − γ) tends to ηg/(1 − γ); γ = 0.5 doubles the step only in the limit."""
    (gamma, eta, g, t), v_t, limit = symbolic.momentum_constant_gradient()
    v = 0.0
    for step in range(1, 51):
        v = 0.9 * v + 0.1 * 2.0
        assert float(v_t.subs({gamma: 0.9, eta: 0.1, g: 2.0, t: step})) == pytest.approx(v, rel=1e-12)
    assert limit.subs(gamma, sp.Rational(1, 2)) == 2 * eta * g
    assert float(v_t.subs({gamma: 0.5, eta: 1, g: 1, t: 3})) == pytest.approx(1.75)


def test_adam_first_step():
    """E45: at t = 1 the uncorrected step is √10·lr ≈ 3.16·lr, the corrected one lr, both along −sign(g)."""
    (lr, g), uncorrected, corrected = symbolic.adam_first_step(0.9, 0.999)
    assert sp.simplify(uncorrected - sp.sqrt(10) * lr * sp.sign(g)) == 0
    assert corrected == lr * sp.sign(g)
    _, general, _ = symbolic.adam_first_step()
    b1, b2 = sp.symbols("beta_1 beta_2", positive=True)
    assert sp.simplify(general - lr * (1 - b1) / sp.sqrt(1 - b2) * sp.sign(g)) == 0
    grad = np.array([-3.0, 0.02, 500.0])
    theta, _ = optim.adam_step(np.zeros(3), grad, None, lr=0.01)
    np.testing.assert_allclose(-theta, [float(corrected.subs({lr: 0.01, g: gi})) for gi in grad], rtol=1e-6)
    m, v = 0.1 * grad, 0.001 * grad**2
    np.testing.assert_allclose(
        0.01 * m / np.sqrt(v), [float(uncorrected.subs({lr: 0.01, g: gi})) for gi in grad], rtol=1e-12
    )


def test_bad_input():
    with pytest.raises(ValueError, match="order must be an integer >= 0"):
        symbolic.taylor_polynomial(sp.exp(x), x, 0, -1)
    with pytest.raises(ValueError, match="order must be an integer >= 0"):
        symbolic.taylor_formula(1.5)
    with pytest.raises(TypeError, match="x must be a sympy Symbol"):
        symbolic.taylor_polynomial(sp.exp(x), "x", 0, 2)
    with pytest.raises(ValueError, match=r"beta1 must be in \[0, 1\)"):
        symbolic.adam_first_step(1.0, 0.999)
