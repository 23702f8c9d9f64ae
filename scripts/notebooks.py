"""`make notebooks`: execute every course notebook in place and regenerate the student exercises.

    python scripts/notebooks.py build [PATTERN ...]   # PATTERN filters sources, e.g. 01_ or en.py

Sources are the py:percent files; each is executed in a fresh kernel with the notebook's own folder as the
working directory, without timing metadata, and the executed .ipynb is written next to it. The .py twin is then
rewritten from the notebook so that the pair stays in sync (Markdown lines broken between two Chinese characters
are joined on the way, since the break would render as a stray space).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
import nbtools

TIMEOUT = 600
WIDGET = "application/vnd.jupyter.widget-view+json"


def execute(nb: nbformat.NotebookNode, cwd: Path) -> float:
    start = time.perf_counter()
    client = NotebookClient(
        nb,
        timeout=TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(cwd)}},
        record_timing=False,
        allow_errors=False,
    )
    client.execute()
    for cell in nb.cells:
        cell.get("metadata", {}).pop("execution", None)
        if cell.cell_type == "code":  # progress-bar widgets are gone once a run ends: store none of them
            cell.outputs = [o for o in cell.outputs if WIDGET not in o.get("data", {})]
    nb.metadata.pop("widgets", None)
    return time.perf_counter() - start


def tidy(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Join Markdown lines broken between two Chinese characters (the break would show as a stray space)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = nbtools.join_cjk_soft_breaks(cell.source)
    return nb


def build_pair(py: Path) -> float:
    nb = tidy(nbtools.read_source(py))
    seconds = execute(nb, py.parent)
    nbformat.write(nb, py.with_suffix(".ipynb"))
    py.write_text(nbtools.py_text(nb), encoding="utf-8")
    return seconds


def build_exercise(solution_py: Path) -> tuple[float, float]:
    solved = tidy(nbtools.read_source(solution_py))
    student = nbtools.make_student(solved)
    seconds = build_pair(solution_py)
    student_seconds = execute(student, nbtools.EXERCISES)
    nbformat.write(student, nbtools.student_path(solution_py))
    return seconds, student_seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["build"])
    parser.add_argument("patterns", nargs="*", help="only sources whose path contains one of these")
    args = parser.parse_args(argv)

    def wanted(path: Path) -> bool:
        return not args.patterns or any(p in str(path.relative_to(nbtools.ROOT)) for p in args.patterns)

    for py in filter(wanted, nbtools.chapter_sources()):
        seconds = build_pair(py)
        print(f"{py.relative_to(nbtools.ROOT)}: executed in {seconds:.1f} s", flush=True)
    for py in filter(wanted, nbtools.solution_sources()):
        solved, student = build_exercise(py)
        name = py.relative_to(nbtools.ROOT)
        print(f"{name}: executed in {solved:.1f} s; student notebook in {student:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
