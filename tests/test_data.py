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
