"""What a warm kernel reuses (the loaded and hashed data, the national results, the figures)
gives the same bytes as a cold run, and a changed data file is seen by the next report.

Reports are written unsealed (sealing adds a random salt), with ``SOURCE_DATE_EPOCH`` set.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from analysis.batch.jobs import Job, render_job
from analysis.render.execute import WarmKernel
from analysis.core import paths

pytestmark = pytest.mark.e2e

DATA = Path(__file__).resolve().parents[1] / "data"
FILES = ("rapport.html", "rapport.pdf", "provenance.json")
TARGET = ("259", "Køge")          # the municipality rendered cold and warm
# Rendered first by the warm kernel: other municipalities, among them ones of Køge's size
# group, so that some of Køge's figures come from the cache.
OTHERS = (("101", "København"), ("147", "Frederiksberg"), ("253", "Greve"),
          ("265", "Roskilde"), ("330", "Slagelse"))


@pytest.fixture(autouse=True)
def reproducible(monkeypatch):
    # Set before any kernel starts: a kernel takes its environment from this process.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def _render(kernel: WarmKernel, code, name, data: Path, out: Path) -> dict[str, bytes]:
    outcome = render_job(Job(code, name, data, out), kernel)
    assert outcome.status == "rendered", outcome.error
    folder = paths.report_dir(out, code, name)
    return {f: (folder / f).read_bytes() for f in FILES}


def _in_kernel(kernel: WarmKernel, code: str):
    """The value of a Python expression in the kernel (printed as JSON)."""
    chunks = []
    kernel.kc.execute_interactive(f"import json as _json; print(_json.dumps({code}))",
                                  timeout=60, output_hook=lambda m: chunks.append(
                                      m["content"].get("text", "")
                                      if m["msg_type"] == "stream" else ""))
    return json.loads("".join(chunks))


def _cold(code, name, data: Path, out: Path) -> dict[str, bytes]:
    with WarmKernel(paths.notebooks_dir()) as kernel:
        return _render(kernel, code, name, data, out)


def test_a_warm_kernel_renders_the_same_bytes_as_a_cold_one(tmp_path):
    cold_national = _cold(None, None, DATA, tmp_path / "cold-national")
    cold_target = _cold(*TARGET, DATA, tmp_path / "cold-target")

    with WarmKernel(paths.notebooks_dir()) as kernel:
        for code, name in OTHERS:
            _render(kernel, code, name, DATA, tmp_path / "warm")
        warm_national = _render(kernel, None, None, DATA, tmp_path / "warm")
        before = _in_kernel(kernel, "__import__('analysis.report.figures.cache', fromlist=['x'])"
                                    ".CACHE_COUNTS")
        warm_target = _render(kernel, *TARGET, DATA, tmp_path / "warm")
        after = _in_kernel(kernel, "__import__('analysis.report.figures.cache', fromlist=['x'])"
                                   ".CACHE_COUNTS")

    # the warm kernel did reuse: some of the target's figures were not drawn again
    assert after["hits"] > before["hits"], (before, after)
    for name in FILES:
        assert warm_national[name] == cold_national[name], f"national {name}"
        assert warm_target[name] == cold_target[name], f"{TARGET[1]} {name}"


def _change_in_place(path: Path, old: bytes, new: bytes) -> None:
    """Replace ``old`` by ``new`` (same length) in the file and give it back its
    modification time, as a tool that preserves timestamps would."""
    assert len(old) == len(new)
    stat = path.stat()
    content = path.read_bytes()
    assert content.count(old) == 1, old
    path.write_bytes(content.replace(old, new))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns


@pytest.mark.parametrize("trust_at_once", [False, True], ids=["just-written", "stat-cached"])
def test_a_data_file_changed_between_two_reports_changes_the_second(tmp_path, trust_at_once):
    """Køge's number of helhedsplaner (its own facts table, and the regions' totals) is changed
    between two renders in one kernel; the second equals a cold render of the changed data.

    ``stat-cached``: the kernel reuses a digest as soon as it is taken (no wait for a file's
    last change to lie seconds back), so the change, made with the file's size and
    modification time kept, must be seen through the file's change time alone."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    register = data / "register" / "helhedsplaner.csv"
    with WarmKernel(paths.notebooks_dir()) as kernel:
        if trust_at_once:
            _in_kernel(kernel, "setattr(__import__('analysis.stats.results', "
                               "fromlist=['x']), 'RACY_NS', -1) or 0")
        first = _render(kernel, *TARGET, data, tmp_path / "first")
        _change_in_place(register, b"\n259,2,4120,", b"\n259,3,4120,")
        second = _render(kernel, *TARGET, data, tmp_path / "second")
    cold = _cold(*TARGET, data, tmp_path / "cold")

    assert second["rapport.html"] != first["rapport.html"]
    assert second["provenance.json"] != first["provenance.json"]
    for name in FILES:
        assert second[name] == cold[name], name
