"""The default engine: self-contained HTML, A4 PDF via typst, the tables workbook."""

from __future__ import annotations

import re
import subprocess
import zipfile
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from render_notebooks import ALT, FIG1, FIG2, LINKS, TITLE

from analysis.render import RenderError, write_html, write_pdf, write_tables_xlsx
from analysis.render.assemble import FigureEntry
from analysis.render.xlsx import parse_danish_number


class _Collect(HTMLParser):
    """Start tags with their attributes, and the text of every element."""

    VOID = frozenset({"img", "meta", "br", "hr", "link", "input"})

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: dict[str, list[str]] = {}
        self._open: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag not in self.VOID:
            self._open.append((tag, []))

    def handle_endtag(self, tag):
        while self._open:
            name, parts = self._open.pop()
            self.text.setdefault(name, []).append(re.sub(r"\s+", " ", "".join(parts)).strip())
            if name == tag:
                break

    def handle_data(self, data):
        for _, parts in self._open:
            parts.append(data)

    def texts(self, tag: str) -> list[str]:
        return self.text.get(tag, [])

    def joined(self, tag: str) -> str:
        return " ".join(self.texts(tag))

    def attrs(self, tag: str) -> list[dict[str, str]]:
        return [a for t, a in self.tags if t == tag]


@pytest.fixture(scope="module")
def html_text(rendered) -> str:
    return rendered["html"].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def parsed(html_text) -> _Collect:
    collector = _Collect()
    collector.feed(html_text.replace("\u00ad", ""))   # soft hyphens: test_render_hyphenation
    return collector


@pytest.fixture(scope="module")
def pdf_text(rendered) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(rendered["pdf"]), "-"],
                         capture_output=True, check=True)
    return re.sub(r"\s+", " ", out.stdout.decode("utf-8").replace("\u00ad", ""))


# --- HTML -------------------------------------------------------------------------------

def test_html_is_danish_with_title_block_and_highlighted_notice(parsed):
    assert parsed.attrs("html")[0]["lang"] == "da"
    header = parsed.joined("header")
    for value in (TITLE.title, TITLE.subtitle, TITLE.date, TITLE.notice):
        assert value in header
    notice = [a for a in parsed.attrs("p") if a.get("class") == "notice"]
    assert notice, "the notice has its own highlighted element"


def test_html_images_use_alt_text_not_caption(parsed):
    alts = [a["alt"] for a in parsed.attrs("img")]
    assert alts == [ALT[FIG1["ident"]], ALT[FIG2["ident"]]]
    assert all(a["src"].startswith("data:image/svg+xml;base64,") for a in parsed.attrs("img"))
    assert parsed.texts("figcaption") == ["Figur 1. Helhedsplaner pr. region",
                                          "Figur 2. Samarbejdstrappen"]


def test_html_tables_have_caption_and_header_cells(parsed):
    assert parsed.texts("caption") == ["Tabel 1. Antal helhedsplaner", "Tabel 2. Roller"]
    assert parsed.texts("th") == ["Kommune", "Antal", "Andel", "Niveau", "Rolle"]


def test_html_toc_and_numbering_leave_front_matter_unnumbered(parsed, html_text):
    assert "Indholdsfortegnelse" in parsed.joined("nav")
    # The title is the only <h1>; chapters are <h2>, sections <h3>, numbered as in the PDF.
    h2 = {a.get("id"): a for a in parsed.attrs("h2")}
    assert h2["indledning"].get("class") == "unnumbered"
    assert h2["kommuner-med-helhedsplaner"]["data-number"] == "1"
    assert h2["samarbejdet"]["data-number"] == "2"
    h3 = {a.get("id"): a for a in parsed.attrs("h3")}
    assert "data-number" not in h3["om-rapporten"]
    assert h3["udbredelse"]["data-number"] == "1.1"


def test_html_title_is_the_only_h1_and_toc_lists_chapters_and_sections(parsed):
    assert [a.get("class") for a in parsed.attrs("h1")] == ["title"]
    toc = [a["href"] for a in parsed.attrs("a") if a.get("id", "").startswith("toc-")]
    assert toc == ["#indledning", "#om-rapporten", "#kommuner-med-helhedsplaner",
                   "#udbredelse", "#samarbejdet"]


def test_html_danish_quotes(html_text):
    assert "bygger på »data« fra Ærø, Åbenrå og Søllerød" in html_text
    assert "et „fælles sprog“." in html_text


def test_html_download_bar_links(parsed):
    hrefs = [a["href"] for a in parsed.attrs("a") if not a["href"].startswith("#")]
    assert hrefs == list(LINKS.values())
    assert "Tabeller (xlsx)" in parsed.joined("nav")


def test_html_requests_nothing_from_other_hosts(html_text, parsed):
    assert not re.search(r"""(src|href|action)\s*=\s*["']?\s*(https?:)?//""", html_text, re.I)
    assert not re.search(r"url\(\s*['\"]?\s*(https?:)?//", html_text, re.I)
    assert not parsed.attrs("script") and not parsed.attrs("link")
    assert "mathjax" not in html_text.lower()


# --- PDF --------------------------------------------------------------------------------

def test_pdf_is_a4_with_title_and_language(rendered):
    reader = PdfReader(rendered["pdf"])
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == \
            (595, 842)
    assert reader.metadata.title == TITLE.title
    assert reader.trailer["/Root"]["/Lang"] == "da-DK"


def test_pdf_has_numbered_figures_tables_and_danish_letters(pdf_text):
    for text in ("Figur 1. Helhedsplaner pr. region", "Figur 2. Samarbejdstrappen",
                 "Tabel 1. Antal helhedsplaner", "Tabel 2. Roller", "Indholdsfortegnelse",
                 "Kilde: Spørgeskema 2015", TITLE.notice, "Ærø, Åbenrå og Søllerød",
                 "»data«", "„fælles sprog“", "1 Kommuner med helhedsplaner",
                 "1.1 Udbredelse", "2 Samarbejdet"):
        assert text in pdf_text, text
    # typst's own numbering is off: no doubled "Figur 1: Figur 1." and no "Figure".
    assert "Figure" not in pdf_text and "Figur 1: " not in pdf_text
    assert "0.1" not in pdf_text and "1 Indledning" not in pdf_text


def test_pdf_has_page_numbers(rendered):
    reader = PdfReader(rendered["pdf"])
    last = reader.pages[-1].extract_text().split()
    assert last[-1] == str(len(reader.pages))


# --- reproducibility and atomic writes --------------------------------------------------

def test_repeat_render_is_byte_identical(document, rendered, tmp_path):
    again = {"html": write_html(document, tmp_path / "r.html", links=LINKS),
             "pdf": write_pdf(document, tmp_path / "r.pdf"),
             "xlsx": write_tables_xlsx(document, tmp_path / "t.xlsx")}
    for kind, path in again.items():
        assert path.read_bytes() == rendered[kind].read_bytes(), kind


def test_pdf_date_follows_source_date_epoch(document, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1448928000")  # 2015-12-01T00:00:00Z
    first = write_pdf(document, tmp_path / "a.pdf").read_bytes()
    assert b"D:20151201000000" in first
    assert write_pdf(document, tmp_path / "b.pdf").read_bytes() == first


def test_no_temporary_files_are_left_behind(rendered):
    names = sorted(p.name for p in Path(rendered["dir"]).iterdir())
    assert names == ["rapport.html", "rapport.pdf", "tabeller.xlsx"]


def test_failed_render_keeps_the_previous_file(document, tmp_path):
    target = tmp_path / "rapport.pdf"
    target.write_bytes(b"old")
    broken = dict(document.figures)
    key = FIG1["ident"]
    broken[key] = FigureEntry(**{**broken[key].__dict__, "svg": "<svg not really"})
    with pytest.raises(RenderError, match="typst failed"):
        write_pdf(replace(document, figures=broken), target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["rapport.pdf"]


# --- tables workbook --------------------------------------------------------------------

def test_xlsx_has_one_sheet_per_table_with_caption_and_source(rendered):
    book = load_workbook(rendered["xlsx"])
    assert book.sheetnames == ["Tabel 1", "Tabel 2"]
    sheet = book["Tabel 1"]
    assert sheet["A1"].value == "Tabel 1. Antal helhedsplaner"
    assert sheet["A2"].value == "Kilde: Landsbyggefonden"
    assert [c.value for c in sheet[4]] == ["Kommune", "Antal", "Andel"]
    assert sheet["A9"].value == "Anm.: Tallene er syntetiske."


def test_xlsx_never_stores_formulas(rendered):
    sheet = load_workbook(rendered["xlsx"])["Tabel 1"]
    expected = {"A6": "=SUM(A1)", "B6": "+45", "A7": "@cmd", "B7": "-foo", "C7": "0101"}
    for ref, value in expected.items():
        assert sheet[ref].data_type == "s", ref
        assert sheet[ref].value == value, ref
    with zipfile.ZipFile(rendered["xlsx"]) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert not any(b"<f>" in xml or b"<f " in xml for xml in sheets)


def test_xlsx_danish_numbers_become_numbers(rendered):
    sheet = load_workbook(rendered["xlsx"])["Tabel 1"]
    assert (sheet["B5"].value, sheet["B5"].number_format) == (1234, "#,##0")
    assert (sheet["C5"].value, sheet["C5"].number_format) == (0.636, "0.0%")
    assert sheet["C6"].value == -3


def test_xlsx_zip_entries_have_fixed_dates(rendered):
    with zipfile.ZipFile(rendered["xlsx"]) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


@pytest.mark.parametrize("text, expected", [
    ("1.234", (1234, "#,##0")), ("63,6 %", (0.636, "0.0%")), ("63,6\u00a0%", (0.636, "0.0%")),
    ("12 %", (0.12, "0%")), ("2,50", (2.5, "#,##0.00")), ("-3", (-3, "#,##0")),
    ("0101", None), ("1.23", None), ("+45", None), ("Køge", None), ("", None),
])
def test_parse_danish_number(text, expected):
    assert parse_danish_number(text) == expected


def test_pdf_title_page_date_is_text_not_a_numbered_list(document, tmp_path, pdf_text):
    """"1. december 2015" at the start of a typst markup line would become an enum item
    (printed as a list, "1.  december 2015")."""
    import json

    import typst

    from analysis.render.pandoc_typst import typst_source, write_figures

    write_figures(document, tmp_path)
    main = tmp_path / "report.typ"
    main.write_text(typst_source(document), encoding="utf-8")
    kwargs = dict(root=str(tmp_path), font_paths=[], ignore_system_fonts=True)
    assert json.loads(typst.query(str(main), "enum", **kwargs)) == []
    assert TITLE.date in pdf_text
