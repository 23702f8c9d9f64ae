"""Offline data: synthetic generators. Every function takes a seed (int) or a numpy Generator."""

from __future__ import annotations

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
