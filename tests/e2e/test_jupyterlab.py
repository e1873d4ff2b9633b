"""The researcher's view: JupyterLab as ``make lab`` starts it (the environment's settings, the
project's kernel, jupyterlab-myst), a chapter notebook run with *Run All Cells*, and what its
rendered markdown cells show, read back in a real Chromium: the computed values in the prose,
and for each cell that is not in every report, its marker (in this report or not, and why).

The notebooks are copied to a temporary folder first, so JupyterLab's autosave never writes
outputs into the committed notebooks.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

PROJECT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT / "test-artifacts"

pytestmark = pytest.mark.e2e
NOTEBOOK = "01_kommuner_med_helhedsplaner.ipynb"
TOKEN = "rapport-test"
# What the Makefile's install step writes into the environment (see LAB_SETTINGS there).
LAB_SETTINGS = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
NOTIFICATIONS = "@jupyterlab/apputils-extension:notification"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _set_parameter(path: Path, name: str, value: str) -> None:
    """The notebook's parameters cell with ``name = value``, as a researcher sets it."""
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    cell.source, count = re.subn(rf"(?m)^{name} = \S+", f"{name} = {value}", cell.source)
    assert count == 1, cell.source
    nbformat.write(nb, path)


def _start(tmp_path: Path, kommune: str | None = None):
    """JupyterLab on a copy of the notebooks, started as ``make lab`` starts it; the copy's
    parameters cells set to ``kommune``."""
    if not LAB_SETTINGS.is_file():
        pytest.fail(f"{LAB_SETTINGS} is missing: the Makefile's install step writes it "
                    "(make test, or make lab)", pytrace=False)
    root = tmp_path / "notebooks"
    shutil.copytree(PROJECT / "notebooks", root)
    if kommune is not None:
        _set_parameter(root / NOTEBOOK, "kommune", repr(kommune))
    config = tmp_path / "config"
    # A fresh user, whose JupyterLab draws every cell (not only those in view), so that the
    # test can read any of them: nothing else is set, the rest is the environment's.
    tracker = config / "lab" / "user-settings" / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    port = _free_port()
    jupyter = Path(sys.executable).with_name("jupyter")
    log_path = tmp_path / "lab.log"
    log = log_path.open("w")
    proc = subprocess.Popen(
        [str(jupyter), "lab", "--no-browser", f"--ServerApp.port={port}",
         "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}",
         f"--ServerApp.root_dir={root}", "--ServerApp.allow_root=True"],
        stdout=log, stderr=subprocess.STDOUT, cwd=root,
        env={**os.environ, "JUPYTER_CONFIG_DIR": str(config),
             "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                log.close()
                pytest.fail("JupyterLab did not start:\n" + log_path.read_text())
            time.sleep(0.5)
    return url, proc, log


def _stop(proc, log) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture
def jupyterlab(tmp_path):
    url, proc, log = _start(tmp_path)
    yield url
    _stop(proc, log)


@pytest.fixture
def jupyterlab_koege(tmp_path):
    url, proc, log = _start(tmp_path, kommune="Køge")
    yield url, tmp_path / "notebooks" / NOTEBOOK
    _stop(proc, log)


# A code cell's prompt once it has run or is running: "[*]:", "[1]:".
STARTED = ("() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]"
           ".some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))")


def _run_all(page) -> None:
    """*Run → Run All Cells*, again if the notebook did not start (a busy machine may show the
    menu before the command can run)."""
    for attempt in range(3):
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        try:
            page.wait_for_function(STARTED, timeout=60_000, polling=500)
            return
        except Exception:
            page.keyboard.press("Escape")
    pytest.fail("Run All Cells did not start the notebook")


def _open_and_run_all(page, url: str) -> None:
    page.goto(f"{url}/lab/tree/{NOTEBOOK}?token={TOKEN}")
    page.wait_for_selector(".jp-Notebook .jp-MarkdownCell", timeout=90_000)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                           timeout=90_000)
    _run_all(page)


def _marked_cells(notebook: Path) -> int:
    from analysis.report import dialect

    nb = nbformat.read(notebook, as_version=4)
    return sum(1 for c in nb.cells
               if c.cell_type == "markdown" and dialect.read(c.source).marker is not None)


def _no_news(page) -> None:
    """Nothing JupyterLab pops up by itself: no news prompt, no notification."""
    assert page.locator(".jp-toast-message, .Toastify__toast").count() == 0
    assert "Jupyter news" not in page.locator("body").inner_text()


# The text of the markdown cell with the chapter's first value, once it has any text.
BEFORE = ("() => [...document.querySelectorAll('.jp-Notebook .jp-MarkdownCell')]"
          ".map(c => c.innerText).find(t => t.includes('af landets')) || false")


def test_run_all_shows_computed_values_in_markdown(jupyterlab, browser, published_counts):
    with_plan, all_municipalities = published_counts()["andel_med_helhedsplan"]
    # the chapter's first sentence with a value: {eval}`omfang.with_plan` af landets …
    sentence = f"{with_plan} af landets {all_municipalities} kommuner"
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"{jupyterlab}/lab/tree/{NOTEBOOK}?token={TOKEN}")
        page.wait_for_selector(".jp-Notebook .jp-MarkdownCell", timeout=90_000)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                               timeout=90_000)
        # jupyterlab-myst may draw a markdown cell again once the kernel is idle, leaving it
        # empty for a moment: wait for the cell's text, not only for the cell
        before = page.wait_for_function(BEFORE, timeout=90_000, polling=250).json_value()
        _run_all(page)
        page.wait_for_function(
            "s => document.querySelector('.jp-Notebook').innerText.includes(s)",
            arg=sentence, timeout=420_000, polling=1000)
        cell = page.locator(".jp-MarkdownCell", has_text=sentence).first
        cell.scroll_into_view_if_needed()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "jupyterlab-run-all.png"))
        rendered = cell.inner_text()
        _no_news(page)
    finally:
        page.close()

    assert "omfang.with_plan" not in rendered      # the expression became its value
    assert sentence in rendered
    assert "omfang.with_plan" in before and sentence not in before


def test_a_municipal_run_marks_the_cells_it_gets_and_the_ones_it_leaves_out(
        jupyterlab_koege, browser):
    """``kommune = "Køge"``, Run All: each marked cell says whether Køge's report gets it,
    and no cell shows "None" for a value it cannot have."""
    url, notebook = jupyterlab_koege
    expected = _marked_cells(notebook)
    assert expected > 5
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        _open_and_run_all(page, url)
        # every marker has its value once Run All has reached the last cell
        try:
            page.wait_for_function(
                "n => document.querySelectorAll('.jp-Notebook .rapport-marker').length >= n",
                arg=expected, timeout=420_000, polling=1000)
        except Exception:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "jupyterlab-koege-markers-failed.png"))
            shown = page.locator(".jp-Notebook .rapport-marker").count()
            errors = page.locator(".jp-Notebook .jp-OutputArea-output[data-mime-type*="
                                  "'error']").all_inner_texts()
            pytest.fail(f"{shown} of {expected} markers shown after Run All; errors: {errors}")
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                               timeout=120_000)
        included = page.locator(".jp-MarkdownCell", has=page.locator(".rapport-med")).first
        left_out = page.locator(".jp-MarkdownCell",
                                has=page.locator(".rapport-udeladt")).first
        included_text, left_out_text = included.inner_text(), left_out.inner_text()
        # the screenshot shows a left-out cell and the cells around it
        page.evaluate("el => el.scrollIntoView({block: 'center'})", left_out.element_handle())
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "jupyterlab-koege-markers.png"))
        markers = page.locator(".jp-Notebook .rapport-marker").all_inner_texts()
        prose = page.locator(".jp-Notebook .jp-MarkdownCell .jp-RenderedMarkdown, "
                             ".jp-Notebook .jp-MarkdownCell .myst").all_inner_texts()
        _no_news(page)
    finally:
        page.close()

    assert included_text.startswith("✓ med i Køge Kommunes rapport"), included_text
    assert left_out_text.startswith("✗ ikke med i Køge Kommunes rapport ("), left_out_text
    assert len(markers) == expected
    # Køge answered: its own passages are in, and of each pair of cells one side is left out
    assert any(m.startswith("✓") and "tag: kommune-svar" in m for m in markers), markers
    assert any(m.startswith("✗") and m.endswith("er falsk)") for m in markers), markers
    # no value prints as "None" (a marker may name a condition's "is not None")
    values = [re.sub(r"(?m)^[✓✗] .*$", "", text) for text in prose]
    assert not [text for text in values if re.search(r"\bNone\b", text)]
