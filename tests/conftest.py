import shutil
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
DATA = PROJECT / "data"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped data, to break or change in a test."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target
