"""mlcourse.data.random_orthogonal (chapter 08, the W = ρQ demonstration): orthogonal, seeded, Haar-signed."""

import numpy as np
import pytest
import torch

from mlcourse import data, rnn


@pytest.mark.parametrize("n", [1, 2, 8, 30])
def test_orthogonal_and_seeded(n):
    Q = data.random_orthogonal(n, seed=0)
    assert Q.shape == (n, n) and Q.dtype == np.float64
    np.testing.assert_allclose(Q.T @ Q, np.eye(n), atol=1e-12)
    np.testing.assert_allclose(np.linalg.svd(Q, compute_uv=False), 1.0, atol=1e-12)
    np.testing.assert_array_equal(Q, data.random_orthogonal(n, seed=np.random.default_rng(0)))
    if n > 1:
        assert not np.allclose(Q, data.random_orthogonal(n, seed=1))


def test_haar_signs_give_mean_zero_entries():
    # without the sign correction the diagonal of Q from numpy's QR is biased; Haar matrices have E[Q_ii] = 0
    diag = np.array([np.diag(data.random_orthogonal(4, seed=s)) for s in range(2000)])
    assert np.all(np.abs(diag.mean(axis=0)) < 0.05)


@pytest.mark.parametrize("rho", [0.9, 1.0, 1.1])
def test_rho_q_scales_every_gradient_by_rho(rho):
    n, T = 6, 40
    W = rho * data.random_orthogonal(n, seed=2)
    params = {"U": np.zeros((n, 1)), "W": W, "b": np.zeros(n), "V": np.zeros((2, n)), "c": np.zeros(2)}
    _, S = rnn.rnn_forward(np.zeros((T, 1)), np.zeros(n), params)
    np.testing.assert_allclose(rnn.state_jacobian_norms(S, W), rho ** np.arange(T), rtol=1e-12)
    g = torch.tensor(np.random.default_rng(3).standard_normal(n), dtype=torch.float64)
    assert torch.linalg.norm(torch.tensor(W).T @ g).item() == pytest.approx(rho * torch.linalg.norm(g).item())


@pytest.mark.parametrize("n", [0, -2, 2.0, True])
def test_bad_size(n):
    with pytest.raises(ValueError, match="n must be an integer >= 1"):
        data.random_orthogonal(n)
