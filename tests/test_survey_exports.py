"""Tests for reading and writing survey exports (SurveyXact xlsx / csv bundle, SPSS .sav).

The reader is tested on files built here, never by the project: csv files as literal bytes in
SurveyXact's header and encodings, workbooks written cell by cell with openpyxl, csv bundles
encoded by the standard csv module in SurveyXact's three dialects, SPSS files written by
pyreadstat directly. The test helper that writes exports for the end-to-end tests
(``survey_export_files``) is checked by opening what it writes with openpyxl, pyreadstat and
plain bytes. Expected values are worked out by hand.
"""

from __future__ import annotations

import codecs
import csv
import io
import struct
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pyreadstat
import pytest
import yaml

from analysis.inputs.codebook import load_survey_codebook
from analysis.core.problems import InputError
from analysis.inputs.survey_exports import Layout, draft_codebook, map_columns, read_export
from survey_export_files import write_export

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
STATUS = [f"statoverall_{i}" for i in range(1, 6)]
COLUMNS = ["respondentid", "kommunekode", *STATUS, "har_koordinator", "tilfreds", "trin",
           "forum_strategisk", "forum_taktisk", "forum_udfoerende"]


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
ROWS_WITH_INCOMPLETE = [
    (11, "101", COMPLETE, 1, 4, 3, 1, 0, 1),
    (12, "259", PARTIAL, 2, NA, NA, NA, NA, NA),
    (13, "810", PARTIAL, NA, NA, NA, NA, NA, NA),
    (14, "259", COMPLETE, 1, 5, 1, 0, 0, 1),
]

# ---- SurveyXact files built by hand ---------------------------------------------------------

TEXTS = {"har_koordinator": "Har kommunen udpeget en koordinator?",
         "tilfreds": "Hvor tilfreds er du med ledelsens prioritering?",
         "trin": "Hvilket trin på samarbejdstrappen befinder samarbejdet sig på?",
         "forum": "På hvilke niveauer findes der faste mødefora?"}
OPTIONS = {"forum_strategisk": "Strategisk niveau", "forum_taktisk": "Taktisk niveau",
           "forum_udfoerende": "Udførende niveau"}
VALUE_LABELS = {
    "kommunekode": {101: "København", 259: "Køge", 810: "Brønderslev"},
    "har_koordinator": {1: "Ja", 2: "Nej", 8: "Ved ikke", 9: "Ikke besvaret"},
    "tilfreds": {1: "Meget utilfreds", 2: "Utilfreds", 3: "Hverken tilfreds eller utilfreds",
                 4: "Tilfreds", 5: "Meget tilfreds", 8: "Ved ikke", 9: "Ikke besvaret"},
    "trin": {1: "Vidensdeling", 2: "Negativ koordinering", 3: "Positiv koordinering",
             4: "Innovative løsninger", 8: "Ved ikke", 9: "Ikke besvaret"},
    **{column: {0: "Ikke valgt", 1: "Valgt"} for column in OPTIONS},
}
STRUCTURE = [
    ["questionName", "variableName", "questionType", "subType", "questionText", "choiceValue",
     "choiceText"],
    ["har_koordinator", "har_koordinator", "Closed", "Single", TEXTS["har_koordinator"], "", ""],
    ["tilfreds", "tilfreds", "Closed", "Single", TEXTS["tilfreds"], "", ""],
    ["trin", "trin", "Closed", "Single", TEXTS["trin"], "", ""],
    *[["forum", column, "Closed", "Multiple", TEXTS["forum"], number, label]
      for number, (column, label) in enumerate(OPTIONS.items(), start=1)],
]


def dataset_rows(rows: list[tuple]) -> list[list]:
    """Header + rows as SurveyXact writes them: kommunekode as a number, blanks empty."""
    out = [list(COLUMNS)]
    for rid, kk, status, *answers in rows:
        out.append([rid, int(kk), *status, *(None if a is NA else a for a in answers)])
    return out


def label_rows() -> list[list]:
    return [[variable, code, label] for variable, labels in VALUE_LABELS.items()
            for code, label in labels.items()]


def build_xlsx(path: Path, rows: list[tuple] = ALL_COMPLETE) -> Path:
    """Sheets Dataset, Labels (no header row) and Variables, cell by cell."""
    book = openpyxl.Workbook()
    book.active.title = "Dataset"
    for row in dataset_rows(rows):
        book["Dataset"].append(row)
    for name, content in (("Labels", label_rows()), ("Variables", STRUCTURE)):
        sheet = book.create_sheet(name)
        for row in content:
            sheet.append(row)
    book.save(path)
    return path


DIALECTS = {  # name -> delimiter, encoding, quoting, extra empty field on structure rows
    "comma_cp1252": (",", "cp1252", csv.QUOTE_NONNUMERIC, True),
    "semicolon_latin1": (";", "latin-1", csv.QUOTE_MINIMAL, False),
    "tab_utf16": ("\t", "utf-16", csv.QUOTE_MINIMAL, False),
}


def build_bundle(path: Path, dialect: str, rows: list[tuple] = ALL_COMPLETE) -> Path:
    """dataset.csv, labels.csv, structure.csv in one of SurveyXact's dialects (folder or .zip)."""
    delimiter, encoding, quoting, trailing = DIALECTS[dialect]

    def encode(table: list[list]) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, quoting=quoting, lineterminator="\r\n")
        writer.writerows([["" if cell is None else cell for cell in row] for row in table])
        return buffer.getvalue().encode(encoding)

    structure = [STRUCTURE[0]] + [row + ([""] if trailing else []) for row in STRUCTURE[1:]]
    members = {"dataset.csv": encode(dataset_rows(rows)), "labels.csv": encode(label_rows()),
               "structure.csv": encode(structure)}
    if path.suffix == ".zip":
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in members.items():
                archive.writestr(name, data)
    else:
        path.mkdir()
        for name, data in members.items():
            (path / name).write_bytes(data)
    return path


def build_sav(path: Path, rows: list[tuple] = ALL_COMPLETE) -> Path:
    """The same survey as SPSS writes it: numbers as doubles, labels, 8/9 user-missing."""
    table = dataset_rows(rows)
    frame = pd.DataFrame(table[1:], columns=table[0]).astype(float)
    pyreadstat.write_sav(
        frame, str(path),
        column_labels={**TEXTS, **{c: f"{TEXTS['forum']} - {label}"
                                   for c, label in OPTIONS.items()}},
        variable_value_labels=VALUE_LABELS,
        missing_ranges={q: [8, 9] for q in ("har_koordinator", "tilfreds", "trin")},
        variable_measure={"tilfreds": "ordinal", "trin": "ordinal", "har_koordinator": "nominal"})
    return path


BUILDERS = {
    "xlsx": (lambda d, rows=ALL_COMPLETE: build_xlsx(d / "survey.xlsx", rows), "surveyxact-xlsx"),
    "sav": (lambda d, rows=ALL_COMPLETE: build_sav(d / "survey.sav", rows), "spss-sav"),
    **{dialect: (lambda d, rows=ALL_COMPLETE, dialect=dialect:
                 build_bundle(d / dialect, dialect, rows), "surveyxact-csv")
       for dialect in DIALECTS},
    "zip": (lambda d, rows=ALL_COMPLETE: build_bundle(d / "bundle.zip", "semicolon_latin1", rows),
            "surveyxact-csv"),
}


@pytest.fixture
def codebook(tmp_path: Path) -> Path:
    path = tmp_path / "codebook.yaml"
    path.write_text(CODEBOOK, encoding="utf-8")
    return path


# ---- reading files built without the project's writer --------------------------------------

@pytest.mark.parametrize("kind", list(BUILDERS))
def test_each_format_reads_to_the_canonical_frame(tmp_path, kind):
    # Arrange
    build, expected_format = BUILDERS[kind]
    path = build(tmp_path)

    # Act
    result = read_export(path)

    # Assert
    pd.testing.assert_frame_equal(result.frame, make_frame(ALL_COMPLETE))
    assert result.format == expected_format
    assert result.labels["har_koordinator"] == {
        1: "Ja", 2: "Nej", 8: "Ved ikke", 9: "Ikke besvaret"}
    assert result.labels["forum_taktisk"] == {0: "Ikke valgt", 1: "Valgt"}
    assert result.questions["tilfreds"] == "Hvor tilfreds er du med ledelsens prioritering?"
    assert result.questions["forum_udfoerende"] == (
        "På hvilke niveauer findes der faste mødefora? - Udførende niveau")
    assert result.incomplete.empty
    if kind == "sav":  # SPSS declares 8 and 9 user-missing; they stay codes, listed as missing
        assert result.missing["trin"] == {8: "Ved ikke", 9: "Ikke besvaret"}


def test_three_csv_dialects_give_identical_frames_and_keep_aeoeaa(tmp_path):
    # Arrange: the same survey in SurveyXact's three csv dialects
    dirs = {dialect: build_bundle(tmp_path / dialect, dialect) for dialect in DIALECTS}
    assert b'"kommunekode",259,"K\xf8ge"' in (dirs["comma_cp1252"] / "labels.csv").read_bytes()
    assert b"kommunekode;810;Br\xf8nderslev" in \
        (dirs["semicolon_latin1"] / "labels.csv").read_bytes()
    assert (dirs["tab_utf16"] / "labels.csv").read_bytes().startswith(codecs.BOM_UTF16_LE)

    # Act
    results = {dialect: read_export(path) for dialect, path in dirs.items()}

    # Assert
    comma, semicolon, tab = results.values()
    pd.testing.assert_frame_equal(semicolon.frame, comma.frame)
    pd.testing.assert_frame_equal(tab.frame, comma.frame)
    assert comma.labels == semicolon.labels == tab.labels
    assert comma.questions == semicolon.questions == tab.questions
    assert tab.labels["kommunekode"] == {101: "København", 259: "Køge", 810: "Brønderslev"}
    assert tab.labels["trin"][4] == "Innovative løsninger"
    assert [r.encoding for r in results.values()] == ["cp1252", "cp1252", "utf-16"]
    assert comma.multiple == {"forum": OPTIONS}


# ---- csv bundles as literal bytes ------------------------------------------------------------

# A SurveyXact csv bundle in the comma dialect, byte for byte: Windows-1252 ("K\xf8ge",
# "p\xe5"), CRLF, strings quoted and numbers not, labels.csv without a header row, structure rows
# ending with an extra empty field. Respondent 12 left trin blank (not asked).
COMMA_BUNDLE = {
    "dataset.csv":
        b'"respondentid","kommunekode","statoverall_1","statoverall_2","statoverall_3",'
        b'"statoverall_4","statoverall_5","har_koordinator","trin"\r\n'
        b'11,259,0,0,0,1,0,1,3\r\n'
        b'12,810,0,0,0,1,0,8,""\r\n',
    "labels.csv":
        b'"kommunekode",259,"K\xf8ge"\r\n'
        b'"kommunekode",810,"Br\xf8nderslev"\r\n'
        b'"har_koordinator",1,"Ja"\r\n'
        b'"har_koordinator",2,"Nej"\r\n'
        b'"har_koordinator",8,"Ved ikke"\r\n'
        b'"trin",3,"Positiv koordinering"\r\n'
        b'"trin",4,"Innovative l\xf8sninger"\r\n',
    "structure.csv":
        b'"questionName","variableName","questionType","subType","questionText","choiceValue",'
        b'"choiceText"\r\n'
        b'"har_koordinator","har_koordinator","Closed","Single",'
        b'"Har kommunen udpeget en koordinator?","","",""\r\n'
        b'"trin","trin","Closed","Single",'
        b'"Hvilket trin p\xe5 samarbejdstrappen befinder samarbejdet sig p\xe5?","","",""\r\n',
}


def _write_members(folder: Path, members: dict[str, bytes]) -> Path:
    folder.mkdir()
    for name, data in members.items():
        (folder / name).write_bytes(data)
    return folder


def _check_literal_bundle(result) -> None:
    expected = pd.DataFrame({
        "respondentid": pd.Series([11, 12], dtype="int64"),
        "kommunekode": pd.Series(["259", "810"], dtype="str"),
        **{f"statoverall_{i}": pd.Series([flag, flag], dtype="Int64")
           for i, flag in enumerate(COMPLETE, start=1)},
        "har_koordinator": pd.Series([1, 8], dtype="Int64"),
        "trin": pd.Series([3, NA], dtype="Int64")})
    pd.testing.assert_frame_equal(result.frame, expected)
    assert result.labels["kommunekode"] == {259: "Køge", 810: "Brønderslev"}
    assert result.labels["trin"] == {3: "Positiv koordinering", 4: "Innovative løsninger"}
    assert result.questions == {
        "har_koordinator": "Har kommunen udpeget en koordinator?",
        "trin": "Hvilket trin på samarbejdstrappen befinder samarbejdet sig på?"}


def test_comma_bundle_in_windows_1252_reads_from_its_bytes(tmp_path):
    folder = _write_members(tmp_path / "eksport", COMMA_BUNDLE)

    result = read_export(folder)

    _check_literal_bundle(result)
    assert (result.format, result.encoding) == ("surveyxact-csv", "cp1252")


def test_tab_bundle_in_utf16_with_bom_reads_from_its_bytes(tmp_path):
    # The same bundle as SurveyXact's tab dialect writes it: UTF-16 little-endian after a BOM,
    # tab-separated, nothing quoted.
    def utf16(text: str) -> bytes:
        return b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le")

    members = {
        "dataset.csv": utf16("respondentid\tkommunekode\tstatoverall_1\tstatoverall_2\t"
                             "statoverall_3\tstatoverall_4\tstatoverall_5\thar_koordinator\t"
                             "trin\n11\t259\t0\t0\t0\t1\t0\t1\t3\n12\t810\t0\t0\t0\t1\t0\t8\t\n"),
        "labels.csv": utf16("kommunekode\t259\tKøge\nkommunekode\t810\tBrønderslev\n"
                            "har_koordinator\t1\tJa\nhar_koordinator\t2\tNej\n"
                            "har_koordinator\t8\tVed ikke\ntrin\t3\tPositiv koordinering\n"
                            "trin\t4\tInnovative løsninger\n"),
        "structure.csv": utf16(
            "questionName\tvariableName\tquestionType\tsubType\tquestionText\tchoiceValue\t"
            "choiceText\nhar_koordinator\thar_koordinator\tClosed\tSingle\t"
            "Har kommunen udpeget en koordinator?\t\t\ntrin\ttrin\tClosed\tSingle\t"
            "Hvilket trin på samarbejdstrappen befinder samarbejdet sig på?\t\t\n"),
    }
    archive = tmp_path / "eksport.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for name, data in members.items():
            handle.writestr(name, data)

    result = read_export(archive)

    _check_literal_bundle(result)
    assert (result.format, result.encoding) == ("surveyxact-csv", "utf-16")


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


def test_sav_user_missing_values_stay_codes_and_are_listed(tmp_path):
    # Arrange: tilfreds declares the range -9..-1 and 99 user-missing; -1 is labelled "Ved
    # ikke", 99 "Uoplyst", and 8 "Ved ikke" is labelled but not declared.
    path = tmp_path / "user_missing.sav"
    pyreadstat.write_sav(
        spss_frame(tilfreds=[4, -1, 99, 8]), str(path),
        variable_value_labels={
            "tilfreds": {4: "Tilfreds", 8: "Ved ikke", -1: "Ved ikke", 99: "Uoplyst"}},
        missing_ranges={"tilfreds": [{"lo": -9, "hi": -1}, 99]})

    # Act
    result = read_export(path)
    draft = yaml.safe_load(draft_codebook(path).text)

    # Assert: no recoding; the draft separates the answer from the missing codes
    assert result.frame["tilfreds"].tolist() == [4, -1, 99, 8]
    assert result.missing["tilfreds"] == {99: "Uoplyst", "-9..-1": "Uoplyst"}
    [question] = draft["questions"]
    assert question["answers"] == {4: "Tilfreds"}
    assert question["missing"] == {99: "Uoplyst", -1: "Ved ikke", 8: "Ved ikke",
                                   "-9..-1": "Uoplyst"}


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


# ---- the export's own id, municipality and completion columns --------------------------------

def own_names_sav(path: Path) -> Path:
    """An SPSS file naming its columns its own way: lbnr, Kommune, Finished (1 = completed)."""
    pyreadstat.write_sav(pd.DataFrame({
        "lbnr": [5.0, 6.0, 7.0], "Kommune": [259.0, 47.0, 101.0], "Finished": [1.0, 0.0, 1.0],
        "q1": [1.0, 2.0, None]}), str(path),
        variable_value_labels={"q1": {1: "Ja", 2: "Nej"}, "Finished": {0: "Nej", 1: "Ja"}})
    return path


def test_layout_names_the_id_municipality_and_completion_columns(tmp_path):
    path = own_names_sav(tmp_path / "own.sav")

    result = read_export(path, layout=Layout("lbnr", "kommune", "finished", 1))

    assert list(result.frame.columns) == ["respondentid", "kommunekode", *STATUS, "q1"]
    assert result.frame["respondentid"].tolist() == [5, 7]
    assert result.frame["kommunekode"].tolist() == ["259", "101"]
    assert result.frame["statoverall_4"].tolist() == [1, 1]
    assert result.incomplete.to_dict("list") == {"respondentid": [6], "kommunekode": ["047"]}
    assert any("Finished = 1" in note for note in result.notes)


def test_without_a_completion_column_every_row_counts_as_completed(tmp_path):
    path = own_names_sav(tmp_path / "own.sav")

    result = read_export(path, layout=Layout("lbnr", "Kommune", None))

    assert result.frame["respondentid"].tolist() == [5, 6, 7]
    assert result.frame["statoverall_4"].tolist() == [1, 1, 1]
    assert "Finished" in result.frame  # then just another answer column
    assert "no completion column: every response counts as completed" in result.notes


def test_a_layout_column_absent_from_the_export_names_the_codebook_key(tmp_path):
    path = own_names_sav(tmp_path / "own.sav")

    with pytest.raises(InputError) as error:
        read_export(path, layout=Layout("lbnr", "kommunekode", "Finished"))

    [problem] = error.value.problems
    assert (problem.file, problem.row, problem.column) == ("own.sav", 1, "kommunekode")
    assert "survey.kommune_column in the codebook" in problem.expected


def test_map_columns_renames_mapped_variables_and_names_them_in_problems(tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_text(CODEBOOK.replace("  - id: tilfreds\n", "  - id: tilfreds\n    column: q7\n")
                    .replace('      forum_taktisk: "Taktisk niveau"',
                             '      forum_taktisk: {label: "Taktisk niveau", column: q8_2}')
                    .replace("id_column: respondentid", "id_column: lbnr"), encoding="utf-8")
    codebook = load_survey_codebook(path, report=False)
    frame = pd.DataFrame({"lbnr": ["1"], "kommunekode": ["259"], "statoverall_4": ["1"],
                          "q7": ["4"], "tilfreds": ["2"], "q8_2": ["1"]})

    mapped, applied, shown = map_columns(frame, codebook)

    assert list(mapped.columns) == ["respondentid", "kommunekode", "statoverall_4", "tilfreds",
                                    "forum_taktisk"]
    assert mapped["tilfreds"].tolist() == ["4"]  # the old 'tilfreds' column is not the answer
    assert applied.id_column == "respondentid"
    assert shown["tilfreds"] == "q7 (mapped to tilfreds)" and shown["respondentid"] == "lbnr"
    assert codebook["forum"].columns == ("forum_strategisk", "forum_taktisk", "forum_udfoerende")


# ---- completion -----------------------------------------------------------------------------

def test_incomplete_rows_are_left_out_and_reported(tmp_path):
    path = build_xlsx(tmp_path / "survey.xlsx", ROWS_WITH_INCOMPLETE)

    result = read_export(path)

    assert result.frame["respondentid"].tolist() == [11, 14]
    pd.testing.assert_frame_equal(result.incomplete, pd.DataFrame(
        {"respondentid": pd.Series([12, 13], dtype="int64"),
         "kommunekode": pd.Series(["259", "810"], dtype="str")}))
    assert any(note.startswith("2 incomplete") and "left out" in note for note in result.notes)


def test_incomplete_rows_are_kept_with_the_flag(tmp_path):
    path = build_bundle(tmp_path / "bundle", "semicolon_latin1", ROWS_WITH_INCOMPLETE)

    result = read_export(path, include_incomplete=True)

    pd.testing.assert_frame_equal(result.frame, make_frame(ROWS_WITH_INCOMPLETE))
    assert result.incomplete["respondentid"].tolist() == [12, 13]
    assert any(note.startswith("2 incomplete") and "kept" in note for note in result.notes)


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


# ---- draft codebook -------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["xlsx", "sav", "comma_cp1252"])
def test_draft_codebook_answer_labels_match_the_survey(tmp_path, kind):
    # Arrange
    path = BUILDERS[kind][0](tmp_path)
    original = {q["id"]: q for q in yaml.safe_load(CODEBOOK)["questions"]}

    # Act
    draft = draft_codebook(path)

    # Assert
    doc = yaml.safe_load(draft.text)
    drafted = {q["id"]: q for q in doc["questions"]}
    assert list(drafted) == ["har_koordinator", "tilfreds", "trin", "forum"]
    for qid in ("har_koordinator", "tilfreds", "trin"):
        assert drafted[qid]["answers"] == original[qid]["answers"]
        assert drafted[qid]["missing"] == original[qid]["missing"]
        assert drafted[qid]["text"] == original[qid]["text"]
        assert drafted[qid]["column"] == qid
        assert drafted[qid]["short"] == "TODO"
    assert drafted["har_koordinator"]["chapter"] == 1  # a report question: its chapter is known
    assert drafted["har_koordinator"]["groups"] == {"ja": "TODO", "nej": "TODO"}
    assert drafted["tilfreds"]["chapter"] == "TODO" and drafted["tilfreds"]["groups"] == "TODO"
    assert drafted["har_koordinator"]["type"] == "single"
    assert drafted["tilfreds"]["type"] == "ordinal"
    # the steps of the trappe read as a scale only where SPSS says so (measure: ordinal)
    assert drafted["trin"]["type"] == ("ordinal" if kind == "sav" else "single")
    assert drafted["forum"]["type"] == "multiple"
    assert drafted["forum"]["options"] == OPTIONS
    assert drafted["forum"]["text"] == TEXTS["forum"]
    assert doc["survey"] == {"title": "TODO", "id_column": "respondentid",
                             "kommune_column": "kommunekode",
                             "completion_column": "statoverall_4", "completed_code": 1}
    assert "chapter: TODO  # a chapter number 1-6" in draft.text
    assert "id column: guessed respondentid (unique whole numbers); change it with --id" \
        in draft.messages


def test_draft_guesses_columns_named_the_export_s_own_way(tmp_path):
    path = own_names_sav(tmp_path / "own.sav")

    draft = draft_codebook(path)

    doc = yaml.safe_load(draft.text)
    assert doc["survey"] == {"title": "TODO", "id_column": "lbnr", "kommune_column": "Kommune",
                             "completion_column": "Finished", "completed_code": 1}
    assert [q["id"] for q in doc["questions"]] == ["q1"]


def test_draft_leaves_unknown_columns_todo_with_a_message_and_takes_options(tmp_path):
    path = tmp_path / "plain.sav"
    pyreadstat.write_sav(pd.DataFrame({"nr": [1.0, 2.0], "sted": [259.0, 101.0],
                                       "q1": [1.0, 2.0]}), str(path))

    guessed = draft_codebook(path)
    given = draft_codebook(path, id_column="NR", kommune_column="sted",
                           completion_column="none")

    survey = yaml.safe_load(guessed.text)["survey"]
    assert (survey["id_column"], survey["kommune_column"], survey["completion_column"]) == \
        ("TODO", "TODO", "TODO")
    assert sum(m.startswith(("id column: TODO", "municipality column: TODO",
                             "completion column: TODO")) for m in guessed.messages) == 3
    survey = yaml.safe_load(given.text)["survey"]
    assert (survey["id_column"], survey["kommune_column"], survey["completion_column"]) == \
        ("nr", "sted", None)
    assert [q["id"] for q in yaml.safe_load(given.text)["questions"]] == ["q1"]
    with pytest.raises(InputError) as error:
        draft_codebook(path, id_column="lbnr")
    assert "a column named by --id (the export has: nr, sted, q1)" in str(error.value)


def test_draft_keeps_labels_in_other_scripts(tmp_path):
    path = tmp_path / "cyrillic.sav"
    pyreadstat.write_sav(pd.DataFrame({"вопрос": [1.0, 2.0, 1.0]}), str(path),
                         column_labels={"вопрос": "Есть ли координатор?"},
                         variable_value_labels={"вопрос": {1: "Да", 2: "Нет"}})

    draft = draft_codebook(path)

    [question] = yaml.safe_load(draft.text)["questions"]
    assert (question["id"], question["text"], question["answers"]) == (
        "вопрос", "Есть ли координатор?", {1: "Да", 2: "Нет"})
    assert "Есть ли координатор?" in draft.text   # written as text, not as \u escapes


def test_codebook_command_refuses_a_completed_code_that_is_not_a_number(tmp_path, capsys):
    from analysis.cli import main

    path = own_names_sav(tmp_path / "own.sav")

    assert main(["codebook", "--from", str(path), "--completed", "Finished=ja"]) == 1
    assert main(["codebook", "--from", str(path), "--completed", "Finished=2",
                 "--out", str(tmp_path / "d.yaml")]) == 0

    err = capsys.readouterr().err.splitlines()
    assert err[0] == ("--completed: value 'Finished=ja' — expected COLUMN=CODE with a "
                      "whole-number code, e.g. Finished=1")
    survey = yaml.safe_load((tmp_path / "d.yaml").read_text(encoding="utf-8"))["survey"]
    assert (survey["completion_column"], survey["completed_code"]) == ("Finished", 2)
