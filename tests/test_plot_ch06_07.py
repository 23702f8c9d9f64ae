"""mlcourse.plot, chapters 06–07: contour maps with trajectories and loss-against-step curves."""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from mlcourse import plot
from mlcourse.functions import bowl, bowl_grad


@pytest.fixture
def grid():
    X, Y = np.meshgrid(np.linspace(-2, 2, 41), np.linspace(-1, 1, 21))
    return X, Y, bowl(np.stack([X, Y]))


def test_contour_paths_draws_contours_paths_field_and_minimum(ax, grid):
    X, Y, Z = grid
    path = np.array([[-2.0, 1.0], [-1.0, -0.5], [-0.5, 0.2]])
    Xf, Yf = np.meshgrid(np.linspace(-2, 2, 5), np.linspace(-1, 1, 3))
    U, V = -bowl_grad(np.stack([Xf, Yf]))
    out = plot.contour_paths(
        X, Y, Z, {"GD": path, "other": path[:2]}, ax=ax, levels=10, field=(Xf, Yf, U, V),
        minimum=(0, 0), minimum_label="min", xlabel="x", ylabel="y", title="t",
    )  # fmt: skip
    assert out is ax
    assert len(ax.collections) >= 2  # the contour set and the arrows
    quiver = next(c for c in ax.collections if isinstance(c, matplotlib.quiver.Quiver))
    np.testing.assert_array_equal(quiver.U.ravel(), U.ravel())
    lines = ax.get_lines()
    gd = next(line for line in lines if line.get_label() == "GD")
    np.testing.assert_array_equal(gd.get_xdata(), path[:, 0])
    np.testing.assert_array_equal(gd.get_ydata(), path[:, 1])
    # start and end markers in the path's colour, and the star
    same_colour = [line for line in lines if line.get_color() == gd.get_color() and line is not gd]
    assert [line.get_marker() for line in same_colour[:2]] == ["o", "X"]
    assert any(line.get_marker() == "*" and line.get_label() == "min" for line in lines)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["GD", "other", "min"]
    assert ax.get_xlim() == (-2.0, 2.0) and ax.get_ylim() == (-1.0, 1.0)
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("x", "y", "t")


def test_contour_paths_with_explicit_levels_and_no_paths(grid):
    X, Y, Z = grid
    out = plot.contour_paths(X, Y, Z, levels=[0.1, 0.5, 1.0])
    contour = out.collections[0] if out.collections else None
    assert contour is not None and list(contour.levels) == [0.1, 0.5, 1.0]
    assert out.get_legend() is None
    plt.close(out.figure)


def test_contour_paths_bad_input(ax, grid):
    X, Y, Z = grid
    with pytest.raises(ValueError, match="2-D grids of one shape"):
        plot.contour_paths(X, Y, Z[:-1], ax=ax)
    with pytest.raises(ValueError, match=r"path 'p' must have shape \(n, 2\)"):
        plot.contour_paths(X, Y, Z, {"p": np.zeros((3, 3))}, ax=ax)
    with pytest.raises(ValueError, match=r"field must be \(Xf, Yf, U, V\)"):
        plot.contour_paths(X, Y, Z, field=(X, Y), ax=ax)


def test_loss_vs_step_curves_of_different_lengths(ax):
    out = plot.loss_vs_step(
        {"a": [4.0, 2.0, 1.0], "b": [3.0, 1.0]}, ax=ax, xlabel="step", ylabel="loss", title="t",
        reference=0.5, reference_label="target",
    )  # fmt: skip
    assert out is ax and ax.get_yscale() == "log"
    a, b, ref = ax.get_lines()
    np.testing.assert_array_equal(a.get_xdata(), [0, 1, 2])
    np.testing.assert_array_equal(b.get_ydata(), [3.0, 1.0])
    assert [a.get_label(), b.get_label(), ref.get_label()] == ["a", "b", "target"]
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("step", "loss", "t")


def test_loss_vs_step_linear_scale_and_bad_curve(ax):
    plot.loss_vs_step({"a": [1.0, 0.5]}, ax=ax, logy=False)
    assert ax.get_yscale() == "linear" and ax.get_legend() is None
    with pytest.raises(ValueError, match="curve 'bad' must be 1-D"):
        plot.loss_vs_step({"bad": np.zeros((2, 2))}, ax=ax)
