# %% [markdown]
# # 09 · CTC: connectionist temporal classification
#
# A speech recogniser hears a few hundred audio frames and must write a few words; a text-line reader sees a
# strip of pixel columns and must write a few characters. We know *what* was said or written, but not *where*:
# nobody marked which frames belong to which letter. **Connectionist temporal classification** (CTC, Graves et
# al. 2006) trains a network on such data without any alignment. In this chapter you will
#
# - see the alignment problem, and the CRNN pipeline that turns an image into a sequence of frames;
# - add the **blank** symbol to the alphabet, and meet paths $\pi$ and the many-to-one map $\mathcal B$;
# - compute $p(l \mid x)$ by brute force on a tiny example, and count how fast the number of paths explodes;
# - derive the forward ($\alpha$) and backward ($\beta$) recursions, run them in log space, and check them against
#   brute force, SymPy and PyTorch;
# - derive the gradient with respect to the logits: softmax output minus posterior occupancy;
# - use `torch.nn.functional.ctc_loss` correctly (shapes, blank index, reductions, impossible targets, a `.grad`
#   trap);
# - decode with best path and with prefix beam search, and see that best path is not always the best labelling;
# - train a small CRNN with CTC on synthetic digit strings on the CPU and watch where it places each digit.
#
# Every number below is computed by the code next to it.

# %%
import mlcourse

mlcourse.setup(seed=0, lang="en")

import itertools
import math
import time
from fractions import Fraction

import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
import torch
import torch.nn as nn
import torch.nn.functional as F

from mlcourse import ctc, data, plot
from mlcourse.gradcheck import numerical_grad, rel_error
from mlcourse.softmax import log_softmax

# %% [markdown]
# ## 1. The alignment problem
#
# **Speech.** A recogniser cuts the audio into short frames (typically 10 ms each) and computes one feature vector
# per frame. One second of speech is about 100 frames but only a dozen letters. People speak at different speeds,
# and one person stretches a vowel and rushes a consonant, so the same word covers a different number of frames
# each time, with different boundaries. Marking those boundaries by hand for hours of audio is slow and costly.
#
# **Text lines.** A text-line recogniser reads an image column by column. Characters have different widths, the
# gaps between them vary, and handwriting slants and touches, so again the same text covers different columns.
#
# In both cases an input $x$ is a sequence of $T$ frames, the target $l$ is a sequence of $U$ labels, and
#
# - $x$ and $l$ both have variable length;
# - the ratio of their lengths varies too;
# - there is no given correspondence between frames and labels.
#
# The figure shows both: made-up durations (in 10 ms frames) of the sounds of "state" said quickly and slowly,
# and one text line, the digits 3 1 4 1, written tightly and loosely. The blue lines cut the images into the
# frames a network will read (4 pixel columns each).

# %%
digits = data.load_digits(scale=None, seed=0)
first_image = {d: digits.images_train[np.flatnonzero(digits.y_train == d)[0]] for d in range(10)}
pi_digits = [first_image[d] / 16 for d in (3, 1, 4, 1)]
tight, _ = data.compose_digit_string(pi_digits, gaps=[0, 0, 1], offsets=[1, 0, 1, 2], left=1)
loose, _ = data.compose_digit_string(pi_digits, gaps=[5, 8, 3], offsets=[0, 2, 1, 0], left=6)
canvas = np.zeros((2, 10, 68))
canvas[0, :, : tight.shape[1]] = tight
canvas[1, :, : loose.shape[1]] = loose

fig, axes = plt.subplots(3, 1, figsize=(9, 5.6), gridspec_kw={"height_ratios": [1.5, 1, 1]}, layout="constrained")
speech = {
    "fast speaker": [("s", 0, 4), ("t", 4, 2), ("a", 6, 5), ("t", 11, 2), ("e", 13, 4)],
    "slow speaker": [("s", 0, 7), ("t", 7, 3), ("a", 10, 11), ("t", 21, 3), ("e", 24, 9)],
}
plot.timeline(speech, ax=axes[0], xlabel="audio frame (10 ms each)", title="the word “state”, said twice")
plot.frame_grid(canvas[0], 4, ax=axes[1], title="3141 written tightly")
plot.frame_grid(canvas[1], 4, ax=axes[2], title="3141 written loosely", xlabel="frame t (4 pixel columns each)")
plt.show()
print("frames covered: tight", math.ceil(tight.shape[1] / 4), " loose", math.ceil(loose.shape[1] / 4))

# %% [markdown]
# The ink of the tight "3" lies in frames 0–1, that of the loose one in frames 1–3, and the loose string needs more
# frames for the same four digits. A per-frame classifier would need a label for every frame, and we do not have one.
# CTC needs only the label sequence $l$.

# %% [markdown]
# ## 2. The CRNN pipeline: from an image to a sequence of frame distributions
#
# The classic text-line recogniser is the CRNN (convolutional recurrent neural network):
#
# 1. A small **CNN** turns the image (height $H$, width $W$) into a feature map with $c$ channels, height $h$ and
#    width $T$; here $H = 10$, two $2 \times 2$ poolings give $h = 2$ and $T = W/4$.
# 2. Each **column** of the feature map is one time step: $x_t \in \mathbb R^{m}$ with $m = c \cdot h$, for
#    $t = 0, \dots, T-1$. Column $t$ summarises pixel columns $4t$ to $4t+3$ (and their neighbours).
# 3. A **bidirectional recurrent layer** (a GRU here) reads $x_0, \dots, x_{T-1}$ forwards and backwards, so each
#    step sees the whole line.
# 4. A **linear layer and a softmax** at every step give $\hat y_t$, a probability distribution over the
#    alphabet plus one extra symbol, the blank (section 3). The softmax outputs of all steps form a $T \times C$
#    matrix, where $C$ is the size of the alphabet plus one.
#
# The data of this chapter are synthetic text lines of 1 to 6 handwritten digits (the 8×8 digits bundled with
# scikit-learn) with random gaps and a random vertical offset. Training strings use only the digit images of the
# training split, held-out strings only those of the test split.

# %%
train, test = data.load_digit_strings(4000, 1000, seed=0)
print("training strings:", train.images.shape, "  held-out strings:", test.images.shape, " (N, H, W)")
print("real widths from", train.widths.min(), "to", train.widths.max(), "columns; padded with 0 to", train.images.shape[2])
print("strings with U = 1 … 6 digits:", np.bincount(train.label_lengths)[1:])
plot.decoded_examples(train.images[:6], ["".join(map(str, lab)) for lab in train.labels[:6]], widths=train.widths[:6],
                      truth_label="label", title="six training strings")
plt.show()


# %% [markdown]
# The model, in a few lines of PyTorch. `BatchNorm2d` normalises each channel over the batch and the image
# positions, which lets this small CNN train quickly; dropout randomly zeroes 20 % of the features during training.

# %%
class CRNN(nn.Module):
    """Images (N, H, W) -> CNN (N, 64, H/4, W/4) -> frames (T, N, 64·H/4) -> BiGRU -> linear -> ln ŷ (T, N, C)."""

    def __init__(self, n_classes, height, hidden=64):
        super().__init__()

        def block(c_in, c_out):
            return [nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU()]

        self.cnn = nn.Sequential(*block(1, 16), nn.MaxPool2d(2), *block(16, 32), nn.MaxPool2d(2), *block(32, 64),
                                 nn.Dropout(0.2))
        self.rnn = nn.GRU(64 * (height // 4), hidden, bidirectional=True)
        self.out = nn.Linear(2 * hidden, n_classes)

    def frames(self, images):
        f = self.cnn(images[:, None])  # add the channel axis: (N, 1, H, W) -> (N, c, h, T)
        N, c, h, T = f.shape
        return f.permute(3, 0, 1, 2).reshape(T, N, c * h)  # one frame x_t per column

    def forward(self, images):
        s, _ = self.rnn(self.frames(images))  # (T, N, 2·hidden): forward and backward states side by side
        return self.out(s).log_softmax(dim=-1)  # ln ŷ_t, (T, N, C)


torch.manual_seed(0)
model = CRNN(n_classes=11, height=train.images.shape[1]).eval()
images = torch.tensor(train.images[:2], dtype=torch.float32)
with torch.no_grad():
    print("images             ", tuple(images.shape))
    print("CNN feature map    ", tuple(model.cnn(images[:, None]).shape), " (N, c, h, T)")
    print("frames x_t         ", tuple(model.frames(images).shape), " (T, N, m)")
    print("GRU states         ", tuple(model.rnn(model.frames(images))[0].shape))
    log_probs = model(images)
    print("log-probabilities  ", tuple(log_probs.shape), " (T, N, C)")
    print("Σ_k ŷ_t(k) = 1 at every frame:", torch.allclose(log_probs.exp().sum(dim=-1), torch.ones(18, 2)))

# %% [markdown]
# The output is one distribution per frame, $T = 18$ frames for a 72-column image, however many digits the image
# holds. The rest of the chapter is about the loss that connects these $T$ distributions to a label sequence of a
# different length, and about reading a label sequence back out of them. We train this model in section 10.

# %% [markdown]
# ## 3. The blank, paths and the map $\mathcal B$
#
# Let $L$ be the alphabet of labels: the ten digits here, or letters. CTC adds one symbol, the **blank**, written
# "-": it means "no label at this frame". The extended alphabet is
# $$L' = L \cup \{\text{blank}\}, \qquad |L'| = |L| + 1,$$
# so the softmax at each frame has $|L| + 1$ outputs: **11 for the digits**, not 10. Which index the blank gets is
# a convention: PyTorch's default is 0; for the digits we use index 10, so that index $k$ is the digit $k$.
#
# A **path** $\pi = (\pi_0, \dots, \pi_{T-1}) \in L'^T$ is a sequence of $T$ symbols of $L'$, one per frame. It is
# not the network's output (that is the $T \times C$ matrix of probabilities); it is one way of assigning a symbol
# to every frame. The map $\mathcal B$ turns a path into a labelling in two steps, in this order:
#
# 1. merge runs of repeated symbols into one;
# 2. remove the blanks.
#
# Four paths with $T = 10$:

# %%
for path in ["-s-t-aatte", "ss-t-a-t-e", "sstt-aat-e", "-s-t-tatte"]:
    print(f"B({path}) = {ctc.collapse(path, '-')}")

# %% [markdown]
# The first three are **three different paths** with the same labelling "state". In the fourth, the two t's are
# separated by a blank, so they stay two letters: a blank between two equal labels is the only way to write a
# double letter (as in "sttate", or "ll" in "hello"). That is why the order matters: removing the blanks first
# would glue the t's together.

# %%
def blanks_removed_first(path):
    """The wrong order: drop blanks, then merge repeats."""
    return ctc.collapse(path.replace("-", ""), "-")


print("B(-s-t-tatte)                =", ctc.collapse("-s-t-tatte", "-"))
print("blanks removed first (wrong) =", blanks_removed_first("-s-t-tatte"))
print("integer path, blank = 10:    ", ctc.collapse([10, 3, 3, 10, 1, 10, 4, 4, 1, 1], blank=10))

# %% [markdown]
# ## 4. The probability of a labelling
#
# The network's output at frame $t$ is the distribution $\hat y_t$ over $L'$. CTC treats the frames as
# **conditionally independent given $x$**: once the network has looked at the whole input, the symbol at each frame
# is drawn independently from $\hat y_t$. The probability of one path is then a product over time,
# $$p(\pi \mid x) = \prod_{t=0}^{T-1} \hat y_t(\pi_t),$$
# and the probability of a labelling $l$ is the sum over all paths that $\mathcal B$ maps to it:
# $$p(l \mid x) = \sum_{\pi \in \mathcal B^{-1}(l)} p(\pi \mid x).$$
# (The network's outputs do depend on each other through $x$ and the recurrent layer; the assumption is only that,
# given those outputs, the choices at different frames are independent.)
#
# A tiny example with $T = 3$ frames, alphabet $\{a, b\}$ plus the blank, and target $l =$ "ab". Enumerate all
# $3^3 = 27$ paths:

# %%
y_hat = np.array([[0.5, 0.4, 0.1],
                  [0.2, 0.3, 0.5],
                  [0.6, 0.1, 0.3]])  # row t = ŷ_t over (blank, a, b)
symbols = "-ab"
T = y_hat.shape[0]
p_by_labelling = {}
print("paths with B(π) = ab:")
for path in itertools.product(range(3), repeat=T):
    p_path = Fraction(1)
    for t, k in enumerate(path):
        p_path *= Fraction(str(y_hat[t, k]))
    text = "".join(symbols[k] for k in path)
    labelling = ctc.collapse(text, "-")
    p_by_labelling[labelling] = p_by_labelling.get(labelling, 0) + p_path
    if labelling == "ab":
        print(f"  π = {text}: p(π|x) = {float(p_path):.3f}")
print("p(ab|x) =", p_by_labelling["ab"], "=", float(p_by_labelling["ab"]))
print("ctc_brute_force:", round(ctc.ctc_brute_force(y_hat, [1, 2]), 6))

# %% [markdown]
# Every path maps to exactly one labelling, so the probabilities of all labellings add up to 1:

# %%
for labelling, p in sorted(p_by_labelling.items(), key=lambda item: -item[1]):
    print(f"{labelling or '(empty)':>8}: {float(p):.4f}")
print("sum:", sum(p_by_labelling.values()))

# %% [markdown]
# ### How many paths?
#
# Brute force sums $|L'|^T$ products. How many of them collapse to $l$? A path for $l$ is a run of blanks
# ($b_0 \ge 0$), a run of $l_1$ ($r_1 \ge 1$), blanks ($b_1$), …, a run of $l_U$, blanks ($b_U \ge 0$), with
# $\sum b + \sum r = T$. Between two equal neighbours $l_j = l_{j+1}$ at least one blank is required. With $k$ such
# repeats, "stars and bars" counts the solutions:
# $$|\mathcal B^{-1}(l)| = \binom{T + U - k}{2U}.$$
# Check the formula against enumeration for a few labels, then plot both counts.

# %%
def n_paths(T, label):
    """|B⁻¹(l)| for paths of length T: C(T + U − k, 2U), k = number of adjacent repeats in l."""
    U = len(label)
    k = sum(a == b for a, b in itertools.pairwise(label))
    return math.comb(T + U - k, 2 * U)


ok = True
for label in ["a", "ab", "aa", "aba", "abb"]:
    for T_ in range(1, 9):
        counted = sum(ctc.collapse("".join(p), "-") == label for p in itertools.product("-ab", repeat=T_))
        ok &= counted == n_paths(T_, label)
print("formula = enumeration for 5 labels and T = 1 … 8:", ok)

T_grid = np.arange(3, 43, 3)
label = "31415"  # 5 digits, no adjacent repeat; |L'| = 11
ax = plot.lines(T_grid, {"all paths 11^T": [11.0**t for t in T_grid],
                         "paths that give 31415": [float(n_paths(t, label)) for t in T_grid],
                         "paths that give a label of T/3 digits": [float(n_paths(t, "12" * (t // 6) + "1" * (t // 3 % 2)))
                                                                   for t in T_grid]},
                logy=True, markers=True, xlabel="number of frames T", ylabel="number of paths",
                title="Brute force is hopeless beyond toy sizes")
ax.axvline(18, color="0.4", linestyle=":", linewidth=1)
plt.show()
print(f"T = 18 (our CRNN): 11^18 = {11**18:.3e} paths, of which {n_paths(18, label):,} give 31415")
print(f"at 10^9 paths per second, brute force takes {11**18 / 1e9 / 3600 / 24 / 365:.0f} years per image")

# %% [markdown]
# The number of all paths grows exponentially with $T$. For a fixed label the count of its paths grows "only" like
# $T^{2U}$, but when the label grows with the input, as it does in real data (here one digit per 3 frames), it is
# exponential too. The dotted line marks the 18 frames of our CRNN. `ctc_brute_force` refuses inputs with more
# than $10^6$ paths; the next section computes the same sum in $O(T \cdot U)$ operations.

# %% [markdown]
# ## 5. The forward recursion ($\alpha$)
#
# Write the target with a blank before, between and after its labels: the **extended label**
# $l' = (\text{-}, l_1, \text{-}, l_2, \dots, l_U, \text{-})$ of length $S = 2U + 1$ (for "ab": "-a-b-"). Every path
# in $\mathcal B^{-1}(l)$ walks through the states $s = 0, \dots, S-1$ of $l'$ from left to right. We count $t$ and
# $s$ from 0, as the code does.
#
# The **forward variable** $\alpha_t(s)$ is the total probability of all path prefixes $\pi_0 \dots \pi_t$ that are at
# state $s$ at frame $t$ and have produced $l'_0 \dots l'_s$ so far. A path may start with the blank or with the first
# label:
# $$\alpha_0(0) = \hat y_0(\text{-}), \qquad \alpha_0(1) = \hat y_0(l_1), \qquad \alpha_0(s) = 0 \text{ otherwise}.$$
# From frame $t-1$ to $t$ a path can stay in its state, move to the next one, or skip a blank:
# $$\alpha_t(s) = \big[\alpha_{t-1}(s) + \alpha_{t-1}(s-1) + \alpha_{t-1}(s-2)\big]\;\hat y_t(l'_s),$$
# where the skip term $\alpha_{t-1}(s-2)$ is allowed only if $l'_s$ is a label **and** differs from $l'_{s-2}$
# (a blank cannot be skipped between two equal labels). A finished path ends in the last label or the last blank:
# $$p(l \mid x) = \alpha_{T-1}(S-1) + \alpha_{T-1}(S-2).$$
# The recursion in plain Python, written so that it also works on SymPy symbols:

# %%
def extended(label, blank=0):
    """l′ = (blank, l_1, blank, ..., l_U, blank)."""
    ext = [blank]
    for k in label:
        ext += [k, blank]
    return ext


def forward(y, label, blank=0):
    """α_t(s) in probability space, as a list of rows (for teaching: it underflows on long inputs)."""
    ext, T = extended(label, blank), y.shape[0]
    S = len(ext)
    alpha = [[0] * S for _ in range(T)]
    alpha[0][0] = y[0, ext[0]]
    if S > 1:
        alpha[0][1] = y[0, ext[1]]
    for t in range(1, T):
        for s in range(S):
            total = alpha[t - 1][s]
            if s >= 1:
                total += alpha[t - 1][s - 1]
            if s >= 2 and ext[s] != blank and ext[s] != ext[s - 2]:
                total += alpha[t - 1][s - 2]
            alpha[t][s] = total * y[t, ext[s]]
    return alpha


alpha = np.array(forward(y_hat, [1, 2]), dtype=float)
print("α (rows t = 0, 1, 2; columns l′ = - a - b -):")
print(alpha)
print("p(ab|x) = α_2(4) + α_2(3) =", round(alpha[-1, -1] + alpha[-1, -2], 6))
print("ctc.ctc_alpha gives the same (in log space):", np.allclose(np.exp(ctc.ctc_alpha(np.log(y_hat), [1, 2])), alpha))

# %% [markdown]
# With symbols instead of numbers, SymPy expands $\alpha_{T-1}(S-1) + \alpha_{T-1}(S-2)$ into exactly the five
# path products of the brute-force sum ($y^t_k$ stands for $\hat y_t(k)$):

# %%
y_sym = sp.Matrix(3, 3, lambda t, k: sp.Symbol(f"y_{symbols[k]}^{t}"))
alpha_sym = forward(y_sym, [1, 2])
p_forward = sp.expand(alpha_sym[-1][-1] + alpha_sym[-1][-2])
p_paths = sum(sp.Mul(*[y_sym[t, k] for t, k in enumerate(path)])
              for path in itertools.product(range(3), repeat=3)
              if ctc.collapse("".join(symbols[k] for k in path), "-") == "ab")
print("forward recursion == sum over B⁻¹(ab):", sp.expand(p_forward - p_paths) == 0)
p_forward

# %% [markdown]
# ### The lattice
#
# The states $s$ and frames $t$ form a lattice; the recursion fills it column by column, and each arrow below is one
# allowed move. Here $l =$ "state", $T = 12$ and the outputs $\hat y_t$ come from logits that favour the path
# "ss-tt-aa-tte" plus noise. The colour is $\ln \alpha_t(s)$. White cells have $\alpha = 0$: near the start a path
# cannot yet be far into $l'$. Late in time the opposite happens: the states near the start of $l'$ are too far from
# the end to be finished in time. They still get an $\alpha$ value, but no complete path passes through them.

# %%
letters = "-aest"
target_state = [letters.index(ch) for ch in "state"]
favoured = [letters.index(ch) for ch in "ss-tt-aa-tte"]
rng = np.random.default_rng(0)
z_state = 2.5 * np.eye(5)[favoured] + rng.normal(size=(12, 5))
log_y_state = log_softmax(z_state)
ext_state = extended(target_state)
states_state = [letters[k] for k in ext_state]
log_alpha = ctc.ctc_alpha(log_y_state, target_state)
log_beta = ctc.ctc_beta(log_y_state, target_state)
log_p = -ctc.ctc_nll(log_y_state, target_state)

plot.ctc_lattice(log_alpha, states_state, title="forward variables ln α_t(s) for l = state",
                 colorbar_label="ln α", xlabel="frame t", ylabel="state s and l′_s")
plt.show()
print(f"ln p(state|x) = {log_p:.4f},  p = {np.exp(log_p):.4f}")

# %% [markdown]
# ### Why log space
#
# Every $\alpha_t(s)$ is a sum of products of $t + 1$ probabilities, so it shrinks roughly geometrically with $t$.
# For long inputs it falls below the smallest positive float64 (about $10^{-308}$, or $5 \cdot 10^{-324}$ with
# subnormal numbers) and becomes exactly 0. The
# library therefore stores $\ln \alpha$ and replaces each sum by a log-sum-exp,
# $a \oplus b = \ln(e^a + e^b) = \max(a, b) + \ln(1 + e^{-|a - b|})$, which never underflows. With $T = 2000$
# frames, $C = 20$ symbols and $U = 50$ labels:

# %%
rng = np.random.default_rng(1)
log_y_long = log_softmax(rng.normal(size=(2000, 20)))
target_long = rng.integers(1, 20, size=50)
alpha_plain = np.array(forward(np.exp(log_y_long), target_long), dtype=float)
zero_from = int(np.argmax(alpha_plain.max(axis=1) == 0))
print(f"probability space: p = {alpha_plain[-1, -1] + alpha_plain[-1, -2]}  (every α_t(s) is 0 from t = {zero_from})")
nll_long = ctc.ctc_nll(log_y_long, target_long)
torch_long = F.ctc_loss(torch.tensor(log_y_long), torch.tensor(target_long), (2000,), (50,), reduction="sum").item()
print(f"log space: −ln p = {nll_long:.6f}   torch: {torch_long:.6f}")
print("equal to 1e-9 (relative):", abs(nll_long - torch_long) <= 1e-9 * abs(torch_long))

# %% [markdown]
# Here $p(l \mid x) \approx e^{-6117}$, far below any float64, but its logarithm is an ordinary number.

# %% [markdown]
# ## 6. The backward recursion ($\beta$) and a check at every frame
#
# The **backward variable** $\beta_t(s)$ is the total probability of the path **suffixes** $\pi_t \dots \pi_{T-1}$ that
# start at state $s$ at frame $t$ and finish $l'$. As in Graves' paper and in PyTorch, it includes $\hat y_t(l'_s)$:
# $$\beta_{T-1}(S-1) = \hat y_{T-1}(\text{-}), \qquad \beta_{T-1}(S-2) = \hat y_{T-1}(l_U),$$
# $$\beta_t(s) = \big[\beta_{t+1}(s) + \beta_{t+1}(s+1) + \beta_{t+1}(s+2)\big]\;\hat y_t(l'_s),$$
# with the skip term only when $l'_s$ is a label different from $l'_{s+2}$. It is the forward recursion run from the
# end.
#
# Each path through state $s$ at frame $t$ is a prefix (counted in $\alpha_t(s)$) glued to a suffix (counted in
# $\beta_t(s)$); both contain the factor $\hat y_t(l'_s)$ once, so it has to be divided out once. Summing over
# the states gives every path exactly once, **at every frame**:
# $$p(l \mid x) = \sum_{s=0}^{S-1} \frac{\alpha_t(s)\,\beta_t(s)}{\hat y_t(l'_s)} \qquad \text{for every } t.$$

# %%
per_frame = np.exp(log_alpha + log_beta - log_y_state[:, ext_state]).sum(axis=1)
print("Σ_s α_t(s) β_t(s) / ŷ_t(l′_s), t = 0 … 11:")
print(np.round(per_frame, 6))
print("equal to p(state|x) at every t:", np.allclose(per_frame, np.exp(log_p), rtol=1e-12))

# %% [markdown]
# Each term divided by $p$ is the **posterior probability** that the path is at state $s$ at frame $t$, given that it
# produces $l$. Its lattice shows where the alignment is certain (one bright cell per column) and where it hesitates:

# %%
state_posterior = np.exp(log_alpha + log_beta - log_y_state[:, ext_state] - log_p)
plot.ctc_lattice(state_posterior, states_state, transitions=False, fmt="{:.2f}", text_min=0.005, cmap="Blues",
                 title="posterior of the state: α_t(s) β_t(s) / (ŷ_t(l′_s) p)", xlabel="frame t",
                 ylabel="state s and l′_s")
plt.show()

# %% [markdown]
# Adding up the states that carry the same symbol $k$ gives the **posterior occupancy**
# $$\gamma_t(k) = \frac{1}{p(l \mid x)} \sum_{s:\, l'_s = k} \frac{\alpha_t(s)\,\beta_t(s)}{\hat y_t(k)},
# \qquad \sum_k \gamma_t(k) = 1,$$
# the probability that frame $t$ emits symbol $k$ on a path that produces $l$ (`ctc.ctc_posteriors`).

# %% [markdown]
# ## 7. The gradient with respect to the logits
#
# The loss of one example is $-\ln p(l \mid x)$, and the network produces logits $z_t$ with
# $\hat y_t = \operatorname{softmax}(z_t)$. Fix a frame $t$. Each path contains exactly one factor $\hat y_t(\cdot)$
# from that frame, so by the identity above
# $$\frac{\partial p}{\partial \hat y_t(k)} = \frac{1}{\hat y_t(k)^2} \sum_{s:\, l'_s = k} \alpha_t(s)\,\beta_t(s)
#   = \frac{p\,\gamma_t(k)}{\hat y_t(k)} .$$
# The softmax has $\partial \hat y_t(k') / \partial z_t(k) = \hat y_t(k')\,(\delta_{k'k} - \hat y_t(k))$. The
# chain rule gives
# $$\frac{\partial(-\ln p)}{\partial z_t(k)} = -\frac{1}{p}\sum_{k'} \frac{p\,\gamma_t(k')}{\hat y_t(k')}
#   \hat y_t(k')\,(\delta_{k'k} - \hat y_t(k)) = -\gamma_t(k) + \hat y_t(k) \sum_{k'} \gamma_t(k')
#   = \hat y_t(k) - \gamma_t(k).$$
# This has the same form as for softmax cross-entropy ($\hat y - $ one-hot), with the one-hot target replaced by the
# soft target $\gamma_t$ that the forward-backward pass computes. Check it on the tiny example (the logits are
# $\ln \hat y$, whose softmax is $\hat y$):

# %%
z_tiny = np.log(y_hat)
dz = ctc.ctc_grad_logits(z_tiny, [1, 2])
print("∂(−ln p)/∂z (rows t, columns - a b):")
print(np.round(dz, 6))
print("ŷ − γ:", np.allclose(dz, y_hat - ctc.ctc_posteriors(z_tiny, [1, 2])))
fd = numerical_grad(lambda z: ctc.ctc_nll(log_softmax(z), [1, 2]), z_tiny)
print("matches finite differences:", rel_error(dz, fd) < 1e-7)
z_t = torch.tensor(z_tiny, requires_grad=True)
F.ctc_loss(z_t.log_softmax(dim=1), torch.tensor([1, 2]), (3,), (2,), reduction="sum").backward()
print("matches torch:             ", rel_error(dz, z_t.grad.numpy()) < 1e-12)
print("each row sums to 0:        ", np.allclose(dz.sum(axis=1), 0))
print("row t = 0 is (0.342105, −0.442105, 0.1):", np.allclose(dz[0], [0.342105, -0.442105, 0.1], atol=1e-6))

# %% [markdown]
# SymPy can differentiate $-\ln p$ through the softmax exactly. For $T = 2$, alphabet $\{a\}$ and target "a" the
# paths are "aa", "a-" and "-a":

# %%
z_sym = sp.Matrix(2, 2, lambda t, k: sp.Symbol(f"z_{t}{'-a'[k]}"))
y_sym2 = sp.Matrix(2, 2, lambda t, k: sp.exp(z_sym[t, k]) / (sp.exp(z_sym[t, 0]) + sp.exp(z_sym[t, 1])))
p_a = y_sym2[0, 1] * y_sym2[1, 1] + y_sym2[0, 1] * y_sym2[1, 0] + y_sym2[0, 0] * y_sym2[1, 1]
y_case_a = [[sp.Rational(2, 5), sp.Rational(3, 5)], [sp.Rational(3, 10), sp.Rational(7, 10)]]
at = {z_sym[t, k]: sp.log(y_case_a[t][k]) for t in range(2) for k in range(2)}
grad_sym = sp.Matrix(2, 2, lambda t, k: sp.nsimplify(sp.simplify(sp.diff(-sp.log(p_a), z_sym[t, k]).subs(at))))
print("SymPy, exact:", grad_sym.tolist())
print("ctc_grad_logits:", np.round(ctc.ctc_grad_logits(np.log([[0.4, 0.6], [0.3, 0.7]]), [1]), 6).tolist())
print("equal:", np.allclose(np.array(grad_sym, dtype=float), ctc.ctc_grad_logits(np.log([[0.4, 0.6], [0.3, 0.7]]), [1])))

# %% [markdown]
# ### The training objective
#
# Training maximises the probability of the **labelling**, summed over all its paths, i.e. it minimises
# $$\mathcal L = -\sum_{(x, l)} \ln p(l \mid x) = -\sum_{(x, l)} \ln \sum_{\pi \in \mathcal B^{-1}(l)} p(\pi \mid x)$$
# over the training pairs. It does **not** maximise the probability of one particular path: the network may spread
# the probability over many alignments, and the gradient $\hat y - \gamma$ pushes on all of them in proportion to
# their posterior. In the tiny example the single most probable path for "ab" has much less probability than the
# labelling:

# %%
paths_ab = {"".join(symbols[k] for k in p): float(np.prod(y_hat[np.arange(3), p]))
            for p in itertools.product(range(3), repeat=3) if ctc.collapse("".join(symbols[k] for k in p), "-") == "ab"}
best_path = max(paths_ab, key=paths_ab.get)
print(f"best single path {best_path}: p = {paths_ab[best_path]:.3f};  p(ab|x) over all paths = {sum(paths_ab.values()):.3f}")

# %% [markdown]
# ## 8. `torch.nn.functional.ctc_loss` in practice
#
# ```python
# F.ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction="mean", zero_infinity=False)
# ```
#
# - `log_probs`: $(T, N, C)$, the **log**-softmax over $C = |L| + 1$ classes (time first, then the batch).
# - `targets`: $(N, U_{\max})$, where $U_{\max}$ is the longest target length, padded with anything past each
#   target's end, or all targets concatenated in 1-D. They never contain the blank.
# - `input_lengths` $T_b$ and `target_lengths` $U_b$: one per sample. Frames $t \ge T_b$ are ignored.
# - `blank`: the index of the blank, 0 by default.
# - `reduction="mean"` divides each sample's loss by its **target length** (at least 1) and then averages over the
#   batch;
#   `"sum"` adds the losses, `"none"` returns them.
#
# `mlcourse.ctc.ctc_loss` has the same arguments and meaning. A batch of three samples of different lengths:

# %%
rng = np.random.default_rng(2)
z_batch = rng.normal(size=(6, 3, 4))  # T = 6, N = 3, C = 4 (blank = 0)
log_probs = torch.tensor(z_batch).log_softmax(dim=-1)
targets = torch.tensor([[1, 2, 0], [3, 3, 1], [2, 0, 0]])  # padded: only the first U_b labels count
input_lengths, target_lengths = torch.tensor([6, 5, 4]), torch.tensor([2, 3, 1])
args = (log_probs.numpy(), targets.numpy(), input_lengths.numpy(), target_lengths.numpy())
for reduction in ("none", "sum", "mean"):
    ours = ctc.ctc_loss(*args, reduction=reduction)
    theirs = F.ctc_loss(log_probs, targets, input_lengths, target_lengths, reduction=reduction).numpy()
    print(f"{reduction:>4}: mlcourse {np.round(ours, 4)}   torch {np.round(theirs, 4)}")
per_sample = ctc.ctc_loss(*args, reduction="none")
print(f"mean_b L_b / U_b = {np.mean(per_sample / target_lengths.numpy()):.4f}   (mean_b L_b = {per_sample.mean():.4f})")

# %% [markdown]
# ### Impossible targets
#
# A target needs $U$ frames for its labels plus one blank frame between each pair of equal neighbours, so it fits
# only if $T \ge U + k$ ($k$ = number of adjacent repeats). "aa" needs "a-a", three frames; with $T = 2$ no path
# exists, $p = 0$ and the loss is $+\infty$, with NaN gradients that would spoil every weight in one step.
# `zero_infinity=True` replaces both by 0 (the sample is skipped):

# %%
for zero_infinity in (False, True):
    z_leaf = torch.zeros(2, 1, 2, dtype=torch.float64, requires_grad=True)  # T = 2, N = 1, C = 2
    loss = F.ctc_loss(z_leaf.log_softmax(dim=-1), torch.tensor([[1, 1]]), (2,), (2,), zero_infinity=zero_infinity)
    loss.backward()
    print(f"zero_infinity={zero_infinity}: loss = {loss.item()}, gradient = {z_leaf.grad.flatten().tolist()}")
print("mlcourse:", ctc.ctc_loss(np.log(np.full((2, 1, 2), 0.5)), [[1, 1]], [2], [2]))

# %% [markdown]
# ### The `.grad` trap
#
# To save work, PyTorch's backward of `ctc_loss` returns $\hat y - \gamma$, the gradient with respect to the
# **logits**, and passes it to `log_probs`. That is correct when `log_probs = logits.log_softmax(-1)` sits in the
# graph (the log-softmax backward then leaves it unchanged, because the rows of $\hat y - \gamma$ sum to 0). But if
# `log_probs` is itself a leaf tensor, its `.grad` is **not** $\partial \mathcal L / \partial \ln \hat y$, which
# would be $-\gamma$:

# %%
leaf = log_probs.detach().clone().requires_grad_()
F.ctc_loss(leaf, targets, input_lengths, target_lengths, reduction="sum").backward()
gamma_0 = ctc.ctc_posteriors(log_probs[:, 0].numpy(), [1, 2])  # sample 0 (T_0 = 6)
y_0 = log_probs[:, 0].exp().numpy()
print("leaf .grad of sample 0 equals ŷ − γ:", np.allclose(leaf.grad[:, 0].numpy(), y_0 - gamma_0))
print("leaf .grad of sample 0 equals −γ:   ", np.allclose(leaf.grad[:, 0].numpy(), -gamma_0))
_, dz_batch = ctc.ctc_loss_and_grad(*args, reduction="sum")
print("mlcourse ctc_loss_and_grad returns the same array:", np.allclose(dz_batch, leaf.grad.numpy()))
print("frames past T_b get 0 (sample 2 has T_2 = 4):", leaf.grad[4:, 2].abs().max().item() == 0)

# %% [markdown]
# Compare gradients with the log-softmax inside the graph, with respect to the logits, as in section 7. A batch
# with $T = 2000$ confirms that loss and gradient agree with PyTorch to $10^{-9}$ on long inputs as well:

# %%
rng = np.random.default_rng(3)
z_big = rng.normal(size=(2000, 4, 12))
targets_big = rng.integers(1, 12, size=(4, 60))
T_big, U_big = np.array([2000, 1800, 1500, 1999]), np.array([60, 41, 55, 12])
loss_big, dz_big = ctc.ctc_loss_and_grad(log_softmax(z_big), targets_big, T_big, U_big)
z_big_t = torch.tensor(z_big, requires_grad=True)
loss_big_t = F.ctc_loss(z_big_t.log_softmax(-1), torch.tensor(targets_big), torch.tensor(T_big), torch.tensor(U_big))
loss_big_t.backward()
print(f"loss: mlcourse {loss_big:.6f}, torch {loss_big_t.item():.6f}")
print("loss equal to 1e-9:", abs(loss_big - loss_big_t.item()) <= 1e-9 * abs(loss_big_t.item()),
      "  gradient equal to 1e-9:", np.abs(dz_big - z_big_t.grad.numpy()).max() <= 1e-9)

# %% [markdown]
# ## 9. Decoding: best path and prefix beam search
#
# After training, we want the labelling $l^* = \arg\max_l p(l \mid x)$. There is no fast exact method, so two
# approximations are used.
#
# **Best path (greedy) decoding.** At each frame take $\arg\max_k \hat y_t(k)$, the **index** of the most probable
# symbol (the probabilities themselves are the column $\hat y_t$), then apply $\mathcal B$. This finds the most
# probable *path*, which is not always the most probable *labelling*. Two frames, alphabet $\{a\}$,
# $\hat y_t = (0.6, 0.4)$ for (blank, a) at both frames:

# %%
y_two = np.array([[0.6, 0.4], [0.6, 0.4]])
log_two = np.log(y_two)
print("argmax per frame:", y_two.argmax(axis=1), " (indices: blank, blank)")
print("best path decoding:", ctc.greedy_decode(log_two), " (the empty labelling)")
print(f"p(empty|x) = {np.exp(-ctc.ctc_nll(log_two, [])):.2f}  (only the path --)")
print(f"p(a|x)     = {np.exp(-ctc.ctc_nll(log_two, [1])):.2f}  (paths aa, a-, -a: 0.16 + 0.24 + 0.24)")

# %% [markdown]
# The single best path "--" has probability 0.36, more than any single path for "a", yet "a" collects 0.64 over its
# three paths. Applying $\mathcal B$ to the network's output is therefore not "the result": one first has to
# choose a path (best path) or search over labellings, and the choice matters.
#
# **Prefix beam search** keeps the `beam_width` most probable label prefixes after each frame. For each prefix it
# stores two numbers: the probability of its paths ending in a blank, $p_b$, and ending in its last label,
# $p_{nb}$. A blank keeps the prefix. The prefix's own last label keeps it too when the path already ends in that
# label ($p_{nb}$); it appends a second copy only when the path ends in a blank ($p_b$), because a blank must separate
# repeats. Any other label is appended. Different paths that reach the same prefix are merged, which is exactly what
# best path decoding cannot do.

# %%
for width in (1, 2):
    beams = ctc.beam_search_decode(log_two, beam_width=width)
    print(f"beam width {width}:", [(labels, round(float(np.exp(score)), 4)) for labels, score in beams])

# %% [markdown]
# With an unlimited beam (`beam_width=None`) nothing is pruned and the scores are the exact label probabilities.
# On the tiny example of section 4:

# %%
exact = ctc.beam_search_decode(np.log(y_hat), beam_width=None)
for labels, score in exact[:4]:
    print(f"{''.join(symbols[k] for k in labels) or '(empty)':>8}: {np.exp(score):.4f}")
print("all scores equal exp(−ctc_nll):",
      all(np.isclose(score, -ctc.ctc_nll(np.log(y_hat), labels)) for labels, score in exact))

# %% [markdown]
# ## 10. Training a CRNN with CTC on digit strings
#
# Now the model of section 2, trained with `F.ctc_loss` on the 4000 training strings. Class $k$ is the digit $k$
# and the blank is class 10. Each string $b$ gets its own number of frames $T_b = \lceil w_b / 4 \rceil$ from its
# real width $w_b$, so the padding on the right does not count. First check that every target fits:
# $T_b \ge U_b + k_b$, where $k_b$ is the number of adjacent repeats in the label of string $b$.

# %%
BLANK, FRAME = 10, 4
SYMBOLS = [*"0123456789", "-"]


def as_tensors(strings):
    """Images (N, H, W), padded labels (N, 6), frames T_b = ceil(width / 4), label lengths U_b."""
    return (torch.tensor(strings.images, dtype=torch.float32), torch.tensor(strings.padded_labels()),
            torch.tensor(-(-strings.widths // FRAME)), torch.tensor(strings.label_lengths))


X_train, Y_train, T_train, U_train = as_tensors(train)
X_test, Y_test, T_test, U_test = as_tensors(test)
repeats = np.array([sum(a == b for a, b in itertools.pairwise(lab)) for lab in train.labels])
print("every training target fits:", bool((T_train.numpy() >= U_train.numpy() + repeats).all()))
print("frames per string from", T_train.min().item(), "to", T_train.max().item())

# %% [markdown]
# Training: 7 epochs of minibatches of 32, the optimiser AdamW (Adam with decoupled weight decay, chapter 07) and a
# one-cycle schedule (the learning rate rises to $3 \cdot 10^{-3}$ in the first 20 % of the steps, then decays).
# After each epoch we decode the held-out strings with best path decoding and measure the **exact-sequence
# accuracy**: the fraction of strings that come out exactly right.

# %%
def decode(log_probs, lengths):
    """Best path decoding of each sample b over its own T_b frames."""
    lp = log_probs.double().numpy()
    return [ctc.greedy_decode(lp[: lengths[b], b], blank=BLANK) for b in range(lp.shape[1])]


def evaluate(model, X, Y, T, U, labels):
    """Mean CTC loss, exact-sequence accuracy, decoded labels and ln ŷ, in eval mode without gradients."""
    model.eval()
    with torch.no_grad():
        log_probs = model(X)
        loss = F.ctc_loss(log_probs, Y, T, U, blank=BLANK).item()
    decoded = decode(log_probs, T.numpy())
    return loss, np.mean([d == lab for d, lab in zip(decoded, labels, strict=True)]), decoded, log_probs


torch.manual_seed(0)
model = CRNN(n_classes=11, height=train.images.shape[1])
EPOCHS, BATCH = 7, 32
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.05)
n_steps = EPOCHS * math.ceil(len(train) / BATCH)
schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=3e-3, total_steps=n_steps, pct_start=0.2)
order = torch.Generator().manual_seed(0)
step_loss, history = [], []
start, start_cpu = time.perf_counter(), time.process_time()
for epoch in range(1, EPOCHS + 1):
    model.train()
    for idx in torch.randperm(len(train), generator=order).split(BATCH):
        loss = F.ctc_loss(model(X_train[idx]), Y_train[idx], T_train[idx], U_train[idx], blank=BLANK)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        step_loss.append(loss.item())
    test_loss, accuracy, decoded, test_log_probs = evaluate(model, X_test, Y_test, T_test, U_test, test.labels)
    history.append((len(step_loss), test_loss, accuracy))
    print(f"epoch {epoch}: held-out loss {test_loss:.4f}, exact-sequence accuracy {accuracy:.1%}")
train_seconds, train_cpu_seconds = time.perf_counter() - start, time.process_time() - start_cpu

# %%
# NBVAL_IGNORE_OUTPUT
print(f"training time: {train_seconds:.1f} s (wall clock), {train_cpu_seconds:.1f} s of CPU time on one thread")

# %%
print("trained in less than 60 s of CPU time:", train_cpu_seconds < 60)

# %% [markdown]
# The loss of every training minibatch, and the held-out loss after each epoch. After a quick drop, the loss stays
# on a plateau until about step 100: the easiest way to lower the loss at first is to predict blanks everywhere,
# and only then does the network start placing digits.

# %%
steps, test_losses, accuracies = zip(*history, strict=True)
ax = plot.lines(np.arange(1, len(step_loss) + 1), {"training minibatch": step_loss}, logy=True,
                xlabel="step", ylabel="CTC loss (mean over the batch of −ln p / U)", title="Training the CRNN")
ax.plot(steps, test_losses, "o-", color="tab:red", label="held-out strings (after each epoch)")
ax.legend()
plt.show()

# %% [markdown]
# The result on the 1000 held-out strings, whose digit images the network has never seen:

# %%
wrong = [i for i in range(len(test)) if decoded[i] != test.labels[i]]
print(f"exact-sequence accuracy on {len(test)} held-out strings: {accuracy:.1%}  ({len(wrong)} strings wrong)")
print("at least 95 %:", accuracy >= 0.95)
digit_text = ["".join(map(str, lab)) for lab in test.labels]
decoded_text = ["".join(map(str, d)) for d in decoded]
show = [i for i in range(len(test)) if i not in wrong][:6] + wrong[:6]
plot.decoded_examples(test.images[show], [digit_text[i] for i in show], [decoded_text[i] for i in show],
                      widths=test.widths[show], truth_label="true", decoded_label="decoded",
                      title="held-out strings: six read correctly, six mistakes (red)")
plt.show()

# %% [markdown]
# The CRNN reads 97.2 % of the held-out strings exactly right, above the 95 % we aimed for. Most mistakes replace
# one digit by another, often by a thin 1 or 7; a few drop or add a digit. Does beam search help here? The network
# is confident, so best path and beam search almost always agree:

# %%
lp_test = test_log_probs.double().numpy()
beam = [ctc.beam_search_decode(lp_test[: T_test[b], b], beam_width=10, blank=BLANK)[0][0] for b in range(len(test))]
print(f"beam search (width 10) = best path on {np.mean([a == b for a, b in zip(beam, decoded, strict=True)]):.1%} of the strings")
print(f"beam search exact-sequence accuracy: {np.mean([a == lab for a, lab in zip(beam, test.labels, strict=True)]):.1%}")

# %% [markdown]
# ### Where was each digit aligned?
#
# The forward-backward pass answers this for a trained network too. For one held-out string, the figure shows the
# image, the network's outputs $\hat y_t$ and the posterior occupancy $\gamma_t$ given the true label, each frame
# drawn under the 4 pixel columns it belongs to; the dashed lines mark where each digit starts.

# %%
b = next(i for i in range(len(test)) if len(test.labels[i]) == 6 and decoded[i] == test.labels[i])
lp_b = lp_test[: T_test[b], b]
lp_b = lp_b - np.log(np.exp(lp_b).sum(axis=1, keepdims=True))  # renormalise the float32 outputs in float64
gamma_b = ctc.ctc_posteriors(lp_b, test.labels[b], blank=BLANK)
plot.occupancy_heatmap(test.images[b], {"network output ŷ_t": np.exp(lp_b), "posterior occupancy γ_t": gamma_b},
                       SYMBOLS, frame_width=FRAME, width=int(test.widths[b]), boundaries=test.positions[b],
                       image_title=f"held-out string {digit_text[b]}", xlabel="pixel column")
plt.show()

# %% [markdown]
# Each digit is claimed by one frame inside its own columns, and the blank fills the rest: CTC learned the
# alignment that nobody gave it. The two heat maps are almost the same: for a well-trained network
# $\hat y_t \approx \gamma_t$, so the gradient $\hat y_t - \gamma_t$ is almost 0 on this string.
#
# Over all held-out strings, take for each digit the frame where the posterior of its state in $l'$ is largest, and
# check whether that frame lies inside the digit's columns:

# %%
inside = total = 0
for i in range(len(test)):
    lp_i = lp_test[: T_test[i], i]
    lp_i = lp_i - np.log(np.exp(lp_i).sum(axis=1, keepdims=True))
    ext_i = extended(test.labels[i], BLANK)
    post = (ctc.ctc_alpha(lp_i, test.labels[i], BLANK) + ctc.ctc_beta(lp_i, test.labels[i], BLANK)
            - lp_i[:, ext_i] + ctc.ctc_nll(lp_i, test.labels[i], BLANK))
    for j, x0 in enumerate(test.positions[i]):
        centre = (post[:, 2 * j + 1].argmax() + 0.5) * FRAME  # the middle column of the most likely frame
        inside += x0 <= centre < x0 + 8
        total += 1
print(f"{inside} of {total} digits ({inside / total:.1%}) are aligned to a frame inside their own columns")

# %% [markdown]
# ## 11. How fast is `mlcourse.ctc`?
#
# `mlcourse.ctc` is a numpy reference implementation, vectorised over the batch and the states with a Python loop
# over time only. The script `benchmarks/ctc.py` times its loss and gradient against PyTorch's `ctc_loss`
# forward and backward on the CPU, in float64, on the same inputs, checks that they agree to $10^{-9}$ and prints
# the ratio of the times. Run it from the repository root with
#
# ```bash
# .venv/bin/python benchmarks/ctc.py
# ```
#
# It is not run here because timings differ from machine to machine; the README lists the ratios it printed on one.

# %% [markdown]
# ## 12. Common pitfalls
#
# - **"The softmax has one output per character."** It has $|L| + 1$: the blank is a class too (11 for digits).
# - **"$\pi$ is the network's output vector."** A path $\pi$ is a sequence of $T$ symbols from $L'$, one per
#   frame; the network's output is the $T \times C$ matrix of probabilities $\hat y$.
# - **"Several different characters map to 'state'."** It is several different *paths* that $\mathcal B$ maps to
#   the same labelling. And $\mathcal B$ merges repeats *before* removing blanks, otherwise "t-t" would become one t.
# - **$p(\pi \mid x)$ is a product** $\prod_t \hat y_t(\pi_t)$ over the frames, which assumes the symbols of
#   different frames are conditionally independent given $x$.
# - **"Training maximises $p(\pi \mid x)$."** It maximises $p(l \mid x) = \sum_{\pi \in \mathcal B^{-1}(l)}
#   p(\pi \mid x)$, i.e. minimises $-\ln p(l \mid x)$, summed over all alignments (section 7).
# - **"argmax of each column gives each class's probability."** argmax gives the *index* of the most likely symbol;
#   the probabilities are the column itself. Taking the argmax at every frame is best path decoding.
# - **"Apply $\mathcal B$ to the network output and you have the result."** Decoding (best path or beam search)
#   comes first, and the best path need not give the most probable labelling (section 9: 0.36 vs 0.64).
# - **Probability space underflows.** Run the recursions in log space (section 5).
# - **`reduction="mean"` divides by the target lengths**, not only by the batch size.
# - **A target longer than the input** (counting a blank between repeats) has $p = 0$: infinite loss and NaN
#   gradients unless `zero_infinity=True`.
# - **`.grad` of a leaf `log_probs`** is $\hat y - \gamma$, not $\partial \mathcal L / \partial \ln \hat y$; compare
#   gradients with respect to the logits.
#
# ## Summary
#
# - CTC trains a sequence model from (input, label sequence) pairs with no alignment. It adds the blank,
#   $|L'| = |L| + 1$, and defines $p(l \mid x) = \sum_{\pi \in \mathcal B^{-1}(l)} \prod_t \hat y_t(\pi_t)$.
# - The sum over exponentially many paths is computed by the forward recursion over the extended label
#   $l'$ ($S = 2U + 1$ states) in $O(TS)$ time, in log space; $\sum_s \alpha_t(s)\beta_t(s)/\hat y_t(l'_s) = p$ at
#   every $t$.
# - The gradient with respect to the logits is $\hat y_t - \gamma_t$: softmax output minus posterior occupancy.
# - `F.ctc_loss` takes $(T, N, C)$ log-probabilities; mind the blank index, the lengths, the mean over target
#   lengths, `zero_infinity`, and the `.grad` trap.
# - Best path decoding is fast but not optimal; prefix beam search merges paths of the same prefix.
# - A small CRNN, trained with CTC for 7 epochs on one CPU thread, reads 97.2 % of held-out digit strings exactly
#   right, and its posteriors show where it put each digit.
#
# **Exercises:** open `exercises/09_ctc.ipynb`.
