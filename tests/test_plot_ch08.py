"""mlcourse.plot.rnn_diagram (chapter 08): the boxes and arrows it draws for the labels it is given."""

import matplotlib
import matplotlib.pyplot as plt
import pytest
from matplotlib.patches import FancyBboxPatch

from mlcourse import plot


def texts(ax):
    return [t.get_text() for t in ax.texts if not isinstance(t, matplotlib.text.Annotation)]


def arrows(ax):
    return [c for c in ax.get_children() if isinstance(c, matplotlib.text.Annotation)]


def test_unrolled_sentence(ax):
    out = plot.rnn_diagram(["<s>", "我", "昨天"], ["我", "昨天", "</s>"], ax=ax, title="unrolled")
    assert out is ax and ax.get_title() == "unrolled" and not ax.axison
    boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    assert len(boxes) == 3 * 3 + 1  # x, s, ŷ per step and s₀
    labels = texts(ax)
    for label in ("x₁\n<s>", "x₂\n我", "ŷ₃\n</s>", "s₀", "s₁", "s₃"):
        assert label in labels
    assert not any("$" in t for t in labels)  # plain text: CJK tokens are never sent to mathtext
    assert len(arrows(ax)) == 3 * 3  # U and V at each step, W from s₀ and between states
    assert sorted(t for t in labels if t in ("U", "V", "W")) == ["U"] * 3 + ["V"] * 3 + ["W"] * 3


def test_missing_inputs_and_outputs_and_options(ax):
    plot.rnn_diagram(
        ["", None, None], [None, "", ""], ax=ax, symbols=("x", "h", "o"), initial_state=False, weights=False
    )
    boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    assert len(boxes) == 3 + 1 + 2
    assert sorted(texts(ax)) == sorted(["h₁", "h₂", "h₃", "x₁", "o₂", "o₃"])
    assert len(arrows(ax)) == 1 + 2 + 2  # one U, two V, two W (no s₀)


def test_long_sequences_get_two_digit_subscripts(ax):
    plot.rnn_diagram([""] * 12, [""] * 12, ax=ax, weights=False)
    assert "s₁₂" in texts(ax) and "x₁₀" in texts(ax)


def test_new_axes_when_none_given():
    out = plot.rnn_diagram(["a"], ["b"])
    assert out is plt.gca()
    plt.close(out.figure)


@pytest.mark.parametrize(
    ("inputs", "outputs", "error", "message"),
    [
        (["a", "b"], ["a"], ValueError, "same length"),
        ([], [], ValueError, "same length T >= 1"),
        ("ab", ["a", "b"], TypeError, "not strings"),
    ],
)
def test_errors(ax, inputs, outputs, error, message):
    with pytest.raises(error, match=message):
        plot.rnn_diagram(inputs, outputs, ax=ax)


def test_grouped_bars(ax):
    out = plot.grouped_bars(["a", "b", "c"], {"model": [0.5, 0.3, 0.2], "true": [0.6, 0.4, 0.0]}, ax=ax, ylabel="p")
    assert out is ax and ax.get_ylabel() == "p"
    assert len(ax.patches) == 6
    heights = [p.get_height() for p in ax.patches]
    assert heights == [0.5, 0.3, 0.2, 0.6, 0.4, 0.0]
    centres = [p.get_x() + p.get_width() / 2 for p in ax.patches]
    assert centres[0] < 0 < centres[3] and centres[1] < 1 < centres[4]  # side by side around each tick
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["model", "true"]


def test_grouped_bars_errors(ax):
    with pytest.raises(ValueError, match="one value per label"):
        plot.grouped_bars(["a", "b"], {"model": [1.0]}, ax=ax)
    with pytest.raises(ValueError, match="at least one entry"):
        plot.grouped_bars(["a"], {}, ax=ax)
