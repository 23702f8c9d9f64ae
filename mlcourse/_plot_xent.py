"""Plots of chapters 02–03 (cross-entropy, softmax regression); re-exported by mlcourse.plot.

Like every plot helper they draw what they are given (nothing is computed here) and return the axes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mlcourse._plot_base import axes as _axes
from mlcourse._plot_base import labels as _labels

__all__ = ["confusion_matrix", "decision_regions", "dense_layer_diagram", "pixels"]


def confusion_matrix(
    counts,
    labels: Sequence | None = None,
    *,
    ax=None,
    xlabel: str | None = "predicted",
    ylabel: str | None = "true",
    title: str | None = None,
    cmap: str = "Blues",
):
    """counts[i, j] = how many samples of true class i were predicted as j, drawn as a heat map with the counts
    written in the cells (zeros left blank).  counts: (K, K) integers."""
    counts = np.asarray(counts)
    if counts.ndim != 2 or counts.shape[0] != counts.shape[1] or counts.shape[0] == 0:
        raise ValueError(f"counts must be a square (K, K) matrix, got shape {counts.shape}")
    k = counts.shape[0]
    labels = [str(i) for i in range(k)] if labels is None else [str(label) for label in labels]
    if len(labels) != k:
        raise ValueError(f"labels must have one entry per class ({k}), got {len(labels)}")
    ax = _axes(ax, figsize=(5.2, 4.6))
    ax.imshow(counts, cmap=cmap)
    ax.grid(False)
    top = counts.max() if counts.size else 0
    for i in range(k):
        for j in range(k):
            if counts[i, j]:
                colour = "white" if counts[i, j] > top / 2 else "black"
                ax.text(j, i, str(counts[i, j]), ha="center", va="center", fontsize=8, color=colour)
    ax.set_xticks(range(k), labels)
    ax.set_yticks(range(k), labels)
    _labels(ax, xlabel, ylabel, title)
    return ax


def decision_regions(
    x1,
    x2,
    regions,
    *,
    X=None,
    y=None,
    contours=None,
    contour_levels=(0.2, 0.4, 0.6, 0.8),
    class_names: Sequence[str] | None = None,
    ax=None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    title: str | None = None,
):
    """Coloured regions of the predicted class over a grid, their boundaries, optional labelled contour lines of a
    quantity (e.g. one class probability), and optional points X coloured by their labels y.

    x1, x2: (G2, G1) meshgrid coordinates; regions: (G2, G1) integer classes; contours: (G2, G1) or None.
    """
    x1, x2, regions = np.asarray(x1), np.asarray(x2), np.asarray(regions)
    if not x1.shape == x2.shape == regions.shape or regions.ndim != 2:
        raise ValueError(
            f"x1, x2 and regions must be 2-D grids of one shape, got {x1.shape}, {x2.shape}, {regions.shape}"
        )
    k = int(regions.max()) + 1 if y is None else max(int(regions.max()), int(np.max(y))) + 1
    colours = ["C0", "C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9"][:k]
    ax = _axes(ax, figsize=(5.6, 4.8))
    ax.contourf(x1, x2, regions, levels=np.arange(-0.5, k), colors=colours, alpha=0.18)
    ax.contour(x1, x2, regions, levels=np.arange(0.5, k - 1), colors="0.2", linewidths=1.5)
    if contours is not None:
        lines = ax.contour(
            x1, x2, np.asarray(contours), levels=list(contour_levels), colors="0.35", linewidths=0.8, linestyles="--"
        )
        ax.clabel(lines, fontsize=7, fmt="%.1f")
    if X is not None:
        X, y = np.asarray(X), np.asarray(y)
        for c in range(k):
            name = str(c) if class_names is None else class_names[c]
            ax.scatter(
                X[y == c, 0], X[y == c, 1], s=14, color=colours[c], edgecolors="white", linewidths=0.4, label=name
            )
        ax.legend(loc="best", fontsize=8)
    ax.set_xlim(x1.min(), x1.max())
    ax.set_ylim(x2.min(), x2.max())
    ax.grid(False)
    _labels(ax, xlabel, ylabel, title)
    return ax


def dense_layer_diagram(
    in_labels: Sequence[str],
    out_labels: Sequence[str],
    *,
    ax=None,
    in_title: str | None = None,
    out_title: str | None = None,
    title: str | None = None,
):
    """A fully connected layer: one circle per input (left) and per output (right), an arrow from every input to
    every output."""
    n_in, n_out = len(in_labels), len(out_labels)
    if n_in == 0 or n_out == 0:
        raise ValueError("in_labels and out_labels must be non-empty")
    ax = _axes(ax, figsize=(5.6, 4.2))
    x_out = 3.0
    y_in = (n_in - 1) / 2 - np.arange(n_in)
    y_out = (n_out - 1) / 2 - np.arange(n_out)
    for a in y_in:
        for b in y_out:
            ax.annotate(
                "",
                xy=(x_out - 0.24, b),
                xytext=(0.24, a),
                arrowprops={"arrowstyle": "->", "color": "0.55", "linewidth": 0.8},
            )
    for x, ys, labels, face in ((0.0, y_in, in_labels, "#dbe9f6"), (x_out, y_out, out_labels, "#fde2c8")):
        for yy, label in zip(ys, labels, strict=True):
            ax.add_patch(_circle((x, yy), face))
            ax.text(x, yy, str(label), ha="center", va="center", fontsize=11, zorder=4)
    top = max(n_in, n_out) / 2
    for x, text in ((0.0, in_title), (x_out, out_title)):
        if text is not None:
            ax.text(x, top + 0.05, text, ha="center", va="bottom", fontsize=9)
    ax.set_xlim(-1.0, x_out + 1.0)
    ax.set_ylim(-top - 0.1, top + 0.5)
    ax.set_aspect("equal")
    ax.axis("off")
    if title is not None:
        ax.set_title(title)
    return ax


def _circle(center, face):
    from matplotlib.patches import Circle

    return Circle(center, 0.22, facecolor=face, edgecolor="0.3", linewidth=1.0, zorder=3)


def pixels(
    image,
    *,
    names: Sequence[str] | None = None,
    ax=None,
    vmin: float = 0.0,
    vmax: float = 1.0,
    title: str | None = None,
    cmap: str = "gray",
):
    """One small grey image with each pixel's value (and optional name, row by row) written in it."""
    image = np.asarray(image, dtype=float)
    if image.ndim != 2 or image.size == 0:
        raise ValueError(f"image must be a non-empty 2-D array, got shape {image.shape}")
    if names is not None and len(names) != image.size:
        raise ValueError(f"names must have one entry per pixel ({image.size}), got {len(names)}")
    ax = _axes(ax, figsize=(2.4, 2.4))
    ax.imshow(image, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
    for idx, value in enumerate(image.flat):
        r, c = divmod(idx, image.shape[1])
        text = f"{value:.2f}" if names is None else f"{names[idx]}\n{value:.2f}"
        ax.text(
            c, r, text, ha="center", va="center", fontsize=9, color="black" if value > (vmin + vmax) / 2 else "white"
        )
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    if title is not None:
        ax.set_title(title)
    return ax
