"""Notebook tooling shared by `make notebooks` (scripts/notebooks.py) and the tests.

Chapters: chapters/NN_slug/{zh,en}.py are the sources (jupytext py:percent); the .ipynb twins are executed copies.
Exercises: exercises/solutions/NN_slug.py is the source; exercises/NN_slug.ipynb is generated from it.
"""

from __future__ import annotations

import re
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "chapters"
EXERCISES = ROOT / "exercises"
SOLUTIONS = EXERCISES / "solutions"
LANGS = ("zh", "en")
KERNELSPEC = {"name": "mlcourse", "display_name": "Python (mlcourse)", "language": "python"}
PY_FORMAT = "py:percent"

# Solution markers in exercises/solutions/*.py:
#   a block between "# BEGIN SOLUTION" and "# END SOLUTION" becomes `raise NotImplementedError(...)`,
#   a line ending in "# SOLUTION" keeps only its left-hand side: `answer = ...`,
#   a cell tagged "solution" (a worked answer in prose) is left out of the student notebook.
BEGIN = re.compile(r"^(\s*)# BEGIN SOLUTION\s*$")
END = re.compile(r"^\s*# END SOLUTION\s*$")
ONE_LINE = re.compile(r"^(\s*)([A-Za-z_][\w\s,\[\]\.]*?)\s*=\s*.*#\s*SOLUTION\s*$")
STUB = 'raise NotImplementedError("在这里写代码 / write your code here")'
FILL = "...  # 填写答案 / fill in your answer"


def chapter_dirs() -> list[Path]:
    return sorted(p for p in CHAPTERS.glob("[0-9][0-9]_*") if p.is_dir())


def chapter_sources() -> list[Path]:
    return [d / f"{lang}.py" for d in chapter_dirs() for lang in LANGS if (d / f"{lang}.py").exists()]


def solution_sources() -> list[Path]:
    return sorted(SOLUTIONS.glob("[0-9][0-9]_*.py"))


def student_path(solution: Path) -> Path:
    return EXERCISES / solution.with_suffix(".ipynb").name


def read_source(py: Path) -> nbformat.NotebookNode:
    """The notebook a py:percent file describes, with the course kernelspec and stable cell ids."""
    nb = jupytext.read(py, fmt=PY_FORMAT)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    return stable_ids(nb)


def stable_ids(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Number the cells (cell-0, cell-1, ...) so that a rebuild does not rewrite every cell id."""
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
    return nb


def py_text(nb: nbformat.NotebookNode) -> str:
    """The py:percent text of a notebook, as the sync check expects it."""
    return jupytext.writes(nb, fmt=PY_FORMAT)


def code_sources(nb: nbformat.NotebookNode) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "code"]


def cell_fingerprint(nb: nbformat.NotebookNode) -> list[tuple[str, str, tuple[str, ...]]]:
    """What must agree between a notebook and its source: type, text and tags of every cell."""
    return [(c.cell_type, c.source, tuple(c.get("metadata", {}).get("tags", []))) for c in nb.cells]


def make_student(solution: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The student notebook: solution blocks replaced by stubs, solution-tagged cells removed, outputs cleared."""
    student = nbformat.v4.new_notebook(metadata=dict(solution.metadata))
    student.metadata.pop("jupytext", None)
    for cell in solution.cells:
        if "solution" in cell.get("metadata", {}).get("tags", []):
            continue
        source = _strip_solutions(cell.source) if cell.cell_type == "code" else cell.source
        if cell.cell_type == "code":
            new = nbformat.v4.new_code_cell(source)
        elif cell.cell_type == "markdown":
            new = nbformat.v4.new_markdown_cell(source)
        else:
            new = nbformat.v4.new_raw_cell(source)
        tags = [t for t in cell.get("metadata", {}).get("tags", []) if t != "solution"]
        if tags:
            new.metadata["tags"] = tags
        student.cells.append(new)
    return stable_ids(student)


def _strip_solutions(source: str) -> str:
    out: list[str] = []
    inside = False
    for line in source.splitlines():
        if inside:
            if END.match(line):
                inside = False
            continue
        begin = BEGIN.match(line)
        if begin:
            inside = True
            out.append(begin.group(1) + STUB)
            continue
        one = ONE_LINE.match(line)
        if one:
            out.append(f"{one.group(1)}{one.group(2)} = {FILL}")
            continue
        out.append(line)
    if inside:
        raise ValueError("a '# BEGIN SOLUTION' block has no '# END SOLUTION'")
    return "\n".join(out)


# A soft line break inside a Markdown paragraph renders as a space, which is wrong between two Chinese characters.
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef\u2018\u2019\u201c\u201d\u2026\u2014"
_CJK_END = re.compile(rf"[{_CJK}](\*{{1,2}})?$")
_CJK_START = re.compile(rf"^\s*(\*{{1,2}})?[{_CJK}]")
_BLOCK_START = re.compile(r"^\s*([-*+] |\d+\. |#|\||>|\$\$|```)")


def cjk_soft_breaks(text: str) -> list[int]:
    """Line numbers i where line i ends and line i + 1 starts with a Chinese character inside one paragraph."""
    lines = text.splitlines()
    found, fenced = [], False
    for i in range(len(lines) - 1):
        stripped = lines[i].strip()
        if stripped.startswith("```") or stripped.count("$$") == 1:  # a code fence or display maths opens/closes
            fenced = not fenced
        if fenced or _BLOCK_START.match(lines[i + 1]) or lines[i].lstrip().startswith(("#", "|")):
            continue
        if _CJK_END.search(lines[i]) and _CJK_START.match(lines[i + 1]):
            found.append(i)
    return found


def join_cjk_soft_breaks(text: str) -> str:
    """Join the lines cjk_soft_breaks finds, so that no stray space appears between Chinese characters."""
    lines = text.splitlines()
    for i in reversed(cjk_soft_breaks(text)):
        lines[i : i + 2] = [lines[i] + lines[i + 1].lstrip()]
    return "\n".join(lines)
