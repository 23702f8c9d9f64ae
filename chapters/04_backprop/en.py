# %% [markdown]
# # 04 · Back-propagation: gradients on computational graphs
#
# Training needs the gradient of the loss with respect to every parameter, and a network has millions of them.
# **Back-propagation** computes all of these derivatives in one backward sweep, about as cheaply as one forward
# pass. In this chapter you will
#
# - write a computation as a **computational graph** and apply the chain rule by hand, then with a tiny autograd
#   engine (`mlcourse.autograd.Value`), then with PyTorch, and check with SymPy;
# - take a sigmoid neuron apart gate by gate, and see why its gradient is $\sigma(z)(1-\sigma(z))$;
# - see that gradients arriving along several paths are **added**;
# - keep apart two jobs: back-propagation *computes* gradients, an optimiser *uses* them;
# - derive the **δ-method** for a multi-layer perceptron (MLP), implement it with `mlcourse.layers`, and check it
#   against finite differences and PyTorch;
# - measure **vanishing gradients** in a 10-layer network with sigmoid and with ReLU;
# - meet stationary points that are not minima, local minima, and the minibatch gradient as an unbiased estimate.
#
# Every number below is computed by the code next to it.

# %%
import mlcourse

mlcourse.setup(seed=0, lang="en")

import itertools
import math

import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
import torch
import torch.nn.functional as F

from mlcourse import data, layers, plot, softmax, symbolic
from mlcourse.autograd import Value
from mlcourse.gradcheck import numerical_grad, rel_error
from mlcourse.graph_plot import draw_graph

# %% [markdown]
# ## 1. A computational graph and the chain rule
#
# Take $f(x, y, z) = (x + y)\,z$ at $x = -2$, $y = 5$, $z = -4$. Give the inner sum a name, $q = x + y$, so that
# $f = q\,z$. Each operation is a node (a "gate") of a **computational graph**; values flow along its edges.
#
# - **Forward pass** (left to right): compute $q = 3$, then $f = -12$.
# - **Backward pass** (right to left): start with $\partial f/\partial f = 1$ and multiply by one **local
#   derivative** per gate. The product gate gives $\partial f/\partial q = z$ and $\partial f/\partial z = q$; the sum
#   gate gives $\partial q/\partial x = \partial q/\partial y = 1$. The **chain rule** joins them:
# $$\frac{\partial f}{\partial x} = \frac{\partial f}{\partial q}\cdot\frac{\partial q}{\partial x} = z \cdot 1 .$$

# %%
x, y, z = -2.0, 5.0, -4.0
q = x + y  # forward pass
f = q * z
df_df = 1.0  # backward pass, starting at the output
df_dq = z * df_df  # product gate: the other input
df_dz = q * df_df
df_dx = 1.0 * df_dq  # sum gate: local derivative 1
df_dy = 1.0 * df_dq
print(f"forward:  q = {q}, f = {f}")
print(f"backward: ∂f/∂q = {df_dq}, ∂f/∂x = {df_dx}, ∂f/∂y = {df_dy}, ∂f/∂z = {df_dz}")

# %% [markdown]
# SymPy differentiates the whole formula at once (no graph, no chain rule by hand):

# %%
f_sym, grad_sym = symbolic.add_mul_gradient()
grad_sym

# %% [markdown]
# At the point: $\partial f/\partial x = \partial f/\partial y = z = -4$ and $\partial f/\partial z = x + y = 3$, as
# above. Now the same with `Value`, a scalar that records the graph while it computes. `backward()` runs the
# backward pass and stores $\partial f/\partial\,\text{node}$ in each node's `.grad`. The drawing shows each node's
# value (`data`) and gradient (`grad`); the small numbers on the arrows are the local derivatives.

# %%
xv, yv, zv = Value(-2.0, "x"), Value(5.0, "y"), Value(-4.0, "z")
qv = xv + yv
qv.label = "q"
fv = qv * zv
fv.label = "f"
fv.backward()
print("Value:", "∂f/∂x =", xv.grad, " ∂f/∂y =", yv.grad, " ∂f/∂z =", zv.grad, " ∂f/∂q =", qv.grad)
draw_graph(fv, local_grads=True, title="f = (x + y)·z: forward values and gradients", data_label="data", grad_label="grad")
plt.show()

# %% [markdown]
# PyTorch does exactly this for tensors (`requires_grad=True` makes it record the graph). We use float64, the
# precision of all checks in this course.

# %%
xt, yt, zt = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (-2.0, 5.0, -4.0))
ft = (xt + yt) * zt
ft.backward()
print("torch:", "∂f/∂x =", xt.grad.item(), " ∂f/∂y =", yt.grad.item(), " ∂f/∂z =", zt.grad.item())

# %% [markdown]
# ## 2. Gates and their local derivatives
#
# Back-propagation never needs the derivative of the whole function. Each gate only has to know how its output
# depends on its own inputs, and it multiplies the gradient that arrives from above (the **upstream** gradient) by
# that local derivative:
# $$\frac{\partial L}{\partial\,\text{input}} = \frac{\partial L}{\partial\,\text{output}}\cdot
#   \frac{\partial\,\text{output}}{\partial\,\text{input}} .$$
#
# | gate | output | local derivative | what it does to the upstream gradient $g$ |
# |---|---|---|---|
# | add | $a + b$ | $1$, $1$ | passes $g$ unchanged to both inputs |
# | add a constant | $a + c$ | $1$ | passes $g$ unchanged |
# | multiply | $a\,b$ | $b$, $a$ | scales $g$ by the *other* input |
# | times a constant | $c\,a$ | $c$ | scales $g$ by $c$ |
# | exp | $e^a$ | $e^a$ | scales $g$ by the output |
# | reciprocal | $1/a$ | $-1/a^2$ | scales $g$ by $-1/a^2$ |
# | ReLU | $\max(a, 0)$ | $1$ if $a > 0$, else $0$ | routes $g$ through or blocks it |

# %% [markdown]
# ## 3. A sigmoid neuron, gate by gate
#
# A neuron with two inputs and a sigmoid:
# $$f(w, x) = \frac{1}{1 + e^{-(w_0 x_0 + w_1 x_1 + w_2)}}, \qquad w_0 = 2,\ x_0 = -1,\ w_1 = -3,\ x_1 = -2,\
#   w_2 = -3 .$$
# Written as a chain of simple gates: the weighted sum $d = w_0 x_0 + w_1 x_1 + w_2$, then $\times(-1)$, then
# $\exp$, then $+1$, then $1/x$.

# %%
w0, x0, w1, x1, w2 = Value(2.0, "w0"), Value(-1.0, "x0"), Value(-3.0, "w1"), Value(-2.0, "x1"), Value(-3.0, "w2")
d = w0 * x0 + w1 * x1 + w2
d.label = "d"
neg = d * -1.0
neg.label = "−d"
e = neg.exp()
e.label = "e"
s = e + 1.0
s.label = "s"
out = 1.0 / s
out.label = "f"
out.backward()
print(f"forward: d = {d.data:.6f}, −d = {neg.data:.6f}, e = {e.data:.6f}, s = {s.data:.6f}, f = {out.data:.7f}")

# %% [markdown]
# Now walk backward, one gate at a time, and compare with what `backward()` stored:

# %%
g_s = -1.0 / s.data**2 * 1.0  # 1/x gate: local derivative −1/s²
g_e = 1.0 * g_s  # +1 gate: local derivative 1
g_neg = math.exp(neg.data) * g_e  # exp gate: local derivative e^(−d)
g_d = -1.0 * g_neg  # ×(−1) gate: local derivative −1
print(f"1/x gate:   ∂f/∂s  = −1/s² = {g_s:.6f}   (Value: {s.grad:.6f})")
print(f"+1 gate:    ∂f/∂e  = 1 · {g_s:.6f} = {g_e:.6f}   (Value: {e.grad:.6f})")
print(f"exp gate:   ∂f/∂(−d) = e^(−d) · {g_e:.6f} = {g_neg:.6f}   (Value: {neg.grad:.6f})")
print(f"×(−1) gate: ∂f/∂d  = −1 · {g_neg:.6f} = {g_d:.6f}   (Value: {d.grad:.6f})")
for name, node, other in [("w0", w0, x0), ("x0", x0, w0), ("w1", w1, x1), ("x1", x1, w1)]:
    print(f"∂f/∂{name} = {other.label} · ∂f/∂d = {other.data:+.0f} · {g_d:.6f} = {node.grad:.6f}")
print(f"∂f/∂w2 = ∂f/∂d = {w2.grad:.6f}")

# %% [markdown]
# The $+1$ gate has local derivative $1$ (the derivative of $e + 1$ with respect to $e$), so the gradient
# $-0.534447$ passes through it unchanged. The whole graph with every value and gradient:

# %%
draw_graph(out, title="Sigmoid neuron: forward values and gradients", data_label="data", grad_label="grad")
plt.show()

# %% [markdown]
# ### The shortcut: one sigmoid gate
#
# The last four gates together compute $\sigma(d) = 1/(1 + e^{-d})$. Its derivative has a famous form,
# $\sigma'(d) = \sigma(d)\,(1 - \sigma(d))$; SymPy confirms that the difference of the two sides simplifies to 0:

# %%
symbolic.sigmoid_derivative_residual()

# %% [markdown]
# So the four backward steps can be replaced by one multiplication with $\sigma(1)(1-\sigma(1))$:

# %%
sig1 = 1.0 / (1.0 + math.exp(-1.0))
print(f"σ(1)(1 − σ(1)) = {sig1:.7f} · {1 - sig1:.7f} = {sig1 * (1 - sig1):.6f}   (gate by gate: {g_d:.6f})")

w0b, x0b, w1b, x1b, w2b = Value(2.0), Value(-1.0), Value(-3.0), Value(-2.0), Value(-3.0)
out_b = (w0b * x0b + w1b * x1b + w2b).sigmoid()
out_b.backward()
by_gates = [w0.grad, x0.grad, w1.grad, x1.grad, w2.grad]
with_sigmoid = [w0b.grad, x0b.grad, w1b.grad, x1b.grad, w2b.grad]
print("gradients with one sigmoid gate:", np.round(with_sigmoid, 6))
print("same as gate by gate:", np.allclose(by_gates, with_sigmoid, rtol=0, atol=1e-12))

# %% [markdown]
# Three independent checks of these five gradients: SymPy's exact derivative at the point, PyTorch in float64,
# and central finite differences.

# %%
f_neuron, grad_neuron = symbolic.sigmoid_neuron_gradient()
point = dict(zip(sp.symbols("w0 x0 w1 x1 w2", real=True), [2, -1, -3, -2, -3], strict=True))
sympy_grads = np.array([float(g.subs(point)) for g in grad_neuron.values()])

params_t = torch.tensor([2.0, -1.0, -3.0, -2.0, -3.0], dtype=torch.float64, requires_grad=True)
torch.sigmoid(params_t[0] * params_t[1] + params_t[2] * params_t[3] + params_t[4]).backward()


def neuron(v):
    return 1.0 / (1.0 + math.exp(-(v[0] * v[1] + v[2] * v[3] + v[4])))


finite = numerical_grad(neuron, np.array([2.0, -1.0, -3.0, -2.0, -3.0]))
print("SymPy:", np.round(sympy_grads, 6))
print("Value agrees with SymPy to 1e-12:", np.allclose(by_gates, sympy_grads, rtol=0, atol=1e-12))
print("Value agrees with torch to 1e-12:", np.allclose(by_gates, params_t.grad.numpy(), rtol=0, atol=1e-12))
print("finite differences agree (relative error < 1e-8):", rel_error(np.array(by_gates), finite) < 1e-8)

# %% [markdown]
# ## 4. Fan-out: gradients from several paths are added
#
# "Multiply the local derivatives along the way" is the chain rule along **one** path. When a value feeds several
# gates (it **fans out**), a change in it moves the output along every path, and the contributions **add up**:
# $$\frac{\partial f}{\partial x} = \sum_{\text{paths } x \to f}\ \prod_{\text{edges on the path}}
#   (\text{local derivative}).$$
# Example: $a = x\,y$, $b = x + y$, $f = a\,b$ at $x = 2$, $y = 3$. Both $x$ and $y$ reach $f$ along two paths.

# %%
x_val, y_val = 2.0, 3.0
a_val, b_val = x_val * y_val, x_val + y_val
via_a = b_val * y_val  # ∂f/∂a · ∂a/∂x
via_b = a_val * 1.0  # ∂f/∂b · ∂b/∂x
print(f"path through a: {via_a}, path through b: {via_b}, sum: {via_a + via_b}")

xs, ys = sp.symbols("x y", real=True)
print("SymPy: ∂f/∂x =", sp.diff(xs * ys * (xs + ys), xs), "=", sp.diff(xs * ys * (xs + ys), xs).subs({xs: 2, ys: 3}))

xf, yf = Value(2.0, "x"), Value(3.0, "y")
af = xf * yf
af.label = "a"
bf = xf + yf
bf.label = "b"
ff = af * bf
ff.label = "f"
ff.backward()
print("Value: ∂f/∂x =", xf.grad, " ∂f/∂y =", yf.grad)
draw_graph(ff, local_grads=True, title="Fan-out: x and y each reach f along two paths", data_label="data", grad_label="grad")
plt.show()

# %% [markdown]
# Either path alone gives 15 or 6; only their sum, 21, is the derivative. `Value.backward()` (and PyTorch) get this
# right by *accumulating*: every node adds the contribution of each of its consumers to its `.grad` (`+=`, not `=`).
# The same mechanism is why gradients must be set to zero before the next backward pass: a second call adds again.

# %%
ff.backward()  # a second backward pass without zeroing
print("after a second backward():", xf.grad, "(doubled)")
ff.zero_grad()
ff.backward()
print("after zero_grad() and backward():", xf.grad)

# %% [markdown]
# ## 5. Back-propagation computes gradients; the optimiser changes the weights
#
# Back-propagation is not a training method by itself. It answers one question, "what is $\partial L/\partial w$
# for every $w$?", and changes nothing. An **optimiser** (plain gradient descent, SGD with momentum, Adam, …) then
# uses those numbers to update the weights. In PyTorch the two steps are two separate calls:

# %%
layer = torch.nn.Linear(3, 1).double()
inputs = torch.tensor([[1.0, 2.0, -1.0]], dtype=torch.float64)
optimizer = torch.optim.SGD(layer.parameters(), lr=0.1)
before = layer.weight.detach().clone()
loss = (layer(inputs) - 1.0).pow(2).mean()
loss.backward()  # back-propagation: fills .grad
print("weights unchanged by backward():", torch.equal(layer.weight.detach(), before))
print("gradient ∂L/∂w:", layer.weight.grad)
optimizer.step()  # the optimiser: w ← w − lr · ∂L/∂w
print("step = w_new − w_old:", layer.weight.detach() - before)
print("equals −lr · gradient:", torch.allclose(layer.weight.detach() - before, -0.1 * layer.weight.grad))

# %% [markdown]
# ### A short history
#
# Reverse-mode differentiation, the algorithm behind back-propagation, was described by Seppo Linnainmaa in 1970
# (for the rounding errors of long computations). Paul Werbos proposed using it to train neural networks in his
# 1974 thesis. Rumelhart, Hinton and Williams (1986) showed that it learns useful internal representations in
# multi-layer networks, and made it the standard way to train them. (Rosenblatt's perceptron dates from 1958.)

# %% [markdown]
# ## 6. The δ-method for a multi-layer perceptron
#
# An MLP with layers $l = 1, \dots, L$ computes, for one input $x$ (a column vector):
#
# | symbol | meaning | shape |
# |---|---|---|
# | $a_0 = x$ | the input | $n_0$ |
# | $z_l = W_l a_{l-1} + b_l$ | **pre-activation** of layer $l$ (weighted sum, before the activation function) | $n_l$ |
# | $a_l = f(z_l)$ | **activation** of layer $l$: its output, the input of layer $l+1$ | $n_l$ |
# | $\delta_l = \partial L/\partial z_l$ | the error signal of layer $l$ | $n_l$ |
#
# $W_l$ has shape $(n_l, n_{l-1})$, and $f$ acts element by element. Back-propagation through these layers gives four
# equations:
# $$\delta_L = \frac{\partial L}{\partial a_L}\odot f'(z_L), \qquad
#   \delta_l = \big(W_{l+1}^{\top}\delta_{l+1}\big)\odot f'(z_l), \qquad
#   \frac{\partial L}{\partial W_l} = \delta_l\, a_{l-1}^{\top}, \qquad
#   \frac{\partial L}{\partial b_l} = \delta_l ,$$
# where $\odot$ multiplies element by element. The first needs the loss (softmax mixes its outputs, so for a softmax
# output take $\delta_L$ from the table below); the second carries $\delta$ one layer down
# (a product gate with $W_{l+1}$, then the activation gate); the last two are the local derivatives of
# $z_l = W_l a_{l-1} + b_l$.
#
# ### The output layer: which δ_L?
#
# $\delta_L$ depends on the pair (loss, output activation). For one sample:
#
# | loss $L$ | output activation | $\delta_L$ |
# |---|---|---|
# | $\tfrac12\lVert a_L - y\rVert^2$ | sigmoid | $(a_L - y)\odot a_L(1 - a_L)$ |
# | binary cross-entropy $-\sum_k [y_k\ln a_{L,k} + (1-y_k)\ln(1-a_{L,k})]$ | sigmoid | $a_L - y$ |
# | cross-entropy $-\sum_k y_k \ln a_{L,k}$ | softmax | $a_L - y$ (one-hot $y$) |
#
# With cross-entropy the factor $a_L(1-a_L)$ cancels, which is why a saturated output still learns. For a **mean**
# over $N$ samples every $\delta_L$ gets a factor $1/N$ (and $\frac1N\sum\lVert a_L - y\rVert^2$ without the ½
# gives $\frac2N(a_L - y)\odot a_L(1-a_L)$). SymPy checks each row: it subtracts the true derivative from the
# claimed $\delta_L$, so 0 means the claim is right. The last entry applies the first row's formula to binary
# cross-entropy, which is wrong:

# %%
symbolic.output_delta_residuals()

# %% [markdown]
# ### In code: a batch of samples in the rows
#
# Code stores the $N$ samples of a batch as the rows of a matrix and `layers.dense_forward` computes
# $Z_l = A_{l-1}W_l + b_l$ with $W_l$ of shape $(n_{l-1}, n_l)$, the transpose of the textbook's matrix. Row $n$ of
# $\Delta_l$ is $\delta_l$ of sample $n$, and the equations become
# $$\Delta_l = \big(\Delta_{l+1}W_{l+1}^{\top}\big)\odot f'(Z_l), \qquad
#   \frac{\partial L}{\partial W_l} = A_{l-1}^{\top}\Delta_l, \qquad
#   \frac{\partial L}{\partial b_l} = \sum_{n}\Delta_l[n, :],$$
# the sums over samples happening inside the matrix product. Here is a complete MLP built from `mlcourse.layers`:
# a forward function that keeps each layer's cache, and a backward function that walks the layers in reverse.

# %%
ACTIVATIONS = {
    "sigmoid": (layers.sigmoid_forward, layers.sigmoid_backward),
    "tanh": (layers.tanh_forward, layers.tanh_backward),
    "relu": (layers.relu_forward, layers.relu_backward),
}


def init_mlp(sizes, rng, gain=1.0):
    """[(W_l, b_l)] with W_l ~ N(0, gain / n_(l−1)) of shape (n_(l−1), n_l) and b_l = 0."""
    return [
        (rng.normal(0.0, np.sqrt(gain / n_in), size=(n_in, n_out)), np.zeros(n_out))
        for n_in, n_out in itertools.pairwise(sizes)
    ]


def mlp_forward(X, params, act):
    """Hidden layers a_l = f(z_l); the last layer returns its pre-activation z_L (the logits)."""
    forward, _ = ACTIVATIONS[act]
    a, caches = X, []
    for l, (W, b) in enumerate(params, start=1):
        z, dense_cache = layers.dense_forward(a, W, b)
        a, act_cache = forward(z) if l < len(params) else (z, None)
        caches.append((dense_cache, act_cache))
    return a, caches


def mlp_backward(dz_last, caches, act):
    """From Δ_L = ∂L/∂Z_L down to layer 1: returns [(dW_l, db_l)] and [Δ_l] for l = 1..L."""
    _, backward = ACTIVATIONS[act]
    grads, deltas, dz = [], [], dz_last
    for k in reversed(range(len(caches))):  # layer l = k + 1, from the top down
        da, dW, db = layers.dense_backward(dz, caches[k][0])  # da = Δ_l W_lᵀ = ∂L/∂a_(l−1)
        grads.append((dW, db))
        deltas.append(dz)
        if k > 0:
            dz = backward(da, caches[k - 1][1])  # Δ_(l−1) = (Δ_l W_lᵀ) ⊙ f′(Z_(l−1))
    return grads[::-1], deltas[::-1]


# %% [markdown]
# A small network, 4 → 5 → 4 → 3, with sigmoid hidden layers, a softmax output and the mean cross-entropy over
# $N = 6$ samples, so that $\Delta_L = (\text{softmax}(Z_L) - Y)/N$:

# %%
rng = np.random.default_rng(0)
X_small = rng.normal(size=(6, 4))
y_small = np.array([0, 2, 1, 2, 0, 1])
params = init_mlp([4, 5, 4, 3], rng)
z_out, caches = mlp_forward(X_small, params, "sigmoid")
loss_small = softmax.softmax_cross_entropy(z_out, y_small)
grads, deltas = mlp_backward(softmax.softmax_cross_entropy_grad(z_out, y_small), caches, "sigmoid")
print(f"loss = {loss_small:.6f}")
print("shapes of Δ_l:", [dl.shape for dl in deltas], " of ∂L/∂W_l:", [dW.shape for dW, _ in grads])

# %% [markdown]
# The same gradients written out with the four equations, one line per equation:

# %%
(W1, b1), (W2, b2), (W3, b3) = params
a0 = X_small
z1 = a0 @ W1 + b1
a1 = layers.sigmoid(z1)
z2 = a1 @ W2 + b2
a2 = layers.sigmoid(z2)
z3 = a2 @ W3 + b3
delta3 = (softmax.softmax(z3) - softmax.one_hot(y_small, 3)) / len(y_small)  # δ_L: softmax + mean CE
delta2 = (delta3 @ W3.T) * a2 * (1 - a2)  # δ_l = (W_(l+1)ᵀ δ_(l+1)) ⊙ σ′(z_l)
delta1 = (delta2 @ W2.T) * a1 * (1 - a1)
by_formula = [(a0.T @ delta1, delta1.sum(axis=0)), (a1.T @ delta2, delta2.sum(axis=0)), (a2.T @ delta3, delta3.sum(axis=0))]
print("equations = layers, for every W_l and b_l:",
      all(rel_error(g1, g2) < 1e-12 for pair, pair2 in zip(grads, by_formula, strict=True) for g1, g2 in zip(pair, pair2, strict=True)))

# %% [markdown]
# Gradient checks. Finite differences perturb each weight by $\pm h$ ($h = 10^{-6}$) and recompute the loss. Their
# own rounding error is about $10^{-16}\cdot L/h \approx 10^{-10}$, so we compare absolute differences. PyTorch's
# autograd runs the same network in float64.

# %%
def loss_with(l, W_new):
    """The loss with W_l replaced by W_new (the other parameters fixed)."""
    changed = [(W_new, b) if k == l else (W, b) for k, (W, b) in enumerate(params)]
    return softmax.softmax_cross_entropy(mlp_forward(X_small, changed, "sigmoid")[0], y_small)


for l, (W, _) in enumerate(params):
    finite_W = numerical_grad(lambda W_new, l=l: loss_with(l, W_new), W)
    print(f"layer {l + 1}: max |ours − finite differences| < 1e-9: {np.max(np.abs(grads[l][0] - finite_W)) < 1e-9}")

torch_params = [(torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True)) for W, b in params]
h_t = torch.tensor(X_small)
for l, (W_t, b_t) in enumerate(torch_params, start=1):
    h_t = h_t @ W_t + b_t
    if l < len(torch_params):
        h_t = torch.sigmoid(h_t)
loss_t = F.cross_entropy(h_t, torch.tensor(y_small))
loss_t.backward()
max_diff = max(
    float(np.max(np.abs(g - t.grad.numpy()))) for (dW, db), (W_t, b_t) in zip(grads, torch_params, strict=True)
    for g, t in ((dW, W_t), (db, b_t))
)
print(f"torch loss = {loss_t.item():.6f};  max |ours − torch| over all gradients < 1e-10: {max_diff < 1e-10}")

# %% [markdown]
# ## 7. Vanishing gradients: sigmoid versus ReLU
#
# Each layer of the backward pass multiplies by $W_{l+1}^\top$ and by $f'(z_l)$. For the sigmoid
# $f'(z) = \sigma(z)(1-\sigma(z)) \le \tfrac14$, with the maximum at $z = 0$ and values near 0 as soon as $|z|$ is a
# few units. Through many layers these factors multiply, so $\delta_l$ can shrink geometrically on its way back to
# the first layers: the **vanishing gradient** problem. The early layers then hardly learn.
#
# Measure it: a 10-layer MLP (9 hidden layers of 64 units, then 10 outputs), 256 random inputs with random labels,
# and the norm $\lVert\Delta_l\rVert$ of $\partial L/\partial Z_l$ in every layer. Three networks:
#
# - sigmoid, weights $\mathcal N(0, 1/n_{l-1})$;
# - ReLU, weights $\mathcal N(0, 2/n_{l-1})$ (He initialisation, which keeps the signal's scale through ReLU layers);
# - ReLU, weights $\mathcal N(0, 0.5/n_{l-1})$ (too small).

# %%
rng = np.random.default_rng(1)
X_deep = rng.normal(size=(256, 32))
y_deep = rng.integers(0, 10, size=256)
sizes_deep = [32] + [64] * 9 + [10]
settings = {"sigmoid, N(0, 1/n)": ("sigmoid", 1.0), "ReLU, N(0, 2/n)": ("relu", 2.0), "ReLU, N(0, 0.5/n)": ("relu", 0.5)}
delta_norms = {}
for name, (act, gain) in settings.items():
    params_deep = init_mlp(sizes_deep, np.random.default_rng(2), gain)
    z_deep, caches_deep = mlp_forward(X_deep, params_deep, act)
    _, deltas_deep = mlp_backward(softmax.softmax_cross_entropy_grad(z_deep, y_deep), caches_deep, act)
    delta_norms[name] = np.array([np.linalg.norm(dl) for dl in deltas_deep])
    print(f"{name:18s} ‖Δ_1‖ / ‖Δ_10‖ = {delta_norms[name][0] / delta_norms[name][-1]:.2e}")

ax = plot.lines(np.arange(1, 11), delta_norms, markers=True, logy=True, xlabel="layer l",
                ylabel="‖∂L/∂z_l‖", title="Gradient norm per layer in a 10-layer MLP")
plt.show()

# %% [markdown]
# With sigmoid the gradient at layer 1 is more than $10^5$ times smaller than at layer 10. With ReLU and He
# initialisation it keeps its size. Why ReLU helps: its derivative is exactly 1 wherever the unit is active, so the
# activation gate does not shrink the gradient. What ReLU does **not** fix:
#
# - **The weights still matter.** $\delta$ is still multiplied by $W^\top$ in every layer; with weights that are too
#   small (third curve) the gradient shrinks again, by about the same factor per layer. Too large weights make it
#   explode instead.
# - **Dead units.** A unit whose pre-activation is zero or negative for every input has derivative 0 on all of them:
#   no gradient flows through it and its incoming weights never change.
# - **The kink at 0.** ReLU has no derivative at $z = 0$; frameworks pick $\mathrm{relu}'(0) = 0$.
#
# Dead units are easy to make: shift the biases of layer 5 of the He network down by 3.

# %%
params_dead = init_mlp(sizes_deep, np.random.default_rng(2), 2.0)
W5, b5 = params_dead[4]
params_dead[4] = (W5, b5 - 3.0)
z_dead, caches_dead = mlp_forward(X_deep, params_dead, "relu")
grads_dead, _ = mlp_backward(softmax.softmax_cross_entropy_grad(z_dead, y_deep), caches_dead, "relu")
active = caches_dead[4][1][0] > 0  # z_5 > 0, per sample and unit
dead_units = ~active.any(axis=0)
print(f"layer 5: {dead_units.sum()} of 64 units are dead (z ≤ 0 for all 256 inputs)")
print("their incoming weights get exactly zero gradient:", bool(np.all(grads_dead[4][0][:, dead_units] == 0)))

z0 = torch.tensor([-1.0, 0.0, 2.0], dtype=torch.float64, requires_grad=True)
torch.relu(z0).sum().backward()
print("torch relu′ at (−1, 0, 2):", z0.grad.numpy(), "  layers.relu_backward:",
      layers.relu_backward(np.ones(3), layers.relu_forward(np.array([-1.0, 0.0, 2.0]))[1]))

# %% [markdown]
# Modern networks combine several remedies: careful initialisation (He, Xavier/Glorot), normalisation layers, and
# residual connections that give the gradient a short path around each block.

# %% [markdown]
# ## 8. Where the gradient is zero
#
# Gradient descent stops where $\nabla L = 0$. Such **stationary points** are not only minima: maxima and **saddle
# points** (a minimum in one direction, a maximum in another) have zero gradient too. SymPy finds and classifies the
# stationary points of $F(u, v) = u^4/4 - u^3/3 - u^2 + v^2$ by the eigenvalues of the Hessian (the matrix of
# second derivatives):

# %%
u, v = sp.symbols("u v", real=True)
F_uv = u**4 / 4 - u**3 / 3 - u**2 + v**2
kinds = {"minimum": "minimum", "maximum": "maximum", "saddle": "saddle point", "degenerate": "degenerate"}
for point, eigenvalues, kind in symbolic.stationary_points(F_uv, [u, v]):
    print(f"(u, v) = {point}: Hessian eigenvalues {eigenvalues} -> {kinds[kind]}, F = {F_uv.subs({u: point[0], v: point[1]})}")

# %% [markdown]
# Two of them are minima but only $(2, 0)$ is the **global** minimum; $(-1, 0)$ is a **local** minimum with a much
# higher value. Along $v = 0$ the function is $L(w) = w^4/4 - w^3/3 - w^2$. Gradient descent with learning rate
# $0.1$ ends in whichever basin it starts in, and a start exactly at the maximum $w = 0$ never moves:

# %%
def L_1d(w):
    return w**4 / 4 - w**3 / 3 - w**2


def grad_1d(w):
    return w**3 - w**2 - 2 * w


ends = {}
for w_start in (-0.5, 1.0, 0.0):
    w_cur = w_start
    for _ in range(200):
        w_cur -= 0.1 * grad_1d(w_cur)
    ends[w_start] = w_cur
    print(f"start w = {w_start:+.1f} -> w = {w_cur:+.4f}, L = {L_1d(w_cur):.4f}")

w_grid = np.linspace(-1.8, 2.8, 400)
ax = plot.lines(w_grid, {"L(w)": L_1d(w_grid)}, xlabel="w", ylabel="L", title="Gradient descent ends in the basin it starts in")
for w_start, w_end in ends.items():
    ax.annotate("", xy=(w_end, L_1d(w_end)), xytext=(w_start, L_1d(w_start)),
                arrowprops={"arrowstyle": "->", "color": "crimson"})
    ax.plot([w_start], [L_1d(w_start)], "o", color="crimson", markersize=5)
plt.show()

# %% [markdown]
# For large networks it is often observed that most local minima found by SGD have losses close to the best one,
# and that saddle points, not bad minima, are what slows training. That is an empirical observation for typical
# networks and data, not a theorem: nothing guarantees that a local minimum is good.

# %% [markdown]
# ## 9. A minibatch gradient estimates the gradient of the mean loss
#
# With $N$ training samples the loss is usually the **mean** $L = \frac1N\sum_{i=1}^N \ell_i$ of per-sample losses
# $\ell_i$. (Keep two sums apart: $\tfrac12\sum_k (y_k - a_{L,k})^2$ sums over the *outputs* of one sample and is
# $\ell_i$; the mean is over *samples*.) SGD replaces $\nabla L$ by the average over a random minibatch $B$:
# $$g_B = \frac{1}{|B|}\sum_{i\in B}\nabla\ell_i .$$
# Over random draws of $B$, the average of $g_B$ is exactly $\nabla L$: an **unbiased** estimate. (For the sum
# $\sum_i \ell_i$ the estimate would be $\frac{N}{|B|}\sum_{i\in B}\nabla\ell_i$.) A check with a 64 → 32 → 10 ReLU
# network on 1344 of the 8×8 digit images and the gradient of $W_1$:

# %%
digits = data.load_digits(scale="standard")
X_dig, y_dig = digits.X_train[:1344], digits.y_train[:1344]
params_dig = init_mlp([64, 32, 10], np.random.default_rng(3), 2.0)


def grad_W1(idx):
    """∂/∂W_1 of the mean cross-entropy over the samples idx."""
    z_b, caches_b = mlp_forward(X_dig[idx], params_dig, "relu")
    return mlp_backward(softmax.softmax_cross_entropy_grad(z_b, y_dig[idx]), caches_b, "relu")[0][0][0]


full = grad_W1(np.arange(1344))
epoch_batches = np.random.default_rng(4).permutation(1344).reshape(42, 32)
print("mean over one epoch of 42 disjoint batches of 32 = full gradient (up to rounding):",
      np.allclose(np.mean([grad_W1(b) for b in epoch_batches], axis=0), full, rtol=1e-12, atol=1e-15))
rng = np.random.default_rng(5)
random_grads = np.array([grad_W1(rng.choice(1344, size=32, replace=False)) for _ in range(1000)])
for k in (1, 10, 100, 1000):
    estimate = random_grads[:k].mean(axis=0)
    print(f"average of {k:4d} random minibatches: ‖estimate − ∇L‖ / ‖∇L‖ = "
          f"{np.linalg.norm(estimate - full) / np.linalg.norm(full):.3f}")

# %% [markdown]
# A single minibatch gradient is noisy (here its error is even larger than the gradient itself), but the noise
# averages out: the error of the average of $k$ independent minibatches falls like $1/\sqrt{k}$, and one epoch of
# disjoint batches of equal size reproduces the full gradient exactly.

# %% [markdown]
# ## 10. Common pitfalls
#
# - **"Back-propagation was invented 30 years after the perceptron."** Reverse-mode differentiation was published
#   by Linnainmaa in 1970 and proposed for neural networks by Werbos in 1974; Rumelhart, Hinton and Williams (1986)
#   made it popular (section 5).
# - **"Differentiate layer by layer and multiply the results."** That is the chain rule along one path. Where a
#   value fans out, the contributions of all paths are **added** (section 4).
# - **"Back-propagation is an optimisation algorithm."** It computes gradients and changes nothing; the optimiser
#   (gradient descent, Adam, …) updates the weights (section 5).
# - **"The +1 gate has gradient 0."** Its *local* derivative is 1; that is exactly why the upstream gradient
#   $-0.53$ passes through it unchanged (section 3).
# - **"$\nabla L = 0$ means a minimum."** Maxima and saddle points have zero gradient too (section 8).
# - **"$z_l$ is the output of layer $l$."** $z_l$ is the **pre-activation** $W_l a_{l-1} + b_l$; the layer's output
#   is the activation $a_l = f(z_l)$ (section 6).
# - **"$\delta_L = (a_L - y)\odot a_L(1 - a_L)$."** Only for $\tfrac12\lVert a_L - y\rVert^2$ with a sigmoid output.
#   Sigmoid or softmax with cross-entropy gives $\delta_L = a_L - y$; a mean over samples adds $1/N$ (and $2/N$ for
#   the mean squared error without ½) (section 6).
# - **"ReLU avoids vanishing gradients."** It *mitigates* them: the weight matrices still multiply the gradient,
#   dead units pass no gradient, and $\mathrm{relu}'(0)$ is a convention (0 in PyTorch) (section 7).
# - **"Local minima are close to the global minimum."** A useful observation for big networks, not a guarantee
#   (section 8).
# - **"$L = \tfrac12\sum_i (y_i - a_{L,i})^2$ over the dataset."** That formula sums the outputs of one sample. The
#   dataset loss is a mean over samples, and the minibatch average estimates the gradient of that mean (section 9).
#
# ## Summary
#
# - A computational graph splits a function into gates. The forward pass computes values; the backward pass
#   multiplies the upstream gradient by each gate's local derivative, and **adds** contributions where a value fans
#   out.
# - In a sigmoid neuron with weighted sum $d$, the gradient of weight $w_i$ is $\sigma(d)(1-\sigma(d))\,x_i$;
#   here $\sigma(1)(1-\sigma(1)) = 0.196612$.
# - For an MLP: $\delta_L$ from the loss (for softmax or sigmoid with cross-entropy $a_L - y$),
#   $\delta_l = (W_{l+1}^\top\delta_{l+1})\odot f'(z_l)$, $\partial L/\partial W_l = \delta_l a_{l-1}^\top$,
#   $\partial L/\partial b_l = \delta_l$. In float64 our implementation agrees with finite differences to better
#   than $10^{-9}$ and with PyTorch to better than $10^{-10}$.
# - Each sigmoid gate multiplies the gradient by at most $\tfrac14$; in our 10-layer network the gradient shrank about
#   4× per layer. ReLU with He initialisation keeps its size, but does not remove every cause of vanishing gradients.
# - Gradient descent can stop at any stationary point; minibatch gradients are unbiased but noisy estimates.
#
# **Exercises:** open `exercises/04_backprop.ipynb`.
