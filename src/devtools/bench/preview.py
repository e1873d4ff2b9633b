"""``rapport preview``'s latency for a municipal report: from saving an edit of a notebook to
the open page reloaded with it, in chromium (headless), as a researcher sees it.

The preview runs as a subprocess on a copy of the notebooks (``$RAPPORT_NOTEBOOKS``); each
edit adds a sentence to a plain paragraph and saves the notebook as JupyterLab does (a new
file put in place in one step). Without
chromium (or playwright) the latency is measured to the new page served instead.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat

from analysis.core import paths

EDITS = 5
GOAL = 1.0            # seconds, median
KOMMUNE = "Køge"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking"]


def _paragraph(notebooks: Path) -> tuple[Path, int, str]:
    """A plain paragraph of a chapter notebook (no tags, condition or expression)."""
    for path in sorted(notebooks.glob("0[1-6]_*.ipynb")):
        for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
            text = cell.source.strip()
            if (cell.cell_type == "markdown" and not cell.metadata.get("tags")
                    and len(text) > 80 and "\n" not in text
                    and not any(mark in text for mark in ("{", "%", "`", "[", ":"))):
                return path, index, cell.source
    raise RuntimeError("no plain paragraph in the chapter notebooks to edit")


def _save(path: Path, index: int, text: str) -> None:
    """Change a cell and save the notebook as JupyterLab does: whole, in one step."""
    nb = nbformat.read(path, as_version=4)
    nb.cells[index].source = text
    partial = path.with_name(f".~{path.name}")
    nbformat.write(nb, partial)
    os.replace(partial, path)


def _chromium() -> str | None:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return None
    return found if Path(found).is_file() else None


class _Preview:
    """``rapport preview --kommune Køge --no-browser`` on a free port, until closed."""

    def __init__(self, folder: Path):
        self.notebooks = folder / "notebooks"
        shutil.copytree(paths.notebooks_dir(), self.notebooks,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "analysis", "preview", "--kommune", KOMMUNE, "--no-browser",
             "--port", str(self.port)],
            env={**os.environ, "RAPPORT_NOTEBOOKS": str(self.notebooks)},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 300
        while self.status().get("renders", 0) < 1:
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise RuntimeError("rapport preview served no render")
            time.sleep(0.1)

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.origin + path, timeout=10) as answer:
            return answer.read()

    def status(self) -> dict:
        try:
            return json.loads(self.get("/status"))
        except OSError:
            return {}

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)      # Ctrl+C
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _in_browser(preview: _Preview, edit, chromium: str, edits: int,
                renders: list[float]) -> list[float]:
    """Seconds from each save to the load of the page holding the edit (a page loaded in
    between for another reason, a change in data/ say, does not count); each render's own
    seconds are added to ``renders``."""
    from playwright.sync_api import Error, sync_playwright

    times, loads = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("load", lambda _: loads.append(time.perf_counter()))
            page.goto(preview.origin + "/", wait_until="load")
            for i in range(edits):
                page.wait_for_timeout(500)                # its event stream is open
                sentence, seen = f"Målesætning nummer {i} af forhåndsvisningen.", len(loads)
                t = time.perf_counter()
                edit(sentence)
                while True:
                    page.wait_for_timeout(5)              # the page's events arrive meanwhile
                    if len(loads) > seen:
                        seen = len(loads)
                        try:
                            if sentence in page.inner_text("body"):
                                times.append(loads[-1] - t)
                                renders.append(preview.status().get("seconds", float("nan")))
                                break
                        except Error:                     # reloading again
                            pass
                    if time.perf_counter() > t + 60:
                        raise RuntimeError("no page with the edit within 60 s")
        finally:
            browser.close()
    return times


def _served(preview: _Preview, edit, edits: int, renders: list[float]) -> list[float]:
    times = []
    for i in range(edits):
        time.sleep(0.5)
        sentence = f"Målesætning nummer {i} af forhåndsvisningen."
        token = preview.status()["token"]
        t = time.perf_counter()
        edit(sentence)
        while preview.status().get("token") == token:
            time.sleep(0.005)
        page = preview.get("/").decode("utf-8")
        times.append(time.perf_counter() - t)
        renders.append(preview.status().get("seconds", float("nan")))
        if sentence not in " ".join(page.split()):
            raise RuntimeError("the new page does not hold the edit")
    return times


def latency(edits: int = EDITS) -> dict:
    """Seconds from each of ``edits`` saves to the page reloaded with it, how that was
    measured, the median of the preview's own render seconds and the machine's load average
    (other work on the machine slows the preview down)."""
    with tempfile.TemporaryDirectory(prefix="bench-preview-") as tmp:
        preview = _Preview(Path(tmp))
        renders: list[float] = []
        try:
            path, index, text = _paragraph(preview.notebooks)

            def edit(sentence: str) -> None:
                _save(path, index, f"{text} {sentence}")

            chromium = _chromium()
            if chromium:
                times = _in_browser(preview, edit, chromium, edits, renders)
                how = "reloaded in chromium"
            else:
                times, how = _served(preview, edit, edits, renders), "served (no chromium)"
        finally:
            preview.close()
    return {"times": times, "median": statistics.median(times), "how": how,
            "render": statistics.median(renders), "load": os.getloadavg()[0]}


def report(edits: int = EDITS) -> None:
    """Print the measure beside its goal."""
    result = latency(edits)
    print(f"Preview of a municipal report (rapport preview --kommune {KOMMUNE}), saved edit to "
          f"page {result['how']}, median of {edits}: {result['median']:.2f} s (goal at most "
          f"{GOAL:g} s), of which the render {result['render']:.2f} s; load average "
          f"{result['load']:.1f}  [{', '.join(f'{t:.2f}' for t in result['times'])}]")


def main() -> int:
    report()
    return 0
