# %% [markdown]
# # 练习 06 · 泰勒展开与梯度下降 / Exercises 06 · Taylor expansion and gradient descent
#
# 每道题：在标出的地方填写答案或代码，然后运行下面的检查单元格。
# For each exercise: fill in the answer or the code where marked, then run the check cell below it.
#
# - ✅ 正确 / Correct — 做对了 / well done
# - ❌ 不对 / Not quite — 看看提示再试 / read the hint and try again
# - ❌ 未完成 / not filled in yet — 还没有作答 / you have not answered yet
#
# 配套章节 / Chapter: `chapters/06_taylor_descent/zh.ipynb`, `en.ipynb`.

# %%
import mlcourse

mlcourse.setup(seed=0, lang="zh")

import numpy as np
import sympy as sp

from mlcourse import check, functions, optim, symbolic

# %% [markdown]
# ## 1. 泰勒多项式 / A Taylor polynomial
#
# 写出 $f(x) = \ln(1 + x)$ 在 $x_0 = 0$ 处的 4 阶泰勒多项式 $T_4(x) = c_0 + c_1 x + c_2 x^2 + c_3 x^3 + c_4 x^4$，按 $[c_0, c_1, c_2, c_3, c_4]$ 的顺序填入系数。提示：$c_k = f^{(k)}(0)/k!$。
#
# Write the order-4 Taylor polynomial of $f(x) = \ln(1 + x)$ at $x_0 = 0$,
# $T_4(x) = c_0 + c_1 x + c_2 x^2 + c_3 x^3 + c_4 x^4$, and give the coefficients as $[c_0, c_1, c_2, c_3, c_4]$.
# Hint: $c_k = f^{(k)}(0)/k!$.

# %%
answer_coefficients = [0.0, 1.0, -0.5, 1 / 3, -0.25]  # SOLUTION

# %%
x = sp.Symbol("x", real=True)
T4 = symbolic.taylor_polynomial(sp.log(1 + x), x, 0, 4)
expected = [float(T4.coeff(x, k)) for k in range(5)]
check.value(answer_coefficients, np.array(expected), name="T_4 of ln(1 + x)")

# %% [markdown] tags=["solution"]
# 解答：$f(0) = \ln 1 = 0$；$f' = 1/(1+x)$，$f'' = -1/(1+x)^2$，$f''' = 2/(1+x)^3$，$f'''' = -6/(1+x)^4$，它们在 $0$ 处的值为 $1, -1, 2, -6$，所以 $c = (0, 1, -1/2, 2/6, -6/24) = (0, 1, -1/2, 1/3, -1/4)$。
#
# Solution: $f(0) = \ln 1 = 0$; $f' = 1/(1+x)$, $f'' = -1/(1+x)^2$, $f''' = 2/(1+x)^3$, $f'''' = -6/(1+x)^4$; at
# $0$ they are $1, -1, 2, -6$, so $c = (0, 1, -1/2, 2/6, -6/24) = (0, 1, -1/2, 1/3, -1/4)$.

# %% [markdown]
# ## 2. 最大稳定学习率 / The largest stable learning rate
#
# 用梯度下降最小化 $L(\theta) = \frac12\theta^\top A\theta$，其中 $A = \begin{pmatrix} 3 & 1 \\ 1 & 3\end{pmatrix}$。学习率 $\eta$ 小于多少时，从任何起点出发都收敛到 $0$？（填一个数：这个临界值。）
#
# Gradient descent on $L(\theta) = \frac12\theta^\top A\theta$ with $A = \begin{pmatrix} 3 & 1 \\ 1 & 3\end{pmatrix}$.
# Below which learning rate $\eta$ does it converge to $0$ from every start? (One number: the bound.)

# %%
A = np.array([[3.0, 1.0], [1.0, 3.0]])

answer_eta_max = 0.5  # SOLUTION

# %%
check.value(answer_eta_max, 2 / np.linalg.eigvalsh(A).max(), name="η_max")

# %% [markdown] tags=["solution"]
# 解答：海森矩阵就是 $A$，特征值为 $2$ 和 $4$（特征向量分别为 $(1, -1)$ 和 $(1, 1)$）。每走一步，沿每个特征方向的分量都乘以 $1 - \eta\lambda$，所以需要 $|1 - 4\eta| < 1$，即 $\eta < 2/4 = 0.5$。
#
# Solution: the Hessian is $A$, with eigenvalues $2$ and $4$ (eigenvectors $(1, -1)$ and $(1, 1)$). Each step
# multiplies the component along each eigen-direction by $1 - \eta\lambda$, so we need $|1 - 4\eta| < 1$, i.e.
# $\eta < 2/4 = 0.5$.

# %% [markdown]
# ## 3. 实现梯度下降 / Implement gradient descent
#
# 实现 `my_gradient_descent(grad_fn, theta0, lr, steps)`：从 `theta0` 出发，做 `steps` 步 $\theta \leftarrow \theta - \eta\nabla L(\theta)$，返回形状为 `(steps + 1, d)` 的轨迹（第 0 行是 `theta0`）。不要修改 `theta0`。
#
# Implement `my_gradient_descent(grad_fn, theta0, lr, steps)`: take `steps` steps $\theta \leftarrow \theta -
# \eta\nabla L(\theta)$ from `theta0` and return the trajectory of shape `(steps + 1, d)` (row 0 is `theta0`).
# Do not modify `theta0`.

# %%
def my_gradient_descent(grad_fn, theta0, lr, steps):
    # BEGIN SOLUTION
    theta = np.array(theta0, dtype=float)
    path = [theta]
    for _ in range(steps):
        theta = theta - lr * grad_fn(theta)
        path.append(theta)
    return np.array(path)
    # END SOLUTION


# %%
def reference(grad_fn, theta0, lr, steps):
    return optim.run(optim.sgd_step, grad_fn, theta0, steps, lr=lr)


cases = [
    (functions.bowl_grad, np.array([-2.0, 1.0]), 0.1, 20),
    (functions.rosenbrock_grad, np.array([-1.2, 1.0]), 1e-3, 50),
    (functions.saddle_grad, np.array([1.0, 1e-3]), 0.05, 30),
]
check.function(my_gradient_descent, reference, cases, name="gradient descent")

# %% [markdown]
# ## 4. 最陡的一步 / The steepest step
#
# 在某一点处 $\nabla L = (3, -4)$。在长度为 $\varepsilon = 0.5$ 的所有步子 $\Delta$ 中，哪一步让线性化的损失 $L + \nabla L\cdot\Delta$ 下降得最多？填入 $(\Delta_1, \Delta_2)$。
#
# At some point $\nabla L = (3, -4)$. Among all steps $\Delta$ of length $\varepsilon = 0.5$, which one lowers the
# linearised loss $L + \nabla L\cdot\Delta$ most? Give $(\Delta_1, \Delta_2)$.

# %%
answer_step = (-0.3, 0.4)  # SOLUTION

# %%
grad = np.array([3.0, -4.0])
check.value(answer_step, -0.5 * grad / np.linalg.norm(grad), name="steepest step")

# %% [markdown] tags=["solution"]
# 解答：由柯西–施瓦茨不等式，$\Delta = -\varepsilon\nabla L/\lVert\nabla L\rVert = -0.5\,(3, -4)/5 = (-0.3, 0.4)$；线性化损失的变化量为 $-\varepsilon\lVert\nabla L\rVert = -2.5$。注意两个分量的符号相反。
#
# Solution: by Cauchy–Schwarz, $\Delta = -\varepsilon\nabla L/\lVert\nabla L\rVert = -0.5\,(3, -4)/5 = (-0.3, 0.4)$;
# the linearised change is $-\varepsilon\lVert\nabla L\rVert = -2.5$. Note that the two components have opposite
# signs.

# %% [markdown]
# ## 5. 这是什么驻点？ / What kind of stationary point?
#
# $f(x, y) = x^2 + 4xy + y^2$ 在 $(0, 0)$ 处梯度为 $0$。这一点是极小值点、极大值点还是鞍点？填 `"minimum"`、`"maximum"` 或 `"saddle"`。提示：看海森矩阵的特征值。
#
# $f(x, y) = x^2 + 4xy + y^2$ has a zero gradient at $(0, 0)$. Is it a minimum, a maximum or a saddle? Answer
# `"minimum"`, `"maximum"` or `"saddle"`. Hint: the eigenvalues of the Hessian.

# %%
answer_kind = "saddle"  # SOLUTION

# %%
X, Y = sp.symbols("x y", real=True)
(_, _, kind), = symbolic.stationary_points(X**2 + 4 * X * Y + Y**2, [X, Y])
check.choice(answer_kind, kind, options=["minimum", "maximum", "saddle"], name="stationary point")

# %% [markdown] tags=["solution"]
# 解答：海森矩阵是 $\begin{pmatrix} 2 & 4 \\ 4 & 2\end{pmatrix}$，特征值为 $6$ 和 $-2$：沿 $(1, 1)$ 方向向上弯，沿 $(1, -1)$ 方向向下弯，所以是鞍点。两个对角元都是正的，但这不足以说明它是极小值点。
#
# Solution: the Hessian is $\begin{pmatrix} 2 & 4 \\ 4 & 2\end{pmatrix}$ with eigenvalues $6$ and $-2$: up
# along $(1, 1)$, down along $(1, -1)$, so a saddle. Both diagonal entries are positive, which is not enough for a
# minimum.

# %% [markdown]
# ## 6. 对还是错？ / True or false?
#
# “梯度下降的某一步之后 $\lVert\nabla L\rVert$ 变大了，说明这一步的学习率太大、损失上升了。”填 `True` 或 `False`。
#
# "If $\lVert\nabla L\rVert$ grew after a step of gradient descent, the learning rate was too large and the loss went
# up." Answer `True` or `False`.

# %%
answer_grad_norm = False  # SOLUTION

# %%
check.true_false(answer_grad_norm, False, name="gradient norm")

# %% [markdown] tags=["solution"]
# 解答：错。“下降”指的是沿 $-\nabla L$ 方向走；在 Rosenbrock 函数上取 $\eta = 10^{-3}$ 时，损失每一步都在下降，而梯度范数在其中几百步里都变大了（第 06 章第 4 节）。
#
# Solution: false. "Descent" names the direction $-\nabla L$; on Rosenbrock with $\eta = 10^{-3}$ the loss falls
# at every step while the gradient norm grows in hundreds of them (chapter 06, section 4).
