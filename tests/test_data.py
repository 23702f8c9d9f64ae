"""mlcourse.data: seeded, shaped as documented, checked arguments."""

import numpy as np
import pytest

from mlcourse import data


def test_regression_with_outliers_is_seeded():
    a = data.regression_with_outliers(seed=1)
    b = data.regression_with_outliers(seed=np.random.default_rng(1))
    for u, v in zip(a, b, strict=True):
        np.testing.assert_array_equal(u, v)
    c = data.regression_with_outliers(seed=2)
    assert not np.array_equal(a[1], c[1])


def test_regression_with_outliers_shapes_and_outliers():
    x, y, is_outlier = data.regression_with_outliers(n=40, n_outliers=4, noise=0.0, seed=0)
    assert x.shape == y.shape == is_outlier.shape == (40,)
    assert is_outlier.sum() == 4 and np.all(np.diff(x) >= 0)
    np.testing.assert_allclose(y[~is_outlier], 2 * x[~is_outlier] + 1)
    np.testing.assert_allclose(y[is_outlier], 2 * x[is_outlier] + 1 + 15)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": 1}, "n must be an integer >= 2"),
        ({"n_outliers": 30}, r"n_outliers must be an integer in \[0, n\)"),
        ({"noise": -1.0}, "noise must be >= 0"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        data.regression_with_outliers(**kwargs)


@pytest.mark.parametrize("seed", [-1, 1.5, None, "0"])
def test_bad_seed(seed):
    with pytest.raises(TypeError, match="seed must be a non-negative int or a numpy Generator"):
        data.rng_from(seed)


def test_load_digits_split_and_scaling():
    split = data.load_digits(seed=0)
    assert split.X_train.shape == (1347, 64) and split.X_test.shape == (450, 64)
    assert split.images_train.shape == (1347, 8, 8) and split.y_test.dtype == np.int64
    np.testing.assert_allclose(split.X_train.mean(axis=0), 0.0, atol=1e-12)
    used = split.images_train.reshape(-1, 64).std(axis=0) > 0
    np.testing.assert_allclose(split.X_train.std(axis=0)[used], 1.0, rtol=1e-12)
    assert set(np.unique(split.y_train)) == set(range(10))
    # stratified: every class has about a quarter of its images in the test set
    counts = np.bincount(split.y_test, minlength=10) / (np.bincount(split.y_test) + np.bincount(split.y_train))
    assert np.all(np.abs(counts - 0.25) < 0.02)


def test_load_digits_is_seeded_and_scales():
    a, b, c = data.load_digits(seed=1), data.load_digits(seed=1), data.load_digits(seed=2)
    np.testing.assert_array_equal(a.y_test, b.y_test)
    assert not np.array_equal(a.y_test, c.y_test)
    unit = data.load_digits(scale="unit", seed=1)
    sym = data.load_digits(scale="symmetric", seed=1)
    raw = data.load_digits(scale=None, seed=1)
    assert unit.X_train.min() == 0.0 and unit.X_train.max() == 1.0
    assert sym.X_train.min() == -1.0 and sym.X_train.max() == 1.0
    np.testing.assert_array_equal(raw.X_train, raw.images_train.reshape(-1, 64))


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"test_size": 1.5}, ValueError, r"test_size must be a float in \(0, 1\)"),
        ({"scale": "minmax"}, ValueError, "scale must be one of"),
        ({"seed": -3}, TypeError, "seed must be a non-negative int"),
    ],
)
def test_load_digits_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        data.load_digits(**kwargs)
