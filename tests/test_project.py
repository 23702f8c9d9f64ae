"""The project itself: lint, light imports, the lock file and the conda route."""

import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def lock_entries() -> dict[str, str]:
    entries = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"requirements.lock: {line!r} is not pinned with =="
            entries[name.lower().replace("_", "-")] = version
    return entries


def test_ruff_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_mlcourse_is_light():
    code = (
        "import sys, mlcourse; heavy = [m for m in ('torch', 'matplotlib', 'sympy', 'sklearn') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"import mlcourse pulled in: {result.stdout.strip()}"


def test_lock_pins_everything_and_the_cpu_torch():
    entries = lock_entries()
    assert entries["torch"] == "2.13.0"
    for needed in (
        "numpy",
        "matplotlib",
        "sympy",
        "jupyterlab",
        "nbval",
        "pytest",
        "jupytext",
        "ruff",
        "hypothesis",
    ):
        assert needed in entries, f"{needed} missing from requirements.lock"


def test_pyproject_dependencies_are_in_the_lock():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    entries = lock_entries()
    wanted = project["dependencies"] + project["optional-dependencies"]["torch"]
    wanted += project["optional-dependencies"]["test"]
    for requirement in wanted:
        name = re.split(r"[<>=!~\[ ]", requirement, maxsplit=1)[0].lower().replace("_", "-")
        assert name in entries, f"{name} (pyproject.toml) is not pinned in requirements.lock"


def test_environment_yml_installs_the_lock_file():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    assert "python=3.11" in deps
    assert "pip" in deps
    pip_section = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
    assert pip_section == ["-r requirements.lock", "-e ."]


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    assert "make test" in (ROOT / "README.md").read_text()


def _glossary(path: Path) -> str:
    text = (ROOT / path).read_text(encoding="utf-8")
    start = text.index("| 中文 | English | symbol |")
    end = text.find("\n## ", start)
    return text[start:end].strip()


def test_glossary_is_the_same_in_both_readmes():
    assert _glossary(Path("README.md")) == _glossary(Path("README.zh.md"))


def test_glossary_has_one_row_per_chinese_term():
    rows = [line.split("|")[1].strip() for line in _glossary(Path("README.md")).splitlines()[2:]]
    duplicates = sorted({r for r in rows if rows.count(r) > 1})
    assert not duplicates, f"glossary terms listed twice: {duplicates}"
