# %% [markdown]
# # 练习 07 · 动量与自适应优化器 / Exercises 07 · Momentum and adaptive optimisers
#
# 每道题：在标出的地方填写答案或代码，然后运行下面的检查单元格。
# For each exercise: fill in the answer or the code where marked, then run the check cell below it.
#
# - ✅ 正确 / Correct — 做对了 / well done
# - ❌ 不对 / Not quite — 看看提示再试 / read the hint and try again
# - ❌ 未完成 / not filled in yet — 还没有作答 / you have not answered yet
#
# 配套章节 / Chapter: `chapters/07_optimizers/zh.ipynb`, `en.ipynb`.

# %%
import mlcourse

mlcourse.setup(seed=0, lang="zh")

import numpy as np

from mlcourse import check, functions, optim

# %% [markdown]
# ## 1. 实现动量 / Implement momentum
#
# 按教科书中的形式实现带动量的梯度下降：$v_0 = 0$，$v_t = \gamma v_{t-1} + \eta g_t$，$\theta_t = \theta_{t-1} - v_t$，其中 $g_t$ 是在 $\theta_{t-1}$ 处的梯度。返回形状为 `(steps + 1, d)` 的轨迹（第 0 行是 `theta0`）。
#
# Implement gradient descent with momentum in the textbook form: $v_0 = 0$, $v_t = \gamma v_{t-1} + \eta g_t$,
# $\theta_t = \theta_{t-1} - v_t$, with $g_t$ the gradient at $\theta_{t-1}$. Return the trajectory of shape
# `(steps + 1, d)` (row 0 is `theta0`).

# %%
def my_momentum(grad_fn, theta0, lr, gamma, steps):
    # BEGIN SOLUTION
    theta = np.array(theta0, dtype=float)
    v = np.zeros_like(theta)
    path = [theta]
    for _ in range(steps):
        v = gamma * v + lr * grad_fn(theta)
        theta = theta - v
        path.append(theta)
    return np.array(path)
    # END SOLUTION


# %%
def reference(grad_fn, theta0, lr, gamma, steps):
    return optim.run(optim.sgd_step, grad_fn, theta0, steps, lr=lr, momentum=gamma)


cases = [
    (functions.bowl_grad, np.array([-3.0, 1.0]), 0.01, 0.9, 50),
    (functions.rosenbrock_grad, np.array([-1.2, 1.0]), 1e-3, 0.9, 100),
    (functions.bowl_grad, np.array([2.0, -0.5]), 0.05, 0.5, 30),
]
check.function(my_momentum, reference, cases, name="momentum")

# %% [markdown]
# ## 2. 恒定梯度下的动量 / Momentum with a constant gradient
#
# $\gamma = 0.8$，$\eta = 0.1$，每一步的梯度都是 $g = 2$，$v_0 = 0$。求 $v_3$ 以及 $t \to \infty$ 时 $v_t$ 的极限。
#
# $\gamma = 0.8$, $\eta = 0.1$, the gradient is $g = 2$ at every step, $v_0 = 0$. Find $v_3$ and the limit of $v_t$ as
# $t \to \infty$.

# %%
answer_v3 = 0.488  # SOLUTION
answer_limit = 1.0  # SOLUTION

# %%
v = 0.0
for _ in range(3):
    v = 0.8 * v + 0.1 * 2.0
check.value(answer_v3, v, name="v_3")

# %%
check.value(answer_limit, 0.1 * 2.0 / (1 - 0.8), name="limit")

# %% [markdown] tags=["solution"]
# 解答：$v_t = \eta g(1 - \gamma^t)/(1 - \gamma)$：$v_3 = 0.2\,(1 - 0.512)/0.2 = 0.488$，极限为 $\eta g/(1-\gamma) = 0.2/0.2 = 1$，是不带动量时一步 $\eta g = 0.2$ 的 5 倍，而且只能逐渐接近。
#
# Solution: $v_t = \eta g(1 - \gamma^t)/(1 - \gamma)$: $v_3 = 0.2\,(1 - 0.512)/0.2 = 0.488$, and the limit is
# $\eta g/(1-\gamma) = 0.2/0.2 = 1$, five times the plain step $\eta g = 0.2$, reached only gradually.

# %% [markdown]
# ## 3. Adagrad 的衰减 / Adagrad's decay
#
# 梯度恒为 $g = 4$（一维），`torch.optim.Adagrad` 的 $\eta = 0.1$，累加量的初值为 0，$\varepsilon$ 可以忽略。第 25 步的步长 $|\theta_{25} - \theta_{24}|$ 是多少？
#
# The gradient is always $g = 4$ (one dimension), `torch.optim.Adagrad` with $\eta = 0.1$, initial accumulator 0,
# $\varepsilon$ negligible. What is the length of step 25, $|\theta_{25} - \theta_{24}|$?

# %%
answer_step25 = 0.02  # SOLUTION

# %%
path = optim.run(optim.adagrad_step, lambda w: np.full_like(w, 4.0), [0.0], 25, lr=0.1)
check.value(answer_step25, abs(path[25, 0] - path[24, 0]), name="Adagrad step 25")

# %% [markdown] tags=["solution"]
# 解答：$s_{25} = 25 \cdot 4^2 = 400$，所以步长为 $\eta g/\sqrt{s_{25}} = 0.1 \cdot 4/20 = 0.02$，即 $\eta/\sqrt{25}$：$g$ 的大小被约掉了，只剩下 $1/\sqrt{t}$ 的衰减。
#
# Solution: $s_{25} = 25 \cdot 4^2 = 400$, so the step is $\eta g/\sqrt{s_{25}} = 0.1 \cdot 4/20 = 0.02$, i.e.
# $\eta/\sqrt{25}$: the size of $g$ cancels and only the $1/\sqrt{t}$ decay remains.

# %% [markdown]
# ## 4. Adam 的第一步 / Adam's first step by hand
#
# 参数 $\theta_0 = (1, 1)$，第一个梯度 $g_1 = (0.5, -2)$，Adam 的 $\eta = 0.001$，$\beta_1 = 0.9$，$\beta_2 = 0.999$，$\varepsilon = 10^{-8}$。手算带偏差修正的第一步，求出 $\theta_1$。
#
# Parameters $\theta_0 = (1, 1)$, first gradient $g_1 = (0.5, -2)$, Adam with $\eta = 0.001$, $\beta_1 = 0.9$,
# $\beta_2 = 0.999$, $\varepsilon = 10^{-8}$. Work out $\theta_1$ after the bias-corrected first step by hand.

# %%
answer_theta1 = (0.999, 1.001)  # SOLUTION

# %%
theta1, _ = optim.adam_step(np.array([1.0, 1.0]), np.array([0.5, -2.0]), None, lr=0.001)
check.value(answer_theta1, theta1, name="θ_1", rtol=1e-7)

# %% [markdown] tags=["solution"]
# 解答：$m_1 = 0.1\,g$，$v_1 = 0.001\,g^2$，$\hat m_1 = g$，$\hat v_1 = g^2$，所以这一步是 $\eta\,g/(|g| + \varepsilon) \approx \eta\,\mathrm{sign}(g) = (0.001, -0.001)$，$\theta_1 = (0.999, 1.001)$。如果不做偏差修正，这一步会大 $\sqrt{10}$ 倍，得到 $\theta_1 = (0.99684, 1.00316)$。
#
# Solution: $m_1 = 0.1\,g$, $v_1 = 0.001\,g^2$, $\hat m_1 = g$, $\hat v_1 = g^2$, so the step is
# $\eta\,g/(|g| + \varepsilon) \approx \eta\,\mathrm{sign}(g) = (0.001, -0.001)$ and $\theta_1 = (0.999, 1.001)$.
# Without the correction the step would have been $\sqrt{10}$ times larger, giving $\theta_1 = (0.99684, 1.00316)$.

# %% [markdown]
# ## 5. 哪个优化器先到？ / Which optimiser gets there first?
#
# 把山谷 $L = \frac12(x^2 + 50y^2)$ 旋转 45°（见下面的 `rotated_grad`），起点是 $(-3, 1)$ 旋转后的位置。下面四种设置中，哪一种最先把损失降到 $10^{-3}$ 以下？填 `"gd"`、`"momentum"`、`"rmsprop"` 或 `"adam"`，并想一想为什么。
#
# The valley $L = \frac12(x^2 + 50y^2)$ turned by 45° (see `rotated_grad` below), starting from the turned point
# $(-3, 1)$. Which of the four settings below first brings the loss below $10^{-3}$? Answer `"gd"`, `"momentum"`,
# `"rmsprop"` or `"adam"`, and think about why.

# %%
c45, s45 = np.cos(np.pi / 4), np.sin(np.pi / 4)
R = np.array([[c45, -s45], [s45, c45]])


def rotated_grad(theta):
    return R.T @ functions.bowl_grad(R @ theta, kappa=50.0)


settings = {
    "gd": (optim.sgd_step, {"lr": 0.038}),
    "momentum": (optim.sgd_step, {"lr": 0.01, "momentum": 0.9}),
    "rmsprop": (optim.rmsprop_step, {"lr": 0.03}),
    "adam": (optim.adam_step, {"lr": 0.1}),
}

answer_fastest = "momentum"  # SOLUTION

# %%
theta0 = R.T @ np.array([-3.0, 1.0])
first = {}
for key, (step_fn, hyper) in settings.items():
    losses = functions.bowl((optim.run(step_fn, rotated_grad, theta0, 400, **hyper) @ R.T).T, kappa=50.0)
    first[key] = int(np.flatnonzero(losses < 1e-3)[0])
check.choice(answer_fastest, min(first, key=first.get), options=list(settings), name="fastest")

# %% [markdown] tags=["solution"]
# 解答：动量（约 60 步；梯度下降约 110 步，Adam 约 240 步，RMSProp 约 300 步）。梯度下降和动量的表现与山谷的朝向无关。Adam 和 RMSProp 按每个**坐标**分别缩放步长；山谷沿对角线方向时，两个坐标上的梯度都很大，这种缩放无法把陡峭的方向和平坦的方向区分开。在正文中与坐标轴对齐的山谷上，它们的表现要好得多。
#
# Solution: momentum (about 60 steps; GD about 110, Adam about 240, RMSProp about 300). Gradient descent and
# momentum do not depend on the orientation of the valley. Adam and RMSProp rescale each **coordinate**; when the
# valley lies along a diagonal, both coordinates see large gradients and the rescaling cannot separate the steep
# direction from the flat one. On the axis-aligned valley of the chapter they did much better.

# %% [markdown]
# ## 6. 对还是错？ / True or false?
#
# “Adadelta 不需要学习率，所以 `torch.optim.Adadelta(params, lr=0.5)` 与 `lr=1.0` 走出的轨迹相同。”填 `True` 或 `False`。
#
# "Adadelta needs no learning rate, so `torch.optim.Adadelta(params, lr=0.5)` follows the same trajectory as `lr=1.0`."
# Answer `True` or `False`.

# %%
answer_adadelta = False  # SOLUTION

# %%
check.true_false(answer_adadelta, False, name="Adadelta lr")

# %% [markdown] tags=["solution"]
# 解答：错。Zeiler 的论文里没有学习率，但 PyTorch 会把每次更新量 $\Delta_t$ 乘以 `lr`（默认值 1.0 与论文一致）。取 0.5 时，第一步的长度正好减半，此后两条轨迹也就分开了。
#
# Solution: false. Zeiler's paper has no learning rate, but PyTorch multiplies each update $\Delta_t$ by `lr`
# (the default 1.0 reproduces the paper). With 0.5 the first step is exactly half as long, and from there on the
# two trajectories differ.
