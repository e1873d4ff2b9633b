"""One ``rapport render``: plan the reports a :class:`RenderRequest` asks for, skip what has not
changed, render the rest (in this process, on local workers or on a Dask cluster) and record
them in the manifest and the download page.

A report is written to a staging folder and moved into ``outputs/`` only when complete, so a
killed worker leaves no partial report. The manifest is rewritten (atomically) as reports
complete, and a run holds a lock on ``outputs/`` (see :mod:`analysis.batch.manifest`), so the
next run after a kill renders only what was not finished, and two runs on one folder never lose
each other's work.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from analysis.batch import manifest as mf
from analysis.batch.jobs import Job, Outcome
from analysis.batch.publish import Publisher, manifest_entry
from analysis.batch.request import RenderRequest
from analysis.batch.workers import run_in_process, run_jobs
from analysis.core import paths


# ---------------------------------------------------------------- what to render

def _dataset_for(data_dir: Path):
    from analysis.inputs.dataset import load_dataset
    return load_dataset(data_dir)


def plan_jobs(request: RenderRequest) -> list[Job]:
    """The jobs the request asks for (national first)."""
    from analysis.inputs.municipalities import resolve
    from analysis.core.problems import InputError, Problem

    dataset = _dataset_for(request.data_dir)
    names = dict(zip(dataset.kommuner["kommunekode"], dataset.kommuner["kommunenavn"]))
    common = dict(data_dir=request.data_dir, out_dir=request.out_dir, formats=request.formats,
                  k=request.k, engine=engine_for(request.engine), timeout=request.timeout)
    codes: list[str] = []
    if request.all_reports:
        codes = list(dataset.register["kommunekode"])
    for query in request.kommuner:
        code = resolve(query, dataset.kommuner)
        if code not in set(dataset.register["kommunekode"]):
            raise InputError([Problem("--kommune", None, None, query,
                                      f"a municipality in the helhedsplan register "
                                      f"({names[code]} has no helhedsplan)")])
        if code not in codes:
            codes.append(code)
    jobs = []
    if request.national:
        jobs.append(Job(None, None, **common))
    jobs += [Job(code, names[code], **common) for code in codes]
    return jobs


def engine_for(choice: str) -> str:
    """The engine a render uses: ``auto`` is Quarto where it is installed, else pandoc."""
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


# ---------------------------------------------------------------- the command

def render_command(request: RenderRequest) -> int:
    """Render what ``request`` asks for; the exit code (1 when a report failed)."""
    from analysis.render.execute import KernelStarter

    # One report, or one worker: boot its kernel while the data are loaded and checked.
    starter = KernelStarter(paths.notebooks_dir()) if request.one_kernel else None
    try:
        return _render(request, starter)
    finally:
        if starter is not None:
            starter.close()


def _render(request: RenderRequest, starter) -> int:
    from analysis import delivery
    from analysis.render.execute import KernelStarter

    out_dir = request.out_dir
    data_hashes = mf.hash_tree(request.data_dir)
    jobs = plan_jobs(request)                    # bad input stops here, before outputs/
    jobs, key_store = delivery.prepare_checked(
        jobs, out_dir, public=request.public, webserver_dir=request.webserver,
        webserver_url=request.webserver_url)
    code_hashes, notebook_hashes = mf.code_hashes(), mf.notebook_hashes()
    keys = {j.key: input_key(j, code_hashes, data_hashes, notebook_hashes) for j in jobs}
    with mf.OutputsLock(out_dir):
        mf.remove_leftovers(out_dir)             # nobody else writes here while we hold it
        manifest = mf.read(out_dir)              # as the previous run left it
        todo, skipped = [], []
        for job in jobs:
            entry = manifest["reports"].get(job.key, {})
            fresh = (entry.get("status") == "rendered"
                     and entry.get("input_key") == keys[job.key]
                     and entry.get("sealed_with") == getattr(job.delivery, "key_id", None)
                     and mf.complete(job.target, tuple(job.formats), job.engine,
                                     sealed=job.delivery is not None))
            (skipped if fresh and not request.force else todo).append(job)
        mf.remember_plan(manifest, mf.request_key(request, data_hashes),
                         [j.key for j in jobs])

        publisher = Publisher(out_dir, manifest)

        def record(job: Job, outcome: Outcome) -> None:
            publisher.record(job.key, manifest_entry(job, outcome, keys[job.key]))

        t0 = time.perf_counter()
        try:
            if todo and request.scheduler:                    # the same jobs, on a cluster
                from analysis.batch.cluster import run_on_cluster
                outcomes = run_on_cluster(todo, request.scheduler, request.data_dir,
                                          on_outcome=record)
            elif todo and (len(todo) == 1 or request.workers <= 1):
                starter = starter or KernelStarter(paths.notebooks_dir())
                try:
                    outcomes = run_in_process(todo, starter.get(), on_outcome=record)
                finally:
                    starter.close()
            elif todo:
                outcomes = run_jobs(todo, request.workers, on_outcome=record)
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
    print(out_dir / mf.INDEX)
    return 1 if failed else 0


def status_lines(data_dir: Path | None, out_dir: Path, show: tuple[str, ...] = (),
                 where: tuple[str, ...] = ()) -> list[str]:
    """One line per municipality in the register: code, name, answered or not, report status.

    ``show``: ``QUESTION`` or ``QUESTION=ANSWER`` (:mod:`analysis.inputs.answer_selection`),
    each adding a column with the municipality's answer and, with an answer, keeping only the
    municipalities that gave it; ``where``: ``QUESTION=ANSWER`` that only keeps.
    """
    from analysis.inputs.answer_selection import select

    dataset = _dataset_for((data_dir or paths.default_data_dir()).resolve())
    columns = [select(text, dataset.codebook, "--svar") for text in show]
    conditions = columns + [select(text, dataset.codebook, "--hvor", need_answer=True)
                            for text in where]
    manifest = mf.read(out_dir)
    names = dict(zip(dataset.kommuner["kommunekode"], dataset.kommuner["kommunenavn"]))
    answers = dataset.survey.answers
    by_code = {code: row for code, (_, row) in zip(answers["kommunekode"], answers.iterrows())}
    lines = []
    for code in dataset.register["kommunekode"]:
        own = by_code.get(code)
        if not all(c.keeps(own) for c in conditions):
            continue
        entry = manifest["reports"].get(code, {})
        status = entry.get("status", "not rendered")
        line = (f"{code}  {names[code]:<16} {'answered' if own is not None else 'no answer':<10}"
                f" {status}")
        if columns:
            line = f"{line:<45}  " + "  ".join(f"{c.column}: {c.label(own)}" for c in columns)
        lines.append(line)
    return lines
