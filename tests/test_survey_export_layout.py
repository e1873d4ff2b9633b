"""The export's own id, municipality and completion columns (a codebook's layout and
mapped variables), and what becomes of incomplete responses."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.inputs.codebook import load_survey_codebook
from analysis.core.problems import InputError
from analysis.inputs.survey_exports import Layout, map_columns, read_export
from survey_export_builders import (CODEBOOK, ROWS_WITH_INCOMPLETE, STATUS, build_bundle,
                                    build_xlsx, make_frame, own_names_sav)

# ---- the export's own id, municipality and completion columns --------------------------------

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
