# %% [markdown]
# # 08 · Recurrent networks and back-propagation through time
#
# Text, speech, music and video are **sequences**: the order of the elements carries meaning. A recurrent neural
# network (RNN) reads a sequence one element at a time and carries a **state** from step to step. In this chapter
# you will
#
# - sort sequence tasks into five input/output patterns,
# - write the recurrence $s_t = \tanh(U x_t + W s_{t-1} + b)$ with the shapes of every matrix, and draw it unrolled,
# - turn sentences into tokens, indices and one-hot vectors, with start and end markers,
# - compute the loss of a sentence as a sum of per-step cross-entropies, and the best loss any model can reach,
# - derive back-propagation through time (BPTT) step by step, implement it, and check it against finite
#   differences, SymPy and PyTorch,
# - see exactly why gradients vanish or explode, and what clipping and truncation do about it,
# - train an RNN language model, first in numpy, then with `torch.nn.RNN`, until it is close to the best possible
#   loss, and let it write sentences.
#
# Every number below is computed by the code next to it.

# %%
import mlcourse

mlcourse.setup(seed=0, lang="en")

import time

import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
import torch
import torch.nn.functional as F

from mlcourse import data, plot, rnn, softmax
from mlcourse.gradcheck import numerical_grad

LANG = "en"  # language of the example sentences

# %% [markdown]
# ## 1. Sequence data and sequence tasks
#
# Many everyday tasks read or write sequences:
#
# - **speech recognition**: a sequence of audio frames in, a sequence of characters or words out;
# - **sentiment classification**: a review in, one class (positive / negative) or a score out;
# - **machine translation**: a sentence in one language in, a sentence in another language out;
# - **text generation**: predict the next word again and again, as the word suggestions of a phone keyboard do.
#
# Depending on where the inputs and outputs are, there are five patterns:
#
# | pattern | input → output | example |
# |---|---|---|
# | one-to-one | one fixed-size input → one output | image classification (no sequence at all) |
# | one-to-many | one input → a sequence | image captioning: an image in, a sentence out |
# | many-to-one | a sequence → one output | sentiment analysis of a review |
# | many-to-many (encoder–decoder) | a sequence → a sequence of another length, after reading the whole input | machine translation |
# | synchronous many-to-many | one output for every input step | text generation (next word at every step), labelling every frame of a video |
#
# In the drawings below, blue boxes are inputs $x_t$, green boxes the states $s_t$ and orange boxes the outputs
# $\hat y_t$; each column is one time step, and the arrows between green boxes carry the state forward.

# %%
patterns = {
    "one-to-one": ([""], [""]),
    "one-to-many": (["", None, None], ["", "", ""]),
    "many-to-one": (["", "", ""], [None, None, ""]),
    "many-to-many\n(encoder–decoder)": (["", "", "", None, None], [None, None, None, "", ""]),
    "synchronous\nmany-to-many": (["", "", ""], ["", "", ""]),
}
fig, axes = plt.subplots(1, 5, figsize=(12, 2.8), gridspec_kw={"width_ratios": [1.4, 4.8, 4.8, 8.2, 4.8]})
for ax, (name, (inputs, outputs)) in zip(axes, patterns.items(), strict=True):
    plot.rnn_diagram(inputs, outputs, ax=ax, initial_state=False, weights=False, title=name)
plt.show()

# %% [markdown]
# This chapter's example, text generation, is the synchronous pattern: at every step the network reads one word
# and predicts the next one.
#
# **Recurrent is not recursive.** A *recurrent* network applies the same cell along a chain, step after step in
# time. A *recursive* network applies the same cell over a **tree**, for example the parse tree of a sentence,
# combining the vectors of two children into the vector of their parent. Both are sometimes abbreviated "RNN", but
# they are different models. Some texts write "recurrent (recursive) neural network" as if the two were one; they
# are not. This chapter is about recurrent networks only.

# %% [markdown]
# ## 2. The recurrence
#
# At step $t$ the network receives an input vector $x_t$ and the previous state $s_{t-1}$:
#
# $$a_t = U x_t + W s_{t-1} + b, \qquad s_t = \tanh(a_t), \qquad o_t = V s_t + c, \qquad
#   \hat y_t = \operatorname{softmax}(o_t),$$
#
# starting from a given $s_0$ (usually $0$). Here
#
# | symbol | shape | meaning |
# |---|---|---|
# | $x_t$ | $m$ | input at step $t$ (a one-hot word vector below, so $m$ = vocabulary size) |
# | $s_t$ | $n$ | state (hidden vector) after step $t$; $n$ is chosen by us |
# | $U$ | $n \times m$ | input-to-state weights |
# | $W$ | $n \times n$ | state-to-state (recurrent) weights |
# | $b$ | $n$ | bias of the state |
# | $V$ | $k \times n$ | state-to-output weights ($k = m$ when the output is again a word) |
# | $c$ | $k$ | bias of the output |
# | $o_t$, $\hat y_t$ | $k$ | logits and predicted probabilities at step $t$ |
#
# There are exactly **two** biases, one in each equation: $b$ for the state and $c$ for the output (other texts call
# them $b_a$ and $b_y$, or $b_h$ and $b_o$; this course always writes $b$ and $c$). The same $U, W, V, b, c$ are used
# at every step: the parameters are **shared over time**, which is what lets one network read sequences of any
# length.

# %%
m, n = 5, 3  # tiny sizes for the example
params = rnn.init_params(m=m, n=n, k=m, rng=np.random.default_rng(0))
for key, value in params.items():
    print(f"{key}: shape {value.shape}")

# %% [markdown]
# The two products can be written as one: stack the matrices side by side, $[U\;W]$ of shape $n \times (m+n)$, and
# the vectors on top of each other, $[x_t; s_{t-1}]$ of length $m + n$. Then
# $[U\;W]\,[x_t; s_{t-1}] = U x_t + W s_{t-1}$, an $n$-vector. Note that the stacked vector has $m + n$ entries; it
# is not an $n \times n$ or $(n+m) \times (n+m)$ object.

# %%
rng = np.random.default_rng(1)
x_t, s_prev = rng.standard_normal(m), rng.standard_normal(n)
UW = np.hstack([params["U"], params["W"]])
xs = np.concatenate([x_t, s_prev])
print("[U W] shape:", UW.shape, "  [x_t; s_(t-1)] shape:", xs.shape)
print("[U W]·[x_t; s_(t-1)] =", UW @ xs)
print("U x_t + W s_(t-1)    =", params["U"] @ x_t + params["W"] @ s_prev)

# %% [markdown]
# Drawing the network once per time step gives the **unrolled** network: a deep feed-forward network with one
# layer per step, in which every layer has the same weights. Here it reads the sentence that section 3 builds
# (`<s>` and `</s>` mark its start and end):

# %%
example = "I was late for school yesterday"
words = example.split()
fig, ax = plt.subplots(figsize=(10, 3.4))
plot.rnn_diagram(["<s>", *words], [*words, "</s>"], ax=ax, title="The RNN unrolled over one sentence")
plt.show()

# %% [markdown]
# Unfolding the recurrence, $s_3 = \tanh\big(U x_3 + W \tanh(U x_2 + W \tanh(U x_1 + W s_0 + b) + b) + b\big)$:
# the state, and with it the output $o_t$, depends on $x_1, \dots, x_t$ only. It **never** depends on a later input
# $x_{t+1}$; information flows forward in time only. Check it: change $x_5$ and see which outputs move.

# %%
X = rng.standard_normal((6, m))
O, S = rnn.rnn_forward(X, np.zeros(n), params)
X_changed = X.copy()
X_changed[4] += 5.0  # x_5 only (row 4, counting from 0)
O_changed, _ = rnn.rnn_forward(X_changed, np.zeros(n), params)
print("largest change of o_t, t = 1 … 6:", np.round(np.abs(O_changed - O).max(axis=1), 4))

# %% [markdown]
# $o_1, \dots, o_4$ did not move at all. (A *bidirectional* RNN adds a second chain that reads the sequence
# backwards, so that each output can see the whole input; it is a different model.)

# %% [markdown]
# ## 3. Sentences as data: tokens, vocabulary, one-hot vectors
#
# We need sentences to learn from. `data.sentence_grammar` is a small probabilistic grammar that writes short
# English sentences (the Chinese notebook uses a Chinese one). It works offline, and because we know its
# probabilities we will be able to say exactly how good the best possible model is (section 4).

# %%
grammar = data.sentence_grammar(LANG)
train_sentences = grammar.sample(2000, seed=1)
test_sentences = grammar.sample(1000, seed=2)
for sentence in train_sentences[:6]:
    print(" ".join(sentence))
print(f"… {len(train_sentences)} training sentences and {len(test_sentences)} test sentences")

# %% [markdown]
# Each sentence is already split into **tokens** (words). Two special tokens are added around every sentence:
# `<s>` (start) and `</s>` (end). The network reads `<s>` first, and predicting `</s>` is how it says "the sentence
# is over".
#
# A computer cannot multiply words, so we number them. The **vocabulary** lists every token once and gives it an
# index: `<unk>` (any unknown word), `<s>`, `</s>`, then the words. A word that is not in the vocabulary becomes
# `<unk>`.

# %%
vocab = data.Vocabulary(grammar.words)
K = len(vocab)
print(f"vocabulary size K = {K}")
print(vocab.tokens)
ids = vocab.encode(example)
print("tokens: ", vocab.decode(ids))
print("indices:", ids)
print("a sentence with unknown words:", vocab.decode(vocab.encode("I was late for dinner yesterday")))

# %% [markdown]
# The index itself must not be fed to the network: index 8 is not "twice" index 4, and words have no order.
# A **one-hot** vector $x \in \{0, 1\}^K$ has a single 1, at the word's index. All one-hot vectors have the same
# length and are equally far apart, so no word is favoured. Multiplying by a one-hot vector just selects a column:
# $U x_t$ is the column of $U$ that belongs to the word.

# %%
X_example = vocab.one_hot(ids[:-1])  # inputs: <s> and the words (</s> is never an input)
y_example = ids[1:]  # targets: the words and </s>
print("X shape (T, K):", X_example.shape)
print(X_example.astype(int))
for t, (a, b) in enumerate(zip(ids[:-1], y_example, strict=True), start=1):
    print(f"t = {t}: input x_t = {vocab.tokens[a]:<10} target y_t = {vocab.tokens[b]}")

# %% [markdown]
# The input at step $t$ is token $t-1$ and the target is token $t$: the network always predicts the **next**
# token. A sentence of $L$ words gives $T = L + 1$ steps.

# %% [markdown]
# ## 4. Outputs and the loss of a sentence
#
# At every step the output $\hat y_t = \operatorname{softmax}(o_t)$ is a **probability distribution over the whole
# vocabulary**: $K$ non-negative numbers that sum to 1. It is not a word. To get a word one has to choose one,
# e.g. the most probable one or a random draw (section 8).
#
# The loss at step $t$ is the cross-entropy between the one-hot target $y_t$ and $\hat y_t$, a sum over the
# vocabulary in which only the target's term survives (on the right, $y_t$ stands for the index of the target
# token):
#
# $$E_t = -\sum_{j=1}^{K} y_{t,j} \ln \hat y_{t,j} = -\ln \hat y_{t,\,y_t}.$$
#
# A whole sentence is one training example, and its loss is the sum over its steps, $E = \sum_{t=1}^{T} E_t$. Here
# is an untrained network with $n = 16$ reading the example sentence:

# %%
n = 16
params = rnn.init_params(m=K, n=n, k=K, rng=np.random.default_rng(0))
s0 = np.zeros(n)
O, S = rnn.rnn_forward(X_example, s0, params)
Y_hat = softmax.softmax(O, axis=1)
print("each ŷ_t sums to 1:", np.allclose(Y_hat.sum(axis=1), 1.0))
for t, target in enumerate(y_example, start=1):
    p = Y_hat[t - 1, target]
    print(f"t = {t}: ŷ_t[{vocab.tokens[target]}] = {p:.4f}   E_t = {-np.log(p):.4f}")

# %%
E_sum = -np.log(Y_hat[np.arange(len(y_example)), y_example]).sum()
E_onehot = -(vocab.one_hot(y_example) * np.log(Y_hat)).sum()
E_rnn, _ = rnn.rnn_loss_and_grads(X_example, y_example, s0, params)
E_torch = F.cross_entropy(torch.tensor(O), torch.tensor(y_example), reduction="sum").item()
print(f"E = Σ_t E_t          = {E_sum:.4f}")
print(f"with one-hot targets = {E_onehot:.4f}")
print(f"rnn_loss_and_grads   = {E_rnn:.4f}")
print(f"torch cross_entropy  = {E_torch:.4f}   (reduction='sum')")
print(f"T · ln K             = {len(y_example) * np.log(K):.4f}   (the loss of a uniform guess)")

# %% [markdown]
# An untrained network guesses almost uniformly, so each $E_t$ is close to $\ln K$. To compare sentences of
# different lengths, and models on a whole test set, we report the **loss per token**: the sum of $E_t$ over all
# sentences divided by the number of predicted tokens.
#
# ### The best possible loss
#
# Even a perfect model cannot reach loss 0, because the next word is genuinely uncertain. The grammar knows the
# true conditional probabilities $p(w_t \mid w_1, \dots, w_{t-1})$:

# %%
prefix = "I was late for school"
print(f"p(next token | {prefix}) =", grammar.next_token_probs(prefix))
print("p(next token | they will be early for work) =", grammar.next_token_probs("they will be early for work"))

# %% [markdown]
# The best a model can do is to predict exactly these probabilities. Its expected loss per token is then the
# **entropy per token** of the corpus,
#
# $$H = \frac{\mathbb E\big[-\ln p(\text{sentence})\big]}{\mathbb E[T]} .$$
#
# The grammar is a finite automaton whose state is fixed by the words read so far, so $H$ can be computed exactly:
# if state $q$ is visited $v_q$ times per sentence on average (from a linear system) and its next-token
# distribution has entropy $H_q$, then $H = \sum_q v_q H_q / \sum_q v_q$. Two weaker models give useful reference
# levels: one that ignores the history (it only knows word frequencies) and one that sees only the previous word.

# %%
H = grammar.entropy_per_token()
H_bigram = grammar.bigram_entropy_per_token()
H_unigram = grammar.unigram_entropy_per_token()
print(f"exact floor H (whole history)   = {H:.4f} nats per token")
print(f"best with the previous word only = {H_bigram:.4f}")
print(f"best without any history         = {H_unigram:.4f}")
print(f"uniform guess ln K               = {np.log(K):.4f}")
print(f"Monte Carlo, 20000 sentences     = {grammar.nll_per_token(grammar.sample(20_000, seed=3)):.4f}")
print(f"the grammar on our test set      = {grammar.nll_per_token(test_sentences):.4f}")

# %% [markdown]
# The Monte Carlo estimate agrees with the exact value. A model that remembers only the previous word stays well
# above $H$: after "late for school" it cannot know whether "yesterday" or "tomorrow" comes next; the
# verb several words back decides it. An RNN can carry that information in its state.

# %% [markdown]
# ## 5. Back-propagation through time (BPTT)
#
# To train the network we need $\partial E / \partial U$, $\partial E / \partial W$, $\partial E / \partial b$,
# $\partial E / \partial V$, $\partial E / \partial c$ (and, if it is learned, $\partial E / \partial s_0$).
# Back-propagation on the unrolled network is called **back-propagation through time**. We write $\delta$ for
# gradients of $E$: $\delta o_t = \partial E / \partial o_t$, $\delta a_t = \partial E / \partial a_t$, and
# $e_{y}$ for the one-hot vector of $y$. Go backwards, $t = T, T-1, \dots, 1$:
#
# 1. **Output.** $E_t$ is softmax followed by cross-entropy, so (chapter 03)
#    $\delta o_t = \hat y_t - e_{y_t}$. Since $o_t = V s_t + c$: $\;\partial E / \partial V \mathrel{+}= \delta o_t\, s_t^\top$,
#    $\;\partial E / \partial c \mathrel{+}= \delta o_t$.
# 2. **State.** $s_t$ influences $E$ in two ways: directly through $o_t$, and through the **next** step's
#    $a_{t+1} = U x_{t+1} + W s_t + b$. Adding both paths,
#    $$\frac{\partial E}{\partial s_t} = V^\top \delta o_t + W^\top \delta a_{t+1}, \qquad \delta a_{T+1} = 0 .$$
#    The second term comes from time step $t+1$ (the future), which is why the loop runs backwards.
# 3. **Through tanh.** $\tanh'(a) = 1 - \tanh^2(a)$, so $\delta a_t = \dfrac{\partial E}{\partial s_t} \odot (1 - s_t^2)$
#    ($\odot$: element by element).
# 4. **Parameters of the state.** From $a_t = U x_t + W s_{t-1} + b$:
#    $\;\partial E / \partial U \mathrel{+}= \delta a_t\, x_t^\top$, $\;\partial E / \partial W \mathrel{+}= \delta a_t\, s_{t-1}^\top$,
#    $\;\partial E / \partial b \mathrel{+}= \delta a_t$. At the end, $\partial E / \partial s_0 = W^\top \delta a_1$.
#
# The "$\mathrel{+}=$" is the heart of BPTT: the parameters are shared by all steps, so their gradient is the
# **sum over time** of the contributions of every step. Written out in numpy:

# %%
def bptt(X, y, s0, params):
    """Loss E = Σ_t −ln ŷ_t[y_t] of the tanh RNN and its gradients, by BPTT written out step by step."""
    U, W, b, V, c = (params[key] for key in ("U", "W", "b", "V", "c"))
    T = X.shape[0]
    S = np.zeros((T + 1, s0.shape[0]))
    S[0] = s0
    Y_hat = np.zeros((T, V.shape[0]))
    E = 0.0
    for t in range(1, T + 1):  # forward pass, t = 1 … T (row t−1 of X and Y_hat)
        S[t] = np.tanh(U @ X[t - 1] + W @ S[t - 1] + b)
        Y_hat[t - 1] = softmax.softmax(V @ S[t] + c)
        E -= np.log(Y_hat[t - 1, y[t - 1]])
    grads = {key: np.zeros_like(value) for key, value in params.items()}
    da_next = np.zeros_like(s0)  # δa_(T+1) = 0
    for t in range(T, 0, -1):  # backward pass, t = T … 1
        do = Y_hat[t - 1].copy()
        do[y[t - 1]] -= 1.0  # 1. δo_t = ŷ_t − e_(y_t)
        grads["V"] += np.outer(do, S[t])
        grads["c"] += do
        ds = V.T @ do + W.T @ da_next  # 2. from o_t, and from a_(t+1) at the next step
        da = ds * (1.0 - S[t] ** 2)  # 3. through tanh
        grads["U"] += np.outer(da, X[t - 1])  # 4. summed over time
        grads["W"] += np.outer(da, S[t - 1])
        grads["b"] += da
        da_next = da
    grads["s0"] = W.T @ da_next
    return E, grads


# %% [markdown]
# Check it three ways, in float64, on the example sentence with random parameters (non-zero biases and $s_0$, so
# that every term matters): against `mlcourse.rnn`, against central finite differences, and against PyTorch's
# autograd applied to the same forward pass.

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
    """E as a function of one parameter (or s0), the others fixed: for finite differences."""
    p = {**params, key: value} if key != "s0" else params
    return rnn.rnn_loss_and_grads(X_example, y_example, value if key == "s0" else s0, p)[0]


print(f"E: ours {E_ours:.6f}, mlcourse {E_lib:.6f}, torch {E_autograd.item():.6f}")
print(f"{'':4}{'shape':>9}  {'= mlcourse':>10}  {'≈ finite diff.':>14}  {'= torch (1e-8)':>14}")
for key in ("U", "W", "b", "V", "c", "s0"):
    value = s0 if key == "s0" else params[key]
    fd = numerical_grad(lambda v, key=key: loss_with(key, v), value)
    torch_grad = leaves[key].grad.numpy()
    print(f"{key:4}{value.shape!s:>9}  {np.allclose(grads_ours[key], grads_lib[key], rtol=0, atol=1e-12)!s:>10}"
          f"  {np.allclose(grads_ours[key], fd, rtol=0, atol=1e-6)!s:>14}"
          f"  {np.abs(grads_ours[key] - torch_grad).max() < 1e-8!s:>14}")

# %% [markdown]
# Every gradient, including $\partial E / \partial s_0$, agrees with torch autograd to better than $10^{-8}$.
# Central differences agree too, to about $10^{-8}$ in absolute terms (their own rounding error, since the loss is
# about 28 and $h = 10^{-6}$); a relative test would fail on the entries that are exactly 0, such as the columns of
# $U$ for words that are not in the sentence.
#
# SymPy can confirm the structure of step 2 symbolically. Take a scalar RNN with two steps,
# $s_1 = \tanh(u x_1 + w s_0 + b)$, $s_2 = \tanh(u x_2 + w s_1 + b)$, and a loss whose gradient at $s_2$ is $g$.
# BPTT says $\delta a_2 = g(1 - s_2^2)$, $\delta a_1 = w\,\delta a_2\,(1 - s_1^2)$ and
# $\partial E / \partial w = \delta a_2 s_1 + \delta a_1 s_0$: a sum of one term per step.

# %%
u, w, b_, x1, x2, s0_, g = sp.symbols("u w b x_1 x_2 s_0 g")
s1 = sp.tanh(u * x1 + w * s0_ + b_)
s2 = sp.tanh(u * x2 + w * s1 + b_)
da2 = g * (1 - s2**2)
da1 = w * da2 * (1 - s1**2)
print("chain rule = BPTT:", sp.expand(g * sp.diff(s2, w) - (da2 * s1 + da1 * s0_)) == 0)
sp.diff(s2, w)

# %% [markdown]
# ## 6. Vanishing and exploding gradients
#
# Unrolling step 2 of BPTT, the gradient reaching an early state $s_k$ from a loss at a late step $t$ passes
# through the Jacobian
#
# $$\frac{\partial s_t}{\partial s_k} = \prod_{j=k+1}^{t} \operatorname{diag}(1 - s_j^2)\, W .$$
#
# (The factor for $j = t$ stands on the left, the one for $j = k+1$ on the right.) Its size is governed by the
# **singular values** of this product. Because $0 < 1 - s_j^2 \le 1$,
# $\big\lVert \partial s_t / \partial s_k \big\rVert \le \sigma_{\max}(W)^{\,t-k}$, where $\sigma_{\max}$ is the
# largest singular value. A product of $t - k$ factors behaves like a power: it can shrink towards 0 (**vanishing**
# gradient: distant steps stop influencing learning) or grow without bound (**exploding** gradient: one update
# throws the parameters far away).
#
# ### A clean demonstration: $W = \rho Q$
#
# Take $W = \rho Q$ with $Q$ a random orthogonal matrix ($Q^\top Q = I$, so every singular value of $W$ is $\rho$),
# and keep tanh in its linear regime: inputs $x_t = 0$ and $s_0 = 0$ make every state $0$, and $\tanh'(0) = 1$.
# With a loss at the last step $T$ only, each step back multiplies the gradient by $W^\top$, so exactly
# $\lVert \partial E / \partial s_{T-j} \rVert = \rho^{\,j}\, \lVert \partial E / \partial s_T \rVert$.

# %%
n, T = 32, 60
Q = data.random_orthogonal(n, seed=0)
print("QᵀQ = I:", np.allclose(Q.T @ Q, np.eye(n)))
ratios = {}
for rho in (0.9, 1.0, 1.1):
    params = {"U": np.zeros((n, 1)), "W": rho * Q, "b": np.zeros(n), "V": np.zeros((1, n)), "c": np.zeros(1)}
    _, S = rnn.rnn_forward(np.zeros((T, 1)), np.zeros(n), params)
    ratio = rnn.state_jacobian_norms(S, params["W"])
    ratios[f"ρ = {rho}"] = ratio
    print(f"ρ = {rho}: ratio at j = 50 is {ratio[50]:.6g}   (ρ^50 = {rho**50:.6g});"
          f" equal to ρ^j for every j: {np.allclose(ratio, rho ** np.arange(T), rtol=1e-12)}")
plot.lines(np.arange(T), ratios, logy=True, xlabel="j (steps back from T)", ylabel="‖∂E/∂s_(T−j)‖ / ‖∂E/∂s_T‖",
           title="Gradient norm through time, W = ρQ, linear regime")
plt.show()

# %% [markdown]
# On a log scale the three lines are straight: after 50 steps the gradient has shrunk to half a percent of its size
# for $\rho = 0.9$ and grown more than a hundredfold for $\rho = 1.1$. Only $\rho = 1$ keeps it constant, and only
# in this idealised linear regime.
#
# ### The saturation caveat
#
# Real inputs push the states away from 0. When $|s_j|$ approaches 1, $\tanh'(a_j) = 1 - s_j^2$ approaches 0, and
# the diagonal factors shrink the gradient whatever $W$ is. With unit-scale inputs and $\rho = 1.5$, which explodes
# in the linear regime:

# %%
rng = np.random.default_rng(5)
params = {"U": rng.standard_normal((n, n)), "W": 1.5 * Q, "b": np.zeros(n), "V": np.zeros((1, n)), "c": np.zeros(1)}
_, S = rnn.rnn_forward(rng.standard_normal((T, n)), np.zeros(n), params)
saturated = rnn.state_jacobian_norms(S, params["W"])
print(f"mean |s_t| = {np.abs(S[1:]).mean():.4f}, mean tanh'(a_t) = 1 − s_t² : {(1 - S[1:] ** 2).mean():.4f}")
print("ratio at j = 1, 5, 10, 20:", [f"{saturated[j]:.3g}" for j in (1, 5, 10, 20)])
plot.lines(np.arange(T), {"ρ = 1.5, x_t = 0 (linear)": 1.5 ** np.arange(T), "ρ = 1.5, unit inputs (saturated)": saturated},
           logy=True, xlabel="j (steps back from T)", ylabel="gradient norm ratio", title="Saturation makes gradients vanish")
plt.show()

# %% [markdown]
# So a spectral radius above 1 is **necessary** for explosion (in the linear regime nothing can grow faster
# than $\rho(W)^j$ in the long run), but it is **not sufficient**. On the other side, $\sigma_{\max}(W) < 1$
# **guarantees** vanishing, because every factor shrinks the gradient. What matters are the singular values of
# the whole product, not the size of individual entries of $W$:

# %%
W_small_entries = 0.05 * np.ones((64, 64))
print(f"all entries 0.05, n = 64:  σ_max = {np.linalg.svd(W_small_entries, compute_uv=False)[0]:.4f}")
W_nonnormal = np.array([[0.5, 2.0], [0.0, 0.5]])
print(f"W = [[0.5, 2], [0, 0.5]]:  ρ(W) = {np.abs(np.linalg.eigvals(W_nonnormal)).max():.4f},"
      f"  σ_max = {np.linalg.svd(W_nonnormal, compute_uv=False)[0]:.4f}")
print("   its gradient ratios, j = 0 … 8:",
      np.round(rnn.state_jacobian_norms(np.zeros((9, 2)), W_nonnormal, np.array([1.0, 0.0])), 4))

# %% [markdown]
# A matrix of tiny entries can still have $\sigma_{\max} = 3.2$ and explode; and a matrix with spectral radius
# $0.5$ can first double the gradient before it eventually vanishes.

# %% [markdown]
# ## 7. Remedies: clipping and truncated BPTT
#
# **Gradient clipping** handles explosion: if the norm of all gradients together, $\lVert g \rVert$, exceeds a
# threshold $\tau$, rescale them, $g \leftarrow g \cdot \tau / \lVert g \rVert$. The direction is kept, only the
# step length is limited. Here is an exploding case, $W = 1.1\,Q$ over 60 steps with small inputs:

# %%
rng = np.random.default_rng(6)
params = {"U": 0.01 * rng.standard_normal((n, 4)), "W": 1.1 * Q, "b": np.zeros(n),
          "V": rng.standard_normal((3, n)), "c": np.zeros(3)}
X_long, y_long = rng.standard_normal((T, 4)), rng.integers(0, 3, size=T)
_, grads = rnn.rnn_loss_and_grads(X_long, y_long, np.zeros(n), params)
clipped, norm_before = rnn.clip_grad_norm(grads, max_norm=5.0)
norm_after = np.sqrt(sum(np.sum(g_**2) for g_ in clipped.values()))
print(f"gradient norm before clipping: {norm_before:.2f}, after: {norm_after:.4f}")

tensors = [torch.tensor(value, requires_grad=True) for value in grads.values()]
for tensor, value in zip(tensors, grads.values(), strict=True):
    tensor.grad = torch.tensor(value)
torch_norm = torch.nn.utils.clip_grad_norm_(tensors, max_norm=5.0).item()
print("same as torch clip_grad_norm_:", np.isclose(torch_norm, norm_before),
      all(np.allclose(t.grad.numpy(), c) for t, c in zip(tensors, clipped.values(), strict=True)))
print("direction unchanged:", np.allclose(clipped["W"] / np.linalg.norm(clipped["W"]), grads["W"] / np.linalg.norm(grads["W"])))

# %% [markdown]
# **Truncated BPTT** limits how far back each gradient flows: with window $k$, the loss at step $t$ sends gradient
# only to the last $k$ steps $t, t-1, \dots, t-k+1$. This bounds the cost and the product length. (In torch,
# compute the loss at step $t$ from `s.detach()` taken $k$ steps earlier. The common shortcut, detaching the state
# every $k$ steps, gives each loss a window of between 1 and $k$ steps.) The price is bias: dependencies longer than
# $k$ steps cannot be learned. On the example above, the gradient of $W$ gets closer to the full one as $k$ grows:

# %%
for k in (1, 4, 16, 32, 48, 60):
    _, grads_k = rnn.rnn_loss_and_grads(X_long, y_long, np.zeros(n), params, truncate=k)
    gap = np.linalg.norm(grads_k["W"] - grads["W"]) / np.linalg.norm(grads["W"])
    print(f"k = {k:2}: ‖∂E/∂W‖ = {np.linalg.norm(grads_k['W']):8.2f}, relative distance to full BPTT = {gap:.4f}")

# %% [markdown]
# Clipping does nothing against **vanishing** gradients. The real remedy is a different cell: the LSTM and the GRU
# add a gated, mostly additive path for the state. Along it the gradient is multiplied at every step by gate values,
# which can stay close to 1, instead of by $W$ and $\tanh'$. They are the standard choice for long sequences, for
# example in the speech recognisers trained with CTC (chapter 09).

# %% [markdown]
# ## 8. Training a language model
#
# ### 8.1 A numpy RNN, a few epochs
#
# With `rnn_loss_and_grads` we can already train: plain gradient descent on the loss per token, over minibatches
# of 20 sentences, with clipping. Only 400 sentences and a few epochs, to see the loss fall.

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
    print(f"epoch {epoch + 1}: training loss per token {epoch_losses[-1]:.4f}")

# %% [markdown]
# The loss falls from about $\ln K$ towards the floor $H$, but slowly: this loop handles one sentence at a time in
# Python. For the real run we switch to PyTorch, after checking that its `nn.RNN` computes the same thing.
#
# ### 8.2 `torch.nn.RNN` is the same recurrence
#
# `nn.RNN` computes $s_t = \tanh(W_{ih} x_t + b_{ih} + W_{hh} s_{t-1} + b_{hh})$: $W_{ih} = U$, $W_{hh} = W$, and
# its two biases add up to our $b$. Copy the numpy-trained weights into it (in float64) and compare the states:

# %%
net = torch.nn.RNN(K, n, nonlinearity="tanh", batch_first=True, dtype=torch.float64)
with torch.no_grad():
    net.weight_ih_l0.copy_(torch.tensor(params["U"]))
    net.weight_hh_l0.copy_(torch.tensor(params["W"]))
    net.bias_ih_l0.copy_(torch.tensor(params["b"]))
    net.bias_hh_l0.zero_()
    states, s_last = net(torch.tensor(X_example)[None], torch.tensor(s0)[None, None])
O_np, S_np = rnn.rnn_forward(X_example, s0, params)
print("states s_1 … s_T equal:", np.allclose(states[0].numpy(), S_np[1:], rtol=0, atol=1e-12))
print("outputs o_t = V s_t + c equal:", np.allclose(states[0].numpy() @ params["V"].T + params["c"], O_np, rtol=0, atol=1e-12))

# %% [markdown]
# ### 8.3 Training with PyTorch
#
# The model: one-hot inputs, an `nn.RNN` with $n = 64$, and a linear output layer ($V$, $c$). Sentences of
# different lengths are padded to the same length; padded targets are marked `-100`, which `cross_entropy` ignores,
# so the loss is exactly the mean over real tokens. Padding at the end is harmless because outputs never depend on
# later inputs (section 2). We use Adam (chapter 07) with clipping.

# %%
class RNNLanguageModel(torch.nn.Module):
    """x_t one-hot -> s_t = tanh(U x_t + W s_(t−1) + b) -> o_t = V s_t + c (logits over the vocabulary)."""

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
print("padded training batch:", tuple(inputs_train.shape), "  first row of inputs / targets:")
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
    print(f"step {history['step'][i]:3}: training batch {history['train'][i]:.4f}, test {history['test'][i]:.4f}")

# %%
# NBVAL_IGNORE_OUTPUT
print(f"training time: {train_seconds:.1f} s")

# %%
print("trained in less than 30 s:", train_seconds < 30)

# %%
ax = plot.lines(history["step"], {"training batch": history["train"], "test set": history["test"]},
                reference=H, reference_label="exact floor H", xlabel="step", ylabel="loss per token (nats)",
                title="RNN language model")
ax.axhline(H_bigram, color="tab:red", linestyle=":", label="previous word only")
ax.axhline(H_unigram, color="tab:purple", linestyle=":", label="no history")
ax.legend()
plt.show()
test_loss = history["test"][-1]
print(f"test loss per token: {test_loss:.4f}")
print(f"exact entropy floor: {H:.4f}   (the grammar itself on this test set: {grammar.nll_per_token(test_sentences):.4f})")
print(f"gap: {100 * (test_loss / H - 1):.1f} %   within 10 %: {test_loss < 1.1 * H}")

# %% [markdown]
# The test loss drops below the "no history" and the "previous word only" levels and ends within a few percent of
# the exact floor: the network has learned nearly everything that can be learned about this corpus.
#
# ### 8.4 Does the state remember?
#
# The floor can only be reached by using words further back than the previous one. Compare the model's next-token
# distribution with the true one after two prefixes that end with the same words but began differently:

# %%
def next_token_probs(model, history):
    """The model's distribution of the next token after <s> and the words of `history`."""
    with torch.no_grad():
        logits, _ = model(torch.tensor(vocab.encode(history)[:-1])[None])
    return torch.softmax(logits[0, -1], dim=0).numpy()


prefixes = ("I was late for school", "I will be late for school")
fig, axes = plt.subplots(1, 2, figsize=(11, 3.4))
for ax, prefix in zip(axes, prefixes, strict=True):
    true = grammar.next_token_probs(prefix)
    predicted = next_token_probs(model, prefix)
    shown = [t for t in vocab.tokens if true.get(t, 0) > 0 or predicted[vocab.index(t)] > 0.02]
    plot.grouped_bars(shown, {"RNN": [predicted[vocab.index(t)] for t in shown], "true": [true.get(t, 0.0) for t in shown]},
                      ax=ax, ylabel="probability", title=f"after “{prefix}”")
    ax.set_ylim(0, 1.3)
    ax.legend(loc="upper left", ncols=2)
    print(prefix, "→", {t: round(float(predicted[vocab.index(t)]), 3) for t in shown})
plt.show()

# %% [markdown]
# After the same last words the predictions differ, and match the truth: the information from several steps back
# ("was" versus "will") is carried in the state $s_t$.
#
# ### 8.5 Generating sentences
#
# To write a sentence, start from `<s>`, draw the next token from $\hat y_t$, feed it back as the next input, and
# stop at `</s>`. With a seeded generator the draws are reproducible. The grammar tells us whether each sentence
# is one it could have produced.

# %%
def generate(model, generator, max_tokens=20):
    """Sample a sentence token by token from the model, feeding each token back in."""
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
print(f"grammatical: {sum(grammar.log_prob(s) > -np.inf for s in generated)} of {len(generated)}")

# %% [markdown]
# ## 9. Common pitfalls
#
# - **"Recurrent" and "recursive" are not the same.** A recurrent network runs along time; a recursive network
#   runs over a tree. Writing "recurrent (recursive) neural network" mixes the two up (section 1).
# - **"$o_t$ depends on $x_{t-1}$, $x_t$ and $x_{t+1}$."** No: $o_t$ depends on $x_1, \dots, x_t$ only. Nothing flows
#   backwards in time in the forward pass (section 2). Bidirectional RNNs are a different model.
# - **Two biases, named consistently.** One bias in the state equation ($b$) and one in the output equation ($c$);
#   a text that names them $b_a$ in the formula and $b_x, b_y$ later describes the same two (section 2).
# - **The stacked form.** $[U\;W]$ is $n \times (m+n)$ and multiplies the stacked vector $[x_t; s_{t-1}]$ of
#   length $m+n$; the shapes of $U$ ($n\times m$), $W$ ($n\times n$) and $V$ ($k\times n$) follow (section 2).
# - **$\hat y_t$ is a distribution, not a word.** The cross-entropy at a step is a sum over the vocabulary,
#   $-\sum_j y_{t,j}\ln\hat y_{t,j}$, which with a one-hot target reduces to $-\ln \hat y_{t,y_t}$ (section 4).
# - **The second term of $\partial E/\partial s_t$ comes from the next time step.** It is $W^\top \delta a_{t+1}$,
#   the gradient arriving from step $t+1$, not "the loss of the previous layer" (section 5).
# - **Vanishing and exploding are about singular values, not entries.** Small entries can explode and
#   $\rho(W) > 1$ need not explode (saturation); $\sigma_{\max}(W) < 1$ guarantees vanishing (section 6).
#
# ## Summary
#
# - An RNN applies the same cell at every step: $s_t = \tanh(U x_t + W s_{t-1} + b)$, $o_t = V s_t + c$, with
#   $U$: $n\times m$, $W$: $n\times n$, $V$: $k\times n$. Outputs depend on past and present inputs only.
# - For text, tokens get indices in a vocabulary (with `<s>`, `</s>`, `<unk>`) and enter as one-hot vectors; the
#   output is a softmax distribution over the vocabulary, and the loss of a sentence is the sum of the per-step
#   cross-entropies.
# - BPTT runs backwards through time with $\partial E/\partial s_t = V^\top\delta o_t + W^\top\delta a_{t+1}$ and
#   sums the contributions of all steps to the shared parameters; it matches torch autograd to $10^{-8}$.
# - Gradients over $j$ steps scale like a product of $j$ Jacobians: exactly $\rho^j$ for $W = \rho Q$ in the
#   linear regime; clipping tames explosion, truncation bounds the cost, gated cells (LSTM, GRU) address vanishing.
# - A small `nn.RNN` reaches within a few percent of the corpus's exact entropy floor and writes grammatical
#   sentences.
#
# **Exercises:** open `exercises/08_rnn_bptt.ipynb`.
