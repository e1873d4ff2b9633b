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


def _register_codes(n: int) -> list[str]:
    lines = (Path(__file__).resolve().parents[1] / "data/register/helhedsplaner.csv") \
        .read_text("utf-8").splitlines()[1:]
    return [line.split(",")[0] for line in lines[:n]]


def _manifest(out: Path) -> dict:
    path = out / "manifest.json"
    return json.loads(path.read_text("utf-8"))["reports"] if path.exists() else {}


def test_killed_batch_keeps_finished_reports_and_next_run_skips_them(tmp_path):
    out = tmp_path / "out"
    codes = _register_codes(5)
    args = [sys.executable, "-m", "analysis", "render", *[a for c in codes for a in
                                                          ("--kommune", c)],
            "--jobs", "2", "--out", str(out)]
    proc = subprocess.Popen(args, env=ENV, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 300
    staged = []
    while time.monotonic() < deadline and proc.poll() is None:
        done = [k for k, e in _manifest(out).items() if e["status"] == "rendered"]
        staged = [p for p in (out / ".staging").glob("*/*")] \
            if (out / ".staging").exists() else []
        if done and staged:      # one report finished, another one half-written
            break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()

    assert staged, "the batch was not caught while writing a report"
    finished = {k for k, e in _manifest(out).items() if e["status"] == "rendered"}
    assert 1 <= len(finished) < len(codes)
    folders = {k: out / e["folder"] for k, e in _manifest(out).items()}
    assert all(_complete_package(folders[k]) for k in finished)
    partial = [f for f in (out / "kommuner").glob("*") if not _complete_package(f)]
    assert partial == []
    stamps = {k: (folders[k] / "rapport.html").stat().st_mtime_ns for k in finished}

    again = subprocess.run(args, env=ENV, capture_output=True, text=True)

    assert again.returncode == 0, again.stderr
    assert (f"{len(codes) - len(finished)} rendered, {len(finished)} skipped"
            in again.stderr), again.stderr
    assert {k: (folders[k] / "rapport.html").stat().st_mtime_ns for k in finished} == stamps
    assert not (out / ".staging").exists()
    assert [p.name for p in out.rglob(".old-*")] == []
    manifest = _manifest(out)
    assert set(manifest) == set(codes)
    assert all(e["status"] == "rendered" and _complete_package(out / e["folder"])
               for e in manifest.values())


def test_two_renders_on_one_outputs_folder_keep_both_reports(tmp_path):
    out = tmp_path / "out"
    runs = [subprocess.Popen([sys.executable, "-m", "analysis", "render", "--kommune", code,
                              "--out", str(out)], env=ENV, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for code in ("259", "165")]
    results = [(run.wait(timeout=600), run.stderr.read()) for run in runs]

    assert [rc for rc, _ in results] == [0, 0], results
    manifest = _manifest(out)
    assert {"259", "165"} <= set(manifest)
    assert all(manifest[c]["status"] == "rendered"
               and _complete_package(out / manifest[c]["folder"]) for c in ("259", "165"))
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


def test_no_change_rerun_decides_without_the_analysis_stack(tmp_path, data_copy):
    out = tmp_path / "out"
    first = _rapport("render", "--kommune", "Køge", "--data", str(data_copy), "--out", str(out))
    assert first.returncode == 0, first.stderr
    probe = ("import sys; from analysis.cli import main; code = main(sys.argv[1:]); "
             "print('pandas' in sys.modules, 'analysis.batch.jobs' in sys.modules); "
             "raise SystemExit(code)")

    rerun = subprocess.run([sys.executable, "-c", probe, "render", "--kommune", "Køge",
                            "--data", str(data_copy), "--out", str(out)],
                           capture_output=True, text=True, env=ENV)

    assert rerun.returncode == 0, rerun.stderr
    assert "0 rendered, 1 skipped" in rerun.stderr
    assert rerun.stdout.splitlines()[-1] == "False False"
    # Any change to the data makes the report out of date again.
    about = data_copy / "dataset.yaml"
    about.write_text(about.read_text("utf-8") + "# edited\n", encoding="utf-8")
    changed = _rapport("render", "--kommune", "Køge", "--data", str(data_copy), "--out", str(out))
    assert changed.returncode == 0, changed.stderr
    assert "1 rendered, 0 skipped" in changed.stderr
    # So does a file of the report deleted by hand.
    (out / "kommuner" / "259-koege" / "rapport.pdf").unlink()
    repaired = _rapport("render", "--kommune", "Køge", "--data", str(data_copy), "--out",
                        str(out))
    assert "1 rendered, 0 skipped" in repaired.stderr, repaired.stderr
    assert _complete_package(out / "kommuner" / "259-koege")


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
