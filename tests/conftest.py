import os
import shutil
import tempfile
from pathlib import Path

import pytest

from published import published_counts_from

PROJECT = Path(__file__).resolve().parents[1]
DATA = PROJECT / "data"

# "auto" picks Quarto wherever it is installed (as in CI); the suite tests the default engine
# unless a test asks for Quarto with --engine quarto.
os.environ.setdefault("RAPPORT_ENGINE", "pandoc")


def pytest_configure(config):
    """Every render in the tests, and every CLI run they start, keeps its passphrases in a
    throwaway file: the tests never read or write the project's real passphrase file."""
    keys = Path(tempfile.mkdtemp(prefix="rapport-test-noegler-")) / "adgangsfraser.csv"
    os.environ["RAPPORT_NOEGLER"] = str(keys)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped data, to break or change in a test."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture
def published_counts(request):
    """``published_counts(data_dir=None)`` -> counts recomputed from that data."""
    from analysis.inputs.dataset import load_dataset

    def compute(data_dir: Path | None = None):
        return published_counts_from(load_dataset(data_dir or DATA))
    return compute
