"""The researcher's view: JupyterLab with the project's kernel and jupyterlab-myst, a chapter
notebook run with *Run All Cells*, and the computed values read back from a rendered markdown
cell, in a real Chromium.

The notebooks are copied to a temporary folder first, so JupyterLab's autosave never writes
outputs into the committed notebooks.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT / "test-artifacts"

pytestmark = pytest.mark.e2e
NOTEBOOK = "01_kommuner_med_helhedsplaner.ipynb"
TOKEN = "rapport-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def jupyterlab(tmp_path):
    root = tmp_path / "notebooks"
    shutil.copytree(PROJECT / "notebooks", root)
    port = _free_port()
    jupyter = Path(sys.executable).with_name("jupyter")
    log = (tmp_path / "lab.log").open("w")
    proc = subprocess.Popen(
        [str(jupyter), "lab", "--no-browser", f"--ServerApp.port={port}",
         "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}",
         f"--ServerApp.root_dir={root}", "--ServerApp.open_browser=False",
         "--ServerApp.allow_root=True", "--LabApp.extension_manager=readonly",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class="
         "jupyterlab.NeverCheckForUpdate"],
        stdout=log, stderr=subprocess.STDOUT, cwd=root,
        env={**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
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
                pytest.fail("JupyterLab did not start:\n" + (tmp_path / "lab.log").read_text())
            time.sleep(0.5)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def test_run_all_shows_computed_values_in_markdown(jupyterlab, browser, published_counts):
    with_plan, all_municipalities = published_counts()["andel_med_helhedsplan"]
    sentence = (f"{with_plan} af landets {all_municipalities} kommuner samarbejder med en "
                "eller flere almene boligorganisationer")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"{jupyterlab}/lab/tree/{NOTEBOOK}?token={TOKEN}")
        page.wait_for_selector(".jp-Notebook .jp-MarkdownCell", timeout=90_000)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                               timeout=90_000)
        tail = "kommuner samarbejder med en eller flere almene boligorganisationer"
        # a cell far from the view is not drawn yet: bring it into view before reading it
        before_cell = page.locator(".jp-MarkdownCell", has_text=tail).first
        before_cell.scroll_into_view_if_needed()
        before = before_cell.inner_text()
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        # JupyterLab renders only the cells near the view, and Run All ends at the bottom:
        # keep returning to the top while waiting for the value to appear.
        page.wait_for_function(
            "s => { const outer = document.querySelector('.jp-WindowedPanel-outer');"
            " if (outer) { outer.scrollTop = 0; }"
            " return document.querySelector('.jp-Notebook').innerText.includes(s); }",
            arg=sentence, timeout=420_000, polling=1000)
        cell = page.locator(".jp-MarkdownCell", has_text=sentence).first
        cell.scroll_into_view_if_needed()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "jupyterlab-run-all.png"))
        rendered = cell.inner_text()
    finally:
        page.close()

    assert "omfang.with_plan" not in rendered      # the expression became its value
    assert sentence in rendered
    assert "omfang.with_plan" in before and sentence not in before
