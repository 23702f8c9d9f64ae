"""mlcourse.graph_plot: the layered layout of a Value graph (pure) and the matplotlib drawing."""

import matplotlib.pyplot as plt
import pytest
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from mlcourse.autograd import Value
from mlcourse.graph_plot import draw_graph, graph_layout


def add_mul():
    x, y, z = Value(-2.0, "x"), Value(5.0, "y"), Value(-4.0, "z")
    q = x + y
    q.label = "q"
    f = q * z
    f.label = "f"
    return x, y, z, q, f


def sigmoid_neuron():
    w0, x0, w1, x1, w2 = (Value(v, n) for v, n in [(2, "w0"), (-1, "x0"), (-3, "w1"), (-2, "x1"), (-3, "w2")])
    dot = w0 * x0 + w1 * x1 + w2
    return 1 / (1 + (dot * -1).exp())


def test_layout_of_the_add_mul_example():
    x, y, z, q, f = add_mul()
    pos = graph_layout(f)
    assert set(pos) == {x, y, z, q, f}
    assert pos[x] == (0.0, 0.5) and pos[y] == (0.0, -0.5)
    assert pos[q] == (1.0, 0.5) and pos[z] == (1.0, -0.5)  # the leaf z sits just before its user f
    assert pos[f] == (2.0, 0.0)


def test_layout_every_arrow_points_right_and_rows_are_distinct():
    f = sigmoid_neuron()
    pos = graph_layout(f)
    assert len(pos) == len(f.topological_order())
    for node in pos:
        for parent in node.parents:
            assert pos[parent][0] < pos[node][0]
    assert len(set(pos.values())) == len(pos)
    assert pos[f][0] == max(x for x, _ in pos.values())
    for col in {x for x, _ in pos.values()}:
        rows = sorted(y for x, y in pos.values() if x == col)
        assert rows[0] == -rows[-1]  # centred on 0


def test_layout_of_a_single_value_and_fan_out():
    a = Value(3.0, "a")
    assert graph_layout(a) == {a: (0.0, 0.0)}
    b = a * a + a
    pos = graph_layout(b)
    assert pos[a] == (0.0, 0.0) and pos[b] == (2.0, 0.0) and len(pos) == 3


def test_layout_refuses_other_objects():
    with pytest.raises(TypeError, match=r"root must be an autograd\.Value"):
        graph_layout(3.0)


def test_draw_graph_shows_data_and_grad_of_every_node():
    f = add_mul()[-1]
    f.backward()
    ax = draw_graph(f, title="f = (x + y) z")
    texts = [t.get_text() for t in ax.texts]
    boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    assert len(boxes) == 5 and len(arrows) == 4
    assert "data -12.0000" in texts and "grad 1.0000" in texts  # f
    assert texts.count("grad -4.0000") == 3  # x, y and q
    assert "grad 3.0000" in texts  # z
    assert "q  [+]" in texts and "f  [*]" in texts and "x" in texts
    assert ax.get_title() == "f = (x + y) z"
    plt.close(ax.figure)


def test_draw_graph_options():
    a = Value(3.0, "a")
    b = a * a
    b.backward()
    fig, ax = plt.subplots()
    out = draw_graph(b, ax=ax, show_grad=False, local_grads=True, data_label="value")
    assert out is ax
    texts = [t.get_text() for t in ax.texts]
    assert not any(t.startswith("grad") for t in texts)
    assert "value 3.0000" in texts and "value 9.0000" in texts
    assert texts.count("3.00") == 2  # two arrows a -> a*a, each with local derivative 3
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    assert len(arrows) == 2
    plt.close(fig)


def test_draw_graph_writes_minus_zero_as_zero():
    a = Value(0.0, "a")
    b = a * -1.0
    ax = draw_graph(b)
    texts = [t.get_text() for t in ax.texts]
    assert "data 0.0000" in texts and not any("-0.0000" in t for t in texts)
    plt.close(ax.figure)


def test_unlabelled_constants_are_named_by_their_value_and_no_bold_text():
    e = Value(2.0, "e")
    f = 1 / (1 + e)
    ax = draw_graph(f)
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("1") == 2  # the constants of 1 + e and 1 / (...)
    assert all(t.get_fontweight() in ("normal", 400) for t in ax.texts)
    plt.close(ax.figure)
