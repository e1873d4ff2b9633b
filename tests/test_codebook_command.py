"""``rapport codebook --from``: a codebook drafted from the shipped survey (as a workbook and as
csv) matches the shipped codebook, and drafts of real SPSS files (tests/fixtures/spss) say
what they found, leave TODO what they cannot know, and load once that is filled in."""

from __future__ import annotations

import pytest
import yaml

from analysis.core import paths
from analysis.inputs.codebook import load_survey_codebook
from analysis.core.problems import InputError
from analysis.inputs.questions import REQUIRED_QUESTIONS
from analysis.inputs.survey_exports import draft_codebook
from survey_export_files import write_export
from shipped_inputs import DATA, PROJECT, SURVEY_CODEBOOK, cli, rapport


def test_codebook_drafted_from_the_workbook_matches_the_shipped_codebook(tmp_path,
                                                                          shipped_frame):
    export = write_export(shipped_frame, SURVEY_CODEBOOK, tmp_path / "besvarelser.xlsx", "xlsx")

    run = rapport("codebook", "--from", export)

    assert run.returncode == 0, run.stderr
    draft = yaml.safe_load(run.stdout)
    shipped = yaml.safe_load(SURVEY_CODEBOOK.read_text(encoding="utf-8"))
    assert draft["survey"] == {"title": "TODO", "id_column": "respondentid",
                               "kommune_column": "kommunekode",
                               "completion_column": "statoverall_4", "completed_code": 1}
    drafted = {q["id"]: q for q in draft["questions"]}
    assert set(drafted) == {q["id"] for q in shipped["questions"]}
    for question in shipped["questions"]:
        entry = drafted[question["id"]]
        assert entry["text"] == question["text"]
        assert entry.get("answers") == question.get("answers")
        assert entry.get("missing") == question.get("missing")
        assert entry.get("options") == question.get("options")
        assert entry["chapter"] == question["chapter"]  # the report's own questions
        assert entry["short"] == "TODO"                  # for the researcher
        if question["type"] != "multiple":
            assert set(entry["groups"]) <= set(question["groups"])
            assert set(entry["groups"].values()) == {"TODO"}
    # What the draft cannot know: the steps of the "samarbejdstrappe" (Vidensdeling …
    # Innovative løsninger) do not read as a scale, so they are drafted as `single`.
    wrong_type = {q["id"]: drafted[q["id"]]["type"] for q in shipped["questions"]
                  if drafted[q["id"]]["type"] != q["type"]}
    assert wrong_type == {"trin_boligorganisation": "single", "trin_helhedsplan": "single"}
    assert "short: TODO  # a short Danish label for tables and figures" in run.stdout
    assert "id column: guessed respondentid" in run.stderr


def test_codebook_drafted_from_the_shipped_csv_names_the_report_s_questions(capsys, shipped):
    # besvarelser.csv has no labels: the variables named like the report's questions get the
    # type and chapter the report needs, and their codes as answers to label.
    run = cli(capsys, "codebook", "--from", paths.survey_file(DATA))

    assert run.returncode == 0, run.stderr
    drafted = {q["id"]: q for q in yaml.safe_load(run.stdout)["questions"]}
    assert set(drafted) == {q.id for q in REQUIRED_QUESTIONS}
    assert drafted["forum"]["options"] == {"forum_strategisk": "forum_strategisk",
                                           "forum_taktisk": "forum_taktisk",
                                           "forum_udfoerende": "forum_udfoerende"}
    for q in REQUIRED_QUESTIONS:
        assert drafted[q.id]["chapter"] == q.chapter and drafted[q.id]["type"] == q.type
    assert set(drafted["trin_helhedsplan"]["answers"]) <= {1, 2, 3, 4, 8, 9}
    assert set(drafted["har_koordinator"]["answers"].values()) == {"TODO"}


def test_codebook_refuses_an_unreadable_file_in_one_line(capsys, tmp_path):
    path = tmp_path / "broken.sav"
    path.write_bytes(b"$FL2 this is not an SPSS file")

    run = cli(capsys, "codebook", "--from", path)

    assert run.returncode == 1 and run.stdout == ""
    lines = run.stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith("broken.sav — expected a readable SPSS")


# ----------------------------------------------------------------------------- real SPSS files

SPSS = PROJECT / "tests" / "fixtures" / "spss"   # copied from pyreadstat's test data (README)
LEFT_OUT_SAMPLE = ["free text (the report uses no open answers): mychar",
                   "dates and times: mydate, dtime, mytime"]
SAMPLE = {
    "mynum": {"type": "number", "text": "numeric"},
    "mylabl": {"type": "single", "text": "labeled", "answers": {1: "Male", 2: "Female"}},
    "myord": {"type": "ordinal", "text": "ordinal",
              "answers": {1: "low", 2: "medium", 3: "high"}},
}
# file -> (expected questions: id -> fields, title, the lines of what was left out).
# Written from the files' documentation (tests/fixtures/spss/README.md), not from a draft.
REAL_SPSS = {
    "sample.sav": (SAMPLE, "TODO", LEFT_OUT_SAMPLE),
    "sample.zsav": (SAMPLE, "TODO", LEFT_OUT_SAMPLE),
    "sample_missing.sav": ({
        "mynum": {"type": "number", "missing": {-1: "Uoplyst", "2000..3000": "Uoplyst"}},
        "mylabl": {"type": "single", "answers": {1: "Male", 2: "Female"},
                   "missing": {-1: "undetermined"}},
        "myord": {"type": "ordinal", "answers": {1: "low", 2: "medium", 3: "high"},
                  "missing": {-3: "Uoplyst", -2: "Uoplyst", -1: "missing"}},
    }, "TODO", LEFT_OUT_SAMPLE),
    "missing_test.sav": ({"var1": {"type": "number", "text": "TODO", "missing": {1: "missing"}}},
                         "TODO", []),
    "hebrews.sav": ({"ותק_ב": {"type": "number", "text": "TODO"}}, "jamovi data set", []),
    "simple_alltypes.sav": ({
        "x": {"type": "single", "text": "Numeric variable with value labels",
              # 4 and 9 occur in the data without a label: the researcher names them
              "answers": {1: "red", 2: "green", 3: "blue", 4: "TODO", 9: "TODO"},
              "missing": {7: "Uoplyst", 8: "Uoplyst", 99: "Uoplyst"}},
        "z": {"type": "number", "text": "Numberic variable with missing value range",
              "missing": {999: "skipped", "-999..0": "Uoplyst"}},
        "mymrset": {"type": "multiple", "text": "My multiple response set",
                    "options": {"bool1": "Response #1", "bool2": "Response #2",
                                "bool3": "Response #3"}},
        "categorical_array": {"type": "multiple",
                              "options": {"categorical_array_a": "a", "categorical_array_b": "b",
                                          "categorical_array_c": "c",
                                          "categorical_array_d": "d"}},
    }, "TODO", ["free text (the report uses no open answers): str",
                "dates and times: y, date, quarter"]),
}


def test_every_real_spss_file_is_a_fixture():
    assert sorted(p.name for p in SPSS.glob("*sav")) == sorted(REAL_SPSS)


@pytest.mark.parametrize("name", list(REAL_SPSS))
def test_codebook_draft_of_a_real_spss_file(capsys, tmp_path, name):
    expected, title, left_out = REAL_SPSS[name]
    out = tmp_path / "draft.yaml"

    run = cli(capsys, "codebook", "--from", SPSS / name, "--out", out)

    assert run.returncode == 0, run.stderr
    text = out.read_text(encoding="utf-8")
    draft = yaml.safe_load(text)
    questions = {q["id"]: q for q in draft["questions"]}
    assert list(questions) == list(expected)
    for qid, fields in expected.items():
        for key, value in fields.items():
            assert questions[qid][key] == value, (qid, key)
        assert set(questions[qid]) - set(fields) <= {"id", "column", "chapter", "type", "text",
                                                    "short", "groups"}
        assert questions[qid]["chapter"] == "TODO" and questions[qid]["short"] == "TODO"
    assert draft["survey"] == {"title": title, "id_column": "TODO", "kommune_column": "TODO",
                               "completion_column": "TODO", "completed_code": 1}
    for line in left_out:
        assert f"#   left out {line}\n" in text
    # no id, municipality or completion column in these files: TODO, each with a message
    assert [line.split(":")[0] for line in run.stderr.splitlines()[:3]] == [
        "id column", "municipality column", "completion column"]
    assert "name it with --id" in run.stderr


def test_the_zsav_is_compressed_and_drafts_like_the_sav():
    assert (SPSS / "sample.zsav").read_bytes()[:4] == b"$FL3"   # the zlib-compressed variant
    assert (SPSS / "sample.sav").read_bytes()[:4] == b"$FL2"
    zsav = draft_codebook(SPSS / "sample.zsav").text.split("\n", 1)[1]
    sav = draft_codebook(SPSS / "sample.sav").text.split("\n", 1)[1]
    assert zsav.replace("sample.zsav", "sample.sav") == sav


def _fill_todos(node, key=None):
    """Fill every TODO a researcher would: plausible values, as by hand."""
    if isinstance(node, dict):
        return {k: _fill_todos(v, k) for k, v in node.items()}
    if isinstance(node, list):
        return [_fill_todos(v) for v in node]
    if node != "TODO":
        return node
    return {"title": "Testskema", "id_column": "lbnr", "kommune_column": "kommunekode",
            "completion_column": None, "chapter": 1, "short": "Kort", "text": "Spørgsmålet",
            "groups": {}}.get(key, "Svar")


@pytest.mark.parametrize("name", list(REAL_SPSS))
def test_a_real_spss_draft_loads_once_its_todos_are_filled_in(tmp_path, name):
    draft = yaml.safe_load(draft_codebook(SPSS / name).text)
    path = tmp_path / "codebook.yaml"
    path.write_text(yaml.safe_dump(_fill_todos(draft), allow_unicode=True), encoding="utf-8")

    codebook = load_survey_codebook(path, report=False)

    assert list(codebook.questions) == list(REAL_SPSS[name][0])
    assert codebook.completion_column is None and codebook.id_column == "lbnr"
    if name == "sample_missing.sav":   # the SPSS range 2000-3000 is missing, code by code
        assert codebook["mynum"].missing[2500] == "Uoplyst"
        assert codebook["myord"].valid_codes == (1, 2, 3, -3, -2, -1)
    if name == "simple_alltypes.sav":
        assert codebook["z"].missing[-500] == "Uoplyst" and codebook["z"].missing[999] == "skipped"
        assert codebook["mymrset"].columns == ("bool1", "bool2", "bool3")
    # as the report's codebook it lacks every question the report uses, each named
    with pytest.raises(InputError) as error:
        load_survey_codebook(path)
    missing = [p.value for p in error.value.problems if p.column == "questions"]
    assert missing == [q.id for q in REQUIRED_QUESTIONS]


def test_a_todo_left_in_the_draft_is_a_problem_naming_the_field(tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_text(draft_codebook(SPSS / "sample.sav").text, encoding="utf-8")

    with pytest.raises(InputError) as error:
        load_survey_codebook(path, report=False)

    lines = [str(p) for p in error.value.problems]
    assert f"{path}, column 'survey.id_column': value 'TODO' — expected the name of the " \
        "export's respondent-id column (the draft left it TODO)" in lines
    assert f"{path}, column 'questions[2] (myord).chapter': value 'TODO' — expected a chapter " \
        "number 1-6 (the draft left it TODO)" in lines
    # title + 3 columns; chapter and short of mynum (a number has no groups); chapter, short
    # and groups of mylabl and myord
    assert sum("(the draft left it TODO)" in line for line in lines) == 4 + 2 + 3 + 3


# ----------------------------------------------------------------------------- mapping
