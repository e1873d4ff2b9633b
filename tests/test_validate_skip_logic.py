"""``rapport validate`` names every answer the codebook's skip logic (``asked_if``) says was not
asked, and skip logic that names a question or code the codebook does not have."""

import pandas as pd
import pytest

from analysis.cli import main
from analysis.core import paths
from ingest_helpers import edit_csv

EXPECTED_PLACEMENT = ("expected no answer (blank, or a missing code 8, 9): "
                      "'koordinator_placering' is asked only if har_koordinator is 1 (Ja), "
                      "and this respondent's har_koordinator is {given}")


def _validate(data_dir, capsys) -> tuple[int, list[str], str]:
    code = main(["validate", "--data", str(data_dir)])
    out = capsys.readouterr()
    return code, out.err.splitlines(), out.out


def _row_without_coordinator(data_dir) -> int:
    """The spreadsheet row (header = 1) of the first respondent without a coordinator."""
    answers = pd.read_csv(paths.survey_file(data_dir), dtype=str, keep_default_na=False)
    return int(answers.index[answers["har_koordinator"] == "2"][0]) + 2


def test_an_answer_that_was_not_asked_is_an_error(data_copy, capsys):
    row = _row_without_coordinator(data_copy)
    edit_csv(paths.survey_file(data_copy), row, "koordinator_placering", "2")

    code, err, _ = _validate(data_copy, capsys)

    assert code == 1
    assert err == [f"{paths.survey_file(data_copy)}, row {row}, column 'koordinator_placering': "
                   f"value '2' — " + EXPECTED_PLACEMENT.format(given="2 (Nej)"),
                   "1 problem(s) found."]


def test_a_blank_condition_means_not_asked(data_copy, capsys):
    row = _row_without_coordinator(data_copy)
    edit_csv(paths.survey_file(data_copy), row, "har_koordinator", "")
    edit_csv(paths.survey_file(data_copy), row, "koordinator_placering", "1")

    code, err, _ = _validate(data_copy, capsys)

    assert code == 1
    assert err[0] == (f"{paths.survey_file(data_copy)}, row {row}, column "
                      f"'koordinator_placering': value '1' — "
                      + EXPECTED_PLACEMENT.format(given="blank"))


@pytest.mark.parametrize("value", ["", "9"])
def test_blank_or_a_missing_code_is_no_answer(data_copy, capsys, value):
    row = _row_without_coordinator(data_copy)
    edit_csv(paths.survey_file(data_copy), row, "koordinator_placering", value)

    code, err, out = _validate(data_copy, capsys)

    assert code == 0, err
    assert out.startswith("OK:")


def test_skip_logic_naming_an_unknown_question_is_an_error(data_copy, capsys):
    codebook = paths.survey_codebook_file(data_copy)
    text = codebook.read_text("utf-8")
    codebook.write_text(text.replace("asked_if: {har_koordinator: [1]}",
                                     "asked_if: {har_koordinatr: [1]}"), "utf-8")

    code, err, _ = _validate(data_copy, capsys)

    assert code == 1
    assert err == [f"{codebook}, column 'questions[1] (koordinator_placering).asked_if': "
                   "value 'har_koordinatr' — expected the id of another question of this "
                   "codebook (did you mean 'har_koordinator'?)",
                   "1 problem(s) found."]


@pytest.mark.parametrize(("written", "value", "expected"), [
    ("[7]", "'7'", "answer codes of 'har_koordinator' (1, 2, 8, 9)"),
    ("[ja]", "['ja']", "a list of whole-number answer codes of 'har_koordinator' under which "
                       "this question is asked, e.g. [1]"),
])
def test_skip_logic_with_codes_the_question_lacks_is_an_error(data_copy, capsys, written,
                                                              value, expected):
    codebook = paths.survey_codebook_file(data_copy)
    text = codebook.read_text("utf-8")
    codebook.write_text(text.replace("asked_if: {har_koordinator: [1]}",
                                     f"asked_if: {{har_koordinator: {written}}}"), "utf-8")

    code, err, _ = _validate(data_copy, capsys)

    assert code == 1
    assert err == [f"{codebook}, column 'questions[1] (koordinator_placering).asked_if"
                   f".har_koordinator': value {value} — expected {expected}",
                   "1 problem(s) found."]
