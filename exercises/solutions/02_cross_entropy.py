# %% [markdown]
# # 练习 02 · 熵与交叉熵 / Exercises 02 · Entropy and cross-entropy
#
# 每道题：在标出的地方填写答案或代码，然后运行下面的检查单元格。
# For each exercise: fill in the answer or the code where marked, then run the check cell below it.
#
# - ✅ 正确 / Correct — 做对了 / well done
# - ❌ 不对 / Not quite — 看看提示再试 / read the hint and try again
# - ❌ 未完成 / not filled in yet — 还没有作答 / you have not answered yet
#
# 配套章节 / Chapter: `chapters/02_cross_entropy/zh.ipynb`, `en.ipynb`.

# %%
import mlcourse

mlcourse.setup(seed=0, lang="zh")

import math

import numpy as np

from mlcourse import check, info, losses

# %% [markdown]
# ## 1. 以比特为单位的熵 / Entropy in bits
#
# 一个随机变量取四个值，概率为 $p = (1/2, 1/4, 1/8, 1/8)$。不用 `info`，先在纸上算出它的熵（单位：比特），再把数字填进去。
#
# A random variable takes four values with probabilities $p = (1/2, 1/4, 1/8, 1/8)$. Without `info`, work out its
# entropy in bits on paper, then type in the number.

# %%
answer_bits = 1.75  # SOLUTION

# %%
check.value(answer_bits, info.entropy([0.5, 0.25, 0.125, 0.125], base=2), name="H(p) in bits")

# %% [markdown] tags=["solution"]
# 解答：$H = \frac12\cdot 1 + \frac14\cdot 2 + \frac18\cdot 3 + \frac18\cdot 3 = 1.75$ 比特（每个取值的概率乘以它的惊奇度 $-\log_2 p$，再求和）。
#
# Solution: $H = \frac12\cdot 1 + \frac14\cdot 2 + \frac18\cdot 3 + \frac18\cdot 3 = 1.75$ bits
# (each value's probability times its surprise $-\log_2 p$, summed).

# %% [markdown]
# ## 2. KL 不对称 / KL is not symmetric
#
# $p = (0.5, 0.5)$，$q = (0.9, 0.1)$。用自然对数计算 $D_{\mathrm{KL}}(p\Vert q)$ 和 $D_{\mathrm{KL}}(q\Vert p)$（单位：纳特）。可以用 `np.log`，不要用 `info`。
#
# $p = (0.5, 0.5)$, $q = (0.9, 0.1)$. Compute $D_{\mathrm{KL}}(p\Vert q)$ and $D_{\mathrm{KL}}(q\Vert p)$ in nats
# (natural log). You may use `np.log`, not `info`.

# %%
p = np.array([0.5, 0.5])
q = np.array([0.9, 0.1])

kl_pq = float(np.sum(p * np.log(p / q)))  # SOLUTION
kl_qp = float(np.sum(q * np.log(q / p)))  # SOLUTION

# %%
check.value(kl_pq, info.kl_divergence(p, q), name="KL(p‖q)")

# %%
check.value(kl_qp, info.kl_divergence(q, p), name="KL(q‖p)")

# %% [markdown]
# KL 散度是距离（度量）吗？填 `True` 或 `False`。
#
# Is the KL divergence a distance (a metric)? Answer `True` or `False`.

# %%
answer_kl_is_metric = False  # SOLUTION

# %%
check.true_false(answer_kl_is_metric, False, name="KL is a metric")

# %% [markdown] tags=["solution"]
# 解答：$D_{\mathrm{KL}}(p\Vert q) \approx 0.5108$ 纳特，$D_{\mathrm{KL}}(q\Vert p) \approx 0.3681$ 纳特。两者不相等，所以 KL 散度不对称，也就不是度量。
#
# Solution: $D_{\mathrm{KL}}(p\Vert q) \approx 0.5108$ and $D_{\mathrm{KL}}(q\Vert p) \approx 0.3681$ nats.
# They differ, so KL is not symmetric and not a metric.

# %% [markdown]
# ## 3. 独热目标的交叉熵 / Cross-entropy with a one-hot target
#
# 三个类别，模型输出 $q = (0.1, 0.7, 0.2)$，真实类别的下标是 $1$（从 0 开始数）。交叉熵是多少（单位：纳特）？
#
# Three classes, the model outputs $q = (0.1, 0.7, 0.2)$, and the true class has index $1$ (counting from 0). What
# is the cross-entropy in nats?

# %%
answer_ce = -math.log(0.7)  # SOLUTION

# %%
check.value(answer_ce, info.cross_entropy([0.0, 1.0, 0.0], [0.1, 0.7, 0.2]), name="H(y, q)")

# %% [markdown] tags=["solution"]
# 解答：求和中只剩下真实类别那一项：$-\ln 0.7 \approx 0.3567$ 纳特。
#
# Solution: only the true class's term survives: $-\ln 0.7 \approx 0.3567$ nats.

# %% [markdown]
# ## 4. 预测梯度 / Predict the gradient
#
# 一封垃圾邮件（$y = 1$）的 logit 是 $z = 0$。单个样本的二元交叉熵 $\ell$ 对 $z$ 的导数 $\partial\ell/\partial z$ 是多少？
#
# A spam email ($y = 1$) has logit $z = 0$. What is the derivative $\partial\ell/\partial z$ of its binary
# cross-entropy $\ell$ (one sample)?

# %%
answer_grad = -0.5  # SOLUTION

# %%
check.value(answer_grad, losses.binary_cross_entropy_with_logits_grad([0.0], [1.0])[0], name="dℓ/dz")

# %% [markdown] tags=["solution"]
# 解答：$\partial\ell/\partial z = \sigma(z) - y = \sigma(0) - 1 = 0.5 - 1 = -0.5$。导数为负，所以增大 $z$ 会使损失下降。
#
# Solution: $\partial\ell/\partial z = \sigma(z) - y = \sigma(0) - 1 = 0.5 - 1 = -0.5$. The derivative is negative,
# so increasing $z$ lowers the loss.

# %% [markdown]
# ## 5. 稳定的二元交叉熵 / A stable binary cross-entropy
#
# 从 logits 出发实现平均二元交叉熵：$L = \frac1N\sum_i \big[\max(z_i, 0) - z_i y_i + \log(1 + e^{-|z_i|})\big]$。即使 $z = \pm 800$，也必须给出有限的正确值（提示：`np.log1p`、`np.abs`、`np.maximum`）。
#
# Implement the mean binary cross-entropy from logits,
# $L = \frac1N\sum_i \big[\max(z_i, 0) - z_i y_i + \log(1 + e^{-|z_i|})\big]$. It must give finite, correct values
# even for $z = \pm 800$ (hints: `np.log1p`, `np.abs`, `np.maximum`).

# %%
def my_bce_with_logits(z, y):
    z = np.asarray(z, dtype=float)
    y = np.asarray(y, dtype=float)
    # BEGIN SOLUTION
    return float(np.mean(np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))))
    # END SOLUTION


# %%
rng = np.random.default_rng(2)
cases = [
    (np.array([0.3, -1.2, 2.0]), np.array([1.0, 0.0, 1.0])),
    (np.array([800.0, -800.0, 40.0]), np.array([0.0, 1.0, 1.0])),
    (rng.normal(scale=5, size=10), rng.integers(0, 2, size=10).astype(float)),
]
check.function(my_bce_with_logits, losses.binary_cross_entropy_with_logits, cases, name="bce_with_logits")
