"""``rapport preview``: render one report, serve it on 127.0.0.1, and render it again whenever a
notebook, the data or a template is saved, until Ctrl+C.

Three threads: this one starts everything, then only waits for Ctrl+C and shuts down (the
kernel, the server, the private folder); the server's; and the render loop's, which polls for
changes and renders. The render loop blocks SIGINT, so the helper processes it starts (pandoc,
typst) inherit that and are not stopped mid-answer by a Ctrl+C meant for the preview; they
end when the preview closes them. The kernel runs in a session of its own and is shut down.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import webbrowser
from dataclasses import dataclass, replace
from pathlib import Path

from analysis.batch.request import RenderRequest
from analysis.batch.runner import plan_jobs
from analysis.core import paths
from analysis.preview.page import Problem, compose
from analysis.preview.server import PreviewServer
from analysis.preview.session import Session, start_kernel
from analysis.preview.state import Board, Shown
from analysis.preview.watch import Changes, Watcher
from analysis.render.pandoc_typst import TEMPLATES, close_services

DEFAULT_PORT = 8000
POLL = 0.05            # seconds between two looks at the files (a look costs < 1 ms)
STOP_GRACE = 3.0       # seconds a render in progress may take to finish after Ctrl+C


@dataclass(frozen=True)
class Options:
    """``kommune``: a name or kommunekode (None: the national report); ``port``: None for
    ``DEFAULT_PORT``, or a free port when that one is taken; ``pdf``: also write the PDF."""

    kommune: str | None = None
    data_dir: Path | None = None
    port: int | None = None
    browser: bool = True
    pdf: bool = False


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _seconds(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


class Loop:
    """The render loop: renders once, then again after each change, and shows the result."""

    def __init__(self, session: Session, watcher: Watcher, board: Board, label: str):
        self.session, self.watcher, self.board, self.label = session, watcher, board, label
        self.stop = threading.Event()
        self.error: BaseException | None = None
        self.renders = 0
        self.good: tuple[bytes, str] | None = None     # the last good page and its time
        self.thread = threading.Thread(target=self._run, name="preview-render", daemon=True)

    def _run(self) -> None:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        changes = None
        try:
            while not self.stop.is_set():
                if changes is None or changes:
                    self.render_once(changes or Changes())
                self.stop.wait(POLL)
                changes = self.watcher.poll()
        except BaseException as err:     # the kernel could not start, for one
            if not self.stop.is_set():
                self.error = err

    def render_once(self, changes: Changes) -> None:
        self.session.note(changes)
        result = self.session.render()
        if self.stop.is_set():
            return
        self.renders += 1
        token, now = f"{os.getpid()}-{time.monotonic_ns()}", time.strftime("%H:%M:%S")
        why = f" ({changes.describe()})" if changes else ""
        status = {"ok": result.ok, "renders": self.renders, "seconds": result.seconds,
                  "executed": result.executed,
                  "problems": [p.line() for p in result.problems]}
        pdf = self.board.current().pdf
        if result.ok:
            try:
                page = compose(result.html, token, status=f"{self.label} · gengivet kl. {now} "
                               f"på {_seconds(result.seconds)} s · opdateres, når du gemmer")
            except ValueError as err:            # a template that makes no <body>
                result = replace(result, html=None, problems=[Problem(None, None, str(err))])
                status.update(ok=False, problems=[str(err)])
        if result.ok:
            self.good = (result.html, now)
            self.board.show(Shown(token, page, pdf, status))
            line = f"{now} {self.label}: rendered in {result.seconds:.2f} s{why}"
            if self.session.pdf:
                try:
                    line += f"; PDF in {self.session.write_pdf(result.document):.2f} s"
                    self.board.show(replace(self.board.current(),
                                            pdf=self.session.folder / "rapport.pdf"))
                except Exception as err:
                    line += f"; the PDF failed: {' '.join(str(err).split())}"
            _say(line)
            return
        good, when = self.good or (None, None)
        note = (f"Siden herunder er den seneste gode gengivelse, fra kl. {when}." if good
                else "Der er endnu ingen god gengivelse at vise.")
        page = compose(good, token, status=f"{self.label} · gengivelsen kl. {now} fejlede",
                       problems=result.problems, note=note)
        self.board.show(Shown(token, page, pdf, status))
        more = len(result.problems) - 1
        _say(f"{now} {self.label}: FAILED {result.problems[0].line()}"
             + (f" (and {more} more)" if more else "") + " - shown in the page")


def _server(port: int | None, board: Board) -> PreviewServer:
    """The server on ``port``, or on ``DEFAULT_PORT`` and else a free one when none is asked
    for."""
    try:
        return PreviewServer(DEFAULT_PORT if port is None else port, board)
    except OSError as err:
        if port is not None or err.errno != errno.EADDRINUSE:
            raise
    return PreviewServer(0, board)


def _open_browser(url: str) -> bool:
    """Open ``url`` in the desktop's browser (not where there is no desktop: a text browser
    would take over the terminal)."""
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY")
                                                 or os.environ.get("WAYLAND_DISPLAY")):
        return False
    threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
    return True


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt


def preview(options: Options) -> int:
    """Run the preview until Ctrl+C (or SIGTERM); the exit code."""
    board = Board(Shown("start", compose(None, "start", status=(
        f"{options.kommune or 'Landsrapporten'} · gengiver rapporten … (den første gengivelse "
        "tager lidt tid)"))))
    try:
        server = _server(options.port, board)
    except OSError as err:
        _say(f"error: cannot listen on 127.0.0.1:{options.port or DEFAULT_PORT}: "
             f"{err.strerror}; choose another port with --port")
        return 1
    threading.Thread(target=server.serve_forever, name="preview-server", daemon=True).start()
    data_dir = (options.data_dir or paths.default_data_dir()).resolve()
    folder = Path(tempfile.mkdtemp(prefix="rapport-preview-"))   # this user's only
    previous_term = signal.signal(signal.SIGTERM, _stop)
    starter = start_kernel(paths.notebooks_dir())     # boots while the data are read
    session = loop = None
    try:
        (job,) = plan_jobs(RenderRequest(
            data_dir=data_dir, out_dir=folder / "unused", engine="pandoc",
            kommuner=(options.kommune,) if options.kommune else ()))
        label = job.name or "Landsrapporten"
        session = Session(job, starter, folder, pdf=options.pdf)
        watcher = Watcher(paths.notebooks_dir(), data_dir, TEMPLATES)
        loop = Loop(session, watcher, board, label)
        loop.thread.start()
        opened = options.browser and _open_browser(server.url)
        _say(f"Preview of {label} at {server.url} (unsealed: for you only; this machine only)"
             f"{'' if opened else ' - open it in a browser'}. It renders again whenever a "
             "notebook, data/ or a template is saved. Ctrl+C stops it.")
        while loop.thread.is_alive():
            loop.thread.join(0.5)
        if loop.error is not None:
            _say(f"error: the preview stopped: {type(loop.error).__name__}: {loop.error}")
            return 1
        return 0
    except KeyboardInterrupt:
        return 0
    finally:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)   # no second Ctrl+C midway
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        try:
            _shut_down(loop, server, session or starter, folder)
        finally:
            signal.signal(signal.SIGINT, previous)
            signal.signal(signal.SIGTERM, previous_term)


def _shut_down(loop: Loop | None, server: PreviewServer, kernel_owner, folder: Path) -> None:
    if loop is not None:
        loop.stop.set()
        if loop.thread.is_alive():
            loop.thread.join(STOP_GRACE)
        if loop.thread.is_alive():        # a notebook still running: stop it
            try:
                loop.session.kernel.km.interrupt_kernel()
            except Exception:
                pass
            loop.thread.join(STOP_GRACE)
    server.close()
    kernel_owner.close()
    close_services()
    shutil.rmtree(folder, ignore_errors=True)
    if loop is not None:
        _say("Preview stopped: the kernel is shut down and the preview's files are deleted.")
