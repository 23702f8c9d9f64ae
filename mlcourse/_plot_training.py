"""Plots of chapters 04–05: training curves from a history, a grid of images with their labels; re-exported by
mlcourse.plot. Like every plot helper they draw what they are given and return the axes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

CURVES = ("train_loss", "test_loss", "train_acc", "test_acc")


def _curve(history, key: str) -> np.ndarray:
    if isinstance(history, Mapping):
        if key not in history:
            raise ValueError(f"history must have the keys {CURVES}; {key!r} is missing")
        values = history[key]
    elif hasattr(history, key):
        values = getattr(history, key)
    else:
        raise TypeError(
            f"history must be a mlcourse.train.History or a mapping with the keys {CURVES}, "
            f"got {type(history).__name__}"
        )
    values = np.asarray(values, dtype=float)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"history[{key!r}] must be a non-empty 1-D sequence, got shape {values.shape}")
    return values


def history_curves(
    history,
    *,
    axes=None,
    train_label: str = "train",
    test_label: str = "test",
    loss_title: str = "loss",
    acc_title: str = "accuracy",
    xlabel: str = "epoch",
    title: str | None = None,
):
    """Loss (left) and accuracy (right), train and test, against the epoch 1, 2, …  -> the two axes.

    history: mlcourse.train.History, or a mapping with the lists train_loss, test_loss, train_acc, test_acc.
    """
    curves = {key: _curve(history, key) for key in CURVES}
    if len({v.size for v in curves.values()}) != 1:
        raise ValueError(f"the four curves must have one length, got {[v.size for v in curves.values()]}")
    if axes is None:
        import matplotlib.pyplot as plt

        _, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    ax_loss, ax_acc = axes
    epoch = np.arange(1, curves["train_loss"].size + 1)
    for ax, kind, name in ((ax_loss, "loss", loss_title), (ax_acc, "acc", acc_title)):
        ax.plot(epoch, curves[f"train_{kind}"], marker="o", markersize=3, label=train_label)
        ax.plot(epoch, curves[f"test_{kind}"], marker="s", markersize=3, label=test_label)
        ax.set_xlabel(xlabel)
        ax.set_title(name)
        ax.legend()
    if title is not None:
        ax_loss.figure.suptitle(title)
    ax_loss.figure.tight_layout()
    return axes


def image_grid(
    images,
    titles: Sequence[str] | None = None,
    *,
    ncols: int = 8,
    highlight=None,
    cmap: str = "gray_r",
    title: str | None = None,
    size: float = 1.2,
):
    """Images (n, h, w) in a grid of `ncols` columns, each with an optional title; titles where `highlight` is
    True are drawn in red (e.g. wrong predictions).  -> the array of axes."""
    import matplotlib.pyplot as plt

    images = np.asarray(images, dtype=float)
    if images.ndim != 3 or images.shape[0] == 0:
        raise ValueError(f"images must have shape (n, h, w) with n >= 1, got {images.shape}")
    n = images.shape[0]
    if titles is not None and len(titles) != n:
        raise ValueError(f"titles must have one entry per image ({n}), got {len(titles)}")
    mask = np.zeros(n, dtype=bool) if highlight is None else np.asarray(highlight, dtype=bool)
    if mask.shape != (n,):
        raise ValueError(f"highlight must have shape ({n},), got {mask.shape}")
    if isinstance(ncols, bool) or not isinstance(ncols, int) or ncols < 1:
        raise ValueError(f"ncols must be a positive integer, got {ncols!r}")
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows * 1.15), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i >= n:
            continue
        ax.imshow(images[i], cmap=cmap, interpolation="nearest")
        if titles is not None:
            ax.set_title(titles[i], fontsize=9, color="crimson" if mask[i] else "black")
    if title is not None:
        fig.suptitle(title)
    fig.tight_layout()
    return axes
