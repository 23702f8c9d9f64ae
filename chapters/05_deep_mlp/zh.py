# %% [markdown]
# # 05 · 识别手写数字的深层 MLP 分类器
#
# 第 04 章用手算和一个极小的引擎计算梯度。现在把这件事交给 PyTorch，训练一个真正的分类器：一个有五个线性层的多层感知机 (multi-layer perceptron, MLP)，它读入手写数字图像，判断每张图是哪个数字。你将会：
#
# - 载入图像，查看像素值并做缩放（弄清“缩放”做了什么、没做什么）；
# - 用 `DataLoader` 把数据打乱后按小批量 (minibatch) 送进网络；
# - 搭建 784（或 64）→ 256 → 128 → 64 → 20 → 10 的 ReLU 网络，用 SGD 和 `nn.CrossEntropyLoss` 通过
#   `mlcourse.train` 训练，并读懂四条训练曲线；
# - 正确地评估：不计算梯度，准确率 (accuracy) = 正确数 / 总数；再用 `argmax` 把输出变成预测，查看分错的图像；
# - 明白为什么损失的最小值不一定是 0；
# - 只改一个变量，就把整个笔记本从自带的 8×8 数字切换到真正的 MNIST 文件。
#
# 下面的每一个数字都由旁边的代码算出。

# %%
import mlcourse

mlcourse.setup(seed=0, lang="zh")

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

from mlcourse import data, info, plot, softmax
from mlcourse.train import evaluate, fit, make_loaders, predict

# %% [markdown]
# ## 1. 数据
#
# 本课程离线运行，所以默认使用 scikit-learn 自带的 **8×8 手写数字**：1797 张小灰度图，内容是数字 0–9。经典的
# **MNIST** 数据集（70 000 张 28×28 像素的图像）没有随课程提供，第 9 节说明如何使用它。用一个变量选择数据集，后面的一切都随之调整。

# %%
DATASET = "digits"  # "mnist"：真正的 MNIST 文件，见第 9 节
BATCH_SIZE, EPOCHS = (16, 40) if DATASET == "digits" else (64, 20)

if DATASET == "mnist":
    raw = data.load_mnist(scale=None)
    max_grey = 255.0
else:
    raw = data.load_digits(scale=None)
    max_grey = 16.0
print(f"{DATASET}：{raw.X_train.shape[0]} 张训练图像、{raw.X_test.shape[0]} 张测试图像，每张 "
      f"{raw.images_train.shape[1]}×{raw.images_train.shape[2]} 像素")
print("出现过的像素值：", np.unique(raw.images_train).astype(int))
print("标签：", np.unique(raw.y_train), " 训练集中每类的图像数：", np.bincount(raw.y_train))

# %%
plot.image_grid(raw.images_train[:16], [str(label) for label in raw.y_train[:16]], ncols=8,
                title="训练图像及其标签")
plt.show()

# %% [markdown]
# 每个像素是一个**灰度值** (grey level)，而不是 0/1：这里是 0（背景）到 16（全是墨迹）的整数，因为每个像素统计的是一张更大扫描图中一个 4×4 小块里有墨迹的点数。MNIST 用一个字节（`uint8`）存一个像素，灰度值从 0 到 255。一张 $h \times w$
# 像素的图像按行依次读出，变成一个 $h\cdot w$ 维向量（这里是 64，MNIST 是 784）；MLP 看到的只是这个向量。

# %% [markdown]
# ### 像素缩放
#
# 输入是接近 0、数值不大的数时，网络更好训练。三种常见做法，其中 $m$ 是最大灰度值：
#
# - **unit**：$x/m \in [0, 1]$；
# - **symmetric**：$(x/m - 0.5)/0.5 \in [-1, 1]$，也就是 `ToTensor()` 之后再 `transforms.Normalize(0.5, 0.5)` 的效果；
# - **standard**：对每个像素 $j$ 计算 $(x - \mu_j)/\sigma_j$，$\mu_j$ 和 $\sigma_j$ 是该像素在*训练*图像上的均值和标准差：每个像素均值为 0、方差为 1。
#
# 只有最后一种才是标准化 (standardisation)。symmetric 缩放只是把区间 $[0, m]$ 固定地线性映射到 $[-1, 1]$，结果的均值和标准差由图像本身决定：

# %%
print(f"{'缩放方式':6s} {'最小':>5s} {'最大':>5s} {'均值':>5s} {'标准差':>4s}  第 36 个像素的均值 / 标准差")
for scale in ("unit", "symmetric", "standard"):
    X_scaled, _ = data.scale_pixels(raw.X_train, raw.X_test, scale, max_grey)
    print(f"{scale:10s} {X_scaled.min():7.3f} {X_scaled.max():7.3f} {X_scaled.mean():7.3f} {X_scaled.std():7.3f}"
          f"  {X_scaled[:, 36].mean():6.3f} / {X_scaled[:, 36].std():.3f}")

# %% [markdown]
# 对这个网络，三种方式都可以。我们采用 symmetric 缩放，也就是原始 MNIST 示例用的那种。无论选哪种，它的参数（这里是固定的 $m$；standard 则是训练集的均值和标准差）在训练图像和测试图像上必须相同。

# %%
split = data.load_mnist(scale="symmetric") if DATASET == "mnist" else data.load_digits(scale="symmetric")
print("特征：", split.X_train.shape, split.X_train.dtype, " 取值范围：", split.X_train.min(), "…", split.X_train.max())

# %% [markdown]
# ## 2. 用 DataLoader 生成小批量
#
# 训练使用**小批量**：一小组图像的平均损失给出一步梯度更新。PyTorch 的 `DataLoader` 把数据切成批量，训练时每一**轮** (epoch) 都重新打乱顺序，一轮就是把训练集完整地过一遍。`mlcourse.train.make_loaders` 从 numpy 数组构造这两个加载器：
#
# - 特征变成 `float32` 张量，标签变成 `int64`（`nn.CrossEntropyLoss` 需要的类型）；
# - 训练顺序来自一个设定了种子的随机数生成器，所以每次运行结果相同；
# - `num_workers=0`：批量在笔记本自己的进程里组装（只有读取代价很高时，比如解码图像文件，额外的工作进程才划算）。
#
# 原始 MNIST 示例的批量大小 (batch size) 是 64。8×8 数字只有 1347 张训练图像，批量为 64 时每轮只有 22 步，所以这里用 16 张一批。

# %%
train_loader, test_loader = make_loaders(split.X_train, split.y_train, split.X_test, split.y_test,
                                         batch_size=BATCH_SIZE, test_batch_size=256, seed=0)
sizes = [len(y_batch) for _, y_batch in train_loader]
print(f"每轮 {len(sizes)} 个训练批量：每批 {sizes[0]} 张图像，最后一批 {sizes[-1]} 张")
X_batch, y_batch = next(iter(train_loader))
print("一个批量：", tuple(X_batch.shape), X_batch.dtype, "标签", tuple(y_batch.shape), y_batch.dtype)
print("两轮中最先出现的标签：", [y.tolist()[:8] for y in (next(iter(train_loader))[1], next(iter(train_loader))[1])])

# %% [markdown]
# ## 3. 网络
#
# 五个线性层，层间用 ReLU；宽度 256 → 128 → 64 → 20 → 10 与原始 MNIST 示例相同，输入宽度等于像素数。

# %%
n_in = split.X_train.shape[1]  # 8×8 数字为 64，MNIST 为 784
model = nn.Sequential(
    nn.Linear(n_in, 256), nn.ReLU(),
    nn.Linear(256, 128), nn.ReLU(),
    nn.Linear(128, 64), nn.ReLU(),
    nn.Linear(64, 20), nn.ReLU(),
    nn.Linear(20, 10),
)
print(model)
print("参数个数：", sum(p.numel() for p in model.parameters()))

# %% [markdown]
# 最后一层没有激活函数：它输出 10 个 **logits**（未归一化得分）$z$，每个数字一个分数。`nn.CrossEntropyLoss`
# 自己会做 log-softmax，计算 $L = -\frac1N\sum_n \ln \mathrm{softmax}(z_n)_{y_n}$，所以网络末尾*不能*再加
# softmax（否则会做两次）。用 float64 与第 03 章的函数对照：

# %%
z_check = torch.randn(5, 10, dtype=torch.float64)
y_check = torch.tensor([3, 1, 4, 1, 5])
torch_loss = nn.CrossEntropyLoss()(z_check, y_check).item()
print(f"nn.CrossEntropyLoss = {torch_loss:.6f}；与 softmax.softmax_cross_entropy 相等：",
      abs(torch_loss - softmax.softmax_cross_entropy(z_check.numpy(), y_check.numpy())) < 1e-12)

# %% [markdown]
# 训练之前，随机初始化的网络并不比瞎猜强：准确率约 10 %，损失约为 $\ln 10 = 2.3026$，即对每一类都预测 $1/10$
# 时的损失。

# %%
loss0, acc0 = evaluate(model, test_loader)
print(f"未训练：测试损失 {loss0:.4f}（ln 10 = {np.log(10):.4f}），测试准确率 {acc0:.4f}")

# %% [markdown]
# ## 4. 训练
#
# 训练一**轮**：对每个小批量，计算 logits（前向）和平均损失，把旧梯度清零，反向传播，再让优化器 (optimiser) 走一步 $w \leftarrow w - \eta\,\partial L/\partial w$，学习率 (learning rate) $\eta = 0.1$（与原始示例一样用普通
# SGD）。每轮结束后在测试集上评估。`mlcourse.train.fit` 做的正是这些（可以读一读它的源码，很短），并返回每轮四个数的训练记录。运行时它会显示一个进度条，结束后进度条自动消失。

# %%
# NBVAL_IGNORE_OUTPUT
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
history = fit(model, train_loader, test_loader, optimizer, epochs=EPOCHS)

# %%
assert history.epochs == EPOCHS and len(history.test_acc) == EPOCHS
print(f"训练 {history.epochs} 轮后：训练损失 {history.train_loss[-1]:.4f}，训练准确率 "
      f"{history.train_acc[-1]:.4f}")
print(f"                测试损失 {history.test_loss[-1]:.4f}，测试准确率 {history.test_acc[-1]:.4f}")
print("测试准确率至少 97 %：", history.test_acc[-1] >= 0.97)

# %% [markdown]
# ## 5. 读懂训练曲线

# %%
plot.history_curves(history, train_label="训练集", test_label="测试集", loss_title="损失（平均交叉熵）",
                    acc_title="准确率", xlabel="轮次 (epoch)")
plt.show()
best = int(np.argmin(history.test_loss))
print(f"最低测试损失 {history.test_loss[best]:.4f}，出现在第 {best + 1} 轮之后；最后一轮之后为 {history.test_loss[-1]:.4f}")
rises = [k + 1 for k in range(1, history.epochs) if history.test_loss[k] > history.test_loss[k - 1] + 0.05]
print("测试损失上升超过 0.05 的轮次：", rises)
top = int(np.argmax(history.train_acc))
print(f"最高训练准确率 {history.train_acc[top]:.4f}，第一次达到是在第 {top + 1} 轮之后")

# %% [markdown]
# 怎么读这些曲线：
#
# - **开始。** 损失从 $\ln 10 \approx 2.30$ 附近出发，前两轮下降得很慢，之后迅速下降。又深又窄、初始权重又小的网络往往起步较慢：梯度要穿过五层。
# - **起伏。** 在上面打印的那些轮次里，测试损失会突然上升一轮（测试准确率随之下降），然后训练又恢复过来。学习率 $\eta = 0.1$ 的普通 SGD 偶尔会一步迈过头；更小的或逐渐衰减的学习率，或者改用动量 (momentum) 并配合较小的步长（第 07 章），能让曲线更平滑。
# - **结尾。** 训练损失一直向 0 下降，训练准确率达到 100 %：网络能把 1347 张训练图像全部记住。测试损失不再改善（最低值见上面的输出），随后缓慢上升，而测试准确率基本不变。两条曲线之间越拉越大的差距就是**过拟合**
#   (overfitting)：网络此时学到的东西只适合训练图像，而不适合新图像。图像这么少，这在意料之中。提前停止
#   (early stopping)，即保留最佳一轮的权重（最佳轮次要在单独的验证集 (validation set) 上选出），或者增加数据，都会有帮助。
#
# 训练曲线和测试曲线的测量方式不同：训练集上的数是在这一轮中边训练边累计的平均值，期间权重一直在变；测试集上的数是在一轮结束后用固定的权重算出来的。

# %% [markdown]
# ## 6. 正确地评估
#
# 测试集只用来*测量*：没有反向传播，也不更新参数。在 PyTorch 中，这意味着两件事：一是 `model.eval()`，因为
# dropout、批归一化 (batch normalisation) 等层在评估时的行为不同，这个网络虽然没有这些层，但要养成习惯；二是
# `torch.no_grad()`，它不再记录计算图，省内存也省时间。（老代码会把张量包在 `Variable(...)` 里；从 PyTorch 0.4 起它什么也不做，可以删掉。）

# %%
X_first = torch.as_tensor(split.X_test[:4], dtype=torch.float32)
model.eval()
with torch.no_grad():
    out_eval = model(X_first)
out_train = model(X_first)
print("在 no_grad 下：requires_grad =", out_eval.requires_grad, "| 计算图节点：", out_eval.grad_fn)
print("不用 no_grad： requires_grad =", out_train.requires_grad, "| 计算图节点：", type(out_train.grad_fn).__name__)

# %% [markdown]
# **准确率**是预测正确的个数除以图像总数。如果最后一个批量较小，对各批量的准确率取平均得到的是另一个数：测试批量为 64 时，450 张测试图像分成 7 个满批量和 1 个只有 2 张的批量，而这个 2 张的批量会和每个 64 张的批量占同样的权重。

# %%
_, test_loader_64 = make_loaders(split.X_train, split.y_train, split.X_test, split.y_test, test_batch_size=64)
correct, counts = [], []
with torch.no_grad():
    for X_b, y_b in test_loader_64:
        correct.append(int((model(X_b).argmax(dim=1) == y_b).sum()))
        counts.append(len(y_b))
print("批量大小：", counts)
print("每批正确数：", correct)
print(f"正确总数 / 总数：{sum(correct)}/{sum(counts)} = {sum(correct) / sum(counts):.4f}")
print(f"各批准确率的平均（有偏）：{np.mean(np.array(correct) / np.array(counts)):.4f}")
print(f"mlcourse.train.evaluate：{evaluate(model, test_loader_64)[1]:.4f}")

# %% [markdown]
# ## 7. 从输出到预测
#
# 预测就是 logit 最大（等价地，softmax 概率最大）的那一类：$\hat y = \arg\max_k z_k$，在 PyTorch 中写作
# `out.argmax(dim=1)`。老代码常写 `_, pred = out.max(1)`：沿某一维取 `max` 会返回**两个**张量，最大值和它们的位置，只有位置才是预测的类别。

# %%
with torch.no_grad():
    logits = model(X_first)
result = logits.max(dim=1)
print("values（最大的 logit）：", result.values)
print("indices（类别）：       ", result.indices)
print("argmax：                ", logits.argmax(dim=1), "  真实标签：", split.y_test[:4])
print("预测类别的概率：", np.round(softmax.softmax(logits.numpy().astype(np.float64)).max(axis=1), 4))

# %% [markdown]
# 用 `mlcourse.train.predict`（在 `no_grad` 下取 argmax）预测整个测试集，先看前 24 张测试图像的预测与真实标签，再看所有分错的图像（标题为“预测 / 真实”，错误的标为红色）：

# %%
y_pred = predict(model, split.X_test)
wrong = np.flatnonzero(y_pred != split.y_test)
print(f"分错 {len(wrong)} 张（共 {len(y_pred)} 张测试图像）；准确率 {np.mean(y_pred == split.y_test):.4f}")
titles = [f"{p} / {t}" for p, t in zip(y_pred, split.y_test, strict=True)]
plot.image_grid(split.images_test[:24], titles[:24], ncols=8, highlight=(y_pred != split.y_test)[:24],
                title="测试图像：预测 / 真实")
plt.show()

# %%
plot.image_grid(split.images_test[wrong], [titles[i] for i in wrong], ncols=8, highlight=np.ones(len(wrong), bool),
                title="所有分错的图像：预测 / 真实")
plt.show()

# %% [markdown]
# 有些错误，在 8×8 像素下人也会犹豫；另一些则很明显。哪些数字最容易混淆？**混淆矩阵** (confusion matrix) 对每个真实数字（行）统计它被预测成各个数字（列）的次数，对角线上是预测正确的次数。

# %%
confusion = np.zeros((10, 10), dtype=int)
np.add.at(confusion, (split.y_test, y_pred), 1)
print("行：真实数字 0–9，列：预测数字 0–9")
print(confusion)

# %% [markdown]
# ## 8. 损失的最小值不一定是 0
#
# 上面的训练损失最后接近 0.0003，因为每张训练图像只有一个标签，网络能把它的概率推到几乎为 1。但一般来说，损失的最小值并不是 0。预测 $q$ 相对目标分布 $p$ 的交叉熵 (cross-entropy) 是
# $H(p, q) = H(p) + \mathrm{KL}(p\,\Vert\,q) \ge H(p)$，等号在 $q = p$ 时成立（第 02 章）：它的最小值是**目标分布的熵** (entropy)，只有独热 (one-hot) 目标时才是 0。
#
# 两种常见的非独热目标：
#
# - **标签平滑** (label smoothing)：`nn.CrossEntropyLoss(label_smoothing=0.1)` 的训练目标是真实类别上的 $0.9$，再加上每一类各 $0.1/10$。
# - **有歧义的数据**：同一张图像一次标成 3、一次标成 5，最好的预测是 $(\tfrac12, \tfrac12)$，平均损失最小为 $\ln 2$。

# %%
target = np.full(10, 0.01)
target[3] += 0.9  # 对标签 3 做 0.1 的标签平滑
smooth_loss = nn.CrossEntropyLoss(label_smoothing=0.1)
best_logits = torch.tensor(np.log(target)).unsqueeze(0)  # q = target
confident = torch.zeros(1, 10, dtype=torch.float64)
confident[0, 3] = 20.0  # q ≈ 独热
label = torch.tensor([3])
print(f"平滑后目标的熵 H(p) = {info.entropy(target):.4f}")
print(f"q = p 时的损失：       {smooth_loss(best_logits, label).item():.4f}")
print(f"q ≈ 独热时的损失：     {smooth_loss(confident, label).item():.4f}")
two = torch.tensor([[0.0, 0.0], [0.0, 0.0]], dtype=torch.float64)  # 两份副本都预测 q = (1/2, 1/2)
print(f"同一输入分别标成 0 和 1，q = (1/2, 1/2)：平均损失 {nn.CrossEntropyLoss()(two, torch.tensor([0, 1])).item():.4f}"
      f" = ln 2 = {np.log(2):.4f}")

# %% [markdown]
# ## 9. 自带的 8×8 数字与 MNIST
#
# | | 8×8 数字（scikit-learn） | MNIST |
# |---|---|---|
# | 图像数 | 1797 | 70 000 |
# | 尺寸 | 8×8 = 64 像素 | 28×28 = 784 像素 |
# | 像素值 | 整数 0–16 | `uint8` 0–255 |
# | 划分 | 按类别分层随机划分 75 % / 25 %（`load_digits(test_size=0.25, seed=0)`） | 固定：60 000 张训练、10 000 张测试 |
# | 本章网络 | 64 → … → 10，59 302 个参数 | 784 → … → 10，243 622 个参数 |
#
# 8×8 数字是一个方便的替身：笔记本几秒钟就能训练完。MNIST 才是真正的基准：笔迹更多样，测试集也足够大，错一张只让准确率变化 0.01 %，而不是 0.22 %。
#
# **切换到 MNIST。** `data.load_mnist()` 从一个文件夹读取四个标准文件（原始文件或 `.gz`），并核对它们的 SHA-256
# 校验和；除非用 `download=True` 明确要求，它从不下载。文件缺失时，它会准确地告诉你该把什么放到哪里：

# %%
try:
    data.load_mnist(root="mnist_files_not_here")
except FileNotFoundError as err:
    print(err)

# %% [markdown]
# 把这四个文件放进 `~/.cache/mlcourse/mnist`（或者放进你自己选的文件夹，并把环境变量 `MLCOURSE_DATA` 设为它的上一级文件夹），把第 1 节的第一行改成 `DATASET = "mnist"`，再运行一遍笔记本。其余一切随之改变：784 个输入（即原始示例的网络）、64 张一批、训练 20 轮。在笔记本电脑的 CPU 上这需要几分钟而不是几秒钟，而且本笔记本保存的输出将不再对得上（那是 8×8 数字的结果）。

# %% [markdown]
# ## 10. 常见误区
#
# - **“每张图是 784 列 0/1 数据，取值范围 0~255。”** 前后自相矛盾：MNIST 的像素是灰度值，每个占一个字节，取值
#   0 到 255（8×8 数字是 0 到 16），不是二值的（第 1 节）。
# - **“$(x/255 - 0.5)/0.5$ 是标准化。”** 它只是把 $[0, 255]$ 线性映射到 $[-1, 1]$。标准化要减去均值再除以标准差，这个映射做不到这一点（第 1 节）。
# - **“训练集不需要更新参数，也不需要反向传播。”** 正好说反了：*测试集*只做评估，在 `model.eval()` 模式和
#   `torch.no_grad()` 下进行。`Variable(...)` 已经废弃，什么也不做（第 6 节）。
# - **对各批量的准确率取平均。** 最后一批较小时结果有偏；应当用正确总数 / 总数（第 6 节）。
# - **“`out.max(1)` 就是预测。”** 它返回最大值*和*它们的下标；预测的类别是下标，即 `out.argmax(1)`（第 7 节）。
# - **“损失收敛到 0。”** 交叉熵的最小值是目标分布的熵；只有独热目标时才是 0，而且只在极限意义下达到（第 8 节）。
#
# ## 小结
#
# - 像素是灰度值；训练图像和测试图像要用同一个固定规则缩放。symmetric 缩放把像素映射到 $[-1, 1]$，但它不是标准化。
# - `DataLoader` 提供打乱后的小批量；`mlcourse.train.fit` 对每个批量执行前向、损失、`zero_grad`、`backward`、
#   `step`，并在每轮之后于 `torch.no_grad()` 下评估。
# - 使用 ReLU 的 MLP 64 → 256 → 128 → 64 → 20 → 10，配合 SGD（$\eta = 0.1$，16 张一批，训练 40 轮），在 8×8 数字上达到第 4 节打印的测试准确率；训练曲线显示：起步慢、随后学得快、有几次起伏、最后过拟合。
# - 准确率 = 正确总数 / 总数；预测 = logits 的 argmax；损失的最小值是目标分布的熵。
#
# **练习：** 打开 `exercises/05_deep_mlp.ipynb`。
