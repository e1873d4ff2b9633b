"""One report rendered again and again in one warm kernel, re-executing only what a change
needs: a notebook that was saved is executed again, a change in the data executes them all,
and a change in the templates only writes the page again from the notebooks already executed
(with a fresh pandoc, which reads the templates and the filter anew).

Each notebook runs in an emptied namespace (see :class:`~analysis.render.execute.WarmKernel`),
so one executed again beside the others kept gives the report a render from scratch gives.
The report is written as ``rapport render`` writes it (:func:`analysis.render.assemble`,
:func:`analysis.render.write_report`), into a private folder, unsealed, never into
``outputs/``; the tables workbook and the provenance record are left out.
"""

from __future__ import annotations

import signal
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import nbformat

from analysis import render
from analysis.batch import jobs
from analysis.batch.jobs import Job
from analysis.preview.page import Problem
from analysis.preview.watch import Changes
from analysis.render.execute import KernelStarter, NotebookFailed, WarmKernel
from analysis.render.pandoc_typst import close_services
from analysis.report import danish

# Seconds a notebook may run in the preview before its kernel is interrupted.
NOTEBOOK_TIMEOUT = 120.0
EXCERPT_LINES, EXCERPT_CHARS = 6, 400     # of a failed cell's source, shown to find it
RESTARTED = " (the preview started a new kernel)"


@dataclass
class Render:
    """One render: the report's HTML page (None when it failed), why it failed, the notebooks
    executed for it and its seconds."""

    html: bytes | None
    problems: list[Problem] = field(default_factory=list)
    executed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    document: render.Document | None = None

    @property
    def ok(self) -> bool:
        return self.html is not None


def _located(notebook: Path, cell: int | None) -> tuple[int | None, str | None]:
    """A failed cell's number as the notebook's author counts it (from 1, in the notebook as
    saved: the executed notebook has papermill's parameters cell more, after the one tagged
    ``parameters``) and the first lines of its source; the number given and None when the
    notebook cannot be read."""
    if cell is None:
        return None, None
    try:
        cells = nbformat.read(notebook, as_version=4).cells
    except Exception:
        return cell, None
    tagged = [i for i, c in enumerate(cells) if "parameters" in c.metadata.get("tags", [])]
    index = cell - 1 if tagged and cell > tagged[0] else cell
    if not 0 <= index < len(cells):
        return cell, None
    source = cells[index].source
    excerpt = "\n".join(source.splitlines()[:EXCERPT_LINES])[:EXCERPT_CHARS]
    return index + 1, excerpt + (" …" if len(excerpt) < len(source.rstrip()) else "")


def start_kernel(cwd: Path) -> KernelStarter:
    """A kernel starting in the background that can be interrupted (a notebook past its
    timeout): its process is made by a thread that does not block SIGINT, as the render loop's
    thread does (see :mod:`analysis.preview.run`), and inherits that thread's signal mask."""
    blocked = signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    try:
        return KernelStarter(cwd)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


class Session:
    """The report of ``job`` rendered into ``folder`` with the kernel of ``starter``."""

    def __init__(self, job: Job, starter: KernelStarter, folder: Path, *, pdf: bool = False):
        self.job = replace(job, formats=("html", "pdf") if pdf else ("html",),
                           timeout=NOTEBOOK_TIMEOUT, delivery=None)
        self.starter, self.folder, self.pdf = starter, folder, pdf
        self.executed: dict[Path, nbformat.NotebookNode] = {}
        self.stale: set[Path] = set()        # to execute before the next page
        self.links = {danish.DOWNLOAD_LINKS["pdf"]: jobs.FILES["pdf"]} if pdf else None

    @property
    def kernel(self) -> WarmKernel:
        return self.starter.get()

    def note(self, changes: Changes) -> None:
        """Take in what changed since the last render."""
        if changes.data:
            self.stale.update(jobs.notebooks())
        self.stale.update(changes.notebooks)
        if changes.templates:
            close_services()       # the next page starts a pandoc that reads them anew

    def render(self) -> Render:
        """Execute what needs it and write the HTML page; the problems when that failed."""
        t0 = time.perf_counter()
        chapters = jobs.notebooks()
        for gone in set(self.executed) - set(chapters):
            del self.executed[gone]
        todo = [nb for nb in chapters if nb in self.stale or nb not in self.executed]
        problems = []
        for notebook in todo:
            problem = self._execute(notebook)
            if problem is not None:
                problems.append(problem)
        done = [nb.name for nb in todo]
        if problems:
            return Render(None, problems, done, time.perf_counter() - t0)
        try:
            document = render.assemble([self.executed[nb] for nb in chapters])
            render.write_report(document, self.folder, ["html"], links=self.links)
            page = (self.folder / "rapport.html").read_bytes()
        except Exception as err:          # a problem of the report's text or of pandoc
            return Render(None, [Problem(None, None, f"{type(err).__name__}: {err}")], done,
                          time.perf_counter() - t0)
        return Render(page, [], done, time.perf_counter() - t0, document)

    def _execute(self, notebook: Path) -> Problem | None:
        self.stale.add(notebook)
        try:
            self.executed[notebook] = self.kernel.run(notebook, self.job.parameters,
                                                      timeout=self.job.timeout)
        except NotebookFailed as err:
            error = err.error + (RESTARTED if self._restart_if_stuck() else "")
            return Problem.of_notebook(err.notebook, *_located(notebook, err.cell), error)
        except Exception as err:          # the kernel died, or could not run the notebook
            error = f"{type(err).__name__}: {err}" + (RESTARTED if self._restart_if_stuck() else "")
            return Problem(notebook.name, None, error)
        self.stale.discard(notebook)
        return None

    def _restart_if_stuck(self) -> bool:
        """Replace a kernel that died, or that an interrupt did not stop, by a new one; whether
        it was replaced."""
        kernel = self.kernel
        if kernel.km.is_alive() and not _busy(kernel):
            return False
        self.starter.close()
        self.starter = start_kernel(kernel.cwd)
        return True

    def write_pdf(self, document: render.Document) -> float:
        """Write the PDF of the page just written; its seconds."""
        t = time.perf_counter()
        render.write_report(document, self.folder, ["pdf"])
        return time.perf_counter() - t

    def close(self) -> None:
        self.starter.close()


def _busy(kernel: WarmKernel) -> bool:
    """Whether the kernel is still executing something (an interrupt did not stop it)."""
    try:
        reply = kernel.kc.kernel_info(reply=True, timeout=5)
    except Exception:
        return True
    return reply.get("content", {}).get("status") != "ok"
