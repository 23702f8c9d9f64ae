"""Scalar reverse-mode automatic differentiation: a `Value` engine for computational graphs.

Every operation creates a new node that remembers its parents and the local derivative with respect to
each parent (computed during the forward pass). `backward()` visits the nodes in reverse topological
order and applies the chain rule, ∂L/∂parent += (∂node/∂parent)·∂L/∂node: contributions are *summed*
where a value fans out into several paths (errata E31).
"""

from __future__ import annotations

import math
import numbers

from mlcourse._validate import real_number

__all__ = ["Value"]


def _as_value(other, op: str) -> Value:
    """`other` as a Value (numbers become constant leaves); TypeError naming the operand otherwise."""
    if isinstance(other, Value):
        return other
    if isinstance(other, bool) or not isinstance(other, numbers.Real):
        raise TypeError(
            f"unsupported operand for '{op}' with a Value: {other!r} of type {type(other).__name__}; "
            "expected a Value or a real number (int or float)"
        )
    return Value(real_number(other, f"the operand of '{op}'"))


def _fmt(x: float) -> str:
    return f"{round(x, 4) + 0.0:.4f}"  # + 0.0 turns -0.0 into 0.0 so the repr is deterministic


class Value:
    """A scalar node x of a computational graph with ∂L/∂x in `.grad`.  Value(data: float, label="")."""

    __slots__ = ("_local_grads", "data", "grad", "label", "op", "parents")
    __array_ufunc__ = (
        None  # numpy scalars then defer to our reflected operators: np.float64(2) * a is a Value
    )

    def __init__(self, data: float, label: str = "", *, _parents: tuple = (), _op: str = "", _local=()):
        if isinstance(data, Value):
            raise TypeError("data must be a real number, got a Value (use the Value itself)")
        if not isinstance(label, str):
            raise TypeError(f"label must be a str, got {type(label).__name__}")
        self.data: float = real_number(data, "data")
        self.grad: float = 0.0
        self.label: str = label
        self.op: str = _op  # '' for leaves (inputs and constants)
        self.parents: tuple[Value, ...] = tuple(_parents)
        self._local_grads: tuple[float, ...] = tuple(_local)  # ∂self/∂parent, one per parent

    def __repr__(self) -> str:
        return f"Value(data={_fmt(self.data)}, grad={_fmt(self.grad)})"

    def _node(self, data: float, op: str, parents: tuple[Value, ...], local: tuple[float, ...]) -> Value:
        if math.isnan(data):
            inputs = ", ".join(repr(p.data) for p in parents)
            raise ValueError(
                f"'{op}' of {inputs} is NaN (undefined); check for inf - inf, 0 * inf or overflow"
            )
        return Value(data, _parents=parents, _op=op, _local=local)

    # ---- binary operators: a ∘ b with local derivatives (∂/∂a, ∂/∂b) ----
    def __add__(self, other) -> Value:
        other = _as_value(other, "+")
        return self._node(self.data + other.data, "+", (self, other), (1.0, 1.0))

    def __sub__(self, other) -> Value:
        other = _as_value(other, "-")
        return self._node(self.data - other.data, "-", (self, other), (1.0, -1.0))

    def __mul__(self, other) -> Value:
        other = _as_value(other, "*")
        return self._node(self.data * other.data, "*", (self, other), (other.data, self.data))

    def __truediv__(self, other) -> Value:
        other = _as_value(other, "/")
        if other.data == 0.0:
            raise ZeroDivisionError(f"division by a Value with data 0 (numerator {self.data!r})")
        b = other.data
        return self._node(self.data / b, "/", (self, other), (1.0 / b, -self.data / (b * b)))

    def __radd__(self, other) -> Value:  # other + self, e.g. 1 + a and sum([...])
        return _as_value(other, "+") + self

    def __rsub__(self, other) -> Value:  # other - self, e.g. 1 - a
        return _as_value(other, "-") - self

    def __rmul__(self, other) -> Value:  # other * self, e.g. 2 * a
        return _as_value(other, "*") * self

    def __rtruediv__(self, other) -> Value:  # other / self, e.g. 3 / a
        return _as_value(other, "/") / self

    def __neg__(self) -> Value:
        return self._node(-self.data, "neg", (self,), (-1.0,))

    def __pow__(self, n) -> Value:
        """x**n for a fixed number n; ∂/∂x = n·x^(n−1)."""
        if isinstance(n, Value):
            raise TypeError(
                "the exponent of ** must be a number (int or float), not a Value; for b**a with a Value "
                "exponent write (a * b.log()).exp()"
            )
        if isinstance(n, bool) or not isinstance(n, numbers.Real):
            raise TypeError(f"the exponent of ** must be a number (int or float), got {type(n).__name__}")
        n = real_number(n, "exponent")
        x = self.data
        if x == 0.0 and n < 0:
            raise ZeroDivisionError(f"0 ** {n:g} is undefined (division by zero)")
        if x < 0 and not n.is_integer():
            raise ValueError(f"a negative base ({x!r}) to a non-integer power ({n:g}) is not a real number")
        if n == 0.0:
            local = 0.0
        elif x == 0.0 and n < 1:
            local = math.inf  # vertical tangent of x**n at 0 for 0 < n < 1, as torch
        else:
            local = n * x ** (n - 1)
        return self._node(x**n, f"**{n:g}", (self,), (local,))

    def __rpow__(self, other):
        raise TypeError(
            "the exponent of ** must be a number (int or float), not a Value; for b**a with a Value "
            "exponent write (a * math.log(b)).exp()"
        )

    # ---- unary functions ----
    def exp(self) -> Value:
        """e^x; ∂/∂x = e^x (inf when x > 709.78, as in numpy and torch)."""
        try:
            e = math.exp(self.data)
        except OverflowError:
            e = math.inf
        return self._node(e, "exp", (self,), (e,))

    def log(self) -> Value:
        """ln x for x > 0; ∂/∂x = 1/x."""
        if self.data <= 0:
            raise ValueError(f"log needs data > 0, got {self.data!r}")
        return self._node(math.log(self.data), "log", (self,), (1.0 / self.data,))

    def tanh(self) -> Value:
        """tanh x; ∂/∂x = 1 − tanh²x."""
        t = math.tanh(self.data)
        return self._node(t, "tanh", (self,), (1.0 - t * t,))

    def relu(self) -> Value:
        """max(0, x); ∂/∂x = 1 if x > 0 else 0 (0 at x = 0, as torch)."""
        return self._node(max(self.data, 0.0), "relu", (self,), (1.0 if self.data > 0 else 0.0,))

    def sigmoid(self) -> Value:
        """σ(x) = 1/(1 + e^−x), evaluated without overflow; ∂/∂x = σ(x)(1 − σ(x))."""
        e = math.exp(-abs(self.data))  # in (0, 1]: never overflows
        s = 1.0 / (1.0 + e) if self.data >= 0 else e / (1.0 + e)
        return self._node(s, "sigmoid", (self,), (s * (1.0 - s),))

    # ---- graph traversal and back-propagation ----
    def topological_order(self) -> list[Value]:
        """All nodes of the graph that ends at self, each after its parents (self last). Iterative DFS."""
        order: list[Value] = []
        seen: set[int] = set()
        stack: list[tuple[Value, bool]] = [(self, False)]
        while stack:
            node, parents_done = stack.pop()
            if parents_done:
                order.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((p, False) for p in reversed(node.parents) if id(p) not in seen)
        return order

    def backward(self) -> None:
        """Add ∂self/∂node to node.grad for every node of the graph (self.grad gets + 1).

        Gradients accumulate as in torch: a second call adds the same amounts again (every grad doubles),
        so call `zero_grad()` between independent backward passes.
        """
        order = self.topological_order()
        pass_grad = {id(node): 0.0 for node in order}  # gradients of this pass only
        pass_grad[id(self)] = 1.0
        for node in reversed(order):
            g = pass_grad[id(node)]
            for parent, local in zip(node.parents, node._local_grads, strict=True):
                pass_grad[id(parent)] += local * g  # += : fan-out contributions are summed
        for node in order:
            node.grad += pass_grad[id(node)]

    def zero_grad(self) -> None:
        """Set grad = 0 on every node of the graph that ends at self."""
        for node in self.topological_order():
            node.grad = 0.0
