"""What a warm kernel reuses (the loaded and hashed data, the national results, the figures)
gives the same bytes as a cold run, and a changed data file is seen by the next report.

Reports are written unsealed (sealing adds a random salt), with ``SOURCE_DATE_EPOCH`` set. All
of them are rendered in the background (see ``shared_renders``): the warm runs by
``warm_kernel_runs.py``, the cold national report by ``rapport render`` and Køge's by the
library in a fresh kernel.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from analysis.core import paths
from shared_renders import FIRST_ENV, LIBRARY_RENDER, background_render
from warm_kernel_runs import FILES, TARGET, change_register

pytestmark = pytest.mark.e2e

WARM_RUN = [sys.executable, str(Path(__file__).with_name("warm_kernel_runs.py"))]


def _copy(data: Path) -> None:
    """The shipped data, copied as it is (the warm run changes it between two reports)."""


# Other municipalities, then the national report and Køge's, in one warm kernel.
warm_sequence = background_render(
    "warm_sequence", [*WARM_RUN, "sequence", "{out}", "{data}"], env=FIRST_ENV)
# Køge, then the register changed, then Køge again, in one warm kernel; "stat-cached": a file's
# digest is reused as soon as it is taken, so the change must be seen through the file's change
# time alone.
changed_just_written = background_render(
    "changed_just_written", [*WARM_RUN, "change", "{out}", "{data}"], env=FIRST_ENV,
    prepare=_copy)
changed_stat_cached = background_render(
    "changed_stat_cached", [*WARM_RUN, "change", "{out}", "{data}", "--trust-at-once"],
    env=FIRST_ENV, prepare=_copy)
# Køge's report from the changed register, by the library in a fresh kernel (cold).
cold_changed_koege = background_render(
    "cold_changed_koege", [*LIBRARY_RENDER, "{out}", *TARGET, "{data}"], env=FIRST_ENV,
    prepare=change_register)


def _files(folder: Path) -> dict[str, bytes]:
    return {f: (folder / f).read_bytes() for f in FILES}


def test_a_warm_kernel_renders_the_same_bytes_as_a_cold_one(warm_sequence, national_render,
                                                            plain_koege_render):
    cold_national = _files(national_render.out / "national")
    cold_target = _files(paths.report_dir(plain_koege_render.out, *TARGET))
    warm_national = _files(warm_sequence.out / "warm" / "national")
    warm_target = _files(paths.report_dir(warm_sequence.out / "warm", *TARGET))
    counts = json.loads((warm_sequence.out / "cache.json").read_text("utf-8"))

    # the warm kernel did reuse: some of the target's figures were not drawn again
    assert counts["after"]["hits"] > counts["before"]["hits"], counts
    for name in FILES:
        assert warm_national[name] == cold_national[name], f"national {name}"
        assert warm_target[name] == cold_target[name], f"{TARGET[1]} {name}"


@pytest.fixture(scope="module")
def changed_runs(changed_just_written, changed_stat_cached):
    return {False: changed_just_written, True: changed_stat_cached}


@pytest.mark.parametrize("trust_at_once", [False, True], ids=["just-written", "stat-cached"])
def test_a_data_file_changed_between_two_reports_changes_the_second(changed_runs, trust_at_once,
                                                                    cold_changed_koege):
    """Køge's number of helhedsplaner (its own facts table, and the regions' totals) is changed
    between two renders in one kernel; the second equals a cold render of the changed data.

    ``stat-cached``: the kernel reuses a digest as soon as it is taken (no wait for a file's
    last change to lie seconds back), so the change, made with the file's size and
    modification time kept, must be seen through the file's change time alone."""
    run = changed_runs[trust_at_once]
    first = _files(paths.report_dir(run.out / "first", *TARGET))
    second = _files(paths.report_dir(run.out / "second", *TARGET))
    cold = _files(paths.report_dir(cold_changed_koege.out, *TARGET))

    assert second["rapport.html"] != first["rapport.html"]
    assert second["provenance.json"] != first["provenance.json"]
    for name in FILES:
        assert second[name] == cold[name], name
