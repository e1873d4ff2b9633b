"""Rendering many reports on this machine: worker processes with one warm kernel each.

Each worker is a separate process started with ``spawn`` (a forked pool deadlocks once the
parent has talked to a kernel). A worker starts one kernel and renders report after report in
it; the national analysis is computed once per worker and reused. A dead or stuck worker fails
only the report it was rendering, and is replaced.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import time

from analysis.batch.jobs import Job, Outcome, execute_stage, render_job, write_stage
from analysis.batch.progress import progress_bar
from analysis.core import paths


def _worker(tasks, results) -> None:
    """Execute report after report in one warm kernel. While the kernel runs the next report's
    notebooks, a thread writes the previous one (pandoc, typst), so the two overlap."""
    from concurrent.futures import ThreadPoolExecutor

    from analysis.render.execute import WarmKernel

    os.environ.setdefault("MPLBACKEND", "Agg")
    pid = os.getpid()
    def report(future) -> None:
        results.put(("done", pid, future.result()))

    with WarmKernel(paths.notebooks_dir()) as kernel, ThreadPoolExecutor(1) as writer:
        pending = None
        while True:
            job = tasks.get()
            if job is None:
                break
            results.put(("start", pid, job.key))
            executed, outcome = execute_stage(job, kernel)
            if pending is not None:
                pending.result()      # at most one report waits to be written
            pending = writer.submit(write_stage, job, executed, outcome)
            pending.add_done_callback(report)


def run_jobs(jobs: list[Job], n_workers: int, on_outcome=None) -> list[Outcome]:
    """Render ``jobs`` with ``n_workers`` warm workers; a dead or stuck worker fails only the
    report it was rendering, and is replaced. ``on_outcome(job, outcome)`` is called as each
    report finishes (or fails)."""
    if not jobs:
        return []
    n_workers = max(1, min(n_workers, len(jobs)))
    ctx = mp.get_context("spawn")
    tasks, results = ctx.Queue(), ctx.Queue()
    by_key = {j.key: j for j in jobs}
    for job in jobs:
        tasks.put(job)
    workers = {}

    def start_worker():
        p = ctx.Process(target=_worker, args=(tasks, results), daemon=True)
        p.start()
        workers[p.pid] = {"process": p, "jobs": {}}   # in-flight job key -> start time

    for _ in range(n_workers):
        start_worker()
    outcomes: dict[str, Outcome] = {}

    def settle(key: str, outcome: Outcome) -> None:
        outcomes[key] = outcome
        if on_outcome is not None:
            on_outcome(by_key[key], outcome)

    bar = progress_bar(len(jobs))
    idle_since = None
    try:
        while len(outcomes) < len(jobs):
            try:
                kind, pid, payload = results.get(timeout=0.5)
            except queue.Empty:
                kind = None
            if kind == "start" and pid in workers:
                workers[pid]["jobs"][payload] = time.monotonic()
            elif kind == "done":
                key = paths.report_key(payload.kommune)
                settle(key, payload)
                if pid in workers:
                    workers[pid]["jobs"].pop(key, None)
                bar.update(1)
                bar.set_postfix_str(payload.name or "national")
            for pid, w in list(workers.items()):
                now = time.monotonic()
                stuck = any(by_key[k].overdue(now - since) for k, since in w["jobs"].items())
                if w["process"].is_alive() and not stuck:
                    continue
                if stuck:
                    w["process"].kill()
                    w["process"].join(5)
                del workers[pid]
                for job_key in w["jobs"]:
                    if job_key not in outcomes:
                        job = by_key[job_key]
                        settle(job_key, Outcome(job.kommune, job.name, "failed", error=(
                            "timeout" if stuck else
                            f"worker stopped (exit {w['process'].exitcode})")))
                        bar.update(1)
                if len(outcomes) + sum(len(x["jobs"]) for x in workers.values()) < len(jobs) \
                        and not tasks.empty():
                    start_worker()
            busy = any(w["jobs"] for w in workers.values()) or not tasks.empty()
            idle_since = None if busy or kind else (idle_since or time.monotonic())
            lost = idle_since is not None and time.monotonic() - idle_since > 30
            if not workers or lost:   # nothing left to hand out, yet reports are missing
                for key, job in by_key.items():
                    if key not in outcomes:
                        settle(key, Outcome(job.kommune, job.name, "failed",
                                            error="worker stopped before the report"))
                        bar.update(1)
    finally:
        bar.close()
        for _ in workers:
            tasks.put(None)
        for w in workers.values():
            w["process"].join(10)
            if w["process"].is_alive():
                w["process"].kill()
    return [outcomes[j.key] for j in jobs]


def run_in_process(jobs: list[Job], kernel, on_outcome=None) -> list[Outcome]:
    """Render in this process with one warm kernel (one report, or ``--jobs 1``)."""
    bar = progress_bar(len(jobs))
    out = []
    for job in jobs:
        out.append(render_job(job, kernel))
        if on_outcome is not None:
            on_outcome(job, out[-1])
        bar.update(1)
    bar.close()
    return out
