"""SymPy derivations of chapters 06–07 (Taylor, why a gradient step lowers the loss, optimisers); re-exported by
mlcourse.symbolic. sympy is imported inside each function."""

from __future__ import annotations


def taylor_polynomial(expr, x, x0=0, order: int = 1):
    """T_n(x) = Σ_{k=0}^{n} h⁽ᵏ⁾(x₀)/k! · (x − x₀)ᵏ, n = order; h⁽ᵏ⁾(x₀) taken as a limit where substitution fails."""
    import sympy as sp

    _check_order(order)
    if not isinstance(x, sp.Symbol):
        raise TypeError(f"x must be a sympy Symbol, got {type(x).__name__}")
    expr, x0 = sp.sympify(expr), sp.sympify(x0)
    terms, derivative = [], expr
    for k in range(order + 1):
        value = derivative.subs(x, x0)
        if value.has(sp.nan, sp.zoo, sp.oo, -sp.oo):  # e.g. e^(−1/x²) at 0: use the limit (both sides)
            value = sp.limit(derivative, x, x0, dir="+-")
        terms.append(sp.simplify(value) / sp.factorial(k) * (x - x0) ** k)
        derivative = sp.diff(derivative, x)
    return sp.Add(*terms)


def taylor_formula(order: int = 2):
    """h(x) ≈ h(x₀) + h′(x₀)(x − x₀) + … + h⁽ⁿ⁾(x₀)/n!·(x − x₀)ⁿ for an unknown h.  -> (x, x0, expr)"""
    import sympy as sp

    _check_order(order)
    x, x0 = sp.symbols("x x_0", real=True)
    h = sp.Function("h")
    expr = sp.Add(*[sp.diff(h(x0), x0, k) / sp.factorial(k) * (x - x0) ** k for k in range(order + 1)])
    return x, x0, expr


def descent_step_expansion():
    """L(w − a·L′) to second order in the step: L − a·L′² + (a²/2)·L″·L′².  -> (symbols (a, L, L′, L″), expr)

    Derived from SymPy's series of an unknown L(w + e) in e, then e = −a·L′(w)."""
    import sympy as sp

    w, e = sp.symbols("w e", real=True)
    a = sp.Symbol("a", positive=True)
    L0, L1, L2 = sp.symbols("L L' L''", real=True)
    loss = sp.Function("L")
    series = sp.series(loss(w + e), e, 0, 3).removeO().doit()
    series = series.subs({sp.diff(loss(w), w, 2): L2}).subs({sp.diff(loss(w), w): L1, loss(w): L0})
    return (a, L0, L1, L2), sp.expand(series.subs(e, -a * L1))


def quadratic_step():
    """L(w) = (c/2)(w − w*)²: one step w − a·L′ multiplies L by (1 − a·c)²; it lowers L iff 0 < a < 2/c.

    -> (symbols (a, c), factor (1 − ac)², the set of real a with factor < 1)"""
    import sympy as sp

    a, w, w_star = sp.symbols("a w w^*", real=True)
    c = sp.Symbol("c", positive=True)
    loss = c / 2 * (w - w_star) ** 2
    w_new = w - a * sp.diff(loss, w)
    factor = sp.factor(sp.simplify(loss.subs(w, w_new) / loss))
    return (a, c), factor, sp.solveset(factor < 1, a, domain=sp.S.Reals)


def steepest_direction():
    """argmin of u·Δ₁ + v·Δ₂ subject to Δ₁² + Δ₂² = ε² (Lagrange): Δ = −ε(u, v)/√(u² + v²), value −ε√(u² + v²).

    -> (symbols (u, v, ε), (Δ₁, Δ₂), minimum value)"""
    import sympy as sp

    u, v, d1, d2, lam = sp.symbols("u v Delta_1 Delta_2 lambda", real=True)
    eps = sp.Symbol("epsilon", positive=True)
    objective = u * d1 + v * d2
    lagrangian = objective - lam * (d1**2 + d2**2 - eps**2)
    candidates = sp.solve([sp.diff(lagrangian, s) for s in (d1, d2, lam)], [d1, d2, lam], dict=True)
    values = [sp.simplify(objective.subs(s)) for s in candidates]
    # the two candidates give ±ε√(u² + v²); the minimum is the negative one
    best = next(i for i, val in enumerate(values) if val.could_extract_minus_sign())
    return (u, v, eps), (candidates[best][d1], candidates[best][d2]), values[best]


def stationary_points(expr, variables) -> list[tuple[tuple, list, str]]:
    """Real solutions of ∇f = 0, each with its Hessian eigenvalues and kind (minimum/maximum/saddle/degenerate)."""
    import sympy as sp

    variables = list(variables)
    hessian = sp.hessian(expr, variables)
    found = []
    for sol in sp.solve([sp.diff(expr, v) for v in variables], variables, dict=True):
        point = tuple(sol[v] for v in variables)
        if not all(p.is_real for p in point):
            continue
        eigen = sorted(sp.Matrix(hessian.subs(sol)).eigenvals(multiple=True), key=sp.default_sort_key)
        if any(val == 0 for val in eigen):
            kind = "degenerate"
        elif all(val > 0 for val in eigen):
            kind = "minimum"
        elif all(val < 0 for val in eigen):
            kind = "maximum"
        else:
            kind = "saddle"
        found.append((point, eigen, kind))
    return sorted(found, key=lambda item: [float(p) for p in item[0]])


def momentum_constant_gradient():
    """v_t = γv_{t−1} + ηg, v₀ = 0: v_t = ηg(1 − γᵗ)/(1 − γ) → ηg/(1 − γ) for 0 ≤ γ < 1.

    -> (symbols (γ, η, g, t), v_t, limit as a Piecewise)"""
    import sympy as sp

    gamma = sp.Symbol("gamma", nonnegative=True)
    eta, g = sp.symbols("eta g", real=True)
    t = sp.Symbol("t", integer=True, positive=True)
    k = sp.Symbol("k", integer=True, nonnegative=True)
    v = sp.Function("v")
    v_t = sp.rsolve(v(t) - gamma * v(t - 1) - eta * g, v(t), {v(0): 0})
    v_t = sp.factor(v_t)
    limit = eta * g * sp.Sum(gamma**k, (k, 0, sp.oo)).doit()
    return (gamma, eta, g, t), v_t, limit


def adam_first_step(beta1=None, beta2=None):
    """Adam at t = 1 with m₀ = v₀ = 0: uncorrected lr·m₁/√v₁ = lr·(1 − β₁)/√(1 − β₂)·sign(g); corrected lr·sign(g).

    β₁, β₂ symbolic unless given (e.g. sympy.Rational(9, 10)). -> (symbols (lr, g), uncorrected, corrected)"""
    import sympy as sp

    lr = sp.Symbol("lr", positive=True)
    g = sp.Symbol("g", real=True, nonzero=True)
    b1 = sp.Symbol("beta_1", positive=True) if beta1 is None else sp.nsimplify(beta1)
    b2 = sp.Symbol("beta_2", positive=True) if beta2 is None else sp.nsimplify(beta2)
    for value, name in ((b1, "beta1"), (b2, "beta2")):
        if value.is_number and not 0 <= value < 1:
            raise ValueError(f"{name} must be in [0, 1), got {value}")
    m1, v1 = (1 - b1) * g, (1 - b2) * g**2
    uncorrected = lr * m1 / sp.sqrt(v1)
    corrected = lr * (m1 / (1 - b1)) / sp.sqrt(v1 / (1 - b2))
    # √(g²) = |g|, so each step is (a positive factor)·g/|g|: write it with sign(g)
    return (lr, g), *(sp.simplify(step * sp.Abs(g) / g) * sp.sign(g) for step in (uncorrected, corrected))


def _check_order(order) -> None:
    if isinstance(order, bool) or not isinstance(order, int) or order < 0:
        raise ValueError(f"order must be an integer >= 0, got {order!r}")
