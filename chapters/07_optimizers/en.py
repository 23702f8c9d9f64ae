# %% [markdown]
# # 07 · Momentum and adaptive optimisers
#
# Chapter 06 ended with a problem: one learning rate for every direction. A steep direction caps the learning rate,
# and then the flat directions crawl. This chapter builds the optimisers that fix it, each from its update rule:
#
# - **momentum** and **Nesterov** momentum, which accumulate past gradients;
# - **Adagrad**, **RMSProp** and **Adadelta**, which give each coordinate its own step size;
# - **Adam**, which combines both, with its bias correction; and AdamW's decoupled weight decay.
#
# Every optimiser is implemented from scratch in `mlcourse.optim` and shown to follow `torch.optim` to $10^{-9}$ on
# the same problem. At the end they race on a narrow valley, on the Rosenbrock function, and on a real network: the
# deep MLP of chapter 05 on handwritten digits.
#
# Every number below is computed by the code next to it.

# %%
import mlcourse

mlcourse.setup(seed=0, lang="en")

import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
import torch

from mlcourse import data, functions, optim, plot, symbolic, train

# %% [markdown]
# Notation: $\theta$ are the parameters, $g_t = \nabla L(\theta_{t-1})$ the gradient at step $t = 1, 2, \dots$, $\eta$
# the learning rate (`lr` in code). Each optimiser in `mlcourse.optim` is a function
# `step(theta, grad, state, **hyper) -> (new_theta, new_state)`; `optim.run` applies one from a start point and
# returns the whole trajectory. `torch_path` below does the same with a `torch.optim` optimiser in float64, so the two
# can be compared step by step.

# %%
kappa = 50.0
start = np.array([-3.0, 1.0])


def bowl_grad(theta):
    """∇L of the valley L = (x² + 50y²)/2."""
    return functions.bowl_grad(theta, kappa=kappa)


def bowl_loss(theta):
    """L = (x² + 50y²)/2 at a point (2,) or along a path transposed to (2, steps)."""
    return functions.bowl(theta, kappa=kappa)


def bowl_torch(p):
    return 0.5 * (p[0] ** 2 + kappa * p[1] ** 2)


def rosenbrock_torch(p):
    return (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2


def torch_path(opt_cls, loss_fn, theta0, steps, **hyper):
    """Trajectory (steps + 1, 2) of torch.optim.<opt_cls> minimising loss_fn from theta0, in float64."""
    p = torch.tensor(theta0, dtype=torch.float64, requires_grad=True)
    opt = opt_cls([p], **hyper)
    path = [p.detach().clone().numpy()]
    for _ in range(steps):
        opt.zero_grad()
        loss_fn(p).backward()
        opt.step()
        path.append(p.detach().clone().numpy())
    return np.array(path)


def agree(a, b, tol=1e-9):
    """True when two trajectories differ by less than tol at every step and in every coordinate."""
    return bool(np.abs(a - b).max() < tol)


def steps_to(losses, target=1e-3):
    """First step at which the loss is below target (None if never)."""
    below = np.flatnonzero(np.asarray(losses) < target)
    return int(below[0]) if below.size else None


X, Y = np.meshgrid(np.linspace(-3.5, 1.0, 226), np.linspace(-1.4, 1.4, 141))
Z = bowl_loss(np.stack([X, Y]))
levels = np.geomspace(0.01, 60, 15)

# %% [markdown]
# ## 1. The problem: a long, flat valley
#
# The valley $L(x, y) = \frac12(x^2 + 50y^2)$ is 50 times steeper across ($y$) than along ($x$): its Hessian has the
# eigenvalues $1$ and $50$, a **condition number** of $50$. Chapter 06 showed that gradient descent is stable only
# for $\eta < 2/\lambda_{\max} = 0.04$. Near that learning rate $y$ flips sign at each step (factor $1 - 50\eta$)
# while $x$ is multiplied by $1 - \eta \approx 0.96$ per step: it shrinks only slowly.

# %%
gd_paths = {f"GD, η = {eta}": optim.run(optim.sgd_step, bowl_grad, start, 150, lr=eta) for eta in (0.038, 0.02)}
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 4.3))
plot.contour_paths(X, Y, Z, gd_paths, ax=ax1, levels=levels, minimum=(0, 0), xlabel="x", ylabel="y",
                   title="Gradient descent in a narrow valley")
plot.loss_vs_step({name: bowl_loss(path.T) for name, path in gd_paths.items()}, ax=ax2, xlabel="step",
                  ylabel="loss", title="Loss (log scale)")
plt.show()
for name, path in gd_paths.items():
    print(f"{name}: loss after 150 steps {bowl_loss(path[-1]):.2e}, steps to reach 1e-3: {steps_to(bowl_loss(path.T))}")

# %% [markdown]
# With $\eta = 0.038$ the path zig-zags across the valley; with $\eta = 0.02$ the zig-zag is gone but progress along
# the valley floor is slower still. No single learning rate suits both directions.

# %% [markdown]
# ## 2. Momentum
#
# ### Two ways to write it
#
# A ball rolling down the valley keeps its velocity: the zig-zag components cancel, the steady push along the floor
# adds up. The textbook form keeps a **velocity** $v$ (with $v_0 = 0$):
# $$v_t = \gamma v_{t-1} + \eta g_t, \qquad \theta_t = \theta_{t-1} - v_t .$$
# PyTorch keeps a **buffer** $b$ of gradients instead and multiplies by the learning rate at the end:
# $$b_t = \mu b_{t-1} + g_t \;(b_1 = g_1), \qquad \theta_t = \theta_{t-1} - \eta\, b_t .$$
# With $\mu = \gamma$ and a constant $\eta$, $v_t = \eta b_t$ at every step, so both forms give the same path:

# %%
gamma, eta = 0.9, 0.01
theta, v = start.copy(), np.zeros(2)
textbook = [theta]
for _ in range(150):
    v = gamma * v + eta * bowl_grad(theta)
    theta = theta - v
    textbook.append(theta)
textbook = np.array(textbook)
momentum_path = optim.run(optim.sgd_step, bowl_grad, start, 150, lr=eta, momentum=gamma)
print("textbook form = optim.sgd_step:          ", agree(textbook, momentum_path, 1e-12))
print("optim.sgd_step = torch.optim.SGD(momentum):",
      agree(momentum_path, torch_path(torch.optim.SGD, bowl_torch, start, 150, lr=eta, momentum=gamma)))

# %% [markdown]
# They differ once the learning rate changes during training (a **schedule**): the textbook $v$ still carries the old
# $\eta$ inside it, while torch's buffer holds raw gradients and is multiplied by the new $\eta$. Halve $\eta$ after 10
# steps:

# %%
theta_t, state, theta_v, v = start.copy(), None, start.copy(), np.zeros(2)
for k in range(30):
    eta_k = 0.01 if k < 10 else 0.005
    theta_t, state = optim.sgd_step(theta_t, bowl_grad(theta_t), state, lr=eta_k, momentum=0.9)
    v = 0.9 * v + eta_k * bowl_grad(theta_v)
    theta_v = theta_v - v
print("after 30 steps, torch form:", theta_t, " textbook form:", theta_v)
print("the two forms still agree:", agree(theta_t, theta_v))

# %% [markdown]
# ### $\gamma$ lies in $[0, 1)$
#
# $\gamma = 0$ is plain gradient descent; a typical value is $0.9$. A negative $\gamma$ would flip the sign of the
# remembered gradients at every step, and $\gamma \ge 1$ never forgets anything. PyTorch rejects negative values;
# `mlcourse.optim` also rejects $\gamma \ge 1$:

# %%
for momentum in (-0.5, 1.0):
    try:
        torch.optim.SGD([torch.zeros(2, requires_grad=True)], lr=0.1, momentum=momentum)
        print(f"torch, momentum = {momentum}: accepted")
    except ValueError as error:
        print(f"torch, momentum = {momentum}: ValueError: {error}")
    try:
        optim.sgd_step(np.zeros(2), np.ones(2), None, lr=0.1, momentum=momentum)
    except ValueError as error:
        print(f"mlcourse, momentum = {momentum}: ValueError: {error}")

# %% [markdown]
# ### A constant gradient: the factor $1/(1 - \gamma)$
#
# If the gradient is the same $g$ at every step, the velocity is a geometric sum. SymPy solves the recurrence and the
# infinite sum:

# %%
(gamma_s, eta_s, g_s, t_s), v_t, v_limit = symbolic.momentum_constant_gradient()
v_t, v_limit

# %% [markdown]
# So $v_t = \eta g\,(1 - \gamma^t)/(1 - \gamma)$, which approaches $\eta g/(1 - \gamma)$: the step grows up to
# $1/(1-\gamma)$ times the plain one. That factor is a **limit** for a constant gradient: with $\gamma = 0.5$ the first
# step is $1\times$, the second $1.5\times$, the fifth $1.94\times$, and $2\times$ is reached only in the limit.

# %%
t = np.arange(1, 101)
ratios = {f"γ = {gm}": (1 - gm**t) / (1 - gm) for gm in (0.5, 0.9, 0.99)}
ax = plot.lines(t, ratios, logy=True, xlabel="step t", ylabel="$v_t / (\\eta g)$",
                title="Momentum with a constant gradient")
for gm in (0.5, 0.9, 0.99):
    ax.axhline(1 / (1 - gm), color="0.5", linestyle=":", linewidth=1)
plt.show()
for name, r in ratios.items():
    print(f"{name}: v_t/(ηg) at t = 1, 2, 5, 20, 100:", np.round(r[[0, 1, 4, 19, 99]], 4))

# %% [markdown]
# ### A weighted sum of gradients, not an adaptive learning rate
#
# Unrolling the recurrence, $v_t = \eta\sum_{k=1}^{t}\gamma^{t-k} g_k$: momentum is an **exponentially weighted sum**
# of past gradients, with weight $\gamma^{j}$ on the gradient $j$ steps back. The learning rate $\eta$ stays the
# same for every coordinate; what changes is the direction and length of the step, built from the gradient history.
# With $\gamma = 0.9$ the weights halve about every 6.6 steps and sum to $10$:

# %%
weights = 0.9 ** np.arange(30)
print("weights of the last 8 gradients:", np.round(weights[:8], 4))
print(f"sum of all weights 1/(1 − γ) = {1 / (1 - 0.9):.1f};  half-life = {np.log(0.5) / np.log(0.9):.2f} steps")

# %% [markdown]
# ### Nesterov momentum
#
# Nesterov's variant looks ahead: it uses the gradient where the momentum is about to carry the parameters. PyTorch
# writes it with the same buffer, as $d_t = g_t + \mu b_t$, $\theta_t = \theta_{t-1} - \eta d_t$ (an equivalent
# rearrangement of the look-ahead). On the valley, with $\eta = 0.01$ and $\mu = 0.9$:

# %%
nesterov_path = optim.run(optim.sgd_step, bowl_grad, start, 150, lr=0.01, momentum=0.9, nesterov=True)
print("optim.sgd_step(nesterov=True) = torch.optim.SGD(nesterov=True):",
      agree(nesterov_path, torch_path(torch.optim.SGD, bowl_torch, start, 150, lr=0.01, momentum=0.9, nesterov=True)))
paths = {"GD, η = 0.038": gd_paths["GD, η = 0.038"], "momentum 0.9, η = 0.01": momentum_path,
         "Nesterov 0.9, η = 0.01": nesterov_path}
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 4.3))
plot.contour_paths(X, Y, Z, paths, ax=ax1, levels=levels, minimum=(0, 0), xlabel="x", ylabel="y",
                   title="Momentum in the valley")
plot.loss_vs_step({name: bowl_loss(path.T) for name, path in paths.items()}, ax=ax2, xlabel="step",
                  ylabel="loss", title="Loss (log scale)")
plt.show()
for name, path in paths.items():
    print(f"{name}: steps to reach 1e-3: {steps_to(bowl_loss(path.T))}, loss after 150 steps {bowl_loss(path[-1]):.2e}")

# %% [markdown]
# Momentum overshoots across the valley and swings back. Along the floor, where the gradient keeps its sign, its
# steps build up to as much as $1/(1-\gamma) = 10$ times those of plain gradient descent with the same $\eta$. It gets
# the loss below $10^{-3}$ in 61 steps; gradient descent needs 109 even with $\eta = 0.038$, close to its largest
# stable rate. Nesterov's look-ahead damps the swings and needs only 24.

# %% [markdown]
# ## 3. Adagrad: a learning rate per coordinate
#
# Adagrad divides each coordinate's step by the root of the sum of that coordinate's squared gradients so far. In
# PyTorch's form (with $\varepsilon = 10^{-10}$, all operations element by element):
# $$s_t = s_{t-1} + g_t^2, \qquad \theta_t = \theta_{t-1} - \eta\,\frac{g_t}{\sqrt{s_t} + \varepsilon}.$$
# A coordinate with large gradients ($y$ in the valley) gets a small **effective learning rate**
# $\eta/(\sqrt{s_t} + \varepsilon)$, a coordinate with small gradients a large one.

# %%
adagrad_path = optim.run(optim.adagrad_step, bowl_grad, start, 150, lr=0.3)
print("optim.adagrad_step = torch.optim.Adagrad:",
      agree(adagrad_path, torch_path(torch.optim.Adagrad, bowl_torch, start, 150, lr=0.3)))
grads = bowl_grad(adagrad_path[:-1].T).T
s = np.cumsum(grads**2, axis=0)
effective = 0.3 / (np.sqrt(s) + 1e-10)
print("effective learning rate at steps 1, 10, 150:  x:", np.round(effective[[0, 9, 149], 0], 4),
      " y:", np.round(effective[[0, 9, 149], 1], 4))
print("the effective learning rates never increase:", bool((np.diff(effective, axis=0) <= 0).all()))

# %% [markdown]
# The effective rate depends on the **accumulated** squared gradients, not on how much the gradient changes, and since
# $s_t$ only grows it can only shrink. $\varepsilon$ keeps the division finite when $s_t = 0$.
#
# Where $\varepsilon$ goes matters a little: PyTorch adds it **outside** the root, $\sqrt{s_t} + \varepsilon$; many
# texts write $\sqrt{s_t + \varepsilon}$. With $\varepsilon = 10^{-10}$ the two paths are indistinguishable here;
# with a large $\varepsilon$ they are not:

# %%
def adagrad_textbook(theta0, steps, lr, eps):
    """θ ← θ − lr·g/√(s + eps): eps inside the root."""
    theta, s_acc = np.array(theta0, dtype=float), np.zeros(2)
    out = [theta]
    for _ in range(steps):
        g = bowl_grad(theta)
        s_acc = s_acc + g * g
        theta = theta - lr * g / np.sqrt(s_acc + eps)
        out.append(theta)
    return np.array(out)


for eps in (1e-10, 0.1):
    ours = optim.run(optim.adagrad_step, bowl_grad, start, 150, lr=0.3, eps=eps)
    print(f"eps = {eps}: eps outside = eps inside to 1e-6: {agree(ours, adagrad_textbook(start, 150, 0.3, eps), 1e-6)}; "
          f"torch (eps outside) = optim: "
          f"{agree(ours, torch_path(torch.optim.Adagrad, bowl_torch, start, 150, lr=0.3, eps=eps))}")

# %% [markdown]
# ### The $1/\sqrt{t}$ decay that stalls it
#
# With a constant gradient $g$, $s_t = t g^2$ and Adagrad's step is $\eta/\sqrt{t}$: after 100 steps it is ten times
# smaller, after 10 000 steps a hundred times, whether or not the parameters are anywhere near a minimum. Compare the
# step lengths of Adagrad, RMSProp and Adam (next sections) on $L(w) = w$, where $g = 1$ always:

# %%
n = 400
step_lengths = {}
for name, step_fn in (("Adagrad", optim.adagrad_step), ("RMSProp", optim.rmsprop_step), ("Adam", optim.adam_step)):
    path = optim.run(step_fn, lambda w: np.ones_like(w), [0.0], n, lr=0.01)
    step_lengths[name] = -np.diff(path[:, 0])
t = np.arange(1, n + 1)
ax = plot.lines(t, step_lengths, logy=True, xlabel="step t", ylabel="step length", title="Constant gradient, η = 0.01")
ax.plot(t, 0.01 / np.sqrt(t), color="0.3", linestyle=":", label="η/√t")
ax.set_xscale("log")
ax.legend()
plt.show()
for name, lengths in step_lengths.items():
    print(f"{name:8}: step 1 = {lengths[0]:.4f}, step 10 = {lengths[9]:.4f}, step 400 = {lengths[-1]:.4f}")

# %% [markdown]
# Adagrad follows $\eta/\sqrt{t}$ exactly. On a long problem that decay stalls training. On Rosenbrock with the same
# $\eta = 0.01$ for 1000 steps:

# %%
rosen_start = np.array([-1.2, 1.0])
stall = {name: functions.rosenbrock(optim.run(step_fn, functions.rosenbrock_grad, rosen_start, 1000, lr=0.01).T)
         for name, step_fn in (("Adagrad", optim.adagrad_step), ("RMSProp", optim.rmsprop_step))}
plot.loss_vs_step(stall, xlabel="step", ylabel="loss", title="Rosenbrock, η = 0.01")
plt.show()
for name, losses in stall.items():
    print(f"{name}: loss after 100, 500, 1000 steps:", np.round(losses[[100, 500, 1000]], 4))

# %% [markdown]
# ## 4. RMSProp and Adadelta
#
# ### RMSProp: a moving average instead of a sum
#
# RMSProp replaces Adagrad's growing sum by an exponentially weighted **moving average** of squared gradients
# ($\alpha = 0.99$, $\varepsilon = 10^{-8}$ in PyTorch):
# $$v_t = \alpha v_{t-1} + (1 - \alpha) g_t^2, \qquad \theta_t = \theta_{t-1} - \eta\,\frac{g_t}{\sqrt{v_t} + \varepsilon}.$$
# Old gradients fade with weight $\alpha^j$ (a memory of about $1/(1-\alpha) = 100$ steps), so $v_t$ tracks the
# **recent** size of the gradient and the effective rate does not decay for ever. With a constant gradient $v_t \to
# g^2$ and the step tends to $\eta$ (plot above). Note the first steps: $v_1 = 0.01\,g^2$, so the first step is
# $\eta/\sqrt{0.01} = 10\eta$; RMSProp has no correction for starting at $v_0 = 0$ (Adam adds one).

# %%
rmsprop_path = optim.run(optim.rmsprop_step, bowl_grad, start, 150, lr=0.03)
print("optim.rmsprop_step = torch.optim.RMSprop:",
      agree(rmsprop_path, torch_path(torch.optim.RMSprop, bowl_torch, start, 150, lr=0.03)))
print("with centered=True and momentum=0.5:     ",
      agree(optim.run(optim.rmsprop_step, bowl_grad, start, 150, lr=0.01, centered=True, momentum=0.5),
            torch_path(torch.optim.RMSprop, bowl_torch, start, 150, lr=0.01, centered=True, momentum=0.5)))

# %% [markdown]
# ### Adadelta: no learning rate in the paper, `lr = 1.0` in PyTorch
#
# Adadelta (Zeiler, 2012) also keeps a moving average $v$ of squared gradients, and a second one, $u$, of squared
# **updates**:
# $$v_t = \rho v_{t-1} + (1-\rho) g_t^2, \quad \Delta_t = \frac{\sqrt{u_{t-1} + \varepsilon}}{\sqrt{v_t + \varepsilon}}\,g_t,
#   \quad u_t = \rho u_{t-1} + (1-\rho)\Delta_t^2, \quad \theta_t = \theta_{t-1} - \eta\,\Delta_t .$$
# The ratio of the two roots gives $\Delta$ the units of $\theta$, so the paper needs no learning rate. PyTorch keeps
# `lr` as a plain multiplier; its default $1.0$ gives the paper's update. PyTorch's other defaults are $\rho = 0.9$ and
# $\varepsilon = 10^{-6}$.
# Because $u_0 = 0$, the first steps have length about $\sqrt{\varepsilon/(1-\rho)} \approx 0.003$ whatever the
# gradient: Adadelta starts slowly.

# %%
adadelta_path = optim.run(optim.adadelta_step, bowl_grad, start, 150)
print("optim.adadelta_step = torch.optim.Adadelta (lr = 1.0):",
      agree(adadelta_path, torch_path(torch.optim.Adadelta, bowl_torch, start, 150)))
print("first three steps |Δθ|:", np.round(np.abs(np.diff(adadelta_path[:4], axis=0)), 5).tolist())
print(f"loss after 150 steps: {bowl_loss(adadelta_path[-1]):.4f} (start: {bowl_loss(start):.4f})")

# %% [markdown]
# ## 5. Adam
#
# ### Two moving averages
#
# Adam keeps a moving average $m$ of gradients (momentum) and a moving average $v$ of squared gradients (RMSProp's
# scaling), with $\beta_1 = 0.9$, $\beta_2 = 0.999$, $\varepsilon = 10^{-8}$:
# $$m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t, \qquad v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2,$$
# $$\hat m_t = \frac{m_t}{1 - \beta_1^t}, \qquad \hat v_t = \frac{v_t}{1 - \beta_2^t}, \qquad
#   \theta_t = \theta_{t-1} - \eta\,\frac{\hat m_t}{\sqrt{\hat v_t} + \varepsilon}.$$
# (Some texts call the first average the "velocity" $v$ and the second $s$; PyTorch's names are `exp_avg` $m$ and
# `exp_avg_sq` $v$.)
#
# ### Bias correction
#
# Both averages start at $0$, so early on they are too small: $m_t$ is a weighted average of the gradients with
# weights summing to $1 - \beta_1^t$, not $1$. Dividing by $1 - \beta^t$ corrects that. The correction matters
# **early** and fades: $1 - \beta_1^t$ is above $0.99$ after 44 steps, $1 - \beta_2^t$ only after about 4600.

# %%
t = np.arange(1, 10_001)
ax = plot.lines(t, {"1 − β₁ᵗ (β₁ = 0.9)": 1 - 0.9**t, "1 − β₂ᵗ (β₂ = 0.999)": 1 - 0.999**t}, xlabel="step t",
                ylabel="correction factor", title="Adam's bias-correction denominators")
ax.set_xscale("log")
plt.show()
print("1 − 0.9^t   at t = 1, 10, 100:      ", np.round(1 - 0.9 ** np.array([1, 10, 100]), 4))
print("1 − 0.999^t at t = 1, 10, 100, 1000, 10000:", np.round(1 - 0.999 ** np.array([1, 10, 100, 1000, 10_000]), 4))

# %% [markdown]
# At $t = 1$: $m_1 = 0.1\,g$ and $v_1 = 0.001\,g^2$. Without correction the step would be
# $\eta\cdot 0.1g/\sqrt{0.001g^2} = \sqrt{10}\,\eta\,\mathrm{sign}(g) \approx 3.16\,\eta\,\mathrm{sign}(g)$; with it,
# exactly $\eta\,\mathrm{sign}(g)$. SymPy, for general $\beta$ and for the defaults:

# %%
(lr_s, g_sym), uncorrected, corrected = symbolic.adam_first_step()
(_, _), uncorrected_default, corrected_default = symbolic.adam_first_step(0.9, 0.999)
(uncorrected, corrected), (uncorrected_default, corrected_default)

# %%
g1 = np.array([-3.0, 0.02, 500.0])
theta1, adam_state = optim.adam_step(np.zeros(3), g1, None, lr=0.01)
m1, v1 = adam_state["exp_avg"], adam_state["exp_avg_sq"]
print("gradient g:                       ", g1)
print("first step, corrected (optim):    ", theta1)
print("first step without the correction:", -0.01 * m1 / np.sqrt(v1))
print("torch.optim.Adam agrees:", agree(theta1, torch_path(torch.optim.Adam, lambda p: p @ torch.tensor(g1), np.zeros(3),
                                                           1, lr=0.01)[-1]))

# %% [markdown]
# Every coordinate moves by $\eta$ at the first step, whatever the size of its gradient: Adam's steps are
# scale-free. What spares Adam Adagrad's decay is the moving average $v$, which forgets. The bias correction only
# matters early on: with $\beta_2 = 0.999$, over the first few thousand steps.

# %%
adam_path = optim.run(optim.adam_step, bowl_grad, start, 150, lr=0.1)
print("optim.adam_step = torch.optim.Adam:", agree(adam_path, torch_path(torch.optim.Adam, bowl_torch, start, 150, lr=0.1)))

# %% [markdown]
# ### AdamW: decoupled weight decay
#
# `weight_decay` $= \lambda$ in `torch.optim.Adam` (and in `mlcourse.optim`) adds $\lambda\theta$ to the gradient: an
# L2 penalty, which then passes through Adam's scaling, so parameters with large gradients are barely decayed.
# **AdamW** decouples the two: it shrinks the parameters directly, $\theta \leftarrow \theta(1 - \eta\lambda)$, and then
# takes the Adam step with the plain gradient. Built from `optim.adam_step`:

# %%
def adamw_step(theta, grad, state, lr=1e-3, weight_decay=1e-2, **hyper):
    """AdamW: θ ← θ(1 − lr·λ), then an Adam step without weight decay."""
    return optim.adam_step(theta * (1 - lr * weight_decay), grad, state, lr=lr, **hyper)


adamw_path = optim.run(adamw_step, bowl_grad, start, 150, lr=0.1, weight_decay=0.1)
print("adamw_step = torch.optim.AdamW:              ",
      agree(adamw_path, torch_path(torch.optim.AdamW, bowl_torch, start, 150, lr=0.1, weight_decay=0.1)))
print("adamw_step = Adam with weight_decay (L2) too:",
      agree(adamw_path, optim.run(optim.adam_step, bowl_grad, start, 150, lr=0.1, weight_decay=0.1)))

# %% [markdown]
# ## 6. Side by side
#
# ### The valley
#
# All optimisers from $(-3, 1)$ for 150 steps, with learning rates that work well for each (Adadelta with its
# defaults):

# %%
contenders = {
    "GD, η = 0.038": (optim.sgd_step, {"lr": 0.038}),
    "momentum, η = 0.01": (optim.sgd_step, {"lr": 0.01, "momentum": 0.9}),
    "Nesterov, η = 0.01": (optim.sgd_step, {"lr": 0.01, "momentum": 0.9, "nesterov": True}),
    "Adagrad, η = 0.3": (optim.adagrad_step, {"lr": 0.3}),
    "RMSProp, η = 0.03": (optim.rmsprop_step, {"lr": 0.03}),
    "Adadelta, η = 1": (optim.adadelta_step, {}),
    "Adam, η = 0.1": (optim.adam_step, {"lr": 0.1}),
}
valley = {name: optim.run(step_fn, bowl_grad, start, 150, **hyper) for name, (step_fn, hyper) in contenders.items()}
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 4.6))
plot.contour_paths(X, Y, Z, valley, ax=ax1, levels=levels, minimum=(0, 0), xlabel="x", ylabel="y",
                   title="All optimisers in the valley")
plot.loss_vs_step({name: bowl_loss(path.T) for name, path in valley.items()}, ax=ax2, xlabel="step", ylabel="loss",
                  title="Loss (log scale)")
ax2.set_ylim(1e-12, 1e2)
plt.show()

# %% [markdown]
# The adaptive methods (Adagrad, RMSProp, Adam) start along the diagonal: their first steps have about the same size
# in each coordinate, a multiple of $-\mathrm{sign}(g)$ ($\eta$ for Adagrad and Adam, $10\eta$ for RMSProp). So they
# head for the valley floor without zig-zagging across it. This works because the valley is aligned with the axes:
# per-coordinate scaling can only fix different scales of the **coordinates**. Turn the same valley by 45°: gradient
# descent and momentum do not notice (they are rotation invariant), while the adaptive methods lose their edge and
# now need more steps than plain gradient descent:

# %%
c45, s45 = np.cos(np.pi / 4), np.sin(np.pi / 4)
R = np.array([[c45, -s45], [s45, c45]])


def rotated_grad(theta):
    """∇ of L(Rθ) = Rᵀ ∇L(Rθ): the same valley turned by 45°."""
    return R.T @ bowl_grad(R @ theta)


print("steps to reach loss 1e-3      aligned   rotated")
for name, (step_fn, hyper) in contenders.items():
    turned = optim.run(step_fn, rotated_grad, R.T @ start, 300, **hyper)
    aligned = optim.run(step_fn, bowl_grad, start, 300, **hyper)
    print(f"{name:22}  {steps_to(bowl_loss(aligned.T))!s:>9} {steps_to(bowl_loss((turned @ R.T).T))!s:>9}")

# %% [markdown]
# ### Rosenbrock
#
# The Rosenbrock function $(1 - x)^2 + 100(y - x^2)^2$ has a curved valley with its minimum at $(1, 1)$. From
# $(-1.2, 1)$ for 1000 steps:

# %%
contenders_rosen = {
    "GD, η = 0.002": (optim.sgd_step, {"lr": 2e-3}),
    "momentum, η = 0.001": (optim.sgd_step, {"lr": 1e-3, "momentum": 0.9}),
    "Nesterov, η = 0.001": (optim.sgd_step, {"lr": 1e-3, "momentum": 0.9, "nesterov": True}),
    "Adagrad, η = 0.5": (optim.adagrad_step, {"lr": 0.5}),
    "RMSProp, η = 0.01": (optim.rmsprop_step, {"lr": 0.01}),
    "Adadelta, η = 1": (optim.adadelta_step, {}),
    "Adam, η = 0.1": (optim.adam_step, {"lr": 0.1}),
}
rosen = {name: optim.run(step_fn, functions.rosenbrock_grad, rosen_start, 1000, **hyper)
         for name, (step_fn, hyper) in contenders_rosen.items()}
Xr, Yr = np.meshgrid(np.linspace(-1.6, 1.6, 161), np.linspace(-0.6, 2.2, 141))
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 4.6))
plot.contour_paths(Xr, Yr, functions.rosenbrock(np.stack([Xr, Yr])), rosen, ax=ax1, levels=np.geomspace(0.05, 800, 14),
                   minimum=(1, 1), xlabel="x", ylabel="y", title="All optimisers on Rosenbrock")
plot.loss_vs_step({name: functions.rosenbrock(path.T) for name, path in rosen.items()}, ax=ax2, xlabel="step",
                  ylabel="loss", title="Loss (log scale)")
plt.show()
for name, path in rosen.items():
    print(f"{name:20}: loss after 1000 steps {functions.rosenbrock(path[-1]):.2e}, ends at {np.round(path[-1], 3)}")

# %% [markdown]
# Momentum, Nesterov and Adam come close to the minimum (loss about $10^{-5}$): the valley floor is long and gently
# curved, and an accumulated velocity carries the parameters along it. Plain gradient descent is still creeping along
# the floor. RMSProp's steps of nearly constant length bounce around the floor near the end (the spikes in its
# curve); Adam's momentum average smooths them. Adagrad has slowed down. Adadelta starts slowly, and once its steps
# have grown they bounce across the narrow floor: its loss falls until about step 600 and then rises again.
#
# ### Every optimiser against `torch.optim`
#
# Now the check the whole chapter relies on: each update rule of `mlcourse.optim`, with each of its
# hyper-parameters, follows PyTorch's implementation on Rosenbrock for 300 steps, in float64, to $10^{-9}$:

# %%
torch_cases = [
    ("SGD", optim.sgd_step, torch.optim.SGD, {"lr": 1e-3}),
    ("SGD", optim.sgd_step, torch.optim.SGD, {"lr": 1e-3, "momentum": 0.9, "dampening": 0.5, "weight_decay": 0.1}),
    ("SGD", optim.sgd_step, torch.optim.SGD, {"lr": 1e-3, "momentum": 0.9, "nesterov": True}),
    ("Adagrad", optim.adagrad_step, torch.optim.Adagrad,
     {"lr": 0.1, "lr_decay": 0.01, "initial_accumulator_value": 0.5, "eps": 0.1}),
    ("RMSprop", optim.rmsprop_step, torch.optim.RMSprop, {"lr": 5e-4, "alpha": 0.9, "eps": 0.1}),
    ("RMSprop", optim.rmsprop_step, torch.optim.RMSprop,
     {"lr": 1e-4, "momentum": 0.9, "centered": True, "weight_decay": 0.1}),
    ("Adadelta", optim.adadelta_step, torch.optim.Adadelta, {"lr": 0.1, "rho": 0.5, "weight_decay": 0.1}),
    ("Adadelta", optim.adadelta_step, torch.optim.Adadelta, {"lr": 3e-3, "eps": 0.1}),
    ("Adam", optim.adam_step, torch.optim.Adam, {"lr": 1e-2}),
    ("Adam", optim.adam_step, torch.optim.Adam, {"lr": 1e-2, "betas": (0.8, 0.99), "eps": 0.1, "weight_decay": 0.1}),
]
print(f"{'optimiser':8} {'hyper-parameters':86} agree to 1e-9 over 300 steps")
for name, step_fn, opt_cls, hyper in torch_cases:
    ours = optim.run(step_fn, functions.rosenbrock_grad, rosen_start, 300, **hyper)
    theirs = torch_path(opt_cls, rosenbrock_torch, rosen_start, 300, **hyper)
    print(f"{name:8} {hyper!s:86} {agree(ours, theirs)}")

# %% [markdown]
# A remark on why the learning rates above are modest. Take Adadelta with its default $\eta = 1$ on Rosenbrock: the
# two implementations agree to $10^{-9}$ for 200 steps, and then drift apart.

# %%
ours = optim.run(optim.adadelta_step, functions.rosenbrock_grad, rosen_start, 300)
theirs = torch_path(torch.optim.Adadelta, rosenbrock_torch, rosen_start, 300)
print("agree to 1e-9 over the first 200 steps:", agree(ours[:201], theirs[:201]))
print("agree to 1e-9 over all 300 steps:      ", agree(ours, theirs))
print("differ by more than 1e-6 at the end:   ", bool(np.abs(ours[-1] - theirs[-1]).max() > 1e-6))

# %% [markdown]
# Neither is wrong. Torch differentiates the loss with autograd and updates with its own sequence of floating-point
# operations (`lerp`, `addcdiv`, ...); `mlcourse` uses the hand-written gradient and plain multiply-adds. Both are
# correct float64 computations that differ in the last bit (a relative $10^{-16}$) now and then.
# Here the parameters bounce across the narrow valley floor with steps of almost constant length, and in that
# **chaotic** regime every small difference is amplified at each bounce until it is visible. The same happens with
# Adam and aggressive $\beta$s. It is a property of the dynamics, not of the code: in training it is one reason why
# two runs that "should" be identical can drift apart.

# %% [markdown]
# ## 7. A real network: the deep MLP of chapter 05
#
# The same four update rules that matter most in practice — SGD, SGD with momentum, RMSProp and Adam — now train the
# deep MLP of chapter 05 (64 → 256 → 128 → 64 → 20 → 10 with ReLU) on the $8\times 8$ handwritten digits, with
# `torch.optim` and the training loop `mlcourse.train.fit` (it returns a history of losses and accuracies per
# epoch; with `progress=True`, its default, it also shows a progress bar, left out here so that the stored outputs
# stay reproducible). Every run starts from the same initial weights and sees the minibatches (of 64) in the same
# order.
# SGD uses the seed article's $\eta = 0.1$; momentum $0.9$ with $\eta = 0.01$ has the same long-run step
# $\eta/(1-\gamma) = 0.1$; RMSProp and Adam use the common default $\eta = 10^{-3}$.

# %%
digits = data.load_digits(scale="standard", seed=0)
print("training set:", digits.X_train.shape, " test set:", digits.X_test.shape)


def deep_mlp():
    """The chapter-05 network for 8×8 digits: 64 → 256 → 128 → 64 → 20 → 10, ReLU between layers."""
    sizes = [64, 256, 128, 64, 20, 10]
    layers = []
    for k in range(len(sizes) - 1):
        layers += [torch.nn.Linear(sizes[k], sizes[k + 1]), torch.nn.ReLU()]
    return torch.nn.Sequential(*layers[:-1])


initial_weights = deep_mlp().state_dict()
optimisers = {
    "SGD, η = 0.1": lambda params: torch.optim.SGD(params, lr=0.1),
    "momentum 0.9, η = 0.01": lambda params: torch.optim.SGD(params, lr=0.01, momentum=0.9),
    "RMSProp, η = 0.001": lambda params: torch.optim.RMSprop(params, lr=1e-3),
    "Adam, η = 0.001": lambda params: torch.optim.Adam(params, lr=1e-3),
}

# %%
histories = {}
for name, make_optimiser in optimisers.items():
    model = deep_mlp()
    model.load_state_dict(initial_weights)
    train_loader, test_loader = train.make_loaders(digits.X_train, digits.y_train, digits.X_test, digits.y_test,
                                                   batch_size=64, seed=0)
    histories[name] = train.fit(model, train_loader, test_loader, make_optimiser(model.parameters()), epochs=15,
                                progress=False)

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 4.3))
epochs = np.arange(1, 16)
plot.lines(epochs, {name: h.train_loss for name, h in histories.items()}, ax=ax1, logy=True, markers=True,
           xlabel="epoch", ylabel="training loss", title="Training loss (cross-entropy)")
plot.lines(epochs, {name: h.test_acc for name, h in histories.items()}, ax=ax2, markers=True, xlabel="epoch",
           ylabel="test accuracy", title="Test accuracy")
plt.show()
print("epoch:                              ", "  ".join(f"{e:6d}" for e in (1, 5, 10, 15)))
for name, h in histories.items():
    first_90 = next((e + 1 for e, acc in enumerate(h.test_acc) if acc >= 0.9), None)
    print(f"{name:24}  train loss", "  ".join(f"{h.train_loss[e - 1]:6.4f}" for e in (1, 5, 10, 15)),
          f"| test accuracy first ≥ 0.9 at epoch {first_90}, after 15 epochs {h.test_acc[-1]:.4f}")

# %% [markdown]
# Plain SGD sits on a plateau for several epochs: in a deep, narrow ReLU network the first gradients are tiny, and a
# fixed step moves slowly until the signal gets through. Momentum with the same long-run step behaves much like SGD
# here. RMSProp and Adam rescale each weight's step by its recent gradient size, so tiny gradients still produce
# steps of size about $\eta$, and they leave the plateau within the first epochs. SGD's large fixed step also keeps
# its test accuracy jumpy to the end. On a small problem like this one all of them get there eventually; the
# difference is how fast, and how much tuning it takes.

# %% [markdown]
# ## 8. Practical advice
#
# - **Start with Adam** ($\eta = 10^{-3}$, default $\beta$s) when you do not know the problem: it is forgiving about
#   the learning rate and the scale of the gradients, as the valley and the network above show. For weight decay use
#   **AdamW**, not Adam's `weight_decay`.
# - **SGD with momentum 0.9** (and, usually, a learning-rate schedule) is the classic choice for large vision models,
#   where it often generalises as well as or better than Adam; it needs its $\eta$ tuned (try $0.1, 0.03, 0.01, \dots$).
#   Remember $\eta/(1-\gamma)$ is its long-run step.
# - **Tune the learning rate first**, on a log grid; it matters more than the choice among adaptive optimisers. Too
#   large a rate shows as a loss that oscillates or explodes (chapter 06: $\eta < 2/\lambda_{\max}$).
# - **RMSProp** has long been a common choice for recurrent networks and reinforcement learning; **Adagrad** suits
#   sparse features (rare words get larger steps) and short runs; **Adadelta** is rarely used in new code.
# - Adaptive methods equalise the **coordinates**, not arbitrary directions: a valley that is not aligned with the
#   axes is still hard for them (section 6).
#
# ## 9. Common pitfalls
#
# - **"Momentum is an adaptive learning rate."** It is an exponentially weighted sum of past gradients; $\eta$ stays
#   the same for every coordinate (section 2). The per-coordinate adaptive rates are Adagrad, RMSProp, Adadelta and
#   Adam's $v$.
# - **"$\gamma$ is a number below 0."** The momentum coefficient lies in $[0, 1)$, typically $0.9$; PyTorch rejects
#   negative values.
# - **"$\gamma = 0.5$ makes the steps twice as large."** Only in the limit, for a constant gradient: $v_t =
#   \eta g(1-\gamma^t)/(1-\gamma) \to \eta g/(1-\gamma)$; the first step is not enlarged at all.
# - **"Adagrad raises the learning rate when the gradient changes little."** Its effective rate
#   $\eta/(\sqrt{s_t}+\varepsilon)$ never increases and depends on the accumulated squared gradients, not on their
#   change. Its real problem is the $\sim 1/\sqrt{t}$ decay that stalls long runs. PyTorch's $\varepsilon = 10^{-10}$
#   sits outside the square root.
# - **"Adadelta needs no learning rate."** True of the paper; `torch.optim.Adadelta` keeps `lr = 1.0` as a multiplier,
#   and changing it changes the steps.
# - **"Adam avoids Adagrad's decay thanks to bias correction."** The moving average $v$, which forgets old gradients,
#   avoids the decay. Bias correction matters early and tends to 1: at $t = 1$ it turns a step of $3.16\,\eta$ into
#   $\eta$.
# - **Textbook and torch momentum are "the same".** Only while the learning rate is constant (and dampening is 0).
#
# ## Summary
#
# | optimiser | state | update | what it fixes |
# |---|---|---|---|
# | momentum | $b$ | $b \leftarrow \mu b + g$, $\theta \leftarrow \theta - \eta b$ | zig-zag; slow progress along flat valleys |
# | Nesterov | $b$ | $\theta \leftarrow \theta - \eta(g + \mu b)$ | overshooting of momentum |
# | Adagrad | $s$ | $s \leftarrow s + g^2$, $\theta \leftarrow \theta - \eta g/(\sqrt{s}+\varepsilon)$ | coordinates of different scales (but decays as $1/\sqrt{t}$) |
# | RMSProp | $v$ | $v \leftarrow \alpha v + (1-\alpha)g^2$, $\theta \leftarrow \theta - \eta g/(\sqrt{v}+\varepsilon)$ | Adagrad's decay |
# | Adadelta | $v, u$ | step $\sqrt{u+\varepsilon}/\sqrt{v+\varepsilon}\cdot g$, times `lr = 1` | units; no learning rate in the paper |
# | Adam | $m, v$ | $\theta \leftarrow \theta - \eta\hat m/(\sqrt{\hat v}+\varepsilon)$ | momentum + per-coordinate scale, bias-corrected |
#
# All of them are in `mlcourse.optim` and follow `torch.optim` to $10^{-9}$ in float64.
#
# **Exercises:** open `exercises/07_optimizers.ipynb`.
