"""Matplotlib helpers. Each takes arrays (already computed) and ax=None, draws, and returns the axes."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from mlcourse._plot_base import axes as _axes
from mlcourse._plot_base import labels as _labels


def lines(
    x,
    series: Mapping[str, np.ndarray],
    *,
    ax=None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    title: str | None = None,
    logy: bool = False,
    reference: float | None = None,
    reference_label: str | None = None,
    markers: bool = False,
):
    """One line per entry of `series` (label -> y values over x), an optional horizontal reference line."""
    ax = _axes(ax)
    x = np.asarray(x)
    for label, y in series.items():
        ax.plot(x, np.asarray(y), marker="o" if markers else None, markersize=3, label=label)
    if reference is not None:
        ax.axhline(reference, color="0.3", linestyle="--", linewidth=1, label=reference_label)
    if logy:
        ax.set_yscale("log")
    _labels(ax, xlabel, ylabel, title)
    if len(series) > 1 or reference_label:
        ax.legend()
    return ax


def scatter_fits(
    x,
    y,
    x_line,
    fits: Mapping[str, np.ndarray],
    *,
    ax=None,
    highlight=None,
    points_label: str | None = None,
    highlight_label: str | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    title: str | None = None,
):
    """Data points (those where `highlight` is True drawn apart, e.g. outliers) and fitted lines over x_line."""
    ax = _axes(ax)
    x, y = np.asarray(x), np.asarray(y)
    mask = np.zeros(x.shape, dtype=bool) if highlight is None else np.asarray(highlight, dtype=bool)
    ax.scatter(x[~mask], y[~mask], s=18, color="0.35", label=points_label)
    if mask.any():
        ax.scatter(x[mask], y[mask], s=40, marker="x", color="crimson", label=highlight_label)
    for label, y_line in fits.items():
        ax.plot(np.asarray(x_line), np.asarray(y_line), linewidth=2, label=label)
    _labels(ax, xlabel, ylabel, title)
    ax.legend()
    return ax


def bars(
    labels,
    values,
    *,
    ax=None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    title: str | None = None,
):
    """A bar chart of `values` with one bar per label."""
    ax = _axes(ax)
    ax.bar([str(label) for label in labels], np.asarray(values))
    _labels(ax, xlabel, ylabel, title)
    return ax


# Chapters 06–07 (contour maps with trajectories, loss against step): defined in mlcourse/_plot_paths.py.
from mlcourse._plot_paths import contour_paths, loss_vs_step  # noqa: E402, F401

# Chapters 04–05 (training curves from a history, a grid of images): defined in mlcourse/_plot_training.py.
from mlcourse._plot_training import history_curves, image_grid  # noqa: E402, F401

# Chapters 02–03 (confusion matrix, decision regions, a dense layer, pixel values): in mlcourse/_plot_xent.py.
from mlcourse._plot_xent import confusion_matrix, decision_regions, dense_layer_diagram, pixels  # noqa: E402, F401

# isort: split
# Chapter 08 (the unrolled RNN diagram, side-by-side bars): defined in mlcourse/_plot_unrolled.py.
from mlcourse._plot_unrolled import grouped_bars, rnn_diagram  # noqa: E402, F401

# isort: split
# Chapter 09 (CTC lattice, occupancy heat map, decoded text lines, frames, timelines): in mlcourse/_plot_ctc.py.
from mlcourse._plot_ctc import ctc_lattice, decoded_examples, frame_grid, occupancy_heatmap, timeline  # noqa: E402, F401
