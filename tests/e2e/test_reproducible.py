"""Byte-reproducible output: the same inputs and SOURCE_DATE_EPOCH give the same files.

The first renders (``reports``) are single reports, each rendered cold by its own
``rapport render``; the second (``batch_reports``) are the same reports as the ``--all`` batch
renders them: in other processes (worker kernels that rendered other reports before), into
another out dir, with another time zone and another hash seed (see ``FIRST_ENV`` and
``SECOND_ENV`` in ``shared_renders``), so nothing that should not matter can leak into the files
a reader downloads.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

FILES = ("rapport.html", "rapport.pdf", "tabeller.xlsx", "provenance.json")


def _first_difference(a: bytes, b: bytes) -> str:
    at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return (f"sizes {len(a)} and {len(b)}; first difference at byte {at}: "
            f"{a[max(0, at - 40):at + 40]!r} vs {b[max(0, at - 40):at + 40]!r}")


@pytest.mark.parametrize("key", ["national", "koege"])
@pytest.mark.parametrize("name", FILES)
def test_two_renders_are_byte_identical(reports, batch_reports, key, name):
    first, second = reports[key].folder / name, batch_reports[key].folder / name
    assert first.parent != second.parent
    a, b = first.read_bytes(), second.read_bytes()
    assert a == b, f"{key}/{name} differs between two renders: {_first_difference(a, b)}"


def test_a_municipality_s_package_holds_exactly_the_report_s_files(reports, batch_reports):
    """The sealed package of the cold render and of the batch's hold the same four files."""
    for rendered in (reports, batch_reports):
        assert sorted(p.name for p in rendered["koege"].folder.iterdir()) == sorted(FILES)
