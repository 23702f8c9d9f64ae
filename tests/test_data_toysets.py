"""mlcourse.data: the 2×2-image / 3-class toy set of seed 001 and the Gaussian blobs (mlcourse/toysets.py)."""

import numpy as np
import pytest

from mlcourse import data


def test_toy_images_shapes_labels_and_range():
    X, y, images = data.toy_images(n_per_class=10, seed=0)
    assert X.shape == (30, 4) and y.shape == (30,) and images.shape == (30, 2, 2)
    assert X.dtype == np.float64 and np.issubdtype(y.dtype, np.integer)
    np.testing.assert_array_equal(np.bincount(y), [10, 10, 10])
    np.testing.assert_array_equal(X, images.reshape(30, 4))  # x_1..x_4 read row by row
    assert X.min() >= 0.0 and X.max() <= 1.0
    assert data.TOY_CLASSES == ("cat", "chicken", "dog") and data.TOY_PROTOTYPES.shape == (3, 2, 2)


def test_toy_images_are_seeded_and_near_their_prototype():
    a = data.toy_images(seed=3)
    b = data.toy_images(seed=np.random.default_rng(3))
    for u, v in zip(a, b, strict=True):
        np.testing.assert_array_equal(u, v)
    assert not np.array_equal(a[0], data.toy_images(seed=4)[0])
    X, y, _ = data.toy_images(n_per_class=200, noise=0.25, seed=0)
    protos = data.TOY_PROTOTYPES.reshape(3, 4)
    nearest = np.argmin(((X[:, None, :] - protos[None]) ** 2).sum(-1), axis=1)
    assert (nearest == y).mean() > 0.95
    X0, y0, _ = data.toy_images(n_per_class=2, noise=0.0, seed=0)
    np.testing.assert_array_equal(X0, protos[y0])


def test_blobs():
    X, y = data.gaussian_blobs(n_per_class=50, centers=[[0, 0], [10, 0]], std=0.5, seed=1)
    assert X.shape == (100, 2) and np.bincount(y).tolist() == [50, 50]
    np.testing.assert_allclose(X[y == 1].mean(axis=0), [10, 0], atol=0.3)
    X2, y2 = data.gaussian_blobs(n_per_class=50, centers=[[0, 0], [10, 0]], std=0.5, seed=1)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: data.toy_images(n_per_class=0), ValueError, "n_per_class must be an integer >= 1"),
        (lambda: data.toy_images(noise=-1.0), ValueError, "noise must be a number >= 0"),
        (lambda: data.toy_images(seed=-1), TypeError, "seed must be"),
        (lambda: data.gaussian_blobs(centers=[1, 2, 3]), ValueError, r"centers must be a finite \(K, 2\)"),
        (lambda: data.gaussian_blobs(std="x"), ValueError, "std must be"),
    ],
)
def test_bad_arguments(call, error, match):
    with pytest.raises(error, match=match):
        call()
