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
