# %% [markdown]
# # 03 · softmax 回归
#
# 第 02 章给出了比较两个概率分布的损失 (loss)。现在我们搭建能输出概率分布的最简单的模型：**softmax 回归**
# (softmax regression)，即一个全连接层 (fully connected layer) 后面接 softmax。本章你将会：
#
# - 用整数和独热向量 (one-hot vector) 两种方式编码类别标签，并且前后一致；
# - 为 2×2 的灰度小图（4 个特征、3 个类别）写出模型，并数清它的参数；
# - 定义 softmax，稳定地实现它，并把模型向量化 (vectorise) 到一个小批量 (minibatch) 上：$O = XW + b$；
# - 从似然 (likelihood) 推出损失，再一步一步推出梯度 (gradient) $\partial l/\partial o_j = \hat y_j - y_j$，每一步都由 SymPy 对一般的类别数 $q$ 验证；
# - 在手写数字上用 numpy 从零训练模型，再用 PyTorch 训练，并确认两者算出的梯度相同；
# - 弄清这个模型在什么意义上是“线性”的：决策边界 (decision boundary) 是线性的，概率不是。
#
# 下面的每一个数字都由旁边的代码算出。

# %%
import mlcourse

mlcourse.setup(seed=0, lang="zh")

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
# ## 1. 分类：硬分类与软分类
#
# 回归回答“多少”，分类 (classification) 回答“哪一个”。分类有两种形式：
#
# - **硬分类** (hard classification)：输出一个类别；
# - **软分类** (soft classification)：输出每个类别的概率。
#
# 两者的界限很模糊：即使只要硬答案，我们通常也训练一个软模型，再取概率最大的类别。
#
# **标签。** 贯穿本章的例子有三个类别：猫、鸡、狗。标签可以写成
#
# - 一个**整数** $y \in \{0, 1, 2\}$（代码里类别从 0 开始编号），或者
# - 一个**独热向量** (one-hot vector)，在该类别的位置上为 1：猫 $= (1, 0, 0)$，鸡 $= (0, 1, 0)$，狗 $= (0, 0, 1)$。
#
# 两种编码必须一致：独热向量中 1 所在的下标就是整数标签。这些整数只是名字，“猫 < 鸡”没有任何意义，下面的损失也从不把它们当作数值使用。

# %%
class_names = ["猫", "鸡", "狗"]  # 标签 0、1、2
y_int = np.array([2, 0, 1, 0])
Y = softmax.one_hot(y_int, 3)
for label, row in zip(y_int, Y, strict=True):
    print(f"{class_names[label]}  整数标签 {label}   独热向量 {row}")
print("对每个独热行取 argmax，就得回整数标签：", Y.argmax(axis=1))

# %% [markdown]
# ## 2. 处理 2×2 图像的网络
#
# 每个输入是一张 2×2 的灰度图。按行读出它的像素，得到四个特征 $x_1, x_2, x_3, x_4$（灰度值在 $[0, 1]$ 中）。
# `data.toy_images` 围绕每个类别的一个原型图生成带噪声的图像：

# %%
X_toy, y_toy, images_toy = data.toy_images(n_per_class=20, seed=0)
print("X：", X_toy.shape, " y：", y_toy.shape, " images：", images_toy.shape, " 前 8 个标签：", y_toy[:8])

fig, axes = plt.subplots(1, 6, figsize=(12, 2.6))
pixel_names = ["x₁", "x₂", "x₃", "x₄"]
for k in range(3):
    plot.pixels(data.TOY_PROTOTYPES[k], names=pixel_names, ax=axes[k], title=f"{class_names[k]}（原型）")
    first = np.flatnonzero(y_toy == k)[0]
    plot.pixels(images_toy[first], ax=axes[3 + k], title=f"{class_names[k]}（样本 {first}）")
plt.show()

# %% [markdown]
# 我们希望每个类别得到一个分数。最简单的做法是对每个类别取特征的一个**仿射函数** (affine function)，称为
# **logit** $o$（未归一化的得分）。公式中分量从 1 编号，代码中从 0 编号，所以 $o_1$ 就是 `o[0]`，即猫的 logit：
# $$\begin{aligned}
# o_1 &= w_{11}x_1 + w_{12}x_2 + w_{13}x_3 + w_{14}x_4 + b_1,\\
# o_2 &= w_{21}x_1 + w_{22}x_2 + w_{23}x_3 + w_{24}x_4 + b_2,\\
# o_3 &= w_{31}x_1 + w_{32}x_2 + w_{33}x_3 + w_{34}x_4 + b_3,
# \end{aligned}
# \qquad\text{简写为}\qquad \mathbf o = \mathbf W \mathbf x + \mathbf b,\quad \mathbf W \in \mathbb R^{3\times 4}.$$
# 每个输出都依赖每个输入，所以这是一个**全连接层** (fully connected layer / dense layer)：

# %%
plot.dense_layer_diagram(pixel_names, ["o₁", "o₂", "o₃"], in_title="输入（4 个像素）",
                         out_title="输出（3 个 logits）", title="softmax 回归：一个全连接层")
plt.show()
d, q = 4, 3
print(f"权重 d·q = {d * q}，偏置 q = {q}，参数共 {d * q + q} 个")

# %% [markdown]
# ### 全连接层的开销
#
# 有 $d$ 个输入、$q$ 个输出的全连接层有 $dq$ 个权重和 $q$ 个偏置，每个样本计算 $\mathbf o$ 需要 $dq$ 次乘加：两者都是 $O(dq)$。无论怎样组织计算，这一点都不变。
#
# 你也许读到过“引入超参数 (hyper-parameter) $n$，把开销降到 $O(dq/n)$”。那说的是**另一种层**：参数化超复数乘法
# (parameterised hypercomplex multiplication, PHM) 层把 $q \times d$ 的权重矩阵构造成 $n$ 个克罗内克积 (Kronecker product) 之和
# $\sum_{i=1}^{n} A_i \otimes S_i$，其中 $A_i \in \mathbb R^{n\times n}$，$S_i \in \mathbb R^{(q/n)\times(d/n)}$，因此只需存储 $n^3 + dq/n$ 个数。它是*替换*全连接层，能表示的权重矩阵也更少；它并没有让全连接层本身变便宜。

# %%
for d_in, q_out in [(64, 10), (784, 10), (4096, 1000)]:
    print(f"d = {d_in:>4}，q = {q_out:>4}：全连接层有 {d_in * q_out + q_out:>9,} 个参数")
n_phm, d_in, q_out = 4, 64, 8
rng = np.random.default_rng(0)
A = rng.normal(size=(n_phm, n_phm, n_phm))
S = rng.normal(size=(n_phm, q_out // n_phm, d_in // n_phm))
W_phm = sum(np.kron(A[i], S[i]) for i in range(n_phm))
print(f"n = {n_phm} 的 PHM：权重矩阵 {W_phm.shape} 由 {A.size + S.size} 个数构造，"
      f"而不是 {d_in * q_out} 个")

# %% [markdown]
# ## 3. softmax
#
# logits 可以是任意实数：可以为负，可以大于 1，总和也不是 1。要把它们当作概率，我们使用 **softmax**
# $$\hat{\mathbf y} = \mathrm{softmax}(\mathbf o),\qquad \hat y_j = \frac{e^{o_j}}{\sum_{k=1}^{q} e^{o_k}} .$$
# 指数保证每个输出为正，除以总和保证它们加起来等于 1。由于 $e^x$ 单调递增，logits 的大小顺序保持不变，而且
# logits 之差变成了概率之比：$\hat y_i / \hat y_j = e^{o_i - o_j}$。

# %%
o = np.array([2.0, 1.0, 0.1])
e_o = np.exp(o)
print("o                  =", o)
print("exp(o)             =", e_o, " 和", round(e_o.sum(), 4))
print("exp(o) / 和        =", e_o / e_o.sum())
print("softmax.softmax(o) =", softmax.softmax(o))
print(f"ŷ₁/ŷ₂ = {softmax.softmax(o)[0] / softmax.softmax(o)[1]:.4f} = e^(o₁−o₂) = {np.exp(o[0] - o[1]):.4f}")

# %% [markdown]
# **给所有 logits 加上同一个常数，结果不变**，因为 $e^{o_j + C} = e^C e^{o_j}$，$e^C$ 被约掉了。SymPy 对一般的类别数 $q$ 确认这一点：

# %%
print("softmax(o + C)_i − softmax(o)_i 化简为", symbolic.softmax_shift_residual())
print("数值验证：", np.allclose(softmax.softmax(o + 100.0), softmax.softmax(o)))

# %% [markdown]
# 正是这个性质让**稳定**的实现成为可能。对 $(1000, 1001, 1002)$ 这样的 logits，$e^{1000}$ 上溢 (overflow) 为 `inf`，朴素公式返回 `inf/inf = nan`。先减去最大的 logit，所有指数都 $\le 0$，就不会上溢。同样的技巧给出 log-sum-exp：
# $\log\sum_k e^{o_k} = m + \log\sum_k e^{o_k - m}$，其中 $m = \max_k o_k$。

# %%
o_big = np.array([1000.0, 1001.0, 1002.0])
with np.errstate(over="ignore", invalid="ignore"):  # 这个单元格要展示的正是上溢
    naive = np.exp(o_big) / np.exp(o_big).sum()
print("朴素 softmax：    ", naive)
print("稳定 softmax：    ", softmax.softmax(o_big))
print(f"稳定 logsumexp：  {softmax.logsumexp(o_big):.8f}")

# %% [markdown]
# 由于 softmax 保持顺序，**概率最大的类别就是 logit 最大的类别**。只预测硬类别时，甚至不需要算 softmax：

# %%
rng = np.random.default_rng(1)
O_random = rng.normal(scale=3.0, size=(10_000, 5))
print("在 10 000 行随机 logits 上，argmax softmax = argmax logits：",
      bool((softmax.softmax(O_random).argmax(axis=1) == O_random.argmax(axis=1)).all()))

# %% [markdown]
# ## 4. 一次处理一个小批量：$O = XW + b$
#
# 一次只处理一个样本会浪费硬件。把一个小批量的 $n$ 个样本作为矩阵的行堆起来：
#
# | 符号 | 形状 | 含义 |
# |---|---|---|
# | $X$ | $n \times d$ | 每行一个样本 |
# | $W$ | $d \times q$ | 每列对应一个类别 |
# | $b$ | $1 \times q$ | 每个类别一个偏置 |
# | $O = XW + b$ | $n \times q$ | 每个样本一行 logits |
# | $\hat Y = \mathrm{softmax}(O)$ | $n \times q$ | 对每一行做 softmax |
#
# 这里的 $W$ 是 $\mathbf o = \mathbf W\mathbf x + \mathbf b$ 中 $q \times d$ 矩阵的**转置**：样本写成行向量时，
# $\mathbf o^\top = \mathbf x^\top \mathbf W^\top + \mathbf b^\top$。把 $b$（$1 \times q$）加到 $n \times q$ 的乘积上用到了**广播** (broadcasting)：同一行加到每一行上。向量化把 $n$ 次矩阵-向量乘法换成了**一次矩阵-矩阵乘法** $XW$，数值库算后者要快得多。

# %%
rng = np.random.default_rng(0)
X_batch = X_toy[:5]
W = rng.normal(scale=0.5, size=(4, 3))
b = np.array([[0.1, -0.2, 0.0]])
O = X_batch @ W + b
O_loop = np.stack([W.T @ x + b[0] for x in X_batch])  # 每个样本一次矩阵-向量乘法，用 q×d 的矩阵 Wᵀ
print("X", X_batch.shape, "@ W", W.shape, "+ b", b.shape, "-> O", O.shape)
print("与逐个样本循环的结果相同：", np.allclose(O, O_loop))
Y_hat = softmax.softmax(O, axis=1)
print("Ŷ =\n", Y_hat)
print("每行之和：", Y_hat.sum(axis=1))

# %% [markdown]
# ## 5. 损失：从似然到交叉熵
#
# 模型给出 $\hat y_j = P(\text{类别 } j \mid \mathbf x)$。对独热标签 $\mathbf y$，模型赋予观测到的标签的概率是
# $$P(\mathbf y \mid \mathbf x) = \prod_{j=1}^{q} \hat y_j^{\,y_j},$$
# 也就是真实类别 $c$ 的 $\hat y_c$。最大似然 (maximum likelihood) 要最大化训练集上这些概率的乘积。取 $-\log$ 把乘积变成求和、把最大化变成最小化，于是一个样本的损失是**负**对数似然 (negative log-likelihood)
# $$l(\mathbf y, \hat{\mathbf y}) = -\log P(\mathbf y \mid \mathbf x) = -\sum_{j=1}^{q} y_j \log \hat y_j ,$$
# 也就是第 02 章的交叉熵 (cross-entropy)。负号很重要：$\log P \le 0$，而我们要的损失应当 $\ge 0$，并且预测越好越小。
#
# 现在代入 softmax 并化简。下标约定：$k$ 遍历损失中的类别，$m$ 遍历归一化因子 (normaliser) $\sum_m e^{o_m}$ 中的类别。SymPy
# 把每一行都与上一行比较，其中 $q$ 是一个**符号**（任意类别数）：

# %%
loss_rules = [
    "一个样本的负对数似然",
    "乘积的对数等于对数之和",
    "代入 softmax：ŷ_k = e^{o_k} / Σ_m e^{o_m}",
    "log(A/B) = log A − log B，log e^a = a",
    "拆开求和；log Σ_m e^{o_m} 与 k 无关",
    "利用 Σ_k y_k = 1",
]
loss_steps = symbolic.softmax_ce_loss_steps()
loss_checks = [None, *symbolic.verify_steps(loss_steps)]
for i, (rule, step, ok) in enumerate(zip(loss_rules, loss_steps, loss_checks, strict=True)):
    verdict = "" if ok is None else f" —— SymPy：与上一行相等：**{ok}**"
    display(Markdown(f"**{i}.** {rule}{verdict}\n\n$$l = {sp.latex(step.expr)}$$"))

# %% [markdown]
# 最后一步需要 $\sum_k y_k = 1$：独热标签满足它，任何概率向量形式的标签（例如“软”标签 $(0.7, 0.2, 0.1)$）也同样满足。损失最终成为
# $$l = \log \sum_{m} e^{o_m} - \sum_k y_k o_k ,$$
# 即一个 log-sum-exp 减去一个线性项。对一个批量，损失是各行损失的平均；`softmax.softmax_cross_entropy` 直接从
# logits 计算它，结果与 PyTorch 一致：

# %%
y_batch = y_toy[:5]
by_hand = -np.mean(np.log(Y_hat[np.arange(5), y_batch]))
print(f"−mean log ŷ[真实类别]：         {by_hand:.6f}")
print(f"softmax.softmax_cross_entropy： {softmax.softmax_cross_entropy(O, y_batch):.6f}")
print(f"torch F.cross_entropy：         {F.cross_entropy(torch.from_numpy(O), torch.from_numpy(y_batch)).item():.6f}")
print(f"改用独热行作为标签：            {softmax.softmax_cross_entropy(O, softmax.one_hot(y_batch, 3)):.6f}")

# %% [markdown]
# ## 6. 一步一步求梯度
#
# 对 $l = \log\sum_m e^{o_m} - \sum_k y_k o_k$ 关于某一个 logit $o_j$ 求导。名字要分开：$j$ 是求导所针对的
# logit，$k$ 和 $m$ 是求和下标。于是 $\partial o_k/\partial o_j$ 在 $k = j$ 时为 $1$、否则为 $0$，即克罗内克
# δ (Kronecker delta) $\delta_{kj}$，每个求和都恰好只剩一项：

# %%
derivative_rules = [
    "定义",
    "差的导数等于导数的差",
    "对 log 用链式法则 (chain rule)；∂o_m/∂o_j = δ_mj，∂o_k/∂o_j = δ_kj",
    "每个求和只剩下标为 j 的那一项（1 ≤ j ≤ q）",
]
derivative_steps = symbolic.softmax_ce_derivative_steps()
derivative_checks = [None, *symbolic.verify_steps(derivative_steps)]
for i, (rule, step, ok) in enumerate(zip(derivative_rules, derivative_steps, derivative_checks, strict=True)):
    verdict = "" if ok is None else f" —— SymPy：与上一行相等：**{ok}**"
    display(Markdown(f"**{i}.** {rule}{verdict}\n\n$$\\frac{{\\partial l}}{{\\partial o_j}} = {sp.latex(step.expr)}$$"))

# %% [markdown]
# 所以
# $$\frac{\partial l}{\partial o_j} = \mathrm{softmax}(\mathbf o)_j - y_j = \hat y_j - y_j ,$$
# 即**预测减目标**，与第 02 章二分类的形式相同。如果把线性项写成 $\sum_j y_j o_j$，再“对 $o_j$”求导，就把求和下标和固定下标混在了一起；名字分开以后，克罗内克 δ 会替我们把账算清楚。
#
# $\sum_k y_k = 1$ 到哪里去了？在用它之前就对交叉熵求导，这个和会留在结果里：

# %%
symbolic.softmax_ce_gradient_unnormalised_label()

# %% [markdown]
# 当 $\sum_k y_k = 1$（独热标签或任何概率标签）时，它就是 $\hat y_j - y_j$。
#
# ### softmax 的雅可比矩阵
#
# 经过 $\hat{\mathbf y}$ 用链式法则也能得到同样的结果。softmax 的雅可比矩阵 (Jacobian) 是
# $$\frac{\partial \hat y_i}{\partial o_j} = \hat y_i(\delta_{ij} - \hat y_j),$$
# SymPy 对一般的 $q$ 确认了它。再由 $\partial l/\partial \hat y_i = -y_i/\hat y_i$，
# $$\frac{\partial l}{\partial o_j} = \sum_i \frac{\partial l}{\partial \hat y_i}\frac{\partial \hat y_i}{\partial o_j}
#   = -\sum_i y_i(\delta_{ij} - \hat y_j) = -y_j + \hat y_j \sum_i y_i = \hat y_j - y_j .$$

# %%
derived, closed = symbolic.softmax_jacobian_entry()
print("∂ŷ_i/∂o_j − ŷ_i(δ_ij − ŷ_j) 化简为", sp.simplify(derived - closed))
closed

# %% [markdown]
# ### 例题
#
# 一个属于第一类的样本（代码中标签为 $0$；从 1 开始数则是“第 1 类”）得到的 softmax 输出为
# $\hat{\mathbf y} = (0.34, 0.46, 0.20)$。损失是 $-\ln 0.34$，对 logits 的梯度是
# $\hat{\mathbf y} - \mathbf y = (0.34 - 1,\ 0.46,\ 0.20)$。softmax 输出为它的 logits 可取
# $\mathbf o = \ln\hat{\mathbf y}$（再加任意常数）。四种方法得到同样的数：

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
print(f"损失：{softmax.softmax_cross_entropy(o_ex[None, :], np.array([0])):.5f}（mlcourse），"
      f"{loss_t.item():.5f}（torch），−ln 0.34 = {-np.log(0.34):.5f}")
print("ŷ − y：                 ", y_hat_ex - y_ex)
print("SymPy 梯度：            ", sympy_values)
print("雅可比矩阵ᵀ · ∂l/∂ŷ：   ", jacobian_values)
print("mlcourse：              ", softmax.softmax_cross_entropy_grad(o_ex[None, :], np.array([0]))[0])
print("torch 自动求导：        ", o_t.grad.numpy())

# %% [markdown]
# ### 一个批量上 $W$ 和 $b$ 的梯度
#
# 对 $n$ 行批量的平均损失，$\partial L/\partial O = (\hat Y - Y)/n$（记作 $dO$）。由于 $O = XW + b$，链式法则给出
# $$\frac{\partial L}{\partial W} = X^\top dO \ (d\times q),\qquad \frac{\partial L}{\partial b} = \sum_{\text{行}} dO \ (1\times q).$$
# 在玩具批量上用有限差分 (finite difference) 检查：

# %%
def batch_loss(W, b, X, y):
    return softmax.softmax_cross_entropy(X @ W + b, y)


dO = softmax.softmax_cross_entropy_grad(X_batch @ W + b, y_batch)
dW, db = X_batch.T @ dO, dO.sum(axis=0, keepdims=True)
print("dW 与有限差分一致：", rel_error(dW, numerical_grad(lambda V: batch_loss(V, b, X_batch, y_batch), W)) < 1e-7)
print("db 与有限差分一致：", rel_error(db, numerical_grad(lambda c: batch_loss(W, c, X_batch, y_batch), b)) < 1e-7)
print("dO 的每一行之和为 0：", np.allclose(dO.sum(axis=1), 0))

# %% [markdown]
# ## 7. 在玩具图像上训练
#
# 在全部 60 张玩具图像上做 300 步梯度下降 (gradient descent)，学习率 (learning rate) $\eta = 1$：
# $W \leftarrow W - \eta\,X^\top dO$，$b \leftarrow b - \eta \sum_{\text{行}} dO$。

# %%
rng = np.random.default_rng(0)
W_toy, b_toy = 0.01 * rng.standard_normal((4, 3)), np.zeros(3)
for _ in range(300):
    dO = softmax.softmax_cross_entropy_grad(X_toy @ W_toy + b_toy, y_toy)
    W_toy, b_toy = W_toy - 1.0 * X_toy.T @ dO, b_toy - 1.0 * dO.sum(axis=0)
X_new, y_new, _ = data.toy_images(n_per_class=100, seed=1)
print(f"300 步之后的损失：{softmax.softmax_cross_entropy(X_toy @ W_toy + b_toy, y_toy):.4f}")
print(f"训练准确率：{np.mean((X_toy @ W_toy + b_toy).argmax(axis=1) == y_toy):.3f}，"
      f"在 300 张新图像上的准确率：{np.mean((X_new @ W_toy + b_toy).argmax(axis=1) == y_new):.3f}")

fig, axes = plt.subplots(1, 3, figsize=(7, 2.4))
for k in range(3):
    plot.pixels(W_toy[:, k].reshape(2, 2), ax=axes[k], vmin=-5, vmax=5, title=f"{class_names[k]}的权重")
plt.show()

# %% [markdown]
# 把 $W$ 的每一列画成 2×2 的图，它就是一个模板：在该类原型中亮的两个像素上，权重为正；在另外两个原型中都亮、唯独该类原型中暗的那个像素上，权重是绝对值很大的负数；$x_4$ 在所有原型中都暗，权重接近 $0$。logit $o_k$
# 衡量图像与第 $k$ 个模板的匹配程度。

# %% [markdown]
# ## 8. 从零开始识别手写数字（numpy，小批量 SGD）
#
# scikit-learn 自带的 8×8 手写数字：1797 张 0–9 的图像，分成 1347 张训练图像和 450 张测试图像。
# `data.load_digits` 用训练集的均值和标准差把 64 个像素特征逐一标准化。

# %%
split = data.load_digits(scale="standard", seed=0)
print("训练集：", split.X_train.shape, " 测试集：", split.X_test.shape, " 类别：", np.unique(split.y_train))
plot.image_grid(split.images_train[:16], [str(t) for t in split.y_train[:16]], ncols=8, title="训练图像")
plt.show()

# %% [markdown]
# 小批量随机梯度下降 (minibatch stochastic gradient descent, SGD)：每一**轮** (epoch) 先打乱训练集，再以 32 个样本为一批遍历它；每一批用第 6 节的梯度走一步。每轮结束时记录两个数据集上的损失和准确率 (accuracy)，其中
# $$\text{准确率} = \frac{\text{预测正确的个数}}{\text{预测的总个数}} .$$

# %%
def accuracy(W, b, X, y):
    return float(np.mean((X @ W + b).argmax(axis=1) == y))


def train_softmax_regression(X, y, X_test, y_test, *, lr=0.1, batch_size=32, epochs=30, seed=0):
    """用小批量 SGD 训练 softmax 回归；返回 W (d, q)、b (q,) 和每一轮的记录。"""
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
print(f"30 轮用时 {seconds:.2f} 秒")

# %%
assert seconds < 10, "训练应远少于 10 秒"
pred = (split.X_test @ W_digits + b_digits).argmax(axis=1)
correct = int((pred == split.y_test).sum())
print(f"测试准确率：{correct} / {split.y_test.size} = {correct / split.y_test.size:.2%}")
print(f"训练准确率：{history['train_acc'][-1]:.2%}；最终损失：训练 {history['train_loss'][-1]:.4f}，"
      f"测试 {history['test_loss'][-1]:.4f}")
plot.history_curves(history, train_label="训练", test_label="测试", loss_title="交叉熵损失",
                    acc_title="准确率", xlabel="轮")
plt.show()

# %% [markdown]
# 模型在从未见过的图像上达到约 97% 的准确率，训练只用了不到一秒。和通常一样，训练准确率比测试准确率略高。错误出在哪里？**混淆矩阵** (confusion matrix) 对每个真实类别（行）统计测试图像被分到了哪个类别（列）；对角线上是分对的个数。

# %%
counts = np.zeros((10, 10), dtype=int)
np.add.at(counts, (split.y_test, pred), 1)
plot.confusion_matrix(counts, xlabel="预测类别", ylabel="真实类别", title="混淆矩阵（测试集）")
plt.show()
off_diagonal = counts - np.diag(np.diag(counts))
mistakes = sorted(((off_diagonal[t, p], t, p) for t in range(10) for p in range(10) if off_diagonal[t, p]), reverse=True)
for times, true_class, predicted in mistakes[:3]:
    print(f"真实为 {true_class}、预测为 {predicted}：{times} 张")

# %%
wrong = np.flatnonzero(pred != split.y_test)
plot.image_grid(split.images_test[wrong], [f"预测 {p} / 真实 {t}" for p, t in zip(pred[wrong], split.y_test[wrong],
                                                                                  strict=True)],
                ncols=7, highlight=np.ones(wrong.size, dtype=bool), title="所有分错的测试图像")
plt.show()

# %% [markdown]
# ## 9. 用 PyTorch 实现同一个模型
#
# 在 PyTorch 里，这个层是 `nn.Linear(64, 10)`，损失是 `F.cross_entropy`：它接收 **logits** 和整数标签，自己做
# log-softmax。`nn.Linear` 把权重存成 $q \times d$ 的矩阵（即 $\mathbf o = \mathbf W\mathbf x + \mathbf b$ 中的
# $\mathbf W$），计算 $X\mathbf W^\top + b$，所以它保存的是我们的 $W$ 的转置。让两者从相同的权重出发，比较第一个小批量的梯度：

# %%
rng = np.random.default_rng(0)  # 与 train_softmax_regression 中的随机数调用顺序相同
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
print("torch 权重的形状：", tuple(model.weight.shape), "  我们的 W：", W0.shape)
print(f"第一个批量的损失：numpy {softmax.softmax_cross_entropy(Xb @ W0, yb):.6f}，torch {loss.item():.6f}")
print("dW 相等（torch 的梯度是转置的）：", rel_error(Xb.T @ dO, model.weight.grad.numpy().T) < 1e-12)
print("db 相等：", rel_error(dO.sum(axis=0), model.bias.grad.numpy()) < 1e-12)

# %% [markdown]
# 再用 `torch.optim.SGD` 在完全相同的小批量序列上训练 torch 模型。每一步的算术都相同，所以最终权重与 numpy 的结果只差舍入误差：

# %%
rng = np.random.default_rng(0)
rng.standard_normal((64, 10))  # 跳过初始权重，与 train_softmax_regression 一致
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
print("最终权重与 numpy 的相等：", rel_error(model.weight.detach().numpy().T, W_digits) < 1e-9)
print(f"torch 测试准确率：{np.mean(torch_pred == split.y_test):.2%}；预测与 numpy 完全相同：",
      bool((torch_pred == pred).all()))

# %% [markdown]
# ## 10. “线性”模型？边界是线性的，概率不是
#
# softmax 回归常被称为线性模型 (linear model)。准确地说：**logits** 是 $\mathbf x$ 的仿射函数，所以**决策边界** (decision
# boundary) 是直的（超平面）。记 $\mathbf w_a$ 为 $W$ 中属于类别 $a$ 的那一列。类别 $a$ 与 $c$ 在 $o_a = o_c$
# 处打平，即超平面 $(\mathbf w_a - \mathbf w_c)\cdot\mathbf x + (b_a - b_c) = 0$ 上（$\mathbf x$ 只有两个特征时它是一条直线）。而**概率**不是 $\mathbf x$ 的线性函数：softmax 把它们弯曲了。（统计学里称之为广义线性模型
# (generalised linear model)。）用平面上的点训练一下，两者一目了然：

# %%
X_2d, y_2d = data.gaussian_blobs(n_per_class=60, seed=0)
W_2d, b_2d, history_2d = train_softmax_regression(X_2d, y_2d, X_2d, y_2d, lr=0.1, epochs=50)
print(f"训练准确率：{history_2d['train_acc'][-1]:.2%}")
for a, c in [(0, 1), (0, 2), (1, 2)]:
    w_diff, b_diff = W_2d[:, a] - W_2d[:, c], b_2d[a] - b_2d[c]
    print(f"边界 {a}|{c}：{w_diff[0]:+.3f}·x₁ {w_diff[1]:+.3f}·x₂ {b_diff:+.3f} = 0")

x1, x2 = np.meshgrid(np.linspace(-5, 5, 301), np.linspace(-4.5, 5.5, 301))
grid = np.column_stack([x1.ravel(), x2.ravel()])
P_grid = softmax.softmax(grid @ W_2d + b_2d, axis=1)
plot.decision_regions(x1, x2, P_grid.argmax(axis=1).reshape(x1.shape), X=X_2d, y=y_2d,
                      contours=P_grid[:, 2].reshape(x1.shape), class_names=["类别 0", "类别 1", "类别 2"],
                      xlabel="x₁", ylabel="x₂", title="边界是直线；虚线：P(类别 2)")
plt.show()

# %% [markdown]
# 实线边界是直线，正是上面打印的三条直线（每条只画在它的两个类别概率最大的区域里）。而
# $P(\text{类别 } 2 \mid \mathbf x)$ 的虚线等高线是弯的。沿平面上的一条直线看，对比更加明显：logits 是直线，概率是曲线（S 形曲线，类别 2 的是一个鼓包）。

# %%
t_line = np.linspace(-5, 5, 201)
line_points = np.column_stack([t_line, np.full_like(t_line, 0.5)])  # 水平线 x₂ = 0.5
O_line = line_points @ W_2d + b_2d
P_line = softmax.softmax(O_line, axis=1)
fig, axes = plt.subplots(1, 2, figsize=(11, 3.6))
plot.lines(t_line, {f"类别 {k} 的 o": O_line[:, k] for k in range(3)}, ax=axes[0], xlabel="x₁（x₂ = 0.5）",
           ylabel="logit", title="logits：x 的线性函数")
plot.lines(t_line, {f"P(类别 {k})": P_line[:, k] for k in range(3)}, ax=axes[1], xlabel="x₁（x₂ = 0.5）",
           ylabel="概率", title="概率：不是 x 的线性函数")
plt.show()

# %% [markdown]
# ## 11. 常见误区
#
# - **标签编码前后矛盾。** 定下一个类别顺序，整数标签和独热向量都用它：独热向量中 1 的位置就是整数标签（第 1 节）。
# - **“引入超参数 $n$，把全连接层的计算复杂度降至 $O(dq/n)$。”** 全连接层有 $dq + q$ 个参数，每个样本的开销是
#   $O(dq)$。$O(dq/n)$ 属于另一种层（PHM，由克罗内克积构造），它替换全连接层，能表示的权重矩阵也更少（第 2 节）。
# - **$W$ 和 $b$ 的形状。** 样本写成行时，$X$ 是 $n \times d$，$W$ 是 $d \times q$，$b$ 是 $1 \times q$；这个 $W$
#   是 $\mathbf o = \mathbf W\mathbf x + \mathbf b$ 中 $q \times d$ 矩阵（也是 `nn.Linear.weight`）的转置（第 4、9 节）。
# - **向量化带来了什么。** 它把 $n$ 次矩阵-向量乘法变成一次矩阵-矩阵乘法 $XW$（第 4 节）。
# - **损失的符号。** 损失是 $l = -\log P(\mathbf y \mid \mathbf x)$，即*负*对数似然；少了负号，最小化它只会让模型变差（第 5 节）。
# - **求导时的下标。** 对 $o_j$ 求导时，不要再把 $j$ 用作求和下标，应写成 $\sum_k y_k o_k$。而且
#   $\sum_k y_k = 1$ 对任何概率向量形式的标签都成立，不只是独热标签（第 6 节）。
# - **“softmax 回归是一个线性模型。”** 它的 logits 和决策边界是 $\mathbf x$ 的线性函数，它的概率不是（第 10 节）。
#
# ## 小结
#
# - softmax 回归：$O = XW + b$，其中 $X$ 为 $n\times d$，$W$ 为 $d\times q$，$b$ 为 $1\times q$，再逐行计算
#   $\hat Y = \mathrm{softmax}(O)$；共 $dq + q$ 个参数。
# - softmax 输出为正、和为 1、保持 logits 的顺序、不受共同平移的影响；计算它（以及 log-sum-exp）时先减去最大值。
# - 损失：$l = -\log P(\mathbf y\mid\mathbf x) = -\sum_k y_k\log\hat y_k = \log\sum_m e^{o_m} - \sum_k y_k o_k$。
# - 梯度：$\partial l/\partial o_j = \hat y_j - y_j$；对批量平均，$dO = (\hat Y - Y)/n$，
#   $\partial L/\partial W = X^\top dO$，$\partial L/\partial b = \sum_{\text{行}} dO$。
# - 用 numpy 从零实现，模型在手写数字上不到一秒就达到 97.11% 的测试准确率；PyTorch 的 `nn.Linear` 加
#   `F.cross_entropy` 算出的梯度完全相同。
#
# **练习：** 打开 `exercises/03_softmax_regression.ipynb`。
