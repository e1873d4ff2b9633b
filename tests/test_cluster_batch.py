"""The batch on a real Dask cluster (``rapport render --scheduler``): a LocalCluster of two
worker processes renders the same bytes as the local batch, skips what has not changed, and
survives a worker killed mid-report (one cluster render, ``cluster_run``, read by both
tests)."""

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from cluster_support import (CODES, ENV, FILES, complete, kommuner, local_cluster, manifest_of,
                             render)
from sealed_packages import open_package

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def cluster():
    with local_cluster() as local:
        yield local


@pytest.fixture(scope="module")
def local_batch(batch):
    """Every report rendered by the local pool: the ``--all`` batch (see the root conftest),
    read only."""
    return batch


def _files(folder: Path, key: str, passphrases: Path | None = None) -> dict[str, bytes]:
    """A report's plain files: a municipality's from inside its sealed package (the sealed
    bytes differ between renders by design: fresh salt and nonce)."""
    if key == "national":
        return {name: (folder / name).read_bytes() for name in FILES}
    return open_package(folder, passphrases)


def _same_reports(a: Path, local, keys) -> None:
    """The reports ``keys`` in the outputs folder ``a`` are those of the local batch."""
    ma, mb = manifest_of(a), manifest_of(local.out)
    for key in keys:
        assert ma[key]["folder"] == mb[key]["folder"]
        left = _files(a / ma[key]["folder"], key)
        right = _files(local.out / mb[key]["folder"], key, local.keys)
        assert sorted(left) == sorted(FILES) and sorted(right) == sorted(FILES), key
        for name in FILES:
            assert left[name] == right[name], f"{key}/{name} differs"


@dataclass
class ClusterRun:
    """The national report, then five municipalities, rendered on the cluster into ``out``;
    while the municipalities render, one worker is killed mid-report."""

    out: Path
    national: subprocess.CompletedProcess
    returncode: int                 # of the municipalities' run
    stderr: str
    killed: str | None              # the worker killed
    key: str | None                 # the report it was rendering
    partial: list[str]              # report folders ever seen incomplete
    survivors: set[str]


@pytest.fixture(scope="module")
def cluster_run(cluster, tmp_path_factory) -> ClusterRun:
    """One cluster render read by the tests below: the national report, then the five
    municipalities with a worker killed once a first municipality has finished and another is
    under way on it."""
    out = tmp_path_factory.mktemp("cluster") / "out"
    national = render("--scheduler", cluster.scheduler_address, "--out", str(out))
    client = distributed.Client(cluster.scheduler_address, set_as_default=False)
    try:
        pids = client.run(os.getpid)
        batch = subprocess.Popen([sys.executable, "-m", "analysis", "render", *kommuner(),
                                  "--out", str(out), "--scheduler", cluster.scheduler_address],
                                 env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True)
        killed = key = None
        partial = []
        deadline = time.monotonic() + 300
        while batch.poll() is None and time.monotonic() < deadline:
            if killed is None:
                busy = {w: keys for w, keys in client.processing().items()
                        if any(str(k).startswith("rapport-") for k in keys)}
                # kill once a report is under way there, after a first one has finished
                if busy and set(manifest_of(out)) & set(CODES):
                    killed = sorted(busy)[0]
                    key = [k for k in busy[killed] if str(k).startswith("rapport-")][0]
                    os.kill(pids[killed], signal.SIGKILL)
            if (out / "kommuner").exists():
                partial += [f.name for f in (out / "kommuner").iterdir()
                            if not f.name.startswith(".") and not complete(f)]
            time.sleep(0.05)
        _, stderr = batch.communicate(timeout=60)
        survivors = set(client.scheduler_info()["workers"])
    finally:
        client.close()
    return ClusterRun(out, national, batch.returncode, stderr, killed, key and str(key),
                      partial, survivors)


def test_cluster_renders_the_local_batch_byte_for_byte_and_skips_unchanged(
        cluster, cluster_run, local_batch):
    out = cluster_run.out
    address = cluster.scheduler_address

    assert cluster_run.national.returncode == 0, cluster_run.national.stderr
    assert cluster_run.returncode == 0, cluster_run.stderr
    assert "5 rendered, 0 skipped (unchanged), 0 failed" in cluster_run.stderr
    assert "Rapporter" in cluster_run.stderr                    # the progress bar
    manifest = manifest_of(out)
    assert set(manifest) == {"national", *CODES}
    assert all(e["status"] == "rendered" and e["input_key"] for e in manifest.values())
    _same_reports(out, local_batch, ["national", *CODES])
    assert not (out / ".staging").exists()
    # The input keys are the local batch's, so either engine skips the other's reports.
    local = manifest_of(local_batch.out)
    assert {k: e["input_key"] for k, e in manifest.items()} == \
        {k: local[k]["input_key"] for k in manifest}

    stamps = {c: (out / manifest[c]["folder"] / "rapport.pdf").stat().st_mtime_ns
              for c in CODES}
    skip = render(*kommuner(), "--out", str(out), "--scheduler", address)

    assert skip.returncode == 0 and "0 rendered, 5 skipped" in skip.stderr, skip.stderr
    assert stamps == {c: (out / manifest[c]["folder"] / "rapport.pdf").stat().st_mtime_ns
                      for c in CODES}


def test_worker_killed_mid_report_is_retried_elsewhere_and_leaves_no_partial_report(
        cluster_run, local_batch):
    assert cluster_run.killed is not None, "no worker was caught rendering a report"
    assert cluster_run.returncode == 0, cluster_run.stderr
    assert cluster_run.killed not in cluster_run.survivors   # its report was finished elsewhere
    assert cluster_run.key.startswith("rapport-")
    assert "5 rendered, 0 skipped (unchanged), 0 failed" in cluster_run.stderr
    assert cluster_run.partial == []
    assert not (cluster_run.out / ".staging").exists()
    _same_reports(cluster_run.out, local_batch, CODES)
