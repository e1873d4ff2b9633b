"""The batch on a Dask cluster: ``rapport render --all --scheduler tcp://HOST:8786``.

The jobs and the per-report work are the local batch's (:class:`analysis.batch.jobs.Job`,
``execute_stage`` and ``write_stage``); only where they run differs.

* :class:`KernelPlugin` is registered on every worker of the cluster (and on workers that join
  later). On each worker it writes the client's data folder into a private folder, sets the
  environment a report depends on (``SOURCE_DATE_EPOCH``, ``RAPPORT_K``) and starts one warm
  kernel, which renders report after report there, so the national analysis is computed once
  per worker; on teardown it closes the kernel and removes the folder.
* :func:`render_remote` renders one report on a worker into a scratch folder and returns its
  outcome and files as bytes; the client writes them into ``outputs/.staging/`` and moves the
  report into place only when all of it has arrived (:func:`analysis.batch.jobs.place_files`).
  A worker that dies mid-report leaves nothing in ``outputs/``; the scheduler runs its report
  again on another worker.
* A worker whose code or notebooks differ from the client's refuses every report, with one
  line saying so, so a report's input key always describes what rendered it.

The client keeps what the local batch does: the outputs lock, the manifest written as each
report completes, skip-if-unchanged, the progress bar and the summary (see :mod:`analysis.batch.runner`).
"""

from __future__ import annotations

import os
import queue
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

from distributed import WorkerPlugin

from analysis.batch import manifest as mf
from analysis.core import paths, settings
from analysis.core.hashing import json_digest
from analysis.batch import jobs as job_model
from analysis.batch.jobs import Job, Outcome, execute_stage, write_stage_files

PLUGIN_NAME = "rapport-kernel"


def code_fingerprint() -> str:
    """One hash of the code and the notebooks, compared between the client and each worker."""
    return json_digest({"code": mf.code_hashes(), "notebooks": mf.notebook_hashes()})


def data_files(data_dir: Path) -> dict[str, bytes]:
    """Every input file under ``data_dir`` (as ``hash_tree`` sees them), by relative path."""
    return {rel: (data_dir / rel).read_bytes() for rel in mf.hash_tree(data_dir)}


class KernelPlugin(WorkerPlugin):
    """Dask worker plugin: one warm kernel per worker, the client's data and environment."""

    name = PLUGIN_NAME

    def __init__(self, files: dict[str, bytes], environment: dict[str, str | None],
                 fingerprint: str):
        self.files, self.environment, self.fingerprint = files, environment, fingerprint
        self.error: str | None = None
        self.starter = self.root = None

    @classmethod
    def for_data(cls, data_dir: Path) -> KernelPlugin:
        """The plugin for a batch on ``data_dir``, with this process's environment."""
        return cls(data_files(data_dir), settings.report_environment(),
                   code_fingerprint())

    def setup(self, worker=None) -> None:
        from analysis.render.execute import KernelStarter

        self.lock = threading.Lock()      # one report at a time executes in the kernel
        # in the worker's own folder, which Dask removes when the worker goes, even if killed
        self.root = Path(tempfile.mkdtemp(prefix="rapport-",
                                          dir=getattr(worker, "local_directory", None)))
        self.data_dir = self.root / "data"
        for rel, data in self.files.items():
            path = self.data_dir / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        self.files = {}                   # written; no need to keep them in memory
        for key, value in self.environment.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        os.environ.setdefault("MPLBACKEND", "Agg")
        if code_fingerprint() != self.fingerprint:
            self.error = (f"worker {getattr(worker, 'address', '?')} runs other code or "
                          "notebooks than the client (install the same version of the project "
                          "on every worker)")
            return
        # boots in a thread: setup returns at once, the first report waits for the kernel
        self.starter = KernelStarter(paths.notebooks_dir())

    def teardown(self, worker=None) -> None:
        from analysis.render.pandoc_typst import close_services

        if self.starter is not None:
            self.starter.close()
            self.starter = None
        close_services()          # the worker's pandoc and typst, which keep what they read
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)


def render_remote(job: Job) -> tuple[Outcome, dict[str, bytes]]:
    """On a worker: render one report in the worker's kernel; return its outcome and files."""
    from distributed import get_worker

    worker = get_worker()
    # tells the client when this report really starts here (not when it was queued)
    worker.log_event(START_TOPIC, {"key": str(worker.get_current_task()),
                                   "worker": worker.address})
    plugin = worker.plugins[PLUGIN_NAME]
    if plugin.error:
        return Outcome(job.kommune, job.name, "failed", error=plugin.error), {}
    local = replace(job, data_dir=plugin.data_dir)
    kernel = plugin.starter.get()
    with plugin.lock:                     # a second thread of this worker may write meanwhile
        executed, outcome = execute_stage(local, kernel)
    scratch = Path(tempfile.mkdtemp(prefix="report-", dir=plugin.root))
    try:
        return write_stage_files(local, executed, outcome, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


# ---------------------------------------------------------------- the client

def run_on_cluster(jobs: list[Job], scheduler: str, data_dir: Path,
                   on_outcome=None) -> list[Outcome]:
    """Render ``jobs`` on the Dask cluster at ``scheduler``; each report's files are written
    into ``job.out_dir`` here, as it arrives. ``on_outcome(job, outcome)`` as in
    :func:`analysis.batch.workers.run_jobs`; a report whose worker died too often, or whose files
    could not be placed, fails alone."""
    from distributed import Client

    from analysis.batch.progress import progress_bar
    from analysis.batch.jobs import place_files
    from analysis.core.problems import InputError, Problem

    if not jobs:
        return []
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as err:
        raise InputError([Problem("--scheduler", None, None, scheduler,
                                  f"the address of a running Dask scheduler, e.g. "
                                  f"tcp://HOST:8786 ({type(err).__name__}: {err})")]) from None
    if not client.scheduler_info().get("workers"):
        print(f"The Dask scheduler at {scheduler} has no workers yet; waiting up to "
              f"{WORKER_WAIT:.0f} s for one.", file=sys.stderr, flush=True)
        try:
            client.wait_for_workers(1, timeout=WORKER_WAIT)
        except TimeoutError:
            client.close()
            raise InputError([Problem("--scheduler", None, None, scheduler,
                                      f"a Dask scheduler with at least one worker (none "
                                      f"joined within {WORKER_WAIT:.0f} s)")]) from None
    outcomes: dict[str, Outcome] = {}
    bar = progress_bar(len(jobs))
    try:
        client.register_plugin(KernelPlugin.for_data(data_dir), name=PLUGIN_NAME)
        started: dict[str, tuple[float, str]] = {}   # task key -> (when, on which worker)
        client.subscribe_topic(START_TOPIC, lambda event: started.__setitem__(
            event[1]["key"], (time.monotonic(), event[1]["worker"])))
        run = os.urandom(4).hex()
        futures = {client.submit(render_remote, job, key=f"rapport-{job.key}-{run}",
                                 pure=False): job for job in jobs}

        def settle(job: Job, outcome: Outcome) -> None:
            outcomes[job.key] = outcome
            if on_outcome is not None:
                on_outcome(job, outcome)
            bar.update(1)
            bar.set_postfix_str(job.name or "national")

        finished: queue.Queue = queue.Queue()
        for future in futures:
            future.add_done_callback(finished.put)
        pending = set(futures)
        while pending:
            try:
                finished.get(timeout=WATCH_SECONDS)
            except queue.Empty:
                pass
            for future in [f for f in pending if f.done()]:
                pending.discard(future)
                job = futures[future]
                try:
                    outcome, files = future.result()
                except Exception as err:     # the worker died too often, or could not run it
                    outcome, files = Outcome(job.kommune, job.name, "failed",
                                             error=f"{type(err).__name__}: {err}"), {}
                future.release()
                if outcome.status == "rendered":
                    try:
                        place_files(job, files)
                    except OSError as err:
                        outcome.status, outcome.error = "failed", f"{type(err).__name__}: {err}"
                settle(job, outcome)
            for future in _stuck(pending, futures, started):
                pending.discard(future)
                job, (_, worker) = futures[future], started[future.key]
                client.cancel([future])        # not to be run again elsewhere
                try:
                    client.restart_workers([worker], raise_for_error=False)
                except Exception:              # gone already: nothing left to stop
                    pass
                settle(job, Outcome(job.kommune, job.name, "failed", error=(
                    f"timeout: no answer within {job.timeout + job_model.STUCK_MARGIN:.0f} s "
                    f"from worker {worker}, which was restarted")))
    finally:
        bar.close()
        try:
            client.unregister_worker_plugin(PLUGIN_NAME)   # workers close their kernels
        except Exception:
            pass
        client.close()
    return [outcomes[j.key] for j in jobs]


def _stuck(pending, futures: dict, started: dict) -> list:
    """The reports that have run on their worker for longer than their timeout allows, as the
    local pool judges it: a hung worker (stopped, or stuck outside the notebook's own cell
    timeout) would otherwise keep the batch waiting for ever."""
    now = time.monotonic()
    return [f for f in pending if f.key in started
            and futures[f].overdue(now - started[f.key][0])]


CONNECT_TIMEOUT = "10s"
WORKER_WAIT = 120.0
START_TOPIC = "rapport-start"
WATCH_SECONDS = 2.0
