"""Rendering many reports: worker processes with one warm kernel each, a progress bar, skipping
what has not changed, a manifest and a Danish download page.

Each worker is a separate process started with ``spawn`` (a forked pool deadlocks once the
parent has talked to a kernel). A worker starts one kernel and renders report after report in
it; the national analysis is computed once per worker and reused. A report is written to a
staging folder and moved into ``outputs/`` only when complete, so a killed worker leaves no
partial report. The manifest is rewritten (atomically) as each report completes, and a run
holds a lock on ``outputs/`` (see :mod:`analysis.batch.manifest`), so the next run after a kill
renders only what was not finished, and two runs on one folder never lose each other's work.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
import queue
import sys
import time
from pathlib import Path

from analysis.batch import manifest as mf
from analysis.core import paths
from analysis.batch.jobs import Job, Outcome, render_job
from analysis.core.files import atomic_write

MANIFEST = mf.MANIFEST
INDEX = mf.INDEX
# The manifest and the download page grow with the batch, so rewriting both after every report
# costs O(N) per report and O(N²) over a batch. They are rewritten at most this often while
# reports finish, and at the end; a killed run loses at most this much of its record, and the
# next run renders those reports again.
PUBLISH_EVERY = 1.0


# ---------------------------------------------------------------- what to render

def _dataset_for(data_dir: Path):
    from analysis.inputs.dataset import load_dataset
    return load_dataset(data_dir)


def plan_jobs(args, data_dir: Path, out_dir: Path) -> list[Job]:
    """The jobs asked for on the command line (national first)."""
    from analysis.inputs.municipalities import resolve
    from analysis.core.problems import InputError, Problem

    dataset = _dataset_for(data_dir)
    names = dict(zip(dataset.kommuner["kommunekode"], dataset.kommuner["kommunenavn"]))
    formats = tuple(f.strip() for f in args.format.split(",") if f.strip())
    bad = [f for f in formats if f not in ("html", "pdf")]
    if bad:
        raise InputError([Problem("--format", None, None, ",".join(bad), "html and/or pdf")])
    engine = _engine(args.engine)
    common = dict(data_dir=data_dir, out_dir=out_dir, formats=formats, k=args.k, engine=engine,
                  timeout=args.timeout)
    codes: list[str] = []
    if args.all:
        codes = list(dataset.register["kommunekode"])
    for query in args.kommune:
        code = resolve(query, dataset.kommuner)
        if code not in set(dataset.register["kommunekode"]):
            raise InputError([Problem("--kommune", None, None, query,
                                      f"a municipality in the helhedsplan register "
                                      f"({names[code]} has no helhedsplan)")])
        if code not in codes:
            codes.append(code)
    jobs = []
    if args.all or not args.kommune:
        jobs.append(Job(None, None, **common))
    jobs += [Job(code, names[code], **common) for code in codes]
    return jobs


def _engine(choice: str) -> str:
    from analysis.render import RenderError, quarto_available

    if choice not in ("auto", "pandoc", "quarto"):  # argparse does not check defaults
        raise RenderError(f"unknown engine '{choice}' (--engine or RAPPORT_ENGINE): auto, "
                          "pandoc or quarto")
    if choice == "quarto" and not quarto_available():
        raise RenderError("Quarto is not installed: no 'quarto' on PATH. Use --engine pandoc "
                          "(the default) or install Quarto.")
    if choice == "auto":
        return "quarto" if quarto_available() else "pandoc"
    return choice


# ---------------------------------------------------------------- skipping unchanged reports

def input_key(job: Job, code_hashes: dict[str, str], data_hashes: dict[str, str],
              notebook_hashes: dict[str, str] | None = None) -> str:
    """A hash of everything a report depends on: data, notebooks, code, parameters."""
    return mf.input_key(job.kommune, job.k, tuple(job.formats), job.engine, code_hashes,
                        data_hashes, notebook_hashes or mf.notebook_hashes(),
                        offentlig=job.offentlig,
                        webserver=getattr(job.delivery, "webserver", None))


def _key_of(job: Job) -> str:
    return mf.report_key(job.kommune)


read_manifest = mf.read


# ---------------------------------------------------------------- workers

def _worker(tasks, results) -> None:
    """Execute report after report in one warm kernel. While the kernel runs the next report's
    notebooks, a thread writes the previous one (pandoc, typst), so the two overlap."""
    from concurrent.futures import ThreadPoolExecutor

    from analysis.render.execute import WarmKernel
    from analysis.batch.jobs import execute_stage, write_stage

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
            results.put(("start", pid, _key_of(job)))
            executed, outcome = execute_stage(job, kernel)
            if pending is not None:
                pending.result()      # at most one report waits to be written
            pending = writer.submit(write_stage, job, executed, outcome)
            pending.add_done_callback(report)


def _progress(total: int):
    from tqdm import tqdm
    return tqdm(total=total, unit="rapport", desc="Rapporter", file=sys.stderr,
                disable=total <= 1 and not sys.stderr.isatty())


def run_jobs(jobs: list[Job], n_workers: int, on_outcome=None) -> list[Outcome]:
    """Render ``jobs`` with ``n_workers`` warm workers; a dead or stuck worker fails only the
    report it was rendering, and is replaced. ``on_outcome(job, outcome)`` is called as each
    report finishes (or fails)."""
    if not jobs:
        return []
    n_workers = max(1, min(n_workers, len(jobs)))
    ctx = mp.get_context("spawn")
    tasks, results = ctx.Queue(), ctx.Queue()
    by_key = {_key_of(j): j for j in jobs}
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

    bar = _progress(len(jobs))
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
                key = _key_of(Job(payload.kommune, payload.name, Path(), Path()))
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
    return [outcomes[_key_of(j)] for j in jobs]


def run_in_process(jobs: list[Job], kernel, on_outcome=None) -> list[Outcome]:
    """Render in this process with one warm kernel (one report, or ``--jobs 1``)."""
    bar = _progress(len(jobs))
    out = []
    for job in jobs:
        out.append(render_job(job, kernel))
        if on_outcome is not None:
            on_outcome(job, out[-1])
        bar.update(1)
    bar.close()
    return out


# ---------------------------------------------------------------- manifest and index

write_manifest = mf.write


def index_html(manifest: dict, out_dir: Path) -> str:
    """The download page: the national report and the municipal reports that are public, with
    links to the files each has."""
    from analysis.inputs.official_names import official_name
    from analysis.report.danish import sort_key
    from analysis.report.pages import DownloadRow, download_page

    public = {key: entry for key, entry in manifest["reports"].items()
              if key == "national" or entry.get("offentlig")}
    entries = sorted(public.items(),
                     key=lambda kv: (kv[0] != "national", sort_key(kv[1].get("name") or "")))
    rows = []
    for key, entry in entries:
        folder = entry.get("folder", "")
        links = tuple((kind, f"{folder}/{file}") for kind, file in
                      (("html", "rapport.html"), ("pdf", "rapport.pdf"), ("xlsx", "tabeller.xlsx"))
                      if (out_dir / folder / file).exists())
        rows.append(DownloadRow(national=key == "national",
                                name=official_name(entry.get("name") or ""), links=links,
                                status=entry.get("status", ""), error=entry.get("error") or ""))
    return download_page(rows, confidential=len(manifest["reports"]) > len(public))


# ---------------------------------------------------------------- the command

def render_command(args) -> int:
    from analysis.render.execute import KernelStarter

    data_dir = (args.data or paths.default_data_dir()).resolve()
    out_dir = (args.out or paths.default_out_dir()).resolve()
    # One report, or one worker: boot its kernel while the data are loaded and checked.
    local = not getattr(args, "scheduler", None)
    starter = KernelStarter(paths.notebooks_dir()) \
        if local and ((not args.all and len(args.kommune) <= 1) or args.jobs <= 1) else None
    try:
        return _render(args, data_dir, out_dir, starter)
    finally:
        if starter is not None:
            starter.close()


def _entry(job: Job, outcome: Outcome, key: str | None) -> dict:
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    return {"name": job.name, "kommune": job.kommune, "status": outcome.status,
            "folder": job.target.relative_to(job.out_dir).as_posix(),
            "input_key": key if outcome.status == "rendered" else None,
            "seconds": {k: round(v, 3) for k, v in outcome.seconds.items()},
            "error": outcome.error, "notebook": outcome.notebook, "cell": outcome.cell,
            "finished": now, "provenance": outcome.provenance, "offentlig": job.offentlig,
            "sealed_with": getattr(job.delivery, "key_id", None)}


def _publish(out_dir: Path, manifest: dict) -> None:
    """Write the manifest, then the download page made from it (each atomically)."""
    write_manifest(out_dir, manifest)
    atomic_write(out_dir / INDEX, index_html(manifest, out_dir).encode("utf-8"))


class Publisher:
    """The batch's record: each finished report's entry goes into ``manifest``, which is
    published (manifest and download page) at most every :data:`PUBLISH_EVERY` seconds while
    reports finish, and whenever :meth:`flush` is called."""

    def __init__(self, out_dir: Path, manifest: dict):
        self.out_dir, self.manifest = out_dir, manifest
        self._at, self._behind = time.monotonic(), False

    def record(self, key: str, entry: dict) -> None:
        self.manifest["reports"][key] = entry
        self._behind = True
        if time.monotonic() - self._at >= PUBLISH_EVERY:
            self.flush()

    def flush(self, *, always: bool = True) -> None:
        """Publish now; with ``always=False`` only if an entry is not yet published."""
        if always or self._behind:
            _publish(self.out_dir, self.manifest)
            self._at, self._behind = time.monotonic(), False


def _render(args, data_dir: Path, out_dir: Path, starter) -> int:
    from analysis import delivery
    from analysis.render.execute import KernelStarter

    data_hashes = mf.hash_tree(data_dir)
    jobs = plan_jobs(args, data_dir, out_dir)    # bad input stops here, before outputs/
    jobs, key_store = delivery.prepare_from_args(jobs, args, out_dir)
    code_hashes, notebook_hashes = mf.code_hashes(), mf.notebook_hashes()
    keys = {_key_of(j): input_key(j, code_hashes, data_hashes, notebook_hashes) for j in jobs}
    with mf.OutputsLock(out_dir):
        mf.remove_leftovers(out_dir)             # nobody else writes here while we hold it
        manifest = read_manifest(out_dir)        # as the previous run left it
        todo, skipped = [], []
        for job in jobs:
            entry = manifest["reports"].get(_key_of(job), {})
            fresh = (entry.get("status") == "rendered"
                     and entry.get("input_key") == keys[_key_of(job)]
                     and entry.get("sealed_with") == getattr(job.delivery, "key_id", None)
                     and mf.complete(job.target, tuple(job.formats), job.engine,
                                     sealed=job.delivery is not None))
            (skipped if fresh and not args.force else todo).append(job)
        mf.remember_plan(manifest, mf.request_key(args.all, args.kommune, data_hashes),
                         [_key_of(j) for j in jobs])

        publisher = Publisher(out_dir, manifest)

        def record(job: Job, outcome: Outcome) -> None:
            publisher.record(_key_of(job), _entry(job, outcome, keys[_key_of(job)]))

        t0 = time.perf_counter()
        try:
            if todo and getattr(args, "scheduler", None):    # the same jobs, on a cluster
                from analysis.batch.cluster import run_on_cluster
                outcomes = run_on_cluster(todo, args.scheduler, data_dir, on_outcome=record)
            elif todo and (len(todo) == 1 or args.jobs <= 1):
                starter = starter or KernelStarter(paths.notebooks_dir())
                try:
                    outcomes = run_in_process(todo, starter.get(), on_outcome=record)
                finally:
                    starter.close()
            elif todo:
                outcomes = run_jobs(todo, args.jobs, on_outcome=record)
            else:
                outcomes = []
            wall = time.perf_counter() - t0
            if key_store is not None:
                manifest["keys"] = mf.keys_hash()
            publisher.flush()
            if key_store is not None:
                print(f"Recipients and passphrases: "
                      f"{delivery.write_recipients(manifest, out_dir, key_store)}",
                      file=sys.stderr)
        finally:    # whatever happened, no half-written report stays behind
            try:
                publisher.flush(always=False)     # interrupted: keep the record of what finished
            finally:
                mf.remove_leftovers(out_dir)

    failed = [o for o in outcomes if o.status == "failed"]
    print(f"{len(outcomes) - len(failed)} rendered, {len(skipped)} skipped (unchanged), "
          f"{len(failed)} failed in {wall:.1f} s", file=sys.stderr)
    for o in failed:
        where = ", ".join(x for x in (o.notebook, f"cell {o.cell}" if o.cell else None) if x)
        print(f"FAILED {o.name or 'national'}{' (' + where + ')' if where else ''}: {o.error}",
              file=sys.stderr)
    print(out_dir / INDEX)
    return 1 if failed else 0


def status_lines(data_dir: Path | None, out_dir: Path) -> list[str]:
    dataset = _dataset_for((data_dir or paths.default_data_dir()).resolve())
    manifest = read_manifest(out_dir)
    names = dict(zip(dataset.kommuner["kommunekode"], dataset.kommuner["kommunenavn"]))
    answered = set(dataset.survey.answers["kommunekode"])
    lines = []
    for code in dataset.register["kommunekode"]:
        entry = manifest["reports"].get(code, {})
        lines.append(f"{code}  {names[code]:<16} {'answered' if code in answered else 'no answer':<10}"
                     f" {entry.get('status', 'not rendered')}")
    return lines

