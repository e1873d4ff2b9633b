"""``rapport preview`` run as a subprocess on a copy of the notebooks (``$RAPPORT_NOTEBOOKS``),
so a test edits the copy and never the project's own, and the paragraph a test edits."""

from __future__ import annotations

import html
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

PROJECT = Path(__file__).resolve().parents[2]
FIRST_RENDER = 300.0     # seconds: the first render boots a kernel (the session may be busy)
AFTER_SAVE = 60.0        # seconds for a render after a save


def text_of(page: str) -> str:
    """A page's text, its tags left out and its white space (pandoc wraps lines) made single
    spaces."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class RunningPreview:
    """``rapport preview`` running in a session of its own (as in a terminal: Ctrl+C reaches
    the whole process group), its stderr in ``log``."""

    process: subprocess.Popen
    port: int
    notebooks: Path
    log: Path

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(self, path: str = "/", host: str | None = None) -> tuple[int, str]:
        request = urllib.request.Request(self.origin + path,
                                         headers={"Host": host} if host else {})
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return answer.status, answer.read().decode("utf-8")
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode("utf-8")

    def page(self) -> str:
        return self.get("/")[1]

    def status(self) -> dict:
        return json.loads(self.get("/status")[1])

    def wait_for(self, condition, timeout: float, what: str) -> str:
        """The page as soon as ``condition(page)`` holds; fails after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                pytest.fail(f"the preview ended (exit {self.process.returncode}) while waiting "
                            f"for {what}:\n{self.stderr()}")
            try:
                page = self.page()
                if condition(page):
                    return page
            except OSError:
                page = ""
            if time.monotonic() > deadline:
                pytest.fail(f"no {what} within {timeout:.0f} s; status "
                            f"{self.status() if page else '-'}\n{self.stderr()}")
            time.sleep(0.1)

    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def interrupt(self, timeout: float = 60.0) -> int:
        """Ctrl+C as a terminal sends it (to the process group); the exit code."""
        os.killpg(self.process.pid, signal.SIGINT)
        return self.process.wait(timeout)

    def kill(self) -> None:
        if self.process.poll() is None:
            try:
                self.interrupt(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def start_preview(folder: Path, *extra: str) -> RunningPreview:
    """``rapport preview --kommune Køge --no-browser`` on a free port with a copy of the
    notebooks in ``folder``; returns once it serves its first render."""
    notebooks = folder / "notebooks"
    shutil.copytree(PROJECT / "notebooks", notebooks,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    port, log = free_port(), folder / "preview.log"
    with open(log, "wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "analysis", "preview", "--kommune", "Køge", "--no-browser",
             "--port", str(port), *extra],
            env={**os.environ, "RAPPORT_NOTEBOOKS": str(notebooks)}, cwd=folder,
            stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
    running = RunningPreview(process, port, notebooks, log)
    deadline = time.monotonic() + FIRST_RENDER
    while True:
        try:
            if running.status().get("renders", 0) >= 1:
                return running
        except (OSError, ValueError):
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            running.kill()
            pytest.fail(f"the preview served no render (exit {process.returncode}):\n"
                        f"{running.stderr()}")
        time.sleep(0.2)


@dataclass
class Paragraph:
    """A plain paragraph of a chapter notebook (no tags, condition or expression), which every
    report prints as written: where it is and its text as saved."""

    notebook: Path
    index: int
    text: str

    def save(self, text: str) -> None:
        """Write the paragraph as ``text`` and save the notebook as JupyterLab does: a new
        file, put in place in one step."""
        nb = nbformat.read(self.notebook, as_version=4)
        nb.cells[self.index].source = text
        partial = self.notebook.with_name(f".~{self.notebook.name}")
        nbformat.write(nb, partial)
        os.replace(partial, self.notebook)


def a_paragraph(notebooks: Path) -> Paragraph:
    for path in sorted(notebooks.glob("0[1-6]_*.ipynb")):
        for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
            text = cell.source.strip()
            if (cell.cell_type == "markdown" and not cell.metadata.get("tags")
                    and len(text) > 80 and "\n" not in text and text[0].isupper()
                    and not any(mark in text for mark in ("{", "%", "`", "[", "*", ":", "»"))):
                return Paragraph(path, index, cell.source)
    pytest.fail("no plain paragraph in the chapter notebooks to edit")


def a_sentence() -> str:
    """A sentence no notebook holds."""
    return f"Prøvesætning {secrets.token_hex(4)} fra forhåndsvisningen."
