# %% [markdown]
# # 01 · 回归损失：MSE、MAE 与 Lp 族
#
# 神经网络靠把一个数变小来学习，这个数就是**损失** (loss)。本章讲**回归** (regression) 的损失：答案是一个实数（价格、温度、距离）。你将会：
#
# - 计算均方误差 (mean squared error, MSE) 和平均绝对误差 (mean absolute error, MAE)，并画出它们的曲线；
# - 把两者放进同一个家族：由 Lp 范数 (Lp norm) 构造的 Lp 损失；
# - 用 SymPy 推导它们的梯度 (gradient)，再用有限差分 (finite difference)、`mlcourse` 和 PyTorch 三种方式核对；
# - 看梯度下降 (gradient descent) 在 MSE 下平稳收敛、在 MAE 下来回跳动；
# - 理解为什么离群点 (outlier) 会把 MSE 拉偏，而 MAE 几乎不受影响；
# - 弄清损失的“求和”与“求平均”何时不同，以及小批量 (minibatch) 梯度估计的是什么。
#
# 下面的每一个数字都由旁边的代码算出。

# %%
import mlcourse

mlcourse.setup(seed=0, lang="zh")

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F

from mlcourse import data, losses, plot, symbolic
from mlcourse.gradcheck import numerical_grad, rel_error

# %% [markdown]
# ## 1. 损失函数有什么用
#
# 模型把输入 $x$ 变成预测值 (prediction) $\hat y$。在回归问题中，目标值 (target) $y$ 是一个实数。**损失函数** (loss function) $L(\hat y, y)$ 把“预测错了多少”变成一个数：预测完全正确时为 $0$，预测越差它越大。训练就是选择模型参数，使训练数据上的损失尽量小；损失的梯度告诉我们参数该往哪个方向移动。
#
# 整门课程统一使用的记号：
#
# | 符号 | 含义 |
# |---|---|
# | $N$ | 样本数（或输出数值的个数） |
# | $y_i$ | 样本 $i$ 的目标值（真实值） |
# | $\hat y_i$ | 样本 $i$ 的预测值 |
# | $e_i = \hat y_i - y_i$ | 样本 $i$ 的误差 (error)，也称残差 (residual) |
#
# 一个 $N = 4$ 的小例子：

# %%
y = np.array([3.0, -0.5, 2.0, 7.0])
y_hat = np.array([2.5, 0.0, 2.0, 8.0])
e = y_hat - y
print("目标值 y =", y)
print("预测值 ŷ =", y_hat)
print("误差   e =", e)

# %% [markdown]
# ## 2. 均方误差 (MSE)
#
# $$\mathrm{MSE}(\hat y, y) = \frac{1}{N}\sum_{i=1}^{N} (\hat y_i - y_i)^2 .$$
#
# 每个误差先平方，所以正负号不影响结果，而且大误差的权重远大于小误差；然后对 $N$ 个样本取平均。

# %%
mse_by_hand = np.mean(e**2)
print(f"手算 MSE：      {mse_by_hand:.4f}")
print(f"losses.mse：    {losses.mse(y_hat, y):.4f}")

# %% [markdown]
# **单个**预测值移动时，损失怎样变化？取真实值 $100$，预测值从 $-10000$ 取到 $10000$。

# %%
y_true = 100.0
grid = np.linspace(-10_000, 10_000, 2001)
curve = np.array([losses.mse([p], [y_true]) for p in grid])

ax = plot.lines(grid, {"MSE": curve}, xlabel="预测值 ŷ", ylabel="损失",
                title="单个预测的 MSE，真实值 y = 100")
ax.axvline(y_true, color="0.4", linestyle=":", linewidth=1)
plt.show()
print(f"最小损失 {curve.min():.1f}，出现在 ŷ = {grid[curve.argmin()]:.0f}")
print(f"ŷ = -10000 时损失为 {losses.mse([-10_000], [y_true]):.4g}；ŷ = 10000 时为 {losses.mse([10_000], [y_true]):.4g}")

# %% [markdown]
# 曲线是一条抛物线，最低点 $0$ 恰好在 $\hat y = y$ 处。MSE 的取值范围是 $[0, \infty)$：只有每个预测都等于目标值时它才为 $0$，而且没有上界。图中抛物线略微不对称，只是因为 $100$ 不在窗口正中。

# %% [markdown]
# ## 3. Lp 范数与 Lp 损失
#
# 对向量 $v$ 和数 $p \ge 1$，**Lp 范数**定义为
# $$\lVert v \rVert_p = \Big(\sum_i |v_i|^p\Big)^{1/p}.$$
# $p = 2$ 就是通常的欧几里得长度，$p = 1$ 是各分量绝对值之和。**Lp 损失**是误差向量的范数的 $p$ 次方：
# $$L_p(\hat y, y) = \lVert y - \hat y \rVert_p^p = \sum_i |y_i - \hat y_i|^p .$$
# 本章的两个损失都是 Lp 损失的平均：
# $$\mathrm{MSE} = \frac{1}{N}\lVert y - \hat y\rVert_2^2, \qquad
#   \mathrm{MAE} = \frac{1}{N}\lVert y - \hat y\rVert_1 = \frac{1}{N}\sum_i |\hat y_i - y_i| .$$
# 注意 MSE 中的平方：它是 L2 范数**平方**的平均，而不是 L2 范数的平均。

# %%
for p in (1, 2, 3):
    print(f"p = {p}：‖y − ŷ‖_p^p = {losses.lp_loss(y_hat, y, p):.4f}"
          f"   （numpy：{np.linalg.norm(y - y_hat, ord=p) ** p:.4f}）")
print(f"‖y − ŷ‖₂² / N = {losses.lp_loss(y_hat, y, 2) / y.size:.4f}  = MSE {losses.mse(y_hat, y):.4f}")
print(f"‖y − ŷ‖₁ / N  = {losses.lp_loss(y_hat, y, 1) / y.size:.4f}  = MAE {losses.mae(y_hat, y):.4f}")
print(f"‖y − ŷ‖₂ / N  = {np.linalg.norm(y - y_hat) / y.size:.4f}  （这不是 MSE）")

# %% [markdown]
# ## 4. 平方误差与绝对误差
#
# 对单个误差 $e$，比较两种基本惩罚 $e^2$ 和 $|e|$。

# %%
e_grid = np.linspace(-3, 3, 601)
ax = plot.lines(e_grid, {"e²（平方）": e_grid**2, "|e|（绝对值）": np.abs(e_grid)},
                xlabel="误差 e = ŷ − y", ylabel="惩罚", title="平方误差与绝对误差")
ax.axvspan(-1, 1, color="0.9", zorder=0)
plt.show()

# %% [markdown]
# $e^2$ 在哪里大于 $|e|$？让 SymPy 精确地解这个不等式：

# %%
symbolic.squared_vs_absolute()

# %% [markdown]
# 所以 $e^2 > |e|$ 当且仅当 $|e| > 1$；当 $0 < |e| < 1$ 时 $e^2 < |e|$（上图阴影部分）。条件针对的是误差的**绝对值**：很大的负误差同样会受到重罚。因此 MSE 对大误差的惩罚远重于 MAE，对小误差则更轻。阈值 $1$ 以 $y$ 的单位计量，所以改变目标值的尺度（米还是毫米）会改变哪些误差算“大”。

# %% [markdown]
# ## 5. 梯度
#
# 梯度下降需要 $\partial L / \partial \hat y_i$。让 SymPy 对 $N = 3$ 的 MSE 求导：

# %%
y_hat_s, y_s, mse_expr = symbolic.mse_symbols(3)
mse_expr

# %%
symbolic.mse_gradient(3)

# %% [markdown]
# 一般地，$\dfrac{\partial\,\mathrm{MSE}}{\partial \hat y_i} = \dfrac{2}{N}(\hat y_i - y_i)$，与误差成正比。对 MAE，SymPy 给出误差的符号除以 $N$：

# %%
symbolic.mae_gradient(3)

# %% [markdown]
# 现在用三种方式核对 `mlcourse.losses` 在上面例子上的结果：与代入数值后的 SymPy 公式比较；与中心有限差分
# (central finite difference) $\big(L(\hat y + h\,u_i) - L(\hat y - h\,u_i)\big)/2h$ 比较（$u_i$ 是第 $i$ 个单位向量）；与 PyTorch 的自动求导 (autograd) 比较。全部使用 float64。

# %%
subs = dict(zip(y_hat_s[:3] + y_s[:3], np.concatenate([y_hat[:3], y[:3]]).tolist(), strict=True))
sympy_grad = np.array([float(g.subs(subs)) for g in symbolic.mse_gradient(3)])

y_hat_t = torch.tensor(y_hat, requires_grad=True)
F.mse_loss(y_hat_t, torch.tensor(y)).backward()

ours = losses.mse_grad(y_hat, y)
print("mlcourse 梯度：", ours)
print("torch 自动求导：", y_hat_t.grad.numpy())
print("SymPy 公式代入前 3 个样本：", sympy_grad, " mlcourse：", losses.mse_grad(y_hat[:3], y[:3]))
print("与有限差分一致：", rel_error(ours, numerical_grad(lambda v: losses.mse(v, y), y_hat)) < 1e-8)
print("与 torch 一致：  ", rel_error(ours, y_hat_t.grad.numpy()) < 1e-12)

# %% [markdown]
# ### 误差为零时的 MAE
#
# $|e|$ 在 $e = 0$ 处有一个尖点 (kink)：斜率从 $-1$ 跳到 $+1$。那里导数不存在，但 $[-1, 1]$ 中的每个数都是一个**次梯度** (subgradient)，即过尖点且始终不高于曲线的直线的斜率，所以对 MAE 来说 $[-1, 1]/N$ 中的任何值都合法。框架必须选一个，它们选 $0$（例如 `torch.abs` 和 `F.l1_loss`）。这并不是实际困难：误差几乎不会恰好为 $0$。与 MSE 真正的区别在下一节。

# %%
a = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64, requires_grad=True)
target = torch.tensor([1.0, 0.0, 5.0], dtype=torch.float64)
F.l1_loss(a, target).backward()
print("torch l1_loss 的梯度：", a.grad)
print("losses.mae_grad：     ", losses.mae_grad(a.detach().numpy(), target.numpy()))

# %% [markdown]
# ## 6. 梯度下降：MSE 稳定下来，MAE 一直来回跳
#
# 用梯度下降 $c \leftarrow c - \eta\,\partial L/\partial c$ 把一个数 $c$ 拟合到单个目标 $y = 3$，两种损失使用相同的学习率 (learning rate) $\eta = 0.35$。
#
# - MSE：梯度 $2(c - 3)$ 随 $c$ 接近 $3$ 而变小，所以步子也越来越小。
# - MAE：无论离答案多近，梯度都是 $\pm 1$，每一步的长度都是 $\eta$，于是 $c$ 在答案两侧永远来回跳。

# %%
def descend(grad_fn, target, c0=0.0, lr=0.35, steps=25):
    """在一个数 c 上做梯度下降；返回每一步之后的 c（第一个是 c0）。"""
    c = np.array([c0])
    path = [c0]
    for _ in range(steps):
        c = c - lr * grad_fn(c, np.array([target]))
        path.append(float(c[0]))
    return np.array(path)


path_mse = descend(losses.mse_grad, 3.0)
path_mae = descend(losses.mae_grad, 3.0)
ax = plot.lines(np.arange(path_mse.size), {"MSE": path_mse, "MAE": path_mae}, markers=True,
                reference=3.0, reference_label="目标 y = 3", xlabel="步数", ylabel="c",
                title="固定学习率的梯度下降")
plt.show()
print("最后 4 个值，MSE：", np.round(path_mse[-4:], 4))
print("最后 4 个值，MAE：", np.round(path_mae[-4:], 4))

# %% [markdown]
# MSE 收敛了；MAE 最终在 $3$ 附近进入两步一循环。要让 MAE 稳定下来，需要随时间递减的学习率（或能自适应步长的优化器 (optimiser)）。

# %% [markdown]
# ## 7. 对离群点的稳健性
#
# 一个带线性趋势 $y \approx 2x + 1$ 的数据集，外加三个**离群点**（远高于趋势线的点）：

# %%
x, y_data, is_outlier = data.regression_with_outliers(n=30, n_outliers=3, seed=0)
print(f"{x.size} 个点，其中 {is_outlier.sum()} 个离群点，位于 x =", np.round(x[is_outlier], 2))

# %% [markdown]
# ### 最优常数
#
# 如果模型只是一个常数 $c$，哪个 $c$ 使各损失最小？对平方误差，令 $\sum_i (y_i - c)^2$ 的导数为零；
# SymPy 对四个样本求解：

# %%
symbolic.best_constant_mse()

# %% [markdown]
# 平方误差的最小点是**均值** (mean)。对绝对误差，$\sum_i |y_i - c|$ 的导数等于（小于 $c$ 的 $y_i$ 个数）−（大于
# $c$ 的个数），当数据在 $c$ 两侧各占一半时它为零：最小点是**中位数** (median)。网格搜索验证了这两点：

# %%
c_grid = np.linspace(0, 20, 20_001)
mse_of_c = np.array([losses.mse(np.full_like(y_data, c), y_data) for c in c_grid])
mae_of_c = np.array([losses.mae(np.full_like(y_data, c), y_data) for c in c_grid])
print(f"MSE 的最小点 = {c_grid[mse_of_c.argmin()]:.3f}，均值   = {np.mean(y_data):.3f}")
print(f"MAE 的最小点 = {c_grid[mae_of_c.argmin()]:.3f}，中位数 = {np.median(y_data):.3f}")

# %% [markdown]
# （点数为偶数时，两个中间值之间的每个 $c$ 都使 MAE 最小；网格搜索返回第一个。）三个离群点把均值往上拉，中位数几乎不动。
#
# ### 拟合一条直线
#
# 现在分别用两种损失，通过梯度下降拟合 $\hat y = w x + b$。由链式法则 (chain rule)，
# $\partial L/\partial w = \sum_i \frac{\partial L}{\partial \hat y_i} x_i$，
# $\partial L/\partial b = \sum_i \frac{\partial L}{\partial \hat y_i}$，其中 $\partial L/\partial \hat y$ 正是
# `mse_grad` 和 `mae_grad` 的返回值。

# %%
def fit_line(loss_grad, lr, steps):
    """对 ŷ = w·x + b 做梯度下降；loss_grad(ŷ, y) 返回损失对 ŷ 的梯度。"""
    w, b = 0.0, 0.0
    for _ in range(steps):
        g = loss_grad(w * x + b, y_data)
        w, b = w - lr * float(g @ x), b - lr * float(g.sum())
    return w, b


w_mse, b_mse = fit_line(losses.mse_grad, lr=0.02, steps=3000)
w_mae, b_mae = fit_line(losses.mae_grad, lr=0.02, steps=3000)
print(f"MSE 拟合：ŷ = {w_mse:.2f}·x + {b_mse:.2f}")
print(f"MAE 拟合：ŷ = {w_mae:.2f}·x + {b_mae:.2f}")
print("真实趋势：ŷ = 2.00·x + 1.00")

x_line = np.linspace(0, 5, 2)
plot.scatter_fits(x, y_data, x_line, {"MSE 拟合": w_mse * x_line + b_mse, "MAE 拟合": w_mae * x_line + b_mae},
                  highlight=is_outlier, points_label="数据", highlight_label="离群点",
                  xlabel="x", ylabel="y", title="有三个离群点时的直线拟合")
plt.show()

# %% [markdown]
# 离群点的平方误差非常大，所以 MSE 把整条直线往离群点那边扳。在 MAE 下，每个点无论多远，拉力都一样（$\pm 1/N$），离群点几乎不起作用。这就是数据含离群点时使用 MAE（或 Huber 损失：误差小时是二次函数，误差大时是线性函数）的原因；而当误差大致服从高斯分布、大误差确实更糟时，使用 MSE。

# %% [markdown]
# ## 8. 求和还是求平均？小批量梯度估计的是什么
#
# 记 $\ell_i$ 为样本 $i$ 的损失。把这些逐样本损失加起来有两种常见方式：$L_{\text{sum}} = \sum_i \ell_i$ 和
# $L_{\text{mean}} = \frac{1}{N}\sum_i \ell_i$。两者的最小点相同，但梯度相差 $N$ 倍，所以对其中一个合适的学习率，对另一个会大（或小）$N$ 倍。还要分清两种求和：对**一个样本的多个输出**求和（例如输出为 $a_k$ 的多输出网络的
# $\tfrac12\sum_k (y_k - a_k)^2$），以及对**样本**求和或求平均。
#
# 训练通常使用一个**小批量** $B$：$g_B = \frac{1}{|B|}\sum_{i \in B} \nabla \ell_i$。若 $B$ 是均匀随机抽取的，
# $g_B$ 就是 $\nabla L_{\text{mean}}$ 的无偏估计 (unbiased estimate)：它在所有批次上的平均恰好等于该梯度。对 $L_{\text{sum}}$，要把小批量上的**和** $\sum_{i \in B} \nabla \ell_i$ 乘以 $N/|B|$（也就是把 $g_B$ 乘以 $N$）。
#
# 在 $(w, b) = (1, 0)$ 处，用平方误差对直线模型验证：

# %%
def grad_wb(idx, w=1.0, b=0.0):
    """样本 idx 上的均方误差对 (w, b) 的梯度。"""
    g = losses.mse_grad(w * x[idx] + b, y_data[idx])
    return np.array([g @ x[idx], g.sum()])


full = grad_wb(np.arange(x.size))
rng = np.random.default_rng(0)
batches = [rng.choice(x.size, size=5, replace=False) for _ in range(20_000)]
estimates = np.array([grad_wb(idx) for idx in batches])
print("平均损失的全批量梯度：       ", np.round(full, 3))
print("20000 个小批量梯度的平均：   ", np.round(estimates.mean(axis=0), 3),
      "± 标准误", np.round(estimates.std(axis=0) / np.sqrt(len(batches)), 3))
print("一轮 6 个不相交批次的平均：  ", np.round(
    np.mean([grad_wb(idx) for idx in rng.permutation(x.size).reshape(6, 5)], axis=0), 3))
print("单个小批量梯度的离散程度（标准差）：", np.round(estimates.std(axis=0), 3))

# %% [markdown]
# 许多小批量梯度的平均与全批量梯度很接近：这里相差不到两个标准误 (standard error)，正符合随机抽样的预期。把数据分成大小相等、互不相交的批次走完一轮 (epoch)，就能精确复现全批量梯度。单个小批量梯度的噪声很大（标准差 (standard deviation) 大）。这种噪声是廉价步骤的代价，第 06 章会说明它甚至有好处。

# %% [markdown]
# ## 9. 常见误区
#
# - **“MSE 是 L2 范数的平均。”** 不对：它是 $\frac1N\lVert y-\hat y\rVert_2^2$，即误差平方的平均，也就是 L2
#   **范数**（不是“范式”）的平方除以 $N$。去掉平方得到的是另一个数（第 3 节）。
# - **“MAE 难用，因为它在 0 处导数无定义。”** 在 $0$ 处 $[-1,1]/N$ 中的任何值都是合法的次梯度，框架取 $0$。真正的问题是 MAE 的梯度在最优点附近不变小，固定学习率会振荡（第 6 节）。
# - **“当 $e > 1$ 时 $e^2 > |e|$。”** 条件是 $|e| > 1$：很大的负误差同样算在内（第 4 节）。
# - **求和与求平均。** 针对一个样本的多个输出写出的 $\tfrac12\sum(y - a)^2$ 并不是整个数据集上的平均。小批量平均估计的是**平均**损失的梯度；对求和形式的损失，要把小批量上的和乘以 $N/|B|$（第 8 节）。
#
# ## 小结
#
# - MSE $= \frac1N\sum(\hat y_i-y_i)^2$，取值范围 $[0,\infty)$，梯度 $\frac2N(\hat y-y)$：大误差占主导，接近最优点时步长变小。
# - MAE $= \frac1N\sum|\hat y_i-y_i|$，梯度 $\operatorname{sign}(\hat y-y)/N$：对离群点稳健，步长大小恒定。
# - 两者都是 Lp 损失 $\lVert y-\hat y\rVert_p^p$ 的平均。在 MSE 下最优常数是均值，在 MAE 下是中位数。
#
# **练习：** 打开 `exercises/01_regression_losses.ipynb`。
