"""Helpers of the loading and validation tests: break one cell, one line, and collect the
problems ``load_dataset`` reports."""

from pathlib import Path

import pandas as pd
import pytest

from analysis.core.problems import InputError
from analysis.inputs.dataset import load_dataset


def edit_csv(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell; ``row`` is the spreadsheet row (header = 1)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row - 2, column] = value
    frame.to_csv(path, index=False, lineterminator="\n")


def problems_of(data_dir: Path) -> list[str]:
    """The problems ``load_dataset`` finds in ``data_dir``, one line each (it must find some)."""
    with pytest.raises(InputError) as err:
        load_dataset(data_dir)
    return [str(p) for p in err.value.problems]


def append_to_line(path: Path, line: int, suffix: str) -> None:
    lines = path.read_text("utf-8").split("\n")
    lines[line - 1] += suffix
    path.write_text("\n".join(lines), "utf-8")
