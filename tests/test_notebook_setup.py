"""mlcourse.setup: determinism, idempotence, fonts that render Chinese without warnings."""

import io
import random
import subprocess
import sys
import warnings

import numpy as np
import pytest

import mlcourse
from mlcourse import notebook


def test_seeds_are_reset_on_every_call():
    mlcourse.setup(seed=3)
    first = (random.random(), np.random.rand())  # noqa: NPY002
    mlcourse.setup(seed=3)
    assert (random.random(), np.random.rand()) == first  # noqa: NPY002


def test_torch_is_seeded_and_single_threaded():
    torch = pytest.importorskip("torch")
    mlcourse.setup(seed=5)
    a = torch.rand(3)
    mlcourse.setup(seed=5)
    assert torch.equal(a, torch.rand(3))
    assert torch.get_num_threads() == 1


@pytest.mark.parametrize("lang", ["de", "", None, "ZH"])
def test_unknown_language(lang):
    with pytest.raises(ValueError, match="lang must be 'zh' or 'en'"):
        mlcourse.setup(lang=lang)


@pytest.mark.parametrize("seed", [-1, 1.5, "0", True])
def test_bad_seed(seed):
    with pytest.raises(TypeError, match="seed must be a non-negative integer"):
        mlcourse.setup(seed=seed)


def test_english_keeps_dejavu_first():
    import matplotlib as mpl

    mlcourse.setup(lang="en")
    assert mpl.rcParams["font.sans-serif"] == ["DejaVu Sans"]


def test_chinese_labels_render_without_glyph_warnings():
    import matplotlib as mpl
    import matplotlib.pyplot as plt

    if notebook.find_cjk_font() is None:
        pytest.skip("no CJK font on this machine (make fonts installs one)")
    mlcourse.setup(lang="zh")
    families = mpl.rcParams["font.sans-serif"]
    assert families[0] == "DejaVu Sans" and families[1] in notebook.CJK_FAMILIES
    fig, ax = plt.subplots()
    ax.set_title("均方误差 (MSE) −1")
    ax.set_xlabel("预测值 ŷ")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)
    mlcourse.setup(lang="en")


def test_setup_twice_is_harmless():
    mlcourse.setup(seed=0, lang="zh" if notebook.find_cjk_font() else "en")
    mlcourse.setup(seed=0, lang="en")
    import matplotlib as mpl

    assert mpl.rcParams["font.sans-serif"] == ["DejaVu Sans"]


def test_missing_cjk_font_warns_with_the_fix(monkeypatch):
    monkeypatch.setattr(notebook, "find_cjk_font", lambda: None)
    with pytest.warns(UserWarning, match="fonts-wqy-microhei"):
        mlcourse.setup(lang="zh")
    mlcourse.setup(lang="en")


def test_late_installed_fonts_are_found_on_disk():
    files = notebook._cjk_font_files()
    if not files:
        pytest.skip("no CJK font files on this machine")
    assert all(p.suffix.lower() in (".ttf", ".ttc", ".otf") for p in files)


def test_setup_in_a_fresh_process_prints_nothing():
    code = "import mlcourse; mlcourse.setup(seed=0, lang='zh'); mlcourse.setup(seed=0, lang='zh')"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    if notebook.find_cjk_font() is not None:
        assert result.stdout == "" and result.stderr == ""
