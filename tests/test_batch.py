"""The batch: every report in one command, skipping what has not changed, surviving a killed
worker, and giving the same bytes as a report rendered cold and alone."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sealed_packages import open_package

pytestmark = pytest.mark.e2e
FILES = ("rapport.html", "rapport.pdf", "tabeller.xlsx", "provenance.json")
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1448928000"}


def _rapport(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True,
                          text=True, env=ENV, **kw)


def _complete(folder: Path) -> bool:
    return all((folder / f).is_file() and (folder / f).stat().st_size > 0 for f in FILES)


def _complete_package(folder: Path) -> bool:
    """A municipality's sealed package: the page and the PDF, with every file inside."""
    return all((folder / f).is_file() for f in FILES[:2]) and \
        sorted(open_package(folder)) == sorted(FILES)


def test_all_renders_every_report_then_skips_all(tmp_path):
    out = tmp_path / "out"

    first = _rapport("render", "--all", "--out", str(out))
    second = _rapport("render", "--all", "--out", str(out))

    assert first.returncode == 0, first.stderr
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))["reports"]
    assert len(manifest) == 45 and all(e["status"] == "rendered" for e in manifest.values())
    folders = sorted((out / "kommuner").iterdir())
    assert len(folders) == 44 and all(_complete_package(f) for f in folders)
    assert _complete(out / "national")
    assert (out / "kommuner" / "259-koege").is_dir()
    index = (out / "index.html").read_text("utf-8")
    assert index.count("rapport.pdf") == 1 and "Køge" not in index
    assert second.returncode == 0
    assert "0 rendered, 45 skipped" in second.stderr
    assert str(out / "index.html") in second.stdout


def test_killed_batch_leaves_no_partial_report_and_next_run_completes(tmp_path):
    out = tmp_path / "out"
    args = [sys.executable, "-m", "analysis", "render", "--kommune", "Køge", "--kommune",
            "Odense", "--kommune", "Herning", "--jobs", "2", "--out", str(out)]
    proc = subprocess.Popen(args, env=ENV, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        staged = list((out / ".staging").glob("*/*")) if (out / ".staging").exists() else []
        if staged:
            break
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()

    partial = [f for f in (out / "kommuner").glob("*") if not _complete_package(f)] \
        if (out / "kommuner").exists() else []
    assert partial == []

    again = subprocess.run(args, env=ENV, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    for name in ("259-koege", "461-odense", "657-herning"):
        assert _complete_package(out / "kommuner" / name)


def test_fast_path_is_byte_identical_to_cold_and_alone(tmp_path):
    fast, cold = tmp_path / "fast", tmp_path / "cold"

    batch = _rapport("render", "--kommune", "Odense", "--kommune", "Køge", "--kommune",
                     "Albertslund", "--jobs", "2", "--out", str(fast))
    alone = _rapport("render", "--kommune", "Køge", "--jobs", "1", "--out", str(cold))

    assert batch.returncode == 0 and alone.returncode == 0, batch.stderr + alone.stderr
    fast_files = open_package(fast / "kommuner/259-koege")
    cold_files = open_package(cold / "kommuner/259-koege")
    assert sorted(fast_files) == sorted(FILES)
    for name in FILES:
        assert fast_files[name] == cold_files[name], name


def test_unknown_municipality_is_a_clear_error(tmp_path):
    result = _rapport("render", "--kommune", "Køgee", "--out", str(tmp_path))

    assert result.returncode == 1
    assert "did you mean: Køge" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "national").exists()


@pytest.mark.skipif(__import__("shutil").which("quarto") is not None,
                    reason="Quarto is installed here")
def test_quarto_engine_without_quarto_is_a_clear_error(tmp_path):
    result = _rapport("render", "--engine", "quarto", "--out", str(tmp_path))

    assert result.returncode == 1
    assert "Quarto is not installed" in result.stderr and "Traceback" not in result.stderr
