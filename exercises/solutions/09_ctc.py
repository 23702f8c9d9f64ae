# %% [markdown]
# # 练习 09 · CTC：连接时序分类 / Exercises 09 · CTC: connectionist temporal classification
#
# 每道题：在标出的地方填写答案或代码，然后运行下面的检查单元格。
# For each exercise: fill in the answer or the code where marked, then run the check cell below it.
#
# - ✅ 正确 / Correct — 做对了 / well done
# - ❌ 不对 / Not quite — 看看提示再试 / read the hint and try again
# - ❌ 未完成 / not filled in yet — 还没有作答 / you have not answered yet
#
# 配套章节 / Chapter: `chapters/09_ctc/zh.ipynb`, `en.ipynb`.
#
# 记号：空白符写作“-”；$\mathcal B$ 先合并重复、再删空白符；$l' = (\text{-}, l_1, \text{-}, \dots, l_U, \text{-})$；
# $t$ 和 $s$ 都从 0 开始数。
#
# Notation: the blank is written "-"; $\mathcal B$ merges repeats, then removes blanks;
# $l' = (\text{-}, l_1, \text{-}, \dots, l_U, \text{-})$; $t$ and $s$ count from 0.

# %%
import mlcourse

mlcourse.setup(seed=0, lang="zh")

import itertools

import numpy as np

from mlcourse import check, ctc

# %% [markdown]
# ## 1. 映射 B 与输出个数 / The map B and the number of outputs
#
# (a) 写出下面五条路径经过 $\mathcal B$ 之后的标签序列（字符串，空序列写 `""`）。
# (b) 一个 CTC 模型识别 26 个小写英文字母和空格。它每一帧的 softmax 有几个输出？
#
# (a) Write the labellings that $\mathcal B$ gives for the five paths below (strings; the empty labelling is `""`).
# (b) A CTC model reads the 26 lowercase English letters and the space. How many outputs does its softmax have at each
# frame?

# %%
paths = ["aa-b", "-a-a-", "abb-bc", "---", "a-ab-"]

labellings = ["ab", "aa", "abbc", "", "aab"]  # SOLUTION
n_outputs = 28  # SOLUTION

# %%
check.value(labellings, [ctc.collapse(p, "-") for p in paths], name="B(π)")

# %%
check.value(n_outputs, 26 + 1 + 1, name="softmax outputs")

# %% [markdown] tags=["solution"]
# 解答：(a) 先合并重复，再删空白符：“aa-b” → “a-b” → “ab”；“-a-a-” → “aa”（空白符把两个 a 隔开）；“abb-bc” → “ab-bc” → “abbc”；“---” → “”（空标签序列）；“a-ab-” → “aab”。(b) 26 个字母加空格共 27 个标签，再加上空白符：
# 28 个输出。
#
# Solution: (a) merge repeats first, then drop blanks: "aa-b" → "a-b" → "ab"; "-a-a-" → "aa" (the blank keeps
# the two a's apart); "abb-bc" → "ab-bc" → "abbc"; "---" → ""; "a-ab-" → "aab". (b) 26 letters + space = 27
# labels, plus the blank: 28 outputs.

# %% [markdown]
# ## 2. 列出所有路径 / List all the paths
#
# 字母表 $\{a, b\}$ 加空白符，$T = 3$。(a) 列出所有满足 $\mathcal B(\pi) =$“ab”的路径（字符串列表，顺序任意）。
# (b) $T = 4$ 时，有多少条路径满足 $\mathcal B(\pi) =$“aa”？
#
# Alphabet $\{a, b\}$ plus the blank, $T = 3$. (a) List every path with $\mathcal B(\pi) =$ "ab" (a list of strings,
# in any order). (b) With $T = 4$, how many paths have $\mathcal B(\pi) =$ "aa"?

# %%
paths_ab = ["-ab", "a-b", "aab", "ab-", "abb"]  # SOLUTION
n_paths_aa_T4 = 5  # SOLUTION

# %%
expected_ab = sorted("".join(p) for p in itertools.product("-ab", repeat=3) if ctc.collapse("".join(p), "-") == "ab")
check.value(sorted(paths_ab) if isinstance(paths_ab, (list, tuple, set)) else paths_ab, expected_ab, name="paths of ab")

# %%
check.value(n_paths_aa_T4, sum(ctc.collapse("".join(p), "-") == "aa" for p in itertools.product("-ab", repeat=4)),
            name="paths of aa, T = 4")

# %% [markdown] tags=["solution"]
# 解答：(a) “-ab”“a-b”“aab”“ab-”“abb”：“ab”占两帧，第三帧要么是一个空白符（在两个标签之前、之间或之后），要么是 a 或 b
# 的重复；用正文中的公式，$\binom{T + U - k}{2U} = \binom{5}{4} = 5$。(b)“aa”的两个 a 之间必须有空白符，即“a-a”；第四帧可以是开头或结尾的一个空白符、中间的第二个空白符，或者重复一个 a：“-a-a”“a-a-”“a--a”“aa-a”“a-aa”。共 5 条路径，与
# $k = 1$ 处重复时的 $\binom{4 + 2 - 1}{4} = 5$ 一致；“a--a”最容易被漏掉。
#
# Solution: (a) "-ab", "a-b", "aab", "ab-", "abb": "ab" uses two frames, and the third one is a blank
# (before, between or after the labels) or a repeat of a or of b; the chapter's formula gives
# $\binom{T + U - k}{2U} = \binom{5}{4} = 5$. (b) "aa" needs a blank between the a's, "a-a", and the fourth frame is
# a blank at the start or the end, a second blank in the middle, or a repeated a: "-a-a", "a-a-", "a--a", "aa-a",
# "a-aa". Five paths, as $\binom{4 + 2 - 1}{4} = 5$ with $k = 1$ repeat; "a--a" is the one people forget.

# %% [markdown]
# ## 3. 手算一列 α / One column of α by hand
#
# 本章正文中的小例子：$\hat y_0 = (0.5, 0.4, 0.1)$，$\hat y_1 = (0.2, 0.3, 0.5)$（顺序为 blank, a, b），目标“ab”，
# $l' =$“-a-b-”，$\alpha_0 = (0.5, 0.4, 0, 0, 0)$。用递推
# $\alpha_t(s) = [\alpha_{t-1}(s) + \alpha_{t-1}(s-1) + \alpha_{t-1}(s-2)]\,\hat y_t(l'_s)$（跳跃项只对与
# $l'_{s-2}$ 不同的标签成立）算出 $\alpha_1(s)$，$s = 0, \dots, 4$。
#
# The chapter's small example: $\hat y_0 = (0.5, 0.4, 0.1)$, $\hat y_1 = (0.2, 0.3, 0.5)$ (order blank, a, b), target
# "ab", $l' =$ "-a-b-", $\alpha_0 = (0.5, 0.4, 0, 0, 0)$. With the recursion
# $\alpha_t(s) = [\alpha_{t-1}(s) + \alpha_{t-1}(s-1) + \alpha_{t-1}(s-2)]\,\hat y_t(l'_s)$ (the skip term only for a
# label different from $l'_{s-2}$), compute $\alpha_1(s)$ for $s = 0, \dots, 4$.

# %%
y_hat = np.array([[0.5, 0.4, 0.1], [0.2, 0.3, 0.5], [0.6, 0.1, 0.3]])

alpha_1 = np.array([0.1, 0.27, 0.08, 0.2, 0.0])  # SOLUTION

# %%
check.value(alpha_1, np.exp(ctc.ctc_alpha(np.log(y_hat), [1, 2]))[1], name="α_1")

# %% [markdown] tags=["solution"]
# 解答：$\alpha_1(0) = 0.5 \cdot 0.2 = 0.1$；$\alpha_1(1) = (0.4 + 0.5) \cdot 0.3 = 0.27$；
# $\alpha_1(2) = (0 + 0.4) \cdot 0.2 = 0.08$；$\alpha_1(3) = (0 + 0 + 0.4) \cdot 0.5 = 0.2$（从“a”跳过空白符是允许的，因为
# b ≠ a）；$\alpha_1(4) = (0 + 0) \cdot 0.2 = 0$：只有两帧时，路径不可能既走完“ab”又走到末尾的空白符。
#
# Solution: $\alpha_1(0) = 0.5 \cdot 0.2 = 0.1$; $\alpha_1(1) = (0.4 + 0.5) \cdot 0.3 = 0.27$;
# $\alpha_1(2) = (0 + 0.4) \cdot 0.2 = 0.08$; $\alpha_1(3) = (0 + 0 + 0.4) \cdot 0.5 = 0.2$ (the skip from "a" over
# the blank is allowed because b ≠ a); $\alpha_1(4) = (0 + 0) \cdot 0.2 = 0$: after two frames a path cannot have
# finished "ab" and the trailing blank.

# %% [markdown]
# ## 4. 最优路径 ≠ 最可能的标签序列 / Best path ≠ best labelling
#
# 给出一个 $T = 3$ 帧、字母表 $\{a\}$（顺序 blank, a）的概率矩阵 `probs`（形状为 (3, 2)，每行之和为 1），使最优路径解码（`ctc.greedy_decode`）的结果与最可能的标签序列（束宽不设上限的束搜索给出的第一个结果）不同。
#
# Give a probability matrix `probs` for $T = 3$ frames and the alphabet $\{a\}$ (order blank, a), shape (3, 2) with
# rows summing to 1, for which best path decoding (`ctc.greedy_decode`) differs from the most probable labelling (the
# first result of a beam search with an unlimited beam).

# %%
probs = np.array([[0.55, 0.45], [0.55, 0.45], [0.55, 0.45]])  # SOLUTION


# %%
def greedy_differs(probs):
    """True if best path decoding and the most probable labelling differ (... while unanswered)."""
    if probs is ... or probs is None:
        return probs
    log_probs = np.log(np.asarray(probs, dtype=float))
    return ctc.greedy_decode(log_probs) != ctc.beam_search_decode(log_probs, beam_width=None)[0][0]


check.true_false(greedy_differs(probs), True, name="greedy ≠ best labelling")

# %% [markdown] tags=["solution"]
# 解答：每一帧都取 $\hat y_t = (0.55, 0.45)$ 时，最优路径是“---”（$0.55^3 = 0.166$），所以最优路径解码返回空标签序列。但“a”汇集了六条路径：a--、-a-、--a、aa-、-aa 和 aaa（“a-a”不在其中，它给出“aa”），
# $3 \cdot 0.45 \cdot 0.55^2 + 2 \cdot 0.45^2 \cdot 0.55 + 0.45^3 = 0.722$。每一帧的空白符概率只要略大于 0.5，都可以。
#
# Solution: with $\hat y_t = (0.55, 0.45)$ at every frame the best path is "---" ($0.55^3 = 0.166$), so best
# path decoding returns the empty labelling. But "a" collects six paths, a--, -a-, --a, aa-, -aa and aaa ("a-a"
# is not one of them: it gives "aa"): $3 \cdot 0.45 \cdot 0.55^2 + 2 \cdot 0.45^2 \cdot 0.55 + 0.45^3 = 0.722$. Any
# blank probability a little above 0.5 at every frame works.

# %% [markdown]
# ## 5. 不可能的目标 / Impossible targets
#
# (a) 目标“hello”至少需要多少帧？(b) 目标“aaa”呢？(c) 判断对错：`zero_infinity=True` 能让对 $T$ 来说太长的目标变得可以学习。
#
# (a) What is the smallest number of frames $T$ for the target "hello"? (b) And for "aaa"? (c) True or false:
# `zero_infinity=True` makes a target that is too long for $T$ learnable.

# %%
min_T_hello = 6  # SOLUTION
min_T_aaa = 5  # SOLUTION
zero_infinity_makes_it_learnable = False  # SOLUTION


# %%
def smallest_T(word):
    alphabet = "-" + "".join(sorted(set(word)))
    target = [alphabet.index(ch) for ch in word]
    uniform = lambda T: np.log(np.full((T, len(alphabet)), 1 / len(alphabet)))  # noqa: E731
    return next(T for T in range(1, 20) if np.isfinite(ctc.ctc_nll(uniform(T), target)))


check.value(min_T_hello, smallest_T("hello"), name="hello")

# %%
check.value(min_T_aaa, smallest_T("aaa"), name="aaa")

# %%
check.true_false(zero_infinity_makes_it_learnable, False, name="zero_infinity")

# %% [markdown] tags=["solution"]
# 解答：目标的每个标签需要一帧，每对相邻的相同标签之间还需要一个空白帧：$T \ge U + k$。(a)“hello”：$U = 5$，有一处重复（ll），所以 $T \ge 6$（“hel-lo”）。(b)“aaa”：$U = 3$，两处重复，$T \ge 5$（“a-a-a”）。(c) 错：`zero_infinity=True`
# 只是把无穷大的损失和它的 NaN 梯度置为 0，相当于跳过这个样本，网络从中什么也学不到。解决办法是增加帧数（在 CNN 中少做池化）或缩短目标。
#
# Solution: a target needs one frame per label plus one blank frame between each pair of equal neighbours:
# $T \ge U + k$. (a) "hello": $U = 5$, one repeat (ll), so $T \ge 6$ ("hel-lo"). (b) "aaa": $U = 3$, two repeats,
# $T \ge 5$ ("a-a-a"). (c) False: `zero_infinity=True` only sets the infinite loss and its NaN gradient to 0, so the
# sample is skipped; nothing is learnt from it. The fix is more frames (less pooling in the CNN) or shorter targets.

# %% [markdown]
# ## 6. 在对数空间中实现 CTC 损失 / Implement the CTC loss in log space
#
# 实现 `my_ctc_nll(log_probs, target, blank=0)`，返回 $-\ln p(l \mid x)$。`log_probs` 形状为 $(T, C)$，是每帧的对数概率；用前向递推，但全部在对数空间中进行：用 `np.logaddexp` 代替加法，用加法代替乘法，用 $-\infty$ 表示 $\ln 0$。目标放不下时返回
# `np.inf`。检查用例里有一个 $T = 400$ 的输入，在概率空间中会下溢。
#
# Implement `my_ctc_nll(log_probs, target, blank=0)`, returning $-\ln p(l \mid x)$. `log_probs` has shape $(T, C)$,
# the log-probabilities of each frame. Use the forward recursion, entirely in log space: `np.logaddexp` instead of
# +, + instead of ×, and $\ln 0 = -\infty$. Return `np.inf` when the target does not fit. One test input has
# $T = 400$, which underflows in probability space.

# %%
def my_ctc_nll(log_probs, target, blank=0):
    log_probs = np.asarray(log_probs, dtype=float)
    # BEGIN SOLUTION
    ext = [blank]
    for k in target:
        ext += [int(k), blank]
    T, S = log_probs.shape[0], len(ext)
    alpha = np.full(S, -np.inf)
    alpha[0] = log_probs[0, ext[0]]
    if S > 1:
        alpha[1] = log_probs[0, ext[1]]
    skip = np.array([s >= 2 and ext[s] != blank and ext[s] != ext[s - 2] for s in range(S)])
    for t in range(1, T):
        total = alpha.copy()
        total[1:] = np.logaddexp(total[1:], alpha[:-1])
        total[2:] = np.where(skip[2:], np.logaddexp(total[2:], alpha[:-2]), total[2:])
        alpha = total + log_probs[t, ext]
    log_p = np.logaddexp(alpha[-1], alpha[-2]) if S > 1 else alpha[-1]
    return float(-log_p)
    # END SOLUTION


# %%
rng = np.random.default_rng(0)


def random_log_probs(T, C):
    z = rng.standard_normal((T, C))
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


cases = [
    (np.log(y_hat), [1, 2]),
    (np.log(y_hat), [1, 1]),
    (np.log(y_hat), []),
    (np.log(y_hat), [2, 2]),
    (random_log_probs(12, 5), [1, 3, 3, 4]),
    (random_log_probs(400, 6), rng.integers(1, 6, size=40).tolist()),
    (np.log(np.full((2, 2), 0.5)), [1, 1]),
]
check.function(my_ctc_nll, ctc.ctc_nll, cases, name="ctc_nll", rtol=1e-9)

# %% [markdown] tags=["solution"]
# 解答：更新就是正文中的递推，只是把 ⊕ 换成 `np.logaddexp`；`np.logaddexp(-inf, -inf)` 的结果是 `-inf`，而且不会发出警告，所以到达不了的状态一直保持 $\ln 0$。“aa”在 $T = 2$ 上的所有路径都不可能，结果是 $+\infty$。用 $\ln \alpha$
# 计算，$T = 400$ 的用例也能得到有限的结果，尽管它的 $p(l \mid x)$ 远小于 float64 能表示的最小正数。
#
# Solution: the update is the chapter's recursion with ⊕ = `np.logaddexp`; `np.logaddexp(-inf, -inf)` is
# `-inf` without a warning, so unreachable states stay at $\ln 0$. For "aa" on $T = 2$ every path is impossible and
# the result is $+\infty$. Working with $\ln \alpha$ keeps the $T = 400$ case finite, although its $p(l \mid x)$ is
# far below the smallest positive float64.
