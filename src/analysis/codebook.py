"""The survey codebook and the interview codebook, read from YAML into plain objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from analysis.problems import InputError, Problem

QUESTION_TYPES = ("single", "multiple", "ordinal", "number")

# What the report itself needs from a survey codebook: question id -> the named answer groups
# its chapters speak of (`groups:` in the YAML). A new survey wave must keep these.
REQUIRED_GROUPS: dict[str, tuple[str, ...]] = {
    "har_koordinator": ("ja", "nej"),
    "koordinator_placering": ("borgmesterkontor", "fagforvaltning"),
    "tid_koordinering": ("halvtid_eller_mindre", "fuldtid_eller_mere"),
    "tilfreds_adm_ledelse": ("tilfreds",),
    "tilfreds_pol_ledelse": ("tilfreds",),
    "ledelse_kunne_prioritere_hoejere": ("enig",),
    "trin_boligorganisation": ("nederste_trin", "oeverste_trin"),
    "trin_helhedsplan": ("nederste_trin", "oeverste_trin"),
    "faelles_maal": ("enig",),
    "tillid": ("enig",),
    "forum": (),
    "internt_forum": ("ja",),
    "vidensdeling": ("enig",),
    "ledelse_kommunikerer_maal": ("enig",),
    "medarbejdere_snitflader": ("enig",),
    "metodefrihed": ("enig",),
}
REQUIRED_OPTIONS = {"forum": ("forum_strategisk", "forum_taktisk", "forum_udfoerende")}


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
    completion_column: str
    completed_code: int
    questions: dict[str, Question]

    def __getitem__(self, question_id: str) -> Question:
        return self.questions[question_id]

    @property
    def answer_columns(self) -> tuple[str, ...]:
        return tuple(c for q in self.questions.values() for c in q.columns)


@dataclass(frozen=True)
class Theme:
    code: str
    name: str
    chapter: int
    aliases: tuple[str, ...] = ()


def _yaml_problem(path: Path, err: yaml.YAMLError) -> Problem:
    """One line for a YAML error: where (line, column) from its mark, what from ``err.problem``."""
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    what = getattr(err, "problem", None) or getattr(err, "reason", None) \
        or " ".join(str(err).split())
    row = mark.line + 1 if mark is not None else None
    column = str(mark.column + 1) if mark is not None else None
    return Problem(str(path), row, column, None, f"valid YAML ({' '.join(str(what).split())})")


def read_yaml(path: Path, required: bool = True) -> dict:
    """A YAML file whose top level is a mapping; every way it can be unreadable is a Problem.

    With ``required=False`` a missing (or empty) file reads as ``{}``.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if not required:
            return {}
        raise InputError([Problem(str(path), None, None, None, "the file to exist")]) from None
    except IsADirectoryError:
        raise InputError([Problem(str(path), None, None, None,
                                  "a YAML file (this is a folder)")]) from None
    except UnicodeDecodeError as err:
        raise InputError([Problem(str(path), None, None,
                                  f"byte 0x{err.object[err.start]:02x} at offset {err.start}",
                                  "text in UTF-8")]) from None
    except OSError as err:
        raise InputError([Problem(str(path), None, None, None,
                                  f"a readable file ({err.strerror})")]) from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise InputError([_yaml_problem(path, err)]) from None
    if raw is None and not required:
        return {}
    if not isinstance(raw, dict):
        raise InputError([Problem(str(path), None, None, None, "a YAML mapping at the top")])
    return raw


_read_yaml = read_yaml


def _codes(mapping: dict | None) -> dict[int, str]:
    return {int(k): str(v) for k, v in (mapping or {}).items()}


def load_survey_codebook(path: Path) -> SurveyCodebook:
    """Read the survey codebook; every structural problem is reported at once."""
    from analysis.codebook_duplicates import survey_duplicates

    raw = read_yaml(path)
    problems: list[Problem] = survey_duplicates(path)
    survey = raw.get("survey") or {}
    for key in ("id_column", "kommune_column", "completion_column"):
        if not survey.get(key):
            problems.append(Problem(str(path), None, f"survey.{key}", None, "a column name"))
    questions: dict[str, Question] = {}
    for i, q in enumerate(raw.get("questions") or []):
        qid = q.get("id") if isinstance(q, dict) else None
        where = f"questions[{i}]" + (f" ({qid})" if qid else "")
        if not isinstance(q, dict) or not qid:
            problems.append(Problem(str(path), None, f"{where}.id", None,
                                    "a question with an id"))
            continue
        if qid in questions:      # survey_duplicates() says where both are
            continue
        if not str(q.get("text") or "").strip():
            problems.append(Problem(str(path), None, f"{where}.text", None,
                                    "the question text as asked"))
        if q.get("type") not in QUESTION_TYPES:
            problems.append(Problem(str(path), None, f"{where}.type", q.get("type"),
                                    f"one of {', '.join(QUESTION_TYPES)}"))
            continue
        if q["type"] == "multiple" and not q.get("options"):
            problems.append(Problem(str(path), None, f"{where}.options", None,
                                    "option columns for a multiple-choice question"))
        if q["type"] in ("single", "ordinal") and not q.get("answers"):
            problems.append(Problem(str(path), None, f"{where}.answers", None,
                                    "answer codes with Danish labels"))
        chapter = q.get("chapter")
        if not isinstance(chapter, int) or not 1 <= chapter <= 6:
            problems.append(Problem(str(path), None, f"{where}.chapter", chapter,
                                    "a chapter number 1-6"))
            continue
        for group in REQUIRED_GROUPS.get(qid, ()):
            if group not in (q.get("groups") or {}):
                problems.append(Problem(str(path), None, f"{where}.groups", None,
                                        f"a group '{group}' (the answer codes the report "
                                        "counts for it)"))
        for option in REQUIRED_OPTIONS.get(qid, ()):
            if option not in (q.get("options") or {}):
                problems.append(Problem(str(path), None, f"{where}.options", None,
                                        f"an option column '{option}'"))
        questions[qid] = Question(
            id=qid, text=str(q.get("text") or ""), short=str(q.get("short") or qid),
            type=q["type"], chapter=chapter, answers=_codes(q.get("answers")),
            missing=_codes(q.get("missing")),
            options={str(k): str(v) for k, v in (q.get("options") or {}).items()},
            groups={str(k): tuple(int(c) for c in v) for k, v in (q.get("groups") or {}).items()},
            asked_if={str(k): tuple(int(c) for c in v)
                      for k, v in (q.get("asked_if") or {}).items()},
        )
    for qid in REQUIRED_GROUPS:
        if qid not in questions and not any(qid in p.column or "" for p in problems):
            problems.append(Problem(str(path), None, "questions", qid,
                                    f"a question with id '{qid}' (the report uses it)"))
    if problems:
        raise InputError(problems)
    return SurveyCodebook(
        title=str(survey.get("title", "")), id_column=survey["id_column"],
        kommune_column=survey["kommune_column"], completion_column=survey["completion_column"],
        completed_code=int(survey.get("completed_code", 1)), questions=questions)


def _parse_themes(raw: dict, path: Path, problems: list[Problem]) -> dict[str, Theme]:
    from analysis.codebook_duplicates import theme_duplicates

    problems.extend(theme_duplicates(path))
    themes: dict[str, Theme] = {}
    if not isinstance(raw.get("themes"), list) or not raw["themes"]:
        problems.append(Problem(str(path), None, "themes", None,
                                "a list of themes (code, name, chapter)"))
    for i, t in enumerate(raw.get("themes") or []):
        missing = [k for k in ("code", "name") if not isinstance(t, dict) or not t.get(k)]
        if missing:
            problems += [Problem(str(path), None, f"themes[{i}].{k}", None,
                                 "a theme with code and name") for k in missing]
            continue
        if t["code"] in themes:   # theme_duplicates() says where both are
            continue
        chapter = t.get("chapter")
        if not isinstance(chapter, int) or not 1 <= chapter <= 6:
            problems.append(Problem(str(path), None, f"themes[{i}].chapter", chapter,
                                    "a chapter number 1-6"))
            continue
        themes[t["code"]] = Theme(code=t["code"], name=str(t["name"]), chapter=chapter,
                                  aliases=tuple(str(a) for a in t.get("aliases") or ()))
    return themes


def _parse_roles(raw: dict, path: Path, problems: list[Problem]) -> tuple[str, ...] | None:
    if "roles" not in raw:
        return None
    roles = raw["roles"]
    if not isinstance(roles, list) or not roles:
        problems.append(Problem(str(path), None, "roles", None,
                                "a list of the role labels excerpts may carry"))
        return None
    labels: list[str] = []
    for i, role in enumerate(roles):
        if not isinstance(role, str) or not role.strip():
            problems.append(Problem(str(path), None, f"roles[{i}]", role,
                                    "a role label (text such as 'Kommunal taktiker')"))
            continue
        labels.append(role.strip())
    return tuple(labels)


def load_interview_codebook(path: Path) -> tuple[dict[str, Theme], tuple[str, ...] | None]:
    """Read the interview codebook: (theme code -> Theme, allowed role labels).

    The role labels are None when the codebook has no ``roles:`` list (any label is accepted).
    Every problem in the file is reported at once.
    """
    raw = read_yaml(path)
    problems: list[Problem] = []
    themes = _parse_themes(raw, path, problems)
    roles = _parse_roles(raw, path, problems)
    if problems:
        raise InputError(problems)
    return themes, roles


def load_themes(path: Path) -> dict[str, Theme]:
    """Read the interview codebook: theme code -> Theme."""
    raw = read_yaml(path)
    problems: list[Problem] = []
    themes = _parse_themes(raw, path, problems)
    if problems:
        raise InputError(problems)
    return themes


def load_roles(path: Path) -> tuple[str, ...] | None:
    """The role labels an interview excerpt may carry (``roles:``), or None if not listed.

    ``rolle`` is printed verbatim in the reports, so a closed list keeps names out of them.
    """
    raw = read_yaml(path)
    problems: list[Problem] = []
    roles = _parse_roles(raw, path, problems)
    if problems:
        raise InputError(problems)
    return roles
