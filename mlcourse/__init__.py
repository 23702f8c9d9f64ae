"""mlcourse: the helper package of a bilingual course on how neural networks learn.

Importing it is cheap: torch, matplotlib and sympy are imported only by the modules that need them.
"""

__version__ = "0.1.0"

__all__ = ["__version__", "setup"]


def setup(seed: int = 0, lang: str = "en") -> None:
    """Deterministic notebook setup: seeds, one thread, print options, inline PNG figures, fonts for `lang`."""
    from mlcourse.notebook import setup as _setup

    _setup(seed=seed, lang=lang)
