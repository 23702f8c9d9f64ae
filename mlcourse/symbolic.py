"""SymPy derivations shared by the chapters and the tests (sympy is imported inside each function)."""

from __future__ import annotations


def mse_symbols(n: int = 3):
    """Symbols ŷ_1..ŷ_n, y_1..y_n and MSE = (1/n) Σ (ŷ_i − y_i)².  -> (y_hat, y, expr)"""
    import sympy as sp

    _positive_int(n, "n")
    y_hat = sp.symbols(f"yhat1:{n + 1}", real=True)
    y = sp.symbols(f"y1:{n + 1}", real=True)
    expr = sp.Rational(1, n) * sum((a - b) ** 2 for a, b in zip(y_hat, y, strict=True))
    return y_hat, y, expr


def mae_symbols(n: int = 3):
    """Symbols ŷ_1..ŷ_n, y_1..y_n and MAE = (1/n) Σ |ŷ_i − y_i|.  -> (y_hat, y, expr)"""
    import sympy as sp

    _positive_int(n, "n")
    y_hat = sp.symbols(f"yhat1:{n + 1}", real=True)
    y = sp.symbols(f"y1:{n + 1}", real=True)
    expr = sp.Rational(1, n) * sum(sp.Abs(a - b) for a, b in zip(y_hat, y, strict=True))
    return y_hat, y, expr


def gradient(expr, variables, *, simplify: bool = True):
    """[∂expr/∂v for v in variables], simplified unless simplify=False."""
    import sympy as sp

    return [sp.simplify(sp.diff(expr, v)) if simplify else sp.diff(expr, v) for v in variables]


def mse_gradient(n: int = 3):
    """∂MSE/∂ŷ_i for i = 1..n, derived by SymPy: should equal 2(ŷ_i − y_i)/n."""
    y_hat, _, expr = mse_symbols(n)
    return gradient(expr, y_hat)


def mae_gradient(n: int = 3):
    """∂MAE/∂ŷ_i for i = 1..n, derived by SymPy: sign(ŷ_i − y_i)/n (undefined where ŷ_i = y_i)."""
    y_hat, _, expr = mae_symbols(n)
    # unsimplified, SymPy keeps the readable sign(ŷ − y) form instead of a Piecewise
    return gradient(expr, y_hat, simplify=False)


def best_constant_mse():
    """argmin_c Σ_i (y_i − c)² for symbolic y_1..y_4, solved by SymPy: the mean."""
    import sympy as sp

    c = sp.Symbol("c", real=True)
    y = sp.symbols("y1:5", real=True)
    loss = sum((yi - c) ** 2 for yi in y)
    (solution,) = sp.solve(sp.diff(loss, c), c)
    return solution


def squared_vs_absolute():
    """The set of real e where e² > |e|, found by SymPy: (−∞, −1) ∪ (1, ∞)."""
    import sympy as sp

    e = sp.Symbol("e", real=True)
    return sp.solveset(e**2 - sp.Abs(e) > 0, e, domain=sp.S.Reals)


def _positive_int(n, name: str) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"{name} must be a positive integer, got {n!r}")


# Chapter 04 (chain rule on small graphs, the output-layer δ): defined in mlcourse/_symbolic_backprop.py.
from mlcourse._symbolic_backprop import (  # noqa: E402, F401
    add_mul_gradient,
    output_delta_residuals,
    sigmoid_neuron_gradient,
)

# Chapters 06–07 (Taylor expansion, gradient descent, optimisers): defined in mlcourse/_symbolic_descent.py.
from mlcourse._symbolic_descent import (  # noqa: E402, F401
    adam_first_step,
    descent_step_expansion,
    momentum_constant_gradient,
    quadratic_step,
    stationary_points,
    steepest_direction,
    taylor_formula,
    taylor_polynomial,
)

# Chapters 02 and 03 (entropy, cross-entropy, softmax regression): in mlcourse/_symbolic_info.py and
# mlcourse/_symbolic_softmax.py.
from mlcourse._symbolic_info import (  # noqa: E402, F401
    Step,
    bce_chain_rule,
    bce_logit_gradient,
    bce_stable_form_residuals,
    binary_entropy,
    binary_entropy_maximum,
    coin_cross_entropy,
    coin_cross_entropy_minimiser,
    kl_entropy_terms,
    sigmoid_bce_symbols,
    sigmoid_derivative_residual,
    verify_steps,
)
from mlcourse._symbolic_softmax import (  # noqa: E402, F401
    SoftmaxSymbols,
    softmax_ce_derivative_steps,
    softmax_ce_gradient,
    softmax_ce_gradient_unnormalised_label,
    softmax_ce_loss_steps,
    softmax_jacobian_entry,
    softmax_shift_residual,
    softmax_symbols,
)
