"""The test helper that writes exports for the end-to-end tests (``survey_export_files``),
checked by opening what it writes with openpyxl, pyreadstat and plain bytes."""

from __future__ import annotations

import codecs
from pathlib import Path

import openpyxl
import pyreadstat
import pytest

from survey_export_builders import (ALL_COMPLETE, COLUMNS, KOMMUNER, STRUCTURE, TEXTS,
                                    make_frame, write_codebook)
from survey_export_files import write_export


@pytest.fixture
def codebook(tmp_path: Path) -> Path:
    return write_codebook(tmp_path)

# ---- the test helper's files, checked by opening them directly -------------------------------

def test_written_workbook_has_surveyxact_sheets(tmp_path, codebook):
    path = write_export(make_frame(ALL_COMPLETE), codebook, tmp_path / "out.xlsx", "xlsx",
                        kommune_names=KOMMUNER)

    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Dataset", "Labels", "Variables"]
    rows = [list(r) for r in book["Dataset"].iter_rows(values_only=True)]
    assert rows[0] == COLUMNS
    assert rows[2] == [12, 259, 0, 0, 0, 1, 0, 2, 8, None, 0, 0, 0]
    labels = [list(r) for r in book["Labels"].iter_rows(values_only=True)]
    assert ["kommunekode", 259, "Køge"] in labels and ["trin", 9, "Ikke besvaret"] in labels
    structure = [list(r) for r in book["Variables"].iter_rows(values_only=True)]
    assert structure[0] == STRUCTURE[0]
    assert ["forum", "forum_taktisk", "Closed", "Multiple", TEXTS["forum"], 2,
            "Taktisk niveau"] in structure


def test_written_sav_has_labels_missing_codes_and_measures(tmp_path, codebook):
    path = write_export(make_frame(ALL_COMPLETE), codebook, tmp_path / "out.sav", "sav")

    data, meta = pyreadstat.read_sav(str(path), user_missing=True)
    assert data["tilfreds"].tolist()[:2] == [4.0, 8.0]
    assert meta.column_names_to_labels["trin"] == TEXTS["trin"]
    assert meta.variable_value_labels["trin"][4.0] == "Innovative løsninger"
    assert meta.missing_ranges["har_koordinator"] == [{"lo": 8.0, "hi": 8.0},
                                                      {"lo": 9.0, "hi": 9.0}]
    assert meta.variable_measure["tilfreds"] == "ordinal"


@pytest.mark.parametrize("fmt", ["comma_cp1252", "semicolon_latin1", "tab_utf16"])
def test_written_bundle_bytes_follow_the_dialect(tmp_path, codebook, fmt):
    folder = write_export(make_frame(ALL_COMPLETE), codebook, tmp_path / fmt, fmt,
                          kommune_names=KOMMUNER)

    labels = (folder / "labels.csv").read_bytes()
    structure = (folder / "structure.csv").read_bytes()
    expected = {"comma_cp1252": b'"kommunekode",259,"K\xf8ge"\r\n',
                "semicolon_latin1": b"kommunekode;259;K\xf8ge\r\n",
                "tab_utf16": "kommunekode\t259\tKøge\r\n".encode("utf-16-le")}[fmt]
    assert expected in labels
    if fmt == "comma_cp1252":  # SurveyXact's comma dialect ends data rows with an empty field
        assert structure.split(b"\r\n")[1].endswith(b',""')
    if fmt == "tab_utf16":
        assert labels.startswith(codecs.BOM_UTF16_LE)
