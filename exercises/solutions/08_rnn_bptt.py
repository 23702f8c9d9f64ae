# %% [markdown]
# # 练习 08 · 循环神经网络与 BPTT / Exercises 08 · RNNs and BPTT
#
# 每道题：在标出的地方填写答案或代码，然后运行下面的检查单元格。
# For each exercise: fill in the answer or the code where marked, then run the check cell below it.
#
# - ✅ 正确 / Correct — 做对了 / well done
# - ❌ 不对 / Not quite — 看看提示再试 / read the hint and try again
# - ❌ 未完成 / not filled in yet — 还没有作答 / you have not answered yet
#
# 配套章节 / Chapter: `chapters/08_rnn_bptt/zh.ipynb`, `en.ipynb`.
#
# 记号 / Notation: $a_t = U x_t + W s_{t-1} + b$, $s_t = \tanh(a_t)$, $o_t = V s_t + c$,
# $\hat y_t = \operatorname{softmax}(o_t)$, $E = \sum_t -\ln \hat y_{t, y_t}$.

# %%
import mlcourse

mlcourse.setup(seed=0, lang="zh")

import numpy as np

from mlcourse import check, rnn

# %% [markdown]
# ## 1. 参数的形状 / The shapes of the parameters
#
# 一个语言模型的词表有 $K = 5000$ 个词元，输入和输出都定义在这个词表上（独热输入，softmax 输出），状态维度 $n = 128$。写出 $U$、$W$、$V$ 的形状（元组），以及参数总数（$U, W, b, V, c$ 全部计入）。
#
# A language model has a vocabulary of $K = 5000$ tokens, used for the inputs (one-hot) and the outputs (softmax);
# the state has $n = 128$ entries. Give the shapes of $U$, $W$, $V$ (tuples) and the total number of parameters
# ($U, W, b, V, c$ all counted).

# %%
shape_U = (128, 5000)  # SOLUTION
shape_W = (128, 128)  # SOLUTION
shape_V = (5000, 128)  # SOLUTION
n_params = 1_301_512  # SOLUTION

# %%
reference = rnn.init_params(m=5000, n=128, k=5000, rng=0, scale=0.0)
check.value({"U": shape_U, "W": shape_W, "V": shape_V}, {key: reference[key].shape for key in ("U", "W", "V")},
            name="shapes")

# %%
check.value(n_params, sum(value.size for value in reference.values()), name="number of parameters")

# %% [markdown] tags=["solution"]
# 解答：输入维度 $m$ 和输出维度 $k$ 都等于 $K = 5000$。$U$：$n \times m = 128 \times 5000$，$W$：$128 \times 128$，$V$：$k \times n = 5000 \times 128$。参数总数 $640000 + 16384 + 128 + 640000 + 5000 = 1301512$，几乎全部在 $U$ 和 $V$ 里，也就是与词表相连的两个矩阵。
#
# Solution: the input size $m$ and the output size $k$ both equal $K = 5000$. $U$: $n \times m = 128 \times 5000$,
# $W$: $128 \times 128$, $V$: $k \times n = 5000 \times 128$. Total $640000 + 16384 + 128 + 640000 + 5000 = 1301512$.
# Almost all of them are in $U$ and $V$, the two matrices that touch the vocabulary.

# %% [markdown]
# ## 2. 一个句子的损失 / The loss of a sentence
#
# 模型读入 `<s> 我 昨天 上学 迟到 了`。在 6 个时间步上，它给正确的下一个词元（我、昨天、上学、迟到、了、`</s>`）的概率分别是 $0.3, 0.5, 0.6, 0.4, 0.9, 0.95$。求这个句子的损失 $E$（用自然对数），以及每个词元的平均损失。
#
# The model reads `<s> 我 昨天 上学 迟到 了`. At its 6 steps it gives the correct next token (我, 昨天, 上学, 迟到, 了,
# `</s>`) the probabilities $0.3, 0.5, 0.6, 0.4, 0.9, 0.95$. What is the loss $E$ of the sentence (natural log), and
# the average loss per token?

# %%
p_correct = np.array([0.3, 0.5, 0.6, 0.4, 0.9, 0.95])

E_sentence = -np.log(p_correct).sum()  # SOLUTION
E_per_token = E_sentence / 6  # SOLUTION

# %%
check.value(E_sentence, float(-np.sum(np.log(p_correct))), name="E", rtol=1e-4)

# %%
check.value(E_per_token, float(-np.mean(np.log(p_correct))), name="E per token", rtol=1e-4)

# %% [markdown] tags=["solution"]
# 解答：$E = \sum_t -\ln \hat y_{t,y_t} = 1.2040 + 0.6931 + 0.5108 + 0.9163 + 0.1054 + 0.0513 = 3.4809$；平均每个词元 $3.4809 / 6 = 0.5802$。其他词元的概率不出现在损失里：目标是独热向量时，对整个词表的求和只剩下目标词元那一项。
#
# Solution: $E = \sum_t -\ln \hat y_{t,y_t} = 1.2040 + 0.6931 + 0.5108 + 0.9163 + 0.1054 + 0.0513 = 3.4809$;
# per token $3.4809 / 6 = 0.5802$. The probabilities of the other tokens do not enter: with a one-hot target the
# sum over the vocabulary keeps only the target's term.

# %% [markdown]
# ## 3. 手算一步 BPTT / One BPTT step by hand
#
# 在某个时间步 $t$（$k = 3$ 个输出，状态为 $n = 2$ 维），已知：
#
# At some step $t$ ($k = 3$ outputs, $n = 2$ state entries) we know
#
# $$\delta o_t = \begin{pmatrix} 0.2 \\ -0.5 \\ 0.3 \end{pmatrix},\quad
#   V = \begin{pmatrix} 1 & 0 \\ 0 & 1 \\ 1 & 1 \end{pmatrix},\quad
#   W = \begin{pmatrix} 0.5 & 0 \\ 0.2 & 1 \end{pmatrix},\quad
#   \delta a_{t+1} = \begin{pmatrix} 0.1 \\ -0.2 \end{pmatrix},\quad
#   s_t = \begin{pmatrix} 0.5 \\ -0.8 \end{pmatrix}.$$
#
# 求 $\partial E / \partial s_t$ 和 $\delta a_t$（先在纸上算，再填数字）。
#
# Compute $\partial E / \partial s_t$ and $\delta a_t$ (on paper first, then type in the numbers).

# %%
do_t = np.array([0.2, -0.5, 0.3])
V = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
W = np.array([[0.5, 0.0], [0.2, 1.0]])
da_next = np.array([0.1, -0.2])
s_t = np.array([0.5, -0.8])

ds_t = np.array([0.51, -0.4])  # SOLUTION
da_t = np.array([0.3825, -0.144])  # SOLUTION

# %%
check.value(ds_t, V.T @ do_t + W.T @ da_next, name="∂E/∂s_t")

# %%
check.value(da_t, (V.T @ do_t + W.T @ da_next) * (1 - s_t**2), name="δa_t")

# %% [markdown] tags=["solution"]
# 解答：$V^\top \delta o_t = (0.2 + 0.3,\; -0.5 + 0.3) = (0.5, -0.2)$，$W^\top \delta a_{t+1} = (0.5 \cdot 0.1 + 0.2 \cdot (-0.2),\; 1 \cdot (-0.2)) = (0.01, -0.2)$，所以 $\partial E/\partial s_t = (0.51, -0.4)$。注意是 $W^\top$ 而不是 $W$：梯度从第 $t+1$ 步沿转置矩阵传回来。再乘以 $\tanh' = 1 - s_t^2$：$\delta a_t = (0.51 \cdot (1 - 0.25),\; -0.4 \cdot (1 - 0.64)) = (0.3825, -0.144)$。
#
# Solution: $V^\top \delta o_t = (0.2 + 0.3,\; -0.5 + 0.3) = (0.5, -0.2)$ and
# $W^\top \delta a_{t+1} = (0.5 \cdot 0.1 + 0.2 \cdot (-0.2),\; 1 \cdot (-0.2)) = (0.01, -0.2)$, so
# $\partial E/\partial s_t = (0.51, -0.4)$. Note $W^\top$, not $W$: the gradient flows back from step $t+1$ along
# the transpose. Then multiply by $\tanh' = 1 - s_t^2$:
# $\delta a_t = (0.51 \cdot (1 - 0.25),\; -0.4 \cdot (1 - 0.64)) = (0.3825, -0.144)$.

# %% [markdown]
# ## 4. 经过 j 步之后的梯度 / The gradient after j steps
#
# 设 $W = \rho Q$（$Q$ 是正交矩阵），$\rho = 0.95$，并且 tanh 处在线性区（所有状态为 0）。只有最后一步有损失，且 $\lVert \partial E / \partial s_T \rVert = 2$。(a) 求 $\lVert \partial E / \partial s_{T-40} \rVert$。(b) 至少往回多少步（整数 $j$），梯度范数才会降到 $\lVert \partial E / \partial s_T \rVert$ 的 1% 以下？
#
# Let $W = \rho Q$ ($Q$ orthogonal) with $\rho = 0.95$, tanh in its linear regime (all states 0), and a loss at the
# last step only with $\lVert \partial E / \partial s_T \rVert = 2$. (a) What is
# $\lVert \partial E / \partial s_{T-40} \rVert$? (b) What is the smallest whole number of steps $j$ after which the
# gradient norm is below 1 % of $\lVert \partial E / \partial s_T \rVert$?

# %%
norm_40 = 2 * 0.95**40  # SOLUTION
steps_to_1_percent = 90  # SOLUTION

# %%
Q = np.linalg.qr(np.random.default_rng(0).standard_normal((6, 6)))[0]
params = {"U": np.zeros((6, 1)), "W": 0.95 * Q, "b": np.zeros(6), "V": np.zeros((1, 6)), "c": np.zeros(1)}
_, S = rnn.rnn_forward(np.zeros((120, 1)), np.zeros(6), params)
norms = rnn.state_jacobian_norms(S, params["W"], ds_T=np.array([2.0, 0, 0, 0, 0, 0]))
check.value(norm_40, norms[40], name="‖∂E/∂s_(T−40)‖", rtol=1e-4)

# %%
check.value(steps_to_1_percent, int(np.argmax(norms < 0.01 * norms[0])), name="j")

# %% [markdown] tags=["solution"]
# 解答：每往回一步，范数正好乘以 $\rho$，所以 (a) $2 \cdot 0.95^{40} = 0.2570$；(b) $0.95^j < 0.01 \iff j > \ln 0.01 / \ln 0.95 = 89.8$，即 $j = 90$。
#
# Solution: each step back multiplies the norm by exactly $\rho$, so (a) $2 \cdot 0.95^{40} = 0.2570$ and
# (b) $0.95^j < 0.01 \iff j > \ln 0.01 / \ln 0.95 = 89.8$, i.e. $j = 90$.

# %% [markdown]
# ## 5. 实现梯度裁剪 / Implement gradient clipping
#
# 实现 `my_clip_grad_norm(grads, max_norm)`：`grads` 是一个由数组组成的字典。把所有数组合在一起计算总范数 $\lVert g \rVert = \sqrt{\sum \text{每个元素的平方}}$；若 $\lVert g \rVert$ 大于 `max_norm`，就把每个数组乘以 `max_norm / (‖g‖ + 1e-6)`（与 torch 的 `clip_grad_norm_` 相同）。返回一个二元组：新的字典和裁剪前的总范数；不要修改输入。
#
# Implement `my_clip_grad_norm(grads, max_norm)`: `grads` is a dict of arrays. Compute the total norm of all arrays
# together, $\lVert g \rVert = \sqrt{\sum \text{of every squared entry}}$; if it exceeds `max_norm`, multiply every
# array by `max_norm / (‖g‖ + 1e-6)` (as torch's `clip_grad_norm_` does). Return (a new dict, the total norm before
# clipping); do not modify the input.

# %%
def my_clip_grad_norm(grads, max_norm):
    # BEGIN SOLUTION
    total = float(np.sqrt(sum(np.sum(np.asarray(g, dtype=float) ** 2) for g in grads.values())))
    scale = min(1.0, max_norm / (total + 1e-6))
    return {key: np.asarray(g, dtype=float) * scale for key, g in grads.items()}, total
    # END SOLUTION


# %%
rng = np.random.default_rng(1)
small = {"W": 0.01 * rng.standard_normal((3, 3)), "b": 0.01 * rng.standard_normal(3)}
large = {"U": 10 * rng.standard_normal((4, 2)), "W": 10 * rng.standard_normal((4, 4)), "s0": rng.standard_normal(4)}
check.function(my_clip_grad_norm, rnn.clip_grad_norm, [(small, 1.0), (large, 1.0), (large, 50.0)], name="clipping")

# %% [markdown]
# ## 6. 判断对错 / True or false
#
# (a) $o_3$ 会受到 $x_4$ 的影响。/ $o_3$ depends on $x_4$.
#
# (b) 只要 $W$ 的谱半径 $\rho(W) > 1$，梯度就一定会爆炸。/ If the spectral radius $\rho(W) > 1$, the gradients always
# explode.
#
# (c) 如果 $W$ 的最大奇异值 $\sigma_{\max}(W) < 1$，梯度一定会随往回的步数增加而消失。/ If the largest singular value
# $\sigma_{\max}(W) < 1$, the gradients always vanish with the number of steps back.
#
# 填 `True` 或 `False`。/ Answer `True` or `False`.

# %%
answer_a = False  # SOLUTION
answer_b = False  # SOLUTION
answer_c = True  # SOLUTION

# %%
check.true_false(answer_a, False, name="(a)")

# %%
check.true_false(answer_b, False, name="(b)")

# %%
check.true_false(answer_c, True, name="(c)")

# %% [markdown] tags=["solution"]
# 解答：(a) 错：$o_t$ 只依赖 $x_1, \dots, x_t$。(b) 错：$\rho(W) > 1$ 是梯度爆炸的必要条件，但并不充分，饱和的 tanh 单元（$1 - s_j^2 \approx 0$）仍然可能让梯度消失。(c) 对：每个 $\tanh'$ 因子都不超过 1，所以 $\lVert \partial s_t / \partial s_k \rVert \le \sigma_{\max}(W)^{t-k}$。
#
# Solution: (a) false: $o_t$ depends on $x_1, \dots, x_t$ only. (b) false: $\rho(W) > 1$ is necessary for
# explosion but not sufficient; saturated tanh units ($1 - s_j^2 \approx 0$) can make the gradients vanish anyway.
# (c) true: $\lVert \partial s_t / \partial s_k \rVert \le \sigma_{\max}(W)^{t-k}$ because every $\tanh'$ factor is
# at most 1.
