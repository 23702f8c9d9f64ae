"""setup(seed, lang): the first call of every notebook — seeds, one thread, print options, figures, fonts."""

from __future__ import annotations

import os
import random
import sys
import warnings
from pathlib import Path

import numpy as np

LANGS = ("zh", "en")

# Preferred CJK families, best first (Simplified Chinese variants before others).
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "Noto Sans CJK JP",
    "Droid Sans Fallback",
)
# Where Linux, macOS and Windows keep fonts; files found here are registered even when they were installed
# after matplotlib built its font cache.
FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
    "~/Library/Fonts",
    "C:/Windows/Fonts",
)
_CJK_FILE_HINTS = ("cjk", "wqy", "sourcehan", "msyh", "simhei", "pingfang", "droidsansfallback", "notosanssc")

INSTALL_HINT = (
    "No CJK font found, so Chinese plot labels cannot be drawn. Install one, then restart the kernel: "
    "`sudo apt-get install fonts-wqy-microhei` (Debian/Ubuntu), "
    "`conda install -c conda-forge font-ttf-noto-cjk`, or any Noto Sans CJK SC font."
)


def setup(seed: int = 0, lang: str = "en") -> None:
    """Seed random/numpy/torch, use one thread, set print options, inline PNG figures, and fonts for `lang`.

    Calling it again is harmless (it resets the seeds).
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise TypeError(f"seed must be a non-negative integer, got {seed!r}")
    if lang not in LANGS:
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002 - students' code may use the legacy global generator
    np.set_printoptions(precision=4, suppress=True, linewidth=100)
    _one_thread()
    _seed_torch(seed)
    _configure_figures(lang)


def _one_thread() -> None:
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        return
    threadpool_limits(1)


def _seed_torch(seed: int) -> None:
    try:
        import torch
    except ImportError:
        return
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    torch.set_printoptions(precision=4, sci_mode=False)
    torch.use_deterministic_algorithms(True, warn_only=True)


def _configure_figures(lang: str) -> None:
    import matplotlib as mpl

    if "ipykernel" in sys.modules:
        _inline_png()
    mpl.rcParams.update(
        {
            "figure.figsize": (6.4, 4.0),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.unicode_minus": True,
        }
    )
    families = ["DejaVu Sans"]  # Latin text and the minus sign stay in DejaVu Sans
    if lang == "zh":
        cjk = find_cjk_font()
        if cjk is None:
            warnings.warn(INSTALL_HINT, stacklevel=3)
        else:
            families.append(cjk)
    # Concrete names in font.family make matplotlib fall back glyph by glyph: Latin from DejaVu Sans, Chinese
    # from the CJK font (a generic "sans-serif" family would resolve to one font only).
    mpl.rcParams["font.family"] = families
    mpl.rcParams["font.sans-serif"] = families


def _inline_png() -> None:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return
    shell = get_ipython()
    if shell is None:
        return
    shell.run_line_magic("matplotlib", "inline")
    shell.run_line_magic("config", "InlineBackend.figure_formats = ['png']")
    shell.run_line_magic("config", "InlineBackend.rc = {}")


def find_cjk_font() -> str | None:
    """Name of an installed CJK font family matplotlib can use (registering late-installed files), or None."""
    from matplotlib import font_manager

    known = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in known:
            return family
    for path in _cjk_font_files():
        try:
            font_manager.fontManager.addfont(str(path))
        except (OSError, RuntimeError, ValueError):
            continue
    known = {f.name for f in font_manager.fontManager.ttflist}
    return next((family for family in CJK_FAMILIES if family in known), None)


def _cjk_font_files() -> list[Path]:
    found = []
    for folder in FONT_DIRS:
        root = Path(folder).expanduser()
        if not root.is_dir():
            continue
        for path in root.rglob("*"):
            name = path.name.lower().replace("-", "").replace("_", "")
            if path.suffix.lower() in (".ttf", ".ttc", ".otf") and any(h in name for h in _CJK_FILE_HINTS):
                found.append(path)
    return sorted(found)
