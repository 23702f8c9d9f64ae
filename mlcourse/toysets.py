"""Small seeded classification sets for chapters 02–03 (re-exported by mlcourse.data).

Labels are 0-based integers everywhere; the one-hot vector of label k has its 1 at index k.
"""

from __future__ import annotations

import numpy as np

__all__ = ["TOY_CLASSES", "TOY_PROTOTYPES", "gaussian_blobs", "toy_images"]

# The 2×2 grey images of seed 001: three classes, label k <-> one-hot e_k, in this order.
TOY_CLASSES = ("cat", "chicken", "dog")
# Grey levels in [0, 1] (1 = bright). Each pair of prototypes differs in exactly two pixels.
TOY_PROTOTYPES = np.array(
    [
        [[1.0, 1.0], [0.0, 0.0]],  # cat: bright top row
        [[1.0, 0.0], [1.0, 0.0]],  # chicken: bright left column
        [[0.0, 1.0], [1.0, 0.0]],  # dog: bright anti-diagonal
    ]
)


def _count(n, name: str) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {n!r}")
    return int(n)


def _scale(x, name: str) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float, np.floating, np.integer)) or not x >= 0:
        raise ValueError(f"{name} must be a number >= 0, got {x!r}")
    return float(x)


def toy_images(
    n_per_class: int = 20, *, noise: float = 0.25, seed: int | np.random.Generator = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """2×2 grey images x = prototype[y] + N(0, noise²) clipped to [0, 1], classes TOY_CLASSES, shuffled.

    -> (X (N, 4) the pixels x_1..x_4 row by row, y (N,) labels in {0, 1, 2}, images (N, 2, 2)), N = 3·n_per_class
    """
    from mlcourse.data import rng_from

    n = _count(n_per_class, "n_per_class")
    noise = _scale(noise, "noise")
    rng = rng_from(seed)
    y = np.repeat(np.arange(len(TOY_CLASSES)), n)
    images = np.clip(TOY_PROTOTYPES[y] + noise * rng.standard_normal((y.size, 2, 2)), 0.0, 1.0)
    order = rng.permutation(y.size)
    images, y = images[order], y[order]
    return images.reshape(-1, 4), y, images


def gaussian_blobs(
    n_per_class: int = 60,
    *,
    centers=((-2.0, -1.0), (2.0, -1.0), (0.0, 2.0)),
    std: float = 1.0,
    seed: int | np.random.Generator = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Points in the plane around each center c_k: x = c_k + N(0, std²·I), label k, shuffled.

    centers: (K, 2). -> (X (K·n_per_class, 2), y (K·n_per_class,) labels in 0..K−1)
    """
    from mlcourse.data import rng_from

    n = _count(n_per_class, "n_per_class")
    std = _scale(std, "std")
    centers = np.asarray(centers, dtype=np.float64)
    if centers.ndim != 2 or centers.shape[1] != 2 or centers.shape[0] < 1 or not np.isfinite(centers).all():
        raise ValueError(f"centers must be a finite (K, 2) array with K >= 1, got shape {centers.shape}")
    rng = rng_from(seed)
    y = np.repeat(np.arange(centers.shape[0]), n)
    X = centers[y] + std * rng.standard_normal((y.size, 2))
    order = rng.permutation(y.size)
    return X[order], y[order]
