"""Shared test configuration: reproducible hypothesis runs, and scripts/ importable for the notebook tests."""

import sys
from pathlib import Path

from hypothesis import settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

settings.register_profile("mlcourse", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("mlcourse")
