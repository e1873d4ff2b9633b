"""Byte-reproducible output: the same inputs and SOURCE_DATE_EPOCH give the same files.

The second renders run in other processes, into other out dirs, with another time zone and
another hash seed (see ``RUN_ENV`` in conftest), so nothing that should not matter can leak
into the files a reader downloads.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

FILES = ("rapport.html", "rapport.pdf", "tabeller.xlsx")


def _first_difference(a: bytes, b: bytes) -> str:
    at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return (f"sizes {len(a)} and {len(b)}; first difference at byte {at}: "
            f"{a[max(0, at - 40):at + 40]!r} vs {b[max(0, at - 40):at + 40]!r}")


@pytest.mark.parametrize("key", ["national", "koege"])
@pytest.mark.parametrize("name", FILES)
def test_two_renders_are_byte_identical(reports, second_reports, key, name):
    first, second = reports[key].folder / name, second_reports[key].folder / name
    assert first.parent != second.parent
    a, b = first.read_bytes(), second.read_bytes()
    assert a == b, f"{key}/{name} differs between two renders: {_first_difference(a, b)}"
