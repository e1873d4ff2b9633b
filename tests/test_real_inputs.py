"""The inputs researchers really bring, end to end through the ``rapport`` command.

* The shipped survey (``data/survey/besvarelser.csv``) is written out as a SurveyXact workbook,
  as csv bundles in each of SurveyXact's three dialects (folder and .zip) and as an SPSS
  ``.sav``, by the test helper ``survey_export_files`` (openpyxl, csv and pyreadstat directly,
  nothing of the project's reader); each is put into a copy of ``data/`` in place of
  besvarelser.csv. It must load to exactly the shipped answers, pass ``rapport validate`` and
  (``e2e``, xlsx and sav) render a national report identical to the shipped data's report
  except for the colophon lines that name the input file and its hash.
* ``rapport codebook --from`` drafts a codebook from the workbook that matches the shipped one.
* ``rapport import-qdpx`` turns a small REFI-QDA project built here into an ``excerpts.csv``
  the loader accepts, and refuses hostile files with exit code 1 and no traceback.
* Text starting with ``=`` (a question text or an excerpt) stays text in ``tabeller.xlsx``.

Most CLI calls run ``analysis.cli.main`` in this process; one call per command goes through
the installed ``rapport`` script in a subprocess. Each render (e2e) takes about ten seconds;
the shipped data is rendered once per session.
"""

from __future__ import annotations

import difflib
import html
import re
import shutil
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
import pyreadstat
import pytest
import yaml

from analysis.core import paths
from analysis.cli import main
from analysis.inputs.codebook import load_survey_codebook, load_themes
from analysis.inputs.dataset import find_survey_file, load_dataset, load_excerpts, read_text_table
from analysis.report.present import Table
from analysis.core.problems import InputError
from analysis.render import Document, TableEntry, write_tables_xlsx
from analysis.inputs.questions import REQUIRED_QUESTIONS
from analysis.inputs.survey_exports import draft_codebook
from survey_export_files import write_export

PROJECT = Path(__file__).resolve().parents[1]
DATA = PROJECT / "data"
SURVEY_CODEBOOK = DATA / "survey" / "codebook.yaml"
_SCRIPT = Path(sys.executable).with_name("rapport")
RAPPORT = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "analysis"]

# (survey_export_files format, name in data/survey/, what `Survey.source` starts with)
EXPORTS = [
    ("xlsx", "besvarelser.xlsx", "surveyxact-xlsx: besvarelser.xlsx"),
    ("sav", "besvarelser.sav", "spss-sav: besvarelser.sav"),
    ("comma_cp1252", "surveyxact_comma", "surveyxact-csv: surveyxact_comma (cp1252)"),
    ("semicolon_latin1", "surveyxact_semicolon", "surveyxact-csv: surveyxact_semicolon (cp1252)"),
    ("tab_utf16", "surveyxact_tab", "surveyxact-csv: surveyxact_tab (utf-16)"),
    ("semicolon_latin1", "surveyxact_semicolon.zip", "surveyxact-csv: surveyxact_semicolon.zip"),
    ("tab_utf16", "surveyxact_tab.zip", "surveyxact-csv: surveyxact_tab.zip (utf-16)"),
]


def rapport(*args: str | Path, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the installed ``rapport`` command in a subprocess, from the project folder."""
    return subprocess.run([*RAPPORT, *map(str, args)], cwd=PROJECT, capture_output=True,
                          text=True, timeout=timeout)


def cli(capsys, *args: str | Path) -> subprocess.CompletedProcess:
    """Run ``rapport`` in this process (``analysis.cli.main``, what the script calls): a second
    faster than a subprocess, and an uncaught exception fails the test like a traceback would."""
    capsys.readouterr()
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return subprocess.CompletedProcess(args, code, captured.out, captured.err)


# ----------------------------------------------------------------------------- shipped data


@pytest.fixture(scope="module")
def shipped():
    return load_dataset(DATA)


@pytest.fixture(scope="module")
def shipped_frame() -> pd.DataFrame:
    """Every row of besvarelser.csv (incomplete ones too) as the canonical export frame."""
    text = read_text_table(paths.survey_file(DATA)).frame
    columns = {}
    for column in text.columns:
        if column == "respondentid":
            columns[column] = text[column].astype("int64")
        elif column == "kommunekode":
            columns[column] = text[column].astype(str)
        else:
            columns[column] = pd.to_numeric(text[column].replace("", None)).astype("Int64")
    return pd.DataFrame(columns)


@pytest.fixture(scope="module")
def kommune_names() -> dict[str, str]:
    table = read_text_table(paths.kommuner_file(DATA)).frame
    return dict(zip(table["kommunekode"], table["kommunenavn"]))


def data_with_export(target: Path, frame: pd.DataFrame, fmt: str, name: str,
                     kommune_names: dict[str, str]) -> Path:
    """A copy of data/ whose survey is the export ``name`` instead of besvarelser.csv."""
    data = target / "data"
    shutil.copytree(DATA, data)
    paths.survey_file(data).unlink()
    write_export(frame, SURVEY_CODEBOOK, data / "survey" / name, fmt,
                 kommune_names=kommune_names)
    return data


# ----------------------------------------------------------------------------- survey exports


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


# The shipped survey under the export's own names: q01… for the questions, q11_1… for the
# options of the multiple-choice question, lbnr, Kommune and Finished (1 = completed).
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


def test_validate_lists_every_report_question_a_half_mapped_codebook_lacks(tmp_path,
                                                                           shipped_frame,
                                                                           own_names):
    drop = ("trin_helhedsplan", "forum", "tilfreds_pol_ledelse", "metodefrihed")
    data = data_with_own_sav(tmp_path, shipped_frame, own_names, drop)

    run = rapport("validate", "--data", data)

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


# ----------------------------------------------------------------------------- the report's list


_USES = re.compile(r"""(?:share|group_share|own_in)\(\s*['"](\w+)['"],\s*['"](\w+)['"]""")
_QUESTION = re.compile(r"""(?:question|valid|distribution|answer|answer_label|own)\("""
                       r"""(?:report,\s*)?"""
                       r"""['"](\w+)['"]""")


def test_the_required_questions_cover_what_the_report_asks_for():
    # Every (question, group) the report's code and notebooks name must be in the one table
    # that validate checks; every question id it names must be a required question or option.
    sources = [p.read_text(encoding="utf-8") for p in
               [*(PROJECT / "src" / "analysis" / "report" / "content").glob("*.py"),
                *(PROJECT / "notebooks").glob("*.ipynb")]]
    text = "\n".join(sources).replace('\\"', '"')
    required = {q.id: q for q in REQUIRED_QUESTIONS}
    options = {o for q in REQUIRED_QUESTIONS for o in q.options}
    pairs = set(_USES.findall(text))
    assert len(pairs) > 10   # the pattern finds the report's uses
    for qid, group in pairs:
        assert group in required[qid].groups, (qid, group)
    from analysis.report.content import advice, own
    for items in own.OWN_ITEMS.values():
        for qid, group in items:
            assert qid in options if group is None else group in required[qid].groups, qid
    for qid, group, _ in advice.TRIGGERS.values():
        assert qid in options if group == "" else group in required[qid].groups, qid
    named = set(_QUESTION.findall(text)) - {"forum"}
    assert named and named <= set(required) | options, named - set(required) - options


# ----------------------------------------------------------------------------- REFI-QDA import

G = "{:08x}-0000-0000-0000-00000000000a".format
SOURCE_TEXT = ("I: Hvordan er samarbejdet?\r\n"
               "R: Vi har fået en tillid til hinanden, som vi ikke havde før.\r\n"
               '=HYPERLINK("http://example.invalid","Klik")\r\n')
TRUST = "Vi har fået en tillid til hinanden, som vi ikke havde før."
FORMULA = '=HYPERLINK("http://example.invalid","Klik")'


def _qde(text: str = SOURCE_TEXT) -> str:
    """A REFI-QDA project: one case (Køge, Kommunal taktiker, taktisk, kommune, cleared) with
    one interview whose two selections are coded with theme aliases."""
    variables = {"Kommune": ("Text", "Køge"), "Rolle": ("Text", "Kommunal taktiker"),
                 "Niveau": ("Text", "taktisk"), "Organisation": ("Text", "kommune"),
                 "Må tilskrives kommune": ("Boolean", "true")}
    declared, values = [], []
    for number, (name, (kind, value)) in enumerate(variables.items(), start=0x20):
        declared.append(f'<Variable guid="{G(number)}" name="{name}" typeOfVariable="{kind}"/>')
        values.append(f'<VariableValue><VariableRef targetGUID="{G(number)}"/>'
                      f'<{kind}Value>{html.escape(value)}</{kind}Value></VariableValue>')

    def selection(guid: int, piece: str, code: int) -> str:
        start = text.index(piece)
        return (f'<PlainTextSelection guid="{G(guid)}" name="{html.escape(piece)}" '
                f'startPosition="{start}" endPosition="{start + len(piece)}">'
                f'<Coding guid="{G(guid + 1)}"><CodeRef targetGUID="{G(code)}"/></Coding>'
                f'</PlainTextSelection>')

    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Kommuneinterviews" origin="QualCoder 3.6">
  <Users><User guid="{G(0x01)}" name="Ida Interviewer"/></Users>
  <CodeBook><Codes>
    <Code guid="{G(0x10)}" name="Tillid og relationer" isCodable="true"/>
    <Code guid="{G(0x11)}" name="Fælles mål" isCodable="true"/>
  </Codes></CodeBook>
  <Variables>{''.join(declared)}</Variables>
  <Cases><Case guid="{G(0x30)}" name="Køge 1">{''.join(values)}
    <SourceRef targetGUID="{G(0x40)}"/></Case></Cases>
  <Sources>
    <TextSource guid="{G(0x40)}" name="Interview 1" plainTextPath="internal://{G(0x40)}.txt">
      {selection(0x50, TRUST, 0x10)}
      {selection(0x60, FORMULA, 0x11)}
    </TextSource>
  </Sources>
</Project>"""


def _qdpx(path: Path, members: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data)  # keeps '../' as written
    return path


@pytest.fixture
def project_qdpx(tmp_path) -> Path:
    return _qdpx(tmp_path / "interviews.qdpx",
                 {"project.qde": _qde(), f"sources/{G(0x40)}.txt": SOURCE_TEXT.encode("utf-8")})


def test_import_qdpx_writes_excerpts_the_loader_accepts(tmp_path, capsys, project_qdpx,
                                                        shipped):
    out = tmp_path / "out"

    run = cli(capsys, "import-qdpx", project_qdpx, "--out", out, "--data", DATA)

    assert run.returncode == 0, run.stderr
    assert f"2 excerpts, 0 not mapped; written to {out}" in run.stdout
    themes = load_themes(paths.interview_codebook_file(DATA))
    excerpts, problems = load_excerpts(out / "excerpts.csv", themes, shipped.kommuner)
    assert problems == []
    rows = excerpts.set_index("tekst")
    assert list(rows.index) == [TRUST, FORMULA]  # the formula-like text stays literal text
    trust = rows.loc[TRUST]
    assert (trust.kommunekode, trust.organisation, trust.niveau, trust.rolle) == \
        ("259", "kommune", "taktisk", "Kommunal taktiker")
    assert (trust.temaer, trust.kilde, trust.maa_tilskrives_kommune) == \
        (("tillid",), "import", "ja")
    assert rows.loc[FORMULA].temaer == ("faelles_forstaaelse",)
    assert trust.henvisning.startswith("interviews.qdpx, Interview 1, tegn ")
    assert "Ida" not in (out / "excerpts.csv").read_text(encoding="utf-8")
    assert (out / "unmapped.csv").exists()


def test_import_qdpx_into_a_data_folder_passes_validate(tmp_path, capsys, project_qdpx):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)

    run = cli(capsys, "import-qdpx", project_qdpx, "--data", data)  # into data/interviews/

    assert run.returncode == 0, run.stderr
    assert (data / "interviews" / "unmapped.csv").exists()
    validate = cli(capsys, "validate", "--data", data)
    assert validate.returncode == 0, validate.stderr
    assert "2 interview excerpts" in validate.stdout


HOSTILE = {
    "zip-slip": ({"project.qde": _qde(), "../evil.txt": "x"}, "'../evil.txt'"),
    "xxe": ({"project.qde": '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM '
                            '"file:///etc/passwd">]><Project>&x;</Project>'}, "DOCTYPE"),
    "no-project": ({"sources/a.txt": "x"}, "exactly one project.qde"),
    "not-xml": ({"project.qde": b"\xff\xfe\x00garbage"}, "well-formed XML"),
    "not-a-zip": (None, "a zip archive (.qdpx)"),
}


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_import_qdpx_refuses_a_hostile_file_in_one_line(tmp_path, capsys, kind):
    members, expected = HOSTILE[kind]
    path = tmp_path / "zip" / f"{kind}.qdpx"
    path.parent.mkdir()
    if members is None:
        path.write_bytes(b"PK\x03\x04 truncated, not a zip")
    else:
        _qdpx(path, members)
    out = tmp_path / "out"

    run = cli(capsys, "import-qdpx", path, "--out", out, "--data", DATA)

    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 2 and lines[1] == "1 problem(s) found."  # the problem, then the count
    assert lines[0].startswith(str(path)) and expected in lines[0]
    assert not out.exists()
    assert not (tmp_path / "evil.txt").exists()


def test_rapport_import_qdpx_command_refuses_zip_slip_without_a_traceback(tmp_path):
    path = _qdpx(tmp_path / "evil.qdpx", HOSTILE["zip-slip"][0])

    run = rapport("import-qdpx", path, "--out", tmp_path / "out", "--data", DATA)

    assert run.returncode == 1
    assert "Traceback" not in run.stderr and run.stdout == ""
    assert run.stderr.splitlines() == [
        f"{path}: value '../evil.txt' — expected zip member paths relative and inside the "
        "archive (no absolute path, no '..')", "1 problem(s) found."]


# ----------------------------------------------------------------------------- formulas


def test_text_starting_with_equals_is_never_a_formula_in_tabeller_xlsx(tmp_path, capsys,
                                                                       project_qdpx):
    imported = tmp_path / "imported"
    assert cli(capsys, "import-qdpx", project_qdpx, "--out", imported,
               "--data", DATA).returncode == 0
    excerpts = read_text_table(imported / "excerpts.csv").frame
    hostile = ['=HYPERLINK("http://example.invalid","Klik")', "=1+1", "+1+1", "-1+1",
               "@SUM(A1)", "=cmd|' /C calc'!A0"]
    questions = Table(
        ident="spoergeskema", caption="Spørgeskemaets spørgsmål", source="Kilde: kodebogen.",
        columns=("Kapitel", "Spørgsmål", "Svarmuligheder"),
        rows=tuple(("1", text, "1 = Ja; 2 = Nej") for text in hostile))
    quotes = Table.from_frame(excerpts[["tekst", "rolle"]], ident="citater", caption="=Citater",
                              source="=Kilde")
    document = Document(body="", tables=(TableEntry(questions, 1), TableEntry(quotes, 2)))

    path = write_tables_xlsx(document, tmp_path / "tabeller.xlsx")

    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) == 2
        for name in sheets:
            assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
    book = openpyxl.load_workbook(path)  # formulas would come back as "=…" with type "f"
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
             if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells)
    texts = {cell.value for cell in cells}
    assert set(hostile) <= texts  # literally, as the report shows them
    assert FORMULA in texts  # the imported excerpt


# ----------------------------------------------------------------------------- render (e2e)


class _Text(HTMLParser):
    """Visible text of an HTML page, one chunk per line, and the figures' image sources."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.images: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._skip += 1
        if tag == "img":
            self.images.append(dict(attrs).get("src") or "")

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self._skip:
            self.chunks.append(text)


def _page(page: str) -> _Text:
    parser = _Text()
    parser.feed(page)
    parser.close()
    return parser


def _render(data: Path, out: Path) -> str:
    run = rapport("render", "--data", data, "--out", out, "--format", "html", "--jobs", "1",
                  timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    return (out / "national" / "rapport.html").read_text(encoding="utf-8")




def _colophon(chunks: list[str]) -> tuple[list[str], list[str]]:
    """Colophon text with the survey file's name and the data's fingerprint made neutral;
    the survey file names it mentions."""
    text = " ".join(chunks)
    inputs = re.findall(r"besvarelser\.\w+", text)
    neutral = [re.sub(r"fingeraftryk er [0-9a-f]+", "fingeraftryk er …",
                      re.sub(r"besvarelser\.\w+", "besvarelser.…", c)) for c in chunks]
    return neutral, inputs


def _differences(a: list[str], b: list[str]) -> str:
    return "\n".join(list(difflib.unified_diff(a, b, "shipped", "export", lineterm="", n=1))[:60])


@pytest.fixture(scope="session")
def shipped_report(tmp_path_factory) -> str:
    return _render(DATA, tmp_path_factory.mktemp("shipped_render"))


@pytest.mark.e2e
@pytest.mark.parametrize("fmt,name", [("xlsx", "besvarelser.xlsx"), ("sav", "besvarelser.sav")])
def test_report_from_an_export_equals_the_report_from_the_shipped_csv(
        tmp_path, shipped_report, shipped_frame, kommune_names, fmt, name):
    data = data_with_export(tmp_path, shipped_frame, fmt, name, kommune_names)

    report = _render(data, tmp_path / "out")

    marker = 'id="kolofon"'
    assert marker in shipped_report and marker in report
    shipped_body, _, shipped_colophon = shipped_report.partition(marker)
    body, _, colophon = report.partition(marker)
    expected, actual = _page(shipped_body), _page(body)
    assert actual.chunks == expected.chunks, _differences(expected.chunks, actual.chunks)
    assert actual.images == expected.images  # the figures (inline SVG) are the same too
    assert any(re.search(r"\d\s?%", chunk) for chunk in actual.chunks)  # there are numbers
    expected_colophon, shipped_inputs = _colophon(_page(shipped_colophon).chunks)
    actual_colophon, inputs = _colophon(_page(colophon).chunks)
    assert actual_colophon == expected_colophon, _differences(expected_colophon,
                                                              actual_colophon)
    assert shipped_inputs == ["besvarelser.csv"]
    assert inputs == [name]
