"""The batch on a real Dask cluster (``rapport render --scheduler``): a LocalCluster of two
worker processes renders the same bytes as the local batch, skips what has not changed, and
survives a worker killed mid-report."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sealed_packages import open_package

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.e2e
FILES = ("rapport.html", "rapport.pdf", "tabeller.xlsx", "provenance.json")
# The workers get SOURCE_DATE_EPOCH from the client (the plugin ships it), not from the
# cluster's own environment.
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1448928000"}
CODES = ("259", "461", "165", "657", "101")          # Køge, Odense, Albertslund, Herning, KBH


def _rapport(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", "render", *args],
                          capture_output=True, text=True, env=ENV, timeout=600)


def _kommuner(codes=CODES) -> list[str]:
    return [a for c in codes for a in ("--kommune", c)]


def _manifest(out: Path) -> dict:
    path = out / "manifest.json"
    return json.loads(path.read_text("utf-8"))["reports"] if path.exists() else {}


def _complete(folder: Path) -> bool:
    """Every file of a report: a municipality's sealed package holds its page and PDF (the
    rest is inside them)."""
    files = FILES if folder.name == "national" else FILES[:2]
    return all((folder / f).is_file() and (folder / f).stat().st_size > 0 for f in files)


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=":0") as local:
        yield local


@pytest.fixture(scope="module")
def local_batch(tmp_path_factory):
    """National + five municipalities rendered by the local pool."""
    out = tmp_path_factory.mktemp("local")
    national = _rapport("--out", str(out))
    municipal = _rapport(*_kommuner(), "--jobs", "2", "--out", str(out))
    assert national.returncode == 0 and municipal.returncode == 0, \
        national.stderr + municipal.stderr
    return out


def _files(folder: Path, key: str) -> dict[str, bytes]:
    """A report's plain files: a municipality's from inside its sealed package (the sealed
    bytes differ between renders by design: fresh salt and nonce)."""
    if key == "national":
        return {name: (folder / name).read_bytes() for name in FILES}
    return open_package(folder)


def _same_reports(a: Path, b: Path, keys) -> None:
    ma, mb = _manifest(a), _manifest(b)
    for key in keys:
        assert ma[key]["folder"] == mb[key]["folder"]
        left, right = _files(a / ma[key]["folder"], key), _files(b / mb[key]["folder"], key)
        assert sorted(left) == sorted(FILES) and sorted(right) == sorted(FILES), key
        for name in FILES:
            assert left[name] == right[name], f"{key}/{name} differs"


def test_cluster_renders_the_local_batch_byte_for_byte_and_skips_unchanged(
        cluster, local_batch, tmp_path):
    out = tmp_path / "out"
    address = cluster.scheduler_address

    national = _rapport("--scheduler", address, "--out", str(out))
    municipal = _rapport(*_kommuner(), "--out", str(out), "--scheduler", address)

    assert national.returncode == 0, national.stderr
    assert municipal.returncode == 0, municipal.stderr
    assert "5 rendered, 0 skipped (unchanged), 0 failed" in municipal.stderr
    assert "Rapporter" in municipal.stderr                    # the progress bar
    manifest = _manifest(out)
    assert set(manifest) == {"national", *CODES}
    assert all(e["status"] == "rendered" and e["input_key"] for e in manifest.values())
    _same_reports(out, local_batch, ["national", *CODES])
    assert not (out / ".staging").exists()
    # The input keys are the local batch's, so either engine skips the other's reports.
    local = _manifest(local_batch)
    assert {k: e["input_key"] for k, e in manifest.items()} == \
        {k: local[k]["input_key"] for k in manifest}

    again = _rapport(*_kommuner(), "--out", str(out), "--scheduler", address, "--force")
    stamps = {c: (out / manifest[c]["folder"] / "rapport.pdf").stat().st_mtime_ns
              for c in CODES}
    skip = _rapport(*_kommuner(), "--out", str(out), "--scheduler", address)

    assert again.returncode == 0 and "5 rendered" in again.stderr, again.stderr
    assert skip.returncode == 0 and "0 rendered, 5 skipped" in skip.stderr, skip.stderr
    assert stamps == {c: (out / manifest[c]["folder"] / "rapport.pdf").stat().st_mtime_ns
                      for c in CODES}


def test_worker_killed_mid_report_is_retried_elsewhere_and_leaves_no_partial_report(
        cluster, local_batch, tmp_path):
    out = tmp_path / "out"
    client = distributed.Client(cluster.scheduler_address, set_as_default=False)
    try:
        pids = client.run(os.getpid)
        batch = subprocess.Popen([sys.executable, "-m", "analysis", "render", *_kommuner(),
                                  "--out", str(out), "--scheduler", cluster.scheduler_address],
                                 env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True)
        killed = None
        partial = []
        deadline = time.monotonic() + 300
        while batch.poll() is None and time.monotonic() < deadline:
            if killed is None:
                busy = {w: keys for w, keys in client.processing().items()
                        if any(str(k).startswith("rapport-") for k in keys)}
                # kill once a report is under way there, after a first one has finished
                if busy and _manifest(out):
                    killed = sorted(busy)[0]
                    key = [k for k in busy[killed] if str(k).startswith("rapport-")][0]
                    os.kill(pids[killed], signal.SIGKILL)
            if (out / "kommuner").exists():
                partial += [f.name for f in (out / "kommuner").iterdir()
                            if not f.name.startswith(".") and not _complete(f)]
            time.sleep(0.05)
        stdout, stderr = batch.communicate(timeout=60)
        survivors = set(client.scheduler_info()["workers"])
    finally:
        client.close()

    assert killed is not None, "no worker was caught rendering a report"
    assert batch.returncode == 0, stderr
    assert killed not in survivors           # its report was finished by another worker
    assert key.startswith("rapport-")
    assert "5 rendered, 0 skipped (unchanged), 0 failed" in stderr
    assert partial == []
    assert not (out / ".staging").exists()
    _same_reports(out, local_batch, CODES)


def test_a_report_that_fails_on_a_worker_fails_alone(cluster, tmp_path, monkeypatch):
    from analysis.core import paths
    from analysis.batch.cluster import run_on_cluster
    from analysis.batch.jobs import Job

    monkeypatch.setenv("SOURCE_DATE_EPOCH", ENV["SOURCE_DATE_EPOCH"])
    out = tmp_path / "out"
    data = paths.default_data_dir()
    jobs = [Job("0000", "Ingensteds", data, out), Job("259", "Køge", data, out)]
    seen = []

    outcomes = run_on_cluster(jobs, cluster.scheduler_address, data,
                              on_outcome=lambda job, o: seen.append((job.kommune, o.status)))

    bad, good = outcomes
    assert bad.status == "failed" and bad.notebook and bad.notebook.endswith(".ipynb")
    assert bad.error and "Traceback" not in bad.error
    assert good.status == "rendered" and _complete(out / "kommuner" / "259-koege")
    assert sorted(seen) == [("0000", "failed"), ("259", "rendered")]
    assert not (out / "kommuner" / "0000-ingensteds").exists()


def test_a_scheduler_without_workers_and_an_unreachable_one_are_one_line_each(
        tmp_path, monkeypatch):
    from analysis.batch import cluster as engine
    from analysis.core import paths
    from analysis.batch.jobs import Job
    from analysis.core.problems import InputError

    monkeypatch.setattr(engine, "WORKER_WAIT", 1.0)
    monkeypatch.setattr(engine, "CONNECT_TIMEOUT", "1s")
    data = paths.default_data_dir()
    jobs = [Job("259", "Køge", data, tmp_path / "out")]
    with distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=":0") as empty:
        with pytest.raises(InputError) as no_workers:
            engine.run_on_cluster(jobs, empty.scheduler_address, data)
    with pytest.raises(InputError) as unreachable:
        engine.run_on_cluster(jobs, "tcp://127.0.0.1:9", data)

    assert "at least one worker" in str(no_workers.value.problems[0])
    assert "running Dask scheduler" in str(unreachable.value.problems[0])
    assert not (tmp_path / "out").exists()


def test_a_worker_that_stops_answering_is_restarted_and_its_report_fails_alone(
        cluster, tmp_path, monkeypatch):
    """A worker frozen mid-report (SIGSTOP: alive, but answering nothing) would keep the batch
    waiting for ever; after the report's timeout and the margin, the client gives the report
    up, has the worker's nanny restart it, and the other report still completes."""
    from analysis.batch import jobs as job_model
    from analysis.batch.cluster import run_on_cluster
    from analysis.batch.jobs import Job
    from analysis.core import paths

    monkeypatch.setenv("SOURCE_DATE_EPOCH", ENV["SOURCE_DATE_EPOCH"])
    monkeypatch.setattr(job_model, "STUCK_MARGIN", 1.0)
    out = tmp_path / "out"
    data = paths.default_data_dir()
    jobs = [Job("259", "Køge", data, out, timeout=30.0),
            Job("461", "Odense", data, out, timeout=30.0)]
    client = distributed.Client(cluster.scheduler_address, set_as_default=False)
    frozen = {}

    def freeze_the_worker_rendering_koege():
        pids = client.run(os.getpid)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            busy = [w for w, keys in client.processing().items()
                    if any(str(k).startswith("rapport-259-") for k in keys)]
            if busy:
                time.sleep(3)                      # well into the report
                frozen["worker"], frozen["pid"] = busy[0], pids[busy[0]]
                os.kill(frozen["pid"], signal.SIGSTOP)
                return
            time.sleep(0.05)

    freezer = threading.Thread(target=freeze_the_worker_rendering_koege)
    try:
        freezer.start()
        started = time.monotonic()
        koege, odense = run_on_cluster(jobs, cluster.scheduler_address, data)
        took = time.monotonic() - started
        freezer.join()
        client.wait_for_workers(2, timeout=120)    # the nanny has started a new one
        workers = set(client.scheduler_info()["workers"])
    finally:
        if frozen:
            try:
                os.kill(frozen["pid"], signal.SIGCONT)   # if it is still there
            except ProcessLookupError:
                pass
        client.close()

    assert frozen, "the worker rendering Køge was never seen"
    assert koege.status == "failed" and koege.error.startswith("timeout"), koege.error
    assert frozen["worker"] in koege.error
    assert odense.status == "rendered" and _complete(out / "kommuner" / "461-odense")
    assert not (out / "kommuner" / "259-koege").exists()
    assert not (out / ".staging").exists() or not any((out / ".staging").iterdir())
    assert took < 30.0 + 1.0 + 60.0               # given up, not waited for
    with pytest.raises(ProcessLookupError):
        os.kill(frozen["pid"], 0)                  # the frozen process is gone
    assert len(workers) == 2
