"""Plot helpers of chapter 08 (re-exported by mlcourse.plot): the unrolled RNN diagram, side-by-side bars."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from mlcourse._plot_base import axes as _axes

_ROWS = {"x": 0.0, "s": 1.3, "o": 2.6}  # heights of the input, state and output boxes
_STEP = 1.7  # distance between time steps
_BOX = (1.0, 0.62)  # width, height
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def rnn_diagram(
    inputs: Sequence[str | None],
    outputs: Sequence[str | None],
    *,
    ax=None,
    symbols: tuple[str, str, str] = ("x", "s", "ŷ"),
    initial_state: bool = True,
    weights: bool = True,
    title: str | None = None,
):
    """An RNN unrolled over T = len(inputs) steps. Box t shows x_t, s_t, ŷ_t (the three `symbols`) and, under the
    symbol, the token inputs[t] / outputs[t] ("" = no token; None = no input or no output at that step).
    initial_state=False leaves out the s_0 box; weights=False leaves out the letters U, W, V on the arrows."""
    import matplotlib.pyplot as plt

    if isinstance(inputs, str) or isinstance(outputs, str):
        raise TypeError("inputs and outputs must be lists of tokens (or None), not strings")
    inputs, outputs = list(inputs), list(outputs)
    T = len(inputs)
    if T < 1 or len(outputs) != T:
        raise ValueError(f"inputs and outputs must have the same length T >= 1, got {T} and {len(outputs)}")
    ax = _axes(ax)
    colours = {row: plt.get_cmap("tab10")(i) for row, i in (("x", 0), ("s", 2), ("o", 1))}
    first = _STEP if initial_state else 0.0
    for t in range(T):
        x = first + t * _STEP
        _box(ax, x, "s", _symbol(symbols[1], t + 1), colours["s"])
        if inputs[t] is not None:
            _box(ax, x, "x", _symbol(symbols[0], t + 1, inputs[t]), colours["x"])
            _arrow(ax, (x, _ROWS["x"] + _BOX[1] / 2), (x, _ROWS["s"] - _BOX[1] / 2), "U" if weights else None)
        if outputs[t] is not None:
            _box(ax, x, "o", _symbol(symbols[2], t + 1, outputs[t]), colours["o"])
            _arrow(ax, (x, _ROWS["s"] + _BOX[1] / 2), (x, _ROWS["o"] - _BOX[1] / 2), "V" if weights else None)
        if t > 0 or initial_state:
            _arrow(ax, (x - _STEP + _BOX[0] / 2, _ROWS["s"]), (x - _BOX[0] / 2, _ROWS["s"]), "W" if weights else None)
    if initial_state:
        _box(ax, 0.0, "s", _symbol(symbols[1], 0), "0.85", dashed=True)
    right = first + (T - 1) * _STEP
    ax.set_xlim(-_BOX[0] / 2 - 0.2, right + _BOX[0] / 2 + 0.2)
    ax.set_ylim(_ROWS["x"] - _BOX[1] / 2 - 0.2, _ROWS["o"] + _BOX[1] / 2 + 0.2)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if title is not None:
        ax.set_title(title)
    return ax


def grouped_bars(
    labels,
    series: Mapping[str, np.ndarray],
    *,
    ax=None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    title: str | None = None,
):
    """Side-by-side bars: one group per label, one bar per entry of `series` (name -> values, one per label)."""
    if not series:
        raise ValueError("series must have at least one entry")
    ax = _axes(ax)
    labels = [str(label) for label in labels]
    x = np.arange(len(labels))
    width = 0.8 / len(series)
    for i, (name, values) in enumerate(series.items()):
        values = np.asarray(values, dtype=float)
        if values.shape != (len(labels),):
            raise ValueError(f"series[{name!r}] must hold one value per label ({len(labels)}), got {values.shape}")
        ax.bar(x + (i - (len(series) - 1) / 2) * width, values, width=width, label=name)
    ax.set_xticks(x, labels)
    for value, setter in ((xlabel, ax.set_xlabel), (ylabel, ax.set_ylabel), (title, ax.set_title)):
        if value is not None:
            setter(value)
    ax.legend()
    return ax


def _symbol(letter: str, t: int, token: str = "") -> str:
    """ "x₃" with Unicode subscripts (no mathtext, so that Chinese tokens render with the CJK font)."""
    label = letter + str(t).translate(_SUBSCRIPTS)
    return f"{label}\n{token}" if token else label


def _box(ax, x: float, row: str, text: str, colour, *, dashed: bool = False) -> None:
    from matplotlib.patches import FancyBboxPatch

    w, h = _BOX
    ax.add_patch(
        FancyBboxPatch(
            (x - w / 2, _ROWS[row] - h / 2),
            w,
            h,
            boxstyle="round,pad=0.02,rounding_size=0.12",
            facecolor=colour,
            alpha=0.35,
            edgecolor="0.25",
            linestyle="--" if dashed else "-",
        )
    )
    ax.text(x, _ROWS[row], text, ha="center", va="center", fontsize=9)


def _arrow(ax, start, end, label: str | None) -> None:
    ax.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": "-|>", "color": "0.25", "lw": 1.2})
    if label is not None:
        vertical = start[0] == end[0]
        mid = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
        offset = (0.12, 0.0) if vertical else (0.0, 0.13)
        ax.text(
            mid[0] + offset[0],
            mid[1] + offset[1],
            label,
            ha="left" if vertical else "center",
            va="center" if vertical else "bottom",
            fontsize=10,
            color="0.2",
        )
