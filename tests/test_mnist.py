"""mlcourse.mnist: IDX reading (raw and .gz), SHA-256 checks, the missing-files message, opt-in verified download.

All files are small IDX files built here; downloads use file:// URLs (no network)."""

import gzip
import hashlib
import struct

import numpy as np
import pytest

from mlcourse import data, mnist
from mlcourse.mnist import FILES, SHA256, MNISTNotFoundError, default_root, load_mnist, read_idx


def idx_bytes(array: np.ndarray) -> bytes:
    codes = {np.dtype("uint8"): 0x08, np.dtype(">i4"): 0x0C, np.dtype(">f8"): 0x0E}
    array = np.asarray(array)
    big = array.astype(array.dtype.newbyteorder(">")) if array.dtype.itemsize > 1 else array
    header = bytes([0, 0, codes[big.dtype], array.ndim]) + b"".join(struct.pack(">I", n) for n in array.shape)
    return header + big.tobytes()


def fake_mnist(n_train=6, n_test=4, seed=0):
    rng = np.random.default_rng(seed)
    return {
        "train_images": rng.integers(0, 256, size=(n_train, 28, 28), dtype=np.uint8),
        "train_labels": rng.integers(0, 10, size=n_train, dtype=np.uint8),
        "test_images": rng.integers(0, 256, size=(n_test, 28, 28), dtype=np.uint8),
        "test_labels": rng.integers(0, 10, size=n_test, dtype=np.uint8),
    }


def write(folder, arrays, gz=True):
    folder.mkdir(parents=True, exist_ok=True)
    sums = {}
    for role, name in FILES.items():
        content = idx_bytes(arrays[role])
        sums[name] = hashlib.sha256(content).hexdigest()
        path = folder / (f"{name}.gz" if gz else name)
        path.write_bytes(gzip.compress(content) if gz else content)
    return sums


def test_read_idx_raw_and_gz_any_type(tmp_path):
    for array in (
        np.arange(24, dtype=np.uint8).reshape(2, 3, 4),
        np.array([-5, 7, 1 << 20], dtype=">i4"),
        np.linspace(-1, 1, 6).reshape(3, 2).astype(">f8"),
    ):
        (tmp_path / "a").write_bytes(idx_bytes(array))
        (tmp_path / "a.gz").write_bytes(gzip.compress(idx_bytes(array)))
        for path in (tmp_path / "a", tmp_path / "a.gz"):
            out = read_idx(path)
            np.testing.assert_array_equal(out, array)
            assert out.dtype.isnative and out.flags.writeable


def test_read_idx_refuses_broken_files(tmp_path):
    good = idx_bytes(np.arange(12, dtype=np.uint8).reshape(3, 4))
    cases = {"magic": b"\x01\x00" + good[2:], "short": good[:-1], "type": b"\x00\x00\x07" + good[3:]}
    for what, content in cases.items():
        (tmp_path / what).write_bytes(content)
        with pytest.raises(ValueError, match="IDX"):
            read_idx(tmp_path / what)
    (tmp_path / "bad.gz").write_bytes(b"not gzip at all")
    with pytest.raises(ValueError, match="not a valid gzip file"):
        read_idx(tmp_path / "bad.gz")


@pytest.mark.parametrize("gz", [True, False])
def test_load_mnist_reads_the_four_files(tmp_path, gz):
    arrays = fake_mnist()
    sums = write(tmp_path, arrays, gz=gz)
    split = load_mnist(tmp_path, checksums=sums)
    np.testing.assert_array_equal(split.images_train, arrays["train_images"])
    np.testing.assert_array_equal(split.y_test, arrays["test_labels"])
    assert split.y_train.dtype == np.int64 and split.images_test.dtype == np.uint8
    assert split.X_train.shape == (6, 784) and split.X_train.dtype == np.float32
    np.testing.assert_allclose(split.X_test, arrays["test_images"].reshape(4, 784) / 255.0, rtol=1e-6)


def test_load_mnist_scalings_and_dtype(tmp_path):
    arrays = fake_mnist()
    write(tmp_path, arrays)
    sym = load_mnist(tmp_path, checksums=None, scale="symmetric", dtype=np.float64)
    assert sym.X_train.dtype == np.float64
    np.testing.assert_allclose(sym.X_train, (arrays["train_images"].reshape(6, -1) / 255.0 - 0.5) / 0.5)
    assert sym.X_train.min() >= -1 and sym.X_train.max() <= 1
    raw = load_mnist(tmp_path, checksums=None, scale=None, dtype=np.float64)
    np.testing.assert_array_equal(raw.X_train, arrays["train_images"].reshape(6, -1))
    with pytest.raises(ValueError, match="scale must be one of"):
        load_mnist(tmp_path, checksums=None, scale="minmax")


def test_the_real_checksums_are_enforced(tmp_path):
    write(tmp_path, fake_mnist())  # right format, but not the real MNIST files
    with pytest.raises(ValueError, match=r"train-images-idx3-ubyte\.gz: SHA-256 .* expected ba891046"):
        load_mnist(tmp_path)
    assert load_mnist(tmp_path, checksums=None).X_train.shape == (6, 784)
    assert all(len(v) == 64 and int(v, 16) >= 0 for v in SHA256.values())
    assert set(SHA256) == set(FILES.values())


def test_missing_files_say_which_and_where(tmp_path):
    arrays = fake_mnist()
    sums = write(tmp_path, arrays)
    (tmp_path / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(MNISTNotFoundError) as info:
        load_mnist(tmp_path, checksums=sums)
    message = str(info.value)
    assert isinstance(info.value, FileNotFoundError)
    assert f"MNIST files missing in {tmp_path}: t10k-labels-idx1-ubyte." in message
    assert f"Put these four files into {tmp_path}" in message
    for name in FILES.values():
        assert f"{name}.gz" in message
    assert "download=True" in message and "MLCOURSE_DATA" in message


def test_default_root_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("MLCOURSE_DATA", str(tmp_path))
    assert default_root() == tmp_path / "mnist"
    monkeypatch.delenv("MLCOURSE_DATA")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_root() == tmp_path / "home" / ".cache" / "mlcourse" / "mnist"
    with pytest.raises(MNISTNotFoundError, match=r"home/\.cache/mlcourse/mnist"):
        load_mnist()


def test_no_download_unless_asked(tmp_path, monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("load_mnist tried to download")

    monkeypatch.setattr(mnist.urllib.request, "urlopen", forbidden)
    with pytest.raises(MNISTNotFoundError):
        load_mnist(tmp_path / "empty")
    with pytest.raises(TypeError, match="download must be True or False"):
        load_mnist(tmp_path / "empty", download="yes")


def test_download_verifies_then_renames(tmp_path):
    arrays = fake_mnist()
    sums = write(tmp_path / "mirror", arrays)
    target = tmp_path / "cache"
    split = load_mnist(target, download=True, checksums=sums, mirror=(tmp_path / "mirror").as_uri())
    np.testing.assert_array_equal(split.images_test, arrays["test_images"])
    assert sorted(p.name for p in target.iterdir()) == sorted(f"{n}.gz" for n in FILES.values())
    again = load_mnist(target, checksums=sums)  # now offline
    np.testing.assert_array_equal(again.y_train, split.y_train)


def test_download_with_a_wrong_checksum_leaves_no_file(tmp_path):
    arrays = fake_mnist()
    sums = write(tmp_path / "mirror", arrays)
    wrong = {**sums, "train-labels-idx1-ubyte": "0" * 64}
    target = tmp_path / "cache"
    with pytest.raises(ValueError, match="SHA-256"):
        load_mnist(target, download=True, checksums=wrong, mirror=(tmp_path / "mirror").as_uri())
    names = sorted(p.name for p in target.iterdir())
    assert "train-labels-idx1-ubyte.gz" not in names
    assert not [n for n in names if n.endswith(".part.gz")]  # the temporary file is gone
    assert names == ["train-images-idx3-ubyte.gz"]  # files before the bad one were verified and kept


def test_inconsistent_files_are_refused(tmp_path):
    arrays = fake_mnist()
    arrays["train_labels"] = arrays["train_labels"][:5]
    write(tmp_path, arrays)
    with pytest.raises(ValueError, match=r"train images must be \(N, h, w\) and labels \(N,\)"):
        load_mnist(tmp_path, checksums=None)
    arrays = fake_mnist()
    arrays["test_labels"][0] = 12
    write(tmp_path, arrays)
    with pytest.raises(ValueError, match="labels 0–9"):
        load_mnist(tmp_path, checksums=None)


def test_reexported_from_data():
    assert data.load_mnist is load_mnist and data.MNISTNotFoundError is MNISTNotFoundError
