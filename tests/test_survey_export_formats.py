"""Reading survey exports in every format (SurveyXact xlsx, csv bundles in its three dialects
as folder and .zip, SPSS .sav) from files built here, never by the project, and from csv
bundles given as literal bytes."""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from analysis.inputs.survey_exports import read_export
from survey_export_builders import (ALL_COMPLETE, BUILDERS, COMPLETE, DIALECTS, NA, OPTIONS,
                                    build_bundle, make_frame)

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
