"""A survey export put into ``data/survey/`` in place of besvarelser.csv: each format loads
to exactly the shipped answers and passes ``rapport validate``; lock files of an open workbook
are not a second export, and two exports are named instead of guessed between."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.inputs.dataset import find_survey_file, load_dataset
from analysis.core.problems import InputError
from survey_export_files import write_export
from shipped_inputs import EXPORTS, SURVEY_CODEBOOK, cli, data_with_export, rapport


@pytest.mark.parametrize("fmt,name,source", EXPORTS, ids=[n for _, n, _ in EXPORTS])
def test_export_loads_to_the_shipped_answers_and_validates(tmp_path, capsys, shipped,
                                                           shipped_frame, kommune_names, fmt,
                                                           name, source):
    data = data_with_export(tmp_path, shipped_frame, fmt, name, kommune_names)

    assert find_survey_file(data) == data / "survey" / name
    survey = load_dataset(data).survey
    pd.testing.assert_frame_equal(survey.answers, shipped.survey.answers)
    assert survey.answers.equals(shipped.survey.answers)  # dtypes too (kommunekode plain str)
    assert survey.incomplete.equals(shipped.survey.incomplete)
    assert survey.source.startswith(source)
    assert len(survey.incomplete) == 2

    run = cli(capsys, "validate", "--data", data)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("OK: ")
    assert f"{len(shipped.survey.answers)} completed survey responses ({source}" in run.stdout


def test_rapport_validate_command_accepts_a_zipped_bundle(tmp_path, shipped_frame,
                                                          kommune_names):
    data = data_with_export(tmp_path, shipped_frame, "tab_utf16", "surveyxact.zip",
                            kommune_names)

    run = rapport("validate", "--data", data)

    assert run.returncode == 0, run.stderr
    assert "41 completed survey responses (surveyxact-csv: surveyxact.zip (utf-16))" \
        in run.stdout
    assert "note: 2 incomplete responses excluded" in run.stdout


def test_open_workbook_lock_file_is_not_a_second_export(tmp_path, shipped_frame, kommune_names):
    data = data_with_export(tmp_path, shipped_frame, "xlsx", "besvarelser.xlsx", kommune_names)
    (data / "survey" / "~$besvarelser.xlsx").write_bytes(b"lock")   # Excel has it open
    (data / "survey" / "._besvarelser.xlsx").write_bytes(b"mac")    # macOS resource fork

    assert find_survey_file(data) == data / "survey" / "besvarelser.xlsx"


def test_two_exports_are_named_instead_of_guessing(tmp_path, capsys, shipped_frame,
                                                   kommune_names):
    data = data_with_export(tmp_path, shipped_frame, "xlsx", "besvarelser.xlsx", kommune_names)
    write_export(shipped_frame, SURVEY_CODEBOOK, data / "survey" / "besvarelser.sav", "sav")

    with pytest.raises(InputError) as error:
        find_survey_file(data)
    assert "besvarelser.sav, besvarelser.xlsx" in str(error.value)

    run = cli(capsys, "validate", "--data", data)
    assert run.returncode == 1
    assert "besvarelser.sav, besvarelser.xlsx" in run.stderr.splitlines()[0]


# ----------------------------------------------------------------------------- codebook draft
