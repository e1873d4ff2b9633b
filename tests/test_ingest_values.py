"""Loading the data: a wrong value in a table (an unknown code, a duplicate, a role label
that is not listed, ...) is a clear line naming the file, row and column."""

import pandas as pd
import pytest

from analysis.core import paths
from analysis.inputs.dataset import load_dataset
from ingest_helpers import edit_csv, problems_of


def test_shipped_data_is_valid():
    dataset = load_dataset(paths.default_data_dir())

    assert len(dataset.survey.answers) == 41
    assert len(dataset.survey.incomplete) == 2


def test_missing_required_column(data_copy):
    survey = paths.survey_file(data_copy)
    frame = pd.read_csv(survey, dtype=str).drop(columns=["tillid"])
    frame.to_csv(survey, index=False)

    problems = problems_of(data_copy)

    assert any("besvarelser.csv" in p and "'tillid'" in p and "missing" in p for p in problems)


def test_duplicate_respondent(data_copy):
    edit_csv(paths.survey_file(data_copy), 4, "respondentid", "1001")

    problems = problems_of(data_copy)

    assert any("row 4" in p and "'respondentid'" in p and "'1001'" in p for p in problems)


def test_unknown_kommunekode(data_copy):
    edit_csv(paths.survey_file(data_copy), 3, "kommunekode", "998")

    problems = problems_of(data_copy)

    assert any("row 3" in p and "'998'" in p and "kommuner.csv" in p for p in problems)


def test_respondent_missing_from_register(data_copy):
    # Lolland (360) is a real municipality but has no helhedsplan in the register.
    edit_csv(paths.survey_file(data_copy), 5, "kommunekode", "360")

    problems = problems_of(data_copy)

    assert any("row 5" in p and "'360'" in p and "helhedsplan register" in p for p in problems)


def test_answer_code_not_in_codebook(data_copy):
    edit_csv(paths.survey_file(data_copy), 6, "tillid", "7")

    problems = problems_of(data_copy)

    assert any("row 6" in p and "'tillid'" in p and "'7'" in p and "1, 2, 3, 4, 5, 8, 9" in p
               for p in problems)


def test_number_that_is_not_a_number(data_copy):
    edit_csv(paths.register_file(data_copy), 2, "beboere_i_omraader", "ca. 400")

    problems = problems_of(data_copy)

    assert any("helhedsplaner.csv" in p and "row 2" in p and "'ca. 400'" in p
               and "whole number" in p for p in problems)


def test_excerpt_without_role_and_with_unknown_theme(data_copy):
    excerpts = paths.excerpts_file(data_copy)
    edit_csv(excerpts, 3, "rolle", "")
    edit_csv(excerpts, 4, "temaer", "tillid;kaffe")

    problems = problems_of(data_copy)

    assert any("row 3" in p and "'rolle'" in p and "role label" in p for p in problems)
    assert any("row 4" in p and "'temaer'" in p and "kaffe" in p for p in problems)



def test_all_problems_reported_at_once(data_copy):
    edit_csv(paths.survey_file(data_copy), 2, "tillid", "0")
    edit_csv(paths.survey_file(data_copy), 7, "faelles_maal", "x")
    edit_csv(paths.register_file(data_copy), 3, "medfin_lokaler", "2")

    problems = problems_of(data_copy)

    assert len(problems) == 3



def test_codebook_missing_a_group_the_report_needs(data_copy):
    path = paths.survey_codebook_file(data_copy)
    text = path.read_text("utf-8").replace("      fuldtid_eller_mere: [4, 5]\n", "", 1)
    path.write_text(text, "utf-8")

    problems = problems_of(data_copy)

    assert any("codebook.yaml" in p and "(tid_koordinering).groups" in p
               and "fuldtid_eller_mere" in p for p in problems)



# --- a survey the analysis cannot run on ----------------------------------------------------

def test_survey_without_completed_responses(data_copy):
    path = paths.survey_file(data_copy)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame["statoverall_4"] = "0"
    frame.to_csv(path, index=False, lineterminator="\n")

    problems = problems_of(data_copy)

    assert problems == [f"{path}, column 'statoverall_4' — expected at least one completed "
                        "response (statoverall_4 = 1); no row has it"]


# --- role labels (privacy) ------------------------------------------------------------------

def test_role_label_not_in_codebook_is_rejected(data_copy):
    path = paths.excerpts_file(data_copy)
    edit_csv(path, 3, "rolle", "Jens Hansen, chef")

    problems = problems_of(data_copy)

    assert problems == [f"{path}, row 3, column 'rolle': value 'Jens Hansen, chef' — expected "
                        "one of the role labels in data/interviews/codebook.yaml (roles)"]


def test_without_roles_list_any_role_label_is_accepted(data_copy):
    codebook = paths.interview_codebook_file(data_copy)
    text = codebook.read_text("utf-8")
    codebook.write_text(text[:text.index("\nroles:")] + "\n", "utf-8")
    edit_csv(paths.excerpts_file(data_copy), 3, "rolle", "Koordinator")

    dataset = load_dataset(data_copy)

    assert dataset.excerpts.at[1, "rolle"] == "Koordinator"


def test_shipped_excerpts_use_only_listed_role_labels():
    from analysis.inputs.codebook import load_roles

    roles = load_roles(paths.interview_codebook_file(paths.default_data_dir()))
    dataset = load_dataset(paths.default_data_dir())

    assert "Kommunal taktiker" in roles
    assert set(dataset.excerpts["rolle"]) <= set(roles)



@pytest.mark.parametrize("value", ["2", "ja", "-1"])
def test_status_flags_must_be_0_or_1(data_copy, value):
    edit_csv(paths.survey_file(data_copy), 3, "statoverall_2", value)

    problems = problems_of(data_copy)

    assert problems == [f"{paths.survey_file(data_copy)}, row 3, column 'statoverall_2': value "
                        f"'{value}' — expected 1 or 0 (a SurveyXact status flag)"]
