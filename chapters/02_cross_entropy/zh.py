# %% [markdown]
# # 02 · 熵、交叉熵与 KL 散度
#
# 分类器 (classifier) 输出的不是一个数，而是**每个类别的概率**。要训练它，就需要一个比较两个概率分布的损失
# (loss)：一个是数据里的分布，一个是模型相信的分布。信息论 (information theory) 正好提供了这样的工具。本章你将会：
#
# - 以比特 (bit) 和纳特 (nat) 为单位，度量单个事件带来的信息量 (information content)，也叫惊奇度
#   (surprise)；
# - 把熵 (entropy) 定义为平均信息量，并画出一枚硬币的熵；
# - 定义交叉熵 (cross-entropy) 和 KL 散度 (KL divergence)，用 SymPy 证明 $\mathrm{KL} = H(p, q) - H(p)$，并理解为什么最小化交叉熵就是最小化 KL；
# - 用数字和图看清：两者都不是距离；
# - 在独热 (one-hot) 目标下把交叉熵化简为 $-\log q_c$，并与最大似然 (maximum likelihood) 联系起来；
# - 处理二分类 (binary classification)：sigmoid 函数、二元交叉熵 (binary cross-entropy)、它的梯度 (gradient)
#   $\sigma(z) - y$，以及为什么代码里必须用稳定的“logits”形式。
#
# 下面的每一个数字都由旁边的代码算出。

# %%
import mlcourse

mlcourse.setup(seed=0, lang="zh")

import math

import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
import torch
import torch.nn.functional as F

from mlcourse import info, losses, plot, symbolic
from mlcourse.gradcheck import numerical_grad, rel_error
from mlcourse.layers import sigmoid

# %% [markdown]
# ## 1. 信息量：一个事件带来多少信息
#
# 一个概率为 $p$ 的事件，越出乎意料，告诉我们的就越多。它的**信息量** (information content)，也叫**惊奇度** (surprise)，定义为
# $$I(p) = -\log p = \log\frac{1}{p}.$$
# 它恰好具有我们想要的性质：
#
# - 必然事件（$p = 1$）不带来任何信息：$I(1) = 0$；
# - 事件越罕见，$I$ 越大；不可能事件若发生了，信息量为无穷大；
# - 两个独立事件同时发生时，概率相乘，信息量相加：$-\log(p_1 p_2) = -\log p_1 - \log p_2$。
#
# 对数的底只决定单位：用 $\log_2$ 时单位是**比特** (bit)，用自然对数 $\ln$ 时单位是**纳特** (nat)。机器学习的代码默认用 $\ln$（纳特），除非特别说明。

# %%
p_events = np.array([1.0, 0.5, 0.25, 0.125, 0.01])
for p_event, bits in zip(p_events, info.surprise(p_events, base=2), strict=True):
    print(f"p = {p_event:<6} 信息量 = {bits:.4f} 比特 = {info.surprise(p_event):.4f} 纳特")
print("两枚独立的均匀硬币都正面朝上（p = 1/4）：", info.surprise(0.25, base=2), "比特 =",
      info.surprise(0.5, base=2), "+", info.surprise(0.5, base=2))

# %% [markdown]
# 抛一次均匀硬币的结果恰好值 1 比特：一个“是/否”回答。单位换算：$\ln p = \ln 2 \cdot \log_2 p$，所以
# $$1\ \text{纳特} = \frac{1}{\ln 2}\ \text{比特} \approx 1.4427\ \text{比特}.$$

# %%
print(f"1 纳特 = 1/ln 2 = {1 / math.log(2):.4f} 比特")
print(f"p = 0.01 的信息量：{info.surprise(0.01):.4f} 纳特 × {1 / math.log(2):.4f} = "
      f"{info.surprise(0.01) / math.log(2):.4f} 比特")

p_grid = np.linspace(0.005, 1, 400)
plot.lines(p_grid, {"−log₂ p（比特）": info.surprise(p_grid, base=2), "−ln p（纳特）": info.surprise(p_grid)},
           xlabel="事件的概率 p", ylabel="信息量", title="越罕见的事件带来越多信息")
plt.show()

# %% [markdown]
# ## 2. 熵：平均信息量
#
# 一个分布为 $p = (p_1, \dots, p_K)$ 的随机变量以概率 $p_k$ 取到结果 $k$，此时带给我们的信息量是 $-\log p_k$。**熵** (entropy) 就是信息量的期望 (expected value)：
# $$H(p) = \sum_{k=1}^{K} p_k\,(-\log p_k) = -\sum_{k=1}^{K} p_k \log p_k .$$
# 概率 $p_k = 0$ 的结果从不出现，不应有贡献：约定 $0 \cdot \log 0 = 0$，这正是 $p \to 0^+$ 时 $p \log p$ 的极限（下面由 SymPy 确认）。熵衡量平均的不确定性：结果确定时为 $0$；$K$ 个结果等可能时最大，为 $\log K$。

# %%
b, h_coin = symbolic.binary_entropy()
print("lim_{p→0+} p·ln p =", sp.limit(b * sp.log(b), b, 0, "+"))
examples = {
    "均匀硬币 (1/2, 1/2)": [0.5, 0.5],
    "不均匀硬币 (0.9, 0.1)": [0.9, 0.1],
    "确定的结果 (1, 0)": [1.0, 0.0],
    "均匀骰子 (6 × 1/6)": np.full(6, 1 / 6),
    "(1/2, 1/4, 1/8, 1/8)": [0.5, 0.25, 0.125, 0.125],
}
for name, dist in examples.items():
    print(f"{name:<20} H = {info.entropy(dist, base=2):.4f} 比特 = {info.entropy(dist):.4f} 纳特")
print(f"log₂ 6 = {math.log2(6):.4f}：均匀分布的熵最大")

# %% [markdown]
# 这个数有具体的含义：逐个给 $p$ 的结果编码时，平均每个结果至少要用 $H(p)$ 比特。对 $p = (1/2, 1/4, 1/8, 1/8)$，前缀码 (prefix code) `0`、`10`、`110`、`111`（常见的结果用短码字）恰好达到这个下界：

# %%
p_four = np.array([0.5, 0.25, 0.125, 0.125])
codewords = ["0", "10", "110", "111"]
lengths = np.array([len(w) for w in codewords])
print("平均码长：", p_four @ lengths, "比特；熵：", info.entropy(p_four, base=2), "比特")

# %% [markdown]
# ### 一枚硬币的熵
#
# 正面朝上概率为 $b$ 的硬币，熵为 $H(b) = -b \log b - (1 - b)\log(1 - b)$。SymPy 求出导数为零的点以及那里的熵：

# %%
b_star, h_star = symbolic.binary_entropy_maximum()
print("dH/db =", sp.simplify(sp.diff(h_coin, b)))
print("最大值在 b =", b_star, " H =", h_star, "纳特 =", sp.simplify(h_star / sp.log(2)), "比特")

bias = np.linspace(0, 1, 501)
coin_bits = info.entropy(np.stack([bias, 1 - bias], axis=1), base=2)
ax = plot.lines(bias, {"H(b)": coin_bits}, xlabel="正面朝上的概率 b", ylabel="熵（比特）",
                title="一枚硬币的熵")
ax.axvline(0.5, color="0.4", linestyle=":", linewidth=1)
plt.show()

# %% [markdown]
# 均匀硬币最难预测（1 比特）；总是正面朝上的硬币熵为 $0$。曲线左右对称：交换两个结果的名字不改变不确定性。

# %% [markdown]
# ## 3. 交叉熵
#
# 现在数据来自分布 $p$，而我们**相信**的是另一个分布 $q$（一个模型）。结果 $k$ 出现时，按我们相信的分布，它的信息量是 $-\log q_k$，而结果 $k$ 以概率 $p_k$ 出现。平均信息量就是**交叉熵** (cross-entropy)
# $$H(p, q) = -\sum_{k=1}^{K} p_k \log q_k .$$
# 它是对所有类别求和：（真实概率）×（模型概率的对数）。写成向量就是一个**内积** (inner product)：$H(p, q) = -\,p \cdot \log q$，而不是单个乘积“$-y \times \log \hat y$”。从编码的角度看，$H(p, q)$ 是用为 $q$ 设计的编码去编码来自 $p$ 的数据时的平均码长。
#
# 例子：明天的天气（晴、多云、雨）服从 $p = (0.7, 0.2, 0.1)$，而一位预报员相信 $q = (0.5, 0.3, 0.2)$。

# %%
p_weather = np.array([0.7, 0.2, 0.1])
q_weather = np.array([0.5, 0.3, 0.2])
print(f"H(p)    = {info.entropy(p_weather):.4f} 纳特")
print(f"H(p, q) = {info.cross_entropy(p_weather, q_weather):.4f} 纳特")
print(f"−p · log q = {-(p_weather @ np.log(q_weather)):.4f} 纳特（同一个内积）")
print(f"H(p, p) = {info.cross_entropy(p_weather, p_weather):.4f} 纳特 = H(p)")

# %% [markdown]
# 相信 $q$ 的预报员平均来说比知道 $p$ 的人更容易感到意外：$H(p, q) > H(p)$。两者之差就是错误信念的代价。

# %% [markdown]
# ## 4. KL 散度
#
# **KL 散度** (Kullback–Leibler divergence) 正是这个代价：
# $$D_{\mathrm{KL}}(p\,\Vert\,q) = \sum_k p_k \log\frac{p_k}{q_k}
#   = \underbrace{-\sum_k p_k \log q_k}_{H(p, q)} - \underbrace{\Big(-\sum_k p_k \log p_k\Big)}_{H(p)} .$$
# 注意第二项的符号：$\mathbb{E}_{p}[\log p] = \sum_k p_k \log p_k = -H(p)$，所以
# $D_{\mathrm{KL}}(p\Vert q) = \mathbb{E}_p[\log p - \log q] = H(p, q) - H(p)$。SymPy 对任意结果个数 $K$
# （$K$ 是一个符号，而不是某个固定的数）验证这个恒等式：

# %%
kl, cross, ent = symbolic.kl_entropy_terms()
print("KL − (H(p,q) − H(p)) 化简为", sp.simplify(kl - (cross - ent)))
kl

# %% [markdown]
# KL 之所以有用，靠的是两个事实：
#
# - **吉布斯不等式** (Gibbs' inequality)：$D_{\mathrm{KL}}(p\Vert q) \ge 0$，当且仅当 $q = p$ 时取等号。因此
#   $H(p, q) \ge H(p)$。
# - 这里 $p$ 是**给定的**数据分布：训练时它固定不变（“固定”仅此而已；$p$ 并不需要是把全部概率放在一个结果上的确定性分布）。所以 $H(p)$ 是常数，并且
#   $$\arg\min_q H(p, q) = \arg\min_q \big[H(p) + D_{\mathrm{KL}}(p\Vert q)\big] = \arg\min_q D_{\mathrm{KL}}(p\Vert q) = p.$$
#   最小化交叉熵**就是**最小化 KL：两个损失只差一个常数，对 $q$ 的梯度相同。
#
# 在 10 000 对随机分布上用 float64 检查这两个事实，再让 SymPy 求两个结果时的最小值点：

# %%
rng = np.random.default_rng(0)
P = rng.dirichlet(np.ones(4), size=10_000)
Q = rng.dirichlet(np.ones(4), size=10_000)
kl_pq = info.kl_divergence(P, Q)
print("10 000 对分布的 KL 全都 ≥ 0：", bool((kl_pq >= 0).all()))
print("每一对都满足 KL = H(p,q) − H(p)：", np.allclose(kl_pq, info.cross_entropy(P, Q) - info.entropy(P)))
print("对所有 p，KL(p‖p) = 0：", bool((info.kl_divergence(P, P) == 0).all()))
q_solutions, second = symbolic.coin_cross_entropy_minimiser()
print("∂H(p,q)/∂q = 0 的解 q =", q_solutions, "；∂²H/∂q² =", second, "在 (0, 1) 上 > 0")

# %% [markdown]
# ### 两者都不是距离
#
# 距离 $d$ 必须满足 $d(p, p) = 0$ 和 $d(p, q) = d(q, p)$。交叉熵不满足第一条：$H(p, p) = H(p)$，只有结果确定时才为 $0$。KL 满足第一条，但不满足第二条：它**不对称**（也不满足三角不等式 (triangle inequality)）。所以 KL 叫“散度”
# (divergence)：它衡量用 $q$ 代替 $p$ 有多糟，而不是两个分布在对称意义上有多“相似”。

# %%
p_fair, q_bent = np.array([0.5, 0.5]), np.array([0.9, 0.1])
print(f"KL(p‖q) = {info.kl_divergence(p_fair, q_bent):.4f} 纳特，KL(q‖p) = {info.kl_divergence(q_bent, p_fair):.4f} 纳特")
print(f"H(p, q) = {info.cross_entropy(p_fair, q_bent):.4f}，H(q, p) = {info.cross_entropy(q_bent, p_fair):.4f}，"
      f"H(p, p) = {info.cross_entropy(p_fair, p_fair):.4f}")

# %% [markdown]
# 下图固定数据分布为正面概率 $0.3$ 的硬币，让模型硬币 $q_\theta = (\theta, 1 - \theta)$ 变化：

# %%
theta = np.linspace(0.01, 0.99, 197)
p_coin = np.array([0.3, 0.7])
Q_theta = np.stack([theta, 1 - theta], axis=1)
P_coin = np.broadcast_to(p_coin, Q_theta.shape)
curves = {
    "H(p, q_θ)": info.cross_entropy(P_coin, Q_theta),
    "KL(p ‖ q_θ)": info.kl_divergence(P_coin, Q_theta),
    "KL(q_θ ‖ p)": info.kl_divergence(Q_theta, P_coin),
}
ax = plot.lines(theta, curves, reference=info.entropy(p_coin), reference_label="H(p)",
                xlabel="模型的正面概率 θ", ylabel="纳特", title="数据硬币 p = (0.3, 0.7)，模型 q_θ")
ax.axvline(0.3, color="0.4", linestyle=":", linewidth=1)
ax.set_ylim(0, 2.5)
plt.show()
print(f"H(p, q_θ) 的最小值在 θ = {theta[np.argmin(curves['H(p, q_θ)'])]:.2f}，最小值 {curves['H(p, q_θ)'].min():.4f}"
      f" = H(p) = {info.entropy(p_coin):.4f}")

# %% [markdown]
# - $H(p, q_\theta)$ 和 $D_{\mathrm{KL}}(p\Vert q_\theta)$ 是同一条曲线平移了常数 $H(p)$；两者都在 $\theta = 0.3$
#   处最小，但交叉熵的最小值是 $H(p) \approx 0.61$，不是 $0$。
# - $D_{\mathrm{KL}}(p\Vert q_\theta)$ 与 $D_{\mathrm{KL}}(q_\theta\Vert p)$ 是两条不同的曲线：交换两个参数，值就变了。

# %% [markdown]
# ## 5. 独热目标与最大似然
#
# 在分类问题里，一个样本的“真实分布”通常是**独热**的：它所属的类别 $c$ 概率为 1，其余类别为 0，记作 $y = e_c$。这时 $H(y) = 0$，交叉熵与 KL 相等，求和中只剩下一项：
# $$H(y, q) = -\sum_k y_k \log q_k = -\log q_c .$$
# 损失就是按模型计算的、正确类别的信息量。代码里类别从 $0$ 开始编号，所以三个类别中的第一个下标为 $0$。模型输出 $q = (0.34, 0.46, 0.20)$，真实类别下标为 $0$：

# %%
q_model = np.array([0.34, 0.46, 0.20])
y_onehot = np.array([1.0, 0.0, 0.0])  # 类别下标 0
print(f"H(y, q) = {info.cross_entropy(y_onehot, q_model):.5f}")
print(f"KL(y‖q) = {info.kl_divergence(y_onehot, q_model):.5f}")
print(f"−ln q_0 = {-math.log(q_model[0]):.5f}")

# %% [markdown]
# **最大似然。** 对类别为 $c_1, \dots, c_N$ 的 $N$ 个独立样本，模型赋予整个训练集的概率称为**似然**
# (likelihood)，即 $\prod_n q_{n, c_n}$。最大化它等价于最小化
# $$-\frac1N \log \prod_{n} q_{n,c_n} = \frac1N \sum_n \big(-\log q_{n, c_n}\big),$$
# 也就是平均交叉熵。用对数之和来算不只是为了方便：乘积本身会下溢 (underflow)。

# %%
rng = np.random.default_rng(1)
q_correct = rng.uniform(0.3, 0.9, size=2000)  # 每个样本上模型给正确类别的概率
mean_ce = np.mean(-np.log(q_correct))
print(f"平均交叉熵：{mean_ce:.4f} 纳特")
print(f"前 10 个样本的似然：{np.prod(q_correct[:10]):.6f} = exp(−10 · 这 10 个样本的平均交叉熵) ="
      f" {np.exp(-10 * np.mean(-np.log(q_correct[:10]))):.6f}")
print("全部 2000 个样本的似然，按 float64 连乘：", np.prod(q_correct))
print(f"它的对数，用对数之和计算：{np.sum(np.log(q_correct)):.2f}")

# %% [markdown]
# ## 6. 二分类：sigmoid 与二元交叉熵
#
# 一个垃圾邮件过滤器读入一封邮件，算出一个分数 $z$，即 **logit**。**sigmoid** 函数把它变成概率：
# $$\hat y = \sigma(z) = \frac{1}{1 + e^{-z}} = P(\text{垃圾邮件}\mid\text{邮件}) \in (0, 1).$$
# 垃圾邮件的目标值 $y = 1$，正常邮件 $y = 0$。两个类别的顺序定下来就不要再变：（垃圾邮件，正常邮件）。于是真实分布是 $(y,\ 1 - y)$，模型的分布是 $(\hat y,\ 1 - \hat y)$，它们的交叉熵就是**二元交叉熵** (binary cross-entropy)
# $$\ell(\hat y, y) = -\big[y \log \hat y + (1 - y)\log(1 - \hat y)\big],\qquad
#   L = \frac1N \sum_{n=1}^{N} \ell(\hat y_n, y_n).$$
# 对每个样本，两项中只有一项不为零。
#
# 三封邮件的 logits 为 $z = (0.3, -1.2, 2)$，第一封和最后一封是垃圾邮件：

# %%
z = np.array([0.3, -1.2, 2.0])
y = np.array([1.0, 0.0, 1.0])
y_hat = sigmoid(z)
per_sample = -(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat))
print("P(垃圾邮件) = σ(z)：", y_hat)
print("每个样本的损失：   ", per_sample)
two_class_rows = np.stack([y, 1 - y], axis=1), np.stack([y_hat, 1 - y_hat], axis=1)
print("看作两类分布的交叉熵：", info.cross_entropy(*two_class_rows))
print(f"手算平均：                             {per_sample.mean():.6f}")
print(f"losses.binary_cross_entropy(σ(z), y)： {losses.binary_cross_entropy(y_hat, y):.6f}")
print(f"losses.binary_cross_entropy_with_logits(z, y)：{losses.binary_cross_entropy_with_logits(z, y):.6f}")
z_t, y_t = torch.tensor(z, dtype=torch.float64), torch.tensor(y, dtype=torch.float64)
print(f"torch F.binary_cross_entropy：            {F.binary_cross_entropy(torch.sigmoid(z_t), y_t).item():.6f}")
print(f"torch F.binary_cross_entropy_with_logits：{F.binary_cross_entropy_with_logits(z_t, y_t).item():.6f}")

# %% [markdown]
# 一封邮件的损失怎样随它的 logit 变化？对垃圾邮件（$y = 1$），损失是 $-\log\sigma(z)$：$z$ 是绝对值很大的负数时（很自信地判错）损失很大，$z$ 很大时损失很小。正常邮件的曲线与它左右对称。

# %%
z_grid = np.linspace(-6, 6, 241)
loss_spam = [losses.binary_cross_entropy_with_logits([v], [1.0]) for v in z_grid]
loss_ham = [losses.binary_cross_entropy_with_logits([v], [0.0]) for v in z_grid]
plot.lines(z_grid, {"y = 1（垃圾邮件）：−ln σ(z)": loss_spam, "y = 0（正常邮件）：−ln(1 − σ(z))": loss_ham},
           xlabel="logit z", ylabel="损失（纳特）", title="一封邮件的二元交叉熵")
plt.show()

# %% [markdown]
# ### 梯度：$\partial \ell / \partial z = \sigma(z) - y$
#
# 记 $s = \sigma(z)$。由链式法则 (chain rule)，$\dfrac{\partial \ell}{\partial z} = \dfrac{\partial \ell}{\partial s}
# \cdot \dfrac{\partial s}{\partial z}$。SymPy 算出第一个因子，验证 sigmoid 的导数是 $s(1 - s)$，再把两者相乘：

# %%
s, dl_ds, ds_dz, dl_dz = symbolic.bce_chain_rule()
print("∂ℓ/∂s =", dl_ds)
print("∂s/∂z − s(1 − s) 化简为", symbolic.sigmoid_derivative_residual(), "，所以 ∂s/∂z =", ds_dz)
print("∂ℓ/∂z = (∂ℓ/∂s)(∂s/∂z) =", dl_dz)

# %% [markdown]
# 因子 $\frac1s$ 和 $\frac1{1-s}$ 与 $s(1-s)$ 正好约掉。SymPy 也可以直接对整个损失关于 $z$ 求导；结果减去
# $\sigma(z) - y$ 化简为 $0$：

# %%
z_s, y_s, sigma_s, loss_s = symbolic.sigmoid_bce_symbols()
grad_s = symbolic.bce_logit_gradient()
print("dℓ/dz =", grad_s)
print("dℓ/dz − (σ(z) − y) =", sp.simplify(grad_s - (sigma_s - y_s)))

# %% [markdown]
# 梯度就是“预测减目标”，永远在 $-1$ 与 $1$ 之间。对 $N$ 个样本的平均损失 $L$，每个梯度再除以 $N$。在三封邮件上核对：SymPy 公式、`mlcourse`（乘以 $N$ 得到单个样本的值）、PyTorch 自动求导 (autograd) 和有限差分
# (finite difference)，全部使用 float64。

# %%
sympy_grad = np.array([float(grad_s.subs({z_s: a, y_s: t})) for a, t in zip(z, y, strict=True)])
ours = losses.binary_cross_entropy_with_logits_grad(z, y)
z_req = torch.tensor(z, dtype=torch.float64, requires_grad=True)
F.binary_cross_entropy_with_logits(z_req, y_t).backward()
print("每个样本的 σ(z) − y（SymPy）：", np.round(sympy_grad, 6))
print("N · mlcourse 梯度：          ", np.round(z.size * ours, 6))
print("N · torch 自动求导：         ", np.round(z.size * z_req.grad.numpy(), 6))
print("与 torch 一致：  ", rel_error(ours, z_req.grad.numpy()) < 1e-12)
print("与有限差分一致：", rel_error(ours, numerical_grad(
    lambda v: losses.binary_cross_entropy_with_logits(v, y), z)) < 1e-8)

# %% [markdown]
# ## 7. 为什么代码需要稳定的形式
#
# 在数学上 $\sigma(z)$ 永远不会恰好等于 $0$ 或 $1$，所以对任何有限的 $z$ 损失都是正的，只有当 $z \to \pm\infty$
# 时才趋于 $0$。但在 float64 中，一旦 $z$ 大于 37 左右，$1 + e^{-z}$ 就会舍入成 $1$，$\sigma(z)$ 恰好变成 `1.0`。这时 $\log(1 - \hat y) = \log 0 = -\infty$，对垃圾邮件（$y = 1$）公式要计算 $0 \cdot (-\infty)$，而在 IEEE 浮点运算中它是 `nan`。

# %%
print("float64 中 σ(40) == 1.0：", sigmoid(40.0) == 1.0, "  1 − σ(40) =", 1 - sigmoid(40.0))
with np.errstate(divide="ignore", invalid="ignore"):  # 这个单元格要展示的正是这些警告所说的情况
    y_hat_40 = sigmoid(np.array([40.0]))
    naive = -(1.0 * np.log(y_hat_40) + (1 - 1.0) * np.log(1 - y_hat_40))
print("朴素公式，z = 40，y = 1：", naive)

# %% [markdown]
# 解决办法是根本不去算 $\hat y$。利用 $\log\sigma(z) = -\log(1 + e^{-z})$ 和
# $\log(1 - \sigma(z)) = -z - \log(1 + e^{-z})$，损失变成 $z - zy + \log(1 + e^{-z})$；再改写成指数永远不为正的样子，就得到**稳定形式** (stable form)
# $$\ell(z, y) = \max(z, 0) - z\,y + \log\big(1 + e^{-|z|}\big).$$
# SymPy 确认它在 $0$ 的两侧都与定义相等（$z > 0$ 与 $z < 0$ 时的残差）：

# %%
symbolic.bce_stable_form_residuals()

# %% [markdown]
# 在极端的 logits 上比较几种算法。`naive`（朴素）先算 $\hat y = \sigma(z)$ 再取对数；`clamped`（截断）是
# `losses.binary_cross_entropy`，它与 `F.binary_cross_entropy` 一样把每个对数截断在 $-100$，从而永远不返回 `inf`
# 或 `nan`；`stable`（稳定）是 `losses.binary_cross_entropy_with_logits`。

# %%
print(f"{'z':>6} {'y':>3} {'naive':>10} {'clamped':>10} {'stable':>12} {'torch logits':>13}")
for z_value, y_value in [(40.0, 1.0), (40.0, 0.0), (800.0, 0.0), (-800.0, 1.0), (5.0, 1.0), (-5.0, 0.0)]:
    with np.errstate(divide="ignore", invalid="ignore"):
        p_value = sigmoid(z_value)
        naive_value = -(y_value * np.log(p_value) + (1 - y_value) * np.log(1 - p_value)) + 0.0
    clamped = losses.binary_cross_entropy([p_value], [y_value])
    stable = losses.binary_cross_entropy_with_logits([z_value], [y_value])
    torch_value = F.binary_cross_entropy_with_logits(torch.tensor([z_value], dtype=torch.float64),
                                                     torch.tensor([y_value], dtype=torch.float64)).item()
    print(f"{z_value:>6.0f} {y_value:>3.0f} {naive_value:>10.4g} {clamped:>10.4g} {stable:>12.6g} {torch_value:>13.6g}")

# %% [markdown]
# - 朴素公式返回 `nan`（来自 $0 \cdot \log 0$）或 `inf`。
# - 截断避免了这两种情况，但一旦 $\sigma(z)$ 舍入成 $0$ 或 $1$，错误的预测就一律被罚 $100$，与真实损失无关：
#   $z = 40$ 时罚 $100$ 而不是 $40$，$z = 800$ 时罚 $100$ 而不是 $800$。梯度也不对。
# - 稳定形式处处精确；`F.binary_cross_entropy_with_logits` 和 `nn.BCEWithLogitsLoss` 算的就是它。给这类损失传入
#   **logits**，而不是概率。

# %% [markdown]
# ## 8. 常见误区
#
# - **“交叉熵刻画了两个概率分布之间的距离。”** 它不是距离：一般 $H(p, q) \ne H(q, p)$，而且
#   $H(p, p) = H(p) \ne 0$。对 $q$ 而言它在 $q = p$ 处最小；当 $p$ 是独热分布时，它等于 $D_{\mathrm{KL}}(p\Vert q)$
#   （第 4、5 节）。
# - **“交叉熵 $= -y \times \log \hat y$。”** 它是对类别的求和，即内积：
#   $-\sum_k y_k \log \hat y_k = -\,y\cdot\log\hat y$（第 3 节）。
# - **“KL 衡量两个分布的相似度。”** KL 衡量的是散度：只有两个分布相等时为 $0$，$q$ 越不能代替 $p$ 它越大；它不对称，也不是度量 (metric)（第 4 节）。
# - **“$p$ 是一个确定性的概率分布。”** 在 $D_{\mathrm{KL}}(p\Vert q)$ 里，数据分布 $p$ 是*固定的*（给定的，不参与训练），并不需要把全部概率放在一个结果上。
# - **“$\mathbb{E}_p[\log p(x)]$ 就是熵。”** 它是 $-H(p)$。因此 $D_{\mathrm{KL}}(p\Vert q) = H(p, q) - H(p)$
#   （第 4 节）。
# - **二分类目标的写法前后不一致。** 两个类别选定一个顺序后就保持不变：按（垃圾邮件，正常邮件）的顺序，目标是
#   $(y, 1-y)$，预测是 $(\hat y, 1-\hat y)$，其中 $\hat y = P(y = 1)$（第 6 节）。
# - **“$\hat y$ 完全等于 $y$ 时损失为 0。”** sigmoid 永远不会输出恰好的 $0$ 或 $1$，所以损失总是正的，只是趋于
#   $0$。而在浮点数里 $\sigma(z)$ 确实会舍入成 $1$，朴素公式随之算出 $0\cdot\log 0 =$ `nan`；应使用 logits 形式（第 7 节）。
#
# ## 小结
#
# - 信息量 $-\log p$；熵 $H(p) = -\sum p_k\log p_k$ 是平均信息量，单位是比特（$\log_2$）或纳特（$\ln$，
#   1 纳特 ≈ 1.4427 比特）；一枚硬币的熵最多 1 比特，在 $b = 1/2$ 时取到。
# - 交叉熵 $H(p, q) = -\sum_k p_k \log q_k$；$D_{\mathrm{KL}}(p\Vert q) = H(p, q) - H(p) \ge 0$，当且仅当 $q = p$
#   时为零。对 $q$ 最小化两者是一回事；两者都不是距离。
# - 目标为独热向量时，损失是 $-\log q_c$，它的平均就是每个样本的负对数似然 (negative log-likelihood)。
# - sigmoid 加二元交叉熵对 logit 的梯度是 $\sigma(z) - y$；计算时使用稳定形式 $\max(z,0) - zy + \log(1 + e^{-|z|})$。
#
# **练习：** 打开 `exercises/02_cross_entropy.ipynb`。
