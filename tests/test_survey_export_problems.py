"""A broken survey export is a problem naming the file, row and column, never a traceback."""

from __future__ import annotations

import csv

import openpyxl
import pytest

from analysis.core.problems import InputError
from analysis.inputs.survey_exports import read_export
from survey_export_builders import STATUS, build_bundle, build_xlsx

# ---- bad input ------------------------------------------------------------------------------

def test_broken_cell_in_xlsx_names_row_and_column(tmp_path):
    # Arrange: respondent 13 is the third data row -> row 4; tilfreds is column 9 (I)
    path = build_xlsx(tmp_path / "survey.xlsx")
    book = openpyxl.load_workbook(path)
    assert book["Dataset"]["I1"].value == "tilfreds"
    book["Dataset"]["I4"] = "fire"
    book.save(path)

    # Act
    with pytest.raises(InputError) as error:
        read_export(path)

    # Assert
    [problem] = error.value.problems
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "survey.xlsx (sheet Dataset)", 4, "tilfreds", "fire")
    assert "whole-number answer code" in problem.expected and "4 = Tilfreds" in problem.expected


def test_broken_cell_in_csv_names_row_and_column(tmp_path):
    # Arrange: respondent 12 is the second data line -> row 3; har_koordinator is field 8
    folder = build_bundle(tmp_path / "bundle", "semicolon_latin1")
    dataset = folder / "dataset.csv"
    rows = list(csv.reader(dataset.read_text(encoding="latin-1").splitlines(), delimiter=";"))
    rows[2][7] = "1,5"
    with dataset.open("w", encoding="latin-1", newline="") as handle:
        csv.writer(handle, delimiter=";", lineterminator="\r\n").writerows(rows)

    # Act
    with pytest.raises(InputError) as error:
        read_export(folder)

    # Assert
    [problem] = error.value.problems
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "bundle/dataset.csv", 3, "har_koordinator", "1,5")


def test_missing_dataset_sheet_is_a_problem(tmp_path):
    path = tmp_path / "wrong.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Ark1"
    book.save(path)

    with pytest.raises(InputError) as error:
        read_export(path)

    [problem] = error.value.problems
    assert problem.file == "wrong.xlsx" and "'Dataset'" in problem.expected
    assert "Ark1" in problem.expected


def test_missing_bundle_member_is_a_problem(tmp_path):
    folder = build_bundle(tmp_path / "bundle", "comma_cp1252")
    (folder / "labels.csv").unlink()

    with pytest.raises(InputError) as error:
        read_export(folder)

    [problem] = error.value.problems
    assert (problem.file, problem.value) == ("bundle", "labels.csv")


def test_undecodable_file_is_a_problem(tmp_path):
    # Arrange: 0x81 is neither valid UTF-8 nor defined in Windows-1252
    folder = build_bundle(tmp_path / "bundle", "comma_cp1252")
    (folder / "dataset.csv").write_bytes(b"respondentid,kommunekode\r\n11,K\x81ge\r\n")

    with pytest.raises(InputError) as error:
        read_export(folder)

    [problem] = error.value.problems
    assert (problem.file, problem.row, problem.value) == ("bundle/dataset.csv", 2, "byte 0x81")


def test_workbook_with_other_header_names_and_text_columns(tmp_path):
    # Arrange: a hand-made workbook with a Labels header row in capitals, a 'Structure' sheet
    # with short header names, a system column and an open text answer.
    path = tmp_path / "hand.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Dataset"
    for row in [["respondentid", "kommunekode", *STATUS, "statcreation_1", "har_koordinator",
                 "kommentar"],
                [7, 259, 0, 0, 0, 1, 0, "2015-03-01", 1, "Godt samarbejde"],
                [None] * 10,  # a blank row is skipped but keeps the numbering
                [8, "47", 0, 0, 0, 1, 0, "2015-03-02", "2", None]]:
        book.active.append(row)
    labels = book.create_sheet("Labels")
    for row in [["VARIABLE", "Value", "Label"], ["har_koordinator", 1, "Ja "],
                ["har_koordinator", 2, "Nej"]]:
        labels.append(row)
    structure = book.create_sheet("Structure")
    for row in [["Variable", "Text"], ["har_koordinator", "Har kommunen en koordinator?"]]:
        structure.append(row)
    book.save(path)

    # Act
    result = read_export(path)

    # Assert
    assert list(result.frame.columns) == ["respondentid", "kommunekode", *STATUS,
                                          "har_koordinator"]
    assert result.frame["kommunekode"].tolist() == ["259", "047"]
    assert result.frame["har_koordinator"].tolist() == [1, 2]
    assert result.labels["har_koordinator"] == {1: "Ja", 2: "Nej"}
    assert result.questions == {"har_koordinator": "Har kommunen en koordinator?"}
    assert any("statcreation_1" in note for note in result.notes)
    assert any("kommentar" in note for note in result.notes)
