# %% [markdown]
# # 练习 05 · 深层 MLP 分类器 / Exercises 05 · A deep MLP classifier
#
# 每道题：在标出的地方填写答案或代码，然后运行下面的检查单元格。
# For each exercise: fill in the answer or the code where marked, then run the check cell below it.
#
# - ✅ 正确 / Correct — 做对了 / well done
# - ❌ 不对 / Not quite — 看看提示再试 / read the hint and try again
# - ❌ 未完成 / not filled in yet — 还没有作答 / you have not answered yet
#
# 配套章节 / Chapter: `chapters/05_deep_mlp/zh.ipynb`, `en.ipynb`.

# %%
import mlcourse

mlcourse.setup(seed=0, lang="zh")

import itertools

import matplotlib.pyplot as plt
import numpy as np
from torch import nn

from mlcourse import check, info, plot

# %% [markdown]
# ## 1. 数一数参数 / Count the parameters
#
# 原始 MNIST 示例的网络是 784 → 256 → 128 → 64 → 20 → 10，每层都是带偏置的全连接层 (`nn.Linear`)。它一共有多少个参数（权重加偏置）？先手算，再填进去。
#
# The network of the original MNIST recipe is 784 → 256 → 128 → 64 → 20 → 10, every layer a fully connected layer
# with bias (`nn.Linear`). How many parameters (weights plus biases) does it have? Work it out, then type it in.

# %%
answer_parameters = 243_622  # SOLUTION

# %%
widths = [784, 256, 128, 64, 20, 10]
net = nn.Sequential(*[nn.Linear(a, b) for a, b in itertools.pairwise(widths)])
check.value(answer_parameters, sum(p.numel() for p in net.parameters()), name="parameters")

# %% [markdown] tags=["solution"]
# 解答：有 $n_\text{in}$ 个输入、$n_\text{out}$ 个输出的层有 $n_\text{in} n_\text{out}$ 个权重和 $n_\text{out}$ 个偏置，五层合计 $200\,960 + 32\,896 + 8\,256 + 1\,300 + 210 = 243\,622$。
#
# Solution: a layer with $n_\text{in}$ inputs and $n_\text{out}$ outputs has $n_\text{in} n_\text{out}$ weights
# and $n_\text{out}$ biases; over the five layers, $200\,960 + 32\,896 + 8\,256 + 1\,300 + 210 = 243\,622$.

# %% [markdown]
# ## 2. 像素缩放 / Pixel scaling
#
# MNIST 的一个像素值为 $x = 51$（范围 0–255）。(a) 经过 $(x/255 - 0.5)/0.5$ 之后是多少？(b) 哪一项描述了这个变换的结果？填 `"[0, 1]"`、`"[-1, 1]"` 或 `"mean 0, std 1"`（前两项是所有像素变换后的取值范围，最后一项表示均值为 0、标准差为 1）。
#
# An MNIST pixel has the value $x = 51$ (range 0–255). (a) What is it after $(x/255 - 0.5)/0.5$? (b) Which describes
# the result of this map: `"[0, 1]"`, `"[-1, 1]"` or `"mean 0, std 1"` (the range of all transformed pixels, or zero
# mean and unit standard deviation)?

# %%
answer_scaled = -0.6  # SOLUTION
answer_range = "[-1, 1]"  # SOLUTION

# %%
check.value(answer_scaled, (51 / 255 - 0.5) / 0.5, name="(a)")

# %%
check.choice(answer_range, "[-1, 1]", options=["[0, 1]", "[-1, 1]", "mean 0, std 1"], name="(b)")

# %% [markdown] tags=["solution"]
# 解答：$51/255 = 0.2$，$(0.2 - 0.5)/0.5 = -0.6$。这个变换把 $0$ 映到 $-1$、把 $255$ 映到 $1$；它并不使均值为 0、标准差为 1（那是标准化 (standardisation)）。
#
# Solution: $51/255 = 0.2$, $(0.2 - 0.5)/0.5 = -0.6$. The map sends $0 \mapsto -1$ and $255 \mapsto 1$; it
# does not make the mean 0 or the standard deviation 1 (that would be standardisation).

# %% [markdown]
# ## 3. 准确率 = 正确总数 ÷ 样本总数 / Accuracy = total correct ÷ total count
#
# 一次评估中，各个批量的大小和其中预测正确的样本数如下。算出准确率（一个 0 到 1 之间的数）。
#
# One evaluation pass had these batch sizes and numbers of correct predictions. Compute the accuracy (a number
# between 0 and 1).

# %%
batch_sizes = np.array([64, 64, 64, 16])
batch_correct = np.array([60, 62, 59, 10])

answer_accuracy = 191 / 208  # SOLUTION

# %%
check.value(answer_accuracy, batch_correct.sum() / batch_sizes.sum(), name="accuracy", rtol=1e-4)

# %% [markdown] tags=["solution"]
# 解答：$191/208 = 0.9183$。四个批量各自准确率的平均值 $0.8633$ 是有偏的：最后那个批量只有 16 个样本、结果又很差，却和完整的批量占同样的权重。
#
# Solution: $191/208 = 0.9183$. The mean of the four batch accuracies, $0.8633$, is biased: the last batch, with
# only 16 samples and a bad result, counts as much as a full one.

# %% [markdown]
# ## 4. 从 logits 到预测 / From logits to predictions
#
# 写一个函数：输入形状为 $(N, K)$ 的 logits（numpy 数组），返回每一行预测的类别（形状为 $(N,)$ 的整数数组）。
#
# Write a function that takes logits of shape $(N, K)$ (a numpy array) and returns the predicted class of every row
# (an integer array of shape $(N,)$).

# %%
def predict_classes(z):
    # BEGIN SOLUTION
    return np.argmax(z, axis=1)
    # END SOLUTION


# %%
rng = np.random.default_rng(0)
cases = [(rng.normal(size=(6, 10)),), (rng.normal(size=(1, 3)),), (np.array([[0.1, 2.0, -1.0], [5.0, 4.0, 4.5]]),)]
check.function(predict_classes, lambda z: np.argmax(z, axis=1), cases, name="predict_classes")

# %% [markdown]
# ## 5. 损失的最小值 / The smallest possible loss
#
# 训练目标不是独热向量，而是 $p = (0.9, 0.05, 0.05)$（例如用了标签平滑 (label smoothing)）。在所有预测分布 $q$ 中，交叉熵 $H(p, q) = -\sum_k p_k \ln q_k$ 能取到的最小值是多少？（填一个数，单位是纳特 (nat)。）
#
# The target is not one-hot but $p = (0.9, 0.05, 0.05)$ (label smoothing, say). What is the smallest value of the
# cross-entropy $H(p, q) = -\sum_k p_k \ln q_k$ over all predicted distributions $q$? (One number, in nats.)

# %%
answer_min_loss = -(0.9 * np.log(0.9) + 2 * 0.05 * np.log(0.05))  # SOLUTION

# %%
p_target = np.array([0.9, 0.05, 0.05])
check.value(answer_min_loss, info.entropy(p_target), name="min H(p, q)", rtol=1e-4)

# %% [markdown] tags=["solution"]
# 解答：$H(p, q) = H(p) + D_{\mathrm{KL}}(p\,\Vert\,q)$ 在 $q = p$ 处最小，最小值等于熵 $H(p) = -(0.9\ln 0.9 + 2\cdot 0.05\ln 0.05) = 0.3944$ 纳特，而不是 0。
#
# Solution: $H(p, q) = H(p) + D_{\mathrm{KL}}(p\,\Vert\,q)$ is smallest at $q = p$, where it equals the entropy
# $H(p) = -(0.9\ln 0.9 + 2\cdot 0.05\ln 0.05) = 0.3944$ nats, not 0.

# %% [markdown]
# ## 6. 读训练曲线 / Read a pair of training curves
#
# 下面是某次训练的记录。(a) 测试损失在第几轮之后最低？（轮次从 1 开始数。）(b) 之后发生了什么？填 `"overfitting"`（过拟合）、`"underfitting"`（欠拟合）或 `"diverging"`（发散）。
#
# Below is the history of a training run. (a) After which epoch is the test loss lowest (epochs counted from 1)?
# (b) What happens after it? Answer `"overfitting"`, `"underfitting"` or `"diverging"`.

# %%
history = {
    "train_loss": [1.60, 0.90, 0.55, 0.38, 0.27, 0.19, 0.13, 0.09, 0.06, 0.04],
    "test_loss": [1.65, 0.98, 0.66, 0.52, 0.47, 0.46, 0.49, 0.53, 0.58, 0.64],
    "train_acc": [0.55, 0.74, 0.84, 0.89, 0.92, 0.95, 0.97, 0.98, 0.99, 1.00],
    "test_acc": [0.53, 0.71, 0.80, 0.84, 0.86, 0.87, 0.87, 0.86, 0.86, 0.85],
}
plot.history_curves(history, train_label="训练 / train", test_label="测试 / test", loss_title="损失 / loss",
                    acc_title="准确率 / accuracy", xlabel="轮次 / epoch")
plt.show()

answer_best_epoch = 6  # SOLUTION
answer_what_happens = "overfitting"  # SOLUTION

# %%
check.value(answer_best_epoch, int(np.argmin(history["test_loss"])) + 1, name="(a)")

# %%
check.choice(answer_what_happens, "overfitting", options=["overfitting", "underfitting", "diverging"], name="(b)")

# %% [markdown] tags=["solution"]
# 解答：(a) 第 6 轮（测试损失 0.46）。(b) 过拟合：训练损失一直在下降，训练准确率达到 1，而测试损失回升，测试准确率不再提高。保留第 6 轮的权重会更好，这就是提前停止 (early stopping)；实际中应当根据验证集来选择这一轮。
#
# Solution: (a) epoch 6 (test loss 0.46). (b) Overfitting: the training loss keeps falling and the training
# accuracy reaches 1, while the test loss rises and the test accuracy stops improving. Keeping the weights of epoch 6
# would be better: this is early stopping, and in practice the epoch is chosen on a validation set.
