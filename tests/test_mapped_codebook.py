"""A codebook that maps the export's own variable names (``column:``) to the report's ids:
the shipped survey written as an SPSS file under other names loads to the same answers, and
validate names what a half-mapped codebook lacks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest
import yaml

from analysis.core import paths
from analysis.inputs.dataset import load_dataset
from shipped_inputs import DATA, SURVEY_CODEBOOK, cli


OWN_NAMES = {"respondentid": "lbnr", "kommunekode": "Kommune", "statoverall_4": "Finished"}


@pytest.fixture(scope="module")
def own_names(shipped_frame) -> dict[str, str]:
    questions = [c for c in shipped_frame.columns if not c.startswith(("statoverall", "resp",
                                                                       "kommune"))]
    names = dict(OWN_NAMES)
    options = [c for c in questions if c.startswith("forum_")]
    names.update({c: f"q{i:02d}" for i, c in enumerate(
        [c for c in questions if c not in options], start=1)})
    names.update({c: f"q99_{i}" for i, c in enumerate(options, start=1)})
    return names


def data_with_own_sav(target: Path, frame: pd.DataFrame, names: dict[str, str],
                      drop: tuple[str, ...] = ()) -> Path:
    """A copy of data/ whose survey is an SPSS file with its own variable names, and whose
    codebook maps them (``column:``) to the report's ids; questions in ``drop`` are left out
    of the codebook."""
    data = target / "data"
    shutil.copytree(DATA, data)
    paths.survey_file(data).unlink()
    export = frame.drop(columns=[c for c in frame.columns
                                 if c.startswith("statoverall") and c != "statoverall_4"])
    export = export.rename(columns=names).astype(float)
    pyreadstat.write_sav(export, str(data / "survey" / "egen_eksport.sav"))
    book = yaml.safe_load(SURVEY_CODEBOOK.read_text(encoding="utf-8"))
    book["survey"].update(id_column="lbnr", kommune_column="Kommune",
                          completion_column="Finished", completed_code=1)
    questions = []
    for question in book["questions"]:
        if question["id"] in drop:
            continue
        if question["type"] == "multiple":
            question["options"] = {option: {"label": label, "column": names[option]}
                                   for option, label in question["options"].items()}
        else:
            question["column"] = names[question["id"]]
        questions.append(question)
    book["questions"] = questions
    book.pop("scales")
    paths.survey_codebook_file(data).write_text(yaml.safe_dump(book, allow_unicode=True),
                                                encoding="utf-8")
    return data


def test_a_mapped_codebook_reads_the_export_s_own_names(tmp_path, capsys, shipped,
                                                        shipped_frame, own_names):
    data = data_with_own_sav(tmp_path, shipped_frame, own_names)

    survey = load_dataset(data).survey

    columns = ["respondentid", "kommunekode", *shipped.codebook.answer_columns]
    assert survey.answers[columns].equals(shipped.survey.answers[columns])
    assert survey.incomplete.equals(shipped.survey.incomplete)
    run = cli(capsys, "validate", "--data", data)
    assert run.returncode == 0, run.stderr
    assert "41 completed survey responses (spss-sav: egen_eksport.sav" in run.stdout


def test_a_bad_code_in_a_mapped_variable_is_named_by_the_export_s_variable(tmp_path, capsys,
                                                                           shipped_frame,
                                                                           own_names):
    frame = shipped_frame.copy()
    frame.loc[3, "tillid"] = 7   # the fourth respondent: SPSS row 4
    data = data_with_own_sav(tmp_path, frame, own_names)

    run = cli(capsys, "validate", "--data", data)

    assert run.returncode == 1
    assert f"column '{own_names['tillid']} (mapped to tillid)': value '7' — expected an answer " \
        "code of 'tillid'" in run.stderr


def test_validate_lists_every_report_question_a_half_mapped_codebook_lacks(tmp_path, capsys,
                                                                           shipped_frame,
                                                                           own_names):
    drop = ("trin_helhedsplan", "forum", "tilfreds_pol_ledelse", "metodefrihed")
    data = data_with_own_sav(tmp_path, shipped_frame, own_names, drop)

    run = cli(capsys, "validate", "--data", data)

    assert run.returncode == 1
    assert "Traceback" not in run.stderr and run.stdout == ""
    codebook = data / "survey" / "codebook.yaml"
    assert run.stderr.splitlines() == [
        f"{codebook}, column 'questions': value 'tilfreds_pol_ledelse' — expected a question "
        "'tilfreds_pol_ledelse': the report uses it in chapter 6; it needs type ordinal; "
        "answer groups tilfreds",
        f"{codebook}, column 'questions': value 'trin_helhedsplan' — expected a question "
        "'trin_helhedsplan': the report uses it in chapter 2 (also the recommendations); it "
        "needs type ordinal; answer groups nederste_trin, oeverste_trin; answer codes 1, 2, 3, 4",
        f"{codebook}, column 'questions': value 'forum' — expected a question 'forum': the "
        "report uses it in chapter 4 (also the recommendations); it needs type multiple; "
        "option columns forum_strategisk, forum_taktisk, forum_udfoerende",
        f"{codebook}, column 'questions': value 'metodefrihed' — expected a question "
        "'metodefrihed': the report uses it in chapter 6 (also the recommendations); it needs "
        "type ordinal; answer groups enig; answer codes 1, 2, 3",
        "4 problem(s) found."]


def test_validate_names_a_report_question_of_the_wrong_type(tmp_path, capsys, shipped_frame,
                                                            own_names):
    data = data_with_own_sav(tmp_path, shipped_frame, own_names)
    path = paths.survey_codebook_file(data)
    book = yaml.safe_load(path.read_text(encoding="utf-8"))
    for question in book["questions"]:
        if question["id"] == "trin_boligorganisation":
            question["type"] = "single"       # as a draft guesses it
            del question["groups"]["oeverste_trin"]
    path.write_text(yaml.safe_dump(book, allow_unicode=True), encoding="utf-8")

    run = cli(capsys, "validate", "--data", data)

    assert run.returncode == 1
    lines = run.stderr.splitlines()
    assert lines[-1] == "2 problem(s) found."
    assert "column 'questions (trin_boligorganisation).type': value 'single' — expected " \
        "ordinal: the report uses it in chapter 2" in lines[0]
    assert "column 'questions (trin_boligorganisation).groups' — expected a group " \
        "'oeverste_trin'" in lines[1]
