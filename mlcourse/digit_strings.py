"""Synthetic digit strings for CTC (chapter 09): 1 to 6 of the bundled 8×8 digits side by side, with random gaps,
a random left margin and a random vertical offset (jitter), as variable-width text-line images with their labels.

Re-exported by mlcourse.data. Pixels are scaled to [0, 1] (raw grey level / max_value) and each image is padded on
the right with 0 (background) up to a common width W, so that a batch is one (N, H, W) array; `widths` holds the
real width of each string. Train and held-out strings come from disjoint digit images (load_digit_strings).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["DigitStrings", "compose_digit_string", "digit_strings", "load_digit_strings"]


@dataclass(frozen=True)
class DigitStrings:
    """N strings: images (N, H, W) in [0, 1], right-padded with 0; widths (N,) real widths; labels[i] its digits;
    positions[i] the first column of each digit in image i; sources[i] the indices of the digit images used."""

    images: np.ndarray
    widths: np.ndarray
    labels: list[list[int]]
    positions: list[list[int]]
    sources: list[list[int]]

    def __len__(self) -> int:
        return len(self.labels)

    @property
    def label_lengths(self) -> np.ndarray:
        """U_i, the number of digits of each string: (N,) int64."""
        return np.array([len(lab) for lab in self.labels], dtype=np.int64)

    def padded_labels(self, fill: int = 0) -> np.ndarray:
        """Labels as an (N, max U_i) int64 array, `fill` past each string's end (CTC ignores it)."""
        out = np.full((len(self.labels), int(self.label_lengths.max(initial=0))), fill, dtype=np.int64)
        for i, lab in enumerate(self.labels):
            out[i, : len(lab)] = lab
        return out


def _int_at_least(x, name: str, low: int) -> int:
    if isinstance(x, bool) or not isinstance(x, (int, np.integer)) or x < low:
        raise ValueError(f"{name} must be an integer >= {low}, got {x!r}")
    return int(x)


def compose_digit_string(
    digits: Sequence[np.ndarray] | np.ndarray,
    gaps: Sequence[int],
    offsets: Sequence[int],
    *,
    left: int = 2,
    right: int = 2,
    height: int = 10,
) -> tuple[np.ndarray, list[int]]:
    """Paste digit images (h, w) side by side: `left` columns, d_1, gaps[0] columns, d_2, ..., `right` columns.

    offsets[j] is the row of the top of digit j (0 <= offset <= height − h); gaps may be negative (overlap, the
    brighter pixel wins).  -> (image (height, width), first column of each digit).
    """
    digits = [np.asarray(d, dtype=np.float64) for d in digits]
    if not digits or any(d.ndim != 2 for d in digits):
        raise ValueError("digits must be a non-empty sequence of 2-D images (h, w)")
    if len(gaps) != len(digits) - 1 or len(offsets) != len(digits):
        raise ValueError(
            f"{len(digits)} digits need {len(digits) - 1} gaps and {len(digits)} offsets, "
            f"got {len(gaps)} and {len(offsets)}"
        )
    left, right = _int_at_least(left, "left", 0), _int_at_least(right, "right", 0)
    starts, x = [], left
    for j, d in enumerate(digits):
        starts.append(x)
        x += d.shape[1] + (int(gaps[j]) if j < len(gaps) else 0)
    width = max(x + right, max(s + d.shape[1] for s, d in zip(starts, digits, strict=True)) + right)
    if min(starts) < 0:
        raise ValueError("gaps overlap so much that a digit starts before column 0")
    image = np.zeros((height, width))
    for s, d, top in zip(starts, digits, offsets, strict=True):
        if not 0 <= int(top) <= height - d.shape[0]:
            raise ValueError(f"offsets must be in [0, height − h] = [0, {height - d.shape[0]}], got {top}")
        window = image[int(top) : int(top) + d.shape[0], s : s + d.shape[1]]
        np.maximum(window, d, out=window)
    return image, starts


def digit_strings(
    images,
    labels,
    n: int,
    *,
    min_len: int = 1,
    max_len: int = 6,
    max_gap: int = 3,
    jitter: int = 1,
    max_value: float = 16.0,
    seed: int | np.random.Generator = 0,
) -> DigitStrings:
    """n strings of U ~ uniform{min_len..max_len} digits drawn from `images` (M, h, w) with `labels` (M,).

    Gaps between digits and the left margin ~ uniform{0..max_gap} columns (right margin 2); each digit's top row
    ~ uniform{0..2·jitter} in images of height h + 2·jitter. All images are right-padded with 0 to one width W, a
    multiple of 4 and at least the widest possible string (72 with the defaults). Pixels are divided by max_value.
    """
    from mlcourse.data import rng_from

    images = np.asarray(images, dtype=np.float64)
    labels = np.asarray(labels)
    if images.ndim != 3 or images.shape[0] == 0:
        raise ValueError(f"images must have shape (M, h, w) with M >= 1, got {images.shape}")
    if labels.shape != images.shape[:1] or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be (M,) = ({images.shape[0]},) integers, got {labels.dtype} {labels.shape}")
    n = _int_at_least(n, "n", 1)
    min_len = _int_at_least(min_len, "min_len", 1)
    max_len = _int_at_least(max_len, "max_len", min_len)
    max_gap = _int_at_least(max_gap, "max_gap", 0)
    jitter = _int_at_least(jitter, "jitter", 0)
    if not max_value > 0:
        raise ValueError(f"max_value must be > 0, got {max_value!r}")
    rng = rng_from(seed)
    M, h, w = images.shape
    height = h + 2 * jitter
    widest = 2 * max_gap + 2 + max_len * w + (max_len - 1) * max_gap
    W = -(-widest // 4) * 4
    out = np.zeros((n, height, W))
    widths = np.zeros(n, dtype=np.int64)
    all_labels, all_positions, all_sources = [], [], []
    for i in range(n):
        U = int(rng.integers(min_len, max_len + 1))
        idx = rng.integers(0, M, size=U)
        gaps = rng.integers(0, max_gap + 1, size=U - 1)
        offsets = rng.integers(0, 2 * jitter + 1, size=U)
        left = int(rng.integers(0, max_gap + 1))
        image, starts = compose_digit_string(images[idx] / max_value, gaps, offsets, left=left, height=height)
        out[i, :, : image.shape[1]] = image
        widths[i] = image.shape[1]
        all_labels.append(labels[idx].astype(int).tolist())
        all_positions.append(starts)
        all_sources.append(idx.tolist())
    return DigitStrings(out, widths, all_labels, all_positions, all_sources)


def load_digit_strings(
    n_train: int = 4000, n_test: int = 1000, *, seed: int = 0, **kwargs
) -> tuple[DigitStrings, DigitStrings]:
    """(train, test) strings from load_digits(seed=seed): train strings use only its training images, test strings
    only its test images, so no digit image of a held-out string was ever seen in training. kwargs: digit_strings.
    """
    from mlcourse.data import load_digits

    split = load_digits(scale=None, seed=seed)
    rng = np.random.default_rng([int(seed), 9])  # one stream for both sets, independent of the split's
    train = digit_strings(split.images_train, split.y_train, n_train, seed=rng, **kwargs)
    test = digit_strings(split.images_test, split.y_test, n_test, seed=rng, **kwargs)
    return train, test
