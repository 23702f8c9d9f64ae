# %% [markdown]
# # 03 · Softmax regression
#
# Chapter 02 gave us the loss for comparing probability distributions. Now we build the simplest model that outputs
# one: **softmax regression**, a single fully connected layer followed by the softmax. You will
#
# - encode class labels as integers and as one-hot vectors, consistently,
# - write the model for tiny 2×2 grey images (4 features, 3 classes) and count its parameters,
# - define the softmax, implement it stably, and vectorise the model over a minibatch, $O = XW + b$,
# - derive the loss from the likelihood and its gradient $\partial l/\partial o_j = \hat y_j - y_j$ step by step,
#   with SymPy checking every step for a general number of classes $q$,
# - train the model from scratch in numpy on handwritten digits, then in PyTorch, and check that both compute the
#   same gradients,
# - see in what sense the model is "linear": its decision boundaries are, its probabilities are not.
#
# Every number below is computed by the code next to it.

# %%
import mlcourse

mlcourse.setup(seed=0, lang="en")

import time

import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
import torch
import torch.nn.functional as F
from IPython.display import Markdown, display
from torch import nn

from mlcourse import data, plot, softmax, symbolic
from mlcourse.gradcheck import numerical_grad, rel_error

# %% [markdown]
# ## 1. Classification: hard and soft
#
# Regression answers "how much?"; classification answers "which one?". There are two flavours:
#
# - **hard** classification: output one class;
# - **soft** classification: output a probability for every class.
#
# The line between them is thin: even when we only want the hard answer, we train a soft model and take the class
# with the largest probability.
#
# **Labels.** Our running example has three classes: cat, chicken and dog. A label can be written as
#
# - an **integer** $y \in \{0, 1, 2\}$ (in code classes are numbered from 0), or
# - a **one-hot** vector with a 1 at the position of the class: cat $= (1, 0, 0)$, chicken $= (0, 1, 0)$,
#   dog $= (0, 0, 1)$.
#
# The two encodings must agree: the 1 of the one-hot vector sits at the index given by the integer label. The
# integers are only names; "cat < chicken" means nothing, and no loss below treats them as numbers.

# %%
class_names = ["cat", "chicken", "dog"]  # labels 0, 1, 2
y_int = np.array([2, 0, 1, 0])
Y = softmax.one_hot(y_int, 3)
for label, row in zip(y_int, Y, strict=True):
    print(f"{class_names[label]:<8} integer label {label}   one-hot {row}")
print("argmax of each one-hot row gives the integers back:", Y.argmax(axis=1))

# %% [markdown]
# ## 2. A network for 2×2 images
#
# Each input is a 2×2 grey image. Read its pixels row by row as four features $x_1, x_2, x_3, x_4$ (grey levels in
# $[0, 1]$). `data.toy_images` draws noisy images around one prototype per class:

# %%
X_toy, y_toy, images_toy = data.toy_images(n_per_class=20, seed=0)
print("X:", X_toy.shape, " y:", y_toy.shape, " images:", images_toy.shape, " labels of the first 8:", y_toy[:8])

fig, axes = plt.subplots(1, 6, figsize=(12, 2.6))
pixel_names = ["x₁", "x₂", "x₃", "x₄"]
for k in range(3):
    plot.pixels(data.TOY_PROTOTYPES[k], names=pixel_names, ax=axes[k], title=f"{class_names[k]} (prototype)")
    first = np.flatnonzero(y_toy == k)[0]
    plot.pixels(images_toy[first], ax=axes[3 + k], title=f"{class_names[k]} (sample {first})")
plt.show()

# %% [markdown]
# We want one score per class. The simplest choice is an **affine** function of the features for each class,
# called a **logit** $o$ (an unnormalised score). Formulas number components from 1, code from 0, so $o_1$ is
# `o[0]`, the logit of the cat:
# $$\begin{aligned}
# o_1 &= w_{11}x_1 + w_{12}x_2 + w_{13}x_3 + w_{14}x_4 + b_1,\\
# o_2 &= w_{21}x_1 + w_{22}x_2 + w_{23}x_3 + w_{24}x_4 + b_2,\\
# o_3 &= w_{31}x_1 + w_{32}x_2 + w_{33}x_3 + w_{34}x_4 + b_3,
# \end{aligned}
# \qquad\text{in short}\qquad \mathbf o = \mathbf W \mathbf x + \mathbf b,\quad \mathbf W \in \mathbb R^{3\times 4}.$$
# Every output depends on every input, so this is a **fully connected** (dense) layer:

# %%
plot.dense_layer_diagram(pixel_names, ["o₁", "o₂", "o₃"], in_title="inputs (4 pixels)",
                         out_title="outputs (3 logits)", title="Softmax regression: one dense layer")
plt.show()
d, q = 4, 3
print(f"weights d·q = {d * q}, biases q = {q}, parameters in total {d * q + q}")

# %% [markdown]
# ### The cost of a dense layer
#
# With $d$ inputs and $q$ outputs a dense layer has $dq$ weights and $q$ biases, and computing $\mathbf o$ takes $dq$
# multiply-adds per sample: both are $O(dq)$. That stays true however we organise the computation.
#
# You may read that a hyper-parameter $n$ "reduces the cost to $O(dq/n)$". That refers to a **different layer**: the
# parameterised hypercomplex multiplication (PHM) layer builds its $q \times d$ weight matrix as a sum of $n$
# Kronecker products $\sum_{i=1}^{n} A_i \otimes S_i$ with $A_i \in \mathbb R^{n\times n}$ and
# $S_i \in \mathbb R^{(q/n)\times(d/n)}$, so it stores only $n^3 + dq/n$ numbers. It *replaces* the dense layer and
# can express fewer weight matrices; it does not make a dense layer cheaper.

# %%
for d_in, q_out in [(64, 10), (784, 10), (4096, 1000)]:
    print(f"d = {d_in:>4}, q = {q_out:>4}: dense layer has {d_in * q_out + q_out:>9,} parameters")
n_phm, d_in, q_out = 4, 64, 8
rng = np.random.default_rng(0)
A = rng.normal(size=(n_phm, n_phm, n_phm))
S = rng.normal(size=(n_phm, q_out // n_phm, d_in // n_phm))
W_phm = sum(np.kron(A[i], S[i]) for i in range(n_phm))
print(f"PHM with n = {n_phm}: weight matrix {W_phm.shape} built from {A.size + S.size} numbers "
      f"instead of {d_in * q_out}")

# %% [markdown]
# ## 3. The softmax
#
# Logits can be any real numbers: negative, larger than 1, not summing to 1. To read them as probabilities we use the
# **softmax**
# $$\hat{\mathbf y} = \mathrm{softmax}(\mathbf o),\qquad \hat y_j = \frac{e^{o_j}}{\sum_{k=1}^{q} e^{o_k}} .$$
# It makes every output positive (the exponential) and makes them sum to 1 (dividing by the total). Because
# $e^x$ is increasing, the order of the logits is kept, and a logit difference becomes a ratio:
# $\hat y_i / \hat y_j = e^{o_i - o_j}$.

# %%
o = np.array([2.0, 1.0, 0.1])
e_o = np.exp(o)
print("o                  =", o)
print("exp(o)             =", e_o, " sum", round(e_o.sum(), 4))
print("exp(o) / sum       =", e_o / e_o.sum())
print("softmax.softmax(o) =", softmax.softmax(o))
print(f"ŷ₁/ŷ₂ = {softmax.softmax(o)[0] / softmax.softmax(o)[1]:.4f} = e^(o₁−o₂) = {np.exp(o[0] - o[1]):.4f}")

# %% [markdown]
# **Adding a constant to all logits changes nothing**, since $e^{o_j + C} = e^C e^{o_j}$ and $e^C$ cancels. SymPy
# confirms it for a general number of classes $q$:

# %%
print("softmax(o + C)_i − softmax(o)_i simplifies to", symbolic.softmax_shift_residual())
print("numerically:", np.allclose(softmax.softmax(o + 100.0), softmax.softmax(o)))

# %% [markdown]
# This is what makes a **stable** implementation possible. With logits like $(1000, 1001, 1002)$, $e^{1000}$
# overflows to `inf` and the naive formula returns `inf/inf = nan`. Subtracting the largest logit first gives
# exponents $\le 0$, so nothing overflows. The same trick gives the log-sum-exp
# $\log\sum_k e^{o_k} = m + \log\sum_k e^{o_k - m}$ with $m = \max_k o_k$.

# %%
o_big = np.array([1000.0, 1001.0, 1002.0])
with np.errstate(over="ignore", invalid="ignore"):  # the overflow is what this cell shows
    naive = np.exp(o_big) / np.exp(o_big).sum()
print("naive softmax:     ", naive)
print("stable softmax:    ", softmax.softmax(o_big))
print(f"stable logsumexp:   {softmax.logsumexp(o_big):.8f}")

# %% [markdown]
# Since the softmax keeps the order, **the most probable class is the one with the largest logit**. To predict a
# hard class we do not even need the softmax:

# %%
rng = np.random.default_rng(1)
O_random = rng.normal(scale=3.0, size=(10_000, 5))
print("argmax softmax = argmax logits on 10 000 random rows:",
      bool((softmax.softmax(O_random).argmax(axis=1) == O_random.argmax(axis=1)).all()))

# %% [markdown]
# ## 4. A minibatch at once: $O = XW + b$
#
# Processing one sample at a time wastes the hardware. Stack a minibatch of $n$ samples as the rows of a matrix:
#
# | symbol | shape | meaning |
# |---|---|---|
# | $X$ | $n \times d$ | one sample per row |
# | $W$ | $d \times q$ | one column per class |
# | $b$ | $1 \times q$ | one bias per class |
# | $O = XW + b$ | $n \times q$ | one row of logits per sample |
# | $\hat Y = \mathrm{softmax}(O)$ | $n \times q$ | softmax applied to each row |
#
# This $W$ is the **transpose** of the $q \times d$ matrix in $\mathbf o = \mathbf W\mathbf x + \mathbf b$: with
# samples as rows, $\mathbf o^\top = \mathbf x^\top \mathbf W^\top + \mathbf b^\top$. Adding $b$ ($1 \times q$) to the $n \times q$
# product uses **broadcasting**: the same row is added to every row. Vectorising replaces $n$ matrix-vector
# products by **one matrix-matrix product** $XW$, which libraries compute far faster.

# %%
rng = np.random.default_rng(0)
X_batch = X_toy[:5]
W = rng.normal(scale=0.5, size=(4, 3))
b = np.array([[0.1, -0.2, 0.0]])
O = X_batch @ W + b
O_loop = np.stack([W.T @ x + b[0] for x in X_batch])  # one matrix-vector product per sample, q×d matrix Wᵀ
print("X", X_batch.shape, "@ W", W.shape, "+ b", b.shape, "-> O", O.shape)
print("same as the loop over samples:", np.allclose(O, O_loop))
Y_hat = softmax.softmax(O, axis=1)
print("Ŷ =\n", Y_hat)
print("row sums:", Y_hat.sum(axis=1))

# %% [markdown]
# ## 5. The loss: from likelihood to cross-entropy
#
# The model says $\hat y_j = P(\text{class } j \mid \mathbf x)$. For a one-hot label $\mathbf y$, the probability the
# model gives to the observed label is
# $$P(\mathbf y \mid \mathbf x) = \prod_{j=1}^{q} \hat y_j^{\,y_j},$$
# which is just $\hat y_c$ for the true class $c$. Maximum likelihood maximises the product of these over the
# training set. Taking $-\log$ turns the product into a sum and the maximisation into a minimisation, so the loss of
# one sample is the **negative** log-likelihood
# $$l(\mathbf y, \hat{\mathbf y}) = -\log P(\mathbf y \mid \mathbf x) = -\sum_{j=1}^{q} y_j \log \hat y_j ,$$
# the cross-entropy of chapter 02. The minus sign matters: $\log P \le 0$, and we want a loss that is $\ge 0$ and
# small for good predictions.
#
# Now insert the softmax and simplify. Indices: $k$ runs over the classes of the loss, $m$ over the classes in the
# normaliser $\sum_m e^{o_m}$. SymPy checks every line against the one before it, with $q$ a **symbol** (any number
# of classes):

# %%
loss_rules = [
    "negative log-likelihood of one sample",
    "the log of a product is the sum of the logs",
    "insert the softmax ŷ_k = e^{o_k} / Σ_m e^{o_m}",
    "log(A/B) = log A − log B and log e^a = a",
    "split the sum; log Σ_m e^{o_m} does not depend on k",
    "use Σ_k y_k = 1",
]
loss_steps = symbolic.softmax_ce_loss_steps()
loss_checks = [None, *symbolic.verify_steps(loss_steps)]
for i, (rule, step, ok) in enumerate(zip(loss_rules, loss_steps, loss_checks, strict=True)):
    verdict = "" if ok is None else f" — SymPy: equal to the line above: **{ok}**"
    display(Markdown(f"**{i}.** {rule}{verdict}\n\n$$l = {sp.latex(step.expr)}$$"))

# %% [markdown]
# The last step needs $\sum_k y_k = 1$: true for a one-hot label, and just as true for any label that is a
# probability vector (a "soft" label such as $(0.7, 0.2, 0.1)$). The loss ends as
# $$l = \log \sum_{m} e^{o_m} - \sum_k y_k o_k ,$$
# a log-sum-exp minus a linear term. On a batch the loss is the mean over its rows; `softmax.softmax_cross_entropy`
# computes it from logits and matches PyTorch:

# %%
y_batch = y_toy[:5]
by_hand = -np.mean(np.log(Y_hat[np.arange(5), y_batch]))
print(f"−mean log ŷ[true class]:        {by_hand:.6f}")
print(f"softmax.softmax_cross_entropy:  {softmax.softmax_cross_entropy(O, y_batch):.6f}")
print(f"torch F.cross_entropy:          {F.cross_entropy(torch.from_numpy(O), torch.from_numpy(y_batch)).item():.6f}")
print(f"same with one-hot rows:         {softmax.softmax_cross_entropy(O, softmax.one_hot(y_batch, 3)):.6f}")

# %% [markdown]
# ## 6. The gradient, step by step
#
# Differentiate $l = \log\sum_m e^{o_m} - \sum_k y_k o_k$ with respect to one logit $o_j$. Keep the names apart:
# $j$ is the logit we differentiate by, $k$ and $m$ are summation indices. Then $\partial o_k/\partial o_j$ is
# $1$ when $k = j$ and $0$ otherwise, the Kronecker delta $\delta_{kj}$, and each sum keeps exactly one term:

# %%
derivative_rules = [
    "definition",
    "the derivative of a difference is the difference of the derivatives",
    "chain rule for log; ∂o_m/∂o_j = δ_mj and ∂o_k/∂o_j = δ_kj",
    "each sum keeps only its term with index j (1 ≤ j ≤ q)",
]
derivative_steps = symbolic.softmax_ce_derivative_steps()
derivative_checks = [None, *symbolic.verify_steps(derivative_steps)]
for i, (rule, step, ok) in enumerate(zip(derivative_rules, derivative_steps, derivative_checks, strict=True)):
    verdict = "" if ok is None else f" — SymPy: equal to the line above: **{ok}**"
    display(Markdown(f"**{i}.** {rule}{verdict}\n\n$$\\frac{{\\partial l}}{{\\partial o_j}} = {sp.latex(step.expr)}$$"))

# %% [markdown]
# So
# $$\frac{\partial l}{\partial o_j} = \mathrm{softmax}(\mathbf o)_j - y_j = \hat y_j - y_j :$$
# **prediction minus target**, the same form as the binary case in chapter 02. Writing the linear term as
# $\sum_j y_j o_j$ and then differentiating "by $o_j$" mixes a summation index with a fixed one; with separate
# names the Kronecker delta does the bookkeeping.
#
# Where did $\sum_k y_k = 1$ go? Differentiate the cross-entropy before using it, and the sum stays in the result:

# %%
symbolic.softmax_ce_gradient_unnormalised_label()

# %% [markdown]
# With $\sum_k y_k = 1$ (one-hot or any probability label) this is $\hat y_j - y_j$.
#
# ### The softmax Jacobian
#
# The same result follows from the chain rule through $\hat{\mathbf y}$. The softmax's Jacobian is
# $$\frac{\partial \hat y_i}{\partial o_j} = \hat y_i(\delta_{ij} - \hat y_j),$$
# which SymPy confirms for a general $q$. With $\partial l/\partial \hat y_i = -y_i/\hat y_i$,
# $$\frac{\partial l}{\partial o_j} = \sum_i \frac{\partial l}{\partial \hat y_i}\frac{\partial \hat y_i}{\partial o_j}
#   = -\sum_i y_i(\delta_{ij} - \hat y_j) = -y_j + \hat y_j \sum_i y_i = \hat y_j - y_j .$$

# %%
derived, closed = symbolic.softmax_jacobian_entry()
print("∂ŷ_i/∂o_j − ŷ_i(δ_ij − ŷ_j) simplifies to", sp.simplify(derived - closed))
closed

# %% [markdown]
# ### The worked example
#
# A sample of the first class (label $0$ in code; "class 1" counting from one) gets the softmax output
# $\hat{\mathbf y} = (0.34, 0.46, 0.20)$. The loss is $-\ln 0.34$ and the gradient with respect to the logits is
# $\hat{\mathbf y} - \mathbf y = (0.34 - 1,\ 0.46,\ 0.20)$. Logits with this softmax are $\mathbf o = \ln\hat{\mathbf y}$
# (plus any constant). Four ways to the same numbers:

# %%
y_hat_ex = np.array([0.34, 0.46, 0.20])
o_ex = np.log(y_hat_ex)
y_ex = np.array([1.0, 0.0, 0.0])
o_sym, grad_sym = symbolic.softmax_ce_gradient(3, 0)
sympy_values = np.array([float(g.subs(dict(zip(o_sym, o_ex, strict=True)))) for g in grad_sym])
jacobian_values = softmax.softmax_jacobian(y_hat_ex).T @ (-y_ex / y_hat_ex)
o_t = torch.tensor(o_ex, requires_grad=True)
loss_t = F.cross_entropy(o_t[None, :], torch.tensor([0]))
loss_t.backward()
print(f"loss: {softmax.softmax_cross_entropy(o_ex[None, :], np.array([0])):.5f} (mlcourse), "
      f"{loss_t.item():.5f} (torch), −ln 0.34 = {-np.log(0.34):.5f}")
print("ŷ − y:                  ", y_hat_ex - y_ex)
print("SymPy gradient:         ", sympy_values)
print("Jacobianᵀ · ∂l/∂ŷ:      ", jacobian_values)
print("mlcourse:               ", softmax.softmax_cross_entropy_grad(o_ex[None, :], np.array([0]))[0])
print("torch autograd:         ", o_t.grad.numpy())

# %% [markdown]
# ### Gradients of $W$ and $b$ on a batch
#
# For the mean loss over a batch of $n$ rows, $\partial L/\partial O = (\hat Y - Y)/n$ (call it $dO$). Since
# $O = XW + b$, the chain rule gives
# $$\frac{\partial L}{\partial W} = X^\top dO \ (d\times q),\qquad \frac{\partial L}{\partial b} = \sum_{\text{rows}} dO \ (1\times q).$$
# A finite-difference check on the toy batch:

# %%
def batch_loss(W, b, X, y):
    return softmax.softmax_cross_entropy(X @ W + b, y)


dO = softmax.softmax_cross_entropy_grad(X_batch @ W + b, y_batch)
dW, db = X_batch.T @ dO, dO.sum(axis=0, keepdims=True)
print("dW matches finite differences:", rel_error(dW, numerical_grad(lambda V: batch_loss(V, b, X_batch, y_batch), W)) < 1e-7)
print("db matches finite differences:", rel_error(db, numerical_grad(lambda c: batch_loss(W, c, X_batch, y_batch), b)) < 1e-7)
print("each row of dO sums to 0:", np.allclose(dO.sum(axis=1), 0))

# %% [markdown]
# ## 7. Training on the toy images
#
# Gradient descent on all 60 toy images, 300 steps with learning rate $\eta = 1$:
# $W \leftarrow W - \eta\,X^\top dO$, $b \leftarrow b - \eta \sum_{\text{rows}} dO$.

# %%
rng = np.random.default_rng(0)
W_toy, b_toy = 0.01 * rng.standard_normal((4, 3)), np.zeros(3)
for _ in range(300):
    dO = softmax.softmax_cross_entropy_grad(X_toy @ W_toy + b_toy, y_toy)
    W_toy, b_toy = W_toy - 1.0 * X_toy.T @ dO, b_toy - 1.0 * dO.sum(axis=0)
X_new, y_new, _ = data.toy_images(n_per_class=100, seed=1)
print(f"loss after 300 steps: {softmax.softmax_cross_entropy(X_toy @ W_toy + b_toy, y_toy):.4f}")
print(f"training accuracy: {np.mean((X_toy @ W_toy + b_toy).argmax(axis=1) == y_toy):.3f}, "
      f"accuracy on 300 new images: {np.mean((X_new @ W_toy + b_toy).argmax(axis=1) == y_new):.3f}")

fig, axes = plt.subplots(1, 3, figsize=(7, 2.4))
for k in range(3):
    plot.pixels(W_toy[:, k].reshape(2, 2), ax=axes[k], vmin=-5, vmax=5, title=f"weights of {class_names[k]}")
plt.show()

# %% [markdown]
# Each column of $W$, drawn as a 2×2 image, is a template. Its weights are positive on the two pixels that are bright
# in that class's prototype, strongly negative on the pixel that is bright in both other prototypes but dark in this
# one, and close to $0$ on $x_4$, which is dark in every prototype. The logit $o_k$ measures how well the image
# matches template $k$.

# %% [markdown]
# ## 8. Handwritten digits from scratch (numpy, minibatch SGD)
#
# The 8×8 digits that scikit-learn ships: 1797 images of 0–9, split into 1347 for training and 450 for testing.
# `data.load_digits` standardises each of the 64 pixel features with the training mean and standard deviation.

# %%
split = data.load_digits(scale="standard", seed=0)
print("train:", split.X_train.shape, " test:", split.X_test.shape, " classes:", np.unique(split.y_train))
plot.image_grid(split.images_train[:16], [str(t) for t in split.y_train[:16]], ncols=8, title="training images")
plt.show()

# %% [markdown]
# Minibatch stochastic gradient descent: each **epoch** shuffles the training set and walks through it in batches of
# 32; each batch makes one step with the gradients of section 6. After each epoch we record the loss and the
# accuracy on both sets, where
# $$\text{accuracy} = \frac{\text{number of correct predictions}}{\text{number of predictions}} .$$

# %%
def accuracy(W, b, X, y):
    return float(np.mean((X @ W + b).argmax(axis=1) == y))


def train_softmax_regression(X, y, X_test, y_test, *, lr=0.1, batch_size=32, epochs=30, seed=0):
    """Softmax regression by minibatch SGD; returns W (d, q), b (q,) and the history of each epoch."""
    rng = np.random.default_rng(seed)
    n, d = X.shape
    q = int(y.max()) + 1
    W, b = 0.01 * rng.standard_normal((d, q)), np.zeros(q)
    history = {"train_loss": [], "test_loss": [], "train_acc": [], "test_acc": []}
    for _ in range(epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            dO = softmax.softmax_cross_entropy_grad(X[idx] @ W + b, y[idx])
            W, b = W - lr * X[idx].T @ dO, b - lr * dO.sum(axis=0)
        history["train_loss"].append(softmax.softmax_cross_entropy(X @ W + b, y))
        history["test_loss"].append(softmax.softmax_cross_entropy(X_test @ W + b, y_test))
        history["train_acc"].append(accuracy(W, b, X, y))
        history["test_acc"].append(accuracy(W, b, X_test, y_test))
    return W, b, history


# %%
# NBVAL_IGNORE_OUTPUT
start = time.perf_counter()
W_digits, b_digits, history = train_softmax_regression(split.X_train, split.y_train, split.X_test, split.y_test)
seconds = time.perf_counter() - start
print(f"30 epochs in {seconds:.2f} s")

# %%
assert seconds < 10, "training should take well under 10 s"
pred = (split.X_test @ W_digits + b_digits).argmax(axis=1)
correct = int((pred == split.y_test).sum())
print(f"test accuracy: {correct} / {split.y_test.size} = {correct / split.y_test.size:.2%}")
print(f"training accuracy: {history['train_acc'][-1]:.2%}; final losses: train {history['train_loss'][-1]:.4f},"
      f" test {history['test_loss'][-1]:.4f}")
plot.history_curves(history, train_label="train", test_label="test", loss_title="cross-entropy loss",
                    acc_title="accuracy", xlabel="epoch")
plt.show()

# %% [markdown]
# The model reaches about 97% on images it has never seen, in a fraction of a second. The training accuracy is a
# little higher than the test accuracy, as usual. Where are the errors? A **confusion matrix** counts, for every true
# class (row), how the test images were classified (column); the diagonal holds the correct answers.

# %%
counts = np.zeros((10, 10), dtype=int)
np.add.at(counts, (split.y_test, pred), 1)
plot.confusion_matrix(counts, xlabel="predicted class", ylabel="true class", title="Confusion matrix (test set)")
plt.show()
off_diagonal = counts - np.diag(np.diag(counts))
mistakes = sorted(((off_diagonal[t, p], t, p) for t in range(10) for p in range(10) if off_diagonal[t, p]), reverse=True)
for times, true_class, predicted in mistakes[:3]:
    print(f"true {true_class}, predicted {predicted}: {times} image(s)")

# %%
wrong = np.flatnonzero(pred != split.y_test)
plot.image_grid(split.images_test[wrong], [f"pred {p} / true {t}" for p, t in zip(pred[wrong], split.y_test[wrong],
                                                                                  strict=True)],
                ncols=7, highlight=np.ones(wrong.size, dtype=bool), title="All misclassified test images")
plt.show()

# %% [markdown]
# ## 9. The same model in PyTorch
#
# In PyTorch the layer is `nn.Linear(64, 10)` and the loss `F.cross_entropy`, which takes **logits** and integer
# labels and applies the log-softmax itself. `nn.Linear` stores its weight as a $q \times d$ matrix (the
# $\mathbf W$ of $\mathbf o = \mathbf W\mathbf x + \mathbf b$) and computes $X\mathbf W^\top + b$, so it holds the transpose
# of our $W$. Start both from the same weights and compare the gradients of the very first minibatch:

# %%
rng = np.random.default_rng(0)  # the same generator calls as in train_softmax_regression
W0 = 0.01 * rng.standard_normal((64, 10))
first_batch = rng.permutation(split.y_train.size)[:32]
Xb, yb = split.X_train[first_batch], split.y_train[first_batch]

model = nn.Linear(64, 10, dtype=torch.float64)
with torch.no_grad():
    model.weight.copy_(torch.from_numpy(W0.T))
    model.bias.zero_()
loss = F.cross_entropy(model(torch.from_numpy(Xb)), torch.from_numpy(yb))
loss.backward()

dO = softmax.softmax_cross_entropy_grad(Xb @ W0, yb)
print("torch weight shape:", tuple(model.weight.shape), "  our W:", W0.shape)
print(f"first-batch loss: numpy {softmax.softmax_cross_entropy(Xb @ W0, yb):.6f}, torch {loss.item():.6f}")
print("dW equal (torch grad is transposed):", rel_error(Xb.T @ dO, model.weight.grad.numpy().T) < 1e-12)
print("db equal:", rel_error(dO.sum(axis=0), model.bias.grad.numpy()) < 1e-12)

# %% [markdown]
# Now train the torch model with `torch.optim.SGD` on exactly the same sequence of minibatches. Every step is the same
# arithmetic, so the final weights agree with the numpy ones up to rounding:

# %%
rng = np.random.default_rng(0)
rng.standard_normal((64, 10))  # skip the initial weights, as in train_softmax_regression
optimiser = torch.optim.SGD(model.parameters(), lr=0.1)
X_train_t, y_train_t = torch.from_numpy(split.X_train), torch.from_numpy(split.y_train)
with torch.no_grad():
    model.weight.copy_(torch.from_numpy(W0.T))
    model.bias.zero_()
for _ in range(30):
    order = torch.from_numpy(rng.permutation(split.y_train.size))
    for start in range(0, order.numel(), 32):
        idx = order[start:start + 32]
        optimiser.zero_grad()
        F.cross_entropy(model(X_train_t[idx]), y_train_t[idx]).backward()
        optimiser.step()
with torch.no_grad():
    torch_pred = model(torch.from_numpy(split.X_test)).argmax(dim=1).numpy()
print("final weights equal to numpy's:", rel_error(model.weight.detach().numpy().T, W_digits) < 1e-9)
print(f"torch test accuracy: {np.mean(torch_pred == split.y_test):.2%}; same predictions as numpy:",
      bool((torch_pred == pred).all()))

# %% [markdown]
# ## 10. A "linear" model? Linear boundaries, non-linear probabilities
#
# Softmax regression is often called a linear model. Precisely: the **logits** are affine functions of $\mathbf x$,
# so the **decision boundaries** are straight (hyperplanes). Write $\mathbf w_a$ for the column of $W$ that
# belongs to class $a$. Classes $a$ and $c$ tie where $o_a = o_c$, i.e. on the hyperplane
# $(\mathbf w_a - \mathbf w_c)\cdot\mathbf x + (b_a - b_c) = 0$ (a line when $\mathbf x$ has two features).
# The **probabilities** are not linear in $\mathbf x$: the softmax bends them. (Statisticians call this a generalised
# linear model.) Train on points in the plane to see both:

# %%
X_2d, y_2d = data.gaussian_blobs(n_per_class=60, seed=0)
W_2d, b_2d, history_2d = train_softmax_regression(X_2d, y_2d, X_2d, y_2d, lr=0.1, epochs=50)
print(f"training accuracy: {history_2d['train_acc'][-1]:.2%}")
for a, c in [(0, 1), (0, 2), (1, 2)]:
    w_diff, b_diff = W_2d[:, a] - W_2d[:, c], b_2d[a] - b_2d[c]
    print(f"boundary {a}|{c}: {w_diff[0]:+.3f}·x₁ {w_diff[1]:+.3f}·x₂ {b_diff:+.3f} = 0")

x1, x2 = np.meshgrid(np.linspace(-5, 5, 301), np.linspace(-4.5, 5.5, 301))
grid = np.column_stack([x1.ravel(), x2.ravel()])
P_grid = softmax.softmax(grid @ W_2d + b_2d, axis=1)
plot.decision_regions(x1, x2, P_grid.argmax(axis=1).reshape(x1.shape), X=X_2d, y=y_2d,
                      contours=P_grid[:, 2].reshape(x1.shape), class_names=["class 0", "class 1", "class 2"],
                      xlabel="x₁", ylabel="x₂", title="Straight boundaries; dashed: P(class 2)")
plt.show()

# %% [markdown]
# The solid boundaries are straight lines, exactly the three lines printed above (each is drawn only where its two
# classes are the top two). The dashed contours of $P(\text{class } 2 \mid \mathbf x)$ are curved. Along a single line
# through the plane the contrast is plain: the logits are straight lines, the probabilities are curves (S-shapes,
# and a bump for class 2).

# %%
t_line = np.linspace(-5, 5, 201)
line_points = np.column_stack([t_line, np.full_like(t_line, 0.5)])  # the horizontal line x₂ = 0.5
O_line = line_points @ W_2d + b_2d
P_line = softmax.softmax(O_line, axis=1)
fig, axes = plt.subplots(1, 2, figsize=(11, 3.6))
plot.lines(t_line, {f"o for class {k}": O_line[:, k] for k in range(3)}, ax=axes[0], xlabel="x₁ (with x₂ = 0.5)",
           ylabel="logit", title="Logits: linear in x")
plot.lines(t_line, {f"P(class {k})": P_line[:, k] for k in range(3)}, ax=axes[1], xlabel="x₁ (with x₂ = 0.5)",
           ylabel="probability", title="Probabilities: not linear in x")
plt.show()

# %% [markdown]
# ## 11. Common pitfalls
#
# - **Mixing label encodings.** Fix one class order and use it for the integer labels and the one-hot vectors alike:
#   the 1 of the one-hot vector sits at the integer label (section 1).
# - **"A hyper-parameter $n$ brings a dense layer down to $O(dq/n)$."** A dense layer has $dq + q$ parameters and
#   costs $O(dq)$ per sample. The $O(dq/n)$ figure belongs to a different layer (PHM, built from Kronecker products)
#   that replaces the dense layer and can represent fewer weight matrices (section 2).
# - **Shapes of $W$ and $b$.** With samples as rows, $X$ is $n \times d$, $W$ is $d \times q$ and $b$ is $1 \times q$;
#   this $W$ is the transpose of the $q \times d$ matrix in $\mathbf o = \mathbf W\mathbf x + \mathbf b$ (and of
#   `nn.Linear.weight`) (sections 4 and 9).
# - **What vectorisation buys.** It turns $n$ matrix-vector products into one matrix-matrix product $XW$ (section 4).
# - **The sign of the loss.** The loss is $l = -\log P(\mathbf y \mid \mathbf x)$, the *negative* log-likelihood;
#   without the minus sign minimising it would make the model worse (section 5).
# - **Indices in the derivative.** Do not reuse $j$ as a summation index while differentiating by $o_j$; write
#   $\sum_k y_k o_k$. And $\sum_k y_k = 1$ holds for every probability-vector label, not only for one-hot ones
#   (section 6).
# - **"Softmax regression is a linear model."** Its logits and decision boundaries are linear in $\mathbf x$; its
#   probabilities are not (section 10).
#
# ## Summary
#
# - Softmax regression: $O = XW + b$ with $X$ $(n\times d)$, $W$ $(d\times q)$, $b$ $(1\times q)$, then
#   $\hat Y = \mathrm{softmax}(O)$ row by row; $dq + q$ parameters.
# - The softmax is positive, sums to 1, keeps the order of the logits and ignores a common shift; compute it (and
#   log-sum-exp) after subtracting the maximum.
# - Loss: $l = -\log P(\mathbf y\mid\mathbf x) = -\sum_k y_k\log\hat y_k = \log\sum_m e^{o_m} - \sum_k y_k o_k$.
# - Gradient: $\partial l/\partial o_j = \hat y_j - y_j$; for a batch mean $dO = (\hat Y - Y)/n$,
#   $\partial L/\partial W = X^\top dO$, $\partial L/\partial b = \sum_{\text{rows}} dO$.
# - From scratch in numpy the model reaches 97.11% test accuracy on the digits in well under a second, and
#   PyTorch's `nn.Linear` + `F.cross_entropy` computes the same gradients.
#
# **Exercises:** open `exercises/03_softmax_regression.ipynb`.
