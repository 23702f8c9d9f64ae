"""SymPy derivations of chapter 02: entropy of a coin, cross-entropy and KL, binary cross-entropy and its gradient.

sympy is imported inside each function. Logarithms are natural (nats). Re-exported by mlcourse.symbolic.
"""

from __future__ import annotations

import itertools
from typing import NamedTuple

__all__ = [
    "Step",
    "bce_chain_rule",
    "bce_logit_gradient",
    "bce_stable_form_residuals",
    "binary_entropy",
    "binary_entropy_maximum",
    "coin_cross_entropy",
    "coin_cross_entropy_minimiser",
    "kl_entropy_terms",
    "sigmoid_bce_symbols",
    "sigmoid_derivative_residual",
    "verify_steps",
]


class Step(NamedTuple):
    """One line of a derivation: `expr` equals the previous line's expression, by `rule`.

    `given` maps sub-expressions to what an assumption says they equal (e.g. Σ_k y_k -> 1); it is applied to
    the previous expression before the two are compared. `assume` is a SymPy assumption for refine().
    """

    rule: str
    expr: object
    given: dict | None = None
    assume: object = True


def verify_steps(steps) -> list[bool]:
    """[step i equals step i−1] for i = 1..len−1, each by SymPy: (prev − expr), with derivatives and sums done,
    refined by the step's assumption, simplifies to 0 (also after rewriting hyperbolic functions as exp)."""
    import sympy as sp

    checks = []
    for prev, step in itertools.pairwise(steps):
        before = prev.expr.xreplace(step.given) if step.given else prev.expr
        diff = sp.simplify(sp.refine((before - step.expr).doit(), step.assume))
        diff = sp.refine(diff, step.assume)
        checks.append(bool(diff == 0 or sp.simplify(diff.rewrite(sp.exp)) == 0))
    return checks


def binary_entropy():
    """Symbol b (the coin's probability of heads) and H(b) = −b log b − (1 − b) log(1 − b).  -> (b, H)"""
    import sympy as sp

    b = sp.Symbol("b", positive=True)
    return b, -b * sp.log(b) - (1 - b) * sp.log(1 - b)


def binary_entropy_maximum():
    """Where dH/db = 0 and the value there, solved by SymPy: (1/2, log 2).  -> (b*, H(b*))"""
    import sympy as sp

    b, h = binary_entropy()
    (b_star,) = sp.solve(sp.diff(h, b), b)
    return b_star, sp.simplify(h.subs(b, b_star))


def coin_cross_entropy():
    """Symbols p, q and H(p, q) = −p log q − (1 − p) log(1 − q) for two coins.  -> (p, q, H)"""
    import sympy as sp

    p, q = sp.symbols("p q", positive=True)
    return p, q, -p * sp.log(q) - (1 - p) * sp.log(1 - q)


def coin_cross_entropy_minimiser():
    """Solutions of ∂H(p, q)/∂q = 0 and the second derivative ∂²H/∂q² (positive on (0, 1)).  -> ([q*], H'')"""
    import sympy as sp

    _, q, h = coin_cross_entropy()
    return sp.solve(sp.diff(h, q), q), sp.diff(h, q, 2)


def kl_entropy_terms():
    """KL(p‖q) = Σ_k p_k log(p_k/q_k), H(p, q) = −Σ_k p_k log q_k, H(p) = −Σ_k p_k log p_k for a general
    number of outcomes K (symbolic), with positive p_k, q_k.  -> (kl, cross_entropy, entropy)"""
    import sympy as sp

    k = sp.Symbol("k", integer=True, positive=True)
    big_k = sp.Symbol("K", integer=True, positive=True)
    p = sp.IndexedBase("p", positive=True)
    q = sp.IndexedBase("q", positive=True)
    kl = sp.Sum(p[k] * sp.log(p[k] / q[k]), (k, 1, big_k))
    cross = -sp.Sum(p[k] * sp.log(q[k]), (k, 1, big_k))
    ent = -sp.Sum(p[k] * sp.log(p[k]), (k, 1, big_k))
    return kl, cross, ent


def sigmoid_bce_symbols():
    """Symbols z (a logit), y (the target) and σ = 1/(1 + e^{−z}), L = −[y log σ + (1 − y) log(1 − σ)].
    -> (z, y, sigma, L)"""
    import sympy as sp

    z, y = sp.symbols("z y", real=True)
    sigma = 1 / (1 + sp.exp(-z))
    return z, y, sigma, -(y * sp.log(sigma) + (1 - y) * sp.log(1 - sigma))


def bce_logit_gradient():
    """dL/dz of the binary cross-entropy of σ(z), simplified by SymPy; it equals σ(z) − y."""
    import sympy as sp

    z, _, _, loss = sigmoid_bce_symbols()
    return sp.simplify(sp.diff(loss, z))


def sigmoid_derivative_residual():
    """dσ/dz − σ(z)(1 − σ(z)), simplified by SymPy: 0."""
    import sympy as sp

    z, _, sigma, _ = sigmoid_bce_symbols()
    return sp.simplify(sp.diff(sigma, z) - sigma * (1 - sigma))


def bce_chain_rule():
    """dL/dz = dL/ds · ds/dz with s = σ(z) ∈ (0, 1) a symbol: (s, dL/ds, ds/dz = s(1 − s), their product
    simplified by SymPy, which is s − y).  -> (s, dl_ds, ds_dz, dl_dz)"""
    import sympy as sp

    y = sp.Symbol("y", real=True)
    s = sp.Symbol("s", positive=True)
    dl_ds = sp.diff(-(y * sp.log(s) + (1 - y) * sp.log(1 - s)), s)
    ds_dz = s * (1 - s)
    return s, dl_ds, ds_dz, sp.simplify(dl_ds * ds_dz)


def bce_stable_form_residuals():
    """max(z, 0) − zy + log(1 + e^{−|z|}) minus the BCE of σ(z), simplified by SymPy for z > 0 and for z < 0;
    both are 0, so the stable form is the same function.  -> (residual for z > 0, residual for z < 0)"""
    import sympy as sp

    z, y, _, loss = sigmoid_bce_symbols()
    zp = sp.Symbol("z", positive=True)
    zn = sp.Symbol("z", negative=True)
    pos = zp - zp * y + sp.log(1 + sp.exp(-zp)) - loss.subs(z, zp)
    neg = -zn * y + sp.log(1 + sp.exp(zn)) - loss.subs(z, zn)
    return sp.simplify(pos), sp.simplify(neg)
