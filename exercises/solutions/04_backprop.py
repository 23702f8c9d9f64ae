# %% [markdown]
# # 练习 04 · 反向传播 / Exercises 04 · Back-propagation
#
# 每道题：在标出的地方填写答案或代码，然后运行下面的检查单元格。
# For each exercise: fill in the answer or the code where marked, then run the check cell below it.
#
# - ✅ 正确 / Correct — 做对了 / well done
# - ❌ 不对 / Not quite — 看看提示再试 / read the hint and try again
# - ❌ 未完成 / not filled in yet — 还没有作答 / you have not answered yet
#
# 配套章节 / Chapter: `chapters/04_backprop/zh.ipynb`, `en.ipynb`.

# %%
import mlcourse

mlcourse.setup(seed=0, lang="zh")

import math

import numpy as np

from mlcourse import check, layers
from mlcourse.autograd import Value
from mlcourse.gradcheck import numerical_grad

# %% [markdown]
# ## 1. 手算一个小计算图的梯度 / Gradients of a small graph by hand
#
# $g = a\,b + c$，$f = g\,d$，取 $a = 2$，$b = -3$，$c = 4$，$d = -1$。先做前向传播，算出 $g$ 和 $f$；再从 $\partial f/\partial f = 1$ 开始反向传播，求出 $\partial f/\partial a$、$\partial f/\partial b$、$\partial f/\partial c$、$\partial f/\partial d$。
#
# $g = a\,b + c$, $f = g\,d$ at $a = 2$, $b = -3$, $c = 4$, $d = -1$. Run the forward pass for $g$ and $f$, then the
# backward pass from $\partial f/\partial f = 1$: find $\partial f/\partial a$, $\partial f/\partial b$,
# $\partial f/\partial c$, $\partial f/\partial d$.

# %%
answer_grads = [3.0, -2.0, -1.0, -2.0]  # SOLUTION

# %%
a, b, c, d = Value(2.0), Value(-3.0), Value(4.0), Value(-1.0)
((a * b + c) * d).backward()
check.value(answer_grads, [a.grad, b.grad, c.grad, d.grad], name="[∂f/∂a, ∂f/∂b, ∂f/∂c, ∂f/∂d]")

# %% [markdown] tags=["solution"]
# 解答：前向：$g = -6 + 4 = -2$，$f = 2$。反向：$\partial f/\partial d = g = -2$，$\partial f/\partial g = d = -1$；加法门把 $-1$ 原样传给 $c$（所以 $\partial f/\partial c = -1$）和乘积 $ab$；乘法门再把它乘以另一个输入：$\partial f/\partial a = b\cdot(-1) = 3$，$\partial f/\partial b = a\cdot(-1) = -2$。
#
# Solution: forward $g = -6 + 4 = -2$, $f = 2$. Backward: $\partial f/\partial d = g = -2$,
# $\partial f/\partial g = d = -1$; the add gate passes $-1$ unchanged to $c$ (so $\partial f/\partial c = -1$) and to
# the product $ab$; the product gate scales it by the other input: $\partial f/\partial a = b\cdot(-1) = 3$,
# $\partial f/\partial b = a\cdot(-1) = -2$.

# %% [markdown]
# ## 2. 给 `Value` 添加一个运算 / Add an operation to `Value`
#
# 写一个函数 `sin(x)`，返回表示 $\sin x$ 的新节点。新的 `Value` 节点这样创建：`Value(数值, _parents=(x,), _op="sin", _local=(局部导数,))`。反向传播时，引擎把上游梯度乘以 `_local` 中的数，再累加到父节点的梯度上。$\sin$ 的局部导数是什么？
#
# Write a function `sin(x)` that returns a new node for $\sin x$. A node is created as
# `Value(value, _parents=(x,), _op="sin", _local=(local_derivative,))`; in the backward pass the engine multiplies
# the upstream gradient by the number in `_local` and adds the result to the parent's gradient. What is the local
# derivative of $\sin$?

# %%
def sin(x):
    # BEGIN SOLUTION
    return Value(math.sin(x.data), _parents=(x,), _op="sin", _local=(math.cos(x.data),))
    # END SOLUTION


# %%
def value_and_grad(t):
    """f = 3·sin(t) + sin(t) with your sin (t fans out); returns (f, ∂f/∂t)."""
    v = Value(t)
    f = sin(v) * 3.0 + sin(v)
    f.backward()
    return f.data, v.grad


check.function(value_and_grad, lambda t: (4 * math.sin(t), 4 * math.cos(t)), [(0.0,), (1.0,), (-2.5,)], name="sin")

# %% [markdown]
# ## 3. 实现 `tanh_backward` / Implement `tanh_backward`
#
# 前向：$a = \tanh z$。已知上游梯度 `da` $= \partial L/\partial a$ 和前向输出 `a`，返回 `dz` $= \partial L/\partial z$（逐元素计算，形状与 `a` 相同）。提示：$\tanh' z = 1 - \tanh^2 z$。
#
# Forward: $a = \tanh z$. Given the upstream gradient `da` $= \partial L/\partial a$ and the forward output `a`,
# return `dz` $= \partial L/\partial z$ (elementwise, shaped like `a`). Hint: $\tanh' z = 1 - \tanh^2 z$.

# %%
def my_tanh_backward(da, a):
    # BEGIN SOLUTION
    return da * (1.0 - a * a)
    # END SOLUTION


# %%
rng = np.random.default_rng(0)
cases = [(rng.normal(size=5), np.tanh(rng.normal(size=5))) for _ in range(2)]
cases.append((rng.normal(size=(3, 4)), np.tanh(rng.normal(size=(3, 4)))))
check.function(my_tanh_backward, lambda da, a: layers.tanh_backward(da, (a,)), cases, name="tanh_backward")

# %% [markdown]
# ## 4. 输出层的 δ / The δ of the output layer
#
# (a) 一个样本，输出层 $a = \sigma(z)$（逐元素），损失 $L = \tfrac12\sum_k (a_k - y_k)^2$。写出 $\delta = \partial L/\partial z$。
#
# (a) One sample, output layer $a = \sigma(z)$ (elementwise), loss $L = \tfrac12\sum_k (a_k - y_k)^2$. Write
# $\delta = \partial L/\partial z$.

# %%
def delta_half_squared_sigmoid(z, y):
    a = layers.sigmoid(z)
    # BEGIN SOLUTION
    return (a - y) * a * (1.0 - a)
    # END SOLUTION


# %%
def finite_delta(z, y):
    return numerical_grad(lambda v: 0.5 * np.sum((layers.sigmoid(v) - y) ** 2), z)


cases = [(rng.normal(size=3), rng.uniform(size=3)), (rng.normal(size=6) * 3, rng.uniform(size=6))]
check.function(delta_half_squared_sigmoid, finite_delta, cases, name="δ (½‖a − y‖², sigmoid)", rtol=1e-5, atol=1e-9)

# %% [markdown]
# (b) 如果输出仍是 $a = \sigma(z)$，但损失换成二元交叉熵 $L = -\sum_k [y_k\ln a_k + (1-y_k)\ln(1-a_k)]$，$\delta$ 是哪一个？填 `"a - y"`、`"(a - y) * a * (1 - a)"` 或 `"a * (1 - a)"`。
#
# (b) With the same output $a = \sigma(z)$ but the binary cross-entropy
# $L = -\sum_k [y_k\ln a_k + (1-y_k)\ln(1-a_k)]$, which is $\delta$? Answer `"a - y"`, `"(a - y) * a * (1 - a)"` or
# `"a * (1 - a)"`.

# %%
answer_delta_bce = "a - y"  # SOLUTION

# %%
check.choice(answer_delta_bce, "a - y", options=["a - y", "(a - y) * a * (1 - a)", "a * (1 - a)"], name="δ (BCE, sigmoid)")

# %% [markdown] tags=["solution"]
# 解答：(a) $\partial L/\partial a_k = a_k - y_k$，再乘以 $\sigma'(z_k) = a_k(1 - a_k)$，得到 $\delta = (a - y)\odot a\odot(1 - a)$。(b) $\partial L/\partial a_k = (a_k - y_k)/(a_k(1 - a_k))$，而 $\partial a_k/\partial z_k = a_k(1-a_k)$：这个因子被消掉，$\delta = a - y$。
#
# Solution: (a) $\partial L/\partial a_k = a_k - y_k$, times $\sigma'(z_k) = a_k(1 - a_k)$, gives
# $\delta = (a - y)\odot a\odot(1 - a)$. (b) $\partial L/\partial a_k = (a_k - y_k)/(a_k(1 - a_k))$ and
# $\partial a_k/\partial z_k = a_k(1-a_k)$: the factor cancels and $\delta = a - y$.

# %% [markdown]
# ## 5. 判断对错 / True or false
#
# (a) `loss.backward()` 会更新网络的权重。 / `loss.backward()` updates the weights of the network.
#
# (b) 梯度为零的点一定是极小值点。 / A point where the gradient is zero is always a minimum.
#
# (c) 一个值同时送入两个门时，它的梯度是两条路径的贡献之和。 / When a value feeds two gates, its gradient is the
# sum of the contributions of the two paths.
#
# 填 `True` 或 `False`。 / Answer `True` or `False`.

# %%
answer_backward_updates = False  # SOLUTION
answer_zero_gradient_minimum = False  # SOLUTION
answer_fan_out_sum = True  # SOLUTION

# %%
check.true_false(answer_backward_updates, False, name="(a)")

# %%
check.true_false(answer_zero_gradient_minimum, False, name="(b)")

# %%
check.true_false(answer_fan_out_sum, True, name="(c)")

# %% [markdown] tags=["solution"]
# 解答：(a) 错。`backward()` 只计算梯度、填写 `.grad`；改变权重的是优化器的 `step()`。(b) 错。极大值点和鞍点的梯度也为零。(c) 对。所有路径的贡献要相加。
#
# Solution: (a) False: `backward()` only computes the gradients and fills `.grad`; the optimiser's `step()` changes
# the weights. (b) False: maxima and saddle points have zero gradient too. (c) True: the contributions of all paths
# are added.
