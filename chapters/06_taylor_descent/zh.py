# %% [markdown]
# # 06 · 泰勒展开与梯度下降
#
# 梯度下降 (gradient descent) 反复执行同一条规则：让参数沿着损失梯度的**反方向**走一小步。本章解释这条规则为什么能让损失下降，以及什么时候它不能。你将会：
#
# - 用 SymPy 写出泰勒多项式 (Taylor polynomial)，看它们逐渐逼近 $e^x$，并看到泰勒级数 (Taylor series) 在哪里失效；
# - 把 $L(w - aL')$ 展开到二阶，发现只有步长足够小时一步才会降低损失（二次函数的精确条件是 $0 < a < 2/L''$）；
# - 用柯西–施瓦茨不等式 (Cauchy–Schwarz inequality) 证明：在长度固定的所有步子中，$-\nabla L$ 方向下降得最快；
# - 分别手写、用 `mlcourse.optim`、用 `torch.optim.SGD` 运行梯度下降，并找出最大的稳定学习率 (learning rate)；
# - 用海森矩阵 (Hessian) 区分驻点 (stationary point)：极小值点、极大值点和鞍点 (saddle point)，并借助一点噪声逃离鞍点；
# - 看清楚：有帮助的噪声来自小批量 (minibatch) 梯度，而不是数据加载器 (data loader)。
#
# 下面的每一个数字都由旁边的代码算出。

# %%
import mlcourse

mlcourse.setup(seed=0, lang="zh")

import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
import torch

from mlcourse import functions, optim, plot, symbolic

# %% [markdown]
# ## 1. 泰勒公式
#
# 在点 $x_0$ 附近，光滑函数 $h$ 看起来像一个多项式。$n$ 阶**泰勒多项式**是
# $$T_n(x) = \sum_{k=0}^{n} \frac{h^{(k)}(x_0)}{k!}\,(x - x_0)^k
#         = h(x_0) + h'(x_0)\,(x - x_0) + \frac{h''(x_0)}{2}\,(x - x_0)^2 + \dots$$
# 其中 $h^{(k)}$ 是 $k$ 阶导数。每一项都是“导数**乘以步长的幂**”，步长即 $x - x_0$：一阶项是 $h'(x_0)(x - x_0)$，而不是单独的 $h'(x_0)$。SymPy 对一个未知函数 $h$ 写出这个公式：

# %%
x_s, x0_s, formula = symbolic.taylor_formula(3)
formula

# %% [markdown]
# ### $e^x$ 与它的泰勒多项式
#
# $e^x$ 的各阶导数都是 $e^x$，在 $x_0 = 0$ 处都等于 $1$，所以 $T_n(x) = 1 + x + x^2/2! + \dots + x^n/n!$。
# `symbolic.taylor_polynomial` 由各阶导数算出系数：

# %%
x = sp.Symbol("x", real=True)
taylor_exp = {n: symbolic.taylor_polynomial(sp.exp(x), x, 0, n) for n in range(11)}
for n in (1, 2, 5):
    print(f"T_{n}(x) =", taylor_exp[n])
print("与 SymPy 自带的级数展开一致：", all(
    sp.simplify(taylor_exp[n] - sp.series(sp.exp(x), x, 0, n + 1).removeO()) == 0 for n in range(11)))

# %%
grid = np.linspace(-3, 3, 301)
curves = {"$e^x$": np.exp(grid)}
for n in range(1, 6):
    curves[f"$T_{n}$"] = sp.lambdify(x, taylor_exp[n], "numpy")(grid)
ax = plot.lines(grid, curves, xlabel="x", ylabel="y", title="eˣ 及其在 x₀ = 0 处的泰勒多项式")
ax.set_ylim(-4, 20)
plt.show()

# %% [markdown]
# 所有多项式在 $0$ 处都与 $e^x$ 相等。阶数越高，多项式贴合曲线的区间越宽；但离 $x_0$ 足够远时，每一个都会偏离。泰勒多项式是一种**局部**近似。
#
# ### 误差下降得多快
#
# 泰勒定理 (Taylor's theorem) 给出了误差，即**余项** (remainder)：存在介于 $x_0$ 与 $x$ 之间的 $\xi$，使
# $h(x) - T_n(x) = \frac{h^{(n+1)}(\xi)}{(n+1)!}(x - x_0)^{n+1}$。对 $e^x$、$x_0 = 0$，这给出
# $|e^x - T_n(x)| \le e^{\max(x, 0)}\,|x|^{n+1}/(n+1)!$：在 $0$ 附近误差随阶数迅速下降，离得远时下降得慢。

# %%
orders = np.arange(11)
points = (0.5, 1.0, 3.0)
errors = {p: np.array([abs(np.exp(p) - float(taylor_exp[n].subs(x, p))) for n in orders]) for p in points}
bounds = {p: np.exp(max(p, 0)) * abs(p) ** (orders + 1) / np.array([float(sp.factorial(n + 1)) for n in orders])
          for p in points}
ax = plot.lines(orders, {f"x = {p}": errors[p] for p in points}, logy=True, markers=True,
                xlabel="阶数 n", ylabel="$|e^x - T_n(x)|$", title="泰勒多项式的误差随阶数的变化")
plt.show()
for p in points:
    print(f"x = {p}：1 阶误差 = {errors[p][1]:.4g}，5 阶误差 = {errors[p][5]:.4g}，"
          f"10 阶误差 = {errors[p][10]:.4g}")
print("所有误差都在余项的界之内：", all((errors[p] <= bounds[p]).all() for p in points))

# %% [markdown]
# ## 2. 泰勒级数在哪里失效
#
# 人们很容易说“任何光滑函数都等于它的泰勒级数”。这是错的，而且错在两个方面。
#
# **光滑但不解析。** 取 $f(x) = e^{-1/x^2}$，并令 $f(0) = 0$。它处处具有任意阶导数（是**光滑** (smooth) 函数），而 SymPy 算出它的各阶导数在 $x = 0$ 处都趋于 $0$：

# %%
bump = sp.exp(-1 / x**2)
print("f, f', f'', f''', f'''' 在 0 处的极限：", [sp.limit(sp.diff(bump, x, k), x, 0) for k in range(5)])
print("T_4(x) =", symbolic.taylor_polynomial(bump, x, 0, 4))
print(f"但 f(0.5) = e^-4 = {float(bump.subs(x, 0.5)):.4f}，f(1) = {float(bump.subs(x, 1)):.4f}")

# %% [markdown]
# 它在 $0$ 处的每个泰勒多项式都是零函数，而对任何 $x \ne 0$ 都有 $f(x) > 0$：泰勒级数收敛（收敛到 $0$），却不收敛到 $f$。在每一点附近都等于自身泰勒级数的函数叫作**解析** (analytic) 函数；光滑函数不一定解析。
#
# **有限的收敛半径。** $g(x) = 1/(1 + x^2)$ 在整条实数轴上既光滑*又*解析，但它在 $0$ 处的级数
# $1 - x^2 + x^4 - x^6 + \dots$ 只在 $|x| < 1$ 时收敛：

# %%
bell = 1 / (1 + x**2)
taylor_bell = {n: symbolic.taylor_polynomial(bell, x, 0, n) for n in (2, 4, 8, 16)}
print("T_8(x) =", taylor_bell[8])
for p in (0.5, 1.5):
    print(f"g({p}) = {1 / (1 + p * p):.4f}；n = 2, 4, 8, 16 时的 T_n({p})：",
          np.round([float(t.subs(x, p)) for t in taylor_bell.values()], 4))
z = sp.Symbol("z")
print("1 + z² 的复数零点：", sp.solve(1 + z**2, z))

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
grid = np.linspace(-1.6, 1.6, 321)
plot.lines(grid, {"$e^{-1/x^2}$": np.exp(-1 / np.maximum(grid**2, 1e-300)), "0 处的每个 Tₙ": 0 * grid}, ax=ax1,
           xlabel="x", ylabel="y", title="光滑，却不等于自己的泰勒级数")
plot.lines(grid, {"$1/(1+x^2)$": 1 / (1 + grid**2),
                  **{f"$T_{{{n}}}$": sp.lambdify(x, t, "numpy")(grid) for n, t in taylor_bell.items()}},
           ax=ax2, xlabel="x", title="0 处的级数只在 |x| < 1 时收敛")
ax2.axvspan(-1.6, -1, color="0.9", zorder=0)
ax2.axvspan(1, 1.6, color="0.9", zorder=0)
ax2.set_ylim(-1, 2)
plt.show()

# %% [markdown]
# 在 $|x| < 1$ 内，多项式逐渐逼近 $g$；在区间外（阴影部分）它们摆动得越来越厉害。原因在实数轴上看不见：
# $1 + z^2 = 0$ 的根是 $z = \pm i$，所以 $g$ 在复平面上离 $0$ 距离为 $1$ 的地方有极点，这个距离就是**收敛半径** (radius of convergence)。
#
# 梯度下降需要的远比“级数收敛”弱：只要 $L$ 在当前点附近有连续的二阶导数，带余项的泰勒定理就对**小**步长成立。这正是后面几节的论证。

# %% [markdown]
# ## 3. 一维情形：为什么逆着导数走一小步能降低损失
#
# ### 二阶展开
#
# 设 $L(w)$ 是单个参数 $w$ 的损失，$L' = L'(w)$、$L'' = L''(w)$ 是当前点的导数。梯度下降以**学习率** (learning rate)
# $a > 0$ 走到 $w - aL'$，即这一步为 $e = -aL'$。把 $L(w + e)$ 展开到二阶再代入这一步，SymPy 得到

# %%
(a, L0, L1, L2), step_expansion = symbolic.descent_step_expansion()
step_expansion

# %%
sp.factor(step_expansion - L0)

# %% [markdown]
# 即 $L(w - aL') - L(w) = -a L'^2\,\big(1 - \tfrac{a}{2}L''\big) + O(a^3)$。
#
# - $L'^2 \ge 0$（非负；只有在 $L' = 0$ 处才等于 $0$，而那里这一步什么也不做）。
# - 当 $a > 0$ 足够小时，因子 $1 - aL''/2$ 为正，剩下的 $O(a^3)$ 可以忽略，所以损失**下降**。只看一阶（“$-aL'^2 < 0$”）会把这个条件藏起来：当 $L'' > 0$ 且 $a$ 较大时，二阶项 $\tfrac{a^2}{2}L''L'^2$ 占上风。
# - 这一步是**逆着**导数走的。顺着导数走到 $w + aL'$，小步长时损失反而上升。
#
# ### 在 $L(w) = w^4/4$ 上验证
#
# 在 $w = 1$ 处：$L = 1/4$，$L' = 1$，$L'' = 3$。真实的变化量是 $\big((1-a)^4 - 1\big)/4$，它关于 $a$ 的级数前两项恰好就是上面两项：

# %%
quartic = (1 - a) ** 4 / 4 - sp.Rational(1, 4)
print("真实变化量关于 a 的级数：", sp.series(quartic, a, 0, 5))
print("二阶展开的预测：        ", sp.expand((step_expansion - L0).subs({L1: 1, L2: 3})))
print()
print("    a     真实变化      一阶近似     二阶近似")
for step in (0.01, 0.1, 0.5, 1.0, 2.0, 2.5):
    print(f"{step:5.2f}  {((1 - step) ** 4 - 1) / 4:11.4f}  {-step:10.4f}  {-step + 1.5 * step**2:10.4f}")
w0, step = 1.0, 0.1
print(f"\n逆着导数：L({w0} - {step}·L') = {(w0 - step) ** 4 / 4:.4f}；"
      f"顺着导数：L({w0} + {step}·L') = {(w0 + step) ** 4 / 4:.4f}；当前 L = {w0**4 / 4:.4f}")

# %%
a_grid = np.linspace(0, 2.6, 261)
ax = plot.lines(a_grid, {"真实变化": ((1 - a_grid) ** 4 - 1) / 4, "一阶近似 −aL′²": -a_grid,
                         "二阶近似": -a_grid + 1.5 * a_grid**2},
                xlabel="学习率 a", ylabel="$L(w - aL') - L(w)$", reference=0.0,
                title="在 L = w⁴/4 上从 w = 1 走一步")
ax.set_ylim(-0.6, 1.2)
plt.show()

# %% [markdown]
# $a$ 很小时三条曲线重合，变化量为负。一阶直线给人的印象是步子越大越好；真实变化在 $a = 1$ 时最好（一步正好落在极小值点 $w = 0$），在 $a > 2$ 后变为正。二阶曲线抓住了“步子太大会让损失上升”这一点，但预测的上升来得太早：对这个四次函数，一旦 $a$ 不小，三阶和四阶项（$-a^3 + a^4/4$）就不能忽略。
#
# ### 二次函数：精确条件 $0 < a < 2/L''$
#
# 对 $L(w) = \frac{c}{2}(w - w^*)^2$（$c > 0$），展开式没有三阶余项，条件变成精确的。一步让 $w - w^*$ 乘以
# $1 - ac$，于是损失乘以 $(1 - ac)^2$：

# %%
(a_q, c_q), factor, stable = symbolic.quadratic_step()
print("L(w - aL') / L(w) =", factor)
print("损失下降当且仅当 a 属于", stable)

# %% [markdown]
# 由于 $L'' = c$：损失下降当且仅当 $0 < a < 2/L''$。在这个区间内又分三种情形：$a < 1/c$ 单调地靠近 $w^*$；
# $a = 1/c$ 一步到位；$1/c < a < 2/c$ 越过 $w^*$ 来回振荡，但仍然收敛。$a = 2/c$ 时在 $w^* \pm (w_0 - w^*)$
# 之间永远来回跳，$a > 2/c$ 则发散。取 $c = 2$（于是 $2/c = 1$）：

# %%
c, w_start, n_steps = 2.0, 1.0, 12
rates = (0.2, 0.5, 0.8, 1.0, 1.05)
paths = {rate: w_start * (1 - rate * c) ** np.arange(n_steps + 1) for rate in rates}
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
plot.lines(np.arange(n_steps + 1), {f"a = {rate}": p for rate, p in paths.items()}, ax=ax1, markers=True,
           xlabel="步数 k", ylabel="$w_k$", title="L = w²，L″ = 2：每一步走到哪里")
plot.loss_vs_step({f"a = {rate}": c / 2 * p**2 + 1e-30 for rate, p in paths.items()}, ax=ax2,
                  xlabel="步数 k", ylabel="损失", title="损失（对数坐标）")
ax2.set_ylim(1e-12, 1e2)
plt.show()
for rate, p in paths.items():
    print(f"a = {rate:4}：因子 1 - ac = {1 - rate * c:5.2f}，{n_steps} 步后的损失 = {c / 2 * p[-1] ** 2:.4g}")

# %% [markdown]
# $a = 0.2$ 和 $a = 0.8$ 的损失曲线（右图）完全重合：两者都有 $|1 - ac| = 0.6$，一个从同一侧靠近，一个来回交替。（画图时给损失加上 $10^{-30}$，只是为了让 $a = 0.5$ 的精确 $0$ 能画在对数坐标上。）

# %% [markdown]
# ## 4. 多维情形：最陡的方向
#
# ### 线性化的损失，以及各自独立的符号
#
# 现在 $L(\theta)$ 依赖于 $\theta = (x_1, x_2)$。在当前点 $\theta$ 附近，一步 $\Delta = (\Delta_1, \Delta_2)$
# 使损失变为
# $$L(\theta + \Delta) \approx L(\theta) + u\,\Delta_1 + v\,\Delta_2 = L(\theta) + \nabla L \cdot \Delta,
#   \qquad u = \frac{\partial L}{\partial x_1},\; v = \frac{\partial L}{\partial x_2}.$$
# $\Delta_1$ 和 $\Delta_2$ 可以自由选取：不论另一个怎样，每一个都可正可负。哪一步最好？如果不限制步子的大小，这个问题没有答案：$\Delta = -t\nabla L$ 给出 $-t\lVert\nabla L\rVert^2$，想要多负就有多负（直到线性近似失效）。所以要固定长度 $\lVert \Delta \rVert = \varepsilon$，再找让线性化损失下降最多的方向。
#
# 取碗形函数 $L = \frac12(x_1^2 + 5x_2^2)$ 上的点 $\theta = (-1, 0.5)$，这里 $\nabla L = (-1, 2.5)$；尝试长度
# $\varepsilon = 0.1$ 的所有方向：

# %%
kappa = 5.0
theta = np.array([-1.0, 0.5])
g = functions.bowl_grad(theta, kappa=kappa)
eps = 0.1
angles = np.linspace(0, 360, 3601)
steps = eps * np.stack([np.cos(np.radians(angles)), np.sin(np.radians(angles))], axis=1)
change = steps @ g
best = steps[change.argmin()]
print("梯度 ∇L =", g)
print("试遍 3601 个方向找到的最佳一步：", np.round(best, 4))
print("−ε∇L/‖∇L‖ =                    ", np.round(-eps * g / np.linalg.norm(g), 4))
print(f"线性化损失的最小变化 {change.min():.4f} = −ε‖∇L‖ = {-eps * np.linalg.norm(g):.4f}")
print("(Δ1, Δ2) 的符号：", np.sign(best))

# %%
ax = plot.lines(angles, {"∇L·Δ": change}, xlabel="Δ 的方向（度）", ylabel="线性化的变化量",
                title="从 (−1, 0.5) 出发、长度为 0.1 的所有步子")
ax.axvline(np.degrees(np.arctan2(-g[1], -g[0])) % 360, color="crimson", linestyle=":", label="−∇L 的方向")
ax.legend()
plt.show()

# %% [markdown]
# 最佳一步的 $\Delta_1 > 0$、$\Delta_2 < 0$：符号相反，各自由自己的偏导数决定。
#
# ### 柯西–施瓦茨不等式
#
# 柯西–施瓦茨不等式说 $|\nabla L \cdot \Delta| \le \lVert\nabla L\rVert\,\lVert\Delta\rVert$，只有当 $\Delta$ 与
# $\nabla L$ 平行时取等号。因此对 $\lVert\Delta\rVert = \varepsilon$ 有
# $$\nabla L\cdot\Delta \;\ge\; -\varepsilon\,\lVert\nabla L\rVert, \qquad \text{等号当且仅当 }
#   \Delta = -\varepsilon\,\frac{\nabla L}{\lVert\nabla L\rVert}.$$
# SymPy 用拉格朗日乘子 (Lagrange multiplier) 得到同样的结论（在 $\Delta_1^2 + \Delta_2^2 = \varepsilon^2$ 的约束下最小化 $u\Delta_1 + v\Delta_2$）：

# %%
(u_s, v_s, eps_s), best_step, best_value = symbolic.steepest_direction()
best_step, best_value

# %% [markdown]
# $-\nabla L$ 的方向就是**最速下降** (steepest descent) 方向。梯度下降沿着它走一步，步长与 $\lVert\nabla L\rVert$
# 成正比：$\theta \leftarrow \theta - \eta\nabla L$。
#
# ### 梯度场
#
# 在碗形函数的等高线 (contour line) 上把 $-\nabla L$ 画成箭头。每个箭头都垂直于经过其起点的等高线（两轴比例相同时看得出来），指向下坡，并且在损失越陡的地方越长。梯度下降的路径顺着箭头走：

# %%
xs, ys = np.linspace(-2.2, 2.2, 201), np.linspace(-1.2, 1.2, 121)
X, Y = np.meshgrid(xs, ys)
Z = functions.bowl(np.stack([X, Y]), kappa=kappa)
Xf, Yf = np.meshgrid(np.linspace(-2, 2, 11), np.linspace(-1, 1, 7))
U, V = -functions.bowl_grad(np.stack([Xf, Yf]), kappa=kappa)
gd_path = optim.run(optim.sgd_step, lambda t: functions.bowl_grad(t, kappa=kappa), [-2.0, 1.0], 40, lr=0.1)
ax = plot.contour_paths(X, Y, Z, {"梯度下降，η = 0.1": gd_path}, levels=np.geomspace(0.02, 6, 12),
                        field=(Xf, Yf, U, V),
                        minimum=(0, 0), minimum_label="极小值点", xlabel="$x_1$", ylabel="$x_2$",
                        title="L = (x₁² + 5x₂²)/2 的 −∇L")
ax.set_aspect("equal")
plt.show()

# %% [markdown]
# ### “下降”指的是方向
#
# “梯度下降”指沿着 $-\nabla L$ 走，并不是说梯度每一步都在变小。在 Rosenbrock 函数 $L = (1 - x)^2 + 100(y - x^2)^2$
# （一条弯曲的山谷）上，学习率 $\eta = 10^{-3}$ 的普通梯度下降每一步都让损失下降，而 $\lVert\nabla L\rVert$ 却常常变大：

# %%
rosen_path = optim.run(optim.sgd_step, functions.rosenbrock_grad, [-1.2, 1.0], 2000, lr=1e-3)
rosen_loss = functions.rosenbrock(rosen_path.T)
rosen_grad_norm = np.linalg.norm(functions.rosenbrock_grad(rosen_path.T), axis=0)
print("损失每一步都下降：", bool((np.diff(rosen_loss) < 0).all()))
print("‖∇L‖ 变大的步数：", int((np.diff(rosen_grad_norm) > 0).sum()), "/", rosen_path.shape[0] - 1)
print(f"损失 {rosen_loss[0]:.4f} -> {rosen_loss[-1]:.4f}；‖∇L‖ {rosen_grad_norm[0]:.4f} -> {rosen_grad_norm[-1]:.4f}")
plot.lines(np.arange(rosen_loss.size), {"损失 L": rosen_loss, "梯度范数 ‖∇L‖": rosen_grad_norm}, logy=True,
           xlabel="步数", title="Rosenbrock 函数上的梯度下降，η = 0.001")
plt.show()

# %% [markdown]
# 路径一旦进入山谷，梯度就很小；沿着弯曲的谷底前进时，随着路径转弯，梯度时而变大时而变小，而损失一直在下降。

# %% [markdown]
# ## 5. 梯度下降算法
#
# 训练要找的是 $\theta^* = \operatorname{argmin}_\theta L(\theta)$，即损失最小处的参数（argmin 返回最小值所在的位置，而不是最小值本身）。梯度下降：
#
# 1. 从 $\theta_0$ 出发，选定学习率 $\eta > 0$；
# 2. 对 $k = 0, 1, 2, \dots$ 重复：$\theta_{k+1} = \theta_k - \eta\,\nabla L(\theta_k)$；
# 3. 走满固定步数后停止，或者在 $\lVert\nabla L\rVert$ 或 $L$ 的下降量很小时停止。
#
# ### 二维二次函数上的完整示例
#
# 在碗形函数 $L = \frac12(x_1^2 + 5x_2^2)$ 上，梯度是 $(x_1, 5x_2)$，所以一步让 $x_1$ 乘以 $1 - \eta$，让 $x_2$
# 乘以 $1 - 5\eta$。取 $\eta = 0.1$，从 $\theta_0 = (-2, 1)$ 出发：

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
# $x_2$ 每步减半（$1 - 5\cdot 0.1 = 0.5$），$x_1$ 每步只缩小 $10\%$：陡的方向收敛快，平的方向收敛慢。再用三种方式算同一个过程：闭式解 (closed form)、`mlcourse.optim.sgd_step`（不带动量的 SGD 正是这个更新），以及 PyTorch 的
# `torch.optim.SGD`（float64）：

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

print("手写循环 = optim.run：      ", np.allclose(np.array(history), ours[:7], rtol=0, atol=1e-15))
print("optim.run = 闭式解：        ", np.allclose(ours, closed_form, rtol=0, atol=1e-12))
print("optim.run = torch.optim.SGD：", np.allclose(ours, torch_path, rtol=0, atol=1e-12))
print("θ_20 =", ours[-1], f" L(θ_20) = {functions.bowl(ours[-1], kappa=kappa):.6f}")

# %% [markdown]
# ### 学习率最大可以取多少？
#
# 多维情形下的二阶展开是
# $L(\theta - \eta\nabla L) \approx L - \eta\lVert\nabla L\rVert^2 + \frac{\eta^2}{2}\nabla L^\top H\,\nabla L$，其中 $H$ 是**海森矩阵**，即二阶导数组成的矩阵。对二次函数，$H$ 的每个特征方向都像 $L'' = \lambda_i$ 的一维情形，所以梯度下降收敛当且仅当 $0 < \eta < 2/\lambda_{\max}$。这个碗形函数的 $\lambda = 1$ 和 $5$，因此 $\eta < 0.4$：

# %%
hessian = torch.autograd.functional.hessian(
    lambda t: 0.5 * (t[0] ** 2 + kappa * t[1] ** 2), torch.tensor([0.3, -0.7], dtype=torch.float64))
lam = np.linalg.eigvalsh(hessian.numpy())
print("海森矩阵的特征值（torch 自动求导）：", lam, "  最大稳定学习率 η = 2/λ_max =", 2 / lam.max())

runs = {eta: optim.run(optim.sgd_step, lambda t: functions.bowl_grad(t, kappa=kappa), [-2.0, 1.0], 20, lr=eta)
        for eta in (0.1, 0.3, 0.39, 0.41)}
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.2))
X2, Y2 = np.meshgrid(np.linspace(-2.2, 2.2, 201), np.linspace(-3, 3, 151))
plot.contour_paths(X2, Y2, functions.bowl(np.stack([X2, Y2]), kappa=kappa),
                   {f"η = {eta}": path for eta, path in runs.items()}, ax=ax1, levels=np.geomspace(0.02, 25, 14),
                   xlabel="$x_1$", ylabel="$x_2$", title="从 (−2, 1) 出发走 20 步")
plot.loss_vs_step({f"η = {eta}": functions.bowl(path.T, kappa=kappa) for eta, path in runs.items()}, ax=ax2,
                  xlabel="步数", ylabel="损失", title="损失（对数坐标）")
plt.show()
for eta, path in runs.items():
    print(f"η = {eta}：因子 (1 − η, 1 − 5η) = ({1 - eta:.2f}, {1 - 5 * eta:.2f})，"
          f"20 步后的损失 = {functions.bowl(path[-1], kappa=kappa):.4g}")

# %% [markdown]
# 这里 $\eta = 0.3$ 最快；$\eta = 0.39$ 在窄的方向上来回折返（$x_2$ 以因子 $-0.95$ 不断变号）；$\eta = 0.41$ 让这个因子变成 $-1.05$，损失随之增长。平的方向（$x_1$，$\lambda = 1$）本可以承受 $\eta < 2$，但上限由陡的方向决定：所有方向共用一个学习率，正是第 07 章的优化器 (optimiser) 要解决的问题。

# %% [markdown]
# ## 6. 驻点：极小值点、极大值点和鞍点
#
# ### 用海森矩阵分类
#
# **驻点**是 $\nabla L = 0$ 的点。不论是哪种驻点，梯度下降到了那里都不再移动：在极小值点梯度同样为 $0$。海森矩阵能区分它们：特征值全为正——**局部极小值点** (local minimum)；全为负——局部极大值点；有正有负——**鞍点**（在某些方向上坡，在另一些方向下坡）。SymPy 分析 $f(x, y) = x^3 - 3x + y^3 - 3y$，它三种驻点都有：

# %%
X_s, Y_s = sp.symbols("x y", real=True)
cubic = X_s**3 - 3 * X_s + Y_s**3 - 3 * Y_s
kinds = {"minimum": "极小值点", "maximum": "极大值点", "saddle": "鞍点", "degenerate": "退化（需更高阶判断）"}
found = symbolic.stationary_points(cubic, [X_s, Y_s])
for point, eigen, kind in found:
    print(f"(x, y) = {point}：海森矩阵特征值 {eigen} -> {kinds[kind]}")
(point, eigen, kind), = symbolic.stationary_points(X_s**2 - Y_s**2, [X_s, Y_s])
print(f"x² − y² 在 {point}：海森矩阵特征值 {eigen} -> {kinds[kind]}")

# %%
cubic_np = sp.lambdify((X_s, Y_s), cubic, "numpy")
Xc, Yc = np.meshgrid(np.linspace(-2.2, 2.2, 221), np.linspace(-2.2, 2.2, 221))
ax = plot.contour_paths(Xc, Yc, cubic_np(Xc, Yc), levels=25, xlabel="x", ylabel="y",
                        title="x³ − 3x + y³ − 3y 及其驻点")
for point, _, kind in found:
    ax.plot(*map(float, point), "ko", markersize=5)
    ax.annotate(kinds[kind], tuple(map(float, point)), textcoords="offset points", xytext=(6, 6))
ax.set_aspect("equal")
plt.show()

# %% [markdown]
# ### 借助一点噪声逃离鞍点
#
# 鞍点是死胡同吗？取 $f(x, y) = x^2 + y^4/4 - y^2/2$：$(0, 0)$ 是鞍点，$(0, \pm 1)$ 是两个极小值点。

# %%
saddle_f = X_s**2 + Y_s**4 / 4 - Y_s**2 / 2
for point, eigen, kind in symbolic.stationary_points(saddle_f, [X_s, Y_s]):
    print(f"(x, y) = {point}：海森矩阵特征值 {eigen} -> {kinds[kind]}")


def saddle_grad(t):
    """∇f = (2x, y³ − y)，f = x² + y⁴/4 − y²/2。"""
    return np.array([2 * t[0], t[1] ** 3 - t[1]])


# %% [markdown]
# 从 $(1.5, 0)$ 开始梯度下降，这一点恰好在直线 $y = 0$ 上。那里 $\partial f/\partial y = 0$，所以 $y$ 一直是 $0$，路径径直走进鞍点。再运行一次，这次给每个梯度加上一点随机扰动（标准差 $0.01$）：

# %%
rng = np.random.default_rng(0)
n_steps, lr = 150, 0.1
clean, noisy = [np.array([1.5, 0.0])], [np.array([1.5, 0.0])]
for _ in range(n_steps):
    clean.append(clean[-1] - lr * saddle_grad(clean[-1]))
    noisy.append(noisy[-1] - lr * (saddle_grad(noisy[-1]) + 0.01 * rng.standard_normal(2)))
clean, noisy = np.array(clean), np.array(noisy)
saddle_np = sp.lambdify((X_s, Y_s), saddle_f, "numpy")
for name, path in (("无噪声", clean), ("有噪声", noisy)):
    print(f"{name}：停在 {np.round(path[-1], 4)}，f = {saddle_np(*path[-1]):.4f}，"
          f"‖∇f‖ = {np.linalg.norm(saddle_grad(path[-1])):.4f}")

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.2))
Xs, Ys = np.meshgrid(np.linspace(-1.6, 1.6, 161), np.linspace(-1.6, 1.6, 161))
plot.contour_paths(Xs, Ys, saddle_np(Xs, Ys), {"有噪声": noisy, "无噪声": clean}, ax=ax1,
                   levels=np.linspace(-0.2, 2.4, 14), xlabel="x", ylabel="y",
                   title="f = x² + y⁴/4 − y²/2，鞍点在 (0, 0)")
plot.loss_vs_step({"有噪声": saddle_np(*noisy.T), "无噪声": saddle_np(*clean.T)}, ax=ax2, logy=False,
                  xlabel="步数", ylabel="f", title="两条路径上的损失")
plt.show()

# %% [markdown]
# 没有噪声时，运行停在鞍点上，梯度几乎为 $0$：看上去已经收敛，$f = 0$。有噪声时它会离开：在鞍点附近
# $\partial f/\partial y \approx -y$，所以每一步把微小的 $y$ 乘以 $1 + \eta = 1.1$，扰动不断放大，直到路径滑到
# $f = -0.25$ 的极小值点。鞍点在它的下坡方向上是不稳定的；只有恰好从通向它的那条线上出发的路径才会停在那里。带一点噪声的梯度方法（实践中还有随机初始化）能够逃离鞍点。
#
# ### 噪声来自小批量梯度，而不是数据加载器
#
# 训练中的噪声从哪里来？来自**小批量梯度**：每一步只用几个样本的梯度，它是全量梯度 (full gradient) 的无偏但带噪声的估计（第 01 章第 8 节）。下面是一个含 $N = 64$ 个样本的玩具数据集：样本 $i$ 的损失为 $\ell_i(w) = (w^2 - 1)^2 + b_i w$，各个 $b_i$ 分散在均值 $0.5$ 周围。总损失 $L = \frac1N\sum_i \ell_i = (w^2 - 1)^2 + 0.5w$ 在 $w = 0.93$ 附近有一个较浅的局部极小值点，在 $w = -1.06$ 附近有一个更深的。

# %%
rng = np.random.default_rng(0)
N = 64
b = rng.normal(0.0, 4.0, N)
b = b - b.mean() + 0.5


def well_loss(w):
    """L(w) = (1/N) Σ_i ℓ_i(w) = (w² − 1)² + mean(b)·w。"""
    return (w**2 - 1) ** 2 + b.mean() * w


def batch_grad(w, idx):
    """样本 idx（最后一个轴）上 ℓ_i 平均值的梯度：4w(w² − 1) + mean(b[idx])。"""
    return 4 * w * (w**2 - 1) + b[idx].mean(axis=-1)


def sgd_runs(batch_size, steps=640, runs=200, lr=0.05, seed=1):
    """从 w = 1.5 出发独立运行 `runs` 次小批量 SGD；每次运行在每轮 (epoch) 开始时重新打乱数据。"""
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
print(f"局部极小值点在 w = {w_grid[160:][well_loss(w_grid[160:]).argmin()]:.2f} 附近，"
      f"L = {well_loss(w_grid[160:]).min():.4f}")
print(f"全局最小值点在 w = {w_grid[:160][well_loss(w_grid[:160]).argmin()]:.2f} 附近，"
      f"L = {well_loss(w_grid[:160]).min():.4f}")

# %% [markdown]
# 所有运行都从较浅极小值点右侧的 $w = 1.5$ 出发，$\eta = 0.05$，走 $640$ 步。比较批量大小为 $1$、$4$、$16$ 的小批量、全量批次（$64$），以及同一个数据加载器的另一种用法：依次取出大小为 $4$ 的批次，把它们的梯度**累加**起来（各乘以 $4/64$），每遍历一遍数据只走一步。

# %%
results = {f"批量 {size}": sgd_runs(size) for size in (1, 4, 16, 64)}
accumulated = [np.array(1.5)]
loader = np.random.default_rng(2)
for _ in range(640):
    order = loader.permutation(N).reshape(N // 4, 4)
    full_grad = sum(batch_grad(accumulated[-1], idx) * 4 / N for idx in order)
    accumulated.append(accumulated[-1] - 0.05 * full_grad)
accumulated = np.array(accumulated)
print("累加大小为 4 的批次 = 全量梯度下降：",
      np.allclose(accumulated, results["批量 64"][:, 0], rtol=0, atol=1e-12))
for name, path in results.items():
    print(f"{name:6}：最终落在更深处的运行占比 {(path[-1] < 0).mean():6.1%}")
print(f"累加梯度：停在 w = {accumulated[-1]:.4f}")

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.2), gridspec_kw={"width_ratios": [1, 2]})
plot.lines(w_grid, {"L(w)": well_loss(w_grid)}, ax=ax1, xlabel="w", ylabel="损失", title="总损失")
plot.lines(np.arange(641), {name: path[:, 0] for name, path in results.items()} | {"累加梯度，批量 4":
           accumulated}, ax=ax2, xlabel="步数", ylabel="w", title="每种设置各取一次运行（更深的谷：w < 0）")
ax2.legend(loc="lower left", fontsize="small")
plt.show()

# %% [markdown]
# 全量梯度下降停在较浅的极小值点，累加梯度的运行也一样：它用的是同一个数据加载器、同样的批次，但每一步都正是全量梯度的一步（误差在 $10^{-12}$ 以内）。数据加载器本身不带来噪声。**每个**小批次之后就更新一次参数才会带来噪声：批量越小，梯度噪声越大（噪声的标准差与 $1/\sqrt{B}$ 成正比），批量为 $1$ 时几乎每次运行都越过势垒 (barrier)，进入更深的谷。对这个势垒来说，批量 $4$ 和 $16$ 的噪声太小。同一个模型训练两次结果不同，原因之一也是这种噪声。

# %% [markdown]
# ## 7. 常见误区
#
# - **“任何光滑函数都等于它的泰勒级数。”** 不对。$e^{-1/x^2}$ 是光滑的，但它在 $0$ 处的每个泰勒多项式都是 $0$；
#   $1/(1 + x^2)$ 是解析的，但它在 $0$ 处的级数只在 $|x| < 1$ 时收敛。梯度下降只需要带余项的局部展开（第 2 节）。
# - **一阶项是 $h'(x_0)(x - x_0)$**，即导数乘以步长，而不是 $h'(x_0)$（第 1 节）。
# - **“梯度下降的一步总会降低损失，因为 $-aL'^2 < 0$。”** 这只是一阶论证。到二阶，变化量是 $-aL'^2(1 - aL''/2)$；只有步长足够小时损失才下降，对二次函数恰好是 $0 < a < 2/L''$。另外 $L'^2$ 是非负的，而不是正的：在驻点处它等于
#   $0$（第 3 节）。
# - **这一步是逆着导数走的**：$w - aL'$。损失下降也不等于准确率 (accuracy) 上升：准确率统计的是按阈值判定后的预测。对下面这个逻辑回归 (logistic regression) 模型的交叉熵 (cross-entropy) 做一步梯度下降，损失和准确率同时下降：

# %%
x_pts, y_pts = np.array([1.6, 0.5, 2.5, 0.3]), np.array([1.0, 1.0, 0.0, 0.0])


def bce_and_accuracy(w, bias):
    """σ(w·x + bias) 的平均二元交叉熵（稳定形式），以及以 0.5 为阈值的准确率。"""
    logits = w * x_pts + bias
    return np.mean(np.logaddexp(0, logits) - y_pts * logits), np.mean((logits > 0) == (y_pts == 1))


w, bias = 1.3, -0.6
p_pts = 1 / (1 + np.exp(-(w * x_pts + bias)))
w_new, bias_new = w - 0.5 * np.mean((p_pts - y_pts) * x_pts), bias - 0.5 * np.mean(p_pts - y_pts)
for name, (ww, bb) in (("更新前", (w, bias)), ("一步之后", (w_new, bias_new))):
    loss_value, accuracy = bce_and_accuracy(ww, bb)
    print(f"{name:6}：w = {ww:.4f}，b = {bb:.4f}，损失 = {loss_value:.4f}，准确率 = {accuracy:.2f}")

# %% [markdown]
# - **“Δx₁ 和 Δx₂ 只会落在同一侧。”** 它们相互独立，各有各的符号；由柯西–施瓦茨不等式，给定长度下最好的一步是
#   $-\varepsilon\nabla L/\lVert\nabla L\rVert$；如果不固定长度，线性化的问题根本没有最小值（第 4 节）。
# - **“梯度下降”说的是方向 $-\nabla L$**，而不是梯度越来越小：在 Rosenbrock 函数上，损失每一步都在下降，梯度范数却在许多步里变大了（第 4 节）。
# - **“鞍点处导数为 0，训练就永远卡死了。”** 在极小值点梯度同样为 0；鞍点是海森矩阵特征值有正有负的驻点，一点噪声就能把梯度方法带离它（第 6 节）。
# - **“分批加载数据能跳过局部极小值。”** 数据加载器只是把样本分组。真正可能把运行带过势垒的，是每个小批次各自用来更新一步的小批量**梯度**中的噪声（第 6 节）。
#
# ## 小结
#
# - 泰勒公式：$h(x) \approx \sum_k h^{(k)}(x_0)(x - x_0)^k/k!$，是带余项的局部近似；光滑函数不一定解析，收敛半径也可能有限。
# - 一步梯度下降：$L(w - aL') = L - aL'^2 + \frac{a^2}{2}L''L'^2 + \dots$；$a > 0$ 足够小时损失下降，对二次函数恰好在 $0 < a < 2/L''$ 时下降。$d$ 维时的上限是 $\eta < 2/\lambda_{\max}(H)$。
# - 在长度为 $\varepsilon$ 的所有步子中，$-\varepsilon\nabla L/\lVert\nabla L\rVert$ 让线性化损失下降最多（柯西–施瓦茨不等式）；梯度下降就是 $\theta \leftarrow \theta - \eta\nabla L$，与 `torch.optim.SGD` 一致。
# - 极小值点、极大值点和鞍点处都有 $\nabla L = 0$，海森矩阵的特征值能区分它们；小批量梯度的噪声有助于离开鞍点和较浅的极小值点。
#
# **练习：** 打开 `exercises/06_taylor_descent.ipynb`。
