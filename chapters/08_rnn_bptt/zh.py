# %% [markdown]
# # 08 · 循环神经网络与随时间反向传播
#
# 文本、语音、音乐和视频都是**序列** (sequence)：元素的先后顺序本身就携带信息。循环神经网络 (recurrent neural
# network, RNN) 每次读入序列中的一个元素，并把一个**状态** (state) 从这一步带到下一步。本章你将
#
# - 把序列任务按输入、输出的位置分成五种模式；
# - 写出递推式 $s_t = \tanh(U x_t + W s_{t-1} + b)$ 及每个矩阵的形状，并画出按时间展开 (unroll) 的网络；
# - 把句子变成词元 (token)、编号和独热向量 (one-hot vector)，并加上起始符和结束符；
# - 把一个句子的损失算成各时间步交叉熵 (cross-entropy) 之和，并算出任何模型所能达到的最低损失；
# - 一步步推导随时间反向传播 (back-propagation through time, BPTT)，实现它，并用有限差分 (finite difference)、SymPy
#   和 PyTorch 核对；
# - 弄清梯度为什么会消失或爆炸，以及梯度裁剪 (gradient clipping) 和截断 (truncation) 能做什么；
# - 训练一个 RNN 语言模型 (language model)：先用 numpy，再用 `torch.nn.RNN`，直到它接近最低可能的损失，然后让它自己写句子。
#
# 下文的每个数字都由旁边的代码算出。

# %%
import mlcourse

mlcourse.setup(seed=0, lang="zh")

import time

import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
import torch
import torch.nn.functional as F

from mlcourse import data, plot, rnn, softmax
from mlcourse.gradcheck import numerical_grad

LANG = "zh"  # 例句使用的语言

# %% [markdown]
# ## 1. 序列数据与序列任务
#
# 许多常见任务的输入或输出是序列：
#
# - **语音识别**：输入一串音频帧，输出一串字或词；
# - **情感分类**：输入一段评论，输出一个类别（正面 / 负面）或一个评分；
# - **机器翻译**：输入一种语言的句子，输出另一种语言的句子；
# - **文本生成**：反复预测下一个词，就像输入法的联想功能。
#
# 按输入和输出出现在哪些时间步，可以分成五种模式：
#
# | 模式 | 输入 → 输出 | 例子 |
# |---|---|---|
# | 一对一 | 一个固定大小的输入 → 一个输出 | 图像分类（根本没有序列） |
# | 一对多 | 一个输入 → 一个序列 | 看图说话：输入一张图，输出一句描述 |
# | 多对一 | 一个序列 → 一个输出 | 评论的情感分析 |
# | 多对多（编码器–解码器） | 一个序列 → 读完整个输入后再输出另一个长度不同的序列 | 机器翻译 |
# | 同步多对多 | 每个输入步都有一个输出 | 文本生成（每一步预测下一个词）、给视频的每一帧分类 |
#
# 下图中，蓝框是输入 $x_t$，绿框是状态 $s_t$，橙框是输出 $\hat y_t$；每一列是一个时间步，绿框之间的箭头把状态向前传递。

# %%
patterns = {
    "一对一": ([""], [""]),
    "一对多": (["", None, None], ["", "", ""]),
    "多对一": (["", "", ""], [None, None, ""]),
    "多对多\n（编码器–解码器）": (["", "", "", None, None], [None, None, None, "", ""]),
    "同步多对多": (["", "", ""], ["", "", ""]),
}
fig, axes = plt.subplots(1, 5, figsize=(12, 2.8), gridspec_kw={"width_ratios": [1.4, 4.8, 4.8, 8.2, 4.8]})
for ax, (name, (inputs, outputs)) in zip(axes, patterns.items(), strict=True):
    plot.rnn_diagram(inputs, outputs, ax=ax, initial_state=False, weights=False, title=name)
plt.show()

# %% [markdown]
# 本章的例子是文本生成，属于同步多对多：网络每一步读入一个词，预测下一个词。
#
# **循环不等于递归。** *循环*神经网络 (recurrent neural network) 沿着一条链、按时间一步接一步地重复使用同一个单元 (cell)；*递归*神经网络 (recursive neural network) 则在一棵**树**上重复使用同一个单元，例如在句子的句法树上把两个子节点的向量合成父节点的向量。两者有时都缩写为 RNN，但它们是不同的模型。有些资料把“循环神经网络”写成“循环（递归）神经网络”，这是把两者混为一谈。本章只讨论循环神经网络。

# %% [markdown]
# ## 2. 递推式
#
# 在第 $t$ 步，网络接收输入向量 $x_t$ 和上一步的状态 $s_{t-1}$：
#
# $$a_t = U x_t + W s_{t-1} + b, \qquad s_t = \tanh(a_t), \qquad o_t = V s_t + c, \qquad
#   \hat y_t = \operatorname{softmax}(o_t),$$
#
# 初始状态 $s_0$ 事先给定（通常取 $0$）。其中
#
# | 符号 | 形状 | 含义 |
# |---|---|---|
# | $x_t$ | $m$ | 第 $t$ 步的输入（下文是词的独热向量，所以 $m$ 等于词表大小） |
# | $s_t$ | $n$ | 第 $t$ 步之后的状态（隐向量）；$n$ 由我们自己选 |
# | $U$ | $n \times m$ | 输入到状态的权重 |
# | $W$ | $n \times n$ | 状态到状态的（循环）权重 |
# | $b$ | $n$ | 状态的偏置 |
# | $V$ | $k \times n$ | 状态到输出的权重（输出仍是一个词时 $k = m$） |
# | $c$ | $k$ | 输出的偏置 |
# | $o_t$, $\hat y_t$ | $k$ | 第 $t$ 步的 logits 和预测概率 |
#
# 偏置 (bias) **恰好有两个**，每个方程一个：状态用 $b$，输出用 $c$（别的资料记作 $b_a$ 和 $b_y$，或 $b_h$ 和 $b_o$，本课程始终写作 $b$ 和 $c$）。每一步都使用同一组 $U, W, V, b, c$：参数**在时间上共享**，所以同一个网络能读任意长度的序列。

# %%
m, n = 5, 3  # 例子用很小的尺寸
params = rnn.init_params(m=m, n=n, k=m, rng=np.random.default_rng(0))
for key, value in params.items():
    print(f"{key}：形状 {value.shape}")

# %% [markdown]
# 两个乘积可以合成一个：把矩阵左右拼接成 $[U\;W]$，形状为 $n \times (m+n)$；把向量上下拼接成 $[x_t; s_{t-1}]$，长度为 $m + n$。于是 $[U\;W]\,[x_t; s_{t-1}] = U x_t + W s_{t-1}$，结果是一个 $n$ 维向量。注意拼接后的向量有
# $m + n$ 个元素，它既不是 $n \times n$ 的，也不是 $(n+m) \times (n+m)$ 的。

# %%
rng = np.random.default_rng(1)
x_t, s_prev = rng.standard_normal(m), rng.standard_normal(n)
UW = np.hstack([params["U"], params["W"]])
xs = np.concatenate([x_t, s_prev])
print("[U W] 的形状：", UW.shape, "  [x_t; s_(t-1)] 的形状：", xs.shape)
print("[U W]·[x_t; s_(t-1)] =", UW @ xs)
print("U x_t + W s_(t-1)    =", params["U"] @ x_t + params["W"] @ s_prev)

# %% [markdown]
# 把网络在每个时间步各画一次，就得到**展开**的网络：它是一个每步一层的深层前馈网络 (feed-forward network)，而且每一层的权重都相同。下图中它读的是第 3 节要构造的句子（`<s>` 和 `</s>` 标出句子的开始和结束）：

# %%
example = "我 昨天 上学 迟到 了"
words = example.split()
fig, ax = plt.subplots(figsize=(10, 3.4))
plot.rnn_diagram(["<s>", *words], [*words, "</s>"], ax=ax, title="在一个句子上展开的 RNN")
plt.show()

# %% [markdown]
# 把递推式展开，$s_3 = \tanh\big(U x_3 + W \tanh(U x_2 + W \tanh(U x_1 + W s_0 + b) + b) + b\big)$：状态以及输出 $o_t$ 只依赖于 $x_1, \dots, x_t$，**绝不**依赖于之后的输入 $x_{t+1}$，信息只沿时间向前流动。验证一下：只改动 $x_5$，看哪些输出会变。

# %%
X = rng.standard_normal((6, m))
O, S = rnn.rnn_forward(X, np.zeros(n), params)
X_changed = X.copy()
X_changed[4] += 5.0  # 只改 x_5（从 0 数起的第 4 行）
O_changed, _ = rnn.rnn_forward(X_changed, np.zeros(n), params)
print("o_t 的最大变化，t = 1 … 6：", np.round(np.abs(O_changed - O).max(axis=1), 4))

# %% [markdown]
# $o_1, \dots, o_4$ 纹丝不动。（*双向* (bidirectional) RNN 另加一条从后往前读序列的链，让每个输出都能看到整个输入；那是另一种模型。）

# %% [markdown]
# ## 3. 把句子变成数据：词元、词表、独热向量
#
# 训练需要句子。`data.sentence_grammar` 是一个小型概率文法 (probabilistic grammar)，能生成简短的中文句子（英文版笔记本用英文文法）。它完全离线；而且因为我们知道它的全部概率，就能精确地说出最好的模型能好到什么程度（第 4 节）。

# %%
grammar = data.sentence_grammar(LANG)
train_sentences = grammar.sample(2000, seed=1)
test_sentences = grammar.sample(1000, seed=2)
for sentence in train_sentences[:6]:
    print(" ".join(sentence))
print(f"…… 共 {len(train_sentences)} 个训练句子、{len(test_sentences)} 个测试句子")

# %% [markdown]
# 每个句子都已经切分成**词元**（这里就是词）。每个句子前后再加两个特殊词元：`<s>`（起始符）和 `</s>`
# （结束符）。网络先读入 `<s>`；它预测出 `</s>`，就表示“句子结束了”。
#
# 计算机没法拿词做乘法，所以要给词编号。**词表** (vocabulary) 把每个词元列出一次并给它一个编号：先是 `<unk>`
# （任何未知词）、`<s>`、`</s>`，然后是各个词。不在词表里的词一律记为 `<unk>`。

# %%
vocab = data.Vocabulary(grammar.words)
K = len(vocab)
print(f"词表大小 K = {K}")
print(vocab.tokens)
ids = vocab.encode(example)
print("词元：", vocab.decode(ids))
print("编号：", ids)
print("含未知词的句子：", vocab.decode(vocab.encode("我 昨天 上课 迟到 了")))

# %% [markdown]
# 不能把编号本身直接喂给网络：编号 8 并不是编号 4 的“两倍”，词与词之间也没有大小顺序。**独热向量**
# $x \in \{0, 1\}^K$ 只在该词的编号处为 1，其余都是 0。所有独热向量长度相同、两两距离相等，不会偏袒任何一个词。乘以独热向量就是取出一列：$U x_t$ 正是 $U$ 中属于这个词的那一列。

# %%
X_example = vocab.one_hot(ids[:-1])  # 输入：<s> 和各个词（</s> 从不作为输入）
y_example = ids[1:]  # 目标：各个词和 </s>
print("X 的形状 (T, K)：", X_example.shape)
print(X_example.astype(int))
for t, (a, b) in enumerate(zip(ids[:-1], y_example, strict=True), start=1):
    print(f"t = {t}：输入 x_t = {vocab.tokens[a]:<6} 目标 y_t = {vocab.tokens[b]}")

# %% [markdown]
# 第 $t$ 步的输入是第 $t-1$ 个词元，目标是第 $t$ 个词元：网络总是在预测**下一个**词元。一个含 $L$ 个词的句子共有
# $T = L + 1$ 步。

# %% [markdown]
# ## 4. 输出与一个句子的损失
#
# 每一步的输出 $\hat y_t = \operatorname{softmax}(o_t)$ 是**整个词表上的一个概率分布**：$K$ 个和为 1 的非负数。它不是一个词。要得到一个词，还得从中挑一个，例如取概率最大的，或者随机抽一个（第 8 节）。
#
# 第 $t$ 步的损失是独热目标 $y_t$ 与 $\hat y_t$ 之间的交叉熵。它是对整个词表的求和，只有目标词那一项留下来（等式右边的 $y_t$ 表示目标词元的编号）：
#
# $$E_t = -\sum_{j=1}^{K} y_{t,j} \ln \hat y_{t,j} = -\ln \hat y_{t,\,y_t}.$$
#
# 一整个句子算作一个训练样本，它的损失是各步之和 $E = \sum_{t=1}^{T} E_t$。下面是一个 $n = 16$ 的未训练网络读这个例句：

# %%
n = 16
params = rnn.init_params(m=K, n=n, k=K, rng=np.random.default_rng(0))
s0 = np.zeros(n)
O, S = rnn.rnn_forward(X_example, s0, params)
Y_hat = softmax.softmax(O, axis=1)
print("每个 ŷ_t 之和都为 1：", np.allclose(Y_hat.sum(axis=1), 1.0))
for t, target in enumerate(y_example, start=1):
    p = Y_hat[t - 1, target]
    print(f"t = {t}：ŷ_t[{vocab.tokens[target]}] = {p:.4f}   E_t = {-np.log(p):.4f}")

# %%
E_sum = -np.log(Y_hat[np.arange(len(y_example)), y_example]).sum()
E_onehot = -(vocab.one_hot(y_example) * np.log(Y_hat)).sum()
E_rnn, _ = rnn.rnn_loss_and_grads(X_example, y_example, s0, params)
E_torch = F.cross_entropy(torch.tensor(O), torch.tensor(y_example), reduction="sum").item()
print(f"E = Σ_t E_t          = {E_sum:.4f}")
print(f"用独热目标计算       = {E_onehot:.4f}")
print(f"rnn_loss_and_grads   = {E_rnn:.4f}")
print(f"torch cross_entropy  = {E_torch:.4f}   （reduction='sum'）")
print(f"T · ln K             = {len(y_example) * np.log(K):.4f}   （均匀猜测的损失）")

# %% [markdown]
# 未训练的网络几乎是在均匀地猜，所以每个 $E_t$ 都接近 $\ln K$。为了比较长度不同的句子、以及在整个测试集上比较模型，我们报告**每个词元的损失**：所有句子的 $E_t$ 之和除以被预测的词元总数。
#
# ### 最低可能的损失
#
# 即使是完美的模型也达不到 0 损失，因为下一个词本来就不确定。文法知道真实的条件概率 $p(w_t \mid w_1, \dots, w_{t-1})$：

# %%
prefix = "我 昨天 上学"
print(f"p(下一个词元 | {prefix}) =", grammar.next_token_probs(prefix))
print("p(下一个词元 | 你 明天 上班 不会 迟到) =", grammar.next_token_probs("你 明天 上班 不会 迟到"))

# %% [markdown]
# 模型最好也只能恰好预测出这些概率。这时它每个词元的期望损失就是语料的**每词元熵** (entropy per token)：
#
# $$H = \frac{\mathbb E\big[-\ln p(\text{句子})\big]}{\mathbb E[T]} .$$
#
# 这个文法是一个有限自动机 (finite automaton)，读过的词唯一地确定它所处的状态，所以 $H$ 可以精确算出：设平均每个句子访问状态 $q$
# 共 $v_q$ 次（解一个线性方程组即得），状态 $q$ 的下一词元分布的熵为 $H_q$，则 $H = \sum_q v_q H_q / \sum_q v_q$。另有两个较弱的模型可作参照：一个完全不看历史（只知道词频），一个只看前一个词。

# %%
H = grammar.entropy_per_token()
H_bigram = grammar.bigram_entropy_per_token()
H_unigram = grammar.unigram_entropy_per_token()
print(f"精确下限 H（看全部历史） = {H:.4f} 纳特/词元")
print(f"只看前一个词的最好结果   = {H_bigram:.4f}")
print(f"完全不看历史的最好结果   = {H_unigram:.4f}")
print(f"均匀猜测 ln K            = {np.log(K):.4f}")
print(f"蒙特卡罗，20000 个句子   = {grammar.nll_per_token(grammar.sample(20_000, seed=3)):.4f}")
print(f"文法自身在测试集上的损失 = {grammar.nll_per_token(test_sentences):.4f}")

# %% [markdown]
# 蒙特卡罗 (Monte Carlo) 估计与精确值一致。只记得前一个词的模型明显高于 $H$：读到“上学”时，它不知道后面该接“迟到 了”还是“会 迟到”，这要由两步之前的“昨天”或“明天”决定；读到句末的“迟到”时，它也不知道能不能接“吗”，这要看句首的主语是不是“你”。
# RNN 可以把这些信息保存在状态里。

# %% [markdown]
# ## 5. 随时间反向传播 (BPTT)
#
# 训练网络需要 $\partial E / \partial U$、$\partial E / \partial W$、$\partial E / \partial b$、$\partial E / \partial V$、
# $\partial E / \partial c$（如果 $s_0$ 也要学习，还需要 $\partial E / \partial s_0$）。在展开的网络上做反向传播，就叫**随时间反向传播**。记 $\delta$ 为 $E$ 的梯度：$\delta o_t = \partial E / \partial o_t$，
# $\delta a_t = \partial E / \partial a_t$；$e_{y}$ 表示 $y$ 的独热向量。按 $t = T, T-1, \dots, 1$ 倒着走：
#
# 1. **输出。** $E_t$ 是 softmax 再接交叉熵，所以（第 03 章）$\delta o_t = \hat y_t - e_{y_t}$。由 $o_t = V s_t + c$
#    得 $\;\partial E / \partial V \mathrel{+}= \delta o_t\, s_t^\top$，$\;\partial E / \partial c \mathrel{+}= \delta o_t$。
# 2. **状态。** $s_t$ 通过两条路影响 $E$：直接经过 $o_t$，以及经过**下一步**的 $a_{t+1} = U x_{t+1} + W s_t + b$。两条路相加：
#    $$\frac{\partial E}{\partial s_t} = V^\top \delta o_t + W^\top \delta a_{t+1}, \qquad \delta a_{T+1} = 0 .$$
#    第二项来自第 $t+1$ 个时间步（未来），所以循环要倒着跑。
# 3. **穿过 tanh。** $\tanh'(a) = 1 - \tanh^2(a)$，所以 $\delta a_t = \dfrac{\partial E}{\partial s_t} \odot (1 - s_t^2)$
#    （$\odot$ 表示逐元素相乘）。
# 4. **状态方程的参数。** 由 $a_t = U x_t + W s_{t-1} + b$ 得
#    $\;\partial E / \partial U \mathrel{+}= \delta a_t\, x_t^\top$，$\;\partial E / \partial W \mathrel{+}= \delta a_t\, s_{t-1}^\top$，
#    $\;\partial E / \partial b \mathrel{+}= \delta a_t$。最后 $\partial E / \partial s_0 = W^\top \delta a_1$。
#
# “$\mathrel{+}=$”是 BPTT 的核心：参数被所有时间步共享，所以它的梯度是每一步贡献的**时间求和**。用 numpy 逐步写出来：

# %%
def bptt(X, y, s0, params):
    """tanh RNN 的损失 E = Σ_t −ln ŷ_t[y_t] 及其梯度：逐步写出的 BPTT。"""
    U, W, b, V, c = (params[key] for key in ("U", "W", "b", "V", "c"))
    T = X.shape[0]
    S = np.zeros((T + 1, s0.shape[0]))
    S[0] = s0
    Y_hat = np.zeros((T, V.shape[0]))
    E = 0.0
    for t in range(1, T + 1):  # 前向传播，t = 1 … T（对应 X 和 Y_hat 的第 t−1 行）
        S[t] = np.tanh(U @ X[t - 1] + W @ S[t - 1] + b)
        Y_hat[t - 1] = softmax.softmax(V @ S[t] + c)
        E -= np.log(Y_hat[t - 1, y[t - 1]])
    grads = {key: np.zeros_like(value) for key, value in params.items()}
    da_next = np.zeros_like(s0)  # δa_(T+1) = 0
    for t in range(T, 0, -1):  # 反向传播，t = T … 1
        do = Y_hat[t - 1].copy()
        do[y[t - 1]] -= 1.0  # 1. δo_t = ŷ_t − e_(y_t)
        grads["V"] += np.outer(do, S[t])
        grads["c"] += do
        ds = V.T @ do + W.T @ da_next  # 2. 来自 o_t，以及来自下一步的 a_(t+1)
        da = ds * (1.0 - S[t] ** 2)  # 3. 穿过 tanh
        grads["U"] += np.outer(da, X[t - 1])  # 4. 对时间求和
        grads["W"] += np.outer(da, S[t - 1])
        grads["b"] += da
        da_next = da
    grads["s0"] = W.T @ da_next
    return E, grads


# %% [markdown]
# 用三种方法在 float64 下核对它：例句加随机参数（偏置和 $s_0$ 都不为零，让每一项都起作用），分别与 `mlcourse.rnn`、中心有限差分、以及 PyTorch 对同一前向过程的自动求导 (autograd) 比较。

# %%
rng = np.random.default_rng(2)
params = rnn.init_params(m=K, n=8, k=K, rng=rng, scale=0.5)
params["b"], params["c"] = 0.3 * rng.standard_normal(8), 0.3 * rng.standard_normal(K)
s0 = 0.5 * rng.standard_normal(8)
E_ours, grads_ours = bptt(X_example, y_example, s0, params)
E_lib, grads_lib = rnn.rnn_loss_and_grads(X_example, y_example, s0, params)

leaves = {key: torch.tensor(value, dtype=torch.float64, requires_grad=True) for key, value in params.items()}
leaves["s0"] = torch.tensor(s0, dtype=torch.float64, requires_grad=True)
s, E_autograd = leaves["s0"], torch.zeros((), dtype=torch.float64)
for t in range(len(y_example)):
    s = torch.tanh(leaves["U"] @ torch.tensor(X_example[t]) + leaves["W"] @ s + leaves["b"])
    E_autograd = E_autograd - torch.log_softmax(leaves["V"] @ s + leaves["c"], dim=0)[y_example[t]]
E_autograd.backward()


def loss_with(key, value):
    """把 E 看成某一个参数（或 s0）的函数，其余固定：供有限差分使用。"""
    p = {**params, key: value} if key != "s0" else params
    return rnn.rnn_loss_and_grads(X_example, y_example, value if key == "s0" else s0, p)[0]


print(f"E：我们的 {E_ours:.6f}，mlcourse {E_lib:.6f}，torch {E_autograd.item():.6f}")
print(f"{'':4}{'形状':>9}  {'= mlcourse':>10}  {'≈ 有限差分':>14}  {'= torch (1e-8)':>14}")
for key in ("U", "W", "b", "V", "c", "s0"):
    value = s0 if key == "s0" else params[key]
    fd = numerical_grad(lambda v, key=key: loss_with(key, v), value)
    torch_grad = leaves[key].grad.numpy()
    print(f"{key:4}{value.shape!s:>9}  {np.allclose(grads_ours[key], grads_lib[key], rtol=0, atol=1e-12)!s:>10}"
          f"  {np.allclose(grads_ours[key], fd, rtol=0, atol=1e-6)!s:>14}"
          f"  {np.abs(grads_ours[key] - torch_grad).max() < 1e-8!s:>14}")

# %% [markdown]
# 每一个梯度，包括 $\partial E / \partial s_0$，都与 torch 自动求导相差不到 $10^{-8}$。中心差分也一致，绝对误差约
# $10^{-8}$（这是差分自身的舍入误差：损失约为 28，而 $h = 10^{-6}$）；若用相对误差来比，恰好为 0 的元素会出问题，例如 $U$ 中对应句子里没有出现的词的那些列。
#
# 第 2 步的结构也可以用 SymPy 做符号验证。取一个两步的标量 RNN：$s_1 = \tanh(u x_1 + w s_0 + b)$，
# $s_2 = \tanh(u x_2 + w s_1 + b)$，并设损失在 $s_2$ 处的梯度为 $g$。按 BPTT，$\delta a_2 = g(1 - s_2^2)$，
# $\delta a_1 = w\,\delta a_2\,(1 - s_1^2)$，$\partial E / \partial w = \delta a_2 s_1 + \delta a_1 s_0$：每个时间步贡献一项，再相加。

# %%
u, w, b_, x1, x2, s0_, g = sp.symbols("u w b x_1 x_2 s_0 g")
s1 = sp.tanh(u * x1 + w * s0_ + b_)
s2 = sp.tanh(u * x2 + w * s1 + b_)
da2 = g * (1 - s2**2)
da1 = w * da2 * (1 - s1**2)
print("链式法则 = BPTT：", sp.expand(g * sp.diff(s2, w) - (da2 * s1 + da1 * s0_)) == 0)
sp.diff(s2, w)

# %% [markdown]
# ## 6. 梯度消失与梯度爆炸
#
# 把 BPTT 的第 2 步展开可以看到，从较晚的第 $t$ 步的损失传到较早状态 $s_k$ 的梯度，要经过雅可比矩阵 (Jacobian)
#
# $$\frac{\partial s_t}{\partial s_k} = \prod_{j=k+1}^{t} \operatorname{diag}(1 - s_j^2)\, W .$$
#
# （$j = t$ 的因子在最左边，$j = k+1$ 的因子在最右边。）它的大小由这个乘积的**奇异值** (singular value) 决定。因为 $0 < 1 - s_j^2 \le 1$，有
# $\big\lVert \partial s_t / \partial s_k \big\rVert \le \sigma_{\max}(W)^{\,t-k}$，其中 $\sigma_{\max}$ 是最大奇异值。
# $t - k$ 个因子的乘积就像一个幂：它可能缩向 0（**梯度消失** (vanishing gradient)：遥远的时间步不再影响学习），也可能无限增大（**梯度爆炸** (exploding gradient)：一次更新就把参数甩到很远的地方）。
#
# ### 一个干净的演示：$W = \rho Q$
#
# 取 $W = \rho Q$，$Q$ 是随机正交矩阵 (orthogonal matrix)（$Q^\top Q = I$，所以 $W$ 的每个奇异值都是 $\rho$），并让 tanh 处于线性区 (linear regime)：输入 $x_t = 0$、$s_0 = 0$ 使所有状态都为 $0$，而 $\tanh'(0) = 1$。若只有最后一步 $T$ 有损失，每往回一步梯度就乘一次
# $W^\top$，于是精确地有 $\lVert \partial E / \partial s_{T-j} \rVert = \rho^{\,j}\, \lVert \partial E / \partial s_T \rVert$。

# %%
n, T = 32, 60
Q = data.random_orthogonal(n, seed=0)
print("QᵀQ = I：", np.allclose(Q.T @ Q, np.eye(n)))
ratios = {}
for rho in (0.9, 1.0, 1.1):
    params = {"U": np.zeros((n, 1)), "W": rho * Q, "b": np.zeros(n), "V": np.zeros((1, n)), "c": np.zeros(1)}
    _, S = rnn.rnn_forward(np.zeros((T, 1)), np.zeros(n), params)
    ratio = rnn.state_jacobian_norms(S, params["W"])
    ratios[f"ρ = {rho}"] = ratio
    print(f"ρ = {rho}：j = 50 处的比值为 {ratio[50]:.6g}   （ρ^50 = {rho**50:.6g}）；"
          f"对每个 j 都等于 ρ^j：{np.allclose(ratio, rho ** np.arange(T), rtol=1e-12)}")
plot.lines(np.arange(T), ratios, logy=True, xlabel="j（从 T 往回的步数）", ylabel="‖∂E/∂s_(T−j)‖ / ‖∂E/∂s_T‖",
           title="梯度范数随时间的变化，W = ρQ，线性区")
plt.show()

# %% [markdown]
# 在对数坐标下三条线都是直的：50 步之后，$\rho = 0.9$ 时梯度只剩原来的千分之五左右，$\rho = 1.1$ 时则放大了一百多倍。只有 $\rho = 1$ 能保持不变，而且只是在这种理想的线性区里。
#
# ### 饱和 (saturation) 的影响
#
# 真实的输入会把状态推离 0。当 $|s_j|$ 接近 1 时，$\tanh'(a_j) = 1 - s_j^2$ 接近 0，无论 $W$ 是什么，对角因子都会把梯度压小。取单位尺度的输入和 $\rho = 1.5$（在线性区里它会爆炸）：

# %%
rng = np.random.default_rng(5)
params = {"U": rng.standard_normal((n, n)), "W": 1.5 * Q, "b": np.zeros(n), "V": np.zeros((1, n)), "c": np.zeros(1)}
_, S = rnn.rnn_forward(rng.standard_normal((T, n)), np.zeros(n), params)
saturated = rnn.state_jacobian_norms(S, params["W"])
print(f"|s_t| 的平均值 = {np.abs(S[1:]).mean():.4f}，tanh'(a_t) = 1 − s_t² 的平均值：{(1 - S[1:] ** 2).mean():.4f}")
print("j = 1, 5, 10, 20 处的比值：", [f"{saturated[j]:.3g}" for j in (1, 5, 10, 20)])
plot.lines(np.arange(T), {"ρ = 1.5，x_t = 0（线性区）": 1.5 ** np.arange(T), "ρ = 1.5，单位尺度输入（饱和）": saturated},
           logy=True, xlabel="j（从 T 往回的步数）", ylabel="梯度范数之比", title="饱和使梯度消失")
plt.show()

# %% [markdown]
# 所以谱半径 (spectral radius) 大于 1 是梯度爆炸的**必要条件**（在线性区里，长期看没有什么能比 $\rho(W)^j$ 增长得更快），但**不是充分条件**。反过来，$\sigma_{\max}(W) < 1$ 则**保证**梯度消失，因为每个因子都在缩小梯度。起作用的是整个乘积的奇异值，而不是 $W$ 中单个元素的大小：

# %%
W_small_entries = 0.05 * np.ones((64, 64))
print(f"所有元素都是 0.05，n = 64：σ_max = {np.linalg.svd(W_small_entries, compute_uv=False)[0]:.4f}")
W_nonnormal = np.array([[0.5, 2.0], [0.0, 0.5]])
print(f"W = [[0.5, 2], [0, 0.5]]：ρ(W) = {np.abs(np.linalg.eigvals(W_nonnormal)).max():.4f}，"
      f"σ_max = {np.linalg.svd(W_nonnormal, compute_uv=False)[0]:.4f}")
print("   它的梯度比值，j = 0 … 8：",
      np.round(rnn.state_jacobian_norms(np.zeros((9, 2)), W_nonnormal, np.array([1.0, 0.0])), 4))

# %% [markdown]
# 元素都很小的矩阵照样可以有 $\sigma_{\max} = 3.2$ 而导致爆炸；谱半径只有 $0.5$ 的矩阵也可以先把梯度放大到两倍，之后才逐渐消失。

# %% [markdown]
# ## 7. 对策：梯度裁剪与截断 BPTT
#
# **梯度裁剪**对付梯度爆炸：如果所有梯度合在一起的范数 $\lVert g \rVert$ 超过阈值 $\tau$，就把它们按比例缩小，
# $g \leftarrow g \cdot \tau / \lVert g \rVert$。方向不变，只限制步长。下面是一个爆炸的例子：$W = 1.1\,Q$，60 步，输入很小：

# %%
rng = np.random.default_rng(6)
params = {"U": 0.01 * rng.standard_normal((n, 4)), "W": 1.1 * Q, "b": np.zeros(n),
          "V": rng.standard_normal((3, n)), "c": np.zeros(3)}
X_long, y_long = rng.standard_normal((T, 4)), rng.integers(0, 3, size=T)
_, grads = rnn.rnn_loss_and_grads(X_long, y_long, np.zeros(n), params)
clipped, norm_before = rnn.clip_grad_norm(grads, max_norm=5.0)
norm_after = np.sqrt(sum(np.sum(g_**2) for g_ in clipped.values()))
print(f"裁剪前的梯度范数：{norm_before:.2f}，裁剪后：{norm_after:.4f}")

tensors = [torch.tensor(value, requires_grad=True) for value in grads.values()]
for tensor, value in zip(tensors, grads.values(), strict=True):
    tensor.grad = torch.tensor(value)
torch_norm = torch.nn.utils.clip_grad_norm_(tensors, max_norm=5.0).item()
print("与 torch clip_grad_norm_ 相同：", np.isclose(torch_norm, norm_before),
      all(np.allclose(t.grad.numpy(), c) for t, c in zip(tensors, clipped.values(), strict=True)))
print("方向不变：", np.allclose(clipped["W"] / np.linalg.norm(clipped["W"]), grads["W"] / np.linalg.norm(grads["W"])))

# %% [markdown]
# **截断 BPTT** (truncated BPTT) 限制每个梯度能往回流多远：窗口为 $k$ 时，第 $t$ 步的损失只把梯度送到最近的 $k$ 步
# $t, t-1, \dots, t-k+1$。这样既限制了计算量，也限制了乘积的长度。（在 torch 中，第 $t$ 步的损失从 $k$ 步之前的
# `s.detach()` 开始计算。常见的简便做法是每隔 $k$ 步对状态调用一次 `detach()`，这样每个损失项的窗口在 1 到 $k$ 步之间。）代价是偏差：超过 $k$ 步的依赖关系学不到。在上面的例子里，$k$ 越大，$W$ 的梯度越接近完整 BPTT 的结果：

# %%
for k in (1, 4, 16, 32, 48, 60):
    _, grads_k = rnn.rnn_loss_and_grads(X_long, y_long, np.zeros(n), params, truncate=k)
    gap = np.linalg.norm(grads_k["W"] - grads["W"]) / np.linalg.norm(grads["W"])
    print(f"k = {k:2}：‖∂E/∂W‖ = {np.linalg.norm(grads_k['W']):8.2f}，与完整 BPTT 的相对距离 = {gap:.4f}")

# %% [markdown]
# 梯度裁剪对**梯度消失**无能为力。真正的办法是换一种单元：LSTM 和 GRU 为状态增加了一条带门控 (gated)、以加法为主的通路，梯度沿这条通路每一步乘的是门控值（它可以一直接近 1），而不是 $W$ 和 $\tanh'$。它们是处理长序列的标准选择，例如用 CTC 训练的语音识别模型（第 09 章）。

# %% [markdown]
# ## 8. 训练一个语言模型
#
# ### 8.1 numpy 版 RNN，训练几轮
#
# 有了 `rnn_loss_and_grads` 就已经可以训练了：对每词元损失做普通的梯度下降，每个小批量 (minibatch) 20 个句子，并做梯度裁剪。只用 400 个句子、训练几轮，看损失下降即可。

# %%
n = 32
params = rnn.init_params(m=K, n=n, k=K, rng=np.random.default_rng(0))
s0 = np.zeros(n)
encoded = [vocab.encode(sentence) for sentence in train_sentences[:400]]
order_rng = np.random.default_rng(7)
epoch_losses = []
for epoch in range(8):
    total, tokens = 0.0, 0
    for batch in order_rng.permutation(len(encoded)).reshape(-1, 20):
        grads_sum = {key: np.zeros_like(value) for key, value in params.items()}
        batch_tokens = 0
        for i in batch:
            E, grads = rnn.rnn_loss_and_grads(vocab.one_hot(encoded[i][:-1]), encoded[i][1:], s0, params)
            total, tokens, batch_tokens = total + E, tokens + len(encoded[i]) - 1, batch_tokens + len(encoded[i]) - 1
            for key in params:
                grads_sum[key] += grads[key]
        step, _ = rnn.clip_grad_norm({key: g_ / batch_tokens for key, g_ in grads_sum.items()}, 1.0)
        params = {key: params[key] - 0.5 * step[key] for key in params}
    epoch_losses.append(total / tokens)
    print(f"第 {epoch + 1} 轮：训练集每词元损失 {epoch_losses[-1]:.4f}")

# %% [markdown]
# 损失从约 $\ln K$ 向下限 $H$ 下降，但很慢：这个循环在 Python 里一次只处理一个句子。正式训练改用 PyTorch，不过先确认它的 `nn.RNN` 算的是同一个东西。
#
# ### 8.2 `torch.nn.RNN` 就是同一个递推式
#
# `nn.RNN` 计算 $s_t = \tanh(W_{ih} x_t + b_{ih} + W_{hh} s_{t-1} + b_{hh})$：$W_{ih} = U$，$W_{hh} = W$，两个偏置之和就是我们的 $b$。把 numpy 训练出的权重复制进去（用 float64），比较状态：

# %%
net = torch.nn.RNN(K, n, nonlinearity="tanh", batch_first=True, dtype=torch.float64)
with torch.no_grad():
    net.weight_ih_l0.copy_(torch.tensor(params["U"]))
    net.weight_hh_l0.copy_(torch.tensor(params["W"]))
    net.bias_ih_l0.copy_(torch.tensor(params["b"]))
    net.bias_hh_l0.zero_()
    states, s_last = net(torch.tensor(X_example)[None], torch.tensor(s0)[None, None])
O_np, S_np = rnn.rnn_forward(X_example, s0, params)
print("状态 s_1 … s_T 相同：", np.allclose(states[0].numpy(), S_np[1:], rtol=0, atol=1e-12))
print("输出 o_t = V s_t + c 相同：", np.allclose(states[0].numpy() @ params["V"].T + params["c"], O_np, rtol=0, atol=1e-12))

# %% [markdown]
# ### 8.3 用 PyTorch 训练
#
# 模型：独热输入，一个 $n = 64$ 的 `nn.RNN`，再接一个线性输出层（$V$、$c$）。长度不同的句子补齐 (padding) 到同一长度；补齐位置的目标记为 `-100`，`cross_entropy` 会忽略它们，所以损失恰好是对真实词元的平均。在句尾补齐不会带来影响，因为输出从不依赖后面的输入（第 2 节）。优化器用 Adam（第 07 章），并做梯度裁剪。

# %%
class RNNLanguageModel(torch.nn.Module):
    """独热 x_t -> s_t = tanh(U x_t + W s_(t−1) + b) -> o_t = V s_t + c（词表上的 logits）。"""

    def __init__(self, K, n):
        super().__init__()
        self.rnn = torch.nn.RNN(K, n, nonlinearity="tanh", batch_first=True)
        self.out = torch.nn.Linear(n, K)

    def forward(self, ids, s=None):
        states, s_last = self.rnn(F.one_hot(ids, self.rnn.input_size).float(), s)
        return self.out(states), s_last


def loss_per_token(model, inputs, targets):
    logits, _ = model(inputs)
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=-100)


inputs_train, targets_train = (torch.tensor(a) for a in vocab.encode_batch(train_sentences))
inputs_test, targets_test = (torch.tensor(a) for a in vocab.encode_batch(test_sentences))
print("补齐后的训练数据：", tuple(inputs_train.shape), "  第一行的输入 / 目标：")
print(inputs_train[0].tolist())
print(targets_train[0].tolist())

# %%
torch.manual_seed(0)
model = RNNLanguageModel(K, 64)
optimizer = torch.optim.Adam(model.parameters(), lr=0.005)
batch_rng = torch.Generator().manual_seed(0)
history = {"step": [], "train": [], "test": []}
start = time.perf_counter()
for step in range(1, 601):
    idx = torch.randint(0, len(train_sentences), (128,), generator=batch_rng)
    loss = loss_per_token(model, inputs_train[idx], targets_train[idx])
    optimizer.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    optimizer.step()
    if step % 20 == 0:
        with torch.no_grad():
            history["step"].append(step)
            history["train"].append(loss.item())
            history["test"].append(loss_per_token(model, inputs_test, targets_test).item())
train_seconds = time.perf_counter() - start
for i in (0, 4, 9, 29):
    print(f"第 {history['step'][i]:3} 步：训练批 {history['train'][i]:.4f}，测试集 {history['test'][i]:.4f}")

# %%
# NBVAL_IGNORE_OUTPUT
print(f"训练用时：{train_seconds:.1f} 秒")

# %%
print("训练用时少于 30 秒：", train_seconds < 30)

# %%
ax = plot.lines(history["step"], {"训练批": history["train"], "测试集": history["test"]},
                reference=H, reference_label="精确下限 H", xlabel="步数", ylabel="每词元损失（纳特）",
                title="RNN 语言模型")
ax.axhline(H_bigram, color="tab:red", linestyle=":", label="只看前一个词")
ax.axhline(H_unigram, color="tab:purple", linestyle=":", label="不看历史")
ax.legend()
plt.show()
test_loss = history["test"][-1]
print(f"测试集每词元损失：{test_loss:.4f}")
print(f"精确的熵下限：    {H:.4f}   （文法自身在这个测试集上：{grammar.nll_per_token(test_sentences):.4f}）")
print(f"差距：{100 * (test_loss / H - 1):.1f} %   在 10 % 以内：{test_loss < 1.1 * H}")

# %% [markdown]
# 测试损失先后降到“不看历史”和“只看前一个词”两条线以下，最后离精确下限只差百分之几：关于这个语料，能学的东西网络几乎都学到了。
#
# ### 8.4 状态记住了什么？
#
# 要达到下限，就必须用到比前一个词更早的信息。下面两个前缀的最后几个词完全相同，只是开头不同；比较模型预测的下一词元分布与真实分布：

# %%
def next_token_probs(model, history):
    """模型在读完 <s> 和 history 中的词之后，对下一个词元的预测分布。"""
    with torch.no_grad():
        logits, _ = model(torch.tensor(vocab.encode(history)[:-1])[None])
    return torch.softmax(logits[0, -1], dim=0).numpy()


prefixes = ("你 昨天 上学 迟到 了", "我 昨天 上学 迟到 了")
fig, axes = plt.subplots(1, 2, figsize=(11, 3.4))
for ax, prefix in zip(axes, prefixes, strict=True):
    true = grammar.next_token_probs(prefix)
    predicted = next_token_probs(model, prefix)
    shown = [t for t in vocab.tokens if true.get(t, 0) > 0 or predicted[vocab.index(t)] > 0.02]
    plot.grouped_bars(shown, {"RNN": [predicted[vocab.index(t)] for t in shown], "真实": [true.get(t, 0.0) for t in shown]},
                      ax=ax, ylabel="概率", title=f"读完“{prefix}”之后")
    ax.set_ylim(0, 1.3)
    ax.legend(loc="upper left", ncols=2)
    print(prefix, "→", {t: round(float(predicted[vocab.index(t)]), 3) for t in shown})
plt.show()

# %% [markdown]
# 最后四个词相同，预测却不同，而且与真实分布吻合：五步之前的主语（“你”还是“我”）决定句末能否接“吗”，这个信息保存在状态 $s_t$ 里。
#
# ### 8.5 生成句子
#
# 要写一个句子：从 `<s>` 开始，按 $\hat y_t$ 抽出下一个词元，把它作为下一步的输入送回网络，直到抽到 `</s>` 为止。随机数生成器固定了种子，抽样结果就可以复现。文法可以告诉我们每个句子是不是它能生成的句子。

# %%
def generate(model, generator, max_tokens=20):
    """逐个词元地从模型中抽样一个句子，每个词元都送回作为下一步的输入。"""
    ids, s = [vocab.bos], None
    for _ in range(max_tokens):
        with torch.no_grad():
            logits, s = model(torch.tensor([[ids[-1]]]), s)
        token = int(torch.multinomial(torch.softmax(logits[0, -1], dim=0), 1, generator=generator))
        if token == vocab.eos:
            break
        ids.append(token)
    return tuple(vocab.decode(ids, markers=False))


generator = torch.Generator().manual_seed(0)
generated = [generate(model, generator) for _ in range(100)]
for sentence in generated[:8]:
    print(f"p = {np.exp(grammar.log_prob(sentence)):.4f}   {' '.join(sentence)}")
print(f"合乎文法的句子：{sum(grammar.log_prob(s) > -np.inf for s in generated)} / {len(generated)}")

# %% [markdown]
# ## 9. 常见误区
#
# - **“循环”与“递归”不是一回事。** 循环神经网络沿时间运行，递归神经网络在树上运行；“循环（递归）神经网络”的写法把两者混淆了（第 1 节）。
# - **“$o_t$ 受 $x_{t-1}$、$x_t$、$x_{t+1}$ 的影响”。** 不对：$o_t$ 只依赖于 $x_1, \dots, x_t$，前向计算中信息不会逆着时间流动（第 2 节）。双向 RNN 是另一种模型。
# - **两个偏置，名字要一致。** 状态方程里一个偏置（$b$），输出方程里一个偏置（$c$）；有的资料在公式里写 $b_a$，后文又写成
#   $b_x, b_y$，说的仍是这两个（第 2 节）。
# - **拼接形式。** $[U\;W]$ 的形状是 $n \times (m+n)$，它乘的是长度为 $m+n$ 的拼接向量 $[x_t; s_{t-1}]$；
#   $U$（$n\times m$）、$W$（$n\times n$）、$V$（$k\times n$）的形状由此而来（第 2 节）。
# - **$\hat y_t$ 是分布，不是一个词。** 一步的交叉熵是对整个词表求和 $-\sum_j y_{t,j}\ln\hat y_{t,j}$，目标为独热向量时才化简为
#   $-\ln \hat y_{t,y_t}$（第 4 节）。
# - **$\partial E/\partial s_t$ 的第二项来自下一个时间步。** 它是 $W^\top \delta a_{t+1}$，即从第 $t+1$ 步传回来的梯度，而不是“上一层的损失”（第 5 节）。
# - **梯度消失和爆炸取决于奇异值，而不是单个元素。** 元素很小也可能爆炸；$\rho(W) > 1$ 也未必爆炸（饱和）；
#   $\sigma_{\max}(W) < 1$ 则保证消失（第 6 节）。
#
# ## 小结
#
# - RNN 在每一步使用同一个单元：$s_t = \tanh(U x_t + W s_{t-1} + b)$，$o_t = V s_t + c$，其中 $U$：$n\times m$，
#   $W$：$n\times n$，$V$：$k\times n$。输出只依赖于过去和当前的输入。
# - 处理文本时，词元在词表（含 `<s>`、`</s>`、`<unk>`）中得到编号，以独热向量输入；输出是词表上的 softmax 分布，一个句子的损失是各步交叉熵之和。
# - BPTT 沿时间倒着计算，$\partial E/\partial s_t = V^\top\delta o_t + W^\top\delta a_{t+1}$，并把所有时间步对共享参数的贡献相加；它与 torch 自动求导的结果相差不到 $10^{-8}$。
# - 跨越 $j$ 步的梯度按 $j$ 个雅可比矩阵之积缩放：线性区中 $W = \rho Q$ 时恰为 $\rho^j$；梯度裁剪抑制爆炸，截断限制计算量，门控单元（LSTM、GRU）应对消失。
# - 一个小小的 `nn.RNN` 就能把损失降到离语料精确熵下限只差百分之几，并写出合乎文法的句子。
#
# **练习：** 打开 `exercises/08_rnn_bptt.ipynb`。
