"""SymPy derivations of chapter 04 (chain rule on small graphs, the output-layer δ); re-exported by
mlcourse.symbolic. sympy is imported inside each function."""

from __future__ import annotations


def add_mul_gradient():
    """f = (x + y)·z and its gradient, by SymPy: ∂f/∂x = ∂f/∂y = z, ∂f/∂z = x + y.  -> (f, {symbol: ∂f/∂symbol})"""
    import sympy as sp

    x, y, z = sp.symbols("x y z", real=True)
    f = (x + y) * z
    return f, {v: sp.diff(f, v) for v in (x, y, z)}


def sigmoid_neuron_gradient():
    """f = 1/(1 + e^{−(w0·x0 + w1·x1 + w2)}) and its gradient, by SymPy.  -> (f, {symbol: ∂f/∂symbol})

    Each partial derivative equals σ(d)(1 − σ(d)) times ∂d/∂symbol, d = w0·x0 + w1·x1 + w2.
    """
    import sympy as sp

    w0, x0, w1, x1, w2 = sp.symbols("w0 x0 w1 x1 w2", real=True)
    f = 1 / (1 + sp.exp(-(w0 * x0 + w1 * x1 + w2)))
    return f, {v: sp.diff(f, v) for v in (w0, x0, w1, x1, w2)}


def output_delta_residuals() -> dict[str, object]:
    """δ = ∂L/∂z of the output layer, claimed formula minus SymPy's derivative (0 when the claim holds).

    Keys: "half_squared_sigmoid" (L = ½(a − y)², a = σ(z), claim (a − y)·a(1 − a)),
    "bce_sigmoid" (L = −[y ln a + (1 − y) ln(1 − a)], a = σ(z), claim a − y),
    "ce_softmax" (L = −Σ_k y_k ln a_k, a = softmax(z), 3 classes, Σ_k y_k = 1, claim a_1 − y_1),
    "bce_sigmoid_wrong" (the first claim applied to the binary cross-entropy: NOT 0, errata E56).
    """
    import sympy as sp

    z, y = sp.symbols("z y", real=True)
    a = 1 / (1 + sp.exp(-z))
    half = sp.Rational(1, 2) * (a - y) ** 2
    bce = -(y * sp.log(a) + (1 - y) * sp.log(1 - a))
    z1, z2, z3, y1, y2 = sp.symbols("z1 z2 z3 y1 y2", real=True)
    zs, ys = (z1, z2, z3), (y1, y2, 1 - y1 - y2)
    total = sum(sp.exp(v) for v in zs)
    p = [sp.exp(v) / total for v in zs]
    ce = -sum(yk * sp.log(pk) for yk, pk in zip(ys, p, strict=True))
    return {
        "half_squared_sigmoid": sp.simplify((a - y) * a * (1 - a) - sp.diff(half, z)),
        "bce_sigmoid": sp.simplify((a - y) - sp.diff(bce, z)),
        "ce_softmax": sp.simplify((p[0] - ys[0]) - sp.diff(ce, z1)),
        "bce_sigmoid_wrong": sp.simplify((a - y) * a * (1 - a) - sp.diff(bce, z)),
    }
