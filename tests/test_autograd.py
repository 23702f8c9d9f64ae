"""Tests for mlcourse.autograd: worked examples (reference/worked-examples.md), fan-out, torch parity."""

from __future__ import annotations

import math
import sys

import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from mlcourse.autograd import Value

# ---- worked examples: "Computational graphs (seed 003)" ----


def test_worked_example_add_mul():
    x, y, z = Value(-2.0, "x"), Value(5.0, "y"), Value(-4.0, "z")
    q = x + y
    f = q * z
    f.backward()
    assert (q.data, f.data) == (3.0, -12.0)
    assert (z.grad, x.grad, y.grad, q.grad, f.grad) == (3.0, -4.0, -4.0, -4.0, 1.0)
    assert repr(x) == "Value(data=-2.0000, grad=-4.0000)"
    assert repr(q) == "Value(data=3.0000, grad=-4.0000)"


def test_worked_example_sigmoid_neuron_gate_by_gate():
    w0, x0, w1, x1, w2 = Value(2.0), Value(-1.0), Value(-3.0), Value(-2.0), Value(-3.0)
    dot = w0 * x0 + w1 * x1 + w2
    neg = -dot  # the ×(−1) gate
    e = neg.exp()
    den = e + 1  # the +1 gate
    f = 1 / den  # the 1/x gate
    f.backward()
    s = 1.0 / (1.0 + math.exp(-1.0))
    assert dot.data == 1.0
    assert f.data == pytest.approx(0.7310586, abs=5e-8)
    assert den.data == pytest.approx(1.367879, abs=5e-7)
    assert den.grad == pytest.approx(-0.534447, abs=5e-7)
    assert den.grad == pytest.approx(-1.0 / den.data**2, rel=1e-14)
    assert e.grad == den.grad  # E33: the +1 gate has local gradient 1, so −0.53 passes unchanged
    assert neg.grad == pytest.approx(-0.196612, abs=5e-7)
    assert dot.grad == pytest.approx(0.196612, abs=5e-7)
    assert dot.grad == pytest.approx(s * (1 - s), rel=1e-14)
    expected = {"w0": -0.196612, "x0": 0.393224, "w1": -0.393224, "x1": -0.589836, "w2": 0.196612}
    got = {"w0": w0.grad, "x0": x0.grad, "w1": w1.grad, "x1": x1.grad, "w2": w2.grad}
    for name, value in expected.items():
        assert got[name] == pytest.approx(value, abs=5e-7), name
    # the sigmoid as one gate gives the same gradients
    d = Value(1.0)
    d.sigmoid().backward()
    assert d.grad == pytest.approx(s * (1 - s), rel=1e-14)


# ---- fan-out: contributions of all paths are summed (E31) ----


def test_fan_out_self_product_and_sum():
    a = Value(3.0)
    (a * a).backward()
    assert a.grad == 6.0
    b = Value(3.0)
    (b + b).backward()
    assert b.grad == 2.0


def test_fan_out_several_branches_matches_torch():
    a = Value(0.7)
    out = a.tanh() * a.exp() + (a * 2).sigmoid() - a**3 / (1 + a * a)
    out.backward()
    t = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
    out_t = t.tanh() * t.exp() + (t * 2).sigmoid() - t**3 / (1 + t * t)
    out_t.backward()
    assert out.data == pytest.approx(out_t.item(), rel=1e-14)
    assert a.grad == pytest.approx(t.grad.item(), rel=1e-12)


# ---- reversed operators, mixed arithmetic ----


@pytest.mark.parametrize(
    ("make", "value", "grad"),
    [
        (lambda a: 2 * a, 4.0, 2.0),
        (lambda a: 1 - a, -1.0, -1.0),
        (lambda a: 3 / a, 1.5, -0.75),
        (lambda a: 5 + a, 7.0, 1.0),
        (lambda a: a - 1, 1.0, 1.0),
        (lambda a: a / 4, 0.5, 0.25),
        (lambda a: -a, -2.0, -1.0),
        (lambda a: a**2, 4.0, 4.0),
        (lambda a: a**-1, 0.5, -0.25),
        (lambda a: a**0.5, math.sqrt(2.0), 0.5 / math.sqrt(2.0)),
        (lambda a: np.float64(2.0) * a, 4.0, 2.0),
        (lambda a: a * np.float64(2.0), 4.0, 2.0),
        (lambda a: np.int64(3) + a, 5.0, 1.0),
        (lambda a: sum([a, a, a]), 6.0, 3.0),
    ],
)
def test_operators_with_numbers(make, value, grad):
    a = Value(2.0)
    out = make(a)
    assert isinstance(out, Value)
    out.backward()
    assert out.data == pytest.approx(value, rel=1e-15)
    assert a.grad == pytest.approx(grad, rel=1e-15)


def test_graph_fields_for_drawing():
    x, y = Value(1.0, label="x"), Value(2.0, label="y")
    out = (x * y).relu()
    assert (x.op, x.parents, x.label) == ("", (), "x")
    assert out.op == "relu"
    assert out.parents[0].op == "*"
    assert out.parents[0].parents == (x, y)
    assert (x**3).op == "**3"
    const = (1 - x).parents[0]
    assert (const.op, const.data) == ("", 1.0)


def test_topological_order_parents_first_each_node_once():
    x, y, z = Value(-2.0), Value(5.0), Value(-4.0)
    q = x + y
    f = q * z + q  # q fans out
    order = f.topological_order()
    assert order[-1] is f
    assert len(order) == len({id(n) for n in order}) == 6
    position = {id(n): i for i, n in enumerate(order)}
    for node in order:
        for parent in node.parents:
            assert position[id(parent)] < position[id(node)]


# ---- unary functions: values, derivatives, edge cases ----


@pytest.mark.parametrize("x", [-3.0, -0.5, 0.0, 0.5, 3.0, 30.0, -30.0])
@pytest.mark.parametrize("fn", ["exp", "tanh", "relu", "sigmoid"])
def test_unary_matches_torch(fn, x):
    a = Value(x)
    out = getattr(a, fn)()
    out.backward()
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    getattr(t, fn)().backward()
    assert out.data == pytest.approx(getattr(torch, fn)(t.detach()).item(), rel=1e-15, abs=1e-300)
    assert a.grad == pytest.approx(t.grad.item(), rel=1e-14, abs=1e-300)


def test_log_and_relu_at_zero():
    a = Value(2.0)
    a.log().backward()
    assert a.grad == 0.5
    z = Value(0.0)
    z.relu().backward()
    assert z.grad == 0.0  # as torch: relu'(0) = 0 (E57)


def test_sigmoid_stable_for_large_inputs():
    big, small = Value(1000.0), Value(-1000.0)
    s_big, s_small = big.sigmoid(), small.sigmoid()
    (s_big + s_small).backward()
    assert (s_big.data, s_small.data) == (1.0, 0.0)
    assert (big.grad, small.grad) == (0.0, 0.0)
    assert Value(800.0).exp().data == math.inf  # overflow gives inf, as numpy and torch


# ---- backward semantics ----


def test_backward_twice_accumulates_like_torch_and_zero_grad_resets():
    x = Value(2.0)
    h = x * x
    y = h * 3
    y.backward()
    y.backward()
    t = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    y_t = t * t * 3
    y_t.backward(retain_graph=True)
    y_t.backward()
    assert x.grad == t.grad.item() == 24.0
    assert (h.grad, y.grad) == (6.0, 2.0)
    y.zero_grad()
    assert all(node.grad == 0.0 for node in y.topological_order())
    y.backward()
    assert x.grad == 12.0


def test_deep_chain_has_no_recursion_limit_trouble():
    n = max(5000, 4 * sys.getrecursionlimit())
    x = Value(0.5)
    y = x
    for _ in range(n - 1):
        y = y + x  # deep and fanned out: x feeds every node
    y.backward()
    assert x.grad == float(n)
    w = Value(1.0)
    p = w
    for _ in range(n):
        p = p * 1.0001
    p.backward()
    assert w.grad == pytest.approx(1.0001**n, rel=1e-12)
    assert len(p.topological_order()) == 2 * n + 1


# ---- random expressions against torch autograd in float64 ----

UNARY = {
    "neg": lambda a: -a,
    "tanh": lambda a: a.tanh(),
    "sigmoid": lambda a: a.sigmoid(),
    "relu": lambda a: a.relu(),
    "exp": lambda a: a.exp(),
    "log": lambda a: (a * a + 1).log(),
    "square": lambda a: a**2,
    "cube": lambda a: a**3,
    "sqrt": lambda a: (a * a + 0.5) ** 0.5,
    "rmul": lambda a: 2.5 * a,
    "rsub": lambda a: 1 - a,
    "rdiv": lambda a: 3 / (1 + a * a),
}
BINARY = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / (b * b + 1),
}
leaves = st.one_of(
    st.tuples(st.just("var"), st.integers(0, 2)),
    st.tuples(st.just("const"), st.floats(-2, 2, allow_nan=False)),
)
trees = st.recursive(
    leaves,
    lambda sub: st.one_of(
        st.tuples(st.sampled_from(sorted(UNARY)), sub),
        st.tuples(st.sampled_from(sorted(BINARY)), sub, sub),
    ),
    max_leaves=10,
)


def _has_var(tree) -> bool:
    return tree[0] == "var" or (tree[0] not in ("var", "const") and any(_has_var(t) for t in tree[1:]))


def _build(tree, variables, constant):
    kind = tree[0]
    if kind == "var":
        return variables[tree[1]]
    if kind == "const":
        return tree[1]  # a plain float: exercises mixed and reversed arithmetic
    if kind in UNARY:
        arg = _build(tree[1], variables, constant)
        return UNARY[kind](constant(arg) if isinstance(arg, float) else arg)
    return BINARY[kind](_build(tree[1], variables, constant), _build(tree[2], variables, constant))


@settings(max_examples=50, deadline=None)
@given(tree=trees, xs=st.lists(st.floats(-2, 2, allow_nan=False), min_size=3, max_size=3))
def test_random_expressions_match_torch(tree, xs):
    assume(_has_var(tree))
    variables = [Value(v) for v in xs]
    try:
        out = _build(tree, variables, Value)
    except (OverflowError, ValueError):  # e.g. exp of exp of exp overflowing, then inf - inf
        assume(False)
    assume(isinstance(out, Value) and math.isfinite(out.data) and abs(out.data) < 1e8)
    out.backward()
    tensors = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in xs]
    out_t = _build(tree, tensors, lambda c: torch.tensor(c, dtype=torch.float64))
    out_t.backward()
    assert out.data == pytest.approx(out_t.item(), rel=1e-10, abs=1e-10)
    for v, t in zip(variables, tensors, strict=True):
        expected = 0.0 if t.grad is None else t.grad.item()
        assert math.isfinite(v.grad)
        assert v.grad == pytest.approx(expected, rel=1e-10, abs=1e-10)


# ---- errors ----


def test_bad_operands_raise_type_error_naming_the_operand():
    a = Value(1.0)
    with pytest.raises(TypeError, match=r"'\+'.*'x'.*str"):
        a + "x"
    with pytest.raises(TypeError, match=r"'\+'.*'x'.*str"):
        "x" + a
    with pytest.raises(TypeError, match=r"'\*'.*\[1\].*list"):
        a * [1]
    with pytest.raises(TypeError, match="None"):
        a - None
    with pytest.raises(TypeError, match="ndarray"):
        a / np.array([1.0, 2.0])
    with pytest.raises(TypeError, match="bool"):
        a + True


def test_pow_errors():
    a = Value(2.0)
    with pytest.raises(TypeError, match=r"exponent of \*\* must be a number.*not a Value"):
        a ** Value(2.0)
    with pytest.raises(TypeError, match="not a Value"):
        2**a
    with pytest.raises(TypeError, match=r"exponent.*str"):
        a ** "2"
    with pytest.raises(ValueError, match="negative base"):
        Value(-8.0) ** (1 / 3)
    with pytest.raises(ZeroDivisionError, match="0 \\*\\* -1"):
        Value(0.0) ** -1
    assert (Value(-2.0) ** 3).data == -8.0


def test_value_errors():
    with pytest.raises(ValueError, match=r"log needs data > 0, got -1\.0"):
        Value(-1.0).log()
    with pytest.raises(ValueError, match=r"log needs data > 0, got 0\.0"):
        Value(0.0).log()
    with pytest.raises(ZeroDivisionError, match="data 0"):
        Value(1.0) / Value(0.0)
    with pytest.raises(TypeError, match="data must be a real number, got str"):
        Value("3")
    with pytest.raises(TypeError, match="data must be a real number, got a Value"):
        Value(Value(1.0))
    with pytest.raises(ValueError, match="NaN"):
        Value(float("nan"))
    with pytest.raises(ValueError, match="NaN"):
        Value(1.0) + float("nan")
    with pytest.raises(ValueError, match="'-' of inf, inf is NaN"):
        Value(math.inf) - Value(math.inf)
    with pytest.raises(TypeError, match="label must be a str"):
        Value(1.0, label=3)


def test_repr_is_rounded_and_deterministic():
    assert repr(Value(1 / 3)) == "Value(data=0.3333, grad=0.0000)"
    assert repr(Value(-0.00001)) == "Value(data=0.0000, grad=0.0000)"
    assert repr(Value(2)) == "Value(data=2.0000, grad=0.0000)"
