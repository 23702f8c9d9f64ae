# %% [markdown]
# # 06 · Taylor expansion and gradient descent
#
# Gradient descent repeats one rule: move the parameters a little **against** the gradient of the loss. This
# chapter explains why that rule lowers the loss, and when it does not. You will
#
# - write Taylor polynomials with SymPy, watch them approach $e^x$, and see where Taylor series fail;
# - expand $L(w - aL')$ to second order and find that a step lowers the loss only if it is small enough
#   (for a quadratic: exactly when $0 < a < 2/L''$);
# - prove with the Cauchy–Schwarz inequality that $-\nabla L$ is the steepest way down among steps of a fixed length;
# - run gradient descent by hand, with `mlcourse.optim` and with `torch.optim.SGD`, and find the largest stable
#   learning rate;
# - classify stationary points (minima, maxima, saddles) with the Hessian, and escape a saddle with a little noise;
# - see that the noise which helps comes from minibatch gradients, not from the data loader.
#
# Every number below is computed by the code next to it.

# %%
import mlcourse

mlcourse.setup(seed=0, lang="en")

import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
import torch

from mlcourse import functions, optim, plot, symbolic

# %% [markdown]
# ## 1. Taylor's formula
#
# Near a point $x_0$ a smooth function $h$ looks like a polynomial. The **Taylor polynomial** of order $n$ is
# $$T_n(x) = \sum_{k=0}^{n} \frac{h^{(k)}(x_0)}{k!}\,(x - x_0)^k
#         = h(x_0) + h'(x_0)\,(x - x_0) + \frac{h''(x_0)}{2}\,(x - x_0)^2 + \dots$$
# where $h^{(k)}$ is the $k$-th derivative. Each term is a derivative **times a power of the step** $x - x_0$:
# the first-order term is $h'(x_0)(x - x_0)$, not $h'(x_0)$ alone. SymPy writes the formula for an unknown $h$:

# %%
x_s, x0_s, formula = symbolic.taylor_formula(3)
formula

# %% [markdown]
# ### $e^x$ and its Taylor polynomials
#
# Every derivative of $e^x$ is $e^x$, which is $1$ at $x_0 = 0$, so $T_n(x) = 1 + x + x^2/2! + \dots + x^n/n!$.
# `symbolic.taylor_polynomial` computes the coefficients from the derivatives:

# %%
x = sp.Symbol("x", real=True)
taylor_exp = {n: symbolic.taylor_polynomial(sp.exp(x), x, 0, n) for n in range(11)}
for n in (1, 2, 5):
    print(f"T_{n}(x) =", taylor_exp[n])
print("equals SymPy's own series:", all(
    sp.simplify(taylor_exp[n] - sp.series(sp.exp(x), x, 0, n + 1).removeO()) == 0 for n in range(11)))

# %%
grid = np.linspace(-3, 3, 301)
curves = {"$e^x$": np.exp(grid)}
for n in range(1, 6):
    curves[f"$T_{n}$"] = sp.lambdify(x, taylor_exp[n], "numpy")(grid)
ax = plot.lines(grid, curves, xlabel="x", ylabel="y", title="$e^x$ and its Taylor polynomials at $x_0 = 0$")
ax.set_ylim(-4, 20)
plt.show()

# %% [markdown]
# All polynomials agree with $e^x$ at $0$. The higher the order, the wider the interval on which a polynomial
# hugs the curve; far from $x_0$ every one of them drifts away. A Taylor polynomial is a **local** approximation.
#
# ### How fast the error shrinks
#
# Taylor's theorem gives the error, called the **remainder**: for some $\xi$ between $x_0$ and $x$,
# $h(x) - T_n(x) = \frac{h^{(n+1)}(\xi)}{(n+1)!}(x - x_0)^{n+1}$. For $e^x$ at $x_0 = 0$ this gives
# $|e^x - T_n(x)| \le e^{\max(x, 0)}\,|x|^{n+1}/(n+1)!$: the error falls fast with the order near $0$ and slowly
# far away.

# %%
orders = np.arange(11)
points = (0.5, 1.0, 3.0)
errors = {p: np.array([abs(np.exp(p) - float(taylor_exp[n].subs(x, p))) for n in orders]) for p in points}
bounds = {p: np.exp(max(p, 0)) * abs(p) ** (orders + 1) / np.array([float(sp.factorial(n + 1)) for n in orders])
          for p in points}
ax = plot.lines(orders, {f"x = {p}": errors[p] for p in points}, logy=True, markers=True,
                xlabel="order n", ylabel="$|e^x - T_n(x)|$", title="Error of the Taylor polynomial against its order")
plt.show()
for p in points:
    print(f"x = {p}: error at order 1 = {errors[p][1]:.4g}, at order 5 = {errors[p][5]:.4g}, "
          f"at order 10 = {errors[p][10]:.4g}")
print("every error is within the remainder bound:", all((errors[p] <= bounds[p]).all() for p in points))

# %% [markdown]
# ## 2. Where Taylor series fail
#
# It is tempting to say "every smooth function equals its Taylor series". That is false, in two ways.
#
# **Smooth but not analytic.** Take $f(x) = e^{-1/x^2}$ with $f(0) = 0$. It has derivatives of every order
# everywhere (it is **smooth**), and SymPy finds that all of them tend to $0$ at $x = 0$:

# %%
bump = sp.exp(-1 / x**2)
print("limits of f, f', f'', f''', f'''' at 0:", [sp.limit(sp.diff(bump, x, k), x, 0) for k in range(5)])
print("T_4(x) =", symbolic.taylor_polynomial(bump, x, 0, 4))
print(f"but f(0.5) = e^-4 = {float(bump.subs(x, 0.5)):.4f} and f(1) = {float(bump.subs(x, 1)):.4f}")

# %% [markdown]
# Every Taylor polynomial at $0$ is the zero function, while $f(x) > 0$ for every $x \ne 0$: the Taylor series
# converges (to $0$), but not to $f$. A function that equals its Taylor series near each point is called
# **analytic**; smooth functions need not be.
#
# **A finite radius of convergence.** $g(x) = 1/(1 + x^2)$ is smooth *and* analytic on the whole real line, yet its
# series at $0$, $1 - x^2 + x^4 - x^6 + \dots$, converges only for $|x| < 1$:

# %%
bell = 1 / (1 + x**2)
taylor_bell = {n: symbolic.taylor_polynomial(bell, x, 0, n) for n in (2, 4, 8, 16)}
print("T_8(x) =", taylor_bell[8])
for p in (0.5, 1.5):
    print(f"g({p}) = {1 / (1 + p * p):.4f};  T_n({p}) for n = 2, 4, 8, 16:",
          np.round([float(t.subs(x, p)) for t in taylor_bell.values()], 4))
z = sp.Symbol("z")
print("complex zeros of 1 + z²:", sp.solve(1 + z**2, z))

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
grid = np.linspace(-1.6, 1.6, 321)
plot.lines(grid, {"$e^{-1/x^2}$": np.exp(-1 / np.maximum(grid**2, 1e-300)), "every $T_n$ at 0": 0 * grid}, ax=ax1,
           xlabel="x", ylabel="y", title="Smooth, but not equal to its Taylor series")
plot.lines(grid, {"$1/(1+x^2)$": 1 / (1 + grid**2),
                  **{f"$T_{{{n}}}$": sp.lambdify(x, t, "numpy")(grid) for n, t in taylor_bell.items()}},
           ax=ax2, xlabel="x", title="Series at 0 converges only for |x| < 1")
ax2.axvspan(-1.6, -1, color="0.9", zorder=0)
ax2.axvspan(1, 1.6, color="0.9", zorder=0)
ax2.set_ylim(-1, 2)
plt.show()

# %% [markdown]
# Inside $|x| < 1$ the polynomials close in on $g$; outside (shaded) they swing ever wider. The reason is invisible
# on the real line: $1 + z^2 = 0$ at $z = \pm i$, so $g$ has poles in the complex plane at distance $1$ from $0$, and
# that distance is the **radius of convergence**.
#
# What gradient descent needs is much weaker than a convergent series: only that $L$ has two continuous derivatives
# near the current point, so that Taylor's theorem with a remainder holds for **small** steps. That is the argument
# of the next sections.

# %% [markdown]
# ## 3. One dimension: why a small step against the derivative lowers the loss
#
# ### The second-order expansion
#
# Let $L(w)$ be a loss of one parameter $w$, with derivatives $L' = L'(w)$ and $L'' = L''(w)$ at the current point.
# Gradient descent moves to $w - a L'$ with a **learning rate** $a > 0$, so the step is $e = -aL'$. Expanding
# $L(w + e)$ to second order and substituting the step, SymPy finds

# %%
(a, L0, L1, L2), step_expansion = symbolic.descent_step_expansion()
step_expansion

# %%
sp.factor(step_expansion - L0)

# %% [markdown]
# So $L(w - aL') - L(w) = -a L'^2\,\big(1 - \tfrac{a}{2}L''\big) + O(a^3)$.
#
# - $L'^2 \ge 0$ (non-negative; it is $0$ only where $L' = 0$, and there the step does nothing).
# - For a small enough $a > 0$ the factor $1 - aL''/2$ is positive and the $O(a^3)$ rest is negligible, so the loss
#   goes **down**. The first-order argument alone ("$-aL'^2 < 0$") hides the condition: with a large $a$ the
#   second-order term $\tfrac{a^2}{2}L''L'^2$ wins when $L'' > 0$.
# - The step goes **against** the derivative. Moving with it, $w + aL'$, raises the loss for small $a$.
#
# ### Checking it on $L(w) = w^4/4$
#
# At $w = 1$: $L = 1/4$, $L' = 1$, $L'' = 3$. The true change is $\big((1-a)^4 - 1\big)/4$, whose series in $a$
# starts with exactly the two terms above:

# %%
quartic = (1 - a) ** 4 / 4 - sp.Rational(1, 4)
print("true change, as a series in a:", sp.series(quartic, a, 0, 5))
print("second-order prediction:       ", sp.expand((step_expansion - L0).subs({L1: 1, L2: 3})))
print()
print("    a    true change   1st order   2nd order")
for step in (0.01, 0.1, 0.5, 1.0, 2.0, 2.5):
    print(f"{step:5.2f}  {((1 - step) ** 4 - 1) / 4:11.4f}  {-step:10.4f}  {-step + 1.5 * step**2:10.4f}")
w0, step = 1.0, 0.1
print(f"\nagainst the derivative: L({w0} - {step}·L') = {(w0 - step) ** 4 / 4:.4f};  "
      f"with it: L({w0} + {step}·L') = {(w0 + step) ** 4 / 4:.4f};  now L = {w0**4 / 4:.4f}")

# %%
a_grid = np.linspace(0, 2.6, 261)
ax = plot.lines(a_grid, {"true change": ((1 - a_grid) ** 4 - 1) / 4, "first order $-aL'^2$": -a_grid,
                         "second order": -a_grid + 1.5 * a_grid**2},
                xlabel="learning rate a", ylabel="$L(w - aL') - L(w)$", reference=0.0,
                title="One step on $L = w^4/4$ from $w = 1$")
ax.set_ylim(-0.6, 1.2)
plt.show()

# %% [markdown]
# For small $a$ all three curves agree and the change is negative. The first-order line promises that a larger
# step always helps; the true change reaches its best at $a = 1$ (the step lands on the minimum $w = 0$) and turns
# positive beyond $a = 2$. The second-order curve captures that a step which is too large raises the loss, but predicts the
# rise too early: for this quartic the third- and fourth-order terms ($-a^3 + a^4/4$) matter once $a$ is not small.
#
# ### A quadratic: the exact condition $0 < a < 2/L''$
#
# For $L(w) = \frac{c}{2}(w - w^*)^2$ with $c > 0$ the expansion has no third-order rest, so the condition becomes
# exact. One step multiplies $w - w^*$ by $1 - ac$, and so the loss by $(1 - ac)^2$:

# %%
(a_q, c_q), factor, stable = symbolic.quadratic_step()
print("L(w - aL') / L(w) =", factor)
print("the loss decreases exactly for a in", stable)

# %% [markdown]
# With $L'' = c$: the loss falls if and only if $0 < a < 2/L''$. Inside that interval there are three regimes:
# $a < 1/c$ creeps monotonically towards $w^*$, $a = 1/c$ lands on it in one step, $1/c < a < 2/c$ overshoots and
# oscillates while converging. At $a = 2/c$ it bounces between $w^* \pm (w_0 - w^*)$ for ever, and above $2/c$ it
# diverges. With $c = 2$ (so $2/c = 1$):

# %%
c, w_start, n_steps = 2.0, 1.0, 12
rates = (0.2, 0.5, 0.8, 1.0, 1.05)
paths = {rate: w_start * (1 - rate * c) ** np.arange(n_steps + 1) for rate in rates}
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
plot.lines(np.arange(n_steps + 1), {f"a = {rate}": p for rate, p in paths.items()}, ax=ax1, markers=True,
           xlabel="step k", ylabel="$w_k$", title="$L = w^2$, $L'' = 2$: where the steps go")
plot.loss_vs_step({f"a = {rate}": c / 2 * p**2 + 1e-30 for rate, p in paths.items()}, ax=ax2,
                  xlabel="step k", ylabel="loss", title="Loss (log scale)")
ax2.set_ylim(1e-12, 1e2)
plt.show()
for rate, p in paths.items():
    print(f"a = {rate:4}: factor 1 - ac = {1 - rate * c:5.2f}, loss after {n_steps} steps = {c / 2 * p[-1] ** 2:.4g}")

# %% [markdown]
# $a = 0.2$ and $a = 0.8$ give the same loss curve (right): $|1 - ac| = 0.6$ for both, one from the same side, one
# alternating. ($10^{-30}$ is added to the plotted losses only so that the exact $0$ of $a = 0.5$ can sit on a log
# axis.)

# %% [markdown]
# ## 4. Several dimensions: the steepest direction
#
# ### The linearised loss, and independent signs
#
# Now $L(\theta)$ depends on $\theta = (x_1, x_2)$. Near the current point $\theta$, a step $\Delta = (\Delta_1,
# \Delta_2)$ changes the loss by
# $$L(\theta + \Delta) \approx L(\theta) + u\,\Delta_1 + v\,\Delta_2 = L(\theta) + \nabla L \cdot \Delta,
#   \qquad u = \frac{\partial L}{\partial x_1},\; v = \frac{\partial L}{\partial x_2}.$$
# $\Delta_1$ and $\Delta_2$ are free: either can be positive or negative, whatever the other does. Which step is best?
# Without a limit on its size there is no answer: $\Delta = -t\nabla L$ gives $-t\lVert\nabla L\rVert^2$, as negative
# as we like (until the linear approximation breaks down). So fix the length, $\lVert \Delta \rVert = \varepsilon$,
# and look for the direction that lowers the linearised loss most.
#
# Take the bowl $L = \frac12(x_1^2 + 5x_2^2)$ at $\theta = (-1, 0.5)$, where $\nabla L = (-1, 2.5)$, and try every
# direction of a step of length $\varepsilon = 0.1$:

# %%
kappa = 5.0
theta = np.array([-1.0, 0.5])
g = functions.bowl_grad(theta, kappa=kappa)
eps = 0.1
angles = np.linspace(0, 360, 3601)
steps = eps * np.stack([np.cos(np.radians(angles)), np.sin(np.radians(angles))], axis=1)
change = steps @ g
best = steps[change.argmin()]
print("gradient ∇L =", g)
print("best step found by trying 3601 directions:", np.round(best, 4))
print("−ε∇L/‖∇L‖ =                              ", np.round(-eps * g / np.linalg.norm(g), 4))
print(f"smallest linearised change {change.min():.4f} = −ε‖∇L‖ = {-eps * np.linalg.norm(g):.4f}")
print("signs of (Δ1, Δ2):", np.sign(best))

# %%
ax = plot.lines(angles, {"∇L·Δ": change}, xlabel="direction of Δ (degrees)", ylabel="linearised change",
                title="All steps of length 0.1 from (−1, 0.5)")
ax.axvline(np.degrees(np.arctan2(-g[1], -g[0])) % 360, color="crimson", linestyle=":", label="direction of −∇L")
ax.legend()
plt.show()

# %% [markdown]
# The best step has $\Delta_1 > 0$ and $\Delta_2 < 0$: opposite signs, each chosen by its own partial derivative.
#
# ### Cauchy–Schwarz
#
# The Cauchy–Schwarz inequality says $|\nabla L \cdot \Delta| \le \lVert\nabla L\rVert\,\lVert\Delta\rVert$, with
# equality only when $\Delta$ is parallel to $\nabla L$. Hence for $\lVert\Delta\rVert = \varepsilon$
# $$\nabla L\cdot\Delta \;\ge\; -\varepsilon\,\lVert\nabla L\rVert, \qquad \text{with equality exactly for }
#   \Delta = -\varepsilon\,\frac{\nabla L}{\lVert\nabla L\rVert}.$$
# SymPy reaches the same answer with a Lagrange multiplier (minimise $u\Delta_1 + v\Delta_2$ subject to
# $\Delta_1^2 + \Delta_2^2 = \varepsilon^2$):

# %%
(u_s, v_s, eps_s), best_step, best_value = symbolic.steepest_direction()
best_step, best_value

# %% [markdown]
# The direction of $-\nabla L$ is the **steepest descent** direction. Gradient descent takes a step along it whose
# length is proportional to $\lVert\nabla L\rVert$: $\theta \leftarrow \theta - \eta\nabla L$.
#
# ### The gradient field
#
# Draw $-\nabla L$ as arrows over the contour lines of the bowl. Each arrow is perpendicular to the contour line
# through its foot (with equal axis scales), points downhill, and is longer where the loss is steeper. A gradient
# descent path follows the arrows:

# %%
xs, ys = np.linspace(-2.2, 2.2, 201), np.linspace(-1.2, 1.2, 121)
X, Y = np.meshgrid(xs, ys)
Z = functions.bowl(np.stack([X, Y]), kappa=kappa)
Xf, Yf = np.meshgrid(np.linspace(-2, 2, 11), np.linspace(-1, 1, 7))
U, V = -functions.bowl_grad(np.stack([Xf, Yf]), kappa=kappa)
gd_path = optim.run(optim.sgd_step, lambda t: functions.bowl_grad(t, kappa=kappa), [-2.0, 1.0], 40, lr=0.1)
ax = plot.contour_paths(X, Y, Z, {"gradient descent, η = 0.1": gd_path}, levels=np.geomspace(0.02, 6, 12),
                        field=(Xf, Yf, U, V),
                        minimum=(0, 0), minimum_label="minimum", xlabel="$x_1$", ylabel="$x_2$",
                        title="$-\\nabla L$ for $L = (x_1^2 + 5x_2^2)/2$")
ax.set_aspect("equal")
plt.show()

# %% [markdown]
# ### "Descent" names the direction
#
# "Gradient descent" means stepping along $-\nabla L$. It does not mean that the gradient gets smaller at every
# step. On the Rosenbrock function $L = (1 - x)^2 + 100(y - x^2)^2$, a curved valley, plain gradient descent with
# $\eta = 10^{-3}$ lowers the loss at every step while $\lVert\nabla L\rVert$ often grows:

# %%
rosen_path = optim.run(optim.sgd_step, functions.rosenbrock_grad, [-1.2, 1.0], 2000, lr=1e-3)
rosen_loss = functions.rosenbrock(rosen_path.T)
rosen_grad_norm = np.linalg.norm(functions.rosenbrock_grad(rosen_path.T), axis=0)
print("loss decreased at every step:", bool((np.diff(rosen_loss) < 0).all()))
print("steps where ‖∇L‖ grew:", int((np.diff(rosen_grad_norm) > 0).sum()), "of", rosen_path.shape[0] - 1)
print(f"loss {rosen_loss[0]:.4f} -> {rosen_loss[-1]:.4f};  ‖∇L‖ {rosen_grad_norm[0]:.4f} -> {rosen_grad_norm[-1]:.4f}")
plot.lines(np.arange(rosen_loss.size), {"loss L": rosen_loss, "gradient norm ‖∇L‖": rosen_grad_norm}, logy=True,
           xlabel="step", title="Gradient descent on Rosenbrock, η = 0.001")
plt.show()

# %% [markdown]
# Once the path is in the valley the gradient is small; along the curved valley floor the gradient grows and shrinks
# again as the path bends, while the loss keeps falling.

# %% [markdown]
# ## 5. Gradient descent as an algorithm
#
# Training looks for $\theta^* = \operatorname{argmin}_\theta L(\theta)$, the parameters where the loss is smallest
# (argmin returns the place of the minimum, not the minimum value). Gradient descent:
#
# 1. start from $\theta_0$ and choose a learning rate $\eta > 0$;
# 2. repeat for $k = 0, 1, 2, \dots$: $\theta_{k+1} = \theta_k - \eta\,\nabla L(\theta_k)$;
# 3. stop after a fixed number of steps, or when $\lVert\nabla L\rVert$ or the decrease of $L$ is tiny.
#
# ### A worked run on a 2-D quadratic
#
# On the bowl $L = \frac12(x_1^2 + 5x_2^2)$ the gradient is $(x_1, 5x_2)$, so one step multiplies $x_1$ by $1 - \eta$
# and $x_2$ by $1 - 5\eta$. With $\eta = 0.1$ from $\theta_0 = (-2, 1)$:

# %%
lr = 0.1
theta = np.array([-2.0, 1.0])
history = [theta]
print(" k        θ_k            L(θ_k)       ∇L(θ_k)")
for k in range(6):
    grad = functions.bowl_grad(theta, kappa=kappa)
    print(f"{k:2d}  {np.array2string(theta, precision=4):>18}  {functions.bowl(theta, kappa=kappa):8.4f}  "
          f"{np.array2string(grad, precision=4)}")
    theta = theta - lr * grad
    history.append(theta)

# %% [markdown]
# $x_2$ halves at every step ($1 - 5\cdot 0.1 = 0.5$) while $x_1$ shrinks only by $10\%$: the steep direction
# converges fast, the flat one slowly. The same run three more ways: the closed form, `mlcourse.optim.sgd_step`
# (plain SGD is exactly this update), and PyTorch's `torch.optim.SGD` in float64:

# %%
k = np.arange(21)[:, None]
closed_form = np.array([-2.0, 1.0]) * np.array([1 - lr, 1 - lr * kappa]) ** k
ours = optim.run(optim.sgd_step, lambda t: functions.bowl_grad(t, kappa=kappa), [-2.0, 1.0], 20, lr=lr)

p = torch.tensor([-2.0, 1.0], dtype=torch.float64, requires_grad=True)
sgd = torch.optim.SGD([p], lr=lr)
torch_path = [p.detach().clone().numpy()]
for _ in range(20):
    sgd.zero_grad()
    loss = 0.5 * (p[0] ** 2 + kappa * p[1] ** 2)
    loss.backward()
    sgd.step()
    torch_path.append(p.detach().clone().numpy())
torch_path = np.array(torch_path)

print("hand-written loop = optim.run:", np.allclose(np.array(history), ours[:7], rtol=0, atol=1e-15))
print("optim.run = closed form:      ", np.allclose(ours, closed_form, rtol=0, atol=1e-12))
print("optim.run = torch.optim.SGD:  ", np.allclose(ours, torch_path, rtol=0, atol=1e-12))
print("θ_20 =", ours[-1], f" L(θ_20) = {functions.bowl(ours[-1], kappa=kappa):.6f}")

# %% [markdown]
# ### How large may the learning rate be?
#
# In several dimensions the second-order expansion reads
# $L(\theta - \eta\nabla L) \approx L - \eta\lVert\nabla L\rVert^2 + \frac{\eta^2}{2}\nabla L^\top H\,\nabla L$,
# with $H$ the **Hessian**, the matrix of second derivatives. For a quadratic each eigen-direction of $H$ behaves like
# the 1-D case with $L'' = \lambda_i$, so gradient descent converges exactly when $0 < \eta < 2/\lambda_{\max}$.
# The bowl has $\lambda = 1$ and $5$, hence $\eta < 0.4$:

# %%
hessian = torch.autograd.functional.hessian(
    lambda t: 0.5 * (t[0] ** 2 + kappa * t[1] ** 2), torch.tensor([0.3, -0.7], dtype=torch.float64))
lam = np.linalg.eigvalsh(hessian.numpy())
print("Hessian eigenvalues (torch autograd):", lam, "  largest stable η = 2/λ_max =", 2 / lam.max())

runs = {eta: optim.run(optim.sgd_step, lambda t: functions.bowl_grad(t, kappa=kappa), [-2.0, 1.0], 20, lr=eta)
        for eta in (0.1, 0.3, 0.39, 0.41)}
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.2))
X2, Y2 = np.meshgrid(np.linspace(-2.2, 2.2, 201), np.linspace(-3, 3, 151))
plot.contour_paths(X2, Y2, functions.bowl(np.stack([X2, Y2]), kappa=kappa),
                   {f"η = {eta}": path for eta, path in runs.items()}, ax=ax1, levels=np.geomspace(0.02, 25, 14),
                   xlabel="$x_1$", ylabel="$x_2$", title="20 steps from (−2, 1)")
plot.loss_vs_step({f"η = {eta}": functions.bowl(path.T, kappa=kappa) for eta, path in runs.items()}, ax=ax2,
                  xlabel="step", ylabel="loss", title="Loss (log scale)")
plt.show()
for eta, path in runs.items():
    print(f"η = {eta}: factors (1 − η, 1 − 5η) = ({1 - eta:.2f}, {1 - 5 * eta:.2f}), "
          f"loss after 20 steps = {functions.bowl(path[-1], kappa=kappa):.4g}")

# %% [markdown]
# $\eta = 0.3$ is fastest here; $\eta = 0.39$ zig-zags across the narrow direction ($x_2$ flips sign with factor
# $-0.95$); $\eta = 0.41$ makes that factor $-1.05$ and the loss grows. The flat direction ($x_1$, $\lambda = 1$)
# would tolerate $\eta < 2$, but the steep one sets the limit: one learning rate for all directions is the problem
# that chapter 07's optimisers address.

# %% [markdown]
# ## 6. Stationary points: minima, maxima and saddles
#
# ### Classifying with the Hessian
#
# A **stationary point** is where $\nabla L = 0$. Gradient descent stops moving there, whatever kind of point it is:
# the gradient is $0$ at a minimum too. The Hessian tells the kinds apart: all eigenvalues positive — a **local
# minimum**; all negative — a local maximum; some positive and some negative — a **saddle point** (up in some
# directions, down in others). SymPy on $f(x, y) = x^3 - 3x + y^3 - 3y$, which has all three kinds:

# %%
X_s, Y_s = sp.symbols("x y", real=True)
cubic = X_s**3 - 3 * X_s + Y_s**3 - 3 * Y_s
kinds = {"minimum": "minimum", "maximum": "maximum", "saddle": "saddle", "degenerate": "degenerate"}
found = symbolic.stationary_points(cubic, [X_s, Y_s])
for point, eigen, kind in found:
    print(f"(x, y) = {point}: Hessian eigenvalues {eigen} -> {kinds[kind]}")
(point, eigen, kind), = symbolic.stationary_points(X_s**2 - Y_s**2, [X_s, Y_s])
print(f"x² − y² at {point}: Hessian eigenvalues {eigen} -> {kinds[kind]}")

# %%
cubic_np = sp.lambdify((X_s, Y_s), cubic, "numpy")
Xc, Yc = np.meshgrid(np.linspace(-2.2, 2.2, 221), np.linspace(-2.2, 2.2, 221))
ax = plot.contour_paths(Xc, Yc, cubic_np(Xc, Yc), levels=25, xlabel="x", ylabel="y",
                        title="$x^3 - 3x + y^3 - 3y$ and its stationary points")
for point, _, kind in found:
    ax.plot(*map(float, point), "ko", markersize=5)
    ax.annotate(kinds[kind], tuple(map(float, point)), textcoords="offset points", xytext=(6, 6))
ax.set_aspect("equal")
plt.show()

# %% [markdown]
# ### Escaping a saddle with a little noise
#
# Is a saddle a dead end? Take $f(x, y) = x^2 + y^4/4 - y^2/2$: a saddle at $(0, 0)$ and two minima at $(0, \pm 1)$.

# %%
saddle_f = X_s**2 + Y_s**4 / 4 - Y_s**2 / 2
for point, eigen, kind in symbolic.stationary_points(saddle_f, [X_s, Y_s]):
    print(f"(x, y) = {point}: Hessian eigenvalues {eigen} -> {kinds[kind]}")


def saddle_grad(t):
    """∇f = (2x, y³ − y) for f = x² + y⁴/4 − y²/2."""
    return np.array([2 * t[0], t[1] ** 3 - t[1]])


# %% [markdown]
# Start gradient descent at $(1.5, 0)$, exactly on the line $y = 0$. There $\partial f/\partial y = 0$, so $y$ stays
# $0$ and the path runs straight into the saddle. Then run it again with a small random disturbance added to each
# gradient (standard deviation $0.01$):

# %%
rng = np.random.default_rng(0)
n_steps, lr = 150, 0.1
clean, noisy = [np.array([1.5, 0.0])], [np.array([1.5, 0.0])]
for _ in range(n_steps):
    clean.append(clean[-1] - lr * saddle_grad(clean[-1]))
    noisy.append(noisy[-1] - lr * (saddle_grad(noisy[-1]) + 0.01 * rng.standard_normal(2)))
clean, noisy = np.array(clean), np.array(noisy)
saddle_np = sp.lambdify((X_s, Y_s), saddle_f, "numpy")
for name, path in (("without noise", clean), ("with noise   ", noisy)):
    print(f"{name}: ends at {np.round(path[-1], 4)}, f = {saddle_np(*path[-1]):.4f}, "
          f"‖∇f‖ = {np.linalg.norm(saddle_grad(path[-1])):.4f}")

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.2))
Xs, Ys = np.meshgrid(np.linspace(-1.6, 1.6, 161), np.linspace(-1.6, 1.6, 161))
plot.contour_paths(Xs, Ys, saddle_np(Xs, Ys), {"with noise": noisy, "without noise": clean}, ax=ax1,
                   levels=np.linspace(-0.2, 2.4, 14), xlabel="x", ylabel="y",
                   title="$f = x^2 + y^4/4 - y^2/2$, saddle at (0, 0)")
plot.loss_vs_step({"with noise": saddle_np(*noisy.T), "without noise": saddle_np(*clean.T)}, ax=ax2, logy=False,
                  xlabel="step", ylabel="f", title="Loss along the two paths")
plt.show()

# %% [markdown]
# Without noise the run ends on the saddle with a gradient of almost $0$: it looks converged, at $f = 0$. With noise
# it leaves: near the saddle $\partial f/\partial y \approx -y$, so each step multiplies a tiny $y$ by $1 + \eta = 1.1$
# and the disturbance grows until the path slides down to a minimum with $f = -0.25$. A saddle is unstable in its
# downhill directions; only a path that starts exactly on the line leading into it stays there. Gradient methods
# with a little noise (and in practice random initialisation) escape saddles.
#
# ### Minibatch noise, not the data loader
#
# Where does the noise come from in training? From **minibatch gradients**: each step uses the gradient of a few
# samples, an unbiased but noisy estimate of the full gradient (chapter 01, section 8). Here is a toy dataset of
# $N = 64$ samples, where sample $i$ has the loss $\ell_i(w) = (w^2 - 1)^2 + b_i w$ and the $b_i$ are spread around
# their mean $0.5$. The full loss $L = \frac1N\sum_i \ell_i = (w^2 - 1)^2 + 0.5w$ has a shallow local minimum near
# $w = 0.93$ and a deeper one near $w = -1.06$.

# %%
rng = np.random.default_rng(0)
N = 64
b = rng.normal(0.0, 4.0, N)
b = b - b.mean() + 0.5


def well_loss(w):
    """L(w) = (1/N) Σ_i ℓ_i(w) = (w² − 1)² + mean(b)·w."""
    return (w**2 - 1) ** 2 + b.mean() * w


def batch_grad(w, idx):
    """Gradient of the mean of ℓ_i over the samples idx (last axis): 4w(w² − 1) + mean(b[idx])."""
    return 4 * w * (w**2 - 1) + b[idx].mean(axis=-1)


def sgd_runs(batch_size, steps=640, runs=200, lr=0.05, seed=1):
    """Minibatch SGD from w = 1.5 for `runs` independent runs; each run reshuffles the data every epoch."""
    shuffle = np.random.default_rng(seed)
    w = np.full(runs, 1.5)
    path = [w]
    per_epoch = N // batch_size
    for step in range(steps):
        if step % per_epoch == 0:
            order = np.argsort(shuffle.random((runs, N)), axis=1)
        j = step % per_epoch
        w = w - lr * batch_grad(w, order[:, j * batch_size:(j + 1) * batch_size])
        path.append(w)
    return np.array(path)


w_grid = np.linspace(-1.6, 1.6, 321)
print(f"local minimum  near w = {w_grid[160:][well_loss(w_grid[160:]).argmin()]:.2f}, "
      f"L = {well_loss(w_grid[160:]).min():.4f}")
print(f"global minimum near w = {w_grid[:160][well_loss(w_grid[:160]).argmin()]:.2f}, "
      f"L = {well_loss(w_grid[:160]).min():.4f}")

# %% [markdown]
# All runs start at $w = 1.5$, to the right of the shallow minimum, with $\eta = 0.05$ and $640$ steps. Compare
# minibatches of $1$, $4$ and $16$ samples, the full batch ($64$), and one more way of using the same data loader: go
# through the batches of $4$, **add up** their gradients (each weighted by $4/64$) and take one step per pass.

# %%
results = {f"batch {size}": sgd_runs(size) for size in (1, 4, 16, 64)}
accumulated = [np.array(1.5)]
loader = np.random.default_rng(2)
for _ in range(640):
    order = loader.permutation(N).reshape(N // 4, 4)
    full_grad = sum(batch_grad(accumulated[-1], idx) * 4 / N for idx in order)
    accumulated.append(accumulated[-1] - 0.05 * full_grad)
accumulated = np.array(accumulated)
print("accumulated batches of 4 = full-batch gradient descent:",
      np.allclose(accumulated, results["batch 64"][:, 0], rtol=0, atol=1e-12))
for name, path in results.items():
    print(f"{name:9}: runs ending in the deeper well: {(path[-1] < 0).mean():6.1%}")
print(f"accumulated: ends at w = {accumulated[-1]:.4f}")

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.2), gridspec_kw={"width_ratios": [1, 2]})
plot.lines(w_grid, {"L(w)": well_loss(w_grid)}, ax=ax1, xlabel="w", ylabel="loss", title="The full loss")
plot.lines(np.arange(641), {name: path[:, 0] for name, path in results.items()} | {"accumulated, batches of 4":
           accumulated}, ax=ax2, xlabel="step", ylabel="w", title="One run of each (deeper well: w < 0)")
ax2.legend(loc="lower left", fontsize="small")
plt.show()

# %% [markdown]
# Full-batch descent stops in the shallow minimum, and so does the accumulated run: it used the same loader and the
# same batches, but its steps are the full-batch steps (equal to within $10^{-12}$). The data loader itself adds no noise.
# Stepping after **each** small batch does: the smaller the batch, the noisier the gradient (its spread shrinks like
# $1/\sqrt{B}$), and with batches of $1$ almost every run hops over the barrier into the deeper well. Batches of $4$
# and $16$ are too quiet for this barrier. The noise is also why two trainings of one model can end at different
# results.

# %% [markdown]
# ## 7. Common pitfalls
#
# - **"Every smooth function equals its Taylor series."** No. $e^{-1/x^2}$ is smooth but every Taylor polynomial at $0$
#   is $0$; $1/(1 + x^2)$ is analytic, but its series at $0$ converges only for $|x| < 1$. Gradient descent needs
#   only the local expansion with a remainder (section 2).
# - **The first-order term is $h'(x_0)(x - x_0)$**, a derivative times the step, not $h'(x_0)$ (section 1).
# - **"A gradient step always lowers the loss, because $-aL'^2 < 0$."** That is the first-order argument. To second
#   order the change is $-aL'^2(1 - aL''/2)$; the loss falls only for a small enough step, for a quadratic exactly when
#   $0 < a < 2/L''$. And $L'^2$ is non-negative, not positive: it is $0$ at stationary points (section 3).
# - **The step goes against the derivative**, $w - aL'$. Lower loss also does not mean higher accuracy: accuracy
#   counts thresholded predictions. A step of gradient descent on the cross-entropy of this logistic model lowers the
#   loss and the accuracy at once:

# %%
x_pts, y_pts = np.array([1.6, 0.5, 2.5, 0.3]), np.array([1.0, 1.0, 0.0, 0.0])


def bce_and_accuracy(w, bias):
    """Mean binary cross-entropy of σ(w·x + bias) (stable form) and the accuracy of thresholding at 0.5."""
    logits = w * x_pts + bias
    return np.mean(np.logaddexp(0, logits) - y_pts * logits), np.mean((logits > 0) == (y_pts == 1))


w, bias = 1.3, -0.6
p_pts = 1 / (1 + np.exp(-(w * x_pts + bias)))
w_new, bias_new = w - 0.5 * np.mean((p_pts - y_pts) * x_pts), bias - 0.5 * np.mean(p_pts - y_pts)
for name, (ww, bb) in (("before", (w, bias)), ("after one step", (w_new, bias_new))):
    loss_value, accuracy = bce_and_accuracy(ww, bb)
    print(f"{name:15}: w = {ww:.4f}, b = {bb:.4f}, loss = {loss_value:.4f}, accuracy = {accuracy:.2f}")

# %% [markdown]
# - **"Δx₁ and Δx₂ move to the same side."** They are independent, each with its own sign; the best step of a given
#   length is $-\varepsilon\nabla L/\lVert\nabla L\rVert$ by Cauchy–Schwarz, and without fixing the length the
#   linearised problem has no minimum (section 4).
# - **"Gradient descent" names the direction $-\nabla L$**, not a gradient that shrinks: on Rosenbrock the gradient
#   norm grew in many steps while the loss fell at every step (section 4).
# - **"At a saddle the derivative is zero, so training is stuck for good."** The gradient is zero at minima too; a
#   saddle is a stationary point whose Hessian has eigenvalues of both signs, and a little noise carries gradient
#   methods away from it (section 6).
# - **"Loading data in batches skips local minima."** The data loader only groups samples. The noise of minibatch
#   **gradients**, used for a step each, is what can carry a run over a barrier (section 6).
#
# ## Summary
#
# - Taylor: $h(x) \approx \sum_k h^{(k)}(x_0)(x - x_0)^k/k!$, a local approximation with a remainder; not every
#   smooth function is analytic, and radii of convergence can be finite.
# - One step: $L(w - aL') = L - aL'^2 + \frac{a^2}{2}L''L'^2 + \dots$; it lowers the loss for small $a > 0$, and for a
#   quadratic exactly when $0 < a < 2/L''$. In $d$ dimensions the limit is $\eta < 2/\lambda_{\max}(H)$.
# - Among steps of length $\varepsilon$, $-\varepsilon\nabla L/\lVert\nabla L\rVert$ lowers the linearised loss most
#   (Cauchy–Schwarz); gradient descent is $\theta \leftarrow \theta - \eta\nabla L$, equal to `torch.optim.SGD`.
# - $\nabla L = 0$ at minima, maxima and saddles; the Hessian's eigenvalues tell them apart; noise from minibatch
#   gradients helps to leave saddles and shallow minima.
#
# **Exercises:** open `exercises/06_taylor_descent.ipynb`.
