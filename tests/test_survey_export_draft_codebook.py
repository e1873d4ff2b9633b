"""A codebook drafted from a survey export: labels, types and the layout guessed, and what
it cannot know left TODO for the researcher."""

from __future__ import annotations

import pandas as pd
import pyreadstat
import pytest
import yaml

from analysis.core.problems import InputError
from analysis.inputs.survey_exports import draft_codebook
from survey_export_builders import BUILDERS, CODEBOOK, OPTIONS, TEXTS, own_names_sav

# ---- draft codebook -------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["xlsx", "sav", "comma_cp1252"])
def test_draft_codebook_answer_labels_match_the_survey(tmp_path, kind):
    # Arrange
    path = BUILDERS[kind][0](tmp_path)
    original = {q["id"]: q for q in yaml.safe_load(CODEBOOK)["questions"]}

    # Act
    draft = draft_codebook(path)

    # Assert
    doc = yaml.safe_load(draft.text)
    drafted = {q["id"]: q for q in doc["questions"]}
    assert list(drafted) == ["har_koordinator", "tilfreds", "trin", "forum"]
    for qid in ("har_koordinator", "tilfreds", "trin"):
        assert drafted[qid]["answers"] == original[qid]["answers"]
        assert drafted[qid]["missing"] == original[qid]["missing"]
        assert drafted[qid]["text"] == original[qid]["text"]
        assert drafted[qid]["column"] == qid
        assert drafted[qid]["short"] == "TODO"
    assert drafted["har_koordinator"]["chapter"] == 1  # a report question: its chapter is known
    assert drafted["har_koordinator"]["groups"] == {"ja": "TODO", "nej": "TODO"}
    assert drafted["tilfreds"]["chapter"] == "TODO" and drafted["tilfreds"]["groups"] == "TODO"
    assert drafted["har_koordinator"]["type"] == "single"
    assert drafted["tilfreds"]["type"] == "ordinal"
    # the steps of the trappe read as a scale only where SPSS says so (measure: ordinal)
    assert drafted["trin"]["type"] == ("ordinal" if kind == "sav" else "single")
    assert drafted["forum"]["type"] == "multiple"
    assert drafted["forum"]["options"] == OPTIONS
    assert drafted["forum"]["text"] == TEXTS["forum"]
    assert doc["survey"] == {"title": "TODO", "id_column": "respondentid",
                             "kommune_column": "kommunekode",
                             "completion_column": "statoverall_4", "completed_code": 1}
    assert "chapter: TODO  # a chapter number 1-6" in draft.text
    assert "id column: guessed respondentid (unique whole numbers); change it with --id" \
        in draft.messages


def test_draft_guesses_columns_named_the_export_s_own_way(tmp_path):
    path = own_names_sav(tmp_path / "own.sav")

    draft = draft_codebook(path)

    doc = yaml.safe_load(draft.text)
    assert doc["survey"] == {"title": "TODO", "id_column": "lbnr", "kommune_column": "Kommune",
                             "completion_column": "Finished", "completed_code": 1}
    assert [q["id"] for q in doc["questions"]] == ["q1"]


def test_draft_leaves_unknown_columns_todo_with_a_message_and_takes_options(tmp_path):
    path = tmp_path / "plain.sav"
    pyreadstat.write_sav(pd.DataFrame({"nr": [1.0, 2.0], "sted": [259.0, 101.0],
                                       "q1": [1.0, 2.0]}), str(path))

    guessed = draft_codebook(path)
    given = draft_codebook(path, id_column="NR", kommune_column="sted",
                           completion_column="none")

    survey = yaml.safe_load(guessed.text)["survey"]
    assert (survey["id_column"], survey["kommune_column"], survey["completion_column"]) == \
        ("TODO", "TODO", "TODO")
    assert sum(m.startswith(("id column: TODO", "municipality column: TODO",
                             "completion column: TODO")) for m in guessed.messages) == 3
    survey = yaml.safe_load(given.text)["survey"]
    assert (survey["id_column"], survey["kommune_column"], survey["completion_column"]) == \
        ("nr", "sted", None)
    assert [q["id"] for q in yaml.safe_load(given.text)["questions"]] == ["q1"]
    with pytest.raises(InputError) as error:
        draft_codebook(path, id_column="lbnr")
    assert "a column named by --id (the export has: nr, sted, q1)" in str(error.value)


def test_draft_keeps_labels_in_other_scripts(tmp_path):
    path = tmp_path / "cyrillic.sav"
    pyreadstat.write_sav(pd.DataFrame({"вопрос": [1.0, 2.0, 1.0]}), str(path),
                         column_labels={"вопрос": "Есть ли координатор?"},
                         variable_value_labels={"вопрос": {1: "Да", 2: "Нет"}})

    draft = draft_codebook(path)

    [question] = yaml.safe_load(draft.text)["questions"]
    assert (question["id"], question["text"], question["answers"]) == (
        "вопрос", "Есть ли координатор?", {1: "Да", 2: "Нет"})
    assert "Есть ли координатор?" in draft.text   # written as text, not as \u escapes


def test_codebook_command_refuses_a_completed_code_that_is_not_a_number(tmp_path, capsys):
    from analysis.cli import main

    path = own_names_sav(tmp_path / "own.sav")

    assert main(["codebook", "--from", str(path), "--completed", "Finished=ja"]) == 1
    assert main(["codebook", "--from", str(path), "--completed", "Finished=2",
                 "--out", str(tmp_path / "d.yaml")]) == 0

    err = capsys.readouterr().err.splitlines()
    assert err[0] == ("--completed: value 'Finished=ja' — expected COLUMN=CODE with a "
                      "whole-number code, e.g. Finished=1")
    survey = yaml.safe_load((tmp_path / "d.yaml").read_text(encoding="utf-8"))["survey"]
    assert (survey["completion_column"], survey["completed_code"]) == ("Finished", 2)
