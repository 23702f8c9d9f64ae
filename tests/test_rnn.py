"""Tests for mlcourse.rnn: torch autograd and nn.RNN in float64, finite differences, truncated BPTT, clipping,
the ρ^j vanishing/exploding numbers of reference/worked-examples.md (errata E22, E23), error messages."""

import copy

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from mlcourse import rnn
from mlcourse.gradcheck import numerical_grad, rel_error

KEYS = ("U", "W", "b", "V", "c")


def make_problem(T=5, m=3, n=4, k=3, seed=0, scale=0.6):
    rng = np.random.default_rng(seed)
    params = rnn.init_params(m, n, k, rng, scale=scale)
    params["b"] = 0.3 * rng.standard_normal(n)
    params["c"] = 0.3 * rng.standard_normal(k)
    X = rng.standard_normal((T, m))
    s0 = 0.5 * rng.standard_normal(n)
    y = rng.integers(0, k, size=T)
    return X, y, s0, params


def torch_leaves(s0, params):
    leaves = {key: torch.tensor(params[key], dtype=torch.float64, requires_grad=True) for key in KEYS}
    leaves["s0"] = torch.tensor(s0, dtype=torch.float64, requires_grad=True)
    return leaves


def torch_loss(X, y, leaves, truncate=None):
    """Σ_t −log softmax(o_t)[y_t]; with truncate=k, L_t is computed from s_{t−k}.detach() when t−k >= 1."""
    Xt = torch.tensor(X, dtype=torch.float64)
    U, W, b, V, c = (leaves[key] for key in KEYS)
    S = [leaves["s0"]]
    for t in range(len(X)):
        S.append(torch.tanh(U @ Xt[t] + W @ S[t] + b))
    total = torch.zeros((), dtype=torch.float64)
    for t in range(1, len(X) + 1):  # 1-based step t, as in the text
        if truncate is None or t - truncate <= 0:
            s_t = S[t]
        else:  # brute-force definition: rerun the last `truncate` steps from a detached state
            s_t = S[t - truncate].detach()
            for j in range(t - truncate + 1, t + 1):
                s_t = torch.tanh(U @ Xt[j - 1] + W @ s_t + b)
        o_t = V @ s_t + c
        total = total - torch.log_softmax(o_t, dim=0)[int(y[t - 1])]
    return total


def torch_grads(X, y, s0, params, truncate=None):
    leaves = torch_leaves(s0, params)
    loss = torch_loss(X, y, leaves, truncate)
    loss.backward()
    return loss.item(), {key: leaf.grad.numpy() for key, leaf in leaves.items()}


def assert_grads_close(grads, expected, tol=1e-8):
    assert set(grads) == set(KEYS) | {"s0"}
    for key in expected:
        assert grads[key].shape == expected[key].shape, key
        assert grads[key].dtype == np.float64, key
        assert rel_error(grads[key], expected[key]) < tol, key


# ---------------------------------------------------------------- forward


def test_forward_shapes_and_first_state():
    X, _, s0, params = make_problem(T=6, m=2, n=5, k=4)
    O, S = rnn.rnn_forward(X, s0, params)
    assert O.shape == (6, 4) and S.shape == (7, 5)
    np.testing.assert_array_equal(S[0], s0)
    np.testing.assert_allclose(S[1], np.tanh(params["U"] @ X[0] + params["W"] @ s0 + params["b"]), rtol=1e-15)
    np.testing.assert_allclose(O, S[1:] @ params["V"].T + params["c"], rtol=1e-14)


def test_forward_matches_torch_nn_rnn():
    X, _, s0, params = make_problem(T=7, m=3, n=4, k=2, seed=1)
    net = torch.nn.RNN(3, 4, nonlinearity="tanh", dtype=torch.float64)
    with torch.no_grad():
        net.weight_ih_l0.copy_(torch.tensor(params["U"]))
        net.weight_hh_l0.copy_(torch.tensor(params["W"]))
        net.bias_ih_l0.copy_(torch.tensor(params["b"]))
        net.bias_hh_l0.zero_()
        out, h_last = net(torch.tensor(X), torch.tensor(s0)[None, :])
    O, S = rnn.rnn_forward(X, s0, params)
    np.testing.assert_allclose(S[1:], out.numpy(), rtol=0, atol=1e-13)
    np.testing.assert_allclose(S[-1], h_last[0].numpy(), rtol=0, atol=1e-13)
    np.testing.assert_allclose(O, out.numpy() @ params["V"].T + params["c"], rtol=0, atol=1e-13)


def test_causal_o_t_does_not_depend_on_future_inputs():  # erratum E18
    X, _, s0, params = make_problem(T=6)
    X2 = X.copy()
    X2[4:] += 10.0
    O, _ = rnn.rnn_forward(X, s0, params)
    O2, _ = rnn.rnn_forward(X2, s0, params)
    np.testing.assert_array_equal(O[:4], O2[:4])
    assert not np.allclose(O[4:], O2[4:])


# ---------------------------------------------------------------- loss and full BPTT


def test_loss_and_grads_match_torch_autograd():
    X, y, s0, params = make_problem(T=8, m=3, n=5, k=4, seed=2)
    loss, grads = rnn.rnn_loss_and_grads(X, y, s0, params)
    ref_loss, ref = torch_grads(X, y, s0, params)
    assert isinstance(loss, float)
    assert loss == pytest.approx(ref_loss, rel=1e-13)
    assert_grads_close(grads, ref)


@settings(max_examples=40, deadline=None)
@given(
    T=st.integers(1, 6),
    m=st.integers(1, 4),
    n=st.integers(1, 4),
    k=st.integers(1, 4),
    seed=st.integers(0, 2**31),
    truncate=st.one_of(st.none(), st.integers(1, 7)),
)
def test_random_sizes_match_torch(T, m, n, k, seed, truncate):
    X, y, s0, params = make_problem(T, m, n, k, seed=seed, scale=0.8)
    loss, grads = rnn.rnn_loss_and_grads(X, y, s0, params, truncate=truncate)
    ref_loss, ref = torch_grads(X, y, s0, params, truncate=truncate)
    assert loss == pytest.approx(ref_loss, rel=1e-12, abs=1e-12)
    assert_grads_close(grads, ref)


def test_loss_equals_sum_of_cross_entropies():
    X, y, s0, params = make_problem(T=6, seed=3)
    O, _ = rnn.rnn_forward(X, s0, params)
    expected = torch.nn.functional.cross_entropy(torch.tensor(O), torch.tensor(y), reduction="sum").item()
    assert rnn.rnn_loss_and_grads(X, y, s0, params)[0] == pytest.approx(expected, rel=1e-13)


def test_loss_is_stable_for_huge_logits():
    X, y, s0, params = make_problem(T=4, seed=4)
    params["c"] = params["c"] + 1e4  # naive exp would overflow
    loss, grads = rnn.rnn_loss_and_grads(X, y, s0, params)
    params["c"] = params["c"] - 1e4
    loss0, grads0 = rnn.rnn_loss_and_grads(X, y, s0, params)
    assert np.isfinite(loss) and loss == pytest.approx(loss0, rel=1e-9)
    assert all(np.allclose(grads[key], grads0[key], atol=1e-9) for key in grads)


def test_finite_differences():
    X, y, s0, params = make_problem(T=5, m=2, n=3, k=3, seed=5)
    _, grads = rnn.rnn_loss_and_grads(X, y, s0, params)
    for key in KEYS:

        def f(value, key=key):
            return rnn.rnn_loss_and_grads(X, y, s0, {**params, key: value})[0]

        assert rel_error(numerical_grad(f, params[key]), grads[key]) < 1e-7, key
    fd_s0 = numerical_grad(lambda v: rnn.rnn_loss_and_grads(X, y, v, params)[0], s0)
    assert rel_error(fd_s0, grads["s0"]) < 1e-7


# ---------------------------------------------------------------- truncated BPTT


@pytest.mark.parametrize("truncate", [1, 2, 3, 5])
def test_truncation_matches_torch_detach(truncate):
    X, y, s0, params = make_problem(T=7, m=3, n=4, k=3, seed=6, scale=0.9)
    _, grads = rnn.rnn_loss_and_grads(X, y, s0, params, truncate=truncate)
    _, ref = torch_grads(X, y, s0, params, truncate=truncate)
    assert_grads_close(grads, ref)
    _, full = rnn.rnn_loss_and_grads(X, y, s0, params)
    assert rel_error(grads["W"], full["W"]) > 1e-6  # truncation really changes something


def test_truncation_at_least_T_is_full_bptt():
    X, y, s0, params = make_problem(T=6, seed=7)
    _, full = rnn.rnn_loss_and_grads(X, y, s0, params)
    for truncate in (6, 100):
        _, grads = rnn.rnn_loss_and_grads(X, y, s0, params, truncate=truncate)
        assert_grads_close(grads, full, tol=1e-13)


def test_truncate_one_keeps_only_direct_terms():
    X, y, s0, params = make_problem(T=5, seed=8)
    loss, grads = rnn.rnn_loss_and_grads(X, y, s0, params, truncate=1)
    O, S = rnn.rnn_forward(X, s0, params)
    dO = np.exp(O - np.log(np.exp(O).sum(axis=1, keepdims=True)))
    dO[np.arange(5), y] -= 1
    dA = (dO @ params["V"]) * (1 - S[1:] ** 2)
    np.testing.assert_allclose(grads["W"], dA.T @ S[:-1], rtol=1e-12)
    np.testing.assert_allclose(grads["s0"], params["W"].T @ dA[0], rtol=1e-12)
    assert loss == rnn.rnn_loss_and_grads(X, y, s0, params)[0]  # the loss is never truncated


# ---------------------------------------------------------------- clipping


@pytest.mark.parametrize("max_norm", [0.5, 1e6])
def test_clip_matches_torch_clip_grad_norm(max_norm):
    X, y, s0, params = make_problem(T=6, seed=9)
    _, grads = rnn.rnn_loss_and_grads(X, y, s0, params, clip=max_norm)
    leaves = torch_leaves(s0, params)
    torch_loss(X, y, leaves).backward()
    total = torch.nn.utils.clip_grad_norm_(list(leaves.values()), max_norm)
    assert_grads_close(grads, {key: leaf.grad.numpy() for key, leaf in leaves.items()})
    _, raw = rnn.rnn_loss_and_grads(X, y, s0, params)
    clipped, norm = rnn.clip_grad_norm(raw, max_norm)
    assert norm == pytest.approx(total.item(), rel=1e-13)
    assert_grads_close(clipped, grads, tol=1e-14)
    new_norm = np.sqrt(sum(np.sum(g**2) for g in clipped.values()))
    assert new_norm == pytest.approx(min(norm, max_norm), rel=1e-5)


def test_clip_grad_norm_returns_new_arrays():
    grads = {"a": np.array([3.0, 0.0]), "b": np.array([[4.0]])}
    before = copy.deepcopy(grads)
    clipped, norm = rnn.clip_grad_norm(grads, 1.0)
    assert norm == 5.0
    np.testing.assert_allclose(clipped["a"], [0.6, 0.0], rtol=1e-6)
    np.testing.assert_allclose(clipped["b"], [[0.8]], rtol=1e-6)
    unclipped, _ = rnn.clip_grad_norm(grads, 10.0)
    assert unclipped["a"] is not grads["a"]
    np.testing.assert_array_equal(unclipped["a"], grads["a"])
    for key in grads:
        np.testing.assert_array_equal(grads[key], before[key])


# ---------------------------------------------------------------- vanishing / exploding (E23)


@pytest.mark.parametrize(("rho", "at_50"), [(0.9, 0.005154), (1.1, 117.39)])
def test_rho_power_j_in_the_linear_regime(rho, at_50):
    n, T = 8, 60
    Q, _ = np.linalg.qr(np.random.default_rng(0).standard_normal((n, n)))
    params = {"U": np.zeros((n, 2)), "W": rho * Q, "b": np.zeros(n), "V": np.zeros((3, n)), "c": np.zeros(3)}
    _, S = rnn.rnn_forward(np.zeros((T, 2)), np.zeros(n), params)  # x = 0, s0 = 0: tanh' = 1 everywhere
    norms = rnn.state_jacobian_norms(S, params["W"])
    assert norms.shape == (T,)
    np.testing.assert_allclose(norms, rho ** np.arange(T), rtol=1e-12)
    assert round(norms[50], 6 if rho < 1 else 2) == at_50
    ds_T = np.random.default_rng(1).standard_normal(n)
    scaled = rnn.state_jacobian_norms(S, params["W"], ds_T)
    np.testing.assert_allclose(scaled, np.linalg.norm(ds_T) * rho ** np.arange(T), rtol=1e-12)


def test_state_jacobian_norms_match_torch_with_saturation():
    X, y, s0, params = make_problem(T=12, m=3, n=5, k=3, seed=10, scale=1.5)
    leaves = torch_leaves(s0, params)
    Xt = torch.tensor(X)
    S = [leaves["s0"]]
    for t in range(12):
        S.append(torch.tanh(leaves["U"] @ Xt[t] + leaves["W"] @ S[t] + leaves["b"]))
    for s in S:
        s.retain_grad()
    loss = -torch.log_softmax(leaves["V"] @ S[-1] + leaves["c"], dim=0)[int(y[-1])]
    loss.backward()
    _, S_np = rnn.rnn_forward(X, s0, params)
    norms = rnn.state_jacobian_norms(S_np, params["W"], S[-1].grad.numpy())
    expected = [S[12 - j].grad.norm().item() for j in range(12)]
    np.testing.assert_allclose(norms, expected, rtol=1e-10)
    assert norms[-1] < 0.5 * norms[0]  # saturated tanh: the gradient shrinks going back


# ---------------------------------------------------------------- init_params


def test_init_params_seeded_and_shaped():
    p1 = rnn.init_params(3, 4, 5, 42)
    p2 = rnn.init_params(3, 4, 5, np.random.default_rng(42))
    expected = {"U": (4, 3), "W": (4, 4), "b": (4,), "V": (5, 4), "c": (5,)}
    assert {key: value.shape for key, value in p1.items()} == expected
    for key in expected:
        assert p1[key].dtype == np.float64
        np.testing.assert_array_equal(p1[key], p2[key])
    assert not p1["b"].any() and not p1["c"].any()
    big = rnn.init_params(2, 400, 2, 0)
    assert np.std(big["W"]) == pytest.approx(1 / 20, rel=0.02)
    assert np.std(rnn.init_params(2, 50, 2, 0, scale=0.01)["W"]) == pytest.approx(0.01, rel=0.05)


def test_init_params_errors():
    with pytest.raises(TypeError, match="rng must be a numpy Generator or an int seed"):
        rnn.init_params(2, 3, 4, np.random.RandomState(0))
    with pytest.raises(ValueError, match="n must be >= 1"):
        rnn.init_params(2, 0, 4, 0)
    with pytest.raises(TypeError, match="k must be an integer"):
        rnn.init_params(2, 3, 4.0, 0)
    with pytest.raises(ValueError, match="scale must be finite and >= 0"):
        rnn.init_params(2, 3, 4, 0, scale=-1.0)


# ---------------------------------------------------------------- inputs and errors


def test_inputs_not_modified():
    X, y, s0, params = make_problem(T=5, seed=11)
    before = copy.deepcopy((X, y, s0, params))
    rnn.rnn_forward(X, s0, params)
    rnn.rnn_loss_and_grads(X, y, s0, params, truncate=2, clip=0.1)
    _, S = rnn.rnn_forward(X, s0, params)
    S_before = S.copy()
    rnn.state_jacobian_norms(S, params["W"])
    np.testing.assert_array_equal(S, S_before)
    for a, b in zip(before[:3], (X, y, s0), strict=True):
        np.testing.assert_array_equal(a, b)
    for key in KEYS:
        np.testing.assert_array_equal(before[3][key], params[key])


def test_shape_errors_name_parameter_and_expected_shape():
    X, y, s0, params = make_problem(T=5, m=3, n=4, k=2)
    bad = {**params, "W": np.zeros((4, 3))}
    with pytest.raises(ValueError, match=r"params\['W'\] must have shape \(n, n\) = \(4, 4\).*T=5, m=3"):
        rnn.rnn_forward(X, s0, bad)
    with pytest.raises(ValueError, match=r"params\['U'\] must have shape \(n, m\) = \(4, 2\)"):
        rnn.rnn_forward(X[:, :2], s0, params)
    with pytest.raises(ValueError, match=r"params\['V'\] must have shape \(k, n\) = \(2, 4\).*got \(4, 2\)"):
        rnn.rnn_forward(X, s0, {**params, "V": params["V"].T})
    with pytest.raises(ValueError, match=r"params\['U'\].*n=5 \(from s0\)"):
        rnn.rnn_forward(X, np.zeros(5), params)
    with pytest.raises(ValueError, match="X must have 2 dimension"):
        rnn.rnn_forward(X[0], s0, params)
    with pytest.raises(ValueError, match="T >= 1"):
        rnn.rnn_forward(np.zeros((0, 3)), s0, params)
    with pytest.raises(ValueError, match=r"y must have shape \(T,\) = \(5,\)"):
        rnn.rnn_loss_and_grads(X, y[:4], s0, params)


def test_missing_keys_and_bad_values():
    X, y, s0, params = make_problem(T=5, k=3)
    with pytest.raises(ValueError, match=r"missing key\(s\) \['V', 'c'\]"):
        rnn.rnn_forward(X, s0, {key: params[key] for key in ("U", "W", "b")})
    with pytest.raises(TypeError, match="params must be a dict"):
        rnn.rnn_forward(X, s0, [1, 2])
    with pytest.raises(ValueError, match=r"labels in \[0, k\) = \[0, 3\)"):
        rnn.rnn_loss_and_grads(X, np.array([0, 1, 3, 0, 0]), s0, params)
    with pytest.raises(ValueError, match=r"labels in \[0, k\)"):
        rnn.rnn_loss_and_grads(X, np.array([0, -1, 0, 0, 0]), s0, params)
    with pytest.raises(TypeError, match="y must hold integers"):
        rnn.rnn_loss_and_grads(X, y.astype(float), s0, params)
    X_nan = X.copy()
    X_nan[1, 1] = np.nan
    with pytest.raises(ValueError, match="X contains NaN"):
        rnn.rnn_forward(X_nan, s0, params)
    with pytest.raises(ValueError, match=r"params\['W'\] contains inf"):
        rnn.rnn_forward(X, s0, {**params, "W": np.full((4, 4), np.inf)})
    with pytest.raises(ValueError, match="truncate must be >= 1"):
        rnn.rnn_loss_and_grads(X, y, s0, params, truncate=0)
    with pytest.raises(TypeError, match="truncate must be None or an integer"):
        rnn.rnn_loss_and_grads(X, y, s0, params, truncate=2.5)
    with pytest.raises(ValueError, match="max_norm must be > 0"):
        rnn.rnn_loss_and_grads(X, y, s0, params, clip=0.0)
    with pytest.raises(ValueError, match=r"W must have shape \(n, n\) = \(3, 3\)"):
        rnn.state_jacobian_norms(np.zeros((4, 3)), np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"ds_T must have shape \(n,\) = \(3,\)"):
        rnn.state_jacobian_norms(np.zeros((4, 3)), np.zeros((3, 3)), np.zeros(2))
