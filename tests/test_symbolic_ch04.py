"""mlcourse.symbolic (chapter 04): the chain-rule examples and the output-layer δ, against the worked numbers."""

import math

import sympy as sp

from mlcourse import symbolic
from mlcourse.autograd import Value


def test_add_mul_gradient_matches_the_worked_example():
    f, grad = symbolic.add_mul_gradient()
    x, y, z = sorted(f.free_symbols, key=str)
    at = {x: -2, y: 5, z: -4}
    assert f.subs(at) == -12
    assert [grad[v].subs(at) for v in (x, y, z)] == [-4, -4, 3]


def test_sigmoid_neuron_gradient_matches_value_and_the_shortcut():
    f, grad = symbolic.sigmoid_neuron_gradient()
    names = {str(s): s for s in f.free_symbols}
    at = {names["w0"]: 2, names["x0"]: -1, names["w1"]: -3, names["x1"]: -2, names["w2"]: -3}
    assert math.isclose(float(f.subs(at)), 0.7310585786, rel_tol=1e-9)
    expected = {"w0": -0.196612, "x0": 0.393224, "w1": -0.393224, "x1": -0.589836, "w2": 0.196612}
    for name, value in expected.items():
        assert math.isclose(float(grad[names[name]].subs(at)), value, abs_tol=1e-6)
    s = 1 / (1 + math.exp(-1))
    assert math.isclose(float(grad[names["w2"]].subs(at)), s * (1 - s), rel_tol=1e-12)
    w0, x0, w1, x1, w2 = (Value(float(at[names[n]])) for n in ("w0", "x0", "w1", "x1", "w2"))
    out = 1 / (1 + (-(w0 * x0 + w1 * x1 + w2)).exp())
    out.backward()
    assert math.isclose(w0.grad, float(grad[names["w0"]].subs(at)), rel_tol=1e-12)


def test_output_deltas():
    residuals = symbolic.output_delta_residuals()
    assert residuals["half_squared_sigmoid"] == 0
    assert residuals["bce_sigmoid"] == 0
    assert residuals["ce_softmax"] == 0
    wrong = residuals["bce_sigmoid_wrong"]
    assert wrong != 0
    z, y = sorted(wrong.free_symbols, key=str)[::-1]  # (z, y) -> names sort as y, z
    assert abs(float(wrong.subs({z: 1, y: 1}))) > 0.1
    assert isinstance(wrong, sp.Expr)
