"""Loading and validation: every kind of broken input gives a clear line naming the problem."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.ingest import load_dataset, read_text_table
from analysis.problems import InputError


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
