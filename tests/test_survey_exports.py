"""Tests for reading and writing survey exports (SurveyXact xlsx / csv bundle, SPSS .sav).

Every fixture is written at test time into tmp_path from a tiny hand-written codebook and frame;
expected values are worked out by hand in the comments.
"""

from __future__ import annotations

import codecs
import csv
import struct
from pathlib import Path

import openpyxl
import pandas as pd
import pyreadstat
import pytest
import yaml

from analysis.problems import InputError
from analysis.survey_exports import draft_codebook, read_export, write_export

CODEBOOK = """\
survey:
  title: "Testskema"
  id_column: respondentid
  kommune_column: kommunekode
  completion_column: statoverall_4
  completed_code: 1
questions:
  - id: har_koordinator
    chapter: 1
    type: single
    text: "Har kommunen udpeget en koordinator?"
    short: "Har en koordinator"
    answers: {1: "Ja", 2: "Nej"}
    missing: {8: "Ved ikke", 9: "Ikke besvaret"}
  - id: tilfreds
    chapter: 1
    type: ordinal
    text: "Hvor tilfreds er du med ledelsens prioritering?"
    short: "Tilfredshed"
    answers: {1: "Meget utilfreds", 2: "Utilfreds", 3: "Hverken tilfreds eller utilfreds",
              4: "Tilfreds", 5: "Meget tilfreds"}
    missing: {8: "Ved ikke", 9: "Ikke besvaret"}
  - id: trin
    chapter: 2
    type: ordinal
    text: "Hvilket trin på samarbejdstrappen befinder samarbejdet sig på?"
    short: "Trin"
    answers: {1: "Vidensdeling", 2: "Negativ koordinering", 3: "Positiv koordinering",
              4: "Innovative løsninger"}
    missing: {8: "Ved ikke", 9: "Ikke besvaret"}
  - id: forum
    chapter: 4
    type: multiple
    text: "På hvilke niveauer findes der faste mødefora?"
    short: "Mødefora"
    options:
      forum_strategisk: "Strategisk niveau"
      forum_taktisk: "Taktisk niveau"
      forum_udfoerende: "Udførende niveau"
"""
KOMMUNER = {"101": "København", "259": "Køge", "810": "Brønderslev"}
COMPLETE = (0, 0, 0, 1, 0)      # statoverall_1..5: SurveyXact sets one flag; 4 = gennemført
PARTIAL = (0, 0, 1, 0, 0)
NA = pd.NA
COLUMNS = ["respondentid", "kommunekode", *[f"statoverall_{i}" for i in range(1, 6)],
           "har_koordinator", "tilfreds", "trin", "forum_strategisk", "forum_taktisk",
           "forum_udfoerende"]


def make_frame(rows: list[tuple]) -> pd.DataFrame:
    """Canonical frame from (id, kommunekode, status, har, tilfreds, trin, fs, ft, fu) rows."""
    records = [(rid, kk, *status, *answers) for rid, kk, status, *answers in rows]
    frame = pd.DataFrame(records, columns=COLUMNS)
    frame = frame.astype({c: "Int64" for c in COLUMNS[2:]})
    frame["respondentid"] = frame["respondentid"].astype("int64")
    frame["kommunekode"] = frame["kommunekode"].astype("str")
    return frame


ALL_COMPLETE = [
    (11, "101", COMPLETE, 1, 4, 3, 1, 0, 1),
    (12, "259", COMPLETE, 2, 8, NA, 0, 0, 0),    # 8 = "Ved ikke" stays a code
    (13, "810", COMPLETE, 9, NA, 4, 0, 1, 0),    # blank = not asked
    (14, "259", COMPLETE, 1, 5, 1, NA, NA, NA),
]


@pytest.fixture
def codebook(tmp_path: Path) -> Path:
    path = tmp_path / "codebook.yaml"
    path.write_text(CODEBOOK, encoding="utf-8")
    return path


def export(tmp_path: Path, codebook: Path, fmt: str, name: str, rows=ALL_COMPLETE) -> Path:
    return write_export(make_frame(rows), codebook, tmp_path / name, fmt, kommune_names=KOMMUNER)


# ---- round trips --------------------------------------------------------------------------

@pytest.mark.parametrize("fmt, name, expected_format", [
    ("xlsx", "survey.xlsx", "surveyxact-xlsx"),
    ("sav", "survey.sav", "spss-sav"),
    ("comma_cp1252", "comma", "surveyxact-csv"),
    ("semicolon_latin1", "semicolon", "surveyxact-csv"),
    ("tab_utf16", "tab", "surveyxact-csv"),
    ("semicolon_latin1", "bundle.zip", "surveyxact-csv"),
])
def test_each_format_round_trips(tmp_path, codebook, fmt, name, expected_format):
    # Arrange
    frame = make_frame(ALL_COMPLETE)
    path = write_export(frame, codebook, tmp_path / name, fmt, kommune_names=KOMMUNER)

    # Act
    result = read_export(path)

    # Assert
    pd.testing.assert_frame_equal(result.frame, frame)
    assert result.format == expected_format
    assert result.labels["har_koordinator"] == {
        1: "Ja", 2: "Nej", 8: "Ved ikke", 9: "Ikke besvaret"}
    assert result.labels["forum_taktisk"] == {0: "Ikke valgt", 1: "Valgt"}
    assert result.questions["tilfreds"] == "Hvor tilfreds er du med ledelsens prioritering?"
    assert result.questions["forum_udfoerende"] == (
        "På hvilke niveauer findes der faste mødefora? - Udførende niveau")
    assert result.incomplete.empty


def test_three_csv_dialects_give_identical_frames_and_keep_aeoeaa(tmp_path, codebook):
    # Arrange: the same frame in SurveyXact's three csv dialects
    dirs = {fmt: export(tmp_path, codebook, fmt, fmt)
            for fmt in ("comma_cp1252", "semicolon_latin1", "tab_utf16")}
    comma_labels = (dirs["comma_cp1252"] / "labels.csv").read_bytes()
    semicolon_labels = (dirs["semicolon_latin1"] / "labels.csv").read_bytes()
    tab_labels = (dirs["tab_utf16"] / "labels.csv").read_bytes()
    assert b'"kommunekode",259,"K\xf8ge"' in comma_labels           # cp1252 ø = 0xF8, quoted
    assert b"kommunekode;810;Br\xf8nderslev" in semicolon_labels   # ISO-8859-1
    assert tab_labels.startswith(codecs.BOM_UTF16_LE)

    # Act
    results = {fmt: read_export(path) for fmt, path in dirs.items()}

    # Assert
    comma, semicolon, tab = results.values()
    pd.testing.assert_frame_equal(semicolon.frame, comma.frame)
    pd.testing.assert_frame_equal(tab.frame, comma.frame)
    assert comma.labels == semicolon.labels == tab.labels
    assert comma.questions == semicolon.questions == tab.questions
    assert tab.labels["kommunekode"] == {101: "København", 259: "Køge", 810: "Brønderslev"}
    assert tab.labels["trin"][4] == "Innovative løsninger"
    assert [r.encoding for r in results.values()] == ["cp1252", "cp1252", "utf-16"]
    assert comma.multiple == {"forum": {"forum_strategisk": "Strategisk niveau",
                                        "forum_taktisk": "Taktisk niveau",
                                        "forum_udfoerende": "Udførende niveau"}}


# ---- SPSS ---------------------------------------------------------------------------------

def spss_frame(**questions: list) -> pd.DataFrame:
    """System columns for len(values) completed respondents, plus the given columns (floats)."""
    n = len(next(iter(questions.values())))
    frame = pd.DataFrame({"respondentid": [float(i) for i in range(1, n + 1)],
                          "kommunekode": [101.0] * n})
    for i, flag in enumerate(COMPLETE, start=1):
        frame[f"statoverall_{i}"] = float(flag)
    for name, values in questions.items():
        frame[name] = pd.Series(values, dtype=float)
    return frame


def add_mr_sets(path: Path, definitions: str) -> None:
    """Add an SPSS multiple-response-set record (type 7, subtype 7) before the dictionary end.

    pyreadstat cannot write MR sets, so the record is inserted into the file: walk the
    dictionary records (layout as documented by GNU PSPP) to the type-999 terminator.
    """
    data = path.read_bytes()
    pos = 176  # file header
    while (record := struct.unpack_from("<i", data, pos)[0]) != 999:
        if record == 2:  # variable
            _, _, has_label, n_missing = struct.unpack_from("<4i", data, pos)
            pos += 32
            if has_label:
                pos += 4 + (struct.unpack_from("<i", data, pos)[0] + 3) // 4 * 4
            pos += abs(n_missing) * 8
        elif record == 3:  # value labels
            count = struct.unpack_from("<i", data, pos + 4)[0]
            pos += 8
            for _ in range(count):
                pos += 8 + (data[pos + 8] + 8) // 8 * 8
        elif record == 4:  # variables the labels apply to
            pos += 8 + 4 * struct.unpack_from("<i", data, pos + 4)[0]
        elif record == 6:  # document
            pos += 8 + 80 * struct.unpack_from("<i", data, pos + 4)[0]
        elif record == 7:  # extension
            _, _, size, count = struct.unpack_from("<4i", data, pos)
            pos += 16 + size * count
        else:
            raise ValueError(f"unexpected record type {record} at byte {pos}")
    text = definitions.encode("utf-8")
    path.write_bytes(data[:pos] + struct.pack("<4i", 7, 7, 1, len(text)) + text + data[pos:])


def test_sav_user_missing_values_become_missing_codes(tmp_path):
    # Arrange: tilfreds declares -9..-1 and 99 user-missing; -1 is labelled "Ved ikke",
    # 99 "Uoplyst". skala is 0-10 where 9 is a real answer and 99 is user-missing.
    path = tmp_path / "user_missing.sav"
    pyreadstat.write_sav(
        spss_frame(tilfreds=[4, -1, 99, 8], skala=[9, 99, 3, None]), str(path),
        variable_value_labels={
            "tilfreds": {4: "Tilfreds", 8: "Ved ikke", -1: "Ved ikke", 99: "Uoplyst"},
            "skala": {0: "Slet ikke", 9: "9", 10: "I meget høj grad", 99: "Uoplyst"}},
        missing_ranges={"tilfreds": [{"lo": -9, "hi": -1}, 99], "skala": [99]})

    # Act
    result = read_export(path)

    # Assert: -1 ("Ved ikke") -> 8, 99 -> 9, 8 unchanged; skala 99 -> blank since 9 is an answer
    assert result.frame["tilfreds"].tolist() == [4, 8, 9, 8]
    assert result.frame["skala"].tolist() == [9, NA, 3, NA]
    assert result.labels["tilfreds"] == {4: "Tilfreds", 8: "Ved ikke", 9: "Uoplyst"}
    assert any("99" in note and "recoded to 9" in note for note in result.notes)
    assert any("skala" in note and "blank" in note for note in result.notes)


def test_sav_multiple_response_sets_expand_to_option_columns(tmp_path):
    # Arrange: a dichotomy set (counted value 1, SPSS-style blank when not chosen) and a
    # category set whose two variables hold the codes of the chosen channels.
    path = tmp_path / "mr.sav"
    labels = {1: "Mail", 2: "Møde", 3: "Telefon"}
    pyreadstat.write_sav(
        spss_frame(forum_strategisk=[1, None, None], forum_taktisk=[1, 1, None],
                   kanal_a=[2, 1, None], kanal_b=[3, None, None]), str(path),
        column_labels={"forum_strategisk": "Mødefora - Strategisk niveau",
                       "forum_taktisk": "Mødefora - Taktisk niveau"},
        variable_value_labels={"kanal_a": labels, "kanal_b": labels})
    add_mr_sets(path, "$forum=D1 1 9 Mødefora forum_strategisk forum_taktisk\n"
                      "$kanal=C 7 Kanaler kanal_a kanal_b\n")  # label lengths in UTF-8 bytes

    # Act
    result = read_export(path)

    # Assert: respondent 3 answered nothing in either set -> not asked -> blank
    frame = result.frame
    assert frame["forum_strategisk"].tolist() == [1, 0, NA]
    assert frame["forum_taktisk"].tolist() == [1, 1, NA]
    assert "kanal_a" not in frame and "kanal_b" not in frame
    assert frame["kanal_1"].tolist() == [0, 1, NA]   # Mail: respondent 2 only
    assert frame["kanal_2"].tolist() == [1, 0, NA]   # Møde: respondent 1
    assert frame["kanal_3"].tolist() == [1, 0, NA]   # Telefon: respondent 1
    assert result.multiple == {
        "forum": {"forum_strategisk": "Strategisk niveau", "forum_taktisk": "Taktisk niveau"},
        "kanal": {"kanal_1": "Mail", "kanal_2": "Møde", "kanal_3": "Telefon"}}
    assert result.labels["kanal_2"] == {0: "Ikke valgt", 1: "Valgt"}
    assert result.questions["kanal_2"] == "Kanaler - Møde"


# ---- completion -----------------------------------------------------------------------------

ROWS_WITH_INCOMPLETE = [
    (11, "101", COMPLETE, 1, 4, 3, 1, 0, 1),
    (12, "259", PARTIAL, 2, NA, NA, NA, NA, NA),
    (13, "810", PARTIAL, NA, NA, NA, NA, NA, NA),
    (14, "259", COMPLETE, 1, 5, 1, 0, 0, 1),
]


def test_incomplete_rows_are_left_out_and_reported(tmp_path, codebook):
    # Arrange
    path = export(tmp_path, codebook, "xlsx", "survey.xlsx", ROWS_WITH_INCOMPLETE)

    # Act
    result = read_export(path)

    # Assert
    assert result.frame["respondentid"].tolist() == [11, 14]
    pd.testing.assert_frame_equal(result.incomplete, pd.DataFrame(
        {"respondentid": pd.Series([12, 13], dtype="int64"),
         "kommunekode": pd.Series(["259", "810"], dtype="str")}))
    assert any(note.startswith("2 incomplete") and "left out" in note for note in result.notes)


def test_incomplete_rows_are_kept_with_the_flag(tmp_path, codebook):
    # Arrange
    path = export(tmp_path, codebook, "semicolon_latin1", "bundle", ROWS_WITH_INCOMPLETE)

    # Act
    result = read_export(path, include_incomplete=True)

    # Assert
    pd.testing.assert_frame_equal(result.frame, make_frame(ROWS_WITH_INCOMPLETE))
    assert result.incomplete["respondentid"].tolist() == [12, 13]
    assert any(note.startswith("2 incomplete") and "kept" in note for note in result.notes)


# ---- bad input ------------------------------------------------------------------------------

def test_broken_cell_in_xlsx_names_row_and_column(tmp_path, codebook):
    # Arrange: respondent 13 is the third data row -> row 4; tilfreds is column 9 (I)
    path = export(tmp_path, codebook, "xlsx", "survey.xlsx")
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


def test_broken_cell_in_csv_names_row_and_column(tmp_path, codebook):
    # Arrange: respondent 12 is the second data line -> row 3; har_koordinator is field 8
    folder = export(tmp_path, codebook, "semicolon_latin1", "bundle")
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
    # Arrange
    path = tmp_path / "wrong.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Ark1"
    book.save(path)

    # Act
    with pytest.raises(InputError) as error:
        read_export(path)

    # Assert
    [problem] = error.value.problems
    assert problem.file == "wrong.xlsx" and "'Dataset'" in problem.expected
    assert "Ark1" in problem.expected


def test_missing_bundle_member_is_a_problem(tmp_path, codebook):
    # Arrange
    folder = export(tmp_path, codebook, "comma_cp1252", "bundle")
    (folder / "labels.csv").unlink()

    # Act
    with pytest.raises(InputError) as error:
        read_export(folder)

    # Assert
    [problem] = error.value.problems
    assert (problem.file, problem.value) == ("bundle", "labels.csv")


def test_undecodable_file_is_a_problem(tmp_path, codebook):
    # Arrange: 0x81 is neither valid UTF-8 nor defined in Windows-1252
    folder = export(tmp_path, codebook, "comma_cp1252", "bundle")
    (folder / "dataset.csv").write_bytes(b"respondentid,kommunekode\r\n11,K\x81ge\r\n")

    # Act
    with pytest.raises(InputError) as error:
        read_export(folder)

    # Assert
    [problem] = error.value.problems
    assert (problem.file, problem.row, problem.value) == ("bundle/dataset.csv", 2, b"\x81")


def test_workbook_with_other_header_names_and_text_columns(tmp_path):
    # Arrange: a hand-made workbook with a Labels header row in capitals, a 'Structure' sheet
    # with short header names, a system column and an open text answer.
    path = tmp_path / "hand.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Dataset"
    for row in [["respondentid", "kommunekode", *[f"statoverall_{i}" for i in range(1, 6)],
                 "statcreation_1", "har_koordinator", "kommentar"],
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
    assert list(result.frame.columns) == ["respondentid", "kommunekode",
                                          *[f"statoverall_{i}" for i in range(1, 6)],
                                          "har_koordinator"]
    assert result.frame["kommunekode"].tolist() == ["259", "047"]
    assert result.frame["har_koordinator"].tolist() == [1, 2]
    assert result.labels["har_koordinator"] == {1: "Ja", 2: "Nej"}
    assert result.questions == {"har_koordinator": "Har kommunen en koordinator?"}
    assert any("statcreation_1" in note for note in result.notes)
    assert any("kommentar" in note for note in result.notes)


# ---- draft codebook -------------------------------------------------------------------------

@pytest.mark.parametrize("fmt, name", [("xlsx", "survey.xlsx"), ("sav", "survey.sav")])
def test_draft_codebook_answer_labels_match_the_codebook(tmp_path, codebook, fmt, name):
    # Arrange
    path = export(tmp_path, codebook, fmt, name)
    original = {q["id"]: q for q in yaml.safe_load(CODEBOOK)["questions"]}

    # Act
    text = draft_codebook(path)

    # Assert
    draft = yaml.safe_load(text)
    drafted = {q["id"]: q for q in draft["questions"]}
    assert list(drafted) == ["har_koordinator", "tilfreds", "trin", "forum"]
    for qid in ("har_koordinator", "tilfreds", "trin"):
        assert drafted[qid]["answers"] == original[qid]["answers"]
        assert drafted[qid]["missing"] == original[qid]["missing"]
        assert drafted[qid]["text"] == original[qid]["text"]
        assert drafted[qid]["chapter"] is None
    assert drafted["har_koordinator"]["type"] == "single"
    assert drafted["tilfreds"]["type"] == "ordinal"
    assert drafted["forum"]["type"] == "multiple"
    assert drafted["forum"]["options"] == original["forum"]["options"]
    assert drafted["forum"]["text"] == original["forum"]["text"]
    assert draft["survey"]["completion_column"] == "statoverall_4"
    assert "chapter: null  # udfyld" in text
