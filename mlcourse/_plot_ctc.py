"""Plots of chapter 09 (CTC); re-exported by mlcourse.plot. They draw what they are given and return the axes.

- timeline: labelled segments per row (who said which sound in which frames).
- frame_grid: an image cut into the frames a CRNN reads.
- ctc_lattice: a (T, S) lattice quantity (ln α, ln β, αβ/(ŷp)) with the allowed CTC transitions.
- occupancy_heatmap: an image and, on the same horizontal scale, per-frame heat maps (ŷ, γ) below it.
- decoded_examples: text-line images with their true and decoded labels (mismatches in red).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from mlcourse._plot_base import axes as _axes
from mlcourse._plot_base import labels as _labels

__all__ = ["ctc_lattice", "decoded_examples", "frame_grid", "occupancy_heatmap", "timeline"]


def _image(image, name: str = "image") -> np.ndarray:
    image = np.asarray(image, dtype=float)
    if image.ndim != 2 or image.size == 0:
        raise ValueError(f"{name} must be a 2-D array (H, W), got shape {image.shape}")
    return image


def _positive_int(x, name: str) -> int:
    if isinstance(x, bool) or not isinstance(x, (int, np.integer)) or x < 1:
        raise ValueError(f"{name} must be a positive integer, got {x!r}")
    return int(x)


def timeline(rows: Mapping[str, Sequence[tuple[str, float, float]]], *, ax=None, xlabel=None, title=None):
    """One horizontal row per entry of `rows` (name -> [(label, start, length), ...]): a labelled bar per segment."""
    import matplotlib.pyplot as plt

    if not rows:
        raise ValueError("rows must hold at least one row")
    ax = _axes(ax, figsize=(8, 0.7 + 0.6 * len(rows)))
    colours = plt.get_cmap("tab10")
    names = list(rows)
    for i, name in enumerate(names):
        for j, (label, start, length) in enumerate(rows[name]):
            ax.broken_barh([(start, length)], (i - 0.35, 0.7), color=colours(j % 10), alpha=0.75)
            ax.text(start + length / 2, i, str(label), ha="center", va="center", fontsize=10)
    ax.set_yticks(range(len(names)), names)
    ax.set_ylim(len(names) - 0.5, -0.5)
    ax.grid(False)
    _labels(ax, xlabel, None, title)
    return ax


def frame_grid(image, frame_width: int, *, width: int | None = None, ax=None, title=None, xlabel=None):
    """The image (H, W) with a line every `frame_width` columns and the frame number t under each frame."""
    image = _image(image)
    frame_width = _positive_int(frame_width, "frame_width")
    width = image.shape[1] if width is None else _positive_int(width, "width")
    image = image[:, :width]
    T = -(-width // frame_width)
    ax = _axes(ax, figsize=(max(3.0, 0.09 * width), 1.6))
    ax.imshow(image, cmap="gray_r", extent=(0, width, image.shape[0], 0), interpolation="nearest", aspect="equal")
    for t in range(1, T):
        ax.axvline(t * frame_width, color="tab:blue", linewidth=0.6, alpha=0.7)
    ax.set_xticks((np.arange(T) + 0.5) * frame_width, [str(t) for t in range(T)], fontsize=7)
    ax.tick_params(length=0)
    ax.set_yticks([])
    ax.grid(False)
    _labels(ax, xlabel, None, title)
    return ax


_ARROW = {"arrowstyle": "-|>", "color": "0.85", "lw": 0.7, "shrinkA": 5, "shrinkB": 5, "mutation_scale": 7}


def ctc_lattice(
    values,
    states: Sequence[str],
    *,
    blank: str = "-",
    ax=None,
    transitions: bool = True,
    path: Sequence[int] | None = None,
    fmt: str | None = None,
    text_min: float | None = None,
    cmap: str = "viridis",
    colorbar_label: str | None = None,
    xlabel: str | None = "t",
    ylabel: str | None = "s",
    title: str | None = None,
):
    """Heat map of values (T, S), frames t across and states s down (row s labelled `s  l′_s`); −∞ cells stay white.

    transitions=True draws, between finite cells, the moves of the recursion: s → s, s → s+1, and s → s+2 when
    l′_{s+2} is neither `blank` nor equal to l′_s. path: one state per frame, drawn in red. fmt: e.g. "{:.2f}" writes
    the values in the cells (only those >= text_min if it is given).
    """
    values = np.asarray(values, dtype=float)
    states = [str(x) for x in states]
    if values.ndim != 2 or values.size == 0:
        raise ValueError(f"values must be a non-empty (T, S) array, got shape {values.shape}")
    T, S = values.shape
    if len(states) != S:
        raise ValueError(f"states must name the S = {S} states l′_s, got {len(states)}")
    ax = _axes(ax, figsize=(min(12.0, 1.2 + 0.55 * T), 1.0 + 0.38 * S))
    finite = np.isfinite(values)
    image = ax.imshow(np.ma.masked_where(~finite, values).T, cmap=cmap, aspect="auto", interpolation="nearest")
    if transitions:
        for t in range(T - 1):
            for s in range(S):
                steps = [0, 1] + ([2] if s + 2 < S and states[s + 2] not in (blank, states[s]) else [])
                for step in steps:
                    if s + step < S and finite[t, s] and finite[t + 1, s + step]:
                        ax.annotate("", xy=(t + 1, s + step), xytext=(t, s), arrowprops=_ARROW)
    if path is not None:
        path = np.asarray(path)
        if path.shape != (T,):
            raise ValueError(f"path must hold one state per frame, shape ({T},), got {path.shape}")
        ax.plot(np.arange(T), path, color="crimson", marker="o", markersize=5, linewidth=2)
    if fmt is not None:
        written = finite if text_min is None else finite & (values >= text_min)
        for t, s in zip(*np.nonzero(written), strict=True):
            r, g, b, _ = image.cmap(image.norm(values[t, s]))
            dark = 0.299 * r + 0.587 * g + 0.114 * b < 0.5  # white text on dark cells
            ax.text(t, s, fmt.format(values[t, s]), ha="center", va="center", fontsize=7,
                    color="white" if dark else "black")  # fmt: skip
    ax.set_xticks(range(T))
    ax.set_yticks(range(S), [f"{s}  {name}" for s, name in enumerate(states)])
    ax.grid(False)
    if colorbar_label is not None:
        ax.figure.colorbar(image, ax=ax, label=colorbar_label, fraction=0.04)
    _labels(ax, xlabel, ylabel, title)
    return ax


def occupancy_heatmap(
    image,
    frames,
    symbols: Sequence[str],
    *,
    frame_width: int,
    width: int | None = None,
    boundaries: Sequence[float] | None = None,
    image_title: str | None = None,
    xlabel: str | None = None,
    cmap: str = "Blues",
):
    """The image (H, W) on top; below it one heat map per entry of `frames` (title -> (T, C), or one (T, C) array),
    symbols down, frame t across covering columns [t·frame_width, (t+1)·frame_width) so that it lies under the
    pixels it was computed from. width crops everything to the real width; boundaries: dashed lines (columns).
    -> the axes, image first."""
    import matplotlib.pyplot as plt

    image = _image(image)
    frame_width = _positive_int(frame_width, "frame_width")
    panels = dict(frames) if isinstance(frames, Mapping) else {None: frames}
    panels = {name: np.asarray(v, dtype=float) for name, v in panels.items()}
    symbols = [str(x) for x in symbols]
    width = image.shape[1] if width is None else _positive_int(width, "width")
    T = -(-width // frame_width)
    for name, v in panels.items():
        if v.ndim != 2 or v.shape[0] < T or v.shape[1] != len(symbols):
            raise ValueError(
                f"frames must be (T, C) with T >= {T} frames for width {width} and C = {len(symbols)} symbols, "
                f"got shape {v.shape}" + (f" for {name!r}" if name else "")
            )
    heights = [image.shape[0] * 0.1] + [0.22 * len(symbols)] * len(panels)
    fig, axes = plt.subplots(
        len(heights),
        1,
        figsize=(max(4.0, 0.1 * width + 1.2), sum(heights) + 0.5 + 0.35 * len(panels)),
        sharex=True,
        gridspec_kw={"height_ratios": heights},
    )
    axes = np.atleast_1d(axes)
    axes[0].imshow(
        image[:, :width], cmap="gray_r", extent=(0, width, image.shape[0], 0), aspect="auto", interpolation="nearest"
    )
    axes[0].set_yticks([])
    if image_title is not None:
        axes[0].set_title(image_title)
    for ax, (name, v) in zip(axes[1:], panels.items(), strict=True):
        ax.imshow(
            v[:T].T,
            cmap=cmap,
            vmin=0.0,
            vmax=1.0,
            aspect="auto",
            interpolation="nearest",
            extent=(0, T * frame_width, len(symbols) - 0.5, -0.5),
        )
        ax.set_yticks(range(len(symbols)), symbols, fontsize=8)
        if name is not None:
            ax.set_title(str(name), fontsize=10)
    for ax in axes:
        ax.grid(False)
        for b in boundaries if boundaries is not None else ():
            ax.axvline(b, color="tab:red", linestyle="--", linewidth=0.8)
    axes[-1].set_xlim(0, width)
    if xlabel is not None:
        axes[-1].set_xlabel(xlabel)
    fig.tight_layout()
    return axes


def decoded_examples(
    images,
    truth: Sequence[str],
    decoded: Sequence[str] | None = None,
    *,
    widths: Sequence[int] | None = None,
    ncols: int = 3,
    truth_label: str = "true",
    decoded_label: str = "decoded",
    title: str | None = None,
):
    """Images (n, H, W) in a grid, each titled with its true label and, if given, the decoded one (red where they
    differ). widths crops image i to its real width. -> the array of axes."""
    import matplotlib.pyplot as plt

    images = np.asarray(images, dtype=float)
    if images.ndim != 3 or images.shape[0] == 0:
        raise ValueError(f"images must have shape (n, H, W) with n >= 1, got {images.shape}")
    n, H, W = images.shape
    for name, seq in (("truth", truth), ("decoded", decoded), ("widths", widths)):
        if seq is not None and len(seq) != n:
            raise ValueError(f"{name} must have one entry per image ({n}), got {len(seq)}")
    ncols = min(_positive_int(ncols, "ncols"), n)
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(0.065 * W * ncols + 0.3, (0.065 * H + 0.45) * nrows + 0.3), squeeze=False
    )
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i >= n:
            continue
        w = W if widths is None else int(widths[i])
        ax.imshow(images[i, :, :w], cmap="gray_r", interpolation="nearest", extent=(0, w, H, 0))
        ax.set_xlim(0, W)
        text = f"{truth_label} {truth[i]}"
        wrong = decoded is not None and str(decoded[i]) != str(truth[i])
        if decoded is not None:
            text += f" · {decoded_label} {decoded[i]}"
        ax.set_title(text, fontsize=9, color="crimson" if wrong else "black", loc="left")
    if title is not None:
        fig.suptitle(title)
    fig.tight_layout()
    return axes
