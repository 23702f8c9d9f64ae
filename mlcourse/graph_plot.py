"""Drawing a computational graph of `autograd.Value` nodes with matplotlib (no graphviz needed).

`graph_layout(root)` is a pure function that places every node of the graph in a column (a layer) and a row;
`draw_graph(root)` draws one box per node (label and operation, data, grad) and an arrow from each input to the
node it feeds, left to right in the order of the forward pass.
"""

from __future__ import annotations

from mlcourse.autograd import Value

__all__ = ["draw_graph", "graph_layout"]


def graph_layout(root: Value) -> dict[Value, tuple[float, float]]:
    """Node -> (column, row) for the graph ending at `root`.

    column = length of the longest path from the inputs, except that a leaf sits one column before the first
    node that uses it. Rows are centred on 0 in each column; in a column, computed nodes come first, sorted
    top-down by the mean row of their inputs (fewer crossing arrows), then leaves in topological order.
    """
    if not isinstance(root, Value):
        raise TypeError(f"root must be an autograd.Value, got {type(root).__name__}")
    order = root.topological_order()
    rank = {id(node): i for i, node in enumerate(order)}
    depth: dict[int, int] = {}
    for node in order:  # parents come first, so their depths are known
        depth[id(node)] = 1 + max(depth[id(p)] for p in node.parents) if node.parents else 0
    first_use: dict[int, int] = {}
    for node in order:
        for parent in node.parents:
            d = depth[id(node)]
            first_use[id(parent)] = min(first_use.get(id(parent), d), d)
    for node in order:
        if not node.parents and id(node) in first_use:
            depth[id(node)] = first_use[id(node)] - 1
    columns: dict[int, list[Value]] = {}
    for node in order:
        columns.setdefault(depth[id(node)], []).append(node)
    positions: dict[Value, tuple[float, float]] = {}
    for col in sorted(columns):  # inputs of a computed node are in earlier columns: already placed
        computed = [n for n in columns[col] if n.parents]
        leaves = [n for n in columns[col] if not n.parents]
        computed.sort(key=lambda n: (-sum(positions[p][1] for p in n.parents) / len(n.parents), rank[id(n)]))
        nodes = computed + leaves
        top = (len(nodes) - 1) / 2
        for i, node in enumerate(nodes):
            positions[node] = (float(col), top - i)
    return positions


def _fmt(x: float, digits: int) -> str:
    return f"{round(x, digits) + 0.0:.{digits}f}"  # + 0.0: no "-0.0000"


def draw_graph(
    root: Value,
    *,
    ax=None,
    show_grad: bool = True,
    local_grads: bool = False,
    digits: int = 4,
    title: str | None = None,
    data_label: str = "data",
    grad_label: str = "grad",
):
    """One box per node (label [op], data, and grad when show_grad), arrows input -> node.  -> ax

    local_grads=True writes the local derivative ∂node/∂input on each arrow. Leaves are blue (an unlabelled
    constant is named by its value), the output orange, the other nodes grey; an input used twice by one node
    gets two arrows (fan-out, errata E31).
    """
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    gap = 1.45 if local_grads else 1.2  # distance between columns (box width 0.78)
    positions = {node: (x * gap, y) for node, (x, y) in graph_layout(root).items()}
    columns = [x for x, _ in positions.values()]
    n_cols = len(set(columns))
    n_rows = max(columns.count(x) for x in set(columns))
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(max(3.0, 1.45 * gap * n_cols), max(1.6, 1.05 * n_rows + (0.4 if title else 0.2))))
    width, height = 0.78, 0.72 if show_grad else 0.56
    for node, (x, y) in positions.items():
        color = "#fdd9a8" if node is root else ("#cfe3f7" if not node.parents else "#e6e6e6")
        ax.add_patch(
            FancyBboxPatch(
                (x - width / 2, y - height / 2),
                width,
                height,
                boxstyle="round,pad=0.02,rounding_size=0.06",
                facecolor=color,
                edgecolor="0.35",
                linewidth=1,
            )
        )
        header = node.label
        if node.op:
            header = f"{header}  [{node.op}]".strip()
        elif not header:  # an unlabelled constant, e.g. the 1 of `1 + e`: its value is its name
            header = f"{node.data:g}"
        # no bold: a CJK fallback font may lack a bold face, and matplotlib would warn about it
        lines = [(header, "black", 9), (f"{data_label} {_fmt(node.data, digits)}", "#1b6e20", 8)]
        if show_grad:
            lines.append((f"{grad_label} {_fmt(node.grad, digits)}", "crimson", 8))
        step = height / (len(lines) + 0.4)
        for k, (text, text_color, size) in enumerate(lines):
            ax.text(
                x,
                y + height / 2 - step * (k + 0.7),
                text,
                ha="center",
                va="center",
                fontsize=size,
                color=text_color,
            )
    for node in positions:
        xc, yc = positions[node]
        seen: dict[int, int] = {}
        for parent, local in zip(node.parents, node._local_grads, strict=True):
            xp, yp = positions[parent]
            repeat = seen.get(id(parent), 0)
            seen[id(parent)] = repeat + 1
            start, end = (xp + width / 2, yp), (xc - width / 2, yc)
            dx, dy = end[0] - start[0], end[1] - start[1]
            if node.parents.count(parent) > 1:  # the same input used twice by this node: two arcs
                rad = 0.25 if repeat == 0 else -0.25
            elif xc - xp > 1.5 * gap:  # an arrow that skips columns bends below the boxes in between
                rad = min(0.6, 0.9 / dx)
            else:
                rad = 0.0
            ax.add_patch(
                FancyArrowPatch(
                    start,
                    end,
                    arrowstyle="-|>",
                    mutation_scale=10,
                    connectionstyle=f"arc3,rad={rad}",
                    color="0.3",
                    linewidth=1,
                    shrinkA=0,
                    shrinkB=0,
                )
            )
            if local_grads:  # the local derivative, written on the arrow a third of the way from the input
                # arc3 is a quadratic Bézier curve with control point chord midpoint + rad · (dy, −dx)
                cx, cy = (start[0] + end[0]) / 2 + rad * dy, (start[1] + end[1]) / 2 - rad * dx
                t = 0.35
                mx = (1 - t) ** 2 * start[0] + 2 * t * (1 - t) * cx + t**2 * end[0]
                my = (1 - t) ** 2 * start[1] + 2 * t * (1 - t) * cy + t**2 * end[1]
                ax.text(
                    mx,
                    my,
                    _fmt(local, 2),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="#6a3d9a",
                    bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none"},
                )
    ax.set_xlim(-0.55, max(columns) + 0.55)
    ys = [y for _, y in positions.values()]
    ax.set_ylim(min(ys) - 0.55, max(ys) + 0.55)
    ax.axis("off")
    if title is not None:
        ax.set_title(title)
    return ax
