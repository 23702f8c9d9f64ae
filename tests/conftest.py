"""Shared test configuration: reproducible hypothesis runs, off-screen axes, scripts/ importable for notebook tests."""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # tests draw off-screen

import matplotlib.pyplot as plt
import pytest
from hypothesis import settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

settings.register_profile("mlcourse", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("mlcourse")


@pytest.fixture
def ax():
    """Fresh axes on a figure that is closed after the test."""
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)
