"""The Quarto engine end to end: ``rapport render --engine quarto`` on the national report and
Køge's (with Hørsholm's, in a parallel batch), checked against the default engine's renders of
the same reports (the ``reports`` fixture), in files, words, figures, tables, and in a real
browser offline."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sealed_packages import unseal
from pypdf import PdfReader
from quarto_support import assert_same_report_text, report_text, require_quarto
from shared_renders import FIRST_ENV, RAPPORT, background_render

pytestmark = pytest.mark.e2e
PROJECT = Path(__file__).resolve().parents[2]
ENV = FIRST_ENV                   # as the default engine's renders (see the root conftest)
TARGETS = {"national": "national", "koege": "kommuner/259-koege"}   # key -> report folder
HOERSHOLM = "kommuner/223-hoersholm"
CONTRACT = ["provenance.json", "rapport.html", "rapport.pdf", "tabeller.xlsx"]
TIMEOUT = 300


def _rapport(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", *args], cwd=PROJECT,
                          capture_output=True, text=True, timeout=TIMEOUT,
                          env={**os.environ, **ENV, **(env or {})})


# ``rapport render --engine quarto`` for the national report, and for Køge and Hørsholm in one
# parallel batch (two workers), as the default engine's renders are made (see the root
# conftest); every call into its own out dir.
quarto_national = background_render(
    "quarto_national", [*RAPPORT, "render", "--engine", "quarto", "--out", "{out}"],
    env=FIRST_ENV)
quarto_kommuner = background_render(
    "quarto_kommuner", [*RAPPORT, "render", "--engine", "quarto", "--kommune", "Køge",
                        "--kommune", "Hørsholm", "--jobs", "2", "--out", "{out}"],
    env=FIRST_ENV, slots=2)


@pytest.fixture(scope="session")
def quarto() -> str:
    """``quarto``'s path: the tests that read its renders skip (fail in CI) before waiting for
    a render that cannot be made where it is not installed."""
    return require_quarto()


@pytest.fixture(scope="module")
def quarto_outs(quarto, quarto_national, quarto_kommuner) -> dict[str, Path]:
    """The out dir of each Quarto render; the municipal reports' sealed packages opened
    beside it (``<out>-opened``)."""
    outs = {"national": quarto_national.out, "koege": quarto_kommuner.out}
    for folder in (TARGETS["koege"], HOERSHOLM):
        # a sealed package: its page and PDF, with the contract's files inside
        sealed = outs["koege"] / folder
        assert sorted(p.name for p in sealed.iterdir()) == ["rapport.html", "rapport.pdf"]
        unseal(sealed, _opened(outs["koege"]) / folder)
    return outs


def _opened(out: Path) -> Path:
    return out.with_name(out.name + "-opened")


def _folder(outs: dict[str, Path], key: str) -> Path:
    """The report's plain files (Køge's as its opened package)."""
    if key == "koege":
        return _opened(outs[key]) / TARGETS[key]
    return outs[key] / TARGETS[key]


@pytest.fixture(scope="module", params=list(TARGETS))
def key(request) -> str:
    return request.param


def test_every_report_folder_holds_the_contract(quarto_outs, reports, key):
    folder = _folder(quarto_outs, key)
    assert sorted(p.name for p in folder.iterdir()) == CONTRACT
    provenance = json.loads((folder / "provenance.json").read_text(encoding="utf-8"))
    assert provenance["engine"] == "quarto" and provenance["formats"] == ["html", "pdf"]
    default = reports[key].folder
    # the workbook is written from the same document as with the default engine
    assert (folder / "tabeller.xlsx").read_bytes() == (default / "tabeller.xlsx").read_bytes()
    assert not (quarto_outs[key] / ".staging").exists() or \
        list((quarto_outs[key] / ".staging").iterdir()) == []


def test_index_and_manifest_are_those_of_the_default_engine(quarto_outs, reports, key):
    rendered = reports[key].package or reports[key].folder     # Køge's: its sealed package
    default_out = rendered.parents[len(Path(TARGETS[key]).parts) - 1]
    assert (quarto_outs[key] / "index.html").read_bytes() == \
        (default_out / "index.html").read_bytes()
    ours = json.loads((quarto_outs[key] / "manifest.json").read_text(encoding="utf-8"))
    theirs = json.loads((default_out / "manifest.json").read_text(encoding="utf-8"))
    assert ours.keys() == theirs.keys() and ours["reports"].keys() == theirs["reports"].keys()
    for name, entry in ours["reports"].items():
        other = theirs["reports"][name]
        assert entry.keys() == other.keys()
        for field in ("status", "folder", "name", "kommune", "error", "provenance"):
            assert entry[field] == other[field], field


def test_html_says_what_the_default_engine_says(quarto_outs, reports, key):
    assert_same_report_text(reports[key].html, _folder(quarto_outs, key) / "rapport.html")


def test_html_is_one_file_a_browser_opens_offline(quarto_outs, open_report, artifacts, key):
    html = _folder(quarto_outs, key) / "rapport.html"
    with open_report(html) as opened:
        assert opened.blocked == [] and opened.failed == []
        assert opened.console_errors == [] and opened.page_errors == []
        images = opened.page.evaluate(
            "() => [...document.images].map(i => [i.naturalWidth, i.alt])")
        assert images and all(width > 0 and alt for width, alt in images)
        assert opened.page.evaluate("() => document.querySelectorAll('main h2').length") > 5
        assert opened.page.evaluate("() => document.querySelectorAll('h1').length") == 1
        opened.page.screenshot(path=str(artifacts / f"quarto-{key}.png"))


def test_pdf_is_a4_and_danish(quarto_outs, reports, key):
    pdf = _folder(quarto_outs, key) / "rapport.pdf"
    reader = PdfReader(pdf)
    assert len(reader.pages) > 5
    for page in reader.pages:
        size = (float(page.mediabox.width) * 25.4 / 72, float(page.mediabox.height) * 25.4 / 72)
        assert (round(size[0]), round(size[1])) == (210, 297)
    assert reader.trailer["/Root"].get("/Lang") == "da"
    text = " ".join(subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
                                   capture_output=True, text=True, check=True).stdout.split())
    assert "Indholdsfortegnelse" in text
    for caption, _ in report_text(reports[key].html).figures:
        assert " ".join(caption.split()[:6]) in text, caption


def _failing_quarto(bin_dir: Path) -> None:
    bin_dir.mkdir()
    script = bin_dir / "quarto"
    script.write_text('#!/bin/sh\necho "<html>" > rapport.html\n'
                      'echo "ERROR: typst compilation failed" >&2\nexit 3\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)


def test_failed_quarto_run_leaves_no_report_and_reaches_the_summary(tmp_path):
    _failing_quarto(tmp_path / "bin")
    out = tmp_path / "out"
    result = _rapport("render", "--engine", "quarto", "--kommune", "Køge", "--out", str(out),
                      env={"PATH": f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}"})
    assert result.returncode == 1, result.stderr
    assert "FAILED Køge: RenderError: quarto render failed (exit 3): ERROR: typst compilation " \
           "failed" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (out / "kommuner" / "259-koege").exists()
    assert not (out / ".staging").exists() or list((out / ".staging").iterdir()) == []
    entry = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]["259"]
    assert entry["status"] == "failed" and "typst compilation failed" in entry["error"]


def test_missing_quarto_is_one_clear_line(tmp_path):
    path = os.pathsep.join(d for d in os.environ["PATH"].split(os.pathsep)
                           if d and not (Path(d) / "quarto").exists())
    result = _rapport("render", "--engine", "quarto", "--out", str(tmp_path), env={"PATH": path})
    assert result.returncode == 1
    assert "Quarto is not installed" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "national").exists()


def test_a_parallel_batch_renders_every_report(quarto_outs):
    """Køge and Hørsholm, rendered by two workers at once (``quarto_kommuner``)."""
    opened = _opened(quarto_outs["koege"])
    for folder in (TARGETS["koege"], HOERSHOLM):
        assert sorted(p.name for p in (opened / folder).iterdir()) == CONTRACT
    hoersholm = report_text(opened / HOERSHOLM / "rapport.html")
    koege = report_text(opened / TARGETS["koege"] / "rapport.html")
    assert "Hørsholm" in " ".join(hoersholm.words) and "Køge" in " ".join(koege.words)
    assert hoersholm.words != koege.words
