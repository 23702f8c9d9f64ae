# %% [markdown]
# # 01 · Regression losses: MSE, MAE and the Lp family
#
# A network learns by making a number smaller: the **loss**. This chapter is about the losses of
# **regression**, where the answer is a real number (a price, a temperature, a distance). You will
#
# - compute the mean squared error (MSE) and the mean absolute error (MAE) and see their curves,
# - place both in one family, the Lp losses built from the Lp norm,
# - derive their gradients with SymPy and check them three ways (finite differences, `mlcourse`, PyTorch),
# - watch gradient descent settle with MSE and bounce with MAE,
# - see why MAE shrugs off outliers that drag MSE away,
# - learn when a sum and a mean of losses differ, and what a minibatch gradient estimates.
#
# Every number below is computed by the code next to it.

# %%
import mlcourse

mlcourse.setup(seed=0, lang="en")

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F

from mlcourse import data, losses, plot, symbolic
from mlcourse.gradcheck import numerical_grad, rel_error

# %% [markdown]
# ## 1. What a loss is for
#
# A model turns an input $x$ into a prediction $\hat y$. In regression the target $y$ is a real number.
# A **loss function** $L(\hat y, y)$ turns "how wrong is the prediction" into one number that is
# $0$ for a perfect prediction and grows as the prediction gets worse. Training means choosing the model's
# parameters so that the loss over the training data is small; the gradient of the loss tells us which way
# to move the parameters.
#
# Notation used in the whole course:
#
# | symbol | meaning |
# |---|---|
# | $N$ | number of samples (or of output numbers) |
# | $y_i$ | target (true value) of sample $i$ |
# | $\hat y_i$ | prediction for sample $i$ |
# | $e_i = \hat y_i - y_i$ | error (residual) of sample $i$ |
#
# A small example with $N = 4$:

# %%
y = np.array([3.0, -0.5, 2.0, 7.0])
y_hat = np.array([2.5, 0.0, 2.0, 8.0])
e = y_hat - y
print("targets     y =", y)
print("predictions ŷ =", y_hat)
print("errors      e =", e)

# %% [markdown]
# ## 2. Mean squared error (MSE)
#
# $$\mathrm{MSE}(\hat y, y) = \frac{1}{N}\sum_{i=1}^{N} (\hat y_i - y_i)^2 .$$
#
# Each error is squared, so its sign does not matter and large errors count much more than small ones.
# Then we average over the $N$ samples.

# %%
mse_by_hand = np.mean(e**2)
print(f"MSE by hand: {mse_by_hand:.4f}")
print(f"losses.mse:  {losses.mse(y_hat, y):.4f}")

# %% [markdown]
# How does the loss of **one** prediction change as the prediction moves? Take a true value of $100$ and
# predictions from $-10000$ to $10000$.

# %%
y_true = 100.0
grid = np.linspace(-10_000, 10_000, 2001)
curve = np.array([losses.mse([p], [y_true]) for p in grid])

ax = plot.lines(grid, {"MSE": curve}, xlabel="prediction ŷ", ylabel="loss",
                title="MSE of one prediction, true value y = 100")
ax.axvline(y_true, color="0.4", linestyle=":", linewidth=1)
plt.show()
print(f"smallest loss {curve.min():.1f} at ŷ = {grid[curve.argmin()]:.0f}")
print(f"loss at ŷ = -10000: {losses.mse([-10_000], [y_true]):.4g};  at ŷ = 10000: {losses.mse([10_000], [y_true]):.4g}")

# %% [markdown]
# The curve is a parabola with its lowest point, $0$, exactly at $\hat y = y$. The range of MSE is
# $[0, \infty)$: it is $0$ only when every prediction equals its target, and it has no upper bound.
# The parabola is slightly lopsided in this window only because $100$ is not the centre of the window.

# %% [markdown]
# ## 3. The Lp norm and the Lp loss
#
# For a vector $v$ and a number $p \ge 1$ the **Lp norm** is
# $$\lVert v \rVert_p = \Big(\sum_i |v_i|^p\Big)^{1/p}.$$
# $p = 2$ gives the usual Euclidean length, $p = 1$ the sum of absolute values. The **Lp loss** uses the norm
# of the error vector raised to the power $p$:
# $$L_p(\hat y, y) = \lVert y - \hat y \rVert_p^p = \sum_i |y_i - \hat y_i|^p .$$
# The two losses of this chapter are means of Lp losses:
# $$\mathrm{MSE} = \frac{1}{N}\lVert y - \hat y\rVert_2^2, \qquad
#   \mathrm{MAE} = \frac{1}{N}\lVert y - \hat y\rVert_1 = \frac{1}{N}\sum_i |\hat y_i - y_i| .$$
# Note the square in MSE: it is the mean of the **squared** L2 norm, not the mean of the L2 norm.

# %%
for p in (1, 2, 3):
    print(f"p = {p}:  ‖y − ŷ‖_p^p = {losses.lp_loss(y_hat, y, p):.4f}"
          f"   (numpy: {np.linalg.norm(y - y_hat, ord=p) ** p:.4f})")
print(f"‖y − ŷ‖₂² / N = {losses.lp_loss(y_hat, y, 2) / y.size:.4f}  = MSE {losses.mse(y_hat, y):.4f}")
print(f"‖y − ŷ‖₁ / N  = {losses.lp_loss(y_hat, y, 1) / y.size:.4f}  = MAE {losses.mae(y_hat, y):.4f}")
print(f"‖y − ŷ‖₂ / N  = {np.linalg.norm(y - y_hat) / y.size:.4f}  (not the MSE)")

# %% [markdown]
# ## 4. Squared versus absolute error
#
# Compare the two building blocks $e^2$ and $|e|$ for a single error $e$.

# %%
e_grid = np.linspace(-3, 3, 601)
ax = plot.lines(e_grid, {"e² (squared)": e_grid**2, "|e| (absolute)": np.abs(e_grid)},
                xlabel="error e = ŷ − y", ylabel="penalty", title="Squared vs absolute error")
ax.axvspan(-1, 1, color="0.9", zorder=0)
plt.show()

# %% [markdown]
# Where is $e^2$ larger than $|e|$? SymPy solves the inequality exactly:

# %%
symbolic.squared_vs_absolute()

# %% [markdown]
# So $e^2 > |e|$ exactly when $|e| > 1$, and $e^2 < |e|$ when $0 < |e| < 1$ (shaded above). The condition is on
# the **absolute value** of the error: a large negative error is penalised just as heavily. MSE therefore
# punishes big errors much more than MAE and small errors less. Because the threshold $1$ is measured in the
# units of $y$, rescaling the targets (metres vs millimetres) changes which errors count as "big".

# %% [markdown]
# ## 5. Gradients
#
# Gradient descent needs $\partial L / \partial \hat y_i$. Let SymPy differentiate MSE for $N = 3$:

# %%
y_hat_s, y_s, mse_expr = symbolic.mse_symbols(3)
mse_expr

# %%
symbolic.mse_gradient(3)

# %% [markdown]
# In general $\dfrac{\partial\,\mathrm{MSE}}{\partial \hat y_i} = \dfrac{2}{N}(\hat y_i - y_i)$:
# proportional to the error. For MAE SymPy gives the sign of the error divided by $N$:

# %%
symbolic.mae_gradient(3)

# %% [markdown]
# Now check `mlcourse.losses` three ways on the example above: against SymPy's formula evaluated at the numbers,
# against central finite differences $\big(L(\hat y + h\,u_i) - L(\hat y - h\,u_i)\big)/2h$ (with $u_i$ the $i$-th
# unit vector), and against PyTorch's autograd. All in float64.

# %%
subs = dict(zip(y_hat_s[:3] + y_s[:3], np.concatenate([y_hat[:3], y[:3]]).tolist(), strict=True))
sympy_grad = np.array([float(g.subs(subs)) for g in symbolic.mse_gradient(3)])

y_hat_t = torch.tensor(y_hat, requires_grad=True)
F.mse_loss(y_hat_t, torch.tensor(y)).backward()

ours = losses.mse_grad(y_hat, y)
print("mlcourse gradient:", ours)
print("torch autograd:   ", y_hat_t.grad.numpy())
print("SymPy formula on the first 3 samples:", sympy_grad, " mlcourse:", losses.mse_grad(y_hat[:3], y[:3]))
print("matches finite differences:", rel_error(ours, numerical_grad(lambda v: losses.mse(v, y), y_hat)) < 1e-8)
print("matches torch:             ", rel_error(ours, y_hat_t.grad.numpy()) < 1e-12)

# %% [markdown]
# ### MAE at zero error
#
# $|e|$ has a kink at $e = 0$: the slope jumps from $-1$ to $+1$. There the derivative does not exist, but every
# number in $[-1, 1]$ is a **subgradient** (the slope of a line through the kink that never rises above the curve),
# so for MAE any value in $[-1, 1]/N$ is valid. Frameworks must pick one; they pick $0$ (for example `torch.abs` and
# `F.l1_loss`). That is not a practical difficulty: errors are almost never exactly $0$. The real difference from MSE is in the next section.

# %%
a = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64, requires_grad=True)
target = torch.tensor([1.0, 0.0, 5.0], dtype=torch.float64)
F.l1_loss(a, target).backward()
print("torch l1_loss gradient:", a.grad)
print("losses.mae_grad:       ", losses.mae_grad(a.detach().numpy(), target.numpy()))

# %% [markdown]
# ## 6. Gradient descent: MSE settles, MAE keeps bouncing
#
# Fit a single number $c$ to one target $y = 3$ by gradient descent, $c \leftarrow c - \eta\,\partial L/\partial c$,
# with the same learning rate $\eta = 0.35$ for both losses.
#
# - MSE: the gradient $2(c - 3)$ shrinks as $c$ approaches $3$, so the steps shrink too.
# - MAE: the gradient is $\pm 1$ however close we are, so every step has length $\eta$ and $c$ jumps back and
#   forth around the answer for ever.

# %%
def descend(grad_fn, target, c0=0.0, lr=0.35, steps=25):
    """Gradient descent on one number c; returns c after each step (c0 first)."""
    c = np.array([c0])
    path = [c0]
    for _ in range(steps):
        c = c - lr * grad_fn(c, np.array([target]))
        path.append(float(c[0]))
    return np.array(path)


path_mse = descend(losses.mse_grad, 3.0)
path_mae = descend(losses.mae_grad, 3.0)
ax = plot.lines(np.arange(path_mse.size), {"MSE": path_mse, "MAE": path_mae}, markers=True,
                reference=3.0, reference_label="target y = 3", xlabel="step", ylabel="c",
                title="Gradient descent with a fixed learning rate")
plt.show()
print("last 4 values, MSE:", np.round(path_mse[-4:], 4))
print("last 4 values, MAE:", np.round(path_mae[-4:], 4))

# %% [markdown]
# MSE converges; MAE ends in a two-step cycle around $3$. With MAE one needs a learning rate that decreases over
# time (or an optimiser that adapts the step) to settle.

# %% [markdown]
# ## 7. Robustness to outliers
#
# A dataset with a linear trend $y \approx 2x + 1$ plus three **outliers** (points far above the trend):

# %%
x, y_data, is_outlier = data.regression_with_outliers(n=30, n_outliers=3, seed=0)
print(f"{x.size} points, {is_outlier.sum()} outliers at x =", np.round(x[is_outlier], 2))

# %% [markdown]
# ### The best constant
#
# If the model is a single constant $c$, which $c$ minimises each loss?
# For the squared error set the derivative of $\sum_i (y_i - c)^2$ to zero; SymPy does it for four samples:

# %%
symbolic.best_constant_mse()

# %% [markdown]
# The minimiser of squared error is the **mean**. For the absolute error the derivative of $\sum_i |y_i - c|$ is
# (number of $y_i$ below $c$) − (number above $c$), which is zero when half the data is on each side: the
# minimiser is the **median**. A grid search confirms both:

# %%
c_grid = np.linspace(0, 20, 20_001)
mse_of_c = np.array([losses.mse(np.full_like(y_data, c), y_data) for c in c_grid])
mae_of_c = np.array([losses.mae(np.full_like(y_data, c), y_data) for c in c_grid])
print(f"argmin MSE = {c_grid[mse_of_c.argmin()]:.3f}, mean   = {np.mean(y_data):.3f}")
print(f"argmin MAE = {c_grid[mae_of_c.argmin()]:.3f}, median = {np.median(y_data):.3f}")

# %% [markdown]
# (With an even number of points every $c$ between the two middle values minimises MAE; the grid search returns
# the first one.) The three outliers pull the mean up; the median hardly moves.
#
# ### Fitting a line
#
# Now fit $\hat y = w x + b$ by gradient descent with each loss. By the chain rule,
# $\partial L/\partial w = \sum_i \frac{\partial L}{\partial \hat y_i} x_i$ and
# $\partial L/\partial b = \sum_i \frac{\partial L}{\partial \hat y_i}$, where $\partial L/\partial \hat y$ is
# exactly what `mse_grad` and `mae_grad` return.

# %%
def fit_line(loss_grad, lr, steps):
    """Gradient descent for ŷ = w·x + b under a loss whose gradient w.r.t. ŷ is loss_grad(ŷ, y)."""
    w, b = 0.0, 0.0
    for _ in range(steps):
        g = loss_grad(w * x + b, y_data)
        w, b = w - lr * float(g @ x), b - lr * float(g.sum())
    return w, b


w_mse, b_mse = fit_line(losses.mse_grad, lr=0.02, steps=3000)
w_mae, b_mae = fit_line(losses.mae_grad, lr=0.02, steps=3000)
print(f"MSE fit: ŷ = {w_mse:.2f}·x + {b_mse:.2f}")
print(f"MAE fit: ŷ = {w_mae:.2f}·x + {b_mae:.2f}")
print("true trend: ŷ = 2.00·x + 1.00")

x_line = np.linspace(0, 5, 2)
plot.scatter_fits(x, y_data, x_line, {"MSE fit": w_mse * x_line + b_mse, "MAE fit": w_mae * x_line + b_mae},
                  highlight=is_outlier, points_label="data", highlight_label="outliers",
                  xlabel="x", ylabel="y", title="Line fits with three outliers")
plt.show()

# %% [markdown]
# The squared error of an outlier is huge, so MSE tilts the whole line towards the outliers. Under MAE each
# point pulls with the same strength ($\pm 1/N$) however far away it is, so the outliers barely matter.
# That is why MAE (or the Huber loss, which is quadratic for small errors and linear for large ones) is used when data contain outliers,
# and MSE when errors are roughly Gaussian and large errors really are worse.

# %% [markdown]
# ## 8. Sum or mean? What a minibatch gradient estimates
#
# Let $\ell_i$ be the loss of sample $i$. Two ways to add up these per-sample losses are common:
# $L_{\text{sum}} = \sum_i \ell_i$ and $L_{\text{mean}} = \frac{1}{N}\sum_i \ell_i$. They have the same minimiser,
# but their gradients differ by the factor $N$, so a learning rate that works for one is $N$ times too large
# (or small) for the other. Also keep two sums apart: a sum over the **outputs** of one sample (such as
# $\tfrac12\sum_k (y_k - a_k)^2$ for a network with several outputs $a_k$) and a sum or mean over **samples**.
#
# Training usually uses a **minibatch** $B$ of samples: $g_B = \frac{1}{|B|}\sum_{i \in B} \nabla \ell_i$. If $B$
# is drawn uniformly at random, $g_B$ is an unbiased estimate of $\nabla L_{\text{mean}}$ (its average over all
# batches is exactly that gradient). For $L_{\text{sum}}$, scale the minibatch **sum** $\sum_{i \in B} \nabla \ell_i$
# by $N/|B|$ (that is, multiply $g_B$ by $N$).
#
# Check it for the line model at $(w, b) = (1, 0)$ with squared error:

# %%
def grad_wb(idx, w=1.0, b=0.0):
    """Gradient of the mean squared error over the samples idx, with respect to (w, b)."""
    g = losses.mse_grad(w * x[idx] + b, y_data[idx])
    return np.array([g @ x[idx], g.sum()])


full = grad_wb(np.arange(x.size))
rng = np.random.default_rng(0)
batches = [rng.choice(x.size, size=5, replace=False) for _ in range(20_000)]
estimates = np.array([grad_wb(idx) for idx in batches])
print("full-batch gradient of the mean loss: ", np.round(full, 3))
print("average of 20000 minibatch gradients: ", np.round(estimates.mean(axis=0), 3),
      "± standard error", np.round(estimates.std(axis=0) / np.sqrt(len(batches)), 3))
print("one epoch of 6 disjoint batches, mean:", np.round(
    np.mean([grad_wb(idx) for idx in rng.permutation(x.size).reshape(6, 5)], axis=0), 3))
print("spread of single minibatch gradients (std):", np.round(estimates.std(axis=0), 3))

# %% [markdown]
# The average of many minibatch gradients is close to the full gradient: here it is off by less than two standard
# errors, as random sampling predicts. One pass over disjoint batches of equal size (one epoch) reproduces the full
# gradient exactly. A single minibatch gradient is noisy (large standard deviation). That noise is the price of
# cheap steps, and chapter 06 shows it can even help.

# %% [markdown]
# ## 9. Common pitfalls
#
# - **"MSE is the mean of the L2 norm."** No: it is $\frac1N\lVert y-\hat y\rVert_2^2$, the mean of squared errors,
#   i.e. the squared L2 **norm** divided by $N$. Without the square you get a different number (section 3).
# - **"MAE is hard because its derivative at 0 is undefined."** At $0$ any value in $[-1,1]/N$ is a valid
#   subgradient and frameworks use $0$. The real issue is that MAE's gradient does not shrink near the optimum, so
#   a fixed learning rate oscillates (section 6).
# - **"$e^2 > |e|$ when $e > 1$."** The condition is $|e| > 1$: large negative errors count too (section 4).
# - **Sum vs mean.** $\tfrac12\sum(y - a)^2$ written for one sample's outputs is not the mean over a dataset. The
#   minibatch average estimates the gradient of the **mean** loss; for a summed loss, scale the minibatch sum by
#   $N/|B|$ (section 8).
#
# ## Summary
#
# - MSE $= \frac1N\sum(\hat y_i-y_i)^2$, range $[0,\infty)$, gradient $\frac2N(\hat y-y)$: large errors dominate,
#   steps shrink near the optimum.
# - MAE $= \frac1N\sum|\hat y_i-y_i|$, gradient $\operatorname{sign}(\hat y-y)/N$: robust to outliers, constant-size
#   steps.
# - Both are means of Lp losses $\lVert y-\hat y\rVert_p^p$. The best constant is the mean under MSE and the
#   median under MAE.
#
# **Exercises:** open `exercises/01_regression_losses.ipynb`.
