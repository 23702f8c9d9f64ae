# %% [markdown]
# # 练习 01 · 回归损失 / Exercises 01 · Regression losses
#
# 每道题：在标出的地方填写答案或代码，然后运行下面的检查单元格。
# For each exercise: fill in the answer or the code where marked, then run the check cell below it.
#
# - ✅ 正确 / Correct — 做对了 / well done
# - ❌ 不对 / Not quite — 看看提示再试 / read the hint and try again
# - ❌ 未完成 / not filled in yet — 还没有作答 / you have not answered yet
#
# 配套章节 / Chapter: `chapters/01_regression_losses/zh.ipynb`, `en.ipynb`.

# %%
import mlcourse

mlcourse.setup(seed=0, lang="zh")

import numpy as np

from mlcourse import check, losses

# %% [markdown]
# ## 1. 手算 MSE 和 MAE / MSE and MAE by hand
#
# 目标值 $y = (1, 2, 3, 4)$，预测值 $\hat y = (1.5, 2, 2, 6)$。不用 `losses`，先在纸上算出 MSE 和 MAE，再把数字填进去。
#
# Targets $y = (1, 2, 3, 4)$, predictions $\hat y = (1.5, 2, 2, 6)$. Without `losses`, work out MSE and MAE on
# paper, then type in the numbers.

# %%
y = np.array([1.0, 2.0, 3.0, 4.0])
y_hat = np.array([1.5, 2.0, 2.0, 6.0])

answer_mse = 1.3125  # SOLUTION
answer_mae = 0.875  # SOLUTION

# %%
check.value(answer_mse, losses.mse(y_hat, y), name="MSE")

# %%
check.value(answer_mae, losses.mae(y_hat, y), name="MAE")

# %% [markdown] tags=["solution"]
# 解答：误差 $e = \hat y - y = (0.5, 0, -1, 2)$；MSE $= (0.25 + 0 + 1 + 4)/4 = 1.3125$，MAE $= (0.5 + 0 + 1 + 2)/4 = 0.875$。
#
# Solution: errors $e = \hat y - y = (0.5, 0, -1, 2)$; MSE $= (0.25 + 0 + 1 + 4)/4 = 1.3125$,
# MAE $= (0.5 + 0 + 1 + 2)/4 = 0.875$.

# %% [markdown]
# ## 2. 实现 MSE 的梯度 / Implement the gradient of MSE
#
# 实现 $\partial\,\mathrm{MSE}/\partial \hat y$：输入可以是任意形状（$N$ 是元素总数），返回一个与 `y_hat` 形状相同的新数组。
#
# Write $\partial\,\mathrm{MSE}/\partial \hat y$ for inputs of any shape ($N$ is the number of elements); return a new
# array shaped like `y_hat`.

# %%
def my_mse_grad(y_hat, y):
    y_hat = np.asarray(y_hat, dtype=float)
    y = np.asarray(y, dtype=float)
    # BEGIN SOLUTION
    return 2.0 * (y_hat - y) / y.size
    # END SOLUTION


# %%
rng = np.random.default_rng(1)
cases = [(y_hat, y), (rng.normal(size=7), rng.normal(size=7)), (rng.normal(size=(3, 2)), rng.normal(size=(3, 2)))]
check.function(my_mse_grad, losses.mse_grad, cases, name="mse_grad")

# %% [markdown]
# ## 3. 实现 Lp 损失 / Implement the Lp loss
#
# $L_p(\hat y, y) = \lVert y - \hat y \rVert_p^p = \sum_i |y_i - \hat y_i|^p$，其中 $p \ge 1$。
#
# $L_p(\hat y, y) = \lVert y - \hat y \rVert_p^p = \sum_i |y_i - \hat y_i|^p$ for $p \ge 1$.

# %%
def my_lp_loss(y_hat, y, p):
    # BEGIN SOLUTION
    return float(np.sum(np.abs(np.asarray(y) - np.asarray(y_hat)) ** p))
    # END SOLUTION


# %%
cases = [(y_hat, y, 1), (y_hat, y, 2), (y_hat, y, 3.5), (rng.normal(size=5), rng.normal(size=5), 1.5)]
check.function(my_lp_loss, losses.lp_loss, cases, name="lp_loss")

# %% [markdown]
# ## 4. 使 MAE 最小的常数 / The constant that minimises MAE
#
# 数据 $y = (1, 2, 3, 10, 50)$。哪个常数 $c$ 使 $\frac1N\sum_i |y_i - c|$ 最小？（填一个数。）
#
# Data $y = (1, 2, 3, 10, 50)$. Which constant $c$ minimises $\frac1N\sum_i |y_i - c|$? (One number.)

# %%
y_small = np.array([1.0, 2.0, 3.0, 10.0, 50.0])

answer_c = 3.0  # SOLUTION

# %%
c_grid = np.linspace(0, 60, 60_001)
best_c = c_grid[np.argmin([losses.mae(np.full(5, c), y_small) for c in c_grid])]
check.value(answer_c, best_c, name="argmin MAE", atol=1e-3)

# %% [markdown] tags=["solution"]
# 解答：中位数 $3$。均值 $13.2$ 是使 MSE 最小的常数。
#
# Solution: the median, $3$. The mean, $13.2$, is the constant that minimises MSE.

# %% [markdown]
# ## 5. 一个离群点 / One outlier
#
# 把 $y = (1, 2, 3, 4, 5)$ 的最后一个值改成 $500$。最优常数在哪种损失下移动得更多？填 `"mse"` 或 `"mae"`。
#
# Change the last value of $y = (1, 2, 3, 4, 5)$ to $500$. Under which loss does the best constant move more?
# Answer `"mse"` or `"mae"`.

# %%
answer_outlier = "mse"  # SOLUTION

# %%
check.choice(answer_outlier, "mse", options=["mse", "mae"], name="outlier")

# %% [markdown] tags=["solution"]
# 解答：在 MSE 下，最优常数是均值，它从 $3$ 移到了 $102$；在 MAE 下，最优常数是中位数，仍然是 $3$。
#
# Solution: under MSE the best constant is the mean, which moves from $3$ to $102$; under MAE it is the
# median, which stays at $3$.
