"""mlcourse.plot.history_curves and plot.image_grid (chapters 04–05)."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from mlcourse import plot
from mlcourse.train import History

HIST = {
    "train_loss": [1.0, 0.5, 0.3],
    "test_loss": [1.1, 0.6, 0.4],
    "train_acc": [0.6, 0.8, 0.9],
    "test_acc": [0.5, 0.7, 0.85],
}


def test_history_curves_draws_the_four_curves_against_epochs():
    ax_loss, ax_acc = plot.history_curves(HIST, train_label="fit", test_label="held out", loss_title="L")
    assert [line.get_label() for line in ax_loss.get_lines()] == ["fit", "held out"]
    np.testing.assert_array_equal(ax_loss.get_lines()[0].get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(ax_loss.get_lines()[1].get_ydata(), HIST["test_loss"])
    np.testing.assert_array_equal(ax_acc.get_lines()[0].get_ydata(), HIST["train_acc"])
    np.testing.assert_array_equal(ax_acc.get_lines()[1].get_ydata(), HIST["test_acc"])
    assert ax_loss.get_title() == "L" and ax_acc.get_title() == "accuracy" and ax_acc.get_xlabel() == "epoch"
    plt.close(ax_loss.figure)


def test_history_curves_takes_a_history_object_and_given_axes():
    fig, axes = plt.subplots(1, 2)
    h = History(**HIST)
    out = plot.history_curves(h, axes=axes, title="t")
    assert out is axes
    np.testing.assert_array_equal(axes[1].get_lines()[1].get_ydata(), HIST["test_acc"])
    assert fig._suptitle.get_text() == "t"
    plt.close(fig)


def test_history_curves_bad_input():
    with pytest.raises(ValueError, match="'test_acc' is missing"):
        plot.history_curves({k: v for k, v in HIST.items() if k != "test_acc"})
    with pytest.raises(ValueError, match="one length"):
        plot.history_curves({**HIST, "test_acc": [0.5]})
    with pytest.raises(TypeError, match="History or a mapping"):
        plot.history_curves([1, 2, 3])


def test_image_grid_titles_and_highlight():
    images = np.arange(5 * 4 * 4, dtype=float).reshape(5, 4, 4)
    axes = plot.image_grid(images, [f"{i}" for i in range(5)], ncols=3, highlight=[0, 1, 0, 0, 1], title="grid")
    assert axes.shape == (2, 3)
    assert axes[0, 1].get_title() == "1"
    assert axes[0, 1].title.get_color() == "crimson" and axes[0, 0].title.get_color() == "black"
    np.testing.assert_array_equal(axes[0, 2].images[0].get_array(), images[2])
    assert not axes[1, 2].images  # the sixth cell stays empty
    plt.close(axes[0, 0].figure)


def test_image_grid_bad_input():
    with pytest.raises(ValueError, match=r"shape \(n, h, w\)"):
        plot.image_grid(np.zeros((4, 4)))
    with pytest.raises(ValueError, match="one entry per image"):
        plot.image_grid(np.zeros((2, 3, 3)), ["a"])
    with pytest.raises(ValueError, match="highlight must have shape"):
        plot.image_grid(np.zeros((2, 3, 3)), highlight=[True])
