# %% [markdown]
# # 04 · 反向传播：计算图上的梯度
#
# 训练需要损失 (loss) 对每一个参数的梯度 (gradient)，而一个网络有成百上千万个参数。**反向传播** (back-propagation)
# 只需从后往前扫描一遍，就能算出全部偏导数，代价和一次前向计算差不多。本章你将会：
#
# - 把一个计算写成**计算图** (computational graph)，先手算链式法则 (chain rule)，再依次用一个极小的自动求导
#   (autograd) 引擎 `mlcourse.autograd.Value` 和 PyTorch 计算，并用 SymPy 核对；
# - 把一个 sigmoid 神经元逐个“门”拆开，看清它的梯度为什么是 $\sigma(z)(1-\sigma(z))$；
# - 看到沿多条路径传回的梯度要**相加**；
# - 分清两件事：反向传播负责*计算*梯度，优化器负责*使用*梯度；
# - 推导多层感知机 (multi-layer perceptron, MLP) 的 **δ 方法**，用 `mlcourse.layers` 实现，并与有限差分
#   (finite difference) 和 PyTorch 对照；
# - 在 10 层网络里测量 sigmoid 和 ReLU 下的**梯度消失** (vanishing gradient)；
# - 认识不是极小值点的驻点 (stationary point)、局部极小值点 (local minimum)，以及作为无偏估计 (unbiased estimate)
#   的小批量 (minibatch) 梯度。
#
# 下面的每一个数字都由旁边的代码算出。

# %%
import mlcourse

mlcourse.setup(seed=0, lang="zh")

import itertools
import math

import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
import torch
import torch.nn.functional as F

from mlcourse import data, layers, plot, softmax, symbolic
from mlcourse.autograd import Value
from mlcourse.gradcheck import numerical_grad, rel_error
from mlcourse.graph_plot import draw_graph

# %% [markdown]
# ## 1. 计算图与链式法则
#
# 考虑 $f(x, y, z) = (x + y)\,z$，取 $x = -2$，$y = 5$，$z = -4$。给里面的和起个名字 $q = x + y$，于是 $f = q\,z$。每个运算是**计算图**中的一个节点（一个“门”），数值沿着边流动。
#
# - **前向传播** (forward pass)：从左到右，先算 $q = 3$，再算 $f = -12$。
# - **反向传播** (backward pass)：从右到左，从 $\partial f/\partial f = 1$ 出发，每经过一个门就乘上它的**局部导数**
#   (local derivative)。乘法门给出 $\partial f/\partial q = z$ 和 $\partial f/\partial z = q$；加法门给出
#   $\partial q/\partial x = \partial q/\partial y = 1$。**链式法则**把它们连起来：
# $$\frac{\partial f}{\partial x} = \frac{\partial f}{\partial q}\cdot\frac{\partial q}{\partial x} = z \cdot 1 .$$

# %%
x, y, z = -2.0, 5.0, -4.0
q = x + y  # 前向传播
f = q * z
df_df = 1.0  # 反向传播，从输出开始
df_dq = z * df_df  # 乘法门：另一个输入
df_dz = q * df_df
df_dx = 1.0 * df_dq  # 加法门：局部导数为 1
df_dy = 1.0 * df_dq
print(f"前向：q = {q}，f = {f}")
print(f"反向：∂f/∂q = {df_dq}，∂f/∂x = {df_dx}，∂f/∂y = {df_dy}，∂f/∂z = {df_dz}")

# %% [markdown]
# SymPy 直接对整个公式求导（既不需要计算图，也不需要手动用链式法则）：

# %%
f_sym, grad_sym = symbolic.add_mul_gradient()
grad_sym

# %% [markdown]
# 代入这一点：$\partial f/\partial x = \partial f/\partial y = z = -4$，$\partial f/\partial z = x + y = 3$，与上面一致。下面用 `Value` 再做一遍。`Value` 是一个标量，它在计算的同时把计算图记录下来；`backward()` 执行反向传播，并把 $\partial f/\partial\,\text{节点}$ 存进每个节点的 `.grad`。图中每个节点标出数值 (`data`) 和梯度 (`grad`)，箭头上的小数字是局部导数。

# %%
xv, yv, zv = Value(-2.0, "x"), Value(5.0, "y"), Value(-4.0, "z")
qv = xv + yv
qv.label = "q"
fv = qv * zv
fv.label = "f"
fv.backward()
print("Value：", "∂f/∂x =", xv.grad, " ∂f/∂y =", yv.grad, " ∂f/∂z =", zv.grad, " ∂f/∂q =", qv.grad)
draw_graph(fv, local_grads=True, title="f = (x + y)·z：前向数值与梯度", data_label="值", grad_label="梯度")
plt.show()

# %% [markdown]
# PyTorch 对张量做的正是同一件事（`requires_grad=True` 让它记录计算图）。我们使用 float64，这是本课程所有核对所用的精度。

# %%
xt, yt, zt = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (-2.0, 5.0, -4.0))
ft = (xt + yt) * zt
ft.backward()
print("torch：", "∂f/∂x =", xt.grad.item(), " ∂f/∂y =", yt.grad.item(), " ∂f/∂z =", zt.grad.item())

# %% [markdown]
# ## 2. 门和它们的局部导数
#
# 反向传播从来不需要整个函数的导数。每个门只需知道自己的输出如何依赖自己的输入，然后把从上面传来的梯度，即**上游梯度** (upstream gradient)，乘以这个局部导数：
# $$\frac{\partial L}{\partial\,\text{输入}} = \frac{\partial L}{\partial\,\text{输出}}\cdot
#   \frac{\partial\,\text{输出}}{\partial\,\text{输入}} .$$
#
# | 门 | 输出 | 局部导数 | 对上游梯度 $g$ 做了什么 |
# |---|---|---|---|
# | 加法 | $a + b$ | $1$，$1$ | 把 $g$ 原样传给两个输入 |
# | 加常数 | $a + c$ | $1$ | 原样传递 $g$ |
# | 乘法 | $a\,b$ | $b$，$a$ | 用*另一个*输入缩放 $g$ |
# | 乘常数 | $c\,a$ | $c$ | 用 $c$ 缩放 $g$ |
# | 指数 | $e^a$ | $e^a$ | 用输出缩放 $g$ |
# | 倒数 | $1/a$ | $-1/a^2$ | 用 $-1/a^2$ 缩放 $g$ |
# | ReLU | $\max(a, 0)$ | $a > 0$ 时为 $1$，否则为 $0$ | 让 $g$ 通过或把它挡住 |

# %% [markdown]
# ## 3. 逐门拆解一个 sigmoid 神经元
#
# 一个有两个输入、带 sigmoid 的神经元：
# $$f(w, x) = \frac{1}{1 + e^{-(w_0 x_0 + w_1 x_1 + w_2)}}, \qquad w_0 = 2,\ x_0 = -1,\ w_1 = -3,\ x_1 = -2,\
#   w_2 = -3 .$$
# 把它写成一串简单的门：加权和 $d = w_0 x_0 + w_1 x_1 + w_2$，然后 $\times(-1)$，然后 $\exp$，然后 $+1$，最后 $1/x$。

# %%
w0, x0, w1, x1, w2 = Value(2.0, "w0"), Value(-1.0, "x0"), Value(-3.0, "w1"), Value(-2.0, "x1"), Value(-3.0, "w2")
d = w0 * x0 + w1 * x1 + w2
d.label = "d"
neg = d * -1.0
neg.label = "−d"
e = neg.exp()
e.label = "e"
s = e + 1.0
s.label = "s"
out = 1.0 / s
out.label = "f"
out.backward()
print(f"前向：d = {d.data:.6f}，−d = {neg.data:.6f}，e = {e.data:.6f}，s = {s.data:.6f}，f = {out.data:.7f}")

# %% [markdown]
# 现在一个门一个门地往回走，并与 `backward()` 存下的结果比较：

# %%
g_s = -1.0 / s.data**2 * 1.0  # 1/x 门：局部导数 −1/s²
g_e = 1.0 * g_s  # +1 门：局部导数 1
g_neg = math.exp(neg.data) * g_e  # exp 门：局部导数 e^(−d)
g_d = -1.0 * g_neg  # ×(−1) 门：局部导数 −1
print(f"1/x 门：   ∂f/∂s  = −1/s² = {g_s:.6f}   （Value：{s.grad:.6f}）")
print(f"+1 门：    ∂f/∂e  = 1 · {g_s:.6f} = {g_e:.6f}   （Value：{e.grad:.6f}）")
print(f"exp 门：   ∂f/∂(−d) = e^(−d) · {g_e:.6f} = {g_neg:.6f}   （Value：{neg.grad:.6f}）")
print(f"×(−1) 门： ∂f/∂d  = −1 · {g_neg:.6f} = {g_d:.6f}   （Value：{d.grad:.6f}）")
for name, node, other in [("w0", w0, x0), ("x0", x0, w0), ("w1", w1, x1), ("x1", x1, w1)]:
    print(f"∂f/∂{name} = {other.label} · ∂f/∂d = {other.data:+.0f} · {g_d:.6f} = {node.grad:.6f}")
print(f"∂f/∂w2 = ∂f/∂d = {w2.grad:.6f}")

# %% [markdown]
# $+1$ 门的局部导数是 $1$（$e + 1$ 对 $e$ 的导数），所以梯度 $-0.534447$ 原样穿过它。整个计算图以及每个节点的数值和梯度：

# %%
draw_graph(out, title="sigmoid 神经元：前向数值与梯度", data_label="值", grad_label="梯度")
plt.show()

# %% [markdown]
# ### 捷径：一个 sigmoid 门
#
# 最后四个门合起来计算的是 $\sigma(d) = 1/(1 + e^{-d})$。它的导数有一个著名的形式
# $\sigma'(d) = \sigma(d)\,(1 - \sigma(d))$；SymPy 确认两边之差化简后为 0：

# %%
symbolic.sigmoid_derivative_residual()

# %% [markdown]
# 因此，四步反向计算可以换成乘一次 $\sigma(1)(1-\sigma(1))$：

# %%
sig1 = 1.0 / (1.0 + math.exp(-1.0))
print(f"σ(1)(1 − σ(1)) = {sig1:.7f} · {1 - sig1:.7f} = {sig1 * (1 - sig1):.6f}   （逐门计算：{g_d:.6f}）")

w0b, x0b, w1b, x1b, w2b = Value(2.0), Value(-1.0), Value(-3.0), Value(-2.0), Value(-3.0)
out_b = (w0b * x0b + w1b * x1b + w2b).sigmoid()
out_b.backward()
by_gates = [w0.grad, x0.grad, w1.grad, x1.grad, w2.grad]
with_sigmoid = [w0b.grad, x0b.grad, w1b.grad, x1b.grad, w2b.grad]
print("用一个 sigmoid 门得到的梯度：", np.round(with_sigmoid, 6))
print("与逐门计算相同：", np.allclose(by_gates, with_sigmoid, rtol=0, atol=1e-12))

# %% [markdown]
# 对这五个梯度做三项相互独立的核对：SymPy 在该点的精确导数、float64 下的 PyTorch，以及中心有限差分。

# %%
f_neuron, grad_neuron = symbolic.sigmoid_neuron_gradient()
point = dict(zip(sp.symbols("w0 x0 w1 x1 w2", real=True), [2, -1, -3, -2, -3], strict=True))
sympy_grads = np.array([float(g.subs(point)) for g in grad_neuron.values()])

params_t = torch.tensor([2.0, -1.0, -3.0, -2.0, -3.0], dtype=torch.float64, requires_grad=True)
torch.sigmoid(params_t[0] * params_t[1] + params_t[2] * params_t[3] + params_t[4]).backward()


def neuron(v):
    return 1.0 / (1.0 + math.exp(-(v[0] * v[1] + v[2] * v[3] + v[4])))


finite = numerical_grad(neuron, np.array([2.0, -1.0, -3.0, -2.0, -3.0]))
print("SymPy：", np.round(sympy_grads, 6))
print("Value 与 SymPy 一致（误差 < 1e-12）：", np.allclose(by_gates, sympy_grads, rtol=0, atol=1e-12))
print("Value 与 torch 一致（误差 < 1e-12）：", np.allclose(by_gates, params_t.grad.numpy(), rtol=0, atol=1e-12))
print("与有限差分一致（相对误差 < 1e-8）：", rel_error(np.array(by_gates), finite) < 1e-8)

# %% [markdown]
# ## 4. 扇出：多条路径上的梯度要相加
#
# “沿途把局部导数乘起来”只是**一条**路径上的链式法则。当一个值同时送进几个门，即发生**扇出** (fan-out) 时，它的变化会沿每条路径影响输出，各条路径的贡献要**加起来**：
# $$\frac{\partial f}{\partial x} = \sum_{\text{路径 } x \to f}\ \prod_{\text{路径上的边}} (\text{局部导数}).$$
# 例子：$a = x\,y$，$b = x + y$，$f = a\,b$，取 $x = 2$，$y = 3$。$x$ 和 $y$ 都沿两条路径到达 $f$。

# %%
x_val, y_val = 2.0, 3.0
a_val, b_val = x_val * y_val, x_val + y_val
via_a = b_val * y_val  # ∂f/∂a · ∂a/∂x
via_b = a_val * 1.0  # ∂f/∂b · ∂b/∂x
print(f"经过 a 的路径：{via_a}，经过 b 的路径：{via_b}，两者之和：{via_a + via_b}")

xs, ys = sp.symbols("x y", real=True)
print("SymPy：∂f/∂x =", sp.diff(xs * ys * (xs + ys), xs), "=", sp.diff(xs * ys * (xs + ys), xs).subs({xs: 2, ys: 3}))

xf, yf = Value(2.0, "x"), Value(3.0, "y")
af = xf * yf
af.label = "a"
bf = xf + yf
bf.label = "b"
ff = af * bf
ff.label = "f"
ff.backward()
print("Value：∂f/∂x =", xf.grad, " ∂f/∂y =", yf.grad)
draw_graph(ff, local_grads=True, title="扇出：x 和 y 各沿两条路径到达 f", data_label="值", grad_label="梯度")
plt.show()

# %% [markdown]
# 单看任何一条路径，得到的是 15 或 6；只有两者之和 21 才是导数。`Value.backward()`（以及 PyTorch）靠**累加**做对这件事：每个节点把它的每个使用者传回的贡献加到自己的 `.grad` 上（用 `+=`，而不是 `=`）。也正因为如此，下一次反向传播之前必须把梯度清零：第二次调用会再加一遍。

# %%
ff.backward()  # 不清零，再做一次反向传播
print("第二次 backward() 之后：", xf.grad, "（翻倍了）")
ff.zero_grad()
ff.backward()
print("zero_grad() 再 backward() 之后：", xf.grad)

# %% [markdown]
# ## 5. 反向传播计算梯度，优化器更新权重
#
# 反向传播本身不是一种训练方法。它只回答一个问题：“对每个 $w$，$\partial L/\partial w$ 是多少？”，并且不改变任何东西。随后由**优化器** (optimiser) 用这些数去更新权重，例如普通的梯度下降 (gradient descent)、带动量
# (momentum) 的 SGD、Adam 等。在 PyTorch 中，这是两次独立的调用：

# %%
layer = torch.nn.Linear(3, 1).double()
inputs = torch.tensor([[1.0, 2.0, -1.0]], dtype=torch.float64)
optimizer = torch.optim.SGD(layer.parameters(), lr=0.1)
before = layer.weight.detach().clone()
loss = (layer(inputs) - 1.0).pow(2).mean()
loss.backward()  # 反向传播：填好 .grad
print("backward() 没有改变权重：", torch.equal(layer.weight.detach(), before))
print("梯度 ∂L/∂w：", layer.weight.grad)
optimizer.step()  # 优化器：w ← w − lr · ∂L/∂w
print("更新量 = w_new − w_old：", layer.weight.detach() - before)
print("等于 −lr · 梯度：", torch.allclose(layer.weight.detach() - before, -0.1 * layer.weight.grad))

# %% [markdown]
# ### 简短的历史
#
# 反向传播背后的算法是反向模式求导 (reverse-mode differentiation)，Seppo Linnainmaa 在 1970 年就描述了它（用于分析长计算中的舍入误差）。Paul Werbos 在 1974 年的博士论文中提出用它训练神经网络。Rumelhart、Hinton 和
# Williams（1986）证明它能让多层网络学到有用的内部表示，使它成为训练多层网络的标准方法。（Rosenblatt 的感知机出现于 1958 年。）

# %% [markdown]
# ## 6. 多层感知机的 δ 方法
#
# 一个 $L$ 层的 MLP（各层记为 $l = 1, \dots, L$），对一个输入 $x$（列向量）计算：
#
# | 符号 | 含义 | 形状 |
# |---|---|---|
# | $a_0 = x$ | 输入 | $n_0$ |
# | $z_l = W_l a_{l-1} + b_l$ | 第 $l$ 层的**预激活** (pre-activation)：加权和，尚未经过激活函数 | $n_l$ |
# | $a_l = f(z_l)$ | 第 $l$ 层的**激活值** (activation)：该层的输出，也是第 $l+1$ 层的输入 | $n_l$ |
# | $\delta_l = \partial L/\partial z_l$ | 第 $l$ 层的**误差信号** (error signal) | $n_l$ |
#
# $W_l$ 的形状是 $(n_l, n_{l-1})$，$f$ 逐元素作用。沿这些层做反向传播，得到四个方程：
# $$\delta_L = \frac{\partial L}{\partial a_L}\odot f'(z_L), \qquad
#   \delta_l = \big(W_{l+1}^{\top}\delta_{l+1}\big)\odot f'(z_l), \qquad
#   \frac{\partial L}{\partial W_l} = \delta_l\, a_{l-1}^{\top}, \qquad
#   \frac{\partial L}{\partial b_l} = \delta_l ,$$
# 其中 $\odot$ 表示逐元素相乘。第一个方程取决于损失（softmax 的各个输出互相耦合，所以 softmax 输出层的
# $\delta_L$ 请直接查下表）；第二个把 $\delta$ 往下传一层（先经过与 $W_{l+1}$ 相乘的门，再经过激活函数的门）；后两个是 $z_l = W_l a_{l-1} + b_l$ 的局部导数。
#
# ### 输出层：用哪个 δ_L？
#
# $\delta_L$ 取决于（损失，输出激活函数）这一对组合。对一个样本：
#
# | 损失 $L$ | 输出激活函数 | $\delta_L$ |
# |---|---|---|
# | $\tfrac12\lVert a_L - y\rVert^2$ | sigmoid | $(a_L - y)\odot a_L(1 - a_L)$ |
# | 二元交叉熵 (binary cross-entropy) $-\sum_k [y_k\ln a_{L,k} + (1-y_k)\ln(1-a_{L,k})]$ | sigmoid | $a_L - y$ |
# | 交叉熵 (cross-entropy) $-\sum_k y_k \ln a_{L,k}$ | softmax | $a_L - y$，$y$ 为独热向量 (one-hot vector) |
#
# 用交叉熵时因子 $a_L(1-a_L)$ 被消掉了，所以即使输出已经饱和，网络仍然能学。对 $N$ 个样本取**平均**时，每个
# $\delta_L$ 都多一个因子 $1/N$（不带 ½ 的 $\frac1N\sum\lVert a_L - y\rVert^2$ 给出
# $\frac2N(a_L - y)\odot a_L(1-a_L)$）。SymPy 逐行核对：用声称的 $\delta_L$ 减去真正的导数，结果为 0 就说明公式正确。最后一项把第一行的公式套到二元交叉熵上，这是错的：

# %%
symbolic.output_delta_residuals()

# %% [markdown]
# ### 写成代码：一批样本按行排列
#
# 代码把一批 $N$ 个样本存成矩阵的行，`layers.dense_forward` 计算 $Z_l = A_{l-1}W_l + b_l$，其中 $W_l$ 的形状是
# $(n_{l-1}, n_l)$，正好是教科书中矩阵的转置。$\Delta_l$ 的第 $n$ 行就是样本 $n$ 的 $\delta_l$，方程变成
# $$\Delta_l = \big(\Delta_{l+1}W_{l+1}^{\top}\big)\odot f'(Z_l), \qquad
#   \frac{\partial L}{\partial W_l} = A_{l-1}^{\top}\Delta_l, \qquad
#   \frac{\partial L}{\partial b_l} = \sum_{n}\Delta_l[n, :],$$
# 对样本的求和发生在矩阵乘法内部。下面用 `mlcourse.layers` 搭一个完整的 MLP：前向函数保存每层的缓存 (cache)，反向函数按相反的顺序逐层往回走。

# %%
ACTIVATIONS = {
    "sigmoid": (layers.sigmoid_forward, layers.sigmoid_backward),
    "tanh": (layers.tanh_forward, layers.tanh_backward),
    "relu": (layers.relu_forward, layers.relu_backward),
}


def init_mlp(sizes, rng, gain=1.0):
    """[(W_l, b_l)]，W_l ~ N(0, gain / n_(l−1))，形状 (n_(l−1), n_l)；b_l = 0。"""
    return [
        (rng.normal(0.0, np.sqrt(gain / n_in), size=(n_in, n_out)), np.zeros(n_out))
        for n_in, n_out in itertools.pairwise(sizes)
    ]


def mlp_forward(X, params, act):
    """隐藏层 a_l = f(z_l)；最后一层返回它的预激活 z_L（logits）。"""
    forward, _ = ACTIVATIONS[act]
    a, caches = X, []
    for l, (W, b) in enumerate(params, start=1):
        z, dense_cache = layers.dense_forward(a, W, b)
        a, act_cache = forward(z) if l < len(params) else (z, None)
        caches.append((dense_cache, act_cache))
    return a, caches


def mlp_backward(dz_last, caches, act):
    """从 Δ_L = ∂L/∂Z_L 一直到第 1 层：返回 l = 1..L 的 [(dW_l, db_l)] 和 [Δ_l]。"""
    _, backward = ACTIVATIONS[act]
    grads, deltas, dz = [], [], dz_last
    for k in reversed(range(len(caches))):  # 第 l = k + 1 层，从上往下
        da, dW, db = layers.dense_backward(dz, caches[k][0])  # da = Δ_l W_lᵀ = ∂L/∂a_(l−1)
        grads.append((dW, db))
        deltas.append(dz)
        if k > 0:
            dz = backward(da, caches[k - 1][1])  # Δ_(l−1) = (Δ_l W_lᵀ) ⊙ f′(Z_(l−1))
    return grads[::-1], deltas[::-1]


# %% [markdown]
# 一个小网络 4 → 5 → 4 → 3：隐藏层用 sigmoid，输出层用 softmax，损失是 $N = 6$ 个样本上的平均交叉熵，因此
# $\Delta_L = (\text{softmax}(Z_L) - Y)/N$：

# %%
rng = np.random.default_rng(0)
X_small = rng.normal(size=(6, 4))
y_small = np.array([0, 2, 1, 2, 0, 1])
params = init_mlp([4, 5, 4, 3], rng)
z_out, caches = mlp_forward(X_small, params, "sigmoid")
loss_small = softmax.softmax_cross_entropy(z_out, y_small)
grads, deltas = mlp_backward(softmax.softmax_cross_entropy_grad(z_out, y_small), caches, "sigmoid")
print(f"损失 = {loss_small:.6f}")
print("Δ_l 的形状：", [dl.shape for dl in deltas], " ∂L/∂W_l 的形状：", [dW.shape for dW, _ in grads])

# %% [markdown]
# 同样的梯度，按四个方程直接写出来，每个方程一行：

# %%
(W1, b1), (W2, b2), (W3, b3) = params
a0 = X_small
z1 = a0 @ W1 + b1
a1 = layers.sigmoid(z1)
z2 = a1 @ W2 + b2
a2 = layers.sigmoid(z2)
z3 = a2 @ W3 + b3
delta3 = (softmax.softmax(z3) - softmax.one_hot(y_small, 3)) / len(y_small)  # δ_L：softmax + 平均交叉熵
delta2 = (delta3 @ W3.T) * a2 * (1 - a2)  # δ_l = (W_(l+1)ᵀ δ_(l+1)) ⊙ σ′(z_l)
delta1 = (delta2 @ W2.T) * a1 * (1 - a1)
by_formula = [(a0.T @ delta1, delta1.sum(axis=0)), (a1.T @ delta2, delta2.sum(axis=0)), (a2.T @ delta3, delta3.sum(axis=0))]
print("方程 = layers，每个 W_l 和 b_l 都一致：",
      all(rel_error(g1, g2) < 1e-12 for pair, pair2 in zip(grads, by_formula, strict=True) for g1, g2 in zip(pair, pair2, strict=True)))

# %% [markdown]
# 梯度检验 (gradient check)。有限差分把每个权重加减 $h$（$h = 10^{-6}$）后重新计算损失，它本身的舍入误差约为
# $10^{-16}\cdot L/h \approx 10^{-10}$，所以我们比较绝对误差。PyTorch 的自动求导用 float64 运行同一个网络。

# %%
def loss_with(l, W_new):
    """把 W_l 换成 W_new（其余参数不变）时的损失。"""
    changed = [(W_new, b) if k == l else (W, b) for k, (W, b) in enumerate(params)]
    return softmax.softmax_cross_entropy(mlp_forward(X_small, changed, "sigmoid")[0], y_small)


for l, (W, _) in enumerate(params):
    finite_W = numerical_grad(lambda W_new, l=l: loss_with(l, W_new), W)
    print(f"第 {l + 1} 层：max |我们的结果 − 有限差分| < 1e-9：{np.max(np.abs(grads[l][0] - finite_W)) < 1e-9}")

torch_params = [(torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True)) for W, b in params]
h_t = torch.tensor(X_small)
for l, (W_t, b_t) in enumerate(torch_params, start=1):
    h_t = h_t @ W_t + b_t
    if l < len(torch_params):
        h_t = torch.sigmoid(h_t)
loss_t = F.cross_entropy(h_t, torch.tensor(y_small))
loss_t.backward()
max_diff = max(
    float(np.max(np.abs(g - t.grad.numpy()))) for (dW, db), (W_t, b_t) in zip(grads, torch_params, strict=True)
    for g, t in ((dW, W_t), (db, b_t))
)
print(f"torch 损失 = {loss_t.item():.6f}；所有梯度上 max |我们的结果 − torch| < 1e-10：{max_diff < 1e-10}")

# %% [markdown]
# ## 7. 梯度消失：sigmoid 与 ReLU
#
# 反向传播每经过一层，都要乘以 $W_{l+1}^\top$ 和 $f'(z_l)$。对 sigmoid，$f'(z) = \sigma(z)(1-\sigma(z)) \le \tfrac14$，最大值在 $z = 0$ 处取得，而 $|z|$ 只要达到几个单位，它就接近 0。经过很多层，这些因子连乘起来，$\delta_l$ 在传回前几层的路上会按几何级数缩小：这就是**梯度消失**问题。于是前面几层几乎学不动。
#
# 来测量一下：一个 10 层 MLP（9 个 64 单元的隐藏层，再接 10 个输出），256 个随机输入配随机标签，计算每一层
# $\partial L/\partial Z_l$ 的范数 (norm) $\lVert\Delta_l\rVert$。比较三个网络：
#
# - sigmoid，权重 $\mathcal N(0, 1/n_{l-1})$；
# - ReLU，权重 $\mathcal N(0, 2/n_{l-1})$，即 He 初始化 (He initialisation)，它让信号经过 ReLU 层时保持尺度；
# - ReLU，权重 $\mathcal N(0, 0.5/n_{l-1})$（太小）。

# %%
rng = np.random.default_rng(1)
X_deep = rng.normal(size=(256, 32))
y_deep = rng.integers(0, 10, size=256)
sizes_deep = [32] + [64] * 9 + [10]
settings = {"sigmoid，N(0, 1/n)": ("sigmoid", 1.0), "ReLU，N(0, 2/n)": ("relu", 2.0), "ReLU，N(0, 0.5/n)": ("relu", 0.5)}
delta_norms = {}
for name, (act, gain) in settings.items():
    params_deep = init_mlp(sizes_deep, np.random.default_rng(2), gain)
    z_deep, caches_deep = mlp_forward(X_deep, params_deep, act)
    _, deltas_deep = mlp_backward(softmax.softmax_cross_entropy_grad(z_deep, y_deep), caches_deep, act)
    delta_norms[name] = np.array([np.linalg.norm(dl) for dl in deltas_deep])
    print(f"{name:18s} ‖Δ_1‖ / ‖Δ_10‖ = {delta_norms[name][0] / delta_norms[name][-1]:.2e}")

ax = plot.lines(np.arange(1, 11), delta_norms, markers=True, logy=True, xlabel="层 l",
                ylabel="‖∂L/∂z_l‖", title="10 层 MLP 中每一层的梯度范数")
plt.show()

# %% [markdown]
# 用 sigmoid 时，第 1 层的梯度还不到第 10 层的 $10^{-5}$；用 ReLU 加 He 初始化，梯度大小基本不变。ReLU 为什么有帮助：只要单元处于激活状态，它的导数就恰好是 1，激活函数这道门不会让梯度变小。但有些问题 ReLU **解决不了**：
#
# - **权重依然重要。** 每一层 $\delta$ 仍要乘以 $W^\top$；权重太小（第三条曲线）时梯度又会缩小，每层缩小的倍数大致相同。权重太大则会让梯度爆炸 (exploding gradient)。
# - **死亡单元** (dead unit)。如果一个单元对所有输入的预激活都不大于 0，它在这些输入上的导数全为 0：没有梯度能穿过它，它的输入权重永远不会改变。
# - **0 处的折点。** ReLU 在 $z = 0$ 处不可导；深度学习框架约定 $\mathrm{relu}'(0) = 0$。
#
# 制造死亡单元很容易：把 He 网络第 5 层的偏置都减去 3。

# %%
params_dead = init_mlp(sizes_deep, np.random.default_rng(2), 2.0)
W5, b5 = params_dead[4]
params_dead[4] = (W5, b5 - 3.0)
z_dead, caches_dead = mlp_forward(X_deep, params_dead, "relu")
grads_dead, _ = mlp_backward(softmax.softmax_cross_entropy_grad(z_dead, y_deep), caches_dead, "relu")
active = caches_dead[4][1][0] > 0  # z_5 > 0，逐样本、逐单元
dead_units = ~active.any(axis=0)
print(f"第 5 层：64 个单元中有 {dead_units.sum()} 个死亡（对全部 256 个输入都有 z ≤ 0）")
print("它们的输入权重得到的梯度恰好为零：", bool(np.all(grads_dead[4][0][:, dead_units] == 0)))

z0 = torch.tensor([-1.0, 0.0, 2.0], dtype=torch.float64, requires_grad=True)
torch.relu(z0).sum().backward()
print("torch 在 (−1, 0, 2) 处的 relu′：", z0.grad.numpy(), "  layers.relu_backward：",
      layers.relu_backward(np.ones(3), layers.relu_forward(np.array([-1.0, 0.0, 2.0]))[1]))

# %% [markdown]
# 现代网络把几种办法结合起来：仔细的初始化（He、Xavier/Glorot）、归一化层 (normalisation layer)，以及残差连接
# (residual connection)，后者让梯度可以绕过每个模块走一条捷径。

# %% [markdown]
# ## 8. 梯度为零的地方
#
# 梯度下降在 $\nabla L = 0$ 处停下。这样的**驻点**不只是极小值点：极大值点和**鞍点** (saddle point) 的梯度也为零，鞍点在一个方向上是极小，在另一个方向上是极大。SymPy 求出 $F(u, v) = u^4/4 - u^3/3 - u^2 + v^2$ 的驻点，并按**海森矩阵** (Hessian) 的特征值给它们分类；海森矩阵就是由二阶导数组成的矩阵：

# %%
u, v = sp.symbols("u v", real=True)
F_uv = u**4 / 4 - u**3 / 3 - u**2 + v**2
kinds = {"minimum": "极小值点", "maximum": "极大值点", "saddle": "鞍点", "degenerate": "退化"}
for point, eigenvalues, kind in symbolic.stationary_points(F_uv, [u, v]):
    print(f"(u, v) = {point}：海森矩阵特征值 {eigenvalues} -> {kinds[kind]}，F = {F_uv.subs({u: point[0], v: point[1]})}")

# %% [markdown]
# 其中两个是极小值点，但只有 $(2, 0)$ 是**全局**最小值点 (global minimum)；$(-1, 0)$ 只是**局部**极小值点，函数值高得多。沿 $v = 0$，函数是 $L(w) = w^4/4 - w^3/3 - w^2$。学习率 (learning rate) 为 $0.1$ 的梯度下降从哪个盆地出发，就停在哪个盆地；而恰好从极大值点 $w = 0$ 出发，则一步也不会动：

# %%
def L_1d(w):
    return w**4 / 4 - w**3 / 3 - w**2


def grad_1d(w):
    return w**3 - w**2 - 2 * w


ends = {}
for w_start in (-0.5, 1.0, 0.0):
    w_cur = w_start
    for _ in range(200):
        w_cur -= 0.1 * grad_1d(w_cur)
    ends[w_start] = w_cur
    print(f"从 w = {w_start:+.1f} 出发 -> w = {w_cur:+.4f}，L = {L_1d(w_cur):.4f}")

w_grid = np.linspace(-1.8, 2.8, 400)
ax = plot.lines(w_grid, {"L(w)": L_1d(w_grid)}, xlabel="w", ylabel="L", title="梯度下降停在出发点所在的盆地")
for w_start, w_end in ends.items():
    ax.annotate("", xy=(w_end, L_1d(w_end)), xytext=(w_start, L_1d(w_start)),
                arrowprops={"arrowstyle": "->", "color": "crimson"})
    ax.plot([w_start], [L_1d(w_start)], "o", color="crimson", markersize=5)
plt.show()

# %% [markdown]
# 对大型网络，人们经常观察到：SGD 找到的大多数局部极小值点，损失都和最好的差不多；拖慢训练的往往是鞍点，而不是糟糕的极小值点。这是对常见网络和数据的经验观察，而不是定理：没有任何东西能保证一个局部极小值点是好的。

# %% [markdown]
# ## 9. 小批量梯度估计的是平均损失的梯度
#
# 有 $N$ 个训练样本时，损失通常是逐样本损失 $\ell_i$ 的**平均** $L = \frac1N\sum_{i=1}^N \ell_i$。（注意区分两种求和：$\tfrac12\sum_k (y_k - a_{L,k})^2$ 是对一个样本的各个*输出*求和，它就是 $\ell_i$；取平均则是对*样本*。）
# SGD 用一个随机小批量 $B$ 上的平均代替 $\nabla L$：
# $$g_B = \frac{1}{|B|}\sum_{i\in B}\nabla\ell_i .$$
# 对 $B$ 的随机抽取求期望，$g_B$ 的期望恰好等于 $\nabla L$：这是一个**无偏**估计。（如果损失是求和
# $\sum_i \ell_i$，估计量要写成 $\frac{N}{|B|}\sum_{i\in B}\nabla\ell_i$。）下面用一个 64 → 32 → 10 的 ReLU 网络、
# 1344 张 8×8 手写数字图像和 $W_1$ 的梯度来验证：

# %%
digits = data.load_digits(scale="standard")
X_dig, y_dig = digits.X_train[:1344], digits.y_train[:1344]
params_dig = init_mlp([64, 32, 10], np.random.default_rng(3), 2.0)


def grad_W1(idx):
    """样本 idx 上平均交叉熵对 W_1 的梯度。"""
    z_b, caches_b = mlp_forward(X_dig[idx], params_dig, "relu")
    return mlp_backward(softmax.softmax_cross_entropy_grad(z_b, y_dig[idx]), caches_b, "relu")[0][0][0]


full = grad_W1(np.arange(1344))
epoch_batches = np.random.default_rng(4).permutation(1344).reshape(42, 32)
print("一轮中 42 个互不重叠、大小为 32 的批量，其平均 = 全量梯度（舍入误差以内）：",
      np.allclose(np.mean([grad_W1(b) for b in epoch_batches], axis=0), full, rtol=1e-12, atol=1e-15))
rng = np.random.default_rng(5)
random_grads = np.array([grad_W1(rng.choice(1344, size=32, replace=False)) for _ in range(1000)])
for k in (1, 10, 100, 1000):
    estimate = random_grads[:k].mean(axis=0)
    print(f"{k:4d} 个随机小批量的平均：‖估计 − ∇L‖ / ‖∇L‖ = "
          f"{np.linalg.norm(estimate - full) / np.linalg.norm(full):.3f}")

# %% [markdown]
# 单个小批量的梯度噪声很大（这里误差甚至比梯度本身还大），但噪声会平均掉：$k$ 个独立小批量的平均，误差按
# $1/\sqrt{k}$ 下降；而一轮 (epoch) 中大小相同、互不重叠的批量，平均起来恰好就是全量梯度。

# %% [markdown]
# ## 10. 常见误区
#
# - **“感知机出现 30 年后才有了反向传播。”** 反向模式求导由 Linnainmaa 在 1970 年发表，Werbos 在 1974 年提出把它用于神经网络；Rumelhart、Hinton 和 Williams（1986）让它广为流行（第 5 节）。
# - **“一层一层求导，然后把结果相乘。”** 这只是一条路径上的链式法则。一个值扇出到多处时，所有路径的贡献要**相加**（第 4 节）。
# - **“反向传播是一种优化算法。”** 它只计算梯度，不改变任何东西；更新权重的是优化器，例如梯度下降、Adam（第 5 节）。
# - **“+1 门的梯度为 0。”** 它的*局部*导数是 1，正因如此，上游梯度 $-0.53$ 才原样穿过它（第 3 节）。
# - **“$\nabla L = 0$ 就是极小值点。”** 极大值点和鞍点的梯度同样为零（第 8 节）。
# - **“$z_l$ 是第 $l$ 层的输出。”** $z_l$ 是**预激活** $W_l a_{l-1} + b_l$；该层的输出是激活值 $a_l = f(z_l)$
#   （第 6 节）。
# - **“$\delta_L = (a_L - y)\odot a_L(1 - a_L)$。”** 只对 sigmoid 输出配 $\tfrac12\lVert a_L - y\rVert^2$ 成立。sigmoid
#   或 softmax 配交叉熵时 $\delta_L = a_L - y$；对样本取平均还要乘 $1/N$（不带 ½ 的均方误差则是 $2/N$）（第 6 节）。
# - **“ReLU 避免了梯度消失。”** 它只是*缓解*了梯度消失：权重矩阵仍在连乘梯度，死亡单元不传梯度，
#   $\mathrm{relu}'(0)$ 只是一个约定，PyTorch 取 0（第 7 节）。
# - **“局部极小值点的损失都接近全局最小值。”** 这是对大型网络有用的经验观察，不是保证（第 8 节）。
# - **“数据集上的损失是 $L = \tfrac12\sum_i (y_i - a_{L,i})^2$。”** 这个式子是对一个样本的各个输出求和。数据集上的损失是对样本取平均，小批量平均估计的正是这个平均损失的梯度（第 9 节）。
#
# ## 小结
#
# - 计算图把函数拆成一个个门。前向传播计算数值；反向传播把上游梯度乘以每个门的局部导数，并在一个值扇出的地方把各路贡献**相加**。
# - 在加权和为 $d$ 的 sigmoid 神经元中，权重 $w_i$ 的梯度是 $\sigma(d)(1-\sigma(d))\,x_i$；本例中
#   $\sigma(1)(1-\sigma(1)) = 0.196612$。
# - 对 MLP：$\delta_L$ 由损失决定（softmax 或 sigmoid 配交叉熵时为 $a_L - y$），
#   $\delta_l = (W_{l+1}^\top\delta_{l+1})\odot f'(z_l)$，$\partial L/\partial W_l = \delta_l a_{l-1}^\top$，
#   $\partial L/\partial b_l = \delta_l$。在 float64 下，我们的实现与有限差分的差距小于 $10^{-9}$，与 PyTorch 的差距小于 $10^{-10}$。
# - 每个 sigmoid 门最多把梯度乘以 $\tfrac14$；在这个 10 层网络里，梯度每层大约缩小到原来的四分之一。ReLU 配 He
#   初始化能保持梯度大小，但并不能消除梯度消失的所有原因。
# - 梯度下降可能停在任何驻点；小批量梯度是无偏但有噪声的估计。
#
# **练习：** 打开 `exercises/04_backprop.ipynb`。
