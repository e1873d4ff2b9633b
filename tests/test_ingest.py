"""Loading and validation: every kind of broken input gives a clear line naming the problem."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.core import paths
from analysis.inputs.dataset import load_dataset, read_text_table
from analysis.core.problems import InputError
from analysis.inputs.survey_exports import read_export


def _edit_csv(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell; ``row`` is the spreadsheet row (header = 1)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row - 2, column] = value
    frame.to_csv(path, index=False, lineterminator="\n")


def _problems(data_dir: Path) -> list[str]:
    with pytest.raises(InputError) as err:
        load_dataset(data_dir)
    return [str(p) for p in err.value.problems]


def test_shipped_data_is_valid():
    dataset = load_dataset(paths.default_data_dir())

    assert len(dataset.survey.answers) == 41
    assert len(dataset.survey.incomplete) == 2


def test_missing_required_column(data_copy):
    survey = paths.survey_file(data_copy)
    frame = pd.read_csv(survey, dtype=str).drop(columns=["tillid"])
    frame.to_csv(survey, index=False)

    problems = _problems(data_copy)

    assert any("besvarelser.csv" in p and "'tillid'" in p and "missing" in p for p in problems)


def test_duplicate_respondent(data_copy):
    _edit_csv(paths.survey_file(data_copy), 4, "respondentid", "1001")

    problems = _problems(data_copy)

    assert any("row 4" in p and "'respondentid'" in p and "'1001'" in p for p in problems)


def test_unknown_kommunekode(data_copy):
    _edit_csv(paths.survey_file(data_copy), 3, "kommunekode", "998")

    problems = _problems(data_copy)

    assert any("row 3" in p and "'998'" in p and "kommuner.csv" in p for p in problems)


def test_respondent_missing_from_register(data_copy):
    # Lolland (360) is a real municipality but has no helhedsplan in the register.
    _edit_csv(paths.survey_file(data_copy), 5, "kommunekode", "360")

    problems = _problems(data_copy)

    assert any("row 5" in p and "'360'" in p and "helhedsplan register" in p for p in problems)


def test_answer_code_not_in_codebook(data_copy):
    _edit_csv(paths.survey_file(data_copy), 6, "tillid", "7")

    problems = _problems(data_copy)

    assert any("row 6" in p and "'tillid'" in p and "'7'" in p and "1, 2, 3, 4, 5, 8, 9" in p
               for p in problems)


def test_number_that_is_not_a_number(data_copy):
    _edit_csv(paths.register_file(data_copy), 2, "beboere_i_omraader", "ca. 400")

    problems = _problems(data_copy)

    assert any("helhedsplaner.csv" in p and "row 2" in p and "'ca. 400'" in p
               and "whole number" in p for p in problems)


def test_excerpt_without_role_and_with_unknown_theme(data_copy):
    excerpts = paths.excerpts_file(data_copy)
    _edit_csv(excerpts, 3, "rolle", "")
    _edit_csv(excerpts, 4, "temaer", "tillid;kaffe")

    problems = _problems(data_copy)

    assert any("row 3" in p and "'rolle'" in p and "role label" in p for p in problems)
    assert any("row 4" in p and "'temaer'" in p and "kaffe" in p for p in problems)


@pytest.mark.parametrize("encoding", ["cp1252", "iso-8859-1", "utf-8-sig", "utf-16"])
def test_encodings_keep_danish_letters(data_copy, encoding):
    path = paths.kommuner_file(data_copy)
    path.write_bytes(path.read_text("utf-8").encode(encoding))

    table = read_text_table(path)

    assert "Køge" in set(table.frame["kommunenavn"])
    assert "Ærø" in set(table.frame["kommunenavn"])
    assert load_dataset(data_copy).kommuner.shape[0] == 98


def test_undecodable_file_says_which_encoding_was_expected(data_copy):
    path = paths.kommuner_file(data_copy)
    path.write_bytes(b"kommunekode,kommunenavn\n101,K\x81benhavn\n")

    problems = _problems(data_copy)

    assert any("kommuner.csv" in p and "0x81" in p and "UTF-8" in p for p in problems)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_read_by_where_its_nul_bytes_sit(tmp_path, encoding):
    path = tmp_path / "kommuner.csv"
    path.write_bytes("kommunekode,kommunenavn\n259,Køge\n".encode(encoding))

    table = read_text_table(path)

    assert table.encoding == encoding
    assert table.frame.to_dict("list") == {"kommunekode": ["259"], "kommunenavn": ["Køge"]}


def test_every_text_input_refuses_undecodable_bytes_in_the_same_words(tmp_path):
    # 0x81 is neither UTF-8 nor Windows-1252; a csv file and a survey export's dataset.csv
    # name the file, the line and the byte alike.
    table = tmp_path / "kommuner.csv"
    table.write_bytes(b"kommunekode,kommunenavn\n101,K\x81benhavn\n")
    export = tmp_path / "eksport.csv"
    export.write_bytes(b"respondentid,kommunekode\n11,101\n12,K\x81ge\n")

    with pytest.raises(InputError) as from_table:
        read_text_table(table)
    with pytest.raises(InputError) as from_export:
        read_export(export)

    assert str(from_table.value) == (
        f"{table}, row 2: value 'byte 0x81' — expected text in UTF-8, UTF-16 with BOM, or ANSI "
        "(Windows-1252/ISO-8859-1)")
    assert str(from_export.value) == (
        "eksport.csv, row 3: value 'byte 0x81' — expected text in UTF-8, UTF-16 with BOM, or "
        "ANSI (Windows-1252/ISO-8859-1)")


def test_binary_file_named_csv_is_not_text(tmp_path):
    path = tmp_path / "besvarelser.csv"
    path.write_bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00 an .xlsx renamed to .csv")

    with pytest.raises(InputError) as error:
        read_text_table(path)

    [problem] = error.value.problems
    assert (problem.row, problem.value) == (1, "byte 0x00")


def test_semicolon_separated_csv_reads_like_comma(data_copy):
    path = paths.register_file(data_copy)
    frame = pd.read_csv(path, dtype=str)
    frame.to_csv(path, sep=";", index=False)

    table = read_text_table(path)

    assert table.delimiter == ";"
    assert load_dataset(data_copy).register.equals(load_dataset(paths.default_data_dir()).register)


def test_all_problems_reported_at_once(data_copy):
    _edit_csv(paths.survey_file(data_copy), 2, "tillid", "0")
    _edit_csv(paths.survey_file(data_copy), 7, "faelles_maal", "x")
    _edit_csv(paths.register_file(data_copy), 3, "medfin_lokaler", "2")

    problems = _problems(data_copy)

    assert len(problems) == 3


def test_cli_validate_ok():
    result = subprocess.run([sys.executable, "-m", "analysis", "validate"],
                            capture_output=True, text=True)

    assert result.returncode == 0, result.stderr
    assert "41 completed survey responses" in result.stdout


def test_cli_validate_broken_exits_1_without_traceback(data_copy):
    _edit_csv(paths.survey_file(data_copy), 4, "respondentid", "1001")

    result = subprocess.run([sys.executable, "-m", "analysis", "validate", "--data",
                             str(data_copy)], capture_output=True, text=True)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "besvarelser.csv, row 4, column 'respondentid': value '1001'" in result.stderr


def test_codebook_missing_a_group_the_report_needs(data_copy):
    path = paths.survey_codebook_file(data_copy)
    text = path.read_text("utf-8").replace("      fuldtid_eller_mere: [4, 5]\n", "", 1)
    path.write_text(text, "utf-8")

    problems = _problems(data_copy)

    assert any("codebook.yaml" in p and "(tid_koordinering).groups" in p
               and "fuldtid_eller_mere" in p for p in problems)


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

    problems = _problems(data_copy)

    assert problems == [f"{data_copy / relative} — expected a header row and at least one data "
                        "row (the file is empty)"]


@pytest.mark.parametrize("name", list(CSV_INPUTS))
def test_header_only_csv_is_one_problem_without_cascade(data_copy, name):
    relative, locate = CSV_INPUTS[name]
    path = locate(data_copy)
    path.write_text(path.read_text("utf-8").split("\n", 1)[0] + "\n", "utf-8")

    problems = _problems(data_copy)

    assert problems == [f"{data_copy / relative} — expected at least one data row below the "
                        "header row"]


@pytest.mark.parametrize("name", list(CSV_INPUTS))
def test_folder_instead_of_csv_is_one_problem(data_copy, name):
    relative, locate = CSV_INPUTS[name]
    path = locate(data_copy)
    path.unlink()
    path.mkdir()

    problems = _problems(data_copy)

    assert problems == [f"{data_copy / relative} — expected a csv file (this is a folder)"]


def test_broken_kommuner_row_does_not_cascade_into_other_files(data_copy):
    # 101 (København) is in the register, the survey and the excerpts; a broken kommuner.csv
    # is reported once, not once per row that refers to it.
    _edit_csv(paths.kommuner_file(data_copy), 2, "kommunekode", "10x")

    problems = _problems(data_copy)

    assert problems == [f"{paths.kommuner_file(data_copy)}, row 2, column 'kommunekode': "
                        "value '10x' — expected a 3-digit kommunekode, once per municipality"]


def test_broken_register_does_not_cascade_into_survey(data_copy):
    _edit_csv(paths.register_file(data_copy), 2, "antal_helhedsplaner", "mange")

    problems = _problems(data_copy)

    assert problems == [f"{paths.register_file(data_copy)}, row 2, column "
                        "'antal_helhedsplaner': value 'mange' — expected a whole number of "
                        "helhedsplaner"]


# --- rows with the wrong number of fields ---------------------------------------------------

def _append_to_line(path: Path, line: int, suffix: str) -> None:
    lines = path.read_text("utf-8").split("\n")
    lines[line - 1] += suffix
    path.write_text("\n".join(lines), "utf-8")


def test_later_row_with_extra_field_names_its_row(data_copy):
    path = paths.register_file(data_copy)
    _append_to_line(path, 10, ",x")

    problems = _problems(data_copy)

    assert problems == [f"{path}, row 10: value '8 fields' — expected 7 fields, as in the "
                        "header row (a value containing the separator ',' must be in double "
                        "quotes)"]


def test_first_row_with_extra_field_is_not_read_as_an_index(data_copy):
    path = paths.survey_file(data_copy)
    _append_to_line(path, 2, ",1")

    problems = _problems(data_copy)

    assert problems == [f"{path}, row 2: value '26 fields' — expected 25 fields, as in the "
                        "header row (a value containing the separator ',' must be in double "
                        "quotes)"]


def test_row_with_missing_field_names_its_row(data_copy):
    path = paths.kommuner_file(data_copy)
    lines = path.read_text("utf-8").split("\n")
    lines[4] = lines[4].rsplit(",", 1)[0]
    path.write_text("\n".join(lines), "utf-8")

    problems = _problems(data_copy)

    assert problems == [f"{path}, row 5: value '3 fields' — expected 4 fields, as in the "
                        "header row (an empty value still needs its separator)"]


# --- YAML files -----------------------------------------------------------------------------

def test_yaml_syntax_error_is_one_line_with_line_and_column(data_copy):
    path = paths.interview_codebook_file(data_copy)
    path.write_text("themes:\n  - code: tillid\n    name: [Tillid\n", "utf-8")

    problems = _problems(data_copy)

    assert problems == [f"{path}, row 4, column '1' — expected valid YAML (expected ',' or ']', "
                        "but got '<stream end>')"]


def test_dataset_yaml_syntax_error_is_a_problem(data_copy):
    path = data_copy / "dataset.yaml"
    path.write_text("synthetic: true\nsurvey_period: [foråret 2015\n", "utf-8")

    problems = _problems(data_copy)

    assert problems == [f"{path}, row 3, column '1' — expected valid YAML (expected ',' or ']', "
                        "but got '<stream end>')"]


def test_published_yaml_that_is_not_a_mapping_is_a_problem(data_copy):
    path = paths.published_file(data_copy)
    path.write_text("- 41\n- 44\n", "utf-8")

    problems = _problems(data_copy)

    assert problems == [f"{path} — expected a YAML mapping at the top"]


def test_optional_yaml_files_may_be_missing(data_copy):
    (data_copy / "dataset.yaml").unlink()
    paths.published_file(data_copy).unlink()

    dataset = load_dataset(data_copy)

    assert dataset.about == {}
    assert dataset.published == {}


# --- a survey the analysis cannot run on ----------------------------------------------------

def test_survey_without_completed_responses(data_copy):
    path = paths.survey_file(data_copy)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame["statoverall_4"] = "0"
    frame.to_csv(path, index=False, lineterminator="\n")

    problems = _problems(data_copy)

    assert problems == [f"{path}, column 'statoverall_4' — expected at least one completed "
                        "response (statoverall_4 = 1); no row has it"]


# --- role labels (privacy) ------------------------------------------------------------------

def test_role_label_not_in_codebook_is_rejected(data_copy):
    path = paths.excerpts_file(data_copy)
    _edit_csv(path, 3, "rolle", "Jens Hansen, chef")

    problems = _problems(data_copy)

    assert problems == [f"{path}, row 3, column 'rolle': value 'Jens Hansen, chef' — expected "
                        "one of the role labels in data/interviews/codebook.yaml (roles)"]


def test_without_roles_list_any_role_label_is_accepted(data_copy):
    codebook = paths.interview_codebook_file(data_copy)
    text = codebook.read_text("utf-8")
    codebook.write_text(text[:text.index("\nroles:")] + "\n", "utf-8")
    _edit_csv(paths.excerpts_file(data_copy), 3, "rolle", "Koordinator")

    dataset = load_dataset(data_copy)

    assert dataset.excerpts.at[1, "rolle"] == "Koordinator"


def test_shipped_excerpts_use_only_listed_role_labels():
    from analysis.inputs.codebook import load_roles

    roles = load_roles(paths.interview_codebook_file(paths.default_data_dir()))
    dataset = load_dataset(paths.default_data_dir())

    assert "Kommunal taktiker" in roles
    assert set(dataset.excerpts["rolle"]) <= set(roles)


# --- the CLI --------------------------------------------------------------------------------

@pytest.mark.parametrize("breakage", ["empty", "folder", "extra_field", "yaml"])
def test_cli_validate_bad_files_exit_1_without_traceback(data_copy, breakage):
    register = paths.register_file(data_copy)
    if breakage == "empty":
        register.write_bytes(b"")
    elif breakage == "folder":
        register.unlink()
        register.mkdir()
    elif breakage == "extra_field":
        _append_to_line(register, 10, ",x")
    else:
        (data_copy / "dataset.yaml").write_text("synthetic: [\n", "utf-8")

    result = subprocess.run([sys.executable, "-m", "analysis", "validate", "--data",
                             str(data_copy)], capture_output=True, text=True)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "1 problem(s) found." in result.stderr


# --- ids defined twice in a codebook: both places named ---------------------------------------

def _line_of(path: Path, text: str, start: int = 1) -> int:
    """1-based number of the first line at or after ``start`` that contains ``text``."""
    lines = path.read_text("utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if i >= start and text in line)


def _replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_question_defined_twice_names_both_places(data_copy):
    path = paths.survey_codebook_file(data_copy)
    first = _line_of(path, "  - id: faelles_maal")
    _replace_once(path, "  - id: tillid\n", "  - id: faelles_maal\n")
    second = _line_of(path, "  - id: faelles_maal", first + 1)

    problems = _problems(data_copy)

    assert any(p.startswith(f"{path}, row {second}, ") and "'faelles_maal'" in p
               and f"row {first}" in p for p in problems), problems


def test_answer_code_twice_in_one_question_names_both_places(data_copy):
    path = paths.survey_codebook_file(data_copy)
    _replace_once(path, '      1: "Meget begrænset tid"\n',
                  '      1: "Meget begrænset tid"\n      1: "Ingen tid"\n')
    first = _line_of(path, '      1: "Meget begrænset tid"')

    problems = _problems(data_copy)

    assert any(p.startswith(f"{path}, row {first + 1}, ") and "value '1'" in p
               and "tid_koordinering" in p and f"row {first})" in p for p in problems), problems


def test_answer_code_both_answer_and_missing_is_a_problem(data_copy):
    path = paths.survey_codebook_file(data_copy)
    _replace_once(path, 'answers: {1: "Ja", 2: "Nej"}\n    missing: *missing',
                  'answers: {1: "Ja", 2: "Nej", 8: "Måske"}\n    missing: *missing')
    answers = _line_of(path, '8: "Måske"')

    problems = _problems(data_copy)

    assert any("(har_koordinator).missing" in p and "value '8'" in p
               and f"also in answers, row {answers})" in p for p in problems), problems


def test_option_column_of_two_questions_names_both_places(data_copy):
    path = paths.survey_codebook_file(data_copy)
    first = _line_of(path, "      forum_strategisk:")
    _replace_once(path, "      forum_taktisk:", "      forum_strategisk:")

    problems = _problems(data_copy)

    assert any(p.startswith(f"{path}, row {first + 1}, ") and "'forum_strategisk'" in p
               and f"row {first})" in p for p in problems), problems


def test_theme_code_twice_names_both_places(data_copy):
    path = paths.interview_codebook_file(data_copy)
    first = _line_of(path, "  - code: tillid")
    _replace_once(path, "  - code: loyalitet\n", "  - code: tillid\n")
    second = _line_of(path, "  - code: tillid", first + 1)

    problems = _problems(data_copy)

    assert any(p.startswith(f"{path}, row {second}, ") and "'tillid'" in p
               and f"row {first})" in p for p in problems), problems


def test_alias_of_two_themes_is_a_problem(data_copy):
    path = paths.interview_codebook_file(data_copy)
    _replace_once(path, 'aliases: ["Loyalitet"]', 'aliases: ["Tillid og relationer"]')

    problems = _problems(data_copy)

    assert any("'Tillid og relationer'" in p and "themes[" in p and "also themes[" in p
               for p in problems), problems


@pytest.mark.parametrize("value", ["2", "ja", "-1"])
def test_status_flags_must_be_0_or_1(data_copy, value):
    _edit_csv(paths.survey_file(data_copy), 3, "statoverall_2", value)

    problems = _problems(data_copy)

    assert problems == [f"{paths.survey_file(data_copy)}, row 3, column 'statoverall_2': value "
                        f"'{value}' — expected 1 or 0 (a SurveyXact status flag)"]


@pytest.mark.parametrize(("line", "key"), [("synthetic: ja tak", "synthetic"),
                                           ('survey_period: ""', "survey_period"),
                                           ("calibrated: nej", "calibrated")])
def test_dataset_yaml_values_are_checked(data_copy, line, key):
    path = data_copy / "dataset.yaml"
    kept = [x for x in path.read_text("utf-8").splitlines() if not x.startswith(f"{key}:")]
    path.write_text("\n".join(kept + [line]) + "\n", "utf-8")

    problems = _problems(data_copy)

    assert len(problems) == 1 and problems[0].startswith(f"{path}, column '{key}'"), problems
