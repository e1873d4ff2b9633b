"""End-to-end fixtures: the reports every e2e test reads (``reports``, rendered once per test
session by the real CLI, see the root ``conftest.py``), the external tools and a browser.

External tools (chromium for the browser tests, poppler's ``pdftotext``/``pdffonts``/
``pdftoppm``/``pdfinfo`` for the PDF tests) are required: when one is missing the tests FAIL
with a message saying what to install; they are never skipped.
"""

from __future__ import annotations

import functools
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import pytest

PROJECT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT / "test-artifacts"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def require_tool(name: str, package: str = "poppler-utils") -> str:
    """Path of an external program; FAILS the test (never skips) when it is missing."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"'{name}' is not installed, and the e2e tests need it: install the Debian "
                    f"package '{package}' (apt-get install {package}).", pytrace=False)
    return path


def chromium_path() -> str:
    """Debian's chromium (playwright must never download a browser)."""
    configured = os.environ.get("CHROMIUM")
    for candidate in ([configured] if configured else []) + list(CHROMIUM_CANDIDATES):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    pytest.fail("chromium is not installed, and the browser tests need it: install the Debian "
                "package 'chromium' (apt-get install chromium), or point CHROMIUM at a "
                "chromium binary.", pytrace=False)


@pytest.fixture(scope="session", params=["national", "koege"])
def report(request, reports):
    """The national report and Køge's, each in turn."""
    return reports[request.param]


@pytest.fixture(scope="session")
def tool():
    """``tool("pdftotext")``: the path of a program the tests need, or a clear failure."""
    return require_tool


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """``test-artifacts/`` at the project root (gitignored): screenshots kept for review."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by playwright, shared by the browser tests."""
    executable = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("The python package 'playwright' is not installed; it is in the test "
                    "extra: pip install -e '.[test]'.", pytrace=False)
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@dataclass
class OpenedPage:
    """A report opened in chromium, with everything that went wrong while it was open."""

    page: object
    url: str
    blocked: list[str]         # requests for anything but the report file (aborted)
    failed: list[str]          # requests that failed, for whatever reason
    console_errors: list[str]  # console messages of type "error"
    page_errors: list[str]     # uncaught exceptions in the page


def _same_file(url_a: str, url_b: str) -> bool:
    return unquote(url_a.split("#", 1)[0]) == unquote(url_b.split("#", 1)[0])


@contextmanager
def _open_report(browser, path: Path, *, width: int = 1280, height: int = 900):
    """Open ``path`` as a reader would (``file://``), offline.

    Every request except the report file itself and ``data:`` URIs is recorded and aborted,
    so the page is shown exactly as on a machine without network.
    """
    context = browser.new_context(viewport={"width": width, "height": height},
                                  locale="da-DK", service_workers="block")
    page = context.new_page()
    opened = OpenedPage(page, path.as_uri(), [], [], [], [])

    def guard(route) -> None:
        url = route.request.url
        if url.startswith("data:") or _same_file(url, opened.url):
            route.continue_()
        else:
            opened.blocked.append(url)
            route.abort()

    page.route("**/*", guard)
    page.on("requestfailed", lambda r: opened.failed.append(f"{r.url[:200]} ({r.failure})"))
    page.on("console", lambda m: opened.console_errors.append(m.text)
            if m.type == "error" else None)
    page.on("pageerror", lambda err: opened.page_errors.append(str(err)))
    try:
        page.goto(opened.url, wait_until="load")
        page.wait_for_function("() => [...document.images].every(img => img.complete)")
        yield opened
    finally:
        context.close()


@pytest.fixture(scope="session")
def open_report(browser):
    """``with open_report(path, width=…, height=…) as opened:`` a report in chromium, offline
    (see :func:`_open_report`). A fixture, not an import: every test folder has a conftest."""
    return functools.partial(_open_report, browser)
