"""Reports rendered one after the other in one warm kernel, for test_reuse.py; run as a script
(in the background, see ``shared_renders``), each run writes its reports unsealed under OUT.

``python warm_kernel_runs.py sequence OUT DATA``
    Other municipalities first (among them ones of Køge's size group, so that some of Køge's
    figures come from the cache), then the national report and Køge's, into ``OUT/warm``; the
    figure cache's counts just before and just after Køge's report into ``OUT/cache.json``.

``python warm_kernel_runs.py change OUT DATA [--trust-at-once]``
    Køge's report into ``OUT/first``; then Køge's number of helhedsplaner (its own facts table,
    and the regions' totals) changed in DATA's register, with the file's size and modification
    time kept; then Køge's report again, in the same kernel, into ``OUT/second``. With
    ``--trust-at-once`` the kernel reuses a file's digest as soon as it is taken (no wait for
    the file's last change to lie seconds back).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

FILES = ("rapport.html", "rapport.pdf", "provenance.json")
TARGET = ("259", "Køge")          # the municipality rendered cold and warm
OTHERS = (("101", "København"), ("147", "Frederiksberg"), ("253", "Greve"),
          ("265", "Roskilde"), ("330", "Slagelse"))
CHANGE = (b"\n259,1,4120,", b"\n259,3,4120,")   # in register/helhedsplaner.csv


def change_in_place(path: Path, old: bytes, new: bytes) -> None:
    """Replace ``old`` by ``new`` (same length) in the file and give it back its
    modification time, as a tool that preserves timestamps would."""
    assert len(old) == len(new)
    stat = path.stat()
    content = path.read_bytes()
    assert content.count(old) == 1, old
    path.write_bytes(content.replace(old, new))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns


def change_register(data: Path) -> None:
    """Køge's number of helhedsplaner 1 -> 3."""
    change_in_place(data / "register" / "helhedsplaner.csv", *CHANGE)


def _render(kernel, code, name, data: Path, out: Path) -> None:
    from analysis.batch.jobs import Job, render_job

    outcome = render_job(Job(code, name, data, out), kernel)
    if outcome.status != "rendered":
        raise SystemExit(f"{name or 'national'}: {outcome.error}")


def _in_kernel(kernel, code: str):
    """The value of a Python expression in the kernel (printed as JSON)."""
    chunks = []
    kernel.kc.execute_interactive(f"import json as _json; print(_json.dumps({code}))",
                                  timeout=60, output_hook=lambda m: chunks.append(
                                      m["content"].get("text", "")
                                      if m["msg_type"] == "stream" else ""))
    return json.loads("".join(chunks))


CACHE_COUNTS = "__import__('analysis.report.figures.cache', fromlist=['x']).CACHE_COUNTS"


def sequence(out: Path, data: Path) -> None:
    from analysis.core import paths
    from analysis.render.execute import WarmKernel

    with WarmKernel(paths.notebooks_dir()) as kernel:
        for code, name in OTHERS:
            _render(kernel, code, name, data, out / "warm")
        _render(kernel, None, None, data, out / "warm")
        before = _in_kernel(kernel, CACHE_COUNTS)
        _render(kernel, *TARGET, data, out / "warm")
        after = _in_kernel(kernel, CACHE_COUNTS)
    (out / "cache.json").write_text(json.dumps({"before": before, "after": after}), "utf-8")


def change(out: Path, data: Path, trust_at_once: bool) -> None:
    from analysis.core import paths
    from analysis.render.execute import WarmKernel

    with WarmKernel(paths.notebooks_dir()) as kernel:
        if trust_at_once:
            _in_kernel(kernel, "setattr(__import__('analysis.stats.results', "
                               "fromlist=['x']), 'RACY_NS', -1) or 0")
        _render(kernel, *TARGET, data, out / "first")
        change_register(data)
        _render(kernel, *TARGET, data, out / "second")


if __name__ == "__main__":
    mode, out, data, *flags = sys.argv[1:]
    if mode == "sequence":
        sequence(Path(out), Path(data))
    else:
        change(Path(out), Path(data), trust_at_once="--trust-at-once" in flags)
