# %% [markdown]
# # 05 · A deep MLP classifier for handwritten digits
#
# Chapter 04 computed gradients by hand and with a tiny engine. Now we let PyTorch do it and train a real classifier:
# a multi-layer perceptron (MLP) with five linear layers that reads images of handwritten digits and says which digit
# each one shows. You will
#
# - load the images, look at their pixel values and scale them (and see what "scaling" does and does not do);
# - feed them to the network in shuffled minibatches with a `DataLoader`;
# - build the network 784 (or 64) → 256 → 128 → 64 → 20 → 10 with ReLU, train it with SGD and `nn.CrossEntropyLoss`
#   using `mlcourse.train`, and read the four training curves;
# - evaluate correctly (no gradients, accuracy = correct / total), turn outputs into predictions with `argmax`, and
#   look at the mistakes;
# - see why the smallest possible loss need not be 0;
# - switch the whole notebook from the bundled 8×8 digits to the real MNIST files with one variable.
#
# Every number below is computed by the code next to it.

# %%
import mlcourse

mlcourse.setup(seed=0, lang="en")

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

from mlcourse import data, info, plot, softmax
from mlcourse.train import evaluate, fit, make_loaders, predict

# %% [markdown]
# ## 1. The data
#
# The course runs offline, so by default it uses the **8×8 digits** that ship with scikit-learn: 1797 small greyscale
# images of the digits 0–9. The classic **MNIST** set (70 000 images of 28×28 pixels) is not bundled; section 9 shows
# how to use it. One variable chooses the data set; everything below adapts to it.

# %%
DATASET = "digits"  # "mnist": the real MNIST files, see section 9
BATCH_SIZE, EPOCHS = (16, 40) if DATASET == "digits" else (64, 20)

if DATASET == "mnist":
    raw = data.load_mnist(scale=None)
    max_grey = 255.0
else:
    raw = data.load_digits(scale=None)
    max_grey = 16.0
print(f"{DATASET}: {raw.X_train.shape[0]} training and {raw.X_test.shape[0]} test images of "
      f"{raw.images_train.shape[1]}×{raw.images_train.shape[2]} pixels")
print("pixel values that occur:", np.unique(raw.images_train).astype(int))
print("labels:", np.unique(raw.y_train), " images per class in the training set:", np.bincount(raw.y_train))

# %%
plot.image_grid(raw.images_train[:16], [str(label) for label in raw.y_train[:16]], ncols=8,
                title="Training images and their labels")
plt.show()

# %% [markdown]
# Each pixel is a **grey level**, not a 0/1 value: here an integer from 0 (background) to 16 (full ink), because each
# of these pixels counts the inked dots of a 4×4 block of a larger scan. MNIST stores each pixel as one byte
# (`uint8`), a grey level from 0 to 255. An image of $h \times w$ pixels becomes a vector of $h\cdot w$ numbers
# (64 here, 784 for MNIST) by reading its rows one after the other; the MLP sees only that vector.

# %% [markdown]
# ### Scaling the pixels
#
# Networks train better when the inputs are small numbers centred near 0. Three common choices, with $m$ the
# largest grey level:
#
# - **unit**: $x/m \in [0, 1]$;
# - **symmetric**: $(x/m - 0.5)/0.5 \in [-1, 1]$, what `transforms.Normalize(0.5, 0.5)` does after `ToTensor()`;
# - **standard**: $(x - \mu_j)/\sigma_j$ for every pixel $j$, with the mean $\mu_j$ and standard deviation $\sigma_j$
#   of that pixel over the *training* images: zero mean and unit variance per pixel.
#
# Only the last one is standardisation. The symmetric scaling is a fixed linear map of the range $[0, m]$ onto
# $[-1, 1]$; the mean and standard deviation of the result are whatever the images make them:

# %%
print(f"{'scaling':10s} {'min':>7s} {'max':>7s} {'mean':>7s} {'std':>7s}  mean/std of pixel 36")
for scale in ("unit", "symmetric", "standard"):
    X_scaled, _ = data.scale_pixels(raw.X_train, raw.X_test, scale, max_grey)
    print(f"{scale:10s} {X_scaled.min():7.3f} {X_scaled.max():7.3f} {X_scaled.mean():7.3f} {X_scaled.std():7.3f}"
          f"  {X_scaled[:, 36].mean():6.3f} / {X_scaled[:, 36].std():.3f}")

# %% [markdown]
# All three work for this network. We use the symmetric scaling, the one of the original MNIST recipe. Whatever the
# choice, its parameters (here the fixed $m$; for "standard" the training mean and deviation) must be the same for
# training and test images.

# %%
split = data.load_mnist(scale="symmetric") if DATASET == "mnist" else data.load_digits(scale="symmetric")
print("features:", split.X_train.shape, split.X_train.dtype, " range:", split.X_train.min(), "…", split.X_train.max())

# %% [markdown]
# ## 2. Minibatches with a DataLoader
#
# Training uses **minibatches**: small groups of images whose mean loss gives one gradient step. A PyTorch
# `DataLoader` cuts the data into batches, and for training it reshuffles the images at every epoch (one pass
# over the training set). `mlcourse.train.make_loaders` builds both loaders from numpy arrays:
#
# - features become `float32` tensors, labels `int64` (what `nn.CrossEntropyLoss` expects);
# - the training order comes from a seeded generator, so a run is reproducible;
# - `num_workers=0`: batches are assembled in the notebook's own process (extra worker processes only pay off for
#   expensive loading, such as decoding image files).
#
# The original MNIST recipe uses batches of 64. The digits set has only 1347 training images, which would make only
# 22 steps per epoch, so we use batches of 16 there.

# %%
train_loader, test_loader = make_loaders(split.X_train, split.y_train, split.X_test, split.y_test,
                                         batch_size=BATCH_SIZE, test_batch_size=256, seed=0)
sizes = [len(y_batch) for _, y_batch in train_loader]
print(f"{len(sizes)} training batches per epoch: {sizes[0]} images each, the last one {sizes[-1]}")
X_batch, y_batch = next(iter(train_loader))
print("one batch:", tuple(X_batch.shape), X_batch.dtype, "labels", tuple(y_batch.shape), y_batch.dtype)
print("first labels of two epochs:", [y.tolist()[:8] for y in (next(iter(train_loader))[1], next(iter(train_loader))[1])])

# %% [markdown]
# ## 3. The network
#
# Five linear layers with ReLU between them; the widths 256 → 128 → 64 → 20 → 10 are those of the original MNIST
# recipe, and the input width is the number of pixels.

# %%
n_in = split.X_train.shape[1]  # 64 for the 8×8 digits, 784 for MNIST
model = nn.Sequential(
    nn.Linear(n_in, 256), nn.ReLU(),
    nn.Linear(256, 128), nn.ReLU(),
    nn.Linear(128, 64), nn.ReLU(),
    nn.Linear(64, 20), nn.ReLU(),
    nn.Linear(20, 10),
)
print(model)
print("parameters:", sum(p.numel() for p in model.parameters()))

# %% [markdown]
# The last layer has no activation: it outputs 10 **logits** $z$, one score per digit. `nn.CrossEntropyLoss`
# applies log-softmax itself and computes $L = -\frac1N\sum_n \ln \mathrm{softmax}(z_n)_{y_n}$, so the network must
# *not* end with a softmax (it would be applied twice). A float64 check against chapter 03's function:

# %%
z_check = torch.randn(5, 10, dtype=torch.float64)
y_check = torch.tensor([3, 1, 4, 1, 5])
torch_loss = nn.CrossEntropyLoss()(z_check, y_check).item()
print(f"nn.CrossEntropyLoss = {torch_loss:.6f}; equals softmax.softmax_cross_entropy:",
      abs(torch_loss - softmax.softmax_cross_entropy(z_check.numpy(), y_check.numpy())) < 1e-12)

# %% [markdown]
# Before training, the random network is no better than guessing: accuracy near 10 %, and a loss near
# $\ln 10 = 2.3026$, the loss of predicting $1/10$ for every class.

# %%
loss0, acc0 = evaluate(model, test_loader)
print(f"untrained: test loss {loss0:.4f} (ln 10 = {np.log(10):.4f}), test accuracy {acc0:.4f}")

# %% [markdown]
# ## 4. Training
#
# One **epoch** of training: for every minibatch, compute the logits (forward), the mean loss, zero the old
# gradients, back-propagate, and let the optimiser take a step $w \leftarrow w - \eta\,\partial L/\partial w$ with
# learning rate $\eta = 0.1$ (plain SGD, as in the original recipe). After each epoch the test set is evaluated.
# `mlcourse.train.fit` does exactly this (read its source: it is short) and returns a history of four numbers per
# epoch. It shows a progress bar while it runs; the bar disappears at the end.

# %%
# NBVAL_IGNORE_OUTPUT
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
history = fit(model, train_loader, test_loader, optimizer, epochs=EPOCHS)

# %%
assert history.epochs == EPOCHS and len(history.test_acc) == EPOCHS
print(f"after {history.epochs} epochs: train loss {history.train_loss[-1]:.4f}, train accuracy "
      f"{history.train_acc[-1]:.4f}")
print(f"                  test loss {history.test_loss[-1]:.4f}, test accuracy {history.test_acc[-1]:.4f}")
print("test accuracy at least 97 %:", history.test_acc[-1] >= 0.97)

# %% [markdown]
# ## 5. Reading the training curves

# %%
plot.history_curves(history, train_label="train", test_label="test", loss_title="loss (mean cross-entropy)",
                    acc_title="accuracy", xlabel="epoch")
plt.show()
best = int(np.argmin(history.test_loss))
print(f"lowest test loss {history.test_loss[best]:.4f} after epoch {best + 1}; after the last epoch {history.test_loss[-1]:.4f}")
rises = [k + 1 for k in range(1, history.epochs) if history.test_loss[k] > history.test_loss[k - 1] + 0.05]
print("epochs in which the test loss rose by more than 0.05:", rises)
top = int(np.argmax(history.train_acc))
print(f"highest training accuracy {history.train_acc[top]:.4f}, first reached after epoch {top + 1}")

# %% [markdown]
# How to read them:
#
# - **Start.** The loss starts near $\ln 10 \approx 2.30$, falls slowly for the first two epochs, then quickly.
#   Deep, narrow networks with small random weights often start slowly: the gradient has to pass through five
#   layers.
# - **Bumps.** In the epochs printed above the test loss jumps up (and the test accuracy drops) for one epoch, then
#   training recovers. With plain SGD at $\eta = 0.1$ a step sometimes overshoots; a smaller or decaying learning
#   rate, or momentum with a smaller step (chapter 07), gives smoother curves.
# - **The end.** The training loss keeps falling towards 0 and the training accuracy reaches 100 %: the network can
#   memorise all 1347 training images. The test loss stops improving (its lowest value is printed above) and then
#   creeps up slowly, while the test accuracy stays flat. The growing gap between the curves is **overfitting**: what
#   the network learns now fits the training images, not new ones. With so few images this is expected; early
#   stopping (keeping the weights of the best epoch, chosen on a separate validation set) or more data would help.
#
# Training and test curves are measured differently: the training numbers are running averages over the epoch
# while the weights change, the test numbers are computed after the epoch with fixed weights.

# %% [markdown]
# ## 6. Evaluating correctly
#
# The test set is only *measured*: no backward pass, no update. In PyTorch that means `model.eval()` (layers such as
# dropout and batch normalisation behave differently in evaluation; this network has none, but the habit matters)
# and `torch.no_grad()`, which stops recording the graph and saves memory and time. (Old code wraps tensors in
# `Variable(...)`; since PyTorch 0.4 that is a no-op and can be dropped.)

# %%
X_first = torch.as_tensor(split.X_test[:4], dtype=torch.float32)
model.eval()
with torch.no_grad():
    out_eval = model(X_first)
out_train = model(X_first)
print("under no_grad: requires_grad =", out_eval.requires_grad, "| graph node:", out_eval.grad_fn)
print("without it:    requires_grad =", out_train.requires_grad, "| graph node:", type(out_train.grad_fn).__name__)

# %% [markdown]
# **Accuracy** is the number of correct predictions divided by the number of images. Averaging the accuracies of the
# batches is a different number when the last batch is smaller: with test batches of 64, the 450 test images make 7
# full batches and one of 2, and that batch of 2 would weigh as much as each batch of 64.

# %%
_, test_loader_64 = make_loaders(split.X_train, split.y_train, split.X_test, split.y_test, test_batch_size=64)
correct, counts = [], []
with torch.no_grad():
    for X_b, y_b in test_loader_64:
        correct.append(int((model(X_b).argmax(dim=1) == y_b).sum()))
        counts.append(len(y_b))
print("batch sizes:", counts)
print("correct per batch:", correct)
print(f"total correct / total: {sum(correct)}/{sum(counts)} = {sum(correct) / sum(counts):.4f}")
print(f"mean of batch accuracies (biased): {np.mean(np.array(correct) / np.array(counts)):.4f}")
print(f"mlcourse.train.evaluate: {evaluate(model, test_loader_64)[1]:.4f}")

# %% [markdown]
# ## 7. From outputs to predictions
#
# The prediction is the class with the largest logit (equivalently the largest softmax probability):
# $\hat y = \arg\max_k z_k$. In PyTorch `out.argmax(dim=1)`. Older code writes `_, pred = out.max(1)`: `max` along a
# dimension returns **two** tensors, the largest values and their positions, and only the positions are the
# predicted classes.

# %%
with torch.no_grad():
    logits = model(X_first)
result = logits.max(dim=1)
print("values (largest logits):", result.values)
print("indices (classes):      ", result.indices)
print("argmax:                 ", logits.argmax(dim=1), "  true labels:", split.y_test[:4])
print("probabilities of the predicted classes:", np.round(softmax.softmax(logits.numpy().astype(np.float64)).max(axis=1), 4))

# %% [markdown]
# Predictions for the whole test set with `mlcourse.train.predict` (argmax under `no_grad`), the first 24 test
# images with prediction and truth, and then every mistake (titles "predicted / true", mistakes in red):

# %%
y_pred = predict(model, split.X_test)
wrong = np.flatnonzero(y_pred != split.y_test)
print(f"{len(wrong)} mistakes among {len(y_pred)} test images; accuracy {np.mean(y_pred == split.y_test):.4f}")
titles = [f"{p} / {t}" for p, t in zip(y_pred, split.y_test, strict=True)]
plot.image_grid(split.images_test[:24], titles[:24], ncols=8, highlight=(y_pred != split.y_test)[:24],
                title="Test images: predicted / true")
plt.show()

# %%
plot.image_grid(split.images_test[wrong], [titles[i] for i in wrong], ncols=8, highlight=np.ones(len(wrong), bool),
                title="All mistakes: predicted / true")
plt.show()

# %% [markdown]
# Some mistakes are images a person would also hesitate about at 8×8 pixels; others are clear. Which digits get
# confused most? The **confusion matrix** counts, for each true digit (row), how often each digit was predicted
# (column); the diagonal holds the correct predictions.

# %%
confusion = np.zeros((10, 10), dtype=int)
np.add.at(confusion, (split.y_test, y_pred), 1)
print("rows: true digit 0–9, columns: predicted digit 0–9")
print(confusion)

# %% [markdown]
# ## 8. The smallest possible loss need not be 0
#
# The training loss above ended near 0.0003, because every training image has one label and the network can make
# its probability almost 1. But a loss is not 0 at its minimum in general. The cross-entropy of a prediction $q$
# against a target distribution $p$ is $H(p, q) = H(p) + \mathrm{KL}(p\,\Vert\,q) \ge H(p)$, with equality for
# $q = p$ (chapter 02): its minimum is the **entropy of the targets**, which is 0 only for one-hot targets.
#
# Two everyday cases where the targets are not one-hot:
#
# - **Label smoothing**: `nn.CrossEntropyLoss(label_smoothing=0.1)` trains towards $0.9$ on the true class plus
#   $0.1/10$ on every class.
# - **Ambiguous data**: if the same image appears once labelled 3 and once labelled 5, the best prediction is
#   $(\tfrac12, \tfrac12)$ and the best mean loss is $\ln 2$.

# %%
target = np.full(10, 0.01)
target[3] += 0.9  # label smoothing 0.1 for the label 3
smooth_loss = nn.CrossEntropyLoss(label_smoothing=0.1)
best_logits = torch.tensor(np.log(target)).unsqueeze(0)  # q = target
confident = torch.zeros(1, 10, dtype=torch.float64)
confident[0, 3] = 20.0  # q ≈ one-hot
label = torch.tensor([3])
print(f"entropy of the smoothed target H(p) = {info.entropy(target):.4f}")
print(f"loss at q = p:          {smooth_loss(best_logits, label).item():.4f}")
print(f"loss at q ≈ one-hot:    {smooth_loss(confident, label).item():.4f}")
two = torch.tensor([[0.0, 0.0], [0.0, 0.0]], dtype=torch.float64)  # q = (1/2, 1/2) for both copies
print(f"same input labelled 0 and 1, q = (1/2, 1/2): mean loss {nn.CrossEntropyLoss()(two, torch.tensor([0, 1])).item():.4f}"
      f" = ln 2 = {np.log(2):.4f}")

# %% [markdown]
# ## 9. The bundled digits and MNIST
#
# | | 8×8 digits (scikit-learn) | MNIST |
# |---|---|---|
# | images | 1797 | 70 000 |
# | size | 8×8 = 64 pixels | 28×28 = 784 pixels |
# | pixel values | integers 0–16 | `uint8` 0–255 |
# | split | random 75 % / 25 %, stratified by class (`load_digits(test_size=0.25, seed=0)`) | fixed: 60 000 training, 10 000 test images |
# | this network | 64 → … → 10, 59 302 parameters | 784 → … → 10, 243 622 parameters |
#
# The digits are a handy stand-in: the notebook trains in seconds. MNIST is the real benchmark: more varied
# handwriting, and a test set large enough that one mistake moves the accuracy by 0.01 % instead of 0.22 %.
#
# **Switching to MNIST.** `data.load_mnist()` reads the four standard files (raw or `.gz`) from a folder and checks
# their SHA-256 checksums; it never downloads unless asked with `download=True`. When the files are missing, it
# says exactly what to put where:

# %%
try:
    data.load_mnist(root="mnist_files_not_here")
except FileNotFoundError as err:
    print(err)

# %% [markdown]
# Put the four files in `~/.cache/mlcourse/mnist` (or in a folder of your choice and set the environment variable
# `MLCOURSE_DATA` to its parent), change the first line of section 1 to `DATASET = "mnist"`, and run the notebook
# again. Everything else follows: 784 inputs (the network of the original recipe), batches of 64, 20 epochs. It takes
# minutes instead of seconds on a laptop CPU, and the stored outputs of this notebook will no longer match (they are
# those of the digits).

# %% [markdown]
# ## 10. Common pitfalls
#
# - **"Each image is 784 columns of 0/1 data with values from 0 to 255."** The two halves contradict each other:
#   MNIST pixels are grey levels, one byte each, from 0 to 255 (the 8×8 digits: 0 to 16). They are not binary
#   (section 1).
# - **"$(x/255 - 0.5)/0.5$ standardises the data."** It maps $[0, 255]$ linearly onto $[-1, 1]$. Standardisation
#   subtracts the mean and divides by the standard deviation, which this map does not produce (section 1).
# - **"The training set needs no update and no backward pass."** It is the other way round: the *test* set is only
#   evaluated, in `model.eval()` mode under `torch.no_grad()`. `Variable(...)` is a deprecated no-op (section 6).
# - **Averaging per-batch accuracies.** Biased when the last batch is smaller; use total correct / total count
#   (section 6).
# - **"`out.max(1)` gives the predictions."** It returns the maximal values *and* their indices; the predicted
#   classes are the indices, `out.argmax(1)` (section 7).
# - **"The loss converges to 0."** The minimum of cross-entropy is the entropy of the targets; it is 0 only for
#   one-hot targets and only in the limit (section 8).
#
# ## Summary
#
# - Pixels are grey levels; scale them with the same fixed rule for training and test images. The symmetric scaling
#   maps them to $[-1, 1]$; it is not a standardisation.
# - A `DataLoader` gives shuffled minibatches; `mlcourse.train.fit` runs forward, loss, `zero_grad`, `backward`,
#   `step` for each and evaluates after each epoch under `torch.no_grad()`.
# - The MLP 64 → 256 → 128 → 64 → 20 → 10 with ReLU and SGD ($\eta = 0.1$, batches of 16, 40 epochs) reaches the
#   test accuracy printed in section 4 on the 8×8 digits; the training curves show a slow start, fast learning, a
#   few bumps, and overfitting at the end.
# - Accuracy = total correct / total; prediction = argmax of the logits; the minimum loss is the entropy of the
#   targets.
#
# **Exercises:** open `exercises/05_deep_mlp.ipynb`.
