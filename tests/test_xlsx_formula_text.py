"""Text starting with ``=`` (a question text or an imported excerpt) stays text in
``tabeller.xlsx``: never a formula."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from analysis.inputs.dataset import read_text_table
from analysis.report.present import Table
from analysis.render import Document, TableEntry, write_tables_xlsx
from shipped_inputs import DATA, cli
from interview_qdpx import FORMULA, write_project_qdpx


@pytest.fixture
def project_qdpx(tmp_path) -> Path:
    return write_project_qdpx(tmp_path)


def test_text_starting_with_equals_is_never_a_formula_in_tabeller_xlsx(tmp_path, capsys,
                                                                       project_qdpx):
    imported = tmp_path / "imported"
    assert cli(capsys, "import-qdpx", project_qdpx, "--out", imported,
               "--data", DATA).returncode == 0
    excerpts = read_text_table(imported / "excerpts.csv").frame
    hostile = ['=HYPERLINK("http://example.invalid","Klik")', "=1+1", "+1+1", "-1+1",
               "@SUM(A1)", "=cmd|' /C calc'!A0"]
    questions = Table(
        ident="spoergeskema", caption="Spørgeskemaets spørgsmål", source="Kilde: kodebogen.",
        columns=("Kapitel", "Spørgsmål", "Svarmuligheder"),
        rows=tuple(("1", text, "1 = Ja; 2 = Nej") for text in hostile))
    quotes = Table.from_frame(excerpts[["tekst", "rolle"]], ident="citater", caption="=Citater",
                              source="=Kilde")
    document = Document(body="", tables=(TableEntry(questions, 1), TableEntry(quotes, 2)))

    path = write_tables_xlsx(document, tmp_path / "tabeller.xlsx")

    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) == 2
        for name in sheets:
            assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
    book = openpyxl.load_workbook(path)  # formulas would come back as "=…" with type "f"
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
             if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells)
    texts = {cell.value for cell in cells}
    assert set(hostile) <= texts  # literally, as the report shows them
    assert FORMULA in texts  # the imported excerpt
