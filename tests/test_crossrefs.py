"""Cross-references by label: a heading named by ``(label)=``, a link ``[kapitel %s](#label)``
numbered when the report is rendered, in both engines and both formats (the filter
``render/templates/filter/crossrefs.lua``), and in the rendered reports themselves."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import lxml.html
import pytest
from pypdf import PdfReader
from quarto_support import require_quarto

from analysis.render import Document, RenderError, render_with_quarto
from analysis.render.pandoc_typst import (HTML, LUA_FILTER, READER, TYPST, pandoc_outputs,
                                          pandoc_path, pdf_bytes)

BODY = """\
# Indledning {.unnumbered}

Rapporten har [kapitel %s](#kap-ledelse) om ledelse, [kapitel %s](#kap-helhedsplaner)
og [%s](#kap-tillid) om samarbejdet, [afsnit %s](#kap-tillid-maal) om mål og
[bilag %s](#bilag-metode) om metoden.
Se også [indledningen](#indledning).

(kap-helhedsplaner)=

# Kommuner med helhedsplaner

Tekst.

(kap-tillid)=

# Fælles forståelse og tillid

## Forskellige mål

(kap-tillid-maal)=

## Fælles mål

::: {.boks}
I en boks: [kapitel %s](#kap-helhedsplaner).
:::

# Køge Kommune i tal {.unnumbered .unlisted .local}

## Egne svar

(kap-ledelse)=

# Kommunal ledelse

# Bilag {.unnumbered}

(bilag-cases)=

## Casekommunerne

(bilag-metode)=

## Data og metode
"""


def _html_links(html: str) -> dict[str, list[str]]:
    links: dict[str, list[str]] = {}
    for a in lxml.html.fromstring(html).xpath("//a[starts-with(@href, '#')][not(ancestor::nav)]"):
        links.setdefault(a.get("href")[1:], []).append(" ".join(a.text_content().split()))
    return links


def _numbers(html: str) -> dict[str, str]:
    return {h.get("id"): h.get("data-number")
            for h in lxml.html.fromstring(html).xpath("//*[@data-number]")}


@pytest.fixture(scope="module")
def outputs() -> dict[str, str]:
    return pandoc_outputs(Document(body=BODY, metadata={"title": "T"}), [HTML, TYPST])


def test_a_reference_gets_the_number_the_heading_prints(outputs):
    html = outputs[HTML]
    numbers = _numbers(html)

    assert _html_links(html) == {
        "kap-ledelse": ["kapitel 3"], "kap-helhedsplaner": ["kapitel 1", "kapitel 1"],
        "kap-tillid": ["2"], "kap-tillid-maal": ["afsnit 2.2"], "bilag-metode": ["bilag 2"],
        "indledning": ["indledningen"]}
    # the numbers are those the headings print: chapters after a municipal panel count on
    # (and a label may hold a word the report hyphenates at listed points)
    assert (numbers["kap-helhedsplaner"], numbers["kap-tillid"], numbers["kap-tillid-maal"],
            numbers["kap-ledelse"]) == ("1", "2", "2.2", "3")
    assert "%s" not in html and "(kap-" not in html


def test_an_appendix_is_numbered_in_its_own_series(outputs):
    page = lxml.html.fromstring(outputs[HTML])

    assert [" ".join(h.text_content().split()) for h in page.xpath("//*[@id='bilag-cases' or "
                                                                   "@id='bilag-metode']")] == \
        ["Bilag 1. Casekommunerne", "Bilag 2. Data og metode"]


def test_the_pdf_links_each_reference_to_its_heading(outputs):
    typst = outputs[TYPST]

    assert "#link(<kap-ledelse>)[kapitel 3]" in typst
    assert "#link(<bilag-metode>)[bilag 2]" in typst
    assert re.search(r"Kommunal ledelse\]?\n<kap-ledelse>", typst)
    assert "%s" not in typst


def test_the_pdf_prints_the_numbers():
    doc = Document(body=BODY, metadata={"title": "T"})
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes(doc))).pages)

    assert "kapitel 3 om ledelse" in " ".join(text.split())
    assert "bilag 2" in text and "Bilag 2. Data og metode" in " ".join(text.split())


@pytest.mark.parametrize("body, message", [
    ("# A\n\nSe [kapitel %s](#kap-x).", "no heading of the report has that label"),
    ("# A {.unnumbered}\n\n# B\n\nSe [kapitel %s](#a).", "that heading has none"),
    ("(kap-x)=\n\nTekst.", "names no heading"),
])
def test_a_reference_that_cannot_be_numbered_stops_the_render(body, message):
    with pytest.raises(RenderError, match=re.escape(message)):
        pandoc_outputs(Document(body=body), [HTML])


def test_quarto_gets_the_same_numbers_from_the_same_filter(tmp_path):
    # Quarto runs the shared filter on the markdown (quarto.py's ``filters:``), on headings
    # shifted one level down in HTML: pandoc's command line does the same
    source = tmp_path / "rapport.md"
    source.write_text(BODY, encoding="utf-8")
    html = subprocess.run(
        [pandoc_path(), "--from", READER, "--to", "html5", "--number-sections",
         "--shift-heading-level-by=1", "--lua-filter", str(LUA_FILTER), str(source)],
        capture_output=True, text=True, check=True).stdout

    assert _html_links(html)["kap-ledelse"] == ["kapitel 3"]
    assert _numbers(html)["kap-ledelse"] == "3"


def test_quarto_renders_the_references(tmp_path):
    require_quarto()
    written = render_with_quarto(Document(body=BODY, metadata={"title": "T"}), tmp_path)
    html = written["html"].read_text(encoding="utf-8")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(written["pdf"]).pages).split())

    assert _html_links(html)["kap-ledelse"] == ["kapitel 3"]
    assert _html_links(html)["bilag-metode"] == ["bilag 2"]
    assert "kapitel 3 om ledelse" in text and "%s" not in text


# --- the rendered reports ------------------------------------------------------------------

@pytest.mark.e2e
@pytest.mark.parametrize("key", ["national", "koege"])
def test_the_reports_refer_to_chapters_by_their_numbers(reports, key):
    report = reports[key]
    html = report.html.read_text(encoding="utf-8")
    page = lxml.html.fromstring(html)
    numbers = {h.get("id"): h.get("data-number") for h in page.xpath("//*[@data-number]")}
    appendices = {h.get("id"): " ".join(h.text_content().split())
                  for h in page.xpath("//*[starts-with(@id, 'bilag-')]")}
    links = _html_links(html)

    chapters = {label: texts for label, texts in links.items() if label.startswith("kap-")}
    assert chapters, "the report refers to no chapter by its label"
    for label, texts in chapters.items():
        assert all(re.fullmatch(rf"(?:[Kk]apitel )?{numbers[label]}", t) for t in texts), \
            (label, texts)
    for label, texts in links.items():
        if label.startswith("bilag-"):
            number = re.match(r"Bilag (\d+)\.", appendices[label]).group(1)
            assert all(t.lower() == f"bilag {number}" for t in texts), (label, texts)
    assert "%s" not in page.text_content()
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "the e2e tests need poppler-utils (pdftotext)"
    text = " ".join(subprocess.run([pdftotext, "-enc", "UTF-8", str(report.pdf), "-"],
                                   capture_output=True, text=True, check=True).stdout.split())
    assert "%s" not in text
    label, texts = next(iter(chapters.items()))
    assert texts[0] in text
