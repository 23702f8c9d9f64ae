"""mlcourse.plot helpers of chapter 09 (CTC): what they draw for the arrays they are given."""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.text import Annotation

from mlcourse import plot


@pytest.fixture(autouse=True)
def close_all():
    yield
    plt.close("all")


def arrows(ax):
    return [c for c in ax.get_children() if isinstance(c, Annotation)]


def test_lattice_draws_the_allowed_transitions(ax):
    states = ["-", "a", "-", "b", "-"]  # S = 5
    values = np.zeros((3, 5))
    out = plot.ctc_lattice(values, states, ax=ax, title="ln α", colorbar_label="ln α")
    assert out is ax and ax.get_title() == "ln α"
    # per frame pair: stay 5, advance 4, skip from 'a' (s = 1) to 'b' (s = 3) only: 10 moves, 2 frame pairs
    assert len(arrows(ax)) == 2 * 10
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0  -", "1  a", "2  -", "3  b", "4  -"]
    assert len(ax.figure.axes) == 2  # the colour bar


def test_lattice_no_skip_between_repeated_labels(ax):
    plot.ctc_lattice(np.zeros((2, 5)), ["-", "a", "-", "a", "-"], ax=ax)
    assert len(arrows(ax)) == 5 + 4  # the skip a -> a is not allowed


def test_lattice_skips_infinite_cells_and_draws_a_path(ax):
    values = np.array([[np.log(0.5), np.log(0.5), -np.inf], np.log([0.2, 0.3, 0.5])])  # S = 3: "-", "a", "-"
    plot.ctc_lattice(values, ["-", "a", "-"], ax=ax, path=[0, 1], fmt="{:.2f}", transitions=True)
    # from the two finite cells of t = 0: 0->0, 0->1, 1->1, 1->2
    assert len(arrows(ax)) == 4
    assert len(ax.lines) == 1 and list(ax.lines[0].get_ydata()) == [0, 1]
    written = [t.get_text() for t in ax.texts if not isinstance(t, Annotation)]
    assert "-0.69" in written and len(written) == 5  # 5 finite cells
    images = ax.get_images()
    assert images[0].get_array().mask.sum() == 1  # the −∞ cell is masked (white)


def test_lattice_without_transitions(ax):
    plot.ctc_lattice(np.ones((4, 3)), ["-", "x", "-"], ax=ax, transitions=False)
    assert not arrows(ax)


def test_lattice_bad_input(ax):
    with pytest.raises(ValueError, match="values must be a non-empty"):
        plot.ctc_lattice(np.zeros(3), ["-"], ax=ax)
    with pytest.raises(ValueError, match="states must name the S = 3"):
        plot.ctc_lattice(np.zeros((2, 3)), ["-", "a"], ax=ax)
    with pytest.raises(ValueError, match="path must hold one state per frame"):
        plot.ctc_lattice(np.zeros((2, 3)), ["-", "a", "-"], ax=ax, path=[0])


def test_occupancy_heatmap_aligns_frames_with_pixels():
    image = np.zeros((10, 40))
    gamma = np.full((10, 3), 1 / 3)
    y_hat = np.full((10, 3), 1 / 3)
    axes = plot.occupancy_heatmap(
        image, {"ŷ": y_hat, "γ": gamma}, ["0", "1", "-"], frame_width=4, width=30, boundaries=[2, 12]
    )
    assert len(axes) == 3
    assert axes[1].get_title() == "ŷ" and axes[2].get_title() == "γ"
    assert axes[0].get_images()[0].get_extent() == [0, 30, 10, 0]
    # width 30 -> 8 frames of 4 columns: the heat map spans columns 0..32, the view is cropped to the image
    assert axes[2].get_images()[0].get_array().shape == (3, 8)
    assert axes[2].get_images()[0].get_extent()[:2] == [0, 32]
    assert axes[2].get_xlim() == (0.0, 30.0)
    assert [t.get_text() for t in axes[1].get_yticklabels()] == ["0", "1", "-"]
    assert all(len(ax.lines) == 2 for ax in axes)  # the two boundaries on every panel


def test_occupancy_heatmap_single_array_and_bad_shapes():
    axes = plot.occupancy_heatmap(np.zeros((4, 8)), np.ones((4, 2)) / 2, ["a", "-"], frame_width=2)
    assert len(axes) == 2 and axes[1].get_title() == ""
    with pytest.raises(ValueError, match="T >= 4 frames"):
        plot.occupancy_heatmap(np.zeros((4, 8)), np.ones((3, 2)) / 2, ["a", "-"], frame_width=2)
    with pytest.raises(ValueError, match="C = 3 symbols"):
        plot.occupancy_heatmap(np.zeros((4, 8)), {"γ": np.ones((4, 2))}, ["a", "b", "-"], frame_width=2)
    with pytest.raises(ValueError, match="frame_width must be a positive integer"):
        plot.occupancy_heatmap(np.zeros((4, 8)), np.ones((4, 2)), ["a", "-"], frame_width=0)
    with pytest.raises(ValueError, match="image must be a 2-D array"):
        plot.occupancy_heatmap(np.zeros(8), np.ones((4, 2)), ["a", "-"], frame_width=2)


def test_decoded_examples_marks_mismatches_in_red():
    images = np.random.default_rng(0).random((5, 10, 40))
    axes = plot.decoded_examples(
        images, ["12", "3", "45", "6", "789"], ["12", "8", "45", "66", "789"], widths=[20, 12, 30, 16, 40], ncols=2
    )
    assert axes.shape == (3, 2)
    titles = [ax.get_title(loc="left") for ax in axes.flat[:5]]
    assert titles[1] == "true 3 · decoded 8"
    red = [matplotlib.colors.same_color(ax._left_title.get_color(), "crimson") for ax in axes.flat[:5]]
    assert red == [False, True, False, True, False]
    assert axes.flat[0].get_images()[0].get_array().shape == (10, 20)  # cropped to its width
    assert not axes.flat[5].get_images()  # the empty sixth cell


def test_decoded_examples_truth_only_and_bad_input():
    axes = plot.decoded_examples(np.zeros((2, 10, 20)), ["1", "2"], truth_label="label", title="data")
    assert axes.flat[0].get_title(loc="left") == "label 1"
    assert axes.flat[0].figure._suptitle.get_text() == "data"
    with pytest.raises(ValueError, match="truth must have one entry per image"):
        plot.decoded_examples(np.zeros((2, 10, 20)), ["1"])
    with pytest.raises(ValueError, match=r"images must have shape \(n, H, W\)"):
        plot.decoded_examples(np.zeros((10, 20)), ["1"])


def test_frame_grid(ax):
    out = plot.frame_grid(np.zeros((10, 40)), 4, width=30, ax=ax, title="frames")
    assert out is ax and ax.get_title() == "frames"
    assert len(ax.lines) == 7  # 8 frames, 7 boundaries
    assert [t.get_text() for t in ax.get_xticklabels()] == [str(t) for t in range(8)]
    with pytest.raises(ValueError, match="frame_width must be a positive integer"):
        plot.frame_grid(np.zeros((10, 40)), 0, ax=ax)


def test_timeline(ax):
    rows = {"fast": [("s", 0, 2), ("t", 2, 1)], "slow": [("s", 0, 4), ("t", 4, 3), ("a", 7, 2)]}
    out = plot.timeline(rows, ax=ax, xlabel="frame", title="two speakers")
    assert out is ax and ax.get_xlabel() == "frame"
    assert len(ax.collections) == 5 and sorted(t.get_text() for t in ax.texts) == ["a", "s", "s", "t", "t"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["fast", "slow"]
    with pytest.raises(ValueError, match="at least one row"):
        plot.timeline({}, ax=ax)


def test_lattice_text_min_and_readable_text(ax):
    values = np.array([[0.0, 1.0], [0.004, 0.5]])
    plot.ctc_lattice(values, ["-", "a"], ax=ax, transitions=False, fmt="{:.2f}", text_min=0.005, cmap="Blues")
    colours = {t.get_text(): t.get_color() for t in ax.texts}
    assert set(colours) == {"1.00", "0.50"}  # 0 and 0.004 are not written
    assert colours["1.00"] == "white" and colours["0.50"] == "black"  # dark blue cell, light blue cell
