"""mlcourse.plot, chapters 02–03: confusion matrix, decision regions, dense-layer diagram, pixel values."""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from mlcourse import plot


def test_confusion_matrix_writes_the_nonzero_counts(ax):
    counts = np.array([[5, 0, 1], [0, 7, 0], [2, 0, 4]])
    out = plot.confusion_matrix(counts, ["a", "b", "c"], ax=ax, title="t")
    assert out is ax
    assert sorted(t.get_text() for t in ax.texts) == sorted(["5", "1", "7", "2", "4"])
    np.testing.assert_array_equal(ax.images[0].get_array(), counts)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("predicted", "true", "t")


@pytest.mark.parametrize(
    ("counts", "labels", "match"),
    [(np.zeros((2, 3)), None, "square"), (np.zeros((2, 2)), ["a"], "one entry per class")],
)
def test_confusion_matrix_bad_input(ax, counts, labels, match):
    with pytest.raises(ValueError, match=match):
        plot.confusion_matrix(counts, labels, ax=ax)


def test_decision_regions_draws_regions_points_and_contours(ax):
    x1, x2 = np.meshgrid(np.linspace(-1, 1, 30), np.linspace(-1, 1, 20))
    regions = (x1 > 0).astype(int) + (x2 > 0.5).astype(int)
    X = np.array([[-0.5, 0.0], [0.5, 0.0], [0.5, 0.9]])
    y = np.array([0, 1, 2])
    out = plot.decision_regions(x1, x2, regions, X=X, y=y, contours=(x1 + 1) / 2, class_names=["a", "b", "c"], ax=ax)
    assert out is ax
    assert len(ax.collections) >= 3  # filled regions, boundaries, contours, and one scatter per class
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b", "c"]
    assert ax.get_xlim() == (-1.0, 1.0)


def test_decision_regions_bad_shapes(ax):
    with pytest.raises(ValueError, match="one shape"):
        plot.decision_regions(np.zeros((2, 3)), np.zeros((2, 3)), np.zeros((3, 2), dtype=int), ax=ax)


def test_dense_layer_diagram_has_every_edge(ax):
    plot.dense_layer_diagram(["x1", "x2", "x3", "x4"], ["o1", "o2", "o3"], ax=ax, in_title="in", out_title="out")
    arrows = [c for c in ax.get_children() if isinstance(c, matplotlib.text.Annotation)]
    assert len(arrows) == 12
    texts = [t.get_text() for t in ax.texts if not isinstance(t, matplotlib.text.Annotation)]
    assert {"x1", "o3", "in", "out"} <= set(texts)
    with pytest.raises(ValueError, match="non-empty"):
        plot.dense_layer_diagram([], ["o"], ax=ax)


def test_pixels_writes_names_and_values(ax):
    plot.pixels(np.array([[0.0, 1.0], [0.25, 0.5]]), names=["x1", "x2", "x3", "x4"], ax=ax, title="img")
    assert [t.get_text() for t in ax.texts] == ["x1\n0.00", "x2\n1.00", "x3\n0.25", "x4\n0.50"]
    assert ax.images[0].get_clim() == (0.0, 1.0)
    with pytest.raises(ValueError, match="one entry per pixel"):
        plot.pixels(np.zeros((2, 2)), names=["a"], ax=ax)
    with pytest.raises(ValueError, match="2-D"):
        plot.pixels(np.zeros(4), ax=ax)


def test_new_axes_when_none_given():
    out = plot.pixels(np.eye(2))
    assert out.figure is not None
    plt.close(out.figure)
