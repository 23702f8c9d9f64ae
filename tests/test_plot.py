"""mlcourse.plot: helpers draw what they are given onto the axes they are given, and return those axes."""

import matplotlib.pyplot as plt
import numpy as np

from mlcourse import plot


def test_lines_draws_each_series_and_the_reference(ax):
    x = np.arange(5)
    out = plot.lines(
        x,
        {"a": x**2, "b": -x},
        ax=ax,
        xlabel="x",
        ylabel="y",
        title="t",
        reference=1.0,
        reference_label="ref",
    )
    assert out is ax
    assert [line.get_label() for line in ax.get_lines()] == ["a", "b", "ref"]
    np.testing.assert_array_equal(ax.get_lines()[0].get_ydata(), x**2)
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("x", "y", "t")


def test_lines_log_scale_and_new_axes():
    out = plot.lines([1, 2], {"a": [1, 10]}, logy=True)
    assert out.get_yscale() == "log"
    plt.close(out.figure)


def test_scatter_fits_separates_highlighted_points(ax):
    x = np.arange(4.0)
    y = np.array([0.0, 1.0, 9.0, 3.0])
    plot.scatter_fits(x, y, x, {"fit": x}, ax=ax, highlight=[False, False, True, False])
    normal, special = ax.collections
    assert len(normal.get_offsets()) == 3 and len(special.get_offsets()) == 1
    assert ax.get_lines()[0].get_label() == "fit"


def test_bars(ax):
    plot.bars(["a", "b"], [1.0, 2.0], ax=ax)
    assert [p.get_height() for p in ax.patches] == [1.0, 2.0]
