"""The survey codebook (``data/survey/codebook.yaml``), read from YAML into plain objects.

The interview codebook has its own module (:mod:`analysis.inputs.interview_codebook`); its names
are importable from here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from analysis.core.problems import InputError, Problem
from analysis.inputs.codebook_fields import (TODO, asked_if_field, flag, groups_field, is_todo,
                                             options_field, sentence)
from analysis.inputs.interview_codebook import (Theme, load_interview_codebook, load_roles,
                                                load_themes)
from analysis.inputs.questions import BY_ID as REPORT_QUESTIONS
from analysis.inputs.yaml_files import read_yaml

__all__ = ["MAX_RANGE_CODES", "QUESTION_TYPES", "TODO", "TODO_HINTS", "Question",
           "SurveyCodebook", "Theme", "is_todo", "load_interview_codebook", "load_roles",
           "load_survey_codebook", "load_themes", "read_yaml"]

QUESTION_TYPES = ("single", "multiple", "ordinal", "number")
MAX_RANGE_CODES = 100_000  # a missing range "lo..hi" is expanded to its whole-number codes


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    short: str
    type: str
    chapter: int
    answers: dict[int, str] = field(default_factory=dict)
    missing: dict[int, str] = field(default_factory=dict)
    options: dict[str, str] = field(default_factory=dict)
    groups: dict[str, tuple[int, ...]] = field(default_factory=dict)
    asked_if: dict[str, tuple[int, ...]] = field(default_factory=dict)
    column: str | None = None   # the export's variable for this question (``column:``)
    option_columns: dict[str, str] = field(default_factory=dict)  # option -> export variable
    # Whether the 2015 report published results from the question (``published_2015:``);
    # None when the codebook does not say.
    published_2015: bool | None = None
    # The 2015 survey asked the question, but the 2015 report printed no numbers from it
    # (``asked_2015: true``): not this edition's, though its answers are not calibrated either.
    asked_2015: bool = False
    # How the 2015 survey's question differed from this one, in a Danish sentence
    # (``changed_2015:``); None where it was the same or the codebook does not say.
    changed_2015: str | None = None

    @property
    def added(self) -> bool:
        """The 2015 report published no results from this question, and the 2015 survey did
        not ask it (``asked_2015``): it is this edition's."""
        return self.published_2015 is False and not self.asked_2015

    @property
    def columns(self) -> tuple[str, ...]:
        """The answer-file columns of this question."""
        return tuple(self.options) if self.type == "multiple" else (self.id,)

    @property
    def valid_codes(self) -> tuple[int, ...]:
        return tuple(self.answers) + tuple(self.missing)


@dataclass(frozen=True)
class SurveyCodebook:
    title: str
    id_column: str
    kommune_column: str
    completion_column: str | None   # None: the export has none, every response is completed
    completed_code: int
    questions: dict[str, Question]

    def __getitem__(self, question_id: str) -> Question:
        return self.questions[question_id]

    @property
    def renames(self) -> dict[str, str]:
        """Export variable -> report column, for every question mapped with ``column:``."""
        out: dict[str, str] = {}
        for q in self.questions.values():
            if q.column and q.column != q.id:
                out[q.column] = q.id
            out.update({source: option for option, source in q.option_columns.items()
                        if source != option})
        return out

    @property
    def answer_columns(self) -> tuple[str, ...]:
        return tuple(c for q in self.questions.values() for c in q.columns)


_RANGE = re.compile(r"^\s*(-?\d+)\s*(?:\.\.|thru)\s*(-?\d+)\s*$", re.IGNORECASE)
TODO_HINTS = {
    "title": "the questionnaire's title",
    "id_column": "the name of the export's respondent-id column",
    "kommune_column": "the name of the export's municipality-code column",
    "completion_column": "the name of the export's completion column, or null if it has none "
                         "(every response then counts as completed)",
    "completed_code": "the code that marks a completed response",
    "id": "a question id: one of the report's (see the list at the top of the draft) or your own",
    "column": "the export variable that holds the answers",
    "chapter": "a chapter number 1-6",
    "short": "a short Danish label for tables and figures",
    "text": "the question text",
    "type": f"one of {', '.join(QUESTION_TYPES)}",
    "groups": "the named answer groups the report counts (e.g. enig: [4, 5]), or {} for none",
    "answers": "answer codes with Danish labels",
    "missing": "the codes that are not answers, or {}",
    "options": "option columns with Danish labels",
}


def _todo_problems(mapping: dict, file: str, where: str) -> list[Problem]:
    """One Problem per field still marked TODO, at any depth (``groups: {enig: TODO}``)."""
    problems = []
    for key, value in mapping.items():
        place = f"{where}.{key}" if where else str(key)
        if is_todo(value):
            parent = where.rsplit(".", 1)[-1]
            hint = (f"a Danish label for code {key}" if parent == "answers" else
                    f"the answer codes of group '{key}', e.g. [4, 5]" if parent == "groups" else
                    TODO_HINTS.get(str(key)) or TODO_HINTS.get(parent, "a value"))
            problems.append(Problem(file, None, place, value,
                                    f"{hint} (the draft left it {TODO})"))
        elif isinstance(value, dict):
            problems += _todo_problems(value, file, place)
    return problems


def _codes(mapping: object, file: str = "", where: str = "", problems: list | None = None,
           ranges: bool = False) -> dict[int, str]:
    """Code -> label; with ``ranges`` a key may be a range ``lo..hi`` (SPSS user-missing
    ranges), expanded to its whole-number codes. Bad keys are added to ``problems``."""
    problems = [] if problems is None else problems
    if mapping is None or is_todo(mapping):
        return {}
    if not isinstance(mapping, dict):
        problems.append(Problem(file, None, where, mapping, "a mapping of code: label"))
        return {}
    out: dict[int, str] = {}
    for key, label in mapping.items():
        span = _RANGE.match(str(key)) if ranges and isinstance(key, str) else None
        if span:
            lo, hi = sorted(int(x) for x in span.groups())
            if hi - lo + 1 > MAX_RANGE_CODES:
                problems.append(Problem(file, None, where, key,
                                        f"a range of at most {MAX_RANGE_CODES} codes"))
                continue
            for code in range(lo, hi + 1):
                out.setdefault(code, str(label))
            continue
        try:
            if isinstance(key, bool) or float(key) != int(float(key)):
                raise ValueError
            out[int(float(key))] = str(label)
        except (TypeError, ValueError):
            problems.append(Problem(file, None, where, key, "a whole-number code"
                                    + (" or a range such as -9..-1" if ranges else "")))
    return out


def _asked_if_problems(questions: dict[str, Question], wheres: dict[str, str],
                       file: str) -> list[Problem]:
    """Skip logic that names a question the codebook lacks, or codes that question has not."""
    import difflib

    option_of = {option: q for q in questions.values() for option in q.options}
    problems = []
    for q in questions.values():
        for other, codes in q.asked_if.items():
            where = f"{wheres[q.id]}.asked_if"
            condition = questions.get(other) or option_of.get(other)
            if condition is None or condition.id == q.id:
                known = [i for i in (*questions, *option_of) if i != q.id]
                close = difflib.get_close_matches(other, known, n=1)
                problems.append(Problem(file, None, where, other,
                                        "the id of another question of this codebook"
                                        + (f" (did you mean '{close[0]}'?)" if close else "")))
                continue
            valid = (0, 1) if other in option_of else condition.valid_codes
            if condition.type == "number" and other not in option_of:
                continue
            unknown = [c for c in codes if c not in valid]
            if unknown:
                problems.append(Problem(file, None, f"{where}.{other}",
                                        ", ".join(str(c) for c in unknown),
                                        f"answer codes of '{other}' "
                                        f"({', '.join(str(c) for c in valid)})"))
    return problems


def _report_problems(questions: dict[str, Question], raw_types: dict[str, object],
                     file: str) -> list[Problem]:
    """Every report question (``report_questions``) the codebook lacks or cannot serve."""
    problems = []
    for qid, need in REPORT_QUESTIONS.items():
        q = questions.get(qid)
        if q is None:
            if qid in raw_types:   # present but unreadable: its own problems say why
                continue
            problems.append(Problem(file, None, "questions", qid,
                                    f"a question '{qid}': the report uses it in {need.where}; "
                                    f"it needs {need.needs}"))
            continue
        where = f"questions ({qid})"
        if not need.accepts(q.type):
            problems.append(Problem(file, None, f"{where}.type", q.type,
                                    f"{need.type}: the report uses it in {need.where} as "
                                    + ("a scale, low to high" if need.type == "ordinal"
                                       else f"a {need.type}-choice question")))
        for group in need.groups:
            if group not in q.groups:
                problems.append(Problem(file, None, f"{where}.groups", None,
                                        f"a group '{group}' (the answer codes the report "
                                        f"counts for it in {need.where})"))
        for option in need.options:
            if option not in q.options:
                problems.append(Problem(file, None, f"{where}.options", None,
                                        f"an option column '{option}' (the report reads it "
                                        f"in {need.where})"))
        absent = [c for c in need.codes if c not in q.answers]
        if absent and q.type != "multiple":
            problems.append(Problem(file, None, f"{where}.answers",
                                    ", ".join(str(c) for c in absent),
                                    f"answer codes {', '.join(str(c) for c in need.codes)} "
                                    f"(the report names them in {need.where})"))
    return problems


def load_survey_codebook(path: Path, *, report: bool = True) -> SurveyCodebook:
    """Read the survey codebook; every structural problem is reported at once.

    With ``report`` (the default) the codebook must also hold every question the report uses
    (``report_questions.REQUIRED_QUESTIONS``) with its type, groups and options; each one
    missing is its own problem. ``report=False`` checks the file on its own.
    """
    from analysis.inputs.codebook_duplicates import survey_duplicates

    raw = read_yaml(path)
    file = str(path)
    problems: list[Problem] = survey_duplicates(path)
    survey = raw.get("survey") or {}
    if not isinstance(survey, dict):
        survey = {}
        problems.append(Problem(file, None, "survey", None, "a mapping with id_column, "
                                "kommune_column and completion_column"))
    problems += _todo_problems(survey, file, "survey")
    for key in ("id_column", "kommune_column", "completion_column"):
        value = survey.get(key)
        if key == "completion_column" and key in survey and value is None:
            continue   # the export has no completion column
        if not value and not is_todo(value):
            problems.append(Problem(file, None, f"survey.{key}", None,
                                    "a column name" + (", or null if the export has none"
                                                       if key == "completion_column" else "")))
    completed_code = survey.get("completed_code", 1)
    if not is_todo(completed_code) and (isinstance(completed_code, bool)
                                        or not isinstance(completed_code, int)):
        problems.append(Problem(file, None, "survey.completed_code", completed_code,
                                "a whole-number code"))
    questions: dict[str, Question] = {}
    wheres: dict[str, str] = {}
    raw_types: dict[str, object] = {}
    entries = raw.get("questions") or []
    if not isinstance(entries, list):
        problems.append(Problem(file, None, "questions", None, "a list of questions"))
        entries = []
    for i, q in enumerate(entries):
        qid = q.get("id") if isinstance(q, dict) else None
        where = f"questions[{i}]" + (f" ({qid})" if qid else "")
        if not isinstance(q, dict) or not qid:
            problems.append(Problem(file, None, f"{where}.id", None, "a question with an id"))
            continue
        if qid in raw_types:      # survey_duplicates() says where both are
            continue
        raw_types[str(qid)] = q.get("type")
        if not is_todo(q.get("text")) and not str(q.get("text") or "").strip():
            problems.append(Problem(file, None, f"{where}.text", None,
                                    "the question text as asked"))
        todo = _todo_problems(q, file, where)
        problems += todo
        if todo and any(p.column in (f"{where}.id", f"{where}.type") for p in todo):
            continue
        if q.get("type") not in QUESTION_TYPES:
            problems.append(Problem(file, None, f"{where}.type", q.get("type"),
                                    f"one of {', '.join(QUESTION_TYPES)}"))
            continue
        if q["type"] == "multiple" and not q.get("options"):
            problems.append(Problem(file, None, f"{where}.options", None,
                                    "option columns for a multiple-choice question"))
        if q["type"] in ("single", "ordinal") and not q.get("answers"):
            problems.append(Problem(file, None, f"{where}.answers", None,
                                    "answer codes with Danish labels"))
        chapter = q.get("chapter")
        if is_todo(chapter):
            continue
        if not isinstance(chapter, int) or not 1 <= chapter <= 6:
            problems.append(Problem(file, None, f"{where}.chapter", chapter,
                                    "a chapter number 1-6"))
            continue
        groups = groups_field(q.get("groups"), file, f"{where}.groups", problems)
        published_2015 = flag(q, "published_2015", None, file, where, problems,
                               "whether the 2015 report published results from the question "
                               "(or leave the line out)")
        asked_2015 = flag(q, "asked_2015", False, file, where, problems,
                           "whether the 2015 survey asked the question although its report "
                           "printed no numbers from it")
        changed_2015 = sentence(q, "changed_2015", file, where, problems,
                                "a Danish sentence saying how the 2015 survey's question "
                                "differed")
        options, option_columns = options_field(q.get("options"), file, f"{where}.options",
                                                problems)
        questions[qid] = Question(
            id=qid, text=str(q.get("text") or ""), short=str(q.get("short") or qid),
            type=q["type"], chapter=chapter,
            answers=_codes(q.get("answers"), file, f"{where}.answers", problems),
            missing=_codes(q.get("missing"), file, f"{where}.missing", problems, ranges=True),
            options=options,
            groups=groups,
            asked_if=asked_if_field(q.get("asked_if"), file, f"{where}.asked_if", problems),
            column=str(q["column"]) if q.get("column") and not is_todo(q["column"]) else None,
            option_columns=option_columns,
            published_2015=published_2015,
            asked_2015=asked_2015,
            changed_2015=changed_2015,
        )
        wheres[qid] = where
    problems += _asked_if_problems(questions, wheres, file)
    if report:
        problems += _report_problems(questions, raw_types, file)
    if problems:
        raise InputError(problems)
    return SurveyCodebook(
        title=str(survey.get("title") or ""), id_column=str(survey["id_column"]),
        kommune_column=str(survey["kommune_column"]),
        completion_column=None if survey["completion_column"] is None
        else str(survey["completion_column"]),
        completed_code=int(completed_code), questions=questions)
