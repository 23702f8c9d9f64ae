"""mlcourse.digit_strings (re-exported by mlcourse.data): synthetic digit-string images for CTC (chapter 09)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlcourse import data
from mlcourse.digit_strings import compose_digit_string, digit_strings, load_digit_strings


@pytest.fixture(scope="module")
def sets():
    return load_digit_strings(300, 100, seed=0)


@pytest.fixture(scope="module")
def split():
    return data.load_digits(scale=None, seed=0)


def test_reexported_from_data():
    assert data.load_digit_strings is load_digit_strings and data.digit_strings is digit_strings
    assert data.compose_digit_string is compose_digit_string and data.DigitStrings.__name__ == "DigitStrings"


def test_shapes_lengths_and_pixels(sets):
    train, test = sets
    assert len(train) == 300 and len(test) == 100
    for ds in sets:
        N, H, W = ds.images.shape
        assert H == 8 + 2 * 1 and W % 4 == 0 and W >= 2 + 6 * 8 + 2
        assert ds.images.dtype == np.float64 and ds.images.min() == 0.0 and ds.images.max() <= 1.0
        U = ds.label_lengths
        assert U.min() >= 1 and U.max() <= 6 and set(np.unique(U)) == set(range(1, 7))
        assert all(0 <= d <= 9 for lab in ds.labels for d in lab)
        assert (ds.widths <= W).all() and (ds.widths >= 8 + 2).all()
        for i in range(N):  # right of the real width there is only padding
            assert not ds.images[i, :, ds.widths[i] :].any()
            assert ds.widths[i] >= ds.positions[i][-1] + 8 + 2
            assert len(ds.positions[i]) == len(ds.labels[i]) == len(ds.sources[i])
    assert len(set(train.widths.tolist())) > 20  # variable width


def test_pixels_come_from_the_digits_at_their_positions(sets, split):
    train, test = sets
    for ds, images, labels in ((train, split.images_train, split.y_train), (test, split.images_test, split.y_test)):
        for i in range(25):
            for x, src, digit in zip(ds.positions[i], ds.sources[i], ds.labels[i], strict=True):
                assert labels[src] == digit
                window = ds.images[i, :, x : x + 8]
                # the digit sits somewhere in the rows (vertical jitter); overlapping neighbours can only add ink
                matches = [np.all(window[r : r + 8] >= images[src] / 16.0 - 1e-12) for r in range(3)]
                assert any(matches)


def test_train_and_test_use_disjoint_digit_images(sets, split):
    train, test = sets
    train_pixels = {img.tobytes() for img in split.images_train}
    used_test = {split.images_test[j].tobytes() for src in test.sources for j in src}
    used_train = {split.images_train[j].tobytes() for src in train.sources for j in src}
    assert used_train <= train_pixels
    # no held-out string contains a training digit image (the bundled set has no exact duplicates across the split)
    assert not used_test & train_pixels


def test_seeded():
    a1, b1 = load_digit_strings(50, 20, seed=3)
    a2, b2 = load_digit_strings(50, 20, seed=3)
    a3, _ = load_digit_strings(50, 20, seed=4)
    assert np.array_equal(a1.images, a2.images) and a1.labels == a2.labels and b1.labels == b2.labels
    assert a1.labels != a3.labels


def test_padded_labels_and_lengths():
    images = np.stack([np.full((8, 8), float(k)) for k in range(10)])
    ds = digit_strings(images, np.arange(10), 40, max_len=4, seed=np.random.default_rng(1))
    padded = ds.padded_labels(fill=-1)
    assert padded.shape == (40, ds.label_lengths.max())
    for row, lab in zip(padded, ds.labels, strict=True):
        assert row[: len(lab)].tolist() == lab and (row[len(lab) :] == -1).all()


def test_options_change_the_geometry():
    images = np.ones((3, 8, 8)) * 16
    ds = digit_strings(images, np.arange(3), 30, min_len=2, max_len=2, max_gap=0, jitter=0, seed=0)
    assert ds.images.shape[1] == 8
    for pos, w in zip(ds.positions, ds.widths, strict=True):
        assert pos[1] == pos[0] + 8 and w == pos[1] + 8 + 2  # no gap, right margin 2
    assert (ds.label_lengths == 2).all()


@settings(max_examples=50, deadline=None)
@given(
    gaps=st.lists(st.integers(-3, 4), min_size=1, max_size=4),
    left=st.integers(0, 3),
    data_=st.data(),
)
def test_compose_places_each_digit(gaps, left, data_):
    n = len(gaps) + 1
    offsets = data_.draw(st.lists(st.integers(0, 4), min_size=n, max_size=n))
    digits = [np.full((8, 8), 0.1 * (j + 1)) for j in range(n)]
    image, starts = compose_digit_string(digits, gaps, offsets, left=left, right=2, height=12)
    assert starts[0] == left and image.shape[0] == 12
    assert starts == list(np.cumsum([left] + [8 + g for g in gaps]))
    assert image.shape[1] == max(s + 8 for s in starts) + 2
    for j, (s, top) in enumerate(zip(starts, offsets, strict=True)):
        assert (image[top : top + 8, s : s + 8] >= 0.1 * (j + 1) - 1e-12).all()  # overlaps: the brighter wins
    assert image.sum() <= sum(d.sum() for d in digits) + 1e-9


def test_compose_bad_input():
    d = np.zeros((8, 8))
    with pytest.raises(ValueError, match="need 1 gaps and 2 offsets"):
        compose_digit_string([d, d], [], [0, 0])
    with pytest.raises(ValueError, match="offsets must be in"):
        compose_digit_string([d], [], [5], height=12)
    with pytest.raises(ValueError, match="before column 0"):
        compose_digit_string([d, d], [-12], [0, 0], left=0)
    with pytest.raises(ValueError, match="non-empty sequence of 2-D"):
        compose_digit_string([], [], [])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": 0}, "n must be an integer >= 1"),
        ({"min_len": 0}, "min_len must be an integer >= 1"),
        ({"min_len": 3, "max_len": 2}, "max_len must be an integer >= 3"),
        ({"max_gap": -1}, "max_gap must be"),
        ({"jitter": 1.5}, "jitter must be"),
        ({"max_value": 0}, "max_value must be > 0"),
    ],
)
def test_bad_arguments(kwargs, message):
    args = {"images": np.zeros((2, 8, 8)), "labels": np.array([0, 1]), "n": 5} | kwargs
    with pytest.raises(ValueError, match=message):
        digit_strings(**args)


def test_bad_images_and_labels():
    with pytest.raises(ValueError, match=r"images must have shape \(M, h, w\)"):
        digit_strings(np.zeros((8, 8)), np.array([0]), 3)
    with pytest.raises(ValueError, match="labels must be"):
        digit_strings(np.zeros((2, 8, 8)), np.array([0.0, 1.0]), 3)
    with pytest.raises(TypeError, match="seed"):
        digit_strings(np.zeros((2, 8, 8)), np.array([0, 1]), 3, seed=-1)


@pytest.fixture
def deterministic_torch():
    """torch.use_deterministic_algorithms(True, warn_only=True), as mlcourse.setup does; restored afterwards."""
    import torch

    before = (torch.are_deterministic_algorithms_enabled(), torch.is_deterministic_algorithms_warn_only_enabled())
    torch.use_deterministic_algorithms(True, warn_only=True)
    yield torch
    torch.use_deterministic_algorithms(before[0], warn_only=before[1])


def test_ctc_training_steps_are_deterministic_and_silent(deterministic_torch):
    """Chapter 09 trains a CRNN with torch's ctc_loss on these strings: under deterministic algorithms the CPU
    backward of conv, GRU and ctc_loss must not warn, and two runs from one seed must give identical weights."""
    import warnings

    torch = deterministic_torch
    nn, F = torch.nn, torch.nn.functional
    train, _ = load_digit_strings(64, 1, seed=0)
    X = torch.tensor(train.images, dtype=torch.float32)
    Y, U = torch.tensor(train.padded_labels()), torch.tensor(train.label_lengths)
    T_b = torch.tensor(-(-train.widths // 4))

    def run():
        torch.manual_seed(0)
        cnn = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(4))
        rnn, out = nn.GRU(8, 8, bidirectional=True), nn.Linear(16, 11)
        params = [*cnn.parameters(), *rnn.parameters(), *out.parameters()]
        opt = torch.optim.Adam(params, lr=1e-2)
        for idx in torch.randperm(64, generator=torch.Generator().manual_seed(0)).split(16):
            f = cnn(X[idx][:, None])  # (N, 4, 2, 18)
            s, _ = rnn(f.permute(3, 0, 1, 2).reshape(f.shape[3], len(idx), -1))
            loss = F.ctc_loss(out(s).log_softmax(-1), Y[idx], T_b[idx], U[idx], blank=10)
            opt.zero_grad()
            loss.backward()
            opt.step()
        return loss.item(), torch.cat([p.detach().flatten() for p in params])

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        loss_1, weights_1 = run()
        loss_2, weights_2 = run()
    assert not caught, [str(w.message) for w in caught]
    assert np.isfinite(loss_1) and loss_1 == loss_2 and torch.equal(weights_1, weights_2)
