"""Unreadable csv files (empty, header only, a folder, rows with the wrong number of fields):
one problem each, never a traceback, and no cascade into the files that refer to them."""

import pytest

from analysis.core import paths
from ingest_helpers import append_to_line, edit_csv, problems_of


# --- unreadable files: one problem each, never a traceback ---------------------------------

CSV_INPUTS = {
    "survey": ("survey/besvarelser.csv", paths.survey_file),
    "register": ("register/helhedsplaner.csv", paths.register_file),
    "excerpts": ("interviews/excerpts.csv", paths.excerpts_file),
    "kommuner": ("reference/kommuner.csv", paths.kommuner_file),
}


@pytest.mark.parametrize("name", list(CSV_INPUTS))
def test_empty_csv_is_one_problem(data_copy, name):
    relative, locate = CSV_INPUTS[name]
    locate(data_copy).write_bytes(b"")

    problems = problems_of(data_copy)

    assert problems == [f"{data_copy / relative} — expected a header row and at least one data "
                        "row (the file is empty)"]


@pytest.mark.parametrize("name", list(CSV_INPUTS))
def test_header_only_csv_is_one_problem_without_cascade(data_copy, name):
    relative, locate = CSV_INPUTS[name]
    path = locate(data_copy)
    path.write_text(path.read_text("utf-8").split("\n", 1)[0] + "\n", "utf-8")

    problems = problems_of(data_copy)

    assert problems == [f"{data_copy / relative} — expected at least one data row below the "
                        "header row"]


@pytest.mark.parametrize("name", list(CSV_INPUTS))
def test_folder_instead_of_csv_is_one_problem(data_copy, name):
    relative, locate = CSV_INPUTS[name]
    path = locate(data_copy)
    path.unlink()
    path.mkdir()

    problems = problems_of(data_copy)

    assert problems == [f"{data_copy / relative} — expected a csv file (this is a folder)"]


def test_broken_kommuner_row_does_not_cascade_into_other_files(data_copy):
    # 101 (København) is in the register, the survey and the excerpts; a broken kommuner.csv
    # is reported once, not once per row that refers to it.
    edit_csv(paths.kommuner_file(data_copy), 2, "kommunekode", "10x")

    problems = problems_of(data_copy)

    assert problems == [f"{paths.kommuner_file(data_copy)}, row 2, column 'kommunekode': "
                        "value '10x' — expected a 3-digit kommunekode, once per municipality"]


def test_broken_register_does_not_cascade_into_survey(data_copy):
    edit_csv(paths.register_file(data_copy), 2, "antal_helhedsplaner", "mange")

    problems = problems_of(data_copy)

    assert problems == [f"{paths.register_file(data_copy)}, row 2, column "
                        "'antal_helhedsplaner': value 'mange' — expected a whole number of "
                        "helhedsplaner"]


# --- rows with the wrong number of fields ---------------------------------------------------

def test_later_row_with_extra_field_names_its_row(data_copy):
    path = paths.register_file(data_copy)
    append_to_line(path, 10, ",x")

    problems = problems_of(data_copy)

    assert problems == [f"{path}, row 10: value '8 fields' — expected 7 fields, as in the "
                        "header row (a value containing the separator ',' must be in double "
                        "quotes)"]


def test_first_row_with_extra_field_is_not_read_as_an_index(data_copy):
    path = paths.survey_file(data_copy)
    append_to_line(path, 2, ",1")

    problems = problems_of(data_copy)

    assert problems == [f"{path}, row 2: value '26 fields' — expected 25 fields, as in the "
                        "header row (a value containing the separator ',' must be in double "
                        "quotes)"]


def test_row_with_missing_field_names_its_row(data_copy):
    path = paths.kommuner_file(data_copy)
    lines = path.read_text("utf-8").split("\n")
    lines[4] = lines[4].rsplit(",", 1)[0]
    path.write_text("\n".join(lines), "utf-8")

    problems = problems_of(data_copy)

    assert problems == [f"{path}, row 5: value '3 fields' — expected 4 fields, as in the "
                        "header row (an empty value still needs its separator)"]
