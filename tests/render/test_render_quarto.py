"""The Quarto engine: the one document it writes, its failures, and (with a real Quarto) the
HTML and PDF it renders from the same document as the default engine."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import threading
from pathlib import Path

import lxml.html
import pytest
import yaml
from pypdf import PdfReader
from quarto_support import assert_same_report_text, report_text, require_quarto
from render_notebooks import ALT, FIG1, FIG2, LINKS, TABLE1, TITLE

from analysis.render import (Document, FigureEntry, RenderError, quarto_available,
                             quarto_command, render_with_quarto, write_quarto_source)
from analysis.render.assemble import figure_markdown
from analysis.render.quarto import LANGUAGE, SECTION_WORD, quarto_body

# --- the source Quarto reads (no Quarto needed) ----------------------------------------------


def _front_matter(source: Path) -> dict:
    text = source.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))


def test_body_keeps_every_line_of_prose_and_lets_quarto_number_captions(document):
    body = quarto_body(document)
    figure_or_table = re.compile(r"^(!\[|: |\|)")
    prose = [line for line in document.body.splitlines()
             if line.strip() and not figure_or_table.match(line)]
    assert prose and all(line in body.splitlines() for line in prose)
    for fig in (FIG1, FIG2):
        assert f"![{fig['caption']}](fig-{fig['ident']}.svg){{#fig-{fig['ident']} " \
               f"fig-alt=\"{ALT[fig['ident']]}\"}}" in body
    assert f": {TABLE1.caption} {{#tbl-{TABLE1.ident}}}" in body
    assert not re.search(r"(Figur|Tabel) \d+\.", body)


def test_source_is_one_danish_document_with_both_formats(document, tmp_path):
    source = write_quarto_source(document, tmp_path, links=LINKS)
    meta = _front_matter(source)
    assert source.name == "rapport.qmd"
    assert meta["lang"] == "da" and meta["title"] == TITLE.title
    assert meta["report-date"] == TITLE.date and "date" not in meta
    assert meta["notice"] == TITLE.notice and meta["publisher"] == TITLE.publisher
    assert meta["language"]["crossref-sec-prefix"] == SECTION_WORD
    assert meta["format"]["html"]["embed-resources"] is True
    assert meta["format"]["typst"]["papersize"] == "a4"
    assert "project" not in meta
    for name in ("fig-udbredelse.svg", "fig-trappen.svg", "title-block.html", "typst-show.typ",
                 "report.css", "downloads.html", *meta["format"]["html"]["css"]):
        assert (tmp_path / name).is_file(), name
    assert 'href="rapport.pdf"' in (tmp_path / "downloads.html").read_text(encoding="utf-8")


def test_quarto_command_line():
    assert quarto_command(Path("rapport.qmd")) == ["quarto", "render", "rapport.qmd", "--to",
                                                   "html,typst"]
    assert quarto_command(Path("r.qmd"), ["pdf"]) == ["quarto", "render", "r.qmd", "--to",
                                                      "typst"]


def test_missing_quarto_gives_a_clear_error(document, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert quarto_available() is False
    with pytest.raises(RenderError, match=r"^Quarto is not installed: .*--engine pandoc"):
        render_with_quarto(document, tmp_path)


# --- failures and parallel runs, with a stand-in ``quarto`` on PATH ---------------------------

def _fake_quarto(bin_dir: Path, body: str) -> Path:
    """A ``quarto`` that appends its working folder to ``cwd.txt`` and then runs ``body``."""
    bin_dir.mkdir(exist_ok=True)
    log = bin_dir / "cwd.txt"
    script = bin_dir / "quarto"
    script.write_text(f'#!/bin/sh\npwd >> "{log}"\n{body}\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return log


@pytest.fixture
def fake_path(tmp_path, monkeypatch):
    def install(body: str) -> Path:
        log = _fake_quarto(tmp_path / "bin", body)
        monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
        return log
    return install


def test_failing_quarto_leaves_nothing_and_says_why(document, tmp_path, fake_path):
    log = fake_path('echo "<html>half" > rapport.html\n'
                    'printf "\\033[31mERROR: YAMLError: bad indentation\\033[39m\\n" >&2\n'
                    'echo "Stack trace:" >&2\necho "    at render (x.ts:1)" >&2\nexit 3')
    out = tmp_path / "report"
    out.mkdir()
    with pytest.raises(RenderError) as err:
        render_with_quarto(document, out, links=LINKS)
    assert str(err.value) == "quarto render failed (exit 3): ERROR: YAMLError: bad indentation"
    assert list(out.iterdir()) == []
    workdir = Path(log.read_text().strip())
    assert workdir.name.startswith("rapport-quarto-") and not workdir.exists()


def test_quarto_that_writes_no_pdf_is_a_failure(document, tmp_path, fake_path):
    fake_path("echo '<html></html>' > rapport.html")
    out = tmp_path / "report"
    out.mkdir()
    with pytest.raises(RenderError, match="wrote no rapport.pdf"):
        render_with_quarto(document, out)


def test_parallel_renders_work_in_private_folders(document, tmp_path, fake_path):
    log = fake_path('cp rapport.qmd rapport.html\necho "$(pwd)" > rapport.pdf\nsleep 0.5')
    outs = [tmp_path / f"report-{i}" for i in range(3)]
    errors = []

    def run(out: Path) -> None:
        out.mkdir()
        try:
            render_with_quarto(document, out)
        except RenderError as err:  # collected, asserted below
            errors.append(err)

    threads = [threading.Thread(target=run, args=(out,)) for out in outs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    workdirs = log.read_text().split()
    assert len(set(workdirs)) == 3 and not any(Path(w).exists() for w in workdirs)
    pdfs = {(out / "rapport.pdf").read_text().strip() for out in outs}
    assert pdfs == set(workdirs)  # each report got the files of its own Quarto run


# --- a real Quarto ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def quarto_rendered(document, tmp_path_factory) -> dict[str, Path]:
    require_quarto()
    out = tmp_path_factory.mktemp("quarto")
    return render_with_quarto(document, out, links=LINKS)


def test_html_is_one_self_contained_file(quarto_rendered):
    html = quarto_rendered["html"].read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert lxml.html.fromstring(html.encode("utf-8")).get("lang") == "da"
    refs = re.findall(r'(?:src|href)\s*=\s*"([^"#][^"]*)"', html)
    assert [r for r in refs if not r.startswith("data:")] == list(LINKS.values())
    assert "url(http" not in html and "@import" not in html
    assert html.count("<img") == 2 and html.count('src="data:image/svg+xml') == 2
    assert sorted(p.name for p in quarto_rendered["html"].parent.iterdir()) == \
        ["rapport.html", "rapport.pdf"]


def test_html_says_what_the_default_engine_says(rendered, quarto_rendered):
    assert_same_report_text(rendered["html"], quarto_rendered["html"])


def test_html_shows_title_page_downloads_and_quarto_labels(quarto_rendered):
    text = report_text(quarto_rendered["html"])
    page = " ".join(text.words)
    for field in (TITLE.title, TITLE.subtitle, TITLE.date, TITLE.publisher, TITLE.notice):
        assert field in page
    assert "Indholdsfortegnelse" in page
    assert [caption for caption, _ in text.figures] == [
        f"Figur 1. {FIG1['caption']}", f"Figur 2. {FIG2['caption']}"]
    assert text.tables[0][0] == f"Tabel 1. {TABLE1.caption}"


def _pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                         check=True)
    return re.sub(r"\s+", " ", out.stdout.decode("utf-8").replace("\u00ad", ""))


def test_pdf_is_a4_and_danish(quarto_rendered):
    reader = PdfReader(quarto_rendered["pdf"])
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (210, 297)
    assert reader.trailer["/Root"].get("/Lang") == "da"
    text = _pdf_text(quarto_rendered["pdf"])
    for expected in (TITLE.title, TITLE.date, TITLE.notice, "Indholdsfortegnelse",
                     f"Figur 1. {FIG1['caption']}", f"Tabel 1. {TABLE1.caption}", "1.234"):
        assert expected in text, expected


def _quarto_language_file(lang: str) -> dict:
    share = subprocess.run([require_quarto(), "--paths"], capture_output=True, text=True,
                           check=True).stdout.splitlines()[1]
    return yaml.safe_load((Path(share) / "language" / f"_language-{lang}.yml").read_text(
        encoding="utf-8"))


def test_labels_come_from_quartos_danish_file_with_the_reports_word_for_section(tmp_path):
    danish = _quarto_language_file("da")
    sektion = {key for key, value in danish.items() if "sektion" in str(value).lower()}
    assert "crossref-sec-prefix" in sektion
    assert sektion <= set(LANGUAGE)
    assert all(SECTION_WORD.lower() in LANGUAGE[key].lower() for key in sektion)
    # The report itself has no "@sec-" references (its reader treats "@" as text), so the
    # word is checked in a document that has one, under the report's own front matter.
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10">'
           '<rect width="20" height="10"/></svg>')
    figure = FigureEntry("trin", 1, "Trinene", "Tre trin", "", svg)
    doc = Document(body="# Samarbejdet {#sec-samarbejdet}\n\nSe @sec-samarbejdet og "
                        f"@fig-trin.\n\n{figure_markdown(figure)}\n",
                   metadata={"title": "Prøve"}, figures={"trin": figure})
    source = write_quarto_source(doc, tmp_path)
    meta = _front_matter(source)
    meta.pop("from")
    source.write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n\n"
                      + source.read_text(encoding="utf-8").split("\n---\n", 1)[1],
                      encoding="utf-8")
    subprocess.run([require_quarto(), "render", source.name, "--to", "html"], cwd=tmp_path,
                   capture_output=True, check=True)
    page = " ".join(report_text(tmp_path / "rapport.html").words)
    assert f"Se {SECTION_WORD} 1 og {danish['crossref-fig-title']} 1." in page, page
    assert "Sektion" not in page
    assert f"{danish['crossref-fig-title']} 1. Trinene" in page


def test_auto_engine_is_quarto_exactly_where_quarto_is_on_path(tmp_path, fake_path,
                                                                monkeypatch):
    from analysis.batch.runner import engine_for as _engine

    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert _engine("auto") == "pandoc"
    fake_path("exit 0")
    assert _engine("auto") == "quarto" and _engine("pandoc") == "pandoc"
    with pytest.raises(RenderError, match="unknown engine 'latex'"):
        _engine("latex")
