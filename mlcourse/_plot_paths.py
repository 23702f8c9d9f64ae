"""Plots of chapters 06–07: contour maps with optimiser trajectories, loss against step; re-exported by
mlcourse.plot. Like every plot helper they draw the arrays they are given and return the axes."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np


def contour_paths(
    X,
    Y,
    Z,
    paths: Mapping[str, np.ndarray] | None = None,
    *,
    ax=None,
    levels=20,
    field=None,
    minimum=None,
    minimum_label: str | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    title: str | None = None,
):
    """Contour lines of Z over the grid (X, Y); each path (label -> (n, 2) points) drawn with its start (○) and end (×).

    field = (Xf, Yf, U, V) adds arrows (U, V) at the points (Xf, Yf), e.g. −∇L on a coarse grid;
    minimum = (x, y) marks a point with a star. levels: a number of levels or the increasing level values.
    """
    from mlcourse.plot import _axes, _labels

    ax = _axes(ax)
    X, Y, Z = np.asarray(X), np.asarray(Y), np.asarray(Z)
    if not X.shape == Y.shape == Z.shape or X.ndim != 2:
        raise ValueError(f"X, Y and Z must be 2-D grids of one shape, got {X.shape}, {Y.shape} and {Z.shape}")
    ax.contour(X, Y, Z, levels=levels, cmap="viridis", linewidths=0.8)
    ax.grid(False)
    if field is not None:
        if len(field) != 4:
            raise ValueError("field must be (Xf, Yf, U, V): arrow positions and arrow components")
        Xf, Yf, U, V = (np.asarray(a) for a in field)
        ax.quiver(Xf, Yf, U, V, color="0.45", angles="xy", width=0.003)
    for label, path in (paths or {}).items():
        path = np.asarray(path)
        if path.ndim != 2 or path.shape[1] != 2:
            raise ValueError(f"path {label!r} must have shape (n, 2), got {path.shape}")
        (line,) = ax.plot(path[:, 0], path[:, 1], marker=".", markersize=3, linewidth=1.2, label=label)
        ax.plot(*path[0], marker="o", markersize=6, color=line.get_color(), markerfacecolor="none")
        ax.plot(*path[-1], marker="X", markersize=7, color=line.get_color())
    if minimum is not None:
        ax.plot(
            *minimum,
            marker="*",
            markersize=13,
            color="gold",
            markeredgecolor="k",
            linestyle="none",
            label=minimum_label,
        )
    ax.set_xlim(X.min(), X.max())
    ax.set_ylim(Y.min(), Y.max())
    _labels(ax, xlabel, ylabel, title)
    if paths or minimum_label:
        ax.legend(fontsize="small")
    return ax


def loss_vs_step(
    curves: Mapping[str, np.ndarray],
    *,
    ax=None,
    logy: bool = True,
    xlabel: str | None = None,
    ylabel: str | None = None,
    title: str | None = None,
    reference: float | None = None,
    reference_label: str | None = None,
):
    """One curve per entry (label -> losses L_0, L_1, …, drawn at steps 0, 1, …); curves may differ in length."""
    from mlcourse.plot import _axes, _labels

    ax = _axes(ax)
    for label, values in curves.items():
        values = np.asarray(values)
        if values.ndim != 1:
            raise ValueError(f"curve {label!r} must be 1-D (one loss per step), got shape {values.shape}")
        ax.plot(np.arange(values.size), values, linewidth=1.5, label=label)
    if reference is not None:
        ax.axhline(reference, color="0.3", linestyle="--", linewidth=1, label=reference_label)
    if logy:
        ax.set_yscale("log")
    _labels(ax, xlabel, ylabel, title)
    if len(curves) > 1 or reference_label:
        ax.legend(fontsize="small")
    return ax
