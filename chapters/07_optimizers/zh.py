# %% [markdown]
# # 07 · 动量与自适应优化器
#
# 第 06 章留下了一个问题：所有方向共用一个学习率 (learning rate)。陡的方向限制了学习率的上限，平的方向于是走得很慢。本章从更新规则出发，逐个构造解决这个问题的优化器 (optimiser)：
#
# - **动量** (momentum) 和 **Nesterov 动量**：累积过去的梯度；
# - **Adagrad**、**RMSProp** 和 **Adadelta**：让每个坐标有自己的步长；
# - **Adam**：把两者结合起来，并做偏差修正 (bias correction)；以及 AdamW 的解耦权重衰减 (decoupled weight decay)。
#
# 每个优化器都在 `mlcourse.optim` 中从零实现，并在同一个问题上验证它与 `torch.optim` 的轨迹相差不超过 $10^{-9}$。最后让它们在一条狭长的山谷、Rosenbrock 函数和一个真实网络（第 05 章在手写数字上的深层 MLP）上比赛。
#
# 下面的每一个数字都由旁边的代码算出。

# %%
import mlcourse

mlcourse.setup(seed=0, lang="zh")

import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
import torch

from mlcourse import data, functions, optim, plot, symbolic, train

# %% [markdown]
# 记号：$\theta$ 是参数，$g_t = \nabla L(\theta_{t-1})$ 是第 $t = 1, 2, \dots$ 步的梯度，$\eta$ 是学习率（代码中的
# `lr`）。`mlcourse.optim` 中的每个优化器都是一个函数 `step(theta, grad, state, **hyper) -> (new_theta, new_state)`；
# `optim.run` 从起点出发反复调用它，返回整条轨迹。下面的 `torch_path` 用 `torch.optim` 的优化器在 float64 下做同样的事，于是两者可以逐步比较。

# %%
kappa = 50.0
start = np.array([-3.0, 1.0])


def bowl_grad(theta):
    """山谷 L = (x² + 50y²)/2 的梯度 ∇L。"""
    return functions.bowl_grad(theta, kappa=kappa)


def bowl_loss(theta):
    """L = (x² + 50y²)/2，输入为一个点 (2,) 或转置成 (2, steps) 的路径。"""
    return functions.bowl(theta, kappa=kappa)


def bowl_torch(p):
    return 0.5 * (p[0] ** 2 + kappa * p[1] ** 2)


def rosenbrock_torch(p):
    return (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2


def torch_path(opt_cls, loss_fn, theta0, steps, **hyper):
    """torch.optim.<opt_cls> 从 theta0 出发最小化 loss_fn 的轨迹 (steps + 1, 2)，float64。"""
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
    """两条轨迹在每一步、每个坐标上的差都小于 tol 时为 True。"""
    return bool(np.abs(a - b).max() < tol)


def steps_to(losses, target=1e-3):
    """损失第一次低于 target 的步数（从未低于则为 None）。"""
    below = np.flatnonzero(np.asarray(losses) < target)
    return int(below[0]) if below.size else None


X, Y = np.meshgrid(np.linspace(-3.5, 1.0, 226), np.linspace(-1.4, 1.4, 141))
Z = bowl_loss(np.stack([X, Y]))
levels = np.geomspace(0.01, 60, 15)

# %% [markdown]
# ## 1. 问题：一条狭长平坦的山谷
#
# 山谷 $L(x, y) = \frac12(x^2 + 50y^2)$ 横向（$y$）比纵向（$x$）陡 50 倍：它的海森矩阵 (Hessian) 特征值是 $1$ 和 $50$，**条件数** (condition number) 为 $50$。第 06 章说明，梯度下降 (gradient descent) 只有在
# $\eta < 2/\lambda_{\max} = 0.04$ 时才稳定。学习率接近这个上限时，$y$ 每一步都变号（因子 $1 - 50\eta$），而 $x$
# 每一步只乘以 $1 - \eta \approx 0.96$，缩小得很慢。

# %%
gd_paths = {f"GD，η = {eta}": optim.run(optim.sgd_step, bowl_grad, start, 150, lr=eta) for eta in (0.038, 0.02)}
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 4.3))
plot.contour_paths(X, Y, Z, gd_paths, ax=ax1, levels=levels, minimum=(0, 0), xlabel="x", ylabel="y",
                   title="狭长山谷中的梯度下降")
plot.loss_vs_step({name: bowl_loss(path.T) for name, path in gd_paths.items()}, ax=ax2, xlabel="步数",
                  ylabel="损失", title="损失（对数坐标）")
plt.show()
for name, path in gd_paths.items():
    print(f"{name}：150 步后损失 {bowl_loss(path[-1]):.2e}，损失降到 1e-3 所需步数：{steps_to(bowl_loss(path.T))}")

# %% [markdown]
# $\eta = 0.038$ 时路径在山谷两侧来回折返；$\eta = 0.02$ 时折返消失了，但沿谷底前进得更慢。没有哪一个学习率能同时适合两个方向。

# %% [markdown]
# ## 2. 动量
#
# ### 两种写法
#
# 一个沿山谷滚下的球会保持它的速度：来回折返的分量相互抵消，沿谷底的稳定推力不断累加。教科书的写法保存一个**速度** (velocity) $v$（$v_0 = 0$）：
# $$v_t = \gamma v_{t-1} + \eta g_t, \qquad \theta_t = \theta_{t-1} - v_t .$$
# PyTorch 则保存一个梯度的**缓冲区** (buffer) $b$，最后才乘以学习率：
# $$b_t = \mu b_{t-1} + g_t \;(b_1 = g_1), \qquad \theta_t = \theta_{t-1} - \eta\, b_t .$$
# 当 $\mu = \gamma$ 且 $\eta$ 不变时，每一步都有 $v_t = \eta b_t$，所以两种写法走出同一条路径：

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
print("教科书写法 = optim.sgd_step：          ", agree(textbook, momentum_path, 1e-12))
print("optim.sgd_step = torch.optim.SGD(momentum)：",
      agree(momentum_path, torch_path(torch.optim.SGD, bowl_torch, start, 150, lr=eta, momentum=gamma)))

# %% [markdown]
# 一旦学习率在训练中变化（即使用**学习率调度** (learning-rate schedule)），两者就不同了：教科书的 $v$ 里还带着旧的 $\eta$，而 torch
# 的缓冲区保存的是原始梯度，会乘以新的 $\eta$。在第 10 步之后把 $\eta$ 减半：

# %%
theta_t, state, theta_v, v = start.copy(), None, start.copy(), np.zeros(2)
for k in range(30):
    eta_k = 0.01 if k < 10 else 0.005
    theta_t, state = optim.sgd_step(theta_t, bowl_grad(theta_t), state, lr=eta_k, momentum=0.9)
    v = 0.9 * v + eta_k * bowl_grad(theta_v)
    theta_v = theta_v - v
print("30 步后，torch 写法：", theta_t, " 教科书写法：", theta_v)
print("两种写法仍然一致：", agree(theta_t, theta_v))

# %% [markdown]
# ### $\gamma$ 的取值范围是 $[0, 1)$
#
# $\gamma = 0$ 就是普通梯度下降；常用的值是 $0.9$。负的 $\gamma$ 会让记住的梯度每一步都变号，$\gamma \ge 1$ 则什么都不会忘记。PyTorch 拒绝负值；`mlcourse.optim` 还拒绝 $\gamma \ge 1$：

# %%
for momentum in (-0.5, 1.0):
    try:
        torch.optim.SGD([torch.zeros(2, requires_grad=True)], lr=0.1, momentum=momentum)
        print(f"torch，momentum = {momentum}：接受")
    except ValueError as error:
        print(f"torch，momentum = {momentum}：ValueError: {error}")
    try:
        optim.sgd_step(np.zeros(2), np.ones(2), None, lr=0.1, momentum=momentum)
    except ValueError as error:
        print(f"mlcourse，momentum = {momentum}：ValueError: {error}")

# %% [markdown]
# ### 恒定梯度：因子 $1/(1 - \gamma)$
#
# 如果每一步的梯度都是同一个 $g$，速度就是一个等比数列的和。SymPy 解出递推式和无穷级数：

# %%
(gamma_s, eta_s, g_s, t_s), v_t, v_limit = symbolic.momentum_constant_gradient()
v_t, v_limit

# %% [markdown]
# 所以 $v_t = \eta g\,(1 - \gamma^t)/(1 - \gamma)$，它趋于 $\eta g/(1 - \gamma)$：步长最多增大到普通步长的
# $1/(1-\gamma)$ 倍。这个倍数是恒定梯度下的**极限**：$\gamma = 0.5$ 时第一步是 $1$ 倍，第二步是 $1.5$ 倍，第五步是
# $1.94$ 倍，只有在极限下才达到 $2$ 倍。

# %%
t = np.arange(1, 101)
ratios = {f"γ = {gm}": (1 - gm**t) / (1 - gm) for gm in (0.5, 0.9, 0.99)}
ax = plot.lines(t, ratios, logy=True, xlabel="步数 t", ylabel="$v_t / (\\eta g)$",
                title="恒定梯度下的动量")
for gm in (0.5, 0.9, 0.99):
    ax.axhline(1 / (1 - gm), color="0.5", linestyle=":", linewidth=1)
plt.show()
for name, r in ratios.items():
    print(f"{name}：t = 1, 2, 5, 20, 100 时的 v_t/(ηg)：", np.round(r[[0, 1, 4, 19, 99]], 4))

# %% [markdown]
# ### 梯度的加权和，而不是自适应学习率
#
# 把递推式展开，$v_t = \eta\sum_{k=1}^{t}\gamma^{t-k} g_k$：动量是过去梯度的**指数加权和** (exponentially weighted sum)，$j$ 步之前的梯度权重为
# $\gamma^{j}$。学习率 $\eta$ 对每个坐标都一样；变化的是由梯度历史合成的这一步的方向和长度。$\gamma = 0.9$ 时，权重大约每 6.6 步减半，总和为 $10$：

# %%
weights = 0.9 ** np.arange(30)
print("最近 8 个梯度的权重：", np.round(weights[:8], 4))
print(f"全部权重之和 1/(1 − γ) = {1 / (1 - 0.9):.1f}；半衰期 = {np.log(0.5) / np.log(0.9):.2f} 步")

# %% [markdown]
# ### Nesterov 动量
#
# Nesterov 的变体会“往前看” (look-ahead)：它使用动量即将把参数带到的位置上的梯度。PyTorch 用同一个缓冲区把它写成
# $d_t = g_t + \mu b_t$，$\theta_t = \theta_{t-1} - \eta d_t$（这是“往前看”形式的等价变形）。在山谷上，取 $\eta = 0.01$、
# $\mu = 0.9$：

# %%
nesterov_path = optim.run(optim.sgd_step, bowl_grad, start, 150, lr=0.01, momentum=0.9, nesterov=True)
print("optim.sgd_step(nesterov=True) = torch.optim.SGD(nesterov=True)：",
      agree(nesterov_path, torch_path(torch.optim.SGD, bowl_torch, start, 150, lr=0.01, momentum=0.9, nesterov=True)))
paths = {"GD，η = 0.038": gd_paths["GD，η = 0.038"], "动量 0.9，η = 0.01": momentum_path,
         "Nesterov 0.9，η = 0.01": nesterov_path}
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 4.3))
plot.contour_paths(X, Y, Z, paths, ax=ax1, levels=levels, minimum=(0, 0), xlabel="x", ylabel="y",
                   title="山谷中的动量")
plot.loss_vs_step({name: bowl_loss(path.T) for name, path in paths.items()}, ax=ax2, xlabel="步数",
                  ylabel="损失", title="损失（对数坐标）")
plt.show()
for name, path in paths.items():
    print(f"{name}：降到 1e-3 所需步数 {steps_to(bowl_loss(path.T))}，150 步后损失 {bowl_loss(path[-1]):.2e}")

# %% [markdown]
# 动量会冲过山谷再摆回来。沿着谷底梯度的符号保持不变，它的步长逐渐累积，最多可达同样 $\eta$ 下普通梯度下降的
# $1/(1-\gamma) = 10$ 倍。它用 61 步就把损失降到 $10^{-3}$ 以下；梯度下降即使取接近稳定上限的 $\eta = 0.038$，也需要 109 步。Nesterov 的“往前看”减弱了摆动，只需要 24 步。

# %% [markdown]
# ## 3. Adagrad：每个坐标一个学习率
#
# Adagrad 把每个坐标的步长除以该坐标迄今为止梯度平方和的平方根。按 PyTorch 的写法（$\varepsilon = 10^{-10}$，所有运算都逐元素进行）：
# $$s_t = s_{t-1} + g_t^2, \qquad \theta_t = \theta_{t-1} - \eta\,\frac{g_t}{\sqrt{s_t} + \varepsilon}.$$
# 梯度大的坐标（山谷中的 $y$）得到小的**有效学习率** (effective learning rate) $\eta/(\sqrt{s_t} + \varepsilon)$，梯度小的坐标得到大的。

# %%
adagrad_path = optim.run(optim.adagrad_step, bowl_grad, start, 150, lr=0.3)
print("optim.adagrad_step = torch.optim.Adagrad：",
      agree(adagrad_path, torch_path(torch.optim.Adagrad, bowl_torch, start, 150, lr=0.3)))
grads = bowl_grad(adagrad_path[:-1].T).T
s = np.cumsum(grads**2, axis=0)
effective = 0.3 / (np.sqrt(s) + 1e-10)
print("第 1、10、150 步的有效学习率：x：", np.round(effective[[0, 9, 149], 0], 4),
      " y：", np.round(effective[[0, 9, 149], 1], 4))
print("有效学习率从不增大：", bool((np.diff(effective, axis=0) <= 0).all()))

# %% [markdown]
# 有效学习率取决于**累积的**梯度平方，而不是梯度变化了多少；而且 $s_t$ 只增不减，所以它只会变小。$\varepsilon$ 保证
# $s_t = 0$ 时除法仍有意义。
#
# $\varepsilon$ 放在哪里有一点影响：PyTorch 把它加在根号**外面**，$\sqrt{s_t} + \varepsilon$；很多教材写成
# $\sqrt{s_t + \varepsilon}$。$\varepsilon = 10^{-10}$ 时这里的两条路径无法区分；$\varepsilon$ 较大时就不同了：

# %%
def adagrad_textbook(theta0, steps, lr, eps):
    """θ ← θ − lr·g/√(s + eps)：eps 在根号里面。"""
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
    print(f"eps = {eps}：根号外 = 根号内（容差 1e-6）：{agree(ours, adagrad_textbook(start, 150, 0.3, eps), 1e-6)}；"
          f"torch（根号外）= optim："
          f"{agree(ours, torch_path(torch.optim.Adagrad, bowl_torch, start, 150, lr=0.3, eps=eps))}")

# %% [markdown]
# ### 让它停滞的 $1/\sqrt{t}$ 衰减
#
# 梯度恒为 $g$ 时，$s_t = t g^2$，Adagrad 的步长是 $\eta/\sqrt{t}$：100 步后缩小到十分之一，10 000 步后缩小到百分之一，不管参数离极小值点还有多远。在 $L(w) = w$（梯度永远是 $g = 1$）上比较 Adagrad、RMSProp 和 Adam（后面几节）的步长：

# %%
n = 400
step_lengths = {}
for name, step_fn in (("Adagrad", optim.adagrad_step), ("RMSProp", optim.rmsprop_step), ("Adam", optim.adam_step)):
    path = optim.run(step_fn, lambda w: np.ones_like(w), [0.0], n, lr=0.01)
    step_lengths[name] = -np.diff(path[:, 0])
t = np.arange(1, n + 1)
ax = plot.lines(t, step_lengths, logy=True, xlabel="步数 t", ylabel="步长", title="恒定梯度，η = 0.01")
ax.plot(t, 0.01 / np.sqrt(t), color="0.3", linestyle=":", label="η/√t")
ax.set_xscale("log")
ax.legend()
plt.show()
for name, lengths in step_lengths.items():
    print(f"{name:8}：第 1 步 = {lengths[0]:.4f}，第 10 步 = {lengths[9]:.4f}，第 400 步 = {lengths[-1]:.4f}")

# %% [markdown]
# Adagrad 的步长恰好是 $\eta/\sqrt{t}$。在需要很多步的问题上，这种衰减会让训练停滞。在 Rosenbrock 函数上用同样的
# $\eta = 0.01$ 走 1000 步：

# %%
rosen_start = np.array([-1.2, 1.0])
stall = {name: functions.rosenbrock(optim.run(step_fn, functions.rosenbrock_grad, rosen_start, 1000, lr=0.01).T)
         for name, step_fn in (("Adagrad", optim.adagrad_step), ("RMSProp", optim.rmsprop_step))}
plot.loss_vs_step(stall, xlabel="步数", ylabel="损失", title="Rosenbrock 函数，η = 0.01")
plt.show()
for name, losses in stall.items():
    print(f"{name}：第 100、500、1000 步的损失：", np.round(losses[[100, 500, 1000]], 4))

# %% [markdown]
# ## 4. RMSProp 与 Adadelta
#
# ### RMSProp：用移动平均代替累加和
#
# RMSProp 把 Adagrad 不断增长的和换成梯度平方的指数加权**移动平均** (moving average)（PyTorch 中 $\alpha = 0.99$，
# $\varepsilon = 10^{-8}$）：
# $$v_t = \alpha v_{t-1} + (1 - \alpha) g_t^2, \qquad \theta_t = \theta_{t-1} - \eta\,\frac{g_t}{\sqrt{v_t} + \varepsilon}.$$
# 旧的梯度以权重 $\alpha^j$ 逐渐被遗忘（记忆长度约为 $1/(1-\alpha) = 100$ 步），所以 $v_t$ 反映的是梯度**最近**的大小，有效学习率不会一直衰减。梯度恒定时 $v_t \to g^2$，步长趋于 $\eta$（见上图）。注意最初几步：$v_1 = 0.01\,g^2$，所以第一步是 $\eta/\sqrt{0.01} = 10\eta$；RMSProp 没有针对 $v_0 = 0$ 这一起点的修正（Adam 加上了）。

# %%
rmsprop_path = optim.run(optim.rmsprop_step, bowl_grad, start, 150, lr=0.03)
print("optim.rmsprop_step = torch.optim.RMSprop：",
      agree(rmsprop_path, torch_path(torch.optim.RMSprop, bowl_torch, start, 150, lr=0.03)))
print("centered=True 且 momentum=0.5 时：      ",
      agree(optim.run(optim.rmsprop_step, bowl_grad, start, 150, lr=0.01, centered=True, momentum=0.5),
            torch_path(torch.optim.RMSprop, bowl_torch, start, 150, lr=0.01, centered=True, momentum=0.5)))

# %% [markdown]
# ### Adadelta：论文里没有学习率，PyTorch 里 `lr = 1.0`
#
# Adadelta（Zeiler，2012）同样保存梯度平方的移动平均 $v$，另外还保存**更新量**平方的移动平均 $u$：
# $$v_t = \rho v_{t-1} + (1-\rho) g_t^2, \quad \Delta_t = \frac{\sqrt{u_{t-1} + \varepsilon}}{\sqrt{v_t + \varepsilon}}\,g_t,
#   \quad u_t = \rho u_{t-1} + (1-\rho)\Delta_t^2, \quad \theta_t = \theta_{t-1} - \eta\,\Delta_t .$$
# 两个平方根之比让 $\Delta$ 具有与 $\theta$ 相同的单位，所以论文中不需要学习率。PyTorch 保留了 `lr` 作为一个乘数，默认值 $1.0$ 给出的正是论文中的更新；它的另外两个默认值是 $\rho = 0.9$ 和 $\varepsilon = 10^{-6}$。由于 $u_0 = 0$，不论梯度多大，最初几步的长度都约为 $\sqrt{\varepsilon/(1-\rho)} \approx 0.003$：Adadelta 起步很慢。

# %%
adadelta_path = optim.run(optim.adadelta_step, bowl_grad, start, 150)
print("optim.adadelta_step = torch.optim.Adadelta（lr = 1.0）：",
      agree(adadelta_path, torch_path(torch.optim.Adadelta, bowl_torch, start, 150)))
print("前三步的 |Δθ|：", np.round(np.abs(np.diff(adadelta_path[:4], axis=0)), 5).tolist())
print(f"150 步后的损失：{bowl_loss(adadelta_path[-1]):.4f}（起点：{bowl_loss(start):.4f}）")

# %% [markdown]
# ## 5. Adam
#
# ### 两个移动平均
#
# Adam 同时保存梯度的移动平均 $m$（动量）和梯度平方的移动平均 $v$（RMSProp 的缩放），$\beta_1 = 0.9$，
# $\beta_2 = 0.999$，$\varepsilon = 10^{-8}$：
# $$m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t, \qquad v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2,$$
# $$\hat m_t = \frac{m_t}{1 - \beta_1^t}, \qquad \hat v_t = \frac{v_t}{1 - \beta_2^t}, \qquad
#   \theta_t = \theta_{t-1} - \eta\,\frac{\hat m_t}{\sqrt{\hat v_t} + \varepsilon}.$$
# （有的资料把第一个平均叫作“速度”$v$，第二个叫作 $s$；PyTorch 中的名字是 `exp_avg` $m$ 和 `exp_avg_sq` $v$。）
#
# ### 偏差修正
#
# 两个平均都从 $0$ 开始，所以一开始都偏小：$m_t$ 是梯度的加权平均，但权重之和是 $1 - \beta_1^t$ 而不是 $1$。除以
# $1 - \beta^t$ 就修正了这一点。修正只在**早期**起作用，之后逐渐消失：$1 - \beta_1^t$ 在 44 步后超过 $0.99$，
# $1 - \beta_2^t$ 则要大约 4600 步。

# %%
t = np.arange(1, 10_001)
ax = plot.lines(t, {"1 − β₁ᵗ（β₁ = 0.9）": 1 - 0.9**t, "1 − β₂ᵗ（β₂ = 0.999）": 1 - 0.999**t}, xlabel="步数 t",
                ylabel="修正因子", title="Adam 偏差修正的分母")
ax.set_xscale("log")
plt.show()
print("t = 1, 10, 100 时的 1 − 0.9^t：           ", np.round(1 - 0.9 ** np.array([1, 10, 100]), 4))
print("t = 1, 10, 100, 1000, 10000 时的 1 − 0.999^t：", np.round(1 - 0.999 ** np.array([1, 10, 100, 1000, 10_000]), 4))

# %% [markdown]
# 在 $t = 1$ 时：$m_1 = 0.1\,g$，$v_1 = 0.001\,g^2$。不修正的话，这一步是
# $\eta\cdot 0.1g/\sqrt{0.001g^2} = \sqrt{10}\,\eta\,\mathrm{sign}(g) \approx 3.16\,\eta\,\mathrm{sign}(g)$；修正后恰好是
# $\eta\,\mathrm{sign}(g)$。SymPy 给出一般的 $\beta$ 和默认值两种情形：

# %%
(lr_s, g_sym), uncorrected, corrected = symbolic.adam_first_step()
(_, _), uncorrected_default, corrected_default = symbolic.adam_first_step(0.9, 0.999)
(uncorrected, corrected), (uncorrected_default, corrected_default)

# %%
g1 = np.array([-3.0, 0.02, 500.0])
theta1, adam_state = optim.adam_step(np.zeros(3), g1, None, lr=0.01)
m1, v1 = adam_state["exp_avg"], adam_state["exp_avg_sq"]
print("梯度 g：              ", g1)
print("第一步，修正后（optim）：", theta1)
print("第一步，不做修正：      ", -0.01 * m1 / np.sqrt(v1))
print("与 torch.optim.Adam 一致：", agree(theta1, torch_path(torch.optim.Adam, lambda p: p @ torch.tensor(g1), np.zeros(3),
                                                            1, lr=0.01)[-1]))

# %% [markdown]
# 第一步中每个坐标都移动 $\eta$，与梯度的大小无关：Adam 的步长不受梯度尺度影响。让 Adam 避免 Adagrad 式衰减的，是会遗忘的移动平均 $v$。偏差修正只在早期起作用：$\beta_2 = 0.999$ 时，大约是最初的几千步。

# %%
adam_path = optim.run(optim.adam_step, bowl_grad, start, 150, lr=0.1)
print("optim.adam_step = torch.optim.Adam：", agree(adam_path, torch_path(torch.optim.Adam, bowl_torch, start, 150, lr=0.1)))

# %% [markdown]
# ### AdamW：解耦的权重衰减
#
# `torch.optim.Adam`（以及 `mlcourse.optim`）中的 `weight_decay` $= \lambda$ 把 $\lambda\theta$ 加到梯度上：这是 L2
# 惩罚 (L2 penalty)，它随后要经过 Adam 的缩放，于是梯度大的参数几乎得不到衰减。**AdamW** 把两者分开：先直接收缩参数
# $\theta \leftarrow \theta(1 - \eta\lambda)$，再用原始梯度走一步 Adam。用 `optim.adam_step` 实现：

# %%
def adamw_step(theta, grad, state, lr=1e-3, weight_decay=1e-2, **hyper):
    """AdamW：θ ← θ(1 − lr·λ)，再做一步不带权重衰减的 Adam。"""
    return optim.adam_step(theta * (1 - lr * weight_decay), grad, state, lr=lr, **hyper)


adamw_path = optim.run(adamw_step, bowl_grad, start, 150, lr=0.1, weight_decay=0.1)
print("adamw_step = torch.optim.AdamW：             ",
      agree(adamw_path, torch_path(torch.optim.AdamW, bowl_torch, start, 150, lr=0.1, weight_decay=0.1)))
print("adamw_step 也等于带 weight_decay（L2）的 Adam：",
      agree(adamw_path, optim.run(optim.adam_step, bowl_grad, start, 150, lr=0.1, weight_decay=0.1)))

# %% [markdown]
# ## 6. 同场比较
#
# ### 山谷
#
# 所有优化器都从 $(-3, 1)$ 出发走 150 步，各用一个对它效果较好的学习率（Adadelta 用默认值）：

# %%
contenders = {
    "GD，η = 0.038": (optim.sgd_step, {"lr": 0.038}),
    "动量，η = 0.01": (optim.sgd_step, {"lr": 0.01, "momentum": 0.9}),
    "Nesterov，η = 0.01": (optim.sgd_step, {"lr": 0.01, "momentum": 0.9, "nesterov": True}),
    "Adagrad，η = 0.3": (optim.adagrad_step, {"lr": 0.3}),
    "RMSProp，η = 0.03": (optim.rmsprop_step, {"lr": 0.03}),
    "Adadelta，η = 1": (optim.adadelta_step, {}),
    "Adam，η = 0.1": (optim.adam_step, {"lr": 0.1}),
}
valley = {name: optim.run(step_fn, bowl_grad, start, 150, **hyper) for name, (step_fn, hyper) in contenders.items()}
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 4.6))
plot.contour_paths(X, Y, Z, valley, ax=ax1, levels=levels, minimum=(0, 0), xlabel="x", ylabel="y",
                   title="山谷中的所有优化器")
plot.loss_vs_step({name: bowl_loss(path.T) for name, path in valley.items()}, ax=ax2, xlabel="步数", ylabel="损失",
                  title="损失（对数坐标）")
ax2.set_ylim(1e-12, 1e2)
plt.show()

# %% [markdown]
# 自适应方法（Adagrad、RMSProp、Adam）一开始沿对角线前进：它们最初几步在各坐标上的大小差不多，都是
# $-\mathrm{sign}(g)$ 的倍数（Adagrad 和 Adam 为 $\eta$，RMSProp 为 $10\eta$），所以它们直奔谷底，而不在山谷两侧来回折返。这之所以可行，是因为山谷与坐标轴对齐：按坐标缩放只能修正各个**坐标**之间的尺度差异。把同一条山谷旋转 45°：梯度下降和动量毫无察觉（它们具有旋转不变性 (rotation invariance)），自适应方法则失去了优势，现在需要的步数比普通梯度下降还多：

# %%
c45, s45 = np.cos(np.pi / 4), np.sin(np.pi / 4)
R = np.array([[c45, -s45], [s45, c45]])


def rotated_grad(theta):
    """L(Rθ) 的梯度 Rᵀ ∇L(Rθ)：旋转 45° 后的同一条山谷。"""
    return R.T @ bowl_grad(R @ theta)


print("损失降到 1e-3 所需步数         对齐     旋转后")
for name, (step_fn, hyper) in contenders.items():
    turned = optim.run(step_fn, rotated_grad, R.T @ start, 300, **hyper)
    aligned = optim.run(step_fn, bowl_grad, start, 300, **hyper)
    print(f"{name:22}  {steps_to(bowl_loss(aligned.T))!s:>9} {steps_to(bowl_loss((turned @ R.T).T))!s:>9}")

# %% [markdown]
# ### Rosenbrock 函数
#
# Rosenbrock 函数 $(1 - x)^2 + 100(y - x^2)^2$ 有一条弯曲的山谷，极小值点在 $(1, 1)$。从 $(-1.2, 1)$ 出发走 1000 步：

# %%
contenders_rosen = {
    "GD，η = 0.002": (optim.sgd_step, {"lr": 2e-3}),
    "动量，η = 0.001": (optim.sgd_step, {"lr": 1e-3, "momentum": 0.9}),
    "Nesterov，η = 0.001": (optim.sgd_step, {"lr": 1e-3, "momentum": 0.9, "nesterov": True}),
    "Adagrad，η = 0.5": (optim.adagrad_step, {"lr": 0.5}),
    "RMSProp，η = 0.01": (optim.rmsprop_step, {"lr": 0.01}),
    "Adadelta，η = 1": (optim.adadelta_step, {}),
    "Adam，η = 0.1": (optim.adam_step, {"lr": 0.1}),
}
rosen = {name: optim.run(step_fn, functions.rosenbrock_grad, rosen_start, 1000, **hyper)
         for name, (step_fn, hyper) in contenders_rosen.items()}
Xr, Yr = np.meshgrid(np.linspace(-1.6, 1.6, 161), np.linspace(-0.6, 2.2, 141))
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 4.6))
plot.contour_paths(Xr, Yr, functions.rosenbrock(np.stack([Xr, Yr])), rosen, ax=ax1, levels=np.geomspace(0.05, 800, 14),
                   minimum=(1, 1), xlabel="x", ylabel="y", title="Rosenbrock 函数上的所有优化器")
plot.loss_vs_step({name: functions.rosenbrock(path.T) for name, path in rosen.items()}, ax=ax2, xlabel="步数",
                  ylabel="损失", title="损失（对数坐标）")
plt.show()
for name, path in rosen.items():
    print(f"{name:20}：1000 步后损失 {functions.rosenbrock(path[-1]):.2e}，停在 {np.round(path[-1], 3)}")

# %% [markdown]
# 动量、Nesterov 和 Adam 到达了极小值点附近（损失约 $10^{-5}$）：谷底又长又缓地弯曲，累积的速度带着参数沿谷底前进。普通梯度下降仍在谷底缓慢爬行。RMSProp 的步长几乎恒定，最后在谷底来回弹跳（损失曲线上的尖峰）；Adam 的动量平均把这些弹跳平滑掉了。Adagrad 已经慢了下来。Adadelta 起步很慢，等步长变大之后又在狭窄的谷底来回弹跳：它的损失下降到第 600 步左右，之后又回升。
#
# ### 每个优化器都与 `torch.optim` 对照
#
# 下面是整章所依赖的检查：`mlcourse.optim` 的每条更新规则，连同它的每个超参数 (hyper-parameter)，在 Rosenbrock
# 函数上走 300 步，都与 PyTorch 的实现在 float64 下相差不超过 $10^{-9}$：

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
print(f"{'优化器':6} {'超参数':86} 300 步内相差 < 1e-9")
for name, step_fn, opt_cls, hyper in torch_cases:
    ours = optim.run(step_fn, functions.rosenbrock_grad, rosen_start, 300, **hyper)
    theirs = torch_path(opt_cls, rosenbrock_torch, rosen_start, 300, **hyper)
    print(f"{name:8} {hyper!s:86} {agree(ours, theirs)}")

# %% [markdown]
# 说明一下为什么上面的学习率都比较保守。取 Adadelta 的默认值 $\eta = 1$ 在 Rosenbrock 函数上运行：两个实现在前 200 步相差不超过 $10^{-9}$，之后便逐渐分开。

# %%
ours = optim.run(optim.adadelta_step, functions.rosenbrock_grad, rosen_start, 300)
theirs = torch_path(torch.optim.Adadelta, rosenbrock_torch, rosen_start, 300)
print("前 200 步相差 < 1e-9：   ", agree(ours[:201], theirs[:201]))
print("全部 300 步相差 < 1e-9：", agree(ours, theirs))
print("最后相差超过 1e-6：      ", bool(np.abs(ours[-1] - theirs[-1]).max() > 1e-6))

# %% [markdown]
# 两者都没有错。torch 用自动求导计算梯度，并用自己的一串浮点运算（`lerp`、`addcdiv` 等）做更新；`mlcourse` 用手写的梯度和普通的乘加。两者都是正确的 float64 计算，只是偶尔在最后一位（相对误差 $10^{-16}$）上不同。这里参数以几乎恒定的步长在狭窄的谷底来回弹跳，在这种**混沌** (chaotic) 状态下，每一次弹跳都会放大微小的差别，直到肉眼可见。Adam 配上激进的
# $\beta$ 也会这样。这是动力学的性质，而不是代码的问题：在训练中，这也是两次“理应”相同的运行会逐渐分道扬镳的原因之一。

# %% [markdown]
# ## 7. 一个真实网络：第 05 章的深层 MLP
#
# 实践中最常用的四条更新规则——SGD、带动量的 SGD、RMSProp 和 Adam——现在用 `torch.optim` 来训练第 05 章的深层 MLP
# （64 → 256 → 128 → 64 → 20 → 10，层间用 ReLU），数据是 $8\times 8$ 的手写数字，训练循环用 `mlcourse.train.fit`
# （它返回每轮 (epoch) 的损失和准确率 (accuracy)；默认 `progress=True` 时还会显示进度条，这里关掉了，以保证保存的输出可以复现）。每次运行都从同样的初始权重出发，以同样的顺序看到同样的小批量（每批 64 个样本）。
# SGD 用原文中的 $\eta = 0.1$；动量 $0.9$ 配 $\eta = 0.01$ 的长期步长 $\eta/(1-\gamma)$ 同样是 $0.1$；RMSProp 和 Adam
# 用常见的默认值 $\eta = 10^{-3}$。

# %%
digits = data.load_digits(scale="standard", seed=0)
print("训练集：", digits.X_train.shape, " 测试集：", digits.X_test.shape)


def deep_mlp():
    """第 05 章用于 8×8 数字的网络：64 → 256 → 128 → 64 → 20 → 10，层间用 ReLU。"""
    sizes = [64, 256, 128, 64, 20, 10]
    layers = []
    for k in range(len(sizes) - 1):
        layers += [torch.nn.Linear(sizes[k], sizes[k + 1]), torch.nn.ReLU()]
    return torch.nn.Sequential(*layers[:-1])


initial_weights = deep_mlp().state_dict()
optimisers = {
    "SGD，η = 0.1": lambda params: torch.optim.SGD(params, lr=0.1),
    "动量 0.9，η = 0.01": lambda params: torch.optim.SGD(params, lr=0.01, momentum=0.9),
    "RMSProp，η = 0.001": lambda params: torch.optim.RMSprop(params, lr=1e-3),
    "Adam，η = 0.001": lambda params: torch.optim.Adam(params, lr=1e-3),
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
           xlabel="轮数 (epoch)", ylabel="训练损失", title="训练损失（交叉熵）")
plot.lines(epochs, {name: h.test_acc for name, h in histories.items()}, ax=ax2, markers=True, xlabel="轮数 (epoch)",
           ylabel="测试准确率", title="测试准确率")
plt.show()
print("轮数：                                ", "  ".join(f"{e:6d}" for e in (1, 5, 10, 15)))
for name, h in histories.items():
    first_90 = next((e + 1 for e, acc in enumerate(h.test_acc) if acc >= 0.9), None)
    print(f"{name:20}  训练损失", "  ".join(f"{h.train_loss[e - 1]:6.4f}" for e in (1, 5, 10, 15)),
          f"| 测试准确率在第 {first_90} 轮首次 ≥ 0.9，15 轮后为 {h.test_acc[-1]:.4f}")

# %% [markdown]
# 普通 SGD 在平台 (plateau) 上停留了好几轮：在又深又窄的 ReLU 网络里，一开始的梯度很小，固定的步长要过一段时间才能让信号传过去。长期步长相同的动量在这里的表现与 SGD 差不多。RMSProp 和 Adam 按每个权重最近的梯度大小缩放步长，所以很小的梯度也能产生约为 $\eta$ 的步子，它们在最初几轮就离开了平台。SGD 较大的固定步长还让它的测试准确率直到最后都在跳动。在这样的小问题上它们最终都能学好；区别在于快慢，以及需要多少调参。

# %% [markdown]
# ## 8. 实用建议
#
# - 不熟悉问题时**先用 Adam**（$\eta = 10^{-3}$，默认的 $\beta$）：它对学习率和梯度的尺度都比较宽容，上面的山谷和网络都说明了这一点。需要权重衰减时用 **AdamW**，而不是 Adam 的 `weight_decay`。
# - **动量 0.9 的 SGD**（通常再配一个学习率调度）是大型视觉模型的经典选择，它的泛化效果常常不逊于甚至好于 Adam；但它的 $\eta$ 需要调（试试 $0.1, 0.03, 0.01, \dots$）。记住它的长期步长是 $\eta/(1-\gamma)$。
# - **先调学习率**，在对数网格上试；它比在几种自适应优化器之间挑选更重要。学习率太大表现为损失振荡或爆炸（第 06 章：$\eta < 2/\lambda_{\max}$）。
# - **RMSProp** 长期以来常用于循环神经网络 (recurrent neural network) 和强化学习 (reinforcement learning)；**Adagrad** 适合稀疏特征（罕见的词得到更大的步长）和较短的训练；**Adadelta** 在新代码中很少使用。
# - 自适应方法均衡的是各个**坐标**，而不是任意方向：一条不与坐标轴对齐的山谷对它们来说仍然困难（第 6 节）。
#
# ## 9. 常见误区
#
# - **“动量是一种自适应学习率。”** 它是过去梯度的指数加权和；$\eta$ 对每个坐标都一样（第 2 节）。按坐标自适应的学习率是 Adagrad、RMSProp、Adadelta 以及 Adam 中的 $v$。
# - **“$\gamma$ 是小于 0 的数。”** 动量系数的取值范围是 $[0, 1)$，常用 $0.9$；PyTorch 会拒绝负值。
# - **“$\gamma = 0.5$ 让步长变为 2 倍。”** 只有在梯度恒定时的极限下才成立：$v_t = \eta g(1-\gamma^t)/(1-\gamma) \to
#   \eta g/(1-\gamma)$；第一步根本没有放大。
# - **“梯度变化小时，Adagrad 会提高学习率。”** 它的有效学习率 $\eta/(\sqrt{s_t}+\varepsilon)$ 从不增大，取决于累积的梯度平方，而不是梯度的变化。它真正的问题是 $\sim 1/\sqrt{t}$ 的衰减让长时间训练停滞。PyTorch 的
#   $\varepsilon = 10^{-10}$ 加在平方根外面。
# - **“Adadelta 不需要学习率。”** 论文中如此；`torch.optim.Adadelta` 保留了 `lr = 1.0` 作为乘数，改变它就会改变步长。
# - **“Adam 靠偏差修正避免了 Adagrad 的衰减。”** 避免衰减的是会遗忘旧梯度的移动平均 $v$。偏差修正只在早期起作用并趋于 1：在 $t = 1$ 时它把 $3.16\,\eta$ 的一步变成 $\eta$。
# - **教科书的动量和 torch 的动量“是一回事”。** 只有在学习率不变（且 dampening 为 0）时才成立。
#
# ## 小结
#
# | 优化器 | 状态 | 更新 | 解决了什么 |
# |---|---|---|---|
# | 动量 | $b$ | $b \leftarrow \mu b + g$，$\theta \leftarrow \theta - \eta b$ | 来回折返；在平坦山谷中进展缓慢 |
# | Nesterov | $b$ | $\theta \leftarrow \theta - \eta(g + \mu b)$ | 动量冲过头 |
# | Adagrad | $s$ | $s \leftarrow s + g^2$，$\theta \leftarrow \theta - \eta g/(\sqrt{s}+\varepsilon)$ | 各坐标尺度不同（但按 $1/\sqrt{t}$ 衰减） |
# | RMSProp | $v$ | $v \leftarrow \alpha v + (1-\alpha)g^2$，$\theta \leftarrow \theta - \eta g/(\sqrt{v}+\varepsilon)$ | Adagrad 的衰减 |
# | Adadelta | $v, u$ | 步长 $\sqrt{u+\varepsilon}/\sqrt{v+\varepsilon}\cdot g$，再乘 `lr = 1` | 单位问题；论文中没有学习率 |
# | Adam | $m, v$ | $\theta \leftarrow \theta - \eta\hat m/(\sqrt{\hat v}+\varepsilon)$ | 动量 + 按坐标缩放，带偏差修正 |
#
# 它们都在 `mlcourse.optim` 中，并且在 float64 下与 `torch.optim` 相差不超过 $10^{-9}$。
#
# **练习：** 打开 `exercises/07_optimizers.ipynb`。
