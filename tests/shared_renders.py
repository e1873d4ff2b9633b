"""Renders made once per test session, in the background, and read by every test that needs them.

A render is declared with :func:`background_render`, which returns a session-scoped fixture of
the given name: in ``conftest.py`` for the renders several test files read, in a test module for
one only that module reads. When the session starts (the autouse fixture ``render_pool`` in
``conftest.py``), every declared render that a collected test uses (its fixture is among the
test's fixtures, directly or through another fixture) is queued, in the order the tests will
need them, and run as a subprocess, a few at a time, while the session runs the tests that need
no render. A test that reads a render waits for it; a render that fails fails the tests reading
it, with the end of its output.

Each render has its own folder in the session's temporary directory: ``out`` (the outputs
folder), ``data`` (its inputs, when the declaration prepares them) and ``log.txt``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
DATA = PROJECT / "data"
SOURCE_DATE_EPOCH = "1448928000"  # 1 December 2015, 00:00 UTC
# Two environments that differ in everything that must not matter to a report's bytes.
FIRST_ENV = {"TZ": "UTC", "PYTHONHASHSEED": "1", "LC_ALL": "C.UTF-8",
             "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
SECOND_ENV = {"TZ": "Pacific/Auckland", "PYTHONHASHSEED": "2", "LC_ALL": "C.UTF-8",
              "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
RAPPORT = [sys.executable, "-m", "analysis"]

# One report rendered by the library in a fresh kernel, unsealed:
# [*LIBRARY_RENDER, OUT, KOMMUNEKODE, NAME, DATA].
LIBRARY_RENDER = [sys.executable, "-c", """\
import sys
from pathlib import Path
from analysis.batch.jobs import Job, render_job
from analysis.core import paths
from analysis.render.execute import WarmKernel
out, code, name, data = sys.argv[1:]
job = Job(code, name, Path(data).resolve(), Path(out), engine="pandoc")
with WarmKernel(paths.notebooks_dir()) as kernel:
    outcome = render_job(job, kernel)
sys.exit(outcome.status != "rendered" and outcome.error)
"""]
TIMEOUT = 900  # seconds for one render, waiting in the queue included


@dataclass(frozen=True)
class Spec:
    """One background render: ``argv`` and ``env`` may name ``{out}``, ``{data}`` and
    ``{dir}`` (the render's folder); ``prepare(data_dir)`` writes its inputs first (without it,
    ``{data}`` is the shipped data); ``slots`` is how many cores it keeps busy; ``needs`` lists
    renders to wait for before this one starts (``{name}`` in argv is then that one's folder)."""

    name: str
    argv: Sequence[str]
    env: dict[str, str] = field(default_factory=dict)
    prepare: Callable[[Path], None] | None = None
    slots: int = 1
    needs: Sequence[str] = ()


@dataclass(frozen=True)
class Rendered:
    """A finished background render."""

    dir: Path
    out: Path
    data: Path
    log: str


SPECS: dict[str, Spec] = {}


def background_render(name: str, argv: Sequence[str], *, env: dict[str, str] | None = None,
                      prepare: Callable[[Path], None] | None = None, slots: int = 1,
                      needs: Sequence[str] = ()):
    """Declare a background render and return its session-scoped fixture (named ``name``),
    whose value is the :class:`Rendered`. Assign it to a module-level name so pytest finds it."""
    if name in SPECS:
        raise ValueError(f"a background render named {name!r} is declared twice")
    SPECS[name] = Spec(name, tuple(argv), dict(env or {}), prepare, slots, tuple(needs))

    @pytest.fixture(scope="session", name=name)
    def fixture(render_pool: RenderPool) -> Rendered:
        return render_pool.result(name)

    fixture.__doc__ = f"The background render ``{name}``: {' '.join(argv)}"
    return fixture


class _Job:
    def __init__(self, spec: Spec, folder: Path) -> None:
        self.spec = spec
        self.folder = folder
        self.proc: subprocess.Popen | None = None
        self.started = self.finished = None
        self.error: str | None = None       # set when it could not run or failed
        self.done = threading.Event()

    @property
    def out(self) -> Path:
        return self.folder / "out"

    @property
    def data(self) -> Path:
        return self.folder / "data" if self.spec.prepare else DATA

    @property
    def log(self) -> Path:
        return self.folder / "log.txt"


class RenderPool:
    """Runs the queued renders, at most ``slots`` cores' worth at once."""

    def __init__(self, root: Path, slots: int) -> None:
        self.root = root
        self.slots = slots
        self.jobs: dict[str, _Job] = {}
        self.queue: list[str] = []
        self.lock = threading.Condition()
        self.closing = False
        self.created = time.monotonic()
        self.thread = threading.Thread(target=self._run, name="background renders", daemon=True)
        self.thread.start()

    # ------------------------------------------------------------------ queueing

    def enqueue(self, name: str, *, first: bool = False) -> None:
        """Queue ``name`` (and what it needs before it); ``first``: ahead of the others."""
        spec = SPECS[name]
        for need in spec.needs:
            self.enqueue(need, first=first)
        with self.lock:
            if name not in self.jobs:
                self.jobs[name] = _Job(spec, self.root / name)
                self.queue.append(name)
            if first and name in self.queue:
                self.queue.remove(name)
                self.queue.insert(0, name)
            self.lock.notify_all()

    def result(self, name: str) -> Rendered:
        """Wait for ``name`` (starting it now if no collected test foresaw it); fail the test
        with the render's output when it did not succeed."""
        self.enqueue(name, first=True)
        job = self.jobs[name]
        if not job.done.wait(TIMEOUT):
            pytest.fail(f"background render {name} did not finish within {TIMEOUT} s",
                        pytrace=False)
        log = job.log.read_text("utf-8", errors="replace") if job.log.exists() else ""
        if job.error:
            pytest.fail(f"background render {name} failed ({job.error}): "
                        f"{' '.join(self._argv(job))}\n{log[-4000:]}", pytrace=False)
        return Rendered(job.folder, job.out, job.data, log)

    # ------------------------------------------------------------------ running

    def _argv(self, job: _Job) -> list[str]:
        values = {"out": job.out, "data": job.data, "dir": job.folder,
                  **{n: self.jobs[n].folder for n in job.spec.needs}}
        return [str(a).format(**values) for a in job.spec.argv]

    def _busy(self) -> int:
        return sum(j.spec.slots for j in self.jobs.values()
                   if j.proc is not None and not j.done.is_set())

    def _next(self) -> _Job | None:
        """The first queued job whose needs are done and that fits in the free slots."""
        free = self.slots - self._busy()
        for name in self.queue:
            job = self.jobs[name]
            if all(self.jobs[n].done.is_set() for n in job.spec.needs) and \
                    (job.spec.slots <= free or free == self.slots):
                return job
        return None

    def _run(self) -> None:
        while True:
            with self.lock:
                if self.closing:
                    return
                job = self._next()
                if job is not None:
                    self.queue.remove(job.spec.name)
            if job is not None:
                self._start(job)
                continue
            self._reap()
            with self.lock:
                self.lock.wait(0.1)

    def _start(self, job: _Job) -> None:
        failed = next((n for n in job.spec.needs if self.jobs[n].error), None)
        if failed:
            job.error = f"it needs {failed}, which failed"
            job.done.set()
            return
        try:
            job.folder.mkdir(parents=True, exist_ok=True)
            if job.spec.prepare is not None:
                shutil.copytree(DATA, job.data)
                job.spec.prepare(job.data)
            env = {**os.environ, **{k: str(v).format(out=job.out, data=job.data, dir=job.folder)
                                    for k, v in job.spec.env.items()}}
            with job.log.open("wb") as log:
                job.proc = subprocess.Popen(self._argv(job), cwd=PROJECT, env=env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
            job.started = time.monotonic()
        except Exception as err:      # reported to the tests that read this render
            job.error = f"{type(err).__name__}: {err}"
            job.done.set()

    def _reap(self) -> None:
        for job in list(self.jobs.values()):
            if job.proc is None or job.done.is_set():
                continue
            code = job.proc.poll()
            if code is None and time.monotonic() - job.started > TIMEOUT:
                job.proc.kill()
                code = job.proc.wait()
                job.error = f"killed after {TIMEOUT} s"
            if code is not None:
                job.finished = time.monotonic()
                if code != 0 and not job.error:
                    job.error = f"exit {code}"
                job.done.set()
                with self.lock:
                    self.lock.notify_all()

    def close(self) -> None:
        with self.lock:
            self.closing = True
            self.lock.notify_all()
        self.thread.join(timeout=10)
        for job in self.jobs.values():
            if job.proc is not None and job.proc.poll() is None:
                try:
                    os.killpg(job.proc.pid, 9)
                except ProcessLookupError:
                    pass
                job.proc.wait()

    def timings(self) -> list[str]:
        """One line per render that ran: its name, how long it took, and when it started and
        ended (seconds after the session's start)."""
        return [f"{j.finished - j.started:6.1f} s  {name} ({j.started - self.created:.0f} s to "
                f"{j.finished - self.created:.0f} s)" for name, j in self.jobs.items()
                if j.started is not None and j.finished is not None]


def needed(items) -> list[str]:
    """The declared renders the collected ``items`` use, in the order they first need them."""
    names: list[str] = []
    for item in items:
        for fixture in getattr(item, "fixturenames", ()):
            if fixture in SPECS and fixture not in names:
                names.append(fixture)
    return names
