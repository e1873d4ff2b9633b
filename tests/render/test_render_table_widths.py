"""Table columns in the PDF are at least as wide as their longest word, so no word of a header
or a cell runs into the next column (a municipal panel's table, with a bold header word wider
than the column's longest answer)."""

from __future__ import annotations

import subprocess
from collections import defaultdict

import pytest
from lxml import etree

from analysis.render import pandoc_typst
from analysis.render.assemble import Document

ROWS = [
    ("Har en boligsocial koordinator", "Ja", "Ja", "90 %", "41", "100 %"),
    ("Ugentlig tid til koordinering", "Mellem halvtid og fuldtid",
     "En fuldtidsstilling eller mere end en fuldtidsstilling", "26 %", "38", "44 %"),
    ("Tilfredshed med den administrative ledelses prioritering", "Tilfreds",
     "Tilfreds eller meget tilfreds", "55 %", "38", "56 %"),
]
MARKDOWN = "\n".join([
    "# Kommuner med helhedsplaner", "", "Indledning.", "", "## Køge Kommune {.local}", "",
    ":::: {.tabel}", "",
    "| Spørgsmål | Kommunens svar | Andelen, der svarer | Hele landet | N | Store kommuner |",
    "|:--|--:|--:|--:|--:|--:|",
    *("| " + " | ".join(row) + " |" for row in ROWS),
    "", ": Tabel 1. Køge Kommunes svar {#tbl-svar}", "", "::::", ""])


@pytest.fixture(scope="module")
def words(tmp_path_factory) -> list[tuple[str, float, float, tuple[int, float]]]:
    """Every word of the PDF: text, left, right, (page, baseline) (pdftotext)."""
    pdf = tmp_path_factory.mktemp("widths") / "tabel.pdf"
    pdf.write_bytes(pandoc_typst.pdf_bytes(
        Document(body=MARKDOWN, metadata={"title": "Rapport", "kommune": "Køge Kommune"})))
    xhtml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                           check=True).stdout
    tree = etree.fromstring(xhtml, etree.XMLParser(recover=True))
    return [(w.text, float(w.get("xMin")), float(w.get("xMax")),
             (number, round(float(w.get("yMax")))))
            for number, page in enumerate(tree.iter("{*}page"))
            for w in page.iter("{*}word")]


def test_the_table_is_in_the_pdf(words):
    texts = [w[0] for w in words]
    assert "Kommunens" in texts and "fuldtidsstilling" in texts and "Andelen," in texts


def test_no_word_runs_into_the_next_one_on_its_line(words):
    lines = defaultdict(list)
    for text, left, right, line in words:
        lines[line].append((left, right, text))
    for (page, baseline), line in lines.items():
        line.sort()
        for (_, right, text), (left, _, after) in zip(line, line[1:]):
            assert right <= left + 0.5, \
                f"{text!r} runs into {after!r} (page {page + 1}, line at {baseline} pt)"


def test_a_bold_header_word_keeps_clear_of_the_next_column(words):
    # columns are 10 pt apart (each cell's inset); a space between two words is about 2.5 pt
    header = {text: (left, right) for text, left, right, _ in words
              if text in ("Kommunens", "Andelen,")}
    assert header["Andelen,"][0] - header["Kommunens"][1] >= 6


# A number keeps the word after it on its line in a table's cells (»30 procentpoint«), in the
# PDF and the HTML; the column is measured with the two as one text.
NUMBERS = "\n".join([
    ":::: {.tabel}", "",
    "| Sammenligning | Forskel | Vurdering |", "|:--|:--|:--|",
    "| Fuldtid eller mere | 30 procentpoint (1 til 57) | større end tilfældig variation |",
    "| Kommuner med under 4.000 beboere | 38 (16 store, 22 små) | kan ikke skelnes |",
    "", ": Tabel 4. Test", "", "::::", ""])


def test_a_number_and_the_word_after_it_stay_together_in_a_table():
    doc = Document(body=NUMBERS, metadata={"title": "Rapport"})
    source = pandoc_typst.typst_source(doc)
    nbsp = "\u00a0"
    body = source[source.index("#kpb-tabel("):]
    for bound in ("30 procentpoint", "(1 til", "(16 store,", "22 små)", "4.000 beboere"):
        assert bound.replace(" ", nbsp) in body or bound.replace(" ", "~") in body, bound
    least = body[body.index("  least: "):body.index("\n", body.index("  least: "))]
    assert "procentpoint" in least and ("30" + nbsp + "procentpoint" in least
                                       or "30~procentpoint" in least)
    html = pandoc_typst.html_bytes(doc).decode("utf-8")
    assert ("30" + nbsp + "procentpoint" in html) or ("30&nbsp;procentpoint" in html)
    # and not in the text around the table
    text = pandoc_typst.typst_source(Document(body="Forskellen er 30 procentpoint.\n",
                                              metadata={"title": "Rapport"}))
    assert "30 procentpoint" in text


# A short verdict stands on at most two lines where a long text column can take the lines
# instead (bilag 2's tables of tests), in the PDF and the HTML; a short cell (»16 + 22«) on one.
VERDICTS = "\n".join([
    ":::: {.tabel}", "",
    "| Sammenligning | N | Forskel (95 %-interval) | p-værdi | Vurdering |",
    "|:--|:--|:--|:--|:--|",
    "| Tilfredse eller meget tilfredse med den administrative ledelse: 4.000 beboere og "
    "derover mod under 4.000 | 16 + 22 | 1 procentpoint (−30 til 32) | p = 0,92 "
    "| kan ikke skelnes fra tilfældig variation |",
    "| Fuldtid eller mere til koordinering: 4.000 beboere og derover mod under 4.000 "
    "| 16 + 22 | 30 procentpoint (1 til 57) | p = 0,040 | signifikant, men skrøbelig |",
    "", ": Tabel 4. Statistiske test", "", "::::", ""])


def test_a_short_verdict_takes_at_most_two_lines(tmp_path):
    doc = Document(body=VERDICTS, metadata={"title": "Rapport"})
    pdf = tmp_path / "tabel.pdf"
    pdf.write_bytes(pandoc_typst.pdf_bytes(doc))
    xhtml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                           check=True).stdout
    tree = etree.fromstring(xhtml, etree.XMLParser(recover=True))
    words = [(w.text, round(float(w.get("yMax")))) for w in tree.iter("{*}word")]
    lines = {y for text, y in words if text in ("kan", "ikke", "skelnes", "fra", "tilfældig",
                                                 "variation")}
    assert 1 <= len(lines) <= 2, lines
    assert {y for text, y in words if text == "16"} == {y for text, y in words if text == "22"}
    html = pandoc_typst.html_bytes(doc).decode("utf-8")
    verdict = html[:html.index("kan ikke skelnes")]
    assert "min-width" in verdict[verdict.rindex("<td"):]
    short = html[:html.index("16 + 22")]
    assert 'class="hel"' in short[short.rindex("<td"):]
