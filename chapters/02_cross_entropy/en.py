# %% [markdown]
# # 02 · Entropy, cross-entropy and KL divergence
#
# Classifiers do not output one number; they output a **probability for every class**. To train them we need a
# loss that compares two probability distributions: the one in the data and the one the model believes. Information
# theory supplies it. In this chapter you will
#
# - measure the information in one event ("surprise") in bits and in nats,
# - define entropy as the average surprise and plot it for a coin,
# - define cross-entropy and the KL divergence, prove $\mathrm{KL} = H(p, q) - H(p)$ with SymPy, and see why
#   minimising cross-entropy and minimising KL are the same thing,
# - see with numbers and a plot that neither of them is a distance,
# - reduce cross-entropy to $-\log q_c$ for one-hot targets and connect it to maximum likelihood,
# - treat binary classification: sigmoid, binary cross-entropy, its gradient $\sigma(z) - y$, and why code must use
#   the stable "logits" form.
#
# Every number below is computed by the code next to it.

# %%
import mlcourse

mlcourse.setup(seed=0, lang="en")

import math

import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
import torch
import torch.nn.functional as F

from mlcourse import info, losses, plot, symbolic
from mlcourse.gradcheck import numerical_grad, rel_error
from mlcourse.layers import sigmoid

# %% [markdown]
# ## 1. Surprise: the information in one event
#
# An event with probability $p$ tells us more the less we expected it. Its **information content**, or
# **surprise**, is
# $$I(p) = -\log p = \log\frac{1}{p}.$$
# It has exactly the properties we want:
#
# - a certain event ($p = 1$) carries no information: $I(1) = 0$;
# - the rarer the event, the larger $I$; an impossible event would be infinitely surprising;
# - for two independent events the probabilities multiply and the surprises add: $-\log(p_1 p_2) = -\log p_1 - \log p_2$.
#
# The base of the logarithm only fixes the unit. With $\log_2$ the unit is the **bit**, with the natural logarithm
# $\ln$ it is the **nat**. Machine-learning code uses $\ln$ (nats) unless it says otherwise.

# %%
p_events = np.array([1.0, 0.5, 0.25, 0.125, 0.01])
for p_event, bits in zip(p_events, info.surprise(p_events, base=2), strict=True):
    print(f"p = {p_event:<6} surprise = {bits:.4f} bits = {info.surprise(p_event):.4f} nats")
print("two independent fair coins, both heads (p = 1/4):", info.surprise(0.25, base=2), "bits =",
      info.surprise(0.5, base=2), "+", info.surprise(0.5, base=2))

# %% [markdown]
# A fair coin flip is worth exactly 1 bit: one yes/no answer. Converting units: $\ln p = \ln 2 \cdot \log_2 p$, so
# $$1\ \text{nat} = \frac{1}{\ln 2}\ \text{bits} \approx 1.4427\ \text{bits}.$$

# %%
print(f"1 nat = 1/ln 2 = {1 / math.log(2):.4f} bits")
print(f"surprise of p = 0.01: {info.surprise(0.01):.4f} nats × {1 / math.log(2):.4f} = "
      f"{info.surprise(0.01) / math.log(2):.4f} bits")

p_grid = np.linspace(0.005, 1, 400)
plot.lines(p_grid, {"−log₂ p (bits)": info.surprise(p_grid, base=2), "−ln p (nats)": info.surprise(p_grid)},
           xlabel="probability p of the event", ylabel="surprise", title="Rare events carry more information")
plt.show()

# %% [markdown]
# ## 2. Entropy: the average surprise
#
# A random variable with distribution $p = (p_1, \dots, p_K)$ produces outcome $k$ with probability $p_k$ and then
# surprises us by $-\log p_k$. The **entropy** is the expected surprise:
# $$H(p) = \sum_{k=1}^{K} p_k\,(-\log p_k) = -\sum_{k=1}^{K} p_k \log p_k .$$
# An outcome with $p_k = 0$ never happens and contributes nothing: we use $0 \cdot \log 0 = 0$, which is the limit
# of $p \log p$ as $p \to 0^+$ (SymPy confirms it below). Entropy is the average uncertainty: $0$ for a certain
# outcome, largest, $\log K$, when all $K$ outcomes are equally likely.

# %%
b, h_coin = symbolic.binary_entropy()
print("lim_{p→0+} p·ln p =", sp.limit(b * sp.log(b), b, 0, "+"))
examples = {
    "fair coin (1/2, 1/2)": [0.5, 0.5],
    "biased coin (0.9, 0.1)": [0.9, 0.1],
    "certain (1, 0)": [1.0, 0.0],
    "fair die (6 × 1/6)": np.full(6, 1 / 6),
    "(1/2, 1/4, 1/8, 1/8)": [0.5, 0.25, 0.125, 0.125],
}
for name, dist in examples.items():
    print(f"{name:<24} H = {info.entropy(dist, base=2):.4f} bits = {info.entropy(dist):.4f} nats")
print(f"log₂ 6 = {math.log2(6):.4f}: the uniform distribution has the largest entropy")

# %% [markdown]
# The number is concrete: a code that writes down the outcomes of $p$ one at a time needs, on average, at least
# $H(p)$ bits per outcome. For $p = (1/2, 1/4, 1/8, 1/8)$ the prefix code `0`, `10`, `110`, `111` (short words for
# frequent outcomes) reaches this bound exactly:

# %%
p_four = np.array([0.5, 0.25, 0.125, 0.125])
codewords = ["0", "10", "110", "111"]
lengths = np.array([len(w) for w in codewords])
print("average code length:", p_four @ lengths, "bits;  entropy:", info.entropy(p_four, base=2), "bits")

# %% [markdown]
# ### The entropy of a coin
#
# A coin that shows heads with probability $b$ has
# $H(b) = -b \log b - (1 - b)\log(1 - b)$. SymPy finds where its derivative vanishes and the value there:

# %%
b_star, h_star = symbolic.binary_entropy_maximum()
print("dH/db =", sp.simplify(sp.diff(h_coin, b)))
print("maximum at b =", b_star, " H =", h_star, "nats =", sp.simplify(h_star / sp.log(2)), "bit")

bias = np.linspace(0, 1, 501)
coin_bits = info.entropy(np.stack([bias, 1 - bias], axis=1), base=2)
ax = plot.lines(bias, {"H(b)": coin_bits}, xlabel="probability of heads b", ylabel="entropy (bits)",
                title="Entropy of a coin")
ax.axvline(0.5, color="0.4", linestyle=":", linewidth=1)
plt.show()

# %% [markdown]
# A fair coin is the hardest to predict (1 bit); a coin that always lands heads has entropy $0$. The curve is
# symmetric: swapping the names of the outcomes does not change the uncertainty.

# %% [markdown]
# ## 3. Cross-entropy
#
# Now let the data come from $p$ while we **believe** a different distribution $q$ (a model). We are surprised by
# $-\log q_k$ when outcome $k$ happens, and outcome $k$ happens with probability $p_k$. The average surprise is the
# **cross-entropy**
# $$H(p, q) = -\sum_{k=1}^{K} p_k \log q_k .$$
# Read it as a sum over classes of (true probability) × (log of model probability). For vectors it is an
# **inner product**: $H(p, q) = -\,p \cdot \log q$, not a single product "$-y \times \log \hat y$".
# In coding terms, $H(p, q)$ is the average length of a code designed for $q$ but used on data from $p$.
#
# Example: tomorrow's weather (sunny, cloudy, rain) follows $p = (0.7, 0.2, 0.1)$; a forecaster believes
# $q = (0.5, 0.3, 0.2)$.

# %%
p_weather = np.array([0.7, 0.2, 0.1])
q_weather = np.array([0.5, 0.3, 0.2])
print(f"H(p)    = {info.entropy(p_weather):.4f} nats")
print(f"H(p, q) = {info.cross_entropy(p_weather, q_weather):.4f} nats")
print(f"−p · log q = {-(p_weather @ np.log(q_weather)):.4f} nats (the same inner product)")
print(f"H(p, p) = {info.cross_entropy(p_weather, p_weather):.4f} nats = H(p)")

# %% [markdown]
# The forecaster who believes $q$ is surprised more on average than one who knows $p$: $H(p, q) > H(p)$. The
# difference is the price of the wrong belief.

# %% [markdown]
# ## 4. KL divergence
#
# The **Kullback–Leibler divergence** is that price:
# $$D_{\mathrm{KL}}(p\,\Vert\,q) = \sum_k p_k \log\frac{p_k}{q_k}
#   = \underbrace{-\sum_k p_k \log q_k}_{H(p, q)} - \underbrace{\Big(-\sum_k p_k \log p_k\Big)}_{H(p)} .$$
# Watch the sign of the second term: $\mathbb{E}_{p}[\log p] = \sum_k p_k \log p_k = -H(p)$, so
# $D_{\mathrm{KL}}(p\Vert q) = \mathbb{E}_p[\log p - \log q] = H(p, q) - H(p)$. SymPy checks the identity for any
# number of outcomes $K$ (a symbol, not a fixed number):

# %%
kl, cross, ent = symbolic.kl_entropy_terms()
print("KL − (H(p,q) − H(p)) simplifies to", sp.simplify(kl - (cross - ent)))
kl

# %% [markdown]
# Two facts make KL useful:
#
# - **Gibbs' inequality:** $D_{\mathrm{KL}}(p\Vert q) \ge 0$, with equality only when $q = p$. So $H(p, q) \ge H(p)$.
# - Here $p$ is the **given** data distribution: it is fixed while we train (that is all "fixed" means; $p$ need not
#   be a deterministic, one-outcome distribution). So $H(p)$ is a constant, and
#   $$\arg\min_q H(p, q) = \arg\min_q \big[H(p) + D_{\mathrm{KL}}(p\Vert q)\big] = \arg\min_q D_{\mathrm{KL}}(p\Vert q) = p.$$
#   Minimising cross-entropy **is** minimising KL; the two losses differ by a constant and have the same gradient
#   in $q$.
#
# A float64 check of both facts on 10 000 random pairs of distributions, and SymPy's minimiser for two outcomes:

# %%
rng = np.random.default_rng(0)
P = rng.dirichlet(np.ones(4), size=10_000)
Q = rng.dirichlet(np.ones(4), size=10_000)
kl_pq = info.kl_divergence(P, Q)
print("KL ≥ 0 for all 10 000 pairs:", bool((kl_pq >= 0).all()))
print("KL = H(p,q) − H(p) for all pairs:", np.allclose(kl_pq, info.cross_entropy(P, Q) - info.entropy(P)))
print("KL(p‖p) = 0 for all p:", bool((info.kl_divergence(P, P) == 0).all()))
q_solutions, second = symbolic.coin_cross_entropy_minimiser()
print("∂H(p,q)/∂q = 0 at q =", q_solutions, ";  ∂²H/∂q² =", second, "> 0 on (0, 1)")

# %% [markdown]
# ### Neither is a distance
#
# A distance $d$ must satisfy $d(p, p) = 0$ and $d(p, q) = d(q, p)$. Cross-entropy fails the first test:
# $H(p, p) = H(p)$, which is $0$ only for a certain outcome. KL passes the first and fails the second: it is
# **not symmetric**. (Nor does it satisfy the triangle inequality.) KL is called a *divergence*: it measures how
# badly $q$ stands in for $p$, not how "similar" two distributions are in a symmetric sense.

# %%
p_fair, q_bent = np.array([0.5, 0.5]), np.array([0.9, 0.1])
print(f"KL(p‖q) = {info.kl_divergence(p_fair, q_bent):.4f} nats,  KL(q‖p) = {info.kl_divergence(q_bent, p_fair):.4f} nats")
print(f"H(p, q) = {info.cross_entropy(p_fair, q_bent):.4f},  H(q, p) = {info.cross_entropy(q_bent, p_fair):.4f},"
      f"  H(p, p) = {info.cross_entropy(p_fair, p_fair):.4f}")

# %% [markdown]
# The plot keeps the data distribution fixed at a coin with $p(\text{heads}) = 0.3$ and moves the model coin
# $q_\theta = (\theta, 1 - \theta)$:

# %%
theta = np.linspace(0.01, 0.99, 197)
p_coin = np.array([0.3, 0.7])
Q_theta = np.stack([theta, 1 - theta], axis=1)
P_coin = np.broadcast_to(p_coin, Q_theta.shape)
curves = {
    "H(p, q_θ)": info.cross_entropy(P_coin, Q_theta),
    "KL(p ‖ q_θ)": info.kl_divergence(P_coin, Q_theta),
    "KL(q_θ ‖ p)": info.kl_divergence(Q_theta, P_coin),
}
ax = plot.lines(theta, curves, reference=info.entropy(p_coin), reference_label="H(p)",
                xlabel="model probability of heads θ", ylabel="nats", title="Data coin p = (0.3, 0.7), model q_θ")
ax.axvline(0.3, color="0.4", linestyle=":", linewidth=1)
ax.set_ylim(0, 2.5)
plt.show()
print(f"min of H(p, q_θ) at θ = {theta[np.argmin(curves['H(p, q_θ)'])]:.2f}, value {curves['H(p, q_θ)'].min():.4f}"
      f" = H(p) = {info.entropy(p_coin):.4f}")

# %% [markdown]
# - $H(p, q_\theta)$ and $D_{\mathrm{KL}}(p\Vert q_\theta)$ are the same curve shifted by the constant $H(p)$; both are
#   smallest at $\theta = 0.3$, but the cross-entropy's minimum is $H(p) \approx 0.61$, not $0$.
# - $D_{\mathrm{KL}}(p\Vert q_\theta)$ and $D_{\mathrm{KL}}(q_\theta\Vert p)$ are different curves: swapping the
#   arguments changes the value.

# %% [markdown]
# ## 5. One-hot targets and maximum likelihood
#
# In classification the "true distribution" of one sample is usually **one-hot**: its class $c$ has probability 1,
# every other class 0. We write it $y = e_c$. Then $H(y) = 0$, so cross-entropy and KL coincide, and only one term
# of the sum survives:
# $$H(y, q) = -\sum_k y_k \log q_k = -\log q_c .$$
# The loss is the surprise of the model at the correct class. Classes are numbered from $0$ in code, so the
# first of three classes has index $0$. With the model's output $q = (0.34, 0.46, 0.20)$ and true class index $0$:

# %%
q_model = np.array([0.34, 0.46, 0.20])
y_onehot = np.array([1.0, 0.0, 0.0])  # class index 0
print(f"H(y, q) = {info.cross_entropy(y_onehot, q_model):.5f}")
print(f"KL(y‖q) = {info.kl_divergence(y_onehot, q_model):.5f}")
print(f"−ln q_0 = {-math.log(q_model[0]):.5f}")

# %% [markdown]
# **Maximum likelihood.** For $N$ independent samples with classes $c_1, \dots, c_N$, the model gives the whole
# training set the probability (the *likelihood*) $\prod_n q_{n, c_n}$. Maximising it is the same as minimising
# $$-\frac1N \log \prod_{n} q_{n,c_n} = \frac1N \sum_n \big(-\log q_{n, c_n}\big),$$
# the mean cross-entropy. Working with the sum of logs is not only convenient: the product itself underflows.

# %%
rng = np.random.default_rng(1)
q_correct = rng.uniform(0.3, 0.9, size=2000)  # the model's probability of the correct class, per sample
mean_ce = np.mean(-np.log(q_correct))
print(f"mean cross-entropy: {mean_ce:.4f} nats")
print(f"likelihood of the first 10 samples: {np.prod(q_correct[:10]):.6f} = exp(−10 · mean CE of those 10) ="
      f" {np.exp(-10 * np.mean(-np.log(q_correct[:10]))):.6f}")
print("likelihood of all 2000 samples as a float64 product:", np.prod(q_correct))
print(f"its logarithm, computed as a sum of logs: {np.sum(np.log(q_correct)):.2f}")

# %% [markdown]
# ## 6. Binary classification: sigmoid and binary cross-entropy
#
# A spam filter reads an email and computes a score $z$, the **logit**. The **sigmoid** turns it into a probability:
# $$\hat y = \sigma(z) = \frac{1}{1 + e^{-z}} = P(\text{spam}\mid\text{email}) \in (0, 1).$$
# The target is $y = 1$ for spam and $y = 0$ for a normal email. Fix one order of the two classes and keep it:
# (spam, not spam). Then the true distribution is $(y,\ 1 - y)$, the model's is $(\hat y,\ 1 - \hat y)$, and their
# cross-entropy is the **binary cross-entropy**
# $$\ell(\hat y, y) = -\big[y \log \hat y + (1 - y)\log(1 - \hat y)\big],\qquad
#   L = \frac1N \sum_{n=1}^{N} \ell(\hat y_n, y_n).$$
# For each sample only one of the two terms is non-zero.
#
# Three emails with logits $z = (0.3, -1.2, 2)$; the first and the last are spam:

# %%
z = np.array([0.3, -1.2, 2.0])
y = np.array([1.0, 0.0, 1.0])
y_hat = sigmoid(z)
per_sample = -(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat))
print("P(spam) = σ(z):     ", y_hat)
print("per-sample losses:  ", per_sample)
two_class_rows = np.stack([y, 1 - y], axis=1), np.stack([y_hat, 1 - y_hat], axis=1)
print("as 2-class cross-entropies:", info.cross_entropy(*two_class_rows))
print(f"mean by hand:                          {per_sample.mean():.6f}")
print(f"losses.binary_cross_entropy(σ(z), y):  {losses.binary_cross_entropy(y_hat, y):.6f}")
print(f"losses.binary_cross_entropy_with_logits(z, y): {losses.binary_cross_entropy_with_logits(z, y):.6f}")
z_t, y_t = torch.tensor(z, dtype=torch.float64), torch.tensor(y, dtype=torch.float64)
print(f"torch F.binary_cross_entropy:            {F.binary_cross_entropy(torch.sigmoid(z_t), y_t).item():.6f}")
print(f"torch F.binary_cross_entropy_with_logits: {F.binary_cross_entropy_with_logits(z_t, y_t).item():.6f}")

# %% [markdown]
# How does the loss of one email depend on its logit? For a spam email ($y = 1$) the loss is $-\log\sigma(z)$: large
# for very negative $z$ (confidently wrong), small for large $z$. For a normal email it is the mirror image.

# %%
z_grid = np.linspace(-6, 6, 241)
loss_spam = [losses.binary_cross_entropy_with_logits([v], [1.0]) for v in z_grid]
loss_ham = [losses.binary_cross_entropy_with_logits([v], [0.0]) for v in z_grid]
plot.lines(z_grid, {"y = 1 (spam): −ln σ(z)": loss_spam, "y = 0 (normal): −ln(1 − σ(z))": loss_ham},
           xlabel="logit z", ylabel="loss (nats)", title="Binary cross-entropy of one email")
plt.show()

# %% [markdown]
# ### The gradient: $\partial \ell / \partial z = \sigma(z) - y$
#
# Write $s = \sigma(z)$. By the chain rule $\dfrac{\partial \ell}{\partial z} = \dfrac{\partial \ell}{\partial s}
# \cdot \dfrac{\partial s}{\partial z}$. SymPy computes the first factor, checks that the sigmoid's derivative is
# $s(1 - s)$, and multiplies:

# %%
s, dl_ds, ds_dz, dl_dz = symbolic.bce_chain_rule()
print("∂ℓ/∂s =", dl_ds)
print("∂s/∂z − s(1 − s) simplifies to", symbolic.sigmoid_derivative_residual(), " so ∂s/∂z =", ds_dz)
print("∂ℓ/∂z = (∂ℓ/∂s)(∂s/∂z) =", dl_dz)

# %% [markdown]
# The factors $\frac1s$ and $\frac1{1-s}$ cancel against $s(1-s)$. SymPy also differentiates the whole loss in $z$
# directly; the result minus $\sigma(z) - y$ simplifies to $0$:

# %%
z_s, y_s, sigma_s, loss_s = symbolic.sigmoid_bce_symbols()
grad_s = symbolic.bce_logit_gradient()
print("dℓ/dz =", grad_s)
print("dℓ/dz − (σ(z) − y) =", sp.simplify(grad_s - (sigma_s - y_s)))

# %% [markdown]
# The gradient is simply *prediction minus target*, always between $-1$ and $1$. For the mean loss $L$ over $N$
# samples each gradient is divided by $N$. Check the three emails: SymPy's formula, `mlcourse` (times $N$ to get
# per-sample values), PyTorch autograd and finite differences, all in float64.

# %%
sympy_grad = np.array([float(grad_s.subs({z_s: a, y_s: t})) for a, t in zip(z, y, strict=True)])
ours = losses.binary_cross_entropy_with_logits_grad(z, y)
z_req = torch.tensor(z, dtype=torch.float64, requires_grad=True)
F.binary_cross_entropy_with_logits(z_req, y_t).backward()
print("per-sample σ(z) − y (SymPy):", np.round(sympy_grad, 6))
print("N · mlcourse gradient:      ", np.round(z.size * ours, 6))
print("N · torch autograd:         ", np.round(z.size * z_req.grad.numpy(), 6))
print("matches torch:             ", rel_error(ours, z_req.grad.numpy()) < 1e-12)
print("matches finite differences:", rel_error(ours, numerical_grad(
    lambda v: losses.binary_cross_entropy_with_logits(v, y), z)) < 1e-8)

# %% [markdown]
# ## 7. Why code needs the stable form
#
# Mathematically $\sigma(z)$ is never exactly $0$ or $1$, so the loss is positive for every finite $z$ and only
# approaches $0$ as $z \to \pm\infty$. In float64, however, $1 + e^{-z}$ rounds to $1$ once $z > 37$ or so, and
# $\sigma(z)$ becomes exactly `1.0`. Then $\log(1 - \hat y) = \log 0 = -\infty$, and for a spam email
# ($y = 1$) the formula multiplies $0 \cdot (-\infty)$, which is `nan` in IEEE arithmetic.

# %%
print("σ(40) == 1.0 in float64:", sigmoid(40.0) == 1.0, "  1 − σ(40) =", 1 - sigmoid(40.0))
with np.errstate(divide="ignore", invalid="ignore"):  # the point of this cell is what the warnings announce
    y_hat_40 = sigmoid(np.array([40.0]))
    naive = -(1.0 * np.log(y_hat_40) + (1 - 1.0) * np.log(1 - y_hat_40))
print("naive formula, z = 40, y = 1:", naive)

# %% [markdown]
# The remedy is to never form $\hat y$. With $\log\sigma(z) = -\log(1 + e^{-z})$ and
# $\log(1 - \sigma(z)) = -z - \log(1 + e^{-z})$, the loss becomes $z - zy + \log(1 + e^{-z})$, and rewriting it so
# that the exponent is never positive gives the **stable form**
# $$\ell(z, y) = \max(z, 0) - z\,y + \log\big(1 + e^{-|z|}\big).$$
# SymPy confirms it equals the definition on both sides of $0$ (the residuals for $z > 0$ and $z < 0$):

# %%
symbolic.bce_stable_form_residuals()

# %% [markdown]
# A comparison over extreme logits. `naive` forms $\hat y = \sigma(z)$ and takes logs; `clamped` is
# `losses.binary_cross_entropy`, which, like `F.binary_cross_entropy`, clamps each log at $-100$ so that it never
# returns `inf` or `nan`; `stable` is `losses.binary_cross_entropy_with_logits`.

# %%
print(f"{'z':>6} {'y':>3} {'naive':>10} {'clamped':>10} {'stable':>12} {'torch logits':>13}")
for z_value, y_value in [(40.0, 1.0), (40.0, 0.0), (800.0, 0.0), (-800.0, 1.0), (5.0, 1.0), (-5.0, 0.0)]:
    with np.errstate(divide="ignore", invalid="ignore"):
        p_value = sigmoid(z_value)
        naive_value = -(y_value * np.log(p_value) + (1 - y_value) * np.log(1 - p_value)) + 0.0
    clamped = losses.binary_cross_entropy([p_value], [y_value])
    stable = losses.binary_cross_entropy_with_logits([z_value], [y_value])
    torch_value = F.binary_cross_entropy_with_logits(torch.tensor([z_value], dtype=torch.float64),
                                                     torch.tensor([y_value], dtype=torch.float64)).item()
    print(f"{z_value:>6.0f} {y_value:>3.0f} {naive_value:>10.4g} {clamped:>10.4g} {stable:>12.6g} {torch_value:>13.6g}")

# %% [markdown]
# - The naive formula returns `nan` (from $0 \cdot \log 0$) or `inf`.
# - The clamp avoids both, but once $\sigma(z)$ rounds to $0$ or $1$ a wrong prediction is charged exactly $100$,
#   whatever its true loss: $100$ instead of $40$ at $z = 40$, and $100$ instead of $800$ at $z = 800$. Its gradient
#   is wrong too.
# - The stable form is exact everywhere; it is what `F.binary_cross_entropy_with_logits` and `nn.BCEWithLogitsLoss`
#   compute. Give such losses **logits**, not probabilities.

# %% [markdown]
# ## 8. Common pitfalls
#
# - **"Cross-entropy is the distance between two distributions."** It is not a distance: $H(p, q) \ne H(q, p)$ in
#   general and $H(p, p) = H(p) \ne 0$. Over $q$ it is smallest at $q = p$; for a one-hot $p$ it equals
#   $D_{\mathrm{KL}}(p\Vert q)$ (sections 4 and 5).
# - **"Cross-entropy $= -y \times \log \hat y$."** It is a sum over classes, an inner product:
#   $-\sum_k y_k \log \hat y_k = -\,y\cdot\log\hat y$ (section 3).
# - **"KL measures how similar two distributions are."** KL measures a divergence: $0$ only when they are equal,
#   larger the worse $q$ stands in for $p$, not symmetric, and not a metric (section 4).
# - **"$p$ is a deterministic distribution."** In $D_{\mathrm{KL}}(p\Vert q)$ the data distribution $p$ is *fixed*
#   (given, not trained). It need not put all its mass on one outcome.
# - **"$\mathbb{E}_p[\log p(x)]$ is the entropy."** It is $-H(p)$. Hence
#   $D_{\mathrm{KL}}(p\Vert q) = H(p, q) - H(p)$ (section 4).
# - **Inconsistent binary targets.** Pick one order of the two classes and keep it: with (spam, not spam) the
#   target is $(y, 1-y)$ and the prediction $(\hat y, 1-\hat y)$, $\hat y = P(y = 1)$ (section 6).
# - **"When $\hat y = y$ the loss is 0."** A sigmoid never outputs exactly $0$ or $1$, so the loss is positive and
#   only tends to $0$. In floating point $\sigma(z)$ does round to $1$, and the naive formula then produces
#   $0\cdot\log 0 =$ `nan`; use the logits form (section 7).
#
# ## Summary
#
# - Surprise $-\log p$; entropy $H(p) = -\sum p_k\log p_k$ is the average surprise, in bits ($\log_2$) or nats
#   ($\ln$, 1 nat ≈ 1.4427 bits); a coin has at most 1 bit, at $b = 1/2$.
# - Cross-entropy $H(p, q) = -\sum_k p_k \log q_k$; $D_{\mathrm{KL}}(p\Vert q) = H(p, q) - H(p) \ge 0$, zero iff
#   $q = p$. Minimising either over $q$ is the same; neither is a distance.
# - With one-hot targets the loss is $-\log q_c$, and its mean is the negative log-likelihood per sample.
# - Binary cross-entropy with a sigmoid has gradient $\sigma(z) - y$ in the logit; compute it in the stable form
#   $\max(z,0) - zy + \log(1 + e^{-|z|})$.
#
# **Exercises:** open `exercises/02_cross_entropy.ipynb`.
