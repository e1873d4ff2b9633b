"""SPSS exports: user-missing values stay codes, and multiple-response sets (a record
pyreadstat cannot write, inserted into the file here) expand to option columns."""

from __future__ import annotations

import struct
from pathlib import Path

import pandas as pd
import pyreadstat
import yaml

from analysis.inputs.survey_exports import draft_codebook, read_export
from survey_export_builders import COMPLETE, NA

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
