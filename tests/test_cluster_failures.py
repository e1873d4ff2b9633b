"""Failures on a real Dask cluster: a report that fails on a worker fails alone, a scheduler
without workers and an unreachable one are one line each, and a worker that stops answering
is restarted while its report fails alone."""

import os
import signal
import threading
import time

import pytest

from cluster_support import ENV, complete, local_cluster

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.e2e
KOEGE_TIMEOUT = 15.0    # seconds for the report whose worker is frozen


@pytest.fixture(scope="module")
def cluster():
    with local_cluster() as local:
        yield local


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
    assert good.status == "rendered" and complete(out / "kommuner" / "259-koege")
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
    up, has the worker's nanny restart it, and the other report still completes. (Køge, frozen
    about three seconds into its report, is given 15 seconds; Odense, which must complete, five
    minutes, so that a busy machine cannot make it time out.)"""
    from analysis.batch import jobs as job_model
    from analysis.batch.cluster import run_on_cluster
    from analysis.batch.jobs import Job
    from analysis.core import paths

    monkeypatch.setenv("SOURCE_DATE_EPOCH", ENV["SOURCE_DATE_EPOCH"])
    monkeypatch.setattr(job_model, "STUCK_MARGIN", 1.0)
    out = tmp_path / "out"
    data = paths.default_data_dir()
    jobs = [Job("259", "Køge", data, out, timeout=KOEGE_TIMEOUT),
            Job("461", "Odense", data, out, timeout=300.0)]
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
    assert odense.status == "rendered" and complete(out / "kommuner" / "461-odense")
    assert not (out / "kommuner" / "259-koege").exists()
    assert not (out / ".staging").exists() or not any((out / ".staging").iterdir())
    assert took < KOEGE_TIMEOUT + 1.0 + 60.0      # given up, not waited for
    with pytest.raises(ProcessLookupError):
        os.kill(frozen["pid"], 0)                  # the frozen process is gone
    assert len(workers) == 2
