"""End-to-end fixtures: the real CLI renders the national report and Køge's report once per
test session, and every e2e test reads those files.

The renders run as subprocesses (``python -m analysis render``) with ``SOURCE_DATE_EPOCH``
set, exactly as a user or CI would run them. Køge's report comes out as a sealed package;
the tests of its content read the files inside it, opened with Køge's passphrase as the
reader's browser opens them (``Report.package`` is the sealed folder itself). When the session also runs the reproducibility
test, its second pair of renders (other out dirs, other time zone and hash seed) is started at
the same moment, so the four renders share the machine's cores instead of running one after
the other.

External tools (chromium for the browser tests, poppler's ``pdftotext``/``pdffonts``/
``pdftoppm``/``pdfinfo`` for the PDF tests) are required: when one is missing the tests FAIL
with a message saying what to install; they are never skipped.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import pytest

from sealed_packages import unseal

PROJECT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT / "test-artifacts"
SOURCE_DATE_EPOCH = "1448928000"  # 1 December 2015, 00:00 UTC
KOMMUNE = "Køge"
KOMMUNE_FOLDER = "kommuner/259-koege"
RENDER_TIMEOUT = 300  # seconds, for one CLI render
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
# What each report is rendered with: (key, extra CLI arguments, folder under --out).
REPORTS = (("national", (), "national"),
           ("koege", ("--kommune", KOMMUNE), KOMMUNE_FOLDER))
# The first and the second render differ in everything that must not matter.
RUN_ENV = {"first": {"TZ": "UTC", "PYTHONHASHSEED": "1", "LC_ALL": "C.UTF-8"},
           "second": {"TZ": "Pacific/Auckland", "PYTHONHASHSEED": "2", "LC_ALL": "C.UTF-8"}}


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


@dataclass(frozen=True)
class Report:
    """One rendered report's folder."""

    key: str
    folder: Path
    package: Path | None = None     # a municipality's sealed package, as rendered

    @property
    def html(self) -> Path:
        return self.folder / "rapport.html"

    @property
    def pdf(self) -> Path:
        return self.folder / "rapport.pdf"

    @property
    def xlsx(self) -> Path:
        return self.folder / "tabeller.xlsx"

    @property
    def is_municipal(self) -> bool:
        return self.key != "national"


class Render:
    """One ``rapport render`` running in the background."""

    def __init__(self, out_dir: Path, key: str, args: tuple[str, ...], folder: str,
                 env: dict[str, str]) -> None:
        self.out_dir = out_dir
        self.report = Report(key, out_dir / folder)
        self.argv = [sys.executable, "-m", "analysis", "render", "--out", str(out_dir), *args]
        self.log = out_dir.with_name(out_dir.name + ".log")
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                self.argv, cwd=PROJECT, stdout=log, stderr=subprocess.STDOUT,
                env={**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, **env})

    def wait(self) -> Report:
        """Wait for the render; fail with the CLI's own output when it did not succeed."""
        try:
            code = self.proc.wait(timeout=RENDER_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            pytest.fail(f"{' '.join(self.argv)} took over {RENDER_TIMEOUT} s", pytrace=False)
        output = self.log.read_text(encoding="utf-8", errors="replace")
        if code != 0 or not self.report.pdf.is_file() or not self.report.html.is_file():
            pytest.fail(f"{' '.join(self.argv)} failed (exit {code}):\n{output[-4000:]}",
                        pytrace=False)
        if self.report.is_municipal:
            sealed = self.report.folder
            opened = self.out_dir.with_name(self.out_dir.name + "-aabnet") / sealed.name
            return Report(self.report.key, unseal(sealed, opened), package=sealed)
        return self.report

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def _start(root: Path, run: str) -> dict[str, Render]:
    return {key: Render(root / f"{run}-{key}", key, args, folder, RUN_ENV[run])
            for key, args, folder in REPORTS}


@pytest.fixture(scope="session")
def render_runs(request, tmp_path_factory):
    """Start the renders this session needs, all at once; ``{"first": {...}, "second": ...}``.

    Every report gets its own out dir: two CLI processes must not share one manifest.
    """
    root = tmp_path_factory.mktemp("e2e-renders")
    runs = {"first": _start(root, "first")}
    if any("second_reports" in item.fixturenames for item in request.session.items):
        runs["second"] = _start(root, "second")
    runs["root"] = root
    yield runs
    for run in ("first", "second"):
        for render in runs.get(run, {}).values():
            render.stop()


@pytest.fixture(scope="session")
def reports(render_runs) -> dict[str, Report]:
    """The national report and Køge's report, rendered once for the whole session."""
    return {key: render.wait() for key, render in render_runs["first"].items()}


@pytest.fixture(scope="session")
def second_reports(render_runs) -> dict[str, Report]:
    """The same two reports rendered again, by other processes into other out dirs."""
    if "second" not in render_runs:  # not foreseen at collection (e.g. requested lazily)
        render_runs["second"] = _start(render_runs["root"], "second")
    return {key: render.wait() for key, render in render_runs["second"].items()}


@pytest.fixture(scope="session", params=["national", "koege"])
def report(request, reports) -> Report:
    """Each of the two reports in turn."""
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
