"""Many reports: the batch on the fictitious scale dataset of N entities, and the same batch
on a Dask LocalCluster (``--scheduler``)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from devtools.bench.measure import DEFAULT, _timed_batch

SIZES = (45, 200)
LARGE_SIZE = 1000


def _sizes() -> list[int]:
    """N = 45 and 200; ``RAPPORT_BENCH_SIZES=45,200,1000`` (or ``RAPPORT_BENCH_LARGE=1``
    for 1,000 as well) to choose."""
    chosen = os.environ.get("RAPPORT_BENCH_SIZES")
    if chosen:
        return [int(x) for x in chosen.split(",") if x.strip()]
    large = os.environ.get("RAPPORT_BENCH_LARGE", "").strip() not in ("", "0")
    return [*SIZES, *([LARGE_SIZE] if large else [])]


def scale(sizes: list[int]) -> None:
    """The batch on the fictitious scale dataset of N entities: how time and CPU grow."""
    from devtools.example_data import generate_scale

    if not sizes:
        return
    jobs = os.cpu_count()
    print(f"Scale (fictitious dataset of N entities, national + N reports, --jobs {jobs}; "
          f"N = 1000 with RAPPORT_BENCH_LARGE=1):")
    print(f"  {'N':>6} {'reports':>8} {'wall s':>8} {'s/report':>9} {'CPU s':>8} "
          f"{'CPU/report':>10} {'peak MiB':>9}")
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix=f"bench-scale-{n}-") as tmp:
            data = Path(tmp) / "data"
            generate_scale(data, n)
            r = _timed_batch(Path(tmp) / "out", "--data", str(data), *DEFAULT)
        reports = n + 1
        print(f"  {n:>6} {reports:>8} {r['wall']:>8.1f} {r['wall'] / reports:>9.2f} "
              f"{r['cpu']:>8.1f} {r['cpu'] / reports:>10.2f} {r['peak_mib']:>9.0f}"
              f"{'' if r['exit'] == 0 else '  exit ' + str(r['exit'])}")


def cluster(local: dict) -> None:
    """The same batch on a Dask LocalCluster of two worker processes (``--scheduler``)."""
    with tempfile.TemporaryDirectory(prefix="bench-dask-") as tmp:
        r = _timed_batch(Path(tmp), command=[sys.executable, "-m", "devtools.bench",
                                             "--cluster-batch", tmp])
    lines = dict(line.split("=", 1) for line in r["stdout"].splitlines() if "=" in line)
    render = float(lines.get("render", "nan"))
    print(f"Dask LocalCluster (2 worker processes, 1 thread each), same batch: {render:.1f} s "
          f"for the render ({render / local['wall']:.2f} x the local pool's {local['wall']:.1f} "
          f"s), {r['wall']:.1f} s with the cluster's start and stop; CPU {r['cpu']:.1f} s, "
          f"peak memory {r['peak_mib']:.0f} MiB; exit {lines.get('exit', r['exit'])}")


def _cluster_batch(out: str) -> int:
    """Start a LocalCluster, render the batch through it, stop it (run by :func:`cluster`)."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                      dashboard_address=":0") as local:
        t = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "analysis", "render", "--all", "--out", out,
                               "--scheduler", local.scheduler_address, *DEFAULT],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(f"render={time.perf_counter() - t:.3f}\nexit={proc.returncode}", flush=True)
    return proc.returncode
