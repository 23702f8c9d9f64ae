"""Tests for mlcourse.ctc: the hand-checkable vectors of reference/ctc.md, the B transform of the seed article
(errata E3–E7), brute force against the forward recursion (hypothesis), Σ_s αβ/ŷ = p at every t, prefix beam
search against brute force, torch.nn.functional.ctc_loss and its gradient in float64, T = 2000, bad input."""

import itertools
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from mlcourse import ctc
from mlcourse.gradcheck import numerical_grad, rel_error

Y_A = np.array([[0.4, 0.6], [0.3, 0.7]])
Y_B = np.array([[0.5, 0.4, 0.1], [0.2, 0.3, 0.5], [0.6, 0.1, 0.3]])
Y_U = np.full((3, 3), 1 / 3)
A, B = 1, 2  # symbols of reference/ctc.md: 0 = blank, 1 = a, 2 = b


def log_softmax(z, axis=-1):
    z = z - z.max(axis=axis, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=axis, keepdims=True))


def random_log_probs(rng, shape, scale=1.0):
    return log_softmax(scale * rng.standard_normal(shape))


def random_targets(rng, N, U_max, C, min_len=0):
    lengths = rng.integers(min_len, U_max + 1, size=N)
    padded = rng.integers(1, C, size=(N, max(U_max, 1)))
    return padded, lengths


def torch_ctc(logits, targets, input_lengths, target_lengths, reduction="mean", zero_infinity=False, blank=0):
    """torch loss and ∂loss/∂logits, with log_softmax inside the graph (reference/ctc.md, gotcha)."""
    z = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
    loss = F.ctc_loss(
        z.log_softmax(-1),
        torch.as_tensor(targets, dtype=torch.long),
        torch.as_tensor(input_lengths, dtype=torch.long),
        torch.as_tensor(target_lengths, dtype=torch.long),
        blank=blank,
        reduction=reduction,
        zero_infinity=zero_infinity,
    )
    loss.sum().backward()
    return loss.detach().numpy(), z.grad.numpy()


# ---------------------------------------------------------------- B transform (errata E3, E4)


@pytest.mark.parametrize(
    ("path", "expected"),
    [("-s-t-aatte", "state"), ("ss-t-a-t-e", "state"), ("sstt-aat-e", "state"), ("-s-t-tatte", "sttate")],
)
def test_collapse_seed_examples(path, expected):
    assert ctc.collapse(path, "-") == expected


def test_collapse_int_sequences():
    assert ctc.collapse([0, 1, 1, 0, 1, 2, 2, 0]) == [1, 1, 2]
    assert ctc.collapse(np.array([3, 3, 1, 3]), blank=3) == [1]
    assert ctc.collapse((2, 2, 2)) == [2]
    assert ctc.collapse([]) == []
    assert ctc.collapse([0, 0]) == []
    assert isinstance(ctc.collapse(np.array([1, 2], dtype=np.int32))[0], int)


def test_collapse_bad_input():
    with pytest.raises(TypeError, match="one-character str"):
        ctc.collapse("-s-t", 0)
    with pytest.raises(TypeError, match="blank must be an int"):
        ctc.collapse([0, 1], "-")
    with pytest.raises(TypeError, match="path must hold integers"):
        ctc.collapse([0.5, 1.0])


# ---------------------------------------------------------------- hand-checkable vectors (reference/ctc.md)


@pytest.mark.parametrize(
    ("y_hat", "target", "p", "nll"),
    [
        (Y_A, [A], 22 / 25, 0.127833371510),
        (Y_B, [A, B], 57 / 200, 1.255266098713),
        (Y_B, [A, A], 1 / 125, 4.828313737302),
        (Y_B, [A], 247 / 1000, 1.398366942354),
        (Y_U, [A, B], 5 / 27, -math.log(5 / 27)),
    ],
    ids=["A", "B", "C", "D", "U"],
)
def test_reference_cases(y_hat, target, p, nll):
    assert ctc.ctc_brute_force(y_hat, target) == pytest.approx(p, rel=1e-13)
    assert ctc.ctc_nll(np.log(y_hat), target) == pytest.approx(nll, abs=1e-12)
    assert math.exp(-ctc.ctc_nll(np.log(y_hat), target)) == pytest.approx(p, rel=1e-13)


@pytest.mark.parametrize(
    ("y_hat", "target", "paths"),
    [
        (Y_A, [A], {"aa": 0.42, "a-": 0.18, "-a": 0.28}),
        (Y_B, [A, B], {"aab": 0.036, "abb": 0.060, "-ab": 0.045, "a-b": 0.024, "ab-": 0.120}),
        (Y_B, [A, A], {"a-a": 0.008}),
    ],
    ids=["A", "B", "C"],
)
def test_reference_collapsing_paths(y_hat, target, paths):
    """The paths π with B(π) = l are exactly those of the table, with p(π|x) = Π_t ŷ_t(π_t) (errata E5, E6)."""
    T, C = y_hat.shape
    word = "".join("-ab"[k] for k in target)
    found = {}
    for pi in itertools.product(range(C), repeat=T):
        text = "".join("-ab"[k] for k in pi)
        if ctc.collapse(text, "-") == word:
            assert ctc.collapse(list(pi)) == list(target)
            found[text] = math.prod(y_hat[t, k] for t, k in enumerate(pi))
    assert found.keys() == paths.keys()
    for text, p in paths.items():
        assert found[text] == pytest.approx(p, rel=1e-12)


def test_case_d_has_six_paths():
    words = ["".join("-ab"[k] for k in pi) for pi in itertools.product(range(3), repeat=3)]
    assert sum(ctc.collapse(w, "-") == "a" for w in words) == 6


def test_reference_gradients():
    dz_a = ctc.ctc_grad_logits(np.log(Y_A), [A])
    np.testing.assert_allclose(dz_a, [[0.9 / 11, -0.9 / 11], [2.1 / 22, -2.1 / 22]], atol=1e-15)
    np.testing.assert_allclose(dz_a, [[0.081818, -0.081818], [0.095455, -0.095455]], atol=5e-7)
    dz_b = ctc.ctc_grad_logits(np.log(Y_B), [A, B])
    # reference/ctc.md's "row t=1" counts frames from 1: it is the first frame, dz_b[0]
    np.testing.assert_allclose(dz_b[0], [0.342105, -0.442105, 0.1], atol=5e-7)
    np.testing.assert_allclose(dz_b[0], [0.5 - 0.045 / 0.285, 0.4 - 0.240 / 0.285, 0.1], atol=1e-15)
    np.testing.assert_allclose(dz_b[1], [0.2 - 0.024 / 0.285, 0.3 - 0.081 / 0.285, 0.5 - 0.180 / 0.285], atol=1e-15)
    assert np.allclose(dz_b.sum(axis=1), 0.0, atol=1e-15)  # ŷ and γ are both distributions over k


def test_reference_lattice_case_b():
    alpha = ctc.ctc_alpha(np.log(Y_B), [A, B])
    beta = ctc.ctc_beta(np.log(Y_B), [A, B])
    assert alpha.shape == beta.shape == (3, 5)
    np.testing.assert_allclose(np.exp(alpha[0]), [0.5, 0.4, 0, 0, 0], atol=1e-15)
    np.testing.assert_allclose(np.exp(alpha[1]), [0.1, 0.27, 0.08, 0.2, 0], atol=1e-15)
    np.testing.assert_allclose(np.exp(beta[2]), [0, 0, 0, 0.3, 0.6], atol=1e-15)  # ŷ_{T−1}(b), ŷ_{T−1}(blank)
    assert np.logaddexp(alpha[-1, -1], alpha[-1, -2]) == pytest.approx(math.log(57 / 200), abs=1e-14)
    assert np.logaddexp(beta[0, 0], beta[0, 1]) == pytest.approx(math.log(57 / 200), abs=1e-14)


def test_impossible_target():
    y_hat = np.full((2, 2), 0.5)
    assert ctc.ctc_nll(np.log(y_hat), [A, A]) == math.inf
    assert ctc.ctc_brute_force(y_hat, [A, A]) == 0.0
    with pytest.raises(ValueError, match="cannot be aligned"):
        ctc.ctc_grad_logits(np.zeros((2, 2)), [A, A])
    with pytest.raises(ValueError, match="cannot be aligned"):
        ctc.ctc_posteriors(np.log(y_hat), [A, A])
    lp = np.log(y_hat)[:, None]
    assert ctc.ctc_loss(lp, [[A, A]], [2], [2]) == math.inf
    assert ctc.ctc_loss(lp, [[A, A]], [2], [2], zero_infinity=True) == 0.0
    loss, dz = ctc.ctc_loss_and_grad(lp, [[A, A]], [2], [2])
    assert loss == math.inf and np.isnan(dz).all()
    loss, dz = ctc.ctc_loss_and_grad(lp, [[A, A]], [2], [2], zero_infinity=True)
    assert loss == 0.0 and (dz == 0).all()


def test_greedy_is_not_optimal():
    """Errata E1, E7: best path gives "" (p = 0.36) but p("a") = 0.64; beam search with width >= 2 finds "a"."""
    lp = np.log([[0.6, 0.4], [0.6, 0.4]])
    assert ctc.greedy_decode(lp) == []
    assert ctc.ctc_brute_force(np.exp(lp), []) == pytest.approx(0.36)
    assert ctc.ctc_brute_force(np.exp(lp), [A]) == pytest.approx(0.64)
    for width in (2, 3, None):
        best, score = ctc.beam_search_decode(lp, beam_width=width)[0]
        assert best == [A] and score == pytest.approx(math.log(0.64), abs=1e-14)
    assert ctc.beam_search_decode(lp, beam_width=1) == [([], pytest.approx(math.log(0.36)))]
    assert [labels for labels, _ in ctc.beam_search_decode(lp, beam_width=2)] == [[A], []]


def test_greedy_decode_merges_then_drops_blanks():
    path = [1, 1, 0, 1, 2, 2, 0, 0, 2]
    lp = np.log(np.full((len(path), 3), 0.1))
    lp[np.arange(len(path)), path] = np.log(0.8)
    assert ctc.greedy_decode(lp) == [1, 1, 2, 2]


# ---------------------------------------------------------------- recursions


@pytest.mark.parametrize("target", [[], [1], [1, 2], [1, 1], [2, 1, 2, 2], [1, 2, 3, 1, 1, 3]])
def test_alpha_beta_product_is_p_at_every_t(target):
    lp = random_log_probs(np.random.default_rng(len(target)), (12, 4))
    alpha, beta = ctc.ctc_alpha(lp, target), ctc.ctc_beta(lp, target)
    ext = np.zeros(2 * len(target) + 1, dtype=int)
    ext[1::2] = target
    per_t = np.logaddexp.reduce(alpha + beta - lp[:, ext], axis=1)  # ln Σ_s α_t(s) β_t(s) / ŷ_t(l′_s)
    np.testing.assert_allclose(per_t, -ctc.ctc_nll(lp, target), rtol=0, atol=1e-12)


def test_posteriors_are_path_posteriors():
    """γ_t(k) = Σ_{π: B(π) = l, π_t = k} p(π|x) / p(l|x), by enumerating the 27 paths of case B."""
    gamma = np.zeros((3, 3))
    for pi in itertools.product(range(3), repeat=3):
        if ctc.collapse(list(pi)) == [A, B]:
            gamma[np.arange(3), pi] += math.prod(Y_B[t, k] for t, k in enumerate(pi))
    np.testing.assert_allclose(ctc.ctc_posteriors(np.log(Y_B), [A, B]), gamma / (57 / 200), atol=1e-15)


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), T=st.integers(1, 6), C=st.integers(2, 4), U=st.integers(0, 4))
def test_brute_force_equals_forward_recursion(seed, T, C, U):
    rng = np.random.default_rng(seed)
    lp = random_log_probs(rng, (T, C), scale=2.0)
    target = rng.integers(1, C, size=U)
    p = ctc.ctc_brute_force(np.exp(lp), target)
    nll = ctc.ctc_nll(lp, target)
    if p == 0.0:
        assert nll == math.inf
    else:
        assert math.exp(-nll) == pytest.approx(p, rel=1e-12)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), T=st.integers(1, 5), C=st.integers(2, 4), U=st.integers(1, 3))
def test_grad_logits_matches_finite_differences(seed, T, C, U):
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((T, C))
    target = rng.integers(1, C, size=U)
    if ctc.ctc_nll(log_softmax(z), target) == math.inf:
        return
    dz = ctc.ctc_grad_logits(z, target)
    assert rel_error(dz, numerical_grad(lambda w: ctc.ctc_nll(log_softmax(w), target), z)) < 1e-6
    posteriors = ctc.ctc_posteriors(log_softmax(z), target)
    np.testing.assert_allclose(posteriors.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(np.exp(log_softmax(z)) - posteriors, dz, atol=1e-14)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), T=st.integers(1, 5), C=st.integers(2, 4))
def test_unlimited_beam_gives_exact_label_probabilities(seed, T, C):
    rng = np.random.default_rng(seed)
    lp = random_log_probs(rng, (T, C), scale=2.0)
    ranked = ctc.beam_search_decode(lp, beam_width=None)
    scores = [score for _, score in ranked]
    assert scores == sorted(scores, reverse=True)
    assert math.fsum(math.exp(s) for s in scores) == pytest.approx(1.0, abs=1e-12)  # every labelling once
    for labels, score in ranked:
        assert math.exp(score) == pytest.approx(ctc.ctc_brute_force(np.exp(lp), labels), rel=1e-10)
    assert len({tuple(labels) for labels, _ in ranked}) == len(ranked)
    exact = {tuple(labels): score for labels, score in ranked}
    narrow = ctc.beam_search_decode(lp, beam_width=2)
    assert len(narrow) == min(2, len(ranked))
    for labels, score in narrow:  # a pruned beam sums a subset of the paths: never more than the exact score
        assert score <= exact[tuple(labels)] + 1e-12


def test_beam_as_wide_as_the_labellings_is_exact():
    """With ŷ(blank) > 0 no prefix dies, so the number alive only grows: a beam that wide never prunes."""
    lp = random_log_probs(np.random.default_rng(7), (4, 3), scale=1.5)
    exact = ctc.beam_search_decode(lp, beam_width=None)
    fits = [
        l
        for U in range(5)
        for l in itertools.product((1, 2), repeat=U)
        if U + sum(l[i] == l[i - 1] for i in range(1, U)) <= 4
    ]  # U + repeats <= T frames
    assert sorted(tuple(labels) for labels, _ in exact) == sorted(fits)  # 15 labellings
    assert ctc.beam_search_decode(lp, beam_width=len(exact)) == exact


def test_element_wise_fallback_for_huge_dynamic_range():
    """Blank ~1, labels ~e^−60 and T = U: the only path is the diagonal, far below the row maximum of α."""
    T = U = 30
    z = np.full((T, 4), -60.0)
    z[:, 0] = 0.0
    lp = log_softmax(z)
    target = [1 + (u % 3) for u in range(U)]
    expected = -sum(lp[t, target[t]] for t in range(T))
    assert ctc.ctc_nll(lp, target) == pytest.approx(expected, rel=1e-13)
    loss, dz = ctc.ctc_loss_and_grad(lp[:, None], [target], [T], [U], reduction="sum")
    t_loss, t_dz = torch_ctc(z[:, None], [target], [T], [U], reduction="sum")
    assert loss == pytest.approx(float(t_loss), rel=1e-12)
    np.testing.assert_allclose(dz, t_dz, rtol=0, atol=1e-10)


def test_zero_probabilities_are_allowed():
    with np.errstate(divide="ignore"):
        lp = np.log([[0.5, 0.5, 0.0], [0.0, 1.0, 0.0], [0.25, 0.25, 0.5]])
    assert math.exp(-ctc.ctc_nll(lp, [1])) == pytest.approx(ctc.ctc_brute_force(np.exp(lp), [1]), rel=1e-13)
    assert ctc.ctc_nll(lp, [2, 2]) == math.inf
    assert [labels for labels, _ in ctc.beam_search_decode(lp, None)] == [[1], [1, 2]]


# ---------------------------------------------------------------- against torch.nn.functional.ctc_loss


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("layout", ["padded", "concatenated"])
def test_loss_and_grad_match_torch(reduction, layout):
    rng = np.random.default_rng(3)
    T, N, C = 30, 6, 7
    z = 2.0 * rng.standard_normal((T, N, C))
    padded, U_b = random_targets(rng, N, 8, C)
    padded[1, :3] = [2, 2, 2]  # repeats need blanks in between
    U_b[1] = max(U_b[1], 3)
    T_b = rng.integers(15, T + 1, size=N)
    T_b[0], U_b[2] = T, 0
    targets = padded if layout == "padded" else np.concatenate([padded[b, : U_b[b]] for b in range(N)])
    loss = ctc.ctc_loss(log_softmax(z), targets, T_b, U_b, reduction=reduction)
    loss2, dz = ctc.ctc_loss_and_grad(log_softmax(z), targets, T_b, U_b, reduction=reduction)
    t_loss, t_dz = torch_ctc(z, targets, T_b, U_b, reduction=reduction)
    np.testing.assert_allclose(loss, t_loss, rtol=1e-9, atol=1e-12)
    np.testing.assert_array_equal(loss2, loss)
    np.testing.assert_allclose(dz, t_dz, rtol=0, atol=1e-9)
    assert (dz[np.arange(T)[:, None] >= T_b] == 0).all()
    np.testing.assert_allclose(dz.sum(axis=2), 0.0, atol=1e-12)  # ŷ_t and γ_t both sum to 1 (or are 0)
    if reduction == "none":
        assert isinstance(loss, np.ndarray) and loss.shape == (N,)
    else:
        assert isinstance(loss, float)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    T=st.integers(1, 20),
    N=st.integers(1, 5),
    C=st.integers(2, 5),
    U_max=st.integers(0, 7),
    reduction=st.sampled_from(["mean", "sum", "none"]),
    zero_infinity=st.booleans(),
    concatenated=st.booleans(),
)
def test_random_batches_match_torch(seed, T, N, C, U_max, reduction, zero_infinity, concatenated):
    """Any blank, repeats, T_b = 0, U_b = 0, impossible samples, peaky logits: loss and dz as torch (NaN included)."""
    rng = np.random.default_rng(seed)
    blank = int(rng.integers(0, C))
    labels = np.array([k for k in range(C) if k != blank])
    padded = labels[rng.integers(0, C - 1, size=(N, max(U_max, 1)))]
    if rng.random() < 0.5:
        padded[:, 1::2] = padded[:, 0::2][:, : padded[:, 1::2].shape[1]]  # adjacent repeats
    U_b, T_b = rng.integers(0, U_max + 1, size=N), rng.integers(0, T + 1, size=N)
    targets = np.concatenate([padded[b, : U_b[b]] for b in range(N)]) if concatenated else padded
    z = rng.choice([0.5, 3.0, 30.0]) * rng.standard_normal((T, N, C))
    kwargs = {"blank": blank, "reduction": reduction, "zero_infinity": zero_infinity}
    loss, dz = ctc.ctc_loss_and_grad(log_softmax(z), targets, T_b, U_b, **kwargs)
    t_loss, t_dz = torch_ctc(z, targets, T_b, U_b, **kwargs)
    np.testing.assert_allclose(loss, t_loss, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ctc.ctc_loss(log_softmax(z), targets, T_b, U_b, **kwargs), t_loss, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(dz, t_dz, rtol=0, atol=1e-9)


@pytest.mark.parametrize("zero_infinity", [False, True])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_impossible_samples_match_torch(zero_infinity, reduction):
    rng = np.random.default_rng(5)
    z = rng.standard_normal((4, 3, 3))
    targets, T_b, U_b = [[1, 1, 0], [1, 2, 0], [2, 2, 2]], [2, 3, 4], [2, 2, 3]  # samples 0 and 2 cannot fit
    loss, dz = ctc.ctc_loss_and_grad(
        log_softmax(z), targets, T_b, U_b, reduction=reduction, zero_infinity=zero_infinity
    )
    t_loss, t_dz = torch_ctc(z, targets, T_b, U_b, reduction=reduction, zero_infinity=zero_infinity)
    np.testing.assert_allclose(loss, t_loss, rtol=1e-12)
    np.testing.assert_allclose(dz, t_dz, rtol=0, atol=1e-12)  # NaN where torch has NaN
    np.testing.assert_array_equal(np.isnan(dz), np.isnan(t_dz))


def test_unbatched_matches_torch():
    rng = np.random.default_rng(11)
    z = rng.standard_normal((9, 5))
    for reduction in ("mean", "sum", "none"):
        loss, dz = ctc.ctc_loss_and_grad(log_softmax(z), [1, 3, 3], 9, 3, reduction=reduction)
        t_loss, t_dz = torch_ctc(z, [1, 3, 3], 9, 3, reduction=reduction)
        assert isinstance(loss, float) and loss == pytest.approx(float(t_loss), rel=1e-12)
        assert dz.shape == (9, 5)
        np.testing.assert_allclose(dz, t_dz, atol=1e-12)
    with pytest.raises(ValueError, match=r"sum\(target_lengths\) = 3 labels, got 4"):
        ctc.ctc_loss(log_softmax(z), [1, 3, 3, 4], 9, 3)  # 1-D targets are concatenated, as in torch
    with pytest.raises(ValueError, match="input_lengths must hold one length"):
        ctc.ctc_loss(log_softmax(z), [1, 3, 3], [9, 9], 3)


def test_zero_lengths_match_torch():
    rng = np.random.default_rng(2)
    z = rng.standard_normal((5, 3, 4))
    targets, T_b, U_b = [[1, 2], [1, 0], [0, 0]], [5, 0, 0], [2, 1, 0]  # no frame: p(∅) = 1, p(l) = 0
    loss = ctc.ctc_loss(log_softmax(z), targets, T_b, U_b, reduction="none")
    t_loss, _ = torch_ctc(z, targets, T_b, U_b, reduction="none")
    np.testing.assert_allclose(loss, t_loss, rtol=1e-12)
    assert loss[1] == math.inf and loss[2] == 0.0


def test_other_blank_matches_torch():
    rng = np.random.default_rng(4)
    z = rng.standard_normal((10, 2, 5))
    targets, T_b, U_b = [[0, 1, 1], [2, 3, 0]], [10, 8], [3, 3]
    loss, dz = ctc.ctc_loss_and_grad(log_softmax(z), targets, T_b, U_b, blank=4)
    t_loss, t_dz = torch_ctc(z, targets, T_b, U_b, blank=4)
    assert loss == pytest.approx(float(t_loss), rel=1e-12)
    np.testing.assert_allclose(dz, t_dz, atol=1e-12)
    assert ctc.ctc_nll(log_softmax(z[:, 0]), [0, 1, 1], blank=4) == pytest.approx(
        ctc.ctc_loss(log_softmax(z), targets, T_b, U_b, blank=4, reduction="none")[0], rel=1e-14
    )


def test_single_sequence_functions_match_torch():
    rng = np.random.default_rng(9)
    z = 3.0 * rng.standard_normal((25, 6))
    target = [1, 5, 5, 2, 3]
    t_loss, t_dz = torch_ctc(z[:, None], [target], [25], [5], reduction="sum")
    assert ctc.ctc_nll(log_softmax(z), target) == pytest.approx(float(t_loss), rel=1e-12)
    np.testing.assert_allclose(ctc.ctc_grad_logits(z, target), t_dz[:, 0], atol=1e-12)


def test_long_sequence_is_finite_and_matches_torch():
    """T = 2000: probabilities like e^−3000 underflow in linear space, not in log space."""
    rng = np.random.default_rng(1)
    T, C, U = 2000, 20, 200
    z = 2.0 * rng.standard_normal((T, 2, C))
    targets = rng.integers(1, C, size=(2, U))
    loss, dz = ctc.ctc_loss_and_grad(log_softmax(z), targets, [T, 1700], [U, 150], reduction="none")
    t_loss, t_dz = torch_ctc(z, targets, [T, 1700], [U, 150], reduction="none")
    assert np.isfinite(loss).all() and loss.min() > 1000
    np.testing.assert_allclose(loss, t_loss, rtol=1e-10)
    np.testing.assert_allclose(dz, t_dz, atol=1e-9)
    assert ctc.ctc_nll(log_softmax(z[:, 0]), targets[0]) == pytest.approx(loss[0], rel=1e-13)


def test_float32_log_softmax_is_accepted():
    z = torch.randn(50, 2, 30, generator=torch.Generator().manual_seed(0))
    lp = z.log_softmax(-1).numpy()  # float32: frames sum to 1 within ~1e-6 only
    loss = ctc.ctc_loss(lp, [[1, 2, 3], [4, 5, 6]], [50, 50], [3, 3])
    t_loss = F.ctc_loss(torch.tensor(lp, dtype=torch.float64), torch.tensor([[1, 2, 3], [4, 5, 6]]), [50, 50], [3, 3])
    assert loss == pytest.approx(t_loss.item(), rel=1e-12)


def test_inputs_are_not_modified():
    rng = np.random.default_rng(0)
    lp = random_log_probs(rng, (6, 2, 4))
    targets, T_b, U_b = np.array([[1, 2], [3, 0]]), np.array([6, 5]), np.array([2, 1])
    copies = [x.copy() for x in (lp, targets, T_b, U_b)]
    ctc.ctc_loss_and_grad(lp, targets, T_b, U_b)
    ctc.ctc_posteriors(lp[:, 0], targets[0])
    ctc.beam_search_decode(lp[:, 0])
    for x, c in zip((lp, targets, T_b, U_b), copies, strict=True):
        np.testing.assert_array_equal(x, c)


# ---------------------------------------------------------------- bad input


def test_bad_targets():
    lp = np.log(Y_B)
    with pytest.raises(ValueError, match="must not contain the blank"):
        ctc.ctc_nll(lp, [1, 0])
    with pytest.raises(ValueError, match=r"labels in \[0, C\) = \[0, 3\)"):
        ctc.ctc_nll(lp, [1, 3])
    with pytest.raises(ValueError, match="labels in"):
        ctc.ctc_brute_force(Y_B, [-1])
    with pytest.raises(TypeError, match="sequence of int labels"):
        ctc.ctc_nll(lp, "ab")
    with pytest.raises(ValueError, match="must not contain the blank"):
        ctc.ctc_loss(lp[:, None], [[1, 0]], [3], [2])
    ctc.ctc_loss(lp[:, None], [[1, 0]], [3], [1])  # padding past the target length is ignored, as in torch


def test_bad_blank():
    with pytest.raises(ValueError, match=r"blank must be in \[0, C\)"):
        ctc.ctc_nll(np.log(Y_B), [1], blank=3)
    with pytest.raises(TypeError, match="blank must be an int"):
        ctc.ctc_loss(np.log(Y_B)[:, None], [[1]], [3], [1], blank=1.0)


def test_bad_log_probs():
    with pytest.raises(ValueError, match="must be log-probabilities"):
        ctc.ctc_nll(np.log(Y_B) + 0.01, [1])  # probabilities that do not sum to 1
    with pytest.raises(ValueError, match="must be log-probabilities"):
        ctc.ctc_nll(np.random.default_rng(0).standard_normal((4, 3)), [1])  # raw logits, softmax forgotten
    with pytest.raises(ValueError, match="must be log-probabilities"):
        ctc.ctc_loss(Y_B[:, None], [[1]], [3], [1])  # probabilities, not their log
    with pytest.raises(ValueError, match="dimension"):
        ctc.ctc_loss(np.zeros(3), [[1]], [3], [1])
    with pytest.raises(ValueError, match="contains NaN"):
        ctc.ctc_nll(np.full((2, 2), np.nan), [1])
    with pytest.raises(ValueError, match="probs must sum to 1"):
        ctc.ctc_brute_force(Y_B * 1.1, [1])
    with pytest.raises(ValueError, match="logits must be finite"):
        ctc.ctc_grad_logits(np.array([[0.0, np.inf]]), [1])
    with pytest.raises(ValueError, match="must be log-probabilities"):
        ctc.greedy_decode(np.zeros((2, 3)))
    lp = np.log(np.full((4, 2, 3), 1 / 3))
    lp[3, 1] = 5.0  # garbage past input_lengths[1] = 3 is ignored, as in torch
    assert np.isfinite(ctc.ctc_loss(lp, [[1], [2]], [4, 3], [1, 1]))


def test_bad_lengths():
    lp = np.log(np.full((5, 2, 3), 1 / 3))
    with pytest.raises(ValueError, match="input_lengths must be <= T = 5"):
        ctc.ctc_loss(lp, [[1], [2]], [6, 5], [1, 1])
    with pytest.raises(ValueError, match="input_lengths must hold N = 2 lengths"):
        ctc.ctc_loss(lp, [[1], [2]], [5], [1, 1])
    with pytest.raises(ValueError, match="target_lengths must be >= 0"):
        ctc.ctc_loss(lp, [[1], [2]], [5, 5], [1, -1])
    with pytest.raises(ValueError, match=r"target_lengths must be <= targets.shape\[-1\] = 1"):
        ctc.ctc_loss(lp, [[1], [2]], [5, 5], [1, 2])
    with pytest.raises(ValueError, match=r"sum\(target_lengths\) = 3 labels, got 2"):
        ctc.ctc_loss(lp, [1, 2], [5, 5], [1, 2])
    with pytest.raises(ValueError, match=r"shape \(N, S\) with N = 2"):
        ctc.ctc_loss(lp, [[1], [2], [1]], [5, 5], [1, 1])
    with pytest.raises(TypeError, match="input_lengths must hold integers"):
        ctc.ctc_loss(lp, [[1], [2]], [5.0, 5.0], [1, 1])
    with pytest.raises(ValueError, match="reduction must be one of"):
        ctc.ctc_loss(lp, [[1], [2]], [5, 5], [1, 1], reduction="avg")
    with pytest.raises(TypeError, match="zero_infinity must be a bool"):
        ctc.ctc_loss(lp, [[1], [2]], [5, 5], [1, 1], zero_infinity=1)


def test_brute_force_refuses_too_many_paths():
    with pytest.raises(ValueError, match="more than 1e"):
        ctc.ctc_brute_force(np.full((13, 3), 1 / 3), [1])  # 3**13 > 10**6
    assert ctc.ctc_brute_force(np.full((12, 3), 1 / 3), []) == pytest.approx(3.0**-12)  # 3**12 paths: allowed


def test_bad_beam_width():
    lp = np.log(Y_B)
    with pytest.raises(ValueError, match="beam_width must be >= 1"):
        ctc.beam_search_decode(lp, beam_width=0)
    with pytest.raises(TypeError, match="beam_width must be an int or None"):
        ctc.beam_search_decode(lp, beam_width=2.5)
