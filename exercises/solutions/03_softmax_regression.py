# %% [markdown]
# # 练习 03 · softmax 回归 / Exercises 03 · Softmax regression
#
# 每道题：在标出的地方填写答案或代码，然后运行下面的检查单元格。
# For each exercise: fill in the answer or the code where marked, then run the check cell below it.
#
# - ✅ 正确 / Correct — 做对了 / well done
# - ❌ 不对 / Not quite — 看看提示再试 / read the hint and try again
# - ❌ 未完成 / not filled in yet — 还没有作答 / you have not answered yet
#
# 配套章节 / Chapter: `chapters/03_softmax_regression/zh.ipynb`, `en.ipynb`.

# %%
import mlcourse

mlcourse.setup(seed=0, lang="zh")

import numpy as np

from mlcourse import check, softmax

# %% [markdown]
# ## 1. 稳定的 log-softmax / A stable log-softmax
#
# 对二维数组 `z` 的每一行计算 $\log\mathrm{softmax}(z)_k = z_k - \log\sum_j e^{z_j}$。即使 logits 大到 $\pm 10^4$，也必须给出有限的正确值，且不产生警告（提示：先减去每行的最大值）。
#
# Compute $\log\mathrm{softmax}(z)_k = z_k - \log\sum_j e^{z_j}$ for every row of a 2-D array `z`. It must return
# finite, correct values without warnings even for logits like $\pm 10^4$ (hint: subtract each row's maximum first).

# %%
def my_log_softmax(z):
    z = np.asarray(z, dtype=float)
    # BEGIN SOLUTION
    m = z.max(axis=1, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True))
    # END SOLUTION


# %%
rng = np.random.default_rng(0)
cases = [
    (np.array([[1.0, 2.0, 3.0]]),),
    (np.array([[1000.0, 1001.0, 1002.0], [-1e4, 0.0, 1e4]]),),
    (rng.normal(scale=4, size=(6, 5)),),
]
check.function(my_log_softmax, lambda z: softmax.log_softmax(z, axis=1), cases, name="log_softmax")

# %% [markdown]
# ## 2. softmax 交叉熵的梯度 / The gradient of softmax cross-entropy
#
# 实现平均损失 $L = -\frac1N\sum_n \log\mathrm{softmax}(z_n)[y_n]$ 对 logits 的梯度 $\partial L/\partial z$。`z` 的形状是 $(N, K)$，`y` 是 $N$ 个从 0 开始数的整数标签。这里 logits 记作 $z$、类别数记作 $K$（正文中分别是 $o$ 和 $q$）。
#
# Implement the gradient $\partial L/\partial z$ of the mean loss $L = -\frac1N\sum_n \log\mathrm{softmax}(z_n)[y_n]$.
# `z` has shape $(N, K)$ and `y` holds $N$ integer labels counted from 0. Here the logits are called $z$ and the
# number of classes $K$ (in the chapter: $o$ and $q$).

# %%
def my_softmax_ce_grad(z, y):
    z = np.asarray(z, dtype=float)
    y = np.asarray(y)
    # BEGIN SOLUTION
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1.0
    return p / len(y)
    # END SOLUTION


# %%
cases = [
    (np.log(np.array([[0.34, 0.46, 0.20]])), np.array([0])),
    (rng.normal(size=(4, 3)), np.array([2, 0, 1, 1])),
    (rng.normal(scale=10, size=(8, 10)), rng.integers(0, 10, size=8)),
]
check.function(my_softmax_ce_grad, softmax.softmax_cross_entropy_grad, cases, name="softmax_ce_grad")

# %% [markdown]
# ## 3. 预测梯度 / Predict the gradient
#
# 一个样本的 softmax 输出是 $\hat y = (0.1, 0.6, 0.3)$，真实类别的下标是 $2$（从 0 开始数）。写出这个样本的损失对三个 logits 的梯度 $\partial l/\partial o$（三个数）。
#
# One sample's softmax output is $\hat y = (0.1, 0.6, 0.3)$ and its true class has index $2$ (counting from 0).
# Write the gradient $\partial l/\partial o$ of its loss with respect to the three logits (three numbers).

# %%
answer_grad = np.array([0.1, 0.6, -0.7])  # SOLUTION

# %%
expected = softmax.softmax_cross_entropy_grad(np.log([[0.1, 0.6, 0.3]]), np.array([2]))[0]
check.value(answer_grad, expected, name="∂l/∂o")

# %% [markdown] tags=["solution"]
# 解答：$\partial l/\partial o = \hat y - y = (0.1, 0.6, 0.3) - (0, 0, 1) = (0.1, 0.6, -0.7)$，其中 $y$ 是真实类别的独热向量。
#
# Solution: $\partial l/\partial o = \hat y - y = (0.1, 0.6, 0.3) - (0, 0, 1) = (0.1, 0.6, -0.7)$, where $y$ is the
# one-hot vector of the true class.

# %% [markdown]
# ## 4. 形状与参数个数 / Shapes and parameter count
#
# 一个小批量有 32 个样本，每个样本有 64 个特征，共 10 个类别，模型为 $O = XW + b$。$W$ 的形状是什么？模型一共有多少个参数？
#
# A minibatch holds 32 samples of 64 features each, there are 10 classes, and the model is $O = XW + b$. What is the
# shape of $W$? How many parameters does the model have in total?

# %%
answer_shape = "(64, 10)"  # SOLUTION
answer_params = 650  # SOLUTION

# %%
check.choice(answer_shape, "(64, 10)", options=["(32, 64)", "(64, 10)", "(10, 64)", "(32, 10)"], name="shape of W")

# %%
check.value(answer_params, 64 * 10 + 10, name="parameters")

# %% [markdown] tags=["solution"]
# 解答：$X$ 是 $32\times 64$，$O$ 必须是 $32\times 10$，所以 $W$ 是 $64\times 10$，$b$ 是 $1\times 10$：共 $640 + 10 = 650$ 个参数。批量大小不影响参数个数。
#
# Solution: $X$ is $32\times 64$ and $O$ must be $32\times 10$, so $W$ is $64\times 10$ and $b$ is
# $1\times 10$: $640 + 10 = 650$ parameters. The batch size does not change the number of parameters.

# %% [markdown]
# ## 5. 线性还是非线性？ / Linear or not?
#
# 对于 softmax 回归，下面两句话是否正确？（填 `True` 或 `False`。）
#
# For softmax regression, are these statements true? (Answer `True` or `False`.)
#
# (a) 任意两个类别之间的决策边界是直线（超平面）。 / The decision boundary between any two classes is a straight
# line (a hyperplane).
#
# (b) 预测的概率 $\hat y_k$ 是输入 $\mathbf x$ 的线性函数。 / The predicted probability $\hat y_k$ is a linear
# function of the input $\mathbf x$.

# %%
answer_a = True  # SOLUTION
answer_b = False  # SOLUTION

# %%
check.true_false(answer_a, True, name="(a) boundaries")

# %%
check.true_false(answer_b, False, name="(b) probabilities")

# %% [markdown] tags=["solution"]
# 解答：(a) 类别 $a$ 和 $c$ 在 $o_a = o_c$ 处打平，即 $(\mathbf w_a - \mathbf w_c)\cdot\mathbf x + (b_a - b_c) = 0$，这是一个超平面（$\mathbf w_a$ 是 $W$ 中类别 $a$ 对应的列）。(b) 尽管每个 $o_k$ 都是 $\mathbf x$ 的仿射函数，$\hat y_k = e^{o_k}/\sum_m e^{o_m}$ 却是 $\mathbf x$ 的 S 形非线性函数。
#
# Solution: (a) classes $a$ and $c$ tie where $o_a = o_c$, i.e.
# $(\mathbf w_a - \mathbf w_c)\cdot\mathbf x + (b_a - b_c) = 0$, a hyperplane ($\mathbf w_a$ is the column of $W$ for
# class $a$). (b) $\hat y_k = e^{o_k}/\sum_m e^{o_m}$ is an S-shaped, non-linear function of $\mathbf x$ even though
# each $o_k$ is affine.
