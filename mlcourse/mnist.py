"""MNIST from the four standard IDX files, read offline from a local folder and verified by SHA-256.

Nothing is downloaded unless `load_mnist(download=True)` is called; a download goes to a temporary file in the
target folder, which is renamed to its final name only after its checksum matched.
Checksums are of the *uncompressed* IDX bytes, so a file counts as genuine whether it is stored raw or gzipped.
Source of the values: the SHA-256 of the decompressed files as published in many independent copies, e.g. next to
the .gz checksums 440fcabf… (train images), 3552534a… (train labels), 8d422c7b… (test images), f7ae60f9… (test
labels) of the mirror used by torchvision.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
import urllib.request
from collections.abc import Mapping
from pathlib import Path

import numpy as np

__all__ = ["FILES", "MIRROR", "SHA256", "MNISTNotFoundError", "default_root", "load_mnist", "read_idx"]

# role -> file name (without .gz), in the order (train images, train labels, test images, test labels)
FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}
# SHA-256 of the uncompressed IDX files
SHA256 = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}
MIRROR = "https://ossci-datasets.s3.amazonaws.com/mnist/"
_IDX_TYPES = {0x08: "u1", 0x09: "i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


class MNISTNotFoundError(FileNotFoundError):
    """Some of the four MNIST files are not in the folder; the message says which and where to put them."""


def default_root() -> Path:
    """$MLCOURSE_DATA/mnist when MLCOURSE_DATA is set, otherwise ~/.cache/mlcourse/mnist."""
    base = os.environ.get("MLCOURSE_DATA")
    return Path(base) / "mnist" if base else Path.home() / ".cache" / "mlcourse" / "mnist"


def _content(path: Path) -> bytes:
    raw = path.read_bytes()
    if path.suffix == ".gz":
        try:
            return gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise ValueError(f"{path} is not a valid gzip file ({exc})") from exc
    return raw


def _parse_idx(content: bytes, where: str) -> np.ndarray:
    if len(content) < 4 or content[0] != 0 or content[1] != 0 or content[2] not in _IDX_TYPES:
        raise ValueError(f"{where} is not an IDX file (bad magic number {content[:4].hex()})")
    ndim = content[3]
    header = 4 + 4 * ndim
    if len(content) < header:
        raise ValueError(f"{where}: IDX header is truncated")
    shape = tuple(int.from_bytes(content[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    dtype = np.dtype(_IDX_TYPES[content[2]])
    expected = header + int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(content) != expected:
        raise ValueError(f"{where}: IDX shape {shape} needs {expected} bytes, the file has {len(content)}")
    data = np.frombuffer(content, dtype=dtype, offset=header).reshape(shape)
    return data.astype(dtype.newbyteorder("="))  # a native-endian copy that owns its memory


def read_idx(path) -> np.ndarray:
    """The array stored in an IDX file (raw or .gz): magic 0 0 type ndim, big-endian sizes, then the data."""
    path = Path(path)
    return _parse_idx(_content(path), str(path))


def _find(root: Path, name: str) -> Path | None:
    for candidate in (root / name, root / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    return None


def _verify(content: bytes, name: str, where: str, checksums: Mapping[str, str] | None) -> None:
    if checksums is None:
        return
    expected = checksums.get(name)
    if expected is None:
        raise ValueError(f"checksums has no entry for {name!r}; give all four or checksums=None to skip the check")
    got = hashlib.sha256(content).hexdigest()
    if got != expected.lower():
        raise ValueError(
            f"{where}: SHA-256 of the uncompressed content is {got}, expected {expected}. The file is damaged or "
            "not the original MNIST file: delete it and get it again."
        )


def _missing_message(root: Path, missing: list[str], mirror: str) -> str:
    names = "\n".join(f"    {name}.gz" for name in FILES.values())
    return (
        f"MNIST files missing in {root}: {', '.join(missing)}.\n"
        f"Put these four files into {root} (gzipped as below, or uncompressed without .gz):\n{names}\n"
        f"They are on {mirror} (about 11 MB). Or load them from another folder with load_mnist(root=...), set the "
        "environment variable MLCOURSE_DATA (files in $MLCOURSE_DATA/mnist), or let load_mnist(download=True) "
        "fetch and verify them."
    )


def _download(root: Path, name: str, mirror: str, checksums: Mapping[str, str] | None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    target = root / f"{name}.gz"
    url = mirror.rstrip("/") + f"/{name}.gz"
    fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".part.gz", dir=root)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=60) as response:
            while chunk := response.read(1 << 20):
                out.write(chunk)
        _verify(_content(tmp), name, url, checksums)
        os.replace(tmp, target)  # only a verified file gets the final name
    finally:
        if tmp.exists():
            tmp.unlink()
    return target


def load_mnist(
    root=None,
    *,
    scale: str | None = "unit",
    download: bool = False,
    checksums: Mapping[str, str] | None = SHA256,
    mirror: str = MIRROR,
    dtype=np.float32,
):
    """MNIST as a data.Split: X (N, 784) pixels scaled by `scale` (see data.scale_pixels, max 255) in `dtype`,
    y (N,) int64 labels, images (N, 28, 28) uint8 grey levels 0–255; 60000 training and 10000 test images.

    root: folder with the four IDX files (default: default_root()). checksums=None skips the SHA-256 check
    (for other files in the same format). download=True fetches missing files from `mirror` first.
    Raises MNISTNotFoundError (a FileNotFoundError) naming the missing files and where to put them.
    """
    from mlcourse.data import DIGIT_SCALINGS, Split, scale_pixels

    if scale not in DIGIT_SCALINGS:
        raise ValueError(f"scale must be one of {DIGIT_SCALINGS}, got {scale!r}")
    if not isinstance(download, bool):
        raise TypeError(f"download must be True or False, got {download!r}")
    root = default_root() if root is None else Path(root).expanduser()
    found = {name: _find(root, name) for name in FILES.values()}
    missing = [name for name, path in found.items() if path is None]
    if missing and download:
        for name in missing:
            found[name] = _download(root, name, mirror, checksums)
    elif missing:
        raise MNISTNotFoundError(_missing_message(root, missing, mirror))
    arrays = {}
    for role, name in FILES.items():
        content = _content(found[name])
        _verify(content, name, str(found[name]), checksums)
        arrays[role] = _parse_idx(content, str(found[name]))
    for split in ("train", "test"):
        images, labels = arrays[f"{split}_images"], arrays[f"{split}_labels"]
        if images.ndim != 3 or labels.ndim != 1 or images.shape[0] != labels.shape[0]:
            raise ValueError(f"{split} images must be (N, h, w) and labels (N,), got {images.shape} and {labels.shape}")
        if images.dtype != np.uint8 or labels.dtype != np.uint8 or (labels.size and labels.max() > 9):
            raise ValueError(f"{split} files must hold uint8 pixels and labels 0–9")
    n_pixels = arrays["train_images"][0].size
    X_train, X_test = scale_pixels(
        arrays["train_images"].reshape(-1, n_pixels), arrays["test_images"].reshape(-1, n_pixels), scale, 255.0
    )
    return Split(
        X_train.astype(dtype),
        arrays["train_labels"].astype(np.int64),
        X_test.astype(dtype),
        arrays["test_labels"].astype(np.int64),
        arrays["train_images"],
        arrays["test_images"],
    )
