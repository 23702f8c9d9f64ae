"""A small training loop for torch classifiers: data loaders, one epoch, evaluation, a history per epoch.

The only mlcourse module that imports torch at top level. Typical use (after `mlcourse.setup(seed=0)`):

    train_loader, test_loader = make_loaders(X_train, y_train, X_test, y_test, batch_size=64, seed=0)
    model = torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10))
    history = fit(model, train_loader, test_loader, torch.optim.SGD(model.parameters(), lr=0.1), epochs=10)
    history.test_acc[-1]          # accuracy on the test set after the last epoch
    plot.history_curves(history)  # the four curves (mlcourse.plot)

Conventions (errata E26, E27, E28):
- loss per epoch = Σ_batches loss_b·n_b / Σ n_b, the mean over samples (a smaller last batch weighs less);
- accuracy = total correct / total count, never a mean of per-batch accuracies;
- the prediction is `argmax` over the class axis (`out.max(1)` returns values *and* indices);
- evaluation runs in `model.eval()` mode under `torch.no_grad()`: no graph, no backward, no update.
Training loss and accuracy are running values over the epoch (the weights change while they are measured).
Determinism: the model's initial weights come from torch's global seed (set by `mlcourse.setup`), the order of
the training batches from the seeded generator of `make_loaders`; data loading stays in the main process.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch
from torch.utils.data import DataLoader, TensorDataset

__all__ = ["History", "evaluate", "fit", "make_loaders", "predict", "train_epoch"]

# the progress bar shows epochs and the latest numbers, never times or rates (outputs must be reproducible)
BAR_FORMAT = "{desc}: {n_fmt}/{total_fmt} |{bar}|{postfix}"


@dataclass
class History:
    """Per-epoch curves (one entry per epoch) and the training loss of every minibatch step."""

    train_loss: list[float] = field(default_factory=list)
    train_acc: list[float] = field(default_factory=list)
    test_loss: list[float] = field(default_factory=list)
    test_acc: list[float] = field(default_factory=list)
    step_loss: list[float] = field(default_factory=list)

    @property
    def epochs(self) -> int:
        return len(self.train_loss)

    def as_dict(self) -> dict[str, list[float]]:
        """The four per-epoch curves (and step_loss) as a plain dict of lists."""
        return {
            "train_loss": list(self.train_loss),
            "train_acc": list(self.train_acc),
            "test_loss": list(self.test_loss),
            "test_acc": list(self.test_acc),
            "step_loss": list(self.step_loss),
        }


def _tensors(X, y, name: str, dtype: torch.dtype) -> tuple[torch.Tensor, torch.Tensor]:
    X = torch.as_tensor(np.asarray(X), dtype=dtype)
    y_arr = np.asarray(y)
    if y_arr.dtype == bool or not np.issubdtype(y_arr.dtype, np.integer):
        raise TypeError(f"y_{name} must hold integer class labels, got dtype {y_arr.dtype}")
    if X.ndim < 2 or y_arr.ndim != 1 or X.shape[0] != y_arr.shape[0]:
        raise ValueError(
            f"X_{name} must be (N, ...) and y_{name} (N,) with the same N, got {tuple(X.shape)} and {y_arr.shape}"
        )
    if X.shape[0] == 0:
        raise ValueError(f"X_{name} is empty")
    return X, torch.as_tensor(y_arr, dtype=torch.int64)


def _positive_int(n, name: str) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"{name} must be a positive integer, got {n!r}")
    return int(n)


def make_loaders(
    X_train,
    y_train,
    X_test,
    y_test,
    *,
    batch_size: int = 64,
    test_batch_size: int = 256,
    seed: int = 0,
    dtype: torch.dtype = torch.float32,
) -> tuple[DataLoader, DataLoader]:
    """(train_loader, test_loader) over numpy arrays.  X: (N, ...) -> `dtype` (float32), y: (N,) -> int64.

    The training loader reshuffles every epoch with a torch.Generator seeded by `seed`; the test loader keeps
    the order. num_workers=0 (no subprocesses), all batches kept (the last one may be smaller).
    """
    batch_size = _positive_int(batch_size, "batch_size")
    test_batch_size = _positive_int(test_batch_size, "test_batch_size")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise TypeError(f"seed must be a non-negative int, got {seed!r}")
    train = TensorDataset(*_tensors(X_train, y_train, "train", dtype))
    test = TensorDataset(*_tensors(X_test, y_test, "test", dtype))
    generator = torch.Generator().manual_seed(int(seed))
    train_loader = DataLoader(train, batch_size=batch_size, shuffle=True, num_workers=0, generator=generator)
    test_loader = DataLoader(test, batch_size=test_batch_size, shuffle=False, num_workers=0)
    return train_loader, test_loader


def _default_loss(loss_fn):
    return torch.nn.CrossEntropyLoss() if loss_fn is None else loss_fn


def train_epoch(
    model: torch.nn.Module,
    loader: DataLoader,
    optimizer: torch.optim.Optimizer,
    loss_fn: Callable | None = None,
    step_losses: list[float] | None = None,
) -> tuple[float, float]:
    """One pass over `loader`: forward, loss, zero_grad, backward, step.  -> (mean loss, accuracy) of the epoch.

    `loss_fn(out, y)` must return the mean loss of the batch (default nn.CrossEntropyLoss on logits).
    The loss of each step is appended to `step_losses` when a list is given.
    """
    loss_fn = _default_loss(loss_fn)
    model.train()
    total_loss, correct, count = 0.0, 0, 0
    for X, y in loader:
        out = model(X)
        loss = loss_fn(out, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        n = y.shape[0]
        value = loss.item()
        total_loss += value * n
        correct += int((out.argmax(dim=1) == y).sum().item())
        count += n
        if step_losses is not None:
            step_losses.append(value)
    if count == 0:
        raise ValueError("loader yielded no batches")
    return total_loss / count, correct / count


def evaluate(model: torch.nn.Module, loader: DataLoader, loss_fn: Callable | None = None) -> tuple[float, float]:
    """Mean loss over all samples and accuracy = total correct / total count, in eval mode under no_grad."""
    loss_fn = _default_loss(loss_fn)
    model.eval()
    total_loss, correct, count = 0.0, 0, 0
    with torch.no_grad():
        for X, y in loader:
            out = model(X)
            n = y.shape[0]
            total_loss += loss_fn(out, y).item() * n
            correct += int((out.argmax(dim=1) == y).sum().item())
            count += n
    if count == 0:
        raise ValueError("loader yielded no batches")
    return total_loss / count, correct / count


def fit(
    model: torch.nn.Module,
    train_loader: DataLoader,
    test_loader: DataLoader,
    optimizer: torch.optim.Optimizer,
    *,
    epochs: int = 10,
    loss_fn: Callable | None = None,
    progress: bool = True,
    desc: str = "epoch",
) -> History:
    """Train for `epochs` epochs, evaluating on `test_loader` after each one.  -> History (per-epoch lists).

    progress=True shows a tqdm.auto bar over the epochs (a widget in Jupyter, text on stderr elsewhere) that
    disappears when training ends (leave=False) and never shows times. In a notebook checked by nbval, tag the
    cell `# NBVAL_IGNORE_OUTPUT` and assert on the returned history in the next cell.
    """
    epochs = _positive_int(epochs, "epochs")
    history = History()
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=epochs, desc=desc, leave=False, bar_format=BAR_FORMAT, mininterval=0)
    try:
        for _ in range(epochs):
            train_loss, train_acc = train_epoch(model, train_loader, optimizer, loss_fn, history.step_loss)
            test_loss, test_acc = evaluate(model, test_loader, loss_fn)
            history.train_loss.append(train_loss)
            history.train_acc.append(train_acc)
            history.test_loss.append(test_loss)
            history.test_acc.append(test_acc)
            if bar is not None:
                bar.set_postfix_str(f"train loss {train_loss:.4f}, test acc {test_acc:.4f}", refresh=False)
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    return history


def predict(model: torch.nn.Module, X, dtype: torch.dtype = torch.float32) -> np.ndarray:
    """Predicted classes argmax_k out[n, k] in eval mode under no_grad.  X: (N, ...) array -> (N,) int64."""
    model.eval()
    with torch.no_grad():
        out = model(torch.as_tensor(np.asarray(X), dtype=dtype))
    return out.argmax(dim=1).numpy().astype(np.int64)
