"""SymPy derivations of chapter 03: softmax cross-entropy and its gradient for a general number of classes q.

Indices are kept apart (E15): k runs over the classes inside the loss, m inside the normaliser
S = Σ_m e^{o_m}, and j (or i) is the class we differentiate by; all are integers in 1..q, q symbolic.
sympy is imported inside each function. Re-exported by mlcourse.symbolic.
"""

from __future__ import annotations

from typing import NamedTuple

from mlcourse._symbolic_info import Step

__all__ = [
    "SoftmaxSymbols",
    "softmax_ce_derivative_steps",
    "softmax_ce_gradient",
    "softmax_ce_gradient_unnormalised_label",
    "softmax_ce_loss_steps",
    "softmax_jacobian_entry",
    "softmax_shift_residual",
    "softmax_symbols",
]


class SoftmaxSymbols(NamedTuple):
    """q classes; indices i, j, k, m in 1..q; logits o[k], label y[k], probabilities y_hat[k]; S = Σ_m e^{o_m};
    `in_range` is the SymPy assumption 1 <= i, j <= q (positivity is declared on the symbols)."""

    q: object
    i: object
    j: object
    k: object
    m: object
    o: object
    y: object
    y_hat: object
    S: object
    in_range: object


def softmax_symbols() -> SoftmaxSymbols:
    """The symbols of a general softmax layer with q classes (q a positive integer symbol)."""
    import sympy as sp

    q = sp.Symbol("q", integer=True, positive=True)
    i, j, k, m = sp.symbols("i j k m", integer=True, positive=True)
    o = sp.IndexedBase("o", real=True)
    y = sp.IndexedBase("y", real=True)
    y_hat = sp.IndexedBase("yhat", positive=True)
    S = sp.Sum(sp.exp(o[m]), (m, 1, q))
    return SoftmaxSymbols(q, i, j, k, m, o, y, y_hat, S, sp.Q.le(i, q) & sp.Q.le(j, q))


def softmax_ce_loss_steps() -> list[Step]:
    """From the negative log-likelihood of one sample to l = log Σ_m e^{o_m} − Σ_k y_k o_k, as Steps.

    The last step uses Σ_k y_k = 1, true for any probability-vector label (one-hot or not).
    Check every step with mlcourse.symbolic.verify_steps.
    """
    import sympy as sp

    s = softmax_symbols()
    q, k, o, y, y_hat, S = s.q, s.k, s.o, s.y, s.y_hat, s.S
    return [
        Step("negative log-likelihood", -sp.log(sp.Product(y_hat[k] ** y[k], (k, 1, q)))),
        Step("log of a product = sum of logs", -sp.Sum(y[k] * sp.log(y_hat[k]), (k, 1, q))),
        Step(
            "insert the softmax",
            -sp.Sum(y[k] * sp.log(sp.exp(o[k]) / S), (k, 1, q)),
            given={y_hat[k]: sp.exp(o[k]) / S},
        ),
        Step("log(A/B) = log A − log B, log e^a = a", -sp.Sum(y[k] * (o[k] - sp.log(S)), (k, 1, q))),
        Step(
            "split the sum; log S does not depend on k",
            -sp.Sum(y[k] * o[k], (k, 1, q)) + sp.Sum(y[k], (k, 1, q)) * sp.log(S),
        ),
        Step(
            "Σ_k y_k = 1",
            sp.log(S) - sp.Sum(y[k] * o[k], (k, 1, q)),
            given={sp.Sum(y[k], (k, 1, q)): 1},
        ),
    ]


def softmax_ce_derivative_steps() -> list[Step]:
    """∂l/∂o_j for l = log Σ_m e^{o_m} − Σ_k y_k o_k, as Steps ending in e^{o_j}/Σ_m e^{o_m} − y_j.

    ∂o_m/∂o_j = δ_mj (KroneckerDelta), so each sum keeps only its j-th term; that needs 1 <= j <= q.
    """
    import sympy as sp

    s = softmax_symbols()
    q, j, k, m, o, y, S = s.q, s.j, s.k, s.m, s.o, s.y, s.S
    linear = sp.Sum(y[k] * o[k], (k, 1, q))
    delta = sp.KroneckerDelta
    return [
        Step("definition", sp.Derivative(sp.log(S) - linear, o[j])),
        Step("the derivative of a difference", sp.Derivative(sp.log(S), o[j]) - sp.Derivative(linear, o[j])),
        Step(
            "chain rule for log; ∂o_m/∂o_j = δ_mj, ∂o_k/∂o_j = δ_kj",
            sp.Sum(delta(m, j) * sp.exp(o[m]), (m, 1, q)) / S - sp.Sum(y[k] * delta(k, j), (k, 1, q)),
        ),
        Step("each sum keeps its term with index j", sp.exp(o[j]) / S - y[j], assume=s.in_range),
    ]


def softmax_ce_gradient_unnormalised_label():
    """∂/∂o_j of −Σ_k y_k log softmax(o)_k WITHOUT assuming Σ_k y_k = 1: e^{o_j} Σ_k y_k / S − y_j (refined to
    1 <= j <= q). Only when the label sums to 1 does this become softmax(o)_j − y_j."""
    import sympy as sp

    s = softmax_symbols()
    q, j, k, o, y, S = s.q, s.j, s.k, s.o, s.y, s.S
    loss = -sp.Sum(y[k] * sp.log(sp.exp(o[k]) / S), (k, 1, q))
    return sp.simplify(sp.refine(sp.diff(loss, o[j]).doit(), s.in_range))


def softmax_jacobian_entry():
    """∂ŷ_i/∂o_j for ŷ_i = e^{o_i}/Σ_m e^{o_m}, derived by SymPy (refined to 1 <= i, j <= q), and the closed form
    ŷ_i(δ_ij − ŷ_j).  -> (derived, closed_form)"""
    import sympy as sp

    s = softmax_symbols()
    i, j, o, S = s.i, s.j, s.o, s.S
    derived = sp.refine(sp.diff(sp.exp(o[i]) / S, o[j]).doit(), s.in_range)
    closed = sp.exp(o[i]) / S * (sp.KroneckerDelta(i, j) - sp.exp(o[j]) / S)
    return derived, closed


def softmax_shift_residual():
    """softmax(o + C)_i − softmax(o)_i for a general q and any real C, simplified by SymPy: 0."""
    import sympy as sp

    s = softmax_symbols()
    C = sp.Symbol("C", real=True)
    shifted = sp.exp(s.o[s.i] + C) / sp.Sum(sp.exp(s.o[s.m] + C), (s.m, 1, s.q))
    return sp.simplify(shifted - sp.exp(s.o[s.i]) / s.S)


def softmax_ce_gradient(q: int = 3, label: int = 0):
    """For a concrete number of classes q: logits o_0..o_{q−1} (0-based, as in code) and the gradient
    [∂/∂o_j −log softmax(o)_label] by SymPy.  -> (o symbols, [gradient entries])"""
    import sympy as sp

    if isinstance(q, bool) or not isinstance(q, int) or q < 1:
        raise ValueError(f"q must be a positive integer, got {q!r}")
    if isinstance(label, bool) or not isinstance(label, int) or not 0 <= label < q:
        raise ValueError(f"label must be an integer in 0..{q - 1}, got {label!r}")
    o = sp.symbols(f"o0:{q}", real=True)
    loss = -sp.log(sp.exp(o[label]) / sum(sp.exp(v) for v in o))
    return o, [sp.simplify(sp.diff(loss, v)) for v in o]
