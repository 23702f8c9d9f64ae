"""Offline data: synthetic generators. Every function takes a seed (int) or a numpy Generator."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def rng_from(seed: int | np.random.Generator) -> np.random.Generator:
    """A numpy Generator from an int seed, or the Generator itself."""
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise TypeError(f"seed must be a non-negative int or a numpy Generator, got {seed!r}")
    return np.random.default_rng(int(seed))


def regression_with_outliers(
    n: int = 30,
    n_outliers: int = 3,
    *,
    slope: float = 2.0,
    intercept: float = 1.0,
    noise: float = 0.5,
    outlier_shift: float = 15.0,
    seed: int | np.random.Generator = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """y = slope·x + intercept + N(0, noise²), x ∈ [0, 5]; `n_outliers` points pushed up by `outlier_shift`.

    Returns (x, y, is_outlier), each of shape (n,), sorted by x.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise ValueError(f"n must be an integer >= 2, got {n!r}")
    if isinstance(n_outliers, bool) or not isinstance(n_outliers, int) or not 0 <= n_outliers < n:
        raise ValueError(f"n_outliers must be an integer in [0, n), got {n_outliers!r}")
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise}")
    rng = rng_from(seed)
    x = np.sort(rng.uniform(0.0, 5.0, size=n))
    y = slope * x + intercept + noise * rng.standard_normal(n)
    is_outlier = np.zeros(n, dtype=bool)
    # outliers among the points with the largest x, where they pull a least-squares line the most
    is_outlier[rng.choice(np.arange(n // 2, n), size=n_outliers, replace=False)] = True
    y[is_outlier] += outlier_shift
    return x, y, is_outlier


@dataclass(frozen=True)
class Split:
    """A train/test split: X (N, D) features, y (N,) integer labels, images (N, h, w) raw pixel values."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    images_train: np.ndarray
    images_test: np.ndarray


DIGIT_SCALINGS = ("standard", "unit", "symmetric", None)


def scale_pixels(X_train: np.ndarray, X_test: np.ndarray, scale: str | None, max_value: float):
    """Scale pixel features. "standard": z-scores with the training mean/std (std 0 -> 1); "unit": x/max in
    [0, 1]; "symmetric": (x/max − 0.5)/0.5 in [−1, 1]; None: unchanged.  -> (X_train, X_test) float64"""
    if scale not in DIGIT_SCALINGS:
        raise ValueError(f"scale must be one of {DIGIT_SCALINGS}, got {scale!r}")
    X_train = np.asarray(X_train, dtype=np.float64)
    X_test = np.asarray(X_test, dtype=np.float64)
    if scale == "standard":
        mean = X_train.mean(axis=0)
        std = X_train.std(axis=0)
        std = np.where(std > 0, std, 1.0)
        return (X_train - mean) / std, (X_test - mean) / std
    if scale == "unit":
        return X_train / max_value, X_test / max_value
    if scale == "symmetric":
        return (X_train / max_value - 0.5) / 0.5, (X_test / max_value - 0.5) / 0.5
    return X_train, X_test


def load_digits(test_size: float = 0.25, *, scale: str | None = "standard", seed: int = 0) -> Split:
    """The 8×8 handwritten digits bundled with scikit-learn (1797 images, grey levels 0–16), split with a
    stratified seeded shuffle; features X are the 64 pixels scaled by `scale` (see scale_pixels)."""
    from sklearn.datasets import load_digits as _sklearn_digits
    from sklearn.model_selection import train_test_split

    if not isinstance(test_size, float) or not 0.0 < test_size < 1.0:
        raise ValueError(f"test_size must be a float in (0, 1), got {test_size!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise TypeError(f"seed must be a non-negative int, got {seed!r}")
    if scale not in DIGIT_SCALINGS:
        raise ValueError(f"scale must be one of {DIGIT_SCALINGS}, got {scale!r}")
    bunch = _sklearn_digits()
    images = bunch.images.astype(np.float64)
    y = bunch.target.astype(np.int64)
    idx_train, idx_test = train_test_split(np.arange(y.size), test_size=test_size, random_state=int(seed), stratify=y)
    X_train, X_test = scale_pixels(images[idx_train].reshape(-1, 64), images[idx_test].reshape(-1, 64), scale, 16.0)
    return Split(X_train, y[idx_train], X_test, y[idx_test], images[idx_train], images[idx_test])


def random_orthogonal(n: int, seed: int | np.random.Generator = 0) -> np.ndarray:
    """Q with QᵀQ = I, drawn uniformly (Haar): Q from the QR of an n×n Gaussian, columns signed by diag(R) > 0.

    n: size -> (n, n). Every singular value of ρQ is ρ, so ‖(ρQ)ᵀ g‖ = ρ‖g‖ for every vector g.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be an integer >= 1, got {n!r}")
    Q, R = np.linalg.qr(rng_from(seed).standard_normal((int(n), int(n))))
    return Q * np.where(np.diag(R) < 0, -1.0, 1.0)


# Chapter 08 (sentences with an exact entropy floor, the vocabulary): in mlcourse/corpus.py, mlcourse/vocab.py.
from mlcourse.corpus import Grammar, Vocabulary, sentence_grammar  # noqa: E402, F401

# The real MNIST from local IDX files (chapter 05): defined in mlcourse/mnist.py.
from mlcourse.mnist import MNISTNotFoundError, load_mnist  # noqa: E402, F401

# Chapters 02–03 (the 2×2-image / 3-class toy set of seed 001, Gaussian blobs): in mlcourse/toysets.py.
from mlcourse.toysets import TOY_CLASSES, TOY_PROTOTYPES, gaussian_blobs, toy_images  # noqa: E402, F401

# isort: split
# Chapter 09 (synthetic digit strings for CTC, from the bundled 8×8 digits): defined in mlcourse/digit_strings.py.
from mlcourse.digit_strings import DigitStrings, compose_digit_string, digit_strings, load_digit_strings  # noqa: E402, F401
