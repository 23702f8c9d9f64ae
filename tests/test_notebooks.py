"""Notebook pipeline checks: py/ipynb twins in sync, zh/en parity, setup first, student exercises up to date."""

import ast
import re

import jupytext
import nbformat
import nbtools
import pytest

CHAPTER_DIRS = nbtools.chapter_dirs()
PAIRED = [p.with_suffix(".ipynb") for p in nbtools.chapter_sources() + nbtools.solution_sources()]
SETUP_CALL = re.compile(r"mlcourse\.setup\(seed=\d+, lang=\"(zh|en)\"\)")


def ids(paths):
    return [str(p.relative_to(nbtools.ROOT)) for p in paths]


def test_there_are_chapters():
    assert CHAPTER_DIRS, "no chapters/NN_slug folders found"


@pytest.mark.parametrize("ipynb", PAIRED, ids=ids(PAIRED))
def test_py_twin_in_sync(ipynb):
    py = ipynb.with_suffix(".py")
    assert py.exists(), f"{py.name} is missing: run `make notebooks`"
    nb = nbformat.read(ipynb, as_version=4)
    source = nbtools.read_source(py)
    assert nbtools.cell_fingerprint(nb) == nbtools.cell_fingerprint(source), (
        f"{ipynb.name} and {py.name} differ: edit the .py twin, then run `make notebooks`"
    )
    assert nbtools.py_text(jupytext.read(ipynb)) == py.read_text(encoding="utf-8")


@pytest.mark.parametrize("ipynb", PAIRED, ids=ids(PAIRED))
def test_every_code_cell_was_executed(ipynb):
    nb = nbformat.read(ipynb, as_version=4)
    unrun = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source and c.execution_count is None]
    assert not unrun, f"cells {unrun} of {ipynb.name} have no stored output: run `make notebooks`"


def _normalised_ast(source: str) -> str:
    source = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))

    class Strings(ast.NodeTransformer):
        def visit_Constant(self, node):
            return ast.Constant("STR") if isinstance(node.value, str) else node

        def visit_JoinedStr(self, node):
            # f-strings: keep the expressions, drop the literal text
            values = [self.visit(v.value) for v in node.values if isinstance(v, ast.FormattedValue)]
            return ast.Tuple(elts=values, ctx=ast.Load())

    return ast.dump(Strings().visit(ast.parse(source)))


def _headings(nb) -> list[int]:
    levels = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            in_code = False
            for line in cell.source.splitlines():
                if line.startswith("```"):
                    in_code = not in_code
                m = re.match(r"^(#{1,6})\s", line)
                if m and not in_code:
                    levels.append(len(m.group(1)))
    return levels


@pytest.mark.parametrize("chapter", CHAPTER_DIRS, ids=ids(CHAPTER_DIRS))
def test_zh_en_parity(chapter):
    zh_py, en_py = chapter / "zh.py", chapter / "en.py"
    assert zh_py.exists() and en_py.exists(), f"{chapter.name} needs both zh.py and en.py"
    zh, en = nbtools.read_source(zh_py), nbtools.read_source(en_py)
    zh_code, en_code = nbtools.code_sources(zh), nbtools.code_sources(en)
    assert len(zh_code) == len(en_code), f"{chapter.name}: {len(zh_code)} zh code cells vs {len(en_code)} en"
    for i, (a, b) in enumerate(zip(zh_code, en_code, strict=True)):
        assert _normalised_ast(a) == _normalised_ast(b), f"{chapter.name}: code cell {i} differs beyond strings"
    assert _headings(zh) == _headings(en), f"{chapter.name}: zh and en headings differ in number or level"


@pytest.mark.parametrize("py", nbtools.chapter_sources(), ids=ids(nbtools.chapter_sources()))
def test_setup_is_the_first_call(py):
    nb = nbtools.read_source(py)
    first = nbtools.code_sources(nb)[0]
    match = SETUP_CALL.search(first)
    assert match, f"{py}: the first code cell must call mlcourse.setup(seed=..., lang=...)"
    assert match.group(1) == py.stem, f"{py}: setup uses lang={match.group(1)!r}"


SOLUTIONS = nbtools.solution_sources()


@pytest.mark.parametrize("solution", SOLUTIONS, ids=ids(SOLUTIONS))
def test_student_exercises_up_to_date(solution):
    student_file = nbtools.student_path(solution)
    assert student_file.exists(), f"{student_file.name} is missing: run `make notebooks`"
    expected = nbtools.make_student(nbtools.read_source(solution))
    actual = nbformat.read(student_file, as_version=4)
    assert nbtools.cell_fingerprint(actual) == nbtools.cell_fingerprint(expected), (
        f"{student_file.name} is stale: run `make notebooks`"
    )


def test_every_chapter_has_exercises():
    names = {p.stem for p in SOLUTIONS}
    missing = [d.name for d in CHAPTER_DIRS if d.name not in names]
    assert not missing, f"chapters without exercises/solutions/<chapter>.py: {missing}"


def test_student_generation_replaces_solutions():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("def f(x):\n    # BEGIN SOLUTION\n    return 2 * x\n    # END SOLUTION"),
        nbformat.v4.new_code_cell("answer = 0.25  # SOLUTION\ncheck.value(answer, 0.25)"),
        nbformat.v4.new_markdown_cell("The answer is 0.25.", metadata={"tags": ["solution"]}),
    ]
    student = nbtools.make_student(nb)
    assert len(student.cells) == 2
    assert student.cells[0].source == f"def f(x):\n    {nbtools.STUB}"
    assert student.cells[1].source == f"answer = {nbtools.FILL}\ncheck.value(answer, 0.25)"
    assert "0.25  #" not in student.cells[1].source and "2 * x" not in student.cells[0].source


def test_unclosed_solution_block_is_an_error():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("# BEGIN SOLUTION\nx = 1")]
    with pytest.raises(ValueError, match="END SOLUTION"):
        nbtools.make_student(nb)


def _check_outputs(nb) -> list[str]:
    texts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            text = out.get("text") or out.get("data", {}).get("text/plain", "")
            if "✅" in text or "❌" in text:
                texts.append(text)
    return texts


@pytest.mark.parametrize("solution", SOLUTIONS, ids=ids(SOLUTIONS))
def test_solutions_pass_and_student_copies_are_unanswered(solution):
    solved = _check_outputs(nbformat.read(solution.with_suffix(".ipynb"), as_version=4))
    student = _check_outputs(nbformat.read(nbtools.student_path(solution), as_version=4))
    assert solved, f"{solution.name}: no check results stored"
    assert all(t.startswith("✅") for t in solved), f"{solution.name}: a solution does not pass its check"
    assert len(student) == len(solved)
    assert all("未完成 / not filled in yet" in t for t in student), "a student exercise is answered already"


CHINESE_SOURCES = [d / "zh.py" for d in CHAPTER_DIRS if (d / "zh.py").exists()] + SOLUTIONS


@pytest.mark.parametrize("py", CHINESE_SOURCES, ids=ids(CHINESE_SOURCES))
def test_no_line_break_between_chinese_characters(py):
    nb = nbtools.read_source(py)
    bad = [
        (i, n) for i, c in enumerate(nb.cells) if c.cell_type == "markdown" for n in nbtools.cjk_soft_breaks(c.source)
    ]
    assert not bad, (
        f"{py}: Markdown cells break lines between Chinese characters (cell, line): {bad[:5]}; run `make notebooks`"
    )


def test_soft_break_joining():
    text = "中文第一行\n第二行。\n- 列表\n  继续\n$$\n中\n文\n$$\nEnglish line\nnext line\n中文\nEnglish"
    joined = nbtools.join_cjk_soft_breaks(text)
    assert joined == "中文第一行第二行。\n- 列表继续\n$$\n中\n文\n$$\nEnglish line\nnext line\n中文\nEnglish"
