"""The batch's processes: a killed batch keeps the reports it finished and the next run skips
them, two runs on one outputs folder keep both reports (the second waits for the lock), a
worker reads notebooks without building IRI parsers, and bad arguments stop it before any
render."""

import os
import signal
import subprocess
import sys
import time

import pytest

from batch_support import ENV, complete_package, manifest_of, rapport, register_codes

pytestmark = pytest.mark.e2e


def test_killed_batch_keeps_finished_reports_and_next_run_skips_them(tmp_path):
    out = tmp_path / "out"
    codes = register_codes(3)
    args = [sys.executable, "-m", "analysis", "render", *[a for c in codes for a in
                                                          ("--kommune", c)],
            "--jobs", "2", "--out", str(out)]
    proc = subprocess.Popen(args, env=ENV, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 300
    staged = []
    while time.monotonic() < deadline and proc.poll() is None:
        done = [k for k, e in manifest_of(out).items() if e["status"] == "rendered"]
        staged = [p for p in (out / ".staging").glob("*/*")] \
            if (out / ".staging").exists() else []
        if done and staged:      # one report finished, another one half-written
            break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()

    assert staged, "the batch was not caught while writing a report"
    finished = {k for k, e in manifest_of(out).items() if e["status"] == "rendered"}
    assert 1 <= len(finished) < len(codes)
    folders = {k: out / e["folder"] for k, e in manifest_of(out).items()}
    assert all(complete_package(folders[k]) for k in finished)
    partial = [f for f in (out / "kommuner").glob("*") if not complete_package(f)]
    assert partial == []
    stamps = {k: (folders[k] / "rapport.html").stat().st_mtime_ns for k in finished}

    again = subprocess.run(args, env=ENV, capture_output=True, text=True)

    assert again.returncode == 0, again.stderr
    assert (f"{len(codes) - len(finished)} rendered, {len(finished)} skipped"
            in again.stderr), again.stderr
    assert {k: (folders[k] / "rapport.html").stat().st_mtime_ns for k in finished} == stamps
    assert not (out / ".staging").exists()
    assert [p.name for p in out.rglob(".old-*")] == []
    manifest = manifest_of(out)
    assert set(manifest) == set(codes)
    assert all(e["status"] == "rendered" and complete_package(out / e["folder"])
               for e in manifest.values())


def test_two_renders_on_one_outputs_folder_keep_both_reports(tmp_path):
    out = tmp_path / "out"
    runs = [subprocess.Popen([sys.executable, "-m", "analysis", "render", "--kommune", code,
                              "--out", str(out)], env=ENV, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for code in ("259", "165")]
    results = [(run.wait(timeout=600), run.stderr.read()) for run in runs]

    assert [rc for rc, _ in results] == [0, 0], results
    manifest = manifest_of(out)
    assert {"259", "165"} <= set(manifest)
    assert all(manifest[c]["status"] == "rendered"
               and complete_package(out / manifest[c]["folder"]) for c in ("259", "165"))
    index = (out / "index.html").read_text("utf-8")      # municipal reports are confidential
    assert "fortrolige" in index and "Køge" not in index and "Albertslund" not in index
    assert not (out / ".staging").exists()


def test_second_run_waits_for_the_lock_and_says_so(tmp_path):
    from analysis.batch.manifest import Busy, OutputsLock

    out = tmp_path / "out"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; "
         "from analysis.batch.manifest import OutputsLock\n"
         "with OutputsLock(Path(sys.argv[1])):\n print('held', flush=True); time.sleep(2)",
         str(out)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"

    with pytest.raises(Busy, match=f"process {holder.pid}"):
        OutputsLock(out, wait=False).__enter__()
    t = time.monotonic()
    with OutputsLock(out):        # waits until the holder lets go
        waited = time.monotonic() - t
    assert waited > 0.5
    holder.wait()


def test_a_worker_reads_notebooks_without_building_iri_parsers():
    # the batch's processes import nbformat; jsonschema's IRI checker is left out of them, and
    # notebooks are still validated against nbformat's schema
    probe = ("import sys; from analysis.batch import jobs; import nbformat; "
             "from analysis.core import paths; "
             "nb = nbformat.read(sorted(paths.notebooks_dir().glob('*.ipynb'))[0], as_version=4); "
             "nbformat.validate(nb); nb.cells[0]['cell_type'] = 'picture'; "
             "print(sys.modules.get('rfc3987_syntax'), 'lark' in sys.modules); "
             "nbformat.validate(nb)")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=ENV)
    assert run.stdout.splitlines() == ["None False"], run.stderr
    assert run.returncode != 0 and "ValidationError" in run.stderr


def test_unknown_municipality_is_a_clear_error(tmp_path):
    result = rapport("render", "--kommune", "Køgee", "--out", str(tmp_path))

    assert result.returncode == 1
    assert "did you mean: Køge" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "national").exists()


@pytest.mark.skipif(__import__("shutil").which("quarto") is not None,
                    reason="Quarto is installed here")
def test_quarto_engine_without_quarto_is_a_clear_error(tmp_path):
    result = rapport("render", "--engine", "quarto", "--out", str(tmp_path))

    assert result.returncode == 1
    assert "Quarto is not installed" in result.stderr and "Traceback" not in result.stderr
