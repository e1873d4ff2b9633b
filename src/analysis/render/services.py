"""The default engine's helper processes: a pandoc kept running in each process
(``templates/report_server.lua``) and a small typst process for the PDF, each answering one
request at a time and replaced after a number of requests, so that its memory stays bounded.
:mod:`analysis.render.pandoc_typst` sends them its requests."""

from __future__ import annotations

import atexit
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import pypandoc

from analysis.render.errors import RenderError


@functools.lru_cache(maxsize=1)
def pandoc_path() -> str:
    """Path of the pandoc binary shipped by ``pypandoc-binary``."""
    return pypandoc.get_pandoc_path()


class _Service:
    """A helper process of this process that answers one request at a time: a JSON line on
    its stdin, answered by a status byte (``0`` the result follows, anything else an error
    message), the length of what follows as 8 bytes big-endian, and that. It is started on the
    first request and replaced after ``uses`` requests (``None``: never)."""

    def __init__(self, name: str, start: Callable[[], dict], uses: int | None):
        # start(): the process's arguments for subprocess.Popen (args, and cwd, env, ...)
        self._name, self._start, self._uses = name, start, uses
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self._used = 0

    @property
    def pid(self) -> int | None:
        """The process's id while it runs."""
        proc = self._proc
        return proc.pid if proc is not None and proc.poll() is None else None

    def ask(self, request: dict) -> bytes:
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                self._proc = subprocess.Popen(stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                              **self._start())
                self._used = 0
            try:
                self._proc.stdin.write(json.dumps(request).encode("utf-8") + b"\n")
                self._proc.stdin.flush()
                head = self._proc.stdout.read(9)
                if len(head) != 9:
                    raise OSError("no answer")
                payload = self._proc.stdout.read(int.from_bytes(head[1:], "big"))
            except OSError as err:
                self.close_locked()
                raise RenderError(f"{self._name} failed: its process ended ({err})") from None
            self._used += 1
            if self._uses is not None and self._used >= self._uses:
                self.close_locked()
        if head[:1] != b"0":
            message = payload.decode("utf-8", "replace").strip().replace("\n", " | ")
            raise RenderError(f"{self._name} failed: {message}")
        return payload

    def close_locked(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.stdin.close()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            proc.stdout.close()

    def close(self) -> None:
        with self._lock:
            self.close_locked()


# pandoc runs as a Lua program (``templates/report_server.lua``) that answers report after
# report: the reports of a batch share most of their text, and it keeps what it read and
# filtered of each part for the next report. Its memory still grows by some 0.1 MiB a report
# (pandoc's side of what Lua has let go of), so it is replaced after REPORTS_PER_PANDOC
# reports, which costs one report's reading in a hundred. Its working and data directory is an
# empty folder of its own, so a user's ~/.local/share/pandoc cannot change the output. It loads
# its modules (templates/server/) and the filter (LUA_FILTER) from its own folder.
SERVER = Path(__file__).resolve().parent / "templates" / "report_server.lua"
REPORTS_PER_PANDOC = 100


@functools.lru_cache(maxsize=1)
def _pandoc_home() -> str:
    """The empty folder of this process's pandoc, one for all its replacements."""
    return tempfile.mkdtemp(prefix="rapport-pandoc-")


def _start_pandoc() -> dict:
    home = _pandoc_home()
    # its warnings are left out, as a pandoc run's were; its errors come back as answers
    return {"args": [pandoc_path(), "lua", str(SERVER)], "cwd": home,
            "env": {**os.environ, "HOME": home, "XDG_DATA_HOME": home},
            "stderr": subprocess.DEVNULL}


_PANDOC = _Service("pandoc", _start_pandoc, REPORTS_PER_PANDOC)

# typst keeps what it computed for its last ten compilations in memory (about 35 MiB each
# for a municipal report, mostly the figures), for as long as the process lives; a worker that
# compiled in-process grew from 150 to 570 MiB. So the PDF is compiled in a small process of
# its own that is replaced after a few reports: its memory stays bounded, and the compilations
# in between still reuse typst's caches (fonts, template), which a process per report would not.
COMPILES_PER_PROCESS = 4
TYPST_WORKER = Path(__file__).resolve().parent / "typst_worker.py"
_TYPST = _Service("typst", lambda: {"args": [sys.executable, "-s", str(TYPST_WORKER)]},
                  COMPILES_PER_PROCESS)


@atexit.register
def close_services() -> None:
    """End this process's pandoc and typst processes (the next request starts new ones)."""
    _PANDOC.close()
    _TYPST.close()
    if _pandoc_home.cache_info().currsize:
        shutil.rmtree(_pandoc_home(), ignore_errors=True)
        _pandoc_home.cache_clear()


def pandoc_pid() -> int | None:
    """The process id of this process's pandoc, kept running (None before the first report):
    for measuring its CPU."""
    return _PANDOC.pid


def close_typst_process() -> None:
    """End the typst process now (the next PDF starts a new one)."""
    _TYPST.close()
