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


def _plain(text: str) -> str:
    """Text with its non-breaking spaces (the filter binds »kapitel 3«: spaces.lua; in typst
    source ``~``) as plain ones."""
    return text.replace("\u00a0", " ").replace("~", " ")


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
    typst = _plain(outputs[TYPST])

    assert "#link(<kap-ledelse>)[kapitel 3]" in typst
    assert "#link(<bilag-metode>)[bilag 2]" in typst
    assert re.search(r"Kommunal ledelse\]?\n<kap-ledelse>", typst)
    assert "%s" not in typst


def test_the_pdf_prints_the_numbers():
    doc = Document(body=BODY, metadata={"title": "T"})
    text = _plain(" ".join(page.extract_text()
                           for page in PdfReader(io.BytesIO(pdf_bytes(doc))).pages))

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


# --- figures and tables -----------------------------------------------------------------------

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="80">'
       '<rect width="200" height="80" fill="#0072b2"/></svg>')


def _output(obj):
    from IPython.core.formatters import format_display_data
    from nbformat.v4 import new_output

    data, metadata = format_display_data(obj)
    return new_output("display_data", data=data, metadata=metadata)


def _code(obj):
    from nbformat.v4 import new_code_cell

    cell = new_code_cell("x")
    cell.outputs = [_output(obj)]
    return cell


def _figure(ident: str):
    from analysis.report.present import Figure

    return _code(Figure(svg=SVG, ident=ident, caption="", source="Spørgeskemaet"))


def _table(ident: str):
    from analysis.report.present import Table

    return _code(Table(ident=ident, caption="", source="Registrene", columns=("Region", "Antal"),
                       rows=(("Hovedstaden", "12"), ("Sjælland", "7"))))


def _notebooks(reference: str = "[figur %s](#fig-tid)", value: str = "[tabel %s](#tbl-egne)"):
    """Two executed notebooks, as the executor leaves them: figures and tables with labelled
    caption cells, references written in a cell and one printed by a value (resolved, so
    escaped as every value is)."""
    from nbformat.v4 import new_markdown_cell, new_notebook

    from analysis.report import inline

    def md(text):
        return new_markdown_cell(text)

    front = new_notebook(cells=[
        md("# Indledning {.unnumbered}"),
        md(f"Tiden står i {reference}, og regionerne i [tabel %s](#tbl-regioner) og "
           "[%s](#tbl-egne)."),
        md(inline.resolve("Kommunens egne svar står i {eval}`own.where`. {eval}`own.more`",
                          {"own.where": value,
                           "own.more": "Mere om tiden i [kapitel %s](#kap-helhedsplaner)."})),
        _table("oversigt"), md("(tbl-oversigt)=\n\nTabel: Oversigt"),
    ])
    chapter = new_notebook(cells=[
        md("(kap-helhedsplaner)=\n\n# Kommuner med helhedsplaner"),
        _figure("samarbejdsflade"), md("Figur: Samarbejdsfladen"), md("Beskrivelse: Et diagram."),
        _table("regioner"), md("(tbl-regioner)=\n\nTabel: Kommuner fordelt på regioner"),
        _figure("tid"), md("Beskrivelse: Søjler for regionerne i [tabel %s](#tbl-regioner)."),
        md("(fig-tid)=\n\nFigur: Tid til koordinering"),
        md("Se også [Figur %s](#fig-tid) og [kapitel %s](#kap-helhedsplaner)."),
        _table("egne-svar-1"), md("(tbl-egne)=\n\nTabel: Kommunens svar"),
    ])
    return [front, chapter]


@pytest.fixture(scope="module")
def numbered_doc():
    from analysis.render import assemble

    return assemble(_notebooks())


def test_a_reference_to_a_figure_or_table_gets_the_number_its_caption_prints(numbered_doc):
    html = pandoc_outputs(numbered_doc, [HTML])[HTML]
    page = lxml.html.fromstring(html)
    captions = {el.get("id"): " ".join(el.xpath("string(.//figcaption | .//caption)").split())
                for el in page.xpath("//figure[@id] | //table[@id]")}

    # the labels are the ids: the figure drawn second is figur 2, the table in the chapter's
    # end tabel 3, whatever the code calls it
    assert captions["fig-tid"] == "Figur 2. Tid til koordinering"
    assert captions["tbl-oversigt"].startswith("Tabel 1.")
    assert captions["tbl-regioner"].startswith("Tabel 2.")
    assert captions["tbl-egne"].startswith("Tabel 3.")
    assert captions["fig-samarbejdsflade"].startswith("Figur 1.")     # no label: the code's id
    assert _html_links(html) == {
        "fig-tid": ["figur 2", "Figur 2"], "tbl-regioner": ["tabel 2"],
        "tbl-egne": ["3", "tabel 3"], "kap-helhedsplaner": ["kapitel 1", "kapitel 1"]}
    assert "%s" not in html and "(fig-tid)=" not in html and "(tbl-" not in html
    # a description that refers to a table: the alt text has its number
    assert [_plain(alt) for alt in page.xpath("//figure[@id='fig-tid']//img/@alt")] == [
        "Søjler for regionerne i tabel 2."]


def test_the_pdf_prints_and_links_the_numbers(numbered_doc):
    typst = _plain(pandoc_outputs(numbered_doc, [TYPST])[TYPST])
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(
        io.BytesIO(pdf_bytes(numbered_doc))).pages).split())

    assert "#link(<fig-tid>)[figur 2]" in typst and "#link(<tbl-egne>)[tabel 3]" in typst
    assert re.search(r"\)<fig-tid>", typst) and re.search(r"\]<tbl-egne>", typst)
    assert "Tiden står i figur 2, og regionerne i tabel 2 og 3." in text
    # a value's links: to a table, numbered by the assembler, to a chapter by the filter
    assert "Kommunens egne svar står i tabel 3. Mere om tiden i kapitel 1." in text
    assert "Figur 2. Tid til koordinering" in text and "Tabel 3. Kommunens svar" in text
    assert "%s" not in text


@pytest.mark.parametrize("reference, value, message", [
    ("[figur %s](#fig-tiden)", "[tabel %s](#tbl-egne)",
     "a reference to #fig-tiden ('figur %s'), but no figure of this report has that label; "
     "its figures and tables: tbl-oversigt, fig-samarbejdsflade, tbl-regioner, fig-tid, "
     "tbl-egne"),
    # a value's reference to a table the report does not have (a municipal one, say)
    ("[figur %s](#fig-tid)", "[tabel %s](#tbl-egne-svar-6)",
     "a reference to #tbl-egne-svar-6 ('tabel %s'), but no table of this report"),
])
def test_a_reference_to_a_figure_the_report_does_not_have_stops_the_render(reference, value,
                                                                             message):
    from analysis.render import assemble

    with pytest.raises(RenderError, match=re.escape(message)):
        assemble(_notebooks(reference, value))


def test_a_caption_whose_figure_is_not_drawn_is_left_out_and_a_reference_to_it_stops():
    # A municipal table for a question the municipality did not answer draws nothing: its
    # caption goes with it, and a reference to its label cannot be given a number.
    from nbformat.v4 import new_markdown_cell, new_notebook

    from analysis.render import assemble

    nb = new_notebook(cells=[new_markdown_cell("Før."),
                             new_markdown_cell("(fig-tid)=\n\nFigur: Tiden brugt"),
                             new_markdown_cell("Efter.")])
    markdown = assemble([nb]).body
    assert "Før." in markdown and "Efter." in markdown and "Tiden brugt" not in markdown
    nb.cells.append(new_markdown_cell("Se [figur %s](#fig-tid)."))
    with pytest.raises(RenderError, match=re.escape("a reference to #fig-tid")):
        assemble([nb])
    nb = new_notebook(cells=[_figure("tid"), new_markdown_cell("Beskrivelse: Søjler."),
                             new_markdown_cell("(tbl-tid)=\n\nFigur: Tid")])
    with pytest.raises(RenderError, match=re.escape("the label (tbl-tid)= of Figur 1 must "
                                                    "start with 'fig-'")):
        assemble([nb])


def test_quarto_renders_the_figure_references(tmp_path, numbered_doc):
    require_quarto()
    written = render_with_quarto(numbered_doc, tmp_path)
    html = written["html"].read_text(encoding="utf-8")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(written["pdf"]).pages).split())

    assert _html_links(html)["fig-tid"] == ["figur 2", "Figur 2"]
    assert lxml.html.fromstring(html).xpath("//*[@id='fig-tid']")
    # Quarto numbers the figures and tables itself, in the same order
    assert "Figur 2. Tid til koordinering" in text
    assert "Tiden står i figur 2, og regionerne i tabel 2 og 3." in text


@pytest.mark.e2e
@pytest.mark.parametrize("key", ["national", "koege", "hoersholm"])
def test_the_reports_refer_to_figures_and_tables_by_their_numbers(reports, key):
    report = reports[key]
    page = lxml.html.fromstring(report.html.read_text(encoding="utf-8"))
    captions = {el.get("id"): " ".join(el.xpath("string(.//figcaption | .//caption)")
                                       .replace("\u00ad", "").split())
                for el in page.xpath("//figure[@id] | //table[@id]")}
    references = [(a.get("href")[1:], " ".join(a.text_content().replace("\u00ad", "").split()))
                  for a in page.xpath("//a[starts-with(@href, '#fig-') or "
                                      "starts-with(@href, '#tbl-')]")]

    assert references, "the report refers to no figure or table by its label"
    for label, text in references:
        number = re.match(r"(?:Figur|Tabel) (\d+)\.", captions[label]).group(1)
        word = "figur" if label.startswith("fig-") else "tabel"
        assert re.fullmatch(rf"(?:{word} |{word.title()} )?{number}", text), (label, text)
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "the e2e tests need poppler-utils (pdftotext)"
    text = " ".join(subprocess.run([pdftotext, "-enc", "UTF-8", str(report.pdf), "-"],
                                   capture_output=True, text=True, check=True).stdout
                    .replace("\u00ad", "").split())
    for label, _ in references:       # the PDF's captions carry the same numbers
        assert captions[label][:40] in text, label
